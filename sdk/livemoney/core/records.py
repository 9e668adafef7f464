"""Raw records from capture tools' files, and the field conversions every reader needs.

`iter_records` turns a file into ``(line, record)`` pairs whatever its layout: JSON Lines, one JSON
array, one or several JSON documents (API responses, pretty-printed or not), or the ``data:`` lines of a
raw Server-Sent Events capture, one record at a time (memory does not grow with the file); every record
goes through the guarded decode of `livemoney.core.untrusted` (`loads`: size, nesting, Unicode, numbers
read exactly, never as floats). `first_record` reads the first record of a file's head, for readers'
``sniff``.
`timestamp` turns epoch milliseconds or microseconds (ints or strings) and ISO-8601 text
(``Z``, ``+00:00`` or ``+0000``) into aware datetimes. `read_with_decoder` builds a reader's ``read``
from its `Decoder`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import operator
import re
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

import attrs

from livemoney.core.models import NOT_READ, Decoder, Event, Reader, Rejected, Skipped
from livemoney.core.untrusted import (
    RAW_KEPT,
    TooLong,
    exact_decode,
    in_range,
    is_truncated,
    length_problem,
    limits,
    lines,
    loads,
    most_openers,
    quick_loads,
    raw_text,
    too_long,
)
from livemoney.errors import FieldError

SSE_FIELDS = ("event", "id", "retry")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


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
    try:
        if _EPOCH_FRACTION.fullmatch(prefix):
            moment = EPOCH + dt.timedelta(microseconds=int(Decimal(prefix) * 1_000_000))
            return line[start:], in_range(moment, "(line time)", prefix)
        return line[start:], timestamp(prefix, "(line time)")
    except FieldError as error:
        if "no time zone" in error.problem:
            return line[start:], None
        return None


FIRST_RECORDS = 20
"""How many leading records of a file's head detection looks through for one a reader can judge."""


def head_records(head: bytes) -> Iterator[Any]:
    """The first records of a file's head (at most `FIRST_RECORDS`): the items of a JSON array, JSON lines
    (after a console-log time prefix, see `split_prefix`), Server-Sent Events ``data:`` lines, documents;
    bad ones (``null``, a broken line, a record cut by the end of the head) are skipped."""
    for found, item in enumerate(_Scanner(io.BytesIO(head), "(head)").records(), start=1):
        if found > FIRST_RECORDS:
            return
        if not isinstance(item, Rejected) and isinstance(item[1], (dict, list)) and item[1]:
            yield item[1]


def first_record(head: bytes) -> Any:
    """The first record a file's head shows that is an object or a non-empty array: the first item of a JSON
    array, the first JSON line (after a console-log time prefix, see `split_prefix`) or Server-Sent Events
    ``data:`` line, or the whole document; bad leading records are skipped (``None`` when the head shows
    none). Never raises: a head is untrusted text too."""
    return next(head_records(head), None)


Record = tuple[int, Any, bytes | None, dt.datetime | None]
"""``(line, record, its text, the line's time)``: the text of the record as the file has it, a line or an
array item (what a `Rejected` of it keeps, verbatim), ``None`` for a document spread over lines (an API
response pretty-printed: its items' rejects keep what the reader shows of each); the time of a
console-log prefix (`split_prefix`), else ``None``."""


def iter_records(stream: BinaryIO, source: str) -> Iterator[tuple[int, Any] | Rejected]:
    """``(line, record)`` for each record of a JSON Lines file, a JSON array, one or several (pretty-printed)
    JSON documents, or a Server-Sent Events capture, read one record at a time (memory does not grow with
    the file); a bad record is a `Rejected`.

    An array's item and a document have the line they start on. Every record goes through the guarded
    decode of `livemoney.core.untrusted` (size, nesting, Unicode, exact numbers).
    """
    for item in records_with_text(stream, source):
        yield item if isinstance(item, Rejected) else item[:2]


def iter_lines(stream: BinaryIO, source: str) -> Iterator[tuple[int, bytes] | Rejected]:
    """``(line, bytes)`` for each line of a text file (a CSV, say), read one chunk at a time in memory that
    does not grow with the file: lines end at ``\\n`` (a ``\\r`` before it and a BOM at the start are left
    out), and a line longer than the limit (`livemoney.core.untrusted.limits`) is a `Rejected`, skipped."""
    number = 0
    for chunk in lines(stream):
        for data in chunk:
            number += 1
            if isinstance(data, TooLong):
                yield Rejected(source, number, "(line)", length_problem(data.size), data.rejected_raw())
                continue
            if number == 1:
                data = data.removeprefix(b"\xef\xbb\xbf")
            yield number, data.removesuffix(b"\r")


def records_with_text(stream: BinaryIO, source: str) -> Iterator[Record | Rejected]:
    """Like `iter_records`, with each record's own text and the time of its console-log prefix."""
    return _Scanner(stream, source).records()


_CHUNK = 1 << 20
_BOM = b"\xef\xbb\xbf"
_JSON_START_BYTES = re.compile(rb"\s*(\{|\[\s*[^\d\s])")
_TOKEN = re.compile(rb'"(?:[^"\\\n]|\\.)*("?)|[\[\]{}]|[^\s,\[\]{}"]+')
"""What the exact boundary scanner steps over: a string (its closing quote captured, if on the line), a
bracket, or a run of a scalar's characters."""
_CLOSERS = {ord("{"): b"}", ord("["): b"]"}
_ITEM_WINDOW = 1 << 20
"""How far ahead the scanner looks for the end of an array item by its layout (its line, or its closing
bracket on a line of its own at its indentation) before it steps through the item exactly."""
_SPACE_BYTES = b" \t\r\n"


class _Opens:
    """What `_Scanner._json_line` answers for a line that opens a document laid out over lines (`_DOCUMENT`)."""


_DOCUMENT = _Opens()


def _blank(data: bytes) -> bool:
    """Whether a line is blank: JSON white space only (a form feed or a no-break space is not, and such a
    line is a record, rejected, never dropped)."""
    return not data.strip(_SPACE_BYTES)


