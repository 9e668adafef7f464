"""Parquet with DuckDB (`livemoney.engine.columnar`): the same report as the local engine on the same events,
to the cent and exactly; every row accounted for; the Parquet schema derived from the canonical one."""

import datetime as dt
import importlib
import importlib.util
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# `make test` installs the extras and requires them (LIVEMONEY_EXTRAS=required); elsewhere the tests skip.
for _module in ("duckdb", "pyarrow"):
    if os.environ.get("LIVEMONEY_EXTRAS") == "required":
        importlib.import_module(_module)
    else:
        pytest.importorskip(_module)

import pyarrow as pa
import pyarrow.parquet as pq
from livemoney import Gift, Money
from livemoney.core import schema
from livemoney.engine.columnar import (
    arrow_events_schema,
    event_row,
    is_parquet,
    value_parquet,
    write_parquet,
)
from livemoney.engine.readers import read_events
from livemoney.engine.valuer import value
from livemoney.errors import InvalidInput, ReaderError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SAMPLE = ROOT / "sdk" / "livemoney" / "data" / "sample-stream.jsonl"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)


def outcome(report, *paths):
    """Everything a report says (rows with exact sums, counts, conflicts, rejects but their raw text, viewers,
    minutes), with the input's path as ``LOG``."""
    text = json.dumps(
        {
            "report": report.to_dict(),
            "rejects": [[r.source, r.line, r.field, r.problem] for r in report.rejects],
            "recipients": report.recipients,
        },
        sort_keys=True,
        default=str,
    )
    for path in paths:
        text = text.replace(str(path), "LOG")
    return json.loads(text), report.viewers, report.bins


def records_to_files(records, folder):
    """The same records as a canonical JSON Lines log and as a Parquet file of the schema's columns."""
    log = folder / "log.jsonl"
    lines = []
    for record in records:
        cells = {name: value for name, value in record.items() if value is not None}
        if isinstance(cells.get("ts"), dt.datetime):
            cells["ts"] = cells["ts"].isoformat().replace("+00:00", "Z")
        lines.append(json.dumps(cells))
    log.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    table = pa.Table.from_pylist(
        [{column.name: record.get(column.name) for column in schema.EVENT_COLUMNS} for record in records],
        schema=arrow_events_schema(),
    )
    parquet = folder / "log.parquet"
    pq.write_table(table, parquet)
    return log, parquet


# --- the schema ----------------------------------------------------------------------------------------


def test_the_parquet_schema_is_the_canonical_events():
    names = arrow_events_schema().names
    assert names == [column.name for column in schema.EVENT_COLUMNS]
    assert names[:2] == ["type", "platform"] and names[-4:] == ["viewer", "ts", "stream", "id"]
    types = {field.name: str(field.type) for field in arrow_events_schema()}
    assert types["amount"] == "string" and types["count"] == "int64" and types["ts"] == "timestamp[us, tz=UTC]"


