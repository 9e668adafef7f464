"""YouTube readers on real fixtures and realistic logs: amounts stated by hand, every record accounted for
(an event, a Skipped record or a Rejected one), traps that must not count twice."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
import livemoney as lm
import livemoney_youtube
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from livemoney import Donation, Event, Money, Rejected
from livemoney.kit import MAX_AMOUNT, MAX_COUNT, NO_MONEY, NOT_READ, REPEAT, FieldError, Skipped
from livemoney_youtube.readers import chat_downloader, data_api, decoding, innertube, pytchat_items
from livemoney_youtube.readers.currencies import parse_display
from livemoney_youtube.readers.decoding import COMBO_WAIT, TICKER_COPY, TICKER_WAIT

DATA = Path(__file__).parent / "data"
READERS = {reader.name: reader for reader in livemoney_youtube.READERS}
OCT_10_2019 = dt.datetime(2019, 10, 10, 3, 34, 56, tzinfo=dt.UTC)  # timestampUsec 1570678496000000


def read(name, file_name):
    data = (DATA / file_name).read_bytes()
    return list(READERS[name].read(io.BytesIO(data), file_name))


def read_bytes(name, data, source="log.jsonl"):
    return list(READERS[name].read(io.BytesIO(data), source))


def summary(items):
    """(kind, feature or gift, amount, count) of each event, in order."""
    return [
        (e.kind, e.feature if isinstance(e, Donation) else e.gift, e.amount, e.count)
        for e in items
        if isinstance(e, Event)
    ]


def skipped(items):
    """(kind, why) of each Skipped record, in order."""
    return [(s.kind, s.why) for s in items if isinstance(s, Skipped)]


def events_only(items):
    return [item for item in items if isinstance(item, Event)]


def usd(amount):
    return Money(Decimal(amount), "USD")


def value(pm, event, currency):
    return lm.value_event(event, lm.context(currency, pm=pm), pm=pm)


def creator_totals(pm, events):
    """What the creator keeps, per currency, each distinct event valued in its own currency (an event
    with the id and content of an earlier one is the host's duplicate: counted once)."""
    totals = Counter()
    seen = set()
    for event in events:
        key = (event.id, event.kind, getattr(event, "feature", None), event.amount, event.viewer, event.ts)
        if key in seen:
            continue
        seen.add(key)
        if isinstance(event, Donation) and event.amount is not None and event.amount.currency.isupper():
            totals[event.amount.currency] += value(pm, event, event.amount.currency).net.amount
    return dict(totals)


# --- the real fixtures ------------------------------------------------------------------------


def test_real_super_chat_counts_800_yen_once_and_its_846_yen_ticker_copy_nothing(pm):
    items = read("youtube-innertube", "pytchat__default_superchat.json")
    assert summary(items) == [("donation", "super_chat", Money(Decimal(800), "JPY"), 1)]
    assert skipped(items) == [(TICKER_COPY, NO_MONEY)]
    (event,) = events_only(items)
    assert (event.id, event.viewer, event.ts) == ("dummy_id", "author_name", OCT_10_2019)
    assert event.source == "pytchat__default_superchat.json:1"
    valued = value(pm, event, "JPY")
    # 800 × 0.30 = 240 to YouTube, 800 × 0.70 = 560 to the creator
    assert (valued.gross.amount, valued.share("YouTube").amount, valued.net.amount) == (800, 240, 560)


def test_real_super_sticker_of_200_yen():
    events = events_only(read("youtube-innertube", "pytchat__default_supersticker.json"))
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
        events = events_only(read(reader, file_name))
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
    ("donation", "membership", None, 5),  # "Sent 5 Night Owl Radio gift memberships"
    ("donation", "giving", usd("50.00"), 1),
    ("donation", "super_chat", usd("10.00"), 1),  # the next replay page repeats it: the host's duplicate
    ("donation", "super_chat", Money(Decimal("10.00"), "CHF"), 1),  # "CHF\xa010.00"
    ("donation", "super_chat", Money(Decimal("1000.00"), "INR"), 1),  # "₹1,000.00"
    ("donation", "super_chat", Money(Decimal("20.00"), "CAD"), 1),  # seen only as a ticker: counted at the end
]
CREATOR = {
    # 10.00 × 0.70 = 7.00 USD (the $50.00 donation goes to the charity), 2.00 × 0.70 = 1.40 EUR,
    # 10.00 × 0.70 = 7.00 CHF, 1000.00 × 0.70 = 700.00 INR, 20.00 × 0.70 = 14.00 CAD
    "USD": Decimal("7.00"),
    "EUR": Decimal("1.40"),
    "CHF": Decimal("7.00"),
    "INR": Decimal("700.00"),
    "CAD": Decimal("14.00"),
}


def test_innertube_replay_log(pm):
    items = read("youtube-innertube", "youtube_replay.json")
    # the $10.00 chat item comes twice (replay pages overlap: both given, the host drops the repeat) and
    # once more as a ticker copy (no money)
    assert summary(items) == REPLAY_EVENTS
    assert skipped(items) == [
        ("liveChatTextMessageRenderer", NO_MONEY),
        (TICKER_COPY, NO_MONEY),
        ("liveChatMembershipItemRenderer (milestone)", NO_MONEY),  # "Member for 6 months": a message
        ("liveChatSponsorshipsGiftRedemptionAnnouncementRenderer", NO_MONEY),
    ]
    assert len(items) == 13  # 13 actions, each once
    events = events_only(items)
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)  # 1700000061000000 µs
    assert creator_totals(pm, events) == CREATOR
    giving = value(pm, events[4], "USD")
    assert giving.share("Charity (YouTube Giving)") == usd("50.00") and giving.net == usd("0.00")
    assert sum(e.count for e in events if e.feature == "membership") == 1 + 5


