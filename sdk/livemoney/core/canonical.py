"""The canonical event log: one event a line of JSON, amounts as decimal strings, times in UTC.

`canonical_dict` turns an `Event` into the dict the canonical reader reads back (CONTRACT.md, "Event
logs"); `canonical_line` is that dict as one line of JSON. ``source`` (file and line) is where an event
was read, not part of the event, so it is left out.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from livemoney.models import Event
from livemoney.money import Money, plain

_COMMON = tuple(field.name for field in attrs.fields(Event))


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def canonical_dict(event: Event) -> dict[str, Any]:
    """``event`` as a canonical log record: ``type`` and ``platform`` first, then the kind's fields.

    Fields left at their default (``None``, a count of 1, the role ``seller``) are left out: the reader
    puts them back. ``Money`` becomes ``amount`` (a decimal string) and ``currency``; ``ts`` is ISO-8601
    with ``Z``.
    """
    record: dict[str, Any] = {"type": event.kind, "platform": event.platform}
    fields = attrs.fields(type(event))
    own = [field for field in fields if field.name not in _COMMON]
    for field in (*own, *(field for field in fields if field.name in _COMMON)):
        name, value = field.name, getattr(event, field.name)
        if name in ("platform", "source") or value == field.default:
            continue
        if isinstance(value, Money):
            record[name] = plain(value)
            record["currency"] = value.currency
        elif isinstance(value, dt.datetime):
            record[name] = _timestamp(value)
        else:
            record[name] = value
    return record


def canonical_line(event: Event) -> str:
    """``event`` as one line of the canonical JSON Lines log (no newline)."""
    return json.dumps(canonical_dict(event), ensure_ascii=False)
