import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import livemoney_instagram
from hypothesis import given
from hypothesis import strategies as st
from livemoney import UNKNOWN, Context, Donation, Gift, Like, Money, Sale, Sponsorship
from livemoney.api import context, declared_settings, platforms, value_event
from livemoney.fx import ecb_rates
from livemoney.plugins import get_plugin_manager

UTC = dt.UTC
CENT = Decimal("0.01")


def badge(amount="4.99", currency="USD", **fields):
    return Donation(platform="instagram", feature="badge", amount=Money(amount, currency), **fields)


def stars(count, **fields):
    return Donation(platform="instagram", feature="stars", amount=Money(count, "stars"), **fields)


def cents(value):
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


# --- Badges ---------------------------------------------------------------------------------


def test_a_4_99_badge_leaves_the_creator_3_49(pm):
    result = value_event(badge(), Context(), pm)
    # app store: 4.99 * 0.30 = 1.497 -> 1.50 (rounded once); Meta 0; creator 4.99 - 1.50 - 0 = 3.49
    assert result.gross == Money("4.99", "USD")
    assert [(s.party, s.amount) for s in result.shares] == [
        ("App store", Money("1.50", "USD")),
        ("Meta", Money("0.00", "USD")),
    ]
    assert result.net == Money("3.49", "USD")
    assert not result.unknown
    assert result.units == {"badges": Decimal(1)}
    assert any("help.instagram.com/1119102301790334" in line for line in result.explain)


def test_three_badges_of_1_99(pm):
    result = value_event(badge("1.99", count=3), Context(), pm)
    # 3 * 1.99 = 5.97; app store 5.97 * 0.30 = 1.791 -> 1.79; creator 5.97 - 1.79 = 4.18
    assert result.gross == Money("5.97", "USD")
    assert result.share("App store") == Money("1.79", "USD")
    assert result.net == Money("4.18", "USD")


def test_a_badge_after_2024_is_unknown_and_says_why(pm):
    result = value_event(badge(ts=dt.datetime(2025, 3, 1, 20, 0, tzinfo=UTC)), Context(), pm)
    assert result.unknown
    assert "until 2024" in result.reason and "after 2024" in result.reason
    assert "instagram.meta_share" in result.reason
    assert result.gross == result.net == Money("0", "USD")


def test_the_same_badge_with_rules_as_of_2023_is_known(pm):
    event = badge(ts=dt.datetime(2025, 3, 1, 20, 0, tzinfo=UTC))
    result = value_event(event, Context(as_of=dt.date(2023, 6, 1)), pm)
    assert not result.unknown
    assert result.net == Money("3.49", "USD")
    # in 2023 the rule in force is Meta's promise of 2022-06 ("until 2024")
    assert any("until 2024" in line and "rule in force from 2022-06-01" in line for line in result.explain)


def test_a_badge_of_2024_is_still_known(pm):
    result = value_event(badge(ts=dt.datetime(2024, 12, 31, 23, 59, tzinfo=UTC)), Context(), pm)
    assert not result.unknown and result.net == Money("3.49", "USD")


def test_as_of_after_2024_makes_a_dateless_badge_unknown(pm):
    result = value_event(badge(), Context(as_of=dt.date(2025, 6, 1)), pm)
    assert result.unknown and "2024" in result.reason


def test_a_meta_share_you_set_is_taken_of_what_the_viewer_paid(pm):
    ctx = context(settings={"instagram.meta_share": "0.05"}, pm=pm)
    result = value_event(badge(ts=dt.datetime(2025, 3, 1, tzinfo=UTC)), ctx, pm)
    # app store 4.99 * 0.30 = 1.497 -> 1.50; Meta 4.99 * 0.05 = 0.2495 -> 0.25; creator 4.99 - 1.50 - 0.25 = 3.24
    assert not result.unknown
    assert result.share("App store") == Money("1.50", "USD")
    assert result.share("Meta") == Money("0.25", "USD")
    assert result.net == Money("3.24", "USD")
    assert "instagram.meta_share = 0.05 fraction (your setting)" in " ".join(result.explain)
    meta = next(share for share in result.shares if share.party == "Meta")
    assert meta.source is None


def test_no_app_store_fee_when_set_to_zero(pm):
    ctx = context(settings={"instagram.app_store_rate": "0"}, pm=pm)
    assert value_event(badge("1.99"), ctx, pm).net == Money("1.99", "USD")


