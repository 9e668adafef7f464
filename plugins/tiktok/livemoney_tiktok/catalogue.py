"""The gift catalogue: the coin price of one gift, by TikTok's gift name.

The bundled catalogue (``data/gift_catalogue.json``) is the community catalogue of platform-rules.md
part 1b, with its source. A user's file (setting ``tiktok.catalogue``) adds gifts and overrides prices:
a JSON object ``{"Gift name": coins, ...}``, or ``{"gifts": {...}, "source": {"title": ..., "url": ...,
"as_of": ...}}`` like the bundled file. A name is found exactly, else case-insensitively when only one
gift matches (TikTok has both "Love you" and "Love You").
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


class CatalogueError(ValueError):
    """A catalogue file cannot be read; the message names the file and the problem."""


@attrs.frozen(slots=True)
class Price:
    """The coin price of one gift, where it comes from, and any cross-check worth showing."""

    coins: Decimal
    source: Source
    note: str | None = None


@attrs.frozen(slots=True)
class Catalogue:
    """Gift prices in coins, by name, from one source."""

    gifts: dict[str, Decimal]
    source: Source
    notes: dict[str, str] = attrs.field(factory=dict)

    def find(self, name: str) -> Price | None:
        """The price of the gift ``name``, or ``None`` when the catalogue does not have it (or not uniquely)."""
        found = name if name in self.gifts else None
        if found is None:
            folded = [known for known in self.gifts if known.casefold() == name.casefold()]
            found = folded[0] if len(folded) == 1 else None
        if found is None:
            return None
        return Price(self.gifts[found], self.source, self.notes.get(found))


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


def parse(document: Any, name: str, default_source: Source) -> Catalogue:
    """A catalogue from a parsed JSON document; ``name`` (the file) is used in error messages."""
    if not isinstance(document, dict):
        raise CatalogueError(f"{name}: not a JSON object of gift names to coins")
    wrapped = "gifts" in document
    gifts = document["gifts"] if wrapped else document
    if not isinstance(gifts, dict):
        raise CatalogueError(f"{name}: gifts: not a JSON object of gift names to coins")
    source = default_source
    if wrapped and isinstance(document.get("source"), dict):
        fields = document["source"]
        try:
            source = Source(fields.get("title"), fields.get("url"), fields.get("as_of"))
        except (TypeError, ValueError) as error:
            raise CatalogueError(f"{name}: source: {error}") from None
    notes = document.get("notes", {}) if wrapped else {}
    if not isinstance(notes, dict) or not all(isinstance(text, str) for text in notes.values()):
        raise CatalogueError(f"{name}: notes: not a JSON object of gift names to text")
    prices = {str(gift): _coins(coins, f"{name}: {gift}") for gift, coins in gifts.items()}
    return Catalogue(prices, source, dict(notes))


@functools.cache
def bundled() -> Catalogue:
    """The community catalogue shipped with the plugin."""
    document = json.loads(DATA.read_text(encoding="utf-8"), parse_float=Decimal)
    return parse(document, DATA.name, Source("livemoney-tiktok bundled catalogue", as_of="n.d."))


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
