"""Plugin isolation (issue 11, item 4): a plugin that fails is named with its distribution, the others go on.

Every broken plugin of the fuzz suite's catalogue (``tests/fuzz/probes.py``: `probes.BROKEN`, a hook that
raises or answers wrong, and `probes.IMPORT_FAILURES`, a module that raises or hangs when imported) is
installed here as a real distribution, ``livemoney-zzbroken 0.1.0`` with the entry point ``zz``, beside the
installed platforms, and loaded as the command line loads plugins (``get_plugin_manager()``: the entry
points). For each: the command that calls the broken hook exits 3 naming the distribution and its version,
without a traceback; what every command says of the other platforms is what it says with a *working* zz
plugin installed instead; and ``livemoney plugins --check`` fails naming the distribution. The hangs run
the installed ``livemoney`` script, interrupted with SIGINT.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from livemoney import (
    Context,
    Gift,
    Like,
    Money,
    Reader,
    Rejected,
    Share,
    Valuation,
    hookimpl,
    unknown_valuation,
)
from livemoney.cli import main
from livemoney.core.fx import FxRate
from livemoney.core.valuation import valuation_problems
from livemoney.engine import api
from livemoney.engine.ledger import report_of
from livemoney.engine.readers import available_readers, detect, read_events
from livemoney.engine.tally import LiveTally
from livemoney.engine.valuer import value
from livemoney.errors import PluginError
from livemoney.kit import unchecked
from livemoney.pluginsys.manager import default_manager, get_plugin_manager

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "tests" / "fuzz"
if str(FUZZ) not in sys.path:  # the fuzz suite's helpers are plain modules beside its tests
    sys.path.insert(0, str(FUZZ))

import probes

DISTRIBUTION = "livemoney-zzbroken"
NAMED = "plugin 'zz' (distribution livemoney-zzbroken 0.1.0)"
"""How every message names the broken plugin: its entry point, distribution and version."""
LIVEMONEY = Path(sys.executable).parent / "livemoney"
BADGE = '{"type": "donation", "platform": "instagram", "feature": "badge", "amount": "1.99", "currency": "USD"}'
ROSES = '{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 100}'
ZED = '{"type": "gift", "platform": "zz", "gift": "Zed", "count": 2}'
COMMANDS = {
    "platforms": ("platforms", "--format", "json"),
    "settings": ("settings",),
    "value": ("value", "{log}", "--format", "json", "--on-error", "skip"),
    "compare": ("compare", "--format", "json"),
}
_numbers = itertools.count()


# --- installing a zz plugin ----------------------------------------------------------------------


def _module(overrides: str | None) -> str:
    """A plugin module made of the catalogue's throwaway zz plugin, with the hooks of variant ``overrides``."""
    chosen = "{}" if overrides is None else f"probes.BROKEN[{overrides!r}][1]"
    return textwrap.dedent(
        f"""
        import probes

        _hooks = probes._plugin(**{chosen})
        globals().update(vars(_hooks))
        """
    )


@contextmanager
def installed(folder: Path, body: str) -> Iterator[None]:
    """``livemoney-zzbroken 0.1.0`` installed (its module runs ``body``), as pip leaves a distribution for
    ``importlib.metadata``: a ``dist-info`` with ``METADATA`` and ``entry_points.txt`` on ``sys.path``."""
    module = f"livemoney_zz_{next(_numbers)}"
    site = folder / module
    (site / module).mkdir(parents=True)
    (site / module / "__init__.py").write_text(body, encoding="utf-8")
    info = site / "livemoney_zzbroken-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[livemoney]\nzz = {module}\n")
    saved = {name: os.environ.pop(name, None) for name in ("LIVEMONEY_LOAD_PLUGINS", "LIVEMONEY_DISABLE_PLUGINS")}
    sys.path.insert(0, str(site))
    try:
        yield
    finally:
        sys.path.remove(str(site))
        sys.modules.pop(module, None)
        os.environ.update({name: value for name, value in saved.items() if value is not None})
        default_manager.cache_clear()


