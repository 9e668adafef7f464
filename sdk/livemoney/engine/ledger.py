"""The ledger: an SQLite file of valued events, written so that nothing counts twice.

    lm.value("stream.jsonl", currency="EUR", ledger="earnings.sqlite")   # records every valued event
    lm.value(ledger="earnings.sqlite")                                   # the report of what it holds

**Only livemoney ledgers are opened.** A ledger's SQLite header carries livemoney's `APPLICATION_ID`
(``PRAGMA application_id``) and its schema version (`SCHEMA_VERSION`, ``PRAGMA user_version``). Before
SQLite opens a file for writing, the file is checked, read only (`check`): not an SQLite database, another
application's database, a truncated file, corrupt pages (SQLite's ``quick_check``), a ledger of an older
or newer schema, or one holding valuations made with another currency, ``as_of``, settings, rates or host
each raise `LedgerError` with one line, and the file is left byte for byte as it was. A new ledger is made
only where no file is, or the file is empty: in a temporary file beside it, moved into place whole. An
older ledger (schema 1 or 2) is never changed or migrated: value the logs again into a new ledger file
(its keys cannot be carried over: events without an id were keyed by a hash of their log's path and
ordinal, which this schema keys by file and line).

**Tables.** ``meta`` (schema, currency, as_of, settings, rates, host), ``files`` (each log valued into it:
its absolute path and the path as given), ``valuations`` (each distinct valuation once: the event without
its identity, the UTC day it was valued for, gross, shares, net, exact to
`livemoney.core.money.EXACT_PLACES` decimal places, the rules' explanation) and ``events`` (one row per
valued event: its key, its valuation, viewer, time, stream, id, host, file and line, and whether it was a
gift to a guest). The view ``event_lines`` gives each event back as a canonical JSON line.

**Keys.** An event with an id: ``PLATFORM:LENGTH:ID:FINGERPRINT``, where the fingerprint is what tells two
events sharing an id apart, as in one run (`livemoney.core.schema.fingerprint`): a digest of the event
without its identity (its valuation key), its time in milliseconds and its viewer. The same message
captured twice is one row; two different events sharing an id are two (an id conflict). Without an id:
``@FILE:LINE[.N]:FINGERPRINT`` (N: the event's place among the events of its line, when a record holds
several), or ``#ORDINAL:FINGERPRINT`` for events given without a file: two identical gifts without ids
are two rows, and valuing the same log again adds none.

**Writing.** Rows are written with ``INSERT OR IGNORE`` in transactions of `BATCH` rows, in SQLite's WAL
journal with ``synchronous=NORMAL`` while a run writes (the file is put back in the rollback journal when
it closes, so that a ledger at rest is one file). A run that is killed loses at most its last uncommitted
batch, which the next run writes; nothing is ever written twice. The canonical fast path of
`livemoney.engine.valuer` builds its rows from a line's raw values (`key_of`, `moment`), the general
path from events (`Ledger.add`): the same rows.

**Reading.** `report_of` sums the rows in SQL: the report of a run into a new ledger, figures and the
counts a ledger knows (events valued, id conflicts, gifts naming a recipient without a host or another
host); records without money, rejected records and duplicates are not kept in a ledger.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Self, TypeVar

from livemoney.core.canonical import canonical_dict
from livemoney.core.models import Context, Event, Share, Valuation
from livemoney.core.money import Money, plain
from livemoney.core.records import timestamp
from livemoney.core.schema import millis
from livemoney.engine.report import Report, Totals, conflict_description
from livemoney.engine.rows import EventRows, to_millis
from livemoney.errors import LedgerError, LivemoneyError

BATCH = 10_000
"""Rows per transaction: a run that is killed loses at most this many, which the next run writes."""
APPLICATION_ID = 0x6C6D6E79
"""``PRAGMA application_id`` of a livemoney ledger (the bytes ``lmny``)."""
SCHEMA_VERSION = 3
"""``PRAGMA user_version`` of a ledger: 3, a valuation per distinct event and a narrow row per event (1: one
wide row per event, before explanations had a table; 2: exact amounts, keys with the event's hash)."""

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,    -- the log's absolute path, links resolved (events without an id are keyed by it)
    name TEXT NOT NULL            -- the path as given the first time (FILE in FILE:LINE)
);
CREATE TABLE valuations (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,  -- a digest of the rest of the row: a valuation is written once
    event TEXT NOT NULL,          -- the canonical JSON of the event without its identity (viewer, ts, stream, id, host)
    day TEXT,                     -- the UTC date the event was valued for (NULL: an event without a time)
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    currency TEXT NOT NULL,
    gross TEXT NOT NULL,          -- decimal strings, exact (EXACT_PLACES decimal places)
    shares TEXT NOT NULL,         -- JSON [[party, amount, source], ...]
    net TEXT NOT NULL,
    unknown INTEGER NOT NULL,
    reason TEXT,
    original_amount TEXT,         -- the money one event carried, in its own currency or unit
    original_currency TEXT,
    units TEXT NOT NULL,          -- JSON {unit: amount}
    explain TEXT NOT NULL,        -- JSON [line, ...]: the figures, their sources and dates, exchange rates
    residual TEXT                 -- the party that takes the rest (NULL: the creator's net)
);
CREATE TABLE events (
    key TEXT PRIMARY KEY,         -- PLATFORM:LENGTH:ID:FINGERPRINT, @FILE:LINE[.N]:FINGERPRINT or #ORDINAL:FINGERPRINT
    valuation INTEGER NOT NULL REFERENCES valuations (id),
    viewer TEXT,
    ts INTEGER,                   -- milliseconds since 1970, UTC (as the fingerprint sees time)
    stream TEXT,
    id TEXT,
    host TEXT,
    file INTEGER REFERENCES files (id),
    line INTEGER,                 -- FILE:LINE where it was read (NULL: an event given without a file)
    to_guest INTEGER NOT NULL     -- 1: a gift to a guest of a multi-guest LIVE (not the creator's)
) WITHOUT ROWID;
CREATE VIEW event_lines AS
    SELECT e.key, json_patch(v.event, json_object('host', e.host, 'viewer', e.viewer,
        'ts', CASE WHEN e.ts % 1000 = 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ', e.ts / 1000, 'unixepoch')
            ELSE strftime('%Y-%m-%dT%H:%M:%fZ', e.ts / 1000.0, 'unixepoch') END,
        'stream', e.stream, 'id', e.id)) AS event, f.name || ':' || e.line AS source, e.to_guest,
        e.valuation, v.day, v.platform, v.kind, v.currency, v.gross, v.shares, v.net, v.unknown, v.reason,
        v.original_amount, v.original_currency, v.units, v.explain, v.residual
    FROM events e JOIN valuations v ON v.id = e.valuation LEFT JOIN files f ON f.id = e.file;
"""
_INSERT_EVENTS = "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_PLAIN = "INSERT OR IGNORE INTO events (key, valuation, viewer, ts, id, line, file, to_guest) VALUES"
"""A row without stream and host, as most are: Python's sqlite3 binds a ``None`` at twice the cost of a value."""
_PER_STATEMENT = 100
_COLUMNS = {
    "files": "path, name",
    "valuations": "digest, event, day, platform, kind, currency, gross, shares, net, unknown, reason, original_amount,"
    " original_currency, units, explain, residual",
}
_HEADER = b"SQLite format 3\x00"
PAGE_SIZE = 32768
"""The page size of a new ledger: larger pages than SQLite's 4,096 take a row for fewer page splits and
frames written (a quarter less time inserting rows, measured)."""
_IDENTITY = frozenset(("viewer", "ts", "stream", "id", "source", "host"))
"""The identity fields an event row holds (`livemoney.core.schema`'s identity fields but the platform)."""


# --- what a ledger was valued with ------------------------------------------------------------


def _settings_text(context: Context) -> str:
    return json.dumps({key: str(value) for key, value in sorted(context.settings.items())})


def _rates_text(context: Context) -> str:
    """The user's own rates and fallback a ledger's valuations were made with ('' for the default rates)."""
    table = getattr(context.fx, "table", None)
    rows = [[str(row.date), row.base, row.quote, str(row.rate)] for row in table.rows] if table is not None else []
    fallback = getattr(context.fx, "fallback", None)
    if not rows and fallback is None:
        return ""
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16] if rows else ""
    return json.dumps({"rates": digest, "fallback": fallback})


def _meta(context: Context, host: str | None) -> dict[str, str]:
    return {
        "schema": str(SCHEMA_VERSION),
        "currency": context.currency,
        "as_of": context.as_of.isoformat() if context.as_of else "",
        "settings": _settings_text(context),
        "rates": _rates_text(context),
        "host": host or "",
    }


# --- keys -------------------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    """An exact, context-free text of ``value`` that equal amounts share (``1.5`` and ``1.50`` alike)."""
    if not value.is_finite():
        return str(value)
    sign, digits, exponent = value.as_tuple()
    if not any(digits):
        return "0"
    shown = "".join(map(str, digits)).rstrip("0")
    return f"{'-' if sign else ''}{shown}e{int(exponent) + len(digits) - len(shown)}"


def _stable(value: Any) -> Any:
    if isinstance(value, Money):
        return [_decimal_text(value.amount), value.currency]
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float)):
        return value
    return repr(value)


