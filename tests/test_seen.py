"""The index of every id seen in a run (`livemoney.engine.seen.SeenIds`): it answers as a dict would, in its
three tiers (the dict, the sorted runs in memory, the SQLite file), across every boundary between them."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney.engine import seen
from livemoney.engine.seen import SeenIds


def normal(found):
    """A value as a platform and a set of fingerprints (the order of several is not kept past the dict)."""
    if found is None:
        return None
    platform, prints = found
    return platform, frozenset(prints if isinstance(prints, tuple) else (prints,))


def put_as_the_valuer(ids, model, key, platform, print_):
    """Put ``print_`` under ``key`` as the valuer does: the first time with its platform, later with the
    fingerprints it had and the new one (a value only grows); the same in the plain dict ``model``."""
    found = ids.get(key)
    if found is None:
        ids.put(key, (platform, print_))
        model[key] = (platform, frozenset((print_,)))
        return
    platform, prints = found
    prints = prints if isinstance(prints, tuple) else (prints,)
    if print_ not in prints:
        ids.put(key, (platform, (*prints, print_)))
    model[key] = (platform, model[key][1] | {print_})


KEYS = st.one_of(
    st.integers(0, 60).map(lambda n: f"id{n}"),
    st.tuples(st.sampled_from(["tiktok", "youtube"]), st.integers(0, 5).map(lambda n: f"id{n}")),
)
PUT = st.tuples(st.just("put"), KEYS, st.sampled_from(["tiktok", "youtube", "facebook"]), st.integers(-3, 3))
PUT_NEW = st.tuples(
    st.just("put_new"),
    st.lists(st.tuples(KEYS, st.sampled_from(["tiktok", "youtube"]), st.integers(-3, 3)), max_size=12),
)
STEPS = st.lists(
    st.one_of(PUT, PUT, PUT, PUT_NEW, st.tuples(st.just("get"), KEYS), st.tuples(st.just("spill"))),
    min_size=30,
    max_size=400,
)


def put_new_as_the_valuer(ids, model, rows):
    """Put a chunk's keys at once as the valuer's fast path does: only when none of them was put before
    and none is twice in the chunk (`hashes_if_new` says so exactly); else nothing is put."""
    keys = [key for key, _, _ in rows]
    codes = ids.hashes_if_new(keys)
    assert (codes is None) == (len(set(keys)) != len(keys) or any(key in model for key in keys))
    if codes is not None:
        ids.put_new(codes, (print_ for _, _, print_ in rows), [platform for _, platform, _ in rows])
        model.update((key, (platform, frozenset((print_,)))) for key, platform, print_ in rows)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=STEPS,
    in_memory=st.integers(1, 12),
    in_arrays=st.integers(1, 24),
    numpy_past=st.sampled_from([0, 5, 30, 10**6]),
)
def test_the_index_answers_as_a_dict_in_memory_in_runs_and_on_disk(steps, in_memory, in_arrays, numpy_past):
    # numpy_past: the runs numpy arrays from the first spill, plain arrays for the first keys spilled (or
    # the first 16 runs) then numpy arrays, or plain arrays throughout (to the file included).
    ids = SeenIds(in_memory=in_memory, in_arrays=in_arrays, numpy_past=numpy_past)
    model = {}
    try:
        for step in steps:
            if step[0] == "put":
                put_as_the_valuer(ids, model, *step[1:])
            elif step[0] == "put_new":
                put_new_as_the_valuer(ids, model, step[1])
            elif step[0] == "get":
                assert normal(ids.get(step[1])) == model.get(step[1])
            else:
                ids.spill()
        for key, value in model.items():
            assert normal(ids.get(key)) == value
            assert key in ids.hot or ids.may_have(key)  # no false "never seen"
        assert ids.get("never put") is None and ids.get(("tiktok", "never put")) is None
    finally:
        ids.close()


def test_a_list_with_a_key_twice_is_not_new():
    # The valuer's fast path asks `hashes_if_new` once for a chunk's ids: a chunk with an id twice (a repeat
    # within the chunk) is not new, so that its lines are taken one at a time. The hashes come back in the
    # order of the keys, with the order that sorts them.
    ids = SeenIds()
    assert ids.hashes_if_new(["id1", "id2", "id1"]) is None
    codes, order = ids.hashes_if_new(["id3", "id1", "id2"])
    assert codes.tolist() == [hash("id3"), hash("id1"), hash("id2")]
    assert codes[order].tolist() == sorted(codes.tolist())
    ids.put_new((codes, order), [3, 1, 2], ["tiktok"] * 3)
    assert ids.hashes_if_new(["id4", "id2"]) is None
    assert [ids.get(key) for key in ("id1", "id2", "id3")] == [("tiktok", 1), ("tiktok", 2), ("tiktok", 3)]
    ids.close()


@pytest.mark.parametrize("repeated", [0, 1_999, 4_000, 6_500])
def test_chunks_put_at_once_are_gathered_then_sorted_and_a_key_of_any_of_them_is_never_new(repeated):
    # Chunks of 1,000 keys put as the valuer's fast path puts them: gathered (unsorted) until they hold
    # `in_memory` keys (4,000), then sorted into a run. A later chunk with one key of an earlier one, at any
    # place (a chunk gathered, a run, the chunk the run was sorted from), is not new: `hashes_if_new` says so.
    ids = SeenIds(in_memory=4_000, in_arrays=10**6)
    keys = [f"key{n}" for n in range(7_000)]
    for start in range(0, 7_000, 1_000):
        chunk = keys[start : start + 1_000]
        ids.put_new(ids.hashes_if_new(chunk), range(start, start + 1_000), ["tiktok"] * 1_000)
    assert [len(run[0]) for run in ids._runs] == [4_000] and len(ids._gathered) == 3
    later = [f"new{n}" for n in range(999)] + [keys[repeated]]
    assert ids.hashes_if_new(later) is None
    assert ids.hashes_if_new(later[:-1]) is not None
    assert ids.get(keys[repeated]) == ("tiktok", repeated)
    assert all(ids.get(key) == ("tiktok", n) for n, key in enumerate(keys) if n % 97 == 0)
    ids.close()


def test_a_run_moves_to_the_file_past_its_budget_and_each_id_is_still_found():
    ids = SeenIds(in_memory=10, in_arrays=100)
    for n in range(2000):
        ids.put(f"id{n}", ("p" if n % 3 else "q", n))
    assert ids.in_file >= 1800 and ids.on_disk >= 1990 and len(ids.hot) < 10
    assert all(ids.get(f"id{n}") == ("p" if n % 3 else "q", n) for n in range(2000))
    assert ids.get("id2000") is None
    # A conflict on a key in the file: its fingerprints put again with a new one, which the dict, then a
    # run, then the file hold; each time the index answers both.
    ids.put("id3", ("q", (3, 33)))
    assert ids.get("id3") == ("q", (3, 33))
    ids.spill()
    assert ids.get("id3") == ("q", (3, 33))
    for n in range(2000, 2200):  # the run with both goes to the file too
        ids.put(f"id{n}", ("p", n))
    assert ids.get("id3") == ("q", (3, 33)) and ids.get("id2100") == ("p", 2100)
    ids.close()
    assert ids.get("id3") is None and ids.in_file == 0 and ids.on_disk == 0


def test_four_runs_of_equal_size_are_merged_so_that_few_are_searched():
    ids = SeenIds(in_memory=4, in_arrays=10**6)
    for n in range(4 * 1000):  # 1,000 spills of 4 keys
        ids.put(f"id{n}", ("p", n))
    sizes = [len(run[0]) for run in ids._runs]
    # 1,000 = 3 x 256 + 3 x 64 + 2 x 16 + 2 x 4 spills (its digits in base 4): a run each, the largest oldest
    assert sizes == [4 * 256] * 3 + [4 * 64] * 3 + [4 * 16] * 2 + [4 * 4] * 2
    assert all((keys[:-1] <= keys[1:]).all() for keys, _, _ in ids._runs)
    assert ids.in_file == 0
    assert all(ids.get(f"id{n}") == ("p", n) for n in range(0, 4000, 7))


@pytest.mark.parametrize("numpy_past", [0, 10**6])
def test_the_filter_grows_from_the_runs_and_the_file_and_never_forgets(monkeypatch, numpy_past):
    # A first filter made for 64 keys, full many times over: each time it is made again, twice as large,
    # from every hash in the runs and in the file (numpy's runs, or plain ones); no key past the dict is ever
    # said "never seen", by `may_have` nor by the first probe of `screen` (the valuer's inline test).
    monkeypatch.setattr(seen, "_FIRST_CAPACITY", 64)
    ids = SeenIds(in_memory=8, in_arrays=200, numpy_past=numpy_past)
    keys = [f"id{n}" for n in range(3000)]
    for n, key in enumerate(keys):
        ids.put(key, ("p", n))
    on_disk, bits, mask = ids.screen
    assert on_disk == ids.on_disk >= 2990 and ids.in_file > 0 and mask + 1 >= 16 * on_disk
    past = [key for key in keys if key not in ids.hot]
    assert all(ids.may_have(key) for key in past)
    assert all(bits[(probe := hash(key) & mask) >> 3] >> (probe & 7) & 1 for key in past)
    false_alarms = sum(ids.may_have(f"other{n}") for n in range(20_000))
    assert false_alarms < 200  # about 1 in 500 at this fill (16 bits a key at most, 3 probes)
    ids.close()


def test_the_index_refuses_an_empty_tier():
    with pytest.raises(ValueError, match="in_memory"):
        SeenIds(in_memory=0)
    with pytest.raises(ValueError, match="in_arrays"):
        SeenIds(in_arrays=0)


def test_plain_runs_become_numpy_runs_past_their_keys_their_runs_or_their_lookups(monkeypatch):
    # Plain runs (array.array) until NUMPY_PAST keys, _PLAIN_RUNS runs or _PLAIN_LOOKUPS lookups past the
    # filter (repeats: a capture given twice), then numpy runs, merged; every key is found the same before and
    # after, and `use_numpy` (the canonical valuer's first step) turns them at once.
    monkeypatch.setattr(seen, "_PLAIN_LOOKUPS", 50)
    ids = SeenIds(in_memory=100, numpy_past=10**6)
    for n in range(1_000):
        ids.put(f"id{n}", ("p", n))
    assert ids._plain and len(ids._runs) == 10 and all(run[0].__class__.__name__ == "array" for run in ids._runs)
    assert all(ids.get(f"id{n}") == ("p", n) for n in range(0, 1_000, 25))  # 40 lookups: still plain
    assert ids._plain
    assert all(ids.get(f"id{n}") == ("p", n) for n in range(1_000))  # past 50: numpy runs, merged
    assert not ids._plain and len(ids._runs) < 10 and all(run[0].__class__.__name__ == "ndarray" for run in ids._runs)
    assert ids.get("id1000") is None
    ids.close()
    ids = SeenIds(in_memory=100, numpy_past=250)
    for n in range(1_000):
        ids.put(f"id{n}", ("p", n))
    assert not ids._plain  # past 250 keys spilled
    assert all(ids.get(f"id{n}") == ("p", n) for n in range(1_000))
    ids.close()
    ids = SeenIds(in_memory=100)
    for n in range(300):
        ids.put(f"id{n}", ("p", n))
    ids.use_numpy()
    assert not ids._plain and all(ids.get(f"id{n}") == ("p", n) for n in range(300))
    ids.close()