def test_a_badge_in_euro_with_the_ecb_rate_of_its_day(pm):
    day = dt.date(2023, 6, 1)
    # ECB reference rate of 2023-06-01: 1 EUR = 1.0697 USD
    rate = ecb_rates().rate("USD", "EUR", day)
    assert rate.rate == 1 / Decimal("1.0697") and rate.date == day
    event = badge(ts=dt.datetime(2023, 6, 1, 21, 30, tzinfo=UTC))
    result = value_event(event, Context(currency="EUR"), pm)
    # gross 4.99 / 1.0697 = 4.6648... -> 4.66 EUR; app store 1.497 / 1.0697 = 1.39946... -> 1.40 EUR
    assert result.gross == Money("4.66", "EUR")
    assert result.share("App store") == Money("1.40", "EUR")
    assert result.share("Meta") == Money("0.00", "EUR")
    assert result.net == Money("3.26", "EUR")  # 4.66 - 1.40 - 0.00
    assert any("ECB reference rate of 2023-06-01" in line for line in result.explain)


def test_a_badge_without_money_is_unknown(pm):
    no_amount = Donation(platform="instagram", feature="badge")
    in_stars = badge("3", "stars")
    for event in (no_amount, in_stars):
        result = value_event(event, Context(), pm)
        assert result.unknown and "Badge" in result.reason


# --- Gifts (Stars) --------------------------------------------------------------------------


def test_45_stars_cost_the_viewer_0_99(pm):
    result = value_event(stars(45), Context(), pm)
    # viewer 45 * 0.99 / 45 = 0.99; app store 0.99 * 0.30 = 0.297 -> 0.30; creator 45 * 0.01 = 0.45;
    # Meta 0.99 - 0.30 - 0.45 = 0.24
    assert result.gross == Money("0.99", "USD")
    assert result.share("App store") == Money("0.30", "USD")
    assert result.net == Money("0.45", "USD")
    assert result.share("Meta") == Money("0.24", "USD")
    assert result.units == {"stars": Decimal(45)}


def test_a_gift_of_10_stars_sent_3_times(pm):
    gift = Gift(platform="instagram", gift="Heart", count=3, amount=Money(10, "stars"))
    result = value_event(gift, Context(), pm)
    # 30 stars: viewer 30 * 0.99 / 45 = 0.66; app store 0.198 -> 0.20; creator 0.30; Meta 0.66 - 0.20 - 0.30 = 0.16
    assert (result.kind, result.gross, result.net) == ("gift", Money("0.66", "USD"), Money("0.30", "USD"))
    assert result.share("App store") == Money("0.20", "USD")
    assert result.share("Meta") == Money("0.16", "USD")


def test_100_usd_spent_on_stars(pm):
    spend = Donation(platform="instagram", feature="stars", amount=Money(100, "USD"))
    result = value_event(spend, Context(), pm)
    # 100 USD buys 100 * 45 / 0.99 = 4545.45... stars; creator 45.4545... -> 45.45; app store 30.00
    assert result.net == Money("45.45", "USD")
    assert result.share("App store") == Money("30.00", "USD")
    assert result.share("Meta") == Money("24.55", "USD")  # 100 - 30 - 45.45


def test_a_gift_with_no_amount_is_unknown(pm):
    result = value_event(Gift(platform="instagram", gift="Rose"), Context(), pm)
    assert result.unknown and "Rose" in result.reason


# --- likes, sales, other features ------------------------------------------------------------


def test_hearts_earn_nothing(pm):
    result = value_event(Like(platform="instagram", count=500), Context(currency="EUR"), pm)
    assert result.net == Money("0", "EUR") and result.gross == Money("0", "EUR")
    assert "Explore" in result.explain[0] and "Badges" in result.explain[0]


def test_sales_and_unknown_features_are_unknown(pm):
    sale = value_event(Sale(platform="instagram", amount=Money(20, "USD")), Context(), pm)
    assert sale.unknown and "product" in sale.reason
    other = value_event(Donation(platform="instagram", feature="super_chat", amount=Money(5, "USD")), Context(), pm)
    assert other.unknown and "badge, stars" in other.reason


