"""Every reader's own fixtures, mutated (`strategies.mutated_fixtures`: keys dropped, types changed, values
swapped, hostile values, records truncated, nested, duplicated, shuffled), through every way into livemoney
(`harness.WAYS`): by the reader's name and by detection, and record by record through ``lm.LiveTally``.

Every kind the first fuzz runs found is fixed (each has its test in ``test_regressions.py``): the properties
are asserted, on a few derandomized examples each in ``make test`` and many random ones in ``make fuzz``.
"""

import harness
import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney.engine.readers import available_readers
from strategies import mutated_fixtures, reader_names

READERS = reader_names()
LIVE = [reader.name for reader in available_readers(harness.pm()) if reader.decoder and reader.name in READERS]


def readers(way, names=READERS):
    """One case per reader."""
    return [pytest.param(name, id=name) for name in names]


@pytest.mark.parametrize("reader", readers("value"))
@harness.fuzz_settings(20, 200)
@given(data=st.data())
def test_value(reader, data):
    harness.run("value", data.draw(mutated_fixtures(reader)), data.draw(st.sampled_from((reader, "auto"))))


@pytest.mark.parametrize("reader", readers("ledger"))
@harness.fuzz_settings(10, 125)
@given(data=st.data())
def test_value_with_a_ledger(reader, data):
    harness.run("ledger", data.draw(mutated_fixtures(reader)), data.draw(st.sampled_from((reader, "auto"))))


@pytest.mark.parametrize("reader", readers("read_events"))
@harness.fuzz_settings(20, 200)
@given(data=st.data())
def test_read_events(reader, data):
    harness.run("read_events", data.draw(mutated_fixtures(reader)), data.draw(st.sampled_from((reader, "auto"))))


@pytest.mark.parametrize("reader", readers("fail"))
@harness.fuzz_settings(20, 200)
@given(data=st.data())
def test_value_in_fail_mode(reader, data):
    harness.run("fail", data.draw(mutated_fixtures(reader)), data.draw(st.sampled_from((reader, "auto"))))


@pytest.mark.parametrize("reader", readers("tally", LIVE))
@harness.fuzz_settings(20, 200)
@given(data=st.data())
def test_live_tally(reader, data):
    harness.run("tally", data.draw(mutated_fixtures(reader)), live_format=data.draw(st.sampled_from((reader, None))))


@pytest.mark.parametrize("reader", readers("cli"))
@harness.fuzz_settings(8, 75)
@given(data=st.data())
def test_command_line(reader, data):
    harness.run("cli", data.draw(mutated_fixtures(reader)), data.draw(st.sampled_from((reader, "auto"))))
