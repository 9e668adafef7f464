"""The decoder every YouTube reader shares: one event per message id, ticker copies held back.

YouTube sends a paid message twice when tickers are captured: the chat item and a ticker copy with the
same id (sometimes showing another amount). The decoder counts the chat item; it holds each ticker
until ``flush`` and emits it only if its id never came as a chat item (the paid message was sent
before the capture began). Replays and overlapping polls repeat ids; each id counts once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

import attrs
from livemoney import Event, Rejected
from livemoney.records import FieldError, get, timestamp

TICKER_WAIT = dt.timedelta(seconds=60)
"""On a live feed, how long after its message time a ticker waits for its chat item before it counts."""


class Found(NamedTuple):
    """A paid item in a record: its message id, whether it is a ticker copy, and how to build its event.

    A ticker copy always has an id (the formats reject one without).
    """

    id: str | None
    ticker: bool
    build: Callable[[], Event]


Split = Callable[[Any], Iterator[tuple[str, Any]]]
"""Yields ``(path, item)`` for each item of a record (a response holds many chat actions)."""

Decode = Callable[[Any], Found | None]
"""The paid item in one item, or ``None`` for anything that carries no money (a text message)."""


def raw_text(item: Any) -> str:
    """One item as compact JSON, for a rejected record's raw text."""
    return json.dumps(item, ensure_ascii=False, default=str, separators=(",", ":"))


class ChatDecoder:
    """A `livemoney.models.Decoder` built from a format's ``split`` and ``decode``."""

    def __init__(self, source: str, split: Split, decode: Decode) -> None:
        self._source = source
        self._split = split
        self._decode = decode
        self._seen: set[str] = set()
        self._tickers: dict[str, Event | Rejected] = {}

    def feed(self, record: Any, line: int) -> list[Event | Rejected]:
        out: list[Event | Rejected] = []
        for path, item in self._split(record):
            try:
                found = self._decode(item)
            except FieldError as error:
                out.append(self._rejected(line, path, error, item))
                continue
            if found is None or found.id in self._seen:
                continue
            try:
                outcome: Event | Rejected = attrs.evolve(found.build(), source=f"{self._source}:{line}")
            except FieldError as error:
                outcome = self._rejected(line, path, error, item)
            if found.id is None:
                out.append(outcome)
            elif found.ticker:
                self._tickers.setdefault(found.id, outcome)
            else:
                self._seen.add(found.id)
                self._tickers.pop(found.id, None)
                out.append(outcome)
        return out

    def flush(self, now: dt.datetime | None = None) -> Iterable[Event | Rejected]:
        """Ticker copies whose chat item never came: all at the end, or those older than `TICKER_WAIT`."""
        due = [key for key, outcome in self._tickers.items() if now is None or _expired(outcome, now)]
        out = []
        for key in due:
            self._seen.add(key)
            out.append(self._tickers.pop(key))
        return out

    def _rejected(self, line: int, path: str, error: FieldError, item: Any) -> Rejected:
        return Rejected(self._source, line, f"{path}{error.field}", error.problem, raw_text(item))


def _expired(outcome: Event | Rejected, now: dt.datetime) -> bool:
    return isinstance(outcome, Event) and outcome.ts is not None and outcome.ts + TICKER_WAIT <= now


def single(record: Any) -> Iterator[tuple[str, Any]]:
    """A record that is one item."""
    yield "", record


def need(record: Any, path: str, prefix: str = "") -> Any:
    """``record``'s field at ``path``; missing → `FieldError` naming ``prefix + path``."""
    value = get(record, path)
    if value is None:
        raise FieldError(prefix + path, "missing")
    return value


def text_at(record: Any, path: str) -> str | None:
    """A non-empty string field, else ``None``."""
    value = get(record, path)
    return value if isinstance(value, str) and value.strip() else None


def time_at(record: Any, path: str, unit: str, prefix: str = "") -> dt.datetime | None:
    """An aware datetime from the field at ``path`` in ``unit`` (``None`` when absent)."""
    value = get(record, path)
    return None if value is None else timestamp(value, prefix + path, unit)


def runs_text(value: Any) -> str:
    """The text of a YouTube text object: ``{"simpleText": ...}`` or ``{"runs": [{"text": ...}, ...]}``."""
    if not isinstance(value, dict):
        return ""
    if isinstance(value.get("simpleText"), str):
        return value["simpleText"]
    runs = value.get("runs")
    if not isinstance(runs, list):
        return ""
    return "".join(run["text"] for run in runs if isinstance(run, dict) and isinstance(run.get("text"), str))