def _digest(text: str, size: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:size]


def key_digest(key: tuple[Any, ...]) -> str:
    """A digest of an event's valuation key (`livemoney.core.schema.event_key`) that is the same in every run:
    the part of a row's fingerprint that stands for what the event is (equal amounts alike)."""
    return _digest(json.dumps([_stable(value) for value in key], ensure_ascii=False))


def moment(ts: Any) -> tuple[int | None, str]:
    """A time as a row holds it, ``(milliseconds since 1970, the same as text for the key)``, from an aware
    datetime or a canonical line's raw time (ISO text or epoch digits, already checked); ``(None, "")``
    for none."""
    if ts is None:
        return None, ""
    found = millis(ts if isinstance(ts, dt.datetime) else timestamp(ts, "ts"))
    return found, str(found)


def key_of(
    platform: str, id_: str | None, digest: str, ms: str, viewer: str | None, file: int | None, line: Any
) -> str:
    """An event row's key (see the module docstring). ``digest``: `key_digest` of its valuation key; ``ms``:
    its time's milliseconds as text (`moment`); ``line``: the line (``"LINE"`` or ``"LINE.N"``), or the
    ordinal of an event given without a file (``file`` ``None``)."""
    fingerprint = f"{digest}/{ms}" if viewer is None else f"{digest}/{ms}/{viewer}"
    if id_:
        return f"{platform}:{len(id_)}:{id_}:{fingerprint}"
    if file is None:
        return f"#{line}:{fingerprint}"
    return f"@{file}:{line}:{fingerprint}"


