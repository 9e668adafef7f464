"""The rate card (`livemoney.engine.ratecard`): the distinct valuation keys of an input and their valuations, as
an object and as a table of a stable schema; the key is the schema's (`core.schema.event_key`), one definition."""

import collections
import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney import Donation, Gift, Like, Money, Sale, Sponsorship
from livemoney.core import schema
from livemoney.core.models import ROLES, to_guest
from livemoney.core.settings import setting_text
from livemoney.engine.ratecard import RateCard, describe_rates
from livemoney.engine.readers import read_events
from livemoney.engine.valuer import Valuer, value

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sdk" / "livemoney" / "data" / "sample-stream.jsonl"
DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)

IDS = st.none() | st.text("abc123", min_size=1, max_size=4)
MONEY = st.builds(Money, st.decimals(min_value=0, max_value=10**6, places=4), st.sampled_from(["USD", "JPY", "coins"]))
COMMON = {
    "platform": st.sampled_from(["tiktok", "testcast"]),
    "viewer": IDS,
    "ts": st.none()  # within the times livemoney takes (2000-2099, UTC) in either zone
    | st.datetimes(
        min_value=dt.datetime(2000, 1, 2),
        max_value=dt.datetime(2099, 12, 30),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))]),
    ),
    "id": IDS,
}
EVENTS = st.one_of(
    st.builds(
        Gift,
        gift=st.sampled_from(["Rose", "Lion"]),
        count=st.integers(1, 9),
        amount=st.none() | MONEY,
        recipient=IDS,
        host=IDS,
        gift_id=IDS,
        **COMMON,
    ),
    st.builds(Donation, feature=st.sampled_from(["tip", "stars"]), amount=st.none() | MONEY, **COMMON),
    st.builds(Like, count=st.integers(1, 9), **COMMON),
    st.builds(Sponsorship, amount=MONEY, brand=st.none() | st.just("Acme"), **COMMON),
    st.builds(Sale, amount=MONEY, product=st.none() | st.just("shirt"), role=st.sampled_from(ROLES), **COMMON),
)


@given(event=EVENTS)
def test_a_key_stands_for_its_events(event):
    """`key_event` gives an event of the key (its time the start of the UTC day); `key_row` its columns."""
    key = schema.event_key(event)
    assert schema.event_key(schema.key_event(key)) == key
    row = schema.key_row(key)
    assert list(row) == [column.name for column in schema.KEY_COLUMNS]
    assert (row["platform"], row["type"], row["day"]) == (event.platform, event.kind, schema.utc_date(event.ts))
    for column in schema.KEY_COLUMNS[3:]:
        if event.kind not in column.kinds:
            assert row[column.name] is None
    amount = getattr(event, "amount", None)
    assert (row["amount"], row["currency"]) == ((amount.amount, amount.currency) if amount else (None, None))


def test_the_key_columns_are_the_fields_that_are_not_identity():
    names = [column.name for column in schema.KEY_COLUMNS]
    assert names == [
        "platform",
        "type",
        "day",
        "gift",
        "count",
        "amount",
        "currency",
        "recipient",
        "gift_id",
        "feature",
        "brand",
        "product",
        "role",
    ]
    assert not {"viewer", "ts", "stream", "id", "host", "source"} & set(names)


def sample_counts(events):
    """Each key's events, the creator's and the guests' (the sample has no duplicates: each event is valued)."""
    counts = collections.defaultdict(lambda: [0, 0])
    for event in events:
        counts[schema.event_key(event)][1 if to_guest(event) else 0] += 1
    return {key: tuple(pair) for key, pair in counts.items()}


def test_a_card_values_each_key_as_its_events_are_valued():
    pm = lm.default_manager()
    events = [item for item in read_events(SAMPLE, pm=pm) if isinstance(item, lm.Event)]
    context = lm.context("USD", pm=pm)
    card = RateCard.for_events(events, context, pm)
    assert len(card) == len({schema.event_key(event) for event in events}) < len(events)
    for event in events[:300]:
        found = card[schema.event_key(event)].valuation
        alone = lm.value_event(event, context, pm)
        assert (found.gross, found.net, found.shares, found.unknown) == (
            alone.gross,
            alone.net,
            alone.shares,
            alone.unknown,
        )


