"""livemoney plugin for TikTok LIVE: gifts bought with coins (the creator earns diamonds, 0.005 USD each),
LIVE subscriptions, TikTok Shop sales. Likes earn nothing.

The figures and the gift catalogues are in `rules`, the valuations in `value`; the readers of TikTokLive
and TikTok-Live-Connector logs in `readers` (records in `readers.webcast`, streaks in `readers.streaks`),
and an adapter for TikTokLive's own event objects in `live`. ``PLUGIN`` answers livemoney's hooks for
TikTok (the kit's `PlatformPlugin`); the entry point ``tiktok`` names it.
"""

from __future__ import annotations

from livemoney.kit import PlatformPlugin

from livemoney_tiktok import value
from livemoney_tiktok.readers import READERS
from livemoney_tiktok.rules import PLATFORM, SETTINGS

PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)
