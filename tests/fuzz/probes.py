"""Probes of what issue 11 asks beyond the fuzzer's reach: broken plugins, foreign and corrupt ledgers, input
paths that are not regular files, and control characters that ``livemoney convert`` echoes.

Each probe runs one case and returns an `Outcome`: what happens today (``today``), what issue 11 wants
(``wanted``) and whether that holds (``ok``). ``python tests/fuzz/probes.py`` prints every outcome as a
Markdown table (the catalogue's); ``test_regressions.py`` asserts ``ok`` for each.

Broken plugins are small throwaway plugins of a made-up platform ``zz`` registered on a fresh plugin manager
(``get_plugin_manager(load_entry_points_=False)``, then ``pm.register``) beside the four real platforms, and
driven through the command line in-process (Click's runner, the manager passed as ``obj``). What fails at
import (``SystemExit``, ``KeyboardInterrupt``, a hang) needs an installed distribution: those probes install one
in a temporary ``site`` folder and run ``livemoney`` in a subprocess.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import types
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import livemoney as lm
from click.testing import CliRunner
from livemoney import DonationFeature, LikeOutcome, Money, Platform, Setting, Source, hookimpl, valuation
from livemoney.cli import main
from livemoney.core.models import Share, Valuation
from livemoney.pluginsys.manager import get_plugin_manager

LIVEMONEY = Path(sys.executable).parent / "livemoney"
ZZ = "zz"
SOURCE = Source("a throwaway test plugin", as_of="2026-01-01")
PLUGIN = "zz-broken"
"""The name the throwaway plugin is registered under: a failure message must name it."""
DISTRIBUTION = "livemoney-zzbroken"
"""The distribution of the installed throwaway plugins (probes of failures at import)."""

LOG_LINES = (
    '{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 100}',
    '{"type": "donation", "platform": "youtube", "feature": "super_chat", "amount": "5.00", "currency": "USD"}',
    '{"type": "donation", "platform": "facebook", "feature": "stars", "amount": "500", "currency": "stars"}',
    '{"type": "donation", "platform": "instagram", "feature": "badge", "amount": "1.99", "currency": "USD"}',
)
ZZ_LINE = '{"type": "gift", "platform": "zz", "gift": "Zed", "count": 2}'


@attrs.frozen
class Outcome:
    """One probe: its ``name``, what happens ``today``, what issue 11 ``wanted``, and whether it holds."""

    name: str
    today: str
    wanted: str
    ok: bool


# --- throwaway plugins ------------------------------------------------------------------------


def _platform() -> Platform:
    return Platform(key=ZZ, name="Zz Live", units=("zeds",), likes_pay=False, gifts_donations="Yes", sources=(SOURCE,))


def _settings() -> list[Setting]:
    return [Setting("zz.share", Decimal("0.3"), "fraction", "what Zz takes", SOURCE)]


def _value_gift(platform: str, gift: Any, context: Any) -> Valuation | None:
    if platform != ZZ:
        return None
    gross = Money(gift.count, "USD")
    return valuation(
        platform=ZZ,
        kind="gift",
        event=gift,
        context=context,
        gross=gross,
        shares=[("Zz", Money(Decimal("0.3") * gift.count, "USD"), SOURCE)],
        explain=[f"{gift.count} Zed at 1 USD, Zz takes 0.3 [{SOURCE.cite()}]"],
    )


def _handle_like(platform: str, like: Any, context: Any) -> LikeOutcome | None:
    if platform != ZZ:
        return None
    return LikeOutcome(ZZ, like.count, Money.zero(context.currency), "likes earn nothing on Zz")


def _donation_features(platform: str, context: Any) -> list[DonationFeature] | None:
    return [] if platform == ZZ else None


def _raises(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("the throwaway plugin broke here")


def _raises_for_zz(platform: str, **kwargs: Any) -> Any:
    """A hook that answers ``None`` for the other platforms, as it should, and breaks on its own."""
    if platform == ZZ:
        raise RuntimeError("the throwaway plugin broke here")
    return None


def _plugin(**overrides: Callable[..., Any] | None) -> types.SimpleNamespace:
    """The working ``zz`` plugin with some hooks replaced (``None``: left out)."""
    hooks: dict[str, Callable[..., Any] | None] = {
        "livemoney_platform": _platform,
        "livemoney_settings": _settings,
        "livemoney_value_gift": _value_gift,
        "livemoney_handle_like": _handle_like,
        "livemoney_donation_features": _donation_features,
    }
    hooks.update(overrides)
    namespace = types.SimpleNamespace()
    for name, function in hooks.items():
        if function is None:
            continue
        wrapper = name == "livemoney_value_event" and getattr(function, "wrapper", False)
        setattr(namespace, name, hookimpl(wrapper=True)(function) if wrapper else hookimpl(function))
    return namespace


def _bad_valuation(change: Callable[[Valuation], Valuation]) -> Callable[..., Any]:
    """A gift hook whose valuation is changed by ``change`` after it is made."""

    def value_gift(platform: str, gift: Any, context: Any) -> Valuation | None:
        found = _value_gift(platform, gift, context)
        return None if found is None else change(found)

    return value_gift


def _raw_valuation(**fields: Any) -> Valuation:
    """A `Valuation` built without the helper's checks (what a careless plugin can return)."""
    base = {
        "platform": ZZ,
        "kind": "gift",
        "gross": Money(1, "USD"),
        "shares": (Share("Zz", Money("0.3", "USD")),),
        "net": Money("0.7", "USD"),
        "explain": ("made by hand",),
    }
    base.update(fields)
    return Valuation(**base)


