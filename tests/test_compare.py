import datetime as dt
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from livemoney import (
    Donation,
    DonationFeature,
    Gift,
    Like,
    LikeOutcome,
    Money,
    Platform,
    Setting,
    Source,
    hookimpl,
    unknown_valuation,
    valuation,
)
from livemoney.core.settings import SettingTable
from livemoney.engine.comparison import Comparison, compare
from livemoney.errors import SettingError
from livemoney.pluginsys.manager import get_plugin_manager

EXAMPLE = Source("test figures", as_of="test")

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)


class Fake:
    """A platform with a gift, a tip and a feature no source prices; in the app the store takes 30%."""

    settings = SettingTable(
        Setting("fake.purchase_channel", "app", "channel", "where viewers buy", EXAMPLE, choices=("app", "web")),
        Setting("fake.creator_share", Decimal("0.5"), "fraction", "the creator's share", EXAMPLE),
    )

    @hookimpl
    def livemoney_platform(self):
        return Platform("fake", "Fake Live", ("usd",), False, "Yes", (EXAMPLE,))

    @hookimpl
    def livemoney_settings(self):
        return self.settings.declared()

    @hookimpl
    def livemoney_donation_features(self, platform, context):
        if platform != "fake":
            return None
        return [
            DonationFeature("rose", "Rose", "gift", "yes", Decimal("0.5")),
            DonationFeature("tip", "Tip", "direct payment", "yes", Decimal("0.5")),
            DonationFeature("mystery", "Mystery", "direct payment", "limited", None),
        ]

    def _value(self, event, context):
        channel = self.settings("fake.purchase_channel", context, None).value
        share = self.settings("fake.creator_share", context, None).value
        gross = event.amount
        store = gross * Decimal("0.30") if channel == "app" else Money.zero(gross.currency)
        return valuation(
            platform="fake",
            kind=event.kind,
            event=event,
            context=context,
            gross=gross,
            shares=[("App store", store, None), ("Fake", (gross - store) * (1 - share), None)],
        )

    @hookimpl
    def livemoney_value_gift(self, platform, gift, context):
        return self._value(gift, context) if platform == "fake" else None

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        if platform != "fake":
            return None
        if donation.feature == "mystery":
            return unknown_valuation(
                platform="fake",
                kind="donation",
                event=donation,
                context=context,
                reason="no source gives the mystery share",
            )
        return self._value(donation, context)

    @hookimpl
    def livemoney_handle_like(self, platform, like, context):
        if platform != "fake":
            return None
        return LikeOutcome("fake", like.count, Money.zero(context.currency), "likes earn nothing")


class Recorder:
    """Remembers every event valued, to check what the comparison builds."""

    def __init__(self):
        self.events = []

    @hookimpl(wrapper=True)
    def livemoney_value_event(self, event):
        self.events.append(event)
        return (yield)


@pytest.fixture
def pm():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(Fake(), name="fake")
    pm.register(testcast.starcast(), name="starcast")
    return pm


def usd(amount):
    return Money(amount, "USD")


def rows_by_feature(comparison: Comparison):
    return {(row.platform.key, row.feature): row.valuation for row in comparison.rows}


def test_hook_livemoney_donation_features():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(Fake(), name="fake")
    features = pm.hook.livemoney_donation_features(platform="fake", context=lm.context(pm=pm))
    assert [(f.key, f.kind, f.availability) for f in features] == [
        ("rose", "gift", "yes"), ("tip", "direct payment", "yes"), ("mystery", "direct payment", "limited")
    ]
    assert pm.hook.livemoney_donation_features(platform="elsewhere", context=lm.context(pm=pm)) is None
    # compare values the spend on each feature (a "gift" feature as a gift), then 1,000 likes
    rows = rows_by_feature(compare(100, pm=pm))
    assert list(rows) == [("fake", "rose"), ("fake", "tip"), ("fake", "mystery"), ("fake", "likes")]
    # bought in the app: the store takes 30.00 of 100; Fake takes half of the 70.00 left; the creator 35.00
    assert [(rows[key].kind, rows[key].net) for key in (("fake", "rose"), ("fake", "tip"))] == [
        ("gift", usd("35.00")), ("donation", usd("35.00"))
    ]
    assert rows[("fake", "mystery")].unknown and rows[("fake", "likes")].net == usd(0)


