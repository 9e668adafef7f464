"""pytchat's chat items as ``c.json()`` writes them (one per line, or a JSON array of them).

event-formats.md 2.3: ``type`` is superChat, superSticker, newSponsor (new members and milestones),
donation (YouTube Giving, no amount) or textMessage; ``amountString`` is re-read into a Decimal
(``amountValue`` is a float, ``currency`` the raw prefix when pytchat does not know it); ``timestamp``
is in milliseconds. pytchat reads no tickers.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from livemoney import Donation, Event, Reader
from livemoney.records import FieldError, get, read_with_decoder, timestamp

from livemoney_youtube.currencies import parse_display
from livemoney_youtube.decoding import ChatDecoder, Found, need, single, text_at
from livemoney_youtube.value import KEY
from livemoney_youtube.wording import donated_amount

SUPERS = {"superChat": "super_chat", "superSticker": "super_sticker"}
TYPES = (*SUPERS, "newSponsor", "donation", "textMessage")


def accepts(record: Any) -> bool:
    """A pytchat item: a ``type`` pytchat gives and its ``amountString`` field."""
    return isinstance(record, dict) and record.get("type") in TYPES and "amountString" in record


def sniff(head: bytes) -> bool:
    return b'"amountString"' in head and (b'"elapsedTime"' in head or b'"amountValue"' in head)


def decode(item: Any) -> Found | None:
    if not isinstance(item, dict):
        raise FieldError("(item)", "not a pytchat item (a JSON object)")
    kind = item.get("type")
    message_id = text_at(item, "id")
    if kind in SUPERS:
        return Found(message_id, False, partial(_paid, SUPERS[kind], item))
    if kind == "newSponsor":
        return Found(message_id, False, partial(_membership, item))
    if kind == "donation":
        return Found(message_id, False, partial(_giving, item))
    if kind == "textMessage":
        return None
    raise FieldError("type", f"{kind!r} is not a pytchat item type ({', '.join(TYPES)})")


def _common(item: dict) -> dict[str, Any]:
    millis = get(item, "timestamp")
    return {
        "platform": KEY,
        "id": text_at(item, "id"),
        "viewer": text_at(item, "author.name"),
        # pytchat writes 0 when YouTube sent no timestampUsec
        "ts": timestamp(millis, "timestamp", "ms") if millis not in (None, 0) else None,
    }


def _paid(feature: str, item: dict) -> Event:
    amount = parse_display(need(item, "amountString"), "amountString")
    return Donation(feature=feature, amount=amount, **_common(item))


def _membership(item: dict) -> Event:
    return Donation(feature="membership", **_common(item))


def _giving(item: dict) -> Event:
    text = item.get("message") if isinstance(item.get("message"), str) else ""
    return Donation(feature="giving", amount=donated_amount(text, "message"), **_common(item))


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, single, decode)


READER = Reader(
    name="pytchat",
    platform=KEY,
    description="pytchat (taizan-hokuto) chat items written with c.json(): JSON lines or a JSON array",
    sniff=sniff,
    read=read_with_decoder(make_decoder),
    decoder=make_decoder,
    accepts=accepts,
)
