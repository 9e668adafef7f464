"""Instagram Badges and Stars valued by the plugin's rules. Amounts are exact (to 10 decimal places): a
4.99 USD Badge leaves the creator 3.493, shown 3.49 on its receipt; a report sums exact amounts and
rounds each figure once. Every amount is worked out by hand in the test."""

import datetime as dt
from decimal import Decimal

import livemoney as lm
import livemoney_instagram
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from livemoney import (
    UNKNOWN,
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


def badge(amount="4.99", currency="USD", **fields):
    return Donation(platform="instagram", feature="badge", amount=Money(amount, currency), **fields)


def stars(count, **fields):
    return Donation(platform="instagram", feature="stars", amount=Money(count, "stars"), **fields)


def usd(amount):
    return Money(amount, "USD")


def eur(amount):
    return Money(amount, "EUR")


def figures(valuation):
    """(gross, shares, net), to compare with the hand-worked amounts."""
    return valuation.gross, [(share.party, share.amount) for share in valuation.shares], valuation.net


# --- Badges ---------------------------------------------------------------------------------


def test_a_4_99_badge_leaves_the_creator_3_493_shown_3_49(pm):
    result = value_event(badge(), Context(), pm)
    # app store: 4.99 * 0.30 = 1.497 exactly; Meta 0; creator 4.99 - 1.497 - 0 = 3.493
    assert figures(result) == (usd("4.99"), [("App store", usd("1.497")), ("Meta", usd("0.00"))], usd("3.493"))
    # its receipt: creator 3.493 -> 3.49, the app store the rest of 4.99, 1.50
    assert figures(result.shown()) == (usd("4.99"), [("App store", usd("1.50")), ("Meta", usd("0.00"))], usd("3.49"))
    assert result.explain[-1] == (
        "exact: gross 4.99 = App store 1.497 + Meta 0.00 + net 3.493 USD; "
        "shown rounded once (half-even): gross 4.99 = App store 1.50 + Meta 0.00 + net 3.49 USD"
    )
    assert not result.unknown
    assert result.units == {"badges": Decimal(1)}
    assert any("help.instagram.com/1119102301790334" in line for line in result.explain)


def test_three_badges_of_1_99(pm):
    result = value_event(badge("1.99", count=3), Context(), pm)
    # 3 * 1.99 = 5.97; app store 5.97 * 0.30 = 1.791; creator 5.97 - 1.791 = 4.179
    assert figures(result) == (usd("5.97"), [("App store", usd("1.791")), ("Meta", usd("0"))], usd("4.179"))
    # shown: creator 4.18, app store 1.79
    assert (result.shown().share("App store"), result.shown().net) == (usd("1.79"), usd("4.18"))


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
    assert result.net == usd("3.493")
    # in 2023 the rule in force is Meta's promise of 2022-06 ("until 2024")
    assert any("until 2024" in line and "rule in force from 2022-06-01" in line for line in result.explain)


def test_a_badge_of_2024_is_still_known(pm):
    result = value_event(badge(ts=dt.datetime(2024, 12, 31, 23, 59, tzinfo=UTC)), Context(), pm)
    assert not result.unknown and result.net == usd("3.493")


def test_as_of_after_2024_makes_a_dateless_badge_unknown(pm):
    result = value_event(badge(), Context(as_of=dt.date(2025, 6, 1)), pm)
    assert result.unknown and "2024" in result.reason


def test_a_meta_share_you_set_is_taken_of_what_the_viewer_paid(pm):
    ctx = context(settings={"instagram.meta_share": "0.05"}, pm=pm)
    result = value_event(badge(ts=dt.datetime(2025, 3, 1, tzinfo=UTC)), ctx, pm)
    # app store 4.99 * 0.30 = 1.497; Meta 4.99 * 0.05 = 0.2495; creator 4.99 - 1.497 - 0.2495 = 3.2435
    assert not result.unknown
    assert figures(result) == (usd("4.99"), [("App store", usd("1.497")), ("Meta", usd("0.2495"))], usd("3.2435"))
    # shown: creator 3.24; the app store 4.74 - 3.24 = 1.50 (running totals); Meta 4.99 - 4.74 = 0.25
    assert figures(result.shown()) == (usd("4.99"), [("App store", usd("1.50")), ("Meta", usd("0.25"))], usd("3.24"))
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
    # gross 4.99 / 1.0697 = 4.66485930634... -> 4.6648593063 EUR (10 places); app store 1.497 / 1.0697 =
    # 1.39945779190... -> 1.3994577919; creator 4.6648593063 - 1.3994577919 = 3.2654015144
    assert figures(result) == (
        eur("4.6648593063"),
        [("App store", eur("1.3994577919")), ("Meta", eur("0"))],
        eur("3.2654015144"),
    )
    # shown: gross 4.66, app store 1.40, Meta 0.00; the creator, who takes the rest, 4.66 - 1.40 = 3.26 (alone
    # 3.2654… would show 3.27: the receipt keeps 4.66 = 1.40 + 0.00 + 3.26)
    assert figures(result.shown()) == (eur("4.66"), [("App store", eur("1.40")), ("Meta", eur("0.00"))], eur("3.26"))
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
    # viewer 45 * 0.99 / 45 = 0.99; app store 0.99 * 0.30 = 0.297; creator 45 * 0.01 = 0.45;
    # Meta 0.99 - 0.297 - 0.45 = 0.243
    assert figures(result) == (usd("0.99"), [("App store", usd("0.297")), ("Meta", usd("0.243"))], usd("0.45"))
    assert result.units == {"stars": Decimal(45)}
    # shown: creator 0.45; app store 0.75 - 0.45 = 0.30 (0.747 -> 0.75); Meta 0.99 - 0.75 = 0.24
    assert figures(result.shown()) == (usd("0.99"), [("App store", usd("0.30")), ("Meta", usd("0.24"))], usd("0.45"))


def test_a_gift_of_10_stars_sent_3_times(pm):
    gift = Gift(platform="instagram", gift="Heart", count=3, amount=Money(10, "stars"))
    result = value_event(gift, Context(), pm)
    # 30 stars: viewer 30 * 0.99 / 45 = 0.66; app store 0.66 * 0.30 = 0.198; creator 0.30; Meta 0.66 - 0.198 - 0.30 = 0.162
    assert result.kind == "gift"
    assert figures(result) == (usd("0.66"), [("App store", usd("0.198")), ("Meta", usd("0.162"))], usd("0.30"))
    assert figures(result.shown()) == (usd("0.66"), [("App store", usd("0.20")), ("Meta", usd("0.16"))], usd("0.30"))


def test_100_usd_spent_on_stars(pm):
    spend = Donation(platform="instagram", feature="stars", amount=Money(100, "USD"))
    result = value_event(spend, Context(), pm)
    # 100 USD buys 100 * 45 / 0.99 = 4545.4545... stars, worth 45.454545454545... -> 45.4545454545 (10 places)
    # to the creator; app store 30.00; Meta 100 - 30 - 45.4545454545 = 24.5454545455
    assert figures(result) == (
        usd("100.00"),
        [("App store", usd("30.00")), ("Meta", usd("24.5454545455"))],
        usd("45.4545454545"),
    )
    # shown: creator 45.45, app store 30.00, Meta 24.55
    assert figures(result.shown()) == (
        usd("100.00"),
        [("App store", usd("30.00")), ("Meta", usd("24.55"))],
        usd("45.45"),
    )


def test_one_star_is_kept_exact_and_a_report_of_many_rounds_once(pm):
    result = value_event(stars(1), Context(), pm)
    # one Star: viewer 0.99 / 45 = 0.022; app store 0.0066; creator 0.01; Meta 0.022 - 0.0066 - 0.01 = 0.0054
    assert figures(result) == (usd("0.022"), [("App store", usd("0.0066")), ("Meta", usd("0.0054"))], usd("0.01"))
    assert figures(result.shown()) == (usd("0.02"), [("App store", usd("0.01")), ("Meta", usd("0.00"))], usd("0.01"))
    report = lm.value([stars(1) for _ in range(1000)], pm=pm, progress=False)
    # 1,000 of them: 22.00 paid, 6.60 to the app store, 5.40 to Meta, 10.00 to the creator (their own
    # receipts, summed, would say 20.00 paid and nothing to Meta)
    assert (report.gross, report.shares, report.net) == (
        usd("22.00"),
        {"App store": usd("6.60"), "Meta": usd("5.40")},
        usd("10.00"),
    )


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
    assert platform.rank == 3  # the seed table's third row


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
    pm = lm.get_plugin_manager()
    assert pm.get_plugin("instagram") is livemoney_instagram.PLUGIN


# --- properties -----------------------------------------------------------------------------

PM = lm.get_plugin_manager(load_entry_points_=False)
PM.register(livemoney_instagram.PLUGIN, name="instagram")
rates = st.integers(min_value=0, max_value=50).map(lambda n: Decimal(n) / 100)


@given(
    amount=st.integers(min_value=0, max_value=10_000_000).map(lambda n: Decimal(n) / 100),
    count=st.integers(min_value=1, max_value=50),
    store=rates,
    meta=rates,
)
def test_badge_shares_are_exact_fractions_and_the_creator_gets_the_rest(amount, count, store, meta):
    ctx = context(settings={"instagram.app_store_rate": store, "instagram.meta_share": meta}, pm=PM)
    result = value_event(badge(amount, count=count), ctx, PM)
    paid = amount * count
    # cents times hundredths: four decimal places at most, so every share is exact
    assert result.gross == usd(paid)
    assert result.share("App store") == usd(paid * store)
    assert result.share("Meta") == usd(paid * meta)
    assert result.net == usd(paid - paid * store - paid * meta)
    # shown: the shares by running totals, each rounded once; the creator takes the rest
    store_shown = usd(paid * store).rounded()
    cuts_shown = usd(paid * store + paid * meta).rounded()
    shown = result.shown()
    assert shown.gross == result.gross.rounded()
    assert (shown.share("App store"), shown.share("Meta")) == (store_shown, cuts_shown - store_shown)
    assert shown.net == shown.gross - cuts_shown


def _valued(event, ctx):
    """``value_event``'s valuation, or the error it raises (by class and text)."""
    try:
        return value_event(event, ctx, PM)
    except Exception as error:  # noqa: BLE001 - compared, whatever it is
        return type(error).__name__, str(error)


BADGE_DAYS = [
    dt.datetime(2024, 3, 2, 20, 15, tzinfo=UTC),
    dt.datetime(2024, 11, 30, tzinfo=UTC),
    dt.datetime(2025, 1, 2, tzinfo=UTC),
    None,
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["0.99", "4.99", "4.990", "1.09", "0"]),
            st.sampled_from(["USD", "EUR"]),
            st.integers(min_value=1, max_value=3),
            st.sampled_from(BADGE_DAYS),
            st.sampled_from([None, "ann"]),
        ),
        max_size=8,
    ),
    st.sampled_from(["USD", "EUR"]),
    st.sampled_from([{}, {"instagram.meta_share": "0.10"}, {"instagram.app_store_rate": "0.3"}]),
    st.sampled_from([None, "2023-06-01"]),
)
@settings(deadline=None)  # the first rate of a day loads the ECB table
def test_badges_valued_in_turn_with_one_context_as_each_with_its_own(badges, currency, overrides, as_of):
    """A Badge's valuation worked out once for its price, count and rules and copied for the next Badge alike
    (any day of those rules) is what valuing that Badge on its own gives: amounts, explain lines, its own event."""
    shared = context(currency, as_of=as_of, settings=overrides, pm=PM)
    for amount, paid_in, count, ts, viewer in badges:
        event = badge(amount, paid_in, count=count, ts=ts, viewer=viewer)
        alone = context(currency, as_of=as_of, settings=overrides, pm=PM)
        assert _valued(event, shared) == _valued(event, alone)


