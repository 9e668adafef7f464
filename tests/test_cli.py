"""The ``livemoney`` command, through click's runner and through the installed script."""

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from livemoney import Donation, Gift, Like, Money, Platform, Sponsorship, hookimpl
from livemoney.cli import main
from livemoney.core.canonical import canonical_dict, canonical_line
from livemoney.engine.api import platforms
from livemoney.engine.readers import read_events
from livemoney.pluginsys.manager import get_plugin_manager

LIVEMONEY = Path(sys.executable).parent / "livemoney"
_spec = importlib.util.spec_from_file_location("testcast", Path(__file__).parent / "data" / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
SEED_TABLE = """\
| Platform | Revenue from Likes | Revenue from Gifts/Donations |
|---|---|---|
| TikTok | None | Yes |
| YouTube Live | None | Yes (Super Chats) |
| Instagram Live | None | Limited (Badges) |
| Facebook Live | None | Yes (Stars) |
"""


@pytest.fixture
def starcast():
    """A manager with the host and the made-up Starcast only (tests/data/testcast.py: 100 Stars cost 1.40 USD,
    the creator earns 0.01 USD a Star, Starcast keeps the rest), so that the figures are Starcast's."""
    pm = get_plugin_manager(load_entry_points_=False)
    pm.register(testcast.starcast(), name="starcast")
    return pm


def run(args, pm=None):
    return CliRunner().invoke(main, args, obj=pm)


def write(path, *lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


# --- platforms, plugins, settings ------------------------------------------------------------


def check_seed_table(markdown, names=None):
    """The seed table, whichever plugins are installed: its header, its four rows in its order, and a row
    for each installed platform (a fifth platform's among them), named and ordered as `platforms` gives them
    (``names``: those names instead)."""
    lines, seed = markdown.splitlines(), SEED_TABLE.splitlines()
    assert lines[:2] == seed[:2]
    assert [line for line in lines[2:] if line in seed[2:]] == seed[2:]
    if names is None:
        names = [platform.name for platform in platforms(get_plugin_manager())]
    assert [line.split(" | ")[0].removeprefix("| ") for line in lines[2:]] == names


def test_platforms_reproduces_the_seed_table():
    for name in ("tiktok", "youtube", "instagram"):
        pytest.importorskip(f"livemoney_{name}")
    result = run(["platforms", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    check_seed_table(result.stdout)


def test_the_seed_table_check_takes_a_fifth_platform_and_nothing_else():
    four = ["TikTok", "YouTube Live", "Instagram Live", "Facebook Live"]
    twitch = "| Twitch | None | Yes (Bits) |\n"
    check_seed_table(SEED_TABLE, four)
    check_seed_table(SEED_TABLE + twitch, [*four, "Twitch"])
    for markdown, names in [
        (SEED_TABLE + twitch, four),  # a row no installed plugin describes
        (SEED_TABLE, [*four, "Twitch"]),  # an installed platform without its row
        (SEED_TABLE.replace("Limited (Badges)", "Yes") + twitch, [*four, "Twitch"]),  # a seed row changed
        (SEED_TABLE.replace("|---|---|---|", "|---|---|"), four),  # the header changed
    ]:
        with pytest.raises(AssertionError):
            check_seed_table(markdown, names)


def test_platforms_as_a_table_and_as_json(starcast):
    table = run(["platforms"], starcast).stdout.splitlines()
    assert table[0].split("  ")[0] == "Platform"
    assert table[2].split() == ["Starcast", "None", "Yes", "(Stars)"]
    (data,) = json.loads(run(["platforms", "--format", "json"], starcast).stdout)
    assert (data["key"], data["likes_pay"], data["gifts_donations"]) == ("starcast", False, "Yes (Stars)")
    assert (data["sources"][0]["title"], data["sources"][0]["as_of"]) == (testcast.STAR_PAGE.title, "2026-10-01")


def test_plugins_lists_distribution_version_and_hooks(starcast):
    result = run(["plugins"], get_plugin_manager())
    assert result.exit_code == 0
    # every installed plugin is listed with its distribution and version (a platform's own tests say which)
    assert all(len(line.split()) > 3 for line in result.stdout.splitlines()[2:])
    line = next(line for line in run(["plugins"], starcast).stdout.splitlines() if line.startswith("starcast "))
    assert line.split()[:3] == ["starcast", "-", "-"]  # registered by hand: no distribution
    assert "value_donation" in line and "platform" in line
    data = json.loads(run(["plugins", "--format", "json"], starcast).stdout)
    host, plugin = data["plugins"]
    assert host["name"] == "livemoney" and host["distribution"] == "livemoney"
    assert {"livemoney_value_event", "livemoney_value_sponsorship"} <= set(host["hooks"])
    assert plugin["name"] == "starcast" and "livemoney_donation_features" in plugin["hooks"]
    assert data["failures"] == []


class NoSettings:
    """A platform plugin that values donations but declares no settings and no sources."""

    @hookimpl
    def livemoney_platform(self):
        return Platform("nosettings", "No Settings Live", (), False, "Yes", ())

    @hookimpl
    def livemoney_value_donation(self, platform, donation, context):
        return None


class NoPlatform:
    """Values gifts but never says which platform it knows."""

    @hookimpl
    def livemoney_value_gift(self, platform, gift, context):
        return None


def test_plugins_check_names_each_problem_and_exits_1(starcast):
    assert run(["plugins", "--check"], starcast).exit_code == 0
    starcast.register(NoSettings(), name="nosettings")
    starcast.register(NoPlatform(), name="noplatform")
    result = run(["plugins", "--check"], starcast)
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("problem: ")]
    # The checks themselves are livemoney.checks' (tested there); the command prints each, naming its plugin.
    assert "problem: plugin 'nosettings': platform nosettings cites no source" in problems
    assert "problem: plugin 'noplatform': a platform plugin must describe its platform" in " ".join(problems)
    assert all(line.startswith(("problem: plugin 'nosettings'", "problem: plugin 'noplatform'")) for line in problems)
    data = json.loads(run(["plugins", "--check", "--format", "json"], starcast).stdout)
    assert data["problems"] == [line.removeprefix("problem: ") for line in problems]


def test_settings_shows_default_unit_source_and_date(starcast):
    result = run(["settings", "--platform", "starcast"], starcast)
    assert result.exit_code == 0
    assert result.stdout.split("\n\n")[1] == (
        "starcast.star_usd\n"
        "  default:  0.01 USD/star\n"
        "  meaning:  what the creator earns per Star\n"
        "  source:   made up for the tests: 100 Stars = 1.40 USD, 0.01 USD a Star to the creator, 2026-10-01\n"
    )


# --- compare -----------------------------------------------------------------------------------


def test_compare_as_json_with_exact_amounts(starcast):
    result = run(["compare", "--spend", "100", "--format", "json"], starcast)
    assert result.exit_code == 0
    stars = json.loads(result.stdout)["rows"][0]
    # 100 USD buys 100 × 100/1.40 Stars, worth 0.01 USD each to the creator: 71.428… → 71.43.
    assert (stars["feature"], stars["gross"], stars["net"]) == ("stars", "100.00", "71.43")
    assert stars["shares"] == [{"party": "Starcast", "amount": "28.57", "exact": "28.5714285714", "source": None}]
    assert stars["exact"] == {"gross": "100.00", "net": "71.4285714286"}


def test_compare_in_another_currency_with_a_setting(starcast):
    result = run(
        ["compare", "--spend", "50", "--currency", "eur", "--set", "starcast.star_usd=0.012", "--format", "markdown"],
        starcast,
    )
    assert result.exit_code == 0, result.output
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert result.stdout.startswith(f"What the creator keeps of 50 EUR spent by a viewer (rules as of {today})")
    assert "| Starcast | Stars | yes | 50.00 |" in result.stdout


def test_compare_defaults_to_100_usd_on_todays_rules_and_says_the_date(starcast):
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert (
        f"What the creator keeps of 100 USD spent by a viewer (rules as of {today})"
        in run(["compare"], starcast).stdout
    )
    shown = json.loads(run(["compare", "--format", "json"], starcast).stdout)
    assert shown["as_of"] == today
    dated = run(["compare", "--as-of", "2026-10-01"], starcast).stdout
    assert dated.startswith("What the creator keeps of 100 USD spent by a viewer (rules as of 2026-10-01)")


# --- value and demo ------------------------------------------------------------------------------

STARS = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "500", "currency": "stars"}'
SPONSOR = '{"type": "sponsorship", "platform": "starcast", "amount": "250", "currency": "USD", "brand": "Acme"}'
BAD = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "abc", "currency": "stars"}'


def test_value_prints_totals_per_platform_and_kind(starcast, tmp_path):
    log = write(tmp_path / "log.jsonl", STARS, SPONSOR)
    result = run(["value", str(log), "--format", "json"], starcast)
    assert result.exit_code == 0, result.output
    # Standard output is the JSON alone; what the table format prints after the table goes to stderr.
    assert result.stderr.splitlines() == [
        "amounts the records carried: 250.00 USD, 500 stars",
        # these lines have no ts: said, with how they were valued
        (
            "no time: 2 event(s) carry no time, valued with the current rules and the latest exchange rate "
            "(--as-of DATE sets the date); in no minute"
        ),
        "records 2 = events 2 + without money 0 + rejected 0; events 2 = valued 2 + duplicates 0",
    ]
    rows = {(row["platform"], row["kind"]): row for row in json.loads(result.stdout)["rows"]}
    # 500 Stars: viewer 7.00, Starcast 2.00, creator 5.00; the sponsorship: 250.00 all to the creator.
    stars = rows["starcast", "donation"]
    assert (stars["gross"], stars["shares"], stars["net"]) == ("7.00", {"Starcast": "2.00"}, "5.00")
    assert (rows["starcast", "sponsorship"]["gross"], rows["starcast", "sponsorship"]["net"]) == ("250.00", "250.00")
    table = run(["value", str(log)], starcast)
    counts = "records 2 = events 2 + without money 0 + rejected 0; events 2 = valued 2 + duplicates 0"
    assert table.stdout.rstrip().endswith(counts) and table.stderr == ""


def test_value_with_settings_currency_and_a_default_platform(starcast, tmp_path):
    log = write(
        tmp_path / "log.jsonl", '{"type": "donation", "feature": "stars", "amount": "500", "currency": "stars"}'
    )
    args = ["value", str(log), "--platform", "starcast", "--set", "starcast.star_usd=0.012", "--format", "csv"]
    result = run(args, starcast)
    assert result.exit_code == 0, result.output
    # The creator earns 500 × 0.012 = 6.00 of the 7.00; Starcast 1.00.
    assert "starcast,donation,1,0,7.00,1.00,6.00,USD" in result.stdout.splitlines()


def test_value_stops_at_the_first_bad_line_naming_file_line_and_field(starcast, tmp_path):
    log = write(tmp_path / "log.jsonl", STARS, BAD)
    result = run(["value", str(log)], starcast)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f'livemoney: error: {log}:2: amount: "abc" is not a decimal number'
        " (--on-error skip counts such records as rejected and goes on; --rejects FILE keeps them verbatim)\n"
    )


