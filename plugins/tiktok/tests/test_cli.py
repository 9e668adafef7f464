"""TikTok through the ``livemoney`` command: a connector log converted, gifts and a Shop sale valued in euro.

ECB reference rate of 2026-10-01: 1 EUR = 1.1298 USD. Each exact amount is converted, kept exact, and each
shown figure rounded once to the cent.
"""

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from livemoney.cli import main


def run(args, pm=None):
    return CliRunner().invoke(main, args, obj=pm)


def write(path, *lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def eur(usd):
    return (Decimal(usd) / Decimal("1.1298")).quantize(Decimal("0.01"))


def test_convert_counts_records_without_money_and_kinds_it_does_not_read(pm, tmp_path):
    log = write(
        tmp_path / "connector.jsonl",
        '{"event": "chat", "data": {"comment": "hi", "uniqueId": "a", "msgId": "1"}}',
        '{"event": "gift", "data": {"giftId": 5655, "giftName": "Rose", "diamondCount": 1, "giftType": 2, '
        '"repeatCount": 1, "uniqueId": "a", "msgId": "2"}}',
        '{"event": "treasureHunt", "data": {"uniqueId": "a", "msgId": "3"}}',
    )
    out = tmp_path / "canonical.jsonl"
    result = run(["convert", str(log), "--to", "jsonl", "-o", str(out)], pm)
    assert result.exit_code == 0, result.output
    # the chat carries no money, the gift is converted, a kind this version does not know is named
    assert result.stderr == (
        "not read: treasureHunt: 1 record, not read by this version\n"
        "records 3 = events 1 + without money 1 + not read 1 + rejected 0; events 1 = written 1 + duplicates 0\n"
    )
    assert [json.loads(line)["gift"] for line in out.read_text().splitlines()] == ["Rose"]


def test_roses_and_a_shop_sale_valued_in_euro(pm, tmp_path):
    ts = '"ts": "2026-10-01T20:00:00Z"'
    log = write(
        tmp_path / "stream.jsonl",
        f'{{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 5, {ts}}}',
        f'{{"type": "sale", "platform": "tiktok", "amount": "25.00", "currency": "USD", {ts}}}',
    )
    result = run(["value", str(log), "--currency", "EUR", "--format", "json"], pm)
    assert result.exit_code == 0, result.output
    rows = {(row["platform"], row["kind"]): row for row in json.loads(result.stdout)["rows"]}
    # 5 Roses = 5 coins: paid 5 × 0.99/70 USD → 0.06 EUR; app store 30% → 0.02; creator 5 × 0.005 USD → 0.02.
    gift = rows["tiktok", "gift"]
    assert (gift["gross"], gift["net"]) == (str(eur(Decimal(5) * Decimal("0.99") / 70)), str(eur("0.025")))
    assert (gift["gross"], gift["shares"]["App store"], gift["net"]) == ("0.06", "0.02", "0.02")
    # A 25.00 USD Shop sale: 22.13 EUR; TikTok Shop 6% = 1.50 USD → 1.33; the creator 22.13 − 1.33.
    sale = rows["tiktok", "sale"]
    assert (sale["gross"], sale["shares"]["TikTok Shop"], sale["net"]) == ("22.13", "1.33", "20.80")


def test_two_captures_of_one_stream_convert_to_what_value_reads_of_them(pm, tmp_path):
    """Cases 01 and 02 are the same connector records (a Rose streak ending at 2, 2 coins, records without an
    exact id), the second logged with a time before each line. Valued together the streak counts once; the
    canonical log convert writes of both must value to the same (it held the streak twice: 0.06 USD)."""
    cases = Path(__file__).parent / "data" / "cases"
    logs = [str(cases / "01-tlc09-gift-by-id-only.jsonl"), str(cases / "02-tlc09-timestamp-prefixed-log.log")]
    direct = json.loads(run(["value", *logs, "--format", "json"], pm).stdout)
    out = tmp_path / "both.jsonl"
    converted = run(["convert", *logs, "--to", "jsonl", "-o", str(out)], pm)
    assert converted.exit_code == 0, converted.output
    assert len(out.read_text().splitlines()) == 1  # one Rose streak of 2
    again = json.loads(run(["value", str(out), "--format", "json"], pm).stdout)
    # the creator earns 2 diamonds x 0.005 USD = 0.01, as valued directly
    assert again["total"] == direct["total"]
    assert direct["total"]["net"] == "0.01" and again["counts"]["valued"] == 1
