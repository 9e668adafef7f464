"""Made-up platforms for the host's tests: "testcast" takes 20% of everything, a coin is 0.01 USD;
"starcast" sells Stars in packs (100 Stars for 1.40 USD) and its creators earn 0.01 USD a Star, the kit's
units bought in packs, and keeps the rest; likes earn nothing on either, no source gives starcast's fee
on a sale. "tipcast" (not in `manager`: register `Tipcast()`) keeps 30% of a tip, and no source prices its
jewels. "badgecast" (not in `manager`: register `badgecast()`) takes 30% of a Badge until 2024 and no
source says what it takes from 2025 (a dated rule: ``badgecast.share`` is unknown then), and 15% of a tip.

Not real platforms, so their figures cite no real source (real platforms' figures are tested in their
own plugins' tests). The tests import this file by path (they are not a package) and value with
`manager`: a fresh plugin manager with these two.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from livemoney import LikeOutcome, Money, Platform, Source, hookimpl, unknown_valuation, valuation
from livemoney.kit import (
    UNKNOWN,
    Donation,
    DonationFeature,
    PlatformPlugin,
    Rule,
    Setting,
    SettingTable,
    UnitsInPacks,
    event_date,
    feature_unknown,
    likes_earn_nothing,
    sale_fee_unknown,
    valued_or_unknown,
)
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


STARCAST = "starcast"
STAR_PAGE = Source("made up for the tests: 100 Stars = 1.40 USD, 0.01 USD a Star to the creator", None, "2026-10-01")
STAR_SETTINGS = SettingTable(
    Setting(f"{STARCAST}.star_usd", Decimal("0.01"), "USD/star", "what the creator earns per Star", STAR_PAGE),
    Setting(f"{STARCAST}.star_pack", (Decimal(100), Decimal("1.40")), "stars/USD", "Stars/USD of a pack", STAR_PAGE),
)
STARS = UnitsInPacks(platform=STARCAST, unit="stars", one="Star", many="Stars", keeper="Starcast")


class StarcastValue:
    """Starcast's valuations (a platform's value module): Stars as units bought in packs."""

    @staticmethod
    def donation_features(context):
        share = Decimal("0.01") * 100 / Decimal("1.40")
        return [DonationFeature("stars", "Stars", "virtual currency", "yes", share, unit="stars", source=STAR_PAGE)]

    @staticmethod
    def _stars(event, context):
        on = event_date(event, context.as_of)
        pack, earns = STAR_SETTINGS(f"{STARCAST}.star_pack", context, on), STAR_SETTINGS(f"{STARCAST}.star_usd", context, on)
        return STARS.value(event, event.amount, context, pack=pack, earns=earns)

    @staticmethod
    def value_donation(donation, context):
        if donation.feature != "stars":
            return feature_unknown(STARCAST, "Starcast", donation, context, ["stars"])
        return StarcastValue._stars(donation, context)

    @staticmethod
    def value_gift(gift, context):
        return StarcastValue._stars(gift, context)

    @staticmethod
    def value_sale(sale, context):
        return sale_fee_unknown(STARCAST, "Starcast", sale, context)

    @staticmethod
    def handle_like(like, context):
        return likes_earn_nothing(STARCAST, like, context, "likes earn nothing on Starcast", STAR_PAGE)


def starcast():
    """The Starcast plugin (the kit's PlatformPlugin, as a real platform's)."""
    platform = Platform(
        key=STARCAST, name="Starcast", units=("stars",), likes_pay=False, gifts_donations="Yes (Stars)", sources=(STAR_PAGE,),
        rank=4,  # sorts before the platforms without a rank, as a built-in platform does
    )
    return PlatformPlugin(platform, STAR_SETTINGS, (), StarcastValue)


TIPCAST = "tipcast"


class Tipcast:
    """A made-up platform: the creator keeps 70% of a tip, Tipcast 30%; no source prices its jewels."""

    @hookimpl
    def livemoney_platform(self):
        return Platform(TIPCAST, "Tipcast", (), False, "Yes (tips)", (MADE_UP,))

    @hookimpl
    def livemoney_donation_features(self, platform, context):
        if platform != TIPCAST:
            return None
        return [
            DonationFeature("tip", "Tip", "paid chat message", "yes", Decimal("0.70"), source=MADE_UP),
            DonationFeature("jewels", "Jewels", "virtual gift", "limited", None, unit="jewels", source=MADE_UP),
        ]

    @hookimpl
    def livemoney_value_donation(self, platform, donation: Donation, context):
        if platform != TIPCAST:
            return None
        if donation.feature != "tip" or donation.amount is None:
            reason = "no source gives what jewels earn"
            return unknown_valuation(platform=TIPCAST, kind="donation", event=donation, context=context, reason=reason)
        gross = donation.amount * donation.count
        shares = [("Tipcast", gross * Decimal("0.30"), MADE_UP)]
        # no rate for the tip's currency on its date: unknown, with the reason (as the real platforms say)
        return valued_or_unknown(platform=TIPCAST, kind="donation", event=donation, context=context, gross=gross, shares=shares)

    @hookimpl
    def livemoney_handle_like(self, platform, like, context):
        if platform != TIPCAST:
            return None
        return LikeOutcome(platform=TIPCAST, likes=like.count, net=Money.zero(context.currency), note="likes earn nothing")


BADGECAST = "badgecast"
BADGE_REASON = (
    "no source says what Badgecast takes of a Badge after 2024; set badgecast.share to value Badges bought from "
    "2025 on"
)
BADGE_SETTINGS = SettingTable(
    Setting(
        f"{BADGECAST}.share",
        Decimal("0.30"),
        "fraction",
        "what Badgecast takes of what the viewer paid for a Badge; unknown after 2024",
        MADE_UP,
        history=(
            Rule(dt.date(2021, 1, 1), Decimal("0.30"), MADE_UP, "30% until 2024"),
            Rule(dt.date(2025, 1, 1), UNKNOWN, MADE_UP, "no source after 2024"),
        ),
    ),
)
BADGECAST_TIP = Decimal("0.15")


class BadgecastValue:
    """Badgecast's valuations: a Badge under the dated ``badgecast.share``, a tip at a fixed 15%."""

    @staticmethod
    def donation_features(context):
        share = BADGE_SETTINGS(f"{BADGECAST}.share", context, context.as_of)
        return [
            DonationFeature(
                "badge", "Badges", "paid hearts", "yes", None if share.unknown else 1 - share.value, source=MADE_UP
            ),
            DonationFeature("tip", "Tips", "donation", "yes", 1 - BADGECAST_TIP, source=MADE_UP),
        ]

    @staticmethod
    def value_donation(donation, context):
        if donation.feature not in ("badge", "tip"):
            return feature_unknown(BADGECAST, "Badgecast", donation, context, ["badge", "tip"])
        if donation.amount is None:
            reason = "a Badgecast donation without its amount"
            return unknown_valuation(platform=BADGECAST, kind="donation", event=donation, context=context, reason=reason)
        gross = donation.amount * donation.count
        if donation.feature == "tip":
            take = BADGECAST_TIP
        else:
            on = event_date(donation, context.as_of)
            share = BADGE_SETTINGS(f"{BADGECAST}.share", context, on)
            if share.unknown:
                reason = BADGE_REASON + ("" if on is None else f" (rules of {on.isoformat()})")
                return unknown_valuation(platform=BADGECAST, kind="donation", event=donation, context=context, reason=reason)
            take = share.value
        shares = [("Badgecast", gross * take, MADE_UP)]
        return valued_or_unknown(
            platform=BADGECAST, kind="donation", event=donation, context=context, gross=gross, shares=shares
        )

    @staticmethod
    def value_gift(gift, context):
        reason = "Badgecast has no gifts"
        return unknown_valuation(platform=BADGECAST, kind="gift", event=gift, context=context, reason=reason)

    @staticmethod
    def value_sale(sale, context):
        return sale_fee_unknown(BADGECAST, "Badgecast", sale, context)

    @staticmethod
    def handle_like(like, context):
        return likes_earn_nothing(BADGECAST, like, context, "likes earn nothing on Badgecast", MADE_UP)


def badgecast():
    """The Badgecast plugin: a dated setting that turns its Badges unknown from 2025."""
    platform = Platform(BADGECAST, "Badgecast", (), False, "Yes (Badges, tips)", (MADE_UP,))
    return PlatformPlugin(platform, BADGE_SETTINGS, (), BadgecastValue)


def manager(*extra):
    """A fresh plugin manager: the host, starcast, testcast and ``extra`` plugins."""
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(starcast(), name=STARCAST)
    pm.register(Testcast(), name=KEY)
    for plugin in extra:
        pm.register(plugin)
    pm.check_pending()
    return pm
