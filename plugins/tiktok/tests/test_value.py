"""TikTok valuation: amounts computed by hand, every figure sourced, dated where the sources date it, and
overridable. Valuations are exact (10 decimal places, half-even); `Valuation.shown()` is the receipt a
user sees, each figure rounded once."""

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
from livemoney.kit import ecb_rates
from livemoney.testing import check_invariants, check_plugin
from livemoney_tiktok.rules import bundled, bundled_ids

CENT = Decimal("0.01")
TEN_PLACES = Decimal("1e-10")
APP_COIN = Decimal("0.99") / 70  # USD a coin costs in the app: 70 coins = 0.99 USD
WEB_COIN = Decimal("0.74") / 70  # on the web: 70 coins = 0.74 USD
MAY_2_2024 = dt.datetime(2024, 5, 2, 18, 30, tzinfo=dt.UTC)
MARCH_2025 = dt.datetime(2025, 3, 14, 20, 0, tzinfo=dt.UTC)


def cents(amount):
    return Decimal(amount).quantize(CENT, ROUND_HALF_EVEN)


def ten(amount):
    """An exact amount as a valuation keeps it: 10 decimal places, half-even."""
    return Decimal(amount).quantize(TEN_PLACES, ROUND_HALF_EVEN)


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
    assert check_plugin(livemoney_tiktok.PLUGIN) == []


def test_platform_description_reproduces_the_seed_row(pm):
    (platform,) = pm.hook.livemoney_platform()
    assert (platform.key, platform.name, platform.units) == ("tiktok", "TikTok", ("coins", "diamonds"))
    assert (platform.likes_revenue, platform.gifts_donations) == ("None", "Yes")
    assert platform.rank == 1  # the seed table's first row: tables list it first


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


def test_the_bundled_id_catalogue_keeps_its_source_and_date():
    catalogue = bundled_ids()
    assert catalogue.source.url == (
        "https://github.com/jwdeveloper/TikTokLiveJava/blob/c23faffcdeb964dc197ecc4c5adad57bc0ddb2a2/"
        "API/src/main/java/io/github/jwdeveloper/tiktok/data/models/gifts/Gift.java"
    )
    assert catalogue.source.as_of == "2024-01-05"
    assert len(catalogue.ids) == 681 and catalogue.gifts == {}  # found by id only
    found = {
        gift_id: (catalogue.find_id(gift_id).name, catalogue.find_id(gift_id).coins) for gift_id in ("5655", "5886")
    }
    assert found == {"5655": ("Rose", 1), "5886": ("Galaxy", 1000)}
    assert catalogue.find_id("5828") is None  # in no public list (case 04's records carry their own price)
    assert "conflict" in catalogue.find_id("6671").note


def by_id(gift_id, name, count=1, **fields):
    return Gift(platform="tiktok", gift=name, gift_id=gift_id, count=count, **fields)


def test_a_gift_known_by_its_id_only_is_priced_by_id(pm):
    result = value(pm, by_id("5655", "gift 5655", count=2))
    # gift id 5655 is the Rose, 1 coin: 2 coins; the creator 2 × 0.005 = 0.01
    assert result.units["coins"] == 2 and result.net == usd("0.01")
    assert result.explain[0].startswith("2 × gift id 5655 (Rose) at 1 coin each = 2 coins [jwdeveloper/TikTokLiveJava")
    assert "2024-01-05" in result.explain[0]


def test_the_id_wins_over_the_name(pm):
    # TikTok has "Love you" (1 coin in the name catalogue) and "Love You" (199); id 6671 is 199 coins in
    # TikTok's own gift lists (TikTokLiveJava), with the conflict noted.
    result = value(pm, by_id("6671", "Love you"))
    assert result.units["coins"] == 199 and result.net == usd("0.995")
    assert any(line.startswith("gift id 6671 (Love You): conflict") for line in result.explain)
    assert value(pm, gift("Love you")).units["coins"] == 1  # by name alone: the name catalogue's


def test_an_id_no_catalogue_has_falls_back_to_the_name_then_is_unknown(pm):
    galaxy = value(pm, by_id("11046", "Galaxy"))  # Galaxy's later id, not in the January 2024 list
    assert galaxy.units["coins"] == 1000 and "rqinix/TNTCoin" in galaxy.explain[0]
    unknown = value(pm, by_id("99999", "gift 99999"))
    assert unknown.unknown
    assert "gift 'gift 99999' (gift id 99999) is in no gift catalogue, by id or by name" in unknown.reason


