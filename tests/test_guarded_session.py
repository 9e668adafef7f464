"""A plugin's decoder in a `DecoderSession`: the session feeds the plugin's own ``feed`` (lent by the guard,
`guarded_reader`'s ``unchecked_feed``) and checks each record's items once, in its own loop. Whatever the plugin
answers or raises, the items and the plugin's faults are those of the guard's ``feed`` one record at a time."""

import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from livemoney.core.models import Like, Reader, Rejected, Skipped
from livemoney.core.records import Batches, DecoderSession, Unvouched, read_with_decoder
from livemoney.engine.readers import KnownPlatforms, checked, guarded_reader
from livemoney.errors import FieldError, FxError
from livemoney.pluginsys.manager import get_plugin_manager

SOURCE = "f.jsonl"
PM = get_plugin_manager()
"""One manager for every example (made once: it loads the installed plugins); each read takes the faults it met."""
DOINGS = [
    "like",
    "chat",
    "chat of another line",
    "reject",
    "like and reject",
    "hold",
    "give back",
    "nothing",
    "out of bounds",
    "no rate",
    "raise",
    "junk",
    "like and junk",
    "generator",
    "generator that raises",
    "tuple",
]
LINES = [*(f'{{"do": "{doing}"}}' for doing in DOINGS), "not json", '{"do": "like", "platform": "nowhere"}']


class Wayward:
    """A plugin's decoder that does what each record says: good answers (events, records without money, rejects,
    held back and given back), answers as a generator or a tuple, and faults (raises, answers what is no item, a
    generator that raises half-way); a value beyond livemoney's bounds (`FieldError`) and a currency without rate
    (`FxError`) are the input's."""

    def __init__(self, source):
        self.source = source
        self.held = []

    def feed(self, record, line):
        doing = record["do"]
        like = Like(platform=record.get("platform", "tiktok"), count=1, source=f"{self.source}:{line}")
        chat = Skipped(self.source, line, "chat")
        if doing == "out of bounds":
            raise FieldError("count", "beyond the maximum")
        if doing == "no rate":
            raise FxError("no rate for XYZ")
        if doing == "raise":
            raise RuntimeError("the plugin broke")
        if doing == "hold":
            self.held.append(line)
            return []
        if doing == "give back":
            given = [Skipped(self.source, held, "chat") for held in self.held]
            self.held.clear()
            return [*given, chat]
        if doing == "generator":
            return (item for item in [like, chat])
        if doing == "generator that raises":
            return self._breaking(like)
        return {
            "like": [like],
            "chat": [chat],
            "chat of another line": [Skipped(self.source, line + 1000, "chat")],
            "reject": [Rejected(self.source, line, "do", "not today", "(re-serialised)")],
            "like and reject": [like, Rejected(self.source, line, "do", "not today", "")],
            "nothing": [],
            "junk": ["not an item"],
            "like and junk": [like, 42, chat],
            "tuple": (like, chat),
        }[doing]

    @staticmethod
    def _breaking(like):
        yield like
        raise ValueError("half-way")

    def flush(self, now=None):
        return [Skipped(self.source, held, "chat") for held in self.held]


class OneAtATime:
    """The guarded decoder through its ``feed`` only (what any other caller, `LiveTally`, uses): no plugin feed lent."""

    def __init__(self, guarded):
        self.feed = guarded.feed
        self.flush = guarded.flush


def _reader():
    return Reader(
        name="wayward",
        platform="tiktok",
        description="a test reader",
        sniff=lambda head: False,
        read=read_with_decoder(Wayward),
        decoder=Wayward,
    )


def _read(text, lend):
    """What a session of a guarded `Wayward` hands on of ``text`` (then its end), the plugin's faults and the failure
    raised (or None); with ``lend``, the session feeds the plugin's own feed."""
    pm = PM
    mark = pm.fault_mark()
    make = guarded_reader(pm, "wayward-plugin", _reader()).decoder
    session = DecoderSession(make if lend else (lambda source: OneAtATime(make(source))), {"tiktok"})
    items, failure = [], None
    try:
        for batch in session.read(io.BytesIO(text), SOURCE).lists:
            items.extend(batch)
        items.extend(session.finish())
    except FxError as error:
        failure = str(error)
    return items, [str(fault) for fault in pm.faults_since(mark)], failure, session


@settings(deadline=None)  # no timed test
@given(st.lists(st.sampled_from(LINES), max_size=40))
@example(['{"do": "hold"}', '{"do": "junk"}', '{"do": "give back"}'])
@example(['{"do": "like and junk"}', '{"do": "generator that raises"}', '{"do": "raise"}'])
def test_the_plugins_own_feed_gives_the_items_and_faults_of_the_guards_feed(lines):
    text = "\n".join(lines).encode()
    lent = _read(text, lend=True)
    assert lent[3]._decoder.unchecked_feed is not None  # the session fed the plugin's own feed
    one_at_a_time = _read(text, lend=False)
    assert lent[:3] == one_at_a_time[:3]
    # every item is an event, a Skipped or a Rejected; each fault (recorded once) is a `Rejected` of its line, verbatim
    assert all(isinstance(item, (Like, Skipped, Rejected)) for item in lent[0])
    faulted = [item for item in lent[0] if isinstance(item, Rejected) and item.field == "(reader)"]
    assert {item.problem for item in faulted} == set(lent[1])
    assert all(fault.startswith("plugin 'wayward-plugin': reader wayward: feed ") for fault in lent[1])
    assert all(item.raw == lines[item.line - 1] for item in faulted)


KNOWN = KnownPlatforms(PM)


@settings(deadline=None)  # no timed test
@given(st.lists(st.sampled_from(LINES), max_size=40), st.integers(1, 8))
@example(['{"do": "like", "platform": "nowhere"}', '{"do": "like"}'], 8)
def test_the_platform_check_of_a_sessions_vouched_lists_is_that_of_each_item(lines, batch):
    # A session with the known platforms vouches for its plain lists (`Batches.platforms`): the check hands them on
    # without a look; its lists with an event of an unknown platform are `Unvouched`, looked at item by item. The
    # items are those of checking each item, and every event of an unknown platform is rejected.
    text = "\n".join(lines).encode()
    make = guarded_reader(PM, "wayward-plugin", _reader()).decoder
    session = DecoderSession(make, KNOWN.keys)
    session.BATCH = batch
    lists, failure = [], None
    try:
        lists.extend(session.read(io.BytesIO(text), SOURCE).lists)
    except FxError as error:
        failure = error
    vouched = Batches(iter(lists), KNOWN.keys)
    by_lists = list(checked(vouched, SOURCE, KNOWN))
    by_items = list(checked(iter([item for items in lists for item in items]), SOURCE, KNOWN))
    assert by_lists == by_items
    assert not any(isinstance(item, Like) and item.platform not in KNOWN.keys for item in by_lists)
    for items in lists:  # a plain list holds no event of an unknown platform
        if items.__class__ is list:
            assert all(item.platform in KNOWN.keys for item in items if isinstance(item, Like))
        else:
            assert isinstance(items, Unvouched)
    assert failure is None or "no rate" in str(failure)
