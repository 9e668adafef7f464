"""livemoney: what a creator earns from a live stream, on every platform, through plugins.

    import livemoney as lm
    lm.platforms()                              # the platforms the installed plugins know
    lm.compare(100, currency="USD")             # what the creator keeps of the same spend, everywhere
    report = lm.value(lm.sample_path(), currency="EUR")    # the bundled sample stream
    analysis = lm.analyze(lm.sample_path(), tz="Europe/Paris")   # leaderboards, streams, heatmap ...

Plugin authors import from here or from `livemoney.kit` (the same names): ``from livemoney import hookimpl``. Imported in a running
IPython kernel (Jupyter, Voilà), it shows `Platform`, `Valuation`, `Report` and `Comparison` as HTML
(`livemoney.html`); ``%load_ext livemoney`` does too, and adds the ``%livemoney`` magic.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from livemoney import _moved, kit
from livemoney.kit import *

__version__ = "0.1.0"

# Heavier parts load on first use, so that `import livemoney` stays quick.
_LAZY = {
    "context": "livemoney.engine.api",
    "platforms": "livemoney.engine.api",
    "declared_settings": "livemoney.engine.api",
    "value_event": "livemoney.engine.api",
    "get_plugin_manager": "livemoney.pluginsys.manager",
    "default_manager": "livemoney.pluginsys.manager",
    "compare": "livemoney.engine.comparison",
    "Comparison": "livemoney.engine.comparison",
    "read_events": "livemoney.engine.readers",
    "value": "livemoney.engine.valuer",
    "Report": "livemoney.engine.report",
    "LiveTally": "livemoney.engine.tally",
    "analyze": "livemoney.engine.analytics",
    "Analysis": "livemoney.engine.analytics",
    "sample_path": "livemoney.engine.analytics",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'livemoney' has no attribute {name!r}")


def __dir__() -> list[str]:
    """What autocompletion offers: the public names (`__all__`, those loaded on first use included),
    ``__version__`` and livemoney's subpackages loaded so far (``livemoney.kit``, ``livemoney.core``, ...);
    not the names this module uses itself (``sys``, ``Any``)."""
    packages = {
        name
        for name, value in globals().items()
        if isinstance(value, types.ModuleType) and value.__name__ == f"livemoney.{name}" and not name.startswith("_")
    }
    return sorted({*__all__, "__version__", *packages})


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext livemoney``: the ``%livemoney`` magic and rich display of the models."""
    from livemoney.magics import load_ipython_extension as load

    load(ipython)


def _show_as_html() -> None:
    """In a running IPython shell (a Jupyter or Voilà kernel), register the HTML display of the models."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from livemoney.html import register_formatters

        register_formatters(shell)


_moved.install()
_show_as_html()


__all__ = ["load_ipython_extension"]
__all__ += kit.__all__
__all__ += list(_LAZY)