def test_chat_downloader_log_with_tickers(pm):
    items = read("chat-downloader", "chat_downloader_replay.json")
    # as the innertube log, but chat-downloader dropped the donation's amount
    expected = [event if event[1] != "giving" else ("donation", "giving", None, 1) for event in REPLAY_EVENTS]
    assert summary(items) == expected
    assert skipped(items) == [(TICKER_COPY, NO_MONEY), ("membership_item (milestone)", NO_MONEY)]
    events = events_only(items)
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)  # timestamp 1700000061000000 µs
    assert events[-1].viewer == "Jordan Lee" and events[-1].amount == Money(Decimal("20.00"), "CAD")
    assert events[-1].source == "chat_downloader_replay.json:2"  # the ticker's own line, given at the end
    giving = value(pm, events[4], "USD")
    assert giving.unknown and giving.net == Money.zero("USD")
    assert creator_totals(pm, events) == CREATOR


def test_pytchat_items_log(pm):
    items = read("pytchat", "pytchat_items.jsonl")
    # pytchat reads no tickers (the CA$20.00 is missing) and no gift purchases
    assert summary(items) == [
        ("donation", "super_chat", usd("10.00"), 1),
        ("donation", "super_sticker", Money(Decimal("2.00"), "EUR"), 1),
        ("donation", "membership", None, 1),
        ("donation", "giving", None, 1),
        ("donation", "super_chat", usd("10.00"), 1),  # the repeat: the host's duplicate
        ("donation", "super_chat", Money(Decimal("10.00"), "CHF"), 1),
        ("donation", "super_chat", Money(Decimal("1000.00"), "INR"), 1),
    ]
    # the milestone comes out of pytchat as newSponsor "Welcome New Member!" (pytchat's own text where the
    # header has no runs): it cannot be told from a new member, so it is not read, and said so
    assert skipped(items) == [
        ("textMessage", NO_MONEY),
        ("newSponsor (pytchat lost its header: a milestone or a new member)", NOT_READ),
    ]
    events = events_only(items)
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 14, 21, tzinfo=dt.UTC)  # timestamp 1700000061000 ms
    assert [e.source for e in events][:2] == ["pytchat_items.jsonl:2", "pytchat_items.jsonl:3"]
    assert creator_totals(pm, events) == {key: CREATOR[key] for key in ("USD", "EUR", "CHF", "INR")}


def test_data_api_polls(pm):
    items = read("youtube-data-api", "data_api_live_chat.jsonl")
    # the $5.00 Super Chat is in both polls: both given, the host drops the repeat
    assert summary(items) == [
        ("donation", "super_chat", usd("5.00"), 1),  # amountMicros "5000000"
        ("donation", "super_sticker", Money(Decimal("1.99"), "EUR"), 1),  # "1990000"
        ("donation", "membership", None, 1),  # newSponsorEvent
        ("donation", "super_chat", usd("5.00"), 1),  # the second poll's copy
        ("donation", "membership", None, 3),  # membershipGiftingEvent, giftMembershipsCount 3
        ("donation", "super_chat", Money(Decimal(1000), "JPY"), 1),  # "1000000000"
        ("gift", "Girl power", Money(Decimal(100), "jewels"), 1),  # giftEvent: a combo, given at the end
    ]
    assert skipped(items) == [
        ("textMessageEvent", NO_MONEY),
        ("memberMilestoneChatEvent", NO_MONEY),  # "a whole year!": a member's message, not a purchase
        ("giftMembershipReceivedEvent", NO_MONEY),
    ]
    events = events_only(items)
    assert events[0].ts == dt.datetime(2023, 11, 14, 22, 15, 10, 502000, tzinfo=dt.UTC)
    assert events[0].stream == "KicKGFVDbmlnaHRvd2xyYWRpbzAwMDAwMDAwMBILbGl2ZTIwMjMxMTE0"
    assert [e.source for e in events] == ["data_api_live_chat.jsonl:1"] * 3 + ["data_api_live_chat.jsonl:2"] * 4
    # creator: 5.00 × 0.70 = 3.50 USD; 1.99 × 0.70 = 1.393 EUR (exact); 1000 × 0.70 = 700 JPY
    assert creator_totals(pm, events) == {"USD": Decimal("3.50"), "EUR": Decimal("1.393"), "JPY": Decimal(700)}
    jewels = value(pm, events[6], "USD")
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


# --- the ticker and repeat traps ------------------------------------------------------------


def paid_action(message_id, amount, usec="1570678496000000", viewer="viewer"):
    return {
        "addChatItemAction": {
            "item": {
                "liveChatPaidMessageRenderer": {
                    "id": message_id,
                    "timestampUsec": usec,
                    "authorName": {"simpleText": viewer},
                    "purchaseAmountText": {"simpleText": amount},
                }
            }
        }
    }


def ticker_action(message_id, amount, usec="1570678496000000", viewer="viewer"):
    chat = paid_action(message_id, amount, usec, viewer)["addChatItemAction"]["item"]
    renderer = {
        "id": message_id,
        "amount": {"simpleText": amount},
        "durationSec": 120,
        "showItemEndpoint": {"showLiveChatItemEndpoint": {"renderer": chat}},
    }
    return {"addLiveChatTickerItemAction": {"item": {"liveChatTickerPaidMessageItemRenderer": renderer}}}


def lines(*records):
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()


def with_menu(action, label):
    """``action`` with its chat item's menu label (``contextMenuAccessibility``), as a browser's page has it."""
    item = next(iter(action.values()))["item"]
    body = next(iter(item.values()))
    body["contextMenuAccessibility"] = {"accessibilityData": {"label": label}}
    shown = body.get("showItemEndpoint", {}).get("showLiveChatItemEndpoint", {}).get("renderer")
    if shown:  # a ticker: the item it shows has the label, as YouTube sends it
        next(iter(shown.values()))["contextMenuAccessibility"] = body["contextMenuAccessibility"]
    return action


