"""The decoder both TikTok readers share: each gift counted once, at the end of its streak.

- A streakable gift (type 1) sends a frame per tap with a cumulative ``repeat_count`` and ends with a
  ``repeat_end`` frame: it counts once, at the final count. Frames of one streak share the key
  (sender id, gift id, group id).
- Any other gift counts on arrival, whatever its ``repeat_end`` says.
- A streak whose end frame never came counts at its highest ``repeat_count`` when it has been quiet for
  ``timeout`` of event time (the next record's time, or ``flush(now)``), or at ``flush(None)`` (the end
  of a log, a disconnect). A frame of that streak arriving later adds only what it adds to the count.
- A message replayed after a reconnect (same message id) counts once: the decoder drops ids it has
  seen, and each event keeps its message id in ``Event.id`` for the engine's own check. Keep one
  decoder for the whole stream, across reconnects.
- A gift to a guest of a multi-guest LIVE carries ``Gift.recipient``. Given ``host`` (the host's user
  id), gifts to anyone else are not yielded: they are kept apart in ``to_guests``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
from livemoney import Event, Gift, Money, Rejected
from livemoney.records import FieldError

from livemoney_tiktok.webcast import KEY, GiftFrame, parse

STREAK_TIMEOUT = dt.timedelta(seconds=60)
"""How long a streak may be quiet (event time) before it counts without its end frame."""
MEMORY = 100_000
"""How many message ids (and finished streaks) a decoder remembers."""


class _Recent:
    """The last ``size`` keys added, each with a value (oldest forgotten first)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: dict[Any, int] = {}

    def __contains__(self, key: Any) -> bool:
        return key in self._items

    def get(self, key: Any, default: int = 0) -> int:
        return self._items.get(key, default)

    def put(self, key: Any, value: int = 0) -> None:
        self._items.pop(key, None)
        self._items[key] = value
        if len(self._items) > self._size:
            del self._items[next(iter(self._items))]


@attrs.define(slots=True)
class _Streak:
    top: GiftFrame
    line: int
    counted: int
    last: dt.datetime | None


def raw_text(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":"))


class WebcastDecoder:
    """A `livemoney.models.Decoder` for TikTok LIVE records of any shape `webcast.parse` reads.

    :param source: the file name (or a label for a live feed) used in ``Event.source`` and rejects.
    :param host: the host's user id; gifts to another recipient go to ``to_guests``, not out.
    :param timeout: how long a streak may be quiet before it counts without its end frame.
    """

    def __init__(self, source: str, host: str | None = None, timeout: dt.timedelta = STREAK_TIMEOUT) -> None:
        self.source = source
        self.host = host
        self.timeout = timeout
        self.to_guests: list[Gift] = []
        self._seen = _Recent(MEMORY)
        self._counted = _Recent(MEMORY)
        self._pending: dict[tuple, _Streak] = {}

    def feed(self, record: Any, line: int) -> list[Event | Rejected]:
        try:
            parsed = parse(record)
        except FieldError as error:
            return [Rejected(self.source, line, error.field, error.problem, raw_text(record))]
        except (TypeError, ValueError) as error:  # the event model's own checks: a last line of defence
            return [Rejected(self.source, line, "(event)", str(error), raw_text(record))]
        if parsed is None:
            return []
        message_id = parsed.msg_id if isinstance(parsed, GiftFrame) else parsed.id
        if message_id is not None:
            if message_id in self._seen:
                return []
            self._seen.put(message_id)
        out: list[Event | Rejected] = [*self.flush(parsed.ts)] if parsed.ts is not None else []
        if isinstance(parsed, GiftFrame):
            out.extend(self._frame(parsed, line))
        else:
            out.append(attrs.evolve(parsed, source=f"{self.source}:{line}"))
        return out

    def flush(self, now: dt.datetime | None = None) -> list[Gift]:
        """Streaks whose end frame has not come: all of them, or those quiet for ``timeout`` by ``now``."""
        due = [
            key
            for key, streak in self._pending.items()
            if now is None or (streak.last is not None and streak.last + self.timeout <= now)
        ]
        return [gift for key in due for gift in self._close(key)]

    def _frame(self, frame: GiftFrame, line: int) -> list[Gift]:
        if frame.streakable is False:
            return self._emit(frame, frame.repeat_count, line)
        key = (frame.user, frame.gift_id or frame.name, frame.group)
        out: list[Gift] = []
        streak = self._pending.get(key)
        if streak is not None and frame.group is None and frame.repeat_count < streak.top.repeat_count:
            # Without a group id, a count that drops starts a new streak: the last one lost its end frame.
            out.extend(self._close(key))
            streak = None
        if streak is None:
            counted = self._counted.get(key) if frame.group is not None else 0
            streak = self._pending[key] = _Streak(frame, line, counted, frame.ts)
        elif frame.repeat_count >= streak.top.repeat_count:
            streak.top, streak.line = frame, line
        if frame.ts is not None and (streak.last is None or frame.ts > streak.last):
            streak.last = frame.ts
        if frame.repeat_end:
            out.extend(self._close(key))
        return out

    def _close(self, key: tuple) -> list[Gift]:
        streak = self._pending.pop(key)
        if streak.top.group is not None:
            self._counted.put(key, max(streak.top.repeat_count, streak.counted))
        added = streak.top.repeat_count - streak.counted
        return self._emit(streak.top, added, streak.line) if added > 0 else []

    def _emit(self, frame: GiftFrame, count: int, line: int) -> list[Gift]:
        gift = Gift(
            platform=KEY,
            gift=frame.name,
            count=count,
            amount=None if frame.coins is None else Money(frame.coins, "coins"),
            recipient=frame.recipient,
            viewer=frame.viewer,
            ts=frame.ts,
            stream=frame.stream,
            id=frame.msg_id,
            source=f"{self.source}:{line}",
        )
        if self.host is not None and frame.recipient is not None and frame.recipient != self.host:
            self.to_guests.append(gift)
            return []
        return [gift]
