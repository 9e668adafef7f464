"""TikTokLive's own event objects as livemoney events (``pip install livemoney-tiktok[live]``, TikTokLive 7.0.1).

    from TikTokLive import TikTokLiveClient
    from TikTokLive.events import GiftEvent, LikeEvent, SubNotifyEvent
    from livemoney_tiktok.live import TikTokLiveFeed

    client = TikTokLiveClient(unique_id="@creator")
    feed = TikTokLiveFeed()

    @client.on(GiftEvent)
    async def on_gift(event: GiftEvent):
        for item in feed.feed(event):            # a Gift once its streak ends, or a Rejected
            ...

Call ``feed.flush(now)`` now and then for streaks whose end frame never came, and ``feed.flush()`` when
the client disconnects; keep one feed across reconnects, so that replayed messages count once.

Only attributes are read, so TikTokLive is not imported here. Two pitfalls of 7.0.1 are avoided:
``GiftEvent.to_dict()`` raises ``NameError`` (the record is built from attributes instead), and a
``GiftEvent`` may come with a plain ``Gift`` that has no ``streakable`` (``gift.type == 1`` is read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from livemoney import Event, Gift, Rejected

from livemoney_tiktok.streaks import STREAK_TIMEOUT, WebcastDecoder
from livemoney_tiktok.webcast import METHODS


def _message(event: Any) -> str | None:
    """The webcast message an event object is (``WebcastGiftMessage`` ...), from its classes."""
    for cls in type(event).__mro__:
        if cls.__name__ in METHODS:
            return cls.__name__
    return None


def _common(event: Any, method: str) -> dict[str, Any]:
    common = getattr(event, "common", None)
    message_id = getattr(common, "msg_id", None) or getattr(common, "message_id", None)
    return {
        "method": method,
        "msg_id": message_id,
        "create_time": getattr(common, "create_time", None),
        "room_id": getattr(common, "room_id", None),
    }


def _user(user: Any) -> dict[str, Any]:
    if user is None:
        return {}
    return {
        "id": getattr(user, "id", None),
        "display_id": getattr(user, "unique_id", None) or getattr(user, "display_id", None),
        "nickname": getattr(user, "nickname", None),
    }


def to_record(event: Any) -> dict[str, Any] | None:
    """A TikTokLive ``GiftEvent``, ``LikeEvent`` or ``SubNotifyEvent`` as the snake_case dict the
    ``tiktoklive`` reader reads (``None`` for any other event: it carries no money)."""
    method = _message(event)
    if method is None:
        return None
    record = {"common": _common(event, method), "user": _user(getattr(event, "user", None))}
    if method == "WebcastLikeMessage":
        return {**record, "count": getattr(event, "count", 0), "total": getattr(event, "total", 0)}
    if method == "WebcastSubNotifyMessage":
        return {**record, "sub_month": getattr(event, "sub_month", None)}
    gift = getattr(event, "gift", None)
    to_user = getattr(event, "to_user", None)
    return {
        **record,
        "gift_id": getattr(event, "gift_id", None),
        "repeat_count": getattr(event, "repeat_count", None),
        "repeat_end": getattr(event, "repeat_end", None),
        "group_id": getattr(event, "group_id", None),
        "to_member_id": getattr(event, "to_member_id", None),
        "to_user": {"id": getattr(to_user, "id", None)},
        "monitor_info": {"to_user_id": getattr(getattr(event, "monitor_info", None), "to_user_id", None)},
        "gift": {
            "id": getattr(gift, "id", None),
            "name": getattr(gift, "name", None),
            "type": getattr(gift, "type", None),
            "diamond_count": getattr(gift, "diamond_count", None),
        },
    }


class TikTokLiveFeed:
    """Feeds TikTokLive event objects to the ``tiktoklive`` reader's decoder, one at a time.

    :param host: the host's user id: gifts to a guest then go to ``to_guests``, not out.
    :param timeout: how long a streak may be quiet before it counts without its end frame.
    """

    def __init__(self, source: str = "tiktoklive", host: str | None = None, timeout: dt.timedelta = STREAK_TIMEOUT):
        self._decoder = WebcastDecoder(source, host=host, timeout=timeout)
        self._count = 0

    def feed(self, event: Any) -> list[Event | Rejected]:
        """What ``event`` completes: a gift at the end of its streak, a like, a subscription, or nothing."""
        self._count += 1
        record = to_record(event)
        return [] if record is None else self._decoder.feed(record, self._count)

    def flush(self, now: dt.datetime | None = None) -> list[Gift]:
        """Streaks whose end frame has not come: all (a disconnect), or those quiet long enough by ``now``."""
        return self._decoder.flush(now)

    @property
    def to_guests(self) -> list[Gift]:
        """Gifts to someone other than ``host``, kept apart."""
        return self._decoder.to_guests
