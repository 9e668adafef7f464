"""One small test per kind of failure the fuzz suite found (issue 11; the catalogue names each), asserting what
the issue asks. Each is ``xfail(strict=True)`` while the failure is there: the day a fix lands, its test passes,
strict xfail turns that into a failure, and the marker must come off — so the suite is green today, and no fix
goes unnoticed. None is left today: every kind the fuzz runs found is fixed, and its test asserts it.

Inputs are the smallest the fuzzer found (or the issue's own), written by hand; ``GOOD`` is a valid line after
each, so that a file is never only the bad line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import harness
import livemoney as lm
import probes
import pytest
from livemoney.core.records import line_of
from livemoney.errors import ReaderError

DATA = Path(__file__).resolve().parents[2] / "plugins"
GOOD = '{"type": "like", "platform": "tiktok", "count": 1}'
GIFT = '{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 3, "viewer": "v1"}'


def issue(kind: str) -> pytest.MarkDecorator:
    """The marker of a failure that is there today (strict: the fix must take it off)."""
    return pytest.mark.xfail(strict=True, reason=f"issue 11: {kind}")


def write(folder: Path, *lines: str | bytes, name: str = "log.jsonl") -> Path:
    path = folder / name
    path.write_bytes(b"".join((line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines))
    return path


def value(path: Path, **options) -> lm.Report:
    """``lm.value`` in skip mode with a rejects file beside the log; checks the counts and the rejects file."""
    rejects = path.with_name("rejects.jsonl")
    report = lm.value(path, on_error="skip", rejects=rejects, progress=False, **options)
    harness.check_counts(report, "value")
    kept = [json.loads(line) for line in rejects.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert len(kept) == report.rejected
    lines = harness.numbered_lines(path.read_bytes())
    for record in kept:
        assert record["raw"] == harness.verbatim(lines[record["line"]])
    return report


def every_path(path: Path, **options) -> list[lm.Report]:
    """The report of the fast path and of the full path (with a ledger), after the same checks."""
    ledger = path.with_name("ledger.sqlite")
    if ledger.exists():
        ledger.unlink()
    return [value(path, **options), value(path, ledger=ledger, **options)]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1000, 5000])
def test_a_deeply_nested_line_is_rejected(tmp_path, depth):
    path = write(tmp_path, GOOD, f'{{"type": "like", "platform": "tiktok", "count": 1, "x": {nested(depth)}}}', GOOD)
    for report in every_path(path):
        assert (report.valued, report.rejected) == (2, 1)
    assert len(list(lm.read_events(path))) == 3


def test_a_deeply_nested_first_record_does_not_break_detection(tmp_path):
    path = write(tmp_path, f'{{"data": {nested(3000)}}}', GOOD)
    for report in every_path(path):
        assert report.records == 2


def test_live_tally_rejects_a_deeply_nested_record():
    deep: list = []
    for _ in range(3000):
        deep = [deep]
    tally = lm.LiveTally()
    tally.add({"type": "like", "platform": "tiktok", "count": 1, "x": deep})
    tally.add(deep)
    tally.flush()
    assert tally.report().rejected == 2


@pytest.mark.parametrize(
    "reader, record",
    [
        ("facebook-chat-downloader", {"message_id": "1", "attachments": [{"__typename": "VideoTipJarPayment"}]}),
        ("instagram-graph-comments", {"data": None}),
        ("youtube-data-api", {"kind": "youtube#liveChatMessageListResponse", "items": None}),
        ("tiktoklive", {"type": "gift", "ts": None, "user": "Carla", "gift": "Lion", "count": 1}),
        (
            "chat-downloader",
            {"action_type": "add_chat_item", "message_type": "paid_message", "message_id": "x", "money": None},
        ),
    ],
)
def test_plugin_decoders_take_a_deeply_nested_record(reader, record):
    """No crash since plugin isolation (item 4): a decoder that raises (here RecursionError) gives the record
    back as rejected, naming the plugin (a plugin fault, exit 3 on the command line). Item 1's bounded depth
    is still to come: then it is an input problem, rejected before any decoder sees it."""
    deep: dict = {"a": 1}
    for _ in range(3000):
        deep = {"a": deep}
    if reader == "facebook-chat-downloader":
        record["attachments"][0]["spark_quantity"] = deep
    else:
        record[next(key for key, value in record.items() if value is None)] = deep
    tally = lm.LiveTally(format=reader)
    tally.add(record)
    tally.flush()
    harness.check_counts(tally.report(), "tally")


# --- time limits -----------------------------------------------------------------------------


@pytest.mark.parametrize("ts", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_time_out_of_range_is_rejected(tmp_path, ts):
    path = write(tmp_path, GOOD, f'{{"type": "like", "platform": "tiktok", "count": 1, "ts": "{ts}"}}', GOOD)
    for report in every_path(path):
        assert (report.valued, report.rejected) == (2, 1)


@pytest.mark.parametrize("ts", ["-62135596800", '"0999-06-01T00:00:00Z"'])
def test_a_time_before_year_1000_is_rejected(tmp_path, ts):
    path = write(tmp_path, GOOD, f'{{"type": "like", "platform": "tiktok", "count": 1, "ts": {ts}}}', GOOD)
    for report in every_path(path):
        assert (report.valued, report.rejected) == (2, 1)


def test_a_console_log_prefix_out_of_range_is_no_crash(tmp_path):
    line = '0001-01-01T00:00:00+01:00 {"giftId": 5655, "repeatCount": 1, "uniqueId": "a", "msgId": "1"}'
    path = write(tmp_path, line, name="connector.jsonl")
    report = value(path, input_format="tiktok-live-connector")
    assert report.records == 1


# --- Unicode ---------------------------------------------------------------------------------


def test_a_lone_surrogate_is_rejected_on_every_path(tmp_path):
    path = write(tmp_path, GOOD, '{"type": "like", "platform": "tiktok", "count": 1, "viewer": "\\udc80x"}', GOOD)
    for report in every_path(path):
        assert (report.valued, report.rejected) == (2, 1)


def test_the_rejects_file_takes_a_lone_surrogate(tmp_path):
    path = write(tmp_path, '{"type": "gift\\udc80", "platform": "tiktok", "gift": "Rose"}', GOOD)
    report = value(path)
    assert report.rejected == 1


def test_a_report_with_a_lone_surrogate_renders_as_utf8(tmp_path):
    path = write(tmp_path, '{"type": "like", "platform": "tiktok", "count": 1, "viewer": "\\udc80x"}', GOOD)
    harness.check_views(lm.value(path, on_error="skip", progress=False))


# --- big numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ['"1e26"', "1e26", '"9999999999999999999999999999.99"'])
def test_an_amount_beyond_the_maximum_is_rejected(tmp_path, amount):
    line = f'{{"type": "sponsorship", "platform": "youtube", "amount": {amount}, "currency": "USD"}}'
    for report in every_path(write(tmp_path, GOOD, line, GOOD)):
        assert (report.valued, report.rejected) == (2, 1)


@pytest.mark.parametrize("count", [10**40, 10**400])
def test_a_huge_count_is_rejected_not_a_plugin_error(tmp_path, count):
    line = f'{{"type": "donation", "platform": "youtube", "feature": "super_chat", "count": {count}, "amount": "9.00", '
    line += '"currency": "USD"}'
    for report in every_path(write(tmp_path, line, GOOD)):
        assert (report.valued, report.rejected) == (1, 1)


def test_per_viewer_and_per_minute_totals_keep_every_digit(tmp_path):
    line = (
        '{"type": "sponsorship", "platform": "youtube", "amount": "1234567890123456788.0050000001", "currency": "USD",'
        ' "viewer": "v", "ts": "2026-01-01T00:00:00Z"}'
    )
    report = value(write(tmp_path, line))
    if report.valued:  # valued (an amount within the maximum), its figures agree; else it is rejected, all agree
        assert report.viewers["v"][0] == report.exact.gross.amount == next(iter(report.bins.values()))[0]
        assert report.top_viewers(1)[0][1] == report.gross == report.timeline()[0][1]


def test_a_count_beyond_64_bits_is_read_alike_on_every_path(tmp_path):
    path = write(tmp_path, '{"type": "like", "platform": "tiktok", "count": 100000000000000000000}', GOOD)
    fast, full = every_path(path)
    assert (fast.valued, fast.rejected) == (full.valued, full.rejected)
    assert [type(item).__name__ for item in lm.read_events(path)] == ["Rejected" if fast.rejected else "Like", "Like"]


def test_an_id_beyond_64_bits_is_read_alike_on_every_path(tmp_path):
    path = write(tmp_path, '{"type": "like", "platform": "tiktok", "count": 1, "id": -9223372036854775809}', GOOD)
    fast, full = every_path(path)
    assert (fast.valued, fast.rejected) == (full.valued, full.rejected)


def test_a_like_count_of_1e300_is_no_crash(tmp_path):
    # One record (one line) whose likes add up to 10^300 + 4, beyond the maximum count of an event (10^12):
    # rejected, on every path. (The test asked for 2 records at first: the line is one record.)
    line = '{"reaction_stream": [{"key": "LIKE", "value": 1e300}, {"key": "CARE", "value": 4}]}'
    for report in every_path(write(tmp_path, line), input_format="facebook-live-reactions"):
        assert (report.records, report.rejected) == (1, 1)


def test_reactions_adding_up_beyond_the_maximum_count_are_rejected_not_a_plugin_error(tmp_path):
    """The long fuzz run (make fuzz): in a Server-Sent Events capture, reactions adding up beyond the maximum
    count were rejected, and the decoder's FieldError was also taken for the Facebook plugin's fault (exit 3):
    the reader guard lets a decoder's FieldError through to the host, which rejects the record."""
    line = (
        'data: {"reaction_stream": [{"key": "LIKE", "value": 40}, {"key": "LOVE", "value": 200000000000000000}, '
        '{"key": "WOW", "value": 5}]}'
    )
    path = write(tmp_path, line, name="reactions.sse")
    for report in every_path(path, input_format="facebook-live-reactions"):
        assert (report.records, report.rejected) == (1, 1)
    pm = harness.pm()
    mark = pm.fault_mark()
    from click.testing import CliRunner
    from livemoney.cli import main

    result = CliRunner().invoke(main, ["value", str(path), "--on-error", "skip", "--format", "json"], obj=pm)
    assert result.exit_code == 0, result.output
    assert pm.faults_since(mark) == []
    tally = lm.LiveTally(format="facebook-live-reactions", pm=pm)
    tally.add(json.loads(line.removeprefix("data: ")))
    tally.flush()
    assert tally.report().rejected == 1 and pm.faults_since(mark) == []


