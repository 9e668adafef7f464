"""livemoney.checks: what ``livemoney plugins --check`` and ``livemoney.testing.check_plugin`` report.

Each bad plugin below breaks one rule of a small good one (``Good``: a platform "good" whose tips earn
the creator 0.80 of what the viewer paid), and the test names the problem it must produce.
"""

from decimal import Decimal
from importlib.metadata import entry_points
from typing import ClassVar

import attrs
import pytest
from livemoney import (
    UNKNOWN,
    Donation,
    DonationFeature,
    LikeOutcome,
    Money,
    Platform,
    Reader,
    Setting,
    Share,
    Source,
    Valuation,
    hookimpl,
    unknown_valuation,
    valuation,
)
from livemoney.checks import Problem, check_installed, plugin_problems, valuation_problems
from livemoney.core.settings import SettingTable
from livemoney.pluginsys.manager import LoadedPlugin, LoadFailure, get_plugin_manager

KEY = "good"
PAGE = Source("Good Live help: creators keep 80% of tips", "https://example.org/good-tips", "2026-01")
SETTINGS = SettingTable(Setting("good.tip_share", Decimal("0.80"), "fraction", "the creator's share of a tip", PAGE))
SAMPLE = b'{"good_tip": "5.00"}\n'


def usd(amount):
    return Money(amount, "USD")


def sniff(head):
    return head.startswith(b'{"good_tip"')


def read(stream, source):
    for number, line in enumerate(stream, start=1):
        yield Donation(
            platform=KEY, feature="tips", amount=usd(line.split(b'"')[3].decode()), source=f"{source}:{number}"
        )


class Good:
    """A small platform plugin that passes every check."""

    @hookimpl
    def livemoney_platform(self):
        return Platform(KEY, "Good Live", ("USD",), False, "Yes (Tips)", (PAGE,))

    @hookimpl
    def livemoney_settings(self):
        return SETTINGS.declared()

    @hookimpl
    def livemoney_donation_features(self, platform, context):
        if platform != KEY:
            return None
        return [DonationFeature("tips", "Tips", "tip", "yes", Decimal("0.80"), source=PAGE)]

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        if platform != KEY:
            return None
        share = SETTINGS("good.tip_share", context, None)
        return valuation(
            platform=KEY,
            kind="donation",
            event=donation,
            context=context,
            gross=donation.amount,
            net=donation.amount * share.value,
            residual="Good Live",
            explain=[f"the creator keeps {share.cite()}"],
        )

    @hookimpl
    def livemoney_handle_like(self, platform, like, context):
        if platform != KEY:
            return None
        return LikeOutcome(KEY, like.count, Money.zero(context.currency), "likes earn nothing")

    @hookimpl
    def livemoney_readers(self):
        return [Reader("good-tips", KEY, "Good Live tips, one JSON line each", sniff, read, samples=[SAMPLE])]


def test_a_good_plugin_has_no_problem():
    assert plugin_problems(Good()) == []


class Typo(Good):
    @hookimpl
    def livemoney_value_gifts(self, platform, gift, context):
        return None


class Unmarked(Good):
    def livemoney_handle_like(self, platform, like, context):
        return None


class WrongArgument(Good):
    @hookimpl
    def livemoney_value_donation(self, platform, donation, ctx):
        return None


def test_hooks_that_do_not_match_the_specs():
    typo = plugin_problems(Typo())
    assert typo[0] == "livemoney_value_gifts is not a livemoney hook (did you mean livemoney_value_gift?)"
    assert typo[1].startswith("its hooks do not match livemoney's hookspecs: unknown hook 'livemoney_value_gifts'")
    unmarked = plugin_problems(Unmarked())
    assert unmarked[0] == "livemoney_handle_like is not marked with @hookimpl: livemoney never calls it"
    # Without its likes hook, the plugin's own likes cannot be valued (livemoney compare values them).
    assert "valuing 1000 likes gave None: livemoney_handle_like must answer for its own platform good" in unmarked
    (wrong,) = plugin_problems(WrongArgument())
    assert wrong.startswith("its hooks do not match livemoney's hookspecs: Plugin 'good' for hook")
    assert "{'ctx'}" in wrong


UNDATED = Source("a page with no date", "https://example.org/undated")


class Undated(Good):
    @hookimpl
    def livemoney_settings(self):
        return [
            Setting("good.tip_share", Decimal("0.80"), "fraction", "the creator's share", UNDATED),
            Setting("good.unknown_fee", UNKNOWN, "fraction", "a fee no source gives", UNDATED),
            Setting("other.rate", Decimal(1), "", "", PAGE),
        ]

    @hookimpl
    def livemoney_platform(self):
        return Platform("good", "Good Live", (), False, "Yes (Tips)", (UNDATED,))


def test_settings_and_platform_need_dated_sources_and_their_own_keys():
    assert plugin_problems(Undated()) == [
        (
            "setting good.tip_share: its source 'a page with no date' has no as-of date "
            "(as_of='n.d.' when the source shows none)"
        ),
        "setting other.rate has no description",
        "setting other.rate has no unit",
        "platform good: its source 'a page with no date' has no as-of date (as_of='n.d.' when the source shows none)",
        "setting keys must start with 'good.': other.rate",
    ]


class Greedy(Good):
    """Values tips of every platform: it forgot ``if platform != KEY: return None``."""

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        return unknown_valuation(platform=platform, kind="donation", event=donation, context=context, reason="x")


