"""Items a list at a time (`livemoney.core.records.Batches`): a decoder's session, the platform check and the
progress bar hand on lists, and nothing a consumer sees changes with the size of the lists."""

import io
import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from livemoney.core.models import Like, Rejected, Skipped
from livemoney.core.records import Batches, DecoderSession
from livemoney.engine.readers import KnownPlatforms, checked
from livemoney.engine.valuer import _bytes_progress
from livemoney.errors import FieldError, FxError
from livemoney.pluginsys.manager import default_manager

SOURCE = "f.jsonl"
DOINGS = ["like", "chat", "reject", "like and reject", "hold", "give back", "nothing", "out of bounds", "no rate"]
LINES = [*(f'{{"do": "{doing}"}}' for doing in DOINGS), "not json", "", '{"do": "like", "platform": "nowhere"}']


class Scripted:
    """A decoder that does what each record says: an event, a record without money, a reject (alone or after an
    event of the same line), holds the record back or gives back every one held (and its own), nothing (never
    accounted for), an event beyond livemoney's bounds (`FieldError`) or a currency without rate (`FxError`).
    ``fed``: the lines fed so far, in order."""

    def __init__(self, source):
        self.source = source
        self.fed = []
        self.held = []

    def feed(self, record, line):
        self.fed.append(line)
        doing = record["do"]
        like = Like(platform=record.get("platform", "tiktok"), count=1, source=f"{self.source}:{line}")
        rejected = Rejected(self.source, line, "do", "not today", "(re-serialised)")
        if doing == "out of bounds":
            raise FieldError("count", "beyond the maximum")
        if doing == "no rate":
            raise FxError("no rate for XYZ")
        if doing == "hold":
            self.held.append(line)
            return []
        if doing == "give back":
            given = [Skipped(self.source, held, "chat") for held in self.held]
            self.held.clear()
            return [*given, Skipped(self.source, line, "chat")]
        return {
            "like": [like],
            "chat": [Skipped(self.source, line, "chat")],
            "reject": [rejected],
            "like and reject": [like, rejected],
            "nothing": [],
        }[doing]

    def flush(self, now=None):
        return [Skipped(self.source, held, "chat") for held in self.held]


def _session_items(text, batch):
    """What a session of `Scripted` hands on of ``text`` with lists of ``batch`` items (then its end), as
    ``(items, the lists, the decoder, the failure raised or None)``."""
    session = DecoderSession(Scripted)
    session.BATCH = batch
    lists, failure = [], None
    try:
        lists.extend(session.read(io.BytesIO(text), SOURCE).lists)
        lists.append(list(session.finish()))
    except FxError as error:
        failure = error
    return [item for items in lists for item in items], lists, session._decoder, failure


@given(st.lists(st.sampled_from(LINES), max_size=60), st.integers(1, 8))
@example(['{"do": "chat"}', '{"do": "hold"}', '{"do": "no rate"}'], 4)
def test_the_items_and_the_failure_are_the_same_whatever_the_size_of_the_lists(lines, batch):
    # One item a list is what one item at a time did: any size gives the same items (rejects verbatim with their
    # line and field, records held back and given back, records never accounted for), the same failure after the
    # same items, and no empty list.
    text = "\n".join(lines).encode() + b"\n"
    one, _, _, failure_one = _session_items(text, 1)
    items, lists, _, failure = _session_items(text, batch)
    assert items == one
    assert repr(failure) == repr(failure_one)
    assert all(lists[:-1])  # the last list: what the end gave back, perhaps nothing


@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=60), st.integers(1, 600))
def test_a_consumer_that_stops_at_the_first_reject_has_fed_the_decoder_no_record_past_it(lines, batch):
    text = "\n".join(lines).encode() + b"\n"
    session = DecoderSession(Scripted)
    session.BATCH = batch
    lists = session.read(io.BytesIO(text), SOURCE).lists
    try:
        for items in lists:
            first = next((item for item in items if isinstance(item, Rejected)), None)
            if first is not None:
                fed = session._decoder.fed
                # a record the decoder rejected was the last it was fed; a line the host rejected (not JSON) comes
                # after the last fed
                assert (fed and fed[-1] == first.line) or (first.field == "(line)" and (not fed or fed[-1] < first.line))
                return
            # a list ends early only at a reject, or at the end of the file
            assert len(items) >= batch or next(lists, None) is None
    except FxError:
        pass


