"""TikTok readers on logs in data/: one real record (TikTokLive 7's to_dict() of a real capture) and
hand-written logs in the shapes of event-formats.md sections 1.2 to 1.5 (ids and names invented), with
streak frames, replays after a reconnect, lost end frames and a gift to a guest. Every total is worked
out by hand in the test, and every record comes out once: an event, a `Skipped` or a `Rejected`."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from livemoney import Donation, Event, Gift, Like, Money, Rejected
from livemoney.kit import Skipped, to_guest
from livemoney.testing import reader_for
from livemoney_tiktok.readers import READERS, webcast
from livemoney_tiktok.readers.streaks import WebcastDecoder

DATA = Path(__file__).parent / "data"
READER = {reader.name: reader for reader in READERS}
HOST_V7 = "7300000000000000001"
GUEST_V7 = "7300000000000000002"
HOST_V1 = "7087613897129493510"
GUEST_V1 = "7087613897129400002"
UTC = dt.UTC


def read(file, reader=None):
    path = DATA / file
    reader = reader or READER[reader_for(path).name]
    with path.open("rb") as stream:
        return list(reader.read(stream, path.name))


def line_of(item):
    return int(item.source.rpartition(":")[2]) if isinstance(item, Event) else item.line


def summary(items):
    """(kind, what, count, coins each, viewer, line) of each event, in the order the reader gave them."""
    rows = []
    for item in items:
        assert not isinstance(item, Rejected), str(item)
        if isinstance(item, Skipped):
            continue
        what = getattr(item, "gift", None) or getattr(item, "feature", None)
        coins = item.amount.amount if getattr(item, "amount", None) is not None else None
        rows.append((item.kind, what, item.count, coins, item.viewer, line_of(item)))
    return rows


FRAME = "no money: gift streak frame"


def outcomes(items):
    """What became of each line, by line: ``event``, ``no money: KIND``, ``not read: KIND``, ``repeat``
    or ``rejected: FIELD``; each line must come out exactly once."""
    found = {}
    for item in items:
        line = line_of(item)
        assert line not in found, f"line {line} came out twice: {found[line]} and {item}"
        if isinstance(item, Event):
            found[line] = "event"
        elif isinstance(item, Rejected):
            found[line] = f"rejected: {item.field}"
        elif item.why == "repeat":
            found[line] = "repeat"
        else:
            found[line] = f"{item.why}: {item.kind}"
    return dict(sorted(found.items()))


def coins(items):
    return sum(item.count * item.amount.amount for item in items if isinstance(item, Gift) and item.amount)


# --- detection ---------------------------------------------------------------------------------


def test_the_plugin_declares_its_readers(pm):
    names = [reader.name for group in pm.hook.livemoney_readers() for reader in group if reader.platform == "tiktok"]
    assert names == ["tiktoklive", "tiktok-live-connector"]


@pytest.mark.parametrize(
    ("file", "reader"),
    [
        ("tiktoklive_v7.jsonl", "tiktoklive"),
        ("tiktoklive_v7_real_rose.jsonl", "tiktoklive"),
        ("tiktoklive_v6_v5.jsonl", "tiktoklive"),
        ("tiktoklive_webui.sse", "tiktoklive"),
        ("connector_v1.jsonl", "tiktok-live-connector"),
        ("tikfinity_envelopes.json", "tiktok-live-connector"),
        ("connector_bad.jsonl", "tiktok-live-connector"),
    ],
)
def test_livemoney_value_detects_each_file_from_its_first_bytes(file, reader):
    assert reader_for(DATA / file).name == reader  # every installed reader is asked
    head = (DATA / file).read_bytes()[: 64 * 1024]
    assert [r.name for r in READERS if r.sniff(head)] == [reader]


@pytest.mark.parametrize(
    "head",
    [
        b'{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 5}\n',
        b'{"type": "gift", "gift": "Rose", "count": 5, "viewer": "v1"}\n',
        b'[{"action_type": "add_chat_item", "message_id": "ChwKGk", "timestamp": 1595761124656184}]',
        b'data: {"reaction_stream": [{"key": "LIKE", "value": 40094}]}\n',
        b'{"data": [{"message": "hi", "id": "1", "from": {"id": "2"}}]}',
        b"date,badge_tier,amount,currency,viewer\n",
        b'{"common": {"method": "WebcastGift',
        b"",
    ],
)
def test_other_formats_are_not_taken(head):
    assert not [r.name for r in READERS if r.sniff(head)]


def test_samples_for_livemoneys_checks_read_without_rejects():
    assert all(reader.samples for reader in READERS)
    for reader, sample in ((one, sample) for one in READERS for sample in one.samples):
        items = list(reader.read(io.BytesIO(sample), "sample"))
        assert items and all(isinstance(item, Gift) for item in items), reader.name


# --- TikTokLive 7: the plain proto to_dict() -----------------------------------------------------


def test_tiktoklive_7_log_counts_each_streak_once(pm):
    items = read("tiktoklive_v7.jsonl")
    assert summary(items) == [
        ("like", None, 15, None, "bob_live", 4),
        ("gift", "Rose", 3, 1, "anna.draws", 6),  # frames 1, 2, 3 then the end frame at 3: 3, not 1+2+3+3
        ("gift", "Lion", 1, 29999, "carla", 7),  # type 2: counted on arrival, no repeatEnd needed
        ("gift", "Rose", 2, 1, "dan.d", 12),  # to a guest: kept, with its recipient
        ("donation", "subscription", 1, None, "eve", 13),
        ("gift", "Heart Me", 10, None, "eve", 14),  # no diamondCount: the catalogue prices it
        ("gift", "Finger Heart", 4, 5, "bob_live", 11),  # end frame lost: counted once 60 s passed (line 15)
        ("like", None, 30, None, "bob_live", 15),
        ("gift", "Rose", 2, 1, "frank", 17),  # the log ends mid-streak: counted at its highest count
    ]
    # Lines 8 and 9 replay lines 6 and 3 (same msgId, same content) after a reconnect: line 8 repeats the end
    # frame that counted (a duplicate), line 9 the frame 3 that line 5 superseded: a streak frame again.
    assert outcomes(items) == {
        1: "no money: WebcastChatMessage",
        2: FRAME,  # superseded by 3, 3 by 5, 5 by the end frame 6 (the same count, and the end)
        3: FRAME,
        4: "event",
        5: FRAME,
        6: "event",
        7: "event",
        8: "repeat",
        9: FRAME,
        10: FRAME,
        11: "event",
        12: "event",
        13: "event",
        14: "event",
        15: "event",
        16: FRAME,
        17: "event",
    }
    assert coins(items) == 3 + 29999 + 2 + 4 * 5 + 2
    rose = next(item for item in items if isinstance(item, Gift))
    assert rose.id == "7434100000000000006"  # the end frame's msgId, for the engine's own de-duplication
    assert rose.ts == dt.datetime(2024, 11, 8, 18, 0, 4, 800000, tzinfo=UTC)  # createTime "1731088804800" ms
    assert rose.stream == "7434000000000000099"
    assert isinstance(rose, Gift) and rose.gift_id == "5655"
    guest = next(item for item in items if isinstance(item, Gift) and item.viewer == "dan.d")
    # monitorInfo names the host (anchorId) and the receiver; toMemberId the guest
    assert (rose.recipient, rose.host) == (HOST_V7, HOST_V7)
    assert (guest.recipient, guest.host) == (GUEST_V7, HOST_V7)
    assert to_guest(guest) and not to_guest(rose)


def test_tiktoklive_7_log_valued(pm):
    report = lm.value([DATA / "tiktoklive_v7.jsonl"], pm=pm, progress=False)
    # The creator's exact net, 0.005 USD a coin: Rose 3 → 0.015; Lion 29999 → 149.995; Heart Me 10 (by its
    # id 7934, 1 coin) → 0.05; Finger Heart 4 × 5 → 0.10; Rose 2 → 0.01. The subscription has no price:
    # unknown, 0. Dan's 2 Roses went to a guest: 0.01, apart.
    expected = Decimal("0.015") + Decimal("149.995") + Decimal("0.05") + Decimal("0.10") + Decimal("0.01")
    assert expected == Decimal("150.17")
    assert report.exact.net == Money(expected, "USD")
    assert report.net == Money("150.17", "USD")  # the exact sum, rounded once
    assert report.exact_total(to_guests=True).net == Money("0.01", "USD")
    assert report.counts_line() == (
        "records 17 = events 10 + without money 7 + rejected 0; events 10 = valued 9 + duplicates 1"
    )  # line 9, a replay of a superseded frame, is a streak frame again, not a duplicate event
    assert report.without_money == {"WebcastChatMessage": 1, "gift streak frame": 6}


def test_the_real_first_frame_of_a_streak_counts_only_at_the_end_of_the_log():
    path = DATA / "tiktoklive_v7_real_rose.jsonl"
    decoder = READER["tiktoklive"].decoder(path.name)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert "repeatEnd" not in record  # a first frame: proto to_dict() leaves the default 0 out
    assert decoder.feed(record, 1) == []
    (rose,) = decoder.flush(None)
    assert (rose.gift, rose.count, rose.amount, rose.viewer) == ("Rose", 1, Money(1, "coins"), "malowana_")
    assert rose.ts == dt.datetime(2023, 8, 22, 17, 36, 13, 880000, tzinfo=UTC)  # createTime "1692725773880"
    assert (rose.id, rose.recipient) == ("7270201542891817761", "6671556836829446149")  # monitorInfo.toUserId
    assert rose.host == "6671556836829446149"  # monitorInfo.anchorId: the host's own gift
    assert summary(read("tiktoklive_v7_real_rose.jsonl")) == [("gift", "Rose", 1, 1, "malowana_", 1)]


# --- TikTokLive 5 and 6, the web-ui example --------------------------------------------------------


def test_tiktoklive_5_and_6_snake_case_logs():
    items = read("tiktoklive_v6_v5.jsonl")
    assert outcomes(items) == {
        1: FRAME,
        2: FRAME,
        3: "event",
        4: "event",
        5: "event",
        6: FRAME,
        7: "event",
        8: FRAME,
        9: "event",  # closed when line 10's count drops to 1
        10: FRAME,
        11: "event",
        12: "event",
        13: "event",
    }
    assert summary(items) == [
        ("gift", "Rose", 2, 1, "gina", 3),
        ("gift", "Doughnut", 3, 30, "hal", 4),  # later v6 protos: from_user, m_gift
        ("like", None, 8, None, "hal", 5),
        ("gift", "Rose", 5, 1, "ivy", 7),  # v5: gift.count 4, then 5 with repeat_end 1
        ("gift", "Rose", 3, 1, "ivy", 9),  # no group id: the count drops to 1 at line 10, a new streak
        ("like", None, 12, None, "jack", 12),  # v5 likes / total_likes
        ("gift", "Money Gun", 1, 500, "kai", 13),  # type 2 with repeat_end 0: counted on arrival
        ("gift", "Rose", 2, 1, "ivy", 11),  # the last streak, still open when the log ends
    ]


def test_tiktoklive_web_ui_stream():
    items = read("tiktoklive_webui.sse")
    assert outcomes(items) == {
        1: "no money: connect",
        3: "no money: comment",
        5: "event",
        7: "event",
        9: "event",
        11: "event",
        13: "no money: disconnect",
    }
    assert summary(items) == [
        ("like", None, 15, None, "Bob", 5),
        ("gift", "Rose", 3, None, "Anna", 7),  # written after the streak ended: counted as it is
        ("gift", "Lion", 1, None, "Carla", 9),
        ("gift", "Golden Walrus", 2, None, "Dan", 11),
    ]
    assert events(items)[1].ts == dt.datetime(2024, 11, 8, 18, 0, 5, 875000, tzinfo=UTC)  # time.time() seconds


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.decimals(min_value=946684799, max_value=4102444801, places=7),
        st.sampled_from(
            [
                Decimal(946684800),
                Decimal("946684799.9999999"),
                Decimal("4102444799.999999"),
                Decimal(4102444800),
                Decimal("-0"),
                Decimal("0E+5"),
                Decimal("1731088805.875"),
                Decimal("1E+400"),
            ]
        ),
        st.integers(),
    )
)
def test_web_ui_time_is_the_kits_timestamp(value):
    # The web-ui reader's own path for a ts in seconds gives exactly `moment`'s (the kit's `timestamp`) time or error.
    from livemoney.kit import FieldError
    from livemoney_tiktok.readers.webcast import _web_ui_time, moment

    record = {"type": "like", "ts": value, "user": "kim", "count": 1}
    try:
        expected: object = moment(record, ("ts",), "s")
    except (FieldError, ArithmeticError) as error:  # a signalling NaN: InvalidOperation, in both
        expected = ("error", type(error), str(error))
    try:
        got: object = _web_ui_time(record)
    except (FieldError, ArithmeticError) as error:
        got = ("error", type(error), str(error))
    assert got == expected
    if isinstance(got, dt.datetime):
        assert got.tzinfo == UTC and got.utcoffset() == dt.timedelta(0)


def test_web_ui_gifts_are_valued_from_the_catalogue(pm):
    context = lm.context(pm=pm)
    gifts = [item for item in read("tiktoklive_webui.sse") if isinstance(item, Gift)]
    rose, lion, walrus = (lm.value_event(item, context, pm=pm) for item in gifts)
    assert (rose.net, lion.net) == (Money("0.015", "USD"), Money("149.995", "USD"))  # 3 × 0.005; 29999 × 0.005
    assert (rose.shown().net, lion.shown().net) == (Money("0.02", "USD"), Money("150.00", "USD"))
    assert walrus.unknown and "Golden Walrus" in walrus.reason


# --- TikTok-Live-Connector and TikFinity -----------------------------------------------------------


def test_connector_log_with_bool_repeat_end():
    items = read("connector_v1.jsonl")
    assert outcomes(items) == {
        1: "no money: chat",
        2: FRAME,
        3: FRAME,
        4: "event",
        5: "event",
        6: "event",
        7: "repeat",
        8: "event",
        9: "event",
        10: FRAME,
        11: "event",
        12: "event",
        13: FRAME,
        14: "event",
    }
    assert summary(items) == [
        ("like", None, 6, None, "kim", 4),
        ("gift", "Nevalyashka doll", 2, 25, "zerodytester", 5),
        ("gift", "Galaxy", 1, 1000, "kim", 6),  # giftType 2, repeatEnd false: counted on arrival
        ("gift", "Rose", 5, 1, "maxi", 8),  # to a guest (receiverUserId)
        ("donation", "subscription", 1, None, "lee", 9),
        ("gift", "Rose", 4, 1, "lee", 11),  # end frame lost; line 12 comes 64.5 s later: timed out
        ("like", None, 3, None, "maxi", 12),
        ("gift", "Rose", 2, 1, "kim", 14),  # still open at the end of the log
    ]
    # Line 7 replays the end frame of line 5 (same msgId, same content): a repeat.
    assert coins(items) == 50 + 1000 + 5 + 4 + 2
    gifts = [item for item in items if isinstance(item, Gift)]
    assert (gifts[0].recipient, gifts[2].recipient) == (HOST_V1, GUEST_V1)  # receiverUserId
    assert all(gift.host is None for gift in gifts)  # no monitorExtra: the records do not name the host


def test_connector_log_told_the_host_keeps_the_guests_roses_apart(pm):
    report = lm.value(str(DATA / "connector_v1.jsonl"), pm=pm, host=HOST_V1)
    # The creator: 50 + 1000 + 4 + 2 = 1056 coins × 0.005 = 5.28; the guest: 5 Roses, 0.025.
    assert report.exact.net == Money("5.28", "USD")
    assert report.exact_total(to_guests=True).net == Money("0.025", "USD")
    untold = lm.value(str(DATA / "connector_v1.jsonl"), pm=pm)  # without --host the guest's are the creator's
    assert untold.exact.net == Money("5.305", "USD")


def test_tikfinity_envelopes_of_connector_2_data():
    items = read("tikfinity_envelopes.json")
    # each item counted at the line where it starts in the JSON array
    assert outcomes(items) == {
        2: "no money: roomUser",
        14: FRAME,
        40: FRAME,
        66: "event",
        84: "event",
        110: "event",
        136: "event",
        153: "repeat",
        179: "no money: chat",
    }
    assert summary(items) == [
        # The last number is the line where the envelope starts (the Rose: its end frame).
        ("like", None, 20, None, "ned", 66),
        ("gift", "Rose", 2, 1, "mia", 84),  # repeatEnd 0, 0, then 1; replayed once more: counted once
        ("gift", "Hand Hearts", 1, 100, "ned", 110),
        ("donation", "subscription", 1, None, "ned", 136),
    ]


def test_bad_records_are_rejected_naming_line_and_field():
    items = read("connector_bad.jsonl")
    rejected = [(item.line, item.field, item.problem) for item in items if isinstance(item, Rejected)]
    assert rejected == [
        (1, "repeatCount", "'many' is not a whole number"),
        (2, "createTime", "'yesterday' is not a timestamp"),
        (3, "(record)", "not a TikTok LIVE message (a JSON object)"),
        (4, "(line)", "not valid JSON: Expecting ':' delimiter: line 1 column 47 (char 46)"),
        (5, "repeatEnd", "2 is not 0, 1, true or false"),
        (7, "diamondCount", "-5 is negative"),
        (8, "(record)", "not a TikTok LIVE message (no common.method, giftId, likeCount or user)"),
    ]
    assert [item.gift for item in items if isinstance(item, Gift)] == ["Galaxy"]
    assert json.loads(items[0].raw)["repeatCount"] == "many"
    assert set(outcomes(items)) == set(range(1, 9))  # every line, once: 7 rejected, 1 event


# --- the decoder, fed live --------------------------------------------------------------------------


def frame(msg, count, end=None, user="u1", group="g1", gift_type=1, ms=0, name="Rose", price=1):
    record = {
        "common": {"method": "WebcastGiftMessage", "msgId": msg, "createTime": str(1731088800000 + ms)},
        "giftId": "5655",
        "repeatCount": count,
        "groupId": group,
        "user": {"id": user, "displayId": user},
        "gift": {"id": "5655", "name": name, "type": gift_type, "diamondCount": price},
    }
    if end is not None:
        record["repeatEnd"] = end
    return record


def feed(decoder, *records):
    return [item for number, record in enumerate(records, start=1) for item in decoder.feed(record, number)]


def events(items):
    return [item for item in items if not isinstance(item, Skipped)]


def test_accepts_tells_the_two_formats_and_the_canonical_log_apart():
    tiktoklive, connector = READER["tiktoklive"].accepts, READER["tiktok-live-connector"].accepts
    assert tiktoklive(frame("1", 1)) and not connector(frame("1", 1))
    envelope = {"event": "gift", "data": {"giftId": 5655, "uniqueId": "kim"}}
    assert connector(envelope) and not tiktoklive(envelope)
    canonical = {"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 1}
    assert not tiktoklive(canonical) and not connector(canonical)
    assert tiktoklive({"type": "gift", "ts": 1731088805.875, "user": "Anna", "gift": "Rose", "count": 3})


def test_a_streak_waits_for_its_end_frame_then_counts_its_final_count():
    decoder = WebcastDecoder("live")
    # each frame superseded by the next is skipped as it is superseded: no event before the end frame
    skipped = feed(decoder, frame("1", 1), frame("2", 2, end=0), frame("3", 3))
    assert [(item.line, item.kind) for item in skipped] == [(1, "gift streak frame"), (2, "gift streak frame")]
    superseded, rose = decoder.feed(frame("4", 3, end=1, ms=3000), 4)
    assert (superseded.line, superseded.why) == (3, "no money")
    assert (rose.count, rose.id, rose.source) == (3, "4", "live:4")
    assert decoder.flush(None) == []


def test_a_non_streakable_gift_counts_on_arrival_even_with_repeat_end_0():
    (lion,) = WebcastDecoder("live").feed(frame("1", 1, end=0, gift_type=2, name="Lion", price=29999), 1)
    assert (lion.gift, lion.count, lion.amount) == ("Lion", 1, Money(29999, "coins"))


def test_a_streak_without_its_end_frame_counts_after_the_timeout():
    decoder = WebcastDecoder("live", timeout=dt.timedelta(seconds=10))
    feed(decoder, frame("1", 1, ms=0), frame("2", 6, ms=2000))
    last = dt.datetime(2024, 11, 8, 18, 0, 2, tzinfo=UTC)
    assert decoder.flush(last + dt.timedelta(seconds=9)) == []
    (rose,) = decoder.flush(last + dt.timedelta(seconds=10))
    assert (rose.count, rose.source) == (6, "live:2")
    # its end frame, arriving after all, adds only what it adds: 7 − 6 = 1
    (late,) = decoder.feed(frame("3", 7, end=1, ms=13000), 3)
    assert (late.count, late.source) == (1, "live:3")
    # another end frame at 7 adds nothing: no money of its own
    (nothing,) = decoder.feed(frame("4", 7, end=1, ms=14000), 4)
    assert (nothing.line, nothing.kind) == (4, "gift streak frame")


def test_streaks_are_keyed_by_sender_gift_and_group():
    decoder = WebcastDecoder("live")
    items = feed(
        decoder,
        frame("1", 1, user="anna"),
        frame("2", 1, user="bob"),
        frame("3", 2, user="anna"),
        frame("4", 1, user="anna", group="g2"),  # anna's second streak, while her first is still open
        frame("5", 2, user="anna", end=1),
        frame("6", 1, user="bob", end=1),
        frame("7", 1, user="anna", group="g2", end=1),
    )
    gifts = events(items)
    assert [(gift.viewer, gift.count) for gift in gifts] == [("anna", 2), ("bob", 1), ("anna", 1)]
    assert sorted(int(gift.source.rpartition(":")[2]) for gift in gifts) == [5, 6, 7]
    assert sorted(item.line for item in items if isinstance(item, Skipped)) == [1, 2, 3, 4]


def test_a_message_replayed_after_a_reconnect_counts_once():
    decoder = WebcastDecoder("live")
    first = feed(decoder, frame("1", 1), frame("2", 2, end=1))
    decoder.flush(None)  # the disconnect
    again = feed(decoder, frame("1", 1), frame("2", 2, end=1))  # the replay after reconnecting
    assert [gift.count for gift in events(first)] == [2]
    # the end frame that counted is a duplicate; the frame it superseded is a streak frame, as the first time
    assert [(item.line, item.kind, item.why) for item in again] == [
        (1, "gift streak frame", "no money"),
        (2, "WebcastGiftMessage", "repeat"),
    ]
    assert [(item.line, item.kind, item.why) for item in first if isinstance(item, Skipped)] == [
        (1, "gift streak frame", "no money")
    ]
    like = {"common": {"method": "WebcastLikeMessage", "msgId": "9"}, "count": 15, "total": 99}
    items = feed(decoder, like, like)
    assert [item.count for item in events(items)] == [15] and items[1].why == "repeat"


def test_a_capture_given_twice_counts_each_record_as_the_first_copy_did(tmp_path):
    # A new user's trial: a second copy of a connector log counted the streak frames a later frame superseded
    # (records without money the first time) as duplicate events: "events 22" for 9 events a file.
    log = DATA / "connector_v1.jsonl"
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(log.read_bytes())
    alone, both = lm.value(log), lm.value([log, copy])
    assert alone.counts_line() == (
        "records 14 = events 9 + without money 5 + rejected 0; events 9 = valued 8 + duplicates 1"
    )
    # each count twice but the valued events and the money: the copy's events are all duplicates
    assert both.counts_line() == (
        "records 28 = events 18 + without money 10 + rejected 0; events 18 = valued 8 + duplicates 10"
    )
    assert dict(both.without_money) == {kind: 2 * count for kind, count in alone.without_money.items()}
    assert both.exact == alone.exact


def test_one_message_id_with_other_content_is_not_a_repeat():
    # The connector 0.9 rounds ids, so two messages can share one: only the same content is a repeat.
    decoder = WebcastDecoder("live")
    lion = frame("1", 1, gift_type=2, name="Lion", price=29999)
    galaxy = frame("1", 1, gift_type=2, name="Galaxy", price=1000, user="u2")
    assert [gift.gift for gift in feed(decoder, lion, galaxy)] == ["Lion", "Galaxy"]


@st.composite
def streak_logs(draw):
    """Streaks (final count, end frame lost or not) as frames interleaved at random, some replayed."""
    streaks = draw(st.lists(st.tuples(st.integers(1, 8), st.booleans()), min_size=1, max_size=6))
    queues = []
    for index, (final, lost) in enumerate(streaks):
        frames = [
            frame(f"{index}-{count}", count, user=f"v{index % 3}", group=f"g{index}") for count in range(1, final + 1)
        ]
        if not lost:
            frames.append(frame(f"{index}-end", final, end=1, user=f"v{index % 3}", group=f"g{index}"))
        queues.append(frames)
    records = []
    while any(queues):
        queue = draw(st.sampled_from([queue for queue in queues if queue]))
        records.append(queue.pop(0))
        if draw(st.booleans()):
            records.append(records[draw(st.integers(0, len(records) - 1))])  # a replayed message
    return streaks, records


@settings(max_examples=300, deadline=None)
@given(streak_logs())
def test_every_streak_counts_its_final_count_once_however_frames_interleave(log):
    streaks, records = log
    decoder = WebcastDecoder("live")
    items = feed(decoder, *records) + decoder.flush(None)
    counted = {}
    for gift in events(items):
        key = gift.id.split("-")[0]
        counted[key] = counted.get(key, 0) + gift.count
    assert counted == {str(index): final for index, (final, _) in enumerate(streaks)}
    # every record came out exactly once: an event, a superseded frame, or a repeat
    assert sorted(line_of(item) for item in items) == list(range(1, len(records) + 1))
    assert all(item.kind == "gift streak frame" or item.why == "repeat" for item in items if isinstance(item, Skipped))


def test_likes_and_subscriptions_pass_through_with_their_ids():
    decoder = WebcastDecoder("live")
    like = {"common": {"method": "WebcastLikeMessage", "msgId": "1", "createTime": "1731088800000"}, "count": 15}
    sub = {"common": {"method": "WebcastSubNotifyMessage", "msgId": "2"}, "user": {"displayId": "eve"}, "subMonth": 1}
    nothing = {"common": {"method": "WebcastLikeMessage", "msgId": "3"}}  # count 0 left out by to_dict()
    items = feed(decoder, like, sub, nothing)
    assert [(type(item), item.id) for item in items[:2]] == [(Like, "1"), (Donation, "2")]
    assert (items[2].line, items[2].kind, items[2].why) == (3, "WebcastLikeMessage", "no money")
    assert items[0].ts == dt.datetime(2024, 11, 8, 18, 0, tzinfo=UTC)
    assert items[1].amount is None and items[1].viewer == "eve"


def test_a_gift_whose_type_the_record_does_not_give_is_held_like_a_streak():
    decoder = WebcastDecoder("live")
    frames = [
        {
            "giftId": 5655,
            "giftName": "Rose",
            "diamondCount": 1,
            "repeatCount": count,
            "repeatEnd": end,
            "groupId": "g1",
            "userId": "1",
            "uniqueId": "kim",
            "msgId": str(count + end),
        }
        for count, end in ((1, False), (2, False), (2, True))
    ]  # TikTok-Live-Connector data without giftType
    assert events(feed(decoder, *frames[:2])) == []
    (rose,) = events(decoder.feed(frames[2], 3))
    assert rose.count == 2
    lone = {**frames[0], "msgId": "9", "groupId": "g2"}  # one frame, never ended: counted at the end
    assert decoder.feed(lone, 4) == []
    assert [(gift.count, gift.source) for gift in decoder.flush(None)] == [(1, "live:4")]


def test_a_live_tally_fed_raw_records_values_what_the_file_values(pm):
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm)
    for line in (DATA / "tiktoklive_v7.jsonl").read_text(encoding="utf-8").splitlines():
        tally.add(json.loads(line))
    assert tally.report().exact.net == Money("150.16", "USD")  # 150.17 less frank's 2 Roses (0.01), still open
    tally.flush()  # the disconnect: frank's open streak counts
    report = tally.report()
    assert report.exact.net == Money("150.17", "USD")  # as valuing the file (above)
    assert report.counts_line() == (
        "records 17 = events 10 + without money 7 + rejected 0; events 10 = valued 9 + duplicates 1"
    )


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=6)
    | st.decimals(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)
FIELDS = (
    "common.method",
    "common.msgId",
    "common.createTime",
    "giftId",
    "repeatCount",
    "repeatEnd",
    "groupId",
    "user.id",
    "user.displayId",
    "gift.name",
    "gift.type",
    "gift.diamondCount",
    "toMemberId",
    "type",
    "event",
)


@settings(max_examples=400, deadline=None)
@given(path=st.sampled_from(FIELDS), value=JSON)
def test_any_value_in_any_field_is_read_or_rejected_never_raised(path, value):
    record = frame("1", 2, end=1)
    *parents, last = path.split(".")
    node = record
    for part in parents:
        node = node[part]
    node[last] = value
    decoder = WebcastDecoder("live")
    items = decoder.feed(record, 1) + decoder.flush(None)
    assert all(isinstance(item, (Gift, Like, Donation, Rejected, Skipped)) for item in items)
    assert [line_of(item) for item in items] == [1]  # the record comes out once, whatever it holds
    rejected = [item for item in items if isinstance(item, Rejected)]
    assert all(item.line == 1 and item.field and item.problem for item in rejected)


# --- kinds of record: without money, not read -------------------------------------------------------


def read_bytes(reader, text):
    return list(READER[reader].read(io.BytesIO(text.encode("utf-8")), "log"))


def test_the_tiktoklive_reader_names_a_kind_it_does_not_know(pm):
    log = "\n".join(
        json.dumps(record)
        for record in (
            {
                "common": {"method": "WebcastGiftMessage", "msgId": "1"},
                "giftId": "5655",
                "repeatCount": 1,
                "repeatEnd": 1,
                "user": {"id": "9", "displayId": "kim"},
                "gift": {"id": "5655", "name": "Rose", "type": 1, "diamondCount": 1},
            },
            {"common": {"method": "WebcastEnvelopeMessage", "msgId": "2"}, "envelopeInfo": {"businessType": 19}},
            {"common": {"method": "WebcastHourlyRankRewardMessage", "msgId": "3"}},
            {"common": {"method": "WebcastMemberMessage", "msgId": "4"}, "user": {"id": "9"}},
            {"type": "follow", "user": "kim"},  # a web-ui record of a type the example never writes
        )
    )
    items = read_bytes("tiktoklive", log)
    assert outcomes(items) == {
        1: "event",
        2: "not read: WebcastEnvelopeMessage",  # a treasure box: no source says what the creator earns
        3: "not read: WebcastHourlyRankRewardMessage",
        4: "no money: WebcastMemberMessage",
        5: "not read: record with keys type, user",
    }
    path = DATA.parent / "unknown-kinds.jsonl"
    try:
        path.write_text(log, encoding="utf-8")
        report = lm.value(str(path), pm=pm, input_format="tiktoklive")
    finally:
        path.unlink()
    assert report.counts_line() == (
        "records 5 = events 1 + without money 1 + not read 3 + rejected 0; events 1 = valued 1 + duplicates 0"
    )
    assert report.not_read == {
        "WebcastEnvelopeMessage": 1,
        "WebcastHourlyRankRewardMessage": 1,
        "record with keys type, user": 1,
    }


def test_the_connector_reader_names_a_kind_it_does_not_know():
    items = read("connector_unknown_kinds.jsonl")
    assert outcomes(items) == {
        1: "no money: chat",
        2: "not read: superFanBox",  # a treasure box, like envelope
        3: "not read: envelope",
        4: "not read: fanClubGiftParty",
        5: "event",
        6: "no money: roomUser",
    }


def test_connector_1_data_without_envelopes_is_named_by_its_fields():
    user = {"userId": "6813181309701710001", "uniqueId": "kim"}
    log = "\n".join(
        json.dumps({**user, **fields})
        for fields in (
            {"actionId": 1, "displayType": "live_room_enter_toast", "label": "{0:user} joined"},
            {"displayType": "pm_main_follow_message_viewer_2", "label": "{0:user} followed the host"},
            {"displayType": "pm_mt_guidance_share", "label": "{0:user} shared the LIVE"},
            {"emoteId": "7121025198379731714"},
            {"questionText": "why?"},
            {"viewerCount": 120, "topViewers": []},
            {"battleStatus": 1, "battleArmies": []},
            {"id": "1658723381", "description": "welcome!"},
            {"coins": 20, "canOpen": 20, "timestamp": 1661887422},
            {"somethingNew": True},
        )
    )
    assert outcomes(read_bytes("tiktok-live-connector", log)) == {
        1: "no money: member",
        2: "no money: social",
        3: "no money: social",
        4: "no money: emote",
        5: "no money: questionNew",
        6: "no money: roomUser",
        7: "no money: linkMicArmies",
        8: "no money: liveIntro",
        9: "not read: envelope",
        10: "not read: record with keys somethingNew, uniqueId, userId",
    }


def test_a_barrage_is_read_by_its_text_key_not_by_the_envelopes_name():
    ids = iter(range(1, 100))

    def envelope(event, **data):
        return {
            "event": event,
            "data": {
                "common": {"method": "WebcastBarrageMessage", "msgId": str(next(ids))},
                "user": {"userId": "1", "uniqueId": "kim"},
                **data,
            },
        }

    became = {"key": "ttlive_superFan_commentNotif_someoneBecameSuperFan"}
    joined = {"key": "TTLIVE_SUPERFAN_COMMENTNOTIF_SUPERFANJOINED"}  # compared lowercased
    log = "\n".join(
        json.dumps(record)
        for record in (
            envelope("superFan", content=joined),  # named superFan, but the key says an entrance
            envelope("barrage", commonBarrageContent=became),  # a plain barrage that announces a new Super Fan
            envelope("superFanJoin"),  # no key at all: not trusted either way
            {"event": "barrage", "data": {**envelope("barrage")["data"], "displayType": became["key"]}},
            envelope("barrage", content={"key": "pm_mt_gift_gallery_lit_up"}),
        )
    )
    items = read_bytes("tiktok-live-connector", log)
    assert outcomes(items) == {
        1: "no money: superFanJoin",
        2: "event",
        3: "not read: superFanJoin (no text key)",
        4: "event",  # the older displayType
        5: "no money: barrage",
    }
    assert {item.feature for item in events(items)} == {"subscription"}


def test_tiktoklive_6_camel_case_records_are_tiktoklive_records():
    record = {
        "baseMessage": {"method": "WebcastGiftMessage", "messageId": "7560000000000000002"},
        "fromUser": {"id": "1", "username": "pia"},
        "mGift": {"id": "5655"},
        "repeatCount": 1,
    }
    assert READER["tiktoklive"].accepts(record) and not READER["tiktok-live-connector"].accepts(record)
    decoder = WebcastDecoder("live")
    assert decoder.feed(record, 1) == []
    (rose,) = decoder.flush(None)
    assert (rose.gift, rose.gift_id, rose.amount, rose.viewer, rose.id) == (
        "Rose",
        "5655",
        None,
        "pia",
        "7560000000000000002",
    )


def test_an_unknown_envelope_with_tiktok_data_is_a_connector_record():
    unknown = {"event": "fanClubGiftParty", "data": {"common": {"method": "WebcastFanClubGiftPartyMessage"}}}
    assert READER["tiktok-live-connector"].accepts(unknown)
    assert not READER["tiktok-live-connector"].accepts({"event": "x", "data": {"hello": "world"}})


def test_rounded_ids_from_javascript_are_never_ids():
    from livemoney_tiktok.readers.webcast import rounded

    assert rounded(7085465258067807000)  # JavaScript's shortest decimal of the double
    assert not rounded(7085465258067807123)  # no double prints as this: an exact id (Python wrote it)
    assert not rounded(9007199254740993) and not rounded("7085465258067807000")  # beyond 2**53 by 1; a string


class _ClientDict(dict):
    """A live client's record: a dict subclass, which `webcast.shape_of` never shortens (every path, by the book)."""


