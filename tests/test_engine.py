"""The valuation engine: exact totals per platform and kind, currencies, duplicates, bad lines, settings."""

import datetime as dt
import importlib.util
import json
import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import livemoney as lm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livemoney import Money, hookimpl
from livemoney.engine.ledger import report_of
from livemoney.engine.readers import read_events
from livemoney.engine.seen import SeenIds
from livemoney.engine.valuer import Valuer, value
from livemoney.errors import InvalidInput, PluginError, ReaderError, SettingError

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)

CENT = Decimal("0.01")
USD_PER_EUR = Decimal("1.1298")  # ECB reference rate of 2026-10-01
JPY_PER_EUR = Decimal("178.49")  # ECB reference rate of 2026-10-01


EXACT = Decimal("1E-10")


def eur(amount, per_eur=USD_PER_EUR):
    """An amount converted to EUR with the rate of 2026-10-01, exact to 10 places (as valuations keep it)."""
    return (Decimal(amount) / per_eur).quantize(EXACT, ROUND_HALF_EVEN)


def cents(amount):
    """An exact amount as shown: rounded once, half-even, to the cent."""
    return Decimal(amount).quantize(CENT, ROUND_HALF_EVEN)


def money(amount):
    return Money(Decimal(amount), "EUR")


def write(tmp_path, *lines, name="log.jsonl"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def pm():
    return testcast.manager()


def test_every_kind_on_two_platforms_valued_in_euro(pm):
    report = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm)

    gift = report.row("testcast", "gift")  # 5 Roses of 10 coins = 50 coins = 0.50 USD; testcast takes 20%
    assert (gift.events, gift.exact.gross, gift.exact.shares, gift.exact.net) == (
        1,
        money(eur("0.50")),
        {"Testcast": money(eur("0.10"))},
        money(eur("0.50") - eur("0.10")),
    )
    assert gift.gross == money("0.44") and gift.net == money("0.35")  # 0.4425562046, 0.3540449637 shown

    tips = report.row("testcast", "donation")  # 5.00 USD and 800 JPY, 20% each to testcast
    gross = eur("5.00") + eur("800", JPY_PER_EUR)  # 4.4255620464 + 4.4820438120
    cut = eur("1.00") + eur("160", JPY_PER_EUR)  # 0.8851124093 + 0.8964087624
    assert (tips.events, tips.exact.gross, tips.exact.shares["Testcast"], tips.exact.net) == (
        2,
        money(gross),
        money(cut),
        money(gross - cut),
    )
    # Shown: each figure of the row rounded once: 8.91 and 7.13 (rounding each event first gave 7.12).
    assert (tips.gross, tips.shares["Testcast"], tips.net) == (money("8.91"), money("1.78"), money("7.13"))

    stars = report.row("starcast", "donation")  # 500 Stars: the viewer paid 500 * 1.40 / 100 = 7.00 USD,
    assert stars.exact.gross == money(eur("7.00"))  # the creator earns 500 * 0.01 = 5.00 USD, Starcast the rest
    assert stars.exact.net == money(eur("5.00"))
    assert stars.exact.shares == {"Starcast": money(eur("7.00") - eur("5.00"))}
    assert (stars.gross, stars.shares["Starcast"], stars.net) == (money("6.20"), money("1.77"), money("4.43"))

    sale = report.row("testcast", "sale")
    assert (sale.exact.gross, sale.exact.shares["Testcast"], sale.exact.net) == (
        money(eur("25.00")),
        money(eur("5.00")),
        money(eur("25.00") - eur("5.00")),
    )

    sponsorship = report.row("starcast", "sponsorship")  # the host's default: all to the creator
    assert sponsorship.exact.gross == sponsorship.exact.net == money(eur("250.00"))
    assert sponsorship.gross == sponsorship.net == money("221.28")
    assert sponsorship.shares == {}

    for kind in ("like",):
        assert report.row("testcast", kind).events == 1 and report.row("testcast", kind).gross == money("0")
        assert report.row("starcast", kind).units == {"likes": Decimal(3)}

    # The exact sums: gross 258.9518614788 -> 258.95 (rounding each event first gave 258.96). The rows give
    # the rest to different parties (Starcast, the creator), so over all of them the creator's net is rounded
    # once on its own, 250.8860422013 -> 250.89, then Starcast 1.77 (running total 252.66), and the last
    # share takes the rest: Testcast 258.95 - 252.66 = 6.29.
    exact_gross = eur("0.50") + eur("7.00") + gross + eur("25.00") + eur("250.00")
    exact_net = (eur("0.50") - eur("0.10")) + eur("5.00") + (gross - cut) + (eur("25.00") - eur("5.00")) + eur("250.00")
    assert (report.exact.gross, report.exact.net) == (money(exact_gross), money(exact_net))
    assert report.gross == money(cents(exact_gross)) == money("258.95")
    assert report.shares == {"Starcast": money("1.77"), "Testcast": money("6.29")}
    assert report.net == money(cents(exact_net)) == money("250.89")
    assert report.originals == {
        "JPY": Decimal(800),
        "USD": Decimal("280.00"),
        "coins": Decimal(50),
        "stars": Decimal(500),
    }
    assert (report.records, report.valued, report.rejected, report.duplicates) == (9, 8, 0, 1)  # 10 lines, 1 blank
    assert report.counts_line() == (
        "records 9 = events 9 + without money 0 + rejected 0; events 9 = valued 8 + duplicates 1"
    )


