"""Facebook Stars valued by the plugin's rules: the creator earns facebook.star_usd = 0.01 USD a Star, a
viewer pays facebook.star_pack = 100 Stars for 1.40 USD (0.014 a Star), Meta keeps the rest. Amounts are
exact (to 10 decimal places); a receipt or a report rounds each figure once. Every amount is worked out
by hand in the test."""

import datetime as dt
from decimal import Decimal

import livemoney as lm
import livemoney_facebook
from hypothesis import given
from hypothesis import strategies as st
from livemoney import (
    Context,
    Donation,
    Gift,
    Like,
    Money,
    Sale,
    Sponsorship,
    context,
    declared_settings,
    platforms,
    value_event,
)
from livemoney.kit import ecb_rates

UTC = dt.UTC


def usd(amount):
    return Money(amount, "USD")


def eur(amount):
    return Money(amount, "EUR")


def stars(count, **fields):
    return Donation(platform="facebook", feature="stars", amount=Money(count, "stars"), **fields)


def figures(valuation):
    """(gross, shares, net) as plain amounts, to compare with the hand-worked ones."""
    return valuation.gross, [(share.party, share.amount) for share in valuation.shares], valuation.net


# --- Stars ----------------------------------------------------------------------------------


def test_100_stars(pm):
    result = value_event(stars(100), Context(), pm)
    # the viewer paid 100 × 1.40 / 100 = 1.40; the creator earns 100 × 0.01 = 1.00; Meta 1.40 − 1.00 = 0.40
    assert figures(result) == (usd("1.40"), [("Meta", usd("0.40"))], usd("1.00"))
    assert result.units == {"stars": Decimal(100)}
    assert not result.unknown
    explained = " ".join(result.explain)
    assert "facebook.star_pack = 100/1.40 stars/USD [thexploretech" in explained
    assert "facebook.star_usd = 0.01 USD/star [Meta for Creators: Stars" in explained
    assert result.explain[-1] == (
        "exact: gross 1.40 = Meta 0.40 + net 1.00 USD; shown rounded once (half-even): gross 1.40 = Meta 0.40 + net 1.00 USD"
    )


def test_one_star_is_kept_exact_and_shown_rounded_once(pm):
    result = value_event(stars(1), Context(), pm)
    # the viewer paid 1 × 0.014 = 0.014; the creator earns 0.01; Meta 0.004
    assert figures(result) == (usd("0.014"), [("Meta", usd("0.004"))], usd("0.01"))
    # shown: gross 0.014 → 0.01, net 0.01; Meta is what is left of the shown gross, 0.00
    assert figures(result.shown()) == (usd("0.01"), [("Meta", usd("0.00"))], usd("0.01"))


def test_seven_stars(pm):
    result = value_event(stars(7), Context(), pm)
    # 7 × 0.014 = 0.098 paid; 7 × 0.01 = 0.07 to the creator; Meta 0.028
    assert figures(result) == (usd("0.098"), [("Meta", usd("0.028"))], usd("0.07"))
    # shown: gross 0.098 → 0.10, net 0.07, Meta 0.10 − 0.07 = 0.03
    assert figures(result.shown()) == (usd("0.10"), [("Meta", usd("0.03"))], usd("0.07"))


def test_a_gift_of_50_stars_sent_3_times(pm):
    gift = Gift(platform="facebook", gift="Stars", count=3, amount=Money(50, "stars"))
    result = value_event(gift, Context(), pm)
    # 150 Stars: 150 × 0.014 = 2.10 paid; 150 × 0.01 = 1.50 to the creator; Meta 0.60
    assert (result.kind, *figures(result)) == ("gift", usd("2.10"), [("Meta", usd("0.60"))], usd("1.50"))
    assert result.units == {"stars": Decimal(150)}


def test_100_usd_spent_on_stars(pm):
    result = value_event(Donation(platform="facebook", feature="stars", amount=usd(100)), Context(), pm)
    # 100 USD buys 100 × 100 / 1.40 = 7142.857142857… Stars, which earn the creator 71.428571428571… → 71.4285714286
    # (10 places); Meta 100 − 71.4285714286 = 28.5714285714
    assert figures(result) == (usd("100.00"), [("Meta", usd("28.5714285714"))], usd("71.4285714286"))
    assert result.units["stars"].quantize(Decimal("0.001")) == Decimal("7142.857")
    # shown: 100.00 = Meta 28.57 + creator 71.43
    assert figures(result.shown()) == (usd("100.00"), [("Meta", usd("28.57"))], usd("71.43"))


