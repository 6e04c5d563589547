"""Every policy example in the documentation parses, is canonical and checks.

The examples are the fenced blocks whose info string starts with `pol`, in `docs/*.md` and
`README.md`. Each one must parse with :func:`policyrules.syntax.parser.parse` and already be in the
layout `policyrules fmt` writes. What else is asked depends on the words after `pol`:

- ```` ```pol ```` — a complete example: it must also pass the checker, without warnings.
  Examples share a prelude: unless a block imports files of its own, the definitions of
  `policies/lib/vocabulary.pol`, `festivals.pol` and `bands.pol` are added after it (as if
  imported), except those the block defines itself; a block without a policy gets a minimal
  one. Imports are resolved from `policies/`, so `import "lib/festivals.pol"` works.
- ```` ```pol warning ```` — as above, but the checker must warn.
- ```` ```pol error ```` — the checker (or the parser) must refuse it with a `PolicyError`.
- ```` ```pol fragment ```` — a piece (a statement, a metadata line, a definition): it is
  wrapped into a minimal obligation (or, failing that, a minimal policy, or left at the top
  level of a file) and must parse and be canonical there; it is not checked.

A ```` ```text ```` block right after an `error` or `warning` example (nothing but blank lines
between) must appear, verbatim, in what the checker reports; the file name of its first line
(`example.pol:7:13: …`) is the name the example is checked under. A ```` ```text ```` block
elsewhere that starts with the name of a case in `tests/broken/` must be an excerpt of that
case's `.expected` output, so the messages the documentation quotes stay true.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import policyrules
from policyrules.diagnostics.errors import Diagnostic, PolicyError
from policyrules.syntax import ast
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.loader import load_program
from policyrules.syntax.parser import parse

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted((ROOT / "docs").glob("*.md")) + [p for p in [ROOT / "README.md"] if p.exists()]
POLICIES = ROOT / "policies"
LIBRARIES = [POLICIES / "lib" / name for name in ("vocabulary.pol", "festivals.pol", "bands.pol")]
BROKEN = ROOT / "tests" / "broken"

FLAGS = {"fragment", "error", "warning"}
#: The name an example is checked under when no ```text block names another.
DEFAULT_NAME = "example.pol"
#: The policy added to blocks that define none, and the obligation fragments are put in.
STUB_POLICY = 'policy 文档示例 "doc example" {\n  effective 2021-01-01 ..\n'
STUB_OBLIGATION = '\n  obligation 示例 "example" {\n'

NAMED = (ast.SetDef, ast.BandDef, ast.FestivalDef, ast.EventDef, ast.LetDef)


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown file."""

    document: Path
    line: int  # of the opening fence, 1-based
    info: tuple[str, ...]  # the words of the info string
    text: str  # the lines between the fences, each ending in a newline
    #: a ```text block right after this one (only blank lines between), if any
    output: str | None = None
    #: for a ```text block: whether it is the output of the block before it
    attached: bool = False

    @property
    def id(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"

    @property
    def flags(self) -> set[str]:
        return set(self.info[1:])


def fenced_blocks(document: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, in order, each with the ```text block (if any)
    that follows it with only blank lines between."""
    lines = document.read_text(encoding="utf-8").splitlines(keepends=True)
    blocks: list[Block] = []
    gap_since_last: list[str] | None = None  # lines after the last block's closing fence
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = re.match(r"^(`{3,})(.*)$", line.rstrip("\n"))
        if fence is None:
            if gap_since_last is not None:
                gap_since_last.append(line)
            index += 1
            continue
        marker, info = fence.group(1), tuple(fence.group(2).split())
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].rstrip() != marker:
            body.append(lines[index])
            index += 1
        index += 1  # the closing fence
        block = Block(document, start + 1, info, "".join(body))
        adjacent = gap_since_last is not None and all(not g.strip() for g in gap_since_last)
        if adjacent and info[:1] == ("text",) and blocks and blocks[-1].info[:1] == ("pol",):
            blocks[-1] = replace(blocks[-1], output=block.text)
            block = replace(block, attached=True)
        blocks.append(block)
        gap_since_last = []
    return blocks


ALL_BLOCKS = [block for document in DOCUMENTS for block in fenced_blocks(document)]
POL_BLOCKS = [block for block in ALL_BLOCKS if block.info[:1] == ("pol",)]
QUOTED_OUTPUT = [
    block
    for block in ALL_BLOCKS
    if block.info[:1] == ("text",)
    and not block.attached
    and (case := re.match(r"^([\w-]+)\.pol:\d+:\d+: ", block.text)) is not None
    and (BROKEN / f"{case.group(1)}.expected").exists()
]


# ----------------------------------------------------------------------------- the prelude


@functools.cache
def library_items() -> tuple[ast.FileItem, ...]:
    """The definitions of the shared libraries and of every file they import (such as
    `std:festivals`), each file once."""
    items: list[ast.FileItem] = []
    seen: set[str] = set()
    for library in LIBRARIES:
        if not library.exists():
            continue
        program = load_program(library)
        for name, tree in program.files.items():  # imported files first
            if name in seen:
                continue
            seen.add(name)
            items.extend(i for i in tree.items if not isinstance(i, (ast.Import, ast.Policy)))
    return tuple(items)


