"""TikTokLive's own event objects → events (livemoney_tiktok.live), on the real capture decoded by
TikTokLive 7.0.1 itself (installed with the extra livemoney-tiktok[live])."""

from __future__ import annotations

import base64
import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from livemoney import Donation, Gift, Like, Money
from livemoney.kit import Skipped, to_guest
from livemoney_tiktok.live import TikTokLiveFeed, to_record

events = pytest.importorskip("TikTokLive.events", reason="TikTokLive (livemoney-tiktok[live]) is not installed")

CAPTURE = Path(__file__).parent / "data" / "tiktoklivejava__MessageWebcastGiftMessage.b64"
ANCHOR = "6671556836829446149"


@pytest.fixture
def rose():
    """The real WebcastGiftMessage (2023-08-22): the first frame of a Rose streak."""
    return events.GiftEvent().parse(base64.b64decode(CAPTURE.read_bytes()))


def test_tiktoklive_reads_the_capture_as_the_first_frame_of_a_rose_streak(rose):
    assert (rose.gift.name, rose.gift.type, rose.gift.diamond_count) == ("Rose", 1, 1)
    assert (rose.repeat_count, rose.repeat_end, rose.group_id) == (1, 0, 1692725773860)
    assert rose.streaking  # TikTokLive's own view: the streak is still going


def test_the_first_frame_alone_values_nothing_until_its_streak_ends(pm, rose):
    feed = TikTokLiveFeed()
    assert feed.feed(rose) == []
    (gift,) = feed.flush()  # the disconnect: the streak never ended, it counts at its highest count
    assert (gift.gift, gift.count, gift.amount, gift.viewer) == ("Rose", 1, Money(1, "coins"), "malowana_")
    assert gift.ts == dt.datetime(2023, 8, 22, 17, 36, 13, 880000, tzinfo=dt.UTC)  # create_time 1692725773880 ms
    assert (gift.id, gift.stream, gift.recipient, gift.host) == (
        "7270201542891817761",
        "7270193599273683745",
        ANCHOR,
        ANCHOR,
    )
    result = lm.value_event(gift, lm.context(pm=pm), pm=pm)
    # 1 coin: the viewer paid 0.99/70 = 0.0141428571; the creator 0.005, exact; App store 0.0042428571
    assert (result.gross, result.net) == (Money("0.0141428571", "USD"), Money("0.005", "USD"))
    assert result.share("App store") == Money("0.0042428571", "USD")
    # shown: 0.01 paid; net 0.005 → 0.00 (half-even)
    assert (result.shown().gross, result.shown().net) == (Money("0.01", "USD"), Money("0.00", "USD"))


def test_its_end_frame_values_5_roses_at_once(pm, rose):
    end = copy.deepcopy(rose)
    end.repeat_end, end.repeat_count = 1, 5
    feed = TikTokLiveFeed()
    (gift,) = feed.feed(end)
    assert gift.count == 5 and feed.flush() == []
    result = lm.value_event(gift, lm.context(pm=pm), pm=pm)
    # gross 5 × 0.99/70 = 0.0707142857; App store 0.0212142857; creator 5 × 0.005 = 0.025; TikTok
    # 0.0707142857 − 0.0212142857 − 0.025 = 0.0245
    assert result.gross == Money("0.0707142857", "USD")
    assert [(share.party, share.amount.amount) for share in result.shares] == [
        ("App store", Decimal("0.0212142857")),
        ("TikTok", Decimal("0.0245")),
    ]
    assert result.net == Money("0.025", "USD")
    # shown: net 0.025 → 0.02 (half-even); 0.0462142857 → 0.05, App store 0.03; gross 0.07, TikTok 0.02
    shown = result.shown()
    assert (shown.gross, shown.net) == (Money("0.07", "USD"), Money("0.02", "USD"))
    assert [share.amount.amount for share in shown.shares] == [Decimal("0.03"), Decimal("0.02")]


