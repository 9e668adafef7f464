"""Readers for Facebook Live captures: Stars in chat-downloader items, reaction totals, Graph API comments.

Every record comes out once: as an event, as a `Skipped` record (``"no money"``, or ``"not read"``
for a kind of record this version does not know, named in the report) or as a `Rejected` one.

- ``facebook-chat-downloader``: chat-downloader's Facebook items (a JSON array or JSON Lines). An item
  with Stars carries an attachment whose ``__typename`` is ``VideoTipJarPayment`` with
  ``spark_quantity``, or the text chat-downloader renders from it, "Sent N Stars"; it becomes
  ``Donation(feature="stars", amount=Money(N, "stars"))``. Other items are comments: no money (their
  ``reactions`` are reactions to a comment, not to the stream). An item with an attachment of a type
  chat-downloader does not list, or a fundraiser donation (money to a cause, which no rule here
  values), is not read, under its type's name.
- ``facebook-live-reactions``: the ``live_reactions`` Server-Sent Events (``reaction_stream``), as
  JSON Lines or as the raw ``data: {...}`` lines. Each event holds running totals per reaction type;
  a `Like` is the increase since the previous event (the first totals count from 0), never a total
  counted again; totals with no increase carry nothing new.
- ``facebook-graph-comments``: ``GET /{live-video-id}/comments`` pages and ``live_comments`` events:
  one comment an item, no money.

Graph API streams and pages hold objects with an ``id`` and the fields asked for; one that is neither
of the reader's kind nor an error (``{"id": "9119", "live_views": 1520}``, a reaction of
``GET /{id}/reactions``) is not read, named by its fields (``live_views``, ``reaction``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from livemoney import Donation, Event, Like, Money, Reader, Rejected
from livemoney.kit import NO_MONEY, NOT_READ, FieldError, Skipped, first_record, get, read_with_decoder, timestamp

KEY = "facebook"
STARS_TEXT = re.compile(r"Sent (\d{1,3}(?:,\d{3})+|\d+) Stars?")
COMMENT = "comment"
NO_INCREASE = "reaction totals with no increase"
EMPTY_PAGE = "empty page"
REACTION_TYPES = frozenset(
    ("NONE", "LIKE", "LOVE", "WOW", "HAHA", "SAD", "ANGRY", "THANKFUL", "PRIDE", "CARE", "FIRE", "HUNDRED")
)
"""The ``type`` of a reaction in the Graph API (``GET /{object-id}/reactions``)."""
GRAPH_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")

Item = Event | Skipped | Rejected


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

STARS_TYPE = "VideoTipJarPayment"
ATTACHMENTS_WITHOUT_MONEY = frozenset(
    (
        "Sticker",
        "Page",
        "Video",
        "Group",
        "ProfilePicAttachmentMedia",
        "User",
        "Photo",
        "ExternalUrl",
        "GenericAttachmentMedia",
        "ChatCommandResult",
        "CommentMessageInfo",
        "Event",
        "StoryAttachment",
    )
)
"""Attachment types of a comment that carry no money: those chat-downloader knows (its
``_KNOWN_ATTACHMENT_TYPES``, sites/facebook.py) but Stars and fundraiser donations, and the attachment
itself. chat-downloader writes a type split into words ("Video Tip Jar Payment"); it is compared
without the spaces."""
MEDIA_KEYS = ("target", "media", "style_infos")


def _tip(node: Any, path: str) -> tuple[str, Any] | None:
    """Where a Stars payment sits in an attachment, and its quantity (raw)."""
    if isinstance(node, dict):
        if node.get("__typename") == STARS_TYPE:
            if "spark_quantity" not in node:
                raise FieldError(f"{path}.spark_quantity", f"missing in a {STARS_TYPE}")
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


def _attachment_types(node: Any, media: bool = False) -> Iterator[str]:
    """The types an attachment names: GraphQL ``__typename``s, and the ``type`` chat-downloader writes
    for an attachment's target, media or style."""
    if isinstance(node, list):
        for child in node:
            yield from _attachment_types(child, media)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "__typename" or (key == "type" and media):
                if isinstance(value, str) and not value.endswith("Renderer"):
                    yield value.replace(" ", "")
            else:
                yield from _attachment_types(value, key in MEDIA_KEYS)


def _unknown_attachment(item: dict) -> str | None:
    """The first attachment type of ``item`` that is known to carry no money, if any is not."""
    return next(
        (name for name in _attachment_types(item.get("attachments")) if name not in ATTACHMENTS_WITHOUT_MONEY), None
    )


def is_chat_downloader_item(record: Any) -> bool:
    """A chat-downloader Facebook item (not a YouTube one: those have ``action_type``)."""
    if not isinstance(record, dict) or "message_id" not in record or "action_type" in record:
        return False
    url = get(record, "author.url")
    return "attachments" in record or "reactions" in record or (isinstance(url, str) and "facebook.com/" in url)


class ChatDownloaderDecoder:
    """chat-downloader Facebook items → Stars donations; comments carry no money; other attachments are
    not read, under their type."""

    def __init__(self, source: str) -> None:
        self.source = source

    def feed(self, record: Any, line: int) -> Iterator[Item]:
        if not isinstance(record, dict):
            yield Rejected(self.source, line, "(record)", "not a chat-downloader item (a JSON object)", _raw(record))
            return
        try:
            found = _stars(record)
            if found is None:
                yield self._without_stars(record, line)
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

    def _without_stars(self, record: dict, line: int) -> Skipped:
        unknown = _unknown_attachment(record)
        if unknown is not None:
            return Skipped(self.source, line, unknown, NOT_READ)
        kind = record.get("message_type")
        if isinstance(kind, str) and kind not in ("", "text_message"):
            return Skipped(self.source, line, kind, NOT_READ)
        return Skipped(self.source, line, COMMENT, NO_MONEY)

    def flush(self, now: dt.datetime | None = None) -> Iterable[Item]:
        return ()


