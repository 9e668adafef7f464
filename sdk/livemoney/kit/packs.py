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
(``missing``), or ``Stars with no amount``.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from livemoney.core.models import Context, Donation, Gift, Setting, Source, Valuation
from livemoney.core.money import Money, is_currency
from livemoney.core.settings import Resolved
from livemoney.core.valuation import rate_date, unknown_valuation, valuation


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
        self, earns: Decimal, earns_source: Source, pack: tuple[Decimal, Decimal], pack_source: Source, pack_note: str = ""
    ) -> tuple[Setting, Setting]:
        """The platform's two figures of the rule, for its `SettingTable`: ``<platform>.<one>_usd``, what the
        creator earns a unit (``earns``, USD), and ``<platform>.<one>_pack``, ``(units, price in USD)`` of a
        pack a viewer buys; ``pack_note``: what the pack's meaning adds (``in the app``)."""
        name = self.one.lower()
        return (
            Setting(
                f"{self.platform}.{name}_usd", earns, f"USD/{name}", f"what the creator earns per {self.one} received",
                earns_source,
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

        No amount, or an amount in any other unit, is unknown, with the reason. A currency with no rate on the event's
        date raises `livemoney.errors.FxError`.
        """
        if amount is None:
            reason = missing or f"{self.many} with no amount"
            return unknown_valuation(platform=self.platform, kind=event.kind, event=event, context=context, reason=reason)
        pack_units, pack_price = pack.value
        if amount.currency == self.unit:
            units = amount.amount * event.count
            paid = Money(units * pack_price / pack_units, "USD")
        elif is_currency(amount.currency):
            paid = amount * event.count
            usd = context.rates().convert(paid, "USD", rate_date(event, context))[0]
            units = usd.amount * pack_units / pack_price
        else:
            reason = f"{self.sold_as or self.many} are counted in {self.unit} or paid in money, not in {amount.currency}"
            return unknown_valuation(platform=self.platform, kind=event.kind, event=event, context=context, reason=reason)
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


def _aside(note: str) -> str:
    return f" ({note})" if note else ""
