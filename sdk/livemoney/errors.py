"""Every error livemoney raises on purpose, each with the exit code the command line gives it.

All derive from `LivemoneyError`, and each keeps the built-in base it always had (``ValueError``,
``RuntimeError``), so ``except ValueError`` still catches it. The command line exits with
``error.exit_code``: 1 for invalid input (the default), 3 when a plugin failed (`PluginError`); Ctrl-C
exits with `EXIT_INTERRUPTED` (130).

This module is the bottom layer: it imports nothing of livemoney, so any module may raise these.
"""

from __future__ import annotations

from typing import Any

EXIT_INVALID = 1
"""Exit status of invalid input: a bad line, a bad setting, an unknown platform, a missing rate."""
EXIT_PLUGIN = 3
"""Exit status of a plugin that failed to load or misbehaved."""
EXIT_INTERRUPTED = 130
"""Exit status of a command stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it."""


class LivemoneyError(Exception):
    """The base of livemoney's errors; ``exit_code`` is the exit status of the command that meets it."""

    exit_code: int = EXIT_INVALID


class InvalidInput(LivemoneyError, ValueError):
    """A bad line with ``on_error="fail"``: ``str()`` is ``FILE:LINE: field: problem``; ``rejected`` is
    the `livemoney.core.models.Rejected` record."""

    def __init__(self, rejected: Any) -> None:
        super().__init__(str(rejected))
        self.rejected = rejected


class FieldError(LivemoneyError, ValueError):
    """A record's field is missing or malformed; ``field`` names it (dotted path)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class ReaderError(LivemoneyError, ValueError):
    """An unknown ``--input-format`` name, or a file that no reader recognises."""


class LedgerError(LivemoneyError, ValueError):
    """The ledger file is not a livemoney ledger, or holds valuations made in another currency or setting."""


class SettingError(LivemoneyError, ValueError):
    """An override names no declared setting, or its value does not fit the setting."""


class FxError(LivemoneyError, ValueError):
    """No rate can be given: an unknown currency, a date before the first rate, a rate too old."""


class RatesFileError(FxError):
    """A user's rates file that cannot be read: ``FILE:LINE: field: problem``."""


class CurrencyMismatch(LivemoneyError, ValueError):
    """Arithmetic was attempted between two currencies; convert explicitly first."""


class UnknownPlatform(LivemoneyError, ValueError):
    """No installed plugin knows this platform key."""


class UnknownPlugin(LivemoneyError, ValueError):
    """``LIVEMONEY_LOAD_PLUGINS`` or ``LIVEMONEY_DISABLE_PLUGINS`` names no installed plugin (a typo, or a
    plugin not installed); ``str()`` lists the installed ones."""


class ScaffoldError(LivemoneyError, ValueError):
    """A plugin cannot be created from the template: a bad name, a folder in the way, no template."""


class AnalysisError(LivemoneyError, ValueError):
    """An analysis asked for something its data cannot give: an unknown table, time zone or stream, a date
    range that ends before it starts."""


class MissingExtra(LivemoneyError, ImportError):
    """An optional library is not installed (pandas, openpyxl for Excel, pyarrow for Parquet): the message
    says which extra installs it (``pip install 'livemoney[parquet]'``)."""


class PluginError(LivemoneyError, RuntimeError):
    """A plugin needed for the work at hand failed to load or misbehaved; ``str()`` names it (and its
    distribution when installed).

    ``plugin`` is the name it is registered under, when known; ``fault`` the
    `livemoney.pluginsys.manager.PluginFault` recorded for it (``None`` for a plugin that failed to load).
    """

    exit_code = EXIT_PLUGIN

    def __init__(self, message: str, *, plugin: str | None = None, fault: Any = None) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.fault = fault


class PluginInterrupt(KeyboardInterrupt):
    """Ctrl-C (SIGINT) while a plugin was loading or running one of its hooks: ``str()`` names the plugin and
    its distribution (``interrupted while loading plugin 'zz' (distribution livemoney-zz 0.1.0)``). It is a
    `KeyboardInterrupt`, so it stops what runs as Ctrl-C always does; the command line prints its message."""


__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_PLUGIN",
    "AnalysisError",
    "CurrencyMismatch",
    "FieldError",
    "FxError",
    "InvalidInput",
    "LedgerError",
    "LivemoneyError",
    "MissingExtra",
    "PluginError",
    "PluginInterrupt",
    "RatesFileError",
    "ReaderError",
    "ScaffoldError",
    "SettingError",
    "UnknownPlatform",
    "UnknownPlugin",
]
