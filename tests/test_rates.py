"""Your own exchange rates, tried as a user would: an NT$7,500 tip (as case 14 of the shared cases, a Super
Chat) on the made-up Tipcast, which keeps 30% of a tip (tests/data/testcast.py), through ``livemoney
value``, ``lm.value``, ``LiveTally`` and ``lm.compare``. YouTube's own figures for case 14 are tested in
plugins/youtube/tests/test_cases.py."""

import datetime as dt
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from click.testing import CliRunner
from livemoney import Donation, Money
from livemoney.cli import main
from livemoney.pluginsys.manager import get_plugin_manager

_spec = importlib.util.spec_from_file_location("testcast", Path(__file__).parent / "data" / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)

# The tip was paid on Sunday 2024-12-15, as case 14's Super Chat (timestampUsec 1734240867193101).
PAID = dt.datetime(2024, 12, 15, 5, 34, 27, tzinfo=dt.UTC)
BANK_OF_TAIWAN = "2024-12-13,USD,TWD,32.55,Bank of Taiwan"  # Friday's rate serves Sunday


@pytest.fixture
def pm():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(testcast.Tipcast(), name=testcast.TIPCAST)
    return pm


@pytest.fixture
def rates(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(f"date,base,quote,rate,source\n{BANK_OF_TAIWAN}\n", encoding="utf-8")
    return path


@pytest.fixture
def tip(tmp_path):
    """A log of one NT$7,500 tip on Tipcast, paid on Sunday 2024-12-15."""
    path = tmp_path / "tip.jsonl"
    path.write_text(
        '{"type": "donation", "platform": "tipcast", "feature": "tip", "amount": "7500.00", "currency": "TWD", '
        '"ts": "2024-12-15T05:34:27Z"}\n',
        encoding="utf-8",
    )
    return path


def run(pm, *args):
    return CliRunner().invoke(main, [str(arg) for arg in args], obj=pm)


def total_row(result):
    return next(line.split() for line in result.stdout.splitlines() if line.startswith("total"))


# --- livemoney value --------------------------------------------------------------------------


def test_a_tip_in_new_taiwan_dollars_needs_no_rate(pm, tip):
    result = run(pm, "value", tip, "--currency", "TWD")
    assert result.exit_code == 0, result.output
    # Tipcast keeps 30%: 7500 × 0.30 = 2250; the creator 7500 × 0.70 = 5250
    assert total_row(result) == ["total", "1", "0", "7500.00", "2250.00", "5250.00"]


def test_a_tip_in_dollars_without_a_rate_is_unknown_and_says_how_to_give_one(pm, tip):
    result = run(pm, "value", tip, "--currency", "usd")
    assert result.exit_code == 0, result.output
    assert total_row(result) == ["total", "1", "1", "0.00", "0.00"]
    assert (
        "unknown: tipcast donation, 1 event: no ECB reference rate for 'TWD'; give a rate with --rates FILE "
        "(in Python: rates=FILE), a CSV of date,base,quote,rate,source" in result.stdout
    )


def test_a_tip_in_dollars_with_your_rate(pm, rates, tip):
    result = run(pm, "value", tip, "--rates", rates, "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["rows"]
    # 7500 / 32.55 = 230.41474654377...; Tipcast 2250 / 32.55 = 69.12442396313...; the creator the rest
    assert row["exact"] == {
        "gross": "230.4147465438",
        "shares": {"Tipcast": "69.1244239631"},
        "net": "161.2903225807",
    }
    assert (row["unknown"], row["gross"], row["shares"], row["net"]) == (0, "230.41", {"Tipcast": "69.12"}, "161.29")
    assert (
        "exchange: 1 TWD = 0.03072196620583717357910906298 USD (1 USD = 32.55 TWD), your rate of 2024-12-13 "
        f"from {rates}, line 2 (source: Bank of Taiwan) (the latest on or before 2024-12-15)"
    ) in row["explain"]


def test_a_bad_rates_file_is_one_line_naming_file_line_and_field(pm, tmp_path, tip):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"date,base,quote,rate,source\n{BANK_OF_TAIWAN}\n2024-12-16,USD,TWD,32.5O,typo\n", encoding="utf-8")
    result = run(pm, "value", tip, "--rates", bad)
    assert result.exit_code == 1
    assert result.stderr == (
        f"livemoney: error: {bad}:3: rate: '32.5O' is not a decimal number (the row says 1 USD = rate TWD)\n"
    )


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        # a rate that values 800 JPY at 0.00 (and one beyond any currency pair) is a slip, not a rate
        (b"2024-12-16,USD,TWD,1e-999999999,x", ":3: rate: '1e-999999999' must be from 10^-9 to 10^9"),
        (b"2024-12-16,USD,TWD,0,x", ":3: rate: '0' must be from 10^-9 to 10^9"),
        (b"2024-12-16,USD,TWD,32.5,Jos\xe9", ": not UTF-8 text"),  # a Latin-1 source gave a traceback
        (b"2024-12-16,USD,TWD,32.5," + b"x" * 200_000, ":3: row: not a CSV row (field larger than field limit"),
    ],
)
def test_a_rates_file_that_cannot_be_right_is_one_line_too(pm, tmp_path, tip, row, problem):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"date,base,quote,rate,source\n" + BANK_OF_TAIWAN.encode() + b"\n" + row + b"\n")
    result = run(pm, "value", tip, "--rates", bad)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"livemoney: error: {bad}{problem}"), result.stderr