_FIELDS = (*webcast.MSG_ID, *webcast.CREATE_TIME, *webcast.ROOM, *webcast.USER_ID, *webcast.VIEWER, *webcast.GIFT_ID)
_FIELDS += (*webcast.GIFT_NAME, *webcast.GIFT_TYPE, *webcast.PRICE, *webcast.REPEAT_COUNT, *webcast.REPEAT_END)
_FIELDS += (*webcast.GROUP, *webcast.RECIPIENT, *webcast.LIKE_COUNT, *webcast.MONITORS)
_TOP_KEYS = sorted({path.split(".")[0] for path in _FIELDS} | {"displayType", "comment", "actionId", "subMonth"})
_INNER_KEYS = sorted({part for path in _FIELDS for part in path.split(".")[1:]} | {"method", "anchorId", "toUserId"})
_DISPLAYS = ["live_room_enter_toast", "pm_main_follow_message_viewer_2", "ttlive_superFan_commentNotif_x"]
_LEAVES = st.sampled_from(
    [None, "", "0", 0, 1, 2, "5655", "Rose", True, Decimal("1.5"), "1793563200025", 7085465258067807000, "x"]
    + _DISPLAYS  # a display tells a bare record's kind (`_bare_by_display` remembers it a shape)
)
_RECORDS = st.dictionaries(
    st.sampled_from(_TOP_KEYS),
    st.one_of(_LEAVES, st.dictionaries(st.sampled_from(_INNER_KEYS), _LEAVES, max_size=4)),
    max_size=10,
)


