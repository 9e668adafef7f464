"""`Copies`: rows alike but for their viewer and line, given as one item (in a `WithCopies`) and counted by the
valuer in one step a distinct event. Whatever the rows, the report is that of the same rows given one event each."""

from __future__ import annotations

import datetime as dt
import io

import attrs
import livemoney as lm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney.engine.readers import KnownPlatforms, checked, guarded_reader
from livemoney.engine.valuer import Valuer
from livemoney.kit import Copies, Donation, Event, Gift, Money, Reader, Rejected, WithCopies

DAY = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)

EVENTS = [
    Donation(platform="instagram", feature="badge", amount=Money("0.99", "USD"), ts=DAY),
    Donation(platform="instagram", feature="badge", amount=Money("1.99", "USD"), ts=DAY + dt.timedelta(days=1)),
    Donation(platform="instagram", feature="badge", amount=Money("4.99", "EUR"), count=3, ts=DAY),
    Donation(platform="instagram", feature="badge", amount=Money("0.990", "USD"), ts=DAY, stream="s2"),  # key of 0
    Donation(platform="instagram", feature="nonesuch", amount=Money("2", "USD"), ts=None),  # unknown, no time
    Event(platform="instagram", ts=DAY),  # no plugin values it: each row rejected
    Donation(platform="nowhere", feature="badge", amount=Money("1", "USD"), ts=DAY),  # an unknown platform
    Donation(platform="instagram", feature="badge", amount=Money("0.99", "USD"), ts=DAY, id="same"),  # an id
    Gift(platform="tiktok", gift="Rose", ts=DAY, recipient="guest"),  # to a guest: the host decides
]
VIEWERS = st.sampled_from([None, "ann", "bob", "zoë", ""])


@st.composite
def runs(draw):
    """Items of a reader: runs of rows (each a `Copies` of a few of `EVENTS`) with rejects between them."""
    items, line = [], 1
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            items.append(Rejected("f.csv", line, "(row)", "bad", f"text {line}"))
            line += 1
            continue
        chosen = draw(st.lists(st.integers(0, len(EVENTS) - 1), min_size=1, max_size=12))
        order = list(dict.fromkeys(chosen))  # the events in the order of their first rows
        viewers = [draw(VIEWERS) for _ in chosen]
        lines = list(range(line, line + len(chosen)))
        line += len(chosen) + draw(st.integers(0, 2))  # blank lines between runs
        items.append(Copies("f.csv", [EVENTS[i] for i in order], [order.index(i) for i in chosen], viewers, lines))
    return items


def _said(report: lm.Report) -> tuple:
    """Everything a report says, orders included."""
    return (
        report.to_dict(),
        list(report.viewers.items()),
        list(report.bins.items()),
        [(r.source, r.line, r.field, r.problem, r.raw) for r in report.rejects],
        report.without_id,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=runs(), ledger=st.booleans(), host=st.sampled_from([None, "host"]))
def test_copies_value_as_the_events_they_stand_for_one_a_row(tmp_path, items, ledger, host):
    def valued(given: object, name: str) -> tuple:
        book = tmp_path / f"{name}.sqlite" if ledger else None
        if book is not None and book.exists():
            book.unlink()
        report = lm.value(given, on_error="skip", progress=False, ledger=book, host=host)  # type: ignore[arg-type]
        kept = _said(lm.value(ledger=book)) if book is not None else None
        return _said(report), kept

    one_a_row = list(WithCopies(items))
    assert not any(isinstance(item, Copies) for item in one_a_row)
    assert sum(len(item) for item in items if isinstance(item, Copies)) == sum(
        isinstance(item, Event) for item in one_a_row
    )
    assert valued(WithCopies(items), "copies") == valued(one_a_row, "rows")


def test_a_copies_row_is_its_event_with_its_viewer_and_line():
    copies = Copies("f.csv", EVENTS[:2], [0, 1, 0], ["ann", None, "bob"], [2, 3, 5])
    made = copies.each()
    assert made == [
        attrs.evolve(EVENTS[0], viewer="ann"),
        attrs.evolve(EVENTS[1], viewer=None),
        attrs.evolve(EVENTS[0], viewer="bob"),
    ]
    assert [e.source for e in made] == ["f.csv:2", "f.csv:3", "f.csv:5"]  # a source is not compared by ==
    assert len(copies) == 3


