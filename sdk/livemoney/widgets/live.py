"""The live dashboard: a `LiveTally` shown as it grows, fed by a live client or a recorded log replayed.

    from livemoney.widgets import LiveDashboard
    dash = LiveDashboard(lm.LiveTally(lm.context(currency="EUR")), replay="stream.jsonl", speed=60)
    dash                       # Play, Pause, Step, Finish; the totals, timeline, gift mix and feed update
    dash.step(100)             # from code: the next 100 events, at once (tests never sleep)
    dash.advance(30)           # 30 seconds of wall time at the chosen speed: the events due by then
    for event in client: dash.add(event)     # a live feed instead of a replay

A replay's clock is the events' own timestamps: at speed 60, a minute of stream plays in a second.
Events without a timestamp play right after the one before. Play runs in a background thread that
wakes every `tick` seconds; at speed ``inf`` (``max``) it adds everything at once, without a thread.
At the end of a replay the tally is flushed, so gift streaks still open are counted; Play, Step and
Finish are then disabled (their tooltip and the status say why) and Restart plays the log again into a
new tally of the same context, plugins and host.

The speed is typed or picked (``60``, ``600×``, ``max``): a speed that is not a positive number is shown
beside the field and Play is disabled until it is fixed (`livemoney.widgets.state`). The figures are
always those of the tally's report, redrawn after every step.
"""

from __future__ import annotations

import collections
import datetime as dt
import math
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from livemoney.core.models import Event, Rejected, Valuation, to_guest
from livemoney.core.money import plain
from livemoney.core.records import timestamp
from livemoney.engine import api
from livemoney.engine.readers import read_events
from livemoney.engine.tally import LiveTally
from livemoney.errors import FieldError
from livemoney.html import box, esc, report_rows_html, table, td, tr, viewers_html
from livemoney.widgets.controls import WIDE, controls_row, name_classes
from livemoney.widgets.state import Field, Model
from livemoney.widgets.stream import MIX_TITLE, GiftMix, item_name, mix_chart, mix_html, timeline_chart

SPEEDS = (("1×", 1.0), ("10×", 10.0), ("60×", 60.0), ("600×", 600.0), ("max", math.inf))
MAX = ("max", "inf", "∞")
SPEED = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*[x×]?")
"""A typed speed: a number, maybe followed by ``×`` or ``x``."""
FEED = 12
"""How many of the latest valued events the feed shows."""


def _moment(item: Event | dict) -> dt.datetime | None:
    """When an item happened: an event's ``ts``, or a raw record's canonical ``ts`` field if it has one."""
    if isinstance(item, Event):
        return item.ts
    if isinstance(item, dict) and item.get("ts") is not None:
        try:
            return timestamp(item["ts"], "ts")
        except FieldError:
            return None
    return None


def speed_text(speed: float) -> str:
    """``60×`` for 60.0, ``max`` for infinity."""
    return "max" if math.isinf(speed) else f"{speed:g}×"


def read_speed(text: str) -> float:
    """A typed speed: ``60``, ``60×``, ``60x`` (stream seconds per wall second) or ``max``."""
    cleaned = text.strip().lower()
    if cleaned in MAX:
        return math.inf
    number = SPEED.fullmatch(cleaned)
    if number is None:
        raise ValueError(f"speed: {text!r} is not a speed such as 60, 600× or max")
    speed = float(number.group(1))
    if not speed > 0 or math.isnan(speed):
        raise ValueError(f"speed: {text!r} must be more than 0")
    return speed


def guest_mark(valuation: Valuation, host: str | None) -> str:
    """`` (to a guest)`` for a gift sent to a guest of a multi-guest LIVE, else nothing."""
    return " (to a guest)" if valuation.event is not None and to_guest(valuation.event, host) else ""


