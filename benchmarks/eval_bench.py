"""How fast policies are checked: generated units and events, every notice's policy.

Run:  python benchmarks/eval_bench.py [--units 10000] [--events 1000000] [--policy NAME …]

Data is generated (seeded, so every run sees the same) in the vocabulary of the notices:
units of every type with staff, population, parents; events of every kind the policies read,
spread over each policy's year. For each policy it reports, separately for reading
(validation) and evaluating: events per second, results, statuses, and the peak memory of
the process; and the ratio to the *reference* measured in the same run on the same data —
`json.loads` of every line, the least any checker must do to read its input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import time
from pathlib import Path

import policyrules
from policyrules.data.events import read_events, read_units
from policyrules.evaluation import Evaluation, default_jobs
from policyrules.report.build import build_report
from policyrules.report.model import json_items
from policyrules.rules.compiler import compile_policy

ROOT = Path(__file__).resolve().parent.parent
POLICIES = {
    "yuzhong-2019": ("2019-05-22", "2019-12-31"),
    "xindu-2017": ("2017-06-12", "2017-12-31"),
    "huizhou-2017": ("2017-06-01", "2017-08-31"),
    "puer-2020": ("2021-01-01", "2021-12-31"),
    "binhai-2021": ("2021-01-01", "2021-12-31"),
}
TYPES = [
    "文明校园",
    "文明单位",
    "学校",
    "高校",
    "镇街",
    "社区",
    "区级部门",
    "市直单位",
    "窗口单位",
    "行业分会",
    "成员单位",
    "专业志愿服务队",
]
FIELDS = [
    "教育",
    "文体",
    "科技",
    "医疗卫生",
    "法律",
    "消防",
    "环保",
    "社工",
    "交通",
    "财务",
    "文化",
    "慈善",
]
THEMES = [
    "关爱空巢老人",
    "留守儿童",
    "困难职工",
    "残疾人",
    "党员志愿服务",
    "文明旅游",
    "文明交通",
    "文明上网",
    "文明祭扫",
    "植树环保",
    "关爱劳动者",
    "关爱军人军属",
    "志愿服务宣传",
]
FORMS = [
    "说明报告",
    "活动总结",
    "活动计划",
    "活动情况表",
    "工作计划",
    "工作总结",
    "半年总结",
    "年度总结",
    "联络表",
    "管理员信息表",
    "信息",
    "规范文件",
]


def generate_units(count: int, rnd: random.Random) -> list[dict[str, object]]:
    units: list[dict[str, object]] = []
    streets = max(1, count // 50)
    for i in range(count):
        kind = "镇街" if i < streets else rnd.choice(TYPES)
        unit: dict[str, object] = {
            "unit": f"u{i}",
            "name": f"单位{i}",
            "type": kind,
            "staff": rnd.randint(5, 300),
            "population": rnd.randint(2_000, 80_000),
            "students": rnd.randint(500, 20_000),
            "field": rnd.choice(FIELDS),
        }
        if i >= streets:
            unit["parent"] = f"u{rnd.randrange(streets)}"
            unit["paired_community"] = f"u{rnd.randrange(count)}"
        units.append(unit)
    return units


def generate_events(
    count: int, units: int, start: dt.date, end: dt.date, rnd: random.Random
) -> list[dict[str, object]]:
    span = (end - start).days + 1
    kinds = (
        ["activity"] * 10
        + ["report"] * 3
        + ["registration"] * 3
        + ["service"] * 3
        + [
            "training",
            "inspection",
            "publish",
            "meeting",
            "minutes",
            "lesson",
            "station",
            "appointment",
            "insurance",
        ]
    )
    events: list[dict[str, object]] = []
    for i in range(count):
        kind = rnd.choice(kinds)
        day = start + dt.timedelta(days=rnd.randrange(span))
        at = f"{day.isoformat()}T{rnd.randint(7, 20):02d}:{rnd.choice(['00', '30'])}"
        event: dict[str, object] = {
            "id": f"e{i}",
            "unit": f"u{rnd.randrange(units)}",
            "kind": kind,
            "at": at,
        }
        person = f"p{rnd.randrange(units * 20)}"
        if kind == "activity":
            event.update(
                hours=rnd.choice([0.5, 1, 1.5, 2, 3]),
                participants=rnd.randint(1, 12),
                category=rnd.choice(["必选", "自选"]),
                theme=rnd.choice(THEMES),
                site=f"u{rnd.randrange(units)}",
                persons=[person],
                hours_recorded=rnd.random() < 0.8,
                risky=rnd.random() < 0.05,
                plan=True,
                record=True,
                brief=rnd.random() < 0.9,
                photo_mb=[round(rnd.uniform(0.5, 3.5), 1)],
                photo_format=["jpg"],
            )
        elif kind == "report":
            event.update(
                form=rnd.choice(FORMS),
                ref=f"e{rnd.randrange(max(1, i))}",
                period=f"{day.year}Q{(day.month - 1) // 3 + 1}",
                photo_mb=[round(rnd.uniform(0.5, 3.5), 1)] * 2,
                photo_format=["jpg"] * 2,
            )
        elif kind == "registration":
            event.update(person=person, party_member=rnd.random() < 0.3, student=rnd.random() < 0.3)
        elif kind == "service":
            event.update(person=person, hours=rnd.choice([1, 2, 3, 4]))
        elif kind == "training":
            event.update(hours=2, field=rnd.choice(FIELDS))
        elif kind == "inspection":
            event.update(passed=rnd.random() < 0.9)
        elif kind in ("publish", "minutes", "insurance"):
            event.update(ref=f"e{rnd.randrange(max(1, i))}")
        elif kind == "meeting":
            event.update(type=rnd.choice(["全体会议", "专题会议"]))
        elif kind == "lesson":
            event.update(hours=1, teacher=person)
        elif kind == "station":
            event.update(status=rnd.choice(["operating", "closed"]))
        elif kind == "appointment":
            event.update(role=rnd.choice(["负责人", "管理员"]), person=person)
        events.append(event)
    return events


def bytes_per_event(policy: object, rows: list[dict[str, object]]) -> float:
    """Memory the accepted events of `rows` hold, per event, as tracemalloc counts it (the
    process's resident size is no measure: it keeps what earlier policies freed)."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    events = read_events(policy, rows)  # type: ignore[arg-type]
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return held / max(len(events.events), 1)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--units", type=int, default=10_000)
    options.add_argument("--events", type=int, default=1_000_000)
    options.add_argument("--policy", action="append", choices=sorted(POLICIES))
    options.add_argument("--jobs", type=int, default=default_jobs(),
                         help="also evaluate in this many processes (default: one per core)")
    args = options.parse_args()
    print(f"{args.units} units, {args.events} events per policy (seeded)")
    for name in args.policy or sorted(POLICIES):
        start, end = (dt.date.fromisoformat(d) for d in POLICIES[name])
        rnd = random.Random(2021)
        units = generate_units(args.units, rnd)
        lines = [
            json.dumps(e, ensure_ascii=False)
            for e in generate_events(args.events, args.units, start, end, rnd)
        ]
        policy = policyrules.load(ROOT / "policies" / f"{name}.pol")

        began = time.perf_counter()
        rows = [json.loads(line) for line in lines]
        reference = time.perf_counter() - began

        began = time.perf_counter()
        events = read_events(policy, rows)
        unit_set = read_units(policy, units)
        reading = time.perf_counter() - began
        held = bytes_per_event(policy, rows[:20_000])

        compiled = compile_policy(policy)
        as_of = dt.datetime.combine(end, dt.time(23, 59, 59), tzinfo=compiled.zone)
        began = time.perf_counter()
        evaluation = Evaluation(compiled, events.events, unit_set, as_of)
        results = evaluation.results()
        report = build_report(policy, as_of, results, events, unit_set)
        evaluating = time.perf_counter() - began
        # what `check --format json` does: evaluate and render the results a batch at a
        # time, in one process and then in several (the rendered text is all that travels)
        streamed: dict[int, tuple[float, str]] = {}
        for jobs in sorted({1, args.jobs}):
            began = time.perf_counter()
            again = Evaluation(compiled, events.events, unit_set, as_of)
            text = ",\n".join(c for c in again.iter_chunks(json_items, jobs=jobs) if c)
            streamed[jobs] = (time.perf_counter() - began, text)

        n = args.events
        counts = ", ".join(f"{k} {v}" for k, v in report.counts().items() if v)
        print(f"\n{name}: {len(results)} results ({counts})")
        print(f"  reference json.loads : {reference:8.2f} s  {n / reference:12,.0f} events/s")
        print(
            f"  read + validate      : {reading:8.2f} s  {n / reading:12,.0f} events/s"
            f"  ({reading / reference:.1f}× reference)"
        )
        print(
            f"  evaluate             : {evaluating:8.2f} s  {n / evaluating:12,.0f} events/s"
            f"  ({evaluating / reference:.1f}× reference)"
        )
        alone, alone_text = streamed[1]
        print(f"  evaluate + render    : {alone:8.2f} s  {n / alone:12,.0f} events/s")
        if args.jobs > 1:
            shared, shared_text = streamed[args.jobs]
            print(
                f"  {f'  … in {args.jobs} processes':<21}: {shared:8.2f} s"
                f"  {n / shared:12,.0f} events/s"
                f"  ({alone / shared:.2f}× one process; same text: {shared_text == alone_text})"
            )
        print(f"  events held in memory: {held:8.0f} bytes per event (traced on 20,000)")
        print(f"  peak memory so far   : {peak_mb():8.0f} MB")


if __name__ == "__main__":
    main()
