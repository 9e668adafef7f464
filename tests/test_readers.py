"""The canonical JSON Lines reader, format detection, and read_events."""

import datetime as dt
import importlib.util
import io
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from livemoney import Donation, Gift, Money, Reader, Rejected, Sale, hookimpl
from livemoney.core.canonical import CANONICAL_READER, CanonicalDecoder, read_canonical
from livemoney.engine.readers import available_readers, detect, read_events
from livemoney.errors import ReaderError

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
UTC = dt.UTC


def read(text, platform=None):
    return list(read_canonical(io.BytesIO(text.encode()), "log.jsonl", platform))


def test_json_numbers_are_read_from_their_text_never_through_a_float():
    (big, small, whole) = read(
        '{"type": "sale", "platform": "p", "amount": 12345678901234567.89, "currency": "USD"}\n'
        '{"type": "sale", "platform": "p", "amount": 0.1000000000000000000001, "currency": "USD"}\n'
        '{"type": "sale", "platform": "p", "amount": 5, "currency": "USD"}\n'
    )
    assert big.amount == Money(Decimal("12345678901234567.89"), "USD")
    assert small.amount.amount == Decimal("0.1000000000000000000001")
    assert whole.amount.amount == Decimal(5)


def test_every_field_of_the_contract_and_unknown_fields_ignored():
    (gift, donation) = read(
        '{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 5, "viewer": "v1", '
        '"ts": "2026-11-01T20:00:05Z", "stream": "s1", "id": "g1", "recipient": "host", "colour": "red"}\n'
        "\n"
        '{"type": "donation", "platform": "youtube", "feature": "super_chat", "amount": "5.00", "currency": "USD", '
        '"ts": "2026-11-01T21:00:05+01:00", "viewer": 42}\r\n'
    )
    assert gift == Gift(
        platform="tiktok",
        gift="Rose",
        count=5,
        viewer="v1",
        ts=dt.datetime(2026, 11, 1, 20, 0, 5, tzinfo=UTC),
        stream="s1",
        id="g1",
        recipient="host",
    )
    assert gift.source == "log.jsonl:1"
    assert donation.ts == dt.datetime(2026, 11, 1, 20, 0, 5, tzinfo=UTC) and donation.viewer == "42"
    assert donation.amount == Money(Decimal("5.00"), "USD") and donation.source == "log.jsonl:3"


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        (
            '{"type": "gift", "platform": "p", "gift": "Rose"',
            "(line)",
            "not valid JSON: Expecting ',' delimiter at column 49",
        ),
        ("[1]", "(line)", "not a JSON object"),
        ('{"platform": "p"}', "type", "missing"),
        (
            '{"type": "tip", "platform": "p"}',
            "type",
            'unknown type "tip" (known: donation, gift, like, sale, sponsorship)',
        ),
        ('{"type": "gift", "gift": "Rose"}', "platform", "missing (and no default platform was given)"),
        ('{"type": "gift", "platform": "p"}', "gift", "missing"),
        (
            '{"type": "gift", "platform": "p", "gift": "Rose", "count": -3}',
            "count",
            "-3 is negative; a count is a whole number of at least 1",
        ),
        (
            '{"type": "gift", "platform": "p", "gift": "Rose", "count": 0}',
            "count",
            "0 is not a count; a count is a whole number of at least 1",
        ),
        ('{"type": "gift", "platform": "p", "gift": "Rose", "count": 1.5}', "count", "1.5 is not a whole number"),
        ('{"type": "like", "platform": "p", "count": true}', "count", "true is not a whole number"),
        (
            '{"type": "sale", "platform": "p", "amount": "1e999999", "currency": "USD"}',
            "amount",
            '"1e999999" is out of range (an amount is at most 1,000,000,000,000,000,000 an event)',
        ),
        (
            '{"type": "sale", "platform": "p", "amount": "five", "currency": "USD"}',
            "amount",
            '"five" is not a decimal number',
        ),
        ('{"type": "sale", "platform": "p", "amount": "-5", "currency": "USD"}', "amount", '"-5" is negative'),
        (
            '{"type": "sale", "platform": "p", "amount": "NaN", "currency": "USD"}',
            "amount",
            '"NaN" is not a finite number',
        ),
        (
            '{"type": "sale", "platform": "p", "amount": "5"}',
            "currency",
            "missing (an amount needs its currency: an ISO code such as USD, or a unit such as coins)",
        ),
        (
            '{"type": "sale", "platform": "p", "amount": "5", "currency": "usd$"}',
            "currency",
            '"usd$" is not an ISO-4217 currency code nor a platform unit',
        ),
        ('{"type": "sale", "platform": "p", "currency": "USD"}', "amount", "missing"),
        (
            '{"type": "sale", "platform": "p", "amount": "5", "currency": "USD", "role": "thief"}',
            "role",
            '"thief" is not one of seller, affiliate',
        ),
        (
            '{"type": "like", "platform": "p", "ts": "2026-11-01T20:00:05"}',
            "ts",
            "'2026-11-01T20:00:05' has no time zone",
        ),
        ('{"type": "like", "platform": "p", "ts": "yesterday"}', "ts", "'yesterday' is not a timestamp"),
        ('{"type": "like", "platform": "p", "viewer": ["a"]}', "viewer", '["a"] is not a string'),
    ],
)
def test_each_problem_names_file_line_and_field(line, field, problem):
    (rejected,) = read(f"\n{line}\n")
    assert isinstance(rejected, Rejected)
    assert str(rejected) == f"log.jsonl:2: {field}: {problem}"
    assert rejected.raw == line


