"""Settings: the figures plugins read, their dated rules, and the user's overrides.

A plugin declares each figure as a `Setting` (default, unit, source, dated history) and reads it with
`resolve`, which answers the user's override when there is one, else the rule in force on the date,
else the default. `check_overrides` validates what a user passes in ``Context.settings``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from livemoney.core.models import UNKNOWN, Setting, Source
from livemoney.core.money import plain, to_decimal
from livemoney.errors import SettingError


@attrs.frozen(slots=True)
class Resolved:
    """A setting's value as used for one valuation, with where it came from."""

    key: str
    value: Any
    unit: str
    source: Source
    since: dt.date | None = None
    overridden: bool = False

    @property
    def unknown(self) -> bool:
        """Whether no source gives the figure (`UNKNOWN`)."""
        return self.value is UNKNOWN

    @property
    def share_source(self) -> Source | None:
        """The source a `Share` taken by this figure cites: none when the figure is the user's own setting."""
        return None if self.overridden else self.source

    @property
    def cited_source(self) -> Source:
        """The source a `Share` taken by this figure cites, naming the user's setting when the user set it."""
        return Source(f"your setting {self.key} = {self.value}") if self.overridden else self.source

    def cite(self) -> str:
        """``key = value unit`` and its source, for ``explain``."""
        value = _show(self.value)
        if self.overridden:
            return f"{self.key} = {value} {self.unit} (your setting)"
        rule = f", rule in force from {self.since.isoformat()}" if self.since else ""
        return f"{self.key} = {value} {self.unit} [{self.source.cite()}{rule}]"


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, tuple):
        return "/".join(_show(v) for v in value)
    return str(value)


def setting_text(value: Any) -> str:
    """A setting's value as typed on the command line (``--set``) and listed by ``livemoney settings``:
    ``0.005``, ``unknown``, ``100/1.40``, ``in_app``, ``none``."""
    if value is UNKNOWN:
        return "unknown"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, tuple):
        return "/".join(setting_text(item) for item in value)
    return "none" if value is None else str(value)


def resolve(setting: Setting, context: Any, on: dt.date | None) -> Resolved:
    """The value of ``setting`` for a valuation on date ``on`` (``None``: no date, the default).

    A user's value outside the setting's range (``minimum``, ``maximum``) raises `SettingError`, naming it.
    """
    if setting.key in context.settings:
        value = context.settings[setting.key]
        _check_range(setting, value, setting_text(value))
        return Resolved(setting.key, value, setting.unit, setting.source, overridden=True)
    if on is not None:
        in_force = [rule for rule in setting.history if rule.since <= on]
        if in_force:
            rule = in_force[-1]
            return Resolved(setting.key, rule.value, setting.unit, rule.source, since=rule.since)
    return Resolved(setting.key, setting.default, setting.unit, setting.source)


def parse_value(setting: Setting, value: Any) -> Any:
    """Convert ``value`` (often a string from the command line) to the type of the setting's default; where
    the default is `UNKNOWN`, the value's own shape decides: ``100/1.40`` (or a tuple) is a tuple of numbers,
    ``0.01`` a number. A number (or a number of a tuple) outside the setting's range (``minimum``,
    ``maximum``) raises `SettingError`: ``facebook.star_usd: '-1' must be at least 0 (USD/star)``."""
    parsed = _parse(setting, value)
    _check_range(setting, parsed, repr(value) if isinstance(value, str) else setting_text(parsed))
    return parsed


def _check_range(setting: Setting, value: Any, shown: str) -> None:
    """`SettingError` naming ``setting`` when ``value`` (as the user gave it: ``shown``) is outside its range."""
    problem = setting.out_of_range(value)
    if problem:
        raise SettingError(f"{setting.key}: {shown} {problem} ({setting.unit})")


def _parse(setting: Setting, value: Any) -> Any:
    default = setting.default
    shaped = default is UNKNOWN and (isinstance(value, (tuple, list)) or (isinstance(value, str) and "/" in value))
    try:
        if setting.choices:
            if value not in setting.choices:
                raise SettingError(f"must be one of {', '.join(setting.choices)}")
            return value
        if isinstance(default, Decimal) or (default is UNKNOWN and not shaped):
            if value is UNKNOWN:
                return UNKNOWN
            return to_decimal(value, setting.key)
        if isinstance(default, tuple) or shaped:
            items = value.split("/") if isinstance(value, str) else list(value)
            parsed = tuple(to_decimal(item, setting.key) for item in items)
            if isinstance(default, tuple) and len(default) and len(parsed) != len(default):
                raise SettingError(f"takes {len(default)} values separated by '/', e.g. {_show(default)}")
            return parsed
        if isinstance(default, Path) or (default is None and setting.unit == "path"):
            return Path(value) if value is not None else None
        if isinstance(default, str):
            return str(value)
    except (TypeError, ValueError) as error:
        if isinstance(error, SettingError):
            raise SettingError(f"{setting.key}: {value!r} {error}") from None
        raise SettingError(f"{setting.key}: {value!r} is not valid ({error})") from None
    return value


def check_overrides(overrides: Mapping[str, Any], declared: Iterable[Setting]) -> dict[str, Any]:
    """Validate and convert ``overrides`` against the ``declared`` settings; an unknown key lists the known."""
    by_key = {setting.key: setting for setting in declared}
    checked = {}
    for key, value in overrides.items():
        if key not in by_key:
            known = ", ".join(sorted(by_key)) or "(none: no plugin declares settings)"
            raise SettingError(f"unknown setting {key!r}; known settings: {known}")
        checked[key] = parse_value(by_key[key], value)
    return checked


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """``["tiktok.diamond_usd=0.0045"]`` → ``{"tiktok.diamond_usd": "0.0045"}``."""
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SettingError(f"{pair!r}: expected KEY=VALUE, e.g. tiktok.diamond_usd=0.0045")
        result[key.strip()] = value.strip()
    return result


class SettingTable:
    """A plugin's declared settings, read by key: ``table("tiktok.diamond_usd", context, on)``."""

    def __init__(self, *declared: Setting) -> None:
        self._by_key = {setting.key: setting for setting in declared}

    def declared(self) -> list[Setting]:
        """The settings, for the plugin's `livemoney_settings` hook."""
        return list(self._by_key.values())

    def __call__(self, key: str, context: Any, on: dt.date | None) -> Resolved:
        return resolve(self._by_key[key], context, on)
