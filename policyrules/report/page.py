"""The data of the HTML report: every result as a compact JSON payload that the page's own
script renders a page at a time, and every word the page shows, in the report's language.

A city's report holds hundreds of thousands of results; drawn as HTML rows they would make a
page of hundreds of megabytes of DOM that no browser scrolls. The payload instead keeps each
result as a short array of numbers that point into shared tables (units, obligations, and
the texts — period labels, reasons, plain sentences, due dates — each stored once: the
reason and the sentence of a result depend on its rule and numbers, not on its unit, so
they repeat across units), and the script draws only what is on screen.

Layout (`results` rows, by position): unit, obligation, person (text or -1), period label,
period start, due, status (index into `statuses`), required, actual (numbers or null),
evidence, reason, plain sentence, slack (text or -1), per event (1) or not (0). Texts are
indexes into `texts`.
"""

from __future__ import annotations

import json
from typing import Any

from policyrules.diagnostics.messages import Message, msg, status_name, t
from policyrules.report.model import STATUSES, Report, provenance_rows

#: the words of the page, by the names the script uses (templates keep their `{blanks}`,
#: which the script fills)
WORDS: dict[str, Message] = {
    "attention": msg("Needs attention"),
    "attentionNone": msg("nothing is overdue or at risk"),
    "attentionHint": msg("overdue and at-risk results, by unit (worst first) and by"
                         " obligation"),
    "byUnit": msg("By unit"),
    "byObligation": msg("By obligation"),
    "rollups": msg("Roll-ups"),
    "perUnit": msg("Per unit"),
    "perObligation": msg("Per obligation"),
    "allResults": msg("All results"),
    "grids": msg("By unit and period"),
    "gridsHint": msg("one grid per obligation: a row per unit, a column per period"),
    "legend": msg("legend"),
    "noResult": msg("no result (not in scope)"),
    "unit": msg("unit"),
    "obligation": msg("obligation"),
    "refs": msg("refs"),
    "period": msg("period"),
    "due": msg("due"),
    "status": msg("status"),
    "numbers": msg("actual/req"),
    "inWords": msg("where it stands"),
    "reason": msg("reason"),
    "evidence": msg("evidence"),
    "noEvidence": msg("no event counted"),
    "slack": msg("still to do"),
    "clause": msg("clause"),
    "source": msg("source"),
    "consequence": msg("consequence"),
    "units": msg("units"),
    "unitsOverdue": msg("units overdue"),
    "unitsAtRisk": msg("units at risk"),
    "total": msg("total"),
    "allStatuses": msg("every status"),
    "allObligations": msg("every obligation"),
    "search": msg("search"),
    "clear": msg("clear the filters"),
    "shown": msg("{shown} of {total} results shown"),
    "more": msg("show {count} more"),
    "morePeriods": msg("+{count} more"),
    "page": msg("page {page} of {pages}"),
    "previous": msg("previous"),
    "next": msg("next"),
    "overdueCount": msg("{count} overdue"),
    "atRiskCount": msg("{count} at risk"),
    "perEvent": msg("per event: no grid, see the results"),
    "unitHint": msg("unit id or name"),
    "unitName": msg("{name} ({unit})"),
    "noUnit": msg("no unit `{unit}`: type an id or a name the list suggests"),
    "noscript": msg("this page draws its tables with JavaScript; turn it on to see the"
                    " results (the provenance below is shown without it)"),
    "provenance": msg("Provenance"),
    "notes": msg("Notes"),
}


def words(lang: str) -> dict[str, str]:
    return {name: t(lang, text) for name, text in WORDS.items()}


class _Texts:
    """Texts stored once each, by index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int:
        if text is None:
            return -1
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.items)
            self.items.append(text)
        return found


def payload(report: Report, lang: str = "en") -> dict[str, Any]:
    """What the page's script renders: the results and the tables they point into."""
    texts = _Texts()
    units: dict[str, int] = {}
    unit_rows: list[list[Any]] = []
    obligations: dict[str, int] = {}
    obligation_rows: list[list[Any]] = []
    rows: list[list[Any]] = []
    status_index = {s: i for i, s in enumerate(STATUSES)}
    for r in sorted(report.results, key=lambda r: r.unit):
        if r.unit not in units:
            units[r.unit] = len(unit_rows)
            unit_rows.append([r.unit, r.unit_name])
    for r in report.results:
        if r.obligation not in obligations:
            obligations[r.obligation] = len(obligation_rows)
            where = f"{r.source.file}:{r.source.line}" if r.source.line else r.source.file
            obligation_rows.append([r.obligation, r.title, " ".join(r.refs), r.severity,
                                    r.source.clause or "", where, r.consequence or ""])
        rows.append([
            units[r.unit], obligations[r.obligation], texts(r.person), texts(r.period.label),
            texts(r.period.start.isoformat()),
            texts(r.due.strftime("%Y-%m-%d %H:%M") if r.due else None),
            status_index[r.status], r.required, r.actual, texts(" ".join(r.evidence)),
            texts(r.reason), texts(r.plain or r.reason), texts(r.slack),
            1 if r.trigger is not None else 0,
        ])
    return {
        "lang": lang,
        "statuses": list(STATUSES),
        "statusNames": {s: status_name(lang, s) for s in STATUSES},
        "words": words(lang),
        "units": unit_rows,
        "obligations": obligation_rows,
        "texts": texts.items,
        "results": rows,
    }


def payload_json(report: Report, lang: str = "en") -> str:
    """The payload as it sits in the page: JSON that cannot end its `<script>` element."""
    text = json.dumps(payload(report, lang), ensure_ascii=False, separators=(",", ":"))
    # `<` only ever stands inside JSON strings, where \u003c means the same
    return text.replace("<", "\\u003c")


def provenance_table(report: Report, lang: str = "en") -> list[list[str]]:
    """The provenance as the page's last table (the CSV footer's rows without their `#`)."""
    if report.provenance is None:
        return []
    return [[row[0].removeprefix("# "), *row[1:]] for row in provenance_rows(report.provenance,
                                                                               lang)[1:]]
