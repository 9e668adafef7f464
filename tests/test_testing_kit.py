"""livemoney.testing, the kit plugin authors run: the fixture and marker (in an inner pytest run, as a plugin
author's tests would use them), value_log, check_invariants and check_plugin."""

import importlib.util
from pathlib import Path

import livemoney_facebook
import pytest
from livemoney import Money, Reader, hookimpl
from livemoney.checks import plugin_problems
from livemoney.testing import check_invariants, check_plugin, plugin_manager, reader_for, value_log

pytest_plugins = ["pytester"]

STARS = '{"type": "donation", "feature": "stars", "amount": "500", "currency": "stars"}'
_spec = importlib.util.spec_from_file_location("testcast", Path(__file__).parent / "data" / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)


@pytest.fixture
def inner(pytester, monkeypatch):
    """Run a test file with the kit loaded as pytest loads it for a plugin author (and nothing else)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    def run(source):
        pytester.makepyfile(source)
        return pytester.runpytest_subprocess("-p", "livemoney.testing", "-p", "no:cacheprovider")

    return run


def test_the_fixture_gives_a_fresh_manager_with_the_marked_plugins_only(inner):
    result = inner(
        """
        import livemoney_facebook
        import pytest

        def test_every_installed_plugin(livemoney_pm):
            assert "facebook" in {name for name, _ in livemoney_pm.list_name_plugin()}

        @pytest.mark.livemoney_plugins(livemoney_facebook.PLUGIN)
        def test_only_facebook(livemoney_pm):
            assert sorted(name for name, _ in livemoney_pm.list_name_plugin()) == ["facebook", "livemoney"]

        @pytest.mark.livemoney_plugins()
        def test_fresh_each_time(livemoney_pm):
            livemoney_pm.register(livemoney_facebook.PLUGIN, name="facebook")

        @pytest.mark.livemoney_plugins()
        def test_fresh_again(livemoney_pm):
            assert livemoney_pm.get_plugin("facebook") is None
        """
    )
    result.assert_outcomes(passed=4)
    assert "PytestUnknownMarkWarning" not in result.stdout.str()


def test_value_log_fails_a_test_naming_the_rejected_line(inner):
    result = inner(
        """
        import livemoney_facebook
        from livemoney.testing import value_log

        def test_bad_line():
            bad = '{"type": "donation", "feature": "stars", "amount": "abc", "currency": "stars"}'
            value_log(livemoney_facebook.PLUGIN, ['{"type": "like", "count": 2}', bad])
        """
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['*log:2: amount: "abc" is not a decimal number*'])


def test_value_log_fails_a_test_on_a_broken_invariant(inner):
    result = inner(
        """
        import livemoney_facebook
        from livemoney import Valuation, hookimpl, valuation
        from livemoney.testing import value_log

        class Leaky:
            @hookimpl(wrapper=True)
            def livemoney_value_event(self):
                result = yield
                return Valuation(result.platform, result.kind, result.gross, result.shares, result.net, {"stars": 1.5})

        def test_a_float():
            value_log([livemoney_facebook.PLUGIN, Leaky()], ['{"type": "donation", "feature": "stars", "amount": "5", "currency": "stars"}'])
        """
    )
    result.assert_outcomes(failed=1)
    assert "Failed: log:1: <Valuation facebook donation" in result.stdout.str()
    assert "valuation.units['stars'] is a float" in result.stdout.str()


def test_value_log_values_lines_and_events_through_the_plugin_alone():
    # Starcast (made up): 500 Stars: the viewer paid 500 × 1.40/100 = 7.00; the creator earns 500 × 0.01 = 5.00;
    # Starcast keeps 2.00.
    stars, likes = value_log(testcast.starcast(), f'{STARS}\n\n{{"type": "like", "count": 3}}\n')
    assert (stars.gross, stars.share("Starcast"), stars.net) == (usd("7.00"), usd("2.00"), usd("5.00"))
    assert (likes.kind, likes.net) == ("like", usd("0.00"))
    # In euros, with the creator's rate set to 0.012 USD a Star: 6.00 USD at the latest ECB rate.
    (euros,) = value_log(
        plugin_manager(testcast.starcast()), [STARS], currency="EUR", settings={"starcast.star_usd": "0.012"}
    )
    assert euros.currency == "EUR" and check_invariants(euros, "EUR") == []


def test_value_log_needs_a_platform_when_the_plugins_describe_several(inner):
    result = inner(
        """
        import livemoney_facebook, livemoney_instagram
        from livemoney.testing import value_log

        def test_which_platform():
            value_log([livemoney_facebook.PLUGIN, livemoney_instagram.PLUGIN], ['{"type": "like", "count": 2}'])
        """
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*log:1: platform: missing (and no default platform was given)*"])


def test_check_plugin_is_the_check_of_livemoney_plugins():
    assert check_plugin(livemoney_facebook.PLUGIN) == plugin_problems(livemoney_facebook.PLUGIN) == []


def usd(amount):
    return Money(amount, "USD")


class MadeChat:
    """A made-up platform's reader of chat logs (lines starting ``{"made"``): it reads nothing."""

    @hookimpl
    def livemoney_readers(self):
        made = Reader(name="made-chat", platform="made", description="chat", read=lambda stream, name: iter(()),
                      sniff=lambda head: head.startswith(b'{"made"'))
        return [made]


def test_reader_for_is_the_reader_livemoney_value_picks(tmp_path):
    pm = plugin_manager(MadeChat())
    made, canonical = tmp_path / "made.jsonl", tmp_path / "canonical.jsonl"
    made.write_text('{"made": "hi"}\n', encoding="utf-8")
    canonical.write_text('{"type": "like", "platform": "made", "count": 2}\n', encoding="utf-8")
    assert reader_for(made, pm).name == "made-chat"
    assert reader_for(canonical, pm).name != "made-chat"  # a canonical log is the host's to read
