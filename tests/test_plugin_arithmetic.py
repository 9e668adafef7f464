"""A plugin's arithmetic error is its bug, named (exit 3), not the input's: only the decimal errors of an
amount too large for exact arithmetic (`livemoney.pluginsys.manager.TOO_LARGE`) are the input's (rejected)."""

import decimal
import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner
from livemoney import hookimpl
from livemoney.cli import main
from livemoney.engine.valuer import value

_spec = importlib.util.spec_from_file_location("testcast", Path(__file__).parent / "data" / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)

STARS = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "500", "currency": "stars"}\n'


class Broken:
    """Values starcast's donations first, and fails with ``error``."""

    def __init__(self, error):
        self.error = error

    @hookimpl(tryfirst=True)
    def livemoney_value_donation(self, platform, donation, context):
        if platform == "starcast":
            raise self.error


@pytest.mark.parametrize("error", [ZeroDivisionError("division by zero"), OverflowError("math range error")])
def test_a_plugins_arithmetic_error_is_its_fault_named_exit_3(tmp_path, error):
    log = tmp_path / "log.jsonl"
    log.write_text(STARS, encoding="utf-8")
    pm = testcast.manager(Broken(error))
    report = value(log, pm=pm, on_error="skip")
    # the plugin's fault is recorded and the next plugin (starcast's own) values the event: 500 Stars earn the
    # creator 5.00 USD (0.01 a Star); never a rejected record blamed on the log
    assert (report.valued, report.unknown, report.rejected) == (1, 0, 0)
    assert str(report.net) == "5.00 USD"
    assert pm.faults and type(error).__name__ in str(pm.faults[0])
    done = CliRunner().invoke(main, ["value", str(log), "--on-error", "skip"], obj=testcast.manager(Broken(error)))
    assert done.exit_code == 3, done.output
    assert type(error).__name__ in done.stderr


def test_an_amount_too_large_for_exact_arithmetic_is_the_inputs(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text(STARS, encoding="utf-8")
    report = value(log, pm=testcast.manager(Broken(decimal.InvalidOperation())), on_error="skip")
    assert (report.valued, report.rejected) == (0, 1)
    assert report.rejects[0].problem == "too large to value exactly (InvalidOperation)"


class Forgetful:
    """A wrapper plugin that forgets to return the valuation it was given (``return None``)."""

    @hookimpl(wrapper=True)
    def livemoney_value_event(self, platform, event, context):
        yield


def test_a_wrapper_that_answers_none_is_named_not_the_input(tmp_path):
    """A forgotten ``return valuation`` in a wrapper was 'no installed plugin values donation events', a
    rejected record blamed on the log (breaker trial)."""
    log = tmp_path / "log.jsonl"
    log.write_text(STARS, encoding="utf-8")
    pm = testcast.manager()
    pm.register(Forgetful(), name="forgetful")
    report = value(log, pm=pm, on_error="skip")
    assert (report.valued, report.unknown, report.rejected) == (1, 1, 0)
    ((reason, _),) = report.row("starcast", "donation").reasons.items()
    assert "forgetful" in reason and "answered None where a plugin valued the donation" in reason
    pm2 = testcast.manager()
    pm2.register(Forgetful(), name="forgetful")
    done = CliRunner().invoke(main, ["value", str(log)], obj=pm2)
    assert done.exit_code == 3 and "forgetful" in done.stderr, done.output


def test_a_plain_hook_raising_generator_exit_is_its_fault_named_exit_3(tmp_path):
    # GeneratorExit is the signal a generator gets when it is closed; a plain hook function that raises it has a
    # bug: it is recorded and named like any other failure, the next plugin values the event (breaker trial:
    # it was a traceback)
    log = tmp_path / "log.jsonl"
    log.write_text(STARS, encoding="utf-8")
    pm = testcast.manager(Broken(GeneratorExit()))
    report = value(log, pm=pm, on_error="skip")
    assert (report.valued, report.rejected) == (1, 0) and str(report.net) == "5.00 USD"
    assert "raised GeneratorExit" in str(pm.faults[0])
    done = CliRunner().invoke(main, ["value", str(log)], obj=testcast.manager(Broken(GeneratorExit())))
    assert done.exit_code == 3, done.output
    assert "GeneratorExit" in done.stderr and "Traceback" not in done.output + done.stderr
