"""pytchat's own chat objects → events (livemoney_youtube.live)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from livemoney import Donation, Money, Rejected
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


def test_feed_counts_each_id_once_across_batches():
    feed = PytchatFeed("live")
    first = feed.feed([chat("superChat", "s1", "￥800"), chat("textMessage", "t1"), chat("newSponsor", "m1")])
    second = feed.feed([chat("superChat", "s1", "￥800"), chat("superSticker", "k1", "￥200")])
    found = [(e.feature, e.amount, e.count, e.source) for e in first + second]
    assert found == [
        ("super_chat", Money(Decimal(800), "JPY"), 1, "live:1"),
        ("membership", None, 1, "live:3"),
        ("super_sticker", Money(Decimal(200), "JPY"), 1, "live:5"),
    ]
    assert first[0].ts == OCT_10_2019 and first[0].viewer == "Ann"


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
    # pytchat reads the ￥800 chat item and skips the ￥846 ticker copy; so do we
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
    found = [(e.feature, e.amount) for e in events(items)]
    # the $10.00 Super Chat is in the replay twice: once; no tickers, no gift purchases in pytchat
    assert found == [
        ("super_chat", Money(Decimal("10.00"), "USD")),
        ("super_sticker", Money(Decimal("2.00"), "EUR")),
        ("membership", None),
        ("membership", None),
        ("giving", None),
        ("super_chat", Money(Decimal("10.00"), "CHF")),
        ("super_chat", Money(Decimal("1000.00"), "INR")),
    ]