@attrs.frozen
class Run:
    code: int
    stdout: str
    stderr: str


def run(pm: Any, *args: str) -> Run:
    result = CliRunner().invoke(main, list(args), obj=pm)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def every_command(folder: Path, body: str) -> dict[str, Run]:
    """Each of `COMMANDS` and ``plugins --check``, with ``body``'s zz plugin installed and loaded."""
    log = folder / "log.jsonl"
    log.write_text("\n".join((*probes.LOG_LINES, ZED)) + "\n", encoding="utf-8")
    with installed(folder, body):
        pm = get_plugin_manager()
        runs = {name: run(pm, *(arg.format(log=log) for arg in args)) for name, args in COMMANDS.items()}
        runs["check"] = run(pm, "plugins", "--check")
    return runs


def others(command: str, stdout: str) -> Any:
    """What a command's output says of the platforms other than zz."""
    if command == "settings":
        return [block.strip() for block in stdout.split("\n\n") if not block.startswith("zz.")]
    data = json.loads(stdout)
    if command == "platforms":
        return [platform for platform in data if platform["key"] != "zz"]
    return [row for row in data["rows"] if row["platform"] != "zz"]


@pytest.fixture(scope="module")
def working(tmp_path_factory) -> dict[str, Run]:
    """Every command with the working zz plugin installed: what the other platforms' results must stay."""
    runs = every_command(tmp_path_factory.mktemp("working"), _module(None))
    assert {name: found.code for name, found in runs.items()} == dict.fromkeys((*COMMANDS, "check"), 0)
    return runs


# --- each broken plugin, through the command line ------------------------------------------------


@pytest.mark.parametrize("variant", list(probes.BROKEN))
def test_a_broken_plugin_is_named_and_the_other_platforms_are_unchanged(variant, working, tmp_path):
    command = probes.BROKEN[variant][0]
    runs = every_command(tmp_path, _module(variant))
    used = runs[command]
    assert used.code == 3, used.stderr
    assert f"livemoney: error: {NAMED}" in used.stderr
    for name in COMMANDS:
        found = runs[name]
        assert found.code in (0, 3) and "Traceback" not in found.stderr, (name, found.stderr)
        if found.code == 3:
            assert NAMED in found.stderr, (name, found.stderr)
        assert others(name, found.stdout) == others(name, working[name].stdout), name
    # An Instagram badge of 1.99 USD: the app store takes 0.30 × 1.99 = 0.597, Meta 0; the creator 1.393.
    badge = next(row for row in json.loads(runs["value"].stdout)["rows"] if row["platform"] == "instagram")
    assert (badge["exact"]["gross"], badge["exact"]["net"]) == ("1.99", "1.393")
    check = runs["check"]
    assert check.code != 0 and f"plugin 'zz' (distribution {DISTRIBUTION})" in check.stdout, check.stdout


OWN_GIFT_VALUED = "livemoney_value_gift values every platform's gift"
"""A careless plugin that answers for every platform's gift: its own Zed is valued right, the others' answers
are absent (their own plugins value them) and named."""
VALUE_HOOK_VARIANTS = [
    name
    for name, (command, hooks) in probes.BROKEN.items()
    if "livemoney_value_gift" in hooks and name != OWN_GIFT_VALUED
]
"""The broken plugins whose gift valuation fails: a wrapper that fails is absent instead (see below)."""


@pytest.mark.parametrize("variant", VALUE_HOOK_VARIANTS)
def test_the_events_a_broken_plugin_values_are_unknown_naming_it(variant, tmp_path):
    runs = every_command(tmp_path, _module(variant))
    report = json.loads(runs["value"].stdout)
    (zed,) = [row for row in report["rows"] if row["platform"] == "zz"]
    assert (zed["events"], zed["unknown"]) == (1, 1)
    ((reason, count),) = zed["unknown_reasons"].items()
    assert reason.startswith(NAMED) and count == 1


