"""The comparison dashboard: one viewer spend on every platform and feature, and a stream estimate.

    from livemoney.widgets import CompareDashboard
    dash = CompareDashboard()
    dash                                  # in a notebook: the controls, a chart, the tables
    dash.spend.value = "250"              # from code, as a person would type it
    dash.comparison.rows[0].valuation.net

Under the widgets is a `livemoney.widgets.state.Model`: whenever a control changes, every control is read
again and the model (``comparison``, ``estimates``) recomputed from all of them, without a front end; the
widgets only show it. While a control is invalid (a spend of ``abc``, a Mix key no platform lists, a
setting the plugin refuses) its problem is shown beside it, ``dash.stale`` is true and the figures are
greyed, never left looking current.

The rules are those of one day, today unless ``as_of`` is given (the date picker changes it); the
currencies offered are those with a rate on that day (and those of ``rates``, your own rates file). The
settings panel lists what is unknown and lets you set the missing figures. An agency commission is
applied here by the rule the example plugin ``livemoney-agency`` uses (`livemoney.kit.commission`): an
exact share of the creator's net on every known valuation, so it works without that plugin installed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import ipywidgets as widgets

from livemoney.core.fx import RateTable
from livemoney.core.models import Platform, Source
from livemoney.core.money import Money, plain, to_decimal
from livemoney.engine import api
from livemoney.engine.comparison import Comparison, compare
from livemoney.html import box, comparison_rows_html, esc, platforms_html, table, td, tr
from livemoney.kit.commission import commission
from livemoney.pluginsys.hookspecs import PURCHASE_CHANNEL
from livemoney.pluginsys.manager import PluginManager, default_manager
from livemoney.widgets import charts
from livemoney.widgets.controls import (
    WIDE,
    Currencies,
    as_date,
    code,
    controls_row,
    date_picker,
    name_classes,
    rate_table,
    set_options,
    today,
)
from livemoney.widgets.settings import SettingsPanel
from livemoney.widgets.state import ControlError, Field, Model

AGENCY = "Agency"
NAME = "agency commission"
AGENCY_SOURCE = Source("the agency commission set in the dashboard (your contract's rate, not a market figure)")
CHANNELS = (("plugin defaults", "default"), ("in the app", "app"), ("on the web", "web"))
"""Where the viewer buys; ``default`` leaves each plugin's ``purchase_channel`` setting as it is."""
LIKES = "likes"
MIX_EXAMPLE = "gifts=3, subscription=0"
"""The Mix field's placeholder: it changes TikTok's estimate (gifts only, three times as often)."""


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


def mix_keys(comparison: Comparison) -> dict[str, list[str]]:
    """The feature keys the Mix may weigh: each bare key (``stars``) with the names it stands for, and
    each ``platform.key`` (``facebook.stars``)."""
    keys: dict[str, list[str]] = {}
    for row_ in comparison.rows:
        if row_.feature == LIKES:
            continue
        named = f"{row_.platform.name}: {row_.feature_name}"
        keys.setdefault(row_.feature, []).append(named)
        keys[f"{row_.platform.key}.{row_.feature}"] = [named]
    return keys


def check_mix(mix: Mapping[str, Decimal], comparison: Comparison) -> None:
    """Raise `ControlError` on the Mix for a key that names no feature of the comparison."""
    keys = mix_keys(comparison)
    unknown = [key for key in mix if key not in keys]
    if unknown:
        bare = ", ".join(key for key in keys if "." not in key)
        raise ControlError(
            "mix",
            f"mix: {', '.join(repr(key) for key in unknown)} is not a feature; the features are {bare} "
            "(or PLATFORM.FEATURE, such as facebook.stars)",
        )


def mix_legend_html(comparison: Comparison) -> str:
    """The Mix's legend: every bare feature key and what it stands for."""
    keys = mix_keys(comparison)
    items = "; ".join(
        f"<code>{esc(key)}</code> ({esc(', '.join(names))})" for key, names in keys.items() if "." not in key
    )
    return box(
        f'<div class="lm-muted lm-mix-legend">Mix keys: {items}. A key weighs that feature on every platform, '
        "<code>platform.key</code> on one (<code>facebook.stars</code>); a feature not named weighs 1.</div>"
    )


def channel_platforms(pm: PluginManager) -> list[str]:
    """The names of the platforms whose rules depend on where the viewer buys (a declared
    ``<platform>.purchase_channel`` setting, `livemoney.pluginsys.hookspecs.PURCHASE_CHANNEL`)."""
    names = {platform.key: platform.name for platform in api.platforms(pm)}
    keys = [s.key.split(".", 1)[0] for s in api.declared_settings(pm) if s.key.endswith(f".{PURCHASE_CHANNEL}")]
    return [names.get(key, key) for key in keys]


