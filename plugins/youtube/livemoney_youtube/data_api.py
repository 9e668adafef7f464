"""The official YouTube Data API v3: ``liveChatMessages.list`` and ``superChatEvents.list`` responses.

event-formats.md 2.4. A record is a list response (its ``items``), or one ``youtube#liveChatMessage``
or ``youtube#superChatEvent``. Amounts are ``amountMicros`` (a string of an unsigned integer:
``Decimal(s) / 10**6``) in the ISO ``currency`` the viewer paid. Polling overlaps; each id counts once.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

from livemoney import Donation, Event, Gift, Money, Reader
from livemoney.money import is_currency
from livemoney.records import FieldError, get, read_with_decoder

from livemoney_youtube.decoding import ChatDecoder, Found, need, text_at, time_at
from livemoney_youtube.value import KEY

MESSAGE = "youtube#liveChatMessage"
SUPER_CHAT_EVENT = "youtube#superChatEvent"
KINDS = (MESSAGE, SUPER_CHAT_EVENT, f"{MESSAGE}ListResponse", f"{SUPER_CHAT_EVENT}ListResponse")
PAID_DETAILS = {
    "superChatEvent": ("super_chat", "superChatDetails"),
    "superStickerEvent": ("super_sticker", "superStickerDetails"),
    "fanFundingEvent": ("fan_funding", "fanFundingEventDetails"),
}
MEMBERSHIPS = ("newSponsorEvent", "memberMilestoneChatEvent")
MICROS = Decimal(10) ** 6


def accepts(record: Any) -> bool:
    """A Data API list response, live chat message or Super Chat event (by its ``kind``)."""
    return isinstance(record, dict) and record.get("kind") in KINDS


def sniff(head: bytes) -> bool:
    return b'"youtube#liveChatMessage' in head or b'"youtube#superChatEvent' in head


def split(record: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(record, dict) and str(record.get("kind", "")).endswith("ListResponse"):
        for index, item in enumerate(record.get("items") or ()):
            yield f"items[{index}].", item
    else:
        yield "", record


def decode(item: Any) -> Found | None:
    if not isinstance(item, dict):
        raise FieldError("(item)", "not a YouTube Data API resource (a JSON object)")
    kind = item.get("kind")
    if kind == SUPER_CHAT_EVENT:
        return Found(text_at(item, "id"), False, partial(_super_chat_event, item))
    if kind != MESSAGE:
        raise FieldError("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    message_type = need(item, "snippet.type")
    build = None
    if message_type in PAID_DETAILS:
        build = partial(_paid_message, item, *PAID_DETAILS[message_type])
    elif message_type in MEMBERSHIPS:
        build = partial(_memberships, item, 1)
    elif message_type == "membershipGiftingEvent":
        build = partial(_gifted, item)
    elif message_type == "giftEvent":
        build = partial(_jewel_gift, item)
    return None if build is None else Found(text_at(item, "id"), False, build)


def micros(item: dict, path: str) -> Decimal:
    """``amountMicros`` ("1750000", or a number) as an exact amount (1.75)."""
    value = need(item, path)
    text = str(value).strip() if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool) else ""
    if not text.isdigit():
        raise FieldError(path, f"{value!r} is not a whole number of micros")
    return Decimal(text) / MICROS


def money(item: dict, details: str) -> Money:
    currency = need(item, f"{details}.currency")
    if not isinstance(currency, str) or not is_currency(currency):
        raise FieldError(f"{details}.currency", f"{currency!r} is not an ISO-4217 currency code")
    return Money(micros(item, f"{details}.amountMicros"), currency)


def _message_common(item: dict) -> dict[str, Any]:
    return {
        "platform": KEY,
        "id": text_at(item, "id"),
        "viewer": text_at(item, "authorDetails.displayName"),
        "ts": time_at(item, "snippet.publishedAt", "auto"),
        "stream": text_at(item, "snippet.liveChatId"),
    }


def _paid_message(item: dict, feature: str, details: str) -> Event:
    return Donation(feature=feature, amount=money(item, f"snippet.{details}"), **_message_common(item))


def _memberships(item: dict, count: int) -> Event:
    return Donation(feature="membership", count=count, **_message_common(item))


def _gifted(item: dict) -> Event:
    path = "snippet.membershipGiftingDetails.giftMembershipsCount"
    count = need(item, path)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise FieldError(path, f"{count!r} is not a whole number of at least 1")
    return _memberships(item, count)


def _jewel_gift(item: dict) -> Event:
    """One Jewel gift, valued by its ``jewelsAmount``; ``comboCount`` is left aside (its meaning is unsourced)."""
    name = need(item, "snippet.giftDetails.giftName")
    jewels = need(item, "snippet.giftDetails.jewelsAmount")
    if not isinstance(name, str) or not name.strip():
        raise FieldError("snippet.giftDetails.giftName", f"{name!r} is not a gift name")
    if isinstance(jewels, bool) or not isinstance(jewels, int) or jewels < 0:
        raise FieldError("snippet.giftDetails.jewelsAmount", f"{jewels!r} is not a whole number of jewels")
    return Gift(gift=name, amount=Money(Decimal(jewels), "jewels"), **_message_common(item))


def _super_chat_event(item: dict) -> Event:
    feature = "super_sticker" if get(item, "snippet.isSuperStickerEvent") is True else "super_chat"
    return Donation(
        feature=feature,
        amount=money(item, "snippet"),
        platform=KEY,
        id=text_at(item, "id"),
        viewer=text_at(item, "snippet.supporterDetails.displayName"),
        ts=time_at(item, "snippet.createdAt", "auto"),
    )


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, split, decode)


READER = Reader(
    name="youtube-data-api",
    platform=KEY,
    description="YouTube Data API v3 liveChatMessages.list and superChatEvents.list responses (JSON or JSON lines)",
    sniff=sniff,
    read=read_with_decoder(make_decoder),
    decoder=make_decoder,
    accepts=accepts,
)
