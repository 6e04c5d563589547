"""How fast policies parse: a generated policy of N obligations, timed against Lark itself.

Run:  python benchmarks/parse_bench.py [--obligations 10000] [--repeat 3]

Reported: obligations per second and tokens per second for `policyrules.syntax.parser.parse`
(text → syntax tree, spans and comments included), and the ratio to the *reference* measured
in the same run on the same text: Lark's own LALR parse with the same grammar, building its
plain tree without positions — the floor that any Lark-based parser stands on. Also checks
that parse time grows linearly (time per obligation at N/4 vs N).

The goal in the language issue is under one second for 10,000 obligations; see
docs/performance.md for where the time goes.
"""

from __future__ import annotations

import argparse
import time

import lark

from policyrules.syntax.parser import grammar_text, parse

OBLIGATION = """\
  obligation ob_{i} "第{i}条 文明单位在行动" {{
    cites "一、（三）"
    refs YZ-{i}
    applies to unit.type in ["文明校园", "文明单位"]
    every quarter
    # 每次不少于1小时，参与人数见 YZ-3
    require count(activity where hours >= 1 and participants >= yz_headcount(unit.staff)) >= 1
    due day 25 of last month at workday end
  }}
"""


def generate(obligations: int) -> str:
    body = "".join(OBLIGATION.format(i=i) for i in range(obligations))
    return f'policy bench "基准" {{\n  effective 2019-01-01 ..\n{body}}}\n'


def best_of(repeat: int, action: object) -> float:
    assert callable(action)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--obligations", type=int, default=10_000)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()

    text = generate(args.obligations)
    reference = lark.Lark(grammar_text(), parser="lalr", lexer="contextual")
    tokens = sum(1 for _ in reference.lex(text))
    parse("let warm_up = 1")  # build the parser once, outside the timing

    ours = best_of(args.repeat, lambda: parse(text, "bench.pol"))
    floor = best_of(args.repeat, lambda: reference.parse(text))
    quarter = generate(args.obligations // 4)
    ours_quarter = best_of(args.repeat, lambda: parse(quarter, "bench.pol"))

    n = args.obligations
    print(f"policy: {n} obligations, {len(text) / 1e6:.2f} MB, {tokens} tokens")
    print(f"policyrules.parse : {ours:7.3f} s  {n / ours:9.0f} obligations/s"
          f"  {tokens / ours:9.0f} tokens/s")
    print(f"reference (Lark)  : {floor:7.3f} s  {n / floor:9.0f} obligations/s"
          f"  {tokens / floor:9.0f} tokens/s")
    print(f"ratio ours/reference: {ours / floor:.2f}")
    per_full = ours / n
    per_quarter = ours_quarter / max(1, n // 4)
    print(f"linearity: {per_quarter * 1e6:.0f} µs/obligation at {n // 4},"
          f" {per_full * 1e6:.0f} µs/obligation at {n}"
          f" (ratio {per_full / per_quarter:.2f}; 1.0 is linear)")
    print(f"target 10,000 obligations under 1 s: {'met' if ours * 10_000 / n < 1 else 'not met'}"
          f" (projected {ours * 10_000 / n:.1f} s)")


if __name__ == "__main__":
    main()
