"""Per-event rows of a valuation, kept only when an analysis asks for them (`livemoney.engine.analytics`).

The `livemoney.engine.valuer.Valuer` values each DISTINCT event once; `EventRows` keeps, per valued event,
only what tells it apart from the others of its valuation: which distinct valuation (an index into
`EventRows.valuations`), its viewer and stream (indexes into one table of strings), its time (whole
milliseconds since 1970, UTC) and whether it was a gift to a guest. That is a compact columnar buffer
(`array` columns, about 21 bytes an event), so memory grows with the events only when an analysis is
asked for; a plain `livemoney.value` keeps none of it.

Records without money that carry a time (`livemoney.core.models.Skipped` with ``ts``: chat messages,
comments, joins) are kept apart, by kind, time and count, for the engagement table.

The same rows come from a ledger's ``events`` table (`livemoney.engine.ledger.event_rows`), so an analysis
of a log and of the ledger it was valued into give the same figures.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator
from typing import Any, NamedTuple

from livemoney.core.models import Valuation
from livemoney.core.money import Money
from livemoney.core.schema import millis
from livemoney.engine.report import unpack

NO_TIME = -(1 << 62)
"""The time column's value for an event without a time."""
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class Valued(NamedTuple):
    """One distinct valuation of `EventRows`: what each of its events is worth, exact."""

    platform: str
    kind: str
    gross: int
    """Exact gross in units of ``10**-EXACT_PLACES`` (0 when unknown)."""
    net: int
    """Exact net in units of ``10**-EXACT_PLACES`` (0 when unknown)."""
    unknown: bool
    items: int
    """How many items one event carries: a gift's or likes' ``count`` (1 for other events)."""
    packed: int
    """``pack(gross, net)``: sums of packs are packs of sums (`livemoney.engine.report.pack`)."""
    valuation: Valuation
    original: Money | None
    """The money one of its events carried, in its own currency or unit (a report's original amounts)."""


class Row(NamedTuple):
    """One valued event as `EventRows.events` gives it back."""

    valued: Valued
    viewer: str | None
    stream: str | None
    ts: int | None
    """Milliseconds since 1970, UTC (``None``: the event has no time)."""
    to_guest: bool


def to_millis(moment: dt.datetime | None) -> int:
    """An aware time as milliseconds since 1970 (`NO_TIME` for none)."""
    found = millis(moment)
    return NO_TIME if found is None else found


def from_millis(value: int) -> dt.datetime:
    """The UTC time of ``value`` milliseconds since 1970."""
    return EPOCH + dt.timedelta(milliseconds=value)


class EventRows:
    """Columns of valued events (see the module docstring); `add` one event, `skipped` one record."""

    def __init__(self) -> None:
        self.valuations: list[Valued] = []
        self.strings: list[str | None] = [None]
        self._string_index: dict[str | None, int] = {None: 0}
        self._entries: dict[int, tuple[Any, int]] = {}
        self.entry = array("I")
        self.viewer = array("I")
        self.stream = array("I")
        self.ts = array("q")
        self.guest = bytearray()
        self.skipped_kind = array("I")
        self.skipped_ts = array("q")
        self.skipped_count = array("I")

    def __len__(self) -> int:
        return len(self.entry)

    def string(self, text: str | None) -> int:
        """The index of ``text`` in `strings` (added once)."""
        found = self._string_index.get(text)
        if found is None:
            found = self._string_index[text] = len(self.strings)
            self.strings.append(text)
        return found

    def valued(self, valuation: Valuation, items: int, packed: int, original: Money | None = None) -> int:
        """The index of a distinct valuation in `valuations` (added each time: callers keep the index)."""
        gross, net, _ = unpack(packed)
        self.valuations.append(
            Valued(
                valuation.platform, valuation.kind, gross, net, valuation.unknown, items, packed, valuation, original
            )
        )
        return len(self.valuations) - 1

    def index_of(self, entry: Any) -> int:
        """The index of the valuer's entry (a distinct valuation: ``valuation``, ``items``, ``packed``)."""
        found = self._entries.get(id(entry))
        if found is not None and found[0] is entry:
            return found[1]
        index = self.valued(entry.valuation, entry.items, entry.packed, entry.original)
        self._entries[id(entry)] = (entry, index)
        return index

    def add(self, index: int, viewer: str | None, stream: str | None, ts: int, to_guest: bool) -> None:
        """One valued event: its distinct valuation's index, viewer, stream, time (`to_millis`), guest flag."""
        self.entry.append(index)
        self.viewer.append(self.string(viewer))
        self.stream.append(self.string(stream))
        self.ts.append(ts)
        self.guest.append(to_guest)

    def skipped(self, kind: str, ts: dt.datetime, count: int = 1) -> None:
        """A record without money that has a time (a chat message, a comment, a join)."""
        self.skipped_kind.append(self.string(kind))
        self.skipped_ts.append(to_millis(ts))
        self.skipped_count.append(count)

    def events(self) -> Iterator[Row]:
        """Every event, in the order valued."""
        strings, valuations = self.strings, self.valuations
        for index, viewer, stream, ts, guest in zip(self.entry, self.viewer, self.stream, self.ts, self.guest):
            yield Row(valuations[index], strings[viewer], strings[stream], None if ts == NO_TIME else ts, bool(guest))

    def records_without_money(self) -> Iterator[tuple[str, int, int]]:
        """``(kind, milliseconds since 1970, count)`` of each timed record without money."""
        strings = self.strings
        for kind, ts, count in zip(self.skipped_kind, self.skipped_ts, self.skipped_count):
            yield strings[kind] or "", ts, count
