"""The one boundary for untrusted text (livemoney.core.untrusted) and the streaming record scanner
(livemoney.core.records.iter_records): limits, layouts, line numbers, verbatim rejects, bounded memory."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from livemoney.core.models import Rejected
from livemoney.core.records import first_record, iter_records, read_with_decoder, records_with_text
from livemoney.core.untrusted import for_terminal, guard, limits, loads, too_deep, using
from livemoney.errors import FieldError, ReaderError

LIVEMONEY = Path(sys.executable).with_name("livemoney")
GOOD = '{"type": "like", "platform": "tiktok", "count": 1}'


def records(data: bytes):
    return list(iter_records(io.BytesIO(data), "f"))


# --- the guarded decode --------------------------------------------------------------------------


def test_nesting_is_bounded_at_64_levels_and_brackets_in_strings_do_not_count():
    assert limits().max_depth == 64
    assert loads(b"[" * 64 + b"]" * 64) is not None
    with pytest.raises(FieldError, match="nested deeper than 64 levels"):
        loads(b"[" * 65 + b"]" * 65)
    # 64 levels of objects and arrays mixed, beside a string of 1,000 brackets (and an escaped quote).
    text = '{"s": "\\"' + "[" * 1000 + '", "x": ' + '{"a": [' * 31 + "1" + "]}" * 31 + "}"
    assert not too_deep(text.encode(), 64) and loads(text)["s"].startswith('"[[')
    assert too_deep(("[" + text + "]").encode(), 63)


def _depth(value):
    return (
        1 + max(map(_depth, value.values() if isinstance(value, dict) else value), default=0)
        if isinstance(value, (dict, list))
        else 0
    )


JSON_VALUES = st.recursive(
    st.none() | st.integers() | st.text(alphabet='[]{}"\\\n\t/nu a'),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\ k', max_size=3), inner, max_size=3)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, limit=st.integers(min_value=2, max_value=8), spaces=st.booleans())
def test_too_deep_answers_how_deep_the_value_nests_whatever_its_strings_hold(value, limit, spaces):
    # strings of brackets, quotes and backslashes (escaped: \\ and \"), long enough to pass the short cut
    text = json.dumps(value, indent=1 if spaces else None) + " " * 4096
    assert too_deep(text.encode(), limit) == (_depth(value) > limit)


def _too_deep_over_the_whole_text(data: bytes, limit: int) -> bool:
    """`too_deep` as it was written first: the escapes taken out of the whole text."""
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = data.translate(bytes.maketrans(b"{}", b"[]"), bytes(b for b in range(256) if b not in b'"[]{}'))
    structure = structure.replace(b'""', b"")
    if b'"' in structure:
        structure = b"".join(structure.split(b'"')[0::2])
    for _ in range(limit):
        fewer = structure.replace(b"[]", b"")
        if not structure or len(fewer) == len(structure):
            return False
        structure = fewer
    return bool(structure) and b"[]" in structure


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"\\", b"\\\\", b'\\"', b"\\n", b"n", b" " * 300]), max_size=80
    ),
    limit=st.integers(min_value=2, max_value=6),
)
def test_too_deep_reads_any_text_alike_however_many_escapes_it_holds(parts, limit):
    # broken text too (a lone backslash, an odd quote): the escapes taken out piece by piece give the same answer
    data = b"".join(parts) + b" " * 4096
    assert too_deep(data, limit) == _too_deep_over_the_whole_text(data, limit)


def test_a_record_longer_than_the_limit_is_rejected_and_the_limit_can_be_raised():
    big = json.dumps({"x": "a" * 5000}).encode()
    with using(max_record_bytes=4096):
        with pytest.raises(FieldError, match=r"longer than the limit \(5,009 bytes, at most 4,096 bytes"):
            loads(big)
        (rejected, good) = records(big + b"\n" + GOOD.encode() + b"\n")
        assert isinstance(rejected, Rejected) and rejected.line == 1 and rejected.raw.endswith("… (5009 bytes)")
        assert good == (2, json.loads(GOOD))
    assert loads(big) == {"x": "a" * 5000}


def test_numbers_are_exact_and_integers_of_any_size_read_alike():
    assert loads(b'{"a": 1.10, "b": 100000000000000000000, "c": -9223372036854775809}') == {
        "a": Decimal("1.10"),
        "b": 10**20,
        "c": -9223372036854775809,
    }
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        with pytest.raises(FieldError, match="not valid JSON"):
            loads(constant)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'{"viewer": "\\udc80x"}', "not valid Unicode: a lone surrogate"),
        (b'{"viewer": "\xff"}', "not valid UTF-8"),
        (b'{"a": 1', "not valid JSON: Expecting ',' delimiter"),
    ],
)
def test_what_is_not_valid_text_names_its_problem(data, problem):
    with pytest.raises(FieldError) as caught:
        loads(data)
    assert caught.value.field == "(line)" and caught.value.problem.startswith(problem)


def test_a_live_record_is_checked_as_text_is():
    deep: list = []
    for _ in range(100):
        deep = [deep]
    assert guard({"a": 1}) == '{"a":1}'
    with pytest.raises(FieldError, match="nested deeper"):
        guard({"a": deep})
    with pytest.raises(FieldError, match="lone surrogate"):
        guard({"viewer": "\udc80"})
    assert json.loads(guard({"n": 10**30})) == {"n": 10**30}


@pytest.mark.parametrize(
    "value", ["1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", 946684799, "-1"]
)
def test_times_before_2000_or_from_2100_are_out_of_range(value):
    with pytest.raises(FieldError, match=r"^ts: .* is out of range \(times from 2000-01-01 to 2099-12-31, UTC\)"):
        lm.timestamp(value, "ts")
    assert lm.timestamp("2000-01-01T00:00:00Z", "ts") == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def test_an_event_beyond_the_maximum_amount_or_count_is_refused_by_the_model():
    with pytest.raises(FieldError, match=r"^amount: 1000000000000000000.01 is out of range"):
        lm.Sponsorship(platform="youtube", amount=lm.Money("1000000000000000000.01", "USD"))
    with pytest.raises(FieldError, match=r"^count: 1000000000001 is out of range"):
        lm.Like(platform="tiktok", count=10**12 + 1)
    assert lm.Like(platform="tiktok", count=10**12).count == 10**12


# --- the layouts, streamed -------------------------------------------------------------------------

OBJECTS = st.lists(
    st.dictionaries(
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=5),
        st.one_of(
            st.integers(),
            st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.sampled_from("ab"), st.integers(), max_size=2),
        ),
        max_size=4,
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(objects=OBJECTS, layout=st.sampled_from(["lines", "compact array", "indented array", "documents"]))
def test_every_layout_gives_the_same_records_with_the_lines_they_start_on(objects, layout):
    # Each object written as a JSON line, in a compact or indented array, or as pretty-printed documents
    # one after another: the scanner gives each object back, with the line its text starts on.
    if layout == "lines":
        data = "".join(json.dumps(o) + "\n" for o in objects)
    elif layout == "compact array":
        data = json.dumps(objects)
    elif layout == "indented array":
        data = json.dumps(objects, indent=2)
    else:
        data = "".join(json.dumps(o, indent=2) + "\n" for o in objects)
    found = records(data.encode())
    assert [record for _, record in found] == objects
    starts = []
    if layout == "indented array":
        starts = [n for n, line in enumerate(data.split("\n"), start=1) if line.startswith("  {")]
    elif layout == "documents":
        starts = [n for n, line in enumerate(data.split("\n"), start=1) if line.startswith("{")]
    elif layout == "lines":
        starts = list(range(1, len(objects) + 1))
    else:
        starts = [1] * len(objects)
    assert [line for line, _ in found] == starts


class _Dribble(io.RawIOBase):
    """A stream that gives its bytes a few at a time (the sizes in turn), as a slow pipe does."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.turn = data, sizes, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        step = self.sizes[self.turn % len(self.sizes)]
        self.turn += 1
        given, self.data = self.data[:step], self.data[step:]
        return given


