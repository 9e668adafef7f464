"""LiveTally: a live feed valued incrementally gives the totals of valuing the same events from a file."""

import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from livemoney import Gift, Reader, Rejected, hookimpl
from livemoney.core.records import loads
from livemoney.engine.readers import read_events
from livemoney.engine.valuer import value
from livemoney.errors import ReaderError

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
UTC = dt.UTC


@pytest.fixture
def pm():
    return testcast.manager()


def test_events_and_raw_records_give_the_file_totals(pm):
    from_file = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm)
    context = lm.context(currency="EUR", pm=pm)

    events = lm.LiveTally(context, pm=pm)
    for item in read_events(DATA / "every-kind.jsonl", pm=pm):
        events.add(item)
    assert events.report().render("json") == from_file.render("json")

    records = lm.LiveTally(context, pm=pm)
    for line in (DATA / "every-kind.jsonl").read_bytes().splitlines():
        if line.strip():
            records.add(loads(line))
    assert records.report().rows == from_file.rows
    assert records.report().counts_line() == from_file.counts_line()


def test_a_replayed_message_after_a_reconnect_counts_once(pm):
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm)
    record = {
        "type": "donation",
        "platform": "starcast",
        "feature": "stars",
        "amount": "100",
        "currency": "stars",
        "id": "m1",
    }
    (first,) = tally.add(record)
    assert first.gross == lm.Money("1.40", "USD")
    assert tally.add(dict(record)) == []
    report = tally.report()
    assert (report.valued, report.duplicates, report.gross) == (1, 1, lm.Money("1.40", "USD"))
    tally.add({**record, "id": "m2"})
    assert tally.report().gross == lm.Money("2.80", "USD")  # a report is a snapshot; the tally goes on


def test_bad_records_are_kept_as_rejects(pm):
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm)
    (rejected,) = tally.add(
        {"type": "donation", "platform": "starcast", "feature": "stars", "amount": 2.5, "currency": "stars"}
    )
    assert str(rejected) == "live:jsonl:1: amount: a float is not exact money; give amounts as strings"
    (unknown,) = tally.add({"hello": "world"})
    assert str(unknown) == "live:2: (record): no reader accepts this record"
    assert tally.report().counts_line() == (
        "records 2 = events 0 + without money 0 + rejected 2; events 0 = valued 0 + duplicates 0"
    )


class Streaks:
    """A plugin reader whose decoder counts a gift streak once, at its end frame or at a flush."""

    class Decoder:
        def __init__(self, source):
            self.source = source
            self.open = {}

        def feed(self, record, line):
            self.open[record["streak"]] = (record, line)
            if record.get("end"):
                return [self._gift(*self.open.pop(record["streak"]))]
            return []

        def flush(self, now=None):
            done = [
                key
                for key, (record, _) in self.open.items()
                if now is None or dt.datetime.fromisoformat(record["ts"]) + dt.timedelta(seconds=10) <= now
            ]
            return [self._gift(*self.open.pop(key)) for key in done]

        def _gift(self, record, line):
            return Gift(
                platform="testcast",
                gift="Rose",
                count=record["count"],
                id=record["streak"],
                ts=dt.datetime.fromisoformat(record["ts"]),
                source=f"{self.source}:{line}",
            )

    @hookimpl
    def livemoney_readers(self):
        return [
            Reader(
                name="streaks",
                platform="testcast",
                description="gift streak frames",
                sniff=lambda head: False,
                read=lambda stream, source: iter(()),
                decoder=self.Decoder,
                accepts=lambda record: "streak" in record,
            )
        ]


def test_a_streak_counts_once_at_its_end_or_when_flushed():
    pm = testcast.manager(Streaks())
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm)
    frame = {"streak": "s1", "ts": "2026-10-01T20:00:00+00:00"}
    assert tally.add({**frame, "count": 1}) == []
    assert tally.add({**frame, "count": 4}) == []
    (gift,) = tally.add({**frame, "count": 5, "end": True})  # 5 Roses of 1 coin = 0.05 USD
    assert gift.gross == lm.Money("0.05", "USD")
    tally.add({"streak": "s2", "ts": "2026-10-01T20:00:30+00:00", "count": 3})
    assert tally.flush(now=dt.datetime(2026, 10, 1, 20, 0, 35, tzinfo=UTC)) == []  # not timed out yet
    (late,) = tally.flush(now=dt.datetime(2026, 10, 1, 20, 0, 41, tzinfo=UTC))
    assert late.gross == lm.Money("0.03", "USD")
    report = tally.report()
    assert (report.valued, report.gross) == (2, lm.Money("0.08", "USD"))
    assert "LiveTally USD: 4 records" in repr(tally)


def test_a_report_read_while_a_streak_is_open_says_what_is_held_back():
    # A new user's trial: mid-stream, the report counted 13 records of 14 fed and did not say why.
    pm = testcast.manager(Streaks())
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm)
    frame = {"streak": "s1", "ts": "2026-10-01T20:00:00+00:00"}
    tally.add({**frame, "count": 1})
    tally.add({**frame, "count": 4})  # this decoder gives back neither frame until the streak ends
    report = tally.report()
    assert (report.records, report.held) == (0, 2)
    assert any(note.startswith("held back: 2 record(s)") and "flush()" in note for note in report.notes())
    assert report.to_dict()["counts"]["held"] == 2  # the plain data says it too
    tally.flush()  # the streak's gift, and its first frame, never given back, counted as not read
    report = tally.report()
    assert (report.records, report.held, report.valued, sum(report.not_read.values())) == (2, 0, 1, 1)
    assert not any(note.startswith("held back") for note in report.notes())


def test_a_named_format_must_have_a_live_decoder(pm):
    assert lm.LiveTally(pm=pm, format="jsonl").add({"type": "like", "platform": "testcast", "count": 2})
    with pytest.raises(ReaderError, match="unknown live format 'nope'"):
        lm.LiveTally(pm=pm, format="nope")
    assert not isinstance(lm.LiveTally(pm=pm).add(Gift(platform="testcast", gift="Rose"))[0], Rejected)


def test_a_console_log_line_is_taken_as_its_tool_wrote_it(pm):
    """`LiveTally.add` takes a capture's lines as written: JSON after a console-log time prefix too; the
    line's time is the event's when the record carries none (its minute bin, its rules' date)."""
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm)
    stars = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "100", "currency": "stars"}'
    tally.add(f"2026-10-01T20:00:05Z,{stars}")
    tally.add(f"[2026-10-01T20:01:07Z] {stars[:-1]}, \"id\": \"m2\"}}")
    (bad,) = tally.add("2026-10-01T20:02:00Z,{not json")
    assert bad.field == "(line)" and bad.problem.startswith("not valid JSON")
    report = tally.report()
    # 100 Stars: the viewer paid 1.40 USD, the creator 1.00; one a minute
    assert [(start.minute, gross.amount) for start, gross, _ in report.timeline("1min")] == [
        (0, Decimal("1.40")), (1, Decimal("1.40"))]
    assert report.counts_line() == (
        "records 3 = events 2 + without money 0 + rejected 1; events 2 = valued 2 + duplicates 0"
    )
