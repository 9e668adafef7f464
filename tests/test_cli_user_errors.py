"""What the command line says when a user gets something wrong or stops it (issue 13): Ctrl-C exits 130 in
one line; ``new-plugin`` refuses the key of an installed platform; a typo in ``LIVEMONEY_LOAD_PLUGINS`` or
``LIVEMONEY_DISABLE_PLUGINS`` is an error listing the installed plugins; an empty log is an error, and a
log without money says so. Exit codes come from `livemoney.errors`."""

import json
import os
import signal
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner
from livemoney.cli import main
from livemoney.errors import EXIT_INTERRUPTED, EXIT_INVALID, ScaffoldError, UnknownPlugin
from livemoney.pluginsys.manager import default_manager, get_plugin_manager
from livemoney.scaffold import installed_plugin, new_plugin

LIVEMONEY = Path(sys.executable).parent / "livemoney"
INSTALLED = sorted((ep.name, ep.dist.name) for ep in entry_points(group="livemoney") if ep.dist is not None)
# A platform that is not installed: the tutorial's twitch, unless it is (as when make test runs with it).
ABSENT = next(key for key in ("twitch", "kick", "trovo") if key not in {name for name, _ in INSTALLED})


@pytest.fixture(autouse=True)
def no_selection(monkeypatch):
    for variable in ("LIVEMONEY_LOAD_PLUGINS", "LIVEMONEY_DISABLE_PLUGINS"):
        monkeypatch.delenv(variable, raising=False)
    default_manager.cache_clear()
    yield
    default_manager.cache_clear()


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, list(args))


def listed():
    """How the error lists the installed plugins: ``name (distribution)``, by name."""
    return ", ".join(f"{name} ({dist})" for name, dist in INSTALLED)


# --- Ctrl-C -------------------------------------------------------------------------------------


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    # A log that is a named pipe: livemoney opens it and waits for lines, as on a live capture; then Ctrl-C.
    fifo = tmp_path / "live.jsonl"
    os.mkfifo(fifo)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LIVEMONEY_")}
    env["LIVEMONEY_FIFO_WAIT"] = "120"  # far longer than the test takes: the Ctrl-C comes while livemoney waits
    # As in a terminal: Ctrl-C's signal has its default action when livemoney starts. A test run started in
    # the background of a shell (`cmd &`, no job control) ignores SIGINT, and its children inherit that: then
    # livemoney rightly ignores Ctrl-C, and this test waited out the FIFO (a failure of two CI runs of this
    # stop started that way).
    process = subprocess.Popen(
        [str(LIVEMONEY), "value", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - no threads here
    )
    writer, deadline = None, time.monotonic() + 60
    while writer is None:  # opening the pipe to write succeeds once livemoney has opened it to read
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        try:
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.05)
    try:
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        os.close(writer)
    assert (process.returncode, out, err) == (130, "", "livemoney: interrupted\n")
    assert EXIT_INTERRUPTED == 130 and EXIT_INTERRUPTED != EXIT_INVALID


def test_ctrl_c_inside_a_command_is_the_same_one_line(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("livemoney.cli.compare", interrupted)
    result = run("compare")
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "livemoney: interrupted\n")


# --- new-plugin and installed keys --------------------------------------------------------------


@pytest.mark.parametrize(("key", "distribution"), [(n, d) for n, d in INSTALLED if d.startswith("livemoney-")])
def test_new_plugin_refuses_the_key_of_an_installed_platform(tmp_path, key, distribution):
    folder = tmp_path / f"livemoney-{key}"
    result = CliRunner().invoke(main, ["new-plugin", key, "--directory", str(folder)])
    assert result.exit_code == EXIT_INVALID
    version = next(ep.dist.version for ep in entry_points(group="livemoney") if ep.name == key)
    assert result.stderr == (
        f"livemoney: error: {key!r} is the platform key of an installed plugin, plugin {key!r} (distribution "
        f"{distribution} {version}): a second plugin for it would clash with it; choose another key, or change "
        "that plugin's own source\n"
    )
    assert not folder.exists()


