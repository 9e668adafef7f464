"""What valuing a log found: totals per platform and kind, per viewer and per minute, counts, rejects.

    report = lm.value("stream.jsonl", currency="EUR")
    print(report.render("table"))          # or "json" (amounts as decimal strings) or "csv"
    report.top_viewers(5); report.timeline("5min"); report.to_pandas()

Sums are exact: every amount is the exact sum of the events' exact valuations (to
`livemoney.core.money.EXACT_PLACES` decimal places), and each figure is rounded once, where it is shown
(half-even, to the currency's minor unit): a row's gross and net, each viewer's, each minute's, the
total. A row's shares are rounded by running totals so that ``gross == sum(shares) + net`` holds on
every shown row (`livemoney.core.money.split_shown`); ``Row.exact`` and `Report.exact` keep the exact sums.
Unknown valuations are counted with their reasons, never summed as if known. Gifts to a guest of a
multi-guest LIVE are rows of their own (``Row.to_guests``) and never part of the creator's totals.

Every record read is accounted for: ``records = events + without money + not read + rejected`` and
``events = valued + duplicates`` (`Report.counts_line`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from livemoney.core.extras import extra
from livemoney.core.models import EVENT_TYPES, NO_MONEY, NOT_READ, Event, Rejected, Skipped, Valuation
from livemoney.core.money import (
    EXACT_PLACES,
    MAX_VALUED,
    ROUNDING,
    SUMS,
    Money,
    add_all,
    exact_text,
    fitted_parts,
    minor_unit,
    plain,
    show,
    split_shown,
)
from livemoney.core.money import exact as written_exact
from livemoney.core.tables import text_table

FORMATS = ("table", "json", "csv")
REJECTS_KEPT = 1000
"""How many rejected lines a report keeps (the count is always exact; ``--rejects`` writes them all)."""
EXPLAIN_KEPT = 12
"""How many distinct explain lines a row keeps (the first met)."""
CONFLICTS_KEPT = 100
"""How many id conflicts a report names (the count is always exact)."""

UTC = dt.UTC
_KIND_ORDER = {kind: index for index, kind in enumerate(EVENT_TYPES)}
_FREQ = re.compile(r"^\s*(\d*)\s*(min|T|h|H|D|d)\s*$")
_MINUTES = {"min": 1, "T": 1, "h": 60, "H": 60, "D": 1440, "d": 1440}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
GUESTS = "to guests"
"""The label of a row of gifts sent to a guest of a multi-guest LIVE (the guest's, not the creator's)."""


PACK = 1 << 256
"""The width of each field of a `pack`: gross and net of one event are below `MAX_VALUED` (2^190 units,
checked by `Totals.pack`), so the sum of up to 2^64 events stays below ``PACK // 2`` (2^255): packed sums
never run into one another, whatever the input."""
SCALE = EXACT_PLACES


def pack(gross: int, net: int, events: int = 1) -> int:
    """Gross, net (in units of ``10**-EXACT_PLACES``) and an event count in one int: sums of packs are
    packs of sums. Summing one int per event keeps per-viewer and per-minute totals cheap on long logs;
    Python ints do not overflow, and each field is `PACK` wide.
    """
    return (gross * PACK + net) * PACK + events


def unpack(packed: int) -> tuple[int, int, int]:
    """``(gross, net, events)`` of a sum of `pack` results (net may be negative)."""
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


class TopViewer(NamedTuple):
    """One viewer of `Report.top_viewers`: gross and net each rounded once (a tuple, so it unpacks too)."""

    viewer: str
    gross: Money
    net: Money
    events: int


class Bin(NamedTuple):
    """One bin of `Report.timeline`: its start (UTC), gross and net each rounded once."""

    start: dt.datetime
    gross: Money
    net: Money


def pandas() -> Any:
    """The pandas module, or `MissingExtra` (an `ImportError`) that says how to install it."""
    return extra("pandas", "this needs pandas: pip install 'livemoney[pandas]'")


def numeric(amount: Decimal) -> float:
    """A shown amount (already rounded once to the minor unit) as the float of a numeric column."""
    return float(amount)


@attrs.frozen(slots=True)
class Amounts:
    """Gross, each party's share and net of some events, in one currency (exact, or as shown)."""

    gross: Money
    shares: dict[str, Money]
    net: Money
    residual: str | None = None
    """The party that takes the rest, and so the rounding when shown (``None``: the creator's net)."""

    def shown(self) -> Amounts:
        """Each figure rounded once by running totals, the residual party last (``gross == sum(shares) + net``,
        see `livemoney.core.money.split_shown`)."""
        currency = self.gross.currency
        parties = list(self.shares)
        residual = parties.index(self.residual) if self.residual in parties else None
        gross, net, shares = split_shown(
            self.gross.amount, self.net.amount, [self.shares[p].amount for p in parties], currency, residual
        )
        return Amounts(
            Money(gross, currency),
            {p: Money(a, currency) for p, a in zip(parties, shares)},
            Money(net, currency),
            self.residual,
        )


