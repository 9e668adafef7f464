"""The same viewer spend on every platform and feature: what the creator keeps, and who takes the rest.

    import livemoney as lm
    print(lm.compare(100, currency="USD").render("markdown"))

Each platform plugin lists its ways to pay (`livemoney_donation_features`); each feature is valued as
if a viewer spent ``spend`` on it, through `livemoney_value_event`, so wrapper plugins (an agency's
commission, a withholding tax) apply as they do to a real log. One more row a platform shows what
1,000 likes earn. A row whose plugin failed (or that no plugin values) is unknown, with the reason
naming the plugin; the failure is recorded in ``pm.faults`` and the other rows are unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from livemoney.core.fx import RateTable
from livemoney.core.models import Context, Donation, DonationFeature, Event, Gift, Like, Platform, Valuation
from livemoney.core.money import Money, exact_text, plain, to_decimal
from livemoney.core.tables import markdown_table, text_table
from livemoney.core.untrusted import shown_answer
from livemoney.core.valuation import unknown_valuation
from livemoney.engine import api
from livemoney.errors import PluginError
from livemoney.pluginsys.hookspecs import CHANNELS, PURCHASE_CHANNEL
from livemoney.pluginsys.manager import HOST_NAME, PluginManager, default_manager

MAX_SPEND = Decimal(10) ** 12
"""The largest spend compared: far above any viewer's, and well inside exact decimal arithmetic."""
LIKES = 1000
FORMATS = ("table", "markdown", "json")


@attrs.frozen(slots=True)
class Row:
    """One way to pay on one platform, and its valuation (``feature`` is ``"likes"`` for the likes row)."""

    platform: Platform
    feature: str
    feature_name: str
    availability: str
    valuation: Valuation


def kept_percent(valuation: Valuation) -> str:
    """What the creator keeps, as a percentage of gross ('' when unknown or nothing was paid)."""
    if valuation.unknown or not valuation.gross.amount:
        return ""
    percent = (valuation.net.amount * 100 / valuation.gross.amount).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
    return f"{percent}%"