class _Scanner:
    """The record boundaries of a capture file, found in C-speed bytes operations where the layout allows
    (a line; a pretty-printed document or array item, whose closing bracket stands on its own line at the
    indentation of its opening line), checked by the exact decoder, with an exact (slower) bracket scanner
    where it does not. A record longer than the limit is rejected and skipped in bounded memory."""

    def __init__(self, stream: BinaryIO, source: str) -> None:
        self.stream = stream
        self.source = source
        self.buf = b""
        self.pos = 0
        self.line = 1
        """The line number of the byte at ``pos``."""
        self.eof = False
        self.limit = limits().max_record_bytes
        self.indent: bytes | None = None
        """The blanks before the array item at ``pos`` on its line (`_skip_separators`)."""
        self._split: tuple[bytes, int, list[bytes], int, bool] | None = None
        """`_whole_lines`' split of the buffer's lines: ``(buffer, position, lines, index of the line there,
        whether no line opens more than max_depth brackets)``."""
        self.depth = limits().max_depth
        self.exact = exact_decode()

    # --- the buffer ----------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Read more of the stream after what the buffer holds; ``False`` at the end of the stream."""
        if self.eof:
            return False
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk if self.pos else self.buf + chunk
        self.pos = 0
        self._split = None
        return True

    def _advance(self, to: int) -> None:
        self.line += self.buf.count(b"\n", self.pos, to)
        self.pos = to

    def _find(self, needle: bytes, start: int, within: int) -> int:
        """The index of ``needle`` at or after ``start`` (buffer indexes), read from the stream as needed,
        but not beyond ``within`` bytes after ``pos``; -1 when not found there."""
        while True:
            found = self.buf.find(needle, start, self.pos + within + len(needle))
            if found >= 0:
                return found
            if len(self.buf) - self.pos >= within + len(needle):
                return -1
            start = max(self.pos, len(self.buf) - len(needle) + 1)
            offset = self.pos
            if not self._fill():
                return -1
            start -= offset

    def _line_end(self) -> int:
        """The end (index of the newline, or of the buffer at the end of the stream) of the line at ``pos``;
        -1 when the line is longer than the limit."""
        found = self._find(b"\n", self.pos, self.limit)
        if found >= 0:
            return found
        if self.eof and len(self.buf) - self.pos <= self.limit:
            return len(self.buf)
        return -1

    def _skip_long_line(self) -> Rejected:
        """The line at ``pos``, longer than the limit, rejected; skipped to its end in bounded memory."""
        number, head, size = self.line, self.buf[self.pos : self.pos + RAW_KEPT], 0
        while True:
            found = self.buf.find(b"\n", self.pos)
            if found >= 0:
                size += found - self.pos
                self.pos = found + 1
                self.line += 1
                break
            size += len(self.buf) - self.pos
            self.buf, self.pos = b"", 0
            if not self._fill():
                break
        return Rejected(self.source, number, "(line)", length_problem(size), too_long(head, size))

    # --- the layouts ---------------------------------------------------------------------------

    def records(self) -> Iterator[Record | Rejected]:
        """The records of the stream, one at a time, in the layout its first 64 bytes tell (read at once): the
        iterator of that layout itself, not a generator around it (one step less a record)."""
        while len(self.buf) < 64 and self._fill():
            pass
        if self.buf.startswith(_BOM):
            self.pos = len(_BOM)
        head = self.buf[self.pos : self.pos + 64].lstrip(_SPACE_BYTES)
        if head.startswith((b"data:", b":", b"event:", b"id:")):
            return self._lines(sse=True)
        if head.startswith(b"[") and _JSON_START_BYTES.match(head):
            return itertools.chain(self._array(), self._lines())
        return self._lines()

    def _sse_line(self, number: int, data: bytes, decode: Callable[..., Any] = loads) -> Record | Rejected | None:
        """A Server-Sent Events line: the record of a ``data:`` line, nothing of a comment, a blank line or
        an ``event:``, ``id:`` or ``retry:`` line, any other line rejected."""
        stripped = data.strip()
        if not stripped or stripped.startswith(b":"):
            return None
        name, _, value = stripped.partition(b":")
        if name in (b"event", b"id", b"retry"):
            return None
        if name != b"data":
            return Rejected(self.source, number, "(line)", "not a Server-Sent Events line (data: {...})", raw_text(data))
        try:
            return number, decode(value.strip(), "data"), data, None
        except FieldError as error:
            return Rejected(self.source, number, error.field, error.problem, raw_text(data))

    def _lines(self, sse: bool = False) -> Iterator[Record | Rejected]:
        """JSON Lines (a record a line, perhaps after a console-log time prefix), and documents spread over
        lines (pretty-printed: one, or several one after another); with ``sse``, Server-Sent Events lines
        (`_sse_line`). One loop reads the lines of both (a line too long rejected and skipped); the lines the
        buffer holds whole go the fast way (`_whole_lines`) until one needs this loop."""
        decode = quick_loads()
        while True:
            yield from self._whole_lines(sse, decode)
            end = self._line_end()
            if end < 0:
                yield self._skip_long_line()
                continue
            if end == self.pos and end >= len(self.buf):
                return
            number, data = self.line, self.buf[self.pos : end]
            if sse:
                self._advance(min(end + 1, len(self.buf)))
                line = self._sse_line(number, data, decode)
                if line is not None:
                    yield line
                continue
            found = self._json_line(number, data, decode)
            if isinstance(found, _Opens):
                document = self._document(data)  # no value ends so: a document laid out over lines
                if document is not None:
                    yield number, document[0], None, None
                    continue
                found = self._decoded(number, data, data, None, decode)
            # past the line: `_document` may have read on, and the buffer moved (the line still begins at pos)
            self._advance(min(self.pos + len(data) + 1, len(self.buf)))
            if found is not None:
                yield found

    def _decoded(
        self, number: int, text: bytes, data: bytes, when: dt.datetime | None, decode: Callable[..., Any]
    ) -> Record | Rejected:
        """The record of the JSON ``text`` of line ``data``, or the line rejected verbatim."""
        try:
            return number, decode(text), data, when
        except FieldError as error:
            return Rejected(self.source, number, error.field, error.problem, raw_text(data))

    def _json_line(self, number: int, data: bytes, decode: Callable[..., Any]) -> Record | Rejected | _Opens | None:
        """A line of JSON Lines (``pos`` unchanged): its record (after a console-log time prefix, if any), its
        `Rejected`, ``None`` for a blank line, or `_DOCUMENT` for a line that opens a document laid out over
        lines (no value ends with ``{`` or ``[``): `_lines` reads on."""
        if _blank(data):
            return None
        when: dt.datetime | None = None
        text = data
        if not _JSON_START_BYTES.match(data):
            try:
                prefixed = split_prefix(data.decode("utf-8"))
            except UnicodeDecodeError:
                prefixed = None
            if prefixed is not None:
                text, when = prefixed[0].encode("utf-8"), prefixed[1]
        if text is data and data.rstrip(_SPACE_BYTES).endswith((b"{", b"[")):
            return _DOCUMENT
        return self._decoded(number, text, data, when, decode)

    def _whole_lines(self, sse: bool, decode: Callable[..., Any]) -> Iterator[Record | Rejected]:
        """What `_lines` gives of the complete lines the buffer holds from ``pos``, split at once (in C): every
        line but one that opens a document laid out over lines, or is longer than the limit; it stops, ``pos``
        at that line, and `_lines` reads it its own way. The split is kept for the lines after it, so that
        a buffer of many small documents is split once, not once a document."""
        buf, pos = self.buf, self.pos
        last = buf.rfind(b"\n", pos)
        if last < 0:
            return
        kept = self._split
        parts: list[bytes] | None = None
        if kept is not None and kept[0] is buf and kept[1] <= pos:
            parts, index, at, shallow = kept[2], kept[3], kept[1], kept[4]
            while at < pos and index < len(parts):  # past the lines `_lines` read its own way
                at += len(parts[index]) + 1
                index += 1
            if at != pos:
                parts = None
        if parts is None:
            whole = buf[pos:last]
            parts, index = whole.split(b"\n"), 0
            # no line opens more than max_depth brackets (the common case, checked once a buffer of lines 4 KB long
            # on average or shorter): none is too deep, and each is decoded at once (else each line is checked on its
            # own, `quick_loads`)
            shallow = len(whole) < 4096 * len(parts) and most_openers(whole) <= self.depth
        self._split = None
        # the exact decoder called at once where no line is too deep; text it refuses (or that `decode` rejects) is
        # read again the way of a line on its own, which says what is wrong
        fast = self.exact if shallow else decode
        limit, line = self.limit, self.line
        long_lines = last - pos > limit  # else no line here is longer than the limit: none is measured
        sse_line, json_line, decoded = self._sse_line, self._json_line, self._decoded
        stop = -1
        for data in parts if index == 0 else itertools.islice(parts, index, None):
            if long_lines and len(data) > limit:
                stop = line
                break
            found: Record | Rejected | _Opens | None
            if sse:
                if data[:5] == b"data:":  # the common line, as `_sse_line` reads it (the blanks around its JSON left
                    # to the decoder, which steps over JSON's own; any other is the slow way's, as before)
                    try:
                        found = line, fast(data[5:]), data, None
                    except Exception:  # noqa: BLE001 - refused: `_sse_line` says what is wrong, as it always does
                        found = sse_line(line, data, decode)
                elif data:
                    found = sse_line(line, data, decode)
                else:
                    found = None  # a blank line (the end of an event): nothing to read, as `_sse_line` says
            elif data[:1] == b"{" and data[-1:] == b"}":  # the common line: one object, no prefix, no document
                try:
                    found = line, fast(data), data, None
                except Exception:  # noqa: BLE001 - refused: `_decoded` says what is wrong, as it always does
                    found = decoded(line, data, data, None, decode)
            else:
                found = json_line(line, data, decode)
                if isinstance(found, _Opens):
                    stop = line
                    break
            line += 1
            if found is not None:
                yield found
        if stop < 0:
            self.pos, self.line = last + 1, line
            return
        # pos at the line `_lines` reads its own way: past the lines given (counted from the last stop, so that
        # the lines of a buffer are walked once however many stops it has)
        done = stop - self.line
        at = pos + sum(map(len, itertools.islice(parts, index, index + done))) + done
        self.pos, self.line = at, stop
        self._split = (buf, at, parts, index + done, shallow)

    def _document(self, first: bytes) -> tuple[Any, bytes] | None:
        """A document that begins with the line ``first`` at ``pos`` and ends with its closing bracket on a
        later line at that line's indentation (as pretty-printers write); ``pos`` after it. ``None`` (``pos``
        unchanged) when there is none within the limit."""
        stripped = first.rstrip(_SPACE_BYTES)
        opener = first.lstrip(_SPACE_BYTES)[:1]
        if not stripped.endswith((b"{", b"[")) or not opener or opener[0] not in _CLOSERS:
            return None
        indent = first[: len(first) - len(first.lstrip(_SPACE_BYTES))]
        needle = b"\n" + indent + _CLOSERS[opener[0]]
        closed = self._closed_block(needle, self.pos + len(first), self.limit)
        if closed is None:
            return None
        record, block, end = closed
        line_end = self.buf.find(b"\n", end)
        rest = self.buf[end : line_end if line_end >= 0 else len(self.buf)]
        if rest.strip(_SPACE_BYTES + b","):
            return None
        self._advance(line_end + 1 if line_end >= 0 else len(self.buf))
        return record, block

    def _closed_block(self, needle: bytes, search: int, within: int) -> tuple[Any, bytes, int] | None:
        """The JSON value from ``pos`` to the first ``needle`` (a newline, the opening line's indentation and
        the closing bracket) at or after ``search`` that closes it, within ``within`` bytes of ``pos``:
        ``(record, block, end)``, ``end`` the index after the bracket; ``None`` (``pos`` unchanged) when
        there is none, or the block is not JSON. A needle inside the value (a string) is stepped over."""
        while True:
            found = self._find(needle, search, within)
            if found < 0:
                return None
            end = found + len(needle)
            block = self.buf[self.pos : end]  # the buffer may have moved; the value still begins at pos
            try:
                return loads(block), block, end
            except FieldError as error:
                if not is_truncated(error):
                    return None
                search = found + 1

    def _array(self) -> Iterator[Record | Rejected]:
        """The items of a JSON array, one at a time; what follows its closing bracket is read as lines."""
        self._advance(self.buf.index(b"[", self.pos) + 1)
        while True:
            if not self._skip_separators():
                return
            if self.buf[self.pos : self.pos + 1] == b"]":
                self._advance(self.pos + 1)
                return
            yield self._item()

    def _skip_separators(self) -> bool:
        """``pos`` past blanks and commas; ``False`` at the end of the stream. ``indent``: the blanks that
        begin the item's line, when nothing else stands before it there (else ``None``)."""
        indent: bytes | None = None
        while True:
            index = self.pos
            length = len(self.buf)
            while index < length:
                byte = self.buf[index]
                if byte == 10:
                    indent = b""
                elif byte in (32, 9):
                    if indent is not None:
                        indent += self.buf[index : index + 1]
                elif byte in (13, 44):
                    indent = None if byte == 44 else indent
                else:
                    break
                index += 1
            self._advance(index)
            if index < length:
                self.indent = indent
                return True
            if not self._fill():
                return False

    def _item(self) -> Record | Rejected:
        """The array item at ``pos``: the rest of its line, a pretty-printed block, or what the exact scanner
        finds."""
        number = self.line
        end = self._find(b"\n", self.pos, min(self.limit, _ITEM_WINDOW))
        start = self.pos  # after reading on, the buffer may have moved: the item still begins at pos
        if end >= 0 or self.eof:
            stop = end if end >= 0 else len(self.buf)
            data = self.buf[start:stop].rstrip(_SPACE_BYTES)
            if data.endswith((b"{", b"[")):  # no value ends so: an item laid out over lines
                found = self._pretty_item(start, self.indent) if self.indent is not None else None
                if found is not None:
                    return found
                return self._scanned_item()
            candidate = data[:-1] if data.endswith(b",") else data
            try:
                record = loads(candidate)
            except FieldError:
                pass
            else:
                self._advance(start + len(candidate))
                return number, record, candidate, None
        return self._scanned_item()

    def _pretty_item(self, start: int, indent: bytes) -> Record | None:
        closer = _CLOSERS.get(self.buf[start])
        if closer is None:  # an item that is no object or array (a string, a number): the exact scanner reads it
            return None
        needle = b"\n" + indent + closer
        number = self.line
        closed = self._closed_block(needle, start, min(self.limit, _ITEM_WINDOW))
        if closed is None:
            return None  # not laid out so (or longer than the window): the exact scanner reads it
        record, block, end = closed
        self._advance(end)
        return number, record, block, None

    def _scanned_item(self) -> Record | Rejected:
        """The array item at ``pos``, its end found by stepping over strings and brackets (exact, slower)."""
        number, depth, cursor = self.line, 0, self.pos
        while True:
            line_end = self.buf.find(b"\n", cursor)
            stop = line_end if line_end >= 0 else len(self.buf)
            end = -1
            for token in _TOKEN.finditer(self.buf, cursor, stop):
                text = token.group()
                first = text[:1]
                if first == b'"' and not token.group(1) and (line_end >= 0 or self.eof):
                    end = stop  # a string that does not end on its line: the item is malformed
                    break
                if first == b'"' and not token.group(1):
                    cursor = token.start()
                    break
                if first in (b"{", b"["):
                    depth += 1
                elif first in (b"}", b"]"):
                    depth -= 1
                if depth <= 0:
                    if first not in b'{}[]"' and token.end() == stop and line_end < 0 and not self.eof:
                        cursor = token.start()  # a scalar the buffer may cut: read on
                        break
                    end = token.end()
                    break
            else:
                cursor = stop + 1 if line_end >= 0 else stop
            if end >= 0:
                break
            if line_end >= 0 and cursor > line_end:
                if cursor - self.pos > self.limit:
                    return self._skip_long_line()
                continue
            if cursor - self.pos > self.limit:
                return self._skip_long_line()
            offset = self.pos
            if not self._fill():
                end = len(self.buf)
                break
            cursor -= offset
        block = self.buf[self.pos : end]
        self._advance(end)
        try:
            return number, loads(block), block, None
        except FieldError as error:
            # A block longer than the limit keeps its head, as a line skipped for its length does
            # (`_skip_long_line`): the same raw however the stream gives its bytes.
            raw = too_long(block) if len(block) > self.limit else raw_text(block)
            return Rejected(self.source, number, error.field, error.problem, raw)