def test_a_users_catalogue_gives_gifts_by_id(pm, tmp_path):
    path = tmp_path / "gifts.json"
    entries = [
        {"id": 11046, "name": "Galaxy", "coins": 1000},
        {"id": "5655", "coins": 2},
        {"name": "Golden Walrus", "coins": 700},
    ]
    path.write_text(
        json.dumps({"source": {"title": "my list", "as_of": "2026-11-01"}, "gifts": entries}), encoding="utf-8"
    )
    mine = {"tiktok.catalogue": str(path)}
    galaxy = value(pm, by_id("11046", "gift 11046"), **mine)
    assert galaxy.units["coins"] == 1000
    assert galaxy.explain[0] == "1 × gift id 11046 (Galaxy) at 1000 coins each = 1000 coins [my list, 2026-11-01]"
    assert value(pm, by_id("5655", "Rose", count=10), **mine).units["coins"] == 20  # your 2 coins a Rose
    assert value(pm, gift("Golden Walrus"), **mine).net == usd("3.50")  # an entry without id: by name
    assert value(pm, by_id("5886", "Galaxy"), **mine).units["coins"] == 1000  # not yours: the bundled id


@pytest.mark.parametrize(
    ("gifts", "problem"),
    [
        ([{"id": 5655}], "gifts[1]: not an entry"),
        ([{"id": "rose", "coins": 1}], "gifts[1]: id 'rose' is not a gift id"),
        ([{"id": 5655, "coins": 1}, {"id": "5655", "coins": 2}], "gifts[2]: id 5655 is listed twice"),
        ([{"name": "", "coins": 1}], "gifts[1]: name '' is not a gift name"),
        ([{"id": 5655, "coins": -1}], "is not a whole number of coins"),
    ],
)
def test_a_bad_id_entry_makes_the_gift_unknown_naming_the_file(pm, tmp_path, gifts, problem):
    path = tmp_path / "gifts.json"
    path.write_text(json.dumps({"gifts": gifts}), encoding="utf-8")
    result = value(pm, by_id("5655", "Rose"), **{"tiktok.catalogue": str(path)})
    assert result.unknown and str(path) in result.reason and problem in result.reason


def test_a_gift_to_a_guest_says_so_in_its_receipt(pm):
    to_guest = value(pm, gift(recipient="7300000000000000002", host="7300000000000000001"))
    assert "sent to user 7300000000000000002, not the host 7300000000000000001 (the record says so)" in "\n".join(
        to_guest.explain
    )
    to_host = value(pm, gift(recipient="7300000000000000001", host="7300000000000000001"))
    assert "sent to user 7300000000000000001 (the host)" in to_host.explain


def test_other_platforms_are_not_answered(pm):
    context = Context()
    assert livemoney_tiktok.PLUGIN.livemoney_value_gift(platform="youtube", gift=gift(), context=context) is None
    assert livemoney_tiktok.PLUGIN.livemoney_donation_features(platform="youtube", context=context) is None


# --- gifts ---------------------------------------------------------------------------------------


def test_100_roses_bought_in_the_app(pm):
    result = value(pm, gift(count=100))
    viewer_paid = 100 * APP_COIN  # 1.41428571428…
    assert ten(viewer_paid) == Decimal("1.4142857143")
    assert ten(Decimal("0.30") * viewer_paid) == Decimal("0.4242857143")
    creator = 100 * 1 * Decimal("0.005")  # 100 coins = 100 diamonds at 0.005 USD = 0.50
    assert result.gross == usd("1.4142857143")
    # TikTok keeps the rest: 1.4142857143 − 0.4242857143 − 0.50 = 0.49
    assert parts(result) == ([("App store", Decimal("0.4242857143")), ("TikTok", Decimal("0.49"))], creator)
    assert result.units == {"coins": Decimal(100), "diamonds": Decimal(100)}
    assert check_invariants(result, "USD") == []
    # The receipt: gross 1.41 and the fixed net 0.50 each rounded once; the shares by running totals after it,
    # TikTok (who takes the rest) last:
    # 0.50 + 0.4242857143 = 0.9242857143 → 0.92, so App store 0.42; then gross 1.41, so TikTok 0.49.
    shown = result.shown()
    assert shown.gross == usd("1.41")
    assert parts(shown) == ([("App store", Decimal("0.42")), ("TikTok", Decimal("0.49"))], Decimal("0.50"))
    assert result.explain[-1].startswith("exact: gross 1.4142857143 = App store 0.4242857143 + TikTok 0.49")


