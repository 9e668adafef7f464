"""The decoder both TikTok readers share: each gift counted once, at the end of its streak, and every
record accounted for.

- A streakable gift (type 1) sends a frame per tap with a cumulative ``repeat_count`` and ends with a
  ``repeat_end`` frame: it counts once, at the final count, as an event that carries the line of the
  frame it was built from. Every other frame of the streak comes out as ``Skipped(kind="gift streak
  frame")`` (no money of its own: a later frame counts it), when a later frame supersedes it or when the
  streak closes. Frames of one streak share the key (sender id, gift id, group id).
- Any other gift counts on arrival, whatever its ``repeat_end`` says.
- A streak whose end frame never came counts at its highest ``repeat_count`` when it has been quiet for
  ``timeout`` of event time (the next record's time, or ``flush(now)``), or at ``flush(None)`` (the end
  of a log, a disconnect). A frame of that streak arriving later adds only what it adds to the count.
- A record replayed after a reconnect (the same message id AND the same content) comes out as
  ``Skipped(why="repeat")`` (a streak frame a later frame superseded as ``Skipped(kind="gift streak frame")``
  again, as the first time: `WebcastDecoder._superseded`); each event keeps its exact message id in ``Event.id`` for the engine's own
  check. Keep one decoder for the whole stream, across reconnects.
- A message without money comes out as ``Skipped(kind=<its name>)`` (``chat``, ``WebcastMemberMessage``,
  ``superFanJoin`` ...), a kind this version does not read as ``Skipped(why="not read")``, a malformed
  one as `Rejected`.
- A gift carries ``Gift.recipient`` and ``Gift.host`` as the record gives them; the host (livemoney's
  engine) keeps gifts to guests apart.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
from livemoney import Event, Gift, Money, Rejected
from livemoney.kit import MAX_AMOUNT, MAX_COUNT, NO_MONEY, NOT_READ, REPEAT, FieldError, Skipped, skipped, unchecked

from livemoney_tiktok.readers.memory import CompactRecent
from livemoney_tiktok.readers.webcast import (
    GIFT,
    KEY,
    LIKE,
    STREAK_FRAME,
    WEB_UI,
    GiftFrame,
    gift_frame,
    kind_of,
    like_of,
    read_kind,
    shape_of,
    web_ui_event,
)

STREAK_TIMEOUT = dt.timedelta(seconds=60)
"""How long a streak may be quiet (event time) before it counts without its end frame."""
MEMORY = 100_000
"""How many message ids (and finished streaks) a decoder remembers (`memory.CompactRecent`, which keeps
`livemoney.kit.Recent`'s answers in about 5 MiB, where `Recent` took some 45 MiB of Python objects): more than
the kit's default, because a gift whose id the connector rounded (beyond 2^53) carries no event id, and a streak
replayed without its end frame starts from another frame's id, so only this memory catches their repeats
(about an hour of a busy stream; 20,000 let a second capture of the stream count them twice)."""


@attrs.define(slots=True)
class _Streak:
    top: GiftFrame
    line: int
    counted: int
    last: dt.datetime | None


def _streak_key(frame: GiftFrame) -> tuple:
    """The key the frames of one streak share: sender id, gift id (else its name) and group id."""
    return (frame.user, frame.gift_id or frame.name, frame.group)


def raw_text(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":"))


class WebcastDecoder:
    """A `livemoney.kit.Decoder` for TikTok LIVE records of any shape `webcast.parse` reads.

    :param source: the file name (or a label for a live feed) used in ``Event.source`` and skips.
    :param timeout: how long a streak may be quiet before it counts without its end frame.
    """

    def __init__(self, source: str, timeout: dt.timedelta = STREAK_TIMEOUT) -> None:
        self.source = source
        self.timeout = timeout
        self._seen = CompactRecent(MEMORY)
        """The hash of each content fed under a message id (an int; a tuple of them for a rounded id that two
        messages share)."""
        self._counted = CompactRecent(MEMORY)
        """Each closed streak with a group id → what it counted, as ``count * 2 + ended`` (``ended``: 1 when its end
        frame counted it, 0 when it timed out or was flushed): an int, as compact as the memory is."""
        self._pending: dict[tuple, _Streak] = {}
        self._oldest: dt.datetime | None = None
        """At most the earliest ``last`` of the pending streaks (``None``: none has one): `flush` by a time
        looks through them only when one may be due."""

    def feed(self, record: Any, line: int) -> list[Event | Skipped | Rejected]:
        try:
            kind, meaning, message, shape = kind_of(record)
            # What `parse` says, without its `Read` for the kinds most records are: a gift (its frame), a like
            # or a web-ui record (its event, or none for no count), or no money (skipped as it is); the rarer
            # kinds by `read_kind`.
            why = meaning
            if meaning == GIFT:
                item: GiftFrame | Event | None = gift_frame(message, shape or shape_of(message))
            elif meaning == LIKE:
                item, why = like_of(message, shape or shape_of(message), f"{self.source}:{line}"), NO_MONEY
            elif meaning == WEB_UI:
                item, why = web_ui_event(message, f"{self.source}:{line}"), NO_MONEY
            elif meaning == NO_MONEY or meaning == NOT_READ:
                item = None
            else:
                read = read_kind(kind, meaning, message, shape, f"{self.source}:{line}")
                kind, item, why = read.kind, read.item, read.why
        except FieldError as error:
            return [Rejected(self.source, line, error.field, error.problem, raw_text(record))]
        except (TypeError, ValueError) as error:  # the event model's own checks: a last line of defence
            return [Rejected(self.source, line, "(event)", str(error), raw_text(record))]
        if item is None:
            return [skipped(self.source, line, kind, why)]
        if (item.message if isinstance(item, GiftFrame) else item.id) is not None and self._repeated(item):
            if isinstance(item, GiftFrame) and self._superseded(item):
                return [self._skip(line)]  # a streak frame the first time, not the event: a streak frame again
            return [skipped(self.source, line, kind, REPEAT)]
        ts, oldest = item.ts, self._oldest
        # `flush(ts)` only when a streak may be due (its own first test): most records find none.
        out: list[Event | Skipped | Rejected] = (
            [*self.flush(ts)] if ts is not None and oldest is not None and oldest + self.timeout <= ts else []
        )
        if isinstance(item, GiftFrame):
            out.extend(self._frame(item, line))
        else:
            out.append(item)  # `read_kind` gave it its source
        return out

    def flush(self, now: dt.datetime | None = None) -> list[Event | Skipped]:
        """Streaks whose end frame has not come: all of them, or those quiet for ``timeout`` by ``now``."""
        if now is not None and (self._oldest is None or self._oldest + self.timeout > now):
            return []  # none is due: O(1) a record, however many streaks are pending
        due = [
            key
            for key, streak in self._pending.items()
            if now is None or (streak.last is not None and streak.last + self.timeout <= now)
        ]
        out = [item for key in due for item in self._close(key)]
        lasts = [streak.last for streak in self._pending.values() if streak.last is not None]
        self._oldest = min(lasts) if lasts else None
        return out

    def _repeated(self, item: GiftFrame | Event) -> bool:
        """Whether ``item`` was fed before: the same message id and the same content (a rounded id of the
        connector may be shared by two messages; the content tells them apart)."""
        message = item.message if isinstance(item, GiftFrame) else item.id
        if message is None:
            return False
        content = hash(item)  # an event's source (its line) is no part of its hash (nor of its equality)
        seen = self._seen.put_new(message, content)
        if seen is None:
            return False  # a new message id, remembered now with its content
        if seen.__class__ is int:
            if seen == content:
                return True
            self._seen.put(message, (seen, content))
        elif content in seen:
            return True
        else:
            self._seen.put(message, (*seen, content))
        return False

    def _superseded(self, frame: GiftFrame) -> bool:
        """Whether a repeated streak frame is one a later frame of its streak counts, as far as the decoder
        remembers (its pending streak's top frame, or the count its closed streak counted): the first time it
        came it was a gift streak frame without money of its own, not the event, so its repeat (a second
        capture of the stream) is counted so again rather than as a duplicate event."""
        if frame.streakable is False:
            return False
        key = _streak_key(frame)
        streak = self._pending.get(key)
        if streak is not None:  # the top frame will count: any other frame of the streak was superseded
            return frame != streak.top and frame.repeat_count <= streak.top.repeat_count
        if frame.group is None:
            return False  # a streak without a group id is not remembered once closed
        closed = self._counted.get(key)
        if closed is None:
            return False
        count, ended = closed >> 1, closed & 1
        # a lower count, or the same count without the end frame that counted it (a timed-out streak's top frame
        # and another frame of its count cannot be told apart: its repeat is taken for the counted one)
        return frame.repeat_count < count or (frame.repeat_count == count and ended == 1 and not frame.repeat_end)

    def _skip(self, line: int) -> Skipped:
        return skipped(self.source, line, STREAK_FRAME)

    def _frame(self, frame: GiftFrame, line: int) -> list[Event | Skipped]:
        if frame.streakable is False:
            return [self._emit(frame, frame.repeat_count, line)]
        key = _streak_key(frame)
        out: list[Event | Skipped] = []
        streak = self._pending.get(key)
        if streak is not None and frame.group is None and frame.repeat_count < streak.top.repeat_count:
            # Without a group id, a count that drops starts a new streak: the last one lost its end frame.
            out.extend(self._close(key))
            streak = None
        if streak is None:
            counted = self._counted.get(key, 0) >> 1 if frame.group is not None else 0
            streak = self._pending[key] = _Streak(frame, line, counted, frame.ts)
            if frame.ts is not None and (self._oldest is None or frame.ts < self._oldest):
                self._oldest = frame.ts
        elif frame.repeat_count >= streak.top.repeat_count:
            out.append(self._skip(streak.line))  # superseded: this frame counts it
            streak.top, streak.line = frame, line
        else:
            out.append(self._skip(line))  # an older frame, arriving late: the top frame counts it
        if frame.ts is not None and (streak.last is None or frame.ts > streak.last):
            streak.last = frame.ts
            if self._oldest is None or frame.ts < self._oldest:
                self._oldest = frame.ts
        if frame.repeat_end:
            out.extend(self._close(key))
        return out

    def _close(self, key: tuple) -> list[Event | Skipped]:
        streak = self._pending.pop(key)
        if streak.top.group is not None:
            top = streak.top.repeat_count
            ended = 1 if streak.top.repeat_end and top >= streak.counted else 0
            self._counted.put(key, max(top, streak.counted) * 2 + ended)
        added = streak.top.repeat_count - streak.counted
        return [self._emit(streak.top, added, streak.line) if added > 0 else self._skip(streak.line)]

    def _emit(self, frame: GiftFrame, count: int, line: int) -> Gift:
        coins = frame.coins
        make = (
            _new_gift
            if count.__class__ is int
            and 0 < count <= MAX_COUNT
            and (coins is None or 0 <= coins <= MAX_AMOUNT)
            and frame.name.strip()
            else Gift  # checked: a FieldError names what is out of range
        )  # the other fields as `parse` read them: text or None, a time `timestamp` read (aware, in range)
        made: Gift = make(
            platform=KEY,
            gift=frame.name,
            gift_id=frame.gift_id,
            count=count,
            amount=None if coins is None else _coins(coins),
            recipient=frame.recipient,
            host=frame.host,
            viewer=frame.viewer,
            ts=frame.ts,
            stream=frame.stream,
            id=frame.msg_id,
            source=f"{self.source}:{line}",
        )
        return made


_new_gift = unchecked(Gift)
"""A `Gift` made without attrs' checks (`WebcastDecoder._emit`, for values that hold what they check)."""

_PRICES: dict[int, Money] = {}
"""The `Money` of each gift price in coins met (a frozen value, so one serves every gift of that price)."""
PRICES_KEPT = 4096
"""How many prices `_coins` keeps: a capture has a few dozen (TikTok's catalogue some hundreds); past these, each
gift makes its own."""


def _coins(coins: int) -> Money:
    """``Money(coins, "coins")``, made once a price (its checks are most of a gift event's making)."""
    money = _PRICES.get(coins)
    if money is None:
        money = Money(coins, "coins")
        if len(_PRICES) < PRICES_KEPT:
            _PRICES[coins] = money
    return money
