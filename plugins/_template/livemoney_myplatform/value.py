"""Valuing My Platform's events: tokens sent (as a donation or a gift's amount), likes, sales.

Each function answers one hook for this platform's events only (the kit's `PlatformPlugin` has checked
the platform): ``donation_features``, ``value_gift``, ``value_donation``, ``value_sale``, ``handle_like``.
What several platforms answer alike is the kit's, said once: tokens are units bought in packs
(``TOKENS``, the kit's `UnitsInPacks`, in `rules`), and `feature_unknown`, `sale_fee_unknown`,
`likes_earn_nothing`. Write a rule by hand only where it is the platform's own.

A rule of its own hands `valuation` what the rules say, unrounded (500 tokens × 0.01 USD; 100 USD /
1.40 USD × 100 tokens), and it keeps the amounts to 10 decimal places with ``gross == sum(shares) +
net``. Never round to the cent here: a receipt (``valuation.shown()``) and a report round each figure
once, where it is shown, so that a thousand tokens worth 0.014 each add up to 14.00 and not 10.00.
"""

from __future__ import annotations

from livemoney.kit import (
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Sale,
    Valuation,
    event_date,
    feature_unknown,
    likes_earn_nothing,
    sale_fee_unknown,
)

from livemoney_myplatform.rules import KEY, LIKES, NAME, NO_SOURCE, SETTINGS, TOKENS, UNIT


def donation_features(context: Context) -> list[DonationFeature]:
    pack = SETTINGS(f"{KEY}.token_pack", context, context.as_of)
    earns = SETTINGS(f"{KEY}.token_usd", context, context.as_of)
    return [
        DonationFeature(
            key=UNIT,
            name="Tokens",
            kind="virtual currency",
            availability="yes",
            creator_share=TOKENS.creator_share(pack, earns),
            unit=UNIT,
            source=NO_SOURCE,
        )
    ]


def _tokens(event: Donation | Gift, context: Context, missing: str = "") -> Valuation:
    """Tokens sent (or money spent on them): the kit's rule of units bought in packs, with the figures in
    force on the event's date. No amount (``missing``: the reason), or a figure no source gives, is
    unknown, with the reason."""
    on = event_date(event, context.as_of)
    pack, earns = SETTINGS(f"{KEY}.token_pack", context, on), SETTINGS(f"{KEY}.token_usd", context, on)
    return TOKENS.value(event, event.amount, context, pack=pack, earns=earns, missing=missing)


def value_donation(donation: Donation, context: Context) -> Valuation:
    if donation.feature != UNIT:
        return feature_unknown(KEY, NAME, donation, context, [UNIT])
    return _tokens(donation, context, f"{NAME} {UNIT} with no amount")


def value_gift(gift: Gift, context: Context) -> Valuation:
    missing = f"{NAME} gift {gift.gift!r} carries no amount and no source gives a gift catalogue"
    return _tokens(gift, context, missing)


def handle_like(like: Like, context: Context) -> LikeOutcome:
    return likes_earn_nothing(KEY, like, context, LIKES, NO_SOURCE)


def value_sale(sale: Sale, context: Context) -> Valuation:
    return sale_fee_unknown(KEY, NAME, sale, context)
