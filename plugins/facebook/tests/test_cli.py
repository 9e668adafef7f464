"""Facebook through the ``livemoney`` command: its row, its settings, its Stars compared and valued.

Every amount is worked out by hand: 100 Stars cost 1.40 USD and earn the creator 1.00; Meta keeps the rest.
"""

import json
from decimal import Decimal

import livemoney as lm
from click.testing import CliRunner
from livemoney.cli import main

STARS = '{"type": "donation", "platform": "facebook", "feature": "stars", "amount": "500", "currency": "stars"}'
SPONSOR = '{"type": "sponsorship", "platform": "facebook", "amount": "250", "currency": "USD", "brand": "Acme"}'


def run(args, pm=None):
    return CliRunner().invoke(main, args, obj=pm)


def write(path, *lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_platforms_as_a_table_and_as_json(pm):
    table = run(["platforms"], pm).stdout.splitlines()
    assert table[2].split() == ["Facebook", "Live", "None", "Yes", "(Stars)"]
    (data,) = json.loads(run(["platforms", "--format", "json"], pm).stdout)
    assert (data["key"], data["likes_pay"], data["gifts_donations"]) == ("facebook", False, "Yes (Stars)")
    assert data["sources"][0]["url"] == "https://creators.facebook.com/tools/stars"


def test_plugins_lists_its_distribution_version_and_hooks():
    result = run(["plugins"], lm.get_plugin_manager())
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("facebook "))
    assert line.split()[:3] == ["facebook", "livemoney-facebook", "0.1.0"]
    assert "value_donation" in line and "platform" in line


def test_settings_shows_default_unit_source_and_date(pm):
    result = run(["settings", "--platform", "facebook"], pm)
    assert result.exit_code == 0
    assert result.stdout.split("\n\n")[1] == (
        "facebook.star_usd\n"
        "  default:  0.01 USD/star\n"
        "  meaning:  what the creator earns per Star received\n"
        "  source:   Meta for Creators: Stars, n.d. (2023–) <https://creators.facebook.com/tools/stars>\n"
        "  range:    at least 0\n"
    )


def test_compare_as_json_with_exact_amounts(pm):
    result = run(["compare", "--spend", "100", "--format", "json"], pm)
    assert result.exit_code == 0
    stars = json.loads(result.stdout)["rows"][0]
    # 100 USD buys 100 × 100/1.40 Stars, worth 0.01 USD each to the creator: 71.428… → 71.43.
    assert (stars["feature"], stars["gross"], stars["net"]) == ("stars", "100.00", "71.43")
    assert stars["shares"] == [{"party": "Meta", "amount": "28.57", "exact": "28.5714285714", "source": None}]
    assert stars["exact"] == {"gross": "100.00", "net": "71.4285714286"}


def test_compare_in_another_currency_with_a_setting(pm):
    args = ["compare", "--spend", "50", "--currency", "eur", "--set", "facebook.star_usd=0.012", "--format", "markdown"]
    result = run(args, pm)
    assert result.exit_code == 0, result.output
    assert "| Facebook Live | Stars | yes | 50.00 |" in result.stdout


def test_value_prints_totals_per_kind(pm, tmp_path):
    log = write(tmp_path / "log.jsonl", STARS, SPONSOR)
    result = run(["value", str(log), "--format", "json"], pm)
    assert result.exit_code == 0, result.output
    rows = {(row["platform"], row["kind"]): row for row in json.loads(result.stdout)["rows"]}
    # 500 Stars: viewer 7.00, Meta 2.00, creator 5.00; the sponsorship: 250.00 all to the creator.
    stars = rows["facebook", "donation"]
    assert (stars["gross"], stars["shares"], stars["net"]) == ("7.00", {"Meta": "2.00"}, "5.00")
    assert (rows["facebook", "sponsorship"]["gross"], rows["facebook", "sponsorship"]["net"]) == ("250.00", "250.00")


def test_value_with_a_setting_and_a_default_platform(pm, tmp_path):
    log = write(tmp_path / "log.jsonl", '{"type": "donation", "feature": "stars", "amount": "500", "currency": "stars"}')
    args = ["value", str(log), "--platform", "facebook", "--set", "facebook.star_usd=0.012", "--format", "csv"]
    result = run(args, pm)
    assert result.exit_code == 0, result.output
    # The creator earns 500 × 0.012 = 6.00 of the 7.00; Meta 1.00.
    assert "facebook,donation,1,0,7.00,1.00,6.00,USD" in result.stdout.splitlines()


def test_500_stars_valued_in_euro(pm, tmp_path):
    ts = '"ts": "2026-10-01T20:00:00Z"'
    log = write(tmp_path / "stream.jsonl", STARS[:-1] + f", {ts}}}")
    result = run(["value", str(log), "--currency", "EUR", "--format", "json"], pm)
    assert result.exit_code == 0, result.output
    (stars,) = json.loads(result.stdout)["rows"]

    def eur(usd):  # ECB reference rate of 2026-10-01: 1 EUR = 1.1298 USD
        return (Decimal(usd) / Decimal("1.1298")).quantize(Decimal("0.01"))

    # 500 Stars: the viewer paid 7.00 USD → 6.20 EUR; the creator 5.00 USD → 4.43; Meta the rest.
    assert (stars["gross"], stars["net"]) == (str(eur("7.00")), str(eur("5.00"))) == ("6.20", "4.43")


def test_a_bad_star_setting_is_the_users_error_naming_it_never_the_plugins(pm, tmp_path):
    log = write(tmp_path / "stars.jsonl", STARS)
    # A negative figure is refused as the --set option is read: a usage error (exit 2), on one line.
    below = run(["value", str(log), "--set", "facebook.star_usd=-0.01"], pm)
    assert below.exit_code == 2
    assert below.stderr.count("\n") == 1 and below.stderr.startswith(
        "livemoney: error: Invalid value for '--set': facebook.star_usd: '-0.01' must be at least 0 (USD/star) (see '"
    )
    # 1 USD a Star is more than the 1.40 / 100 = 0.014 USD a viewer pays for one: SettingError (exit 1), not 3.
    above = run(["value", str(log), "--set", "facebook.star_usd=1"], pm)
    assert above.exit_code == 1
    assert above.stderr == (
        "livemoney: error: facebook.star_usd: 1 USD a star is more than the creator can earn: "
        "a viewer pays 0.014 USD for one (facebook.star_pack = 100/1.40)\n"
    )
    # All of it is allowed: 500 Stars × 0.014 = 7.00 to the creator, Meta keeps 0.
    whole = run(["value", str(log), "--set", "facebook.star_usd=0.014", "--format", "json"], pm)
    assert whole.exit_code == 0
    (row,) = json.loads(whole.stdout)["rows"]
    assert (row["gross"], row["shares"], row["net"]) == ("7.00", {"Meta": "0.00"}, "7.00")
