"""The checker's entry points: :func:`check` a program into a :class:`CheckedPolicy`, or
:func:`lint` it for every error and warning."""

from __future__ import annotations

from dataclasses import replace

from policyrules.diagnostics.errors import Diagnostic, PolicyCheckError
from policyrules.diagnostics.messages import msg
from policyrules.semantics.model import CheckedObligation, CheckedPolicy
from policyrules.semantics.obligations import PolicyChecks, PolicyMeta
from policyrules.syntax import ast
from policyrules.syntax.loader import Program


def lint(program: Program) -> list[Diagnostic]:
    """Every error and warning of a program. Unlike :func:`check` it accepts a file that only
    defines shared things (a library such as a festival list) and never raises."""
    root = program.files[program.root]
    if root.policy is None:
        checker = PolicyChecks(program)
        checker.check_definitions(checker.collect())
        return checker.findings.diagnostics
    try:
        return list(check(program).warnings)
    except PolicyCheckError as error:
        return error.diagnostics


def check(program: Program) -> CheckedPolicy:
    """Check a loaded program; raise :class:`PolicyCheckError` with every error found."""
    checker = PolicyChecks(program)
    defs = checker.collect()
    checker.check_definitions(defs)
    root_tree = program.files[program.root]
    policies: dict[str, tuple[str, ast.Policy]] = {}
    for file, tree in program.files.items():
        found = tree.items_of(ast.Policy)
        for extra in found[1:]:
            checker.error("a file holds at most one policy", extra.span,
                          "put each policy in a file of its own", code="no-policy")
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
            code="no-policy",
        )
        raise PolicyCheckError(checker.findings.diagnostics, program.sources)
    by_name = {name: p for name, (_, p) in policies.items()}
    all_obligations: list[CheckedObligation] = []
    root_meta = PolicyMeta()
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
    if any(d.is_error for d in checker.findings.diagnostics):
        raise PolicyCheckError(checker.findings.diagnostics, program.sources)
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
        warnings=tuple(d for d in checker.findings.diagnostics if not d.is_error),
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


