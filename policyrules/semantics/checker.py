"""Syntax trees → a checked policy: names resolved, types inferred, rules validated.

The checker reads a whole :class:`~policyrules.syntax.loader.Program` (a policy and its imports) and
collects *every* problem before raising :class:`~policyrules.diagnostics.errors.PolicyCheckError`:
undefined or misspelt names (with "did you mean"), type errors, headcount bands with gaps or
overlaps, deadlines before their window, duplicate names and statements, and so on. Problems
that do not stop the policy from being evaluated are warnings, kept on the checked policy.

Names a policy can use: every definition of every file in the program (imports included),
one namespace for sets, bands, festivals, event kinds and top-level `let`s.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from policyrules.calendar.names import SOLAR_TERMS
from policyrules.diagnostics.errors import Diagnostic, PolicyCheckError, Severity
from policyrules.diagnostics.messages import msg
from policyrules.diagnostics.source import SourceText, Span
from policyrules.semantics import types as T
from policyrules.syntax import ast
from policyrules.syntax.formatter import expression as show
from policyrules.syntax.loader import Program

#: Attributes every event has, whatever its kind (contract.md).
BUILTIN_EVENT_FIELDS: dict[str, T.Type] = {
    "id": T.STRING,
    "unit": T.STRING,
    "kind": T.STRING,
    "at": T.DATETIME,
}
#: Facts every unit has.
BUILTIN_UNIT_FIELDS: dict[str, T.Type] = {"id": T.STRING}
WINDOW_FIELDS: dict[str, T.Type] = {"start": T.DATE, "end": T.DATE, "label": T.STRING}

DEFAULT_TIMEZONE = "Asia/Shanghai"
#: 下班: the end of the working day when a policy does not say (documented in language.md).
DEFAULT_WORKDAY_END = dt.time(17, 30)
DEFAULT_WARN = ast.Duration(7, ast.DurationUnit.DAY)

_PERIOD_MONTHS = {
    ast.PeriodUnit.MONTH: 1,
    ast.PeriodUnit.QUARTER: 3,
    ast.PeriodUnit.HALF_YEAR: 6,
    ast.PeriodUnit.YEAR: 12,
}
_PERIOD_ORDER = [
    ast.PeriodUnit.DAY,
    ast.PeriodUnit.WORKING_DAY,
    ast.PeriodUnit.WEEK,
    ast.PeriodUnit.MONTH,
    ast.PeriodUnit.QUARTER,
    ast.PeriodUnit.HALF_YEAR,
    ast.PeriodUnit.YEAR,
]


# ----------------------------------------------------------------------------- checked model


@dataclass(frozen=True)
class EventKind:
    name: str
    fields: Mapping[str, T.Type]
    stock: bool = False
    counts_for: str | None = None
    span: Span | None = None

    def field_type(self, name: str) -> T.Type | None:
        if name in BUILTIN_EVENT_FIELDS:
            return BUILTIN_EVENT_FIELDS[name]
        return self.fields.get(name)


@dataclass(frozen=True)
class Definitions:
    """Everything a policy can refer to by name."""

    events: Mapping[str, EventKind]
    unit_fields: Mapping[str, T.Type]
    sets: Mapping[str, ast.SetDef]
    bands: Mapping[str, ast.BandDef]
    festivals: Mapping[str, ast.FestivalDef]
    lets: Mapping[str, ast.LetDef]


@dataclass(frozen=True)
class Window:
    """An effective window; `end` None means open-ended."""

    start: dt.date
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class CheckedObligation:
    policy: str
    name: str
    title: str
    node: ast.Obligation
    severity: ast.SeverityLevel
    refs: tuple[str, ...]
    cites: str | None
    consequence: str | None
    applies: tuple[ast.Expr, ...]  # the policy's default scope and the obligation's own
    subject: ast.ForEachSubject | None
    schedule: ast.Once | ast.Every | ast.EachOccurrence | ast.ForEachEvent
    window: Window
    lets: Mapping[str, ast.Expr]
    requires: tuple[ast.Expr, ...]
    due: ast.Due | None
    warn: ast.Duration
    accept_late: bool
    partial: ast.PartialMode
    overridable: bool
    supersedes: tuple[str, str] | None
    #: set when a later policy in the program supersedes this one from that date on
    superseded_from: dt.date | None = None

    @property
    def source(self) -> Span | None:
        return self.node.span


@dataclass(frozen=True)
class CheckedPolicy:
    """A policy that parses and checks: ready to be compiled and evaluated."""

    name: str
    title: str
    file: str
    issuer: str | None
    document: str | None
    issued: dt.date | None
    window: Window
    timezone: str
    workday_end: dt.time
    warn: ast.Duration
    consequence: str | None
    obligations: tuple[CheckedObligation, ...]
    definitions: Definitions
    warnings: tuple[Diagnostic, ...]
    sources: Mapping[str, SourceText]
    tree: ast.PolicyFile

    def obligation(self, name: str) -> CheckedObligation:
        for ob in self.obligations:
            if ob.name == name:
                return ob
        raise KeyError(name)

    def __repr__(self) -> str:
        window = f"{self.window.start}..{self.window.end or ''}"
        return (
            f"<CheckedPolicy {self.name} {self.title!r} ({window}):"
            f" {len(self.obligations)} obligations>"
        )

    def _repr_html_(self) -> str:
        from policyrules.report.html import policy_html  # the view layer, loaded only in notebooks

        return policy_html(self)


@dataclass
class _PolicyMeta:
    """A policy's metadata as the checker gathers it (defaults where a policy is silent)."""

    window: Window = field(default_factory=lambda: Window(dt.date(1970, 1, 1)))
    timezone: str = DEFAULT_TIMEZONE
    workday_end: dt.time = DEFAULT_WORKDAY_END
    warn: ast.Duration = DEFAULT_WARN
    consequence: str | None = None
    issued: dt.date | None = None
    issuer: str | None = None
    document: str | None = None
    scope: tuple[ast.Expr, ...] = ()


# ----------------------------------------------------------------------------- scopes


@dataclass(frozen=True)
class _Scope:
    """What names mean at one place of an expression."""

    event: EventKind | None = None  # inside `where` of a selection over this kind
    trigger: EventKind | None = None
    subject: T.Type | None = None
    variables: Mapping[str, T.Type] = field(default_factory=dict)
    lets: Mapping[str, ast.Expr] = field(default_factory=dict)
    expanding: tuple[str, ...] = ()  # lets being expanded, for cycle detection
    selecting_trigger: bool = False  # in `for each KIND where …`, choosing the trigger
    where: str = "expression"  # for messages: "the scope", "a requirement"


def _suggest(name: str, candidates: Iterable[str]) -> str | None:
    # Chinese names are short: one wrong character of two is a ratio of 0.5.
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.5)
    return msg("did you mean `{matches}`?", matches=matches[0]) if matches else None


