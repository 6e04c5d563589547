"""The pipeline as the package shows it (docs/architecture.md): each stage imports only the
stages before it, no module imports itself round a circle, models import no views, and
modules stay small."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "policyrules"

#: each stage's place in the pipeline: a module may import its own stage and earlier ones
STAGES: dict[str, int] = {
    "about": 0,
    "diagnostics": 0,
    "calendar": 1,
    "syntax": 2,
    "semantics": 3,
    "rules": 4,
    "data": 4,
    "engine": 5,
    "report": 6,
    "views": 7,
    "evaluation": 8,
    "scenarios": 8,
    "testing": 8,
    "lsp": 9,
    "cli": 9,
    "__init__": 10,
    "__main__": 10,
}
#: the old module paths, kept for one release as re-exports: the top of the stack
SHIMS = {"ast", "parser", "formatter", "loader", "checker", "compiler", "evaluator", "events",
         "plots", "errors"}
#: the node catalogues, like sqlglot's expressions module, and the message catalogue (one
#: translation a line, no logic) may be longer
CATALOGUES = {"syntax/ast.py", "rules/ir.py", "diagnostics/zh.py"}
MAX_LINES = 620


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        yield ".".join(("policyrules", *relative.parts)).removesuffix(".__init__"), path


def _stage(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return STAGES["__init__"]
    if parts[1] in SHIMS and len(parts) == 2:
        return STAGES["__init__"]
    return STAGES[parts[1]]


def _imports(path: Path, runtime_only: bool = False) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded.update(id(n) for inner in node.body for n in ast.walk(inner))
    for node in ast.walk(tree):
        if runtime_only and id(node) in guarded:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "policyrules":
            # `from policyrules import scenarios`: the module it names
            yield from (f"policyrules.{a.name}" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
            "policyrules"
        ):
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("policyrules"))


def test_every_module_has_a_stage() -> None:
    for module, _ in _modules():
        _stage(module)  # raises KeyError for a package the pipeline does not name


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda x: str(x))
def test_a_stage_imports_only_the_stages_before_it(module: str, path: Path) -> None:
    here = _stage(module)
    later = [m for m in _imports(path) if _stage(m) > here]
    assert not later, f"{module} (stage {here}) imports later stages: {later}"


def test_no_import_cycle() -> None:
    graph = {module: set(_imports(path, runtime_only=True)) for module, path in _modules()}
    known = set(graph)

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    edges = {m: {r for i in deps if (r := resolve(i)) is not None and r != m}
             for m, deps in graph.items()}
    # a package's __init__ re-exporting its modules is not a cycle of theirs
    edges = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in edges.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt):], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def test_models_import_no_views() -> None:
    for name in ("report/model.py", "semantics/model.py", "rules/ir.py", "data/events.py"):
        imported = list(_imports(PACKAGE / name))
        assert not [m for m in imported if m.startswith("policyrules.views")], name


def test_the_calendar_knows_nothing_of_the_language() -> None:
    for path in (PACKAGE / "calendar").glob("*.py"):
        assert all(m.startswith(("policyrules.calendar", "policyrules.diagnostics"))
                   for m in _imports(path)), path


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda x: str(x))
def test_modules_stay_small(module: str, path: Path) -> None:
    relative = path.relative_to(PACKAGE).as_posix()
    if relative in CATALOGUES:
        return
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{relative} has {lines} lines; split it by what it does"
