"""One raw TikTok LIVE record, whatever tool wrote it, read as what it says: a gift frame, a like, a
subscription, or a message that carries no money.

The shapes (shared event-formats.md sections 1.2 to 1.5):

- TikTokLive 7 (the plain proto ``to_dict()``): camelCase, 64-bit ints as strings, fields at their
  default left out (``repeatEnd`` absent on a first frame, ``gift.type`` absent when 0); the message
  name in ``common.method``; ``common.msgId``, ``common.createTime`` (ms).
- TikTokLive 6 (the proto in snake_case: ``gift_id``, ``repeat_end``, ``common.msg_id``,
  ``common.create_time``; later protos ``from_user`` and ``m_gift``) and TikTokLive 5
  (``event.to_dict()``: ``{"user": {...}, "gift": {"id", "count", "repeat_end", "info": {"type",
  "diamond_count", "name"}, "recipient": {"user_id"}}}``; likes ``likes``, ``total_likes``).
- TikTokLive's web-ui example: ``{"type": "gift", "ts": seconds, "user": name, "gift": name, "count": n}``,
  written after the streak ended, and ``{"type": "like", "user": ..., "count": n, "total": t}``.
- TikTok-Live-Connector and TikFinity: 1.x flattened camelCase (``giftId``, ``repeatCount``,
  ``repeatEnd`` true/false, ``giftType``, ``diamondCount``, ``giftName``, ``userId``, ``uniqueId``,
  ``msgId``, ``createTime`` a string of ms, ``receiverUserId``; likes ``likeCount``; subscriptions
  ``subMonth``), 2.x protobuf-shaped (``common.msgId``, ``user.uniqueId``, ``giftDetails.giftType``),
  either bare or in an envelope ``{"event": "gift", "data": {...}}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from livemoney import Donation, Event, Gift, Like
from livemoney.records import FieldError, get, timestamp

KEY = "tiktok"

METHODS = {"WebcastGiftMessage": "gift", "WebcastLikeMessage": "like", "WebcastSubNotifyMessage": "subscription"}
ENVELOPE_EVENTS = {"gift": "gift", "like": "like", "subscribe": "subscription"}
WEB_UI_TYPES = frozenset({"gift", "like", "comment", "connect", "disconnect", "error"})
WEB_UI_ONLY = frozenset({"comment", "connect", "disconnect", "error"})

MSG_ID = ("common.msgId", "common.msg_id", "msgId", "msg_id")
CREATE_TIME = ("common.createTime", "common.create_time", "createTime", "create_time", "timestamp")
ROOM = ("common.roomId", "common.room_id", "roomId", "room_id")
USER_ID = ("user.id", "user.userId", "user.user_id", "from_user.id", "userId", "user_id")
VIEWER = (
    "user.displayId",
    "user.display_id",
    "user.uniqueId",
    "user.unique_id",
    "from_user.display_id",
    "uniqueId",
    "unique_id",
    "user.nickname",
    "from_user.nickname",
    "nickname",
)
GIFT_ID = ("giftId", "gift_id", "gift.id", "m_gift.id", "gift.gift_id", "giftDetails.id")
GIFT_NAME = ("gift.name", "m_gift.name", "gift.info.name", "giftName", "giftDetails.giftName", "extendedGiftInfo.name")
GIFT_TYPE = (
    "gift.type",
    "m_gift.type",
    "gift.info.type",
    "giftType",
    "giftDetails.giftType",
    "gift.gift_type",
    "extendedGiftInfo.type",
)
PRICE = (
    "gift.diamondCount",
    "gift.diamond_count",
    "m_gift.diamond_count",
    "gift.info.diamond_count",
    "diamondCount",
    "giftDetails.diamondCount",
    "extendedGiftInfo.diamond_count",
)
REPEAT_COUNT = ("repeatCount", "repeat_count", "gift.count", "gift.repeat_count")
REPEAT_END = ("repeatEnd", "repeat_end", "gift.repeat_end")
GROUP = ("groupId", "group_id")
# A gift to a guest of a multi-guest LIVE names the guest; monitor info names whoever received it.
RECIPIENT = (
    "toMemberId",
    "to_member_id",
    "toUser.id",
    "to_user.id",
    "toUser.userId",
    "receiverUserId",
    "giftExtra.toUserId",
    "user_gift_reciever.user_id",
    "gift.recipient.user_id",
    "monitorInfo.toUserId",
    "monitor_info.to_user_id",
)
LIKE_COUNT = ("likeCount", "like_count", "count", "likes")


@attrs.frozen(slots=True)
class GiftFrame:
    """One gift message as sent: a streak sends one per tap with a rising ``repeat_count``.

    ``streakable`` is ``None`` when the record does not say (the gift is then held like a streak until
    its end frame or a timeout, which never counts it twice).
    """

    msg_id: str | None
    ts: dt.datetime | None
    stream: str | None
    user: str | None
    viewer: str | None
    gift_id: str | None
    name: str
    group: str | None
    repeat_count: int
    repeat_end: bool
    streakable: bool | None
    coins: int | None
    recipient: str | None


# --- fields -----------------------------------------------------------------------------------


def pick(record: Any, paths: tuple[str, ...]) -> tuple[str, Any] | None:
    """The first of ``paths`` that holds a value (not ``None``, not ``""``), with that path."""
    for path in paths:
        value = get(record, path)
        if value is not None and value != "":
            return path, value
    return None


def whole(value: Any, field: str) -> int:
    """An int from an int, an integral Decimal or a string of digits (64-bit ints come as strings)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(field, f"{value!r} is not a whole number")
    return value