def test_the_rate_and_its_date_are_in_the_explanation(pm):
    report = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm)
    assert "exchange: 1 USD = 0.8851124092759780492122499557 EUR, ECB reference rate of 2026-10-01" in (
        report.row("starcast", "sponsorship").explain
    )


def test_each_distinct_event_is_valued_once_per_date(tmp_path, pm):
    calls = []

    class Counting:
        @hookimpl(wrapper=True)
        def livemoney_value_event(self, platform, event, context):
            calls.append(event)
            return (yield)

    pm.register(Counting())
    lines = [
        json.dumps(
            {
                "type": "sponsorship",
                "platform": "starcast",
                "amount": "100",
                "currency": "USD",
                "viewer": f"v{n}",
                "id": f"s{n}",
                "ts": f"2026-10-0{1 + n % 2}T2{n % 4}:00:00Z",
            }
        )
        for n in range(400)
    ]
    report = value(write(tmp_path, *lines), currency="EUR", pm=pm)
    assert len(calls) == 2  # one valuation a date: the exchange rate is the date's
    # 200 x 100 USD at 1.1298 USD/EUR (2026-10-01) and 200 x 100 USD at 1.1225 USD/EUR (2026-10-02):
    # 200 x 88.5112409276 + 200 x 89.0868596882 = 35519.62012316 -> 35519.62 (rounding each event first
    # gave 200 x 88.51 + 200 x 89.09 = 35520.00).
    assert report.exact.gross == money(200 * eur("100") + 200 * eur("100", Decimal("1.1225")))
    assert report.gross == money("35519.62")


def test_a_wrapper_plugin_applies_to_every_event(pm):
    class Agency:
        @hookimpl(wrapper=True)
        def livemoney_value_event(self, platform, event, context):
            result = yield
            return result.with_share("Agency", result.net.amount * Decimal("0.10"), note="10% of net")

    pm.register(Agency())
    report = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm)
    sponsorship = report.row("starcast", "sponsorship")  # 10% of 221.278102319 = 22.1278102319
    assert sponsorship.exact.shares == {"Agency": money("22.1278102319")}
    assert sponsorship.shares == {"Agency": money("22.13")} and sponsorship.net == money("199.15")
    tips = report.row("testcast", "donation")  # 10% of 3.5404496371 and of 3.5856350496, each to 10 places
    assert tips.exact.shares["Agency"] == money(Decimal("0.3540449637") + Decimal("0.3585635050"))
    # Shown, by running totals with the creator's net last: Testcast 1.7815211717 -> 1.78, + Agency
    # 2.4941296404 -> 2.49 (Agency 0.71), the creator 8.91 - 2.49 = 6.42 (exact 6.413476218).
    assert tips.shares == {"Testcast": money("1.78"), "Agency": money("0.71")} and tips.net == money("6.42")


def test_as_of_chooses_the_rules_and_the_event_date_the_rate(tmp_path, pm):
    line = '{"type": "sponsorship", "platform": "starcast", "amount": "100", "currency": "USD", "ts": "2026-10-02T10:00:00Z"}'
    report = value(write(tmp_path, line), currency="EUR", as_of="2026-10-01", pm=pm)
    assert report.as_of == dt.date(2026, 10, 1)
    assert report.exact.gross == money(eur("100", Decimal("1.1225")))  # the event's own date's rate
    assert report.gross == money("89.09")


def test_events_without_a_time_are_counted_and_the_notes_say_how_they_were_valued(tmp_path, pm):
    # A breaker's find: pytchat's timestamp 0 (no time) was valued at the latest rate and nothing said so.
    dated = '{"type": "sponsorship", "platform": "starcast", "amount": "100", "currency": "USD", "ts": "2026-10-02T10:00:00Z"}'
    undated = '{"type": "sponsorship", "platform": "starcast", "amount": "100", "currency": "USD"}'
    log = write(tmp_path, dated, undated, undated.replace("100", "50"))
    for engine in ("fast", "events"):  # the canonical path and events given one by one
        report = value(log, currency="EUR", pm=pm) if engine == "fast" else value(list(read_events(log, pm=pm)), currency="EUR", pm=pm)
        assert (report.valued, report.undated, report.to_dict()["counts"]["without_time"]) == (3, 2, 2), engine
        (note,) = [note for note in report.notes() if note.startswith("no time:")]
        assert note == (
            "no time: 2 event(s) carry no time, valued with the current rules and the latest exchange rate "
            "(--as-of DATE sets the date); in no minute"
        )
        assert sum(events for _, _, events in report.bins.values()) == 1  # only the dated one has a minute
    report = value(log, currency="EUR", as_of="2026-10-01", pm=pm)
    assert "the rules and the exchange rate of 2026-10-01 (--as-of)" in " ".join(report.notes())
    # A ledger's report says it too (a breaker's find: read back, it had lost them)
    book = tmp_path / "book.sqlite"
    assert value(log, currency="EUR", ledger=book, pm=pm).undated == 2
    assert report_of(book).undated == 2
    assert value(write(tmp_path, dated, name="dated.jsonl"), pm=pm).undated == 0
    assert not any(note.startswith("no time") for note in value(write(tmp_path, dated, name="d.jsonl"), pm=pm).notes())