EVENT_CLASSES: set[type] = set()
"""The classes of events met so far (`is_event_class`): `DecoderSession.read` and `Valuer.add_all` tell an event
by its class in this set, one lookup, before any isinstance check."""


def is_event_class(cls: type) -> bool:
    """Whether ``cls`` is a class of events (and no `Skipped` or `Rejected`), remembered in `EVENT_CLASSES`."""
    if isinstance(cls, type) and issubclass(cls, Event) and not issubclass(cls, (Skipped, Rejected)):
        EVENT_CLASSES.add(cls)
        return True
    return False


class _Batch:
    """Texts of lines kept together among the last lines' texts (`Accounting`): one bytes object for all of them,
    so that letting them go frees one object, not one a line (an old text's header read again is a cache miss)."""

    __slots__ = ("ends", "first", "joined", "lines")

    def __init__(self, lines: list[int], texts: list[bytes]) -> None:
        self.lines = lines
        """The line numbers, in the order kept (strictly increasing within a batch)."""
        self.ends = list(itertools.accumulate(map(len, texts)))
        """Where each line's text ends in ``joined`` (bytes); line ``lines[i]``'s text is ``joined[ends[i-1]:ends[i]]``."""
        self.joined = b"".join(texts)
        self.first = 0
        """The index of the oldest line still kept. Those before it are let go, their bytes freed with the batch: the
        oldest batch only, partly let go, so memory stays within the budget and one batch (under 4 MiB, `GATHERED`
        texts of at most `GATHERED_TEXT` bytes)."""

    def text(self, index: int) -> bytes:
        return self.joined[self.ends[index - 1] if index else 0 : self.ends[index]]

    def find(self, line: int) -> int:
        """The index of ``line`` among the lines still kept, else -1."""
        lines = self.lines
        if not lines[self.first] <= line <= lines[-1]:
            return -1
        index = bisect.bisect_left(lines, line, self.first)
        return index if lines[index] == line else -1

    def kept_bytes(self) -> int:
        """The bytes of the texts still kept."""
        return self.ends[-1] - (self.ends[self.first - 1] if self.first else 0)


