"""The fast paths of a live tally: canonical records read by their raw values (`LiveTally._canonical`) and
`Valuer.add` (a compiled key, each time's millis, minute and date once) give what the full path gives."""

import datetime as dt
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import attrs
import livemoney as lm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney import Donation, Gift, Like, Money, Sale, Sponsorship
from livemoney.core.models import ROLES, utc_date
from livemoney.core.schema import event_key, millis
from livemoney.engine import tally as tally_module
from livemoney.engine import valuer as valuer_module
from livemoney.engine.valuer import Valuer, _key_function, _minute

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
PM = testcast.manager()
UTC = dt.UTC

# --- Valuer.add: its key and its times are those of the schema -------------------------------------

TIMES = st.datetimes(
    min_value=dt.datetime(2000, 1, 2), max_value=dt.datetime(2099, 12, 30), timezones=st.timezones()
) | st.none()
IDS = st.none() | st.sampled_from(["a", "b", "7"])
TEXT = st.sampled_from(["Rose", "stars", "tip", "Lion"])
MONEY = st.builds(Money, st.decimals(min_value=0, max_value=10**4, places=2), st.sampled_from(["USD", "coins"]))
COMMON = {"platform": st.sampled_from(["testcast", "starcast"]), "viewer": IDS, "ts": TIMES, "stream": IDS, "id": IDS}
EVENTS = st.one_of(
    st.builds(Gift, gift=TEXT, count=st.integers(1, 5), amount=st.none() | MONEY, recipient=IDS, host=IDS,
              gift_id=IDS, **COMMON),
    st.builds(Donation, feature=TEXT, amount=st.none() | MONEY, count=st.integers(1, 5), **COMMON),
    st.builds(Like, count=st.integers(1, 5), **COMMON),
    st.builds(Sponsorship, amount=MONEY, brand=st.none() | TEXT, **COMMON),
    st.builds(Sale, amount=MONEY, product=st.none() | TEXT, role=st.sampled_from(ROLES), **COMMON),
)


@settings(max_examples=300, deadline=None)
@given(event=EVENTS)
def test_the_compiled_key_is_the_event_key(event):
    assert _key_function(type(event))(event, utc_date(event.ts)) == event_key(event)


@settings(max_examples=300, deadline=None)
@given(times=st.lists(TIMES, max_size=8))
def test_a_time_worked_out_once_is_the_schema_s(times):
    valuer = Valuer(lm.context(pm=PM), PM)
    for ts in times:
        valuer.at(ts)
        assert valuer._last_millis == millis(ts)
        assert valuer._last_date == utc_date(ts)
        assert valuer._last_minute == ("" if ts is None else _minute(ts))


# --- LiveTally: canonical records on the fast path and on the full path ------------------------------

MISSING = object()
FIELDS = {
    "platform": ["testcast", "starcast", "tipcast", "nope", "", None, 5],
    "gift": ["Rose", "Lion", "", None, 5],
    "feature": ["stars", "tip", None],
    "count": [1, 2, None, 0, True, 1.0, 10**12, "2"],
    "amount": ["5.00", "5", " 5", 5, 2.5, Decimal(5), "-1", "x", None, "1e40"],
    "currency": ["USD", "EUR", "coins", "stars", "usd", None, 5],
    "role": ["seller", "affiliate", None, "boss"],
    "brand": ["Acme", None],
    "recipient": ["h", "g", None],
    "host": ["h", None, 5],
    "gift_id": ["5655", 5655, None],
    "viewer": ["a", "b", None, "", 5],
    "stream": ["s", None, 5],
    "id": ["m1", "m2", "m3", "", None, 7],
    "ts": [
        "2026-10-01T20:00:05Z",
        "2026-10-01T20:00:05Z",
        "2026-10-01T20:01:07.5+02:00",
        "2026-10-01T23:59:59Z",
        "2026-10-02T00:00:00Z",
        1790000000,
        1790000000123,
        "1790000000",
        None,
        "yesterday",
        1.5,
        True,
        "1999-12-31T23:59:59Z",
        [],
    ],
    "extra": [{"deep": [[{"a": []}]]}, "x", "\ud800"],
}
RECORDS = st.fixed_dictionaries(
    {"type": st.sampled_from(["gift", "gift", "donation", "like", "sale", "sponsorship", None, "nope"])},
    optional={name: st.sampled_from(values) for name, values in FIELDS.items()},
)
ITEMS = st.one_of(RECORDS, RECORDS, RECORDS, EVENTS, st.just({"hello": "world"}), st.just([1, 2]))


