"""livemoney plugin for Instagram Live: Badges (paid hearts) and Gifts (Stars); free hearts earn nothing.

The figures and their sources are in `rules`; the readers (the badge file, Graph API comments) in `readers`.
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
    Source,
    Valuation,
    hookimpl,
    unknown_valuation,
    valuation,
)
from livemoney.kit import Resolved, event_date, is_currency, rate_date

from livemoney_instagram.readers import READERS
from livemoney_instagram.rules import (
    AFTER_2024_REASON,
    BADGE_PRICES,
    FREE_HEARTS,
    GIFTS_ON_LIVE,
    HELP_PAGE,
    SETTINGS,
)

KEY = "instagram"
FEATURES = ("badge", "stars")


@hookimpl
def livemoney_platform() -> Platform:
    return Platform(
        key=KEY,
        name="Instagram Live",
        units=("stars",),
        likes_pay=False,
        gifts_donations="Limited (Badges)",
        sources=(HELP_PAGE, BADGE_PRICES),
        rank=3,
    )


@hookimpl
def livemoney_settings() -> list:
    return SETTINGS.declared()


@hookimpl
def livemoney_donation_features(platform: str, context: Context) -> list[DonationFeature] | None:
    if platform != KEY:
        return None
    on = context.as_of
    store = SETTINGS("instagram.app_store_rate", context, on).value
    meta = SETTINGS("instagram.meta_share", context, on)
    star_usd = SETTINGS("instagram.star_usd", context, on).value
    stars, price = SETTINGS("instagram.star_pack", context, on).value
    return [
        DonationFeature(
            key="badge",
            name="Badges",
            kind="paid hearts",
            availability="limited",
            creator_share=None if meta.unknown else 1 - store - meta.value,
            price_points=SETTINGS("instagram.badge_prices", context, on).value,
            unit="USD",
            source=HELP_PAGE,
        ),
        DonationFeature(
            key="stars",
            name="Gifts (Stars)",
            kind="virtual currency",
            availability="limited",
            creator_share=star_usd * stars / price,
            unit="stars",
            source=GIFTS_ON_LIVE,
        ),
    ]


def _source(resolved: Resolved) -> Source | None:
    """The source of a figure for a `Share`; none when the figure is the user's own setting."""
    return None if resolved.overridden else resolved.source


def _value_badge(donation: Donation, context: Context) -> Valuation:
    """A Badge: the viewer paid its price; the app store and Meta take their rates of it, the creator the rest."""
    amount = donation.amount
    if amount is None or not is_currency(amount.currency):
        given = "no amount" if amount is None else f"an amount in {amount.currency}"
        return unknown_valuation(
            platform=KEY,
            kind="donation",
            event=donation,
            context=context,
            reason=f"a Badge with {given}: give what the viewer paid in money (e.g. 0.99, 1.99 or 4.99 USD)",
        )
    on = event_date(donation, context.as_of)
    paid = amount * donation.count
    store = SETTINGS("instagram.app_store_rate", context, on)
    meta = SETTINGS("instagram.meta_share", context, on)
    bought = f"Badge: viewer paid {paid.amount:f} {paid.currency}" + (
        f" ({donation.count} × {amount.amount:f})" if donation.count > 1 else ""
    )
    if meta.unknown:
        return unknown_valuation(
            platform=KEY,
            kind="donation",
            event=donation,
            context=context,
            reason=f"{AFTER_2024_REASON} (rules of {on.isoformat()})",
            units={"badges": Decimal(donation.count)},
            explain=[bought, f"Meta: {meta.cite()}"],
        )
    return valuation(
        platform=KEY,
        kind="donation",
        event=donation,
        context=context,
        gross=paid,
        shares=[
            ("App store", paid * store.value, _source(store)),
            ("Meta", paid * meta.value, _source(meta)),
        ],
        units={"badges": Decimal(donation.count)},
        explain=[
            bought,
            f"App store: {store.cite()} of what the viewer paid (Badges are bought in the app)",
            f"Meta: {meta.cite()} of what the viewer paid",
            "the creator keeps the rest",
        ],
    )


def _value_stars(event: Donation | Gift, amount: Money, context: Context) -> Valuation:
    """Stars: the viewer paid the in-app pack price, the app store takes its rate, the creator earns
    ``instagram.star_usd`` per Star, Meta keeps the rest. ``amount`` is Stars, or money the viewer spent."""
    on = event_date(event, context.as_of)
    star_usd = SETTINGS("instagram.star_usd", context, on)
    pack = SETTINGS("instagram.star_pack", context, on)
    store = SETTINGS("instagram.app_store_rate", context, on)
    pack_stars, pack_price = pack.value
    if amount.currency == "stars":
        stars = amount.amount * event.count
        paid = Money(stars * pack_price / pack_stars, "USD")
    elif is_currency(amount.currency):
        paid = amount * event.count
        usd = context.rates().convert(paid, "USD", rate_date(event, context))[0]
        stars = usd.amount * pack_stars / pack_price
    else:
        return unknown_valuation(
            platform=KEY,
            kind=event.kind,
            event=event,
            context=context,
            reason=f"Instagram Gifts are counted in stars or paid in money, not in {amount.currency}",
        )
    return valuation(
        platform=KEY,
        kind=event.kind,
        event=event,
        context=context,
        gross=paid,
        shares=[("App store", paid * store.value, _source(store))],
        net=Money(stars * star_usd.value, "USD"),
        residual="Meta",
        units={"stars": stars},
        explain=[
            f"{stars.normalize():f} Stars; viewer paid {paid.amount:f} {paid.currency}: {pack.cite()}",
            f"App store: {store.cite()} of what the viewer paid (Stars are sold in the app only)",
            f"creator earns {star_usd.cite()} per Star",
            "Meta keeps the rest",
        ],
    )


@hookimpl
def livemoney_value_donation(platform: str, donation: Donation, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    if donation.feature == "badge":
        return _value_badge(donation, context)
    if donation.feature == "stars" and donation.amount is not None:
        return _value_stars(donation, donation.amount, context)
    reason = (
        "Stars with no amount"
        if donation.feature == "stars"
        else f"Instagram has no donation feature {donation.feature!r} with a sourced rule (known: {', '.join(FEATURES)})"
    )
    return unknown_valuation(platform=KEY, kind="donation", event=donation, context=context, reason=reason)


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
            reason=f"Instagram gift {gift.gift!r} carries no Star amount and no source lists Instagram gift prices",
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
        reason="no source gives Instagram's fee on a product sold during a live stream",
    )


@hookimpl
def livemoney_handle_like(platform: str, like: Like, context: Context) -> LikeOutcome | None:
    if platform != KEY:
        return None
    return LikeOutcome(
        platform=KEY,
        likes=like.count,
        net=Money.zero(context.currency),
        note="hearts on Instagram Live are free: engagement that can help Explore placement; only Badges "
        "(paid hearts) earn money",
        source=FREE_HEARTS,
    )


@hookimpl
def livemoney_readers() -> list[Reader]:
    return list(READERS)