UNACCOUNTED = "(record the reader gave no account of)"
"""The kind under which the host counts a record that a reader's decoder fed but never gave back."""


def line_of(item: Event | Skipped | Rejected) -> int | None:
    """The line a reader's item stands for: a `Skipped` or `Rejected` line, an event's ``FILE:LINE``."""
    if item.__class__ is Skipped or isinstance(item, (Skipped, Rejected)):
        return item.line
    where = (item.source or "").rpartition(":")[2]
    return int(where) if where.isdigit() else None


class Accounting:
    """Which records fed to a decoder have come out (as an event, a `Skipped` or a `Rejected`).

    A decoder may hold a record back (the top frame of a streak, a ticker copy waiting for its chat
    item) and give it back later; `unaccounted` names the lines it never gave back, so that no record
    vanishes without a trace however a plugin's decoder is written. The text of a record held back is
    kept (`hold`) until it comes out, so that a `Rejected` given back later keeps it verbatim too.
    """

    RECENT_LINES = 4096
    RECENT_BYTES = 32 * 1024 * 1024
    """How many bytes of the last lines' texts are kept, at most, after their records came out (`hold`): at least
    twice the record limit (16 MiB, or ``LIVEMONEY_MAX_RECORD_BYTES``), so that a line of any size a reader takes
    is kept while the lines after it come; about 2,000 of YouTube's innertube responses (16 KB each), far longer
    than an item is held back (a Jewels combo: seconds). 64 MiB put the readers of such responses at 200 MB at
    10^6 events; 8 MiB lost the verbatim text of a response of 8 MiB or more (a breaker's trial)."""

    GATHERED = 256
    """How many texts of lines `DecoderSession.read` gathers (`_gathered_lines`: those whose records came out at once,
    and those held back, whose text `_pending` keeps too) before they join the last lines' texts in one step
    (`_join`): the same texts kept as one `hold` a line keeps, at a fraction of its cost a record (a TikTok capture
    holds back or supersedes a gift streak's frame every fourth record: `hold` each took some 40% of the host's time)."""
    GATHERED_TEXT = 16 * 1024
    """The longest text gathered so, in bytes (a longer one is held at once): what is gathered stays under 4 MiB."""

    def __init__(self) -> None:
        self._pending: dict[int, bytes | None] = {}
        self._recent: deque[_Batch] = deque()
        """The last lines' texts, oldest first, a batch at a time (`hold`: a batch of one line; `_join`: the lines
        gathered): at most `RECENT_LINES` lines and the budget of bytes, counted a line at a time (`_let_go`)."""
        self._recent_lines = 0
        self._recent_bytes = 0
        self._budget = max(self.RECENT_BYTES, 2 * limits().max_record_bytes)
        self._gathered_lines: list[int] = []
        self._gathered_texts: list[bytes] = []
        """The lines read (and their texts), in the order read, not yet among the last lines' texts (`_join` puts them
        there before anything reads or changes those)."""

    def fed(self, line: int) -> None:
        self._pending[line] = None

    @property
    def held(self) -> int:
        """How many records fed are held back by the decoder (not come out yet)."""
        return len(self._pending)

    def hold(self, line: int, raw: bytes) -> None:
        """Keep the text of line ``line`` while its record is held back, and among the last lines' texts: a
        record of several items (an API response) may give some back at once and hold one (a Jewels combo),
        rejected later, which must keep the line verbatim too (within the last `RECENT_LINES` lines and
        `RECENT_BYTES`; memory stays bounded)."""
        pending = self._pending
        if line in pending:
            pending[line] = raw
        if self._gathered_lines:
            self._join()
        self._keep(line, raw)

    def gather(self, line: int, raw: bytes) -> None:
        """Put line ``line``'s text among the last lines' texts: gathered with others into one batch when it is
        short (`GATHERED_TEXT`), else kept at once (`hold`). The line's record came out, or is held back with
        its text in `_pending` already."""
        if len(raw) <= self.GATHERED_TEXT:
            gathered = self._gathered_lines
            gathered.append(line)
            self._gathered_texts.append(raw)
            if len(gathered) >= self.GATHERED:
                self._join()
        else:
            self.hold(line, raw)

    def _keep(self, line: int, raw: bytes) -> None:
        """Put line ``line``'s text among the last lines' texts, the oldest let go past `RECENT_LINES` lines or
        the budget of bytes; a text over the budget is not kept, nor a line kept already (its first text stays)."""
        size, recent = len(raw), self._recent
        if size > self._budget:
            return
        if recent:
            newest = recent[-1].lines[-1]  # the lines come in order: a line already kept is the newest, as a rule
            if line == newest or (line < newest and self._find(line) is not None):
                return
        recent.append(_Batch([line], [raw]))
        self._recent_lines += 1
        self._recent_bytes += size
        self._let_go()

    def _join(self) -> None:
        """The texts gathered put among the last lines' texts, as `_keep` of each in turn puts them: lines in
        strictly increasing order after the newest kept (as `DecoderSession.read` reads them), none over the budget,
        as one `_Batch` (their texts joined while fresh in the cache); any others one at a time."""
        lines, texts, recent = self._gathered_lines, self._gathered_texts, self._recent
        if (
            (recent and lines[0] <= recent[-1].lines[-1])
            or not all(map(operator.lt, lines, itertools.islice(lines, 1, None)))
            or max(map(len, texts)) > self._budget
        ):
            kept = list(zip(lines, texts))
            lines.clear()
            texts.clear()
            for line, raw in kept:
                self._keep(line, raw)
            return
        batch = _Batch(lines.copy(), texts)  # `DecoderSession.read` appends to these very lists: emptied in place
        lines.clear()
        texts.clear()
        recent.append(batch)
        self._recent_lines += len(batch.lines)
        self._recent_bytes += len(batch.joined)
        self._let_go()

    def _let_go(self) -> None:
        """The oldest lines let go until at most `RECENT_LINES` lines and the budget of bytes are kept: as many as
        the count of lines asks, or the fewest whose bytes bring the rest within the budget, if more (what letting
        go of the oldest line one at a time while either is exceeded does); a batch all let go is freed at once."""
        recent, most, budget = self._recent, self.RECENT_LINES, self._budget
        while self._recent_lines > most or self._recent_bytes > budget:
            oldest = recent[0]
            first, ends = oldest.first, oldest.ends
            base = ends[first - 1] if first else 0
            bytes_over = self._recent_bytes - budget
            # the index after the last line let go: past the first line whose end covers the bytes over, if any
            cut = bisect.bisect_left(ends, base + bytes_over, first) + 1 if bytes_over > 0 else first
            cut = max(cut, first + self._recent_lines - most)
            if cut >= len(ends):
                recent.popleft()
                self._recent_lines -= len(ends) - first
                self._recent_bytes -= ends[-1] - base
            else:
                self._recent_lines -= cut - first
                self._recent_bytes -= ends[cut - 1] - base
                oldest.first = cut

    def _find(self, line: int) -> tuple[_Batch, int] | None:
        """The batch that keeps line ``line``'s text, and its index there, else ``None``."""
        for batch in self._recent:
            index = batch.find(line)
            if index >= 0:
                return batch, index
        return None

    def _recent_text(self, line: int) -> bytes | None:
        """The kept text of line ``line``, else ``None``."""
        if self._gathered_lines:
            self._join()
        found = self._find(line)
        return found[0].text(found[1]) if found is not None else None

    def _kept(self) -> list[tuple[int, bytes]]:
        """``(line, text)`` of each line kept among the last lines' texts, oldest first (for tests)."""
        if self._gathered_lines:
            self._join()
        return [(batch.lines[i], batch.text(i)) for batch in self._recent for i in range(batch.first, len(batch.lines))]

    def came(self, items: list[Event | Skipped | Rejected]) -> list[Event | Skipped | Rejected]:
        """Mark the lines of ``items`` as come out; a `Rejected` of a held-back line takes its kept text."""
        out = items
        pending = self._pending
        for index, item in enumerate(items):
            line = item.line if item.__class__ is Skipped else line_of(item)
            if line is None:
                continue
            raw = pending.pop(line, None)
            if raw is None and isinstance(item, Rejected):
                raw = self._recent_text(line)
            if raw is not None and isinstance(item, Rejected):
                if out is items:
                    out = list(items)
                out[index] = attrs.evolve(item, raw=raw_text(raw))
        return out

    def held_rejected(self, source: str, error: FieldError) -> list[Rejected]:
        """A `Rejected` for each line still pending, kept verbatim, naming ``error``: a decoder whose ``flush``
        raised (an event beyond livemoney's bounds, built from what it held back) gave none of them back. A
        line whose record it had given back before is not pending, and keeps its own account."""
        problem = f"{error.problem} (met when the records held back were given back)"
        return [
            Rejected(source, line, error.field, problem, raw_text(raw or b"")) for line, raw in self._pending.items()
        ]

    def unaccounted(self, source: str) -> list[Skipped]:
        """A `Skipped` (not read) for each line still pending; forgets them."""
        lines, self._pending = list(self._pending), {}
        return [Skipped(source, line, UNACCOUNTED, NOT_READ) for line in lines]


