"""The figures of My Platform, each a `Setting` with its `Source`, and the platform itself.

Until a source gives a figure it is ``UNKNOWN``, and every valuation that needs it says unknown, with
the reason, instead of inventing one. To make the platform real: cite the sources, set the defaults and
the wording of ``PLATFORM``. A figure that changed on a date is a `Setting` with a ``history`` of dated
`Rule`s: each valuation uses the rule in force on the event's date.
"""

from __future__ import annotations

from livemoney.kit import UNKNOWN, Platform, Setting, SettingTable, Source

KEY = "myplatform"
NAME = "My Platform"
UNIT = "tokens"
NO_SOURCE = Source("no source found yet for My Platform: replace with the page that gives the figure", as_of="n.d.")
LIKES = f"no source says likes earn money on {NAME}: counted as earning nothing"

SETTINGS = SettingTable(
    Setting(f"{KEY}.token_usd", UNKNOWN, "USD/token", "what the creator earns per token received", NO_SOURCE),
    Setting(f"{KEY}.token_price_usd", UNKNOWN, "USD/token", "what a viewer pays for one token", NO_SOURCE),
)

PLATFORM = Platform(
    key=KEY, name=NAME, units=(UNIT,), likes_pay=False, gifts_donations="Unknown", sources=(NO_SOURCE,)
)
