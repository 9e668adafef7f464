"""The one boundary for untrusted text: every record livemoney reads goes through `loads` (text) or
`guard` (a record a live client already decoded), so that hostile input is a rejected record, never an
exception, whatever reader takes it (the canonical reader and its fast path, the plugins' readers through
`livemoney.core.records`, format detection, `LiveTally`).

What a record may be (`Limits`, documented in docs/contract.md, "Limits"):

- **size**: at most ``max_record_bytes`` bytes (default 16 MiB; the environment variable
  ``LIVEMONEY_MAX_RECORD_BYTES``, or `using` in Python): a line, an array item, a document. A longer one is
  rejected (its raw kept to its first `RAW_KEPT` bytes), and memory stays bounded however long it is;
- **nesting**: at most ``max_depth`` levels of arrays and objects (default 64; ``LIVEMONEY_MAX_DEPTH``).
  The deepest real capture in the plugins' fixtures nests 18 levels (a YouTube innertube replay), the
  deepest generated benchmark capture 18 too: 64 leaves room for larger responses, far below where
  Python code that walks a record (``json.dumps``, a plugin's helpers) runs out of stack;
- **Unicode**: UTF-8, with no lone surrogate (``"\\udc80"``); invalid bytes are rejected, the raw kept with
  the bytes shown as ``\\xNN`` (`raw_text`);
- **numbers**: exact (a fraction is a `Decimal`, never a float; an integer of any size is an int, read
  alike on every path); NaN and Infinity are not JSON;
- **times**: from `EARLIEST` (2000-01-01) to before `LATEST` (2100-01-01), UTC (`in_range`);
- **money**: at most `MAX_AMOUNT` (10^18) of a currency or platform unit per event, counts at most
  `MAX_COUNT` (10^12) (the event models check both, so every reader and every path rejects beyond).

Each problem is a `livemoney.errors.FieldError` naming the field (``(line)`` or ``(record)`` for the record
as a whole), which readers turn into a `Rejected` record ``FILE:LINE: field: problem``.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import msgspec
import orjson

from livemoney.errors import FieldError, SettingError

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The earliest time an event may have (capture tools of live streams are younger than this)."""
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
"""The first time an event may not have."""
MAX_AMOUNT = Decimal(10) ** 18
"""The largest amount of money one event may carry, in its currency or platform unit (10^18)."""
MAX_COUNT = 10**12
"""The largest count one event may carry (gifts, likes, donations of one message): 10^12."""
RAW_KEPT = 1024
"""How many bytes of a record longer than the limit its rejected raw keeps (then ``…``)."""

_MIB = 1024 * 1024


