"""``%load_ext livemoney``: the ``%livemoney`` magic (the CLI's options, objects back, one-line errors)
and the HTML display of the models."""

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from livemoney import Donation, Money, magics
from livemoney.core.canonical import canonical_line
from livemoney.engine.api import platforms, value_event
from livemoney.engine.comparison import Comparison
from livemoney.engine.report import Report
from livemoney.testing import plugin_manager
from traitlets.config import Config

ATTACK = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
_spec = importlib.util.spec_from_file_location("testcast", Path(__file__).parent / "data" / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
PM = plugin_manager(testcast.Tipcast(), testcast.starcast())  # made up: Tipcast keeps 30% of a tip; Stars
NOON = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def ipython(tmp_path_factory):
    """An IPython shell whose profile and history stay out of the home folder."""
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPYTHONDIR", str(tmp_path_factory.mktemp("ipython")))
        yield InteractiveShell.instance(config=config)


@pytest.fixture
def shell(ipython, monkeypatch):
    monkeypatch.setattr(magics, "default_manager", lambda: PM)
    ipython.run_line_magic("load_ext", "livemoney")
    return ipython


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "stream.jsonl"
    events = [
        Donation(platform="tipcast", feature="tip", amount=Money("20.00", "USD"), viewer=ATTACK, ts=NOON, id="1"),
        Donation(platform="starcast", feature="stars", amount=Money("1000", "stars"), viewer="bo", ts=NOON, id="2"),
    ]
    path.write_text("".join(canonical_line(event) + "\n" for event in events), encoding="utf-8")
    return path


def net(comparison, platform, feature):
    return next(r.valuation.net for r in comparison.rows if r.platform.key == platform and r.feature == feature)


def test_load_ext_registers_the_magic(shell):
    assert "livemoney" in shell.magics_manager.magics["line"]


def test_compare_returns_the_comparison(shell):
    comparison = shell.run_line_magic("livemoney", "compare --spend 40 --currency EUR")
    assert isinstance(comparison, Comparison)
    assert comparison.spend == Money("40", "EUR")
    assert net(comparison, "tipcast", "tip") == Money("28.00", "EUR")  # 40 × 0.70
    # 40 EUR buys 40 / 1.40 × 100 = 2,857.14… Stars, 0.01 each to the creator: 28.5714285714, shown 28.57
    assert net(comparison, "starcast", "stars") == Money("28.5714285714", "EUR")
    assert net(comparison, "starcast", "stars").rounded() == Money("28.57", "EUR")


def test_compare_applies_todays_rules_unless_a_date_is_given(shell):
    today = dt.datetime.now(dt.UTC).date()
    assert shell.run_line_magic("livemoney", "compare").as_of == today
    dated = shell.run_line_magic("livemoney", "compare --as-of 2024-06-01")
    assert dated.as_of == dt.date(2024, 6, 1) and "(rules as of 2024-06-01)" in dated.title()


def test_compare_with_a_format_prints_like_the_command(shell, capsys):
    assert shell.run_line_magic("livemoney", "compare --spend 40 --format markdown") is None
    out = capsys.readouterr().out
    assert "| Tipcast | Tip | yes | 40.00 | Tipcast 12.00 | 28.00 | 70.0% |  |" in out


def test_value_returns_the_report(shell, log):
    report = shell.run_line_magic("livemoney", f"value {log} --currency USD")
    assert isinstance(report, Report)
    # 20.00 × 0.70 = 14.00; 1,000 Stars × 0.01 = 10.00 (they cost 1000 / 100 × 1.40 = 14.00)
    assert report.net == Money("24.00", "USD") and report.gross == Money("34.00", "USD")
    assert report.read == 2


def test_variables_expand_in_the_magic(shell, log):
    shell.user_ns["stream"] = str(log)
    result = shell.run_cell("report = %livemoney value $stream --currency USD")
    assert result.success
    assert shell.user_ns["report"].net == Money("24.00", "USD")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("compare --spend -4", "livemoney: error: Invalid value for '--spend': '-4' must be between 0 and 1,000,000,000,000"),
        ("compare --set nope=1", "livemoney: error: unknown setting 'nope'"),
        ("value missing.jsonl", "livemoney: error: Invalid value for 'LOG...': Path 'missing.jsonl' does not exist."),
        ('compare --spend "4', "livemoney: error: cannot split the command line: No closing quotation"),
        ("nonsense", "livemoney: error: No such command 'nonsense'."),
    ],
)
def test_errors_are_one_line_without_traceback(shell, capsys, line, message):
    assert shell.run_line_magic("livemoney", line) is None
    captured = capsys.readouterr()
    assert captured.err.startswith(message), captured.err
    assert "Traceback" not in captured.err + captured.out


