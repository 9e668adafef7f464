"""The canonical event log (CONTRACT.md, "Event logs"): JSON Lines, one event a line, read and written.

    for item in read_canonical(stream, "stream.jsonl"):     # Event objects, and Rejected lines
        ...
    canonical_line(event)                                    # the line that reads back as ``event``

The reader streams a file line by line in constant memory. Amounts are exact: a JSON number is read from
its text, never through a float. Every problem is a `Rejected` whose ``str()`` is ``FILE:LINE: field:
problem``; the reader never raises for a bad line. `CANONICAL_READER` is the format as a `Reader` (the
host's own plugin declares it). The writer, `canonical_dict` and `canonical_line`, gives each event the
record the reader reads back: amounts as decimal strings, times in UTC; ``source`` (file and line) is
where an event was read, not part of the event, so it is left out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO, Protocol

from livemoney.core.models import EVENT_TYPES, Event, Reader, Rejected
from livemoney.core.money import ISO_CODES, Money, is_unit, plain
from livemoney.core.records import FIRST_RECORDS, first_char, timestamp
from livemoney.core.schema import COMMON, CURRENCY, KINDS, PLATFORM, Field, own_fields, read_order
from livemoney.core.untrusted import (
    MAX_AMOUNT,
    MAX_COUNT,
    TooLong,
    length_problem,
    lines,
    loads,
    raw_text,
    shown_record,
)
from livemoney.errors import FieldError


class Platforms(Protocol):
    """The installed platforms, as the reader asks them (`livemoney.engine.readers.KnownPlatforms`)."""

    def problem(self, key: str) -> str | None:
        """``None`` for a known platform, else why it is not."""


CANONICAL = "jsonl"
"""The name of the canonical reader (``--input-format jsonl``)."""

_KNOWN_TYPES = ", ".join(sorted(KINDS))


# --- one record -----------------------------------------------------------------------------


def _text(record: dict, field: str, required: bool = False) -> str | None:
    value = record.get(field)
    if value is None:
        if required:
            raise FieldError(field, "missing")
        return None
    if isinstance(value, str):
        if required and not value.strip():
            raise FieldError(field, "is empty")
        return value
    raise FieldError(field, f"{_show(value)} is not a string")


def _identity(record: dict, field: str) -> str | None:
    value = record.get(field)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise FieldError(field, f"{_show(value)} is not a string")


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _count(record: dict, field: str) -> int:
    value = record.get(field, 1)
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(field, f"{_show(value)} is not a whole number")
    if value < 0:
        raise FieldError(field, f"{value} is negative; a count is a whole number of at least 1")
    if value == 0:
        raise FieldError(field, "0 is not a count; a count is a whole number of at least 1")
    if value > MAX_COUNT:
        raise FieldError(field, f"{value} is out of range (a count is at most {MAX_COUNT:,} an event)")
    return value


def _money(record: dict, field: str, required: bool) -> Money | None:
    value = record.get(field)
    if value is None:
        if required:
            raise FieldError(field, "missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise FieldError(field, f'{_show(value)} is not a decimal number (give it as a string, e.g. "5.00")')
    try:
        amount = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise FieldError(field, f"{_show(value)} is not a decimal number") from None
    if not amount.is_finite():
        raise FieldError(field, f"{_show(value)} is not a finite number")
    if amount and (abs(amount.adjusted()) > 30 or amount > MAX_AMOUNT):
        raise FieldError(field, f"{_show(value)} is out of range (an amount is at most {MAX_AMOUNT:,} an event)")
    if amount < 0:
        raise FieldError(field, f"{_show(value)} is negative")
    currency = record.get(CURRENCY)
    if currency is None:
        raise FieldError(
            CURRENCY, "missing (an amount needs its currency: an ISO code such as USD, or a unit such as coins)"
        )
    if not isinstance(currency, str) or not (currency in ISO_CODES or is_unit(currency)):
        raise FieldError(CURRENCY, f"{_show(currency)} is not an ISO-4217 currency code nor a platform unit")
    return Money(amount, currency)


def _timestamp(record: dict, field: str) -> dt.datetime | None:
    value = record.get(field)
    if value is None:
        return None
    if isinstance(value, (bool, dict, list)):
        raise FieldError(field, f"{_show(value)} is not a timestamp")
    return timestamp(value, field)


def _choice(record: dict, field: Field) -> str:
    value = record.get(field.name, field.default)
    if value not in field.choices:
        raise FieldError(field.name, f"{_show(value)} is not one of {', '.join(field.choices)}")
    return value


def _value(record: dict, field: Field, where: str) -> Any:
    """The value of ``field`` in ``record`` (``where``: the record's ``FILE:LINE``), or `FieldError`."""
    kind = field.json
    if kind == "id":
        return _identity(record, field.name)
    if kind == "time":
        return _timestamp(record, field.name)
    if kind == "text":
        return _text(record, field.name, required=field.required)
    if kind == "count":
        return _count(record, field.name)
    if kind == "money":
        return _money(record, field.name, required=field.required)
    if kind == "choice":
        return _choice(record, field)
    if kind == "position":
        return where
    raise ValueError(f"{field.name}: the canonical format has no reader of {kind!r} fields")


def decode(
    record: Any,
    line: int,
    source: str,
    raw: str,
    platform: str | None = None,
    known: Platforms | None = None,
) -> Event | Rejected:
    """One canonical record (numbers exact) as an `Event`, or a `Rejected` naming the field and the problem.

    :param platform: the platform of records that leave it out.
    :param known: the installed platforms; a record naming another one is rejected.
    """
    try:
        if not isinstance(record, dict):
            raise FieldError("(line)", "not a JSON object")
        kind = record.get("type")
        if kind is None:
            raise FieldError("type", "missing")
        if kind not in EVENT_TYPES:
            raise FieldError("type", f"unknown type {_show(kind)} (known: {_KNOWN_TYPES})")
        key = record.get(PLATFORM)
        if key is None:
            key = platform
        if key is None:
            raise FieldError(PLATFORM, "missing (and no default platform was given)")
        if not isinstance(key, str) or not key.strip():
            raise FieldError(PLATFORM, f"{_show(key)} is not a platform key")
        if known is not None:
            problem = known.problem(key)
            if problem is not None:
                raise FieldError(PLATFORM, problem)
        cls = EVENT_TYPES[kind]
        where = f"{source}:{line}"
        fields: dict[str, Any] = {
            field.name: key if field.json == "platform" else _value(record, field, where)
            for field in read_order(cls)
        }
        return cls(**fields)
    except FieldError as error:
        return Rejected(source, line, error.field, error.problem, raw)
    except (TypeError, ValueError) as error:  # the model's own validators: a last line of defence
        return Rejected(source, line, "(event)", str(error), raw)


def decode_line(
    data: bytes, line: int, source: str, platform: str | None = None, known: Platforms | None = None
) -> Event | Rejected | None:
    """One line of a canonical log as an `Event`, a `Rejected`, or ``None`` for a blank line (JSON white
    space only; a BOM too, on the first line). The line goes through the guarded decode of
    `livemoney.core.untrusted` (size, nesting, Unicode, exact numbers)."""
    if line == 1:
        data = data.removeprefix(b"\xef\xbb\xbf")
    data = data.rstrip(b"\r\n")
    if not data.strip(b" \t\r\n"):
        return None
    try:
        record = loads(data, short=True)
    except FieldError as error:
        return Rejected(source, line, error.field, error.problem, raw_text(data))
    return decode(record, line, source, raw_text(data), platform, known)


def too_long_line(item: TooLong, line: int, source: str) -> Rejected:
    """The `Rejected` of a line longer than the limit (`livemoney.core.untrusted.lines`)."""
    return Rejected(source, line, "(line)", length_problem(item.size), item.rejected_raw())


def read_canonical(
    stream: BinaryIO, source: str, platform: str | None = None, known: Platforms | None = None
) -> Iterator[Event | Rejected]:
    """Each event of a canonical JSON Lines log, read one line at a time (memory bounded by the longest
    line allowed, `livemoney.core.untrusted.limits`)."""
    number = 0
    for chunk in lines(stream):
        for data in chunk:
            number += 1
            if isinstance(data, TooLong):
                yield too_long_line(data, number, source)
                continue
            item = decode_line(data, number, source, platform, known)
            if item is not None:
                yield item


def sniff_canonical(head: bytes) -> bool:
    """Whether a file's first bytes look like JSON Lines: the first non-blank character is ``{``; or, past
    leading lines that are no record a reader could take (a NUL, a byte that is not UTF-8, ``null``, ``[]``,
    ``[null]``, any whole JSON value on its line that is no object: what the canonical reader rejects), a
    line within the first `FIRST_RECORDS` starts as an object (``{``). A head whose first ``[`` line does not
    hold a whole JSON value (an array or a document pretty-printed over lines), or that has no ``{`` line
    (text, CSV), does not."""
    if first_char(head) in ("{", ""):
        return True
    for data in head.removeprefix(b"\xef\xbb\xbf").split(b"\n")[:FIRST_RECORDS]:
        line = data.strip(b" \t\r")
        if line.startswith(b"{"):
            return True
        if line.startswith(b"["):
            try:
                loads(line)
            except FieldError:  # an array cut by the line's end: a document over lines, not JSON Lines
                return False
    return False


def is_canonical(head: bytes, naming_platform: bool = False) -> bool:
    """Whether one of the first objects of a file's head is a valid canonical event (its platform may be left
    out, unless ``naming_platform``: then the first object without a platform says no); leading lines that
    are no JSON object (``null``, a broken line) or an object the canonical reader rejects (an unknown type,
    a time out of range) are skipped, as the reader rejects them, within the first `FIRST_RECORDS` lines."""
    seen = 0
    for number, data in enumerate(head.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not data.strip(b" \t\r\n"):
            continue
        seen += 1
        if seen > FIRST_RECORDS:
            return False
        try:
            record = loads(data)
        except FieldError:  # a bad leading line (or one the head cuts): the next one tells
            continue
        if not isinstance(record, dict):
            continue
        if naming_platform and PLATFORM not in record:
            return False
        if isinstance(decode(record, number, "", "", platform="?"), Event):
            return True
    return False


def accepts_canonical(record: Any) -> bool:
    """Whether a raw record (a dict) is a canonical event record."""
    if not isinstance(record, dict):
        return False
    kind = record.get("type")
    return isinstance(kind, str) and kind in EVENT_TYPES


class CanonicalDecoder:
    """The canonical reader for a live feed: one record (a dict) in, one `Event` or `Rejected` out."""

    def __init__(self, source: str = "live", platform: str | None = None, known: Platforms | None = None):
        self.source = source
        self.platform = platform
        self.known = known

    def feed(self, record: Any, line: int) -> list[Event | Rejected]:
        # The record's text is made only for a Rejected that keeps it (writing it costs as much as reading).
        if isinstance(record, dict) and isinstance(record.get("amount"), float):
            problem = "a float is not exact money; give amounts as strings"
            return [Rejected(self.source, line, "amount", problem, shown_record(record))]
        found = decode(record, line, self.source, "", self.platform, self.known)
        if isinstance(found, Rejected):
            found = Rejected(found.source, found.line, found.field, found.problem, shown_record(record))
        return [found]

    def flush(self, now: dt.datetime | None = None) -> list[Event | Rejected]:
        return []


CANONICAL_READER = Reader(
    name=CANONICAL,
    platform=None,
    description="livemoney's canonical event log: JSON Lines, one event a line (CONTRACT.md)",
    sniff=sniff_canonical,
    read=read_canonical,
    decoder=CanonicalDecoder,
    accepts=accepts_canonical,
)


# --- writing --------------------------------------------------------------------------------

def _utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def canonical_dict(event: Event) -> dict[str, Any]:
    """``event`` as a canonical log record: ``type`` and ``platform`` first, then the kind's own fields,
    then the common ones (viewer, time, stream, id).

    Fields left at their default (``None``, a count of 1, the role ``seller``) are left out: the reader
    puts them back. ``Money`` becomes ``amount`` (a decimal string) and ``currency``; a time is ISO-8601
    in UTC with ``Z``; the ``source`` (a position, not part of the event) is left out.
    """
    record: dict[str, Any] = {"type": event.kind, PLATFORM: getattr(event, PLATFORM)}
    cls = type(event)
    for field in (*own_fields(cls), *COMMON):
        value = getattr(event, field.name)
        if field.json in ("platform", "position") or value == field.default:
            continue
        if field.json == "money":
            record[field.name] = plain(value)
            record[CURRENCY] = value.currency
        elif field.json == "time":
            record[field.name] = _utc_text(value)
        else:
            record[field.name] = value
    return record


def canonical_line(event: Event) -> str:
    """``event`` as one line of the canonical JSON Lines log (no newline)."""
    return json.dumps(canonical_dict(event), ensure_ascii=False)
