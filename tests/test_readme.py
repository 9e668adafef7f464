"""README.md, followed as written on a fresh clone: every command of its ``console`` blocks runs without
an error (its ``python`` blocks run in tests/test_analytics.py).

The commands run from the clone's root with the environment's ``bin`` first on ``PATH`` (what
``. .venv/bin/activate`` does); ``make demo`` and ``make test`` are left out (``make test`` runs this
test; ``tests/test_packaging.py`` checks ``make demo``). They run in a folder that stands for the clone's
root (a link to each of its entries), so that a file a command writes lands there and not in the
repository.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
BLOCK = re.compile(r"^```(console|python)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SET_UP = ("make ", ". .venv/bin/activate")


def blocks(kind):
    return [body for language, body in BLOCK.findall(README.read_text(encoding="utf-8")) if language == kind]


def commands():
    """Each command line of the console blocks (a comment after ``#`` dropped), but the set-up."""
    found = []
    for body in blocks("console"):
        for line in body.splitlines():
            command = line.split(" #")[0].strip()
            if command and not command.startswith(SET_UP):
                found.append(command)
    return found


@pytest.fixture
def clone(tmp_path):
    """A folder standing for a fresh clone's root: a link to each entry of the repository's root."""
    root = tmp_path / "clone"
    root.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {".git", ".venv", "test-output"}:
            (root / entry.name).symlink_to(entry)
    return root


def environment():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LIVEMONEY_", "PYTEST_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["MPLBACKEND"] = "Agg"
    return env


def test_the_readme_has_commands_and_python_to_try():
    assert len(commands()) >= 5
    assert any(command.startswith("livemoney value ") for command in commands())


@pytest.mark.parametrize("command", commands())
def test_each_command_of_the_readme_runs(command, clone):
    done = subprocess.run(
        ["bash", "-c", command], cwd=clone, env=environment(), capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, f"$ {command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr and done.stdout.strip(), f"$ {command}\n{done.stderr}"