@attrs.frozen(slots=True)
class Row:
    """The totals of one platform and kind, as shown (each rounded once); ``exact`` keeps the exact sums.

    ``to_guests``: gifts sent to a guest of a multi-guest LIVE (the guest's money, not the creator's).
    """

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
    exact: Amounts | None = attrs.field(default=None, eq=False)
    to_guests: bool = False

    @property
    def label(self) -> str:
        """The kind as shown: ``gift``, or ``gift to guests``."""
        return f"{self.kind} {GUESTS}" if self.to_guests else self.kind

    def __repr__(self) -> str:
        cuts = ", ".join(f"{party}={money.amount}" for party, money in self.shares.items())
        flag = f", {self.unknown} unknown" if self.unknown else ""
        return (
            f"<Row {self.platform} {self.label}: {self.events} events{flag}, gross={self.gross} [{cuts}] "
            f"net={self.net}>"
        )


class _RowSum:
    __slots__ = ("events", "explain", "gross", "net", "reasons", "residual", "shares", "units", "unknown")

    def __init__(self) -> None:
        self.residual: str | None = None
        self.events = 0
        self.unknown = 0
        self.gross = Decimal(0)
        self.net = Decimal(0)
        self.shares: dict[str, Decimal] = {}
        self.reasons: dict[str, int] = {}
        self.units: dict[str, Decimal] = {}
        self.explain: dict[str, None] = {}


def _exact(minor: int) -> Decimal:
    """A sum in units of ``10**-EXACT_PLACES`` as an exact Decimal (every digit kept: `SUMS`, not the
    caller's 28-digit context)."""
    return SUMS.scaleb(Decimal(minor), -SCALE)


class TooLarge(ValueError):
    """An event valued at `MAX_VALUED` or more: beyond what livemoney sums exactly."""


def _in_units(amount: Decimal) -> int:
    """An exact amount in units of ``10**-EXACT_PLACES``; raises `ValueError` for a finer amount, `TooLarge`
    for one of `MAX_VALUED` units or more."""
    try:
        scaled = SUMS.scaleb(amount, SCALE)
    except ArithmeticError:
        raise TooLarge(f"{amount} is beyond what livemoney sums exactly") from None
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than {SCALE} decimal places")
    units = int(scaled)
    if abs(units) >= MAX_VALUED:
        raise TooLarge(f"{amount} is beyond what livemoney sums exactly (at most 10^47 an event)")
    return units


def conflict_description(platform: str, id_: str, where: str, kind: str, viewer: str | None) -> str:
    """How a report names an id conflict: the later event, by its ``FILE:LINE``, kind and viewer."""
    return (
        f"{platform} id {id_!r} at {where} ({kind} by {viewer or '(no viewer)'}) differs from an earlier event "
        "with that id"
    )


