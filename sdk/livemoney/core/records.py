"""Raw records from capture tools' files, and the field conversions every reader needs.

`iter_records` turns a file into ``(line, record)`` pairs whatever its layout: JSON Lines, one JSON
array, one JSON document (an API response), or the ``data:`` lines of a raw Server-Sent Events
capture; numbers are read as exact `Decimal`, never float. `first_record` reads the first record of a
file's head, for readers' ``sniff``.
`timestamp` turns epoch milliseconds or microseconds (ints or strings) and ISO-8601 text
(``Z``, ``+00:00`` or ``+0000``) into aware datetimes. `read_with_decoder` builds a reader's ``read``
from its `Decoder`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

import attrs

from livemoney.core.models import NOT_READ, Decoder, Event, Reader, Rejected, Skipped
from livemoney.errors import FieldError


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)
SSE_FIELDS = ("event", "id", "retry")
_SPACE = re.compile(r"[ \t\r\n]*")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def loads(text: str | bytes) -> Any:
    """JSON with exact decimals: ``1.10`` becomes ``Decimal('1.10')``; NaN and Infinity are refused."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return _DECODER.decode(text)


def first_char(head: bytes) -> str:
    """The first non-blank character of a file's head ('' when empty)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return chr(text[0]) if text else ""


def is_sse(head: bytes) -> bool:
    """Whether a file's head is a raw Server-Sent Events capture (``data: {...}`` lines)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"data:", b":", b"event:", b"id:"))


_JSON_START = re.compile(r"\s*(\{|\[\s*[^\d\s])")
"""A line that starts as JSON does: ``{``, or ``[`` not followed by a digit (``[2025-...] {...}`` is a time)."""
_LOGGING_MILLIS = re.compile(r"(\d\d:\d\d:\d\d),(\d{1,6})$")
_LEVEL = re.compile(r"[\s,|:\-\]]+(?:TRACE|DEBUG|INFO|NOTICE|WARNING|WARN|ERROR|CRITICAL|FATAL)\]?[\s,|:\-]*$")
"""A log level after the time (``2022-04-11 21:44:40,123 - INFO - {...}``, ``[time] INFO: {...}``)."""
_EPOCH_FRACTION = re.compile(r"\d{9,11}\.\d{1,6}")
"""Epoch seconds with a fraction, as ``time.time()`` prints them: ``1649713480.714``."""


def split_prefix(line: str) -> tuple[str, dt.datetime | None] | None:
    """A console-log line ``<time><separator><JSON>`` split into ``(JSON text, time)``.

    The time is ISO-8601 (``2022-04-11T21:44:40.714Z``), epoch digits (``1649713480714``,
    ``1649713480.714``), or Python logging's ``2022-04-11 21:44:40,123``, optionally in brackets and
    followed by a log level (``INFO``); the separator is a comma, a tab, ``|``, ``-``, ``]`` or spaces. A time without a zone gives ``None`` (its zone is unknown: the record's own time,
    if any, is used). Returns ``None`` for a line without such a prefix.
    """
    start = line.find("{", 1)
    bracket = line.find("[", 1)
    if bracket > 0 and (start < 0 or bracket < start) and not line[bracket + 1 : bracket + 2].isdigit():
        start = bracket
    if start < 0:
        return None
    prefix = _LEVEL.sub("", line[:start].strip())
    prefix = prefix.rstrip(",|-\t :").strip().removeprefix("[").removesuffix("]").strip()
    if not prefix or not prefix[0].isdigit():
        return None
    prefix = _LOGGING_MILLIS.sub(r"\1.\2", prefix)
    if _EPOCH_FRACTION.fullmatch(prefix):
        return line[start:], EPOCH + dt.timedelta(microseconds=int(Decimal(prefix) * 1_000_000))
    try:
        return line[start:], timestamp(prefix, "(line time)")
    except FieldError as error:
        if "no time zone" in error.problem:
            return line[start:], None
        return None


