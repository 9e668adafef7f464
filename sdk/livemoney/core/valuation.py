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

from livemoney.core.models import Context, Event, Share, Source, Valuation, summary_line, utc_date
from livemoney.core.money import SUMS, Money, exact


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
