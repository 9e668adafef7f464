"""livemoney plugin for YouTube Live: Super Chats and Super Stickers (70% after sales tax and iOS fees),
channel memberships (70%), Jewel gifts (Rubies, 0.01 USD each), YouTube Giving (all to the charity).
Likes earn nothing."""

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

from livemoney_youtube import chat_downloader, data_api, innertube, pytchat_items
from livemoney_youtube.rules import JEWELS, LIKES, MEMBERSHIP, RUBIES, SETTINGS, SUPERS_PAGE
from livemoney_youtube.value import (
    KEY,
    NAMES,
    value_giving,
    value_membership,
    value_supers,
    value_units,
)


@hookimpl
def livemoney_platform() -> Platform:
    return Platform(
        key=KEY,
        name="YouTube Live",
        units=("jewels", "rubies"),
        likes_pay=False,
        gifts_donations="Yes (Super Chats)",
        sources=(SUPERS_PAGE, MEMBERSHIP, RUBIES),
        rank=2,
    )


@hookimpl
def livemoney_settings() -> list[Setting]:
    return SETTINGS.declared()


@hookimpl
def livemoney_donation_features(platform: str, context: Context) -> list[DonationFeature] | None:
    if platform != KEY:
        return None

    def value(key: str) -> object:
        return SETTINGS(key, context, context.as_of).value

    supers_share = (
        (Decimal(1) - value("youtube.sales_tax_rate"))
        * (Decimal(1) - value("youtube.ios_fraction") * value("youtube.app_store_rate"))
        * value("youtube.supers_share")
    )
    return [
        DonationFeature(
            key="super_chat",
            name="Super Chat",
            kind="paid chat message",
            availability="yes",
            creator_share=supers_share,
            price_range=value("youtube.super_chat_range"),
            unit="USD",
            source=SUPERS_PAGE,
        ),
        DonationFeature(
            key="super_sticker",
            name="Super Sticker",
            kind="paid sticker",
            availability="yes",
            creator_share=supers_share,
            price_range=value("youtube.super_sticker_range"),
            unit="USD",
            source=SUPERS_PAGE,
        ),
        DonationFeature(
            key="membership",
            name="Channel membership",
            kind="monthly membership",
            availability="yes",
            creator_share=value("youtube.membership_share"),
            unit="USD",
            source=MEMBERSHIP,
        ),
        DonationFeature(
            key="jewels",
            name="Jewels (gifts on vertical live streams, US)",
            kind="virtual gift",
            availability="limited",
            creator_share=None,
            unit="jewels",
            source=JEWELS,
        ),
    ]


@hookimpl
def livemoney_value_donation(platform: str, donation: Donation, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    feature = donation.feature
    if feature in ("super_chat", "super_sticker"):
        return value_supers(donation, context)
    if feature == "membership":
        return value_membership(donation, context)
    if feature == "giving":
        return value_giving(donation, context)
    if feature == "jewels":
        return value_units(donation, NAMES["jewels"], context)
    return unknown_valuation(
        platform=KEY,
        kind="donation",
        event=donation,
        context=context,
        reason=f"YouTube has no donation feature {feature!r} with a sourced rule (known: {', '.join(NAMES)})",
    )


@hookimpl
def livemoney_value_gift(platform: str, gift: Gift, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    return value_units(gift, f"gift {gift.gift!r}", context)


@hookimpl
def livemoney_value_sale(platform: str, sale: Sale, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    return unknown_valuation(
        platform=KEY,
        kind="sale",
        event=sale,
        context=context,
        reason="no source gives YouTube's fee on a product sold during a live stream",
    )


@hookimpl
def livemoney_handle_like(platform: str, like: Like, context: Context) -> LikeOutcome | None:
    if platform != KEY:
        return None
    return LikeOutcome(
        platform=KEY,
        likes=like.count,
        net=Money.zero(context.currency),
        note="likes earn nothing on YouTube Live; they are a ranking and recommendation signal",
        source=LIKES,
    )


@hookimpl
def livemoney_readers() -> list[Reader]:
    return [data_api.READER, chat_downloader.READER, pytchat_items.READER, innertube.READER]
