"""Valuing event logs: every event through `livemoney_value_event`, totals per platform and kind.

    report = lm.value("stream.jsonl", currency="EUR", settings={"tiktok.diamond_usd": "0.0045"})

Valuation hooks are pure, so each DISTINCT event is valued once: its key is the event without its
identity (viewer, id, stream, source, host) and with its timestamp reduced to the UTC date, the date of
its exchange rate and, without ``as_of``, of its rules. Identical events reuse that valuation, and the
totals are the exact valuation times the number of events, equal to the sum of the per-event valuations.

Every record is accounted for: the readers' `Skipped` records (no money, not read, repeats) and
`Rejected` records are counted beside the events. A duplicate is an event with the platform, ``id`` and
content of one seen before (a replay, an overlapping capture); an event with a seen id but other content
is an "id conflict": it is valued too, and the report names it. An event whose plugin failed (it raised,
or answered a wrong valuation: see `livemoney.engine.api.valued`) is valued as unknown, the reason
naming the plugin and its distribution, and is not written to the ledger (a later run values it); the
failure is in ``pm.faults``, and the command line exits 3. Gifts to a guest of a multi-guest LIVE
(see `livemoney.core.models.to_guest`) are valued into rows of their own, never into the creator's totals.

Memory stays flat however long the log: at most `MAX_KEYS` distinct keys are held before their counts
are folded into the totals, and the ids seen are kept in `livemoney.engine.seen.SeenIds` (the latest
16,384 in a dict, the others as sorted arrays of hashes, past about 4 million in a temporary SQLite
file): a repeat is caught wherever it is in the inputs of one run, however far from the first.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import operator
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from livemoney.core import models, schema
from livemoney.core.canonical import CANONICAL_READER, decode_line, too_long_line
from livemoney.core.fx import RateTable
from livemoney.core.models import (
    NO_MONEY,
    Context,
    Copies,
    Event,
    Gift,
    Reader,
    Rejected,
    Skipped,
    Valuation,
    WithCopies,
    to_guest,
)
from livemoney.core.records import EPOCH, EVENT_CLASSES, Batches, is_event_class, timestamp
from livemoney.core.schema import RAW_FIELDS, RAW_KEYS, event_key, fingerprint, line_decoder, millis
from livemoney.core.untrusted import EARLIEST, LATEST, TooLong, limits, lines, raw_text
from livemoney.core.valuation import unknown_valuation
from livemoney.engine import api
from livemoney.engine.ledger import Ledger, report_of
from livemoney.engine.ledger import moment as ledger_moment
from livemoney.engine.readers import KnownPlatforms, SharedDecoders, checked, detect_head, open_input
from livemoney.engine.report import Report, TooLarge, Totals, conflict_description, original_amount
from livemoney.engine.rows import NO_TIME, EventRows, to_millis
from livemoney.engine.seen import IDS_IN_MEMORY, SeenIds
from livemoney.errors import FieldError, FxError, InvalidInput, PluginError
from livemoney.pluginsys.manager import TOO_LARGE, PluginManager, default_manager

MAX_KEYS = 50_000
"""Distinct event keys held at once; beyond this their counts are folded into the totals and let go."""
FAST_PATH = True
"""Canonical logs take `Valuer.add_canonical`; the tests set it ``False`` to value them through the general
path (the canonical reader and `Valuer.add`) and check that both give the same report and the same ledger."""

_SECOND_TAILS = frozenset({f":{second:02d}{zone}" for second in range(60) for zone in ("Z", "+00:00")})
_UTC_TAIL = re.compile(r":[0-5]\d(\.\d+)?(Z|\+00:?00)")
_FRACTION_TAIL = re.compile(r":([0-5][0-9])\.([0-9]{1,6})(?:Z|\+00:00)")
_MINUTE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
_ON_ERROR = ("fail", "skip")
_YEARS = (f"{EARLIEST.year:04d}", f"{LATEST.year:04d}")
NEW, REPEAT, CONFLICT = 0, 1, 2
RAW_VALUES_KEPT = 4_096
"""Distinct `RAW_FIELDS` tuples the chunk path remembers a day (`Valuer._regular_chunk`); past it they are
forgotten and learnt again (each stands for a raw key already known: a lookup, not a valuation)."""
CHUNKS_SKIPPED = 64
"""After chunks that could not be taken whole, the fast path skips trying 1, 2, 4 ... up to this many chunks
before it tries again (a log that is never regular, e.g. with a repeat every few lines, pays little)."""
_UNSET: Any = object()
"""No time, minute or day yet: the fast path's per-line state after a chunk taken whole (`Valuer._regular_chunk`)."""
_RAW_VALUES = itertools.repeat(slice(len(RAW_FIELDS)))
"""A line's raw values: this slice of ``msgspec.structs.astuple(line)`` (`schema.line_decoder` puts `RAW_FIELDS` first)."""
_sliced: Callable[[Any, Any], tuple] = operator.getitem
_ts_of, _viewer_of, _id_of, _platform_of = (operator.attrgetter(name) for name in ("ts", "viewer", "id", "platform"))
_key_hash_of, _packed_of = operator.attrgetter("key_hash"), operator.attrgetter("packed")
_recipient_of = operator.attrgetter("recipient")
_OPENING = itertools.repeat(b"{")
_is_ascii: Callable[[Any], bool] = bytes.isascii


def _utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8."""
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


def _minute_millis(minute: str) -> int:
    """Milliseconds since 1970 of the start of a UTC minute ``YYYY-MM-DDTHH:MM`` (as `millis` counts them)."""
    return (dt.datetime.fromisoformat(minute).replace(tzinfo=dt.UTC) - EPOCH) // dt.timedelta(milliseconds=1)


def _minute(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")


_MILLISECOND = dt.timedelta(milliseconds=1)
_KEY_OF: dict[type, Callable[[Any, dt.date | None], tuple[Any, ...]]] = {}
"""Per event class, `_key_function`."""


def seen_in(ids: SeenIds, platform: str, id_: str, print_: int) -> int:
    """`NEW`, `REPEAT` (same platform, id and content: the same fingerprint ``print_``) or `CONFLICT` (same
    id, other content) for an event, by the id index ``ids``; remembers it unless it is a repeat.

    The index maps each id to the platform it was first seen on and the fingerprints seen with it
    (ids are rarely shared across platforms; when one is, the pair ``(platform, id)`` is its key).
    """
    key: object = id_
    found = ids.get(key)
    if found is not None and found[0] != platform:
        key = (platform, id_)
        found = ids.get(key)
    if found is None:
        ids.put(key, (platform, print_))
        return NEW
    prints = found[1]
    if prints == print_ or (prints.__class__ is tuple and print_ in prints):
        return REPEAT
    ids.put(key, (platform, (*prints, print_) if prints.__class__ is tuple else (prints, print_)))
    return CONFLICT


def without_repeats(items: Iterable[Event | Skipped | Rejected]) -> Iterator[Event | Skipped | Rejected]:
    """``items`` with each event that repeats an earlier one (same platform, id and content, as `Valuer.add`
    tells them: `schema.fingerprint`) replaced by a `Skipped` record of ``why`` `models.REPEAT`: what
    ``livemoney convert`` writes, so that a capture and its replay converted together are each event once.
    An event whose id came with other content (an id conflict) comes out, as `value` values it. The id index
    spills to disk past `IDS_IN_MEMORY` ids, as `value`'s does."""
    ids = SeenIds()
    try:
        for item in items:
            id_ = getattr(item, "id", None)
            if id_ and isinstance(item, Event):
                print_ = fingerprint(hash(event_key(item)), millis(item.ts), item)
                if seen_in(ids, item.platform, id_, print_) == REPEAT:
                    source, line = _position(item, 0)
                    yield Skipped(source, line, item.kind, models.REPEAT, ts=item.ts)
                    continue
            yield item
    finally:
        ids.close()


