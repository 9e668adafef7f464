"""Reader for My Platform's event log: JSON Lines, one event a line.

Replace it with the platform's real capture format (its API's events, a capture tool's JSON). This
template's format names the event under the key ``myplatform``:

    {"myplatform": "tokens", "viewer": "v1", "tokens": 500, "id": "m1", "ts": "2026-11-01T20:00:05Z"}
    {"myplatform": "like", "viewer": "v2", "count": 3, "ts": "2026-11-01T20:00:09Z"}

A bad record becomes a `Rejected` naming its line and field; the reader never raises for one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from livemoney import Donation, Event, Like, Money, Reader, Rejected
from livemoney.records import FieldError, loads, read_with_decoder, timestamp

KEY = "myplatform"
UNIT = "tokens"
SAMPLE = (
    b'{"myplatform": "tokens", "viewer": "v1", "tokens": 500, "id": "m1", "ts": "2026-11-01T20:00:05Z"}\n'
    b'{"myplatform": "like", "viewer": "v2", "count": 3, "ts": "2026-11-01T20:00:09Z"}\n'
)
"""A log in this format, for the tests and for ``livemoney plugins --check``."""


def accepts(record: Any) -> bool:
    """Whether one raw record (a dict) is of this format."""
    return isinstance(record, dict) and isinstance(record.get(KEY), str)


def sniff(head: bytes) -> bool:
    """Whether a file's first bytes are this format: its first line is a record of it."""
    for line in head.splitlines():
        if line.strip():
            try:
                return accepts(loads(line.removeprefix(b"\xef\xbb\xbf")))
            except ValueError:
                return False
    return False


def _whole(record: dict, field: str) -> int:
    value = record.get(field)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FieldError(field, "missing" if value is None else f"{value!r} is not a whole number of at least 1")
    return value


def _text(record: dict, field: str) -> str | None:
    value = record.get(field)
    if value is not None and not isinstance(value, str):
        raise FieldError(field, f"{value!r} is not a string")
    return value


def _event(record: dict, source: str) -> Event:
    when = record.get("ts")
    common = {
        "platform": KEY,
        "viewer": _text(record, "viewer"),
        "id": _text(record, "id"),
        "ts": None if when is None else timestamp(when, "ts"),
        "source": source,
    }
    kind = record[KEY]
    if kind == UNIT:
        return Donation(feature=UNIT, amount=Money(_whole(record, UNIT), UNIT), **common)
    if kind == "like":
        return Like(count=_whole(record, "count"), **common)
    raise FieldError(KEY, f"{kind!r} is not an event of this format ({UNIT}, like)")


class Decoder:
    """One record in, its event out (or a `Rejected`); nothing is held between records."""

    def __init__(self, source: str) -> None:
        self.source = source

    def feed(self, record: Any, line: int) -> Iterator[Event | Rejected]:
        raw = json.dumps(record, default=str, ensure_ascii=False)
        if not accepts(record):
            yield Rejected(self.source, line, KEY, f"missing: not a {KEY} event record", raw)
            return
        try:
            yield _event(record, f"{self.source}:{line}")
        except FieldError as error:
            yield Rejected(self.source, line, error.field, error.problem, raw)

    def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Rejected]:
        return ()


READERS = (
    Reader(
        name=f"{KEY}-jsonl",
        platform=KEY,
        description="My Platform's event log (JSON Lines): tokens sent and likes",
        sniff=sniff,
        read=read_with_decoder(Decoder),
        decoder=Decoder,
        accepts=accepts,
    ),
)
