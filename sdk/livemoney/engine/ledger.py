"""The ledger: an SQLite file with one row per valued event, written so that nothing counts twice.

    lm.value("stream.jsonl", currency="EUR", ledger="earnings.sqlite")   # records every valued event
    lm.value(ledger="earnings.sqlite")                                   # the report of what it holds

Each row's key is ``platform:id:`` and a hash of the canonical event when the event has its source's id
(the same message captured twice is one row; two different events sharing an id are two), else a hash
of the canonical event and its position (the absolute path of its log and its ordinal in it): two
identical gifts without ids are two rows, and valuing the same log again adds none. Amounts are stored
exact (to `livemoney.core.money.EXACT_PLACES` decimal places); a report from the ledger rounds each figure
once, where it is shown. Rows are written with
``INSERT OR IGNORE`` in transactions of `BATCH` rows, so a run that crashes loses at most its last
uncommitted batch, which the next run writes; nothing is ever written twice.

A ledger holds valuations made in one currency, with one ``as_of``, the same settings, your own rates
and fallback, and host; valuing into
it with others raises `LedgerError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from decimal import Decimal
from typing import Any, Self

from livemoney.core.canonical import canonical_line
from livemoney.core.models import Context, Event, Share, Valuation
from livemoney.core.money import Money, plain
from livemoney.engine.report import Report, Totals, original_amount
from livemoney.engine.rows import EventRows, to_millis
from livemoney.errors import LedgerError

BATCH = 5000
"""Rows per transaction."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    key TEXT PRIMARY KEY,         -- platform:id:hash of the event, or sha256 of the canonical event and its position
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    viewer TEXT,
    ts TEXT,                      -- ISO-8601 UTC
    event TEXT NOT NULL,          -- the canonical JSON line of the event
    source TEXT,                  -- FILE:LINE where it was read
    currency TEXT NOT NULL,
    gross TEXT NOT NULL,          -- decimal strings, exact (EXACT_PLACES decimal places)
    shares TEXT NOT NULL,         -- JSON [[party, amount, source], ...]
    net TEXT NOT NULL,
    unknown INTEGER NOT NULL,
    reason TEXT,
    original_amount TEXT,         -- the money the event carried, in its own currency or unit
    original_currency TEXT,
    units TEXT NOT NULL,          -- JSON {unit: amount}
    explain TEXT NOT NULL REFERENCES explanations (id),
    to_guest INTEGER NOT NULL,    -- 1: a gift to a guest of a multi-guest LIVE (not the creator's)
    residual TEXT                 -- the party that takes the rest (NULL: the creator's net)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS explanations (
    id TEXT PRIMARY KEY,          -- sha256 of lines: identical events share one explanation
    lines TEXT NOT NULL           -- JSON [line, ...]: the figures, their sources and dates, exchange rates
) WITHOUT ROWID;
"""
_INSERT = "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
SCHEMA_VERSION = "2"
"""Version 2: exact amounts, keys with the event's hash, gifts to guests."""
_EXPLAIN = "INSERT OR IGNORE INTO explanations VALUES (?, ?)"


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


def ledger_key(event: Event, position: str | None) -> str:
    """``platform:id:`` and a hash of the canonical event; without an id, ``sha256:`` of the canonical
    event and its position."""
    line = canonical_line(event)
    if event.id is not None:
        return f"{event.platform}:{event.id}:{hashlib.sha256(line.encode()).hexdigest()[:16]}"
    digest = hashlib.sha256(f"{line}\n{position or ''}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


class Ledger:
    """An open ledger; `add` rows, `commit` (also done every `BATCH` rows and on a clean ``close``)."""

    def __init__(
        self, path: str | os.PathLike, context: Context, batch: int | None = None, host: str | None = None
    ) -> None:
        self.path = os.fspath(path)
        self.batch = batch or BATCH
        self.added = 0
        self._pending: list[tuple] = []
        self._pending_explanations: list[tuple[str, str]] = []
        self._explained: dict[int, tuple[Valuation, str, str, str]] = {}
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.executescript(SCHEMA)
            self._check(context, host)
        except sqlite3.DatabaseError as error:
            raise LedgerError(f"{self.path}: not a livemoney ledger ({error})") from None

    def _check(self, context: Context, host: str | None) -> None:
        wanted = {
            "schema": SCHEMA_VERSION,
            "currency": context.currency,
            "as_of": context.as_of.isoformat() if context.as_of else "",
            "settings": _settings_text(context),
            "rates": _rates_text(context),
            "host": host or "",
        }
        found = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
        if not found:
            with self._transaction():
                self._db.executemany("INSERT INTO meta VALUES (?, ?)", wanted.items())
            return
        for name, value in wanted.items():
            if found.get(name) != value:
                raise LedgerError(
                    f"{self.path}: the ledger holds valuations with {name} {found.get(name) or '(none)'!r}, "
                    f"not {value or '(none)'!r}; use another ledger file"
                )

    def _transaction(self) -> Any:
        return _Transaction(self._db)

    def add(self, event: Event, valuation: Valuation, position: str | None, to_guest: bool = False) -> None:
        """Record one valued event (written with the next commit); ``to_guest``: a gift to a guest."""
        # The JSON of a valuation is made once for all the events it values (the engine reuses it).
        fixed = self._explained.get(id(valuation))
        if fixed is None or fixed[0] is not valuation:
            if len(self._explained) >= 10_000:
                self._explained.clear()
            shares = json.dumps(
                [[s.party, plain(s.amount.amount), s.source.cite() if s.source else None] for s in valuation.shares]
            )
            units = json.dumps({unit: plain(amount) for unit, amount in valuation.units.items()})
            lines = json.dumps(list(valuation.explain), ensure_ascii=False)
            digest = hashlib.sha256(lines.encode()).hexdigest()[:32]
            self._pending_explanations.append((digest, lines))
            fixed = (valuation, shares, units, digest)
            self._explained[id(valuation)] = fixed
        original = original_amount(event)
        self._pending.append(
            (
                ledger_key(event, position),
                event.platform,
                event.kind,
                event.viewer,
                event.ts.astimezone(dt.UTC).isoformat() if event.ts else None,
                canonical_line(event),
                event.source,
                valuation.currency,
                plain(valuation.gross.amount),
                fixed[1],
                plain(valuation.net.amount),
                int(valuation.unknown),
                valuation.reason,
                plain(original.amount) if original else None,
                original.currency if original else None,
                fixed[2],
                fixed[3],
                int(to_guest),
                valuation.residual,
            )
        )
        if len(self._pending) >= self.batch:
            self.commit()

    def commit(self) -> None:
        """Write the pending rows in one transaction."""
        if not self._pending:
            return
        with self._transaction():
            self._db.executemany(_EXPLAIN, self._pending_explanations)
            before = self._db.total_changes
            self._db.executemany(_INSERT, self._pending)
            self.added += self._db.total_changes - before
        self._pending.clear()
        self._pending_explanations.clear()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.commit()
        self.close()


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def report_of(path: str | os.PathLike) -> Report:
    """The `Report` of every event in the ledger at ``path``."""
    if not os.path.exists(path):
        raise LedgerError(f"{path}: no such ledger")
    db = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        currency = meta["currency"]
        totals = Totals(currency, dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None)
        explanations = dict(db.execute("SELECT id, lines FROM explanations"))
        if meta.get("schema") != SCHEMA_VERSION:
            raise LedgerError(
                f"{path}: a ledger of an older livemoney (schema {meta.get('schema', '1')}, this version reads "
                f"{SCHEMA_VERSION}); value the logs again into a new ledger file"
            )
        grouped = db.execute(
            "SELECT platform, kind, gross, shares, net, unknown, reason, units, explain, original_amount,"
            " original_currency, to_guest, residual, COUNT(*) FROM events GROUP BY platform, kind, gross, shares, net,"
            " unknown, reason, units, explain, original_amount, original_currency, to_guest, residual"
        )
        for row in grouped:
            platform, kind, gross, shares, net, unknown, reason, units, explain, amount, unit, guest, residual, count = row
            valuation = Valuation(
                platform=platform,
                kind=kind,
                gross=Money(Decimal(gross), currency),
                shares=tuple(Share(party, Money(Decimal(value), currency)) for party, value, _ in json.loads(shares)),
                net=Money(Decimal(net), currency),
                units={name: Decimal(value) for name, value in json.loads(units).items()},
                explain=tuple(json.loads(explanations[explain])),
                unknown=bool(unknown),
                reason=reason,
                residual=residual,
            )
            original = Money(Decimal(amount), unit) if amount is not None else None
            totals.add(valuation, count, original, to_guests=bool(guest))
        for viewer, ts, gross, net in db.execute("SELECT viewer, ts, gross, net FROM events WHERE to_guest = 0"):
            packed = totals.pack(Decimal(gross), Decimal(net))
            if viewer is not None:
                totals.viewers[viewer] = totals.viewers.get(viewer, 0) + packed
            if ts is not None:
                totals.bins[ts[:16]] = totals.bins.get(ts[:16], 0) + packed
        totals.records = totals.valued
    except (sqlite3.DatabaseError, KeyError) as error:
        raise LedgerError(f"{path}: not a livemoney ledger ({error})") from None
    finally:
        db.close()
    return totals.report()


def event_rows(path: str | os.PathLike) -> tuple[EventRows, str, dt.date | None]:
    """The per-event rows of the ledger at ``path`` (what `livemoney.engine.analytics` reads), with the
    ledger's currency and ``as_of``: one SQL pass over the ``events`` table, each distinct valuation built
    once. The same rows as valuing the logs again with ``rows=`` (`livemoney.engine.valuer.value`)."""
    if not os.path.exists(path):
        raise LedgerError(f"{path}: no such ledger")
    db = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True)
    rows = EventRows()
    try:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        if meta.get("schema") != SCHEMA_VERSION:
            raise LedgerError(
                f"{path}: a ledger of an older livemoney (schema {meta.get('schema', '1')}, this version reads "
                f"{SCHEMA_VERSION}); value the logs again into a new ledger file"
            )
        currency = meta["currency"]
        as_of = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None
        explanations = dict(db.execute("SELECT id, lines FROM explanations"))
        totals = Totals(currency, as_of)
        distinct: dict[tuple, int] = {}
        found = db.execute(
            "SELECT platform, kind, gross, shares, net, unknown, reason, units, explain, residual, original_amount,"
            " original_currency, COALESCE(json_extract(event, '$.count'), 1), viewer, json_extract(event, '$.stream'),"
            " ts, to_guest FROM events ORDER BY ts, source, key"
        )
        for platform, kind, gross, shares, net, unknown, reason, units, explain, residual, *rest in found:
            amount, unit, items, viewer, stream, ts, guest = rest
            key = (platform, kind, gross, shares, net, unknown, reason, units, explain, residual, amount, unit, items)
            index = distinct.get(key)
            if index is None:
                valuation = Valuation(
                    platform=platform,
                    kind=kind,
                    gross=Money(Decimal(gross), currency),
                    shares=tuple(
                        Share(party, Money(Decimal(value), currency)) for party, value, _ in json.loads(shares)
                    ),
                    net=Money(Decimal(net), currency),
                    units={name: Decimal(value) for name, value in json.loads(units).items()},
                    explain=tuple(json.loads(explanations[explain])),
                    unknown=bool(unknown),
                    reason=reason,
                    residual=residual,
                )
                packed = totals.pack(valuation.gross.amount, valuation.net.amount)
                original = Money(Decimal(amount), unit) if amount is not None else None
                index = distinct[key] = rows.valued(valuation, int(items), packed, original)
            moment = dt.datetime.fromisoformat(ts) if ts is not None else None
            rows.add(index, viewer, None if stream is None else str(stream), to_millis(moment), bool(guest))
    except (sqlite3.DatabaseError, KeyError) as error:
        raise LedgerError(f"{path}: not a livemoney ledger ({error})") from None
    finally:
        db.close()
    return rows, currency, as_of