def test_one_rose_earns_its_half_cent_exactly(pm):
    result = value(pm, gift(count=1))
    # 1 coin: the viewer paid 0.99/70 = 0.0141428571…; the creator 1 diamond × 0.005 = 0.005, kept exact
    # (rounded alone it would show 0.00, half-even; 10,000 such Roses must still come to 50.00).
    assert (result.gross, result.net) == (usd("0.0141428571"), usd("0.005"))
    assert result.share("App store") == usd("0.0042428571")  # 0.3 × 0.0141428571…
    assert result.share("TikTok") == usd("0.0049")  # 0.0141428571 − 0.0042428571 − 0.005
    assert result.shown().net == usd("0.00")
    assert value(pm, gift(count=10_000)).net == usd("50.00")  # 10,000 × 0.005


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
    viewer_paid = 100 * WEB_COIN  # 1.05714285714…
    assert result.gross == usd(ten(viewer_paid)) == usd("1.0571428571")
    # No app store on the web; the creator's 0.50 is the same; TikTok 1.0571428571 − 0.50 = 0.5571428571.
    assert parts(result) == ([("TikTok", Decimal("0.5571428571"))], Decimal("0.50"))
    shown = result.shown()  # 1.06 = TikTok 0.56 + net 0.50
    assert (shown.gross, parts(shown)) == (usd("1.06"), ([("TikTok", Decimal("0.56"))], Decimal("0.50")))
    assert "no fee, the coins were bought on the web" in "\n".join(result.explain)


def test_the_events_own_price_wins_over_the_catalogue(pm):
    result = value(pm, gift("Rose", count=3, amount=Money(150, "coins")))
    coins = 3 * 150  # webcast diamond_count 150, not the catalogue's 1
    assert ten(coins * APP_COIN) == Decimal("6.3642857143")
    assert ten(Decimal("0.30") * coins * APP_COIN) == Decimal("1.9092857143")
    assert result.gross == usd("6.3642857143")
    # creator 450 × 0.005 = 2.25; TikTok 6.3642857143 − 1.9092857143 − 2.25 = 2.205
    assert parts(result) == ([("App store", Decimal("1.9092857143")), ("TikTok", Decimal("2.205"))], Decimal("2.25"))
    # shown: net 2.25; 2.25 + 1.9092857143 = 4.1592857143 → 4.16, App store 1.91; gross 6.36, TikTok 2.20
    assert parts(result.shown()) == ([("App store", Decimal("1.91")), ("TikTok", Decimal("2.20"))], Decimal("2.25"))
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
    assert ten(coins * Decimal("0.005")) == Decimal("35.3535353535")
    assert result.gross == usd("100.00")
    # App store 30.00; creator 35.3535353535; TikTok 100 − 30 − 35.3535353535 = 34.6464646465
    assert parts(result) == (
        [("App store", Decimal("30.00")), ("TikTok", Decimal("34.6464646465"))],
        Decimal("35.3535353535"),
    )
    assert parts(result.shown()) == ([("App store", Decimal("30.00")), ("TikTok", Decimal("34.65"))], Decimal("35.35"))
    assert result.units["coins"] == coins
    web = value(pm, gift("gifts", amount=usd(100)), **{"tiktok.purchase_channel": "web"})
    # 100 / (0.74/70) = 9,459.459… coins × 0.005 = 47.2972972973 to the creator, 52.7027027027 to TikTok
    assert ten(100 / WEB_COIN * Decimal("0.005")) == Decimal("47.2972972973")
    assert parts(web) == ([("TikTok", Decimal("52.7027027027"))], Decimal("47.2972972973"))
    assert parts(web.shown()) == ([("TikTok", Decimal("52.70"))], Decimal("47.30"))


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
    gross = ten(100 * APP_COIN * rate)  # 1.3220094544
    app_store = ten(Decimal("0.30") * 100 * APP_COIN * rate)  # 0.3966028363
    creator = ten(Decimal("0.50") * rate)  # 0.4673770798
    assert (gross, app_store, creator) == (Decimal("1.3220094544"), Decimal("0.3966028363"), Decimal("0.4673770798"))
    assert result.gross == Money(gross, "EUR")
    # TikTok 1.3220094544 − 0.3966028363 − 0.4673770798 = 0.4580295383
    assert parts(result) == ([("App store", app_store), ("TikTok", Decimal("0.4580295383"))], creator)
    # shown: gross 1.32, net 0.47; 0.4673770798 + 0.3966028363 = 0.8639799161 → 0.86: App store 0.39, TikTok 0.46
    assert parts(result.shown()) == ([("App store", Decimal("0.39")), ("TikTok", Decimal("0.46"))], Decimal("0.47"))
    assert any("ECB reference rate of 2024-05-02" in line for line in result.explain)


