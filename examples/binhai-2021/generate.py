"""Example data for policies/binhai-2021.pol (滨海新区文明办 2021, BH-1 … BH-13).

Writes units.jsonl and events.jsonl next to this script: the district office, the sector
branches (区公安局, 区文旅局, 区民政局, 区生态环境局, 区城管委 among them), four streets with their
communities and villages, schools, volunteer organisations and teams, over the year 2021.
Deterministic: run it again and the files are the same, byte for byte.

    python examples/binhai-2021/generate.py

README.md says which unit shows which case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(2021)
D = dt.date

# ----------------------------------------------------------------------------- units

OFFICE = ("wmb", "区文明办")

# 各委办局 as 行业志愿服务分会: (id, name, field)
BRANCHES = [
    ("hy-gongan", "区公安局", "交通"),
    ("hy-wenlv", "区文旅局", "文体"),
    ("hy-minzheng", "区民政局", "社工"),
    ("hy-shengtai", "区生态环境局", "环保"),
    ("hy-chengguan", "区城管委", "环保"),
    ("hy-weijian", "区卫健委", "医疗卫生"),  # a 分会 only from 2021-04-01
    ("hy-sifa", "区司法局", "法律"),  # BH-4: 12 activities, February empty
    ("hy-kexie", "区科协", "科技"),  # BH-4: 10 activities in the year
    ("hy-jiaoti", "区教体局", "教育"),
]

STREETS = [
    ("jd-xingang", "新港街道"),
    ("jd-xinhe", "新河街道"),
    ("jd-taida", "泰达街道"),
    ("zh-zhongtang", "中塘镇"),
]

# 村居 (type 社区): (id, name, street)
COMMUNITIES = [
    ("sq-xingang", "新港社区", "jd-xingang"),
    ("sq-shengli", "胜利社区", "jd-xingang"),
    ("sq-haibin", "海滨社区", "jd-xingang"),
    ("sq-xinhe", "新河社区", "jd-xinhe"),
    ("sq-chuanchang", "船厂社区", "jd-xinhe"),
    ("sq-donggu", "东沽社区", "jd-xinhe"),
    ("sq-cuiheng", "翠亨社区", "jd-taida"),
    ("sq-huana", "华纳社区", "jd-taida"),
    ("sq-yicheng", "贻成社区", "jd-taida"),
    ("cun-zhongtang", "中塘村", "zh-zhongtang"),
    ("cun-liugang", "刘岗庄村", "zh-zhongtang"),
    ("cun-tianshuijing", "甜水井村", "zh-zhongtang"),
]

SCHOOLS = [
    ("xx-yizhong", "塘沽一中"),
    ("xx-shiyan", "滨海新区实验小学"),  # BH-9: no lesson in February
    ("xx-taida", "泰达第一小学"),  # BH-9: August's lesson names no teacher
    ("xx-zhongtang", "中塘镇中心小学"),  # BH-9: November's lesson given on 12-01
]

# volunteer organisations (under 区民政局) and professional teams: (id, name, type, parent)
ORGS = [
    ("zz-yigong", "滨海新区义工联合会", "志愿服务组织", "hy-minzheng"),
    ("zz-lvse", "绿色家园志愿服务社", "志愿服务组织", "hy-minzheng"),
    ("zy-falv", "法律援助志愿服务队", "专业志愿服务队", "hy-sifa"),
    ("zy-yiliao", "医疗卫生志愿服务队", "专业志愿服务队", "hy-weijian"),
]


def units() -> list[dict]:
    rows: list[dict] = [{"unit": OFFICE[0], "name": OFFICE[1], "type": "区级部门",
                         "staff": 24}]
    for ident, name, field in BRANCHES:
        row = {"unit": ident, "name": name, "type": "行业分会", "field": field,
               "staff": rng.randint(40, 600)}
        if ident == "hy-weijian":
            # the 分会 is set up on 2021-04-01; before, a plain district department
            rows.append({**row, "type": "区级部门"})
            rows.append({**row, "valid_from": "2021-04-01"})
        else:
            rows.append(row)
    for ident, name in STREETS:
        rows.append({"unit": ident, "name": name, "type": "镇街",
                     "population": rng.randint(60000, 180000)})
    for ident, name, street in COMMUNITIES:
        rows.append({"unit": ident, "name": name, "type": "社区", "parent": street,
                     "population": rng.randint(3000, 15000)})
    for ident, name in SCHOOLS:
        rows.append({"unit": ident, "name": name, "type": "学校", "parent": "hy-jiaoti",
                     "staff": rng.randint(60, 220)})
    for ident, name, kind, parent in ORGS:
        rows.append({"unit": ident, "name": name, "type": kind, "parent": parent})
    return rows


ALL_UNITS = (
    [OFFICE[0]]
    + [b[0] for b in BRANCHES]
    + [s[0] for s in STREETS]
    + [c[0] for c in COMMUNITIES]
    + [s[0] for s in SCHOOLS]
    + [o[0] for o in ORGS]
)
STREET_OF = {c[0]: c[2] for c in COMMUNITIES} | {s[0]: s[0] for s in STREETS}

SECOND_SATURDAYS = [D(2021, 1, 9), D(2021, 2, 13), D(2021, 3, 13), D(2021, 4, 10),
                    D(2021, 5, 8), D(2021, 6, 12), D(2021, 7, 10), D(2021, 8, 14),
                    D(2021, 9, 11), D(2021, 10, 9), D(2021, 11, 13), D(2021, 12, 11)]

# Days on which no unit of a street's area may hold an activity (so that the BH-10 cases
# below stay what they are): 新河's July, 泰达's April, 中塘's February second Saturday.
BLOCKED = {
    "jd-xinhe": {D(2021, 7, 10)},
    "jd-taida": {D(2021, 4, 10)},
    "zh-zhongtang": {D(2021, 2, 13)},
}

# ----------------------------------------------------------------------------- events

events: list[dict] = []
counter = {"n": 0}


def add(unit: str, kind: str, at: str, prefix: str, **attributes: object) -> str:
    counter["n"] += 1
    ident = f"{prefix}-{counter['n']:04d}"
    events.append({"id": ident, "unit": unit, "kind": kind, "at": at, **attributes})
    return ident


def stamp(day: dt.date, hour: int | None = None, minute: int | None = None) -> str:
    hour = hour if hour is not None else rng.choice([9, 9, 10, 14, 15])
    minute = minute if minute is not None else rng.choice([0, 0, 15, 30, 45])
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00"


def activity(unit: str, day: dt.date, theme: str, *, hours: float | None = None,
             hour: int | None = None, **attributes: object) -> str:
    return add(unit, "activity", stamp(day, hour), "hd", theme=theme,
               hours=hours if hours is not None else rng.choice([1.5, 2, 2, 2.5, 3]),
               participants=rng.randint(8, 60), **attributes)


def near(unit: str, day: dt.date, spread: int) -> dt.date:
    """A day within `spread` days of `day`, avoiding the unit's area's blocked days."""
    blocked = BLOCKED.get(STREET_OF.get(unit, ""), set())
    while True:
        chosen = day + dt.timedelta(days=rng.randint(-spread, spread))
        if chosen not in blocked:
            return chosen


# 一: the dates every unit marks. (key, day, spread, theme, extra attributes)
OCCASIONS = [
    ("学雷锋纪念日", D(2021, 3, 5), 4, "志愿服务宣传", {}),
    ("植树节", D(2021, 3, 12), 4, "植树环保", {}),
    ("清明节", D(2021, 4, 4), 4, "文明祭扫", {}),
    ("国际劳动节", D(2021, 5, 1), 4, "关爱劳动者", {}),
    ("国际儿童节", D(2021, 6, 1), 4, "留守儿童", {"festival": "国际儿童节"}),
    ("建党纪念日", D(2021, 7, 1), 10, "党员志愿服务", {}),
    ("建军节", D(2021, 8, 1), 4, "关爱军人军属", {}),
    ("国庆节", D(2021, 10, 1), 4, "文明旅游", {}),
    ("国际志愿者日", D(2021, 12, 5), 4, "志愿服务宣传", {}),
]

# Units whose year is written out in full below instead.
EXPLICIT = {"hy-sifa", "hy-kexie"}


def occasions() -> None:
    """BH-1, BH-2, BH-3: every unit marks the dates, with the planned gaps."""
    for unit in ALL_UNITS:
        if unit in EXPLICIT:
            continue
        for key, day, spread, theme, extra in OCCASIONS:
            if unit.startswith("xx-") and key == "建军节":
                continue  # schools: summer holiday
            if unit == "cun-tianshuijing" and key == "建党纪念日":
                continue  # BH-2: none around 7月1日
            if rng.random() < 0.05:
                continue  # an occasional gap
            chosen = near(unit, day, spread)
            attributes = dict(extra)
            if unit == "sq-chuanchang" and key == "植树节":
                chosen = D(2021, 3, 20)  # BH-3: a day after the window (03-05 … 03-19)
            if unit == "sq-yicheng" and key == "国际儿童节":
                attributes = {}  # BH-3: the 儿童节 activity does not name the festival
            activity(unit, chosen, theme, **attributes)


def explicit_years() -> None:
    # BH-4: 区司法局 — 12 activities, none in February, two in March: 12 / 12 months = 1.0.
    for day, theme, extra in [
        (D(2021, 1, 16), "法律援助", {}),
        (D(2021, 3, 5), "志愿服务宣传", {}),
        (D(2021, 3, 13), "植树环保", {}),
        (D(2021, 4, 3), "文明祭扫", {}),
        (D(2021, 5, 1), "关爱劳动者", {}),
        (D(2021, 6, 1), "法律援助", {"festival": "国际儿童节"}),
        (D(2021, 7, 1), "党员志愿服务", {}),
        (D(2021, 8, 1), "关爱军人军属", {}),
        (D(2021, 9, 28), "文明旅游", {}),
        (D(2021, 10, 20), "法律援助", {}),
        (D(2021, 11, 16), "法律援助", {}),
        (D(2021, 12, 4), "志愿服务宣传", {}),
    ]:
        activity("hy-sifa", day, theme, **extra)
    # BH-4: 区科协 — 10 activities in the year: 10 / 12 < 1 (and a few occasions missed).
    for day, theme in [
        (D(2021, 1, 23), "科普宣传"),
        (D(2021, 3, 6), "志愿服务宣传"),
        (D(2021, 3, 14), "植树环保"),
        (D(2021, 5, 22), "科普宣传"),
        (D(2021, 6, 26), "党员志愿服务"),
        (D(2021, 7, 17), "科普宣传"),
        (D(2021, 8, 21), "科普宣传"),
        (D(2021, 9, 25), "科普宣传"),
        (D(2021, 10, 16), "科普宣传"),
        (D(2021, 12, 3), "志愿服务宣传"),
    ]:
        activity("hy-kexie", day, theme)


def branch_months() -> None:
    """BH-4: the other branches' own monthly activities in their field."""
    themes = {
        "hy-wenlv": "文化志愿服务",
        "hy-minzheng": "关爱空巢老人",
        "hy-weijian": "医疗健康",
        "hy-jiaoti": "助学辅导",
    }
    for unit, theme in themes.items():
        for month in range(1, 13):
            day = D(2021, month, rng.randint(15, 26))
            activity(unit, day, theme)


