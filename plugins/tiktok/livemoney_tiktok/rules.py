"""The figures the TikTok plugin uses, each a `Setting` with its source and as-of date; the platform; and
the gift catalogues, the coin price of each gift with its source.

From shared platform-rules.md Part 1 (defaults) and part 1 (evidence). A setting whose source gives a
start date has a dated `Rule`; on a date before its first rule the figure is unknown (no source gives
it), not the default. Where no source gives a figure at all (the price of a subscription, an
affiliate's commission) the default is ``UNKNOWN``.

The gift catalogues give the coin price of one gift, by TikTok's gift id first, by its name second. Two
are bundled, each with its source and date:

- ``data/gift_ids.json``: gift id -> name -> coins, 681 gifts from TikTokLiveJava's generated ``Gift`` enum
  (commit c23faffc, 2024-01-05, MIT), itself merged from TikTok's own ``gift/list`` responses;
- ``data/gift_catalogue.json``: coins by gift name, the community catalogue of platform-rules.md part 1b
  (rqinix/TNTCoin, 2024-07-23).

A user's file (setting ``tiktok.catalogue``) adds gifts and overrides prices. It is a JSON object
``{"Gift name": coins, ...}``, or ``{"gifts": ..., "source": {"title": ..., "url": ..., "as_of": ...},
"notes": {...}}`` whose ``gifts`` is either such an object of names or a list of entries
``{"id": 11046, "name": "Galaxy", "coins": 1000}`` like ``gift_ids.json``: an entry with an ``id`` is
found by that id (its ``name`` is what the gift is called), one without by its ``name``. A name is
found exactly, else case-insensitively when only one gift matches (TikTok has both "Love you" and
"Love You").
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
from livemoney.kit import CHANNELS, UNKNOWN, Platform, Rule, Setting, SettingTable, Source

KEY = "tiktok"
REGIONS = ("us_ca", "elsewhere")
DATA = Path(__file__).parent / "data" / "gift_catalogue.json"
IDS = Path(__file__).parent / "data" / "gift_ids.json"

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

# --- the gift catalogues --------------------------------------------------------------------------


class CatalogueError(ValueError):
    """A catalogue file cannot be read; the message names the file and the problem."""


@attrs.frozen(slots=True)
class Price:
    """The coin price of one gift, where it comes from, and any cross-check worth showing."""

    coins: Decimal
    source: Source
    note: str | None = None
    gift_id: str | None = None
    """The gift id it was found by (``None``: found by name)."""
    name: str | None = None
    """The gift's name in the catalogue."""


@attrs.frozen(slots=True)
class Catalogue:
    """Gift prices in coins, by name and by gift id, from one source; ``notes`` by name or id."""

    gifts: dict[str, Decimal]
    source: Source
    notes: dict[str, str] = attrs.field(factory=dict)
    ids: dict[str, tuple[str | None, Decimal]] = attrs.field(factory=dict)
    """gift id -> (name, coins)."""

    def find(self, name: str) -> Price | None:
        """The price of the gift ``name``, or ``None`` when the catalogue does not have it (or not uniquely)."""
        found = name if name in self.gifts else None
        if found is None:
            folded = [known for known in self.gifts if known.casefold() == name.casefold()]
            found = folded[0] if len(folded) == 1 else None
        if found is None:
            return None
        return Price(self.gifts[found], self.source, self.notes.get(found), name=found)

    def find_id(self, gift_id: str) -> Price | None:
        """The price of the gift with id ``gift_id``, or ``None`` when the catalogue does not have it."""
        found = self.ids.get(gift_id)
        if found is None:
            return None
        name, coins = found
        return Price(coins, self.source, self.notes.get(gift_id), gift_id=gift_id, name=name)


