"""The plugin kit: every name documented, every name a name of `livemoney` too, and the rules several
platforms share, each checked on a made-up platform with amounts worked out by hand."""

import datetime as dt
import io
import re
import types
from decimal import Decimal
from pathlib import Path

import livemoney
import pytest
from livemoney import kit
from livemoney.kit import (
    NO_MONEY,
    UNKNOWN,
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    Money,
    Platform,
    PlatformPlugin,
    PluginError,
    RecordDecoder,
    Resolved,
    Sale,
    Setting,
    SettingError,
    SettingTable,
    Skipped,
    Source,
    UnitsInPacks,
    Valuation,
    commission,
    decoder_reader,
    equals_exact,
    exact_amount,
    feature_unknown,
    likes_earn_nothing,
    parse_value,
    sale_fee_unknown,
    valuation,
    valued_or_unknown,
)
from livemoney.pluginsys.manager import get_plugin_manager

ROOT = Path(__file__).resolve().parents[1]
KIT_PAGE = ROOT / "docs" / "kit.md"
PAGE = Source("made up for the tests", None, "2026-10-01")
USD = Context(currency="USD")
STARS = UnitsInPacks(platform="made", unit="stars", one="Star", many="Stars", keeper="Made", sold_as="Made Gifts")
PACK = Resolved("made.star_pack", (Decimal(45), Decimal("0.99")), "stars/USD", PAGE)
EARNS = Resolved("made.star_usd", Decimal("0.01"), "USD/star", PAGE)
STORE = Resolved("made.app_store_rate", Decimal("0.30"), "fraction", PAGE)


def usd(amount):
    return Money(amount, "USD")


