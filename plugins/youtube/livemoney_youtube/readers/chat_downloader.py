"""chat-downloader's YouTube items (``chat_downloader --output chat.json``: a JSON array or JSON lines).

event-formats.md 2.2: ``message_type`` names the renderer; ``money.text`` is re-read into a Decimal
(``money.amount`` is a float); ``timestamp`` is in microseconds. With the ``tickers`` group every paid
message comes twice under one ``message_id``; ``donation_announcement`` items have lost their amount.

chat-downloader 0.2.8's ``_parse_item`` maps a membership item's ``headerPrimaryText`` to
``header_primary_text`` (a milestone: "Member for 27 months") and its ``headerSubtext`` to
``header_secondary_text`` ("Welcome to The Fam!"); a milestone's ``message`` is the member's own
comment. A gift purchase's ``message`` is YouTube's header ("Sent 5 … gift memberships"), and so is a
gift ticker's (the ticker takes the fields of the item it shows).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from livemoney import Event
from livemoney.kit import NOT_READ, FieldError, decoder_reader, timestamp

from livemoney_youtube.readers.currencies import parse_display
from livemoney_youtube.readers.decoding import (
    ChatDecoder,
    Found,
    Skip,
    donation,
    single,
    text_at,
    text_of,
    time_at,
)
from livemoney_youtube.readers.wording import donated_amount, gift_count, require_gift_count
from livemoney_youtube.rules import KEY

PAID = {
    "paid_message": ("super_chat", False),
    "paid_sticker": ("super_sticker", False),
    "ticker_paid_message_item": ("super_chat", True),
    "ticker_paid_sticker_item": ("super_sticker", True),
}
NO_MONEY = frozenset(
    {
        "text_message",
        "viewer_engagement_message",
        "mode_change_message",
        "placeholder_item",
        "deleted_message",
        "ban_user",
        "banner",
        "banner_header",
        "remove_banner",
        "tooltip",
        "sponsorships_header",
        "auto_mod_message",
        "moderation_message",
        "restricted_participation",
        "product_item",
        # a viewer receiving a gifted membership: the gifter's purchase counts it
        "sponsorships_gift_redemption_announcement",
    }
)
"""Message types without money: chat-downloader 0.2.8's groups messages, engagement, mode_changes,
deleted, bans, banners, placeholder, and the other renderers it names (renderer name without
``liveChat``/``Renderer``, snake_cased)."""


_SKIPS = {kind: Skip(kind) for kind in NO_MONEY}


def accepts(record: Any) -> bool:
    """A chat-downloader YouTube item: it has ``action_type`` and ``message_type``."""
    return isinstance(record, dict) and "action_type" in record and "message_type" in record


def sniff(head: bytes) -> bool:
    # keys are sorted in chat-downloader's files: action_type comes first, message_type after the author
    return b'"action_type"' in head


def decode(item: Any) -> Found | Skip:
    if item.__class__ is not dict and not isinstance(item, dict):
        raise FieldError("(item)", "not a chat-downloader item (a JSON object)")
    kind = item.get("message_type")
    if not isinstance(kind, str):
        raise FieldError("message_type", "missing")
    skip = _SKIPS.get(kind)
    if skip is not None:  # most items: a chat message
        return skip
    # the fields every item with money names, each read once (`text_at` and `raw_at` of one step, inline)
    message_id = text_of(item.get("message_id"))
    author = item.get("author")
    viewer = text_of(author.get("name")) if isinstance(author, dict) else None
    at = item.get("timestamp")
    who = (viewer, None if at is None or isinstance(at, (dict, list)) else str(at))
    paid = PAID.get(kind)
    if paid is not None:
        feature, ticker = paid
        if message_id is None and ticker:
            raise FieldError("message_id", "missing: a ticker copy without an id cannot be matched to its chat item")
        return Found(kind, message_id, partial(_paid, feature, item, message_id, viewer, at), ticker, who)
    if message_id is None and kind.startswith("ticker_"):
        raise FieldError("message_id", "missing: a ticker copy without an id cannot be matched to its chat item")
    if kind == "membership_item":
        if text_at(item, "header_primary_text"):
            return Skip(f"{kind} (milestone)")
        return Found(kind, message_id, partial(_memberships, item, message_id, viewer, 1), False, who)
    if kind == "legacy_paid_message":
        # before 2019 a new member came in this renderer (liveChatLegacyPaidMessageRenderer, as innertube reads it)
        return Found(kind, message_id, partial(_memberships, item, message_id, viewer, 1), False, who)
    if kind == "ticker_sponsor_item":
        return _sponsor_ticker(item, message_id, who)
    if kind == "sponsorships_gift_purchase_announcement":
        count = require_gift_count(_text(item, "message"), "message")
        return Found(kind, message_id, partial(_memberships, item, message_id, viewer, count), False, who)
    if kind == "donation_announcement":
        return Found(kind, message_id, partial(_giving, item, message_id, viewer), False, who)
    return Skip(kind) if kind in NO_MONEY else Skip(kind, NOT_READ)


def _sponsor_ticker(item: dict, message_id: str | None, who: tuple[str | None, str | None]) -> Found | Skip:
    """A membership ticker: a milestone (no money), a new member, a gift purchase, or (with none of the
    fields of the item it shows) a ticker that cannot be told."""
    kind = "ticker_sponsor_item"
    if text_at(item, "header_primary_text"):
        return Skip(f"{kind} (milestone)")
    if text_at(item, "header_secondary_text"):
        return Found(kind, message_id, partial(_memberships, item, message_id, who[0], 1), True, who)
    count = gift_count(_text(item, "message"))
    if count is not None:
        return Found(kind, message_id, partial(_memberships, item, message_id, who[0], count), True, who)
    return Found(kind, message_id, lambda: Skip(f"{kind} (no item shown)", NOT_READ), True, who)


def _text(item: dict, field: str) -> str:
    value = item.get(field)
    return value if isinstance(value, str) else ""


def _paid(feature: str, item: dict, message_id: str | None, viewer: str | None, at: Any) -> Event:
    """A Super Chat or Super Sticker: ``money.text`` read exactly, ``at`` the item's ``timestamp`` (µs, as read)."""
    money = item.get("money")
    text = money.get("text") if isinstance(money, dict) else None
    if text is None:
        raise FieldError("money.text", "missing")
    amount = parse_display(text, "money.text")
    return donation(feature, message_id, viewer, None if at is None else timestamp(at, "timestamp", "us"), amount)


def _memberships(item: dict, message_id: str | None, viewer: str | None, count: int) -> Event:
    return donation("membership", message_id, viewer, time_at(item, "timestamp", "us"), count=count)


def _giving(item: dict, message_id: str | None, viewer: str | None) -> Event:
    amount = donated_amount(_text(item, "message"), "message", viewer)
    return donation("giving", message_id, viewer, time_at(item, "timestamp", "us"), amount)


def make_decoder(source: str) -> ChatDecoder:
    return ChatDecoder(source, single, decode, kind_field="message_type", by_kind=_SKIPS)


READER = decoder_reader(
    name="chat-downloader",
    platform=KEY,
    description="chat-downloader (xenova) YouTube items, a JSON array or JSON lines (superchat and ticker groups)",
    sniff=sniff,
    decoder=make_decoder,
    accepts=accepts,
)