def test_value_can_skip_bad_lines_and_keep_them(starcast, tmp_path):
    log = write(tmp_path / "log.jsonl", STARS, BAD, SPONSOR)
    rejects = tmp_path / "rejects.jsonl"
    result = run(["value", str(log), "--on-error", "skip", "--rejects", str(rejects), "--format", "json"], starcast)
    assert result.exit_code == 0, result.output
    # The notes go to stderr with the counts: the rejected line named, and where it is kept verbatim.
    *notes, counts = result.stderr.splitlines()
    assert counts == "records 3 = events 2 + without money 0 + rejected 1; events 2 = valued 2 + duplicates 0"
    assert f"rejected 1: {log}:2: amount: " in notes[-1] and notes[-1].endswith(f"each one verbatim in {rejects}")
    (kept,) = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert (kept["line"], kept["field"], kept["raw"]) == (2, "amount", BAD)
    # the table names what was rejected and why, even without --rejects
    table = run(["value", str(log), "--on-error", "skip"], starcast)
    assert table.exit_code == 0, table.output
    assert f'rejected 1: {log}:2: amount: "abc" is not a decimal number; --rejects FILE keeps each one verbatim' in (
        table.stdout
    )
    # with --rejects, it says where they are (it told the user to give the option they had given)
    table = run(["value", str(log), "--on-error", "skip", "--rejects", str(rejects)], starcast)
    assert f"is not a decimal number; each one verbatim in {rejects}" in table.stdout