def test_an_event_row_keeps_the_amount_as_written():
    gift = Gift(platform="tiktok", gift="Rose", count=3, amount=Money("1.50", "coins"), viewer="v",
                ts=dt.datetime(2026, 11, 1, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    row = event_row(gift)
    assert row["amount"] == "1.50" and row["currency"] == "coins" and row["count"] == 3
    assert row["ts"] == dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.UTC)
    assert row["feature"] is None and row["type"] == "gift"


def test_converted_events_read_back_as_themselves(tmp_path):
    path = tmp_path / "sample.parquet"
    events = [item for item in read_events(SAMPLE) if not isinstance(item, tuple)]
    assert write_parquet(events, path) == 2000
    assert is_parquet(path) and not is_parquet(SAMPLE)
    rows = pq.read_table(path).to_pylist()
    assert rows == [event_row(event) for event in events]


# --- the same report as the local engine -----------------------------------------------------------------


def test_the_sample_stream_gives_the_local_report_to_the_cent(tmp_path):
    path = tmp_path / "sample.parquet"
    write_parquet(read_events(SAMPLE), path)
    local = value(SAMPLE, currency="EUR", progress=False)
    columnar = value_parquet(path, currency="EUR")
    assert outcome(columnar, path) == outcome(local, SAMPLE)
    assert columnar.exact == local.exact and columnar.net == local.net
    assert [row.exact for row in columnar.rows] == [row.exact for row in local.rows]


def test_events_without_an_id_are_counted_and_warned_of_as_the_local_engine_does(tmp_path):
    # A trial found the warning local-only: DuckDB counted no event without an id, so `value A A` on Parquet
    # files of a format without ids doubled the money in silence.
    at = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)
    base = {"platform": "testcast", "viewer": "v1", "ts": at, "type": "donation", "feature": "tip", "currency": "USD"}
    records = [
        {**base, "amount": "1.50"},
        {**base, "amount": "2.00", "id": ""},  # an empty id is no id, as on the local engine
        {**base, "amount": "3.00", "id": "a"},
        {**base, "amount": "-1"},  # rejected: not an event, so not counted among those without an id
    ]
    log, parquet = records_to_files(records, tmp_path)
    options = {"currency": "USD", "pm": testcast.manager(), "on_error": "skip"}
    once, local_once = value_parquet(parquet, **options), value(log, input_format="jsonl", **options)
    assert (once.without_id, once.inputs) == (local_once.without_id, local_once.inputs) == (2, 1)
    assert not any("carry no id" in note for note in once.notes())
    twice = value_parquet([parquet, parquet], **options)
    local_twice = value([log, log], input_format="jsonl", **options)
    # worked out by hand: the two tips without an id count twice (7.00), the one with an id once (3.00)
    assert twice.exact.gross.amount == local_twice.exact.gross.amount == Decimal("10.00")
    assert (twice.without_id, twice.duplicates, twice.inputs) == (local_twice.without_id, 1, 2) == (4, 1, 2)
    warning = (
        "warning: 4 event(s) carry no id (their format gives none): duplicates are told by id, so one such event "
        "found in two of the 2 files counts twice; give each stream's capture once"
    )
    assert warning in twice.notes() and warning in local_twice.notes()
    # a folder is one input, as one capture is
    folder = tmp_path / "folder"
    folder.mkdir()
    parquet.rename(folder / "log.parquet")
    assert value_parquet(folder, **options).inputs == 1


def test_duplicates_conflicts_guests_and_rejects(tmp_path):
    at = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)
    base = {"platform": "testcast", "viewer": "v1", "ts": at}
    records = [
        {"type": "gift", "gift": "Rose", "count": 5, "id": "a", **base},  # 5 coins: 0.05 USD
        {"type": "gift", "gift": "Rose", "count": 5, "id": "a", **base, "stream": "other"},  # a duplicate
        {"type": "gift", "gift": "Rose", "count": 7, "id": "a", **base},  # an id conflict, valued
        {"type": "gift", "gift": "Rose", "count": 0, "id": "b", **base},  # rejected: count 0
        {"type": "donation", "feature": "tip", "amount": "1.50", "currency": "USD", **base},
        {"type": "donation", "feature": "tip", "amount": "-1", "currency": "USD", **base},  # rejected
        {"type": "gift", "gift": "Rose", "recipient": "g", "host": "h", **base},  # to a guest
        {"type": "sale", "amount": "5", "currency": "LTL", **base},  # no LTL rate: unknown
        {"type": "gift", "gift": "Rose", "platform": "myspace"},  # rejected: unknown platform
    ]
    log, parquet = records_to_files(records, tmp_path)
    pm = testcast.manager()
    options = {"currency": "USD", "pm": pm, "on_error": "skip", "platform": "testcast"}
    local = value(log, input_format="jsonl", **options)
    columnar = value_parquet(parquet, rejects=tmp_path / "rejects.jsonl", **options)
    assert outcome(columnar, parquet) == outcome(local, log)
    # worked out by hand: gifts 5 + 7 coins, a 1.50 donation; the guest's Rose apart; testcast takes 20%
    assert columnar.counts_line() == (
        "records 9 = events 6 + without money 0 + rejected 3; events 6 = valued 5 + duplicates 1 (id conflicts 1)"
    )
    assert columnar.exact.gross.amount == Decimal("0.12") + Decimal("1.50")
    assert columnar.exact.net.amount == (Decimal("0.12") + Decimal("1.50")) * Decimal("0.8")
    assert columnar.exact_total(to_guests=True).gross.amount == Decimal("0.01")
    assert [(r.line, r.field) for r in columnar.rejects] == [(4, "count"), (6, "amount"), (9, "platform")]
    written = [json.loads(line) for line in (tmp_path / "rejects.jsonl").read_text().splitlines()]
    assert [(w["line"], w["field"]) for w in written] == [(4, "count"), (6, "amount"), (9, "platform")]
    assert json.loads(written[0]["raw"])["count"] == 0
    assert columnar.conflicts_named == (
        f"testcast id 'a' at {parquet}:3 (gift by v1) differs from an earlier event with that id",
    )
    with pytest.raises(InvalidInput, match=r"log.parquet:4: count: 0 is not a count"):
        value_parquet(parquet, pm=pm, platform="testcast")


