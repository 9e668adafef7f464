"""Units bought in packs: Stars on Facebook and Instagram, and any virtual currency that a viewer buys in
packs and sends, for which the creator earns a fixed amount per unit.

The viewer pays the pack price for the units (an app store may take its rate of that); the creator earns
a fixed amount of USD per unit; the platform keeps the rest. An amount in the platform's unit is that many
units; an amount in money is what the viewer spent, which buys as many units as the pack price gives.
The two figures are settings of the platform, declared by `UnitsInPacks.settings` (``facebook.star_usd``
and ``facebook.star_pack``: keys, units and meanings alike on every platform, the figures its own).

    STARS = UnitsInPacks(platform="facebook", unit="stars", one="Star", many="Stars", keeper="Meta")
    SETTINGS = SettingTable(*STARS.settings(Decimal("0.01"), STARS_PAGE, (Decimal(100), Decimal("1.40")), PRICES))
    STARS.value(event, event.amount, context, pack=SETTINGS("facebook.star_pack", context, on), ...)

An event that carries no amount (``None``) is unknown, with the reason: the platform's own words
(``missing``), or ``Stars with no amount``. So is an event valued while a figure is `UNKNOWN` (no
source gives it yet, as in livemoney's plugin template): the reason names the figure and its source. A
pack that is not ``(units, price)``, both more than 0, is a `SettingError`, naming the setting; so is
``<platform>.<one>_usd`` below 0 (its declared ``minimum``) or above what a viewer pays a unit (less the app
store's rate, where there is one), naming both settings: the creator cannot earn more than the viewer paid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from livemoney.core.models import UNKNOWN, Context, Donation, Gift, Setting, Source, Valuation, _Unknown
from livemoney.core.money import Money, is_currency, plain
from livemoney.core.settings import Resolved, setting_text
from livemoney.core.valuation import rate_date, unknown_valuation, valuation
from livemoney.errors import SettingError


@attrs.frozen(slots=True)
class UnitsInPacks:
    """The rule of one platform's unit: what it is called and who keeps what the creator does not earn.

    :param unit: the unit as written in `Money` (``stars``).
    :param one: a unit's name in explain (``Star``); ``many``: the plural (``Stars``).
    :param keeper: the party that keeps the rest (``Meta``): it takes any rounding.
    :param keeps: what explain adds to the keeper's line (``including any app-store fee ...``).
    :param store_note: what explain adds to the app store's line (``Stars are sold in the app only``).
    :param sold_as: how the reason for an amount in another unit names the units (default: ``many``).
    """

    platform: str
    unit: str
    one: str
    many: str
    keeper: str
    keeps: str = ""
    store_note: str = ""
    sold_as: str = ""

    def settings(
        self,
        earns: Decimal | _Unknown,
        earns_source: Source,
        pack: tuple[Decimal, Decimal] | _Unknown,
        pack_source: Source,
        pack_note: str = "",
    ) -> tuple[Setting, Setting]:
        """The platform's two figures of the rule, for its `SettingTable`: ``<platform>.<one>_usd``, what the
        creator earns a unit (``earns``, USD), and ``<platform>.<one>_pack``, ``(units, price in USD)`` of a
        pack a viewer buys; ``pack_note``: what the pack's meaning adds (``in the app``). Either may be
        `UNKNOWN` until a source gives it (a user then sets it: ``--set <platform>.<one>_pack=100/1.40``).
        ``earns`` is at least 0 (the setting's ``minimum``), and no more than a viewer pays a unit (checked
        when a valuation reads both)."""
        name = self.one.lower()
        return (
            Setting(
                f"{self.platform}.{name}_usd", earns, f"USD/{name}", f"what the creator earns per {self.one} received",
                earns_source, minimum=0,
            ),
            Setting(
                f"{self.platform}.{name}_pack",
                pack,
                f"{self.unit}/USD",
                f"what a viewer pays for {self.many}: {self.unit.upper()}/PRICE_USD" + _aside(pack_note),
                pack_source,
            ),
        )

    def value(
        self,
        event: Gift | Donation,
        amount: Money | None,
        context: Context,
        *,
        pack: Resolved,
        earns: Resolved,
        store: Resolved | None = None,
        missing: str = "",
    ) -> Valuation:
        """The `Valuation` of ``event.count`` times ``amount`` (units, or money the viewer spent).

        :param pack: ``(units, price in USD)`` of a pack, as resolved for the event.
        :param earns: the USD the creator earns per unit.
        :param store: the app store's rate of what the viewer paid, where the units are bought in an app.
        :param missing: the reason when ``amount`` is ``None`` (default: ``<many> with no amount``).

        No amount, an amount in any other unit, or a figure that is `UNKNOWN` (``pack``, its units or price,
        ``earns`` or ``store``) is unknown, with the reason. A pack that is not ``(units, price)``, both more
        than 0, or ``earns`` above what a viewer pays a unit (less ``store``), raises
        `livemoney.errors.SettingError`; a currency with no rate on the event's date,
        `livemoney.errors.FxError`.
        """
        if amount is None:
            reason = missing or f"{self.many} with no amount"
        elif amount.currency != self.unit and not is_currency(amount.currency):
            reason = f"{self.sold_as or self.many} are counted in {self.unit} or paid in money, not in {amount.currency}"
        else:
            reason = _not_known(pack, earns, store)
        if amount is None or reason:
            return unknown_valuation(platform=self.platform, kind=event.kind, event=event, context=context, reason=reason)
        pack_units, pack_price = _pack(pack)
        _check_earns(earns, pack, store)
        if amount.currency == self.unit:
            units = amount.amount * event.count
            paid = Money(units * pack_price / pack_units, "USD")
        else:
            paid = amount * event.count
            usd = context.rates().convert(paid, "USD", rate_date(event, context))[0]
            units = usd.amount * pack_units / pack_price
        explain = [f"{units.normalize():f} {self.many}; viewer paid {paid.amount:f} {paid.currency}: {pack.cite()}"]
        shares = []
        if store is not None:
            shares.append(("App store", paid * store.value, store.share_source))
            explain.append(f"App store: {store.cite()} of what the viewer paid" + _aside(self.store_note))
        explain += [f"creator earns {earns.cite()} per {self.one}", f"{self.keeper} keeps the rest" + _aside(self.keeps)]
        return valuation(
            platform=self.platform,
            kind=event.kind,
            event=event,
            context=context,
            gross=paid,
            shares=shares,
            net=Money(units * earns.value, "USD"),
            residual=self.keeper,
            units={self.unit: units},
            explain=explain,
        )

    def creator_share(self, pack: Resolved, earns: Resolved) -> Decimal | None:
        """What the creator earns of what a viewer pays for units, ``earns × units / price`` (a
        `DonationFeature`'s ``creator_share``): 0.01 USD a Star of 100 Stars for 1.40 USD is 1/1.40;
        ``None`` while a figure is `UNKNOWN`."""
        if _not_known(pack, earns, None):
            return None
        units, price = _pack(pack)
        _check_earns(earns, pack, None)
        return Decimal(earns.value) * units / price


def _not_known(pack: Resolved, earns: Resolved, store: Resolved | None) -> str:
    """The reason a valuation needing these figures is unknown (each `UNKNOWN` figure and its source), or ``""``."""
    figures = [earns, pack] + ([store] if store is not None else [])
    unknown = [
        figure
        for figure in figures
        if figure.unknown or (isinstance(figure.value, tuple) and any(item is UNKNOWN for item in figure.value))
    ]
    return "; ".join(f"{figure.key} is unknown ({figure.source.title})" for figure in unknown)


def _pack(pack: Resolved) -> tuple[Decimal, Decimal]:
    """``(units, price)`` of a known pack, both more than 0; anything else is the setting's error."""
    value: Any = pack.value
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(item, Decimal) and item.is_finite() and item > 0 for item in value)
    ):
        return value[0], value[1]
    raise SettingError(f"{pack.key}: {setting_text(value)} must be UNITS/PRICE_USD, both more than 0 (e.g. 100/1.40)")


def _check_earns(earns: Resolved, pack: Resolved, store: Resolved | None) -> None:
    """What the creator earns a unit is no more than a viewer pays for one (less the app store's rate of it,
    where there is one): else the keeper's share would be negative, and the settings are the user's error."""
    units, price = _pack(pack)
    if not isinstance(earns.value, Decimal):  # "1/2" for a setting whose default is UNKNOWN reads as a pack's shape
        raise SettingError(f"{earns.key}: {setting_text(earns.value)} must be one number of USD (e.g. 0.01)")
    paid = price / units
    left = paid * (1 - store.value) if store is not None else paid
    if earns.value <= left:
        return
    after = f", less {store.key} {setting_text(store.value)} of it: {plain(left.normalize())} USD" if store else ""
    raise SettingError(
        f"{earns.key}: {setting_text(earns.value)} USD a {_one(earns)} is more than the creator can earn: "
        f"a viewer pays {plain(paid.normalize())} USD for one ({pack.key} = {setting_text(pack.value)}){after}"
    )


def _one(earns: Resolved) -> str:
    return earns.unit.partition("/")[2] or "unit"


def _aside(note: str) -> str:
    return f" ({note})" if note else ""