LINES = [
    '{"a": 1}',
    '{"a": [1, {"b": [2]}], "c": "[{[{"}',
    '{"deep": [[[[[[1]]]]]]}',
    "[[[[[[[1]]]]]]]",
    "",
    "   ",
    "\t\r",
    '{"a": 2}\r',
    '2022-04-11T21:44:40.714Z {"b": 2}',
    '1649713480714,{"c": 3}',
    "[2022-04-11 21:44:40,123] INFO: [1, 2]",
    "not json",
    '{"cut": ',
    "{",
    '  "inner": {',
    "  }",
    "}",
    "[",
    "]",
    '"text"',
    "null",
    "\x0c{}",
    '{"x": "\\udc80"}',
    '{"long": "' + "x" * 1100 + '"}',
    'data: {"a": 1}',
    "data:   [[[[[[2]]]]]]  ",
    "data: not json",
    "event: gift",
    "id: 7",
    ": a comment",
    "  data: {}",
    "other: 1",
]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.sampled_from(LINES), max_size=24),
    sizes=st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=6),
    sse=st.booleans(),
    last_newline=st.booleans(),
    depth=st.sampled_from([2, 5, 64]),
)
def test_the_records_of_lines_do_not_depend_on_how_the_stream_gives_its_bytes(lines, sizes, sse, last_newline, depth):
    # The scanner splits the whole lines a buffer holds at once, and checks their nesting once a buffer; a line cut
    # by the end of a read, a document over lines, a line too long go its slower way: the same records, the same
    # rejects (verbatim, with their lines), whether the file comes whole or a few bytes at a time.
    data = ("data: {}\n" if sse else "") + "\n".join(lines) + ("\n" if last_newline else "")
    raw = data.encode("utf-8", "surrogatepass").replace(b"\\x0c", b"\x0c")
    with using(max_depth=depth, max_record_bytes=1024):
        whole = list(records_with_text(io.BytesIO(raw), "f"))
        dribbled = list(records_with_text(_Dribble(raw, sizes), "f"))  # type: ignore[arg-type]
    assert dribbled == whole