def test_stars_valued_in_euro_at_the_ecb_rate_of_their_day(pm):
    # ECB reference rate of 2023-06-01: 1 EUR = 1.0697 USD
    assert ecb_rates().rate("EUR", "USD", dt.date(2023, 6, 1)).rate == Decimal("1.0697")
    result = value_event(stars(100, ts=dt.datetime(2023, 6, 1, 21, 0, tzinfo=UTC)), Context(currency="EUR"), pm)
    # gross 1.40 / 1.0697 = 1.30877816210… → 1.3087781621; net 1.00 / 1.0697 = 0.93484154435… → 0.9348415444;
    # Meta the rest, 1.3087781621 − 0.9348415444 = 0.3739366177
    assert figures(result) == (eur("1.3087781621"), [("Meta", eur("0.3739366177"))], eur("0.9348415444"))
    # shown: gross 1.31, net 0.93, Meta 1.31 − 0.93 = 0.38 (its own 0.3739… alone would show 0.37)
    assert figures(result.shown()) == (eur("1.31"), [("Meta", eur("0.38"))], eur("0.93"))
    assert "exchange: 1 USD = 0.934841544358231279798074226" in " ".join(result.explain)


def test_euro_spent_on_stars_buys_stars_at_the_usd_price(pm):
    spend = Donation(
        platform="facebook", feature="stars", amount=Money(10, "EUR"), ts=dt.datetime(2023, 6, 1, tzinfo=UTC)
    )
    result = value_event(spend, Context(), pm)
    # 10 EUR × 1.0697 = 10.697 USD buys 10.697 / 0.014 = 764.0714285714… Stars: 7.640714285714… → 7.6407142857
    # to the creator; Meta 10.697 − 7.6407142857 = 3.0562857143
    assert figures(result) == (usd("10.697"), [("Meta", usd("3.0562857143"))], usd("7.6407142857"))
    assert figures(result.shown()) == (usd("10.70"), [("Meta", usd("3.06"))], usd("7.64"))


def test_a_star_price_you_set_is_used_and_said(pm):
    ctx = context(settings={"facebook.star_pack": "100/1.99"}, pm=pm)
    result = value_event(stars(100), ctx, pm)
    # 100 Stars at 1.99 a hundred: the viewer paid 1.99; the creator still earns 1.00; Meta 0.99
    assert figures(result) == (usd("1.99"), [("Meta", usd("0.99"))], usd("1.00"))
    assert "facebook.star_pack = 100/1.99 stars/USD (your setting)" in result.explain[0]


# --- a report rounds each figure once --------------------------------------------------------


def test_a_report_of_ten_thousand_single_stars_is_their_exact_sum_rounded_once(pm):
    report = lm.value([stars(1) for _ in range(10_000)], pm=pm, progress=False)
    # each Star: 0.014 paid, 0.01 to the creator, 0.004 to Meta; shown alone, each would be 0.01 paid and
    # Meta 0.00, so 10,000 of them would show 100.00 paid and nothing to Meta. Summed exactly:
    # 10,000 × 0.014 = 140.00 paid, 10,000 × 0.01 = 100.00 to the creator, 10,000 × 0.004 = 40.00 to Meta
    assert (report.gross, report.shares, report.net) == (usd("140.00"), {"Meta": usd("40.00")}, usd("100.00"))
    row = report.row("facebook", "donation")
    assert (row.events, row.units) == (10_000, {"stars": Decimal(10_000)})
    assert report.counts_line() == (
        "records 10000 = events 10000 + without money 0 + rejected 0; events 10000 = valued 10000 + duplicates 0"
    )