def traffic() -> None:
    """BH-5: 区公安局 at the morning and evening peaks of every working day."""
    first = D(2021, 1, 1)
    holidays = set()
    for start, length in [(D(2021, 1, 1), 3), (D(2021, 2, 11), 7), (D(2021, 4, 3), 3),
                          (D(2021, 5, 1), 5), (D(2021, 6, 12), 3), (D(2021, 9, 19), 3),
                          (D(2021, 10, 1), 7)]:
        holidays |= {start + dt.timedelta(days=i) for i in range(length)}
    makeup = {D(2021, 2, 7), D(2021, 2, 20), D(2021, 4, 25), D(2021, 5, 8), D(2021, 9, 18),
              D(2021, 9, 26), D(2021, 10, 9)}
    day = first
    number = 0
    while day.year == 2021:
        working = day in makeup or (day.weekday() < 5 and day not in holidays)
        if working:
            number += 1
            morning = stamp(day, 7, rng.choice([10, 20, 30, 40]))
            evening = stamp(day, 17, rng.choice([10, 20, 30, 40, 50]))
            if number % 40 == 0:
                # exported in UTC: 23:xx the day before is 07:xx in Beijing
                before = day - dt.timedelta(days=1)
                morning = f"{before.isoformat()}T23:{rng.choice([10, 20, 30]):02d}:00+00:00"
            skip_morning = skip_evening = False
            if day == D(2021, 10, 9):
                skip_morning = skip_evening = True  # makeup working day, forgotten
            if day == D(2021, 2, 20):
                skip_evening = True  # makeup working day: morning only
            if rng.random() < 0.015:
                skip_evening = True
            if day == D(2021, 7, 14):
                evening = stamp(day, 19, 20)  # after the evening peak
            if day == D(2021, 6, 8):
                morning = evening = day.isoformat()  # recorded with a date only
            theme = rng.choice(["文明交通", "文明交通", "礼让斑马线"])
            if not skip_morning:
                add("hy-gongan", "activity", morning, "jt", theme=theme, hours=1.5,
                    participants=rng.randint(4, 12))
            if not skip_evening:
                add("hy-gongan", "activity", evening, "jt", theme=theme, hours=1.5,
                    participants=rng.randint(4, 12))
        day += dt.timedelta(days=1)