def test_new_plugin_refuses_an_installed_distribution_of_that_name(tmp_path, monkeypatch):
    info = tmp_path / "site" / "livemoney_kick-0.2.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: livemoney-kick\nVersion: 0.2.0\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert installed_plugin("kick") == "distribution livemoney-kick 0.2.0"
    with pytest.raises(ScaffoldError, match="'kick' is the platform key of an installed plugin, distribution"):
        new_plugin("kick", tmp_path / "livemoney-kick")
    assert installed_plugin("kick_live") is None
    assert new_plugin("kick_live", tmp_path / "livemoney-kick_live").is_dir()


# --- choosing plugins: typos are errors ---------------------------------------------------------


@pytest.mark.skipif(not INSTALLED, reason="no plugin installed")
@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("LIVEMONEY_LOAD_PLUGINS", "tiktk", "tiktk is"),
        ("LIVEMONEY_LOAD_PLUGINS", ABSENT, f"{ABSENT} is"),
        ("LIVEMONEY_LOAD_PLUGINS", "facebook, Youtub,tiktk", "tiktk, youtub are"),
        ("LIVEMONEY_DISABLE_PLUGINS", "livemoney-agnecy", "livemoney-agnecy is"),
    ],
)
@pytest.mark.parametrize("command", [["platforms"], ["plugins", "--check"], ["compare"]])
def test_a_plugin_name_that_is_not_installed_is_an_error_listing_the_installed(variable, value, named, command):
    result = run(*command, env={variable: value})
    assert result.exit_code == EXIT_INVALID == UnknownPlugin.exit_code
    assert result.stdout == ""
    assert result.stderr == (
        f"livemoney: error: {variable}: {named} not installed (installed plugins: {listed()}; give entry-point or "
        "distribution names, comma-separated)\n"
    )


def test_the_library_refuses_the_typo_too(monkeypatch):
    monkeypatch.setenv("LIVEMONEY_LOAD_PLUGINS", "tiktk")
    with pytest.raises(UnknownPlugin, match="LIVEMONEY_LOAD_PLUGINS: tiktk is not installed"):
        get_plugin_manager()


@pytest.mark.skipif(not INSTALLED, reason="no plugin installed")
def test_installed_names_still_choose_what_loads(monkeypatch):
    name, dist = INSTALLED[0]
    for value in (name, dist, dist.replace("-", "_"), f" {name.upper()} ", "", "livemoney"):
        monkeypatch.setenv("LIVEMONEY_LOAD_PLUGINS", value)
        loaded = [plugin.name for plugin in get_plugin_manager().loaded]
        assert loaded == ([name] if value.strip() not in ("", "livemoney") else []), value
    monkeypatch.delenv("LIVEMONEY_LOAD_PLUGINS")
    monkeypatch.setenv("LIVEMONEY_DISABLE_PLUGINS", dist)
    assert name not in [plugin.name for plugin in get_plugin_manager().loaded]


# --- an empty log, a log without money ----------------------------------------------------------


