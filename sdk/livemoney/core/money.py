"""Exact money: a `Decimal` amount with an ISO-4217 currency or a platform unit.

Amounts are never floats. A platform unit (``coins``, ``diamonds``, ``stars``, ``rubies``, ``jewels``)
is a currency of its own, written in lower case, that only a plugin converts to money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, Inexact, InvalidOperation, Overflow
from decimal import Context as DecimalContext
from functools import cache

import attrs
from babel.numbers import get_currency_precision, list_currencies

from livemoney.errors import CurrencyMismatch, FieldError

UNIT_PATTERN = re.compile(r"^[a-z][a-z_]*$")
ISO_CODES = frozenset(list_currencies())

EXACT_PLACES = 10
"""Valuations keep amounts to 10 decimal places of the currency (``0.0141428571`` USD for one coin), far
below any minor unit; a figure is rounded to its minor unit only where it is shown (`show`)."""
EXACT = Decimal(1).scaleb(-EXACT_PLACES)
"""The quantum of an exact amount: ``Decimal("1E-10")``."""
MAX_VALUED = 1 << 190
"""The bound (exclusive) of one event's valuation, gross and net, in units of `EXACT` (about 1.6 * 10^47 of
the report currency): livemoney sums per viewer, per minute and per row exactly for any number of events
up to 2^64 within it (`livemoney.engine.report.pack`); an event valued beyond it is rejected."""
SUMS = DecimalContext(prec=100, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, Inexact, Overflow])
"""The context of every sum and product of exact amounts: 100 digits, and an error, never a silent loss,
if a result needs more. No valid input comes near: an event's valuation is at most `MAX_VALUED` (58
digits with its 10 decimal places), and 2^64 events of it need 78."""
ROUNDING = DecimalContext(prec=100, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, Overflow])
"""The context of the two deliberate roundings: to `EXACT_PLACES` (a valuation) and to a minor unit (a shown figure)."""


def to_decimal(value: object, field: str = "amount") -> Decimal:
    """Turn an int, a decimal string or a Decimal into a finite Decimal; refuse floats and bools."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (bool, float)):
        raise TypeError(f"{field}: {value!r} is a {type(value).__name__}; money is Decimal, int or a decimal string")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{field}: {value!r} is not a decimal number") from None
    else:
        raise TypeError(f"{field}: {value!r} is a {type(value).__name__}; expected Decimal, int or a decimal string")
    if not result.is_finite():
        raise ValueError(f"{field}: {value!r} is not a finite number")
    if result and result.adjusted() > 30:
        raise FieldError(field, f"{value!r} is out of range")
    return result


def is_currency(code: str) -> bool:
    """True for an ISO-4217 code known to babel (``USD``, ``JPY``)."""
    return code in ISO_CODES


def is_unit(code: str) -> bool:
    """True for a platform unit such as ``coins`` or ``stars`` (lower-case word)."""
    return bool(UNIT_PATTERN.match(code))


def check_currency(code: object, field: str = "currency") -> str:
    """Return ``code`` if it is an ISO-4217 code or a platform unit, else raise naming the field."""
    if not isinstance(code, str):
        raise TypeError(f"{field}: {code!r} is not a string")
    if is_currency(code) or is_unit(code):
        return code
    raise ValueError(f"{field}: {code!r} is not an ISO-4217 currency code nor a platform unit")


@cache
def minor_unit(currency: str) -> Decimal:
    """The quantum of a currency's minor unit: ``Decimal('0.01')`` for USD, ``Decimal('1')`` for JPY.

    Platform units are whole numbers.
    """
    digits = get_currency_precision(currency) if is_currency(currency) else 0
    return Decimal(1).scaleb(-digits)


def _currency(instance: object, attribute: attrs.Attribute, value: object) -> None:
    check_currency(value, attribute.name)


@attrs.frozen(slots=True, order=False)
class Money:
    """An exact amount in one currency. Arithmetic across currencies raises `CurrencyMismatch`."""

    amount: Decimal = attrs.field(converter=to_decimal)
    currency: str = attrs.field(validator=_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def rounded(self) -> Money:
        """Rounded half-even to the currency's minor unit: the figure as shown."""
        return Money(show(self.amount, self.currency), self.currency)

    def exact(self) -> Money:
        """Quantized half-even to `EXACT_PLACES` decimal places: the precision valuations keep."""
        return Money(exact(self.amount, self.currency), self.currency)

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}; convert first")
        return other

    def __add__(self, other: Money) -> Money:
        other = self._same(other)
        if other is NotImplemented:
            return NotImplemented
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        other = self._same(other)
        if other is NotImplemented:
            return NotImplemented
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, (float, bool)) or not isinstance(factor, (Decimal, int)):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __str__(self) -> str:
        return f"{plain(self)} {self.currency}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"


def plain(value: Money | Decimal) -> str:
    """An exact amount as plain decimal text, never an exponent: ``Decimal("1E+2")`` is ``"100"``."""
    return f"{value.amount if isinstance(value, Money) else value:f}"


