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
from livemoney import Donation, Like, Money
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
    assert (gift.id, gift.stream, gift.recipient) == ("7270201542891817761", "7270193599273683745", ANCHOR)
    result = lm.value_event(gift, lm.context(pm=pm), pm=pm)
    # 1 coin: 0.99/70 = 0.01414 → 0.01 paid; creator 0.005 → 0.00 (half-even); App store 0.0042 → 0.00
    assert (result.gross, result.net) == (Money("0.01", "USD"), Money("0.00", "USD"))


def test_its_end_frame_values_5_roses_at_once(pm, rose):
    end = copy.deepcopy(rose)
    end.repeat_end, end.repeat_count = 1, 5
    feed = TikTokLiveFeed()
    (gift,) = feed.feed(end)
    assert gift.count == 5 and feed.flush() == []
    result = lm.value_event(gift, lm.context(pm=pm), pm=pm)
    # gross 5 × 0.99/70 = 0.0707… → 0.07; App store 0.0212… → 0.02; creator 5 × 0.005 = 0.025 → 0.02
    # (half-even); TikTok 0.07 − 0.02 − 0.02 = 0.03
    assert result.gross == Money("0.07", "USD")
    assert [(share.party, share.amount.amount) for share in result.shares] == [
        ("App store", Decimal("0.02")),
        ("TikTok", Decimal("0.03")),
    ]
    assert result.net == Money("0.02", "USD")


def test_the_streak_counts_once_with_its_first_frame_replayed(rose):
    end = copy.deepcopy(rose)
    end.repeat_end, end.repeat_count = 1, 5
    end.common.msg_id += 1
    feed = TikTokLiveFeed()
    found = feed.feed(rose) + feed.feed(rose) + feed.feed(end) + feed.feed(end) + feed.flush()
    assert [gift.count for gift in found] == [5]


def test_a_gift_to_a_guest_is_kept_apart_when_the_host_is_known(rose):
    guest = copy.deepcopy(rose)
    guest.repeat_end, guest.to_member_id = 1, "7300000000000000002"
    feed = TikTokLiveFeed(host=ANCHOR)
    assert feed.feed(guest) == []
    assert [(gift.count, gift.recipient) for gift in feed.to_guests] == [(1, "7300000000000000002")]
    to_host = copy.deepcopy(rose)
    to_host.repeat_end = 1
    (gift,) = TikTokLiveFeed(host=ANCHOR).feed(to_host)
    assert gift.recipient == ANCHOR  # monitor_info.to_user_id names the host


def test_likes_and_subscriptions_from_tiktoklives_classes():
    feed = TikTokLiveFeed()
    (like,) = feed.feed(events.LikeEvent(count=15, total=1215))
    assert isinstance(like, Like) and like.count == 15
    (sub,) = feed.feed(events.SubNotifyEvent(sub_month=1))
    assert isinstance(sub, Donation) and sub.feature == "subscription"
    assert feed.feed(events.CommentEvent(comment="hi")) == []  # no money
    assert to_record(events.CommentEvent(comment="hi")) is None


def test_a_plain_proto_message_is_read_by_gift_type_not_streakable():
    # TikTokLive 7.0.1 pitfall: after a plain WebcastGiftMessage().parse(), GiftEvents may carry a plain
    # Gift without `streakable`; the adapter reads gift.type == 1 and works on the plain message too.
    from TikTokLive.proto import WebcastGiftMessage

    plain = WebcastGiftMessage().parse(base64.b64decode(CAPTURE.read_bytes()))
    assert not hasattr(plain.gift, "streakable")
    feed = TikTokLiveFeed()
    assert feed.feed(plain) == []
    assert [(gift.gift, gift.count) for gift in feed.flush()] == [("Rose", 1)]
