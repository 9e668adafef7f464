"""The gift catalogues: the coin price of one gift, by TikTok's gift id first, by its name second.

Two catalogues are bundled, each with its source and date:

- ``data/gift_ids.json``: gift id -> name -> coins, 681 gifts from TikTokLiveJava's generated ``Gift`` enum
  (commit c23faffc, 2024-01-05, MIT), itself merged from TikTok's own ``gift/list`` responses;
- ``data/gift_catalogue.json``: coins by gift name, the community catalogue of platform-rules.md part 1b
  (rqinix/TNTCoin, 2024-07-23).

A user's file (setting ``tiktok.catalogue``) adds gifts and overrides prices. It is a JSON object
``{"Gift name": coins, ...}``, or ``{"gifts": ..., "source": {"title": ..., "url": ..., "as_of": ...},
"notes": {...}}`` whose ``gifts`` is either such an object of names or a list of entries
``{"id": 11046, "name": "Galaxy", "coins": 1000}`` like ``gift_ids.json``: an entry with an ``id`` is
found by that id (its ``name`` is what the gift is called), one without by its ``name``. A name is
found exactly, else case-insensitively when only one gift matches (TikTok has both "Love you" and
"Love You").
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
from livemoney import Source

DATA = Path(__file__).parent / "data" / "gift_catalogue.json"
IDS = Path(__file__).parent / "data" / "gift_ids.json"


class CatalogueError(ValueError):
    """A catalogue file cannot be read; the message names the file and the problem."""


@attrs.frozen(slots=True)
class Price:
    """The coin price of one gift, where it comes from, and any cross-check worth showing."""

    coins: Decimal
    source: Source
    note: str | None = None
    gift_id: str | None = None
    """The gift id it was found by (``None``: found by name)."""
    name: str | None = None
    """The gift's name in the catalogue."""


@attrs.frozen(slots=True)
class Catalogue:
    """Gift prices in coins, by name and by gift id, from one source; ``notes`` by name or id."""

    gifts: dict[str, Decimal]
    source: Source
    notes: dict[str, str] = attrs.field(factory=dict)
    ids: dict[str, tuple[str | None, Decimal]] = attrs.field(factory=dict)
    """gift id -> (name, coins)."""

    def find(self, name: str) -> Price | None:
        """The price of the gift ``name``, or ``None`` when the catalogue does not have it (or not uniquely)."""
        found = name if name in self.gifts else None
        if found is None:
            folded = [known for known in self.gifts if known.casefold() == name.casefold()]
            found = folded[0] if len(folded) == 1 else None
        if found is None:
            return None
        return Price(self.gifts[found], self.source, self.notes.get(found), name=found)

    def find_id(self, gift_id: str) -> Price | None:
        """The price of the gift with id ``gift_id``, or ``None`` when the catalogue does not have it."""
        found = self.ids.get(gift_id)
        if found is None:
            return None
        name, coins = found
        return Price(coins, self.source, self.notes.get(gift_id), gift_id=gift_id, name=name)


def _coins(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise CatalogueError(f"{where}: {value!r} is not a whole number of coins")
    try:
        coins = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise CatalogueError(f"{where}: {value!r} is not a whole number of coins") from None
    if not coins.is_finite() or coins < 0 or coins != coins.to_integral_value():
        raise CatalogueError(f"{where}: {value!r} is not a whole number of coins")
    return coins


def _gift_id(value: Any, where: str) -> str:
    if isinstance(value, str) and value.strip().isdigit() and int(value.strip()) > 0:
        return str(int(value.strip()))
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    raise CatalogueError(f"{where}: id {value!r} is not a gift id (a positive whole number)")


def _entries(entries: list, name: str) -> tuple[dict[str, Decimal], dict[str, tuple[str | None, Decimal]]]:
    """The list form of ``gifts``: ``{"id": ..., "name": ..., "coins": ...}`` entries."""
    by_name: dict[str, Decimal] = {}
    by_id: dict[str, tuple[str | None, Decimal]] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{name}: gifts[{number}]"
        if not isinstance(entry, dict) or "coins" not in entry or not ("id" in entry or "name" in entry):
            raise CatalogueError(f'{where}: not an entry {{"id": ..., "name": ..., "coins": ...}}')
        gift = entry.get("name")
        if gift is not None and (not isinstance(gift, str) or not gift.strip()):
            raise CatalogueError(f"{where}: name {gift!r} is not a gift name")
        gift = gift.strip() if gift is not None else None
        coins = _coins(entry["coins"], f"{where} ({gift or entry.get('id')})")
        if "id" in entry:
            gift_id = _gift_id(entry["id"], where)
            if gift_id in by_id:
                raise CatalogueError(f"{where}: id {gift_id} is listed twice")
            by_id[gift_id] = (gift, coins)
        else:
            by_name[gift] = coins
    return by_name, by_id


def parse(document: Any, name: str, default_source: Source) -> Catalogue:
    """A catalogue from a parsed JSON document; ``name`` (the file) is used in error messages."""
    if not isinstance(document, dict):
        raise CatalogueError(f"{name}: not a JSON object of gift names to coins")
    wrapped = "gifts" in document
    gifts = document["gifts"] if wrapped else document
    if not isinstance(gifts, (dict, list)) or (isinstance(gifts, list) and not wrapped):
        raise CatalogueError(f"{name}: gifts: not a JSON object of gift names to coins, nor a list of entries")
    source = default_source
    if wrapped and isinstance(document.get("source"), dict):
        fields = document["source"]
        try:
            source = Source(fields.get("title"), fields.get("url"), fields.get("as_of"))
        except (TypeError, ValueError) as error:
            raise CatalogueError(f"{name}: source: {error}") from None
    notes = document.get("notes", {}) if wrapped else {}
    if not isinstance(notes, dict) or not all(isinstance(text, str) for text in notes.values()):
        raise CatalogueError(f"{name}: notes: not a JSON object of gift names (or ids) to text")
    if isinstance(gifts, list):
        prices, ids = _entries(gifts, name)
    else:
        prices, ids = {str(gift): _coins(coins, f"{name}: {gift}") for gift, coins in gifts.items()}, {}
    return Catalogue(prices, source, dict(notes), ids)


@functools.cache
def bundled() -> Catalogue:
    """The community catalogue of prices by name shipped with the plugin."""
    document = json.loads(DATA.read_text(encoding="utf-8"), parse_float=Decimal)
    return parse(document, DATA.name, Source("livemoney-tiktok bundled catalogue", as_of="n.d."))


@functools.cache
def bundled_ids() -> Catalogue:
    """The catalogue of gifts by id shipped with the plugin (TikTokLiveJava's gift list, 2024-01-05)."""
    document = json.loads(IDS.read_text(encoding="utf-8"), parse_float=Decimal)
    return parse(document, IDS.name, Source("livemoney-tiktok bundled gift ids", as_of="n.d."))


def user_catalogue(path: Path) -> Catalogue:
    """The catalogue in the user's file at ``path`` (read again when the file changes)."""
    try:
        stat = path.stat()
    except OSError as error:
        raise CatalogueError(f"tiktok.catalogue: cannot read {path}: {error.strerror or error}") from None
    return _read(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int, size: int) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"tiktok.catalogue: cannot read {path}: {error}") from None
    try:
        document = json.loads(text, parse_float=Decimal)
    except ValueError as error:
        raise CatalogueError(f"tiktok.catalogue: {path} is not valid JSON: {error}") from None
    return parse(document, f"tiktok.catalogue: {path}", Source(f"your catalogue {path}", as_of="n.d."))
