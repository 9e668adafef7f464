"""Analyses across streams (livemoney.engine.analytics): every figure worked out by hand on small logs of the
made-up platform "testcast" (tests/data/testcast.py: it takes 20% of everything, a coin is 0.01 USD), in
USD so that no exchange rate enters; properties checked with hypothesis; the ledger path gives what the log
path gives; every export reads back."""

import csv
import datetime as dt
import importlib.util
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney.cli import ROWS_SHOWN, main
from livemoney.core.records import read_with_decoder
from livemoney.engine.analytics import Analysis, analyze
from livemoney.engine.rows import EventRows
from livemoney.engine.valuer import value
from livemoney.errors import AnalysisError, LedgerError

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
UTC = dt.UTC
PARIS = "Europe/Paris"
pd = pytest.importorskip("pandas")


def usd(amount):
    return Decimal(amount)


def gift(viewer, ts, count, coins, **extra):
    return {
        "type": "gift",
        "platform": "testcast",
        "gift": "Rose",
        "count": count,
        "amount": str(coins),
        "currency": "coins",
        "viewer": viewer,
        "ts": ts,
        **extra,
    }


def tip(viewer, ts, amount, **extra):
    return {
        "type": "donation",
        "platform": "testcast",
        "feature": "tip",
        "amount": amount,
        "currency": "USD",
        "viewer": viewer,
        "ts": ts,
        **extra,
    }


# Two streams without stream ids, five weeks apart (each is a session: more than an hour between them).
#   A, Monday 2026-11-02 19:00Z (20:00 in Paris, UTC+1):
#     ana 10 Roses x 10 coins = 1.00 USD (testcast 0.20, net 0.80); bo tips 5.00 (net 4.00); cy 30 likes (0);
#     ana 1 gift x 100 coins = 1.00 (net 0.80)
#   B, Monday 2026-12-07 20:00Z (21:00 in Paris):
#     bo 5 x 10 coins = 0.50 (net 0.40); dee tips 2.50 (net 2.00); ana 1 x 1000 coins = 10.00 (net 8.00);
#     a sponsorship of 100.00 (no viewer: all to the creator)
TWO_STREAMS = [
    gift("ana", "2026-11-02T19:00:10Z", 10, 10),
    tip("bo", "2026-11-02T19:00:40Z", "5.00"),
    {"type": "like", "platform": "testcast", "count": 30, "viewer": "cy", "ts": "2026-11-02T19:01:05Z"},
    gift("ana", "2026-11-02T19:02:00Z", 1, 100),
    gift("bo", "2026-12-07T20:00:00Z", 5, 10),
    tip("dee", "2026-12-07T20:00:30Z", "2.50"),
    gift("ana", "2026-12-07T20:30:00Z", 1, 1000),
    {
        "type": "sponsorship",
        "platform": "testcast",
        "amount": "100.00",
        "currency": "USD",
        "brand": "Acme",
        "ts": "2026-12-07T20:45:00Z",
    },
]
A, B = "2026-11-02T19:00Z", "2026-12-07T20:00Z"