@attrs.frozen(slots=True)
class Comparison:
    """What the creator keeps of ``spend`` on each platform and feature; ``render`` as table, markdown, json."""

    spend: Money
    as_of: dt.date | None
    channel: str | None
    rows: tuple[Row, ...]

    def _cells(self, row: Row) -> list[str]:
        valuation = row.valuation.shown()
        if valuation.unknown:
            return [
                row.platform.name,
                row.feature_name,
                row.availability,
                self.viewer_pays(row),  # what is unknown is where it goes, not what the viewer pays
                "unknown",
                "unknown",
                "",
                f"unknown: {valuation.reason}",
            ]
        shares = "; ".join(f"{share.party} {plain(share.amount)}" for share in valuation.shares)
        return [
            row.platform.name,
            row.feature_name,
            row.availability,
            plain(valuation.gross),
            shares or "-",
            plain(valuation.net),
            kept_percent(row.valuation),
            "",
        ]

    def viewer_pays(self, row: Row) -> str:
        """What the viewer pays on ``row``, shown: the spend, or nothing for the likes row (a like is free); the
        same whether the row's valuation is known or not."""
        if row.feature == "likes":
            return plain(Money.zero(self.spend.currency).rounded())
        return plain(self.spend.rounded())

    def headers(self) -> list[str]:
        """The column names of the rendered table (the last, ``Note``, holds a reason where unknown)."""
        currency = self.spend.currency
        return [
            "Platform",
            "Feature",
            "Availability",
            f"Viewer pays ({currency})",
            f"Shares ({currency})",
            f"Creator keeps ({currency})",
            "Keeps",
            "Note",
        ]

    def title(self) -> str:
        """The sentence that heads the comparison: the spend, the rules' date, the channel."""
        rules = f"rules as of {self.as_of.isoformat()}" if self.as_of else "the default rules: no date given"
        channel = f", bought on the {self.channel}" if self.channel else ""
        return f"What the creator keeps of {self.spend} spent by a viewer ({rules}{channel})"

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain data: amounts are decimal strings (as shown, and ``exact``), every share named."""

        def row_dict(row: Row) -> dict[str, Any]:
            shown = row.valuation.shown()
            return {
                "platform": row.platform.key,
                "platform_name": row.platform.name,
                "feature": row.feature,
                "feature_name": row.feature_name,
                "availability": row.availability,
                "kind": shown.kind,
                "unknown": shown.unknown,
                "reason": shown.reason,
                "viewer_pays": self.viewer_pays(row),
                "gross": plain(shown.gross),
                "shares": [
                    {
                        "party": share.party,
                        "amount": plain(share.amount),
                        "exact": exact_text(exact.amount),
                        "source": share.source.cite() if share.source else None,
                    }
                    for share, exact in zip(shown.shares, row.valuation.shares)
                ],
                "net": plain(shown.net),
                "exact": {"gross": exact_text(row.valuation.gross), "net": exact_text(row.valuation.net)},
                "explain": list(shown.explain),
            }

        return {
            "spend": plain(self.spend),
            "currency": self.spend.currency,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "channel": self.channel,
            "rows": [row_dict(row) for row in self.rows],
        }

    def render(self, format: str = "table") -> str:
        """The comparison as ``table`` (plain text), ``markdown`` or ``json``."""
        if format == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        rows = [self._cells(row) for row in self.rows]
        if format == "markdown":
            return f"{self.title()}\n\n{markdown_table(self.headers(), rows)}"
        if format == "table":
            return f"{self.title()}\n\n{text_table(self.headers(), rows, right=(3, 5, 6))}"
        raise ValueError(f"format: {format!r} is not one of {', '.join(FORMATS)}")

    def __repr__(self) -> str:
        kept = ", ".join(
            f"{row.platform.key}/{row.feature}="
            + ("unknown" if row.valuation.unknown else plain(row.valuation.shown().net))
            for row in self.rows
        )
        return f"<Comparison of {self.spend}, creator keeps: {kept}>"


def _event(platform: str, feature: DonationFeature, amount: Money) -> Event:
    if feature.kind == "gift":
        return Gift(platform=platform, gift=feature.key, amount=amount)
    return Donation(platform=platform, feature=feature.key, amount=amount)


def compare(
    spend: Decimal | int | str,
    currency: str = "USD",
    as_of: dt.date | str | None = None,
    settings: Mapping[str, Any] | None = None,
    channel: str | None = None,
    pm: PluginManager | None = None,
    rates: str | os.PathLike | RateTable | None = None,
    rate_fallback: str | None = None,
) -> Comparison:
    """Value ``spend`` (in ``currency``, any ISO-4217 code; ``"usd"`` is ``USD``) on every feature of
    every installed platform.

    :param as_of: the date whose rules apply (``None``: today's, UTC, with the latest exchange rates where
        today's are not published yet unless ``rate_fallback`` says otherwise; see `compare_day`).
    :param settings: setting overrides, as for `livemoney.context`.
    :param channel: ``"app"`` or ``"web"``: sets every ``*.purchase_channel`` setting (an explicit
        override in ``settings`` still wins).
    :param rates, rate_fallback: your own exchange rates and the fallback for old ones, as for
        `livemoney.context`.
    """
    pm = pm or default_manager()
    as_of, rate_fallback = compare_day(as_of, rate_fallback)
    currency = currency.strip().upper() if isinstance(currency, str) else currency
    amount = Money(to_decimal(spend, "spend"), currency)
    if not 0 <= amount.amount <= MAX_SPEND:
        raise ValueError(f"spend: {amount} must be between 0 and {MAX_SPEND:,}")
    overrides: dict[str, Any] = {}
    if channel is not None:
        if channel not in CHANNELS:
            raise ValueError(f"channel: {channel!r} is not one of {', '.join(CHANNELS)}")
        overrides = {s.key: channel for s in api.declared_settings(pm) if s.key.endswith(f".{PURCHASE_CHANNEL}")}
    context = api.context(
        currency=currency,
        as_of=as_of,
        settings={**overrides, **(settings or {})},
        pm=pm,
        rates=rates,
        rate_fallback=rate_fallback,
    )
    rows = []
    for platform in api.platforms(pm):
        for feature in _features(pm, platform.key, context):
            event = _event(platform.key, feature, amount)
            rows.append(Row(platform, feature.key, feature.name, feature.availability, _valued(pm, event, context)))
        likes = Like(platform=platform.key, count=LIKES)
        rows.append(Row(platform, "likes", f"{LIKES:,} likes", "yes", _valued(pm, likes, context)))
    return Comparison(spend=amount, as_of=context.as_of, channel=channel, rows=tuple(rows))


def compare_day(as_of: dt.date | str | None, rate_fallback: str | None) -> tuple[dt.date | str, str | None]:
    """The day whose rules a comparison applies: ``as_of``, else today (UTC). On today's, a rate older than
    7 days is used (``"latest"``, and explain says so) unless a fallback was chosen: the ECB publishes a day's
    rates that evening, and a comparison is a what-if, not a valuation of a day's events."""
    if as_of is not None:
        return as_of, rate_fallback
    return dt.datetime.now(dt.UTC).date(), rate_fallback or "latest"


def _features(pm: PluginManager, platform: str, context: Context) -> list[DonationFeature]:
    """The donation features of ``platform``; a plugin that raises or answers no list of `DonationFeature`
    is a fault (in ``pm.faults``) and its wrong answers are left out."""
    hook = "livemoney_donation_features"
    called = pm.call(hook, platform=platform, context=context)
    found = called.result
    if found is None:
        return []
    if not isinstance(found, (list, tuple)):
        pm.fault(called.answerer(hook, found) or HOST_NAME, hook, f"{hook} answered {shown_answer(found)}, not a list")
        return []
    features = [feature for feature in found if isinstance(feature, DonationFeature)]
    for wrong in (feature for feature in found if not isinstance(feature, DonationFeature)):
        pm.fault(called.answerer(hook, found) or HOST_NAME, hook, f"{hook} answered {shown_answer(wrong)}, not a DonationFeature")
    return features


def _valued(pm: PluginManager, event: Event, context: Context) -> Valuation:
    """The valuation of ``event`` (see `api.valued`); where a plugin failed (its fault recorded) or none
    values it, an unknown valuation that says why: the other rows go on."""
    try:
        found = api.valued(pm, event, context)
    except PluginError as error:
        reason = str(error)
    else:
        if found is not None:
            return found
        reason = f"no plugin values {event.kind} events on {event.platform!r}"
    return unknown_valuation(platform=event.platform, kind=event.kind, event=event, context=context, reason=reason)
