"""One raw TikTok LIVE record, whatever tool wrote it, read as what it says: a gift frame, a like, a
subscription (a LIVE subscription or a new Super Fan), a kind of message that carries no money, or a kind
this version does not read.

The shapes (shared event-formats.md sections 1.2 to 1.5):

- TikTokLive 7 (the plain proto ``to_dict()``): camelCase, 64-bit ints as strings, fields at their
  default left out (``repeatEnd`` absent on a first frame, ``gift.type`` absent when 0); the message
  name in ``common.method``; ``common.msgId``, ``common.createTime`` (ms); a multi-guest gift names the
  host and the receiver in ``monitorInfo.{anchorId,toUserId}`` and the guest in ``toMemberId``.
- TikTokLive 6 (2024-25 protos: ``baseMessage.{method,messageId,createTime}``, ``fromUser``, ``mGift``,
  ``giftMonitorInfo``, no top-level gift id; earlier ones in snake_case: ``gift_id``, ``repeat_end``,
  ``common.msg_id``, ``from_user``, ``m_gift``) and TikTokLive 5 (``event.to_dict()``: ``{"user": {...},
  "gift": {"id", "count", "repeat_end", "info": {"type", "diamond_count", "name"}, "recipient":
  {"user_id"}}}``; likes ``likes``, ``total_likes``).
- TikTokLive's web-ui example: ``{"type": "gift", "ts": seconds, "user": name, "gift": name, "count": n}``,
  written after the streak ended, and ``{"type": "like", "user": ..., "count": n, "total": t}``.
- TikTok-Live-Connector and TikFinity: 0.9.1-0.9.16 (``giftId`` and a nested snake_case ``gift`` that
  is the parsed monitor extra: ``gift_id``, ``repeat_count``, ``repeat_end``, ``gift_type``, ``anchor_id``,
  ``to_user_id``, ``msg_id``, ``room_id``, ``send_gift_send_message_success_ms``; no name, no price, no
  createTime), 0.9.17 to 1.x flattened
  camelCase (``giftId``, ``repeatCount``, ``repeatEnd`` true/false, ``giftType``, ``diamondCount``,
  ``giftName``, ``userId``, ``uniqueId``, ``msgId``, ``createTime`` a string of ms, ``receiverUserId``,
  ``monitorExtra`` parsed; likes ``likeCount``; subscriptions ``subMonth``), 2.x protobuf-shaped
  (``common.msgId``, ``user.uniqueId``, ``giftDetails.giftType``), bare or in an envelope ``{"event":
  "gift", "data": {...}}``.

The connector is JavaScript: before 0.9.17 (and in 1.x's parsed ``monitorExtra``) it read 64-bit ids as
doubles, so they are ROUNDED numbers (``7085465258067807000``). Such an id is never used as an event's
id or stream, nor compared with an exact id from elsewhere: the monitor's ``anchor_id`` and ``to_user_id``
are only compared with each other, within the record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, NamedTuple

import attrs
from livemoney import Donation, Event, Gift, Like
from livemoney.kit import MAX_AMOUNT, MAX_COUNT, NO_MONEY, NOT_READ, FieldError, get, timestamp, unchecked

from livemoney_tiktok.rules import KEY, bundled_ids

# What a kind of record means.
GIFT, LIKE, SUBSCRIPTION, BARRAGE, WEB_UI = "gift", "like", "subscription", "barrage", "web-ui"

METHODS = {
    "WebcastGiftMessage": GIFT,
    "WebcastLikeMessage": LIKE,
    "WebcastSubNotifyMessage": SUBSCRIPTION,
    "WebcastBarrageMessage": BARRAGE,
}
"""Webcast messages that may carry money (a barrage does when it announces a new Super Fan)."""
NO_MONEY_METHODS = frozenset(
    {
        "WebcastChatMessage",
        "WebcastMemberMessage",
        "WebcastSocialMessage",
        "WebcastEmoteChatMessage",
        "WebcastQuestionNewMessage",
        "WebcastLiveIntroMessage",
        "WebcastControlMessage",
        "WebcastRoomUserSeqMessage",  # viewer count and top gifters: sums of gifts already counted
        "WebcastGiftBroadcastMessage",  # a notice of a gift in another room, not a gift to this creator
        "WebcastGoalUpdateMessage",  # progress of a LIVE goal: sums of gifts already counted
        "WebcastPollMessage",
        "WebcastRoomPinMessage",
        "WebcastRoomMessage",
        "WebcastCaptionMessage",
        "WebcastImDeleteMessage",
        "WebcastInRoomBannerMessage",
        "WebcastSystemMessage",
    }
)
NO_MONEY_METHOD_PREFIXES = ("WebcastLink", "WebcastRank")
"""Multi-guest and battle state (``WebcastLinkMicBattle``, ``WebcastLinkMicArmies`` ...: points are gifts
already counted) and rankings. ``WebcastEnvelopeMessage`` (a treasure box, TikTokLive's SuperFanBox) is
deliberately in no list: no source says what the creator earns from it, so it is counted as not read."""

ENVELOPE_EVENTS = {
    "gift": GIFT,
    "like": LIKE,
    "subscribe": SUBSCRIPTION,  # 1.x, WebcastSubNotifyMessage
    "subNotify": SUBSCRIPTION,  # 3.x
    "superFan": BARRAGE,
    "superFanJoin": BARRAGE,
    "barrage": BARRAGE,
}
"""TikTok-Live-Connector events that may carry money; a barrage's text key says whether it does."""
NO_MONEY_EVENTS = frozenset(
    {
        "chat",
        "member",
        "social",
        "follow",
        "share",
        "emote",
        "questionNew",
        "liveIntro",
        "streamEnd",
        "controlMessage",
        "roomUser",
        "goalUpdate",
        "giftBroadcast",
        "hourlyRank",
        "poll",
        "pin",
        "roomPin",
        "roomMessage",
        "captionMessage",
        "imDelete",
        "inRoomBanner",
        "system",
        "connected",
        "disconnected",
        "websocketConnected",
        "error",
    }
)
NO_MONEY_EVENT_PREFIXES = ("link", "rank")
"""``linkMicBattle``, ``linkMicArmies``, ``linkLayer`` ..., ``rankUpdate`` .... ``envelope`` and
``superFanBox`` (treasure boxes) are deliberately in no list, like ``WebcastEnvelopeMessage``."""

WEB_UI_TYPES = frozenset({"gift", "like", "comment", "connect", "disconnect", "error"})
WEB_UI_ONLY = frozenset({"comment", "connect", "disconnect", "error"})

# The text keys of a WebcastBarrageMessage (TikTok-Live-Connector and TikTokLive compare them lowercased).
SUPER_FAN_KEYS = (
    "content.key",
    "commonBarrageContent.key",
    "content.displayType",
    "commonBarrageContent.displayType",
    "content.display_type",
    "common_barrage_content.key",
    "common_barrage_content.display_type",
    "displayType",
    "display_type",
)
NEW_SUPER_FAN = "ttlive_superfan_commentnotif_someonebecamesuperfan"
SUPER_FAN_JOINED = "ttlive_superfan_commentnotif_superfanjoined"
SUPER_FAN_ANY = "ttlive_superfan"
STREAK_FRAME = "gift streak frame"
"""The kind under which a gift frame that a later frame of its streak counts is skipped."""

MSG_ID = (
    "common.msgId",
    "common.msg_id",
    "common.messageId",
    "common.message_id",
    "baseMessage.messageId",
    "baseMessage.msgId",
    "base_message.message_id",
    "base_message.msg_id",
    "msgId",
    "msg_id",
    "gift.msg_id",  # connector 0.9: rounded
)
CREATE_TIME = (
    "common.createTime",
    "common.create_time",
    "baseMessage.createTime",
    "base_message.create_time",
    "createTime",
    "create_time",
    "timestamp",
    # Connector 0.9 has no createTime; its monitor's send time is the message's (in the real TikTokLiveJava
    # capture of tests/data, monitorInfo.sendGiftSendMessageSuccessMs equals common.createTime to the ms).
    "gift.send_gift_send_message_success_ms",
)
ROOM = (
    "common.roomId",
    "common.room_id",
    "baseMessage.roomId",
    "base_message.room_id",
    "roomId",
    "room_id",
    "gift.room_id",  # connector 0.9: rounded
)
USER_ID = (
    "user.id",
    "user.userId",
    "user.user_id",
    "fromUser.id",
    "from_user.id",
    "userId",
    "user_id",
    "gift.from_user_id",  # connector 0.9: rounded, only ever compared with itself (a streak's key)
)
VIEWER = (
    "user.displayId",
    "user.display_id",
    "user.uniqueId",
    "user.unique_id",
    "fromUser.displayId",
    "from_user.display_id",
    "user.username",
    "fromUser.username",
    "from_user.username",
    "uniqueId",
    "unique_id",
    "user.nickname",
    "fromUser.nickname",
    "from_user.nickname",
    "user.nickName",
    "fromUser.nickName",
    "from_user.nick_name",
    "nickname",
)
GIFT_ID = ("giftId", "gift_id", "gift.id", "mGift.id", "m_gift.id", "gift.gift_id", "giftDetails.id")
GIFT_NAME = (
    "gift.name",
    "mGift.name",
    "m_gift.name",
    "gift.info.name",
    "giftName",
    "giftDetails.giftName",
    "extendedGiftInfo.name",
)
GIFT_TYPE = (
    "gift.type",
    "mGift.type",
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
    "mGift.diamondCount",
    "m_gift.diamond_count",
    "gift.info.diamond_count",
    "diamondCount",
    "giftDetails.diamondCount",
    "extendedGiftInfo.diamond_count",
)
REPEAT_COUNT = ("repeatCount", "repeat_count", "gift.count", "gift.repeat_count")
REPEAT_END = ("repeatEnd", "repeat_end", "gift.repeat_end")
GROUP = ("groupId", "group_id")
# Who a gift was sent to: a guest of a multi-guest LIVE (or a battle opponent) is named here...
RECIPIENT = (
    "toMemberId",
    "to_member_id",
    "toMemberIdInt",
    "to_member_id_int",
    "receiverUserId",
    "toUser.id",
    "to_user.id",
    "toUser.userId",
    "userGiftReciever.userId",
    "user_gift_reciever.user_id",
    "giftExtra.toUserId",
    "gift.recipient.user_id",
)
# ... and the monitor info names the host (anchor) and whoever received the gift.
MONITORS = ("monitorInfo", "monitor_info", "giftMonitorInfo", "gift_monitor_info", "monitorExtra", "gift")
ANCHOR = ("anchorId", "anchor_id")
TO_USER = ("toUserId", "to_user_id")
LIKE_COUNT = ("likeCount", "like_count", "count", "likes")
TIKTOK_KEYS = ("common", "baseMessage", "base_message", "msgId", "uniqueId", "userId", "user", "unique_id")
SAFE_INTEGER = 2**53


class GiftFrame(NamedTuple):
    """One gift message as sent: a streak sends one per tap with a rising ``repeat_count``.

    ``streakable`` is ``None`` when the record does not say (the gift is then held like a streak until
    its end frame or a timeout, which never counts it twice). ``msg_id`` is the message id when it is
    exact (the event's id); ``message`` is the id as the record gives it, even rounded (to recognise a
    replay of the same record).

    A named tuple, not an attrs class: one is made for every gift record (a quarter of a capture's) and
    hashed once (the decoder's repeat check: same message id AND same content), and a tuple is made and
    hashed in C (some 1.5 µs less a gift than a frozen attrs class of 15 fields). Immutable all the same;
    its ``repr`` is the attrs one's (``GiftFrame(msg_id=..., ...)``).
    """

    msg_id: str | None
    message: str | None
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
    host: str | None


@attrs.frozen(slots=True)
class Read:
    """What one record is: its ``kind`` in its format's own terms and the ``item`` it holds (a
    `GiftFrame` or an `Event`), or, without an item, ``why`` it holds none (``livemoney.kit.NO_MONEY``
    or ``NOT_READ``)."""

    kind: str
    item: GiftFrame | Event | None = None
    why: str = NO_MONEY


# --- fields -----------------------------------------------------------------------------------


_STEPS: dict[tuple[str, ...], tuple[tuple[str, str, tuple[str, ...]], ...]] = {}
"""Each tuple of paths the readers look through, split once: ``(path, first key, the keys after it)``."""


def _steps(paths: tuple[str, ...]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    steps = _STEPS.get(paths)
    if steps is None:
        split = [path.split(".") for path in paths]
        steps = tuple((path, parts[0], tuple(parts[1:])) for path, parts in zip(paths, split))
        if len(_STEPS) < 1024:
            _STEPS[paths] = steps
    return steps


def _values(record: Any, steps: Steps) -> Iterator[tuple[str, Any]]:
    """``(path, value)`` for each of the paths ``steps`` split that holds a value (not ``None``, not ``""``), in
    order: what `livemoney.kit.get` finds there, read straight from plain dicts (as `first` does)."""
    if record.__class__ is not dict:
        if not isinstance(record, dict):
            return
        for path, _key, _rest in steps:  # a dict subclass (a live client's record): by the book
            value = get(record, path)
            if value is not None and value != "":
                yield path, value
        return
    for path, key, rest in steps:
        value = record.get(key)
        if value is not None and rest:
            value = _follow(value, rest)
        if value is not None and value != "":
            yield path, value


def _follow(value: Any, rest: tuple[str, ...]) -> Any:
    """What the keys ``rest`` lead to from ``value`` (plain dicts read straight), or ``None``."""
    for part in rest:
        if value.__class__ is dict:
            value = value.get(part)
        elif isinstance(value, dict):
            value = get(value, part)
        else:
            return None
        if value is None:
            return None
    return value


def pick(record: Any, paths: tuple[str, ...]) -> tuple[str, Any] | None:
    """The first of ``paths`` that holds a value (not ``None``, not ``""``), with that path."""
    return first(record, _STEPS.get(paths) or _steps(paths))


Steps = tuple[tuple[str, str, tuple[str, ...]], ...]
"""Paths split by `_steps`: ``(path, first key, the keys after it)`` each."""


def first(record: Any, steps: Steps) -> tuple[str, Any] | None:
    """`pick` over paths already split (all of a field's, or those a record's `Shape` may hold): the first
    that holds a value (not ``None``, not ``""``), with its path. A plain dict is read straight (the hottest
    loop of the readers), anything else by the book (`livemoney.kit.get`)."""
    if record.__class__ is not dict:
        if not isinstance(record, dict):
            return None
        for path, _key, _rest in steps:
            value = get(record, path)
            if value is not None and value != "":
                return path, value
        return None
    for path, key, rest in steps:
        value = record.get(key)
        if value is not None and rest:
            value = _follow(value, rest)
        if value is not None and value != "":
            return path, value
    return None


def _firsts(record: Any, fields: tuple[Steps, ...]) -> list[tuple[str, Any] | None]:
    """`first` of each of ``fields`` (a `Shape`'s), in one pass over a plain dict: the same answers, without a
    call a field."""
    if record.__class__ is not dict:
        return [first(record, steps) for steps in fields]
    found: list[tuple[str, Any] | None] = []
    for steps in fields:
        for path, key, rest in steps:
            value = record.get(key)
            if value is not None and rest:
                value = _follow(value, rest)
            if value is not None and value != "":
                found.append((path, value))
                break
        else:
            found.append(None)
    return found


_COMPILED: dict[tuple[Steps, ...], Callable[[dict], tuple[tuple[str, Any] | None, ...]]] = {}
"""`_compiled_firsts` of each tuple of fields asked for (a `Shape`'s: bounded as the shapes are, `SHAPES_KEPT`)."""


def _compiled_firsts(fields: tuple[Steps, ...]) -> Callable[[dict], tuple[tuple[str, Any] | None, ...]]:
    """`_firsts` of ``fields`` for a plain dict, written out as one function (made once for each tuple of fields):
    each path's keys looked up in turn, with no loop over the steps nor a call a path (`_follow` only below a
    value that is not a plain dict). The same answers (a shape's test reads every record by the book too): half
    `_firsts`'s time, the largest part of reading a gift. The code holds the paths' own keys only (constants of
    this module, never a record's), each written by ``repr``."""
    made = _COMPILED.get(fields)
    if made is not None:
        return made
    lines = ["def firsts(record):", "    get = record.get"]
    for index, steps in enumerate(fields):
        lines.append("    while True:")
        for path, key, rest in steps:
            lines.append(f"        value = get({key!r})")
            for part in rest:
                lines.append("        if value is not None:")
                lines.append(
                    f"            value = value.get({part!r}) if value.__class__ is dict else _follow(value, ({part!r},))"
                )
            lines.append("        if value is not None and value != '':")
            lines.append(f"            found_{index} = ({path!r}, value)")
            lines.append("            break")
        lines.append(f"        found_{index} = None")
        lines.append("        break")
    lines.append(f"    return ({''.join(f'found_{index}, ' for index in range(len(fields)))})")
    scope: dict[str, Any] = {"_follow": _follow}
    exec(compile("\n".join(lines) + "\n", "<livemoney_tiktok.readers.webcast: firsts>", "exec"), scope)  # noqa: S102
    made = _COMPILED[fields] = scope["firsts"]
    return made


# --- where a record of one shape keeps each field ---------------------------------------------


class Shape:
    """Where a record whose top-level keys are ``keys`` may hold each field: for each tuple of paths the
    readers look through (`MSG_ID`, `VIEWER` ..., split by `_steps`), those whose first key is one of
    ``keys``, in their order.

    Why: a path whose first key a plain dict lacks gives ``None``, which `pick` passes over, so `first` over
    a shape's steps finds exactly what it finds over all the paths, without the look-ups that cannot find
    anything (a connector 1.x like has 1 of the 18 first keys of `VIEWER`, a TikTokLive 7 gift 2 of the 12
    of `RECIPIENT`). A shape is worked out once (`shape_of`): a capture has a few dozen; a record then
    costs a tuple of its keys and one dict look-up, paid only by the records whose fields are read (a gift,
    a like, a subscription) or whose kind `_bare` tells from their keys.

    `ALL_PATHS` (``keys`` ``None``: every path) stands for a record that is not a plain dict (a live
    client's dict subclass may answer a key it does not hold) and for shapes beyond `SHAPES_KEPT`.
    """

    __slots__ = (
        "bare",
        "by_display",
        "create_time",
        "gift_fields",
        "gift_firsts",
        "gift_id",
        "gift_name",
        "gift_structs",
        "gift_type",
        "group",
        "like_count",
        "like_fields",
        "like_firsts",
        "monitors",
        "msg_id",
        "price",
        "recipient",
        "repeat_count",
        "repeat_end",
        "room",
        "user_id",
        "viewer",
    )

    def __init__(self, keys: tuple[Any, ...] | None) -> None:
        present = None if keys is None else frozenset(keys)

        def held(paths: tuple[str, ...]) -> Steps:
            steps = _steps(paths)
            return steps if present is None else tuple(step for step in steps if step[1] in present)

        def names(candidates: tuple[str, ...]) -> tuple[str, ...]:
            return candidates if present is None else tuple(name for name in candidates if name in present)

        self.msg_id, self.create_time, self.room = held(MSG_ID), held(CREATE_TIME), held(ROOM)
        self.user_id, self.viewer = held(USER_ID), held(VIEWER)
        self.gift_id, self.gift_name, self.gift_type, self.price = (
            held(GIFT_ID),
            held(GIFT_NAME),
            held(GIFT_TYPE),
            held(PRICE),
        )
        self.repeat_count, self.repeat_end, self.group = held(REPEAT_COUNT), held(REPEAT_END), held(GROUP)
        self.recipient, self.like_count = held(RECIPIENT), held(LIKE_COUNT)
        self.gift_fields = (
            self.gift_id,
            self.gift_name,
            self.repeat_count,
            self.repeat_end,
            self.price,
            self.viewer,
            self.create_time,
            self.user_id,
            self.group,
            self.gift_type,
            self.room,
            self.msg_id,
        )
        """The fields `gift_frame` reads with `first`, in one pass (`_firsts`): the room and the message id
        too, which `_exact_at` and `_message_ids_at` take from there when they are strings (as TikTok writes
        ids), without a walk of their own."""
        self.gift_firsts = _compiled_firsts(self.gift_fields)
        """`_firsts` of `gift_fields` for a plain dict, written out (`_compiled_firsts`)."""
        self.like_fields = (self.like_count, self.viewer, self.create_time, self.room, self.msg_id)
        """The fields `like_of` reads, in one pass, as `gift_fields`."""
        self.like_firsts = _compiled_firsts(self.like_fields)
        self.monitors = names(MONITORS)
        """The monitor infos (`MONITORS`) a record of this shape may hold, in their order."""
        self.gift_structs = names(GIFT_STRUCTS)
        self.bare: tuple[str, str] | None | bool = False
        """What `_bare` says of every record of this shape, when its keys alone decide (`_bare_by_keys`), or
        ``False``: its values must be read."""
        if present is not None:
            self.bare = _bare_by_keys(present)
        self.by_display: dict[str, tuple[str, str] | None] | None = None
        """What `_bare` said of records of this shape by their ``displayType``, when the keys leave only that to
        read (`_bare_by_display`); ``None`` when they do not (no shape, a nested ``gift``)."""
        if present is not None and self.bare is False and "gift" not in present:
            self.by_display = {}


GIFT_STRUCTS = ("gift", "mGift", "m_gift")
"""The gift's own struct, which says it is no streak when it gives a name or a price but no type (`_streakable`)."""
SHAPES_KEPT = 1024
"""How many shapes `shape_of` remembers (about 1.2 KB each: at most some 1.2 MB): the shapes come from the records
(a capture has a few dozen), so their number is bounded; a record of a shape beyond these is read through
`ALL_PATHS` (the same answers, without the shortcut)."""
_SHAPES: dict[tuple[Any, ...], Shape] = {}


def shape_of(record: Any) -> Shape:
    """The `Shape` of ``record``: of its top-level keys (in their order) when it is a plain dict, else
    `ALL_PATHS`."""
    if record.__class__ is not dict:
        return ALL_PATHS
    keys = tuple(record)
    shape = _SHAPES.get(keys)
    if shape is None:
        if len(_SHAPES) >= SHAPES_KEPT:
            return ALL_PATHS
        shape = _SHAPES[keys] = Shape(keys)
    return shape


ALL_PATHS = Shape(None)
"""Every path of every field, and `_bare` read from the values: the shape of a record that is no plain dict."""


def _bare_by_keys(present: frozenset[Any]) -> tuple[str, str] | None | bool:
    """What `_bare` says of any record whose top-level keys are ``present``, or ``False`` when that depends on
    the values too (a nested ``gift`` that may be 0.9's, a ``displayType`` that `_bare` reads before the
    keys after it)."""
    if "giftId" in present or "gift_id" in present:
        return "gift", GIFT
    if "gift" in present or (
        "displayType" in present and not any(key in present for key in (*BARE_LIKE_KEYS, *BARE_SUB_KEYS))
    ):
        return False
    return _bare(dict.fromkeys(present))


def whole(value: Any, field: str) -> int:
    """An int from an int, an integral Decimal or a string of digits (64-bit ints come as strings)."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
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


def rounded(value: Any) -> bool:
    """Whether an id written as a JSON number may have been rounded: beyond 2**53 and written as the
    shortest decimal of a double, as JavaScript writes a 64-bit id it read as a number
    (``7085465258067807000``). An exact id is a string, or a number that no double prints as."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) <= SAFE_INTEGER:
        return False
    try:
        return int(Decimal(repr(float(value)))) == value
    except OverflowError:  # beyond any double: no JavaScript number was ever written so
        return False


def _text_in(value: Any, holder: str, path: str) -> str | None:
    """`_text` of a value at ``path`` within the struct ``holder`` (a gift's monitor info), the field named
    ``holder.path`` (made only for a value that is no string, which may be refused)."""
    if value.__class__ is str:
        text = value.strip()
        return None if text in ("", "0") else text
    return _text(value, f"{holder}.{path}")


def _text(value: Any, path: str) -> str | None:
    if value.__class__ is str:
        text = value.strip()
        return None if text in ("", "0") else text
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise FieldError(path, f"{value!r} is not an id or a name")
    text = str(whole(value, path)) if isinstance(value, Decimal) else str(value).strip()
    return None if text in ("", "0") else text


def identity(record: Any, paths: tuple[str, ...]) -> str | None:
    """An id or a name as text (``None`` when absent, empty or 0: a proto default), rounded or not."""
    return _named(record, _STEPS.get(paths) or _steps(paths))


def _named(record: Any, steps: Steps) -> str | None:
    """`identity` over paths already split (a `Shape`'s)."""
    found = first(record, steps)
    return None if found is None else _text(found[1], found[0])


def exact_identity(record: Any, paths: tuple[str, ...]) -> str | None:
    """Like `identity`, but the first of ``paths`` whose value is exact: a rounded id is passed over."""
    return _exact(record, _STEPS.get(paths) or _steps(paths))


def _exact(record: Any, steps: Steps) -> str | None:
    """`exact_identity` over paths already split (a `Shape`'s); a plain dict's string read without a call."""
    if record.__class__ is not dict:
        for path, value in _values(record, steps):
            if value.__class__ is not str and rounded(value):
                continue
            text = _text(value, path)
            if text is not None:
                return text
        return None
    for path, key, rest in steps:
        value = record.get(key)
        if value is not None and rest:
            value = _follow(value, rest)
        if value is None or value == "":
            continue
        if value.__class__ is str:  # `_text` of a string: exact, as written
            text = value.strip()
            if text not in ("", "0"):
                return text
            continue
        if rounded(value):
            continue
        text = _text(value, path)
        if text is not None:
            return text
    return None


def _exact_at(found: tuple[str, Any] | None, record: Any, steps: Steps) -> str | None:
    """`_exact`, given what `first` found over ``steps`` (``found``): a string is exact as written (unless empty or
    0, a proto default), so it is the answer without a walk of its own; any other value is looked at by `_exact`."""
    if found is None:
        return None  # no path holds a value
    value = found[1]
    if value.__class__ is str:
        text = value.strip()
        if text not in ("", "0"):
            return text
    return _exact(record, steps)


def moment(record: Any, paths: tuple[str, ...], unit: str) -> dt.datetime | None:
    return _moment(record, _STEPS.get(paths) or _steps(paths), unit)


def _moment(record: Any, steps: Steps, unit: str) -> dt.datetime | None:
    """`moment` over paths already split (a `Shape`'s). The common case, a time in ms as TikTok writes it (a
    string of digits, or an int) within `timestamp`'s range, is made here: the same microseconds, without its
    checks of other forms."""
    found = first(record, steps)
    return None if found is None else _time(found, unit)


def _time(found: tuple[str, Any], unit: str) -> dt.datetime | None:
    """The time `_moment` makes of the value it found (``(path, value)``)."""
    path, value = found
    if unit == "ms" and (
        value.__class__ is int or (value.__class__ is str and len(value) <= 18 and value.isascii() and value.isdigit())
    ):
        millis = int(value)
        if MS_TIMES[0] <= millis < MS_TIMES[1]:
            seconds, millis = divmod(millis, 1000)
            return EPOCH + dt.timedelta(0, seconds, millis * 1000)  # a third of ``timedelta(microseconds=...)``'s time
    if isinstance(value, (bool, dict, list)):
        raise FieldError(path, f"{value!r} is not a timestamp")
    if value in (0, "0"):
        return None
    return timestamp(value, path, unit)


# --- what a record is -------------------------------------------------------------------------


def unwrap(record: Any) -> tuple[str, str, Any]:
    """``(kind, meaning, message)``: the record's kind in its format's terms, what that kind means (`GIFT`,
    `LIKE`, `SUBSCRIPTION`, `BARRAGE`, `WEB_UI`, ``NO_MONEY`` or ``NOT_READ``), and the message (the
    envelope's ``data`` where there is one).

    Raises `FieldError` for a record that is no TikTok LIVE message at all.
    """
    kind, meaning, message, _shape = kind_of(record)
    return kind, meaning, message


def kind_of(record: Any) -> tuple[str, str, Any, Shape | None]:
    """`unwrap`, and the message's `Shape` when it was worked out on the way (``None``: not yet). A record
    without envelope, type or method is read by its own fields (`_bare`): by its keys alone, once a shape,
    where they decide (`Shape.bare`)."""
    if not isinstance(record, dict):
        raise FieldError("(record)", "not a TikTok LIVE message (a JSON object)")
    event = record.get("event")
    if isinstance(event, str) and isinstance(record.get("data"), dict):
        return event, _event_meaning(event), record["data"], None
    if is_web_ui(record):
        kind = record["type"]
        return kind, WEB_UI if kind in ("gift", "like") else NO_MONEY, record, None
    method = method_of(record)
    if method is not None:
        return method, method_meaning(method), record, None
    shape = shape_of(record)
    bare = shape.bare
    if bare is False:
        bare = _bare(record) if shape.by_display is None else _bare_by_display(record, shape.by_display)
    if isinstance(bare, tuple):
        return (*bare, record, shape)
    if any(key in record for key in TIKTOK_KEYS):
        keys = sorted(str(key) for key in record)
        named = f"record with keys {', '.join(keys[:6])}{', ...' if len(keys) > 6 else ''}"
        return named, NOT_READ, record, shape
    raise FieldError("(record)", "not a TikTok LIVE message (no common.method, giftId, likeCount or user)")


def method_of(record: dict) -> str | None:
    """The webcast message name a record gives (``common.method``, ``baseMessage.method`` ...)."""
    for holder in ("common", "baseMessage", "base_message"):
        found = record.get(holder)
        if found is None:
            continue
        method = found.get("method") if found.__class__ is dict else get(found, "method")
        if isinstance(method, str) and (method := method.strip()):
            return method
    method = record.get("method")
    if isinstance(method, str) and (method := method.strip()):
        return method
    return None


def method_meaning(method: str) -> str:
    if method in METHODS:
        return METHODS[method]
    if method in NO_MONEY_METHODS or method.startswith(NO_MONEY_METHOD_PREFIXES):
        return NO_MONEY
    return NOT_READ


def _event_meaning(event: str) -> str:
    if event in ENVELOPE_EVENTS:
        return ENVELOPE_EVENTS[event]
    if event in NO_MONEY_EVENTS or event.startswith(NO_MONEY_EVENT_PREFIXES):
        return NO_MONEY
    return NOT_READ


def known_event(event: str) -> bool:
    """Whether ``event`` is a TikTok-Live-Connector event name this version knows (money or not)."""
    return event in ENVELOPE_EVENTS or event in NO_MONEY_EVENTS or event.startswith(NO_MONEY_EVENT_PREFIXES)


def _bare(record: dict) -> tuple[str, str] | None:
    """The kind of a record without envelope or message name: the connector's flattened 1.x data (named
    as its event: README 'Data Structure' of each) or a TikTokLive 5 dict, by the fields of its own."""
    nested = record.get("gift")
    if (
        "giftId" in record
        or "gift_id" in record
        or (isinstance(nested, dict) and ("info" in nested or "gift_id" in nested))
    ):
        return "gift", GIFT
    if any(key in record for key in BARE_LIKE_KEYS):
        return "like", LIKE
    if any(key in record for key in BARE_SUB_KEYS):
        return "subscribe", SUBSCRIPTION
    display = record.get("displayType")
    display = display.lower() if isinstance(display, str) else ""
    if SUPER_FAN_ANY in display:
        return "barrage", BARRAGE
    if "comment" in record:
        return "chat", NO_MONEY
    if "actionId" in record or display == "live_room_enter_toast":
        return "member", NO_MONEY
    if display.startswith(("pm_main_follow_message", "pm_mt_guidance_share")):
        return "social", NO_MONEY
    for field, kind in (
        ("viewerCount", "roomUser"),
        ("questionText", "questionNew"),
        ("battleUsers", "linkMicBattle"),
        ("battleArmies", "linkMicArmies"),
        ("emoteId", "emote"),
    ):
        if field in record:
            return kind, NO_MONEY
    if "description" in record and "id" in record:
        return "liveIntro", NO_MONEY
    if "coins" in record and "canOpen" in record:
        return "envelope", NOT_READ  # a treasure box: what the creator earns from it is undocumented
    return None


def _bare_by_display(record: dict, answers: dict[str, tuple[str, str] | None]) -> tuple[str, str] | None:
    """`_bare` of a plain dict whose keys (a `Shape`'s) hold no nested ``gift``: then its ``displayType`` is the
    only value `_bare` reads (a member, a follow or a share of the connector's 1.x data is told from a Super Fan
    banner by it), so its answer for each display met is remembered in ``answers`` (`Shape.by_display`), for
    displays of at most `DISPLAY_LENGTH` characters, `DISPLAYS_KEPT` a shape."""
    display = record.get("displayType")
    if display.__class__ is not str:
        return _bare(record)
    if display in answers:
        return answers[display]
    answer = _bare(record)
    if len(answers) < DISPLAYS_KEPT and len(display) <= DISPLAY_LENGTH:
        answers[display] = answer
    return answer


DISPLAYS_KEPT = 16
DISPLAY_LENGTH = 64
"""`_bare_by_display` remembers up to 16 displays of up to 64 characters a shape (TikTok's are a few short keys:
``live_room_enter_toast``, ``pm_main_follow_message_viewer_2``): at most some 2 MB over `SHAPES_KEPT` shapes."""
BARE_LIKE_KEYS = ("likeCount", "like_count", "likes")
BARE_SUB_KEYS = ("subMonth", "sub_month")


def is_web_ui(record: dict) -> bool:
    """A record of TikTokLive's web-ui example (never a livemoney canonical record)."""
    kind = record.get("type")
    if not isinstance(kind, str) or kind not in WEB_UI_TYPES or "platform" in record or "viewer" in record:
        return False
    return "user" in record or kind in WEB_UI_ONLY


def parse(record: Any, source: str | None = None) -> Read:
    """What one record says (`Read`): a `GiftFrame`, a finished `Event` (like, subscription, a new Super
    Fan, a web-ui gift) with ``source`` as its ``Event.source``, or a kind without money or not read. A
    malformed field raises `FieldError`."""
    return read_kind(*kind_of(record), source)


def read_kind(kind: str, meaning: str, message: Any, shape: Shape | None, source: str | None = None) -> Read:
    """`parse` of a record whose kind `kind_of` has told: ``(kind, meaning, message, shape)`` are its answer."""
    if meaning == GIFT:
        return Read(kind, gift_frame(message, shape or shape_of(message)))
    if meaning == LIKE:
        like = like_of(message, shape or shape_of(message), source)
        return Read(kind, like) if like is not None else Read(kind)
    if meaning == SUBSCRIPTION:
        shape = shape or shape_of(message)
        return Read(kind, Donation(feature="subscription", **_identity(message, shape, source)))
    if meaning == BARRAGE:
        return _barrage(kind, message, source)
    if meaning == WEB_UI:
        return Read(kind, web_ui_event(message, source))
    return _without_item(kind, meaning)


_WITHOUT_ITEM: dict[tuple[str, str], Read] = {}
"""The `Read` of each kind without an item, made once (it is frozen): most records are such."""


def _without_item(kind: str, why: str) -> Read:
    read = _WITHOUT_ITEM.get((kind, why))
    if read is None:
        read = Read(kind, why=why)
        if len(_WITHOUT_ITEM) < 4096:  # kinds come from the records: bounded
            _WITHOUT_ITEM[kind, why] = read
    return read


def _identity(message: Any, shape: Shape, source: str | None = None) -> dict[str, Any]:
    """The fields every event of a message has (``message`` of the `Shape` ``shape``), as keyword arguments."""
    return {
        "source": source,
        "platform": KEY,
        "viewer": _named(message, shape.viewer),
        "ts": _moment(message, shape.create_time, "ms"),
        "stream": _exact(message, shape.room),
        "id": _exact(message, shape.msg_id),
    }


def _barrage(kind: str, message: Any, source: str | None = None) -> Read:
    """A barrage (a banner in the chat) by its text key, not by the envelope's name: a new Super Fan is a
    paid subscription, an existing Super Fan entering is not; another Super Fan key is not read."""
    keys = [value for path in SUPER_FAN_KEYS if isinstance(value := get(message, path), str) and value.strip()]
    folded = [key.lower() for key in keys]
    if any(SUPER_FAN_JOINED in key for key in folded):
        return Read("superFanJoin")
    if any(NEW_SUPER_FAN in key for key in folded):
        return Read("superFan", Donation(feature="subscription", **_identity(message, shape_of(message), source)))
    other = next((key for key, low in zip(keys, folded) if SUPER_FAN_ANY in low), None)
    if other is not None or kind in ("superFan", "superFanJoin"):
        return Read(f"{kind if kind.startswith('superFan') else 'superFan'} ({other or 'no text key'})", why=NOT_READ)
    return Read(kind)


def _parties(message: Any, shape: Shape) -> tuple[str | None, str | None]:
    """``(recipient, host)`` of a gift: who it was sent to and the LIVE host (anchor), where it says.

    A monitor whose ids are rounded (the connector's ``monitorExtra`` and 0.9 ``gift``) only tells, by
    comparing its two ids, whether the gift went to the host; the ids given are then the exact recipient
    where the record has one, else the rounded ids marked ``~`` (``~6900000000000000000``), which equal
    no exact id.
    """
    recipient = _exact(message, shape.recipient)
    for name in shape.monitors:
        monitor = message.get(name)
        if isinstance(monitor, str) and monitor.lstrip().startswith("{"):
            try:
                monitor = json.loads(monitor)  # TikTokLive's monitorExtra: a JSON string, ids exact
            except ValueError:
                continue
        found = pick(monitor, ANCHOR) if isinstance(monitor, dict) else None
        if found is not None:
            break
    else:
        return recipient, None
    anchor_path, anchor = found
    to_user = pick(monitor, TO_USER)
    host = _text_in(anchor, name, anchor_path)
    receiver = _text_in(to_user[1], name, to_user[0]) if to_user else None
    if host is None:
        return recipient, None
    if (anchor.__class__ is str or not rounded(anchor)) and (
        to_user is None or to_user[1].__class__ is str or not rounded(to_user[1])
    ):  # a string is never rounded (`rounded`'s first answer, without its call)
        return recipient or receiver, host
    if receiver is None:
        return recipient, None
    if receiver == host:  # to the host: say so with the exact id where there is one
        return recipient or f"~{receiver}", recipient or f"~{host}"
    return recipient or f"~{receiver}", f"~{host}"


def gift_frame(message: Any, shape: Shape) -> GiftFrame:
    """The `GiftFrame` a gift message (of the `Shape` ``shape``) gives, each field looked for only where a record
    of its shape may hold it, the plain ones (`Shape.gift_fields`) in one pass; then each is checked in the order
    it always was, so a record with two bad fields is rejected for the same one."""
    at_id, name, count, end, price, at_viewer, at_time, at_user, at_group, at_type, at_room, at_message = (
        shape.gift_firsts(message) if message.__class__ is dict else _firsts(message, shape.gift_fields)
    )
    gift_id = None if at_id is None else _text(at_id[1], at_id[0])
    if gift_id is not None and not gift_id.isdigit():
        raise FieldError("giftId", f"{gift_id!r} is not a gift id")
    if name is not None and (not isinstance(name[1], str) or not name[1].strip()):
        raise FieldError(name[0], f"{name[1]!r} is not a gift name")
    if name is not None:
        gift_name = name[1].strip()
    elif gift_id is not None:
        gift_name = _name_of(gift_id)
    else:
        raise FieldError("gift.name", "missing, and no gift id either")
    repeat_count = 1
    if count is not None:
        repeat_count = count[1] if count[1].__class__ is int else whole(count[1], count[0])
        if repeat_count < 0:
            raise FieldError(count[0], f"{repeat_count} is negative")
        if repeat_count > MAX_COUNT:  # here, at its own line: a streak's event is built later, at its end
            raise FieldError(count[0], f"{repeat_count} is out of range (a count is at most {MAX_COUNT:,} an event)")
    coins = None
    if price is not None:
        coins = price[1] if price[1].__class__ is int else whole(price[1], price[0])
        if coins < 0:
            raise FieldError(price[0], f"{coins} is negative")
        if coins > MAX_AMOUNT:
            raise FieldError(price[0], f"{coins} is out of range (an amount is at most {MAX_AMOUNT:,} an event)")
    viewer = None if at_viewer is None else _text(at_viewer[1], at_viewer[0])
    when = None if at_time is None else _time(at_time, "ms")
    stream = _exact_at(at_room, message, shape.room)
    msg_id, message_id = _message_ids_at(at_message, message, shape.msg_id)
    recipient, host = _parties(message, shape)
    return GiftFrame(
        msg_id=msg_id,
        message=message_id,
        ts=when,
        stream=stream,
        user=None if at_user is None else _text(at_user[1], at_user[0]),
        viewer=viewer,
        gift_id=gift_id,
        name=gift_name,
        group=None if at_group is None else _text(at_group[1], at_group[0]),
        repeat_count=max(repeat_count, 1),
        repeat_end=flag(end[1], end[0]) if end else False,
        streakable=_streakable(message, shape, at_type),
        coins=coins,
        recipient=recipient,
        host=host,
    )


def _message_ids_at(found: tuple[str, Any] | None, message: Any, steps: Steps) -> tuple[str | None, str | None]:
    """`_message_ids`, given what `first` found over ``steps`` (``found``): a string (as TikTok writes a message id)
    is exact, and the first value, so it is both ids, without a walk of its own."""
    if found is None:
        return None, None  # no path holds a value
    value = found[1]
    if value.__class__ is str:
        text = value.strip()
        if text not in ("", "0"):
            return text, text
    return _message_ids(message, steps)


def _message_ids(message: Any, steps: Steps) -> tuple[str | None, str | None]:
    """``(exact_identity(message, MSG_ID), identity(message, MSG_ID))`` in one walk over ``steps`` (a `Shape`'s
    `MSG_ID`), raising as the first does (the second's value is the first path's, which the first has read by
    then)."""
    exact: str | None = None
    given: str | None = None
    first = True
    for path, value in _values(message, steps):
        if first:
            first = False
            given = _text(value, path)
        if value.__class__ is not str and rounded(value):
            continue
        exact = _text(value, path)
        if exact is not None:
            break
    return exact, given


def _name_of(gift_id: str) -> str:
    """The name of a gift the record gives by id only: from the bundled id catalogue, else ``gift ID``."""
    found = bundled_ids().find_id(gift_id)
    return found.name if found is not None and found.name else f"gift {gift_id}"


def _streakable(message: Any, shape: Shape, found: tuple[str, Any] | None) -> bool | None:
    """Type 1 gifts come in streaks (``found``: where the message gives the type, and what it is). A proto dict
    leaves ``gift.type`` out when it is 0."""
    if found is not None:
        return whole(found[1], found[0]) == 1
    for name in shape.gift_structs:
        struct = message.get(name)
        if isinstance(struct, dict) and any(key in struct for key in ("name", "diamondCount", "diamond_count")):
            return False
    return None


def like_of(message: Any, shape: Shape, source: str | None = None) -> Like | None:
    """The `Like` a like message (of the `Shape` ``shape``) gives, with ``source`` as its ``Event.source``, or
    ``None`` when it gives no count, or 0. Its fields are found in one pass (`Shape.like_fields`), then each is
    checked in the order it always was (the count first), so a record with two bad fields is rejected for the same
    one."""
    found, at_viewer, at_time, at_room, at_message = (
        shape.like_firsts(message) if message.__class__ is dict else _firsts(message, shape.like_fields)
    )
    if found is None:
        return None
    count = whole(found[1], found[0])
    if count < 0:
        raise FieldError(found[0], f"{count} is negative")
    if not count:
        return None
    if count > MAX_COUNT:
        return Like(count=count, **_identity(message, shape, source))  # checked: its FieldError names the count
    like: Like = _new_like(  # each field as `Like` checks it (`_identity`'s, written out)
        source=source,
        platform=KEY,
        viewer=None if at_viewer is None else _text(at_viewer[1], at_viewer[0]),  # `_named`
        ts=None if at_time is None else _time(at_time, "ms"),  # `_moment`
        stream=_exact_at(at_room, message, shape.room),
        id=_exact_at(at_message, message, shape.msg_id),
        count=count,
    )
    return like


_new_like = unchecked(Like)
"""A `Like` made without attrs' checks, for values that hold what they check: a count from 1 to `MAX_COUNT`,
`_identity`'s text (or None) and a time `timestamp` read (aware, in range)."""


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
WEB_UI_TIMES = (946_684_800_000_000, 4_102_444_800_000_000)
"""The microseconds from `EPOCH` of the first time `livemoney.kit.timestamp` takes (2000-01-01, UTC) and of the
first it refuses (2100-01-01): a web-ui ``ts`` between them is read here, any other by `timestamp`."""
_MILLION = Decimal(1_000_000)
MS_TIMES = (WEB_UI_TIMES[0] // 1000, WEB_UI_TIMES[1] // 1000)
"""The same bounds in ms (`_moment`): a time from them on is out of `timestamp`'s range, read (and refused) by it."""


def _web_ui_time(message: dict) -> dt.datetime | None:
    """``moment(message, ("ts",), "s")`` (the same time, the same errors), without its calls for the common
    case: a ``ts`` of seconds that the JSON parse gave as a Decimal, in range."""
    value = message.get("ts") if message.__class__ is dict else None
    if value.__class__ is Decimal and value.is_finite() and value:
        micros = int(value * _MILLION)  # `timestamp`'s own sum (its int 10**6 is this Decimal): the same microseconds
        if WEB_UI_TIMES[0] <= micros < WEB_UI_TIMES[1]:
            seconds, micros = divmod(micros, 1_000_000)
            return EPOCH + dt.timedelta(0, seconds, micros)  # a third of ``timedelta(microseconds=...)``'s time
    return moment(message, ("ts",), "s")


def web_ui_event(message: dict, source: str | None = None) -> Event | None:
    """The `Gift` or `Like` a web-ui record (``type`` gift or like) gives, with ``source`` as its ``Event.source``,
    or ``None`` for a like of no count."""
    kind = message["type"]
    viewer = message.get("user")
    if viewer is not None and not isinstance(viewer, str):
        raise FieldError("user", f"{viewer!r} is not a name")
    when = _web_ui_time(message)
    count = message.get("count") if message.__class__ is dict else None
    if count.__class__ is not int:  # `pick` and `whole` by the book
        found = pick(message, ("count",))
        count = whole(found[1], "count") if found else 1
    if kind == "like":
        if count < 0:
            raise FieldError("count", f"{count} is negative")
        if not count:
            return None
        if count > MAX_COUNT:
            return Like(platform=KEY, count=count, viewer=viewer, ts=when, source=source)
        like: Like = _new_like(platform=KEY, count=count, viewer=viewer, ts=when, source=source)
        return like
    name = message.get("gift")
    if not isinstance(name, str) or not name.strip():
        raise FieldError("gift", f"{name!r} is not a gift name")
    if count < 1:
        raise FieldError("count", f"{count} is not a count of at least 1")
    make = _new_gift if count <= MAX_COUNT else Gift  # checked: its FieldError names the count
    gift: Gift = make(platform=KEY, gift=name.strip(), count=count, viewer=viewer, ts=when, source=source)
    return gift


_new_gift = unchecked(Gift)
"""A `Gift` made without attrs' checks (`web_ui_event`, for values that hold what they check: a name stripped and not
empty, a count from 1 to `MAX_COUNT`, text or None, a time `timestamp` (or `_web_ui_time`) read)."""