def test_a_gift_of_too_many_diamonds_is_rejected(tmp_path):
    line = (
        '{"giftId": 5655, "repeatCount": 1, "repeatEnd": true, "groupId": "1", "userId": "2", "uniqueId": "maxi",'
        ' "msgId": "3", "createTime": "1661887138500", "giftType": 1, "giftName": "Rose",'
        ' "diamondCount": 9999999999999999999999999999999999999999}'
    )
    for report in every_path(write(tmp_path, line), input_format="tiktok-live-connector"):
        assert report.rejected == 1


# --- first line ------------------------------------------------------------------------------


@pytest.mark.parametrize("first", [b"null", b"[]", b'"text"', b"\x0c", b"\xff"])
def test_a_bad_first_record_is_rejected_and_the_rest_valued(tmp_path, first):
    path = write(tmp_path, first, GOOD)
    report = value(path)
    assert (report.valued, report.rejected) == (1, 1)


def test_a_bom_alone_is_a_blank_line(tmp_path):
    path = write(tmp_path, "\ufeff", GOOD)
    assert value(path).records == 1


@pytest.mark.parametrize("first", [b"null", b"\xa0", b'{"type": 1e26, "platform": "tiktok", "count": 1}'])
def test_a_rejected_first_line_after_a_bom_is_kept_without_it_on_every_path(tmp_path, first):
    """The long fuzz run (make fuzz): the BOM is the file's mark, not part of its first record (every path
    kept the line without it; the harness compared it with the BOM)."""
    path = write(tmp_path, b"\xef\xbb\xbf" + first, GOOD)
    for report in every_path(path):
        assert (report.valued, report.rejected) == (1, 1)
    rejected = [item for item in lm.read_events(path) if isinstance(item, lm.Rejected)]
    assert [(item.line, item.raw) for item in rejected] == [(1, harness.verbatim(first))]


