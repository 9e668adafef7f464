"""Valuing YouTube Live events: Supers, memberships, Jewel gifts, YouTube Giving donations; likes earn
nothing; no source gives the fee on a sale.

Amounts stay exact: `livemoney.valuation` converts them to the report currency to 10 decimal places and
the creator keeps the rest; a report or a receipt (`Valuation.shown`) rounds each figure it shows once.
Where a figure is unknown the valuation says why.
"""

from __future__ import annotations

from decimal import Decimal

from livemoney.kit import (
    Context,
    Donation,
    DonationFeature,
    Event,
    Gift,
    Like,
    LikeOutcome,
    Money,
    Resolved,
    Sale,
    Valuation,
    equals_exact,
    event_date,
    exact_amount,
    feature_unknown,
    is_currency,
    likes_earn_nothing,
    sale_fee_unknown,
    unknown_valuation,
    valued_or_unknown,
)

from livemoney_youtube.rules import GIVING, JEWELS, KEY, LIKES, LIKES_NOTE, MEMBERSHIP, SETTINGS, SUPERS_PAGE

NAMES = {
    "super_chat": "Super Chat",
    "super_sticker": "Super Sticker",
    "membership": "channel membership",
    "jewels": "Jewels",
    "giving": "YouTube Giving donation",
}
FRACTIONS = (
    "youtube.supers_share",
    "youtube.sales_tax_rate",
    "youtube.ios_fraction",
    "youtube.app_store_rate",
    "youtube.membership_share",
)
CHARITY = "Charity (YouTube Giving)"
JEWEL_PRICE = "what the viewer paid for the Jewels is unknown (no fixed revenue share, Jewel prices vary)"


class _Unvalued(Exception):
    """A figure is unknown or unusable; the message is the reason."""


def _setting(key: str, context: Context, event: Event) -> Resolved:
    resolved = SETTINGS(key, context, event_date(event, context.as_of))
    if key in FRACTIONS and not Decimal(0) <= resolved.value <= Decimal(1):
        raise _Unvalued(f"{key} = {resolved.value} is not a fraction between 0 and 1")
    return resolved


def _unknown(event: Event, context: Context, reason: str, units: dict[str, Decimal] | None = None) -> Valuation:
    return unknown_valuation(platform=KEY, kind=event.kind, event=event, context=context, reason=reason, units=units)


def _priced(event: Event, context: Context, **parts: object) -> Valuation:
    return valued_or_unknown(platform=KEY, kind=event.kind, event=event, context=context, **parts)


# --- the hooks' answers -------------------------------------------------------------------------


