"""The host's own plugin (`livemoney.pluginsys.default_plugins.host`): `livemoney_value_event` goes to the
hook of the event's kind, a sponsorship goes to the creator unless a platform says otherwise, and a
wrapper plugin applies to every kind. Each hook is checked on a made-up platform, "demo", that takes 10%
of gifts, donations and sales alike."""

from decimal import Decimal

import livemoney as lm
import pytest
from livemoney import Donation, Gift, Like, LikeOutcome, Money, Platform, Sale, Source, Sponsorship, hookimpl, valuation
from livemoney.errors import UnknownPlatform
from livemoney.kit import commission
from livemoney.testing import plugin_manager

KEY = "demo"
MADE_UP = Source("made up for the tests", as_of="2026-10-01")
CUT = Decimal("0.10")


def usd(amount):
    return Money(amount, "USD")


def tenth(event, context, paid, hook):
    """What the demo platform answers: it takes 10% of what was paid, and explain names the hook."""
    return valuation(
        platform=KEY, kind=event.kind, event=event, context=context, gross=paid,
        shares=[("Demo", paid * CUT, MADE_UP)], explain=[f"valued by {hook}"],
    )


class Demo:
    @hookimpl
    def livemoney_platform(self):
        return Platform(KEY, "Demo Live", ("coins",), False, "Yes", (MADE_UP,))

    @hookimpl
    def livemoney_value_gift(self, platform, gift, context):
        # a coin is 0.01 USD
        return tenth(gift, context, usd(gift.amount.amount * gift.count / 100), "gift") if platform == KEY else None

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        return tenth(donation, context, donation.amount * donation.count, "donation") if platform == KEY else None

    @hookimpl
    def livemoney_value_sale(self, platform, sale, context):
        return tenth(sale, context, sale.amount, "sale") if platform == KEY else None

    @hookimpl
    def livemoney_handle_like(self, platform, like, context):
        if platform != KEY:
            return None
        return LikeOutcome(KEY, like.count, Money.zero(context.currency), "likes rank the stream", MADE_UP)


class Brokered:
    """A platform that brokers sponsorships and takes 15% of them."""

    @hookimpl
    def livemoney_value_sponsorship(self, platform, sponsorship, context):
        if platform != KEY or sponsorship.brand != "Acme":
            return None
        paid = sponsorship.amount
        return valuation(
            platform=KEY, kind="sponsorship", event=sponsorship, context=context, gross=paid,
            shares=[("Marketplace", paid * Decimal("0.15"), MADE_UP)], explain=["a brokered deal"],
        )


class Manager:
    """A wrapper: a manager takes 20% of what the creator keeps, on every kind."""

    @hookimpl(wrapper=True)
    def livemoney_value_event(self, platform, event, context):
        valued = yield
        return commission(valued, "Manager", Decimal("0.20"), rate_name="manager.rate", source=MADE_UP)


@pytest.fixture
def pm():
    return plugin_manager(Demo())


def value(pm, event):
    return lm.value_event(event, lm.context(pm=pm), pm)


def test_hook_livemoney_value_gift(pm):
    result = value(pm, Gift(platform=KEY, gift="Rose", count=3, amount=Money(50, "coins")))
    # 3 × 50 coins = 150 coins = 1.50 USD; Demo takes 0.15, the creator 1.35
    assert (result.kind, result.gross, result.share("Demo"), result.net) == ("gift", usd("1.50"), usd("0.15"), usd("1.35"))
    assert "valued by gift" in result.explain


def test_hook_livemoney_value_donation(pm):
    result = value(pm, Donation(platform=KEY, feature="tip", amount=usd("4.00"), count=2))
    # 2 × 4.00 = 8.00; Demo 0.80, the creator 7.20
    assert (result.kind, result.gross, result.net) == ("donation", usd("8.00"), usd("7.20"))
    assert "valued by donation" in result.explain


def test_hook_livemoney_value_sale(pm):
    result = value(pm, Sale(platform=KEY, amount=usd("25.00"), product="T-shirt"))
    assert (result.kind, result.share("Demo"), result.net) == ("sale", usd("2.50"), usd("22.50"))
    assert "valued by sale" in result.explain


def test_hook_livemoney_handle_like(pm):
    result = value(pm, Like(platform=KEY, count=120))
    # the host turns the outcome into a valuation of nothing, counting the likes
    assert (result.kind, result.gross, result.net, result.units) == ("like", usd(0), usd(0), {"likes": Decimal(120)})
    assert "120 likes: likes rank the stream" in result.explain


def test_hook_livemoney_value_sponsorship():
    deal = Sponsorship(platform=KEY, amount=usd("250.00"), brand="Acme")
    # the host's default: a direct deal goes all to the creator
    direct = value(plugin_manager(Demo()), deal)
    assert (direct.gross, direct.shares, direct.net) == (usd("250.00"), (), usd("250.00"))
    assert "the whole sponsorship goes to the creator" in " ".join(direct.explain)
    # a platform's own answer wins over the host's: 15% of 250.00 = 37.50 to the marketplace
    brokered = value(plugin_manager(Demo(), Brokered()), deal)
    assert (brokered.share("Marketplace"), brokered.net) == (usd("37.50"), usd("212.50"))
    other = value(plugin_manager(Demo(), Brokered()), Sponsorship(platform=KEY, amount=usd("250.00"), brand="Zeta"))
    assert other.net == usd("250.00")


def test_hook_livemoney_value_event():
    pm = plugin_manager(Demo(), Manager())
    tip = value(pm, Donation(platform=KEY, feature="tip", amount=usd("10.00")))
    # Demo takes 1.00; the manager 20% of the creator's 9.00 = 1.80; the creator keeps 7.20
    assert [(s.party, s.amount) for s in tip.shares] == [("Demo", usd("1.00")), ("Manager", usd("1.80"))]
    assert tip.net == usd("7.20")
    deal = value(pm, Sponsorship(platform=KEY, amount=usd("100")))  # the host's default, wrapped too
    assert (deal.share("Manager"), deal.net) == (usd("20.00"), usd("80.00"))
    likes = value(pm, Like(platform=KEY, count=5))  # nothing earned: nothing to take
    assert likes.shares == () and likes.net == usd(0)
    with pytest.raises(UnknownPlatform, match=r"unknown platform 'nowhere'; known platforms: demo"):
        value(pm, Gift(platform="nowhere", gift="Rose"))
