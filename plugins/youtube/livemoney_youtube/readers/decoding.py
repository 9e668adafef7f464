"""The decoder every YouTube reader shares: each item of each record comes out once, as an `Event`, a
`Skipped` or a `Rejected`.

Repeats are the host's business (an event with a seen id and the same content is a duplicate; with
other content, an id conflict, both valued), so nothing is dropped here for its id. Two things need ids:

- **Ticker copies.** YouTube sends a paid message twice when tickers are captured: the chat item and a
  ticker copy with the same id (sometimes showing another amount: ￥846 for a ￥800 Super Chat). A
  ticker is a copy of a chat item with its id and, where both say, the same viewer and time (anonymised
  replays give many different messages one id). A copy counts nothing (``Skipped("ticker copy")``); a
  ticker whose chat item never came (sent before the capture began) is held and counts at `flush`. A
  chat item that comes after its ticker was already counted is a repeat (``Skipped(why="repeat")``).
- **Jewel gift combos** (Data API ``giftEvent``): "For giftEvents, the same ID may be reused to update
  the combo count". Each frame of a combo is held until a later frame replaces it; the last one counts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs
from livemoney import Donation, Event, Money, Rejected
from livemoney.kit import (
    MAX_AMOUNT,
    MAX_COUNT,
    NO_MONEY,
    REPEAT,
    FieldError,
    Recent,
    Skipped,
    get,
    skipped,
    timestamp,
    unchecked,
)

from livemoney_youtube.rules import KEY

TICKER_WAIT = dt.timedelta(seconds=60)
"""On a live feed, how long after its message time a ticker waits for its chat item before it counts."""
COMBO_WAIT = dt.timedelta(seconds=60)
"""On a live feed, how long a Jewel gift combo waits for a later frame before it counts (no source says
how long a combo lasts; frames come seconds apart)."""
TICKER_COPY = "ticker copy"
"""The kind of a ticker copy of a chat item that came: it carries no money of its own."""

Outcome = Event | Skipped | Rejected
"""What one item comes out as."""

Who = tuple[str | None, str | None]
"""A message's viewer and time as its record writes them, to tell a ticker's chat item among those
sharing its id (``None``: the record does not say)."""


class Skip(NamedTuple):
    """An item that is no event: ``kind`` in the format's own terms, ``why`` a `Skipped` reason."""

    kind: str
    why: str = NO_MONEY


class Found(NamedTuple):
    """An item that may carry money: its ``kind`` and ``id``, how to ``build`` its event (or a `Skip`),
    whether it is a ``ticker`` copy, ``who`` sent it and when, and a Jewel gift's ``combo`` count.

    ``build`` makes a new event each call: the decoder sets its ``source`` (file and line) in place."""

    kind: str
    id: str | None
    build: Callable[[], Event | Skip]
    ticker: bool = False
    who: Who = (None, None)
    combo: int | None = None


class Page(NamedTuple):
    """The items of a record that are the elements of one list at ``prefix`` (a poll's ``items``): the path of
    item ``i`` is ``f"{prefix}[{i}]."``, written only where it is needed (a rejected item, an event)."""

    prefix: str
    items: list[Any]


Split = Callable[[Any], "list[tuple[str, Any]] | Page | Skip"]
"""``(path, item)`` for each item of a record (a response holds many chat actions), or the `Page` they are
the elements of, or a `Skip` for a record that holds none (an empty poll); raises `FieldError` for a container
that is not a list."""

Decode = Callable[[Any], "Found | Skip"]
"""What one item is; raises `FieldError` for a malformed item."""


@attrs.define
class _Held:
    who: Who
    outcome: Outcome
    line: int
    combo: int = 0


_set = object.__setattr__
"""Sets the source of an event this decoder has just built (no one else holds it yet)."""


_donation = unchecked(Donation)
_skipped_at = unchecked(Skipped, "line")
"""A copy of a `Skipped` at another line: what `skipped` makes of the same file, kind and reason at that line
(``line`` has no converter or validator)."""