class Batches:
    """Items made a list at a time (`DecoderSession.read`): an iterator of the items one by one, as a reader's
    ``read`` answers, whose `lists` hand on the lists themselves, to the consumers that know them
    (`livemoney.engine.readers.checked`, the valuer's progress bar). Each layer that takes the lists does its work
    one Python step a list (hundreds of items), not one an item; the last consumer iterates the items in C
    (``itertools.chain``). Take the items one way or the other, not both: both draw on the same lists."""

    __slots__ = ("_items", "lists", "platforms")

    def __init__(
        self, lists: Iterator[list[Event | Skipped | Rejected]], platforms: Container[str] | None = None
    ) -> None:
        self.lists = lists
        """The lists of items, in order, none empty."""
        self.platforms = platforms
        """The platforms the maker vouches for: every event in a plain ``list`` among `lists` is of one of them; a list
        that holds an event of another is an `Unvouched` (`DecoderSession` with ``platforms``). ``None``: no word on
        any list (the platform check, `livemoney.engine.readers.checked`, looks at every event)."""
        self._items = itertools.chain.from_iterable(lists)

    def __iter__(self) -> Iterator[Event | Skipped | Rejected]:
        return self._items

    def __next__(self) -> Event | Skipped | Rejected:
        return next(self._items)


