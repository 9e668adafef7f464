"""Reports: top viewers, timeline, pandas, and the table, JSON and CSV renderings."""

import csv
import datetime as dt
import importlib.util
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from livemoney import Money, hookimpl
from livemoney.engine import value
from livemoney.report import _neutral, pack, unpack

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
UTC = dt.UTC


def eur(amount):
    return Money(Decimal(amount), "EUR")


@pytest.fixture(scope="module")
def report():
    return value(DATA / "every-kind.jsonl", currency="EUR", pm=testcast.manager())


def test_top_viewers_by_what_the_creator_keeps(report):
    # ana: a gift (0.44, net 0.35) and 500 Stars (6.20, net 4.43); cy: 800 JPY (4.48, net 3.58); bo: 5 USD
    # (4.43, net 3.54) and a like.
    assert report.top_viewers(3) == [
        ("ana", eur("6.64"), eur("4.78"), 2),
        ("cy", eur("4.48"), eur("3.58"), 1),
        ("bo", eur("4.43"), eur("3.54"), 2),
    ]
    assert report.top_viewers(1) == report.top_viewers(3)[:1]


def test_timeline_bins_in_utc(report):
    at = lambda hour, minute: dt.datetime(2026, 10, 1, hour, minute, tzinfo=UTC)
    assert report.timeline("1min") == [
        (at(20, 0), eur("6.64"), eur("4.78")),  # the gift and the Stars
        (at(20, 1), eur("8.91"), eur("7.12")),  # 5 USD, and 800 JPY sent at 22:01 in UTC+2
        (at(20, 2), eur("0.00"), eur("0.00")),  # likes
        (at(20, 3), eur("22.13"), eur("17.70")),  # the sale and likes
        (at(21, 0), eur("221.28"), eur("221.28")),
    ]
    assert report.timeline("1h") == [(at(20, 0), eur("37.68"), eur("29.60")), (at(21, 0), eur("221.28"), eur("221.28"))]
    with pytest.raises(ValueError, match="freq: '10s' is not a bin width"):
        report.timeline("10s")


def test_packed_sums_keep_negative_nets():
    total = pack(500, -120) + pack(300, 80) + pack(0, -1000)
    assert unpack(total) == (800, -1040, 3)


def test_json_has_exact_decimal_strings(report):
    data = json.loads(report.render("json"))
    assert data["total"] == {
        "events": 8,
        "unknown": 0,
        "gross": "258.96",
        "shares": {"Testcast": "6.31", "Meta": "1.77"},
        "net": "250.88",
    }
    assert data["counts"] == {"read": 9, "valued": 8, "rejected": 0, "duplicates": 1}
    assert data["original_amounts"] == {"JPY": "800", "USD": "280.00", "coins": "50", "stars": "500"}
    row = next(row for row in data["rows"] if (row["platform"], row["kind"]) == ("testcast", "donation"))
    assert (row["events"], row["gross"], row["shares"], row["net"]) == (2, "8.91", {"Testcast": "1.79"}, "7.12")


def test_the_table_shows_rows_total_and_counts(report):
    text = report.render("table")
    assert "testcast  donation" in text and text.splitlines()[-1] == "read 9 = valued 8 + rejected 0 + duplicates 1"
    total = next(line for line in text.splitlines() if line.startswith("total"))
    assert total.split() == ["total", "8", "0", "258.96", "1.77", "6.31", "250.88"]  # Meta, Testcast
    assert "original amounts: 800 JPY, 280.00 USD, 50 coins, 500 stars" in text
    assert repr(report) == (
        "<Report EUR: facebook, testcast; gross=258.96 EUR net=250.88 EUR; "
        "read 9 = valued 8 + rejected 0 + duplicates 1>"
    )


class Formula:
    """A plugin whose party name would be a spreadsheet formula."""

    @hookimpl(wrapper=True)
    def livemoney_value_event(self, platform, event, context):
        result = yield
        return result.with_share('=HYPERLINK("http://x")', result.net.amount)


def test_csv_cells_never_start_a_formula():
    report = value(DATA / "every-kind.jsonl", currency="EUR", pm=testcast.manager(Formula()))
    table = list(csv.reader(io.StringIO(report.render("csv"))))
    assert table[0] == [
        "platform",
        "kind",
        "events",
        "unknown",
        "gross",
        "Meta",
        '\'=HYPERLINK("http://x")',
        "Testcast",
        "net",
        "currency",
    ]
    sale = next(row for row in table if row[:2] == ["testcast", "sale"])
    assert sale == ["testcast", "sale", "1", "0", "22.13", "0.00", "17.70", "4.43", "0.00", "EUR"]
    assert table[-1][0] == "total"
    with pytest.raises(ValueError, match="format: 'xml' is not one of table, json, csv"):
        report.render("xml")


def test_to_pandas_without_pandas_says_how_to_get_it(report, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'livemoney\[pandas\]'"):
        report.to_pandas()


def test_to_pandas_keeps_decimals(report):
    pytest.importorskip("pandas")
    frame = report.to_pandas()
    assert list(frame.columns) == [
        "platform",
        "kind",
        "events",
        "unknown",
        "gross",
        "Meta",
        "Testcast",
        "net",
        "currency",
    ]
    assert frame["gross"].sum() == Decimal("258.96")
    assert list(report.to_pandas("viewers")["viewer"]) == ["ana", "cy", "bo"]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-1+2", "'-1+2"),
        ("\tx", "'\tx"),
        ("-5.00", "-5.00"),
        ("Zoë", "Zoë"),
    ],
)
def test_formula_cells_are_neutralised_and_plain_numbers_kept(cell, written):
    assert _neutral(cell) == written


def test_top_viewers_refuses_a_negative_count():
    report = value(DATA / "every-kind.jsonl", currency="EUR", pm=testcast.manager())
    with pytest.raises(ValueError, match="n: -1 must not be negative"):
        report.top_viewers(-1)
