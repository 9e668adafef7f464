"""Instagram readers on hand-written files in data/: the badge file of the README and Graph API comments
shaped like event-formats.md section 4 (ids and names invented). Every total is worked out by hand."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from livemoney import Context, Donation, Money, Rejected
from livemoney.api import context, value_event
from livemoney_instagram.readers import KEY, READERS

DATA = Path(__file__).parent / "data"
UTC = dt.UTC
READER = {reader.name: reader for reader in READERS}


def read(name, file):
    path = DATA / file
    with path.open("rb") as stream:
        return list(READER[name].read(stream, path.name))


def events(found):
    return [item for item in found if not isinstance(item, Rejected)]


def rejects(found):
    return [(item.line, item.field) for item in found if isinstance(item, Rejected)]


def test_the_plugin_declares_its_readers(pm):
    names = [reader.name for group in pm.hook.livemoney_readers() for reader in group if reader.platform == KEY]
    assert names == ["instagram-badges-csv", "instagram-graph-comments"]


@pytest.mark.parametrize(
    ("file", "reader"),
    [
        ("badges.csv", "instagram-badges-csv"),
        ("badges_bad.csv", "instagram-badges-csv"),
        ("live_comments_webhook.jsonl", "instagram-graph-comments"),
        ("comments_page.json", "instagram-graph-comments"),
    ],
)
def test_each_file_is_recognised_by_its_reader_only(file, reader):
    head = (DATA / file).read_bytes()  # the host shows readers a file's first 64 KiB
    assert [r.name for r in READERS if r.sniff(head)] == [reader]


@pytest.mark.parametrize(
    "head",
    [
        b'{"type": "donation", "platform": "instagram", "feature": "badge", "amount": "1.99", "currency": "USD"}\n',
        b'[{"action_type": "add_chat_item", "message_id": "Chw", "money": {"text": "$9.99"}, "timestamp": 1}]',
        b'{"data": [{"created_time": "2018-08-30T18:47:02+0000", "from": {"id": "5"}, "message": "hi", "id": "9"}]}',
        b"date,amount,currency\n2024-03-02,4.99,USD\n",
        b'{"id": "911914562313145_911916012312999", "message": "hi", "from": {"name": "Steph C.", "id": "5"}}\n',
        b'{"data": [{"text": "a comment cut by the end of the head", "id": "1789',
        b"",
    ],
)
def test_other_formats_are_not_taken(head):
    assert not [r.name for r in READERS if r.sniff(head)]


# --- the badge file ----------------------------------------------------------------------------


def test_the_readme_badge_file():
    found = read("instagram-badges-csv", "badges.csv")
    assert rejects(found) == []
    assert [(e.source, e.viewer, e.amount, e.count, e.ts) for e in found] == [
        ("badges.csv:2", "maya.draws", Money("4.99", "USD"), 1, dt.datetime(2024, 3, 2, tzinfo=UTC)),  # 3 hearts
        ("badges.csv:3", "tom_k", Money("0.99", "USD"), 2, dt.datetime(2024, 3, 2, tzinfo=UTC)),  # 2 x 1 heart
        ("badges.csv:4", "Pat, the tuba guy", Money("1.99", "USD"), 1, dt.datetime(2024, 3, 3, 2, 40, tzinfo=UTC)),
        ("badges.csv:5", "lucie.b", Money("1.99", "USD"), 1, dt.datetime(2024, 12, 31, tzinfo=UTC)),
        ("badges.csv:6", "maya.draws", Money("1.99", "USD"), 1, dt.datetime(2025, 2, 14, tzinfo=UTC)),
    ]
    assert all(isinstance(e, Donation) and (e.platform, e.feature) == ("instagram", "badge") for e in found)


def test_the_badge_file_valued(pm):
    results = [value_event(event, Context(), pm) for event in read("instagram-badges-csv", "badges.csv")]
    known = [r for r in results if not r.unknown]
    # 4.99 -> app store 1.497 -> 1.50; 2 x 0.99 = 1.98 -> 0.594 -> 0.59; 1.99 -> 0.597 -> 0.60 (twice)
    assert sum(r.gross.amount for r in known) == Decimal("4.99") + Decimal("1.98") + 2 * Decimal("1.99")  # 10.95
    assert sum(r.share("App store").amount for r in known) == Decimal("1.50") + Decimal("0.59") + 2 * Decimal("0.60")
    assert sum(r.net.amount for r in known) == Decimal("7.66")  # 10.95 - 3.29
    # the badge of 2025-02-14 falls after Meta's promise "until 2024"
    (later,) = [r for r in results if r.unknown]
    assert later.event.source == "badges.csv:6" and "2024" in later.reason


def test_bad_rows_are_rejected_with_line_and_column():
    found = read("instagram-badges-csv", "badges_bad.csv")
    assert rejects(found) == [
        (2, "badge_tier"),  # 4 hearts
        (3, "date"),  # missing
        (4, "badge_tier"),  # neither tier nor amount
        (5, "currency"),  # an amount without currency
        (6, "amount"),  # "$4.99"
        (7, "currency"),  # XYZ
        (8, "date"),  # 2024-02-30
        (9, "date"),  # no time zone
        (10, "amount"),  # a tier in EUR: tier prices are USD
        (11, "(row)"),  # 6 cells, 5 columns
        (13, "amount"),  # negative
    ]
    bad = {item.line: item for item in found if isinstance(item, Rejected)}
    assert str(bad[2]) == "badges_bad.csv:2: badge_tier: '4' is not 1, 2 or 3 (hearts)"
    assert bad[6].raw == "2024-03-02,,$4.99,USD,e"
    assert "has no time zone" in bad[9].problem
    assert bad[8].problem == "'2024-02-30' is not a date (YYYY-MM-DD) nor a time with its offset"
    assert [(e.source, e.amount) for e in events(found)] == [
        ("badges_bad.csv:14", Money("0.99", "USD")),  # tier 1, currency "usd"
        ("badges_bad.csv:15", Money("1.09", "EUR")),
    ]


def test_a_badge_paid_in_euro_is_converted_with_the_rate_of_its_day(pm):
    (euro,) = [e for e in events(read("instagram-badges-csv", "badges_bad.csv")) if e.amount.currency == "EUR"]
    result = value_event(euro, Context(currency="USD"), pm)
    # 2024-03-02 is a Saturday: ECB rate of 2024-03-01, 1 EUR = 1.0813 USD
    # gross 1.09 * 1.0813 = 1.178617 -> 1.18; app store 0.327 * 1.0813 = 0.3535851 -> 0.35; creator 1.18 - 0.35
    assert (result.gross, result.share("App store"), result.net) == (
        Money("1.18", "USD"),
        Money("0.35", "USD"),
        Money("0.83", "USD"),
    )


def test_tiers_use_the_badge_prices_in_force_and_amounts_win_over_tiers():
    file = io.BytesIO(b"date,badge_tier,amount,currency\n2024-03-02,3,,\n2024-03-02,3,5.49,USD\n")
    assert [e.amount for e in READER["instagram-badges-csv"].read(file, "b.csv")] == [
        Money("4.99", "USD"),
        Money("5.49", "USD"),
    ]


@pytest.mark.parametrize(
    ("row", "field"),
    [("20240302,1,", "date"), ("March 2,1,", "date"), ("2024-03-02,1,²", "count"), ("2024-03-02,1,0", "count")],
)
def test_more_bad_rows(row, field):
    file = io.BytesIO(f"date,badge_tier,count\n{row}\n".encode())
    (rejected,) = READER["instagram-badges-csv"].read(file, "b.csv")
    assert (rejected.line, rejected.field, rejected.raw) == (2, field, row)


def test_a_file_without_the_badge_columns_is_rejected_once():
    found = list(READER["instagram-badges-csv"].read(io.BytesIO(b"\ndate,amount\n2024-03-02,4.99\n"), "x.csv"))
    assert [(r.line, r.field) for r in found] == [(2, "(header)")]
    assert "the header lacks badge_tier" in found[0].problem
    assert list(READER["instagram-badges-csv"].read(io.BytesIO(b""), "empty.csv")) == []


def test_a_badge_file_with_your_meta_share_values_2025(pm):
    ctx = context(settings={"instagram.meta_share": "0.10"}, pm=pm)
    (later,) = [e for e in read("instagram-badges-csv", "badges.csv") if e.ts.year == 2025]
    result = value_event(later, ctx, pm)
    # 1.99: app store 0.597 -> 0.60; Meta 0.199 -> 0.20; creator 1.99 - 0.60 - 0.20 = 1.19
    assert (result.share("Meta"), result.net) == (Money("0.20", "USD"), Money("1.19", "USD"))


# --- Graph API comments: no money --------------------------------------------------------------


def test_comments_yield_no_events_and_reject_only_what_is_not_a_comment():
    assert read("instagram-graph-comments", "comments_page.json") == []
    found = read("instagram-graph-comments", "live_comments_webhook.jsonl")
    assert rejects(found) == [(4, "(record)"), (5, "error")]  # a Page webhook; an OAuth error
    assert found[1].problem == "the Graph API answered an error: Invalid OAuth access token - Cannot parse access token"


def test_comments_accepts_and_a_live_decoder():
    reader = READER["instagram-graph-comments"]
    assert reader.accepts({"object": "instagram", "entry": []})
    assert reader.accepts({"id": "1", "text": "hi"})
    assert not reader.accepts({"id": "1", "message": "hi", "from": {}})
    decoder = reader.decoder("live")
    assert list(decoder.feed({"field": "live_comments", "value": {"id": "1", "text": "hi"}}, 1)) == []
    (bad,) = decoder.feed({"data": [{"id": "1", "text": "ok"}, {"id": "2"}]}, 2)
    assert (bad.source, bad.line, bad.field) == ("live", 2, "data[1]")
    assert list(decoder.flush(None)) == []
