"""The official YouTube Data API v3: ``liveChatMessages.list`` and ``superChatEvents.list`` responses.

event-formats.md 2.4. A record is a list response (one outcome per item of its ``items``), or one
``youtube#liveChatMessage`` or ``youtube#superChatEvent``. Amounts are ``amountMicros`` (a string of an
unsigned integer: ``Decimal(s) / 10**6``) in the ISO ``currency`` the viewer paid.

Read by meaning (``snippet.type``, the discovery document's enum): a ``newSponsorEvent`` is one
membership bought (``newSponsorDetails.isUpgrade``: a higher level bought, a purchase too); a
``membershipGiftingEvent`` is ``membershipGiftingDetails.giftMembershipsCount`` memberships bought;
a ``memberMilestoneChatEvent`` (a member's message, "Member for 27 months") and a
``giftMembershipReceivedEvent`` (a viewer receiving a gift the gifter's purchase counts) carry no
money. A ``giftEvent`` is a Jewel gift, in the discovery document's flat ``giftDetails`` or the HTML
reference's ``giftEventDetails.giftMetadata``: ``comboCount`` gifts of ``jewelsAmount`` Jewels each
("The value of the gift in jewels"; "The number of times the gift has been sent in a row"); "the same
ID may be reused to update the combo count", so the decoder counts the last frame of each combo.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

from livemoney import Event, Gift, Money
from livemoney.kit import NOT_READ, FieldError, decoder_reader, get, is_currency

from livemoney_youtube.readers.decoding import (
    ChatDecoder,
    Found,
    Page,
    Skip,
    donation,
    need,
    raw_at,
    text_at,
    time_at,
)
from livemoney_youtube.rules import KEY

MESSAGE = "youtube#liveChatMessage"
SUPER_CHAT_EVENT = "youtube#superChatEvent"
KINDS = (MESSAGE, SUPER_CHAT_EVENT, f"{MESSAGE}ListResponse", f"{SUPER_CHAT_EVENT}ListResponse")
PAID_DETAILS = {
    "superChatEvent": ("super_chat", "superChatDetails"),
    "superStickerEvent": ("super_sticker", "superStickerDetails"),
    "fanFundingEvent": ("fan_funding", "fanFundingEventDetails"),
}
NO_MONEY = frozenset(
    {
        "textMessageEvent",
        "memberMilestoneChatEvent",
        "giftMembershipReceivedEvent",
        "messageDeletedEvent",
        "messageRetractedEvent",
        "userBannedEvent",
        "pollEvent",
        # the HTML reference names the poll type after its details
        "pollDetails",
        "chatEndedEvent",
        "sponsorOnlyModeStartedEvent",
        "sponsorOnlyModeEndedEvent",
        "tombstone",
    }
)
"""Message types without money (the discovery document's ``snippet.type`` enum, and the HTML
reference's ``pollDetails``)."""
GIFT_SHAPES = ("giftDetails", "giftEventDetails.giftMetadata")
"""Where a ``giftEvent``'s gift is: the discovery document's field, then the HTML reference's."""
MICROS = Decimal(10) ** 6


_SKIPS = {message_type: Skip(message_type) for message_type in NO_MONEY}


def accepts(record: Any) -> bool:
    """A Data API list response, live chat message or Super Chat event (by its ``kind``)."""
    return isinstance(record, dict) and record.get("kind") in KINDS


def sniff(head: bytes) -> bool:
    return b'"youtube#liveChatMessage' in head or b'"youtube#superChatEvent' in head


def split(record: Any) -> list[tuple[str, Any]] | Page | Skip:
    if not (isinstance(record, dict) and str(record.get("kind", "")).endswith("ListResponse")):
        return [("", record)]
    items = record.get("items")
    if items is not None and not isinstance(items, list):
        raise FieldError("items", f"{items!r} is not a list of items")
    if not items:
        return Skip(f"{record['kind']} (no items)")
    return Page("items", items)


def decode(item: Any) -> Found | Skip:
    if not isinstance(item, dict):
        raise FieldError("(item)", "not a YouTube Data API resource (a JSON object)")
    kind = item.get("kind")
    if kind == MESSAGE:  # most items: a chat message, known at once by its type
        snippet = item.get("snippet")
        message_type = snippet.get("type") if snippet.__class__ is dict else None
        skip = _SKIPS.get(message_type) if message_type.__class__ is str else None
        if skip is not None:
            return skip
    if not isinstance(kind, str) or not kind.strip():
        raise FieldError("kind", "missing")
    message_id = text_at(item, "id")
    if kind == SUPER_CHAT_EVENT:
        return Found(kind, message_id, partial(_super_chat_event, item))
    if kind != MESSAGE:
        return Skip(kind, NOT_READ)
    message_type = need(item, "snippet.type")
    if not isinstance(message_type, str):
        raise FieldError("snippet.type", f"{message_type!r} is not a message type")
    viewer = text_at(item, "authorDetails.displayName")
    who = (viewer, raw_at(item, "snippet.publishedAt"))
    if message_type in PAID_DETAILS:
        feature, details = PAID_DETAILS[message_type]
        build = partial(_paid_message, item, message_id, viewer, feature, details)
        return Found(message_type, message_id, build, who=who)
    if message_type == "newSponsorEvent":
        return Found(message_type, message_id, partial(_memberships, item, message_id, viewer, 1), who=who)
    if message_type == "membershipGiftingEvent":
        return Found(message_type, message_id, partial(_gifted, item, message_id, viewer), who=who)
    if message_type == "giftEvent":
        path, combo = _combo(item)
        return Found(message_type, message_id, partial(_jewel_gift, item, path, combo), who=who, combo=combo)
    return Skip(message_type) if message_type in NO_MONEY else Skip(message_type, NOT_READ)


def micros(item: dict, path: str) -> Decimal:
    """``amountMicros`` ("1750000", or a number) as an exact amount (1.75)."""
    value = need(item, path)
    text = str(value).strip() if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool) else ""
    if not text.isdigit():
        raise FieldError(path, f"{value!r} is not a whole number of micros")
    return Decimal(text) / MICROS


