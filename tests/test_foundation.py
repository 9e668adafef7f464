"""The amounts the project promises, worked out by hand, and the invariant across every plugin.

Each test registers only the plugins it needs on a fresh manager, so the figures are those of the
platform plugins alone. A platform plugin not installed yet skips its own tests.
"""

import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path

import livemoney_facebook
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney import Donation, Gift, Like, Money, Sponsorship
from livemoney.core.money import minor_unit
from livemoney.engine.api import context, platforms, value_event
from livemoney.engine.comparison import compare
from livemoney.pluginsys.manager import get_plugin_manager


def manager(*modules):
    pm = get_plugin_manager(load_entry_points_=False)
    for module in modules:
        pm.register(getattr(module, "PLUGIN", module), name=module.__name__.removeprefix("livemoney_"))
    return pm


def platform_plugin(name):
    return pytest.importorskip(f"livemoney_{name}", reason=f"the {name} plugin is not installed")


def usd(amount):
    return Money(amount, "USD")


def test_500_facebook_stars():
    pm = manager(livemoney_facebook)
    result = value_event(Donation(platform="facebook", feature="stars", amount=Money(500, "stars")), context(pm=pm), pm)
    viewer_paid = Decimal(500) * Decimal("1.40") / 100  # 100 Stars = 1.40 USD
    creator = Decimal(500) * Decimal("0.01")  # 1 cent a Star
    assert (viewer_paid, creator) == (Decimal("7.00"), Decimal("5.00"))
    assert result.gross == usd("7.00")
    assert result.net == usd("5.00")
    assert [(s.party, s.amount) for s in result.shares] == [("Meta", usd("2.00"))]  # 7.00 − 5.00


def test_a_250_usd_sponsorship_goes_all_to_the_creator():
    pm = manager(livemoney_facebook)
    result = value_event(Sponsorship(platform="facebook", amount=usd("250"), brand="Acme"), context(pm=pm), pm)
    assert result.gross == result.net == usd("250.00")
    assert result.shares == ()


def test_100_roses_on_tiktok_bought_in_the_app():
    pm = manager(platform_plugin("tiktok"))
    result = value_event(Gift(platform="tiktok", gift="Rose", count=100), context(pm=pm), pm)
    # A Rose costs 1 coin; 70 coins cost 0.99 USD in the app: 100 × 0.99 / 70 = 1.414285714… → 1.4142857143.
    viewer_paid = (100 * Decimal("0.99") / 70).quantize(Decimal("1E-10"))
    app_store = (Decimal("0.30") * 100 * Decimal("0.99") / 70).quantize(Decimal("1E-10"))  # 0.4242857143
    creator = 100 * Decimal("0.005")  # 100 diamonds at 0.005 USD
    assert result.gross == usd(viewer_paid) == usd("1.4142857143")
    assert result.net == usd(creator) == usd("0.50")
    # The app store's 0.4242857143, and TikTok the rest: 1.4142857143 − 0.4242857143 − 0.50 = 0.49.
    assert [(s.party, s.amount) for s in result.shares] == [("App store", usd(app_store)), ("TikTok", usd("0.49"))]
    # As a receipt shows it: 1.41 = 0.42 + 0.49 + 0.50.
    shown = result.shown()
    assert [shown.gross, *(s.amount for s in shown.shares), shown.net] == [
        usd("1.41"), usd("0.42"), usd("0.49"), usd("0.50")]


def test_a_10_usd_super_chat():
    pm = manager(platform_plugin("youtube"))
    donation = Donation(platform="youtube", feature="super_chat", amount=usd("10.00"))
    result = value_event(donation, context(pm=pm), pm)
    # 70% to the creator, no sales tax and no iOS share unless set: 7.00; YouTube 3.00.
    assert result.gross == usd("10.00")
    assert result.net == usd("7.00")
    assert [(s.party, s.amount) for s in result.shares] == [("YouTube", usd("3.00"))]


def test_a_4_99_usd_instagram_badge_bought_in_the_app():
    pm = manager(platform_plugin("instagram"))
    badge = Donation(platform="instagram", feature="badge", amount=usd("4.99"))
    result = value_event(badge, context(pm=pm), pm)
    # The app store takes 30% of 4.99 = 1.497; Instagram 0%; the creator keeps 4.99 − 1.497 = 3.493.
    assert Decimal("0.30") * Decimal("4.99") == Decimal("1.497")
    assert result.gross == usd("4.99")
    assert result.share("App store") == usd("1.497")
    assert result.net == usd("3.493")
    # Shown: the creator's 3.493 → 3.49, the app store 4.99 − 3.49 = 1.50.
    assert (result.shown().share("App store"), result.shown().net) == (usd("1.50"), usd("3.49"))


def test_likes_earn_nothing_on_any_platform():
    pm = get_plugin_manager()
    for platform in platforms(pm):
        result = value_event(Like(platform=platform.key, count=1000), context(pm=pm), pm)
        assert result.net == result.gross == usd("0.00"), platform.key


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