def test_a_float_amount_or_a_time_without_zone_is_refused(tmp_path):
    path = tmp_path / "floats.parquet"
    pq.write_table(pa.table({"type": ["donation"], "platform": ["testcast"], "feature": ["tip"], "amount": [1.5]}), path)
    with pytest.raises(ReaderError, match="floating-point number is no exact money"):
        value_parquet(path, pm=testcast.manager())
    naive = tmp_path / "naive.parquet"
    pq.write_table(pa.table({"type": ["like"], "ts": pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("us"))}), naive)
    with pytest.raises(ReaderError, match="without a time zone"):
        value_parquet(naive, pm=testcast.manager())


def test_a_decimal_amount_column_is_read_exactly(tmp_path):
    path = tmp_path / "decimal.parquet"
    table = pa.table(
        {
            "type": ["donation", "donation"],
            "platform": ["testcast", "testcast"],
            "feature": ["tip", "tip"],
            "amount": pa.array([Decimal("1.25"), Decimal("0.0000000001")], pa.decimal128(20, 10)),
            "currency": ["USD", "USD"],
            "id": pa.array([1, 2], pa.int64()),
        }
    )
    pq.write_table(table, path)
    report = value_parquet(path, pm=testcast.manager())
    assert report.exact.gross.amount == Decimal("1.2500000001")
    assert report.valued == 2 and report.rejected == 0


# --- a differential property: any small log ------------------------------------------------------------

TIMES = [
    dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 1, 12, 0, 0, 400, tzinfo=dt.UTC),  # the same millisecond
    dt.datetime(2026, 10, 1, 12, 0, 30, 500000, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 1, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 2, 0, 0, tzinfo=dt.UTC),
    dt.datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=dt.UTC),  # before 1970: floor, not truncation
]
RECORDS = st.fixed_dictionaries(
    {"type": st.sampled_from(["gift", "gift", "donation", "like", "sale", "sponsorship", None, "bogus"])},
    optional={
        "platform": st.sampled_from(["testcast", "testcast", "starcast", "myspace", " "]),
        "gift": st.sampled_from(["Rose", "Lion", " ", "\u2003"]),
        "count": st.sampled_from([1, 2, 3, 0, -1]),
        "amount": st.sampled_from(["1.50", "1.5", "800", "20", "5", "0.00000000001", "1e40", "-1", "abc", " 2 "]),
        "currency": st.sampled_from(["USD", "JPY", "coins", "LTL", "usd", "EUR"]),
        "recipient": st.sampled_from(["h", "g"]),
        "host": st.sampled_from(["h", "x"]),
        "gift_id": st.sampled_from(["5655", ""]),
        "feature": st.sampled_from(["tip", "stars", ""]),
        "brand": st.sampled_from(["Acme", ""]),
        "product": st.sampled_from(["shirt"]),
        "role": st.sampled_from(["seller", "affiliate", "boss"]),
        "viewer": st.sampled_from(["v1", "v2", ""]),
        "ts": st.sampled_from(TIMES),
        "stream": st.sampled_from(["s1", "s2"]),
        "id": st.sampled_from(["a", "b", "c", ""]),
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(RECORDS, min_size=1, max_size=14).map(lambda rs: [*rs, *rs[:3]]),
    host=st.sampled_from([None, "h"]),
    currency=st.sampled_from(["USD", "EUR"]),
)
def test_any_small_log_gives_the_local_report(tmp_path_factory, records, host, currency):
    """Rows with ids (repeated: duplicates; other content: id conflicts), invalid rows, keys no plugin values,
    unknown valuations, gifts to guests and hostless gifts: the Parquet file valued with DuckDB gives the
    report the local engine gives on the same records as JSON Lines, every figure and count."""
    folder = tmp_path_factory.mktemp("log")
    log, parquet = records_to_files(records, folder)
    options = {"currency": currency, "pm": testcast.manager(), "on_error": "skip", "platform": "testcast", "host": host}
    local = value(log, input_format="jsonl", **options)
    columnar = value_parquet(parquet, **options)
    assert outcome(columnar, parquet) == outcome(local, log)
    assert columnar.records == len(records) == columnar.events + columnar.rejected


# --- the command line ------------------------------------------------------------------------------------


def test_convert_to_parquet_then_value_it_as_the_log(tmp_path):
    from click.testing import CliRunner
    from livemoney.cli import main

    runner = CliRunner()
    out = tmp_path / "sample.parquet"
    converted = runner.invoke(main, ["convert", str(SAMPLE), "--to", "parquet", "-o", str(out)])
    assert converted.exit_code == 0, converted.output
    assert "records 2000 = events 2000 + without money 0 + rejected 0; events 2000 = written 2000" in converted.stderr and is_parquet(out)
    assert not list(tmp_path.glob(".*.part"))
    on_log = runner.invoke(main, ["value", str(SAMPLE), "--format", "json", "--currency", "EUR"])
    on_parquet = runner.invoke(main, ["value", str(out), "--format", "json", "--currency", "EUR"])
    assert on_parquet.exit_code == 0, on_parquet.output
    assert json.loads(on_parquet.stdout) == json.loads(on_log.stdout)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--ledger", "x.sqlite"], "--ledger records events read from logs"),
        (["--engine", "local"], "the local engine reads logs"),
        (["--input-format", "jsonl"], "--input-format names a log format"),
        ([str(SAMPLE)], "value Parquet files and logs in separate runs"),
    ],
)
def test_what_the_command_line_refuses_with_parquet(tmp_path, extra, expected):
    from click.testing import CliRunner
    from livemoney.cli import main

    path = tmp_path / "sample.parquet"
    write_parquet(read_events(SAMPLE), path)
    result = CliRunner().invoke(main, ["value", str(path), *extra])
    assert result.exit_code == 2 and expected in result.stderr


