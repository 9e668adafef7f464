"""Hostile canonical JSON Lines (`strategies.canonical_files`: good events mixed with deep nesting, edge numbers
and times, lone surrogates, invalid UTF-8, whole lines that are no object, BOMs, CRLF...) through every way into
livemoney (`harness.WAYS`), each checked for what issue 11 asks: no traceback, no hang, every record accounted
for, rejects verbatim, shown figures the exact ones rounded once, the paths in agreement.

Every kind the first fuzz runs found is fixed (each has its test in ``test_regressions.py``), so these
properties hold and are asserted: ``make test`` runs them on a few derandomized examples each, ``make fuzz`` on
many random ones (failures collected by kind into ``test-output/fuzz/``).
"""

import harness
from hypothesis import given
from hypothesis import strategies as st
from strategies import canonical_files

FORMATS = st.sampled_from(("auto", "jsonl"))


@harness.fuzz_settings(50, 1250)
@given(file=canonical_files(), input_format=FORMATS)
def test_value(file, input_format):
    harness.run("value", file, input_format)


@harness.fuzz_settings(30, 750)
@given(file=canonical_files(), input_format=FORMATS)
def test_value_with_a_ledger(file, input_format):
    harness.run("ledger", file, input_format)


@harness.fuzz_settings(50, 1250)
@given(file=canonical_files(), input_format=FORMATS)
def test_read_events(file, input_format):
    harness.run("read_events", file, input_format)


@harness.fuzz_settings(50, 1250)
@given(file=canonical_files(), input_format=FORMATS)
def test_value_in_fail_mode(file, input_format):
    harness.run("fail", file, input_format)


@harness.fuzz_settings(50, 1250)
@given(file=canonical_files(), live_format=st.sampled_from(("jsonl", None)))
def test_live_tally(file, live_format):
    harness.run("tally", file, live_format=live_format)


@harness.fuzz_settings(25, 500)
@given(file=canonical_files(), input_format=FORMATS)
def test_command_line(file, input_format):
    harness.run("cli", file, input_format)
