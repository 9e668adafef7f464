"""Finding and loading plugins (the entry-point group ``livemoney``, one plugin at a time), and keeping
each plugin's failures its own.

A plugin that fails to import (any exception, `SystemExit` and `KeyboardInterrupt` included) is recorded
as a `LoadFailure` and the others still load; Ctrl-C while a plugin loads raises `PluginInterrupt`
naming it. ``LIVEMONEY_LOAD_PLUGINS`` (a comma list of distributions or entry-point names; empty: none)
and ``LIVEMONEY_DISABLE_PLUGINS`` choose what loads.

**Which plugin failed.** Every hook implementation is wrapped when it is registered (`PluginManager.register`):
an exception leaving it is marked with the plugin and the hook (`blamed`), Ctrl-C inside it becomes a
`PluginInterrupt` naming it, and each answer it gives is noted. The engine calls hooks through
`PluginManager.call`, which isolates the plugins from one another: an implementation that raises is
recorded as a `PluginFault` (in ``pm.faults``) and counts as absent from that call: the next one is
asked as if it had returned ``None``, and what a failed wrapper (``@hookimpl(wrapper=True)``) was given
goes on unchanged. So does a valuation hook's answer that is no `Valuation`, or one of another platform or
kind than the event asked about (a plugin that forgot to return ``None`` for other platforms' events does
not take them from their own plugin). The call returns the result with the answers given (which plugin answered what) and
the faults met. (An old-style ``hookwrapper`` that fails makes the call raise `PluginError` naming it.) `livemoney.errors.FxError` (no rate), `livemoney.errors.SettingError` (a
user's setting out of range) and `TOO_LARGE` (decimal arithmetic on an amount too large) are the engine's to
handle, and pass through.

We wrap the implementations rather than call them one by one ourselves (pluggy's order, the wrappers and
the host's dispatch to the kind hooks all stay pluggy's) or read tracebacks (a helper shared by two
plugins, or a decorator, makes frames ambiguous, and a wrong *answer* leaves no traceback at all).
"""

from __future__ import annotations

import contextvars
import decimal
import functools
import os
import re
import signal
import threading
import traceback
import warnings
import weakref
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from importlib import metadata
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any, cast

import attrs
import pluggy

from livemoney.core.models import Valuation
from livemoney.core.untrusted import shown_answer
from livemoney.errors import FxError, PluginError, PluginInterrupt, SettingError, UnknownPlugin
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
        return f"{described(self.name, self.distribution, self.version)} failed to load: {self.error}"


def described(name: str, distribution: str | None, version: str | None = None) -> str:
    """``plugin 'zz' (distribution livemoney-zz 0.1.0)``; ``plugin 'zz'`` when it is not installed."""
    if not distribution:
        return f"plugin {name!r}"
    return f"plugin {name!r} (distribution {distribution}{' ' + version if version else ''})"


@attrs.frozen(slots=True)
class PluginFault:
    """One failure of a loaded plugin: ``hook`` raised, or answered something wrong (``problem`` says
    what). ``origin`` names the plugin and its distribution; ``str()`` is ``origin: problem``."""

    plugin: str
    origin: str
    hook: str
    problem: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.problem}"


@attrs.frozen(slots=True)
class Answer:
    """What one plugin's implementation of ``hook`` returned (not ``None``) during a `PluginManager.call`."""

    hook: str
    plugin: str
    result: Any


@attrs.frozen(slots=True)
class Called:
    """The outcome of `PluginManager.call`: pluggy's ``result``, every `Answer` given (in the order given:
    an inner hook's before the hook that called it) and the `PluginFault` s met."""

    result: Any
    answers: tuple[Answer, ...]
    faults: tuple[PluginFault, ...]

    def answerer(self, hook: str, result: Any) -> str | None:
        """The plugin whose implementation of ``hook`` first answered ``result`` (the object itself)."""
        return next((a.plugin for a in self.answers if a.hook == hook and a.result is result), None)


class _Call:
    """The answers and faults of the `PluginManager.call` under way (a context variable holds it)."""

    __slots__ = ("answers", "faults")

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.faults: list[PluginFault] = []


