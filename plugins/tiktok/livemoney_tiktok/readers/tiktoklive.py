"""The ``tiktoklive`` reader: what TikTokLive (Python) users write: the plain proto ``to_dict()`` of version 7
(camelCase), the dicts of versions 5 and 6 (snake_case, and 6's ``baseMessage``/``mGift``/
``giftMonitorInfo``), or the records of its web-ui example (also as the raw ``data: {...}`` lines of its
Server-Sent Events stream).

It reads JSON Lines, a JSON array or one document, with the decoder it shares with
``tiktok-live-connector`` (`streaks.WebcastDecoder`): each gift streak counts once; every record comes out
once, as an event, a `Skipped` record or a `Rejected` one.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from livemoney.kit import Reader, decoder_reader, first_record, get

from livemoney_tiktok.readers.connector import is_connector
from livemoney_tiktok.readers.streaks import STREAK_TIMEOUT, WebcastDecoder
from livemoney_tiktok.readers.webcast import is_web_ui, method_of
from livemoney_tiktok.rules import KEY

TIKTOKLIVE_KEYS = ("gift_id", "repeat_count", "msg_id", "mGift", "m_gift", "fromUser", "giftMonitorInfo")
SAMPLE = (
    b'{"common": {"method": "WebcastGiftMessage", "msgId": "7270201542891819001", '
    b'"roomId": "7270193599273683745", "createTime": "1692725790120"}, "giftId": "5828", '
    b'"repeatCount": 1, "groupId": "1692725790100", "user": {"id": "6809568862012081157", '
    b'"displayId": "viewer_one"}, "gift": {"id": "5828", "name": "Galaxy", "type": 2, '
    b'"diamondCount": 1000}}\n'
)
"""The first bytes of a real file of this format: the reader's ``samples`` (livemoney's plugin checks read them)."""


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


def tiktoklive_reader(timeout: dt.timedelta = STREAK_TIMEOUT) -> Reader:
    """The ``tiktoklive`` reader; ``timeout`` is how long a streak may be quiet before it counts without
    its end frame."""
    return decoder_reader(
        name="tiktoklive",
        platform=KEY,
        description="JSON logged from TikTokLive (Python): v7 proto to_dict(), v6 and v5 dicts, web-ui "
        "example records: gifts (each streak once), likes, subscriptions, new Super Fans",
        sniff=lambda head: is_tiktoklive(first_record(head)),
        decoder=functools.partial(WebcastDecoder, timeout=timeout),
        accepts=is_tiktoklive,
        samples=[SAMPLE],
    )


READER = tiktoklive_reader()
