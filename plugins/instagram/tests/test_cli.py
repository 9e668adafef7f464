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


def test_settings_that_take_more_than_a_viewer_paid_are_the_users_error_naming_them(pm, tmp_path):
    log = tmp_path / "stream.jsonl"
    log.write_text(
        '{"type": "donation", "platform": "instagram", "feature": "badge", "amount": "0.99", "currency": "USD", '
        '"ts": "2023-10-01T20:00:00Z"}\n'
        '{"type": "gift", "platform": "instagram", "gift": "Rose", "amount": "45", "currency": "stars", '
        '"ts": "2023-10-01T20:00:00Z"}\n',
        encoding="utf-8",
    )
    # A fraction above 1 is refused as --set is read (exit 2), on one line naming it.
    rate = run(["value", str(log), "--set", "instagram.app_store_rate=1.2"], pm)
    assert rate.exit_code == 2 and rate.stderr.count("\n") == 1
    assert "instagram.app_store_rate: '1.2' must be from 0 to 1 (fraction)" in rate.stderr
    # The store's 0.30 and Meta's 0.9 of a Badge are 1.20 of it: SettingError (exit 1), naming both, not 3.
    badge = run(["value", str(log), "--set", "instagram.meta_share=0.9"], pm)
    assert (badge.exit_code, badge.stderr) == (1, (
        "livemoney: error: instagram.app_store_rate 0.30 and instagram.meta_share 0.9 take 1.20 of a Badge "
        "together: more than all of what the viewer paid (at most 1)\n"
    ))
    # 45 Stars for 0.99 USD: 0.022 USD a Star, less the store's 0.30 of it, leaves 0.0154; 0.02 is more.
    stars = run(["value", str(log), "--set", "instagram.star_usd=0.02"], pm)
    assert (stars.exit_code, stars.stderr) == (1, (
        "livemoney: error: instagram.star_usd: 0.02 USD a star is more than the creator can earn: a viewer pays "
        "0.022 USD for one (instagram.star_pack = 45/0.99), less instagram.app_store_rate 0.30 of it: 0.0154 USD\n"
    ))
    # Exactly all of it is allowed: 45 × 0.0154 = 0.693 to the creator, the store 0.297, Meta 0 of the gift.
    whole = run(["value", str(log), "--set", "instagram.star_usd=0.0154", "--format", "json"], pm)
    assert whole.exit_code == 0, whole.output
    gift = next(row for row in json.loads(whole.stdout)["rows"] if row["kind"] == "gift")
    assert gift["exact"] == {"gross": "0.99", "shares": {"App store": "0.297", "Meta": "0.00"}, "net": "0.693"}