def test_a_line_cut_after_an_opening_bracket_loses_none_of_the_lines_after_it():
    # A capture cut mid-line, `{"gift": {`, looks like the opening of a document laid out over lines: the scanner
    # looks ahead for its closing bracket, reading on; the buffer moved, and the lines after the cut one were
    # skipped unread (1,100 of 20,000 in a TikTok capture with cut lines) when the reads were shorter than the file.
    lines = [b'{"a": 1}', b'{"gift": {', *(b'{"a": %d}' % number for number in range(2, 40))]
    data = b"\n".join(lines) + b"\n"
    found = list(records_with_text(_Dribble(data, [7]), "f"))  # type: ignore[arg-type]
    assert [item.line if isinstance(item, Rejected) else item[0] for item in found] == list(range(1, 41))
    assert isinstance(found[1], Rejected) and found[1].raw == '{"gift": {'
    assert found == list(records_with_text(io.BytesIO(data), "f"))


def test_an_array_item_that_is_rejected_keeps_its_text_verbatim():
    class Picky:
        def feed(self, record, line):
            yield Rejected("f.json", line, "count", "not a count", "(the decoder's own text)")

        def flush(self, now=None):
            return ()

    read = read_with_decoder(lambda source: Picky())
    data = b'[\n  {"count": "many"},\n  {\n    "count": "few"\n  }\n]\n'
    assert [(r.line, r.raw) for r in read(io.BytesIO(data), "f.json")] == [
        (2, '{"count": "many"}'),
        (3, '{\n    "count": "few"\n  }'),
    ]


def test_a_bad_item_of_an_array_is_rejected_and_the_next_ones_read():
    found = records(b'[\n  {"a": 1},\n  {"a": tru},\n  {"a": 3}\n]\n')
    assert found[0] == (2, {"a": 1}) and found[2] == (4, {"a": 3})
    assert isinstance(found[1], Rejected) and (found[1].line, found[1].raw) == (3, '{"a": tru}')


def test_detection_passes_over_bad_leading_records():
    assert first_record(b'null\n"text"\n[]\n{"giftId": 1}\n') == {"giftId": 1}
    assert first_record(b"[" * 5000 + b"]" * 5000 + b'\n{"a": 1}\n') == {"a": 1}


