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

from livemoney import Context, Event, Setting, Source, Valuation, hookimpl
from livemoney.core.models import event_date
from livemoney.core.settings import SettingTable
from livemoney.errors import SettingError

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
    if valuation is None or valuation.unknown or valuation.net.amount <= 0:
        return valuation
    rate = SETTINGS("agency.commission_rate", context, event_date(event, context.as_of))
    if not Decimal(0) <= rate.value <= Decimal(1):
        raise SettingError(f"agency.commission_rate: {rate.value} must be between 0 and 1")
    note = f"{rate.cite()} of the creator's {valuation.net}"
    return valuation.with_share(PARTY, valuation.net.amount * rate.value, note=note)
