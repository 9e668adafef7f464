"""Benchmark logs: scripts/make_sample.py's generator at scale, streamed to disk in constant memory.

    python benchmarks/make_log.py --events 1000000          # writes benchmarks/data/log-1e6.jsonl
    python benchmarks/make_log.py --events 10000000 --out /tmp/log-1e7.jsonl

A fixed pool of 20,000 viewers (so consumers' memory stays bounded), no hostile names by default. The
file appears only when complete (written as ``.part``, then renamed).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_sample", HERE.parent / "scripts" / "make_sample.py")
make_sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_sample)


def size_label(events: int) -> str:
    """``1e6`` for a power of ten, else the number itself (``250000``)."""
    digits = str(events)
    return f"1e{len(digits) - 1}" if digits.startswith("1") and set(digits[1:]) <= {"0"} and events >= 10 else digits


def default_path(events: int) -> Path:
    """``benchmarks/data/log-1e6.jsonl`` for a power of ten, else ``log-<events>.jsonl``."""
    return HERE / "data" / f"log-{size_label(events)}.jsonl"


def main(argv: list[str] | None = None) -> None:
    parser = make_sample.arguments(__doc__.splitlines()[0], events=1_000_000, viewers=20_000, hostile_names=False)
    parser.add_argument("--out", help="output file (default: benchmarks/data/log-1e6.jsonl for 10^6 events, and so on)")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else default_path(args.events)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    began = time.perf_counter()
    events = make_sample.generate(args.events, args.seed, args.start, args.hostile_names, args.platforms, args.viewers)
    with open(part, "wb") as fp:
        written = make_sample.write_jsonl(events, fp)
    os.replace(part, out)
    seconds = time.perf_counter() - began
    print(f"{out}: {written:,} events, {out.stat().st_size / 1e6:,.1f} MB in {seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
