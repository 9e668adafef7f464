"""The SQLite ledger: one row per valued event, idempotent, and whole after a crash."""

import importlib.util
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from livemoney.cli import main
from livemoney.engine.ledger import APPLICATION_ID, SCHEMA_VERSION, report_of
from livemoney.engine.valuer import value
from livemoney.errors import LedgerError

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)


def rows(path):
    """The ledger's events as its ``event_lines`` view gives them (the event back as a canonical line)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute("SELECT * FROM event_lines ORDER BY key")]
    finally:
        db.close()


@pytest.fixture
def pm():
    return testcast.manager()


def test_each_valued_event_is_one_row_and_valuing_again_adds_nothing(tmp_path, pm):
    ledger = tmp_path / "ledger.sqlite"
    first = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    assert first.ledger_rows_added == 8  # 9 events, one a duplicate id
    assert first.ledger_line() == "ledger: 8 rows added"
    again = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    assert again.ledger_rows_added == 0 and len(rows(ledger)) == 8
    assert again.ledger_line() == "ledger: 0 rows added (all 8 events were already in it)"
    by_kind = {(row["platform"], row["kind"]): row for row in rows(ledger)}
    sponsorship = by_kind[("starcast", "sponsorship")]
    # Without an id: keyed by its file (the first logged into this ledger) and line, then its fingerprint.
    assert sponsorship["key"].startswith("@1:10:") and sponsorship["source"] == f"{DATA / 'every-kind.jsonl'}:10"
    assert json.loads(sponsorship["event"]) == {
        "type": "sponsorship",
        "platform": "starcast",
        "amount": "250.00",
        "currency": "USD",
        "brand": "Acme",
        "ts": "2026-10-01T21:00:00Z",
    }
    # Exact: 250.00 USD at 1.1298 USD/EUR = 221.278102319 EUR (to 10 places); a report rounds it once.
    assert (sponsorship["currency"], sponsorship["gross"], sponsorship["net"], sponsorship["shares"]) == (
        "EUR",
        "221.278102319",
        "221.278102319",
        "[]",
    )
    assert (sponsorship["original_amount"], sponsorship["original_currency"]) == ("250.00", "USD")
    assert any("ECB reference rate of 2026-10-01" in line for line in json.loads(sponsorship["explain"]))
    # An event with an id: platform, the id's length and the id, then what tells two events with one id apart.
    gift = by_kind[("testcast", "gift")]
    assert gift["key"].startswith("testcast:2:t1:") and gift["key"].endswith("/1790884805000/ana")
    assert json.loads(gift["event"])["ts"] == "2026-10-01T20:00:05Z"  # 1790884805000 ms
    # A time with a fraction of a second is kept to the millisecond; one with an offset in UTC.
    assert json.loads(by_kind[("testcast", "sale")]["event"])["ts"] == "2026-10-01T20:03:00.250Z"
    times = sorted(json.loads(row["event"]).get("ts", "") for row in rows(ledger))
    assert "2026-10-01T20:01:40Z" in times  # 22:01:40+02:00


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


# --- only livemoney ledgers are opened, and a file that is not one is left as it was ---------------


def many_events(tmp_path, count=300):
    """A log of ``count`` gifts with ids (a ledger of several pages)."""
    log = tmp_path / "many.jsonl"
    log.write_text(
        "".join(
            json.dumps({"type": "gift", "platform": "testcast", "gift": "Rose", "count": n, "id": f"g{n}"}) + "\n"
            for n in range(1, count + 1)
        )
    )
    return log


def overwrite_page(path, page):
    """Overwrite page ``page`` (1-based) of the SQLite file at ``path`` with 0xA5 bytes."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    data[(page - 1) * size : page * size] = b"\xa5" * size
    path.write_bytes(bytes(data))


