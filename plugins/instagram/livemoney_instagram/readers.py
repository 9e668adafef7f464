"""Readers for Instagram Live: the badge file a creator fills in, and Graph API comments.

- ``instagram-badges-csv``: no API reports Badges, so the creator copies them from the app's
  dashboard into a CSV file whose header names at least ``date`` and ``badge_tier`` (README). A row
  gives a tier (1, 2 or 3 hearts, priced with ``instagram.badge_prices`` in force on the row's date)
  or what the viewer paid (``amount`` and ``currency``, which win over the tier).
- ``instagram-graph-comments``: ``live_comments`` webhook payloads, ``GET /{ig-media-id}/comments``
  pages, single comments. Each comment (of a page, of a webhook's changes) carries no money and comes
  out as a `Skipped` ``comment``; a webhook change of another field (``mentions``, ``story_insights``)
  or another object's webhook (``page``) is not read, named by its field or object.

Every record comes out once, as an event, a `Skipped` record or a `Rejected` one.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from livemoney import Context, Donation, Event, Money, Reader, Rejected
from livemoney.kit import (
    NO_MONEY,
    NOT_READ,
    FieldError,
    Skipped,
    first_record,
    is_currency,
    iter_lines,
    raw_text,
    read_with_decoder,
    timestamp,
    to_decimal,
)

from livemoney_instagram.rules import SETTINGS

KEY = "instagram"
REQUIRED = ("date", "badge_tier")
COLUMNS = (*REQUIRED, "amount", "currency", "viewer", "count")
TIERS = {"1": 0, "2": 1, "3": 2}
COMMENT = "comment"
COMMENT_FIELDS = ("live_comments", "comments")
"""Webhook fields whose value is one comment (on a live video; on any media)."""
EMPTY_PAGE = "empty page"

Item = Event | Skipped | Rejected


# --- the badge file --------------------------------------------------------------------------


def _header(line: str) -> list[str]:
    return [name.strip().lower() for name in next(csv.reader([line]), [])]


def _sniff_badges(head: bytes) -> bool:
    text = head.decode("utf-8-sig", errors="replace").lstrip("\r\n \t")
    first = text.splitlines()[0] if text else ""
    try:
        return all(name in _header(first) for name in REQUIRED)
    except csv.Error:  # a header cell longer than the csv module takes
        return False


def _when(value: str) -> dt.datetime:
    """A date (that day, 00:00 UTC, so its rules and rates apply) or a time with its offset."""
    if not value:
        raise FieldError("date", "missing")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), dt.UTC)
        except ValueError:
            pass
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].+", value):
        return timestamp(value, "date")
    raise FieldError("date", f"{value!r} is not a date (YYYY-MM-DD) nor a time with its offset")


def _paid(row: dict[str, str], ts: dt.datetime) -> Money:
    amount, currency, tier = row.get("amount", ""), row.get("currency", "").upper(), row.get("badge_tier", "")
    if amount:
        if not currency:
            raise FieldError("currency", "missing: give the currency of the amount (e.g. USD)")
        if not is_currency(currency):
            raise FieldError("currency", f"{currency!r} is not an ISO-4217 currency code")
        try:
            value = to_decimal(amount, "amount")
        except (TypeError, ValueError):
            raise FieldError("amount", f"{amount!r} is not a decimal number (write 4.99, no symbol)") from None
        if value < 0:
            raise FieldError("amount", f"{amount!r} is negative")
        return Money(value, currency)
    if not tier:
        raise FieldError("badge_tier", "missing: give badge_tier (1, 2 or 3 hearts) or amount and currency")
    if tier not in TIERS:
        raise FieldError("badge_tier", f"{tier!r} is not 1, 2 or 3 (hearts)")
    if currency not in ("", "USD"):
        raise FieldError("amount", f"missing: badge_tier prices are in USD; give the amount paid in {currency}")
    prices = SETTINGS("instagram.badge_prices", Context(), ts.date()).value
    return Money(prices[TIERS[tier]], "USD")


def _count(value: str) -> int:
    if not value:
        return 1
    if not value.isdecimal() or int(value) < 1:
        raise FieldError("count", f"{value!r} is not a whole number of at least 1")
    return int(value)


def _badge(row: dict[str, str], source: str, line: int) -> Donation:
    ts = _when(row.get("date", ""))
    return Donation(
        platform=KEY,
        feature="badge",
        amount=_paid(row, ts),
        count=_count(row.get("count", "")),
        viewer=row.get("viewer") or None,
        ts=ts,
        source=f"{source}:{line}",
    )


def read_badges(stream: BinaryIO, source: str) -> Iterator[Event | Rejected]:
    """Badge donations from a badge file, one a row, read one line at a time (`iter_lines`: memory does not
    grow with the file); a bad row is a `Rejected` naming its line and column, with the row verbatim (bytes
    that are not UTF-8 shown as ``\\xNN``). Under a bad header the header and every row are rejected: no row
    can be read."""
    names: list[str] | None = None
    header_line = 0
    for item in iter_lines(stream, source):
        if isinstance(item, Rejected):
            yield item
            continue
        number, data = item
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and not text.strip():
            continue
        if not header_line:
            header_line = number
            problem = "not valid UTF-8" if text is None else None
            if text is not None:
                try:
                    names = _header(text)
                except csv.Error as error:
                    problem = f"not a CSV header: {error}"
            if problem is None and names is not None:
                missing = [name for name in REQUIRED if name not in names]
                if missing or len(set(names)) != len(names):
                    problem = f"the header lacks {', '.join(missing)}" if missing else "a column is named twice"
                    problem += f"; expected columns {','.join(COLUMNS)}"
            if problem is not None:
                names = None
                yield Rejected(source, number, "(header)", problem, raw_text(data))
            continue
        if names is None:
            yield Rejected(source, number, "(header)", f"not read: the header on line {header_line} is bad", raw_text(data))
            continue
        if text is None:
            yield Rejected(source, number, "(row)", "not valid UTF-8", raw_text(data))
            continue
        try:
            cells = next(csv.reader([text]))
        except csv.Error as error:
            yield Rejected(source, number, "(row)", f"not a CSV row: {error}", text)
            continue
        if len(cells) > len(names):
            yield Rejected(source, number, "(row)", f"{len(cells)} cells, the header has {len(names)}", text)
            continue
        row = {name: cell.strip() for name, cell in zip(names, cells)}
        try:
            yield _badge(row, source, number)
        except FieldError as error:
            yield Rejected(source, number, error.field, error.problem, text)


# --- Graph API comments: no money ------------------------------------------------------------


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


class CommentsDecoder:
    """Instagram comments carry no money: each comment (alone, on a page, in a webhook change) comes out
    as a `Skipped` ``comment``; a change of another field, or another object's webhook, is not read; a
    Graph API error or what is none of these is rejected."""

    def __init__(self, source: str) -> None:
        self.source = source

    def feed(self, record: Any, line: int) -> Iterator[Item]:
        if isinstance(record, dict) and isinstance(record.get("error"), dict):
            problem = f"the Graph API answered an error: {record['error'].get('message', '(no message)')}"
            yield Rejected(self.source, line, "error", problem, _raw(record))
            return
        if isinstance(record, dict) and isinstance(record.get("entry"), list):
            yield from self._webhook(record, line)
        elif isinstance(record, dict) and isinstance(record.get("data"), list):
            if not record["data"]:
                yield Skipped(self.source, line, EMPTY_PAGE, NO_MONEY)
            for index, item in enumerate(record["data"]):
                if _is_comment(item):
                    yield Skipped(self.source, line, COMMENT, NO_MONEY)
                else:
                    problem = "not an Instagram comment (an object with id and text)"
                    yield Rejected(self.source, line, f"data[{index}]", problem, _raw(item))
        elif _is_change(record):
            yield self._change(record, "(record)", line)
        elif _is_comment(record):
            yield Skipped(self.source, line, COMMENT, NO_MONEY)
        else:
            problem = "not an Instagram comment, comments page or live_comments webhook payload"
            yield Rejected(self.source, line, "(record)", problem, _raw(record))

    def _webhook(self, record: dict, line: int) -> Iterator[Item]:
        """One outcome a change (or message) of an Instagram webhook; one for another object's webhook."""
        subject = record.get("object")
        if subject != "instagram":
            if isinstance(subject, str) and subject:
                yield Skipped(self.source, line, f"{subject} webhook", NOT_READ)
            else:
                yield Rejected(self.source, line, "object", f"{subject!r} is not a webhook object", _raw(record))
            return
        if not record["entry"]:
            yield Rejected(self.source, line, "entry", "no entry in the webhook payload", _raw(record))
        for index, entry in enumerate(record["entry"]):
            changes = entry.get("changes") if isinstance(entry, dict) else None
            messages = entry.get("messaging") if isinstance(entry, dict) else None
            changes = changes if isinstance(changes, list) else []
            messages = messages if isinstance(messages, list) else []
            if not changes and not messages:
                problem = "no changes (nor messaging) in a webhook entry"
                yield Rejected(self.source, line, f"entry[{index}]", problem, _raw(entry))
            for number, change in enumerate(changes):
                yield self._change(change, f"entry[{index}].changes[{number}]", line)
            # Instagram Messaging webhooks list direct messages under "messaging": not read here.
            for _ in messages:
                yield Skipped(self.source, line, "messaging", NOT_READ)

    def _change(self, change: Any, field: str, line: int) -> Item:
        if not _is_change(change):
            return Rejected(self.source, line, field, "not a webhook change (field and value)", _raw(change))
        if change["field"] not in COMMENT_FIELDS:
            return Skipped(self.source, line, change["field"], NOT_READ)
        if not _is_comment(change["value"]):
            problem = "not an Instagram comment (an object with id and text)"
            return Rejected(self.source, line, f"{field}.value", problem, _raw(change))
        return Skipped(self.source, line, COMMENT, NO_MONEY)

    def flush(self, now: dt.datetime | None = None) -> Iterable[Item]:
        return ()


def _sniff_comments(head: bytes) -> bool:
    return is_graph_comments(first_record(head))


READERS = (
    Reader(
        name="instagram-badges-csv",
        platform=KEY,
        description="the badge file a creator fills from the Instagram dashboard (CSV: date, badge_tier, "
        "amount, currency, viewer, count)",
        sniff=_sniff_badges,
        read=read_badges,
    ),
    Reader(
        name="instagram-graph-comments",
        platform=KEY,
        description="Instagram Graph API live_comments webhooks and comments pages: comments, no money",
        sniff=_sniff_comments,
        read=read_with_decoder(CommentsDecoder),
        decoder=CommentsDecoder,
        accepts=is_graph_comments,
    ),
)
