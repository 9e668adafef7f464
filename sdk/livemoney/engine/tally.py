"""A running valuation of a live stream: add events as they arrive, read the report at any time.

    tally = lm.LiveTally(lm.context(currency="EUR"))
    for message in client:                 # Event objects, or raw records of a reader's format
        tally.add(message)
    tally.flush()                          # at a disconnect: value the gift streaks still open
    print(tally.report().render())

Raw records go to the `Decoder` of the reader that accepts them (or of the reader named by
``format``), so a TikTok gift streak is counted once, at its end. Events with the same platform and
id are counted once, across reconnects. The totals are those of valuing the same events from a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import msgspec

from livemoney.core.canonical import CANONICAL
from livemoney.core.models import EVENT_TYPES, Context, Decoder, Event, Reader, Rejected, Skipped, Valuation
from livemoney.core.records import Accounting, split_prefix, timestamp
from livemoney.core.schema import RAW_KEYS, fields, line_decoder
from livemoney.core.untrusted import guard, guard_bytes, loads, raw_text, shown_record
from livemoney.engine import api
from livemoney.engine.readers import KnownPlatforms, available_readers, guarded
from livemoney.engine.report import Report
from livemoney.engine.valuer import REPEAT, Valuer
from livemoney.errors import FieldError, ReaderError
from livemoney.pluginsys.manager import PluginManager, default_manager

FAST_RECORDS = True
"""Canonical records (dicts) whose fields have their usual types take `LiveTally._canonical`; the tests set
it ``False`` to feed them through the canonical decoder and `Valuer.add`, and check that both agree."""

_CHOICES = tuple(dict.fromkeys(f.name for cls in EVENT_TYPES.values() for f in fields(cls) if f.json == "choice"))
"""The fields that a record may leave out (their default) but not give as ``null``: the fast path's line has
``None`` for both, so a record giving one as ``null`` takes the full path."""
_NO_TIME = object()
"""The raw time of no record yet."""


@attrs.frozen(slots=True)
class _Live:
    """A format that follows a live feed: its reader's name, a fresh decoder, the records it accepts."""

    name: str
    decoder: Callable[[str], Decoder]
    accepts: Callable[[Any], bool]


def _live(readers: Iterable[Reader]) -> list[_Live]:
    """The formats of ``readers`` that follow a live feed (those with a ``decoder`` and ``accepts``)."""
    return [
        _Live(reader.name, reader.decoder, reader.accepts)
        for reader in readers
        if reader.decoder is not None and reader.accepts is not None
    ]