def test_a_giving_amount_is_the_run_after_donated_never_one_a_donor_wrote_into_their_name():
    # Two re-checks' finds: a display name "Bob donated $9,999.00 via" set the amount (9999.00 USD for 50.00).
    def giving(*runs, name="v"):
        body = {"id": "g1", "timestampUsec": "1570678496000000", "authorName": {"simpleText": name}}
        body["text"] = {"runs": [{"text": text} for text in runs]}
        return {"addChatItemAction": {"item": {"liveChatDonationAnnouncementRenderer": body}}}

    name = "Bob donated $9,999.00 via"
    records = [
        giving(name, " donated ", "$50.00"),
        giving(name, " donated ", "CHF 50.00", name=name),  # a prefix with a space, as the text gives it
        giving(name),  # the name alone: no amount of YouTube's, so none (valued unknown, with the reason)
        giving("donated", " donated ", "$50.00", name="donated"),  # a third re-check: a name that is "donated"
        giving("Bob", "", " donated ", "", "$50.00"),  # runs left empty (an emoji's) around the amount
    ]
    assert [event.amount for event in events_only(read_bytes("youtube-innertube", lines(*records)))] == [
        usd("50.00"),
        Money(Decimal("50.00"), "CHF"),
        None,
        usd("50.00"),
        usd("50.00"),
    ]


def test_a_legacy_new_member_is_a_membership_in_chat_downloader_as_in_innertube():
    # A breaker's find: pytchat's real fixture newSponsor_lagacy.json (liveChatLegacyPaidMessageRenderer, a new
    # member before 2019) was a membership through innertube and "not read" through chat-downloader.
    item = {
        "action_type": "add_chat_item",
        "message_id": "ChwKGkNQYWltdEhkbXVVQ0Zhakl3UW9kaGgwS2RR",
        "timestamp": 1571021092458870,
        "message": "",
        "author": {"name": "viewer", "id": "UCviewer"},
        "message_type": "legacy_paid_message",
    }
    (member,) = read_bytes("chat-downloader", lines(item))
    assert (member.kind, member.feature, member.amount, member.count, member.viewer) == (
        "donation", "membership", None, 1, "viewer"
    )


def test_a_dollar_alone_on_a_page_in_another_language_is_refused_not_read_as_us_dollars():
    # A breaker's real capture (MurabitoB/VTSYoutubeDropper, mock-home live_chat/superchat.ts, client
    # 2.20230530): a zh-TW page's Super Chat "$30.00", in the lowest tier's colours. On a zh-TW page "$" alone
    # is the New Taiwan dollar and the US dollar is "US$"; livemoney read it as 30.00 USD, some 30 times too much.
    taiwan = with_menu(paid_action("tw1", "$30.00"), "聊天室活動")
    items = read_bytes("youtube-innertube", lines(taiwan))
    (rejected,) = items
    assert isinstance(rejected, Rejected) and rejected.field.endswith("purchaseAmountText.simpleText")
    assert "'$' alone is the US dollar where YouTube shows its page in English" in rejected.problem
    assert "chat menu is labelled '聊天室活動'" in rejected.problem
    ticker = with_menu(ticker_action("tw2", "$30.00"), "聊天室活動")  # a ticker copy alone: the same
    decoder = innertube.READER.decoder("live")
    assert decoder.feed(ticker, 1) == [] and isinstance(decoder.flush()[0], Rejected)
    # A YouTube Giving donation in "$" on such a page: the same (its text is in English words in this test).
    giving = {
        "id": "tw5",
        "timestampUsec": "1570678496000000",
        "authorName": {"simpleText": "viewer"},
        "text": {"runs": [{"text": "viewer"}, {"text": " donated "}, {"text": "$50.00"}]},
        "contextMenuAccessibility": {"accessibilityData": {"label": "聊天室活動"}},
    }
    action = {"addChatItemAction": {"item": {"liveChatDonationAnnouncementRenderer": giving}}}
    (rejected,) = read_bytes("youtube-innertube", lines(action))
    assert isinstance(rejected, Rejected) and rejected.field.endswith("liveChatDonationAnnouncementRenderer.text")
    giving["contextMenuAccessibility"]["accessibilityData"]["label"] = "Chat actions"
    assert summary(read_bytes("youtube-innertube", lines(action))) == [("donation", "giving", usd("50.00"), 1)]
    # On an English page (or where no menu is captured: the tools ask for en-US), "$" is the US dollar;
    # a code or a prefix of its own is read on any page.
    # (case and spaces aside: a breaker's "chat actions" and "Chat\xa0actions" were refused).
    english = [with_menu(paid_action("en1", "$30.00"), "Chat actions"), paid_action("en2", "$2.00")]
    english += [with_menu(paid_action(f"en{n}", "$1.00"), label) for n, label in ((3, "chat actions"), (4, "Chat\xa0actions"))]
    coded = [
        with_menu(paid_action(f"tw{n}", text), "聊天室活動")
        for n, text in ((3, "NT$30.00"), (4, "￥800"), (6, "US$5.00"))  # US$: the US dollar on any page (CLDR)
    ]
    assert summary(read_bytes("youtube-innertube", lines(*english, *coded))) == [
        ("donation", "super_chat", usd("30.00"), 1),
        ("donation", "super_chat", usd("2.00"), 1),
        ("donation", "super_chat", usd("1.00"), 1),
        ("donation", "super_chat", usd("1.00"), 1),
        ("donation", "super_chat", Money(Decimal("30.00"), "TWD"), 1),
        ("donation", "super_chat", Money(Decimal(800), "JPY"), 1),
        ("donation", "super_chat", usd("5.00"), 1),
    ]


def test_a_ticker_copy_arriving_first_still_counts_nothing():
    items = read_bytes("youtube-innertube", lines(ticker_action("x1", "￥846"), paid_action("x1", "￥800")))
    assert summary(items) == [("donation", "super_chat", Money(Decimal(800), "JPY"), 1)]
    assert items[0].source == "log.jsonl:2"
    assert (items[1].kind, items[1].why, items[1].line) == (TICKER_COPY, NO_MONEY, 1)