@pytest.mark.parametrize(
    ("events", "which", "viewers", "lines", "error"),
    [
        (EVENTS[:2], [1, 0], [None, None], [1, 2], ValueError),  # not in the order of their first rows
        (EVENTS[:2], [0, 0], [None, None], [1, 2], ValueError),  # an event no row's
        (EVENTS[:1], [False], [None], [1], ValueError),  # a bool is no index
        (EVENTS[:1], [0], [None, None], [1], ValueError),  # a viewer more than rows
        (EVENTS[:1], [0], [7], [1], TypeError),  # a viewer that is no text
        (EVENTS[:1], [0], [None], [0], ValueError),  # no line 0
        (["not an event"], [0], [None], [1], TypeError),
        ([], [], [], [], ValueError),  # no rows
    ],
)
def test_a_copies_of_the_wrong_shape_is_refused_where_it_is_made(events, which, viewers, lines, error):
    with pytest.raises(error):
        Copies("f.csv", events, which, viewers, lines)


@pytest.fixture
def pm(livemoney_pm):
    return livemoney_pm


def _reader(made):
    return Reader(name="made", platform="instagram", description="a test reader", sniff=lambda head: True, read=made)


def test_a_plugin_reader_s_copies_reach_the_valuer_and_every_other_consumer_gets_events(pm):
    items = [Copies("f.csv", EVENTS[:1], [0, 0], ["ann", "bob"], [2, 3]), Rejected("f.csv", 4, "(row)", "bad", "x")]
    read = guarded_reader(pm, "made", _reader(lambda stream, source: WithCopies(items))).read
    kept = checked(read(io.BytesIO(b""), "f.csv"), "f.csv", KnownPlatforms(pm))
    assert isinstance(kept, WithCopies)
    assert list(kept.items) == items
    plain = list(checked(read(io.BytesIO(b""), "f.csv"), "f.csv", KnownPlatforms(pm)))
    assert [(e.viewer, e.source) for e in plain[:2]] == [("ann", "f.csv:2"), ("bob", "f.csv:3")]
    assert plain[2] == items[1]


def test_a_copies_of_an_unknown_platform_is_each_row_rejected_on_its_line(pm):
    items = [Copies("f.csv", [EVENTS[0], EVENTS[6]], [0, 1, 1], ["ann", "bob", None], [2, 3, 4])]
    read = guarded_reader(pm, "made", _reader(lambda stream, source: WithCopies(items))).read
    found = list(checked(read(io.BytesIO(b""), "f.csv"), "f.csv", KnownPlatforms(pm)).items)
    assert isinstance(found[0], Donation) and found[0].source == "f.csv:2"
    assert [(r.line, r.field) for r in found[1:]] == [(3, "platform"), (4, "platform")]
    assert "nowhere" in found[1].raw and "bob" in found[1].raw


def test_a_copies_outside_a_with_copies_is_the_reader_s_fault(pm):
    copies = Copies("f.csv", EVENTS[:1], [0], ["ann"], [2])
    read = guarded_reader(pm, "made", _reader(lambda stream, source: iter([copies]))).read
    (found,) = list(read(io.BytesIO(b""), "f.csv"))
    assert found.field == "(reader)" and "inside a WithCopies" in found.problem
    assert pm.faults


def test_a_reader_that_raises_on_a_bad_copies_stops_after_its_last_row(pm):
    def made(stream, source):
        yield Copies("f.csv", EVENTS[:1], [0, 0], ["ann", "bob"], [2, 3])
        yield Copies("f.csv", EVENTS[:1], [0], [7], [4])  # a viewer that is no text: raised here

    read = guarded_reader(pm, "made", _reader(lambda stream, source: WithCopies(made(stream, source)))).read
    found = list(read(io.BytesIO(b""), "f.csv").items)
    assert len(found) == 2 and found[1].field == "(reader)" and found[1].line == 4


