"""A made-up platform for the engine's tests: "testcast" takes 20% of everything; a coin is 0.01 USD.

Not a real platform, so its figures need no source. The tests import this file by path (they are not a
package) and value with `manager`: a fresh plugin manager with the Facebook plugin and this one.
"""

from __future__ import annotations

from decimal import Decimal

from livemoney import LikeOutcome, Money, Platform, Source, hookimpl, unknown_valuation, valuation
from livemoney.pluginsys.manager import get_plugin_manager

KEY = "testcast"
CUT = Decimal("0.20")
COIN_USD = Decimal("0.01")
MADE_UP = Source("made up for the tests", None, "2026-10-01")


def _value(kind, event, context, paid):
    return valuation(
        platform=KEY, kind=kind, event=event, context=context, gross=paid, shares=[("Testcast", paid * CUT, MADE_UP)]
    )


class Testcast:
    @hookimpl
    def livemoney_platform(self):
        return Platform(
            key=KEY, name="Testcast", units=("coins",), likes_pay=False, gifts_donations="Yes", sources=(MADE_UP,)
        )

    @hookimpl
    def livemoney_value_gift(self, platform, gift, context):
        if platform != KEY:
            return None
        coins = (gift.amount or Money(1, "coins")).amount * gift.count
        return _value("gift", gift, context, Money(coins * COIN_USD, "USD"))

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        if platform != KEY:
            return None
        if donation.amount is None:
            reason = "a testcast donation without its amount"
            return unknown_valuation(platform=KEY, kind="donation", event=donation, context=context, reason=reason)
        return _value("donation", donation, context, donation.amount * donation.count)

    @hookimpl
    def livemoney_value_sale(self, platform, sale, context):
        if platform != KEY:
            return None
        return _value("sale", sale, context, sale.amount)

    @hookimpl
    def livemoney_handle_like(self, platform, like, context):
        if platform != KEY:
            return None
        return LikeOutcome(platform=KEY, likes=like.count, net=Money.zero(context.currency), note="likes earn nothing")


def manager(*extra):
    """A fresh plugin manager: the host, Facebook, testcast and ``extra`` plugins."""
    import livemoney_facebook

    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(livemoney_facebook.PLUGIN, name="facebook")
    pm.register(Testcast(), name=KEY)
    for plugin in extra:
        pm.register(plugin)
    pm.check_pending()
    return pm
