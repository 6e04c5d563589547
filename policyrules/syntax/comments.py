"""Attach `#` comments to the syntax items they belong to, so the formatter keeps them.

The lexer skips comments; the parser hands them here with their positions. A comment on the
line where an item ends, after it, is that item's *trailing* comment; any other comment is a
*leading* comment of the next item in the same block, or an *end* comment of the block when
no item follows. A comment inside a multi-line expression moves above its statement.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from typing import Any, NamedTuple

from lark import Token

from policyrules.syntax import ast


class _Comment(NamedTuple):
    pos: int
    line: int
    text: str


_CONTAINERS: dict[type[ast.Node], str] = {
    ast.PolicyFile: "items",
    ast.Policy: "body",
    ast.Obligation: "body",
    ast.BandDef: "rows",
    ast.EventDef: "fields",
    ast.UnitsDef: "fields",
}


def comment_text(raw: str) -> str:
    """The text of a comment token without its `#` and surrounding blanks."""
    return raw[1:].strip()


def attach(tree: ast.PolicyFile, tokens: Sequence[Token]) -> ast.PolicyFile:
    comments = sorted(
        _Comment(t.start_pos or 0, t.line or 1, comment_text(str(t))) for t in tokens
    )
    if not comments:
        return tree
    result = _attach(tree, comments)
    assert isinstance(result, ast.PolicyFile)
    return result


def _attach(container: ast.Node, comments: list[_Comment]) -> ast.Node:
    field = _CONTAINERS[type(container)]
    items: tuple[Any, ...] = getattr(container, field)
    spans = [item.span for item in items]
    starts = [span.start for span in spans]
    inside: list[list[_Comment]] = [[] for _ in items]
    leading: list[list[str]] = [[] for _ in items]
    trailing: list[str | None] = [None for _ in items]
    end: list[str] = []
    for comment in comments:
        # the last item starting at or before the comment
        index = bisect.bisect_right(starts, comment.pos) - 1
        if index >= 0 and comment.pos < spans[index].end:
            inside[index].append(comment)
        elif (
            index >= 0
            and spans[index].end_line == comment.line
            and trailing[index] is None
            and not items[index].trailing
        ):
            trailing[index] = comment.text
        elif index + 1 < len(items):
            leading[index + 1].append(comment.text)
        else:
            end.append(comment.text)
    new_items = []
    for i, item in enumerate(items):
        if inside[i] and type(item) in _CONTAINERS:
            item = _attach(item, inside[i])
        elif inside[i]:
            leading[i].extend(c.text for c in inside[i])
        changes: dict[str, Any] = {}
        if leading[i]:
            changes["comments"] = item.comments + tuple(leading[i])
        if trailing[i] is not None:
            changes["trailing"] = trailing[i]
        new_items.append(dataclasses.replace(item, **changes) if changes else item)
    changes = {field: tuple(new_items)}
    if end:
        previous: tuple[str, ...] = getattr(container, "end_comments")  # noqa: B009
        changes["end_comments"] = previous + tuple(end)
    return dataclasses.replace(container, **changes)
