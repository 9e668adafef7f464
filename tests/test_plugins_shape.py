"""The plugins shaped alike, importing only the kit.

Every distribution of this repository (plugins/*, the template, examples/plugins/*) imports nothing of
livemoney but `livemoney` and `livemoney.kit` (its tests also the plugin authors' `livemoney.testing` and
the command line, `livemoney.cli`); imports inside functions count. Every platform distribution
(plugins/*) has the same modules for the same roles:

- ``livemoney_<p>/__init__.py``: the plugin, ``PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)``
  (the kit's hook implementations), and nothing else;
- ``rules.py``: the figures (``SETTINGS``) and the platform (``PLATFORM``);
- ``value.py``: the valuations, one function a hook (the kit's `Valuations`);
- ``readers/__init__.py``: ``READERS``, each the ``READER`` of a module of ``readers/``, one module a
  format (modules shared by the formats define no ``READER``);
- optional ``live.py`` (adapters to live client objects) and ``data/``; nothing else;

and its entry point names the plugin: ``<p> = "livemoney_<p>:PLUGIN"``.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from livemoney.kit.platform import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTIONS = sorted(
    path.parent for path in [*ROOT.glob("plugins/*/pyproject.toml"), *ROOT.glob("examples/plugins/*/pyproject.toml")]
)
PLATFORMS = sorted(path.parent for path in ROOT.glob("plugins/*/pyproject.toml"))
KIT = {"livemoney", "livemoney.kit"}
"""What a plugin's own code may import of livemoney."""
TESTS = KIT | {"livemoney.testing", "livemoney.cli"}
"""What a plugin's tests may import of livemoney besides: the testing kit and the command line."""
SKIPPED = ("build", "dist", ".venv", "__pycache__")
TOP_LEVEL = {"__init__.py", "rules.py", "value.py", "live.py"}


def python_files(distribution: Path) -> list[Path]:
    return sorted(
        path
        for path in distribution.rglob("*.py")
        if not any(part in SKIPPED or part.endswith(".egg-info") for part in path.relative_to(distribution).parts)
    )