class Unvouched(list[Event | Skipped | Rejected]):
    """A list of items that `DecoderSession` hands on (`Batches`) holding an event of a platform not among its
    ``platforms``: the platform check looks at its events one by one (it looks at no other list of the session's)."""


class DecoderSession:
    """One `Decoder` fed the records of one file, or of several files of one stream in turn (``read`` each,
    then ``finish``): a gift streak or a Jewels combo split across two files counts once, and a record the
    decoder holds back at the end of a file may come out with the next one.

    A record the decoder rejects keeps its text in the file, verbatim. A record the decoder never gives back
    as an event, a `Skipped` or a `Rejected` is counted as not read (`UNACCOUNTED`), never lost. An event or
    a record without money (`Skipped`) without a time of its own takes the time of its line's console-log
    prefix (`split_prefix`), if any. Lines are numbered on across the files for the decoder (so that a line
    names one record); what comes out names its own file and line.
    """

    def __init__(self, make_decoder: Callable[[str], Decoder], platforms: Container[str] | None = None) -> None:
        self._make = make_decoder
        self._platforms = platforms
        """The platforms whose events the consumer takes (`KnownPlatforms.keys`): a list also ends at an event
        of another, which the consumer rejects (`BATCH`); ``None``: every platform."""
        self._decoder: Decoder | None = None
        self._label = ""
        self._accounting = Accounting()
        self._times: dict[int, dt.datetime] = {}
        self._starts: list[int] = []
        """The line number (for the decoder) before each file's first line."""
        self._sources: list[str] = []
        self._lines = 0

    BATCH = 512
    """How many items `read` hands on in one list at most (`Batches`). The decoder is fed up to that many items
    ahead of the consumer, but a list ends at a `Rejected` (a guarded decoder's fault among them) and at an event
    of a platform not among the session's ``platforms`` (the consumer rejects it): a consumer
    that stops at a rejected record (``on_error="fail"``) has fed the decoder, and seen the plugin's faults of,
    the records up to it only, as one item at a time. Memory stays bounded: events and `Skipped` records are
    small, a list holds the `Rejected` records (each with its text) of one record at most, and records are still
    read and decoded one at a time."""

    def read(self, stream: BinaryIO, source: str) -> Batches:
        """What the records of ``stream`` complete (the decoder is flushed only by `finish`), a list at a time."""
        return Batches(self._lists(stream, source), self._platforms)

    def _lists(self, stream: BinaryIO, source: str) -> Iterator[list[Event | Skipped | Rejected]]:
        """`read`'s lists of items. Any failure (an `FxError` or a record too large let through from a decoder,
        Ctrl-C) is raised after the items made before it are handed on, as it was one item at a time."""
        if self._decoder is None:
            self._decoder = self._make(source)
            self._label = source
        decoder, accounting, times, label = self._decoder, self._accounting, self._times, self._label
        offset = self._lines
        self._starts.append(offset)
        self._sources.append(source)
        mapped = offset > 0 or source != label
        feed, pending, gather, events = decoder.feed, accounting._pending, accounting.gather, EVENT_CLASSES
        # A guarded decoder (`livemoney.engine.readers.guarded_reader`) lends its plugin's own feed: each record's
        # items are checked once, by the loop below, not once there and once here; what that loop does not take
        # as it is goes through the guard's `checked`, what the plugin raises through its `failed`.
        unchecked = getattr(decoder, "unchecked_feed", None)
        if unchecked is not None:
            feed, checked, failed = unchecked, decoder.checked, decoder.failed  # type: ignore[attr-defined]
        gathered_lines, gathered_texts = accounting._gathered_lines, accounting._gathered_texts
        most_gathered, shortest_kept = accounting.GATHERED, accounting.GATHERED_TEXT
        top = offset
        size = self.BATCH
        platforms = self._platforms
        out: list[Event | Skipped | Rejected] = []
        try:
            for item in records_with_text(stream, source):
                if item.__class__ is Rejected:
                    out.append(item)
                    yield out
                    out = []
                    continue
                number, record, text, when = item  # type: ignore[misc]
                top = line = offset + number
                if when is not None:
                    times[line] = when
                try:
                    fed = feed(record, line)
                    if fed.__class__ is not list:
                        fed = checked(fed, line) if unchecked is not None else list(fed)
                except FieldError as error:  # a value beyond livemoney's bounds, met where the decoder builds an event
                    fed = [Rejected(label, line, error.field, error.problem, raw_text(text or b""))]
                except Exception as error:
                    if unchecked is None:
                        raise
                    fed = failed(error, line)  # the plugin's fault, a `Rejected` (an `FxError` raised again)
                if fed and not times:
                    # The common case: the record came out at once, as events and records without money of its own
                    # line (no `Rejected` to give its text); what `Accounting.fed`, `came` and `hold` do of them,
                    # written out: the line is never pending (the decoder cannot tell), its text gathered.
                    expected = None
                    taken = False
                    try:
                        for result in fed:
                            cls = result.__class__
                            if cls is Skipped:
                                if result.line != line:  # type: ignore[union-attr]
                                    break
                            elif cls in events or is_event_class(cls):
                                if expected is None:
                                    expected = f"{label}:{line}"
                                if result.source != expected:
                                    break
                                if platforms is not None and result.platform not in platforms:  # type: ignore[union-attr]  # an event
                                    break  # the consumer rejects it: the list ends there, in the general path
                            else:
                                break
                        else:
                            taken = True
                    except TypeError:  # a plugin's item whose class is no class: the guard's `checked` says what it is
                        pass
                    if taken:
                        if text is not None:  # `gather`, written out
                            if len(text) <= shortest_kept:
                                gathered_lines.append(line)
                                gathered_texts.append(text)
                                if len(gathered_lines) >= most_gathered:
                                    accounting._join()
                            else:
                                accounting.hold(line, text)
                        out.extend(map(self._mapped, fed) if mapped else fed)
                        if len(out) >= size:
                            yield out
                            out = []
                        continue
                if unchecked is not None:  # what the loop above did not take: each item an event, Skipped or Rejected
                    fed = checked(fed, line)
                pending[line] = None  # fed (`Accounting.fed`): still pending unless its items came out
                results = self._dated(fed) if times else accounting.came(fed)
                if text is not None:
                    # The text kept while the line is pending (a held-back streak frame), and gathered among the
                    # last lines' texts like any other (one batch, not one a line).
                    if line in pending:
                        pending[line] = text
                    gather(line, text)
                ends = foreign = False  # a `Rejected` ends the list, and an event of another platform
                for result in results:
                    if result.__class__ is not Skipped and isinstance(result, Rejected):
                        ends = True
                        if text is not None and result.line == line:
                            result = attrs.evolve(result, raw=raw_text(text))
                    elif platforms is not None and isinstance(result, Event) and result.platform not in platforms:
                        ends = foreign = True  # the consumer rejects it (`livemoney.engine.readers.checked`)
                    out.append(self._mapped(result) if mapped else result)
                if ends or len(out) >= size:
                    yield Unvouched(out) if foreign else out
                    out = []
        except GeneratorExit:
            raise
        except BaseException:
            if out:
                yield Unvouched(out)  # cut short, perhaps inside a record's items: the platform check looks at each
            raise
        finally:
            self._lines = max(self._lines, top)
        if out:
            yield out
        self._lines = max(self._lines, offset + 1)

    def finish(self) -> Iterator[Event | Skipped | Rejected]:
        """What the decoder still holds (flushed), and a `Skipped` for each record it never gave back."""
        if self._decoder is None:
            return
        try:
            flushed: list[Event | Skipped | Rejected] = list(self._decoder.flush(None))
        except FieldError as error:  # a value beyond livemoney's bounds, met where the decoder builds an event
            flushed = list(self._accounting.held_rejected(self._label, error))
        for result in [*self._dated(flushed), *self._accounting.unaccounted(self._label)]:
            yield self._mapped(result)

    def _dated(self, results: list[Event | Skipped | Rejected]) -> list[Event | Skipped | Rejected]:
        results = self._accounting.came(results)
        if not self._times:
            return results
        times = self._times
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

    def _mapped(self, item: Event | Skipped | Rejected) -> Event | Skipped | Rejected:
        """``item`` naming its own file and line (the decoder numbers lines on across files)."""
        line = line_of(item)
        if line is None or len(self._starts) == 1 and self._sources[0] == self._label:
            return item
        index = max(bisect.bisect_left(self._starts, line) - 1, 0)
        source, local = self._sources[index], line - self._starts[index]
        if isinstance(item, Event):
            return attrs.evolve(item, source=f"{source}:{local}")
        return attrs.evolve(item, source=source, line=local)


