"""chat-downloader's YouTube items (``chat_downloader --output chat.json``: a JSON array or JSON lines).

event-formats.md 2.2: ``message_type`` names the renderer; ``money.text`` is re-read into a Decimal
(``money.amount`` is a float); ``timestamp`` is in microseconds. With the ``tickers`` group every paid
message comes twice under one ``message_id``; ``donation_announcement`` items have lost their amount.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from livemoney import Donation, Event, Reader
from livemoney.records import FieldError, read_with_decoder

from livemoney_youtube.currencies import parse_display
from livemoney_youtube.decoding import ChatDecoder, Found, need, single, text_at, time_at
from livemoney_youtube.value import KEY
from livemoney_youtube.wording import donated_amount, gift_count, require_gift_count

PAID = {
    "paid_message": ("super_chat", False),
    "paid_sticker": ("super_sticker", False),
    "ticker_paid_message_item": ("super_chat", True),
    "ticker_paid_sticker_item": ("super_sticker", True),
}


def accepts(record: Any) -> bool:
    """A chat-downloader YouTube item: it has ``action_type`` and ``message_type``."""
    return isinstance(record, dict) and "action_type" in record and "message_type" in record


def sniff(head: bytes) -> bool:
    # keys are sorted in chat-downloader's files: action_type comes first, message_type after the author
    return b'"action_type"' in head


def decode(item: Any) -> Found | None:
    if not isinstance(item, dict):
        raise FieldError("(item)", "not a chat-downloader item (a JSON object)")
    kind = item.get("message_type")
    if not isinstance(kind, str):
        raise FieldError("message_type", "missing")
    message_id = text_at(item, "message_id")
    if message_id is None and kind.startswith("ticker_"):
        raise FieldError("message_id", "missing: a ticker copy without an id cannot be matched to its chat item")
    if kind in PAID:
        feature, ticker = PAID[kind]
        return Found(message_id, ticker, partial(_paid, feature, item))
    if kind == "membership_item":
        return Found(message_id, False, partial(_memberships, item, 1))
    if kind == "ticker_sponsor_item":
        return Found(message_id, True, partial(_memberships, item, gift_count(item.get("message") or "") or 1))
    if kind == "sponsorships_gift_purchase_announcement":
        count = require_gift_count(item.get("message") or "", "message")
        return Found(message_id, False, partial(_memberships, item, count))
    if kind == "donation_announcement":
        return Found(message_id, False, partial(_giving, item))
    if item.get("money") is not None:
        raise FieldError("message_type", f"{kind!r} carries money but livemoney has no rule to read it")
    return None


def _common(item: dict) -> dict[str, Any]:
    return {
        "platform": KEY,
        "id": text_at(item, "message_id"),
        "viewer": text_at(item, "author.name"),
        "ts": time_at(item, "timestamp", "us"),
    }


def _paid(feature: str, item: dict) -> Event:
    amount = parse_display(need(item, "money.text"), "money.text")
    return Donation(feature=feature, amount=amount, **_common(item))


def _memberships(item: dict, count: int) -> Event:
    return Donation(feature="membership", count=count, **_common(item))


def _giving(item: dict) -> Event:
    text = item.get("message") if isinstance(item.get("message"), str) else ""
    return Donation(feature="giving", amount=donated_amount(text, "message"), **_common(item))


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, single, decode)


READER = Reader(
    name="chat-downloader",
    platform=KEY,
    description="chat-downloader (xenova) YouTube items, a JSON array or JSON lines (superchat and ticker groups)",
    sniff=sniff,
    read=read_with_decoder(make_decoder),
    decoder=make_decoder,
    accepts=accepts,
)
