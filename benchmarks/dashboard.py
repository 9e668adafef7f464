"""The stream dashboard's speed on a long log, against `livemoney.value` of the same log (issue 13, item 4).

    python benchmarks/dashboard.py                       # 200,000 events, 3 runs
    python benchmarks/dashboard.py --events 1000000 --repeat 1

Each run is a fresh subprocess: it loads the plugins and the ECB rates first (timed apart, ``start``), then
times, in this order, ``lm.value(LOG)`` (``value``), ``StreamDashboard(LOG)`` (``build``: reading and
valuing the log with per-event rows, and the first render), ``streams`` (the Stream control's list, an
analysis of every event made in a background thread after the first render: the time left to wait for it
once the dashboard is built) and the changes a person makes: the currency
(``currency EUR``, then ``currency JPY``), a setting (``setting``: tiktok.diamond_usd in the settings panel),
the rules' date (``as of``), the platform (``platform``: YouTube only, then all again). A change re-values
each distinct event once from the rows kept (`livemoney.engine.revalue`) and redraws every view; the log is
not read again. The fastest CPU time and the fastest wall time of the runs count; the machine is shared,
so read the ratios to ``value`` (CPU), not the seconds alone.

The log is benchmarks/make_log.py's (scripts/make_sample.py's generator: four platforms, 20,000 viewers),
made in benchmarks/data/ when missing. What is not measured: the browser's drawing of the widgets (the
kernel's side only), and the analyst's controls (date range, stream, leaderboard period: each builds a
`livemoney.engine.analytics.Analysis`, whose cost is the analysis's).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STEPS = ("value", "build", "streams", "currency EUR", "currency JPY", "setting", "as of", "platform", "platform all")


def child(log: str) -> dict[str, Any]:
    """One run: the time of each step (CPU and wall seconds)."""
    import datetime as dt

    import livemoney as lm
    from livemoney.widgets import StreamDashboard

    found: dict[str, Any] = {}

    def timed(name: str, action: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        result = action()
        found[name] = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}
        return result

    sample = lm.sample_path()
    timed("start", lambda: lm.value(sample, progress=False))  # plugins, ECB rates, caches
    report = timed("value", lambda: lm.value(log, progress=False, on_error="skip"))
    dash = timed("build", lambda: StreamDashboard(log))
    assert dash.report.net == report.net, (dash.report.net, report.net)
    timed("streams", dash.stream_names)  # found in the background after the first render
    setting = dash.model.fields["other_settings"].widget
    changes = [
        ("currency EUR", lambda: setattr(dash.currency, "value", "EUR")),
        ("currency JPY", lambda: setattr(dash.currency, "value", "JPY")),
        ("setting", lambda: setattr(setting, "value", "tiktok.diamond_usd=0.0045")),
        ("as of", lambda: setattr(dash.as_of, "value", dt.date(2026, 10, 1))),
        ("platform", lambda: setattr(dash.platform, "value", "youtube")),
        ("platform all", lambda: setattr(dash.platform, "value", "all")),
    ]
    for name, change in changes:
        timed(name, change)
        assert dash.error is None, dash.error
    fresh = lm.value(
        log,
        currency="JPY",
        as_of="2026-10-01",
        settings={"tiktok.diamond_usd": "0.0045"},
        progress=False,
        on_error="skip",
    )
    assert dash.report.to_dict() == fresh.to_dict(), "the dashboard's figures differ from valuing the log again"
    found["events"] = report.events
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000, help="events in the log (default 200,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the fastest counts")
    parser.add_argument("--json", type=Path, help="write every run to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return
    sys.path.insert(0, str(HERE))
    import make_log

    log = make_log.default_path(args.events)
    if not log.exists():
        make_log.main(["--events", str(args.events), "--out", str(log)])
    runs = []
    for number in range(args.repeat):
        print(f"run {number + 1} of {args.repeat} on {log.name} ...", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(log)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = {step: {kind: min(run[step][kind] for run in runs) for kind in ("cpu", "wall")} for step in STEPS}
    value_cpu = best["value"]["cpu"]
    print(f"\nstream dashboard on {runs[0]['events']:,} events (best of {len(runs)}; ratio = CPU / value's CPU)\n")
    print(f"{'step':<14}{'CPU s':>8}{'wall s':>9}{'ratio':>8}")
    for step in STEPS:
        cpu, wall = best[step]["cpu"], best[step]["wall"]
        print(f"{step:<14}{cpu:>8.2f}{wall:>9.2f}{cpu / value_cpu:>8.2f}")
    if args.json:
        args.json.write_text(json.dumps({"events": args.events, "runs": runs, "best": best}, indent=2) + "\n")


if __name__ == "__main__":
    main()
