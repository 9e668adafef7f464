"""Valuing events beyond one machine: a Spark DataFrame of events (``pip install 'livemoney[spark]'``).

    from livemoney.engine import spark as lm_spark
    df = session.read.parquet("s3://bucket/streams/2026/")          # the Parquet schema of `livemoney.engine.columnar`
    report = lm_spark.value(df, currency="EUR", on_error="skip")     # the same Report as livemoney.value
    report = lm_spark.value_parquet(["events/"], currency="EUR")      # livemoney value events/ --engine spark

The DataFrame has the columns of a Parquet file of events (`livemoney.core.schema.EVENT_COLUMNS`, see
`livemoney.engine.columnar`: ``amount`` as decimal text, or a DECIMAL; ``ts`` a timestamp, which Spark
keeps as an instant; a column left out is all nulls). The steps are those of `livemoney.engine.columnar.
value_table`, in Spark SQL: the distinct raw keys are grouped by the cluster and collected (a few thousand
rows); the driver reads and values them through the plugins (the `livemoney.engine.ratecard.RateCard`);
the card is broadcast-joined to the rows, which are summed in ``DecimalType(38, 10)`` per viewer, per
minute and per valuation; the ids seen more than once are found by a group-by and only their rows are
ordered, so duplicates (across the whole input) are taken off and id conflicts named. The report equals
the local engine's on the same events, figure for figure.

Rows are numbered for the rejects and id conflicts: a DataFrame read from files by their file (the files
by name) and row in it (Spark's ``_metadata.row_index``, from 1); any other DataFrame by its partitions'
order (``monotonically_increasing_id``), named ``source`` (``(dataframe)``). The input must read the same
way each time (a file source does): the valuation runs a few jobs over it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from livemoney.core.extras import extra
from livemoney.core.schema import EVENT_COLUMNS, PLATFORM, Column
from livemoney.engine.columnar import FILE_SHIFT, Dialect, Names, parquet_inputs, rejects_to, run_setup, value_table
from livemoney.engine.ratecard import RateCard
from livemoney.engine.report import Report
from livemoney.errors import ReaderError
from livemoney.pluginsys.manager import PluginManager

SPARK_INSTALL = "pip install 'livemoney[spark]'"
MASTER = "LIVEMONEY_SPARK_MASTER"
"""The environment variable naming the master of the session `session` starts (default ``local[*]``)."""
_PARTITION = 33
"""``monotonically_increasing_id`` keeps the partition's index above its 33 low bits."""


def _spark_sql() -> Any:
    needs = f"valuing with Spark needs pyspark (and Java 17): {SPARK_INSTALL}"
    return extra("pyspark.sql.functions", needs), extra("pyspark.sql.types", needs)


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


SPARK = Dialect(
    quote=lambda name: "`" + name.replace("`", "``") + "`",
    literal=_literal,
    epoch_us="unix_micros({0})",
    floordiv="(({0}) - pmod(({0}), {1})) div {1}",
    hash=None,
    money="DECIMAL(38, 10)",
)


class SparkEngine:
    """`livemoney.engine.columnar.Engine` on a `SparkSession`: the card is joined on the raw key's columns
    (broadcast: a few thousand rows), the repeated ids are a group-by of the ids."""

    dialect = SPARK

    def __init__(self, session: Any) -> None:
        self.session = session

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.sql(sql).collect()]

    def run(self, sql: str) -> None:
        self.session.sql(sql)

    def table(self, name: str, columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]) -> None:
        schema = ", ".join(f"{self.dialect.quote(column)} {kind}" for column, kind in columns)
        self.session.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)

    def repeated(self, keyed: str, name: str) -> bool:
        self.run(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {PLATFORM} AS platform, id FROM {keyed} "
            "WHERE id IS NOT NULL AND id <> '' GROUP BY platform, id HAVING count(*) > 1"
        )
        return bool(self.rows(f"SELECT 1 FROM {name} LIMIT 1"))

    def repeated_condition(self, alias: str, name: str) -> str:
        return f"EXISTS (SELECT 1 FROM {name} r WHERE r.platform = {alias}.platform AND r.id = {alias}.id)"