def roots(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'"))
    finally:
        db.close()


def foreign(path, tmp_path, pm):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO customers (name) VALUES ('Ada')")
    db.commit()
    db.close()


def other_application(path, tmp_path, pm):
    foreign(path, tmp_path, pm)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {0x5F4D544E}")  # another application's id
    db.close()


def text_file(path, tmp_path, pm):
    path.write_text("name,amount\nAda,5\n" * 20)


def truncated(path, tmp_path, pm):
    value(many_events(tmp_path), pm=pm, ledger=path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt_middle(path, tmp_path, pm):
    value(many_events(tmp_path), pm=pm, ledger=path)
    overwrite_page(path, len(path.read_bytes()) // int.from_bytes(path.read_bytes()[16:18], "big") // 2)


def corrupt_root(path, tmp_path, pm):
    value(many_events(tmp_path), pm=pm, ledger=path)
    overwrite_page(path, roots(path)["events"])


V2_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    key TEXT PRIMARY KEY, platform TEXT NOT NULL, kind TEXT NOT NULL, viewer TEXT, ts TEXT, event TEXT NOT NULL,
    source TEXT, currency TEXT NOT NULL, gross TEXT NOT NULL, shares TEXT NOT NULL, net TEXT NOT NULL,
    unknown INTEGER NOT NULL, reason TEXT, original_amount TEXT, original_currency TEXT, units TEXT NOT NULL,
    explain TEXT NOT NULL REFERENCES explanations (id), to_guest INTEGER NOT NULL, residual TEXT
) WITHOUT ROWID;
CREATE TABLE explanations (id TEXT PRIMARY KEY, lines TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('schema', '2'), ('currency', 'USD'), ('as_of', ''), ('settings', '{}'), ('rates', ''),
    ('host', '');
"""
"""A ledger as livemoney wrote it before this schema (version 2: one wide row per event)."""


def schema_2(path, tmp_path, pm):
    db = sqlite3.connect(path)
    db.executescript(V2_SCHEMA)
    db.close()


def schema_1(path, tmp_path, pm):
    """Before explanations had a table: no schema row (commit 03c1649)."""
    db = sqlite3.connect(path)
    db.executescript(V2_SCHEMA.split("CREATE TABLE explanations")[0].replace(" REFERENCES explanations (id)", ""))
    db.execute("INSERT INTO meta VALUES ('currency', 'USD'), ('as_of', ''), ('settings', '{}')")
    db.commit()
    db.close()


def newer(path, tmp_path, pm):
    value(many_events(tmp_path, 3), pm=pm, ledger=path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()


NOT_LEDGERS = {
    "another application's SQLite file": (foreign, "another application's SQLite database (tables: customers)"),
    "an SQLite file with another application id": (other_application, "(application id 0x5f4d544e)"),
    "a text file": (text_file, "not a livemoney ledger (not an SQLite database)"),
    "a truncated ledger": (truncated, "a truncated ledger ("),
    "a ledger with a corrupt page in the middle": (corrupt_middle, "a corrupt ledger"),
    "a ledger whose events table's root page is corrupt": (corrupt_root, "a corrupt ledger"),
    "a ledger of schema 2": (schema_2, "a ledger of an older livemoney (schema 2;"),
    "a ledger of schema 1": (schema_1, "a ledger of an older livemoney (schema 1;"),
    "a ledger of a newer livemoney": (newer, "a ledger of a newer livemoney (schema 99;"),
}


@pytest.mark.parametrize("name", NOT_LEDGERS)
def test_a_file_that_is_not_a_whole_ledger_of_this_schema_is_refused_with_one_line_and_left_as_it_was(
    tmp_path, pm, name
):
    make, problem = NOT_LEDGERS[name]
    folder = tmp_path / "ledgers"
    folder.mkdir()
    path = folder / "ledger.sqlite"
    make(path, tmp_path, pm)
    before, files = path.read_bytes(), sorted(os.listdir(folder))
    for attempt in (
        lambda: value(DATA / "every-kind.jsonl", pm=pm, ledger=path),  # valuing into it
        lambda: value(ledger=path),  # its report
    ):
        with pytest.raises(LedgerError) as refused:
            attempt()
        message = str(refused.value)
        assert message.startswith(f"{path}: ") and problem in message and "\n" not in message
        assert path.read_bytes() == before, "the file was changed"
        assert sorted(os.listdir(folder)) == files, "files were added beside it"


def test_a_new_ledger_is_made_only_where_no_file_is_or_an_empty_one(tmp_path, pm):
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert value(DATA / "every-kind.jsonl", pm=pm, ledger=empty).ledger_rows_added == 8
    header = empty.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID == 0x6C6D6E79  # "lmny"
    assert int.from_bytes(header[60:64], "big") == SCHEMA_VERSION == 3
    assert sorted(os.listdir(tmp_path)) == ["empty.sqlite"]  # no temporary file left, one file at rest
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(LedgerError, match="not a file"):
        value(DATA / "every-kind.jsonl", pm=pm, ledger=folder)


KILLED_RUN = textwrap.dedent(
    """
    import sys, importlib.util
    import livemoney.engine.ledger
    from livemoney import hookimpl
    from livemoney.engine.valuer import value

    spec = importlib.util.spec_from_file_location("testcast", sys.argv[1])
    testcast = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(testcast)
    livemoney.engine.ledger.BATCH = 50

    class Tell:
        calls = 0

        @hookimpl(wrapper=True)
        def livemoney_value_event(self, platform, event, context):
            result = yield
            Tell.calls += 1
            if Tell.calls % 500 == 0:
                print(Tell.calls, flush=True)
            return result

    value(sys.argv[2], currency="EUR", pm=testcast.manager(Tell()), ledger=sys.argv[3])
    print("done", flush=True)
    """
)


def test_a_run_killed_with_sigkill_then_resumed_gives_the_ledger_of_one_clean_run(tmp_path):
    """kill -9 from outside, wherever the run is (valuing, or writing a batch), then the same run again."""
    lines = [
        json.dumps(
            {
                "type": "gift",
                "platform": "testcast",
                "gift": "Rose",
                "count": n,  # each its own valuation: valued (and counted by the hook) on its own
                "viewer": f"v{n % 7}",
                "ts": f"2026-10-01T12:{n // 600 % 60:02d}:{n // 10 % 60:02d}Z",
                **({"id": f"g{n}"} if n % 3 else {}),
            }
        )
        for n in range(1, 20_001)
    ]
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(lines) + "\n")
    script = tmp_path / "run.py"
    script.write_text(KILLED_RUN)
    command = [sys.executable, str(script), str(DATA / "testcast.py"), str(log)]

    killed = tmp_path / "killed.sqlite"
    child = subprocess.Popen([*command, str(killed)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "500"  # under way: 500 gifts valued, 19,500 to go
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert 0 < len(rows(killed)) < 20_000  # some batches were written, not all
    resumed = subprocess.run([*command, str(killed)], capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    clean = tmp_path / "clean.sqlite"
    assert subprocess.run([*command, str(clean)], capture_output=True, check=False).returncode == 0
    assert len(rows(clean)) == 20_000
    assert rows(killed) == rows(clean)


# --- the command line ------------------------------------------------------------------------------


def test_value_with_only_a_ledger_reports_from_it_and_a_rerun_says_what_it_added(tmp_path, pm):
    ledger = tmp_path / "ledger.sqlite"
    log = DATA / "every-kind.jsonl"
    first = CliRunner().invoke(main, ["value", str(log), "--ledger", str(ledger), "--currency", "EUR"], obj=pm)
    assert first.exit_code == 0, first.output
    assert "ledger: 8 rows added\n" in first.output
    again = CliRunner().invoke(
        main, ["value", str(log), "--ledger", str(ledger), "--currency", "EUR", "--format", "json"], obj=pm
    )
    # stderr: what the table format prints after its table (the ledger's line among the notes), then the counts
    assert (
        again.exit_code == 0 and "ledger: 0 rows added (all 8 events were already in it)" in again.stderr.splitlines()
    )
    assert again.stderr.splitlines()[-1].startswith("records ")
    direct = json.loads(
        CliRunner().invoke(main, ["value", str(log), "--currency", "EUR", "--format", "json"], obj=pm).stdout
    )
    alone = CliRunner().invoke(main, ["value", "--ledger", str(ledger), "--format", "json"], obj=pm)
    assert alone.exit_code == 0, alone.output
    read = json.loads(alone.stdout)
    for part in ("currency", "rows", "total", "to_guests", "original_amounts", "id_conflicts"):
        assert read[part] == direct[part], part
    assert read["counts"]["valued"] == direct["counts"]["valued"] == 8
    assert any(
        line.startswith(f"ledger {ledger}: 8 events (a ledger keeps valued events only")
        for line in alone.stderr.splitlines()
    )
    table = CliRunner().invoke(main, ["value", "--ledger", str(ledger)], obj=pm)
    assert table.exit_code == 0 and "total" in table.stdout and "221.28" in table.stdout  # the sponsorship, in EUR
    # valuing options without logs: a usage error, not a report in another currency than asked
    refused = CliRunner().invoke(main, ["value", "--ledger", str(ledger), "--currency", "USD"], obj=pm)
    assert refused.exit_code == 2 and "--currency: only with LOG... to value" in refused.stderr
    assert CliRunner().invoke(main, ["value"], obj=pm).exit_code == 2


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("UPDATE valuations SET explain = 'null'", "TypeError"),
        ("UPDATE valuations SET gross = 'abc'", "InvalidOperation"),
        ("UPDATE events SET ts = 9223372036854775807", "OverflowError"),
        ("UPDATE valuations SET units = '5'", "AttributeError"),
    ],
)
def test_a_ledger_edited_by_another_program_is_one_line_when_read(tmp_path, pm, change, error):
    """A value livemoney never writes, put in a ledger by hand: a traceback on read (breaker trial)."""
    from livemoney.engine.analytics import analyze

    ledger = tmp_path / "ledger.sqlite"
    value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, ledger=ledger)
    with sqlite3.connect(ledger) as db:
        db.execute(change)
    db.close()
    problem = f"{ledger}: a ledger with a value livemoney did not write ({error}"
    with pytest.raises(LedgerError, match=re.escape(problem)):
        report_of(ledger)
    with pytest.raises(LedgerError, match=re.escape(problem)):
        analyze(ledger=ledger, pm=pm)
    done = CliRunner().invoke(main, ["value", "--ledger", str(ledger)], obj=pm)
    assert done.exit_code == 1 and done.stderr.startswith(f"livemoney: error: {problem}"), done.output


@pytest.mark.parametrize("name", NOT_LEDGERS)
def test_the_command_line_refuses_a_file_that_is_not_a_whole_ledger_of_this_schema_in_one_line(tmp_path, pm, name):
    """``livemoney value LOG --ledger FILE`` and ``livemoney value --ledger FILE``: exit 1, one line on stderr
    naming the file and the problem, the file as it was; an older schema is never migrated, and its line says
    how to rebuild the ledger (value the logs again into a new ledger file)."""
    make, problem = NOT_LEDGERS[name]
    path = tmp_path / "ledgers" / "ledger.sqlite"
    path.parent.mkdir()
    make(path, tmp_path, pm)
    before = path.read_bytes()
    for args in (["value", str(DATA / "every-kind.jsonl"), "--ledger", str(path)], ["value", "--ledger", str(path)]):
        result = CliRunner().invoke(main, args, obj=pm)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"livemoney: error: {path}: ") and problem in line
        if "older livemoney" in problem:
            assert line.endswith("left as it is: value the logs again into a new ledger file")
        assert path.read_bytes() == before
        assert sorted(os.listdir(path.parent)) == ["ledger.sqlite"]
