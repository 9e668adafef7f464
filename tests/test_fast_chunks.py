"""The canonical fast path takes a chunk of regular lines whole (`Valuer._regular_chunk`: decoded, keyed,
checked for repeats and summed all at once). Whether a chunk is taken whole or line by line, and whatever
the chunks' size, the report is the same, and the same as the general path's."""

import datetime as dt
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney.core import schema, untrusted
from livemoney.engine import valuer as valuer_module
from livemoney.engine.api import context as lm_context_of
from livemoney.engine.valuer import Valuer, value

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)

START = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)


def lm_context(currency, pm):
    return lm_context_of(currency=currency, pm=pm)


OPTIONS = {"currency": "USD", "on_error": "skip", "input_format": "jsonl", "platform": "testcast"}


@pytest.fixture
def taken(monkeypatch):
    """How many chunks the fast path took whole in this test (a list: one entry a chunk)."""
    found = []
    original = Valuer._regular_chunk

    def spy(self, chunk, number, source, platform):
        whole = original(self, chunk, number, source, platform)
        if whole:
            found.append(len(chunk))
        return whole

    monkeypatch.setattr(Valuer, "_regular_chunk", spy)
    return found


def line_by_line(monkeypatch):
    monkeypatch.setattr(Valuer, "_regular_chunk", lambda self, chunk, number, source, platform: False)


def outcome(report):
    """Everything a report says: rows, counts, conflicts, rejects, viewers, minutes."""
    return (
        report.to_dict(),
        report.viewers,
        report.bins,
        [(r.source, r.line, r.field, r.problem, r.raw) for r in report.rejects],
    )


def gift_line(number: int) -> str:
    """Gift ``number``: 5 coins from viewer ``v{number % 10}``, one a second from `START`, id ``g-{number}``."""
    ts = (START + dt.timedelta(seconds=number)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(
        {
            "type": "gift",
            "platform": "testcast",
            "gift": "Rose",
            "count": 1,
            "amount": "5",
            "currency": "coins",
            "viewer": f"v{number % 10}",
            "ts": ts,
            "id": f"g-{number}",
        }
    )


def test_a_capture_and_its_replay_worked_by_hand(tmp_path, taken):
    """6,000 gifts of 5 coins (0.05 USD: Testcast takes 20%, 0.01; the creator keeps 0.04), one a second
    for 100 minutes, ten viewers in turn; then the same 6,000 lines again (a replay capture of the stream)
    and a tip of 2 x 2.50 USD without an id. The capture's chunks are taken whole; the replay's repeats
    take the per-line loop, which counts each as a duplicate."""
    first = [gift_line(number) for number in range(6000)]
    tip = json.dumps(
        {
            "type": "donation",
            "platform": "testcast",
            "feature": "tip",
            "amount": "2.50",
            "currency": "USD",
            "count": 2,
            "viewer": "v0",
            "ts": "2026-10-01T13:40:00Z",
        }
    )
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join([*first, *first, tip]) + "\n", encoding="utf-8")
    report = value(path, pm=testcast.manager(), **OPTIONS)
    assert len(taken) > 1 and sum(taken) <= 6000
    assert (report.records, report.valued, report.duplicates, report.rejected) == (12001, 6001, 6000, 0)
    # 6,000 x 0.05 + 5.00 = 305.00 paid; 20% to Testcast: 61.00; the creator 244.00
    assert report.exact.gross.amount == Decimal("305.00")
    assert report.exact.shares["Testcast"].amount == Decimal("61.00")
    assert report.exact.net.amount == Decimal("244.00")
    # each viewer sent 600 gifts (30.00 paid, 24.00 kept); v0 also tipped 5.00 (4.00 kept)
    assert report.viewers["v3"] == (Decimal("30.00"), Decimal("24.00"), 600)
    assert report.viewers["v0"] == (Decimal("35.00"), Decimal("28.00"), 601)
    # 60 gifts a minute: 3.00 paid and 2.40 kept, in each of the 100 minutes from 12:00; the tip alone at 13:40
    minutes = sorted(report.bins)
    assert len(minutes) == 101 and minutes[0] == START
    assert report.bins[START + dt.timedelta(minutes=37)] == (Decimal("3.00"), Decimal("2.40"), 60)
    assert report.bins[START + dt.timedelta(minutes=100)] == (Decimal("5.00"), Decimal("4.00"), 1)