def _wrapper_raises(platform: str, event: Any, context: Any) -> Any:
    yield
    raise RuntimeError("the throwaway wrapper broke here")


_wrapper_raises.wrapper = True  # type: ignore[attr-defined]


def _wrapper_no_yield(platform: str, event: Any, context: Any) -> Any:
    if False:  # a generator that ends before its first yield
        yield
    return None


_wrapper_no_yield.wrapper = True  # type: ignore[attr-defined]


def _exits(*args: Any, **kwargs: Any) -> Any:
    raise SystemExit(7)


BROKEN: dict[str, tuple[str, dict[str, Callable[..., Any] | None]]] = {
    "livemoney_platform raises": ("platforms", {"livemoney_platform": _raises}),
    "livemoney_platform returns a string": ("platforms", {"livemoney_platform": lambda: "zz"}),
    "livemoney_platform claims another plugin's key": (
        "platforms",
        {"livemoney_platform": lambda: attrs.evolve(_platform(), key="tiktok")},
    ),
    "livemoney_settings raises": ("settings", {"livemoney_settings": _raises}),
    "livemoney_settings returns a dict": ("settings", {"livemoney_settings": lambda: {"zz.share": "0.3"}}),
    "livemoney_readers raises": ("value", {"livemoney_readers": _raises}),
    "livemoney_readers returns strings": ("value", {"livemoney_readers": lambda: ["zz-format"]}),
    "livemoney_value_gift raises": (
        "value",
        {"livemoney_value_gift": lambda platform, gift, context: _raises_for_zz(platform)},
    ),
    "livemoney_value_gift returns a dict": (
        "value",
        {"livemoney_value_gift": lambda platform, gift, context: {"net": 1} if platform == ZZ else None},
    ),
    "a valuation with a negative share": (
        "value",
        {
            "livemoney_value_gift": lambda platform, gift, context: (
                _raw_valuation(shares=(Share("Zz", Money("-0.5", "USD")),), net=Money("1.5", "USD"))
                if platform == ZZ
                else None
            )
        },
    ),
    "a valuation with a share above gross": (
        "value",
        {
            "livemoney_value_gift": lambda platform, gift, context: (
                _raw_valuation(shares=(Share("Zz", Money("3", "USD")),), net=Money("-2", "USD"))
                if platform == ZZ
                else None
            )
        },
    ),
    "a valuation booked under another platform": (
        "value",
        {"livemoney_value_gift": _bad_valuation(lambda found: attrs.evolve(found, platform="tiktok"))},
    ),
    "a valuation of another kind": (
        "value",
        {"livemoney_value_gift": _bad_valuation(lambda found: attrs.evolve(found, kind="sale"))},
    ),
    "an unknown valuation with no reason": (
        "value",
        {"livemoney_value_gift": _bad_valuation(lambda found: attrs.evolve(found, unknown=True, reason=None))},
    ),
    "a wrapper of livemoney_value_event raises": ("value", {"livemoney_value_event": _wrapper_raises}),
    "livemoney_donation_features raises": (
        "compare",
        {"livemoney_donation_features": lambda platform, context: _raises_for_zz(platform)},
    ),
    # --- more of each kind: every hook the commands call, raising or answering wrong (issue 11 tried 37) ---
    "livemoney_platform raises SystemExit": ("platforms", {"livemoney_platform": _exits}),
    "livemoney_platform returns a platform without a key": (
        "platforms",
        {"livemoney_platform": lambda: types.SimpleNamespace(name="Zz Live")},
    ),
    "livemoney_settings claims another plugin's setting": (
        "settings",
        {"livemoney_settings": lambda: [Setting("tiktok.zz_share", Decimal("0.3"), "fraction", "not Zz's", SOURCE)]},
    ),
    "livemoney_settings raises SystemExit": ("settings", {"livemoney_settings": _exits}),
    "livemoney_donation_features returns a string": (
        "compare",
        {"livemoney_donation_features": lambda platform, context: "stars" if platform == ZZ else None},
    ),
    "livemoney_donation_features raises for every platform": (
        "compare",
        {"livemoney_donation_features": _raises},
    ),
    "livemoney_value_gift raises SystemExit": (
        "value",
        {"livemoney_value_gift": lambda platform, gift, context: _exits() if platform == ZZ else None},
    ),
    "livemoney_value_gift raises for every platform's gift": ("value", {"livemoney_value_gift": _raises}),
    "livemoney_value_gift values every platform's gift": (
        "value",
        {"livemoney_value_gift": lambda platform, gift, context: _value_gift(ZZ, gift, context)},
    ),
    "livemoney_value_donation raises for every platform's donation": ("value", {"livemoney_value_donation": _raises}),
    "livemoney_value_donation returns a string": (
        "value",
        {"livemoney_value_donation": lambda platform, donation, context: "5 USD"},
    ),
    "a valuation in another currency than the report's": (
        "value",
        {
            "livemoney_value_gift": lambda platform, gift, context: (
                _raw_valuation(
                    gross=Money(1, "EUR"), shares=(Share("Zz", Money("0.3", "EUR")),), net=Money("0.7", "EUR")
                )
                if platform == ZZ
                else None
            )
        },
    ),
    "a valuation in a platform unit": (
        "value",
        {
            "livemoney_value_gift": lambda platform, gift, context: (
                _raw_valuation(
                    gross=Money(1, "zeds"), shares=(Share("Zz", Money("0.3", "zeds")),), net=Money("0.7", "zeds")
                )
                if platform == ZZ
                else None
            )
        },
    ),
    "a valuation whose parts do not add up to gross": (
        "value",
        {
            "livemoney_value_gift": lambda platform, gift, context: (
                _raw_valuation(net=Money("0.9", "USD")) if platform == ZZ else None
            )
        },
    ),
    "livemoney_value_event raises for every event": ("value", {"livemoney_value_event": _raises}),
    "livemoney_value_event returns a string": (
        "value",
        {"livemoney_value_event": lambda platform, event, context: "valued" if platform == ZZ else None},
    ),
    "a wrapper of livemoney_value_event does not yield": ("value", {"livemoney_value_event": _wrapper_no_yield}),
}
"""Broken ``zz`` plugins: name → (the command that calls the broken hook, the hooks replaced)."""