def test_a_platform_plugin_answers_for_its_platform_only():
    assert plugin_problems(Greedy()) == [
        "livemoney_value_donation answered for platform 'someotherplatform': it must return None for other platforms"
    ]


class Leaky(Good):
    """A float in the units, and a cut with no source in explain."""

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        if platform != KEY:
            return None
        return Valuation(
            KEY, "donation", usd("100.00"), (Share("Good Live", usd("20.00")),), usd("80.00"), units={"tips": 1.0}
        )


def test_what_the_plugin_values_keeps_the_invariants():
    assert plugin_problems(Leaky()) == [
        "valuing a donation (tips, 100 USD): valuation.units['tips'] is a float",
        "valuing a donation (tips, 100 USD): someone takes a cut but explain cites no source ([title, as-of <url>])",
        "valuing a donation (tips, 5.00 USD): valuation.units['tips'] is a float",
        "valuing a donation (tips, 5.00 USD): someone takes a cut but explain cites no source ([title, as-of <url>])",
    ]


def broken_sniff(head):
    raise ValueError("boom")


class Readers(Good):
    # the samples of a release before Reader.samples: no longer read, so no longer a proof
    READER_SAMPLES: ClassVar = {"good-tips": SAMPLE}

    @hookimpl
    def livemoney_readers(self):
        return [
            Reader("good-tips", KEY, "tips", sniff, read, samples=[b"not tips\n"]),
            Reader("good-other", KEY, "claims everything", lambda head: True, read, samples=[SAMPLE]),
            Reader("good-broken", "tiktok", "raises", broken_sniff, read),
        ]


def test_readers_sniff_their_own_sample_and_no_other():
    problems = plugin_problems(Readers())
    assert problems[:5] == [
        "reader good-other: sniff claims an empty file",
        "reader good-broken reads platform 'tiktok', not its plugin's 'good'",
        "reader good-broken: sniff raised ValueError on the head b'': boom",
        "reader good-tips does not recognise its own sample (sniff returned False)",
        "reader good-tips: its sample is also recognised by reader(s) good-other",
    ]
    assert "reader good-other: its sample is also recognised by reader(s) good-tips" in problems
    assert "READER_SAMPLES is not read any more: give each reader its samples (Reader(samples=...))" in problems


class Shadow:
    """Not a platform plugin, but it declares a setting and a reader that Good already declares."""

    @hookimpl
    def livemoney_settings(self):
        return SETTINGS.declared()

    @hookimpl
    def livemoney_readers(self):
        return [Reader("good-tips", None, "the same name", lambda head: False, read)]


def test_check_installed_names_each_plugin_and_finds_what_two_plugins_both_declare():
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(Good(), name="goodlive")
    pm.register(Shadow(), name="shadow")
    pm.loaded += [
        LoadedPlugin("goodlive", "livemoney-good", "1.0"),
        LoadedPlugin("shadow", "shadow", "1.0"),
    ]
    pm.failures.append(LoadFailure("broken", "livemoney-broken", "0.1.0", "ImportError: nope", ""))
    problems = check_installed(pm)
    assert [str(problem) for problem in problems] == [
        "plugin 'broken' (distribution livemoney-broken): failed to load: ImportError: nope",
        (
            "plugin 'goodlive' (distribution livemoney-good): platform key 'good' differs from its entry-point name "
            "'goodlive'"
        ),
        "plugin 'shadow' (distribution shadow): setting good.tip_share is also declared by plugin 'goodlive'",
        "plugin 'shadow' (distribution shadow): reader good-tips is also declared by plugin 'goodlive'",
    ]
    assert problems[0] == Problem("broken", "livemoney-broken", "failed to load: ImportError: nope")


@pytest.mark.parametrize("name", sorted({ep.name for ep in entry_points(group="livemoney")}))
def test_every_installed_plugin_passes(name):
    pm = get_plugin_manager()
    assert [str(problem) for problem in check_installed(pm) if problem.plugin == name] == []


# --- one valuation --------------------------------------------------------------------------------


def test_a_valuation_in_a_unit_or_past_ten_decimal_places_is_reported():
    half_cent = Valuation(KEY, "gift", Money("1.005", "USD"), (), Money("1.005", "USD"))
    assert valuation_problems(half_cent) == []  # exact below the cent: what valuations keep
    raw = Valuation(KEY, "gift", Money("1.00000000005", "USD"), (), Money("1.00000000005", "USD"))
    assert valuation_problems(raw) == [
        "gross 1.00000000005 USD has more than 10 decimal places",
        "net 1.00000000005 USD has more than 10 decimal places",
    ]
    coins = Valuation(KEY, "gift", Money(5, "coins"), (), Money(5, "coins"))
    assert valuation_problems(coins, "USD") == ["gross is in coins, not USD", "net is in coins, not USD"]
    yen = Valuation(KEY, "gift", Money(500, "JPY"), (), Money(500, "JPY"))
    assert valuation_problems(yen, "JPY") == []


def test_an_unknown_valuation_must_say_why():
    silent = Valuation(KEY, "gift", usd("0.00"), (), usd("0.00"), unknown=True, reason=" ")
    assert valuation_problems(silent) == ["it is unknown but gives no reason"]


def test_a_float_in_the_event_is_found_by_walking_attrs_fields():
    event = Donation(platform=KEY, feature="tips", amount=usd("1.00"))
    leaked = attrs.evolve(Valuation(KEY, "donation", usd("1.00"), (), usd("1.00"), event=event), units={"n": [0.5]})
    assert valuation_problems(leaked) == ["valuation.units['n'][0] is a float"]
