"""HTML views: the self-contained report page, and rich display in Jupyter.

`render_report(report, lang)` is one page with everything inline — styles, its script, the
data, no network, no CDN — for the office that supervises the units. It opens with what
needs action (the overdue and at-risk results by unit, worst first, and by obligation, each
with the unit's name, the obligation, the deadline and a plain sentence), then the roll-ups
(per unit, per obligation), then, folded, every result and a units × periods grid per
obligation. Filters by status, unit, obligation and words act on the whole page, and a link
can carry them (`report.html#status=overdue&unit=jd-xinhe`). The page's script draws the
tables from a JSON payload (:mod:`policyrules.report.page`) a page of rows at a time, so a
city's report stays a small DOM; the stylesheet prints the attention section and the
roll-ups on A4. The same pieces give `_repr_html_` to reports, results and policies in
notebooks (server-side: a notebook may not run the page's script).
"""

from __future__ import annotations

import html
from importlib import resources
from typing import TYPE_CHECKING, Any

from policyrules.diagnostics.messages import status_name, t
from policyrules.diagnostics.numbers import number_text
from policyrules.report.page import payload_json, provenance_table, words
from policyrules.report.text import unit_text

if TYPE_CHECKING:
    from policyrules.report.model import Report, Result

#: the status colours of the page, the notebook display and the pictures (white text reads
#: on each)
COLOURS = {
    "met": "#2e7d32",
    "late": "#b7791f",
    "overdue": "#c62828",
    "at_risk": "#e65100",
    "pending": "#607d8b",
    "indeterminate": "#3f51b5",
}
#: rejected rows listed on the page (all of them are in the JSON and on stderr)
SHOWN_REJECTED = 200


def _asset(name: str) -> str:
    return resources.files("policyrules.report").joinpath("assets", name).read_text(
        encoding="utf-8")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def status_badge(status: str, lang: str = "en") -> str:
    colour = COLOURS.get(status, "#999")
    return (
        f'<span class="status s-{_e(status)}" style="background:{colour}"'
        f' data-status="{_e(status)}">{_e(status_name(lang, status))}</span>'
    )


def overview(report: Report, lang: str = "en", buttons: bool = False) -> str:
    """One box per status with its count (on the page, buttons that filter by it)."""
    boxes = []
    tag = "button" if buttons else "div"
    for status, count in report.counts().items():
        colour = COLOURS.get(status, "#999")
        empty = "" if count else " empty"
        boxes.append(
            f'<{tag} class="box{empty}" data-status="{_e(status)}" style="background:{colour}">'
            f"<b>{count}</b>{_e(status_name(lang, status))}</{tag}>"
        )
    return f'<div class="overview">{"".join(boxes)}</div>'