def test_a_valuer_counts_copies_with_a_ledger_row_by_row(pm, tmp_path):
    copies = Copies("f.csv", EVENTS[:1], [0, 0], ["ann", "bob"], [2, 3])
    valuer = Valuer(lm.context(pm=pm), pm)
    assert valuer.add_copies(copies)
    assert valuer.totals.records == 2 and valuer.totals.viewers.keys() == {"ann", "bob"}
    valuer.ledger = object()  # anything: a ledger is written a row at a time
    assert not valuer.add_copies(copies)
    assert valuer.totals.records == 2  # nothing counted


# --- the badge file read a chunk of lines at a time --------------------------------------------------------

BADGE_LINES = st.sampled_from(
    [
        "2024-03-02,1,,,ann,",
        "2024-03-02,2,,,bob,2",
        "2024-03-03,1,,,ann,",
        "2024-03-02,,4.99,EUR,,",
        "2024-03-02,9,,,cy,",  # a bad tier: rejected
        "2024-03-02,1,,,ann,,",  # a cell too many
        "",
        "  ",
        '2024-03-02,1,,,"d, e",',
        '2024-03-02,1,,,"open',  # a quote that a later line may close
        'close",',
        "2024-03-02,1,,,\x00x,",
        "2024-03-02,3,,,zoë,",
    ]
)


@settings(max_examples=80, deadline=None)
@given(
    lines=st.lists(BADGE_LINES, max_size=30),
    ending=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    last_ending=st.booleans(),
    bad_utf8=st.lists(st.integers(0, 29), max_size=2),
    chunk=st.sampled_from([16, 61, 200]),
)
def test_a_badge_file_reads_the_same_in_chunks_of_any_size(lines, ending, bom, last_ending, bad_utf8, chunk):
    """Lines checked and decoded a chunk at a time (`line_chunks`), a chunk plain or read line by line, a quoted
    cell going on into the next chunks, a BOM, carriage returns: the reader gives what it gives when the whole
    file is one chunk, row for row (the rows one by one, `WithCopies`)."""
    from livemoney.core import untrusted
    from livemoney_instagram.readers import badges_csv

    encoded = [line.encode() for line in lines]
    for at in bad_utf8:
        if at < len(encoded):
            encoded[at] += b"\xff"
    data = ending.encode().join([b"date,badge_tier,amount,currency,viewer,count", *encoded])
    data = (b"\xef\xbb\xbf" if bom else b"") + data + (ending.encode() if last_ending else b"")

    def read(size: int) -> list:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(untrusted, "CHUNK_BYTES", size)
            found = badges_csv.read_badges(io.BytesIO(data), "b.csv")
            return [(item, getattr(item, "source", None)) for item in found]

    whole = read(1 << 20)
    assert read(chunk) == whole
    assert not any(isinstance(item, Rejected) and item.field == "(header)" for item, _ in whole)  # BOM or not
    assert len(whole) <= len(lines)  # a row at most a line


def test_a_badge_line_past_the_limit_is_rejected_as_iter_lines_tells_it_and_the_rows_around_it_read():
    from livemoney.core import untrusted
    from livemoney.kit import iter_lines
    from livemoney_instagram.readers import badges_csv

    rows = ["2024-03-02,1,,,ann,", "2024-03-02,1,,,long" + "g" * 1100 + ",", "2024-03-02,2,,,bob,"] * 3
    data = "\n".join(["date,badge_tier,amount,currency,viewer,count", *rows]).encode()
    with untrusted.using(max_record_bytes=1024), pytest.MonkeyPatch.context() as patch:
        patch.setattr(untrusted, "CHUNK_BYTES", 100)
        found = list(badges_csv.read_badges(io.BytesIO(data), "b.csv"))
        told = [item for item in iter_lines(io.BytesIO(data), "b.csv") if isinstance(item, Rejected)]
    assert [item for item in found if isinstance(item, Rejected)] == told
    assert [item.line for item in told] == [3, 6, 9]
    assert [(item.viewer, item.source) for item in found if isinstance(item, Event)] == [
        (viewer, f"b.csv:{line}") for line, viewer in [(2, "ann"), (4, "bob"), (5, "ann"), (7, "bob"), (8, "ann"), (10, "bob")]
    ]