class LiveTally:
    """Values a live feed incrementally (see the module docstring); bad records are kept as rejects.

    :param context: how to value (default: a fresh `livemoney.context`, in USD).
    :param format: the reader name of raw records; ``None``: the first reader that accepts each record.
    :param host: the LIVE host's user id: gifts a record sends to anyone else (a guest) are kept apart.
    """

    def __init__(
        self,
        context: Context | None = None,
        pm: PluginManager | None = None,
        format: str | None = None,
        host: str | None = None,
    ):
        self.pm = pm or default_manager()
        self.context = context or api.context(pm=self.pm)
        known = KnownPlatforms(self.pm)
        self._valuer = Valuer(self.context, self.pm, known=known, on_error="skip", host=host)
        self._readers = _live(guarded(self.pm, reader) for reader in available_readers(self.pm))
        self._decoders: dict[str, Decoder] = {}
        self._accounting: dict[str, Accounting] = {}
        self._records = 0
        self._format: _Live | None = None
        if format is not None:
            named = [reader for reader in self._readers if reader.name == format]
            if not named:
                known_names = ", ".join(reader.name for reader in self._readers)
                raise ReaderError(f"unknown live format {format!r} (formats with a live decoder: {known_names})")
            self._format = named[0]
        self._canonical_reader = next((reader for reader in self._readers if reader.name == CANONICAL), None)
        self._canonical_source = f"live:{CANONICAL}"
        self._line_type = line_decoder(known.keys).type
        """A canonical record whose fields have their usual types, as the fast path reads it (`_canonical`)."""
        self._raw_time: Any = _NO_TIME
        self._time: dt.datetime | None = None
        self._keys: dict[tuple, Any] = {}
        """The fast path's time: the last raw ``ts`` it read, that time, and the raw keys of its UTC day."""

    def _decoder(self, reader: _Live) -> Decoder:
        decoder = self._decoders.get(reader.name)
        if decoder is None:
            decoder = self._decoders[reader.name] = reader.decoder(f"live:{reader.name}")
            self._accounting[reader.name] = Accounting()
        return decoder

    def _reader_for(self, record: Any) -> _Live | None:
        if self._format is not None:
            return self._format
        # Plugin formats first: the canonical reader accepts any record with a known "type".
        for reader in (*self._readers[1:], *self._readers[:1]):
            if reader.accepts(record):
                return reader
        return None

    def _take(self, items: Any) -> list[Valuation | Rejected]:
        results: list[Valuation | Rejected] = []
        valuer = self._valuer
        for item in items:
            if item.__class__ is Skipped:  # most records of a chat: no money
                valuer.skip(item)
            elif isinstance(item, Rejected):
                valuer.reject(item)
                results.append(item)
            elif isinstance(item, Skipped):
                valuer.skip(item)
            else:
                found = valuer.add(item)
                if found is not None:
                    results.append(found)
        return results

    def add(self, item: Event | Skipped | Rejected | dict | str | bytes) -> list[Valuation | Rejected]:
        """Take one event, one `Skipped` or `Rejected` record (an adapter's verdict on a live message), a
        raw record, or one line of a capture file (JSON, perhaps after a console-log time prefix); return
        what it completed: valuations and rejects (none for a duplicate, a record
        without money or a streak still going). A returned valuation may stand for an identical earlier
        event.
        """
        self._records += 1
        if item.__class__ is dict and FAST_RECORDS:
            try:
                raw = guard_bytes(item)  # its text decoded only for a reject
            except FieldError as error:
                return self._take([Rejected("live", self._records, error.field, error.problem, shown_record(item))])
            reader = self._reader_for(item)
            if reader is None:
                return self._take(self._decode(item, raw))
            if reader is self._canonical_reader:
                found = self._canonical(item, raw)
                if found is not None:
                    return found
            return self._take(self._feed(reader, item, raw))
        if isinstance(item, (Event, Skipped, Rejected)):
            return self._take([item])
        if isinstance(item, (str, bytes)):
            return self._line(item)
        return self._take(self._decode(item))

    def _canonical(self, record: dict, raw: bytes) -> list[Valuation | Rejected] | None:
        """A canonical record on the fast path, as `Valuer.add_canonical` values a regular line: its fields of
        their usual types (the line of `schema.line_decoder`), the raw values that decide its valuation
        (`schema.RAW_KEYS`) among those of its UTC day; the first record of a raw key takes the full path,
        and its key then stands for its valuation. ``None``: the record takes the full path (anything
        irregular: a field of another type, a choice given as ``null``, a bad time, a gift to a recipient)."""
        try:
            line = msgspec.convert(record, self._line_type)
        except msgspec.ValidationError:
            return None
        kind = line.type
        raw_key = RAW_KEYS.get(kind) if kind is not None else None
        if raw_key is None:
            return None
        for name in _CHOICES:
            if name in record and record[name] is None:
                return None
        if kind == "gift" and line.recipient is not None:
            return None
        valuer = self._valuer
        ts = line.ts
        if ts != self._raw_time:
            try:
                moment = None if ts is None else timestamp(ts, "ts")
            except Exception:  # noqa: BLE001 - the full path says what is wrong with it
                return None
            valuer.at(moment)
            self._raw_time, self._time = ts, moment
            self._keys = valuer.raw_keys()
        key = raw_key(line)
        found = self._keys.get(key)
        if found is None:
            return self._first_of_key(record, raw, key)
        valuer.totals.records += 1
        valuer.at(self._time)
        id_ = line.id
        if id_ and valuer.seen(found, line, line.platform, id_, kind, self._canonical_source, self._records) == REPEAT:
            return []
        valuer.count(found, line.viewer)
        return [found.valuation]

    def _first_of_key(self, record: dict, raw: bytes, key: tuple) -> list[Valuation | Rejected]:
        """The first canonical record of a raw key: on the full path; if it is an event its valuer values (not
        a reject), its raw key stands for that valuation from now on."""
        items = self._decode(record, raw)
        if len(items) == 1 and isinstance(items[0], Event):
            found = self._valuer.entry(items[0])
            if not isinstance(found, tuple):
                self._keys[key] = found
        return self._take(items)

    def _decode(self, record: Any, raw: str | bytes | None = None) -> list[Event | Skipped | Rejected]:
        """What the reader of ``record`` makes of it (the record is already counted). A record no line of
        text brought (``raw`` ``None``) is checked as text is (`livemoney.core.untrusted.guard`: nesting,
        Unicode, size) before any reader sees it."""
        if raw is None:
            try:
                raw = guard(record)
            except FieldError as error:
                return [Rejected("live", self._records, error.field, error.problem, shown_record(record))]
        reader = self._reader_for(record)
        if reader is None:
            return [Rejected("live", self._records, "(record)", "no reader accepts this record", raw_text(raw))]
        return self._feed(reader, record, raw)

    def _feed(self, reader: _Live, record: Any, raw: str | bytes) -> list[Event | Skipped | Rejected]:
        """What ``reader``'s decoder makes of ``record`` (counted and checked; ``raw``: its text, or its UTF-8)."""
        name = reader.name
        decoder = self._decoders.get(name) or self._decoder(reader)
        accounting = self._accounting[name]
        line = self._records
        try:
            results = decoder.feed(record, line)
        except FieldError as error:  # a value beyond livemoney's bounds, met where the decoder builds an event
            results = [Rejected(f"live:{name}", line, error.field, error.problem, raw_text(raw))]
        except BaseException:
            accounting.fed(line)  # still held: counted as not read at the end
            raise
        if results.__class__ is not list:
            results = list(results)
        # Nothing reads what is fed while the decoder runs (the tally keeps no text: `Accounting.hold`), so a
        # record whose one item is its own `Skipped` (most records of a chat) is fed and come out at once.
        if len(results) != 1 or (item := results[0]).__class__ is not Skipped or item.line != line:
            accounting.fed(line)
            accounting.came(results)
        return results

    def _line(self, line: str | bytes) -> list[Valuation | Rejected]:
        """One line of a capture as its tool wrote it: JSON, or JSON after a console-log time prefix
        (`livemoney.records.split_prefix`), whose time is the events' when they carry none."""
        text = raw_text(line)
        prefixed = split_prefix(text)
        try:
            record = loads(prefixed[0] if prefixed is not None else line)
        except FieldError as error:
            return self._take([Rejected("live", self._records, error.field, error.problem, text)])
        results = self._decode(record, text)
        when = prefixed[1] if prefixed is not None else None
        if when is not None:
            results = [
                attrs.evolve(item, ts=when) if isinstance(item, Event) and item.ts is None else item for item in results
            ]
        return self._take(results)

    def flush(self, now: dt.datetime | None = None) -> list[Valuation | Rejected]:
        """Value what the decoders hold: everything (``now`` ``None``: a disconnect, the end), or what
        has timed out by ``now``. At the end, a record a decoder never gave back is counted as not read."""
        results = []
        for name, decoder in self._decoders.items():
            accounting = self._accounting[name]
            try:
                items: list[Event | Skipped | Rejected] = list(decoder.flush(now))
            except FieldError as error:  # a value beyond livemoney's bounds, in an event built from what it held
                items = list(accounting.held_rejected(f"live:{name}", error))
            accounting.came(items)
            if now is None:
                items.extend(accounting.unaccounted(f"live:{name}"))
            results.extend(self._take(items))
        return results

    @property
    def host(self) -> str | None:
        """The LIVE host's user id given to the tally (``None``: only what records say)."""
        return self._valuer.host

    def report(self) -> Report:
        """The `Report` of everything valued so far. Records the decoders hold back (the top frame of a gift
        streak still open) are in none of its counts until they come out or `flush` values them: ``held`` says
        how many, and its notes say so."""
        return self._valuer.report(held=sum(accounting.held for accounting in self._accounting.values()))

    def __repr__(self) -> str:
        totals = self._valuer.totals
        return (
            f"<LiveTally {self.context.currency}: {self._records} records fed, counted {totals.records}, "
            f"rejected {totals.rejected}, duplicates {totals.duplicates}>"
        )