@pytest.mark.parametrize(
    "lead",
    [
        # A line that is no record, then an object the canonical reader rejects, before the first event.
        [b"\x85", b'{"type": "gift", "type": -62135596800, "platform": "tiktok", "gift": "Rose", "count": 1}'],
        [
            b'\x00{"type": "like", "platform": "tiktok", "count": 1}',
            b'{"type": "like", "platform": "tiktok", "ts": [1]}',
        ],
        # The first event beyond the head detection reads (64 KiB): a line longer than that before it.
        [b'\x00{"type": "like"}', b'{"type": "like", "platform": "tiktok", "ts": [1], "x": "' + b"x" * 70_000 + b'"}'],
        [b"[]", b"\x0c", b'{"type": "like", "platform": "tiktok", "count": "' + b"9" * 70_000 + b'"}'],
        # A console-log prefix, a line separator, a one-line array that is no object: all rejected, then events.
        [
            b'2026-01-01T00:00:00 {"type": "like", "platform": "tiktok", "ts": [1]}',
            "\u2028".encode(),
            b"[null]",
            b'{"type": "like", "platform": "tiktok", "viewer": [' + b"0, " * 30_000 + b"1]}",
        ],
    ],
)
def test_bad_leading_lines_do_not_hide_a_canonical_log(tmp_path, lead):
    """The long fuzz run (make fuzz): detection gave up at the first object the canonical reader rejects, and
    after a first line starting with a NUL or a byte that is not UTF-8 found no JSON Lines."""
    path = write(tmp_path, *lead, GOOD)
    for report in every_path(path):
        assert (report.records, report.valued) == (len(lead) + 1, 1)