def donation(
    feature: str,
    id: str | None,
    viewer: str | None,
    ts: dt.datetime | None,
    amount: Money | None = None,
    count: int = 1,
    stream: str | None = None,
) -> Donation:
    """A YouTube `Donation` of what a reader read: ``id``, ``viewer`` and ``stream`` text or ``None`` (`text_at`),
    ``ts`` an aware time in livemoney's range or ``None`` (`time_at`, the kit's `timestamp`), ``feature`` a
    constant, ``amount`` a `Money`. Made without attrs' checks when the amount and the count are within
    livemoney's bounds (what the checks would find true: one in ten records of a chat is paid), else made and
    checked as usual (a count or amount out of range raises the checked class's `FieldError`)."""
    if (amount is None or 0 <= amount.amount <= MAX_AMOUNT) and count.__class__ is int and 1 <= count <= MAX_COUNT:
        made: Donation = _donation(
            platform=KEY, feature=feature, amount=amount, count=count, id=id, viewer=viewer, ts=ts, stream=stream
        )
        return made
    return Donation(
        platform=KEY, feature=feature, amount=amount, count=count, id=id, viewer=viewer, ts=ts, stream=stream
    )


def raw_text(item: Any) -> str:
    """One item as compact JSON, for a rejected record's raw text."""
    return json.dumps(item, ensure_ascii=False, default=str, separators=(",", ":"))


def _same(one: Who, other: Who) -> bool:
    """Whether two messages may be the same: viewer and time each equal, or not said by one of them."""
    viewer, time = one
    other_viewer, other_time = other
    return (viewer is None or other_viewer is None or viewer == other_viewer) and (
        time is None or other_time is None or time == other_time
    )


def _seen_same(who: Who, kept: Who | list[Who] | None) -> bool:
    """Whether ``who`` may be one of the paid messages kept under one id (`_seen`: none, one `Who`, or a list)."""
    if kept is None:
        return False
    if isinstance(kept, tuple):
        return _same(who, kept)
    return any(_same(who, each) for each in kept)


def _counted_same(who: Who, counted: tuple[Who, ...] | None) -> bool:
    """Whether ``who`` may be one of the tickers counted under one id (none, or a tuple of them)."""
    return counted is not None and any(_same(who, each) for each in counted)