MONEY_KEPT = 4096
"""How many distinct (currency, ``amountMicros``) pairs `money` keeps the `Money` of (a stream shows a few hundred)."""
_moneys: dict[tuple[str, str], Money] = {}


def money(item: dict, details: str) -> Money:
    """``details``' ``currency`` and ``amountMicros`` as `Money`; each distinct pair is read once (`MONEY_KEPT`:
    a `Money` is immutable, so the same one serves again)."""
    currency = need(item, f"{details}.currency")
    if not isinstance(currency, str) or not is_currency(currency):
        raise FieldError(f"{details}.currency", f"{currency!r} is not an ISO-4217 currency code")
    text = get(item, f"{details}.amountMicros")
    if text.__class__ is str:
        found = _moneys.get((currency, text))
        if found is not None:
            return found
    made = Money(micros(item, f"{details}.amountMicros"), currency)
    if text.__class__ is str and len(_moneys) < MONEY_KEPT:
        _moneys[currency, text] = made
    return made


def _whole(value: Any, path: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise FieldError(path, f"{value!r} is not a whole number of at least {least}")
    return value


def _message_ts(item: dict) -> dt.datetime | None:
    return time_at(item, "snippet.publishedAt", "auto")


def _paid_message(item: dict, message_id: str | None, viewer: str | None, feature: str, details: str) -> Event:
    amount = money(item, f"snippet.{details}")
    stream = text_at(item, "snippet.liveChatId")
    return donation(feature, message_id, viewer, _message_ts(item), amount, stream=stream)


def _memberships(item: dict, message_id: str | None, viewer: str | None, count: int) -> Event:
    stream = text_at(item, "snippet.liveChatId")
    return donation("membership", message_id, viewer, _message_ts(item), count=count, stream=stream)


def _gifted(item: dict, message_id: str | None, viewer: str | None) -> Event:
    path = "snippet.membershipGiftingDetails.giftMembershipsCount"
    return _memberships(item, message_id, viewer, _whole(need(item, path), path, 1))


def _combo(item: dict) -> tuple[str, int]:
    """Where the gift is (`GIFT_SHAPES`) and its ``comboCount`` (1 when the record gives none)."""
    for shape in GIFT_SHAPES:
        path = f"snippet.{shape}"
        if isinstance(get(item, path), dict):
            combo = get(item, f"{path}.comboCount")
            return path, 1 if combo is None else _whole(combo, f"{path}.comboCount", 1)
    raise FieldError("snippet.giftDetails", f"missing (nor is there a {GIFT_SHAPES[1]})")


def _jewel_gift(item: dict, path: str, combo: int) -> Event:
    """``combo`` gifts of ``jewelsAmount`` Jewels each."""
    name = need(item, f"{path}.giftName")
    if not isinstance(name, str) or not name.strip():
        raise FieldError(f"{path}.giftName", f"{name!r} is not a gift name")
    jewels = _whole(need(item, f"{path}.jewelsAmount"), f"{path}.jewelsAmount", 0)
    return Gift(
        gift=name,
        count=combo,
        amount=Money(Decimal(jewels), "jewels"),
        platform=KEY,
        id=text_at(item, "id"),
        viewer=text_at(item, "authorDetails.displayName"),
        ts=_message_ts(item),
        stream=text_at(item, "snippet.liveChatId"),
    )


def _super_chat_event(item: dict) -> Event:
    feature = "super_sticker" if get(item, "snippet.isSuperStickerEvent") is True else "super_chat"
    amount = money(item, "snippet")
    viewer = text_at(item, "snippet.supporterDetails.displayName")
    return donation(feature, text_at(item, "id"), viewer, time_at(item, "snippet.createdAt", "auto"), amount)


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, split, decode, tickers=False)


READER = decoder_reader(
    name="youtube-data-api",
    platform=KEY,
    description="YouTube Data API v3 liveChatMessages.list and superChatEvents.list responses (JSON or JSON lines)",
    sniff=sniff,
    decoder=make_decoder,
    accepts=accepts,
)