def test_a_plugin_answering_for_every_platforms_gift_values_its_own_and_is_named(tmp_path):
    runs = every_command(tmp_path, _module(OWN_GIFT_VALUED))
    report = json.loads(runs["value"].stdout)
    # Its own 2 Zed at 1 USD each, Zz taking 0.3 a Zed: gross 2, net 1.4.
    (zed,) = [row for row in report["rows"] if row["platform"] == "zz"]
    assert (zed["events"], zed["unknown"], zed["exact"]["gross"], zed["exact"]["net"]) == (1, 0, "2.00", "1.40")
    # TikTok's 100 Roses valued by TikTok (known), not booked to zz.
    (roses,) = [row for row in report["rows"] if row["platform"] == "tiktok"]
    assert roses["unknown"] == 0 and roses["events"] == 1
    assert runs["value"].code == 3 and runs["value"].stderr.splitlines(keepends=True)[-1] == (
        f"livemoney: error: {NAMED}: livemoney_value_gift valued a gift on 'tiktok': it is booked under platform "
        "'zz', not 'tiktok' (the event's)\n"
    )


@pytest.mark.parametrize("variant", list(probes.IMPORT_FAILURES)[:2])
def test_a_plugin_that_ends_the_program_at_import_is_a_load_failure(variant, working, tmp_path):
    runs = every_command(tmp_path, textwrap.dedent(probes.IMPORT_FAILURES[variant]))
    error = "SystemExit: 7" if "SystemExit" in variant else "KeyboardInterrupt"
    for name in COMMANDS:
        assert runs[name].code == 3, (name, runs[name].stderr)
        assert f"livemoney: error: {NAMED} failed to load: {error}\n" in runs[name].stderr
        assert others(name, runs[name].stdout) == others(name, working[name].stdout), name
    # Its own event (line 5) is rejected naming the failure; the others are valued.
    (rejected,) = json.loads(runs["value"].stdout)["rejects"]
    assert (rejected["line"], rejected["field"], rejected["problem"]) == (
        5,
        "platform",
        f"{NAMED} failed to load: {error}",
    )
    assert runs["check"].code == 3 and f"problem: plugin 'zz' (distribution {DISTRIBUTION}): failed to load" in (
        runs["check"].stdout
    )


def _environment() -> dict[str, str]:
    """The environment of the ``livemoney`` script: the zz plugin just installed and the fuzz helpers first."""
    paths = [sys.path[0], str(FUZZ), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in paths if path)}


