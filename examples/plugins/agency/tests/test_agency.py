from decimal import Decimal

import livemoney_agency
import livemoney_facebook
import pytest
from livemoney import Donation, Like, Money, SettingError, Sponsorship, context, get_plugin_manager, value_event


@pytest.fixture
def pm():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(livemoney_facebook.PLUGIN, name="facebook")
    pm.register(livemoney_agency, name="agency")
    return pm


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def test_the_agency_takes_its_commission_out_of_the_creators_net(pm):
    stars = Donation(platform="facebook", feature="stars", amount=Money(500, "stars"))
    result = value_event(stars, context(pm=pm), pm)
    # Viewer paid 500 × 1.40/100 = 7.00; the creator earned 500 × 0.01 = 5.00; Meta 2.00.
    # Agency: 0.20 × 5.00 = 1.00; the creator keeps 5.00 − 1.00 = 4.00.
    assert result.gross == usd("7.00")
    assert [(s.party, s.amount) for s in result.shares] == [("Meta", usd("2.00")), ("Agency", usd("1.00"))]
    assert result.net == usd("4.00")
    (line,) = [line for line in result.explain if line.startswith("Agency: ")]
    assert line.startswith("Agency: 1.00 USD (agency.commission_rate = 0.20 fraction [livemoney example: ")
    assert line.endswith(" of the creator's 5.00 USD)")
    assert result.explain[-1] == (
        "exact: gross 7.00 = Meta 2.00 + Agency 1.00 + net 4.00 USD; "
        "shown rounded once (half-even): gross 7.00 = Meta 2.00 + Agency 1.00 + net 4.00 USD"
    )


def test_the_rate_is_a_setting_and_the_commission_is_exact(pm):
    sponsorship = Sponsorship(platform="facebook", amount=usd("250.05"))
    result = value_event(sponsorship, context(settings={"agency.commission_rate": "0.15"}, pm=pm), pm)
    # 0.15 × 250.05 = 37.5075, kept exact; the creator keeps 250.05 − 37.5075 = 212.5425.
    assert result.share("Agency") == usd("37.5075")
    assert result.net == usd("212.5425")
    assert "Agency: 37.5075 USD (agency.commission_rate = 0.15 fraction (your setting)" in result.explain[-2]
    # The receipt rounds each figure once: creator 212.5425 → 212.54; the agency 250.05 − 212.54 = 37.51.
    shown = result.shown()
    assert (shown.gross, shown.share("Agency"), shown.net) == (usd("250.05"), usd("37.51"), usd("212.54"))


def test_a_commission_below_a_cent_is_kept(pm):
    result = value_event(Donation(platform="facebook", feature="stars", amount=Money(7, "stars")), context(pm=pm), pm)
    # 7 Stars: the creator earned 7 × 0.01 = 0.07; the agency takes 0.20 × 0.07 = 0.014; the creator keeps 0.056.
    assert (result.share("Agency"), result.net) == (usd("0.014"), usd("0.056"))
    # The receipt rounds running totals once each: creator 0.056 → 0.06; + agency 0.07 → 0.07, so the agency
    # 0.01; Meta, which takes the rest of the Stars, 0.10 − 0.07 = 0.03.
    shown = result.shown()
    assert [(s.party, s.amount) for s in shown.shares] == [("Meta", usd("0.03")), ("Agency", usd("0.01"))]
    assert (shown.gross, shown.net) == (usd("0.10"), usd("0.06"))


def test_unknown_valuations_and_likes_are_left_as_they_are(pm):
    unknown = value_event(Donation(platform="facebook", feature="jewels", amount=usd("5")), context(pm=pm), pm)
    likes = value_event(Like(platform="facebook", count=1000), context(pm=pm), pm)
    assert unknown.unknown and unknown.shares == ()
    assert likes.shares == () and likes.net == usd("0.00")


def test_a_rate_above_one_is_refused(pm):
    sponsorship = Sponsorship(platform="facebook", amount=usd("100"))
    with pytest.raises(SettingError, match="agency.commission_rate: 1.5 must be between 0 and 1"):
        value_event(sponsorship, context(settings={"agency.commission_rate": "1.5"}, pm=pm), pm)


def test_the_setting_is_declared_with_its_source(pm):
    (setting,) = livemoney_agency.livemoney_settings()
    assert (setting.key, setting.default, setting.unit) == ("agency.commission_rate", Decimal("0.20"), "fraction")
    assert "example" in setting.source.cite()
