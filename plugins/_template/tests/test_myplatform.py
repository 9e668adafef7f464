"""The My Platform plugin: livemoney's checks, its valuations and its reader.

Until a source gives the figures every valuation is unknown; the tests that value tokens set the figures
themselves (example figures: the creator earns 0.01 USD a token; a viewer pays 1.40 USD for a pack of
100, 0.014 a token) and work out each amount by hand. Amounts are exact; what a user sees (a receipt, `valuation.shown()`; a report's totals) is each
figure rounded once. Every record the reader is fed is accounted for: an event, a record without money,
a kind not read, or a rejected record.
"""

import io
from decimal import Decimal

import livemoney as lm
import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney.kit import (
    NO_MONEY,
    NOT_READ,
    Context,
    Donation,
    Gift,
    Like,
    Money,
    Rejected,
    Sale,
    SettingError,
    Skipped,
    line_of,
)
from livemoney.testing import check_invariants, check_plugin, value_log
from livemoney_myplatform import PLUGIN
from livemoney_myplatform.readers import READERS
from livemoney_myplatform.readers.jsonl import SAMPLE

pytestmark = pytest.mark.livemoney_plugins(PLUGIN)

KEY = "myplatform"
# Example figures, as a user types them: --set myplatform.token_usd=0.01 --set myplatform.token_pack=100/1.40
FIGURES = {f"{KEY}.token_usd": "0.01", f"{KEY}.token_pack": "100/1.40"}
NO_SOURCE = "no source found yet for My Platform: replace with the page that gives the figure"
TOKENS = '{"type": "donation", "feature": "tokens", "amount": "500", "currency": "tokens"}'
(READER,) = READERS


def usd(amount):
    return Money(amount, "USD")


def test_livemoney_checks_find_no_problem():
    assert check_plugin(PLUGIN) == []


def test_the_platform_and_its_settings(livemoney_pm):
    (platform,) = livemoney_pm.hook.livemoney_platform()
    assert (platform.key, platform.units, platform.likes_pay) == (KEY, ("tokens",), False)
    settings = [setting for group in livemoney_pm.hook.livemoney_settings() for setting in group]
    assert sorted(setting.key for setting in settings) == [f"{KEY}.token_pack", f"{KEY}.token_usd"]
    assert all(setting.source.as_of for setting in settings)


def test_the_features_show_the_creators_share_once_the_figures_are_known(livemoney_pm):
    hook = livemoney_pm.hook.livemoney_donation_features
    (unknown,) = hook(platform=KEY, context=Context())
    assert (unknown.key, unknown.availability, unknown.creator_share) == ("tokens", "yes", None)
    figures = {f"{KEY}.token_usd": Decimal("0.01"), f"{KEY}.token_pack": (Decimal(100), Decimal("1.40"))}
    (known,) = hook(platform=KEY, context=Context(settings=figures))
    # 100 tokens earn 100 × 0.01 = 1.00 of the 1.40 paid for them.
    assert known.creator_share == Decimal("1.00") / Decimal("1.40")


def test_every_valuation_is_unknown_until_a_source_gives_the_figures(livemoney_pm):
    gift = '{"type": "gift", "gift": "Heart", "count": 2}'
    sale = '{"type": "sale", "amount": "25.00", "currency": "USD", "product": "T-shirt"}'
    results = value_log(livemoney_pm, [TOKENS, gift, sale])
    assert [(result.kind, result.unknown, result.net) for result in results] == [
        ("donation", True, usd(0)),
        ("gift", True, usd(0)),
        ("sale", True, usd(0)),
    ]
    assert results[0].reason == f"{KEY}.token_usd is unknown ({NO_SOURCE}); {KEY}.token_pack is unknown ({NO_SOURCE})"
    assert results[1].reason == "My Platform gift 'Heart' carries no amount and no source gives a gift catalogue"
    assert "fee on a product sold" in results[2].reason
    # one figure set, the other still unknown: the reason names the one missing
    (half,) = value_log(livemoney_pm, [TOKENS], settings={f"{KEY}.token_pack": "100/1.40"})
    assert (half.unknown, half.reason) == (True, f"{KEY}.token_usd is unknown ({NO_SOURCE})")


def test_tokens_with_the_figures_set(livemoney_pm):
    (result,) = value_log(livemoney_pm, [TOKENS], settings=FIGURES)
    # The viewer paid 500 × 1.40 / 100 = 7.00; the creator earns 500 × 0.01 = 5.00; My Platform keeps 2.00.
    assert (result.gross, result.net) == (usd("7.00"), usd("5.00"))
    assert [(share.party, share.amount) for share in result.shares] == [("My Platform", usd("2.00"))]
    assert result.units == {"tokens": Decimal(500)}