def test_every_name_of_the_kit_is_on_its_page_and_in_the_facade():
    listed = set(re.findall(r"^\| `(\w+)` \|", KIT_PAGE.read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert sorted(set(kit.__all__) - listed) == []
    assert sorted(listed - set(kit.__all__)) == []
    assert all(getattr(livemoney, name) is getattr(kit, name) for name in kit.__all__)
    assert set(kit.__all__) <= set(livemoney.__all__)
    # Autocompletion offers every public name, those loaded on first use included (a new user's trial:
    # `dir(lm)` had no LiveTally).
    assert set(livemoney.__all__) <= set(dir(livemoney)) and "LiveTally" in dir(livemoney)
    # Nor the names the module uses itself (a trial: `Any`, `sys`, `importlib` were offered).
    assert not {"Any", "sys", "importlib", "types", "annotations", "_LAZY"} & set(dir(livemoney))
    assert {"__version__", "kit", "core"} <= set(dir(livemoney))


# --- units bought in packs -------------------------------------------------------------------------


def test_stars_sent_are_priced_by_the_pack_and_the_creator_earns_a_cent_each():
    stars = Donation(platform="made", feature="stars", amount=Money(45, "stars"), count=2)
    result = STARS.value(stars, stars.amount, USD, pack=PACK, earns=EARNS, store=STORE)
    # 90 Stars cost 2 × 0.99 = 1.98; the app store takes 0.30 × 1.98 = 0.594; the creator 90 × 0.01 = 0.90;
    # Made keeps the rest: 1.98 − 0.594 − 0.90 = 0.486
    assert (result.gross, result.net) == (usd("1.98"), usd("0.90"))
    assert [(s.party, s.amount, s.source) for s in result.shares] == [("App store", usd("0.594"), PAGE), ("Made", usd("0.486"), None)]
    assert (result.residual, result.units) == ("Made", {"stars": Decimal(90)})
    assert result.explain[:4] == (
        "90 Stars; viewer paid 1.98 USD: made.star_pack = 45/0.99 stars/USD [made up for the tests, 2026-10-01]",
        "App store: made.app_store_rate = 0.30 fraction [made up for the tests, 2026-10-01] of what the viewer paid",
        "creator earns made.star_usd = 0.01 USD/star [made up for the tests, 2026-10-01] per Star",
        "Made keeps the rest",
    )


def test_money_spent_buys_the_units_the_pack_price_gives():
    spent = Gift(platform="made", gift="Rose", amount=usd("9.90"))
    result = STARS.value(spent, spent.amount, USD, pack=PACK, earns=EARNS)
    # 9.90 USD buys 9.90 / 0.99 × 45 = 450 Stars: 4.50 to the creator, Made keeps 9.90 − 4.50 = 5.40
    assert (result.gross, result.share("Made"), result.net, result.units) == (
        usd("9.90"), usd("5.40"), usd("4.50"), {"stars": Decimal(450)}
    )


def test_an_amount_in_another_unit_is_unknown_with_the_reason():
    coins = Gift(platform="made", gift="Rose", amount=Money(20, "coins"))
    result = STARS.value(coins, coins.amount, USD, pack=PACK, earns=EARNS)
    assert result.unknown and result.reason == "Made Gifts are counted in stars or paid in money, not in coins"


def test_the_rules_two_settings_are_named_alike_on_every_platform():
    earns, pack = STARS.settings(Decimal("0.01"), PAGE, (Decimal(45), Decimal("0.99")), PAGE, "in the app")
    assert (earns.key, earns.default, earns.unit, earns.source) == ("made.star_usd", Decimal("0.01"), "USD/star", PAGE)
    assert earns.description == "what the creator earns per Star received"
    assert (pack.key, pack.default, pack.unit) == ("made.star_pack", (Decimal(45), Decimal("0.99")), "stars/USD")
    assert pack.description == "what a viewer pays for Stars: STARS/PRICE_USD (in the app)"
    # resolved from a table, the two value an event as PACK and EARNS do (45 Stars: 0.99 paid, 0.45 earned)
    table = SettingTable(earns, pack)
    sent = Donation(platform="made", feature="stars", amount=Money(45, "stars"))
    pack_, earns_ = table("made.star_pack", USD, None), table("made.star_usd", USD, None)
    result = STARS.value(sent, sent.amount, USD, pack=pack_, earns=earns_)
    assert (result.gross, result.net) == (usd("0.99"), usd("0.45"))


def test_no_amount_is_unknown_in_the_kits_words_or_the_platforms():
    sent = Donation(platform="made", feature="stars", count=3)
    result = STARS.value(sent, sent.amount, USD, pack=PACK, earns=EARNS)
    assert result.unknown and result.reason == "Stars with no amount"
    assert (result.platform, result.kind) == ("made", "donation")
    gift = Gift(platform="made", gift="Rose")
    missing = "Made gift 'Rose' carries no Star amount"
    result = STARS.value(gift, gift.amount, USD, pack=PACK, earns=EARNS, store=STORE, missing=missing)
    assert result.unknown and (result.kind, result.reason) == ("gift", missing)


def test_the_keepers_and_the_stores_lines_say_what_the_platform_adds():
    noted = UnitsInPacks("made", "stars", "Star", "Stars", "Made", keeps="and any fee", store_note="sold in the app")
    stars = Donation(platform="made", feature="stars", amount=Money(45, "stars"))
    explain = noted.value(stars, stars.amount, USD, pack=PACK, earns=EARNS, store=STORE).explain
    assert explain[1].endswith("of what the viewer paid (sold in the app)") and explain[3] == "Made keeps the rest (and any fee)"


def test_a_figure_no_source_gives_is_unknown_naming_it_and_its_source_not_an_error():
    nowhere = Source("no source found yet for Made", as_of="n.d.")
    earns, pack = STARS.settings(UNKNOWN, nowhere, UNKNOWN, nowhere)
    assert (earns.default, pack.default) == (UNKNOWN, UNKNOWN)
    table = SettingTable(earns, pack)
    sent = Donation(platform="made", feature="stars", amount=Money(45, "stars"))
    pack_, earns_ = table("made.star_pack", USD, None), table("made.star_usd", USD, None)
    result = STARS.value(sent, sent.amount, USD, pack=pack_, earns=earns_)
    assert result.unknown and result.reason == (
        "made.star_usd is unknown (no source found yet for Made); made.star_pack is unknown (no source found yet for Made)"
    )
    assert (result.gross, result.net) == (usd(0), usd(0))
    assert STARS.creator_share(pack_, earns_) is None
    # a pack whose price is not set, and an app store's rate no source gives: each named
    unpriced = Resolved("made.star_pack", (Decimal(45), UNKNOWN), "stars/USD", nowhere)
    store = Resolved("made.app_store_rate", UNKNOWN, "fraction", nowhere)
    result = STARS.value(sent, sent.amount, USD, pack=unpriced, earns=EARNS, store=store)
    assert result.unknown and result.reason == (
        "made.star_pack is unknown (no source found yet for Made); made.app_store_rate is unknown (no source found yet for Made)"
    )
    assert STARS.creator_share(unpriced, EARNS) is None
    # no amount and an amount in another unit say so first: the figures would not value them either
    assert STARS.value(Donation(platform="made", feature="stars"), None, USD, pack=pack_, earns=earns_).reason == (
        "Stars with no amount"
    )


def test_a_user_sets_a_pack_no_source_gives_from_the_command_line():
    _, pack = STARS.settings(UNKNOWN, PAGE, UNKNOWN, PAGE)
    assert parse_value(pack, "100/1.40") == (Decimal(100), Decimal("1.40"))
    assert parse_value(pack, ("100", "1.40")) == (Decimal(100), Decimal("1.40"))
    assert parse_value(pack, "0.014") == Decimal("0.014")  # one number: a pack of the wrong shape, said below
    with pytest.raises(SettingError, match="made.star_pack: '100/x' is not valid"):
        parse_value(pack, "100/x")


@pytest.mark.parametrize("value", [(Decimal(100), Decimal(0)), (Decimal(0), Decimal("1.40")), Decimal("0.014")])
def test_a_pack_that_is_no_units_and_price_above_0_is_the_settings_error(value):
    sent = Donation(platform="made", feature="stars", amount=Money(45, "stars"))
    pack = Resolved("made.star_pack", value, "stars/USD", PAGE, overridden=True)
    with pytest.raises(SettingError, match=r"made.star_pack: .* must be UNITS/PRICE_USD, both more than 0"):
        STARS.value(sent, sent.amount, USD, pack=pack, earns=EARNS)
    with pytest.raises(SettingError, match="made.star_pack"):
        STARS.creator_share(pack, EARNS)


def test_what_the_creator_earns_a_unit_is_declared_at_least_0():
    earns, _ = STARS.settings(Decimal("0.01"), PAGE, (Decimal(45), Decimal("0.99")), PAGE)
    assert (earns.minimum, earns.range_text) == (Decimal(0), "at least 0")
    with pytest.raises(SettingError) as raised:
        parse_value(earns, "-0.01")
    assert str(raised.value) == "made.star_usd: '-0.01' must be at least 0 (USD/star)"
    assert parse_value(earns, "0") == Decimal(0)


def test_the_creator_earns_no_more_a_unit_than_the_viewer_pays_for_it():
    sent = Donation(platform="made", feature="stars", amount=Money(45, "stars"))
    # 45 Stars for 0.99 USD: a viewer pays 0.022 USD a Star; the creator may earn all of it, not a cent more.
    at_most = Resolved("made.star_usd", Decimal("0.022"), "USD/star", PAGE, overridden=True)
    result = STARS.value(sent, sent.amount, USD, pack=PACK, earns=at_most)
    assert (result.gross, result.net, result.share("Made")) == (usd("0.99"), usd("0.99"), usd(0))
    above = Resolved("made.star_usd", Decimal("0.023"), "USD/star", PAGE, overridden=True)
    message = (
        "made.star_usd: 0.023 USD a star is more than the creator can earn: "
        "a viewer pays 0.022 USD for one (made.star_pack = 45/0.99)"
    )
    with pytest.raises(SettingError) as raised:
        STARS.value(sent, sent.amount, USD, pack=PACK, earns=above)
    assert str(raised.value) == message
    with pytest.raises(SettingError, match="made.star_usd: 0.023 USD a star"):
        STARS.creator_share(PACK, above)


def test_with_an_app_store_the_creator_earns_no_more_than_is_left_of_a_unit():
    sent = Donation(platform="made", feature="stars", amount=Money(45, "stars"))
    # 0.022 USD a Star, less the store's 0.30 of it (0.0066): 0.0154 USD a Star is left.
    left = Resolved("made.star_usd", Decimal("0.0154"), "USD/star", PAGE, overridden=True)
    result = STARS.value(sent, sent.amount, USD, pack=PACK, earns=left, store=STORE)
    # 45 × 0.0154 = 0.693 to the creator; the store 0.99 × 0.30 = 0.297; Made keeps 0.99 − 0.297 − 0.693 = 0.
    assert (result.net, result.share("App store"), result.share("Made")) == (usd("0.693"), usd("0.297"), usd(0))
    above = Resolved("made.star_usd", Decimal("0.0155"), "USD/star", PAGE, overridden=True)
    with pytest.raises(SettingError) as raised:
        STARS.value(sent, sent.amount, USD, pack=PACK, earns=above, store=STORE)
    assert str(raised.value) == (
        "made.star_usd: 0.0155 USD a star is more than the creator can earn: a viewer pays 0.022 USD for one "
        "(made.star_pack = 45/0.99), less made.app_store_rate 0.30 of it: 0.0154 USD"
    )


def test_the_creators_share_of_what_a_viewer_pays():
    # 0.01 USD a Star of 45 Stars bought for 0.99 USD: 0.45 / 0.99 = 0.4545…
    assert STARS.creator_share(PACK, EARNS) == Decimal("0.45") / Decimal("0.99")
    # the user's own earning figure counts as much as the default
    mine = Resolved("made.star_usd", Decimal("0.011"), "USD/star", PAGE, overridden=True)
    assert STARS.creator_share(PACK, mine) == Decimal("0.495") / Decimal("0.99")


# --- what most platforms answer alike --------------------------------------------------------------


def test_likes_earn_nothing_in_the_report_currency():
    outcome = likes_earn_nothing("made", Like(platform="made", count=7), Context(currency="EUR"), "they rank", PAGE)
    assert (outcome.platform, outcome.likes, outcome.net, outcome.note, outcome.source) == (
        "made", 7, Money(0, "EUR"), "they rank", PAGE
    )


def test_a_sale_and_an_unknown_feature_are_unknown_in_the_platforms_words():
    sale = sale_fee_unknown("made", "Made Live", Sale(platform="made", amount=usd(5)), USD)
    assert sale.unknown and sale.kind == "sale"
    assert sale.reason == "no source gives Made Live's fee on a product sold during a live stream"
    tip = feature_unknown("made", "Made Live", Donation(platform="made", feature="tip"), USD, ["stars", "badge"])
    assert tip.reason == "Made Live has no donation feature 'tip' with a sourced rule (known: stars, badge)"


def test_a_missing_rate_makes_a_valuation_unknown_instead_of_failing():
    # LTL was replaced by the euro on 2015-01-01: no rate of 2026
    litas = Donation(platform="made", feature="tip", amount=Money(5, "LTL"), ts=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    result = valued_or_unknown(platform="made", kind="donation", event=litas, context=USD, gross=litas.amount)
    assert result.unknown and result.reason.startswith("no LTL→USD rate within 7 days before 2026-01-05")
    fine = valued_or_unknown(platform="made", kind="donation", event=litas, context=USD, gross=usd(5))
    assert (fine.unknown, fine.net) == (False, usd(5))


# --- a share of what the creator keeps -------------------------------------------------------------


def tip(amount, made):
    """A tip of ``amount`` USD of which the made-up platform takes ``made``."""
    donation = Donation(platform="made", feature="tip", amount=usd(amount))
    shares = [("Made", usd(made), PAGE)] if made else []
    return valuation(platform="made", kind="donation", event=donation, context=USD, gross=donation.amount, shares=shares)


def test_a_commission_comes_out_of_the_creators_net_exactly():
    # the creator keeps 10.00 − 3.00 = 7.00; 20% of it is 1.40, and the creator keeps 5.60
    result = commission(tip("10.00", "3.00"), "Agency", Decimal("0.20"), rate_name="agency.commission_rate", said="20%")
    assert [(s.party, s.amount) for s in result.shares] == [("Made", usd("3.00")), ("Agency", usd("1.40"))]
    assert result.net == usd("5.60") and "Agency: 1.40 USD (20% of the creator's 7.00 USD)" in result.explain
    # exact, never rounded here: 20% of 0.07 is 0.014, and the creator keeps 0.056
    small = commission(tip("0.07", None), "Agency", Decimal("0.20"), rate_name="rate", source=PAGE)
    assert (small.share("Agency"), small.net, small.shares[-1].source) == (usd("0.014"), usd("0.056"), PAGE)


def test_a_commission_leaves_what_earns_nothing_alone_and_refuses_a_bad_rate():
    unknown = Valuation("made", "gift", usd(0), (), usd(0), unknown=True, reason="no price")
    nothing = valuation(platform="made", kind="like", event=None, context=USD, gross=usd(0))
    assert commission(unknown, "Agency", Decimal("0.2"), rate_name="rate") is unknown
    assert commission(nothing, "Agency", Decimal("0.2"), rate_name="rate") is nothing
    assert commission(None, "Agency", Decimal("0.2"), rate_name="rate") is None
    with pytest.raises(SettingError, match=r"agency.commission_rate: 1.5 must be between 0 and 1"):
        commission(tip("10.00", "3.00"), "Agency", Decimal("1.5"), rate_name="agency.commission_rate")


# --- a reader from a decoder -----------------------------------------------------------------------


class Chat(RecordDecoder):
    """One record in, one `Skipped` out: chat carries no money."""

    def feed(self, record, line):
        return [Skipped(self.source, line, "chat", NO_MONEY)]


def test_a_reader_made_from_a_decoder_reads_files_and_follows_feeds():
    reader = decoder_reader(
        name="made-chat", platform="made", description="chat", sniff=lambda head: head.startswith(b'{"chat"'),
        decoder=Chat, accepts=lambda record: "chat" in record, samples=[b'{"chat": "hi"}\n'],
    )
    assert (reader.decoder, reader.samples) == (Chat, (b'{"chat": "hi"}\n',))
    assert list(reader.read(io.BytesIO(b'{"chat": "hi"}\n{"chat": "yo"}\n'), "log")) == [
        Skipped("log", 1, "chat", NO_MONEY), Skipped("log", 2, "chat", NO_MONEY)
    ]



def test_a_record_decoder_keeps_its_source_and_holds_nothing_back():
    chat = Chat("live")
    assert (chat.source, list(chat.feed({"chat": "hi"}, 7)), list(chat.flush()), list(chat.flush(None))) == (
        "live", [Skipped("live", 7, "chat", NO_MONEY)], [], []
    )
    with pytest.raises(NotImplementedError, match="RecordDecoder must write feed"):
        RecordDecoder("live").feed({}, 1)


# --- a platform plugin's hooks -----------------------------------------------------------------------

MADE = Platform(key="made", name="Made Live", units=("stars",), likes_pay=False, gifts_donations="Yes", sources=(PAGE,))
MADE_SETTINGS = SettingTable(Setting("made.star_usd", Decimal("0.01"), "USD/star", "what a Star earns", PAGE))


def made_value():
    """A made-up platform's valuation module: a tip of any amount is all the creator's, each function once."""

    def tip(event, context):
        return valuation(platform="made", kind=event.kind, event=event, context=context, gross=event.amount)

    return types.SimpleNamespace(
        donation_features=lambda context: [
            DonationFeature("tip", "Tip", "tip", "yes", Decimal(1), unit="USD", source=PAGE)
        ],
        value_gift=tip,
        value_donation=tip,
        value_sale=lambda sale, context: sale_fee_unknown("made", "Made Live", sale, context),
        handle_like=lambda like, context: likes_earn_nothing("made", like, context, "they rank", PAGE),
    )


def test_a_platform_plugin_answers_every_hook_for_its_own_platform_only():
    plugin = PlatformPlugin(MADE, MADE_SETTINGS, (), made_value())
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(plugin, name="made")
    hook = pm.hook
    assert sorted(c.name for c in pm.get_hookcallers(plugin)) == [
        "livemoney_donation_features", "livemoney_handle_like", "livemoney_platform", "livemoney_readers",
        "livemoney_settings", "livemoney_value_donation", "livemoney_value_gift", "livemoney_value_sale",
    ]
    assert hook.livemoney_platform() == [MADE] and hook.livemoney_settings() == [MADE_SETTINGS.declared()]
    tip = Donation(platform="made", feature="tip", amount=usd("2.50"))
    # all of it to the creator: 2.50 = net 2.50
    assert hook.livemoney_value_donation(platform="made", donation=tip, context=USD).net == usd("2.50")
    assert hook.livemoney_value_gift(platform="made", gift=Gift(platform="made", gift="Rose", amount=usd(1)),
                                     context=USD).net == usd(1)
    assert hook.livemoney_value_sale(platform="made", sale=Sale(platform="made", amount=usd(5)), context=USD).unknown
    assert hook.livemoney_handle_like(platform="made", like=Like(platform="made", count=3), context=USD).likes == 3
    assert [f.key for f in hook.livemoney_donation_features(platform="made", context=USD)] == ["tip"]
    # another platform's events are left to its plugin
    other = Donation(platform="other", feature="tip", amount=usd(1))
    assert hook.livemoney_value_donation(platform="other", donation=other, context=USD) is None
    assert hook.livemoney_handle_like(platform="other", like=Like(platform="other"), context=USD) is None
    assert hook.livemoney_donation_features(platform="other", context=USD) is None


def test_a_valuation_module_that_lacks_a_function_is_refused_naming_it():
    value = made_value()
    del value.value_sale, value.handle_like
    with pytest.raises(PluginError, match=r"gives no value_sale, handle_like"):
        PlatformPlugin(MADE, MADE_SETTINGS, (), value)


# --- receipts and sources ----------------------------------------------------------------------------


def test_a_receipt_line_shows_an_amount_exact_to_at_least_the_minor_unit():
    # 0.0141428571428… USD is kept to 10 places; 50 USD is written to the cent; JPY has no minor unit
    assert exact_amount(usd(Decimal("0.99") / 70)) == "0.0141428571 USD"
    assert (exact_amount(usd(50)), exact_amount(Money(Decimal("120.0"), "JPY"))) == ("50.00 USD", "120 JPY")
    assert equals_exact(usd("0.0049000")) == "= 0.0049 USD"


def test_a_share_cites_the_users_setting_or_the_figures_source():
    assert (EARNS.cited_source, EARNS.share_source) == (PAGE, PAGE)
    mine = Resolved("made.star_usd", Decimal("0.02"), "USD/star", PAGE, overridden=True)
    assert (mine.cited_source, mine.share_source) == (Source("your setting made.star_usd = 0.02"), None)
    assert mine.cited_source.cite() == "your setting made.star_usd = 0.02, n.d."


def test_what_the_creator_earns_given_as_a_pack_is_the_settings_error():
    # a breaker's trial: --set made.star_usd=1/2 (its default UNKNOWN, so "1/2" reads as a tuple) failed inside the
    # kit with a TypeError, blamed on the plugin (exit 3)
    earns, _ = STARS.settings(UNKNOWN, PAGE, UNKNOWN, PAGE)
    assert parse_value(earns, "1/2") == (Decimal(1), Decimal(2))
    sent = Donation(platform="made", feature="stars", amount=Money(45, "stars"))
    shaped = Resolved("made.star_usd", (Decimal(1), Decimal(2)), "USD/star", PAGE, overridden=True)
    with pytest.raises(SettingError) as raised:
        STARS.value(sent, sent.amount, USD, pack=PACK, earns=shaped)
    assert str(raised.value) == "made.star_usd: 1/2 must be one number of USD (e.g. 0.01)"
    with pytest.raises(SettingError, match="made.star_usd: 1/2 must be one number"):
        STARS.creator_share(PACK, shaped)


def test_recent_keeps_the_last_keys_put_and_forgets_the_oldest():
    from livemoney.kit import RECENT_MESSAGES, Recent

    seen = Recent(3)
    for key in "abcd":
        seen.put(key, key.upper())
    assert ("a" in seen, seen.get("a", "gone"), len(seen)) == (False, "gone", 3)  # a, the oldest, forgotten
    seen.put("b", "B2")  # put again: the newest now, so c goes next
    seen.put("e")
    assert [key in seen for key in "bcde"] == [True, False, True, True] and seen.get("b") == "B2"
    assert Recent().size == RECENT_MESSAGES == 20_000
    for size in (0, 1.5, True, "3"):
        with pytest.raises(ValueError, match="must be a whole number of at least 1"):
            Recent(size)
