import datetime as dt
import io
from collections import deque
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney.core.models import Rejected, Skipped
from livemoney.core.records import (
    UNACCOUNTED,
    Accounting,
    DecoderSession,
    _Scanner,
    iter_records,
    read_with_decoder,
    records_with_text,
    timestamp,
)
from livemoney.errors import FieldError

UTC = dt.UTC


def records(text):
    return list(iter_records(io.BytesIO(text.encode()), "f.json"))


def test_json_lines_numbers_are_exact_and_bad_lines_are_rejected_with_their_line():
    found = records('{"amount": 1.10}\n\nnot json\n{"amount": 2}\n')
    assert found[0] == (1, {"amount": Decimal("1.10")})
    assert isinstance(found[1], Rejected) and found[1].line == 3 and found[1].raw == "not json"
    assert found[2] == (4, {"amount": 2})


def test_a_json_array_and_a_single_document_are_records_too():
    assert records('[{"a": 1}, {"a": 2}]') == [(1, {"a": 1}), (1, {"a": 2})]
    # Each item of a pretty-printed array carries the line it starts on, for FILE:LINE messages.
    assert records('[\n  {"a": 1},\n  {"a": 2,\n   "b": 3}\n  ,{"a": 4}]') == [
        (2, {"a": 1}),
        (3, {"a": 2, "b": 3}),
        (5, {"a": 4}),
    ]
    assert records('{\n "items": [1, 2]\n}\n') == [(1, {"items": [1, 2]})]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1692725773880", dt.datetime(2023, 8, 22, 17, 36, 13, 880000, tzinfo=UTC)),  # TikTok ms string
        (1570678496000000, dt.datetime(2019, 10, 10, 3, 34, 56, tzinfo=UTC)),  # YouTube µs
        (1570678496000, dt.datetime(2019, 10, 10, 3, 34, 56, tzinfo=UTC)),  # pytchat ms
        ("2018-08-30T18:47:02+0000", dt.datetime(2018, 8, 30, 18, 47, 2, tzinfo=UTC)),  # Graph API
        ("2018-01-01T00:00:00.000Z", dt.datetime(2018, 1, 1, tzinfo=UTC)),  # Data API
    ],
)
def test_timestamps_of_every_source_become_aware_utc(value, expected):
    assert timestamp(value, "ts") == expected


@pytest.mark.parametrize("bad", ["yesterday", "2026-01-01T10:00:00", True, "1e999999"])
def test_bad_timestamps_name_the_field(bad):
    with pytest.raises(FieldError, match="^ts: "):
        timestamp(bad, "ts")


def test_a_decoder_rejection_keeps_the_files_line_verbatim():
    class Picky:
        def feed(self, record, line):
            yield Rejected("f.jsonl", line, "count", "not a count", repr(record))

        def flush(self, now=None):
            return ()

    read = read_with_decoder(lambda source: Picky())
    (rejected,) = read(io.BytesIO(b'{"count":   "many" , "x": [1, 2]}\n'), "f.jsonl")
    assert rejected.raw == '{"count":   "many" , "x": [1, 2]}'


class Hoarder:
    """A decoder that holds every record back and, at its end, builds an event beyond livemoney's bounds (a
    streak summing counts past the maximum): its ``flush`` raises `FieldError`."""

    def feed(self, record, line):
        return ()

    def flush(self, now=None):
        raise FieldError("count", "2000000000000 is out of range (a count is at most 1,000,000,000,000 an event)")


def test_a_decoder_whose_end_builds_an_event_out_of_bounds_rejects_what_it_held_verbatim():
    """The long fuzz run (make fuzz): a TikTok streak of a count beyond the maximum raised at the end of the
    file, which ended the file as the plugin's fault; now every record still held back is rejected, verbatim."""
    data = b'{"n": 1}\n{"n":  2}\n'
    items = list(read_with_decoder(lambda source: Hoarder())(io.BytesIO(data), "f.jsonl"))
    assert [(item.line, item.field, item.raw) for item in items] == [
        (1, "count", '{"n": 1}'),
        (2, "count", '{"n":  2}'),
    ]
    assert all(isinstance(item, Rejected) and "out of range" in item.problem for item in items)


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ('2022-04-11T21:44:40.714Z,{"a": 1}', dt.datetime(2022, 4, 11, 21, 44, 40, 714000, tzinfo=dt.UTC)),
        ('[2022-04-11T21:44:40Z] {"a": 1}', dt.datetime(2022, 4, 11, 21, 44, 40, tzinfo=dt.UTC)),
        ('2022-04-11T23:44:40+02:00 | {"a": 1}', dt.datetime(2022, 4, 11, 21, 44, 40, tzinfo=dt.UTC)),
        ('1649713480714\t{"a": 1}', dt.datetime(2022, 4, 11, 21, 44, 40, 714000, tzinfo=dt.UTC)),
        ('2022-04-11 21:44:40,123 - {"a": 1}', None),  # Python logging: no zone, so no time is taken
    ],
)
def test_console_log_prefixes_give_the_record_and_the_lines_time(line, when):
    from livemoney.core.records import first_record, split_prefix

    assert split_prefix(line) == ('{"a": 1}', when)
    assert first_record(line.encode()) == {"a": 1}
    assert records(f"{line}\n{line}\n") == [(1, {"a": 1}), (2, {"a": 1})]