def test_a_sponsorship_goes_to_the_creator(pm):
    result = value_event(Sponsorship(platform="instagram", amount=Money(250, "USD")), Context(), pm)
    assert result.net == Money("250.00", "USD") and result.shares == ()


def test_other_platforms_are_left_to_their_plugins(pm):
    donation = Donation(platform="facebook", feature="stars", amount=Money(100, "stars"))
    assert pm.hook.livemoney_value_donation(platform="facebook", donation=donation, context=Context()) is None
    assert pm.hook.livemoney_donation_features(platform="facebook", context=Context()) is None


# --- describing the platform ----------------------------------------------------------------


def test_the_platform_row_of_the_seed_table(pm):
    (platform,) = platforms(pm)
    assert (platform.key, platform.name, platform.likes_revenue, platform.gifts_donations) == (
        "instagram",
        "Instagram Live",
        "None",
        "Limited (Badges)",
    )
    assert platform.units == ("stars",)


def test_donation_features(pm):
    badges, gifts = pm.hook.livemoney_donation_features(platform="instagram", context=Context())
    assert (badges.key, badges.availability, badges.creator_share) == ("badge", "limited", Decimal("0.70"))
    assert badges.price_points == (Decimal("0.99"), Decimal("1.99"), Decimal("4.99"))
    assert (gifts.key, gifts.availability, gifts.unit) == ("stars", "limited", "stars")
    assert gifts.creator_share == Decimal("0.01") * 45 / Decimal("0.99")
    later, _ = pm.hook.livemoney_donation_features(platform="instagram", context=Context(as_of="2025-02-01"))
    assert later.creator_share is None


def test_every_figure_is_a_setting_with_a_source(pm):
    settings = {setting.key: setting for setting in declared_settings(pm)}
    assert set(settings) == {
        "instagram.badge_prices",
        "instagram.app_store_rate",
        "instagram.meta_share",
        "instagram.star_usd",
        "instagram.star_pack",
    }
    for setting in settings.values():
        assert setting.source.url and setting.source.as_of, setting.key
    history = settings["instagram.meta_share"].history
    assert [(rule.since, rule.value) for rule in history] == [
        (dt.date(2021, 11, 1), Decimal(0)),
        (dt.date(2022, 6, 1), Decimal(0)),
        (dt.date(2025, 1, 1), UNKNOWN),
    ]
    assert history[-1].source.url is None and "after 2024" in history[-1].source.title


def test_the_entry_point_registers_the_plugin():
    pm = get_plugin_manager()
    assert pm.get_plugin("instagram") is livemoney_instagram


# --- properties -----------------------------------------------------------------------------

PM = get_plugin_manager(load_entry_points_=False)
PM.register(livemoney_instagram, name="instagram")
rates = st.integers(min_value=0, max_value=50).map(lambda n: Decimal(n) / 100)


@given(
    amount=st.integers(min_value=0, max_value=10_000_000).map(lambda n: Decimal(n) / 100),
    count=st.integers(min_value=1, max_value=50),
    store=rates,
    meta=rates,
)
def test_badge_shares_are_rounded_as_a_running_total_and_the_creator_gets_the_rest(amount, count, store, meta):
    ctx = context(settings={"instagram.app_store_rate": store, "instagram.meta_share": meta}, pm=PM)
    result = value_event(badge(amount, count=count), ctx, PM)
    paid = amount * count
    assert result.gross == Money(paid, "USD")
    assert result.share("App store") == Money(cents(paid * store), "USD")
    # Meta's share is the rounded running total of both cuts less the app store's rounded cut.
    assert result.share("Meta") == Money(cents(paid * store + paid * meta) - cents(paid * store), "USD")
    assert result.net.amount == paid - cents(paid * store + paid * meta)
    assert result.gross.amount == sum(s.amount.amount for s in result.shares) + result.net.amount


@given(count=st.integers(min_value=1, max_value=1_000_000))
def test_stars_pay_the_creator_one_cent_each_and_meta_keeps_a_non_negative_rest(count):
    result = value_event(stars(count), Context(), PM)
    paid = Decimal(count) * Decimal("0.99") / 45
    assert result.gross.amount == cents(paid)
    assert result.net.amount == cents(Decimal(count) / 100)
    assert result.share("App store").amount == cents(paid * Decimal("0.30"))
    assert result.share("Meta").amount >= 0
