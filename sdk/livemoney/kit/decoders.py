"""A decoder that holds nothing between records: the common case of a reader's `Decoder`.

    class CommentsDecoder(RecordDecoder):
        def feed(self, record, line):
            yield Skipped(self.source, line, "comment", NO_MONEY)

Each record comes out at once, as an event, a `Skipped` or a `Rejected` record on the line it was fed
with; nothing is pending, so ``flush`` gives nothing back. A decoder that does hold records back (a gift
streak until its last frame, running totals) implements `Decoder` itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from livemoney.core.models import Event, Rejected, Skipped


class RecordDecoder:
    """The base of a `Decoder` that holds nothing between records: ``source`` names the file (or feed) the
    outcomes come from; a subclass writes ``feed(record, line)``."""

    def __init__(self, source: str) -> None:
        self.source = source

    def feed(self, record: object, line: int) -> Iterable[Event | Skipped | Rejected]:
        raise NotImplementedError(f"{type(self).__name__} must write feed(record, line)")

    def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Skipped | Rejected]:
        """Nothing: no record is held back."""
        return ()
