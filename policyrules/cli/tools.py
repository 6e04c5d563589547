"""`policyrules explain`, `policyrules schema` and `policyrules test`."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Any

from policyrules.cli.common import (
    EXIT_FOUND,
    EXIT_INVALID,
    EXIT_OK,
    as_of_arg,
    checked_names,
    load_inputs,
    say,
)
from policyrules.diagnostics.errors import PolicyError
from policyrules.diagnostics.messages import error_message, msg, status_name, t
from policyrules.semantics import check
from policyrules.syntax.loader import load_program


def run_explain(args: argparse.Namespace) -> int:
    from policyrules.evaluation import Evaluation
    from policyrules.evaluation import as_of_moment as _as_of

    try:
        policy, compiled, events, units = load_inputs(args)
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    # an obligation or unit that matches nothing is an error, never an explanation of it
    checked_names(policy, events, units, args.unit, [args.obligation])
    moment = _as_of(as_of_arg(args.as_of), compiled)
    for rejection in [*events.rejected, *(units.rejected if units else [])]:
        print(_rejected(args.lang, rejection), file=sys.stderr)
    evaluation = Evaluation(compiled, events.events, units, moment, args.lang)
    ob = policy.obligation(args.obligation)
    for index, unit in enumerate(args.unit):
        if index:
            print()
        _explain_unit(args, evaluation, ob, unit, moment)
    return EXIT_OK


def _rejected(lang: str, rejection: Any) -> str:
    from policyrules.report.model import RejectedRow

    return RejectedRow(source=rejection.source, line=rejection.line, id=rejection.id,
                       what=rejection.what, reason=t(lang, rejection.reason)).text(lang)


def _explain_unit(
    args: argparse.Namespace, evaluation: Any, ob: Any, unit: str, moment: Any
) -> None:
    explained = evaluation.explain(args.obligation, unit)
    print(f"{ob.name} — {ob.title}")
    print("  " + t(args.lang, "refs {refs}; cites {cites}; {severity}; {where}",
                   refs=", ".join(ob.refs) or "-", cites=ob.cites or "-",
                   severity=msg(ob.severity.value), where=ob.node.span))
    if not explained:
        print("  " + t(args.lang, "no instance for unit `{unit}` by {day} (it is out of scope,"
                       " or nothing has started)", unit=unit, day=f"{moment:%Y-%m-%d}"))
    for result, traces in explained:
        due = (result.due.strftime("%Y-%m-%d %H:%M") if result.due
               else status_name(args.lang, "indeterminate"))
        who = f" · {result.person}" if result.person else ""
        print(f"\n{result.period.label}{who}: {status_name(args.lang, result.status)}"
              f" ({t(args.lang, 'due')} {due})")
        print(f"  {result.reason}")
        if result.slack:
            print(f"  {result.slack}")
        for trace in traces:
            mark = "✓" if trace.counted else "✗"
            print(f"  {mark} {trace.event} {trace.kind} {trace.at:%Y-%m-%d %H:%M}: {trace.why}")


def run_schema(args: argparse.Namespace) -> int:
    import json

    from policyrules.data.events import json_schema
    from policyrules.report.selection import closest

    try:
        policy = check(load_program(args.policy, args.library))
    except PolicyError as error:
        print(error.render(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except (OSError, ValueError) as error:
        say(args.lang, "error", t(args.lang, error_message(error)))
        return EXIT_INVALID
    schema = json_schema(policy, args.lang)
    if args.kind:
        key = "unit" if args.kind == "unit" else f"event_{args.kind}"
        if key not in schema["$defs"]:
            known = [k.removeprefix("event_") for k in schema["$defs"]]
            close = closest(args.kind, known)
            message = msg("no record `{kind}`; the policy reads: {known}", kind=args.kind,
                          known=", ".join(known))
            if close:
                message = msg("{message}; did you mean `{close}`?", message=message,
                              close=close)
            say(args.lang, "error", message)
            return EXIT_INVALID
        schema = {"$schema": schema["$schema"], **schema["$defs"][key]}
    print(json.dumps(schema, ensure_ascii=False, indent=2, default=str))
    return EXIT_OK


def run_test(args: argparse.Namespace) -> int:
    import policyrules.scenarios as scenarios

    found = list(scenarios.discover(args.paths))
    if not found:
        say(args.lang, "error", msg("no scenarios (*.test.json) under {paths}",
                                     paths=" ".join(args.paths)))
        return EXIT_INVALID
    if args.select is not None:
        names = _scenario_names(found)
        chosen = [path for path in found if _matches(args.select, path, names[path])]
        if not chosen:
            message = msg("no scenario matches `-k {pattern}`", pattern=args.select)
            known = {*names.values(), *(p.name.removesuffix(".test.json") for p in found)}
            close = difflib.get_close_matches(args.select, sorted(known), n=1, cutoff=0.4)
            if close:
                message = msg("{message}; did you mean `{close}`?", message=message,
                              close=close[0])
            say(args.lang, "error", message)
            return EXIT_INVALID
        found = chosen
    outcomes, coverage = scenarios.run(found, args.lang, args.library)
    passed = not any(o.error or o.failures for o in outcomes)
    if args.format == "json":
        print(scenarios.render_json(outcomes, coverage))
    elif args.format == "junit":
        print(scenarios.render_junit(outcomes))
    else:
        text, passed = scenarios.render(outcomes, coverage, args.lang, verbose=args.verbose)
        print(text)
    if any(o.error for o in outcomes):
        return EXIT_INVALID
    return EXIT_OK if passed else EXIT_FOUND


def _scenario_names(paths: list[Path]) -> dict[Path, str]:
    """Each scenario's `name`, for `-k` (its file name when it cannot be read: the runner
    reports why)."""
    import json

    names: dict[Path, str] = {}
    for path in paths:
        try:
            name = json.loads(path.read_text(encoding="utf-8")).get("name")
        except (OSError, ValueError, AttributeError):
            name = None
        names[path] = name if isinstance(name, str) else path.name
    return names


def _matches(pattern: str, path: Path, name: str) -> bool:
    wanted = pattern.casefold()
    return wanted in str(path).casefold() or wanted in name.casefold()
