"""Example data for policies/puer-2020.pol (普文明委发〔2020〕18号, PE-1 … PE-8).

Writes units.jsonl and events.jsonl next to this script: the leading group and its office,
the member units (the five colleges among them), from before the notice (2020-07-18) to the
end of 2021: plans, yearly reports, information items, meetings and their minutes, volunteer
registrations and college activities. Deterministic: run it again and the files are the same,
byte for byte.

    python examples/puer-2020/generate.py

The enrolments are scaled down (tens of students, not thousands) to keep the files small.
README.md says which unit shows which case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(2021)

# ----------------------------------------------------------------------------- units

GROUP = ("lg", "普洱市志愿服务工作协调领导小组")
OFFICE = ("zx", "市志愿服务发展指导中心")

MEMBERS = [
    ("cy-wenmingban", "市文明办"),
    ("cy-gongwei", "市委市直机关工委"),
    ("cy-minzheng", "市民政局"),
    ("cy-jiaoti", "市教育体育局"),
    ("cy-wenlv", "市文化和旅游局"),
    ("cy-guoziwei", "市国资委"),
    ("cy-zonggonghui", "市总工会"),
    ("cy-tuanshiwei", "团市委"),
    ("cy-fulian", "市妇联"),
    ("cy-wenlian", "市文联"),
    ("cy-zhilian", "市志愿服务联合会"),
    ("cy-ribao", "普洱日报社"),
    ("cy-guangdian", "普洱广播电视台"),
]

# The colleges of 一、（三）13: (id, name, students, staff, students from 2021-09-01 or None)
COLLEGES = [
    ("yx-puerxueyuan", "普洱学院", 40, 12, 46),
    ("yx-redai", "云南农业大学热带作物学院", 24, 8, None),
    ("yx-chaxueyuan", "滇西应用技术大学普洱茶学院", 30, 10, None),
    ("yx-zhijiao", "普洱市职业教育中心", 36, 9, 42),
    ("yx-weixiao", "普洱卫生学校", 28, 7, None),
]

# A county office that reads the notice but is no member unit: nothing applies to it.
COUNTY = ("xq-simao", "思茅区文明委")


def units() -> list[dict]:
    rows: list[dict] = [
        {"unit": GROUP[0], "name": GROUP[1], "type": "领导小组"},
        {"unit": OFFICE[0], "name": OFFICE[1], "type": "办事机构", "parent": GROUP[0]},
        {"unit": COUNTY[0], "name": COUNTY[1], "type": "县区文明委"},
    ]
    for ident, name in MEMBERS:
        rows.append({"unit": ident, "name": name, "type": "成员单位",
                     "staff": rng.randint(25, 180)})
    for ident, name, students, staff, later in COLLEGES:
        rows.append({"unit": ident, "name": name, "type": "成员单位", "students": students,
                     "staff": staff, "valid_from": "2019-09-01"})
        if later is not None:
            # the autumn 2021 intake
            rows.append({"unit": ident, "name": name, "type": "成员单位", "students": later,
                         "staff": staff, "valid_from": "2021-09-01"})
    return rows


# ----------------------------------------------------------------------------- events

events: list[dict] = []
counter = {"n": 0}


def add(unit: str, kind: str, at: str, prefix: str, **attributes: object) -> str:
    counter["n"] += 1
    ident = f"{prefix}-{counter['n']:04d}"
    events.append({"id": ident, "unit": unit, "kind": kind, "at": at, **attributes})
    return ident


def stamp(day: dt.date, hour: int | None = None, minute: int | None = None) -> str:
    hour = hour if hour is not None else rng.choice([9, 10, 11, 14, 15, 16])
    minute = minute if minute is not None else rng.choice([0, 10, 20, 30, 40, 50])
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00"


def between(first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def plans_and_reports() -> None:
    for ident, _name in [*MEMBERS, *((c[0], c[1]) for c in COLLEGES)]:
        # PE-1: the 2021 plan, due 2021-03-20 (2020's was due before the notice existed).
        if ident == "cy-guoziwei":
            add(ident, "report", stamp(dt.date(2021, 4, 6)), "bg", form="工作计划", period="2021")
        elif ident == "cy-ribao":
            add(ident, "report", stamp(dt.date(2021, 3, 20), 16, 0), "bg", form="工作计划",
                period="2021")
        elif ident != "cy-wenlian":
            add(ident, "report", stamp(between(dt.date(2021, 2, 20), dt.date(2021, 3, 18))),
                "bg", form="工作计划", period="2021")
        # PE-2: the yearly report on 2020 (due 2020-12-20) and on 2021 (due 2021-12-20).
        if ident == "cy-zonggonghui":
            add(ident, "report", stamp(dt.date(2020, 12, 21)), "bg", form="工作总结",
                period="2020")
        elif ident == "cy-guangdian":
            # 2020's report in January 2021, and none on 2021 (see README: PE-2's 2021 instance
            # reads any 工作总结 dated in 2021).
            add(ident, "report", stamp(dt.date(2021, 1, 8)), "bg", form="工作总结", period="2020")
        elif ident != "cy-wenlian":
            add(ident, "report", stamp(between(dt.date(2020, 12, 1), dt.date(2020, 12, 18))),
                "bg", form=rng.choice(["工作总结", "年度总结"]), period="2020")
        if ident == "cy-fulian":
            add(ident, "report", stamp(dt.date(2021, 12, 23)), "bg", form="年度总结",
                period="2021")
        elif ident not in ("cy-wenlian", "cy-guangdian"):
            add(ident, "report", stamp(between(dt.date(2021, 12, 1), dt.date(2021, 12, 20))),
                "bg", form=rng.choice(["工作总结", "年度总结"]), period="2021")
        # PE-3: information items, at least 4 a year.
        items_2020 = {"cy-tuanshiwei": 3, "cy-fulian": 2}.get(ident, rng.randint(4, 6))
        items_2021 = {"cy-minzheng": 3, "cy-wenlv": 4}.get(ident, rng.randint(4, 8))
        if ident == "cy-fulian":
            # two items in June 2020, before the notice: they do not count for 2020
            for day in (dt.date(2020, 6, 3), dt.date(2020, 6, 24)):
                add(ident, "report", stamp(day), "xx", form="信息", period="2020")
        for _ in range(items_2020):
            add(ident, "report", stamp(between(dt.date(2020, 7, 20), dt.date(2020, 12, 28))),
                "xx", form="信息", period="2020")
        for _ in range(items_2021):
            add(ident, "report", stamp(between(dt.date(2021, 1, 5), dt.date(2021, 12, 28))),
                "xx", form="信息", period="2021")


def meetings() -> None:
    # (day, type, minutes: days after, or None for none)
    schedule = [
        (dt.date(2020, 5, 15), "全体会议", 4),  # before the notice: counted by PE-4 only
        (dt.date(2020, 8, 20), "全体会议", 5),
        (dt.date(2020, 9, 24), "专题会议", 5),
        (dt.date(2020, 11, 12), "专题会议", None),  # PE-5: no minutes at all
        (dt.date(2020, 12, 18), "全体会议", 12),  # PE-5: minutes after 7 days -> late
        (dt.date(2021, 3, 16), "全体会议", 3),
        (dt.date(2021, 6, 10), "专题会议", 5),
        (dt.date(2021, 9, 9), "专题会议", 7),  # minutes on the 7th day: met
        (dt.date(2021, 12, 17), "全体会议", 5),
        (dt.date(2021, 12, 28), "专题会议", None),  # PE-5: minutes not yet due on 12-31
    ]
    for day, kind, after in schedule:
        meeting = add(GROUP[0], "meeting", stamp(day, 9, 30), "hy", type=kind)
        if after is not None:
            add(OFFICE[0], "minutes", stamp(day + dt.timedelta(days=after), 17, 0), "jy",
                ref=meeting)


def registrations() -> None:
    """PE-6: students and teachers registered as volunteers (a stock: they carry over)."""
    # (college, students registered by 2020-12-31, students registered in 2021, teachers)
    plan = {
        "yx-puerxueyuan": (40, 6, 12),  # all, the autumn 2021 intake too
        "yx-redai": (20, 4, 8),  # 4 short in 2020, caught up in March 2021
        "yx-chaxueyuan": (30, 0, 9),  # a teacher short in both years
        "yx-zhijiao": (36, 4, 9),  # the autumn 2021 intake is 6, only 4 registered
        "yx-weixiao": (28, 0, 7),  # all; one student registered twice
    }
    for ident, _name, _students, _staff, _later in COLLEGES:
        by_2020, in_2021, teachers = plan[ident]
        short = ident.split("-")[1][:4]
        for number in range(1, by_2020 + 1):
            day = between(dt.date(2019, 9, 10), dt.date(2020, 11, 30))
            add(ident, "registration", stamp(day), "zc", person=f"{short}-s{number:03d}",
                student=True, party_member=rng.random() < 0.1)
        for number in range(by_2020 + 1, by_2020 + in_2021 + 1):
            if ident == "yx-redai":
                day = between(dt.date(2021, 3, 1), dt.date(2021, 3, 31))
            else:
                day = between(dt.date(2021, 9, 6), dt.date(2021, 10, 30))
            add(ident, "registration", stamp(day), "zc", person=f"{short}-s{number:03d}",
                student=True, party_member=False)
        for number in range(1, teachers + 1):
            day = between(dt.date(2019, 9, 10), dt.date(2020, 6, 30))
            add(ident, "registration", stamp(day), "zc", person=f"{short}-t{number:02d}",
                student=False, party_member=rng.random() < 0.5)
        if ident == "yx-weixiao":
            add(ident, "registration", stamp(dt.date(2021, 3, 2)), "zc", person="weix-s005",
                student=True, party_member=False)


def activities() -> None:
    """PE-7: the colleges' activities and whether their hours were entered."""
    themes = ["关爱空巢老人", "留守儿童", "文明交通", "植树环保", "普洱茶文化宣传", "助残"]
    for ident, _name, _students, _staff, _later in COLLEGES:
        for month in [9, 10, 11, 12] + [13 + m for m in range(12)]:
            if rng.random() < 0.45:
                continue
            year = 2020 if month <= 12 else 2021
            day = dt.date(year, (month - 1) % 12 + 1, rng.randint(1, 28))
            attributes: dict[str, object] = {
                "theme": rng.choice(themes),
                "hours": rng.choice([2, 3, 4]),
                "participants": rng.randint(8, 40),
            }
            attributes["hours_recorded"] = rng.random() >= 0.1
            add(ident, "activity", stamp(day), "hd", **attributes)
    # PE-7: an activity whose sheet left hours_recorded blank: it does not count as entered.
    add("yx-weixiao", "activity", stamp(dt.date(2021, 11, 20), 9, 0), "hd", theme="助残",
        hours=3, participants=15)
    # Activities of other member units: PE-7 binds only the colleges.
    for ident in ("cy-tuanshiwei", "cy-zhilian", "cy-wenlv"):
        for day in (dt.date(2021, 3, 5), dt.date(2021, 12, 5)):
            add(ident, "activity", stamp(day), "hd", theme="志愿服务宣传", hours=2,
                participants=rng.randint(20, 60))


def main() -> None:
    unit_rows = units()
    plans_and_reports()
    meetings()
    registrations()
    activities()
    events.sort(key=lambda e: (e["at"], e["id"]))
    write(HERE / "units.jsonl", unit_rows)
    write(HERE / "events.jsonl", events)


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