def test_a_ticker_only_item_waits_for_flush_and_counts_once():
    decoder = innertube.READER.decoder("live")
    assert decoder.feed(ticker_action("x2", "$25.00"), 1) == []
    sent = OCT_10_2019
    assert list(decoder.flush(sent + TICKER_WAIT - dt.timedelta(seconds=1))) == []
    (event,) = decoder.flush(sent + TICKER_WAIT)
    assert (event.amount, event.id, event.source) == (usd("25.00"), "x2", "live:1")
    # its chat item arriving late is a repeat (counted with the duplicates), the ticker again a copy
    (late,) = decoder.feed(paid_action("x2", "$25.00"), 2)
    assert (late.kind, late.why, late.line) == ("liveChatPaidMessageRenderer", REPEAT, 2)
    (again,) = decoder.feed(ticker_action("x2", "$25.00"), 3)
    assert (again.kind, again.why, again.line) == (TICKER_COPY, NO_MONEY, 3)
    assert list(decoder.flush(None)) == []


def test_a_rejected_chat_item_is_not_replaced_by_its_ticker_copy():
    items = read_bytes(
        "youtube-innertube", lines(paid_action("x3", "[UNREGISTERD]10,800"), ticker_action("x3", "$80.00"))
    )
    assert isinstance(items[0], Rejected) and items[0].line == 1
    assert skipped(items) == [(TICKER_COPY, NO_MONEY)] and len(items) == 2


def test_a_bad_ticker_copy_of_a_good_chat_item_is_not_rejected():
    items = read_bytes("youtube-innertube", lines(ticker_action("x4", "??846"), paid_action("x4", "￥800")))
    assert summary(items) == [("donation", "super_chat", Money(Decimal(800), "JPY"), 1)]
    assert skipped(items) == [(TICKER_COPY, NO_MONEY)]
    assert not any(isinstance(e, Rejected) for e in items)


def test_tickers_sharing_an_id_are_told_apart_by_viewer_and_time():
    # anonymised captures give different messages one id: a ticker is a copy only of the chat item
    # with its id, viewer and time
    items = read_bytes(
        "youtube-innertube",
        lines(
            paid_action("same", "$5.00", viewer="Ann"),
            ticker_action("same", "$5.00", viewer="Ann"),
            ticker_action("same", "CA$20.00", usec="1570678500000000", viewer="Bo"),
            paid_action("same", "€3.00", usec="1570678510000000", viewer="Cy"),
        ),
    )
    assert summary(items) == [
        ("donation", "super_chat", usd("5.00"), 1),
        ("donation", "super_chat", Money(Decimal("3.00"), "EUR"), 1),
        ("donation", "super_chat", Money(Decimal("20.00"), "CAD"), 1),  # Bo's, seen only as a ticker
    ]
    assert [(s.kind, s.line) for s in items if isinstance(s, Skipped)] == [(TICKER_COPY, 2)]


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


def test_replay_wrapped_actions_and_string_or_int_microseconds(pm, tmp_path):
    replay = {
        "replayChatItemAction": {
            "actions": [paid_action("x5", "€5.00", usec=1570678496000000)],
            "videoOffsetTimeMsec": "5000",
        }
    }
    data = lines(replay, replay, paid_action("x6", "£3.00"))
    items = read_bytes("youtube-innertube", data)
    # the repeated replay action is given twice; the host counts the second as a duplicate
    assert summary(items) == [
        ("donation", "super_chat", Money(Decimal("5.00"), "EUR"), 1),
        ("donation", "super_chat", Money(Decimal("5.00"), "EUR"), 1),
        ("donation", "super_chat", Money(Decimal("3.00"), "GBP"), 1),
    ]
    assert items[0].ts == items[2].ts == OCT_10_2019
    (tmp_path / "log.jsonl").write_bytes(data)
    report = lm.value(str(tmp_path / "log.jsonl"), "EUR", pm=pm, on_error="skip")
    assert (report.records, report.valued, report.duplicates) == (3, 2, 1)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from(["Ann", "Bo"]),
            st.booleans(),
            st.integers(min_value=1, max_value=999),
        ),
        max_size=20,
    )
)
def test_every_record_comes_out_once_and_a_chat_item_wins_over_its_tickers(feeds):
    decoder = innertube.READER.decoder("prop")
    out = []
    for line, (message_id, viewer, is_ticker, yen) in enumerate(feeds, start=1):
        action = (ticker_action if is_ticker else paid_action)(message_id, f"￥{yen}", viewer=viewer)
        out.extend(decoder.feed(action, line))
    out.extend(decoder.flush(None))
    # every record once: an event or a ticker copy, on its own line
    lines_out = sorted(int(item.source.rpartition(":")[2]) if isinstance(item, Event) else item.line for item in out)
    assert lines_out == list(range(1, len(feeds) + 1))
    # every chat item counts; a ticker counts only when no chat item of its message came, and only the first
    chats = {(m, v) for m, v, ticker, _ in feeds if not ticker}
    first_tickers = {}
    for line, (m, v, ticker, yen) in enumerate(feeds, start=1):
        if ticker and (m, v) not in chats:
            first_tickers.setdefault((m, v), (line, yen))
    expected = sorted(
        [(line, yen) for line, (m, v, ticker, yen) in enumerate(feeds, start=1) if not ticker]
        + list(first_tickers.values())
    )
    found = sorted((int(e.source.rpartition(":")[2]), int(e.amount.amount)) for e in out if isinstance(e, Event))
    assert found == expected
    assert all(s.kind == TICKER_COPY for s in out if isinstance(s, Skipped))


