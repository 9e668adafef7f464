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
from livemoney.engine.report import _neutral, pack, unpack
from livemoney.engine.valuer import value

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


# every-kind.jsonl valued in EUR at the ECB rates of 2026-10-01: 1 EUR = 1.1298 USD = 178.49 JPY. Each
# valuation is exact to 10 places; each shown figure is an exact sum rounded once (half-even).
#   ana: 5 Roses x 10 coins x 0.01 USD = 0.50 USD = 0.4425562046 EUR (Testcast 20%: 0.0885112409, net
#        0.3540449637) and 500 Stars: the viewer paid 7.00 USD = 6.1957868649 EUR, the creator 5.00 USD =
#        4.4255620464 EUR, Starcast the rest 1.7702248185.
#   bo:  5 USD = 4.4255620464 EUR (net 80% = 3.5404496371) and 120 likes (nothing).
#   cy:  800 JPY = 4.4820438120 EUR (net 3.5856350496).
#   sale 25 USD = 22.1278102319 EUR (net 17.7022481855); sponsorship 250 USD = 221.278102319 EUR.


def test_top_viewers_by_what_the_creator_keeps(report):
    # ana: gross 0.4425562046 + 6.1957868649 = 6.6383430695 -> 6.64, net 0.3540449637 + 4.4255620464 =
    # 4.7796070101 -> 4.78; cy 4.48 / 3.5856350496 -> 3.59 (rounding each event first gave 3.58).
    assert report.top_viewers(3) == [
        ("ana", eur("6.64"), eur("4.78"), 2),
        ("cy", eur("4.48"), eur("3.59"), 1),
        ("bo", eur("4.43"), eur("3.54"), 2),
    ]
    assert report.viewers["cy"] == (Decimal("4.4820438120"), Decimal("3.5856350496"), 1)
    assert report.top_viewers(1) == report.top_viewers(3)[:1]


def test_timeline_bins_in_utc(report):
    at = lambda hour, minute: dt.datetime(2026, 10, 1, hour, minute, tzinfo=UTC)
    assert report.timeline("1min") == [
        (at(20, 0), eur("6.64"), eur("4.78")),  # the gift and the Stars
        # 5 USD and 800 JPY sent at 22:01 in UTC+2: 4.4255620464 + 4.4820438120 = 8.9076058584, net
        # 3.5404496371 + 3.5856350496 = 7.1260846867 -> 7.13
        (at(20, 1), eur("8.91"), eur("7.13")),
        (at(20, 2), eur("0.00"), eur("0.00")),  # likes
        (at(20, 3), eur("22.13"), eur("17.70")),  # the sale and likes
        (at(21, 0), eur("221.28"), eur("221.28")),
    ]
    # 20:00 to 21:00: 6.6383430695 + 8.9076058584 + 22.1278102319 = 37.6737591598 -> 37.67, net
    # 4.7796070101 + 7.1260846867 + 17.7022481855 = 29.6079398823 -> 29.61.
    assert report.timeline("1h") == [(at(20, 0), eur("37.67"), eur("29.61")), (at(21, 0), eur("221.28"), eur("221.28"))]
    with pytest.raises(ValueError, match="freq: '10s' is not a bin width"):
        report.timeline("10s")


def test_packed_sums_keep_negative_nets():
    total = pack(500, -120) + pack(300, 80) + pack(0, -1000)
    assert unpack(total) == (800, -1040, 3)
    huge = 10**40  # far beyond 2**63: the fields do not run into one another
    assert unpack(pack(huge, huge - 1) * 3 + pack(1, -huge)) == (3 * huge + 1, 2 * huge - 3, 4)


