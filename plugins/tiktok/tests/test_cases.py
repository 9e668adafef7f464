"""Real cases and files of their kinds, each right answer worked out by hand, through the three front doors:
``livemoney value`` (the CLI), ``lm.value`` and ``lm.LiveTally`` fed record by record.

``data/cases/`` holds copies of the shared cases 01 to 04 (see data/SOURCES.md); the other files were
built for these tests after the formats' own sources.

The default rules: a coin costs 0.99/70 USD in the app, the App store takes 30% of that, the creator
earns 0.005 USD a coin (1 diamond), TikTok keeps the rest. Amounts are exact to 10 places; the figures a
user sees are each rounded once, half-even: the parties by running totals, the one that takes the rest
(TikTok for a gift, whose net the diamonds fix; the creator for a subscription) last, taking the rounding.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import livemoney as lm
import pytest
from click.testing import CliRunner
from livemoney import Donation, Gift
from livemoney.cli import main
from livemoney.kit import iter_records

DATA = Path(__file__).parent / "data"
CASES = DATA / "cases"
PRICE = {"tiktok.subscription_price": "4.99"}
HOST = "7300000000000000001"


def via_cli(path, settings=None, host=None):
    args = ["value", str(path), "--format", "json"]
    for key, setting in (settings or {}).items():
        args += ["--set", f"{key}={setting}"]
    if host:
        args += ["--host", host]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    count_line = result.stderr.strip().splitlines()[-1]
    assert count_line.startswith(f"records {answer['counts']['records']} = events {answer['counts']['events']} ")
    return answer


def via_value(pm, path, settings=None, host=None):
    return lm.value(str(path), settings=settings, pm=pm, host=host).to_dict()


def via_tally(pm, path, settings=None, host=None):
    tally = lm.LiveTally(lm.context(settings=settings, pm=pm), pm=pm, host=host)
    with open(path, "rb") as stream:
        for line, record in iter_records(stream, path.name):
            tally.add(record)
    tally.flush()
    return tally.report().to_dict()


def three_ways(pm, path, settings=None, host=None):
    """The counts, the creator's totals and the guests' of ``path``, the same whichever way it is valued."""
    answers = [
        way(*((pm,) if way is not via_cli else ()), path, settings, host) for way in (via_cli, via_value, via_tally)
    ]
    picked = [(answer["counts"], answer["total"], answer["to_guests"]) for answer in answers]
    assert picked[0] == picked[1], "livemoney value and lm.value differ"
    assert picked[0] == picked[2], "LiveTally differs"
    return answers[1]


def counts(found):
    """(records, events, without money, not read, rejected, valued, duplicates)."""
    keys = ("records", "events", "without_money", "not_read", "rejected", "valued", "duplicates")
    return tuple(found["counts"][key] for key in keys)


def shown(amounts):
    """(gross, App store, TikTok, net) as shown."""
    return amounts["gross"], amounts["shares"].get("App store"), amounts["shares"].get("TikTok"), amounts["net"]


def exact(amounts):
    """(gross, App store, TikTok, net), exact."""
    return shown(amounts["exact"])


# --- case 01: TikTok-Live-Connector 0.9, a gift known only by its id ------------------------------


def test_case_01_a_rose_known_by_its_id_only_is_one_streak_of_2(pm):
    report = three_ways(pm, CASES / "01-tlc09-gift-by-id-only.jsonl")
    # Frames 1 and 2 are superseded by the end frame (3), which counts 2 Roses: gift id 5655 is the Rose,
    # 1 coin, in TikTokLiveJava's gift list. 2 coins: the viewer paid 2 × 0.99/70 = 0.0282857143; App
    # store 30% of it = 0.0084857143; the creator 2 × 0.005 = 0.01; TikTok the rest, 0.0098.
    assert counts(report) == (3, 1, 2, 0, 0, 1, 0)
    assert report["counts"]["without_money_by_kind"] == {"gift streak frame": 2}
    assert exact(report["total"]) == ("0.0282857143", "0.0084857143", "0.0098", "0.01")
    # shown: net 0.01; 0.01 + 0.0084857143 → 0.02, App store 0.01; gross 0.03, TikTok 0.01
    assert shown(report["total"]) == ("0.03", "0.01", "0.01", "0.01")
    (row,) = report["rows"]
    assert row["units"] == {"coins": "2", "diamonds": "2"}
    assert row["explain"][0].startswith("2 × gift id 5655 (Rose) at 1 coin each = 2 coins [jwdeveloper/TikTokLiveJava")
    assert "2024-01-05" in row["explain"][0]


def test_case_01_read_gives_one_gift_from_the_end_frame_with_no_rounded_id(pm):
    items = list(lm.read_events(CASES / "01-tlc09-gift-by-id-only.jsonl", pm=pm))
    (gift,) = [item for item in items if isinstance(item, Gift)]
    assert (gift.gift, gift.gift_id, gift.count, gift.amount, gift.viewer) == ("Rose", "5655", 2, None, "viewer_a")
    assert gift.source.endswith(":3")  # the end frame it was built from
    # The JavaScript connector rounded the 64-bit ids (msg_id 7085465258067809000): none is used as an id.
    assert (gift.id, gift.stream) == (None, None)
    # no createTime: the time is the monitor's send_gift_send_message_success_ms, 1649713484314 ms
    assert gift.ts == dt.datetime(2022, 4, 11, 21, 44, 44, 314000, tzinfo=dt.UTC)
    # anchor_id equals to_user_id within the record: the gift is the host's, named by the rounded id
    assert gift.recipient == gift.host == "~6900000000000000000"
    assert [(item.line, item.kind) for item in items if not isinstance(item, Gift)] == [
        (1, "gift streak frame"),
        (2, "gift streak frame"),
    ]


# --- case 02: the same records as a console log, <ISO time>,<JSON> ---------------------------------


def test_case_02_the_console_log_values_the_same_2_coins(pm):
    report = three_ways(pm, CASES / "02-tlc09-timestamp-prefixed-log.log")
    assert counts(report) == (3, 1, 2, 0, 0, 1, 0)
    assert exact(report["total"]) == ("0.0282857143", "0.0084857143", "0.0098", "0.01")
    assert shown(report["total"]) == ("0.03", "0.01", "0.01", "0.01")


def test_case_02_the_line_time_is_the_event_time(pm):
    items = list(lm.read_events(CASES / "02-tlc09-timestamp-prefixed-log.log", pm=pm))
    (gift,) = [item for item in items if isinstance(item, Gift)]
    assert gift.count == 2 and gift.source.endswith(":3")
    # the end frame's line time, which is also its monitor's send time (the record's own, as in case 01)
    assert gift.ts == dt.datetime(2022, 4, 11, 21, 44, 44, 314000, tzinfo=dt.UTC)
    report = lm.value(str(CASES / "02-tlc09-timestamp-prefixed-log.log"), pm=pm)
    assert list(report.bins) == [dt.datetime(2022, 4, 11, 21, 44, tzinfo=dt.UTC)]  # its minute, in the timeline


# --- case 03: Super Fan sign-up and a Super Fan entering ------------------------------------------


def test_case_03_one_paid_super_fan_sign_up_and_nothing_for_the_join(pm):
    report = three_ways(pm, CASES / "03-tlc-superfan-new-vs-joined.jsonl")
    assert counts(report) == (2, 1, 1, 0, 0, 1, 0)
    assert report["counts"]["without_money_by_kind"] == {"superFanJoin": 1}
    (row,) = report["rows"]
    assert (row["kind"], row["events"], row["unknown"]) == ("donation", 1, 1)  # no price without the setting
    assert "tiktok.subscription_price" in " ".join(row["unknown_reasons"])


def test_case_03_at_4_99_the_creator_gets_2_45(pm):
    report = three_ways(pm, CASES / "03-tlc-superfan-new-vs-joined.jsonl", PRICE)
    # 2026-04-22 (createTime 1776854573573): the US/Canada rule of 2025-10-01 applies. App store 30% of
    # 4.99 = 1.497; TikTok 30% of the rest 3.493 = 1.0479; the creator 70% of it = 2.4451.
    assert exact(report["total"]) == ("4.99", "1.497", "1.0479", "2.4451")
    # shown: the creator takes the rest: App store 1.497 → 1.50; 2.5449 → 2.54, TikTok 1.04; 4.99 − 2.54 = 2.45
    assert shown(report["total"]) == ("4.99", "1.50", "1.04", "2.45")


def test_case_03_the_sign_up_is_a_subscription_of_viewer_b(pm):
    items = list(lm.read_events(CASES / "03-tlc-superfan-new-vs-joined.jsonl", pm=pm))
    sign_up, join = items
    assert isinstance(sign_up, Donation) and sign_up.feature == "subscription" and sign_up.amount is None
    assert (sign_up.viewer, sign_up.id, sign_up.source.rpartition(":")[2]) == ("viewer_b", "7631000000000000001", "1")
    assert sign_up.ts == dt.datetime(2026, 4, 22, 10, 42, 53, 573000, tzinfo=dt.UTC)
    assert (join.line, join.kind, join.why) == (2, "superFanJoin", "no money")


# --- case 04: a gift to a guest of a multi-guest LIVE ------------------------------------------------


def test_case_04_the_hosts_income_is_1_coin_and_the_galaxy_is_the_guests(pm):
    report = three_ways(pm, CASES / "04-tiktok-multiguest-gift-to-guest.jsonl")
    assert counts(report) == (2, 2, 0, 0, 0, 2, 0)
    # The host: 1 Rose. Paid 0.99/70 = 0.0141428571; App store 0.0042428571; the creator 0.005; TikTok 0.0049.
    assert exact(report["total"]) == ("0.0141428571", "0.0042428571", "0.0049", "0.005")
    assert report["original_amounts"] == {"coins": "1"}
    # shown: net 0.005 → 0.00 (half-even); 0.0092428571 → 0.01, App store 0.01; gross 0.01, TikTok 0.00
    assert shown(report["total"]) == ("0.01", "0.01", "0.00", "0.00")
    # The guest: a Galaxy at its own price, 1,000 coins: paid 14.1428571429; App store 4.2428571429; the
    # guest's diamonds 5.00; TikTok 14.1428571429 − 4.2428571429 − 5 = 4.90.
    assert exact(report["to_guests"]) == ("14.1428571429", "4.2428571429", "4.90", "5.00")
    assert shown(report["to_guests"]) == ("14.14", "4.24", "4.90", "5.00")


def test_case_04_a_host_given_by_the_user_does_not_override_the_record(pm):
    # The records name their host (monitorInfo.anchorId): --host with another id changes nothing.
    report = three_ways(pm, CASES / "04-tiktok-multiguest-gift-to-guest.jsonl", host="6900000000000000002")
    assert exact(report["total"])[3] == "0.005" and exact(report["to_guests"])[3] == "5.00"


# --- files of the same kinds ------------------------------------------------------------------------


def test_connector_09_galaxy_by_id_to_a_guest(pm):
    report = three_ways(pm, DATA / "tlc09_gift_to_guest.jsonl")
    # Line 1: gift id 5886 (Galaxy, 1,000 coins by id), type 2, to_user_id ≠ anchor_id (both rounded):
    # the guest's. Line 2: gift id 5655 (Rose), a one-tap streak ended at once: the host's 1 coin.
    assert counts(report) == (2, 2, 0, 0, 0, 2, 0)
    assert exact(report["total"]) == ("0.0141428571", "0.0042428571", "0.0049", "0.005")
    assert exact(report["to_guests"]) == ("14.1428571429", "4.2428571429", "4.90", "5.00")


def test_tiktoklive_6_gift_known_by_id_only_with_a_replayed_frame(pm):
    report = three_ways(pm, DATA / "tiktoklive_v6_gift_by_id.jsonl")
    # Line 1 chat; lines 2-5 a streak of mGift {"id": "5655"} only (no name, price or type): 1, 2, the 2
    # again (line 4, the same messageId and content: a repeat), end at 3; line 6 a shopping message this
    # version does not read. 3 Roses by id: paid 3 × 0.99/70 = 0.0424285714; App store 0.0127285714;
    # creator 0.015; TikTok 0.0424285714 − 0.0127285714 − 0.015 = 0.0147.
    assert counts(report) == (6, 2, 3, 1, 0, 1, 1)
    assert report["counts"]["without_money_by_kind"] == {"WebcastChatMessage": 1, "gift streak frame": 2}
    assert report["counts"]["not_read_by_kind"] == {"WebcastOecLiveShoppingMessage": 1}
    assert exact(report["total"]) == ("0.0424285714", "0.0127285714", "0.0147", "0.015")
    # shown: net 0.015 → 0.02 (half-even); 0.0277285714 → 0.03, App store 0.01; gross 0.04, TikTok 0.01
    assert shown(report["total"]) == ("0.04", "0.01", "0.01", "0.02")


def test_tiktoklive_7_super_fan_barrages_by_their_text_key(pm):
    report = three_ways(pm, DATA / "tiktoklive_v7_superfan.jsonl", PRICE)
    # Line 1 someoneBecameSuperFan: a paid sign-up; 2 superFanJoined: no money; 3 another barrage: no money;
    # 4 a Super Fan key this version does not know, 5 a treasure box (WebcastEnvelopeMessage): not read.
    assert counts(report) == (5, 1, 2, 2, 0, 1, 0)
    assert report["counts"]["without_money_by_kind"] == {"WebcastBarrageMessage": 1, "superFanJoin": 1}
    assert report["counts"]["not_read_by_kind"] == {
        "WebcastEnvelopeMessage": 1,
        "superFan (ttlive_superFan_commentNotif_levelUp)": 1,
    }
    assert exact(report["total"]) == ("4.99", "1.497", "1.0479", "2.4451")
    assert shown(report["total"]) == ("4.99", "1.50", "1.04", "2.45")


def test_multi_guest_battle_the_record_names_the_host(pm):
    report = three_ways(pm, DATA / "tiktoklive_v7_battle.jsonl")
    # Line 2: 5 Roses to the host. Line 3: a Lion (29,999 coins) to a co-host, the record naming the host
    # (monitorInfo.anchorId ≠ toUserId): the co-host's. Line 4: 2 Doughnuts (30 coins) to the co-host,
    # without monitor info: told no host, livemoney credits the creator. Lines 1 and 5: battle state.
    # Creator: 5 + 60 = 65 coins: paid 65 × 0.99/70 = 0.9192857143; App store 0.2757857143; creator 0.325;
    # TikTok 0.9192857143 − 0.2757857143 − 0.325 = 0.3185.
    assert counts(report) == (5, 3, 2, 0, 0, 3, 0)
    assert report["counts"]["without_money_by_kind"] == {"WebcastLinkMicArmies": 1, "WebcastLinkMicBattle": 1}
    assert exact(report["total"]) == ("0.9192857143", "0.2757857143", "0.3185", "0.325")
    # Guests: 29,999 coins: paid 424.2715714286; App store 127.2814714286; 149.995; TikTok 146.9951.
    assert exact(report["to_guests"]) == ("424.2715714286", "127.2814714286", "146.9951", "149.995")


def test_multi_guest_battle_with_the_host_given(pm):
    report = three_ways(pm, DATA / "tiktoklive_v7_battle.jsonl", host=HOST)
    # --host names the host for line 4 too: the Doughnuts are the co-host's. Creator 5 coins: paid
    # 0.0707142857; App store 0.0212142857; creator 0.025; TikTok 0.0245. Guests, the sum of two exact
    # valuations: the Lion (above) and 60 coins (paid 0.8485714286, App store 0.2545714286, 0.30, TikTok
    # 0.294): paid 425.1201428572; App store 127.5360428572; 150.295; TikTok 147.2891.
    assert exact(report["total"]) == ("0.0707142857", "0.0212142857", "0.0245", "0.025")
    assert exact(report["to_guests"]) == ("425.1201428572", "127.5360428572", "147.2891", "150.295")


def test_connector_streak_with_replayed_frames(pm):
    report = three_ways(pm, DATA / "connector_replayed_frames.jsonl")
    # 1.x flattened: a Rose streak 1, 2, (2 again), end 3, (end again); a Galaxy (type 2, 1,000 coins),
    # replayed; 4 Roses to a guest (receiverUserId; monitorExtra's rounded ids differ). Three repeats
    # are duplicates. The creator: 3 + 1000 = 1003 coins: paid 14.1852857143; App store 4.2555857143;
    # creator 5.015; TikTok 4.9147.
    assert counts(report) == (8, 6, 2, 0, 0, 3, 3)
    assert exact(report["total"]) == ("14.1852857143", "4.2555857143", "4.9147", "5.015")
    assert report["original_amounts"] == {"coins": "1003"}
    # the guest's 4 Roses: paid 0.0565714286; App store 0.0169714286; 0.02; TikTok 0.0196
    assert exact(report["to_guests"]) == ("0.0565714286", "0.0169714286", "0.0196", "0.02")


def test_connector_kinds_this_version_does_not_read_are_named(pm):
    report = three_ways(pm, DATA / "connector_unknown_kinds.jsonl")
    assert counts(report) == (6, 1, 2, 3, 0, 1, 0)
    assert report["counts"]["without_money_by_kind"] == {"chat": 1, "roomUser": 1}
    assert report["counts"]["not_read_by_kind"] == {"envelope": 1, "fanClubGiftParty": 1, "superFanBox": 1}
    assert exact(report["total"])[3] == "0.005"  # the one Rose


def test_the_count_line_names_kinds_not_read(pm):
    report = lm.value(str(DATA / "connector_unknown_kinds.jsonl"), pm=pm)
    assert report.counts_line() == (
        "records 6 = events 1 + without money 2 + not read 3 + rejected 0; events 1 = valued 1 + duplicates 0"
    )
    assert report.not_read == {"envelope": 1, "fanClubGiftParty": 1, "superFanBox": 1}
    assert "not read: superFanBox: 1 record, not read by this version" in report.notes()


@pytest.mark.parametrize(
    "file",
    [
        "cases/01-tlc09-gift-by-id-only.jsonl",
        "cases/03-tlc-superfan-new-vs-joined.jsonl",
        "cases/04-tiktok-multiguest-gift-to-guest.jsonl",
        "tiktoklive_v6_gift_by_id.jsonl",
        "tiktoklive_v7_superfan.jsonl",
        "tiktoklive_v7_battle.jsonl",
        "connector_replayed_frames.jsonl",
        "connector_unknown_kinds.jsonl",
        "tlc09_gift_to_guest.jsonl",
    ],
)
def test_every_record_comes_out_once(pm, file):
    path = DATA / file
    items = list(lm.read_events(path, pm=pm))
    lines = [
        item.line if not isinstance(item, lm.Event) else int(item.source.rpartition(":")[2]) for item in items
    ]
    assert sorted(lines) == list(range(1, len(path.read_text(encoding="utf-8").splitlines()) + 1))
    assert not any(getattr(item, "kind", "") == "(record the reader gave no account of)" for item in items)