def test_a_line_that_is_json_is_never_taken_for_a_prefix():
    from livemoney.core.records import split_prefix

    assert split_prefix('{"ts": "2022-04-11T21:44:40Z", "x": [1]}') is None
    assert split_prefix('hello {"a": 1}') is None
    assert records('[{"a": 1},\n {"a": 2}]') == [(1, {"a": 1}), (2, {"a": 2})]


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ('2022-04-11 21:44:40,123 - INFO - {"a": 1}', None),
        ('[2022-04-11T21:44:40Z] INFO: {"a": 1}', dt.datetime(2022, 4, 11, 21, 44, 40, tzinfo=dt.UTC)),
        ('1649713480.714 {"a": 1}', dt.datetime(2022, 4, 11, 21, 44, 40, 714000, tzinfo=dt.UTC)),
    ],
)
def test_a_log_level_after_the_time_and_epoch_seconds_with_a_fraction(line, when):
    from livemoney.core.records import split_prefix

    assert split_prefix(line) == ('{"a": 1}', when)


def test_a_line_separator_inside_a_json_string_does_not_cut_the_line():
    # JSON.stringify and json.dumps(ensure_ascii=False) leave U+2028, U+2029 and U+0085 unescaped.
    text = '{"name": "A\u2028B"}\n{"name": "x\u0085y\u2029z"}\n'
    assert records(text) == [(1, {"name": "A\u2028B"}), (2, {"name": "x\u0085y\u2029z"})]


def test_a_held_back_item_of_a_long_line_is_rejected_with_the_line_verbatim():
    # a breaker's trial: an API response of 9 MiB (under the 16 MiB record limit) whose Jewels combo was held back
    # and rejected after the next response lost its verbatim text when 8 MiB of recent lines were kept
    accounting = Accounting()
    long_line = b'{"items": [' + b" " * (9 * 1024 * 1024) + b"]}"
    accounting.fed(1)
    accounting.hold(1, long_line)
    accounting.came([Skipped("api.jsonl", 1, "chat")])  # the line's other items came out: it is no longer pending
    for line in range(2, 5):  # the next responses, a MiB each
        accounting.fed(line)
        accounting.hold(line, b"{" + b" " * (1024 * 1024) + b"}")
        accounting.came([Skipped("api.jsonl", line, "chat")])
    (rejected,) = accounting.came([Rejected("api.jsonl", 1, "jewelsAmount", "not a number", "(re-serialised)")])
    assert rejected.raw == long_line.decode()


def test_the_last_lines_texts_are_kept_for_a_late_reject_and_older_ones_let_go():
    # A decoder may reject an item of a line after the line's other items came out: the line's text is kept among the
    # last RECENT_LINES lines (a ring), the oldest let go; a line held twice keeps its first text.
    accounting = Accounting()
    for line in range(1, Accounting.RECENT_LINES + 2):
        accounting.fed(line)
        accounting.hold(line, b'{"n": %d}' % line)
        accounting.came([Skipped("f.jsonl", line, "chat")])
    accounting.hold(Accounting.RECENT_LINES + 1, b'{"n": "again"}')
    late = [Rejected("f.jsonl", line, "amount", "not a number", "(re-serialised)") for line in (1, 2, 4097)]
    assert [item.raw for item in accounting.came(late)] == ["(re-serialised)", '{"n": 2}', '{"n": 4097}']


