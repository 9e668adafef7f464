"""The state model under every dashboard: controls in, figures out, never a figure of other controls.

As mpl-interactions separates its controls from what they drive, a dashboard here is a `Model`: a list
of `Field` (a widget, how its value is read, and an error line beside it), a ``compute`` function from
the fields' values to a result, and a ``render`` function from the result to the figures. Every change
of any field reads every field again and recomputes from scratch (cached inside ``compute`` where that
is safe: the same inputs give the same figures), so the figures are a function of the current controls
whatever the order of the changes.

While a field is invalid, its error is shown beside it, the figures are marked stale (the ``lm-stale``
class: greyed, with a line saying which field to fix) and `Model.stale` is true; they are never left
looking current. An error found only while computing (a Mix key that no platform lists, a setting the
plugins refuse) is raised as `ControlError` naming its field, and shown beside that field the same way.

    model = Model([Field("spend", text, read_spend), ...], compute, render, figures, status)
    model.update()           # read, compute, render (or mark stale): called on every change
    model.errors             # {"spend": "spend: 'abc' is not a decimal number"} while invalid
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from livemoney.errors import LivemoneyError
from livemoney.html import box, esc

STALE = "lm-stale"
"""The class of the figures while a control is invalid (greyed by the dashboards' style sheet)."""
PROBLEMS = (ValueError, LivemoneyError)
"""What reading a control or computing may raise for bad input (every error of livemoney's is one)."""


class ControlError(ValueError):
    """Bad input found while computing, that belongs beside the control ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def identity(value: Any) -> Any:
    return value


class Field:
    """One control: its ``widget``, how its value is ``read`` (raising `ValueError` when invalid), and the
    ``error`` line shown beside it; ``box`` holds both, for the layout. The widget has the class
    ``lm-<name>`` and the error ``lm-<name>-error`` (underscores as dashes), for tests and style sheets."""

    def __init__(self, name: str, widget: Any, read: Callable[[Any], Any] = identity) -> None:
        self.name = name
        self.widget = widget
        self.read = read
        css = f"lm-{name.replace('_', '-')}"
        widget.add_class(css)
        self.error = widgets.HTML()
        self.error.add_class("lm-field-error")
        self.error.add_class(f"{css}-error")
        self.box = widgets.VBox([widget, self.error], layout=widgets.Layout(margin="0 8px 4px 0"))
        self.box.add_class("lm-field")

    def show(self, problem: str | None) -> None:
        """Show ``problem`` beside the control (``None``: none)."""
        text = box(f'<div class="lm-error">{esc(problem)}</div>') if problem else ""
        if self.error.value != text:
            self.error.value = text


class Model:
    """Fields, a compute function and a render function (see the module docstring).

    :param fields: the controls; each change of one calls `update`.
    :param compute: the fields' values (by name) → the result; raises `ControlError` for a field's problem.
    :param render: shows a result (sets the figures' widgets).
    :param figures: the widgets marked stale while a field is invalid.
    :param status: where the dashboard says that the figures are stale, and why.
    :param output: the `ipywidgets.Output` that shows what a change's update prints or raises.
    :param after: called after every update (to enable or disable buttons by `stale`).
    """

    def __init__(
        self,
        fields: Sequence[Field],
        compute: Callable[[dict[str, Any]], Any],
        render: Callable[[Any], None],
        figures: Sequence[Any],
        status: Any,
        output: Any = None,
        after: Callable[[], None] | None = None,
    ) -> None:
        self.fields = {field.name: field for field in fields}
        self.after = after
        self.compute = compute
        self.render = render
        self.figures = list(figures)
        self.status = status
        self.output = output
        self.errors: dict[str, str] = {}
        self.values: dict[str, Any] | None = None
        """The values of the fields the figures on show were computed from."""
        self.result: Any = None
        self._quiet = 0
        for field in fields:
            field.widget.observe(self._changed, names="value")

    @property
    def stale(self) -> bool:
        """Whether a field is invalid: the figures on show are not of the current controls."""
        return bool(self.errors)

    @property
    def error(self) -> str | None:
        """The first field's problem, or ``None``."""
        return next(iter(self.errors.values()), None)

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Every field's value, and the problem of each that is invalid."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, field in self.fields.items():
            try:
                values[name] = field.read(field.widget.value)
            except PROBLEMS as error:
                errors[name] = str(error)
        return values, errors

    def update(self) -> None:
        """Read every field and recompute; show the figures, or mark them stale and say why (then call
        ``after``, whatever the outcome)."""
        self._update()
        if self.after is not None:
            self.after()

    def _update(self) -> None:
        values, errors = self.read()
        result = None
        if not errors:
            try:
                result = self.compute(values)
            except ControlError as error:
                errors[error.field if error.field in self.fields else next(iter(self.fields))] = str(error)
            except PROBLEMS as error:
                errors[next(iter(self.fields))] = str(error)
        for name, field in self.fields.items():
            field.show(errors.get(name))
        self.errors = errors
        if errors:
            for figure in self.figures:
                figure.add_class(STALE)
            names = ", ".join(name.replace("_", " ") for name in errors)
            self.status.value = box(
                f'<div class="lm-error lm-stale-note">The figures below are out of date (greyed): fix {esc(names)} '
                "(the problem is shown beside it).</div>"
            )
            return
        self.values = values
        self.result = result
        self.render(result)
        for figure in self.figures:
            figure.remove_class(STALE)
        self.status.value = ""

    def quietly(self) -> _Quiet:
        """A context in which field changes do not update (for setting several fields, then `update` once)."""
        return _Quiet(self)

    def _changed(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        if self.output is None:
            self.update()
            return
        with self.output:
            self.update()


class _Quiet:
    def __init__(self, model: Model) -> None:
        self.model = model

    def __enter__(self) -> Model:
        self.model._quiet += 1
        return self.model

    def __exit__(self, *exc: object) -> None:
        self.model._quiet -= 1