def test_the_streak_counts_once_with_its_first_frame_replayed(rose):
    end = copy.deepcopy(rose)
    end.repeat_end, end.repeat_count = 1, 5
    end.common.msg_id += 1
    feed = TikTokLiveFeed()
    found = feed.feed(rose) + feed.feed(rose) + feed.feed(end) + feed.feed(end) + feed.flush()
    assert [gift.count for gift in found if isinstance(gift, Gift)] == [5]
    # each event fed comes out once: the replays as repeats, the first frame superseded by the end frame
    assert sorted((item.line, item.kind, item.why) for item in found if isinstance(item, Skipped)) == [
        (1, "gift streak frame", "no money"),
        (2, "WebcastGiftMessage", "repeat"),
        (4, "WebcastGiftMessage", "repeat"),
    ]


def test_a_gift_to_a_guest_carries_its_recipient_and_the_host(pm, rose):
    guest = copy.deepcopy(rose)
    guest.repeat_end, guest.to_member_id = 1, "7300000000000000002"
    (gift,) = TikTokLiveFeed().feed(guest)
    assert (gift.count, gift.recipient, gift.host) == (1, "7300000000000000002", ANCHOR)  # monitor_info.anchor_id
    assert to_guest(gift)
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm)
    tally.add(gift)
    report = tally.report()
    assert report.exact.net == Money("0", "USD") and report.exact_total(to_guests=True).net == Money("0.005", "USD")
    to_host = copy.deepcopy(rose)
    to_host.repeat_end = 1
    (gift,) = TikTokLiveFeed().feed(to_host)
    assert gift.recipient == gift.host == ANCHOR and not to_guest(gift)  # monitor_info names the host


def test_likes_and_subscriptions_from_tiktoklives_classes():
    feed = TikTokLiveFeed()
    (like,) = feed.feed(events.LikeEvent(count=15, total=1215))
    assert isinstance(like, Like) and like.count == 15
    (sub,) = feed.feed(events.SubNotifyEvent(sub_month=1))
    assert isinstance(sub, Donation) and sub.feature == "subscription"
    (comment,) = feed.feed(events.CommentEvent(comment="hi"))
    assert (comment.line, comment.kind, comment.why) == (3, "WebcastChatMessage", "no money")
    assert to_record(events.CommentEvent(comment="hi"))["common"]["method"] == "WebcastChatMessage"
    (envelope,) = feed.feed(events.EnvelopeEvent())
    assert (envelope.kind, envelope.why) == ("WebcastEnvelopeMessage", "not read")
    (connect,) = feed.feed(events.ConnectEvent(unique_id="creator", room_id=1))
    assert (connect.kind, connect.why) == ("ConnectEvent", "no money")


def test_super_fan_events_by_their_text_key():
    from TikTokLiveProto.v3.webcast.model.message.common import Text

    feed = TikTokLiveFeed()
    became = events.SuperFanEvent(content=Text(key="ttlive_superFan_commentNotif_someoneBecameSuperFan"))
    (sign_up,) = feed.feed(became)
    assert isinstance(sign_up, Donation) and sign_up.feature == "subscription"
    joined = events.SuperFanJoinEvent(common_barrage_content=Text(key="ttlive_superFan_commentNotif_superFanJoined"))
    (join,) = feed.feed(joined)
    assert (join.kind, join.why) == ("superFanJoin", "no money")


def test_a_plain_proto_message_is_read_by_gift_type_not_streakable():
    # TikTokLive 7.0.1 pitfall: after a plain WebcastGiftMessage().parse(), GiftEvents may carry a plain
    # Gift without `streakable`; the adapter reads gift.type == 1 and works on the plain message too.
    from TikTokLive.proto import WebcastGiftMessage

    plain = WebcastGiftMessage().parse(base64.b64decode(CAPTURE.read_bytes()))
    assert not hasattr(plain.gift, "streakable")
    feed = TikTokLiveFeed()
    assert feed.feed(plain) == []
    assert [(gift.gift, gift.count) for gift in feed.flush()] == [("Rose", 1)]
