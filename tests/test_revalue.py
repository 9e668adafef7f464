"""Keyed re-valuation (livemoney.engine.revalue): a log valued once, then valued again in another currency,
rules' date or settings from its rows, gives exactly what valuing the log again gives."""

import datetime as dt
from decimal import Decimal

import attrs
import livemoney_instagram
import livemoney_tiktok
import livemoney_youtube
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from livemoney import Donation, Gift, Like, Money
from livemoney.core.models import Rejected
from livemoney.engine.api import context
from livemoney.engine.revalue import Counted, report_of_rows, revaluable, revalue, subset
from livemoney.engine.rows import EventRows
from livemoney.engine.valuer import value
from livemoney.testing import plugin_manager

PM = plugin_manager(livemoney_youtube.PLUGIN, livemoney_instagram.PLUGIN, livemoney_tiktok.PLUGIN)
DAYS = [dt.datetime(2024, 6, 1, 20, tzinfo=dt.UTC), dt.datetime(2025, 3, 3, 21, tzinfo=dt.UTC), None]
VIEWERS = st.sampled_from(["ana", "bob", "cy", None])


@st.composite
def events(draw):
    day = draw(st.sampled_from(DAYS))
    ts = None if day is None else day + dt.timedelta(seconds=draw(st.integers(0, 7200)))
    common = {
        "viewer": draw(VIEWERS),
        "ts": ts,
        "id": draw(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d"]))),
        "stream": draw(st.sampled_from([None, "s1", "s2"])),
    }
    kind = draw(st.sampled_from(["chat", "badge", "gift", "like"]))
    cents = draw(st.integers(1, 100_000))
    if kind == "chat":
        currency = draw(st.sampled_from(["USD", "EUR", "JPY"]))
        amount = Money(Decimal(cents) / (1 if currency == "JPY" else 100), currency)
        return Donation(platform="youtube", feature="super_chat", amount=amount, **common)
    if kind == "badge":
        return Donation(platform="instagram", feature="badge", amount=Money("4.99", "USD"), **common)
    if kind == "gift":
        return Gift(
            platform="tiktok",
            gift=draw(st.sampled_from(["Rose", "Galaxy"])),
            amount=Money(draw(st.integers(1, 500)), "coins"),
            count=draw(st.integers(1, 5)),
            recipient=draw(st.sampled_from([None, "host", "guest"])),
            host=draw(st.sampled_from([None, "host"])),
            **common,
        )
    return Like(platform="tiktok", count=draw(st.integers(1, 50)), **common)


CONTEXTS = st.tuples(
    st.sampled_from(["USD", "EUR", "JPY", "GBP"]),
    st.sampled_from([None, dt.date(2024, 6, 1), dt.date(2025, 3, 3)]),
    st.sampled_from([{}, {"instagram.meta_share": "0.1"}, {"tiktok.diamond_usd": "0.004"}]),
)


def same(one, other) -> None:
    assert one.to_dict() == other.to_dict()
    assert one.viewers == other.viewers and one.bins == other.bins
    assert one.counts_line() == other.counts_line() and one.notes() == other.notes()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events(), max_size=25), CONTEXTS, CONTEXTS, st.sampled_from([None, "host"]))
@example(  # found by hypothesis: the warning of a host no gift names went with the run, not the revalued report
    [Gift(platform="tiktok", viewer="ana", gift="Rose", count=1, amount=Money(1, "coins"), recipient="guest")],
    ("USD", None, {}),
    ("USD", None, {}),
    "host",
)
def test_revaluing_the_rows_is_valuing_the_log_again(items, first, then, host):
    rows = EventRows()
    report = value(items, *first, pm=PM, progress=False, rows=rows, host=host, on_error="skip")
    found = revalue(rows, report, context(*then, pm=PM), PM, Counted(rows))
    assert found is not None
    again_rows, again = found
    same(again, value(items, *then, pm=PM, progress=False, host=host, on_error="skip"))
    assert list(again_rows.entry) == list(rows.entry) and len(again_rows.valuations) == len(rows.valuations)
    # the rows re-valued may be re-valued again, back to the first context
    back = revalue(again_rows, again, context(*first, pm=PM), PM)
    assert back is not None
    same(back[1], report)


@settings(max_examples=20, deadline=None)
@given(st.lists(events(), max_size=25), st.sampled_from(["youtube", "instagram", "tiktok"]))
def test_a_subset_of_the_rows_is_the_report_of_its_events(items, platform):
    rows = EventRows()
    value(items, pm=PM, progress=False, rows=rows, on_error="skip")
    mine = report_of_rows(subset(rows, lambda valued: valued.platform == platform), "USD", None)
    fresh = value([e for e in items if e.platform == platform], pm=PM, progress=False, on_error="skip")
    assert mine.to_dict()["rows"] == fresh.to_dict()["rows"] and mine.to_dict()["total"] == fresh.to_dict()["total"]
    assert mine.viewers == fresh.viewers and mine.bins == fresh.bins
    assert mine.records == mine.valued == fresh.valued  # a subset counts its valued events (no duplicates)


def test_what_cannot_be_revalued_exactly_is_said(tmp_path):
    chat = Donation(platform="youtube", feature="super_chat", amount=Money("5.00", "USD"), viewer="ana")
    rows = EventRows()
    report = value([chat], pm=PM, progress=False, rows=rows)
    assert revaluable(report)
    # a line rejected for its value might be valued in another context: read the log again
    too_large = Rejected("log", 3, "amount", "too large to value exactly (Overflow)", "{}")
    assert revalue(rows, attrs.evolve(report, rejected=1, rejects=(too_large,)), context("EUR", pm=PM), PM) is None
    # a line rejected for its form stays rejected whatever the context
    malformed = Rejected("log", 3, "amount", "'x' is not a decimal number", "{}")
    kept = attrs.evolve(report, records=2, rejected=1, rejects=(malformed,))
    found = revalue(rows, kept, context("EUR", pm=PM), PM)
    assert found is not None and found[1].rejects == (malformed,) and found[1].records == 2
    # more rejects than the report keeps: unknown why, so read again
    assert revalue(rows, attrs.evolve(kept, rejected=5000), context("EUR", pm=PM), PM) is None
    # a valuation that kept no event cannot be valued again
    orphan = EventRows()
    orphan.valued(attrs.evolve(rows.valuations[0].valuation, event=None), 1, rows.valuations[0].packed)
    assert revalue(orphan, report, context("EUR", pm=PM), PM) is None


def test_a_files_progress_bar_reaches_its_end():
    """`%livemoney value` of a capture read item by item left tqdm's notebook bar short of its total (red, 0%)."""
    import io

    from livemoney.engine.valuer import _bytes_progress

    class Bar:
        n = 0

        def update(self, by):
            self.n += by

    data = b"one\ntwo\nthree\n"
    stream = io.BytesIO(data)
    bar = Bar()
    items = list(_bytes_progress((line for line in stream), stream, bar))
    assert len(items) == 3 and bar.n == len(data)
