"""One schema: the canonical event's fields are declared once, on the attrs models; the reader, the writer,
the valuation key, the fingerprint and the fast path are derived from them, and agree with each other."""

import datetime as dt
import importlib.util
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney import Donation, Gift, Like, Money, Sale, Sponsorship
from livemoney.core import schema
from livemoney.core.canonical import canonical_dict, canonical_line, decode_line
from livemoney.core.models import EVENT_TYPES, JSON_KINDS, ROLES, Event
from livemoney.engine.readers import read_events
from livemoney.engine.valuer import value

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)


# --- the declaration ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [Event, *EVENT_TYPES.values()], ids=lambda cls: cls.__name__)
def test_every_event_field_declares_how_it_is_written(cls):
    for field in attrs.fields(cls):
        assert field.metadata["json"] in JSON_KINDS, field.name


def test_the_identity_is_who_when_where_and_which_message_not_what_was_paid():
    identity = {f.name for cls in EVENT_TYPES.values() for f in schema.fields(cls) if f.identity}
    assert identity == {"platform", "viewer", "ts", "stream", "id", "source", "host"}
    assert schema.value_fields(Gift) == ("gift", "count", "amount", "recipient", "gift_id")
    assert schema.value_fields(Sale) == ("amount", "product", "role")
    # not the stream (room) id: some tools leave it out, and one message captured by two tools is one event
    assert {f.name for f in schema.COMMON if f.fingerprint} == {"viewer", "ts"}


def test_the_key_leaves_the_identity_out_and_keeps_the_date():
    noon = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    rose = Gift(platform="tiktok", gift="Rose", count=2, ts=noon, viewer="a", id="1", host="h")
    same = attrs.evolve(rose, ts=noon + dt.timedelta(hours=3), viewer="b", id="2", host="g", source="x:1")
    assert (
        schema.event_key(rose)
        == schema.event_key(same)
        == ("tiktok", "gift", dt.date(2026, 11, 1), "Rose", 2, None, None, None)
    )
    # the gift id decides the price (by id first): two ids are two keys; so is another day
    assert schema.event_key(attrs.evolve(rose, gift_id="5655")) != schema.event_key(rose)
    assert schema.event_key(attrs.evolve(rose, ts=noon + dt.timedelta(days=1))) != schema.event_key(rose)


def test_the_fast_path_reads_the_fields_the_schema_declares():
    decoder = schema.line_decoder(frozenset({"testcast"}))
    struct = decoder.type
    declared = {f.name for cls in EVENT_TYPES.values() for f in schema.fields(cls) if f.json != "position"}
    assert set(struct.__struct_fields__) == {"type", schema.CURRENCY} | declared
    line = decoder.decode(b'{"type": "gift", "platform": "testcast", "gift": "Rose", "gift_id": "5655", "count": 2}')
    assert schema.RAW_KEYS["gift"](line) == ("gift", "testcast", "Rose", 2, None, None, None, "5655")
    assert schema.RAW_KEYS["like"](decoder.decode(b'{"type": "like", "count": 3}')) == ("like", None, 3)


# --- the reader and the writer agree ----------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8).filter(str.strip)
IDS = st.none() | st.text("abc123", min_size=1, max_size=4)
MONEY = st.builds(
    Money, st.decimals(min_value=0, max_value=10**6, places=4), st.sampled_from(["USD", "EUR", "JPY", "coins"])
)
TIMES = st.none() | st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31, 23, 59, 59), timezones=st.just(dt.UTC)
)
COMMON = {"platform": st.sampled_from(["tiktok", "testcast"]), "viewer": IDS, "ts": TIMES, "stream": IDS, "id": IDS}
COUNTS = st.integers(min_value=1, max_value=10**6)
EVENTS = st.one_of(
    st.builds(Gift, gift=TEXT, count=COUNTS, amount=st.none() | MONEY, recipient=IDS, host=IDS, gift_id=IDS, **COMMON),
    st.builds(Donation, feature=TEXT, amount=st.none() | MONEY, count=COUNTS, **COMMON),
    st.builds(Like, count=COUNTS, **COMMON),
    st.builds(Sponsorship, amount=MONEY, brand=st.none() | TEXT, **COMMON),
    st.builds(Sale, amount=MONEY, product=st.none() | TEXT, role=st.sampled_from(ROLES), **COMMON),
)


@settings(max_examples=200, deadline=None)
@given(event=EVENTS)
def test_a_written_event_reads_back_as_itself(event):
    line = canonical_line(event)
    assert list(canonical_dict(event))[:2] == ["type", "platform"]
    assert decode_line(line.encode(), 7, "log.jsonl") == attrs.evolve(event, source="log.jsonl:7")


