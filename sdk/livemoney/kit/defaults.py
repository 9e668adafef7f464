"""What most platforms answer alike, each said once: likes earn nothing, no source gives the fee on a
sale, a donation feature the plugin has no rule for, and a valuation made unknown by a missing rate.

Each takes the platform's key and the wording that is the platform's own (its display name, what likes do
there), so that every plugin gives the same answer in its own words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from livemoney.core.models import Context, Donation, Event, Like, LikeOutcome, Sale, Source, Valuation
from livemoney.core.money import Money
from livemoney.core.valuation import unknown_valuation, valuation
from livemoney.errors import FxError


def likes_earn_nothing(platform: str, like: Like, context: Context, note: str, source: Source | None) -> LikeOutcome:
    """Likes that earn the creator nothing: ``note`` says what they do on the platform, ``source`` says so."""
    return LikeOutcome(platform=platform, likes=like.count, net=Money.zero(context.currency), note=note, source=source)


def sale_fee_unknown(platform: str, name: str, sale: Sale, context: Context) -> Valuation:
    """A sale whose fee no source gives: unknown, with the reason (``name``: the platform's display name)."""
    reason = f"no source gives {name}'s fee on a product sold during a live stream"
    return unknown_valuation(platform=platform, kind="sale", event=sale, context=context, reason=reason)


def feature_unknown(platform: str, name: str, donation: Donation, context: Context, known: Iterable[str]) -> Valuation:
    """A donation through a feature the plugin has no sourced rule for: unknown, naming the ``known`` ones."""
    reason = (
        f"{name} has no donation feature {donation.feature!r} with a sourced rule (known: {', '.join(known)})"
    )
    return unknown_valuation(platform=platform, kind="donation", event=donation, context=context, reason=reason)


def valued_or_unknown(*, platform: str, kind: str, event: Event, context: Context, **parts: Any) -> Valuation:
    """`valuation` of the event from ``parts`` (gross, shares, net ...); a currency with no rate on the
    event's date makes it unknown, with the reason, instead of failing (the event is then counted, not
    rejected)."""
    try:
        return valuation(platform=platform, kind=kind, event=event, context=context, **parts)
    except FxError as error:
        return unknown_valuation(platform=platform, kind=kind, event=event, context=context, reason=str(error))
