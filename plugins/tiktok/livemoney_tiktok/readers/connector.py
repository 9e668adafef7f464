"""The ``tiktok-live-connector`` reader: JSON logged from TikTok-Live-Connector (Node, 0.9 with its nested
snake_case ``gift``, 1.x flattened, 2.x protobuf-shaped) and TikFinity's, bare or in
``{"event": NAME, "data": {...}}`` envelopes.

It reads JSON Lines, a JSON array or one document, with the decoder it shares with ``tiktoklive``
(`streaks.WebcastDecoder`): a gift streak counts once, at its end (or after 60 seconds of silence, or at
the end of the log); every record comes out once, as an event, a `Skipped` record (a superseded streak
frame, a message without money, a kind not read, a replay) or a `Rejected` one; gifts carry
``Gift.recipient`` and ``Gift.host`` where the record names them, and livemoney keeps gifts to guests
apart (``--host`` when the records do not name the host).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from livemoney.kit import Reader, decoder_reader, first_record

from livemoney_tiktok.readers.streaks import STREAK_TIMEOUT, WebcastDecoder
from livemoney_tiktok.readers.webcast import known_event, method_of
from livemoney_tiktok.rules import KEY

CONNECTOR_KEYS = ("uniqueId", "userId", "msgId", "createTime", "likeCount", "giftDetails", "receiverUserId")
SAMPLE = (
    b'{"giftId": 5953, "repeatCount": 1, "repeatEnd": true, "groupId": "1661887131074", '
    b'"userId": "6813181309701719620", "uniqueId": "zerodytester", "msgId": "7137749190944230150", '
    b'"createTime": "1661887134397", "giftType": 1, "diamondCount": 25, "giftName": "Nevalyashka doll", '
    b'"receiverUserId": "7087613897129493510"}\n'
)
"""The first bytes of a real file of this format: the reader's ``samples`` (livemoney's plugin checks read them)."""


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


def _tiktok_data(data: dict) -> bool:
    """An envelope's data from TikTok LIVE, whatever the event's name (one this version may not know)."""
    method = method_of(data)
    if method is not None and method.startswith("Webcast"):
        return True
    return any(key in data for key in CONNECTOR_KEYS) or isinstance(data.get("user"), dict)


def connector_reader(timeout: dt.timedelta = STREAK_TIMEOUT) -> Reader:
    """The ``tiktok-live-connector`` reader; ``timeout`` is how long a streak may be quiet before it counts
    without its end frame."""
    return decoder_reader(
        name="tiktok-live-connector",
        platform=KEY,
        description="JSON logged from TikTok-Live-Connector (Node, 0.9 to 2.x) or TikFinity, bare or in "
        "{event, data} envelopes: gifts (each streak once), likes, subscriptions, new Super Fans",
        sniff=lambda head: is_connector(first_record(head)),
        decoder=functools.partial(WebcastDecoder, timeout=timeout),
        accepts=is_connector,
        samples=[SAMPLE],
    )


READER = connector_reader()
