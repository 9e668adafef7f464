"""The library functions that describe and value through the installed plugins.

Each takes an optional ``pm`` (a plugin manager from `livemoney.get_plugin_manager`); without one,
the default manager with every installed plugin is used.

This is where the plugins' answers come back to the engine, and each is checked here: a plugin that
raises in a hook or answers something wrong is a `PluginFault` recorded in ``pm.faults`` (naming the
plugin and its distribution) and the work goes on with the other plugins' answers (`platforms`,
`declared_settings`); a valuation that cannot be had raises `PluginError` naming the plugin (`valued`).
The command line exits 3 when a plugin failed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import Any

from livemoney.core.fx import FxRate, Lookup, Rates, RateTable
from livemoney.core.models import Context, Event, Platform, Setting, Valuation
from livemoney.core.settings import check_overrides
from livemoney.core.untrusted import shown_answer
from livemoney.core.valuation import valuation_problems
from livemoney.errors import PluginError, UnknownPlatform
from livemoney.pluginsys.manager import HOST_NAME, Called, PluginManager, default_manager

VALUE_HOOKS = frozenset(
    {
        "livemoney_value_event",
        "livemoney_value_gift",
        "livemoney_value_donation",
        "livemoney_value_sponsorship",
        "livemoney_value_sale",
    }
)
"""The hooks whose answer is a `Valuation` of the event asked about."""


def platforms(pm: PluginManager | None = None) -> list[Platform]:
    """The platforms the installed plugins describe, by ``rank`` then key.

    A plugin whose `livemoney_platform` raises, answers something other than a `Platform`, or describes a
    platform another plugin describes (the one registered under the platform's key keeps it, else the one
    registered first) is left out, and its fault recorded in ``pm.faults``.
    """
    pm = pm or default_manager()
    found = _platforms_by_key(pm)
    return sorted((platform for _, platform in found.values()), key=lambda platform: (platform.rank, platform.key))


def _platforms_by_key(pm: PluginManager) -> dict[str, tuple[str, Platform]]:
    """Each platform's key → (the plugin that describes it, its `Platform`), faults recorded (`platforms`)."""
    hook = "livemoney_platform"
    order = {name: index for index, (name, _) in enumerate(pm.list_name_plugin())}
    answers = sorted(_answers(pm.call(hook), hook), key=lambda answer: order.get(answer.plugin, len(order)))
    found: dict[str, tuple[str, Platform]] = {}
    for answer in answers:
        platform = answer.result
        if not isinstance(platform, Platform):
            pm.fault(answer.plugin, hook, f"{hook} answered {shown_answer(platform)}, not a Platform")
            continue
        owner = found.get(platform.key)
        if owner is not None:
            keeper, other = owner[0], answer.plugin
            if other == platform.key and keeper != platform.key:
                keeper, other = other, keeper
                found[platform.key] = (keeper, platform)
            pm.fault(
                other,
                hook,
                f"{hook} describes platform {platform.key!r}, which {pm.describe(keeper)} describes "
                "(a platform plugin describes its own platform, under its own key)",
            )
            continue
        found[platform.key] = (answer.plugin, platform)
    return found


def _answers(called: Called, hook: str) -> list[Any]:
    return [answer for answer in called.answers if answer.hook == hook]


def declared_settings(pm: PluginManager | None = None, platform: str | None = None) -> list[Setting]:
    """Every declared setting (of one platform when ``platform`` is given), sorted by key.

    A plugin whose `livemoney_settings` raises or answers something other than a list of `Setting` is
    left out (its good settings kept), and its fault recorded in ``pm.faults``; so is a setting whose key
    is not in the plugin's own namespace (a platform plugin's keys start with its platform key and a dot;
    no plugin declares a key of another plugin's platform) or that another plugin declared first.
    """
    pm = pm or default_manager()
    hook = "livemoney_settings"
    owners = {key: plugin for key, (plugin, _) in _platforms_by_key(pm).items()}
    own = {plugin: key for key, plugin in owners.items()}
    declared: list[Setting] = []
    declarer: dict[str, str] = {}
    for answer in _answers(pm.call(hook), hook):
        group = answer.result
        if not isinstance(group, (list, tuple)):
            pm.fault(answer.plugin, hook, f"{hook} answered {shown_answer(group)}, not a list of Setting")
            continue
        for item in group:
            if not isinstance(item, Setting):
                pm.fault(answer.plugin, hook, f"{hook} answered {shown_answer(item)} in its list, not a Setting")
                continue
            prefix = item.key.split(".", 1)[0]
            mine = own.get(answer.plugin)
            if (mine is not None and prefix != mine) or owners.get(prefix, answer.plugin) != answer.plugin:
                namespace = f"'{mine}.'" if mine is not None else f"a namespace of its own, not platform {prefix!r}'s"
                pm.fault(answer.plugin, hook, f"{hook} declares {item.key!r}: its keys must start with {namespace}")
            elif declarer.setdefault(item.key, answer.plugin) != answer.plugin:
                pm.fault(
                    answer.plugin, hook, f"{hook} declares {item.key!r}, which {pm.describe(declarer[item.key])} declares"
                )
            else:
                declared.append(item)
    if platform is not None:
        check_platform(pm, platform)
        declared = [setting for setting in declared if setting.key.split(".", 1)[0] == platform]
    return sorted(declared, key=lambda setting: setting.key)