def _run_script(folder: Path, body: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    with installed(folder, body):
        env = _environment()
        return subprocess.run(
            [str(LIVEMONEY), *args], check=False, capture_output=True, text=True, env=env, timeout=timeout
        )


def test_the_installed_script_lists_the_other_platforms_and_names_a_plugin_that_exits_at_import(tmp_path):
    done = _run_script(tmp_path, "raise SystemExit(7)\n", "platforms", "--format", "json")
    assert done.returncode == 3, done.stderr
    assert done.stderr == f"livemoney: error: {NAMED} failed to load: SystemExit: 7\n"
    assert "zz" not in {platform["key"] for platform in json.loads(done.stdout)}
    assert json.loads(done.stdout)  # the others are listed


def _interrupted(
    folder: Path, body: str, started: Path, command: str = "platforms"
) -> subprocess.CompletedProcess[str]:
    """``livemoney COMMAND`` with a zz plugin that hangs once it has written ``started``: SIGINT then."""
    with installed(folder, body):
        env = _environment()
        process = subprocess.Popen(
            [str(LIVEMONEY), command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=probes._interruptible,  # noqa: PLW1509 - SIGINT not ignored, even when run in the background
        )
        try:
            deadline = time.monotonic() + 60
            while not started.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("command", ["platforms", "plugins"])
def test_ctrl_c_while_a_plugin_hangs_at_import_names_it(tmp_path, command):
    started = tmp_path / "started"
    body = f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\nwhile True:\n    time.sleep(0.05)\n"
    done = _interrupted(tmp_path, body, started, command)
    assert done.returncode not in (0, 3)  # interrupted: not a success, nor a plugin's failure
    assert done.stderr.strip().splitlines()[-1].endswith(f": interrupted while loading {NAMED}")
    assert "Traceback" not in done.stderr


def test_ctrl_c_while_a_hook_hangs_names_the_plugin_and_the_hook(tmp_path):
    started = tmp_path / "started"
    body = textwrap.dedent(
        f"""
        import pathlib, time
        from livemoney import hookimpl

        @hookimpl
        def livemoney_platform():
            pathlib.Path({str(started)!r}).touch()
            while True:
                time.sleep(0.05)
        """
    )
    done = _interrupted(tmp_path, body, started)
    assert done.returncode not in (0, 3)
    assert done.stderr.strip().splitlines()[-1].endswith(f": interrupted while {NAMED} was running livemoney_platform")
    assert "Traceback" not in done.stderr


# --- isolation on a manager: which plugin, and what goes on ------------------------------------


def _manager(*plugins: tuple[object, str]) -> Any:
    pm = get_plugin_manager()
    for plugin, name in plugins:
        pm.register(plugin, name=name)
    return pm


ZZ_GIFT = Gift(platform="zz", gift="Zed", count=2)
ROSES_EVENT = Gift(platform="tiktok", gift="Rose", count=100)


class Careless:
    """Values every gift it is shown: it forgot to return None for the other platforms' gifts, and breaks."""

    @hookimpl
    def livemoney_value_gift(self, platform, gift, context):
        raise RuntimeError(f"careless broke on {gift.gift}")


def test_a_plugin_that_raises_on_other_platforms_events_leaves_their_valuations_alone():
    clean = api.value_event(ROSES_EVENT, Context(), get_plugin_manager())
    pm = _manager((Careless(), "careless"))
    # It is asked first (registered last); its failure counts as no answer, and TikTok answers.
    assert api.value_event(ROSES_EVENT, Context(), pm) == clean
    (fault,) = pm.faults
    assert str(fault) == "plugin 'careless': livemoney_value_gift raised RuntimeError: careless broke on Rose"
    # Asked directly (not through the engine), pluggy's behaviour is kept: the error, marked with its plugin.
    with pytest.raises(RuntimeError, match="careless broke"):
        pm.hook.livemoney_value_gift(platform="tiktok", gift=ROSES_EVENT, context=Context())


def test_value_event_names_the_plugin_of_a_wrong_valuation():
    negative = probes.BROKEN["a valuation with a negative share"][1]
    pm = _manager((probes._plugin(**negative), "zz-broken"))
    with pytest.raises(PluginError) as raised:
        api.value_event(ZZ_GIFT, Context(), pm)
    assert str(raised.value) == (
        "plugin 'zz-broken': livemoney_value_gift valued a gift on 'zz': share of Zz -0.5 USD is negative"
    )
    assert raised.value.plugin == "zz-broken" and raised.value.fault in pm.faults


class Unshowable:
    """A plugin's answer whose ``repr`` (the plugin's code) raises."""

    def __repr__(self) -> str:
        raise ValueError("no repr")


class Sly(str):
    """A text whose length is the plugin's code, and raises."""

    def __len__(self) -> int:
        raise ValueError("no len")


class SlyRepr:
    """A plugin's answer whose ``repr`` gives a `Sly` text (a breaker's: the length check then raised)."""

    def __repr__(self) -> str:
        return Sly("looks fine")


def test_an_answer_whose_repr_raises_is_shown_by_its_type_and_blamed_on_its_plugin():
    # A breaker's find: the message meant to name the plugin called its repr, which raised, and the fault
    # was blamed on livemoney itself.
    pm = _manager((probes._plugin(livemoney_value_gift=lambda platform, gift, context: Unshowable()), "zz-ugly"))
    with pytest.raises(PluginError) as raised:
        api.value_event(ZZ_GIFT, Context(), pm)
    assert str(raised.value) == (
        "plugin 'zz-ugly': livemoney_value_gift valued a gift on 'zz': it answered <a Unshowable whose repr "
        "raised>, not a Valuation"
    )
    pm = _manager((probes._plugin(livemoney_value_gift=lambda platform, gift, context: SlyRepr()), "zz-sly"))
    with pytest.raises(PluginError, match=r"^plugin 'zz-sly': .*it answered <a SlyRepr whose repr raised>"):
        api.value_event(ZZ_GIFT, Context(), pm)
    pm = _manager((probes._plugin(livemoney_readers=lambda: [Unshowable(), "x" * 1000]), "zz-ugly"))
    readers = {reader.name for reader in available_readers(pm)}
    assert "tiktok-live-connector" in readers and "jsonl" in readers
    faults = [str(fault) for fault in pm.faults]
    assert "livemoney_readers answered <a Unshowable whose repr raised> in its list, not a Reader" in faults[0]
    assert faults[1].endswith(f"answered '{'x' * 299}... (1002 characters) in its list, not a Reader")


class Agency:
    """A wrapper that takes 10% of the creator's net, as the example agency plugin does."""

    @hookimpl(wrapper=True)
    def livemoney_value_event(self, event, context):
        found = yield
        if found is None or found.unknown:
            return found
        return found.with_share("Agency", found.net.amount * Decimal("0.1"))


def test_a_wrong_valuation_passed_on_by_a_wrapper_is_blamed_on_the_plugin_that_made_it():
    # zz answers a gift of another kind; the agency wraps it (a new valuation, also of the wrong kind).
    other_kind = probes.BROKEN["a valuation of another kind"][1]
    pm = _manager((probes._plugin(**other_kind), "zz-broken"), (Agency(), "agency"))
    with pytest.raises(PluginError, match=r"^plugin 'zz-broken': livemoney_value_gift valued a gift"):
        api.value_event(ZZ_GIFT, Context(), pm)


def test_a_failing_wrapper_is_absent_and_named():
    pm = _manager((probes._plugin(livemoney_value_event=probes._wrapper_raises), "zz-broken"))
    clean = api.value_event(ROSES_EVENT, Context(), get_plugin_manager())
    assert api.value_event(ROSES_EVENT, Context(), pm) == clean
    assert [str(fault) for fault in pm.faults] == [
        "plugin 'zz-broken': livemoney_value_event raised RuntimeError: the throwaway wrapper broke here"
    ]


class BrokenBeforeYield:
    @hookimpl(wrapper=True)
    def livemoney_value_event(self, event):
        raise ValueError("before its yield")
        yield  # pragma: no cover


class Rescuer:
    """A wrapper outside an implementation that raises: it answers an unknown valuation instead."""

    @hookimpl(wrapper=True, tryfirst=True)
    def livemoney_value_event(self, event, context):
        try:
            return (yield)
        except RuntimeError as error:
            return unknown_valuation(
                platform=event.platform, kind=event.kind, event=event, context=context, reason=f"rescued: {error}"
            )


class Raising:
    @hookimpl(wrapper=True)
    def livemoney_value_event(self):
        yield
        raise RuntimeError("inside")


def test_wrappers_follow_pluggys_protocol_through_the_guard():
    # A wrapper that fails before it yields is absent too; the agency's 10% of TikTok's net still applies.
    pm = _manager((BrokenBeforeYield(), "early"), (Agency(), "agency"))
    plain = api.value_event(ROSES_EVENT, Context(), get_plugin_manager())
    wrapped = api.value_event(ROSES_EVENT, Context(), pm)
    assert wrapped.share("Agency") == Money(plain.net.amount * Decimal("0.1"), "USD").exact()
    assert [fault.plugin for fault in pm.faults] == ["early"]
    # Outside the engine, an exception from inside reaches the wrapper that handles it, as pluggy does.
    pm = _manager((Raising(), "raising"), (Rescuer(), "rescuer"))
    found = pm.hook.livemoney_value_event(platform="tiktok", event=ROSES_EVENT, context=Context())
    assert (found.unknown, found.reason) == (True, "rescued: inside")


def _stray(error, after, old):
    """A plugin whose ``livemoney_value_event`` wrapper raises ``error`` (GeneratorExit, SystemExit) from its own
    code before or after its yield, new style or old style (``hookwrapper``)."""

    class Stray:
        @hookimpl(hookwrapper=old, wrapper=not old)
        def livemoney_value_event(self, event):
            if not after:
                raise error
            yield
            raise error

    return Stray()


@pytest.mark.parametrize("old", [False, True], ids=["wrapper", "hookwrapper"])
@pytest.mark.parametrize("after", [False, True], ids=["before-yield", "after-yield"])
@pytest.mark.parametrize("error", [GeneratorExit(), SystemExit(0)], ids=["GeneratorExit", "SystemExit"])
def test_a_wrapper_raising_generator_exit_or_system_exit_is_named_never_the_end(error, after, old):
    # a breaker's trial: a traceback (GeneratorExit) or the program ending silently with exit 0 (SystemExit)
    pm = _manager((_stray(error, after, old), "zz-stray"))
    clean = api.value_event(ROSES_EVENT, Context(), get_plugin_manager())
    try:
        found = api.value_event(ROSES_EVENT, Context(), pm)
    except PluginError as raised:  # an old-style wrapper's failure is its call's: named, the plugin blamed
        assert old and raised.plugin == "zz-stray" and type(error).__name__ in str(raised)
    else:  # a new-style wrapper is absent: the valuation as without it, its fault recorded
        assert found == clean
    assert [fault.plugin for fault in pm.faults] == ["zz-stray"]
    assert type(error).__name__ in str(pm.faults[0])


class Rates:
    """An exchange-rate source that breaks, or gives a rate of the wrong pair."""

    def __init__(self, wrong: bool) -> None:
        self.wrong = wrong

    @hookimpl(tryfirst=True)
    def livemoney_exchange_rate(self, base, quote, on):
        if not self.wrong:
            raise ConnectionError("the broker is down")
        return FxRate(quote, base, Decimal(2), on, on, source="broker")


def test_a_broken_rate_source_is_skipped_and_a_wrong_rate_is_named():
    event = attrs.evolve(ROSES_EVENT, amount=Money("1.00", "EUR"))
    context = api.context(currency="USD", as_of="2025-06-02")
    clean = api.value_event(event, context, get_plugin_manager())
    pm = _manager((Rates(wrong=False), "broker"))
    assert api.value_event(event, api.context(currency="USD", as_of="2025-06-02", pm=pm), pm) == clean
    assert [fault.problem for fault in pm.faults] == [
        "livemoney_exchange_rate raised ConnectionError: the broker is down"
    ]
    pm = _manager((Rates(wrong=True), "broker"))
    with pytest.raises(PluginError, match=r"^plugin 'broker': livemoney_exchange_rate answered FxRate"):
        api.value_event(event, api.context(currency="USD", as_of="2025-06-02", pm=pm), pm)


def test_a_faulted_valuation_is_unknown_and_not_written_to_the_ledger(tmp_path):
    raises = probes.BROKEN["livemoney_value_gift raises"][1]
    pm = _manager((probes._plugin(**raises), "zz-broken"))
    log = tmp_path / "log.jsonl"
    log.write_text(f"{ROSES}\n{ZED}\n{BADGE}\n", encoding="utf-8")
    ledger = tmp_path / "ledger.sqlite"
    report = value(log, pm=pm, ledger=ledger, progress=False)
    assert (report.events, report.unknown) == (3, 1)
    # The ledger holds the two valuations that were made; a run after the fix values the third.
    assert report_of(ledger).events == 2


# --- readers ------------------------------------------------------------------------------------


def _zz_reader(sniff: Any = None, fail_at: int | None = None) -> Reader:
    def read(stream, source):
        for number, line in enumerate(stream, start=1):
            if number == fail_at:
                raise OSError("the reader broke")
            yield Gift(platform="zz", gift="Zed", count=int(line.split(b":")[1]), source=f"{source}:{number}")

    return Reader("zz-lines", "zz", "zed:COUNT lines", sniff or (lambda head: head.startswith(b"zed:")), read)


def test_a_reader_that_raises_ends_its_file_with_one_rejected_record_naming_it(tmp_path):
    hooks = probes._plugin(livemoney_readers=lambda: [_zz_reader(fail_at=3)])
    pm = _manager((hooks, "zz-broken"))
    path = tmp_path / "zed.txt"
    path.write_text("zed:1\nzed:2\nzed:3\nzed:4\n", encoding="utf-8")
    items = list(read_events(path, pm=pm))
    assert [item.count for item in items[:2]] == [1, 2]
    assert items[2:] == [
        Rejected(
            str(path),
            3,
            "(reader)",
            "plugin 'zz-broken': reader zz-lines: read raised OSError: the reader broke; the rest of the file is not read",
            "",
        )
    ]
    (fault,) = pm.faults
    assert (fault.plugin, fault.hook) == ("zz-broken", "livemoney_readers")


def test_a_sniff_that_raises_is_no_and_detection_goes_on(tmp_path):
    def sniff(head):
        raise ValueError("sniff broke")

    pm = _manager((probes._plugin(livemoney_readers=lambda: [_zz_reader(sniff=sniff)]), "zz-broken"))
    path = tmp_path / "log.jsonl"
    path.write_text('{"type": "like", "count": 3}\n', encoding="utf-8")  # names no platform: readers are asked
    assert detect(path, pm).name == "jsonl"
    assert [str(fault) for fault in pm.faults] == [
        "plugin 'zz-broken': reader zz-lines: sniff raised ValueError: sniff broke"
    ]


def test_a_live_decoder_that_raises_gives_its_record_back_rejected():
    class Decoder:
        def __init__(self, source):
            self.source = source

        def feed(self, record, line):
            raise KeyError("feed broke")

        def flush(self, now=None):
            return []

    reader = attrs.evolve(_zz_reader(), decoder=Decoder, accepts=lambda record: "zed" in record)
    pm = _manager((probes._plugin(livemoney_readers=lambda: [reader]), "zz-broken"))
    tally = LiveTally(pm=pm)
    (rejected,) = tally.add({"zed": 1})
    assert (rejected.line, rejected.field) == (1, "(reader)")
    assert rejected.problem == "plugin 'zz-broken': reader zz-lines: feed raised KeyError: 'feed broke'"
    assert tally.add(Like(platform="tiktok", count=3))[0].net == Money("0", "USD")
    assert tally.report().rejected == 1


# --- the one check of a valuation ---------------------------------------------------------------


def _valuation(**changes: Any) -> Valuation:
    return attrs.evolve(probes._raw_valuation(), **changes)


@pytest.mark.parametrize(
    ("changes", "asked", "problem"),
    [
        ({}, {}, None),
        (
            {"shares": (Share("Zz", Money("-0.5", "USD")),), "net": Money("1.5", "USD")},
            {},
            "share of Zz -0.5 USD is negative",
        ),
        (
            {"shares": (Share("Zz", Money("3", "USD")),), "net": Money("-2", "USD")},
            {},
            "the shares (3 USD) are above gross (1 USD): net -2 USD < 0",
        ),
        ({}, {"platform": "tiktok"}, "it is booked under platform 'zz', not 'tiktok' (the event's)"),
        ({}, {"kind": "sale"}, "it values a 'gift', not the 'sale' asked for"),
        ({"unknown": True}, {}, "it is unknown but gives no reason"),
        (
            {"gross": Money("1.00000000001", "USD"), "net": Money("0.70000000001", "USD")},
            {},
            "gross 1.00000000001 USD has more than 10 decimal places",
        ),
    ],
)
def test_the_valuation_check_of_the_engine(changes, asked, problem):
    found = valuation_problems(_valuation(**changes), "USD", **asked)
    assert found[:1] == ([problem] if problem else [])


def test_exactness_is_judged_without_rounding_even_for_huge_amounts():
    # 10^25 to ten places is 36 digits, beyond Python's default 28: checked without a decimal context.
    huge = Money("10000000000000000000000000.0000000001", "USD")
    assert valuation_problems(Valuation("zz", "gift", huge, (), huge)) == []
    finer = Money("10000000000000000000000000.00000000001", "USD")
    assert valuation_problems(Valuation("zz", "gift", finer, (), finer)) == [
        f"gross {finer} has more than 10 decimal places",
        f"net {finer} has more than 10 decimal places",
    ]


def test_a_copy_of_a_checked_valuation_is_checked_for_what_it_does_not_share():
    # A plugin may copy a valuation it has had checked (Instagram's Badges of one price): the same amounts
    # and explanation, its own event and units. The copy's own parts are walked for floats every time.
    sound = _valuation(units={"gifts": Decimal(1)})
    assert valuation_problems(sound, "USD") == []
    copy = unchecked(Valuation, "event", "units")
    assert valuation_problems(copy(sound, None, {"gifts": 2.0}), "USD") == ["valuation.units['gifts'] is a float"]
    floated = unchecked(Like, "count")(Like(platform="zz", count=1), 0.5)
    assert valuation_problems(copy(sound, floated, {}), "USD") == ["valuation.event.count is a float"]
    # ... and its platform, kind and currency against what was asked, as for any valuation.
    assert valuation_problems(copy(sound, None, {}), "USD", platform="tiktok", kind="sale") == [
        "it is booked under platform 'zz', not 'tiktok' (the event's)",
        "it values a 'gift', not the 'sale' asked for",
    ]
    assert valuation_problems(copy(sound, None, {}), "EUR") == [
        "gross is in USD, not EUR",
        "net is in USD, not EUR",
        "share of Zz is in USD, not EUR",
    ]


def test_a_checked_valuation_that_can_change_is_checked_again_whole():
    # A list inside the explanation can change after the check: a copy sharing it is walked again.
    notes: list[Any] = []
    changing = _valuation(explain=("made by hand", notes))
    assert valuation_problems(changing, "USD") == []
    notes.append(0.5)
    copied = unchecked(Valuation, "event", "units")(changing, None, {})
    assert valuation_problems(copied, "USD") == ["valuation.explain[1][0] is a float"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda v: object.__setattr__(v.gross, "amount", Decimal(99)), "!= shares"),
        (lambda v: object.__setattr__(v.gross, "amount", 1.0), "not a Money of a Decimal"),
        (lambda v: object.__setattr__(v.shares[0], "amount", Money("5", "USD")), "!= shares"),
        (lambda v: object.__setattr__(v.shares[0], "amount", 0.3), "not a Money of a Decimal"),
    ],
)
def test_a_checked_valuation_changed_behind_its_frozen_class_is_checked_again_whole(change, problem):
    # A breaker's plugin returned one Valuation each time and changed its gross with object.__setattr__ (frozen
    # classes cannot stop it): the check remembered the objects as sound and passed it, and the report broke
    # gross = shares + net. What the check found of the amounts is compared with them each time.
    same = _valuation()
    assert valuation_problems(same, "USD") == [] and valuation_problems(same, "USD") == []
    change(same)
    found = valuation_problems(same, "USD")
    assert found and any(problem in text for text in found), found