def write(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


@pytest.fixture
def log(tmp_path):
    return write(tmp_path / "two-streams.jsonl", TWO_STREAMS)


@pytest.fixture
def analysis(log):
    return analyze(log, tz=PARIS, pm=testcast.manager())


def at(text):
    return pd.Timestamp(text).tz_convert(PARIS)


def test_viewers_over_everything(analysis):
    frame = analysis.viewers()
    assert list(frame.columns) == [
        "viewer",
        "events",
        "gross",
        "net",
        "first_seen",
        "last_seen",
        "streams",
        "returning",
        "new",
        "gross_exact",
        "net_exact",
    ]
    assert frame["viewer"].tolist() == ["ana", "bo", "dee", "cy"]  # by net: 9.60, 4.40, 2.00, 0
    ana = frame.iloc[0]
    # ana: 1.00 + 1.00 + 10.00 = 12.00; net 0.80 + 0.80 + 8.00 = 9.60, in both streams: returning
    assert (ana.events, ana.gross, ana.net, ana.streams, ana.returning, ana.new) == (3, 12.0, 9.6, 2, True, False)
    assert ana.net_exact == Decimal("9.6") and ana.gross_exact == Decimal(12)
    assert ana.first_seen == at("2026-11-02T19:00:10Z") and str(ana.first_seen.tz) == PARIS
    assert ana.first_seen.hour == 20  # shown in Paris
    assert ana.last_seen == at("2026-12-07T20:30:00Z")
    assert frame.set_index("viewer").loc["bo", ["gross", "net", "returning"]].tolist() == [5.5, 4.4, True]
    dee = frame.set_index("viewer").loc["dee"]
    assert (dee.net, dee.streams, dee.returning, dee.new) == (2.0, 1, False, True)
    cy = frame.set_index("viewer").loc["cy"]  # only liked: paid nothing, neither returning nor new
    assert (cy.events, cy.net, cy.returning, cy.new) == (1, 0.0, False, False)
    # the viewers' net and the sponsorship's (no viewer) make the report's exact net
    assert sum(frame["net_exact"], Decimal(0)) + Decimal(100) == analysis.report.exact.net.amount == Decimal(116)


def test_viewers_per_stream_week_and_month(analysis):
    per_stream = analysis.viewers(by="stream")
    assert per_stream[["stream", "viewer"]].values.tolist() == [
        [A, "bo"],
        [A, "ana"],
        [A, "cy"],  # A: bo 4.00, ana 1.60, cy 0
        [B, "ana"],
        [B, "dee"],
        [B, "bo"],  # B: ana 8.00, dee 2.00, bo 0.40
    ]
    assert per_stream["net"].tolist() == [4.0, 1.6, 0.0, 8.0, 2.0, 0.4]
    # in A everyone who paid is new; in B ana and bo paid before (returning), dee is new
    assert per_stream["new"].tolist() == [True, True, False, False, True, False]
    assert per_stream["returning"].tolist() == [False, False, False, True, False, True]
    monthly = analysis.viewers(by="month")
    assert sorted(set(monthly["period"])) == ["2026-11", "2026-12"]
    assert monthly["net"].tolist() == per_stream["net"].tolist()
    # 2026-11-02 is the Monday of ISO week 45 (week 1 began Monday 2025-12-29); 2026-12-07 five weeks on
    assert sorted(set(analysis.viewers(by="week")["period"])) == ["2026-W45", "2026-W50"]
    with pytest.raises(AnalysisError, match="by: 'day' is not one of all, stream, week, month"):
        analysis.viewers(by="day")


def test_streams_table(analysis):
    frame = analysis.streams()
    assert frame["stream"].tolist() == [A, B]
    first, second = frame.iloc[0], frame.iloc[1]
    # A: 19:00:10 to 19:02:00, 110 s; 4 events, 3 viewers; gross 1.00 + 5.00 + 0 + 1.00 = 7.00, net 5.60;
    # per hour 5.60 x 3600 / 110 = 183.2727... -> 183.27; the peak minute 19:00 (ana 0.80 + bo 4.00 = 4.80)
    assert first.start == at("2026-11-02T19:00:10Z") and first.duration == pd.Timedelta(seconds=110)
    assert (first.events, first.viewers, first.gross, first.net, first.net_per_hour) == (4, 3, 7.0, 5.6, 183.27)
    assert first.peak_minute == at("2026-11-02T19:00:00Z") and first.peak_net == 4.8
    assert first.hours == pytest.approx(110 / 3600)
    # B: 20:00 to 20:45; gross 0.50 + 2.50 + 10.00 + 100.00 = 113.00, net 0.40 + 2.00 + 8.00 + 100 = 110.40,
    # per hour 110.40 / 0.75 = 147.20; the peak minute is the sponsorship's, 20:45
    assert (second.events, second.viewers, second.gross, second.net, second.net_per_hour) == (4, 3, 113.0, 110.4, 147.2)
    assert second.peak_minute == at("2026-12-07T20:45:00Z") and second.peak_net == 100.0
    assert second.net_exact == Decimal("110.4")
    assert sum(frame["net_exact"], Decimal(0)) == analysis.report.exact.net.amount


def test_heatmap_in_the_display_zone(analysis):
    matrix = analysis.heatmap()
    assert matrix.index.tolist()[0] == "Monday" and matrix.columns.tolist() == [f"{h:02d}" for h in range(24)]
    # A is Monday 20:00 in Paris (19:00Z), B Monday 21:00 (20:00Z)
    assert matrix.loc["Monday", "20"] == 5.6 and matrix.loc["Monday", "21"] == 110.4
    assert matrix.to_numpy().sum() == pytest.approx(116.0)
    assert analysis.heatmap("minutes").loc["Monday", "20"] == 3  # 19:00, 19:01, 19:02 UTC
    # net per hour streamed: 5.60 x 60 / 3 = 112.00; B streamed 46 minutes (20:00 to 20:45): 110.40 x 60 / 46
    per_hour = analysis.heatmap("net_per_hour")
    assert per_hour.loc["Monday", "20"] == 112.0 and per_hour.loc["Monday", "21"] == 144.0
    assert per_hour.loc["Tuesday"].isna().all()  # never streamed
    in_utc = analyze(TWO_STREAMS_EVENTS(), pm=testcast.manager())
    assert in_utc.heatmap().loc["Monday", "19"] == 5.6  # the same money, in UTC's hour
    best = analysis.heatmap(long=True).sort_values("net_per_hour", ascending=False).iloc[0]
    assert (best.day, best.hour) == ("Monday", 21)


def TWO_STREAMS_EVENTS():
    import io

    from livemoney.core.canonical import read_canonical

    text = "".join(json.dumps(record) + "\n" for record in TWO_STREAMS).encode()
    return [item for item in read_canonical(io.BytesIO(text), "two-streams.jsonl") if isinstance(item, lm.Event)]


def test_date_range_and_stream_filters(analysis, log):
    pm = testcast.manager()
    november = analyze(log, tz=PARIS, start="2026-11-01", end="2026-11-30", pm=pm)
    assert november.report.net == lm.Money("5.60", "USD") and november.stream_names() == [A, B]
    assert november.streams()["stream"].tolist() == [A]
    # the end date is included: through 2026-12-07 23:59 in Paris
    assert analyze(log, tz=PARIS, start=dt.date(2026, 12, 7), end=dt.date(2026, 12, 7), pm=pm).report.net.amount == usd(
        "110.40"
    )
    # a time: the end excluded (20:30 leaves ana's 10.00 and the sponsorship out)
    early = analyze(log, start=dt.datetime(2026, 12, 7, 20, tzinfo=UTC), end="2026-12-07T20:30:00+00:00", pm=pm)
    assert early.report.net.amount == usd("2.40")
    only_b = analyze(log, streams=[B], pm=pm)
    assert only_b.report.net.amount == usd("110.40") and only_b.viewers()["viewer"].tolist() == ["ana", "dee", "bo"]
    # returning looks at what came before the range: in December, ana and bo had paid in November
    december = analyze(log, start="2026-12-01", pm=pm).viewers()
    assert december.set_index("viewer")["returning"].to_dict() == {"ana": True, "dee": False, "bo": True}
    with pytest.raises(
        AnalysisError, match=r"stream: 'nope' not found \(streams: 2026-11-02T19:00Z, 2026-12-07T20:00Z\)"
    ):
        analyze(log, streams=["nope"], pm=pm)
    with pytest.raises(AnalysisError, match="ends .* before it starts"):
        analyze(log, start="2026-12-02", end="2026-12-01", pm=pm)
    with pytest.raises(AnalysisError, match="tz: 'Mars/Olympus' is not a time zone"):
        analyze(log, tz="Mars/Olympus", pm=pm)


def test_stream_ids_and_sessions(tmp_path):
    # two platforms' ids of one show, and a gap of exactly an hour (one session) then more (two)
    records = [
        gift("ana", "2026-11-02T19:00:00Z", 1, 100, stream="room-1"),
        gift("bo", "2026-11-02T19:10:00Z", 1, 100, stream="room-1"),
        tip("cy", "2026-11-02T20:00:00Z", "1.00"),
        tip("cy", "2026-11-02T21:00:00Z", "1.00"),  # 60 minutes later: the same session
        tip("cy", "2026-11-02T22:00:01Z", "1.00"),  # 60 minutes and a second: a new one
    ]
    found = analyze(write(tmp_path / "s.jsonl", records), pm=testcast.manager())
    assert found.stream_names() == ["room-1", "2026-11-02T20:00Z", "2026-11-02T22:00Z"]
    assert found.streams()["events"].tolist() == [2, 2, 1]
    shorter = analyze(write(tmp_path / "s.jsonl", records), gap=dt.timedelta(minutes=30), pm=testcast.manager())
    assert len(shorter.stream_names()) == 4


def test_velocity_marks_three_times_the_baseline_within_60_seconds(tmp_path):
    # one gift a minute from 10:00 to 10:06, five at 10:07, one at 10:09 (10:08 has none)
    records = [gift("v", f"2026-11-02T10:0{minute}:00Z", 1, 10, stream="s") for minute in range(7)]
    records += [
        gift("w", "2026-11-02T10:07:00Z", 5, 10, stream="s"),
        gift("v", "2026-11-02T10:09:00Z", 1, 10, stream="s"),
    ]
    found = analyze(write(tmp_path / "v.jsonl", records), pm=testcast.manager())
    frame = found.velocity()
    assert [stamp.strftime("%H:%M") for stamp in frame["minute"]] == [f"10:0{m}" for m in range(10)]
    assert frame["gifts"].tolist() == [1, 1, 1, 1, 1, 1, 1, 5, 0, 1]
    # at 10:07 the 60 s up to it hold 5 gifts; the baseline is 10:01 to 10:06, 5 minutes holding 6 gifts: 1.2
    # a minute; 5 >= 3 x 1.2 = 3.6: a spike. At 10:06: 1 gift against 1.2 (10:00 to 10:05): none.
    assert frame["spike"].tolist() == [False] * 7 + [True, False, False]
    row = frame.iloc[7]
    assert (row.peak_60s, row.baseline) == (5, pytest.approx(1.2))
    # no baseline before two minutes of the stream have gone by before the window
    assert frame["baseline"].isna().tolist()[:3] == [True, True, True]
    assert frame.iloc[3].baseline == pytest.approx(1.5)  # 10:00 to 10:02: 3 gifts in 2 minutes
    # at 10:09: 10:03 to 10:08 holds 1 + 1 + 1 + 1 + 5 = 9 gifts in 5 minutes, 1.8; 1 gift: no spike
    assert frame.iloc[9].baseline == pytest.approx(1.8)
    # each gift x 10 coins x 0.01 USD, 80% to the creator: 0.08 a gift
    assert frame.iloc[7].net == 0.4 and frame.iloc[7].net_exact == Decimal("0.4")
    assert found.velocity(factor=5)["spike"].sum() == 0  # 5 < 5 x 1.2


def test_engagement_counts_likes_and_comments_beside_net():
    at_ = lambda text: dt.datetime.fromisoformat(text)
    items = [
        lm.Like(platform="testcast", count=12, viewer="cy", ts=at_("2026-11-02T10:00:05+00:00")),
        lm.Skipped("chat.log", 2, "comment", ts=at_("2026-11-02T10:00:20+00:00")),
        lm.Gift(
            platform="testcast",
            gift="Rose",
            amount=lm.Money(10, "coins"),
            viewer="ana",
            ts=at_("2026-11-02T10:01:10+00:00"),
        ),
        lm.Skipped("chat.log", 4, "chat", ts=at_("2026-11-02T10:01:30+00:00")),
        lm.Skipped("chat.log", 5, "join", ts=at_("2026-11-02T10:01:40+00:00")),  # not a comment
        lm.Skipped("chat.log", 6, "comment"),  # no time: in the counts, in no minute
    ]
    found = analyze(items, pm=testcast.manager())
    frame = found.engagement()
    assert frame[["likes", "comments", "events"]].values.tolist() == [[12, 1, 1], [0, 1, 1]]
    assert frame["net"].tolist() == [0.0, 0.08]  # 10 coins = 0.10 USD, 80% kept
    assert found.report.without_money == {"chat": 1, "comment": 2, "join": 1}
    # the counts of the filtered report: records = events (a filter keeps events only)
    assert analyze(items, start="2026-11-02", pm=testcast.manager()).report.records == 2


def test_skipped_records_take_the_time_of_their_line():
    import io

    class Decoder:
        def feed(self, record, line):
            if record.get("money"):
                return [lm.Gift(platform="testcast", gift="Rose", viewer="v", source=f"x:{line}")]
            return [lm.Skipped("x", line, "chat")]

        def flush(self, now=None):
            return []

    read = read_with_decoder(lambda source: Decoder())
    text = b'2026-11-02T10:00:05Z,{"chat": 1}\n{"chat": 2}\n2026-11-02T10:00:09Z,{"money": 1}\n'
    items = list(read(io.BytesIO(text), "x"))
    assert [getattr(item, "ts", None) for item in items] == [
        dt.datetime(2026, 11, 2, 10, 0, 5, tzinfo=UTC),
        None,
        dt.datetime(2026, 11, 2, 10, 0, 9, tzinfo=UTC),
    ]
    with pytest.raises(ValueError, match="must be a timezone-aware datetime"):
        lm.Skipped("x", 1, "chat", ts=dt.datetime(2026, 11, 2))


def test_the_ledger_gives_what_the_log_gives(tmp_path, log):
    pm = testcast.manager()
    book = tmp_path / "earnings.sqlite"
    from_log = analyze(log, tz=PARIS, pm=pm, ledger=book)
    from_ledger = analyze(ledger=book, tz=PARIS)
    plain = analyze(log, tz=PARIS, pm=pm)
    for table, options in [
        ("viewers", {"by": "all"}),
        ("viewers", {"by": "stream"}),
        ("viewers", {"by": "week"}),
        ("streams", {}),
        ("heatmap", {"long": True}),
        ("velocity", {}),
        ("engagement", {}),
        ("rows", {}),
    ]:
        expected = plain.table(table, **options).rows
        assert from_ledger.table(table, **options).rows == expected, table
        assert from_log.table(table, **options).rows == expected, table
    assert from_ledger.report.exact == plain.report.exact
    filtered = analyze(ledger=book, start="2026-12-01")
    assert filtered.report.net.amount == usd("110.40")
    with pytest.raises(LedgerError, match="holds valuations in USD, not EUR"):
        analyze(ledger=book, currency="EUR")
    with pytest.raises(AnalysisError, match="settings apply to valuing logs"):
        analyze(ledger=book, settings={"x": 1})


def test_rows_are_kept_only_when_asked(log):
    rows = EventRows()
    report = value(log, pm=testcast.manager(), rows=rows)
    assert len(rows) == report.valued == 8
    assert len(rows.valuations) == 8  # every event here is valued differently
    # the same as the general path (events given one by one)
    again = EventRows()
    value(TWO_STREAMS_EVENTS(), pm=testcast.manager(), rows=again)
    assert [tuple(row)[1:] for row in again.events()] == [tuple(row)[1:] for row in rows.events()]


# --- exports -------------------------------------------------------------------------------------


def test_csv_export_neutralises_formulas_and_reads_back(tmp_path):
    records = [
        tip('=HYPERLINK("http://x")', "2026-11-02T10:00:00Z", "1.00"),
        tip("-2+3", "2026-11-02T10:01:00Z", "2.00"),
    ]
    found = analyze(write(tmp_path / "h.jsonl", records), pm=testcast.manager())
    path = found.export("viewers", tmp_path / "viewers.csv")
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == list(found.table("viewers").columns)
    assert [row[0] for row in rows[1:]] == ["'-2+3", '\'=HYPERLINK("http://x")']  # by net: 1.60, 0.80
    assert [row[3] for row in rows[1:]] == ["1.60", "0.80"]
    back = pd.read_csv(path)
    assert back["net"].tolist() == [1.6, 0.8] and back["gross_exact"].tolist() == [2.0, 1.0]


def test_json_export_and_every_table_exports(tmp_path, analysis):
    for table in ("viewers", "streams", "heatmap", "velocity", "engagement", "rows"):
        path = analysis.export(table, tmp_path / f"{table}.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        assert len(data) == len(analysis.table(table).rows)
    streams = json.loads((tmp_path / "streams.json").read_text(encoding="utf-8"))
    assert streams[0]["net"] == "5.60" and streams[0]["start"] == "2026-11-02T20:00:10+01:00"
    with pytest.raises(AnalysisError, match="choose a format"):
        analysis.export("viewers", tmp_path / "viewers.txt")
    with pytest.raises(AnalysisError, match="table: 'nope' is not one of"):
        analysis.table("nope")


def test_excel_export_reads_back(tmp_path, analysis):
    openpyxl = pytest.importorskip("openpyxl")
    path = analysis.export("viewers", tmp_path / "viewers.xlsx", by="stream")
    book = openpyxl.load_workbook(path)
    sheet = book["viewers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == analysis.table("viewers", by="stream").columns
    assert rows[1][:5] == ("bo", A, 1, 5.0, 4.0)
    assert rows[1][-1] == "4.00"  # exact sums as text (Excel has no exact decimals), to at least the cent
    assert rows[1][5] == dt.datetime(2026, 11, 2, 20, 0, 40)  # in Paris, as the about sheet says
    assert dict(book["about"].iter_rows(values_only=True))["times in"] == PARIS
    back = pd.read_excel(path, sheet_name="viewers")
    assert back["net"].tolist() == [4.0, 1.6, 0.0, 8.0, 2.0, 0.4]


def test_excel_never_runs_a_viewers_name(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    found = analyze(write(tmp_path / "h.jsonl", [tip("=1+2", "2026-11-02T10:00:00Z", "1.00")]), pm=testcast.manager())
    cell = openpyxl.load_workbook(found.export("viewers", tmp_path / "v.xlsx"))["viewers"]["A2"]
    assert (cell.value, cell.data_type) == ("=1+2", "s")


def test_parquet_export_keeps_exact_decimals(tmp_path, analysis):
    parquet = pytest.importorskip("pyarrow.parquet")
    path = analysis.export("streams", tmp_path / "streams.parquet")
    table = parquet.read_table(path)
    assert table.schema.metadata[b"livemoney.currency"] == b"USD"
    back = table.to_pylist()
    assert back[1]["net_exact"] == Decimal("110.4000000000") and back[1]["net"] == 110.4
    assert back[0]["start"] == dt.datetime(2026, 11, 2, 19, 0, 10, tzinfo=dt.UTC)
    assert back[0]["duration"] == dt.timedelta(seconds=110)
    frame = pd.read_parquet(path)
    assert frame["stream"].tolist() == [A, B]


def test_a_missing_extra_says_how_to_install_it(tmp_path, analysis, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(lm.errors.MissingExtra, match=r"pip install 'livemoney\[parquet\]'"):
        analysis.export("viewers", tmp_path / "v.parquet")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ImportError, match=r"livemoney\[excel\]"):
        analysis.export("viewers", tmp_path / "v.xlsx")


def test_every_frame_plots(analysis):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frames = [analysis.viewers(), analysis.streams(), analysis.heatmap(), analysis.velocity(), analysis.engagement()]
    for frame in frames:
        axes = frame.plot()
        assert axes.get_lines() or axes.patches
        plt.close("all")
    assert analysis.viewers()["net"].dtype == "float64"
    assert analysis.viewers().plot.bar(x="viewer", y="net").patches


# --- properties ----------------------------------------------------------------------------------

VIEWERS = st.sampled_from(["ana", "bo", "cy", "dee", None])
MOMENTS = st.integers(min_value=0, max_value=40 * 24 * 60).map(
    lambda minutes: dt.datetime(2026, 11, 1, tzinfo=UTC) + dt.timedelta(minutes=minutes, seconds=minutes % 60)
)


@st.composite
def events(draw):
    kind = draw(st.sampled_from(["gift", "tip", "like", "sponsorship"]))
    viewer, ts = draw(VIEWERS), draw(MOMENTS)
    if kind == "gift":
        return lm.Gift(
            platform="testcast",
            gift="Rose",
            count=draw(st.integers(1, 20)),
            amount=lm.Money(draw(st.integers(1, 3000)), "coins"),
            viewer=viewer,
            ts=ts,
        )
    if kind == "tip":
        cents = draw(st.integers(1, 100_000))
        return lm.Donation(
            platform="testcast", feature="tip", amount=lm.Money(Decimal(cents) / 100, "USD"), viewer=viewer, ts=ts
        )
    if kind == "like":
        return lm.Like(platform="testcast", count=draw(st.integers(1, 50)), viewer=viewer, ts=ts)
    return lm.Sponsorship(platform="testcast", amount=lm.Money(draw(st.integers(1, 500)), "USD"), ts=ts)


PM = testcast.manager()
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.lists(events(), max_size=30))
def test_viewers_net_sums_to_the_reports_exact_net(items):
    found = analyze(items, pm=PM, tz=PARIS)
    without_viewer = sum(
        (lm.value_event(e, lm.context("USD", pm=PM), pm=PM).net.amount for e in items if e.viewer is None), Decimal(0)
    )
    for by in ("all", "stream", "week", "month"):
        frame = found.viewers(by=by)
        assert sum(frame["net_exact"], Decimal(0)) + without_viewer == found.report.exact.net.amount
    # each viewer's sums over periods are their sum over everything
    total = found.viewers().set_index("viewer")["net_exact"].to_dict()
    for by in ("stream", "month"):
        grouped = found.viewers(by=by).groupby("viewer")["net_exact"].agg(lambda s: sum(s, Decimal(0))).to_dict()
        assert grouped == total
    assert sum(found.streams()["net_exact"], Decimal(0)) == found.report.exact.net.amount
    assert sum(found.heatmap(long=True)["net_exact"], Decimal(0)) == found.report.exact.net.amount
    assert sum(found.engagement()["net_exact"], Decimal(0)) == found.report.exact.net.amount


@PROPERTY
@given(st.lists(events(), max_size=30), MOMENTS, st.integers(min_value=0, max_value=20))
def test_a_date_filters_report_is_the_report_of_the_filtered_events(items, start, days):
    end = start + dt.timedelta(days=days)
    found = analyze(items, pm=PM, start=start, end=end)
    kept = [e for e in items if start <= e.ts < end]
    expected = value(kept, pm=PM)
    got = found.report
    assert got.exact == expected.exact
    assert [(r.platform, r.kind, r.events, r.gross, r.shares, r.net, r.unknown) for r in got.rows] == [
        (r.platform, r.kind, r.events, r.gross, r.shares, r.net, r.unknown) for r in expected.rows
    ]
    assert got.viewers == expected.viewers and got.bins == expected.bins and got.originals == expected.originals
    assert (got.records, got.valued) == (expected.records, expected.valued)


# --- the command line -----------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, list(args), obj=testcast.manager())


def test_cli_analyze_prints_and_exports(tmp_path, log):
    done = run("analyze", str(log), "--tz", PARIS, "--table", "streams")
    assert done.exit_code == 0, done.output
    assert "streams in USD, times in Europe/Paris" in done.output
    assert "183.27" in done.output and "147.20" in done.output
    assert done.output.rstrip().endswith("events 8 = valued 8 + duplicates 0")
    done = run(
        "analyze", str(log), "--by", "stream", "--top", "1", "--format", "csv", "--export", str(tmp_path / "v.csv")
    )
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert [line.split(",")[:2] for line in lines[1:]] == [["bo", A], ["ana", B]]
    assert len((tmp_path / "v.csv").read_text().splitlines()) == 7  # the whole table: 6 rows and the header
    assert "wrote 6 rows of viewers" in done.stderr
    done = run("analyze", str(log), "--from", "2026-12-01", "--format", "json")
    assert [row["viewer"] for row in json.loads(done.stdout)] == ["ana", "dee", "bo"]
    # The rows table: a party without a share of a row is 0.00 like every figure, not 0 (a trial's find).
    pytest.importorskip("livemoney_facebook")
    done = CliRunner().invoke(main, ["analyze", str(lm.sample_path()), "--table", "rows", "--format", "csv"])
    # Each unknown's reason is said (a trial: `analyze` showed "unknown 150" and never why): on stderr beside
    # CSV, before the counts line; after the table in the table format.
    membership = "unknown: youtube donation, 42 events: memberships with no price"
    assert any(line.startswith(membership) for line in done.stderr.splitlines()[:-1])
    assert done.stderr.splitlines()[-1].startswith("records 2000 = ")
    table = CliRunner().invoke(main, ["analyze", str(lm.sample_path()), "--table", "streams"])
    assert membership in table.stdout and table.stdout.index(membership) < table.stdout.index("records 2000 = ")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    facebook = next(row for row in rows if (row["platform"], row["kind"]) == ("facebook", "donation"))
    assert (facebook["Meta"], facebook["TikTok"], facebook["YouTube"]) == ("81.76", "0.00", "0.00")
    assert Decimal(facebook["gross"]) == Decimal(facebook["Meta"]) + Decimal(facebook["net"])


def test_cli_analyze_shows_the_first_rows_of_a_long_table_and_says_how_many_more(tmp_path):
    # A trial: `analyze` of a long capture printed every one of its 20,000 viewers to the terminal.
    log = tmp_path / "many.jsonl"
    lines = [
        {
            "type": "gift",
            "platform": "testcast",
            "gift": "Rose",
            "count": 1,
            "viewer": f"v{n:03}",
            "id": f"g{n}",
            "ts": "2026-11-01T20:00:00Z",
        }
        for n in range(ROWS_SHOWN + 7)
    ]
    log.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = run("analyze", str(log))
    assert done.exit_code == 0, done.output
    shown = [line for line in done.output.splitlines() if line.startswith("v0")]
    assert len(shown) == ROWS_SHOWN
    assert f"... 7 more rows not shown, of {ROWS_SHOWN + 7} (--top N shows N;" in done.output
    assert done.output.rstrip().endswith(f"valued {ROWS_SHOWN + 7} + duplicates 0")  # every record still counted
    done = run("analyze", str(log), "--top", "3")
    assert len([line for line in done.output.splitlines() if line.startswith("v0")]) == 3
    assert f"{ROWS_SHOWN + 4} more rows not shown" in done.output
    for format_ in ("csv", "json"):  # machine formats: every row
        done = run("analyze", str(log), "--format", format_)
        assert done.stdout.count("v0") == ROWS_SHOWN + 7 and "not shown" not in done.output


def test_the_viewers_table_says_how_many_events_name_no_viewer(tmp_path):
    # A new user's trial: the leaderboard's rows summed to 99,998 events of 100,000 and nothing said why (the two
    # sponsorships name no viewer).
    gift = {"type": "gift", "platform": "testcast", "gift": "Rose", "count": 1, "ts": "2026-11-01T20:00:00Z"}
    sponsor = {"type": "sponsorship", "platform": "starcast", "amount": "5", "currency": "USD", "brand": "Acme"}
    lines = [{**gift, "viewer": "ana", "id": "g1"}, {**gift, "viewer": "bo", "id": "g2"}, sponsor, sponsor]
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert lm.analyze(log, pm=testcast.manager()).without_viewer() == 2
    done = run("analyze", str(log))
    assert done.exit_code == 0, done.output
    line = "in no row: 2 event(s): 2 without a viewer (a sponsorship, a sale, a record whose format names none)"
    assert line in done.output.splitlines()
    assert line in run("analyze", str(log), "--format", "csv").stderr.splitlines()  # beside CSV: on stderr
    assert "in no row" not in run("analyze", str(log), "--table", "streams").output  # in the streams' rows
    # A re-check's find: gifts to guests are in no table either, and nothing said so.
    to_guest = {**gift, "viewer": "cy", "id": "g3", "recipient": "guest1", "host": "host1"}
    log.write_text("".join(json.dumps(line) + "\n" for line in [*lines, to_guest]))
    analysis = lm.analyze(log, pm=testcast.manager())
    assert (analysis.without_viewer(), analysis.to_guests()) == (2, 1)
    assert analysis.outside_viewers() == (
        "in no row: 3 event(s): 2 without a viewer (a sponsorship, a sale, a record whose format names none); "
        "1 gift(s) to guests (the tables are the creator's money)"
    )


def test_cli_analyze_a_ledger(tmp_path, log):
    book = tmp_path / "b.sqlite"
    assert run("value", str(log), "--ledger", str(book)).exit_code == 0
    done = run("analyze", "--ledger", str(book), "--table", "heatmap", "--stream", B)
    assert done.exit_code == 0, done.output
    assert "110.4" in done.output
    # the ledger's valuations are read as they were made: valuing options are refused, not silently ignored
    for option in (("--set", "testcast.fee=0.5"), ("--as-of", "2026-01-01"), ("--host", "h"), ("--platform", "starcast")):
        refused = run("analyze", "--ledger", str(book), *option)
        assert refused.exit_code == 2, (option, refused.output)
        assert f"{option[0]}: only with LOG... to value" in refused.output


def test_cli_analyze_checks_an_exports_library_before_the_work(tmp_path, log, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed: importing it raises ImportError
    done = run("analyze", str(log), "--export", str(tmp_path / "v.xlsx"))
    assert done.exit_code == 1, done.output
    assert "an Excel export needs openpyxl: pip install 'livemoney[excel]'" in done.output
    assert "viewers in USD" not in done.output and not (tmp_path / "v.xlsx").exists()  # no table, no file


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "give LOG files to analyse, or --ledger FILE"),
        (("--tz", "Mars/Olympus"), 2, "'Mars/Olympus' is not a time zone"),
        (("--table", "streams", "--by", "week"), 2, "--by goes with --table viewers"),
        (("--from", "2026-12-02", "--to", "2026-12-01"), 2, "--to 2026-12-01 is before --from 2026-12-02"),
        (("--export", "x.txt"), 2, "the file must end in .csv, .xlsx, .parquet, .json"),
        (("--stream", "nope"), 1, "stream: 'nope' not found"),
        (("--ledger", "missing.sqlite"), 2, "no such ledger"),
    ],
)
def test_cli_analyze_errors(log, args, code, message):
    logs = [] if not args or args[0] == "--ledger" else [str(log)]
    done = run("analyze", *logs, *args)
    assert done.exit_code == code, done.output
    assert message in done.output and "Traceback" not in done.output


def test_readme_python_runs_on_the_bundled_sample(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples write viewers.csv
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = [block for block in readme.split("```python\n")[1:]]
    assert blocks, "the README has Python examples"
    for block in blocks:
        code = block.split("```")[0]
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    assert (tmp_path / "viewers.csv").read_text(encoding="utf-8").startswith("viewer,events,gross,net,")


def test_the_facade_names_the_analysis():
    assert lm.analyze is analyze and lm.Analysis is Analysis
    assert lm.sample_path().name == "sample-stream.jsonl" and lm.sample_path().exists()


def test_a_report_currency_in_any_case_values_as_its_code(log):
    """Issue 13: ``currency="usd"`` raised ValueError in lm.value (and made events unknown in a log): any
    case is the ISO code, in lm.value and lm.analyze alike, with the same figures and no unknowns."""
    upper = lm.value(log, currency="USD", pm=testcast.manager(), progress=False)
    for typed in ("usd", " Usd"):
        lower = lm.value(log, currency=typed, pm=testcast.manager(), progress=False)
        assert lower.currency == "USD" and lower.to_dict() == upper.to_dict()
        assert sum(row.unknown for row in lower.rows) == 0
        # 0.80 + 4.00 + 0.80 + 0.40 + 2.00 + 8.00 + the sponsorship's 100.00 (see TWO_STREAMS)
        assert lower.net.amount == usd("116.00")
        analysed = analyze(log, currency=typed, pm=testcast.manager())
        assert analysed.report.currency == "USD" and analysed.report.to_dict() == upper.to_dict()
    by_code = analyze(log, currency="USD", pm=testcast.manager()).table("viewers").rows
    assert analyze(log, currency="usd", pm=testcast.manager()).table("viewers").rows == by_code
