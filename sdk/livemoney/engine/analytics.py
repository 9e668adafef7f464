"""Analyses across streams: leaderboards over time, per-stream summaries, when to stream, gift velocity and
engagement, from a log or from a ledger, each table a DataFrame people can plot and export.

    analysis = lm.analyze(lm.sample_path(), currency="EUR", tz="Europe/Paris")   # the bundled sample
    analysis.report                        # the Report of what the analysis covers
    analysis.viewers(by="month")           # viewer, period, events, gross, net, first/last seen, returning, new
    analysis.streams()                     # per stream: start, end, duration, net, peak minute, net per hour
    analysis.heatmap()                     # day of week x hour of the net, in the display time zone
    analysis.velocity(); analysis.engagement()
    analysis.export("viewers", "viewers.xlsx", by="month")   # .csv, .xlsx, .parquet, .json

    lm.analyze(ledger="earnings.sqlite", start="2026-11-01", end="2026-11-30", tz="Europe/Paris")

**Where the rows come from.** A log is read once: the engine's `livemoney.engine.valuer.Valuer` values each
distinct event once, as always, and keeps per-event rows (`livemoney.engine.rows.EventRows`: which distinct
valuation, viewer, stream, time) only because an analysis asked for them. A ledger gives the same rows from
its ``events`` table in one SQL pass (`livemoney.engine.ledger.event_rows`); both give the same figures.

**Money.** Each table's figures are exact sums of exact valuations, each shown figure rounded once
(half-even, to the currency's minor unit), as in a `Report`. In a DataFrame every money column (``gross``,
``net``, ``peak_net``, ``net_per_hour``) is a ``float64`` of the shown figure, so ``df.plot()`` and
``df.net.sum()`` work; ``gross_exact`` and ``net_exact`` (and ``peak_net_exact``) keep the exact sums as
`Decimal` objects (10 decimal places). Gifts sent to a guest of a multi-guest LIVE are in the report's rows
of their own but in no table: the tables are the creator's money.

**Time.** Data stays in UTC; ``tz`` (an IANA zone such as ``"Europe/Paris"``, default UTC) is the zone of
display: the times in the tables, the weeks and months, the days and hours of the heatmap, and the dates of
``start`` and ``end``. ``start`` and ``end`` are dates (``end`` included: through the end of that day in
``tz``) or times (``end`` excluded); events without a time are left out when either is given.

**Streams.** A stream is the events that share a ``stream`` id; events without one (and timed records
without money, such as comments, outside every stream's span) are split into sessions at gaps longer than
``gap`` (60 minutes), each named by its UTC start, ``2026-11-01T20:00Z``. ``streams=[...]`` keeps those.

**Returning and new.** A viewer *paid* in a stream or period when one of their events there has a known,
positive gross. In ``viewers(by="stream"|"week"|"month")`` a viewer is *returning* when they paid in an
earlier stream or period, *new* when they paid in this one and in none before; in ``viewers()`` (all) a
viewer is returning when they paid in two or more streams, new when in exactly one. "Earlier" looks at
everything the analysis read, before ``start`` too (not after ``end``).

**Gift velocity.** Gifts per minute, with spikes marked by the convention of TikTok LIVE trackers: a spike
is 3x the rolling baseline within 60 seconds (TikMonitor's gift-spike alert, "3x baseline over 60 seconds",
https://tikmonitor.com/guides/tiktok-gift-spike-alerts). Here, at each gift, the gifts of the 60 seconds up
to it are compared with the baseline, the gifts per minute of the `BASELINE_MINUTES` minutes before those
60 seconds (fewer at a stream's start, none before `MIN_BASELINE_MINUTES`); a spike needs a baseline above 0.

**Engagement.** Likes (the ``count`` of Like events) and comments (timed records without money of a kind in
`COMMENT_KINDS`: chat messages and comments, named as the readers name them) per minute, beside gross and net
per minute. A ledger holds valued events only: comments come from logs whose reader gives their time.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from livemoney.core.extras import extra
from livemoney.core.models import Event
from livemoney.core.money import ROUNDING, Money, exact_text, plain, show
from livemoney.core.tables import text_table
from livemoney.engine.ledger import event_rows, report_of
from livemoney.engine.report import Report, Totals, _exact, _neutral, pandas, unpack
from livemoney.engine.rows import EventRows, Row, from_millis
from livemoney.engine.valuer import value
from livemoney.errors import AnalysisError, LedgerError
from livemoney.pluginsys.manager import PluginManager

SAMPLE = "sample-stream.jsonl"
TABLES = ("viewers", "streams", "heatmap", "velocity", "engagement", "rows")
"""The tables an `Analysis` gives (``rows``: the report's totals per platform and kind)."""
BY = ("all", "stream", "week", "month")
"""How `Analysis.viewers` groups: over everything, per stream, per ISO week, per calendar month."""
HEATMAP_VALUES = ("net", "gross", "events", "minutes", "net_per_hour")
EXPORTS = {".csv": "csv", ".xlsx": "excel", ".parquet": "parquet", ".json": "json"}
"""File suffix → export format."""
EXPORT_LIBRARIES = {
    "excel": ("openpyxl", "an Excel export needs openpyxl: pip install 'livemoney[excel]'"),
    "parquet": ("pyarrow", "a Parquet export needs pyarrow: pip install 'livemoney[parquet]'"),
}
"""Export format → the optional library it needs and what `MissingExtra` says without it."""
GAP = dt.timedelta(minutes=60)
"""Events without a stream id further apart than this are two streams (sessions)."""
SPIKE_FACTOR = 3
SPIKE_WINDOW = dt.timedelta(seconds=60)
BASELINE_MINUTES = 5
"""The rolling baseline of the gift velocity: gifts per minute over these minutes before the window."""
MIN_BASELINE_MINUTES = 2
"""No baseline (and so no spike) before this much of a stream has gone by before the window."""
COMMENT_KINDS = frozenset(
    {
        "comment",  # Facebook and Instagram
        "chat",  # TikTokLive's CommentEvent, the template
        "WebcastChatMessage",  # TikTok's webcast
        "WebcastEmoteChatMessage",
        "liveChatTextMessageRenderer",  # YouTube's innertube
        "text_message",  # chat-downloader
        "textMessage",  # pytchat
        "textMessageEvent",  # YouTube Data API
    }
)
"""The kinds of record without money that are viewers' comments (each reader names its records)."""
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = tuple(f"{hour:02d}" for hour in range(24))
MINUTE = 60_000
HOUR = 3_600_000

# The kinds of column a table has: how each is typed in a DataFrame, written in CSV, JSON, Excel, Parquet.
TEXT, INT, FLOAT, MONEY, EXACT, TIME, DURATION, BOOL = (
    "text",
    "int",
    "float",
    "money",
    "exact",
    "time",
    "duration",
    "bool",
)


@attrs.frozen(slots=True)
class Table:
    """One table of an analysis: named ``columns``, each of a kind (``money``: a shown amount, a `Decimal`
    rounded once; ``exact``: an exact `Decimal`; ``time``: an aware datetime in the display zone ...), and
    ``rows`` of plain Python values (``None`` where there is none). `to_pandas`, `render` and `export` give
    it as a DataFrame, text, CSV or JSON, or a file."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    currency: str
    tz: str
    index: str | None = None
    """The column a DataFrame takes as its index (the heatmap's ``day``)."""

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of column → value."""
        return [dict(zip(self.columns, row)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def to_pandas(self) -> Any:
        """A DataFrame: money as ``float64``, exact sums as `Decimal` objects, times as aware datetimes in
        the display zone, durations as timedeltas, counts as integers."""
        pd = pandas()
        data: dict[str, Any] = {}
        columns = zip(*self.rows) if self.rows else [()] * len(self.columns)
        for name, kind, column in zip(self.columns, self.kinds, columns):
            values = list(column)
            if kind in (MONEY, FLOAT):
                data[name] = pd.Series([None if v is None else float(v) for v in values], dtype="float64")
            elif kind == INT:
                data[name] = pd.Series(values, dtype="int64")
            elif kind == BOOL:
                data[name] = pd.Series(values, dtype="bool")
            elif kind == TIME:
                series = pd.Series(pd.to_datetime(values, utc=True), dtype="datetime64[ns, UTC]")
                data[name] = series.dt.tz_convert(self.tz)
            elif kind == DURATION:
                data[name] = pd.Series(pd.to_timedelta(values), dtype="timedelta64[ns]")
            else:
                data[name] = pd.Series(values, dtype="object")
        frame = pd.DataFrame(data, columns=list(self.columns))
        return frame.set_index(self.index) if self.index else frame

    def cells(self, exact: bool = True) -> tuple[list[str], list[list[str]]]:
        """Headers and text cells (amounts as plain decimals, times ISO-8601 with their offset, numbers in
        full); without ``exact``, for the terminal: no exact columns, numbers to 6 digits."""
        keep = [i for i, kind in enumerate(self.kinds) if exact or kind != EXACT]
        headers = [self.columns[i] for i in keep]
        currency = self.currency
        return headers, [[_text(row[i], self.kinds[i], not exact, currency) for i in keep] for row in self.rows]

    def render(self, format: str = "table") -> str:
        """``table`` (plain text, without the exact columns), ``csv`` (formulas neutralised) or ``json``."""
        if format == "json":
            return json.dumps([dict(zip(self.columns, row)) for row in self._json_rows()], indent=2, ensure_ascii=False)
        if format == "csv":
            headers, rows = self.cells()
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([_neutral(cell) for cell in headers])
            for row in rows:
                writer.writerow([_neutral(cell) for cell in row])
            return out.getvalue()
        if format != "table":
            raise AnalysisError(f"format: {format!r} is not one of table, csv, json")
        headers, rows = self.cells(exact=False)
        kinds = [kind for kind in self.kinds if kind != EXACT]
        right = [i for i, kind in enumerate(kinds) if kind in (INT, FLOAT, MONEY, DURATION)]
        return text_table(headers, rows, right=right)

    def _json_rows(self) -> list[list[Any]]:
        def cell(item: Any, kind: str) -> Any:
            if item is None or kind in (INT, BOOL, TEXT):
                return item
            if kind == FLOAT:
                return float(item)
            return _text(item, kind, currency=self.currency)

        return [[cell(item, kind) for item, kind in zip(row, self.kinds)] for row in self.rows]

    def export(self, path: str | os.PathLike, format: str | None = None) -> Path:
        """Write the table to ``path``: ``csv`` (formulas neutralised), ``excel`` (openpyxl), ``parquet``
        (pyarrow) or ``json``; ``format`` defaults to the file's suffix (`EXPORTS`)."""
        path = Path(path)
        format = format or EXPORTS.get(path.suffix.lower())
        if format not in EXPORTS.values():
            raise AnalysisError(
                f"export: {path.name}: choose a format (csv, excel, parquet, json) or a file ending in "
                f"{', '.join(EXPORTS)}"
            )
        if format == "csv":
            path.write_text(self.render("csv"), encoding="utf-8", newline="")
        elif format == "json":
            path.write_text(self.render("json") + "\n", encoding="utf-8")
        elif format == "excel":
            _write_excel(self, path)
        else:
            _write_parquet(self, path)
        return path


def _text(item: Any, kind: str, short: bool = False, currency: str = "") -> str:
    if item is None:
        return ""
    if kind == EXACT:
        return exact_text(item, currency)
    if kind == MONEY:
        return plain(item)
    if kind == FLOAT:
        return f"{item:.6g}" if short else repr(float(item))
    if kind == TIME:
        return item.isoformat(timespec="seconds")
    if kind == DURATION:
        seconds = int(item.total_seconds())
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if kind == BOOL:
        return "yes" if item else "no"
    return str(item)


def _write_excel(table: Table, path: Path) -> None:
    """An .xlsx file (openpyxl): a sheet of the table, text typed as text (a viewer named ``=1+2`` is never a
    formula), money as numbers, exact sums as text (Excel has no exact decimals), times in the display zone
    (Excel has no zones: the "about" sheet names it)."""
    book = extra(*EXPORT_LIBRARIES["excel"]).Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet.append(list(table.columns))
    for number, row in enumerate(table.rows, start=2):
        for column, (item, kind) in enumerate(zip(row, table.kinds), start=1):
            if item is None:
                continue
            if kind in (MONEY, FLOAT):
                cell = sheet.cell(number, column, float(item))
            elif kind == EXACT:
                cell = sheet.cell(number, column, exact_text(item, table.currency))
                cell.data_type = "s"
            elif kind == TIME:
                cell = sheet.cell(number, column, item.replace(tzinfo=None))
            elif kind == DURATION or kind in (INT, BOOL):
                cell = sheet.cell(number, column, item)
            else:
                cell = sheet.cell(number, column, str(item))
                cell.data_type = "s"  # never a formula, whatever the text starts with
    about = book.create_sheet("about")
    for line in (
        ("table", table.name),
        ("currency", table.currency),
        ("times in", table.tz),
        ("amounts", "money columns: each figure rounded once; *_exact: the exact sums, as text"),
    ):
        about.append(list(line))
    book.save(path)


def _write_parquet(table: Table, path: Path) -> None:
    """A Parquet file (pyarrow): exact sums as ``decimal128(38, 10)`` (exact), money as ``float64``, times as
    UTC timestamps (ms) with the display zone; the currency and zone in the schema's metadata."""
    needs = EXPORT_LIBRARIES["parquet"][1]
    pa, pq = extra("pyarrow", needs), extra("pyarrow.parquet", needs)
    types = {
        TEXT: pa.string(),
        INT: pa.int64(),
        FLOAT: pa.float64(),
        MONEY: pa.float64(),
        EXACT: pa.decimal128(38, 10),
        TIME: pa.timestamp("ms", tz=table.tz),
        DURATION: pa.duration("ms"),
        BOOL: pa.bool_(),
    }
    arrays = []
    for index, kind in enumerate(table.kinds):
        values = [row[index] for row in table.rows]
        if kind in (MONEY, FLOAT):
            values = [None if v is None else float(v) for v in values]
        elif kind == TEXT:
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=types[kind]))
    schema = pa.schema(
        [pa.field(name, types[kind]) for name, kind in zip(table.columns, table.kinds)],
        metadata={"livemoney.table": table.name, "livemoney.currency": table.currency, "livemoney.tz": table.tz},
    )
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path)


