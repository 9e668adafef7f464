"""The figures of My Platform, each a `Setting` with its `Source`, and the platform itself.

Until a source gives a figure it is ``UNKNOWN``, and every valuation that needs it says unknown, with
the reason, instead of inventing one. To make the platform real: cite the sources, set the defaults and
the wording of ``PLATFORM``. A figure that changed on a date is a `Setting` with a ``history`` of dated
`Rule`s: each valuation uses the rule in force on the event's date.

Tokens are units bought in packs, a rule the kit says once (`UnitsInPacks`, as Stars on Facebook and
Instagram): the viewer pays the pack price, the creator earns a fixed amount a token, My Platform keeps
the rest. Its two figures are settings the kit names: ``myplatform.token_usd`` (USD the creator earns a
token) and ``myplatform.token_pack`` (``UNITS/PRICE_USD`` of a pack, e.g. ``100/1.40``). A rule of the
platform's own (a share of a sale, a gift catalogue) is a `Setting` of its own here.
"""

from __future__ import annotations

from livemoney.kit import UNKNOWN, Platform, SettingTable, Source, UnitsInPacks

KEY = "myplatform"
NAME = "My Platform"
UNIT = "tokens"
NO_SOURCE = Source("no source found yet for My Platform: replace with the page that gives the figure", as_of="n.d.")
LIKES = f"no source says likes earn money on {NAME}: counted as earning nothing"

TOKENS = UnitsInPacks(platform=KEY, unit=UNIT, one="Token", many="Tokens", keeper=NAME)
"""Tokens: bought in packs, the creator earns a fixed amount a token, My Platform keeps the rest."""

SETTINGS = SettingTable(*TOKENS.settings(UNKNOWN, NO_SOURCE, UNKNOWN, NO_SOURCE))
"""``myplatform.token_usd`` and ``myplatform.token_pack``: unknown until a source gives them (replace
``UNKNOWN`` and ``NO_SOURCE`` with the figures and their pages, e.g. ``Decimal("0.01")``, and
``(Decimal(100), Decimal("1.40"))``)."""

PLATFORM = Platform(
    key=KEY, name=NAME, units=(UNIT,), likes_pay=False, gifts_donations="Unknown", sources=(NO_SOURCE,)
)
