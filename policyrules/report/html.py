"""HTML views: a self-contained report page, and rich display in Jupyter.

`render_report(report)` is one page with everything inline — styles, a little script, no
network, no CDN — for the office that supervises the units: an overview by status, a grid of
units × periods per obligation coloured by status, and each unit's results with their reasons,
evidence and the notice's clause; filters by status, unit and obligation, and a search box.
The same pieces give `_repr_html_` to reports, results and policies in notebooks.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from policyrules.diagnostics.messages import status_name, t
from policyrules.diagnostics.numbers import number_text

if TYPE_CHECKING:
    from policyrules.report.model import Report, Result

COLOURS = {
    "met": "#2e7d32",
    "late": "#f9a825",
    "overdue": "#c62828",
    "at_risk": "#ef6c00",
    "pending": "#78909c",
    "indeterminate": "#5c6bc0",
}

STYLE = """
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:2em;
color:#222}
h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em}
.meta{color:#555;margin-bottom:1em}
.overview{display:flex;gap:.6em;flex-wrap:wrap;margin:1em 0}
.box{padding:.5em .9em;border-radius:6px;color:#fff;min-width:6em}
.box b{display:block;font-size:1.5em}
.status{display:inline-block;padding:.05em .5em;border-radius:4px;color:#fff;font-size:.85em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5}
.grid td{width:1.2em;height:1.2em;padding:0}
.grid th{font-weight:normal;white-space:nowrap}
.grid th.p{writing-mode:vertical-rl;font-size:.75em;padding:.3em 0}
.filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #eee}
.filters select,.filters input{margin-right:.6em}
.reason{max-width:48em}
.small{color:#666;font-size:.85em}
"""

SCRIPT = """
function applyFilters(){
  const s=document.getElementById('f-status').value,u=document.getElementById('f-unit').value,
    o=document.getElementById('f-obligation').value,
    q=document.getElementById('f-search').value.toLowerCase();
  let shown=0;
  document.querySelectorAll('tr.result').forEach(function(row){
    const ok=(!s||row.dataset.status===s)&&(!u||row.dataset.unit===u)&&
      (!o||row.dataset.obligation===o)&&(!q||row.textContent.toLowerCase().includes(q));
    row.style.display=ok?'':'none'; if(ok){shown++;}
  });
  document.getElementById('shown').textContent=shown;
}
document.querySelectorAll('.filters select,.filters input').forEach(function(e){
  e.addEventListener('input',applyFilters);});
// a link can carry a view: report.html#status=overdue&unit=新河街
new URLSearchParams(location.hash.slice(1)).forEach(function(value,key){
  const field=document.getElementById('f-'+key); if(field){field.value=value;}
});
applyFilters();
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def status_badge(status: str, lang: str = "en") -> str:
    colour = COLOURS.get(status, "#999")
    return (
        f'<span class="status" style="background:{colour}" data-status="{_e(status)}">'
        f"{_e(status_name(lang, status))}</span>"
    )


def overview(report: Report, lang: str = "en") -> str:
    boxes = []
    for status, count in report.counts().items():
        colour = COLOURS.get(status, "#999")
        boxes.append(
            f'<div class="box" style="background:{colour}"><b>{count}</b>'
            f"{_e(status_name(lang, status))}</div>"
        )
    return f'<div class="overview">{"".join(boxes)}</div>'


def results_table(results: list[Result], lang: str = "en", limit: int | None = None) -> str:
    headers = ["unit", "obligation", "refs", "period", "due", "status", "actual/req", "reason"]
    head = "".join(f"<th>{_e(t(lang, h))}</th>" for h in headers)
    rows = []
    for r in results[:limit] if limit else results:
        numbers = "" if r.required is None else f"{_num(r.actual)}/{_num(r.required)}"
        evidence = ", ".join(r.evidence)
        clause = r.source.clause or ""
        detail = (
            f'<div class="reason">{_e(r.reason)}</div>'
            + (f'<div class="small">{_e(r.slack)}</div>' if r.slack else "")
            + (f'<div class="small">evidence: {_e(evidence)}</div>' if evidence else "")
            + (f'<div class="small">{_e(clause)} · {_e(r.source.file)}:{_e(r.source.line)}</div>')
            + (f'<div class="small">{_e(r.consequence)}</div>' if r.consequence else "")
        )
        who = r.unit + (f" · {r.person}" if r.person else "")
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
        more = f'<p class="small">… and {len(results) - limit} more</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def heatmap(report: Report, obligation: str, lang: str = "en") -> str:
    """Units × periods of one obligation, each cell coloured by status."""
    cells: dict[str, dict[str, Result]] = defaultdict(dict)
    periods: dict[str, Any] = {}
    for r in report.results:
        if r.obligation != obligation or r.trigger is not None:
            continue
        cells[r.unit + (f" · {r.person}" if r.person else "")][r.period.label] = r
        periods[r.period.label] = r.period.start
    if not periods:
        return ""
    order = sorted(periods, key=lambda label: periods[label])
    head = "".join(f'<th class="p" title="{_e(p)}">{_e(p)}</th>' for p in order)
    rows = []
    for unit in sorted(cells):
        tds = []
        for period in order:
            result = cells[unit].get(period)
            if result is None:
                tds.append("<td></td>")
                continue
            title = f"{unit} {period}: {status_name(lang, result.status)} — {result.reason}"
            tds.append(
                f'<td title="{_e(title)}" style="background:{COLOURS.get(result.status)}"></td>'
            )
        rows.append(f"<tr><th>{_e(unit)}</th>{''.join(tds)}</tr>")
    return f'<table class="grid"><tr><th></th>{head}</tr>{"".join(rows)}</table>'


def render_report(report: Report, lang: str = "en") -> str:
    """The whole report as one self-contained HTML page."""
    units = sorted({r.unit for r in report.results})
    obligations = list(dict.fromkeys(r.obligation for r in report.results))
    options = {
        "f-status": [("", "status")] + [(s, status_name(lang, s)) for s in COLOURS],
        "f-unit": [("", "unit")] + [(u, u) for u in units],
        "f-obligation": [("", "obligation")] + [(o, o) for o in obligations],
    }
    selects = "".join(
        f'<select id="{name}">'
        + "".join(
            f'<option value="{_e(v)}">{_e(t(lang, label) if not v else label)}</option>'
            for v, label in values
        )
        + "</select>"
        for name, values in options.items()
    )
    grids = "".join(
        f"<h3>{_e(o)}</h3>{heatmap(report, o, lang)}"
        for o in obligations
        if heatmap(report, o, lang)
    )
    rejected = ""
    if report.rejected:
        items = "".join(
            f"<li>{_e(r.source)}:{r.line}: {_e(t(lang, r.what))} {_e(r.id or '')}:"
            f" {_e(r.reason)}</li>"
            for r in report.rejected
        )
        title = t(lang, "Rejected input")
        rejected = f"<h2>{_e(title)} ({len(report.rejected)})</h2><ul>{items}</ul>"
    summary = report.summary
    data = json.dumps({"policy": report.policy, "as_of": report.as_of.isoformat()})
    return f"""<!DOCTYPE html>
<html lang="{'zh' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(report.title)} — {_e(report.as_of.date())}</title>
<style>{STYLE}</style></head><body>
<h1>{_e(report.title)}</h1>
<div class="meta">{_e(report.policy)} · as of {_e(report.as_of.strftime('%Y-%m-%d %H:%M'))} ·
{summary.units_checked} units · {summary.results} results · events: {summary.event_rows} rows,
{summary.events_accepted} accepted, {summary.events_rejected} rejected</div>
{overview(report, lang)}
<h2>{_e(t(lang, "By unit and period"))}</h2>
{grids}
<h2>{_e(t(lang, "Results"))} (<span id="shown">{len(report.results)}</span>)</h2>
<div class="filters">{selects}<input id="f-search" type="search"
placeholder="{_e(t(lang, "search"))}"></div>
{results_table(report.results, lang)}
{rejected}
<script type="application/json" id="report-meta">{_e(data)}</script>
<script>{SCRIPT}</script>
</body></html>
"""


def _num(value: float | None) -> str:
    return number_text(value, 3, none="-")