def test_settings_override_a_declared_figure_and_unknown_keys_are_refused(pm):
    report = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, settings={"starcast.star_usd": "0.012"})
    stars = report.row("starcast", "donation")  # 500 Stars at 0.012 USD: the creator earns 6.00 USD
    assert stars.exact.net == money(eur("6.00")) and stars.net == money("5.31")
    with pytest.raises(SettingError, match="unknown setting 'starcast.nope'"):
        value(DATA / "every-kind.jsonl", currency="EUR", pm=pm, settings={"starcast.nope": "1"})


def test_unknown_valuations_are_counted_with_their_reason_not_summed(tmp_path, pm):
    line = (
        '{"type": "sale", "platform": "starcast", "amount": "30.00", "currency": "USD", "ts": "2026-10-01T10:00:00Z"}'
    )
    report = value(write(tmp_path, line, line), currency="EUR", pm=pm)
    row = report.row("starcast", "sale")
    assert (row.events, row.unknown, row.gross, row.net) == (2, 2, money("0"), money("0"))
    assert row.reasons == {"no source gives Starcast's fee on a product sold during a live stream": 2}
    assert report.unknown == 2
    assert "unknown: starcast sale, 2 events: no source gives" in report.render("table")


def test_identical_events_without_ids_all_count_and_duplicate_ids_count_once(tmp_path, pm):
    like = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "100", "currency": "stars"}'
    with_id = like[:-1] + ', "id": "m1"}'
    report = value(write(tmp_path, like, like, with_id, with_id, with_id), currency="USD", pm=pm)
    assert (report.valued, report.duplicates) == (3, 2)
    assert report.gross == Money(Decimal("4.20"), "USD")  # 3 x 100 Stars at 1.40 USD per 100


def test_the_same_id_on_two_platforms_is_two_events(tmp_path, pm):
    starcast = '{"type": "like", "platform": "starcast", "count": 1, "id": "42"}'
    testcast_ = '{"type": "like", "platform": "testcast", "count": 1, "id": "42"}'
    report = value(write(tmp_path, starcast, testcast_, starcast, testcast_), currency="USD", pm=pm)
    assert (report.valued, report.duplicates) == (2, 2)
    events = [item for item in read_events(tmp_path / "log.jsonl", pm=pm)]
    assert (value(events, pm=pm).valued, value(events, pm=pm).duplicates) == (2, 2)


@pytest.fixture
def few_ids_in_memory(monkeypatch):
    """The duplicate index keeps 1,000 ids in its dict (16,384 by default), so that a test of a few thousand
    lines moves most of them past it (to its sorted runs) several times."""
    original = Valuer.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **{**kwargs, "ids_in_memory": 1000})

    monkeypatch.setattr(Valuer, "__init__", init)


def test_a_repeat_far_from_its_first_is_caught_on_every_path(tmp_path, pm, few_ids_in_memory):
    # 5,000 ids, then the first and the 2,500th again: each repeat is 2,500 to 5,000 ids (2.5 to 5 times the
    # ids kept in memory) after its first, so both are found on disk; the others are new.
    lines = [f'{{"type": "like", "platform": "starcast", "count": 1, "id": "n{n}"}}' for n in range(5000)]
    path = write(tmp_path, *lines, lines[0], lines[2500])
    report = value(path, currency="USD", pm=pm)
    assert (report.records, report.valued, report.duplicates) == (5002, 5000, 2)
    events = list(read_events(path, pm=pm))
    assert (value(events, pm=pm).valued, value(events, pm=pm).duplicates) == (5000, 2)
    ledger = value(path, pm=pm, ledger=tmp_path / "ledger.sqlite")
    assert (ledger.valued, ledger.duplicates) == (5000, 2)


def test_an_id_conflict_far_from_its_first_is_named(tmp_path, pm, few_ids_in_memory):
    # The same id with other content (a count of 2), 3,000 ids later: valued, and named as a conflict.
    lines = [f'{{"type": "like", "platform": "starcast", "count": 1, "id": "n{n}"}}' for n in range(3000)]
    conflict = '{"type": "like", "platform": "starcast", "count": 2, "id": "n0"}'
    report = value(write(tmp_path, *lines, conflict, conflict), currency="USD", pm=pm)
    assert (report.valued, report.duplicates, report.conflicts) == (3001, 1, 1)


def test_repeats_and_conflicts_past_the_memory_budget_are_found_in_the_file(tmp_path, pm, monkeypatch):
    # An index of 100 ids in its dict and 300 in its runs: of 3,000 ids, most are in the SQLite file when the
    # first and the 1,500th come again (a repeat each) and the 10th with other content (a conflict).
    original = Valuer.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.ids = SeenIds(in_memory=100, in_arrays=300)

    monkeypatch.setattr(Valuer, "__init__", init)
    lines = [f'{{"type": "like", "platform": "starcast", "count": 1, "id": "n{n}"}}' for n in range(3000)]
    conflict = '{"type": "like", "platform": "starcast", "count": 2, "id": "n10"}'
    path = write(tmp_path, *lines, lines[0], lines[1500], conflict)
    for report in (
        value(path, currency="USD", pm=pm),
        value(list(read_events(path, pm=pm)), currency="USD", pm=pm),
        value(path, currency="USD", pm=pm, ledger=tmp_path / "ledger.sqlite"),
    ):
        assert (report.records, report.valued, report.duplicates, report.conflicts) == (3003, 3001, 2, 1)
        assert report.row("starcast", "like").units == {"likes": Decimal(3000 + 2)}