class ChatDecoder:
    """A `livemoney.kit.Decoder` built from a format's ``split`` and ``decode``; ``tickers``: whether the format
    carries ticker copies (the Data API and pytchat do not: their paid messages need no remembering).
    ``kind_field`` and ``by_kind``: for a format of one-item records, the field naming an item's kind and the
    kinds that ``decode`` tells by that field alone as a `Skip` (a chat message), each with that `Skip`."""

    def __init__(
        self,
        source: str,
        split: Split,
        decode: Decode,
        tickers: bool = True,
        kind_field: str = "",
        by_kind: Mapping[str, Skip] | None = None,
    ) -> None:
        self._source = source
        self._split = split
        self._decode = decode
        self._with_tickers = tickers
        # A format of one-item records whose field ``kind_field`` names the item's kind may give `by_kind`: the
        # kinds that carry no money whatever else the item holds (a chat message), each with the `Skip` that
        # ``decode`` gives such an item. The first record of each comes out through ``decode``; the next ones
        # as copies of its `Skipped` at their own line (`_told`), without ``decode``'s call.
        self._kind_field = kind_field
        self._by_kind = by_kind or {}
        self._told: dict[str, Skipped] = {}
        # The paid messages seen, and the tickers counted, by id: the last `RECENT_MESSAGES` ids (a ticker's
        # copy comes within minutes; memory does not grow with the stream). A paid message seen is kept as its
        # `Who`, several sharing an id (an anonymised replay's) as a list of them (`_seen`).
        self._chat = Recent()
        self._counted = Recent()
        self._tickers: dict[str, list[_Held]] = {}
        self._combos: dict[str, _Held] = {}
        # The last `Skip` of a one-item record and the `Skipped` made of it: the next record of the same `Skip`
        # (most are chat messages) comes out as a copy of it at its own line.
        self._skip: Skip | None = None
        self._skipped: Skipped | None = None

    def feed(self, record: Any, line: int) -> list[Outcome]:
        if self._split is single:  # a record of one item (chat-downloader's, pytchat's): `_item` inline
            kind = record.get(self._kind_field) if record.__class__ is dict else None
            if kind.__class__ is str:
                told = self._told.get(kind)
                if told is not None:  # most records: a chat message, told by its kind alone
                    return [_skipped_at(told, line)]
            try:
                found = self._decode(record)
            except FieldError as error:
                return [self._rejected(line, "", error, record)]
            if found is self._skip:  # a record without money of the same kind as the record before
                return [_skipped_at(self._skipped, line)]
            if found.__class__ is Skip:
                one = skipped(self._source, line, found.kind, found.why)
                self._skip, self._skipped = found, one
                if kind.__class__ is str and self._by_kind.get(kind) is found:
                    self._told[kind] = one
                return [one]
            return self._found(found, "", record, line)  # type: ignore[arg-type]
        try:
            items = self._split(record)
        except FieldError as error:
            return [self._rejected(line, "", error, record)]
        if isinstance(items, Skip):
            return [skipped(self._source, line, items.kind, items.why)]
        prefix, listed = (items.prefix, enumerate(items.items)) if isinstance(items, Page) else (None, items)
        out: list[Outcome] = []
        decode, source = self._decode, self._source
        # The items of one record without money, by kind: a `Skipped` is immutable, and every item of a kind
        # comes out as an equal one (its file, line, kind and reason), so the first made serves the others.
        made: dict[Skip, Skipped] = {}
        last: Skip | None = None  # the `Skip` of the item before, and its `Skipped`: most items are alike
        shown: Skipped | None = None
        for where, item in listed:
            # most items carry no money: told at once (`_item` without its call)
            try:
                found = decode(item)
            except FieldError as error:
                out.append(self._rejected(line, _path(prefix, where), error, item))
                continue
            if found is last:
                out.append(shown)  # type: ignore[arg-type]
            elif found.__class__ is Skip:
                kept = made.get(found)
                if kept is None:
                    kept = made[found] = skipped(source, line, found.kind, found.why)
                last, shown = found, kept
                out.append(kept)
            else:
                out.extend(self._found(found, _path(prefix, where), item, line))  # type: ignore[arg-type]
        return out

    def flush(self, now: dt.datetime | None = None) -> Iterable[Outcome]:
        """What is held: everything at the end (``now`` ``None``), else tickers older than `TICKER_WAIT`
        and combos whose last frame is older than `COMBO_WAIT`."""
        out: list[Outcome] = []
        for key, waiting in list(self._tickers.items()):
            due = [held for held in waiting if _due(held, now, TICKER_WAIT)]
            for held in due:
                out.append(held.outcome)
                self._counted.put(key, (*self._counted.get(key, ()), held.who))
            left = [held for held in waiting if all(held is not each for each in due)]
            if left:
                self._tickers[key] = left
            else:
                del self._tickers[key]
        for key, held in list(self._combos.items()):
            if _due(held, now, COMBO_WAIT):
                out.append(held.outcome)
                del self._combos[key]
        return out

    # --- one item -----------------------------------------------------------------------------

    def _item(self, path: str, item: Any, line: int) -> list[Outcome]:
        try:
            found = self._decode(item)
        except FieldError as error:
            return [self._rejected(line, path, error, item)]
        if isinstance(found, Skip):
            return [skipped(self._source, line, found.kind, found.why)]
        return self._found(found, path, item, line)

    def _found(self, found: Found, path: str, item: Any, line: int) -> list[Outcome]:
        if found.ticker and found.id is not None:
            return self._ticker(found, path, item, line)
        outcome = self._build(found, path, item, line)
        if found.combo is not None and found.id is not None:
            return self._combo(found, outcome, line)
        if found.id is None or not self._with_tickers:
            # a paid message of a format without tickers: no copy will come to match it with
            return [outcome]
        return self._chat_item(found, outcome, line)

    def _build(self, found: Found, path: str, item: Any, line: int) -> Outcome:
        try:
            built = found.build()
        except FieldError as error:
            return self._rejected(line, path, error, item)
        if isinstance(built, Skip):
            return skipped(self._source, line, built.kind, built.why)
        # A new event (`Found`), of this line: its source set in place (attrs.evolve would check every field
        # again, for a copy).
        _set(built, "source", f"{self._source}:{line}")
        return built

    def _chat_item(self, found: Found, outcome: Outcome, line: int) -> list[Outcome]:
        key, who = found.id or "", found.who
        if _counted_same(who, self._counted.get(key)):
            return [skipped(self._source, line, found.kind, REPEAT)]
        seen = self._chat.get(key)
        self._chat.put(key, who if seen is None else [*_seen(seen), who])
        waiting = self._tickers.get(key)
        if not waiting:  # most paid messages: no ticker came before them
            return [outcome]
        copies = [held for held in waiting if _same(held.who, found.who)]
        if copies:
            self._tickers[key] = [held for held in waiting if all(held is not each for each in copies)]
        return [outcome, *(skipped(self._source, held.line, TICKER_COPY) for held in copies)]

    def _ticker(self, found: Found, path: str, item: Any, line: int) -> list[Outcome]:
        key, who = found.id or "", found.who
        # a copy of a chat item seen, of a ticker counted or of one held: its event is never built
        if _seen_same(who, self._chat.get(key)) or _counted_same(who, self._counted.get(key)):
            return [skipped(self._source, line, TICKER_COPY)]
        if any(_same(who, held.who) for held in self._tickers.get(key, ())):
            return [skipped(self._source, line, TICKER_COPY)]
        self._tickers.setdefault(key, []).append(_Held(found.who, self._build(found, path, item, line), line))
        return []

    def _combo(self, found: Found, outcome: Outcome, line: int) -> list[Outcome]:
        key, count = found.id or "", found.combo or 0
        held = self._combos.get(key)
        if held is None:
            self._combos[key] = _Held(found.who, outcome, line, count)
            return []
        if count == held.combo:
            return [skipped(self._source, line, found.kind, REPEAT)]
        frame = f"{found.kind} (a combo frame a later one counts)"
        if count < held.combo:
            return [outcome if isinstance(outcome, Rejected) else skipped(self._source, line, frame)]
        self._combos[key] = _Held(found.who, outcome, line, count)
        earlier = held.outcome
        return [earlier if isinstance(earlier, Rejected) else skipped(self._source, held.line, frame)]

    def _rejected(self, line: int, path: str, error: FieldError, item: Any) -> Rejected:
        return Rejected(self._source, line, f"{path}{error.field}", error.problem, raw_text(item))