def test_a_counted_card_gives_the_rows_and_revalues_without_the_log():
    """The dashboards' currency switch: the keys and their counts of one reading, valued again in EUR and with
    other settings, give the rows and totals of valuing the log in that context."""
    pm = lm.default_manager()
    events = [item for item in read_events(SAMPLE, pm=pm) if isinstance(item, lm.Event)]
    counts = sample_counts(events)
    card = RateCard.for_keys(counts, lm.context("USD", pm=pm), pm, counts)
    assert card.counted and sum(e.events + e.to_guests for e in card) == len(events)
    usd = value(SAMPLE, progress=False, pm=pm, on_error="skip")
    assert card.report().to_dict()["rows"] == usd.to_dict()["rows"]
    assert card.report().exact == usd.exact
    settings = {"tiktok.diamond_usd": "0.004"}
    eur = card.revalue(lm.context("EUR", settings=settings, pm=pm), pm)
    again = value(SAMPLE, currency="EUR", settings=settings, progress=False, pm=pm, on_error="skip")
    assert eur.report().to_dict()["rows"] == again.to_dict()["rows"]
    assert eur.report().net == again.net != card.report().net
    assert eur.currency == "EUR" and eur.keys == card.keys and eur.settings == {"tiktok.diamond_usd": Decimal("0.004")}


def test_a_key_no_plugin_values_is_rejected_with_the_reason():
    pm = testcast.manager()
    keys = [("myspace", "like", None, 1), ("testcast", "gift", dt.date(2026, 10, 1), "Rose", 2, None, None, None)]
    card = RateCard.for_keys(keys, lm.context("USD", pm=pm), pm)
    assert card[keys[0]].valuation is None
    assert card[keys[0]].rejected[0] == "platform" and "myspace" in card[keys[0]].rejected[1]
    rose = card[keys[1]].valuation
    assert rose.gross.amount == Decimal("0.02") and rose.net.amount == Decimal("0.016")  # 2 coins, 20% to testcast
    with pytest.raises(ValueError, match="does not count"):
        card.report()


def test_a_card_from_a_valuer_holds_the_keys_it_valued():
    pm = testcast.manager()
    valuer = Valuer(lm.context("USD", pm=pm), pm)
    events = [Gift(platform="testcast", gift="Rose", count=n, viewer=f"v{n}") for n in (1, 2, 1)]
    valuer.add_all(events)
    card = RateCard.from_valuer(valuer)
    assert sorted(card.keys, key=str) == sorted({schema.event_key(event) for event in events}, key=str)
    assert not card.counted


def test_what_a_card_was_valued_in():
    pm = lm.default_manager()
    context = lm.context("EUR", "2026-01-01", {"tiktok.diamond_usd": "0.0045"}, pm, rate_fallback="latest")
    card = RateCard.for_keys([], context, pm)
    meta = card.metadata()
    assert (meta["currency"], meta["as_of"], meta["settings"]) == (
        "EUR",
        "2026-01-01",
        {"tiktok.diamond_usd": "0.0045"},
    )
    assert "ECB" in meta["rates"] and "rate_fallback='latest'" in meta["rates"] == describe_rates(context)
    assert setting_text((Decimal(100), Decimal("1.40"))) == "100/1.40" and setting_text(lm.UNKNOWN) == "unknown"


def test_the_table_has_a_stable_schema(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pm = testcast.manager()
    gift = Gift(platform="testcast", gift="Rose", count=3, ts=dt.datetime(2026, 10, 1, 23, tzinfo=dt.UTC))
    card = RateCard.for_keys([schema.event_key(gift)], lm.context("USD", pm=pm), pm, {schema.event_key(gift): (4, 1)})
    card.to_parquet(tmp_path / "card.parquet")
    table = pq.read_table(tmp_path / "card.parquet")
    assert table.schema.names == [column.name for column in schema.KEY_COLUMNS] + [
        "report_currency",
        "rules_date",
        "rejected_field",
        "rejected_problem",
        "unknown",
        "reason",
        "gross",
        "net",
        "shares",
        "residual",
        "units",
        "explain",
        "events",
        "to_guests",
    ]
    assert table.schema.field("gross").type == pa.decimal128(38, 10) == table.schema.field("amount").type
    row = table.to_pylist()[0]
    assert (row["gross"], row["net"], row["events"], row["to_guests"]) == (Decimal("0.03"), Decimal("0.024"), 4, 1)
    assert row["shares"] == [{"party": "Testcast", "amount": Decimal("0.006"), "source": row["shares"][0]["source"]}]
    assert (row["day"], row["rules_date"], row["report_currency"]) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 1),
        "USD",
    )
    assert b"livemoney" in table.schema.metadata