def test_a_list_holds_at_most_the_items_of_its_last_record_past_its_size():
    text = b'{"do": "like and reject"}\n' + b'{"do": "like"}\n' * 10
    _, lists, _, _ = _session_items(text, 3)
    assert [len(items) for items in lists] == [2, 3, 3, 3, 1, 0]


def test_a_failure_comes_after_every_item_made_before_it():
    text = b'{"do": "like"}\n{"do": "chat"}\n{"do": "no rate"}\n{"do": "like"}\n'
    items, _, decoder, failure = _session_items(text, 512)
    assert isinstance(failure, FxError)
    assert [item.__class__ for item in items] == [Like, Skipped]
    assert decoder.fed == [1, 2, 3]


KNOWN = KnownPlatforms(default_manager())


@given(st.lists(st.sampled_from(LINES), max_size=60), st.integers(1, 8))
def test_the_platform_check_of_lists_is_that_of_the_items(lines, batch):
    text = "\n".join(lines).encode() + b"\n"
    session = DecoderSession(Scripted)
    session.BATCH = batch
    try:
        lists = list(session.read(io.BytesIO(text), SOURCE).lists)
    except FxError:
        return
    given = [list(items) for items in lists]
    by_lists = list(checked(Batches(iter(lists)), SOURCE, KNOWN))
    by_items = list(checked(iter([item for items in lists for item in items]), SOURCE, KNOWN))
    assert by_lists == by_items
    unknown = {item.line for item in by_items if isinstance(item, Rejected) and item.field == "platform"}
    fed = set(session._decoder.fed)
    assert unknown == {number for number, line in enumerate(lines, 1) if "nowhere" in line and number in fed}
    assert lists == given  # the lists given are never changed in place


class Bar:
    def __init__(self):
        self.moved = []

    def update(self, size):
        self.moved.append(size)


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("count", [0, 1, 4095, 4096, 10_000])
def test_the_progress_bar_ends_at_the_bytes_read_and_hands_the_items_on_unchanged(batched, count):
    stream = io.BytesIO(b"x" * 100_000)
    made = [Skipped(SOURCE, line, "chat") for line in range(1, count + 1)]

    def reading():  # the stream read on as the items come, 10 bytes an item
        for item in made:
            stream.seek(item.line * 10)
            yield item

    def lists():
        items = reading()
        while chunk := list(itertools.islice(items, 300)):
            yield chunk

    bar = Bar()
    items = list(_bytes_progress(Batches(lists()) if batched else reading(), stream, bar))
    assert items == made
    assert sum(bar.moved) == count * 10
    assert all(size > 0 for size in bar.moved)
    assert len(bar.moved) <= count // 4096 + 1


@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=60), st.integers(1, 600))
@example(['{"do": "like", "platform": "nowhere"}', '{"do": "like"}', '{"do": "like"}'], 512)
def test_a_consumer_that_stops_at_an_event_of_an_unknown_platform_has_fed_the_decoder_no_record_past_it(lines, batch):
    # A breaker's find: the platform check rejects an event of an unknown platform after the decoder made it, so
    # a session told the run's platforms ends its list there too (as at a decoder's reject): with
    # on_error="fail" the run stops with the decoder fed no record past it (a plugin's fault there unseen).
    text = "\n".join(lines).encode() + b"\n"
    session = DecoderSession(Scripted, KNOWN.keys)
    session.BATCH = batch
    try:
        for item in checked(session.read(io.BytesIO(text), SOURCE), SOURCE, KNOWN):
            if isinstance(item, Rejected):
                fed = session._decoder.fed
                assert (fed and fed[-1] == item.line) or (item.field == "(line)" and (not fed or fed[-1] < item.line))
                break
    except FxError:
        pass
    # Read to the end, the items are those of a session that knows no platforms (lists of any size).
    def everything(platforms):
        session, found = DecoderSession(Scripted, platforms), []
        session.BATCH = batch
        try:
            found.extend(checked(session.read(io.BytesIO(text), SOURCE), SOURCE, KNOWN))
        except FxError as error:
            found.append(repr(error))
        return found

    assert everything(KNOWN.keys) == everything(None)
