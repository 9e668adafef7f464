"""livemoney plugin for My Platform: viewers buy tokens and send them; the creator earns per token.

Made from livemoney's plugin template. Every figure is a `Setting` with its `Source`; until a source
gives a figure it is ``UNKNOWN``, and every valuation that needs it says unknown, with the reason,
instead of inventing one. To make the platform real: cite the sources, set the defaults, the wording
of `livemoney_platform` and the features, and read the platform's real capture format in `readers`
(livemoney's docs/tutorial.md does it for Twitch).

Amounts are exact: hand `valuation` what the rules say, unrounded (500 tokens × 0.01 USD; 100 USD /
0.014 USD a token), and it keeps them to 10 decimal places with ``gross == sum(shares) + net``. Never
round to the cent here: a receipt (``valuation.shown()``) and a report round each figure once, where
it is shown, so that a thousand tokens worth 0.014 each add up to 14.00 and not 10.00.

Sponsorships keep the host's default (all to the creator): implement ``livemoney_value_sponsorship``
only if the platform takes a share of them.
"""

from __future__ import annotations

from decimal import Decimal

from livemoney import (
    UNKNOWN,
    Context,
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Money,
    Platform,
    Reader,
    Sale,
    Setting,
    Source,
    Valuation,
    hookimpl,
    unknown_valuation,
    valuation,
)
from livemoney.kit import SettingError, SettingTable, event_date, rate_date

from livemoney_myplatform.readers import READERS

KEY = "myplatform"
NAME = "My Platform"
UNIT = "tokens"
NO_SOURCE = Source("no source found yet for My Platform: replace with the page that gives the figure", as_of="n.d.")

SETTINGS = SettingTable(
    Setting(f"{KEY}.token_usd", UNKNOWN, "USD/token", "what the creator earns per token received", NO_SOURCE),
    Setting(f"{KEY}.token_price_usd", UNKNOWN, "USD/token", "what a viewer pays for one token", NO_SOURCE),
)


@hookimpl
def livemoney_platform() -> Platform:
    return Platform(
        key=KEY,
        name=NAME,
        units=(UNIT,),
        likes_pay=False,
        gifts_donations="Unknown",
        sources=(NO_SOURCE,),
    )


@hookimpl
def livemoney_settings() -> list[Setting]:
    return SETTINGS.declared()


@hookimpl
def livemoney_donation_features(platform: str, context: Context) -> list[DonationFeature] | None:
    if platform != KEY:
        return None
    earns = SETTINGS(f"{KEY}.token_usd", context, context.as_of)
    price = SETTINGS(f"{KEY}.token_price_usd", context, context.as_of)
    known = not earns.unknown and not price.unknown and price.value > 0
    return [
        DonationFeature(
            key=UNIT,
            name="Tokens",
            kind="virtual currency",
            availability="yes",
            creator_share=earns.value / price.value if known else None,
            unit=UNIT,
            source=NO_SOURCE,
        )
    ]


def _value_tokens(event: Donation | Gift, amount: Money, context: Context) -> Valuation:
    """Tokens sent: the viewer paid the token price; the creator earns a fixed amount per token; the
    platform keeps the rest. Exact amounts, in whatever currency the rule speaks (USD here)."""
    on = event_date(event, context.as_of)
    earns = SETTINGS(f"{KEY}.token_usd", context, on)
    price = SETTINGS(f"{KEY}.token_price_usd", context, on)
    missing = [figure for figure in (earns, price) if figure.unknown]
    if missing:
        reason = "; ".join(f"{figure.key} is unknown ({figure.source.title})" for figure in missing)
        return unknown_valuation(platform=KEY, kind=event.kind, event=event, context=context, reason=reason)
    if price.value <= 0:
        raise SettingError(f"{price.key}: {price.value} must be more than 0")
    if amount.currency == UNIT:
        tokens = amount.amount * event.count
        paid = Money(tokens * price.value, "USD")
    else:
        paid = amount * event.count
        tokens = context.rates().convert(paid, "USD", rate_date(event, context))[0].amount / price.value
    return valuation(
        platform=KEY,
        kind=event.kind,
        event=event,
        context=context,
        gross=paid,
        net=Money(tokens * earns.value, "USD"),
        residual=NAME,
        units={UNIT: tokens},
        explain=[
            f"{tokens.normalize():f} tokens; the viewer paid {paid.amount:f} {paid.currency}: {price.cite()}",
            f"the creator earns {earns.cite()}",
            f"{NAME} keeps the rest",
        ],
    )


@hookimpl
def livemoney_value_donation(platform: str, donation: Donation, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    if donation.feature != UNIT or donation.amount is None:
        what = f"{donation.feature!r} with no amount" if donation.amount is None else repr(donation.feature)
        return unknown_valuation(
            platform=KEY,
            kind="donation",
            event=donation,
            context=context,
            reason=f"{NAME} has no donation feature {what} with a sourced rule (known: {UNIT}, with an amount)",
        )
    return _value_tokens(donation, donation.amount, context)


@hookimpl
def livemoney_value_gift(platform: str, gift: Gift, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    if gift.amount is None:
        return unknown_valuation(
            platform=KEY,
            kind="gift",
            event=gift,
            context=context,
            reason=f"{NAME} gift {gift.gift!r} carries no amount and no source gives a gift catalogue",
        )
    return _value_tokens(gift, gift.amount, context)


@hookimpl
def livemoney_value_sale(platform: str, sale: Sale, context: Context) -> Valuation | None:
    if platform != KEY:
        return None
    return unknown_valuation(
        platform=KEY,
        kind="sale",
        event=sale,
        context=context,
        reason=f"no source gives {NAME}'s fee on a product sold during a live stream",
    )


@hookimpl
def livemoney_handle_like(platform: str, like: Like, context: Context) -> LikeOutcome | None:
    if platform != KEY:
        return None
    return LikeOutcome(
        platform=KEY,
        likes=like.count,
        net=Money(Decimal(0), context.currency),
        note=f"no source says likes earn money on {NAME}: counted as earning nothing",
        source=NO_SOURCE,
    )


@hookimpl
def livemoney_readers() -> list[Reader]:
    return list(READERS)