def test_a_pretty_printed_document_no_reader_knows_is_still_not_recognised(tmp_path):
    with pytest.raises(ReaderError, match="no reader recognises"):
        lm.value(write(tmp_path, "[", '  {"a": 1}', "]", name="doc.json"), on_error="skip", progress=False)


# --- plugin readers --------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["tiktoklive", "tiktok-live-connector"])
def test_a_streak_frame_counting_beyond_the_maximum_is_rejected_at_its_line(tmp_path, reader):
    """The long fuzz run (make fuzz): a gift frame of a streak (a group id, no end) whose repeatCount is beyond
    the maximum count; its event was built at the end of the file, which raised and ended the file as the
    plugin's fault (a rejected record of line 0). Now the frame is rejected at its own line, and the rest read."""
    if reader == "tiktoklive":
        frame = (
            '{"baseMessage": {"method": "WebcastGiftMessage", "messageId": "3", "roomId": "9", "createTime": '
            '"1761400001400"}, "repeatCount": "1761400001000", "groupId": 2, "fromUser": {"id": "32", "username": '
            '"pia"}, "mGift": {"id": "5655"}, "giftMonitorInfo": {"anchorId": "1", "toUserId": "1"}}'
        )
    else:
        frame = (
            '{"giftId": 5655, "repeatCount": 1761400001000, "repeatEnd": false, "groupId": "1", "userId": "2", '
            '"uniqueId": "maxi", "msgId": "3", "createTime": "1661887138500", "giftType": 1, "giftName": "Rose", '
            '"diamondCount": 1}'
        )
    path = write(tmp_path, frame, name="tiktok.jsonl")
    for report in every_path(path, input_format=reader):
        assert (report.records, report.rejected) == (1, 1)
    (rejected,) = lm.read_events(path, format=reader)
    assert (rejected.line, rejected.field) == (1, "repeatCount")
    tally = lm.LiveTally(format=reader)
    tally.add(json.loads(frame))
    tally.flush()
    assert tally.report().rejected == 1


