"""Figures that YouTube gives only inside chat text (en-US wording, as capture tools request it).

Gifted memberships carry their count in the header ("Sent 5 Channel gift memberships", older
"Gifted 5 Channel memberships"); YouTube Giving announcements carry their amount in the text
("Anonymous donated $50.00").
"""

from __future__ import annotations

import re

from livemoney import Money
from livemoney.records import FieldError

from livemoney_youtube.currencies import parse_display

_GIFTED = re.compile(r"\b(?:gifted|sent)\s+(\d[\d,]*)\b", re.IGNORECASE)
_DONATED = re.compile(r"\bdonated\s+(\D*?\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)


def gift_count(text: str) -> int | None:
    """The number of memberships a gift announcement names, or ``None`` when the text names none."""
    match = _GIFTED.search(text)
    if match is None:
        return None
    count = int(match[1].replace(",", ""))
    return count or None


def require_gift_count(text: str, field: str) -> int:
    count = gift_count(text)
    if count is None:
        raise FieldError(field, f"no gifted membership count in {text!r}")
    return count


def donated_amount(text: str, field: str) -> Money | None:
    """The amount of "… donated $50.00 …", or ``None`` when the text gives none (an unknown prefix raises)."""
    match = _DONATED.search(text)
    return None if match is None else parse_display(match[1], field)
