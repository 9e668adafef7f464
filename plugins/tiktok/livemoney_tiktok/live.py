"""TikTokLive's own event objects as livemoney events (``pip install livemoney-tiktok[live]``, TikTokLive 7.0.1).

    from TikTokLive import TikTokLiveClient
    from TikTokLive.events import GiftEvent, LikeEvent, SubNotifyEvent, SuperFanEvent
    from livemoney_tiktok.live import TikTokLiveFeed

    client = TikTokLiveClient(unique_id="@creator")
    feed = TikTokLiveFeed()

    @client.on(GiftEvent)
    async def on_gift(event: GiftEvent):
        for item in feed.feed(event):            # a Gift once its streak ends, a Skipped, or a Rejected
            ...

Call ``feed.flush(now)`` now and then for streaks whose end frame never came, and ``feed.flush()`` when
the client disconnects; keep one feed across reconnects, so that replayed messages count once. Every
event fed comes out once, as an event, a `livemoney.kit.Skipped` (a superseded streak frame, a
message without money, a kind not read, a replay) or a `livemoney.Rejected`. A gift carries its
recipient and the host as the message names them (``to_member_id``, ``monitor_info``); give
`livemoney.LiveTally` the host (``host=``) to keep gifts to guests apart when messages do not name it.

Only attributes are read, so TikTokLive is not imported here. Two pitfalls of 7.0.1 are avoided:
``GiftEvent.to_dict()`` raises ``NameError`` (the record is built from attributes instead), and a
``GiftEvent`` may come with a plain ``Gift`` that has no ``streakable`` (``gift.type == 1`` is read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from livemoney import Event, Rejected
from livemoney.kit import NO_MONEY, NOT_READ, Skipped

from livemoney_tiktok.readers.streaks import STREAK_TIMEOUT, WebcastDecoder

CLIENT_EVENTS = frozenset({"ConnectEvent", "DisconnectEvent"})
"""TikTokLive's own events that are no webcast message and carry no money."""


def _message(event: Any) -> str | None:
    """The webcast message an event object is (``WebcastGiftMessage`` ...), from its classes."""
    for cls in type(event).__mro__:
        if cls.__name__.startswith("Webcast"):
            return cls.__name__
    return None


def _id(value: Any) -> str | None:
    """A 64-bit id as a string, as TikTokLive 7's ``to_dict()`` writes it (0, the proto default: none)."""
    return None if value in (None, 0, "", "0") else str(value)


def _common(event: Any, method: str) -> dict[str, Any]:
    common = getattr(event, "common", None)
    message_id = getattr(common, "msg_id", None) or getattr(common, "message_id", None)
    return {
        "method": method,
        "msg_id": _id(message_id),
        "create_time": getattr(common, "create_time", None),
        "room_id": _id(getattr(common, "room_id", None)),
    }


def _user(user: Any) -> dict[str, Any]:
    if user is None:
        return {}
    return {
        "id": _id(getattr(user, "id", None)),
        "display_id": getattr(user, "unique_id", None) or getattr(user, "display_id", None),
        "nickname": getattr(user, "nickname", None),
    }


def _key(text: Any) -> str | None:
    return getattr(text, "key", None) or getattr(text, "display_type", None)


def to_record(event: Any) -> dict[str, Any] | None:
    """A TikTokLive event as the snake_case dict the ``tiktoklive`` reader reads: a gift, like,
    subscription or barrage with its fields, any other webcast message by its name (``None`` for an
    event that is no webcast message, such as ``ConnectEvent``)."""
    method = _message(event)
    if method is None:
        return None
    record = {"common": _common(event, method), "user": _user(getattr(event, "user", None))}
    if method == "WebcastLikeMessage":
        return {**record, "count": getattr(event, "count", 0), "total": getattr(event, "total", 0)}
    if method == "WebcastSubNotifyMessage":
        return {**record, "sub_month": getattr(event, "sub_month", None)}
    if method == "WebcastBarrageMessage":
        content, common = getattr(event, "content", None), getattr(event, "common_barrage_content", None)
        return {**record, "content": {"key": _key(content)}, "common_barrage_content": {"key": _key(common)}}
    if method != "WebcastGiftMessage":
        return record
    gift = getattr(event, "gift", None)
    to_user = getattr(event, "to_user", None)
    monitor = getattr(event, "monitor_info", None)
    return {
        **record,
        "gift_id": _id(getattr(event, "gift_id", None)),
        "repeat_count": getattr(event, "repeat_count", None),
        "repeat_end": getattr(event, "repeat_end", None),
        "group_id": _id(getattr(event, "group_id", None)),
        "to_member_id": _id(getattr(event, "to_member_id", None)),
        "to_user": {"id": _id(getattr(to_user, "id", None))},
        "monitor_info": {
            "anchor_id": _id(getattr(monitor, "anchor_id", None)),
            "to_user_id": _id(getattr(monitor, "to_user_id", None)),
        },
        "gift": {
            "id": _id(getattr(gift, "id", None)),
            "name": getattr(gift, "name", None),
            "type": getattr(gift, "type", None),
            "diamond_count": getattr(gift, "diamond_count", None),
        },
    }


class TikTokLiveFeed:
    """Feeds TikTokLive event objects to the ``tiktoklive`` reader's decoder, one at a time.

    :param timeout: how long a streak may be quiet before it counts without its end frame.
    """

    def __init__(self, source: str = "tiktoklive", timeout: dt.timedelta = STREAK_TIMEOUT):
        self.source = source
        self._decoder = WebcastDecoder(source, timeout=timeout)
        self._count = 0

    def feed(self, event: Any) -> list[Event | Skipped | Rejected]:
        """What ``event`` completes (a gift at the end of its streak, a like, a subscription) and what it
        is when it is no event (a superseded frame, a message without money, a kind not read)."""
        self._count += 1
        record = to_record(event)
        if record is None:
            name = type(event).__name__
            return [Skipped(self.source, self._count, name, NO_MONEY if name in CLIENT_EVENTS else NOT_READ)]
        return self._decoder.feed(record, self._count)

    def flush(self, now: dt.datetime | None = None) -> list[Event | Skipped]:
        """Streaks whose end frame has not come: all (a disconnect), or those quiet long enough by ``now``."""
        return self._decoder.flush(now)
