"""Definitions: what a program's files define, collected into one namespace and checked on
their own — event kinds and their attribute types, unit facts, sets, headcount bands (no
gaps, no overlaps, explicit rounding), festival rules, and `let`s that refer in a circle."""

from __future__ import annotations

from policyrules.calendar.names import SOLAR_TERMS
from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import Span
from policyrules.semantics import types as T
from policyrules.semantics.findings import Findings, suggest
from policyrules.semantics.model import (
    BUILTIN_EVENT_FIELDS,
    BUILTIN_UNIT_FIELDS,
    Definitions,
    EventKind,
)
from policyrules.syntax import ast
from policyrules.syntax.loader import Program


class DefinitionChecks:
    """The checker's first part: definitions. Later parts (expressions, obligations) build
    on it; all report to one :class:`Findings`."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.findings = Findings()

    def error(self, message: str, span: Span | None, hint: str | None = None, *,
              code: str) -> None:
        self.findings.error(message, span, hint, code=code)

    def warning(self, message: str, span: Span | None, hint: str | None = None, *,
                code: str) -> None:
        self.findings.warning(message, span, hint, code=code)

    def collect(self) -> Definitions:
        events: dict[str, EventKind] = {}
        unit_fields: dict[str, T.Type] = {}
        sets: dict[str, ast.SetDef] = {}
        bands: dict[str, ast.BandDef] = {}
        festivals: dict[str, ast.FestivalDef] = {}
        lets: dict[str, ast.LetDef] = {}
        first_seen: dict[str, ast.Item] = {}
        unit_field_spans: dict[str, Span | None] = {}

        for tree in self.program.files.values():
            for item in tree.items:
                name = getattr(item, "name", None)
                if isinstance(item, (ast.SetDef, ast.BandDef, ast.FestivalDef, ast.EventDef,
                                     ast.LetDef)):
                    assert isinstance(name, str)
                    if name in first_seen:
                        self._duplicate(f"`{name}`", item, first_seen[name])
                        continue
                    first_seen[name] = item
                match item:
                    case ast.SetDef():
                        sets[item.name] = item
                    case ast.BandDef():
                        bands[item.name] = item
                    case ast.FestivalDef():
                        festivals[item.name] = item
                    case ast.LetDef():
                        lets[item.name] = item
                    case ast.EventDef():
                        events[item.name] = self._event_kind(item)
                    case ast.UnitsDef():
                        for decl in item.fields:
                            if decl.name in BUILTIN_UNIT_FIELDS:
                                self.error(
                                    msg("`{name}` is built in and cannot be declared",
                                        name=decl.name),
                                    decl.span,
                                    "every unit has an `id`; declare only its other facts",
                                    code="reserved-name"
                                )
                            elif decl.name in unit_fields:
                                where = unit_field_spans[decl.name]
                                self.error(
                                    msg("unit fact `{name}` is declared twice", name=decl.name),
                                    decl.span,
                                    msg("it was first declared at {where}",
                                        where=where) if where else None,
                                    code="duplicate"
                                )
                            else:
                                unit_fields[decl.name] = self._declared_type(decl.type)
                                unit_field_spans[decl.name] = decl.span
        return Definitions(events, unit_fields, sets, bands, festivals, lets)

    def _duplicate(self, what: str, item: ast.Node, first: ast.Node) -> None:
        where = msg("it was first defined at {span}", span=first.span) if first.span else None
        self.error(msg("{what} is defined twice", what=what), item.span, where, code="duplicate")

    def _declared_type(self, node: ast.TypeExpr) -> T.Type:
        match node:
            case ast.ScalarType(name=name):
                return T.from_declaration(name)
            case ast.ListType(item=item):
                return T.list_of(self._declared_type(item))
            case ast.EnumType(values=values):
                if len(set(values)) != len(values):
                    self.warning("a value is listed twice in `one of`", node.span, code="duplicate")
                return T.enum(values)
        raise TypeError(node)  # pragma: no cover

    def _event_kind(self, item: ast.EventDef) -> EventKind:
        fields: dict[str, T.Type] = {}
        for decl in item.fields:
            if decl.name in BUILTIN_EVENT_FIELDS:
                self.error(
                    msg("`{name}` is built in and cannot be declared", name=decl.name),
                    decl.span,
                    "every event has `id`, `unit`, `kind` and `at`; declare only its other"
                    " attributes",
                    code="reserved-name"
                )
            elif decl.name in fields:
                self.error(msg("attribute `{name}` of `{name2}` is declared twice",
                               name=decl.name, name2=item.name),
                           decl.span,
                               code="duplicate")
            else:
                fields[decl.name] = self._declared_type(decl.type)
        if item.counts_for is not None:
            shared = fields.get(item.counts_for)
            if shared is None:
                self.error(
                    msg("`counts for {counts_for}` names no attribute of `{name}`",
                        counts_for=item.counts_for, name=item.name),
                    item.span,
                    suggest(item.counts_for, fields)
                    or msg("declare `{counts_for}: list of string` in the block",
                           counts_for=item.counts_for),
                    code="counts-for"
                )
            elif not (shared.kind is T.Kind.LIST and shared.item == T.STRING):
                self.error(
                    msg("`counts for {counts_for}` needs a list of unit ids",
                        counts_for=item.counts_for),
                    item.span,
                    msg("declare `{counts_for}: list of string`", counts_for=item.counts_for),
                    code="counts-for"
                )
        return EventKind(item.name, fields, item.stock, item.counts_for, item.span)

    # ------------------------------------------------------------------ definitions: checks

    def check_definitions(self, defs: Definitions) -> None:
        for band in defs.bands.values():
            self.check_band(band)
        for festival in defs.festivals.values():
            self.check_date_rule(festival.rule, defs)
        for set_def in defs.sets.values():
            self.set_type(set_def, defs)
        for let in defs.lets.values():
            # A top-level `let` is a reusable condition: checked where it is used, because
            # its names (event attributes) mean something only there. Here: only cycles.
            self._let_cycles(let, defs)

    def check_band(self, band: ast.BandDef) -> None:
        if not band.rows:
            self.error(msg("band `{name}` has no rows", name=band.name), band.span,
                       "add rows such as `..20 => 10% round up` and `21.. => 3`",
                       code="band-row")
            return
        for row in band.rows:
            if row.low is not None and row.high is not None and row.low > row.high:
                self.error(msg("band row `{low}..{high}` is empty",
                               low=row.low, high=row.high), row.span,
                           "write the smaller number first",
                               code="band-row")
            if isinstance(row.value, ast.BandPercent):
                if row.value.rounding is None:
                    self.error(
                        msg("band row gives `{percent}%` without saying how to round",
                            percent=row.value.percent),
                        row.value.span or row.span,
                        "a head count is whole: add `round up`, `round down` or `round nearest`",
                        code="band-row"
                    )
                if row.value.percent > 100:
                    self.warning(msg("band row asks for more than 100% ({percent}%)",
                                     percent=row.value.percent),
                                 row.span,
                                     code="band-row")
        ordered = sorted(band.rows, key=lambda r: (-1 if r.low is None else r.low))
        previous: ast.BandRow | None = None
        for row in ordered:
            low = 0 if row.low is None else row.low
            if previous is None:
                if low > 1:
                    self.error(
                        msg("band `{name}` does not cover values below {low}",
                            name=band.name, low=low),
                        row.span,
                        msg("start the first row at `..{value}` or add a row `..{low}`",
                            value=row.high if row.high is not None else '', low=low - 1),
                        code="band-gap"
                    )
            else:
                prev_high = previous.high
                if prev_high is None or low <= prev_high:
                    overlap_to = row.high if prev_high is None else min(
                        prev_high, row.high if row.high is not None else prev_high)
                    covered = f"{low}..{overlap_to}" if overlap_to != low else str(low)
                    self.error(
                        msg("band rows overlap: `{first}` and `{second}` both cover {covered}",
                            first=_row_range(previous), second=_row_range(row), covered=covered),
                        row.span,
                        "each value must fall in exactly one row",
                        code="band-overlap"
                    )
                elif low > prev_high + 1:
                    gap = f"{prev_high + 1}" if low == prev_high + 2 else (
                        f"{prev_high + 1}..{low - 1}")
                    self.error(
                        msg("band `{name}` has a gap: no row covers {gap}",
                            name=band.name, gap=gap),
                        row.span,
                        msg("start this row at `{prev_high}` or add a row `{gap}`",
                            prev_high=prev_high + 1, gap=gap)
                        if ".." in gap else msg("start this row at `{prev_high}`",
                                                prev_high=prev_high + 1),
                        code="band-gap"
                    )
            previous = row if previous is None or previous.high is not None else previous
        last = ordered[-1]
        if all(r.high is not None for r in band.rows):
            self.error(
                msg("band `{name}` does not cover values above {high}",
                    name=band.name, high=last.high),
                last.span,
                msg("make the last row open-ended: `{value}..`",
                    value=last.low if last.low is not None else ''),
                code="band-gap"
            )

    def check_date_rule(self, rule: ast.DateRule, defs: Definitions) -> None:
        match rule:
            case ast.SolarTerm(name=name):
                self._check_term(name, rule.span)
            case ast.DateOffset(distance=distance, base=base):
                if distance.unit is not ast.DurationUnit.DAY or distance.working:
                    self.error("a festival can be shifted only by whole calendar days",
                               distance.span, "write for example `1 day before lunar 01-01`",
                               code="festival-rule")
                self.check_date_rule(base, defs)
            case ast.NthWeekday(month=None):
                self.error("a festival on a weekday needs its month", rule.span,
                           "write for example `3rd sunday of may`",
                           code="festival-rule")
            case _:
                pass

    def _check_term(self, name: str, span: Span | None) -> None:
        if name not in SOLAR_TERMS:
            self.error(
                msg("`{name}` is not a solar term", name=name),
                span,
                suggest(name, SOLAR_TERMS) or "the 24 solar terms are 小寒, 大寒, 立春 … 冬至",
                code="unknown-name"
            )

    def set_type(self, set_def: ast.SetDef, defs: Definitions) -> T.Type:
        members = set_def.members.items
        if all(isinstance(m, ast.StringLit) for m in members):
            values = [m.value for m in members if isinstance(m, ast.StringLit)]
            if len(set(values)) != len(values):
                self.warning(msg("set `{name}` lists a member twice",
                                 name=set_def.name), set_def.span,
                                 code="set-members")
            return T.list_of(T.STRING)
        if all(isinstance(m, ast.Name) for m in members):
            for member in members:
                assert isinstance(member, ast.Name)
                if member.id not in defs.festivals:
                    self.error(
                        msg("`{id}` in set `{name}` is not a festival",
                            id=member.id, name=set_def.name),
                        member.span,
                        suggest(member.id, defs.festivals)
                        or "a set lists strings in quotes, or festivals by name",
                        code="unknown-name"
                    )
            return T.list_of(T.FESTIVAL)
        self.error(
            msg("set `{name}` mixes kinds of members", name=set_def.name),
            set_def.span,
            "a set lists strings in quotes, or festivals by name, not both",
            code="set-members"
        )
        return T.list_of(T.UNKNOWN)

    def _let_cycles(self, let: ast.LetDef, defs: Definitions) -> None:
        seen: list[str] = [let.name]

        def visit(expr: ast.Node) -> bool:
            for node in ast.walk(expr):
                if isinstance(node, ast.Name) and node.id in defs.lets:
                    if node.id == let.name:
                        chain = " → ".join([*seen, node.id])
                        self.error(msg("`let` refers to itself: {chain}", chain=chain), let.span,
                                   "a `let` may use other lets, but not in a circle",
                                   code="let-cycle")
                        return True
                    if node.id not in seen:
                        seen.append(node.id)
                        if visit(defs.lets[node.id].value):
                            return True
                        seen.pop()
            return False

        visit(let.value)

    # ------------------------------------------------------------------ the policy


def _row_range(row: ast.BandRow) -> str:
    low = "" if row.low is None else str(row.low)
    high = "" if row.high is None else str(row.high)
    return f"{low}..{high}"