def _key_function(cls: type[Event]) -> Callable[[Any, dt.date | None], tuple[Any, ...]]:
    """``key(event, day)``: `schema.event_key` of an event of ``cls`` whose time's UTC date is ``day``, written from
    its `schema.value_fields` and compiled once (attribute loads, no generator: a third of `event_key`'s time)."""
    names = schema.value_fields(cls)
    if not all(name.isidentifier() for name in (schema.PLATFORM, *names)):
        raise ValueError(f"not field names: {names}")
    loads = "".join(f", event.{name}" for name in names)
    expression = f"(event.{schema.PLATFORM}, event.kind, day{loads})"
    found = _KEY_OF[cls] = schema.compiled(f"key_{cls.__name__}", "event, day", expression)
    return found


class _Entry:
    """One distinct valuation, how many events it values since the last fold (the creator's and the
    guests'), its packed exact amounts and the hash of its key (for fingerprints)."""

    __slots__ = ("count", "faulted", "guests", "items", "key_hash", "ledger", "original", "packed", "valuation")

    def __init__(self, valuation: Valuation, original: Any, packed: int, key_hash: int, items: int = 1) -> None:
        self.valuation = valuation
        self.original = original
        self.packed = packed
        self.key_hash = key_hash
        self.items = items
        """How many items one of its events carries (a gift's or likes' ``count``), for `EventRows`."""
        self.count = 0
        self.guests = 0
        self.ledger: tuple[int, str] = (0, "")
        """With a ledger: its valuation's id there and its key's digest (`Ledger.valuation`)."""
        self.faulted = False
        """Its valuation is unknown because a plugin failed: not written to the ledger."""


def _position(event: Event, ordinal: int) -> tuple[str, int]:
    """The file and line of an event read from a log (its ``source``), else ``(events)`` and its ordinal."""
    source, _, line = (event.source or "").rpartition(":")
    return (source, int(line)) if line.isdigit() else (event.source or "(events)", ordinal)


