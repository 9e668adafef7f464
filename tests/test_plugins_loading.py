"""Plugins installed as distributions with an entry point in the group ``livemoney``.

Each test installs a distribution the way pip leaves it for ``importlib.metadata``: a ``dist-info``
folder with ``METADATA`` and ``entry_points.txt`` on ``sys.path``, and the package's folder on
``sys.path``. The host and the platform plugins are not touched.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from livemoney import Donation, Money
from livemoney.cli import main
from livemoney.engine.api import context, value_event
from livemoney.engine.comparison import compare
from livemoney.pluginsys.manager import default_manager, get_plugin_manager

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ("livemoney-broken", "broken", "livemoney_broken", ROOT / "tests" / "broken_plugin")
AGENCY = ("livemoney-agency", "agency", "livemoney_agency", ROOT / "examples" / "plugins" / "agency")
STARS = Donation(platform="facebook", feature="stars", amount=Money(500, "stars"))
LIVEMONEY = Path(sys.executable).parent / "livemoney"


@pytest.fixture
def install(tmp_path, monkeypatch):
    """``install(distribution)``: make it loadable through its entry point; returns the ``sys.path`` added."""
    site = tmp_path / "site"
    site.mkdir()
    added = [str(site)]
    monkeypatch.syspath_prepend(str(site))
    for variable in ("LIVEMONEY_LOAD_PLUGINS", "LIVEMONEY_DISABLE_PLUGINS"):
        monkeypatch.delenv(variable, raising=False)

    def install_(distribution):
        name, entry_point, module, folder = distribution
        info = site / f"{name.replace('-', '_')}-0.1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n")
        (info / "entry_points.txt").write_text(f"[livemoney]\n{entry_point} = {module}\n")
        monkeypatch.syspath_prepend(str(folder))
        added.insert(0, str(folder))
        return added

    yield install_
    # The cached default manager must not keep plugins that only this test installed.
    default_manager.cache_clear()


def test_a_plugin_whose_import_fails_is_recorded_and_the_others_still_work(install):
    install(BROKEN)
    pm = get_plugin_manager()
    (failure,) = pm.failures
    assert (failure.name, failure.distribution, failure.version) == ("broken", "livemoney-broken", "0.1.0")
    assert failure.error.startswith("ModuleNotFoundError: No module named 'livemoney_dependency_that_is_not_installed'")
    assert "facebook" in {plugin.name for plugin in pm.loaded}
    # 500 Stars still value as before: viewer 500 × 1.40/100 = 7.00, creator 500 × 0.01 = 5.00, Meta 2.00.
    result = value_event(STARS, context(pm=pm), pm)
    assert (result.gross, result.share("Meta"), result.net) == (
        Money("7.00", "USD"),
        Money("2.00", "USD"),
        Money("5.00", "USD"),
    )


def test_livemoney_plugins_names_the_broken_plugin_and_still_exits_0(install):
    install(BROKEN)
    pm = get_plugin_manager()
    result = CliRunner().invoke(main, ["plugins"], obj=pm)
    assert result.exit_code == 0
    assert "1 plugin(s) failed to load:" in result.stdout
    assert "plugin 'broken' (distribution livemoney-broken 0.1.0) failed to load: ModuleNotFoundError" in result.stdout
    data = json.loads(CliRunner().invoke(main, ["plugins", "--format", "json"], obj=pm).stdout)
    assert [(f["name"], f["distribution"]) for f in data["failures"]] == [("broken", "livemoney-broken")]
    assert "facebook" in [plugin["name"] for plugin in data["plugins"]]


def test_a_command_that_needs_the_broken_plugin_exits_3_naming_it(install):
    install(BROKEN)
    pm = get_plugin_manager()
    result = CliRunner().invoke(main, ["settings", "--platform", "broken"], obj=pm)
    assert result.exit_code == 3
    assert result.stderr == (
        "livemoney: error: plugin 'broken' (distribution livemoney-broken 0.1.0) failed to load: "
        "ModuleNotFoundError: No module named 'livemoney_dependency_that_is_not_installed'\n"
    )
    log = ROOT / "tests" / "broken_plugin" / "stream.jsonl"
    valued = CliRunner().invoke(main, ["value", str(log)], obj=pm)
    assert valued.exit_code == 3
    # Its event (line 2) is rejected naming the plugin, then the failure itself: one line each.
    failed = (
        "plugin 'broken' (distribution livemoney-broken 0.1.0) failed to load: "
        "ModuleNotFoundError: No module named 'livemoney_dependency_that_is_not_installed'"
    )
    assert valued.stderr.splitlines() == [f"livemoney: error: {log}:2: platform: {failed}", f"livemoney: error: {failed}"]
    # With --on-error skip the other platform's event is valued, and the command still exits 3.
    skipped = CliRunner().invoke(main, ["value", str(log), "--on-error", "skip", "--format", "json"], obj=pm)
    assert skipped.exit_code == 3
    assert [(row["platform"], row["events"]) for row in json.loads(skipped.stdout)["rows"]] == [("facebook", 1)]
    assert json.loads(skipped.stdout)["counts"]["rejected"] == 1
    check = CliRunner().invoke(main, ["plugins", "--check"], obj=pm)
    assert check.exit_code == 3 and "problem: plugin 'broken'" in check.stdout


def test_a_command_that_does_not_need_it_works_names_it_and_exits_3(install):
    # Issue 11: a plugin that failed is named with its distribution, the command goes on for the other
    # platforms, and exits 3 (it was exit 0 and a warning before).
    install(BROKEN)
    pm = get_plugin_manager()
    result = CliRunner().invoke(main, ["compare", "--format", "json"], obj=pm)
    assert result.exit_code == 3
    assert result.stderr == (
        "livemoney: error: plugin 'broken' (distribution livemoney-broken 0.1.0) failed to load: "
        "ModuleNotFoundError: No module named 'livemoney_dependency_that_is_not_installed'\n"
    )
    assert "facebook" in {row["platform"] for row in json.loads(result.stdout)["rows"]}


def test_an_installed_agency_plugin_changes_valuations_without_touching_host_or_platforms(install):
    install(AGENCY)
    pm = get_plugin_manager()
    assert "agency" in {plugin.name for plugin in pm.loaded}
    result = value_event(STARS, context(pm=pm), pm)
    # The creator's 5.00 less the agency's 0.20 × 5.00 = 1.00 leaves 4.00.
    assert result.share("Agency") == Money("1.00", "USD")
    assert result.net == Money("4.00", "USD")
    row = next(row for row in compare(100, pm=pm).rows if (row.platform.key, row.feature) == ("facebook", "stars"))
    # 100 USD buys 100 × 100/1.40 Stars, worth 71.4285714286 to the creator; agency 0.20 × that = 14.2857142857.
    assert row.valuation.share("Agency") == Money("14.2857142857", "USD")
    assert row.valuation.net == Money("57.1428571429", "USD")
    assert (row.valuation.shown().share("Agency"), row.valuation.shown().net) == (
        Money("14.29", "USD"), Money("57.14", "USD"))


@pytest.mark.parametrize(
    ("variable", "value", "agency_loaded"),
    [
        ("LIVEMONEY_DISABLE_PLUGINS", "livemoney-agency", False),
        ("LIVEMONEY_LOAD_PLUGINS", "facebook", False),
        ("LIVEMONEY_LOAD_PLUGINS", "facebook,agency", True),
        ("LIVEMONEY_LOAD_PLUGINS", "", False),
    ],
)
def test_environment_variables_choose_what_loads(install, monkeypatch, variable, value, agency_loaded):
    install(AGENCY)
    monkeypatch.setenv(variable, value)
    pm = get_plugin_manager()
    assert ("agency" in {plugin.name for plugin in pm.loaded}) is agency_loaded


def test_the_installed_script_lists_the_broken_plugin_and_applies_the_agency(install):
    install(BROKEN)
    path = install(AGENCY)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    listing = subprocess.run([str(LIVEMONEY), "plugins"], capture_output=True, text=True, env=env, check=False)
    assert listing.returncode == 0, listing.stderr
    assert "livemoney-agency" in listing.stdout
    assert "plugin 'broken' (distribution livemoney-broken 0.1.0) failed to load" in listing.stdout
    compared = subprocess.run(
        [str(LIVEMONEY), "compare", "--format", "json"], capture_output=True, text=True, env=env, check=False
    )
    assert compared.returncode == 3, compared.stderr  # the broken plugin is named, the comparison still made
    assert "livemoney: error: plugin 'broken' (distribution livemoney-broken 0.1.0) failed to load" in compared.stderr
    stars = next(
        row for row in json.loads(compared.stdout)["rows"] if (row["platform"], row["feature"]) == ("facebook", "stars")
    )
    assert {"party": "Agency", "amount": "14.29"} in [
        {"party": share["party"], "amount": share["amount"]} for share in stars["shares"]
    ]
    assert "Traceback" not in compared.stderr
