"""pytchat's chat items as ``c.json()`` writes them (one per line, or a JSON array of them).

event-formats.md 2.3: ``type`` is superChat, superSticker, newSponsor (new members and milestones),
donation (YouTube Giving, no amount) or textMessage, the five of pytchat 0.5.5's DefaultProcessor;
``amountString`` is re-read into a Decimal (``amountValue`` is a float, ``currency`` the raw prefix when
pytchat does not know it); ``timestamp`` is in milliseconds. pytchat reads no tickers.

A newSponsor's ``message`` is the item's ``headerSubtext`` runs ("Welcome to The Fam!", "New member");
where those runs are missing pytchat writes its own "Welcome New Member!". A milestone's headerSubtext
is a simpleText (its level name), so every milestone comes out with that text, and so would a new member
whose header YouTube sent as a simpleText: such an item cannot be told apart, and is counted as not read.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from livemoney import Event
from livemoney.kit import NOT_READ, FieldError, decoder_reader, timestamp

from livemoney_youtube.readers.currencies import parse_display
from livemoney_youtube.readers.decoding import ChatDecoder, Found, Skip, donation, single, text_of
from livemoney_youtube.readers.wording import donated_amount
from livemoney_youtube.rules import KEY

SUPERS = {"superChat": "super_chat", "superSticker": "super_sticker"}
NO_HEADER = "Welcome New Member!"
"""What pytchat writes for a newSponsor whose headerSubtext has no runs (a milestone, among others)."""


TEXT_MESSAGE = Skip("textMessage")


def accepts(record: Any) -> bool:
    """A pytchat item: a ``type`` and the ``amountString`` field pytchat writes on every item."""
    return isinstance(record, dict) and isinstance(record.get("type"), str) and "amountString" in record


def sniff(head: bytes) -> bool:
    return b'"amountString"' in head and (b'"elapsedTime"' in head or b'"amountValue"' in head)


def decode(item: Any) -> Found | Skip:
    if item.__class__ is not dict and not isinstance(item, dict):
        raise FieldError("(item)", "not a pytchat item (a JSON object)")
    kind = item.get("type")
    if kind == "textMessage":  # most items
        return TEXT_MESSAGE
    if not isinstance(kind, str) or not kind.strip():
        raise FieldError("type", "missing")
    message_id = text_of(item.get("id"))
    if kind in SUPERS:
        return Found(kind, message_id, partial(_paid, SUPERS[kind], item, message_id))
    if kind == "newSponsor":
        if item.get("message") == NO_HEADER:
            return Skip(f"{kind} (pytchat lost its header: a milestone or a new member)", NOT_READ)
        return Found(kind, message_id, partial(_membership, item, message_id))
    if kind == "donation":
        return Found(kind, message_id, partial(_giving, item, message_id))
    return Skip(kind, NOT_READ)


def _viewer(item: dict) -> str | None:
    """``author.name`` (`text_at`, inline)."""
    author = item.get("author")
    return text_of(author.get("name")) if isinstance(author, dict) else None


def _ts(item: dict) -> dt.datetime | None:
    millis = item.get("timestamp")
    # pytchat writes 0 when YouTube sent no timestampUsec
    return timestamp(millis, "timestamp", "ms") if millis not in (None, 0) else None


def _paid(feature: str, item: dict, message_id: str | None) -> Event:
    text = item.get("amountString")
    if text is None:
        raise FieldError("amountString", "missing")
    amount = parse_display(text, "amountString")
    return donation(feature, message_id, _viewer(item), _ts(item), amount)


def _membership(item: dict, message_id: str | None) -> Event:
    return donation("membership", message_id, _viewer(item), _ts(item))


def _giving(item: dict, message_id: str | None) -> Event:
    message = item.get("message")
    text = message if isinstance(message, str) else ""
    viewer = _viewer(item)
    amount = donated_amount(text, "message", viewer)
    return donation("giving", message_id, viewer, _ts(item), amount)


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, single, decode, tickers=False, kind_field="type", by_kind={"textMessage": TEXT_MESSAGE})


READER = decoder_reader(
    name="pytchat",
    platform=KEY,
    description="pytchat (taizan-hokuto) chat items written with c.json(): JSON lines or a JSON array",
    sniff=sniff,
    decoder=make_decoder,
    accepts=accepts,
)