def results_table(results: list[Result], lang: str = "en", limit: int | None = None) -> str:
    """Results as an HTML table (the notebook display; the page draws its own)."""
    headers = ["unit", "obligation", "refs", "period", "due", "status", "actual/req", "reason"]
    head = "".join(f"<th>{_e(t(lang, h))}</th>" for h in headers)
    rows = []
    for r in results[:limit] if limit else results:
        numbers = "" if r.required is None else f"{_num(r.actual)}/{_num(r.required)}"
        evidence = ", ".join(r.evidence)
        clause = r.source.clause or ""
        detail = (
            f'<div class="plain">{_e(r.plain or r.reason)}</div>'
            + (f'<div class="small">{_e(r.reason)}</div>' if r.plain else "")
            + (f'<div class="small">{_e(r.slack)}</div>' if r.slack else "")
            + (f'<div class="small">{_e(t(lang, "evidence"))}: {_e(evidence)}</div>'
               if evidence else "")
            + f'<div class="small">{_e(clause)} · {_e(r.source.file)}:{_e(r.source.line)}</div>'
            + (f'<div class="small">{_e(r.consequence)}</div>' if r.consequence else "")
        )
        who = unit_text(r, lang) + (f" · {r.person}" if r.person else "")
        rows.append(
            f'<tr class="result" data-status="{_e(r.status)}" data-unit="{_e(r.unit)}"'
            f' data-obligation="{_e(r.obligation)}">'
            f"<td>{_e(who)}</td><td>{_e(r.obligation)}<div class='small'>{_e(r.title)}</div></td>"
            f"<td>{_e(' '.join(r.refs))}</td><td>{_e(r.period.label)}</td>"
            f"<td>{_e(r.due.strftime('%Y-%m-%d %H:%M') if r.due else '')}</td>"
            f"<td>{status_badge(r.status, lang)}</td><td>{_e(numbers)}</td><td>{detail}</td></tr>"
        )
    more = ""
    if limit and len(results) > limit:
        left = t(lang, "… and {count} more", count=len(results) - limit)
        more = f'<p class="small">{_e(left)}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def render_report(report: Report, lang: str = "en") -> str:
    """The whole report as one self-contained HTML page."""
    said = words(lang)
    summary = report.summary
    issuer = report.provenance.issuer if report.provenance else None
    document = report.provenance.document if report.provenance else None
    cited = " · ".join(_e(x) for x in (report.policy, issuer, document) if x)
    inputs = t(lang, "{units} units · {results} results · events: {rows} rows, {accepted}"
                     " accepted, {rejected} rejected", units=summary.units_checked,
               results=summary.results, rows=summary.event_rows,
               accepted=summary.events_accepted, rejected=summary.events_rejected)
    as_of = t(lang, "as of {day}", day=f"{report.as_of:%Y-%m-%d %H:%M}")
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(report.title)} — {_e(report.as_of.date())}</title>
<style>{_asset("report.css")}</style></head><body><main>
<header><h1>{_e(report.title)}</h1>
<div class="meta">{cited}</div>
<div class="meta">{_e(as_of)} · {_e(inputs)}</div></header>
{overview(report, lang, buttons=True)}
{_filters(said)}
<noscript><p class="none">{_e(said["noscript"])}</p></noscript>
<section id="attention"><h2>{_e(said["attention"])}</h2>
<p class="hint">{_e(said["attentionHint"])}</p>
{_tabs(("attention-units", said["byUnit"]), ("attention-obligations", said["byObligation"]))}
</section>
<section id="rollups"><h2>{_e(said["rollups"])}</h2>
{_tabs(("rollup-units", said["perUnit"]), ("rollup-obligations", said["perObligation"]))}
</section>
<details class="section" id="results"><summary>{_e(said["allResults"])}</summary>
<div id="results-table"></div></details>
<details class="section" id="grids"><summary>{_e(said["grids"])}</summary>
<p class="hint">{_e(said["gridsHint"])}</p>{_legend(lang, said)}{_grid_list(report)}</details>
{_rejected(report, lang)}{_notes(report, said)}{_provenance(report, lang, said)}
<script type="application/json" id="report-data">{payload_json(report, lang)}</script>
<script>{_asset("report.js")}</script>
</main></body></html>
"""


def _filters(said: dict[str, str]) -> str:
    """The filters the script reads (and a link's `#status=…&unit=…` sets)."""
    def label(key: str) -> str:
        return f'aria-label="{_e(said[key])}"'

    return "\n".join([
        '<div class="filters">',
        f'<select id="f-status" {label("status")}>'
        f'<option value="">{_e(said["allStatuses"])}</option></select>',
        f'<input id="f-unit" list="unit-names" type="search" {label("unit")}'
        f' placeholder="{_e(said["unitHint"])}"><datalist id="unit-names"></datalist>',
        f'<select id="f-obligation" {label("obligation")}>'
        f'<option value="">{_e(said["allObligations"])}</option></select>',
        f'<input id="f-q" type="search" {label("search")} placeholder="{_e(said["search"])}">',
        f'<button id="clear" type="button">{_e(said["clear"])}</button>',
        '<span id="filter-problem" class="problem"></span><span id="shown" class="shown">'
        "</span></div>",
    ])


def _tabs(*panels: tuple[str, str]) -> str:
    """Buttons that show one panel at a time (print shows them all)."""
    buttons = "".join(f'<button type="button" data-tab="{name}">{_e(title)}</button>'
                      for name, title in panels)
    boxes = "".join(f'<div id="{name}" class="tab-panel"></div>' for name, _ in panels)
    return f'<div class="tabs">{buttons}</div>{boxes}'


def _legend(lang: str, said: dict[str, str]) -> str:
    keys = "".join(
        f'<span><i style="background:{colour}"></i>{_e(status_name(lang, status))}</span>'
        for status, colour in COLOURS.items())
    empty = f'<span><i style="background:#eceff1"></i>{_e(said["noResult"])}</span>'
    return f'<div class="legend"><b>{_e(said["legend"])}</b>{keys}{empty}</div>'


def _grid_list(report: Report) -> str:
    seen: dict[str, Result] = {}
    for r in report.results:
        seen.setdefault(r.obligation, r)
    return "".join(
        f'<details class="grid-of" data-index="{index}"><summary>{_e(name)} — {_e(r.title)}'
        f' <span class="small">{_e(" ".join(r.refs))}</span></summary>'
        f'<div class="grid-box"></div></details>'
        for index, (name, r) in enumerate(seen.items()))


def _rejected(report: Report, lang: str) -> str:
    if not report.rejected:
        return ""
    items = "".join(f"<li>{_e(r.text(lang))}</li>" for r in report.rejected[:SHOWN_REJECTED])
    more = len(report.rejected) - SHOWN_REJECTED
    if more > 0:
        items += f"<li>{_e(t(lang, '… and {count} more', count=more))}</li>"
    title = t(lang, "Rejected input")
    return (f'<section id="rejected"><h2>{_e(title)} ({len(report.rejected)})</h2>'
            f"<ul>{items}</ul></section>")


def _notes(report: Report, said: dict[str, str]) -> str:
    if not report.notes:
        return ""
    items = "".join(f"<li>{_e(note)}</li>" for note in report.notes)
    return f'<section id="notes"><h2>{_e(said["notes"])}</h2><ul>{items}</ul></section>'


def _provenance(report: Report, lang: str, said: dict[str, str]) -> str:
    rows = provenance_table(report, lang)
    if not rows:
        return ""
    body = "".join("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return (f'<section id="provenance"><h2>{_e(said["provenance"])}</h2>'
            f'<table class="provenance">{body}</table></section>')


def _num(value: float | None) -> str:
    return number_text(value, 3, none="-")
