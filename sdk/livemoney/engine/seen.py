"""Every event id seen in one run, in bounded memory: the index behind duplicate detection.

    ids = SeenIds()
    ids.get("7137749190944230150")          # None, or what was put under that key
    ids.put("7137749190944230150", ("tiktok", 123))

A key is an id (or a ``(platform, id)`` pair); its value the platform it was first seen on and the
fingerprint (or fingerprints) of the events seen with it. A value only grows: a key put again is put
with the fingerprints it had and a new one (an id conflict), as `livemoney.engine.valuer` does.

Three tiers, newest first:

- ``hot``: the last `IDS_IN_MEMORY` (16,384) keys put, in a dict (about 200 to 450 bytes a key: a
  YouTube id has 60 to 100 characters), which the valuer's fast path reads directly. When it fills, its
  keys are *spilled* to
- the runs: sorted arrays of the keys' 64-bit hashes (``hash(key)``), with a fingerprint and a
  platform number a row (17 bytes; a key with several fingerprints has a row each): plain arrays for the
  first `NUMPY_PAST` keys (see below), numpy arrays past them. Each spill makes a run, and four runs of
  about equal size are merged into one (a size-tiered log-structured merge: 4^k spills make one run), so
  that there are few to bisect (``np.searchsorted``; about 7 at 10^6 ids) and each row is merged about
  log4(10^6 / 16,384) = 3 times, in C (merged two at a time, 6 times: twice the work, for about 5 runs to
  search, which only a key the Bloom filter may have is). A run holds at most a quarter of
- `IDS_IN_ARRAYS` (4,194,304 keys, about 70 MiB): past it, every run moves to a private SQLite file
  (``sqlite3.connect("")``: created in the temporary folder, deleted when closed) as integer rows (hash,
  fingerprint, platform number) under an integer primary key, and the runs start again. A valuation of
  up to about 4 x 10^6 ids never touches the disk; a longer one keeps at most that many in memory, plus
  the Bloom filter's 2 bytes a key.

A caller that has a list of keys at once (the valuer's fast path takes a chunk of a canonical log whole)
asks `hashes_if_new` whether any was put or is twice in the list (the dict, the hashes sorted, then the
Bloom filter for all of them in C) and, if not, puts them with `put_new` straight into the runs, as a
spill would: no dict, no Python step a key. Such chunks are gathered (each sorted and marked in the Bloom
filter at once, searched as a run is) until they hold `in_memory` keys, then merged into one run: a run a chunk
of 2,000 keys would make 500 runs at 10^6 ids, each row merged about 4 times instead of 3.

A Bloom filter of every key spilled (16 bits a key, 3 probes: about 1 false alarm in 200 when full, far
fewer before; made for 2^20 keys, 2 MiB, and when full made again for twice as many from the hashes in
the runs and the file) answers "never seen" without searching the runs or the file, so that a new id,
the common case, costs one dict lookup and a bit test (the valuer's fast path tests the first probe
itself, with ``screen``; about 1 in 10 new ids goes on to `may_have`'s other two); a key it may have
seen is looked up in the runs, newest first, then in the file. Nothing is forgotten: a repeat is caught
however far apart the two events are, across every file of the run. Past the dict, a key is known by its
64-bit hash: two ids whose hashes collide (about 1 in 10^8 for 10^5 ids, far less than one in a run of
10^7) would be taken for one id with two contents, an id conflict, which is valued and named: a repeat
needs the 64-bit fingerprints to collide as well.

numpy (already installed with matplotlib) sorts, merges and marks the filter a spill at a time, in C: a spill
costs about 0.3 µs a key in all (the arrays built from the dict, sorted, merged, marked), where one SQLite row a
key cost at least 1.5 µs. Importing numpy costs 9 to 12 MiB of resident memory, so the first `NUMPY_PAST`
(524,288) keys spilled, in at most 32 runs, are plain arrays (``array.array``, 18 bytes a row: sorted by
``sorted``, searched with ``bisect``, marked in the filter a key at a time in Python, never merged: about 1 µs a
key more, most of it the filter's marks); past them, or at `use_numpy` (the valuer of a canonical log calls it
first: an id a line, hundreds of thousands of them), numpy is imported and the plain runs become numpy runs
(their buffers shared, then merged). A plugin's capture of up to half a million paid events with ids never
imports numpy; a longer one pays about 0.5 s more for its first 524,288 keys, and its merges then (a breaker's
trial: a file of 600,000 ids alone, 35% slower and 3 MB more at its peak; a capture's record costs far more
than its id, so that a capture is about 1% slower there).

SQLite, past the budget, rather than DuckDB or a key-value
store: it is in Python's standard library (no dependency, no extra), its B-tree primary key is what a
point lookup wants, and an empty file name gives a private temporary database that cleans itself up.
"""