def exact_text(value: Money | Decimal, currency: str | None = None) -> str:
    """An exact amount as text without needless zeros, yet to at least the minor unit: ``0.005``, ``50.00``."""
    amount, currency = (value.amount, value.currency) if isinstance(value, Money) else (value, currency or "")
    digits = max(-_exponent(minor_unit(currency)), 0) if currency else 0
    text = plain(amount.normalize()) if amount else "0"
    whole, _, fraction = text.partition(".")
    fraction = fraction.ljust(digits, "0")
    return f"{whole}.{fraction}" if fraction else whole


def exact(amount: Decimal, currency: str | None = None) -> Decimal:
    """``amount`` to `EXACT_PLACES` decimal places, half-even (the one rounding a valuation makes).

    With ``currency``, zeros beyond its minor unit are dropped (``0.0200000000`` is ``0.02``, ``50`` is
    ``50.00``): the same number, written as short as it is exact.
    """
    result = ROUNDING.quantize(amount, EXACT)
    if currency is None:
        return result
    quantum = minor_unit(currency)
    trimmed = result.normalize(ROUNDING)
    return trimmed if _exponent(trimmed) < _exponent(quantum) else ROUNDING.quantize(result, quantum)


def _exponent(value: Decimal) -> int:
    """The exponent of a finite decimal (``-2`` for ``0.05``)."""
    return int(value.as_tuple().exponent)


def show(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-even to the minor unit of ``currency``: the one rounding of a shown figure."""
    return ROUNDING.quantize(amount, minor_unit(currency))


def split_shown(
    gross: Decimal, net: Decimal, shares: Sequence[Decimal], currency: str, residual: int | None = None
) -> tuple[Decimal, Decimal, list[Decimal]]:
    """The shown ``(gross, net, shares)`` of exact amounts with ``gross == net + sum(shares)``.

    Gross is rounded once (half-even, to the minor unit). The parties are rounded by running totals, in
    this order: a fixed net first (the creator's amount where the rule fixes it), then each share, and
    last the party that takes the rest — ``shares[residual]``, or the creator's net when ``residual`` is
    ``None`` — whose shown amount is rounded gross less the others. So the shown row adds up
    (``gross == net + sum(shares)``), each party is within one minor unit of its exact amount, a fixed net
    is its exact amount rounded once, and the rounding goes where the rule puts the rest.
    """
    shown_gross = show(gross, currency)
    order: list[tuple[str, int]] = [] if residual is None else [("net", -1)]
    order += [("share", index) for index in range(len(shares)) if index != residual]
    amounts = {("net", -1): net, **{("share", index): amount for index, amount in enumerate(shares)}}
    shown: dict[tuple[str, int], Decimal] = {}
    running, before = Decimal(0), Decimal(0)
    for part in order:
        running = SUMS.add(running, amounts[part])
        upto = show(running, currency)
        shown[part] = SUMS.subtract(upto, before)
        before = upto
    last = ("net", -1) if residual is None else ("share", residual)
    shown[last] = SUMS.subtract(shown_gross, before)
    return shown_gross, shown[("net", -1)], [shown[("share", index)] for index in range(len(shares))]


def fitted_parts(
    total: Decimal, exact: Sequence[Decimal], near: Sequence[Decimal], currency: str, settled: Sequence[bool] = ()
) -> list[Decimal] | None:
    """Shown parts (each party's share and the net) that add up to ``total`` (a total's shown gross), each at
    most one minor unit from its ``exact`` amount (as a row's parties are: `split_shown`), as close to ``near``
    (the shown figures of the total's rows, added up) as that allows: ``near`` itself when it adds up, else
    ``near`` moved a minor unit at a time, each time a part ``settled`` marks (one that stands on one row, whose
    figure the total should repeat) only when no other can move, and among those the part furthest from its
    exact amount in that direction. A figure of ``near`` more than a minor unit from its exact amount (many
    rows' roundings added up) starts from that amount rounded once. ``None`` when no move is left: the caller
    rounds the total by running totals instead (`split_shown`)."""
    unit = minor_unit(currency)
    # a sum of many rows' figures more than a minor unit from its exact amount: that amount rounded once instead;
    # a sum of shown figures is already in minor units (written to them: no rows' sum is a bare 0, "0.00")
    parts = [
        show(part if abs(SUMS.subtract(part, amount)) <= unit else amount, currency) for part, amount in zip(near, exact)
    ]
    kept = list(settled) or [False] * len(parts)
    left = SUMS.subtract(total, add_all(parts))
    step = unit if left > 0 else -unit
    for _ in range(2 * len(parts) + 1):
        if not left:
            return parts
        movable = [
            (not kept[index], SUMS.subtract(amount, part) * step, index)
            for index, (part, amount) in enumerate(zip(parts, exact))
            if abs(SUMS.subtract(SUMS.add(part, step), amount)) <= unit
        ]
        if not movable:
            return None
        index = max(movable)[2]
        parts[index] = SUMS.add(parts[index], step)
        left = SUMS.subtract(left, step)
    return None


def add_all(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``amounts`` (`SUMS` context: an error rather than a lost digit)."""
    result = Decimal(0)
    for amount in amounts:
        result = SUMS.add(result, amount)
    return result


def total(items: list[Money] | tuple[Money, ...], currency: str) -> Money:
    """The sum of ``items``, all in ``currency`` (zero when empty)."""
    result = Money.zero(currency)
    for item in items:
        result = result + item
    return result
