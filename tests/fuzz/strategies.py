"""Hypothesis strategies of the fuzz suite: hostile canonical JSON Lines, and mutations of every reader's fixtures.

Everything here builds what livemoney is handed in real life:

- a *file* (`FuzzFile.data`, bytes exactly as a capture tool, an editor or a broken disk leaves them), read by
  ``lm.value`` and ``lm.read_events``;
- the *records* of that file (`FuzzFile.records`), as a live client would hand them to ``lm.LiveTally`` one at a
  time (the Python values a JSON decoder gives: dicts, lists, str, int, Decimal, float, None).

Two families:

- `canonical_files`: canonical JSON Lines (docs/contract.md, "Event logs") in which good events are mixed with
  hostile lines: deep nesting, huge, tiny and odd numbers (as JSON numbers and as strings), lone surrogates and
  invalid UTF-8, timestamps at the edges of what ``datetime`` holds, whole lines that are no object, very long
  lines, BOMs, CRLF, duplicate keys, unknown types, console-log prefixes with hostile times.
- `mutated_fixtures`: for each reader, its own test fixtures (``plugins/*/tests/data``) with a few mutations:
  keys dropped, types changed (int, str, list, dict, null), values swapped between fields, values replaced by
  the hostile values above, records truncated, nested, duplicated and shuffled; written back in the fixture's own
  layout (JSON Lines, a JSON array, one document, Server-Sent Events ``data:`` lines, CSV).

Hostile JSON fragments are `Raw`: the text written into the file and the value a client would hold, so that one
hostile value reaches both the file readers and the live path. Deep values are built without recursion, and
`Raw` is never copied or compared, so nothing here trips over the nesting it makes.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
DATA_DIRS = sorted(ROOT.glob("plugins/*/tests/data"))
PLATFORMS = ("tiktok", "youtube", "instagram", "facebook")
NO_RECORD = object()
"""The record of a line no live client could hand over (bytes that are not text, a torn line)."""


# --- JSON fragments ---------------------------------------------------------------------------


class Raw:
    """A JSON fragment: ``text`` goes into files verbatim, ``value`` is what a live client would hold.

    Never copied (deepcopy gives the same object) and shown by its length only: its value may be nested
    thousands deep.
    """

    __slots__ = ("label", "text", "value")

    def __init__(self, text: str, value: Any, label: str | None = None) -> None:
        self.text = text
        self.value = value
        self.label = label or (text if len(text) <= 60 else f"{text[:40]}... ({len(text)} chars)")

    def __deepcopy__(self, memo: dict) -> Raw:
        return self

    def __repr__(self) -> str:
        return f"Raw({self.label})"


class Pairs(list):
    """A JSON object as its ``(key, value)`` pairs, in order: it may hold a key twice (the last wins in JSON)."""


SPACED = (", ", ": ")
"""The separators of Python's ``json.dumps``: what a line re-serialised by livemoney looks like."""
STYLES = (SPACED, (",", ":"), (" ,  ", " :\t"))
"""Ways a JSON writer lays out a record: a record kept verbatim keeps its own (compact, spaced, odd)."""