from __future__ import annotations

import itertools
import operator
import sqlite3
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any

np: Any = None
"""numpy, imported when the runs first need it (`_numpy`, `SeenIds.use_numpy`): past `NUMPY_PAST` keys
spilled, or at a chunk put at once."""

_first, _second = operator.itemgetter(0), operator.itemgetter(1)

IDS_IN_MEMORY = 16_384
"""How many of the latest keys the index keeps in its dict (3 to 7 MiB) before it spills them to the runs."""
IDS_IN_ARRAYS = 1 << 22
"""How many keys the runs (sorted arrays, 17 bytes a key) hold before they move to the SQLite file."""
NUMPY_PAST = 1 << 19
"""How many keys the runs hold as plain arrays (``array.array``: sorted by Python's ``sorted``, searched with
``bisect``, marked in the filter a key at a time, never merged) before numpy is imported and they become numpy
arrays: a run of up to 524,288 spilled ids (32 spills) never pays numpy's import (9 to 12 MiB resident) nor
a merge's transient (about 41 bytes a row), for about 1 µs more a key spilled and about 5 µs more a key looked
up past the filter (a repeat: up to 32 runs searched instead of about 7)."""
_PLAIN_RUNS = 32
"""How many plain runs there may be (searched one after the other) before they become numpy runs, whatever
their size (a small dict, ``in_memory``, spills often)."""
_PLAIN_LOOKUPS = 4096
"""How many keys may be looked up in the plain runs (a repeat, or a false alarm of the filter) before they
become numpy runs, merged (about 5 µs a lookup, where up to 32 plain runs take about 14): a capture given twice
pays the plain runs' search for its first 4,096 repeats only (a breaker's trial: a log of 524,288 ids given twice
was 75% slower)."""
_BITS_PER_KEY = 16
_FIRST_CAPACITY = 1 << 20
"""Keys the first Bloom filter is made for (2 MiB); each next one is made for twice as many."""
MERGED_AT = 4
"""How many runs of about one size are merged into one: 4^k spills make one run, each row merged about
log4(spills) times (3 at 10^6 ids), with at most 3 runs of each size to search (about 7 at 10^6 ids)."""
_SQL_BATCH = 1 << 16
"""Rows written to the file, or hashes marked in the filter, at a time (a bounded transient)."""

Run = tuple[Any, Any, Any]
"""A run: its keys' hashes (int64, sorted), their fingerprints (int64) and platform numbers (uint8)."""


def _numpy() -> None:
    global np  # imported once, when the runs first need it
    import numpy

    np = numpy


def _merged(runs: list[list[Any]]) -> Run:
    """One run of the rows of ``runs`` (oldest first), sorted by hash, a hash's rows in the order of the runs:
    a stable sort of their concatenation (a merge of its sorted stretches, in C). Each run's columns are let
    go as they are merged, so that at most about 41 bytes a row are held at once (the rows' 17, the sort's
    order, a column sorted and the same column taken in that order)."""
    keys = np.concatenate([run[0] for run in runs])
    for run in runs:
        run[0] = None
    order = np.argsort(keys, kind="stable")
    columns = [keys[order]]
    del keys
    for column in (1, 2):
        parts = [run[column] for run in runs]
        for run in runs:
            run[column] = None
        columns.append(np.concatenate(parts)[order])
        del parts
    return columns[0], columns[1], columns[2]


def _sorted_has(keys: Any, codes: Any) -> bool:
    """Whether one of ``codes`` is in the sorted array ``keys`` (a bisection each, in C)."""
    at = keys.searchsorted(codes)
    np.minimum(at, len(keys) - 1, out=at)
    return bool((keys[at] == codes).any())


