"""Example data for policies/yuzhong-2019.pol (渝中区委教育工委, 2019-05-22).

Writes units.jsonl and events.jsonl next to this script, in the vocabulary of
shared/spec/vocabulary.md. Deterministic (random.Random(2021), standard library only): running
it again reproduces both files byte for byte.

    python examples/yuzhong-2019/generate.py

The data covers the notice's first year, 2019-05-22 … 2020-01-15, for 20 units of the
district's education committee: 17 文明校园 / 文明单位 (one of them titled only from
2019-09-01) and 3 schools without the title, which only part 二 of the notice binds. Each
unit has a scenario; README.md says which unit shows which edge case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(2021)
D = dt.date

START = dt.date(2019, 5, 22)  # the notice's date
END = dt.date(2020, 1, 15)  # the as_of of README.md's command: the data stops here

# China's working-day calendar in the window (国务院办公厅 2019 and 2020 schedules): the
# weekdays off and the weekend days worked in exchange (调休上班).
DAYS_OFF = {
    dt.date(2019, 6, 7),  # 端午节
    dt.date(2019, 9, 13),  # 中秋节
    *(dt.date(2019, 10, d) for d in (1, 2, 3, 4, 7)),  # 国庆节
    dt.date(2020, 1, 1),  # 元旦
}
MAKEUP_DAYS = {dt.date(2019, 9, 29), dt.date(2019, 10, 12)}  # a Sunday and a Saturday


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day in MAKEUP_DAYS or (day.weekday() < 5 and day not in DAYS_OFF):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# Streets collect the units' plans and summaries (一、（六）2, （七）); no obligation binds a
# street, so they have no row: `parent` names the street a unit reports to.
STREETS = ["解放碑街道", "七星岗街道", "上清寺街道", "大坪街道", "化龙桥街道"]

# id, name, type, staff, street. Scenarios are in the comments and in README.md.
UNITS = [
    # model units: everything on time
    ("yz-shiyan1", "渝中区实验一小", "文明校园", 85, 0),
    ("yz-shiyan2", "渝中区实验二小", "文明校园", 95, 1),
    ("yz-jinxiu", "渝中区教师进修学院", "文明单位", 8, 2),  # 8 staff: 10% → 0.8 → 1
    # YZ-3: 15 staff, one activity with 1 participant (10% → 1.5 → rounds up to 2)
    ("yz-renhe", "渝中区人和幼儿园", "文明校园", 15, 0),
    # YZ-3: 20 staff, 22 from 2019-09-01 (valid_from): 2 participants are enough in June,
    # not in November (21–50 → 3)
    ("yz-fazhan", "渝中区教师发展中心", "文明单位", 20, 3),
    # YZ-1 / YZ-4: no activity in Q3; only one 必选 in 2019
    ("yz-erzhong", "渝中区第二中学", "文明校园", 150, 4),
    # YZ-5 / YZ-6: an activity on the makeup working day 2019-09-29 (a Sunday); no 门前三包
    # check on the makeup working days 2019-09-29 and 2019-10-12
    ("yz-shaoniangong", "渝中区少年宫", "文明单位", 40, 1),
    # YZ-7 / YZ-8 / YZ-9: everything sent, but late; a failed 门前三包 check with no re-check
    ("yz-jiaoyanshi", "渝中区教研室", "文明单位", 60, 2),
    # YZ-8: summaries without photos, one with a 0.8 MB photo (YZ sets no size rule)
    ("yz-dapingzhong", "渝中区大坪中学", "文明校园", 30, 3),
    # YZ-11: three risky activities: insured the day before, insured after, not insured
    ("yz-bashuwai", "渝中区外国语学校", "文明校园", 110, 0),
    # YZ-9: the same person named 负责人 and 管理员 (advisory)
    ("yz-kaoshi", "渝中区教育考试中心", "文明单位", 25, 4),
    # YZ-10: activities whose hours were not recorded in the system
    ("yz-qixing", "渝中区七星岗小学", "文明校园", 48, 1),
    # YZ-1: the Q4 activity lasted half an hour
    ("yz-zhuangshi", "渝中区教育装备所", "文明单位", 12, 2),
    # YZ-4: three 自选 activities and no 必选
    ("yz-huxi", "渝中区虎溪小学", "文明校园", 70, 3),
    # YZ-2 / YZ-8: an early 2020 activity (2020Q1 met) whose summary is not in yet (at risk)
    ("yz-zhongxue29", "重庆市第二十九中学", "文明校园", 101, 4),
    # YZ-6 / YZ-7 / YZ-9: no 门前三包 records, no plan, no appointments
    ("yz-tiyu", "渝中区体育运动学校", "文明单位", 55, 0),
    # 文明单位 from 2019-09-01 only (valid_from): its June activity binds nothing of part 一
    ("yz-lianglu", "渝中区两路口小学", "学校", 33, 1),
    # schools without the title: only part 二 (YZ-9, YZ-10, YZ-11) binds them
    ("yz-xiaolongkan", "渝中区小龙坎小学", "学校", 26, 2),
    ("yz-yuzhonglu", "渝中区渝中路小学", "学校", 18, 3),  # no appointments; risky, uninsured
    ("yz-xinhua", "渝中区新华路幼儿园", "学校", 40, 4),
]
STAFF_CHANGES = {"yz-fazhan": (dt.date(2019, 9, 1), 22)}
TITLE_FROM = {"yz-lianglu": (dt.date(2019, 9, 1), "文明单位")}

# The units that keep a daily 门前三包 record in the export (the others keep none, and every
# working day is overdue for them); yz-lianglu starts with its title.
INSPECTING = {
    "yz-shiyan1": START,
    "yz-shiyan2": START,
    "yz-jinxiu": START,
    "yz-fazhan": START,
    "yz-shaoniangong": START,
    "yz-jiaoyanshi": START,
    "yz-bashuwai": START,
    "yz-zhongxue29": START,
    "yz-lianglu": dt.date(2019, 9, 2),
}

MUST_THEMES = ["礼让斑马线", "你就是网红"]  # 必选项目
FREE_THEMES = ["扮靓我家园", "基层小喇叭", "爱心送温暖"]  # 自选项目
VOLUNTEER_THEMES = ["关爱空巢老人", "留守儿童", "文明交通", "志愿服务宣传", "植树环保"]


def band(staff: int) -> int:
    """YZ-3's least number of participants (lib/bands.pol), for the generator's own use."""
    if staff <= 20:
        return -(-staff // 10)
    return 3 if staff <= 50 else 5 if staff <= 100 else 8


events: list[dict] = []
counters: dict[tuple[str, str], int] = {}


def add(unit: str, kind: str, at: dt.date | dt.datetime, tag: str, **fields) -> dict:
    counters[(unit, tag)] = counters.get((unit, tag), 0) + 1
    ident = f"{unit}/{tag}{counters[(unit, tag)]}"
    event = {"id": ident, "unit": unit, "kind": kind, "at": at.isoformat(), **fields}
    events.append(event)
    return event


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def photos(n: int, low: float = 1.0, high: float = 2.8) -> dict:
    sizes = [round(rng.uniform(low, high), 1) for _ in range(n)]
    return {"photo_mb": sizes, "photo_format": ["jpg"] * n}


def staff_on(unit: str, staff: int, day: dt.date) -> int:
    change = STAFF_CHANGES.get(unit)
    return change[1] if change and day >= change[0] else staff


def activity(
    unit: str, staff: int, day: dt.date, category: str | None, *, hours: float | None = None,
    participants: int | None = None, recorded: bool = True, risky: bool = False,
    theme: str | None = None, summary_after: int | None = None, summary_photos: int = 3,
) -> dict:
    """A 文明单位在行动 activity (with a category) or a volunteer activity (without), its
    summary report `summary_after` days later (None: no summary)."""
    if theme is None:
        pool = MUST_THEMES if category == "必选" else FREE_THEMES if category else VOLUNTEER_THEMES
        theme = rng.choice(pool)
    fields: dict = {
        "hours": hours if hours is not None else rng.choice([1, 1.5, 2, 2.5, 3]),
        "participants": (
            participants
            if participants is not None
            else band(staff_on(unit, staff, day)) + rng.randint(0, 4)
        ),
    }
    if category:
        fields["category"] = category
    fields["theme"] = theme
    if risky:
        fields["risky"] = True
    fields["hours_recorded"] = recorded
    event = add(unit, "activity", at(day, rng.choice([9, 14]), rng.choice([0, 30])), "act",
                **fields)
    if summary_after is not None:
        add(unit, "report", at(day + dt.timedelta(days=summary_after), 16, rng.randint(0, 59)),
            "sum", form="活动总结", ref=event["id"], **photos(summary_photos))
    return event


def start_up(unit: str, *, plan: dt.date | None = dt.date(2019, 5, 27),
             form: dt.date | None = dt.date(2019, 5, 26), same: bool = False) -> None:
    """Part 一 (六) 2 and part 二 (五) 1: the plan on `plan` (None: never), the two
    appointments and the 管理员信息表 on `form` (None: neither)."""
    if plan is not None:
        add(unit, "report", at(plan, 10, rng.randint(0, 59)), "plan", form="活动计划")
    if form is not None:
        lead = f"{unit}-p1"
        admin = lead if same else f"{unit}-p2"
        add(unit, "appointment", at(dt.date(2019, 5, 23), 9), "appt", role="负责人", person=lead)
        add(unit, "appointment", at(dt.date(2019, 5, 23), 9, 5), "appt", role="管理员",
            person=admin)
        add(unit, "report", at(form, 11, rng.randint(0, 59)), "form", form="管理员信息表")


def inspections(unit: str, first: dt.date, *, skip: set[dt.date] = frozenset(),
                failed: set[dt.date] = frozenset()) -> None:
    """The daily 门前三包 check: passed each working day, except on `skip` days (none) and
    `failed` days (failed, no re-check); now and then a failed morning check is put right
    by an afternoon re-check."""
    for day in working_days(first, END):
        if day in skip:
            continue
        if day in failed:
            add(unit, "inspection", at(day, 8, rng.randint(0, 59)), "chk", passed=False)
            continue
        if rng.random() < 0.03:
            add(unit, "inspection", at(day, 8, rng.randint(0, 59)), "chk", passed=False)
            add(unit, "inspection", at(day, 16, rng.randint(0, 59)), "chk", passed=True)
        else:
            add(unit, "inspection", at(day, 8, rng.randint(0, 59)), "chk", passed=True)


staff = {u[0]: u[3] for u in UNITS}


def standard_year(unit: str, *, after: int = 3) -> None:
    """2019's three activities, on a month's first Saturday or Friday: 必选, 自选, 必选."""
    s = staff[unit]
    activity(unit, s, D(2019, 6, 1), "必选", summary_after=after)
    activity(unit, s, D(2019, 9, 6), "自选", summary_after=after)
    activity(unit, s, D(2019, 11, 1), "必选", summary_after=after)


# ---------------------------------------------------------------- the scenarios

for unit in ("yz-shiyan1", "yz-shiyan2"):
    start_up(unit)
    standard_year(unit)
    activity(unit, staff[unit], D(2019, 12, 6), "自选", summary_after=2)  # a fourth: more is fine
    activity(unit, staff[unit], D(2019, 10, 19), None)  # a volunteer activity: part 二 only
activity("yz-shiyan1", 85, D(2020, 1, 3), "必选", summary_after=3)  # 2020Q1 done early

start_up("yz-jinxiu", plan=D(2019, 5, 24), form=D(2019, 5, 25))
activity("yz-jinxiu", 8, D(2019, 6, 1), "必选", participants=1, summary_after=2)
activity("yz-jinxiu", 8, D(2019, 7, 6), "自选", participants=1, summary_after=2)
activity("yz-jinxiu", 8, D(2019, 12, 7), "必选", participants=2, summary_after=2)

start_up("yz-renhe")
activity("yz-renhe", 15, D(2019, 6, 1), "必选", participants=1, summary_after=2)  # needs 2
activity("yz-renhe", 15, D(2019, 9, 7), "自选", participants=2, summary_after=2)
activity("yz-renhe", 15, D(2019, 11, 2), "必选", participants=3, summary_after=2)

start_up("yz-fazhan")
activity("yz-fazhan", 20, D(2019, 6, 1), "必选", participants=2, summary_after=3)  # 20: needs 2
activity("yz-fazhan", 20, D(2019, 9, 6), "自选", participants=3, summary_after=3)  # 22: needs 3
activity("yz-fazhan", 20, D(2019, 11, 1), "必选", participants=2, summary_after=3)  # 22: short

start_up("yz-erzhong")
activity("yz-erzhong", 150, D(2019, 6, 7), "必选", summary_after=4)
activity("yz-erzhong", 150, D(2019, 12, 6), "自选", summary_after=4)  # Q3 has none

start_up("yz-shaoniangong")
activity("yz-shaoniangong", 40, D(2019, 6, 1), "必选", summary_after=2)
activity("yz-shaoniangong", 40, D(2019, 9, 29), "自选", summary_after=2)  # makeup working day
activity("yz-shaoniangong", 40, D(2019, 11, 2), "必选", summary_after=2)

start_up("yz-jiaoyanshi", plan=D(2019, 6, 5), form=D(2019, 5, 29))  # both late
activity("yz-jiaoyanshi", 60, D(2019, 6, 7), "必选", summary_after=12)  # summaries late
activity("yz-jiaoyanshi", 60, D(2019, 9, 7), "自选", summary_after=9)
activity("yz-jiaoyanshi", 60, D(2019, 12, 7), "必选", summary_after=6)  # this one in time

start_up("yz-dapingzhong")
activity("yz-dapingzhong", 30, D(2019, 6, 1), "必选", summary_after=2, summary_photos=0)
a = activity("yz-dapingzhong", 30, D(2019, 9, 6), "自选", summary_after=None)
add("yz-dapingzhong", "report", at(D(2019, 9, 9), 15), "sum", form="活动总结", ref=a["id"],
    photo_mb=[0.8], photo_format=["jpg"])  # one photo of 0.8 MB: YZ-8 asks only for photos
activity("yz-dapingzhong", 30, D(2019, 11, 1), "必选", summary_after=None)  # never summarised

start_up("yz-bashuwai")
first = activity("yz-bashuwai", 110, D(2019, 6, 1), "必选", risky=True, summary_after=2)
add("yz-bashuwai", "insurance", at(D(2019, 5, 31), 15), "insu", ref=first["id"])
second = activity("yz-bashuwai", 110, D(2019, 9, 7), "自选", risky=True, summary_after=2)
add("yz-bashuwai", "insurance", at(D(2019, 9, 7), 17), "insu", ref=second["id"])  # after it
activity("yz-bashuwai", 110, D(2019, 11, 2), "必选", risky=True, summary_after=2)  # uninsured

start_up("yz-kaoshi", same=True)
standard_year("yz-kaoshi")

start_up("yz-qixing")
activity("yz-qixing", 48, D(2019, 6, 1), "必选", recorded=False, summary_after=3)
activity("yz-qixing", 48, D(2019, 9, 6), "自选", summary_after=3)
activity("yz-qixing", 48, D(2019, 11, 2), "必选", recorded=False, summary_after=3)

start_up("yz-zhuangshi")
activity("yz-zhuangshi", 12, D(2019, 6, 1), "必选", summary_after=2)
activity("yz-zhuangshi", 12, D(2019, 9, 7), "自选", summary_after=2)
activity("yz-zhuangshi", 12, D(2019, 12, 7), "必选", hours=0.5, summary_after=2)  # too short

start_up("yz-huxi")
for day in (D(2019, 6, 1), D(2019, 9, 6), D(2019, 11, 1)):
    activity("yz-huxi", 70, day, "自选", summary_after=3)

start_up("yz-zhongxue29")
standard_year("yz-zhongxue29", after=4)
activity("yz-zhongxue29", 101, D(2020, 1, 10), "自选", summary_after=None)  # summary due 01-17

activity("yz-tiyu", 55, D(2019, 6, 7), "必选", summary_after=5)
activity("yz-tiyu", 55, D(2019, 9, 6), "自选", summary_after=5)
activity("yz-tiyu", 55, D(2019, 12, 6), "必选", summary_after=5)

start_up("yz-lianglu")
activity("yz-lianglu", 33, D(2019, 6, 1), "自选", participants=1, summary_after=2)  # untitled
activity("yz-lianglu", 33, D(2019, 9, 7), "必选", summary_after=2)
activity("yz-lianglu", 33, D(2019, 11, 2), "必选", summary_after=2)
activity("yz-lianglu", 33, D(2019, 12, 7), "自选", summary_after=2)

for unit in ("yz-xiaolongkan", "yz-xinhua"):
    start_up(unit, plan=None)
    for day in (D(2019, 6, 15), D(2019, 10, 26), D(2019, 12, 21)):
        activity(unit, staff[unit], day, None, summary_after=None)
activity("yz-xinhua", 40, D(2019, 11, 9), None, recorded=False)
start_up("yz-yuzhonglu", plan=None, form=None)
activity("yz-yuzhonglu", 18, D(2019, 9, 21), None, theme="文明交通", risky=True)  # no insurance
activity("yz-yuzhonglu", 18, D(2019, 12, 14), None, theme="志愿服务宣传")

for unit, first_day in INSPECTING.items():
    skip = {D(2019, 9, 29), D(2019, 10, 12)} if unit == "yz-shaoniangong" else set()
    failed = {D(2019, 11, 20)} if unit == "yz-jiaoyanshi" else set()
    inspections(unit, first_day, skip=skip, failed=failed)


# ---------------------------------------------------------------- write


def unit_rows() -> list[dict]:
    rows = []
    for ident, name, kind, count, street in UNITS:
        base = {"unit": ident, "name": name, "type": kind, "staff": count,
                "parent": STREETS[street]}
        rows.append(base)
        if ident in STAFF_CHANGES:
            since, value = STAFF_CHANGES[ident]
            rows.append({**base, "staff": value, "valid_from": since.isoformat()})
        if ident in TITLE_FROM:
            since, value = TITLE_FROM[ident]
            rows.append({**base, "type": value, "valid_from": since.isoformat()})
    return rows


def write(name: str, rows: list[dict]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write("units.jsonl", unit_rows())
    write("events.jsonl", sorted(events, key=lambda e: (e["at"], e["id"])))
