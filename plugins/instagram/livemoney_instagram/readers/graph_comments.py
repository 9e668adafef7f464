"""The ``instagram-graph-comments`` reader: ``live_comments`` webhook payloads, ``GET /{ig-media-id}/comments``
pages, single comments.

Each comment (of a page, of a webhook's changes) carries no money and comes out as a `Skipped`
``comment``; a webhook change of another field (``mentions``, ``story_insights``) or another object's
webhook (``page``) is not read, named by its field or object. Every record comes out once, as a `Skipped`
record or a `Rejected` one.
"""

from __future__ import annotations

import json
from typing import Any

from livemoney.kit import (
    NO_MONEY,
    NOT_READ,
    Event,
    RecordDecoder,
    Rejected,
    Skipped,
    decoder_reader,
    first_record,
    skipped,
    unchecked,
)

from livemoney_instagram.rules import KEY

COMMENT = "comment"
COMMENT_FIELDS = ("live_comments", "comments")
"""Webhook fields whose value is one comment (on a live video; on any media)."""
EMPTY_PAGE = "empty page"

Item = Event | Skipped | Rejected


def _raw(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


def _is_comment(item: Any) -> bool:
    return isinstance(item, dict) and "id" in item and "text" in item


def _is_change(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("field"), str) and "value" in item


def is_graph_comments(record: Any) -> bool:
    """A webhook payload (``{"object": "instagram", "entry": [...]}``), one change, a comments page
    (``{"data": [...]}``) or one comment."""
    if not isinstance(record, dict):
        return False
    if isinstance(record.get("entry"), list):
        return record.get("object") == "instagram"
    if isinstance(record.get("data"), list):
        return all(_is_comment(item) for item in record["data"])
    return _is_change(record) or _is_comment(record)


class CommentsDecoder(RecordDecoder):
    """Instagram comments carry no money: each comment (alone, on a page, in a webhook change) comes out
    as a `Skipped` ``comment``; a change of another field, or another object's webhook, is not read; a
    Graph API error or what is none of these is rejected."""

    _comment = staticmethod(unchecked(Skipped, "line"))
    """``_comment(self._template, line)``: the `Skipped` comment of ``line`` (a whole number from the host)."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self._template = Skipped(source, 1, COMMENT, NO_MONEY)

    def feed(self, record: Any, line: int) -> list[Item]:
        """The outcomes of ``record``, in a list (one record gives one or several, made at once)."""
        if record.__class__ is dict:
            entries = record.get("entry")
            if entries.__class__ is list and not isinstance(record.get("error"), dict):
                return self._webhook(record, entries, line)
        if isinstance(record, dict) and isinstance(record.get("error"), dict):
            problem = f"the Graph API answered an error: {record['error'].get('message', '(no message)')}"
            return [Rejected(self.source, line, "error", problem, _raw(record))]
        if isinstance(record, dict) and isinstance(record.get("entry"), list):
            return self._webhook(record, record["entry"], line)
        if isinstance(record, dict) and isinstance(record.get("data"), list):
            if not record["data"]:
                return [Skipped(self.source, line, EMPTY_PAGE, NO_MONEY)]
            out: list[Item] = []
            for index, item in enumerate(record["data"]):
                if _is_comment(item):
                    out.append(skipped(self.source, line, COMMENT))
                else:
                    problem = "not an Instagram comment (an object with id and text)"
                    out.append(Rejected(self.source, line, f"data[{index}]", problem, _raw(item)))
            return out
        if _is_change(record):
            return [self._change(record, "(record)", line)]
        if _is_comment(record):
            return [skipped(self.source, line, COMMENT)]
        problem = "not an Instagram comment, comments page or live_comments webhook payload"
        return [Rejected(self.source, line, "(record)", problem, _raw(record))]

    def _webhook(self, record: dict, entries: list, line: int) -> list[Item]:
        """One outcome a change (or message) of an Instagram webhook (``entries``: its ``entry`` list); one for
        another object's webhook."""
        subject = record.get("object")
        if subject != "instagram":
            if isinstance(subject, str) and subject:
                return [Skipped(self.source, line, f"{subject} webhook", NOT_READ)]
            return [Rejected(self.source, line, "object", f"{subject!r} is not a webhook object", _raw(record))]
        if not entries:
            return [Rejected(self.source, line, "entry", "no entry in the webhook payload", _raw(record))]
        out: list[Item] = []
        for index, entry in enumerate(entries):
            changes = entry.get("changes") if isinstance(entry, dict) else None
            messages = entry.get("messaging") if isinstance(entry, dict) else None
            changes = changes if isinstance(changes, list) else []
            messages = messages if isinstance(messages, list) else []
            if not changes and not messages:
                problem = "no changes (nor messaging) in a webhook entry"
                out.append(Rejected(self.source, line, f"entry[{index}]", problem, _raw(entry)))
            for number, change in enumerate(changes):
                if change.__class__ is dict and change.get("field") in COMMENT_FIELDS and _is_comment(change.get("value")):
                    out.append(self._comment(self._template, line))  # what `_change` makes of it, made faster
                else:
                    out.append(self._change(change, f"entry[{index}].changes[{number}]", line))
            # Instagram Messaging webhooks list direct messages under "messaging": not read here.
            for _ in messages:
                out.append(Skipped(self.source, line, "messaging", NOT_READ))
        return out

    def _change(self, change: Any, field: str, line: int) -> Item:
        if not _is_change(change):
            return Rejected(self.source, line, field, "not a webhook change (field and value)", _raw(change))
        if change["field"] not in COMMENT_FIELDS:
            return Skipped(self.source, line, change["field"], NOT_READ)
        if not _is_comment(change["value"]):
            problem = "not an Instagram comment (an object with id and text)"
            return Rejected(self.source, line, f"{field}.value", problem, _raw(change))
        return skipped(self.source, line, COMMENT)


READER = decoder_reader(
    name="instagram-graph-comments",
    platform=KEY,
    decoder=CommentsDecoder,
    accepts=is_graph_comments,
    sniff=lambda head: is_graph_comments(first_record(head)),
    description="Instagram Graph API live_comments webhooks and comments pages: comments, no money",
)