def _kind(data_type: Any) -> str:
    """A Spark type's name as `column_cells` tells kinds apart."""
    return type(data_type).__name__


_INTEGRAL = {"ByteType", "ShortType", "IntegerType", "LongType"}


def column_cells(frame: Any, source: str) -> list[Any]:
    """The schema's columns of ``frame`` (`EVENT_COLUMNS`), typed; a type the schema does not take raises
    `ReaderError` naming the column (floats are no exact money; a time needs a zone)."""
    functions, _ = _spark_sql()
    found = {field.name: field.dataType for field in frame.schema.fields}
    cells = []
    for column in EVENT_COLUMNS:
        cells.append(_cell(functions, column, found.get(column.name), source).alias(column.name))
    return cells


def _cell(functions: Any, column: Column, data_type: Any, source: str) -> Any:
    col = functions.col(f"`{column.name}`")
    if data_type is None:
        kind = {"count": "bigint", "time": "timestamp"}.get(column.json, "string")
        return functions.lit(None).cast(kind)
    kind = _kind(data_type)
    if column.json == "count":
        if kind in _INTEGRAL:
            return col.cast("bigint")
        raise ReaderError(f"{source}: column {column.name} is {data_type.simpleString()}, not a whole number (int64)")
    if column.json == "time":
        if kind == "TimestampType":
            return col
        if kind == "TimestampNTZType":
            raise ReaderError(
                f"{source}: column {column.name} is a time without a time zone (timestamp_ntz); write UTC times"
            )
        raise ReaderError(f"{source}: column {column.name} is {data_type.simpleString()}, not a timestamp")
    if column.json == "money":
        if kind in ("StringType", "DecimalType") or kind in _INTEGRAL:
            return col.cast("string")
        raise ReaderError(
            f"{source}: column {column.name} is {data_type.simpleString()}: amounts must be exact, as decimal text "
            "(or a DECIMAL); a floating-point number is no exact money"
        )
    if kind == "StringType":
        return col
    if column.json == "id" and kind in _INTEGRAL:
        return col.cast("string")
    raise ReaderError(f"{source}: column {column.name} is {data_type.simpleString()}, not text")


def _local_path(file_path: str) -> str:
    """A Spark file path (``file:/tmp/x.parquet``, ``s3a://b/k``) as people write it (``/tmp/x.parquet``)."""
    parsed = urlparse(file_path)
    return unquote(parsed.path) if parsed.scheme in ("", "file") else file_path


def numbered(
    frame: Any, source: str = "(dataframe)", names: Mapping[str, str] | None = None
) -> tuple[Any, list[str]]:
    """``frame`` with each row's ``src`` (its file's index), ``line`` (from 1) and ``pos`` (their order), and
    the files' names by index: from Spark's file metadata when ``frame`` reads files (``names``: a file's
    name by its local path, else that path), else from its partitions' order (one source, ``source``)."""
    functions, _ = _spark_sql()
    meta = None
    if frame.inputFiles():
        try:
            meta = frame.select(
                "*",
                functions.col("_metadata.file_path").alias("_lm_file"),
                functions.col("_metadata.row_index").alias("_lm_row"),
            )
        except Exception:  # noqa: BLE001 - pyspark's AnalysisException: files, but transformed
            meta = None
    if meta is not None:
        files = sorted((row[0] for row in meta.select("_lm_file").distinct().collect()), key=_local_path)
        index = {name: i for i, name in enumerate(files)}
        mapping = frame.sparkSession.createDataFrame(list(index.items()), "_lm_file STRING, src INT")
        rows = meta.join(functions.broadcast(mapping), "_lm_file").drop("_lm_file")
        rows = rows.withColumn("line", functions.col("_lm_row") + 1).drop("_lm_row")
        rows = rows.withColumn("pos", functions.col("src").cast("bigint") * FILE_SHIFT + functions.col("line"))
        local = [_local_path(name) for name in files]
        return rows, [(names or {}).get(path, path) for path in local]
    order = frame.withColumn("_lm_id", functions.monotonically_increasing_id())
    partition = functions.shiftright(functions.col("_lm_id"), _PARTITION)
    sizes = dict(order.groupBy(partition.alias("p")).count().collect())
    offsets, total = {}, 0
    for part in sorted(sizes):
        offsets[part] = total
        total += sizes[part]
    mapping = frame.sparkSession.createDataFrame(list(offsets.items()) or [(0, 0)], "p BIGINT, offset BIGINT")
    low = functions.col("_lm_id") - functions.shiftleft(partition, _PARTITION)
    rows = order.withColumn("p", partition).join(functions.broadcast(mapping), "p")
    rows = rows.withColumn("line", functions.col("offset") + low + 1).withColumn("src", functions.lit(0))
    rows = rows.withColumn("pos", functions.col("line")).drop("p", "offset", "_lm_id")
    return rows, [source]