# --- display amounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("￥6,000", "6000", "JPY"),
        ("¥200", "200", "JPY"),
        ("$10.00", "10.00", "USD"),
        ("US$5.00", "5.00", "USD"),  # where "$" alone is another dollar (CLDR: zh-TW, en-CA, es-MX)
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
        ("KWD\xa01.500", "1.500", "KWD"),  # the dinar has three decimals (ISO 4217)
    ],
)
def test_display_amounts(text, amount, currency):
    assert parse_display(text, "amount") == Money(Decimal(amount), currency)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[UNREGISTERD]10,800", "unknown currency prefix '[UNREGISTERD]'"),
        ("10.00", "unknown currency prefix '(none)'"),
        ("₹1,00,000", "not a number grouped with commas"),
        # a point grouping thousands (another language's display) read as en-US was a thousandth of the amount
        ("IDR 100.000", "more decimals than IDR has"),
        ("₩10.000", "more decimals than KRW has"),
        ("¥1.000", "more decimals than JPY has"),
        ("€1.000", "more decimals than EUR has"),
        ("$", "is not an amount"),
        ("", "is not an amount"),
    ],
)
def test_display_amounts_that_are_refused(text, problem):
    with pytest.raises(FieldError) as caught:
        parse_display(text, "purchaseAmountText.simpleText")
    assert caught.value.field == "purchaseAmountText.simpleText"
    assert problem in caught.value.problem


# --- bad input: each rejected with its field; unknown kinds: not read, named ----------------------


def test_chat_downloader_rejects_with_field_names_and_names_what_it_does_not_read():
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
        {
            "action_type": "add_chat_item",
            "message_type": "purchased_product_message",
            "message_id": "m6",
            "money": {"text": "$25.00"},
        },
    ]
    out = read_bytes("chat-downloader", json.dumps(items).encode(), "chat.json")
    assert [(r.field, r.problem) for r in out if isinstance(r, Rejected)] == [
        ("money.text", "unknown currency prefix '[X]' in '[X]5'; not guessed"),
        ("money.text", "missing"),
        ("message", "no gifted membership count in 'Welcome!' (not a wording livemoney knows)"),
        ("message_type", "missing"),
    ]
    # a purchased product carries money, but this reader has no rule for it: not read, under its name
    assert skipped(out) == [("text_message", NO_MONEY), ("purchased_product_message", NOT_READ)]
    assert len(out) == len(items)  # each item once


def test_data_api_rejects_with_field_names_and_names_what_it_does_not_read():
    def message(message_id, kind, **details):
        return {"kind": "youtube#liveChatMessage", "id": message_id, "snippet": {"type": kind, **details}}

    page = {
        "kind": "youtube#liveChatMessageListResponse",
        "items": [
            message("a", "superChatEvent", superChatDetails={"amountMicros": "1.5", "currency": "USD"}),
            message("b", "superChatEvent", superChatDetails={"amountMicros": "1000000", "currency": "yen"}),
            message("c", "membershipGiftingEvent", membershipGiftingDetails={"giftMembershipsCount": 0}),
            message("c2", "membershipGiftingEvent", membershipGiftingDetails={"giftMembershipsLevelName": "Fam"}),
            message("d", "giftEvent", giftDetails={"giftName": "Rocket"}),
            message("d2", "giftEvent", giftName="Rocket"),
            {"kind": "youtube#video", "id": "e"},
            message("f", "someFutureEvent"),
            {"id": "g"},
            "not an object",
        ],
    }
    out = read_bytes("youtube-data-api", json.dumps(page).encode(), "poll.json")
    assert [(r.field, r.problem) for r in out if isinstance(r, Rejected)] == [
        ("items[0].snippet.superChatDetails.amountMicros", "'1.5' is not a whole number of micros"),
        ("items[1].snippet.superChatDetails.currency", "'yen' is not an ISO-4217 currency code"),
        ("items[2].snippet.membershipGiftingDetails.giftMembershipsCount", "0 is not a whole number of at least 1"),
        ("items[3].snippet.membershipGiftingDetails.giftMembershipsCount", "missing"),
        ("items[5].snippet.giftDetails", "missing (nor is there a giftEventDetails.giftMetadata)"),
        ("items[8].kind", "missing"),
        ("items[9].(item)", "not a YouTube Data API resource (a JSON object)"),
        ("items[4].snippet.giftDetails.jewelsAmount", "missing"),  # a combo frame: given at the end
    ]
    assert skipped(out) == [("youtube#video", NOT_READ), ("someFutureEvent", NOT_READ)]
    assert len(out) == 10 and all((r.source, r.line) == ("poll.json", 1) for r in out)


@pytest.mark.parametrize(
    "page, field",
    [
        ({"kind": "youtube#liveChatMessageListResponse", "items": 5}, "items"),
        ({"kind": "youtube#superChatEventListResponse", "items": {"id": "x"}}, "items"),
    ],
)
def test_a_data_api_page_whose_items_are_not_a_list_is_rejected(page, field):
    (rejected,) = read_bytes("youtube-data-api", json.dumps(page).encode(), "poll.json")
    assert isinstance(rejected, Rejected) and (rejected.field, rejected.line) == (field, 1)
    assert "is not a list" in rejected.problem


@pytest.mark.parametrize(
    "response, field",
    [
        (
            {"continuationContents": {"liveChatContinuation": {"actions": 5}}},
            "continuationContents.liveChatContinuation.actions",
        ),
        ({"contents": {"liveChatRenderer": {"actions": "none"}}}, "contents.liveChatRenderer.actions"),
        ({"replayChatItemAction": {"actions": {"a": 1}}}, "replayChatItemAction.actions"),
    ],
)
def test_an_innertube_response_whose_actions_are_not_a_list_is_rejected(response, field):
    (rejected,) = read_bytes("youtube-innertube", lines(response))
    assert isinstance(rejected, Rejected) and (rejected.field, rejected.line) == (field, 1)
    assert "is not a list of actions" in rejected.problem


