"""Valuing tables of events: Parquet files with DuckDB (``pip install 'livemoney[duckdb]'``), and the SQL that
any engine runs to give the same `Report` as valuing the events one by one (`livemoney.engine.valuer`).

    report = value_parquet(["events.parquet"], currency="EUR", on_error="skip")   # livemoney value events.parquet
    write_parquet(lm.read_events("stream.jsonl"), "events.parquet")              # livemoney convert --to parquet

**The Parquet schema** is the canonical event's, `livemoney.core.schema.EVENT_COLUMNS`, one row an event:
``type``, ``platform``, ``gift``, ``count`` (int64), ``amount``, ``currency``, ``recipient``, ``host``,
``gift_id``, ``feature``, ``brand``, ``product``, ``role``, ``viewer``, ``ts`` (timestamp, UTC), ``stream``,
``id``; every other column a string. A null cell is a field left out, as in the JSON log; a column left out
is all nulls; other columns are ignored. ``amount`` is the amount's **decimal text**, as the canonical log
writes it (``"1.50"``, ``"0.005"``): exact for any amount the log takes, validated by the same rules, and
its digits kept (``1.50`` is shown as written). A DECIMAL or whole-number column is read as its exact
decimal text too; a floating-point one is refused (a float is no exact money). An id column may be a
whole number (read as its digits), ``count`` any whole-number type; ``ts`` must have a time zone
(Parquet's ``isAdjustedToUTC``): a time without one is refused, as the JSON log refuses it.

**How a table is valued** (the same steps for DuckDB here and for Spark, `livemoney.engine.spark`):

1. The engine groups the rows by their *raw key*: ``type``, ``platform``, the UTC day of ``ts``, and the
   columns a valuation depends on (`schema.KEY_COLUMNS`), counting them (SQL).
2. Each raw key is read as one record by the canonical reader (`livemoney.core.canonical.decode`): it is
   a valid event, with its valuation key (`schema.event_key`), or the reason its rows are rejected. Every
   distinct valuation key is valued once through the plugins (`livemoney.engine.ratecard.RateCard`).
3. The card (raw key → the exact gross and net of one event, DECIMAL(38, 10)) is joined to the rows; the
   engine sums exactly in DECIMAL per viewer and per minute, and counts per valuation key (the rows of
   the report are those counts times the exact valuations, `livemoney.engine.report.Totals`, as the
   local engine sums them), with the gifts to guests apart.
4. Duplicates are the rows of one platform and id with the same valuation key, millisecond and viewer
   as an earlier row (the local engine's fingerprint), across the whole input; a later row with that id
   and other content is an id conflict, valued and named. The engine finds the ids seen more than once;
   only their rows are ordered (a window), and the duplicates' sums are taken off.
5. Rejected rows (invalid, of a kind no plugin values, an amount too large to value exactly) are read
   again, in order, each as a canonical record, for its ``FILE:ROW: field: problem`` (row numbers count
   from 1, as lines do); ``on_error="fail"`` raises at the first.

Every row is accounted for: ``records = events + rejected``, ``events = valued + duplicates`` (a Parquet
file holds events only: nothing is "without money" or "not read"). The report is the local engine's on
the same events, figure for figure, each rounded once where shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, Self, TextIO

import attrs

from livemoney.core.canonical import decode
from livemoney.core.extras import extra
from livemoney.core.models import Context, Event, Rejected
from livemoney.core.money import EXACT_PLACES, plain
from livemoney.core.schema import (
    CURRENCY,
    DAY,
    EVENT_COLUMNS,
    KEY_COLUMNS,
    PLATFORM,
    TIME,
    Column,
    event_key,
    key_event,
)
from livemoney.engine import api
from livemoney.engine.ratecard import RateCard
from livemoney.engine.readers import KnownPlatforms
from livemoney.engine.report import Report, Totals, original_amount, pack
from livemoney.engine.valuer import write_reject
from livemoney.errors import InvalidInput, ReaderError
from livemoney.pluginsys.manager import PluginManager, default_manager

DUCKDB_INSTALL = "pip install 'livemoney[duckdb]'"
PARQUET_MAGIC = b"PAR1"
BATCH_ROWS = 65_536
"""Rows a Parquet writer buffers before it writes them (`write_parquet`)."""
FILE_SHIFT = 1 << 40
"""A row's position is its file's index times this, plus its row number (files of up to 10^12 rows)."""
DAY_US = 86_400_000_000
MINUTE_US = 60_000_000
NARROW = Decimal(10) ** 8
"""Amounts below this fit DECIMAL(18, 10), which DuckDB keeps in 8 bytes."""

RAW = tuple(column for column in KEY_COLUMNS if column.name != DAY)
"""The event columns of a raw key (with the UTC ``day`` of ``ts``): those that decide a valuation."""
_ROW_COLUMNS = ("pos", "src", "line")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def is_parquet(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a Parquet file (its first bytes are ``PAR1``), or a folder holding some."""
    path = Path(path)
    if path.is_dir():
        return bool(parquet_files(path))
    if not path.is_file():  # a pipe or a FIFO is never opened here: it is read once, by the reader
        return False
    try:
        with open(path, "rb") as stream:
            return stream.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def parquet_files(path: str | os.PathLike) -> list[Path]:
    """The Parquet files of ``path``: itself, or a folder's ``*.parquet`` files at any depth, by name.

    A folder of Parquet files that also holds other files (a log beside them) is a `ReaderError` naming them,
    never a silent loss; files whose names start with ``_`` or ``.`` (Spark's ``_SUCCESS``, ``.crc``
    checksums) are a Parquet dataset's own and are passed over."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    files = sorted(found for found in path.rglob("*.parquet") if found.is_file())
    if files:
        others = sorted(
            str(found.relative_to(path))
            for found in path.rglob("*")
            if found.is_file()
            and found.suffix != ".parquet"
            and not any(part.startswith(("_", ".")) for part in found.relative_to(path).parts)
        )
        if others:
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            raise ReaderError(
                f"{path}: holds Parquet files and {len(others)} other file(s) ({shown}): value the Parquet files "
                "and the logs in separate runs (or convert the logs: livemoney convert LOG --to parquet)"
            )
    return files


def parquet_inputs(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """The Parquet files of one path or several, in the order given (`parquet_files`); none is a `ReaderError`."""
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = [file for path in given for file in parquet_files(path)]
    if not files:
        raise ReaderError(f"no Parquet files in {', '.join(str(path) for path in given)}")
    return files


def run_setup(
    pm: PluginManager | None,
    currency: str,
    as_of: dt.date | str | None,
    settings: dict[str, Any] | None,
    platform: str | None,
    rates: Any,
    rate_fallback: str | None,
) -> tuple[PluginManager, Context, KnownPlatforms]:
    """The plugins, the context and the known platforms of a table's run, from `livemoney.value`'s arguments;
    a ``platform`` no plugin knows is a `ReaderError`."""
    pm = pm or default_manager()
    context = api.context(currency, as_of, settings, pm, rates=rates, rate_fallback=rate_fallback)
    known = KnownPlatforms(pm)
    if platform is not None and platform not in known:
        raise ReaderError(f"platform: {known.problem(platform)}")
    return pm, context, known


def rejects_to(rejects: str | os.PathLike | None) -> contextlib.AbstractContextManager[TextIO | None]:
    """The file a run writes its rejected rows to (`write_reject`), or none."""
    return open(rejects, "w", encoding="utf-8") if rejects is not None else contextlib.nullcontext()


# --- writing Parquet ------------------------------------------------------------------------------


def arrow_events_schema() -> Any:
    """The pyarrow schema of a Parquet file of events (`EVENT_COLUMNS`, amounts as decimal text)."""
    from livemoney.engine.ratecard import pyarrow

    pa = pyarrow()
    types = {"count": pa.int64(), "time": pa.timestamp("us", tz="UTC")}
    schema = pa.schema([pa.field(column.name, types.get(column.json, pa.string())) for column in EVENT_COLUMNS])
    return schema.with_metadata({"livemoney": json.dumps({"events": 1, "amount": "decimal text"})})


def event_row(event: Event) -> dict[str, Any]:
    """``event`` as a row of `EVENT_COLUMNS`: a ``money`` field as its decimal text and currency, ``None``
    in the columns of other types (the ``source`` is no column)."""
    row: dict[str, Any] = dict.fromkeys(column.name for column in EVENT_COLUMNS)
    row["type"] = event.kind
    for column in EVENT_COLUMNS:
        if column.json in ("type", "currency") or event.kind not in column.kinds:
            continue
        value = getattr(event, column.name)
        if column.json == "money":
            row[column.name] = None if value is None else plain(value)
            row[CURRENCY] = None if value is None else value.currency
        elif column.json == "time":
            row[column.name] = None if value is None else value.astimezone(dt.UTC)
        else:
            row[column.name] = value
    return row


class ParquetWriter:
    """Writes events to a Parquet file (`arrow_events_schema`) in batches of `BATCH_ROWS`: ``add`` each,
    then ``close`` (or use it as a context manager). An event that does not fit (a count beyond int64)
    raises `ValueError` from ``add``."""

    def __init__(self, path: str | os.PathLike) -> None:
        from livemoney.engine.ratecard import pyarrow

        pa = pyarrow()
        import pyarrow.parquet as pq

        self._pa = pa
        self._schema = arrow_events_schema()
        self._writer = pq.ParquetWriter(os.fspath(path), self._schema, compression="zstd")
        self._rows: list[dict[str, Any]] = []
        self.written = 0

    def add(self, event: Event) -> None:
        row = event_row(event)
        count = row.get("count")
        if count is not None and not -(1 << 63) <= count < 1 << 63:
            raise ValueError(f"count: {count} does not fit a Parquet int64")
        self._rows.append(row)
        if len(self._rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._pa.Table.from_pylist(self._rows, schema=self._schema))
            self.written += len(self._rows)
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_parquet(items: Iterable[Any], path: str | os.PathLike) -> int:
    """Write the events of ``items`` (other items are passed over) to a Parquet file; how many were written."""
    with ParquetWriter(path) as writer:
        for item in items:
            if isinstance(item, Event):
                writer.add(item)
    return writer.written


# --- the SQL every engine runs ----------------------------------------------------------------------


@attrs.frozen(slots=True)
class Dialect:
    """What differs between the engines' SQL: a quoted name, a string literal, whole microseconds since
    1970 of a timestamp, floor division of whole numbers, a hash of columns (``None``: join the card on
    the raw key's columns themselves), the DECIMAL type of the card's amounts."""

    quote: Callable[[str], str]
    literal: Callable[[str], str]
    epoch_us: str
    floordiv: str
    hash: str | None
    money: str


class Engine(Protocol):
    """What `value_table` needs of an engine, beside its `Dialect`: run a query (all rows, as tuples),
    run a statement, register a small table of rows, make the ``repeated`` table of the ids seen more
    than once, and say the condition that picks their rows."""

    dialect: Dialect

    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...

    def run(self, sql: str) -> None: ...

    def table(self, name: str, columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]) -> None: ...

    def repeated(self, keyed: str, name: str) -> bool:
        """Make table ``name`` of the ids seen more than once among ``keyed``'s rows; whether there is any."""

    def repeated_condition(self, alias: str, name: str) -> str:
        """The SQL condition that a row (``alias``) has an id of table ``name`` (a superset may be picked)."""


def _floordiv(dialect: Dialect, value: str, by: int) -> str:
    return dialect.floordiv.format(value, by)


@attrs.frozen(slots=True)
class Names:
    """The engine's names of the tables and views one valuation makes (unique per run)."""

    events: str
    keyed: str
    card: str
    valued: str
    repeated: str

    @classmethod
    def of(cls, prefix: str) -> Names:
        return cls(*(f"{prefix}_{name}" for name in ("events", "keyed", "card", "valued", "repeated")))


def _raw_names(dialect: Dialect) -> list[str]:
    """The raw key's columns, quoted, with the day."""
    q = dialect.quote
    return [q(column.name) for column in RAW[:2]] + [q(DAY)] + [q(column.name) for column in RAW[2:]]


def keyed_sql(dialect: Dialect, names: Names) -> str:
    """The rows with their UTC day, millisecond and minute of ``ts`` (and the raw key's hash, ``rk``)."""
    us = dialect.epoch_us.format(dialect.quote(TIME))
    rk = ""
    if dialect.hash is not None:
        day = _floordiv(dialect, us, DAY_US)
        columns = [dialect.quote(c.name) for c in RAW[:2]] + [day] + [dialect.quote(c.name) for c in RAW[2:]]
        rk = f", {dialect.hash.format(', '.join(columns))} AS rk"
    return (
        f"CREATE OR REPLACE TEMP VIEW {names.keyed} AS SELECT e.*, {_floordiv(dialect, us, DAY_US)} AS {DAY}, "
        f"{_floordiv(dialect, us, 1000)} AS ms, {_floordiv(dialect, us, MINUTE_US)} AS {dialect.quote('minute')}"
        f"{rk} FROM {names.events} e"
    )


def raw_keys_sql(dialect: Dialect, names: Names) -> str:
    """Each raw key (with ``rk``), how many rows have it and the position of the first."""
    raw = ", ".join(_raw_names(dialect))
    rk = "rk, " if dialect.hash is not None else ""
    return f"SELECT {rk}{raw}, count(*) AS n, min(pos) AS first FROM {names.keyed} GROUP BY {rk}{raw}"


def _card_condition(dialect: Dialect, names: Names, exact: bool) -> str:
    if dialect.hash is not None and not exact:
        return "k.rk = c.rk"
    return " AND ".join(f"k.{name} IS NOT DISTINCT FROM c.{name}" for name in _raw_names(dialect))


def card_columns(dialect: Dialect, exact: bool) -> list[tuple[str, str]]:
    """The card table's columns: the raw key's hash (or its columns), the valuation's index, gross and net."""
    types = {"count": "BIGINT", "date": "BIGINT"}
    key = (
        [("rk", "UBIGINT")]
        if dialect.hash is not None and not exact
        else [(column.name, types.get(column.json, "STRING")) for column in (*RAW[:2], _DAY, *RAW[2:])]
    )
    return [*key, ("card", "INTEGER"), ("gross", dialect.money), ("net", dialect.money)]


_DAY = Column(DAY, "date", ())


def valued_sql(dialect: Dialect, names: Names, host: str | None, exact: bool) -> str:
    """The rows of a valued raw key, with their valuation (``card``), exact gross and net, and whether each
    is a gift to a guest, a gift naming a recipient without any host, or naming another host than ``host``."""
    given = "NULL" if host is None else dialect.literal(host)
    q = dialect.quote
    gift = f"k.{q('type')} = 'gift' AND k.recipient IS NOT NULL"
    anchor = f"coalesce(k.host, {given})"
    return (
        f"CREATE OR REPLACE TEMP VIEW {names.valued} AS SELECT /*+ BROADCAST(c) */ k.pos, k.src, k.line, k.{q('type')} AS kind, "
        f"k.{q(PLATFORM)} AS platform, k.viewer, k.id, k.recipient, k.ms, k.{q('minute')} AS bin, "
        f"c.card, c.gross, c.net, "
        f"({gift} AND {anchor} IS NOT NULL AND k.recipient <> {anchor}) AS guest, "
        f"({gift} AND k.host IS NULL AND {given} IS NULL) AS hostless, "
        f"({gift} AND {given} IS NOT NULL AND k.host IS NOT NULL AND k.host <> {given}) AS host_differs "
        f"FROM {names.keyed} k JOIN {names.card} c ON {_card_condition(dialect, names, exact)}"
    )


SETS = ("card", "viewer", "bin", "recipient", "total")
"""The sums of `sums_sql`, by grouping set: per valuation and guest flag, per viewer (the creator's events),
per minute (the creator's events with a time), per recipient of gifts without any host, and in all."""


def sums_sql(rows: str) -> str:
    """Counts and exact sums of ``rows`` (a valued view or query) per grouping set (`SETS`); ``g`` tells the
    set (`grouping_id`); the total's row also counts the gifts to no known host, those naming another host and
    the events without an id (`Totals.without_id`)."""
    return (
        "SELECT grouping_id(card, guest, v, b, r) AS g, card, guest, v, b, r, count(*) AS n, sum(gross) AS gross, "
        "sum(net) AS net, count(CASE WHEN hostless THEN 1 END) AS hostless, "
        "count(CASE WHEN host_differs THEN 1 END) AS host_differs, count(no_id) AS without_id FROM (SELECT card, "
        "guest, gross, net, hostless, host_differs, CASE WHEN id IS NULL OR id = '' THEN 1 END AS no_id, "
        "CASE WHEN NOT guest THEN viewer END AS v, CASE WHEN NOT guest THEN bin END AS b, "
        f"CASE WHEN hostless THEN recipient END AS r FROM {rows}) s "
        "GROUP BY GROUPING SETS ((card, guest), (v), (b), (r), ())"
    )


_GROUPS = {0b00111: "card", 0b11011: "viewer", 0b11101: "bin", 0b11110: "recipient", 0b11111: "total"}


def marked_sql(engine: Engine, names: Names) -> str:
    """The valued rows of ids seen more than once, each marked a duplicate (an earlier row of its platform and
    id has its valuation, millisecond and viewer) or an id conflict (the first of its content, not of its id)."""
    condition = engine.repeated_condition("x", names.repeated)
    return (
        "SELECT *, row_number() OVER (PARTITION BY platform, id, card, ms, viewer ORDER BY pos) > 1 AS duplicate, "
        "min(pos) OVER (PARTITION BY platform, id) AS first_of_id "
        f"FROM (SELECT * FROM {names.valued} x WHERE x.id IS NOT NULL AND x.id <> '' AND {condition}) r"
    )


# --- one valuation, on any engine ----------------------------------------------------------------------


@attrs.define
class _Sums:
    """One grouping set's figures: rows, exact gross and net."""

    n: int = 0
    gross: Decimal = Decimal(0)
    net: Decimal = Decimal(0)

    def take(self, other: _Sums) -> None:
        self.n -= other.n
        self.gross -= other.gross
        self.net -= other.net


def _sums(rows: list[tuple[Any, ...]]) -> dict[str, dict[Any, _Sums]]:
    """`sums_sql`'s rows by set: card → ``{(card, guest): _Sums}``, viewer, bin, recipient, total."""
    found: dict[str, dict[Any, _Sums]] = {name: {} for name in (*SETS, "hostless", "host_differs", "without_id")}
    for g, card, guest, viewer, minute, recipient, n, gross, net, hostless, host_differs, without_id in rows:
        group = _GROUPS[g]
        key = {"card": (card, guest), "viewer": viewer, "bin": minute, "recipient": recipient, "total": None}[group]
        if key is None and group != "total":
            continue  # the creator's events without a viewer (or time), gifts to guests, gifts with a host
        found[group][key] = _Sums(n, gross or Decimal(0), net or Decimal(0))
        if group == "total":
            found["hostless"][None] = _Sums(hostless)
            found["host_differs"][None] = _Sums(host_differs)
            found["without_id"][None] = _Sums(without_id)
    return found


def conflict_description(platform: str, id_: str, where: str, kind: str, viewer: str | None) -> str:
    """How a report names an id conflict, in the words of the local engine's (`livemoney.engine.valuer`)."""
    return (
        f"{platform} id {id_!r} at {where} ({kind} by {viewer or '(no viewer)'}) differs from an earlier event "
        "with that id"
    )


def _units(amount: Decimal) -> int:
    """An exact sum (at most `EXACT_PLACES` decimal places) in units of ``10**-EXACT_PLACES``."""
    return int(amount.scaleb(EXACT_PLACES))


def _record(columns: Sequence[str], values: Sequence[Any], day_of_ts: bool = False) -> dict[str, Any]:
    """A row as the canonical record it stands for: its non-null cells (a time as ISO text, UTC)."""
    record: dict[str, Any] = {}
    for name, value in zip(columns, values):
        if value is None:
            continue
        if name == DAY and day_of_ts:
            name, value = TIME, _day_text(value)
        elif name == DAY:
            continue
        elif isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        record[name] = value
    return record


def _day_text(day: int) -> str:
    """The start of UTC day ``day`` (days since 1970) as ISO text, or text the reader refuses if out of range."""
    try:
        return (_EPOCH + dt.timedelta(days=day)).isoformat().replace("+00:00", "Z")
    except OverflowError:
        return f"day {day} since 1970, out of range"


@attrs.frozen(slots=True)
class Raw:
    """One raw key: its hash (or ``None``), its columns' values, rows and the first row's position."""

    rk: Any
    values: tuple[Any, ...]
    rows: int
    first: int


def value_table(
    engine: Engine,
    names: Names,
    sources: Sequence[str],
    context: Context,
    pm: PluginManager,
    known: KnownPlatforms,
    *,
    on_error: str = "skip",
    rejects: Any = None,
    host: str | None = None,
    card_out: list[RateCard] | None = None,
    inputs: int = 1,
) -> Report:
    """Value the rows of ``names.events`` (made by the engine: `_ROW_COLUMNS` and `EVENT_COLUMNS`, the default
    platform filled in) into the `Report` the local engine gives: see the module docstring.

    :param sources: the name of each file, by the rows' ``src``.
    :param rejects: a text file that receives each rejected row (`write_reject`).
    :param card_out: a list that receives the run's `RateCard` (with its counts).
    :param inputs: how many inputs the user gave (`Report.inputs`: events without an id, given in several, are
        warned of, as the local engine does).
    """
    if on_error not in ("fail", "skip"):
        raise ValueError(f"on_error: {on_error!r} is not one of fail, skip")
    dialect = engine.dialect
    engine.run(keyed_sql(dialect, names))
    raws = [
        Raw(row[0], tuple(row[1:-2]), row[-2], row[-1])
        if dialect.hash is not None
        else Raw(None, row[:-2], row[-2], row[-1])
        for row in engine.rows(raw_keys_sql(dialect, names))
    ]
    raws.sort(key=lambda raw: raw.first)
    exact = dialect.hash is not None and len({raw.rk for raw in raws}) != len(raws)  # a hash shared: join on columns
    columns = [c.name for c in RAW[:2]] + [DAY] + [c.name for c in RAW[2:]]

    # 2. each raw key as a canonical record: its event (so its valuation key), or why its rows are rejected
    keys: dict[tuple[Any, ...], int] = {}
    of_raw: list[int | None] = []
    for raw in raws:
        item = decode(_record(columns, raw.values, day_of_ts=True), 0, "", "", None, known)
        if isinstance(item, Rejected):
            of_raw.append(None)
        else:
            of_raw.append(keys.setdefault(event_key(item), len(keys)))
    card = RateCard.for_keys(keys, context, pm)
    valuations = [entry.valuation for entry in card.entries]
    totals = Totals(context.currency, context.as_of)
    totals.records = sum(raw.rows for raw in raws)

    card_rows = []
    bad = False
    for raw, index in zip(raws, of_raw):
        valuation = None if index is None else valuations[index]
        if valuation is None:
            bad = True
            continue
        key = (raw.rk,) if dialect.hash is not None and not exact else raw.values
        card_rows.append((*key, index, valuation.gross.amount, valuation.net.amount))
    engine.table(names.card, card_columns(dialect, exact), card_rows)

    # 5. rejected rows, in order, each read as a canonical record
    if bad:
        _reject_rows(engine, names, sources, card, exact, known, totals, on_error, rejects)

    engine.run(valued_sql(dialect, names, host, exact))
    found = _sums(engine.rows(sums_sql(names.valued)))

    # 4. duplicates and id conflicts among the rows of ids seen more than once
    if engine.repeated(names.keyed, names.repeated):
        marked = marked_sql(engine, names)
        duplicates = _sums(engine.rows(sums_sql(f"({marked}) m WHERE duplicate")))
        for group, taken in duplicates.items():
            for key, sums in taken.items():
                found[group].setdefault(key, _Sums()).take(sums)
        totals.duplicates = duplicates["total"][None].n if None in duplicates["total"] else 0
        conflicts = engine.rows(
            f"SELECT src, line, platform, id, kind, viewer, count(*) OVER () AS n FROM ({marked}) m "
            "WHERE NOT duplicate AND pos > first_of_id ORDER BY pos LIMIT 100"
        )
        for src, line, platform, id_, kind, viewer, _ in conflicts:
            totals.conflict(conflict_description(platform, id_, f"{sources[src]}:{line}", kind, viewer))
        totals.conflicts = conflicts[0][-1] if conflicts else 0

    # 3. the report: counts per valuation times the exact valuations; viewers and minutes as summed
    counts: dict[int, list[int]] = {}
    for (index, guest), sums in found["card"].items():
        if sums.n:
            counts.setdefault(index, [0, 0])[1 if guest else 0] += sums.n
    for index, entry in enumerate(card.entries):
        valuation = entry.valuation
        events, guests = counts.get(index, (0, 0))
        if valuation is None or not (events or guests):
            continue
        original = original_amount(key_event(entry.key))
        if events:
            totals.add(valuation, events, original)
        if guests:
            totals.add(valuation, guests, original, to_guests=True)
    for viewer, sums in found["viewer"].items():
        if sums.n:
            totals.viewers[viewer] = pack(_units(sums.gross), _units(sums.net), sums.n)
    for minute, sums in found["bin"].items():
        if sums.n:
            moment = _EPOCH + dt.timedelta(minutes=minute)
            totals.bins[moment.strftime("%Y-%m-%dT%H:%M")] = pack(_units(sums.gross), _units(sums.net), sums.n)
    totals.hostless_gifts = found["hostless"][None].n if None in found["hostless"] else 0
    totals.host_differs = found["host_differs"][None].n if None in found["host_differs"] else 0
    totals.without_id = found["without_id"][None].n if None in found["without_id"] else 0
    recipients = [recipient for recipient, sums in found["recipient"].items() if sums.n > 0]
    totals.recipients = set(sorted(recipients)[:100])
    if card_out is not None:
        card_out.append(_counted(card, counts))
    return totals.report(inputs=inputs)


def _counted(card: RateCard, counts: dict[int, list[int]]) -> RateCard:
    entries = tuple(
        attrs.evolve(entry, events=counts.get(index, [0, 0])[0], to_guests=counts.get(index, [0, 0])[1])
        for index, entry in enumerate(card.entries)
    )
    return attrs.evolve(card, entries=entries)


def _reject_rows(
    engine: Engine,
    names: Names,
    sources: Sequence[str],
    card: RateCard,
    exact: bool,
    known: KnownPlatforms,
    totals: Totals,
    on_error: str,
    rejects: Any,
) -> None:
    """Count (and write) every row whose raw key is rejected or failed to value, in order; with
    ``on_error="fail"``, raise `InvalidInput` at the first."""
    dialect = engine.dialect
    q = dialect.quote
    names_ = [column.name for column in EVENT_COLUMNS]
    query = (
        f"SELECT k.src, k.line, {', '.join(f'k.{q(name)}' for name in names_)} FROM {names.keyed} k "
        f"LEFT JOIN {names.card} c ON {_card_condition(dialect, names, exact)} WHERE c.card IS NULL ORDER BY k.pos"
    )
    for src, line, *values in engine.rows(query):
        record = _record(names_, values)
        source = sources[src]
        raw = json.dumps(record, ensure_ascii=False, default=str)
        item = decode(record, line, source, raw, None, known)
        if isinstance(item, Event):  # valid, but its key is not valued: why
            field, problem = card[event_key(item)].rejected or ("(event)", "not valued")
            item = Rejected(source, line, field, problem, raw)
        totals.reject(item)
        if rejects is not None:
            write_reject(rejects, item)
        if on_error == "fail":
            raise InvalidInput(item)


# --- DuckDB ----------------------------------------------------------------------------------------


def _duckdb() -> Any:
    return extra("duckdb", f"valuing Parquet files needs DuckDB: {DUCKDB_INSTALL}")


def _duck_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


DUCKDB = Dialect(
    quote=lambda name: '"' + name.replace('"', '""') + '"',
    literal=_duck_literal,
    epoch_us="epoch_us({0})",
    floordiv="(({0}) - ((({0}) % {1}) + {1}) % {1}) // {1}",
    hash="hash({0})",
    money="DECIMAL(38, 10)",
)

_INTEGER = re.compile(r"(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT)$")
_DECIMAL_TYPE = re.compile(r"DECIMAL\(\d+,\s*\d+\)$")


def column_sql(column: Column, found: str | None, source: str, quote: Callable[[str], str]) -> str:
    """The SQL that reads ``column`` (of DuckDB type ``found``, ``None``: absent) as the schema's type; a
    type the schema does not take raises `ReaderError` naming the file and column."""
    name = quote(column.name)
    if found is None:
        kind = {"count": "BIGINT", "time": "TIMESTAMPTZ"}.get(column.json, "VARCHAR")
        return f"CAST(NULL AS {kind}) AS {name}"
    kind = found.upper()
    if column.json == "count":
        if _INTEGER.match(kind):
            return f"CAST({name} AS BIGINT) AS {name}"
        raise ReaderError(f"{source}: column {column.name} is {found}, not a whole number (int64)")
    if column.json == "time":
        if kind in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
            return name
        if kind.startswith("TIMESTAMP"):
            raise ReaderError(
                f"{source}: column {column.name} is {found}, a time without a time zone; write UTC times "
                "(a timestamp with time zone: Parquet's isAdjustedToUTC)"
            )
        raise ReaderError(f"{source}: column {column.name} is {found}, not a timestamp with time zone")
    if column.json == "money":
        if kind == "VARCHAR" or _INTEGER.match(kind) or _DECIMAL_TYPE.match(kind):
            return f"CAST({name} AS VARCHAR) AS {name}"
        raise ReaderError(
            f"{source}: column {column.name} is {found}: amounts must be exact, as decimal text (or a DECIMAL); "
            "a floating-point number is no exact money"
        )
    if kind == "VARCHAR" or (column.json == "id" and _INTEGER.match(kind)):
        return f"CAST({name} AS VARCHAR) AS {name}" if kind != "VARCHAR" else name
    raise ReaderError(f"{source}: column {column.name} is {found}, not text")


class DuckEngine:
    """`Engine` on a DuckDB connection: the repeated ids are found by sorting the 64-bit hashes of every
    row's platform and id (numpy), so that only ids seen more than once are grouped."""

    dialect = DUCKDB

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._duckdb = _duckdb()

    def _error(self, error: Exception) -> ReaderError:
        return ReaderError(f"DuckDB: {error}")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return self.connection.execute(sql).fetchall()
        except self._duckdb.Error as error:
            raise self._error(error) from None

    def run(self, sql: str) -> None:
        try:
            self.connection.execute(sql)
        except self._duckdb.Error as error:
            raise self._error(error) from None

    def table(self, name: str, columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]) -> None:
        """The rows as lists bound to the statement (no pandas, no Arrow), amounts as their decimal text. An
        amount column whose values all fit DECIMAL(18, 10) is one (8 bytes a value: faster sums, which are
        DECIMAL(38, 10) still)."""
        q = self.dialect.quote
        cells, values = [], []
        for index, (column, kind) in enumerate(columns):
            cells_of = [row[index] for row in rows]
            if kind.startswith("DECIMAL"):
                if all(value is None or abs(value) < NARROW for value in cells_of):
                    kind = "DECIMAL(18, 10)"
                cells.append(f"CAST(unnest(?::VARCHAR[]) AS {kind}) AS {q(column)}")
                cells_of = [None if value is None else format(value, "f") for value in cells_of]
            else:
                cells.append(f"unnest(?::{'VARCHAR' if kind == 'STRING' else kind}[]) AS {q(column)}")
            values.append(cells_of)
        try:
            self.connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(cells)}", values)
        except self._duckdb.Error as error:
            raise self._error(error) from None

    def repeated(self, keyed: str, name: str) -> bool:
        import numpy as np

        try:
            hashes = self.connection.execute(
                f"SELECT hash({PLATFORM}, id) AS h FROM {keyed} WHERE id IS NOT NULL AND id <> ''"
            ).fetchnumpy()["h"]
        except self._duckdb.Error as error:
            raise self._error(error) from None
        hashes.sort()
        repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
        if not len(repeated):
            return False
        self.table(name, [("h", "UBIGINT")], [(int(h),) for h in repeated])
        return True

    def repeated_condition(self, alias: str, name: str) -> str:
        return f"hash({alias}.platform, {alias}.id) IN (SELECT h FROM {name})"

    def events_view(self, names: Names, files: Sequence[Path], platform: str | None) -> None:
        """The view ``names.events`` of every row of ``files``, in order, typed by the schema (`column_sql`)."""
        q = self.dialect.quote
        selects = []
        for index, path in enumerate(files):
            source = _duck_literal(os.fspath(path))
            described = self.rows(f"DESCRIBE SELECT * FROM read_parquet({source})")
            types = {row[0]: row[1] for row in described}
            cells = [column_sql(column, types.get(column.name), os.fspath(path), q) for column in EVENT_COLUMNS]
            if platform is not None:
                cells[1] = f"coalesce({q(PLATFORM)}, {_duck_literal(platform)}) AS {q(PLATFORM)}"
            selects.append(
                f"SELECT {index} * {FILE_SHIFT} + file_row_number + 1 AS pos, {index} AS src, "
                f"file_row_number + 1 AS line, {', '.join(cells)} "
                f"FROM read_parquet({source}, file_row_number = true)"
            )
        self.run(f"CREATE OR REPLACE TEMP VIEW {names.events} AS {' UNION ALL '.join(selects)}")