def compare_title(comparison: Comparison, channel_names: list[str]) -> str:
    """What the comparison shows, truly: the spend, the rules' date, and to which platforms the channel applies."""
    rules = f"rules as of {comparison.as_of.isoformat()}" if comparison.as_of else "each setting's default rules"
    title = (
        f"What the creator keeps of {plain(comparison.spend)} {comparison.spend.currency} spent by a viewer ({rules})"
    )
    if comparison.channel is None:
        return title
    where = "in the app" if comparison.channel == "app" else "on the web"
    if not channel_names:
        return f"{title}; bought {where}: no installed platform's rules depend on where viewers buy"
    return (
        f"{title}; bought {where} on {', '.join(channel_names)} (the platforms whose rules depend on where "
        "viewers buy; the others' figures are their own rules')"
    )


@attrs.frozen(slots=True, eq=False)
class Shown:
    """What the compare dashboard shows: the comparison (with the agency's share) and the estimate."""

    comparison: Comparison
    audience: Audience
    estimates: list[Estimate]


class CompareDashboard:
    """Controls for spend, currency, rules' date, channel, agency commission, settings and an audience;
    the comparison they give (see the module docstring).

    :param spend, currency: the viewer's spend (the currency in any case: ``"usd"`` is ``USD``).
    :param pm: the plugin manager (default: every installed plugin).
    :param as_of: the date whose rules apply (default: today).
    :param settings: setting overrides, as for `livemoney.compare` (shown in the settings panel).
    :param rates: your own exchange rates (a CSV file or a `RateTable`), as for `livemoney.context`; the
        rates file's currencies are offered too.
    :param rate_fallback: ``"latest"`` (the default here: a comparison is a what-if, and today is often
        after the last published rates): a rate more than 7 days older than the rules' date is used, and
        explain says so; ``None``: such a currency is not offered.
    """

    def __init__(
        self,
        spend: Decimal | int | str = 100,
        currency: str = "USD",
        pm: PluginManager | None = None,
        as_of: dt.date | str | None = None,
        settings: Mapping[str, Any] | None = None,
        *,
        rates: str | os.PathLike | RateTable | None = None,
        rate_fallback: str | None = "latest",
    ) -> None:
        self.pm = pm or default_manager()
        self.rates = rate_table(rates)
        self.rate_fallback = rate_fallback
        self.channel_names = channel_platforms(self.pm)
        currency = code(currency)
        as_of = as_date(as_of) or today()
        self.currencies = Currencies(self.rates, rate_fallback)
        self.currencies.on([as_of])
        self.spend = widgets.Text(value=str(spend), description="Viewer spends", continuous_update=False, style=WIDE)
        self.currency = widgets.Dropdown(
            options=self.currencies.options(currency), value=currency, description="Currency", style=WIDE
        )
        self.as_of = date_picker(as_of, "Rules as of")
        self.channel = widgets.Dropdown(options=CHANNELS, value="default", description="Bought", style=WIDE)
        self.agency = widgets.Text(value="0", description="Agency commission %", continuous_update=False, style=WIDE)
        self.viewers = widgets.BoundedIntText(value=100, min=0, max=10**9, description="Average viewers", style=WIDE)
        self.minutes = widgets.BoundedIntText(value=60, min=0, max=10**6, description="Minutes", style=WIDE)
        self.rate = widgets.Text(
            value="0.1", description="Payments per viewer per hour", continuous_update=False, style=WIDE
        )
        self.mix = widgets.Text(
            value="", placeholder=MIX_EXAMPLE, description="Mix", continuous_update=False, style=WIDE
        )
        self.settings = SettingsPanel(self.pm, settings)
        self.status = widgets.HTML()
        self.message = self.status
        self.mix_legend = widgets.HTML()
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.estimate_table = widgets.HTML()
        self.seeds = widgets.HTML()
        self.output = widgets.Output()
        name_classes(
            self,
            "spend",
            "currency",
            "as_of",
            "channel",
            "agency",
            "viewers",
            "minutes",
            "rate",
            "mix",
            "status",
            "chart",
            "table",
            "estimate_table",
            "seeds",
            "mix_legend",
        )
        self.seeds.value = box(
            '<div class="lm-title">The platforms (seed table) and the sources of their figures</div>',
            platforms_html(api.platforms(self.pm)),
        )
        # the currencies follow the rules' date: observed before the model, so the model reads the new list
        self.as_of.observe(self._date_changed, names="value")
        fields = [
            Field("spend", self.spend, self._read_spend),
            Field("currency", self.currency, self.currencies.read),
            Field("as_of", self.as_of, self._read_date),
            Field("channel", self.channel),
            Field("agency", self.agency, self._read_agency),
            Field("viewers", self.viewers),
            Field("minutes", self.minutes),
            Field("rate", self.rate, self._read_rate),
            Field("mix", self.mix, parse_mix),
            *self.settings.fields,
        ]
        self.figures = widgets.VBox([self.chart, self.table, self.estimate_table])
        self.figures.add_class("lm-figures")
        self.model = Model(fields, self._compute, self._render, [self.figures], self.status, self.output)
        by_name = self.model.fields
        self.widget = widgets.VBox(
            [
                controls_row(*(by_name[name].box for name in ("spend", "currency", "as_of", "channel", "agency"))),
                controls_row(*(by_name[name].box for name in ("viewers", "minutes", "rate", "mix"))),
                self.mix_legend,
                self.settings.widget,
                self.status,
                self.figures,
                self.seeds,
                self.output,
            ]
        )
        self.widget.add_class("lm-compare-dashboard")
        self.model.update()

    # --- reading the controls ---------------------------------------------------------------

    @staticmethod
    def _read_spend(text: str) -> Decimal:
        spend = to_decimal(text, "spend")
        if spend < 0:
            raise ValueError(f"spend: {text} must not be negative")
        return spend

    @staticmethod
    def _read_agency(text: str) -> Decimal:
        percent = to_decimal(text or "0", "agency commission")
        if not 0 <= percent <= 100:
            raise ValueError(f"agency commission: {text}% must be between 0 and 100")
        return percent / 100

    @staticmethod
    def _read_rate(text: str) -> Decimal:
        rate = to_decimal(text or "0", "payments per viewer per hour")
        if rate < 0:
            raise ValueError(f"payments per viewer per hour: {text} must not be negative")
        return rate

    @staticmethod
    def _read_date(value: dt.date | None) -> dt.date:
        if value is None:
            raise ValueError("rules as of: choose a date (a comparison applies the rules of one day)")
        return value

    def _date_changed(self, change: dict[str, Any]) -> None:
        if change["new"] is None:
            return
        self.currencies.on([change["new"]])
        with self.model.quietly():
            set_options(self.currency, self.currencies.options(self.currency.value))

    # --- the model ------------------------------------------------------------------------

    def _compute(self, values: dict[str, Any]) -> Shown:
        channel = None if values["channel"] == "default" else values["channel"]
        plain_ = compare(
            values["spend"],
            currency=values["currency"],
            as_of=values["as_of"],
            settings=self.settings.overrides(values),
            channel=channel,
            pm=self.pm,
            rates=self.rates,
            rate_fallback=self.rate_fallback,
        )
        comparison = with_agency(plain_, values["agency"])
        check_mix(values["mix"], comparison)
        audience = Audience(values["viewers"], values["minutes"], values["rate"], values["mix"])
        return Shown(comparison, audience, estimate(comparison, audience))

    def _render(self, shown: Shown) -> None:
        comparison = shown.comparison
        self.chart.value = comparison_chart(comparison)
        self.table.value = box(
            f'<div class="lm-title">{esc(compare_title(comparison, self.channel_names))}</div>',
            comparison_rows_html(comparison),
        )
        self.estimate_table.value = box(estimates_html(shown.estimates, shown.audience))
        self.mix_legend.value = mix_legend_html(comparison)
        unknowns = [
            (f"{row_.platform.name} · {row_.feature_name}", row_.valuation.reason or "no source gives a figure", 1)
            for row_ in comparison.rows
            if row_.valuation.unknown
        ]
        self.settings.show(comparison.as_of, unknowns)

    # --- what the figures show --------------------------------------------------------------

    @property
    def shown(self) -> Shown | None:
        """What the figures on show were computed from (the last valid controls)."""
        result: Shown | None = self.model.result
        return result

    @property
    def comparison(self) -> Comparison | None:
        return self.shown.comparison if self.shown else None

    @property
    def estimates(self) -> list[Estimate]:
        return self.shown.estimates if self.shown else []

    @property
    def audience(self) -> Audience:
        return self.shown.audience if self.shown else Audience()

    @property
    def error(self) -> str | None:
        """The problem of the first invalid control (``None``: the figures are of the current controls)."""
        return self.model.error

    @property
    def stale(self) -> bool:
        """Whether a control is invalid, so the figures on show (greyed) are of earlier controls."""
        return self.model.stale

    def update(self) -> None:
        """Read every control and recompute (the controls call it on every change)."""
        self.model.update()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
