"""The TikTok readers, one module a format: TikTokLive's logs (`tiktoklive`) and TikTok-Live-Connector's
or TikFinity's (`connector`). Both read TikTok's webcast messages (`webcast`: what a record is and holds)
with one decoder (`streaks`: each gift streak counted once, every record accounted for)."""

from __future__ import annotations

from livemoney_tiktok.readers import connector, tiktoklive

READERS = (tiktoklive.READER, connector.READER)