def _sniff_chat_downloader(head: bytes) -> bool:
    first = first_record(head)
    if not isinstance(first, dict) or "message_id" not in first or "action_type" in first:
        return False
    markers = (STARS_TYPE.encode(), b'"spark_quantity"', b'"reaction_types"')
    return is_chat_downloader_item(first) or any(marker in head for marker in markers)


# --- Graph API objects -----------------------------------------------------------------------


def _is_comment(item: Any) -> bool:
    return isinstance(item, dict) and "id" in item and "message" in item


def _graph_error(record: Any) -> str | None:
    if isinstance(record, dict) and isinstance(record.get("error"), dict):
        return f"the Graph API answered an error: {record['error'].get('message', '(no message)')}"
    return None


def _graph_kind(item: Any) -> str | None:
    """The name of a Graph API object (it has an ``id``) that is no comment: ``reaction`` for an item of
    ``GET /{id}/reactions``, else the fields it holds besides its id (``live_views``). ``None`` for what
    is no Graph API object."""
    if not isinstance(item, dict) or "id" not in item:
        return None
    if isinstance(item.get("type"), str) and item["type"] in REACTION_TYPES:
        return "reaction"
    fields = sorted(key for key in item if key != "id")
    if fields and all(isinstance(key, str) and GRAPH_FIELD.match(key) for key in fields):
        return ",".join(fields)
    return None


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
    from 0 again, so no negative likes and nothing counted twice. Totals with no increase carry no
    money and nothing new. ``flush(None)`` (a disconnect, the end of a log) forgets the totals, since
    the next connection starts new counters. A comment (of ``live_comments``, in the same capture)
    carries no money; another Graph API object is not read.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._last: dict[str, int] = {}

    def feed(self, record: Any, line: int) -> Iterator[Item]:
        problem = _graph_error(record)
        if problem is not None:
            yield Rejected(self.source, line, "error", problem, _raw(record))
            return
        if not is_reaction_totals(record):
            kind = COMMENT if _is_comment(record) else _graph_kind(record)
            if kind is None:
                yield Rejected(self.source, line, "reaction_stream", "missing", _raw(record))
            else:
                yield Skipped(self.source, line, kind, NO_MONEY if kind == COMMENT else NOT_READ)
            return
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
        else:
            yield Skipped(self.source, line, NO_INCREASE, NO_MONEY)

    def flush(self, now: dt.datetime | None = None) -> Iterable[Item]:
        if now is None:
            self._last.clear()
        return ()


def is_reaction_totals(record: Any) -> bool:
    """A ``live_reactions`` event (``{"reaction_stream": [...]}``)."""
    return isinstance(record, dict) and "reaction_stream" in record


def _sniff_reactions(head: bytes) -> bool:
    return is_reaction_totals(first_record(head))


# --- Graph API comments: no money ------------------------------------------------------------


def is_graph_comments(record: Any) -> bool:
    """A comments page (``{"data": [...]}``), a ``live_comments`` event or one comment."""
    if isinstance(record, dict) and isinstance(record.get("data"), list):
        return all(_is_comment(item) for item in record["data"])
    # Outside a page, "from" sets a comment apart from other chat items with an id and a message (pytchat's).
    return _is_comment(record) and "message_id" not in record and isinstance(record.get("from"), dict)


class CommentsDecoder:
    """Graph API comments carry no money: each comment, on a page or alone, is skipped as ``comment``;
    another Graph API object is not read; a Graph API error or what is no object is rejected."""

    def __init__(self, source: str) -> None:
        self.source = source

    def feed(self, record: Any, line: int) -> Iterator[Item]:
        problem = _graph_error(record)
        if problem is not None:
            yield Rejected(self.source, line, "error", problem, _raw(record))
            return
        if isinstance(record, dict) and isinstance(record.get("data"), list):
            if not record["data"]:
                yield Skipped(self.source, line, EMPTY_PAGE, NO_MONEY)
            items = [(f"data[{index}]", item) for index, item in enumerate(record["data"])]
        else:
            items = [("(record)", record)]
        for field, item in items:
            if _is_comment(item):
                yield Skipped(self.source, line, COMMENT, NO_MONEY)
                continue
            kind = _graph_kind(item)
            if kind is None:
                yield Rejected(
                    self.source, line, field, "not a Graph API comment (an object with id and message)", _raw(item)
                )
            else:
                yield Skipped(self.source, line, kind, NOT_READ)

    def flush(self, now: dt.datetime | None = None) -> Iterable[Item]:
        return ()


def _sniff_comments(head: bytes) -> bool:
    return is_graph_comments(first_record(head))


READERS = (
    Reader(
        name="facebook-chat-downloader",
        platform=KEY,
        description="chat-downloader's Facebook items (JSON array or JSON Lines): Stars; comments carry no money",
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
        description="Graph API comments (GET /{live-video-id}/comments, live_comments): no money",
        sniff=_sniff_comments,
        read=read_with_decoder(CommentsDecoder),
        decoder=CommentsDecoder,
        accepts=is_graph_comments,
    ),
)