def test_value_of_a_file_no_reader_recognises_is_invalid_input(starcast, tmp_path):
    log = write(tmp_path / "notes.txt", "hello")
    result = run(["value", str(log)], starcast)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"livemoney: error: {log}: no reader recognises this file")


def test_value_writes_the_ledger(starcast, tmp_path):
    log = write(tmp_path / "log.jsonl", STARS)
    ledger = tmp_path / "ledger.sqlite"
    assert run(["value", str(log), "--ledger", str(ledger)], starcast).exit_code == 0
    assert ledger.stat().st_size > 0


def test_demo_compares_and_values_the_bundled_sample():
    result = run(["demo"])
    assert result.exit_code == 0, result.output
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert result.stdout.startswith(f"What the creator keeps of 100 USD spent by a viewer (rules as of {today})")
    assert "The bundled sample stream (sample-stream.jsonl), valued in USD:" in result.stdout
    assert "rejected 0" in result.stdout


# --- convert -----------------------------------------------------------------------------------


def test_canonical_dict_writes_amounts_as_strings_and_times_in_utc():
    import datetime as dt

    gift = Gift(
        platform="tiktok",
        gift="Rose",
        count=5,
        viewer="v1",
        ts=dt.datetime(2026, 11, 1, 21, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    )
    assert canonical_line(gift) == (
        '{"type": "gift", "platform": "tiktok", "gift": "Rose", "count": 5, '
        '"viewer": "v1", "ts": "2026-11-01T20:00:05Z"}'
    )
    assert canonical_dict(Sponsorship(platform="youtube", amount=Money(Decimal("1E+2"), "USD"), brand="Acme")) == {
        "type": "sponsorship",
        "platform": "youtube",
        "amount": "100",
        "currency": "USD",
        "brand": "Acme",
    }
    assert canonical_dict(Donation(platform="starcast", feature="stars", amount=Money(500, "stars"))) == {
        "type": "donation",
        "platform": "starcast",
        "feature": "stars",
        "amount": "500",
        "currency": "stars",
    }
    assert canonical_dict(Like(platform="starcast", count=1)) == {"type": "like", "platform": "starcast"}


def test_convert_writes_the_canonical_log_and_reports_rejected_lines(starcast, tmp_path):
    log = write(
        tmp_path / "log.jsonl",
        '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": 500, "currency": "stars",'
        ' "ts": "2026-11-01T21:00:05+01:00", "extra": "kept out"}',
        '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "abc", "currency": "stars"}',
        "",
        '{"type": "like", "platform": "starcast", "count": 120}',
    )
    out = tmp_path / "out.jsonl"
    result = run(["convert", str(log), "--to", "jsonl", "-o", str(out)], starcast)
    assert result.exit_code == 1
    assert result.stderr == (
        f'{log}:2: amount: "abc" is not a decimal number\n'
        "records 3 = events 2 + without money 0 + rejected 1; events 2 = written 2 + duplicates 0\n"
    )
    assert out.read_text().splitlines() == [
        (
            '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "500", "currency": "stars", '
            '"ts": "2026-11-01T20:00:05Z"}'
        ),
        '{"type": "like", "platform": "starcast", "count": 120}',
    ]
    again = run(["convert", str(out), "--to", "jsonl"], starcast)
    assert again.exit_code == 0 and again.stdout == out.read_text()


def test_convert_leaves_duplicates_out_and_counts_them_as_value_does(starcast, tmp_path):
    tip = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "500", "currency": "stars", '
    first = write(tmp_path / "a.jsonl", tip + '"id": "m1"}', tip + '"id": "m2"}')
    replay = write(tmp_path / "b.jsonl", tip + '"id": "m2"}', tip + '"id": "m3"}')
    result = run(["convert", str(first), str(replay), "--to", "jsonl"], starcast)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["m1", "m2", "m3"]
    assert result.stderr == "records 4 = events 4 + without money 0 + rejected 0; events 4 = written 3 + duplicates 1\n"
    valued = run(["value", str(first), str(replay)], starcast)
    assert "records 4 = events 4 + without money 0 + rejected 0; events 4 = valued 3 + duplicates 1" in valued.stdout
    # The same id with another amount is an id conflict, not a repeat: written, as value values it.
    other = write(tmp_path / "c.jsonl", tip.replace('"500"', '"600"') + '"id": "m1"}')
    result = run(["convert", str(first), str(other), "--to", "jsonl"], starcast)
    assert [json.loads(line)["amount"] for line in result.stdout.splitlines()] == ["500", "500", "600"]
    assert result.stderr.endswith("events 3 = written 3 + duplicates 0\n")


def test_convert_of_several_files_warns_of_events_without_an_id_as_value_does(starcast, tmp_path):
    # A new user's trial: `convert A copy-of-A` of a format without ids wrote every event twice and said nothing,
    # and the one file it wrote then valued twice the money in silence too.
    tip = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "500", "currency": "stars"'
    log = write(tmp_path / "a.jsonl", tip + "}", tip + ', "id": "m1"}', tip + ', "id": ""}')
    copy = write(tmp_path / "b.jsonl", log.read_text().rstrip("\n"))
    alone = run(["convert", str(log), "--to", "jsonl"], starcast)
    assert alone.exit_code == 0 and "carry no id" not in alone.stderr  # one file: nothing to warn of
    both = run(["convert", str(log), str(copy), "--to", "jsonl"], starcast)
    assert both.exit_code == 0, both.output
    # the two tips without an id (none, and an empty one) in each file: 4 written; m1 once
    assert both.stderr == (
        "warning: 4 event(s) carry no id (their format gives none): duplicates are told by id, so one such event "
        "found in two of the 2 files is written twice; give each stream's capture once\n"
        "records 6 = events 6 + without money 0 + rejected 0; events 6 = written 5 + duplicates 1\n"
    )
    valued = run(["value", str(log), str(copy)], starcast)
    assert "warning: 4 event(s) carry no id" in valued.stdout and "valued 5 + duplicates 1" in valued.stdout


def test_convert_shows_no_control_or_right_to_left_character_and_writes_the_same_events(starcast, tmp_path):
    """Issue 11: a viewer named with a right-to-left override (U+202E) and a type with an escape sequence: the
    message of the rejected line and the converted line show them as \\u escapes, and the line reads back as
    the same event (the same viewer, the override included)."""
    log = write(
        tmp_path / "log.jsonl",
        '{"type": "like", "platform": "starcast", "count": 2, "viewer": "\u202eevil\u0085"}',
        '{"type": "like\\u001b[2J", "platform": "starcast"}',
    )
    out = tmp_path / "out.jsonl"
    result = run(["convert", str(log), "--to", "jsonl"], starcast)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f'{log}:2: type: unknown type "like\\u001b[2J" ' + (
        "(known: donation, gift, like, sale, sponsorship)"
    )
    assert result.stdout == '{"type": "like", "platform": "starcast", "count": 2, "viewer": "\\u202eevil\\u0085"}\n'
    out.write_text(result.stdout, encoding="utf-8")
    (like,) = read_events(out, pm=starcast)
    assert like.viewer == "\u202eevil\u0085"


# --- new-plugin --------------------------------------------------------------------------------


def test_new_plugin_creates_a_plugin_from_the_template(tmp_path):
    folder = tmp_path / "livemoney-kick"
    result = run(["new-plugin", "kick", "--title", "Kick", "--directory", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"created {folder} (platform kick); next: cd {folder} && python -m pytest\n"
    assert 'kick = "livemoney_kick:PLUGIN"' in (folder / "pyproject.toml").read_text()
    again = run(["new-plugin", "kick", "--directory", str(folder)])
    assert again.exit_code == 1
    assert again.stderr == f"livemoney: error: {folder} already exists and is not an empty folder\n"


# --- bad input: one line on stderr, exit 1 or 2, never a traceback -------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["compare", "--spend", "abc"], 2, "Invalid value for '--spend': 'abc' is not a decimal number"),
        (["compare", "--spend", "-5"], 2, "Invalid value for '--spend': '-5' must be between 0 and 1,000,000,000,000"),
        (["compare", "--currency", "XYZ"], 2, "Invalid value for '--currency': 'XYZ' is not an ISO-4217"),
        (["compare", "--currency", "EURO"], 2, "'EURO' is not an ISO-4217 currency code (any code is a report"),
        (["compare", "--set", "starcast.nope=1"], 2, "Invalid value for '--set': unknown setting 'starcast.nope'"),
        (["compare", "--set", "starcast.star_usd=lots"], 2, "'lots' is not valid"),
        (["compare", "--set", "novalue"], 2, "'novalue': expected KEY=VALUE"),
        (["compare", "--as-of", "2026-13-01"], 2, "Invalid value for '--as-of': '2026-13-01' is not a date"),
        (["compare", "--channel", "tv"], 2, "Invalid value for '--channel'"),
        (["compare", "--format", "html"], 2, "Invalid value for '--format'"),
        (["settings", "--platform", "myspace"], 2, "unknown platform 'myspace'; known platforms: starcast"),
        (["value", "missing.jsonl"], 2, "'missing.jsonl' does not exist"),
        (["convert", "missing.jsonl", "--to", "jsonl"], 2, "'missing.jsonl' does not exist"),
        (["frobnicate"], 2, "No such command 'frobnicate'"),
        (["new-plugin", "Bad-Name"], 1, "'Bad-Name' is not a platform key"),
        (["compare", "--as-of", "1990-01-01", "--currency", "EUR"], 1, "no ECB reference rate"),
    ],
)
def test_bad_input_is_one_clear_line_and_an_exit_code(starcast, args, code, message):
    result = run(args, starcast)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("livemoney: error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_input_format_is_a_usage_error(starcast, tmp_path):
    log = write(tmp_path / "log.jsonl", '{"type": "like", "platform": "starcast", "count": 1}')
    result = run(["convert", str(log), "--to", "jsonl", "--input-format", "csv"], starcast)
    assert result.exit_code == 2
    assert result.stderr.startswith("livemoney: error: Invalid value for '--input-format': unknown input format 'csv'")


def test_every_command_and_option_has_help():
    for name, command in main.commands.items():
        assert command.help, name
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts}"


def test_livemoney_alone_shows_its_help_not_an_error(starcast):
    # a new user's trial: `livemoney` alone printed "livemoney: error: Usage: ..." and exited 2
    result = run([], starcast)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: ") and "[OPTIONS] COMMAND [ARGS]..." in result.stdout
    assert "Commands:" in result.stdout


# --- the installed script ------------------------------------------------------------------------


def test_the_installed_script_prints_the_seed_table():
    for name in ("tiktok", "youtube", "instagram"):
        pytest.importorskip(f"livemoney_{name}")
    done = subprocess.run(
        [str(LIVEMONEY), "platforms", "--format", "markdown"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    check_seed_table(done.stdout)


def test_the_installed_script_reports_bad_input_in_one_line():
    done = subprocess.run([str(LIVEMONEY), "compare", "--spend", "abc"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == (
        "livemoney: error: Invalid value for '--spend': 'abc' is not a decimal number "
        "(see 'livemoney compare --help')\n"
    )


# --- bad input found by trying it as a user ----------------------------------------------------

STARS_LINE = '{"type": "donation", "platform": "starcast", "feature": "stars", "amount": "500", "currency": "stars"}'


def test_a_ledger_of_another_currency_is_one_line_and_exit_1(tmp_path, starcast):
    log = write(tmp_path / "stream.jsonl", STARS_LINE)
    ledger = tmp_path / "ledger.sqlite"
    assert run(["value", str(log), "--ledger", str(ledger)], starcast).exit_code == 0
    result = run(["value", str(log), "--ledger", str(ledger), "--currency", "EUR"], starcast)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        f"livemoney: error: {ledger}: the ledger holds valuations with currency 'USD', not 'EUR'; use another ledger file"
    ]
    not_a_ledger = write(tmp_path / "notes.db", "just text")
    result = run(["value", str(log), "--ledger", str(not_a_ledger)], starcast)
    assert result.exit_code == 1 and result.stderr.startswith("livemoney: error: ")


@pytest.mark.parametrize("spend", ["1e25", "-5"])
def test_a_spend_out_of_range_is_a_usage_error(spend):
    result = run(["compare", "--spend", spend])
    assert result.exit_code == 2 and "must be between 0 and 1,000,000,000,000" in result.stderr


def test_a_tiny_amount_is_valued_not_taken_for_a_plugin_failure(tmp_path, starcast):
    # 1e-30 USD: 70% of it rounds to 0.00; nothing fails.
    log = write(
        tmp_path / "tiny.jsonl", '{"type": "sponsorship", "platform": "starcast", "amount": "1e-30", "currency": "USD"}'
    )
    result = run(["value", str(log), "--format", "json"], starcast)
    assert result.exit_code == 0, result.output


def test_rejects_without_skip_is_a_usage_error(tmp_path, starcast):
    log = write(tmp_path / "stream.jsonl", STARS_LINE)
    result = run(["value", str(log), "--rejects", str(tmp_path / "r.jsonl")], starcast)
    assert result.exit_code == 2 and "--rejects goes with --on-error skip" in result.stderr
    assert not (tmp_path / "r.jsonl").exists()


def test_a_dash_is_standard_input_piped_or_redirected():
    """``livemoney value -`` reads standard input once (a pipe) or as a file (a redirect), as a path would be."""
    import livemoney as lm

    sample = lm.sample_path()
    by_path = subprocess.run([str(LIVEMONEY), "value", str(sample)], capture_output=True, text=True, check=False)
    last = by_path.stdout.splitlines()[-1]
    assert by_path.returncode == 0 and last.startswith("records 2000 = events 2000")
    data = sample.read_bytes()
    piped = subprocess.run([str(LIVEMONEY), "value", "-"], input=data, capture_output=True, check=False)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode().splitlines()[-1] == last
    with open(sample, "rb") as stdin:
        redirected = subprocess.run([str(LIVEMONEY), "value", "-"], stdin=stdin, capture_output=True, check=False)
    assert redirected.stdout.decode() == by_path.stdout


def test_an_output_that_is_a_log_being_read_is_refused_and_the_log_kept(starcast, tmp_path):
    """--rejects (or analyze --export) naming the log being read erased the capture before it was read."""
    log = write(tmp_path / "cap.jsonl", STARS, BAD)
    before = log.read_bytes()
    done = run(["value", str(log), "--on-error", "skip", "--rejects", str(log)], starcast)
    assert done.exit_code == 2 and "--rejects" in done.stderr and "a log being read" in done.stderr
    assert log.read_bytes() == before
    capture = write(tmp_path / "cap.json", STARS)  # a capture whose name ends as an export's may
    done = run(["analyze", str(capture), "--export", str(tmp_path / "." / "cap.json")], starcast)
    assert done.exit_code == 2 and "--export" in done.stderr and "a log being read" in done.stderr
    assert capture.read_text(encoding="utf-8") == STARS + "\n"
