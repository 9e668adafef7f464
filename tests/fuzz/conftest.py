"""The fuzz suite's helpers are plain modules beside the tests (`strategies`, `harness`); under ``FUZZ_LOG``
(``make fuzz``) the session ends with a summary of every kind of failure found, written beside the log."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import harness


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not harness.COLLECTING:
        return
    collector = harness.COLLECTOR
    write = terminalreporter.write_line
    write("")
    write("fuzz: generated " + ", ".join(f"{key} {value:,}" for key, value in sorted(collector.generated.items())))
    write(f"fuzz: {len(collector.kinds)} kinds of failure")
    for kind, found in sorted(collector.kinds.items(), key=lambda item: -item[1]["count"]):
        ways = ", ".join(f"{way} {count}" for way, count in found["ways"].most_common())
        readers = ", ".join(f"{reader} {count}" for reader, count in found["readers"].most_common())
        write(f"  {found['count']:6,}  {kind}  [{ways}] [{readers}]")
    if collector.lines:
        write(
            f"fuzz: single canonical lines that fail (each alone, then a good line): {sum(collector.lines.values()):,}"
        )
        for kind, count in collector.lines.most_common():
            write(f"  {count:6,}  {kind}")
    summary = Path(harness.os.environ["FUZZ_LOG"]).with_suffix(".summary.json")
    data = {
        "generated": dict(collector.generated),
        "single lines": dict(collector.lines),
        "kinds": {
            kind: {
                **{key: value for key, value in found.items() if key not in ("minimal", "sample")},
                "ways": dict(found["ways"]),
                "readers": dict(found["readers"]),
                "minimal": found["minimal"].decode("utf-8", "backslashreplace")[:3000] if found["minimal"] else None,
                "sample": found.get("sample", b"").decode("utf-8", "backslashreplace")[:600],
            }
            for kind, found in collector.kinds.items()
        },
    }
    summary.write_text(json.dumps(data, indent=1, ensure_ascii=True))
    write(f"fuzz: summary written to {summary}")


def pytest_sessionfinish(session, exitstatus):
    if harness.COLLECTING and harness.COLLECTOR.kinds and exitstatus == 0:
        session.exitstatus = 1