def sample_path() -> Path:
    """The path of the bundled sample stream (``sample-stream.jsonl``: a seeded 2,000-event stream on four
    platforms, 2026-11-01, made by ``scripts/make_sample.py``), for examples: ``lm.value(lm.sample_path())``."""
    return Path(str(resources.files("livemoney") / "data" / SAMPLE))


# --- the analysis -----------------------------------------------------------------------------------


def zone(tz: str | dt.tzinfo | None) -> dt.tzinfo:
    """The display zone: an IANA name (``"Europe/Paris"``), a tzinfo, or ``None`` for UTC."""
    if tz is None:
        return dt.UTC
    if isinstance(tz, dt.tzinfo):
        return tz
    try:
        return ZoneInfo(str(tz).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise AnalysisError(f"tz: {tz!r} is not a time zone (an IANA name such as Europe/Paris, or UTC)") from None


def _zone_name(tz: dt.tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


def bound(value: dt.date | dt.datetime | str | None, tz: dt.tzinfo, end: bool = False) -> dt.datetime | None:
    """A start or end of the date range as an aware time: a date is its midnight in ``tz`` (an end date the
    next midnight: the day is included); a naive time is read in ``tz``."""
    if value is None:
        return None
    name = "end" if end else "start"
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
        except ValueError:
            raise AnalysisError(f"{name}: {value!r} is not a date (YYYY-MM-DD) or an ISO-8601 time") from None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        day = value + dt.timedelta(days=1) if end else value
        return dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    raise AnalysisError(f"{name}: {value!r} is not a date or a time")


def _millis(moment: dt.datetime | None) -> int | None:
    if moment is None:
        return None
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(milliseconds=1)


def _session_name(ms: int) -> str:
    return from_millis(ms).strftime("%Y-%m-%dT%H:%MZ")


class _Counted:
    """Gifts in time order: how many in a span, by a running sum and bisection."""

    def __init__(self, times: list[int], items: list[int]) -> None:
        self.times = times
        self.running = [0]
        for count in items:
            self.running.append(self.running[-1] + count)

    def between(self, low: int, high: int, inclusive_low: bool = False) -> int:
        """The gifts at ``low < ms <= high`` (``low <= ms`` when ``inclusive_low``)."""
        times = self.times
        first = bisect.bisect_left(times, low) if inclusive_low else bisect.bisect_right(times, low)
        return self.running[bisect.bisect_right(times, high)] - self.running[first]


class _Stream:
    __slots__ = ("end", "name", "order", "start")

    def __init__(self, name: str) -> None:
        self.name = name
        self.start: int | None = None
        self.end: int | None = None
        self.order = 0

    def see(self, ms: int | None) -> None:
        if ms is None:
            return
        if self.start is None or ms < self.start:
            self.start = ms
        if self.end is None or ms > self.end:
            self.end = ms


class Analysis:
    """What `analyze` gives: the `report` of what it covers and the tables (DataFrames) of its events.

    Built from `livemoney.engine.rows.EventRows` (a log's or a ledger's); see the module docstring for the
    meaning of each table, the time zone, the date range, the streams, returning and new viewers.
    """

    def __init__(
        self,
        rows: EventRows,
        report: Report,
        *,
        tz: str | dt.tzinfo | None = None,
        start: dt.date | dt.datetime | str | None = None,
        end: dt.date | dt.datetime | str | None = None,
        streams: Iterable[str] | str | None = None,
        gap: dt.timedelta = GAP,
        comment_kinds: Collection[str] = COMMENT_KINDS,
    ) -> None:
        self.tz = zone(tz)
        self.currency = report.currency
        self.start = bound(start, self.tz)
        self.end = bound(end, self.tz, end=True)
        end_is_day = (
            isinstance(end, dt.date)
            and not isinstance(end, dt.datetime)
            or (isinstance(end, str) and len(end.strip()) == 10)
        )
        if (
            self.start is not None
            and self.end is not None
            and (self.end < self.start or (self.end == self.start and end_is_day))
        ):
            raise AnalysisError(
                f"the date range ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})"
            )
        if gap < dt.timedelta(0):
            raise AnalysisError(f"gap: {gap} must not be negative")
        self._rows = rows
        self._events = list(rows.events())
        self._comments = [item for item in rows.records_without_money() if item[0] in comment_kinds]
        self._assign_streams(int(gap / dt.timedelta(milliseconds=1)))
        wanted = [streams] if isinstance(streams, str) else (list(streams) if streams is not None else None)
        if wanted is not None:
            unknown = [name for name in wanted if name not in self._streams]
            if unknown:
                known = ", ".join(self.stream_names()[:20]) or "(none)"
                raise AnalysisError(f"stream: {', '.join(map(repr, unknown))} not found (streams: {known})")
        self.streams_wanted = None if wanted is None else tuple(wanted)
        lo, hi = _millis(self.start), _millis(self.end)
        timed_only = lo is not None or hi is not None
        chosen = None if wanted is None else set(wanted)

        def inside(stream: str | None, ms: int | None) -> bool:
            if chosen is not None and stream not in chosen:
                return False
            if not timed_only:
                return True
            return ms is not None and (lo is None or ms >= lo) and (hi is None or ms < hi)

        self._inside = inside
        self._scope = [
            (row, stream) for row, stream in zip(self._events, self._event_streams) if inside(stream, row.ts)
        ]
        self._scope_comments = [
            (kind, ms, count, stream)
            for (kind, ms, count), stream in zip(self._comments, self._comment_streams)
            if inside(stream, ms)
        ]
        self.filtered = chosen is not None or timed_only
        self._as_of = report.as_of
        self.report = self._report_of_scope() if self.filtered else report

    # --- streams ----------------------------------------------------------------------------------

    def _assign_streams(self, gap: int) -> None:
        """Each event's and each comment's stream: its stream id, else the stream whose span holds it (a
        comment), else a session of the items without a stream id split at gaps longer than ``gap``."""
        streams: dict[str, _Stream] = {}
        names: list[str | None] = [None] * len(self._events)
        leftovers: list[tuple[int, int, int]] = []
        for index, row in enumerate(self._events):
            if row.stream is not None:
                names[index] = row.stream
                streams.setdefault(row.stream, _Stream(row.stream)).see(row.ts)
            elif row.ts is not None:
                leftovers.append((row.ts, 0, index))
        spans = sorted((s.start, s.end, s.name) for s in streams.values() if s.start is not None and s.end is not None)
        starts = [span[0] for span in spans]
        comment_names: list[str | None] = [None] * len(self._comments)
        for index, (_, ms, _) in enumerate(self._comments):
            found = None
            for first, final, name in reversed(spans[: bisect.bisect_right(starts, ms)]):
                if final >= ms >= first:
                    found = name
                    break
            if found is not None:
                comment_names[index] = found
            else:
                leftovers.append((ms, 1, index))
        leftovers.sort()
        session: _Stream | None = None
        last: int | None = None
        for ms, what, index in leftovers:
            if session is None or last is None or ms - last > gap:
                label = _session_name(ms)
                number = 2
                while label in streams:
                    label, number = f"{_session_name(ms)}#{number}", number + 1
                session = streams[label] = _Stream(label)
            session.see(ms)
            last = ms
            if what == 0:
                names[index] = session.name
            else:
                comment_names[index] = session.name
        for (_, ms, _), held in zip(self._comments, comment_names):
            if held is not None:
                streams[held].see(ms)
        ordered = sorted(streams.values(), key=lambda s: (s.start is None, s.start or 0, s.name))
        for order, stream in enumerate(ordered):
            stream.order = order
        self._streams = {stream.name: stream for stream in ordered}
        self._event_streams = names
        self._comment_streams = comment_names

    def stream_names(self) -> list[str]:
        """Every stream the analysis read (before the filters), in order of start."""
        return list(self._streams)

    # --- the report of the scope ------------------------------------------------------------------

    def _report_of_scope(self) -> Report:
        """The `Report` of the events in the date range and streams (records = events: a filter keeps events)."""
        totals = Totals(self.currency, self._as_of)
        counts: dict[tuple[int, bool], int] = {}
        index_of = {id(valued): index for index, valued in enumerate(self._rows.valuations)}
        for row, _ in self._scope:
            key = (index_of[id(row.valued)], row.to_guest)
            counts[key] = counts.get(key, 0) + 1
            if row.to_guest:
                continue
            packed = row.valued.packed
            if row.viewer is not None:
                totals.viewers[row.viewer] = totals.viewers.get(row.viewer, 0) + packed
            if row.ts is not None:
                minute = from_millis(row.ts).strftime("%Y-%m-%dT%H:%M")
                totals.bins[minute] = totals.bins.get(minute, 0) + packed
        for (index, guest), times in sorted(counts.items()):
            valued = self._rows.valuations[index]
            totals.add(valued.valuation, times, valued.original, to_guests=guest)
        totals.records = totals.valued
        return totals.report()

    # --- helpers ----------------------------------------------------------------------------------

    def _local(self, ms: int) -> dt.datetime:
        return from_millis(ms).astimezone(self.tz)

    def _creator(self) -> list[tuple[Row, str | None]]:
        return [(row, stream) for row, stream in self._scope if not row.to_guest]

    def without_viewer(self) -> int:
        """How many of the creator's events the analysis covers name no viewer (a sponsorship, a sale, a record
        its format gives no viewer): in the streams' and the heatmap's figures, in no row of `viewers`."""
        return sum(1 for row, _ in self._creator() if row.viewer is None)

    def to_guests(self) -> int:
        """How many events the analysis covers are gifts to a guest of a multi-guest LIVE: in the report's rows of
        their own, in no table (the tables are the creator's money)."""
        return sum(1 for row, _ in self._scope if row.to_guest)

    def outside_viewers(self) -> str | None:
        """The line that says which events the analysis covers are in no row of `viewers`, if any: those without
        a viewer and the gifts to guests."""
        anonymous, guests = self.without_viewer(), self.to_guests()
        parts = []
        if anonymous:
            parts.append(f"{anonymous:,} without a viewer (a sponsorship, a sale, a record whose format names none)")
        if guests:
            parts.append(f"{guests:,} gift(s) to guests (the tables are the creator's money)")
        return f"in no row: {anonymous + guests:,} event(s): {'; '.join(parts)}" if parts else None

    def _money(self, packed: int) -> tuple[int, Decimal, Decimal, Decimal, Decimal]:
        """``(events, gross shown, net shown, gross exact, net exact)`` of a sum of packs."""
        gross, net, events = unpack(packed)
        exact_gross, exact_net = _exact(gross), _exact(net)
        return events, show(exact_gross, self.currency), show(exact_net, self.currency), exact_gross, exact_net

    def _period(self, by: str, ms: int | None) -> str | None:
        if ms is None:
            return None
        day = self._local(ms).date()
        if by == "week":
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{day.year}-{day.month:02d}"

    def _table(
        self, name: str, columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]], index: str | None = None
    ) -> Table:
        return Table(
            name=name,
            columns=tuple(column for column, _ in columns),
            kinds=tuple(kind for _, kind in columns),
            rows=tuple(rows),
            currency=self.currency,
            tz=_zone_name(self.tz),
            index=index,
        )

    # --- tables -----------------------------------------------------------------------------------

    def table(self, name: str, **options: Any) -> Table:
        """The table ``name`` (one of `TABLES`) as a `Table`; ``options`` are those of its method."""
        makers: dict[str, Callable[..., Table]] = {
            "viewers": self._viewers,
            "streams": self._stream_table,
            "heatmap": self._heatmap,
            "velocity": self._velocity,
            "engagement": self._engagement,
            "rows": self._report_rows,
        }
        if name not in makers:
            raise AnalysisError(f"table: {name!r} is not one of {', '.join(TABLES)}")
        try:
            return makers[name](**options)
        except TypeError as error:
            raise AnalysisError(f"{name}: {error}") from None

    def to_pandas(self, table: str = "viewers", **options: Any) -> Any:
        """The table ``table`` as a pandas DataFrame (see `Table.to_pandas`)."""
        return self.table(table, **options).to_pandas()

    def export(self, table: str, path: str | os.PathLike, format: str | None = None, **options: Any) -> Path:
        """Write the table ``table`` to ``path`` (CSV, Excel, Parquet or JSON: see `Table.export`)."""
        return self.table(table, **options).export(path, format)

    def viewers(self, by: str = "all") -> Any:
        """A DataFrame, one row per viewer (``by="all"``) or per viewer and stream, week or month: viewer,
        [stream | period], events, gross, net, first_seen, last_seen, streams, returning, new, gross_exact,
        net_exact; by period or stream, then by what the viewer earned the creator (exact net)."""
        return self.to_pandas("viewers", by=by)

    def streams(self) -> Any:
        """A DataFrame, one row per stream: stream, platforms, start, end, duration, hours, events, viewers,
        unknown, gross, net, net_per_hour, peak_minute, peak_net, gross_exact, net_exact, peak_net_exact."""
        return self.to_pandas("streams")

    def heatmap(self, value: str = "net", long: bool = False) -> Any:
        """Day of week (rows, Monday first) x hour (columns ``00`` … ``23``) in the display zone, of ``value``:
        ``net``, ``gross``, ``events``, ``minutes`` (minutes streamed) or ``net_per_hour`` (net per hour
        streamed in that cell: the best hour to stream). ``long=True``: one row per cell with every figure."""
        return self.to_pandas("heatmap", value=value, long=long)

    def velocity(
        self, factor: float = SPIKE_FACTOR, window: dt.timedelta = SPIKE_WINDOW, baseline: int = BASELINE_MINUTES
    ) -> Any:
        """Gifts per minute, each stream's minutes from its first to its last: stream, minute, gifts (items),
        gift_events, net (of the gifts), peak_60s (most gifts in the ``window`` up to a gift of that minute),
        baseline (gifts per minute over the ``baseline`` minutes before that window), spike (``factor`` times
        the baseline or more, within the window), net_exact."""
        return self.to_pandas("velocity", factor=factor, window=window, baseline=baseline)

    def engagement(self) -> Any:
        """Per minute of each stream: stream, minute, likes, comments, events, gross, net, gross_exact,
        net_exact."""
        return self.to_pandas("engagement")

    def top_viewers(self, n: int = 10, by: str = "all") -> Any:
        """The first ``n`` rows of `viewers` per group (all, each stream, week or month)."""
        frame = self.viewers(by)
        return frame.head(n) if by == "all" else frame.groupby(by if by == "stream" else "period", sort=False).head(n)

    # --- the tables' rows -------------------------------------------------------------------------

    def _report_rows(self) -> Table:
        report = self.report
        parties = report._parties()
        columns = [("platform", TEXT), ("kind", TEXT), ("events", INT), ("unknown", INT), ("gross", MONEY)]
        columns += [(party, MONEY) for party in parties]
        columns += [("net", MONEY), ("gross_exact", EXACT), ("net_exact", EXACT)]
        zero = Money.zero(report.currency).rounded().amount  # a party without a share of a row: 0.00, shown as the others
        rows = []
        for row in report.rows:
            exact = row.exact
            rows.append(
                (
                    row.platform,
                    row.label,
                    row.events,
                    row.unknown,
                    row.gross.amount,
                    *(row.shares[p].amount if p in row.shares else zero for p in parties),
                    row.net.amount,
                    exact.gross.amount if exact else row.gross.amount,
                    exact.net.amount if exact else row.net.amount,
                )
            )
        return self._table("rows", columns, rows)

    def _paid(self) -> list[tuple[str, str | None, int | None]]:
        """``(viewer, stream, time)`` of every paid event the analysis read (before the filters)."""
        return [
            (row.viewer, stream, row.ts)
            for row, stream in zip(self._events, self._event_streams)
            if row.viewer is not None and not row.to_guest and not row.valued.unknown and row.valued.gross > 0
        ]

    def _viewers(self, by: str = "all") -> Table:
        if by not in BY:
            raise AnalysisError(f"by: {by!r} is not one of {', '.join(BY)}")
        streams = self._streams
        end = _millis(self.end)
        groups: dict[tuple[Any, str], list[Any]] = {}
        for row, stream in self._creator():
            if row.viewer is None:
                continue
            unit: Any = None if by == "all" else stream if by == "stream" else self._period(by, row.ts)
            group = groups.get((unit, row.viewer))
            if group is None:
                group = groups[(unit, row.viewer)] = [0, None, None, set(), False]
            group[0] += row.valued.packed
            if row.ts is not None:
                group[1] = row.ts if group[1] is None else min(group[1], row.ts)
                group[2] = row.ts if group[2] is None else max(group[2], row.ts)
            if stream is not None:
                group[3].add(stream)
            if not row.valued.unknown and row.valued.gross > 0:
                group[4] = True
        # When each viewer first paid (stream order, or period), over everything read (up to the end).
        first: dict[str, Any] = {}
        paid_streams: dict[str, set[str]] = {}
        for viewer, stream, ms in self._paid():
            if end is not None and (ms is None or ms >= end):
                continue
            if stream is not None:
                paid_streams.setdefault(viewer, set()).add(stream)
            if by == "stream" and stream is not None:
                order = streams[stream].order
                first[viewer] = min(first.get(viewer, order), order)
            elif by in ("week", "month") and ms is not None:
                period = self._period(by, ms)
                first[viewer] = period if viewer not in first else min(first[viewer], period)
        records = []
        for (unit, viewer), (packed, seen, last, in_streams, paid) in groups.items():
            if by == "all":
                returning = len(paid_streams.get(viewer, ())) >= 2
            elif unit is None:
                returning = viewer in first
            else:
                mark = streams[unit].order if by == "stream" else unit
                returning = viewer in first and first[viewer] < mark
            events, gross, net, exact_gross, exact_net = self._money(packed)
            records.append(
                (
                    viewer,
                    unit,
                    events,
                    gross,
                    net,
                    None if seen is None else self._local(seen),
                    None if last is None else self._local(last),
                    len(in_streams),
                    returning,
                    paid and not returning,
                    exact_gross,
                    exact_net,
                )
            )

        def sort_key(record: tuple[Any, ...]) -> tuple[Any, ...]:
            unit = record[1]
            if by == "stream":
                place: Any = (unit is None, streams[unit].order if unit is not None else 0)
            else:
                place = (unit is None, unit or "")
            return (*place, -record[11], -record[10], record[0])

        records.sort(key=sort_key)
        columns: list[tuple[str, str]] = [("viewer", TEXT)]
        if by != "all":
            columns.append(("stream" if by == "stream" else "period", TEXT))
        columns += [
            ("events", INT),
            ("gross", MONEY),
            ("net", MONEY),
            ("first_seen", TIME),
            ("last_seen", TIME),
            ("streams", INT),
            ("returning", BOOL),
            ("new", BOOL),
            ("gross_exact", EXACT),
            ("net_exact", EXACT),
        ]
        rows = [record if by != "all" else (record[0], *record[2:]) for record in records]
        return self._table("viewers", columns, rows)

    def _spans(self) -> dict[str, tuple[int, int]]:
        """Each stream's span in the scope: its first and last timed item (events of any kind, comments)."""
        spans: dict[str, list[int]] = {}
        items = [(stream, row.ts) for row, stream in self._scope] + [(s, ms) for _, ms, _, s in self._scope_comments]
        for stream, ms in items:
            if stream is None or ms is None:
                continue
            span = spans.get(stream)
            if span is None:
                spans[stream] = [ms, ms]
            else:
                span[0], span[1] = min(span[0], ms), max(span[1], ms)
        order = self._streams
        return {name: (span[0], span[1]) for name, span in sorted(spans.items(), key=lambda kv: order[kv[0]].order)}

    def _stream_table(self) -> Table:
        spans = self._spans()
        sums: dict[str | None, list[Any]] = {}
        minutes: dict[tuple[str | None, int], int] = {}
        for row, stream in self._creator():
            found = sums.get(stream)
            if found is None:
                found = sums[stream] = [0, set(), 0, set()]
            found[0] += row.valued.packed
            if row.viewer is not None:
                found[1].add(row.viewer)
            found[2] += row.valued.unknown
            found[3].add(row.valued.platform)
            if row.ts is not None:
                key = (stream, row.ts // MINUTE)
                minutes[key] = minutes.get(key, 0) + row.valued.packed
        peaks: dict[str | None, tuple[int, int]] = {}
        for (stream, minute), packed in sorted(minutes.items(), key=lambda item: (str(item[0][0]), item[0][1])):
            net = unpack(packed)[1]
            if stream not in peaks or net > peaks[stream][1]:
                peaks[stream] = (minute, net)
        names = [name for name in spans if name in sums] + [name for name in sums if name not in spans]
        rows = []
        for name in names:
            packed, viewers, unknown, platforms = sums[name]
            events, gross, shown_net, exact_gross, exact_net = self._money(packed)
            span = spans.get(name) if name is not None else None
            duration = None if span is None else dt.timedelta(milliseconds=span[1] - span[0])
            hours = None if duration is None else duration / dt.timedelta(hours=1)
            per_hour = None
            if span is not None and span[1] > span[0]:
                per_hour = show(ROUNDING.divide(exact_net * HOUR, Decimal(span[1] - span[0])), self.currency)
            peak = peaks.get(name)
            rows.append(
                (
                    name,
                    ", ".join(sorted(platforms)),
                    None if span is None else self._local(span[0]),
                    None if span is None else self._local(span[1]),
                    duration,
                    hours,
                    events,
                    len(viewers),
                    unknown,
                    gross,
                    shown_net,
                    per_hour,
                    None if peak is None else self._local(peak[0] * MINUTE),
                    None if peak is None else show(_exact(peak[1]), self.currency),
                    exact_gross,
                    exact_net,
                    None if peak is None else _exact(peak[1]),
                )
            )
        columns = [
            ("stream", TEXT),
            ("platforms", TEXT),
            ("start", TIME),
            ("end", TIME),
            ("duration", DURATION),
            ("hours", FLOAT),
            ("events", INT),
            ("viewers", INT),
            ("unknown", INT),
            ("gross", MONEY),
            ("net", MONEY),
            ("net_per_hour", MONEY),
            ("peak_minute", TIME),
            ("peak_net", MONEY),
            ("gross_exact", EXACT),
            ("net_exact", EXACT),
            ("peak_net_exact", EXACT),
        ]
        return self._table("streams", columns, rows)

    def _stream_minutes(self) -> list[tuple[str, int]]:
        """``(stream, minute)`` of every minute of each stream in the scope, first to last (minutes since 1970)."""
        return [
            (name, minute)
            for name, (first, last) in self._spans().items()
            for minute in range(first // MINUTE, last // MINUTE + 1)
        ]

    def _heatmap(self, value: str = "net", long: bool = False) -> Table:
        if value not in HEATMAP_VALUES:
            raise AnalysisError(f"value: {value!r} is not one of {', '.join(HEATMAP_VALUES)}")
        cells: dict[tuple[int, int], int] = {}
        streamed: dict[tuple[int, int], int] = {}
        local_hour: dict[int, tuple[int, int] | None] = {}

        def cell_of(ms: int) -> tuple[int, int]:
            """The local (weekday, hour) of ``ms``: one look-up per UTC hour where the zone is whole hours
            from UTC then (most are; India's +5:30 is not, and is looked up each time)."""
            hour = ms // HOUR
            if hour not in local_hour:
                start = self._local(hour * HOUR)
                offset = start.utcoffset() or dt.timedelta(0)
                whole = offset % dt.timedelta(hours=1) == dt.timedelta(0)
                local_hour[hour] = (start.weekday(), start.hour) if whole else None
            found = local_hour[hour]
            if found is None:
                moment = self._local(ms)
                return moment.weekday(), moment.hour
            return found

        for row, _ in self._creator():
            if row.ts is not None:
                key = cell_of(row.ts)
                cells[key] = cells.get(key, 0) + row.valued.packed
        for _, minute in self._stream_minutes():
            key = cell_of(minute * MINUTE)
            streamed[key] = streamed.get(key, 0) + 1
        records = []
        for day in range(7):
            for hour in range(24):
                events, gross, net, exact_gross, exact_net = self._money(cells.get((day, hour), 0))
                minutes = streamed.get((day, hour), 0)
                per_hour = show(ROUNDING.divide(exact_net * 60, Decimal(minutes)), self.currency) if minutes else None
                records.append((DAYS[day], hour, events, minutes, gross, net, per_hour, exact_gross, exact_net))
        if long:
            columns = [
                ("day", TEXT),
                ("hour", INT),
                ("events", INT),
                ("minutes", INT),
                ("gross", MONEY),
                ("net", MONEY),
                ("net_per_hour", MONEY),
                ("gross_exact", EXACT),
                ("net_exact", EXACT),
            ]
            return self._table("heatmap", columns, records)
        position = {"events": 2, "minutes": 3, "gross": 4, "net": 5, "net_per_hour": 6}[value]
        kind = INT if value in ("events", "minutes") else MONEY
        rows = [(DAYS[day], *(records[day * 24 + hour][position] for hour in range(24))) for day in range(7)]
        return self._table("heatmap", [("day", TEXT), *((hour, kind) for hour in HOURS)], rows, index="day")

    def _velocity(
        self, factor: float = SPIKE_FACTOR, window: dt.timedelta = SPIKE_WINDOW, baseline: int = BASELINE_MINUTES
    ) -> Table:
        if factor <= 0 or baseline < 1 or window <= dt.timedelta(0):
            raise AnalysisError("velocity: factor and window must be positive, baseline at least 1 minute")
        width = int(window / dt.timedelta(milliseconds=1))
        spans = self._spans()
        gifts: dict[str, list[tuple[int, int, int]]] = {}
        for row, stream in self._creator():
            if row.valued.kind == "gift" and row.ts is not None and stream is not None:
                gifts.setdefault(stream, []).append((row.ts, row.valued.items, row.valued.packed))
        rows = []
        for name, (first, last) in spans.items():
            found = sorted(gifts.get(name, []))
            counted = _Counted([ms for ms, _, _ in found], [items for _, items, _ in found])

            per_minute: dict[int, list[Any]] = {}
            for ms, items, packed in found:
                slot = per_minute.setdefault(ms // MINUTE, [0, 0, 0, 0, None, False])
                slot[0] += items
                slot[1] += 1
                slot[2] += packed
                in_window = counted.between(ms - width, ms)
                span_end = ms - width
                span_start = max(first, span_end - baseline * MINUTE)
                rate = None
                if span_end - span_start >= MIN_BASELINE_MINUTES * MINUTE:
                    rate = (
                        Decimal(counted.between(span_start, span_end, True)) * MINUTE / Decimal(span_end - span_start)
                    )
                if in_window > slot[3]:
                    slot[3], slot[4] = in_window, rate
                if rate is not None and rate > 0 and in_window >= Decimal(str(factor)) * rate:
                    slot[5] = True
            for minute in range(first // MINUTE, last // MINUTE + 1):
                count, events, packed, peak, rate, spike = per_minute.get(minute, [0, 0, 0, 0, None, False])
                _, _, net, _, exact_net = self._money(packed)
                rows.append(
                    (
                        name,
                        self._local(minute * MINUTE),
                        count,
                        events,
                        net,
                        peak,
                        None if rate is None else float(rate),
                        spike,
                        exact_net,
                    )
                )
        columns = [
            ("stream", TEXT),
            ("minute", TIME),
            ("gifts", INT),
            ("gift_events", INT),
            ("net", MONEY),
            ("peak_60s", INT),
            ("baseline", FLOAT),
            ("spike", BOOL),
            ("net_exact", EXACT),
        ]
        return self._table("velocity", columns, rows)

    def _engagement(self) -> Table:
        per_minute: dict[tuple[str, int], list[int]] = {}
        for row, stream in self._creator():
            if row.ts is None or stream is None:
                continue
            slot = per_minute.setdefault((stream, row.ts // MINUTE), [0, 0, 0])
            if row.valued.kind == "like":
                slot[0] += row.valued.items
            slot[2] += row.valued.packed
        for _, ms, count, stream in self._scope_comments:
            if stream is not None:
                per_minute.setdefault((stream, ms // MINUTE), [0, 0, 0])[1] += count
        rows = []
        for name, minute in self._stream_minutes():
            likes, comments, packed = per_minute.get((name, minute), [0, 0, 0])
            events, gross, net, exact_gross, exact_net = self._money(packed)
            rows.append(
                (name, self._local(minute * MINUTE), likes, comments, events, gross, net, exact_gross, exact_net)
            )
        columns = [
            ("stream", TEXT),
            ("minute", TIME),
            ("likes", INT),
            ("comments", INT),
            ("events", INT),
            ("gross", MONEY),
            ("net", MONEY),
            ("gross_exact", EXACT),
            ("net_exact", EXACT),
        ]
        return self._table("engagement", columns, rows)

    def __repr__(self) -> str:
        scope = []
        if self.start is not None:
            scope.append(f"from {self.start.isoformat()}")
        if self.end is not None:
            scope.append(f"until {self.end.isoformat()}")
        if self.streams_wanted is not None:
            scope.append(f"streams {', '.join(self.streams_wanted)}")
        spans = len(self._spans())
        return (
            f"<Analysis {self.currency}: {len(self._scope)} events in {spans} stream{'s' if spans != 1 else ''}"
            f"{'; ' + ', '.join(scope) if scope else ''}; times in {_zone_name(self.tz)}; net={self.report.net}>"
        )


def analyze(
    paths_or_events: str | os.PathLike | Iterable[str | os.PathLike] | Iterable[Event] | None = None,
    *,
    ledger: str | os.PathLike | None = None,
    currency: str | None = None,
    as_of: dt.date | str | None = None,
    settings: dict[str, Any] | None = None,
    rates: Any = None,
    rate_fallback: str | None = None,
    host: str | None = None,
    start: dt.date | dt.datetime | str | None = None,
    end: dt.date | dt.datetime | str | None = None,
    streams: Iterable[str] | str | None = None,
    tz: str | dt.tzinfo | None = None,
    gap: dt.timedelta = GAP,
    comment_kinds: Collection[str] = COMMENT_KINDS,
    pm: PluginManager | None = None,
    input_format: str = "auto",
    platform: str | None = None,
    on_error: str = "fail",
    progress: bool | None = None,
) -> Analysis:
    """An `Analysis` of logs (or events) or of a ledger, across streams.

    With logs, they are valued once (as `livemoney.value`, with ``currency`` (default USD), ``as_of``,
    ``settings``, ``rates``, ``rate_fallback``, ``host``, ``pm``, ``input_format``, ``platform``,
    ``on_error``, ``progress``), keeping per-event rows for the analysis. With ``ledger`` alone, its
    ``events`` table is read (SQL): its own currency and rules (``currency``, if given, must be the
    ledger's). With both, the logs are valued into the ledger first, then the whole ledger is analysed
    (every stream it holds), with the comments of the logs.

    :param start: the first day (or time) analysed, in ``tz``; :param end: the last day (included), or a time
        (excluded). :param streams: only these streams (see `Analysis.stream_names`).
    :param tz: the display zone, an IANA name (``"Europe/Paris"``); UTC by default.
    :param gap: events without a stream id further apart than this are two streams.
    :param comment_kinds: the kinds of record without money counted as comments (`COMMENT_KINDS`).
    """
    options: dict[str, Any] = {
        "tz": tz,
        "start": start,
        "end": end,
        "streams": streams,
        "gap": gap,
        "comment_kinds": comment_kinds,
    }
    if paths_or_events is None:
        if ledger is None:
            raise AnalysisError("analyze: give logs or events to value, or a ledger to read")
        given = {"as_of": as_of, "settings": settings, "rates": rates, "rate_fallback": rate_fallback, "host": host}
        fixed = [name for name, option in given.items() if option]
        if fixed:
            raise AnalysisError(
                f"analyze: {', '.join(fixed)} apply to valuing logs; a ledger's valuations were made with its own "
                "(give the logs too, or use another ledger)"
            )
        return _of_ledger(ledger, currency, None, options)
    logged = EventRows()
    report = value(
        paths_or_events,
        currency=currency or "USD",
        as_of=as_of,
        settings=settings,
        pm=pm,
        input_format=input_format,
        platform=platform,
        on_error=on_error,
        ledger=ledger,
        progress=progress,
        host=host,
        rates=rates,
        rate_fallback=rate_fallback,
        rows=logged,
    )
    if ledger is None:
        return Analysis(logged, report, **options)
    return _of_ledger(ledger, report.currency, logged, options)


def _of_ledger(
    ledger: str | os.PathLike, currency: str | None, logged: EventRows | None, options: dict[str, Any]
) -> Analysis:
    rows, held, _ = event_rows(ledger)
    if currency is not None and currency.strip().upper() != held:
        raise LedgerError(f"{ledger}: the ledger holds valuations in {held}, not {currency.strip().upper()}")
    if logged is not None:  # the comments of the logs just valued (a ledger holds valued events only)
        for kind, ms, count in logged.records_without_money():
            rows.skipped_kind.append(rows.string(kind))
            rows.skipped_ts.append(ms)
            rows.skipped_count.append(count)
    return Analysis(rows, report_of(ledger), **options)
