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

import base64
import collections
import datetime as dt
import itertools
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import ipywidgets as widgets

from livemoney.core.fx import RateTable
from livemoney.core.models import Event, Valuation
from livemoney.core.money import Money, plain
from livemoney.core.schema import millis
from livemoney.engine import api
from livemoney.engine.analytics import Analysis, Table, zone
from livemoney.engine.report import Report
from livemoney.engine.revalue import Counted, report_of_rows, revalue, subset
from livemoney.engine.rows import EventRows
from livemoney.engine.valuer import value
from livemoney.errors import AnalysisError, LivemoneyError
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
    name_classes,
    rate_table,
    set_options,
)
from livemoney.widgets.settings import SettingsPanel
from livemoney.widgets.state import ControlError, Field, Model

ALL = "all"
"""The platform filter's value for every platform (and the key of the whole log's report)."""
FREQS = {"1min": 1, "5min": 5, "15min": 15, "1h": 60}
"""The timeline's bin widths, in minutes."""
MIX_KINDS = ("gift", "donation")
"""What the gift mix counts: gifts and donations (not sponsorships, sales or likes)."""
MIX_TITLE = "Gift mix: gifts and donations (sponsorships, sales and likes are in the totals above)"
PERIODS = (("all time", "all"), ("per stream", "stream"), ("per week", "week"), ("per month", "month"))
"""The leaderboard's periods (`livemoney.engine.analytics.Analysis.viewers`'s ``by``)."""
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
)
"""Time zones offered for display (any IANA name may be typed)."""
EXPORT_TABLES = ("viewers", "streams", "heatmap", "velocity", "engagement", "rows")
EXPORT_FORMATS = (
    ("CSV", "csv", ".csv", "text/csv"),
    ("Excel", "excel", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Parquet", "parquet", ".parquet", "application/vnd.apache.parquet"),
)
"""Each export button: label, `Table.export` format, file suffix, media type of its download link."""
GROUPS_SHOWN = 6
"""How many streams, weeks or months the leaderboard shows (the latest)."""
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


def local_time(text: str) -> str:
    """``2026-11-01 21:00`` for ``2026-11-01T21:00:03+01:00``: the minute in the display zone, which the
    leaderboard's title names, so that the table fits a notebook column (`Analysis.table` and its exports
    keep the second and the offset)."""
    return text[:16].replace("T", " ")


def leaders_html(leaders: Table, top: int, period: str) -> str:
    """The analysis's leaderboard (`Analysis.table("viewers", by=period)`): the ``top`` viewers of each
    stream, week or month (the latest `GROUPS_SHOWN`), or of all time, without the exact columns."""
    headers, cells = leaders.cells(exact=False)
    grouped = period != "all"
    groups: dict[Any, list[list[str]]] = {}
    for row_ in cells:
        groups.setdefault(row_[1] if grouped else None, []).append(row_)
    shown = list(groups.items())[-GROUPS_SHOWN:] if grouped else list(groups.items())
    kinds = [kind for kind in leaders.kinds if kind != "exact"]
    numeric = {index for index, kind in enumerate(kinds) if kind in ("int", "money")}
    body = [
        tr(
            [
                td(
                    esc(local_time(cell) if kind == "time" else cell),
                    "lm-viewer" if index == 0 else "lm-net" if name == "net" else "lm-time" if kind == "time" else "",
                    numeric=index in numeric,
                )
                for index, (name, kind, cell) in enumerate(zip(headers, kinds, row_))
            ]
        )
        for _, rows_ in shown
        for row_ in rows_[:top]
    ]
    title = {"all": "all time", "stream": "per stream", "week": "per week", "month": "per month"}[period]
    return (
        f'<div class="lm-title">Top viewers, {esc(title)} (by what the creator keeps; times in {esc(leaders.tz)})</div>'
        + table([esc(header) for header in headers], body, numeric, cls="lm-leaders")
    )


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
    analysis: Analysis | None = None
    """The analysis of the figures (the date range, stream, time zone, leaderboard period), when one is asked."""
    leaders: Table | None = None
    """The leaderboard of the analysis (`Analysis.table("viewers", by=period)`), when there is one."""

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
    :param top: how many viewers the leaderboard shows (per stream, week or month when it is by period).
    :param tz: the time zone of display (an IANA name; the data stay in UTC): the timeline, the leaderboard's
        first and last seen, the weeks and months, the date range.
    :param export_dir: where the Export buttons write their files (default: a new temporary folder, so
        that nothing lands among a project's files; the status line names each file and offers it as a
        download).

    The analyst's controls (`livemoney.engine.analytics`): a date range (From, To: days in the time zone, To
    included), a stream (stream ids, or sessions of the events without one), the time zone, the leaderboard's
    period (all time, per stream, week or month), and Export (CSV, Excel, Parquet) of a table of the
    analysis of the figures on show, written to ``export_dir`` and offered as a download.
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
        tz: str = "UTC",
        export_dir: str | os.PathLike | None = None,
    ) -> None:
        self.pm = pm or default_manager()
        self.host = host
        self.export_dir = Path(export_dir) if export_dir is not None else Path(tempfile.mkdtemp(prefix="livemoney-"))
        self.input_format = input_format
        self.default_platform = platform
        self.rates = rate_table(rates)
        self.rate_fallback = rate_fallback
        self.names = {p.key: p.name for p in api.platforms(self.pm)}
        self._cache: dict[tuple, Valued] = {}
        self._counted: Counted | None = None
        self._views: dict[tuple, tuple[EventRows, Report, GiftMix]] = {}
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
        analyst = first.rows is not None
        self.start = date_picker(None, "From")
        self.end = date_picker(None, "To")
        self._stream_ids = (
            {first.rows.strings[index] for index in set(first.rows.stream)} - {None}
            if first.rows is not None
            else set()
        )
        self.stream = widgets.Dropdown(options=[("all streams", ALL)], value=ALL, description="Stream")
        self._streams: list[str] | None = None
        self._lock = threading.RLock()
        self.tz = widgets.Combobox(
            value=tz,
            options=list(ZONES),
            description="Time zone",
            ensure_option=False,
            continuous_update=False,
            style=WIDE,
            layout=widgets.Layout(width="260px"),
        )
        self.period = widgets.Dropdown(options=PERIODS, value="all", description="Leaderboard", style=WIDE)
        for control in (self.start, self.end, self.stream, self.period):
            control.disabled = not analyst
        self.export_table = widgets.Dropdown(options=EXPORT_TABLES, value="viewers", description="Export")
        self.export_buttons = {}
        for label, format_, suffix, media in EXPORT_FORMATS:
            button = widgets.Button(description=label, icon="download", tooltip=f"write the table as {suffix}")
            button.add_class(f"lm-export-{format_}")
            button.on_click(lambda _, chosen=format_: self._run_export(chosen))
            button.disabled = not analyst
            self.export_buttons[format_] = button
        self.export_status = widgets.HTML()
        self.exported: Path | None = None
        """The file the last Export wrote."""
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.totals = widgets.HTML()
        self.timeline = widgets.HTML()
        self.viewers = widgets.HTML()
        self.mix_table = widgets.HTML()
        self.mix_chart = widgets.HTML()
        self.output = widgets.Output()
        name_classes(
            self,
            "currency",
            "as_of",
            "platform",
            "freq",
            "top",
            "start",
            "end",
            "stream",
            "tz",
            "period",
            "export_table",
            "export_status",
            "status",
            "summary",
            "totals",
            "timeline",
            "viewers",
            "mix_table",
            "mix_chart",
        )
        fields = [
            Field("platform", self.platform),
            Field("currency", self.currency, self._read_currency),
            Field("as_of", self.as_of),
            Field("freq", self.freq),
            Field("top", self.top),
            Field("start", self.start),
            Field("end", self.end),
            Field("stream", self.stream),
            Field("tz", self.tz, zone),
            Field("period", self.period),
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
                controls_row(*(by_name[name].box for name in ("start", "end", "stream", "tz", "period"))),
                controls_row(self.export_table, *self.export_buttons.values()),
                self.export_status,
                *([self.settings.widget] if self._given is None else []),
                self.status,
                self.figures,
                self.output,
            ]
        )
        self.widget.add_class("lm-stream-dashboard")
        self.model.update()
        # The streams (ids, and sessions of the events without one) are an analysis of every event: found
        # after the first render, in the background, so the dashboard shows as soon as the log is valued.
        self._finding = threading.Thread(target=self._find_streams, name="livemoney-streams", daemon=True)
        if first.rows is not None:
            self._finding.start()

    # --- the streams ---------------------------------------------------------------------------

    def _find_streams(self) -> None:
        first = self._first
        if first.rows is None:
            return
        names = Analysis(first.rows, first.report).stream_names()
        with self._lock:
            self._streams = names
            # "all streams", the value until a stream is offered, stays first: no change reaches the model
            set_options(self.stream, [("all streams", ALL), *((name, name) for name in names)])

    def stream_names(self) -> list[str]:
        """The streams the Stream control offers (stream ids, and sessions of the events without one, as
        `livemoney.engine.analytics.Analysis.stream_names` names them), once found (this waits for them)."""
        if self._finding.is_alive():
            self._finding.join()
        return list(self._streams or [])

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
            found = self._views[key] = (rows, report, mix_of_rows(rows, whole.currency))
        rows, report, mix = found
        start, end, stream, period = values["start"], values["end"], values["stream"], values["period"]
        if start is not None and end is not None and end < start:
            raise ControlError("end", f"to: {end.isoformat()} is before from ({start.isoformat()})")
        filtered = start is not None or end is not None or stream != ALL
        if not filtered and period == "all":
            return View(valued, report, mix, chosen, True, values)
        analysis = self._analysis(rows, report, values)
        if filtered:
            report = analysis.report
            mix = mix_of_rows(self._scope(rows, analysis, stream), whole.currency)
        leaders = analysis.table("viewers", by=period)
        return View(valued, report, mix, chosen, True, values, analysis, leaders)

    def _analysis(self, rows: EventRows, report: Report, values: Mapping[str, Any]) -> Analysis:
        stream = values["stream"]
        try:
            return Analysis(
                rows,
                report,
                tz=values["tz"],
                start=values["start"],
                end=values["end"],
                streams=None if stream == ALL else [stream],
            )
        except AnalysisError as error:
            if str(error).startswith("stream"):
                where = self.names.get(values["platform"], values["platform"])
                raise ControlError("stream", f"stream: {stream} has no events on {where}: choose another") from None
            raise ControlError("start", str(error)) from None

    def _scope(self, rows: EventRows, analysis: Analysis, stream: str) -> EventRows:
        """The events of ``rows`` in the analysis's date range and stream (as `Analysis` chooses them: a
        stream id, or a session, the events without one in its span), for the gift mix."""
        since = None if analysis.start is None else millis(analysis.start)
        until = None if analysis.end is None else millis(analysis.end)
        if stream == ALL:
            return subset(rows, since=since, until=until)
        if stream in self._stream_ids:
            return subset(rows, since=since, until=until, stream=stream)
        spans = {row[0]: (row[2], row[3]) for row in analysis.table("streams").rows}
        if stream not in spans:  # nothing of the session in the date range
            return subset(rows, lambda _: False)
        first, last = spans[stream]
        return subset(rows, since=since, until=until, span=(millis(first) or 0, millis(last) or 0))

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
            '<div class="lm-title">Totals per platform and kind</div>',
            report_rows_html(report, None, self.names)
            if view.per_platform
            else report_rows_html(whole, rows_of, self.names),
        )
        tz = view.values["tz"]
        zone_name = getattr(tz, "key", None) or str(tz)
        self.timeline.value = timeline_chart(report if view.per_platform else whole, view.values["freq"], tz, zone_name)
        if view.leaders is not None:
            self.viewers.value = box(leaders_html(view.leaders, view.values["top"], view.values["period"]))
        else:
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

    # --- export -----------------------------------------------------------------------------

    def export(self, format: str = "csv", table: str | None = None) -> Path:
        """Write a table of the analysis of the figures on show (``table``: the Export choice by default;
        the leaderboard's ``viewers`` by its period) to `export_dir` as ``csv``, ``excel`` or ``parquet``;
        the file's path. Raises `ValueError` while a control is invalid (the figures are not the controls')."""
        if self.model.stale:
            raise ValueError(f"export: fix {', '.join(self.model.errors)} first (the figures are out of date)")
        view = self.view
        if view.valued.rows is None:
            raise ValueError("export: a report alone keeps no events to analyse: give the dashboard the log")
        name = table or self.export_table.value
        analysis = view.analysis
        if analysis is None:
            rows, report, _ = self._views[(id(view.valued), view.platform)]
            analysis = self._analysis(rows, report, view.values)
        options = {"by": view.values["period"]} if name == "viewers" else {}
        suffix = {format_: suffix for _, format_, suffix, _ in EXPORT_FORMATS}[format]
        path = self.export_dir / f"livemoney-{name}{suffix}"
        self.exported = analysis.table(name, **options).export(path, format)
        return self.exported

    def _run_export(self, format: str) -> None:
        with self.output:
            try:
                path = self.export(format)
            except (LivemoneyError, ValueError, OSError) as error:
                self.export_status.value = box(f'<div class="lm-error">{esc(error)}</div>')
                return
            media = {format_: media for _, format_, _, media in EXPORT_FORMATS}[format]
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            self.export_status.value = box(
                f'<div class="lm-muted">wrote {esc(path)} · <a class="lm-download" download="{esc(path.name)}" '
                f'href="data:{media};base64,{data}">download {esc(path.name)}</a></div>'
            )

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