def donation_features(context: Context) -> list[DonationFeature]:
    def value(key: str) -> Decimal:
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
            price_range=SETTINGS("youtube.super_chat_range", context, context.as_of).value,
            unit="USD",
            source=SUPERS_PAGE,
        ),
        DonationFeature(
            key="super_sticker",
            name="Super Sticker",
            kind="paid sticker",
            availability="yes",
            creator_share=supers_share,
            price_range=SETTINGS("youtube.super_sticker_range", context, context.as_of).value,
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


def value_donation(donation: Donation, context: Context) -> Valuation:
    feature = donation.feature
    if feature in ("super_chat", "super_sticker"):
        return value_supers(donation, context)
    if feature == "membership":
        return value_membership(donation, context)
    if feature == "giving":
        return value_giving(donation, context)
    if feature == "jewels":
        return value_units(donation, NAMES["jewels"], context)
    return feature_unknown(KEY, "YouTube", donation, context, NAMES)


def value_gift(gift: Gift, context: Context) -> Valuation:
    return value_units(gift, f"gift {gift.gift!r}", context)


def value_sale(sale: Sale, context: Context) -> Valuation:
    return sale_fee_unknown(KEY, "YouTube", sale, context)


def handle_like(like: Like, context: Context) -> LikeOutcome:
    return likes_earn_nothing(KEY, like, context, LIKES_NOTE, LIKES)


# --- Supers, memberships, Giving, Jewels --------------------------------------------------------


def _money_amount(event: Donation, name: str) -> Money:
    if event.amount is None:
        raise _Unvalued(f"{name} with no amount")
    if not is_currency(event.amount.currency):
        code = event.amount.currency.upper()
        hint = f"; {code} is one: codes are upper-case, lower-case words are platform units" if is_currency(code) else ""
        raise _Unvalued(f"{name} amount {event.amount} is not in a currency (ISO-4217 code{hint})")
    return event.amount * event.count


def _paid(name: str, event: Donation, gross: Money) -> str:
    times = f" ({event.count} × {event.amount})" if event.count > 1 else ""
    return f"{name}: the viewer paid {gross}{times}"


def value_supers(donation: Donation, context: Context) -> Valuation:
    """A Super Chat or Super Sticker: sales tax, then the iOS App Store fee, then YouTube's 30%.

    YouTube Help 7288782: "The 70% is calculated after local sales tax and App Store fees on iOS are
    deducted", so each cut is taken from what the previous one left.
    """
    name = NAMES[donation.feature]
    try:
        gross = _money_amount(donation, name)
        share = _setting("youtube.supers_share", context, donation)
        tax_rate = _setting("youtube.sales_tax_rate", context, donation)
        ios = _setting("youtube.ios_fraction", context, donation)
        store = _setting("youtube.app_store_rate", context, donation)
    except _Unvalued as problem:
        return _unknown(donation, context, str(problem))
    tax = gross * tax_rate.value
    after_tax = gross - tax
    app_store = after_tax * ios.value * store.value
    base = after_tax - app_store
    youtube = base * (Decimal(1) - share.value)
    shares = []
    explain = [_paid(name, donation, gross)]
    if tax_rate.value:
        shares.append(("Sales tax", tax, tax_rate.cited_source))
        explain.append(f"sales tax: {gross} × {tax_rate.cite()} {equals_exact(tax)}")
    else:
        explain.append(f"sales tax: none deducted, {tax_rate.cite()}")
    if ios.value and store.value:
        shares.append(("App store (iOS)", app_store, store.cited_source))
        explain.append(
            f"App Store (iOS): {exact_amount(after_tax)} after tax × {ios.cite()} × {store.cite()} {equals_exact(app_store)}"
        )
    else:
        explain.append(f"App Store (iOS): none deducted, {ios.cite()}; {store.cite()}")
    shares.append(("YouTube", youtube, share.cited_source))
    explain.append(f"YouTube keeps 1 − {share.cite()} of {exact_amount(base)} {equals_exact(youtube)}")
    explain.append(f"creator keeps {share.value} × {exact_amount(base)} {equals_exact(base - youtube)}")
    return _priced(donation, context, gross=gross, shares=shares, explain=explain)


def value_membership(donation: Donation, context: Context) -> Valuation:
    """Memberships: the event's price, else ``youtube.membership_price`` when set, else unknown."""
    name = NAMES["membership"]
    try:
        share = _setting("youtube.membership_share", context, donation)
        if donation.amount is not None:
            gross = _money_amount(donation, name)
            explain = [_paid(name, donation, gross)]
        else:
            gross, explain = _membership_price(donation, context)
    except _Unvalued as problem:
        return _unknown(donation, context, str(problem))
    youtube = gross * (Decimal(1) - share.value)
    explain.append(f"YouTube keeps 1 − {share.cite()} {equals_exact(youtube)}")
    explain.append(f"creator keeps {share.value} × {gross} {equals_exact(gross - youtube)}")
    return _priced(donation, context, gross=gross, shares=[("YouTube", youtube, share.cited_source)], explain=explain)


def _membership_price(donation: Donation, context: Context) -> tuple[Money, list[str]]:
    price = _setting("youtube.membership_price", context, donation)
    if price.unknown:
        raise _Unvalued(
            "memberships with no price: membership events carry none; "
            "set youtube.membership_price (and youtube.membership_currency)"
        )
    currency = _setting("youtube.membership_currency", context, donation)
    if not is_currency(currency.value):
        raise _Unvalued(f"youtube.membership_currency = {currency.value!r} is not an ISO-4217 currency code")
    one = Money(price.value, currency.value)
    gross = one * donation.count
    return gross, [
        f"{donation.count} {NAMES['membership']}(s) × {price.value} {currency.value} = {gross}",
        f"price: {price.cite()}; {currency.cite()}",
    ]


def value_giving(donation: Donation, context: Context) -> Valuation:
    """A YouTube Giving donation: all of it goes to the charity; the creator keeps nothing."""
    name = NAMES["giving"]
    if donation.amount is None:
        return _unknown(
            donation,
            context,
            f"{name} with no amount (chat-downloader and pytchat drop it); it goes to the charity, "
            "so the creator's net is 0",
        )
    try:
        gross = _money_amount(donation, name)
    except _Unvalued as problem:
        return _unknown(donation, context, str(problem))
    explain = [
        _paid(name, donation, gross),
        f"{CHARITY} receives all of it: {GIVING.cite()}",
        "creator keeps 0: the money is the charity's, not the creator's",
    ]
    return _priced(donation, context, gross=gross, shares=[(CHARITY, gross, GIVING)], explain=explain)


def value_units(event: Donation | Gift, what: str, context: Context) -> Valuation:
    """A Jewel gift or Jewels donation whose amount is in ``rubies`` or ``jewels`` (per one, × count)."""
    if event.amount is None:
        return _unknown(event, context, f"{what} carries no Jewel or Ruby amount")
    count = Decimal(event.count)
    if event.amount.currency == "rubies":
        return _value_rubies(event, event.amount.amount * count, what, context, [])
    if event.amount.currency == "jewels":
        jewels = event.amount.amount * count
        per = _setting("youtube.rubies_per_jewel", context, event)
        if per.unknown:
            return _unknown(
                event,
                context,
                f"{what}: {jewels} jewels, and what a Jewel makes for the creator is unknown ('no fixed revenue "
                f"share', {per.source.cite()}); give the amount in rubies or set youtube.rubies_per_jewel",
                units={"jewels": jewels},
            )
        rubies = jewels * per.value
        line = f"{jewels} jewels × {per.cite()} = {rubies} rubies"
        return _value_rubies(event, rubies, what, context, [line], units={"jewels": jewels})
    return _unknown(
        event,
        context,
        f"{what} of {event.amount}: the creator's part of a viewer's Jewel spend is unknown ('no fixed revenue "
        "share'); only a Ruby amount gives the creator's earnings",
    )


def _value_rubies(
    event: Event,
    rubies: Decimal,
    what: str,
    context: Context,
    explain: list[str],
    units: dict[str, Decimal] | None = None,
) -> Valuation:
    """Rubies earned: the creator's money is known, so the valuation is too (it counts in the totals);
    what the viewer paid for the Jewels is not, so gross shows the Ruby earnings only, a lower bound."""
    ruby_usd = _setting("youtube.ruby_usd", context, event)
    earned = Money(rubies * ruby_usd.value, "USD")
    explain = [
        *explain,
        f"{what}: the creator earns {rubies} rubies × {ruby_usd.cite()} {equals_exact(earned)}",
        f"gross is the creator's Ruby earnings only, a lower bound: {JEWEL_PRICE}",
    ]
    return _priced(event, context, gross=earned, units={**(units or {}), "rubies": rubies}, explain=explain)