_CALL: contextvars.ContextVar[_Call | None] = contextvars.ContextVar("livemoney_plugin_call", default=None)
_BLAME = "_livemoney_blame"
TOO_LARGE = (decimal.Overflow, decimal.InvalidOperation)
"""What exact decimal arithmetic raises on an amount too large for it (an exponent or a quantize beyond the
context): the engine's to handle. Any other `ArithmeticError` (a division by zero, a float's overflow) is a
plugin's bug."""
_PASS = (FxError, SettingError, *TOO_LARGE, GeneratorExit)

# An old-style wrapper that fails in its teardown is recorded and named here (a `PluginFault`, exit 3): pluggy's
# warning about it, raised where this module calls the hook, would say it a second time, as a Python warning.
warnings.filterwarnings("ignore", category=pluggy.PluggyTeardownRaisedWarning, module=r"livemoney\.pluginsys\.manager")
"""What passes through an implementation untouched, for the engine to handle: no rate (the valuation is
unknown), a user's setting out of range (exit 1), an amount too large for exact arithmetic (`TOO_LARGE`); a
closed generator. Anything else an implementation raises is the plugin's failure."""


def blamed(error: BaseException) -> tuple[str, str] | None:
    """``(plugin, hook)`` of the implementation an exception left first, when one did."""
    found = getattr(error, _BLAME, None)
    return found if isinstance(found, tuple) else None


def _blame(error: BaseException, plugin: str, hook: str) -> None:
    if blamed(error) is None:
        try:
            setattr(error, _BLAME, (plugin, hook))
        except (AttributeError, TypeError):  # an exception type that takes no attributes: left unmarked
            pass