def test_an_extinct_currency_is_unknown_unless_you_choose_the_latest_rate(pm, tmp_path):
    log = tmp_path / "litas.jsonl"
    log.write_text(
        '{"type": "donation", "platform": "tipcast", "feature": "tip", "amount": "100", "currency": "LTL",'
        ' "ts": "2026-03-01T12:00:00Z"}\n',
        encoding="utf-8",
    )
    unknown = run(pm, "value", log, "--currency", "EUR")
    assert total_row(unknown) == ["total", "1", "1", "0.00", "0.00"]
    assert "no LTL→EUR rate within 7 days before 2026-03-01: the latest is of 2014-12-31" in unknown.stdout
    chosen = run(pm, "value", log, "--currency", "EUR", "--rate-fallback", "latest", "--format", "json")
    (row,) = json.loads(chosen.stdout)["rows"]
    # 100 / 3.4528 = 28.962001853568...; Tipcast 30 / 3.4528 = 8.688600556070...; the creator the rest
    assert row["exact"] == {"gross": "28.9620018536", "shares": {"Tipcast": "8.6886005561"}, "net": "20.2734012975"}
    assert any("used because the rate fallback is 'latest'" in line for line in row["explain"])


def test_the_currency_option_takes_any_iso_code_and_lists_those_with_a_rate(pm, tip):
    shown = run(pm, "value", "--help").stdout
    assert "Any ISO-4217 code: money already in it needs no rate" in " ".join(shown.split())
    assert "give AUD, BRL, CAD" in " ".join(shown.split()) and "LTL" not in shown
    refused = run(pm, "value", tip, "--currency", "NTD")
    assert refused.exit_code == 2
    assert "'NTD' is not an ISO-4217 currency code (any code is a report currency; for a conversion the ECB's" in (
        refused.stderr
    )


# --- the library --------------------------------------------------------------------------------


def test_lm_value_and_a_live_tally_with_your_rates(pm, rates, tip):
    in_twd = lm.value(tip, currency="twd", pm=pm, progress=False)
    assert (in_twd.currency, in_twd.gross, in_twd.net) == ("TWD", Money("7500", "TWD"), Money("5250", "TWD"))
    report = lm.value(tip, currency="usd", pm=pm, rates=rates, progress=False)
    assert (report.gross, report.net) == (Money("230.41", "USD"), Money("161.29", "USD"))
    tally = lm.LiveTally(lm.context("USD", pm=pm, rates=rates), pm=pm)
    tally.add(Donation(platform="tipcast", feature="tip", amount=Money("7500.00", "TWD"), ts=PAID))
    assert tally.report().net == Money("161.29", "USD")


def test_compare_in_new_taiwan_dollars(pm, rates):
    def kept(comparison, feature):
        return next(row.valuation.shown().net for row in comparison.rows if row.feature == feature)

    comparison = lm.compare(100, currency="twd", pm=pm)
    assert comparison.spend == Money(100, "TWD")
    assert kept(comparison, "tip") == Money(Decimal("70.00"), "TWD")  # 100 × 0.70, no rate needed
    pm.register(testcast.starcast(), name=testcast.STARCAST)
    # Stars are priced in USD: 100 TWD = 100 / 32.55 USD buys Stars at 1.40 USD a hundred, and the creator
    # earns 0.01 USD a Star, i.e. 1/1.40 of the spend: 100 / 1.40 = 71.43 TWD, through your rate both ways.
    assert kept(lm.compare(100, currency="TWD", pm=pm, rates=rates), "stars") == Money("71.43", "TWD")
    result = run(pm, "compare", "--currency", "TWD", "--rates", rates)
    assert result.exit_code == 0, result.output
    assert "What the creator keeps of 100 TWD spent by a viewer" in result.stdout


def test_the_magic_takes_your_rates(pm, rates, tip, tmp_path, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from livemoney import magics
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setattr(magics, "default_manager", lambda: pm)
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "livemoney")
    report = shell.run_line_magic("livemoney", f"value {tip} --rates {rates}")
    assert (report.gross, report.net) == (Money("230.41", "USD"), Money("161.29", "USD"))