def _manager(plugin: object | None) -> Any:
    import livemoney_facebook
    import livemoney_instagram
    import livemoney_tiktok
    import livemoney_youtube

    pm = get_plugin_manager(load_entry_points_=False)
    for module, name in (
        (livemoney_tiktok.PLUGIN, "tiktok"),
        (livemoney_youtube.PLUGIN, "youtube"),
        (livemoney_instagram.PLUGIN, "instagram"),
        (livemoney_facebook.PLUGIN, "facebook"),
    ):
        pm.register(module, name=name)
    if plugin is not None:
        pm.register(plugin, name=PLUGIN)
    pm.check_pending()
    return pm


@attrs.frozen
class Run:
    """One command run in-process: exit code, output, and the traceback's last line if one escaped."""

    code: int
    output: str
    traceback: str | None

    def line(self) -> str:
        if self.traceback:
            return f"exit {self.code}, traceback ({self.traceback})"
        last = next((line for line in reversed(self.output.splitlines()) if "error" in line), "")
        return f"exit {self.code}" + (f": {last.strip()[:160]}" if last else "")


def run_cli(pm: Any, *args: str) -> Run:
    result = CliRunner().invoke(main, list(args), obj=pm)
    escaped = result.exception if result.exception and not isinstance(result.exception, SystemExit) else None
    raised = f"{type(escaped).__name__}: {str(escaped)[:120]}" if escaped else None
    return Run(result.exit_code, result.output, raised)


