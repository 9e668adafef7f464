"""The settings panel of the compare and stream dashboards: the unknowns, and the figures to set them.

A figure no source gives (`livemoney.core.models.UNKNOWN`: a YouTube membership's price, what Meta takes
of Badges from 2025 on) makes a valuation unknown. The panel lists what is unknown in the figures on show,
each with its reason, and gives every setting that may be unknown (by default or under a dated rule) a
field of its own; any other declared setting can be set as ``KEY=VALUE`` pairs. Each field is a
`livemoney.widgets.state.Field`: a value the setting refuses is shown beside it, and the figures are
marked stale until it is fixed. A blank field leaves the rules' figure.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import ipywidgets as widgets

from livemoney.core.models import UNKNOWN, Setting
from livemoney.core.settings import check_overrides, parse_assignments, resolve
from livemoney.engine import api
from livemoney.html import box, esc
from livemoney.pluginsys.manager import PluginManager
from livemoney.widgets.state import Field

OTHER = "other_settings"
WIDE = {"description_width": "initial"}
_NO_OVERRIDES = types.SimpleNamespace(settings={})


def may_be_unknown(setting: Setting) -> bool:
    """Whether ``setting`` is `UNKNOWN` by default or under one of its dated rules (and is a figure, not a
    choice or a path)."""
    if setting.choices or setting.unit == "path":
        return False
    return setting.default is UNKNOWN or any(rule.value is UNKNOWN for rule in setting.history)


def text_of(value: Any) -> str:
    """A setting's value as a person types it: ``0.3``, ``45/0.99``, ``app``."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if isinstance(value, (tuple, list)):
        return "/".join(text_of(item) for item in value)
    return str(value)


def field_name(key: str) -> str:
    """The `Field` name of a setting's own field: ``setting_youtube_membership_price``."""
    return "setting_" + key.replace(".", "_")


class SettingsPanel:
    """The unknowns of the figures on show, a field per setting that may be unknown, and one for any other.

    :param pm: the plugin manager whose declared settings are offered.
    :param settings: the overrides the dashboard was given: a setting with a field of its own starts in it,
        the others in the ``KEY=VALUE`` field.
    """

    def __init__(self, pm: PluginManager, settings: Mapping[str, Any] | None = None) -> None:
        declared = api.declared_settings(pm)
        self.declared = {setting.key: setting for setting in declared}
        given = dict(settings or {})
        check_overrides(given, declared)  # a bad setting given in code is an error at once, as for lm.value
        self.missing = [setting for setting in declared if may_be_unknown(setting)]
        self.fields: list[Field] = []
        self._own: dict[str, str] = {}
        self._help: dict[str, widgets.HTML] = {}
        rows = []
        for setting in self.missing:
            text = widgets.Text(
                value=text_of(given.pop(setting.key)) if setting.key in given else "",
                description=setting.key,
                placeholder="unknown",
                continuous_update=False,
                style=WIDE,
                layout=widgets.Layout(width="360px"),
            )
            name = field_name(setting.key)
            field = Field(name, text, self._reader(setting))
            text.add_class("lm-setting")
            self.fields.append(field)
            self._own[name] = setting.key
            note = self._help[setting.key] = widgets.HTML(layout=widgets.Layout(flex="1 1 300px"))
            rows.append(widgets.HBox([field.box, note], layout=widgets.Layout(flex_flow="row wrap")))
        other = widgets.Text(
            value=", ".join(f"{key}={text_of(value)}" for key, value in given.items()),
            description="Other settings",
            placeholder="KEY=VALUE, ... e.g. tiktok.diamond_usd=0.0045",
            continuous_update=False,
            style=WIDE,
            layout=widgets.Layout(width="560px"),
        )
        self.other = Field(OTHER, other, self._read_other)
        self.fields.append(self.other)
        self.unknowns = widgets.HTML()
        self.unknowns.add_class("lm-unknowns")
        title = widgets.HTML(
            box(
                '<div class="lm-title">Settings: the figures no source gives</div>'
                '<div class="lm-muted">Type a figure to use it (blank: the rules\' own); every figure is '
                "recomputed at once.</div>"
            )
        )
        self.widget = widgets.VBox([title, *rows, self.other.box, self.unknowns])
        self.widget.add_class("lm-settings")

    def _reader(self, setting: Setting) -> Any:
        def read(text: str) -> Any:
            if not text.strip():
                return None
            return check_overrides({setting.key: text.strip()}, [setting])[setting.key]

        return read

    def _read_other(self, text: str) -> dict[str, Any]:
        pairs = parse_assignments(part for part in text.replace(";", ",").split(",") if part.strip())
        own = [key for key in pairs if key in self._own.values()]
        if own:
            raise ValueError(f"{', '.join(own)}: set it in its own field above")
        return check_overrides(pairs, self.declared.values())

    def overrides(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The settings the fields' ``values`` (by field name, as `Model` reads them) ask for."""
        found = {self._own[name]: value for name, value in values.items() if name in self._own and value is not None}
        found.update(values.get(OTHER) or {})
        return found

    def show(self, on: dt.date | None, unknowns: Iterable[tuple[str, str, int]]) -> None:
        """Say what each field's setting is on the date ``on`` (``None``: each event's own date) and list
        ``unknowns``: (what, reason, how many)."""
        for setting in self.missing:
            rules = resolve(setting, _NO_OVERRIDES, on)
            when = f"on {on.isoformat()}" if on is not None else "by default"
            said = "unknown" if rules.unknown else f"{text_of(rules.value)} {setting.unit}"
            self._help[setting.key].value = box(
                f'<div class="lm-muted">{esc(setting.description)}; the rules\' figure {esc(when)}: '
                f'<span class="{"lm-unknown" if rules.unknown else ""}">{esc(said)}</span></div>'
            )
        items = [
            f"<li><b>{esc(what)}</b>{f' ({count} events)' if count > 1 else ''}: {esc(reason)}</li>"
            for what, reason, count in unknowns
        ]
        if items:
            self.unknowns.value = box(
                '<div class="lm-title lm-unknown">Unknown in the figures on show</div>',
                f'<ul class="lm-reasons">{"".join(items)}</ul>',
            )
        else:
            self.unknowns.value = box('<div class="lm-muted">Nothing unknown in the figures on show.</div>')