def _outcome(record):
    try:
        return repr(webcast.parse(record, "log:1"))
    except lm.FieldError as error:
        return f"FieldError {error.field}: {error.problem}"


@settings(max_examples=400, deadline=None)
@given(record=_RECORDS)
def test_a_records_shape_never_changes_what_it_says(record):
    # The shortcut a plain dict's shape takes (only the paths whose first key it has, a kind told by its keys)
    # against every path read by the book: the same Read, or the same rejection (field and problem).
    assert _outcome(record) == _outcome(_ClientDict(record))


def test_records_of_one_shape_are_told_apart_by_their_display():
    # The keys of the connector's 1.x member, follow and share data leave only `displayType` to read: the kind
    # remembered for one display is never another display's (each read by the book, a dict subclass, too).
    keys = {"userId": "6800000000000000001", "uniqueId": "kim", "msgId": "7434100000000000001"}
    displays = [*_DISPLAYS, "pm_mt_guidance_share", "live_room_enter_toast", None, 7]
    for display in [*displays, *reversed(displays)]:
        record = {**keys, "displayType": display}
        assert webcast.unwrap(record) == webcast.unwrap(_ClientDict(record))
    kinds = [webcast.unwrap({**keys, "displayType": display})[:2] for display in _DISPLAYS]
    assert kinds == [("member", lm.NO_MONEY), ("social", lm.NO_MONEY), ("barrage", "barrage")]