class Valuer:
    """Values events one at a time into running `Totals`; `report` gives the `Report` so far.

    :param on_error: ``"fail"`` raises `InvalidInput` at the first rejected line; ``"skip"`` counts it.
    :param rejects: a text file that receives each rejected line (see `write_reject`).
    :param ledger: a `livemoney.engine.ledger.Ledger` that records each valued event.
    :param host: the LIVE host's user id, for gifts whose record names a recipient but not the host.
    :param rows: an `EventRows` that keeps each valued event and each timed record without money (for an
        analysis, `livemoney.engine.analytics`); ``None``, the default, keeps nothing per event.
    :param ids_in_memory: how many of the latest ids the duplicate index keeps in its dict before it moves them
        to its sorted arrays (`livemoney.engine.seen.SeenIds`).
    """

    def __init__(
        self,
        context: Context,
        pm: PluginManager,
        *,
        known: KnownPlatforms | None = None,
        on_error: str = "skip",
        rejects: Any = None,
        ledger: Any = None,
        host: str | None = None,
        rows: EventRows | None = None,
        ids_in_memory: int = IDS_IN_MEMORY,
    ) -> None:
        if on_error not in _ON_ERROR:
            raise ValueError(f"on_error: {on_error!r} is not one of {', '.join(_ON_ERROR)}")
        self.context = context
        self.pm = pm
        self.known = known or KnownPlatforms(pm)
        self.on_error = on_error
        self.rejects = rejects
        self.ledger = ledger
        self.host = host
        self.rows = rows
        self.totals = Totals(context.currency, context.as_of)
        self._entries: dict[tuple, _Entry] = {}
        self._raw_keys: dict[tuple[str | None, str | None], dict[tuple, _Entry]] = {}
        self._raw_values: dict[tuple[str | None, str | None], dict[tuple, _Entry]] = {}
        """Per UTC day and default platform, the chunk path's `RAW_FIELDS` tuples → entry (at most
        `RAW_VALUES_KEPT` a day; a cache: cleared with the keys when they make room)."""
        """Per UTC day and default platform, the fast path's raw values of a line (`schema.RAW_KEYS`) → entry."""
        self._failed: dict[tuple, tuple[str, str]] = {}
        self._minutes: set[str] = set()
        self.ids = SeenIds(ids_in_memory)
        """Every id seen in the run (`livemoney.engine.seen.SeenIds`), for duplicates and id conflicts."""
        self._last_time: dt.datetime | None = None
        self._last_minute = ""
        self._last_millis: int | None = None
        self._last_minute_at: int | None = None
        self._last_date: dt.date | None = None
        """What `at` worked out of ``_last_time``: its milliseconds, minute (number and text) and UTC date."""
        self._blank = 0

    # --- bookkeeping ----------------------------------------------------------------------

    def reject(self, rejected: Rejected, counted: bool = False) -> None:
        """Count a rejected record (and write it to the rejects file); with ``on_error="fail"``, raise.

        ``counted``: the record is already counted as read.
        """
        if not counted:
            self.totals.records += 1
        self.totals.reject(rejected)
        if self.rejects is not None:
            write_reject(self.rejects, rejected)
        if self.on_error == "fail":
            raise InvalidInput(rejected)

    def skip(self, skipped: Skipped) -> None:
        """Count a `Skipped` record: without money, of a kind not read, or a repeat."""
        self.totals.records += skipped.count
        self.totals.skip(skipped)
        if self.rows is not None and skipped.ts is not None and skipped.why == NO_MONEY:
            self.rows.skipped(skipped.kind, skipped.ts, skipped.count)

    def _seen(self, platform: str, id_: str, print_: int) -> int:
        """`seen_in` the run's id index (`NEW`, `REPEAT` or `CONFLICT`)."""
        return seen_in(self.ids, platform, id_, print_)

    def _conflict(self, platform: str, id_: str, where: str, kind: str, viewer: str | None) -> None:
        self.totals.conflict(conflict_description(platform, id_, where, kind, viewer))

    def fold(self) -> None:
        """Move the counts of the distinct valuations held into the totals."""
        folded = set()
        raw = (entry for keys in self._raw_keys.values() for entry in keys.values())
        for entry in (*self._entries.values(), *raw):
            if id(entry) in folded:
                continue
            folded.add(id(entry))
            if entry.count:
                self.totals.add(entry.valuation, entry.count, entry.original)
                entry.count = 0
            if entry.guests:
                self.totals.add(entry.valuation, entry.guests, entry.original, to_guests=True)
                entry.guests = 0

    def _make_room(self) -> None:
        if len(self._entries) + sum(map(len, self._raw_keys.values())) >= MAX_KEYS:
            self.fold()
            self._entries.clear()
            for keys in self._raw_keys.values():  # in place: the fast path holds the current day's
                keys.clear()
            self._raw_values.clear()
            self._failed.clear()

    def _day_keys(self, day: str | None, platform: str | None) -> dict[tuple, _Entry]:
        """The fast path's raw keys of the lines of UTC ``day`` read with the default ``platform``."""
        return self._raw_keys.setdefault((day, platform), {})

    def entry(self, event: Event) -> _Entry | tuple[str, str]:
        """The distinct valuation of ``event`` (valued now if new), or ``(field, problem)`` if it cannot be."""
        key = event_key(event)
        found = self._entries.get(key)
        if found is not None:
            return found
        failure = self._failed.get(key)
        if failure is not None:
            return failure
        self._make_room()
        faulted = False
        valuation: Valuation | None = None
        try:
            valuation = api.valued(self.pm, event, self.context)
        except FxError as error:
            # No rate: the event is valued as unknown, with the reason (never dropped, never guessed).
            valuation = unknown_valuation(
                platform=event.platform, kind=event.kind, event=event, context=self.context, reason=str(error)
            )
        except TOO_LARGE as error:  # an amount too large for exact decimal arithmetic
            failure = ("amount", f"too large to value exactly ({type(error).__name__})")
        except PluginError as error:
            # A plugin failed (its fault is in pm.faults, and the command exits 3): the event is unknown, with
            # the reason naming the plugin; it is not written to the ledger, so that a later run values it.
            valuation = unknown_valuation(
                platform=event.platform, kind=event.kind, event=event, context=self.context, reason=str(error)
            )
            faulted = True
        if valuation is None or failure is not None:
            failure = failure or ("type", f"no installed plugin values {event.kind} events on {event.platform!r}")
            self._failed[key] = failure
            return failure
        try:
            packed = self.totals.pack(valuation.gross.amount, valuation.net.amount)
        except TooLarge as error:
            self._failed[key] = failure = ("amount", f"valued at {error}")
            return failure
        except ValueError as error:
            raise PluginError(f"a plugin valued {event!r}: {error}") from None
        items = getattr(event, "count", 1)
        found = self._entries[key] = _Entry(valuation, original_amount(event), packed, hash(key), items)
        found.faulted = faulted
        if self.ledger is not None and not faulted:
            found.ledger = self.ledger.valuation(key, event, valuation, found.original)
        return found

    # --- one event ------------------------------------------------------------------------

    def add(
        self, event: Event, raw: str | None = None, position: int = 0, counted: bool = False
    ) -> Valuation | Rejected | None:
        """Value one event into the totals: its `Valuation`, its `Rejected`, or ``None`` for a duplicate.

        :param raw: the event's text in its log, for the rejects file (default: a canonical line).
        :param position: for the ledger key of an event without an id: its place among the events of its
            line (``event.source``, 0 for the first), or among the events given when it names no line.
        :param counted: the event is already counted as read.
        """
        platform = event.platform
        if platform not in self.known.keys:
            return self._reject_event(event, "platform", self.known.problem(platform) or "", raw, counted)
        if not counted:
            self.totals.records += 1
        ts = event.ts
        if ts != self._last_time:  # events come many a second: each time's millis, minute and date made once
            self.at(ts)
        cls = event.__class__
        key_of = _KEY_OF.get(cls) or _key_function(cls)
        found = self._entries.get(key_of(event, self._last_date))
        if found is None:
            entry = self.entry(event)
            if isinstance(entry, tuple):
                return self._reject_event(event, *entry, raw, counted=True)
            found = entry
        id_ = event.id
        if not id_:
            self.totals.without_id += 1
        elif self.seen(found, event, platform, id_, event.kind, event.source or "(events)") == REPEAT:
            return None
        guest = False
        if isinstance(event, Gift) and event.recipient is not None:
            guest = to_guest(event, self.host)
            if self.host is not None and event.host not in (None, self.host):
                self.totals.host_differs += 1
            if event.host is None and self.host is None:
                self.totals.hostless(event.recipient)
        if guest:
            found.guests += 1
        else:  # what `count` does of it, written out
            found.count += 1
            packed, totals = found.packed, self.totals
            viewer = event.viewer
            if viewer is not None:
                viewers = totals.viewers
                viewers[viewer] = viewers.get(viewer, 0) + packed
            if ts is not None:
                bins, minute = totals.bins, self._last_minute
                bins[minute] = bins.get(minute, 0) + packed
        if self.ledger is not None and not found.faulted:
            self.ledger.add(event, found.ledger, guest, position)
        if self.rows is not None:
            self.rows.add(self.rows.index_of(found), event.viewer, event.stream, to_millis(ts), guest)
        return found.valuation

    def at(self, ts: dt.datetime | None) -> None:
        """Make ``ts`` the time of the events that follow (`add`, `seen`, `count`): its milliseconds
        (`schema.millis`), its UTC minute and its UTC date, worked out once for the events that share it (the
        minute's text and the date once a minute)."""
        if ts == self._last_time:
            return
        self._last_time = ts
        if ts is None:
            self._last_millis = self._last_minute_at = None
            self._last_minute, self._last_date = "", None
            return
        self._last_millis = moment = (ts - EPOCH) // _MILLISECOND  # = schema.millis(ts), without its call
        minute = moment // 60_000
        if minute != self._last_minute_at:
            self._last_minute_at = minute
            self._last_minute = _minute(ts)
            self._last_date = models.utc_date(ts)

    def seen(
        self, found: _Entry, item: Any, platform: str, id_: str, kind: str, source: str, line: int | None = None
    ) -> int:
        """Whether an event of ``found``'s key with id ``id_`` at the time of `at` is `NEW`, a `REPEAT` (then
        counted as a duplicate) or a `CONFLICT` (then named in the report). ``item``: the event, or anything
        with its `schema.FINGERPRINT` fields (a fast-path line); ``source`` and ``line``: where it was read
        (``FILE:LINE``, or ``source`` alone when ``line`` is ``None``), for a conflict's description."""
        print_ = fingerprint(found.key_hash, self._last_millis, item)
        ids = self.ids
        hot = ids.hot
        # Never seen: not in the dict, and nothing past it or a 0 at the Bloom filter's first probe
        # (`SeenIds.screen`): remembered as `_seen` does, without its lookups.
        if id_ not in hot:
            on_disk, bits, mask = ids.screen
            if not on_disk or not bits[(probe := hash(id_) & mask) >> 3] >> (probe & 7) & 1:
                hot[id_] = (platform, print_)  # `SeenIds.put`, written out
                if len(hot) >= ids.in_memory:
                    ids.spill()
                return NEW
        seen = self._seen(platform, id_, print_)
        if seen == REPEAT:
            self.totals.duplicates += 1
        elif seen == CONFLICT:
            self._conflict(platform, id_, source if line is None else f"{source}:{line}", kind, item.viewer)
        return seen

    def raw_keys(self) -> dict[tuple, _Entry]:
        """The raw keys (`schema.RAW_KEYS`) of the lines of the UTC day of `at`'s time read without a default
        platform, each standing for its entry (as in `add_canonical`): for a fast path that reads canonical
        records (`LiveTally`). Emptied in place when the entries are let go (`MAX_KEYS`)."""
        return self._day_keys(self._last_minute[:10] or None, None)

    def count(self, found: _Entry, viewer: str | None, guest: bool = False) -> None:
        """Count one event of ``found``'s key, at the time of `at`: a guest's apart, else into the totals of
        its viewer and of its minute."""
        if guest:
            found.guests += 1
            return
        found.count += 1
        packed = found.packed
        if viewer is not None:
            viewers = self.totals.viewers
            viewers[viewer] = viewers.get(viewer, 0) + packed
        if self._last_time is not None:
            bins = self.totals.bins
            minute = self._last_minute
            bins[minute] = bins.get(minute, 0) + packed

    def _reject_event(self, event: Event, field: str, problem: str, raw: str | None, counted: bool = False) -> Rejected:
        from livemoney.core.canonical import canonical_line

        source, line = _position(event, self.totals.records + 1)
        rejected = Rejected(source, line, field, problem, raw if raw is not None else canonical_line(event))
        self.reject(rejected, counted)
        return rejected

    def add_all(self, items: Iterable[Event | Skipped | Rejected]) -> None:
        """Value each event of ``items``, count each `Skipped` and `Rejected`. A reader's `WithCopies` gives its
        items as they are: each `Copies` is counted at once where it can be (`add_copies`), else row by row."""
        if isinstance(items, WithCopies):
            items = self._copies_counted(items.items)
        last, nth = None, 0
        totals, rows, add, events, ledger = self.totals, self.rows, self.add, EVENT_CLASSES, self.ledger
        without_money = totals.without_money
        for ordinal, item in enumerate(items, start=1):
            if item.__class__ is Skipped and rows is None and item.why == NO_MONEY:
                # the common item (a chat message): what `skip` does of it, written out
                count, kind = item.count, item.kind
                totals.records += count
                without_money[kind] = without_money.get(kind, 0) + count
            elif (cls := item.__class__) in events or (isinstance(item, Event) and is_event_class(cls)):  # one lookup
                if ledger is not None:
                    # For the ledger (its only reader): the event's place among the events of its line (a record may
                    # hold several).
                    source = item.source
                    if source is None:
                        nth = ordinal
                    elif source == last:
                        nth += 1
                    else:
                        last, nth = source, 0
                add(item, None, nth)  # type: ignore[arg-type]  # an event: its class is one of EVENT_CLASSES
            elif isinstance(item, Rejected):
                self.reject(item)
            elif isinstance(item, Skipped):
                self.skip(item)
            else:
                raise TypeError(f"value: item {ordinal} is a {type(item).__name__}, not an Event (nor a path)")

    def _copies_counted(
        self, items: Iterator[Event | Skipped | Rejected | Copies]
    ) -> Iterator[Event | Skipped | Rejected]:
        """``items`` with each `Copies` counted (`add_copies`) or, where it cannot be, given as its events."""
        for item in items:
            if isinstance(item, Copies):
                if not self.add_copies(item):
                    yield from item.each()
            else:
                yield item

    def add_copies(self, copies: Copies) -> bool:
        """Count the rows of ``copies`` in one step for each of its distinct events, as `add` counts them one by
        one; ``False`` (nothing counted) where that step cannot be taken, and the rows are for `add` one by one.

        The step: each distinct event's valuation key looked up once (valued with its first row's event when new,
        as `add` would value it, in the order of their first rows); its count raised by its rows and its minute's
        total by that many times its packed amounts; then each row's viewer's total, row by row (the viewers come
        in the rows' order, as from `add`). The same counts, totals and explanations as `add` gives.

        Row by row where a row may be more than counted: a ledger or `EventRows` (a row each), an event with an id
        (duplicates and id conflicts), a gift that names its recipient (a guest's?), an unknown platform or an
        event that cannot be valued (each row rejected with its own line); and when the new keys might fill
        `MAX_KEYS` (a fold halfway would lose counts taken before it)."""
        events = copies.events
        if self.rows is not None or self.ledger is not None:
            return False
        keys = self.known.keys
        for event in events:
            if event.id or event.platform not in keys or (isinstance(event, Gift) and event.recipient is not None):
                return False
        if len(self._entries) + sum(map(len, self._raw_keys.values())) + len(events) >= MAX_KEYS:
            return False
        which, viewers = copies.which, copies.viewers
        entries, at = self._entries, self.at
        found: list[_Entry] = []
        minutes: list[str | None] = []
        first = 0  # where the first row of the next event is looked for: first rows come in the events' order
        for index, event in enumerate(events):
            ts = event.ts
            if ts != self._last_time:
                at(ts)
            cls = event.__class__
            key_of = _KEY_OF.get(cls) or _key_function(cls)
            entry = entries.get(key_of(event, self._last_date))
            if entry is None:
                row = first = which.index(index, first)  # its first row
                copy = models.unchecked(cls, "viewer", "source")
                made = self.entry(copy(event, viewers[row], f"{copies.source}:{copies.lines[row]}"))
                if isinstance(made, tuple):  # cannot be valued: each row rejected by `add`, the values kept
                    return False
                entry = made
            found.append(entry)
            minutes.append(None if ts is None else self._last_minute)
        totals = self.totals
        rows = len(which)
        totals.records += rows
        totals.without_id += rows
        bins = totals.bins
        counts = Counter(which)
        for index, (entry, minute) in enumerate(zip(found, minutes)):
            count = counts[index]
            entry.count += count
            if minute is not None:
                bins[minute] = bins.get(minute, 0) + entry.packed * count
        packed = [entry.packed for entry in found]
        sums = totals.viewers
        get = sums.get
        for viewer, amounts in zip(viewers, map(packed.__getitem__, which)):  # each row's packed amounts, in C
            if viewer is not None:
                sums[viewer] = get(viewer, 0) + amounts
        return True

    # --- a canonical log, fast ------------------------------------------------------------

    def add_canonical(self, stream: BinaryIO, source: str, platform: str | None = None, bar: Any = None) -> None:
        """Value every line of a canonical JSON Lines log; the result is that of `read_canonical` + `add`.

        A line that `schema.line_decoder` takes (every field of its usual type, amounts exact) is looked
        up by the raw values that decide its valuation (`schema.RAW_KEYS`, among the keys of its UTC day),
        validated and valued the first time they are met; any other line takes the full path of
        `canonical.decode_line`. Money per viewer and per minute is summed as packed integers (see
        `report.pack`), the minute's in a running sum flushed when the minute changes. Without a ledger or
        rows kept, a chunk of regular lines of known valuations and new ids is taken whole, in C
        (`_regular_chunk`); any other chunk takes the loop line by line.
        """
        decode = line_decoder(self.known.keys, nulls=False).decode  # a null: refused, the full path reads it
        raw_keys_of = RAW_KEYS
        viewers = self.totals.viewers
        bins = self.totals.bins
        minutes = self._minutes
        tails = _SECOND_TAILS
        ids = self.ids
        hot, in_memory, may_have = ids.hot, ids.in_memory, ids.may_have
        on_disk, bits, mask = ids.screen
        host = self.host
        number = 0
        last_ts: str | int | None = None
        ts_millis: int | None = None
        ts_parsed: Any = None
        current: str | None = None
        day: str | None = None
        day_keys = self._day_keys(day, platform)
        running = 0
        found: _Entry | None
        irregular = self._irregular
        blank = self._blank
        rows = self.rows
        rows_ts: Any = None
        rows_millis = NO_TIME
        book = self.ledger
        book_file = book.file_id(source) if book is not None else 0
        book_plain: Any = book.plain.setdefault(book_file, []) if book is not None else []
        book_values = book.batch * 6 if book is not None else 0  # 6 values a row (`Ledger.plain`)
        book_ts: Any = book_plain  # no time is this object: the first line's time is read
        book_when: int | None = None
        book_ms = ""
        key_platform: Any = platform
        done = 0
        data: Any  # a line's bytes, or a TooLong
        whole = book is None and rows is None  # a chunk may then be taken whole (`_regular_chunk`)
        misses = skipped = 0  # chunks not taken whole in a row; chunks left to skip trying
        longest = limits().max_record_bytes
        for chunk in lines(stream):
            if whole and skipped:
                skipped -= 1
            elif whole and not self._regular_chunk(chunk, number, source, platform):
                misses += 1
                skipped = min(1 << (misses - 1), CHUNKS_SKIPPED)
            elif whole:
                misses = 0
                if current is not None and running:
                    bins[current] = bins.get(current, 0) + running
                number += len(chunk)
                running, current, last_ts, day = 0, _UNSET, _UNSET, _UNSET
                on_disk, bits, mask = ids.screen
                if bar is not None:
                    position = stream.tell()
                    bar.update(position - done)
                    done = position
                continue
            for data in chunk:
                number += 1
                try:
                    # A regular line has one object and no array: deeper ones take the full path, which
                    # bounds nesting (the typed decode would skip unknown fields however deep). A null is
                    # refused by the decoder (``nulls=False``).
                    if (
                        data.count(b"{") != 1
                        or b"[" in data
                        or len(data) > longest
                        or not (data.isascii() or _utf8(data))  # a field the typed decode skips is not checked
                    ):
                        raise TypeError
                    line = decode(data)
                except (msgspec.MsgspecError, UnicodeDecodeError, TypeError, AttributeError, RecursionError):
                    irregular(data, number, source, platform)
                    on_disk, bits, mask = ids.screen
                    continue
                ts = line.ts
                # Most lines share the timestamp of the line before (live events come many a second).
                if ts != last_ts:
                    if ts is None:
                        minute = None
                    elif ts.__class__ is str and ts[16:] in tails:
                        minute = ts[:16]
                    else:
                        minute = self._minute_of(ts)
                        if minute is None:
                            irregular(data, number, source, platform)
                            on_disk, bits, mask = ids.screen
                            continue
                    if minute != current:
                        if minute is not None and minute not in minutes and not self._valid_minute(minute):
                            irregular(data, number, source, platform)
                            on_disk, bits, mask = ids.screen
                            continue
                        if current is not None and running:
                            bins[current] = bins.get(current, 0) + running
                        running = 0
                        current = minute
                        if day != (day := None if minute is None else minute[:10]):
                            day_keys = self._day_keys(day, platform)
                    last_ts = ts
                try:
                    key = raw_keys_of[line.type](line)
                except KeyError:  # a record without a type
                    irregular(data, number, source, platform)
                    on_disk, bits, mask = ids.screen
                    continue
                # Subscripts and `in` rather than dict.get: no method call on the lines that hit.
                try:
                    found = day_keys[key]
                except KeyError:
                    found = self._first_of_key(day_keys, key, data, number, source, platform)
                    on_disk, bits, mask = ids.screen
                    if found is None:
                        continue
                id_ = line.id
                if not id_:
                    self.totals.without_id += 1
                else:
                    key_platform = line.platform
                    if key_platform is None:
                        key_platform = platform
                    if ts != ts_parsed:
                        ts_millis = None if ts is None else millis(timestamp(ts, "ts"))
                        ts_parsed = ts
                    print_ = fingerprint(found.key_hash, ts_millis, line)
                    # Never seen: not in the dict, and nothing past it or a 0 at the Bloom filter's first
                    # probe (`SeenIds.screen`), else at one of its others.
                    if id_ not in hot and (
                        not on_disk
                        or not bits[(probe := hash(id_) & mask) >> 3] >> (probe & 7) & 1
                        or not may_have(id_)
                    ):
                        hot[id_] = (key_platform, print_)
                        if len(hot) >= in_memory:
                            ids.use_numpy()  # a canonical log puts an id a line: numpy's runs (as its chunks need)
                            ids.spill()
                            on_disk, bits, mask = ids.screen
                    else:
                        seen = self._seen(key_platform, id_, print_)
                        on_disk, bits, mask = ids.screen
                        if seen == REPEAT:
                            self.totals.duplicates += 1
                            continue
                        if seen == CONFLICT:
                            self._conflict(key_platform, id_, f"{source}:{number}", line.type, line.viewer)
                if line.recipient is not None and line.type == "gift":
                    anchor = line.host if line.host is not None else host
                    if host is not None and line.host is not None and line.host != host:
                        self.totals.host_differs += 1
                    if anchor is None:
                        self.totals.hostless(line.recipient)
                    elif line.recipient != anchor:
                        found.guests += 1
                        if rows is not None:
                            if ts != rows_ts:
                                rows_millis = NO_TIME if ts is None else to_millis(timestamp(ts, "ts"))
                                rows_ts = ts
                            rows.add(rows.index_of(found), line.viewer, line.stream, rows_millis, True)
                        if book is not None and not found.faulted:
                            book.add_line(line, key_platform, found.ledger, book_file, number, True)
                        continue
                found.count += 1
                if book is not None and not found.faulted:
                    # The row `Ledger.add` makes of the line's event, made here from the line's raw values (as
                    # `ledger.key_of` writes keys): this runs for every line. Rows with a stream or a host and
                    # gifts to guests take `Ledger.add_line`.
                    if ts != book_ts:
                        book_when, book_ms = ledger_moment(ts)
                        book_ts = ts
                    ref = found.ledger
                    book_viewer = line.viewer
                    if book_viewer is None:
                        if id_:
                            book_key = f"{key_platform}:{len(id_)}:{id_}:{ref[1]}/{book_ms}"
                        else:
                            book_key = f"@{book_file}:{number}:{ref[1]}/{book_ms}"
                    elif id_:
                        book_key = f"{key_platform}:{len(id_)}:{id_}:{ref[1]}/{book_ms}/{book_viewer}"
                    else:
                        book_key = f"@{book_file}:{number}:{ref[1]}/{book_ms}/{book_viewer}"
                    if line.stream is None and (line.host is None or line.type != "gift"):
                        book_plain += (book_key, ref[0], book_viewer, book_when, id_, number)
                        if len(book_plain) >= book_values:
                            book.commit()
                    else:
                        book.add_line(line, key_platform, ref, book_file, number, False)
                if rows is not None:
                    if ts != rows_ts:
                        rows_millis = NO_TIME if ts is None else to_millis(timestamp(ts, "ts"))
                        rows_ts = ts
                    rows.add(rows.index_of(found), line.viewer, line.stream, rows_millis, False)
                packed = found.packed
                running += packed
                viewer = line.viewer
                if viewer is not None:
                    try:
                        viewers[viewer] += packed
                    except KeyError:
                        viewers[viewer] = packed
            if bar is not None:
                position = stream.tell()
                bar.update(position - done)
                done = position
        if current is not None and running:
            bins[current] = bins.get(current, 0) + running
        self.totals.records += number - (self._blank - blank)

    def _regular_chunk(self, chunk: list[Any], number: int, source: str, platform: str | None) -> bool:
        """Value a chunk of lines at once, if every line is regular and known; ``False`` (nothing changed)
        if one is not, and the chunk then takes the per-line loop of `add_canonical`.

        Taken whole: every line one object (one ``{``, its first byte; no ``[``, no null) that
        `schema.line_decoder` takes, a UTC time of one day (whole seconds or a fraction), raw values that value (`RAW_FIELDS`, mapped to
        the raw key of `RAW_KEYS`; the first line of a new one is read fully, as `_first_of_key` does), no
        gift to a guest (`_gifts_to_the_host`), and ids never seen before nor twice in the chunk (a repeat,
        an id conflict, a line that does not read or value: per line). ``number`` is how many lines were read before the chunk.

        Then each step is done for all the lines at once, in C (``msgspec``'s ``decode_lines`` and
        ``astuple``, ``operator.attrgetter``, ``Counter``, the id index's arrays: `SeenIds.put_new`), one
        Python step per distinct value, but for the sums per viewer (a plain loop, which Python specialises:
        quicker than three maps in C): the same counts, sums per viewer and per minute, ids and fingerprints
        as line by line (a differential test: tests/test_fast_chunks.py).
        """
        count = len(chunk)
        try:
            buffer = b"\n".join(chunk)  # a TypeError for a `TooLong` line
        except TypeError:
            return False
        longest = limits().max_record_bytes
        if (
            (len(buffer) > longest and max(map(len, chunk)) > longest)  # too long: rejected, per line
            # Every line starts with the one ``{`` of its object: its first byte is a ``{``, and the buffer
            # has no other.
            or not all(map(bytes.startswith, chunk, _OPENING))
            or buffer.count(b"{") != count
            or b"[" in buffer
        ):
            return False  # some line is not exactly one object (``decode_lines`` takes values apart by spaces)
        if not buffer.isascii():
            try:  # the lines that are not ASCII (a field the typed decoder skips is not checked by it)
                b"\n".join(itertools.filterfalse(_is_ascii, chunk)).decode()
            except UnicodeDecodeError:
                return False
        try:  # a null as in the per-line loop: refused (``nulls=False``), the full path reads the line
            items = line_decoder(self.known.keys, nulls=False).decode_lines(buffer)
        except (msgspec.MsgspecError, UnicodeDecodeError, RecursionError):
            return False
        if len(items) != count:
            return False
        times = list(map(_ts_of, items))
        minute_of: dict[Any, str] = {}
        day = None
        for ts in set(times):
            if ts.__class__ is not str or (ts[16:] not in _SECOND_TAILS and not _UTC_TAIL.fullmatch(ts, 16)):
                return False
            minute = ts[:16]
            if minute not in self._minutes and not self._valid_minute(minute):
                return False
            if day != minute[:10]:
                if day is not None:
                    return False  # a chunk over midnight: per line
                day = minute[:10]
            minute_of[ts] = minute
        hostless = self._gifts_to_the_host(items)
        if hostless is None:
            return False
        day_keys = self._day_keys(day, platform)
        known = self._raw_values.setdefault((day, platform), {})
        values: list[tuple] = list(map(_sliced, map(msgspec.structs.astuple, items), _RAW_VALUES))
        try:
            entries = list(map(known.__getitem__, values))
        except KeyError:
            learned = self._learn_raw_values(known, day_keys, values, items, chunk, number, source, platform)
            if learned is None:
                return False
            entries = list(map(learned.__getitem__, values))
        ids = list(map(_id_of, items))
        if not all(ids):
            kept = list(map(bool, ids))
            present = list(itertools.compress(ids, kept))
            without_id = len(ids) - len(present)
        else:
            kept, present, without_id = None, ids, 0
        new_ids = self.ids.hashes_if_new(present)  # also ``None`` for an id twice in the chunk
        if new_ids is None:
            return False
        moments = self._moments(minute_of) if present else {}
        if moments is None:
            return False
        # Every line is new and known: take them all (nothing was changed before this point).
        self.totals.without_id += without_id
        for recipient in hostless:
            self.totals.hostless(recipient)
        viewers = list(map(_viewer_of, items))
        if present:
            prints: Any = map(hash, zip(map(_key_hash_of, entries), map(moments.__getitem__, times), viewers))
            written = list(map(_platform_of, items))
            if None in written:  # a line without a platform: the reader's default
                written = [platform if name is None else name for name in written]
            if kept is not None:
                prints, written = itertools.compress(prints, kept), list(itertools.compress(written, kept))
            self.ids.put_new(new_ids, prints, written)
        for entry, times_seen in Counter(entries).items():
            entry.count += times_seen
        packs = list(map(_packed_of, entries))
        bins = self.totals.bins
        minutes = set(minute_of.values())
        if len(minutes) == 1:
            per_minute = {minutes.pop(): sum(packs)}
        else:  # the lines' times in order (as a live log writes them): each minute's lines are one stretch
            per_minute = dict.fromkeys(sorted(minutes), 0)
            if all(map(operator.le, times, itertools.islice(times, 1, None))):
                start = 0
                for minute in per_minute:
                    end = bisect.bisect_left(times, minute + ";", start)  # ";" sorts after a minute's seconds
                    per_minute[minute] = sum(packs[start:end])
                    start = end
            else:
                for ts, packed in zip(times, packs):
                    per_minute[minute_of[ts]] += packed
        for minute, packed in per_minute.items():
            if packed:
                bins[minute] = bins.get(minute, 0) + packed
        totals = self.totals.viewers
        total_of = totals.get
        for viewer, packed in zip(viewers, packs):  # a viewer met twice in the chunk adds up
            totals[viewer] = total_of(viewer, 0) + packed
        totals.pop(None, None)  # type: ignore[call-overload]  # a line without a viewer: in no viewer's total
        return True

    def _gifts_to_the_host(self, items: list[Any]) -> list[str] | None:
        """The recipients of the gifts of ``items`` that name one while no host is known (neither the
        record's nor the run's ``host``: valued as the creator's, counted by `Totals.hostless`), if every
        other gift that names a recipient names the host (the record's, else the run's; a record naming
        another host than the run's aside): such a gift counts as a gift without a recipient does. ``None``
        if one does not (a gift to a guest, or naming another host): the chunk goes per line."""
        if set(map(_recipient_of, items)) == {None}:  # no record names a recipient (the common case)
            return []
        host, hostless = self.host, []
        for item in items:
            recipient = item.recipient
            if recipient is None or item.type != "gift":
                continue
            named = item.host
            if named is None:
                if host is None:
                    hostless.append(recipient)
                elif recipient != host:
                    return None
            elif recipient != named or (host is not None and named != host):
                return None
        return hostless

    @staticmethod
    def _moments(minute_of: dict[str, str]) -> dict[str, int | None] | None:
        """Each UTC time's `millis` (its fingerprint's time), as the per-line loop reads it: its minute's
        start (once a minute) and its seconds; a time that does not read, ``None`` for all."""
        starts = {minute: _minute_millis(minute) for minute in set(minute_of.values())}
        moments: dict[str, int | None] = {}
        for ts, minute in minute_of.items():
            if ts[16:] in _SECOND_TAILS:
                moments[ts] = starts[minute] + int(ts[17:19]) * 1000
            elif fraction := _FRACTION_TAIL.fullmatch(ts, 16):  # 1 to 6 digits: whole microseconds
                moments[ts] = starts[minute] + int(fraction[1]) * 1000 + int(fraction[2].ljust(3, "0")[:3])
            else:  # another `_UTC_TAIL`: read as the per-line loop reads it
                try:
                    moments[ts] = millis(timestamp(ts, "ts"))
                except FieldError:
                    return None
        return moments

    def _learn_raw_values(
        self,
        known: dict[tuple, _Entry],
        day_keys: dict[tuple, _Entry],
        values: list[tuple],
        items: list[Any],
        chunk: list[bytes],
        number: int,
        source: str,
        platform: str | None,
    ) -> dict[tuple, _Entry] | None:
        """Each `RAW_FIELDS` tuple of ``values`` → the entry of its raw key (`RAW_KEYS`) in ``day_keys``, valuing
        the first line of a raw key new too (read fully, as `_first_of_key` does), in the order the lines come
        (so entries are made in the order the per-line loop makes them); the tuples are remembered in
        ``known`` (at most `RAW_VALUES_KEPT`: it starts again when full). ``None``, having valued nothing, if a
        line has no type, would make the valuations held reach `MAX_KEYS` (the per-line loop then makes room
        where it would), or does not read or value (the per-line loop rejects it)."""
        first = dict(zip(reversed(values), range(len(values) - 1, -1, -1)))  # each value's first line
        missing = [raw for raw in first if raw not in known]
        missing.sort(key=first.__getitem__)
        to_value: list[tuple[tuple, int]] = []
        keys: list[tuple] = []
        for raw in missing:
            item = items[first[raw]]
            key_of = RAW_KEYS.get(item.type)
            if key_of is None:
                return None
            key = key_of(item)
            keys.append(key)
            if key not in day_keys:
                to_value.append((key, first[raw]))
        if to_value:
            held = len(self._entries) + sum(map(len, self._raw_keys.values()))
            if held + 2 * len(to_value) >= MAX_KEYS:
                return None
            made: dict[tuple, _Entry] = {}
            for key, at in to_value:
                if key in made:
                    continue
                event = decode_line(chunk[at], number + at + 1, source, platform, self.known)
                if not isinstance(event, Event):
                    return None
                entry = self.entry(event)
                if isinstance(entry, tuple):
                    return None
                made[key] = entry
            day_keys.update(made)
        learned = dict(zip(missing, map(day_keys.__getitem__, keys)))
        remembered = {raw: known[raw] for raw in first if raw not in learned}
        if len(known) + len(learned) > RAW_VALUES_KEPT:
            known.clear()
        if len(learned) <= RAW_VALUES_KEPT:
            known.update(learned)
        learned.update(remembered)
        return learned

    def _valid_minute(self, minute: str) -> bool:
        """Whether ``YYYY-MM-DDTHH:MM`` is a real minute from 2000 to 2099; a valid one is remembered."""
        if not _MINUTE.fullmatch(minute) or not _YEARS[0] <= minute[:4] < _YEARS[1]:
            return False
        try:
            dt.datetime.fromisoformat(minute)
        except ValueError:
            return False
        self._minutes.add(minute)
        return True

    def _minute_of(self, ts: Any) -> str | None:
        """The UTC minute (``YYYY-MM-DDTHH:MM``) of a timestamp in any form the reader takes, or ``None``.

        A UTC ISO time with fractions of a second is cut at its minute (checked by `_valid_minute`).
        """
        if ts.__class__ is str and _UTC_TAIL.fullmatch(ts, 16):
            return ts[:16]
        if isinstance(ts, (bool, dict, list)):
            return None
        try:
            minute = _minute(timestamp(ts, "ts"))
        except FieldError:
            return None
        self._minutes.add(minute)
        return minute

    def _irregular(self, data: bytes | TooLong, number: int, source: str, platform: str | None) -> None:
        """A line off the fast path: read it fully, then reject it or value it (it is already counted read)."""
        if isinstance(data, TooLong):
            self.reject(too_long_line(data, number, source), counted=True)
            return
        item = decode_line(data, number, source, platform, self.known)
        if item is None:
            self._blank += 1
        elif isinstance(item, Rejected):
            self.reject(item, counted=True)
        else:
            self.add(item, raw=raw_text(data), counted=True)

    def _first_of_key(
        self, day_keys: dict[tuple, _Entry], key: tuple, data: bytes, number: int, source: str, platform: str | None
    ) -> _Entry | None:
        """A regular line whose raw key is new to ``day_keys``: read it fully; if it is valid, its key stands
        for its valuation."""
        item = decode_line(data, number, source, platform, self.known)
        if item is None:  # a blank line (the fast decoder takes none: as on the irregular path)
            self._blank += 1
            return None
        if isinstance(item, Rejected):
            self.reject(item, counted=True)
            return None
        found = self.entry(item)
        if isinstance(found, tuple):
            self._reject_event(item, *found, raw_text(data), counted=True)
            return None
        day_keys[key] = found
        return found

    def add_lines(self, stream: BinaryIO, source: str, platform: str | None = None) -> None:
        """Value every line of a canonical log on the full path (`add`, as with a ledger): the result of
        `read_canonical` + `add_all`, an event rejected when valued keeping its line verbatim."""
        number = ordinal = 0
        for chunk in lines(stream):
            for data in chunk:
                number += 1
                if isinstance(data, TooLong):
                    ordinal += 1
                    self.reject(too_long_line(data, number, source))
                    continue
                item = decode_line(data, number, source, platform, self.known)
                if item is None:
                    continue
                ordinal += 1
                if isinstance(item, Rejected):
                    self.reject(item)
                else:
                    self.add(item, raw=raw_text(data))

    def report(self, **extra: Any) -> Report:
        """The `Report` of everything valued so far."""
        self.fold()
        return self.totals.report(**extra)


