"""Packaging: every distribution of the repository declares its licence as SPDX and ships the file; building
says nothing a user must act on; installing an example plugin leaves nothing in its folder; build leftovers
in the source folders are ignored by the test suite, which names them; ``make demo`` prints the demo.

Builds run pip on copies of the folders, into throwaway folders: the repository and .venv stay as they are.
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIP = [sys.executable, "-m", "pip"]
DISTRIBUTIONS = [
    folder
    for folder in [ROOT, *sorted(ROOT.glob("plugins/*/")), *sorted(ROOT.glob("examples/plugins/*/"))]
    if (folder / "pyproject.toml").is_file()
]
LEFTOVERS = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")


def run(command, cwd=ROOT, env=None, timeout=300):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout)


def listing(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_every_distribution_is_found():
    found = {str(folder.relative_to(ROOT)) for folder in DISTRIBUTIONS}
    platforms = {f"plugins/{name}" for name in ("tiktok", "youtube", "instagram", "facebook", "_template")}
    assert {".", *platforms, "examples/plugins/agency", "examples/plugins/tax"} <= found


@pytest.mark.parametrize("folder", DISTRIBUTIONS, ids=lambda folder: str(folder.relative_to(ROOT)))
def test_every_distribution_declares_an_spdx_licence_and_ships_its_file(folder):
    data = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    project, build = data["project"], data["build-system"]
    # A string (SPDX expression), not the {text = ...} table setuptools warns about at every build.
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (folder / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    if build["build-backend"] == "setuptools.build_meta":
        # license-files and SPDX expressions need setuptools 77
        assert build["requires"] == ["setuptools>=77"]
    else:
        assert build["build-backend"] == "flit_core.buildapi" and build["requires"] == ["flit_core>=3.12,<5"]


def test_building_a_platform_plugin_warns_of_nothing(tmp_path):
    source = tmp_path / "instagram"
    shutil.copytree(ROOT / "plugins" / "instagram", source, ignore=LEFTOVERS)
    done = run([*PIP, "wheel", "--no-deps", "--wheel-dir", str(tmp_path / "wheels"), str(source)])
    assert done.returncode == 0, done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert "BuildBackendWarning" not in said and "deprecated" not in said.lower(), said
    assert [wheel.name for wheel in (tmp_path / "wheels").iterdir()] == ["livemoney_instagram-0.1.0-py3-none-any.whl"]


def test_installing_the_example_plugins_as_the_docs_say_leaves_nothing_in_their_folders(tmp_path):
    # docs/installing.md: pip install ./examples/plugins/agency (here a copy of each, into a throwaway folder)
    copies = []
    for name in ("agency", "tax"):
        copy = tmp_path / "examples" / name
        shutil.copytree(ROOT / "examples" / "plugins" / name, copy, ignore=LEFTOVERS)
        copies.append((copy, listing(copy)))
    site = tmp_path / "site"
    done = run([*PIP, "install", "--quiet", "--no-deps", "--target", str(site), *(str(c) for c, _ in copies)])
    assert done.returncode == 0, done.stdout + done.stderr
    assert {"livemoney_agency", "livemoney_tax"} <= set(os.listdir(site))
    for copy, before in copies:
        assert listing(copy) == before, f"{copy.name}: the build left {sorted(set(listing(copy)) - set(before))}"


STALE = """\
Metadata-Version: 2.1
Name: livemoney-agency
Version: 0.1.0
"""
PYTEST_INI = """\
[tool.pytest.ini_options]
addopts = "-p no:cacheprovider --import-mode=importlib"
"""
NOT_LOADED = """\
from livemoney.pluginsys.manager import get_plugin_manager


def test_the_uninstalled_agency_does_not_load():
    assert "agency" not in {plugin.name for plugin in get_plugin_manager().loaded}
