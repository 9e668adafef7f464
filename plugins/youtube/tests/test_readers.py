"""YouTube readers on real fixtures and realistic logs: amounts stated by hand, traps that must not count twice."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import livemoney_youtube
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from livemoney import Donation, Money, Rejected
from livemoney.records import FieldError
from livemoney_youtube import chat_downloader, data_api, innertube, pytchat_items
from livemoney_youtube.currencies import parse_display
from livemoney_youtube.decoding import TICKER_WAIT

DATA = Path(__file__).parent / "data"
READERS = {reader.name: reader for reader in livemoney_youtube.livemoney_readers()}
OCT_10_2019 = dt.datetime(2019, 10, 10, 3, 34, 56, tzinfo=dt.UTC)  # timestampUsec 1570678496000000


def read(name, file_name):
    data = (DATA / file_name).read_bytes()
    return list(READERS[name].read(io.BytesIO(data), file_name))


def read_bytes(name, data, source="log.jsonl"):
    return list(READERS[name].read(io.BytesIO(data), source))


def summary(events):
    """(kind, feature or gift, amount, count) of each event, in order."""
    return [
        (e.kind, e.feature if isinstance(e, Donation) else e.gift, e.amount, e.count)
        for e in events
        if not isinstance(e, Rejected)
    ]


def usd(amount):
    return Money(Decimal(amount), "USD")


def value(pm, event, currency):
    return lm.value_event(event, lm.context(currency, pm=pm), pm=pm)


def creator_totals(pm, events):
    """What the creator keeps, per currency, each event valued in its own currency."""
    totals = Counter()
    for event in events:
        if isinstance(event, Donation) and event.amount is not None and event.amount.currency.isupper():
            totals[event.amount.currency] += value(pm, event, event.amount.currency).net.amount
    return dict(totals)


# --- the real fixtures ------------------------------------------------------------------------


def test_real_super_chat_counts_800_yen_once_and_its_846_yen_ticker_copy_nothing(pm):
    events = read("youtube-innertube", "pytchat__default_superchat.json")
    assert summary(events) == [("donation", "super_chat", Money(Decimal(800), "JPY"), 1)]
    (event,) = events
    assert (event.id, event.viewer, event.ts) == ("dummy_id", "author_name", OCT_10_2019)
    assert event.source == "pytchat__default_superchat.json:1"
    valued = value(pm, event, "JPY")
    # 800 × 0.30 = 240 to YouTube, 800 × 0.70 = 560 to the creator
    assert (valued.gross.amount, valued.share("YouTube").amount, valued.net.amount) == (800, 240, 560)


def test_real_super_sticker_of_200_yen():
    events = read("youtube-innertube", "pytchat__default_supersticker.json")
    assert summary(events) == [("donation", "super_sticker", Money(Decimal(200), "JPY"), 1)]
    assert events[0].ts == OCT_10_2019


def test_real_data_api_super_chat_from_amount_micros():
    events = read("youtube-data-api", "pytchat__API_SuperChat.json")
    # amountMicros "200000000" / 10**6 = 200 JPY
    assert summary(events) == [("donation", "super_chat", Money(Decimal(200000000) / 10**6, "JPY"), 1)]
    assert events[0].amount == Money(Decimal(200), "JPY")
    assert events[0].ts == dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    assert events[0].viewer == "A"
    assert events[0].id.startswith("LCC.Ck7NAO9v")


def test_real_unregistered_currency_is_rejected_with_its_reason():
    (rejected,) = read("youtube-innertube", "pytchat__unregistered_currency.json")
    assert isinstance(rejected, Rejected)
    assert rejected.field == (
        "continuationContents.liveChatContinuation.actions[0]."
        "addChatItemAction.item.liveChatPaidMessageRenderer.purchaseAmountText.simpleText"
    )
    assert rejected.problem == "unknown currency prefix '[UNREGISTERD]' in '[UNREGISTERD]10,800'; not guessed"
    assert (rejected.source, rejected.line) == ("pytchat__unregistered_currency.json", 1)
    assert json.loads(rejected.raw)["addChatItemAction"]["item"]["liveChatPaidMessageRenderer"]["id"] == "dummy_id"


def test_real_new_member_counts_with_its_price_unknown(pm):
    for reader, file_name in [
        ("youtube-innertube", "pytchat__default_newSponsor_current.json"),
        ("youtube-data-api", "pytchat__API_NewSponsor.json"),
    ]:
        events = read(reader, file_name)
        assert summary(events) == [("donation", "membership", None, 1)]
        valued = value(pm, events[0], "USD")
        assert valued.unknown and "no price" in valued.reason


@pytest.mark.parametrize(
    "file_name, reader",
    [
        ("pytchat__default_superchat.json", "youtube-innertube"),
        ("pytchat__default_supersticker.json", "youtube-innertube"),
        ("pytchat__default_newSponsor_current.json", "youtube-innertube"),
        ("pytchat__unregistered_currency.json", "youtube-innertube"),
        ("pytchat__API_SuperChat.json", "youtube-data-api"),
        ("pytchat__API_NewSponsor.json", "youtube-data-api"),
        ("youtube_replay.json", "youtube-innertube"),
        ("chat_downloader_replay.json", "chat-downloader"),
        ("pytchat_items.jsonl", "pytchat"),
        ("data_api_live_chat.jsonl", "youtube-data-api"),
        ("data_api_super_chat_events.json", "youtube-data-api"),
    ],
)
def test_each_file_is_recognised_by_its_first_kilobyte_alone(file_name, reader):
    head = (DATA / file_name).read_bytes()[:1024]
    assert [name for name, each in READERS.items() if each.sniff(head)] == [reader]


# --- hand-written realistic logs -------------------------------------------------------------

REPLAY_EVENTS = [
    ("donation", "super_chat", usd("10.00"), 1),
    ("donation", "super_sticker", Money(Decimal("2.00"), "EUR"), 1),
    ("donation", "membership", None, 1),  # new member
    ("donation", "membership", None, 1),  # milestone: member for 6 months
    ("donation", "membership", None, 5),  # "Sent 5 Night Owl Radio gift memberships"
    ("donation", "giving", usd("50.00"), 1),
    ("donation", "super_chat", Money(Decimal("10.00"), "CHF"), 1),  # "CHF\xa010.00"
    ("donation", "super_chat", Money(Decimal("1000.00"), "INR"), 1),  # "₹1,000.00"
    ("donation", "super_chat", Money(Decimal("20.00"), "CAD"), 1),  # seen only as a ticker: counted at the end
]


def test_innertube_replay_log(pm):
    events = read("youtube-innertube", "youtube_replay.json")
    # the $10.00 chat item comes twice (replay pages overlap) and once more as a ticker copy: once
    assert summary(events) == REPLAY_EVENTS
    assert len({e.id for e in events}) == len(events)
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)  # 1700000061000000 µs
    # creator: 10.00 × 0.70 = 7.00 USD (the $50.00 donation goes to the charity), 2.00 × 0.70 = 1.40 EUR,
    # 10.00 × 0.70 = 7.00 CHF, 1000.00 × 0.70 = 700.00 INR, 20.00 × 0.70 = 14.00 CAD
    assert creator_totals(pm, events) == {
        "USD": Decimal("7.00"),
        "EUR": Decimal("1.40"),
        "CHF": Decimal("7.00"),
        "INR": Decimal("700.00"),
        "CAD": Decimal("14.00"),
    }
    giving = value(pm, events[5], "USD")
    assert giving.share("Charity (YouTube Giving)") == usd("50.00") and giving.net == usd("0.00")
    assert sum(e.count for e in events if e.feature == "membership") == 1 + 1 + 5


def test_chat_downloader_log_with_tickers(pm):
    events = read("chat-downloader", "chat_downloader_replay.json")
    # as the innertube log, but chat-downloader dropped the donation's amount
    expected = [event if event[1] != "giving" else ("donation", "giving", None, 1) for event in REPLAY_EVENTS]
    assert summary(events) == expected
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)  # timestamp 1700000061000000 µs
    assert events[-1].viewer == "Jordan Lee" and events[-1].amount == Money(Decimal("20.00"), "CAD")
    giving = value(pm, events[5], "USD")
    assert giving.unknown and giving.net == Money.zero("USD")
    assert creator_totals(pm, events) == {
        "USD": Decimal("7.00"),
        "EUR": Decimal("1.40"),
        "CHF": Decimal("7.00"),
        "INR": Decimal("700.00"),
        "CAD": Decimal("14.00"),
    }


def test_pytchat_items_log(pm):
    events = read("pytchat", "pytchat_items.jsonl")
    # pytchat reads no tickers (the CA$20.00 is missing) and no gift purchases; the repeated $10.00 counts once
    assert summary(events) == [
        ("donation", "super_chat", usd("10.00"), 1),
        ("donation", "super_sticker", Money(Decimal("2.00"), "EUR"), 1),
        ("donation", "membership", None, 1),
        ("donation", "membership", None, 1),
        ("donation", "giving", None, 1),
        ("donation", "super_chat", Money(Decimal("10.00"), "CHF"), 1),
        ("donation", "super_chat", Money(Decimal("1000.00"), "INR"), 1),
    ]
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)  # timestamp 1700000061000 ms
    assert [e.source for e in events][:2] == ["pytchat_items.jsonl:2", "pytchat_items.jsonl:3"]
    assert creator_totals(pm, events) == {
        "USD": Decimal("7.00"),
        "EUR": Decimal("1.40"),
        "CHF": Decimal("7.00"),
        "INR": Decimal("700.00"),
    }


def test_data_api_polls(pm):
    events = read("youtube-data-api", "data_api_live_chat.jsonl")
    # the $5.00 Super Chat is in both polls: once
    assert summary(events) == [
        ("donation", "super_chat", usd("5.00"), 1),  # amountMicros "5000000"
        ("donation", "super_sticker", Money(Decimal("1.99"), "EUR"), 1),  # "1990000"
        ("donation", "membership", None, 1),  # newSponsorEvent
        ("donation", "membership", None, 1),  # memberMilestoneChatEvent
        ("donation", "membership", None, 3),  # membershipGiftingEvent, giftMembershipsCount 3
        ("gift", "Girl power", Money(Decimal(100), "jewels"), 1),  # giftEvent, jewelsAmount 100
        ("donation", "super_chat", Money(Decimal(1000), "JPY"), 1),  # "1000000000"
    ]
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 15, 10, 502000, tzinfo=dt.UTC)
    assert events[0].stream == "KicKGFVDbmlnaHRvd2xyYWRpbzAwMDAwMDAwMBILbGl2ZTIwMjMxMTE0"
    assert [e.source for e in events] == ["data_api_live_chat.jsonl:1"] * 3 + ["data_api_live_chat.jsonl:2"] * 4
    # creator: 5.00 × 0.70 = 3.50 USD; 1.99 − (1.99 × 0.30 = 0.597 → 0.60) = 1.39 EUR; 1000 × 0.70 = 700 JPY
    assert creator_totals(pm, events) == {"USD": Decimal("3.50"), "EUR": Decimal("1.39"), "JPY": Decimal(700)}
    jewels = value(pm, events[5], "USD")
    assert jewels.unknown and "no fixed revenue share" in jewels.reason


def test_data_api_super_chat_events(pm):
    events = read("youtube-data-api", "data_api_super_chat_events.json")
    assert summary(events) == [
        ("donation", "super_chat", usd("100"), 1),  # amountMicros "100000000"
        ("donation", "super_sticker", Money(Decimal(2000), "KRW"), 1),  # isSuperStickerEvent, "2000000000"
    ]
    assert events[1].viewer == "Minji" and events[1].ts == dt.datetime(2023, 11, 14, 22, 31, 40, tzinfo=dt.UTC)
    # 100 × 0.70 = 70.00 USD; 2000 × 0.70 = 1400 KRW (no decimals)
    assert creator_totals(pm, events) == {"USD": Decimal("70.00"), "KRW": Decimal(1400)}


# --- the ticker and duplicate traps ----------------------------------------------------------


def paid_action(message_id, amount, usec="1570678496000000"):
    return {
        "addChatItemAction": {
            "item": {
                "liveChatPaidMessageRenderer": {
                    "id": message_id,
                    "timestampUsec": usec,
                    "authorName": {"simpleText": "viewer"},
                    "purchaseAmountText": {"simpleText": amount},
                }
            }
        }
    }


def ticker_action(message_id, amount, usec="1570678496000000"):
    chat = paid_action(message_id, amount, usec)["addChatItemAction"]["item"]
    renderer = {
        "id": message_id,
        "amount": {"simpleText": amount},
        "durationSec": 120,
        "showItemEndpoint": {"showLiveChatItemEndpoint": {"renderer": chat}},
    }
    return {"addLiveChatTickerItemAction": {"item": {"liveChatTickerPaidMessageItemRenderer": renderer}}}


def lines(*records):
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()


def test_a_ticker_copy_arriving_first_still_counts_nothing():
    events = read_bytes("youtube-innertube", lines(ticker_action("x1", "￥846"), paid_action("x1", "￥800")))
    assert summary(events) == [("donation", "super_chat", Money(Decimal(800), "JPY"), 1)]
    assert events[0].source == "log.jsonl:2"


def test_a_ticker_only_item_waits_for_flush_and_counts_once():
    decoder = innertube.READER.decoder("live")
    assert decoder.feed(ticker_action("x2", "$25.00"), 1) == []
    sent = OCT_10_2019
    assert list(decoder.flush(sent + TICKER_WAIT - dt.timedelta(seconds=1))) == []
    (event,) = decoder.flush(sent + TICKER_WAIT)
    assert (event.amount, event.id, event.source) == (usd("25.00"), "x2", "live:1")
    # its chat item arriving late, or the ticker again, counts nothing more
    assert decoder.feed(paid_action("x2", "$25.00"), 2) == []
    assert decoder.feed(ticker_action("x2", "$25.00"), 3) == []
    assert list(decoder.flush(None)) == []


def test_a_rejected_chat_item_is_not_replaced_by_its_ticker_copy():
    events = read_bytes(
        "youtube-innertube", lines(paid_action("x3", "[UNREGISTERD]10,800"), ticker_action("x3", "$80.00"))
    )
    assert len(events) == 1 and isinstance(events[0], Rejected)


def test_a_bad_ticker_copy_of_a_good_chat_item_is_not_rejected():
    events = read_bytes("youtube-innertube", lines(ticker_action("x4", "??846"), paid_action("x4", "￥800")))
    assert summary(events) == [("donation", "super_chat", Money(Decimal(800), "JPY"), 1)]
    assert not any(isinstance(e, Rejected) for e in events)


def test_a_ticker_copy_without_an_id_is_rejected_not_counted():
    ticker = ticker_action("x7", "$5.00")
    del ticker["addLiveChatTickerItemAction"]["item"]["liveChatTickerPaidMessageItemRenderer"]["id"]
    (rejected,) = read_bytes("youtube-innertube", lines(ticker))
    assert rejected.field == "addLiveChatTickerItemAction.item.liveChatTickerPaidMessageItemRenderer.id"
    record = {
        "action_type": "add_live_chat_ticker_item",
        "message_type": "ticker_paid_message_item",
        "money": {"text": "$5.00"},
    }
    (rejected,) = read_bytes("chat-downloader", lines(record))
    assert rejected.field == "message_id" and "cannot be matched" in rejected.problem


def test_replay_wrapped_actions_and_string_or_int_microseconds():
    replay = {
        "replayChatItemAction": {
            "actions": [paid_action("x5", "€5.00", usec=1570678496000000)],
            "videoOffsetTimeMsec": "5000",
        }
    }
    events = read_bytes("youtube-innertube", lines(replay, replay, paid_action("x6", "£3.00")))
    assert summary(events) == [
        ("donation", "super_chat", Money(Decimal("5.00"), "EUR"), 1),
        ("donation", "super_chat", Money(Decimal("3.00"), "GBP"), 1),
    ]
    assert events[0].ts == events[1].ts == OCT_10_2019


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.booleans(), st.integers(min_value=1, max_value=999)),
        max_size=20,
    )
)
def test_every_id_counts_exactly_once_and_a_chat_item_wins_over_tickers(feeds):
    decoder = innertube.READER.decoder("prop")
    out = []
    for line, (message_id, is_ticker, yen) in enumerate(feeds, start=1):
        action = (ticker_action if is_ticker else paid_action)(message_id, f"￥{yen}")
        out.extend(decoder.feed(action, line))
    out.extend(decoder.flush(None))
    assert sorted(e.id for e in out) == sorted({message_id for message_id, _, _ in feeds})
    for event in out:
        sent = [(ticker, yen) for message_id, ticker, yen in feeds if message_id == event.id]
        chat_items = [yen for ticker, yen in sent if not ticker]
        expected = chat_items[0] if chat_items else sent[0][1]
        assert event.amount == Money(Decimal(expected), "JPY")


# --- display amounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("￥6,000", "6000", "JPY"),
        ("¥200", "200", "JPY"),
        ("$10.00", "10.00", "USD"),
        ("CA$5.00", "5.00", "CAD"),
        ("NT$150.00", "150.00", "TWD"),
        ("R$10.00", "10.00", "BRL"),
        ("A$2.00", "2.00", "AUD"),
        ("HK$40.00", "40.00", "HKD"),
        ("MX$100.00", "100.00", "MXN"),
        ("NZ$5.00", "5.00", "NZD"),
        ("£1.00", "1.00", "GBP"),
        ("€2", "2", "EUR"),
        ("₹1,000.00", "1000.00", "INR"),
        ("₪20.00", "20.00", "ILS"),
        ("₱100.00", "100.00", "PHP"),
        ("₩1,000", "1000", "KRW"),
        ("￦1,000", "1000", "KRW"),
        ("CHF\xa010.00", "10.00", "CHF"),
        ("PHP\xa0100.00", "100.00", "PHP"),
        ("SGD\xa01,234.50", "1234.50", "SGD"),
    ],
)
def test_display_amounts(text, amount, currency):
    assert parse_display(text, "amount") == Money(Decimal(amount), currency)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[UNREGISTERD]10,800", "unknown currency prefix '[UNREGISTERD]'"),
        ("US$5.00", "unknown currency prefix 'US$'"),
        ("10.00", "unknown currency prefix '(none)'"),
        ("₹1,00,000", "not a number grouped with commas"),
        ("$", "is not an amount"),
        ("", "is not an amount"),
    ],
)
def test_display_amounts_that_are_refused(text, problem):
    with pytest.raises(FieldError) as caught:
        parse_display(text, "purchaseAmountText.simpleText")
    assert caught.value.field == "purchaseAmountText.simpleText"
    assert problem in caught.value.problem


# --- bad input: each rejected with its field -----------------------------------------------------


def test_chat_downloader_rejects_with_field_names():
    items = [
        {"action_type": "add_chat_item", "message_type": "paid_message", "message_id": "m1", "money": {"text": "[X]5"}},
        {"action_type": "add_chat_item", "message_type": "paid_message", "message_id": "m2"},
        {
            "action_type": "add_chat_item",
            "message_type": "sponsorships_gift_purchase_announcement",
            "message_id": "m3",
            "message": "Welcome!",
        },
        {"action_type": "add_chat_item", "message_id": "m4"},
        {"action_type": "add_chat_item", "message_type": "text_message", "message_id": "m5", "message": "hi"},
    ]
    rejected = read_bytes("chat-downloader", json.dumps(items).encode(), "chat.json")
    assert [(r.field, r.problem) for r in rejected] == [
        ("money.text", "unknown currency prefix '[X]' in '[X]5'; not guessed"),
        ("money.text", "missing"),
        ("message", "no gifted membership count in 'Welcome!'"),
        ("message_type", "missing"),
    ]


def test_data_api_rejects_with_field_names():
    def message(message_id, kind, **details):
        return {"kind": "youtube#liveChatMessage", "id": message_id, "snippet": {"type": kind, **details}}

    page = {
        "kind": "youtube#liveChatMessageListResponse",
        "items": [
            message("a", "superChatEvent", superChatDetails={"amountMicros": "1.5", "currency": "USD"}),
            message("b", "superChatEvent", superChatDetails={"amountMicros": "1000000", "currency": "yen"}),
            message("c", "membershipGiftingEvent", membershipGiftingDetails={"giftMembershipsCount": 0}),
            message("d", "giftEvent", giftDetails={"giftName": "Rocket"}),
            {"kind": "youtube#video", "id": "e"},
        ],
    }
    rejected = read_bytes("youtube-data-api", json.dumps(page).encode(), "poll.json")
    assert [(r.field, r.problem) for r in rejected] == [
        ("items[0].snippet.superChatDetails.amountMicros", "'1.5' is not a whole number of micros"),
        ("items[1].snippet.superChatDetails.currency", "'yen' is not an ISO-4217 currency code"),
        ("items[2].snippet.membershipGiftingDetails.giftMembershipsCount", "0 is not a whole number of at least 1"),
        ("items[3].snippet.giftDetails.jewelsAmount", "missing"),
        ("items[4].kind", "'youtube#video' is not one of " + ", ".join(data_api.KINDS)),
    ]
    assert all((r.source, r.line) == ("poll.json", 1) for r in rejected)


def test_pytchat_rejects_an_unknown_type_and_innertube_an_unknown_paid_renderer():
    (bad_type,) = read_bytes("pytchat", lines({"type": "superThanks", "amountString": "$2.00", "id": "p1"}))
    assert (bad_type.field, bad_type.line) == ("type", 1)
    unknown = {"addChatItemAction": {"item": {"liveChatPaidSomethingNewRenderer": {"id": "n1"}}}}
    (bad_renderer,) = read_bytes("youtube-innertube", lines(unknown))
    assert bad_renderer.field == "addChatItemAction.item.liveChatPaidSomethingNewRenderer"
    assert "no rule" in bad_renderer.problem
    (not_chat,) = read_bytes("youtube-innertube", lines({"hello": "world"}))
    assert not_chat.problem == "not a YouTube live chat response or action"


def test_gifted_membership_count_from_innertube_header():
    gift = {
        "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer": {
            "id": "g1",
            "timestampUsec": "1700000260000000",
            "header": {
                "liveChatSponsorshipsHeaderRenderer": {
                    "authorName": {"simpleText": "Big Fan"},
                    "primaryText": {"runs": [{"text": "Gifted "}, {"text": "20"}, {"text": " Night Owl memberships"}]},
                }
            },
        }
    }
    (event,) = read_bytes("youtube-innertube", lines({"addChatItemAction": {"item": gift}}))
    assert (event.feature, event.count, event.amount, event.viewer) == ("membership", 20, None, "Big Fan")


# --- live use: accepts() says which raw dicts each reader takes ------------------------------------


def test_accepts_tells_the_formats_apart():
    samples = {
        "youtube-innertube": paid_action("i1", "$1.00"),
        "chat-downloader": {"action_type": "add_chat_item", "message_type": "paid_message", "message_id": "c1"},
        "pytchat": {"type": "superChat", "id": "p1", "amountString": "$1.00", "timestamp": 1570678496000},
        "youtube-data-api": {"kind": "youtube#liveChatMessage", "id": "d1", "snippet": {"type": "textMessageEvent"}},
    }
    for name, record in samples.items():
        assert [other for other, reader in READERS.items() if reader.accepts(record)] == [name]
    assert not any(reader.accepts(["not", "a", "dict"]) for reader in READERS.values())


def test_live_decoders_take_raw_dicts_one_at_a_time():
    decoder = pytchat_items.READER.decoder("live")
    item = {
        "type": "superChat",
        "id": "p1",
        "amountString": "€3.00",
        "timestamp": 1570678496000,
        "author": {"name": "Ann"},
    }
    (event,) = decoder.feed(item, 1)
    assert (event.amount, event.viewer, event.ts) == (Money(Decimal("3.00"), "EUR"), "Ann", OCT_10_2019)
    assert decoder.feed(item, 2) == []
    chat = chat_downloader.READER.decoder("live")
    record = {
        "action_type": "add_chat_item",
        "message_type": "paid_sticker",
        "message_id": "c9",
        "timestamp": 1570678496000000,
        "money": {"text": "A$4.00", "amount": 4.0},
    }
    (sticker,) = chat.feed(record, 1)
    assert (sticker.feature, sticker.amount, sticker.ts) == (
        "super_sticker",
        Money(Decimal("4.00"), "AUD"),
        OCT_10_2019,
    )
