"""TikTok valuation: amounts computed by hand, every figure sourced, dated where the sources date it, and
overridable."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_EVEN, Decimal

import livemoney as lm
import livemoney_tiktok
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from livemoney import Context, Donation, Gift, Like, Money, Sale
from livemoney.comparison import compare
from livemoney.fx import ecb_rates
from livemoney.testing import check_invariants, check_plugin
from livemoney_tiktok.catalogue import bundled

CENT = Decimal("0.01")
APP_COIN = Decimal("0.99") / 70  # USD a coin costs in the app: 70 coins = 0.99 USD
WEB_COIN = Decimal("0.74") / 70  # on the web: 70 coins = 0.74 USD
MAY_2_2024 = dt.datetime(2024, 5, 2, 18, 30, tzinfo=dt.UTC)
MARCH_2025 = dt.datetime(2025, 3, 14, 20, 0, tzinfo=dt.UTC)


def cents(amount):
    return Decimal(amount).quantize(CENT, ROUND_HALF_EVEN)


def usd(amount):
    return Money(Decimal(amount), "USD")


def value(pm, event, currency="USD", as_of=None, **overrides):
    context = lm.context(currency, as_of=as_of, settings=overrides, pm=pm)
    return lm.value_event(event, context, pm=pm)


def gift(name="Rose", count=1, **fields):
    return Gift(platform="tiktok", gift=name, count=count, **fields)


def parts(result):
    return [(share.party, share.amount.amount) for share in result.shares], result.net.amount


# --- the plugin ----------------------------------------------------------------------------------


def test_livemoney_checks_find_no_problem():
    assert check_plugin(livemoney_tiktok) == []


def test_platform_description_reproduces_the_seed_row(pm):
    (platform,) = pm.hook.livemoney_platform()
    assert (platform.key, platform.name, platform.units) == ("tiktok", "TikTok", ("coins", "diamonds"))
    assert (platform.likes_revenue, platform.gifts_donations) == ("None", "Yes")


def test_every_setting_cites_a_source_with_a_date(pm):
    (declared,) = pm.hook.livemoney_settings()
    assert {setting.key for setting in declared} == {
        "tiktok.purchase_channel",
        "tiktok.coin_pack_app",
        "tiktok.coin_pack_web",
        "tiktok.app_store_rate",
        "tiktok.diamonds_per_coin",
        "tiktok.diamond_usd",
        "tiktok.rewards_rate",
        "tiktok.subscription_region",
        "tiktok.subscription_share",
        "tiktok.subscription_share_elsewhere",
        "tiktok.subscription_price",
        "tiktok.subscription_currency",
        "tiktok.shop_referral_rate",
        "tiktok.affiliate_commission_rate",
        "tiktok.catalogue",
    }
    assert all(setting.source.url and setting.source.as_of for setting in declared)
    dated = {setting.key: [(rule.since, rule.value) for rule in setting.history] for setting in declared}
    assert dated["tiktok.rewards_rate"] == [(dt.date(2025, 2, 10), lm.UNKNOWN)]
    assert dated["tiktok.subscription_share"] == [(dt.date(2025, 10, 1), Decimal("0.70"))]
    assert dated["tiktok.shop_referral_rate"] == [(dt.date(2024, 4, 1), Decimal("0.06"))]


def test_the_bundled_catalogue_keeps_its_source_and_the_current_universe_price():
    catalogue = bundled()
    assert catalogue.source.url.endswith("/ad4d82b1082365e96a5848c574f6d5a1ac37cbbd/src/lang/tiktokGifts.ts")
    assert catalogue.source.as_of == "2024-07-23"  # the commit's date; the file shows none
    assert len(catalogue.gifts) == 233
    prices = {name: catalogue.find(name).coins for name in ("Rose", "Galaxy", "Lion", "TikTok Universe")}
    assert prices == {"Rose": 1, "Galaxy": 1000, "Lion": 29999, "TikTok Universe": 44999}
    assert "34,999" in catalogue.find("TikTok Universe").note  # the older price, noted, not dated
    assert catalogue.find("rose").coins == 1  # one gift matches whatever the case
    assert catalogue.find("love you") is None  # "Love you" (1) and "Love You" (199): ambiguous


def test_other_platforms_are_not_answered(pm):
    context = Context()
    assert livemoney_tiktok.livemoney_value_gift(platform="youtube", gift=gift(), context=context) is None
    assert livemoney_tiktok.livemoney_donation_features(platform="youtube", context=context) is None


# --- gifts ---------------------------------------------------------------------------------------


def test_100_roses_bought_in_the_app(pm):
    result = value(pm, gift(count=100))
    viewer_paid = 100 * APP_COIN  # 1.414285…
    assert cents(viewer_paid) == Decimal("1.41")
    assert cents(Decimal("0.30") * viewer_paid) == Decimal("0.42")  # 0.4242857…
    creator = 100 * 1 * Decimal("0.005")  # 100 coins = 100 diamonds at 0.005 USD
    assert result.gross == usd("1.41")
    assert parts(result) == ([("App store", Decimal("0.42")), ("TikTok", Decimal("0.49"))], creator)
    assert Decimal("1.41") - Decimal("0.42") - Decimal("0.50") == Decimal("0.49")
    assert result.units == {"coins": Decimal(100), "diamonds": Decimal(100)}
    assert check_invariants(result, "USD") == []


def test_every_figure_of_the_receipt_is_cited_with_its_source_and_date(pm):
    explain = "\n".join(value(pm, gift(count=100)).explain)
    for cited in (
        "rqinix/TNTCoin",  # the catalogue's price of a Rose
        "tiktok.coin_pack_app = 70/0.99 coins/USD [businesshab",
        "tiktok.purchase_channel = app",
        "tiktok.app_store_rate = 0.30 fraction [ironbladeonline / ithinkdiff",
        "tiktok.diamonds_per_coin = 1",
        "tiktok.diamond_usd = 0.005 USD/diamond [collectivadvertising",
        "2024-07-23",
        "2024-04",
    ):
        assert cited in explain


def test_100_roses_bought_on_the_web(pm):
    result = value(pm, gift(count=100), **{"tiktok.purchase_channel": "web"})
    viewer_paid = 100 * WEB_COIN  # 1.057142… → 1.06
    assert result.gross == usd(cents(viewer_paid)) == usd("1.06")
    # No app store on the web; the creator's 0.50 is the same; TikTok 1.06 − 0.50 = 0.56.
    assert parts(result) == ([("TikTok", Decimal("0.56"))], Decimal("0.50"))
    assert "no fee, the coins were bought on the web" in "\n".join(result.explain)


def test_the_events_own_price_wins_over_the_catalogue(pm):
    result = value(pm, gift("Rose", count=3, amount=Money(150, "coins")))
    coins = 3 * 150  # webcast diamond_count 150, not the catalogue's 1
    assert cents(coins * APP_COIN) == Decimal("6.36")  # 6.3642857…
    assert cents(Decimal("0.30") * coins * APP_COIN) == Decimal("1.91")  # 1.9092857…
    assert result.gross == usd("6.36")
    # creator 450 × 0.005 = 2.25; TikTok 6.36 − 1.91 − 2.25 = 2.20
    assert parts(result) == ([("App store", Decimal("1.91")), ("TikTok", Decimal("2.20"))], Decimal("2.25"))
    assert "the event's own price" in result.explain[0]


def test_an_amount_in_diamonds_is_turned_back_into_coins(pm):
    result = value(pm, gift("Mystery", count=2, amount=Money(10, "diamonds")))
    assert result.units == {"coins": Decimal(20), "diamonds": Decimal(20)}  # 1 diamond per coin
    assert result.net == usd("0.10")  # 20 × 0.005


def test_an_unknown_gift_without_a_price_is_unknown_with_the_reason(pm):
    result = value(pm, gift("Golden Walrus", count=2))
    assert result.unknown
    assert "'Golden Walrus' is in no gift catalogue" in result.reason
    assert "tiktok.catalogue" in result.reason
    assert (result.gross, result.net, result.shares) == (usd("0.00"), usd("0.00"), ())
    priced = value(pm, gift("Golden Walrus", count=2, amount=Money(5, "coins")))
    assert not priced.unknown and priced.net == usd("0.05")  # 10 coins × 0.005


def test_a_users_catalogue_adds_gifts_and_overrides_prices(pm, tmp_path):
    path = tmp_path / "gifts.json"
    path.write_text(json.dumps({"Golden Walrus": 700, "Rose": "2"}), encoding="utf-8")
    walrus = value(pm, gift("Golden Walrus"), **{"tiktok.catalogue": str(path)})
    assert walrus.net == usd("3.50")  # 700 × 0.005
    assert f"your catalogue {path}" in walrus.explain[0]
    rose = value(pm, gift("Rose", count=10), **{"tiktok.catalogue": str(path)})
    assert rose.units["coins"] == 20  # the user's 2 coins a Rose
    galaxy = value(pm, gift("Galaxy"), **{"tiktok.catalogue": str(path)})
    assert galaxy.units["coins"] == 1000  # still from the bundled catalogue


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not valid JSON"),
        ('{"Rose": -1}', "Rose: -1 is not a whole number of coins"),
        ('{"Rose": 1.5}', "Rose: Decimal('1.5') is not a whole number of coins"),
        ('["Rose"]', "not a JSON object of gift names to coins"),
    ],
)
def test_a_bad_catalogue_file_makes_the_gift_unknown_naming_the_file(pm, tmp_path, content, problem):
    path = tmp_path / "gifts.json"
    path.write_text(content, encoding="utf-8")
    result = value(pm, gift(), **{"tiktok.catalogue": str(path)})
    assert result.unknown and str(path) in result.reason and problem in result.reason


def test_a_missing_catalogue_file_is_named(pm, tmp_path):
    result = value(pm, gift(), **{"tiktok.catalogue": str(tmp_path / "nowhere.json")})
    assert result.unknown
    assert result.reason.startswith(f"tiktok.catalogue: cannot read {tmp_path / 'nowhere.json'}")


def test_a_money_spend_buys_coins_at_the_pack_price(pm):
    # What the comparison asks: 100 USD spent on gifts.
    result = value(pm, gift("gifts", amount=usd(100)))
    coins = 100 / APP_COIN  # 7,070.70… coins
    assert cents(coins * Decimal("0.005")) == Decimal("35.35")  # 35.3535…
    assert result.gross == usd("100.00")
    # App store 30.00; creator 35.35; TikTok 100.00 − 30.00 − 35.35 = 34.65
    assert parts(result) == ([("App store", Decimal("30.00")), ("TikTok", Decimal("34.65"))], Decimal("35.35"))
    assert result.units["coins"] == coins
    web = value(pm, gift("gifts", amount=usd(100)), **{"tiktok.purchase_channel": "web"})
    # 100 / (0.74/70) = 9,459.459… coins → 47.297… → 47.30 to the creator, 52.70 to TikTok
    assert cents(100 / WEB_COIN * Decimal("0.005")) == Decimal("47.30")
    assert parts(web) == ([("TikTok", Decimal("52.70"))], Decimal("47.30"))


def test_gifts_sent_as_a_donation_of_coins(pm):
    result = value(pm, Donation(platform="tiktok", feature="gifts", amount=Money(500, "coins")))
    assert result.units["coins"] == 500 and result.net == usd("2.50")  # 500 × 0.005
    assert value(pm, Donation(platform="tiktok", feature="gifts")).unknown


# --- currencies and dates --------------------------------------------------------------------------


def test_a_euro_report_converts_each_amount_at_the_ecb_rate_of_the_events_day(pm):
    result = value(pm, gift(count=100, ts=MAY_2_2024), currency="EUR")
    # ECB reference rate of 2024-05-02: 1 EUR = 1.0698 USD, so 1 USD = 1/1.0698 EUR.
    rate = 1 / Decimal("1.0698")
    assert ecb_rates().rate("USD", "EUR", MAY_2_2024.date()).rate == rate
    gross = cents(100 * APP_COIN * rate)  # 1.3220… → 1.32
    app_store = cents(Decimal("0.30") * 100 * APP_COIN * rate)  # 0.3966… → 0.40
    creator = cents(Decimal("0.50") * rate)  # 0.4673… → 0.47
    assert (gross, app_store, creator) == (Decimal("1.32"), Decimal("0.40"), Decimal("0.47"))
    assert result.gross == Money(gross, "EUR")
    assert parts(result) == ([("App store", app_store), ("TikTok", Decimal("0.45"))], creator)  # 1.32 − 0.40 − 0.47
    assert any("ECB reference rate of 2024-05-02" in line for line in result.explain)


def test_a_spend_in_euros_buys_coins_at_the_usd_pack_price_of_that_day(pm):
    result = value(pm, gift("gifts", amount=Money(100, "EUR"), ts=MAY_2_2024))
    spent_usd = 100 * Decimal("1.0698")  # 106.98 USD
    coins = spent_usd / APP_COIN  # 7,564.24… coins
    assert result.gross == usd("106.98")
    assert result.share("App store") == usd(cents(30 * Decimal("1.0698")))  # 32.094 → 32.09
    assert result.net == usd(cents(coins * Decimal("0.005"))) == usd("37.82")
    assert result.share("TikTok") == usd("37.07")  # 106.98 − 32.09 − 37.82


def test_the_rewards_rule_from_2025_02_10_is_cited_but_not_applied(pm):
    before = value(pm, gift(count=100, ts=MAY_2_2024))
    after = value(pm, gift(count=100, ts=MARCH_2025))
    assert before.net == after.net == usd("0.50")  # diamonds × 0.005 either way
    assert not any("rewards_rate" in line for line in before.explain)
    (line,) = [line for line in after.explain if "rewards_rate" in line]
    assert "rule in force from 2025-02-10" in line and "up to 53%" in line and "not applied" in line
    assert any("rewards_rate" in line for line in value(pm, gift(), as_of="2025-02-10").explain)


def test_a_rewards_rate_you_set_pays_that_part_of_what_the_viewer_paid(pm):
    result = value(pm, gift(count=100, ts=MAY_2_2024), **{"tiktok.rewards_rate": "0.5"})
    creator = cents(Decimal("0.5") * 100 * APP_COIN)  # 0.7071… → 0.71
    assert parts(result) == ([("App store", Decimal("0.42")), ("TikTok", Decimal("0.28"))], creator)
    assert "tiktok.rewards_rate = 0.5 fraction (your setting)" in "\n".join(result.explain)


def test_overrides_replace_any_figure(pm):
    result = value(
        pm,
        gift(count=100),
        **{"tiktok.diamond_usd": "0.004", "tiktok.coin_pack_app": "100/1.39", "tiktok.app_store_rate": "0.15"},
    )
    # Pack table C: 100 coins = 1.39 USD; 15% app store: 0.2085 → 0.21; creator 100 × 0.004 = 0.40.
    assert result.gross == usd("1.39")
    assert parts(result) == ([("App store", Decimal("0.21")), ("TikTok", Decimal("0.78"))], Decimal("0.40"))
    assert "tiktok.diamond_usd = 0.004 USD/diamond (your setting)" in "\n".join(result.explain)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"tiktok.app_store_rate": "1.5"}, "tiktok.app_store_rate = 1.5 is not a fraction between 0 and 1"),
        ({"tiktok.coin_pack_app": "0/0.99"}, "coins and price must be positive"),
        ({"tiktok.diamond_usd": "0.05"}, "the settings contradict each other"),  # 10x what a coin costs
    ],
)
def test_impossible_settings_make_the_gift_unknown_with_the_reason(pm, overrides, reason):
    result = value(pm, gift(count=100), **overrides)
    assert result.unknown and reason in result.reason


def test_a_context_built_by_hand_takes_string_overrides(pm):
    context = Context(settings={"tiktok.diamond_usd": "0.004"})
    assert lm.value_event(gift(count=100), context, pm=pm).net == usd("0.40")


# --- subscriptions -------------------------------------------------------------------------------


def subscription(amount="4.99", currency="USD", **fields):
    return Donation(platform="tiktok", feature="subscription", amount=Money(Decimal(amount), currency), **fields)


NOV_2025 = dt.datetime(2025, 11, 3, 19, 0, tzinfo=dt.UTC)


def test_a_us_subscription_gives_the_creator_70_percent_after_the_app_store(pm):
    result = value(pm, subscription(ts=NOV_2025))
    # App store 0.30 × 4.99 = 1.497 → 1.50; TikTok 0.30 × 3.493 = 1.0479; shares round as a running
    # total: 1.497 + 1.0479 = 2.5449 → 2.54, so TikTok 2.54 − 1.50 = 1.04; creator 4.99 − 2.54 = 2.45.
    assert result.gross == usd("4.99")
    assert parts(result) == ([("App store", Decimal("1.50")), ("TikTok", Decimal("1.04"))], Decimal("2.45"))
    assert cents(Decimal("0.70") * (Decimal("4.99") - Decimal("1.497"))) == Decimal("2.45")


def test_a_subscription_bought_on_the_web_pays_no_app_store(pm):
    result = value(pm, subscription(ts=NOV_2025), **{"tiktok.purchase_channel": "web"})
    # TikTok 0.30 × 4.99 = 1.497 → 1.50; creator 3.49
    assert parts(result) == ([("TikTok", Decimal("1.50"))], Decimal("3.49"))


def test_a_subscription_outside_the_us_gives_the_creator_half(pm):
    result = value(pm, subscription(ts=NOV_2025), **{"tiktok.subscription_region": "elsewhere"})
    # creator 0.50 × 4.99 = 2.495; App store 1.497; TikTok 4.99 − 2.495 − 1.497 = 0.998.
    # Running total of the shares 2.495 → 2.50 (half-even), so TikTok 1.00 and the creator 2.49.
    assert parts(result) == ([("App store", Decimal("1.50")), ("TikTok", Decimal("1.00"))], Decimal("2.49"))


def test_the_subscription_share_is_unknown_before_its_first_sourced_rule(pm):
    september = subscription(ts=dt.datetime(2025, 9, 30, 12, tzinfo=dt.UTC))
    result = value(pm, september)
    assert result.unknown
    assert result.reason == (
        "tiktok.subscription_share: no source gives its value before 2025-10-01 (rules of 2025-09-30); set it"
    )
    # as_of picks the rules of another date than the event's own
    assert value(pm, september, as_of="2025-10-01").net == usd("2.45")
    assert value(pm, subscription(ts=NOV_2025), as_of="2025-09-30").unknown
    # a share you set applies on any date
    assert value(pm, september, **{"tiktok.subscription_share": "0.70"}).net == usd("2.45")


def test_a_subscription_without_a_price_needs_the_price_setting(pm):
    event = Donation(platform="tiktok", feature="subscription", count=2, ts=NOV_2025)
    unknown = value(pm, event)
    assert unknown.unknown and "tiktok.subscription_price" in unknown.reason
    result = value(pm, event, **{"tiktok.subscription_price": "4.99"})
    # 2 × 4.99 = 9.98; App store 2.994; TikTok 0.30 × 6.986 = 2.0958; running total 5.0898 → 5.09:
    # App store 2.99, TikTok 2.10; creator 9.98 − 5.09 = 4.89
    assert result.gross == usd("9.98")
    assert parts(result) == ([("App store", Decimal("2.99")), ("TikTok", Decimal("2.10"))], Decimal("4.89"))


def test_a_subscription_in_coins_is_unknown(pm):
    result = value(pm, subscription("100", "coins", ts=NOV_2025))
    assert result.unknown and "paid in money" in result.reason


# --- TikTok Shop -------------------------------------------------------------------------------------


def test_a_product_the_creator_sells_pays_the_6_percent_referral_fee(pm):
    result = value(pm, Sale(platform="tiktok", amount=usd("25.00"), product="T-shirt", ts=MAY_2_2024))
    # 25.00 × 0.06 = 1.50 to TikTok Shop; the creator keeps 23.50
    assert parts(result) == ([("TikTok Shop", Decimal("1.50"))], Decimal("23.50"))
    assert any("2024-04-01" in line and "seller-us.tiktok.com" in line for line in result.explain)


def test_the_referral_fee_before_2024_04_01_is_unknown(pm):
    result = value(pm, Sale(platform="tiktok", amount=usd("25.00"), ts=dt.datetime(2024, 3, 31, tzinfo=dt.UTC)))
    assert result.unknown and "before 2024-04-01" in result.reason


def test_an_affiliate_sale_needs_the_commission_the_seller_set(pm):
    sale = Sale(platform="tiktok", amount=usd("25.00"), role="affiliate", ts=MAY_2_2024)
    unknown = value(pm, sale)
    assert unknown.unknown and "set per product by the seller" in unknown.reason
    result = value(pm, sale, **{"tiktok.affiliate_commission_rate": "0.15"})
    # 25.00 × 0.15 = 3.75 to the creator; the seller keeps 21.25 (and pays TikTok Shop out of it)
    assert parts(result) == ([("Seller", Decimal("21.25"))], Decimal("3.75"))


# --- likes, features, comparison -----------------------------------------------------------------


def test_likes_earn_nothing(pm):
    outcome = pm.hook.livemoney_handle_like(
        platform="tiktok", like=Like(platform="tiktok", count=500), context=Context()
    )
    assert (outcome.likes, outcome.net) == (500, usd(0))
    assert "LIVE feed" in outcome.note
    assert (outcome.source.as_of, outcome.source.url) == (
        "2024-03",
        "https://www.droidharvest.com/2024/03/tiktok-sending-likes-meaning.html",
    )
    assert value(pm, Like(platform="tiktok", count=500)).net == usd("0.00")


def test_donation_features_show_what_the_creator_keeps_of_each_dollar(pm):
    features = {f.key: f for f in pm.hook.livemoney_donation_features(platform="tiktok", context=Context())}
    assert (features["gifts"].kind, features["gifts"].availability) == ("gift", "yes")
    assert features["gifts"].creator_share == Decimal("0.005") * 70 / Decimal("0.99")  # 0.3535…
    assert features["subscription"].creator_share == Decimal("0.70") * (1 - Decimal("0.30"))  # 0.49
    web = Context(settings={"tiktok.purchase_channel": "web"})
    features = {f.key: f for f in pm.hook.livemoney_donation_features(platform="tiktok", context=web)}
    assert features["gifts"].creator_share == Decimal("0.005") * 70 / Decimal("0.74")
    assert features["subscription"].creator_share == Decimal("0.70")
    before = Context(as_of="2025-01-01")
    old = {f.key: f for f in pm.hook.livemoney_donation_features(platform="tiktok", context=before)}
    assert old["subscription"].creator_share is None  # no source before 2025-10-01


def test_the_comparison_values_100_usd_on_gifts_and_subscriptions(pm):
    rows = {row.feature: row.valuation for row in compare(100, pm=pm).rows}
    assert rows["gifts"].net == usd("35.35")
    assert rows["subscription"].net == usd("49.00")  # 0.70 × (100 − 30)
    assert rows["likes"].net == usd("0.00")
    web = {row.feature: row.valuation for row in compare(100, channel="web", pm=pm).rows}
    assert (web["gifts"].net, web["subscription"].net) == (usd("47.30"), usd("70.00"))


# --- the invariant ---------------------------------------------------------------------------------

GIFTS = sorted(bundled().gifts)


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(GIFTS),
    count=st.integers(min_value=1, max_value=100_000),
    channel=st.sampled_from(["app", "web"]),
    currency=st.sampled_from(["USD", "EUR", "JPY", "GBP"]),
)
def test_any_gift_keeps_the_invariant_and_pays_the_creator_its_diamonds(pm, name, count, channel, currency):
    result = value(pm, gift(name, count=count, ts=MAY_2_2024), currency, **{"tiktok.purchase_channel": channel})
    assert check_invariants(result, currency) == []
    coins = bundled().gifts[name] * count
    rate = ecb_rates().rate("USD", currency, MAY_2_2024.date()).rate
    quantum = Decimal(1) if currency == "JPY" else CENT
    per_coin = APP_COIN if channel == "app" else WEB_COIN
    assert result.gross.amount == (coins * per_coin * rate).quantize(quantum, ROUND_HALF_EVEN)
    assert result.net.amount == (coins * Decimal("0.005") * rate).quantize(quantum, ROUND_HALF_EVEN)
    assert result.share("TikTok").amount >= 0
