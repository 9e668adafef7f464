"""livemoney plugin for Facebook Live: Stars (0.01 USD each to the creator); likes earn nothing.

Its readers (chat-downloader Stars, live reaction totals, Graph API comments) are in `readers`.
"""

from __future__ import annotations

from decimal import Decimal

from livemoney import (
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Money,
    Platform,
    Reader,
    Sale,
    Setting,
    Source,
    Valuation,
    hookimpl,
    unknown_valuation,
    valuation,
)
from livemoney.kit import SettingTable, event_date, rate_date

from livemoney_facebook.readers import READERS

KEY = "facebook"
STARS_PAGE = Source("Meta for Creators: Stars", "https://creators.facebook.com/tools/stars", "n.d. (2023–)")
STAR_PRICE = Source(
    "thexploretech / crowdfundly / marketingscoop: 100 Stars = $1.40 (third-party)",
    "https://crowdfundly.com/blog/how-much-does-facebook-stars-cost",
    "2024-04",
)
NO_PAY_PER_LIKE = Source("no source found of Facebook paying per like or reaction (platform-rules.md part 5)")

SETTINGS = SettingTable(
    Setting("facebook.star_usd", Decimal("0.01"), "USD/star", "what the creator earns per Star received", STARS_PAGE),
    Setting(
        "facebook.star_pack",
        (Decimal(100), Decimal("1.40")),
        "stars/USD",
        "what a viewer pays for Stars: STARS/PRICE_USD",
        STAR_PRICE,
    ),
)


@hookimpl
def livemoney_platform() -> Platform:
    return Platform(
        key=KEY,
        name="Facebook Live",
        units=("stars",),
        likes_pay=False,
        gifts_donations="Yes (Stars)",
        sources=(STARS_PAGE,),
        rank=4,
    )


@hookimpl
def livemoney_settings() -> list:
    return SETTINGS.declared()


@hookimpl
def livemoney_donation_features(platform: str, context: Context) -> list[DonationFeature] | None:
    if platform != KEY:
        return None
    star_usd = SETTINGS("facebook.star_usd", context, context.as_of).value
    stars, price = SETTINGS("facebook.star_pack", context, context.as_of).value
    return [
        DonationFeature(
            key="stars",
            name="Stars",
            kind="virtual currency",
            availability="yes",
            creator_share=star_usd * stars / price,
            unit="stars",
            source=STARS_PAGE,
        )
    ]


def _value_stars(event: Donation | Gift, amount: Money, context: Context) -> Valuation:
    """Stars sent: the viewer paid the pack price, the creator earns ``facebook.star_usd`` each."""
    on = event_date(event, context.as_of)
    star_usd = SETTINGS("facebook.star_usd", context, on)
    pack = SETTINGS("facebook.star_pack", context, on)
    pack_stars, pack_price = pack.value
    count = getattr(event, "count", 1)
    if amount.currency == "stars":
        stars = amount.amount * count
        paid = Money(stars * pack_price / pack_stars, "USD")
    else:
        paid = amount * count
        usd = context.rates().convert(paid, "USD", rate_date(event, context))[0]
        stars = usd.amount * pack_stars / pack_price
    return valuation(
        platform=KEY,
        kind=event.kind,
        event=event,
        context=context,
        gross=paid,
        net=Money(stars * star_usd.value, "USD"),
        residual="Meta",
        units={"stars": stars},
        explain=[
            f"{stars.normalize():f} Stars; viewer paid {paid.amount:f} {paid.currency}: {pack.cite()}",
            f"creator earns {star_usd.cite()} per Star",
            "Meta keeps the rest (including any app-store fee on in-app Star purchases)",
        ],
    )


@hookimpl
def livemoney_value_donation(platform: str, donation: Donation, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    if donation.feature != "stars":
        return unknown_valuation(
            platform=KEY,
            kind="donation",
            event=donation,
            context=context,
            reason=f"Facebook has no donation feature {donation.feature!r} with a sourced rule (known: stars)",
        )
    if donation.amount is None:
        return unknown_valuation(
            platform=KEY, kind="donation", event=donation, context=context, reason="Stars with no amount"
        )
    return _value_stars(donation, donation.amount, context)


@hookimpl
def livemoney_value_gift(platform: str, gift: Gift, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    if gift.amount is None:
        return unknown_valuation(
            platform=KEY,
            kind="gift",
            event=gift,
            context=context,
            reason=f"Facebook gift {gift.gift!r} carries no Star amount; Facebook gifts are valued by their Stars",
        )
    return _value_stars(gift, gift.amount, context)


@hookimpl
def livemoney_value_sale(platform: str, sale: Sale, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    return unknown_valuation(
        platform=KEY,
        kind="sale",
        event=sale,
        context=context,
        reason="no source gives Facebook's fee on a product sold during a live stream",
    )


@hookimpl
def livemoney_handle_like(platform: str, like: Like, context: Context) -> LikeOutcome | None:
    if platform != KEY:
        return None
    return LikeOutcome(
        platform=KEY,
        likes=like.count,
        net=Money.zero(context.currency),
        note="likes and reactions earn nothing on Facebook Live; they raise reach and visibility",
        source=NO_PAY_PER_LIKE,
    )


@hookimpl
def livemoney_readers() -> list[Reader]:
    return list(READERS)