def test_tiktok_reader_takes_a_huge_number(tmp_path):
    line = (
        '{"common": {"method": "WebcastGiftMessage", "msgId": "1", "roomId": 1e400, "createTime": "1731088804800"},'
        ' "giftId": "5655", "repeatCount": 1, "repeatEnd": 1, "user": {"id": "2"},'
        ' "gift": {"id": "5655", "name": "Rose", "diamondCount": 1}}'
    )
    report = value(write(tmp_path, line, name="tiktok.jsonl"), input_format="tiktoklive")
    assert report.records == 1


@pytest.mark.parametrize(
    "reader, line",
    [
        (
            "facebook-chat-downloader",
            '{"message_id": "1", "message": "", "timestamp": 1716058920000000, "attachments": [{"__typename": "   "}]}',
        ),
        (
            "youtube-data-api",
            (
                '{"kind": "youtube#liveChatMessageListResponse", "items": [{"kind": "youtube#liveChatMessage", '
                '"id": "a", "snippet": {"type": "   ", "publishedAt": "2026-04-19T18:00:02.000Z"}}]}'
            ),
        ),
    ],
)
def test_readers_take_a_blank_record_kind(tmp_path, reader, line):
    report = value(write(tmp_path, line, name="log.jsonl"), input_format=reader)
    assert report.records == 1


def test_badge_reader_takes_a_huge_cell(tmp_path):
    path = write(tmp_path, "date,badge_tier," + "x" * 200_000, "2024-03-02,1,", name="badges.csv")
    report = value(path, input_format="instagram-badges-csv")
    assert report.records >= 1


def test_live_tally_takes_an_unhashable_type():
    tally = lm.LiveTally()
    tally.add({"type": ["gift"], "platform": "tiktok"})
    tally.add({"type": {"a": 1}})
    tally.flush()
    assert tally.report().records == 2


def test_plugin_readers_keep_invalid_bytes_verbatim(tmp_path):
    path = write(tmp_path, "date,badge_tier,viewer", b"2024-03-02,7,\xff\xfe", name="badges.csv")
    report = value(path, input_format="instagram-badges-csv")
    assert report.rejected == 1


def test_plugin_readers_number_lines_as_the_file_does(tmp_path):
    """Fixed in c714388 while the fuzz suite was written (plugin readers split lines with str.splitlines: a
    U+2028 inside a string shifted every line after it and cut the raw of a rejected record)."""
    line = (
        '{"type": "newSponsor", "id": "a", "message": "x\u2028y", "author": {"name": "A"}, "timestamp": 1771237000000}'
    )
    path = write(tmp_path, line, '{"type": 5}', name="pytchat.jsonl")
    items = list(lm.read_events(path, format="pytchat"))
    assert {line_of(item) for item in items} <= {1, 2}
    value(path, input_format="pytchat")


# --- rejects on the full path ------------------------------------------------------------------


def test_the_full_path_keeps_a_rejected_line_verbatim(tmp_path):
    # A platform whose plugin values no gifts: the gift is read, then rejected when valued (engine._reject_event).
    pm = probes._manager(probes._plugin(livemoney_value_gift=None))
    path = write(tmp_path, '{"type":"gift","platform":"zz","gift":"Zed"}', GOOD)
    fast, full = every_path(path, pm=pm)
    assert fast.rejected == full.rejected == 1


def test_a_sponsorship_naming_a_recipient_is_the_creators_on_every_path(tmp_path):
    """Fixed (the fast path books only gifts to guests, as the full path does)."""
    line = '{"type": "sponsorship", "platform": "youtube", "amount": "100.00", "currency": "USD", "recipient": "a", "host": "b"}'
    fast, full = every_path(write(tmp_path, line))
    assert fast.gross == full.gross == lm.Money("100.00", "USD")