class OldRing:
    """The last lines' texts as `Accounting` kept them before they were kept a batch at a time: a ring of
    ``(line, text, size)``, the oldest let go past `RECENT_LINES` lines or the budget; a text over the budget, or a
    line kept already (looked for when it is not after the newest), not kept. The reference the batches are checked
    against."""

    def __init__(self, most, budget):
        self.recent = deque(maxlen=most)
        self.bytes = 0
        self.budget = budget

    def keep(self, line, raw):
        size, recent = len(raw), self.recent
        if size > self.budget:
            return
        if recent:  # a line kept already is looked for when it is not after the newest
            newest = recent[-1][0]
            if line == newest or (line < newest and any(kept == line for kept, _, _ in recent)):
                return
        if len(recent) == recent.maxlen:
            self.bytes -= recent[0][2]
        recent.append((line, raw, size))
        self.bytes += size
        while self.bytes > self.budget:
            self.bytes -= recent.popleft()[2]

    def text(self, line):
        return next((raw for kept, raw, _ in self.recent if kept == line), None)


@given(
    texts=st.lists(
        st.tuples(st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=1200), st.booleans()),
        max_size=80,
    ),
    budget=st.sampled_from([1000, 2500, 10**9]),
    most=st.sampled_from([1, 3, 8]),
)
def test_texts_kept_a_batch_at_a_time_are_the_texts_a_ring_of_lines_keeps(texts, budget, most):
    # `DecoderSession.read` gathers the texts of lines that came out at once and puts them among the last lines'
    # texts a batch at a time (`Accounting._join`), `hold` a line at a time: whatever the order of the lines
    # (repeated, going back), their sizes (past the budget) and how gathered and held lines mix, the same lines and
    # texts are kept, and the same bytes counted, as the ring of one text a line (`OldRing`) keeps.
    class Small(Accounting):
        RECENT_LINES = most
        GATHERED = 3

    accounting, ring = Small(), OldRing(most, budget)
    accounting._budget = budget
    for line, size, held in texts:
        raw = b"%d:" % line + b"x" * size
        ring.keep(line, raw)
        if held:
            accounting.hold(line, raw)
        else:
            accounting._gathered_lines.append(line)
            accounting._gathered_texts.append(raw)
            if len(accounting._gathered_lines) >= accounting.GATHERED:
                accounting._join()
        if size % 7 == 0:  # a look at the kept texts between two lines
            assert accounting._recent_text(line) == ring.text(line)
    for line in range(42):
        assert accounting._recent_text(line) == ring.text(line)
    assert accounting._kept() == [(line, raw) for line, raw, _ in ring.recent]
    assert accounting._recent_bytes == ring.bytes
    assert accounting._recent_lines == len(ring.recent) <= most


class LateRejecter:
    """A decoder that gives each record back at once as its own `Skipped`, and with the record ``{"reject": N}``
    rejects line N (given back before) late, with a raw of its own."""

    def feed(self, record, line):
        if "reject" in record:
            return [Rejected("f.jsonl", record["reject"], "amount", "not a number", "(re-serialised)")]
        return [Skipped("f.jsonl", line, "chat")]

    def flush(self, now=None):
        return ()


def test_a_late_reject_of_a_line_given_back_at_once_keeps_its_text_within_the_last_lines():
    lines = [b'{"n":  %d}' % number for number in range(1, Accounting.RECENT_LINES + 301)]
    lines += [b'{"reject": %d}' % line for line in (1, 300, 4000, Accounting.RECENT_LINES + 300)]
    items = list(read_with_decoder(lambda source: LateRejecter())(io.BytesIO(b"\n".join(lines) + b"\n"), "f.jsonl"))
    late = [item for item in items if isinstance(item, Rejected)]
    # line 1 and 300 are no longer among the last RECENT_LINES lines read; 4000 and the newest are, verbatim
    assert [(item.line, item.raw) for item in late] == [
        (1, "(re-serialised)"),
        (300, "(re-serialised)"),
        (4000, '{"n":  4000}'),
        (Accounting.RECENT_LINES + 300, f'{{"n":  {Accounting.RECENT_LINES + 300}}}'),
    ]
    # the records that rejected were never given back themselves: each counted as not read, never lost
    unaccounted = [item.line for item in items if isinstance(item, Skipped) and item.kind == UNACCOUNTED]
    assert unaccounted == list(range(Accounting.RECENT_LINES + 301, Accounting.RECENT_LINES + 305))
    assert len(items) == len(lines) + len(unaccounted)


_SSE_LINES = [
    b'data: {"reaction_stream": [{"key": "LIKE", "value": 3}]}',
    b'data:{"a": 1.50}',
    b"data: {not json",
    b'data: {"a": "\xff"}',
    b'data: {"a": "\\udc80"}',
    b"data: " + b"[" * 70 + b"]" * 70,
    b"data: " + b'{"a": ' * 70 + b"1" + b"}" * 70,
    b"",
    b"\r",
    b" ",
    b": a comment",
    b"event: reactions",
    b"id: 7",
    b"retry: 1000",
    b"hello",
    b"data:",
]


