"""Spark (`livemoney.engine.spark`), in local mode: the same report as the local engine on the same logs, to
the cent and exactly, from Parquet files, a folder of them, and any DataFrame; the CLI's route."""

import datetime as dt
import importlib
import importlib.util
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

# `make test` installs the extras and requires them (LIVEMONEY_EXTRAS=required); elsewhere the tests skip.
for _module in ("pyspark", "pyarrow", "duckdb"):
    if os.environ.get("LIVEMONEY_EXTRAS") == "required":
        importlib.import_module(_module)
    else:
        pytest.importorskip(_module)

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner
from livemoney.cli import main
from livemoney.core import schema
from livemoney.engine import spark as lm_spark
from livemoney.engine.columnar import arrow_events_schema, value_parquet, write_parquet
from livemoney.engine.readers import read_events
from livemoney.engine.valuer import value
from livemoney.errors import ReaderError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SAMPLE = ROOT / "sdk" / "livemoney" / "data" / "sample-stream.jsonl"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """One local Spark session for the module: two cores, few shuffle partitions, no UI, no warehouse here."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("livemoney-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def outcome(report, *paths):
    """Everything a report says (rows with exact sums, counts, conflicts, rejects but their raw text, viewers,
    minutes), with the inputs' paths as ``LOG``."""
    text = json.dumps(
        {"report": report.to_dict(), "rejects": [[r.source, r.line, r.field, r.problem] for r in report.rejects]},
        sort_keys=True,
        default=str,
    )
    for path in paths:
        text = text.replace(str(path), "LOG")
    return json.loads(text), report.viewers, report.bins


AT = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)
BASE = {"platform": "testcast", "viewer": "v1", "ts": AT}
RECORDS = [
    {"type": "gift", "gift": "Rose", "count": 5, "id": "a", **BASE},  # 5 coins: 0.05 USD
    {"type": "gift", "gift": "Rose", "count": 5, "id": "a", **BASE, "stream": "other"},  # a duplicate
    {"type": "gift", "gift": "Rose", "count": 7, "id": "a", **BASE},  # an id conflict, valued
    {"type": "gift", "gift": "Rose", "count": 0, "id": "b", **BASE},  # rejected: count 0
    {"type": "donation", "feature": "tip", "amount": "1.50", "currency": "USD", **BASE, "viewer": "v2"},
    {"type": "donation", "feature": "tip", "amount": "-1", "currency": "USD", **BASE},  # rejected
    {"type": "gift", "gift": "Rose", "recipient": "g", "host": "h", **BASE},  # to a guest
    {"type": "sale", "amount": "5", "currency": "LTL", **BASE},  # no LTL rate: unknown
    {"type": "gift", "gift": "Rose", "platform": "myspace"},  # rejected: unknown platform
    {"type": "like", "count": 3, "id": "a", "ts": AT + dt.timedelta(minutes=3)},  # the default platform
]


def write_both(records, folder, name="log"):
    """``records`` as a canonical JSON Lines log and as a Parquet file of the schema's columns."""
    log = folder / f"{name}.jsonl"
    lines = []
    for record in records:
        cells = {key: value for key, value in record.items() if value is not None}
        if "ts" in cells:
            cells["ts"] = cells["ts"].isoformat().replace("+00:00", "Z")
        lines.append(json.dumps(cells))
    log.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    rows = [{column.name: record.get(column.name) for column in schema.EVENT_COLUMNS} for record in records]
    parquet = folder / f"{name}.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_events_schema()), parquet)
    return log, parquet


def test_duplicates_conflicts_guests_and_rejects_on_spark(spark, tmp_path):
    log, parquet = write_both(RECORDS, tmp_path)
    pm = testcast.manager()
    options = {"currency": "USD", "pm": pm, "on_error": "skip", "platform": "testcast"}
    local = value(log, input_format="jsonl", **options)
    cards = []
    on_spark = lm_spark.value_parquet(parquet, spark=spark, card_out=cards, **options)
    assert outcome(on_spark, parquet) == outcome(local, log)
    # the run's rate card counts the valued events of each key (the duplicate is not valued)
    assert sum(entry.events + entry.to_guests for entry in cards[0]) == local.valued == 6
    assert cards[0].report().exact == local.exact
    # worked out by hand: gifts of 5 and 7 coins (0.12 USD) and a 1.50 tip, testcast takes 20%
    assert on_spark.exact.gross.amount == Decimal("1.62")
    assert on_spark.exact.net.amount == Decimal("1.296")
    assert on_spark.counts_line() == (
        "records 10 = events 7 + without money 0 + rejected 3; events 7 = valued 6 + duplicates 1 (id conflicts 2)"
    )
    assert [(r.line, r.field) for r in on_spark.rejects] == [(4, "count"), (6, "amount"), (9, "platform")]


