"""HTML for notebooks: a platform card, a valuation receipt, a report, a comparison.

Every string that comes from a log, a viewer or a plugin (viewer names, gift names, messages, source
titles, explain lines) goes through `esc`, so a viewer called ``<img src=x onerror=alert(1)>`` shows as
text. Links are made only of ``http``/``https`` URLs. Elements carry ``lm-`` classes and ``data-``
attributes so that tests and style sheets can find the numbers.

Money is not mathematics: `esc` writes ``$`` as ``&#36;`` (JupyterLab's Markdown and nbconvert look for
``$...$`` in the source), and every `box` carries the classes MathJax 2 and 3 leave alone
(``tex2jax_ignore mathjax_ignore``, on a div around it: JupyterLab typesets the rendered page, where
``&#36;`` is a ``$`` again), so a receipt of ``$5`` and ``$10`` is never typeset as LaTeX. Headers wrap (numbers
never do), so the dashboards' tables fit a laptop's notebook column (930 px); a table wider still scrolls
sideways inside its box (``lm-scroll``) rather than run out of the column.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from livemoney.core.models import Event, Platform, Source, Valuation
from livemoney.core.money import Money, exact_text, plain

if TYPE_CHECKING:
    from livemoney.engine.comparison import Comparison
    from livemoney.engine.report import Report

STYLE = """<style>
.lm-box{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.4;max-width:100%}
.lm-box .lm-title{font-weight:600;margin:4px 0}
.lm-box table.lm-table{border-collapse:collapse;margin:4px 0}
.lm-box table.lm-table th,.lm-box table.lm-table td{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
.lm-box table.lm-table td.lm-num,.lm-box table.lm-table th.lm-num{text-align:right;font-variant-numeric:tabular-nums}
.lm-box table.lm-table td.lm-num,.lm-box table.lm-table td.lm-time{white-space:nowrap}
.lm-box tr.lm-total td{font-weight:600;border-top:2px solid #999}
.lm-box .lm-unknown{color:#a15c00}
.lm-box .lm-muted{color:#666;font-size:12px}
.lm-box ol.lm-explain{margin:4px 0;padding-left:20px;color:#444;font-size:12px}
.lm-box .lm-scroll{max-width:100%;overflow-x:auto}
.lm-box .lm-error{color:#b00020;font-weight:600}
.lm-stale{opacity:.35;filter:grayscale(1)}
.lm-field-error{color:#b00020;font-size:12px;min-height:0}
</style>"""


MATH_IGNORE = "tex2jax_ignore mathjax_ignore"
"""The classes that MathJax 2 (classic notebook) and MathJax 3 (JupyterLab, Voilà) do not typeset."""


def esc(value: object) -> str:
    """``value`` as HTML text: ``&``, ``<``, ``>``, both quotes and ``$`` (as ``&#36;``) escaped."""
    return html.escape(str(value), quote=True).replace("$", "&#36;")


def money(value: Money) -> str:
    """``70.00 USD``, escaped."""
    return esc(f"{plain(value)} {value.currency}")


def source_html(source: Source | None) -> str:
    """A source as a citation: title (a link when the URL is http or https) and its date."""
    if source is None:
        return ""
    title = esc(source.title)
    url = source.url or ""
    if url.startswith(("https://", "http://")):
        title = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    elif url:
        title = f"{title} ({esc(url)})"
    return f'<span class="lm-source">{title}, {esc(source.as_of or "n.d.")}</span>'


def box(*parts: str, cls: str = "") -> str:
    """The style sheet and ``parts`` in one ``lm-box`` div (with the extra class ``cls``), inside a div that
    MathJax leaves alone (`MATH_IGNORE`)."""
    inner = f'<div class="{esc(f"lm-box {cls}".strip())}">{STYLE}{"".join(parts)}</div>'
    return f'<div class="{MATH_IGNORE}">{inner}</div>'


def td(content: str, cls: str = "", numeric: bool = False) -> str:
    """One cell of already-escaped ``content`` with classes ``cls`` (and ``lm-num`` when ``numeric``)."""
    classes = " ".join(part for part in (cls, "lm-num" if numeric else "") if part)
    return f'<td class="{esc(classes)}">{content}</td>' if classes else f"<td>{content}</td>"


def tr(cells: Iterable[str], **attributes: str) -> str:
    """A row of ``cells`` (made by `td`); ``attributes`` (``data_platform=...``) are escaped."""
    text = "".join(f' {name.replace("_", "-")}="{esc(value)}"' for name, value in attributes.items())
    return f"<tr{text}>{''.join(cells)}</tr>"


def table(headers: Sequence[str], rows: Iterable[str], numeric: Iterable[int] = (), cls: str = "") -> str:
    """A table of already-escaped ``headers`` and rows made by `tr`; ``numeric`` headers right-aligned; it
    scrolls sideways in its ``lm-scroll`` div when wider than the column."""
    numeric = set(numeric)
    head = "".join(
        f'<th class="lm-num">{header}</th>' if index in numeric else f"<th>{header}</th>"
        for index, header in enumerate(headers)
    )
    return (
        f'<div class="lm-scroll"><table class="{esc(f"lm-table {cls}".strip())}"><thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


# --- Platform -------------------------------------------------------------------------------


def platform_html(platform: Platform) -> str:
    """A card: name, key, units, whether likes pay, the seed table's gifts/donations wording, sources."""
    sources = "".join(f"<li>{source_html(source)}</li>" for source in platform.sources)
    facts = [
        ("key", esc(platform.key)),
        ("units", esc(", ".join(platform.units)) or "none"),
        ("likes revenue", esc(platform.likes_revenue)),
        ("gifts / donations", esc(platform.gifts_donations)),
    ]
    rows = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in facts)
    return box(
        f'<div class="lm-title">{esc(platform.name)}</div>',
        f'<table class="lm-table">{rows}</table>',
        f'<div class="lm-muted">Sources</div><ul class="lm-sources">{sources}</ul>' if sources else "",
        cls="lm-platform",
    )


def platforms_html(platforms: Iterable[Platform]) -> str:
    """The seed table: one row a platform (likes revenue, gifts/donations) with its sources."""
    rows = [
        tr(
            [
                td(esc(platform.name)),
                td(esc(platform.likes_revenue)),
                td(esc(platform.gifts_donations)),
                td("<br>".join(source_html(source) for source in platform.sources)),
            ],
            data_platform=platform.key,
        )
        for platform in platforms
    ]
    return table(["Platform", "Likes revenue", "Gifts / donations", "Sources"], rows, cls="lm-platforms")


# --- Valuation ------------------------------------------------------------------------------


def describe_event(event: Event) -> str:
    """One line of what happened: kind, platform, what was paid for, who, when (escaped)."""
    parts = [f"{event.kind} on {event.platform}"]
    what = getattr(event, "gift", None) or getattr(event, "feature", None)
    if what:
        count = getattr(event, "count", 1)
        parts.append(f"{what} × {count}" if count != 1 else str(what))
    paid = getattr(event, "amount", None)
    if isinstance(paid, Money):
        parts.append(f"{plain(paid)} {paid.currency}")
    for field in ("brand", "product"):
        named = getattr(event, field, None)
        if named:
            parts.append(f"{field} {named}")
    if event.viewer is not None:
        parts.append(f"from {event.viewer}")
    if event.ts is not None:
        parts.append(f"at {event.ts.isoformat()}")
    return esc(", ".join(parts))


def valuation_html(valuation: Valuation) -> str:
    """A receipt: what the viewer paid, each share with its source, what the creator keeps, the explanation."""
    title = f'<div class="lm-title">{esc(valuation.platform)} {esc(valuation.kind)}</div>'
    event = f'<div class="lm-muted lm-event">{describe_event(valuation.event)}</div>' if valuation.event else ""
    explain = "".join(f"<li>{esc(line)}</li>" for line in valuation.explain)
    explain_html = f'<ol class="lm-explain">{explain}</ol>' if explain else ""
    if valuation.unknown:
        reason = (
            f'<div class="lm-unknown lm-reason">unknown: {esc(valuation.reason or "no source gives a figure")}</div>'
        )
        return box(title, event, reason, explain_html, cls="lm-receipt")
    exact = valuation
    valuation = valuation.shown()
    lines = [f'<tr class="lm-gross"><th>Viewer paid</th><td class="lm-num">{money(valuation.gross)}</td><td></td></tr>']
    for share in valuation.shares:
        lines.append(
            f'<tr class="lm-share" data-party="{esc(share.party)}"><td>− {esc(share.party)}</td>'
            f'<td class="lm-num">{money(share.amount)}</td><td>{source_html(share.source)}</td></tr>'
        )
    lines.append(
        f'<tr class="lm-total lm-net"><td>Creator keeps</td><td class="lm-num">{money(valuation.net)}</td>'
        f'<td class="lm-muted lm-exact">exact: {esc(exact_text(exact.net))}</td></tr>'
    )
    receipt = f'<div class="lm-scroll"><table class="lm-table">{"".join(lines)}</table></div>'
    return box(title, event, receipt, explain_html, cls="lm-receipt")


# --- Report ---------------------------------------------------------------------------------

REPORT_VIEWERS = 5
REPORT_REJECTS = 5


def report_rows_html(
    report: Report, platforms: Iterable[str] | None = None, names: Mapping[str, str] | None = None
) -> str:
    """The totals table of ``report`` (only the rows of ``platforms`` when given) and their total; each
    platform shown by its name in ``names`` (platform key → name) when given."""
    wanted = None if platforms is None else set(platforms)
    names = names or {}
    rows = [row for row in report.rows if wanted is None or row.platform in wanted]
    parties = list(dict.fromkeys(party for row in rows for party in row.shares))
    currency = report.currency
    zero = Money.zero(currency).rounded()
    headers = ["platform", "kind", "events", "unknown", f"gross ({esc(currency)})"]
    headers += [f"{esc(party)} ({esc(currency)})" for party in parties] + [f"net ({esc(currency)})"]
    numeric = range(2, len(headers))

    def cells(first: str, second: str, events: int, unknown: int, gross: Money, shares: dict, net: Money) -> list:
        return [
            td(first),
            td(second),
            td(str(events), numeric=True),
            td(str(unknown), "lm-unknown" if unknown else "", numeric=True),
            td(esc(plain(gross)), "lm-gross", numeric=True),
            *(td(esc(plain(shares.get(party, zero))), "lm-share", numeric=True) for party in parties),
            td(esc(plain(net)), "lm-net", numeric=True),
        ]

    body = []
    for row in rows:
        shown = names.get(row.platform, row.platform)
        line = cells(esc(shown), esc(row.label), row.events, row.unknown, row.gross, row.shares, row.net)
        attributes = {"data_platform": row.platform, "data_kind": row.kind}
        if row.to_guests:
            attributes["class"] = "lm-guests"
        body.append(tr(line, **attributes))
    def total(label: str, note: str, to_guests: bool, cls: str) -> str:
        members = [row for row in rows if row.to_guests == to_guests]
        amounts = report.total(wanted, to_guests=to_guests)
        events, unknown = sum(r.events for r in members), sum(r.unknown for r in members)
        return tr(cells(label, note, events, unknown, amounts.gross, amounts.shares, amounts.net), **{"class": cls})

    body.append(total("total", "", False, "lm-total"))
    if any(row.to_guests for row in rows):
        body.append(total("to guests", "(not the creator's)", True, "lm-guests-total"))
    return table(headers, body, numeric, cls="lm-rows")


def viewers_html(leaders: Sequence[tuple[str, Money, Money, int]]) -> str:
    """A leaderboard of ``(viewer, gross, net, events)``, names escaped."""
    rows = [
        tr(
            [
                td(str(rank), numeric=True),
                td(esc(viewer), "lm-viewer"),
                td(esc(plain(gross)), "lm-gross", numeric=True),
                td(esc(plain(net)), "lm-net", numeric=True),
                td(str(events), numeric=True),
            ]
        )
        for rank, (viewer, gross, net, events) in enumerate(leaders, start=1)
    ]
    currency = esc(leaders[0][1].currency) if leaders else ""
    return table(
        ["#", "viewer", f"gross ({currency})", f"net ({currency})", "events"], rows, (0, 2, 3, 4), "lm-viewers"
    )


def report_html(report: Report) -> str:
    """Totals per platform and kind, the top viewers, unknown reasons, rejected lines and the counts."""
    rules = f"rules as of {report.as_of.isoformat()}" if report.as_of else "rules of each event's date"
    parts = [
        f'<div class="lm-title">Valued in {esc(report.currency)} ({esc(rules)})</div>',
        report_rows_html(report),
    ]
    if report.originals:
        carried = ", ".join(f"{plain(value)} {currency}" for currency, value in report.originals.items())
        parts.append(f'<div class="lm-muted">amounts the records carried: {esc(carried)}</div>')
    reasons = [
        f"<li>{esc(row.platform)} {esc(row.label)}, {events} event{'s' if events != 1 else ''}: {esc(reason)}</li>"
        for row in report.rows
        for reason, events in row.reasons.items()
    ]
    if reasons:
        parts.append(f'<div class="lm-unknown">unknown:</div><ul class="lm-reasons">{"".join(reasons)}</ul>')
    leaders = report.top_viewers(REPORT_VIEWERS)
    if leaders:
        parts += ['<div class="lm-title">Top viewers</div>', viewers_html(leaders)]
    if report.rejects:
        shown = report.rejects[:REPORT_REJECTS]
        items = "".join(f"<li>{esc(rejected)}</li>" for rejected in shown)
        more = report.rejected - len(shown)
        tail = f'<div class="lm-muted">and {more} more</div>' if more > 0 else ""
        parts.append(f'<div class="lm-title">Rejected lines</div><ul class="lm-rejects">{items}</ul>{tail}')
    notes = "".join(f"<li>{esc(note)}</li>" for note in report.notes())
    if notes:
        parts.append(f'<ul class="lm-muted lm-notes">{notes}</ul>')
    parts.append(f'<div class="lm-muted lm-counts">{esc(report.counts_line())}</div>')
    return box(*parts, cls="lm-report")


# --- Comparison -----------------------------------------------------------------------------


def _shares_html(valuation: Valuation) -> str:
    parts = []
    for share in valuation.shares:
        cite = f' title="{esc(share.source.cite())}"' if share.source else ""
        parts.append(
            f'<span class="lm-share" data-party="{esc(share.party)}"{cite}>{esc(share.party)} '
            f"{esc(plain(share.amount))}</span>"
        )
    return "<br>".join(parts) or "-"


def comparison_rows_html(comparison: Comparison) -> str:
    """The comparison table: one row a platform and feature, gross, each share, net, what is kept."""
    from livemoney.engine.comparison import kept_percent

    headers = [esc(header) for header in comparison.headers()[:-1]]  # the reason stands in the shares cell
    body = []
    for row in comparison.rows:
        valuation = row.valuation.shown()
        if valuation.unknown:
            cells = [
                td(esc(row.platform.name)),
                td(esc(row.feature_name)),
                td(esc(row.availability)),
                td("unknown", "lm-gross lm-unknown", numeric=True),
                td(f'<span class="lm-reason">{esc(valuation.reason or "")}</span>', "lm-unknown"),
                td("unknown", "lm-net lm-unknown", numeric=True),
                td("", numeric=True),
            ]
        else:
            cells = [
                td(esc(row.platform.name)),
                td(esc(row.feature_name)),
                td(esc(row.availability)),
                td(esc(plain(valuation.gross)), "lm-gross", numeric=True),
                td(_shares_html(valuation), "lm-shares"),
                td(esc(plain(valuation.net)), "lm-net", numeric=True),
                td(esc(kept_percent(row.valuation)), "lm-kept", numeric=True),
            ]
        body.append(tr(cells, data_platform=row.platform.key, data_feature=row.feature))
    return table(headers, body, (3, 5, 6), cls="lm-comparison")


def comparison_html(comparison: Comparison) -> str:
    """The comparison with its title; each share's source is its cell's tooltip."""
    return box(
        f'<div class="lm-title">{esc(comparison.title())}</div>',
        comparison_rows_html(comparison),
        cls="lm-compare",
    )


def formatters() -> dict[tuple[str, str], Callable[[Any], str]]:
    """The HTML of each model a notebook shows, by the class's module and name (so that registering them
    imports no engine module): `Platform`, `Valuation`, `Report`, `Comparison`."""
    return {
        ("livemoney.core.models", "Platform"): platform_html,
        ("livemoney.core.models", "Valuation"): valuation_html,
        ("livemoney.engine.report", "Report"): report_html,
        ("livemoney.engine.comparison", "Comparison"): comparison_html,
    }


def register_formatters(ipython: Any) -> None:
    """Show the models of `formatters` as HTML in the rich display of the IPython shell ``ipython``.

    The models carry no ``_repr_html_``: the display is the front end's, registered here when
    ``livemoney`` is imported in a kernel or by ``%load_ext livemoney``.
    """
    html = ipython.display_formatter.formatters["text/html"]
    for (module, name), render in formatters().items():
        html.for_type_by_name(module, name, render)
