"""Building one `Valuation`: convert to the report currency, round once, keep the invariant.

Plugins compute exact amounts in whatever currency their rule speaks (USD per diamond, the viewer's
yen) and hand them to `valuation`; it converts each to ``context.currency`` with the context's
exchange rates on the event's date and rounds once to the minor unit (half-even): gross, the running
total of the shares (each share is its rounded running total less the one before), and a fixed net.
The rounding goes into the residual party (the creator's net by default), so that
``gross == sum(shares) + net`` holds exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from livemoney.models import Context, Event, Share, Source, Valuation, utc_date
from livemoney.money import Money


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
    used = {}

    def convert(money: Money) -> Money:
        converted, rate = rates.convert(money, context.currency, on)
        if rate is not None:
            used[rate.describe()] = None
        return converted

    gross_r = convert(gross).rounded()
    # Each share is the rounded running total minus the rounded total before it, so the shares add up
    # to the rounded sum of the exact shares and net never drifts more than half a minor unit.
    rounded_shares = []
    exact_total = Money.zero(context.currency)
    taken = Decimal(0)
    for party, amount, source in shares:
        exact_total = exact_total + convert(amount)
        upto = exact_total.rounded().amount
        rounded_shares.append(Share(party, Money(upto - taken, context.currency), source))
        taken = upto
    if net is None:
        net_r = Money(gross_r.amount - taken, context.currency)
    else:
        if residual is None:
            raise ValueError("valuation: a fixed net needs a residual party to take the rest")
        net_r = convert(net).rounded()
        rest = Money(gross_r.amount - taken - net_r.amount, context.currency)
        rounded_shares.append(Share(residual, rest, None))
    lines.extend(f"exchange: {line}" for line in used)
    return Valuation(
        platform=platform,
        kind=kind,
        gross=gross_r,
        shares=tuple(rounded_shares),
        net=net_r,
        units=dict(units or {}),
        explain=tuple(lines),
        event=event,
        unknown=unknown,
        reason=reason,
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
