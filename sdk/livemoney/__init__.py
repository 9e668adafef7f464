"""livemoney: what a creator earns from a live stream, on every platform, through plugins.

    import livemoney as lm
    lm.platforms()                              # the platforms the installed plugins know
    lm.compare(100, currency="USD")             # what the creator keeps of the same spend, everywhere
    report = lm.value("stream.jsonl", currency="EUR")

Plugin authors import the marker from here: ``from livemoney import hookimpl``.
"""

from __future__ import annotations

import importlib
from typing import Any

from livemoney.hookspecs import hookimpl
from livemoney.models import (
    UNKNOWN,
    Context,
    Donation,
    DonationFeature,
    Event,
    Gift,
    Like,
    LikeOutcome,
    Platform,
    Reader,
    Rejected,
    Rule,
    Sale,
    Setting,
    Share,
    Source,
    Sponsorship,
    Valuation,
)
from livemoney.money import CurrencyMismatch, Money
from livemoney.valuation import unknown_valuation, valuation

__version__ = "0.1.0"

# Heavier parts load on first use, so that `import livemoney` stays quick.
_LAZY = {
    "context": "livemoney.api",
    "platforms": "livemoney.api",
    "declared_settings": "livemoney.api",
    "value_event": "livemoney.api",
    "get_plugin_manager": "livemoney.plugins",
    "default_manager": "livemoney.plugins",
    "compare": "livemoney.comparison",
    "Comparison": "livemoney.comparison",
    "read_events": "livemoney.readers",
    "value": "livemoney.engine",
    "Report": "livemoney.report",
    "LiveTally": "livemoney.tally",
    "FxRate": "livemoney.fx",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'livemoney' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext livemoney``: the ``%livemoney`` magic and rich display of the models."""
    from livemoney.magics import load_ipython_extension as load

    load(ipython)


__all__ = [
    "UNKNOWN",
    "Context",
    "CurrencyMismatch",
    "Donation",
    "DonationFeature",
    "Event",
    "Gift",
    "Like",
    "LikeOutcome",
    "Money",
    "Platform",
    "Reader",
    "Rejected",
    "Rule",
    "Sale",
    "Setting",
    "Share",
    "Source",
    "Sponsorship",
    "Valuation",
    "hookimpl",
    "unknown_valuation",
    "valuation",
    *_LAZY,
]
