"""Fuzzing, shared by the hypothesis fuzz tests (tests/test_fuzz.py) and the coverage-guided
harness (tests/fuzz/harness.py): the inputs — the shipped policies and their mutations — and
the invariants every input must keep, whatever it is:

- **no internal error**: the Python API raises only :class:`PolicyError` subclasses; the
  command line exits 0, 1 or 2 and never prints `internal error`;
- **every error located**: each error diagnostic has a span with a file and a line;
- **bounded time**: each input finishes within a budget that grows with its size;
- **the formatter round trip**: for text that parses, ``parse(fmt(x)) == parse(x)``, and
  formatting is idempotent;
- **the sandbox**: nothing of a file outside the policy's folder is ever shown.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import policyrules
from policyrules.cli import main
from policyrules.diagnostics.errors import PolicyError, PolicySyntaxError
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.parser import parse

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
#: every shipped policy and library, by name: what mutations start from
SHIPPED: dict[str, str] = {
    str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
    for path in sorted([*POLICIES.glob("*.pol"), *POLICIES.glob("lib/*.pol"),
                        *(ROOT / "policyrules" / "syntax" / "std").glob("*.pol")])
}
#: a line of the secret a policy must never show (see :func:`sandbox`)
SECRET = "SECRET-c0ffee: root:x:0:0:root:/root:/bin/bash"

# a token of the language, roughly: enough to delete, duplicate and splice meaningful pieces
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[^\W\d]\w*|\d[\w.:%-]*|\s+|..?', re.S)

#: what an attacker would insert: limits, bad characters, unbalanced brackets, keywords
INTERESTING = (
    '"', "{", "}", "(", ")", "[", "]", "#", "\n", "\r", "\x00", "\x1b", "\x07", "\x7f",
    "\ufeff", "３", "٣", "±", "..", "=>", "%", "\\", "0" * 40 + "1", "9" * 16, "1." + "5" * 20,
    "0" * 30 + "1st", "999999999999999 days", "36526 days", "5218 weeks", "2 working hours",
    "9999-12-31", "0001-01-01", "0000-00-00", "02-30", "24:00", "25:61", "lunar 13-31",
    'import "../outside.pol"', 'import "/etc/passwd"', 'import "std:nothing"', 'import "x"',
    'timezone "' + "A" * 256 + '"', 'timezone "../../etc/passwd"',
    "policy", "obligation", "every", "each", "due", "require", "warn", "let", "set", "band",
    "festival", "event", "units", "for each", "per", "not", "and", "or", "between", "in",
    " * 999999999999999", " / 0", "-", "count(", "sum(", "exists(", "distinct(",
    "1 day before " * 8,
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


# ----------------------------------------------------------------------------- mutations
# Each takes the text and a `pick(n)` that chooses a number in range(n): hypothesis draws it
# in the tests (so failures shrink), a seeded random in the harness.

Pick = Callable[[int], int]


def flip(text: str, pick: Pick) -> str:
    """One character replaced by an interesting one or by its neighbour code point."""
    if not text:
        return INTERESTING[pick(len(INTERESTING))]
    at = pick(len(text))
    if pick(2):
        new = INTERESTING[pick(len(INTERESTING))]
    else:
        new = chr(max(1, min(0x10FFFF, ord(text[at]) + pick(5) - 2)))
        if 0xD800 <= ord(new) <= 0xDFFF:
            new = "\ufffd"
    return text[:at] + new + text[at + 1:]


def delete_token(text: str, pick: Pick) -> str:
    parts = tokens(text)
    if not parts:
        return text
    del parts[pick(len(parts))]
    return "".join(parts)


def duplicate_token(text: str, pick: Pick) -> str:
    parts = tokens(text)
    if not parts:
        return text
    at = pick(len(parts))
    parts.insert(pick(len(parts) + 1), parts[at])
    return "".join(parts)


def insert_interesting(text: str, pick: Pick) -> str:
    parts = tokens(text)
    parts.insert(pick(len(parts) + 1), INTERESTING[pick(len(INTERESTING))])
    return "".join(parts)


def splice(text: str, pick: Pick) -> str:
    """A run of tokens of another shipped file inserted at a token boundary."""
    donor = tokens(list(SHIPPED.values())[pick(len(SHIPPED))])
    start = pick(len(donor))
    piece = donor[start:start + 1 + pick(40)]
    parts = tokens(text)
    parts.insert(pick(len(parts) + 1), "".join(piece))
    return "".join(parts)


#: values that keep a policy parseable (mostly) and push the checker and the engine to
#: their edges: the ends of the date range, the longest durations, the largest numbers
EDGE_VALUES = (
    "0", "1", "9" * 15, "0.000000000000001", "100%", "0%", "999999999999999%",
    "0001-01-01", "1900-02-28", "2100-12-31", "9999-12-31", "02-29", "12-31", "00:00",
    "24:00", "23:59", "36525", "5217", "876600", "5th", "last", "1st",
)
_LITERAL = re.compile(r"\d[\w.:%-]*")


def replace_literal(text: str, pick: Pick) -> str:
    """A number, date, time or ordinal replaced by an edge value."""
    parts = tokens(text)
    literals = [i for i, part in enumerate(parts) if _LITERAL.fullmatch(part)]
    if not literals:
        return text
    parts[literals[pick(len(literals))]] = EDGE_VALUES[pick(len(EDGE_VALUES))]
    return "".join(parts)


MUTATIONS: Sequence[Callable[[str, Pick], str]] = (
    flip, delete_token, duplicate_token, insert_interesting, splice, replace_literal,
)


def mutate(text: str, pick: Pick, rounds: int,
           mutations: Sequence[Callable[[str, Pick], str]] = MUTATIONS) -> str:
    for _ in range(rounds):
        text = mutations[pick(len(mutations))](text, pick)
    return text


def flip_bits(data: bytes, pick: Pick, rounds: int) -> bytes:
    """Bit flips of the bytes of a file: invalid UTF-8 and odd characters for the loader."""
    buffer = bytearray(data)
    for _ in range(rounds):
        if buffer:
            buffer[pick(len(buffer))] ^= 1 << pick(8)
    return bytes(buffer)


# ----------------------------------------------------------------------------- invariants


class Violation(AssertionError):
    """An input broke an invariant; the message says which."""


def budget(size: int) -> float:
    """Seconds an input of `size` characters may take: generous (a busy CI machine), but it
    catches runaway behaviour — exponential backtracking, a loop over every day of 9,999
    years — long before it ends."""
    return 20.0 + size / 1_000


def assert_located(error: PolicyError) -> str:
    """Every error of `error` names a file and a line; the rendering is a message, not a
    traceback. Returns the rendering."""
    for diagnostic in error.errors:
        span = diagnostic.span
        if span is None or not span.file or span.line < 1:
            raise Violation(f"an error without a place: {diagnostic.message!r}")
    text = error.render()
    if "Traceback" in text or not text.strip():
        raise Violation(f"not a diagnostic: {text[:200]!r}")
    return text


@contextlib.contextmanager
def timed(size: int, what: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    took = time.perf_counter() - start
    if took > budget(size):
        raise Violation(f"{what} took {took:.1f} s for {size} characters")


def syntax_invariants(text: str, name: str = "fuzz.pol") -> bool:
    """The parser alone: a located syntax error, or a tree that survives formatting.
    Returns whether the text parsed."""
    with timed(len(text), "parse"):
        try:
            tree = parse(text, name)
        except PolicySyntaxError as error:
            assert_located(error)
            return False
        formatted = format_policy(tree)
        again = parse(formatted, name)
    if again != tree:
        raise Violation("parse(fmt(x)) != parse(x)")
    if format_policy(again) != formatted:
        raise Violation("formatting is not idempotent")
    return True


def api_invariants(text: str, name: str = "fuzz.pol", base: Path = POLICIES) -> Any:
    """Parse and check through the public API: a checked policy or a located PolicyError;
    any other exception is raised as it is (the test or the harness reports it)."""
    with timed(len(text), "policyrules.parse"):
        try:
            return policyrules.parse(text, name, base=base)
        except PolicyError as error:
            rendered = assert_located(error)
            if SECRET in rendered:
                raise Violation("a file outside the policy's folder was shown") from None
            return None


def cli_invariants(argv: Sequence[str], size: int) -> tuple[int, str, str]:
    """Run the command line: exit 0, 1 or 2, never `internal error`. Returns the status,
    stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with timed(size, " ".join(argv[:1])), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        status = main(list(argv))
    said = err.getvalue()
    if status not in (0, 1, 2):
        raise Violation(f"exit status {status}")
    if "internal error" in said:
        raise Violation(said.strip().splitlines()[0])
    if SECRET in said or SECRET in out.getvalue():
        raise Violation("a file outside the policy's folder was shown")
    return status, out.getvalue(), said


def sandbox(folder: Path, root: bytes, library: bytes, extra_import: str) -> Path:
    """A program on disk: `folder/in/root.pol` (importing `lib/a.pol` and `extra_import`),
    `folder/in/lib/a.pol` beside copies of the shipped libraries (so that the shipped
    policies' imports resolve), and beside `in/` a secret that no import may reach, also
    behind a symbolic link inside. Returns the root policy's path."""
    inside = folder / "in"
    (inside / "lib").mkdir(parents=True, exist_ok=True)
    for name, text in SHIPPED.items():
        if name.startswith("policies/lib/"):
            (inside / "lib" / Path(name).name).write_text(text, encoding="utf-8")
    (folder / "outside.pol").write_text(SECRET + "\n", encoding="utf-8")
    link = inside / "lib" / "secret.pol"
    if not link.is_symlink():
        link.symlink_to(folder / "outside.pol")
    head = f'import "lib/a.pol"\nimport "{extra_import}"\n'.encode()
    path = inside / "root.pol"
    path.write_bytes(head + root)
    (inside / "lib" / "a.pol").write_bytes(library)
    return path
