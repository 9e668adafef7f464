"""pytchat's own chat objects → events (livemoney_youtube.live)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import livemoney as lm
import pytest
from livemoney import Donation, Event, Money, Rejected
from livemoney.kit import NO_MONEY, NOT_READ, Skipped
from livemoney_youtube.live import PytchatFeed, events, to_record

DATA = Path(__file__).parent / "data"
OCT_10_2019 = dt.datetime(2019, 10, 10, 3, 34, 56, tzinfo=dt.UTC)


def chat(kind, message_id, amount="", name="Ann"):
    """A stand-in with the attributes of a pytchat 0.5.5 chat object."""
    return SimpleNamespace(
        type=kind,
        id=message_id,
        timestamp=1570678496000,
        datetime="2019-10-10 12:34:56",
        elapsedTime="",
        message="hi",
        amountValue=0.0,
        amountString=amount,
        currency="",
        bgColor=0,
        author=SimpleNamespace(name=name, channelId="UCann"),
    )


def test_to_record_has_the_shape_pytchat_writes():
    record = to_record(chat("superChat", "s1", "￥800"))
    assert record == {
        "type": "superChat",
        "id": "s1",
        "timestamp": 1570678496000,
        "amountString": "￥800",
        "currency": "",
        "message": "hi",
        "author": {"name": "Ann", "channelId": "UCann"},
    }


def test_feed_gives_every_item_once_across_batches(pm):
    feed = PytchatFeed("live")
    first = feed.feed([chat("superChat", "s1", "￥800"), chat("textMessage", "t1"), chat("newSponsor", "m1")])
    second = feed.feed([chat("superChat", "s1", "￥800"), chat("superSticker", "k1", "￥200")])
    found = [(e.feature, e.amount, e.count, e.source) for e in first + second if isinstance(e, Event)]
    assert found == [
        ("super_chat", Money(Decimal(800), "JPY"), 1, "live:1"),
        ("membership", None, 1, "live:3"),
        ("super_chat", Money(Decimal(800), "JPY"), 1, "live:4"),  # the same item again
        ("super_sticker", Money(Decimal(200), "JPY"), 1, "live:5"),
    ]
    assert [(s.kind, s.why, s.line) for s in first if isinstance(s, Skipped)] == [("textMessage", NO_MONEY, 2)]
    assert first[0].ts == OCT_10_2019 and first[0].viewer == "Ann"
    # the host finds the repeat: 800 + 200 = 1,000 yen, creator 1,000 × 0.70 = 700
    report = lm.value([e for e in first + second if isinstance(e, Event)], "JPY", pm=pm)
    assert (report.valued, report.duplicates) == (3, 1)
    assert report.exact.gross == Money(Decimal(1000), "JPY") and report.net == Money(Decimal(700), "JPY")


def test_a_live_tally_fed_pytchat_records_accounts_for_each(pm):
    tally = lm.LiveTally(lm.context("JPY", pm=pm), pm=pm)
    for item in [chat("superChat", "s1", "￥800"), chat("textMessage", "t1"), chat("someNewType", "n1")]:
        tally.add(to_record(item))
    tally.flush()
    report = tally.report()
    assert (report.records, report.valued, report.without_money, report.not_read) == (
        3,
        1,
        {"textMessage": 1},
        {"someNewType": 1},
    )
    assert report.counts_line().startswith("records 3 = events 1 + without money 1 + not read 1 + rejected 0")


def test_an_unknown_currency_is_rejected_with_its_reason():
    (rejected,) = events([chat("superChat", "s2", "[UNREGISTERD]10,800")], source="live")
    assert isinstance(rejected, Rejected)
    assert (rejected.source, rejected.line, rejected.field) == ("live", 1, "amountString")
    assert "not guessed" in rejected.problem
    assert json.loads(rejected.raw)["id"] == "s2"


def test_with_pytchat_itself_on_the_real_super_chat():
    pytest.importorskip("pytchat")
    from pytchat.processors.default.processor import DefaultProcessor

    response = json.loads((DATA / "pytchat__default_superchat.json").read_text(encoding="utf-8"))
    actions = response["continuationContents"]["liveChatContinuation"]["actions"]
    items = DefaultProcessor().process([{"chatdata": actions, "timeout": 0}]).items
    (event,) = events(items)
    # pytchat reads the ￥800 chat item and drops the ￥846 ticker copy itself
    assert isinstance(event, Donation)
    assert (event.feature, event.amount, event.id, event.ts) == (
        "super_chat",
        Money(Decimal(800), "JPY"),
        "dummy_id",
        OCT_10_2019,
    )


def test_with_pytchat_itself_on_the_replay_log():
    pytest.importorskip("pytchat")
    from pytchat.processors.default.processor import DefaultProcessor

    response = json.loads((DATA / "youtube_replay.json").read_text(encoding="utf-8"))
    actions = [
        inner
        for action in response["continuationContents"]["liveChatContinuation"]["actions"]
        for inner in action["replayChatItemAction"]["actions"]
    ]
    items = DefaultProcessor().process([{"chatdata": actions, "timeout": 0}]).items
    out = list(events(items))
    found = [(e.feature, e.amount) for e in out if isinstance(e, Event)]
    # no tickers, no gift purchases in pytchat; the $10.00 Super Chat is in the replay twice (the host
    # drops the repeat)
    assert found == [
        ("super_chat", Money(Decimal("10.00"), "USD")),
        ("super_sticker", Money(Decimal("2.00"), "EUR")),
        ("membership", None),
        ("giving", None),
        ("super_chat", Money(Decimal("10.00"), "USD")),
        ("super_chat", Money(Decimal("10.00"), "CHF")),
        ("super_chat", Money(Decimal("1000.00"), "INR")),
    ]
    # the milestone ("Member for 6 months") reaches us as pytchat's "Welcome New Member!": not read
    assert [(s.kind, s.why) for s in out if isinstance(s, Skipped)] == [
        ("textMessage", NO_MONEY),
        ("newSponsor (pytchat lost its header: a milestone or a new member)", NOT_READ),
    ]
