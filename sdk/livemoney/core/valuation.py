"""Building one `Valuation`: convert to the report currency, keep exact amounts, keep the invariant.

Plugins compute exact amounts in whatever currency their rule speaks (USD per diamond, the viewer's
yen) and hand them to `valuation`; it converts each to ``context.currency`` with the context's
exchange rates on the event's date and keeps it to `livemoney.core.money.EXACT_PLACES` decimal places
(half-even): gross, the running total of the shares (each share is its running total less the one
before), and a fixed net. Nothing is rounded to the minor unit here: a report sums exact amounts and
rounds each figure once, where it is shown (a single Rose earns the creator 0.005 USD, and 10,000 of
them 50.00 USD). The residual party (the creator's net by default) takes what is left, so that
``gross == sum(shares) + net`` holds exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from livemoney.core.models import Context, Event, Share, Source, Valuation, summary_line, utc_date
from livemoney.core.money import EXACT_PLACES, SUMS, Money, add_all, exact, is_currency


def valuation(
    *,
    platform: str,
    kind: str,
    event: Event | None,
    context: Context,
    gross: Money,
    shares: Iterable[tuple[str, Money, Source | None]] = (),
    net: Money | None = None,
    residual: str | None = None,
    units: Mapping[str, Decimal] | None = None,
    explain: Iterable[str] = (),
    unknown: bool = False,
    reason: str | None = None,
) -> Valuation:
    """A `Valuation` in ``context.currency`` from exact amounts.

    :param gross: what the viewer paid, in money (not platform units).
    :param shares: ``(party, amount, source)`` for each party that takes a cut.
    :param net: what the creator keeps, when the rule fixes it (TikTok pays per diamond); then the
        ``residual`` party takes ``gross - shares - net`` and any rounding. Without ``net``, the
        creator keeps the rest and any rounding.

    Amounts in another currency are converted with the rate of the event's own date (else
    ``context.as_of``, else the latest rate).
    """
    lines = list(explain)
    on = rate_date(event, context)
    rates = context.rates()
    used: dict[str, None] = {}

    def convert(money: Money) -> Money:
        converted, rate = rates.convert(money, context.currency, on)
        if rate is not None:
            used[rate.describe()] = None
        return converted

    currency = context.currency
    gross_x = exact(convert(gross).amount, currency)
    # Each share is the running total (to EXACT_PLACES) less the total before it, so the shares add up
    # to the sum of the exact shares and net never drifts.
    shares_x = []
    running = Decimal(0)
    taken = Decimal(0)
    for party, amount, source in shares:
        running = SUMS.add(running, convert(amount).amount)
        upto = exact(running, currency)
        shares_x.append(Share(party, Money(exact(SUMS.subtract(upto, taken), currency), currency), source))
        taken = upto
    if net is None:
        net_x = Money(exact(SUMS.subtract(gross_x, taken), currency), currency)
    else:
        if residual is None:
            raise ValueError("valuation: a fixed net needs a residual party to take the rest")
        net_x = Money(exact(convert(net).amount, currency), context.currency)
        rest = Money(exact(SUMS.subtract(SUMS.subtract(gross_x, taken), net_x.amount), currency), currency)
        shares_x.append(Share(residual, rest, None))
    lines.extend(f"exchange: {line}" for line in used)
    gross_m = Money(gross_x, context.currency)
    lines.append(summary_line(gross_m, tuple(shares_x), net_x, residual if net is not None else None))
    return Valuation(
        platform=platform,
        kind=kind,
        gross=gross_m,
        shares=tuple(shares_x),
        net=net_x,
        units=dict(units or {}),
        explain=tuple(lines),
        event=event,
        unknown=unknown,
        reason=reason,
        residual=residual if net is not None else None,
    )


def rate_date(event: Event | None, context: Context) -> dt.date | None:
    """The date whose exchange rate converts ``event``'s money: its own date, else ``context.as_of``."""
    own = utc_date(event.ts) if event is not None else None
    return own if own is not None else context.as_of


def unknown_valuation(
    *,
    platform: str,
    kind: str,
    event: Event | None,
    context: Context,
    reason: str,
    units: Mapping[str, Decimal] | None = None,
    explain: Iterable[str] = (),
) -> Valuation:
    """A `Valuation` that says no source gives the figure needed: zero amounts, ``unknown=True``."""
    zero = Money.zero(context.currency)
    return Valuation(
        platform=platform,
        kind=kind,
        gross=zero,
        shares=(),
        net=zero,
        units=dict(units or {}),
        explain=(*explain, f"unknown: {reason}"),
        event=event,
        unknown=True,
        reason=reason,
    )


