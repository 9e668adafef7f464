"""The invariant across every installed plugin: gross == shares + net, exact and as shown, in any currency,
for any amount and any comparison, with the example agency and tax wrappers on top.

It asserts no platform's figure: each platform's figures are worked out by hand in its own tests
(plugins/*/tests/), the host's on made-up platforms (tests/data/testcast.py).
"""

import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney import Donation, Gift, Money
from livemoney.core.money import minor_unit
from livemoney.engine.api import context, platforms, value_event
from livemoney.engine.comparison import compare
from livemoney.pluginsys.manager import get_plugin_manager

# --- the invariant, for any amount, currency and plugin ------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "plugins"
CURRENCIES = ["USD", "EUR", "JPY", "GBP", "INR", "BRL", "KRW", "CHF", "ISK"]


@pytest.fixture(scope="module")
def pm():
    """Every installed plugin, with the example agency and tax wrappers on top."""
    with pytest.MonkeyPatch.context() as patch:
        for folder in ("agency", "tax"):
            patch.syspath_prepend(str(EXAMPLES / folder))
        pm = get_plugin_manager()
        pm.register(importlib.import_module("livemoney_agency"), name="agency")
        pm.register(importlib.import_module("livemoney_tax"), name="tax")
    return pm


def check(valuation, currency):
    shown = valuation.shown()
    for each, quantum in ((valuation, Decimal("1E-10")), (shown, minor_unit(currency))):
        assert each.gross.amount == sum((s.amount.amount for s in each.shares), Decimal(0)) + each.net.amount
        for money in (each.gross, each.net, *(s.amount for s in each.shares)):
            assert money.currency == currency
            assert money.amount == money.amount.quantize(quantum), money
    unit = minor_unit(currency)
    assert shown.gross == valuation.gross.rounded() and abs(shown.net.amount - valuation.net.amount) <= unit
    assert all(share.party for share in valuation.shares)
    assert not valuation.unknown or valuation.reason


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spend=st.decimals(min_value=0, max_value=1_000_000, places=2),
    currency=st.sampled_from(CURRENCIES),
    channel=st.sampled_from([None, "app", "web"]),
    as_of=st.one_of(st.none(), st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2026, 10, 30))),
)
def test_every_row_of_every_comparison_keeps_gross_equal_to_shares_plus_net(pm, spend, currency, channel, as_of):
    for row in compare(spend, currency=currency, channel=channel, as_of=as_of, pm=pm).rows:
        check(row.valuation, currency)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), currency=st.sampled_from(CURRENCIES), count=st.integers(1, 10_000))
def test_every_event_in_any_currency_keeps_gross_equal_to_shares_plus_net(pm, data, currency, count):
    platform = data.draw(st.sampled_from([p.key for p in platforms(pm)]))
    features = pm.hook.livemoney_donation_features(platform=platform, context=context(pm=pm)) or []
    feature = data.draw(st.sampled_from(features))
    unit = data.draw(st.sampled_from([feature.unit, *CURRENCIES]))
    places = 0 if unit.islower() else 2
    amount = Money(data.draw(st.decimals(min_value=0, max_value=100_000, places=places)), unit)
    if feature.kind == "gift":
        event = Gift(platform=platform, gift=feature.key, count=count, amount=amount)
    else:
        event = Donation(platform=platform, feature=feature.key, count=count, amount=amount)
    check(value_event(event, context(currency=currency, pm=pm), pm), currency)
