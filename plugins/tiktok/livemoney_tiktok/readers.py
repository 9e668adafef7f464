"""The TikTok readers: JSON logged from TikTokLive (Python), and from TikTok-Live-Connector or TikFinity.

- ``tiktoklive``: what TikTokLive users write: the plain proto ``to_dict()`` of version 7 (camelCase),
  the snake_case dicts of versions 5 and 6, or the records of its web-ui example (also as the raw
  ``data: {...}`` lines of its Server-Sent Events stream).
- ``tiktok-live-connector``: TikTok-Live-Connector's event data (1.x flattened, 2.x protobuf-shaped) and
  TikFinity's, bare or in ``{"event": NAME, "data": {...}}`` envelopes.

Both read JSON Lines, a JSON array or one document, and share `streaks.WebcastDecoder`: a gift streak
counts once, at its end (or after 60 seconds of silence, or at the end of the log); replayed messages
count once; gifts to a guest carry ``Gift.recipient``. Build a reader told the host's user id with
``tiktoklive_reader(host=...)`` to keep gifts to guests apart.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from livemoney import Event, Reader, Rejected
from livemoney.models import Decoder
from livemoney.records import get, iter_records, loads

from livemoney_tiktok.streaks import STREAK_TIMEOUT, WebcastDecoder
from livemoney_tiktok.webcast import KEY, is_web_ui

SSE_FIELDS = ("event", "id", "retry")
CONNECTOR_EVENTS = frozenset(
    {
        "gift",
        "like",
        "subscribe",
        "chat",
        "member",
        "social",
        "follow",
        "share",
        "roomUser",
        "emote",
        "envelope",
        "questionNew",
        "linkMicBattle",
        "linkMicArmies",
        "liveIntro",
        "streamEnd",
        "connected",
        "disconnected",
        "superFan",
        "superFanJoin",
        "superFanBox",
        "barrage",
        "goalUpdate",
    }
)
CONNECTOR_KEYS = ("uniqueId", "userId", "msgId", "createTime", "likeCount", "giftDetails", "receiverUserId")
_JSON = json.JSONDecoder(parse_float=Decimal)


# --- which tool wrote a record ------------------------------------------------------------------


def is_connector(record: Any) -> bool:
    """A record of TikTok-Live-Connector or TikFinity: an envelope, or camelCase fields of their own."""
    if not isinstance(record, dict):
        return False
    if isinstance(record.get("event"), str) and isinstance(record.get("data"), dict):
        return record["event"] in CONNECTOR_EVENTS
    if any(key in record for key in CONNECTOR_KEYS):
        return True
    user = record.get("user")
    return isinstance(user, dict) and any(key in user for key in ("uniqueId", "userId"))


def is_tiktoklive(record: Any) -> bool:
    """A record of TikTokLive: a proto dict (``common.method``), a v5/v6 snake_case dict, or web-ui."""
    if not isinstance(record, dict) or is_connector(record):
        return False
    if is_web_ui(record):
        return True
    method = get(record, "common.method")
    if isinstance(method, str) and method.startswith("Webcast"):
        return True
    if any(key in record for key in ("gift_id", "repeat_count", "msg_id")):
        return True
    return isinstance(get(record, "gift.info"), dict) or "total_likes" in record


# --- files --------------------------------------------------------------------------------------


def _is_sse(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"data:", b":", b"event:", b"id:"))


def first_record(head: bytes) -> Any:
    """The first record of a file's head: a JSON array's first item, the first JSON line or document,
    or the first ``data:`` line of a Server-Sent Events capture (``None`` when the head shows none)."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("["):
        text = text[1:].lstrip()
    elif not text.startswith("{"):
        found = re.search(r"^data:(.*)$", text, re.MULTILINE) if _is_sse(head) else None
        if found is None:
            return None
        text = found.group(1).strip()
    try:
        return _JSON.raw_decode(text)[0]
    except ValueError:
        return None


def records(stream: BinaryIO, source: str) -> Iterator[tuple[int, Any] | Rejected]:
    """``(line, record)`` of a JSON file, or of the ``data:`` lines of a Server-Sent Events capture."""
    data = stream.read()
    if not _is_sse(data[:64]):
        yield from iter_records(io.BytesIO(data), source)
        return
    for number, line in enumerate(data.decode("utf-8-sig", errors="replace").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith(":"):
            continue
        field, _, value = text.partition(":")
        if field in SSE_FIELDS:
            continue
        if field != "data":
            yield Rejected(source, number, "(line)", "not a Server-Sent Events line (data: {...})", line)
            continue
        try:
            yield number, loads(value.strip())
        except ValueError as error:
            yield Rejected(source, number, "data", f"not valid JSON: {error}", line)


def _read(make_decoder: Callable[[str], Decoder]) -> Callable[[BinaryIO, str], Iterator[Event | Rejected]]:
    """A reader's ``read``: every record to a fresh decoder, then what is pending at the end of the log."""

    def read(stream: BinaryIO, source: str) -> Iterator[Event | Rejected]:
        decoder = make_decoder(source)
        for item in records(stream, source):
            if isinstance(item, Rejected):
                yield item
            else:
                yield from decoder.feed(item[1], item[0])
        yield from decoder.flush(None)

    return read


# --- the readers --------------------------------------------------------------------------------


def tiktoklive_reader(host: str | None = None, timeout: dt.timedelta = STREAK_TIMEOUT) -> Reader:
    """The ``tiktoklive`` reader; ``host`` (the host's user id) keeps gifts to guests out of its events,
    ``timeout`` is how long a streak may be quiet before it counts without its end frame."""
    make_decoder = functools.partial(WebcastDecoder, host=host, timeout=timeout)
    return Reader(
        name="tiktoklive",
        platform=KEY,
        description="JSON logged from TikTokLive (Python): v7 proto to_dict(), v5/v6 snake_case, web-ui "
        "example records: gifts (each streak once), likes, subscriptions",
        sniff=lambda head: is_tiktoklive(first_record(head)),
        read=_read(make_decoder),
        decoder=make_decoder,
        accepts=is_tiktoklive,
    )


def connector_reader(host: str | None = None, timeout: dt.timedelta = STREAK_TIMEOUT) -> Reader:
    """The ``tiktok-live-connector`` reader; ``host`` and ``timeout`` as for `tiktoklive_reader`."""
    make_decoder = functools.partial(WebcastDecoder, host=host, timeout=timeout)
    return Reader(
        name="tiktok-live-connector",
        platform=KEY,
        description="JSON logged from TikTok-Live-Connector (Node) or TikFinity, bare or in {event, data} "
        "envelopes: gifts (each streak once), likes, subscriptions",
        sniff=lambda head: is_connector(first_record(head)),
        read=_read(make_decoder),
        decoder=make_decoder,
        accepts=is_connector,
    )


READERS = (tiktoklive_reader(), connector_reader())

READER_SAMPLES = {
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
"""The first bytes of a file of each format, for livemoney's plugin checks."""