def test_empty_pages_are_accounted_for():
    (empty,) = read_bytes("youtube-data-api", b'{"kind": "youtube#liveChatMessageListResponse", "items": []}')
    assert (empty.kind, empty.why) == ("youtube#liveChatMessageListResponse (no items)", NO_MONEY)
    response = {"continuationContents": {"liveChatContinuation": {"continuations": [{}]}}}
    (none,) = read_bytes("youtube-innertube", lines(response))
    assert (none.kind, none.why) == ("liveChatContinuation (no actions)", NO_MONEY)


def test_pytchat_names_a_type_it_does_not_know():
    out = read_bytes(
        "pytchat",
        lines(
            {"type": "superThanks", "amountString": "$2.00", "id": "p1"},
            {"amountString": "$2.00", "id": "p2"},
            {"type": "textMessage", "amountString": "", "id": "p3", "message": "Gifted 20 memberships"},
        ),
    )
    assert skipped(out) == [("superThanks", NOT_READ), ("textMessage", NO_MONEY)]
    (missing,) = [r for r in out if isinstance(r, Rejected)]
    assert (missing.field, missing.line) == ("type", 2)


def test_innertube_names_renderers_and_actions_it_does_not_know():
    out = read_bytes(
        "youtube-innertube",
        lines(
            {"addChatItemAction": {"item": {"liveChatPaidSomethingNewRenderer": {"id": "n1"}}}},
            {"addLiveChatTickerItemAction": {"item": {"liveChatTickerSomethingNewRenderer": {"id": "n2"}}}},
            {"clickTrackingParams": "CAEQ", "someBrandNewAction": {"x": 1}},
            {"removeChatItemByAuthorAction": {"externalChannelId": "UC1"}},
            {"hello": "world"},
            {"addChatItemAction": {"item": {"a": {}, "b": {}}}},
        ),
    )
    assert skipped(out) == [
        ("liveChatPaidSomethingNewRenderer", NOT_READ),
        ("liveChatTickerSomethingNewRenderer", NOT_READ),
        ("someBrandNewAction", NOT_READ),
        ("removeChatItemByAuthorAction", NO_MONEY),
    ]
    assert [(r.field, r.problem, r.line) for r in out if isinstance(r, Rejected)] == [
        ("(action)", "not a YouTube live chat response or action", 5),
        ("addChatItemAction.item", "expected one renderer", 6),
    ]


def test_membership_items_by_meaning():
    def member(usec, **fields):
        # times from 2000 to 2099 (livemoney rejects others): 2023-11-14 plus usec microseconds
        body = {"id": f"m{usec}", "timestampUsec": str(1_700_000_000_000_000 + usec), "authorName": {"simpleText": "M"}, **fields}
        return {"addChatItemAction": {"item": {"liveChatMembershipItemRenderer": body}}}

    out = read_bytes(
        "youtube-innertube",
        lines(
            member(1, headerSubtext={"runs": [{"text": "Welcome to "}, {"text": "The Fam"}, {"text": "!"}]}),
            member(2, headerSubtext={"runs": [{"text": "New member"}]}),
            member(3, headerSubtext={"runs": [{"text": "Upgraded membership to "}, {"text": "Gold"}, {"text": "!"}]}),
            member(4, headerPrimaryText={"runs": [{"text": "Member for 1 month"}]}, headerSubtext={"simpleText": "F"}),
            member(5, headerPrimaryText={"runs": [{"text": "メンバー歴 "}, {"text": "13"}, {"text": " か月"}]}),
            member(6, headerPrimaryText={"runs": [{"text": "已加入會員 "}, {"text": "8"}, {"text": " 個月"}]}),
        ),
    )
    # a new member, a new member on a channel without level names, an upgrade: each one membership bought;
    # milestones (a primary header, in any language: en, ja, zh-TW captures) are messages
    assert summary(out) == [("donation", "membership", None, 1)] * 3
    assert skipped(out) == [("liveChatMembershipItemRenderer (milestone)", NO_MONEY)] * 3


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


def test_a_sponsor_ticker_that_shows_no_item_is_not_read_unless_its_item_came():
    bare = {
        "addLiveChatTickerItemAction": {
            "item": {"liveChatTickerSponsorItemRenderer": {"id": "t1", "detailText": {"simpleText": "20"}}}
        }
    }
    (alone,) = read_bytes("youtube-innertube", lines(bare))
    # "20" may be 20 months (a milestone) or 20 gifts: not guessed
    assert (alone.kind, alone.why) == ("liveChatTickerSponsorItemRenderer (no item shown)", NOT_READ)
    member = {
        "addChatItemAction": {
            "item": {
                "liveChatMembershipItemRenderer": {
                    "id": "t1",
                    "timestampUsec": "1700000000000001",
                    "headerSubtext": {"runs": [{"text": "New member"}]},
                }
            }
        }
    }
    out = read_bytes("youtube-innertube", lines(bare, member))
    assert summary(out) == [("donation", "membership", None, 1)] and skipped(out) == [(TICKER_COPY, NO_MONEY)]


def test_jewel_gifts_in_innertube():
    def jewels(text, id_="j1"):
        body = {"id": id_, "authorName": {"content": "@Fan "}, "text": {"content": text}}
        return {"addChatItemAction": {"item": {"giftMessageViewModel": body}}}

    out = read_bytes(
        "youtube-innertube",
        lines(
            jewels("sent Gold coin for 10 Jewels"), jewels("sent 100 for 2 Jewels"), jewels("sent France"), jewels("")
        ),
    )
    assert summary(out) == [
        ("gift", "Gold coin", Money(Decimal(10), "jewels"), 1),
        ("gift", "100", Money(Decimal(2), "jewels"), 1),  # a gift named "100" worth 2 Jewels
        ("gift", "France", None, 1),  # no amount said: valued unknown
    ]
    assert out[0].viewer == "@Fan"
    assert skipped(out) == [("giftMessageViewModel (text not in a wording livemoney knows)", NOT_READ)]


