"""Readers for Facebook Live captures: Stars in chat-downloader items, reaction totals, Graph API comments.

- ``facebook-chat-downloader``: chat-downloader's Facebook items (a JSON array or JSON Lines). An item
  with Stars carries an attachment whose ``__typename`` is ``VideoTipJarPayment`` with
  ``spark_quantity``, or the text chat-downloader renders from it, "Sent N Stars"; it becomes
  ``Donation(feature="stars", amount=Money(N, "stars"))``. Other items are comments: no money, skipped
  (their ``reactions`` are reactions to a comment, not to the stream).
- ``facebook-live-reactions``: the ``live_reactions`` Server-Sent Events (``reaction_stream``), as
  JSON Lines or as the raw ``data: {...}`` lines. Each event holds running totals per reaction type;
  a `Like` is the increase since the previous event (the first totals count from 0), never a total
  counted again.
- ``facebook-graph-comments``: ``GET /{live-video-id}/comments`` pages and ``live_comments`` events.
  Comments carry no money: valid ones are skipped, never rejected.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from livemoney import Donation, Event, Like, Money, Reader, Rejected
from livemoney.records import FieldError, first_record, get, read_with_decoder, timestamp

KEY = "facebook"
STARS_TEXT = re.compile(r"Sent (\d{1,3}(?:,\d{3})+|\d+) Stars?")


def _raw(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


def _whole(value: Any, field: str, least: int) -> int:
    """A whole number of at least ``least`` from an int, an integral Decimal or a digit string."""
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", value.strip()):
        value = int(value.strip().replace(",", ""))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise FieldError(field, f"{value!r} is not a whole number of at least {least}")
    return value


# --- chat-downloader items: Stars ------------------------------------------------------------


def _tip(node: Any, path: str) -> tuple[str, Any] | None:
    """Where a Stars payment sits in an attachment, and its quantity (raw)."""
    if isinstance(node, dict):
        if node.get("__typename") == "VideoTipJarPayment":
            if "spark_quantity" not in node:
                raise FieldError(f"{path}.spark_quantity", "missing in a VideoTipJarPayment")
            return f"{path}.spark_quantity", node["spark_quantity"]
        children = ((f"{path}.{key}", value) for key, value in node.items())
    elif isinstance(node, list):
        children = ((f"{path}[{index}]", value) for index, value in enumerate(node))
    elif isinstance(node, str):
        match = STARS_TEXT.fullmatch(node.strip())
        return (path, match.group(1)) if match else None
    else:
        return None
    for child_path, child in children:
        found = _tip(child, child_path)
        if found is not None:
            return found
    return None


def _stars(item: dict) -> tuple[str, Any] | None:
    attachments = item.get("attachments") or []
    if not isinstance(attachments, list):
        raise FieldError("attachments", f"{attachments!r} is not a list")
    found = _tip(attachments, "attachments")
    if found is None and isinstance(item.get("message"), str):
        match = STARS_TEXT.fullmatch(item["message"].strip())
        found = ("message", match.group(1)) if match else None
    return found


def is_chat_downloader_item(record: Any) -> bool:
    """A chat-downloader Facebook item (not a YouTube one: those have ``action_type``)."""
    if not isinstance(record, dict) or "message_id" not in record or "action_type" in record:
        return False
    url = get(record, "author.url")
    return "attachments" in record or "reactions" in record or (isinstance(url, str) and "facebook.com/" in url)


class ChatDownloaderDecoder:
    """chat-downloader Facebook items → Stars donations; comments without Stars are skipped."""

    def __init__(self, source: str) -> None:
        self.source = source

    def feed(self, record: Any, line: int) -> Iterator[Event | Rejected]:
        if not isinstance(record, dict):
            yield Rejected(self.source, line, "(record)", "not a chat-downloader item (a JSON object)", _raw(record))
            return
        try:
            found = _stars(record)
            if found is None:
                return
            field, quantity = found
            stars = _whole(quantity, field, 1)
            when = record.get("timestamp")
            author = record.get("author") if isinstance(record.get("author"), dict) else {}
            viewer = author.get("name") or author.get("id")
            message_id = record.get("message_id")
            yield Donation(
                platform=KEY,
                feature="stars",
                amount=Money(stars, "stars"),
                viewer=str(viewer) if viewer is not None else None,
                ts=None if when is None else timestamp(when, "timestamp", unit="us"),
                id=str(message_id) if message_id is not None else None,
                source=f"{self.source}:{line}",
            )
        except FieldError as error:
            yield Rejected(self.source, line, error.field, error.problem, _raw(record))

    def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Rejected]:
        return ()


def _sniff_chat_downloader(head: bytes) -> bool:
    first = first_record(head)
    if not isinstance(first, dict) or "message_id" not in first or "action_type" in first:
        return False
    markers = (b"VideoTipJarPayment", b'"spark_quantity"', b'"reaction_types"')
    return is_chat_downloader_item(first) or any(marker in head for marker in markers)


# --- Server-Sent Events ----------------------------------------------------------------------


# --- live_reactions: running totals ----------------------------------------------------------


def _totals(record: Any) -> list[tuple[str, int]]:
    entries = record.get("reaction_stream") if isinstance(record, dict) else None
    if not isinstance(entries, list):
        raise FieldError("reaction_stream", "missing" if entries is None else f"{entries!r} is not a list")
    totals = []
    for index, entry in enumerate(entries):
        field = f"reaction_stream[{index}]"
        if not isinstance(entry, dict):
            raise FieldError(field, f"{entry!r} is not an object with key and value")
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            raise FieldError(f"{field}.key", f"{key!r} is not a reaction type such as LIKE")
        totals.append((key, _whole(entry.get("value"), f"{field}.value", 0)))
    return totals


class ReactionTotalsDecoder:
    """``reaction_stream`` running totals → `Like` events of the increases.

    Each event gives, per reaction type, the total since the counter started; the first total seen
    counts from 0. A total lower than the previous one means a new counter (a reconnect): it counts
    from 0 again, so no negative likes and nothing counted twice. ``flush(None)`` (a disconnect, the
    end of a log) forgets the totals, since the next connection starts new counters.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._last: dict[str, int] = {}

    def feed(self, record: Any, line: int) -> Iterator[Event | Rejected]:
        try:
            totals = _totals(record)
        except FieldError as error:
            yield Rejected(self.source, line, error.field, error.problem, _raw(record))
            return
        added = 0
        for key, total in totals:
            last = self._last.get(key, 0)
            added += total - last if total >= last else total
            self._last[key] = total
        if added:
            yield Like(platform=KEY, count=added, source=f"{self.source}:{line}")

    def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Rejected]:
        if now is None:
            self._last.clear()
        return ()