def first_record(head: bytes) -> Any:
    """The first record a file's head shows: the first item of a JSON array, the first JSON line (after a
    console-log time prefix, see `split_prefix`) or Server-Sent Events ``data:`` line, or the whole
    document (``None`` when the head shows none)."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("[") and not text[1:2].isdigit():
        text = text[1:].lstrip()
    elif not text.startswith("{"):
        found = re.search(r"^data:(.*)$", text, re.MULTILINE) if is_sse(head) else None
        if found is not None:
            text = found.group(1).strip()
        else:
            prefixed = split_prefix(text.split("\n", 1)[0])
            if prefixed is None:
                return None
            text = prefixed[0]
    try:
        return _DECODER.raw_decode(text)[0]
    except ValueError:
        return None


def _sse_records(text: str, source: str) -> Iterator[Record | Rejected]:
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith(":"):
            continue
        field, _, value = stripped.partition(":")
        if field in SSE_FIELDS:
            continue
        if field != "data":
            yield Rejected(source, number, "(line)", "not a Server-Sent Events line (data: {...})", line)
            continue
        try:
            yield number, loads(value.strip()), line, None
        except ValueError as error:
            yield Rejected(source, number, "data", f"not valid JSON: {error}", line)


def iter_records(stream: BinaryIO, source: str) -> Iterator[tuple[int, Any] | Rejected]:
    """``(line, record)`` for each record of a JSON Lines file, a JSON array, a single JSON document or
    a Server-Sent Events capture.

    An array's item has the line it starts on, a document's records the line 1; a bad line of a JSON
    Lines file is a `Rejected`.
    """
    for item in _records_with_text(stream, source):
        yield item if isinstance(item, Rejected) else item[:2]


Record = tuple[int, Any, str | None, dt.datetime | None]
"""``(line, record, the line's own text, the line's time)``: text ``None`` inside an array or document;
time from a console-log prefix (`split_prefix`), else ``None``."""


def _records_with_text(stream: BinaryIO, source: str) -> Iterator[Record | Rejected]:
    """Like `iter_records`, with each record's own line of text and the time of a console-log prefix."""
    data = stream.read()
    text = data.decode("utf-8-sig", errors="replace")
    if is_sse(data[:64]):
        yield from _sse_records(text, source)
        return
    stripped = text.lstrip()
    if stripped.startswith("[") and _JSON_START.match(stripped):
        try:
            loads(stripped)
        except ValueError as error:
            yield Rejected(source, 1, "(file)", f"not valid JSON: {error}", text[:200])
            return
        yield from _array_items(text)
        return
    # Lines end at \n (and \r\n) only: U+2028, U+0085 and their kin may stand unescaped inside a JSON
    # string (JSON.stringify and json.dumps(ensure_ascii=False) write them so), where splitlines would cut.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and not lines[-1]:
        lines.pop()
    if stripped.startswith("{") and len(lines) > 1:
        try:
            document = loads(stripped)
        except ValueError:
            document = None
        if document is not None:
            yield 1, document, None, None
            return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        prefixed = split_prefix(line) if not _JSON_START.match(line) else None
        text, when = prefixed if prefixed is not None else (line, None)
        try:
            record = loads(text)
        except ValueError as error:
            yield Rejected(source, number, "(line)", f"not valid JSON: {error}", line)
            continue
        yield number, record, line, when


def _after_space(text: str, index: int) -> int:
    """``index`` moved past the JSON white space there (the pattern matches an empty run too)."""
    found = _SPACE.match(text, index)
    return index if found is None else found.end()


def _array_items(text: str) -> Iterator[tuple[int, Any, None, None]]:
    """The items of a valid JSON array, each with the line it starts on."""
    index = text.index("[") + 1
    line, counted = 1, 0
    while True:
        index = _after_space(text, index)
        if text[index] == ",":
            index = _after_space(text, index + 1)
        if text[index] == "]":
            return
        line += text.count("\n", counted, index)
        counted = index
        item, index = _DECODER.raw_decode(text, index)
        yield line, item, None, None


UNACCOUNTED = "(record the reader gave no account of)"
"""The kind under which the host counts a record that a reader's decoder fed but never gave back."""


def line_of(item: Event | Skipped | Rejected) -> int | None:
    """The line a reader's item stands for: a `Skipped` or `Rejected` line, an event's ``FILE:LINE``."""
    if isinstance(item, (Skipped, Rejected)):
        return item.line
    where = (item.source or "").rpartition(":")[2]
    return int(where) if where.isdigit() else None


class Accounting:
    """Which records fed to a decoder have come out (as an event, a `Skipped` or a `Rejected`).

    A decoder may hold a record back (the top frame of a streak, a ticker copy waiting for its chat
    item) and give it back later; `unaccounted` names the lines it never gave back, so that no record
    vanishes without a trace however a plugin's decoder is written.
    """

    def __init__(self) -> None:
        self._pending: dict[int, None] = {}

    def fed(self, line: int) -> None:
        self._pending[line] = None

    def came(self, items: list[Event | Skipped | Rejected]) -> None:
        for item in items:
            line = line_of(item)
            if line is not None:
                self._pending.pop(line, None)

    def unaccounted(self, source: str) -> list[Skipped]:
        """A `Skipped` (not read) for each line still pending; forgets them."""
        lines, self._pending = list(self._pending), {}
        return [Skipped(source, line, UNACCOUNTED, NOT_READ) for line in lines]