def test_data_api_jewel_combo_frames_count_once():
    def frame(combo, when):
        return {
            "kind": "youtube#liveChatMessage",
            "id": "combo",
            "snippet": {
                "type": "giftEvent",
                "publishedAt": when,
                "giftEventDetails": {"giftMetadata": {"giftName": "Heart", "jewelsAmount": 5, "comboCount": combo}},
            },
        }

    decoder = data_api.READER.decoder("live")
    assert decoder.feed(frame(1, "2026-04-19T18:00:00Z"), 1) == []
    (first,) = decoder.feed(frame(2, "2026-04-19T18:00:01Z"), 2)
    assert (first.kind, first.why, first.line) == ("giftEvent (a combo frame a later one counts)", NO_MONEY, 1)
    (late,) = decoder.feed(frame(1, "2026-04-19T18:00:00Z"), 3)  # an older frame polled again
    assert (late.kind, late.line) == ("giftEvent (a combo frame a later one counts)", 3)
    last = dt.datetime(2026, 4, 19, 18, 0, 1, tzinfo=dt.UTC)
    assert list(decoder.flush(last + COMBO_WAIT - dt.timedelta(seconds=1))) == []
    (gift,) = decoder.flush(last + COMBO_WAIT)
    # 2 Hearts of 5 jewels each
    assert (gift.gift, gift.count, gift.amount, gift.source) == ("Heart", 2, Money(Decimal(5), "jewels"), "live:2")


# --- live use: accepts() says which raw dicts each reader takes ------------------------------------


def test_accepts_tells_the_formats_apart():
    samples = {
        "youtube-innertube": paid_action("i1", "$1.00"),
        "chat-downloader": {"action_type": "add_chat_item", "message_type": "paid_message", "message_id": "c1"},
        "pytchat": {"type": "superChat", "id": "p1", "amountString": "$1.00", "timestamp": 1570678496000},
        "youtube-data-api": {"kind": "youtube#liveChatMessage", "id": "d1", "snippet": {"type": "textMessageEvent"}},
    }
    samples_too = {
        "youtube-innertube": {"clickTrackingParams": "x", "markChatItemAsDeletedAction": {"targetItemId": "i1"}},
        "pytchat": {"type": "someNewType", "id": "p2", "amountString": ""},
    }
    for name, record in [*samples.items(), *samples_too.items()]:
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
    (again,) = decoder.feed(item, 2)  # the same item again: given, the host finds the repeat
    assert again.source == "live:2" and again.amount == event.amount
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


@given(
    st.one_of(st.text(max_size=8), st.sampled_from(["textMessage", " ", "", "\u2003"])),
    st.sampled_from([NO_MONEY, NOT_READ, REPEAT, "other"]),
    st.integers(min_value=1, max_value=10**6),
)
def test_a_record_without_money_is_made_as_skipped_makes_it(kind, why, line):
    """`skipped` sets the fields itself when it may (a kind not blank, a known reason): what it makes is
    what `Skipped` makes, field for field; any other is refused as `Skipped` refuses it, or made by it."""
    try:
        expected = Skipped("chat.jsonl", line, kind, why)
    except ValueError as error:
        with pytest.raises(type(error)):
            decoding.skipped("chat.jsonl", line, kind, why)
        return
    made = decoding.skipped("chat.jsonl", line, kind, why)
    assert made == expected
    assert (made.source, made.line, made.kind, made.why, made.count, made.ts) == (
        "chat.jsonl",
        line,
        expected.kind,
        why,
        1,
        None,
    )


def test_an_amount_text_read_again_is_the_same_money_and_a_bad_one_is_refused_each_time():
    assert parse_display("CA$5.00", "money.text") is parse_display("CA$5.00", "money.text")
    assert parse_display("CA$5.00", "money.text") == Money(Decimal("5.00"), "CAD")
    for _ in range(2):
        with pytest.raises(FieldError, match="unknown currency prefix"):
            parse_display("Q5.00", "money.text")


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal(10) ** 20, places=2)),
    st.one_of(st.integers(min_value=-2, max_value=10), st.integers(min_value=MAX_COUNT - 2, max_value=MAX_COUNT + 2)),
    st.sampled_from([None, "Ana", "id-1"]),
)
def test_a_donation_made_without_checks_is_the_checked_one_and_one_out_of_range_is_refused_alike(amount, count, text):
    """`decoding.donation` skips attrs' checks only where they would pass: what it makes equals `Donation`'s, field
    for field; an amount or a count out of livemoney's bounds raises what `Donation` raises."""
    money = None if amount is None else Money(amount, "USD")
    ts = OCT_10_2019
    fields = {"platform": "youtube", "feature": "super_chat", "amount": money, "count": count}
    try:
        expected = Donation(**fields, id=text, viewer=text, ts=ts, stream=text)
    except (ValueError, FieldError) as error:
        with pytest.raises(type(error), match=re.escape(str(error))):
            decoding.donation("super_chat", text, text, ts, money, count, text)
        return
    made = decoding.donation("super_chat", text, text, ts, money, count, text)
    assert made == expected and type(made) is Donation
    assert [getattr(made, f.name) for f in attrs.fields(Donation)] == [
        getattr(expected, f.name) for f in attrs.fields(Donation)
    ]
    assert money is None or money.amount <= MAX_AMOUNT and 1 <= count <= MAX_COUNT


