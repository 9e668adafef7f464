"""The comparison dashboard: one viewer spend on every platform and feature, and a stream estimate.

    from livemoney.widgets import CompareDashboard
    dash = CompareDashboard()
    dash                                  # in a notebook: the controls, a chart, the tables
    dash.spend.value = "250"              # from code, as a person would type it
    dash.comparison.rows[0].valuation.net

The model (``comparison``, ``estimates``) is recomputed whenever a control changes, without a front
end; the widgets only show it. An agency commission is applied here by the rule the example plugin
``livemoney-agency`` uses (`livemoney.kit.commission`): an exact share of the creator's net on every known
valuation, so it works without that plugin installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import ipywidgets as widgets

from livemoney.core.fx import offered_currencies
from livemoney.core.models import Platform, Source
from livemoney.core.money import Money, to_decimal
from livemoney.engine import api
from livemoney.engine.comparison import Comparison, compare
from livemoney.html import box, comparison_rows_html, esc, platforms_html, table, td, tr
from livemoney.kit.commission import commission
from livemoney.pluginsys.manager import PluginManager, default_manager
from livemoney.widgets import charts

AGENCY = "Agency"
NAME = "agency commission"
AGENCY_SOURCE = Source("the agency commission set in the dashboard (your contract's rate, not a market figure)")
CHANNELS = (("plugin defaults", "default"), ("in the app", "app"), ("on the web", "web"))
"""Where the viewer buys; ``default`` leaves each plugin's ``purchase_channel`` setting as it is."""
WIDE = {"description_width": "initial"}
LIKES = "likes"


def with_agency(comparison: Comparison, rate: Decimal) -> Comparison:
    """``comparison`` with an agency taking ``rate`` (0 to 1) of the creator's net on each known row.

    The rule is the example plugin's, `livemoney.kit.commission`: rows whose valuation is unknown or whose
    net is not positive are left as they are; a rate of 0 adds no share at all.
    """
    if not rate:
        return comparison
    said = f"{rate * 100:f}%"
    rows = tuple(
        attrs.evolve(
            row, valuation=commission(row.valuation, AGENCY, rate, rate_name=NAME, said=said, source=AGENCY_SOURCE)
        )
        for row in comparison.rows
    )
    return attrs.evolve(comparison, rows=rows)


@attrs.frozen(slots=True)
class Audience:
    """A stream to estimate: average viewers, minutes live, payments per viewer per hour, the feature mix.

    ``mix`` weighs the ways to pay: ``{"super_chat": 2, "facebook.stars": 1}`` (a bare feature key
    applies on every platform, ``platform.feature`` on one); a feature not named weighs 1, so the
    default is an even mix. Each payment is the dashboard's spend. The defaults are an example stream,
    not a market figure.
    """

    viewers: int = 100
    minutes: int = 60
    per_viewer_hour: Decimal = Decimal("0.1")
    mix: Mapping[str, Decimal] = attrs.field(factory=dict)

    @property
    def payments(self) -> Decimal:
        """How many payments the stream brings: viewers × hours × payments per viewer per hour."""
        return Decimal(self.viewers) * Decimal(self.minutes) / 60 * self.per_viewer_hour

    def weight(self, platform: str, feature: str) -> Decimal:
        return Decimal(self.mix.get(f"{platform}.{feature}", self.mix.get(feature, 1)))


def parse_mix(text: str) -> dict[str, Decimal]:
    """``"super_chat=2, facebook.stars=1"`` → weights; each must be a number of at least 0."""
    mix: dict[str, Decimal] = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        key, sep, weight = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"mix: {part.strip()!r} is not FEATURE=WEIGHT (e.g. super_chat=2)")
        number = to_decimal(weight, f"mix weight of {key.strip()}")
        if number < 0:
            raise ValueError(f"mix: the weight of {key.strip()} must not be negative")
        mix[key.strip()] = number
    return mix


@attrs.frozen(slots=True)
class Estimate:
    """What a stream of ``payments`` earns on one platform, the payments spread by the mix.

    ``gross`` and ``net`` are ``None`` when none of the platform's weighed features has a known
    valuation; ``left_out`` names the features whose valuation is unknown.
    """

    platform: Platform
    payments: Decimal
    gross: Money | None
    net: Money | None
    features: tuple[str, ...]
    left_out: tuple[str, ...]


