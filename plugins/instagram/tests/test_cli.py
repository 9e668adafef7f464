"""Instagram through the ``livemoney`` command: its dated rules, and a Badge of 2026 valued in euro."""

import json

from click.testing import CliRunner
from livemoney.cli import main


def run(args, pm=None):
    return CliRunner().invoke(main, args, obj=pm)


def test_settings_lists_dated_rules(pm):
    result = run(["settings", "--platform", "instagram"], pm)
    assert "  from 2025-01-01: unknown fraction (the promise ended with 2024)" in result.stdout


def test_a_badge_of_2026_is_counted_apart_and_hearts_earn_nothing(pm, tmp_path):
    ts = '"ts": "2026-10-01T20:00:00Z"'
    log = tmp_path / "stream.jsonl"
    log.write_text(
        f'{{"type": "donation", "platform": "instagram", "feature": "badge", "amount": "4.99", "currency": "USD", {ts}}}\n'
        f'{{"type": "like", "platform": "instagram", "count": 300, {ts}}}\n',
        encoding="utf-8",
    )
    result = run(["value", str(log), "--currency", "EUR", "--format", "json"], pm)
    assert result.exit_code == 0, result.output
    rows = {(row["platform"], row["kind"]): row for row in json.loads(result.stdout)["rows"]}
    # A Badge bought in 2026: Meta's share after 2024 is unknown, so it is counted apart, not summed.
    badge = rows["instagram", "donation"]
    assert badge["unknown"] == 1 and badge["net"] == "0.00"
    assert rows["instagram", "like"]["net"] == "0.00"
