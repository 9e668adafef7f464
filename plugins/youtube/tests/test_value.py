"""YouTube valuation: amounts computed by hand, every figure sourced and overridable."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import attrs
import livemoney as lm
from hypothesis import example, given, settings
from hypothesis import strategies as st
from livemoney import Donation, Gift, Like, Money, Sale
from livemoney.kit import ecb_rates

CENT = Decimal("0.01")
TEN_PLACES = Decimal("1E-10")
SUPERS_URL = "https://support.google.com/youtube/answer/7288782"
OCT_10_2019 = dt.datetime(2019, 10, 10, 3, 34, 56, tzinfo=dt.UTC)


def value(pm, event, currency="USD", **overrides):
    context = lm.context(currency, settings=overrides, pm=pm)
    return lm.value_event(event, context, pm=pm)


def super_chat(amount, currency="USD", **fields):
    return Donation(platform="youtube", feature="super_chat", amount=Money(Decimal(amount), currency), **fields)


def test_super_chat_ten_dollars_gives_the_creator_seventy_percent(pm):
    result = value(pm, super_chat("10.00"))
    assert result.gross == Money(Decimal("10.00"), "USD")
    assert result.share("YouTube") == Money(Decimal("3.00"), "USD")  # 10.00 × 0.30
    assert result.net == Money(Decimal("7.00"), "USD")  # 10.00 × 0.70
    assert [share.party for share in result.shares] == ["YouTube"]
    assert not result.unknown
    assert any(SUPERS_URL in line and "copy of 2023" in line for line in result.explain)


def test_super_chat_seventy_percent_comes_after_sales_tax_then_ios_fee(pm):
    result = value(pm, super_chat("10.00"), **{"youtube.sales_tax_rate": "0.10", "youtube.ios_fraction": "1"})
    # sales tax: 10.00 × 0.10 = 1.00, leaving 9.00
    # App Store: 9.00 × 1 (all on iOS) × 0.30 = 2.70, leaving 6.30
    # YouTube: 6.30 × 0.30 = 1.89; creator: 6.30 × 0.70 = 4.41
    assert [(s.party, s.amount.amount) for s in result.shares] == [
        ("Sales tax", Decimal("1.00")),
        ("App store (iOS)", Decimal("2.70")),
        ("YouTube", Decimal("1.89")),
    ]
    assert result.net.amount == Decimal("4.41")
    assert Decimal("1.00") + Decimal("2.70") + Decimal("1.89") + Decimal("4.41") == result.gross.amount


def test_half_of_purchases_on_ios(pm):
    result = value(pm, super_chat("20.00"), **{"youtube.ios_fraction": "0.5"})
    # App Store: 20.00 × 0.5 × 0.30 = 3.00, leaving 17.00; YouTube 17.00 × 0.30 = 5.10; creator 11.90
    assert result.share("App store (iOS)").amount == Decimal("3.00")
    assert result.share("YouTube").amount == Decimal("5.10")
    assert result.net.amount == Decimal("11.90")


def test_amounts_are_exact_and_a_receipt_rounds_each_figure_once(pm):
    sticker = Donation(platform="youtube", feature="super_sticker", amount=Money(Decimal("1.99"), "USD"))
    result = value(pm, sticker)
    # YouTube: 1.99 × 0.30 = 0.597; creator: 1.99 × 0.70 = 1.393, both exact
    assert result.share("YouTube").amount == Decimal("0.597")
    assert result.net.amount == Decimal("1.393")
    # as a receipt shows it: net 1.393 → 1.39 (half-even), YouTube the rest of 1.99: 0.60
    shown = result.shown()
    assert (shown.gross.amount, shown.share("YouTube").amount, shown.net.amount) == (
        Decimal("1.99"),
        Decimal("0.60"),
        Decimal("1.39"),
    )
    assert result.explain[-1] == (
        "exact: gross 1.99 = YouTube 0.597 + net 1.393 USD; "
        "shown rounded once (half-even): gross 1.99 = YouTube 0.60 + net 1.39 USD"
    )


def test_ten_thousand_small_supers_keep_every_fraction_of_a_cent(pm):
    sticker = Donation(platform="youtube", feature="super_sticker", amount=Money(Decimal("1.99"), "USD"))
    events = [attrs.evolve(sticker, id=f"s{n}") for n in range(10_000)]
    report = lm.value(events, pm=pm)
    # 10,000 × 1.393 = 13,930.00 to the creator (rounding each to 1.39 first would give 13,900.00)
    assert report.net == Money(Decimal("13930.00"), "USD")
    assert report.shares["YouTube"] == Money(Decimal("5970.00"), "USD")  # 10,000 × 0.597


def test_yen_super_chat_in_a_yen_report_has_no_decimals(pm):
    result = value(pm, super_chat("800", "JPY", ts=OCT_10_2019), currency="JPY")
    assert result.gross == Money(Decimal(800), "JPY")
    assert result.share("YouTube") == Money(Decimal(240), "JPY")  # 800 × 0.30
    assert result.net == Money(Decimal(560), "JPY")  # 800 × 0.70


def test_yen_super_chat_in_euros_uses_the_ecb_rate_of_its_day(pm):
    result = value(pm, super_chat("800", "JPY", ts=OCT_10_2019), currency="EUR")
    rate = ecb_rates().rate("JPY", "EUR", dt.date(2019, 10, 10)).rate
    # each amount converted at the rate of 2019-10-10, kept to 10 places (half-even)
    gross = (Decimal(800) * rate).quantize(TEN_PLACES, ROUND_HALF_EVEN)
    youtube = (Decimal(240) * rate).quantize(TEN_PLACES, ROUND_HALF_EVEN)
    assert (gross, youtube) == (Decimal("6.7499156261"), Decimal("2.0249746878"))  # 800 × 0.00843739…
    assert result.gross == Money(gross, "EUR")
    assert result.share("YouTube") == Money(youtube, "EUR")
    assert result.net == Money(gross - youtube, "EUR") == Money(Decimal("4.7249409383"), "EUR")
    # shown: gross 6.7499… → 6.75, YouTube 2.0249… → 2.02, the creator (who takes the rest) 6.75 − 2.02 = 4.73
    shown = result.shown()
    assert (shown.gross.amount, shown.share("YouTube").amount, shown.net.amount) == (
        Decimal("6.75"),
        Decimal("2.02"),
        Decimal("4.73"),
    )
    assert any("2019-10-10" in line for line in result.explain)


def test_currency_without_an_ecb_rate_is_unknown_not_a_crash(pm):
    result = value(pm, super_chat("150", "TWD"), currency="EUR")
    assert result.unknown
    assert "TWD" in result.reason


def test_super_chat_without_money_is_unknown(pm):
    result = value(pm, Donation(platform="youtube", feature="super_chat"))
    assert result.unknown and "no amount" in result.reason
    in_coins = value(pm, Donation(platform="youtube", feature="super_chat", amount=Money(Decimal(5), "coins")))
    assert in_coins.unknown and "not in a currency" in in_coins.reason and "upper-case" not in in_coins.reason
    # a currency code written in lower case is read as a platform unit: the reason says which code it looks like
    lower = value(pm, Donation(platform="youtube", feature="super_chat", amount=Money(Decimal(10), "usd")))
    assert lower.unknown and lower.reason == (
        "Super Chat amount 10 usd is not in a currency (ISO-4217 code; USD is one: codes are upper-case, "
        "lower-case words are platform units)"
    )


def test_a_share_that_is_not_a_fraction_is_refused_with_its_reason(pm):
    result = value(pm, super_chat("10.00"), **{"youtube.supers_share": "1.5"})
    assert result.unknown
    assert result.reason == "youtube.supers_share = 1.5 is not a fraction between 0 and 1"


def test_membership_without_a_price_is_unknown(pm):
    result = value(pm, Donation(platform="youtube", feature="membership", count=3))
    assert result.unknown
    assert "no price" in result.reason and "youtube.membership_price" in result.reason
    assert result.net == Money.zero("USD")


def test_membership_price_setting_values_memberships(pm):
    gifted = Donation(platform="youtube", feature="membership", count=3)
    result = value(pm, gifted, **{"youtube.membership_price": "4.99"})
    # 3 × 4.99 = 14.97; YouTube 14.97 × 0.30 = 4.491; creator 14.97 × 0.70 = 10.479
    assert result.gross == Money(Decimal("14.97"), "USD")
    assert result.share("YouTube") == Money(Decimal("4.491"), "USD")
    assert result.net == Money(Decimal("10.479"), "USD")
    # shown: net 10.479 → 10.48, YouTube 14.97 − 10.48 = 4.49
    assert (result.shown().share("YouTube").amount, result.shown().net.amount) == (Decimal("4.49"), Decimal("10.48"))
    assert any("your setting" in line for line in result.explain)


def test_membership_price_in_another_currency(pm):
    member = Donation(platform="youtube", feature="membership")
    result = value(
        pm, member, currency="JPY", **{"youtube.membership_price": "490", "youtube.membership_currency": "JPY"}
    )
    # 490 × 0.30 = 147; creator 343
    assert (result.gross.amount, result.share("YouTube").amount, result.net.amount) == (490, 147, 343)
    wrong = value(pm, member, **{"youtube.membership_price": "490", "youtube.membership_currency": "yen"})
    assert wrong.unknown and "'yen' is not an ISO-4217" in wrong.reason


def test_membership_with_its_own_price_ignores_the_setting(pm):
    member = Donation(platform="youtube", feature="membership", amount=Money(Decimal("2.99"), "USD"), count=2)
    result = value(pm, member, **{"youtube.membership_price": "4.99"})
    # 2 × 2.99 = 5.98; YouTube 5.98 × 0.30 = 1.794; creator 5.98 × 0.70 = 4.186 (shown 1.79 and 4.19)
    assert (result.gross.amount, result.share("YouTube").amount, result.net.amount) == (
        Decimal("5.98"),
        Decimal("1.794"),
        Decimal("4.186"),
    )


def test_youtube_giving_goes_to_the_charity(pm):
    donation = Donation(platform="youtube", feature="giving", amount=Money(Decimal("50.00"), "USD"))
    result = value(pm, donation)
    assert result.gross == Money(Decimal("50.00"), "USD")
    assert result.share("Charity (YouTube Giving)") == Money(Decimal("50.00"), "USD")
    assert result.net == Money(Decimal("0.00"), "USD")
    assert result.kind == "donation" and not result.unknown
    assert any("YouTube Giving" in line for line in result.explain)


def test_youtube_giving_without_amount_is_unknown_with_nothing_for_the_creator(pm):
    result = value(pm, Donation(platform="youtube", feature="giving"))
    assert result.unknown and "charity" in result.reason
    assert result.net == Money.zero("USD")


def test_rubies_give_the_creators_earnings_and_say_the_viewer_price_is_unknown(pm):
    jewels = Donation(platform="youtube", feature="jewels", amount=Money(Decimal(250), "rubies"))
    result = value(pm, jewels)
    # 250 rubies × 0.01 USD = 2.50 USD to the creator: known, so it counts in the totals; what the viewer
    # paid is unknown, so gross shows the same 2.50, a lower bound, and the receipt says so
    assert result.net == Money(Decimal("2.50"), "USD")
    assert result.gross == result.net and result.shares == ()
    assert not result.unknown
    assert any("lower bound" in line and "what the viewer paid" in line for line in result.explain)
    assert result.units == {"rubies": Decimal(250)}


def test_jewels_without_rubies_are_unknown(pm):
    jewels = Donation(platform="youtube", feature="jewels", amount=Money(Decimal(100), "jewels"))
    result = value(pm, jewels)
    assert result.unknown and "no fixed revenue share" in result.reason
    assert result.net == Money.zero("USD") and result.units == {"jewels": Decimal(100)}


def test_jewels_with_a_user_ruby_rate(pm):
    jewels = Donation(platform="youtube", feature="jewels", amount=Money(Decimal(100), "jewels"))
    result = value(pm, jewels, **{"youtube.rubies_per_jewel": "0.5"})
    # 100 jewels × 0.5 = 50 rubies × 0.01 = 0.50 USD
    assert result.net == Money(Decimal("0.50"), "USD") and not result.unknown
    assert result.units == {"jewels": Decimal(100), "rubies": Decimal("50.0")}


def test_jewel_gifts(pm):
    no_amount = value(pm, Gift(platform="youtube", gift="Girl power", count=2))
    assert no_amount.unknown and "no Jewel or Ruby amount" in no_amount.reason
    in_jewels = value(pm, Gift(platform="youtube", gift="Girl power", amount=Money(Decimal(300), "jewels")))
    assert in_jewels.unknown and in_jewels.net.amount == 0
    in_rubies = value(pm, Gift(platform="youtube", gift="Girl power", count=2, amount=Money(Decimal(150), "rubies")))
    # 2 × 150 rubies = 300 × 0.01 = 3.00 USD
    assert in_rubies.net == Money(Decimal("3.00"), "USD")
    in_dollars = value(pm, Gift(platform="youtube", gift="Girl power", amount=Money(Decimal(3), "USD")))
    assert in_dollars.unknown and "only a Ruby amount" in in_dollars.reason


def test_sales_are_unknown_and_likes_earn_nothing(pm):
    sale = value(pm, Sale(platform="youtube", amount=Money(Decimal("25.00"), "USD"), product="T-shirt"))
    assert sale.unknown and "no source" in sale.reason
    outcome = pm.hook.livemoney_handle_like(
        platform="youtube", like=Like(platform="youtube", count=40), context=lm.context(pm=pm)
    )
    assert outcome.net == Money.zero("USD") and outcome.likes == 40
    assert "ranking" in outcome.note and outcome.source.url.startswith("https://www.socialplug.io/")
    likes = value(pm, Like(platform="youtube", count=40), currency="EUR")
    assert likes.net == Money.zero("EUR") and likes.gross == Money.zero("EUR")


def test_unknown_feature_is_unknown(pm):
    result = value(pm, Donation(platform="youtube", feature="super_thanks", amount=Money(Decimal(2), "USD")))
    assert result.unknown and "'super_thanks'" in result.reason


def test_hooks_answer_only_for_youtube(pm):
    from livemoney_youtube import PLUGIN as plugin

    context = lm.context(pm=pm)
    other = Donation(platform="facebook", feature="super_chat", amount=Money(Decimal(1), "USD"))
    assert plugin.livemoney_value_donation(platform="facebook", donation=other, context=context) is None
    assert plugin.livemoney_donation_features(platform="tiktok", context=context) is None
    assert plugin.livemoney_handle_like(platform="tiktok", like=Like(platform="tiktok"), context=context) is None


def test_platform_reproduces_the_seed_row(pm):
    youtube = next(p for p in lm.platforms(pm) if p.key == "youtube")
    assert (youtube.name, youtube.likes_revenue, youtube.gifts_donations) == (
        "YouTube Live",
        "None",
        "Yes (Super Chats)",
    )
    assert youtube.units == ("jewels", "rubies")
    assert youtube.rank == 2  # the seed table's second row


def test_donation_features(pm):
    features = {f.key: f for f in pm.hook.livemoney_donation_features(platform="youtube", context=lm.context(pm=pm))}
    assert list(features) == ["super_chat", "super_sticker", "membership", "jewels"]
    assert features["super_chat"].creator_share == Decimal("0.70")
    assert features["super_chat"].price_range == (Decimal(1), Decimal(500))
    assert features["super_sticker"].price_range == (Decimal("0.99"), Decimal(50))
    assert features["membership"].creator_share == Decimal("0.70")
    assert (features["jewels"].availability, features["jewels"].creator_share) == ("limited", None)
    assert all(f.source is not None and f.source.url for f in features.values())
    taxed = lm.context(settings={"youtube.sales_tax_rate": "0.10", "youtube.ios_fraction": "1"}, pm=pm)
    super_chat_share = pm.hook.livemoney_donation_features(platform="youtube", context=taxed)[0].creator_share
    assert super_chat_share == Decimal("0.90") * Decimal("0.70") * Decimal("0.70")  # 0.441


def test_every_setting_is_sourced_and_overridable(pm):
    declared = lm.declared_settings(pm, "youtube")
    keys = {setting.key for setting in declared}
    assert {
        "youtube.supers_share",
        "youtube.sales_tax_rate",
        "youtube.ios_fraction",
        "youtube.app_store_rate",
        "youtube.membership_share",
        "youtube.membership_price",
        "youtube.ruby_usd",
    } <= keys
    assert all(setting.source.url for setting in declared)
    defaults = {setting.key: setting.default for setting in declared}
    assert defaults["youtube.supers_share"] == Decimal("0.70")
    assert defaults["youtube.app_store_rate"] == Decimal("0.30")
    assert defaults["youtube.ruby_usd"] == Decimal("0.01")
    assert defaults["youtube.membership_price"] is lm.UNKNOWN
    assert defaults["youtube.rubies_per_jewel"] is lm.UNKNOWN


fractions = st.decimals(min_value=0, max_value=1, places=3)


@settings(max_examples=200, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2),
    tax=fractions,
    ios=fractions,
    store=fractions,
    share=fractions,
)
# YouTube's 30% of 73.45 is 22.035: shown 22.04 (half-even), so the creator, who takes the rest, is shown 51.41
@example(amount=Decimal("73.45"), tax=Decimal(0), ios=Decimal(0), store=Decimal(0), share=Decimal("0.7"))
def test_supers_shares_and_net_add_up_and_net_is_the_exact_share(pm, amount, tax, ios, store, share):
    result = value(
        pm,
        super_chat(amount),
        **{
            "youtube.sales_tax_rate": tax,
            "youtube.ios_fraction": ios,
            "youtube.app_store_rate": store,
            "youtube.supers_share": share,
        },
    )
    assert result.gross.amount == amount
    assert result.gross.amount == sum(s.amount.amount for s in result.shares) + result.net.amount
    assert all(s.amount.amount >= 0 for s in result.shares)
    exact_net = amount * (1 - tax) * (1 - ios * store) * share
    # amounts are kept to 10 places: net is the creator's exact share to within that
    slack = (len(result.shares) + 1) * TEN_PLACES / 2
    assert abs(result.net.amount - exact_net) <= slack
    assert result.net.amount >= 0
    # the receipt rounds each share once (running totals) and the creator, who takes the rest, takes the
    # rounding: gross == shares + net, the net within a cent of the exact one
    shown = result.shown()
    assert result.residual is None
    assert shown.gross.amount == result.gross.amount.quantize(CENT, ROUND_HALF_EVEN)
    assert shown.gross.amount == sum(s.amount.amount for s in shown.shares) + shown.net.amount
    assert abs(shown.net.amount - result.net.amount) <= CENT
    if len(result.shares) == 1:  # one share: it is its exact amount rounded once
        assert shown.shares[0].amount.amount == result.shares[0].amount.amount.quantize(CENT, ROUND_HALF_EVEN)


# --- the figures livemoney promises, in a log and in euro ---------------------------------------


def test_1000_likes_earn_nothing(pm):
    result = value(pm, Like(platform="youtube", count=1000))
    assert result.net == result.gross == Money(Decimal("0.00"), "USD")


def test_a_5_usd_super_chat_in_a_log_valued_in_euro(pm, tmp_path):
    # ECB reference rate of 2026-10-01: 1 EUR = 1.1298 USD
    assert ecb_rates().rate("EUR", "USD", dt.date(2026, 10, 1)).rate == Decimal("1.1298")
    log = tmp_path / "log.jsonl"
    log.write_text(
        '{"type": "donation", "platform": "youtube", "feature": "super_chat", "amount": "5.00", "currency": "USD", '
        '"id": "ChwKGk", "ts": "2026-10-01T20:01:00Z"}\n',
        encoding="utf-8",
    )
    report = lm.value(log, currency="EUR", pm=pm, progress=False)
    chat = report.row("youtube", "donation")
    # YouTube keeps 30%, the creator 70%: 5.00 / 1.1298 = 4.42556204637… → 4.4255620464 EUR paid; YouTube
    # 1.50 / 1.1298 = 1.32766861391… → 1.3276686139; the creator the rest, 4.4255620464 − 1.3276686139
    eur = lambda amount: Money(Decimal(amount), "EUR")
    assert (chat.exact.gross, chat.exact.shares["YouTube"], chat.exact.net) == (
        eur("4.4255620464"), eur("1.3276686139"), eur("3.0978934325")
    )
    context = lm.context(currency="EUR", pm=pm)
    each = [lm.value_event(event, context, pm) for event in lm.read_events(log, pm=pm)]
    assert report.exact.gross.amount == sum(v.gross.amount for v in each if not v.unknown)
    assert report.exact.net.amount == sum(v.net.amount for v in each if not v.unknown)


def test_the_comparison_on_youtube(pm):
    """Moved from the host's dashboard tests (which run on made-up platforms): YouTube's figures in
    `lm.compare`, which the compare dashboard's audience estimate weighs."""
    rows = {row.feature: row.valuation for row in lm.compare(250, as_of="2024-06-01", pm=pm).rows}
    # YouTube keeps 30%: 250 × 0.70 = 175.00; no source prices Jewels
    assert rows["super_chat"].net == Money("175.00", "USD") and rows["jewels"].unknown
    rows = {row.feature: row.valuation for row in lm.compare(100, as_of="2024-06-01", pm=pm).rows}
    # of 100 USD: Super Chat, Super Sticker and a membership all 70.00 (an estimate's 15 payments: 1050.00)
    assert [rows[key].net for key in ("super_chat", "super_sticker", "membership")] == [Money("70.00", "USD")] * 3
    assert rows["jewels"].unknown  # left out of an estimate, under its name:
    features = pm.hook.livemoney_donation_features(platform="youtube", context=lm.Context(as_of="2024-06-01"))
    names = {f.key: f.name for f in features}
    assert names["jewels"] == "Jewels (gifts on vertical live streams, US)"