def test_events_without_an_id_are_counted_on_spark_as_on_the_local_engine(spark, tmp_path):
    # two captures of one stream (two files: Spark reads a path given twice once)
    log, parquet = write_both(RECORDS, tmp_path)
    again, parquet_again = write_both(RECORDS, tmp_path, name="again")
    options = {"currency": "USD", "pm": testcast.manager(), "on_error": "skip", "platform": "testcast"}
    local = value([log, again], input_format="jsonl", **options)
    on_spark = lm_spark.value_parquet([parquet, parquet_again], spark=spark, **options)
    assert on_spark.without_id == local.without_id > 0 and on_spark.inputs == local.inputs == 2
    assert [note for note in on_spark.notes() if "carry no id" in note] == [
        note for note in local.notes() if "carry no id" in note
    ] != []
    assert lm_spark.value_parquet(parquet, spark=spark, **options).inputs == 1


def test_a_dataframe_of_partitions_and_a_folder_of_files(spark, tmp_path):
    """A DataFrame not read from files is numbered by its partitions; a folder's files are read by name, and
    a repeat in a later file is a duplicate of the earlier one."""
    pm = testcast.manager()
    options = {"currency": "USD", "pm": pm, "on_error": "skip", "platform": "testcast"}
    log, parquet = write_both(RECORDS, tmp_path)
    columns = ", ".join(f"{field.name} {'bigint' if field.name == 'count' else 'timestamp' if field.name == 'ts' else 'string'}"
                        for field in arrow_events_schema())
    frame = spark.createDataFrame(pq.read_table(parquet).to_pylist(), columns).repartition(3).sortWithinPartitions("id")
    local_rows = value(log, input_format="jsonl", **options)
    on_frame = lm_spark.value(frame, source="frame", **options)
    assert on_frame.to_dict()["rows"] == local_rows.to_dict()["rows"]
    assert (on_frame.viewers, on_frame.bins, on_frame.duplicates) == (local_rows.viewers, local_rows.bins, 1)
    assert {r.source for r in on_frame.rejects} == {"frame"} and on_frame.rejected == 3

    folder = tmp_path / "folder"
    folder.mkdir()
    first, second = RECORDS[:5], RECORDS[:2] + RECORDS[5:]
    write_both(first, folder, "a")
    write_both(second, folder, "b")
    both = tmp_path / "both.jsonl"
    both.write_text((folder / "a.jsonl").read_text() + (folder / "b.jsonl").read_text())
    for extra in folder.glob("*.jsonl"):
        extra.unlink()
    local = value(both, input_format="jsonl", **options)
    on_spark = lm_spark.value_parquet(folder, spark=spark, **options)
    with_duckdb = value_parquet(folder, **options)
    assert on_spark.to_dict()["rows"] == with_duckdb.to_dict()["rows"] == local.to_dict()["rows"]
    assert on_spark.duplicates == with_duckdb.duplicates == local.duplicates == 3
    assert on_spark.viewers == with_duckdb.viewers == local.viewers
    assert [(r.source, r.line) for r in on_spark.rejects] == [(r.source, r.line) for r in with_duckdb.rejects]
    assert [r.source for r in with_duckdb.rejects] == [str(folder / "a.parquet"), *[str(folder / "b.parquet")] * 2]


def test_a_float_amount_is_refused_on_spark(spark):
    frame = spark.createDataFrame([("donation", "testcast", "tip", 1.5, "USD")], "type string, platform string, "
                                  "feature string, amount double, currency string")
    with pytest.raises(ReaderError, match="no exact money"):
        lm_spark.value(frame, pm=testcast.manager())


def test_the_command_line_values_a_folder_on_spark_as_the_local_engine(spark, tmp_path):
    """``livemoney value FOLDER --engine spark``: the sample stream's report, every figure, equals the local
    engine's on the log."""
    folder = tmp_path / "events"
    folder.mkdir()
    write_parquet(read_events(SAMPLE), folder / "part-0.parquet")
    result = CliRunner().invoke(main, ["value", str(folder), "--engine", "spark", "--currency", "EUR", "--format", "json"])
    assert result.exit_code == 0, result.output
    local = value(SAMPLE, currency="EUR", progress=False)
    assert json.loads(result.stdout) == local.to_dict()
    assert "records 2000 = events 2000" in result.stderr
