"""The figures the TikTok plugin uses, each a `Setting` with its source and as-of date.

From shared platform-rules.md Part 1 (defaults) and part 1 (evidence). A setting whose source gives a
start date has a dated `Rule`; on a date before its first rule the figure is unknown (no source gives
it), not the default. Where no source gives a figure at all (the price of a subscription, an
affiliate's commission) the default is ``UNKNOWN``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from livemoney import UNKNOWN, Rule, Setting, Source
from livemoney.kit import SettingTable

from livemoney_tiktok.catalogue import bundled

CHANNELS = ("app", "web")
REGIONS = ("us_ca", "elsewhere")

COIN_PACK_APP = Source(
    "businesshab: TikTok coin packs bought in the app, 70 coins = $0.99 ('approximate', third-party; other "
    "tables give 65 or 100 coins for $0.99 to $1.39)",
    "https://businesshab.com/comprehensive-guides-about-tiktok-coins/",
    "n.d.",
)
COIN_PACK_WEB = Source(
    "hiwildflower: the web recharge starting pack, 70 coins for $0.74 (third-party)",
    "https://hiwildflower.com/how-to-buy-tiktok-recharge-coins",
    "n.d.",
)
CHANNEL = Source(
    "ironbladeonline (TechCrunch report): coins are bought in the app (App Store, Google Play) or on the web "
    "at tiktok.com/coin",
    "https://ironbladeonline.com/screenshots-suggest-that-tiktok-is-circumventing-apples-app-store-commissions/",
    "2024-04-30",
)
APP_STORE = Source(
    "ironbladeonline / ithinkdiff: in-app coin purchases pay Apple 30%; a web recharge avoids the app-store fee",
    "https://www.ithinkdiff.com/tiktok-tests-web-coin-purchases-bypassing-app-store-fees/",
    "2024-04",
)
DIAMONDS_PER_COIN = Source(
    "streampace.io glossary: 1 coin spent = 1 diamond to the creator (third-party; itechpost 2021-09-03 says "
    "2 coins = 1 diamond)",
    "https://streampace.io/glossary/gift",
    "n.d.",
)
DIAMOND_USD = Source(
    "collectivadvertising, eklipse (2024 update), live-success beehiiv (2025-02): a diamond earns the creator "
    "0.005 USD (third-party; TikTok publishes no rate; TikTokLive's GiftEvent.value uses the same constant)",
    "https://collectivadvertising.com/how-much-are-diamonds-worth-on-tiktok/",
    "2024 to 2025-02",
)
REWARDS = Source(
    "TikTok Creator Academy 'Scaled LIVE rewards' (updated 2025-02-06): from 2025-02-10 US LIVE creators earn up "
    "to 53% (up to 40% from Per-LIVE Missions, up to 13% from Weekly Missions), 'up to 50%' before; as summarised "
    "by live-success beehiiv",
    "https://live-success.beehiiv.com/p/tiktok-changes-the-gift-system",
    "2025-02-06",
)
SUBSCRIPTION_US_CA = Source(
    "tubefilter: from 2025-10-01 US and Canadian creators keep 70% of LIVE subscription revenue after app-store "
    "fees, plus up to 20% bonus",
    "https://www.tubefilter.com/2025/10/29/tiktok-us-creator-summit-announcements-subscription-revenue-ai",
    "2025-10-29",
)
SUBSCRIPTION_ELSEWHERE = Source(
    "ccstartup (2025-10-28), trendible quoting TikTok: outside the US and Canada creators get 50% of LIVE "
    "subscription revenue, plus up to 20% bonus",
    "https://trendible.co.in/?p=10726",
    "2025-10",
)
REGION = Source(
    "tubefilter, ccstartup: the LIVE subscription share differs between the US and Canada and elsewhere",
    "https://www.tubefilter.com/2025/10/29/tiktok-us-creator-summit-announcements-subscription-revenue-ai",
    "2025-10-29",
)
SUBSCRIPTION_PRICE = Source(
    "subscription events carry no price; the creator picks one of TikTok's regional price points ('$4.99' is "
    "an example, findarticles)",
    "https://www.findarticles.com/tiktok-increases-creator-subscription-payouts-to-90-percent/",
    "2025",
)
SHOP = Source(
    "TikTok Shop Seller University (US): a 6% referral fee per qualified order from 2024-04-01, on customer "
    "payment + platform discount - tax",
    "https://seller-us.tiktok.com/university/essay?knowledge_id=5982454398175018",
    "2024-04-01",
)
AFFILIATE = Source(
    "TikTok Shop: the seller sets the affiliate commission rate per product (Shop Ads: 1% to 80%)",
    "https://ads.tiktok.com/help/article/about-setting-different-affiliate-commission-rates-for-tiktok-shop-ads",
    "2024-11",
)
LIKES = Source(
    "droidharvest: likes on TikTok LIVE are free and earn no money; they raise engagement and the LIVE's "
    "ranking in the LIVE feed",
    "https://www.droidharvest.com/2024/03/tiktok-sending-likes-meaning.html",
    "2024-03",
)

REWARDS_FROM = dt.date(2025, 2, 10)
REWARDS_NOTE = (
    "US Scaled LIVE rewards: up to 53%, earned through missions; what one creator earns is not known, so "
    "it is not applied unless you set tiktok.rewards_rate"
)

SETTINGS = SettingTable(
    Setting(
        "tiktok.purchase_channel",
        "app",
        "channel",
        "where viewers buy coins (and subscriptions): app (App Store, Google Play: app-store fee) or web",
        CHANNEL,
        choices=CHANNELS,
    ),
    Setting(
        "tiktok.coin_pack_app",
        (Decimal(70), Decimal("0.99")),
        "coins/USD",
        "what a viewer pays for coins in the app: COINS/PRICE_USD",
        COIN_PACK_APP,
    ),
    Setting(
        "tiktok.coin_pack_web",
        (Decimal(70), Decimal("0.74")),
        "coins/USD",
        "what a viewer pays for coins on the web (tiktok.com/coin): COINS/PRICE_USD",
        COIN_PACK_WEB,
    ),
    Setting(
        "tiktok.app_store_rate",
        Decimal("0.30"),
        "fraction",
        "the app store's fee on what the viewer paid in the app (none on the web)",
        APP_STORE,
    ),
    Setting(
        "tiktok.diamonds_per_coin",
        Decimal(1),
        "diamonds/coin",
        "diamonds the creator receives per coin a viewer spends on a gift",
        DIAMONDS_PER_COIN,
    ),
    Setting(
        "tiktok.diamond_usd",
        Decimal("0.005"),
        "USD/diamond",
        "what the creator earns per diamond",
        DIAMOND_USD,
    ),
    Setting(
        "tiktok.rewards_rate",
        UNKNOWN,
        "fraction",
        "the creator's LIVE rewards as a part of what viewers paid for gifts; when set it replaces "
        "diamonds x tiktok.diamond_usd (unknown, so not applied, unless you set it)",
        REWARDS,
        history=(Rule(REWARDS_FROM, UNKNOWN, REWARDS, REWARDS_NOTE),),
    ),
    Setting(
        "tiktok.subscription_region",
        "us_ca",
        "region",
        "where the creator is, for the LIVE subscription share: us_ca (US and Canada) or elsewhere",
        REGION,
        choices=REGIONS,
    ),
    Setting(
        "tiktok.subscription_share",
        Decimal("0.70"),
        "fraction",
        "the US and Canadian creator's share of a LIVE subscription, after app-store fees (bonus not included)",
        SUBSCRIPTION_US_CA,
        history=(Rule(dt.date(2025, 10, 1), Decimal("0.70"), SUBSCRIPTION_US_CA),),
    ),
    Setting(
        "tiktok.subscription_share_elsewhere",
        Decimal("0.50"),
        "fraction",
        "the creator's share of a LIVE subscription outside the US and Canada, of what the viewer paid "
        "(bonus not included)",
        SUBSCRIPTION_ELSEWHERE,
        history=(
            Rule(
                dt.date(2025, 10, 28),
                Decimal("0.50"),
                SUBSCRIPTION_ELSEWHERE,
                "the date of the source; no source gives the share before it",
            ),
        ),
    ),
    Setting(
        "tiktok.subscription_price",
        UNKNOWN,
        "per subscription",
        "the price of one subscription, used when a subscription event carries none (unknown unless you set it)",
        SUBSCRIPTION_PRICE,
    ),
    Setting(
        "tiktok.subscription_currency",
        "USD",
        "ISO-4217 code",
        "the currency of tiktok.subscription_price",
        SUBSCRIPTION_PRICE,
    ),
    Setting(
        "tiktok.shop_referral_rate",
        Decimal("0.06"),
        "fraction",
        "TikTok Shop's referral fee on a product the creator sells during a LIVE",
        SHOP,
        history=(Rule(dt.date(2024, 4, 1), Decimal("0.06"), SHOP),),
    ),
    Setting(
        "tiktok.affiliate_commission_rate",
        UNKNOWN,
        "fraction",
        "an affiliate creator's commission on a product sold for a seller (set per product by the seller: "
        "unknown unless you set it)",
        AFFILIATE,
    ),
    Setting(
        "tiktok.catalogue",
        None,
        "path",
        'a JSON file of gift prices in coins ({"Gift name": coins, ...}, or {"gifts": [{"id": 5655, "name": '
        '"Rose", "coins": 1}, ...]} by gift id) that adds to and overrides the bundled catalogues (gift ids, '
        "then names)",
        bundled().source,
    ),
)
DECLARED = {setting.key: setting for setting in SETTINGS.declared()}
FRACTIONS = frozenset(
    {
        "tiktok.app_store_rate",
        "tiktok.rewards_rate",
        "tiktok.subscription_share",
        "tiktok.subscription_share_elsewhere",
        "tiktok.shop_referral_rate",
        "tiktok.affiliate_commission_rate",
    }
)
