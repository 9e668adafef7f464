"""With a fifth platform installed, the host's tests that read the installed plugins and every notebook pass.

The fifth platform is the tutorial's Twitch (docs/tutorial.md): ``livemoney new-plugin twitch`` and the
tutorial's files, built and installed with pip into a throwaway folder that only the child processes
see, on ``PYTHONPATH``; the project's environment (.venv) is never written to, so nothing is left in it
even if the test dies. The tests run in a child pytest (the notebooks under nbval); then the folder is
removed and the test checks that nothing of Twitch is left: not in .venv, not in the repository, not
among the plugins a new process finds.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SITE_PACKAGES = [Path(path) for path in sys.path if path.endswith("site-packages") and Path(path).is_dir()]
# The tests that read whichever plugins are installed (the seed table, every platform's invariants, the
# loading of plugins, the checks, the comparison), and every notebook.
HOST_TESTS = [
    "tests/test_cli.py",
    "tests/test_api.py",
    "tests/test_compare.py",
    "tests/test_plugins_loading.py",
    "tests/test_checks.py",
    "tests/test_foundation.py",
    "notebooks",
]


def tutorial_files():
    """``{path: text}`` of the files docs/tutorial.md writes (as tests/test_template.py reads them)."""
    spec = importlib.util.spec_from_file_location("tutorial_steps", ROOT / "tests" / "test_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    return {what: text for kind, what, text in module.steps(page) if kind == "write"}


def environment(site=None):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LIVEMONEY_", "PYTEST_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(site) if site else ""
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(command, env, cwd=ROOT, timeout=300):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout)


def installed_platforms(env):
    done = run([str(BIN / "livemoney"), "platforms", "--format", "json"], env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return [platform["key"] for platform in json.loads(done.stdout)]


def twitch_paths():
    """Every path under the repository (not .git) whose name says twitch."""
    found = []
    for folder, names, files in os.walk(ROOT):
        names[:] = [name for name in names if name != ".git"]
        found += [Path(folder, name) for name in [*names, *files] if "twitch" in name.lower()]
    return sorted(found)


def site_listing():
    return {folder: sorted(os.listdir(folder)) for folder in SITE_PACKAGES}


def test_a_fifth_platform_installed_keeps_the_tests_and_notebooks_passing_and_leaves_nothing(tmp_path):
    work, site = tmp_path / "work", tmp_path / "site"
    work.mkdir()
    before = site_listing(), twitch_paths()
    plain = environment()
    four = installed_platforms(plain)
    if "twitch" in four:
        pytest.skip("Twitch is installed already: this whole run is the test with a fifth platform")
    try:
        made = run([str(BIN / "livemoney"), "new-plugin", "twitch", "--title", "Twitch"], plain, cwd=work)
        assert made.returncode == 0, made.stderr
        plugin = work / "livemoney-twitch"
        for path, text in tutorial_files().items():
            (plugin / path).parent.mkdir(parents=True, exist_ok=True)
            (plugin / path).write_text(text, encoding="utf-8")
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(plugin)]
        installed = run(pip, plain)
        assert installed.returncode == 0, installed.stdout + installed.stderr
        five = environment(site)
        assert set(installed_platforms(five)) == {*four, "twitch"}
        tests = run([sys.executable, "-m", "pytest", "-q", "-m", "not browser", *HOST_TESTS], five, timeout=600)
        assert tests.returncode == 0, tests.stdout[-6000:] + tests.stderr[-2000:]
        assert " passed" in tests.stdout.splitlines()[-1] and " failed" not in tests.stdout.splitlines()[-1]
    finally:
        shutil.rmtree(site, ignore_errors=True)  # the uninstall: the folder was the only place it was
        shutil.rmtree(work, ignore_errors=True)
    assert installed_platforms(plain) == four
    assert (site_listing(), twitch_paths()) == before
