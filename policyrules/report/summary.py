"""`check --format summary`: a page a supervisor forwards — who is behind, and on what.

Per unit (worst first, :mod:`policyrules.report.attention`): each obligation it is behind
on, in a plain sentence; then per obligation: how many units are behind and which. Plain
text for a message or an e-mail (`summary`), Markdown for a wiki or a chat that renders it
(`summary-md`). It fits a page: at most :data:`MAX_UNITS` units with :data:`MAX_ITEMS`
obligations each and :data:`MAX_OBLIGATIONS` obligations, and says how many more there are
(the HTML report has them all).
"""

from __future__ import annotations

from collections.abc import Sequence

from policyrules.diagnostics.messages import Listing, msg, status_name, t
from policyrules.report.attention import Behind, by_obligation, by_unit
from policyrules.report.model import Report, Result
from policyrules.report.text import unit_text

MAX_UNITS = 15
MAX_ITEMS = 4
MAX_OBLIGATIONS = 12
#: periods listed beside a sentence that stands for several results
MAX_PERIODS = 6
#: units named under an obligation
MAX_NAMED = 8


def summary(report: Report, results: Sequence[Result] | None = None, lang: str = "en",
            markdown: bool = False) -> str:
    """The summary of `results` (default: all the report's), in `lang`."""
    shown = report.results if results is None else list(results)
    page = _Page(markdown)
    page.title(t(lang, "{title} ({policy})", title=report.title, policy=report.policy))
    counts = Listing([t(lang, "{count} {status}", count=n, status=status_name(lang, s))
                      for s, n in _counts(shown).items() if n])
    units = len({r.unit for r in shown})
    page.line(t(lang, "as of {day}: {units} units, {results} results ({counts})",
                day=f"{report.as_of:%Y-%m-%d}", units=units, results=len(shown),
                counts=t(lang, counts) if counts else t(lang, "none")))
    behind = by_unit(shown)
    if not behind:
        page.line("")
        page.line(t(lang, "no unit is behind: nothing is overdue or at risk"))
    else:
        page.heading(t(lang, "Units behind, worst first ({count})", count=len(behind)))
        for number, unit in enumerate(behind[:MAX_UNITS], start=1):
            page.numbered(number, t(lang, "{unit}: {counts}",
                                    unit=page.strong(unit_text(_any(unit.items), lang)),
                                    counts=_behind(unit.overdue, unit.at_risk, lang)))
            for item in unit.items[:MAX_ITEMS]:
                page.item(_sentence(item, lang))
            if len(unit.items) > MAX_ITEMS:
                page.item(t(lang, "… and {count} more", count=len(unit.items) - MAX_ITEMS))
        if len(behind) > MAX_UNITS:
            page.line(t(lang, "… and {count} more units: see the full report",
                        count=len(behind) - MAX_UNITS))
        obligations = by_obligation(shown)
        page.heading(t(lang, "Obligations units are behind on ({count})",
                       count=len(obligations)))
        for ob in obligations[:MAX_OBLIGATIONS]:
            named = [unit_text(_Named(u, n), lang) for u, n, _, _ in ob.units[:MAX_NAMED]]
            more = len(ob.units) - MAX_NAMED
            listed = t(lang, Listing(named)) + (
                t(lang, " … and {count} more", count=more) if more > 0 else "")
            counts = Listing(
                ([msg("{count} units overdue", count=ob.units_overdue)] if ob.units_overdue
                 else [])
                + ([msg("{count} units at risk", count=ob.units_at_risk)] if ob.units_at_risk
                   else []))
            page.bullet(t(lang, "{name} — {title} [{refs}]: {counts}: {units}",
                          name=page.strong(ob.obligation), title=page.esc(ob.title),
                          refs=page.esc(" ".join(ob.refs) or "-"), counts=t(lang, counts),
                          units=page.esc(listed)))
        if len(obligations) > MAX_OBLIGATIONS:
            page.line(t(lang, "… and {count} more obligations: see the full report",
                        count=len(obligations) - MAX_OBLIGATIONS))
    provenance = report.provenance
    if provenance is not None:
        page.line("")
        policy_hash = provenance.policy_files[0].sha256[:12] if provenance.policy_files else "-"
        rows = report.summary.event_rows
        page.small(t(lang, "made by policyrules {version} from {file} (sha256 {hash}…) and"
                           " {rows} event rows; holidays {holidays}, working days known through"
                           " {year}", version=provenance.policyrules,
                     file=provenance.policy_files[0].file if provenance.policy_files else "-",
                     hash=policy_hash, rows=rows, holidays=provenance.holidays,
                     year=provenance.horizon))
    return page.text()


