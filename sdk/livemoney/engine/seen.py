"""Every event id seen in one run, in bounded memory: the index behind duplicate detection.

    ids = SeenIds()
    ids.get("7137749190944230150")          # None, or what was put under that key
    ids.put("7137749190944230150", ("tiktok", 123))

A key is an id (or a ``(platform, id)`` pair); its value the platform it was first seen on and the
fingerprint (or fingerprints) of the events seen with it. The last `IDS_IN_MEMORY` keys put are in a dict
(``hot``); when it fills, its entries go to a private SQLite file (``sqlite3.connect("")``: created in the
temporary folder, deleted when closed) as integer rows (the key's 64-bit hash, the platform's number, a
fingerprint), and the dict starts again. A Bloom filter of the hashes on disk (16 bits a key, 2 probes:
about 1 false alarm in 70) answers "never seen" without touching the disk, so that a new id, the common
case, costs one dict lookup and two bit tests; a key it may have seen is looked up in SQLite (an integer
primary key). Nothing is forgotten: a repeat is caught however far apart the two events are, across every
file of the run. Past the dict, a key is known by its 64-bit hash: two ids whose hashes collide (about 1
in 10^8 for 10^5 ids, far less than one in a run of 10^7) would be taken for one id with two contents, an
id conflict, which is valued and named: a repeat needs the 64-bit fingerprints to collide as well.

SQLite rather than DuckDB or a key-value store: it is in Python's standard library (no dependency, no
extra), its B-tree primary key is what a point lookup wants, and an empty file name gives a private
temporary database that cleans itself up.
"""

from __future__ import annotations

import sqlite3
from typing import Any

IDS_IN_MEMORY = 100_000
"""How many ids the index keeps in memory (about 20 MB) before it moves them to disk."""
_BITS_PER_KEY = 16
_MASK = (1 << 64) - 1
_FIRST_CAPACITY = 1 << 20
"""Keys the first Bloom filter is made for (2 MiB); each next one is made for twice as many."""


class SeenIds:
    """A map of every key put in a run (see the module docstring): `get`, `put`, ``hot`` (the keys in
    memory, a dict the valuer's fast path reads directly) and `may_have` (whether a key may be on disk)."""

    def __init__(self, in_memory: int = IDS_IN_MEMORY) -> None:
        if in_memory < 1:
            raise ValueError(f"in_memory: {in_memory} must be at least 1")
        self.in_memory = in_memory
        self.hot: dict[object, tuple[str, Any]] = {}
        self.on_disk = 0
        """How many keys went to disk (0: nothing spilled yet)."""
        self._db: sqlite3.Connection | None = None
        self._platforms: dict[str, int] = {}
        self._names: list[str] = []
        self._filters: list[tuple[bytearray, int, int]] = []
        """Bloom filters: (bits, size in bits, keys it is made for); new keys go to the last."""
        self._in_last = 0

    # --- the Bloom filters -------------------------------------------------------------------------

    def may_have(self, key: object) -> bool:
        """``False`` when ``key`` is surely not on disk; ``True`` when it may be (look it up)."""
        if not self.on_disk:
            return False
        code = hash(key) & _MASK
        for bits, size, _ in self._filters:
            one, two = code % size, (code >> 32) % size
            if bits[one >> 3] & (1 << (one & 7)) and bits[two >> 3] & (1 << (two & 7)):
                return True
        return False

    def _mark(self, codes: list[int]) -> None:
        for code in codes:
            if self._in_last >= (self._filters[-1][2] if self._filters else 0):
                capacity = self._filters[-1][2] * 2 if self._filters else _FIRST_CAPACITY
                self._filters.append((bytearray(capacity * _BITS_PER_KEY // 8), capacity * _BITS_PER_KEY, capacity))
                self._in_last = 0
            bits, size, _ = self._filters[-1]
            code &= _MASK
            one, two = code % size, (code >> 32) % size
            bits[one >> 3] |= 1 << (one & 7)
            bits[two >> 3] |= 1 << (two & 7)
            self._in_last += 1

    # --- the map -----------------------------------------------------------------------------------

    def get(self, key: object) -> tuple[str, Any] | None:
        """What was last put under ``key`` (its platform, and its fingerprint or tuple of them), or ``None``."""
        found = self.hot.get(key)
        if found is not None or not self.on_disk or not self.may_have(key):
            return found
        assert self._db is not None
        rows = self._db.execute("SELECT platform, print FROM ids WHERE key = ? ORDER BY rowid", (hash(key),)).fetchall()
        if not rows:
            return None
        prints = tuple(row[1] for row in rows)
        return self._names[rows[0][0]], prints[0] if len(prints) == 1 else prints

    def put(self, key: object, value: tuple[str, Any]) -> None:
        """Remember ``value`` under ``key`` (replacing what was there: a value only grows, by fingerprints)."""
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
                "CREATE TABLE ids (key INTEGER NOT NULL, print INTEGER NOT NULL, platform INTEGER NOT NULL,"
                " PRIMARY KEY (key, print))"
            )
        numbers = self._platforms
        rows: list[tuple[int, int, int]] = []
        codes: list[int] = []
        for key, (platform, prints) in self.hot.items():
            number = numbers.get(platform)
            if number is None:
                number = numbers[platform] = len(self._names)
                self._names.append(platform)
            code = hash(key)
            codes.append(code)
            if prints.__class__ is tuple:
                rows.extend((code, print_, number) for print_ in prints)
            else:
                rows.append((code, prints, number))
        rows.sort()
        with self._db:
            self._db.executemany("INSERT OR IGNORE INTO ids (key, print, platform) VALUES (?, ?, ?)", rows)
        self.on_disk += len(codes)
        self._mark(codes)
        self.hot.clear()

    def close(self) -> None:
        """Delete the file on disk (the index is empty afterwards)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self.hot.clear()
        self.on_disk = 0
        self._filters.clear()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 - at interpreter exit, nothing is left to clean
            pass