# --- checking a valuation -------------------------------------------------------------------


def decimal_places(value: Decimal) -> int:
    """How many decimal places ``value`` needs (``1.50`` needs 1, ``100`` none); never rounds or raises."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0") or "0")
    return max(0, -exponent - trailing)


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def valuation_problems(
    valuation: Valuation, currency: str | None = None, *, platform: str | None = None, kind: str | None = None
) -> list[str]:
    """What breaks the invariants of a `Valuation` (empty when none does): the one check of a valuation,
    made where a plugin's valuation comes back to the engine and by ``livemoney plugins --check``.

    - it is of ``platform`` and ``kind`` when given (the event's: what was asked for);
    - every amount is money (an ISO code, not a platform unit), in ``currency`` when given (else in one
      currency), exact to `livemoney.core.money.EXACT_PLACES` decimal places at most;
    - ``gross == sum(shares) + net``; gross and each share are not negative, and the shares together
      are not above gross (net is not negative);
    - no float anywhere in the valuation or its event (attrs fields, mappings and sequences walked);
    - an unknown valuation says why (``reason``).
    """
    problems = []
    if platform is not None and valuation.platform != platform:
        problems.append(f"it is booked under platform {valuation.platform!r}, not {platform!r} (the event's)")
    if kind is not None and valuation.kind != kind:
        problems.append(f"it values a {valuation.kind!r}, not the {kind!r} asked for")
    money = [("gross", valuation.gross), ("net", valuation.net)]
    money += [(f"share of {share.party}", share.amount) for share in valuation.shares]
    expected = currency or valuation.gross.currency
    sound = True
    for label, amount in money:
        if amount.currency != expected:
            problems.append(f"{label} is in {amount.currency}, not {expected}")
        elif not is_currency(amount.currency):
            problems.append(f"{label} is in {amount.currency}, a platform unit, not money")
        elif _exponent(amount.amount) < -EXACT_PLACES and decimal_places(amount.amount) > EXACT_PLACES:
            problems.append(f"{label} {amount} has more than {EXACT_PLACES} decimal places")
        else:
            continue
        sound = False
    if sound:
        shares = add_all(share.amount.amount for share in valuation.shares)
        if valuation.gross.amount != SUMS.add(shares, valuation.net.amount):
            problems.append(f"gross {valuation.gross} != shares {shares} + net {valuation.net}")
        if valuation.gross.amount < 0:
            problems.append(f"gross {valuation.gross} is negative")
        problems.extend(
            f"share of {share.party} {share.amount} is negative"
            for share in valuation.shares
            if share.amount.amount < 0
        )
        if shares > valuation.gross.amount:
            problems.append(
                f"the shares ({Money(shares, expected)}) are above gross ({valuation.gross}): net {valuation.net} < 0"
            )
    problems.extend(f"{path} is a float" for path in floats(valuation, "valuation"))
    if valuation.unknown and not (valuation.reason or "").strip():
        problems.append("it is unknown but gives no reason")
    return problems


def floats(value: Any, path: str) -> list[str]:
    """The path of every float in ``value``, walking attrs fields, mappings and sequences."""
    found: list[str] = []
    _walk(value, path, found)
    return found


_LEAVES = frozenset({str, int, bool, Decimal, type(None)})
"""Types that hold no float: not walked (most of a valuation's fields), so a check stays cheap."""


def _walk(value: Any, path: str, found: list[str]) -> None:
    kind = type(value)
    if kind in _LEAVES:
        return
    if isinstance(value, float):
        found.append(path)
    elif attrs.has(kind):
        for field in attrs.fields(kind):
            item = getattr(value, field.name)
            if type(item) not in _LEAVES:
                _walk(item, f"{path}.{field.name}", found)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if type(key) not in _LEAVES:
                _walk(key, f"{path} key {key!r}", found)
            if type(item) not in _LEAVES:
                _walk(item, f"{path}[{key!r}]", found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            if type(item) not in _LEAVES:
                _walk(item, f"{path}[{index}]", found)