@given(st.lists(st.sampled_from(_SSE_LINES), max_size=40))
def test_server_sent_events_read_a_buffer_at_a_time_are_read_as_each_line_on_its_own(picked):
    # `_whole_lines` reads a buffer of SSE lines at once (the exact decoder called directly when no line is too deep,
    # blank lines passed over): the same records and rejects, verbatim with their line and field, as `_sse_line` of
    # each line on its own (through `loads`), deep, broken, not UTF-8, blank, comments and other lines mixed.
    lines = [b'data: {"first": 1}', *picked]
    text = b"\n".join(lines) + b"\n"
    found = list(records_with_text(io.BytesIO(text), "f.sse"))
    one_by_one = [_Scanner(io.BytesIO(b""), "f.sse")._sse_line(number, data) for number, data in enumerate(lines, 1)]
    assert found == [item for item in one_by_one if item is not None]


class Streaky:
    """A decoder like a gift streak's: ``frame`` holds its record back and gives back the frame it supersedes (as
    a `Skipped`), ``end`` rejects the frame held (late: its line was fed before), ``split`` gives its record back at
    once but keeps an item of it that ``late`` rejects later, ``chat`` gives its record back at once; ``flush``
    rejects the frame still held. Every `Rejected` carries a raw of its own, which the host replaces with the
    line's text where it kept it."""

    def __init__(self, source):
        self.source = source
        self.held = []
        self.split = []

    def _rejected(self, line):
        return Rejected(self.source, line, "amount", "not a number", "(re-serialised)")

    def feed(self, record, line):
        doing = record["do"]
        if doing == "frame":
            superseded, self.held = self.held, [line]
            return [Skipped(self.source, held, "gift streak frame") for held in superseded]
        if doing == "end":
            held, self.held = self.held, []
            return [*map(self._rejected, held), Skipped(self.source, line, "chat")]
        if doing == "late":
            split, self.split = self.split, []
            return [*map(self._rejected, split), Skipped(self.source, line, "chat")]
        if doing == "split":
            self.split.append(line)
        return [Skipped(self.source, line, "chat")]

    def flush(self, now=None):
        held, self.held = self.held, []
        return [self._rejected(line) for line in held]


@given(
    doings=st.lists(
        st.tuples(st.sampled_from(["frame", "end", "split", "late", "chat"]), st.integers(min_value=0, max_value=30)),
        max_size=60,
    ),
    most=st.sampled_from([1, 3, 8]),
)
def test_a_record_held_back_or_split_and_rejected_later_keeps_its_text_as_the_last_lines_say(doings, most):
    # `DecoderSession.read` gathers the text of every line, held back or not (a streak's frames): a line still held
    # back when it is rejected keeps its text verbatim, however long ago it was read; a line whose record came out
    # and whose item is rejected later keeps it while it is among the last `RECENT_LINES` lines read before
    # (`Accounting`), else the decoder's own raw. Each record comes out once (a line split: twice).
    class Small(Accounting):
        RECENT_LINES = most
        GATHERED = 3
        GATHERED_TEXT = 40  # a longer text is held at once (`hold`), a shorter one gathered

    texts = [b'{"do": "%s", "pad": "%s"}' % (doing.encode(), b"x" * pad) for doing, pad in doings]
    session = DecoderSession(Streaky)
    session._accounting = Small()
    items = [*session.read(io.BytesIO(b"".join(text + b"\n" for text in texts)), "f.jsonl"), *session.finish()]
    # the model: which line each `Rejected` names, and what its raw must be
    expected, held, split, twice = [], [], [], []
    for line, (doing, _) in enumerate(doings, start=1):
        if doing == "frame":
            held = [line]
        elif doing == "end":
            expected += [(kept, texts[kept - 1].decode()) for kept in held]  # still pending: kept however old
            held = []
        elif doing == "late":
            expected += [
                (kept, texts[kept - 1].decode() if kept >= line - most else "(re-serialised)") for kept in split
            ]
            twice += split
            split = []
        elif doing == "split":
            split.append(line)
    expected += [(kept, texts[kept - 1].decode()) for kept in held]
    assert [(item.line, item.raw) for item in items if isinstance(item, Rejected)] == expected
    assert sorted(item.line for item in items) == sorted([*range(1, len(doings) + 1), *twice])
