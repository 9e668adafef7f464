"""A platform plugin's hook implementations, written once for every platform.

Every platform plugin answers the same hooks the same way: it describes its platform, declares its
settings, gives its readers, and, for an event of its own platform (``None`` for any other), hands the
event to its valuation module. `PlatformPlugin` is that answer; a platform's plugin is one of them, made
from the modules of the plugin's own shape (``rules``, ``value``, ``readers``):

    from livemoney.kit import PlatformPlugin

    from livemoney_facebook import value
    from livemoney_facebook.readers import READERS
    from livemoney_facebook.rules import PLATFORM, SETTINGS

    PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)

and its entry point names it: ``facebook = "livemoney_facebook:PLUGIN"`` in ``pyproject.toml``. A platform
that needs one more hook (``livemoney_value_sponsorship``, ``livemoney_exchange_rate``) subclasses it and
adds the method, marked ``@hookimpl``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs

from livemoney.core.models import (
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Platform,
    Reader,
    Sale,
    Setting,
    Valuation,
)
from livemoney.core.settings import SettingTable
from livemoney.errors import PluginError
from livemoney.pluginsys.hookspecs import hookimpl


class Valuations(Protocol):
    """What a platform's valuation module (its ``value.py``) gives: one function a hook, each for the
    events of its own platform only (`PlatformPlugin` has checked the platform)."""

    def donation_features(self, context: Context) -> list[DonationFeature]: ...

    def value_gift(self, gift: Gift, context: Context) -> Valuation: ...

    def value_donation(self, donation: Donation, context: Context) -> Valuation: ...

    def value_sale(self, sale: Sale, context: Context) -> Valuation: ...

    def handle_like(self, like: Like, context: Context) -> LikeOutcome: ...


FUNCTIONS = ("donation_features", "value_gift", "value_donation", "value_sale", "handle_like")
"""The functions of `Valuations`, which a valuation module must give."""


def _valuations(instance: object, attribute: attrs.Attribute, value: object) -> None:
    missing = [name for name in FUNCTIONS if not callable(getattr(value, name, None))]
    if missing:
        name = getattr(value, "__name__", type(value).__name__)
        raise PluginError(f"{name} gives no {', '.join(missing)}: a platform's valuations need all of {FUNCTIONS}")


@attrs.frozen(slots=True, eq=False)
class PlatformPlugin:
    """The hook implementations of the platform ``platform``: its description, its ``settings`` (a
    `SettingTable`), its ``readers``, and its events handed to ``value`` (the plugin's ``value`` module).

    A module that lacks a function of `Valuations` raises `livemoney.errors.PluginError` naming it. Two
    plugins are the same only when they are one object (as modules are).
    """

    platform: Platform
    settings: SettingTable
    readers: Sequence[Reader]
    value: Valuations = attrs.field(validator=_valuations)

    @hookimpl
    def livemoney_platform(self) -> Platform:
        return self.platform

    @hookimpl
    def livemoney_settings(self) -> list[Setting]:
        return self.settings.declared()

    @hookimpl
    def livemoney_readers(self) -> list[Reader]:
        return list(self.readers)

    @hookimpl
    def livemoney_donation_features(self, platform: str, context: Context) -> list[DonationFeature] | None:
        return self.value.donation_features(context) if platform == self.platform.key else None

    @hookimpl
    def livemoney_value_gift(self, platform: str, gift: Gift, context: Context) -> Valuation | None:
        return self.value.value_gift(gift, context) if platform == self.platform.key else None

    @hookimpl
    def livemoney_value_donation(self, platform: str, donation: Donation, context: Context) -> Valuation | None:
        return self.value.value_donation(donation, context) if platform == self.platform.key else None

    @hookimpl
    def livemoney_value_sale(self, platform: str, sale: Sale, context: Context) -> Valuation | None:
        return self.value.value_sale(sale, context) if platform == self.platform.key else None

    @hookimpl
    def livemoney_handle_like(self, platform: str, like: Like, context: Context) -> LikeOutcome | None:
        return self.value.handle_like(like, context) if platform == self.platform.key else None
