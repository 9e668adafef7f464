"""Speed and memory of livemoney on realistic captures of every format it reads, as ratios to a bare
JSON parse of the same file measured in the same run.

    python benchmarks/bench.py                          # make bench: every format at 10^5 events, canonical
                                                        # 10^5 and 10^6, ledger, LiveTally, floors (5 minutes)
    python benchmarks/bench.py --events 100000 1000000 --huge --markdown
                                                        # README's figures: every format at 10^6 too, canonical
                                                        # 10^7 (20 minutes, 6 GB of captures, 6.6 GB of memory)
    python benchmarks/bench.py --formats pytchat --only readers tally --repeat 1

Each capture is made when missing (benchmarks/captures.py; the canonical log by make_log.py) in
benchmarks/data/ (not committed). Every measurement runs in a fresh subprocess; the bare parse and the
measurement of the same file run in turns, ``--repeat`` times (once at 10^7; a run over `LONG` seconds
is not repeated), and the fastest CPU time and the fastest wall time count. A subprocess's peak memory
is its peak resident set (``VmHWM``, see `peak_mib`), the largest of its runs; it includes the
interpreter, and for ``value`` the plugins and rates (about 94 MiB). The machine is shared: read the
ratios, never the seconds alone.

What is measured:

- ``bare``: ``orjson.loads`` of every record of the file, the least any reader must do: each line of
  JSON Lines, each ``data:`` line of Server-Sent Events (after the prefix), the whole document of a
  JSON array (one parse), each row of ``csv.reader`` for CSV.
- ``readers``: ``livemoney.value(FILE, on_error="skip")``, what ``livemoney value FILE --on-error skip``
  does before printing. Loading the plugins and the ECB rates (the same for any file) is timed apart
  (``start``). Checked: the reader detected is the one the capture is for, and the report accounts for
  every event written (``records``); its counts are shown (events, without money, not read, rejected).
- ``ledger``: ``value(canonical log, ledger=NEW FILE)`` against ``value`` without a ledger, on the
  smallest canonical size (10^5); the speed ratio is the time without over the time with (1.0: as
  fast, 0.5: twice as slow).
- ``tally``: ``LiveTally(format=READER).add(record)`` one record at a time, on the records of each
  capture of the smallest size (10^5) and of the canonical log, already decoded
  (``livemoney.records.iter_records``), after a warm-up on the first `WARM_UP` records (a tenth of
  them, for files of fewer records); µs a record and µs an event (a response or page holds several;
  its events are those counted after the warm-up). A reader without a live decoder is named.
- ``parquet``: the canonical log's events as a Parquet file (livemoney's schema, `livemoney.engine.columnar`,
  written from the log by DuckDB: the same columns and values ``livemoney convert --to parquet`` writes),
  valued with DuckDB (``livemoney.engine.columnar.value_parquet(FILE, on_error="skip")``, what ``livemoney
  value FILE.parquet --on-error skip`` does), against the bare parse of the SAME events as JSON Lines (the
  canonical log); at 10^6 and 10^7 (``--huge``) events. Checked: the report accounts for every event.
- ``floors``: the canonical log through the least loop written in Python (`_python_floor`: livemoney's
  typed decode of each chunk, each line's valuation key looked up, its id hashed, its viewer's sum; no
  checks, no valuation, no sums per minute: the floor under any valuation in Python), once without and
  once with livemoney's index of every id and each event's fingerprint (item 2 of issue 12),
  DuckDB (``read_json`` + ``GROUP BY`` the valuation key, summing counts and amounts as DECIMAL) and
  Polars (``scan_ndjson`` + ``group_by``), the last two when installed (``pip install -e ".[bench]"``):
  what an engine reaches reading the same JSON (both use every core; compare CPU as well as wall).

A subprocess may use at most ``--memory-limit`` GiB of address space (the floors excepted): one that
needs more fails with MemoryError and is reported as over the limit, instead of taking the shared
machine's memory. Figures and how to read them: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # captures.py and make_log.py, imported where used (not in the subprocesses)

CANONICAL = "canonical"
WARM_UP = 1_000
LONG = 60.0
"""Seconds: a measurement that takes longer is not repeated (the machine's noise is then a small part)."""
HUGE = 10_000_000
BARE_WHAT = {
    "lines": "orjson.loads of each line",
    "sse": "orjson.loads of each data: line",
    "array": "orjson.loads of the whole array",
    "csv": "csv.reader rows",
}
SECTIONS = ("readers", "canonical", "ledger", "tally", "floors", "parquet")


# --- in the subprocess --------------------------------------------------------------------------


def _bare(path: str, layout: str) -> dict[str, Any]:
    """Parse every record of ``path`` as its layout requires, and nothing else."""
    import orjson

    loads, records = orjson.loads, 0
    if layout == "csv":
        with open(path, newline="", encoding="utf-8") as text:
            return {"records": sum(1 for _ in csv.reader(text)) - 1}  # the header is no record
    with open(path, "rb") as stream:
        if layout == "array":
            records = len(loads(stream.read()))
        elif layout == "sse":
            for line in stream:
                if line.startswith(b"data:"):
                    loads(line[5:])
                    records += 1
        else:
            for line in stream:
                if line.strip():
                    loads(line)
                    records += 1
    return {"records": records}


def _start() -> None:
    """What any valuation does once, whatever the file: load the plugins and the ECB rates."""
    import livemoney as lm
    from livemoney.core.fx import ecb_rates

    lm.default_manager()
    ecb_rates()


def _counts(report: Any) -> dict[str, Any]:
    return {
        "records": report.records,
        "events": report.events,
        "without_money": sum(report.without_money.values()),
        "not_read": sum(report.not_read.values()),
        "rejected": report.rejected,
        "duplicates": report.duplicates,
    }


def _value(path: str, ledger: str | None = None) -> dict[str, Any]:
    import livemoney as lm

    return _counts(lm.value(path, progress=False, on_error="skip", ledger=ledger))


def _tally_records(path: str) -> list[Any]:
    from livemoney.core.models import Rejected
    from livemoney.core.records import iter_records

    with open(path, "rb") as stream:
        return [item[1] for item in iter_records(stream, path) if not isinstance(item, Rejected)]


def _tally(path: str, reader: str, records: list[Any]) -> tuple[dict[str, Any], float, float]:
    """Feed ``records`` to a `LiveTally` one at a time; the warm-up is not timed."""
    import livemoney as lm
    from livemoney.errors import ReaderError

    try:
        tally = lm.LiveTally(format=reader)
    except ReaderError:
        return {"error": f"{reader}: no live decoder"}, 0.0, 0.0
    warm_up = min(WARM_UP, len(records) // 10)  # a response or page holds many events: fewer records
    for record in records[:warm_up]:
        tally.add(record)
    before = tally.report().records
    add = tally.add
    wall, cpu = time.perf_counter(), time.process_time()
    for record in records[warm_up:]:
        add(record)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tally.flush()
    report = tally.report()
    return {"fed": len(records) - warm_up, "items": report.records - before, **_counts(report)}, wall, cpu


DUCKDB_SQL = """
SELECT platform, type, gift, feature, currency, substr(ts, 1, 10) AS day,
       count(*) AS events, sum(coalesce("count", 1)) AS units, sum(TRY_CAST(amount AS DECIMAL(38, 10))) AS amount
FROM read_json(?, format = 'newline_delimited', columns = {
    type: 'VARCHAR', platform: 'VARCHAR', gift: 'VARCHAR', feature: 'VARCHAR', count: 'BIGINT',
    amount: 'VARCHAR', currency: 'VARCHAR', viewer: 'VARCHAR', ts: 'VARCHAR', id: 'VARCHAR'})
GROUP BY ALL
"""


def _parquet(path: str) -> dict[str, Any]:
    from livemoney.engine.columnar import value_parquet

    return _counts(value_parquet(path, on_error="skip"))


def _duckdb(path: str) -> dict[str, Any]:
    import duckdb

    rows = duckdb.connect().execute(DUCKDB_SQL, [path]).fetchall()
    return {"records": sum(row[6] for row in rows), "keys": len(rows)}


def _polars(path: str) -> dict[str, Any]:
    import polars as pl

    schema = {
        name: pl.String for name in ("type", "platform", "gift", "feature", "amount", "currency", "viewer", "ts", "id")
    }
    schema["count"] = pl.Int64
    frame = (
        pl.scan_ndjson(path, schema=schema)
        .group_by("platform", "type", "gift", "feature", "currency", pl.col("ts").str.slice(0, 10).alias("day"))
        .agg(
            pl.len().alias("events"),
            pl.col("count").fill_null(1).sum().alias("units"),
            pl.col("amount").str.to_decimal(scale=10).sum().alias("amount"),
        )
        .collect()
    )
    return {"records": int(frame["events"].sum()), "keys": frame.height}


def _python_floor(path: str, ids: bool = False) -> dict[str, Any]:
    """The least a valuation of the canonical log written in Python does, with nothing checked: each
    chunk of 1 MiB decoded at once by livemoney's typed decoder (`schema.line_decoder`, ``decode_lines``,
    in C: quicker than ``orjson.loads`` of each line), then for each line its raw valuation key (its
    `schema.RAW_FIELDS`) looked up in a dict, its id hashed, and its viewer's running sum added to. With
    ``ids``, the ids of each chunk also go into livemoney's index of every id (`SeenIds.hashes_if_new`
    and `put_new`, as the valuer's chunk path does), each with its event's fingerprint (the hash of its
    key, time and viewer): what catching a repeat anywhere in the input (issue 12, item 2) costs at least.

    It leaves out what the valuer does besides: the checks of a line, the valuation of each key, the sums
    per minute, the report (and, without ``ids``, the index of every id). What it takes is the floor under
    any valuation written in Python."""
    import itertools
    import operator
    from collections import deque

    import livemoney as lm
    import msgspec
    from livemoney.core.schema import RAW_FIELDS, line_decoder
    from livemoney.engine.readers import KnownPlatforms
    from livemoney.engine.seen import SeenIds

    decode = line_decoder(KnownPlatforms(lm.default_manager()).keys, nulls=False).decode_lines
    raw = itertools.repeat(slice(len(RAW_FIELDS)))
    key_of, viewer_of = msgspec.structs.astuple, operator.attrgetter("viewer")
    id_of, ts_of, platform_of = operator.attrgetter("id"), operator.attrgetter("ts"), operator.attrgetter("platform")
    keys: dict[tuple, int] = {}
    viewers: dict[Any, int] = {}
    index = SeenIds()
    records = 0
    rest = b""
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            chunk = rest + chunk
            cut = chunk.rfind(b"\n") + 1  # whole lines; the rest goes with the next chunk
            chunk, rest = chunk[:cut], chunk[cut:]
            items = decode(chunk)
            entries = list(map(keys.setdefault, map(operator.getitem, map(key_of, items), raw), itertools.repeat(1)))
            names = list(map(viewer_of, items))
            if ids:
                new = index.hashes_if_new(list(map(id_of, items)))
                if new is None:
                    raise ValueError(f"{path}: an id repeated (the floor takes a log of distinct ids)")
                prints = map(hash, zip(map(hash, entries), map(ts_of, items), names))
                index.put_new(new, prints, list(map(platform_of, items)))
            else:
                deque(map(hash, map(id_of, items)), maxlen=0)  # each id hashed, in C, nothing kept
            total_of = viewers.get
            for viewer, entry in zip(names, entries):
                viewers[viewer] = total_of(viewer, 0) + entry
            records += len(items)
        if rest.strip():
            records += len(decode(rest))
    return {"records": records, "keys": len(keys)}


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in this process (set-up untimed, timed apart as ``start``)."""
    what, path = spec["what"], spec["path"]
    if spec.get("memory_limit"):
        limit = int(spec["memory_limit"] * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    began = time.perf_counter()
    extra: dict[str, Any] = {}
    if what in ("value", "ledger", "tally", "parquet", "python", "python_ids"):
        _start()
    if what == "parquet":
        import duckdb  # noqa: F401 - loading the engine is set-up, as loading the plugins
        import pyarrow  # noqa: F401
    if what == "value":
        from livemoney.engine.readers import detect

        extra["reader"] = detect(path).name
    if what in ("duckdb", "polars"):
        __import__(what)
    records = _tally_records(path) if what == "tally" else None
    ledger = None
    if what == "ledger":
        ledger = os.path.join(tempfile.mkdtemp(prefix="lm-bench-"), "ledger.sqlite")
    start = time.perf_counter() - began
    wall, cpu = time.perf_counter(), time.process_time()
    if what == "bare":
        found = _bare(path, spec["layout"])
    elif what in ("value", "ledger"):
        found = _value(path, ledger)
    elif what == "tally":
        found, wall, cpu = _tally(path, spec["reader"], records)
    elif what == "duckdb":
        found = _duckdb(path)
    elif what == "polars":
        found = _polars(path)
    elif what in ("python", "python_ids"):
        found = _python_floor(path, ids=what == "python_ids")
    elif what == "parquet":
        found = _parquet(path)
    else:
        raise ValueError(f"unknown measurement {what!r}")
    if what != "tally":
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if "error" in found:
        return found
    if ledger is not None:
        extra["ledger_mb"] = os.path.getsize(ledger) / 1e6
        os.remove(ledger)
        os.rmdir(os.path.dirname(ledger))
    return {**found, **extra, "wall": wall, "cpu": cpu, "start": start, "peak_mib": peak_mib()}


def peak_mib() -> float:
    """This program's peak resident memory: Linux's ``VmHWM``, else ``ru_maxrss``.

    On Linux ``ru_maxrss`` keeps the parent's peak across fork and exec (the bench process may have grown
    while making captures), ``VmHWM`` counts this program's own pages only."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_main(argument: str) -> None:
    spec = json.loads(argument)
    try:
        result = child(spec)
    except MemoryError:
        result = {"error": f"over the memory limit ({spec.get('memory_limit')} GiB)"}
    print(json.dumps(result))


# --- in the parent ------------------------------------------------------------------------------


BEGAN = time.perf_counter()


def log(text: str) -> None:
    """Progress on stderr, with the minutes since the start."""
    print(f"[{(time.perf_counter() - BEGAN) / 60:5.1f} min] {text}", file=sys.stderr, flush=True)


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True, check=False
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        if "MemoryError" in done.stderr:
            tail = f"over the memory limit ({spec.get('memory_limit')} GiB)"
        return {"error": tail}
    return json.loads(lines[-1])


def measure(specs: dict[str, dict[str, Any]], repeat: int) -> dict[str, dict[str, Any]]:
    """Each spec run ``repeat`` times, in turns (a spec whose run took over `LONG` seconds, or failed,
    runs no more); of each, the fastest CPU time, the fastest wall time and the largest peak memory."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in specs}
    for _ in range(repeat):
        for name, spec in specs.items():
            if runs[name] and ("error" in runs[name][-1] or runs[name][-1]["wall"] > LONG):
                continue
            runs[name].append(run_child(spec))
    best = {}
    for name, found in runs.items():
        if "error" in found[-1]:
            best[name] = found[-1]
            continue
        fastest = min(found, key=lambda run: run["cpu"])
        best[name] = {
            **fastest,
            "wall": min(run["wall"] for run in found),
            "peak_mib": max(run["peak_mib"] for run in found),
            "runs": len(found),
        }
    return best


def ratio(a: dict[str, Any], b: dict[str, Any], key: str) -> float | None:
    if "error" in a or "error" in b or not b[key]:
        return None
    return a[key] / b[key]


def capture_path(name: str, events: int) -> tuple[Path, dict[str, Any]]:
    """The capture file of ``name`` at ``events`` events (made when missing) and its metadata."""
    import captures
    import make_log

    if name == CANONICAL:
        path = make_log.default_path(events)
        if not path.exists():
            subprocess.run([sys.executable, str(HERE / "make_log.py"), "--events", str(events)], check=True)
        return path, {"records": events, "layout": "lines", "reader": "jsonl", "events": events}
    path = captures.make(name, events)
    return path, captures.read_meta(path)


def bench_file(name: str, events: int, repeat: int, limit: float) -> dict[str, Any]:
    path, meta = capture_path(name, events)
    log(f"{name} {events:,}: {path.name} ({path.stat().st_size / 1e6:,.0f} MB) ...")
    base = {"path": str(path), "memory_limit": limit}
    found = measure(
        {"bare": {**base, "what": "bare", "layout": meta["layout"]}, "value": {**base, "what": "value"}},
        1 if events >= HUGE else repeat,
    )
    bare, valued = found["bare"], found["value"]
    problems = []
    if "error" not in valued:
        if valued["reader"] != meta["reader"]:
            problems.append(f"read by {valued['reader']}, not {meta['reader']}")
        if valued["records"] != events:
            problems.append(f"{valued['records']:,} records accounted for, {events:,} written")
    if "error" not in bare and bare["records"] != meta["records"]:
        problems.append(f"bare parse saw {bare['records']:,} records, {meta['records']:,} written")
    return {
        "format": name,
        "events": events,
        "records": meta["records"],
        "layout": meta["layout"],
        "mb": path.stat().st_size / 1e6,
        "bare": bare,
        "value": valued,
        "problems": problems,
    }


def bench_ledger(events: int, repeat: int, limit: float) -> dict[str, Any]:
    path, _ = capture_path(CANONICAL, events)
    log(f"ledger: {path.name} with and without --ledger ...")
    base = {"path": str(path), "memory_limit": limit}
    found = measure({"value": {**base, "what": "value"}, "ledger": {**base, "what": "ledger"}}, repeat)
    return {"events": events, **found}


def bench_tally(name: str, events: int, repeat: int, limit: float, bare: dict[str, Any] | None) -> dict[str, Any]:
    """LiveTally on the capture ``name``; ``bare``: its bare parse, if the readers section measured it."""
    path, meta = capture_path(name, events)
    log(f"tally {name}: {path.name} ...")
    base = {"path": str(path), "memory_limit": limit}
    specs = {"tally": {**base, "what": "tally", "reader": meta["reader"]}}
    if bare is None:
        specs["bare"] = {**base, "what": "bare", "layout": meta["layout"]}
    found = measure(specs, repeat)
    return {
        "format": name,
        "reader": meta["reader"],
        "records": meta["records"],
        "events": events,
        "bare": bare,
        **found,
    }


PARQUET_SQL = """
COPY (SELECT {columns} FROM read_json(?, format = 'newline_delimited', columns = {{{types}}}))
TO '{out}' (FORMAT parquet, COMPRESSION zstd)
"""


def parquet_path(events: int) -> Path:
    """The canonical log of ``events`` events as a Parquet file of livemoney's schema (made when missing)."""
    import duckdb
    import make_log
    from livemoney.core.schema import EVENT_COLUMNS

    jsonl, _ = capture_path(CANONICAL, events)
    path = make_log.default_path(events).with_suffix(".parquet")
    if not path.exists():
        part = path.with_name(f"{path.name}.part")
        # Each column as the JSON log writes it (amounts as their decimal text); the time read as UTC.
        types = ", ".join(f"{c.name}: 'BIGINT'" if c.json == "count" else f"{c.name}: 'VARCHAR'" for c in EVENT_COLUMNS)
        columns = ", ".join(
            "CAST(ts AS TIMESTAMPTZ) AS ts" if c.json == "time" else f'"{c.name}"' for c in EVENT_COLUMNS
        )
        connection = duckdb.connect()
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute(PARQUET_SQL.format(columns=columns, types=types, out=part), [str(jsonl)])
        os.replace(part, path)
        log(f"{path.name}: {path.stat().st_size / 1e6:,.0f} MB from {jsonl.name}")
    return path


def bench_parquet(events: int, repeat: int, limit: float) -> dict[str, Any]:
    """The Parquet file of the canonical log valued with DuckDB, against the bare parse of the log's JSON."""
    log_path, _ = capture_path(CANONICAL, events)
    path = parquet_path(events)
    log(f"parquet: {path.name} with DuckDB, {log_path.name} bare ...")
    found = measure(
        {
            "bare": {"path": str(log_path), "what": "bare", "layout": "lines", "memory_limit": limit},
            "parquet": {"path": str(path), "what": "parquet"},
        },
        1 if events >= HUGE else repeat,
    )
    problems = []
    if "error" not in found["parquet"] and found["parquet"]["records"] != events:
        problems.append(f"{found['parquet']['records']:,} records accounted for, {events:,} written")
    return {
        "events": events,
        "mb": path.stat().st_size / 1e6,
        "jsonl_mb": log_path.stat().st_size / 1e6,
        "problems": problems,
        **found,
    }


def bench_floors(events: int, repeat: int, limit: float) -> dict[str, Any]:
    path, _ = capture_path(CANONICAL, events)
    log(f"floors: {path.name} through livemoney, a Python floor, DuckDB and Polars ...")
    base = {"path": str(path)}
    specs = {
        "bare": {**base, "what": "bare", "layout": "lines", "memory_limit": limit},
        "value": {**base, "what": "value", "memory_limit": limit},
        "python": {**base, "what": "python", "memory_limit": limit},
        "python_ids": {**base, "what": "python_ids", "memory_limit": limit},
    }
    for engine in ("duckdb", "polars"):
        try:
            __import__(engine)
        except ImportError:
            continue
        specs[engine] = {**base, "what": engine}
    found = measure(specs, 1 if events >= HUGE else repeat)
    return {"events": events, **found}


# --- tables -------------------------------------------------------------------------------------


def _f(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _size(events: int) -> str:
    digits = str(events)
    return f"10^{len(digits) - 1}" if digits.strip("0") == "1" else f"{events:,}"


def reader_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    header = [
        "input",
        "events",
        "records",
        "MB",
        "bare parse",
        "bare CPU s",
        "value CPU s",
        "ratio CPU",
        "ratio wall",
        "µs/event (CPU)",
        "value MiB",
        "bare MiB",
        "counted: events / no money / not read / rejected",
    ]
    rows = []
    for result in results:
        bare, valued = result["bare"], result["value"]
        counts = (
            valued.get("error", "")
            if "error" in valued
            else f"{valued['events']:,} / {valued['without_money']:,} / {valued['not_read']:,} / {valued['rejected']:,}"
        )
        if result["problems"]:
            counts += " (" + "; ".join(result["problems"]) + ")"
        rows.append(
            [
                result["format"],
                _size(result["events"]),
                f"{result['records']:,}",
                _f(result["mb"], 0),
                BARE_WHAT[result["layout"]],
                _f(bare.get("cpu")),
                _f(valued.get("cpu")),
                _f(ratio(valued, bare, "cpu"), 1),
                _f(ratio(valued, bare, "wall"), 1),
                _f(None if "error" in valued else valued["cpu"] / result["events"] * 1e6, 1),
                _f(valued.get("peak_mib"), 0),
                _f(bare.get("peak_mib"), 0),
                counts,
            ]
        )
    return header, rows


def growth_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Peak memory of ``value`` by size, and its ratio from the smallest size to the largest."""
    by_format: dict[str, dict[int, dict[str, Any]]] = {}
    for result in results:
        by_format.setdefault(result["format"], {})[result["events"]] = result["value"]
    sizes = sorted({result["events"] for result in results})
    header = ["input", *(f"value MiB at {_size(size)}" for size in sizes), "ratio", "µs/event ratio"]
    rows = []
    for name, found in by_format.items():
        if len(found) < 2:
            continue
        small, large = found[min(found)], found[max(found)]
        per_event = None
        if "error" not in small and "error" not in large:
            per_event = (large["cpu"] / max(found)) / (small["cpu"] / min(found))
        rows.append(
            [
                name,
                *(_f(found[size].get("peak_mib"), 0) if size in found else "" for size in sizes),
                _f(ratio(large, small, "peak_mib")),
                _f(per_event),
            ]
        )
    return header, rows


def ledger_rows(result: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    plain, ledger = result["value"], result["ledger"]
    header = [
        "canonical events",
        "value CPU s",
        "with --ledger CPU s",
        "speed with/without (CPU)",
        "speed with/without (wall)",
        "events/s with ledger",
        "ledger MB",
        "MiB with ledger",
    ]
    row = [
        _size(result["events"]),
        _f(plain.get("cpu")),
        _f(ledger.get("cpu")),
        _f(ratio(plain, ledger, "cpu")),
        _f(ratio(plain, ledger, "wall")),
        _f(None if "error" in ledger else result["events"] / ledger["wall"], 0),
        _f(ledger.get("ledger_mb"), 0),
        _f(ledger.get("peak_mib"), 0),
    ]
    if "error" in ledger:
        row[-1] = ledger["error"]
    return header, [row]


def tally_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    header = [
        "input",
        "reader",
        "records fed",
        "µs a record",
        "µs an event",
        "bare µs a record",
        "ratio to bare",
        "MiB (records held)",
    ]
    rows = []
    for result in results:
        tally, bare = result["tally"], result["bare"]
        if "error" in tally:
            rows.append([result["format"], result["reader"], "", tally["error"], "", "", "", ""])
            continue
        per_record = tally["cpu"] / tally["fed"] * 1e6
        bare_record = None if "error" in bare else bare["cpu"] / result["records"] * 1e6
        rows.append(
            [
                result["format"],
                result["reader"],
                f"{tally['fed']:,}",
                _f(per_record, 1),
                _f(tally["cpu"] / tally["items"] * 1e6 if tally["items"] else None, 1),
                _f(bare_record, 2),
                _f(per_record / bare_record if bare_record else None, 0),
                _f(tally["peak_mib"], 0),
            ]
        )
    return header, rows


ENGINES = {
    "bare": "bare parse",
    "value": "livemoney value",
    "python": "Python floor (typed decode, key, id hash, viewer sums)",
    "python_ids": "Python floor with the index of every id",
    "duckdb": "DuckDB read_json",
    "polars": "Polars scan_ndjson",
}


def floor_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    header = ["canonical events", "engine", "CPU s", "wall s", "ratio CPU", "ratio wall", "peak MiB"]
    rows = []
    for result in results:
        bare = result["bare"]
        for engine, label in ENGINES.items():
            if engine not in result:
                continue
            found = result[engine]
            if "error" in found:
                rows.append([_size(result["events"]), label, found["error"], "", "", "", ""])
                continue
            rows.append(
                [
                    _size(result["events"]),
                    label,
                    _f(found["cpu"]),
                    _f(found["wall"]),
                    _f(ratio(found, bare, "cpu")),
                    _f(ratio(found, bare, "wall")),
                    _f(found["peak_mib"], 0),
                ]
            )
    return header, rows


def parquet_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    header = [
        "events",
        "Parquet MB",
        "JSONL MB",
        "bare CPU s",
        "bare wall s",
        "DuckDB CPU s",
        "DuckDB wall s",
        "ratio CPU",
        "ratio wall",
        "DuckDB MiB",
        "bare MiB",
        "counted: events / rejected",
    ]
    rows = []
    for result in results:
        bare, found = result["bare"], result["parquet"]
        counted = found.get("error", "") if "error" in found else f"{found['events']:,} / {found['rejected']:,}"
        if result["problems"]:
            counted += " (" + "; ".join(result["problems"]) + ")"
        rows.append(
            [
                _size(result["events"]),
                _f(result["mb"], 0),
                _f(result["jsonl_mb"], 0),
                _f(bare.get("cpu")),
                _f(bare.get("wall")),
                _f(found.get("cpu")),
                _f(found.get("wall")),
                _f(ratio(found, bare, "cpu")),
                _f(ratio(found, bare, "wall")),
                _f(found.get("peak_mib"), 0),
                _f(bare.get("peak_mib"), 0),
                counted,
            ]
        )
    return header, rows


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip() for line in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    numeric = [rows and all(_numeric(row[index]) for row in rows) for index in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if right else "---" for right in numeric) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _numeric(cell: str) -> bool:
    """A figure (``1,234.5``, ``10^5``, ``-``) or nothing, right-aligned in Markdown."""
    return cell in ("-", "") or cell.replace(",", "").replace(".", "").replace("^", "").lstrip("-").isdigit()


def machine() -> str:
    import msgspec
    import orjson

    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, orjson {orjson.__version__}, "
        f"msgspec {msgspec.__version__}, {platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child_main(argv[1])
        return
    import captures

    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--events", type=int, nargs="+", default=[100_000], help="capture sizes (default 10^5)")
    parser.add_argument(
        "--canonical",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000],
        help="canonical log sizes (default 10^5 and 10^6); the floors run at those of 10^6 and up, else at the largest",
    )
    parser.add_argument("--huge", action="store_true", help="and the canonical log at 10^7 events (1.3 GB, minutes)")
    parser.add_argument(
        "--formats",
        nargs="+",
        choices=list(captures.FORMATS),
        default=list(captures.FORMATS),
        metavar="FORMAT",
        help="capture formats (default: all)",
    )
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="sections to run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    parser.add_argument("--memory-limit", type=float, default=8.0, help="GiB of address space a subprocess may use")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as Markdown")
    parser.add_argument("--json", type=Path, help="write every measurement to this file")
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="measure nothing: print the tables of runs saved with --json (their sections merged; a measurement is taken from the first file that has it)",
    )
    args = parser.parse_args(argv)
    if args.report:
        results = merge_runs([json.loads(path.read_text()) for path in args.report])
        print(
            f"livemoney benchmarks, {results['date']}, {results['machine']}, runs: {', '.join(map(str, args.report))}"
        )
        print_tables(tables_of(results), args.markdown)
        return
    canonical_sizes = sorted(set(args.canonical) | ({HUGE} if args.huge else set()))
    began = time.perf_counter()
    results = {"date": dt.date.today().isoformat(), "machine": machine(), "argv": sys.argv[1:]}
    limit = args.memory_limit
    if "readers" in args.only:
        results["readers"] = [
            bench_file(name, events, args.repeat, limit) for events in sorted(args.events) for name in args.formats
        ]
    if "canonical" in args.only:
        results["canonical"] = [bench_file(CANONICAL, events, args.repeat, limit) for events in canonical_sizes]
    if "ledger" in args.only:
        results["ledger"] = bench_ledger(canonical_sizes[0], args.repeat, limit)
    if "tally" in args.only:
        size = min(args.events)
        measured = {
            (result["format"], result["events"]): result["bare"]
            for result in results.get("readers", []) + results.get("canonical", [])
        }
        results["tally"] = [
            bench_tally(name, size, args.repeat, limit, measured.get((name, size)))
            for name in [*args.formats, CANONICAL]
        ]
    if "parquet" in args.only:
        try:
            __import__("duckdb")
            __import__("pyarrow")
        except ImportError:
            log("parquet: DuckDB or pyarrow is not installed (make bench installs them); left out")
        else:
            results["parquet"] = [
                bench_parquet(events, args.repeat, limit) for events in canonical_sizes if events >= 1_000_000
            ]
    if "floors" in args.only:
        # At the canonical sizes of 10^6 and up (a smaller log is mostly start-up), else at the largest given.
        floor_sizes = [events for events in canonical_sizes if events >= 1_000_000] or canonical_sizes[-1:]
        results["floors"] = [bench_floors(events, args.repeat, limit) for events in floor_sizes]
    print(
        f"livemoney benchmarks, {results['date']}, {results['machine']}, repeat {args.repeat}, "
        f"{(time.perf_counter() - began) / 60:.1f} min"
    )
    print_tables(tables_of(results), args.markdown)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


Tables = list[tuple[str, tuple[list[str], list[list[str]]]]]


def tables_of(results: dict[str, Any]) -> Tables:
    """The tables of a run's ``results`` (or of runs merged by `merge_runs`), the targets' last."""
    tables: Tables = []
    readers = results.get("readers")
    if readers:
        tables.append(("Readers: livemoney.value(FILE) against a bare parse of the same file", reader_rows(readers)))
        if len({result["events"] for result in readers}) > 1:
            tables.append(("Peak memory of value, by size", growth_rows(readers)))
    canonical = results.get("canonical")
    if canonical:
        tables.append(("Canonical JSON Lines (make_log.py)", reader_rows(canonical)))
        if len({result["events"] for result in canonical}) > 1:
            tables.append(("Peak memory of value on the canonical log, by size", growth_rows(canonical)))
    if results.get("ledger"):
        ledger = results["ledger"]
        tables.append((f"--ledger against without, canonical {_size(ledger['events'])}", ledger_rows(ledger)))
    if results.get("tally"):
        size = _size(results["tally"][0]["events"])
        tables.append((f"LiveTally.add, one record at a time ({size}-event captures)", tally_rows(results["tally"])))
    if results.get("parquet"):
        title = "Parquet with DuckDB against the bare parse of the same events as JSON Lines"
        tables.append((title, parquet_rows(results["parquet"])))
    if results.get("floors"):
        tables.append(
            ("Floors: the canonical log through a Python floor, DuckDB and Polars", floor_rows(results["floors"]))
        )
    header, rows = target_rows(results)
    if rows:
        tables.append(("Against issue 12's targets", (header, rows)))
    return tables


def print_tables(tables: Tables, markdown: bool) -> None:
    for title, (header, rows) in tables:
        print(f"\n{title}\n\n{plain_table(header, rows)}")
    if markdown:
        for title, (header, rows) in tables:
            print(f"\n### {title}\n\n{markdown_table(header, rows)}")


def merge_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Runs saved with ``--json`` as one: a measurement (section, input, size) from the first run that has it."""
    merged: dict[str, Any] = {
        "date": " and ".join(dict.fromkeys(run["date"] for run in runs)),
        "machine": runs[0]["machine"],
    }
    for section in ("readers", "canonical", "tally", "parquet", "floors"):
        seen: set[tuple[Any, Any]] = set()
        for run in runs:
            for result in run.get(section, []):
                key = (result.get("format"), result["events"])
                if key not in seen:
                    seen.add(key)
                    merged.setdefault(section, []).append(result)
    ledgers = [run["ledger"] for run in runs if run.get("ledger")]
    if ledgers:
        merged["ledger"] = ledgers[0]
    for section in ("readers", "canonical", "tally", "parquet", "floors"):
        if section in merged:
            merged[section].sort(key=lambda result: result["events"])
    return merged


TARGETS = {
    "reader_ratio": 4.0,
    "reader_mib": 200.0,
    "reader_growth": 1.2,
    "canonical_ratio": 2.0,
    "parquet_ratio": 1.0,
    "ledger_speed": 0.5,
    "tally_us": 10.0,
}
"""Issue 12's "Done when": times as ratios to the bare parse of the same file (at most), memory in MiB (under),
its growth from 10^5 to 10^6 events (at most), the ledger's speed with/without (at least), µs a record."""


def target_rows(results: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Each of issue 12's targets against what the run measured: CPU and wall; met or not by CPU time (the
    machine is shared: wall time carries the other processes' load) and by peak memory."""
    header = ["target", "input", "limit", "CPU", "wall", "met"]
    rows: list[list[str]] = []

    def row(target: str, name: str, limit: str, cpu: float | None, wall: float | None, met: bool | None) -> None:
        verdict = "-" if met is None else ("yes" if met else "NO")
        rows.append([target, name, limit, _f(cpu), _f(wall), verdict])

    readers = results.get("readers", [])
    largest = max((result["events"] for result in readers), default=0)
    by_format: dict[str, dict[int, dict[str, Any]]] = {}
    for result in readers:
        by_format.setdefault(result["format"], {})[result["events"]] = result
    for name, sizes in by_format.items():
        if largest not in sizes:
            continue
        result = sizes[largest]
        bare, valued = result["bare"], result["value"]
        cpu, wall = ratio(valued, bare, "cpu"), ratio(valued, bare, "wall")
        met = None if cpu is None else cpu <= TARGETS["reader_ratio"]
        row(f"reader at {_size(largest)}: x bare parse", name, f"<= {TARGETS['reader_ratio']}", cpu, wall, met)
        peak = valued.get("peak_mib")
        rows.append(
            [
                f"reader at {_size(largest)}: peak MiB",
                name,
                f"< {TARGETS['reader_mib']:.0f}",
                _f(peak, 0),
                "",
                "-" if peak is None else ("yes" if peak < TARGETS["reader_mib"] else "NO"),
            ]
        )
        smaller = [size for size in sizes if size < largest]
        if smaller:
            growth = ratio(valued, sizes[max(smaller)]["value"], "peak_mib")
            rows.append(
                [
                    f"reader: peak MiB {_size(largest)} / {_size(max(smaller))}",
                    name,
                    f"<= {TARGETS['reader_growth']}",
                    _f(growth),
                    "",
                    "-" if growth is None else ("yes" if growth <= TARGETS["reader_growth"] else "NO"),
                ]
            )
    for result in results.get("canonical", []):
        if result["events"] == 1_000_000:
            cpu, wall = ratio(result["value"], result["bare"], "cpu"), ratio(result["value"], result["bare"], "wall")
            met = None if cpu is None else cpu <= TARGETS["canonical_ratio"]
            row("canonical JSONL at 10^6: x bare parse", CANONICAL, f"<= {TARGETS['canonical_ratio']}", cpu, wall, met)
    for result in results.get("parquet", []):
        if result["events"] == HUGE:
            cpu, wall = (
                ratio(result["parquet"], result["bare"], "cpu"),
                ratio(result["parquet"], result["bare"], "wall"),
            )
            met = None if cpu is None else cpu <= TARGETS["parquet_ratio"]
            row(
                "Parquet at 10^7 with DuckDB: x bare parse",
                "log-1e7.parquet",
                f"<= {TARGETS['parquet_ratio']}",
                cpu,
                wall,
                met,
            )
    ledger = results.get("ledger")
    if ledger:
        cpu, wall = ratio(ledger["value"], ledger["ledger"], "cpu"), ratio(ledger["value"], ledger["ledger"], "wall")
        met = None if cpu is None else cpu >= TARGETS["ledger_speed"]
        name = f"canonical {_size(ledger['events'])}"
        row("--ledger: speed with / without", name, f">= {TARGETS['ledger_speed']}", cpu, wall, met)
    for result in results.get("tally", []):
        tally = result["tally"]
        name = f"{result['format']} ({result['reader']})"
        if "error" in tally:
            rows.append(["LiveTally: µs a record", name, f"<= {TARGETS['tally_us']:.0f}", tally["error"], "", "-"])
            continue
        cpu_us, wall_us = tally["cpu"] / tally["fed"] * 1e6, tally["wall"] / tally["fed"] * 1e6
        limit = TARGETS["tally_us"]
        row("LiveTally: µs a record", name, f"<= {limit:.0f}", cpu_us, wall_us, cpu_us <= limit)
    return header, rows


if __name__ == "__main__":
    main()