def test_a_log_with_a_parquet_engine_or_a_folder_without_parquet_is_refused(tmp_path):
    from click.testing import CliRunner
    from livemoney.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["value", str(SAMPLE), "--engine", "duckdb"])
    assert result.exit_code == 2 and "convert LOG --to parquet" in result.stderr
    result = runner.invoke(main, ["value", str(tmp_path)])
    assert result.exit_code == 2 and "a folder is valued only when it holds Parquet files" in result.stderr
    result = runner.invoke(main, ["convert", str(SAMPLE), "--to", "parquet"])
    assert result.exit_code == 2 and "give -o FILE" in result.stderr


def test_a_folder_of_parquet_files_and_a_log_is_refused_naming_the_log(tmp_path):
    # a new user's trial: the log beside the Parquet file was passed over without a word
    from click.testing import CliRunner
    from livemoney.cli import main

    folder = tmp_path / "stream"
    (folder / "part").mkdir(parents=True)
    write_parquet(read_events(SAMPLE), folder / "part" / "events.parquet")
    (folder / "_SUCCESS").write_text("", encoding="utf-8")  # a dataset's own files (Spark's) are passed over
    (folder / "part" / ".events.parquet.crc").write_text("", encoding="utf-8")
    assert CliRunner().invoke(main, ["value", str(folder), "--engine", "duckdb"]).exit_code == 0
    (folder / "today.jsonl").write_bytes(SAMPLE.read_bytes())
    result = CliRunner().invoke(main, ["value", str(folder), "--engine", "duckdb"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "holds Parquet files and 1 other file(s) (today.jsonl)" in result.stderr
    with pytest.raises(ReaderError, match="today.jsonl"):
        value_parquet(folder)


def test_without_duckdb_the_message_says_how_to_install_it(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from livemoney.cli import main

    path = tmp_path / "sample.parquet"
    write_parquet(read_events(SAMPLE), path)
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now fails, as where it is not installed
    result = CliRunner().invoke(main, ["value", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "livemoney: error: valuing Parquet files needs DuckDB: pip install 'livemoney[duckdb]'"


def test_without_pyspark_the_message_says_how_to_install_it(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from livemoney.cli import main

    path = tmp_path / "sample.parquet"
    write_parquet(read_events(SAMPLE), path)
    for name in [name for name in sys.modules if name == "pyspark" or name.startswith("pyspark.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails, as where it is not installed
    result = CliRunner().invoke(main, ["value", str(path), "--engine", "spark"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "livemoney: error: valuing with Spark needs pyspark (and Java 17): pip install 'livemoney[spark]'"
    )