@pytest.mark.parametrize("overrides", [{}, {"instagram.meta_share": "0.10"}, {"instagram.app_store_rate": "0.3"}])
def test_badges_valued_with_one_context_when_what_is_kept_fills_up(monkeypatch, overrides):
    """With room for one day's rules and one valuation, each new day or price clears what was kept: every
    Badge is still valued as it is alone."""
    monkeypatch.setattr(livemoney_instagram.value, "KEPT_DAYS", 1)
    monkeypatch.setattr(livemoney_instagram.value, "KEPT_BADGES", 1)
    shared = context(settings=overrides, pm=PM)
    for ts in [*BADGE_DAYS, *reversed(BADGE_DAYS)]:
        for amount in ("0.99", "4.99", "0.99"):
            event = badge(amount, ts=ts)
            assert _valued(event, shared) == _valued(event, context(settings=overrides, pm=PM))


@given(count=st.integers(min_value=1, max_value=1_000_000))
def test_stars_pay_the_creator_one_cent_each_and_meta_keeps_a_non_negative_rest(count):
    result = value_event(stars(count), Context(), PM)
    # a Star costs 0.99 / 45 = 0.022: the app store takes 0.0066, the creator 0.01, Meta the other 0.0054
    assert result.gross == usd(count * Decimal("0.022"))
    assert result.share("App store") == usd(count * Decimal("0.0066"))
    assert result.net == usd(count * Decimal("0.01"))
    assert result.share("Meta") == usd(count * Decimal("0.0054"))


