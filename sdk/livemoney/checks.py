"""Checking plugins: what ``livemoney plugins --check`` reports, and what `livemoney.testing` asserts.

One implementation for both: `plugin_problems` checks one plugin on a fresh plugin manager (its hooks
match the hookspecs; its settings and platform cite sources with dates; it answers only for its own
platform; its readers sniff; what it values keeps the invariants of `valuation_problems`).
`check_installed` runs it on every plugin of a manager, adds what only shows across plugins (a setting
or reader name declared twice, a sample another plugin's reader also claims) and names each plugin.

A plugin proves that its readers recognise their format by giving samples of it: each `Reader`'s
``samples``, the first bytes of real files.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable
from typing import Any

import attrs
import pluggy

from livemoney.core.models import (
    UNKNOWN,
    Context,
    Donation,
    DonationFeature,
    Event,
    Gift,
    Like,
    Platform,
    Reader,
    Rejected,
    Sale,
    Setting,
    Source,
    Sponsorship,
    Valuation,
)
from livemoney.core.money import Money
from livemoney.core.untrusted import shown_answer
from livemoney.core.valuation import valuation_problems as core_valuation_problems
from livemoney.errors import PluginError
from livemoney.pluginsys import hookspecs
from livemoney.pluginsys.manager import HOST_NAME, PluginManager, get_plugin_manager, hooks_of

HOOKS = tuple(sorted(name for name in vars(hookspecs) if name.startswith("livemoney_")))
"""The name of every livemoney hook."""

PLATFORM_HOOKS = frozenset(
    {
        "livemoney_platform",
        "livemoney_donation_features",
        "livemoney_value_gift",
        "livemoney_value_donation",
        "livemoney_handle_like",
    }
)
"""A plugin that implements any of these is a platform plugin: it must describe its platform."""

VALUE_HOOKS = {
    "gift": "livemoney_value_gift",
    "donation": "livemoney_value_donation",
    "like": "livemoney_handle_like",
    "sale": "livemoney_value_sale",
}
OLD_SAMPLES = "READER_SAMPLES"
"""The module attribute that gave readers' samples before `Reader.samples` (no longer read: a problem)."""
OTHER_PLATFORM = "someotherplatform"
CHECK_NAME = "livemoney-check"
"""The name of the made-up gift, donation feature, product and brand a check values."""
SPEND = Money(100, "USD")
LIKES = 1000
# A citation as Source.cite() writes it inside a setting's "[...]", or a user's own setting.
_CITATION = re.compile(r"\[[^\[\]]+, [^\[\]]+\]|\(your setting\)")


@attrs.frozen(slots=True)
class Problem:
    """One thing wrong with one plugin (``distribution`` ``None``: registered by hand, not installed)."""

    plugin: str
    distribution: str | None
    problem: str

    def __str__(self) -> str:
        where = f" (distribution {self.distribution})" if self.distribution else ""
        return f"plugin {self.plugin!r}{where}: {self.problem}"


# --- one valuation ------------------------------------------------------------------------------


def valuation_problems(
    valuation: Valuation, currency: str | None = None, *, platform: str | None = None, kind: str | None = None
) -> list[str]:
    """What breaks the invariants of a `Valuation` (empty when none does): those the engine checks on
    every valuation a plugin gives (`livemoney.core.valuation.valuation_problems`: the platform and kind
    asked for, money in ``currency`` exact to `livemoney.core.money.EXACT_PLACES` places, ``gross ==
    sum(shares) + net`` with no negative share and no share above gross, no float, a reason when
    unknown), and one more a check asks of a plugin: a valuation in which anyone takes a cut cites the
    source of a figure in ``explain``.
    """
    problems = core_valuation_problems(valuation, currency, platform=platform, kind=kind)
    if not valuation.unknown:
        cut = any(share.amount.amount for share in valuation.shares) or valuation.net != valuation.gross
        if cut and not any(_CITATION.search(line) for line in valuation.explain):
            problems.append("someone takes a cut but explain cites no source ([title, as-of <url>])")
    return problems


# --- one plugin ---------------------------------------------------------------------------------