def test_json_has_exact_decimal_strings(report):
    data = json.loads(report.render("json"))
    # gross 6.1957868649 + 221.278102319 + 0.4425562046 + 8.9076058584 + 22.1278102319 = 258.9518614788;
    # net 4.4255620464 + 221.278102319 + 0.3540449637 + 7.1260846867 + 17.7022481855 = 250.8860422013;
    # Starcast 1.7702248185; Testcast 0.0885112409 + 1.7815211717 + 4.4255620464 = 6.2955944590. Shown: gross
    # 258.95. Starcast's rows give the rest to Starcast, testcast's to the creator: over both, the creator's net
    # is rounded once on its own, 250.89, then the running totals: + Starcast 252.6562670198 -> 252.66 (Starcast
    # 1.77), and the last share takes the rest: Testcast 258.95 - 252.66 = 6.29.
    assert data["total"] == {
        "events": 8,
        "unknown": 0,
        "gross": "258.95",
        "shares": {"Starcast": "1.77", "Testcast": "6.29"},
        "net": "250.89",
        "exact": {
            "gross": "258.9518614788",
            "shares": {"Starcast": "1.7702248185", "Testcast": "6.295594459"},
            "net": "250.8860422013",
        },
    }
    assert data["counts"] == {
        "records": 9,
        "events": 9,
        "without_money": 0,
        "not_read": 0,
        "rejected": 0,
        "valued": 8,
        "duplicates": 1,
        "id_conflicts": 0,
        "gifts_naming_a_recipient_without_host": 0,
        "held": 0,
        "without_time": 0,
        "without_money_by_kind": {},
        "not_read_by_kind": {},
    }
    assert data["original_amounts"] == {"JPY": "800", "USD": "280.00", "coins": "50", "stars": "500"}
    row = next(row for row in data["rows"] if (row["platform"], row["kind"]) == ("testcast", "donation"))
    assert (row["events"], row["gross"], row["shares"], row["net"]) == (2, "8.91", {"Testcast": "1.78"}, "7.13")
    assert row["exact"] == {"gross": "8.9076058584", "shares": {"Testcast": "1.7815211717"}, "net": "7.1260846867"}


def test_the_table_shows_rows_total_and_counts(report):
    text = report.render("table")
    counts = "records 9 = events 9 + without money 0 + rejected 0; events 9 = valued 8 + duplicates 1"
    assert "testcast  donation" in text and text.splitlines()[-1] == counts
    total = next(line for line in text.splitlines() if line.startswith("total"))
    assert total.split() == ["total", "8", "0", "258.95", "1.77", "6.29", "250.89"]  # Starcast, Testcast
    assert "amounts the records carried: 800 JPY, 280.00 USD, 50 coins, 500 stars" in text
    assert repr(report) == f"<Report EUR: starcast, testcast; gross=258.95 EUR net=250.89 EUR; {counts}>"


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
        "Starcast",
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


def test_to_pandas_gives_numbers_beside_exact_decimals(report):
    pytest.importorskip("pandas")
    frame = report.to_pandas()
    assert list(frame.columns) == [
        "platform",
        "kind",
        "events",
        "unknown",
        "gross",
        "Starcast",
        "Testcast",
        "net",
        "gross_exact",
        "net_exact",
        "currency",
    ]
    # money columns are float64 of the shown figures: the shown rows' sum is 258.96 (the total, rounded
    # once, is 258.95); the exact column sums to the report's exact total
    assert [str(frame[column].dtype) for column in ("gross", "Starcast", "Testcast", "net")] == ["float64"] * 4
    assert frame["gross"].sum() == pytest.approx(258.96, abs=1e-9)
    assert sum(frame["gross_exact"], Decimal(0)) == report.exact.gross.amount
    assert all(isinstance(value, Decimal) for value in frame["net_exact"])
    viewers = report.to_pandas("viewers")
    assert list(viewers.columns) == ["viewer", "gross", "net", "events", "gross_exact", "net_exact"]
    assert list(viewers["viewer"]) == ["ana", "cy", "bo"]
    # ana's net 4.7796070101 shown 4.78 (see test_top_viewers_by_what_the_creator_keeps)
    assert viewers["net"].tolist()[0] == 4.78 and viewers["net_exact"].tolist()[0] == Decimal("4.7796070101")


def test_to_pandas_writes_each_exact_figure_to_at_least_the_minor_unit():
    # A new user's trial: the exact columns said 0 on a row of unknown valuations and 0.00 on the others.
    pytest.importorskip("pandas")
    import livemoney as lm  # the bundled sample, valued by the four platform plugins

    report = lm.value(lm.sample_path())
    frame = report.to_pandas().set_index(["platform", "kind"])
    assert report.row("instagram", "donation").unknown == 108  # Badges after 2024: unknown, no money counted
    assert [str(frame.loc[("instagram", "donation"), column]) for column in ("gross_exact", "net_exact")] == [
        "0.00",
        "0.00",
    ]
    assert str(frame.loc[("tiktok", "sale"), "net_exact"]) == "267.7778"  # exact: its places kept, none added
    assert all(str(value).count(".") == 1 and len(str(value).split(".")[1]) >= 2 for value in frame["gross_exact"])


