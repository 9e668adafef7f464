"""The repository's pytest set-up: build leftovers in the source folders are ignored, and the run says so.

``pip install FOLDER`` of a distribution built with setuptools leaves ``build/`` and ``NAME.egg-info`` in
that folder (setuptools does not clean them: pypa/setuptools#3236, #4198). A test that puts the folder on
``sys.path`` (an example plugin's conftest does, to import the plugin uninstalled) then makes
``importlib.metadata`` find the ``*.egg-info`` as an installed distribution with its entry points, even
after ``pip uninstall``: the plugin loads into every default plugin manager and the tests that register it
by hand fail ("Plugin name already registered"). So, before any test is collected, each ``*.egg-info`` in
the repository whose distribution is not installed is hidden from ``importlib.metadata`` for the run, and
the run names it (at the start and at the end). ``build/`` folders are never collected (pytest's
``norecursedirs``). ``make clean-build`` removes both. The example plugins build with flit_core, which
leaves nothing behind; the platform plugins' editable installs (``make``) leave an ``*.egg-info`` that
stays visible while its distribution is installed.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SKIPPED = {".git", ".venv", "node_modules", "test-output", "__pycache__", ".hypothesis", ".ipynb_checkpoints"}


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _project(egg_info: Path) -> str:
    """The distribution named in ``egg_info/PKG-INFO`` (else the folder's name up to ``.egg-info``)."""
    try:
        for line in (egg_info / "PKG-INFO").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Name:"):
                return line.removeprefix("Name:").strip()
    except OSError:
        pass
    return egg_info.name.removesuffix(".egg-info").split("-")[0]


def build_leftovers(root: Path) -> tuple[list[Path], list[Path]]:
    """The ``*.egg-info`` and ``build/`` folders under ``root`` (not in .git, .venv and the like)."""
    eggs: list[Path] = []
    builds: list[Path] = []
    for folder, names, _ in os.walk(root):
        here = Path(folder)
        for name in list(names):
            if name in SKIPPED or name.startswith(".") or name.endswith(".dist-info"):
                names.remove(name)
            elif name.endswith(".egg-info"):
                eggs.append(here / name)
                names.remove(name)
            elif name == "build":
                builds.append(here / name)
                names.remove(name)
    return sorted(eggs), sorted(builds)


def stale(eggs: Iterable[Path], path: Iterable[str]) -> list[Path]:
    """The ``eggs`` whose distribution is installed nowhere on ``path`` but in the eggs' own folders."""
    eggs = list(eggs)
    folders = {egg.parent.resolve() for egg in eggs}
    elsewhere = [entry for entry in path if entry and Path(entry).resolve() not in folders]
    installed = {
        _canonical(dist.metadata["Name"])
        for dist in importlib.metadata.distributions(path=elsewhere)
        if dist.metadata["Name"]
    }
    return [egg for egg in eggs if _canonical(_project(egg)) not in installed]


def hide(eggs: Iterable[Path]) -> None:
    """Make ``importlib.metadata`` skip these ``*.egg-info`` folders, wherever they are found on the path."""
    hidden = {egg.resolve() for egg in eggs}
    if not hidden:
        return
    finder = importlib.metadata.MetadataPathFinder
    found = finder.find_distributions

    def find_distributions(cls: type, *args: object, **kwargs: object) -> Iterator[importlib.metadata.Distribution]:
        dists = found(*args, **kwargs)
        # A PathDistribution keeps its folder in ``_path`` (importlib.metadata's own name for it).
        return (dist for dist in dists if Path(getattr(dist, "_path", "")).resolve() not in hidden)

    finder.find_distributions = classmethod(find_distributions)  # type: ignore[assignment,method-assign]


IGNORED: list[Path] = []


def _said(label: str) -> list[str]:
    if not IGNORED:
        return []
    names = ", ".join(str(path.relative_to(ROOT)) for path in IGNORED)
    return [f"{label}: {names} (a pip install of a source folder left them; make clean-build removes them)"]


def pytest_configure(config: pytest.Config) -> None:
    eggs, builds = build_leftovers(ROOT)
    hidden = stale(eggs, sys.path)
    hide(hidden)
    IGNORED[:] = [*hidden, *builds]


def pytest_report_header(config: pytest.Config) -> list[str]:
    return _said("build leftovers ignored")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _said("build leftovers ignored"):
        terminalreporter.write_line(line, yellow=True)
