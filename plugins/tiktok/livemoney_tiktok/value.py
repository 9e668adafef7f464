"""Valuing TikTok LIVE events: gifts (coins and diamonds), LIVE subscriptions, TikTok Shop sales; likes
earn nothing.

A gift: the viewer paid for its coins at the pack price of the purchase channel; bought in the app, the
app store takes its fee of that; the creator earns coins x diamonds per coin x USD per diamond (or, when
``tiktok.rewards_rate`` is set, that part of what the viewer paid); TikTok keeps the rest, and the
rounding. Amounts stay exact until `livemoney.valuation` converts them to the report currency (to 10
places); a receipt or a report rounds each figure once. Where a figure is unknown the valuation says why instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
from livemoney.kit import (
    UNKNOWN,
    Context,
    Donation,
    DonationFeature,
    Event,
    FxError,
    Gift,
    Like,
    LikeOutcome,
    Money,
    Resolved,
    Sale,
    SettingError,
    Valuation,
    equals_exact,
    event_date,
    exact_amount,
    feature_unknown,
    is_currency,
    likes_earn_nothing,
    parse_value,
    rate_date,
    unknown_valuation,
    valued_or_unknown,
)

from livemoney_tiktok.rules import (
    DECLARED,
    DIAMOND_USD,
    FRACTIONS,
    KEY,
    LIKES,
    LIKES_NOTE,
    REWARDS_NOTE,
    SETTINGS,
    SUBSCRIPTION_US_CA,
    CatalogueError,
    Price,
    bundled,
    bundled_ids,
    user_catalogue,
)

TIKTOK = "TikTok"
APP_STORE = "App store"
SHOP = "TikTok Shop"
SELLER = "Seller"
NON_NEGATIVE = frozenset({"tiktok.diamonds_per_coin", "tiktok.diamond_usd", "tiktok.subscription_price"})
FEATURES = ("gifts", "subscription")


class Unvalued(Exception):
    """A figure is unknown or unusable; the message is the reason."""


# --- settings ---------------------------------------------------------------------------------


def rules_date(event: Event | None, context: Context) -> dt.date | None:
    """The date whose rules apply: ``context.as_of``, else the event's own UTC date."""
    return context.as_of if event is None else event_date(event, context.as_of)


def setting(key: str, context: Context, event: Event | None) -> Resolved:
    """The value of ``key`` for ``event``; ``UNKNOWN`` on a date before its first sourced rule.

    An override that is not a valid value raises `Unvalued` with the reason.
    """
    on = rules_date(event, context)
    resolved = SETTINGS(key, context, on)
    declared = DECLARED[key]
    if resolved.overridden:
        try:
            resolved = attrs.evolve(resolved, value=parse_value(declared, resolved.value))
        except SettingError as error:
            raise Unvalued(str(error)) from None
    elif declared.history and on is not None and on < declared.history[0].since:
        return attrs.evolve(resolved, value=UNKNOWN)
    _check(resolved)
    return resolved


def need(key: str, context: Context, event: Event | None) -> Resolved:
    """Like `setting`, but an unknown value raises `Unvalued` saying why."""
    resolved = setting(key, context, event)
    if not resolved.unknown:
        return resolved
    declared = DECLARED[key]
    on = rules_date(event, context)
    if declared.history and on is not None and on < declared.history[0].since:
        first = declared.history[0].since.isoformat()
        raise Unvalued(f"{key}: no source gives its value before {first} (rules of {on.isoformat()}); set it")
    raise Unvalued(f"{key} is unknown ({declared.description}); set it")


def _check(resolved: Resolved) -> None:
    key, value = resolved.key, resolved.value
    if value is UNKNOWN:
        return
    if key in FRACTIONS and not Decimal(0) <= value <= Decimal(1):
        raise Unvalued(f"{key} = {value} is not a fraction between 0 and 1")
    if key in NON_NEGATIVE and value < 0:
        raise Unvalued(f"{key} = {value} is negative")
    if key.startswith("tiktok.coin_pack_") and not all(part > 0 for part in value):
        raise Unvalued(f"{key} = {'/'.join(str(part) for part in value)}: coins and price must be positive")
    if key == "tiktok.subscription_currency" and not is_currency(value):
        raise Unvalued(f"{key} = {value!r} is not an ISO-4217 currency code")


# --- receipts ---------------------------------------------------------------------------------


