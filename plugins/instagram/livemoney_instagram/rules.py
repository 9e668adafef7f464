"""The figures the Instagram plugin uses, each a `Setting` with its source and as-of date, and the platform.

From shared platform-rules.md Part 1 (defaults) and part 3 (evidence). Meta promised to take nothing
of Badges "until 2024"; no source says what it takes after, so from 2025 ``instagram.meta_share`` is
``UNKNOWN`` and a Badge of that date is valued as unknown unless the user sets the share.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from livemoney.kit import UNKNOWN, Platform, Rule, Setting, SettingTable, Source, UnitsInPacks

KEY = "instagram"
FEATURES = ("badge", "stars")

HELP_PAGE = Source(
    "Instagram Help Center, Badges: 'During this testing period, Instagram's revenue share will be 0%. "
    "Google and Apple collect 30% in fees for in-app purchases.'",
    "https://help.instagram.com/1119102301790334",
    "n.d. (2021–)",
)
BADGE_PRICES = Source(
    "Screen Rant (also The Verge, TBS News): Badges cost $0.99 (1 heart), $1.99 (2 hearts), $4.99 (3 hearts)",
    "https://screenrant.com/instagram-tip-live-creators-purchase-badges/",
    "2021-11",
)
NO_FEE_PROMISE = Source(
    "Meta: no revenue share on Badges, subscriptions and events 'until 2024' (techgameworld, eagleking)",
    "https://techgameworld.com/meta-no-commission-on-instagram-and-facebook-creators-until-2024",
    "2022-06",
)
AFTER_2024 = Source(
    "no source says what Meta takes of Badges after 2024: its no-fee promise ran 'until 2024' "
    "(platform-rules.md, not found #8)"
)
STAR_VALUE = Source(
    "Instagram, quoted by SV Daily and MediaPost: '$.01 USD for every star received'",
    "https://svdaily.com/2023/02/09/instagram-expanding-gifts-for-creators/",
    "2023-02-09",
)
STAR_PACKS = Source(
    "TechCrunch, copied by aapkadost: Stars are sold in the app only, 45 Stars = $0.99, 140 = $2.99, 300 = $5.99",
    "https://aapkadost.in/instagram-expands-access-to-reels-focused-tipping-feature-gifts-aapkadost/",
    "2023-02-10",
)
GIFTS_ON_LIVE = Source(
    "Gifts are Reels-first ('Gifts will remain Reels-only for now', 2023); a 2025 forum says also on Live "
    "(aapkadost, jeffbullas)",
    "https://aapkadost.in/instagram-expands-access-to-reels-focused-tipping-feature-gifts-aapkadost/",
    "2023-02",
)
FREE_HEARTS = Source(
    "qainsta: tapping hearts in an Instagram live is free; it counts as engagement and can help Explore "
    "placement; only Badges (paid hearts) earn money",
    "https://qainsta.com/qa/view/what-do-hearts-mean-in-an-instagram-live-stream",
)

LIKES = (
    "hearts on Instagram Live are free: engagement that can help Explore placement; only Badges (paid hearts) "
    "earn money"
)

AFTER_2024_REASON = (
    "Meta promised to take no share of Badges 'until 2024' and no source says what it takes after 2024; "
    "set instagram.meta_share to value Badges bought from 2025 on"
)

STARS = UnitsInPacks(
    platform=KEY, unit="stars", one="Star", many="Stars", keeper="Meta", store_note="Stars are sold in the app only",
    sold_as="Instagram Gifts",
)
"""Gifts in Stars: bought in the app in packs (the app store takes its rate), the creator earns a fixed
amount a Star, Meta keeps the rest (``instagram.star_usd``, ``instagram.star_pack``: its settings)."""

SETTINGS = SettingTable(
    Setting(
        "instagram.badge_prices",
        (Decimal("0.99"), Decimal("1.99"), Decimal("4.99")),
        "USD",
        "what a viewer pays for a Badge of 1/2/3 hearts (prices the badge_tier column of a badge file)",
        BADGE_PRICES,
        minimum=0,
    ),
    Setting(
        "instagram.app_store_rate",
        Decimal("0.30"),
        "fraction",
        "what Apple or Google take of an in-app purchase (Badges and Stars are bought in the app); "
        "set 0 for a purchase made outside the app stores",
        HELP_PAGE,
        minimum=0, maximum=1,
    ),
    Setting(
        "instagram.meta_share",
        Decimal(0),
        "fraction",
        "what Meta takes of what the viewer paid for a Badge; unknown after 2024",
        HELP_PAGE,
        history=(
            Rule(dt.date(2021, 11, 1), Decimal(0), HELP_PAGE, "Badges launched in the US in November 2021"),
            Rule(dt.date(2022, 6, 1), Decimal(0), NO_FEE_PROMISE, "no Meta share 'until 2024'"),
            Rule(dt.date(2025, 1, 1), UNKNOWN, AFTER_2024, "the promise ended with 2024"),
        ),
        minimum=0, maximum=1,
    ),
    *STARS.settings(
        Decimal("0.01"), STAR_VALUE, (Decimal(45), Decimal("0.99")), STAR_PACKS, "in the app: the smallest pack"
    ),
)

PLATFORM = Platform(
    key=KEY, name="Instagram Live", units=("stars",), likes_pay=False, gifts_donations="Limited (Badges)",
    sources=(HELP_PAGE, BADGE_PRICES), rank=3,
)
