"""livemoney plugin for TikTok LIVE: gifts bought with coins (the creator earns diamonds, 0.005 USD each),
LIVE subscriptions, TikTok Shop sales. Likes earn nothing.

The figures are in `rules`, the gift catalogue in `catalogue`, the valuations in `value`; the readers of
TikTokLive and TikTok-Live-Connector logs in `readers` (records in `webcast`, streaks in `streaks`), and
an adapter for TikTokLive's own event objects in `live`.
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
    Valuation,
    hookimpl,
    unknown_valuation,
)

from livemoney_tiktok.readers import READERS
from livemoney_tiktok.rules import CHANNEL, DIAMOND_USD, LIKES, SETTINGS, SUBSCRIPTION_US_CA
from livemoney_tiktok.value import KEY, Unvalued, need, setting, value_coins, value_sale, value_subscription

FEATURES = ("gifts", "subscription")


@hookimpl
def livemoney_platform() -> Platform:
    return Platform(
        key=KEY,
        name="TikTok",
        units=("coins", "diamonds"),
        likes_pay=False,
        gifts_donations="Yes",
        sources=(DIAMOND_USD, CHANNEL, LIKES),
        rank=1,
    )


@hookimpl
def livemoney_settings() -> list[Setting]:
    return SETTINGS.declared()


def _gift_share(context: Context) -> Decimal | None:
    """What the creator earns per unit of money a viewer spends on gifts (``None`` where unknown)."""
    try:
        channel = need("tiktok.purchase_channel", context, None)
        coins, price = need(f"tiktok.coin_pack_{channel.value}", context, None).value
        rewards = setting("tiktok.rewards_rate", context, None)
        if not rewards.unknown:
            return rewards.value
        per_diamond = need("tiktok.diamond_usd", context, None).value
        return need("tiktok.diamonds_per_coin", context, None).value * per_diamond * coins / price
    except Unvalued:
        return None


def _subscription_share(context: Context) -> Decimal | None:
    """The creator's part of what a viewer pays for a subscription (``None`` where unknown)."""
    try:
        app = need("tiktok.purchase_channel", context, None).value == "app"
        store = need("tiktok.app_store_rate", context, None).value if app else Decimal(0)
        if need("tiktok.subscription_region", context, None).value == "us_ca":
            return need("tiktok.subscription_share", context, None).value * (Decimal(1) - store)
        return need("tiktok.subscription_share_elsewhere", context, None).value
    except Unvalued:
        return None


@hookimpl
def livemoney_donation_features(platform: str, context: Context) -> list[DonationFeature] | None:
    if platform != KEY:
        return None
    return [
        DonationFeature(
            key="gifts",
            name="Gifts (coins)",
            kind="gift",
            availability="yes",
            creator_share=_gift_share(context),
            unit="coins",
            source=DIAMOND_USD,
        ),
        DonationFeature(
            key="subscription",
            name="LIVE subscription",
            kind="subscription",
            availability="yes",
            creator_share=_subscription_share(context),
            unit="USD",
            source=SUBSCRIPTION_US_CA,
        ),
    ]


@hookimpl
def livemoney_value_gift(platform: str, gift: Gift, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    return value_coins(gift, gift.gift, context)


@hookimpl
def livemoney_value_donation(platform: str, donation: Donation, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    if donation.feature == "subscription":
        return value_subscription(donation, context)
    if donation.feature == "gifts":
        if donation.amount is None:
            return unknown_valuation(
                platform=KEY, kind="donation", event=donation, context=context, reason="gifts with no amount"
            )
        return value_coins(donation, "gifts", context)
    return unknown_valuation(
        platform=KEY,
        kind="donation",
        event=donation,
        context=context,
        reason=f"TikTok has no donation feature {donation.feature!r} (known: {', '.join(FEATURES)})",
    )


@hookimpl
def livemoney_value_sale(platform: str, sale: Sale, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    return value_sale(sale, context)


@hookimpl
def livemoney_handle_like(platform: str, like: Like, context: Context) -> LikeOutcome | None:
    if platform != KEY:
        return None
    return LikeOutcome(
        platform=KEY,
        likes=like.count,
        net=Money.zero(context.currency),
        note="likes earn nothing on TikTok LIVE; they raise engagement and the LIVE's ranking in the LIVE feed",
        source=LIKES,
    )


@hookimpl
def livemoney_readers() -> list[Reader]:
    return list(READERS)
