"""The library functions over the plugins' descriptions: `platforms` (hook `livemoney_platform`),
`declared_settings` and `context` (hook `livemoney_settings`), on made-up platforms."""

from decimal import Decimal

import livemoney as lm
import pytest
from livemoney import Platform, Setting, Source, hookimpl
from livemoney.errors import SettingError, UnknownPlatform
from livemoney.testing import plugin_manager

MADE_UP = Source("made up for the tests", as_of="2026-10-01")


class Second:
    @hookimpl
    def livemoney_platform(self):
        return Platform("second", "Second Live", ("gems",), False, "Yes (Gems)", (MADE_UP,), rank=2)

    @hookimpl
    def livemoney_settings(self):
        return [
            Setting("second.gem_usd", Decimal("0.01"), "USD/gem", "what the creator earns per gem", MADE_UP),
            Setting("second.purchase_channel", "app", "channel", "where viewers buy", MADE_UP, choices=("app", "web")),
        ]


class First:
    @hookimpl
    def livemoney_platform(self):
        return Platform("first", "First Live", (), True, "No", (MADE_UP,), rank=1)


class NoPlatform:
    """A plugin that adds no platform (an agency's commission): it does not describe one."""

    @hookimpl
    def livemoney_settings(self):
        return [Setting("agency.rate", Decimal("0.2"), "fraction", "the agency's share", MADE_UP)]


def test_hook_livemoney_platform():
    pm = plugin_manager(Second(), First(), NoPlatform())
    # by rank, then key: the seed table's order for the built-ins
    assert [(p.key, p.name, p.likes_revenue, p.gifts_donations) for p in lm.platforms(pm)] == [
        ("first", "First Live", "Yes", "No"),
        ("second", "Second Live", "None", "Yes (Gems)"),
    ]
    with pytest.raises(UnknownPlatform, match=r"unknown platform 'third'; known platforms: first, second"):
        lm.declared_settings(pm, platform="third")


def test_hook_livemoney_settings():
    pm = plugin_manager(Second(), First(), NoPlatform())
    assert [s.key for s in lm.declared_settings(pm)] == ["agency.rate", "second.gem_usd", "second.purchase_channel"]
    assert [s.key for s in lm.declared_settings(pm, platform="second")] == ["second.gem_usd", "second.purchase_channel"]
    # a user's override is checked against the declarations and converted to the default's type
    context = lm.context(settings={"second.gem_usd": "0.012", "second.purchase_channel": "web"}, pm=pm)
    assert context.settings == {"second.gem_usd": Decimal("0.012"), "second.purchase_channel": "web"}
    with pytest.raises(SettingError, match=r"second.purchase_channel: 'shop' must be one of app, web"):
        lm.context(settings={"second.purchase_channel": "shop"}, pm=pm)
    with pytest.raises(SettingError, match=r"unknown setting 'second.gem'; known settings: agency.rate, second"):
        lm.context(settings={"second.gem": "1"}, pm=pm)
