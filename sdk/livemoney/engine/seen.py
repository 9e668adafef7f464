"""Every event id seen in one run, exact, in bounded memory: the index behind duplicate detection.

    ids = SeenIds()
    ids.get("7137749190944230150")          # None, or what was put under that key
    ids.put("7137749190944230150", ("tiktok", 123))

The last `IDS_IN_MEMORY` keys put are in a dict; when it fills, its entries go to a private SQLite file
(`sqlite3.connect("")`: created in the temporary folder, deleted when closed) and the dict starts again.
A Bloom filter of the keys on disk (2 bytes a key: 16 bits, 4 probes, about 1 false alarm in 400) answers
"never seen" without touching the disk, so that new ids, the common case, cost one dict lookup and a few
bit tests; a key it may have seen is looked up in SQLite (an indexed primary key). Nothing is forgotten:
a repeat is caught however far apart the two events are, across every file of the run.

SQLite rather than DuckDB or a key-value store: it is in Python's standard library (no dependency, no
extra), its B-tree primary key is what a point lookup wants, and an empty file name gives a private
temporary database that cleans itself up.
"""

from __future__ import annotations

import sqlite3
from typing import Any

IDS_IN_MEMORY = 100_000
"""How many ids the index keeps in memory (about 20 MB) before it moves them to disk."""
_PROBES = 4
_BITS_PER_KEY = 16
_MASK = (1 << 64) - 1


def _columns(key: object) -> tuple[str, bytes]:
    """A key (an id, or a ``(platform, id)`` pair) as SQLite columns; ids as UTF-8 bytes (any string)."""
    if isinstance(key, tuple):
        platform, id_ = key
        return platform, id_.encode("utf-8", "surrogatepass")
    return "", str(key).encode("utf-8", "surrogatepass")


def _key(platform: str, id_: bytes) -> object:
    text = id_.decode("utf-8", "surrogatepass")
    return (platform, text) if platform else text


def _value(text: str) -> tuple[str, Any]:
    platform, _, prints = text.partition("\n")
    numbers = tuple(int(part) for part in prints.split(","))
    return platform, numbers[0] if len(numbers) == 1 else numbers


def _text(value: tuple[str, Any]) -> str:
    platform, prints = value
    written = ",".join(map(str, prints)) if isinstance(prints, tuple) else str(prints)
    return f"{platform}\n{written}"


class SeenIds:
    """A map of every key put in a run (see the module docstring): `get`, `put`, ``hot`` (the keys in
    memory, a dict the valuer's fast path reads directly) and `may_have` (whether a key may be on disk)."""

    def __init__(self, in_memory: int = IDS_IN_MEMORY) -> None:
        if in_memory < 1:
            raise ValueError(f"in_memory: {in_memory} must be at least 1")
        self.in_memory = in_memory
        self.hot: dict[object, tuple[str, Any]] = {}
        self.on_disk = 0
        """How many keys went to disk (at most how many it holds; 0: nothing spilled yet)."""
        self._db: sqlite3.Connection | None = None
        self._bits = bytearray()
        self._size = 0
        self._capacity = 0

    # --- the Bloom filter ------------------------------------------------------------------------

    def may_have(self, key: object) -> bool:
        """``False`` when ``key`` is surely not on disk; ``True`` when it may be (look it up)."""
        if not self.on_disk:
            return False
        code = hash(key) & _MASK
        step = (code >> 32) | 1
        size, bits = self._size, self._bits
        for probe in range(_PROBES):
            position = (code + probe * step) % size
            if not bits[position >> 3] & (1 << (position & 7)):
                return False
        return True

    def _mark(self, key: object) -> None:
        code = hash(key) & _MASK
        step = (code >> 32) | 1
        size, bits = self._size, self._bits
        for probe in range(_PROBES):
            position = (code + probe * step) % size
            bits[position >> 3] |= 1 << (position & 7)

    def _grow(self, needed: int) -> None:
        """A filter for at least ``needed`` keys, marked with every key on disk."""
        capacity = max(self._capacity, self.in_memory)
        while capacity < needed:
            capacity *= 2
        if capacity == self._capacity:
            return
        self._capacity = capacity
        self._size = capacity * _BITS_PER_KEY
        self._bits = bytearray(self._size // 8 + 1)
        if self._db is not None:
            for platform, id_ in self._db.execute("SELECT platform, id FROM ids"):
                self._mark(_key(platform, id_))

    # --- the map -----------------------------------------------------------------------------------

    def get(self, key: object) -> tuple[str, Any] | None:
        """What was last put under ``key``, or ``None``."""
        found = self.hot.get(key)
        if found is not None or not self.on_disk or not self.may_have(key):
            return found
        assert self._db is not None
        row = self._db.execute("SELECT value FROM ids WHERE platform = ? AND id = ?", _columns(key)).fetchone()
        return None if row is None else _value(row[0])

    def put(self, key: object, value: tuple[str, Any]) -> None:
        """Remember ``value`` under ``key`` (replacing what was there)."""
        self.hot[key] = value
        if len(self.hot) >= self.in_memory:
            self.spill()

    def spill(self) -> None:
        """Move the keys in memory to disk (one transaction), emptying ``hot`` in place."""
        if not self.hot:
            return
        if self._db is None:
            self._db = sqlite3.connect("")
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute(
                "CREATE TABLE ids (platform TEXT NOT NULL, id BLOB NOT NULL, value TEXT NOT NULL,"
                " PRIMARY KEY (platform, id)) WITHOUT ROWID"
            )
        rows = [(*_columns(key), _text(value)) for key, value in self.hot.items()]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO ids (platform, id, value) VALUES (?, ?, ?)", rows)
        self.on_disk += len(rows)  # at most: a key put again is replaced, not added
        if self.on_disk > self._capacity:
            self._grow(self.on_disk)  # marks every key on disk, these included
        else:
            for key in self.hot:
                self._mark(key)
        self.hot.clear()

    def close(self) -> None:
        """Delete the file on disk (the index is empty afterwards)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self.hot.clear()
        self.on_disk = 0

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 - at interpreter exit, nothing is left to clean
            pass