def test_each_feature_is_valued_with_the_viewers_spend_through_value_event(pm):
    recorder = Recorder()
    pm.register(recorder, name="recorder")
    compare("100", pm=pm)
    # A platform with a rank comes first (the built-ins have the seed table's, starcast a built-in's), then the others.
    assert recorder.events == [
        Donation(platform="starcast", feature="stars", amount=usd("100")),
        Like(platform="starcast", count=1000),
        Gift(platform="fake", gift="rose", amount=usd("100")),
        Donation(platform="fake", feature="tip", amount=usd("100")),
        Donation(platform="fake", feature="mystery", amount=usd("100")),
        Like(platform="fake", count=1000),
    ]


def test_what_the_creator_keeps_of_100_usd(pm):
    rows = rows_by_feature(compare(100, pm=pm))
    # Fake in the app: store 0.30 × 100 = 30.00; Fake 0.5 × 70.00 = 35.00; the creator keeps 35.00.
    assert [(s.party, s.amount) for s in rows["fake", "rose"].shares] == [
        ("App store", usd("30.00")),
        ("Fake", usd("35.00")),
    ]
    assert rows["fake", "rose"].net == usd("35.00")
    # Starcast: 100 USD buys 100 × 100/1.40 = 7142.857… Stars, worth 0.01 each to the creator:
    # 71.4285714286 exact (shown 71.43); Starcast keeps the rest, 28.5714285714 (shown 100.00 − 71.43 = 28.57).
    stars = rows["starcast", "stars"]
    assert stars.gross == usd("100.00")
    assert (stars.share("Starcast"), stars.net) == (usd("28.5714285714"), usd("71.4285714286"))
    assert (stars.shown().share("Starcast"), stars.shown().net) == (usd("28.57"), usd("71.43"))
    # 1,000 likes earn nothing.
    assert rows["starcast", "likes"].gross == rows["starcast", "likes"].net == usd("0.00")
    assert rows["fake", "mystery"].unknown and rows["fake", "mystery"].reason == "no source gives the mystery share"


def test_the_channel_sets_every_purchase_channel_setting_and_an_explicit_setting_wins(pm):
    web = rows_by_feature(compare(100, channel="web", pm=pm))
    # On the web no store fee: Fake 0.5 × 100.00 = 50.00, the creator keeps 50.00.
    assert web["fake", "tip"].share("App store") == usd("0.00") and web["fake", "tip"].net == usd("50.00")
    explicit = rows_by_feature(compare(100, channel="web", settings={"fake.purchase_channel": "app"}, pm=pm))
    assert explicit["fake", "tip"].net == usd("35.00")


def test_another_currency_values_in_that_currency(pm):
    rows = rows_by_feature(compare("49.99", currency="EUR", pm=pm))
    # 49.99 EUR: store 14.997; Fake 0.5 × 34.993 = 17.4965; the creator the rest, 17.4965 (all exact).
    tip = rows["fake", "tip"]
    assert (tip.gross, tip.share("App store"), tip.share("Fake"), tip.net) == (
        Money("49.99", "EUR"), Money("14.997", "EUR"), Money("17.4965", "EUR"), Money("17.4965", "EUR"))
    # Shown by running totals, the creator (who takes the rest) last: store 14.997 → 15.00, + Fake 32.4935
    # → 32.49 (Fake 17.49), the creator 49.99 − 32.49 = 17.50: each rounded once and the row adds up.
    shown = tip.shown()
    assert (shown.gross, shown.share("App store"), shown.share("Fake"), shown.net) == (
        Money("49.99", "EUR"), Money("15.00", "EUR"), Money("17.49", "EUR"), Money("17.50", "EUR"))