def _whole(report):
    """Everything a report says (its dict, viewers, minutes, rejects verbatim, host notes)."""
    return json.dumps(
        [
            report.to_dict(),
            {viewer: [str(part) for part in value] for viewer, value in report.viewers.items()},
            {str(minute): [str(part) for part in value] for minute, value in report.bins.items()},
            [repr(rejected) for rejected in report.rejects],
            report.host_differs,
            report.recipients,
        ],
        sort_keys=True,
    )


def _fed(items, fast, host=None, format=None):
    """What a tally returns for each item, and its report, on the fast path or not."""
    before = tally_module.FAST_RECORDS
    tally_module.FAST_RECORDS = fast
    try:
        tally = lm.LiveTally(lm.context(pm=PM), pm=PM, host=host, format=format)
        returned = [repr(tally.add(item)) for item in items]
        returned.append(repr(tally.flush()))
        return returned, _whole(tally.report())
    finally:
        tally_module.FAST_RECORDS = before


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(ITEMS, max_size=30), host=st.sampled_from([None, "h"]), format=st.sampled_from([None, "jsonl"]))
def test_canonical_records_value_as_on_the_full_path(items, host, format):
    assert _fed(items, True, host, format) == _fed(items, False, host, format)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(RECORDS, min_size=5, max_size=40))
def test_canonical_records_value_as_on_the_full_path_when_keys_are_let_go(items):
    """Few keys held at once: the valuer lets them go (and the fast path's raw keys with them) every 3 keys."""
    before = valuer_module.MAX_KEYS
    valuer_module.MAX_KEYS = 3
    try:
        assert _fed(items, True) == _fed(items, False)
    finally:
        valuer_module.MAX_KEYS = before


def test_a_live_feed_of_canonical_records_gives_the_file_s_report(tmp_path, monkeypatch):
    """Many records of few keys (the fast path's case), repeats and an id conflict among them: the tally's
    report is the file's, valued on the general path."""
    records = []
    for number in range(250):
        second = number // 3
        record = {
            "type": ("gift", "like", "donation")[number % 3],
            "platform": "testcast",
            "viewer": f"v{number % 11}",
            "ts": (dt.datetime(2026, 10, 1, 23, 59, tzinfo=UTC) + dt.timedelta(seconds=second)).isoformat(),
            "id": f"m{number}",
        }
        if record["type"] == "gift":
            record.update(gift="Rose", count=1 + number % 2)
        elif record["type"] == "donation":
            record.update(feature="tip", amount="2.50", currency="USD")
        else:
            record["count"] = 3
        records.append(record)
    records += [dict(record) for record in records[:50]]  # replayed after a reconnect
    records.append({**records[5], "viewer": "someone else"})  # an id conflict
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    before = valuer_module.FAST_PATH
    valuer_module.FAST_PATH = False
    try:
        from_file = lm.value(path, pm=PM, on_error="skip", progress=False)
    finally:
        valuer_module.FAST_PATH = before
    full_path = []
    decode = lm.LiveTally._decode
    monkeypatch.setattr(lm.LiveTally, "_decode", lambda self, *args: full_path.append(1) or decode(self, *args))
    tally = lm.LiveTally(lm.context(pm=PM), pm=PM)
    for record in records:
        tally.add(record)
    report = tally.report()
    # the first record of each raw key (type, gift, count ...) on each UTC day took the full path
    assert len(full_path) == 4 * 2
    assert (report.duplicates, report.conflicts) == (50, 1)
    assert report.rows == from_file.rows
    assert report.viewers == from_file.viewers and report.bins == from_file.bins
    assert report.conflicts_named == tuple(name.replace(str(path), "live:jsonl") for name in from_file.conflicts_named)
    assert report.counts_line() == from_file.counts_line()