def test_taken_whole_or_line_by_line_the_report_is_one(tmp_path, monkeypatch, taken):
    first = [gift_line(number) for number in range(3000)]
    conflict = gift_line(5).replace('"amount": "5"', '"amount": "7"')  # id g-5 with another amount
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join([*first, *first[:100], conflict, *first[100:]]) + "\n", encoding="utf-8")
    whole = value(path, pm=testcast.manager(), **OPTIONS)
    assert taken
    line_by_line(monkeypatch)
    assert outcome(value(path, pm=testcast.manager(), **OPTIONS)) == outcome(whole)
    assert (whole.duplicates, whole.conflicts) == (3000, 1)


REGULAR = st.builds(
    lambda kind, amount, viewer, second, tail, id_, platform: json.dumps(
        {
            **kind,
            **amount,
            **({} if viewer is None else {"viewer": viewer}),
            "ts": (START + dt.timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%S") + tail,
            **({} if id_ is None else {"id": id_}),
            **platform,
        }
    ),
    st.sampled_from(
        [
            {"type": "gift", "gift": "Rose", "count": 2},
            {"type": "gift", "gift": "Rose", "count": 1, "recipient": "g", "host": "h"},  # to a guest
            {"type": "gift", "gift": "Rose", "count": 1, "recipient": "h", "host": "h"},  # to the host
            {"type": "gift", "gift": "Rose", "count": 1, "recipient": "h"},  # to the run's host
            {"type": "gift", "gift": "Rose", "count": 1, "recipient": "x", "host": "x"},  # another host named
            {"type": "gift", "gift": "Rose", "count": 1, "recipient": ""},
            {"type": "donation", "feature": "tip", "count": 1},
            {"type": "sale", "product": "mug"},
            {"type": "sale", "product": "mug", "role": "seller"},
            {"type": "sale", "product": "mug", "role": None},  # null: the full path refuses it
            {"type": "gift", "gift": "Rose", "count": 2, "gift_id": None},
            {"type": "like", "count": 3},
        ]
    ),
    st.sampled_from(
        [
            {"amount": "5", "currency": "coins"},
            {"amount": "1.50", "currency": "USD"},
            {},
            {"amount": "5", "currency": "LTL"},
            {"amount": "-1", "currency": "USD"},
        ]
    ),
    st.sampled_from([None, "v1", "v2"]),
    st.sampled_from([0, 1, 59, 60, 61, 86399, 86400, 86401]),  # minutes, and midnight
    # whole seconds; fractions (as `livemoney convert` writes them), of 7 digits, other forms of UTC
    st.sampled_from(["Z", "Z", "+00:00", ".25Z", ".250000+00:00", ".1234567Z", "+0000", ".5+02:00"]),
    st.sampled_from([None, "a", "b", "c", "d"]),
    st.sampled_from([{}, {"platform": "testcast"}, {"platform": "starcast"}]),
)
LINES = st.one_of(
    REGULAR,
    REGULAR,
    REGULAR,
    st.sampled_from(["", "not json", '{"type": "gift", "x": [1]}', '{"platform": "testcast", "count": 1}']),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(LINES, max_size=40), chunk=st.sampled_from([1, 64, 300, 1 << 18]), kept=st.sampled_from([2, 4096])
)
def test_any_chunks_any_lines_one_report(tmp_path_factory, monkeypatch, lines, chunk, kept):
    """Lines regular and not, repeats and id conflicts, gifts to guests, failures to value, across minutes
    and midnight, read in chunks of ``chunk`` bytes, few or many raw values remembered: the fast path taking chunks whole, the fast path line by
    line and the general path give one report."""
    folder = tmp_path_factory.mktemp("log")
    path = folder / "log.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    options = {**OPTIONS, "currency": "EUR", "pm": testcast.manager(), "host": "h"}  # EUR: a rate a day
    with monkeypatch.context() as patch:
        patch.setattr(untrusted, "CHUNK_BYTES", chunk)
        patch.setattr(valuer_module, "RAW_VALUES_KEPT", kept)
        whole = value(path, **options)
        patch.setattr(valuer_module, "FAST_PATH", False)
        general = value(path, **options)
        patch.setattr(valuer_module, "FAST_PATH", True)
        line_by_line(patch)
        by_line = value(path, **options)
    assert outcome(whole) == outcome(by_line) == outcome(general)


def test_each_day_keeps_its_own_rate(tmp_path, monkeypatch, taken):
    """One gift of 5 coins (0.05 USD) on 1 October and one on 2 October, each in a chunk of its own, valued
    in EUR: each at its own day's ECB rate, as the general path values them."""
    day_two = gift_line(86400).replace('"g-86400"', '"g-2"')
    path = tmp_path / "log.jsonl"
    path.write_text(f"{gift_line(0)}\n{day_two}\n", encoding="utf-8")
    options = {**OPTIONS, "currency": "EUR", "pm": testcast.manager()}
    monkeypatch.setattr(untrusted, "CHUNK_BYTES", 1)
    whole = value(path, **options)
    assert len(taken) == 2
    monkeypatch.setattr(valuer_module, "FAST_PATH", False)
    general = value(path, **options)
    assert outcome(whole) == outcome(general)
    one, two = (whole.bins[START + dt.timedelta(days=days)][0] for days in (0, 1))
    assert one != two  # 0.05 USD at two days' rates


def test_a_line_the_general_path_rejects_is_rejected_on_every_path(tmp_path, monkeypatch):
    """Invalid UTF-8 in a field no type reads, and a line longer than the record limit arriving whole
    within one read: the typed decoder would skip the one and does not measure the other."""
    gifts = [gift_line(number).encode() for number in range(4)]
    bad_utf8 = gifts[1].replace(b'"Rose"', b'"Rose", "note": "caf\xe9"')
    too_long = gifts[2].replace(b'"Rose"', b'"Rose", "note": "' + b"x" * 2000 + b'"')
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"\n".join([gifts[0], bad_utf8, too_long, gifts[3]]) + b"\n")
    options = {**OPTIONS, "pm": testcast.manager()}
    reports = []
    with untrusted.using(max_record_bytes=1024):
        reports.append(value(path, **options))
        with monkeypatch.context() as patch:
            line_by_line(patch)
            reports.append(value(path, **options))
            patch.setattr(valuer_module, "FAST_PATH", False)
            reports.append(value(path, **options))
    for report in reports:
        assert (report.valued, report.rejected) == (2, 2)
        assert [reject.line for reject in report.rejects] == [2, 3]
    assert outcome(reports[0]) == outcome(reports[1]) == outcome(reports[2])