def is_reaction_totals(record: Any) -> bool:
    """A ``live_reactions`` event (``{"reaction_stream": [...]}``)."""
    return isinstance(record, dict) and "reaction_stream" in record


def _sniff_reactions(head: bytes) -> bool:
    return is_reaction_totals(first_record(head))


# --- Graph API comments: no money ------------------------------------------------------------


def _is_comment(item: Any) -> bool:
    return isinstance(item, dict) and "id" in item and "message" in item


def is_graph_comments(record: Any) -> bool:
    """A comments page (``{"data": [...]}``), a ``live_comments`` event or one comment."""
    if isinstance(record, dict) and isinstance(record.get("data"), list):
        return all(_is_comment(item) for item in record["data"])
    # Outside a page, "from" sets a comment apart from other chat items with an id and a message (pytchat's).
    return _is_comment(record) and "message_id" not in record and isinstance(record.get("from"), dict)


class CommentsDecoder:
    """Graph API comments carry no money: valid ones yield nothing; anything else is rejected."""

    def __init__(self, source: str) -> None:
        self.source = source

    def feed(self, record: Any, line: int) -> Iterator[Event | Rejected]:
        if isinstance(record, dict) and isinstance(record.get("error"), dict):
            problem = f"the Graph API answered an error: {record['error'].get('message', '(no message)')}"
            yield Rejected(self.source, line, "error", problem, _raw(record))
            return
        if isinstance(record, dict) and isinstance(record.get("data"), list):
            items = [(f"data[{index}]", item) for index, item in enumerate(record["data"])]
        else:
            items = [("(record)", record)]
        for field, item in items:
            if not _is_comment(item):
                yield Rejected(
                    self.source, line, field, "not a Graph API comment (an object with id and message)", _raw(item)
                )

    def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Rejected]:
        return ()


def _sniff_comments(head: bytes) -> bool:
    return is_graph_comments(first_record(head))


READERS = (
    Reader(
        name="facebook-chat-downloader",
        platform=KEY,
        description="chat-downloader's Facebook items (JSON array or JSON Lines): Stars; comments are skipped",
        sniff=_sniff_chat_downloader,
        read=read_with_decoder(ChatDownloaderDecoder),
        decoder=ChatDownloaderDecoder,
        accepts=is_chat_downloader_item,
    ),
    Reader(
        name="facebook-live-reactions",
        platform=KEY,
        description="Graph API live_reactions events (reaction_stream running totals): likes of the increases",
        sniff=_sniff_reactions,
        read=read_with_decoder(ReactionTotalsDecoder),
        decoder=ReactionTotalsDecoder,
        accepts=is_reaction_totals,
    ),
    Reader(
        name="facebook-graph-comments",
        platform=KEY,
        description="Graph API comments (GET /{live-video-id}/comments, live_comments): no money, skipped",
        sniff=_sniff_comments,
        read=read_with_decoder(CommentsDecoder),
        decoder=CommentsDecoder,
        accepts=is_graph_comments,
    ),
)
