"""The stream dashboard: a valued log as totals per platform and kind, a timeline, top viewers, gift mix.

    from livemoney.widgets import StreamDashboard
    dash = StreamDashboard("stream.jsonl")          # or a list of paths, a list of events, a Report
    dash.platform.value = "youtube"                  # every view shows YouTube only
    dash.currency.value = "EUR"                      # the log is valued again in euros, at once
    dash.report.net, dash.mix[0]

Under the widgets is a `livemoney.widgets.state.Model`: every change reads every control again and the
figures are recomputed from all of them; while a control is invalid (a setting the plugin refuses, no
rules' date) its problem is shown beside it and the figures are greyed (``dash.stale``).

The log is read once, keeping a row per valued event (`livemoney.engine.rows.EventRows`). A new
currency, rules' date or setting values each DISTINCT event once and sums the same rows again
(`livemoney.engine.revalue`, a rate card), so switching takes a fraction of a second even on 200,000
events; the result equals valuing the log again (``lm.value``), and the log is read again only where that
would not hold (see `livemoney.engine.revalue.revalue`). The platform filter applies to every view.
Given a `Report` alone, the dashboard shows what it holds: its currency and rules only, and the filter
applies to the totals (a report keeps no per-platform timeline, viewers or gift names).

The gift mix is gifts and donations (Super Chats, Stars): sponsorships, sales and likes are in the totals,
not in the mix, and gifts sent to a guest of a multi-guest LIVE are the guest's, not in it either.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import ipywidgets as widgets

from livemoney.core.fx import RateTable
from livemoney.core.models import Event, Valuation
from livemoney.core.money import Money, plain
from livemoney.engine import api
from livemoney.engine.report import Report
from livemoney.engine.revalue import Counted, report_of_rows, revalue, subset
from livemoney.engine.rows import EventRows
from livemoney.engine.valuer import value
from livemoney.html import box, esc, report_rows_html, table, td, tr, viewers_html
from livemoney.pluginsys.manager import PluginManager, default_manager
from livemoney.widgets import charts
from livemoney.widgets.controls import (
    WIDE,
    Currencies,
    as_date,
    code,
    controls_row,
    date_picker,
    rate_table,
    set_options,
)
from livemoney.widgets.settings import SettingsPanel
from livemoney.widgets.state import Field, Model

ALL = "all"
"""The platform filter's value for every platform (and the key of the whole log's report)."""
FREQS = {"1min": 1, "5min": 5, "15min": 15, "1h": 60}
"""The timeline's bin widths, in minutes."""
MIX_KINDS = ("gift", "donation")
"""What the gift mix counts: gifts and donations (not sponsorships, sales or likes)."""
MIX_TITLE = "Gift mix: gifts and donations (sponsorships, sales and likes are in the totals above)"
MIX_CHART_ROWS = 12
MIX_CHART_WIDTH = 6.0
"""Inches: the gift mix chart sits beside the leaderboard."""


def item_name(event: Event | None) -> str:
    """What a payment was for: the gift's or feature's name, the brand, the product; ``likes`` for likes."""
    if event is None:
        return "?"
    for field in ("gift", "feature", "brand", "product"):
        value_ = getattr(event, field, None)
        if value_:
            return value_
    return "likes" if event.kind == "like" else event.kind


@attrs.frozen(slots=True)
class MixLine:
    """What one gift (or feature) brought on one platform: events, items, gross, net.

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
    """Sums valuations of gifts and donations (`MIX_KINDS`) per platform, kind and name, for a gift mix."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.zero = Money.zero(currency).rounded().amount
        self._lines: dict[tuple[str, str, str], list[Any]] = {}

    def add(self, valuation: Valuation, times: int = 1, items: int | None = None) -> None:
        """Count ``times`` events valued ``valuation`` (its ``event`` names the gift: identical events share a
        valuation), carrying ``items`` in all (default: ``times`` × the event's count). Other kinds than
        gifts and donations are not counted."""
        if valuation.kind not in MIX_KINDS:
            return
        event = valuation.event
        key = (valuation.platform, valuation.kind, item_name(event))
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = [0, 0, self.zero, self.zero, 0]
        line[0] += times
        line[1] += items if items is not None else times * getattr(event, "count", 1)
        if valuation.unknown:
            line[4] += times
        else:
            line[2] += valuation.gross.amount * times
            line[3] += valuation.net.amount * times

    def lines(self, platform: str = ALL) -> list[MixLine]:
        """The mix (of one platform when given), by net then gross, highest first."""
        found = [
            MixLine(
                p,
                kind,
                name,
                events,
                items,
                Money(gross, self.currency).rounded(),
                Money(net, self.currency).rounded(),
                unknown,
            )
            for (p, kind, name), (events, items, gross, net, unknown) in self._lines.items()
            if platform == ALL or p == platform
        ]
        return sorted(
            found, key=lambda line: (-line.net.amount, -line.gross.amount, -line.events, line.platform, line.name)
        )