def _log(folder: Path, *extra: str) -> Path:
    path = folder / "log.jsonl"
    path.write_text("\n".join((*LOG_LINES, *extra)) + "\n", encoding="utf-8")
    return path


def probe_broken_plugin(name: str) -> Outcome:
    """A broken ``zz`` plugin beside the four platforms: each command, and ``plugins --check``."""
    command, overrides = BROKEN[name]
    pm = _manager(_plugin(**overrides))
    clean = _manager(_plugin())
    with tempfile.TemporaryDirectory() as folder:
        log = _log(Path(folder), ZZ_LINE)
        commands = {
            "platforms": ["platforms"],
            "settings": ["settings"],
            "value": ["value", str(log), "--format", "json"],
            "compare": ["compare"],
        }
        runs = {key: run_cli(pm, *args) for key, args in commands.items()}
        check = run_cli(pm, "plugins", "--check")
        expected_value = run_cli(clean, "value", str(log), "--format", "json")
    used = runs[command]
    named = PLUGIN in used.output or (used.traceback or "").find(PLUGIN) >= 0
    today = "; ".join(f"{key}: {run.line()}" for key, run in runs.items())
    caught = check.code != 0 and PLUGIN in check.output
    today += f"; plugins --check: exit {check.code}{' naming it' if caught else ', not caught'}"
    ok = (
        all(run.traceback is None and run.code in (0, 3) for run in runs.values())
        and used.code == 3
        and named
        and caught
    )
    if command == "value" and expected_value.code == 0 and used.code == 0:
        # A wrong valuation accepted: the run ends as if all were well.
        today += "; value accepted it (exit 0)"
    return Outcome(
        f"plugin: {name}",
        today,
        f"{command} exits 3 naming the plugin (the distribution when installed), no traceback, the other platforms "
        "valued where they can; plugins --check fails naming it",
        ok,
    )


# --- plugins that fail at import (installed distributions, subprocesses) ----------------------


def _install(site: Path, body: str, hooks: str = "") -> dict[str, str]:
    """A distribution ``livemoney-zzbroken`` whose module runs ``body`` at import; the environment to use it."""
    package = site / "livemoney_zzbroken"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(body) + "\n" + textwrap.dedent(hooks), encoding="utf-8")
    info = site / "livemoney_zzbroken-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[livemoney]\nzz = livemoney_zzbroken\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(site), env.get("PYTHONPATH"))))
    for variable in ("LIVEMONEY_LOAD_PLUGINS", "LIVEMONEY_DISABLE_PLUGINS"):
        env.pop(variable, None)
    return env