def test_amounts_and_counts_beyond_livemoneys_bounds_are_rejected_by_every_youtube_reader():
    too_much = "1" + "0" * 25  # micros: 10^19 USD, beyond the 10^18 an event livemoney takes
    page = {
        "kind": "youtube#liveChatMessageListResponse",
        "items": [
            {
                "kind": "youtube#liveChatMessage",
                "id": "a",
                "snippet": {"type": "superChatEvent", "superChatDetails": {"amountMicros": too_much, "currency": "USD"}},
            },
            {
                "kind": "youtube#liveChatMessage",
                "id": "b",
                "snippet": {
                    "type": "membershipGiftingEvent",
                    "membershipGiftingDetails": {"giftMembershipsCount": MAX_COUNT + 1},
                },
            },
            {
                "kind": "youtube#liveChatMessage",
                "id": "c",
                "snippet": {"type": "superChatEvent", "superChatDetails": {"amountMicros": "5000000", "currency": "USD"}},
            },
        ],
    }
    out = read_bytes("youtube-data-api", json.dumps(page).encode(), "poll.json")
    assert [(r.field, r.problem) for r in out if isinstance(r, Rejected)] == [
        ("items[0].amount", "10000000000000000000 is out of range (an amount is at most 1,000,000,000,000,000,000 an event)"),
        ("items[1].count", f"{MAX_COUNT + 1} is out of range (a count is at most {MAX_COUNT:,} an event)"),
    ]
    assert summary(out) == [("donation", "super_chat", usd("5"), 1)]
    huge = "$" + "9" * 20 + ".00"
    items = read_bytes("youtube-innertube", lines(paid_action("x1", huge), paid_action("x2", "$1.00")))
    assert [(r.field, r.problem.split(" is out of range")[0]) for r in items if isinstance(r, Rejected)] == [
        ("amount", "99999999999999999999.00"),
    ]
    assert summary(items) == [("donation", "super_chat", usd("1.00"), 1)]


def test_a_data_api_amount_read_again_is_the_same_money_and_a_bad_one_is_refused_each_time():
    def details(micros, currency="USD"):
        return {"snippet": {"superChatDetails": {"amountMicros": micros, "currency": currency}}}

    first = data_api.money(details("1750000"), "snippet.superChatDetails")
    assert first == Money(Decimal("1.75"), "USD")
    assert data_api.money(details("1750000"), "snippet.superChatDetails") is first
    assert data_api.money(details("1750000", "EUR"), "snippet.superChatDetails") == Money(Decimal("1.75"), "EUR")
    for _ in range(2):
        with pytest.raises(FieldError, match="not a whole number of micros"):
            data_api.money(details("-1750000"), "snippet.superChatDetails")


def test_formats_without_tickers_remember_no_paid_message_and_count_each_alike():
    """The Data API and pytchat carry no ticker copies: their decoders keep nothing of a paid message (memory
    stays flat however long the stream), and a message repeated comes out again for the host to call a duplicate;
    chat-downloader's, which may carry tickers, remembers each for its copy."""

    def api(n):
        details = {"amountMicros": "2000000", "currency": "USD"}
        snippet = {"type": "superChatEvent", "publishedAt": "2023-11-14T22:31:40Z", "superChatDetails": details}
        return {"kind": "youtube#liveChatMessage", "id": f"m{n}", "snippet": snippet}

    def pytchat(n):
        return {"type": "superChat", "id": f"m{n}", "timestamp": 1700001100000, "amountString": "$2.00"}

    def chat_downloader(n):
        return {
            "action_type": "add_chat_item",
            "message_type": "paid_message",
            "message_id": f"m{n}",
            "money": {"text": "$2.00"},
            "timestamp": 1700001100000000,
        }

    for name, make, remembered in (("youtube-data-api", api, 0), ("pytchat", pytchat, 0), ("chat-downloader", chat_downloader, 2)):
        decoder = READERS[name].decoder("live")
        out = [item for n in (1, 2, 1) for item in decoder.feed(make(n), n)]
        assert summary(out) == [("donation", "super_chat", usd("2.00"), 1)] * 3, name
        assert [event.id for event in out] == ["m1", "m2", "m1"]
        assert len(decoder._chat) == remembered, name


class _Item(dict):
    """A record that is a dict of another class: it takes `ChatDecoder`'s general path, never the one by kind."""


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=12))
def test_items_told_by_their_kind_alone_come_out_as_decode_tells_them(picks):
    """chat-downloader's and pytchat's decoders take a chat message by its kind field alone (a copy of the first
    one's `Skipped`, at its own line): whatever comes before or after it, each record comes out as its format's
    ``decode`` tells it: a `Skipped` of its kind and reason at its line, a `Rejected` naming the field, an event.
    A kind whose `Skip` depends on more than the kind (a milestone, pytchat's lost header) is never taken so."""
    formats = {
        "chat-downloader": (chat_downloader.decode, "message_type", "text_message", "paid_message", "message_id"),
        "pytchat": (pytchat_items.decode, "type", "textMessage", "superChat", "id"),
    }
    for name, (decode, field, chat, paid, id_field) in formats.items():
        if name == "chat-downloader":
            money = {"money": {"text": "$2.00"}}
            member = {field: "membership_item", "header_secondary_text": "Welcome!"}
            milestone = {**member, "header_primary_text": "Member for 3 months"}
        else:
            money = {"amountString": "$2.00"}
            member = {field: "newSponsor", "message": "Welcome to The Fam!"}
            milestone = {**member, "message": pytchat_items.NO_HEADER}
        variants = [
            {field: chat, "message": "hi"},
            _Item({field: chat}),
            {field: paid, id_field: "m1", **money},
            {field: ["text_message"]},  # a kind that is no text (unhashable)
            {field: 7},
            {"message": "no kind"},
            {field: "ban_user" if name == "chat-downloader" else "mystery"},
            {field: paid},  # no amount: rejected where its event is built
            milestone,
            member,
        ]
        decoder = READERS[name].decoder("chat.jsonl")
        for line, pick in enumerate(picks, start=1):
            record = variants[pick]
            out = list(decoder.feed(record, line))
            try:
                told = decode(record)
                built = told if isinstance(told, decoding.Skip) else told.build()
            except FieldError as error:
                assert [(type(r), r.line, r.field, r.problem) for r in out] == [
                    (Rejected, line, error.field, error.problem)
                ], (name, record)
                continue
            if isinstance(built, decoding.Skip):
                assert out == [Skipped("chat.jsonl", line, built.kind, built.why)], (name, record)
            else:
                assert [(type(r), r.source, r.feature, r.amount) for r in out] == [
                    (Donation, f"chat.jsonl:{line}", built.feature, built.amount)
                ], (name, record)