# --- the figures livemoney promises, in a log and in euro ---------------------------------------


def test_1000_hearts_earn_nothing(pm):
    result = value_event(Like(platform="instagram", count=1000), context(pm=pm), pm)
    assert result.net == result.gross == usd("0.00")


def test_a_badge_in_a_log_valued_in_euro(pm, tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text(
        '{"type": "donation", "platform": "instagram", "feature": "badge", "amount": "1.99", "currency": "USD", '
        '"ts": "2026-10-01T20:02:00Z"}\n',
        encoding="utf-8",
    )
    report = lm.value(log, currency="EUR", pm=pm, progress=False)
    assert {(row.platform, row.kind) for row in report.rows} == {("instagram", "donation")}
    each = [value_event(event, context(currency="EUR", pm=pm), pm) for event in lm.read_events(log, pm=pm)]
    assert report.exact.gross.amount == sum(v.gross.amount for v in each if not v.unknown)
    assert report.exact.net.amount == sum(v.net.amount for v in each if not v.unknown)


def test_badges_and_stars_in_the_comparison(pm):
    """Moved from the host's dashboard tests (which run on made-up platforms): Badges in `lm.compare` are
    unknown under today's rules, 70.00 under those of 2024, and valued with a Meta share you set."""

    def badge(**options):
        return {r.feature: r.valuation for r in lm.compare(100, pm=pm, **options).rows}["badge"]

    assert badge().unknown and badge(as_of="2026-11-29").unknown
    # 2024: the app store takes 30% of 100, Meta nothing: 70.00
    assert badge(as_of="2024-06-01").net == lm.Money("70.00", "USD")
    # today with instagram.meta_share 0.1: the app store takes 30.00 of 100, Meta 10.00: the creator 60.00
    shared = badge(as_of="2026-11-29", settings={"instagram.meta_share": "0.1"})
    assert shared.net == lm.Money("60.00", "USD") and shared.share("Meta") == lm.Money("10.00", "USD")
    stars = {r.feature: r.valuation for r in lm.compare(100, as_of="2024-06-01", pm=pm).rows}["stars"]
    # 100 USD buy 100 / 0.99 × 45 Stars (the smallest pack) × 0.01 USD a Star = 45.4545454545
    assert stars.net == lm.Money("45.4545454545", "USD")