@attrs.frozen(slots=True)
class Limits:
    """How large and how deep a record may be (see the module docstring)."""

    max_record_bytes: int = attrs.field(default=16 * _MIB)
    max_depth: int = attrs.field(default=64)

    @max_record_bytes.validator
    def _bytes(self, attribute: attrs.Attribute, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1024:
            raise ValueError(f"max_record_bytes: {value!r} must be a whole number of at least 1024")

    @max_depth.validator
    def _depth(self, attribute: attrs.Attribute, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= 512:
            raise ValueError(f"max_depth: {value!r} must be a whole number from 2 to 512")


def _from_environment() -> Limits:
    """The default `Limits`, with ``LIVEMONEY_MAX_RECORD_BYTES`` and ``LIVEMONEY_MAX_DEPTH`` if set (a value
    that is no whole number in range is a `SettingError` naming the variable: one line, exit 1)."""
    found: dict[str, int] = {}
    for name, field in (("LIVEMONEY_MAX_RECORD_BYTES", "max_record_bytes"), ("LIVEMONEY_MAX_DEPTH", "max_depth")):
        text = os.environ.get(name, "").strip().replace("_", "")
        if text:
            try:
                found[field] = int(text)
            except ValueError:
                raise SettingError(f"{name}: {text!r} is not a whole number") from None
            try:
                Limits(**{field: found[field]})
            except ValueError as error:  # "max_depth: 100000 must be ...": named after the variable
                raise SettingError(f"{name}: {text!r} {str(error).split(' ', 2)[2]}") from None
    return Limits(**found)


_LIMITS: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("livemoney_limits", default=None)


def limits() -> Limits:
    """The limits in force: those of the innermost `using`, else the defaults and the environment's."""
    found = _LIMITS.get()
    if found is None:
        found = _from_environment()
        _LIMITS.set(found)
    return found


@contextlib.contextmanager
def using(**changes: int) -> Iterator[Limits]:
    """Read with other limits inside the block: ``with using(max_record_bytes=64 * 2**20): lm.value(...)``."""
    token = _LIMITS.set(attrs.evolve(limits(), **changes))
    try:
        yield limits()
    finally:
        _LIMITS.reset(token)


# --- text ----------------------------------------------------------------------------------------


def raw_text(data: bytes | str) -> str:
    """A record's text as a `Rejected` keeps it: verbatim, without its line ending; bytes that are not UTF-8
    (and lone surrogates) shown as ``\\xNN`` / ``\\udc80`` escapes, so that it can always be written."""
    if isinstance(data, str):
        text = data if data.isascii() else data.encode("utf-8", "backslashreplace").decode("utf-8")
    else:
        text = data.decode("utf-8", "backslashreplace")
    return text.rstrip("\r\n")


def too_long(data: bytes, size: int | None = None) -> str:
    """The raw of a record longer than the limit: its first `RAW_KEPT` bytes, then ``…`` and its size."""
    shown = raw_text(data[:RAW_KEPT])
    return f"{shown}… ({size if size is not None else len(data)} bytes)"


def length_problem(size: int | None = None) -> str:
    """The problem of a record longer than the limit."""
    limit = limits().max_record_bytes
    what = f"{size:,} bytes, " if size is not None else ""
    return (
        f"longer than the limit ({what}at most {limit:,} bytes a record; set LIVEMONEY_MAX_RECORD_BYTES "
        "to read longer ones)"
    )


# --- nesting ---------------------------------------------------------------------------------------

_KEEP_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
"""The bytes `too_deep` deletes: all but quotes and brackets."""
_OBJECTS_AS_ARRAYS = bytes.maketrans(b"{}", b"[]")
_FEW_ESCAPES = 512
"""How many backslashes (plus one) `too_deep` takes out piece by piece, rather than over the whole text."""


def too_deep(data: bytes, limit: int) -> bool:
    """Whether the JSON text ``data`` nests arrays and objects deeper than ``limit`` (brackets inside
    strings do not count). All in C-speed bytes operations: a record with at most ``limit`` brackets is
    never too deep; else its brackets outside strings are kept and one level of innermost pairs is
    removed at a time. Unbalanced text answers ``False``: the parser then says what is wrong with it."""
    if len(data) < 4096 and data.count(b"[") + data.count(b"{") <= limit:
        return False
    if b"\\" in data:  # escaped backslashes and quotes are no string delimiters
        pieces = data.split(b"\\")
        if len(pieces) <= _FEW_ESCAPES:
            # Only a backslash and the byte after it make an escape: the rest of each piece is cut to its quotes and
            # brackets first (the same structure in the end; the escapes are then taken out of far fewer bytes).
            data = b"\\".join(
                [pieces[0].translate(None, _KEEP_STRUCTURE)]
                + [piece[:1] + piece[1:].translate(None, _KEEP_STRUCTURE) for piece in pieces[1:]]
            )
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = data.translate(_OBJECTS_AS_ARRAYS, _KEEP_STRUCTURE)
    if len(structure) <= limit:
        return False
    # Two quotes side by side (an empty string, or two strings with no bracket between) change no
    # bracket's side of the strings: drop them, then the brackets left inside strings.
    structure = structure.replace(b'""', b"")
    if b'"' in structure:
        structure = b"".join(structure.split(b'"')[0::2])
    for _ in range(limit):
        if not structure:
            return False
        fewer = structure.replace(b"[]", b"")
        if len(fewer) == len(structure):
            return False
        structure = fewer
    return bool(structure) and b"[]" in structure


def _depth_problem() -> str:
    return f"nested deeper than {limits().max_depth} levels of arrays and objects (LIVEMONEY_MAX_DEPTH)"


# --- decoding --------------------------------------------------------------------------------------

_DECODER = msgspec.json.Decoder(float_hook=Decimal)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _json_error(data: bytes, error: msgspec.DecodeError, field: str, short: bool) -> FieldError:
    """The `FieldError` of text the exact decoder refused, worded as Python's json module words it (its
    line and column), or naming the lone surrogate or the invalid UTF-8; ``truncated`` set when the text
    ends inside a value (a document that goes on, on the next lines)."""
    message = str(error)
    if "surrogate" in message:
        found = FieldError(field, "not valid Unicode: a lone surrogate escape (\\udXXX) is no character")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            found = FieldError(field, "not valid UTF-8")
        else:
            problem = f"not valid JSON: {message.removeprefix('JSON is malformed: ')}"
            try:
                json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
            except json.JSONDecodeError as python:
                problem = f"not valid JSON: {python.msg} at column {python.colno}" if short else f"not valid JSON: {python}"
            except (ValueError, RecursionError) as python:
                problem = f"not valid JSON: {python}"
            found = FieldError(field, problem)
    found.truncated = "truncated" in message  # type: ignore[attr-defined]
    return found


def loads(data: bytes | str, field: str = "(line)", short: bool = False) -> Any:
    """Untrusted JSON text as Python values, within the `limits`: objects as dicts, arrays as lists,
    fractions as exact `Decimal`, integers of any size as ints.

    Raises `FieldError` naming ``field`` (a record too long, too deep, not UTF-8, with a lone surrogate,
    not JSON: worded as Python's json module words it, with the line and column, or only the column when
    ``short``); never another exception.
    """
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError:
            raise FieldError(field, "not valid Unicode: a lone surrogate is no character") from None
    found = limits()
    if len(data) > found.max_record_bytes:
        raise FieldError(field, length_problem(len(data)))
    if too_deep(data, found.max_depth):
        raise FieldError(field, _depth_problem())
    try:
        return _DECODER.decode(data)
    except UnicodeDecodeError:
        raise FieldError(field, "not valid UTF-8") from None
    except msgspec.DecodeError as error:
        raise _json_error(data, error, field, short) from None
    except RecursionError:  # a last line of defence: too_deep answers first
        raise FieldError(field, _depth_problem()) from None


def quick_loads() -> Any:
    """`loads` for one read of many small records, the limits in force taken once: a callable that decodes
    text with few brackets (fewer than 4,096 bytes, at most ``max_depth`` brackets: never too deep) at once,
    and any other text, or text the decoder refuses, through `loads` (the same values, the same errors).
    The caller checks the size (``max_record_bytes``) first, as its scanner does."""
    depth, decode = limits().max_depth, _DECODER.decode

    def quick(data: bytes, field: str = "(line)") -> Any:
        if len(data) < 4096 and data.count(b"[") + data.count(b"{") <= depth:
            try:
                return decode(data)
            except Exception:  # noqa: BLE001, S110 - loads says what is wrong, as it always does
                pass
        return loads(data, field)

    return quick


def exact_decode() -> Any:
    """The exact decoder itself (objects as dicts, fractions as `Decimal`, as `loads` reads them), without `loads`'
    checks or its wording of errors: for text known to be within the limits (its size checked, `most_openers` at
    most ``max_depth``: never too deep), called at once (a wrapper's call cost a tenth of a microsecond a record).
    What it raises for text it refuses is no `FieldError`: the caller gives that text to `loads`, which says what is
    wrong (the same values, the same errors)."""
    return _DECODER.decode


_KEEP_OPENERS = bytes(byte for byte in range(256) if byte not in b"[{\n")
"""The bytes `most_openers` deletes: all but opening brackets and newlines."""


def most_openers(data: bytes) -> int:
    """The most opening brackets (``[`` and ``{``, in strings too) any line of ``data`` holds: where it is at
    most ``max_depth``, no line of ``data`` nests too deep (`too_deep`), and `exact_decode` decodes each. One
    pass in C over a whole buffer of lines, not a count a line."""
    return max(map(len, data.translate(None, _KEEP_OPENERS).split(b"\n")))


def is_truncated(error: FieldError) -> bool:
    """Whether `loads` failed because the text ended inside a value (a document going on, on later lines)."""
    return bool(getattr(error, "truncated", False))


# --- lines ---------------------------------------------------------------------------------------

CHUNK_BYTES = 1 << 18


@attrs.frozen(slots=True)
class TooLong:
    """A line longer than the limit, in place of its bytes (`lines`): its first `RAW_KEPT` bytes and size."""

    head: bytes
    size: int

    def rejected_raw(self) -> str:
        return too_long(self.head, self.size)


def lines(stream: Any) -> Iterator[list[bytes | TooLong]]:
    """The lines of a binary stream (ending at ``\\n`` only; the line ending left out), a list of them for
    each chunk read, in memory bounded by the limit however long a line is: a line longer than the limit
    is a `TooLong` (skipped to its end, unread)."""
    limit = limits().max_record_bytes
    rest = b""
    skipping: TooLong | None = None
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            break
        if skipping is not None:
            end = chunk.find(b"\n")
            if end < 0:
                skipping = TooLong(skipping.head, skipping.size + len(chunk))
                continue
            yield [TooLong(skipping.head, skipping.size + end)]
            skipping = None
            chunk = chunk[end + 1 :]
        split = (rest + chunk if rest else chunk).split(b"\n")
        rest = split.pop()
        if len(rest) > limit:
            skipping, rest = TooLong(rest[:RAW_KEPT], len(rest)), b""
        if split:
            yield split
    if skipping is not None:
        yield [skipping]
    elif rest:
        yield [rest]


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def guard(record: Any, field: str = "(record)") -> str:
    """A record a live client already decoded (a dict), checked as `loads` checks text: no deeper than the
    limit, no lone surrogate, no longer than the limit once written as JSON. Returns that JSON text (the
    raw a `Rejected` keeps); raises `FieldError` naming ``field``; never another exception."""
    found = limits()
    try:
        data = orjson.dumps(record, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError as error:
        message = str(error)
        if "surrogates" in message:
            raise FieldError(field, "not valid Unicode: a lone surrogate is no character") from None
        if "ecursion" in message:
            raise FieldError(field, _depth_problem()) from None
        try:  # integers beyond 64 bits, and what else orjson does not write
            text = json.dumps(record, default=_default, ensure_ascii=False)
            data = text.encode("utf-8")
        except RecursionError:
            raise FieldError(field, _depth_problem()) from None
        except (TypeError, ValueError, UnicodeEncodeError):
            raise FieldError(field, "not a record livemoney can read (not JSON data, or not valid Unicode)") from None
    if len(data) > found.max_record_bytes:
        raise FieldError(field, length_problem(len(data)))
    if too_deep(data, found.max_depth):
        raise FieldError(field, _depth_problem())
    return data.decode("utf-8")


def shown_record(record: Any) -> str:
    """A record's text for a message or a `Rejected`, whatever it holds (never an exception)."""
    try:
        return guard(record)
    except FieldError:
        text = repr(record) if isinstance(record, (str, int, float, Decimal, bool)) or record is None else "<record>"
        return raw_text(text[:RAW_KEPT])


ANSWER_SHOWN = 300
"""At most this many characters of a plugin's answer in a message (`shown_answer`)."""


def shown_answer(answer: object) -> str:
    """``repr(answer)`` of what a plugin answered, for a message that names the plugin: at most `ANSWER_SHOWN`
    characters, and never an exception. A plugin's object runs the plugin's code in its ``__repr__``, which
    may raise: the answer is then shown by its type (else the message meant to name the plugin would fail and
    blame the caller)."""
    try:
        text = repr(answer)
        if type(text) is not str:  # a str subclass runs the plugin's code in its len, slices and format too
            raise TypeError("__repr__ returned no plain str")
        return text if len(text) <= ANSWER_SHOWN else f"{text[:ANSWER_SHOWN]}... ({len(text)} characters)"
    except Exception:  # noqa: BLE001 - the plugin's code, whatever it raises
        name = type.__dict__["__qualname__"].__get__(type(answer))  # the class's own name, not a property of it
        return f"<a {name if type(name) is str else 'object'} whose repr raised>"


_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What a terminal must not be given from a record: control characters (C0 but tab and newline, DEL, C1:
escape sequences, carriage returns, bells) and the bidirectional controls (U+061C, U+200E/F, U+202A-U+202E,
U+2066-U+2069: a right-to-left override makes a line read other than it is), and the line and paragraph
separators."""


def for_terminal(text: str) -> str:
    """``text`` with every `_TERMINAL_UNSAFE` character written as a ``\\uXXXX`` escape, for a message shown on
    a terminal. On a JSON text (whose own escapes leave only such characters inside strings) it gives the same
    JSON value: ``livemoney convert`` writes its lines through it."""
    if text.isascii() and text.isprintable():
        return text
    return _TERMINAL_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


# --- times ---------------------------------------------------------------------------------------


def in_range(moment: dt.datetime, field: str, value: Any = None) -> dt.datetime:
    """``moment`` if it is from `EARLIEST` to before `LATEST`, else `FieldError` naming ``field``."""
    if not EARLIEST <= moment < LATEST:
        shown = value if value is not None else moment.isoformat()
        raise FieldError(field, f"{shown!r} is out of range (times from 2000-01-01 to 2099-12-31, UTC)")
    return moment


# --- a live record, checked in fewer passes ---------------------------------------------------------

ORJSON_DEPTH = 254
"""How deeply orjson writes arrays and objects (one level more: "Recursion limit reached"; orjson 3)."""


def _deeper_than(record: Any, data: bytes, limit: int) -> bool:
    """Whether ``record``, which orjson wrote as ``data``, nests deeper than ``limit``: written inside
    ``ORJSON_DEPTH - limit`` arrays, orjson's own limit is reached exactly then (in C: `too_deep`'s passes
    over a large text cost several times the writing)."""
    wraps = ORJSON_DEPTH - limit
    if wraps < 1:
        return too_deep(data, limit)
    chain: Any = record
    for _ in range(wraps):
        chain = [chain]
    try:
        orjson.dumps(chain, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError as error:
        return "ecursion" in str(error) or too_deep(data, limit)
    return False


def guard_bytes(record: Any, field: str = "(record)") -> bytes:
    """`guard`, its JSON text as UTF-8 bytes (a caller that keeps the text only in a `Rejected` decodes it
    then: `raw_text`). The same checks, answers and text; a record of 4 KiB or more is checked for nesting by
    orjson itself (`_deeper_than`) rather than by `too_deep`'s passes over its text. Anything orjson does not
    write takes `guard`."""
    found = limits()
    try:
        data = orjson.dumps(record, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return guard(record, field).encode("utf-8")
    size = len(data)
    if size > found.max_record_bytes:
        raise FieldError(field, length_problem(size))
    limit = found.max_depth
    if size < 4096:
        if data.count(b"[") + data.count(b"{") > limit and too_deep(data, limit):
            raise FieldError(field, _depth_problem())
    elif _deeper_than(record, data, limit):
        raise FieldError(field, _depth_problem())
    return data