def mix_of_rows(rows: EventRows, currency: str) -> GiftMix:
    """The gift mix of the creator's events in ``rows`` (gifts to guests left out)."""
    mix = GiftMix(currency)
    counted = collections.Counter(itertools.compress(rows.entry, (not guest for guest in rows.guest)))
    for index, times in counted.items():
        valued = rows.valuations[index]
        mix.add(valued.valuation, times, times * valued.items)
    return mix


def mix_html(lines: Sequence[MixLine], currency: str, names: Mapping[str, str] | None = None) -> str:
    """The gift mix table: platform, kind, name, events, items, gross, net, unknown events."""
    names = names or {}
    rows = [
        tr(
            [
                td(esc(names.get(line.platform, line.platform))),
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


def mix_chart(lines: Sequence[MixLine], currency: str, names: Mapping[str, str] | None = None) -> str:
    """The gifts that earned the creator most, as bars of net (at most `MIX_CHART_ROWS`)."""
    names = names or {}
    top = [line for line in lines if line.net.amount > 0][:MIX_CHART_ROWS]
    return charts.stacked_bars(
        [f"{names.get(line.platform, line.platform)} · {line.name}" for line in top],
        {"net": [line.net.amount for line in top]},
        [plain(line.net) for line in top],
        f"Gift mix: what each gift earned the creator ({currency})",
        currency,
        width=MIX_CHART_WIDTH,
        empty="no gifts or donations yet",
    )


def timeline_chart(report: Report, freq: str, tz: dt.tzinfo = dt.UTC, zone: str = "UTC") -> str:
    """The report's gross and net per ``freq`` bin, the times shown in ``tz`` (named ``zone``)."""
    points = [(start, gross.amount, net.amount) for start, gross, net in report.timeline(freq)]
    title = f"Per {freq} ({zone}): gross {plain(report.gross)}, net {plain(report.net)} {report.currency}"
    return charts.timeline(points, title, report.currency, FREQS[freq], tz, zone)


@attrs.frozen(slots=True, eq=False)
class Valued:
    """A stream valued in one context: the events' rows (``None`` when only a `Report` was given) and the
    report of all of them."""

    rows: EventRows | None
    report: Report


@attrs.frozen(slots=True, eq=False)
class View:
    """What the stream dashboard shows: the whole log's report, the chosen platform's, its gift mix (``None``
    for a lone `Report`), and the controls they were computed from."""

    valued: Valued
    report: Report
    mix: GiftMix | None
    platform: str
    per_platform: bool
    values: Mapping[str, Any]

    @property
    def whole(self) -> Report:
        return self.valued.report


class StreamDashboard:
    """Totals, timeline, top viewers and gift mix of a valued log, with a platform filter, a currency, the
    rules' date and a settings panel.

    :param source: a log's path, a list of paths, a list of `Event` objects, or a `Report`.
    :param currency: the report currency, in any case (default: the report's, else USD).
    :param as_of: the date whose rules apply (default: each event's own date; the date picker changes it).
    :param settings, input_format, platform, host, rates, rate_fallback: as for `livemoney.value` (lines
        that cannot be read are counted and skipped, as ``on_error="skip"``).
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
        rates: str | os.PathLike | RateTable | None = None,
        rate_fallback: str | None = None,
    ) -> None:
        self.pm = pm or default_manager()
        self.host = host
        self.input_format = input_format
        self.default_platform = platform
        self.rates = rate_table(rates)
        self.rate_fallback = rate_fallback
        self.names = {p.key: p.name for p in api.platforms(self.pm)}
        self._cache: dict[tuple, Valued] = {}
        self._counted: Counted | None = None
        self._views: dict[tuple, tuple[Report, GiftMix | None]] = {}
        as_of = as_date(as_of)
        settings = dict(settings or {})
        self.currencies = Currencies(self.rates, rate_fallback)
        self.settings = SettingsPanel(self.pm, settings)
        if isinstance(source, Report):
            self._source: Any = None
            currency = source.currency
            self._given: Report | None = source
            first = Valued(None, source)
            as_of = source.as_of
        else:
            if isinstance(source, (str, os.PathLike)):
                source = [source]
            self._source = [Path(item) if isinstance(item, (str, os.PathLike)) else item for item in source]
            self._given = None
            currency = code(currency or "USD")
            first = self._read(currency, as_of, self.settings.overrides(self._initial_settings()))
        self._first = first
        days = {moment.date() for moment in first.report.bins}
        self.currencies.on(days or [None])
        self.currency = widgets.Dropdown(
            options=self.currencies.options(currency) if self._given is None else [(currency, currency)],
            value=currency,
            description="Currency",
            style=WIDE,
        )
        self.currency.disabled = self._given is not None
        self.as_of = date_picker(as_of, "Rules as of")
        self.as_of.disabled = self._given is not None
        self.platform = widgets.Dropdown(
            options=self._platform_options(first.report), value=ALL, description="Platform"
        )
        self.freq = widgets.Dropdown(options=list(FREQS), value=freq, description="Timeline bin")
        self.top = widgets.BoundedIntText(value=top, min=1, max=1000, description="Top viewers", style=WIDE)
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.totals = widgets.HTML()
        self.timeline = widgets.HTML()
        self.viewers = widgets.HTML()
        self.mix_table = widgets.HTML()
        self.mix_chart = widgets.HTML()
        self.output = widgets.Output()
        for name in (
            "currency",
            "as_of",
            "platform",
            "freq",
            "top",
            "status",
            "summary",
            "totals",
            "timeline",
            "viewers",
            "mix_table",
            "mix_chart",
        ):
            getattr(self, name).add_class(f"lm-{name.replace('_', '-')}")
        fields = [
            Field("platform", self.platform),
            Field("currency", self.currency, self._read_currency),
            Field("as_of", self.as_of),
            Field("freq", self.freq),
            Field("top", self.top),
            *(self.settings.fields if self._given is None else []),
        ]
        self.figures = widgets.VBox(
            [
                self.summary,
                self.totals,
                self.timeline,
                widgets.HBox([self.viewers, self.mix_chart], layout=widgets.Layout(flex_flow="row wrap")),
                self.mix_table,
            ]
        )
        self.figures.add_class("lm-figures")
        self.model = Model(fields, self._compute, self._render, [self.figures], self.status, self.output)
        by_name = self.model.fields
        self.widget = widgets.VBox(
            [
                controls_row(*(by_name[name].box for name in ("platform", "currency", "as_of", "freq", "top"))),
                *([self.settings.widget] if self._given is None else []),
                self.status,
                self.figures,
                self.output,
            ]
        )
        self.widget.add_class("lm-stream-dashboard")
        self.model.update()

    # --- reading and valuing ----------------------------------------------------------------

    def _initial_settings(self) -> dict[str, Any]:
        """The settings panel's values as given (checked when the panel was made)."""
        return {field.name: field.read(field.widget.value) for field in self.settings.fields}

    def _read(self, currency: str, as_of: dt.date | None, settings: Mapping[str, Any]) -> Valued:
        """The log valued in one context: from the first rows when that is exact, else read again."""
        key = (currency, as_of, tuple(sorted(settings.items(), key=lambda item: item[0])))
        found = self._cache.get(key)
        if found is not None:
            return found
        context = api.context(currency, as_of, settings, self.pm, rates=self.rates, rate_fallback=self.rate_fallback)
        first = getattr(self, "_first", None)
        again = None
        if first is not None and first.rows is not None:
            if self._counted is None:
                self._counted = Counted(first.rows)
            again = revalue(first.rows, first.report, context, self.pm, self._counted)
        if again is not None:
            found = Valued(*again)
        else:
            rows = EventRows()
            report = value(
                self._source,
                currency=currency,
                as_of=as_of,
                settings=dict(settings),
                pm=self.pm,
                input_format=self.input_format,
                platform=self.default_platform,
                on_error="skip",
                progress=False,
                host=self.host,
                rates=self.rates,
                rate_fallback=self.rate_fallback,
                rows=rows,
            )
            found = Valued(rows, report)
        self._cache[key] = found
        return found

    def _read_currency(self, chosen: str) -> str:
        return chosen if self._given is not None else self.currencies.read(chosen)

    def _platform_options(self, report: Report) -> list[tuple[str, str]]:
        present = {row_.platform for row_ in report.rows}
        keys = [key for key in self.names if key in present] + sorted(present - set(self.names))
        return [("all platforms", ALL), *((self.names.get(key, key), key) for key in keys)]

    # --- the model ------------------------------------------------------------------------

    def _compute(self, values: dict[str, Any]) -> View:
        if self._given is not None:
            valued = self._first
        else:
            valued = self._read(values["currency"], values["as_of"], self.settings.overrides(values))
        chosen = values["platform"]
        whole = valued.report
        if valued.rows is None:
            return View(valued, whole, None, chosen, False, values)
        key = (id(valued), chosen)
        found = self._views.get(key)
        if found is None:
            rows = valued.rows if chosen == ALL else subset(valued.rows, lambda v: v.platform == chosen)
            report = whole if chosen == ALL else report_of_rows(rows, whole.currency, whole.as_of)
            found = self._views[key] = (report, mix_of_rows(rows, whole.currency))
        return View(valued, found[0], found[1], chosen, True, values)

    def _render(self, view: View) -> None:
        report, whole = view.report, view.whole
        chosen = view.platform
        scope = "all platforms" if chosen == ALL else self.names.get(chosen, chosen)
        note = (
            "" if view.per_platform else " (this report has no per-platform timeline or viewers: all platforms shown)"
        )
        rules = f"rules as of {whole.as_of.isoformat()}" if whole.as_of else "the rules of each event's date"
        headline = (
            f"{scope}: viewers paid {plain(report.gross)} {report.currency}, the creator keeps "
            f"{plain(report.net)} {report.currency} ({rules}){note}"
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
            '<div class="lm-title">Totals per platform and kind</div>', report_rows_html(whole, rows_of, self.names)
        )
        self.timeline.value = timeline_chart(report if view.per_platform else whole, view.values["freq"])
        leaders = (report if view.per_platform else whole).top_viewers(view.values["top"])
        self.viewers.value = box(
            '<div class="lm-title">Top viewers (by what the creator keeps)</div>',
            viewers_html(leaders) if leaders else '<div class="lm-muted">no viewer names</div>',
        )
        if view.mix is None:
            self.mix_chart.value = ""
            self.mix_table.value = box(
                '<div class="lm-muted">gift mix: a report keeps no gift names; '
                "give the dashboard the log to see them</div>"
            )
        else:
            lines_ = view.mix.lines()
            self.mix_chart.value = mix_chart(lines_, report.currency, self.names)
            self.mix_table.value = box(
                f'<div class="lm-title">{esc(MIX_TITLE)}</div>', mix_html(lines_, report.currency, self.names)
            )
        unknowns = [
            (f"{self.names.get(r.platform, r.platform)} · {r.label}", reason, events)
            for r in whole.rows
            if rows_of is None or r.platform in rows_of
            for reason, events in r.reasons.items()
        ]
        if self._given is None:
            self.settings.show(whole.as_of, unknowns)
        self._sync_choices(whole)

    def _sync_choices(self, whole: Report) -> None:
        """The platforms present in the figures on show (a new setting cannot add one, but a new log could)."""
        with self.model.quietly():
            set_options(self.platform, self._platform_options(whole))
            if self._given is None:
                set_options(self.currency, self.currencies.options(self.currency.value))

    # --- what the figures show --------------------------------------------------------------

    @property
    def view(self) -> View:
        """What the figures on show were computed from (the last valid controls)."""
        found: View = self.model.result
        return found

    @property
    def report(self) -> Report:
        """The report of the chosen platform (all platforms: the whole log)."""
        return self.view.report if self.view.per_platform else self.view.whole

    @property
    def valued(self) -> Valued:
        """The whole log valued in the chosen currency, rules' date and settings."""
        return self.view.valued

    @property
    def per_platform(self) -> bool:
        """Whether the views other than the totals follow the platform filter (not for a lone `Report`)."""
        return self.view.per_platform

    @property
    def mix(self) -> list[MixLine]:
        """The gift mix of the chosen platform, highest net first (empty for a lone `Report`)."""
        return self.view.mix.lines() if self.view.mix is not None else []

    @property
    def error(self) -> str | None:
        """The problem of the first invalid control (``None``: the figures are of the current controls)."""
        return self.model.error

    @property
    def stale(self) -> bool:
        """Whether a control is invalid, so the figures on show (greyed) are of earlier controls."""
        return self.model.stale

    def leaderboard(self) -> list[tuple[str, Money, Money, int]]:
        """``(viewer, gross, net, events)`` of the top viewers of the chosen platform."""
        return self.report.top_viewers(self.view.values["top"])

    def show(self) -> None:
        """Read every control and recompute (the controls call it on every change)."""
        self.model.update()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
