"""The ``facebook-graph-comments`` reader: ``GET /{live-video-id}/comments`` pages and ``live_comments``
events, one comment an item, no money; and what every Graph API reader knows of Graph API objects.

Graph API streams and pages hold objects with an ``id`` and the fields asked for; one that is neither of
the reader's kind nor an error (``{"id": "9119", "live_views": 1520}``, a reaction of
``GET /{id}/reactions``) is not read, named by its fields (``live_views``, ``reaction``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from livemoney.kit import NO_MONEY, NOT_READ, RecordDecoder, Rejected, Skipped, decoder_reader, first_record

from livemoney_facebook.readers.records import COMMENT, Item, raw
from livemoney_facebook.rules import KEY

EMPTY_PAGE = "empty page"
REACTION_TYPES = frozenset(
    ("NONE", "LIKE", "LOVE", "WOW", "HAHA", "SAD", "ANGRY", "THANKFUL", "PRIDE", "CARE", "FIRE", "HUNDRED")
)
"""The ``type`` of a reaction in the Graph API (``GET /{object-id}/reactions``)."""
GRAPH_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")

# --- Graph API objects -----------------------------------------------------------------------


def is_comment(item: Any) -> bool:
    return isinstance(item, dict) and "id" in item and "message" in item


def graph_error(record: Any) -> str | None:
    if isinstance(record, dict) and isinstance(record.get("error"), dict):
        return f"the Graph API answered an error: {record['error'].get('message', '(no message)')}"
    return None


def graph_kind(item: Any) -> str | None:
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


# --- Graph API comments: no money ------------------------------------------------------------


def is_graph_comments(record: Any) -> bool:
    """A comments page (``{"data": [...]}``), a ``live_comments`` event or one comment."""
    if isinstance(record, dict) and isinstance(record.get("data"), list):
        return all(is_comment(item) for item in record["data"])
    # Outside a page, "from" sets a comment apart from other chat items with an id and a message (pytchat's).
    return is_comment(record) and "message_id" not in record and isinstance(record.get("from"), dict)


class CommentsDecoder(RecordDecoder):
    """Graph API comments carry no money: each comment, on a page or alone, is skipped as ``comment``;
    another Graph API object is not read; a Graph API error or what is no object is rejected."""

    def feed(self, record: Any, line: int) -> Iterator[Item]:
        problem = graph_error(record)
        if problem is not None:
            yield Rejected(self.source, line, "error", problem, raw(record))
            return
        if isinstance(record, dict) and isinstance(record.get("data"), list):
            if not record["data"]:
                yield Skipped(self.source, line, EMPTY_PAGE, NO_MONEY)
            items = [(f"data[{index}]", item) for index, item in enumerate(record["data"])]
        else:
            items = [("(record)", record)]
        for field, item in items:
            if is_comment(item):
                yield Skipped(self.source, line, COMMENT, NO_MONEY)
                continue
            kind = graph_kind(item)
            if kind is None:
                yield Rejected(
                    self.source, line, field, "not a Graph API comment (an object with id and message)", raw(item)
                )
            else:
                yield Skipped(self.source, line, kind, NOT_READ)



READER = decoder_reader(
    name="facebook-graph-comments", platform=KEY, decoder=CommentsDecoder, accepts=is_graph_comments,
    sniff=lambda head: is_graph_comments(first_record(head)),
    description="Graph API comments (GET /{live-video-id}/comments, live_comments): no money",
)
