"""livemoney plugin for YouTube Live: Super Chats and Super Stickers (70% after sales tax and iOS fees),
channel memberships (70%), Jewel gifts (Rubies, 0.01 USD each), YouTube Giving (all to the charity).
Likes earn nothing.

The figures and their sources are in `rules`, the valuations in `value`, the readers (the Data API,
chat-downloader, pytchat, YouTube's own live chat) in `readers`, and an adapter for pytchat's own chat
objects in `live`. ``PLUGIN`` answers livemoney's hooks for YouTube (the kit's `PlatformPlugin`); the
entry point ``youtube`` names it.
"""

from __future__ import annotations

from livemoney.kit import PlatformPlugin

from livemoney_youtube import value
from livemoney_youtube.readers import READERS
from livemoney_youtube.rules import PLATFORM, SETTINGS

PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)
