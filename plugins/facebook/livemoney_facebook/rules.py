"""The figures the Facebook plugin uses, each a `Setting` with its source and as-of date, and the platform.

Stars are units bought in packs (the kit's `UnitsInPacks`): a viewer pays the pack price, the creator
earns ``facebook.star_usd`` a Star, Meta keeps the rest (and pays any app-store fee out of it).
"""

from __future__ import annotations

from decimal import Decimal

from livemoney.kit import Platform, SettingTable, Source, UnitsInPacks

KEY = "facebook"
NAME = "Facebook Live"
STARS_PAGE = Source("Meta for Creators: Stars", "https://creators.facebook.com/tools/stars", "n.d. (2023–)")
STAR_PRICE = Source(
    "thexploretech / crowdfundly / marketingscoop: 100 Stars = $1.40 (third-party)",
    "https://crowdfundly.com/blog/how-much-does-facebook-stars-cost",
    "2024-04",
)
NO_PAY_PER_LIKE = Source("no source found of Facebook paying per like or reaction (platform-rules.md part 5)")
LIKES = "likes and reactions earn nothing on Facebook Live; they raise reach and visibility"

STARS = UnitsInPacks(
    platform=KEY, unit="stars", one="Star", many="Stars", keeper="Meta",
    keeps="including any app-store fee on in-app Star purchases", sold_as="Facebook Stars and gifts",
)
"""Stars: bought in packs, the creator earns a fixed amount a Star, Meta keeps the rest."""

SETTINGS = SettingTable(*STARS.settings(Decimal("0.01"), STARS_PAGE, (Decimal(100), Decimal("1.40")), STAR_PRICE))
"""``facebook.star_usd`` (0.01 USD a Star to the creator) and ``facebook.star_pack`` (100 Stars for 1.40 USD)."""

PLATFORM = Platform(
    key=KEY, name=NAME, units=("stars",), likes_pay=False, gifts_donations="Yes (Stars)", sources=(STARS_PAGE,), rank=4,
)