def plugin_name(plugin: object) -> str:
    """The name to register ``plugin`` under: its platform key when it describes one, else its own name."""
    describe = getattr(plugin, "livemoney_platform", None)
    platform = attempt(describe) if callable(describe) else None
    if isinstance(platform, Platform):
        return platform.key
    return getattr(plugin, "__name__", type(plugin).__name__)


def plugin_problems(
    plugin: object, name: str | None = None, entry_point: bool = False, installed: PluginManager | None = None
) -> list[str]:
    """What is wrong with ``plugin``, checked on a fresh manager with the host and it alone.

    A plugin that implements a platform hook (`PLATFORM_HOOKS`) is a platform plugin and is checked as
    one; any other (a wrapper, a reader of another plugin's platform) for its hooks, settings and readers.

    :param name: its name (an entry-point name when ``entry_point``: then its platform key must be it).
    :param installed: the manager it is installed in, to find samples that another plugin's reader
        also claims.
    """
    name = name or plugin_name(plugin)
    problems = _marker_problems(plugin)
    pm = get_plugin_manager(load_entry_points_=False)
    try:
        pm.register(plugin, name=name)
        pm.check_pending()
    except (pluggy.PluginValidationError, ValueError) as error:
        return [*problems, "its hooks do not match livemoney's hookspecs: " + " ".join(str(error).split())]
    hooks = set(hooks_of(pm, plugin))
    settings = _call(pm, plugin, "livemoney_settings")
    if isinstance(settings, BaseException):
        problems.append(_raised("livemoney_settings", settings))
        settings = None
    elif settings is not None and not isinstance(settings, (list, tuple)):
        problems.append(f"livemoney_settings returned {shown_answer(settings)}, not a list")
        settings = None
    settings = list(settings or [])
    for setting in settings:
        if isinstance(setting, Setting):
            problems.extend(setting_problems(setting))
        else:
            problems.append(f"livemoney_settings returned {shown_answer(setting)}, not a Setting")
    if not hooks & PLATFORM_HOOKS:
        return problems + _reader_problems(pm, plugin, None, installed)
    platform = _call(pm, plugin, "livemoney_platform")
    if not isinstance(platform, Platform):
        shown = _raised("livemoney_platform", platform) if isinstance(platform, BaseException) else repr(platform)
        return [*problems, f"a platform plugin must describe its platform (livemoney_platform returned {shown})"]
    problems.extend(_platform_problems(platform, name, entry_point, settings))
    features = _call(pm, plugin, "livemoney_donation_features", platform=platform.key, context=Context())
    if isinstance(features, BaseException):
        problems.append(_raised("livemoney_donation_features", features))
    elif not isinstance(features, list):
        problems.append(f"livemoney_donation_features returned {shown_answer(features)} for its own platform, not a list")
    problems.extend(_answers_for_others(pm, plugin))
    reader_problems = _reader_problems(pm, plugin, platform.key, installed)
    problems.extend(reader_problems)
    events: list[Event] = [Like(platform=platform.key, count=LIKES)]
    if isinstance(features, list):
        events[:0] = [
            _feature_event(platform.key, feature) for feature in features if isinstance(feature, DonationFeature)
        ]
    covered = {event.kind for event in events}
    events.extend(event for event in _kind_events(platform.key, hooks) if event.kind not in covered)
    if not reader_problems:
        events.extend(event for event in _sample_events(pm, plugin) if event.platform == platform.key)
    problems.extend(_value_problems(pm, events))
    return problems


def setting_problems(setting: Setting) -> list[str]:
    """A setting needs a description, a unit and a dated source (``as_of="n.d."`` when it shows none)."""
    problems = []
    if not setting.description.strip():
        problems.append(f"setting {setting.key} has no description")
    if not setting.unit.strip():
        problems.append(f"setting {setting.key} has no unit")
    if setting.default is not UNKNOWN and not setting.source.as_of:
        problems.append(f"setting {setting.key}: {_undated(setting.source)}")
    for rule in setting.history:
        if rule.value is not UNKNOWN and not rule.source.as_of:
            problems.append(f"setting {setting.key}, rule from {rule.since.isoformat()}: {_undated(rule.source)}")
    dates = [rule.since for rule in setting.history]
    if dates != sorted(dates):
        problems.append(f"setting {setting.key}: its dated rules are not oldest first")
    return problems