def tourism() -> None:
    """BH-6: 区文旅局 in each holiday run; 端午 (06-12 … 06-14) only the day after."""
    for day in [D(2021, 1, 2), D(2021, 2, 13), D(2021, 4, 4), D(2021, 5, 3), D(2021, 6, 15),
                D(2021, 9, 20), D(2021, 10, 3)]:
        activity("hy-wenlv", day, "文明旅游", hour=10)


def sweeping() -> None:
    """BH-7: 文明祭扫 around 中元节 (08-22) and 寒衣节 (11-05), counted over each area."""
    activity("sq-xingang", D(2021, 8, 22), "文明祭扫", hour=18)  # 中元节 itself
    activity("sq-shengli", D(2021, 11, 3), "文明祭扫")  # near 寒衣节
    activity("sq-xinhe", D(2021, 8, 20), "文明祭扫")
    # 新河: nothing around 寒衣节
    activity("jd-taida", D(2021, 8, 24), "文明祭扫")
    activity("sq-huana", D(2021, 11, 5), "文明祭扫", hour=17)
    activity("cun-liugang", D(2021, 8, 31), "文明祭扫")  # 中塘镇: after the window (08-15 … 08-29)
    activity("cun-zhongtang", D(2021, 11, 8), "文明祭扫")
    # 区民政局: its organisations do 中元 and 寒衣
    activity("zz-yigong", D(2021, 8, 21), "文明祭扫")
    activity("zz-lvse", D(2021, 11, 6), "文明祭扫")


