"""Controls the dashboards share: the currency (only those with a rate on the data's dates, and those of
the user's rates file), the as-of date, and rows of controls that wrap inside a narrow notebook column."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from livemoney.core.fx import RateTable, ecb_rates, offered_currencies

WIDE = {"description_width": "initial"}


def today() -> dt.date:
    """Today's date in UTC: the rules a comparison applies unless told otherwise."""
    return dt.datetime.now(dt.UTC).date()


def rate_table(rates: str | os.PathLike | RateTable | None) -> RateTable | None:
    """The user's rates file read once (a bad file raises `livemoney.errors.RatesFileError` at once)."""
    if rates is None or isinstance(rates, RateTable):
        return rates
    return RateTable.read(rates)


def code(currency: str) -> str:
    """An ISO-4217 code as the rates know it: ``" usd"`` is ``USD``."""
    return currency.strip().upper()


class Currencies:
    """The currencies offered on some days (the ECB's with a rate on each, and every one of the user's
    table); `options` lists them, and a chosen one that has no rate, marked so.

    With ``fallback="latest"`` a day after the ECB's last rates offers the currencies of that last day
    (their rates are used, and explain says how old they are).
    """

    def __init__(self, table: RateTable | None, fallback: str | None = None) -> None:
        self.table = table
        self.fallback = fallback
        self.days: list[dt.date | None] = [None]
        self.offered: list[str] = offered_currencies(self.days, table)

    def on(self, days: Iterable[dt.date | None]) -> list[str]:
        """Offer the currencies with a rate on every one of ``days`` (none: the ECB's latest)."""
        self.days = sorted(set(days), key=lambda day: day or dt.date.max) or [None]
        asked = self.days
        if self.fallback == "latest":
            last = ecb_rates().last
            asked = [None if day is not None and day > last else day for day in self.days]
        self.offered = offered_currencies(asked, self.table)
        return self.offered

    def when(self) -> str:
        known = [day for day in self.days if day is not None]
        if not known:
            return "on the latest rates"
        if len(known) == 1:
            return f"on {known[0].isoformat()}"
        return f"on every day from {known[0].isoformat()} to {known[-1].isoformat()}"

    def options(self, chosen: str) -> list[tuple[str, str]]:
        """``(label, code)`` of each offered currency, and ``chosen`` marked when it has no rate."""
        found = [(currency, currency) for currency in self.offered]
        if chosen not in self.offered:
            found.append((f"{chosen} (no rate)", chosen))
        return found

    def read(self, chosen: str) -> str:
        """``chosen`` if it has a rate on the days, else `ValueError` saying so."""
        if chosen not in self.offered:
            raise ValueError(
                f"currency: no exchange rate for {chosen} {self.when()} (the ECB's, or your rates file's): "
                "choose another"
            )
        return chosen


def set_options(dropdown: Any, options: list[tuple[str, str]]) -> None:
    """New ``options`` for ``dropdown``, keeping its value (which is among them). New options select the
    first for a moment: call it where the dashboard's model does not listen (`Model.quietly`)."""
    value = dropdown.value
    if [tuple(option) for option in dropdown.options] != options:
        dropdown.options = options
        dropdown.value = value


def name_classes(owner: Any, *names: str) -> None:
    """Give each control of ``owner`` named in ``names`` the CSS class ``lm-<name>`` (``as_of``: ``lm-as-of``),
    by which the page's style, the tests and the browser check find it."""
    for name in names:
        getattr(owner, name).add_class(f"lm-{name.replace('_', '-')}")


def controls_row(*children: Any) -> Any:
    """Controls side by side that wrap onto the next line in a narrow column."""
    return widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))


def date_picker(value: dt.date | None, description: str) -> Any:
    return widgets.DatePicker(value=value, description=description, style=WIDE)


def as_date(value: dt.date | str | None) -> dt.date | None:
    """A date given in code: a `datetime.date` or ``YYYY-MM-DD``."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"as_of: {value!r} is not a date (YYYY-MM-DD)") from None