def quantity(number: Decimal) -> str:
    """A count of coins or diamonds for a receipt line (a fraction shown to 4 places, marked '≈')."""
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):f}"
    shown = number.quantize(Decimal("0.0001"))
    return f"{shown.normalize():f}" if shown == number else f"≈ {shown.normalize():f}"


def coins_of(number: Decimal) -> str:
    """``1 coin``, ``5 coins``."""
    return f"{quantity(number)} coin" + ("" if number == 1 else "s")


def _unknown(event: Event, context: Context, reason: str, units: dict[str, Decimal] | None = None) -> Valuation:
    return unknown_valuation(platform=KEY, kind=event.kind, event=event, context=context, reason=reason, units=units)


def _priced(event: Event, context: Context, **parts: object) -> Valuation:
    return valued_or_unknown(platform=KEY, kind=event.kind, event=event, context=context, **parts)


def _usd(money: Money, event: Event, context: Context) -> Decimal:
    """``money`` in USD at the rate of the event's date (exact)."""
    try:
        return context.rates().convert(money, "USD", rate_date(event, context))[0].amount
    except FxError as error:
        raise Unvalued(str(error)) from None


# --- gifts ------------------------------------------------------------------------------------


def gift_price(event: Event | None, name: str, context: Context) -> Price:
    """The coin price of one gift: by its TikTok gift id first, by ``name`` second; the user's catalogue
    (setting ``tiktok.catalogue``) before the bundled ones (gift ids: TikTokLiveJava's list; names: the
    community catalogue)."""
    gift_id = event.gift_id if isinstance(event, Gift) else None
    path = setting("tiktok.catalogue", context, event).value
    catalogues = [bundled_ids(), bundled()]
    if path is not None:
        try:
            catalogues.insert(0, user_catalogue(Path(path)))
        except CatalogueError as error:
            raise Unvalued(str(error)) from None
    for catalogue in catalogues:
        found = (catalogue.find_id(gift_id) if gift_id else None) or catalogue.find(name)
        if found is not None:
            return found
    known = f" (gift id {gift_id})" if gift_id else ""
    raise Unvalued(
        f"gift {name!r}{known} is in no gift catalogue, by id or by name, and the event carries no price "
        "(webcast diamond_count); add it to a catalogue file and set tiktok.catalogue"
    )


@attrs.frozen(slots=True)
class _Coins:
    """What a gift event comes to: its coins, what the viewer paid (and in USD), the receipt so far."""

    coins: Decimal
    gross: Money
    gross_usd: Decimal
    lines: list[str]


def _coins(event: Gift | Donation, name: str, context: Context, pack: Resolved, per_diamond: Resolved) -> _Coins:
    pack_coins, pack_usd = pack.value
    coin_usd = pack_usd / pack_coins
    count, amount = event.count, event.amount
    if amount is not None and is_currency(amount.currency):
        spend = amount * count
        spend_usd = _usd(spend, event, context)
        coins = spend_usd / coin_usd
        lines = [
            f"{name}: the viewer spent {spend} on coins",
            f"that buys {quantity(coins)} coins at {pack_usd} USD per {quantity(pack_coins)} coins: {pack.cite()}",
        ]
        return _Coins(coins, spend, spend_usd, lines)
    if amount is None:
        price = gift_price(event, name, context)
        coins = price.coins * count
        found = f"gift id {price.gift_id} ({price.name or name})" if price.gift_id else price.name or name
        lines = [f"{count} × {found} at {coins_of(price.coins)} each = {quantity(coins)} coins [{price.source.cite()}]"]
        if price.note:
            lines.append(f"{found}: {price.note}")
    elif amount.currency == "coins":
        coins = amount.amount * count
        lines = [
            f"{count} × {name} at {coins_of(amount.amount)} each (the event's own price) = {quantity(coins)} coins"
        ]
    elif amount.currency == "diamonds":
        if not per_diamond.value:
            raise Unvalued(f"{name}: an amount in diamonds with {per_diamond.key} = 0 gives no coins")
        diamonds = amount.amount * count
        coins = diamonds / per_diamond.value
        lines = [
            f"{count} × {name} at {quantity(amount.amount)} diamonds each = {quantity(coins)} coins: {per_diamond.cite()}"
        ]
    else:
        raise Unvalued(f"{name}: its amount {amount} is in neither coins, diamonds nor a currency")
    gross = Money(coins * coin_usd, "USD")
    lines.append(
        f"the viewer paid {quantity(coins)} coins × {pack_usd} USD / {quantity(pack_coins)} coins {equals_exact(gross)}: "
        f"{pack.cite()}"
    )
    return _Coins(coins, gross, gross.amount, lines)


