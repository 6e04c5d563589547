"""The symbol index of a program: where each name is defined and where it is used.

Built from the syntax trees of the program's files (every node has its span) with the
checker's scoping rules, so that it works on a policy that does not check yet. Names inside
a composite node (the kind of a selection, the band of a call) are found in the node's own
text. Kept apart from the language server so that it can later read the typed, resolved
tree the checker will produce instead of repeating its scoping here.

A symbol is identified by its kind, its name and, for attributes and local lets, what it
belongs to (the event kind, the obligation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from policyrules.diagnostics.source import SourceText, Span
from policyrules.semantics import EventKind
from policyrules.semantics import types as T
from policyrules.semantics.scope import IsAttribute, IsLet, IsSet, IsVariable, Scope, resolve
from policyrules.syntax import ast


class SymbolKind(StrEnum):
    EVENT = "event kind"
    ATTRIBUTE = "attribute"
    UNIT_FACT = "unit fact"
    BAND = "band"
    SET = "set"
    LET = "let"
    FESTIVAL = "festival"
    OBLIGATION = "obligation"
    POLICY = "policy"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Key:
    kind: SymbolKind
    name: str
    owner: str | None = None  # the event kind of an attribute, the obligation of a local let


@dataclass(frozen=True)
class Definition:
    key: Key
    span: Span  # the name where it is defined (for a file: its first character)
    node: ast.Node | None  # None for a file


@dataclass(frozen=True)
class Occurrence:
    """A name at a place of a file, and what it refers to."""

    key: Key
    span: Span


@dataclass
class SymbolIndex:
    definitions: dict[Key, Definition] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    #: each event kind's declared attributes, in order
    attributes: dict[str, list[str]] = field(default_factory=dict)
    unit_facts: list[str] = field(default_factory=list)
    #: for `import "…"` occurrences, the program file it resolved to
    files: dict[str, str] = field(default_factory=dict)

    def at(self, file: str, offset: int) -> Occurrence | None:
        """The name under the cursor (a definition's name counts as an occurrence)."""
        best: Occurrence | None = None
        for occurrence in self.occurrences:
            span = occurrence.span
            inside = span.file == file and span.start <= offset <= span.end
            if inside and (best is None or span.end - span.start < best.span.end - best.span.start):
                best = occurrence
        return best

    def references(self, key: Key) -> list[Occurrence]:
        return [o for o in self.occurrences if o.key == key]


# ----------------------------------------------------------------------------- building


@dataclass(frozen=True)
class _Scope:
    event: str | None = None  # the kind whose attributes bare names are
    trigger: str | None = None
    obligation: str | None = None
    lets: frozenset[str] = frozenset()  # the obligation's own lets
    variables: frozenset[str] = frozenset()  # quantifier variables


_WORD = r"(?<!\w){}(?!\w)"
_NO_VALUE = ast.BoolLit(True)  # the index needs to know that a let is there, not its value


@dataclass
class _Names:
    lets: dict[str, ast.LetDef] = field(default_factory=dict)
    sets: dict[str, ast.SetDef] = field(default_factory=dict)


class _Builder:
    def __init__(self, files: Mapping[str, ast.PolicyFile], sources: Mapping[str, SourceText],
                 imports: Mapping[str, list[str]]) -> None:
        self.files = files
        self.sources = sources
        self.imports = imports
        self.index = SymbolIndex()
        self.top: dict[str, SymbolKind] = {}  # file-level names: lets, sets, festivals, bands
        self.names = _Names()  # the top-level lets and sets, as the scope rule reads them

    # ------------------------------------------------------------------ spans

    def word(self, span: Span | None, word: str, after: int = 0) -> Span | None:
        """The span of `word` standing alone inside `span`, from `after` characters in."""
        if span is None or span.file not in self.sources:
            return None
        source = self.sources[span.file]
        text = source.text[span.start + after : span.end]
        found = re.search(_WORD.format(re.escape(word)), text)
        if found is None:
            return None
        return source.span_at(span.start + after + found.start(), len(word))

    def after_keyword(self, span: Span | None, name: str) -> Span | None:
        """A definition's name: the first time it stands alone after the leading keyword."""
        if span is None or span.file not in self.sources:
            return None
        text = self.sources[span.file].text[span.start : span.end]
        keyword = re.match(r"\w+", text)
        return self.word(span, name, keyword.end() if keyword else 0)

    def define(self, key: Key, span: Span | None, node: ast.Node | None) -> None:
        if span is None:
            return
        self.index.definitions.setdefault(key, Definition(key, span, node))
        self.index.occurrences.append(Occurrence(key, span))

    def use(self, key: Key, span: Span | None) -> None:
        """A use of `key` at `span`; the built-in attributes (`id`, `at` …) and names that
        are not declared have no definition to lead to, and are left out."""
        if key.kind is SymbolKind.ATTRIBUTE and key.name not in self.index.attributes.get(
            key.owner or "", []
        ):
            return
        if key.kind is SymbolKind.UNIT_FACT and key.name not in self.index.unit_facts:
            return
        if span is not None:
            self.index.occurrences.append(Occurrence(key, span))

    # ------------------------------------------------------------------ definitions

    def collect(self) -> None:
        for name, tree in self.files.items():
            if name in self.sources:  # an imported file is defined by its first character
                key = Key(SymbolKind.FILE, name)
                start = self.sources[name].span_at(0, 0)
                self.index.definitions[key] = Definition(key, start, None)
            for item in tree.items:
                self.collect_item(name, item)

    def collect_item(self, file: str, item: ast.FileItem) -> None:
        match item:
            case ast.EventDef(name=name, fields=fields):
                self.define(Key(SymbolKind.EVENT, name), self.after_keyword(item.span, name), item)
                self.index.attributes.setdefault(name, [])
                for decl in fields:
                    self.index.attributes[name].append(decl.name)
                    self.define(Key(SymbolKind.ATTRIBUTE, decl.name, name),
                                self.word(decl.span, decl.name), decl)
            case ast.UnitsDef(fields=fields):
                for decl in fields:
                    self.index.unit_facts.append(decl.name)
                    self.define(Key(SymbolKind.UNIT_FACT, decl.name),
                                self.word(decl.span, decl.name), decl)
            case ast.BandDef(name=name) | ast.SetDef(name=name) | ast.LetDef(name=name) | (
                ast.FestivalDef(name=name)
            ):
                kind = {ast.BandDef: SymbolKind.BAND, ast.SetDef: SymbolKind.SET,
                        ast.LetDef: SymbolKind.LET, ast.FestivalDef: SymbolKind.FESTIVAL}[
                    type(item)]
                self.top.setdefault(name, kind)
                if isinstance(item, ast.LetDef):
                    self.names.lets.setdefault(name, item)
                elif isinstance(item, ast.SetDef):
                    self.names.sets.setdefault(name, item)
                self.define(Key(kind, name), self.after_keyword(item.span, name), item)
            case ast.Policy(name=name):
                self.define(Key(SymbolKind.POLICY, name), self.after_keyword(item.span, name),
                            item)
                for ob in item.obligations:
                    self.define(Key(SymbolKind.OBLIGATION, ob.name),
                                self.after_keyword(ob.span, ob.name), ob)
            case ast.Import():
                pass

    # ------------------------------------------------------------------ references

    def link(self) -> None:
        for name, tree in self.files.items():
            resolved = iter(self.imports.get(name, []))
            for item in tree.items:
                self.link_item(item, resolved)

    def link_item(self, item: ast.FileItem, resolved: Iterator[str]) -> None:
        match item:
            case ast.Import():
                target = next(resolved, None)
                if target is not None and item.span is not None:
                    self.index.files[str(item.span)] = target
                    self.use(Key(SymbolKind.FILE, target), item.span)
            case ast.EventDef(counts_for=counts_for) if counts_for is not None:
                self.use(Key(SymbolKind.ATTRIBUTE, counts_for, item.name),
                         self.word(item.span, counts_for, len("event ") + len(item.name)))
            case ast.SetDef(members=members):
                self.expr(members, _Scope())
            case ast.LetDef(value=value):
                self.expr(value, _Scope())
            case ast.Policy(body=body):
                for entry in body:
                    if isinstance(entry, ast.AppliesTo):
                        self.expr(entry.condition, _Scope())
                    elif isinstance(entry, ast.Obligation):
                        self.obligation(entry)

    def obligation(self, ob: ast.Obligation) -> None:
        lets = frozenset(s.name for s in ob.statements(ast.Let))
        scope = _Scope(obligation=ob.name, lets=lets)
        for let in ob.statements(ast.Let):
            self.define(Key(SymbolKind.LET, let.name, ob.name),
                        self.after_keyword(let.span, let.name), let)
        subject = ob.statement(ast.ForEachSubject)
        if subject is not None:
            field_span = self.word(subject.span, subject.field, len("for each"))
            self.use(Key(SymbolKind.ATTRIBUTE, subject.field, subject.kind), field_span)
            after = (field_span.end - subject.span.start) if field_span and subject.span else 0
            self.use(Key(SymbolKind.EVENT, subject.kind), self.word(subject.span, subject.kind,
                                                                     after))
            if subject.where is not None:
                self.expr(subject.where, replace(scope, event=subject.kind))
        for statement in ob.body:
            match statement:
                case ast.ForEachEvent(kind=kind, where=where):
                    self.use(Key(SymbolKind.EVENT, kind),
                             self.word(statement.span, kind, len("for each")))
                    if where is not None:
                        self.expr(where, replace(scope, event=kind))
                    scope = replace(scope, event=kind, trigger=kind)
                case ast.Every(on=on) if on is not None:
                    self.pattern(on, scope)
                case ast.EachOccurrence(pattern=pattern):
                    self.pattern(pattern, scope)
        for statement in ob.body:
            match statement:
                case ast.AppliesTo(condition=condition):
                    self.expr(condition, _Scope(obligation=ob.name))
                case ast.Let(value=value) | ast.Require(condition=value):
                    self.expr(value, scope)

    def name_key(self, name: str, scope: _Scope) -> Key | None:
        """What a bare name means, by the one scope rule (:mod:`policyrules.semantics.scope`);
        else a festival, band or event kind named where a pattern or a count takes one."""
        kind = None
        if scope.event is not None:
            fields = dict.fromkeys(self.index.attributes.get(scope.event, []), T.UNKNOWN)
            kind = EventKind(scope.event, fields)
        on_trigger = scope.trigger is not None and scope.event == scope.trigger
        rule = Scope(event=kind, event_is_trigger=on_trigger,
                     variables=dict.fromkeys(scope.variables, T.UNKNOWN),
                     lets={name: _NO_VALUE for name in scope.lets})
        match resolve(name, rule, self.names):
            case IsVariable():
                return None
            case IsAttribute(kind=event_kind):
                return Key(SymbolKind.ATTRIBUTE, name, event_kind.name)
            case IsLet(top_level=False):
                return Key(SymbolKind.LET, name, scope.obligation)
            case IsLet() | IsSet():
                return Key(self.top[name], name)
        if name in self.top:
            return Key(self.top[name], name)
        if name in self.index.attributes:
            return Key(SymbolKind.EVENT, name)
        return None

    def pattern(self, node: ast.Pattern, scope: _Scope) -> None:
        for inner in ast.walk(node):
            if isinstance(inner, ast.NamedPattern):
                key = self.name_key(inner.name, scope)
                if key is not None:
                    self.use(key, inner.span)

    def expr(self, node: ast.Node, scope: _Scope) -> None:
        match node:
            case ast.Name(id=name):
                key = self.name_key(name, scope)
                if key is not None:
                    self.use(key, node.span)
            case ast.Attribute(value=ast.Context(which=which), name=name):
                span = node.span
                at = (span.end - span.start - len(name)) if span is not None else 0
                if which is ast.ContextName.UNIT:
                    self.use(Key(SymbolKind.UNIT_FACT, name), self.word(span, name, at))
                elif which is ast.ContextName.TRIGGER and scope.trigger is not None:
                    self.use(Key(SymbolKind.ATTRIBUTE, name, scope.trigger),
                             self.word(span, name, at))
            case ast.BandCall(band=band, argument=argument):
                self.use(Key(SymbolKind.BAND, band), self.word(node.span, band))
                self.expr(argument, scope)
            case ast.Quantifier(variable=variable, collection=collection, condition=condition):
                self.expr(collection, scope)
                self.expr(condition, replace(scope, variables=scope.variables | {variable}))
            case ast.Selection():
                self.selection(node, scope)
            case ast.Grouped(aggregate=aggregate, group=group):
                self.expr(aggregate, scope)
                if isinstance(group, ast.MemberGroup):
                    source = aggregate.source
                    if isinstance(source, ast.Selection):
                        self.use(Key(SymbolKind.ATTRIBUTE, group.field, source.kind),
                                 self.word(group.span, group.field))
                    self.expr(group.members, scope)
            case ast.OnPattern(value=value, pattern=pattern):
                self.expr(value, scope)
                self.pattern(pattern, scope)
            case _:
                for child in ast.children(node):
                    self.expr(child, scope)

    def selection(self, sel: ast.Selection, scope: _Scope) -> None:
        offset = 0
        if sel.field is not None:
            field_span = self.word(sel.span, sel.field, len("distinct") if sel.distinct else 0)
            self.use(Key(SymbolKind.ATTRIBUTE, sel.field, sel.kind), field_span)
            if field_span is not None and sel.span is not None:
                offset = field_span.end - sel.span.start
        kind_span = self.word(sel.span, sel.kind, offset)
        if sel.kind in self.index.attributes:
            self.use(Key(SymbolKind.EVENT, sel.kind), kind_span)
        elif sel.field is None and sel.where is None:
            key = self.name_key(sel.kind, scope)  # count(volunteers): a set's size
            if key is not None:
                self.use(key, kind_span)
        if sel.where is not None:
            self.expr(sel.where, replace(scope, event=sel.kind))


def build_index(
    files: Mapping[str, ast.PolicyFile],
    sources: Mapping[str, SourceText],
    imports: Mapping[str, list[str]] | None = None,
) -> SymbolIndex:
    """The index of a program's files (`Program.files`, `.sources`, `.imports`)."""
    builder = _Builder(files, sources, imports or {})
    builder.collect()
    builder.link()
    return builder.index