class SeenIds:
    """A map of every key put in a run (see the module docstring): `get`, `put`, ``hot`` (the latest keys,
    a dict the valuer's fast path reads directly) and `may_have` (whether a key may be past the dict)."""

    def __init__(self, in_memory: int = IDS_IN_MEMORY, in_arrays: int = IDS_IN_ARRAYS, numpy_past: int = NUMPY_PAST) -> None:
        if in_memory < 1:
            raise ValueError(f"in_memory: {in_memory} must be at least 1")
        if in_arrays < 1:
            raise ValueError(f"in_arrays: {in_arrays} must be at least 1")
        self.in_memory = in_memory
        self.in_arrays = in_arrays
        self.numpy_past = numpy_past
        self._plain = True
        """Whether the runs are plain arrays (see `NUMPY_PAST`); numpy arrays once `use_numpy` has run."""
        self._lookups = 0
        """How many keys were looked up in the plain runs (past `_PLAIN_LOOKUPS`, they become numpy runs)."""
        self.hot: dict[object, tuple[str, Any]] = {}
        self.on_disk = 0
        """How many keys were spilled past the dict, to the runs or the file (0: nothing spilled yet).
        The name is older than the runs: it is what the valuer tests before `may_have`."""
        self.in_file = 0
        """How many rows (a key's fingerprints) moved to the SQLite file (0: no file)."""
        self._runs: list[Run] = []
        self._in_runs = 0
        self._gathered: list[Run] = []
        """The chunks `put_new` put, each sorted, not yet merged into `_runs` (in the order put, all newer than
        the runs)."""
        self._gathered_keys = 0
        self._largest = max(1, in_arrays // 4)
        self._db: sqlite3.Connection | None = None
        self._platforms: dict[str, int] = {}
        self._names: list[str] = []
        self._bits = bytearray()
        self._mask = 0
        """The Bloom filter: its bits, and their number less one (a power of 2 less one: a probe's mask)."""
        self._marked = 0
        self.screen: tuple[int, bytearray, int] = (0, self._bits, 0)
        """``(on_disk, bits, mask)``, for a caller that tests the first probe of `may_have` itself: while
        a bit ``hash(key) & mask`` of ``bits`` is 0 (``bits[p >> 3] >> (p & 7) & 1``), ``key`` is not past
        the dict. A new tuple whenever one of the three changes (a spill; the filter grows)."""

    # --- the Bloom filters -------------------------------------------------------------------------

    def may_have(self, key: object) -> bool:
        """``False`` when ``key`` is surely not past the dict; ``True`` when it may be (look it up)."""
        if not self.on_disk:
            return False
        bits, mask = self._bits, self._mask
        code = hash(key)
        probe = code & mask
        if bits[probe >> 3] >> (probe & 7) & 1:
            step = code >> 32
            probe = (code + step) & mask
            if bits[probe >> 3] >> (probe & 7) & 1:
                probe = (code + 2 * step) & mask
                return bits[probe >> 3] >> (probe & 7) & 1 == 1
        return False

    def _mark(self, codes: Any) -> None:
        """Add the hashes ``codes`` (int64) to the Bloom filter, as `may_have` probes them; a filter full
        is made again for twice as many keys (or more), from every hash past the dict."""
        if self._marked + len(codes) > (self._mask + 1) // _BITS_PER_KEY:
            capacity = max(_FIRST_CAPACITY, (self._mask + 1) // _BITS_PER_KEY)
            while capacity < self._marked + len(codes):
                capacity *= 2
            self._bits = bytearray(capacity * _BITS_PER_KEY // 8)
            self._mask = capacity * _BITS_PER_KEY - 1
            self._marked = 0
            for run in (*self._runs, *self._gathered):
                self._mark_in(run[0])
            if self._db is not None:
                cursor = self._db.execute("SELECT key FROM ids")
                while rows := cursor.fetchmany(_SQL_BATCH):
                    hashes = map(_first, rows)
                    self._mark_in(array("q", hashes) if self._plain else np.fromiter(hashes, np.int64, len(rows)))
        self._mark_in(codes)

    def _mark_in(self, codes: Any) -> None:
        mask = self._mask
        if codes.__class__ is array:  # a plain run's (or the file's): a key at a time, as `may_have` probes
            bits = self._bits
            for code in codes:
                step = code >> 32
                probe = code & mask
                bits[probe >> 3] |= 1 << (probe & 7)
                probe = (code + step) & mask
                bits[probe >> 3] |= 1 << (probe & 7)
                probe = (probe + step) & mask  # (code + 2 * step) & mask
                bits[probe >> 3] |= 1 << (probe & 7)
            self._marked += len(codes)
            return
        view = np.frombuffer(self._bits, dtype=np.uint8)
        for start in range(0, len(codes), _SQL_BATCH):
            part = codes[start : start + _SQL_BATCH]
            step = part >> 32
            for probe in (part & mask, (part + step) & mask, (part + 2 * step) & mask):
                where, bit = probe >> 3, np.left_shift(1, probe & 7).astype(np.uint8)
                while len(where):  # of two bits of one byte, one assignment keeps the last: again
                    view[where] |= bit
                    missing = (view[where] & bit) != bit
                    where, bit = where[missing], bit[missing]
        self._marked += len(codes)

    # --- the map -----------------------------------------------------------------------------------

    def hashes_if_new(self, keys: list[Any]) -> tuple[Any, Any] | None:
        """``(hashes, order)`` of ``keys`` (int64, and the order that sorts them: for `put_new`) if none of
        them was put and no two of them share a hash (a key twice in ``keys``, or two keys of one hash: the
        caller takes them one at a time), else ``None``: the dict, then the hashes sorted (a key twice is two
        equal neighbours), then the Bloom filter for all of them at once (in C), then the hashes the filter
        may have, looked up in the gathered chunks and the runs at once (`_in_arrays`), and `get` for each past
        the runs (a list of new ids, the common case, costs no Python step a key)."""
        if self.hot and not self.hot.keys().isdisjoint(keys):
            return None
        self.use_numpy()
        codes = np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys))
        order = np.argsort(codes)
        ordered = codes[order]
        if (ordered[1:] == ordered[:-1]).any():
            return None
        if self.on_disk and len(codes):
            view = np.frombuffer(self._bits, dtype=np.uint8)
            mask, step = self._mask, codes >> 32
            maybe = np.ones(len(codes), dtype=bool)
            for probe in (codes & mask, (codes + step) & mask, (codes + 2 * step) & mask):
                maybe &= (view[probe >> 3] >> (probe & 7).astype(np.uint8)) & 1 == 1
            if maybe.any():
                if self._in_arrays(codes[maybe]):
                    return None
                if self._db is not None and any(self.get(keys[int(at)]) is not None for at in np.flatnonzero(maybe)):
                    return None
        return codes, order

    def _in_arrays(self, codes: Any) -> bool:
        """Whether one of the hashes ``codes`` (int64) is in a gathered chunk or a run (in C, a column at a time)."""
        return any(_sorted_has(keys, codes) for keys, _, _ in (*self._gathered, *self._runs))

    def put_new(self, new: tuple[Any, Any], prints: Iterable[int], platforms: list[str]) -> None:
        """Remember the keys whose hashes and their sorting order are ``new`` (from `hashes_if_new`: none put
        before), the fingerprint and platform of each from ``prints`` and ``platforms``, straight past the dict
        (no dict, no Python step a key): gathered with the chunks put before, sorted into a run once they hold
        `in_memory` keys, as `spill` would leave them after a `put` each. Keys in the dict (put one at a
        time before these) are spilled first: the next chunk's `hashes_if_new` then has no dict to look in."""
        codes, order = new
        count = len(codes)
        if not count:
            return
        if self.hot:
            self.spill()
        self._mark(codes)
        fingerprints = np.fromiter(prints, dtype=np.int64, count=count)
        self._gathered.append((codes[order], fingerprints[order], self._numbers(platforms)[order]))
        self._gathered_keys += count
        self.on_disk += count
        self.screen = (self.on_disk, self._bits, self._mask)
        if self._gathered_keys >= self.in_memory:
            self._sort_gathered()

    def _sort_gathered(self) -> None:
        """Merge the chunks `put_new` gathered into one run of `_runs` (before anything newer is added there)."""
        gathered = self._gathered
        if not gathered:
            return
        codes, prints, platforms = (np.concatenate(column) for column in zip(*gathered))
        gathered.clear()
        self._gathered_keys = 0
        order = np.argsort(codes, kind="stable")  # sorted stretches, merged (a hash's rows in the order put)
        self._add((codes[order], prints[order], platforms[order]))

    def _numbered(self, names: list[str]) -> set[str]:
        """The distinct names of ``names``, numbering a platform met for the first time."""
        numbers = self._platforms
        distinct = set(names)
        for name in distinct:
            if name not in numbers:
                numbers[name] = len(self._names)
                self._names.append(name)
        return distinct

    def _numbers(self, names: list[str]) -> Any:
        """The platform number of each of ``names`` (numbering a platform met for the first time)."""
        numbers = self._platforms
        distinct = self._numbered(names)
        kind = np.uint8 if len(self._names) <= 256 else np.uint16
        count = len(names)
        if len(distinct) == 1:
            return np.full(count, numbers[names[0]], dtype=kind)
        return np.fromiter(map(numbers.__getitem__, names), dtype=kind, count=count)

    def _add_run(self, codes: Any, prints: Any, names: list[str], keys: int) -> None:
        """Add a run of ``keys`` keys: a row each (a row per fingerprint of a key with several), their hashes
        ``codes``, fingerprints ``prints`` and platform ``names``, in any order."""
        self._sort_gathered()  # older than these rows: the runs stay in the order the keys were put
        platforms = self._numbers(names)
        self._mark(codes)
        order = np.argsort(codes)
        self.on_disk += keys
        self._add((codes[order], prints[order], platforms[order]))
        self.screen = (self.on_disk, self._bits, self._mask)

    def get(self, key: object) -> tuple[str, Any] | None:
        """What was last put under ``key`` (its platform, and its fingerprint or tuple of them), or ``None``."""
        found = self.hot.get(key)
        if found is not None or not self.on_disk or not self.may_have(key):
            return found
        code = hash(key)
        if self._plain:
            self._lookups += 1
            if self._lookups > _PLAIN_LOOKUPS:
                self.use_numpy()
        for keys, prints, platforms in itertools.chain(reversed(self._gathered), reversed(self._runs)):
            first = bisect_left(keys, code) if self._plain else int(keys.searchsorted(code))
            if first < len(keys) and keys[first] == code:
                last = bisect_right(keys, code, first) if self._plain else int(keys.searchsorted(code, side="right"))
                return self._value(int(platforms[first]), prints[first:last].tolist())
        if self._db is not None:
            rows = self._db.execute("SELECT platform, print FROM ids WHERE key = ? ORDER BY rowid", (code,)).fetchall()
            if rows:
                return self._value(rows[0][0], [row[1] for row in rows])
        return None

    def _value(self, number: int, prints: list[int]) -> tuple[str, Any]:
        if len(prints) > 1:
            prints = list(dict.fromkeys(prints))  # a merged run may hold a row twice
        return self._names[number], prints[0] if len(prints) == 1 else tuple(prints)

    def put(self, key: object, value: tuple[str, Any]) -> None:
        """Remember ``value`` under ``key``: a value only grows (the fingerprints put before, and others)."""
        self.hot[key] = value
        if len(self.hot) >= self.in_memory:
            self.spill()

    def spill(self) -> None:
        """Move the keys of the dict to a run (sorted arrays), emptying ``hot`` in place; past
        `in_arrays` keys in the runs, move the runs to the file."""
        hot = self.hot
        if not hot:
            return
        count = len(hot)
        codes = array("q", map(hash, hot))
        values = list(hot.values())
        names = list(map(_first, values))
        try:
            prints = array("q", map(_second, values))
        except TypeError:  # a key with several fingerprints (an id conflict): a row each
            several = [value[1] if value[1].__class__ is tuple else (value[1],) for value in values]
            prints = array("q", itertools.chain.from_iterable(several))
            codes = array("q", itertools.chain.from_iterable(map(itertools.repeat, codes, map(len, several))))
            names = list(itertools.chain.from_iterable(map(itertools.repeat, names, map(len, several))))
        del values
        hot.clear()
        if self._plain and self.on_disk + count <= self.numpy_past and len(self._runs) < _PLAIN_RUNS:
            self._add_plain_run(codes, prints, names, count)
        else:
            self.use_numpy()
            self._add_run(np.frombuffer(codes, np.int64), np.frombuffer(prints, np.int64), names, count)

    def _add_plain_run(self, codes: array, prints: array, names: list[str], keys: int) -> None:
        """`_add_run`, as a run of plain arrays (`NUMPY_PAST`): its rows sorted by hash by ``sorted``, not merged."""
        order = sorted(range(len(codes)), key=codes.__getitem__)  # stable: a key's rows in the order put
        self._numbered(names)
        numbers = self._platforms
        run = (
            array("q", map(codes.__getitem__, order)),
            array("q", map(prints.__getitem__, order)),
            array("H", map(numbers.__getitem__, map(names.__getitem__, order))),
        )
        self._mark(run[0])
        self.on_disk += keys
        self._runs.append(run)
        self._in_runs += len(run[0])
        self.screen = (self.on_disk, self._bits, self._mask)
        if self._in_runs > self.in_arrays:
            self._to_file()

    def use_numpy(self) -> None:
        """Import numpy (once) and make every plain run a numpy run (their buffers shared, not copied), merged
        as `_add` merges runs; the runs are numpy arrays from then on. For a caller that will put many ids
        (a canonical log: hundreds of thousands of ids cost about 1 µs less each in numpy's runs)."""
        if not self._plain:
            return
        if np is None:
            _numpy()
        self._plain = False
        plain, self._runs, self._in_runs = self._runs, [], 0
        while plain:
            keys, prints, platforms = plain.pop(0)
            self._add((np.frombuffer(keys, np.int64), np.frombuffer(prints, np.int64), np.frombuffer(platforms, np.uint16)))

    def _add(self, run: Run) -> None:
        """Add a run (newer than every run held); the `MERGED_AT` newest runs, once they are of about one size
        (none twice the newest or more), are merged into one, again as long as that holds."""
        runs = self._runs
        runs.append(run)
        self._in_runs += len(run[0])
        while len(runs) >= MERGED_AT:
            sizes = [len(keys) for keys, _, _ in runs[-MERGED_AT:]]
            if max(sizes) >= 2 * sizes[-1] or sum(sizes) > self._largest:
                break
            newest = [[*each] for each in runs[-MERGED_AT:]]
            del runs[-MERGED_AT:]
            runs.append(_merged(newest))
        if self._in_runs > self.in_arrays:
            self._to_file()

    def _to_file(self) -> None:
        """Move every run to the SQLite file (one transaction)."""
        if self._db is None:
            self._db = sqlite3.connect("")
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute(
                "CREATE TABLE ids (key INTEGER NOT NULL, print INTEGER NOT NULL, platform INTEGER NOT NULL,"
                " PRIMARY KEY (key, print))"
            )
        self._sort_gathered()
        insert = "INSERT OR IGNORE INTO ids (key, print, platform) VALUES (?, ?, ?)"
        with self._db:
            while self._runs:
                keys, prints, platforms = self._runs.pop(0)
                for start in range(0, len(keys), _SQL_BATCH):
                    end = start + _SQL_BATCH
                    rows = zip(keys[start:end].tolist(), prints[start:end].tolist(), platforms[start:end].tolist())
                    self._db.executemany(insert, rows)
                self.in_file += len(keys)
        self._in_runs = 0

    def close(self) -> None:
        """Delete the file on disk and forget every key (the index is empty afterwards)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self.hot.clear()
        self._runs.clear()
        self._gathered.clear()
        self._gathered_keys = 0
        self._in_runs = 0
        self.on_disk = 0
        self.in_file = 0
        self._bits = bytearray()
        self._mask = self._marked = 0
        self.screen = (0, self._bits, 0)
        self._plain = True
        self._lookups = 0

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 - at interpreter exit, nothing is left to clean
            pass
