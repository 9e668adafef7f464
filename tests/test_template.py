"""docs/tutorial.md, followed to the letter: a Twitch plugin from the template, installed and seen everywhere.

The test runs each command of the tutorial's ``console`` blocks in order (``cd`` moves it along), writes
each file the tutorial shows (a line ``File `PATH`:`` before a fenced block), and checks the output the
tutorial shows, line by line with runs of spaces folded (``...`` stands for lines left out). One command
is adapted so that nothing lands in the project's environment: ``pip install -e .`` installs the
distribution into a throwaway folder, put on ``PYTHONPATH`` after the plugin's own folder, as an
editable install would. The plugin's ``python -m pytest`` runs without the notebook plugin, nbval.
"""

import json
import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from livemoney.engine.api import platforms
from livemoney.pluginsys.manager import get_plugin_manager
from livemoney.scaffold import TEMPLATE_KEY, template_directory

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)$")
CAPTION = re.compile(r"^File `([^`]+)`:$")
EDITABLE = re.compile(r"^pip install -e (\S+)$")
PIP_INSTALL = ("-m", "pip", "install", "--quiet", "--no-deps", "--target")


def steps(markdown):
    """``("run", command, expected lines)`` and ``("write", path, text)`` in the tutorial's order."""
    lines = markdown.splitlines()
    found, index = [], 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if not fence or not fence.group(1):
            index += 1
            continue
        end = lines.index("```", index + 1)
        body = lines[index + 1 : end]
        # A block left open would swallow the next one (its commands would never run).
        assert not [line for line in body if FENCE.match(line)], f"line {index + 1}: a fenced block is not closed"
        caption = CAPTION.match(lines[index - 2]) if index >= 2 and not lines[index - 1].strip() else None
        if fence.group(1) == "console":
            for line in body:
                if line.startswith("$ "):
                    found.append(("run", line[2:], []))
                else:
                    found[-1][2].append(line)
        elif caption:
            found.append(("write", caption.group(1), "\n".join(body) + "\n"))
        index = end + 1
    return found


def folded(text):
    return " ".join(text.split())


def check_output(command, expected, stdout):
    shown = [folded(line) for line in expected if line.strip() and line.strip() != "..."]
    actual = {folded(line) for line in stdout.splitlines()}
    missing = [line for line in shown if line not in actual]
    assert not missing, f"$ {command}\nexpected lines not printed: {missing}\noutput:\n{stdout}"


def kit_installed():
    return any(ep.value == "livemoney.testing" for ep in entry_points(group="pytest11"))


