"""The stream dashboard: a valued log as totals per platform and kind, a timeline, top viewers, gift mix.

    from livemoney.widgets import StreamDashboard
    dash = StreamDashboard("stream.jsonl")          # or a list of paths, a list of events, a Report
    dash.platform.value = "youtube"                  # every view shows YouTube only
    dash.currency.value = "EUR"                      # the log is valued again in euros
    dash.report.net, dash.mix[0]

A log (or a list of events) is valued once per currency, with one `Report` for all platforms and one
per platform, so that the platform filter applies to the timeline and the top viewers too. Given a
`Report` alone, the dashboard shows what it holds: its currency only, and the filter applies to the
totals (a report keeps no per-platform timeline, viewers or gift names).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import ipywidgets as widgets

from livemoney.core.fx import offered_currencies
from livemoney.core.models import Event, Rejected, Skipped, Valuation, to_guest
from livemoney.core.money import Money, plain
from livemoney.engine import api
from livemoney.engine.readers import read_events
from livemoney.engine.report import Report
from livemoney.engine.valuer import Valuer
from livemoney.html import box, esc, report_rows_html, table, td, tr, viewers_html
from livemoney.pluginsys.manager import PluginManager, default_manager
from livemoney.widgets import charts

ALL = "all"
"""The platform filter's value for every platform (and the key of the whole log's report)."""
FREQS = {"1min": 1, "5min": 5, "15min": 15, "1h": 60}
"""The timeline's bin widths, in minutes."""
MIX_CHART_ROWS = 12
MIX_CHART_WIDTH = 6.0
"""Inches: the gift mix chart sits beside the leaderboard."""


def item_name(event: Event | None) -> str:
    """What a payment was for: the gift's or feature's name, the brand, the product; ``likes`` for likes."""
    if event is None:
        return "?"
    for field in ("gift", "feature", "brand", "product"):
        value = getattr(event, field, None)
        if value:
            return value
    return "likes" if event.kind == "like" else event.kind


@attrs.frozen(slots=True)
class MixLine:
    """What one gift (or feature, brand, product) brought on one platform: events, items, gross, net.

    ``items`` adds up the events' counts (a streak of 5 Roses is 1 event, 5 items); ``unknown`` counts
    events whose valuation is unknown (their amounts are not in ``gross`` and ``net``).
    """

    platform: str
    kind: str
    name: str
    events: int
    items: int
    gross: Money
    net: Money
    unknown: int