def ecology() -> None:
    """BH-8: 生态环境局 and 城管委 around 植树节, 世界环境日 and on every second Saturday."""
    activity("hy-shengtai", D(2021, 6, 5), "生态环保")
    for day in SECOND_SATURDAYS:
        if day != D(2021, 8, 14):  # 生态环境局 misses August
            activity("hy-shengtai", day, "生态环保", hour=9)
        theme = "垃圾分类" if day == D(2021, 5, 8) else "生态环保"  # see README
        activity("hy-chengguan", day, theme, hour=9)


def lessons() -> None:
    """BH-9: 每月一课 in every school."""
    for ident, _name in SCHOOLS:
        for month in range(1, 13):
            if ident == "xx-shiyan" and month == 2:
                continue  # winter holiday: none in February
            day = D(2021, month, rng.randint(8, 26))
            attributes: dict[str, object] = {"hours": 1, "teacher": f"{ident}-t{month:02d}"}
            if ident == "xx-taida" and month == 8:
                del attributes["teacher"]  # the sheet names no teacher
            if ident == "xx-zhongtang" and month == 11:
                day = D(2021, 12, 1)  # November's lesson given on 12-01
            add(ident, "lesson", stamp(day, 15, 30), "kc", **attributes)


def service_days() -> None:
    """BH-10: the second Saturday in each street's area, each activity at least 1.5 hours."""
    members = {s[0]: [s[0]] + [c[0] for c in COMMUNITIES if c[2] == s[0]] for s in STREETS}
    for street, _name in STREETS:
        for day in SECOND_SATURDAYS:
            if day in BLOCKED.get(street, set()):
                if street == "jd-taida":
                    # the street's own, of 1.2 hours: too short
                    activity(street, day, "环境清整", hours=1.2, hour=9)
                continue
            holder = street if street == "jd-xingang" else rng.choice(members[street])
            activity(holder, day, rng.choice(["环境清整", "铲除小广告", "文明劝导"]),
                     hours=rng.choice([1.5, 2, 2.5]), hour=9)
    # 新港: a community's short activity beside the street's own (not the street's to answer)
    activity("sq-haibin", D(2021, 3, 13), "文明劝导", hours=1, hour=14)
    # 新河: an hour on the makeup working day 09-18, a third Saturday (not a service day)
    activity("sq-donggu", D(2021, 9, 18), "文明劝导", hours=1, hour=9)


