"""Real cases and files of their kinds, each right answer worked out by hand, through the three front doors:
``livemoney value`` (the CLI), ``lm.value`` and ``lm.LiveTally`` fed record by record.

``data/cases/`` holds copies of the shared cases 07, 10, 13 and 14 (see data/SOURCES.md); the other
files were built for these tests after the formats' own sources.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import livemoney as lm
import pytest
from click.testing import CliRunner
from livemoney import Donation, Gift, Money
from livemoney.cli import main
from livemoney.kit import Skipped, iter_records
from livemoney_youtube.readers import data_api, innertube

DATA = Path(__file__).parent / "data"
CASES = DATA / "cases"
PRICE = {"youtube.membership_price": "4.99"}
JEWELS = {"youtube.rubies_per_jewel": "0.5"}


def via_cli(path, currency="USD", settings=None):
    args = ["value", str(path), "--currency", currency, "--format", "json", "--on-error", "skip"]
    for key, setting in (settings or {}).items():
        args += ["--set", f"{key}={setting}"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["counts"]["records"] == int(result.stderr.splitlines()[-1].split()[1])  # the counts line: "records N = ..."
    return answer


def via_value(pm, path, currency="USD", settings=None):
    return lm.value(str(path), currency, settings=settings, pm=pm, on_error="skip").to_dict()


def via_tally(pm, path, currency="USD", settings=None):
    tally = lm.LiveTally(lm.context(currency, settings=settings, pm=pm), pm=pm)
    with open(path, "rb") as stream:
        for _line, record in iter_records(stream, path.name):
            tally.add(record)
    tally.flush()
    return tally.report().to_dict()


def three_ways(pm, path, currency="USD", settings=None):
    """The counts and totals of ``path``, the same whichever way it is valued (checked here)."""
    answers = [
        via_cli(path, currency, settings),
        via_value(pm, path, currency, settings),
        via_tally(pm, path, currency, settings),
    ]
    picked = [({k: v for k, v in a["counts"].items()}, a["total"]) for a in answers]
    assert picked[0] == picked[1], "livemoney value and lm.value differ"
    # a live tally counts the same records; its by-kind names may say live:READER instead of the file
    assert picked[0][1] == picked[2][1], "LiveTally's totals differ"
    assert picked[0][0] == picked[2][0], "LiveTally's counts differ"
    return picked[0]


def counts(found):
    """(records, events, without money, not read, rejected, valued, duplicates) of a counts dict."""
    keys = ("records", "events", "without_money", "not_read", "rejected", "valued", "duplicates")
    return tuple(found[key] for key in keys)


def total(found):
    """(gross, YouTube, net) shown, then the same exact."""
    shown = (found["gross"], found["shares"].get("YouTube"), found["net"])
    exact = (found["exact"]["gross"], found["exact"]["shares"].get("YouTube"), found["exact"]["net"])
    return shown, exact


def read(reader, path):
    with open(path, "rb") as stream:
        return list(reader.read(stream, path.name))


def events_of(items):
    return [item for item in items if isinstance(item, (Donation, Gift))]


# --- the shared cases ---------------------------------------------------------------------------


def test_case_07_japanese_gift_purchase_is_five_memberships(pm):
    path = CASES / "07-yt-gift-purchase-ja.json"
    (event,) = read(innertube.READER, path)
    # runs "5", " 件の ", level, " のメンバーシップ ギフトを贈りました": 5 gifted memberships
    assert (event.feature, event.count, event.amount, event.viewer) == ("membership", 5, None, "Gifter JA")
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    assert counts(found_counts) == (1, 1, 0, 0, 0, 1, 0)
    # 5 × 4.99 = 24.95; YouTube 24.95 × 0.30 = 7.485; creator 24.95 × 0.70 = 17.465 exactly. Shown once,
    # half-even, by running totals with the creator (who takes the rest) last: YouTube 7.485 → 7.48, the
    # creator 24.95 − 7.48 = 17.47, the case's answer.
    assert total(found_total) == (("24.95", "7.48", "17.47"), ("24.95", "7.485", "17.465"))


def test_case_10_one_new_member_and_two_milestones(pm):
    path = CASES / "10-yt-membership-milestones.jsonl"
    items = read(innertube.READER, path)
    (member,) = events_of(items)
    assert (member.feature, member.count, member.viewer) == ("membership", 1, "Member B")
    assert sorted(s.kind for s in items if isinstance(s, Skipped)) == [
        "liveChatMembershipItemRenderer (milestone)",  # "Member for 27 months"
        "liveChatTickerSponsorItemRenderer (milestone)",  # the ticker-only "7 months"
    ]
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    assert counts(found_counts) == (3, 1, 2, 0, 0, 1, 0)
    # 4.99 × 0.30 = 1.497 to YouTube, 4.99 × 0.70 = 3.493 to the creator; shown 1.50 and 3.49
    assert total(found_total) == (("4.99", "1.50", "3.49"), ("4.99", "1.497", "3.493"))


def test_case_13_jewel_gift_in_the_html_reference_shape(pm):
    path = CASES / "13-ytapi-jewels-giftEventDetails.json"
    (gift,) = read(data_api.READER, path)
    assert (gift.gift, gift.count, gift.amount, gift.viewer) == ("Gift A", 1, Money(Decimal(10), "jewels"), "Viewer J")
    found_counts, found_total = three_ways(pm, path, settings=JEWELS)
    assert counts(found_counts) == (1, 1, 0, 0, 0, 1, 0)
    # 10 jewels × 0.5 = 5 rubies × 0.01 USD = 0.05 USD to the creator (gross: the same, a lower bound)
    assert total(found_total) == (("0.05", None, "0.05"), ("0.05", None, "0.05"))
    unset = via_value(pm, path)
    assert unset["total"]["net"] == "0.00" and unset["total"]["unknown"] == 1  # no rate: unknown, said why


def test_case_14_first_super_chat_in_new_taiwan_dollars(pm):
    path = CASES / "14-yt-paid-ntd-first-supporter-bumper.json"
    (event,) = read(innertube.READER, path)
    # "NT$7,500.00", with a first-Super overlay and bumper that change nothing
    assert (event.feature, event.amount, event.count) == ("super_chat", Money(Decimal("7500.00"), "TWD"), 1)
    assert str(event.amount.amount) == "7500.00" and event.viewer == "Viewer T"
    found_counts, found_total = three_ways(pm, path, currency="TWD")
    assert counts(found_counts) == (1, 1, 0, 0, 0, 1, 0)
    # in TWD no rate is needed: YouTube 7500 × 0.30 = 2250, creator 7500 × 0.70 = 5250
    assert total(found_total) == (("7500.00", "2250.00", "5250.00"), ("7500.00", "2250.00", "5250.00"))


def test_case_14_in_dollars_with_your_rate(pm, tmp_path):
    # The ECB gives no TWD rate: the user's (Bank of Taiwan, Friday 2024-12-13, serves Sunday's Super Chat)
    rates = tmp_path / "rates.csv"
    rates.write_text("date,base,quote,rate,source\n2024-12-13,USD,TWD,32.55,Bank of Taiwan\n", encoding="utf-8")
    path = CASES / "14-yt-paid-ntd-first-supporter-bumper.json"
    unknown = via_value(pm, path)
    assert (unknown["total"]["unknown"], unknown["total"]["net"]) == (1, "0.00")
    (row,) = lm.value(str(path), "USD", pm=pm, rates=rates, progress=False).to_dict()["rows"]
    # 7500 / 32.55 = 230.41474654377...; YouTube 2250 / 32.55 = 69.12442396313...; the creator the rest
    assert row["exact"] == {"gross": "230.4147465438", "shares": {"YouTube": "69.1244239631"}, "net": "161.2903225807"}
    assert (row["unknown"], row["gross"], row["shares"], row["net"]) == (0, "230.41", {"YouTube": "69.12"}, "161.29")


# --- files of the same kinds --------------------------------------------------------------------


def test_gift_purchase_headers_in_every_sourced_wording(pm):
    path = DATA / "innertube_gift_wordings.jsonl"
    counted = [(e.viewer, e.count) for e in events_of(read(innertube.READER, path))]
    assert counted == [
        ("Gifter EN", 10),  # "Sent 10 … gift memberships"
        ("Gifter EN old", 5),  # "Gifted 5 … memberships"
        ("Gifter JA", 2),  # "2 件の … のメンバーシップ ギフトを贈りました"
        ("Gifter JA new", 1),  # "【876プロ】… のメンバーシップ ギフトを 1 個贈りました": 1, not 876
        ("Gifter ZH", 20),  # "送出了 20 個「…」的會籍"; its ticker copy counts nothing
    ]
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    assert counts(found_counts) == (6, 5, 1, 0, 0, 5, 0)
    # 38 memberships × 4.99 = 189.62; YouTube × 0.30 = 56.886; creator × 0.70 = 132.734
    assert total(found_total) == (("189.62", "56.89", "132.73"), ("189.62", "56.886", "132.734"))


def test_a_viewer_writing_gifted_20_buys_nothing(pm):
    path = DATA / "innertube_viewer_text.jsonl"
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    # a text message "Gifted 20 … memberships", a milestone whose comment says "gifted 20 memberships
    # last year" and its ticker: no money; a $5.00 Super Chat whose message says "Sent 20 … gift
    # memberships" is a $5.00 Super Chat and nothing more: YouTube 1.50, creator 3.50
    assert counts(found_counts) == (4, 1, 3, 0, 0, 1, 0)
    assert total(found_total) == (("5.00", "1.50", "3.50"), ("5.00", "1.50", "3.50"))


def test_redeemed_gift_memberships_are_not_purchases(pm):
    path = DATA / "innertube_redemptions.jsonl"
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    # "Sent 2 … gift memberships": 2 × 4.99 = 9.98 (YouTube 2.994, creator 6.986); the two viewers who
    # received them ("received a gift membership by", the older "was gifted a membership by") paid nothing
    assert counts(found_counts) == (3, 1, 2, 0, 0, 1, 0)
    assert total(found_total) == (("9.98", "2.99", "6.99"), ("9.98", "2.994", "6.986"))


def test_chat_downloader_milestones_and_gifts(pm):
    path = DATA / "chat_downloader_milestones.json"
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    # 11 items: a new member (1) and "Sent 3 The Fam gift memberships" (3) are bought; the milestones
    # (27 months twice, 7 months as a ticker), their tickers (one whose message, the member's own words,
    # says "gifted 20 memberships last year"), the two ticker copies, a redemption and a text message carry
    # no money; gift_message_view_model is a kind this reader does not know
    assert counts(found_counts) == (11, 2, 8, 1, 0, 2, 0)
    assert found_counts["not_read_by_kind"] == {"gift_message_view_model": 1}
    # 4 × 4.99 = 19.96; YouTube 5.988, creator 13.972
    assert total(found_total) == (("19.96", "5.99", "13.97"), ("19.96", "5.988", "13.972"))


def test_data_api_milestones_upgrades_gifts_and_redemptions(pm):
    path = DATA / "data_api_milestones.json"
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    # bought: a new member, an upgrade (isUpgrade: a higher level bought), giftMembershipsCount 5 = 7;
    # a milestone ("gifted 20 memberships last year" in its userComment), 2 redemptions, a text: no money;
    # "SUPER_CHAT_EVENT" (streamList's enum name as protobuf's JSON printer writes it) is not read, named
    assert counts(found_counts) == (8, 3, 4, 1, 0, 3, 0)
    assert found_counts["not_read_by_kind"] == {"SUPER_CHAT_EVENT": 1}
    # 7 × 4.99 = 34.93; YouTube 10.479, creator 24.451
    assert total(found_total) == (("34.93", "10.48", "24.45"), ("34.93", "10.479", "24.451"))


def test_jewel_gift_combos_count_their_last_frame(pm):
    path = DATA / "data_api_jewel_combos.jsonl"
    found_counts, found_total = three_ways(pm, path, settings=JEWELS)
    # LCC.combo-1 comes with comboCount 1, then 3 (twice: an overlapping poll): 3 Hearts of 5 jewels;
    # LCC.other-2 (the HTML reference's shape) comboCount 2: 2 × 5 jewels. 25 jewels × 0.5 = 12.5 rubies
    # × 0.01 = 0.125 USD, shown half-even 0.12. Records: 4 items and 1 empty page = 5 outcomes; the
    # first frame counts nothing (its combo's last frame does), the repeated frame is a duplicate
    assert counts(found_counts) == (5, 3, 2, 0, 0, 2, 1)
    assert total(found_total) == (("0.12", None, "0.12"), ("0.125", None, "0.125"))


def test_replay_whose_items_share_one_id_values_every_super_chat(pm):
    shared = via_value(pm, DATA / "youtube_replay_shared_ids.json")
    separate = via_value(pm, DATA / "youtube_replay.json")
    # every id of the replay replaced by one (anonymised captures do this): the $10.00, CHF 10.00 and
    # ₹1,000.00 chat items and the CA$20.00 seen only as a ticker are four different Super Chats, all
    # valued; the $10.00 repeated by the next page is a duplicate; its ticker copy (same viewer, same time)
    # counts nothing
    assert shared["total"] == separate["total"]
    assert counts(shared["counts"]) == counts(separate["counts"]) == (13, 9, 4, 0, 0, 8, 1)
    assert shared["counts"]["id_conflicts"] == 7 and separate["counts"]["id_conflicts"] == 0
    assert shared["original_amounts"] == {
        "CAD": "20.00",
        "CHF": "10.00",
        "EUR": "2.00",
        "INR": "1000.00",
        "USD": "60.00",  # $10.00 and the $50.00 YouTube Giving donation
    }
    three_ways(pm, DATA / "youtube_replay_shared_ids.json")


def test_kinds_innertube_does_not_know_are_named(pm):
    path = DATA / "innertube_unknown_kinds.jsonl"
    found_counts, found_total = three_ways(pm, path, settings=JEWELS)
    assert counts(found_counts) == (7, 2, 2, 3, 0, 2, 0)
    assert found_counts["not_read_by_kind"] == {
        "addLiveChatTextMessageFromTemplateAction": 1,
        "liveChatPurchasedProductMessageRenderer": 1,
        "liveChatTickerCreatorGoalViewModel": 1,
    }
    # "sent Gold coin for 10 Jewels": 10 × 0.5 = 5 rubies × 0.01 = 0.05 USD; "sent Sparkles" says no
    # amount: valued unknown, out of the totals
    assert total(found_total) == (("0.05", None, "0.05"), ("0.05", None, "0.05"))
    assert found_total["unknown"] == 1


def test_kinds_pytchat_does_not_write_are_named(pm):
    path = DATA / "pytchat_unknown.jsonl"
    found_counts, found_total = three_ways(pm, path, settings=PRICE)
    # a $5.00 Super Chat and a new member ("Welcome to The Fam!") are valued; a text message carries no
    # money; a newSponsor whose text pytchat replaced by its own "Welcome New Member!" (what it writes for
    # case 10's milestone) cannot be told from a new member, and "giftPurchase" is no type pytchat writes:
    # both not read, named
    assert counts(found_counts) == (5, 2, 1, 2, 0, 2, 0)
    assert set(found_counts["not_read_by_kind"]) == {
        "giftPurchase",
        "newSponsor (pytchat lost its header: a milestone or a new member)",
    }
    # 5.00 + 4.99 = 9.99; YouTube 1.50 + 1.497 = 2.997; creator 3.50 + 3.493 = 6.993
    assert total(found_total) == (("9.99", "3.00", "6.99"), ("9.99", "2.997", "6.993"))


@pytest.mark.parametrize(
    "file_name",
    [
        "cases/07-yt-gift-purchase-ja.json",
        "cases/10-yt-membership-milestones.jsonl",
        "cases/13-ytapi-jewels-giftEventDetails.json",
        "cases/14-yt-paid-ntd-first-supporter-bumper.json",
        "innertube_gift_wordings.jsonl",
        "innertube_viewer_text.jsonl",
        "innertube_redemptions.jsonl",
        "innertube_unknown_kinds.jsonl",
        "chat_downloader_milestones.json",
        "data_api_milestones.json",
        "data_api_jewel_combos.jsonl",
        "pytchat_unknown.jsonl",
        "youtube_replay_shared_ids.json",
    ],
)
def test_the_count_line_balances(pm, file_name):
    report = lm.value(str(DATA / file_name), settings={**PRICE, **JEWELS}, pm=pm, on_error="skip")
    without, unread = sum(report.without_money.values()), sum(report.not_read.values())
    assert report.records == report.events + without + unread + report.rejected
    assert report.events == report.valued + report.duplicates
    assert "(record the reader gave no account of)" not in report.not_read
    assert report.counts_line().startswith(f"records {report.records} = events {report.events}")