def read_with_decoder(
    make_decoder: Callable[[str], Decoder],
) -> Callable[[BinaryIO, str], Iterator[Event | Skipped | Rejected]]:
    """A reader's ``read`` that feeds every record of the file to a fresh decoder, then flushes it.

    A record the decoder rejects keeps the file's own line, verbatim, where the file has one per record.
    A record the decoder never gives back as an event, a `Skipped` or a `Rejected` is counted as not read
    (`UNACCOUNTED`), never lost. An event or a record without money (`Skipped`) without a time of its
    own takes the time of its line's console-log prefix (`split_prefix`), if any.
    """

    def read(stream: BinaryIO, source: str) -> Iterator[Event | Skipped | Rejected]:
        decoder = make_decoder(source)
        accounting = Accounting()
        times: dict[int, dt.datetime] = {}

        def dated(results: list[Event | Skipped | Rejected]) -> list[Event | Skipped | Rejected]:
            accounting.came(results)
            if not times:
                return results
            out = []
            for result in results:
                line = line_of(result)
                when = times.get(line) if line is not None else None
                if when is not None and isinstance(result, (Event, Skipped)) and result.ts is None:
                    result = attrs.evolve(result, ts=when)
                out.append(result)
            for result in results:  # a line may come out as several items: each takes its time
                line = line_of(result)
                if line is not None:
                    times.pop(line, None)
            return out

        for item in _records_with_text(stream, source):
            if isinstance(item, Rejected):
                yield item
                continue
            number, record, text, when = item
            accounting.fed(number)
            if when is not None:
                times[number] = when
            for result in dated(list(decoder.feed(record, number))):
                if text is not None and isinstance(result, Rejected) and result.line == number:
                    result = attrs.evolve(result, raw=text)
                yield result
        yield from dated(list(decoder.flush(None)))
        yield from accounting.unaccounted(source)

    return read


def decoder_reader(
    *,
    name: str,
    platform: str | None,
    description: str,
    sniff: Callable[[bytes], bool],
    decoder: Callable[[str], Decoder],
    accepts: Callable[[Any], bool],
    samples: Iterable[bytes] = (),
) -> Reader:
    """A `Reader` of a format that a `Decoder` reads one record at a time: its ``read`` is
    `read_with_decoder` of ``decoder``, and it follows a live feed of the records ``accepts`` takes."""
    return Reader(
        name=name,
        platform=platform,
        description=description,
        sniff=sniff,
        read=read_with_decoder(decoder),
        decoder=decoder,
        accepts=accepts,
        samples=tuple(samples),
    )


def get(record: Any, path: str, default: Any = None) -> Any:
    """``record["a"]["b"]`` for ``path`` ``"a.b"``, or ``default`` where any step is missing."""
    current = record
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return default
    return current


def require(record: Any, path: str) -> Any:
    """Like `get`, but a missing field raises `FieldError` naming it."""
    value = get(record, path)
    if value is None:
        raise FieldError(path, "missing")
    return value


def timestamp(value: Any, field: str, unit: str = "auto") -> dt.datetime:
    """An aware UTC datetime from epoch ``ms``/``us``/``s`` (int, Decimal or digit string) or ISO text.

    ``unit="auto"`` tells epoch units apart by size (a 2001–2286 date in s, ms or µs).
    """
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        text = value.strip()
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                parsed = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
            except ValueError:
                raise FieldError(field, f"{value!r} is not a timestamp") from None
        if parsed.tzinfo is None:
            raise FieldError(field, f"{value!r} has no time zone")
        return parsed.astimezone(dt.UTC)
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise FieldError(field, f"{value!r} is not a timestamp")
    if unit == "auto":
        unit = "us" if number > Decimal(10) ** 14 else "ms" if number > Decimal(10) ** 11 else "s"
    micros_per_unit = {"s": 1_000_000, "ms": 1_000, "us": 1}[unit]
    try:
        return EPOCH + dt.timedelta(microseconds=int(number * micros_per_unit))
    except OverflowError:
        raise FieldError(field, f"{value!r} is out of range") from None
