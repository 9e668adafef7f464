"""`CompactRecent`: what the TikTok decoder remembers of the last messages of a stream (`livemoney.kit.Recent`'s
contract), in arrays of machine integers rather than Python objects.

The decoder remembers 100,000 message ids and as many finished streaks (`streaks.MEMORY`). Kept as strings,
tuples and ordered-dict nodes that is some 45 MiB of Python objects by the end of a long capture; here it is
at most about 5 MiB a memory (three 8-byte ints a slot of an open-addressing table, and an 8-byte int a put in
the order it was put, at most ``size * 5/4 + 64`` of them), whatever the keys and values. The table is kept at most half full while it grows, and
stops growing at the first size that holds every key the memory may hold at most 4/5 full (131,072 slots, 3 MiB,
for 100,000 keys, where half full would take twice that).

What it keeps:

- a key is folded to one 64-bit int: a message id of decimal digits (TikTok's, ``"7434100000000000001"``)
  is its own number, EXACTLY (no two ids fold alike); any other key (a streak's ``(sender, gift, group)``,
  an id that is not plain digits) is its 62-bit hash, negative, so it never meets an id's number. Two such
  keys meet only if their hashes do (Python's ``hash``, salted per process: about one chance in 10^9 for
  100,000 keys held at once; the decoder already tells two contents of one id apart by their hashes).
- a value that is a 64-bit int is kept in the table; any other (a tuple of contents, None) beside it, in a
  dict, under the folded key.
- the last ``size`` DISTINCT keys put, as `Recent` does: putting a key again makes it the newest; past
  ``size`` keys, the oldest is forgotten. Each step is O(1) (amortised: the table doubles as it fills, the
  order of puts is compacted now and then).
"""

from __future__ import annotations

from array import array
from typing import Any

EMPTY = -(2**63)
"""A slot of the table that holds no key (no folded key is this)."""
_HASHED = 2**62 - 1
_INT64 = 2**63
_GOLDEN = 0x9E3779B97F4A7C15
_MIN_BITS = 10
_ABSENT = object()


def fold(key: Any) -> int:
    """``key`` as one 64-bit int: a string of ASCII digits (no leading zero, below 2**63) as its number,
    anything else as ``-1 - (hash(key) & (2**62 - 1))``."""
    if key.__class__ is str and key.isdigit() and key.isascii() and key[0] != "0" and len(key) < 20:
        number = int(key)
        if number < _INT64:
            return number
    return -1 - (hash(key) & _HASHED)