# --- checking a file before SQLite opens it -------------------------------------------------------


def _uri(path: str, mode: str) -> str:
    return f"{Path(path).absolute().as_uri()}?mode={mode}"


def _header_problem(path: str) -> str | None:
    """Why the file at ``path`` is not a livemoney ledger this version writes, from its size and its SQLite
    header alone (``None``: it may be one; an SQLite file without livemoney's application id is looked into
    by `_foreign_problem`)."""
    with open(path, "rb") as stream:
        header = stream.read(100)
        size = os.fstat(stream.fileno()).st_size
    if len(header) < 100 or not header.startswith(_HEADER):
        return "not a livemoney ledger (not an SQLite database)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1):
        return f"a corrupt ledger (an SQLite header with a page size of {page_size} bytes)"
    if header[24:28] == header[92:96] and size < pages * page_size or size % page_size:
        return f"a truncated ledger ({size:,} bytes, its header says {pages * page_size:,})"
    application_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application_id not in (0, APPLICATION_ID):
        return f"another application's SQLite database (application id {application_id:#010x}), not a livemoney ledger"
    if application_id == APPLICATION_ID and version > SCHEMA_VERSION:
        return (
            f"a ledger of a newer livemoney (schema {version}; this version reads {SCHEMA_VERSION}): "
            "upgrade livemoney to use it"
        )
    if application_id == APPLICATION_ID and version < SCHEMA_VERSION:
        return _older(version)
    return None


def _older(version: int | str) -> str:
    return (
        f"a ledger of an older livemoney (schema {version}; this version reads and writes {SCHEMA_VERSION}), "
        "left as it is: value the logs again into a new ledger file"
    )


def _connect_read_only(path: str) -> sqlite3.Connection:
    return sqlite3.connect(_uri(path, "ro"), uri=True, isolation_level=None)