def test_to_pandas_frames_plot(report):
    pytest.importorskip("pandas")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for table in ("rows", "viewers", "timeline"):
        axes = report.to_pandas(table).plot()  # "no numeric data to plot" when amounts were Decimal objects
        assert axes.get_lines()
        plt.close("all")
    timeline = report.to_pandas("timeline", "1h")
    assert str(timeline["start"].dt.tz) == "UTC"
    assert timeline["net"].tolist() == [29.61, 221.28]  # as test_timeline_bins_in_utc


def test_top_viewers_and_timeline_give_named_rows(report):
    top = report.top_viewers(1)[0]
    assert (top.viewer, top.gross, top.net, top.events) == ("ana", eur("6.64"), eur("4.78"), 2)
    first = report.timeline("1h")[0]
    assert (first.start, first.gross, first.net) == (dt.datetime(2026, 10, 1, 20, 0, tzinfo=UTC), eur("37.67"), eur("29.61"))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-1+2", "'-1+2"),
        ("\tx", "'\tx"),
        ("-5.00", "-5.00"),
        ("Zoë", "Zoë"),
        ("\r=cmd|' /C calc'!A0", "'\n=cmd|' /C calc'!A0"),  # a bare CR ends a row in a spreadsheet
        ("a\r\n=1+2", "a\n=1+2"),
        ("nul\x00", "nul\ufffd"),
    ],
)
def test_formula_cells_are_neutralised_and_plain_numbers_kept(cell, written):
    assert _neutral(cell) == written


def test_a_cell_with_a_line_break_stays_one_quoted_cell():
    """The breaker's viewer "\r=cmd..." was written as ' then a bare CR, which csv (and spreadsheets) read as
    a row ending, the next row starting with =cmd."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([_neutral("\r=cmd|' /C calc'!A0"), "1.00"])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'\n=cmd|' /C calc'!A0", "1.00"]]


def test_top_viewers_refuses_a_negative_count():
    report = value(DATA / "every-kind.jsonl", currency="EUR", pm=testcast.manager())
    with pytest.raises(ValueError, match="n: -1 must not be negative"):
        report.top_viewers(-1)


def test_per_viewer_and_per_minute_sums_keep_every_digit(tmp_path):
    # Two sponsorships of 987,654,321,098,765,432.0050000001 USD (within the maximum of 10^18 an event) by
    # one viewer in one minute: 1,975,308,642,197,530,864.0100000002, 29 digits, one more than Python's
    # default decimal context keeps (which would make it ...864.0100000000). Shown: ...864.01.
    import livemoney as lm

    line = (
        '{"type": "sponsorship", "platform": "youtube", "amount": "987654321098765432.0050000001", "currency": "USD",'
        ' "viewer": "v", "ts": "2026-01-01T00:00:30Z"}\n'
    )
    path = tmp_path / "log.jsonl"
    path.write_text(line * 2)
    exact = Decimal("1975308642197530864.0100000002")
    for report in (lm.value(path, progress=False), lm.value(path, progress=False, ledger=tmp_path / "l.sqlite")):
        assert report.exact.gross.amount == exact
        assert report.viewers["v"][0] == exact and next(iter(report.bins.values()))[0] == exact
        shown = Money("1975308642197530864.01", "USD")
        assert report.gross == report.top_viewers(1)[0][1] == report.timeline()[0][1] == shown


def test_packed_sums_never_run_into_one_another():
    # The largest gross and net one event may have (just below 2^190 units), net negative, 2^64 - 1 times:
    # each field comes back whole.
    from livemoney.core.money import MAX_VALUED
    from livemoney.engine.report import pack, unpack

    one = pack(MAX_VALUED - 1, -(MAX_VALUED - 1))
    times = (1 << 64) - 1
    assert unpack(one * times) == ((MAX_VALUED - 1) * times, -(MAX_VALUED - 1) * times, times)


def test_a_text_table_lines_up_names_of_wide_characters_in_terminal_columns():
    # A new user's trial: the viewers table went out of line after a CJK name and an emoji (each two columns).
    from livemoney.core.tables import shown_width, text_table

    assert [shown_width(name) for name in ("Zoë 🌹", "山田太郎", "anna", "e\u0301")] == [6, 8, 4, 1]
    table = text_table(["viewer", "net"], [["山田太郎", "1.00"], ["Zoë 🌹", "10.00"], ["anna", "100.00"]], right=[1])
    lines = table.splitlines()
    assert lines == [
        "viewer       net",
        "--------  ------",
        "山田太郎    1.00",
        "Zoë 🌹     10.00",
        "anna      100.00",
    ]
    # every line ends in the same terminal column: 8 for the names, 2 apart, 6 for the figures
    assert {shown_width(line) for line in lines[1:]} == {16}