def session(master: str | None = None) -> Any:
    """The active `SparkSession`, else a new one: master ``master``, else `MASTER`'s, else ``local[*]`` (no UI, its
    warehouse folder a temporary one)."""
    _spark_sql()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("livemoney").master(master or os.environ.get(MASTER, "local[*]"))
    # No spark-warehouse/ left in the working folder (livemoney makes temporary views only).
    builder = builder.config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="livemoney-spark-"))
    made = builder.config("spark.ui.enabled", "false").getOrCreate()
    made.sparkContext.setLogLevel("ERROR")
    return made


def value(
    frame: Any,
    currency: str = "USD",
    as_of: dt.date | str | None = None,
    settings: dict[str, Any] | None = None,
    *,
    pm: PluginManager | None = None,
    platform: str | None = None,
    on_error: str = "fail",
    rejects: str | os.PathLike | None = None,
    host: str | None = None,
    rates: Any = None,
    rate_fallback: str | None = None,
    source: str = "(dataframe)",
    card_out: list[RateCard] | None = None,
    file_names: Mapping[str, str] | None = None,
    inputs: int = 1,
) -> Report:
    """Value a Spark DataFrame of events: the `Report` `livemoney.value` gives on the same events (see the
    module docstring). The arguments are `livemoney.value`'s.

    :param source: the name of a DataFrame's rows in rejects and id conflicts when it does not read files.
    :param card_out: a list that receives the run's `RateCard`, with each key's valued events.
    :param file_names: the name of each file the DataFrame reads in rejects and id conflicts, by its local
        path (default: that path).
    :param inputs: how many inputs the rows come from (`Report.inputs`: events without an id, given in
        several, are warned of, as the local engine does); `value_parquet` gives the paths it was given.
    """
    functions, _ = _spark_sql()
    pm, context, known = run_setup(pm, currency, as_of, settings, platform, rates, rate_fallback)
    rows, sources = numbered(frame, source, file_names)
    cells = column_cells(frame, source)
    if platform is not None:
        cells[1] = functions.coalesce(functions.col(f"`{PLATFORM}`"), functions.lit(platform)).alias(PLATFORM)
    names = Names.of(f"lm_{uuid.uuid4().hex[:12]}")
    rows.select("pos", "src", "line", *cells).createOrReplaceTempView(names.events)
    engine = SparkEngine(frame.sparkSession)
    with rejects_to(rejects) as rejects_file:
        try:
            return value_table(
                engine,
                names,
                sources,
                context,
                pm,
                known,
                on_error=on_error,
                rejects=rejects_file,
                host=host,
                card_out=card_out,
                inputs=inputs,
            )
        finally:
            for name in (names.events, names.keyed, names.card, names.valued, names.repeated):
                frame.sparkSession.catalog.dropTempView(name)


def value_parquet(
    paths: str | os.PathLike | Iterable[str | os.PathLike], *, spark: Any = None, **options: Any
) -> Report:
    """Value Parquet files of events (or folders of them) with Spark: `value` of ``spark.read.parquet`` of
    the files (a folder's ``*.parquet`` at any depth, by name). ``spark``: a session (default: `session`)."""
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = parquet_inputs(given)
    spark = spark or session()
    resolved = {str(Path(file).resolve()): os.fspath(file) for file in files}
    frame = spark.read.parquet(*resolved)
    return value(frame, file_names=resolved, inputs=len(given), **options)


