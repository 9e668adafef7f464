"""scripts/make_sample.py and benchmarks/make_log.py: deterministic, valid, realistic stream logs."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sdk" / "livemoney" / "data" / "sample-stream.jsonl"
START = dt.datetime(2026, 11, 1, 20, tzinfo=dt.UTC)


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_sample = _load("make_sample", ROOT / "scripts" / "make_sample.py")
make_log = _load("make_log", ROOT / "benchmarks" / "make_log.py")

PRICES = {name: coins for name, coins, _ in make_sample.GIFTS}
COMMON = {"type", "platform", "ts", "id"}
OWN = {  # the fields of each type besides COMMON and viewer; (required, optional)
    "gift": ({"gift", "count"}, {"amount", "currency"}),
    "donation": ({"feature"}, {"amount", "currency"}),
    "like": ({"count"}, set()),
    "sponsorship": ({"amount", "currency", "brand"}, set()),
    "sale": ({"amount", "currency", "product"}, set()),
}
CURRENCIES = {
    "super_chat": {"USD", "EUR", "GBP", "JPY"},
    "super_sticker": {"USD"},
    "stars": {"stars"},
    "badge": {"USD"},
}


def produce(argv: list[str]) -> bytes:
    """What the make_sample CLI writes for ``argv`` (to a file, as the CLI does)."""
    buffer = io.BytesIO()
    args = make_sample.arguments("test", events=2000, viewers=300, hostile_names=True).parse_args(argv)
    events = make_sample.generate(args.events, args.seed, args.start, args.hostile_names, args.platforms, args.viewers)
    make_sample.write_jsonl(events, buffer)
    return buffer.getvalue()


def records(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").split("\n") if line]


@pytest.fixture(scope="module")
def sample() -> bytes:
    return produce([])


@pytest.fixture(scope="module")
def events(sample) -> list[dict]:
    return records(sample)


def coins(event: dict) -> int:
    return (int(event["amount"]) if "amount" in event else PRICES[event["gift"]]) * event["count"]


# --- determinism --------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(sample):
    assert produce([]) == sample
    assert produce(["--seed", "8"]) != sample
    assert produce(["--seed", "8"]) == produce(["--seed", "8"])


def test_the_cli_writes_the_same_bytes_to_stdout_and_to_a_file(tmp_path, sample):
    script = str(ROOT / "scripts" / "make_sample.py")
    out = tmp_path / "s.jsonl"
    args = ["--events", "2000", "--seed", "7", "--start", "2026-11-01T20:00:00Z"]
    stdout = subprocess.run([sys.executable, script, *args], capture_output=True, check=True).stdout
    subprocess.run([sys.executable, script, *args, "--out", str(out)], check=True)
    assert stdout == out.read_bytes() == sample


def test_the_bytes_do_not_depend_on_orjson(monkeypatch, sample):
    pytest.importorskip("orjson")
    monkeypatch.setattr(make_sample, "orjson", None)
    assert produce([]) == sample


def test_the_bundled_sample_is_the_default_output(sample):
    assert SAMPLE.read_bytes() == sample, "regenerate it: python scripts/make_sample.py --out " + str(SAMPLE)


# --- the format ---------------------------------------------------------------------------------


def test_every_line_is_a_json_object_with_its_types_fields(sample, events):
    assert sample.endswith(b"\n") and len(sample.splitlines()) == len(events) == 2000
    for event in events:
        required, optional = OWN[event["type"]]
        viewer = set() if event["type"] == "sponsorship" else {"viewer"}
        assert COMMON | required | viewer <= event.keys() <= COMMON | required | optional | viewer, event
        assert event["platform"] in make_sample.PLATFORMS
        assert all(isinstance(event[field], str) and event[field] for field in event.keys() - {"count"})
        assert ("amount" in event) == ("currency" in event), event


def test_ids_are_unique_and_name_the_platform(events):
    assert len({event["id"] for event in events}) == len(events)
    assert all(event["id"].startswith(make_sample.ID_PREFIX[event["platform"]] + "-") for event in events)


def test_amounts_are_decimal_strings_in_their_currency(events):
    for event in events:
        if "amount" in event:
            assert isinstance(event["amount"], str)
            amount = Decimal(event["amount"])
            assert amount.is_finite() and amount > 0, event
        if event["type"] == "donation":
            if event["feature"] == "membership":
                assert "amount" not in event
            else:
                assert event["currency"] in CURRENCIES[event["feature"]], event
        if event.get("currency") in ("JPY", "coins", "stars"):
            assert event["amount"].isdigit(), event
        elif "currency" in event:
            assert Decimal(event["amount"]).as_tuple().exponent == -2, event


def test_gifts_from_the_catalogue_carry_no_amount_and_mystery_boxes_carry_coins(events):
    gifts = [event for event in events if event["type"] == "gift"]
    for gift in gifts:
        assert isinstance(gift["count"], int) and 1 <= gift["count"] <= 20
        if gift["gift"] == "Mystery Box":
            assert gift["currency"] == "coins"
        else:
            assert gift["gift"] in PRICES and "amount" not in gift
    mystery = sum(gift["gift"] == "Mystery Box" for gift in gifts)
    assert 0 < mystery < len(gifts) * 0.03


def test_likes_come_in_small_messages(events):
    likes = [event["count"] for event in events if event["type"] == "like"]
    assert len(likes) > len(events) / 4
    assert all(isinstance(count, int) and 1 <= count <= 15 for count in likes)


def test_every_kind_of_event_is_in_the_sample(events):
    kinds = {(event["platform"], event["type"], event.get("feature")) for event in events}
    assert {
        ("tiktok", "gift", None),
        ("tiktok", "like", None),
        ("tiktok", "sale", None),
        ("youtube", "donation", "super_chat"),
        ("youtube", "donation", "super_sticker"),
        ("youtube", "donation", "membership"),
        ("facebook", "donation", "stars"),
        ("instagram", "donation", "badge"),
    } <= kinds
    assert {event["currency"] for event in events if event.get("feature") == "super_chat"} == CURRENCIES["super_chat"]
    assert 1 <= sum(event["type"] == "sponsorship" for event in events) <= 3


# --- time ---------------------------------------------------------------------------------------


def test_timestamps_are_utc_non_decreasing_and_span_about_two_hours(events):
    times = []
    for event in events:
        assert event["ts"].endswith("Z")
        times.append(dt.datetime.fromisoformat(event["ts"]))
    assert times == sorted(times)
    assert times[0] >= START
    assert dt.timedelta(hours=1, minutes=30) <= times[-1] - START <= dt.timedelta(hours=2, minutes=30)


def test_the_stream_opens_with_a_burst(events):
    minutes = Counter(event["ts"][:16] for event in events)
    assert minutes["2026-11-01T20:00"] > 2 * len(events) / len(minutes)


def test_start_takes_any_zone_and_rejects_none():
    assert make_sample.parse_start("2026-11-01T21:00:00+01:00") == START
    with pytest.raises(ValueError):
        make_sample.parse_start("2026-11-01T20:00:00")


# --- shape --------------------------------------------------------------------------------------


def test_tiktok_gifts_are_heavy_tailed():
    gifts = sorted(coins(event) for event in make_sample.generate(20_000, seed=7) if event["type"] == "gift")
    total = sum(gifts)
    top = gifts[-len(gifts) // 100 :]
    assert sum(top) > 0.5 * total  # the top 1% of gifts hold most of the coins
    assert sum(gifts[: len(gifts) // 2]) < 0.05 * total  # the cheaper half hardly counts
    assert gifts[len(gifts) // 2] <= 5 and gifts[-1] >= 10_000


def test_viewers_come_from_a_fixed_pool():
    viewers = {event.get("viewer") for event in make_sample.generate(20_000, seed=3, viewers=500)} - {None}
    assert 200 < len(viewers) <= 500


def test_platforms_restrict_the_log():
    events = records(produce(["--platforms", "tiktok,youtube", "--events", "3000"]))
    assert {event["platform"] for event in events} == {"tiktok", "youtube"}
    with pytest.raises(SystemExit):
        produce(["--platforms", "tiktok,myspace"])


@pytest.mark.parametrize("argv", [["--events", "-1"], ["--viewers", "0"], ["--start", "2026-11-01T20:00:00"]])
def test_bad_arguments_are_refused(argv):
    with pytest.raises(SystemExit):
        produce(argv)


# --- viewer names -------------------------------------------------------------------------------


def test_hostile_names_are_in_the_sample_by_default(events):
    viewers = {event.get("viewer") for event in events}
    assert set(make_sample.HOSTILE_NAMES) <= viewers
    assert set(make_sample.ODD_NAMES) <= viewers


def test_hostile_names_are_left_out_on_request():
    viewers = {event.get("viewer") for event in records(produce(["--no-hostile-names"]))}
    assert not set(make_sample.HOSTILE_NAMES) & viewers
    assert set(make_sample.ODD_NAMES) <= viewers


# --- benchmark logs -----------------------------------------------------------------------------


def test_make_log_names_its_files_by_power_of_ten():
    assert make_log.default_path(1_000_000).name == "log-1e6.jsonl"
    assert make_log.default_path(10**7).name == "log-1e7.jsonl"
    assert make_log.default_path(2500).name == "log-2500.jsonl"


def test_make_log_writes_a_benchmark_log_without_hostile_names(tmp_path):
    out = tmp_path / "log.jsonl"
    make_log.main(["--events", "5000", "--out", str(out)])
    events = records(out.read_bytes())
    assert len(events) == 5000 and not list(tmp_path.glob("*.part"))
    viewers = {event.get("viewer") for event in events}
    assert not set(make_sample.HOSTILE_NAMES) & viewers
    assert "viewer00001" in viewers


def test_the_python_floor_of_the_benchmarks_reads_every_line_of_a_log(tmp_path):
    """benchmarks/bench.py's Python floor (the least a valuation in Python does) decodes every line of a
    log, each key once, with and without the index of every id; a repeated id is not floored silently."""
    bench = _load("bench", ROOT / "benchmarks" / "bench.py")
    out = tmp_path / "log.jsonl"
    make_log.main(["--events", "3000", "--out", str(out)])
    lines = out.read_bytes().splitlines()
    keys = {  # the raw valuation key of each line: the fields that decide its money
        (json.loads(line).get("type"), json.loads(line).get("platform"), json.loads(line).get("gift"))
        for line in lines
    }
    for ids in (False, True):
        found = bench._python_floor(str(out), ids=ids)
        assert found["records"] == 3000
        assert found["keys"] >= len(keys)  # a key has these fields and more (count, amount, ...)
    out.write_bytes(b"\n".join([*lines, lines[5]]) + b"\n")
    assert bench._python_floor(str(out))["records"] == 3001
    with pytest.raises(ValueError, match="an id repeated"):
        bench._python_floor(str(out), ids=True)
