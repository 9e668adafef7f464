"""Valuing YouTube Live events: Supers, memberships, Jewel gifts, YouTube Giving donations.

Amounts stay exact: `livemoney.core.valuation` converts them to the report currency to
`livemoney.core.money.EXACT_PLACES` places and the creator keeps the rest; a report or a receipt
(`Valuation.shown`) rounds each figure it shows once. Where a figure is unknown the valuation says why.
"""

from __future__ import annotations

from decimal import Decimal

from livemoney import Context, Donation, Event, Gift, Money, Source, Valuation, unknown_valuation, valuation
from livemoney.kit import FxError, Resolved, event_date, exact_text, is_currency

from livemoney_youtube.rules import GIVING, SETTINGS

KEY = "youtube"
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


def _source(resolved: Resolved) -> Source:
    """The source of a figure: the setting's, or the user when the user set it."""
    if resolved.overridden:
        return Source(f"your setting {resolved.key} = {resolved.value}")
    return resolved.source


def _show(money: Money) -> str:
    """An amount for a receipt line, exact (to 10 places): the receipt's last line gives it as shown."""
    return f"{exact_text(money.exact())} {money.currency}"


def _equals(money: Money) -> str:
    return f"= {_show(money)}"


def _unknown(event: Event, context: Context, reason: str, units: dict[str, Decimal] | None = None) -> Valuation:
    return unknown_valuation(platform=KEY, kind=event.kind, event=event, context=context, reason=reason, units=units)


def _priced(event: Event, context: Context, **parts: object) -> Valuation:
    """`valuation` for this event; a currency with no ECB rate makes it unknown instead of failing."""
    try:
        return valuation(platform=KEY, kind=event.kind, event=event, context=context, **parts)
    except FxError as error:
        return _unknown(event, context, str(error))


def _money_amount(event: Donation, name: str) -> Money:
    if event.amount is None:
        raise _Unvalued(f"{name} with no amount")
    if not is_currency(event.amount.currency):
        raise _Unvalued(f"{name} amount {event.amount} is not in a currency (ISO-4217 code)")
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
        shares.append(("Sales tax", tax, _source(tax_rate)))
        explain.append(f"sales tax: {gross} × {tax_rate.cite()} {_equals(tax)}")
    else:
        explain.append(f"sales tax: none deducted, {tax_rate.cite()}")
    if ios.value and store.value:
        shares.append(("App store (iOS)", app_store, _source(store)))
        explain.append(
            f"App Store (iOS): {_show(after_tax)} after tax × {ios.cite()} × {store.cite()} {_equals(app_store)}"
        )
    else:
        explain.append(f"App Store (iOS): none deducted, {ios.cite()}; {store.cite()}")
    shares.append(("YouTube", youtube, _source(share)))
    explain.append(f"YouTube keeps 1 − {share.cite()} of {_show(base)} {_equals(youtube)}")
    explain.append(f"creator keeps {share.value} × {_show(base)} {_equals(base - youtube)}")
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
    explain.append(f"YouTube keeps 1 − {share.cite()} {_equals(youtube)}")
    explain.append(f"creator keeps {share.value} × {gross} {_equals(gross - youtube)}")
    return _priced(donation, context, gross=gross, shares=[("YouTube", youtube, _source(share))], explain=explain)


def _membership_price(donation: Donation, context: Context) -> tuple[Money, list[str]]:
    price = _setting("youtube.membership_price", context, donation)
    if price.unknown:
        raise _Unvalued(
            f"{donation.count} membership(s) with no price: membership events carry none; "
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
        f"{what}: the creator earns {rubies} rubies × {ruby_usd.cite()} {_equals(earned)}",
        f"gross is the creator's Ruby earnings only, a lower bound: {JEWEL_PRICE}",
    ]
    return _priced(event, context, gross=earned, units={**(units or {}), "rubies": rubies}, explain=explain)