def test_a_report_shows_gross_shares_and_net_that_add_up(pm):
    report = lm.value([stars(1), stars(1), stars(1), stars(7)], pm=pm, progress=False)
    # exact: gross 3 × 0.014 + 0.098 = 0.14; net 3 × 0.01 + 0.07 = 0.10; Meta 3 × 0.004 + 0.028 = 0.04
    assert report.exact.gross == usd("0.14") and report.exact.net == usd("0.10")
    assert (report.gross, report.shares["Meta"], report.net) == (usd("0.14"), usd("0.04"), usd("0.10"))


# --- what is not Stars -----------------------------------------------------------------------


def test_what_no_rule_values_is_unknown_and_says_why(pm):
    jewels = value_event(Donation(platform="facebook", feature="jewels", amount=usd(5)), Context(), pm)
    assert jewels.unknown and "no donation feature 'jewels'" in jewels.reason and "stars" in jewels.reason
    empty = value_event(Donation(platform="facebook", feature="stars"), Context(), pm)
    assert empty.unknown and empty.reason == "Stars with no amount"
    gift = value_event(Gift(platform="facebook", gift="Heart"), Context(), pm)
    assert gift.unknown and "'Heart' carries no Star amount" in gift.reason
    sale = value_event(Sale(platform="facebook", amount=usd(20)), Context(), pm)
    assert sale.unknown and "product sold" in sale.reason
    for result in (jewels, empty, gift, sale):
        assert (result.gross, result.shares, result.net) == (usd(0), (), usd(0))


def test_a_gift_priced_in_another_unit_is_unknown_with_the_reason(pm):
    # Stars are bought in packs (the kit's UnitsInPacks, as on Instagram): an amount in stars is Stars, one in
    # money is what the viewer spent on them; coins are neither (before, the valuation failed on the missing
    # coins→USD rate instead of saying why).
    coins = value_event(Gift(platform="facebook", gift="Rose", count=2, amount=Money(20, "coins")), Context(), pm)
    assert coins.unknown
    assert coins.reason == "Facebook Stars and gifts are counted in stars or paid in money, not in coins"
    assert (coins.gross, coins.shares, coins.net) == (usd(0), (), usd(0))


def test_likes_and_reactions_earn_nothing(pm):
    result = value_event(Like(platform="facebook", count=41378), Context(currency="EUR"), pm)
    assert (result.gross, result.net, result.units) == (Money(0, "EUR"), Money(0, "EUR"), {"likes": Decimal(41378)})
    assert "earn nothing on Facebook Live" in result.explain[0]


def test_a_sponsorship_goes_to_the_creator(pm):
    result = value_event(Sponsorship(platform="facebook", amount=usd("250.05")), Context(), pm)
    assert (result.gross, result.shares, result.net) == (usd("250.05"), (), usd("250.05"))


# --- describing the platform -------------------------------------------------------------------


def test_the_platform_and_its_stars(pm):
    (platform,) = platforms(pm)
    assert (platform.key, platform.name, platform.units, platform.gifts_donations) == (
        "facebook",
        "Facebook Live",
        ("stars",),
        "Yes (Stars)",
    )
    assert platform.rank == 4  # the seed table's fourth row: tables list it fourth of the built-in platforms
    (feature,) = pm.hook.livemoney_donation_features(platform="facebook", context=Context())
    # of each 0.014 paid for a Star the creator earns 0.01: 0.01 × 100 / 1.40 = 0.714285…
    assert (feature.key, feature.unit) == ("stars", "stars")
    assert feature.creator_share == Decimal("0.01") * 100 / Decimal("1.40")


def test_every_figure_is_a_setting_with_a_source(pm):
    settings = {setting.key: setting for setting in declared_settings(pm)}
    assert settings["facebook.star_usd"].default == Decimal("0.01")
    assert settings["facebook.star_pack"].default == (Decimal(100), Decimal("1.40"))
    for setting in settings.values():
        assert setting.source.url and setting.source.as_of, setting.key


def test_other_platforms_are_left_to_their_plugins(pm):
    donation = Donation(platform="instagram", feature="stars", amount=Money(100, "stars"))
    assert pm.hook.livemoney_value_donation(platform="instagram", donation=donation, context=Context()) is None
    assert pm.hook.livemoney_donation_features(platform="instagram", context=Context()) is None


# --- properties -----------------------------------------------------------------------------

PM = lm.get_plugin_manager(load_entry_points_=False)
PM.register(livemoney_facebook.PLUGIN, name="facebook")