class _Checker:
    def __init__(self, program: Program) -> None:
        self.program = program
        self._found: dict[tuple[str, Span | None, Severity], Diagnostic] = {}

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem once: a top-level `let` is checked where it is used, and reports a
        mistake of its own only at its first use."""
        return list(self._found.values())

    # ------------------------------------------------------------------ reporting

    def error(self, message: str, span: Span | None, hint: str | None = None) -> None:
        self._add(Diagnostic(message, span, hint, Severity.ERROR, "check"))

    def warning(self, message: str, span: Span | None, hint: str | None = None) -> None:
        self._add(Diagnostic(message, span, hint, Severity.WARNING, "check"))

    def _add(self, diagnostic: Diagnostic) -> None:
        self._found.setdefault((diagnostic.message, diagnostic.span, diagnostic.severity),
                               diagnostic)

    # ------------------------------------------------------------------ definitions

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
                                )
                            elif decl.name in unit_fields:
                                where = unit_field_spans[decl.name]
                                self.error(
                                    msg("unit fact `{name}` is declared twice", name=decl.name),
                                    decl.span,
                                    msg("it was first declared at {where}",
                                        where=where) if where else None,
                                )
                            else:
                                unit_fields[decl.name] = self._declared_type(decl.type)
                                unit_field_spans[decl.name] = decl.span
        return Definitions(events, unit_fields, sets, bands, festivals, lets)

    def _duplicate(self, what: str, item: ast.Node, first: ast.Node) -> None:
        where = msg("it was first defined at {span}", span=first.span) if first.span else None
        self.error(msg("{what} is defined twice", what=what), item.span, where)

    def _declared_type(self, node: ast.TypeExpr) -> T.Type:
        match node:
            case ast.ScalarType(name=name):
                return T.from_declaration(name)
            case ast.ListType(item=item):
                return T.list_of(self._declared_type(item))
            case ast.EnumType(values=values):
                if len(set(values)) != len(values):
                    self.warning("a value is listed twice in `one of`", node.span)
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
                )
            elif decl.name in fields:
                self.error(msg("attribute `{name}` of `{name2}` is declared twice",
                               name=decl.name, name2=item.name),
                           decl.span)
            else:
                fields[decl.name] = self._declared_type(decl.type)
        if item.counts_for is not None:
            shared = fields.get(item.counts_for)
            if shared is None:
                self.error(
                    msg("`counts for {counts_for}` names no attribute of `{name}`",
                        counts_for=item.counts_for, name=item.name),
                    item.span,
                    _suggest(item.counts_for, fields)
                    or msg("declare `{counts_for}: list of string` in the block",
                           counts_for=item.counts_for),
                )
            elif not (shared.kind is T.Kind.LIST and shared.item == T.STRING):
                self.error(
                    msg("`counts for {counts_for}` needs a list of unit ids",
                        counts_for=item.counts_for),
                    item.span,
                    msg("declare `{counts_for}: list of string`", counts_for=item.counts_for),
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
                       "add rows such as `..20 => 10% round up` and `21.. => 3`")
            return
        for row in band.rows:
            if row.low is not None and row.high is not None and row.low > row.high:
                self.error(msg("band row `{low}..{high}` is empty",
                               low=row.low, high=row.high), row.span,
                           "write the smaller number first")
            if isinstance(row.value, ast.BandPercent):
                if row.value.rounding is None:
                    self.error(
                        msg("band row gives `{percent}%` without saying how to round",
                            percent=row.value.percent),
                        row.value.span or row.span,
                        "a head count is whole: add `round up`, `round down` or `round nearest`",
                    )
                if row.value.percent > 100:
                    self.warning(msg("band row asks for more than 100% ({percent}%)",
                                     percent=row.value.percent),
                                 row.span)
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
            )

    def check_date_rule(self, rule: ast.DateRule, defs: Definitions) -> None:
        match rule:
            case ast.SolarTerm(name=name):
                self._check_term(name, rule.span)
            case ast.DateOffset(distance=distance, base=base):
                if distance.unit is not ast.DurationUnit.DAY or distance.working:
                    self.error("a festival can be shifted only by whole calendar days",
                               distance.span, "write for example `1 day before lunar 01-01`")
                self.check_date_rule(base, defs)
            case ast.NthWeekday(month=None):
                self.error("a festival on a weekday needs its month", rule.span,
                           "write for example `3rd sunday of may`")
            case _:
                pass

    def _check_term(self, name: str, span: Span | None) -> None:
        if name not in SOLAR_TERMS:
            self.error(
                msg("`{name}` is not a solar term", name=name),
                span,
                _suggest(name, SOLAR_TERMS) or "the 24 solar terms are 小寒, 大寒, 立春 … 冬至",
            )

    def set_type(self, set_def: ast.SetDef, defs: Definitions) -> T.Type:
        members = set_def.members.items
        if all(isinstance(m, ast.StringLit) for m in members):
            values = [m.value for m in members if isinstance(m, ast.StringLit)]
            if len(set(values)) != len(values):
                self.warning(msg("set `{name}` lists a member twice",
                                 name=set_def.name), set_def.span)
            return T.list_of(T.STRING)
        if all(isinstance(m, ast.Name) for m in members):
            for member in members:
                assert isinstance(member, ast.Name)
                if member.id not in defs.festivals:
                    self.error(
                        msg("`{id}` in set `{name}` is not a festival",
                            id=member.id, name=set_def.name),
                        member.span,
                        _suggest(member.id, defs.festivals)
                        or "a set lists strings in quotes, or festivals by name",
                    )
            return T.list_of(T.FESTIVAL)
        self.error(
            msg("set `{name}` mixes kinds of members", name=set_def.name),
            set_def.span,
            "a set lists strings in quotes, or festivals by name, not both",
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
                                   "a `let` may use other lets, but not in a circle")
                        return True
                    if node.id not in seen:
                        seen.append(node.id)
                        if visit(defs.lets[node.id].value):
                            return True
                        seen.pop()
            return False

        visit(let.value)

    # ------------------------------------------------------------------ the policy

    def check_policy(
        self,
        policy: ast.Policy,
        defs: Definitions,
        all_policies: Mapping[str, ast.Policy],
    ) -> tuple[_PolicyMeta, list[CheckedObligation]]:
        first: dict[type, ast.Item] = {}
        for item in policy.body:
            if isinstance(item, ast.Obligation):
                continue
            if type(item) in first:
                self.error(
                    msg("`{keyword}` is given twice", keyword=_keyword(item)),
                    item.span,
                    msg("the first is at {span}", span=first[type(item)].span),
                )
                continue
            first[type(item)] = item
        meta = _PolicyMeta()
        effective = first.get(ast.Effective)
        if isinstance(effective, ast.Effective):
            meta.window = self._window(effective)
        else:
            self.error(
                msg("policy `{name}` has no effective window", name=policy.name),
                policy.span,
                "add for example `effective 2019-05-22 .. 2019-12-31` (or `effective"
                " 2020-01-01 ..` when it has no end)",
            )
        for given in first.values():
            match given:
                case ast.Timezone(name=name):
                    try:
                        zoneinfo.ZoneInfo(name)
                        meta.timezone = name
                    # a name too long for a file name, or naming a folder, is an OSError
                    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                        self.error(msg("unknown time zone `{name}`", name=name), given.span,
                                   "use an IANA name such as `Asia/Shanghai`")
                case ast.Issued(date=date):
                    meta.issued = date
                    if meta.window.end is not None and date > meta.window.end:
                        self.warning("the policy is issued after its effective window ends",
                                     given.span)
                case ast.Issuer(name=name):
                    meta.issuer = name
                case ast.Document(number=number):
                    meta.document = number
                case ast.WorkdayEnds(time=time):
                    meta.workday_end = time
                case ast.Warn(horizon=horizon):
                    meta.warn = horizon
                case ast.Consequence(text=text):
                    meta.consequence = text
                case ast.AppliesTo(condition=condition):
                    self.check_condition(condition, _Scope(), defs, msg("the scope"))
                    meta.scope = (condition,)
                case _:
                    pass
        obligations: list[CheckedObligation] = []
        names: dict[str, ast.Obligation] = {}
        for ob in policy.obligations:
            if ob.name in names:
                self._duplicate(msg("obligation `{name}`", name=ob.name), ob, names[ob.name])
                continue
            names[ob.name] = ob
            checked = self.check_obligation(policy, ob, defs, meta, all_policies)
            if checked is not None:
                obligations.append(checked)
        return meta, obligations

    def _window(self, item: ast.Effective) -> Window:
        if item.end is not None and item.end < item.start:
            self.error(
                msg("the window ends ({end}) before it starts ({start})",
                    end=item.end, start=item.start),
                item.span,
                "write the start first: `effective START .. END`",
            )
            return Window(item.start, None)
        return Window(item.start, item.end)

    # ------------------------------------------------------------------ obligations

    def check_obligation(
        self,
        policy: ast.Policy,
        ob: ast.Obligation,
        defs: Definitions,
        meta: _PolicyMeta,
        all_policies: Mapping[str, ast.Policy],
    ) -> CheckedObligation | None:
        policy_window, policy_warn = meta.window, meta.warn
        policy_consequence, default_scope = meta.consequence, meta.scope
        single = (ast.Cites, ast.SeverityStmt, ast.AppliesTo, ast.ForEachSubject, ast.Effective,
                  ast.Due, ast.Warn, ast.AcceptLate, ast.Partial, ast.Consequence,
                  ast.Supersedes, ast.UntilSuperseded, ast.Refs)
        seen: dict[type, ast.Item] = {}
        schedule: ast.Item | None = None
        lets: dict[str, ast.Expr] = {}
        for statement in ob.body:
            if isinstance(statement, ast.SCHEDULES):
                if schedule is not None:
                    self.error(
                        msg("obligation `{name}` has two schedules", name=ob.name),
                        statement.span,
                        msg("an obligation has one schedule; the first is at {span}. Split it "
                            "into two obligations", span=schedule.span),
                    )
                else:
                    schedule = statement
            elif isinstance(statement, single):
                if type(statement) in seen:
                    self.error(
                        msg("`{keyword}` is given twice in obligation `{name}`",
                            keyword=_keyword(statement), name=ob.name),
                        statement.span,
                        msg("the first is at {span}", span=seen[type(statement)].span),
                    )
                else:
                    seen[type(statement)] = statement
            elif isinstance(statement, ast.Let):
                if statement.name in lets:
                    self.error(msg("`let {name}` is given twice",
                                   name=statement.name), statement.span)
                elif statement.name in _top_names(defs):
                    self.error(
                        msg("`let {name}` hides the definition of the same name",
                            name=statement.name),
                        statement.span,
                        "choose another name",
                    )
                lets[statement.name] = statement.value
        requires = tuple(s.condition for s in ob.statements(ast.Require))
        if schedule is None:
            self.error(
                msg("obligation `{name}` has no schedule", name=ob.name),
                ob.span,
                "say when it applies: `once`, `every month`, `each 07-01 ± 15 days` or"
                " `for each activity`",
            )
        if not requires:
            self.error(
                msg("obligation `{name}` requires nothing", name=ob.name),
                ob.span,
                "add what must hold, for example `require count(activity) >= 1`",
            )

        window = policy_window
        effective = seen.get(ast.Effective)
        if isinstance(effective, ast.Effective):
            window = self._window(effective)
            if window.start < policy_window.start or (
                policy_window.end is not None
                and (window.end is None or window.end > policy_window.end)
            ):
                self.warning(
                    msg("obligation `{name}` runs outside the policy's effective window",
                        name=ob.name),
                    effective.span,
                    msg("the policy is effective {window_text}",
                        window_text=_window_text(policy_window)),
                )

        subject_stmt = seen.get(ast.ForEachSubject)
        scope = _Scope(lets=lets)
        if isinstance(subject_stmt, ast.ForEachSubject):
            subject_type = self.check_subject(subject_stmt, defs, scope)
            scope = replace(scope, subject=subject_type)
        if isinstance(schedule, ast.ForEachEvent):
            kind = self.event_kind(schedule.kind, schedule.span, defs)
            if kind is not None:
                if schedule.where is not None:
                    self.check_condition(
                        schedule.where,
                        replace(scope, event=kind, selecting_trigger=True),
                        defs,
                        "the trigger's condition",
                    )
                # outside any `where`, bare attribute names are the triggering event's:
                # `for each activity … require hours_recorded`
                scope = replace(scope, trigger=kind, event=kind)
        elif isinstance(schedule, ast.Every):
            if schedule.on is not None:
                self.check_pattern(schedule.on, defs)
        elif isinstance(schedule, ast.EachOccurrence):
            self.check_pattern(schedule.pattern, defs)

        applies = seen.get(ast.AppliesTo)
        scopes = default_scope
        if isinstance(applies, ast.AppliesTo):
            self.check_condition(applies.condition, _Scope(), defs, msg("the scope"))
            scopes = (*default_scope, applies.condition)

        for statement in ob.statements(ast.Let):
            self.expr(statement.value, scope, defs)  # types the let where it is written
        for condition in requires:
            self.check_condition(condition, scope, defs, msg("a requirement"))

        partial = seen.get(ast.Partial)
        if isinstance(partial, ast.Partial) and not isinstance(schedule, ast.Every):
            self.error(
                "`partial periods` applies only to `every …` schedules",
                partial.span,
                "other schedules have no periods cut by the window",
            )
        due = seen.get(ast.Due)
        if isinstance(due, ast.Due):
            self.check_due(due, schedule, window)
        warn_stmt = seen.get(ast.Warn)
        warn = warn_stmt.horizon if isinstance(warn_stmt, ast.Warn) else policy_warn
        if warn.unit is ast.DurationUnit.HOUR and warn.working:  # pragma: no cover
            self.error("a warning horizon in working hours is not supported", warn.span)

        supersedes_stmt = seen.get(ast.Supersedes)
        supersedes: tuple[str, str] | None = None
        if isinstance(supersedes_stmt, ast.Supersedes):
            supersedes = self.check_supersedes(supersedes_stmt, policy, all_policies)

        if isinstance(schedule, ast.Every) and requires:
            self.check_window_can_hold(ob, schedule, window, requires, partial)
        if isinstance(schedule, ast.Once) and window.end is None and due is None:
            self.warning(
                msg("obligation `{name}` has no end and no deadline, so it can never be overdue",
                    name=ob.name),
                schedule.span,
                "give it a deadline (`due 2019-05-27`) or an end (`effective START .. END`)",
            )

        if schedule is None or not requires:
            return None
        assert isinstance(schedule, (ast.Once, ast.Every, ast.EachOccurrence, ast.ForEachEvent))
        severity = seen.get(ast.SeverityStmt)
        cites = seen.get(ast.Cites)
        refs = seen.get(ast.Refs)
        consequence = seen.get(ast.Consequence)
        return CheckedObligation(
            policy=policy.name,
            name=ob.name,
            title=ob.title,
            node=ob,
            severity=severity.level if isinstance(severity, ast.SeverityStmt)
            else ast.SeverityLevel.MUST,
            refs=refs.labels if isinstance(refs, ast.Refs) else (),
            cites=cites.clause if isinstance(cites, ast.Cites) else None,
            consequence=consequence.text if isinstance(consequence, ast.Consequence)
            else policy_consequence,
            applies=scopes,
            subject=subject_stmt if isinstance(subject_stmt, ast.ForEachSubject) else None,
            schedule=schedule,
            window=window,
            lets=lets,
            requires=requires,
            due=due if isinstance(due, ast.Due) else None,
            warn=warn,
            accept_late=ast.AcceptLate in seen,
            partial=partial.mode if isinstance(partial, ast.Partial) else ast.PartialMode.COUNT,
            overridable=ast.UntilSuperseded in seen,
            supersedes=supersedes,
        )

    def check_subject(self, stmt: ast.ForEachSubject, defs: Definitions, scope: _Scope) -> T.Type:
        kind = self.event_kind(stmt.kind, stmt.span, defs)
        if kind is None:
            return T.UNKNOWN
        field_type = kind.field_type(stmt.field)
        if field_type is None:
            self.error(
                msg("`{field}` is not an attribute of `{name}`", field=stmt.field, name=kind.name),
                stmt.span,
                _suggest(stmt.field, [*kind.fields, *BUILTIN_EVENT_FIELDS]),
            )
            field_type = T.UNKNOWN
        if stmt.where is not None:
            self.check_condition(stmt.where, replace(scope, event=kind), defs, msg("the condition"))
        return field_type

    def check_supersedes(
        self, stmt: ast.Supersedes, policy: ast.Policy, all_policies: Mapping[str, ast.Policy]
    ) -> tuple[str, str] | None:
        if stmt.policy == policy.name:
            self.error("an obligation cannot supersede one of its own policy", stmt.span,
                       "remove the obligation it replaces instead")
            return None
        target = all_policies.get(stmt.policy)
        if target is None:
            self.error(
                msg("no imported policy is called `{policy}`", policy=stmt.policy),
                stmt.span,
                _suggest(stmt.policy, all_policies)
                or "import the file of the policy this one supersedes",
            )
            return None
        obligations = {ob.name: ob for ob in target.obligations}
        replaced = obligations.get(stmt.obligation)
        if replaced is None:
            self.error(
                msg("policy `{policy}` has no obligation `{obligation}`",
                    policy=stmt.policy, obligation=stmt.obligation),
                stmt.span,
                _suggest(stmt.obligation, obligations),
            )
            return None
        if replaced.statement(ast.UntilSuperseded) is None:
            self.warning(
                msg("`{policy}.{obligation}` does not say it may be superseded",
                    policy=stmt.policy, obligation=stmt.obligation),
                stmt.span,
                "the notice it comes from did not say \"unless notified otherwise\"; check"
                " that superseding it is intended",
            )
        return stmt.policy, stmt.obligation

    # ------------------------------------------------------------------ deadlines

    def check_due(
        self,
        due: ast.Due,
        schedule: ast.Item | None,
        window: Window,
    ) -> None:
        when = due.when
        if isinstance(when, (ast.AfterAnchor, ast.WeekdayAfter)):
            if when.anchor is ast.Anchor.TRIGGER and not isinstance(schedule, ast.ForEachEvent):
                self.error(
                    "`trigger` is known only in `for each …` obligations",
                    when.span,
                    "count from the period instead: `… after period end`",
                )
            if when.anchor is not ast.Anchor.TRIGGER and isinstance(schedule, ast.ForEachEvent):
                self.warning(
                    "a per-event deadline counted from the period, not the event",
                    when.span,
                    "did you mean `… after trigger`?",
                )
        if isinstance(when, ast.OnDate):
            if when.date < window.start:
                self.error(
                    msg("the deadline {date} is before the obligation's window starts ({start})",
                        date=when.date, start=window.start),
                    when.span,
                    "a deadline must leave time to meet it: check the date or the window",
                )
            if isinstance(schedule, ast.Every):
                self.warning(
                    "a fixed date is the deadline of every period",
                    when.span,
                    "for a deadline in each period use for example `due day 25 of last"
                    " month` or `due 03-20`",
                )
        if isinstance(when, ast.MonthDayOfPeriod) and not isinstance(schedule, ast.ForEachEvent):
            if not (isinstance(schedule, ast.Every) and schedule.unit is ast.PeriodUnit.YEAR) and (
                not isinstance(schedule, ast.Once)
            ):
                self.error(
                    msg("`due {day}` needs a yearly schedule",
                        day=f"{when.month:02d}-{when.day:02d}"),
                    when.span,
                    "use `every year`, or give a full date such as `due 2019-05-27`",
                )
            else:
                first = _safe_date(window.start.year, when.month, when.day)
                if first is not None and first < window.start:
                    self.warning(
                        msg("in {year} the deadline {first} falls before the window starts "
                            "({start})", year=window.start.year, first=first, start=window.start),
                        when.span,
                        msg("that year cannot be met in time; start the obligation later "
                            "(`effective {year}-01-01 ..`) if the notice means the next year",
                            year=window.start.year + 1),
                    )
        if isinstance(when, (ast.DayOfLastMonth, ast.DayOfMonth)) and not isinstance(
            schedule, ast.ForEachEvent
        ):
            months = (
                _PERIOD_MONTHS.get(schedule.unit) if isinstance(schedule, ast.Every) else None
            )
            if months is None:
                self.error(
                    "a day of the period's month needs a monthly, quarterly or yearly schedule",
                    when.span,
                    "use `every month`, `every quarter`, `every half year` or `every year`",
                )
            elif isinstance(when, ast.DayOfMonth) and when.month > months:
                self.error(
                    msg("a {unit} has no month {month}",
                        unit=msg(schedule.unit.value),  # type: ignore[union-attr]
                        month=when.month),
                    when.span,
                    msg("use a month from 1 to {months}", months=months),
                )
            if when.day > 28:
                self.warning(
                    msg("day {day} does not exist in every month", day=when.day),
                    when.span,
                    "in shorter months the deadline is the month's last day",
                )
        if isinstance(schedule, ast.ForEachEvent) and isinstance(
            when, (ast.PeriodEnd, ast.DayOfLastMonth, ast.DayOfMonth, ast.MonthDayOfPeriod)
        ):
            self.error(
                "a per-event obligation has no period to end",
                when.span,
                "count from the event: `due 2 working days after trigger`",
            )

    # ------------------------------------------------------------------ window warnings

    def check_window_can_hold(
        self,
        ob: ast.Obligation,
        schedule: ast.Every,
        window: Window,
        requires: Sequence[ast.Expr],
        partial: ast.Item | None,
    ) -> None:
        """Warn about requirements that the window cannot hold, e.g. four a year with at
        most one a quarter, in a window of three quarters (YZ-1/YZ-2)."""
        for condition in requires:
            for node in ast.walk(condition):
                if isinstance(node, ast.PeriodGroup) and _longer(node.unit, schedule.unit):
                    self.error(
                        msg("a {unit} does not fit in a {schedule}", unit=msg(node.unit.value),
                            schedule=msg(schedule.unit.value)),
                        node.span,
                        msg("group by a period shorter than the schedule's (`every {unit}`)",
                            unit=schedule.unit.value),
                    )
        mode = partial.mode if isinstance(partial, ast.Partial) else ast.PartialMode.COUNT
        if mode is not ast.PartialMode.COUNT or schedule.unit not in _PERIOD_MONTHS:
            return
        months = _PERIOD_MONTHS[schedule.unit]
        for edge in _partial_edges(window, months):
            held_months, total = edge
            for condition in requires:
                lower, upper_per_group = _count_bounds(condition)
                if lower is None:
                    continue
                for unit, upper in upper_per_group.items():
                    group_months = _PERIOD_MONTHS.get(unit)
                    if group_months is None:
                        continue
                    groups = -(-held_months // group_months)
                    if groups * upper < lower:
                        self.warning(
                            msg("the window cannot hold this: {lower} needed, but at most {upper}"
                                " per {unit} fit in the {groups} {unit}{plural} of {total}",
                                lower=lower,
                                upper=upper, unit=msg(unit.value), groups=groups,
                                plural="s" if groups != 1 else "", total=total),
                            condition.span,
                            "say `partial periods prorate` or `skip`, or give the partial"
                            " period its own obligation with its own target",
                        )
                if partial is None and lower >= 2 and not upper_per_group:
                    self.warning(
                        msg("{total} is only partly inside the window ({held_months} of {months} "
                            "months); the full target of {lower} applies to it",
                            total=total, held_months=held_months, months=months, lower=lower),
                        condition.span,
                        "targets are not pro-rated unless the policy says so: confirm with"
                        " `partial periods count`, or say `prorate` or `skip`",
                    )

    # ------------------------------------------------------------------ expressions

    def event_kind(self, name: str, span: Span | None, defs: Definitions) -> EventKind | None:
        kind = defs.events.get(name)
        if kind is None:
            self.error(
                msg("unknown event kind `{name}`", name=name),
                span,
                _suggest(name, defs.events)
                or (msg("declare it: `event {name} {{ … }}`", name=name)
                    if name.isidentifier() else None),
            )
        return kind

    def check_condition(self, expr: ast.Expr, scope: _Scope, defs: Definitions, what: str) -> None:
        t = self.expr(expr, replace(scope, where=what), defs)
        if not t.is_unknown and t.kind is not T.Kind.BOOL:
            self.error(
                msg("{what} must be true or false, but this is {type}",
                    what=what, type=T.describe(t)),
                expr.span,
                _boolean_hint(expr),
            )

    def check_pattern(
        self, pattern: ast.Pattern, defs: Definitions, scope: _Scope | None = None
    ) -> None:
        match pattern:
            case ast.NamedPattern(name=name):
                if name in defs.festivals:
                    return
                attribute = scope.event.field_type(name) if scope and scope.event else None
                if attribute is not None:
                    if attribute != T.FESTIVAL:
                        self.error(
                            msg("`{name}` is {type}, not a festival",
                                name=name, type=T.describe(attribute)),
                            pattern.span,
                            msg("declare it `{name}: festival` to match dates against it",
                                name=name),
                        )
                    return
                set_def = defs.sets.get(name)
                if set_def is not None:
                    if self.set_type(set_def, defs).item != T.FESTIVAL:
                        self.error(msg("set `{name}` lists strings, not festivals",
                                       name=name), pattern.span,
                                   "a calendar pattern needs festivals")
                    return
                self.error(
                    msg("unknown festival `{name}`", name=name),
                    pattern.span,
                    _suggest(name, [*defs.festivals, *defs.sets])
                    or msg("define it: `festival {name} = 07-01`", name=name),
                )
            case ast.SolarTerm(name=name):
                self._check_term(name, pattern.span)
            case ast.Around(base=base, distance=distance):
                if distance.unit is ast.DurationUnit.HOUR:
                    self.error("`±` takes days or weeks", distance.span, "write `± 3 days`")
                self.check_pattern(base, defs, scope)
            case ast.AnyOf(options=options):
                for option in options:
                    self.check_pattern(option, defs, scope)
            case _:
                pass

    def expr(self, node: ast.Expr, scope: _Scope, defs: Definitions) -> T.Type:
        match node:
            case ast.IntLit():
                return T.INT
            case ast.DecimalLit():
                return T.NUMBER
            case ast.PercentLit():
                return T.PERCENT
            case ast.StringLit():
                return T.STRING
            case ast.BoolLit():
                return T.BOOL
            case ast.DateLit():
                return T.DATE
            case ast.ListLit(items=items):
                result = T.UNKNOWN
                for item in items:
                    t = self.expr(item, scope, defs)
                    unified = T.unify(result, t)
                    if unified is None:
                        self.error(msg("a list mixes {type} and {type2}",
                                       type=T.describe(result), type2=T.describe(t)),
                                   item.span)
                        return T.list_of(T.UNKNOWN)
                    result = unified
                return T.list_of(result)
            case ast.Name():
                return self.name(node, scope, defs)
            case ast.Context():
                return self.context(node, scope)
            case ast.Attribute():
                return self.attribute(node, scope, defs)
            case ast.BandCall(band=band, argument=argument):
                arg = self.expr(argument, scope, defs)
                if band not in defs.bands:
                    self.error(msg("unknown band `{band}`", band=band), node.span,
                               _suggest(band, defs.bands) or "define it: `band NAME { … }`")
                    return T.UNKNOWN
                if not arg.is_unknown and not arg.is_numeric:
                    self.error(msg("band `{band}` needs a number, not {type}",
                                   band=band, type=T.describe(arg)),
                               argument.span, "pass a unit fact such as `unit.staff`")
                return T.NUMBER
            case ast.Call():
                return self.call(node, scope, defs)
            case ast.Quantifier(variable=variable, collection=collection, condition=condition):
                coll = self.expr(collection, scope, defs)
                element = T.UNKNOWN
                if coll.kind is T.Kind.LIST and coll.item is not None:
                    element = coll.item
                elif not coll.is_unknown:
                    self.error(msg("`{kind}` needs a list, not {type}",
                                   kind=node.kind, type=T.describe(coll)),
                               collection.span)
                inner = replace(scope, variables={**scope.variables, variable: element})
                self.check_condition(condition, inner, defs, msg("the condition of `{kind}`",
                                                                 kind=node.kind))
                return T.BOOL
            case ast.PercentOf(base=base):
                b = self.expr(base, scope, defs)
                if not b.is_unknown and not b.is_numeric:
                    self.error(msg("`% of` needs a number, not {type}",
                                   type=T.describe(b)), base.span)
                return T.NUMBER
            case ast.Negate(operand=operand):
                t = self.expr(operand, scope, defs)
                if not t.is_unknown and not t.is_numeric:
                    self.error(msg("cannot negate {type}", type=T.describe(t)), node.span)
                    return T.UNKNOWN
                return t
            case ast.Not(operand=operand):
                self.check_condition(operand, scope, defs, msg("the operand of `not`"))
                return T.BOOL
            case ast.BoolOp(op=op, left=left, right=right):
                self.check_condition(left, scope, defs, msg("each side of `{op}`", op=op))
                self.check_condition(right, scope, defs, msg("each side of `{op}`", op=op))
                return T.BOOL
            case ast.Arithmetic():
                return self.arithmetic(node, scope, defs)
            case ast.Compare():
                return self.compare(node, scope, defs)
            case ast.Between(value=value, low=low, high=high):
                v = self.expr(value, scope, defs)
                if v.kind is T.Kind.GROUPED and v.item is not None:
                    v = v.item  # `count(activity) per quarter between 0 and 1`: every group
                for bound in (low, high):
                    b = self.expr(bound, scope, defs)
                    if not T.comparable(v, b):
                        self._require_comparable(v, b, value, bound, node)
                        break
                return T.BOOL
            case ast.In():
                return self.membership(node, scope, defs)
            case ast.OnPattern(value=value, pattern=pattern):
                v = self.expr(value, scope, defs)
                if not v.is_unknown and v.kind not in T.TEMPORAL:
                    self.error(msg("`on` needs a date, not {type}", type=T.describe(v)), value.span,
                               "use the event's time: `at on 2nd saturday`")
                self.check_pattern(pattern, defs, scope)
                return T.BOOL
            case ast.During(value=value):
                v = self.expr(value, scope, defs)
                if v.kind is T.Kind.DATE:
                    self.error("a date has no time of day", value.span,
                               "use a date and time such as the event's `at`")
                elif not v.is_unknown and v.kind is not T.Kind.DATETIME:
                    self.error(msg("`during` needs a date and time, not {type}",
                                   type=T.describe(v)),
                               value.span)
                return T.BOOL
            case ast.IsSet(value=value):
                if not isinstance(value, (ast.Name, ast.Attribute)):
                    self.error("`is set` applies to an attribute", value.span,
                               "write for example `festival is set`")
                self.expr(value, scope, defs)
                return T.BOOL
            case ast.Aggregate():
                return self.aggregate(node, scope, defs)
            case ast.Grouped():
                return self.grouped(node, scope, defs)
            case ast.Selection():
                return self.values(node, scope, defs)
        raise TypeError(node)  # pragma: no cover

    def name(self, node: ast.Name, scope: _Scope, defs: Definitions) -> T.Type:
        name = node.id
        if name in scope.variables:
            return scope.variables[name]
        if scope.event is not None:
            t = scope.event.field_type(name)
            if t is not None:
                return t
        for lets in (scope.lets, {k: v.value for k, v in defs.lets.items()}):
            if name in lets:
                if name in scope.expanding:
                    return T.UNKNOWN  # reported once, at the definition
                return self.expr(lets[name], replace(scope, expanding=(*scope.expanding, name)),
                                 defs)
        if name in defs.sets:
            return self.set_type(defs.sets[name], defs)
        if name in defs.festivals:
            self.error(
                msg("festival `{name}` is a day of the calendar, not a value", name=name),
                node.span,
                msg("match a date against it: `at on {name} ± 3 days`", name=name),
            )
            return T.UNKNOWN
        if name in defs.events:
            self.error(
                msg("`{name}` is an event kind, not a value", name=name),
                node.span,
                msg("count its events: `count({name})`", name=name),
            )
            return T.UNKNOWN
        owners = [k.name for k in defs.events.values() if name in k.fields]
        if owners and scope.event is None:
            if scope.trigger is not None and name in scope.trigger.fields:
                hint = msg("the triggering event's attribute is `trigger.{name}`", name=name)
            else:
                hint = msg("use it inside `where`, for example `count({owners} where {name} …)`",
                           owners=owners[0], name=name)
            self.error(msg("`{name}` is an attribute of `{owners}`, not known here",
                           name=name, owners=owners[0]), node.span,
                       hint)
            return T.UNKNOWN
        candidates = [*scope.variables, *scope.lets, *defs.lets, *defs.sets]
        if scope.event is not None:
            candidates += [*scope.event.fields, *BUILTIN_EVENT_FIELDS]
            message = msg("`{name}` is not an attribute of `{name2}`",
                          name=name, name2=scope.event.name)
        else:
            message = msg("unknown name `{name}`", name=name)
        if name in defs.unit_fields:
            self.error(message, node.span, msg("the unit's fact is `unit.{name}`", name=name))
            return T.UNKNOWN
        self.error(message, node.span, _suggest(name, candidates))
        return T.UNKNOWN

    def context(self, node: ast.Context, scope: _Scope) -> T.Type:
        match node.which:
            case ast.ContextName.SUBJECT:
                if scope.subject is None:
                    self.error("`subject` is known only in per-person obligations", node.span,
                               "add `for each person of registration` to the obligation")
                    return T.UNKNOWN
                return scope.subject
            case ast.ContextName.TRIGGER:
                if scope.trigger is None:
                    self.error("`trigger` is known only in `for each …` obligations", node.span)
                    return T.UNKNOWN
                self.error("`trigger` is an event; use one of its attributes", node.span,
                           "for example `trigger.id` or `trigger.at`")
                return T.UNKNOWN
            case ast.ContextName.UNIT:
                self.error("`unit` is a record; use one of its facts", node.span,
                           "for example `unit.staff` or `unit.id`")
                return T.UNKNOWN
            case ast.ContextName.WINDOW:
                self.error("`window` is a period; use `window.start`, `window.end` or"
                           " `window.label`", node.span)
                return T.UNKNOWN
        raise TypeError(node)  # pragma: no cover

    def attribute(self, node: ast.Attribute, scope: _Scope, defs: Definitions) -> T.Type:
        value, name = node.value, node.name
        if not isinstance(value, ast.Context):
            self.expr(value, scope, defs)
            self.error(msg("`.{name}`: only `unit`, `trigger` and `window` have attributes",
                           name=name),
                       node.span)
            return T.UNKNOWN
        fields: Mapping[str, T.Type]
        match value.which:
            case ast.ContextName.UNIT:
                fields = {**BUILTIN_UNIT_FIELDS, **defs.unit_fields}
                what = msg("unit fact")
            case ast.ContextName.TRIGGER:
                if scope.selecting_trigger:
                    self.error(
                        "the trigger is being chosen here, so it has no attributes yet",
                        value.span,
                        msg("in `for each … where`, name the event's attributes bare: `{name}`",
                            name=name),
                    )
                    return T.UNKNOWN
                if scope.trigger is None:
                    self.error("`trigger` is known only in `for each …` obligations",
                               value.span, "add for example `for each activity`")
                    return T.UNKNOWN
                fields = {**BUILTIN_EVENT_FIELDS, **scope.trigger.fields}
                what = msg("attribute of `{name}`", name=scope.trigger.name)
            case ast.ContextName.WINDOW:
                fields = WINDOW_FIELDS
                what = msg("attribute of `window`")
            case ast.ContextName.SUBJECT:
                self.error("`subject` is a value and has no attributes", node.span)
                return T.UNKNOWN
        if name not in fields:
            hint = _suggest(name, fields)
            if value.which is ast.ContextName.UNIT and hint is None:
                hint = msg("declare it: `units {{ {name}: int }}`", name=name)
            self.error(msg("unknown {what} `{name}`", what=what, name=name), node.span, hint)
            return T.UNKNOWN
        return fields[name]

    def call(self, node: ast.Call, scope: _Scope, defs: Definitions) -> T.Type:
        args = [self.expr(a, scope, defs) for a in node.arguments]
        if len(args) != 1:
            self.error(msg("`{function}` takes one argument, not {count}",
                           function=node.function, count=len(args)), node.span)
            return T.UNKNOWN
        arg = args[0]
        if node.function == "len":
            if not arg.is_unknown and arg.kind is not T.Kind.LIST:
                self.error(msg("`len` needs a list, not {type}",
                               type=T.describe(arg)), node.arguments[0].span)
            return T.INT
        if not arg.is_unknown and arg.kind is not T.Kind.STRING:
            self.error(msg("`lower` needs a string, not {type}",
                           type=T.describe(arg)), node.arguments[0].span)
        return T.STRING

    def arithmetic(self, node: ast.Arithmetic, scope: _Scope, defs: Definitions) -> T.Type:
        left = self.expr(node.left, scope, defs)
        right = self.expr(node.right, scope, defs)
        for side, t in ((node.left, left), (node.right, right)):
            if t.kind is T.Kind.PERCENT:
                self.error(
                    msg("a percentage cannot be used with `{op}`", op=node.op),
                    side.span,
                    "compare a ratio with it, or take a share: `10% of unit.staff`",
                )
                return T.UNKNOWN
            if not t.is_unknown and not t.is_numeric:
                self.error(msg("`{op}` needs numbers, not {type}",
                               op=node.op, type=T.describe(t)), side.span)
                return T.UNKNOWN
        if left.is_unknown or right.is_unknown:
            return T.UNKNOWN
        if node.op == "/":
            return T.RATIO
        if left == T.INT and right == T.INT:
            return T.INT
        return T.NUMBER

    def compare(self, node: ast.Compare, scope: _Scope, defs: Definitions) -> T.Type:
        left = self.expr(node.left, scope, defs)
        right = self.expr(node.right, scope, defs)
        if left.kind is T.Kind.GROUPED and right.kind is T.Kind.GROUPED:
            self.error("cannot compare groups with groups", node.span,
                       "compare each group with a number: `count(activity) per month >= 1`")
            return T.BOOL
        left_value = left.item if left.kind is T.Kind.GROUPED and left.item else left
        right_value = right.item if right.kind is T.Kind.GROUPED and right.item else right
        if not T.comparable(left_value, right_value):
            self._require_comparable(left_value, right_value, node.left, node.right, node)
            return T.BOOL
        ordered = node.op in ("<", "<=", ">", ">=")
        for t in (left_value, right_value):
            if ordered and t.kind in (T.Kind.STRING, T.Kind.BOOL, T.Kind.LIST, T.Kind.FESTIVAL):
                self.error(msg("`{op}` cannot order {type}",
                               op=node.op, type=T.describe(t)), node.span,
                           "use `==` or `!=`")
                break
        self._check_enum_literal(left_value, node.right)
        self._check_enum_literal(right_value, node.left)
        self._check_festival_literal(left_value, node.right, defs)
        self._check_festival_literal(right_value, node.left, defs)
        return T.BOOL

    def _check_festival_literal(self, t: T.Type, other: ast.Expr, defs: Definitions) -> None:
        if (
            t.kind is T.Kind.FESTIVAL
            and isinstance(other, ast.StringLit)
            and other.value not in defs.festivals
        ):
            self.error(
                msg("`{value}` is not a festival", value=other.value),
                other.span,
                _suggest(other.value, defs.festivals)
                or "define it: `festival NAME = MM-DD`, or import \"std:festivals\"",
            )

    def _require_comparable(
        self, left: T.Type, right: T.Type, lnode: ast.Expr, rnode: ast.Expr, node: ast.Expr
    ) -> None:
        if T.comparable(left, right):
            return
        if T.Kind.PERCENT in (left.kind, right.kind):
            other, other_node, percent_node = (
                (right, rnode, lnode) if left.kind is T.Kind.PERCENT else (left, lnode, rnode)
            )
            # whole numbers in a policy are counts: of events, participants, staff, people
            needed = msg("a count") if other.kind is T.Kind.INT else T.describe(other)
            del other_node
            pct = show(percent_node)
            self.error(
                msg("a percentage where {needed} is needed", needed=needed),
                percent_node.span,
                msg("compare with a share of something: `{pct} of unit.staff`, or divide two "
                    "counts to get a ratio", pct=pct),
            )
            return
        self.error(
            msg("cannot compare {named} with {named2}",
                named=_named(lnode, left), named2=_named(rnode, right)),
            node.span,
            _compare_hint(left, right),
        )

    def _check_enum_literal(self, t: T.Type, other: ast.Expr) -> None:
        if t.values is None:
            return
        literals = [other] if isinstance(other, ast.StringLit) else (
            list(other.items) if isinstance(other, ast.ListLit) else [])
        for lit in literals:
            if isinstance(lit, ast.StringLit) and lit.value not in t.values:
                self.error(
                    msg("`{value}` is not one of the declared values", value=lit.value),
                    lit.span,
                    _suggest(lit.value, t.values)
                    or msg("the values are {values}",
                           values=", ".join(f"`{v}`" for v in t.values)),
                )

    def membership(self, node: ast.In, scope: _Scope, defs: Definitions) -> T.Type:
        value = self.expr(node.value, scope, defs)
        coll = self.expr(node.collection, scope, defs)
        if coll.is_unknown or value.is_unknown:
            return T.BOOL
        if coll.kind is not T.Kind.LIST:
            self.error(msg("`in` needs a list on its right, not {type}", type=T.describe(coll)),
                       node.collection.span, "write a list `[\"a\", \"b\"]` or a set's name")
            return T.BOOL
        item = coll.item or T.UNKNOWN
        if value.kind is T.Kind.LIST:
            self.error(msg("`in` tests one value, not {type}",
                           type=T.describe(value)), node.value.span,
                       "to test members of a list use `any(x in list: x in …)`")
            return T.BOOL
        if not T.comparable(value, item):
            self.error(
                msg("`in` looks for {type} in {type2}",
                    type=T.describe(value), type2=T.describe(coll)),
                node.span,
                _compare_hint(value, item),
            )
            return T.BOOL
        self._check_enum_literal(value, node.collection)
        if isinstance(node.collection, ast.ListLit):
            for member in node.collection.items:
                self._check_festival_literal(value, member, defs)
        return T.BOOL

    def aggregate(self, node: ast.Aggregate, scope: _Scope, defs: Definitions) -> T.Type:
        function, source = node.function, node.source
        if isinstance(source, ast.Grouped):
            inner = self.grouped(source, scope, defs)
            item = inner.item if inner.item is not None else T.UNKNOWN
            match function:
                case "avg":
                    return T.NUMBER
                case "count":
                    return T.INT
                case "sum" | "min" | "max":
                    return item
            self.error(msg("`{function}` cannot combine groups", function=function), node.span,
                       "use `avg`, `min`, `max`, `sum` or `count` over groups")
            return T.UNKNOWN
        return self.selection(function, source, scope, defs, node)

    def selection(
        self, function: str, sel: ast.Selection, scope: _Scope, defs: Definitions,
        node: ast.Node,
    ) -> T.Type:
        if sel.kind not in defs.events and sel.field is None and sel.where is None:
            # count(volunteers): the size of a set of values
            for lets in (scope.lets, {k: v.value for k, v in defs.lets.items()}):
                if sel.kind in lets or sel.kind in defs.sets:
                    t = self.name(ast.Name(sel.kind, span=sel.span), scope, defs)
                    if function != "count":
                        self.error(msg("`{function}` needs events, `{kind}` is a set",
                                       function=function, kind=sel.kind),
                                   sel.span, msg("use `count({kind})` for its size", kind=sel.kind))
                    elif not t.is_unknown and t.kind is not T.Kind.LIST:
                        self.error(msg("`{kind}` is not a set", kind=sel.kind), sel.span)
                    return T.INT
        kind = self.event_kind(sel.kind, sel.span, defs)
        if kind is None:
            return T.UNKNOWN
        field_type: T.Type | None = None
        if sel.field is not None:
            field_type = kind.field_type(sel.field)
            if field_type is None:
                self.error(
                    msg("`{field}` is not an attribute of `{name}`",
                        field=sel.field, name=kind.name),
                    sel.span,
                    _suggest(sel.field, [*kind.fields, *BUILTIN_EVENT_FIELDS])
                    or msg("declare it in `event {name} {{ … }}`", name=kind.name),
                )
                field_type = T.UNKNOWN
        self.check_event_scope(sel, defs)
        if sel.where is not None:
            self.check_condition(sel.where, replace(scope, event=kind), defs, msg("a `where`"))
        if sel.distinct and function != "count":
            self.error(msg("`distinct` goes with `count`, not `{function}`",
                           function=function), node.span,
                       msg("write `count(distinct {field} of {kind})`",
                           field=sel.field, kind=sel.kind))
            return T.UNKNOWN
        match function:
            case "count":
                if sel.field is not None and not sel.distinct:
                    self.error(
                        "`count` counts events or distinct values",
                        node.span,
                        msg("write `count(distinct {field} of {kind})` or `count({kind} where "
                            "{field} is set)`", field=sel.field, kind=sel.kind),
                    )
                return T.INT
            case "exists":
                if sel.field is not None:
                    self.error("`exists` takes events, not an attribute", node.span,
                               msg("write `exists({kind} where …)`", kind=sel.kind))
                return T.BOOL
        if sel.field is None:
            self.error(
                msg("`{function}` needs an attribute to combine", function=function),
                node.span,
                msg("write for example `{function}(hours of {kind})`",
                    function=function, kind=sel.kind),
            )
            return T.UNKNOWN
        assert field_type is not None
        if function in ("sum", "avg") and not field_type.is_unknown and not field_type.is_numeric:
            self.error(msg("`{function}` needs a number, but `{field}` is {type}",
                           function=function, field=sel.field,
                           type=T.describe(field_type)), node.span)
            return T.UNKNOWN
        if function == "avg":
            return T.NUMBER
        return field_type

    def grouped(self, node: ast.Grouped, scope: _Scope, defs: Definitions) -> T.Type:
        inner = node.aggregate
        item = self.aggregate(inner, scope, defs)
        group = node.group
        if isinstance(group, ast.MemberGroup):
            source = inner.source
            if not isinstance(source, ast.Selection):  # pragma: no cover - grammar
                return T.grouped(item)
            kind = defs.events.get(source.kind)
            members = self.expr(group.members, scope, defs)
            if kind is not None:
                field_type = kind.field_type(group.field)
                if field_type is None:
                    self.error(
                        msg("`{field}` is not an attribute of `{name}`",
                            field=group.field, name=kind.name),
                        group.span,
                        _suggest(group.field, [*kind.fields, *BUILTIN_EVENT_FIELDS]),
                    )
                elif not members.is_unknown:
                    member_item = field_type.item if field_type.kind is T.Kind.LIST else field_type
                    if members.kind is not T.Kind.LIST or (
                        member_item is not None
                        and members.item is not None
                        and not T.comparable(member_item, members.item)
                    ):
                        self.error(
                            msg("`per {field} in …` needs {type}", field=group.field,
                                type=T.describe(T.list_of(member_item or T.UNKNOWN))),
                            group.members.span,
                        )
                    elif member_item is not None:
                        self._check_enum_literal(member_item, group.members)
        return T.grouped(item)

    def values(self, node: ast.Selection, scope: _Scope, defs: Definitions) -> T.Type:
        kind = self.event_kind(node.kind, node.span, defs)
        if kind is None or node.field is None:
            return T.list_of(T.UNKNOWN)
        field_type = kind.field_type(node.field)
        if field_type is None:
            self.error(
                msg("`{field}` is not an attribute of `{name}`", field=node.field, name=kind.name),
                node.span,
                _suggest(node.field, [*kind.fields, *BUILTIN_EVENT_FIELDS]),
            )
            field_type = T.UNKNOWN
        self.check_event_scope(node, defs)
        if node.where is not None:
            self.check_condition(node.where, replace(scope, event=kind), defs, msg("a `where`"))
        return T.list_of(field_type)

    def check_event_scope(self, sel: ast.Selection, defs: Definitions) -> None:
        if sel.scope is ast.EventScope.AREA and "parent" not in defs.unit_fields:
            self.error(
                "`from area` needs to know which units lie under which",
                sel.span,
                "declare the unit fact `parent: string` (the unit each one reports to)",
            )


# ----------------------------------------------------------------------------- helpers


def _keyword(item: ast.Node) -> str:
    return {
        ast.Issuer: "issuer",
        ast.Document: "document",
        ast.Issued: "issued",
        ast.Effective: "effective",
        ast.Timezone: "timezone",
        ast.WorkdayEnds: "workday ends",
        ast.Warn: "warn",
        ast.Consequence: "consequence",
        ast.AppliesTo: "applies to",
        ast.Cites: "cites",
        ast.Refs: "refs",
        ast.SeverityStmt: "severity",
        ast.ForEachSubject: "for each … of",
        ast.Due: "due",
        ast.AcceptLate: "accept late",
        ast.Partial: "partial periods",
        ast.Supersedes: "supersedes",
        ast.UntilSuperseded: "until superseded",
    }.get(type(item), type(item).__name__.lower())


def _top_names(defs: Definitions) -> set[str]:
    return {*defs.sets, *defs.bands, *defs.festivals, *defs.events, *defs.lets}


def _row_range(row: ast.BandRow) -> str:
    low = "" if row.low is None else str(row.low)
    high = "" if row.high is None else str(row.high)
    return f"{low}..{high}"


def _window_text(window: Window) -> str:
    if window.end:
        return f"{window.start} .. {window.end}"
    return msg("from {start}", start=window.start)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _longer(a: ast.PeriodUnit, b: ast.PeriodUnit) -> bool:
    return _PERIOD_ORDER.index(a) > _PERIOD_ORDER.index(b)


def _partial_edges(window: Window, months: int) -> list[tuple[int, str]]:
    """For each period the window cuts, (the whole months of it inside, its label)."""
    edges: list[tuple[int, str]] = []

    def period_of(day: dt.date) -> tuple[int, int]:
        index = (day.month - 1) // months
        return day.year, index

    def label(year: int, index: int) -> str:
        if months == 12:
            return str(year)
        if months == 6:
            return f"{year}H{index + 1}"
        if months == 3:
            return f"{year}Q{index + 1}"
        return f"{year}-{index + 1:02d}"

    start_year, start_index = period_of(window.start)
    first_month = start_index * months + 1
    if window.start != dt.date(start_year, first_month, 1):
        # months of the period from the window's start month on (a cut month counts)
        held = months - (window.start.month - first_month)
        if window.end is not None and period_of(window.end) == (start_year, start_index):
            held = window.end.month - window.start.month + 1
        edges.append((held, label(start_year, start_index)))
    if window.end is not None:
        end_year, end_index = period_of(window.end)
        last_month = end_index * months + months
        next_day = window.end + dt.timedelta(days=1)
        cut = next_day.month != (last_month % 12) + 1 or next_day.day != 1
        if cut and (end_year, end_index) != (start_year, start_index):
            held = window.end.month - end_index * months
            edges.append((held, label(end_year, end_index)))
    return edges


def _count_bounds(condition: ast.Expr) -> tuple[int | None, dict[ast.PeriodUnit, int]]:
    """From a requirement, the least total count it asks for and the most per sub-period it
    allows, where it says so plainly (`count(…) >= 4`, `count(…) per quarter <= 1`)."""
    lower: int | None = None
    upper: dict[ast.PeriodUnit, int] = {}
    stack: list[ast.Expr] = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BoolOp) and node.op == "and":
            stack.extend((node.left, node.right))
            continue
        if isinstance(node, ast.Compare) and isinstance(node.right, ast.IntLit):
            n = node.right.value
            if isinstance(node.left, ast.Aggregate) and node.left.function == "count":
                if node.op in (">=", "=="):
                    lower = max(lower or 0, n)
                elif node.op == ">":
                    lower = max(lower or 0, n + 1)
            if (
                isinstance(node.left, ast.Grouped)
                and isinstance(node.left.group, ast.PeriodGroup)
                and node.op in ("<=", "==", "<")
            ):
                upper[node.left.group.unit] = n - 1 if node.op == "<" else n
        if (
            isinstance(node, ast.Between)
            and isinstance(node.value, ast.Grouped)
            and isinstance(node.value.group, ast.PeriodGroup)
            and isinstance(node.high, ast.IntLit)
        ):
            upper[node.value.group.unit] = node.high.value
    return lower, upper


def _named(node: ast.Expr, t: T.Type) -> str:
    if isinstance(node, (ast.Name, ast.Attribute)):
        return msg("`{show}` ({type})", show=show(node), type=T.describe(t))
    return T.describe(t)


def _compare_hint(left: T.Type, right: T.Type) -> str | None:
    kinds = {left.kind, right.kind}
    if T.Kind.LIST in kinds:
        return "lists are not compared whole: test a member with `in`, or use `all(…)`/`any(…)`"
    if T.Kind.STRING in kinds and kinds & T.NUMERIC:
        return "numbers are written without quotes, strings with them"
    if T.Kind.BOOL in kinds:
        return "use the attribute alone (`risky`) or `not risky`"
    if kinds & T.TEMPORAL:
        return "dates are written year-month-day without quotes: `2019-05-27`"
    return None


def _boolean_hint(expr: ast.Expr) -> str | None:
    if isinstance(expr, ast.Aggregate):
        return msg("did you mean `{show} >= 1`?", show=show(expr))
    if isinstance(expr, ast.Grouped):
        return msg("did you mean `{show} >= 1`?", show=show(expr))
    return None


# ----------------------------------------------------------------------------- entry point


def lint(program: Program) -> list[Diagnostic]:
    """Every error and warning of a program. Unlike :func:`check` it accepts a file that only
    defines shared things (a library such as a festival list) and never raises."""
    root = program.files[program.root]
    if root.policy is None:
        checker = _Checker(program)
        checker.check_definitions(checker.collect())
        return checker.diagnostics
    try:
        return list(check(program).warnings)
    except PolicyCheckError as error:
        return error.diagnostics


def check(program: Program) -> CheckedPolicy:
    """Check a loaded program; raise :class:`PolicyCheckError` with every error found."""
    checker = _Checker(program)
    defs = checker.collect()
    checker.check_definitions(defs)
    root_tree = program.files[program.root]
    policies: dict[str, tuple[str, ast.Policy]] = {}
    for file, tree in program.files.items():
        found = tree.items_of(ast.Policy)
        for extra in found[1:]:
            checker.error("a file holds at most one policy", extra.span,
                          "put each policy in a file of its own")
        if found:
            policy = found[0]
            if policy.name in policies:
                checker._duplicate(msg("policy `{name}`",
                                       name=policy.name), policy, policies[policy.name][1])
            else:
                policies[policy.name] = (file, policy)
    root_policy = root_tree.policy
    if root_policy is None:
        checker.error(
            "the file defines no policy",
            root_tree.span,
            "a policy file holds `policy NAME \"title\" { … }`; files that only define shared"
            " things are imported by one that does",
        )
        raise PolicyCheckError(checker.diagnostics, program.sources)
    by_name = {name: p for name, (_, p) in policies.items()}
    all_obligations: list[CheckedObligation] = []
    root_meta = _PolicyMeta()
    # imported policies first: a later notice (the root) may supersede their obligations
    ordered = [n for n, (f, _) in policies.items() if f != program.root]
    ordered.append(root_policy.name)
    for name in ordered:
        _, policy = policies[name]
        meta, obligations = checker.check_policy(policy, defs, by_name)
        if policy is root_policy:
            root_meta = meta
        all_obligations.extend(obligations)
    all_obligations = _apply_supersession(all_obligations)
    if any(d.is_error for d in checker.diagnostics):
        raise PolicyCheckError(checker.diagnostics, program.sources)
    return CheckedPolicy(
        name=root_policy.name,
        title=root_policy.title,
        file=program.root,
        issuer=root_meta.issuer,
        document=root_meta.document,
        issued=root_meta.issued,
        window=root_meta.window,
        timezone=root_meta.timezone,
        workday_end=root_meta.workday_end,
        warn=root_meta.warn,
        consequence=root_meta.consequence,
        obligations=tuple(all_obligations),
        definitions=defs,
        warnings=tuple(d for d in checker.diagnostics if not d.is_error),
        sources=dict(program.sources),
        tree=root_tree,
    )


def _apply_supersession(obligations: list[CheckedObligation]) -> list[CheckedObligation]:
    starts = {
        ob.supersedes: ob.window.start for ob in obligations if ob.supersedes is not None
    }
    return [
        replace(ob, superseded_from=starts[(ob.policy, ob.name)])
        if (ob.policy, ob.name) in starts
        else ob
        for ob in obligations
    ]