class Replay:
    """A recorded log (a path, or events and raw records) handed out by the stream's own clock."""

    def __init__(self, source: str | os.PathLike | Iterable[Event | dict | Rejected], pm: Any = None) -> None:
        self.source = source
        self.pm = pm
        items: Iterable[Any] = read_events(Path(source), pm=pm) if isinstance(source, (str, os.PathLike)) else source
        self._items: Iterator[Any] = iter(items)
        self._next: Any = None
        self._has_next = False
        self.start: dt.datetime | None = None
        self.clock = dt.timedelta(0)
        """How far into the stream the replay is (stream time, not wall time)."""
        self.last: dt.datetime | None = None
        self.done = False
        self.played = 0

    def _peek(self) -> bool:
        if not self._has_next and not self.done:
            try:
                self._next = next(self._items)
                self._has_next = True
            except StopIteration:
                self.done = True
        return self._has_next

    def _take(self) -> Any:
        item = self._next
        self._next, self._has_next = None, False
        moment = _moment(item)
        if moment is not None:
            self.start = self.start or moment
            self.last = moment
        self.played += 1
        return item

    @property
    def replayable(self) -> bool:
        """Whether the source can be played again from the start (a path, or a list or tuple)."""
        return isinstance(self.source, (str, os.PathLike, list, tuple))

    def _catch_up(self) -> None:
        if self.start is not None and self.last is not None:
            self.clock = max(self.clock, self.last - self.start)

    def take(self, n: int) -> list[Any]:
        """The next ``n`` items whatever their time; the clock moves to the last one's."""
        taken: list[Any] = []
        while len(taken) < n and self._peek():
            taken.append(self._take())
        self._catch_up()
        return taken

    def until(self, clock: dt.timedelta | None) -> list[Any]:
        """The items due by ``clock`` into the stream (``None``: all the rest); an item without a time is
        due with the one before."""
        if clock is not None:
            self.clock = max(self.clock, clock)
        taken = []
        while self._peek():
            moment = _moment(self._next)
            due = clock is None or moment is None or self.start is None or moment - self.start <= self.clock
            if not due:
                break
            taken.append(self._take())
        self._catch_up()
        return taken


