"""The YouTube readers, one module a format: the Data API (`data_api`), chat-downloader (`chat_downloader`),
pytchat's items (`pytchat_items`), YouTube's own live chat (`innertube`). They share the decoding of chat
items (`decoding`: one outcome a record, ticker copies and Jewel combos), YouTube's wording of gifts and
donations (`wording`) and its displayed amounts (`currencies`)."""

from __future__ import annotations

from livemoney_youtube.readers import chat_downloader, data_api, innertube, pytchat_items

READERS = (data_api.READER, chat_downloader.READER, pytchat_items.READER, innertube.READER)
