"""livemoney's testing kit for plugin authors, loaded by pytest as a plugin (entry point ``pytest11``).

    import pytest
    from livemoney.testing import check_invariants, check_plugin, value_log
    from livemoney_twitch import PLUGIN

    pytestmark = pytest.mark.livemoney_plugins(PLUGIN)

    def test_the_plugin_passes_livemoney_checks():
        assert check_plugin(PLUGIN) == []

    def test_500_bits(livemoney_pm):
        (cheer,) = value_log(livemoney_pm, ['{"type": "donation", "feature": "bits", "amount": "500", "currency": "bits"}'])
        assert cheer.net == Money("5.00", "USD")

The fixture ``livemoney_pm`` is a fresh plugin manager: every installed plugin, or with the marker
``livemoney_plugins(*plugins)`` the host and those plugins only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import pytest

from livemoney.checks import plugin_name, plugin_problems, valuation_problems
from livemoney.core.models import Context, Event, Reader, Rejected, Valuation
from livemoney.engine import api
from livemoney.errors import PluginError, UnknownPlatform
from livemoney.pluginsys.manager import PluginManager, get_plugin_manager

MARKER = "livemoney_plugins"


def plugin_manager(*plugins: object) -> PluginManager:
    """A fresh manager with the host and ``plugins`` only (no installed plugin is loaded)."""
    pm = get_plugin_manager(load_entry_points_=False)
    for plugin in plugins:
        pm.register(plugin, name=plugin_name(plugin))
    pm.check_pending()
    return pm


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(*plugins): the livemoney_pm fixture registers these plugins only (and the host)"
    )


@pytest.fixture
def livemoney_pm(request: pytest.FixtureRequest) -> PluginManager:
    """A fresh plugin manager: every installed plugin, or only those of the ``livemoney_plugins`` marker."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return get_plugin_manager()
    return plugin_manager(*marker.args)


def reader_for(path: str | os.PathLike[str], pm: PluginManager | None = None) -> Reader:
    """The reader ``livemoney value PATH`` picks for a file, among every installed plugin's (or ``pm``'s):
    a plugin's tests check that its readers claim its files, and no other reader does."""
    from livemoney.engine.readers import detect

    return detect(path, pm)


def check_plugin(plugin: object) -> list[str]:
    """What ``livemoney plugins --check`` would say of ``plugin`` (a module or an object with hooks)."""
    return plugin_problems(plugin)


def check_invariants(valuation: Valuation, currency: str | None = None) -> list[str]:
    """What breaks a valuation's invariants (`livemoney.checks.valuation_problems`, the engine's check and
    one more): ``gross == shares + net`` with no negative share and no share above gross, amounts exact
    (at most 10 decimal places) in one currency (``currency`` when given), no float anywhere, a reason
    when unknown, sources cited where anyone takes a cut."""
    return valuation_problems(valuation, currency)


def value_log(
    plugin: object | Sequence[object] | PluginManager, lines_or_events: str | Iterable[str | Event], **context: Any
) -> list[Valuation]:
    """Value a small log through ``plugin`` alone (with the host), one `Valuation` per event.

    :param plugin: a plugin module or object, several in a list, or a `PluginManager` (``livemoney_pm``).
    :param lines_or_events: canonical log lines (a string of them, or a list) and/or `Event` objects; a
        line may leave out ``platform`` when the plugins describe one platform.
    :param context: ``currency``, ``as_of`` and ``settings`` for `livemoney.context`.

    A rejected line or a broken invariant fails the test, naming the line.
    """
    from livemoney.core.canonical import decode_line
    from livemoney.engine.readers import KnownPlatforms

    if isinstance(plugin, PluginManager):
        pm = plugin
    else:
        pm = plugin_manager(*(plugin if isinstance(plugin, (list, tuple)) else (plugin,)))
    valuation_context = api.context(pm=pm, **context)
    known = KnownPlatforms(pm)
    default = next(iter(known.keys)) if len(known.keys) == 1 else None
    items = lines_or_events.splitlines() if isinstance(lines_or_events, str) else lines_or_events
    results = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, Event):
            event = item
        else:
            decoded = decode_line(item.encode("utf-8"), number, "log", default, known)
            if decoded is None:
                continue
            if isinstance(decoded, Rejected):
                pytest.fail(str(decoded))
            event = decoded
        results.append(_valued(pm, event, valuation_context, f"log:{number}"))
    return results


def _valued(pm: PluginManager, event: Event, context: Context, where: str) -> Valuation:
    """``event`` valued as the engine values it (each plugin isolated: `PluginManager.call`); a plugin
    that failed, or a valuation that breaks an invariant (`valuation_problems`), fails the test."""
    try:
        called = pm.call("livemoney_value_event", platform=event.platform, event=event, context=context)
    except PluginError as error:
        pytest.fail(f"{where}: {error}")
    if called.faults:
        pytest.fail(f"{where}: " + "; ".join(str(fault) for fault in called.faults))
    result = called.result
    if result is None:
        api.check_platform(pm, event.platform)
        raise UnknownPlatform(f"no plugin values {event.kind} events on {event.platform!r}")
    if not isinstance(result, Valuation):
        pytest.fail(f"{where}: {result!r} is not a Valuation")
    problems = valuation_problems(result, context.currency, platform=event.platform, kind=event.kind)
    if problems:
        pytest.fail(f"{where}: {result!r}: " + "; ".join(problems))
    return result
