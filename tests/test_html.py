"""HTML renderers: exact amounts in the right cells, and every user string shown as text, never markup."""

import datetime as dt
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from livemoney import Donation, Gift, Money, Platform, Share, Source, Valuation
from livemoney.engine.comparison import compare
from livemoney.engine.valuer import value
from livemoney.html import (
    comparison_html,
    describe_event,
    esc,
    formatters,
    platform_html,
    report_html,
    source_html,
    valuation_html,
)
from livemoney.testing import plugin_manager

ATTACK = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
SCRIPT = "<script>alert('x')</script>"
NOON = dt.datetime(2026, 11, 1, 12, 0, 5, tzinfo=dt.UTC)
DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("testcast", DATA / "testcast.py")
testcast = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcast)
def cells(html: str, cls: str) -> list[str]:
    """The text of every ``<td>`` or ``<span>`` whose classes include ``cls``."""
    found = re.findall(r'<(td|span) class="([^"]*)"[^>]*>(.*?)</\1>', html, flags=re.DOTALL)
    return [text for _, classes, text in found if cls in classes.split()]


def assert_no_markup_from(html: str, *attacks: str) -> None:
    for attack in attacks:
        assert attack not in html
    assert "<img" not in html and "<script>alert" not in html and "onerror=alert(1)>" not in html


@pytest.fixture(scope="module")
def pm():
    return plugin_manager(testcast.Tipcast(), testcast.starcast())


def test_esc_escapes_markup_and_both_quotes():
    assert esc(ATTACK) == ESCAPED
    assert esc("a\"b'c&d") == "a&quot;b&#x27;c&amp;d"


def test_source_links_only_http_urls():
    safe = source_html(Source("Help page", "https://example.org/help?a=1&b=2", "2024-01"))
    assert '<a href="https://example.org/help?a=1&amp;b=2"' in safe and ", 2024-01" in safe
    hostile = source_html(Source(SCRIPT, "javascript:alert(1)", None))
    assert "<a " not in hostile and "href" not in hostile
    assert "&lt;script&gt;" in hostile and "n.d." in hostile
    assert_no_markup_from(hostile, SCRIPT)


def test_valuation_receipt_shows_gross_each_share_with_source_and_net():
    source = Source("YouTube Help: creators receive 70%", "https://support.google.com/youtube/answer/7288782", "2023")
    receipt = Valuation(
        platform="youtube",
        kind="donation",
        gross=Money("10.00", "USD"),
        shares=(Share("YouTube", Money("3.00", "USD"), source),),
        net=Money("7.00", "USD"),
        explain=("creator keeps 0.70 × 10.00 USD = 7.00 USD",),
        event=Donation(platform="youtube", feature="super_chat", amount=Money("10.00", "USD"), viewer=ATTACK, ts=NOON),
    )
    html = valuation_html(receipt)
    # gross 10.00 = YouTube 3.00 + creator 7.00
    assert 'Viewer paid</th><td class="lm-num">10.00 USD' in html
    assert re.search(r'data-party="YouTube"><td>− YouTube</td><td class="lm-num">3.00 USD</td>', html)
    assert 'Creator keeps</td><td class="lm-num">7.00 USD' in html
    assert 'href="https://support.google.com/youtube/answer/7288782"' in html
    assert "<li>creator keeps 0.70 × 10.00 USD = 7.00 USD</li>" in html
    assert f"from {ESCAPED}" in html and "2026-11-01T12:00:05+00:00" in html
    assert_no_markup_from(html, ATTACK)


def test_receipt_escapes_parties_explain_lines_and_reasons():
    hostile = Valuation(
        platform="youtube",
        kind="gift",
        gross=Money("5.00", "USD"),
        shares=(Share(SCRIPT, Money("1.00", "USD"), Source(ATTACK, "javascript:alert(1)")),),
        net=Money("4.00", "USD"),
        explain=(ATTACK,),
        event=Gift(platform="youtube", gift=SCRIPT, count=3, viewer=ATTACK),
    )
    html = valuation_html(hostile)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; × 3" in html
    assert html.count(ESCAPED) == 3  # the viewer, the source's title, the explain line
    assert_no_markup_from(html, ATTACK, SCRIPT)

    unknown = Valuation(
        platform="youtube",
        kind="gift",
        gross=Money("0.00", "USD"),
        shares=(),
        net=Money("0.00", "USD"),
        unknown=True,
        reason=f"no price for {ATTACK}",
    )
    html = valuation_html(unknown)
    assert f"unknown: no price for {ESCAPED}" in html and "Creator keeps" not in html
    assert_no_markup_from(html, ATTACK)