def trainings() -> None:
    """BH-11: May, the training month."""
    add(OFFICE[0], "training", stamp(D(2021, 5, 18), 9, 0), "px", hours=3, field="社工")
    add("jd-xingang", "training", stamp(D(2021, 5, 12), 14, 0), "px", hours=2)
    add("sq-xingang", "training", stamp(D(2021, 5, 19), 14, 0), "px", hours=2)
    add("sq-shengli", "training", stamp(D(2021, 5, 21), 14, 0), "px", hours=2)
    # 海滨社区: none
    add("jd-xinhe", "training", stamp(D(2021, 5, 20), 9, 30), "px", hours=3,
        joint_units=["sq-xinhe", "sq-chuanchang", "sq-donggu"])
    add("jd-taida", "training", stamp(D(2021, 4, 28), 9, 30), "px", hours=2)  # April: too early
    for ident in ("sq-cuiheng", "sq-huana", "sq-yicheng"):
        add(ident, "training", stamp(D(2021, 5, rng.randint(10, 28)), 14, 30), "px", hours=2)
    add("zh-zhongtang", "training", stamp(D(2021, 5, 26), 9, 0), "px", hours=2,
        joint_units=["cun-zhongtang", "cun-liugang"])  # 甜水井村 not among them
    add("zz-yigong", "training", stamp(D(2021, 5, 15), 9, 0), "px", hours=4)
    add("zz-lvse", "training", stamp(D(2021, 5, 29), 9, 0), "px", hours=2)
    add("zy-falv", "training", stamp(D(2021, 5, 8), 14, 0), "px", hours=2, field="法律")
    add("zy-yiliao", "training", stamp(D(2021, 6, 4), 14, 0), "px", hours=2)  # June: too late


def reports() -> None:
    """BH-12 (联络表 by 03-05 17:30) and BH-13 (half-year by 07-15, year by 12-15)."""
    for unit in ALL_UNITS:
        # BH-12
        if unit == "hy-kexie":
            add(unit, "report", stamp(D(2021, 3, 5), 17, 45), "bb", form="联络表")
        elif unit == "zz-lvse":
            # exported in UTC: 09:40Z is 17:40 in Beijing
            add(unit, "report", "2021-03-05T09:40:00Z", "bb", form="联络表")
        elif unit == "hy-wenlv":
            add(unit, "report", stamp(D(2021, 3, 5), 17, 30), "bb", form="联络表")
        elif unit == "xx-taida":
            add(unit, "report", stamp(D(2021, 3, 8)), "bb", form="联络表")
        elif unit != "cun-tianshuijing":
            add(unit, "report", stamp(D(2021, 3, rng.randint(1, 5)), rng.choice([9, 10, 11])),
                "bb", form="联络表")
        # BH-13: the half year
        if unit == "hy-sifa":
            add(unit, "report", stamp(D(2021, 7, 20)), "bb", form="半年总结", period="2021H1")
        elif unit == "xx-shiyan":
            add(unit, "report", stamp(D(2021, 7, 9)), "bb", form="半年总结", period="2021上半年")
        elif unit not in ("cun-tianshuijing", "cun-liugang"):
            add(unit, "report", stamp(D(2021, 7, rng.randint(1, 15))), "bb", form="半年总结",
                period="2021H1")
        # BH-13: the year
        if unit == "hy-kexie":
            add(unit, "report", stamp(D(2021, 12, 20)), "bb", form="年度总结", period="2021")
        elif unit != "cun-tianshuijing":
            add(unit, "report", stamp(D(2021, 12, rng.randint(1, 15))), "bb",
                form=rng.choice(["年度总结", "工作总结"]), period="2021")


def main() -> None:
    unit_rows = units()
    occasions()
    explicit_years()
    branch_months()
    traffic()
    tourism()
    sweeping()
    ecology()
    lessons()
    service_days()
    trainings()
    reports()
    events.sort(key=lambda e: (e["at"], e["id"]))
    write(HERE / "units.jsonl", unit_rows)
    write(HERE / "events.jsonl", events)


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