def value_coins(event: Gift | Donation, name: str, context: Context) -> Valuation:
    """A gift (or coins sent as a donation): coins bought, app-store fee, the creator's diamonds, TikTok's rest."""
    try:
        channel = need("tiktok.purchase_channel", context, event)
        pack = need(f"tiktok.coin_pack_{channel.value}", context, event)
        per_coin = need("tiktok.diamonds_per_coin", context, event)
        bought = _coins(event, name, context, pack, per_coin)
        gross, lines = bought.gross, [*bought.lines]
        lines.append(f"bought in the {channel.value}: {channel.cite()}")
        shares = []
        store_rate = Decimal(0)
        if channel.value == "app":
            store = need("tiktok.app_store_rate", context, event)
            store_rate = store.value
            shares.append((APP_STORE, gross * store_rate, store.cited_source))
            lines.append(f"App store: {store.cite()} × what the viewer paid {equals_exact(gross * store_rate)}")
        else:
            lines.append("App store: no fee, the coins were bought on the web")
        diamonds = bought.coins * per_coin.value
        rewards = setting("tiktok.rewards_rate", context, event)
        if rewards.unknown:
            per_diamond = need("tiktok.diamond_usd", context, event)
            net = Money(diamonds * per_diamond.value, "USD")
            net_usd = net.amount
            lines.append(
                f"creator: {quantity(bought.coins)} coins × {per_coin.cite()} = {quantity(diamonds)} diamonds, "
                f"× {per_diamond.cite()} {equals_exact(net)}"
            )
            if rewards.since is not None:
                lines.append(f"not applied: {rewards.cite()}: {REWARDS_NOTE}")
        else:
            net = gross * rewards.value
            net_usd = bought.gross_usd * rewards.value
            lines.append(
                f"creator: {rewards.cite()} × {exact_amount(gross)} {equals_exact(net)} (LIVE rewards instead of "
                f"{quantity(diamonds)} diamonds × tiktok.diamond_usd)"
            )
        if bought.gross_usd * store_rate + net_usd > bought.gross_usd:
            raise Unvalued(
                f"the creator's {quantity(net_usd)} USD and the app store's fee come to more than the viewer paid "
                f"({quantity(bought.gross_usd)} USD): the settings contradict each other"
            )
    except Unvalued as problem:
        return _unknown(event, context, str(problem))
    if isinstance(event, Gift) and event.recipient is not None:
        if event.host is not None and event.recipient != event.host:
            lines.append(
                f"sent to user {event.recipient}, not the host {event.host} (the record says so): a gift to a "
                "guest of a multi-guest LIVE or a battle opponent is theirs, not the creator's"
            )
        else:
            lines.append(f"sent to user {event.recipient}" + (" (the host)" if event.host is not None else ""))
    lines.append(f"{TIKTOK} keeps the rest, and the rounding")
    return _priced(
        event,
        context,
        gross=gross,
        shares=shares,
        net=net,
        residual=TIKTOK,
        units={"coins": bought.coins, "diamonds": diamonds},
        explain=lines,
    )


# --- subscriptions ----------------------------------------------------------------------------


def _subscription_gross(donation: Donation, context: Context) -> tuple[Money, list[str]]:
    if donation.amount is not None:
        if not is_currency(donation.amount.currency):
            raise Unvalued(f"a LIVE subscription is paid in money, not {donation.amount.currency}")
        gross = donation.amount * donation.count
        times = f" ({donation.count} × {donation.amount})" if donation.count > 1 else ""
        return gross, [f"LIVE subscription: the viewer paid {gross}{times}"]
    price = setting("tiktok.subscription_price", context, donation)
    if price.unknown:
        raise Unvalued(
            "LIVE subscriptions with no price: subscription events carry none; "
            "set tiktok.subscription_price (and tiktok.subscription_currency)"
        )
    currency = need("tiktok.subscription_currency", context, donation)
    gross = Money(price.value, currency.value) * donation.count
    return gross, [f"{donation.count} LIVE subscription(s) × {price.cite()}; {currency.cite()} = {gross}"]