class Totals:
    """The running sums a `Report` is made of; `add` a valuation ``times`` times, then take a `report`.

    Counts: ``records == events + without money + not read + rejected``; ``events == valued + duplicates``.
    """

    def __init__(self, currency: str, as_of: dt.date | None = None) -> None:
        self.currency = currency
        self.as_of = as_of
        self.rows: dict[tuple[str, str, bool], _RowSum] = {}
        self.originals: dict[str, Decimal] = {}
        self.viewers: dict[str, int] = {}
        """viewer → `pack` of exact (gross, net, events); gifts to guests are not in it."""
        self.bins: dict[str, int] = {}
        """UTC minute ``YYYY-MM-DDTHH:MM`` → `pack` of exact (gross, net, events); gifts to guests are not in it."""
        self.records = 0
        self.valued = 0
        self.rejected = 0
        self.duplicates = 0
        self.without_money: dict[str, int] = {}
        self.not_read: dict[str, int] = {}
        self.conflicts = 0
        self.conflicts_named: list[str] = []
        self.hostless_gifts = 0
        self.host_differs = 0
        self.without_id = 0
        """Events valued without an id: a repeat of one cannot be told from a new event (`Report.notes`)."""
        self.undated = 0
        """Events valued without a time (their valuation's event has none: `Report.notes` says how they were valued)."""
        self.recipients: set[str] = set()
        self.rejects: list[Rejected] = []

    @property
    def read(self) -> int:
        """The records read (an older name of `records`)."""
        return self.records

    def add(self, valuation: Valuation, times: int = 1, original: Money | None = None, to_guests: bool = False) -> None:
        """Count ``times`` events whose valuation is ``valuation`` (``original``: the money one carried)."""
        if valuation.currency != self.currency:
            raise ValueError(f"a {valuation.currency} valuation in a {self.currency} report")
        key = (valuation.platform, valuation.kind, to_guests)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = _RowSum()
        row.events += times
        self.valued += times
        event = valuation.event
        if event is not None and event.ts is None:  # no date of its own: the run's rules and rate (`Report.notes`)
            self.undated += times
        if original is not None and not to_guests:
            self.originals[original.currency] = SUMS.add(
                self.originals.get(original.currency, Decimal(0)), SUMS.multiply(original.amount, times)
            )
        if valuation.unknown:
            row.unknown += times
            reason = valuation.reason or "unknown"
            row.reasons[reason] = row.reasons.get(reason, 0) + times
        else:
            if row.events - times == row.unknown:  # the first known valuation of the row
                row.residual = valuation.residual
            elif row.residual != valuation.residual:
                row.residual = None  # valuations that disagree: the creator's net takes the rest
            row.gross = SUMS.add(row.gross, SUMS.multiply(valuation.gross.amount, times))
            row.net = SUMS.add(row.net, SUMS.multiply(valuation.net.amount, times))
            for share in valuation.shares:
                row.shares[share.party] = SUMS.add(
                    row.shares.get(share.party, Decimal(0)), SUMS.multiply(share.amount.amount, times)
                )
        for unit, amount in valuation.units.items():
            row.units[unit] = SUMS.add(row.units.get(unit, Decimal(0)), SUMS.multiply(amount, times))
        if len(row.explain) < EXPLAIN_KEPT:
            for line in valuation.explain:
                row.explain.setdefault(line, None)

    def pack(self, gross: Decimal, net: Decimal) -> int:
        """One event's `pack`; raises `ValueError` for an amount finer than `EXACT_PLACES` decimal places,
        `TooLarge` for one of `MAX_VALUED` units or more."""
        return pack(_in_units(gross), _in_units(net))

    def reject(self, rejected: Rejected) -> None:
        self.rejected += 1
        if len(self.rejects) < REJECTS_KEPT:
            self.rejects.append(rejected)

    def skip(self, skipped: Skipped) -> None:
        """Count a `Skipped` record: without money, not read, or a repeat (a duplicate)."""
        if skipped.why == NO_MONEY:
            self.without_money[skipped.kind] = self.without_money.get(skipped.kind, 0) + skipped.count
        elif skipped.why == NOT_READ:
            self.not_read[skipped.kind] = self.not_read.get(skipped.kind, 0) + skipped.count
        else:
            self.duplicates += skipped.count

    def hostless(self, recipient: str) -> None:
        """Count a gift that names its recipient while no host is known (the record's nor ``--host``)."""
        self.hostless_gifts += 1
        if len(self.recipients) < CONFLICTS_KEPT:
            self.recipients.add(recipient)

    def conflict(self, description: str) -> None:
        """Count an id conflict: two different events with one id (both valued); see `conflict_description`."""
        self.conflicts += 1
        if len(self.conflicts_named) < CONFLICTS_KEPT:
            self.conflicts_named.append(description)

    def report(self, **extra: Any) -> Report:
        """A `Report` of the sums so far (a copy: adding more later does not change it)."""
        currency = self.currency
        rows = []
        for (platform, kind, to_guests), row in sorted(
            self.rows.items(), key=lambda item: (item[0][0], item[0][2], _KIND_ORDER.get(item[0][1], 99))
        ):
            exact = Amounts(
                Money(row.gross, currency),
                {party: Money(amount, currency) for party, amount in row.shares.items()},
                Money(row.net, currency),
                row.residual,
            )
            shown = exact.shown()
            rows.append(
                Row(
                    platform=platform,
                    kind=kind,
                    events=row.events,
                    gross=shown.gross,
                    shares=shown.shares,
                    net=shown.net,
                    unknown=row.unknown,
                    reasons=dict(row.reasons),
                    units=dict(row.units),
                    explain=tuple(row.explain),
                    exact=exact,
                    to_guests=to_guests,
                )
            )
        bins = {}
        for minute, packed in sorted(self.bins.items()):
            gross, net, events = unpack(packed)
            bins[dt.datetime.fromisoformat(minute).replace(tzinfo=UTC)] = (_exact(gross), _exact(net), events)
        viewers = {}
        for viewer, packed in self.viewers.items():
            gross, net, events = unpack(packed)
            viewers[viewer] = (_exact(gross), _exact(net), events)
        return Report(
            currency=currency,
            as_of=self.as_of,
            rows=tuple(rows),
            originals={
                currency: _in_minor_units(amount, currency) for currency, amount in sorted(self.originals.items())
            },
            viewers=viewers,
            bins=bins,
            records=self.records,
            valued=self.valued,
            rejected=self.rejected,
            duplicates=self.duplicates,
            without_money=dict(sorted(self.without_money.items())),
            not_read=dict(sorted(self.not_read.items())),
            conflicts=self.conflicts,
            conflicts_named=tuple(self.conflicts_named),
            hostless_gifts=self.hostless_gifts,
            host_differs=self.host_differs,
            without_id=self.without_id,
            undated=self.undated,
            recipients=len(self.recipients),
            rejects=tuple(self.rejects),
            **extra,
        )


