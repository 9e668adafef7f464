"""The dashboards in a real browser: Voilà serves the notebooks, Debian's chromium shows them at a laptop's
1366x768, and a person types into the controls, invalid values first, then valid ones.

Each test checks that while a control is invalid its problem shows beside it and the figures are greyed
(``lm-stale``), and that once every control is valid the page shows the figures of the current controls,
worked out here (by hand, or by ``livemoney`` in this process for a whole log). Each leaves a screenshot of
its dashboard at 1366 pixels wide in test-output/browser/, and checks that no table of the dashboard hides a
column (each fits its box: nothing to scroll to).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FIRST_RENDER_MS = 90_000  # a kernel starts and runs the notebook before the widgets show
UPDATE_MS = 20_000
CENT = Decimal("0.01")
SAMPLE = Path(__file__).resolve().parents[2] / "sdk" / "livemoney" / "data" / "sample-stream.jsonl"


def cents(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_EVEN):f}"


def commit(locator: object, text: str) -> None:
    """Type ``text`` into a text box and send it (the boxes send their value on Enter)."""
    locator.fill(text)
    locator.press("Enter")


def hidden_columns(dashboard: object) -> list[object]:
    """The tables of ``dashboard`` wider than their box (a column to scroll to)."""
    widths = dashboard.evaluate(
        """element => [...element.querySelectorAll('.lm-scroll')]
            .filter(box => box.offsetParent !== null)
            .map(box => [box.querySelector('table').className, box.scrollWidth, box.clientWidth])"""
    )
    return [found for found in widths if found[1] > found[2] + 1]


def screenshot(page: object, dashboard: object, path: Path) -> None:
    """The whole dashboard at the page's width (1366): the view is made as tall as the dashboard first,
    since Voilà paints only what is in view."""
    height = dashboard.evaluate("element => element.getBoundingClientRect().bottom + window.scrollY")
    page.set_viewport_size({"width": 1366, "height": int(height) + 40})
    dashboard.scroll_into_view_if_needed()
    dashboard.screenshot(path=str(path))
    page.set_viewport_size({"width": 1366, "height": 768})


def test_compare_dashboard_invalid_then_valid(compare_url, page, output_dir):
    import livemoney as lm
    from playwright.sync_api import expect

    dashboard = page.locator(".lm-compare-dashboard")
    figures = dashboard.locator(".lm-figures")

    def net(platform: str, feature: str):
        return dashboard.locator(f'.lm-table tr[data-platform="{platform}"][data-feature="{feature}"] td.lm-net')

    page.goto(compare_url, wait_until="domcontentloaded")
    # the notebook leaves the spend at 100 USD: a Super Chat leaves the creator 100 × 0.70
    expect(net("youtube", "super_chat")).to_have_text(cents(Decimal(100) * Decimal("0.70")), timeout=FIRST_RENDER_MS)
    shown = dashboard.locator(".lm-comparison tbody tr").evaluate_all("rows => rows.map(r => r.dataset.platform)")
    installed = {platform.key for platform in lm.platforms()}
    assert set(shown) == installed
    expect(dashboard.locator(".lm-platforms tbody tr")).to_have_count(len(installed))
    # today's rules by default, and the date is on the page
    today = dt.datetime.now(dt.UTC).date().isoformat()
    expect(dashboard.locator(".lm-as-of input")).to_have_value(today)
    expect(dashboard.locator(".lm-table .lm-title")).to_contain_text(f"rules as of {today}")

    # issue 13's sequence: an invalid Mix, then currency and spend, then the Mix cleared
    mix = dashboard.locator(".lm-mix input")
    commit(mix, "stars=abc")
    expect(dashboard.locator(".lm-mix-error")).to_contain_text("'abc' is not a decimal number", timeout=UPDATE_MS)
    expect(figures).to_have_class(lambda_has("lm-stale"))
    dashboard.locator(".lm-currency select").select_option("JPY")
    commit(dashboard.locator(".lm-spend input"), "5000")
    expect(figures).to_have_class(lambda_has("lm-stale"))
    expect(dashboard.locator(".lm-status")).to_contain_text("fix mix")
    commit(mix, "")
    # 5,000 JPY × 0.70 = 3,500 JPY (no minor unit)
    expect(net("youtube", "super_chat")).to_have_text("3500", timeout=UPDATE_MS)
    expect(figures).not_to_have_class(lambda_has("lm-stale"))
    expect(dashboard.locator(".lm-mix-error")).to_have_text("")
    expect(dashboard.locator(".lm-table .lm-title")).to_contain_text("5000 JPY")
    labels = [label.strip() for label in dashboard.locator(".lm-chart svg text").all_text_contents()]
    assert "3500" in labels and "Creator keeps of 5000 JPY" in labels, labels

    # an unknown Mix key is an error beside the Mix; a listed one is taken
    commit(mix, "bogus=5")
    expect(dashboard.locator(".lm-mix-error")).to_contain_text("'bogus' is not a feature", timeout=UPDATE_MS)
    expect(figures).to_have_class(lambda_has("lm-stale"))
    commit(mix, "super_chat=2")
    expect(figures).not_to_have_class(lambda_has("lm-stale"), timeout=UPDATE_MS)

    # the rules of 2024: Meta took nothing of Badges then (the app store 30%): 5,000 × 0.70
    dashboard.locator(".lm-as-of input").fill("2024-06-01")
    expect(net("instagram", "badge")).to_have_text("3500", timeout=UPDATE_MS)
    expect(dashboard.locator(".lm-table .lm-title")).to_contain_text("rules as of 2024-06-01")
    # a setting the plugin refuses, then one it takes: Meta's 10% leaves 5,000 × 0.60
    meta = dashboard.locator(".lm-setting-instagram-meta-share input")
    commit(meta, "ten")
    expect(dashboard.locator(".lm-setting-instagram-meta-share-error")).to_contain_text(
        "instagram.meta_share", timeout=UPDATE_MS
    )
    expect(figures).to_have_class(lambda_has("lm-stale"))
    commit(meta, "0.1")
    expect(net("instagram", "badge")).to_have_text("3000", timeout=UPDATE_MS)
    expect(figures).not_to_have_class(lambda_has("lm-stale"))

    assert hidden_columns(dashboard) == []
    screenshot(page, dashboard, output_dir / "compare-dashboard.png")
    assert not page.errors, page.errors


def test_stream_dashboard_invalid_then_valid(stream_url, page, output_dir):
    import livemoney as lm
    from livemoney.core.money import plain
    from playwright.sync_api import expect

    dashboard = page.locator(".lm-stream-dashboard")
    figures = dashboard.locator(".lm-figures")
    total_net = dashboard.locator(".lm-totals tr.lm-total td.lm-net")

    page.goto(stream_url, wait_until="domcontentloaded")
    whole = lm.value(SAMPLE, progress=False)
    expect(total_net).to_have_text(plain(whole.net), timeout=FIRST_RENDER_MS)
    options = [
        text.replace("\xa0", " ") for text in dashboard.locator(".lm-platform select option").all_text_contents()
    ]
    assert options[0] == "all platforms" and "YouTube Live" in options and "youtube" not in options

    # a setting the plugin refuses: shown beside it, the figures greyed; then a figure it takes
    meta = dashboard.locator(".lm-setting-instagram-meta-share input")
    commit(meta, "a lot")
    expect(dashboard.locator(".lm-setting-instagram-meta-share-error")).to_contain_text(
        "instagram.meta_share", timeout=UPDATE_MS
    )
    expect(figures).to_have_class(lambda_has("lm-stale"))
    dashboard.locator(".lm-currency select").select_option("EUR")
    expect(figures).to_have_class(lambda_has("lm-stale"))
    commit(meta, "0.1")
    fresh = lm.value(SAMPLE, currency="EUR", settings={"instagram.meta_share": "0.1"}, progress=False)
    expect(total_net).to_have_text(plain(fresh.net), timeout=UPDATE_MS)
    expect(figures).not_to_have_class(lambda_has("lm-stale"))
    expect(dashboard.locator(".lm-totals")).to_contain_text("net (EUR)")
    expect(dashboard.locator(".lm-summary")).to_contain_text(f"the creator keeps {plain(fresh.net)} EUR")

    # the rules of one day for every event
    dashboard.locator(".lm-as-of input").fill("2024-06-01")
    dated = lm.value(
        SAMPLE, currency="EUR", as_of="2024-06-01", settings={"instagram.meta_share": "0.1"}, progress=False
    )
    expect(total_net).to_have_text(plain(dated.net), timeout=UPDATE_MS)

    # the analyst's controls: a time zone that is none, then one; the leaderboard per month; an export
    zone = dashboard.locator(".lm-tz input")
    commit(zone, "Mars/Olympus")
    expect(dashboard.locator(".lm-tz-error")).to_contain_text("is not a time zone", timeout=UPDATE_MS)
    expect(figures).to_have_class(lambda_has("lm-stale"))
    commit(zone, "Europe/Paris")
    expect(figures).not_to_have_class(lambda_has("lm-stale"), timeout=UPDATE_MS)
    expect(dashboard.locator(".lm-timeline svg")).to_contain_text("Per 1min (Europe/Paris)")
    dashboard.locator(".lm-period select").select_option(label="per month")
    expect(dashboard.locator(".widget-html.lm-viewers")).to_contain_text("Top viewers, per month", timeout=UPDATE_MS)
    dashboard.locator(".lm-export-csv").click()
    expect(dashboard.locator(".lm-export-status a.lm-download")).to_have_attribute(
        "download", "livemoney-viewers.csv", timeout=UPDATE_MS
    )

    assert hidden_columns(dashboard) == []
    screenshot(page, dashboard, output_dir / "stream-dashboard.png")
    assert not page.errors, page.errors


def test_live_dashboard_invalid_then_valid(live_url, page, output_dir):
    import livemoney as lm
    from livemoney.core.money import plain
    from playwright.sync_api import expect

    dashboard = page.locator(".lm-live-dashboard")
    page.goto(live_url, wait_until="domcontentloaded")
    whole = lm.value(SAMPLE, progress=False)
    # the notebook plays the replay to its end: the tally is the log's valuation
    expect(dashboard.locator(".lm-status .lm-net")).to_have_text(plain(whole.net), timeout=FIRST_RENDER_MS)
    expect(dashboard.locator(".lm-status")).to_contain_text("replay finished")
    play = dashboard.locator(".lm-play-button")
    expect(play).to_be_disabled()
    expect(play).to_have_attribute("title", lambda_has("Restart plays it again"))

    speed = dashboard.locator(".lm-speed input")
    commit(speed, "fast")
    expect(dashboard.locator(".lm-speed-error")).to_contain_text("not a speed", timeout=UPDATE_MS)
    dashboard.locator(".lm-restart-button").click()
    expect(dashboard.locator(".lm-status")).to_contain_text("0 records added", timeout=UPDATE_MS)
    expect(play).to_be_disabled()  # still: the speed is invalid
    expect(play).to_have_attribute("title", lambda_has("fix the speed first"))
    commit(speed, "max")
    expect(dashboard.locator(".lm-speed-error")).to_have_text("", timeout=UPDATE_MS)
    expect(play).to_be_enabled()
    play.click()
    expect(dashboard.locator(".lm-status .lm-net")).to_have_text(plain(whole.net), timeout=UPDATE_MS)
    expect(dashboard.locator(".lm-totals tr.lm-total td.lm-net")).to_have_text(plain(whole.net))
    # every view is redrawn: the leaderboard (5 by default) and the gift mix too
    leaders = whole.top_viewers(5)
    expect(dashboard.locator(".lm-viewers td.lm-net")).to_have_text([plain(leader[2]) for leader in leaders])
    expect(dashboard.locator(".lm-mix-table tbody tr").first).to_be_visible()
    expect(play).to_be_disabled()  # finished again

    assert hidden_columns(dashboard) == []
    screenshot(page, dashboard, output_dir / "live-dashboard.png")
    assert not page.errors, page.errors


def lambda_has(word: str) -> object:
    """A pattern for `expect(...).to_have_class` and attributes: ``word`` among the classes or in the text."""
    import re

    return re.compile(rf"(^|\s|\b){re.escape(word)}(\s|$|\b)")
