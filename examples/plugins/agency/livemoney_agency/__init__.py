"""livemoney example plugin: an agency takes a commission of what the creator earns.

It wraps `livemoney_value_event`, so it applies to every platform and kind without a line of the host
or of a platform plugin changing. It is the innermost wrapper (``trylast``): its commission comes off
the platform's net first, and an outer wrapper (the withholding tax of ``livemoney-tax``) sees what is
left. The commission is exact, like every amount of a valuation (0.20 × 0.07 USD is 0.014 USD); a
receipt or a report rounds each figure once, where it is shown.
"""

from __future__ import annotations

from collections.abc import Generator
from decimal import Decimal

from livemoney.kit import Context, Event, Setting, SettingTable, Source, Valuation, commission, event_date, hookimpl

PARTY = "Agency"
CONTRACT = Source(
    "livemoney example: an agency's contract rate, not a market figure (set your contract's)", as_of="example"
)

SETTINGS = SettingTable(
    Setting(
        "agency.commission_rate",
        Decimal("0.20"),
        "fraction",
        "what the agency takes of what the creator earns on each event (0 to 1)",
        CONTRACT,
    ),
)


@hookimpl
def livemoney_settings() -> list[Setting]:
    return SETTINGS.declared()


@hookimpl(wrapper=True, trylast=True)
def livemoney_value_event(event: Event, context: Context) -> Generator[None, Valuation | None, Valuation | None]:
    valuation = yield
    rate = SETTINGS("agency.commission_rate", context, event_date(event, context.as_of))
    return commission(valuation, PARTY, rate.value, rate_name=rate.key, said=rate.cite())
