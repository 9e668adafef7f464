"""The ``facebook-chat-downloader`` reader: chat-downloader's Facebook items (a JSON array or JSON Lines).

An item with Stars carries an attachment whose ``__typename`` is ``VideoTipJarPayment`` with
``spark_quantity`` (GraphQL's node), or, as chat-downloader writes it, a ``target`` of ``type``
"video_tip_jar_payment" with ``quantity`` and the text it renders, "Sent N Stars"; it becomes
``Donation(feature="stars", amount=Money(N, "stars"))``. The comment's text is never read for Stars: a
viewer can type "Sent 5000 Stars" (chat-downloader writes only what the viewer typed in ``message``). Two
Stars payments in one item reject it (which is meant is not guessed). Other items are comments: no money (their
``reactions`` are reactions to a comment, not to the stream). An item with an attachment of a type
chat-downloader does not list, or a fundraiser donation (money to a cause, which no rule here values: GraphQL's
``FundraiserForStoryDonationAttachmentStyleInfo``, or as chat-downloader writes it, a ``style_infos`` holding the
donation's text), is not read, under its type's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from livemoney.kit import (
    MAX_AMOUNT,
    NO_MONEY,
    NOT_READ,
    Donation,
    FieldError,
    Money,
    RecordDecoder,
    Rejected,
    Skipped,
    decoder_reader,
    first_record,
    get,
    timestamp,
)

from livemoney_facebook.readers.records import COMMENT, Item, raw, whole
from livemoney_facebook.rules import KEY

STARS_TEXT = re.compile(r"Sent (\d{1,3}(?:,\d{3})+|\d+) Stars?")
STARS_TYPE = "VideoTipJarPayment"
FUNDRAISER = "FundraiserForStoryDonationAttachmentStyleInfo"
"""A fundraiser donation's type (GraphQL's), the kind it is not read under, whichever shape it comes in."""
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
itself. chat-downloader writes a type split into words ("video_tip_jar_payment" in 0.2.8, "Video Tip Jar
Payment" in others); types are compared `_folded`."""
MEDIA_KEYS = ("target", "media", "style_infos")


def _is_stars_type(name: Any) -> bool:
    """Whether ``name`` names a Stars payment: GraphQL's ``VideoTipJarPayment``, or as chat-downloader writes it
    (``camel_case_split``: "video_tip_jar_payment" in 0.2.8), `_folded`."""
    return isinstance(name, str) and _folded(name) == STARS_TYPE.lower()