class DecoderRead:
    """A reader's ``read`` that feeds every record of a file to a fresh `Decoder`, then flushes it (see
    `read_with_decoder`); ``make_decoder`` lets the host share one decoder across the files of a stream
    (`DecoderSession`)."""

    def __init__(self, make_decoder: Callable[[str], Decoder]) -> None:
        self.make_decoder = make_decoder

    def __call__(self, stream: BinaryIO, source: str) -> Iterator[Event | Skipped | Rejected]:
        session = DecoderSession(self.make_decoder)
        yield from session.read(stream, source)
        yield from session.finish()


def read_with_decoder(make_decoder: Callable[[str], Decoder]) -> DecoderRead:
    """A reader's ``read`` that feeds every record of the file, one at a time (`iter_records`: memory does
    not grow with the file), to a fresh decoder, then flushes it.

    A record the decoder rejects keeps its text in the file, verbatim (a line, an array item, a document),
    even when the decoder gives it back later. A record the decoder never gives back as an event, a
    `Skipped` or a `Rejected` is counted as not read (`UNACCOUNTED`), never lost. An event without a time
    of its own takes the time of its line's console-log prefix (`split_prefix`), if any. Several files of
    one stream valued together share one decoder (`DecoderSession`).
    """
    return DecoderRead(make_decoder)


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


