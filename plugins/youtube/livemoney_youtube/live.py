"""Live YouTube chat through pytchat (``pip install livemoney-youtube[live]``): its chat objects → events.

    import pytchat
    from livemoney_youtube.live import PytchatFeed

    chat = pytchat.create(video_id="...")
    feed = PytchatFeed()
    while chat.is_alive():
        for event in feed.feed(chat.get().sync_items()):
            ...                # an Event, a Skipped (a chat message: no money) or a Rejected with its reason

Only attributes are read (``type``, ``id``, ``timestamp``, ``amountString``, ``message``,
``author.name``, ``author.channelId``), so pytchat itself is not imported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from livemoney import Event, Rejected
from livemoney.kit import Skipped

from livemoney_youtube.readers import pytchat_items

FIELDS = ("type", "id", "timestamp", "amountString", "currency", "message")


def to_record(item: Any) -> dict[str, Any]:
    """A pytchat chat object as the dict ``c.json()`` writes (the fields livemoney reads)."""
    record = {name: getattr(item, name, None) for name in FIELDS}
    author = getattr(item, "author", None)
    record["author"] = {"name": getattr(author, "name", None), "channelId": getattr(author, "channelId", None)}
    return record


class PytchatFeed:
    """Feeds pytchat chat objects, one batch at a time, to the pytchat reader's decoder."""

    def __init__(self, source: str = "pytchat") -> None:
        self._decoder = pytchat_items.make_decoder(source)
        self._count = 0

    def feed(self, items: Iterable[Any]) -> list[Event | Skipped | Rejected]:
        """What each item of a batch is: an event, a `Skipped` record or a `Rejected` one (repeats are
        the host's to find: give the events to `livemoney.LiveTally` or `livemoney.value`)."""
        out: list[Event | Skipped | Rejected] = []
        for item in items:
            self._count += 1
            out.extend(self._decoder.feed(to_record(item), self._count))
        return out


def events(items: Iterable[Any], source: str = "pytchat") -> Iterator[Event | Skipped | Rejected]:
    """The events of a finite run of pytchat chat objects (pytchat holds no tickers: nothing waits)."""
    yield from PytchatFeed(source).feed(items)
