"""`explain`: for one unit and rule, every event of the kinds the rule reads, whether it
counted for each result, and why not — read in the frame that produced the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from policyrules.data.events import Event
from policyrules.diagnostics.messages import t
from policyrules.engine.python.engine import ReferenceEngine
from policyrules.engine.python.frame import Frame
from policyrules.engine.python.values import truthy
from policyrules.engine.verdict import Finding, shown
from policyrules.rules.compiler import CompiledObligation
from policyrules.rules.lower import Lowering
from policyrules.semantics import typed as X
from policyrules.syntax.formatter import expression as show


@dataclass(frozen=True)
class Trace:
    """One event considered for an instance, and whether it counted."""

    event: str
    kind: str
    at: dt.datetime
    counted: bool
    why: str


class Explainer:
    def __init__(self, engine: ReferenceEngine) -> None:
        self.engine = engine
        self.lowering = Lowering(engine.compiled.checked, engine.compiled.names)

    def explain(self, ob: CompiledObligation, unit: str) -> list[tuple[Finding, list[Trace]]]:
        engine, rule = self.engine, ob.rule
        out = []
        for finding, frame in engine.framed(ob, unit):
            traces: list[Trace] = []
            for kind in rule.kinds:
                series = engine.index.series(unit, kind)
                for event in series.events if series else ():
                    if event.at > engine.as_of:
                        continue  # not yet happened: not considered
                    if finding.trigger is not None and kind == rule.kinds[0] \
                            and event.id != finding.trigger:
                        continue  # another trigger: an instance of its own
                    counted = event.id in finding.verdict.evidence
                    why = t(engine.lang, "counted") if counted else self.why_not(
                        ob, finding, frame, event)
                    traces.append(Trace(event.id, event.kind, event.at, counted, why))
            traces.sort(key=lambda trace: (trace.at, trace.event))
            out.append((finding, traces))
        return out

    def why_not(self, ob: CompiledObligation, finding: Finding, frame: Frame | None,
                event: Event) -> str:
        engine, lang = self.engine, self.engine.lang
        instance, due = finding.instance, finding.verdict.due
        start, end = engine.clock.start_of(instance.start), engine.clock.end_of(instance.end)
        kind = engine.compiled.checked.definitions.events.get(event.kind)
        flow = kind is not None and not kind.stock
        if flow and finding.trigger is None:
            if event.at < start:
                return t(lang, "before the period ({label} starts {start})",
                         label=instance.label, start=instance.start)
            if event.at > (max(end, due) if due else end):
                return t(lang, "after the period ({label} ends {end})",
                         label=instance.label, end=instance.end)
        if due is not None and due < event.at <= engine.as_of:
            return t(lang, "after the deadline {due}", due=f"{due:%Y-%m-%d %H:%M}")
        if event.at > engine.as_of:
            return t(lang, "after as_of")
        if flow and instance.qualifying is not None and not any(
            o.contains(event.day) for o in instance.qualifying
        ):
            days = ", ".join(
                o.start.isoformat() if o.start == o.end else f"{o.start}..{o.end}"
                for o in instance.qualifying
            )
            return t(lang, "not on a qualifying day ({days})",
                     days=days or t(lang, "none in this period"))
        if frame is not None:
            looking = frame.but(event=event, evidence=set())
            for condition in ob.checked.typed.requirements:
                for node in _walk(condition):
                    if isinstance(node, X.Selection) and node.kind == event.kind \
                            and node.where is not None:
                        reason = self._why_false(node.where, looking)
                        if reason:
                            return reason
        return t(lang, "not selected by the requirement")

    def _why_false(self, node: X.Expr, frame: Frame) -> str | None:
        """Why `node` is false for the event in view: the first false conjunct, a missing
        value, or the two sides of a comparison."""
        lang, value = self.engine.lang, self.engine.selections.value
        if truthy(value(self.lowering.expr(node), frame)):
            return None
        if isinstance(node, X.Logic) and node.op == "and":
            return self._why_false(node.left, frame) or self._why_false(node.right, frame)
        if isinstance(node, X.Compare):
            left = value(self.lowering.expr(node.left), frame)
            right = value(self.lowering.expr(node.right), frame)
            left_text = show(node.left.syntax)  # type: ignore[arg-type]
            if left is None:
                return t(lang, "`{left}` is missing", left=left_text)
            return t(lang, "`{left}` is {value}, needs {op} {required}", left=left_text,
                     value=shown(left), op=node.op, required=shown(right))
        return t(lang, "`{text}` is false", text=show(node.syntax))  # type: ignore[arg-type]


def _walk(node: X.Expr) -> list[X.Expr]:
    """The typed nodes of a requirement as written: a `let` is a name here, not opened."""
    stack, found = [node], []
    while stack:
        current = stack.pop()
        found.append(current)
        if not isinstance(current, X.LetUse):
            stack.extend(reversed(X.children(current)))  # type: ignore[arg-type]
    return found