"""


def test_build_leftovers_of_an_uninstalled_plugin_are_ignored_and_named(tmp_path):
    """What a pip install then uninstall of examples/plugins/agency with setuptools left behind: its
    ``*.egg-info`` (found through the folder the example's conftest puts on sys.path) must not make the
    agency load in every test, and the run says what it ignored."""
    repo = tmp_path / "repo"
    agency = repo / "examples" / "plugins" / "agency"
    shutil.copytree(ROOT / "examples" / "plugins" / "agency", agency, ignore=LEFTOVERS)
    # This repository's way of importing (conftest.py files by path, nothing put on sys.path by pytest).
    (repo / "pyproject.toml").write_text(PYTEST_INI, encoding="utf-8")
    egg = agency / "livemoney_agency.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text(STALE, encoding="utf-8")
    (egg / "entry_points.txt").write_text("[livemoney]\nagency = livemoney_agency\n", encoding="utf-8")
    (agency / "build" / "lib" / "livemoney_agency").mkdir(parents=True)
    # The editable install's metadata of an installed distribution is not a leftover.
    (repo / "sdk" / "livemoney.egg-info").mkdir(parents=True)
    (repo / "sdk" / "livemoney.egg-info" / "PKG-INFO").write_text("Name: livemoney\n", encoding="utf-8")
    (agency / "tests" / "test_not_loaded.py").write_text(NOT_LOADED, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LIVEMONEY_", "PYTEST_"))}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # quicker: no notebook, hypothesis or browser plugin
    command = [sys.executable, "-m", "pytest", "examples/plugins/agency/tests/test_not_loaded.py"]

    without = run(command, cwd=repo, env=env)
    assert without.returncode == 1, without.stdout  # the leftover loads the agency: the planted case is real
    shutil.copy(ROOT / "conftest.py", repo / "conftest.py")
    done = run(command, cwd=repo, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    said = [line for line in done.stdout.splitlines() if line.startswith("build leftovers ignored: ")]
    assert said and all(line == said[0] for line in said), done.stdout  # at the start and at the end
    assert said[0] == (
        "build leftovers ignored: examples/plugins/agency/livemoney_agency.egg-info, "
        "examples/plugins/agency/build (a pip install of a source folder left them; make clean-build removes them)"
    )


FAKE_PYTHON = """\
#!/bin/sh
# python -m venv DIR: a venv whose python is this script; python -m pip ...: pip's noise
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python"
    printf '#!/bin/sh\\necho "the demo: $*"\\n' > "$3/bin/livemoney" && chmod +x "$3/bin/livemoney"
    exit 0
fi
i=0; while [ $i -lt 400 ]; do echo "BuildBackendWarning: noise $i" >&2; i=$((i+1)); done
[ -z "$PIP_FAILS" ] || { echo "ERROR: no matching distribution"; exit 1; }
"""


def test_make_demo_prints_one_line_of_set_up_then_the_demo(tmp_path):
    python = tmp_path / "python"
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    venv = tmp_path / "venv"
    make = ["make", "--no-print-directory", "-C", str(ROOT), "demo", f"PYTHON={python}", f"VENV={venv}"]
    done = run(make)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        f"setting up {venv}: livemoney and the four platform plugins (a minute or two; pip's log: {venv}/install.log)",
        "the demo: demo",
    ]
    assert done.stderr == ""
    assert (venv / "install.log").read_text(encoding="utf-8").count("BuildBackendWarning") == 800
    # Once set up, the demo alone.
    again = run(make)
    assert (again.returncode, again.stdout, again.stderr) == (0, "the demo: demo\n", "")


def test_make_demo_shows_the_end_of_pips_log_when_the_set_up_fails(tmp_path):
    python = tmp_path / "python"
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    venv = tmp_path / "venv"
    env = {**os.environ, "PIP_FAILS": "1"}
    done = run(["make", "--no-print-directory", "-C", str(ROOT), "demo", f"PYTHON={python}", f"VENV={venv}"], env=env)
    assert done.returncode != 0
    lines = done.stdout.splitlines()
    assert lines[-2:] == [
        "ERROR: no matching distribution",
        f"setting up {venv} failed: pip's whole log is {venv}/install.log",
    ]
    assert "the demo" not in done.stdout and not (venv / ".installed").exists()