def check_platform(pm: PluginManager, platform: str) -> None:
    """Raise `UnknownPlatform` (or `PluginError` if its plugin failed to load or to describe it) unless
    ``platform`` is known."""
    known = {p.key for p in platforms(pm)}
    if platform in known:
        return
    dead = platform_failure(pm, platform)
    if dead is not None:
        raise dead
    raise UnknownPlatform(f"unknown platform {platform!r}; known platforms: {', '.join(sorted(known)) or '(none)'}")


def platform_failure(pm: PluginManager, platform: str) -> PluginError | None:
    """The `PluginError` of the plugin registered as ``platform`` when it failed to load or in
    `livemoney_platform` (so the platform is unknown), else ``None``."""
    failure = pm.failure_for(platform)
    if failure is not None:
        return PluginError(str(failure), plugin=failure.name)
    fault = pm.fault_for(platform)
    return None if fault is None else pm.error(fault)


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
    hook = "livemoney_exchange_rate"

    def lookup(base: str, quote: str, on: dt.date | None, context: Any) -> FxRate | None:
        called = pm.call(hook, base=base, quote=quote, on=on, context=context)
        found = called.result
        if found is not None and (
            not isinstance(found, FxRate)
            or (found.base, found.quote) != (base, quote)
            or found.rate <= 0
            or (on is not None and found.date > on)
        ):
            problem = (
                f"{hook} answered {shown_answer(found)} for 1 {base} in {quote} on {on}: "
                "not an FxRate of that pair, positive, of a day on or before the day asked"
            )
            answerer = called.answerer(hook, found)
            if answerer is None:
                raise PluginError(f"a plugin: {problem}")
            raise pm.error(pm.fault(answerer, hook, problem))
        return found

    return lookup


def valued(pm: PluginManager, event: Event, context: Context) -> Valuation | None:
    """The `Valuation` of one event through `livemoney_value_event` (so wrapper plugins apply), checked;
    ``None`` when no plugin values it.

    The one boundary where valuations come back from the plugins (`value_event`, `livemoney.value`,
    `livemoney.compare` and `LiveTally` all value through it): the valuation must keep
    `livemoney.core.valuation.valuation_problems` for the event's platform and kind and the context's
    currency. Raises `PluginError` naming the plugin (its fault recorded in ``pm.faults``) when the
    plugin that would value the event raised, or when the valuation is wrong: the first implementation
    whose answer was wrong is named (a platform's kind hook before a wrapper that passed its answer on).
    A plugin that raised where another answered (a plugin that breaks on other platforms' events) is
    recorded and skipped. `livemoney.errors.FxError`, `livemoney.errors.SettingError` and the decimal
    errors of an amount too large (`TOO_LARGE`) pass through (see `livemoney.pluginsys.manager`).
    """
    called = pm.call("livemoney_value_event", platform=event.platform, event=event, context=context)
    result = called.result
    if result is None:
        if called.faults:
            raise pm.error(called.faults[0])
        dropped = _dropped_by(pm, called.answers)
        if dropped is not None:  # a kind hook valued the event and a wrapper answered None: the wrapper's bug
            problem = f"a wrapper of livemoney_value_event answered None where a plugin valued the {event.kind}"
            raise pm.error(pm.fault(dropped, "livemoney_value_event", problem))
        return None
    problems = answer_problems(result, event, context)
    if problems:
        plugin, hook = HOST_NAME, "livemoney_value_event"
        for answer in called.answers:
            if answer.hook in VALUE_HOOKS and answer_problems(answer.result, event, context):
                plugin, hook = answer.plugin, answer.hook
                break
        raise pm.error(
            pm.fault(plugin, hook, f"{hook} valued a {event.kind} on {event.platform!r}: {'; '.join(problems)}")
        )
    return result


def _dropped_by(pm: PluginManager, answers: Iterable[Any]) -> str | None:
    """The wrapper plugin to blame when an implementation answered a `Valuation` and the call's result is
    ``None`` (the outermost of the plugins' wrappers of `livemoney_value_event`), else ``None``."""
    if not any(answer.hook in VALUE_HOOKS and isinstance(answer.result, Valuation) for answer in answers):
        return None
    implementations = pm.hook.livemoney_value_event.get_hookimpls()
    wrappers = [impl.plugin_name for impl in implementations if impl.wrapper or impl.hookwrapper]
    plugins = [name for name in wrappers if name != HOST_NAME]
    return plugins[-1] if plugins else None


def answer_problems(result: object, event: Event, context: Context) -> list[str]:
    """What is wrong with ``result`` as the valuation of ``event`` in ``context`` (empty: nothing)."""
    if not isinstance(result, Valuation):
        return [f"it answered {shown_answer(result)}, not a Valuation"]
    return valuation_problems(result, context.currency, platform=event.platform, kind=event.kind)


def value_event(event: Event, context: Context | None = None, pm: PluginManager | None = None) -> Valuation:
    """The `Valuation` of one event through `livemoney_value_event` (so wrapper plugins apply), checked
    (see `valued`): `PluginError` naming the plugin when it failed, `UnknownPlatform` when none values it."""
    pm = pm or default_manager()
    context = context or Context()
    result = valued(pm, event, context)
    if result is None:
        check_platform(pm, event.platform)
        raise UnknownPlatform(f"no plugin values {event.kind} events on {event.platform!r}")
    return result