def _seen(kept: Who | list[Who] | None) -> Sequence[Who]:
    """The messages `ChatDecoder` keeps under one id: none, one `Who`, or a list of them."""
    if kept is None:
        return ()
    return (kept,) if kept.__class__ is tuple else kept  # type: ignore[return-value]


def _path(prefix: str | None, where: int | str) -> str:
    """An item's path: ``where`` itself, or the path of element ``where`` of the `Page` at ``prefix``."""
    return str(where) if prefix is None else f"{prefix}[{where}]."


def _due(held: _Held, now: dt.datetime | None, wait: dt.timedelta) -> bool:
    if now is None:
        return True
    outcome = held.outcome
    return isinstance(outcome, Event) and outcome.ts is not None and outcome.ts + wait <= now


def single(record: Any) -> list[tuple[str, Any]]:
    """A record that is one item."""
    return [("", record)]


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


def text_of(value: Any) -> str | None:
    """``value`` if it is a non-empty string, else ``None``: `text_at` of a field already read."""
    return value if isinstance(value, str) and value.strip() else None


def raw_at(record: Any, path: str) -> str | None:
    """A field as text, whatever its JSON type (a time written as a string or a number), else ``None``."""
    value = get(record, path)
    return None if value is None or isinstance(value, (dict, list)) else str(value)


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