def flag(value: Any, field: str) -> bool:
    """``repeatEnd``: true/false (TikTok-Live-Connector) or 0/1 (protobuf, TikTokLive)."""
    if isinstance(value, bool):
        return value
    number = whole(value, field)
    if number not in (0, 1):
        raise FieldError(field, f"{value!r} is not 0, 1, true or false")
    return number == 1


def identity(record: Any, paths: tuple[str, ...]) -> str | None:
    """An id or a name as text (``None`` when absent, empty or 0: a proto default)."""
    found = pick(record, paths)
    if found is None:
        return None
    path, value = found
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise FieldError(path, f"{value!r} is not an id or a name")
    text = str(whole(value, path)) if isinstance(value, Decimal) else str(value).strip()
    return None if text in ("", "0") else text


def moment(record: Any, paths: tuple[str, ...], unit: str) -> dt.datetime | None:
    found = pick(record, paths)
    if found is None:
        return None
    path, value = found
    if isinstance(value, (bool, dict, list)):
        raise FieldError(path, f"{value!r} is not a timestamp")
    if value in (0, "0"):
        return None
    return timestamp(value, path, unit)


# --- what a record is -------------------------------------------------------------------------


def unwrap(record: Any) -> tuple[str | None, Any]:
    """``(kind, message)``: ``gift``, ``like``, ``subscription``, ``web-ui``, or ``None`` for a message
    without money; the message is the envelope's ``data`` where there is one.

    Raises `FieldError` for a record that is no TikTok LIVE message at all.
    """
    if not isinstance(record, dict):
        raise FieldError("(record)", "not a TikTok LIVE message (a JSON object)")
    if isinstance(record.get("event"), str) and isinstance(record.get("data"), dict):
        return ENVELOPE_EVENTS.get(record["event"]), record["data"]
    if is_web_ui(record):
        return "web-ui", record
    method = get(record, "common.method") or record.get("method")
    if isinstance(method, str) and method.startswith("Webcast"):
        return METHODS.get(method), record
    if any(key in record for key in ("giftId", "gift_id")) or isinstance(get(record, "gift.info"), dict):
        return "gift", record
    if any(key in record for key in ("likeCount", "like_count", "likes")):
        return "like", record
    if any(key in record for key in ("subMonth", "sub_month")):
        return "subscription", record
    if any(key in record for key in ("common", "msgId", "uniqueId", "userId", "user")):
        return None, record
    raise FieldError("(record)", "not a TikTok LIVE message (no common.method, giftId, likeCount or user)")


