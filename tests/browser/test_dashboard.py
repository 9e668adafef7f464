"""The comparison dashboard in a real browser: Voilà serves notebooks/01-compare-platforms.ipynb,
chromium shows it, a person types a new spend, and the table and the chart show the new amounts."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pytest

pytestmark = pytest.mark.browser

FIRST_RENDER_MS = 90_000  # a kernel starts and runs the notebook before the widgets show
UPDATE_MS = 20_000
CENT = Decimal("0.01")


def cents(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_EVEN):f}"


def test_spend_changes_table_and_chart(compare_url, page, output_dir):
    from playwright.sync_api import expect

    dashboard = page.locator(".lm-compare-dashboard")

    def net(platform: str, feature: str):
        return dashboard.locator(f'.lm-table tr[data-platform="{platform}"][data-feature="{feature}"] td.lm-net')

    page.goto(compare_url, wait_until="domcontentloaded")
    # the notebook leaves the spend at 100 USD: a Super Chat leaves the creator 100 × 0.70
    expect(net("youtube", "super_chat")).to_have_text(cents(Decimal(100) * Decimal("0.70")), timeout=FIRST_RENDER_MS)
    shown = dashboard.locator(".lm-comparison tbody tr").evaluate_all("rows => rows.map(r => r.dataset.platform)")
    assert set(shown) == {"tiktok", "youtube", "instagram", "facebook"}
    expect(dashboard.locator(".lm-platforms tbody tr")).to_have_count(4)

    spend = dashboard.locator(".lm-spend input")
    spend.fill("40")
    spend.press("Enter")  # the text box sends its value on Enter

    youtube = cents(Decimal(40) * Decimal("0.70"))  # 28.00
    facebook = cents(Decimal(40) / Decimal("1.40") * 100 * CENT)  # 2,857.14… Stars at 0.01 USD: 28.57
    tiktok = cents(Decimal(40) * 70 / Decimal("0.99") * Decimal("0.005"))  # 2,828.28… diamonds: 14.14
    instagram = cents(Decimal(40) * Decimal("0.70"))  # the app store's 30%, Meta's 0%: 28.00
    expect(net("youtube", "super_chat")).to_have_text(youtube, timeout=UPDATE_MS)
    expect(net("facebook", "stars")).to_have_text(facebook)
    expect(net("tiktok", "gifts")).to_have_text(tiktok)
    expect(net("instagram", "badge")).to_have_text(instagram)
    expect(dashboard.locator(".lm-table .lm-title")).to_contain_text("40 USD")

    labels = dashboard.locator(".lm-chart svg text").all_text_contents()
    bar_labels = [label.strip() for label in labels]
    for amount in (youtube, facebook, tiktok, instagram):
        assert amount in bar_labels, bar_labels
    assert "70.00" not in bar_labels  # the old net is gone from the chart
    assert any("TikTok" in label for label in labels) and any("Facebook" in label for label in labels)

    # JupyterLab's page paints only what is in view: make the view as tall as the dashboard first
    height = dashboard.evaluate("element => element.getBoundingClientRect().height")
    page.set_viewport_size({"width": 1280, "height": int(height) + 40})
    dashboard.scroll_into_view_if_needed()
    dashboard.screenshot(path=str(output_dir / "compare-dashboard.png"))
    assert not page.errors, page.errors
