"""The figures the YouTube plugin uses, each a `Setting` with its source and as-of date, and the platform.

From shared platform-rules.md Part 1 (defaults) and part 2 (evidence). Where no source gives a
figure (the price of a membership, how many Rubies a Jewel makes), the default is ``UNKNOWN``.
"""

from __future__ import annotations

from decimal import Decimal

from livemoney.kit import UNKNOWN, Platform, Setting, SettingTable, Source

KEY = "youtube"
SUPERS_PAGE = Source(
    "YouTube Help, Super Chat & Super Stickers: creators receive 70% of Supers revenue, calculated after "
    "local sales tax and App Store fees on iOS are deducted",
    "https://support.google.com/youtube/answer/7288782",
    "copy of 2023",
)
SALES_TAX = Source(
    "YouTube Help 7288782: local sales tax is deducted before the 70%; the data gives no tax, so 0 unless you set it",
    "https://support.google.com/youtube/answer/7288782",
    "copy of 2023",
)
IOS_FRACTION = Source(
    "YouTube Help 7288782: App Store fees on iOS are deducted before the 70%; the data does not say which "
    "purchases were made on iOS, so 0 unless you set it",
    "https://support.google.com/youtube/answer/7288782",
    "copy of 2023",
)
APPLE_FEE = Source(
    "Apple's standard App Store commission on in-app purchases: 30% (api-evangelist ios-finops; ithinkdiff 2024)",
    "https://raw.githubusercontent.com/api-evangelist/ios/main/finops/ios-finops.yml",
    "2026-05",
)
SUPER_CHAT_RANGE = Source(
    "Super Chat: $1 to $500 per message (slashgear, digitaltrends)",
    "https://slashgear.com/1677454/youtube-super-chat-how-much-creators-earn-percentage",
    "2017",
)
SUPER_STICKER_RANGE = Source(
    "Super Stickers: $0.99 to $50 (lehren.com, slashgear)",
    "https://slashgear.com/1677454/youtube-super-chat-how-much-creators-earn-percentage",
    "2019-11",
)
MEMBERSHIP = Source(
    "YouTube Help, channel memberships (official text truncated at 'Creators recei…'); 70% to the creator per "
    "third parties (staging.ceres.org, noypiguru)",
    "https://support.google.com/youtube/answer/7491256",
    "2021",
)
MEMBERSHIP_PRICE = Source(
    "membership events carry no price; the creator sets each level's price, so no default exists",
    "https://support.google.com/youtube/answer/7491256",
    "n.d.",
)
RUBIES = Source(
    "YouTube Jewels and gifts: creators earn Rubies, 1 Ruby = $0.01 (netinfluencer, androidpolice, swipeinsight)",
    "https://netinfluencer.com/youtube-jewels-gifting-system",
    "2024-11",
)
JEWELS = Source(
    "YouTube Jewels FAQ (quoted): 'no fixed revenue share'; Jewel cost varies with bundle size and promotions; "
    "US viewers, vertical live streams, mobile app only",
    "https://www.androidpolice.com/youtube-jewels-and-gifts-announcement/",
    "2024-11",
)
GIVING = Source(
    "YouTube Help, YouTube Giving: YouTube covers the transaction fees, so all the money donated goes to the "
    "nonprofit the creator chose",
    "https://support.google.com/youtube/answer/6318560",
)
LIKES = Source(
    "YouTube pays nothing per like; likes are a ranking and recommendation signal (socialplug, queshub)",
    "https://www.socialplug.io/blog/do-youtubers-get-paid-for-likes",
)
LIKES_NOTE = "likes earn nothing on YouTube Live; they are a ranking and recommendation signal"

SETTINGS = SettingTable(
    Setting(
        "youtube.supers_share",
        Decimal("0.70"),
        "fraction",
        "the creator's share of a Super Chat or Super Sticker, after sales tax and iOS App Store fees",
        SUPERS_PAGE,
    ),
    Setting(
        "youtube.sales_tax_rate",
        Decimal(0),
        "fraction",
        "the part of what the viewer paid that is local sales tax, deducted first (a 20% VAT included in the "
        "price is 0.2/1.2 = 0.1667)",
        SALES_TAX,
    ),
    Setting(
        "youtube.ios_fraction",
        Decimal(0),
        "fraction",
        "the part of Super Chats and Super Stickers bought in the iOS app (1: all of them)",
        IOS_FRACTION,
    ),
    Setting(
        "youtube.app_store_rate",
        Decimal("0.30"),
        "fraction",
        "Apple's App Store fee on an iOS purchase, deducted after sales tax",
        APPLE_FEE,
    ),
    Setting(
        "youtube.super_chat_range",
        (Decimal(1), Decimal(500)),
        "USD",
        "the lowest and highest Super Chat: MIN/MAX",
        SUPER_CHAT_RANGE,
        minimum=0,
    ),
    Setting(
        "youtube.super_sticker_range",
        (Decimal("0.99"), Decimal(50)),
        "USD",
        "the lowest and highest Super Sticker: MIN/MAX",
        SUPER_STICKER_RANGE,
        minimum=0,
    ),
    Setting(
        "youtube.membership_share",
        Decimal("0.70"),
        "fraction",
        "the creator's share of a channel membership",
        MEMBERSHIP,
    ),
    Setting(
        "youtube.membership_price",
        UNKNOWN,
        "per membership",
        "the price of one membership, used when a membership event carries no price (unknown unless you set it)",
        MEMBERSHIP_PRICE,
        minimum=0,
    ),
    Setting(
        "youtube.membership_currency",
        "USD",
        "ISO-4217 code",
        "the currency of youtube.membership_price",
        MEMBERSHIP_PRICE,
    ),
    Setting(
        "youtube.ruby_usd",
        Decimal("0.01"),
        "USD/ruby",
        "what the creator earns per Ruby (Jewel gifts pay creators in Rubies)",
        RUBIES,
        minimum=0,
    ),
    Setting(
        "youtube.rubies_per_jewel",
        UNKNOWN,
        "rubies/jewel",
        "how many Rubies the creator gets per Jewel a viewer sends (unknown: 'no fixed revenue share')",
        JEWELS,
        minimum=0,
    ),
)

PLATFORM = Platform(
    key=KEY, name="YouTube Live", units=("jewels", "rubies"), likes_pay=False, gifts_donations="Yes (Super Chats)",
    sources=(SUPERS_PAGE, MEMBERSHIP, RUBIES), rank=2,
)
