import datetime as dt
from decimal import Decimal

import pytest
from livemoney import UNKNOWN, Context, Rule, Setting, Source
from livemoney.core.settings import SettingTable, check_overrides, parse_assignments, parse_value
from livemoney.errors import SettingError

OLD = Source("old page", "https://example.org/old", "2021-11")
NEW = Source("new page", "https://example.org/new", "2025-01")
SHARE = Setting(
    "demo.share",
    Decimal("0.5"),
    "fraction",
    "a share",
    OLD,
    history=(Rule(dt.date(2021, 11, 1), Decimal("0.5"), OLD), Rule(dt.date(2025, 1, 1), UNKNOWN, NEW)),
)
CHANNEL = Setting("demo.channel", "app", "", "where", OLD, choices=("app", "web"))
PACK = Setting("demo.pack", (Decimal(70), Decimal("0.99")), "coins/USD", "pack", OLD)
TABLE = SettingTable(SHARE, CHANNEL, PACK)


def test_the_default_applies_without_a_date():
    resolved = TABLE("demo.share", Context(), None)
    assert resolved.value == Decimal("0.5") and resolved.since is None


def test_the_rule_in_force_on_the_date_applies():
    assert TABLE("demo.share", Context(), dt.date(2024, 12, 31)).value == Decimal("0.5")
    later = TABLE("demo.share", Context(), dt.date(2025, 1, 1))
    assert later.value is UNKNOWN and later.unknown and later.source == NEW
    assert "rule in force from 2025-01-01" in later.cite()


def test_before_any_rule_the_default_applies():
    assert TABLE("demo.share", Context(), dt.date(2020, 1, 1)).value == Decimal("0.5")


def test_an_override_wins_over_every_rule():
    context = Context(settings={"demo.share": Decimal("0.25")})
    resolved = TABLE("demo.share", context, dt.date(2026, 1, 1))
    assert resolved.value == Decimal("0.25") and resolved.overridden
    assert "(your setting)" in resolved.cite()


def test_overrides_are_parsed_to_the_type_of_the_default():
    parsed = check_overrides({"demo.share": "0.3", "demo.channel": "web", "demo.pack": "100/1.39"}, TABLE.declared())
    assert parsed == {"demo.share": Decimal("0.3"), "demo.channel": "web", "demo.pack": (Decimal(100), Decimal("1.39"))}


def test_an_unknown_key_lists_the_known_ones():
    with pytest.raises(
        SettingError, match="unknown setting 'demo.nope'; known settings: demo.channel, demo.pack, demo.share"
    ):
        check_overrides({"demo.nope": "1"}, TABLE.declared())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"demo.share": "abc"}, "demo.share: 'abc'"),
        ({"demo.channel": "tv"}, "must be one of app, web"),
        ({"demo.pack": "70"}, "takes 2 values"),
        ({"demo.share": 0.3}, "float"),
    ],
)
def test_bad_override_values_name_the_setting(overrides, message):
    with pytest.raises(SettingError, match=message):
        check_overrides(overrides, TABLE.declared())


def test_command_line_assignments():
    assert parse_assignments(["tiktok.diamond_usd=0.0045"]) == {"tiktok.diamond_usd": "0.0045"}
    with pytest.raises(SettingError, match="expected KEY=VALUE"):
        parse_assignments(["tiktok.diamond_usd"])


# --- a declared range: a user's value outside it is the user's error, naming the setting ----------------------

EARNS = Setting("demo.coin_usd", Decimal("0.005"), "USD/coin", "earns", OLD, minimum=0)
RATE = Setting("demo.rate", Decimal("0.3"), "fraction", "a rate", OLD, minimum=0, maximum=1)
PRICES = Setting("demo.prices", (Decimal("0.99"), Decimal("4.99")), "USD", "prices", OLD, minimum=0)


def test_a_range_is_said_in_words_and_is_inclusive():
    assert (EARNS.range_text, RATE.range_text, SHARE.range_text) == ("at least 0", "from 0 to 1", "")
    assert parse_value(EARNS, "0") == Decimal(0)
    assert (parse_value(RATE, "0"), parse_value(RATE, "1")) == (Decimal(0), Decimal(1))
    assert parse_value(PRICES, "0/5") == (Decimal(0), Decimal(5))
    assert parse_value(EARNS, UNKNOWN) is UNKNOWN  # no number: not the range's to judge


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (EARNS, "-0.01", "demo.coin_usd: '-0.01' must be at least 0 (USD/coin)"),
        (RATE, "1.5", "demo.rate: '1.5' must be from 0 to 1 (fraction)"),
        (RATE, "-0.1", "demo.rate: '-0.1' must be from 0 to 1 (fraction)"),
        (PRICES, "0.99/-4.99", "demo.prices: '0.99/-4.99' must each be at least 0 (USD)"),
    ],
)
def test_a_value_outside_the_range_is_a_setting_error_naming_it(setting, value, message):
    with pytest.raises(SettingError) as raised:
        parse_value(setting, value)
    assert str(raised.value) == message
    with pytest.raises(SettingError, match=setting.key):
        check_overrides({setting.key: value}, [setting])


def test_a_value_given_in_code_outside_the_range_is_refused_when_read():
    # A Context made by hand is not checked on the way in: the value is refused when the plugin reads it.
    table = SettingTable(EARNS)
    with pytest.raises(SettingError) as raised:
        table("demo.coin_usd", Context(settings={"demo.coin_usd": Decimal(-1)}), None)
    assert str(raised.value) == "demo.coin_usd: -1 must be at least 0 (USD/coin)"
    assert table("demo.coin_usd", Context(settings={"demo.coin_usd": Decimal(0)}), None).value == Decimal(0)


def test_a_default_or_rule_outside_its_own_range_is_refused_when_declared():
    with pytest.raises(ValueError, match=r"Setting demo.rate: its default Decimal\('2'\) must be from 0 to 1"):
        Setting("demo.rate", Decimal(2), "fraction", "a rate", OLD, minimum=0, maximum=1)
    with pytest.raises(ValueError, match="its rule from 2025-01-01"):
        Setting(
            "demo.rate", Decimal(0), "fraction", "a rate", OLD, minimum=0, maximum=1,
            history=(Rule(dt.date(2025, 1, 1), Decimal("-0.5"), NEW),),
        )