def _foreign_problem(db: sqlite3.Connection) -> str:
    """Why an SQLite database without livemoney's application id is not a ledger: an older ledger (a
    ``meta`` table with a ``currency`` row, an ``events`` table) or another application's."""
    tables = sorted(row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    if {"meta", "events"} <= set(tables):
        meta = dict(db.execute("SELECT name, value FROM meta WHERE name IN ('schema', 'currency')").fetchall())
        if "currency" in meta:
            return _older(meta.get("schema", "1"))
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return (
        f"another application's SQLite database (tables: {shown or 'none'}), not a livemoney ledger; "
        "it is left as it is"
    )


def check(path: str | os.PathLike, wanted: dict[str, str] | None = None) -> None:
    """Raise `LedgerError` (one line: the path and the problem) unless ``path`` is a whole livemoney ledger of
    this schema (and, with ``wanted``, holds valuations made with those `_meta` values). Reads only: the file
    is never written, whatever it holds."""
    path = os.fspath(path)
    try:
        if not os.path.isfile(path):
            raise LedgerError(f"{path}: {'no such ledger' if not os.path.exists(path) else 'not a file'}")
        if os.path.getsize(path) == 0:
            raise LedgerError(f"{path}: an empty file, not a livemoney ledger yet")
        problem = _header_problem(path)
        if problem is not None:
            raise LedgerError(f"{path}: {problem}")
        db = _connect_read_only(path)
        try:
            if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise LedgerError(f"{path}: {_foreign_problem(db)}")
            found = [row[0] for row in db.execute("PRAGMA quick_check")]
            if found != ["ok"]:
                raise LedgerError(
                    f"{path}: a corrupt ledger (SQLite's quick_check: {found[0]}), left as it is: restore it from a "
                    "copy, or value the logs again into a new ledger file"
                )
            if wanted is not None:
                _check_meta(path, db, wanted)
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise LedgerError(
            f"{path}: a corrupt ledger ({error}), left as it is: restore it from a copy, or value the logs again "
            "into a new ledger file"
        ) from None
    except OSError as error:
        raise LedgerError(f"{path}: cannot read the ledger ({error.strerror or error})") from None


def _check_meta(path: str, db: sqlite3.Connection, wanted: dict[str, str]) -> None:
    found = dict(db.execute("SELECT name, value FROM meta").fetchall())
    for name, value in wanted.items():
        if found.get(name) != value:
            raise LedgerError(
                f"{path}: the ledger holds valuations with {name} {found.get(name) or '(none)'!r}, "
                f"not {value or '(none)'!r}; use another ledger file"
            )


def _create(path: str, wanted: dict[str, str]) -> None:
    """A new ledger at ``path`` (where no file is, or an empty one): made in a temporary file beside it and
    moved into place whole, so that no half-made ledger is ever at ``path``. If another run made one there
    meanwhile, that one is kept."""
    folder, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.creating")
    try:
        db = sqlite3.connect(temporary, isolation_level=None)
        try:
            db.executescript(
                f"PRAGMA page_size = {PAGE_SIZE}; PRAGMA application_id = {APPLICATION_ID}; "
                f"PRAGMA user_version = {SCHEMA_VERSION};"
            )
            db.executescript(SCHEMA)
            db.executemany("INSERT INTO meta VALUES (?, ?)", wanted.items())
        finally:
            db.close()
        try:
            os.link(temporary, path)  # fails if a file is there: an empty one is replaced below
        except FileExistsError:
            if os.path.getsize(path) == 0:
                os.replace(temporary, path)
        except OSError:  # a file system without hard links
            if not os.path.exists(path) or os.path.getsize(path) == 0:
                os.replace(temporary, path)
    except (OSError, sqlite3.Error) as error:
        raise LedgerError(f"{path}: cannot create the ledger ({getattr(error, 'strerror', None) or error})") from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _storable(rows: Iterable[tuple]) -> list[tuple]:
    """Rows whose text SQLite takes as UTF-8: a lone surrogate (which a JSON escape can give) written as
    ``\\udc80``."""
    return [
        tuple(
            value.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(value, str) else value
            for value in row
        )
        for row in rows
    ]


# --- writing --------------------------------------------------------------------------------------


class Ledger:
    """An open ledger, for one run. `valuation` registers each distinct valuation and `file_id` each log,
    `add` records an event of the general path; the canonical fast path appends its rows to `plain` (or
    calls `add_line`) and commits when `pending` reaches `batch`. `commit` writes the pending rows in one
    transaction (also on a clean ``close``); ``added`` counts the rows that were new."""

    def __init__(
        self, path: str | os.PathLike, context: Context, batch: int | None = None, host: str | None = None
    ) -> None:
        self.path = os.fspath(path)
        self.batch = batch or BATCH
        self.added = 0
        self.rows: list[tuple] = []
        """Pending event rows: ``(key, valuation, viewer, ts, stream, id, host, file, line, to_guest)``."""
        self.plain: dict[int, list[Any]] = {}
        """Pending rows of the fast path without stream and host, not to a guest, by file, one after the other in
        one list: ``key, valuation, viewer, ts, id, line, key, ...`` (most rows: fewer values to bind, no tuple
        a row). The lists stay (`commit` empties them)."""
        self._valuations: dict[str, int] = {}
        self._files: dict[str, int] = {}
        wanted = _meta(context, host)
        if not os.path.exists(self.path) or (os.path.isfile(self.path) and os.path.getsize(self.path) == 0):
            _create(self.path, wanted)
        check(self.path, wanted)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA cache_size = -16384")  # KiB: ids that come in no order find their pages
        except sqlite3.DatabaseError as error:
            raise LedgerError(f"{self.path}: cannot open the ledger ({error})") from None

    # --- what rows refer to: valuations and files, written at once ----------------------------

    def valuation(
        self, key: tuple[Any, ...], event: Event, valuation: Valuation, original: Money | None
    ) -> tuple[int, str]:
        """The distinct valuation of ``event`` in the ``valuations`` table (added now if new): ``(its id, the
        `key_digest` of its valuation key ``key``)``, what each of its event rows refers to."""
        record = canonical_dict(event)
        for name in _IDENTITY:
            record.pop(name, None)
        day = key[2]
        row = (
            json.dumps(record, ensure_ascii=False),
            day.isoformat() if day is not None else None,
            valuation.platform,
            valuation.kind,
            valuation.currency,
            plain(valuation.gross.amount),
            json.dumps(
                [[s.party, plain(s.amount.amount), s.source.cite() if s.source else None] for s in valuation.shares],
                ensure_ascii=False,
            ),
            plain(valuation.net.amount),
            int(valuation.unknown),
            valuation.reason,
            plain(original.amount) if original is not None else None,
            original.currency if original is not None else None,
            json.dumps({unit: plain(amount) for unit, amount in valuation.units.items()}),
            json.dumps(list(valuation.explain), ensure_ascii=False),
            valuation.residual,
        )
        digest = _digest("\x1f".join("\x00" if value is None else str(value) for value in row), 32)
        found = self._valuations.get(digest)
        if found is None:
            if len(self._valuations) >= 100_000:
                self._valuations.clear()
            found = self._insert("valuations", (digest, *row))
            self._valuations[digest] = found
        return found, key_digest(key)

    def file_id(self, source: str) -> int:
        """The id of the log ``source`` (a path as given) in the ``files`` table, added the first time."""
        found = self._files.get(source)
        if found is None:
            path = os.path.realpath(source) if os.path.exists(source) else source
            found = self._files[source] = self._insert("files", (path, source))
        return found

    def _insert(self, table: str, row: tuple) -> int:
        """The ``id`` of the row of ``table`` whose second column (a unique one) is ``row[0]``, added if new
        (in the open transaction: it is committed with the rows that refer to it)."""
        columns = _COLUMNS[table]
        try:
            self._begin()
            for values in (row, _storable([row])[0]):
                try:
                    self._db.execute(
                        f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})", values
                    )
                    break
                except UnicodeEncodeError:
                    continue
            unique = columns.partition(",")[0]
            (found,) = self._db.execute(f"SELECT id FROM {table} WHERE {unique} = ?", values[:1]).fetchone()
        except sqlite3.Error as error:
            raise LedgerError(f"{self.path}: cannot write to the ledger ({error})") from None
        return found

    def _begin(self) -> None:
        """Open the write transaction, if none is: it holds the rows of a batch and what they refer to."""
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")

    # --- events -------------------------------------------------------------------------------

    def add(self, event: Event, ref: tuple[int, str], to_guest: bool = False, position: int = 0) -> None:
        """Record one valued event (written with the next commit). ``ref``: what `valuation` gave for its
        valuation; ``position``: its place among the events of its line (``event.source`` ``FILE:LINE``),
        or among the events given, for an event without a line."""
        when, ms = moment(event.ts)
        source, _, number = (event.source or "").rpartition(":")
        if source and number.isdigit():
            file: int | None = self.file_id(source)
            line: Any = int(number)
            place = f"{number}.{position}" if position else number
        else:
            file, line, place = None, None, str(position)
        key = key_of(event.platform, event.id, ref[1], ms, event.viewer, file, place)
        host = getattr(event, "host", None)
        self.rows.append((key, ref[0], event.viewer, when, event.stream, event.id, host, file, line, int(to_guest)))
        if self.pending() >= self.batch:
            self.commit()

    def add_line(
        self, line: Any, platform: str | None, ref: tuple[int, str], file: int, number: int, to_guest: bool
    ) -> None:
        """Record one valued line of the canonical fast path (a line of `livemoney.core.schema.line_decoder`,
        ``platform``: its own or the reader's default) as `add` records its event: the fast path's rows that
        do not go to `plain` (a gift to a guest, a line with a stream or a host)."""
        when, ms = moment(line.ts)
        host = line.host if line.type == "gift" else None  # only gifts have a host (others keep and ignore it)
        key = key_of(platform or "", line.id, ref[1], ms, line.viewer, file, number)
        self.rows.append((key, ref[0], line.viewer, when, line.stream, line.id, host, file, number, int(to_guest)))
        if self.pending() >= self.batch:
            self.commit()

    def pending(self) -> int:
        """The rows and lines not written yet."""
        return len(self.rows) + sum(map(len, self.plain.values())) // 6

    def commit(self) -> None:
        """Write the pending rows, with the valuations and files they refer to, in one transaction."""
        plain = {file: rows for file, rows in self.plain.items() if rows}
        if not plain and not self.rows and not self._db.in_transaction:
            return
        db = self._db
        try:
            self._begin()
            before = db.total_changes
            try:
                self._write(plain, self.rows)
            except UnicodeEncodeError:  # a lone surrogate: all again, storable (rows already in are ignored)
                self._write({file: list(_storable([tuple(values)])[0]) for file, values in plain.items()}, _storable(self.rows))
            added = db.total_changes - before
            db.execute("COMMIT")
        except sqlite3.Error as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise LedgerError(f"{self.path}: cannot write to the ledger ({error})") from None
        self.added += added
        for rows in self.plain.values():
            rows.clear()  # in place: the fast path appends to them
        self.rows.clear()

    def _write(self, plain: dict[int, list[Any]], rows: list[tuple]) -> None:
        """Insert the rows in the order they came (of rows with one key, the first is kept)."""
        db = self._db
        for file, values in plain.items():
            one = f"(?, ?, ?, ?, ?, ?, {int(file)}, 0)"  # the file and to_guest written in: fewer values to bind
            width = _PER_STATEMENT * 6
            whole = len(values) - len(values) % width
            if whole:  # `_PER_STATEMENT` rows a statement: a step per row costs more than the row
                many = f"{_INSERT_PLAIN} {', '.join([one] * _PER_STATEMENT)}"
                db.executemany(many, (values[at : at + width] for at in range(0, whole, width)))
            db.executemany(f"{_INSERT_PLAIN} {one}", (values[at : at + 6] for at in range(whole, len(values), 6)))
        db.executemany(_INSERT_EVENTS, rows)

    def close(self) -> None:
        """Close the file, back in the rollback journal (one file at rest) unless another run has it open."""
        try:
            self._db.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error:
            pass
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            if kind is None:
                self.commit()
        finally:
            self.close()


