"""YouTube through the ``livemoney`` command: a Super Chat and a sponsorship valued in euro.

ECB reference rate of 2026-10-01: 1 EUR = 1.1298 USD. Each exact amount is converted, kept exact, and each
shown figure rounded once to the cent: gross and net each, the shares by running totals from net.
"""

import json
from decimal import Decimal

from click.testing import CliRunner
from livemoney.cli import main


def eur(usd):
    return (Decimal(usd) / Decimal("1.1298")).quantize(Decimal("0.01"))


def test_a_super_chat_and_a_sponsorship_valued_in_euro(pm, tmp_path):
    ts = '"ts": "2026-10-01T20:00:00Z"'
    log = tmp_path / "stream.jsonl"
    log.write_text(
        f'{{"type": "donation", "platform": "youtube", "feature": "super_chat", "amount": "10.00", "currency": "USD", {ts}}}\n'
        f'{{"type": "sponsorship", "platform": "youtube", "amount": "250.00", "currency": "USD", {ts}}}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["value", str(log), "--currency", "EUR", "--format", "json"], obj=pm)
    assert result.exit_code == 0, result.output
    rows = {(row["platform"], row["kind"]): row for row in json.loads(result.stdout)["rows"]}
    # A 10.00 USD Super Chat: 10 x 0.8851124092759780492 = 8.8511240928 EUR (10 places) -> 8.85; YouTube 30%
    # = 3.00 USD = 2.6553372278 EUR -> 2.66; the creator takes the rest, 6.195786865 exact, shown 8.85 − 2.66.
    chat = rows["youtube", "donation"]
    assert (chat["gross"], chat["shares"]["YouTube"], chat["net"]) == (str(eur("10.00")), str(eur("3.00")), "6.19")
    assert chat["exact"] == {"gross": "8.8511240928", "shares": {"YouTube": "2.6553372278"}, "net": "6.195786865"}
    assert rows["youtube", "sponsorship"]["net"] == str(eur("250.00")) == "221.28"


def test_a_negative_price_is_the_users_error_naming_the_setting_never_the_plugins(pm, tmp_path):
    log = tmp_path / "members.jsonl"
    log.write_text('{"type": "donation", "platform": "youtube", "feature": "membership", "count": 3}\n', encoding="utf-8")
    for key, value, unit in [
        ("youtube.membership_price", "-4.99", "per membership"),
        ("youtube.ruby_usd", "-0.01", "USD/ruby"),
    ]:
        result = CliRunner().invoke(main, ["value", str(log), "--set", f"{key}={value}"], obj=pm)
        assert result.exit_code == 2, result.output  # refused as --set is read, as any bad --set value: not 3
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(
            f"livemoney: error: Invalid value for '--set': {key}: '{value}' must be at least 0 ({unit}) (see '"
        )
    range_ = CliRunner().invoke(main, ["value", str(log), "--set", "youtube.super_chat_range=1/-500"], obj=pm)
    assert range_.exit_code == 2 and "youtube.super_chat_range: '1/-500' must each be at least 0 (USD)" in range_.stderr
    # A price of 0 is allowed: 3 memberships of 0 USD are 0, all shares 0.
    free = CliRunner().invoke(main, ["value", str(log), "--set", "youtube.membership_price=0", "--format", "json"], obj=pm)
    assert free.exit_code == 0, free.output
    (row,) = json.loads(free.stdout)["rows"]
    assert (row["gross"], row["net"], row["unknown"]) == ("0.00", "0.00", 0)
