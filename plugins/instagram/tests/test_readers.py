"""Instagram readers on hand-written files in data/: the badge file of the README and Graph API comments
shaped like event-formats.md section 4 (ids and names invented). Every total is worked out by hand, and
every record of every file is accounted for: an event, a record without money, a kind not read, or a
rejected record."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from hypothesis import given
from hypothesis import strategies as st
from livemoney import Context, Donation, Event, Money, Rejected, context, value_event
from livemoney.kit import NO_MONEY, NOT_READ, FieldError, Skipped, line_of
from livemoney_instagram.readers import READERS, badges_csv
from livemoney_instagram.rules import KEY

DATA = Path(__file__).parent / "data"
UTC = dt.UTC
READER = {reader.name: reader for reader in READERS}


def read(name, file):
    path = DATA / file
    with path.open("rb") as stream:
        return list(READER[name].read(stream, path.name))


def events(found):
    return [item for item in found if isinstance(item, Event)]


def rejects(found):
    return [(item.line, item.field) for item in found if isinstance(item, Rejected)]


def skipped(found):
    return [(item.line, item.kind, item.why) for item in found if isinstance(item, Skipped)]


def usd(amount):
    return Money(amount, "USD")


def value_file(pm, file, **options):
    """The report of ``lm.value`` on a file of data/, its bad records skipped; its counts must add up."""
    report = lm.value(DATA / file, pm=pm, on_error="skip", progress=False, **options)
    without, unread = sum(report.without_money.values()), sum(report.not_read.values())
    assert report.records == report.events + without + unread + report.rejected
    return report


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
    # app store, exact: 4.99 × 0.30 = 1.497; 2 × 0.99 = 1.98 → 0.594; 1.99 → 0.597 (twice)
    assert [r.share("App store") for r in known] == [usd("1.497"), usd("0.594"), usd("0.597"), usd("0.597")]
    assert sum(r.gross.amount for r in known) == Decimal("4.99") + Decimal("1.98") + 2 * Decimal("1.99")  # 10.95
    assert sum(r.share("App store").amount for r in known) == Decimal("3.285")
    assert sum(r.net.amount for r in known) == Decimal("7.665")  # 10.95 - 3.285
    # the badge of 2025-02-14 falls after Meta's promise "until 2024"
    (later,) = [r for r in results if r.unknown]
    assert later.event.source == "badges.csv:6" and "2024" in later.reason


def test_the_report_of_the_badge_file_rounds_each_figure_once(pm):
    report = value_file(pm, "badges.csv")
    assert report.counts_line() == (
        "records 5 = events 5 + without money 0 + rejected 0; events 5 = valued 5 + duplicates 0"
    )
    assert (report.without_money, report.not_read, report.unknown) == ({}, {}, 1)
    # the exact sums of the README: 10.95 paid, 3.285 to the app stores, 7.665 to the creator;
    # shown: 10.95 = 3.28 + 0.00 + 7.67 (3.285 rounds half-even to 3.28; the creator, who takes the rest,
    # takes the rounding)
    assert (report.exact.gross, report.exact.shares["App store"], report.exact.net) == (
        usd("10.95"),
        usd("3.285"),
        usd("7.665"),
    )
    assert (report.gross, report.shares, report.net) == (
        usd("10.95"),
        {"App store": usd("3.28"), "Meta": usd("0.00")},
        usd("7.67"),
    )


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


def test_the_report_of_a_badge_file_with_bad_rows_counts_every_row(pm):
    # A badge file names no kinds of row: every row is a Badge, read or rejected; nothing is skipped.
    report = value_file(pm, "badges_bad.csv")
    # 13 rows on lines 2-15 (line 12 is blank): 2 Badges, 11 rejected
    assert report.counts_line() == (
        "records 13 = events 2 + without money 0 + rejected 11; events 2 = valued 2 + duplicates 0"
    )


def test_a_badge_paid_in_euro_is_converted_with_the_rate_of_its_day(pm):
    (euro,) = [e for e in events(read("instagram-badges-csv", "badges_bad.csv")) if e.amount.currency == "EUR"]
    result = value_event(euro, Context(currency="USD"), pm)
    # 2024-03-02 is a Saturday: ECB rate of 2024-03-01, 1 EUR = 1.0813 USD
    # gross 1.09 * 1.0813 = 1.178617; app store 0.327 * 1.0813 = 0.3535851; creator 1.178617 - 0.3535851 = 0.8250319
    assert (result.gross, result.share("App store"), result.net) == (
        usd("1.178617"),
        usd("0.3535851"),
        usd("0.8250319"),
    )
    # shown: gross 1.18, creator 0.83, the app store the rest, 0.35
    shown = result.shown()
    assert (shown.gross, shown.share("App store"), shown.net) == (usd("1.18"), usd("0.35"), usd("0.83"))


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


def test_a_file_without_the_badge_columns_rejects_its_header_and_each_row():
    file = io.BytesIO(b"\ndate,amount\n2024-03-02,4.99\n2024-03-03,1.99\n")
    found = list(READER["instagram-badges-csv"].read(file, "x.csv"))
    assert [(r.line, r.field) for r in found] == [(2, "(header)"), (3, "(header)"), (4, "(header)")]
    assert "the header lacks badge_tier" in found[0].problem
    assert (found[1].problem, found[2].raw) == ("not read: the header on line 2 is bad", "2024-03-03,1.99")
    assert list(READER["instagram-badges-csv"].read(io.BytesIO(b""), "empty.csv")) == []


def test_a_badge_file_with_your_meta_share_values_2025(pm):
    ctx = context(settings={"instagram.meta_share": "0.10"}, pm=pm)
    (later,) = [e for e in read("instagram-badges-csv", "badges.csv") if e.ts.year == 2025]
    result = value_event(later, ctx, pm)
    # 1.99: app store 1.99 × 0.30 = 0.597; Meta 1.99 × 0.10 = 0.199; creator 1.99 - 0.597 - 0.199 = 1.194
    assert (result.share("App store"), result.share("Meta"), result.net) == (usd("0.597"), usd("0.199"), usd("1.194"))
    # shown: creator 1.19; app store 1.79 - 1.19 = 0.60 (running totals); Meta 1.99 - 1.79 = 0.20
    shown = result.shown()
    assert (shown.share("App store"), shown.share("Meta"), shown.net) == (usd("0.60"), usd("0.20"), usd("1.19"))


CELLS = st.sampled_from(
    [
        "2024-03-02",
        " 2024-03-02 ",
        "2025-02-01",
        "2024-02-30",
        "1999-12-31",
        "2024-03-02T20:15:00+02:00",
        "",
        "1",
        " 2 ",
        "3",
        "4",
        "4.99",
        "$4.99",
        "-1",
        "USD",
        "usd",
        "EUR",
        "XYZ",
        "ann",
        " bo ",
        "\u00a0cy",
        "0",
        "2",
    ]
)


def _badge_outcomes(data: bytes) -> list[tuple]:
    found = READER["instagram-badges-csv"].read(io.BytesIO(data), "b.csv")
    return [
        ("rejected", item.line, item.field, item.problem) if isinstance(item, Rejected) else ("event", repr(item))
        for item in found
    ]


@given(st.lists(st.lists(CELLS, min_size=1, max_size=6).filter(lambda row: ",".join(row).strip()), max_size=12))
def test_a_badge_row_reads_the_same_quoted_or_not_and_however_many_rows_are_kept(rows):
    """Rows without quotes are split at their commas, quoted ones go through csv.reader: both give the same
    events and the same rejects (by line, column and problem); and the rows checked once and copied give
    what checking each row gives (one row kept at a time)."""
    header = "date,badge_tier,amount,currency,viewer,count\n"
    plain = header + "".join(",".join(row) + "\n" for row in rows)
    quoted = header + "".join(",".join(f'"{cell}"' for cell in row) + "\n" for row in rows)
    expected = _badge_outcomes(plain.encode())
    assert _badge_outcomes(quoted.encode()) == expected
    assert len(expected) == len(rows)  # every row comes out once: an event or a reject
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(badges_csv, "CACHED", 1)
        assert _badge_outcomes(plain.encode()) == expected


def _row_checked_alone(names: list[str], cells: list[str], number: int) -> tuple:
    """What a row of ``cells`` on line ``number`` comes to, checked on its own: ``("event", repr)`` or
    ``("rejected", line, column, problem)``."""
    if len(cells) > len(names):
        return ("rejected", number, "(row)", f"{len(cells)} cells, the header has {len(names)}")
    try:
        made = badges_csv._badge({n: cell.strip() for n, cell in zip(names, cells)}, "b.csv", number)
    except FieldError as error:
        return ("rejected", number, error.field, error.problem)
    return ("event", repr(made))


def _badge_outcomes_row_by_row(data: bytes) -> list[tuple]:
    """What the badge reader must make of ``data`` (a header and rows, one a line), worked out the plain way:
    each line through `csv.reader` on its own and checked on its own, nothing kept from one row to the next."""
    header, *lines = data.decode().split("\n")
    names = [name.strip().lower() for name in next(csv.reader([header]))]
    found: list[tuple] = []
    for number, text in enumerate(lines, start=2):
        if not text.strip():
            continue
        cells = next(csv.reader([text]))
        found.append(_row_checked_alone(names, cells, number))
    return found


LINES = st.one_of(
    st.lists(CELLS, min_size=1, max_size=7).map(",".join),
    st.sampled_from(["", "  ", "\u00a0", "\t", "ann", "2024-03-02", '"ann"', '"2024-03-02",1,"a, b"']),
)


@given(st.permutations(["date", "badge_tier", "amount", "currency", "viewer", "count"]), st.lists(LINES, max_size=14))
def test_a_badge_file_reads_as_each_row_checked_on_its_own(columns, lines):
    """Whatever the order of the columns (the viewer's first, last or between), blank lines among the rows,
    rows of one cell, of too many cells or quoted: the reader, which checks the cells but the viewer once and
    copies what they come to, gives what checking each row on its own gives, row by row."""
    data = (",".join(columns) + "\n" + "".join(line + "\n" for line in lines)).encode()
    assert _badge_outcomes(data) == _badge_outcomes_row_by_row(data)


def _badges_read(data: bytes) -> list[tuple]:
    """``(source, viewer, amount x count)`` of each item the badge reader makes of ``data``."""
    return [
        (e.source, e.viewer, e.amount * e.count) for e in READER["instagram-badges-csv"].read(io.BytesIO(data), "b.csv")
    ]


def test_a_quoted_cell_over_two_lines_is_one_row_named_by_its_first_line():
    # A breaker's trial: a viewer written with a line break ("Pat", then "the tuba guy" on the next line,
    # the cell quoted) was read as two rows, the second's count lost (two rows of 0.99 instead of 0.99 and
    # 3 x 0.99), or as a made-up Badge of the next line's tier. Each record is its lines joined, as csv reads it.
    data = (
        b"date,badge_tier,amount,currency,viewer,count\n"
        b'2024-03-02,1,,,"Pat\nthe tuba guy",\n'
        b'2024-03-02,1,,,"Pat\nthe tuba guy",3\n'
        b'2024-03-02,1,,,"Pat\n2024-03-02,3,,,Eve",\n'
        b"2024-03-02,2,,,Ann,\n"
    )
    assert _badges_read(data) == [
        ("b.csv:2", "Pat\nthe tuba guy", usd("0.99")),
        ("b.csv:4", "Pat\nthe tuba guy", usd("2.97")),  # 3 x 0.99: the count is the record's last cell
        ("b.csv:6", "Pat\n2024-03-02,3,,,Eve", usd("0.99")),  # tier 1: no Badge of 3 hearts on line 7
        ("b.csv:8", "Ann", usd("1.99")),
    ]


def test_a_quote_no_line_closes_rejects_its_line_and_the_lines_after_it_are_rows_again():
    rows = "".join(f"2024-03-02,1,,,v{n},\n" for n in range(3))
    data = f'date,badge_tier,amount,currency,viewer,count\n2024-03-02,1,,,"Pat,\n{rows}'.encode()
    found = list(READER["instagram-badges-csv"].read(io.BytesIO(data), "b.csv"))
    assert rejects(found) == [(2, "(row)")]
    assert found[0].problem == badges_csv._OPEN_QUOTE and found[0].raw == '2024-03-02,1,,,"Pat,'
    assert [(e.source, e.viewer) for e in events(found)] == [("b.csv:3", "v0"), ("b.csv:4", "v1"), ("b.csv:5", "v2")]
    # Past CONTINUED lines the quote is given up too: its line rejected, every other row read.
    many = "".join(f"2024-03-02,1,,,v{n},\n" for n in range(badges_csv.CONTINUED + 5))
    data = f'date,badge_tier,amount,currency,viewer,count\n2024-03-02,1,,,"Pat,\n{many}"\n'.encode()
    found = list(READER["instagram-badges-csv"].read(io.BytesIO(data), "b.csv"))
    assert rejects(found)[0] == (2, "(row)") and len(events(found)) == badges_csv.CONTINUED + 5


def _badge_outcomes_as_csv_reads(data: bytes) -> list[tuple]:
    """What the badge reader must make of ``data``, worked out by `csv.reader` over the whole file (a record
    may go on over several lines inside a quoted cell), each record named by its first line, checked alone."""
    reader = csv.reader(io.StringIO(data.decode(), newline=""))
    names = [name.strip().lower() for name in next(reader)]
    found: list[tuple] = []
    first = reader.line_num + 1
    for cells in reader:
        number, first = first, reader.line_num + 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        found.append(_row_checked_alone(names, cells, number))
    return found


VIEWERS = st.sampled_from(["ann", "", "Pat\nthe tuba guy", 'a "b"\nc', "x,\n\ny", "\n", "2024-03-02,3\n,,Eve"])
WRITTEN_AS_IS = st.sampled_from(['tom"s', 'O"Brien', 'a""b', 'x"', '"open', '"Pat', '"a""', 'the tuba guy"'])
"""Viewer cells written as they are, not as `csv.writer` writes them: a quote inside an unquoted cell (a
character of the cell), or opening a cell that a later line may close. (A character after a closing quote,
which `csv` in strict mode refuses, is in the test of stray quotes below.)"""


def _csv_cell(cell: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([cell])
    return out.getvalue()


@given(
    st.permutations(["date", "badge_tier", "amount", "currency", "viewer", "count"]),
    st.lists(st.tuples(st.lists(CELLS, min_size=5, max_size=5), st.one_of(VIEWERS, WRITTEN_AS_IS)), max_size=10),
    st.data(),
)
def test_a_badge_file_with_quotes_and_line_breaks_in_cells_reads_as_csv_reads_it(columns, rows, data):
    """Rows whose viewer holds line breaks (written by `csv.writer`: quoted, quotes doubled) or quotes written
    as they are (`WRITTEN_AS_IS`), in any column order: the reader gives what `csv.reader` over the whole file
    gives, record by record, as long as every quoted cell closes within `badges_csv.CONTINUED` lines."""
    at = columns.index("viewer")
    lines = [",".join(columns)]
    for cells, viewer in rows:
        written = viewer if viewer in WRITTEN_AS_IS.elements else _csv_cell(viewer)  # type: ignore[attr-defined]
        lines.append(",".join([*map(_csv_cell, cells[:at]), written, *map(_csv_cell, cells[at:])]))
    text = "\n".join(lines) + "\n"
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:  # a quote the file never closes: csv would take the rest of the file as its cell
        return
    data = text.encode()
    assert _badge_outcomes(data) == _badge_outcomes_as_csv_reads(data)


def test_a_quote_inside_an_unquoted_cell_or_after_a_closing_quote_is_a_character_of_the_cell():
    # A breaker's trial: counting quotes took `tom"s` for an open quoted cell, which ate the next rows.
    data = (
        b"date,badge_tier,amount,currency,viewer,count\n"
        b'2024-01-01,1,,,tom"s,\n'
        b"2024-01-01,2,,,ann,\n"
        b'2024-01-01,1,,,"a"b,2\n'  # csv: the cell ab (a character after the closing quote)
        b'2024-01-01,1,,,O"Brien,\n'
    )
    assert _badges_read(data) == [
        ("b.csv:2", 'tom"s', usd("0.99")),
        ("b.csv:3", "ann", usd("1.99")),
        ("b.csv:4", "ab", usd("1.98")),
        ("b.csv:5", 'O"Brien', usd("0.99")),
    ]


def test_quotes_left_open_on_every_other_line_cost_no_more_than_the_lines():
    # A breaker's trial: each quote left open wrapped the lines in one more iterator (time and memory grew
    # with their number). Lines given back go through one queue: 20,000 such quotes read as 20,000 rejects.
    rows = "".join(f'2024-01-01,1,,,"open{n},\n\xff\n' for n in range(20_000)).encode("latin-1")
    data = b"date,badge_tier,amount,currency,viewer,count\n" + rows
    found = list(READER["instagram-badges-csv"].read(io.BytesIO(data), "b.csv"))
    assert [item.problem for item in found[:2]] == [badges_csv._OPEN_QUOTE, "not valid UTF-8"]
    assert len(found) == 40_000 and not events(found)


# --- Graph API comments: no money --------------------------------------------------------------


def test_a_comments_page_gives_a_comment_without_money_for_each_comment(pm):
    found = read("instagram-graph-comments", "comments_page.json")
    assert found == [Skipped("comments_page.json", 1, "comment", NO_MONEY)] * 2
    report = value_file(pm, "comments_page.json")
    assert report.counts_line() == (
        "records 2 = events 0 + without money 2 + rejected 0; events 0 = valued 0 + duplicates 0"
    )


def test_webhook_comments_are_without_money_other_fields_and_objects_not_read():
    found = read("instagram-graph-comments", "live_comments_webhook.jsonl")
    assert rejects(found) == [(5, "error")]  # an OAuth error
    assert found[4].problem == "the Graph API answered an error: Invalid OAuth access token - Cannot parse access token"
    assert skipped(found) == [
        (1, "comment", NO_MONEY),
        (2, "comment", NO_MONEY),  # "sent you a badge ❤️❤️❤️" is what a viewer typed, not a Badge
        (3, "comment", NO_MONEY),  # one change, outside its payload
        (4, "page webhook", NOT_READ),  # a Facebook Page's webhook
        # one payload, two changes: a mention (no field this reader knows) and a comment
        (6, "mentions", NOT_READ),
        (6, "comment", NO_MONEY),
    ]


def test_the_report_of_the_webhook_file_names_what_it_did_not_read(pm):
    report = value_file(pm, "live_comments_webhook.jsonl")
    assert report.counts_line() == (
        "records 7 = events 0 + without money 4 + not read 2 + rejected 1; events 0 = valued 0 + duplicates 0"
    )
    assert report.without_money == {"comment": 4}
    assert report.not_read == {"mentions": 1, "page webhook": 1}
    assert report.notes() == [
        "without money: comment (4)",
        "not read: mentions: 1 record, not read by this version",
        "not read: page webhook: 1 record, not read by this version",
        (
            f"rejected 1: {report.rejects[0].source}:5: error: the Graph API answered an error: Invalid OAuth access "
            "token - Cannot parse access token; --rejects FILE keeps each one verbatim"
        ),
    ]


def test_comments_accepts_and_a_live_decoder():
    reader = READER["instagram-graph-comments"]
    assert reader.accepts({"object": "instagram", "entry": []})
    assert reader.accepts({"id": "1", "text": "hi"})
    assert not reader.accepts({"id": "1", "message": "hi", "from": {}})
    decoder = reader.decoder("live")
    change = {"field": "live_comments", "value": {"id": "1", "text": "hi"}}
    assert list(decoder.feed(change, 1)) == [Skipped("live", 1, "comment", NO_MONEY)]
    comment, bad = decoder.feed({"data": [{"id": "1", "text": "ok"}, {"id": "2"}]}, 2)
    assert comment == Skipped("live", 2, "comment", NO_MONEY)
    assert (bad.source, bad.line, bad.field) == ("live", 2, "data[1]")
    assert list(decoder.flush(None)) == []


@pytest.mark.parametrize(
    ("record", "outcomes"),
    [
        ({"data": [], "paging": {}}, [("empty page", NO_MONEY)]),
        (
            {"object": "instagram", "entry": [{"id": "1", "time": 1, "messaging": [{"message": {"text": "hi"}}]}]},
            [("messaging", NOT_READ)],  # an Instagram Messaging webhook: direct messages
        ),
        ({"field": "story_insights", "value": {"media_id": "1", "reach": 5}}, [("story_insights", NOT_READ)]),
        ({"object": "instagram", "entry": []}, [("entry", "no entry in the webhook payload")]),
        (
            {"object": "instagram", "entry": [{"id": "1"}]},
            [("entry[0]", "no changes (nor messaging) in a webhook entry")],
        ),
        (
            {"field": "live_comments", "value": {"id": "1"}},
            [("(record).value", "not an Instagram comment (an object with id and text)")],
        ),
        (
            {"hello": "world"},
            [("(record)", "not an Instagram comment, comments page or live_comments webhook payload")],
        ),
    ],
)
def test_every_record_fed_to_the_decoder_comes_out(record, outcomes):
    found = list(READER["instagram-graph-comments"].decoder("live").feed(record, 7))
    assert all(item.line == 7 for item in found)
    described = [(i.kind, i.why) if isinstance(i, Skipped) else (i.field, i.problem) for i in found]
    assert described == outcomes


# Any JSON, built from the format's own field names among others: the decoder must never drop a record.
KEYS = st.sampled_from(["object", "entry", "changes", "messaging", "field", "value", "id", "text", "data", "error"])
records = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=12) | st.sampled_from(["instagram", "page"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS | st.text(max_size=6), children, max_size=5),
    max_leaves=20,
)


@given(st.lists(records, max_size=6))
def test_every_record_fed_comes_back_on_its_line(fed):
    decoder = READER["instagram-graph-comments"].decoder("live")
    for line, record in enumerate(fed, start=1):
        items = list(decoder.feed(record, line))
        assert items, f"record {line} gave no account of itself: {record!r}"
        assert {line_of(item) for item in items} == {line}
    assert list(decoder.flush(None)) == []