def test_platform_card_escapes_and_lists_sources():
    platform = Platform(
        ATTACK, SCRIPT, ("stars",), False, "Yes (Stars)", (Source("Stars page", "https://x.test/s", "2024"),)
    )
    html = platform_html(platform)
    assert "<td>None</td>" in html  # likes revenue
    assert "<td>Yes (Stars)</td>" in html
    assert '<a href="https://x.test/s"' in html
    assert_no_markup_from(html, ATTACK, SCRIPT)


def test_describe_event_escapes_names():
    event = Gift(platform="tiktok", gift=ATTACK, count=5, viewer=SCRIPT, amount=Money("1", "coins"))
    text = describe_event(event)
    assert text.startswith("gift on tiktok, " + ESCAPED + " × 5, 1 coins, from &lt;script&gt;")


def test_report_table_has_exact_totals_and_escaped_viewers(pm):
    events = [
        Donation(platform="tipcast", feature="tip", amount=Money("10.00", "USD"), viewer=ATTACK, ts=NOON, id="a"),
        Donation(platform="tipcast", feature="tip", amount=Money("5.00", "USD"), viewer="bob", ts=NOON, id="b"),
        Donation(platform="starcast", feature="stars", amount=Money("500", "stars"), viewer=SCRIPT, ts=NOON, id="c"),
    ]
    report = value(events, currency="USD", pm=pm, progress=False)
    html = report_html(report)
    # Tipcast keeps 30%: 10.00 + 5.00 = 15.00 → creator 10.50
    # Starcast: 500 Stars cost 500 / 100 × 1.40 = 7.00 USD; the creator gets 500 × 0.01 = 5.00
    assert cells(html, "lm-gross")[:3] == ["7.00", "15.00", "22.00"]
    assert cells(html, "lm-net")[:3] == ["5.00", "10.50", "15.50"]
    assert cells(html, "lm-viewer") == [ESCAPED, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", "bob"]
    assert "records 3 = events 3 + without money 0 + rejected 0; events 3 = valued 3 + duplicates 0" in html
    assert_no_markup_from(html, ATTACK, SCRIPT)


def test_report_lists_rejected_lines_escaped(pm, tmp_path):
    log = tmp_path / "bad.jsonl"
    log.write_text(
        '{"type": "donation", "platform": "tipcast", "feature": "tip", "amount": "2.00", "currency": "USD"}\n'
        f'{{"type": "{ATTACK}", "platform": "tipcast"}}\n',
        encoding="utf-8",
    )
    report = value(log, currency="USD", pm=pm, on_error="skip", progress=False)
    html = report_html(report)
    assert report.rejected == 1
    assert "bad.jsonl:2: type:" in html and ESCAPED in html
    assert_no_markup_from(html, ATTACK)


def test_comparison_rows_hold_exact_amounts(pm):
    comparison = compare(250, currency="USD", pm=pm)
    html = comparison_html(comparison)
    rows = re.findall(r'<tr data-platform="(\w+)" data-feature="(\w+)">(.*?)</tr>', html, flags=re.DOTALL)
    net = {(platform, feature): cells(row, "lm-net")[0] for platform, feature, row in rows}
    # Tipcast: 250 × 0.70 = 175.00; Starcast: 250 USD / 1.40 × 100 = 17,857.14… Stars × 0.01 = 178.57
    assert net[("tipcast", "tip")] == "175.00"
    assert net[("starcast", "stars")] == "178.57"
    assert net[("tipcast", "jewels")] == "unknown"
    assert net[("starcast", "likes")] == "0.00"
    assert "What the creator keeps of 250 USD spent by a viewer" in html
    assert 'data-party="Starcast"' in html and "Starcast 71.43" in html  # 250 − 178.57


def test_formatters_cover_the_four_models():
    from livemoney.engine.comparison import Comparison
    from livemoney.engine.report import Report

    assert set(formatters()) == {(cls.__module__, cls.__name__) for cls in (Platform, Valuation, Report, Comparison)}


def test_the_models_carry_no_html_of_their_own():
    from livemoney.engine.comparison import Comparison
    from livemoney.engine.report import Report

    assert not any(hasattr(cls, "_repr_html_") for cls in (Platform, Valuation, Report, Comparison))


def test_a_shell_shows_the_models_as_html_once_livemoney_is_imported_in_it(tmp_path):
    """The facade registers the formatters when it is imported in a running shell: nothing else to do."""
    code = """
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
import importlib.util, sys
import livemoney as lm

spec = importlib.util.spec_from_file_location("testcast", sys.argv[1])
testcast = importlib.util.module_from_spec(spec)
spec.loader.exec_module(testcast)
pm = testcast.manager()
chat = lm.Donation(platform="starcast", feature="stars", amount=lm.Money("500", "stars"))
shown = [lm.platforms(pm)[0], lm.value_event(chat, pm=pm), lm.value([chat], pm=pm, progress=False), lm.compare(10, pm=pm)]
for model, css in zip(shown, ("lm-platform", "lm-receipt", "lm-report", "lm-compare")):
    html = shell.display_formatter.format(model)[0]["text/html"]
    assert f'class="lm-box {css}"' in html, (model, html[:200])
print("ok")
"""
    isolated = {**os.environ, "IPYTHONDIR": str(tmp_path)}
    command = [sys.executable, "-c", code, str(DATA / "testcast.py")]
    done = subprocess.run(command, capture_output=True, text=True, env=isolated, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_a_jupyter_kernel_shows_a_report_as_html_without_load_ext(tmp_path):
    """As in notebooks/04-live-tally.ipynb: ``import livemoney`` in the kernel is enough."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import importlib.util\nimport livemoney as lm\n"
            f"spec = importlib.util.spec_from_file_location('testcast', {str(DATA / 'testcast.py')!r})\n"
            "testcast = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(testcast)"
        ),
        nbformat.v4.new_code_cell(
            'tip = lm.Donation(platform="testcast", feature="tip", amount=lm.Money("10.00", "USD"))\n'
            "lm.value([tip], pm=testcast.manager(), progress=False)"
        ),
    ]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    (shown,) = notebook.cells[1].outputs
    # testcast takes 20% of a 10.00 USD tip: the creator keeps 8.00
    assert 'class="lm-box lm-report"' in shown["data"]["text/html"]
    assert '<td class="lm-net lm-num">8.00</td>' in shown["data"]["text/html"]


def test_dollar_signs_are_never_mathematics(pm):
    """Issue 13: a receipt with two ``$`` was typeset as LaTeX in JupyterLab. Every ``$`` of a string is
    written ``&#36;`` and every box sits in a div MathJax 2 and 3 leave alone."""
    dollars = "$5 fan $10"
    receipt = Valuation(
        platform="tipcast",
        kind="donation",
        gross=Money("10.00", "USD"),
        shares=(Share("Tipcast $", Money("3.00", "USD"), Source("$ page $", "https://x.test/$", "2026")),),
        net=Money("7.00", "USD"),
        explain=("creator keeps $7 of $10",),
        event=Donation(platform="tipcast", feature="tip", amount=Money("10.00", "USD"), viewer=dollars, ts=NOON),
    )
    report = value(
        [Donation(platform="tipcast", feature="tip", amount=Money("10.00", "USD"), viewer=dollars, ts=NOON, id="d")],
        pm=pm,
        progress=False,
    )
    platform = Platform("tipcast", "Tip$ $Live", (), False, "Yes ($)", (Source("$1 $2", None, "2026"),))
    for html in (
        valuation_html(receipt),
        report_html(report),
        platform_html(platform),
        comparison_html(compare(10, pm=pm)),
    ):
        assert "$" not in html, html[html.index("$") - 80 : html.index("$") + 80]
        assert html.startswith('<div class="tex2jax_ignore mathjax_ignore"><div class="lm-box')
    shown = valuation_html(receipt)
    assert "from &#36;5 fan &#36;10" in shown and "creator keeps &#36;7 of &#36;10" in shown
    assert "Tipcast &#36;" in shown
    assert html_unescaped(cells(report_html(report), "lm-viewer")[0]) == dollars
    assert esc("$") == "&#36;"


def html_unescaped(text: str) -> str:
    import html

    return html.unescape(text)
