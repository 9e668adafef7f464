"""Old module paths stay importable for one release: the same module, and a DeprecationWarning naming the
new path (one alias finder, `livemoney._moved`)."""

import importlib
import re
import sys
from pathlib import Path

import livemoney
import pytest
from livemoney._moved import MOVED, notice
from livemoney.engine import OLD_NAMES


def forget(name):
    """Drop ``name`` from the import system, so that importing it runs the finder again."""
    sys.modules.pop(name, None)
    parent, _, child = name.rpartition(".")
    if hasattr(sys.modules[parent], child):
        delattr(sys.modules[parent], child)


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_an_old_path_is_the_new_module_with_a_warning(old, new):
    forget(old)
    with pytest.warns(DeprecationWarning, match=re.escape(notice(old, new))) as warned:
        module = importlib.import_module(old)
    try:
        assert module is importlib.import_module(new)
        assert module.__name__ == new and module.__spec__.name == new
    finally:
        forget(old)
    # the warning points at the code that imported the old path, not at the import machinery
    assert [record.filename for record in warned] == [importlib.__file__]


def test_a_from_import_of_an_old_path_names_the_importer():
    forget("livemoney.models")
    with pytest.warns(DeprecationWarning, match="livemoney.models moved to livemoney.core.models") as warned:
        from livemoney.models import Gift  # noqa: F401 - the import is the test
    forget("livemoney.models")
    assert [record.filename for record in warned] == [__file__]


def test_the_old_files_are_gone():
    root = Path(livemoney.__path__[0])
    assert [old for old in MOVED if (root / f"{old.rpartition('.')[2]}.py").exists()] == []


@pytest.mark.parametrize("name", OLD_NAMES)
def test_the_old_engine_module_names_are_in_the_valuer(name):
    from livemoney.engine import valuer

    with pytest.warns(DeprecationWarning, match=re.escape(notice(f"livemoney.engine.{name}", f"livemoney.engine.valuer.{name}"))):
        found = getattr(importlib.import_module("livemoney.engine"), name)
    assert found is getattr(valuer, name)


def test_the_engine_package_still_imports_its_modules_without_a_warning(recwarn):
    from livemoney.engine import api, readers  # noqa: F401 - the import is the test

    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]
    with pytest.raises(AttributeError):
        importlib.import_module("livemoney.engine").no_such_name  # noqa: B018
