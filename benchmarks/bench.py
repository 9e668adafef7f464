"""Speed and memory of `livemoney value` against a bare JSON parse of the same log.

    python benchmarks/bench.py                                   # 10^5 and 10^6 events
    python benchmarks/bench.py --events 100000 1000000 10000000  # and 10^7 (minutes; 1.3 GB of log)

For each size it makes the log if missing (benchmarks/make_log.py), then runs, each in a fresh
subprocess: a bare ``orjson.loads`` of every line, and ``livemoney.value(FILE)`` (what ``livemoney value
FILE`` does, without printing). It prints the wall and CPU seconds of each, their ratio, and each
process's peak resident memory (``ru_maxrss``). What any valuation does once (loading the plugins and
the ECB rates, about 0.4 s) is timed apart, as ``start``. With ``--repeat N`` each is run N times and the fastest
counts (the machine may be shared). Results in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bare(path: str) -> int:
    import orjson

    loads = orjson.loads
    count = 0
    with open(path, "rb") as stream:
        for line in stream:
            loads(line)
            count += 1
    return count


def _value(path: str) -> int:
    import livemoney as lm

    return lm.value(path, progress=False).read


def _start() -> None:
    """What any valuation does once, whatever the log: load the plugins and the ECB rates."""
    import livemoney as lm
    from livemoney.core.fx import ecb_rates

    lm.default_manager()
    ecb_rates()


def child(what: str, path: str) -> None:
    """Run one measurement in this process and print it as JSON (the start-up is timed apart)."""
    work = {"bare": _bare, "value": _value}[what]
    started = time.perf_counter()
    if what == "value":
        _start()
    started = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    lines = work(path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"lines": lines, "wall": wall, "cpu": cpu, "start": started, "peak_mib": peak_kib / 1024}))


def run_child(what: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", what, str(path)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{what} {path} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def measure(path: Path, repeat: int) -> tuple[dict, dict]:
    """The bare parse and the valuation, each the fastest of ``repeat`` runs in fresh subprocesses, run
    in turns so that both see the same load on a shared machine (peak memory: the largest seen)."""
    runs: dict[str, list[dict]] = {"bare": [], "value": []}
    for _ in range(repeat):
        for what, found in runs.items():
            found.append(run_child(what, path))
    best = []
    for found in runs.values():
        fastest = min(found, key=lambda run: run["cpu"])
        best.append({**fastest, "peak_mib": max(run["peak_mib"] for run in found)})
    return best[0], best[1]


def log_for(events: int) -> Path:
    """The benchmark log of ``events`` events, made by make_log.py when missing."""
    sys.path.insert(0, str(HERE))
    from make_log import default_path

    path = default_path(events)
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "make_log.py"), "--events", str(events)], check=True)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000], help="log sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    header = (f"{'events':>10}  {'bare wall s':>11}  {'value wall s':>12}  {'ratio':>5}  {'bare cpu s':>10}  "
              f"{'value cpu s':>11}  {'ratio':>5}  {'start s':>7}  {'bare MiB':>8}  {'value MiB':>9}")
    print(header)
    peaks = {}
    for events in args.events:
        path = log_for(events)
        repeat = 1 if events >= 10_000_000 else args.repeat
        bare, valued = measure(path, repeat)
        if valued["lines"] != bare["lines"]:
            raise SystemExit(f"{path}: value read {valued['lines']} lines, the bare parse {bare['lines']}")
        peaks[events] = valued["peak_mib"]
        print(f"{events:>10,}  {bare['wall']:>11.2f}  {valued['wall']:>12.2f}  {valued['wall'] / bare['wall']:>5.2f}  "
              f"{bare['cpu']:>10.2f}  {valued['cpu']:>11.2f}  {valued['cpu'] / bare['cpu']:>5.2f}  "
              f"{valued['start']:>7.2f}  {bare['peak_mib']:>8.1f}  {valued['peak_mib']:>9.1f}", flush=True)
    if len(peaks) > 1:
        smallest, largest = min(peaks), max(peaks)
        print(f"peak memory of value: {peaks[largest] / peaks[smallest]:.2f}x from {smallest:,} to {largest:,} events")


if __name__ == "__main__":
    main()