def prelude(tree: ast.PolicyFile) -> str:
    """The shared definitions an example may use, minus those it defines itself."""
    own_names = {item.name for item in tree.items if isinstance(item, NAMED)}
    own_facts = {f.name for units in tree.items_of(ast.UnitsDef) for f in units.fields}
    items: list[ast.FileItem] = []
    for item in library_items():
        if isinstance(item, ast.UnitsDef):
            fields = tuple(f for f in item.fields if f.name not in own_facts)
            if fields:
                items.append(replace(item, fields=fields))
        elif not (isinstance(item, NAMED) and item.name in own_names):
            items.append(item)
    return format_policy(ast.PolicyFile(tuple(items)))


def checkable_text(block: Block, tree: ast.PolicyFile) -> str:
    """The block as the checker reads it: the block first (so that line numbers are the
    block's own), then a minimal policy if it has none, then the prelude."""
    text = block.text
    if tree.policy is None:
        text += "\n" + STUB_POLICY + "}\n"
    if not tree.items_of(ast.Import):
        text += "\n" + prelude(tree)
    return text


def source_name(block: Block) -> str:
    if block.output:
        named = re.match(r"^([^\s:]+\.pol):\d+:\d+: ", block.output)
        if named:
            return named.group(1)
    return DEFAULT_NAME


def check(block: Block, tree: ast.PolicyFile) -> policyrules.CheckedPolicy:
    return policyrules.parse(checkable_text(block, tree), source_name(block), base=POLICIES)


def in_block(block: Block, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that point into the block itself (not into the prelude or an import)."""
    lines = block.text.count("\n")
    return [
        d
        for d in diagnostics
        if d.span is not None and d.span.file == source_name(block) and d.span.line <= lines
    ]


def assert_shows(block: Block, rendered: str) -> None:
    """The ```text block after an example is part of what the checker reports."""
    if block.output is not None:
        assert block.output.strip() in rendered, f"the checker reports instead:\n\n{rendered}"


# ----------------------------------------------------------------------------- fragments


def _indent(text: str, depth: int) -> str:
    pad = "  " * depth
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def fragment_wrappings(text: str) -> list[str]:
    """The places a fragment may stand: in an obligation, in a policy, at the top level."""
    return [
        STUB_POLICY + STUB_OBLIGATION + _indent(text, 2) + "  }\n}\n",
        STUB_POLICY + "\n" + _indent(text, 1) + "}\n",
        text,
    ]


def parse_fragment(block: Block) -> tuple[str, ast.PolicyFile]:
    failures: list[str] = []
    for wrapped in fragment_wrappings(block.text):
        try:
            return wrapped, parse(wrapped, DEFAULT_NAME)
        except PolicyError as error:
            failures.append(error.render())
    pytest.fail(f"{block.id}: the fragment parses nowhere:\n\n" + "\n\n".join(failures))


# ----------------------------------------------------------------------------- tests


def test_the_documentation_has_examples() -> None:
    assert any(b.document.name == "language.md" for b in POL_BLOCKS)


@pytest.mark.parametrize("block", POL_BLOCKS, ids=lambda b: b.id)
def test_example(block: Block) -> None:
    flags = block.flags
    assert flags <= FLAGS, f"unknown words after `pol`: {sorted(flags - FLAGS)}"
    assert len(flags & {"fragment", "error", "warning"}) <= 1, "one of fragment/error/warning"
    assert block.text.strip(), "an empty example"

    if "fragment" in flags:
        wrapped, tree = parse_fragment(block)
        assert format_policy(tree) == wrapped, "the fragment is not in canonical form"
        return

    if "error" in flags:
        try:
            tree = parse(block.text, source_name(block))
        except PolicyError as error:  # a syntax error shown on purpose
            assert_shows(block, error.render())
            return
        assert format_policy(tree) == block.text, "the example is not in canonical form"
        with pytest.raises(PolicyError) as caught:
            check(block, tree)
        errors = [d for d in caught.value.diagnostics if d.is_error]
        assert in_block(block, errors), f"no error in the example itself:\n\n{caught.value}"
        assert_shows(block, caught.value.render())
        return

    tree = parse(block.text, source_name(block))
    assert format_policy(tree) == block.text, "the example is not in canonical form"
    try:
        checked = check(block, tree)
    except PolicyError as error:
        pytest.fail(f"{block.id}: the example does not check:\n\n{error.render()}")
    shown = "\n\n".join(
        d.render(checked.sources.get(d.span.file) if d.span else None) for d in checked.warnings
    )
    if "warning" in flags:
        assert in_block(block, checked.warnings), f"no warning in the example itself:\n\n{shown}"
        assert_shows(block, shown)
    else:
        assert not checked.warnings, f"unexpected warnings:\n\n{shown}"


@pytest.mark.parametrize("block", QUOTED_OUTPUT, ids=lambda b: b.id)
def test_quoted_message_is_what_lint_prints(block: Block) -> None:
    case = re.match(r"^([\w-]+)\.pol:", block.text)
    assert case is not None
    expected = (BROKEN / f"{case.group(1)}.expected").read_text(encoding="utf-8")
    assert block.text.strip() in expected
