"""What valuing a log found: totals per platform and kind, per viewer and per minute, counts, rejects.

    report = lm.value("stream.jsonl", currency="EUR")
    print(report.render("table"))          # or "json" (amounts as decimal strings) or "csv"
    report.top_viewers(5); report.timeline("5min"); report.to_pandas()

Every amount is an exact sum of per-event valuations in the report currency (each already rounded to
the minor unit), so the totals equal the sum of the valuations of the events. Unknown valuations are
counted with their reasons, never summed as if known.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from livemoney.models import EVENT_TYPES, Event, Rejected, Valuation
from livemoney.money import Money, minor_unit, plain
from livemoney.tables import text_table

FORMATS = ("table", "json", "csv")
REJECTS_KEPT = 1000
"""How many rejected lines a report keeps (the count is always exact; ``--rejects`` writes them all)."""
EXPLAIN_KEPT = 12
"""How many distinct explain lines a row keeps (the first met)."""

UTC = dt.UTC
_KIND_ORDER = {kind: index for index, kind in enumerate(EVENT_TYPES)}
_FREQ = re.compile(r"^\s*(\d*)\s*(min|T|h|H|D|d)\s*$")
_MINUTES = {"min": 1, "T": 1, "h": 60, "H": 60, "D": 1440, "d": 1440}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


PACK = 1 << 64


def pack(gross: int, net: int, events: int = 1) -> int:
    """Gross, net (in minor units) and an event count in one int: sums of packs are packs of sums.

    Summing one int per event is what keeps per-viewer and per-minute totals cheap on long logs.
    """
    return (gross * PACK + net) * PACK + events


def unpack(packed: int) -> tuple[int, int, int]:
    """``(gross, net, events)`` of a sum of `pack` results (net may be negative; |net| < 2**63)."""
    events = packed % PACK
    rest = (packed - events) // PACK
    net = rest % PACK
    if net >= PACK // 2:
        net -= PACK
    return (rest - net) // PACK, net, events


def original_amount(event: Event) -> Money | None:
    """The money an event carries, in its own currency or unit (a gift's amount times its count)."""
    amount = getattr(event, "amount", None)
    if amount is None:
        return None
    return amount * getattr(event, "count", 1)


@attrs.frozen(slots=True)
class Row:
    """The totals of one platform and kind: known valuations summed, unknown ones counted with reasons."""

    platform: str
    kind: str
    events: int
    gross: Money
    shares: dict[str, Money]
    net: Money
    unknown: int = 0
    reasons: dict[str, int] = attrs.field(factory=dict)
    units: dict[str, Decimal] = attrs.field(factory=dict)
    explain: tuple[str, ...] = attrs.field(default=(), eq=False)
    """The explanations of the first valuations met (up to `EXPLAIN_KEPT` lines): a sample, not a total."""

    def __repr__(self) -> str:
        cuts = ", ".join(f"{party}={money.amount}" for party, money in self.shares.items())
        flag = f", {self.unknown} unknown" if self.unknown else ""
        return (
            f"<Row {self.platform} {self.kind}: {self.events} events{flag}, gross={self.gross} [{cuts}] net={self.net}>"
        )


class _RowSum:
    __slots__ = ("events", "explain", "gross", "net", "reasons", "shares", "units", "unknown")

    def __init__(self, zero: Decimal) -> None:
        self.events = 0
        self.unknown = 0
        self.gross = zero
        self.net = zero
        self.shares: dict[str, Decimal] = {}
        self.reasons: dict[str, int] = {}
        self.units: dict[str, Decimal] = {}
        self.explain: dict[str, None] = {}


class Totals:
    """The running sums a `Report` is made of; `add` a valuation ``times`` times, then take a `report`."""

    def __init__(self, currency: str, as_of: dt.date | None = None) -> None:
        self.currency = currency
        self.as_of = as_of
        self.zero = Money.zero(currency).rounded().amount
        self.rows: dict[tuple[str, str], _RowSum] = {}
        self.originals: dict[str, Decimal] = {}
        self.digits = -self.zero.as_tuple().exponent
        self.viewers: dict[str, int] = {}
        """viewer → `pack` of (gross, net, events) in minor units of the report currency."""
        self.bins: dict[str, int] = {}
        """UTC minute ``YYYY-MM-DDTHH:MM`` → `pack` of (gross, net, events)."""
        self.read = 0
        self.valued = 0
        self.rejected = 0
        self.duplicates = 0
        self.rejects: list[Rejected] = []

    def add(self, valuation: Valuation, times: int = 1, original: Money | None = None) -> None:
        """Count ``times`` events whose valuation is ``valuation`` (``original``: the money one carried)."""
        if valuation.currency != self.currency:
            raise ValueError(f"a {valuation.currency} valuation in a {self.currency} report")
        row = self.rows.get((valuation.platform, valuation.kind))
        if row is None:
            row = self.rows[(valuation.platform, valuation.kind)] = _RowSum(self.zero)
        row.events += times
        self.valued += times
        if original is not None:
            self.originals[original.currency] = (
                self.originals.get(original.currency, Decimal(0)) + original.amount * times
            )
        if valuation.unknown:
            row.unknown += times
            reason = valuation.reason or "unknown"
            row.reasons[reason] = row.reasons.get(reason, 0) + times
        else:
            row.gross += valuation.gross.amount * times
            row.net += valuation.net.amount * times
            for share in valuation.shares:
                row.shares[share.party] = row.shares.get(share.party, self.zero) + share.amount.amount * times
        for unit, amount in valuation.units.items():
            row.units[unit] = row.units.get(unit, Decimal(0)) + amount * times
        if len(row.explain) < EXPLAIN_KEPT:
            for line in valuation.explain:
                row.explain.setdefault(line, None)

    def pack(self, gross: Decimal, net: Decimal) -> int:
        """One event's `pack`; raises `ValueError` if an amount is not in minor units of the currency."""
        minor = []
        for amount in (gross, net):
            scaled = amount.scaleb(self.digits)
            if scaled != scaled.to_integral_value():
                raise ValueError(f"{amount} {self.currency} is not rounded to the currency's minor unit")
            minor.append(int(scaled))
        return pack(*minor)

    def _decimal(self, minor: int) -> Decimal:
        return Decimal(minor).scaleb(-self.digits) if minor else self.zero

    def reject(self, rejected: Rejected) -> None:
        self.rejected += 1
        if len(self.rejects) < REJECTS_KEPT:
            self.rejects.append(rejected)

    def report(self, **extra: Any) -> Report:
        """A `Report` of the sums so far (a copy: adding more later does not change it)."""
        currency = self.currency
        rows = []
        for (platform, kind), row in sorted(
            self.rows.items(), key=lambda item: (item[0][0], _KIND_ORDER.get(item[0][1], 99))
        ):
            rows.append(
                Row(
                    platform=platform,
                    kind=kind,
                    events=row.events,
                    gross=Money(row.gross, currency),
                    shares={party: Money(amount, currency) for party, amount in row.shares.items()},
                    net=Money(row.net, currency),
                    unknown=row.unknown,
                    reasons=dict(row.reasons),
                    units=dict(row.units),
                    explain=tuple(row.explain),
                )
            )
        bins = {}
        for minute, packed in sorted(self.bins.items()):
            gross, net, events = unpack(packed)
            bins[dt.datetime.fromisoformat(minute).replace(tzinfo=UTC)] = (
                self._decimal(gross),
                self._decimal(net),
                events,
            )
        viewers = {}
        for viewer, packed in self.viewers.items():
            gross, net, events = unpack(packed)
            viewers[viewer] = (self._decimal(gross), self._decimal(net), events)
        return Report(
            currency=currency,
            as_of=self.as_of,
            rows=tuple(rows),
            originals={
                currency: _in_minor_units(amount, currency) for currency, amount in sorted(self.originals.items())
            },
            viewers=viewers,
            bins=bins,
            read=self.read,
            valued=self.valued,
            rejected=self.rejected,
            duplicates=self.duplicates,
            rejects=tuple(self.rejects),
            **extra,
        )


def _in_minor_units(amount: Decimal, currency: str) -> Decimal:
    """``amount`` written to the currency's minor unit when that loses no digit (``10.0 USD`` as ``10.00``).

    Identical events share one valuation, so ``5.0`` and ``5.00`` sum alike whichever came first.
    """
    quantized = amount.quantize(minor_unit(currency))
    return quantized if quantized == amount else amount.normalize()


_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _neutral(cell: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (a plain number such as -5.00 stays as is)."""
    if not cell.startswith(_FORMULA_START) or _NUMBER.fullmatch(cell):
        return cell
    return "'" + cell


def _minutes(freq: str) -> int:
    found = _FREQ.match(freq)
    if not found or (found.group(1) and int(found.group(1)) < 1):
        raise ValueError(
            f"freq: {freq!r} is not a bin width such as 1min, 5min, 1h or 1D (a report keeps per-minute totals)"
        )
    return int(found.group(1) or 1) * _MINUTES[found.group(2)]


@attrs.frozen(slots=True, eq=False)
class Report:
    """The valuation of one or more logs in ``currency``: see the module docstring.

    ``rows`` are per (platform, kind); ``originals`` the money events carried, per original currency or
    unit; ``viewers`` viewer → (gross, net, events); ``bins`` UTC minute → (gross, net, events);
    ``read == valued + rejected + duplicates``. ``rejects`` keeps the first `REJECTS_KEPT` rejected lines.
    """

    currency: str
    as_of: dt.date | None
    rows: tuple[Row, ...]
    originals: dict[str, Decimal]
    viewers: dict[str, tuple[Decimal, Decimal, int]]
    bins: dict[dt.datetime, tuple[Decimal, Decimal, int]]
    read: int
    valued: int
    rejected: int
    duplicates: int
    rejects: tuple[Rejected, ...] = ()
    ledger_rows_added: int | None = None

    @classmethod
    def from_ledger(cls, path: str | os.PathLike) -> Report:
        """The report of every event recorded in the ledger at ``path``."""
        from livemoney.ledger import report_of

        return report_of(path)

    # --- totals ---------------------------------------------------------------------------

    def _zero(self) -> Money:
        return Money.zero(self.currency).rounded()

    def _sum(self, values: Iterable[Money]) -> Money:
        return Money(sum((money.amount for money in values), self._zero().amount), self.currency)

    @property
    def gross(self) -> Money:
        """What viewers paid, over every row (unknown valuations excluded)."""
        return self._sum(row.gross for row in self.rows)

    @property
    def net(self) -> Money:
        """What the creator keeps, over every row (unknown valuations excluded)."""
        return self._sum(row.net for row in self.rows)

    @property
    def shares(self) -> dict[str, Money]:
        """What each party takes, over every row."""
        parties: dict[str, Decimal] = {}
        for row in self.rows:
            for party, money in row.shares.items():
                parties[party] = parties.get(party, self._zero().amount) + money.amount
        return {party: Money(amount, self.currency) for party, amount in parties.items()}

    @property
    def unknown(self) -> int:
        """How many events have an unknown valuation."""
        return sum(row.unknown for row in self.rows)

    def row(self, platform: str, kind: str) -> Row | None:
        """The row of ``platform`` and ``kind``, if any event had them."""
        return next((row for row in self.rows if row.platform == platform and row.kind == kind), None)

    def counts_line(self) -> str:
        """``read N = valued V + rejected R`` (``+ duplicates D`` when some were dropped)."""
        line = f"read {self.read} = valued {self.valued} + rejected {self.rejected}"
        return line + (f" + duplicates {self.duplicates}" if self.duplicates else "")

    # --- views ----------------------------------------------------------------------------

    def top_viewers(self, n: int = 10) -> list[tuple[str, Money, Money, int]]:
        """The ``n`` viewers who earned the creator most: ``(viewer, gross, net, events)``, by net."""
        if n < 0:
            raise ValueError(f"n: {n} must not be negative")
        ranked = sorted(self.viewers.items(), key=lambda item: (-item[1][1], -item[1][0], item[0]))
        return [(viewer, Money(g, self.currency), Money(n_, self.currency), e) for viewer, (g, n_, e) in ranked[:n]]

    def timeline(self, freq: str = "1min") -> list[tuple[dt.datetime, Money, Money]]:
        """``(bin start, gross, net)`` per ``freq`` (``1min``, ``5min``, ``1h``, ``1D`` ...), UTC, bins with events.

        Events without a timestamp are in the totals but in no bin.
        """
        width = _minutes(freq)
        merged: dict[dt.datetime, list[Decimal]] = {}
        epoch = dt.datetime(1970, 1, 1, tzinfo=UTC)
        for moment, (gross, net, _) in self.bins.items():
            minutes = int((moment - epoch).total_seconds()) // 60
            start = epoch + dt.timedelta(minutes=minutes - minutes % width)
            found = merged.setdefault(start, [Decimal(0), Decimal(0)])
            found[0] += gross
            found[1] += net
        return [(start, Money(g, self.currency), Money(n, self.currency)) for start, (g, n) in sorted(merged.items())]

    def to_pandas(self, table: str = "rows", freq: str = "1min") -> Any:
        """A pandas DataFrame of the ``rows``, the ``viewers`` or the ``timeline`` (amounts stay Decimal)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Report.to_pandas needs pandas: pip install 'livemoney[pandas]'") from None
        if table == "rows":
            parties = self._parties()
            records = [
                {
                    "platform": row.platform,
                    "kind": row.kind,
                    "events": row.events,
                    "unknown": row.unknown,
                    "gross": row.gross.amount,
                    **{party: row.shares.get(party, self._zero()).amount for party in parties},
                    "net": row.net.amount,
                    "currency": self.currency,
                }
                for row in self.rows
            ]
            return pd.DataFrame(
                records, columns=["platform", "kind", "events", "unknown", "gross", *parties, "net", "currency"]
            )
        if table == "viewers":
            ranked = self.top_viewers(len(self.viewers))
            records = [{"viewer": v, "gross": g.amount, "net": n.amount, "events": e} for v, g, n, e in ranked]
            return pd.DataFrame(records, columns=["viewer", "gross", "net", "events"])
        if table == "timeline":
            records = [{"start": s, "gross": g.amount, "net": n.amount} for s, g, n in self.timeline(freq)]
            return pd.DataFrame(records, columns=["start", "gross", "net"])
        raise ValueError(f"table: {table!r} is not rows, viewers or timeline")

    # --- output ---------------------------------------------------------------------------

    def _parties(self) -> list[str]:
        parties: dict[str, None] = {}
        for row in self.rows:
            parties.update(dict.fromkeys(row.shares))
        return list(parties)

    def _title(self) -> str:
        rules = f"rules as of {self.as_of.isoformat()}" if self.as_of else "rules of each event's date"
        return f"Valued in {self.currency} ({rules}; exchange: ECB reference rate of each event's date)"

    def _table_rows(self) -> tuple[list[str], list[list[str]]]:
        parties = self._parties()
        headers = ["platform", "kind", "events", "unknown", "gross", *parties, "net"]
        zero = self._zero()
        cells = [
            [
                row.platform,
                row.kind,
                str(row.events),
                str(row.unknown),
                plain(row.gross.amount),
                *(plain(row.shares.get(party, zero).amount) for party in parties),
                plain(row.net.amount),
            ]
            for row in self.rows
        ]
        shares = self.shares
        total = [
            "total",
            "",
            str(self.valued),
            str(self.unknown),
            plain(self.gross.amount),
            *(plain(shares[party].amount) for party in parties),
            plain(self.net.amount),
        ]
        return headers, [*cells, total]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data: amounts are decimal strings."""
        return {
            "currency": self.currency,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "counts": {
                "read": self.read,
                "valued": self.valued,
                "rejected": self.rejected,
                "duplicates": self.duplicates,
            },
            "rows": [
                {
                    "platform": row.platform,
                    "kind": row.kind,
                    "events": row.events,
                    "unknown": row.unknown,
                    "unknown_reasons": row.reasons,
                    "gross": plain(row.gross.amount),
                    "shares": {party: plain(money.amount) for party, money in row.shares.items()},
                    "net": plain(row.net.amount),
                    "units": {unit: plain(amount) for unit, amount in row.units.items()},
                    "explain": list(row.explain),
                }
                for row in self.rows
            ],
            "total": {
                "events": self.valued,
                "unknown": self.unknown,
                "gross": plain(self.gross.amount),
                "shares": {party: plain(money.amount) for party, money in self.shares.items()},
                "net": plain(self.net.amount),
            },
            "original_amounts": {currency: plain(amount) for currency, amount in self.originals.items()},
            "rejects": [
                {"source": r.source, "line": r.line, "field": r.field, "problem": r.problem} for r in self.rejects
            ],
        }

    def _repr_html_(self) -> str:
        from livemoney.html import report_html

        return report_html(self)

    def render(self, format: str = "table") -> str:
        """The report as ``table`` (plain text), ``json`` or ``csv`` (one line a row, then the total)."""
        if format == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        if format == "csv":
            headers, rows = self._table_rows()
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([_neutral(cell) for cell in (*headers, "currency")])
            for cells in rows:
                writer.writerow([_neutral(cell) for cell in (*cells, self.currency)])
            return out.getvalue()
        if format != "table":
            raise ValueError(f"format: {format!r} is not one of {', '.join(FORMATS)}")
        headers, rows = self._table_rows()
        lines = [self._title(), "", text_table(headers, rows, right=range(2, len(headers)))]
        if self.originals:
            carried = ", ".join(f"{plain(amount)} {currency}" for currency, amount in self.originals.items())
            lines.append(f"original amounts: {carried}")
        for row in self.rows:
            for reason, events in row.reasons.items():
                lines.append(
                    f"unknown: {row.platform} {row.kind}, {events} event{'s' if events != 1 else ''}: {reason}"
                )
        lines.append(self.counts_line())
        return "\n".join(lines)

    def __repr__(self) -> str:
        platforms = sorted({row.platform for row in self.rows})
        return (
            f"<Report {self.currency}: {', '.join(platforms) or 'no events'}; gross={self.gross} net={self.net}; "
            f"{self.counts_line()}>"
        )
