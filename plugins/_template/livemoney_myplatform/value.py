"""Valuing My Platform's events: tokens sent (as a donation or a gift's amount), likes, sales.

Amounts are exact: hand `valuation` what the rules say, unrounded (500 tokens × 0.01 USD; 100 USD /
0.014 USD a token), and it keeps them to 10 decimal places with ``gross == sum(shares) + net``. Never
round to the cent here: a receipt (``valuation.shown()``) and a report round each figure once, where
it is shown, so that a thousand tokens worth 0.014 each add up to 14.00 and not 10.00.

Each function answers one hook for this platform's events only (the kit's `PlatformPlugin` has checked
the platform): ``donation_features``, ``value_gift``, ``value_donation``, ``value_sale``, ``handle_like``.
What most platforms answer alike is the kit's: `feature_unknown`, `sale_fee_unknown`, `likes_earn_nothing`.
"""

from __future__ import annotations

from livemoney.kit import (
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Money,
    Sale,
    SettingError,
    Valuation,
    event_date,
    feature_unknown,
    likes_earn_nothing,
    rate_date,
    sale_fee_unknown,
    unknown_valuation,
    valuation,
)

from livemoney_myplatform.rules import KEY, LIKES, NAME, NO_SOURCE, SETTINGS, UNIT


def donation_features(context: Context) -> list[DonationFeature]:
    earns = SETTINGS(f"{KEY}.token_usd", context, context.as_of)
    price = SETTINGS(f"{KEY}.token_price_usd", context, context.as_of)
    known = not earns.unknown and not price.unknown and price.value > 0
    share = earns.value / price.value if known else None
    return [
        DonationFeature(
            key=UNIT, name="Tokens", kind="virtual currency", availability="yes", creator_share=share, unit=UNIT,
            source=NO_SOURCE,
        )
    ]


def _tokens(event: Donation | Gift, amount: Money, context: Context) -> Valuation:
    """Tokens sent: the viewer paid the token price; the creator earns a fixed amount per token; the
    platform keeps the rest. Exact amounts, in whatever currency the rule speaks (USD here)."""
    on = event_date(event, context.as_of)
    earns = SETTINGS(f"{KEY}.token_usd", context, on)
    price = SETTINGS(f"{KEY}.token_price_usd", context, on)
    missing = [figure for figure in (earns, price) if figure.unknown]
    if missing:
        reason = "; ".join(f"{figure.key} is unknown ({figure.source.title})" for figure in missing)
        return unknown_valuation(platform=KEY, kind=event.kind, event=event, context=context, reason=reason)
    if price.value <= 0:
        raise SettingError(f"{price.key}: {price.value} must be more than 0")
    if amount.currency == UNIT:
        tokens = amount.amount * event.count
        paid = Money(tokens * price.value, "USD")
    else:
        paid = amount * event.count
        tokens = context.rates().convert(paid, "USD", rate_date(event, context))[0].amount / price.value
    return valuation(
        platform=KEY,
        kind=event.kind,
        event=event,
        context=context,
        gross=paid,
        net=Money(tokens * earns.value, "USD"),
        residual=NAME,
        units={UNIT: tokens},
        explain=[
            f"{tokens.normalize():f} tokens; the viewer paid {paid.amount:f} {paid.currency}: {price.cite()}",
            f"the creator earns {earns.cite()}",
            f"{NAME} keeps the rest",
        ],
    )


def value_donation(donation: Donation, context: Context) -> Valuation:
    if donation.feature != UNIT:
        return feature_unknown(KEY, NAME, donation, context, [UNIT])
    if donation.amount is None:
        reason = f"{NAME} {UNIT} with no amount"
        return unknown_valuation(platform=KEY, kind="donation", event=donation, context=context, reason=reason)
    return _tokens(donation, donation.amount, context)


def value_gift(gift: Gift, context: Context) -> Valuation:
    if gift.amount is None:
        reason = f"{NAME} gift {gift.gift!r} carries no amount and no source gives a gift catalogue"
        return unknown_valuation(platform=KEY, kind="gift", event=gift, context=context, reason=reason)
    return _tokens(gift, gift.amount, context)


def handle_like(like: Like, context: Context) -> LikeOutcome:
    return likes_earn_nothing(KEY, like, context, LIKES, NO_SOURCE)


def value_sale(sale: Sale, context: Context) -> Valuation:
    return sale_fee_unknown(KEY, NAME, sale, context)