def test_a_held_back_rejected_record_is_kept_verbatim(tmp_path):
    lines = (
        (DATA / "youtube" / "tests" / "data" / "data_api_jewel_combos.jsonl").read_text(encoding="utf-8").splitlines()
    )
    first = lines[0].replace('"jewelsAmount": 5', '"jewelsAmount": "five"')
    path = write(tmp_path, first, lines[1])
    rejected = [item for item in lm.read_events(path, format="youtube-data-api") if isinstance(item, lm.Rejected)]
    assert [(item.line, item.raw) for item in rejected] == [(1, first)]


def test_a_held_back_rejected_item_of_a_line_whose_other_items_came_out_is_kept_verbatim(tmp_path):
    """The long fuzz run (make fuzz): a response line with a chat message (given back at once) and a Jewels
    combo (held back, rejected later) kept the combo item's JSON, not the line: the line's text was forgotten
    once its first item came out (the host keeps the last lines' texts now, `Accounting.hold`)."""
    lines = (
        (DATA / "youtube" / "tests" / "data" / "data_api_jewel_combos.jsonl").read_text(encoding="utf-8").splitlines()
    )
    response = json.loads(lines[0])
    response["items"][0]["snippet"]["giftDetails"]["jewelsAmount"] = "five"
    chat = {
        "kind": "youtube#liveChatMessage",
        "id": "LCC.text-1",
        "snippet": {
            "type": "textMessageEvent",
            "publishedAt": "2026-04-19T18:00:00.500Z",
            "textMessageDetails": {"messageText": "hi"},
        },
        "authorDetails": {"channelId": "UCx", "displayName": "X"},
    }
    response["items"].insert(0, chat)
    first = json.dumps(response)
    path = write(tmp_path, first, lines[1])
    rejected = [item for item in lm.read_events(path, format="youtube-data-api") if isinstance(item, lm.Rejected)]
    assert [(item.line, item.raw) for item in rejected] == [(1, first)]
    for report in every_path(path, input_format="youtube-data-api"):
        assert report.rejected == 1


# --- the probes: plugins, ledgers, odd inputs, terminal output -----------------------------------

PROBES = probes.all_probes()
# input: a pipe is refused with a clear message (no records read from it) since issue 13 made an empty log an error.
# The ledger is checked before SQLite opens it (another application's file, corrupt pages, an older schema are
# refused and left unchanged).
# A pipe is read once (engine.readers.open_input); a FIFO without a writer is refused after LIVEMONEY_FIFO_WAIT
# seconds.
HOLDING_TODAY = (
    {"ledger: a truncated ledger", "ledger: a text file", "input: a pipe", "input: a FIFO without a writer"}
    # convert (and every message of the command line) shows control and bidirectional characters as \u escapes.
    | {"output: convert echoes U+202E"}
    | {name for name in PROBES if name.startswith("ledger: ")}
    | {
        # Fixed (item 4, plugin isolation): each broken plugin is named, the others go on, exit 3; --check catches it.
        name
        for name in PROBES
        if name.startswith("plugin: ")
    }
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=() if name in HOLDING_TODAY else issue(name), id=name)
        for name in PROBES
        if name != "input: /dev/zero"
    ],
)
def test_probe(name):
    outcome = PROBES[name]()
    assert outcome.ok, f"{outcome.today} (wanted: {outcome.wanted})"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_line_is_bounded():
    outcome = probes.probe_dev_zero(memory_mb=512, timeout=10)
    assert outcome.ok, outcome.today


def test_a_reader_error_is_still_a_usage_error_for_a_file_no_reader_knows(tmp_path):
    """What issue 11 keeps: a file that is no log at all is a usage error (``ReaderError``), not a crash."""
    with pytest.raises(ReaderError, match="no reader recognises"):
        lm.value(write(tmp_path, "hello, world", "this is no log"), on_error="skip", progress=False)