class LiveDashboard:
    """A `LiveTally`'s report as it grows: totals, timeline, top viewers, gift mix, the latest events.

    :param tally: the tally to show (default: a new one in USD).
    :param replay: a recorded log to play into the tally (a path, or events and raw records).
    :param speed: stream seconds per wall second (``math.inf``: everything at once).
    :param tick: how often (wall seconds) the play thread adds the events due and redraws.
    """

    def __init__(
        self,
        tally: LiveTally | None = None,
        replay: str | os.PathLike | Iterable[Event | dict] | None = None,
        speed: float = 60.0,
        *,
        tick: float = 0.5,
        freq: str = "1min",
        top: int = 5,
    ) -> None:
        self.tally = tally or LiveTally()
        self.replay = Replay(replay, self.tally.pm) if replay is not None else None
        self.mix = GiftMix(self.tally.context.currency)
        self.feed: collections.deque[tuple[str, Valuation]] = collections.deque(maxlen=FEED)
        self.rejected: list[Rejected] = []
        self.freq = freq
        self.top = top
        self.tick = tick
        self.added = 0
        self._flushed = False
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.names = {platform.key: platform.name for platform in api.platforms(self.tally.pm)}
        self.speed = widgets.Combobox(
            value=speed_text(speed),
            options=[label for label, _ in SPEEDS],
            description="Speed",
            placeholder="60×, 600× or max",
            ensure_option=False,
            continuous_update=False,
            style=WIDE,
            layout=widgets.Layout(width="200px"),
        )
        self.play_button = widgets.Button(description="Play", icon="play")
        self.pause_button = widgets.Button(description="Pause", icon="pause")
        self.step_button = widgets.Button(description="Step 10")
        self.finish_button = widgets.Button(description="Finish")
        self.restart_button = widgets.Button(description="Restart", icon="refresh")
        self.status = widgets.HTML()
        self.controls_status = widgets.HTML()
        self.totals = widgets.HTML()
        self.timeline = widgets.HTML()
        self.viewers = widgets.HTML()
        self.recent = widgets.HTML()
        self.mix_chart = widgets.HTML()
        self.mix_table = widgets.HTML()
        self.output = widgets.Output()
        name_classes(
            self,
            "speed",
            "play_button",
            "pause_button",
            "step_button",
            "finish_button",
            "restart_button",
            "status",
            "totals",
            "timeline",
            "viewers",
            "recent",
            "mix_chart",
            "mix_table",
        )
        self.play_button.on_click(lambda _: self._run(self.play))
        self.pause_button.on_click(lambda _: self._run(self.pause))
        self.step_button.on_click(lambda _: self._run(self.step, 10))
        self.finish_button.on_click(lambda _: self._run(self.finish))
        self.restart_button.on_click(lambda _: self._run(self.restart))
        self._speed = read_speed(self.speed.value)
        speed_field = Field("speed", self.speed, read_speed)
        self.model = Model(
            [speed_field], self._set_speed, self._use_speed, [], self.controls_status, self.output, after=self._enable
        )
        buttons = [
            self.play_button,
            self.pause_button,
            self.step_button,
            self.finish_button,
            self.restart_button,
            speed_field.box,
        ]
        self.widget = widgets.VBox(
            [
                controls_row(*buttons) if self.replay is not None else widgets.HBox([]),
                self.controls_status,
                self.status,
                self.totals,
                self.timeline,
                widgets.HBox([self.viewers, self.recent], layout=widgets.Layout(flex_flow="row wrap")),
                self.mix_chart,
                self.mix_table,
                self.output,
            ]
        )
        self.widget.add_class("lm-live-dashboard")
        self.model.update()
        self.refresh()

    @property
    def error(self) -> str | None:
        """The problem of the speed typed, if any (Play is disabled until it is fixed)."""
        return self.model.error

    def _set_speed(self, values: dict[str, Any]) -> float:
        return float(values["speed"])

    def _use_speed(self, speed: float) -> None:
        self._speed = speed

    def _enable(self) -> None:
        """Play, Step and Finish only while there is something to play; Play only at a valid speed."""
        done = self.replay is not None and self.replay.done and self._flushed
        finished = "the replay is finished (every event is counted): Restart plays it again"
        for button in (self.play_button, self.step_button, self.finish_button):
            button.disabled = done
            button.tooltip = finished if done else ""
        if not done and self.model.stale:
            self.play_button.disabled = True
            self.play_button.tooltip = f"fix the speed first: {self.model.error}"
        can_restart = self.replay is not None and self.replay.replayable
        self.restart_button.disabled = not can_restart
        self.restart_button.tooltip = "" if can_restart else "this replay's events cannot be played again"

    # --- feeding the tally ----------------------------------------------------------------

    def add(self, item: Event | dict, refresh: bool = True) -> list[Valuation | Rejected]:
        """Give one event or raw record to the tally; what it completed is counted in the views."""
        with self._lock:
            results = self.tally.add(item)
            self._count(results, item)
            if refresh:
                self.refresh()
            return results

    def _count(self, results: list[Valuation | Rejected], item: Any) -> None:
        self.added += 1
        for result in results:
            if isinstance(result, Rejected):
                self.rejected.append(result)
                continue
            # a gift to a guest of a multi-guest LIVE is the guest's: in the feed, marked, not in the mix
            guest = result.event is not None and to_guest(result.event, self.tally.host)
            if not guest:
                self.mix.add(result)
            # an identical earlier event may stand for this one: name the viewer of the item added
            viewer = item.viewer if isinstance(item, Event) and len(results) == 1 else None
            if result.kind != "like":  # likes earn nothing and would flood the feed
                self.feed.appendleft((viewer or "", result))

    def _feed(self, items: list[Any]) -> int:
        with self._lock:
            for item in items:
                # events, raw records, and the reader's Skipped and Rejected records: the tally counts all
                self._count(self.tally.add(item), item)
            if self.replay is not None and self.replay.done and not self._flushed:
                self._flushed = True
                for result in self.tally.flush():
                    if isinstance(result, Valuation):
                        if not (result.event is not None and to_guest(result.event, self.tally.host)):
                            self.mix.add(result)
                        self.feed.appendleft(("", result))
            return len(items)

    def step(self, n: int = 1) -> int:
        """Play the next ``n`` items of the replay at once; how many were played."""
        played = self._feed(self._replay().take(n))
        self.refresh()
        return played

    def advance(self, seconds: float) -> int:
        """Play what is due after ``seconds`` more of wall time at the chosen speed; how many were played."""
        replay = self._replay()
        speed = self._speed
        if math.isinf(speed):
            played = self._feed(replay.until(None))
        else:
            played = self._feed(replay.until(replay.clock + dt.timedelta(seconds=seconds * speed)))
        self.refresh()
        return played

    def finish(self) -> int:
        """Play the rest of the replay and flush the tally."""
        self.pause()
        played = self._feed(self._replay().until(None))
        self.refresh()
        return played

    def play(self) -> None:
        """Play in the background at the chosen speed (at ``max``, everything now, in this thread).

        Nothing to do once the replay is finished (see `restart`), nor while the speed typed is invalid."""
        if self.model.stale or (self._replay().done and self._flushed):
            self._enable()
            return
        if math.isinf(self._speed):
            self.finish()
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._play, name="livemoney-replay", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        """Stop the background play (the replay keeps its place)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None

    def _play(self) -> None:
        with self.output:
            last = time.monotonic()
            while not self._stop.wait(self.tick):
                now = time.monotonic()
                self.advance(now - last)
                last = now
                if self._replay().done:
                    break

    def restart(self) -> None:
        """Play the replay again from the start, into a new tally of the same context, plugins and host."""
        replay = self._replay()
        if not replay.replayable:
            raise ValueError("this replay's events cannot be played again (give a path, a list or a tuple)")
        self.pause()
        with self._lock:
            self.tally = LiveTally(self.tally.context, self.tally.pm, host=self.tally.host)
            self.replay = Replay(replay.source, replay.pm)
            self.mix = GiftMix(self.tally.context.currency)
            self.feed.clear()
            self.rejected = []
            self.added = 0
            self._flushed = False
        self.refresh()

    def _replay(self) -> Replay:
        if self.replay is None:
            raise ValueError("this dashboard has no replay: give LiveDashboard(tally, replay=PATH)")
        return self.replay

    def _run(self, action: Any, *args: Any) -> None:
        with self.output:
            action(*args)

    # --- the views ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Redraw every view from the tally's report."""
        with self._lock:
            report = self.tally.report()
            mix = self.mix.lines()
            feed = list(self.feed)
        currency = report.currency
        after = f"; {len(self.rejected)} bad lines in the replayed log" if self.rejected else ""
        if report.held:  # counted when its streak ends or at the flush (`Report.held`)
            after += f"; {report.held} held back (open gift streaks), counted when they end"
        where = ""
        if self.replay is not None:
            whole_seconds = dt.timedelta(seconds=int(self.replay.clock.total_seconds()))
            state = "finished" if self.replay.done else f"{whole_seconds} into the stream"
            where = f", replay {state}"
        self.status.value = box(
            f'<div class="lm-title">Viewers paid <span class="lm-gross">{esc(plain(report.gross))}</span> '
            f'{esc(currency)}, the creator keeps <span class="lm-net">{esc(plain(report.net))}</span> '
            f"{esc(currency)}</div>",
            f'<div class="lm-muted">{self.added} records added{esc(where)}; {esc(report.counts_line())}'
            f"{after}</div>",
        )
        self.totals.value = (
            box(report_rows_html(report, names=self.names))
            if report.rows
            else box('<div class="lm-muted">no events valued yet</div>')
        )
        self.timeline.value = timeline_chart(report, self.freq)
        leaders = report.top_viewers(self.top)
        self.viewers.value = box(
            '<div class="lm-title">Top viewers</div>',
            viewers_html(leaders) if leaders else '<div class="lm-muted">none yet</div>',
        )
        host = self.tally.host
        rows = [
            tr(
                [
                    td(esc(viewer), "lm-viewer"),
                    td(
                        esc(
                            f"{self.names.get(valuation.platform, valuation.platform)} · {item_name(valuation.event)}"
                            f"{guest_mark(valuation, host)}"
                        )
                    ),
                    td("unknown" if valuation.unknown else esc(plain(valuation.net.rounded())), "lm-net", numeric=True),
                ]
            )
            for viewer, valuation in feed
        ]
        self.recent.value = box(
            '<div class="lm-title">Latest</div>',
            table(["viewer", "what", f"net ({esc(currency)})"], rows, (2,), cls="lm-feed"),
        )
        self.mix_chart.value = mix_chart(mix, currency, self.names)
        self.mix_table.value = box(f'<div class="lm-title">{esc(MIX_TITLE)}</div>', mix_html(mix, currency, self.names))
        self._enable()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