def _interruptible() -> None:
    """In the child: SIGINT to its default, so that Python makes it a KeyboardInterrupt. A shell without job
    control starts a background command with SIGINT ignored (``make fuzz &``), which the child would inherit,
    and the probe's Ctrl-C would then do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _subprocess(
    args: list[str], env: dict[str, str], timeout: float, interrupt: bool = False, started: Path | None = None
) -> tuple[str, str]:
    """Run ``livemoney`` with ``args``: ``(outcome, output)``; after ``timeout`` seconds it is interrupted (SIGINT,
    then killed), and the outcome says so. With ``started``, the ``timeout`` counts from when that file appears
    (the hang has begun: on a loaded machine, starting Python and importing livemoney alone can take seconds,
    and a SIGINT then would not test what the probe is about), at most 60 seconds after the start."""
    process = subprocess.Popen(
        [str(LIVEMONEY), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_interruptible,  # noqa: PLW1509 - one signal call, no lock taken (async-signal-safe)
    )
    if started is not None:
        deadline = time.monotonic() + 60
        while not started.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    try:
        output, _ = process.communicate(timeout=timeout)
        return f"exit {process.returncode}", output.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=10)
            return f"hung {timeout:g} s; after SIGINT exit {process.returncode}", output.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return f"hung {timeout:g} s; SIGINT did not stop it (killed)", output.decode("utf-8", "replace")


def _last(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


def probe_import(name: str, body: str, timeout: float = 3.0) -> Outcome:
    """An installed plugin whose import runs ``body``: ``livemoney platforms`` with it installed."""
    with tempfile.TemporaryDirectory() as folder:
        started = Path(folder) / "started"
        body = f"import pathlib\npathlib.Path({str(started)!r}).touch()\n{textwrap.dedent(body)}"
        env = _install(Path(folder) / "site", body)
        # Only the hang is interrupted: a plugin that ends its import has the command finish, however loaded the
        # machine.
        wait = timeout if name == "hangs at import" else max(timeout, 60.0)
        outcome, output = _subprocess(["platforms"], env, wait, started=started)
    traceback = "Traceback" in output
    today = f"livemoney platforms: {outcome}{', traceback' if traceback else ''}; last line: {_last(output)}"
    listed = "TikTok" in output and "YouTube" in output
    if name == "hangs at import":
        wanted = "not required to survive, but an interrupt says which plugin was loading (livemoney-zzbroken)"
        ok = DISTRIBUTION in output
    else:
        wanted = (
            "the other platforms listed, the failure named with its distribution (livemoney-zzbroken), no traceback"
        )
        ok = listed and DISTRIBUTION in output and not traceback and outcome in ("exit 0", "exit 3")
    return Outcome(f"plugin: {name}", today, wanted, ok)


IMPORT_FAILURES = {
    "raises SystemExit at import": "raise SystemExit(7)",
    "raises KeyboardInterrupt at import": "raise KeyboardInterrupt",
    "hangs at import": "import time\nwhile True:\n    time.sleep(0.1)",
}


def probe_platform_hangs(timeout: float = 3.0) -> Outcome:
    """An installed plugin whose ``livemoney_platform`` never returns."""
    with tempfile.TemporaryDirectory() as folder:
        started = Path(folder) / "started"
        hooks = f"""
        import pathlib, time
        from livemoney import hookimpl

        @hookimpl
        def livemoney_platform():
            pathlib.Path({str(started)!r}).touch()
            while True:
                time.sleep(0.1)
        """
        env = _install(Path(folder) / "site", "", hooks)
        outcome, output = _subprocess(["platforms"], env, timeout, started=started)
    return Outcome(
        "plugin: livemoney_platform hangs",
        f"livemoney platforms: {outcome}; last line: {_last(output)}",
        "not required to survive a hang; an interrupt should name the plugin (livemoney-zzbroken)",
        DISTRIBUTION in output,
    )


# --- ledgers ----------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "(absent)"


def _good_ledger(path: Path, log: Path) -> None:
    result = run_cli(_manager(None), "value", str(log), "--ledger", str(path), "--format", "json")
    assert result.code == 0, result.output


def _foreign(path: Path, log: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO customers (name) VALUES ('Ada')")
    db.commit()
    db.close()


def _truncated(path: Path, log: Path) -> None:
    _good_ledger(path, log)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _many_events(path: Path, log: Path) -> None:
    many = log.with_name("many.jsonl")
    lines = (
        f'{{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": {n}, "id": "g{n}"}}\n' for n in range(1, 301)
    )
    many.write_text("".join(lines), encoding="utf-8")
    _good_ledger(path, many)


def _overwrite(path: Path, pages: Callable[[int, dict[str, int]], list[int]]) -> None:
    """Overwrite some pages of the SQLite file at ``path`` (chosen from the page count and the tables' roots)."""
    db = sqlite3.connect(path)
    roots = dict(db.execute("SELECT name, rootpage FROM sqlite_master"))
    db.close()
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big") or 65536
    for number in pages(len(data) // size, roots):
        data[(number - 1) * size : number * size] = b"\xa5" * size
    path.write_bytes(bytes(data))


def _corrupt_root(path: Path, log: Path) -> None:
    """A ledger of 300 events whose events table's root page is overwritten (the meta table intact)."""
    _many_events(path, log)
    _overwrite(path, lambda count, roots: [roots["events"]])


def _corrupt_leaf(path: Path, log: Path) -> None:
    """A ledger of 300 events with a page in the middle overwritten."""
    _many_events(path, log)
    _overwrite(path, lambda count, roots: [count // 2])


OLDER_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    key TEXT PRIMARY KEY, platform TEXT NOT NULL, kind TEXT NOT NULL, viewer TEXT, ts TEXT, event TEXT NOT NULL,
    source TEXT, currency TEXT NOT NULL, gross TEXT NOT NULL, shares TEXT NOT NULL, net TEXT NOT NULL,
    unknown INTEGER NOT NULL, reason TEXT, original_amount TEXT, original_currency TEXT, units TEXT NOT NULL,
    explain TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta VALUES ('currency', 'USD'), ('as_of', ''), ('settings', '{}');
"""
"""A ledger as livemoney wrote it before explanations had their own table (commit 03c1649): no schema row."""


def _older_schema(path: Path, log: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(OLDER_SCHEMA)
    db.close()


def _text_file(path: Path, log: Path) -> None:
    path.write_text("name,amount\nAda,5\n", encoding="utf-8")


LEDGERS = {
    "another application's SQLite file": _foreign,
    "a truncated ledger": _truncated,
    "a ledger whose events table's root page is corrupt": _corrupt_root,
    "a ledger with a corrupt page in the middle": _corrupt_leaf,
    "a ledger of an older schema": _older_schema,
    "a text file": _text_file,
}


def probe_ledger(name: str) -> Outcome:
    """``livemoney value LOG --ledger FILE`` and ``lm.value(ledger=FILE)`` on a FILE that is not a good ledger."""
    with tempfile.TemporaryDirectory() as folder:
        log = _log(Path(folder))
        path = Path(folder) / "ledger.sqlite"
        LEDGERS[name](path, log)
        before = _digest(path)
        tables_before = _tables(path)
        written = run_cli(_manager(None), "value", str(log), "--ledger", str(path), "--format", "json")
        after_write = _digest(path)
        tables_after = _tables(path)
        try:
            lm.value(ledger=path)
            read = "read back"
        except Exception as error:  # noqa: BLE001 (the outcome says what escaped)
            read = f"{type(error).__name__}: {str(error)[:100]}"
        changed = after_write != before
    added = sorted(set(tables_after) - set(tables_before))
    today = (
        f"value --ledger: {written.line()}; file {'modified' if changed else 'unchanged'}"
        + (f" (tables added: {', '.join(added)})" if added else "")
        + f"; lm.value(ledger=...): {read}"
    )
    ok = written.traceback is None and written.code == 1 and not changed and "Traceback" not in written.output
    return Outcome(f"ledger: {name}", today, "one clear line (exit 1), the file untouched", ok)


def _tables(path: Path) -> list[str]:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return []


# --- input paths that are not regular files ---------------------------------------------------


def probe_process_substitution() -> Outcome:
    """``livemoney value <(cat log.jsonl)``: a pipe, read through /dev/fd."""
    with tempfile.TemporaryDirectory() as folder:
        log = _log(Path(folder))
        command = f"{LIVEMONEY} value <(cat {log}) --format json"
        result = subprocess.run(["bash", "-c", command], check=False, capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    counts = next((line for line in output.splitlines() if line.startswith("records")), _last(output))
    ok = f"records {len(LOG_LINES)} " in output or ("error" in output and result.returncode != 0)
    return Outcome(
        "input: a pipe, livemoney value <(cat log.jsonl)",
        f"exit {result.returncode}; {counts}",
        f"read once ({len(LOG_LINES)} records), or refused with a clear message",
        ok,
    )


def probe_fifo(timeout: float = 3.0) -> Outcome:
    """A named pipe that no one writes to."""
    with tempfile.TemporaryDirectory() as folder:
        fifo = Path(folder) / "feed.jsonl"
        os.mkfifo(fifo)
        started = time.monotonic()
        outcome, output = _subprocess(["value", str(fifo)], dict(os.environ), timeout)
        took = time.monotonic() - started
    return Outcome(
        "input: a FIFO without a writer",
        f"{outcome} ({took:.0f} s); last line: {_last(output)}",
        "no hang: refused, or read with a limit, with a clear message",
        outcome.startswith("exit") and "Traceback" not in output,
    )


def probe_dev_zero(memory_mb: int = 1024, timeout: float = 20.0) -> Outcome:
    """``livemoney value /dev/zero --input-format jsonl`` under a memory limit: an endless line of NUL bytes."""
    limit = memory_mb * 1024 * 1024

    def limited() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.monotonic()
    try:
        result = subprocess.run(
            [str(LIVEMONEY), "value", "/dev/zero", "--input-format", "jsonl"],
            check=False,
            capture_output=True,
            timeout=timeout,
            preexec_fn=limited,
        )
        outcome = f"exit {result.returncode}"
        output = (result.stdout + result.stderr).decode("utf-8", "replace")
    except subprocess.TimeoutExpired as expired:
        outcome = f"still running after {timeout:g} s (killed)"
        output = ((expired.stdout or b"") + (expired.stderr or b"")).decode("utf-8", "replace")
    took = time.monotonic() - started
    memory = "MemoryError" in output
    return Outcome(
        "input: /dev/zero --input-format jsonl",
        f"{outcome} after {took:.1f} s under a {memory_mb} MB limit"
        + ("; MemoryError traceback" if memory and "Traceback" in output else "")
        + f"; last line: {_last(output)}",
        "a line longer than the documented limit is rejected (or the file refused): bounded memory, no traceback",
        "Traceback" not in output and not outcome.startswith("still") and "records" in output,
    )


# --- terminal control characters ----------------------------------------------------------------

RLO = "\u202e"


def probe_convert_rlo() -> Outcome:
    """``livemoney convert`` of a log whose rejected line and whose event carry a right-to-left override."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.jsonl"
        log.write_text(
            '{"type": "gift", "platform": "tiktok", "gift": "Rose", "viewer": "\u202eevil"}\n'
            '{"type": "gift\u202e", "platform": "tiktok", "gift": "Rose"}\n',
            encoding="utf-8",
        )
        result = subprocess.run(
            [str(LIVEMONEY), "convert", str(log), "--to", "jsonl"], check=False, capture_output=True, timeout=60
        )
    stdout, stderr = result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
    where = [name for name, text in (("stdout", stdout), ("stderr", stderr)) if RLO in text]
    return Outcome(
        "output: convert echoes U+202E (right-to-left override)",
        f"exit {result.returncode}; raw U+202E written to {', '.join(where) or 'neither stream'}",
        "control and bidirectional characters escaped in messages shown on a terminal",
        RLO not in stderr,
    )


# --- all --------------------------------------------------------------------------------------


def all_probes() -> dict[str, Callable[[], Outcome]]:
    """Every probe by name (a call runs it)."""
    probes: dict[str, Callable[[], Outcome]] = {}
    for name in BROKEN:
        probes[f"plugin: {name}"] = lambda name=name: probe_broken_plugin(name)
    for name, body in IMPORT_FAILURES.items():
        probes[f"plugin: {name}"] = lambda name=name, body=body: probe_import(name, body)
    probes["plugin: livemoney_platform hangs"] = probe_platform_hangs
    for name in LEDGERS:
        probes[f"ledger: {name}"] = lambda name=name: probe_ledger(name)
    probes["input: a pipe"] = probe_process_substitution
    probes["input: a FIFO without a writer"] = probe_fifo
    probes["input: /dev/zero"] = probe_dev_zero
    probes["output: convert echoes U+202E"] = probe_convert_rlo
    return probes


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    print("| probe | today | issue 11 wants | holds |")
    print("|---|---|---|---|")
    for probe in all_probes().values():
        found = probe()
        print(f"| {_cell(found.name)} | {_cell(found.today)} | {_cell(found.wanted)} | {'yes' if found.ok else 'no'} |")