def _behind(overdue: int, at_risk: int, lang: str) -> str:
    """`3 overdue, 1 at risk`, leaving out a count that is 0."""
    parts = ([msg("{count} overdue", count=overdue)] if overdue else []) + (
        [msg("{count} at risk", count=at_risk)] if at_risk else [])
    return t(lang, Listing(parts))


def _sentence(item: Behind, lang: str) -> str:
    """What a unit is behind on: the sentence of its last overdue result (else its last
    result), and when several results stand behind it, how many and which periods."""
    overdue = [r for r in item.results if r.status == "overdue"]
    shown = overdue[-1] if overdue else item.latest
    sentence = shown.plain or shown.reason
    if shown.person:
        sentence = t(lang, "{person}: {sentence}", person=shown.person, sentence=sentence)
    if len(item.results) == 1:
        return sentence
    labels = [r.period.label + (f" · {r.person}" if r.person else "") for r in item.results]
    if len(labels) > MAX_PERIODS:
        periods = t(lang, "{first} … {last}", first=labels[0], last=labels[-1])
    else:
        periods = t(lang, Listing(labels))
    return t(lang, "{sentence} ({counts}: {periods})", sentence=sentence,
             counts=_behind(item.overdue, item.at_risk, lang), periods=periods)


def _counts(results: Sequence[Result]) -> dict[str, int]:
    from policyrules.report.model import STATUSES

    found: dict[str, int] = {s: 0 for s in STATUSES}
    for r in results:
        found[r.status] += 1
    return found


class _Named:
    """What :func:`unit_text` reads of a unit."""

    def __init__(self, unit: str, name: str | None) -> None:
        self.unit = unit
        self.unit_name = name


def _any(items: Sequence[Behind]) -> Result:
    return items[0].results[0]


class _Page:
    """Lines of plain text, or of Markdown."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.lines: list[str] = []

    def title(self, text: str) -> None:
        self.lines.append(f"# {_md(text)}" if self.markdown else text)

    def heading(self, text: str) -> None:
        self.lines += ["", f"## {_md(text)}" if self.markdown else text]
        if self.markdown:
            self.lines.append("")

    def line(self, text: str) -> None:
        self.lines.append(_md(text) if self.markdown and text else text)

    def numbered(self, number: int, text: str) -> None:
        self.lines.append(f"{number}. {text}" if self.markdown else f"{number:>2}. {text}")

    def item(self, text: str) -> None:
        self.lines.append(f"    - {_md(text)}" if self.markdown else f"    · {text}")

    def bullet(self, text: str) -> None:
        self.lines.append(f"- {text}" if self.markdown else f"  - {text}")

    def small(self, text: str) -> None:
        self.lines.append(f"<sub>{_md(text)}</sub>" if self.markdown else text)

    def esc(self, text: str) -> str:
        return _md(text) if self.markdown else text

    def strong(self, text: str) -> str:
        return f"**{_md(text)}**" if self.markdown else text

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _md(text: str) -> str:
    """Text as Markdown shows it as written: the characters Markdown reads escaped, code
    in backticks kept."""
    out = []
    for index, piece in enumerate(text.split("`")):
        if index % 2:
            out.append(f"`{piece}`")
        else:
            out.append("".join("\\" + c if c in "\\*_[]<>#|" else c for c in piece))
    return "".join(out)