def test_two_captures_of_one_stream_a_million_lines_apart_count_each_event_once(tmp_path, pm):
    # Issue 12: a live capture and the replay capture of one stream, valued together. The live one holds
    # 1,000,000 likes with ids (1 to 3 each); the replay the first 1,000 and the last 1,000 of them again,
    # plus 10 the live capture missed (count 7 each): every repeat is 999,000 to 1,000,999 lines from its
    # first, in another file. Each event counts once: 1,000,010 valued, 2,000 duplicates. The index keeps
    # its default 16,384 ids in its dict (a sixtieth of the distance): every first is past it when
    # repeated, in the sorted runs, moved there by one of 61 spills.
    template = '{"type": "like", "platform": "starcast", "count": %d, "id": "m%d"}\n'
    live = tmp_path / "live.jsonl"
    with open(live, "w") as out:
        out.writelines(template % (1 + n % 3, n) for n in range(1_000_000))
    replay = tmp_path / "replay.jsonl"
    again = [*range(1000), *range(999_000, 1_000_000)]
    replay.write_text(
        "".join(template % (1 + n % 3, n) for n in again)
        + "".join(template % (7, n) for n in range(2_000_000, 2_000_010))
    )
    report = value([live, replay], currency="USD", pm=pm)
    assert (report.records, report.valued, report.duplicates) == (1_002_010, 1_000_010, 2_000)
    # Likes: 1 + 2 + 3 repeating over the million (333,334 ones, 333,333 twos and threes), and 10 x 7.
    assert report.row("starcast", "like").units == {"likes": Decimal(333_334 + 2 * 333_333 + 3 * 333_333 + 70)}
    assert report.conflicts == 0


def test_the_index_moves_ids_to_disk_and_still_finds_each(tmp_path):
    ids = SeenIds(in_memory=10)
    for n in range(1000):
        ids.put(f"id{n}", ("p", n))
    ids.put(("q", "id5"), ("q", 55))
    assert ids.on_disk >= 990 and len(ids.hot) < 10
    assert [ids.get(f"id{n}") for n in (0, 5, 999)] == [("p", 0), ("p", 5), ("p", 999)]
    assert ids.get(("q", "id5")) == ("q", 55) and ids.get("id1000") is None and ids.get(("p", "id5")) is None
    ids.put("id0", ("p", (0, 1)))  # a conflict's second fingerprint, newer than the copy on disk
    ids.spill()
    assert ids.get("id0") == ("p", (0, 1))
    assert sum(ids.may_have(f"other{n}") for n in range(10_000)) < 100  # far fewer: 1,000 keys in a filter for 2^20
    ids.close()


def test_a_timestamp_shared_with_the_line_before_is_still_checked(tmp_path, pm):
    good = '{"type": "like", "platform": "starcast", "count": 1, "ts": "2026-10-01T12:00:00Z"}'
    bad = '{"type": "like", "platform": "starcast", "count": 1, "ts": "2026-10-01T12:00:61Z"}'
    report = value(write(tmp_path, good, good, bad, bad, good), currency="USD", pm=pm, on_error="skip")
    assert (report.valued, report.rejected) == (3, 2)
    assert [(r.line, r.field) for r in report.rejects] == [(3, "ts"), (4, "ts")]


def test_an_amount_written_as_a_json_number_is_read_exactly(tmp_path, pm):
    # 0.1 + 0.2 as floats is 0.30000000000000004; as the exact decimals of the text it is 0.30.
    one = '{"type": "sponsorship", "platform": "starcast", "amount": 0.10, "currency": "USD"}'
    two = '{"type": "sponsorship", "platform": "starcast", "amount": "0.20", "currency": "USD"}'
    report = value(write(tmp_path, one, two), currency="USD", pm=pm)
    assert report.valued == 2
    assert report.gross == Money(Decimal("0.10") + Decimal("0.20"), "USD")


def test_money_with_no_rate_is_valued_as_unknown_with_the_reason_on_every_platform(tmp_path, pm):
    # A plugin that lets a missing rate through (the host's sponsorship default, Starcast's Stars) and one
    # that catches it (testcast) give the same answer: unknown, with the reason; nothing is rejected.
    # A date with no rate within 7 days before it (times before 2000 are out of range: rejected).
    early = '{"type": "sponsorship", "platform": "starcast", "amount": "10", "currency": "USD", "ts": "2099-01-01T00:00:00Z"}'
    dirhams = '{"type": "sponsorship", "platform": "starcast", "amount": "10", "currency": "AED", "ts": "2026-10-01T00:00:00Z"}'
    tip = '{"type": "donation", "platform": "testcast", "feature": "tip", "amount": "10", "currency": "AED", "ts": "2026-10-01T00:00:00Z"}'
    for on_error in ("fail", "skip"):
        report = value(write(tmp_path, early, dirhams, dirhams, tip), currency="EUR", pm=pm, on_error=on_error)
        assert (report.valued, report.unknown, report.rejected) == (4, 4, 0)
        reasons = [
            (reason, count)
            for row in (report.row("starcast", "sponsorship"), report.row("testcast", "donation"))
            for reason, count in row.reasons.items()
        ]
        assert [count for reason, count in reasons if "within 7 days before 2099-01-01" in reason] == [1]
        aed = [count for reason, count in reasons if reason.startswith("no ECB reference rate for 'AED'")]
        assert sorted(aed) == [1, 2] and all("--rates FILE" in reason for reason, _ in reasons if "AED" in reason)
        assert report.exact.gross == Money("0", "EUR")