def test_a_bad_figure_set_by_the_user_is_a_setting_error_naming_it(livemoney_pm):
    with pytest.raises(SettingError, match=rf"{KEY}.token_usd: '-0.01' must be at least 0"):
        value_log(livemoney_pm, [TOKENS], settings={**FIGURES, f"{KEY}.token_usd": "-0.01"})
    # 100 tokens for 1.40 USD: a viewer pays 0.014 USD a token; the creator cannot earn 0.02 of it.
    with pytest.raises(SettingError, match=rf"{KEY}.token_usd: 0.02 USD a token is more than the creator can earn"):
        value_log(livemoney_pm, [TOKENS], settings={**FIGURES, f"{KEY}.token_usd": "0.02"})


def test_money_spent_buys_tokens_at_the_pack_price(livemoney_pm):
    spend = Donation(platform=KEY, feature="tokens", amount=usd(100))
    (result,) = value_log(livemoney_pm, [spend], settings=FIGURES)
    # 100 / 1.40 × 100 = 7142.857142857… tokens, worth 7142.857… × 0.01 = 71.428571428571… → 71.4285714286 (10 places)
    # to the creator; My Platform keeps 100 − 71.4285714286 = 28.5714285714.
    assert (result.gross, result.net, result.share("My Platform")) == (
        usd("100.00"),
        usd("71.4285714286"),
        usd("28.5714285714"),
    )
    # What a receipt shows: each figure rounded once, still adding up.
    shown = result.shown()
    assert (shown.gross, shown.net, shown.share("My Platform")) == (usd("100.00"), usd("71.43"), usd("28.57"))
    assert result.explain[-1] == (
        "exact: gross 100.00 = My Platform 28.5714285714 + net 71.4285714286 USD; "
        "shown rounded once (half-even): gross 100.00 = My Platform 28.57 + net 71.43 USD"
    )


def test_a_report_sums_exact_amounts_and_rounds_each_figure_once(livemoney_pm):
    one = Donation(platform=KEY, feature="tokens", amount=Money(1, "tokens"))
    (single,) = value_log(livemoney_pm, [one], settings=FIGURES)
    # One token: the viewer paid 1.40 / 100 = 0.014, the creator earns 0.01, My Platform keeps 0.004; its
    # receipt shows 0.01 = 0.00 + 0.01.
    assert (single.gross, single.net, single.share("My Platform")) == (usd("0.014"), usd("0.01"), usd("0.004"))
    assert (single.shown().gross, single.shown().share("My Platform")) == (usd("0.01"), usd("0.00"))
    report = lm.value([one] * 1000, settings=FIGURES, pm=livemoney_pm, progress=False)
    # 1,000 of them: 14.00 paid, 4.00 to My Platform, 10.00 to the creator (not 1,000 receipts of 0.01).
    assert (report.gross, report.shares, report.net) == (usd("14.00"), {"My Platform": usd("4.00")}, usd("10.00"))


@given(tokens=st.integers(min_value=1, max_value=10**6))
def test_the_creator_earns_exactly_the_rate_per_token(tokens):
    event = Donation(platform=KEY, feature="tokens", amount=Money(tokens, "tokens"))
    (result,) = value_log(PLUGIN, [event], settings=FIGURES)
    assert result.net == usd(Decimal(tokens) * Decimal("0.01"))
    assert result.gross == usd(Decimal(tokens) * Decimal("1.40") / 100)
    assert result.share("My Platform") == usd(Decimal(tokens) * Decimal("0.004"))
    assert result.shown().gross == result.gross.rounded()
    assert check_invariants(result) == []


def test_likes_earn_nothing_and_say_why(livemoney_pm):
    outcome = livemoney_pm.hook.livemoney_handle_like(
        platform=KEY, like=Like(platform=KEY, count=120), context=Context()
    )
    assert (outcome.likes, outcome.net) == (120, usd(0))
    assert outcome.note.startswith("no source says likes earn money")