# --- reading --------------------------------------------------------------------------------------


def open_for_reading(path: str | os.PathLike) -> tuple[sqlite3.Connection, dict[str, str]]:
    """A read-only connection to the ledger at ``path`` (checked first, see `check`) and its ``meta``."""
    check(path)
    try:
        db = _connect_read_only(os.fspath(path))
        return db, dict(db.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.DatabaseError as error:
        raise LedgerError(f"{path}: a corrupt ledger ({error})") from None


def _valuation(row: tuple, currency: str) -> tuple[Valuation, Money | None]:
    """A ``valuations`` row (``platform`` to ``residual``) as a `Valuation` and the money one event carried."""
    platform, kind, gross, shares, net, unknown, reason, amount, unit, units, explain, residual = row
    valuation = Valuation(
        platform=platform,
        kind=kind,
        gross=Money(Decimal(gross), currency),
        shares=tuple(Share(party, Money(Decimal(value), currency)) for party, value, _ in json.loads(shares)),
        net=Money(Decimal(net), currency),
        units={name: Decimal(value) for name, value in json.loads(units).items()},
        explain=tuple(json.loads(explain)),
        unknown=bool(unknown),
        reason=reason,
        residual=residual,
    )
    return valuation, Money(Decimal(amount), unit) if amount is not None else None


_VALUATION_COLUMNS = (
    "platform, kind, gross, shares, net, unknown, reason, original_amount, original_currency, units, explain, residual"
)
_SHARED_IDS = """
SELECT DISTINCT substr(key, 1, width) FROM (
    SELECT key, lag(key) OVER (ORDER BY key) AS before, instr(key, ':') + length(length(id)) + length(id) + 2 AS width
    FROM events WHERE id IS NOT NULL AND id != ''
) WHERE substr(key, 1, width) = substr(before, 1, width)
"""
"""The key prefixes ``PLATFORM:LENGTH:ID:`` that several rows share (one scan in key order: rows of one
platform and id are next to one another)."""
_SHARING = """
SELECT e.key, e.id, e.file, e.line, f.name, json_extract(v.event, '$.type'), e.viewer
FROM events e JOIN valuations v ON v.id = e.valuation LEFT JOIN files f ON f.id = e.file
WHERE e.key >= ? AND e.key < ? ORDER BY e.file, e.line, e.key
"""


def _conflicts(db: sqlite3.Connection) -> list[str]:
    """The id conflicts a ledger holds, as a run names them: each event that shares its platform and id with
    an event read before it (by file, then line), in the order read."""
    named = []
    for (prefix,) in db.execute(_SHARED_IDS).fetchall():
        rows = db.execute(_SHARING, (prefix, prefix[:-1] + ";")).fetchall()  # the keys that start with prefix
        for key, id_, file, line, name, kind, viewer in rows[1:]:
            where = f"{name}:{line}" if name is not None else "(events)"
            platform = key.partition(":")[0]
            named.append(((file or 0, line or 0, key), conflict_description(platform, id_, where, kind, viewer)))
    return [description for _, description in sorted(named)]


_MINUTES = """
SELECT (ts - (ts % 60000 + 60000) % 60000) / 60000, valuation, COUNT(*) FROM events
WHERE to_guest = 0 AND ts IS NOT NULL GROUP BY 1, 2
"""
"""Events per UTC minute (minutes since 1970, rounded down also before 1970) and valuation."""
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


_T = TypeVar("_T")
_TAMPERED = (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError, OverflowError)


def _readable(read: Callable[[str | os.PathLike], _T]) -> Callable[[str | os.PathLike], _T]:
    """``read`` of a ledger, where a value no livemoney wrote (a row edited by hand or by another program:
    ``explain`` not a list, an amount not a number, a time beyond the calendar) is a `LedgerError` naming
    the file, not a traceback."""

    @functools.wraps(read)
    def guarded(path: str | os.PathLike) -> _T:
        try:
            return read(path)
        except LivemoneyError:
            raise
        except _TAMPERED as error:
            raise LedgerError(
                f"{path}: a ledger with a value livemoney did not write ({type(error).__name__}: {error}); "
                "value the logs into a new ledger"
            ) from None

    return guarded


@_readable
def report_of(path: str | os.PathLike) -> Report:
    """The `Report` of every event in the ledger at ``path``: the report of the runs that wrote it, to the
    figures (each rounded once, where shown) and the counts a ledger knows (see the module docstring)."""
    db, meta = open_for_reading(path)
    try:
        currency = meta["currency"]
        host = meta.get("host") or None
        totals = Totals(currency, dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None)
        valuations: dict[int, tuple[Valuation, Money | None, int]] = {}
        recipients = {}
        for identity, recipient, *columns in db.execute(
            f"SELECT id, CASE WHEN kind = 'gift' THEN json_extract(event, '$.recipient') END, {_VALUATION_COLUMNS}"
            " FROM valuations"
        ):
            valuation, original = _valuation(tuple(columns), currency)
            valuations[identity] = (valuation, original, totals.pack(valuation.gross.amount, valuation.net.amount))
            if recipient is not None:
                recipients[identity] = recipient
        grouped = "SELECT valuation, to_guest, host, COUNT(*) FROM events GROUP BY valuation, to_guest, host"
        for identity, guest, gift_host, count in db.execute(grouped):
            valuation, original, _ = valuations[identity]
            totals.add(valuation, count, original, to_guests=bool(guest))
            recipient = recipients.get(identity)
            if recipient is not None:  # a gift naming its recipient: as `Valuer.add` counts it
                if host is not None and gift_host not in (None, host):
                    totals.host_differs += count
                if gift_host is None and host is None:
                    totals.hostless(recipient)
                    totals.hostless_gifts += count - 1
        # The events without a time, as `Totals.add` counts them from a valuation's event (which the ledger keeps
        # without its time: each event's own is in its row).
        totals.undated = db.execute("SELECT COUNT(*) FROM events WHERE ts IS NULL").fetchone()[0]
        viewers = (
            "SELECT viewer, valuation, COUNT(*) FROM events WHERE to_guest = 0 AND viewer IS NOT NULL GROUP BY 1, 2"
        )
        for viewer, identity, count in db.execute(viewers):
            totals.viewers[viewer] = totals.viewers.get(viewer, 0) + valuations[identity][2] * count
        for minute, identity, count in db.execute(_MINUTES):
            text = (_EPOCH + dt.timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M")  # as `Totals.bins` keys
            totals.bins[text] = totals.bins.get(text, 0) + valuations[identity][2] * count
        for description in _conflicts(db):
            totals.conflict(description)
        totals.records = totals.valued
    except (sqlite3.DatabaseError, KeyError, ValueError) as error:
        raise LedgerError(f"{path}: a corrupt ledger ({type(error).__name__}: {error})") from None
    finally:
        db.close()
    return totals.report(from_ledger=os.fspath(path))


@_readable
def event_rows(path: str | os.PathLike) -> tuple[EventRows, str, dt.date | None]:
    """The per-event rows of the ledger at ``path`` (what `livemoney.engine.analytics` reads), with the
    ledger's currency and ``as_of``: one SQL pass over the ``events`` table, each distinct valuation built
    once. The same rows as valuing the logs again with ``rows=`` (`livemoney.engine.valuer.value`)."""
    db, meta = open_for_reading(path)
    rows = EventRows()
    try:
        currency = meta["currency"]
        as_of = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None
        totals = Totals(currency, as_of)
        columns = {
            identity: (int(items), tuple(rest))
            for identity, items, *rest in db.execute(
                f"SELECT id, COALESCE(json_extract(event, '$.count'), 1), {_VALUATION_COLUMNS} FROM valuations"
            )
        }
        distinct: dict[str, int] = {}
        found = db.execute("SELECT valuation, viewer, stream, ts, to_guest FROM events ORDER BY ts, file, line, key")
        for identity, viewer, stream, ts, guest in found:
            index = distinct.get(identity)
            if index is None:
                items, row = columns[identity]
                valuation, original = _valuation(row, currency)
                packed = totals.pack(valuation.gross.amount, valuation.net.amount)
                index = distinct[identity] = rows.valued(valuation, items, packed, original)
            # ts: milliseconds since 1970 (schema 3); ISO text in older rows
            ms = (
                to_millis(dt.datetime.fromisoformat(ts))
                if isinstance(ts, str)
                else to_millis(None)
                if ts is None
                else ts
            )
            rows.add(index, viewer, stream, ms, bool(guest))
    except (sqlite3.DatabaseError, KeyError, ValueError) as error:
        raise LedgerError(f"{path}: a corrupt ledger ({type(error).__name__}: {error})") from None
    finally:
        db.close()
    return rows, currency, as_of
