"""livemoney plugin for Facebook Live: Stars (0.01 USD each to the creator); likes earn nothing.

The figures and their sources are in `rules`, the valuations in `value`, the readers (chat-downloader
Stars, live reaction totals, Graph API comments) in `readers`. ``PLUGIN`` answers livemoney's hooks for
Facebook (the kit's `PlatformPlugin`); the entry point ``facebook`` names it.
"""

from __future__ import annotations

from livemoney.kit import PlatformPlugin

from livemoney_facebook import value
from livemoney_facebook.readers import READERS
from livemoney_facebook.rules import PLATFORM, SETTINGS

PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)