def _tips(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Where each Stars payment sits in an attachment, and its quantity (raw): only in a node of the Stars type,
    never a text elsewhere (a link's title, a comment the viewer typed: untrusted, never a source of amounts).

    - GraphQL's node: ``__typename`` ``VideoTipJarPayment``, ``spark_quantity``;
    - chat-downloader's (``_parse_attachment_info``): ``type`` as above, ``quantity`` (``spark_quantity``
      renamed), and the text it renders from it, "Sent N Stars", read when ``quantity`` is left out."""
    if isinstance(node, dict):
        if node.get("__typename") == STARS_TYPE:
            if "spark_quantity" not in node:
                raise FieldError(f"{path}.spark_quantity", f"missing in a {STARS_TYPE}")
            yield f"{path}.spark_quantity", node["spark_quantity"]
            return
        if _is_stars_type(node.get("type")):
            if "quantity" in node:
                yield f"{path}.quantity", node["quantity"]
                return
            text = node.get("text")
            match = STARS_TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
            if match is None:
                raise FieldError(f"{path}.quantity", f"missing in a {node['type']!r}, and no 'Sent N Stars' text")
            yield f"{path}.text", match.group(1)
            return
        children: Iterator[tuple[str, Any]] = ((f"{path}.{key}", value) for key, value in node.items())
    elif isinstance(node, list):
        children = ((f"{path}[{index}]", value) for index, value in enumerate(node))
    else:
        return
    for child_path, child in children:
        yield from _tips(child, child_path)


def _stars(item: dict) -> tuple[str, Any] | None:
    """The field and raw quantity of ``item``'s Stars (`_tips` over its attachments), or ``None``; a second Stars
    payment in one item is a `FieldError` naming it (which of them, or both, is not guessed). The comment's own
    text (``message``: what the viewer typed, "Sent 5000 Stars" included) is never read for them."""
    attachments = item.get("attachments") or []
    if not isinstance(attachments, list):
        raise FieldError("attachments", f"{attachments!r} is not a list")
    first = None
    for found in _tips(attachments, "attachments"):
        if first is None:
            first = found
        elif _attachment_of(found[0]) != _attachment_of(first[0]) or not _same_quantity(found, first):
            # one payment may show in several parts of its attachment (its target and its style, say): the same
            # quantity in one attachment is that payment; another attachment or quantity is a second one
            where = first[0].rpartition(".")[0]
            problem = f"a second Stars payment in one comment (the first at {where}): not guessed"
            raise FieldError(found[0].rpartition(".")[0], problem)
    return first


def _same_quantity(one: tuple[str, Any], other: tuple[str, Any]) -> bool:
    """Whether two quantities `_tips` found are one number (100, "100", the 1,000 of "Sent 1,000 Stars"); a quantity
    that is none raises its `FieldError` (its own problem, not "a second payment")."""
    return whole(one[1], one[0], 1, MAX_AMOUNT) == whole(other[1], other[0], 1, MAX_AMOUNT)


def _attachment_of(path: str) -> str:
    """The attachment a path of `_tips` is in: ``attachments[1]`` of ``attachments[1].target.quantity``."""
    return path.partition("]")[0]


def _fundraiser(item: dict) -> bool:
    """Whether ``item`` holds a fundraiser donation as chat-downloader writes it: an attachment's ``style_infos``
    is the donation's entity with the donation's text (``_parse_attachment_info`` puts ``donation_comment_text``'s
    text there; GraphQL's ``__typename`` is lost)."""
    for attachment in item.get("attachments") or []:
        styles = attachment.get("style_infos") if isinstance(attachment, dict) else None
        for style in styles if isinstance(styles, list) else [styles]:
            if isinstance(style, dict) and isinstance(style.get("text"), str) and not _is_stars_type(style.get("type")):
                return True
    return False


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


def _folded(name: str) -> str:
    """An attachment type with case, spaces and underscores left out: GraphQL's "GenericAttachmentMedia",
    chat-downloader 0.2.8's "generic_attachment_media" (its ``camel_case_split``) and "Generic Attachment Media"
    are one type."""
    return name.replace(" ", "").replace("_", "").lower()


_WITHOUT_MONEY_FOLDED = frozenset(map(_folded, ATTACHMENTS_WITHOUT_MONEY))


def _unknown_attachment(item: dict) -> str | None:
    """The first attachment type of ``item`` that is not known to carry no money, if any."""
    return next(
        (name for name in _attachment_types(item.get("attachments")) if _folded(name) not in _WITHOUT_MONEY_FOLDED),
        None,
    )


def is_chat_downloader_item(record: Any) -> bool:
    """A chat-downloader Facebook item (not a YouTube one: those have ``action_type``)."""
    if not isinstance(record, dict) or "message_id" not in record or "action_type" in record:
        return False
    url = get(record, "author.url")
    return "attachments" in record or "reactions" in record or (isinstance(url, str) and "facebook.com/" in url)


class ChatDownloaderDecoder(RecordDecoder):
    """chat-downloader Facebook items → Stars donations; comments carry no money; other attachments are
    not read, under their type."""

    def feed(self, record: Any, line: int) -> Iterator[Item]:
        if not isinstance(record, dict):
            yield Rejected(self.source, line, "(record)", "not a chat-downloader item (a JSON object)", raw(record))
            return
        try:
            found = _stars(record)
            if found is None:
                yield self._without_stars(record, line)
                return
            field, quantity = found
            stars = whole(quantity, field, 1, MAX_AMOUNT)
            when = record.get("timestamp")
            author = record.get("author")
            author = author if isinstance(author, dict) else {}
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
            yield Rejected(self.source, line, error.field, error.problem, raw(record))

    def _without_stars(self, record: dict, line: int) -> Skipped:
        if _fundraiser(record):  # money to a cause, which no rule of this version values
            return Skipped(self.source, line, FUNDRAISER, NOT_READ)
        unknown = _unknown_attachment(record)
        if unknown is not None:
            return Skipped(self.source, line, unknown, NOT_READ)
        kind = record.get("message_type")
        if isinstance(kind, str) and kind not in ("", "text_message"):
            return Skipped(self.source, line, kind, NOT_READ)
        return Skipped(self.source, line, COMMENT, NO_MONEY)


def _sniff_chat_downloader(head: bytes) -> bool:
    first = first_record(head)
    if not isinstance(first, dict) or "message_id" not in first or "action_type" in first:
        return False
    markers = (STARS_TYPE.encode(), b'"spark_quantity"', b'"reaction_types"')
    return is_chat_downloader_item(first) or any(marker in head for marker in markers)


READER = decoder_reader(
    name="facebook-chat-downloader", platform=KEY, sniff=_sniff_chat_downloader, decoder=ChatDownloaderDecoder,
    accepts=is_chat_downloader_item,
    description="chat-downloader's Facebook items (JSON array or JSON Lines): Stars; comments carry no money",
)