def estimate(comparison: Comparison, audience: Audience) -> list[Estimate]:
    """Per platform: payments × the mix-weighted gross and net of one payment, each rounded once."""
    grouped: dict[str, list[Any]] = {}
    platforms: dict[str, Platform] = {}
    for row in comparison.rows:
        platforms[row.platform.key] = row.platform
        if row.feature != LIKES:
            grouped.setdefault(row.platform.key, []).append(row)
    payments = audience.payments
    estimates = []
    for key, platform in platforms.items():
        rows = grouped.get(key, [])
        weighed = [(row, audience.weight(key, row.feature)) for row in rows]
        known = [(row, weight) for row, weight in weighed if weight > 0 and not row.valuation.unknown]
        left_out = tuple(row.feature_name for row, weight in weighed if weight > 0 and row.valuation.unknown)
        total = sum((weight for _, weight in known), Decimal(0))
        if not total:
            estimates.append(Estimate(platform, payments, None, None, (), left_out))
            continue
        gross = sum((row.valuation.gross.amount * weight for row, weight in known), Decimal(0)) / total
        net = sum((row.valuation.net.amount * weight for row, weight in known), Decimal(0)) / total
        currency = comparison.spend.currency
        estimates.append(
            Estimate(
                platform,
                payments,
                Money(gross * payments, currency).rounded(),
                Money(net * payments, currency).rounded(),
                tuple(row.feature_name for row, _ in known),
                left_out,
            )
        )
    return estimates


def _number(value: Decimal) -> str:
    """``15`` for 15.0, ``7.5`` for 7.50: a count of payments as a person writes it."""
    return f"{value.quantize(Decimal(1)):f}" if value == value.to_integral_value() else f"{value.normalize():f}"


def estimates_html(estimates: list[Estimate], audience: Audience) -> str:
    """The estimate table: per platform, payments, gross, net, and what the mix weighed."""
    currency = ""
    rows = []
    for found in estimates:
        if found.gross is not None:
            currency = found.gross.currency
        if found.gross is not None and found.net is not None:
            gross, net = esc(f"{found.gross.amount:f}"), esc(f"{found.net.amount:f}")
        else:
            gross = net = "unknown"
        rows.append(
            tr(
                [
                    td(esc(found.platform.name)),
                    td(esc(_number(found.payments)), numeric=True),
                    td(gross, "lm-gross", numeric=True),
                    td(net, "lm-net", numeric=True),
                    td(esc(", ".join(found.features)) or "none known"),
                    td(esc(", ".join(found.left_out)), "lm-unknown"),
                ],
                data_platform=found.platform.key,
            )
        )
    hours = Decimal(audience.minutes) / 60
    title = (
        f"A stream of {audience.viewers} average viewers for {audience.minutes} minutes, "
        f"{_number(audience.per_viewer_hour)} payments per viewer per hour ({_number(hours)} h)"
    )
    headers = [
        "Platform",
        "Payments",
        f"Viewers pay ({esc(currency)})",
        f"Creator keeps ({esc(currency)})",
        "Mix of",
        "Left out (unknown)",
    ]
    return f'<div class="lm-title">{esc(title)}</div>' + table(headers, rows, (1, 2, 3), cls="lm-estimates")


def comparison_chart(comparison: Comparison) -> str:
    """A stacked bar a way to pay (likes left out: they earn nothing): the creator's net, then each share."""
    rows = [row for row in comparison.rows if row.feature != LIKES]
    parties = list(dict.fromkeys(share.party for row in rows for share in row.valuation.shares))
    stacks: dict[str, list[Decimal]] = {"Creator": [], **{party: [] for party in parties}}
    totals = []
    for row in rows:
        valuation = row.valuation.shown()
        known = not valuation.unknown
        stacks["Creator"].append(valuation.net.amount if known else Decimal(0))
        for party in parties:
            stacks[party].append(valuation.share(party).amount if known else Decimal(0))
        totals.append(f"{valuation.net.amount:f}" if known else "unknown")
    labels = [f"{row.platform.name} · {row.feature_name}" for row in rows]
    title = f"Creator keeps of {comparison.spend.amount:f} {comparison.spend.currency}"
    return charts.stacked_bars(labels, stacks, totals, title, comparison.spend.currency)


