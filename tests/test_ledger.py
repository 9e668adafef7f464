"""The SQLite ledger: one row per valued event, idempotent, and whole after a crash."""

import importlib.util
import json
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from livemoney.engine.ledger import report_of
from livemoney.engine.valuer import value
from livemoney.errors import LedgerError

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)


def rows(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM events ORDER BY key").fetchall()


@pytest.fixture
def pm():
    return testcast.manager()


def test_each_valued_event_is_one_row_and_valuing_again_adds_nothing(tmp_path, pm):
    ledger = tmp_path / "ledger.sqlite"
    first = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    assert first.ledger_rows_added == 8  # 9 events, one a duplicate id
    again = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    assert again.ledger_rows_added == 0 and len(rows(ledger)) == 8
    by_kind = {(row[1], row[2]): row for row in rows(ledger)}
    sponsorship = by_kind[("starcast", "sponsorship")]
    keys = [
        "key",
        "platform",
        "kind",
        "viewer",
        "ts",
        "event",
        "source",
        "currency",
        "gross",
        "shares",
        "net",
        "unknown",
        "reason",
        "original_amount",
        "original_currency",
        "units",
        "explain",
    ]
    record = dict(zip(keys, sponsorship))
    assert record["key"].startswith("sha256:")
    assert json.loads(record["event"]) == {
        "type": "sponsorship",
        "platform": "starcast",
        "amount": "250.00",
        "currency": "USD",
        "brand": "Acme",
        "ts": "2026-10-01T21:00:00Z",
    }
    # Exact: 250.00 USD at 1.1298 USD/EUR = 221.278102319 EUR (to 10 places); a report rounds it once.
    assert (record["currency"], record["gross"], record["net"], record["shares"]) == (
        "EUR", "221.278102319", "221.278102319", "[]")
    assert (record["original_amount"], record["original_currency"]) == ("250.00", "USD")
    with sqlite3.connect(ledger) as db:
        (lines,) = db.execute("SELECT lines FROM explanations WHERE id = ?", (record["explain"],)).fetchone()
    assert any("ECB reference rate of 2026-10-01" in line for line in json.loads(lines))
    # An event with an id: platform, id and the hash of its content (the same message twice is one row).
    assert by_kind[("testcast", "gift")][0].startswith("testcast:t1:")


def test_identical_events_without_ids_are_separate_rows(tmp_path, pm):
    line = '{"type": "like", "platform": "starcast", "count": 1}\n'
    log = tmp_path / "likes.jsonl"
    log.write_text(line * 3)
    ledger = tmp_path / "ledger.sqlite"
    assert value(log, pm=pm, ledger=ledger).ledger_rows_added == 3
    assert value(log, pm=pm, ledger=ledger).ledger_rows_added == 0


def test_the_report_of_a_ledger_is_the_report_of_its_events(tmp_path, pm):
    ledger = tmp_path / "ledger.sqlite"
    valued = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    for again in (report_of(ledger), value(ledger=ledger)):
        assert again.rows == valued.rows
        assert (again.gross, again.net, again.shares, again.originals) == (
            valued.gross,
            valued.net,
            valued.shares,
            valued.originals,
        )
        assert again.top_viewers(3) == valued.top_viewers(3)
        assert again.timeline("1min") == valued.timeline("1min")
        assert again.exact == valued.exact
        assert again.counts_line() == (
            "records 8 = events 8 + without money 0 + rejected 0; events 8 = valued 8 + duplicates 0"
        )


def test_a_ledger_keeps_one_currency_and_refuses_what_is_not_a_ledger(tmp_path, pm):
    ledger = tmp_path / "ledger.sqlite"
    value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    with pytest.raises(LedgerError, match="holds valuations with currency 'EUR', not 'USD'"):
        value(DATA / "every-kind.jsonl", currency="USD", pm=pm, ledger=ledger)
    with pytest.raises(LedgerError, match="holds valuations with as_of"):
        value(DATA / "every-kind.jsonl", currency="EUR", as_of="2026-10-01", pm=pm, ledger=ledger)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all, just text that is long enough to look like a file header" * 20)
    with pytest.raises(LedgerError, match="not a livemoney ledger"):
        value(DATA / "every-kind.jsonl", pm=pm, ledger=junk)
    with pytest.raises(LedgerError, match="no such ledger"):
        value(ledger=tmp_path / "missing.sqlite")


CRASHING_RUN = textwrap.dedent(
    """
    import os, sys, importlib.util
    import livemoney.engine.ledger
    from livemoney import hookimpl
    from livemoney.engine.valuer import value

    spec = importlib.util.spec_from_file_location("testcast", sys.argv[1])
    testcast = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(testcast)
    livemoney.engine.ledger.BATCH = 100
    crash_after = int(sys.argv[4])

    class Crash:
        calls = 0

        @hookimpl(wrapper=True)
        def livemoney_value_event(self, platform, event, context):
            result = yield
            Crash.calls += 1
            if Crash.calls == crash_after:
                os._exit(9)  # no clean-up at all, as if the power went
            return result

    value(sys.argv[2], currency="EUR", pm=testcast.manager(Crash()), ledger=sys.argv[3])
    """
)


def test_a_run_killed_midway_then_resumed_gives_the_ledger_of_one_clean_run(tmp_path):
    # Every sponsorship has its own amount, so each is valued (and counted by the hook) on its own.
    lines = [
        json.dumps(
            {
                "type": "sponsorship",
                "platform": "starcast",
                "amount": f"{Decimal(n) / 100}",
                "currency": "USD",
                "ts": "2026-10-01T12:00:00Z",
                **({"id": f"s{n}"} if n % 2 else {}),
            }
        )
        for n in range(100, 1100)
    ]
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(lines) + "\n")
    script = tmp_path / "run.py"
    script.write_text(CRASHING_RUN)

    def run(ledger, crash_after):
        return subprocess.run(
            [sys.executable, str(script), str(DATA / "testcast.py"), str(log), str(ledger), str(crash_after)],
            capture_output=True,
            text=True,
            check=False,
        )

    resumed = tmp_path / "resumed.sqlite"
    crashed = run(resumed, crash_after=550)
    assert crashed.returncode == 9, crashed.stderr
    assert len(rows(resumed)) == 500  # five batches of 100 committed, the sixth lost with the crash
    assert run(resumed, crash_after=0).returncode == 0
    clean = tmp_path / "clean.sqlite"
    assert run(clean, crash_after=0).returncode == 0
    assert len(rows(clean)) == 1000
    assert rows(resumed) == rows(clean)


def test_a_ledger_keeps_one_set_of_rates_and_one_host(tmp_path, pm):
    ledger = tmp_path / "ledger.sqlite"
    rates = tmp_path / "rates.csv"
    rates.write_text("date,base,quote,rate,source\n2026-09-30,EUR,USD,1.10,my bank\n")
    value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    with pytest.raises(LedgerError, match="holds valuations with rates"):
        value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger, rates=rates)
    with pytest.raises(LedgerError, match="holds valuations with host"):
        value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger, host="h1")
    assert value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger).ledger_rows_added == 0
