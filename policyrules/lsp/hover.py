"""What the language server says about the name under the cursor, as Markdown.

An obligation: its title, refs, cited clause, schedule and deadline in words, and its first
instances (from the compiled rules). A band: its rows. A festival, a set of festivals or a
calendar pattern: its dates in the policy's effective window (from `today` on when the window
holds today). An attribute or a unit fact: its declared type, what it belongs to and the
comment above its declaration. Everything a person reads is a catalogue message, so it
follows `--lang`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from policyrules.calendar.patterns import PatternCalendar
from policyrules.calendar.workdays import CalendarIndeterminate
from policyrules.diagnostics.messages import Listing, Message, msg, status_name, t
from policyrules.diagnostics.source import SourceText
from policyrules.lsp.index import Definition, Key, SymbolIndex, SymbolKind
from policyrules.rules.compiler import CompiledPolicy
from policyrules.rules.days import DayNames
from policyrules.semantics import types as T
from policyrules.syntax import ast
from policyrules.syntax.formatter import due_date, expression, pattern, type_expr

#: how many dates or instances a hover lists
SHOWN = 5


def _code(source: Mapping[str, SourceText], node: ast.Node) -> str:
    """A node as it is written, for a fenced block."""
    span = node.span
    if span is None or span.file not in source:
        return ""
    return source[span.file].text[span.start : span.end]


def _block(text: str) -> str:
    return f"```pol\n{text}\n```"


def _comments(node: ast.Node) -> str:
    comments = getattr(node, "comments", ())
    return "\n".join(c.removeprefix("#").strip() for c in comments)


def _window(tree: ast.PolicyFile | None) -> tuple[dt.date, dt.date | None] | None:
    policy = tree.policy if tree is not None else None
    effective = policy.item(ast.Effective) if policy is not None else None
    if effective is None:
        return None
    return effective.start, effective.end


def _from(window: tuple[dt.date, dt.date | None], today: dt.date) -> tuple[dt.date, dt.date]:
    """The days to list dates in: the window, from today on when it holds today; an open
    window is looked at for two years."""
    start, end = window
    if start <= today and (end is None or today <= end):
        start = today
    return start, end or start.replace(year=start.year + 2)


class Hover:
    def __init__(self, index: SymbolIndex, sources: Mapping[str, SourceText],
                 tree: ast.PolicyFile | None, compiled: CompiledPolicy | None, lang: str,
                 today: dt.date) -> None:
        self.index = index
        self.sources = sources
        self.tree = tree
        self.compiled = compiled
        self.policy = compiled.checked if compiled is not None else None
        self.lang = lang
        self.today = today

    def t(self, template: str, **values: object) -> str:
        return t(self.lang, template, **values)

    def names(self) -> DayNames:
        """What the policy's festival and set names stand for, as day sets."""
        festivals: dict[str, ast.FestivalDef] = {}
        sets: dict[str, ast.SetDef] = {}
        for definition in self.index.definitions.values():
            if isinstance(definition.node, ast.FestivalDef):
                festivals[definition.key.name] = definition.node
            elif isinstance(definition.node, ast.SetDef):
                sets[definition.key.name] = definition.node
        return DayNames(festivals, sets)

    def calendar(self) -> PatternCalendar:
        if self.compiled is not None:
            return self.compiled.patterns
        return PatternCalendar()

    # ------------------------------------------------------------------ entry points

    def of_key(self, key: Key) -> str | None:
        definition = self.index.definitions.get(key)
        if definition is None:
            return None
        match key.kind:
            case SymbolKind.OBLIGATION:
                return self.obligation(definition)
            case SymbolKind.BAND:
                return self.band(definition)
            case SymbolKind.FESTIVAL | SymbolKind.SET:
                return self.dated(definition)
            case SymbolKind.ATTRIBUTE | SymbolKind.UNIT_FACT:
                return self.field(definition)
            case SymbolKind.EVENT:
                return self.event(definition)
            case SymbolKind.FILE:
                count = sum(1 for d in self.index.definitions.values()
                            if d.span.file == key.name and d.key.kind is not SymbolKind.FILE)
                return self.t("file `{name}`: {count} definitions", name=key.name, count=count)
        return self.definition_text(definition)

    def of_pattern(self, node: ast.Pattern) -> str:
        """A calendar pattern written in the policy (`2nd saturday`, `07-01 ± 15 days`)."""
        return f"`{pattern(node)}`\n\n" + self.dates(node)

    # ------------------------------------------------------------------ kinds

    def definition_text(self, definition: Definition) -> str:
        node = definition.node
        text = _block(_code(self.sources, node)) if node is not None else ""
        comments = _comments(node) if node is not None else ""
        return "\n\n".join(part for part in (text, comments) if part)

    def obligation(self, definition: Definition) -> str:
        ob = definition.node
        assert isinstance(ob, ast.Obligation)
        lines = [f"**{ob.name}** — {ob.title}"]
        refs = ob.statement(ast.Refs)
        cites = ob.statement(ast.Cites)
        severity = ob.statement(ast.SeverityStmt)
        level = severity.level if severity is not None else ast.SeverityLevel.MUST
        lines.append(self.t("refs {refs}; cites {cites}; {severity}",
                            refs=", ".join(refs.labels) if refs else "-",
                            cites=cites.clause if cites else "-", severity=msg(level.value)))
        lines.append(self.t("schedule: {schedule}", schedule=self.schedule(ob)))
        lines.append(self.t("deadline: {due}", due=self.due(ob)))
        instances = self.instances(ob.name)
        if instances:
            lines.append(self.t("instances: {instances}", instances=instances))
        return "\n\n".join(lines)

    def schedule(self, ob: ast.Obligation) -> Message:
        for statement in ob.body:
            match statement:
                case ast.Every(unit=unit, on=None):
                    said = msg("every {unit}", unit=msg(unit.value))
                case ast.Every(unit=unit, on=on) if on is not None:
                    said = msg("every {unit}, on `{pattern}`", unit=msg(unit.value),
                               pattern=pattern(on))
                case ast.Once():
                    said = msg("once, over the effective window")
                case ast.EachOccurrence(pattern=on):
                    said = msg("once for each `{pattern}`", pattern=pattern(on))
                case ast.ForEachEvent(kind=kind, where=None):
                    said = msg("once for each `{kind}`", kind=kind)
                case ast.ForEachEvent(kind=kind, where=where) if where is not None:
                    said = msg("once for each `{kind}` where `{condition}`", kind=kind,
                               condition=expression(where))
                case _:
                    continue
            subject = ob.statement(ast.ForEachSubject)
            if subject is not None:
                said = msg("{schedule}, per `{field}` of `{kind}`", schedule=said,
                           field=subject.field, kind=subject.kind)
            return said
        return msg("no schedule")

    def due(self, ob: ast.Obligation) -> Message:
        due = ob.statement(ast.Due)
        if due is None:
            if ob.statement(ast.ForEachEvent) is not None:
                return msg("at the event")
            return msg("at the end of each period")
        written = due_date(due.when)
        if due.time is not None:
            written = _code(self.sources, due).removeprefix("due").strip()
        return msg("`due {rule}`", rule=written)

    def instances(self, name: str) -> str | None:
        if self.compiled is None:
            return None
        compiled = self.compiled.obligation(name)
        window = compiled.window
        start, end = _from((window.start, window.end), self.today)
        shown: list[str] = []
        total = 0
        try:
            for instance in compiled.instances(end):
                if instance.end < start:
                    continue
                total += 1
                if len(shown) < SHOWN:
                    due = (f"{instance.due:%Y-%m-%d %H:%M}" if instance.due is not None
                           else status_name(self.lang, "indeterminate"))
                    shown.append(self.t("{label} (due {due})", label=instance.label, due=due))
        except CalendarIndeterminate:
            pass
        if not shown:
            return None
        listed = str(Listing(shown).in_language(self.lang))
        if total > len(shown):
            listed = self.t("{listed} … {count} in all", listed=listed, count=total)
        return listed

    def band(self, definition: Definition) -> str:
        band = definition.node
        assert isinstance(band, ast.BandDef)
        rows = "\n".join(_code(self.sources, row) for row in band.rows)
        head = self.t("band `{name}`: the least required, by the value's row",
                      name=band.name)
        parts = [head, _block(rows)]
        if band.comments:
            parts.append(_comments(band))
        return "\n\n".join(parts)

    def dated(self, definition: Definition) -> str:
        node = definition.node
        assert isinstance(node, ast.FestivalDef | ast.SetDef)
        head = _block(_code(self.sources, node))
        if isinstance(node, ast.SetDef) and not self.names().festival_names(node.name):
            return head  # a set of values, not of festivals
        return head + "\n\n" + self.dates(ast.NamedPattern(node.name))

    def dates(self, node: ast.Pattern) -> str:
        window = _window(self.tree)
        if window is None:
            return self.t("no effective window to list dates in")
        start, end = _from(window, self.today)
        try:
            found = self.calendar().occurrences(self.names().day_set(node), start, end)
        except CalendarIndeterminate as missing:
            return str(missing.message)
        found = [o for o in found if o.end >= start]
        if not found:
            return self.t("no date from {start} to {end}", start=start, end=end)
        shown = [o.start.isoformat() if o.start == o.end else f"{o.start}..{o.end}"
                 for o in found[:SHOWN]]
        return self.t("dates from {start}: {dates}", start=start,
                      dates=Listing(shown).in_language(self.lang))

    def field(self, definition: Definition) -> str:
        decl = definition.node
        assert isinstance(decl, ast.FieldDecl)
        key = definition.key
        declared = type_expr(decl.type)
        words = self.type_in_words(key)
        if key.kind is SymbolKind.UNIT_FACT:
            head = self.t("unit fact `unit.{name}`: {type}", name=decl.name, type=words)
        else:
            head = self.t("attribute `{name}` of event `{kind}`: {type}", name=decl.name,
                          kind=key.owner, type=words)
        parts = [head, _block(f"{decl.name}: {declared}")]
        if decl.comments:
            parts.append(_comments(decl))
        return "\n\n".join(parts)

    def type_in_words(self, key: Key) -> str:
        """The checked type in words when the policy checks, else as declared."""
        definition = self.index.definitions[key]
        assert isinstance(definition.node, ast.FieldDecl)
        if self.policy is not None:
            defs = self.policy.definitions
            event = defs.events.get(key.owner) if key.owner is not None else None
            found = (defs.unit_fields.get(key.name) if key.kind is SymbolKind.UNIT_FACT
                     else event.fields.get(key.name) if event is not None else None)
            if found is not None:
                return T.describe(found).in_language(self.lang)
        return f"`{type_expr(definition.node.type)}`"

    def event(self, definition: Definition) -> str:
        event = definition.node
        assert isinstance(event, ast.EventDef)
        fields = ", ".join(f"`{f.name}`" for f in event.fields) or "-"
        head = self.t("event kind `{name}`: {fields}", name=event.name, fields=fields)
        parts = [head]
        if event.comments:
            parts.append(_comments(event))
        return "\n\n".join(parts)