def raised(hook: str, error: BaseException) -> str:
    """``livemoney_settings raised RuntimeError: boom`` (the type alone when the message is empty)."""
    message = str(error)
    return f"{hook} raised {type(error).__name__}" + (f": {message}" if message else "")


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, plus what loading found (``loaded`` plugins, ``failures``) and what the plugins
    did wrong since (``faults``, each recorded once)."""

    def __init__(self) -> None:
        super().__init__(GROUP)
        self.add_hookspecs(hookspecs)
        self.loaded: list[LoadedPlugin] = []
        self.failures: list[LoadFailure] = []
        self.faults: list[PluginFault] = []
        self._fault_seen: dict[PluginFault, int] = {}
        self._fault_count = 0
        self._origins: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

    def failure_for(self, platform: str) -> LoadFailure | None:
        """The load failure of the plugin registered as ``platform``, if it failed."""
        return next((failure for failure in self.failures if failure.name == platform), None)

    def fault_for(self, platform: str, hook: str = "livemoney_platform") -> PluginFault | None:
        """The first fault in ``hook`` of the plugin registered as ``platform``, if it had one."""
        return next((f for f in self.faults if f.plugin == platform and f.hook == hook), None)

    # --- which plugin ------------------------------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register ``plugin`` as pluggy does, each of its hook implementations wrapped (see the module)."""
        registered = super().register(plugin, name)
        if registered is not None:
            for caller in self.get_hookcallers(plugin) or []:
                for impl in caller.get_hookimpls():
                    if impl.plugin is plugin:
                        # pluggy declares the attribute Final but offers no other way to wrap one plugin's
                        # implementation (pluggy is pinned: tests/test_plugin_isolation.py proves it works).
                        impl.function = _guarded(self, impl, caller.name)  # type: ignore[misc]
        return registered

    def describe(self, name: str) -> str:
        """The plugin registered as ``name``, with its distribution and version when installed:
        ``plugin 'zz' (distribution livemoney-zz 0.1.0)``."""
        loaded = next((plugin for plugin in self.loaded if plugin.name == name), None)
        if loaded is not None:
            return described(name, loaded.distribution, loaded.version)
        if name == HOST_NAME:
            return described(name, HOST_NAME, _version(HOST_NAME))
        return described(name, *_distribution_of(self.get_plugin(name)))

    def fault(self, plugin: str, hook: str, problem: str | BaseException) -> PluginFault:
        """Record that ``plugin`` failed in ``hook`` (in ``faults`` once, however often it happens);
        ``problem`` says how (an exception: it raised)."""
        text = raised(hook, problem) if isinstance(problem, BaseException) else problem
        found = PluginFault(plugin, self.describe(plugin), hook, text)
        self._fault_count += 1
        if found not in self._fault_seen:
            self.faults.append(found)
        self._fault_seen[found] = self._fault_count
        return found

    def fault_mark(self) -> int:
        """A mark to give `faults_since` (how many times a fault was met so far)."""
        return self._fault_count

    def faults_since(self, mark: int) -> list[PluginFault]:
        """The faults met (again or for the first time) after `fault_mark` gave ``mark``."""
        return [fault for fault in self.faults if self._fault_seen[fault] > mark]

    def error(self, fault: PluginFault) -> PluginError:
        """The `PluginError` of ``fault`` (to raise)."""
        return PluginError(str(fault), plugin=fault.plugin, fault=fault)

    def call(self, hook: str, /, **kwargs: Any) -> Called:
        """Call ``hook`` with each plugin isolated from the others (see the module): an implementation that
        raises is recorded in ``faults`` and skipped. Raises `PluginError` for a wrapper that failed."""
        call = _Call()
        outer = _CALL.get()
        token = _CALL.set(call)
        try:
            result = getattr(self.hook, hook)(**kwargs)
        except PluginError as error:
            fault = error.fault if error.fault is not None else self._fault_of(error, hook)
            call.faults.append(fault)
            raise self.error(fault) from error
        except _PASS:
            raise
        except Exception as error:
            fault = self._fault_of(error, hook)
            call.faults.append(fault)
            raise self.error(fault) from error
        finally:
            _CALL.reset(token)
            if outer is not None:
                outer.answers.extend(call.answers)
                outer.faults.extend(call.faults)
        return Called(result, tuple(call.answers), tuple(call.faults))

    def _fault_of(self, error: BaseException, hook: str) -> PluginFault:
        where = blamed(error)
        if where is None:
            return self.fault(HOST_NAME, hook, error)
        return self.fault(where[0], where[1], error)

    def note_origin(self, answered: object, plugin: str) -> None:
        """Remember that ``plugin`` gave ``answered`` (a `Reader` ...), for `origin_of` (while it lives)."""
        try:
            self._origins[answered] = plugin
        except TypeError:  # not hashable, or no weak reference to it: its failures are then no plugin's
            pass

    def origin_of(self, answered: object) -> str | None:
        """The plugin that gave ``answered`` (see `note_origin`), if known."""
        try:
            return self._origins.get(answered)
        except TypeError:
            return None

    def answerer(self, hook: str, result: Any) -> str | None:
        """During a `call`: the plugin whose implementation of ``hook`` answered ``result`` (the object)."""
        call = _CALL.get()
        if call is None:
            return None
        return next((a.plugin for a in call.answers if a.hook == hook and a.result is result), None)

    def wrong_answer(self, hook: str, result: Any, problem: str) -> PluginError:
        """The `PluginError` of a wrong ``result`` of ``hook``: naming the plugin that answered it during the
        `call` under way (its fault recorded), else "a plugin"."""
        plugin = self.answerer(hook, result)
        if plugin is None:
            return PluginError(f"a plugin: {problem}")
        return self.error(self.fault(plugin, hook, problem))


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
    """Register every wanted plugin of the group, recording (not raising) each failure.

    Whatever a plugin raises while it is imported or registered is its failure, `SystemExit` and
    `KeyboardInterrupt` included; Ctrl-C (SIGINT) meanwhile raises `PluginInterrupt` naming the plugin
    that was loading (in the main thread, when SIGINT has Python's default handler).
    """
    only = _names("LIVEMONEY_LOAD_PLUGINS")
    disabled = _names("LIVEMONEY_DISABLE_PLUGINS") or set()
    _check_selection(only, disabled)
    with _naming_interrupts() as loading:
        for entry_point in sorted(entry_points(group=GROUP), key=lambda ep: ep.name):
            if not _wanted(entry_point, only, disabled) or pm.get_plugin(entry_point.name) is not None:
                continue
            dist = entry_point.dist.name if entry_point.dist else "?"
            version = entry_point.dist.version if entry_point.dist else "?"
            loading[0] = described(entry_point.name, dist, version)
            try:
                plugin = entry_point.load()
                pm.loaded.append(LoadedPlugin(entry_point.name, dist, version))
                pm.register(plugin, name=entry_point.name)
                _refuse_unknown_hooks(pm, plugin)
            except PluginInterrupt:
                raise
            except BaseException as error:  # noqa: BLE001 (a broken plugin must not take the others down)
                pm.loaded[:] = [loaded for loaded in pm.loaded if loaded.name != entry_point.name]
                pm.failures.append(
                    LoadFailure(entry_point.name, dist, version, _error_text(error), traceback.format_exc())
                )
            finally:
                loading[0] = None


