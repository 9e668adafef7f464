"""Notebook dashboards (ipywidgets 8): each a plain class that owns its widgets and a model.

    from livemoney.widgets import CompareDashboard, StreamDashboard, LiveDashboard
    CompareDashboard()                        # one spend on every platform and feature
    StreamDashboard("stream.jsonl")           # a valued log: totals, timeline, top viewers, gift mix
    LiveDashboard(lm.LiveTally(context))      # a tally as events arrive (or a recorded log replayed)

Set a control's ``.value`` from code and the model updates at once, with or without a front end.
"""

from livemoney.widgets.compare import CompareDashboard
from livemoney.widgets.live import LiveDashboard
from livemoney.widgets.stream import StreamDashboard

__all__ = ["CompareDashboard", "LiveDashboard", "StreamDashboard"]
