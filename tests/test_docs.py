"""The docs cannot drift from the code: every hook is documented as specified, has an example that
registers, and has a test named for it, ``test_hook_<hook>`` (in the style of datasette's
tests/test_docs.py and test_plugins.py)."""

import ast
import re
import types
from pathlib import Path

import pytest
from livemoney.checks import HOOKS
from livemoney.pluginsys.manager import get_plugin_manager

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS_PAGE = DOCS / "hooks.md"
SECTION = re.compile(r"^## (livemoney_\w+)\((.*)\)\s*$", re.MULTILINE)
KIND = re.compile(r"^\*\*Kind:\*\* (all results|firstresult)", re.MULTILINE)
PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)#:]+)(?:#[^)]*)?\)")


def sections():
    """``{hook: (arguments as written, section text)}`` of docs/hooks.md."""
    text = HOOKS_PAGE.read_text(encoding="utf-8")
    found = list(SECTION.finditer(text))
    ends = [match.start() for match in found[1:]] + [len(text)]
    return {match.group(1): (match.group(2), text[match.end() : end]) for match, end in zip(found, ends, strict=True)}


@pytest.fixture(scope="module")
def specs():
    return {name: getattr(get_plugin_manager(load_entry_points_=False).hook, name).spec for name in HOOKS}


def test_every_hook_has_a_section_and_no_section_names_another():
    assert sorted(sections()) == sorted(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_the_documented_arguments_are_the_specs(hook, specs):
    written, _ = sections()[hook]
    arguments = tuple(argument.strip() for argument in written.split(",") if argument.strip())
    assert arguments == specs[hook].argnames


@pytest.mark.parametrize("hook", HOOKS)
def test_the_documented_kind_is_the_specs(hook, specs):
    _, text = sections()[hook]
    (kind,) = KIND.findall(text)
    assert kind == ("firstresult" if specs[hook].opts.get("firstresult") else "all results")


@pytest.mark.parametrize("hook", HOOKS)
def test_each_example_implements_its_hook_and_registers(hook):
    _, text = sections()[hook]
    example, *_ = PYTHON.findall(text)
    module = types.ModuleType(f"example_{hook}")
    exec(compile(example, f"docs/hooks.md ({hook})", "exec"), module.__dict__)  # noqa: S102 - our own docs
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(module, name=module.__name__)  # checks the arguments against the spec
    pm.check_pending()
    implemented = [caller.name for caller in pm.get_hookcallers(module)]
    assert implemented == [hook]


def defined_tests(folder: Path) -> set[str]:
    """The names of the test functions defined in the Python files under ``folder``."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    return names


@pytest.fixture(scope="module")
def host_tests():
    return defined_tests(ROOT / "tests")


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_named_for_it(hook, host_tests):
    # as datasette's test_plugin_hooks_have_tests: the host's own tests, on made-up plugins
    assert f"test_hook_{hook}" in host_tests, f"no test under tests/ is named test_hook_{hook}"


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda path: path.name)
def test_python_in_the_docs_parses_and_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    for block in PYTHON.findall(text):
        ast.parse(block)
    broken = [link for link in LINK.findall(text) if not (page.parent / link).exists()]
    assert broken == []
