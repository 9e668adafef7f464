"""The dashboards in a real browser: Voilà serves the notebooks, Debian's chromium shows them at a laptop's
1366x768, and a person types into the controls, invalid values first, then valid ones.

Each test checks that while a control is invalid its problem shows beside it and the figures are greyed
(``lm-stale``), and that once every control is valid the page shows the figures of the current controls,
worked out here (by hand, or by ``livemoney`` in this process on the same controls). In the browser, it
checks that no table of the dashboard has a column cut off or hidden (the last column of each table on show
lies inside every box that clips it and inside the 1366-pixel window: nothing to scroll to; the check is
shown to find a table made too wide), and leaves two screenshots of each dashboard in a temporary folder
named at the end of the run (``LIVEMONEY_SCREENSHOTS=DIR`` chooses one): the 1366x768 window with the
widest table in view, and the whole dashboard at 1366 wide.
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


CUT_OFF = """element => {
    // every visible table of the dashboard: its last column must lie inside each box that clips it (a box
    // whose overflow is not 'visible', such as an lm-scroll div or a notebook column) and inside the window,
    // so a person sees it without scrolling sideways
    const view = document.documentElement.clientWidth;
    const found = [];
    let checked = 0;
    for (const table of element.querySelectorAll('table')) {
        if (table.offsetParent === null || !table.rows.length) continue;
        checked += 1;
        const head = table.rows[0];
        const last = head.cells[head.cells.length - 1];
        const cell = last.getBoundingClientRect();
        let left = 0, right = view, clipper = 'the window';
        for (let box = table.parentElement; box; box = box.parentElement) {
            if (getComputedStyle(box).overflowX === 'visible') continue;
            const edges = box.getBoundingClientRect();
            if (edges.right < right) { right = edges.right; clipper = box.className || box.tagName; }
            left = Math.max(left, edges.left);
        }
        const scroll = table.closest('.lm-scroll');
        if (cell.width <= 0 || cell.right > right + 1 || cell.left < left - 1
                || (scroll && scroll.scrollWidth > scroll.clientWidth + 1)) {
            found.push([table.className, last.textContent.trim(), Math.round(cell.right), Math.round(right),
                        String(clipper)]);
        }
    }
    const page = document.documentElement;
    if (page.scrollWidth > page.clientWidth + 1) found.push(['the page scrolls sideways', page.scrollWidth]);
    return {checked, found};
}"""


NOTEBOOK_COLUMN = 930
"""The width of JupyterLab's notebook column on a 1366-pixel laptop (issue 13: the stream dashboard's table
was 1134 px wide in it, hiding the net column); Voilà gives the dashboards the whole window."""


def hidden_columns(dashboard: object, column: int | None = None) -> list[object]:
    """The tables of ``dashboard`` whose last column is cut off or hidden (to scroll to), each with its last
    header, where it ends and where the box that clips it ends; checked in the browser, at least one table.
    With ``column``, the dashboard is first made that narrow (as in a notebook's column), then put back."""
    if column is not None:
        narrow(dashboard, column)
    try:
        seen = dashboard.evaluate(CUT_OFF)
    finally:
        if column is not None:
            narrow(dashboard, None)
    assert seen["checked"] > 0, "no table on show to check"
    return seen["found"]


def fits(dashboard: object) -> None:
    """Every column of every table on show, in Voilà's 1366-pixel window and in a notebook's column."""
    assert hidden_columns(dashboard) == []
    assert hidden_columns(dashboard, NOTEBOOK_COLUMN) == []


def check_the_check_finds_a_cut_off_column(dashboard: object) -> None:
    """`hidden_columns` can fail: a table made wider than the window is found, then put back."""
    table = dashboard.locator("table").first
    table.evaluate("table => { table.dataset.width = table.style.minWidth; table.style.minWidth = '3000px'; }")
    try:
        assert hidden_columns(dashboard) != []
    finally:
        table.evaluate("table => { table.style.minWidth = table.dataset.width; }")
    assert hidden_columns(dashboard) == []


def narrow(dashboard: object, column: int | None) -> None:
    """Make the dashboard ``column`` pixels wide at most, as in a notebook's column (``None``: as it was)."""
    if column is None:
        dashboard.evaluate("e => { e.style.maxWidth = e.dataset.maxWidth; }")
    else:
        dashboard.evaluate("(e, w) => { e.dataset.maxWidth = e.style.maxWidth; e.style.maxWidth = w + 'px'; }", column)


def screenshot(page: object, dashboard: object, folder: Path, name: str) -> None:
    """Three screenshots of the dashboard in ``folder``: what a 1366x768 laptop shows with the dashboard's
    widest table in view (``NAME-1366x768.png``), the whole dashboard at 1366 wide (``NAME.png``), and the
    whole dashboard in a notebook's column (``NAME-in-a-930px-column.png``); for the whole dashboard the
    view is made as tall as it first, since Voilà paints only what is in view."""
    widest = dashboard.evaluate(
        """element => {
            const tables = [...element.querySelectorAll('table')].filter(t => t.offsetParent !== null);
            tables.sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width);
            if (tables.length) tables[0].scrollIntoView({block: 'center'});
            return tables.length;
        }"""
    )
    assert widest
    page.screenshot(path=str(folder / f"{name}-1366x768.png"))
    for column, path in ((None, f"{name}.png"), (NOTEBOOK_COLUMN, f"{name}-in-a-{NOTEBOOK_COLUMN}px-column.png")):
        if column is not None:
            narrow(dashboard, column)
        height = dashboard.evaluate("element => element.getBoundingClientRect().bottom + window.scrollY")
        page.set_viewport_size({"width": 1366, "height": int(height) + 40})
        dashboard.scroll_into_view_if_needed()
        dashboard.screenshot(path=str(folder / path))
        if column is not None:
            narrow(dashboard, None)
    page.set_viewport_size({"width": 1366, "height": 768})
    fits(dashboard)  # the same at the laptop's height again


def test_compare_dashboard_invalid_then_valid(compare_url, page, output_dir):
    import livemoney as lm
    from livemoney import compare
    from livemoney.widgets.compare import Audience, estimate, with_agency
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
    # the settings panel names what is unknown today (no source says what Meta takes of a Badge from 2025)
    # and the Mix's legend lists the feature keys
    expect(dashboard.locator(".lm-unknowns")).to_contain_text("Instagram Live · Badges")
    expect(net("instagram", "badge")).to_have_text("unknown")
    for key in ("super_chat", "badge", "stars"):
        expect(dashboard.locator(".widget-html.lm-mix-legend")).to_contain_text(key)

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

    # a bad "payments per viewer" (issue 13): said beside it, the estimate greyed; then a valid one
    rate = dashboard.locator(".lm-rate input")
    commit(rate, "two")
    expect(dashboard.locator(".lm-rate-error")).to_contain_text("'two' is not a decimal number", timeout=UPDATE_MS)
    expect(figures).to_have_class(lambda_has("lm-stale"))
    commit(dashboard.locator(".lm-agency input"), "150")  # a second invalid control while the first is
    expect(dashboard.locator(".lm-agency-error")).to_contain_text("between 0 and 100", timeout=UPDATE_MS)
    commit(rate, "0.05")
    expect(dashboard.locator(".lm-rate-error")).to_have_text("", timeout=UPDATE_MS)
    expect(figures).to_have_class(lambda_has("lm-stale"))  # still: the agency's 150% is invalid
    commit(dashboard.locator(".lm-agency input"), "20")
    expect(figures).not_to_have_class(lambda_has("lm-stale"), timeout=UPDATE_MS)
    # 5,000 JPY x 0.70 = 3,500, less the agency's 20% (700): 2,800 JPY
    expect(net("youtube", "super_chat")).to_have_text("2800", timeout=UPDATE_MS)
    # 100 viewers x 1 h x 0.05 = 5 payments; on YouTube Super Chat, Sticker and membership each leave 2,800
    # (Jewels unknown, left out): 5 x 2,800 = 14,000 JPY; every platform's is a fresh estimate of the controls
    fresh = with_agency(compare(5000, currency="JPY", as_of=today, rate_fallback="latest"), Decimal("0.20"))
    for found in estimate(fresh, Audience(100, 60, Decimal("0.05"), {})):
        cells = dashboard.locator(f'.lm-estimates tr[data-platform="{found.platform.key}"] td')
        expect(cells.nth(1)).to_have_text("5")
        expect(cells.nth(3)).to_have_text("unknown" if found.net is None else f"{found.net.amount:f}")
    expect(dashboard.locator('.lm-estimates tr[data-platform="youtube"] td.lm-net')).to_have_text("14000")
    expect(dashboard.locator(".lm-estimate-table")).to_contain_text("0.05 payments per viewer per hour")
    fits(dashboard)  # the agency's column too
    commit(dashboard.locator(".lm-agency input"), "0")
    expect(net("youtube", "super_chat")).to_have_text("3500", timeout=UPDATE_MS)

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
    expect(dashboard.locator(".lm-unknowns")).not_to_contain_text("Instagram Live · Badges")

    fits(dashboard)
    check_the_check_finds_a_cut_off_column(dashboard)
    screenshot(page, dashboard, output_dir, "compare-dashboard")
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
    fits(dashboard)  # the leaderboard per month has a period column more

    # a date range that ends before it starts: said beside To, the figures greyed; then a valid range.
    # In Tehran (UTC+3:30) the stream (20:00-21:44 UTC) starts at 23:30 on 1 November: that day is its
    # first half hour, worked out here by livemoney on the same controls
    start, end = dashboard.locator(".lm-start input"), dashboard.locator(".lm-end input")
    start.fill("2026-11-02")
    end.fill("2026-11-01")
    expect(dashboard.locator(".lm-end-error")).to_contain_text("is before from", timeout=UPDATE_MS)
    expect(figures).to_have_class(lambda_has("lm-stale"))
    commit(zone, "Asia/Tehran")
    expect(figures).to_have_class(lambda_has("lm-stale"))
    start.fill("2026-11-01")
    chosen = {"currency": "EUR", "as_of": "2024-06-01", "settings": {"instagram.meta_share": "0.1"}, "progress": False}
    day = lm.analyze(SAMPLE, tz="Asia/Tehran", start="2026-11-01", end="2026-11-01", **chosen)
    assert day.report.net < dated.net  # the range leaves events out
    expect(total_net).to_have_text(plain(day.report.net), timeout=UPDATE_MS)
    expect(figures).not_to_have_class(lambda_has("lm-stale"))
    expect(dashboard.locator(".lm-end-error")).to_have_text("")
    leader = day.viewers(by="month").iloc[0]
    expect(dashboard.locator(".widget-html.lm-viewers td.lm-net").first).to_have_text(f"{leader['net']:.2f}")
    # one platform of that day: its figures alone (a fresh analysis of the sample's YouTube events)
    dashboard.locator(".lm-platform select").select_option(label="YouTube Live")
    events = [item for item in lm.read_events(SAMPLE) if isinstance(item, lm.Event) and item.platform == "youtube"]
    youtube = lm.analyze(events, tz="Asia/Tehran", start="2026-11-01", end="2026-11-01", **chosen).report
    assert youtube.net < day.report.net
    expect(total_net).to_have_text(plain(youtube.net), timeout=UPDATE_MS)
    expect(dashboard.locator(".lm-summary")).to_contain_text(f"YouTube Live: viewers paid {plain(youtube.gross)} EUR")
    dashboard.locator(".lm-platform select").select_option(label="all platforms")
    expect(total_net).to_have_text(plain(day.report.net), timeout=UPDATE_MS)

    fits(dashboard)
    screenshot(page, dashboard, output_dir, "stream-dashboard")
    assert not page.errors, page.errors


def test_live_dashboard_invalid_then_valid(live_url, page, output_dir):
    import livemoney as lm
    from livemoney.core.money import plain
    from livemoney.widgets.live import Replay
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
    # the empty tally's chart says so, without an axis around nothing (issue 13: -0.04 to 0.04 USD)
    expect(dashboard.locator(".lm-timeline svg")).to_contain_text("no timed events", timeout=UPDATE_MS)
    expect(dashboard.locator('.lm-timeline svg g[id^="xtick_"], .lm-timeline svg g[id^="ytick_"]')).to_have_count(0)
    # Step plays the next 10 records whatever the speed: the figures are those of these 10, worked out
    # here by a tally of the same records
    dashboard.locator(".lm-step-button").click()
    tally = lm.LiveTally(lm.context(currency="USD"))
    for item in Replay(SAMPLE).take(10):
        tally.add(item)
    ten = tally.report()
    expect(dashboard.locator(".lm-status")).to_contain_text("10 records added", timeout=UPDATE_MS)
    expect(dashboard.locator(".lm-status .lm-net")).to_have_text(plain(ten.net))
    expect(dashboard.locator(".lm-status .lm-gross")).to_have_text(plain(ten.gross))
    assert ten.net != whole.net
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

    fits(dashboard)
    screenshot(page, dashboard, output_dir, "live-dashboard")
    assert not page.errors, page.errors


def lambda_has(word: str) -> object:
    """A pattern for `expect(...).to_have_class` and attributes: ``word`` among the classes or in the text."""
    import re

    return re.compile(rf"(^|\s|\b){re.escape(word)}(\s|$|\b)")