@given(count=st.integers(min_value=1, max_value=10**7))
def test_any_number_of_stars_is_valued_exactly(count):
    result = value_event(stars(count), Context(), PM)
    assert result.gross == usd(Decimal(count) * Decimal("0.014"))
    assert result.net == usd(Decimal(count) * Decimal("0.01"))
    assert result.share("Meta") == usd(Decimal(count) * Decimal("0.004"))
    shown = result.shown()
    assert shown.gross == result.gross.rounded() and shown.net == result.net.rounded()
    assert shown.gross.amount == shown.share("Meta").amount + shown.net.amount


# --- the figures livemoney promises, in a log and in euro ---------------------------------------


def test_500_stars_are_7_usd_paid_and_5_usd_to_the_creator(pm):
    result = value_event(Donation(platform="facebook", feature="stars", amount=Money(500, "stars")), context(pm=pm), pm)
    viewer_paid = Decimal(500) * Decimal("1.40") / 100  # 100 Stars = 1.40 USD
    creator = Decimal(500) * Decimal("0.01")  # 1 cent a Star
    assert (viewer_paid, creator) == (Decimal("7.00"), Decimal("5.00"))
    assert result.gross == usd("7.00")
    assert result.net == usd("5.00")
    assert [(s.party, s.amount) for s in result.shares] == [("Meta", usd("2.00"))]  # 7.00 − 5.00


def test_a_250_usd_sponsorship_by_a_brand_goes_all_to_the_creator(pm):
    result = value_event(Sponsorship(platform="facebook", amount=usd("250"), brand="Acme"), context(pm=pm), pm)
    assert result.gross == result.net == usd("250.00")
    assert result.shares == ()


def test_1000_likes_earn_nothing(pm):
    result = value_event(Like(platform="facebook", count=1000), context(pm=pm), pm)
    assert result.net == result.gross == usd("0.00")


def test_500_stars_in_a_log_valued_in_euro(pm, tmp_path):
    # ECB reference rate of 2026-10-01: 1 EUR = 1.1298 USD
    assert ecb_rates().rate("EUR", "USD", dt.date(2026, 10, 1)).rate == Decimal("1.1298")
    log = tmp_path / "log.jsonl"
    log.write_text(
        '{"type": "donation", "platform": "facebook", "feature": "stars", "amount": "500", "currency": "stars", '
        '"ts": "2026-10-01T20:03:00Z"}\n',
        encoding="utf-8",
    )
    report = lm.value(log, currency="EUR", pm=pm, progress=False)
    stars = report.row("facebook", "donation")
    # 500 Stars: 7.00 USD paid, 5.00 USD to the creator; 7.00 / 1.1298 = 6.19578686493… → 6.1957868649 EUR,
    # 5.00 / 1.1298 = 4.42556204637… → 4.4255620464 EUR
    assert (stars.exact.gross, stars.exact.net) == (eur("6.1957868649"), eur("4.4255620464"))
    each = [value_event(event, context(currency="EUR", pm=pm), pm) for event in lm.read_events(log, pm=pm)]
    assert report.exact.gross.amount == sum(v.gross.amount for v in each if not v.unknown)
    assert report.exact.net.amount == sum(v.net.amount for v in each if not v.unknown)


def test_the_comparison_of_stars(pm):
    """Moved from the host's dashboard tests (which run on made-up platforms): Stars in `lm.compare`."""
    rows = {row.feature: row.valuation for row in lm.compare(250, as_of="2024-06-01", pm=pm).rows}
    # 250 USD / 1.40 × 100 = 17,857.142… Stars × 0.01 USD = 178.5714285714, shown 178.57
    assert rows["stars"].net == lm.Money("178.5714285714", "USD")
    assert rows["stars"].shown().net == lm.Money("178.57", "USD")
    cheaper = lm.compare(100, as_of="2024-06-01", settings={"facebook.star_usd": "0.005"}, pm=pm)
    # 100 USD of Stars at 1.40 USD a hundred: 7,142.857… Stars × 0.005 = 35.7142857143 (10 places)
    assert {r.feature: r.valuation for r in cheaper.rows}["stars"].net == lm.Money("35.7142857143", "USD")
