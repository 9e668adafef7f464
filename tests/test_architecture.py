"""The checks of the whole code base in `make test`: the layers of docs/architecture.md (arrows point
down only: import-linter's layers contract in pyproject.toml; no circle of imports anywhere in livemoney:
grimp; imports inside functions count), the types (mypy) and the lint (ruff)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sdk" / "livemoney"
UPWARD = '''"""A throwaway module of the core that reaches up to the engine inside a function."""


def later():
    from livemoney.engine import valuer

    return valuer
'''


def lint_imports(config: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    """``lint-imports`` on ``config``, in a fresh interpreter (finding livemoney on ``pythonpath`` first)."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), env.get("PYTHONPATH", "")])
    script = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    command = [sys.executable, "-c", script, "--config", str(config), "--no-cache", "--no-logo"]
    return subprocess.run(command, capture_output=True, text=True, cwd=config.parent, env=env, check=False)


def circles(graph: grimp.ImportGraph, package: str = "livemoney") -> list[tuple[str, ...]]:
    """Every circle of imports among ``package``'s modules, each as its shortest chain ``(a, b, ..., a)``
    starting at its first module in sorted order."""
    found = set()
    modules = graph.find_descendants(package) | {package}
    for importer in modules:
        for imported in graph.find_modules_directly_imported_by(importer) & modules:
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                loop = (importer, *back)[:-1]
                start = loop.index(min(loop))
                found.add((*loop[start:], *loop[:start], loop[start]))
    return sorted(found)


def planted_copy(tmp_path: Path, relative: str, text: str) -> Path:
    """A copy of the livemoney package under ``tmp_path`` with one more module, and the config beside it."""
    shutil.copytree(PACKAGE, tmp_path / "livemoney", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "livemoney" / relative).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_arrows_point_down_only():
    done = lint_imports(ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_the_contract_sees_an_upward_import_inside_a_function(tmp_path):
    copy = planted_copy(tmp_path, "core/_planted.py", UPWARD)
    done = lint_imports(copy / "pyproject.toml", pythonpath=copy)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout
    assert "livemoney.core._planted -> livemoney.engine.valuer" in done.stdout


def test_no_circle_of_imports_anywhere_in_livemoney():
    assert circles(grimp.build_graph("livemoney", cache_dir=None)) == []


def test_the_circle_check_sees_imports_inside_functions(tmp_path):
    # core/_a imports core/_b at the top, core/_b imports core/_a inside a function: one layer, one circle
    copy = planted_copy(tmp_path, "core/_a.py", "from livemoney.core import _b\n")
    (copy / "livemoney" / "core" / "_b.py").write_text("def later():\n    from livemoney.core import _a\n")
    script = (
        "import grimp, json, sys; sys.path.insert(0, sys.argv[1]); from test_architecture import circles; "
        "print(json.dumps(circles(grimp.build_graph('livemoney', cache_dir=None))))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '[["livemoney.core._a", "livemoney.core._b", "livemoney.core._a"]]'


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ({"p.a": ["p.b"], "p.b": ["p.c"], "p.c": []}, []),
        ({"p.a": ["p.b"], "p.b": ["p.c"], "p.c": ["p.a"]}, [("p.a", "p.b", "p.c", "p.a")]),
        ({"p.b": ["p.a"], "p.a": ["p.b"]}, [("p.a", "p.b", "p.a")]),
    ],
)
def test_circles_finds_each_circle_once(imports, expected):
    graph = grimp.ImportGraph()
    graph.add_module("p")
    for importer, imported in imports.items():
        graph.add_module(importer)
        for other in imported:
            graph.add_import(importer=importer, imported=other)
    assert circles(graph, "p") == expected


def test_types_check_clean():
    """mypy over sdk/livemoney, the plugins and the examples (pyproject's [tool.mypy]; its cache under .venv keeps a
    second run quick)."""
    done = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_nothing():
    folders = ["sdk", "tests", "plugins", "examples", "benchmarks", "scripts"]
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", *folders]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_page_draws_every_module_of_the_layers():
    """docs/architecture.md's diagram names each module of core/, engine/ and pluginsys/ and each front end; its
    table names each module of kit/: a module added to a layer is added to the page."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    diagram = set(page.split("```")[1].replace("/", " ").split())
    modules = {
        f"{folder}/{path.relative_to(PACKAGE / folder).with_suffix('')}"
        for folder in ("core", "engine", "pluginsys")
        for path in (PACKAGE / folder).rglob("*.py")
        if path.name != "__init__.py"
    }
    assert sorted(name for name in modules if not set(name.split("/")[1:]) <= diagram) == []
    front = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "errors", "_moved"} | {"widgets"}
    assert sorted(front - diagram) == []
    (kit_row,) = [line for line in page.splitlines() if line.startswith("| `kit/` |")]
    kit = {path.stem for path in (PACKAGE / "kit").glob("*.py")} - {"__init__"}
    assert sorted(name for name in kit if f"`{name}`" not in kit_row) == []
