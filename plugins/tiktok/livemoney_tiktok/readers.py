"""The TikTok readers: JSON logged from TikTokLive (Python), and from TikTok-Live-Connector or TikFinity.

- ``tiktoklive``: what TikTokLive users write: the plain proto ``to_dict()`` of version 7 (camelCase),
  the dicts of versions 5 and 6 (snake_case, and 6's ``baseMessage``/``mGift``/``giftMonitorInfo``), or
  the records of its web-ui example (also as the raw ``data: {...}`` lines of its Server-Sent Events
  stream).
- ``tiktok-live-connector``: TikTok-Live-Connector's event data (0.9 with its nested snake_case ``gift``,
  1.x flattened, 2.x protobuf-shaped) and TikFinity's, bare or in ``{"event": NAME, "data": {...}}``
  envelopes.

Both read JSON Lines, a JSON array or one document, and share `streaks.WebcastDecoder`: a gift streak
counts once, at its end (or after 60 seconds of silence, or at the end of the log); every record comes
out once, as an event, a `livemoney.core.models.Skipped` (a superseded streak frame, a message without money,
a kind not read, a replay) or a `livemoney.Rejected`; gifts carry ``Gift.recipient`` and ``Gift.host``
where the record names them, and livemoney keeps gifts to guests apart (``--host`` when the records do
not name the host).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from livemoney import Reader
from livemoney.kit import first_record, get, read_with_decoder

from livemoney_tiktok.streaks import STREAK_TIMEOUT, WebcastDecoder
from livemoney_tiktok.webcast import KEY, is_web_ui, known_event, method_of

CONNECTOR_KEYS = ("uniqueId", "userId", "msgId", "createTime", "likeCount", "giftDetails", "receiverUserId")
TIKTOKLIVE_KEYS = ("gift_id", "repeat_count", "msg_id", "mGift", "m_gift", "fromUser", "giftMonitorInfo")


# --- which tool wrote a record ------------------------------------------------------------------


def is_connector(record: Any) -> bool:
    """A record of TikTok-Live-Connector or TikFinity: an envelope, or camelCase fields of their own."""
    if not isinstance(record, dict):
        return False
    if isinstance(record.get("event"), str) and isinstance(record.get("data"), dict):
        return known_event(record["event"]) or _tiktok_data(record["data"])
    if any(key in record for key in CONNECTOR_KEYS):
        return True
    user = record.get("user")
    return isinstance(user, dict) and any(key in user for key in ("uniqueId", "userId"))


def is_tiktoklive(record: Any) -> bool:
    """A record of TikTokLive: a proto dict (``common.method``, ``baseMessage.method``), a v5/v6 dict, or
    web-ui."""
    if not isinstance(record, dict) or is_connector(record):
        return False
    if is_web_ui(record):
        return True
    method = method_of(record)
    if method is not None and method.startswith("Webcast"):
        return True
    if any(key in record for key in TIKTOKLIVE_KEYS):
        return True
    return isinstance(get(record, "gift.info"), dict) or "total_likes" in record


def _tiktok_data(data: dict) -> bool:
    """An envelope's data from TikTok LIVE, whatever the event's name (one this version may not know)."""
    method = method_of(data)
    if method is not None and method.startswith("Webcast"):
        return True
    return any(key in data for key in CONNECTOR_KEYS) or isinstance(data.get("user"), dict)


# --- the readers --------------------------------------------------------------------------------

SAMPLES = {
    "tiktoklive": (
        b'{"common": {"method": "WebcastGiftMessage", "msgId": "7270201542891819001", '
        b'"roomId": "7270193599273683745", "createTime": "1692725790120"}, "giftId": "5828", '
        b'"repeatCount": 1, "groupId": "1692725790100", "user": {"id": "6809568862012081157", '
        b'"displayId": "viewer_one"}, "gift": {"id": "5828", "name": "Galaxy", "type": 2, '
        b'"diamondCount": 1000}}\n'
    ),
    "tiktok-live-connector": (
        b'{"giftId": 5953, "repeatCount": 1, "repeatEnd": true, "groupId": "1661887131074", '
        b'"userId": "6813181309701719620", "uniqueId": "zerodytester", "msgId": "7137749190944230150", '
        b'"createTime": "1661887134397", "giftType": 1, "diamondCount": 25, "giftName": "Nevalyashka doll", '
        b'"receiverUserId": "7087613897129493510"}\n'
    ),
}
"""The first bytes of a real file of each format: each reader's ``samples`` (livemoney's plugin checks read them)."""


def tiktoklive_reader(timeout: dt.timedelta = STREAK_TIMEOUT) -> Reader:
    """The ``tiktoklive`` reader; ``timeout`` is how long a streak may be quiet before it counts without
    its end frame."""
    make_decoder = functools.partial(WebcastDecoder, timeout=timeout)
    return Reader(
        name="tiktoklive",
        platform=KEY,
        description="JSON logged from TikTokLive (Python): v7 proto to_dict(), v6 and v5 dicts, web-ui "
        "example records: gifts (each streak once), likes, subscriptions, new Super Fans",
        sniff=lambda head: is_tiktoklive(first_record(head)),
        read=read_with_decoder(make_decoder),
        decoder=make_decoder,
        accepts=is_tiktoklive,
        samples=[SAMPLES["tiktoklive"]],
    )


def connector_reader(timeout: dt.timedelta = STREAK_TIMEOUT) -> Reader:
    """The ``tiktok-live-connector`` reader; ``timeout`` as for `tiktoklive_reader`."""
    make_decoder = functools.partial(WebcastDecoder, timeout=timeout)
    return Reader(
        name="tiktok-live-connector",
        platform=KEY,
        description="JSON logged from TikTok-Live-Connector (Node, 0.9 to 2.x) or TikFinity, bare or in "
        "{event, data} envelopes: gifts (each streak once), likes, subscriptions, new Super Fans",
        sniff=lambda head: is_connector(first_record(head)),
        read=read_with_decoder(make_decoder),
        decoder=make_decoder,
        accepts=is_connector,
        samples=[SAMPLES["tiktok-live-connector"]],
    )


READERS = (tiktoklive_reader(), connector_reader())
