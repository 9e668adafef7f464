"""The library functions that describe and value through the installed plugins.

Each takes an optional ``pm`` (a plugin manager from `livemoney.get_plugin_manager`); without one,
the default manager with every installed plugin is used.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from livemoney.core.fx import FxRate, Lookup, Rates, RateTable
from livemoney.core.models import Context, Event, Platform, Setting, Valuation
from livemoney.core.settings import check_overrides
from livemoney.errors import PluginError, UnknownPlatform
from livemoney.pluginsys.manager import PluginManager, default_manager


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
    rates: str | os.PathLike | RateTable | None = None,
    rate_fallback: str | None = None,
) -> Context:
    """A `Context` whose ``settings`` are checked against the declared settings (values converted).

    :param currency: the report currency, any ISO-4217 code (``"usd"`` is ``USD``).
    :param rates: the user's own exchange rates: a CSV file of ``date,base,quote,rate,source`` (each row
        ``1 base = rate quote``), or a `livemoney.core.fx.RateTable`; they win over the plugins' and the ECB's.
    :param rate_fallback: ``None``: a rate more than 7 days older than the day of the money is not used
        (the valuation is unknown, with the reason); ``"latest"``: it is used, and explain says so.
    :param fx: a rates object of your own instead (``convert(money, quote, on)``); then give neither
        ``rates`` nor ``rate_fallback``.
    """
    pm = pm or default_manager()
    overrides = check_overrides(settings or {}, declared_settings(pm))
    if fx is None:
        fx = Rates(lookup=hook_lookup(pm), table=rates, fallback=rate_fallback)
    elif rates is not None or rate_fallback is not None:
        raise ValueError("context: give fx, or rates and rate_fallback, not both")
    return Context(currency=currency, as_of=as_of, fx=fx, settings=overrides)


def hook_lookup(pm: PluginManager) -> Lookup:
    """A rate source that asks the plugins' `livemoney_exchange_rate` hook (the ECB's last)."""
    hook = pm.hook.livemoney_exchange_rate

    def lookup(base: str, quote: str, on: dt.date | None, context: Any) -> FxRate | None:
        found = hook(base=base, quote=quote, on=on, context=context)
        if found is not None and (
            not isinstance(found, FxRate)
            or (found.base, found.quote) != (base, quote)
            or found.rate <= 0
            or (on is not None and found.date > on)
        ):
            raise PluginError(
                f"livemoney_exchange_rate answered {found!r} for 1 {base} in {quote} on {on}: "
                "not an FxRate of that pair, positive, of a day on or before the day asked"
            )
        return found

    return lookup


def value_event(event: Event, context: Context | None = None, pm: PluginManager | None = None) -> Valuation:
    """The `Valuation` of one event through `livemoney_value_event` (so wrapper plugins apply)."""
    pm = pm or default_manager()
    context = context or Context()
    result = pm.hook.livemoney_value_event(platform=event.platform, event=event, context=context)
    if result is None:
        check_platform(pm, event.platform)
        raise UnknownPlatform(f"no plugin values {event.kind} events on {event.platform!r}")
    return result
