import livemoney as lm
import livemoney_agency
import livemoney_facebook
import livemoney_tax
import pytest
from livemoney import Donation, Money, Sponsorship, context, get_plugin_manager, value_event


def manager(*plugins):
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(livemoney_facebook.PLUGIN, name="facebook")
    for plugin in plugins:
        pm.register(plugin, name=plugin.__name__)
    return pm


def usd(amount: str) -> Money:
    return Money(amount, "USD")


STARS = Donation(platform="facebook", feature="stars", amount=Money(500, "stars"))


def test_the_tax_is_withheld_from_the_creators_net():
    pm = manager(livemoney_tax)
    result = value_event(STARS, context(pm=pm), pm)
    # The creator earned 5.00 of the 7.00 paid; tax 0.24 × 5.00 = 1.20; the creator keeps 3.80.
    assert [(s.party, s.amount) for s in result.shares] == [("Meta", usd("2.00")), ("Withholding tax", usd("1.20"))]
    assert result.net == usd("3.80")


@pytest.mark.parametrize("registered", [(livemoney_agency, livemoney_tax), (livemoney_tax, livemoney_agency)])
def test_the_agency_comes_first_then_the_tax_on_what_is_left_whatever_the_installation_order(registered):
    pm = manager(*registered)
    result = value_event(STARS, context(pm=pm), pm)
    # Agency 0.20 × 5.00 = 1.00; tax 0.24 × (5.00 − 1.00) = 0.96; the creator keeps 4.00 − 0.96 = 3.04.
    # (The other order would give tax 0.24 × 5.00 = 1.20 and agency 0.20 × 3.80 = 0.76.)
    assert [(s.party, s.amount) for s in result.shares] == [
        ("Meta", usd("2.00")),
        ("Agency", usd("1.00")),
        ("Withholding tax", usd("0.96")),
    ]
    assert result.net == usd("3.04")
    assert result.gross == usd("7.00")


def test_both_rates_are_settings_and_each_share_is_exact():
    pm = manager(livemoney_agency, livemoney_tax)
    settings = {"agency.commission_rate": "0.15", "tax.withholding_rate": "0.30"}
    result = value_event(Sponsorship(platform="facebook", amount=usd("99.99")), context(settings=settings, pm=pm), pm)
    # Agency 0.15 × 99.99 = 14.9985; left 99.99 − 14.9985 = 84.9915; tax 0.30 × 84.9915 = 25.49745;
    # the creator keeps 84.9915 − 25.49745 = 59.49405.
    assert result.share("Agency") == usd("14.9985")
    assert result.share("Withholding tax") == usd("25.49745")
    assert result.net == usd("59.49405")
    # The receipt: creator 59.49405 → 59.49; + agency 74.49255 → 74.49 (15.00); + tax 99.99 (25.50).
    shown = result.shown()
    assert (shown.share("Agency"), shown.share("Withholding tax"), shown.net) == (
        usd("15.00"),
        usd("25.50"),
        usd("59.49"),
    )


def test_shares_below_a_cent_add_up_over_a_stream():
    pm = manager(livemoney_agency, livemoney_tax)
    one = Donation(platform="facebook", feature="stars", amount=Money(7, "stars"))
    result = value_event(one, context(pm=pm), pm)
    # 7 Stars: the creator earned 0.07; agency 0.20 × 0.07 = 0.014; tax 0.24 × 0.056 = 0.01344; net 0.04256.
    assert (result.share("Agency"), result.share("Withholding tax"), result.net) == (
        usd("0.014"),
        usd("0.01344"),
        usd("0.04256"),
    )
    report = lm.value([one] * 1000, pm=pm, progress=False)
    # 1,000 such events, summed exactly and rounded once: agency 14.00, tax 13.44, the creator 42.56.
    # (Rounded to the cent event by event, the agency would have taken 0.01 of each: 10.00.)
    assert (report.shares["Agency"], report.shares["Withholding tax"], report.net) == (
        usd("14.00"),
        usd("13.44"),
        usd("42.56"),
    )
