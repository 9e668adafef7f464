"""Valuing Instagram Live events: Badges (paid hearts: the app store and Meta take their rates of what the
viewer paid), Gifts in Stars (the kit's units bought in packs); free hearts earn nothing; no source gives
the fee on a sale. Amounts stay exact; a receipt or a report rounds each figure once."""

from __future__ import annotations

from decimal import Decimal

from livemoney.kit import (
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Resolved,
    Sale,
    SettingError,
    Valuation,
    event_date,
    feature_unknown,
    is_currency,
    likes_earn_nothing,
    sale_fee_unknown,
    unknown_valuation,
    valuation,
)

from livemoney_instagram.rules import (
    AFTER_2024_REASON,
    FEATURES,
    FREE_HEARTS,
    GIFTS_ON_LIVE,
    HELP_PAGE,
    KEY,
    LIKES,
    SETTINGS,
    STARS,
)


def donation_features(context: Context) -> list[DonationFeature]:
    on = context.as_of
    store = SETTINGS("instagram.app_store_rate", context, on)
    meta = SETTINGS("instagram.meta_share", context, on)
    pack, earns = SETTINGS("instagram.star_pack", context, on), SETTINGS("instagram.star_usd", context, on)
    return [
        DonationFeature(
            key="badge",
            name="Badges",
            kind="paid hearts",
            availability="limited",
            creator_share=None if meta.unknown else 1 - _together(store, meta),
            price_points=SETTINGS("instagram.badge_prices", context, on).value,
            unit="USD",
            source=HELP_PAGE,
        ),
        DonationFeature(
            key="stars",
            name="Gifts (Stars)",
            kind="virtual currency",
            availability="limited",
            creator_share=STARS.creator_share(pack, earns),
            unit="stars",
            source=GIFTS_ON_LIVE,
        ),
    ]


def _together(store: Resolved, meta: Resolved) -> Decimal:
    """What the app store and Meta take of a Badge together: no more than all of it, else the settings are the
    user's error (`SettingError`, naming both), never a negative share for the creator."""
    taken: Decimal = store.value + meta.value
    if taken > 1:
        raise SettingError(
            f"{store.key} {store.value} and {meta.key} {meta.value} take {taken} of a Badge together: "
            "more than all of what the viewer paid (at most 1)"
        )
    return taken


def _badge(donation: Donation, context: Context) -> Valuation:
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
        rules = "" if on is None else f" (rules of {on.isoformat()})"
        return unknown_valuation(
            platform=KEY,
            kind="donation",
            event=donation,
            context=context,
            reason=f"{AFTER_2024_REASON}{rules}",
            units={"badges": Decimal(donation.count)},
            explain=[bought, f"Meta: {meta.cite()}"],
        )
    _together(store, meta)
    return valuation(
        platform=KEY,
        kind="donation",
        event=donation,
        context=context,
        gross=paid,
        shares=[
            ("App store", paid * store.value, store.share_source),
            ("Meta", paid * meta.value, meta.share_source),
        ],
        units={"badges": Decimal(donation.count)},
        explain=[
            bought,
            f"App store: {store.cite()} of what the viewer paid (Badges are bought in the app)",
            f"Meta: {meta.cite()} of what the viewer paid",
            "the creator keeps the rest",
        ],
    )


def _stars(event: Donation | Gift, context: Context, missing: str = "") -> Valuation:
    """Stars sent (or money spent on them): the in-app pack price paid, the app store's rate of it, and
    ``instagram.star_usd`` a Star earned; no amount is unknown (``missing``: the reason, default the kit's
    ``Stars with no amount``)."""
    on = event_date(event, context.as_of)
    return STARS.value(
        event,
        event.amount,
        context,
        pack=SETTINGS("instagram.star_pack", context, on),
        earns=SETTINGS("instagram.star_usd", context, on),
        store=SETTINGS("instagram.app_store_rate", context, on),
        missing=missing,
    )


def value_donation(donation: Donation, context: Context) -> Valuation:
    if donation.feature == "badge":
        return _badge(donation, context)
    if donation.feature != "stars":
        return feature_unknown(KEY, "Instagram", donation, context, FEATURES)
    return _stars(donation, context)


def value_gift(gift: Gift, context: Context) -> Valuation:
    missing = f"Instagram gift {gift.gift!r} carries no Star amount and no source lists Instagram gift prices"
    return _stars(gift, context, missing)


def value_sale(sale: Sale, context: Context) -> Valuation:
    return sale_fee_unknown(KEY, "Instagram", sale, context)


def handle_like(like: Like, context: Context) -> LikeOutcome:
    return likes_earn_nothing(KEY, like, context, LIKES, FREE_HEARTS)