class GiftMix:
    """Sums valuations per platform, kind and gift name, for the gift mix of a stream."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.zero = Money.zero(currency).rounded().amount
        self._lines: dict[tuple[str, str, str], list[Any]] = {}

    def add(self, valuation: Valuation) -> None:
        """Count one valued event (``valuation.event`` names the gift: identical events share a valuation)."""
        event = valuation.event
        key = (valuation.platform, valuation.kind, item_name(event))
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = [0, 0, self.zero, self.zero, 0]
        line[0] += 1
        line[1] += getattr(event, "count", 1)
        if valuation.unknown:
            line[4] += 1
        else:
            line[2] += valuation.gross.amount
            line[3] += valuation.net.amount

    def lines(self, platform: str = ALL) -> list[MixLine]:
        """The mix (of one platform when given), by net then gross, highest first."""
        found = [
            MixLine(p, kind, name, events, items, Money(gross, self.currency).rounded(),
                    Money(net, self.currency).rounded(), unknown)
            for (p, kind, name), (events, items, gross, net, unknown) in self._lines.items()
            if platform == ALL or p == platform
        ]
        return sorted(
            found, key=lambda line: (-line.net.amount, -line.gross.amount, -line.events, line.platform, line.name)
        )


def mix_html(lines: Sequence[MixLine], currency: str) -> str:
    """The gift mix table: platform, kind, name, events, items, gross, net, unknown events."""
    rows = [
        tr(
            [
                td(esc(line.platform)),
                td(esc(line.kind)),
                td(esc(line.name), "lm-gift"),
                td(str(line.events), numeric=True),
                td(str(line.items), numeric=True),
                td(esc(plain(line.gross)), "lm-gross", numeric=True),
                td(esc(plain(line.net)), "lm-net", numeric=True),
                td(str(line.unknown) if line.unknown else "", "lm-unknown", numeric=True),
            ],
            data_platform=line.platform,
            data_kind=line.kind,
        )
        for line in lines
    ]
    headers = [
        "platform",
        "kind",
        "gift / feature",
        "events",
        "items",
        f"gross ({esc(currency)})",
        f"net ({esc(currency)})",
        "unknown",
    ]
    return table(headers, rows, (3, 4, 5, 6, 7), cls="lm-mix")


def mix_chart(lines: Sequence[MixLine], currency: str) -> str:
    """The gifts that earned the creator most, as bars of net (at most `MIX_CHART_ROWS`)."""
    top = [line for line in lines if line.net.amount > 0][:MIX_CHART_ROWS]
    return charts.stacked_bars(
        [f"{line.platform} · {line.name}" for line in top],
        {"net": [line.net.amount for line in top]},
        [plain(line.net) for line in top],
        f"Gift mix: what each gift earned the creator ({currency})",
        currency,
        width=MIX_CHART_WIDTH,
    )


def timeline_chart(report: Report, freq: str) -> str:
    points = [(start, gross.amount, net.amount) for start, gross, net in report.timeline(freq)]
    title = f"Per {freq} (UTC): gross {plain(report.gross)}, net {plain(report.net)} {report.currency}"
    return charts.timeline(points, title, report.currency, FREQS[freq])


@attrs.frozen(slots=True, eq=False)
class Valued:
    """A stream valued in one currency: the report of all platforms (key `ALL`), one per platform,
    and the gift mix (``None`` when only a `Report` was given)."""

    reports: Mapping[str, Report]
    mix: GiftMix | None


def value_stream(
    items: Iterable[Event | Skipped | Rejected], context: Any, pm: PluginManager, host: str | None = None
) -> Valued:
    """Value ``items`` once into a report for all platforms, one per platform, and the gift mix (gifts to
    a guest of a multi-guest LIVE are in the reports' guest rows, not in the mix)."""
    everything = Valuer(context, pm, on_error="skip", host=host)
    per_platform: dict[str, Valuer] = {}
    mix = GiftMix(context.currency)
    for item in items:
        if isinstance(item, Rejected):
            everything.reject(item)
            continue
        if isinstance(item, Skipped):
            everything.skip(item)
            continue
        found = everything.add(item)
        if item.platform in everything.known:
            valuer = per_platform.get(item.platform)
            if valuer is None:
                valuer = per_platform[item.platform] = Valuer(
                    context, pm, known=everything.known, on_error="skip", host=host
                )
            valuer.add(item)
        if isinstance(found, Valuation) and not to_guest(item, host):
            mix.add(found)
    reports: dict[str, Report] = {ALL: everything.report()}
    reports.update((platform, valuer.report()) for platform, valuer in per_platform.items())
    return Valued(reports, mix)


class StreamDashboard:
    """Totals, timeline, top viewers and gift mix of a valued log, with a platform filter and a currency.

    :param source: a log's path, a list of paths, a list of `Event` objects, or a `Report`.
    :param currency: the report currency (default: the report's, else USD).
    :param as_of, settings, input_format, platform, host: as for `livemoney.value`.
    :param top: how many viewers the leaderboard shows.
    """

    def __init__(
        self,
        source: Report | str | os.PathLike | Sequence[str | os.PathLike] | Sequence[Event],
        currency: str | None = None,
        *,
        as_of: dt.date | str | None = None,
        settings: Mapping[str, Any] | None = None,
        input_format: str = "auto",
        platform: str | None = None,
        pm: PluginManager | None = None,
        freq: str = "1min",
        top: int = 10,
        host: str | None = None,
    ) -> None:
        self.pm = pm or default_manager()
        self.host = host
        self.as_of = as_of
        self.settings = dict(settings or {})
        self.input_format = input_format
        self.default_platform = platform
        self._cache: dict[str, Valued] = {}
        self._quiet = False
        if isinstance(source, Report):
            self._source: Any = None
            currency = source.currency
            self._cache[currency] = Valued({ALL: source}, None)
            currencies = [currency]
        else:
            if isinstance(source, (str, os.PathLike)):
                source = [source]
            self._source = [Path(item) if isinstance(item, (str, os.PathLike)) else item for item in source]
            currency = (currency or "USD").strip().upper()
            currencies = [currency]  # until the log is valued: then those with a rate on its dates
        self.currency = widgets.Dropdown(options=currencies, value=currency, description="Currency")
        self.currency.disabled = isinstance(source, Report)
        self.platform = widgets.Dropdown(options=[("all platforms", ALL)], value=ALL, description="Platform")
        self.freq = widgets.Dropdown(options=list(FREQS), value=freq, description="Timeline bin")
        self.top = widgets.BoundedIntText(value=top, min=1, max=1000, description="Top viewers")
        self.summary = widgets.HTML()
        self.totals = widgets.HTML()
        self.timeline = widgets.HTML()
        self.viewers = widgets.HTML()
        self.mix_table = widgets.HTML()
        self.mix_chart = widgets.HTML()
        self.output = widgets.Output()
        for name in (
            "currency",
            "platform",
            "freq",
            "top",
            "summary",
            "totals",
            "timeline",
            "viewers",
            "mix_table",
            "mix_chart",
        ):
            getattr(self, name).add_class(f"lm-{name.replace('_', '-')}")
        self.valued: Valued = self._valued(currency)
        if self._source is not None:
            days = {moment.date() for moment in self.valued.reports[ALL].bins}
            self.currency.options = sorted({*offered_currencies(days), currency})
            self.currency.value = currency
        self._set_platforms()
        self.currency.observe(self._currency_changed, names="value")
        for control in (self.platform, self.freq, self.top):
            control.observe(self._view_changed, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.platform, self.currency, self.freq, self.top]),
                self.summary,
                self.totals,
                self.timeline,
                widgets.HBox([self.viewers, self.mix_chart]),
                self.mix_table,
                self.output,
            ]
        )
        self.widget.add_class("lm-stream-dashboard")
        self.show()

    # --- the model ------------------------------------------------------------------------

    def _valued(self, currency: str) -> Valued:
        found = self._cache.get(currency)
        if found is None:
            context = api.context(currency, self.as_of, self.settings, self.pm)
            found = self._cache[currency] = value_stream(self._items(), context, self.pm, self.host)
        return found

    def _items(self) -> Iterable[Event | Skipped | Rejected]:
        for item in self._source:
            if isinstance(item, Path):
                yield from read_events(item, self.input_format, self.default_platform, self.pm)
            else:
                yield item

    def _set_platforms(self) -> None:
        report = self.valued.reports[ALL]
        present = {row.platform for row in report.rows}
        keys = [p.key for p in api.platforms(self.pm) if p.key in present] + sorted(
            present - {p.key for p in api.platforms(self.pm)}
        )
        chosen = self.platform.value if self.platform.value in keys else ALL
        self._quiet = True  # new options reset the value: show once, at the end
        try:
            self.platform.options = [("all platforms", ALL), *((key, key) for key in keys)]
            self.platform.value = chosen
        finally:
            self._quiet = False

    @property
    def report(self) -> Report:
        """The report of the chosen platform (all platforms: the whole log)."""
        return self.valued.reports.get(self.platform.value) or self.valued.reports[ALL]

    @property
    def per_platform(self) -> bool:
        """Whether the views other than the totals follow the platform filter (not for a lone `Report`)."""
        return self.platform.value in self.valued.reports

    @property
    def mix(self) -> list[MixLine]:
        """The gift mix of the chosen platform, highest net first (empty for a lone `Report`)."""
        return self.valued.mix.lines(self.platform.value) if self.valued.mix is not None else []

    def leaderboard(self) -> list[tuple[str, Money, Money, int]]:
        """``(viewer, gross, net, events)`` of the top viewers of the chosen platform."""
        return self.report.top_viewers(self.top.value)

    def show(self) -> None:
        """Render every view from the model."""
        report = self.report
        chosen = self.platform.value
        whole = self.valued.reports[ALL]
        scope = "all platforms" if chosen == ALL else chosen
        note = (
            "" if self.per_platform else " (this report has no per-platform timeline or viewers: all platforms shown)"
        )
        headline = (
            f"{scope}: viewers paid {plain(report.gross)} {report.currency}, the creator keeps "
            f"{plain(report.net)} {report.currency}{note}"
        )
        lines = [headline, whole.counts_line()]
        if report.unknown:
            lines.append(f"{report.unknown} events of unknown value (not in the amounts)")
        self.summary.value = box(
            *(f'<div class="lm-title">{esc(line)}</div>' for line in lines[:1]),
            *(f'<div class="lm-muted">{esc(line)}</div>' for line in lines[1:]),
        )
        rows_of = None if chosen == ALL else [chosen]
        self.totals.value = box(
            '<div class="lm-title">Totals per platform and kind</div>', report_rows_html(whole, rows_of)
        )
        self.timeline.value = timeline_chart(report, self.freq.value)
        leaders = self.leaderboard()
        self.viewers.value = box(
            '<div class="lm-title">Top viewers (by what the creator keeps)</div>',
            viewers_html(leaders) if leaders else '<div class="lm-muted">no viewer names</div>',
        )
        if self.valued.mix is None:
            self.mix_chart.value = ""
            self.mix_table.value = box(
                '<div class="lm-muted">gift mix: a report keeps no gift names; '
                "give the dashboard the log to see them</div>"
            )
        else:
            lines_ = self.mix
            self.mix_chart.value = mix_chart(lines_, report.currency)
            self.mix_table.value = box('<div class="lm-title">Gift mix</div>', mix_html(lines_, report.currency))

    def _currency_changed(self, change: dict[str, Any]) -> None:
        with self.output:
            self.valued = self._valued(change["new"])
            self._set_platforms()
            self.show()

    def _view_changed(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        with self.output:
            self.show()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
