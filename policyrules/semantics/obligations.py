"""Policies and obligations: metadata, statements given once, exactly one schedule, at least
one requirement, the scope and requirements typed in the obligation's context, and what
`supersedes` names."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from policyrules.diagnostics.messages import msg
from policyrules.semantics import typed as X
from policyrules.semantics import types as T
from policyrules.semantics.deadlines import DeadlineChecks
from policyrules.semantics.expressions import ExpressionChecks
from policyrules.semantics.findings import suggest
from policyrules.semantics.model import (
    BUILTIN_EVENT_FIELDS,
    DEFAULT_TIMEZONE,
    DEFAULT_WARN,
    DEFAULT_WORKDAY_END,
    CheckedObligation,
    Definitions,
    TypedObligation,
    Window,
)
from policyrules.semantics.scope import Scope
from policyrules.syntax import ast


@dataclass
class PolicyMeta:
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
    typed_scope: tuple[X.Expr, ...] = ()


class PolicyChecks(ExpressionChecks, DeadlineChecks):
    def check_policy(
        self,
        policy: ast.Policy,
        defs: Definitions,
        all_policies: Mapping[str, ast.Policy],
    ) -> tuple[PolicyMeta, list[CheckedObligation]]:
        first: dict[type, ast.Item] = {}
        for item in policy.body:
            if isinstance(item, ast.Obligation):
                continue
            if type(item) in first:
                self.error(
                    msg("`{keyword}` is given twice", keyword=_keyword(item)),
                    item.span,
                    msg("the first is at {span}", span=first[type(item)].span),
                    code="duplicate"
                )
                continue
            first[type(item)] = item
        meta = PolicyMeta()
        effective = first.get(ast.Effective)
        if isinstance(effective, ast.Effective):
            meta.window = self._window(effective)
        else:
            self.error(
                msg("policy `{name}` has no effective window", name=policy.name),
                policy.span,
                "add for example `effective 2019-05-22 .. 2019-12-31` (or `effective"
                " 2020-01-01 ..` when it has no end)",
                code="window"
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
                                   "use an IANA name such as `Asia/Shanghai`",
                                   code="unknown-name")
                case ast.Issued(date=date):
                    meta.issued = date
                    if meta.window.end is not None and date > meta.window.end:
                        self.warning("the policy is issued after its effective window ends",
                                     given.span,
                                     code="window")
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
                    typed_scope = self.check_condition(condition, Scope(), defs,
                                                       msg("the scope"))
                    meta.scope = (condition,)
                    meta.typed_scope = (typed_scope,)
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
                code="window"
            )
            return Window(item.start, None)
        return Window(item.start, item.end)

    # ------------------------------------------------------------------ obligations

    def check_obligation(
        self,
        policy: ast.Policy,
        ob: ast.Obligation,
        defs: Definitions,
        meta: PolicyMeta,
        all_policies: Mapping[str, ast.Policy],
    ) -> CheckedObligation | None:
        policy_window, policy_warn = meta.window, meta.warn
        policy_consequence, default_scope = meta.consequence, meta.scope
        typed_scope = meta.typed_scope
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
                        code="schedule"
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
                        code="duplicate"
                    )
                else:
                    seen[type(statement)] = statement
            elif isinstance(statement, ast.Let):
                if statement.name in lets:
                    self.error(msg("`let {name}` is given twice",
                                   name=statement.name), statement.span,
                                   code="duplicate")
                elif statement.name in _top_names(defs):
                    self.error(
                        msg("`let {name}` hides the definition of the same name",
                            name=statement.name),
                        statement.span,
                        "choose another name",
                        code="let-shadowing"
                    )
                lets[statement.name] = statement.value
        requires = tuple(s.condition for s in ob.statements(ast.Require))
        if schedule is None:
            self.error(
                msg("obligation `{name}` has no schedule", name=ob.name),
                ob.span,
                "say when it applies: `once`, `every month`, `each 07-01 ± 15 days` or"
                " `for each activity`",
                code="schedule"
            )
        if not requires:
            self.error(
                msg("obligation `{name}` requires nothing", name=ob.name),
                ob.span,
                "add what must hold, for example `require count(activity) >= 1`",
                code="requirement"
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
                    code="window"
                )

        subject_stmt = seen.get(ast.ForEachSubject)
        scope = Scope(lets=lets)
        typed_subject = typed_trigger = None
        if isinstance(subject_stmt, ast.ForEachSubject):
            subject_type, typed_subject = self.check_subject(subject_stmt, defs, scope)
            scope = replace(scope, subject=subject_type)
        if isinstance(schedule, ast.ForEachEvent):
            kind = self.event_kind(schedule.kind, schedule.span, defs)
            if kind is not None:
                if schedule.where is not None:
                    typed_trigger = self.check_condition(
                        schedule.where,
                        replace(scope.selecting(kind), selecting_trigger=True),
                        defs,
                        "the trigger's condition",
                    )
                # outside any `where`, bare attribute names are the triggering event's:
                # `for each activity … require hours_recorded`
                scope = replace(scope, trigger=kind, event=kind, event_is_trigger=True)
        elif isinstance(schedule, ast.Every):
            if schedule.on is not None:
                self.check_pattern(schedule.on, defs)
        elif isinstance(schedule, ast.EachOccurrence):
            self.check_pattern(schedule.pattern, defs)

        applies = seen.get(ast.AppliesTo)
        scopes = default_scope
        if isinstance(applies, ast.AppliesTo):
            own = self.check_condition(applies.condition, Scope(), defs, msg("the scope"))
            scopes = (*default_scope, applies.condition)
            typed_scope = (*typed_scope, own)

        # each `let` typed where it is written; it is typed again wherever it is used
        typed_lets = {s.name: self.expr(s.value, scope, defs) for s in ob.statements(ast.Let)}
        typed_requires = tuple(
            self.check_condition(condition, scope, defs, msg("a requirement"))
            for condition in requires
        )
        self.check_hidden_lets(ob, scope, defs)

        partial = seen.get(ast.Partial)
        if isinstance(partial, ast.Partial) and not isinstance(schedule, ast.Every):
            self.error(
                "`partial periods` applies only to `every …` schedules",
                partial.span,
                "other schedules have no periods cut by the window",
                code="schedule"
            )
        due = seen.get(ast.Due)
        if isinstance(due, ast.Due):
            self.check_due(due, schedule, window)
        warn_stmt = seen.get(ast.Warn)
        warn = warn_stmt.horizon if isinstance(warn_stmt, ast.Warn) else policy_warn
        if warn.unit is ast.DurationUnit.HOUR and warn.working:  # pragma: no cover
            self.error("a warning horizon in working hours is not supported", warn.span,
                       code="type-mismatch")

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
                code="deadline"
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
            typed=TypedObligation(typed_scope, typed_trigger, typed_subject, typed_requires,
                                  typed_lets),
        )

    def check_subject(
        self, stmt: ast.ForEachSubject, defs: Definitions, scope: Scope
    ) -> tuple[T.Type, X.Expr | None]:
        """The type of the person (value) and the condition on the events that name one."""
        kind = self.event_kind(stmt.kind, stmt.span, defs)
        if kind is None:
            return T.UNKNOWN, None
        field_type = kind.field_type(stmt.field)
        if field_type is None:
            self.error(
                msg("`{field}` is not an attribute of `{name}`", field=stmt.field, name=kind.name),
                stmt.span,
                suggest(stmt.field, [*kind.fields, *BUILTIN_EVENT_FIELDS]),
                code="unknown-name"
            )
            field_type = T.UNKNOWN
        where = None
        if stmt.where is not None:
            where = self.check_condition(stmt.where, scope.selecting(kind), defs,
                                         msg("the condition"))
        return field_type, where

    def check_hidden_lets(self, ob: ast.Obligation, scope: Scope, defs: Definitions) -> None:
        """Warn about a `let` of the obligation that an attribute in view hides: the
        trigger's (outside a `where` of a `for each KIND` obligation) or a selected
        event's (inside a `where`), which come first by the scope rule."""
        kinds = [scope.trigger] if scope.trigger is not None else []
        for statement in ob.body:
            if isinstance(statement, (ast.Require, ast.Let)):
                root = statement.condition if isinstance(statement, ast.Require) \
                    else statement.value
                for node in ast.walk(root):
                    if isinstance(node, ast.Selection) and node.kind in defs.events:
                        kinds.append(defs.events[node.kind])
        for let in ob.statements(ast.Let):
            for kind in kinds:
                if let.name in kind.fields:
                    self.warning(
                        msg("`let {name}` is hidden by the attribute `{name}` of `{kind}`",
                            name=let.name, kind=kind.name),
                        let.span,
                        "where an event is in view its attributes come before `let`s"
                        " (docs/language.md, bare names): choose another name",
                        code="let-shadowing",
                    )
                    break

    def check_supersedes(
        self, stmt: ast.Supersedes, policy: ast.Policy, all_policies: Mapping[str, ast.Policy]
    ) -> tuple[str, str] | None:
        if stmt.policy == policy.name:
            self.error("an obligation cannot supersede one of its own policy", stmt.span,
                       "remove the obligation it replaces instead",
                       code="supersedes")
            return None
        target = all_policies.get(stmt.policy)
        if target is None:
            self.error(
                msg("no imported policy is called `{policy}`", policy=stmt.policy),
                stmt.span,
                suggest(stmt.policy, all_policies)
                or "import the file of the policy this one supersedes",
                code="unknown-name"
            )
            return None
        obligations = {ob.name: ob for ob in target.obligations}
        replaced = obligations.get(stmt.obligation)
        if replaced is None:
            self.error(
                msg("policy `{policy}` has no obligation `{obligation}`",
                    policy=stmt.policy, obligation=stmt.obligation),
                stmt.span,
                suggest(stmt.obligation, obligations),
                code="unknown-name"
            )
            return None
        if replaced.statement(ast.UntilSuperseded) is None:
            self.warning(
                msg("`{policy}.{obligation}` does not say it may be superseded",
                    policy=stmt.policy, obligation=stmt.obligation),
                stmt.span,
                "the notice it comes from did not say \"unless notified otherwise\"; check"
                " that superseding it is intended",
                code="supersedes"
            )
        return stmt.policy, stmt.obligation

    # ------------------------------------------------------------------ deadlines


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


def _window_text(window: Window) -> str:
    if window.end:
        return f"{window.start} .. {window.end}"
    return msg("from {start}", start=window.start)


