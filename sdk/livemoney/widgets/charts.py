"""Charts as inline SVG: matplotlib draws, the SVG goes in an ``ipywidgets.HTML``.

No JavaScript extension and no network: the same markup shows in JupyterLab, Voilà and a static HTML
export. Text stays text (``svg.fonttype = none``), so the numbers on a chart can be read from the page,
and matplotlib escapes it as XML. Labels are never parsed as mathtext, so a ``$`` in a name is a ``$``.
Amounts are exact decimal strings on the labels; floats are used only for the bars' lengths.

A party keeps its colour everywhere (`party_color`): in every chart of every dashboard, whatever the
order in which parties appear. An empty chart says so instead of drawing an axis around nothing.
Time axes tick at whole minutes or hours (their own locator: matplotlib's automatic one warns on a
range of a minute or two), in UTC or the time zone asked for.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
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
NET = COLORS[0]
GROSS = COLORS[4]
PARTY_COLORS = {
    "Creator": NET,
    "net": NET,
    "gross": GROSS,
    "App store": COLORS[2],
    "TikTok": COLORS[1],
    "YouTube": COLORS[3],
    "Meta": COLORS[5],
    "Agency": COLORS[6],
}
"""The colour of each party the bundled plugins and the dashboards name."""
OTHER_COLORS = ("#332288", "#117733", "#44aa99", "#999933", "#cc6677", "#882255", "#aa4499", "#ddcc77", "#88ccee")
"""Paul Tol's muted scheme, for the parties other plugins name (chosen by the name: see `party_color`)."""


def party_color(party: str) -> str:
    """The colour of ``party``: its own in `PARTY_COLORS`, else one of `OTHER_COLORS` picked by a checksum
    of the name (so the same on every render, in every dashboard, in every session)."""
    found = PARTY_COLORS.get(party)
    if found is not None:
        return found
    return OTHER_COLORS[zlib.crc32(party.encode("utf-8")) % len(OTHER_COLORS)]


RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "livemoney",
    "font.size": 9,
    "font.family": "sans-serif",
}
WIDTH = 9.0
CHAR_INCHES = 0.065
"""About the width of a character of a 9-point label, to leave room for the longest."""


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


def _empty(axes: Any, message: str) -> None:
    """An empty chart: ``message`` in the middle, no axis (no scale around nothing, such as -0.04 to 0.04)."""
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#666666")
    axes.set_axis_off()


def stacked_bars(
    labels: Sequence[str],
    stacks: Mapping[str, Sequence[Decimal]],
    totals: Sequence[str],
    title: str,
    unit: str,
    width: float = WIDTH,
    empty: str = "nothing to show",
) -> str:
    """Horizontal bars, one a label, each made of ``stacks`` (party → amount per label), ``totals`` at the end.

    The first stack is drawn first (the creator's net); a label's total text is written after its bar.
    Each party has its `party_color`. Without labels, the chart says ``empty``.
    """
    with matplotlib.rc_context(RC):
        height = 1.3 + 0.3 * max(len(labels), 1)
        figure = Figure(figsize=(width, height))
        # fixed margins from the labels' length (a constrained layout costs more than the drawing)
        margin = min(0.6, (0.25 + CHAR_INCHES * max((len(label) for label in labels), default=0)) / width)
        top = 1 - (0.8 if len(stacks) > 1 else 0.45) / height
        figure.subplots_adjust(left=margin, right=0.98, top=top, bottom=0.5 / height)
        axes = figure.add_subplot()
        if not labels:
            _empty(axes, empty)
            axes.set_title(title, loc="left", parse_math=False)
            return svg(figure)
        positions = list(range(len(labels)))
        left = [0.0] * len(labels)
        for party, amounts in stacks.items():
            widths = [float(value) for value in amounts]
            axes.barh(positions, widths, left=left, color=party_color(party), label=party, height=0.7)
            left = [start + length for start, length in zip(left, widths)]
        for position, end, text in zip(positions, left, totals):
            axes.text(end, position, f" {text}", va="center", ha="left", parse_math=False, gid="lm-bar-label")
        axes.set_yticks(positions, labels=list(labels), parse_math=False)
        axes.invert_yaxis()
        axes.set_xlabel(unit, parse_math=False)
        axes.set_title(title, loc="left", parse_math=False)
        # room after the longest bar for its total (fixed margins: the layout does not make it)
        longest = max(left, default=0.0)
        axes.set_xlim(0, longest * 1.22 if longest > 0 else 1)
        axes.spines[["top", "right"]].set_visible(False)
        if len(stacks) > 1:
            anchor = (0.98, 1 - 0.05 / height)
            figure.legend(loc="upper right", bbox_to_anchor=anchor, frameon=False, ncols=len(stacks), fontsize=8)
        return svg(figure)


STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)
"""Tick steps of a time axis, in minutes (one minute to a week)."""
MAX_TICKS = 8


def _time_axis(axes: Any, first: dt.datetime, last: dt.datetime, width_minutes: int, tz: dt.tzinfo) -> None:
    """Ticks at whole steps (`STEPS`) over ``first`` to ``last`` plus a bin, at most `MAX_TICKS`, labelled in
    ``tz``; the range is at least 6 bins wide, so one bin is a bar and not the whole axis."""
    width = dt.timedelta(minutes=width_minutes)
    span = max(last + width - first, 6 * width)
    pad = (span - (last + width - first)) / 2 + width / 2
    start, end = first - pad, last + width + pad
    minutes = (end - start).total_seconds() / 60
    step = next((step for step in STEPS if minutes / step <= MAX_TICKS), STEPS[-1])
    locator: Any
    if step < 60:
        locator = matplotlib.dates.MinuteLocator(byminute=range(0, 60, step), tz=tz)
    elif step < 1440:
        locator = matplotlib.dates.HourLocator(byhour=range(0, 24, step // 60), tz=tz)
    else:
        locator = matplotlib.dates.DayLocator(interval=step // 1440, tz=tz)
    pattern = "%H:%M" if step < 1440 and end - start <= dt.timedelta(days=1) else "%m-%d %H:%M"
    if step >= 1440:
        pattern = "%Y-%m-%d"
    bounds: Any = (start, end)  # times, which matplotlib's date converter takes (its hints say numbers)
    axes.set_xlim(*bounds)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(matplotlib.dates.DateFormatter(pattern, tz=tz))


def timeline(
    points: Sequence[tuple[dt.datetime, Decimal, Decimal]],
    title: str,
    unit: str,
    width_minutes: int,
    tz: dt.tzinfo = dt.UTC,
    zone: str = "UTC",
) -> str:
    """Bars of gross and net per bin (``points``: bin start, gross, net); the times shown in ``tz`` (named
    ``zone`` on the axis).

    Each series is one filled step outline over consecutive bins (bins without events are 0), not a patch a
    bar: a day of one-minute bins draws as fast as an hour's.
    """
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(WIDTH, 2.6))
        figure.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.2)
        axes = figure.add_subplot()
        if points:
            step = dt.timedelta(minutes=width_minutes)
            first, last = points[0][0], points[-1][0]
            count = int((last - first) / step) + 1
            gross = [0.0] * count
            net = [0.0] * count
            for start, bin_gross, bin_net in points:
                at = int((start - first) / step)
                gross[at], net[at] = float(bin_gross), float(bin_net)
            edges = matplotlib.dates.date2num([first + step * index for index in range(count + 1)])
            axes.stairs(gross, edges, fill=True, color=GROSS, label="gross")
            axes.stairs(net, edges, fill=True, color=NET, label="net")
            axes.legend(loc="upper right", frameon=False, fontsize=8)
            _time_axis(axes, first, last, width_minutes, tz)
            axes.set_xlabel(zone, parse_math=False)
            axes.set_ylabel(unit, parse_math=False)
            axes.spines[["top", "right"]].set_visible(False)
        else:
            _empty(axes, "no timed events")
        axes.set_title(title, loc="left", parse_math=False)
        return svg(figure)
