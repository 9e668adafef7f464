"""The Instagram readers, one module a format: the badge file a creator fills in (`badges_csv`) and Graph
API comments (`graph_comments`). Each is detected from a file's first line or record."""

from __future__ import annotations

from livemoney_instagram.readers import badges_csv, graph_comments

READERS = (badges_csv.READER, graph_comments.READER)