def write(path, *lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("content", ["", "\n\n", "  \n"])
@pytest.mark.parametrize("format_", ["table", "json", "csv"])
def test_an_empty_log_is_an_error_that_says_so(tmp_path, content, format_):
    log = tmp_path / "capture.jsonl"
    log.write_text(content, encoding="utf-8")
    result = run("value", str(log), "--format", format_)
    assert (result.exit_code, result.stdout) == (EXIT_INVALID, "")
    assert result.stderr == f"livemoney: error: {log}: no records: the log is empty\n"


def test_an_empty_pipe_says_it_is_no_file():
    done = subprocess.run(
        ["bash", "-c", f"{LIVEMONEY} value <(true)"], capture_output=True, text=True, check=False, timeout=120
    )
    assert (done.returncode, done.stdout) == (EXIT_INVALID, "")
    assert done.stderr.startswith("livemoney: error: /dev/fd/")
    assert done.stderr.endswith(
        ": no records read (a pipe or a device, not a file: if it had lines, save them to a file and value that)\n"
    )


def test_two_empty_logs_are_named_together(tmp_path):
    a, b = write(tmp_path / "a.jsonl"), write(tmp_path / "b.jsonl")
    a.write_text("")
    b.write_text("")
    result = run("value", str(a), str(b))
    assert result.exit_code == EXIT_INVALID
    assert result.stderr == f"livemoney: error: {a}, {b}: no records: the logs are empty\n"


STARS = '{"type": "donation", "platform": "facebook", "feature": "stars", "amount": "500", "currency": "stars"}'


def test_an_empty_log_beside_one_with_records_is_noted(tmp_path):
    pytest.importorskip("livemoney_facebook")
    empty, stars = tmp_path / "empty.jsonl", write(tmp_path / "stars.jsonl", STARS)
    empty.write_text("")
    result = run("value", str(empty), str(stars), "--format", "json")
    assert result.exit_code == 0, result.output
    # 500 Stars: the creator earns 500 × 0.01 = 5.00 USD
    assert json.loads(result.stdout)["total"]["net"] == "5.00"
    lines = result.stderr.splitlines()
    assert lines[0] == f"livemoney: note: {empty} is empty: no records"
    assert lines[-1] == "records 1 = events 1 + without money 0 + rejected 0; events 1 = valued 1 + duplicates 0"


CHATS = [
    '{"event": "chat", "data": {"comment": "hi", "uniqueId": "a", "msgId": "1"}}',
    '{"event": "chat", "data": {"comment": "yo", "uniqueId": "b", "msgId": "2"}}',
    '{"event": "member", "data": {"uniqueId": "c", "msgId": "3"}}',
]


def test_a_log_whose_every_record_is_without_money_says_so(tmp_path):
    pytest.importorskip("livemoney_tiktok")
    log = write(tmp_path / "connector.jsonl", *CHATS)
    result = run("value", str(log))
    assert result.exit_code == 0, result.output
    assert "records 3 = events 0 + without money 3 + rejected 0" in result.stdout
    assert result.stderr == "livemoney: note: no event to value: every record is without money (chat 2, member 1)\n"
    as_json = run("value", str(log), "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["counts"]["records"] == 3
    assert as_json.stderr.endswith(
        "livemoney: note: no event to value: every record is without money (chat 2, member 1)\n"
    )


def test_a_log_with_no_event_for_other_reasons_says_what_its_records_were(tmp_path):
    pytest.importorskip("livemoney_tiktok")
    unknown = '{"event": "treasureHunt", "data": {"uniqueId": "a", "msgId": "4"}}'
    log = write(tmp_path / "connector.jsonl", CHATS[0], unknown)
    result = run("value", str(log))
    assert result.exit_code == 0, result.output
    assert result.stderr == "livemoney: note: no event to value: of 2 records, without money 1, not read 1\n"
    alone = run("value", str(write(tmp_path / "one.jsonl", unknown)), "--input-format", "tiktok-live-connector")
    assert alone.exit_code == 0, alone.output
    assert alone.stderr == "livemoney: note: no event to value: of 1 record, not read 1\n"


def test_a_log_with_money_says_nothing_more(tmp_path):
    pytest.importorskip("livemoney_facebook")
    result = run("value", str(write(tmp_path / "stars.jsonl", STARS)))
    assert (result.exit_code, result.stderr) == (0, "")


def test_ctrl_c_while_python_imports_livemoney_is_one_line_and_130(monkeypatch, capsys):
    """The command's entry point (livemoney_launch, outside the package) catches Ctrl-C during the imports that
    come before the command runs (a KeyboardInterrupt traceback from livemoney/__init__.py; breaker trial)."""
    import types

    import livemoney_launch
    from livemoney.errors import EXIT_INTERRUPTED

    class Interrupted(types.ModuleType):
        def __getattr__(self, name):
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "livemoney.cli", Interrupted("livemoney.cli"))
    with pytest.raises(SystemExit) as ended:
        livemoney_launch.main()
    assert ended.value.code == EXIT_INTERRUPTED == livemoney_launch.EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "livemoney: interrupted\n"
    script = Path(sys.executable).parent / "livemoney"
    assert "from livemoney_launch import main" in script.read_text(encoding="utf-8")
