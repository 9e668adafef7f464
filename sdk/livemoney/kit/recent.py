"""`Recent`: what a decoder remembers of the last messages of a stream, in bounded memory.

A live capture repeats itself (a client replays recent messages when it reconnects; a ticker repeats a paid
message), so a decoder remembers the messages it has seen to tell a repeat from a new one. Remembering every
message makes memory grow with the stream; `Recent` keeps the last ``size`` keys put (the oldest forgotten
first, each step O(1) however long the stream). A repeat further apart than that is not the decoder's to catch:
the engine's own index of event ids catches repeats of events across the whole input
(`livemoney.engine.seen`).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

RECENT_MESSAGES = 20_000
"""How many message ids a decoder remembers by default: at 25 messages a second, about 13 minutes of a busy
stream, far longer than a reconnect's replay or a ticker's delay."""


class Recent:
    """The last ``size`` keys put, each with a value (`OrderedDict.popitem(last=False)`: a plain dict's
    ``next(iter(...))`` walks past the slots its deletions left, more of them the longer the stream).

        seen = Recent()
        seen.put("msg-1", ("alice",))
        seen.get("msg-1", ())        # ("alice",); a key forgotten or never put: the default
    """

    __slots__ = ("_items", "size")

    def __init__(self, size: int = RECENT_MESSAGES) -> None:
        if size.__class__ is not int or size < 1:
            raise ValueError(f"size: {size!r} must be a whole number of at least 1")
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any, default: Any = None) -> Any:
        """The value last put under ``key``, or ``default``."""
        return self._items.get(key, default)

    def put(self, key: Any, value: Any = None) -> None:
        """Put ``value`` under ``key`` (the newest key now); past ``size`` keys, forget the oldest."""
        items = self._items
        items[key] = value
        items.move_to_end(key)
        if len(items) > self.size:
            items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Any) -> bool:
        return key in self._items