class CompareDashboard:
    """Controls for spend, currency, channel, agency commission and an audience; the comparison they give.

    :param pm: the plugin manager (default: every installed plugin).
    :param as_of: the date whose rules apply (default: each setting's default, the latest rates).
    :param settings: setting overrides, as for `livemoney.compare`.
    """

    def __init__(
        self,
        spend: Decimal | int | str = 100,
        currency: str = "USD",
        pm: PluginManager | None = None,
        as_of: dt.date | str | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.pm = pm or default_manager()
        self.as_of = as_of
        self.settings = dict(settings or {})
        self.spend = widgets.Text(value=str(spend), description="Viewer spends", continuous_update=False, style=WIDE)
        # The currencies with a rate on the rules' date (none given: the latest rates), and the one asked for.
        currency = currency.strip().upper()
        currencies = sorted({*offered_currencies([self.as_of]), currency})
        self.currency = widgets.Dropdown(options=currencies, value=currency, description="Currency", style=WIDE)
        self.channel = widgets.Dropdown(options=CHANNELS, value="default", description="Bought", style=WIDE)
        self.agency = widgets.Text(value="0", description="Agency commission %", continuous_update=False, style=WIDE)
        self.viewers = widgets.BoundedIntText(value=100, min=0, max=10**9, description="Average viewers", style=WIDE)
        self.minutes = widgets.BoundedIntText(value=60, min=0, max=10**6, description="Minutes", style=WIDE)
        self.rate = widgets.Text(
            value="0.1", description="Payments per viewer per hour", continuous_update=False, style=WIDE
        )
        self.mix = widgets.Text(
            value="", placeholder="super_chat=2, stars=1", description="Mix", continuous_update=False, style=WIDE
        )
        self.message = widgets.HTML()
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.estimate_table = widgets.HTML()
        self.seeds = widgets.HTML()
        self.output = widgets.Output()
        for name in (
            "spend",
            "currency",
            "channel",
            "agency",
            "viewers",
            "minutes",
            "rate",
            "mix",
            "message",
            "chart",
            "table",
            "estimate_table",
            "seeds",
        ):
            getattr(self, name).add_class(f"lm-{name.replace('_', '-')}")
        self.comparison: Comparison | None = None
        self.estimates: list[Estimate] = []
        self.audience = Audience()
        self.error: str | None = None
        self.seeds.value = box(
            '<div class="lm-title">The platforms (seed table) and the sources of their figures</div>',
            platforms_html(api.platforms(self.pm)),
        )
        for control in (self.spend, self.currency, self.channel, self.agency):
            control.observe(self._changed, names="value")
        for control in (self.viewers, self.minutes, self.rate, self.mix):
            control.observe(self._audience_changed, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.spend, self.currency, self.channel, self.agency]),
                widgets.HBox([self.viewers, self.minutes, self.rate, self.mix]),
                self.message,
                self.chart,
                self.table,
                self.estimate_table,
                self.seeds,
                self.output,
            ]
        )
        self.widget.add_class("lm-compare-dashboard")
        self.update()

    # --- the model ------------------------------------------------------------------------

    def _inputs(self) -> tuple[Decimal, Decimal]:
        spend = to_decimal(self.spend.value, "spend")
        if spend < 0:
            raise ValueError(f"spend: {self.spend.value} must not be negative")
        percent = to_decimal(self.agency.value or "0", "agency commission")
        if not 0 <= percent <= 100:
            raise ValueError(f"agency commission: {self.agency.value}% must be between 0 and 100")
        return spend, percent / 100

    def _audience(self) -> Audience:
        rate = to_decimal(self.rate.value or "0", "payments per viewer per hour")
        if rate < 0:
            raise ValueError(f"payments per viewer per hour: {self.rate.value} must not be negative")
        return Audience(self.viewers.value, self.minutes.value, rate, parse_mix(self.mix.value))

    def update(self) -> None:
        """Recompute the comparison and the estimate from the controls, then show them."""
        try:
            spend, rate = self._inputs()
            audience = self._audience()
            plain = compare(
                spend,
                currency=self.currency.value,
                as_of=self.as_of,
                settings=self.settings,
                channel=None if self.channel.value == "default" else self.channel.value,
                pm=self.pm,
            )
            comparison = with_agency(plain, rate)
        except ValueError as error:
            self._fail(str(error))
            return
        self.error = None
        self.message.value = ""
        self.comparison = comparison
        self.audience = audience
        self.estimates = estimate(comparison, audience)
        self.chart.value = comparison_chart(comparison)
        self.table.value = box(
            f'<div class="lm-title">{esc(comparison.title())}</div>', comparison_rows_html(comparison)
        )
        self.estimate_table.value = box(estimates_html(self.estimates, audience))

    def update_estimate(self) -> None:
        """Recompute only the estimate (the comparison does not depend on the audience)."""
        try:
            audience = self._audience()
        except ValueError as error:
            self._fail(str(error))
            return
        self.error = None
        self.message.value = ""
        self.audience = audience
        if self.comparison is not None:
            self.estimates = estimate(self.comparison, audience)
            self.estimate_table.value = box(estimates_html(self.estimates, audience))

    def _fail(self, problem: str) -> None:
        """Keep the last good result on screen and say what is wrong with the input."""
        self.error = problem
        self.message.value = box(f'<div class="lm-unknown lm-error">{esc(problem)}</div>')

    def _changed(self, change: dict[str, Any]) -> None:
        with self.output:
            self.update()

    def _audience_changed(self, change: dict[str, Any]) -> None:
        with self.output:
            self.update_estimate()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