def test_bad_line_in_a_log_names_file_line_and_field(shell, capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "donation", "platform": "tipcast", "feature": "tip", "amount": "x"}\n')
    assert shell.run_line_magic("livemoney", f"value {bad}") is None
    err = capsys.readouterr().err
    # (a progress bar may come first on stderr)
    assert err.rstrip().split("\r")[-1] == f'livemoney: error: {bad}:1: amount: "x" is not a decimal number'
    assert "Traceback" not in err


def test_other_commands_print_what_the_cli_prints(shell, capsys):
    assert shell.run_line_magic("livemoney", "platforms") is None
    out = capsys.readouterr().out
    assert "Tipcast" in out and "Yes (Stars)" in out
    assert shell.run_line_magic("livemoney", "compare --help") is None
    assert capsys.readouterr().out.startswith("Usage: %livemoney compare [OPTIONS]")


def test_models_display_as_escaped_html(shell, log):
    formatter = shell.display_formatter
    report = shell.run_line_magic("livemoney", f"value {log}")
    html = formatter.format(report)[0]["text/html"]
    assert ESCAPED in html and ATTACK not in html and 'class="lm-box lm-report"' in html
    comparison = shell.run_line_magic("livemoney", "compare --spend 40")
    assert 'data-platform="tipcast" data-feature="tip"' in formatter.format(comparison)[0]["text/html"]
    receipt = value_event(Donation(platform="tipcast", feature="tip", amount=Money("5.00", "USD"), viewer=ATTACK), pm=PM)
    html = formatter.format(receipt)[0]["text/html"]
    assert 'Creator keeps</td><td class="lm-num">3.50 USD' in html and ESCAPED in html and ATTACK not in html
    html = formatter.format(platforms(PM)[0])[0]["text/html"]
    assert 'class="lm-box lm-platform"' in html


@pytest.mark.parametrize("kind", ["canonical", "a plugin's reader"])
def test_value_in_jupyter_leaves_its_progress_bar_full(shell, log, monkeypatch, kind):
    """Issue 13: `%livemoney value` left tqdm's notebook bar at 0% (red). In a kernel the bar is tqdm.auto's:
    here one that records where it stood when closed, on a canonical log and on a capture a plugin reads."""
    import io

    import tqdm.auto
    import tqdm.std
    from livemoney.engine import valuer
    from livemoney.pluginsys.manager import default_manager as installed

    closed = []

    class Recorded(tqdm.std.tqdm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "file": io.StringIO()})

        def close(self):
            if not self.disable:
                closed.append((self.n, self.total))
            super().close()

    monkeypatch.setattr(valuer, "_in_jupyter", lambda: True)
    monkeypatch.setattr(tqdm.auto, "tqdm", Recorded)
    if kind == "canonical":
        path = log
    else:
        path = Path(__file__).parents[1] / "plugins/youtube/tests/data/pytchat__default_superchat.json"
        monkeypatch.setattr(magics, "default_manager", installed)
    report = shell.run_line_magic("livemoney", f"value {path}")
    assert report.valued >= 1
    assert closed == [(path.stat().st_size, path.stat().st_size)]
