"""The library functions that describe and value through the installed plugins.

Each takes an optional ``pm`` (a plugin manager from `livemoney.get_plugin_manager`); without one,
the default manager with every installed plugin is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from livemoney.models import Context, Event, Platform, Setting, Valuation
from livemoney.plugins import PluginError, PluginManager, default_manager
from livemoney.settings import check_overrides


class UnknownPlatform(ValueError):
    """No installed plugin knows this platform key."""


def platforms(pm: PluginManager | None = None) -> list[Platform]:
    """The platforms the installed plugins describe, by ``rank`` then key."""
    pm = pm or default_manager()
    found = [platform for platform in pm.hook.livemoney_platform() if platform is not None]
    return sorted(found, key=lambda platform: (platform.rank, platform.key))


def declared_settings(pm: PluginManager | None = None, platform: str | None = None) -> list[Setting]:
    """Every declared setting (of one platform when ``platform`` is given), sorted by key."""
    pm = pm or default_manager()
    declared = [setting for group in pm.hook.livemoney_settings() if group for setting in group]
    if platform is not None:
        check_platform(pm, platform)
        declared = [setting for setting in declared if setting.key.split(".", 1)[0] == platform]
    return sorted(declared, key=lambda setting: setting.key)


def check_platform(pm: PluginManager, platform: str) -> None:
    """Raise `UnknownPlatform` (or `PluginError` if its plugin failed to load) unless ``platform`` is known."""
    known = {p.key for p in platforms(pm)}
    if platform in known:
        return
    failure = pm.failure_for(platform)
    if failure is not None:
        raise PluginError(str(failure))
    raise UnknownPlatform(f"unknown platform {platform!r}; known platforms: {', '.join(sorted(known)) or '(none)'}")


def context(
    currency: str = "USD",
    as_of: dt.date | str | None = None,
    settings: Mapping[str, Any] | None = None,
    pm: PluginManager | None = None,
    fx: Any = None,
) -> Context:
    """A `Context` whose ``settings`` are checked against the declared settings (values converted)."""
    pm = pm or default_manager()
    overrides = check_overrides(settings or {}, declared_settings(pm))
    return Context(currency=currency, as_of=as_of, fx=fx, settings=overrides)


def value_event(event: Event, context: Context | None = None, pm: PluginManager | None = None) -> Valuation:
    """The `Valuation` of one event through `livemoney_value_event` (so wrapper plugins apply)."""
    pm = pm or default_manager()
    context = context or Context()
    result = pm.hook.livemoney_value_event(platform=event.platform, event=event, context=context)
    if result is None:
        check_platform(pm, event.platform)
        raise UnknownPlatform(f"no plugin values {event.kind} events on {event.platform!r}")
    return result