def _in_minor_units(amount: Decimal, currency: str) -> Decimal:
    """``amount`` written to the currency's minor unit when that loses no digit (``10.0 USD`` as ``10.00``).

    Identical events share one valuation, so ``5.0`` and ``5.00`` sum alike whichever came first.
    """
    quantized = ROUNDING.quantize(amount, minor_unit(currency))
    return quantized if quantized == amount else amount.normalize(ROUNDING)


_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _neutral(cell: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (a plain number such as -5.00 stays as is).

    A carriage return becomes a line feed, which the writer quotes (it would not quote a bare CR, which
    spreadsheets take as the end of a row: a formula could start the next one), and a NUL byte U+FFFD."""
    if "\r" in cell or "\x00" in cell:
        cell = cell.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
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


def _gross_net(gross: Decimal, net: Decimal, currency: str) -> dict[str, Any]:
    """The columns of an exact gross and net in a table: each shown (rounded once) and exact."""
    return {
        "gross": numeric(show(gross, currency)),
        "net": numeric(show(net, currency)),
        "gross_exact": written_exact(gross, currency),
        "net_exact": written_exact(net, currency),
    }


def _frame(pd: Any, records: list[dict[str, Any]], columns: list[str], floats: list[str]) -> Any:
    """A DataFrame of ``records`` with ``columns``; the ``floats`` columns ``float64`` even when empty."""
    frame = pd.DataFrame(records, columns=columns)
    return frame.astype(dict.fromkeys(floats, "float64"))


def without_id_warning(events: int, inputs: int, twice: str = "counts twice") -> str:
    """The warning of a run of several inputs (files, or paths given) about its ``events`` that carry no id: a
    repeat of one of them is not told, and ``twice`` says what becomes of it (`Report.notes`; ``livemoney
    convert`` says "is written twice")."""
    return (
        f"warning: {events} event(s) carry no id (their format gives none): duplicates are told by id, so one "
        f"such event found in two of the {inputs} files {twice}; give each stream's capture once"
    )


@attrs.frozen(slots=True, eq=False)
class Report:
    """The valuation of one or more logs in ``currency``: see the module docstring.

    ``rows`` are per (platform, kind), shown amounts (``Row.exact``: exact sums); ``originals`` the money
    events carried, per original currency or unit; ``viewers`` viewer → exact (gross, net, events);
    ``bins`` UTC minute → exact (gross, net, events). Counts: ``records == events + without money + not
    read + rejected`` and ``events == valued + duplicates``; ``without_money`` and ``not_read`` count the
    records by kind; ``conflicts`` counts events that shared an id with a different event (both valued).
    ``rejects`` keeps the first `REJECTS_KEPT` rejected lines.
    """

    currency: str
    as_of: dt.date | None
    rows: tuple[Row, ...]
    originals: dict[str, Decimal]
    viewers: dict[str, tuple[Decimal, Decimal, int]]
    bins: dict[dt.datetime, tuple[Decimal, Decimal, int]]
    records: int
    valued: int
    rejected: int
    duplicates: int
    without_money: dict[str, int] = attrs.field(factory=dict)
    not_read: dict[str, int] = attrs.field(factory=dict)
    conflicts: int = 0
    conflicts_named: tuple[str, ...] = ()
    hostless_gifts: int = 0
    """Gifts whose record names a recipient but no host, valued as the creator's (no ``--host`` given)."""
    recipients: int = 0
    """How many different recipients those gifts name."""
    host_differs: int = 0
    """Gifts whose record names a host other than the one given (``--host``): the record's wins."""
    without_id: int = 0
    """Events valued without an id (formats that give none: TikTokLive's web UI, Instagram's badges CSV,
    Facebook's reactions): duplicates are told by id, so a repeat of one is counted again."""
    inputs: int = 1
    """How many files were valued (`Report.notes` warns of events without an id when there are several)."""
    rejects: tuple[Rejected, ...] = ()
    ledger_rows_added: int | None = None
    """Valued into a ledger: how many of the valued events were new to it (the others were in it already)."""
    host: str | None = None
    """The LIVE host's user id given to the run (``--host``, ``host=``), if one was."""
    rejects_file: str | None = None
    """Where the rejected records were written, each verbatim (``rejects=``, ``--rejects FILE``), if anywhere."""
    from_ledger: str | None = None
    """Read from a ledger (`livemoney.engine.ledger.report_of`): its path. A ledger keeps valued events only."""
    undated: int = 0
    """Events valued without a time (a log line without ``ts``, pytchat's ``timestamp`` 0): in the totals, in no
    minute, valued with the rules and exchange rate of ``as_of`` (else the current rules and the latest rate)."""
    held: int = 0
    """A live tally's report (`livemoney.engine.tally.LiveTally.report`): records its decoders hold back (the
    top frame of an open gift streak, a ticker copy), in none of the counts until they come out or
    ``flush()`` values them."""

    # --- counts ---------------------------------------------------------------------------

    @property
    def read(self) -> int:
        """The records read (an older name of `records`)."""
        return self.records

    @property
    def events(self) -> int:
        """Records that were events: valued (known or unknown) or duplicates."""
        return self.valued + self.duplicates

    def counts_line(self) -> str:
        """``records N = events E + without money M + rejected R; events E = valued V + duplicates D``.

        ``+ not read U`` (kinds of record the reader does not know) and ``id conflicts C`` appear when
        there are any.
        """
        without = sum(self.without_money.values())
        unread = sum(self.not_read.values())
        line = f"records {self.records} = events {self.events} + without money {without}"
        line += f" + not read {unread}" if unread else ""
        line += (
            f" + rejected {self.rejected}; events {self.events} = valued {self.valued} + duplicates {self.duplicates}"
        )
        return line + (f" (id conflicts {self.conflicts})" if self.conflicts else "")

    def ledger_line(self) -> str | None:
        """What a ledger did: ``ledger: N rows added (M of the V events were already in it)`` after valuing into
        one, what a report read from one holds; ``None`` without a ledger."""
        if self.from_ledger is not None:
            return (
                f"ledger {self.from_ledger}: {self.valued} event{'s' if self.valued != 1 else ''} (a ledger keeps "
                "valued events only: records without money, rejected records and duplicates are not in it)"
            )
        if self.ledger_rows_added is None:
            return None
        added, valued = self.ledger_rows_added, self.valued
        line = f"ledger: {added} row{'s' if added != 1 else ''} added"
        if valued and added == 0:
            return f"{line} (all {valued} event{'s' if valued != 1 else ''} were already in it)"
        if added < valued:
            return f"{line} ({valued - added} of the {valued} events were already in it)"
        return line

    def notes(self) -> list[str]:
        """What the counts line sums up, by kind: records without money, kinds not read, id conflicts, the
        first rejected records (``FILE:LINE: field: problem``); what a ledger did (`ledger_line`)."""
        lines = []
        if self.without_money:
            kinds = ", ".join(f"{kind} ({count})" for kind, count in self.without_money.items())
            lines.append(f"without money: {kinds}")
        for kind, count in self.not_read.items():
            lines.append(f"not read: {kind}: {count} record{'s' if count != 1 else ''}, not read by this version")
        if self.hostless_gifts and self.recipients > 1:
            lines.append(
                f"warning: {self.hostless_gifts} gift(s) name {self.recipients} different recipients and no host: "
                "all are counted as the creator's; give the host's user id (--host, host=) to keep gifts to "
                "guests apart"
            )
        guests = [row for row in self.rows if row.to_guests]
        if self.host is not None and guests and not any(row.kind == "gift" for row in self._creator_rows()):
            sent = sum(row.events for row in guests)
            lines.append(
                f"warning: every gift naming a recipient went to a guest ({sent}), none to the host you gave "
                f"(--host {self.host}): is it the LIVE host's user id?"
            )
        if self.host_differs:
            lines.append(
                f"warning: {self.host_differs} gift(s) name a host other than the one you gave (--host): "
                "each record's own host was used"
            )
        if self.undated:
            when = (
                f"the rules and the exchange rate of {self.as_of.isoformat()} (--as-of)"
                if self.as_of is not None
                else "the current rules and the latest exchange rate (--as-of DATE sets the date)"
            )
            lines.append(f"no time: {self.undated} event(s) carry no time, valued with {when}; in no minute")
        if self.without_id and self.inputs > 1:
            lines.append(without_id_warning(self.without_id, self.inputs))
        if self.conflicts:
            named = "; ".join(self.conflicts_named[:5])
            more = f" (and {self.conflicts - 5} more)" if self.conflicts > 5 else ""
            lines.append(f"warning: {self.conflicts} id conflict(s), each valued: {named}{more}")
        if self.rejected:
            named = "; ".join(str(rejected) for rejected in self.rejects[:3])
            more = f" (and {self.rejected - 3} more)" if self.rejected > 3 else ""
            kept = (
                f"each one verbatim in {self.rejects_file}"
                if self.rejects_file
                else "--rejects FILE keeps each one verbatim"
            )
            lines.append(f"rejected {self.rejected}: {named}{more}; {kept}")
        ledger = self.ledger_line()
        if ledger is not None:
            lines.append(ledger)
        if self.held:
            lines.append(
                f"held back: {self.held} record(s) a decoder has not given back yet (an open gift streak's top frame, "
                "a copy waiting for its original), in none of the counts yet: flush() values them (at a disconnect, "
                "or with a time to close the streaks that timed out)"
            )
        return lines

    # --- totals ---------------------------------------------------------------------------

    def _creator_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.to_guests]

    def total(self, platforms: Iterable[str] | None = None, to_guests: bool = False) -> Amounts:
        """The shown total of the rows (of ``platforms`` when given): gross its exact sum rounded once; each
        party's share and the net the sum of their figures in the rows, moved a minor unit at a time where they
        do not add up to gross, each within a minor unit of its exact sum (`money.fitted_parts`), so that the
        columns add up and a party on one row shows its row's figure; if no such move is left, each rounded by
        running totals as a row is (`Amounts.shown`)."""
        rows = self._total_rows(platforms, to_guests)
        exact = self._exact_of(rows)
        currency = self.currency
        parties = list(exact.shares)
        zero = Money.zero(currency)
        with_money = [row for row in rows if (row.exact or row).gross.amount]
        gross = show(exact.gross.amount, currency)
        fitted = fitted_parts(
            gross,
            [*(exact.shares[party].amount for party in parties), exact.net.amount],
            [
                *(add_all(row.shares.get(party, zero).amount for row in rows) for party in parties),
                add_all(row.net.amount for row in rows),
            ],
            currency,
            # a party with money on one row only shows that row's figure, unless no other part can move
            [
                *(
                    sum(1 for row in with_money if (row.exact or row).shares.get(party, zero).amount) <= 1
                    for party in parties
                ),
                len(with_money) <= 1,
            ],
        )
        if fitted is None:
            return exact.shown()
        shares = {party: Money(amount, currency) for party, amount in zip(parties, fitted)}
        return Amounts(Money(gross, currency), shares, Money(fitted[-1], currency), exact.residual)

    def _total_rows(self, platforms: Iterable[str] | None, to_guests: bool) -> list[Row]:
        wanted = None if platforms is None else set(platforms)
        return [row for row in self.rows if row.to_guests == to_guests and (wanted is None or row.platform in wanted)]

    def exact_total(self, platforms: Iterable[str] | None = None, to_guests: bool = False) -> Amounts:
        """The exact total of the creator's rows (of ``platforms`` when given; the guests' with ``to_guests``)."""
        return self._exact_of(self._total_rows(platforms, to_guests))

    def _exact_of(self, rows: list[Row]) -> Amounts:
        parties: dict[str, Decimal] = {}
        gross = net = Decimal(0)
        # The total's rest goes to the party that takes it in every row with money (likes have none).
        residuals = {row.exact.residual if row.exact else None for row in rows if (row.exact or row).gross.amount}
        for row in rows:
            exact = row.exact or Amounts(row.gross, row.shares, row.net)
            gross = SUMS.add(gross, exact.gross.amount)
            net = SUMS.add(net, exact.net.amount)
            for party, money in exact.shares.items():
                parties[party] = SUMS.add(parties.get(party, Decimal(0)), money.amount)
        currency = self.currency
        # Rows whose valuations give the rest to different parties (a total over platforms): the
        # creator's net is rounded once on its own, and the last share takes the rest.
        residual = residuals.pop() if len(residuals) == 1 else (list(parties)[-1] if parties else None)
        return Amounts(
            Money(gross, currency), {p: Money(a, currency) for p, a in parties.items()}, Money(net, currency), residual
        )

    @property
    def exact(self) -> Amounts:
        """The exact total of the creator's rows (unknown valuations and gifts to guests excluded)."""
        return self.exact_total()

    @property
    def gross(self) -> Money:
        """What viewers paid the creator, over every row (unknown valuations excluded), rounded once."""
        return self.total().gross

    @property
    def net(self) -> Money:
        """What the creator keeps, over every row (unknown valuations excluded), as shown on the total row
        (`total`: the rows' nets added up, within a minor unit of ``exact.net``)."""
        return self.total().net

    @property
    def shares(self) -> dict[str, Money]:
        """What each party takes, over every row, as shown on the total row (`total`)."""
        return self.total().shares

    @property
    def unknown(self) -> int:
        """How many of the creator's events have an unknown valuation."""
        return sum(row.unknown for row in self._creator_rows())

    def row(self, platform: str, kind: str, to_guests: bool = False) -> Row | None:
        """The row of ``platform`` and ``kind``, if any event had them."""
        return next(
            (r for r in self.rows if r.platform == platform and r.kind == kind and r.to_guests == to_guests), None
        )

    # --- views ----------------------------------------------------------------------------

    def top_viewers(self, n: int = 10) -> list[tuple[str, Money, Money, int]]:
        """The ``n`` viewers who earned the creator most: `TopViewer` rows ``(viewer, gross, net, events)``
        (named, and tuples), by exact net; gross and net each rounded once."""
        if n < 0:
            raise ValueError(f"n: {n} must not be negative")
        ranked = sorted(self.viewers.items(), key=lambda item: (-item[1][1], -item[1][0], item[0]))
        currency = self.currency
        return [
            TopViewer(viewer, Money(show(g, currency), currency), Money(show(n_, currency), currency), e)
            for viewer, (g, n_, e) in ranked[:n]
        ]

    def timeline(self, freq: str = "1min") -> list[Bin]:
        """`Bin` rows ``(start, gross, net)`` per ``freq`` (``1min``, ``5min``, ``1h``, ``1D`` ...), UTC, bins with
        events; each bin's exact sums rounded once.

        Events without a timestamp are in the totals but in no bin.
        """
        currency = self.currency
        return [
            Bin(start, Money(show(g, currency), currency), Money(show(n, currency), currency))
            for start, (g, n) in self._binned(freq)
        ]

    def _binned(self, freq: str) -> list[tuple[dt.datetime, tuple[Decimal, Decimal]]]:
        """``(bin start, (exact gross, exact net))`` per ``freq``, in time order."""
        width = _minutes(freq)
        merged: dict[dt.datetime, tuple[Decimal, Decimal]] = {}
        epoch = dt.datetime(1970, 1, 1, tzinfo=UTC)
        for moment, (gross, net, _) in self.bins.items():
            minutes = int((moment - epoch).total_seconds()) // 60
            start = epoch + dt.timedelta(minutes=minutes - minutes % width)
            before = merged.get(start, (Decimal(0), Decimal(0)))
            merged[start] = (SUMS.add(before[0], gross), SUMS.add(before[1], net))
        return sorted(merged.items())

    def to_pandas(self, table: str = "rows", freq: str = "1min") -> Any:
        """A pandas DataFrame of the ``rows``, the ``viewers`` or the ``timeline``, with named columns.

        Money columns are numbers people can plot and sum: each money column (``gross``, each party,
        ``net``) is a ``float64`` of the shown figure (rounded once, to the minor unit), and beside it
        ``gross_exact`` and ``net_exact`` keep the exact sums as `Decimal` objects (10 decimal places), so
        ``frame.plot()`` works and ``frame.net_exact.sum()`` is exact. The timeline's ``start`` is UTC.
        """
        pd = pandas()
        currency = self.currency
        if table == "rows":
            parties = self._parties()
            zero = Money.zero(currency).rounded()
            records = [
                {
                    "platform": row.platform,
                    "kind": row.label,
                    "events": row.events,
                    "unknown": row.unknown,
                    "gross": numeric(row.gross.amount),
                    **{party: numeric(row.shares.get(party, zero).amount) for party in parties},
                    "net": numeric(row.net.amount),
                    "gross_exact": written_exact((row.exact or row).gross.amount, currency),
                    "net_exact": written_exact((row.exact or row).net.amount, currency),
                    "currency": currency,
                }
                for row in self.rows
            ]
            columns = ["platform", "kind", "events", "unknown", "gross", *parties, "net", "gross_exact", "net_exact"]
            return _frame(pd, records, [*columns, "currency"], ["gross", *parties, "net"])
        if table == "viewers":
            ranked = sorted(self.viewers.items(), key=lambda item: (-item[1][1], -item[1][0], item[0]))
            records = [
                {"viewer": viewer, "events": events, **_gross_net(gross, net, currency)}
                for viewer, (gross, net, events) in ranked
            ]
            return _frame(
                pd, records, ["viewer", "gross", "net", "events", "gross_exact", "net_exact"], ["gross", "net"]
            )
        if table == "timeline":
            records = [
                {"start": start, **_gross_net(gross, net, currency)} for start, (gross, net) in self._binned(freq)
            ]
            frame = _frame(pd, records, ["start", "gross", "net", "gross_exact", "net_exact"], ["gross", "net"])
            frame["start"] = pd.to_datetime(frame["start"], utc=True)
            return frame
        raise ValueError(f"table: {table!r} is not rows, viewers or timeline")

    # --- output ---------------------------------------------------------------------------

    def _parties(self) -> list[str]:
        parties: dict[str, None] = {}
        for row in self.rows:
            parties.update(dict.fromkeys(row.shares))
        return list(parties)

    def _title(self) -> str:
        rules = f"rules as of {self.as_of.isoformat()}" if self.as_of else "rules of each event's date"
        return (
            f"Valued in {self.currency} ({rules}; exchange: the rate of each event's date; sums exact, "
            "each figure rounded once)"
        )

    def _table_rows(self) -> tuple[list[str], list[list[str]]]:
        parties = self._parties()
        headers = ["platform", "kind", "events", "unknown", "gross", *parties, "net"]
        zero = Money.zero(self.currency).rounded()

        def cells(first: str, second: str, events: int, unknown: int, amounts: Amounts) -> list[str]:
            return [
                first,
                second,
                str(events),
                str(unknown),
                plain(amounts.gross.amount),
                *(plain(amounts.shares.get(party, zero).amount) for party in parties),
                plain(amounts.net.amount),
            ]

        table = [
            cells(row.platform, row.label, row.events, row.unknown, Amounts(row.gross, row.shares, row.net))
            for row in self.rows
        ]
        creator = self._creator_rows()
        table.append(cells("total", "", sum(r.events for r in creator), self.unknown, self.total()))
        guests = [row for row in self.rows if row.to_guests]
        if guests:
            table.append(
                cells(
                    GUESTS,
                    "(not the creator's)",
                    sum(r.events for r in guests),
                    sum(r.unknown for r in guests),
                    self.total(to_guests=True),
                )
            )
        return headers, table

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data: amounts are decimal strings (shown, and ``exact``)."""

        def amounts(value: Amounts) -> dict[str, Any]:
            return {
                "gross": plain(value.gross.amount),
                "shares": {party: plain(money.amount) for party, money in value.shares.items()},
                "net": plain(value.net.amount),
            }

        def exact(value: Amounts) -> dict[str, Any]:
            return {
                "gross": exact_text(value.gross),
                "shares": {party: exact_text(money) for party, money in value.shares.items()},
                "net": exact_text(value.net),
            }

        return {
            "currency": self.currency,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "counts": {
                "records": self.records,
                "events": self.events,
                "without_money": sum(self.without_money.values()),
                "not_read": sum(self.not_read.values()),
                "rejected": self.rejected,
                "valued": self.valued,
                "duplicates": self.duplicates,
                "id_conflicts": self.conflicts,
                "gifts_naming_a_recipient_without_host": self.hostless_gifts,
                "held": self.held,
                "without_time": self.undated,
                "without_money_by_kind": dict(self.without_money),
                "not_read_by_kind": dict(self.not_read),
            },
            "id_conflicts": list(self.conflicts_named),
            "rows": [
                {
                    "platform": row.platform,
                    "kind": row.kind,
                    "to_guests": row.to_guests,
                    "events": row.events,
                    "unknown": row.unknown,
                    "unknown_reasons": row.reasons,
                    **amounts(Amounts(row.gross, row.shares, row.net)),
                    "exact": exact(row.exact or Amounts(row.gross, row.shares, row.net)),
                    "units": {unit: plain(amount.normalize()) for unit, amount in row.units.items()},
                    "explain": list(row.explain),
                }
                for row in self.rows
            ],
            "total": {
                "events": sum(row.events for row in self._creator_rows()),
                "unknown": self.unknown,
                **amounts(self.total()),
                "exact": exact(self.exact),
            },
            "to_guests": {
                "events": sum(row.events for row in self.rows if row.to_guests),
                "unknown": sum(row.unknown for row in self.rows if row.to_guests),
                **amounts(self.total(to_guests=True)),
                "exact": exact(self.exact_total(to_guests=True)),
            },
            "original_amounts": {currency: plain(amount) for currency, amount in self.originals.items()},
            "rejects": [
                {"source": r.source, "line": r.line, "field": r.field, "problem": r.problem} for r in self.rejects
            ],
        }

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
        lines.extend(self.remarks())
        lines.append(self.counts_line())
        return "\n".join(lines)

    def remarks(self) -> list[str]:
        """The lines the table format prints between the table and the counts line: the amounts the records
        carried, each unknown valuation's reason (a row's kind, how many events, why), then `notes`. The
        command line writes them to standard error with ``--format csv`` or ``json`` (standard output is the
        table alone), so that what was skipped or unknown is said in every format."""
        lines = []
        if self.originals:
            carried = ", ".join(f"{plain(amount)} {currency}" for currency, amount in self.originals.items())
            lines.append(f"amounts the records carried: {carried}")
        for row in self.rows:
            for reason, events in row.reasons.items():
                lines.append(
                    f"unknown: {row.platform} {row.label}, {events} event{'s' if events != 1 else ''}: {reason}"
                )
        lines.extend(self.notes())
        return lines

    def __repr__(self) -> str:
        platforms = sorted({row.platform for row in self.rows})
        return (
            f"<Report {self.currency}: {', '.join(platforms) or 'no events'}; gross={self.gross} net={self.net}; "
            f"{self.counts_line()}>"
        )
