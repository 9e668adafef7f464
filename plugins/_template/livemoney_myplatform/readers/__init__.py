"""My Platform's readers, one module a format: its event log, JSON Lines (`jsonl`). A second format (an
API's responses, another capture tool's JSON) is a second module here, its ``READER`` added below."""

from __future__ import annotations

from livemoney_myplatform.readers import jsonl

READERS = (jsonl.READER,)
