"""livemoney plugin for Instagram Live: Badges (paid hearts) and Gifts (Stars); free hearts earn nothing.

The figures and their sources are in `rules`, the valuations in `value`, the readers (the badge file,
Graph API comments) in `readers`. ``PLUGIN`` answers livemoney's hooks for Instagram (the kit's
`PlatformPlugin`); the entry point ``instagram`` names it.
"""

from __future__ import annotations

from livemoney.kit import PlatformPlugin

from livemoney_instagram import value
from livemoney_instagram.readers import READERS
from livemoney_instagram.rules import PLATFORM, SETTINGS

PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)
