"""Finding and loading plugins: the entry-point group ``livemoney``, one plugin at a time.

A plugin that fails to import is recorded and the others still load. ``LIVEMONEY_LOAD_PLUGINS``
(a comma list of distributions or entry-point names; empty: none) and ``LIVEMONEY_DISABLE_PLUGINS``
choose what loads.
"""

from __future__ import annotations

import functools
import os
import re
import traceback
from importlib.metadata import EntryPoint, entry_points

import attrs
import pluggy

from livemoney.errors import PluginError, UnknownPlugin
from livemoney.pluginsys import hookspecs
from livemoney.pluginsys.default_plugins.host import HostPlugin

GROUP = "livemoney"
HOST_NAME = "livemoney"


@attrs.frozen(slots=True)
class LoadedPlugin:
    """A plugin registered from an entry point."""

    name: str
    distribution: str
    version: str


@attrs.frozen(slots=True)
class LoadFailure:
    """An entry point whose import or registration failed, with the error."""

    name: str
    distribution: str
    version: str
    error: str
    detail: str

    def __str__(self) -> str:
        return f"plugin {self.name!r} (distribution {self.distribution} {self.version}) failed to load: {self.error}"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, plus what loading found: ``loaded`` plugins and ``failures``."""

    def __init__(self) -> None:
        super().__init__(GROUP)
        self.add_hookspecs(hookspecs)
        self.loaded: list[LoadedPlugin] = []
        self.failures: list[LoadFailure] = []

    def failure_for(self, platform: str) -> LoadFailure | None:
        """The load failure of the plugin registered as ``platform``, if it failed."""
        return next((failure for failure in self.failures if failure.name == platform), None)


def _canonical(name: str) -> str:
    """A name as compared: lower-case, runs of ``-``, ``_`` and ``.`` as one ``-`` (a distribution's name
    is the same whichever it uses)."""
    return re.sub(r"[-_.]+", "-", name.strip().lower())


def _names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {_canonical(part) for part in value.split(",") if part.strip()}


def _names_of(entry_point: EntryPoint) -> set[str]:
    """The names that choose ``entry_point``: its own and its distribution's, `_canonical`."""
    names = {_canonical(entry_point.name)}
    if entry_point.dist is not None:
        names.add(_canonical(entry_point.dist.name))
    return names


def _wanted(entry_point: EntryPoint, only: set[str] | None, disabled: set[str]) -> bool:
    names = _names_of(entry_point)
    if only is not None and not names & only:
        return False
    return not names & disabled


def _check_selection(only: set[str] | None, disabled: set[str]) -> None:
    """Raise `UnknownPlugin` when ``LIVEMONEY_LOAD_PLUGINS`` (``only``) or ``LIVEMONEY_DISABLE_PLUGINS``
    (``disabled``) names no installed plugin, by entry-point or distribution name: a typo would otherwise
    load nothing in silence (or disable nothing). The message lists the installed plugins."""
    found = sorted(entry_points(group=GROUP), key=lambda ep: ep.name)
    known = {HOST_NAME}.union(*(_names_of(entry_point) for entry_point in found))
    for variable, names in (("LIVEMONEY_LOAD_PLUGINS", only or set()), ("LIVEMONEY_DISABLE_PLUGINS", disabled)):
        unknown = sorted(names - known)
        if unknown:
            installed = ", ".join(
                f"{entry_point.name} ({entry_point.dist.name if entry_point.dist else '?'})" for entry_point in found
            )
            verb = "is" if len(unknown) == 1 else "are"
            raise UnknownPlugin(
                f"{variable}: {', '.join(unknown)} {verb} not installed (installed plugins: {installed or 'none'}; "
                "give entry-point or distribution names, comma-separated)"
            )


def load_entry_points(pm: PluginManager) -> None:
    """Register every wanted plugin of the group, recording (not raising) each failure."""
    only = _names("LIVEMONEY_LOAD_PLUGINS")
    disabled = _names("LIVEMONEY_DISABLE_PLUGINS") or set()
    _check_selection(only, disabled)
    for entry_point in sorted(entry_points(group=GROUP), key=lambda ep: ep.name):
        if not _wanted(entry_point, only, disabled) or pm.get_plugin(entry_point.name) is not None:
            continue
        dist = entry_point.dist.name if entry_point.dist else "?"
        version = entry_point.dist.version if entry_point.dist else "?"
        try:
            plugin = entry_point.load()
            pm.register(plugin, name=entry_point.name)
            _refuse_unknown_hooks(pm, plugin)
        except Exception as error:  # noqa: BLE001 (a broken plugin must not take the others down)
            pm.failures.append(
                LoadFailure(entry_point.name, dist, version, f"{type(error).__name__}: {error}", traceback.format_exc())
            )
            continue
        pm.loaded.append(LoadedPlugin(entry_point.name, dist, version))


def _refuse_unknown_hooks(pm: PluginManager, plugin: object) -> None:
    """Unregister ``plugin`` and raise if it implements a hook no spec declares (a typo such as
    ``livemoney_value_gifts``), so that one misspelt plugin fails alone instead of every command."""
    unknown = [caller.name for caller in pm.get_hookcallers(plugin) or [] if caller.spec is None]
    if unknown:
        pm.unregister(plugin)
        raise PluginError(f"implements hooks no livemoney spec declares: {', '.join(sorted(unknown))}")


def get_plugin_manager(load_entry_points_: bool = True) -> PluginManager:
    """A new plugin manager with the host's own plugin and, by default, every installed plugin."""
    pm = PluginManager()
    pm.register(HostPlugin(pm), name=HOST_NAME)
    if load_entry_points_:
        load_entry_points(pm)
    pm.check_pending()
    return pm


def hooks_of(pm: PluginManager, plugin: object) -> list[str]:
    """The names of the hooks ``plugin`` implements."""
    return sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])


@functools.lru_cache(maxsize=1)
def default_manager() -> PluginManager:
    """The plugin manager the library functions use when none is passed (made once, on first use)."""
    return get_plugin_manager()
