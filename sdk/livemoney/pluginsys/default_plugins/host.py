"""The host's own plugin: the event dispatcher and the defaults no platform needs to repeat (a
sponsorship goes to the creator; exchange rates are the ECB's; the canonical event log's reader).

It is registered like any other plugin (under the name ``livemoney``) and runs after the platform
plugins, so a platform's own answer always wins.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from livemoney.core.canonical import CANONICAL_READER
from livemoney.core.fx import FxRate, ecb_lookup
from livemoney.core.models import (
    Context,
    Donation,
    Event,
    Gift,
    Like,
    LikeOutcome,
    Reader,
    Sale,
    Sponsorship,
    Valuation,
)
from livemoney.core.money import Money
from livemoney.core.untrusted import shown_answer
from livemoney.core.valuation import valuation
from livemoney.pluginsys.hookspecs import hookimpl

DIRECT_TO_CREATOR = "the whole sponsorship goes to the creator (no platform takes a share of a direct brand deal)"


class HostPlugin:
    """Dispatches `livemoney_value_event` to the hook of the event's kind; sponsorships to the creator;
    the ECB reference rates."""

    def __init__(self, pm: Any) -> None:
        self._pm = pm
        self._hook = pm.hook

    @hookimpl(trylast=True)
    def livemoney_value_event(self, platform: str, event: Event, context: Context) -> Valuation | None:
        hook = self._hook
        if isinstance(event, Gift):
            return hook.livemoney_value_gift(platform=platform, gift=event, context=context)
        if isinstance(event, Donation):
            return hook.livemoney_value_donation(platform=platform, donation=event, context=context)
        if isinstance(event, Sponsorship):
            return hook.livemoney_value_sponsorship(platform=platform, sponsorship=event, context=context)
        if isinstance(event, Sale):
            return hook.livemoney_value_sale(platform=platform, sale=event, context=context)
        if isinstance(event, Like):
            outcome = hook.livemoney_handle_like(platform=platform, like=event, context=context)
            if outcome is None:
                return None
            if not isinstance(outcome, LikeOutcome):
                raise self._pm.wrong_answer(
                    "livemoney_handle_like", outcome, f"livemoney_handle_like answered {shown_answer(outcome)}, not a LikeOutcome"
                )
            return valuation(
                platform=platform,
                kind="like",
                event=event,
                context=context,
                gross=outcome.net if outcome.net.amount else Money.zero(context.currency),
                explain=[f"{event.count} likes: {outcome.note}"],
                units={"likes": Decimal(event.count)},
            )
        return None

    @hookimpl(trylast=True)
    def livemoney_value_sponsorship(self, platform: str, sponsorship: Sponsorship, context: Context) -> Valuation:
        return valuation(
            platform=platform,
            kind="sponsorship",
            event=sponsorship,
            context=context,
            gross=sponsorship.amount,
            explain=[
                f"sponsorship{' by ' + sponsorship.brand if sponsorship.brand else ''}: {sponsorship.amount}",
                DIRECT_TO_CREATOR,
            ],
        )

    @hookimpl(trylast=True)
    def livemoney_exchange_rate(self, base: str, quote: str, on: dt.date | None) -> FxRate | None:
        return ecb_lookup(base, quote, on)

    @hookimpl
    def livemoney_readers(self) -> list[Reader]:
        return [CANONICAL_READER]