BAD_LINES = DATA / "bad-lines.jsonl"


def test_fail_mode_raises_at_the_first_bad_line_naming_file_line_and_field(pm):
    with pytest.raises(InvalidInput) as caught:
        value(BAD_LINES, currency="EUR", pm=pm)
    assert str(caught.value) == f"{BAD_LINES}:2: (line): not valid JSON: Expecting ',' delimiter at column 102"
    assert caught.value.rejected.line == 2


def test_skip_mode_counts_exactly_and_writes_each_rejected_line_verbatim(tmp_path, pm):
    rejects = tmp_path / "rejects.jsonl"
    report = value(BAD_LINES, currency="EUR", pm=pm, on_error="skip", rejects=rejects)
    assert report.counts_line() == (  # 12 lines, one blank
        "records 11 = events 2 + without money 0 + rejected 9; events 2 = valued 2 + duplicates 0"
    )
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    problems = {(r["line"], r["field"]): r["problem"] for r in written}
    assert problems == {
        (2, "(line)"): "not valid JSON: Expecting ',' delimiter at column 102",
        (3, "feature"): "missing",
        (5, "count"): "-3 is negative; a count is a whole number of at least 1",
        (6, "amount"): '"1e999999" is out of range (an amount is at most 1,000,000,000,000,000,000 an event)',
        (7, "amount"): "1E+999999 is out of range (an amount is at most 1,000,000,000,000,000,000 an event)",
        (8, "currency"): '"XYZ" is not an ISO-4217 currency code nor a platform unit',
        (9, "platform"): "unknown platform 'myspace' (known: starcast, testcast)",
        (10, "type"): 'unknown type "tip" (known: donation, gift, like, sale, sponsorship)',
        (11, "ts"): "'2026-10-01T20:00:00' has no time zone",
    }
    lines = BAD_LINES.read_text(encoding="utf-8").splitlines()
    assert all(r["raw"] == lines[r["line"] - 1] and r["source"] == str(BAD_LINES) for r in written)
    # Stars 500 -> 7.00 USD = 6.1957868649 EUR, sponsorship 250.00 USD = 221.278102319 EUR: 227.47 shown
    assert report.exact.gross == money(eur("7.00") + eur("250.00")) and report.gross == money("227.47")


def test_an_event_of_a_platform_whose_plugin_failed_to_load_is_rejected_naming_it(tmp_path, pm):
    # Issue 11 (plugin isolation): the other platforms' events are still valued (it was a PluginError).
    from livemoney.pluginsys.manager import LoadFailure

    pm.failures.append(LoadFailure("tiktok", "livemoney-tiktok", "0.1.0", "ImportError: boom", ""))
    failed = "plugin 'tiktok' (distribution livemoney-tiktok 0.1.0) failed to load: ImportError: boom"
    path = write(
        tmp_path,
        '{"type": "like", "platform": "tiktok", "count": 1}',
        '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "100", "currency": "stars"}',
    )
    report = value(path, pm=pm, on_error="skip")
    assert [(str(rejected.line), rejected.field, rejected.problem) for rejected in report.rejects] == [
        ("1", "platform", failed)
    ]
    # 100 Stars: the viewer paid 100 × 1.40/100 = 1.40 USD.
    assert report.row("starcast", "donation").gross == Money(Decimal("1.40"), "USD")
    with pytest.raises(InvalidInput, match=re.escape(f"log.jsonl:1: platform: {failed}")):
        value(path, pm=pm)
    with pytest.raises(PluginError, match=re.escape(failed)):  # asked for by name: the plugin's failure
        value(path, pm=pm, platform="tiktok")


def test_a_default_platform_fills_records_that_leave_it_out(tmp_path, pm):
    line = '{"type": "donation", "feature": "stars", "amount": "100", "currency": "stars"}'
    report = value(write(tmp_path, line), pm=pm, platform="starcast")
    assert report.row("starcast", "donation").gross == Money(Decimal("1.40"), "USD")
    with pytest.raises(InvalidInput, match="log.jsonl:1: platform: missing"):
        value(tmp_path / "log.jsonl", pm=pm)
    with pytest.raises(ReaderError, match="unknown platform 'nowhere'"):
        value(tmp_path / "log.jsonl", pm=pm, platform="nowhere")


def test_events_and_several_files_are_valued_alike(tmp_path, pm):
    from_file = value(DATA / "every-kind.jsonl", currency="EUR", pm=pm)
    events = [item for item in read_events(DATA / "every-kind.jsonl", pm=pm)]
    from_events = value(events, currency="EUR", pm=pm)
    assert from_events.render("json") == from_file.render("json")
    twice = value([DATA / "every-kind.jsonl", DATA / "every-kind.jsonl"], currency="EUR", pm=pm)
    # The second copy of the gift is a duplicate (same id, same content): 2 x 258.9518614788 - 0.4425562046.
    gift = from_file.row("testcast", "gift").exact.gross.amount
    assert twice.exact.gross == money(2 * from_file.exact.gross.amount - gift)
    assert twice.gross == money("517.46") and twice.duplicates == 3