def _error_text(error: BaseException) -> str:
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


@contextmanager
def _naming_interrupts() -> Iterator[list[str | None]]:
    """While loading: Ctrl-C raises `PluginInterrupt` naming the plugin in ``loading[0]`` (plain
    `KeyboardInterrupt` between plugins). Only in the main thread, over Python's default handler."""
    loading: list[str | None] = [None]

    def interrupted(signum: int, frame: Any) -> None:
        if loading[0] is None:
            raise KeyboardInterrupt
        raise PluginInterrupt(f"interrupted while loading {loading[0]}")

    install = threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    if install:
        signal.signal(signal.SIGINT, interrupted)
    try:
        yield loading
    finally:
        if install:
            signal.signal(signal.SIGINT, signal.default_int_handler)


def _guarded(pm: PluginManager, impl: pluggy.HookImpl, hook: str) -> Callable[..., Any]:
    """``impl.function``, wrapped: see the module's docstring."""
    function = impl.function
    plugin = impl.plugin_name

    def interrupt(error: KeyboardInterrupt) -> PluginInterrupt:
        return PluginInterrupt(f"interrupted while {pm.describe(plugin)} was running {hook}")

    def failed(error: BaseException) -> bool:
        """Record ``error`` as this implementation's fault when a `call` isolates the plugins (then it
        counts as absent: ``True``); else mark it with the plugin and the hook (``False``: re-raise it).
        Ctrl-C becomes a `PluginInterrupt` naming the plugin."""
        if isinstance(error, PluginInterrupt | GeneratorExit):
            return False
        if isinstance(error, KeyboardInterrupt):
            raise interrupt(error) from error
        call = _CALL.get()
        if call is None or isinstance(error, _PASS):
            _blame(error, plugin, hook)
            return False
        # A PluginError that names its plugin was recorded by whoever raised it (an inner hook's answer).
        fault = error.fault if isinstance(error, PluginError) else None
        call.faults.append(fault if fault is not None else pm.fault(plugin, hook, error))
        return True

    def answered(result: Any) -> Any:
        call = _CALL.get()
        if result is not None and call is not None:
            call.answers.append(Answer(hook, plugin, result))
        return result

    def attempt(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """``function``'s answer, or ``None`` when it raised and the call isolates the plugins (its fault is
        recorded); else its error goes on, marked."""
        try:
            return function(*args, **kwargs)
        except BaseException as caught:  # SystemExit too: a plugin does not end the program
            error = _stray(caught, hook)
            if failed(error):
                return None
            if error is caught:
                raise
            raise error from caught

    if impl.hookwrapper:  # an old-style wrapper: its failure is marked, not skipped

        @functools.wraps(function)
        def old_style(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            try:
                return (yield from cast(Generator[Any, Any, Any], function(*args, **kwargs)))
            except PluginInterrupt:
                raise
            except KeyboardInterrupt as error:
                raise interrupt(error) from error
            except BaseException as caught:
                marked = _stray(caught, hook)  # pluggy closes an old-style wrapper only after it finished
                _blame(marked, plugin, hook)
                if marked is caught:
                    raise
                raise marked from caught

        return old_style

    if impl.wrapper:

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            # pluggy's protocol by hand, so that a wrapper that fails is absent from the call: what the
            # implementations inside it answered (or raised) goes on as if it were not installed.
            steps = cast(Generator[Any, Any, Any], function(*args, **kwargs))
            try:
                next(steps)
            except StopIteration:
                if not failed(problem := _no_yield(hook)):
                    raise problem from None
                return (yield None)
            except BaseException as error:
                if not failed(_stray(error, hook)):
                    raise
                return (yield None)
            try:
                inner = yield None
            except BaseException as thrown:  # an implementation inside it raised: the wrapper sees it
                try:
                    steps.throw(thrown)
                except StopIteration as stop:
                    return answered(stop.value)
                except BaseException as error:
                    if error is thrown or not failed(_stray(error, hook)):
                        raise
                    raise thrown  # the wrapper is absent: what it was given goes on
                steps.close()
                if failed(problem := _second_yield(hook)):
                    raise
                raise problem from None
            try:
                steps.send(inner)
            except StopIteration as stop:
                return answered(stop.value)
            except BaseException as error:
                if not failed(_stray(error, hook)):
                    raise
                return inner
            steps.close()
            if failed(problem := _second_yield(hook)):
                return inner
            raise problem

        return wrapper

    kind = _VALUED_KINDS.get(hook)
    if kind is not None:  # a valuation hook: an answer for what was not asked is absent, and the plugin's fault

        @functools.wraps(function)
        def valuing(*args: Any, **kwargs: Any) -> Any:
            result = attempt(args, kwargs)
            if result is None:  # no answer (another platform's event, most calls): nothing to check or record
                return None
            call = _CALL.get()
            if result is not None and call is not None:
                asked = {**dict(zip(impl.argnames, args, strict=False)), **kwargs}
                problem = _misdirected(hook, kind, asked, result)
                if problem is not None:
                    call.faults.append(pm.fault(plugin, hook, problem))
                    return None
            return answered(result)

        return valuing

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        return answered(attempt(args, kwargs))

    return guarded


def _stray(error: BaseException, hook: str) -> BaseException:
    """``error``, or, for a `GeneratorExit` a hook's own code raised (no generator of its was being closed: the
    signal is the plugin's bug, not the engine's to pass on), a `RuntimeError` saying so; for a `SystemExit`
    from an old-style wrapper (which pluggy would pass on: the program would end, silently), one as well."""
    if isinstance(error, GeneratorExit):
        return RuntimeError(f"{hook} raised GeneratorExit, which only a generator being closed may raise")
    if isinstance(error, SystemExit):
        return RuntimeError(f"{hook} raised SystemExit({error.code!r}): a plugin does not end the program")
    return error


_VALUED_KINDS = {
    "livemoney_value_gift": "gift",
    "livemoney_value_donation": "donation",
    "livemoney_value_sponsorship": "sponsorship",
    "livemoney_value_sale": "sale",
    "livemoney_value_event": "",
}
"""The hooks whose answer is the `Valuation` of the event asked about, and the kind asked (``""``: the
event's own)."""


def _misdirected(hook: str, kind: str, asked: dict[str, Any], result: Any) -> str | None:
    """Why ``result`` is no answer to ``hook`` asked about ``asked`` (a platform and an event), if it is none:
    not a `Valuation`, or one of another platform or kind. A plugin that values what another platform's
    plugin values (it forgot to return ``None`` for the others) must not take the event from them. The
    whole check of a valuation (`livemoney.core.valuation.valuation_problems`) is the engine's, once, on the
    call's result (`livemoney.engine.api.valued`)."""
    platform = asked.get("platform")
    event = asked.get("event", asked.get(kind))
    kind = kind or getattr(event, "kind", "")
    what = f"{hook} valued a {kind} on {platform!r}"
    if not isinstance(result, Valuation):
        return f"{what}: it answered {shown_answer(result)}, not a Valuation"
    if result.platform != platform:
        return f"{what}: it is booked under platform {result.platform!r}, not {platform!r} (the event's)"
    if result.kind != kind:
        return f"{what}: it values a {result.kind!r}, not the {kind!r} asked for"
    return None


def _no_yield(hook: str) -> RuntimeError:
    return RuntimeError(f"the wrapper of {hook} did not yield")


def _second_yield(hook: str) -> RuntimeError:
    return RuntimeError(f"the wrapper of {hook} yielded a second time")


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


@functools.cache
def _distributions() -> dict[str, list[str]]:
    return dict(metadata.packages_distributions())


def _distribution_of(plugin: object) -> tuple[str | None, str | None]:
    """The distribution (and version) that installed ``plugin``'s module, for a plugin registered by hand."""
    module = plugin.__name__ if isinstance(plugin, ModuleType) else getattr(type(plugin), "__module__", "")
    names = _distributions().get((module or "").partition(".")[0], [])
    if len(names) != 1:
        return None, None
    return names[0], _version(names[0])


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