def test_other_platforms_are_left_to_their_plugins(livemoney_pm):
    hook, context, other = livemoney_pm.hook, Context(), "someplatform"
    answers = [
        hook.livemoney_donation_features(platform=other, context=context),
        hook.livemoney_value_gift(platform=other, gift=Gift(platform=other, gift="Rose"), context=context),
        hook.livemoney_value_donation(platform=other, donation=Donation(platform=other, feature="x"), context=context),
        hook.livemoney_value_sale(platform=other, sale=Sale(platform=other, amount=usd(1)), context=context),
        hook.livemoney_handle_like(platform=other, like=Like(platform=other), context=context),
    ]
    assert answers == [None] * 5


def test_the_reader_recognises_and_reads_its_sample(livemoney_pm):
    readers = [reader for group in livemoney_pm.hook.livemoney_readers() for reader in group if reader.platform == KEY]
    assert readers == [READER]
    assert READER.sniff(SAMPLE) and not READER.sniff(TOKENS.encode())
    tokens, like, chat = READER.read(io.BytesIO(SAMPLE), "sample.jsonl")
    assert (tokens.feature, tokens.amount, tokens.viewer, tokens.id) == ("tokens", Money(500, "tokens"), "v1", "m1")
    assert (like.count, like.ts.isoformat(), like.source) == (3, "2026-11-01T20:00:09+00:00", "sample.jsonl:2")
    assert chat == Skipped("sample.jsonl", 3, "chat", NO_MONEY)  # a chat message carries no money


def test_bad_records_are_rejected_naming_line_and_field():
    log = (
        b'{"myplatform": "tokens", "tokens": "abc"}\n'
        b'{"platform": "myplatform"}\n'
        b"not json\n"
        b'{"myplatform": "like", "count": 2, "ts": "yesterday"}\n'
    )
    found = list(READER.read(io.BytesIO(log), "bad.jsonl"))
    assert all(isinstance(item, Rejected) for item in found)
    assert [(item.line, item.field) for item in found] == [(1, "tokens"), (2, KEY), (3, "(line)"), (4, "ts")]


def test_every_record_is_accounted_for_and_a_kind_not_read_is_named(livemoney_pm, tmp_path):
    log = tmp_path / "stream.jsonl"
    log.write_bytes(
        SAMPLE
        + b'{"myplatform": "wave", "viewer": "v4"}\n'  # a kind this reader does not know
        + b'{"myplatform": "join", "viewer": "v5"}\n'
        + b'{"myplatform": "tokens", "tokens": 0}\n'
    )
    found = list(READER.read(io.BytesIO(log.read_bytes()), "stream.jsonl"))
    assert [type(item).__name__ for item in found] == ["Donation", "Like", "Skipped", "Skipped", "Skipped", "Rejected"]
    assert found[3] == Skipped("stream.jsonl", 4, "wave", NOT_READ)
    report = lm.value(log, settings=FIGURES, pm=livemoney_pm, on_error="skip", progress=False)
    # 6 records: 2 events (500 tokens, 3 likes), chat and join without money, the wave not read, 0 tokens rejected
    assert report.counts_line() == (
        "records 6 = events 2 + without money 2 + not read 1 + rejected 1; events 2 = valued 2 + duplicates 0"
    )
    assert (report.without_money, report.not_read) == ({"chat": 1, "join": 1}, {"wave": 1})
    assert "not read: wave: 1 record, not read by this version" in report.notes()
    # 500 tokens: 500 × 1.40 / 100 = 7.00 paid, 500 × 0.01 = 5.00 to the creator
    assert (report.gross, report.net) == (usd("7.00"), usd("5.00"))


def test_the_live_decoder_takes_one_record_at_a_time():
    decoder = READER.decoder("live")
    record = {"myplatform": "like", "count": 4}
    assert READER.accepts(record) and not READER.accepts({"type": "like"})
    (like,) = decoder.feed(record, 1)
    assert (like.count, like.source) == (4, "live:1")
    assert list(decoder.feed({"myplatform": "follow", "viewer": "v9"}, 2)) == [Skipped("live", 2, "follow", NO_MONEY)]
    assert list(decoder.flush()) == []


# Any JSON, built from the format's own field names among others: the decoder must never drop a record.
records = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.sampled_from(["tokens", "like", "chat", "wave", "x"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from([KEY, "tokens", "count", "viewer", "id", "ts"]), children, max_size=4)
    ),
    max_leaves=12,
)


@given(st.lists(records, max_size=5))
def test_every_record_fed_comes_back_once_on_its_line(fed):
    decoder = READER.decoder("live")
    for line, record in enumerate(fed, start=1):
        (item,) = decoder.feed(record, line)
        assert line_of(item) == line
    assert list(decoder.flush(None)) == []