def is_web_ui(record: dict) -> bool:
    """A record of TikTokLive's web-ui example (never a livemoney canonical record)."""
    kind = record.get("type")
    if not isinstance(kind, str) or kind not in WEB_UI_TYPES or "platform" in record or "viewer" in record:
        return False
    return "user" in record or kind in WEB_UI_ONLY


def parse(record: Any) -> GiftFrame | Event | None:
    """What one record says: a `GiftFrame`, a finished `Event` (like, subscription, a web-ui gift), or
    ``None`` for a message that carries no money. A malformed field raises `FieldError` naming it."""
    kind, message = unwrap(record)
    if kind == "gift":
        return _gift(message)
    if kind == "like":
        return _like(message)
    if kind == "subscription":
        return Donation(feature="subscription", **_identity(message))
    if kind == "web-ui":
        return _web_ui(message)
    return None


def _identity(message: Any) -> dict[str, Any]:
    return {
        "platform": KEY,
        "viewer": identity(message, VIEWER),
        "ts": moment(message, CREATE_TIME, "ms"),
        "stream": identity(message, ROOM),
        "id": identity(message, MSG_ID),
    }


def _gift(message: Any) -> GiftFrame:
    gift_id = identity(message, GIFT_ID)
    name = pick(message, GIFT_NAME)
    if name is not None and (not isinstance(name[1], str) or not name[1].strip()):
        raise FieldError(name[0], f"{name[1]!r} is not a gift name")
    if name is None and gift_id is None:
        raise FieldError("gift.name", "missing, and no gift id either")
    count = pick(message, REPEAT_COUNT)
    repeat_count = whole(count[1], count[0]) if count else 1
    if repeat_count < 0:
        raise FieldError(count[0], f"{repeat_count} is negative")
    end = pick(message, REPEAT_END)
    price = pick(message, PRICE)
    coins = whole(price[1], price[0]) if price else None
    if coins is not None and coins < 0:
        raise FieldError(price[0], f"{coins} is negative")
    ids = _identity(message)
    return GiftFrame(
        msg_id=ids["id"],
        ts=ids["ts"],
        stream=ids["stream"],
        user=identity(message, USER_ID),
        viewer=ids["viewer"],
        gift_id=gift_id,
        name=name[1].strip() if name else f"gift {gift_id}",
        group=identity(message, GROUP),
        repeat_count=max(repeat_count, 1),
        repeat_end=flag(end[1], end[0]) if end else False,
        streakable=_streakable(message),
        coins=coins,
        recipient=identity(message, RECIPIENT),
    )


def _streakable(message: Any) -> bool | None:
    """Type 1 gifts come in streaks. A proto dict leaves ``gift.type`` out when it is 0."""
    found = pick(message, GIFT_TYPE)
    if found is not None:
        return whole(found[1], found[0]) == 1
    struct = message.get("gift") if isinstance(message.get("gift"), dict) else message.get("m_gift")
    if isinstance(struct, dict) and any(key in struct for key in ("name", "diamondCount", "diamond_count")):
        return False
    return None


def _like(message: Any) -> Like | None:
    found = pick(message, LIKE_COUNT)
    count = whole(found[1], found[0]) if found else 0
    if count < 0:
        raise FieldError(found[0], f"{count} is negative")
    return Like(count=count, **_identity(message)) if count else None


def _web_ui(message: dict) -> Event | None:
    kind = message["type"]
    if kind not in ("gift", "like"):
        return None
    viewer = message.get("user")
    if viewer is not None and not isinstance(viewer, str):
        raise FieldError("user", f"{viewer!r} is not a name")
    when = moment(message, ("ts",), "s")
    found = pick(message, ("count",))
    count = whole(found[1], "count") if found else 1
    if kind == "like":
        if count < 0:
            raise FieldError("count", f"{count} is negative")
        return Like(platform=KEY, count=count, viewer=viewer, ts=when) if count else None
    name = message.get("gift")
    if not isinstance(name, str) or not name.strip():
        raise FieldError("gift", f"{name!r} is not a gift name")
    if count < 1:
        raise FieldError("count", f"{count} is not a count of at least 1")
    return Gift(platform=KEY, gift=name.strip(), count=count, viewer=viewer, ts=when)