def test_a_tally_of_an_event_at_another_time_between_records_keeps_each_record_s_minute():
    """The valuer's time moves with an event fed between two records of one time: the second record's
    minute is its own, not the event's."""
    tally = lm.LiveTally(lm.context(pm=PM), pm=PM)
    record = {"type": "gift", "platform": "testcast", "gift": "Rose", "ts": "2026-10-01T20:00:05Z"}
    tally.add(record)
    tally.add(record)  # the fast path: the raw key is known
    tally.add(attrs.evolve(Gift(platform="testcast", gift="Rose"), ts=dt.datetime(2026, 10, 1, 21, 30, tzinfo=UTC)))
    tally.add(record)
    minutes = {start.strftime("%H:%M"): gross.amount for start, gross, _ in tally.report().timeline("1min") if gross}
    assert minutes == {"20:00": Decimal("0.03"), "21:30": Decimal("0.01")}  # a Rose is 1 coin, 0.01 USD


# --- guard_bytes: guard's checks and answers, in fewer passes -----------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=6) | st.decimals(allow_nan=False,
        allow_infinity=False, places=2),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3) | st.integers(0, 3), children,
        max_size=3),
    max_leaves=30,
)


def _deep(depth, leaf):
    for _ in range(depth):
        leaf = [leaf] if depth % 2 else {"a": leaf}
    return leaf


def _answer(check, record):
    try:
        return check(record)
    except lm.errors.FieldError as error:
        return ("FieldError", error.field, error.problem)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record=JSON_VALUES,
    depth=st.integers(0, 70),
    padding=st.sampled_from([0, 5000]),
    limits=st.sampled_from([{}, {"max_depth": 3}, {"max_depth": 2}, {"max_depth": 300}, {"max_record_bytes": 4100}]),
)
def test_guard_bytes_answers_as_guard(record, depth, padding, limits):
    """Small and large records (past 4 KiB: the nesting checked by orjson), deep ones and shallow ones, under
    the limits of `using`: the same text, or the same `FieldError`."""
    from livemoney.core.untrusted import guard, guard_bytes, using

    record = _deep(depth, [record, "x" * padding] if padding else record)
    with using(**limits):
        expected = _answer(guard, record)
        found = _answer(guard_bytes, record)
    assert found == (expected.encode("utf-8") if isinstance(expected, str) else expected)


def test_orjson_writes_as_deep_as_guard_bytes_counts_on():
    import orjson
    from livemoney.core.untrusted import ORJSON_DEPTH

    orjson.dumps(_deep(ORJSON_DEPTH, 1))
    with pytest.raises(orjson.JSONEncodeError, match="ecursion"):
        orjson.dumps(_deep(ORJSON_DEPTH + 1, 1))


class _Raising:
    """A plugin reader whose decoder gives each record back as its own `Skipped` (most records of a chat),
    holds a record marked ``hold`` and raises `FxError` (which passes the plugin guard) at one marked ``raise``."""

    class Decoder:
        def __init__(self, source):
            self.source = source

        def feed(self, record, line):
            from livemoney.core.models import Skipped
            from livemoney.errors import FxError

            if record.get("raise"):
                raise FxError("no rate")
            if record.get("hold"):
                return []
            return [Skipped(self.source, line, "chat", "no money")]

        def flush(self, now=None):
            return []

    @lm.hookimpl
    def livemoney_readers(self):
        return [
            lm.Reader(
                name="raising",
                platform="testcast",
                description="chat frames",
                sniff=lambda head: False,
                read=lambda stream, source: iter(()),
                decoder=self.Decoder,
                accepts=lambda record: "chat" in record,
            )
        ]


def test_every_record_fed_is_accounted_for_when_its_decoder_raises_or_holds_it():
    from livemoney.errors import FxError

    pm = testcast.manager(_Raising())
    tally = lm.LiveTally(lm.context(pm=pm), pm=pm, format="raising")
    assert tally.add({"chat": 1}) == []
    with pytest.raises(FxError):
        tally.add({"chat": 2, "raise": True})
    assert tally.add({"chat": 3, "hold": True}) == []
    assert tally.add({"chat": 4}) == []
    tally.flush()
    report = tally.report()
    assert report.records == 4
    assert (sum(report.without_money.values()), sum(report.not_read.values())) == (2, 2)  # lines 2 and 3