def test_arrays_and_documents_are_read_in_memory_that_does_not_grow_with_the_file(tmp_path):
    import tracemalloc

    item = {"message_id": "x" * 20, "timestamp": 1716058920000000, "author": {"name": "A", "id": "1"}}
    path = tmp_path / "array.json"
    with open(path, "w") as out:
        out.write("[\n")
        out.writelines("  " + json.dumps(item, indent=2).replace("\n", "\n  ") + ",\n" for _ in range(50_000))
        out.write(json.dumps(item) + "\n]\n")
    assert path.stat().st_size > 7_000_000
    tracemalloc.start()
    with open(path, "rb") as stream:
        count = sum(1 for _ in iter_records(stream, str(path)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 50_001 and peak < 4_000_000


# --- inputs that are not regular files ---------------------------------------------------------------


def test_a_pipe_is_read_once(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text(f"{GOOD}\n{GOOD}\n{GOOD}\n")
    done = subprocess.run(
        ["bash", "-c", f"{LIVEMONEY} value <(cat {log}) --format json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["records"] == 3


def test_a_fifo_without_a_writer_and_a_device_are_refused_with_a_message(tmp_path, monkeypatch):
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    monkeypatch.setenv("LIVEMONEY_FIFO_WAIT", "0.2")
    with pytest.raises(ReaderError, match="a named pipe \\(FIFO\\) that nothing wrote to within 0.2 s"):
        lm.value(fifo, progress=False)
    with pytest.raises(ReaderError, match="/dev/zero: a device, not a file of records"):
        lm.value("/dev/zero", input_format="jsonl", progress=False)


def test_a_pretty_printed_array_with_a_broken_item_is_read_without_a_traceback():
    """A line deleted from a pretty-printed capture leaves an item that starts with a string (``"author": {``):
    the scanner looked for the closer of a bracket that was not there (KeyError: 34; breaker trial)."""
    import io

    from livemoney.core.models import Rejected
    from livemoney.core.records import iter_records

    data = b'[\n  {"id": "m0", "n": 1},\n    "author": {\n      "id": "UC_a"\n    },\n  {"id": "m2", "n": 2}\n]\n'
    items = list(iter_records(io.BytesIO(data), "k.json"))
    records = [item[1] for item in items if not isinstance(item, Rejected)]
    assert {"id": "m0", "n": 1} in records and {"id": "m2", "n": 2} in records
    assert any(isinstance(item, Rejected) and item.line == 3 for item in items)


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("LIVEMONEY_MAX_RECORD_BYTES", "abc", "'abc' is not a whole number"),
        ("LIVEMONEY_MAX_RECORD_BYTES", "0", "'0' must be a whole number of at least 1024"),
        ("LIVEMONEY_MAX_DEPTH", "x", "'x' is not a whole number"),
        ("LIVEMONEY_MAX_DEPTH", "100000", "'100000' must be a whole number from 2 to 512"),
        ("LIVEMONEY_FIFO_WAIT", "nan", "'nan' is not a number of seconds from 0 to 86400"),
        ("LIVEMONEY_FIFO_WAIT", "1e308", "'1e308' is not a number of seconds from 0 to 86400"),
        ("LIVEMONEY_FIFO_WAIT", "-1", "'-1' is not a number of seconds from 0 to 86400"),  # -1 waited forever
    ],
)
def test_a_bad_limit_in_the_environment_is_one_line_naming_it(tmp_path, variable, value, problem):
    """The contract's variables were read with a traceback (ValueError, OverflowError) or a wait without end."""
    log = tmp_path / "log.jsonl"
    if variable == "LIVEMONEY_FIFO_WAIT":
        os.mkfifo(log)
    else:
        log.write_text('{"type": "like", "platform": "x", "count": 1}\n', encoding="utf-8")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "livemoney"), "value", str(log)],
        capture_output=True,
        text=True,
        env={**os.environ, variable: value},
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and done.stderr == f"livemoney: error: {variable}: {problem}\n", done.stderr


# --- text shown on a terminal --------------------------------------------------------------------


def test_for_terminal_escapes_control_and_bidirectional_characters_only():
    assert for_terminal("plain text, naïve 🎁\tand\na new line") == "plain text, naïve 🎁\tand\na new line"
    assert for_terminal("\u202eevil\x1b[2J\r\x85\u2066") == "\\u202eevil\\u001b[2J\\u000d\\u0085\\u2066"


@given(st.text())
def test_for_terminal_leaves_no_unsafe_character_and_keeps_a_json_value(text):
    line = json.dumps({"viewer": text}, ensure_ascii=False)
    shown = for_terminal(line)
    unsafe = [c for c in shown if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u061c\u200e\u200f\u2028\u2029"]
    unsafe += [c for c in shown if "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"]
    assert unsafe == []
    assert json.loads(shown) == {"viewer": text}


def test_a_document_longer_than_the_limit_keeps_its_head_however_the_bytes_come():
    """A line opening a document (``[``) and a line longer than the limit: rejected with its first `RAW_KEPT`
    bytes kept (as a long line is), whether the file comes whole or a byte at a time (found by the hypothesis
    test above in CI: whole, the full 1,112 bytes were kept)."""
    raw = ("[\n" + '{"long": "' + "x" * 1100 + '"}').encode()
    with using(max_depth=2, max_record_bytes=1024):
        whole = list(records_with_text(io.BytesIO(raw), "f"))
        dribbled = list(records_with_text(_Dribble(raw, [1]), "f"))  # type: ignore[arg-type]
    assert whole == dribbled
    (rejected,) = whole
    assert (rejected.line, rejected.field) == (2, "(line)")
    assert rejected.raw.endswith("… (1112 bytes)") and len(rejected.raw) == 1024 + len("… (1112 bytes)")
