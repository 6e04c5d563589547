"""Rich display in Jupyter: policies, reports and results show as HTML tables.

The models know nothing of how they are shown; importing this module (``import
policyrules`` does) gives them their ``_repr_html_``, which IPython looks for.
"""

from __future__ import annotations

from policyrules.report.html import _e, overview, results_table
from policyrules.report.model import Report, Result
from policyrules.semantics import CheckedPolicy


def policy_html(policy: CheckedPolicy) -> str:
    rows = "".join(
        f"<tr><td>{_e(ob.name)}</td><td>{_e(ob.title)}</td><td>{_e(' '.join(ob.refs))}</td>"
        f"<td>{_e(ob.cites)}</td><td>{_e(ob.severity.value)}</td></tr>"
        for ob in policy.obligations
    )
    window = f"{policy.window.start} .. {policy.window.end or ''}"
    return (
        f"<div><b>{_e(policy.title)}</b> <span class='small'>({_e(policy.name)}, "
        f"{_e(policy.issuer)}, effective {_e(window)})</span>"
        "<table><tr><th>obligation</th><th>title</th><th>refs</th><th>cites</th>"
        f"<th>severity</th></tr>{rows}</table></div>"
    )


def report_html(report: Report) -> str:
    head = f"<b>{_e(report.title)}</b> — as of {report.as_of:%Y-%m-%d}"
    return f"<div>{head}{overview(report)}{results_table(report.results, limit=50)}</div>"


def result_html(result: Result) -> str:
    return results_table([result])


def register() -> None:
    """Give the models their HTML display (done once, on import)."""
    CheckedPolicy._repr_html_ = policy_html  # type: ignore[attr-defined]
    Report._repr_html_ = report_html  # type: ignore[attr-defined]
    Result._repr_html_ = result_html  # type: ignore[attr-defined]


register()
