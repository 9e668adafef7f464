"""The ``facebook-live-reactions`` reader: the ``live_reactions`` Server-Sent Events (``reaction_stream``),
as JSON Lines or as the raw ``data: {...}`` lines.

Each event holds running totals per reaction type; a `Like` is the increase since the previous event (the
first totals count from 0), never a total counted again; totals with no increase carry nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from livemoney.kit import (
    MAX_COUNT,
    NO_MONEY,
    NOT_READ,
    FieldError,
    Like,
    Rejected,
    Skipped,
    decoder_reader,
    first_record,
    skipped,
    unchecked,
)

from livemoney_facebook.readers.graph_comments import graph_error, graph_kind, is_comment
from livemoney_facebook.readers.records import COMMENT, Item, raw, whole
from livemoney_facebook.rules import KEY

NO_INCREASE = "reaction totals with no increase"
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
        totals.append((key, whole(entry.get("value"), f"{field}.value", 0)))
    return totals


_LIKE = Like(platform=KEY, count=1, source=KEY)
"""What every like of this reader holds but its count and source: `_new_like` copies it with those two (a maker of
two positional values and a template's attributes, quicker than one of seven fields by name)."""
_new_like = unchecked(Like, "count", "source")


def _like(count: int, source: str) -> Like:
    """``Like(platform=KEY, count=count, source=source)``, made without the checks when they hold what the checks
    allow (a count from 1 to `MAX_COUNT`; the rest constants and this reader's text), else made and checked."""
    if count.__class__ is not int or not 0 < count <= MAX_COUNT:
        return Like(platform=KEY, count=count, source=source)
    like: Like = _new_like(_LIKE, count, source)
    return like


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

    def feed(self, record: Any, line: int) -> list[Item]:
        # What the Graph API sends (an object of plain totals, no error) is read at once; any other record
        # takes the checks of `_checked`, which name what is wrong. A list, which the host takes as it is.
        if record.__class__ is dict and "error" not in record:
            entries = record.get("reaction_stream")
            if entries.__class__ is list:
                # The common record: every entry plain and of a type already kept, summed and kept in one pass. A
                # type is looked up as it is: `_last` holds only types that are text, not blank, so any other key
                # is a KeyError (a TypeError if unhashable), as is an entry without key or value or a type not kept
                # yet; that, or any other entry, leaves the record to `_plain_increase`, from the last totals.
                last_of = self._last
                before = last_of.copy()
                added: int | None = 0
                try:
                    for entry in entries:
                        if entry.__class__ is not dict:
                            break
                        key, total = entry["key"], entry["value"]
                        if total.__class__ is not int:
                            break
                        last = last_of[key]
                        if total >= last:  # the last totals are never negative, so neither is this one
                            added += total - last  # type: ignore[operator]
                        elif total < 0:
                            break
                        else:
                            added += total  # type: ignore[operator]
                        last_of[key] = total
                    else:
                        before = last_of
                except (KeyError, TypeError):
                    pass
                if before is not last_of:
                    self._last = before
                    added = self._plain_increase(entries)
                if added is not None:
                    if added:
                        if added <= MAX_COUNT:
                            return [_new_like(_LIKE, added, f"{self.source}:{line}")]
                        return [_like(added, f"{self.source}:{line}")]
                    return [skipped(self.source, line, NO_INCREASE)]
        return [self._checked(record, line)]

    def _plain_increase(self, entries: list) -> int | None:
        """The increase of the totals of a ``reaction_stream`` whose every entry is ``{"key": TYPE, "value":
        WHOLE NUMBER}`` (what the Graph API sends) over the last ones, each kept (as `_increase`); else
        ``None``, the last totals left as they were: `_checked` reads (or rejects) any other."""
        last_of = self._last
        before = last_of.copy()
        added = 0
        for entry in entries:
            if entry.__class__ is not dict:
                break
            key, total = entry.get("key"), entry.get("value")
            if key.__class__ is not str or not key or total.__class__ is not int or total < 0:
                break
            last = last_of.get(key, 0)
            added += total - last if total >= last else total
            last_of[key] = total
        else:
            return added
        self._last = before
        return None

    def _checked(self, record: Any, line: int) -> Item:
        """The outcome of a record that is not plain totals: an error, a comment, another Graph API object,
        totals with values to read (`_totals`) or a record to reject."""
        problem = graph_error(record)
        if problem is not None:
            return Rejected(self.source, line, "error", problem, raw(record))
        if not is_reaction_totals(record):
            kind = COMMENT if is_comment(record) else graph_kind(record)
            if kind is None:
                return Rejected(self.source, line, "reaction_stream", "missing", raw(record))
            return Skipped(self.source, line, kind, NO_MONEY if kind == COMMENT else NOT_READ)
        try:
            totals = _totals(record)
        except FieldError as error:
            return Rejected(self.source, line, error.field, error.problem, raw(record))
        return self._increase(totals, line)

    def _increase(self, totals: list[tuple[str, int]], line: int) -> Item:
        """The `Like` of the increase of ``totals`` over the last ones (each kept), or none."""
        added = 0
        last_of = self._last
        for key, total in totals:
            last = last_of.get(key, 0)
            added += total - last if total >= last else total
            last_of[key] = total
        if added:
            return _like(added, f"{self.source}:{line}")
        return Skipped(self.source, line, NO_INCREASE, NO_MONEY)

    def flush(self, now: dt.datetime | None = None) -> Iterable[Item]:
        if now is None:
            self._last.clear()
        return ()


def is_reaction_totals(record: Any) -> bool:
    """A ``live_reactions`` event (``{"reaction_stream": [...]}``)."""
    return isinstance(record, dict) and "reaction_stream" in record


READER = decoder_reader(
    name="facebook-live-reactions",
    platform=KEY,
    decoder=ReactionTotalsDecoder,
    accepts=is_reaction_totals,
    sniff=lambda head: is_reaction_totals(first_record(head)),
    description="Graph API live_reactions events (reaction_stream running totals): likes of the increases",
)