def test_a_line_that_is_not_utf8_is_rejected_and_shown():
    (rejected,) = list(read_canonical(io.BytesIO(b'{"type": "like", "platform": "\xff"}\n'), "log.jsonl"))
    assert (
        str(rejected) == "log.jsonl:1: (line): not valid UTF-8"
        and rejected.raw == '{"type": "like", "platform": "\\xff"}'
    )


def test_a_byte_order_mark_and_a_default_platform():
    (sale,) = read('\ufeff{"type": "sale", "amount": "5", "currency": "EUR"}', platform="shop")
    assert sale == Sale(platform="shop", amount=Money(Decimal(5), "EUR"))


def test_reading_streams_a_long_file_one_line_at_a_time(tmp_path):
    import tracemalloc

    line = b'{"type": "like", "platform": "p", "count": 3, "viewer": "someone", "ts": "2026-11-01T20:00:05Z"}\n'
    path = tmp_path / "long.jsonl"
    path.write_bytes(line * 200_000)  # 19 MB
    tracemalloc.start()
    with open(path, "rb") as stream:
        count = sum(1 for _ in read_canonical(stream, str(path)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 200_000 and peak < 4_000_000


def test_read_events_checks_platforms_against_the_plugins():
    pm = testcast.manager()
    items = list(read_events(DATA / "bad-lines.jsonl", pm=pm))
    unknown = [item for item in items if isinstance(item, Rejected) and item.field == "platform"]
    assert [str(item) for item in unknown] == [
        f"{DATA / 'bad-lines.jsonl'}:9: platform: unknown platform 'myspace' (known: starcast, testcast)"
    ]
    assert isinstance(items[0], Donation) and items[0].amount == Money(Decimal(500), "stars")


def test_the_host_registers_the_canonical_reader_first():
    readers = available_readers(testcast.manager())
    assert readers[0] is CANONICAL_READER and readers[0].name == "jsonl"


class Lines:
    """A plugin reader of 'testcast-csv' files: 'gift,COUNT' lines."""

    @staticmethod
    def _read(stream, source):
        for number, line in enumerate(stream.read().decode().splitlines(), start=1):
            if number > 1:
                yield Gift(platform="testcast", gift="Rose", count=int(line.split(",")[1]), source=f"{source}:{number}")

    @hookimpl
    def livemoney_readers(self):
        return [
            Reader(
                name="testcast-csv",
                platform="testcast",
                description="test CSV",
                sniff=lambda head: head.startswith(b"gift,count"),
                read=self._read,
            )
        ]


def test_hook_livemoney_readers(tmp_path):
    pm = testcast.manager(Lines())
    # the canonical reader first, then the plugins' by name
    assert [reader.name for reader in available_readers(pm)][:1] == ["jsonl"]
    assert "testcast-csv" in [reader.name for reader in available_readers(pm)]
    csv = tmp_path / "gifts.csv"
    csv.write_text("gift,count\nRose,3\nRose,2\n")
    # a gift is 1 coin of 0.01 USD at testcast, which takes 20%: 5 Roses earn the creator 0.04 USD
    report = lm.value(csv, pm=pm, progress=False)
    assert (report.valued, report.gross, report.net) == (2, Money("0.05", "USD"), Money("0.04", "USD"))
    assert [gift.source for gift in read_events(csv, pm=pm)] == [f"{csv}:2", f"{csv}:3"]


def test_detection_by_first_bytes_by_name_and_failure(tmp_path):
    pm = testcast.manager(Lines())
    csv = tmp_path / "gifts.csv"
    csv.write_text("gift,count\nRose,3\n")
    assert detect(csv, pm).name == "testcast-csv"
    assert [gift.count for gift in read_events(csv, pm=pm)] == [3]
    assert detect(DATA / "every-kind.jsonl", pm) is CANONICAL_READER
    assert detect(csv, pm, "jsonl") is CANONICAL_READER
    with pytest.raises(ReaderError, match=r"unknown input format 'xml' \(known: jsonl, .*testcast-csv, or auto\)"):
        detect(csv, pm, "xml")
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ReaderError, match="photo.png: no reader recognises this file"):
        read_events(binary, pm=pm)
    # a compressed log and a Parquet file are named for what they are, with what to do (a new user's trial)
    import gzip

    packed = tmp_path / "log.jsonl.gz"
    packed.write_bytes(gzip.compress((DATA / "every-kind.jsonl").read_bytes()))
    with pytest.raises(ReaderError, match=r"log.jsonl.gz: a gzip-compressed file: decompress it first"):
        read_events(packed, pm=pm)
    columns = tmp_path / "events.parquet"
    columns.write_bytes(b"PAR1" + bytes(16))
    with pytest.raises(ReaderError, match=r"events.parquet: a Parquet file: `livemoney value` reads Parquet files"):
        read_events(columns, pm=pm)


def test_the_canonical_decoder_takes_one_record_at_a_time():
    decoder = CanonicalDecoder("live")
    (gift,) = decoder.feed(
        {"type": "gift", "platform": "testcast", "gift": "Rose", "amount": Decimal("2.5"), "currency": "coins"}, 7
    )
    assert gift.amount == Money(Decimal("2.5"), "coins") and gift.source == "live:7"
    (rejected,) = decoder.feed({"type": "sale", "platform": "testcast", "amount": 2.5, "currency": "USD"}, 8)
    assert str(rejected) == "live:8: amount: a float is not exact money; give amounts as strings"
    assert decoder.flush() == []


def test_a_log_that_names_no_platform_asks_the_plugins_readers_first(tmp_path):
    # TikTokLive's web-ui example logs {"type": "gift", ...} without a platform: it looks canonical.
    pm = testcast.manager()
    webui = tmp_path / "webui.jsonl"
    webui.write_text('{"type": "gift", "ts": 1700000000.5, "user": "Zoe", "gift": "Rose", "count": 3}\n')
    claims_it = Reader(
        name="webui",
        platform="testcast",
        description="web-ui",
        read=lambda s, n: iter(()),
        sniff=lambda head: b'"user"' in head,
    )

    class WebUi:
        @hookimpl
        def livemoney_readers(self):
            return [claims_it]

    pm.register(WebUi())
    assert detect(webui, pm) is claims_it
    bare = tmp_path / "bare.jsonl"
    bare.write_text('{"type": "gift", "gift": "Rose", "count": 3}\n')
    assert detect(bare, pm) is CANONICAL_READER
