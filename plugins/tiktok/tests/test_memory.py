"""`CompactRecent`, the decoder's memory of message ids and finished streaks, gives `livemoney.kit.Recent`'s
answers (the last ``size`` distinct keys put, the newest value of each) for any sequence of puts and gets,
in arrays of machine ints: its memory stops growing once it holds ``size`` keys."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from livemoney.kit import Recent
from livemoney_tiktok.readers.memory import EMPTY, CompactRecent, fold
from livemoney_tiktok.readers.streaks import MEMORY, WebcastDecoder

# Message ids (exact: folded to their number), ids that are not plain digits (hashed), streak keys (tuples,
# hashed), and the int values, tuples and None a decoder puts.
KEYS = st.one_of(
    st.integers(0, 40).map(lambda n: str(7434100000000000000 + n)),
    st.integers(0, 5).map(lambda n: f"0{n}"),
    st.sampled_from(["1", "9223372036854775807", "9223372036854775808", "99999999999999999999", "١٢", "x"]),
    st.tuples(st.sampled_from(["u1", "u2"]), st.sampled_from(["5655", "Rose"]), st.sampled_from([None, "g"])),
)
VALUES = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([2**63, -(2**63) - 1, 0]),
    st.none(),
    st.tuples(st.integers(), st.integers()),
)
STEPS = st.lists(st.tuples(st.sampled_from(["get", "put", "put_new"]), KEYS, VALUES), max_size=300)


@settings(max_examples=300, deadline=None)
@given(size=st.integers(1, 12), steps=STEPS)
def test_it_answers_as_recent_does(size, steps):
    recent, compact = Recent(size), CompactRecent(size)
    for step, key, value in steps:
        if step == "put":
            recent.put(key, value)
            compact.put(key, value)
        elif step == "put_new":  # Recent's get, then put when the key is not there
            there = key in recent
            expected = recent.get(key) if there else "missing"
            if not there:
                recent.put(key, value)
            assert compact.put_new(key, value, "missing") == expected
        assert compact.get(key, "absent") == recent.get(key, "absent")
        assert (key in compact) == (key in recent)
        assert len(compact) == len(recent)
    for key in {key for _, key, _ in steps}:
        assert compact.get(key, "absent") == recent.get(key, "absent")


def test_it_forgets_the_oldest_distinct_key_and_a_key_put_again_is_the_newest():
    seen = CompactRecent(3)
    for key in ("7434100000000000001", "7434100000000000002", "7434100000000000003"):
        seen.put(key, 1)
    seen.put("7434100000000000001", 2)  # the newest now: 002 is the oldest
    seen.put("7434100000000000004", 3)
    assert "7434100000000000002" not in seen
    assert [seen.get(key) for key in ("7434100000000000001", "7434100000000000003", "7434100000000000004")] == [2, 1, 3]
    assert len(seen) == 3


@pytest.mark.parametrize("size", [1000, 1600])
def test_many_keys_through_a_small_memory_keep_exactly_the_last_ones(size):
    # Enough keys that the table grows, forgets by shifting keys back, and compacts the order of puts; 1600 keys
    # fill its last table (2048 slots) up to 4/5, 1000 not even half.
    seen = CompactRecent(size)
    for number in range(20_000):
        seen.put(str(7434100000000000000 + number * 4096), number)  # ids alike in their low bits
        if number % 7 == 0:
            seen.put(str(7434100000000000000 + (number // 2) * 4096), -number)  # an older id again
        assert len(seen._order) <= size + size // 4 + 64  # compacted by dropping the forgotten, or the stale
    recent = Recent(size)
    for number in range(20_000):
        recent.put(str(7434100000000000000 + number * 4096), number)
        if number % 7 == 0:
            recent.put(str(7434100000000000000 + (number // 2) * 4096), -number)
    assert len(seen) == len(recent) == size
    assert len(seen._keys) == 2048
    for number in range(20_000):
        key = str(7434100000000000000 + number * 4096)
        assert seen.get(key) == recent.get(key)


def test_a_message_id_of_digits_is_kept_exactly_and_other_keys_never_meet_it():
    assert fold("7434100000000000001") == 7434100000000000001
    assert fold("9223372036854775807") == 2**63 - 1
    for key in ("9223372036854775808", "01", "0", "١٢", "12a", ("u", "5655", "g"), 12):
        assert EMPTY < fold(key) < 0


def test_the_memory_of_a_full_decoder_stops_growing():
    def held(puts):
        tracemalloc.start()
        try:
            seen = CompactRecent(MEMORY)
            before = tracemalloc.get_traced_memory()[0]
            for number in range(puts):
                seen.put(str(7434100000000000000 + number), hash(str(number)))
            return tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()

    # Full, then three times as many keys put: the table stays as it is; only the order of puts may hold up to
    # MEMORY * 5/4 + 64 ints before it is compacted (Recent held some 25 MiB of objects for these keys).
    full, longer = held(MEMORY + 1), held(3 * MEMORY)
    assert full < 4.5 * 2**20  # 131,072 slots of three 8-byte ints (3 MiB) and the order of puts
    assert longer < 5.5 * 2**20
    assert longer - full < (MEMORY + 64) * 8 * 1.2


@pytest.mark.parametrize("rounded", [True, False])
def test_a_message_id_shared_by_two_contents_remembers_both(rounded):
    decoder = WebcastDecoder("log")
    common = {"method": "WebcastLikeMessage", "msgId": 7434100000000000256 if rounded else "7434100000000000256"}
    one = {"common": common, "likeCount": 3, "user": {"uniqueId": "ana"}}
    two = {"common": common, "likeCount": 4, "user": {"uniqueId": "bo"}}
    outcomes = [decoder.feed(record, line) for line, record in enumerate([one, two, one, two, one], 1)]
    kinds = [type(items[0]).__name__ for items in outcomes]
    assert kinds == ["Like", "Like", "Skipped", "Skipped", "Skipped"]
    assert all(items[0].why == "repeat" for items in outcomes[2:])