def test_a_spend_in_euros_buys_coins_at_the_usd_pack_price_of_that_day(pm):
    result = value(pm, gift("gifts", amount=Money(100, "EUR"), ts=MAY_2_2024))
    spent_usd = 100 * Decimal("1.0698")  # 106.98 USD
    coins = spent_usd / APP_COIN  # 7,564.24… coins
    assert result.gross == usd("106.98")
    assert result.share("App store") == usd("32.094")  # 30% of 106.98
    assert result.net == usd(ten(coins * Decimal("0.005"))) == usd("37.8212121212")
    assert result.share("TikTok") == usd("37.0647878788")  # 106.98 − 32.094 − 37.8212121212


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
    creator = ten(Decimal("0.5") * 100 * APP_COIN)  # 0.7071428571
    # TikTok 1.4142857143 − 0.4242857143 − 0.7071428571 = 0.2828571429
    assert parts(result) == ([("App store", Decimal("0.4242857143")), ("TikTok", Decimal("0.2828571429"))], creator)
    assert parts(result.shown()) == ([("App store", Decimal("0.42")), ("TikTok", Decimal("0.28"))], Decimal("0.71"))
    assert "tiktok.rewards_rate = 0.5 fraction (your setting)" in "\n".join(result.explain)


def test_overrides_replace_any_figure(pm):
    result = value(
        pm,
        gift(count=100),
        **{"tiktok.diamond_usd": "0.004", "tiktok.coin_pack_app": "100/1.39", "tiktok.app_store_rate": "0.15"},
    )
    # Pack table C: 100 coins = 1.39 USD; 15% app store: 0.2085; creator 100 × 0.004 = 0.40; TikTok 0.7815.
    assert result.gross == usd("1.39")
    assert parts(result) == ([("App store", Decimal("0.2085")), ("TikTok", Decimal("0.7815"))], Decimal("0.40"))
    # shown: 0.40 + 0.2085 = 0.6085 → 0.61, App store 0.21; TikTok 1.39 − 0.61 = 0.78
    assert parts(result.shown()) == ([("App store", Decimal("0.21")), ("TikTok", Decimal("0.78"))], Decimal("0.40"))
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
    # App store 0.30 × 4.99 = 1.497; TikTok 0.30 × (4.99 − 1.497) = 0.30 × 3.493 = 1.0479; the creator
    # 0.70 × 3.493 = 2.4451.
    assert result.gross == usd("4.99")
    assert parts(result) == ([("App store", Decimal("1.497")), ("TikTok", Decimal("1.0479"))], Decimal("2.4451"))
    # shown: the creator takes the rest, so the shares are rounded first, by running totals: App store
    # 1.497 → 1.50; 1.497 + 1.0479 = 2.5449 → 2.54, TikTok 1.04; the creator 4.99 − 2.54 = 2.45
    assert parts(result.shown()) == ([("App store", Decimal("1.50")), ("TikTok", Decimal("1.04"))], Decimal("2.45"))


def test_a_subscription_bought_on_the_web_pays_no_app_store(pm):
    result = value(pm, subscription(ts=NOV_2025), **{"tiktok.purchase_channel": "web"})
    # TikTok 0.30 × 4.99 = 1.497; creator 3.493 (shown 3.49, and TikTok 4.99 − 3.49 = 1.50)
    assert parts(result) == ([("TikTok", Decimal("1.497"))], Decimal("3.493"))
    assert parts(result.shown()) == ([("TikTok", Decimal("1.50"))], Decimal("3.49"))