def value_subscription(donation: Donation, context: Context) -> Valuation:
    """A LIVE subscription: the app store's fee in the app, TikTok's share, the creator the rest.

    US and Canada: the creator's share is of what is left after the app-store fee (tubefilter). Elsewhere
    the source says 50% and nothing of app-store fees: the share is of what the viewer paid.
    """
    try:
        gross, lines = _subscription_gross(donation, context)
        channel = need("tiktok.purchase_channel", context, donation)
        region = need("tiktok.subscription_region", context, donation)
        shares = []
        app_store = Money.zero(gross.currency)
        if channel.value == "app":
            store = need("tiktok.app_store_rate", context, donation)
            app_store = gross * store.value
            shares.append((APP_STORE, app_store, store.cited_source))
            lines.append(f"App store: {store.cite()} × what the viewer paid {equals_exact(app_store)}")
        else:
            lines.append(f"App store: no fee, bought on the web: {channel.cite()}")
        if region.value == "us_ca":
            share = need("tiktok.subscription_share", context, donation)
            base = gross - app_store
            tiktok = base * (Decimal(1) - share.value)
            lines.append(f"{region.cite()}: TikTok keeps 1 − {share.cite()} of {exact_amount(base)} {equals_exact(tiktok)}")
        else:
            share = need("tiktok.subscription_share_elsewhere", context, donation)
            tiktok = gross * (Decimal(1) - share.value) - app_store
            if tiktok.amount < 0:
                raise Unvalued(f"the app store's fee and {share.key} = {share.value} come to more than the viewer paid")
            lines.append(
                f"{region.cite()}: the creator gets {share.cite()} of {exact_amount(gross)}; TikTok keeps the rest "
                f"{equals_exact(tiktok)}"
            )
    except Unvalued as problem:
        return _unknown(donation, context, str(problem))
    shares.append((TIKTOK, tiktok, share.cited_source))
    lines.append("creator keeps the rest, and the rounding (the subscription bonus of up to 20% is not included)")
    return _priced(donation, context, gross=gross, shares=shares, explain=lines)


# --- TikTok Shop ------------------------------------------------------------------------------


def value_sale(sale: Sale, context: Context) -> Valuation:
    """A product sold during a LIVE: the seller pays TikTok Shop's referral fee; an affiliate earns a commission."""
    if not is_currency(sale.amount.currency):
        return _unknown(sale, context, f"a sale's amount must be money, not {sale.amount.currency}")
    product = f" of {sale.product}" if sale.product else ""
    lines = [f"sale{product}: the customer paid {sale.amount}"]
    try:
        if sale.role == "seller":
            rate = need("tiktok.shop_referral_rate", context, sale)
            fee = sale.amount * rate.value
            lines.append(
                f"{SHOP} referral fee: {rate.cite()} × {exact_amount(sale.amount)} {equals_exact(fee)} (its base is customer "
                "payment + platform discount − tax: the sale's amount is taken as that base)"
            )
            lines.append("creator (the seller) keeps the rest, and the rounding")
            return _priced(sale, context, gross=sale.amount, shares=[(SHOP, fee, rate.cited_source)], explain=lines)
        rate = setting("tiktok.affiliate_commission_rate", context, sale)
        if rate.unknown:
            raise Unvalued(
                "an affiliate's commission is set per product by the seller "
                f"({rate.source.cite()}); set tiktok.affiliate_commission_rate"
            )
    except Unvalued as problem:
        return _unknown(sale, context, str(problem))
    commission = sale.amount * rate.value
    lines.append(f"creator (affiliate) earns {rate.cite()} × {exact_amount(sale.amount)} {equals_exact(commission)}")
    lines.append(f"{SELLER} keeps the rest (and pays {SHOP}'s referral fee out of it), and the rounding")
    return _priced(sale, context, gross=sale.amount, net=commission, residual=SELLER, explain=lines)


# --- the hooks' answers -------------------------------------------------------------------------


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


def donation_features(context: Context) -> list[DonationFeature]:
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


def value_gift(gift: Gift, context: Context) -> Valuation:
    return value_coins(gift, gift.gift, context)


def value_donation(donation: Donation, context: Context) -> Valuation:
    if donation.feature == "subscription":
        return value_subscription(donation, context)
    if donation.feature != "gifts":
        return feature_unknown(KEY, TIKTOK, donation, context, FEATURES)
    if donation.amount is None:
        return _unknown(donation, context, "gifts with no amount")
    return value_coins(donation, "gifts", context)


def handle_like(like: Like, context: Context) -> LikeOutcome:
    return likes_earn_nothing(KEY, like, context, LIKES_NOTE, LIKES)