_PATHS: dict[str, tuple[str, ...]] = {}
"""`get`'s paths, split once (plugins name a few dozen; at most 4,096 are kept)."""


def get(record: Any, path: str, default: Any = None) -> Any:
    """``record["a"]["b"]`` for ``path`` ``"a.b"``, or ``default`` where any step is missing (or is no dict)."""
    parts = _PATHS.get(path)
    if parts is None:
        parts = tuple(path.split("."))
        if len(_PATHS) < 4096:
            _PATHS[path] = parts
    current = record
    for part in parts:
        if current.__class__ is not dict and not isinstance(current, dict):
            return default
        try:
            current = current[part]
        except KeyError:
            return default
    return current


def require(record: Any, path: str) -> Any:
    """Like `get`, but a missing field raises `FieldError` naming it."""
    value = get(record, path)
    if value is None:
        raise FieldError(path, "missing")
    return value


_MICROS = {"s": 1_000_000, "ms": 1_000, "us": 1}
_TIMES = "times from 2000-01-01 to 2099-12-31, UTC"


def timestamp(value: Any, field: str, unit: str = "auto") -> dt.datetime:
    """An aware UTC datetime from epoch ``ms``/``us``/``s`` (int, Decimal or digit string) or ISO text.

    ``unit="auto"`` tells epoch units apart by size (a 2001–2286 date in s, ms or µs). A time before
    2000-01-01 or from 2100-01-01 on is out of range (`livemoney.core.untrusted.in_range`): `FieldError`.
    """
    cls = value.__class__
    if cls is int or (cls is str and len(value) <= 18 and value.isascii() and value.isdigit()):
        # The common case (epoch digits), without the Decimal round trip: the same exact microseconds.
        digits = int(value)
        if -(10**18) < digits < 10**18:
            if unit == "auto":
                unit = "us" if digits > 10**14 else "ms" if digits > 10**11 else "s"
            try:
                moment = EPOCH + dt.timedelta(microseconds=digits * _MICROS[unit])
            except OverflowError:
                raise FieldError(field, f"{value!r} is out of range ({_TIMES})") from None
            return in_range(moment, field, value)
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
        try:
            return in_range(parsed.astimezone(dt.UTC), field, value)
        except OverflowError:
            raise FieldError(field, f"{value!r} is out of range (times from 2000-01-01 to 2099-12-31, UTC)") from None
    try:
        if cls is Decimal:
            number = value
        else:
            number = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise FieldError(field, f"{value!r} is not a timestamp")
    if unit == "auto":
        unit = "us" if number > Decimal(10) ** 14 else "ms" if number > Decimal(10) ** 11 else "s"
    micros_per_unit = _MICROS[unit]
    try:
        moment = EPOCH + dt.timedelta(microseconds=int(number * micros_per_unit))
    except (OverflowError, ArithmeticError):
        raise FieldError(field, f"{value!r} is out of range (times from 2000-01-01 to 2099-12-31, UTC)") from None
    return in_range(moment, field, value)