def test_a_subscription_outside_the_us_gives_the_creator_half(pm):
    result = value(pm, subscription(ts=NOV_2025), **{"tiktok.subscription_region": "elsewhere"})
    # creator 0.50 × 4.99 = 2.495; App store 1.497; TikTok 4.99 − 2.495 − 1.497 = 0.998.
    assert parts(result) == ([("App store", Decimal("1.497")), ("TikTok", Decimal("0.998"))], Decimal("2.495"))
    # shown: App store 1.497 → 1.50; 1.497 + 0.998 = 2.495 → 2.50 (half-even), TikTok 1.00; the creator,
    # who takes the rest, 4.99 − 2.50 = 2.49
    assert parts(result.shown()) == ([("App store", Decimal("1.50")), ("TikTok", Decimal("1.00"))], Decimal("2.49"))


def test_the_subscription_share_is_unknown_before_its_first_sourced_rule(pm):
    september = subscription(ts=dt.datetime(2025, 9, 30, 12, tzinfo=dt.UTC))
    result = value(pm, september)
    assert result.unknown
    assert result.reason == (
        "tiktok.subscription_share: no source gives its value before 2025-10-01 (rules of 2025-09-30); set it"
    )
    # as_of picks the rules of another date than the event's own
    assert value(pm, september, as_of="2025-10-01").net == usd("2.4451")
    assert value(pm, subscription(ts=NOV_2025), as_of="2025-09-30").unknown
    # a share you set applies on any date
    assert value(pm, september, **{"tiktok.subscription_share": "0.70"}).net == usd("2.4451")


def test_a_subscription_without_a_price_needs_the_price_setting(pm):
    event = Donation(platform="tiktok", feature="subscription", count=2, ts=NOV_2025)
    unknown = value(pm, event)
    assert unknown.unknown and "tiktok.subscription_price" in unknown.reason
    result = value(pm, event, **{"tiktok.subscription_price": "4.99"})
    # 2 × 4.99 = 9.98; App store 2.994; TikTok 0.30 × 6.986 = 2.0958; creator 0.70 × 6.986 = 4.8902
    assert result.gross == usd("9.98")
    assert parts(result) == ([("App store", Decimal("2.994")), ("TikTok", Decimal("2.0958"))], Decimal("4.8902"))


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
    rows = {row.feature: row.valuation for row in lm.compare(100, pm=pm).rows}
    assert rows["gifts"].net == usd("35.3535353535")  # 7,070.70… coins × 0.005
    assert rows["subscription"].net == usd("49.00")  # 0.70 × (100 − 30)
    assert rows["likes"].net == usd("0.00")
    web = {row.feature: row.valuation for row in lm.compare(100, channel="web", pm=pm).rows}
    assert (web["gifts"].net, web["subscription"].net) == (usd("47.2972972973"), usd("70.00"))
    assert web["gifts"].shown().net == usd("47.30")


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
    gross, net = coins * per_coin * rate, coins * Decimal("0.005") * rate
    assert result.gross.amount == ten(gross)  # exact, to 10 places
    assert result.net.amount == ten(net)
    assert result.share("TikTok").amount >= 0
    shown = result.shown()  # each rounded once, from the exact figure
    assert shown.gross.amount == ten(gross).quantize(quantum, ROUND_HALF_EVEN)
    assert shown.net.amount == ten(net).quantize(quantum, ROUND_HALF_EVEN)
    assert check_invariants(shown, currency) == []


# --- the figures livemoney promises, in a log and in euro ---------------------------------------


def test_1000_likes_earn_nothing(pm):
    result = value(pm, Like(platform="tiktok", count=1000))
    assert result.net == result.gross == usd("0.00")


def test_roses_and_likes_in_a_log_valued_in_euro(pm, tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text(
        '{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 5, "viewer": "v1", "ts": "2026-10-01T20:00:05Z"}\n'
        '{"type": "like", "platform": "tiktok", "count": 120, "ts": "2026-10-01T20:04:00Z"}\n',
        encoding="utf-8",
    )
    report = lm.value(log, currency="EUR", pm=pm, progress=False)
    assert report.row("tiktok", "like").gross == Money(Decimal(0), "EUR")  # 120 likes earn nothing
    context = lm.context(currency="EUR", pm=pm)
    each = [lm.value_event(event, context, pm) for event in lm.read_events(log, pm=pm)]
    assert report.exact.gross.amount == sum(v.gross.amount for v in each if not v.unknown)
    assert report.exact.net.amount == sum(v.net.amount for v in each if not v.unknown)
    assert report.unknown == sum(1 for v in each if v.unknown)