def dump(value: Any, indent: bool = False, style: tuple[str, str] = SPACED) -> str:
    """``value`` as JSON text: `Raw` fragments verbatim, `Decimal` by its digits, strings escaped to ASCII
    (a lone surrogate becomes the escape ``\\udc80``, as a JSON writer in another language leaves it);
    ``style``: the item and key separators of the outermost object or array."""
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else {math.inf: "Infinity", -math.inf: "-Infinity"}.get(value, "NaN")
    if isinstance(value, str):
        return json.dumps(value)
    separator, colon = (",\n", ": ") if indent else style
    if isinstance(value, Pairs):
        return "{" + separator.join(f"{json.dumps(k)}{colon}{dump(v)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + separator.join(f"{json.dumps(str(k))}{colon}{dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + separator.join(dump(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def python(value: Any) -> Any:
    """``value`` as a live client holds it: `Raw` replaced by its value, `Pairs` by a dict (the last key wins)."""
    if isinstance(value, Raw):
        return value.value
    if isinstance(value, Pairs):
        return {key: python(item) for key, item in value}
    if isinstance(value, dict):
        return {key: python(item) for key, item in value.items()}
    if isinstance(value, list):
        return [python(item) for item in value]
    return value


def nested(depth: int, kind: str = "array") -> Raw:
    """``[[[...]]]`` (or ``{"a": {"a": ... 1}}``) ``depth`` levels deep, built without recursion."""
    if kind == "array":
        text = "[" * depth + "]" * depth
        value: Any = []
        for _ in range(depth - 1):
            value = [value]
    else:
        text = '{"a": ' * depth + "1" + "}" * depth
        value = 1
        for _ in range(depth):
            value = {"a": value}
    return Raw(text, value, f"{depth} nested {kind}s")


def _number(text: str) -> Raw:
    """A JSON number, and what an exact JSON decoder makes of it (int, else Decimal: never a float)."""
    try:
        value: Any = int(text)
    except ValueError:
        value = Decimal(text)
    return Raw(text, value)


# --- hostile values ---------------------------------------------------------------------------

NUMBER_TEXTS = (
    "1e26",
    "1E+26",
    "1e-30",
    "2e17",
    "200000000000000000",
    "100000000000000000000",
    "1e20",
    "-0",
    "-0.0",
    "0",
    "0e0",
    "1e400",
    "1e-400",
    "-1",
    "1.5",
    "0.000000000001",
    "9999999999999999999999999999.99",
    "1e31",
    "123456789012345678901234567890.123456789",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 400,
    "5",
    "0.005",
)
"""JSON numbers at and beyond every edge: above 2**63 and 2**64 minor units, beyond 30 digits, below 10 places,
negative zero, exponents no double holds."""
ODD_NUMBER_STRINGS = (
    " 5 ",
    "5,00",
    "0x10",
    "\u0661\u0662\u0663",
    "1_000",
    "+5",
    ".5",
    "5.",
    "NaN",
    "Infinity",
    "-Infinity",
    "sNaN",
    "",
    " ",
    "1e26",
    "-0",
    "2e17",
    "100000000000000000000",
    "9" * 40,
    "1e-30",
    "00012",
    "5 USD",
    "$5",
)
"""Numbers as strings: Arabic-Indic digits and underscores (which Python's Decimal accepts), NaN and Infinity
(which JSON numbers cannot be), blanks, a currency sign."""
NON_FINITE = ("NaN", "Infinity", "-Infinity")
"""Bare constants Python's json module accepts and JSON forbids."""
ISO_TIMES = (
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59Z",
    "0999-06-01T00:00:00Z",
    "1969-12-31T23:59:59Z",
    "1900-01-01T00:00:00Z",
    "2200-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:60Z",
    "2026-01-01T00:00:00+24:00",
    "2026-01-01T00:00:00+23:59",
    "2026-01-01T00:00:00-23:59:59.999999",
    "2026-01-01T00:00:00.123456789Z",
    "2026-01-01",
    "2026-01-01T00:00:00",
    "20260101T000000Z",
    "2026-W01-1T00:00:00Z",
    "2026-01-01T00:00:00z",
    "2026-01-01 00:00:00+00:00",
    "2026-01-01T00:00:00+0000",
)
"""ISO-8601 text at the edges: year 1 and 9999 with offsets that push them out of range, years before 1000,
impossible days and seconds, offsets of a day, no zone, week dates."""
EPOCH_NUMBERS = (
    "-62135596800",
    "-62135596801",
    "-1",
    "0",
    "253402300800",
    "253402300800000",
    "253402300800000000",
    "100000000000000000000",
    "1e300",
    "1767225600000",
    "1767225600000.5",
    "1.5e12",
    "-1767225600000",
)
"""Epoch times in s, ms and µs before year 1, after 9999, and far beyond."""
STRINGS = (
    Raw('"\\udc80x"', "\udc80x", "lone low surrogate"),
    Raw('"\\ud800"', "\ud800", "lone high surrogate"),
    Raw('"\\udfff\\ud800"', "\udfff\ud800", "reversed surrogates"),
    Raw('"\\ud83d\\ude00"', "\U0001f600", "an escaped emoji"),
    Raw('"\u202eevil\u202c"', "\u202eevil\u202c", "right-to-left override"),
    Raw('"a\\u0000b"', "a\x00b", "NUL"),
    Raw('"a\u2028b\u0085c"', "a\u2028b\u0085c", "raw line separators"),
    Raw('"=HYPERLINK(\\"x\\")"', '=HYPERLINK("x")', "a spreadsheet formula"),
    Raw('"<script>alert(1)</script>"', "<script>alert(1)</script>", "HTML"),
    Raw('""', "", "empty"),
    Raw('"   "', "   ", "blank"),
    Raw('"\\u00e9\\u0301\\u200d"', "\u00e9\u0301\u200d", "combining marks"),
)
"""Strings that are valid JSON yet hostile text: lone surrogates (no UTF-8 encodes them), bidirectional
overrides, NUL, raw line separators (``str.splitlines`` breaks a line at them), formulas and HTML."""
STRUCTURES = (
    Raw("null", None),
    Raw("true", True),
    Raw("false", False),
    Raw("[]", []),
    Raw("{}", {}),
    Raw("[1, 2]", [1, 2]),
    Raw('{"a": 1}', {"a": 1}),
    Raw('["gift"]', ["gift"]),
    Raw('{"": null}', {"": None}),
)


def long_strings() -> st.SearchStrategy[Raw]:
    """A string of 10 thousand to a million characters: a line far longer than any real record."""
    return st.sampled_from((10_000, 100_000, 1_000_000)).map(lambda n: Raw(f'"{"x" * n}"', "x" * n, f"{n} chars"))


def deep_values() -> st.SearchStrategy[Raw]:
    """Arrays or objects nested 500 to 5,000 levels deep (Python's recursion limit is 1,000)."""
    return st.builds(nested, st.integers(500, 5000), st.sampled_from(("array", "object")))


def hostile_numbers() -> st.SearchStrategy[Raw]:
    """Numbers at the edges, as JSON numbers, as strings, and as JSON's forbidden constants."""
    return st.one_of(
        st.sampled_from(NUMBER_TEXTS).map(_number),
        st.sampled_from(ODD_NUMBER_STRINGS).map(lambda text: Raw(json.dumps(text), text)),
        st.sampled_from(NON_FINITE).map(lambda text: Raw(text, float(text.replace("Infinity", "inf")))),
        st.integers(min_value=-(2**80), max_value=2**80).map(lambda n: Raw(str(n), n)),
    )


def hostile_times() -> st.SearchStrategy[Raw]:
    """Timestamps at the edges, as ISO text, as epoch numbers and as epoch digit strings."""
    return st.one_of(
        st.sampled_from(ISO_TIMES).map(lambda text: Raw(json.dumps(text), text)),
        st.sampled_from(EPOCH_NUMBERS).map(_number),
        st.sampled_from(EPOCH_NUMBERS).map(lambda text: Raw(json.dumps(text), text)),
    )


def hostile_values() -> st.SearchStrategy[Raw]:
    """Any hostile JSON value: numbers, times, strings, small structures, very long strings, deep nesting.

    Deep nesting and very long strings are drawn less often than the rest (one in twelve each): a file with
    one deep line fails on it first, and would hide whatever else it holds.
    """
    return st.one_of(
        *[hostile_numbers()] * 3,
        *[hostile_times()] * 3,
        *[st.sampled_from(STRINGS)] * 3,
        st.sampled_from(STRUCTURES),
        long_strings(),
        deep_values(),
    )


TIME_KEYS = (
    "ts",
    "time",
    "date",
    "createtime",
    "timestamp",
    "timestampusec",
    "publishedat",
    "created_time",
    "creation_time",
    "time_in_seconds",
    "time_text",
    "timestamp_usec",
)
NUMBER_KEYS = (
    "amount",
    "count",
    "repeatcount",
    "diamondcount",
    "spark_quantity",
    "amountmicros",
    "likecount",
    "combocount",
    "repeat_count",
    "diamond_count",
    "total",
    "value",
    "quantity",
)


def hostile_for(key: object) -> st.SearchStrategy[Raw]:
    """A hostile value for a field named ``key``: mostly of the field's own sort (a time for ``createTime``, a
    number for ``amount``), sometimes anything."""
    name = str(key).lower()
    if any(word in name for word in TIME_KEYS):
        own = hostile_times()
    elif any(word in name for word in NUMBER_KEYS):
        own = hostile_numbers()
    else:
        return hostile_values()
    return st.one_of(own, own, hostile_values())


# --- canonical JSON Lines ---------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a file, without its terminator; ``record``: what a live client would hand over for it
    (`NO_RECORD` when no client could); ``good``: a valid canonical event naming its platform."""

    data: bytes
    record: Any = NO_RECORD
    good: bool = False

    def __repr__(self) -> str:
        shown = self.data if len(self.data) <= 120 else self.data[:100] + b"..." + str(len(self.data)).encode()
        return f"Line({shown!r}{', good' if self.good else ''})"


VIEWERS = ("v1", "v2", "viewer_three", "\u00e9l\u00e8ve", "6809568862012081157")
IDS = ("m1", "m2", "m3", "7137749190944230150")


@st.composite
def good_records(draw: st.DrawFn) -> Pairs:
    """A valid canonical event on one of the four platforms, as ordered pairs: gifts (some to guests), Super
    Chats in USD, EUR and JPY, Stars, Badges, likes, sponsorships, sales; some with ids from a small pool
    (so some are duplicates and some id conflicts), viewers, and times as ISO text or epoch milliseconds."""
    kind = draw(st.sampled_from(("gift", "gift", "donation", "donation", "like", "sponsorship", "sale")))
    pairs = Pairs([("type", kind)])
    if kind == "gift":
        pairs.append(("platform", "tiktok"))
        pairs.append(("gift", draw(st.sampled_from(("Rose", "Galaxy", "Lion", "TikTok Universe")))))
        pairs.append(("count", draw(st.integers(1, 5000))))
        if draw(st.integers(0, 4)) == 0:
            pairs += [("recipient", draw(st.sampled_from(("1", "2")))), ("host", "1")]
    elif kind == "donation":
        platform, feature, currency, amount = draw(
            st.sampled_from(
                (
                    ("youtube", "super_chat", "USD", "5.00"),
                    ("youtube", "super_chat", "EUR", "2.5"),
                    ("youtube", "super_sticker", "JPY", "500"),
                    ("facebook", "stars", "stars", "500"),
                    ("instagram", "badge", "USD", "1.99"),
                )
            )
        )
        scale = draw(st.integers(1, 100))
        pairs += [
            ("platform", platform),
            ("feature", feature),
            ("amount", str(Decimal(amount) * scale)),
            ("currency", currency),
        ]
    elif kind == "like":
        pairs += [("platform", draw(st.sampled_from(PLATFORMS))), ("count", draw(st.integers(1, 10**6)))]
    elif kind == "sponsorship":
        pairs += [("platform", "youtube"), ("amount", f"{draw(st.integers(1, 10**6))}.00"), ("currency", "USD")]
    else:
        pairs += [("platform", "tiktok"), ("amount", "25.00"), ("currency", "USD"), ("product", "T-shirt")]
    if draw(st.booleans()):
        pairs.append(("viewer", draw(st.sampled_from(VIEWERS))))
    when = draw(st.integers(0, 3))
    if when == 1:
        pairs.append(("ts", f"2026-01-0{draw(st.integers(1, 9))}T12:{draw(st.integers(10, 59))}:05Z"))
    elif when == 2:
        pairs.append(("ts", 1767225600000 + draw(st.integers(0, 10**7))))
    elif when == 3:
        pairs.append(("ts", "2025-12-31T23:59:30+02:00"))
    if draw(st.integers(0, 2)) == 0:
        pairs.append(("id", draw(st.sampled_from(IDS))))
    return pairs


def good_lines() -> st.SearchStrategy[Line]:
    """A valid canonical line (see `good_records`), in one of the `STYLES`."""
    return st.builds(
        lambda pairs, style: Line(dump(pairs, style=style).encode(), python(pairs), good=True),
        good_records(),
        st.sampled_from(STYLES),
    )


PLAUSIBLY_WRONG = {
    "type": ("tip", "Gift", "gift ", "", "subscription", "donation\u0000"),
    "platform": ("TikTok", "zz", "", "tiktok "),
    "currency": ("coins", "stars", "XXX", "usd", "EUR ", "diamonds", "BTC"),
    "feature": ("nope", "Super Chat", "bits", ""),
    "gift": ("No Such Gift", "", "rose"),
    "role": ("buyer", "", "Seller"),
}
"""Values of the right type a reader must still turn down (or value as unknown): a currency no rate converts,
a platform no plugin knows, a feature, gift or role that does not exist."""

CANONICAL_FIELDS = (
    "type",
    "platform",
    "gift",
    "count",
    "amount",
    "currency",
    "viewer",
    "ts",
    "id",
    "stream",
    "feature",
    "recipient",
    "host",
    "brand",
    "product",
    "role",
)


@st.composite
def hostile_records(draw: st.DrawFn) -> Line:
    """A canonical event with one to three fields made hostile: a field's value replaced (mostly by a value
    of its own sort: a time for ``ts``, a number for ``amount`` and ``count``; or a plausible but wrong value,
    `PLAUSIBLY_WRONG`), an unknown field added (deep, long, odd), a key given twice, or the type made unknown;
    written in one of the `STYLES`."""
    pairs = draw(good_records())
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(("replace", "replace", "replace", "wrong", "add", "twice", "type")))
        if how == "wrong":
            key = draw(st.sampled_from(sorted(PLAUSIBLY_WRONG)))
            text = draw(st.sampled_from(PLAUSIBLY_WRONG[key]))
            pairs = Pairs([(k, v) for k, v in pairs if k != key] + [(key, text)])
        elif how == "replace":
            key = draw(st.sampled_from(CANONICAL_FIELDS))
            value = draw(hostile_for(key))
            index = next((i for i, (k, _) in enumerate(pairs) if k == key), None)
            if index is None:
                pairs.append((key, value))
            else:
                pairs[index] = (key, value)
        elif how == "add":
            pairs.append((draw(st.sampled_from(("x", "extra", "", "\u202e"))), draw(hostile_values())))
        elif how == "twice":
            key = draw(st.sampled_from(CANONICAL_FIELDS))
            pairs.insert(draw(st.integers(0, len(pairs))), (key, draw(hostile_for(key))))
        else:
            pairs[0] = ("type", draw(st.sampled_from(PLAUSIBLY_WRONG["type"])))
    return Line(dump(pairs, style=draw(st.sampled_from(STYLES))).encode(), python(pairs))


def _bytes_in_string(pairs: Pairs, junk: bytes) -> bytes:
    return dump(Pairs([*pairs, ("viewer", "@@")])).encode().replace(b"@@", junk)


@st.composite
def broken_lines(draw: st.DrawFn) -> Line:
    """A line that is no canonical record at all: null, an array, a string or a number as the whole line;
    deep nesting as the whole line; NaN and Infinity; truncated JSON; bytes that are not UTF-8 (a stray
    0xFF, an overlong slash, a UTF-8-encoded surrogate, a torn sequence) inside a string; a BOM or NUL in the
    middle; two records on one line; blank-looking lines (form feed, no-break space, line separator); a good
    record behind a console-log time prefix whose time is out of range."""
    good = draw(good_records())
    text = dump(good)
    choice = draw(st.integers(0, 9))
    if choice == 0:
        raw = draw(st.sampled_from(STRUCTURES + (Raw('"text"', "text"), Raw("5", 5), Raw("[null]", [None]))))
        return Line(raw.text.encode(), raw.value)
    if choice == 1:
        raw = draw(deep_values())
        return Line(raw.text.encode(), raw.value)
    if choice == 2:
        constant = draw(st.sampled_from(NON_FINITE))
        return Line(constant.encode(), float(constant.replace("Infinity", "inf")))
    if choice == 3:
        cut = draw(st.integers(1, max(1, len(text) - 1)))
        return Line(text[:cut].encode())
    if choice == 4:
        junk = draw(st.sampled_from((b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\xfe\xff", b"\x80")))
        return Line(_bytes_in_string(good, junk))
    if choice == 5:
        junk = draw(st.sampled_from((b"\xef\xbb\xbf", b"\x00", b"\xef\xbb\xbf\xef\xbb\xbf")))
        return Line(junk + text.encode())
    if choice == 6:
        return Line((text + draw(st.sampled_from(("", " ", "\r", "}", " x"))) + text).encode())
    if choice == 7:
        blank = draw(st.sampled_from(("\x0c", "\xa0", "\u2028", "\x0b", "\u3000", "\x1c", "\x85")))
        return Line(blank.encode())
    if choice == 8:
        when = draw(st.sampled_from(ISO_TIMES + ("99999999999999999999", "-62135596800", "1767225600000")))
        layout = draw(st.sampled_from(("{} {}", "[{}] {}", "{} | {}", "{},{}")))
        return Line(layout.format(when, text).encode(), python(good))
    inner = draw(hostile_records())
    return Line(inner.data + draw(st.sampled_from((b"", b" ", b"\t"))), inner.record)


def canonical_lines() -> st.SearchStrategy[Line]:
    """One line of a canonical log: good about half the time, else a hostile record or a broken line."""
    return st.one_of(good_lines(), good_lines(), hostile_records(), broken_lines())


# --- files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzFile:
    """A generated input: its bytes, the reader it is written for, what a live client would feed
    (``records``), and whether it has one record a line (``line_records``: JSON Lines, ``data:`` lines, CSV rows),
    so that each rejected record must be kept as that line, verbatim. ``origin`` says what it was made from."""

    data: bytes
    reader: str
    origin: str
    records: tuple = ()
    line_records: bool = False
    good: int = 0
    """Canonical files: how many lines are valid canonical events naming their platform."""
    lines: tuple[bytes, ...] = field(default=(), repr=False)
    """Canonical files: each line with its ending."""
    good_lines: tuple[bool, ...] = field(default=(), repr=False)
    """Canonical files: for each line, whether it is a valid event."""

    @property
    def line_count(self) -> int:
        return self.data.count(b"\n") + (1 if self.data and not self.data.endswith(b"\n") else 0)

    def __repr__(self) -> str:
        head = self.data if len(self.data) <= 600 else self.data[:500] + b"...(%d bytes)" % len(self.data)
        return f"FuzzFile({self.reader}, {self.origin}, {head!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis pretty-prints a dataclass field by field, recursively: records nest thousands deep.
        printer.text(repr(self))


@st.composite
def canonical_files(draw: st.DrawFn, max_lines: int = 40) -> FuzzFile:
    """A canonical JSON Lines file of up to ``max_lines`` lines (`canonical_lines`, any of them line 1), each
    ended by LF or CRLF, sometimes with a BOM, sometimes without a last newline."""
    lines = draw(st.lists(canonical_lines(), min_size=1, max_size=max_lines))
    ends = [draw(st.sampled_from((b"\n", b"\n", b"\n", b"\r\n"))) for _ in lines]
    if draw(st.booleans()) and draw(st.booleans()):
        ends[-1] = b""
    bom = b"\xef\xbb\xbf" if draw(st.integers(0, 5)) == 0 else b""
    data = bom + b"".join(line.data + end for line, end in zip(lines, ends))
    records = tuple(line.record for line in lines if line.record is not NO_RECORD)
    return FuzzFile(
        data=data,
        reader="jsonl",
        origin="canonical",
        records=records,
        line_records=True,
        good=sum(line.good for line in lines),
        lines=tuple(line.data + end for line, end in zip(lines, ends)),
        good_lines=tuple(line.good for line in lines),
    )


# --- the readers' own fixtures ----------------------------------------------------------------


@dataclass
class Entry:
    """One record of a fixture (``value``, written after ``prefix``), or a line kept as text (``value`` None)."""

    prefix: str = ""
    value: Any = None
    text: str | None = None


@dataclass(frozen=True)
class Fixture:
    """A reader's test fixture, parsed: its layout (``jsonl``, ``array``, ``document``, ``sse``, ``csv``) and
    its entries (records with their console-log or ``data:`` prefix, and lines kept as text)."""

    reader: str
    path: Path
    layout: str
    entries: tuple[Entry, ...]

    @property
    def name(self) -> str:
        return str(self.path.relative_to(ROOT))


def _exact_json(text: str) -> Any:
    from livemoney.core.records import loads

    return loads(text)


def parse_fixture(reader: str, path: Path) -> Fixture | None:
    """The fixture at ``path`` as entries in its layout (``None`` for a file none of these layouts fits)."""
    from livemoney.core.records import split_prefix

    text = path.read_bytes().decode("utf-8-sig")
    stripped = text.lstrip()
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(text)))
        return Fixture(reader, path, "csv", tuple(Entry(value=row) for row in rows if row))
    if path.suffix == ".sse":
        entries = []
        for line in text.splitlines():
            field_, _, rest = line.partition(":")
            if field_ == "data" and rest.strip().startswith(("{", "[")):
                entries.append(Entry("data: ", _exact_json(rest.strip())))
            else:
                entries.append(Entry(text=line))
        return Fixture(reader, path, "sse", tuple(entries))
    if stripped.startswith("["):
        return Fixture(reader, path, "array", tuple(Entry(value=item) for item in _exact_json(stripped)))
    if stripped.startswith("{") and len(text.splitlines()) > 1:
        try:
            return Fixture(reader, path, "document", (Entry(value=_exact_json(stripped)),))
        except ValueError:
            pass
    entries = []
    for line in text.splitlines():
        if not line.strip():
            entries.append(Entry(text=line))
            continue
        try:
            entries.append(Entry(value=_exact_json(line)))
        except ValueError:
            prefixed = split_prefix(line)
            if prefixed is None:
                entries.append(Entry(text=line))
            else:
                body = prefixed[0]
                entries.append(Entry(line[: len(line) - len(body)], _exact_json(body)))
    return Fixture(reader, path, "jsonl", tuple(entries))


def _fixture_files() -> dict[str, list[Fixture]]:
    """Every fixture of ``plugins/*/tests/data``, under the reader that recognises it."""
    from livemoney.engine.readers import detect

    found: dict[str, list[Fixture]] = {}
    for folder in DATA_DIRS:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix not in (".json", ".jsonl", ".sse", ".csv"):
                continue
            try:
                reader = detect(path).name
                fixture = parse_fixture(reader, path)
            except Exception:  # noqa: BLE001, S112 (a fixture no reader takes is simply not a seed)
                continue
            if fixture is not None and fixture.entries:
                found.setdefault(reader, []).append(fixture)
    return found


FIXTURES = _fixture_files()
"""reader name → its fixtures, found by format detection over ``plugins/*/tests/data``."""


def _cell(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    return dump(cell)


def write_fixture(layout: str, entries: list[Entry]) -> bytes:
    """Entries written back in their fixture's layout."""
    if layout == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for entry in entries:
            if entry.text is not None:
                out.write(entry.text + "\n")
            else:
                writer.writerow([_cell(cell) for cell in entry.value])
        return out.getvalue().encode("utf-8", "surrogatepass")
    if layout == "array":
        body = ",\n".join(entry.text if entry.text is not None else dump(entry.value) for entry in entries)
        text = "[\n" + body + "\n]\n"
    elif layout == "document":
        text = "\n".join(entry.text if entry.text is not None else dump(entry.value, indent=True) for entry in entries)
        text += "\n"
    else:
        text = "".join(
            (entry.text if entry.text is not None else entry.prefix + dump(entry.value)) + "\n" for entry in entries
        )
    return text.encode("utf-8", "surrogatepass")


def _paths(value: Any, limit: int = 3000) -> list[tuple]:
    """The paths (tuples of keys and indexes) of every node below ``value``, breadth first, without recursion."""
    found: list[tuple] = []
    queue: list[tuple[tuple, Any]] = [((), value)]
    while queue and len(found) < limit:
        path, node = queue.pop(0)
        if isinstance(node, dict):
            children = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            continue
        for key, child in children:
            found.append((*path, key))
            queue.append(((*path, key), child))
    return found


def _get(value: Any, path: tuple) -> Any:
    for key in path:
        value = value[key]
    return value


def _set(value: Any, path: tuple, new: Any) -> None:
    _get(value, path[:-1])[path[-1]] = new


def _retyped(value: Any, target: str) -> Any:
    """``value`` as another JSON type: a number as its digits, digits as a number, anything in a list, a dict
    of a list's items, null."""
    if target == "str":
        return value if isinstance(value, str) else dump(value)[:200]
    if target == "int":
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        return len(value) if isinstance(value, (str, list, dict)) else 7
    if target == "list":
        return list(value.values()) if isinstance(value, dict) else [value]
    if target == "dict":
        return {str(i): item for i, item in enumerate(value)} if isinstance(value, list) else {"value": value}
    if target == "bool":
        return True
    if target == "float":
        return Raw("1.5", Decimal("1.5"))
    return None


MUTATIONS = (
    "drop key",
    "retype",
    "retype",
    "swap",
    "hostile",
    "hostile",
    "nest",
    "truncate",
    "duplicate",
    "shuffle",
    "drop record",
    "duplicate item",
)


@st.composite
def mutated_fixtures(draw: st.DrawFn, reader: str) -> FuzzFile:
    """One of ``reader``'s fixtures with one to four mutations (`MUTATIONS`), written in its own layout.

    Tree mutations pick any node of a record (breadth first, so the fields a reader looks at first are as
    likely as deep ones): drop its key, change its type (int, str, list, dict, null, bool, a fraction), swap it
    with another node, replace it with a hostile value of its sort (`hostile_for`), nest it in a list or an
    object. Record mutations truncate a record's text, duplicate a record, shuffle the records, drop one, or
    duplicate an item of a list inside a record (an API page's items, an innertube response's actions).
    CSV rows are mutated as lists of cells (hostile cells are the text of hostile values).
    """
    fixture = draw(st.sampled_from(FIXTURES[reader]))
    entries = copy.deepcopy(list(fixture.entries))
    applied = []
    for _ in range(draw(st.integers(1, 4))):
        records = [index for index, entry in enumerate(entries) if entry.text is None]
        mutation = draw(st.sampled_from(MUTATIONS))
        if not records:
            break
        index = draw(st.sampled_from(records))
        entry = entries[index]
        paths = _paths(entry.value)
        if mutation in ("drop key", "retype", "swap", "hostile", "nest", "duplicate item") and not paths:
            mutation = "hostile record"
        if mutation == "drop key":
            path = draw(st.sampled_from(paths))
            parent = _get(entry.value, path[:-1])
            del parent[path[-1]]
        elif mutation == "retype":
            path = draw(st.sampled_from(paths))
            target = draw(st.sampled_from(("str", "int", "list", "dict", "null", "bool", "float")))
            _set(entry.value, path, _retyped(_get(entry.value, path), target))
        elif mutation == "swap":
            first, second = draw(st.sampled_from(paths)), draw(st.sampled_from(paths))
            if first[: len(second)] != second and second[: len(first)] != first:
                a, b = _get(entry.value, first), _get(entry.value, second)
                _set(entry.value, first, b)
                _set(entry.value, second, a)
        elif mutation == "hostile":
            path = draw(st.sampled_from(paths))
            new = draw(hostile_for(path[-1]))
            if fixture.layout == "csv":
                new = new.value if isinstance(new.value, str) else new.text[:10_000]
            _set(entry.value, path, new)
        elif mutation == "nest":
            path = draw(st.sampled_from(paths))
            wrap = draw(st.sampled_from(("list", "dict")))
            old = _get(entry.value, path)
            _set(entry.value, path, [old] if wrap == "list" else {"value": old})
        elif mutation == "hostile record":
            entry.value = draw(hostile_values()) if fixture.layout != "csv" else [draw(hostile_values()).text[:1000]]
        elif mutation == "truncate":
            text = dump(entry.value) if fixture.layout != "csv" else ",".join(map(str, entry.value))
            entries[index] = Entry(text=entry.prefix + text[: draw(st.integers(0, max(0, len(text) - 1)))])
        elif mutation == "duplicate":
            entries.insert(draw(st.integers(0, len(entries))), copy.deepcopy(entry))
        elif mutation == "shuffle":
            entries = draw(st.permutations(entries))
        elif mutation == "drop record":
            del entries[index]
        elif mutation == "duplicate item":
            lists = [path for path in paths if isinstance(_get(entry.value, path), list) and _get(entry.value, path)]
            if lists:
                items = _get(entry.value, draw(st.sampled_from(lists)))
                items.insert(draw(st.integers(0, len(items))), copy.deepcopy(draw(st.sampled_from(items))))
        applied.append(mutation)
    data = write_fixture(fixture.layout, entries)
    if fixture.layout == "csv":
        records: tuple = ()
    else:
        records = tuple(python(entry.value) for entry in entries if entry.text is None)
    return FuzzFile(
        data=data,
        reader=reader,
        origin=f"{fixture.name} ({', '.join(applied)})",
        records=records,
        line_records=fixture.layout in ("jsonl", "sse", "csv"),
    )


def reader_names() -> list[str]:
    """The readers with fixtures to mutate, by name."""
    return sorted(FIXTURES)
