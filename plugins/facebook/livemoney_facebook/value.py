"""Valuing Facebook Live events: Stars (sent as a donation, or as a gift's amount); likes earn nothing; no
source gives the fee on a sale. Amounts stay exact; a receipt or a report rounds each figure once."""

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

from livemoney_facebook.rules import KEY, LIKES, NO_PAY_PER_LIKE, SETTINGS, STARS, STARS_PAGE


def donation_features(context: Context) -> list[DonationFeature]:
    pack, earns = SETTINGS("facebook.star_pack", context, context.as_of), SETTINGS("facebook.star_usd", context, context.as_of)
    return [
        DonationFeature(
            key="stars",
            name="Stars",
            kind="virtual currency",
            availability="yes",
            creator_share=STARS.creator_share(pack, earns),
            unit="stars",
            source=STARS_PAGE,
        )
    ]


def _stars(event: Donation | Gift, context: Context, missing: str = "") -> Valuation:
    """Stars sent (or money spent on them): the pack price paid, ``facebook.star_usd`` a Star earned; no
    amount is unknown (``missing``: the reason, default the kit's ``Stars with no amount``)."""
    on = event_date(event, context.as_of)
    pack, earns = SETTINGS("facebook.star_pack", context, on), SETTINGS("facebook.star_usd", context, on)
    return STARS.value(event, event.amount, context, pack=pack, earns=earns, missing=missing)


def value_donation(donation: Donation, context: Context) -> Valuation:
    if donation.feature != "stars":
        return feature_unknown(KEY, "Facebook", donation, context, ["stars"])
    return _stars(donation, context)


def value_gift(gift: Gift, context: Context) -> Valuation:
    missing = f"Facebook gift {gift.gift!r} carries no Star amount; Facebook gifts are valued by their Stars"
    return _stars(gift, context, missing)


def value_sale(sale: Sale, context: Context) -> Valuation:
    return sale_fee_unknown(KEY, "Facebook", sale, context)


def handle_like(like: Like, context: Context) -> LikeOutcome:
    return likes_earn_nothing(KEY, like, context, LIKES, NO_PAY_PER_LIKE)