class CompactRecent:
    """The last ``size`` keys put, each with a value (see the module's docstring for what is kept exactly).

    seen = CompactRecent(100_000)
    seen.put("7434100000000000001", 42)
    seen.get("7434100000000000001")   # 42; a key forgotten or never put: the default
    seen.put_new("7434100000000000002", 7)   # None: it was not there (now it is, with 7)
    """

    __slots__ = (
        "_base",
        "_folded",
        "_key",
        "_keys",
        "_limit",
        "_live",
        "_mask",
        "_order",
        "_others",
        "_probed",
        "_shift",
        "_stale",
        "_stamps",
        "_start",
        "_values",
        "size",
    )

    def __init__(self, size: int) -> None:
        if size.__class__ is not int or size < 1:
            raise ValueError(f"size: {size!r} must be a whole number of at least 1")
        self.size = size
        self._others: dict[int, Any] = {}
        """Values that are not 64-bit ints, by folded key."""
        self._order = array("q")
        """The folded keys in the order they were put (one entry a put); entry ``i`` is put number
        ``_base + i``, and the entries before ``_start`` are gone."""
        self._base = 0
        self._start = 0
        self._stale = 0
        """Entries of ``_order`` whose key was put again later (or, beyond ``_start``, forgotten)."""
        self._live = 0
        self._key: Any = None
        self._folded = 0
        self._probed = -1
        """The slot `get` found ``_key`` in (or the empty slot where it would go), until the table changes."""
        self._table(_MIN_BITS)

    def _table(self, bits: int) -> None:
        slots = 1 << bits
        self._keys = array("q", [EMPTY]) * slots
        self._values = array("q", [0]) * slots
        self._stamps = array("q", [0]) * slots
        """The number of the key's last put (its entry in ``_order``)."""
        self._mask = slots - 1
        self._shift = 64 - bits
        self._limit = slots if slots * 4 >= (self.size + 1) * 5 else slots // 2
        """How many keys the table holds before it grows: half its slots, or, once it can hold at most 4/5 full the
        ``size + 1`` keys it ever holds (the newest is put before the oldest is forgotten), all of them: it grows no
        more."""

    def _slot(self, key: int) -> int:
        """The slot holding ``key``, or the empty slot where it goes (linear probing)."""
        keys, mask = self._keys, self._mask
        slot = ((key * _GOLDEN) >> self._shift) & mask
        found = keys[slot]
        while found != key and found != EMPTY:
            slot = (slot + 1) & mask
            found = keys[slot]
        return slot

    def _fold(self, key: Any) -> int:
        """`fold`, remembered for the last key (a decoder puts the key it just looked up)."""
        if key is self._key:
            return self._folded
        folded = self._folded = fold(key)
        self._key = key
        self._probed = -1
        return folded

    def get(self, key: Any, default: Any = None) -> Any:
        """The value last put under ``key``, or ``default``."""
        folded = self._fold(key)
        keys, mask = self._keys, self._mask
        slot = ((folded * _GOLDEN) >> self._shift) & mask
        found = keys[slot]
        while found != folded:
            if found == EMPTY:
                self._probed = slot
                return default
            slot = (slot + 1) & mask
            found = keys[slot]
        self._probed = slot
        others = self._others
        if others and folded in others:
            return others[folded]
        return self._values[slot]

    def put_new(self, key: Any, value: Any, missing: Any = None) -> Any:
        """The value under ``key``, left as it is (the key no newer); or, when there is none, ``missing``, having
        put ``value`` under ``key`` (`put`): a `get` and a `put` in one look-up (the decoder's repeat check, once
        a gift or a like: the key folded and its slot probed once)."""
        folded = fold(key)
        keys, mask = self._keys, self._mask
        slot = ((folded * _GOLDEN) >> self._shift) & mask
        found = keys[slot]
        while found != folded:
            if found == EMPTY:
                self._probed = -1  # the table changes: `put`'s remembered slot no longer holds
                self._insert(folded, slot, value)
                return missing
            slot = (slot + 1) & mask
            found = keys[slot]
        others = self._others
        if others and folded in others:
            return others[folded]
        return self._values[slot]

    def put(self, key: Any, value: Any = None) -> None:
        """Put ``value`` under ``key`` (the newest key now); past ``size`` keys, forget the oldest."""
        if key is self._key and self._probed >= 0:  # just looked up: the table has not changed since
            folded, slot = self._folded, self._probed
        else:
            folded = self._fold(key)
            slot = self._slot(folded)
        self._probed = -1
        if self._keys[slot] == EMPTY:
            self._insert(folded, slot, value)
            return
        self._stale += 1  # its earlier entry in the order
        if value.__class__ is int and -_INT64 <= value < _INT64:
            self._values[slot] = value
            if self._others:
                self._others.pop(folded, None)
        else:
            self._values[slot] = 0
            self._others[folded] = value
        self._stamp(folded, slot)

    def _insert(self, folded: int, slot: int, value: Any) -> None:
        """Put ``value`` under the folded key ``folded``, which is not in the table: ``slot`` is the empty slot
        where probing for it ended."""
        if self._live >= self._limit:
            self._grow()
            slot = self._slot(folded)
        self._keys[slot] = folded
        self._live += 1
        if value.__class__ is int and -_INT64 <= value < _INT64:
            self._values[slot] = value
        else:
            self._values[slot] = 0
            self._others[folded] = value
        order = self._order  # `_stamp`, written out: this is every new key's way
        self._stamps[slot] = self._base + len(order)
        order.append(folded)
        if self._live > self.size:
            self._forget_oldest()
        if len(order) > self.size + self.size // 4 + 64:
            self._compact()

    def _stamp(self, folded: int, slot: int) -> None:
        """Record the put of the key ``folded`` (at ``slot``) as the newest; past ``size`` keys, forget the
        oldest."""
        order = self._order
        self._stamps[slot] = self._base + len(order)
        order.append(folded)
        if self._live > self.size:
            self._forget_oldest()
        if len(order) > self.size + self.size // 4 + 64:
            self._compact()

    def _forget_oldest(self) -> None:
        order, stamps, base, keys = self._order, self._stamps, self._base, self._keys
        mask, shift = self._mask, self._shift
        while True:
            index = self._start
            self._start += 1
            folded = order[index]
            slot = ((folded * _GOLDEN) >> shift) & mask  # `_slot`, written out (once a new key, past ``size``)
            found = keys[slot]
            while found != folded and found != EMPTY:
                slot = (slot + 1) & mask
                found = keys[slot]
            if found == folded and stamps[slot] == base + index:
                self._delete(slot)
                if self._others:
                    self._others.pop(folded, None)
                self._live -= 1
                return
            self._stale -= 1  # put again later: its newer entry stands for it

    def _delete(self, slot: int) -> None:
        """Empty ``slot``, moving back the keys after it that probing would no longer reach (backward-shift
        deletion: the table keeps no tombstones)."""
        keys, values, stamps, mask, shift = self._keys, self._values, self._stamps, self._mask, self._shift
        hole = slot
        probe = slot
        while True:
            probe = (probe + 1) & mask
            key = keys[probe]
            if key == EMPTY:
                break
            home = ((key * _GOLDEN) >> shift) & mask
            # The key at ``probe`` may fill the hole unless its home lies cyclically in (hole, probe].
            if (hole < probe and hole < home <= probe) or (probe < hole and (home > hole or home <= probe)):
                continue
            keys[hole], values[hole], stamps[hole] = key, values[probe], stamps[probe]
            hole = probe
        keys[hole] = EMPTY

    def _grow(self) -> None:
        keys, values, stamps = self._keys, self._values, self._stamps
        self._table(65 - self._shift)  # one bit more
        new_keys, new_values, new_stamps = self._keys, self._values, self._stamps
        for old, key in enumerate(keys):
            if key != EMPTY:
                slot = self._slot(key)
                new_keys[slot], new_values[slot], new_stamps[slot] = key, values[old], stamps[old]

    def _compact(self) -> None:
        """Drop the entries of the order before ``_start``, and, when the rest would leave too little room before
        the next compaction (some ``size / 8`` stale entries among them), the stale ones too (renumbering the puts).
        The order thus holds at most ``size * 5/4 + 64`` entries; each renumbering walks at most that many for at
        least ``size / 8`` keys put again since the last."""
        order, start = self._order, self._start
        if len(order) - start <= self.size + self.size // 8 + 32:
            del order[:start]
            self._base += start
            self._start = 0
            return
        kept = array("q")
        base, keys, stamps = self._base, self._keys, self._stamps
        for index in range(start, len(order)):
            folded = order[index]
            slot = self._slot(folded)
            if keys[slot] == folded and stamps[slot] == base + index:
                stamps[slot] = len(kept)
                kept.append(folded)
        self._order, self._base, self._start, self._stale = kept, 0, 0, 0

    def __len__(self) -> int:
        return self._live

    def __contains__(self, key: Any) -> bool:
        return self._keys[self._slot(fold(key))] != EMPTY
