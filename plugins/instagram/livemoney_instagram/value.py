"""Valuing Instagram Live events: Badges (paid hearts: the app store and Meta take their rates of what the
viewer paid), Gifts in Stars (the kit's units bought in packs); free hearts earn nothing; no source gives
the fee on a sale. Amounts stay exact; a receipt or a report rounds each figure once."""

from __future__ import annotations

import datetime as dt
import itertools
import weakref
from decimal import Decimal

from livemoney.kit import (
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Money,
    Resolved,
    Sale,
    SettingError,
    Valuation,
    event_date,
    feature_unknown,
    is_currency,
    likes_earn_nothing,
    sale_fee_unknown,
    unchecked,
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
    """A Badge: the viewer paid its price; the app store and Meta take their rates of it, the creator the rest.

    Paid in the report currency (no exchange rate), a Badge's valuation depends on its day only through the
    rules in force (the resolved settings): the valuation of a price, count and rules is worked out once for
    ``context`` (`KEPT_BADGES` of them) and copied with each Badge's own event, and a day's rules are resolved
    once (`_Kept`). One paid in another currency is converted at its day's rate, worked out each time."""
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
    kept = _KEPT_BADGES.get(context)
    if kept is None:
        kept = _KEPT_BADGES[context] = _Kept()
    number = kept.days.get(on)
    if number is not None and amount.currency == context.currency:  # a day whose rules were resolved, checked
        key = (str(amount.amount), amount.currency, donation.count, number)
        found = kept.valuations.get(key)
        if found is not None:
            return _for_badge(found, donation, dict(found.units))
    store = SETTINGS("instagram.app_store_rate", context, on)
    meta = SETTINGS("instagram.meta_share", context, on)
    if meta.unknown:
        rules = "" if on is None else f" (rules of {on.isoformat()})"
        return unknown_valuation(
            platform=KEY,
            kind="donation",
            event=donation,
            context=context,
            reason=f"{AFTER_2024_REASON}{rules}",
            units={"badges": Decimal(donation.count)},
            explain=[_bought(amount, donation.count), f"Meta: {meta.cite()}"],
        )
    _together(store, meta)
    if amount.currency != context.currency:
        return _badge_valuation(donation, amount, context, store, meta)
    # Written as given (4.99 and 4.990 are equal, but explained each as written) and resolved the same.
    key = (str(amount.amount), amount.currency, donation.count, kept.rules(on, store, meta))
    found = kept.valuations.get(key)
    if found is None:
        if len(kept.valuations) >= KEPT_BADGES:
            kept.valuations.clear()
        found = kept.valuations[key] = _badge_valuation(donation, amount, context, store, meta)
    return _for_badge(found, donation, dict(found.units))


class _Kept:
    """What `_badge` keeps for one context: the rules of each day (resolved, known and checked by `_together`)
    and the valuation of each price, count and rules (`KEPT_BADGES`), so that a Badge of a day met before and
    of a price met before is a copy, its settings not resolved again."""

    __slots__ = ("counted", "days", "numbers", "valuations")

    def __init__(self) -> None:
        self.counted = itertools.count()
        self.days: dict[dt.date | None, int] = {}
        """The number (`numbers`) of each day's rules: its app store rate and Meta share (known, checked)."""
        self.numbers: dict[tuple[Resolved, str, Resolved, str], int] = {}
        """A number for each pair of rules (each with its value as written): the days of one pair share it."""
        self.valuations: dict[tuple[str, str, int, int], Valuation] = {}
        """The valuation of a Badge by its price as written, its currency, its count and its rules' number."""

    def rules(self, on: dt.date | None, store: Resolved, meta: Resolved) -> int:
        """The number of the rules ``store`` and ``meta`` (in force on ``on``, known, checked), kept for ``on``."""
        pair = (store, str(store.value), meta, str(meta.value))
        number = self.numbers.get(pair)
        if number is None:
            if len(self.numbers) >= KEPT_BADGES:
                self.numbers.clear()
            number = self.numbers[pair] = next(self.counted)  # never used again: a number means one pair
        if len(self.days) >= KEPT_DAYS:
            self.days.clear()
        self.days[on] = number
        return number


def _badge_valuation(
    donation: Donation, amount: Money, context: Context, store: Resolved, meta: Resolved
) -> Valuation:
    """The valuation of a Badge of ``amount`` (its price, money) under the app store's rate ``store`` and
    Meta's share ``meta`` (both known)."""
    paid = amount * donation.count
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
            _bought(amount, donation.count),
            f"App store: {store.cite()} of what the viewer paid (Badges are bought in the app)",
            f"Meta: {meta.cite()} of what the viewer paid",
            "the creator keeps the rest",
        ],
    )


def _bought(amount: Money, count: int) -> str:
    """The explain line of what the viewer paid for ``count`` Badges of ``amount`` each."""
    paid = amount * count
    return f"Badge: viewer paid {paid.amount:f} {paid.currency}" + (
        f" ({count} × {amount.amount:f})" if count > 1 else ""
    )


KEPT_BADGES = 1024
"""How many Badge valuations (price, count and rules) `_badge` keeps for one context; more clears them and starts
again (memory does not grow with the file). A badge file holds a few prices and counts, the rules change rarely."""

KEPT_DAYS = 4096
"""How many days' rules `_badge` keeps for one context (about eleven years of daily Badges); more clears them."""

_KEPT_BADGES: weakref.WeakKeyDictionary[Context, _Kept] = weakref.WeakKeyDictionary()
"""What `_badge` keeps for each context (let go with it: a context is one run's)."""

_for_badge = unchecked(Valuation, "event", "units")
"""``_for_badge(kept, donation, units)``: a kept (checked) valuation for another Badge of the same price, count
and rules: its own event and its own copy of the units, nothing checked again."""


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