def value_parquet(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    currency: str = "USD",
    as_of: dt.date | str | None = None,
    settings: dict[str, Any] | None = None,
    *,
    pm: PluginManager | None = None,
    platform: str | None = None,
    on_error: str = "fail",
    rejects: str | os.PathLike | None = None,
    host: str | None = None,
    rates: Any = None,
    rate_fallback: str | None = None,
    threads: int | None = None,
    card_out: list[RateCard] | None = None,
) -> Report:
    """Value Parquet files of events (or folders of them) with DuckDB: the `Report` `livemoney.value` gives
    on the same events (see the module docstring). The arguments are `livemoney.value`'s; duplicates are
    caught across all the files, which are read in the order given (a folder's by name).

    :param threads: DuckDB's threads (default: one per core).
    :param card_out: a list that receives the run's `RateCard`, with each key's valued events.
    """
    duckdb = _duckdb()
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = parquet_inputs(given)
    pm, context, known = run_setup(pm, currency, as_of, settings, platform, rates, rate_fallback)
    config = {} if threads is None else {"threads": threads}
    connection = duckdb.connect(":memory:", config=config)
    try:
        engine = DuckEngine(connection)
        names = Names.of("lm")
        engine.events_view(names, files, platform)
        with rejects_to(rejects) as rejects_file:
            return value_table(
                engine,
                names,
                [os.fspath(file) for file in files],
                context,
                pm,
                known,
                on_error=on_error,
                rejects=rejects_file,
                host=host,
                card_out=card_out,
                inputs=len(given),  # a folder is one input, as one capture is
            )
    finally:
        connection.close()


__all__ = [
    "DUCKDB",
    "Dialect",
    "DuckEngine",
    "Engine",
    "Names",
    "ParquetWriter",
    "arrow_events_schema",
    "event_row",
    "is_parquet",
    "parquet_files",
    "parquet_inputs",
    "value_parquet",
    "value_table",
    "write_parquet",
]