def _undated(source: Source) -> str:
    return f"its source {source.title!r} has no as-of date (as_of='n.d.' when the source shows none)"


def _platform_problems(platform: Platform, name: str, entry_point: bool, settings: list[Setting]) -> list[str]:
    problems = []
    if entry_point and platform.key != name:
        problems.append(f"platform key {platform.key!r} differs from its entry-point name {name!r}")
    if not platform.sources:
        problems.append(f"platform {platform.key} cites no source")
    problems.extend(f"platform {platform.key}: {_undated(source)}" for source in platform.sources if not source.as_of)
    if not settings:
        problems.append("declares no settings (livemoney_settings): every figure it uses must be one")
    foreign = [s.key for s in settings if isinstance(s, Setting) and not s.key.startswith(platform.key + ".")]
    if foreign:
        problems.append(f"setting keys must start with '{platform.key}.': {', '.join(foreign)}")
    return problems


def _marker_problems(plugin: object) -> list[str]:
    """Hook-like functions that livemoney never calls: unmarked, or named like no hook."""
    problems = []
    for attribute in sorted(dir(plugin)):
        if not attribute.startswith("livemoney_"):
            continue
        function = getattr(plugin, attribute, None)
        if not callable(function):
            continue
        marked = hasattr(function, f"{hookspecs.hookimpl.project_name}_impl")
        if attribute not in HOOKS:
            if marked:
                close = difflib.get_close_matches(attribute, HOOKS, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                problems.append(f"{attribute} is not a livemoney hook{hint}")
        elif not marked:
            problems.append(f"{attribute} is not marked with @hookimpl: livemoney never calls it")
    return problems


def _call(pm: PluginManager, plugin: object, hook: str, **kwargs: Any) -> Any:
    """``plugin``'s own implementation of ``hook`` called with ``kwargs``; an exception is returned."""
    for impl in getattr(pm.hook, hook).get_hookimpls():
        if impl.plugin is plugin and not impl.wrapper and not impl.hookwrapper:
            return attempt(impl.function, **{argument: kwargs[argument] for argument in impl.argnames})
    return None


def attempt(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``, or the exception it raised: a plugin's error is a finding, not a crash
    (`SystemExit` too: a plugin does not end the check; Ctrl-C does)."""
    try:
        return function(*args, **kwargs)
    except (KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as error:  # noqa: BLE001 - whatever a plugin raises is reported as its problem
        return error


def _raised(hook: str, error: BaseException) -> str:
    return f"{hook} raised {type(error).__name__}: {error}"


def _answers_for_others(pm: PluginManager, plugin: object) -> list[str]:
    """A platform plugin answers for its own platform and returns ``None`` for any other."""
    usd = Money(1, "USD")
    asked: dict[str, dict[str, Event]] = {
        "livemoney_donation_features": {},
        "livemoney_value_gift": {"gift": Gift(platform=OTHER_PLATFORM, gift="check")},
        "livemoney_value_donation": {"donation": Donation(platform=OTHER_PLATFORM, feature="check", amount=usd)},
        "livemoney_value_sponsorship": {"sponsorship": Sponsorship(platform=OTHER_PLATFORM, amount=usd)},
        "livemoney_value_sale": {"sale": Sale(platform=OTHER_PLATFORM, amount=usd)},
        "livemoney_handle_like": {"like": Like(platform=OTHER_PLATFORM)},
        "livemoney_value_event": {"event": Gift(platform=OTHER_PLATFORM, gift="check")},
    }
    problems = []
    for hook, arguments in asked.items():
        answer = _call(pm, plugin, hook, platform=OTHER_PLATFORM, context=Context(), **arguments)
        if isinstance(answer, BaseException):
            problems.append(f"{hook} raised {type(answer).__name__} for another platform: {answer}")
        elif answer is not None:
            problems.append(f"{hook} answered for platform {OTHER_PLATFORM!r}: it must return None for other platforms")
    return problems


def _feature_event(platform: str, feature: DonationFeature) -> Event:
    # As the comparison does: the feature bought with SPEND.
    if feature.kind == "gift":
        return Gift(platform=platform, gift=feature.key, amount=SPEND)
    return Donation(platform=platform, feature=feature.key, amount=SPEND)


def _value_problems(pm: PluginManager, events: list[Event]) -> list[str]:
    """What goes wrong valuing ``events`` as the engine values them (each plugin isolated, every answer
    checked by `valuation_problems` for the event's platform and kind)."""
    problems = []
    context = Context()
    for event in events:
        what = _describe(event)
        try:
            called = pm.call("livemoney_value_event", platform=event.platform, event=event, context=context)
        except PluginError as error:
            problems.append(f"valuing {what}: {error.fault.problem if error.fault is not None else error}")
            continue
        except Exception as error:  # noqa: BLE001 - what the engine would not value is reported, not raised
            problems.append(f"valuing {what} raised {type(error).__name__}: {error}")
            continue
        problems.extend(f"valuing {what}: {fault.problem}" for fault in called.faults)
        result = called.result
        if result is None:
            if not called.faults:
                hook = VALUE_HOOKS.get(event.kind, "livemoney_value_event")
                problems.append(f"valuing {what} gave None: {hook} must answer for its own platform {event.platform}")
        elif not isinstance(result, Valuation):
            problems.append(f"valuing {what} gave {shown_answer(result)}, not a Valuation")
        else:
            found = valuation_problems(result, context.currency, platform=event.platform, kind=event.kind)
            problems.extend(f"valuing {what}: {problem}" for problem in found)
    return problems


def _kind_events(platform: str, hooks: set[str]) -> list[Event]:
    """An event of each kind the plugin values with a hook of its own (a gift, a donation, a sale, a
    sponsorship): a made-up name, bought for `SPEND` (checked where no donation feature is of its kind).
    A plugin values it, unknown with a reason if it knows no figure: it never raises, nor answers wrong."""
    made: dict[str, Event] = {
        "livemoney_value_gift": Gift(platform=platform, gift=CHECK_NAME, count=2, amount=SPEND),
        "livemoney_value_donation": Donation(platform=platform, feature=CHECK_NAME, amount=SPEND),
        "livemoney_value_sale": Sale(platform=platform, amount=SPEND, product=CHECK_NAME),
        "livemoney_value_sponsorship": Sponsorship(platform=platform, amount=SPEND, brand=CHECK_NAME),
    }
    return [event for hook, event in made.items() if hook in hooks]


def _describe(event: Event) -> str:
    if isinstance(event, Like):
        return f"{event.count} likes"
    name = event.feature if isinstance(event, Donation) else getattr(event, "gift", event.kind)
    amount = getattr(event, "amount", None)
    return f"a {event.kind} ({name}" + (f", {amount})" if amount is not None else ")")


# --- readers -----------------------------------------------------------------------------------

_HEADS = (b"", b"\x00\xff\xfe not a log", b"{not json", b'{"type": "like", "platform": "x", "count": 1}\n')


def _own_readers(pm: PluginManager, plugin: object) -> tuple[list[Reader], list[str]]:
    found = _call(pm, plugin, "livemoney_readers")
    if isinstance(found, BaseException):
        return [], [_raised("livemoney_readers", found)]
    readers, problems = [], []
    for reader in found or []:
        if isinstance(reader, Reader):
            readers.append(reader)
        else:
            problems.append(f"livemoney_readers returned {shown_answer(reader)}, not a Reader")
    return readers, problems


def _reader_problems(
    pm: PluginManager, plugin: object, platform: str | None, installed: PluginManager | None
) -> list[str]:
    from livemoney.core.canonical import is_canonical
    from livemoney.engine.readers import available_readers

    readers, problems = _own_readers(pm, plugin)
    names = {reader.name for reader in readers}
    others = [r for r in available_readers(installed or pm) if r.name not in names and r.platform is not None]
    for reader in readers:
        label = f"reader {reader.name}"
        if platform is not None and reader.platform not in (None, platform):
            problems.append(f"{label} reads platform {reader.platform!r}, not its plugin's {platform!r}")
        for head in _HEADS:
            answer = attempt(reader.sniff, head)
            if isinstance(answer, BaseException):
                problems.append(f"{label}: sniff raised {type(answer).__name__} on the head {head!r}: {answer}")
                break
            if not isinstance(answer, bool):
                problems.append(f"{label}: sniff returned {shown_answer(answer)} on the head {head!r}, not True or False")
                break
            if answer and head == b"":
                problems.append(f"{label}: sniff claims an empty file")
    for reader, sample in ((own, sample) for own in readers for sample in own.samples):
        label = f"reader {reader.name}"
        if not isinstance(sample, bytes):
            problems.append(f"{label}: its sample is {type(sample).__name__}, not the bytes of a file")
            continue
        if is_canonical(sample):
            problems.append(f"{label}: its sample is a canonical livemoney log, which the canonical reader takes")
        elif not _sniffs(reader, sample):
            problems.append(f"{label} does not recognise its own sample (sniff returned False)")
        claimed = [other.name for other in others + readers if other is not reader and _sniffs(other, sample)]
        if claimed:
            problems.append(f"{label}: its sample is also recognised by reader(s) {', '.join(claimed)}")
        items = _read(reader, sample)
        if isinstance(items, BaseException):
            problems.append(f"{label}: reading its sample raised {type(items).__name__}: {items}")
            continue
        problems.extend(
            f"{label}: its sample has a rejected record: {item}" for item in items if isinstance(item, Rejected)
        )
        if not any(isinstance(item, Event) for item in items):
            problems.append(f"{label}: its sample gives no event")
    if hasattr(plugin, OLD_SAMPLES):
        problems.append(f"{OLD_SAMPLES} is not read any more: give each reader its samples (Reader(samples=...))")
    return problems


def _sniffs(reader: Reader, head: bytes) -> bool:
    return attempt(reader.sniff, head) is True


def _read(reader: Reader, sample: bytes) -> list[Event | Rejected] | Exception:
    return attempt(lambda: list(reader.read(io.BytesIO(sample), "sample")))


def _sample_events(pm: PluginManager, plugin: object) -> list[Event]:
    events: list[Event] = []
    for reader in _own_readers(pm, plugin)[0]:
        for sample in reader.samples:
            items = _read(reader, sample)
            if not isinstance(items, BaseException):
                events.extend(item for item in items if isinstance(item, Event))
    return events


# --- every installed plugin ---------------------------------------------------------------------


def check_installed(pm: PluginManager) -> list[Problem]:
    """The problems of every plugin of ``pm`` (load failures first), each naming its plugin."""
    problems = [Problem(f.name, f.distribution, f"failed to load: {f.error}") for f in pm.failures]
    distributions = {loaded.name: loaded.distribution for loaded in pm.loaded}
    setting_owner: dict[str, str] = {}
    reader_owner: dict[str, str] = {}
    platform_owner: dict[str, str] = {}
    for name, plugin in pm.list_name_plugin():
        if plugin is None or name == HOST_NAME:
            continue
        found = plugin_problems(plugin, name, entry_point=name in distributions, installed=pm)
        found[:0] = [
            *_duplicates(pm, plugin, name, "livemoney_platform", "key", platform_owner),
            *_duplicates(pm, plugin, name, "livemoney_settings", "key", setting_owner),
        ]
        found.extend(_duplicates(pm, plugin, name, "livemoney_readers", "name", reader_owner))
        problems.extend(Problem(name, distributions.get(name), problem) for problem in found)
    return problems


def _duplicates(
    pm: PluginManager, plugin: object, name: str, hook: str, field: str, owner: dict[str, str]
) -> list[str]:
    """The ``field`` values (platform keys, setting keys, reader names) ``plugin`` declares that another
    plugin declared first."""
    found = _call(pm, plugin, hook)
    what = {"livemoney_platform": "platform", "livemoney_settings": "setting"}.get(hook, "reader")
    problems = []
    for item in found if isinstance(found, list) else [found] if isinstance(found, Platform) else []:
        value = getattr(item, field, None)
        if not isinstance(value, str):
            continue
        if owner.setdefault(value, name) != name:
            problems.append(f"{what} {value} is also declared by plugin {owner[value]!r}")
    return problems
