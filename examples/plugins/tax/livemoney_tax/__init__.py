"""livemoney example plugin: a withholding tax on what the creator keeps.

It wraps `livemoney_value_event` as the outermost wrapper (``tryfirst``), so it runs last: it taxes
what is left after the platforms and after any inner wrapper (the commission of ``livemoney-agency``).
The tax is exact, like every amount of a valuation (0.24 × 0.056 USD is 0.01344 USD); a receipt or a
report rounds each figure once, where it is shown. The default rate is an example, not tax advice.
"""

from __future__ import annotations

from collections.abc import Generator
from decimal import Decimal

from livemoney.kit import Context, Event, Setting, SettingTable, Source, Valuation, commission, event_date, hookimpl

PARTY = "Withholding tax"
EXAMPLE_RATE = Source(
    "livemoney example: a withholding rate to show the plugin, not tax advice (set yours)", as_of="example"
)

SETTINGS = SettingTable(
    Setting(
        "tax.withholding_rate",
        Decimal("0.24"),
        "fraction",
        "what is withheld for tax of what the creator keeps on each event (0 to 1)",
        EXAMPLE_RATE,
    ),
)


@hookimpl
def livemoney_settings() -> list[Setting]:
    return SETTINGS.declared()


@hookimpl(wrapper=True, tryfirst=True)
def livemoney_value_event(event: Event, context: Context) -> Generator[None, Valuation | None, Valuation | None]:
    valuation = yield
    rate = SETTINGS("tax.withholding_rate", context, event_date(event, context.as_of))
    return commission(valuation, PARTY, rate.value, rate_name=rate.key, said=rate.cite())
