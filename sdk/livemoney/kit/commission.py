"""A share of what the creator keeps: an agency's commission, a manager's cut, a withholding tax.

    return commission(valuation, "Agency", rate.value, rate_name="agency.commission_rate", said=rate.cite())
"""

from __future__ import annotations

from decimal import Decimal
from typing import overload

from livemoney.core.models import Source, Valuation
from livemoney.core.money import plain
from livemoney.errors import SettingError


@overload
def commission(
    valuation: Valuation, party: str, rate: Decimal, *, rate_name: str, said: str | None = ..., source: Source | None = ...
) -> Valuation: ...


@overload
def commission(
    valuation: None, party: str, rate: Decimal, *, rate_name: str, said: str | None = ..., source: Source | None = ...
) -> None: ...


def commission(
    valuation: Valuation | None,
    party: str,
    rate: Decimal,
    *,
    rate_name: str,
    said: str | None = None,
    source: Source | None = None,
) -> Valuation | None:
    """``valuation`` with ``party`` taking ``rate`` (0 to 1) of what the creator keeps, exact.

    A valuation that is ``None`` (no plugin knows the event), unknown, or leaves the creator nothing is
    returned as it is. A rate outside 0 to 1 raises `livemoney.errors.SettingError` naming ``rate_name``.

    :param said: how explain states the rate (default: the number): ``Resolved.cite()`` gives its source.
    :param source: the source the new `Share` cites.
    """
    if not Decimal(0) <= rate <= Decimal(1):
        raise SettingError(f"{rate_name}: {plain(rate)} must be between 0 and 1")
    if valuation is None or valuation.unknown or valuation.net.amount <= 0:
        return valuation
    note = f"{said or plain(rate)} of the creator's {valuation.net}"
    return valuation.with_share(party, valuation.net.amount * rate, source, note)
