"""What the Facebook readers read alike: the outcome of a record, its raw text, whole numbers."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from livemoney.kit import Event, FieldError, Rejected, Skipped

COMMENT = "comment"
"""The kind of a comment, which carries no money."""

Item = Event | Skipped | Rejected
"""What a decoder gives for a record: an event, a `Skipped` record or a `Rejected` one."""


def raw(record: Any) -> str:
    """A record as JSON text, for a rejected record."""
    return json.dumps(record, ensure_ascii=False, default=str)


def whole(value: Any, field: str, least: int, most: int | Decimal | None = None) -> int:
    """A whole number of at least ``least`` (and at most ``most``) from an int, an integral Decimal or a string of
    ASCII digits (grouped by commas or not)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]+", value.strip()):
        value = int(value.strip().replace(",", ""))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise FieldError(field, f"{value!r} is not a whole number of at least {least}")
    if most is not None and value > most:
        raise FieldError(field, f"{value} is out of range (at most {most:,})")
    return value
