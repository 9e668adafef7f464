"""Old module paths, importable for one release: ``import livemoney.models`` gives `livemoney.core.models`,
with a ``DeprecationWarning`` that names the new path.

One meta-path finder, installed by the facade (``import livemoney``), answers for every path in `MOVED`:
the old name becomes another name of the new module (the same module object, not a copy).
`moved_names` does the same for the names of a module that became a package (``livemoney.engine``).

``livemoney.valuation`` has no alias: it is the facade's `livemoney.valuation` function (the valuation
builder), which an imported module of that name would replace on the package; the module is
`livemoney.core.valuation`, and plugins take the function from ``livemoney`` or ``livemoney.kit``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

MOVED = {
    "livemoney.models": "livemoney.core.models",
    "livemoney.money": "livemoney.core.money",
    "livemoney.records": "livemoney.core.records",
    "livemoney.settings": "livemoney.core.settings",
    "livemoney.fx": "livemoney.core.fx",
    "livemoney.tables": "livemoney.core.tables",
    "livemoney.canonical": "livemoney.core.canonical",
    "livemoney.hookspecs": "livemoney.pluginsys.hookspecs",
    "livemoney.plugins": "livemoney.pluginsys.manager",
    "livemoney.host": "livemoney.pluginsys.default_plugins.host",
    "livemoney.api": "livemoney.engine.api",
    "livemoney.readers": "livemoney.engine.readers",
    "livemoney.report": "livemoney.engine.report",
    "livemoney.ledger": "livemoney.engine.ledger",
    "livemoney.comparison": "livemoney.engine.comparison",
    "livemoney.tally": "livemoney.engine.tally",
}
"""Old module path → new module path (issue 14's layers); the old paths go in the next release."""


def notice(old: str, new: str) -> str:
    """The warning's text: ``livemoney.models moved to livemoney.core.models; ...``."""
    return f"{old} moved to {new}; import it from there (the old path goes in the next release)"


class AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds each old path of `MOVED`; loading it puts the new module in ``sys.modules`` under the old name."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVED else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        old = module.__name__
        new = MOVED[old]
        # stacklevel 2: the module that imports the old path (the import machinery's frames are skipped).
        warnings.warn(notice(old, new), DeprecationWarning, stacklevel=2)
        # The import system hands out whatever sys.modules holds under the name once the module ran.
        sys.modules[old] = importlib.import_module(new)


def install() -> None:
    """Put the finder on ``sys.meta_path`` (once), after the finders of modules that exist."""
    if not any(isinstance(finder, AliasFinder) for finder in sys.meta_path):
        sys.meta_path.append(AliasFinder())


def moved_names(package: str, new: str, names: Sequence[str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: its old ``names``, now in module ``new``, with a warning.

    Any other name is no attribute, so that ``from package import submodule`` imports the submodule.
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        warnings.warn(notice(f"{package}.{name}", f"{new}.{name}"), DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(new), name)

    return __getattr__