def test_the_reader_reports_the_first_problem_in_a_fixed_order():
    # a donation whose feature, count and amount are all wrong: what was paid for comes first, then
    # how many, then how much
    line = b'{"type": "donation", "platform": "testcast", "feature": 5, "count": 0, "amount": "x"}'
    assert decode_line(line, 1, "log").field == "feature"
    assert decode_line(line.replace(b'"feature": 5', b'"feature": "tip"'), 1, "log").field == "count"
    only_amount = line.replace(b'"feature": 5', b'"feature": "tip"').replace(b'"count": 0', b'"count": 2')
    assert (decode_line(only_amount, 1, "log").field, decode_line(only_amount, 1, "log").problem) == (
        "amount",
        '"x" is not a decimal number',
    )


def test_a_gift_id_is_read_as_text_and_written_back():
    (gift,) = [decode_line(b'{"type": "gift", "platform": "tiktok", "gift": "Rose", "gift_id": 5655}', 1, "log")]
    assert gift.gift_id == "5655"
    assert canonical_dict(gift) == {"type": "gift", "platform": "tiktok", "gift": "Rose", "gift_id": "5655"}


# --- the fast path, the general path and events agree -----------------------------------------------

IDENTITY = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["a", "b", "c", 7]),
        "viewer": st.sampled_from(["v1", "v2", 3]),
        "stream": st.sampled_from(["s1", "s2"]),
        "ts": st.sampled_from(
            [
                "2026-10-01T12:00:00Z",
                "2026-10-01T12:00:00+00:00",
                "2026-10-01T12:00:30.5Z",
                1790000000000,
                "2026-10-02T00:00:00Z",
                "2026-10-01T12:00:61Z",
                "2026-10-01T14:00:00+02:00",
            ]
        ),
    },
)
PAID = st.sampled_from(
    [
        {"amount": "1.50", "currency": "USD"},
        {"amount": "1.5", "currency": "USD"},
        {"amount": "800", "currency": "JPY"},
        {"amount": "20", "currency": "coins"},
        {"amount": "5", "currency": "LTL"},  # no LTL rate after 2014: the event cannot be valued
        {"amount": 2.5, "currency": "USD"},  # a JSON number, read exactly by the full path
        {"amount": "1e40", "currency": "USD"},  # out of range: rejected
        {"amount": "-1", "currency": "USD"},
        {},
    ]
)
BODIES = st.one_of(
    st.builds(
        lambda count, paid, guest: {"type": "gift", "gift": "Rose", "count": count, **paid, **guest},
        st.sampled_from([1, 2, 0]),
        PAID,
        st.sampled_from([{}, {"recipient": "h"}, {"recipient": "g", "host": "h"}, {"recipient": "g"}]),
    ),
    st.builds(lambda paid: {"type": "donation", "feature": "tip", **paid}, PAID),
    st.builds(lambda count: {"type": "like", "count": count}, st.sampled_from([1, 4, 0, "2"])),
    st.builds(lambda paid: {"type": "sale", **paid}, PAID),
    st.builds(lambda paid: {"type": "sponsorship", "brand": "Acme", **paid}, PAID),
)
PLATFORMS = st.sampled_from([{"platform": "testcast"}, {"platform": "starcast"}, {"platform": "myspace"}, {}])
LINES = st.one_of(
    st.builds(lambda body, where, who: json.dumps({**body, **where, **who}), BODIES, PLATFORMS, IDENTITY),
    st.sampled_from(["", "not json", "[1, 2]", '{"platform": "testcast", "count": 1}']),
)


def outcome(report):
    """Everything a report says: rows, counts, conflicts, rejects (but their raw text), viewers, minutes."""
    return (
        report.to_dict(),
        report.viewers,
        report.bins,
        [(r.source, r.line, r.field, r.problem) for r in report.rejects],
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.lists(LINES, min_size=1, max_size=3), max_size=12).map(lambda runs: [*runs, *runs[:2]]))
def test_the_fast_path_the_general_path_and_events_give_one_report(tmp_path_factory, lines):
    """Lines with ids (repeated: duplicates; with other content: id conflicts), events that fail to value
    (no rate) or to read, gifts to guests: the fast path (a canonical log, no ledger), the general path
    (the same log with a ledger) and the log's events give the same report."""
    pm = testcast.manager()
    folder = tmp_path_factory.mktemp("log")
    path = folder / "log.jsonl"
    path.write_text("".join(line + "\n" for run in lines for line in run), encoding="utf-8")
    options = {
        "currency": "EUR",
        "pm": pm,
        "on_error": "skip",
        "input_format": "jsonl",
        "platform": "testcast",
        "host": "h",
    }
    fast = value(path, **options)
    general = value(path, ledger=folder / "ledger.sqlite", **options)
    events = value(list(read_events(path, "jsonl", platform="testcast", pm=pm)), **options)
    assert outcome(fast) == outcome(general) == outcome(events)
    # the ledger holds what the general path valued (rejected lines are in no ledger)
    again = value(ledger=folder / "ledger.sqlite")
    assert (again.exact, again.valued, again.exact_total(to_guests=True)) == (
        general.exact,
        general.valued,
        general.exact_total(to_guests=True),
    )
    # every line is accounted for: read as an event (valued or a duplicate) or rejected (blank lines aside)
    assert fast.records == fast.events + fast.rejected == sum(1 for run in lines for line in run if line.strip())
