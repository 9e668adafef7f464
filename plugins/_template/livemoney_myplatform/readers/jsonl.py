"""The ``myplatform-jsonl`` reader: My Platform's event log, JSON Lines, one record a line.

Replace it with the platform's real capture format (its API's events, a capture tool's JSON). This
template's format names the kind of each record under the key ``myplatform``:

    {"myplatform": "tokens", "viewer": "v1", "tokens": 500, "id": "m1", "ts": "2026-11-01T20:00:05Z"}
    {"myplatform": "like", "viewer": "v2", "count": 3, "ts": "2026-11-01T20:00:09Z"}
    {"myplatform": "chat", "viewer": "v3", "text": "hi!", "ts": "2026-11-01T20:00:12Z"}

Every record the reader is fed comes out once, as one of three things (the host counts them:
``records = events + without money + not read + rejected``):

- an `Event` (tokens sent, likes);
- a `Skipped` record: ``"no money"`` for a kind the format documents as carrying none (a chat message,
  a join, a follow), or ``"not read"`` for a kind this reader does not know, named by the record's own
  kind (``"wave"``) so that the report says what was left unread and no money vanishes in silence;
- a `Rejected` record naming its line and field, for a record that is broken; the reader never raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from livemoney.kit import (
    NO_MONEY,
    NOT_READ,
    Donation,
    Event,
    FieldError,
    Like,
    Money,
    RecordDecoder,
    Rejected,
    Skipped,
    decoder_reader,
    loads,
    timestamp,
)

from livemoney_myplatform.rules import KEY, UNIT

WITHOUT_MONEY = ("chat", "join", "follow")
"""Kinds of record the format documents as carrying no money: counted, never valued."""
SAMPLE = (
    b'{"myplatform": "tokens", "viewer": "v1", "tokens": 500, "id": "m1", "ts": "2026-11-01T20:00:05Z"}\n'
    b'{"myplatform": "like", "viewer": "v2", "count": 3, "ts": "2026-11-01T20:00:09Z"}\n'
    b'{"myplatform": "chat", "viewer": "v3", "text": "hi!", "ts": "2026-11-01T20:00:12Z"}\n'
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
    common: dict[str, Any] = {
        "platform": KEY,
        "viewer": _text(record, "viewer"),
        "id": _text(record, "id"),
        "ts": None if when is None else timestamp(when, "ts"),
        "source": source,
    }
    if record[KEY] == UNIT:
        return Donation(feature=UNIT, amount=Money(_whole(record, UNIT), UNIT), **common)
    return Like(count=_whole(record, "count"), **common)


class Decoder(RecordDecoder):
    """One record in, one outcome out: its event, a `Skipped` or a `Rejected` record, on the record's
    line (an event's ``source`` is ``FILE:LINE``). Nothing is held between records (the kit's
    `RecordDecoder` keeps ``source`` and flushes nothing); a decoder that does hold one back (a streak
    until its last frame) implements `Decoder` itself and gives it back later, at the latest at
    ``flush(None)``.
    """

    def feed(self, record: Any, line: int) -> Iterator[Event | Skipped | Rejected]:
        raw = json.dumps(record, default=str, ensure_ascii=False)
        if not accepts(record):
            yield Rejected(self.source, line, KEY, f"missing: not a {KEY} record", raw)
            return
        kind = record[KEY]
        if kind in WITHOUT_MONEY:
            yield Skipped(self.source, line, kind, NO_MONEY)
            return
        if kind not in (UNIT, "like"):
            yield Skipped(self.source, line, kind, NOT_READ)
            return
        try:
            yield _event(record, f"{self.source}:{line}")
        except FieldError as error:
            yield Rejected(self.source, line, error.field, error.problem, raw)


READER = decoder_reader(
    name=f"{KEY}-jsonl", platform=KEY, sniff=sniff, decoder=Decoder, accepts=accepts, samples=[SAMPLE],
    description="My Platform's event log (JSON Lines): tokens sent and likes; chat carries no money",
)