def test_the_tutorial_builds_installs_and_checks_a_twitch_plugin(tmp_path):
    work, site = tmp_path / "work", tmp_path / "site"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("LIVEMONEY_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = ""
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # The plugin's tests need no notebook plugin (slow to start); the kit loads as installed, or by hand.
    env["PYTEST_ADDOPTS"] = "-p no:nbval" + ("" if kit_installed() else " -p livemoney.testing")
    here = work
    ran = []
    for kind, what, detail in steps(TUTORIAL.read_text(encoding="utf-8")):
        if kind == "write":
            target = here / what
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(detail, encoding="utf-8")
            continue
        ran.append(what)
        if what.startswith("cd "):
            here = (here / what[3:]).resolve()
            continue
        editable = EDITABLE.match(what)
        if editable:
            source = (here / editable.group(1)).resolve()
            command = [sys.executable, *PIP_INSTALL, str(site), str(source)]
            env["PYTHONPATH"] = os.pathsep.join([str(source), str(site)])
        else:
            command = ["bash", "-c", what]
        done = subprocess.run(command, cwd=here, env=env, capture_output=True, text=True, check=False, timeout=300)
        assert done.returncode == 0, f"$ {what}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"$ {what}\n{done.stderr}"
        check_output(what, detail, done.stdout)
    assert ran[:3] == ["livemoney new-plugin twitch --title Twitch", "cd livemoney-twitch", "python -m pytest"]
    assert ran.count("python -m pytest") == 2  # the template's tests, then the tutorial's
    assert {"livemoney plugins", "livemoney platforms", "livemoney compare --as-of 2026-11-02"} <= set(ran)

    # Beyond the page: with every installed plugin, JSON says the same, and the check finds nothing in Twitch.
    def livemoney(*args):
        done = subprocess.run(
            [str(BIN / "livemoney"), *args], cwd=here, env=env, capture_output=True, text=True, check=False
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done

    plugins = json.loads(livemoney("plugins", "--format", "json").stdout)["plugins"]
    assert {"name": "twitch", "distribution": "livemoney-twitch", "version": "0.1.0"}.items() <= next(
        row for row in plugins if row["name"] == "twitch"
    ).items()
    (twitch,) = [p for p in json.loads(livemoney("platforms", "--format", "json").stdout) if p["key"] == "twitch"]
    assert (twitch["name"], twitch["gifts_donations"], twitch["likes_pay"]) == ("Twitch", "Yes (Bits)", False)
    rows = json.loads(livemoney("compare", "--format", "json").stdout)["rows"]
    bits = next(row for row in rows if (row["platform"], row["feature"]) == ("twitch", "bits"))
    # 100 USD buys 100 / 0.014 Bits worth 0.01 each: 71.428… → 71.43; Twitch keeps 28.57.
    assert (bits["gross"], bits["net"], bits["shares"][0]["amount"]) == ("100.00", "71.43", "28.57")
    check = livemoney("plugins", "--check")
    assert "plugin 'twitch'" not in check.stdout, check.stdout
    # A bad Bit setting is the user's error, on one line naming it, never the plugin's (exit 3): a negative
    # figure as --set is read (exit 2), 1 USD a Bit (more than the 1.40 / 100 = 0.014 a viewer pays) when valued.
    below = livemoney("value", "tests/data/cheers.jsonl", "--set", "twitch.bit_usd=-1")
    assert below.returncode == 2 and below.stderr.count("\n") == 1, below.stderr
    assert "Invalid value for '--set': twitch.bit_usd: '-1' must be at least 0 (USD/bit)" in below.stderr
    above = livemoney("value", "tests/data/cheers.jsonl", "--set", "twitch.bit_usd=1")
    assert above.returncode == 1
    assert above.stderr == (
        "livemoney: error: twitch.bit_usd: 1 USD a bit is more than the creator can earn: "
        "a viewer pays 0.014 USD for one (twitch.bit_pack = 100/1.40)\n"
    )


def test_the_tutorial_shows_every_file_it_writes_once():
    written = [what for kind, what, _ in steps(TUTORIAL.read_text(encoding="utf-8")) if kind == "write"]
    assert written == [
        "livemoney_twitch/rules.py",
        "livemoney_twitch/value.py",
        "livemoney_twitch/readers/eventsub.py",
        "livemoney_twitch/readers/__init__.py",
        "tests/data/cheers.jsonl",
        "tests/test_twitch.py",
    ]


def test_the_template_is_not_an_installed_plugin_and_its_key_is_no_platforms():
    pm = get_plugin_manager()
    assert TEMPLATE_KEY not in {name for name, _ in pm.list_name_plugin()}
    assert TEMPLATE_KEY not in {platform.key for platform in platforms(pm)}
    assert TEMPLATE_KEY not in {ep.name for ep in entry_points(group="livemoney")}
    # A build in the template's folder would leave metadata that makes it look installed.
    assert not list(template_directory().glob("*.egg-info"))


def test_steps_reads_commands_their_output_and_files():
    page = "Intro\n\n```console\n$ cd x\n$ ls\nshown\n...\n```\n\nFile `a/b.py`:\n\n```python\nx = 1\n```\n"
    page += "\n```python\nnot a file\n```\n"
    assert steps(page) == [("run", "cd x", []), ("run", "ls", ["shown", "..."]), ("write", "a/b.py", "x = 1\n")]


def test_steps_refuses_a_block_left_open():
    page = "File `a.py`:\n\n```python\nx = 1\n```console\n$ python -m pytest\n```\n"
    with pytest.raises(AssertionError, match="line 3: a fenced block is not closed"):
        steps(page)