def _coins(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise CatalogueError(f"{where}: {value!r} is not a whole number of coins")
    try:
        coins = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise CatalogueError(f"{where}: {value!r} is not a whole number of coins") from None
    if not coins.is_finite() or coins < 0 or coins != coins.to_integral_value():
        raise CatalogueError(f"{where}: {value!r} is not a whole number of coins")
    return coins


def _gift_id(value: Any, where: str) -> str:
    if isinstance(value, str) and value.strip().isdigit() and int(value.strip()) > 0:
        return str(int(value.strip()))
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    raise CatalogueError(f"{where}: id {value!r} is not a gift id (a positive whole number)")


def _entries(entries: list, name: str) -> tuple[dict[str, Decimal], dict[str, tuple[str | None, Decimal]]]:
    """The list form of ``gifts``: ``{"id": ..., "name": ..., "coins": ...}`` entries."""
    by_name: dict[str, Decimal] = {}
    by_id: dict[str, tuple[str | None, Decimal]] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{name}: gifts[{number}]"
        if not isinstance(entry, dict) or "coins" not in entry or not ("id" in entry or "name" in entry):
            raise CatalogueError(f'{where}: not an entry {{"id": ..., "name": ..., "coins": ...}}')
        gift = entry.get("name")
        if gift is not None and (not isinstance(gift, str) or not gift.strip()):
            raise CatalogueError(f"{where}: name {gift!r} is not a gift name")
        gift = gift.strip() if gift is not None else None
        coins = _coins(entry["coins"], f"{where} ({gift or entry.get('id')})")
        if "id" in entry:
            gift_id = _gift_id(entry["id"], where)
            if gift_id in by_id:
                raise CatalogueError(f"{where}: id {gift_id} is listed twice")
            by_id[gift_id] = (gift, coins)
        elif gift is None:
            raise CatalogueError(f"{where}: an entry without an id needs a name")
        else:
            by_name[gift] = coins
    return by_name, by_id


def parse(document: Any, name: str, default_source: Source) -> Catalogue:
    """A catalogue from a parsed JSON document; ``name`` (the file) is used in error messages."""
    if not isinstance(document, dict):
        raise CatalogueError(f"{name}: not a JSON object of gift names to coins")
    wrapped = "gifts" in document
    gifts = document["gifts"] if wrapped else document
    if not isinstance(gifts, (dict, list)) or (isinstance(gifts, list) and not wrapped):
        raise CatalogueError(f"{name}: gifts: not a JSON object of gift names to coins, nor a list of entries")
    source = default_source
    if wrapped and isinstance(document.get("source"), dict):
        fields = document["source"]
        try:
            source = Source(fields.get("title"), fields.get("url"), fields.get("as_of"))
        except (TypeError, ValueError) as error:
            raise CatalogueError(f"{name}: source: {error}") from None
    notes = document.get("notes", {}) if wrapped else {}
    if not isinstance(notes, dict) or not all(isinstance(text, str) for text in notes.values()):
        raise CatalogueError(f"{name}: notes: not a JSON object of gift names (or ids) to text")
    if isinstance(gifts, list):
        prices, ids = _entries(gifts, name)
    else:
        prices, ids = {str(gift): _coins(coins, f"{name}: {gift}") for gift, coins in gifts.items()}, {}
    return Catalogue(prices, source, dict(notes), ids)


@functools.cache
def bundled() -> Catalogue:
    """The community catalogue of prices by name shipped with the plugin."""
    document = json.loads(DATA.read_text(encoding="utf-8"), parse_float=Decimal)
    return parse(document, DATA.name, Source("livemoney-tiktok bundled catalogue", as_of="n.d."))


@functools.cache
def bundled_ids() -> Catalogue:
    """The catalogue of gifts by id shipped with the plugin (TikTokLiveJava's gift list, 2024-01-05)."""
    document = json.loads(IDS.read_text(encoding="utf-8"), parse_float=Decimal)
    return parse(document, IDS.name, Source("livemoney-tiktok bundled gift ids", as_of="n.d."))


def user_catalogue(path: Path) -> Catalogue:
    """The catalogue in the user's file at ``path`` (read again when the file changes)."""
    try:
        stat = path.stat()
    except OSError as error:
        raise CatalogueError(f"tiktok.catalogue: cannot read {path}: {error.strerror or error}") from None
    return _read(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int, size: int) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"tiktok.catalogue: cannot read {path}: {error}") from None
    try:
        document = json.loads(text, parse_float=Decimal)
    except ValueError as error:
        raise CatalogueError(f"tiktok.catalogue: {path} is not valid JSON: {error}") from None
    return parse(document, f"tiktok.catalogue: {path}", Source(f"your catalogue {path}", as_of="n.d."))


# --- the settings and the platform -----------------------------------------------------------------

LIKES_NOTE = "likes earn nothing on TikTok LIVE; they raise engagement and the LIVE's ranking in the LIVE feed"

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

PLATFORM = Platform(
    key=KEY, name="TikTok", units=("coins", "diamonds"), likes_pay=False, gifts_donations="Yes",
    sources=(DIAMOND_USD, CHANNEL, LIKES), rank=1,
)