def test_render_as_markdown_table_and_json(pm):
    result = compare(100, pm=pm)
    markdown = result.render("markdown").splitlines()
    assert markdown[2] == (
        "| Platform | Feature | Availability | Viewer pays (USD) | Shares (USD) | Creator keeps (USD) | Keeps | Note |"
    )
    assert "| Fake Live | Rose | yes | 100.00 | App store 30.00; Fake 35.00 | 35.00 | 35.0% |  |" in markdown
    assert (
        "| Fake Live | Mystery | limited | 100.00 | unknown | unknown |  | "
        "unknown: no source gives the mystery share |"
    ) in markdown
    assert "| Starcast | 1,000 likes | yes | 0.00 | - | 0.00 |  |  |" in markdown
    table = result.render("table")
    today = dt.datetime.now(dt.UTC).date().isoformat()  # no date given: today's rules, and the title says so
    assert table.startswith(f"What the creator keeps of 100 USD spent by a viewer (rules as of {today})")
    assert "unknown: no source gives the mystery share" in table
    data = json.loads(result.render("json"))
    assert (data["spend"], data["currency"]) == ("100", "USD")
    for row in data["rows"]:
        shares = [Decimal(share["amount"]) for share in row["shares"]]
        assert all(share["party"] for share in row["shares"])
        assert Decimal(row["gross"]) == sum(shares, Decimal(0)) + Decimal(row["net"])
    mystery = next(row for row in data["rows"] if row["feature"] == "mystery")
    assert (mystery["unknown"], mystery["reason"]) == (True, "no source gives the mystery share")
    # The viewer pays the spend whether or not where it goes is known (a new user read "unknown" as unpaid).
    assert (mystery["viewer_pays"], mystery["gross"]) == ("100.00", "0.00")
    assert [row["viewer_pays"] for row in data["rows"] if row["feature"] == "likes"] == ["0.00", "0.00"]


def test_repr_says_what_the_creator_keeps_everywhere(pm):
    assert repr(compare(100, pm=pm)) == (
        "<Comparison of 100 USD, creator keeps: starcast/stars=71.43, starcast/likes=0.00, fake/rose=35.00, "
        "fake/tip=35.00, fake/mystery=unknown, fake/likes=0.00>"
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"spend": "abc"}, ValueError, "spend: 'abc' is not a decimal number"),
        ({"spend": "-1"}, ValueError, "spend: -1 USD must be between 0 and 1,000,000,000,000"),
        ({"spend": 1, "channel": "tv"}, ValueError, "channel: 'tv' is not one of app, web"),
        ({"spend": 1, "currency": "XYZ"}, ValueError, "'XYZ' is not an ISO-4217"),
        ({"spend": 1, "settings": {"fake.nope": "1"}}, SettingError, "unknown setting 'fake.nope'"),
        ({"spend": 1}, ValueError, "format: 'html' is not one of table, markdown, json"),
    ],
)
def test_bad_arguments_say_what_is_wrong(pm, kwargs, error, message):
    with pytest.raises(error, match=message):
        compare(pm=pm, **kwargs).render("html")


def test_platforms_with_a_rank_come_first_in_its_order_then_the_others(pm):
    # the built-in platforms have the seed table's ranks, 1 to 4 (each platform's own tests say its own)
    class Ranked(Fake):
        @hookimpl
        def livemoney_platform(self):
            return Platform("fake", "Fake Live", ("usd",), False, "Yes", (EXAMPLE,), rank=1)

    ranked = get_plugin_manager(load_entry_points_=False)
    ranked.register(testcast.starcast(), name="starcast")  # rank 4
    ranked.register(testcast.Testcast(), name="testcast")  # no rank
    ranked.register(Ranked(), name="fake")  # rank 1
    order = []
    for row in compare(100, pm=ranked).rows:
        if row.platform.key not in order:
            order.append(row.platform.key)
    assert order == ["fake", "starcast", "testcast"]


def test_lm_compare_is_the_function_every_time():
    # A submodule named like the function would replace ``lm.compare`` after the first import.
    import livemoney as lm

    assert lm.compare is compare and lm.Comparison is Comparison
    assert lm.compare is compare