def write_reject(stream: Any, rejected: Rejected) -> None:
    """One JSON Lines record per rejected line: ``{"source", "line", "field", "problem", "raw"}``.

    ``raw`` is the line exactly as it was in the log (bytes that are not UTF-8 shown as ``\\xNN``).
    """
    record = {
        "source": rejected.source,
        "line": rejected.line,
        "field": rejected.field,
        "problem": rejected.problem,
        "raw": rejected.raw,
    }
    stream.write(json.dumps(record, ensure_ascii=False) + "\n")


# --- the library function -------------------------------------------------------------------


def _is_path(value: object) -> bool:
    return isinstance(value, (str, os.PathLike))


def _in_jupyter() -> bool:
    """Whether this runs in a Jupyter kernel (IPython's ZMQ shell), where tqdm draws a widget."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def _progress(enabled: bool | None, total: int | None, unit: str) -> Any:
    """A tqdm bar when asked, or by default only on a terminal or in Jupyter; else `_Nothing` (``None``)."""
    if enabled is False:
        return _Nothing()
    in_jupyter = _in_jupyter()
    if enabled is None and not (in_jupyter or sys.stderr.isatty()):
        return _Nothing()
    if in_jupyter:
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    return tqdm(
        total=total, unit=unit, unit_scale=True, unit_divisor=1024 if unit == "B" else 1000, desc="valuing", leave=False
    )


def value(
    paths_or_events: str | os.PathLike | Iterable[str | os.PathLike] | Iterable[Event] | None = None,
    currency: str = "USD",
    as_of: dt.date | str | None = None,
    settings: dict[str, Any] | None = None,
    *,
    pm: PluginManager | None = None,
    input_format: str = "auto",
    platform: str | None = None,
    on_error: str = "fail",
    rejects: str | os.PathLike | None = None,
    ledger: str | os.PathLike | None = None,
    progress: bool | None = None,
    host: str | None = None,
    rates: str | os.PathLike | RateTable | None = None,
    rate_fallback: str | None = None,
    rows: EventRows | None = None,
) -> Report:
    """Value logs (a path or a list of paths) or an iterable of events; the `Report` of what they earn.

    :param currency: the report currency, any ISO-4217 code (``"usd"`` is ``USD``); money in another
        currency is converted at the rate of the event's date (the ECB's, unless ``rates`` or a plugin
        gives one), none older than 7 days before it.
    :param as_of: the date whose rules apply (``None``: each event's own date).
    :param settings: overrides of declared settings, e.g. ``{"tiktok.diamond_usd": "0.0045"}``.
    :param input_format: a reader name, or ``"auto"`` to detect each file's format.
    :param platform: the platform of canonical records that leave it out.
    :param on_error: ``"fail"``: raise `InvalidInput` at the first bad line; ``"skip"``: value the rest.
    :param rejects: a file that receives every rejected line with its reason (JSON Lines, see `write_reject`).
    :param ledger: an SQLite file that records every valued event (see `livemoney.engine.ledger`); given alone,
        without logs, the report of what the ledger holds.
    :param progress: ``None``: a progress bar on a terminal or in Jupyter; ``True``/``False``: always/never.
    :param host: the LIVE host's user id: a gift whose record names a recipient other than the host is a
        gift to a guest (shown apart, never in the creator's totals). A record that names its host wins.
    :param rates: your own exchange rates, a CSV of ``date,base,quote,rate,source`` (see `livemoney.context`).
    :param rate_fallback: ``"latest"``: use a rate older than 7 days (explain says so) instead of unknown.
    :param rows: an `livemoney.engine.rows.EventRows` that keeps each valued event (what an analysis reads,
        `livemoney.engine.analytics.analyze`); ``None`` keeps nothing per event.
    """
    if paths_or_events is None:
        if ledger is None:
            raise ValueError("value: give logs or events to value, or a ledger to report on")
        return report_of(ledger)
    pm = pm or default_manager()
    given = [paths_or_events] if isinstance(paths_or_events, (str, os.PathLike)) else paths_or_events
    items = given if isinstance(given, (list, tuple)) else None
    paths = [Path(p) for p in items] if items is not None and all(_is_path(p) for p in items) else None
    inputs: list[tuple[BinaryIO, bytes]] = []
    try:
        for path in paths or ():  # each input opened once (a pipe is read once, a FIFO waited for briefly)
            inputs.append(open_input(path))
        context = api.context(currency, as_of, settings, pm, rates=rates, rate_fallback=rate_fallback)
        known = KnownPlatforms(pm)
        if platform is not None:
            known.require(platform)
        readers = [detect_head(head, path, pm, input_format) for path, (_, head) in zip(paths or (), inputs)]
        with (
            open(rejects, "w", encoding="utf-8") if rejects is not None else _Nothing() as rejects_file,
            Ledger(ledger, context, host=host) if ledger is not None else _Nothing() as book,
        ):
            valuer = Valuer(
                context, pm, known=known, on_error=on_error, rejects=rejects_file, ledger=book, host=host, rows=rows
            )
            try:
                if paths is None:
                    with _progress(progress, None, "events") as bar:
                        valuer.add_all(_counted(given, bar))
                else:
                    total = sum(path.stat().st_size for path in paths if path.is_file())
                    with _progress(progress, total, "B") as bar:
                        _value_files(valuer, paths, inputs, readers, platform, bar, known)
            finally:
                valuer.ids.close()
            kept: dict[str, Any] = {"host": host, "inputs": len(paths) if paths is not None else 1}
            if rejects is not None:
                kept["rejects_file"] = str(rejects)
            if book is None:
                return valuer.report(**kept)
            book.commit()
            return valuer.report(ledger_rows_added=book.added, **kept)
    finally:
        for stream, _ in inputs:
            stream.close()


def _value_files(
    valuer: Valuer,
    paths: list[Path],
    inputs: list[tuple[BinaryIO, bytes]],
    readers: list[Reader],
    platform: str | None,
    bar: Any,
    known: KnownPlatforms,
) -> None:
    """Value each file in turn; the files a reader built on a `Decoder` reads share one decoder (a gift
    streak, a Jewels combo split across two files counts once), flushed after the last of them."""
    shared = SharedDecoders(valuer.pm, known.keys)
    for path, (stream, _), reader in zip(paths, inputs, readers):
        source = str(path)
        shown = bar if stream.seekable() else None
        if reader is CANONICAL_READER:
            if FAST_PATH:  # with or without a ledger: the fast path makes the ledger's rows too
                valuer.add_canonical(stream, source, platform, shown)
            else:
                valuer.add_lines(stream, source, platform)
            continue
        items = checked(shared.read(reader, stream, source), source, known)
        valuer.add_all(_bytes_progress(items, stream, shown))
    for first, held in shared.finish():
        valuer.add_all(checked(held, first, known))


def _bytes_progress(items: Iterator[Any], stream: BinaryIO, bar: Any) -> Iterator[Any]:
    """``items`` (read from ``stream``) as they come, the progress ``bar`` moved on by the bytes read from ``stream``
    every 4096 items or so (a `Batches`' list at a time, handed on so) and at the end."""
    if bar is None:
        return items
    if isinstance(items, Batches):
        return Batches(_progress_by(items.lists, stream, bar, len))
    if isinstance(items, WithCopies):
        return WithCopies(_progress_by(items.items, stream, bar, _rows))
    return _items_progress(items, stream, bar)


def _items_progress(items: Iterator[Any], stream: BinaryIO, bar: Any) -> Iterator[Any]:
    done = 0
    for ordinal, item in enumerate(items, start=1):
        if ordinal % 4096 == 0:
            position = stream.tell()
            bar.update(position - done)
            done = position
        yield item
    _progress_to_end(stream, bar, done)


def _rows(item: Any) -> int:
    """How many records ``item`` stands for: a `Copies` its rows, anything else one."""
    return len(item) if isinstance(item, Copies) else 1


def _progress_by(parts: Iterator[Any], stream: BinaryIO, bar: Any, size: Callable[[Any], int]) -> Iterator[Any]:
    """``parts`` handed on as they come, the ``bar`` moved on by the bytes read from ``stream`` every 4096 items
    or so, a part counted as ``size(part)`` items (a `Batches`' list: its length; a `WithCopies`' item: `_rows`)."""
    done = counted = 0
    for part in parts:
        counted += size(part)
        if counted >= 4096:
            counted = 0
            position = stream.tell()
            bar.update(position - done)
            done = position
        yield part
    _progress_to_end(stream, bar, done)


def _progress_to_end(stream: BinaryIO, bar: Any, done: int) -> None:
    """The bar moved on by the rest of the file, read since ``done`` bytes: a bar left short of its total stays on
    show (tqdm's notebook bar, red)."""
    position = stream.tell()
    if position > done:
        bar.update(position - done)


def _counted(items: Iterable[Any], bar: Any) -> Iterable[Any]:
    """``items`` as they come, the progress ``bar`` (if any) moved on by one for each."""
    if bar is None:
        return items
    return _each_counted(items, bar)


def _each_counted(items: Iterable[Any], bar: Any) -> Iterator[Any]:
    for item in items:
        bar.update(1)
        yield item


class _Nothing:
    """A context manager for an absent file: ``None`` in, nothing to close."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
