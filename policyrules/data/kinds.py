"""Which event kinds a policy's obligations read, and a note on the events nobody reads.

An event of a kind no obligation reads is accepted (the notices share one vocabulary, so a
city's export holds kinds a given policy has no use for) but counted and named: a misspelt
kind (`activty`) would otherwise vanish without a word.
"""

from __future__ import annotations

import difflib

from policyrules.data.model import EventSet
from policyrules.diagnostics.messages import Listing, Message, msg
from policyrules.semantics import CheckedPolicy
from policyrules.syntax import ast


def kinds_read(policy: CheckedPolicy) -> frozenset[str]:
    """The kinds some obligation reads: its schedule's `for each KIND`, its subject's `for
    each FIELD of KIND`, and every selection (`count(KIND where …)`) in its requirements,
    lets, scope and deadline, following the policy-level `let`s it names."""
    found: set[str] = set()
    lets = policy.definitions.lets
    followed: set[str] = set()
    pending: list[ast.Node] = []
    for ob in policy.obligations:
        pending.extend([ob.node, *ob.applies, *ob.lets.values(), *ob.requires])
    while pending:
        for node in ast.walk(pending.pop()):
            if isinstance(node, (ast.Selection, ast.ForEachEvent, ast.ForEachSubject)):
                found.add(node.kind)
            elif isinstance(node, ast.Name) and node.id in lets and node.id not in followed:
                followed.add(node.id)
                pending.append(lets[node.id].value)
    return frozenset(found)


def unread_kinds_note(events: EventSet) -> Message | None:
    """`kinds no obligation reads: `activty` (3 rows, not declared; did you mean
    `activity`?)`, or None when every accepted event is of a kind some obligation reads."""
    unread = events.kinds_unread()
    if not unread:
        return None
    undeclared = events.kinds_undeclared()
    known = sorted(events.read or ()) + sorted((events.declared or frozenset())
                                               - (events.read or frozenset()))
    items: list[str] = []
    for kind, rows in unread.items():
        if kind not in undeclared:
            items.append(msg("`{kind}` ({rows} row{s})", kind=kind, rows=rows, s=_s(rows)))
            continue
        close = difflib.get_close_matches(kind, known, n=1, cutoff=0.6)
        if close:
            items.append(msg("`{kind}` ({rows} row{s}, not declared; did you mean `{close}`?)",
                             kind=kind, rows=rows, s=_s(rows), close=close[0]))
        else:
            items.append(msg("`{kind}` ({rows} row{s}, not declared)", kind=kind, rows=rows,
                             s=_s(rows)))
    return msg("kinds no obligation reads: {kinds}", kinds=Listing(items, long=True))


def _s(count: int) -> str:
    return "" if count == 1 else "s"