def test_value_without_logs_needs_a_ledger():
    with pytest.raises(ValueError, match="give logs or events"):
        value()


def test_the_progress_bar_shows_only_when_asked_or_on_a_terminal(capsys, pm):
    value(DATA / "every-kind.jsonl", pm=pm)
    assert capsys.readouterr().err == ""
    value(DATA / "every-kind.jsonl", pm=pm, progress=True)
    assert "valuing" in capsys.readouterr().err


# --- properties -------------------------------------------------------------------------------

AMOUNTS = st.one_of(
    st.decimals(min_value=0, max_value=10_000, places=2).map(lambda d: f'"{d}"'),
    st.decimals(min_value=0, max_value=10_000, places=3).map(str),  # a JSON number, read from its text
    st.integers(min_value=0, max_value=10_000).map(str),
)
EVENT_LINES = st.one_of(
    st.builds(
        lambda c, a, d: (
            f'{{"type": "gift", "platform": "testcast", "gift": "Rose", "count": {c}, '
            f'"amount": {a}, "currency": "coins", "ts": "2026-10-0{d}T12:00:00Z"}}'
        ),
        st.integers(1, 50),
        AMOUNTS,
        st.integers(1, 9),
    ),
    st.builds(
        lambda a, cur, d, v: (
            f'{{"type": "donation", "platform": "testcast", "feature": "tip", "amount": {a}, '
            f'"currency": "{cur}", "ts": "2026-10-0{d}T12:00:00Z", "viewer": "{v}"}}'
        ),
        AMOUNTS,
        st.sampled_from(["USD", "EUR", "JPY", "GBP"]),
        st.integers(1, 9),
        st.sampled_from("abc"),
    ),
    st.builds(
        lambda a, n: (
            f'{{"type": "donation", "platform": "starcast", "feature": "stars", "amount": {a}, '
            f'"currency": "stars", "id": "m{n}"}}'
        ),
        st.integers(1, 5000).map(str),
        st.integers(0, 20),
    ),
    st.builds(
        lambda a: (
            f'{{"type": "sponsorship", "platform": "starcast", "amount": {a}, "currency": "USD", '
            f'"ts": "2026-10-01T09:30:00+02:00"}}'
        ),
        AMOUNTS,
    ),
    st.builds(lambda c: f'{{"type": "like", "platform": "testcast", "count": {c}}}', st.integers(-2, 5)),
    st.sampled_from(
        [
            '{"type": "gift", "platform": "testcast", "gift": "Rose", "count": true}',
            '{"type": "gift", "platform": "testcast", "gift": "Rose", "count": 1.0}',
            '{"type": "like", "platform": "testcast", "viewer": 7}',
            '{"type": "like", "platform": "testcast", "stream": 2.5}',
            '{"type": "sale", "platform": "testcast", "amount": true, "currency": "USD"}',
            '{"type": "sale", "platform": "testcast", "amount": 5, "currency": "USD", "x": {"amount": 1.5}}',
            '{"type": "like", "platform": "testcast", "ts": "2026-10-01T12:00:61Z"}',
            '{"type": "like", "platform": "testcast", "ts": 1790000000000}',
            "[1, 2]",
            "",
            "not json",
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(EVENT_LINES, max_size=40))
def test_totals_equal_the_sum_of_each_events_valuation(tmp_path_factory, lines):
    pm = testcast.manager()
    path = write(tmp_path_factory.mktemp("log"), *lines)
    context = lm.context(currency="EUR", pm=pm)
    report = value(path, currency="EUR", pm=pm, on_error="skip", input_format="jsonl")

    gross = net = Decimal(0)
    valued = rejected = duplicates = conflicts = 0
    seen: dict = {}
    by_viewer: dict = {}
    by_minute: dict = {}
    problems = []
    for item in read_events(path, "jsonl", pm=pm):
        if isinstance(item, lm.Rejected):
            rejected += 1
            problems.append((item.line, item.field, item.problem, item.raw))
            continue
        if item.id:
            # A duplicate has the platform, id and content of an earlier event (events compare without
            # their source); another event with a seen id is an id conflict, valued too.
            earlier = seen.setdefault((item.platform, item.id), [])
            if item in earlier:
                duplicates += 1
                continue
            conflicts += bool(earlier)
            earlier.append(item)
        one = lm.value_event(item, context, pm)
        valued += 1
        # An unknown valuation counts its event but adds no money (its amounts are zero).
        gross += one.gross.amount
        net += one.net.amount
        places = []
        if item.viewer is not None:
            places.append(by_viewer.setdefault(item.viewer, [Decimal(0), Decimal(0)]))
        if item.ts is not None:
            minute = item.ts.astimezone(dt.UTC).replace(second=0, microsecond=0)
            places.append(by_minute.setdefault(minute, [Decimal(0), Decimal(0)]))
        for sums in places:
            sums[0] += one.gross.amount
            sums[1] += one.net.amount
    # Every shown figure (per viewer, per minute, the total) is the exact sum of its events rounded once.
    shown_viewers = {viewer: (g.amount, n.amount) for viewer, g, n, _ in report.top_viewers(len(report.viewers))}
    assert shown_viewers == {viewer: (cents(g), cents(n)) for viewer, (g, n) in by_viewer.items()}
    assert {start: (g.amount, n.amount) for start, g, n in report.timeline("1min")} == {
        minute: (cents(g), cents(n)) for minute, (g, n) in by_minute.items()
    }
    assert (report.valued, report.rejected, report.duplicates, report.conflicts) == (
        valued,
        rejected,
        duplicates,
        conflicts,
    )
    assert [(r.line, r.field, r.problem, r.raw) for r in report.rejects] == problems
    # Sums are exact, and the shown total's gross is the exact gross rounded once; its parts (each party's share
    # and the net) add up to it, each within a cent of its exact sum (livemoney.core.money.fitted_parts; its own
    # tests check those figures by hand); a report of one row shows that row's figures as its total.
    assert report.exact.gross.amount == gross and report.exact.net.amount == net
    total, exact = report.total(), report.exact
    assert report.gross.amount == total.gross.amount == cents(gross)
    assert total.gross.amount == sum((share.amount for share in total.shares.values()), total.net.amount)
    assert all(abs(total.shares[party].amount - exact.shares[party].amount) <= Decimal("0.01") for party in exact.shares)
    assert abs(total.net.amount - net) <= Decimal("0.01")
    creator = [row for row in report.rows if not row.to_guests]
    if len(creator) == 1:
        assert (total.gross, total.shares, total.net) == (creator[0].gross, creator[0].shares, creator[0].net)
    assert report.records == report.valued + report.rejected + report.duplicates
    # The fast path over the file and the path over Event objects agree, rejects included.
    events = value(
        [item for item in read_events(path, "jsonl", pm=pm) if not isinstance(item, lm.Rejected)], currency="EUR", pm=pm
    )
    assert (events.exact, events.valued, events.duplicates, events.conflicts) == (
        report.exact,
        report.valued,
        report.duplicates,
        report.conflicts,
    )


def test_a_long_log_with_many_distinct_events_folds_its_counts_exactly(tmp_path, pm, monkeypatch):
    import livemoney.engine.valuer

    monkeypatch.setattr(livemoney.engine.valuer, "MAX_KEYS", 5)  # fold and forget every 5 distinct events
    lines = [
        f'{{"type": "sponsorship", "platform": "starcast", "amount": "{n % 7 + 1}.25", "currency": "USD"}}'
        for n in range(70)
    ]
    report = value(write(tmp_path, *lines), currency="USD", pm=pm)
    assert report.gross == Money(sum(Decimal(n % 7 + 1) + Decimal("0.25") for n in range(70)), "USD")
    assert report.gross == Money(Decimal("297.50"), "USD")  # 10 x (1.25 + 2.25 + ... + 7.25) = 10 x 29.75
    assert report.valued == 70


def test_invalid_utf8_inside_a_line_is_a_rejected_line_not_a_crash(tmp_path, pm):
    log = tmp_path / "latin.jsonl"
    log.write_bytes(b'{"type": "like", "platform": "starcast", "count": 1, "viewer": "\xff\xfe"}\n')
    with pytest.raises(InvalidInput, match=r"latin.jsonl:1: \(line\): not valid UTF-8"):
        value(log, pm=pm)
    report = value(log, pm=pm, on_error="skip")
    assert (report.read, report.valued, report.rejected) == (1, 0, 1)


def test_gifts_to_guests_are_apart_and_gifts_naming_recipients_without_a_host_are_warned_of(tmp_path, pm):
    def gift(recipient, host=None, n=1):
        extra = f', "host": "{host}"' if host else ""
        return (
            f'{{"type": "gift", "platform": "testcast", "gift": "Rose", "count": 1, "amount": "100", '
            f'"currency": "coins", "recipient": "{recipient}"{extra}, "viewer": "v{n}"}}'
        )

    path = write(tmp_path, gift("host-1", n=1), gift("guest-2", n=2))
    # No host known: both gifts count as the creator's, and the report says the recipients differ.
    alone = value(path, pm=pm)
    assert alone.exact.gross == Money(Decimal("2.00"), "USD") and alone.hostless_gifts == 2
    # Nothing to guests: their total is zero, written in cents as every figure is (it said a bare "0" for the net).
    nothing = alone.to_dict()["to_guests"]
    assert (nothing["events"], nothing["gross"], nothing["net"]) == (0, "0.00", "0.00")
    assert any("2 gift(s) name 2 different recipients and no host" in note for note in alone.notes())
    # With --host: the guest's 100 coins (1.00 USD, 0.80 net) are a row of their own, never the creator's.
    for report in (value(path, pm=pm, host="host-1"), value(list(read_events(path, pm=pm)), pm=pm, host="host-1")):
        assert report.exact.gross == Money(Decimal("1.00"), "USD") and report.hostless_gifts == 0
        guests = report.row("testcast", "gift", to_guests=True)
        assert (guests.events, guests.gross, guests.net) == (1, Money("1.00", "USD"), Money("0.80", "USD"))
        assert report.top_viewers(5) == [("v1", Money("1.00", "USD"), Money("0.80", "USD"), 1)]
        # As JSON, the guests' total says its events as the creator's total does (a breaker's find: it did not).
        as_json = report.to_dict()
        assert (as_json["total"]["events"], as_json["total"]["gross"]) == (1, "1.00")
        assert (as_json["to_guests"]["events"], as_json["to_guests"]["unknown"]) == (1, 0)
        assert (as_json["to_guests"]["gross"], as_json["to_guests"]["net"]) == ("1.00", "0.80")
    assert not any("none to the host you gave" in note for note in report.notes())
    # A mistyped host: every gift goes to guests, which the report says (a new user's trial: it said nothing).
    typo = value(path, pm=pm, host="host-l")
    assert (
        typo.exact.gross == Money(Decimal("0.00"), "USD") and typo.row("testcast", "gift", to_guests=True).events == 2
    )
    assert any(
        "every gift naming a recipient went to a guest (2), none to the host you gave (--host host-l)" in note
        for note in typo.notes()
    )
    # A record that names its host wins over --host.
    named = value(write(tmp_path, gift("x", host="x"), gift("y", host="x"), name="named.jsonl"), pm=pm, host="y")
    assert (
        named.exact.gross == Money(Decimal("1.00"), "USD") and named.row("testcast", "gift", to_guests=True).events == 1
    )


def test_one_message_captured_by_two_tools_is_one_event(tmp_path, pm):
    # The same tip with its id: one tool keeps microseconds and the room, the other milliseconds and no room.
    fine = (
        '{"type": "donation", "platform": "testcast", "feature": "tip", "amount": "10", "currency": "USD", '
        '"id": "m1", "viewer": "a", "ts": "2026-10-01T20:00:00.123456Z", "stream": "room-9"}'
    )
    coarse = (
        '{"type": "donation", "platform": "testcast", "feature": "tip", "amount": "10", "currency": "USD", '
        '"id": "m1", "viewer": "a", "ts": 1790884800123}'
    )
    report = value([write(tmp_path, fine, name="a.jsonl"), write(tmp_path, coarse, name="b.jsonl")], pm=pm)
    assert (report.valued, report.duplicates, report.conflicts) == (1, 1, 0)
    # Another amount under the same id is an id conflict, valued, and the warning tells the two apart.
    other = coarse.replace('"10"', '"12"')
    report = value([tmp_path / "a.jsonl", write(tmp_path, other, name="c.jsonl")], pm=pm)
    assert (report.valued, report.duplicates, report.conflicts) == (2, 0, 1)
    assert "c.jsonl:1 (donation by a)" in report.conflicts_named[0]


def test_a_host_given_that_a_record_contradicts_is_said(tmp_path, pm):
    line = (
        '{"type": "gift", "platform": "testcast", "gift": "Rose", "amount": "100", "currency": "coins", '
        '"recipient": "h1", "host": "h1"}'
    )
    report = value(write(tmp_path, line), pm=pm, host="someone-else")
    assert report.host_differs == 1 and report.row("testcast", "gift").events == 1  # the record's host wins
    assert any("name a host other than the one you gave" in note for note in report.notes())


def test_an_amount_near_the_largest_accepted_is_valued_without_a_traceback(tmp_path, pm):
    line = '{"type": "sponsorship", "platform": "starcast", "amount": "100000000000000000000000000000.005", "currency": "EUR"}'
    report = value(write(tmp_path, line), currency="EUR", pm=pm, on_error="skip")
    assert report.records == 1 and report.valued + report.rejected == 1
    report.render("table")


def test_events_without_an_id_in_several_files_are_warned_of(tmp_path, pm):
    # A new user's trial: `value A A` on a format without ids doubled the money and said nothing. Duplicates
    # are told by id, so the report says how many events carry none when several files are valued together.
    tip = '{{"type": "donation", "platform": "testcast", "feature": "tip", "amount": "1", "currency": "USD"{extra}}}'
    plain = [
        tip.format(extra=f', "viewer": "v{n % 7}", "ts": "2026-10-01T20:{n // 60 % 60:02}:{n % 60:02}Z"')
        for n in range(5000)
    ]
    marked = [line[:-1] + f', "id": "m{n}"}}' for n, line in enumerate(plain[:10])]
    mixed = write(tmp_path, *plain, *marked, name="mixed.jsonl")  # 5,000 lines: the chunk path takes most
    alone = value(mixed, pm=pm)
    assert (alone.valued, alone.without_id, alone.inputs) == (5010, 5000, 1)
    assert not any("carry no id" in note for note in alone.notes())  # one file: nothing to warn of
    twice = value([mixed, mixed], pm=pm, on_error="skip")
    # The 10 events with an id are counted once; the 5,000 without one twice, and the report says so.
    assert (twice.valued, twice.duplicates, twice.without_id, twice.inputs) == (10010, 10, 10000, 2)
    assert twice.exact.gross == Money(Decimal("10010.00"), "USD")
    assert (
        "warning: 10000 event(s) carry no id (their format gives none): duplicates are told by id, so one such "
        "event found in two of the 2 files counts twice; give each stream's capture once"
    ) in twice.notes()
    # The same on the general path (events given one by one) and with ids everywhere: no warning.
    events = list(read_events(mixed, pm=pm))
    assert value(events, pm=pm).without_id == 5000
    assert value(mixed, pm=pm, ledger=tmp_path / "book.db").without_id == 5000  # the canonical line-by-line loop
    with_ids = write(tmp_path, *marked, name="ids.jsonl")
    assert not any("carry no id" in note for note in value([with_ids, with_ids], pm=pm).notes())