def livemoney_imports(source: str) -> list[tuple[int, str]]:
    """``(line, module)`` of every import of livemoney or one of its modules, anywhere in ``source``
    (inside functions too); ``from livemoney import kit`` counts as ``livemoney.kit``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            if node.module == "livemoney":
                found += [(node.lineno, f"livemoney.{alias.name}") for alias in node.names if alias.name == "kit"]
    return [(line, module) for line, module in found if module == "livemoney" or module.startswith("livemoney.")]


def forbidden_imports(distribution: Path, root: Path = ROOT) -> list[str]:
    """``FILE:LINE module`` of each import of livemoney a distribution's file may not make (``FILE`` from
    ``root``)."""
    problems = []
    for path in python_files(distribution):
        relative = path.relative_to(distribution)
        allowed = TESTS if relative.parts[0] == "tests" or relative.name == "conftest.py" else KIT
        for line, module in livemoney_imports(path.read_text(encoding="utf-8")):
            if module not in allowed:
                problems.append(f"{path.relative_to(root)}:{line} {module}")
    return problems


def package(distribution: Path) -> Path:
    (found,) = [
        path for path in distribution.glob("livemoney_*") if path.is_dir() and not path.name.endswith(".egg-info")
    ]
    return found


def module_names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if path.suffix == ".py"}


def defines(source: str, name: str) -> list[ast.AST]:
    """The module-level assignments of ``name`` in ``source``."""
    return [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]


def shape_problems(distribution: Path) -> list[str]:
    """What in a platform distribution is not of the shape every platform has (empty when it is)."""
    problems = []
    pkg = package(distribution)
    name = pkg.name
    missing = sorted({"__init__.py", "rules.py", "value.py"} - module_names(pkg))
    problems += [f"{name}: no {module}" for module in missing]
    problems += [f"{name}: {module} is not a module of the shape" for module in sorted(module_names(pkg) - TOP_LEVEL)]
    folders = {path.name for path in pkg.iterdir() if path.is_dir() and path.name != "__pycache__"}
    problems += [f"{name}: {folder}/ is not a folder of the shape" for folder in sorted(folders - {"readers", "data"})]
    readers = pkg / "readers"
    if not (readers / "__init__.py").is_file():
        return [*problems, f"{name}: no readers/__init__.py"]
    if missing:
        return problems
    # __init__.py: the docstring, imports and PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)
    body = ast.parse((pkg / "__init__.py").read_text(encoding="utf-8")).body
    rest = [
        node
        for node in body
        if not isinstance(node, (ast.Import, ast.ImportFrom))
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]
    plugin = "PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)"
    if [ast.unparse(node) for node in rest] != [plugin]:
        held = [f"def {node.name}" if hasattr(node, "name") else ast.unparse(node)[:60] for node in rest]
        problems.append(f"{name}/__init__.py: holds {held}, not only {plugin}")
    rules = (pkg / "rules.py").read_text(encoding="utf-8")
    problems += [f"{name}/rules.py: no {what}" for what in ("SETTINGS", "PLATFORM") if not defines(rules, what)]
    value = {
        node.name
        for node in ast.parse((pkg / "value.py").read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    }
    problems += [f"{name}/value.py: no {function}" for function in FUNCTIONS if function not in value]
    # readers/: READERS, each the READER of one module (one module a format)
    formats = sorted(
        path.stem
        for path in readers.glob("*.py")
        if path.stem != "__init__" and defines(path.read_text(encoding="utf-8"), "READER")
    )
    if not formats:
        problems.append(f"{name}/readers: no module of a format (one that defines READER)")
    (assigned,) = defines((readers / "__init__.py").read_text(encoding="utf-8"), "READERS") or [None]
    listed = (
        sorted(ast.unparse(item).removesuffix(".READER") for item in assigned.value.elts)
        if assigned is not None and isinstance(assigned.value, ast.Tuple)
        else None
    )
    if listed != formats:
        problems.append(f"{name}/readers/__init__.py: READERS lists {listed}, the format modules are {formats}")
    # the entry point names the plugin
    project = tomllib.loads((distribution / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = project["project"]["entry-points"]["livemoney"]
    key = name.removeprefix("livemoney_")
    if entry_points != {key: f"{name}:PLUGIN"}:
        problems.append(f"{distribution.name}/pyproject.toml: entry points {entry_points}, not {key} = {name}:PLUGIN")
    packages = project.get("tool", {}).get("setuptools", {}).get("packages")
    if packages is not None and f"{name}.readers" not in packages:
        problems.append(f"{distribution.name}/pyproject.toml: packages {packages} leave out {name}.readers")
    return problems


@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_plugin_imports_nothing_of_livemoney_but_the_kit(distribution):
    assert python_files(distribution)
    assert forbidden_imports(distribution) == []


@pytest.mark.parametrize("distribution", PLATFORMS, ids=lambda path: path.name)
def test_every_platform_distribution_has_the_same_modules_for_the_same_roles(distribution):
    assert shape_problems(distribution) == []


def test_the_platform_distributions_are_the_four_built_in_ones_and_the_template():
    # a new distribution under plugins/ is a platform, and gets the same checks
    assert {path.name for path in PLATFORMS} >= {"tiktok", "youtube", "instagram", "facebook", "_template"}


def test_an_import_of_the_host_is_found_inside_a_function_and_in_a_from_import(tmp_path):
    plugin = tmp_path / "livemoney_made"
    (plugin / "readers").mkdir(parents=True)
    (plugin / "__init__.py").write_text(
        "import livemoney\nfrom livemoney import kit, value\n\n\ndef later():\n    from livemoney.engine import valuer\n"
        "    import livemoney.core.models\n"
    )
    (plugin / "readers" / "x.py").write_text("from livemoney.kit import Reader\nimport livemoney_made.rules\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_made.py").write_text(
        "from livemoney.testing import value_log\nfrom livemoney.html import esc\n"
    )
    assert forbidden_imports(tmp_path, root=tmp_path) == [
        "livemoney_made/__init__.py:6 livemoney.engine",
        "livemoney_made/__init__.py:7 livemoney.core.models",
        "tests/test_made.py:2 livemoney.html",
    ]


def test_a_platform_of_another_shape_is_told_what_differs(tmp_path):
    made = tmp_path / "made"
    pkg = made / "livemoney_made"
    (pkg / "readers").mkdir(parents=True)
    (pkg / "helpers").mkdir()
    (made / "pyproject.toml").write_text(
        '[project]\nname = "livemoney-made"\n[project.entry-points.livemoney]\nmade = "livemoney_made"\n'
        '[tool.setuptools]\npackages = ["livemoney_made"]\n'
    )
    (pkg / "__init__.py").write_text(
        '"""Made."""\nfrom livemoney import hookimpl\n\n\n@hookimpl\ndef livemoney_value_gift(platform, gift, context):\n'
        "    return None\n"
    )
    (pkg / "rules.py").write_text("SETTINGS = None\n")
    (pkg / "catalogue.py").write_text("")
    (pkg / "readers" / "__init__.py").write_text("from livemoney_made.readers import a\n\nREADERS = (a.READER,)\n")
    (pkg / "readers" / "a.py").write_text("READER = None\n")
    (pkg / "readers" / "b.py").write_text("READER = None\n")
    problems = shape_problems(made)
    assert problems[:3] == [
        "livemoney_made: no value.py",
        "livemoney_made: catalogue.py is not a module of the shape",
        "livemoney_made: helpers/ is not a folder of the shape",
    ]
    (pkg / "value.py").write_text("def value_gift(gift, context):\n    return None\n")
    problems = shape_problems(made)
    held = "livemoney_made/__init__.py: holds ['def livemoney_value_gift'], not only PLUGIN = PlatformPlugin("
    assert [p for p in problems if p.startswith("livemoney_made/__init__.py")] == [
        held + "PLATFORM, SETTINGS, READERS, value)"
    ]
    assert "livemoney_made/rules.py: no PLATFORM" in problems
    assert (
        "livemoney_made/value.py: no donation_features" in problems
        and "livemoney_made/value.py: no handle_like" in problems
    )
    assert "livemoney_made/readers/__init__.py: READERS lists ['a'], the format modules are ['a', 'b']" in problems
    assert "made/pyproject.toml: entry points {'made': 'livemoney_made'}, not made = livemoney_made:PLUGIN" in problems
    assert "made/pyproject.toml: packages ['livemoney_made'] leave out livemoney_made.readers" in problems
