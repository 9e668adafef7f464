"""The Facebook readers, one module a format: Stars in chat-downloader items (`chat_downloader`), reaction
totals (`live_reactions`), Graph API comments (`graph_comments`); what they read alike in `records`.

Every record comes out once: as an event, as a `Skipped` record (``"no money"``, or ``"not read"`` for a
kind of record this version does not know, named in the report) or as a `Rejected` one. Each is detected
from a file's first record.
"""

from __future__ import annotations

from livemoney_facebook.readers import chat_downloader, graph_comments, live_reactions

READERS = (chat_downloader.READER, live_reactions.READER, graph_comments.READER)
