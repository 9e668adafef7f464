"""Charts as inline SVG: matplotlib draws, the SVG goes in an ``ipywidgets.HTML``.

No JavaScript extension and no network: the same markup shows in JupyterLab, Voilà and a static HTML
export. Text stays text (``svg.fonttype = none``), so the numbers on a chart can be read from the page,
and matplotlib escapes it as XML. Labels are never parsed as mathtext, so a ``$`` in a name is a ``$``.
Amounts are exact decimal strings on the labels; floats are used only for the bars' lengths.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import matplotlib
import matplotlib.dates
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

COLORS = ("#4477aa", "#ee6677", "#ccbb44", "#aa3377", "#bbbbbb", "#66ccee", "#228833")
"""Paul Tol's bright scheme: distinguishable with colour blindness. Net is always the first."""
RC: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "livemoney", "font.size": 9, "font.family": "sans-serif"}
WIDTH = 9.0


def svg(figure: Figure) -> str:
    """``figure`` as an ``<svg>`` element (no XML prolog), the same bytes for the same figure."""
    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(height: float, width: float = WIDTH) -> Figure:
    with matplotlib.rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")


def stacked_bars(
    labels: Sequence[str],
    stacks: Mapping[str, Sequence[Decimal]],
    totals: Sequence[str],
    title: str,
    unit: str,
    width: float = WIDTH,
) -> str:
    """Horizontal bars, one a label, each made of ``stacks`` (party → amount per label), ``totals`` at the end.

    The first stack is drawn first (the creator's net); a label's total text is written after its bar.
    """
    with matplotlib.rc_context(RC):
        figure = _figure(1.2 + 0.32 * max(len(labels), 1), width)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        left = [0.0] * len(labels)
        for index, (party, amounts) in enumerate(stacks.items()):
            widths = [float(value) for value in amounts]
            axes.barh(positions, widths, left=left, color=COLORS[index % len(COLORS)], label=party, height=0.7)
            left = [start + width for start, width in zip(left, widths)]
        for position, end, text in zip(positions, left, totals):
            axes.text(end, position, f" {text}", va="center", ha="left", parse_math=False, gid="lm-bar-label")
        axes.set_yticks(positions, labels=list(labels), parse_math=False)
        axes.invert_yaxis()
        axes.set_xlabel(unit, parse_math=False)
        axes.set_title(title, loc="left", parse_math=False)
        axes.margins(x=0.18)
        axes.spines[["top", "right"]].set_visible(False)
        if len(stacks) > 1:
            figure.legend(loc="outside upper right", frameon=False, ncols=len(stacks), fontsize=8)
        return svg(figure)


def timeline(points: Sequence[tuple[dt.datetime, Decimal, Decimal]], title: str, unit: str, width_minutes: int) -> str:
    """Bars of gross and net per bin (``points``: bin start, gross, net), times in UTC."""
    with matplotlib.rc_context(RC):
        figure = _figure(2.6)
        axes = figure.add_subplot()
        if points:
            # Times and a time's width, which matplotlib's date converter takes (its type hints say numbers).
            width: Any = dt.timedelta(minutes=width_minutes)
            starts: Any = [start for start, _, _ in points]
            axes.bar(
                starts,
                [float(gross) for _, gross, _ in points],
                width=width,
                align="edge",
                color=COLORS[4],
                label="gross",
            )
            axes.bar(
                starts, [float(net) for _, _, net in points], width=width, align="edge", color=COLORS[0], label="net"
            )
            axes.legend(loc="upper right", frameon=False, fontsize=8)
            locator = matplotlib.dates.AutoDateLocator(maxticks=8)
            axes.xaxis.set_major_locator(locator)
            axes.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%H:%M", tz=dt.UTC))
        else:
            axes.text(0.5, 0.5, "no timed events", ha="center", va="center", transform=axes.transAxes)
        axes.set_xlabel("UTC")
        axes.set_ylabel(unit, parse_math=False)
        axes.set_title(title, loc="left", parse_math=False)
        axes.spines[["top", "right"]].set_visible(False)
        return svg(figure)
