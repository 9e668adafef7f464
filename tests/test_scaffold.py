"""livemoney.scaffold.new_plugin: the template copied and renamed for a new platform key, whose tests pass."""

import os
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from livemoney.errors import ScaffoldError
from livemoney.scaffold import TEMPLATE_KEY, TEMPLATE_TITLE, installed_plugin, new_plugin, template_directory

# A key no installed plugin has (new_plugin refuses those): the tutorial's twitch, unless it is installed.
FREE = next(key for key in ("twitch", "kick", "trovo", "dlive") if installed_plugin(key) is None)


def test_the_copy_is_renamed_everywhere(tmp_path):
    folder = new_plugin("kick_live", tmp_path / "livemoney-kick", title="Kick")
    files = sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    assert files == [
        "LICENSE",
        "README.md",
        "conftest.py",
        "livemoney_kick_live/__init__.py",
        "livemoney_kick_live/readers/__init__.py",
        "livemoney_kick_live/readers/jsonl.py",
        "livemoney_kick_live/rules.py",
        "livemoney_kick_live/value.py",
        "pyproject.toml",
        "tests/test_kick_live.py",
    ]
    for path in folder.rglob("*.*"):
        text = " ".join(path.read_text(encoding="utf-8").split())  # "My Platform" broken over two lines too
        assert TEMPLATE_KEY not in text and TEMPLATE_TITLE not in text, path
    pyproject = (folder / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "livemoney-kick_live"' in pyproject
    assert '[project.entry-points.livemoney]\nkick_live = "livemoney_kick_live:PLUGIN"' in pyproject
    assert 'packages = ["livemoney_kick_live", "livemoney_kick_live.readers"]' in pyproject
    rules = (folder / "livemoney_kick_live" / "rules.py").read_text(encoding="utf-8")
    assert 'KEY = "kick_live"\nNAME = "Kick"\n' in rules


def test_the_copy_passes_its_own_tests_as_it_is(tmp_path):
    folder = new_plugin("kick_live", tmp_path / "livemoney-kick", title="Kick")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LIVEMONEY_", "PYTEST_"))}
    kit = any(ep.value == "livemoney.testing" for ep in entry_points(group="pytest11"))
    # The copy's tests need no notebook plugin; the testing kit loads as installed, or by hand.
    env["PYTEST_ADDOPTS"] = "-p no:nbval -p no:cacheprovider" + ("" if kit else " -p livemoney.testing")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout and "failed" not in done.stdout and "skipped" not in done.stdout


def test_the_title_defaults_to_the_name_capitalised(tmp_path):
    folder = new_plugin(FREE, tmp_path / FREE)
    assert f'NAME = "{FREE.capitalize()}"' in (folder / f"livemoney_{FREE}" / "rules.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("title", ['The "Best" TV', "Back\\slash", "Two\nlines"])
def test_a_title_that_would_break_the_plugins_files_is_refused(tmp_path, title):
    # a new user's trial: a double quote made pyproject.toml and rules.py invalid, after "created"
    with pytest.raises(ScaffoldError, match="double quote, a backslash or a control character"):
        new_plugin(FREE, tmp_path / "out", title=title)
    assert not (tmp_path / "out").exists()
    folder = new_plugin(FREE, tmp_path / "ok", title="Bob's Live & Co.")
    assert 'NAME = "Bob\'s Live & Co."' in (folder / f"livemoney_{FREE}" / "rules.py").read_text(encoding="utf-8")


def test_nothing_built_or_cached_is_copied(tmp_path):
    template = tmp_path / "template"
    (template / "livemoney_myplatform" / "__pycache__").mkdir(parents=True)
    (template / "livemoney_myplatform" / "__pycache__" / "x.pyc").write_bytes(b"")
    (template / "livemoney_myplatform.egg-info").mkdir()
    (template / "pyproject.toml").write_text('name = "livemoney-myplatform"\n', encoding="utf-8")
    folder = new_plugin(FREE, tmp_path / "out", template=template)
    assert sorted(path.name for path in folder.rglob("*")) == [f"livemoney_{FREE}", "pyproject.toml"]


@pytest.mark.parametrize("name", ["Twitch", "2fast", "twitch-tv", "", "livemoney_x", "twitch tv"])
def test_a_name_that_is_no_platform_key_is_refused(tmp_path, name):
    with pytest.raises(ScaffoldError, match="is not a platform key"):
        new_plugin(name, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_folder_in_the_way_is_left_alone(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="already exists and is not an empty folder"):
        new_plugin(FREE, tmp_path / "out")
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["mine.txt"]
    (tmp_path / "empty").mkdir()
    assert new_plugin(FREE, tmp_path / "empty") == tmp_path / "empty"


def test_the_template_ships_with_the_source():
    assert (template_directory() / "livemoney_myplatform" / "__init__.py").is_file()