def test_valuations_made_in_the_order_lines_come_when_keys_make_room(tmp_path, monkeypatch, taken):
    """With room for few valuations (`MAX_KEYS`), keys are folded and made again: a chunk that would fold
    goes line by line, so each row's first-met explanation is the same on every path."""
    monkeypatch.setattr(valuer_module, "MAX_KEYS", 9)
    # 8 stretches of 50 gifts, each of two amounts of its own: 16 valuations, room for fewer
    amounts = [number // 50 * 2 + number % 2 + 1 for number in range(400)]
    lines = [gift_line(number).replace('"amount": "5"', f'"amount": "{amounts[number]}"') for number in range(400)]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    options = {**OPTIONS, "pm": testcast.manager()}
    monkeypatch.setattr(untrusted, "CHUNK_BYTES", 2000)
    whole = value(path, **options)
    assert taken
    with monkeypatch.context() as patch:
        line_by_line(patch)
        assert outcome(value(path, **options)) == outcome(whole)
        patch.setattr(valuer_module, "FAST_PATH", False)
        assert outcome(value(path, **options)) == outcome(whole)


def test_the_raw_values_remembered_stay_few(tmp_path, monkeypatch):
    """Gifts that differ only in a field of another type (a sale's ``product``) stand for one valuation: the
    chunk path remembers at most `RAW_VALUES_KEPT` such tuples a day, however many the log has."""
    monkeypatch.setattr(valuer_module, "RAW_VALUES_KEPT", 50)
    lines = [gift_line(number).replace('"Rose"', f'"Rose", "product": "p{number}"') for number in range(3000)]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pm = testcast.manager()
    run = Valuer(lm_context("USD", pm), pm)
    kept = []
    original = Valuer._regular_chunk

    def spy(self, chunk, number, source, platform):
        whole = original(self, chunk, number, source, platform)
        kept.append(max(map(len, self._raw_values.values()), default=0))
        return whole

    monkeypatch.setattr(Valuer, "_regular_chunk", spy)
    with path.open("rb") as stream:
        run.add_canonical(stream, str(path), "testcast")
    assert kept and max(kept) <= 50
    report = run.report()
    assert report.valued == 3000 and report.exact.gross.amount == Decimal("150.00")  # 3,000 x 0.05


def test_a_chunk_of_remembered_and_new_raw_values_when_the_memory_is_full(tmp_path, monkeypatch):
    """Room for two raw values: a chunk of amounts 5 and 6 (both remembered), then one of 5 and 7 (7 new:
    the memory starts again) is taken whole too, each gift at its own amount."""
    monkeypatch.setattr(valuer_module, "RAW_VALUES_KEPT", 2)
    pm = testcast.manager()
    run = Valuer(lm_context("USD", pm), pm)

    def chunk(numbers, amounts):
        return [gift_line(n).replace('"amount": "5"', f'"amount": "{a}"').encode() for n, a in zip(numbers, amounts)]

    assert run._regular_chunk(chunk([0, 1], [5, 6]), 0, "log", "testcast")
    assert run._regular_chunk(chunk([2, 3], [5, 7]), 2, "log", "testcast")
    # coins at 0.01 USD: 5 + 6 + 5 + 7 = 23 coins, 0.23 USD
    assert run.report().exact.gross.amount == Decimal("0.23")


def test_a_null_choice_after_the_same_line_without_it_is_rejected(tmp_path, monkeypatch, taken):
    """The typed decoder reads ``"role": null`` as a role left out; the full path refuses a null role. After
    a sale without a role (its valuation known), one with a null role is still rejected, on every path."""
    sale = {
        "type": "sale",
        "platform": "testcast",
        "product": "mug",
        "amount": "4",
        "currency": "USD",
        "ts": "2026-10-01T12:00:00Z",
    }
    lines = [json.dumps({**sale, "id": "s1"}), json.dumps({**sale, "id": "s2", "role": None})]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(untrusted, "CHUNK_BYTES", 1)
    options = {**OPTIONS, "pm": testcast.manager()}
    whole = value(path, **options)
    assert (whole.valued, whole.rejected, whole.rejects[0].field) == (1, 1, "role")
    line_by_line(monkeypatch)
    assert outcome(value(path, **options)) == outcome(whole)


@pytest.mark.parametrize("host", [None, "h", "x"])
def test_gifts_to_the_host_are_taken_whole_and_the_others_per_line(tmp_path, monkeypatch, taken, host):
    """A capture whose gifts name their recipient (TikTok's do): a gift to the host (the record's, or the run's
    ``host``) is counted as any gift, in a chunk taken whole; a chunk with a gift to a guest, without a known
    host, or naming another host than the run's goes per line. Every path gives one report."""

    def gift(number, recipient, named=None):
        line = json.loads(gift_line(number))
        line["recipient"] = recipient
        if named is not None:
            line["host"] = named
        return json.dumps(line)

    lines = [gift(n, "h", "h") for n in range(3)] + [gift(n, "h") for n in range(3, 6)] + [gift(6, "g", "h")]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(untrusted, "CHUNK_BYTES", 1)  # a chunk a line
    options = {**OPTIONS, "pm": testcast.manager(), "host": host}
    whole = value(path, **options)
    # the host's gifts that name it (3), and those naming no host: without one known (valued as the
    # creator's, counted as hostless) or when the run's is "h" (3)
    assert len(taken) == {None: 6, "h": 6, "x": 0}[host]
    line_by_line(monkeypatch)
    by_line = value(path, **options)
    monkeypatch.setattr(valuer_module, "FAST_PATH", False)
    assert outcome(whole) == outcome(by_line) == outcome(value(path, **options))
    assert (whole.hostless_gifts, whole.host_differs) == (
        {None: 3, "h": 0, "x": 0}[host],
        {None: 0, "h": 0, "x": 4}[host],
    )


def test_a_lines_raw_values_are_its_first_fields():
    """The chunk path slices a line's raw values off ``msgspec.structs.astuple``: `schema.line_decoder`
    puts `RAW_FIELDS` first, in order, whether or not it refuses nulls."""
    every = {name: f"{name}-value" for name in schema.RAW_FIELDS} | {"type": "gift", "platform": "testcast"}
    every |= {"count": 3, "viewer": "ana", "ts": "2026-10-01T12:00:00Z", "id": "x1", "host": "bo", "stream": "s"}
    for nulls in (True, False):
        line = schema.line_decoder(frozenset({"testcast"}), nulls).decode(json.dumps(every))
        raw = msgspec.structs.astuple(line)[: len(schema.RAW_FIELDS)]
        assert raw == tuple(every[name] for name in schema.RAW_FIELDS)
        assert "viewer" not in schema.RAW_FIELDS and "ts" not in schema.RAW_FIELDS


@pytest.mark.parametrize("field", ["type", "platform", "gift", "count", "amount", "viewer", "ts", "id", "role"])
def test_the_fast_decoder_refuses_a_null_and_the_other_reads_it_as_left_out(field):
    """``nulls=False`` (the valuer's): a null in any field is refused, so the line takes the full path,
    which says what a null means there; the default decoder reads it as the field left out."""
    text = json.dumps({"type": "gift", "platform": "testcast", "gift": "Rose", "count": 1} | {field: None})
    assert getattr(schema.line_decoder(frozenset({"testcast"})).decode(text), field) is None
    with pytest.raises(msgspec.ValidationError):
        schema.line_decoder(frozenset({"testcast"}), nulls=False).decode(text)
    with pytest.raises(msgspec.ValidationError):  # no platform known: any platform refused, a null too
        schema.line_decoder(frozenset(), nulls=False).decode(text if field == "platform" else '{"platform": null}')
