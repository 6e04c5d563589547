"""Example data for policies/xindu-2017.pol (成都市新都区精神文明建设委员会, 2017-06-12).

Writes units.jsonl and events.jsonl next to this script, in the vocabulary of
shared/spec/vocabulary.md. Deterministic (random.Random(2021), standard library only): running
it again reproduces both files byte for byte.

    python examples/xindu-2017/generate.py

The data is a small district: 3 镇街 with 3 communities (社区/村) each and a volunteer team
under one community, 16 district departments and people's organisations and a professional
team under one department. Populations and staff counts are scaled down so that the file stays
small (the rules compare shares, counts and means, so the scale does not matter). It covers
the calendar year 2017 (the yearly targets count from 2017-01-01) and stops on 2018-01-10, the
as_of of README.md's command, with registrations of earlier years (a stock). README.md says
which unit shows which edge case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(2021)
D = dt.date

YEAR_START, NOTICE, YEAR_END, END = D(2017, 1, 1), D(2017, 6, 12), D(2017, 12, 31), D(2018, 1, 10)

# China's 2017 working-day calendar (国务院办公厅 2016-12-01): weekdays off, and the weekend days
# worked in exchange (调休上班) — 2017-09-30, a Saturday, is one, right before 国庆节.
DAYS_OFF = {
    D(2017, 1, 2), D(2017, 1, 27), D(2017, 1, 30), D(2017, 1, 31), D(2017, 2, 1),
    D(2017, 2, 2), D(2017, 4, 3), D(2017, 4, 4), D(2017, 5, 1), D(2017, 5, 29),
    D(2017, 5, 30), *(D(2017, 10, d) for d in range(2, 7)), D(2018, 1, 1),
}
MAKEUP_DAYS = {D(2017, 1, 22), D(2017, 2, 4), D(2017, 4, 1), D(2017, 5, 27), D(2017, 9, 30)}


def is_working_day(day: dt.date) -> bool:
    return day in MAKEUP_DAYS or (day.weekday() < 5 and day not in DAYS_OFF)


def working_days_after(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= is_working_day(day)
    return day


# ---------------------------------------------------------------- units

# id, name, population, volunteers registered with the street itself
STREETS = [
    ("xd-xindu", "新都街道", 600, 15),
    ("xd-dafeng", "大丰街道", 500, 8),  # XD-1: 62 of 65 in its area
    ("xd-banzhuyuan", "斑竹园镇", 400, 10),
]
# id, name, street, population, volunteers registered with the community
COMMUNITIES = [
    ("xd-guihu", "桂湖社区", "xd-xindu", 200, 30),
    ("xd-dongjie", "东街社区", "xd-xindu", 160, 22),
    ("xd-beijie", "北街社区", "xd-xindu", 120, 16),
    ("xd-sanhe", "三河社区", "xd-dafeng", 180, 20),  # XD-1: 20 < 13% of 180 = 23.4
    ("xd-nanfeng", "南丰社区", "xd-dafeng", 150, 21),
    ("xd-huayuan", "花园村", "xd-dafeng", 100, 13),  # XD-1: exactly 13%
    ("xd-baihe", "白鹤村", "xd-banzhuyuan", 150, 20),
    ("xd-sanqiao", "三桥村", "xd-banzhuyuan", 120, 16),
    ("xd-shima", "石马社区", "xd-banzhuyuan", 80, 11),
]
# id, name, type, field, staff, volunteers registered with it
DEPARTMENTS = [
    ("xd-minzheng", "区民政局", "区级部门", "社工", 14, 13),
    ("xd-jiaoyu", "区教育局", "区级部门", "教育", 20, 19),
    ("xd-jingxin", "区经信投促局", "区级部门", "科技", 10, 9),  # XD-2: exactly 90%
    ("xd-gongan", "区公安分局", "区级部门", "消防", 18, 15),  # XD-2: 15 < 16.2
    ("xd-sifa", "区司法局", "区级部门", "法律", 9, 9),
    ("xd-huanbao", "区环保局", "区级部门", "环保", 12, 12),  # staff 15 from 2017-09-01
    ("xd-jiaotong", "区交通运输局", "区级部门", "交通", 11, 10),
    ("xd-wenti", "区文体广新局", "区级部门", "文体", 13, 12),
    ("xd-weiji", "区卫计局", "区级部门", "医疗卫生", 16, 15),
    ("xd-caizheng", "区财政局", "区级部门", "财务", 8, 8),
    ("xd-hongshizi", "区红十字会", "区级部门", "慈善", 6, 6),
    ("xd-zuzhi", "区委组织部", "区级部门", None, 10, 10),
    # people's organisations (人民团体): XD-13 / XD-14 name them; XD-2–4 bind 区级各部门
    ("xd-tuanqu", "团区委", "人民团体", None, 7, 6),
    ("xd-fulian", "区妇联", "人民团体", None, 6, 5),
    ("xd-zonggong", "区总工会", "人民团体", None, 7, 5),
    ("xd-canlian", "区残联", "人民团体", None, 5, 4),
]
STAFF_CHANGES = {"xd-huanbao": (D(2017, 9, 1), 15)}  # XD-2: 12 of 15 = 80% at the year's end
# teams: id, name, type, parent, field, volunteers
TEAMS = [
    ("xd-guihu-team", "桂湖社区青年志愿服务队", "志愿服务组织", "xd-guihu", None, 8),
    ("xd-weiji-team", "区卫计局医疗卫生志愿服务队", "专业志愿服务队", "xd-weiji", "医疗卫生", 6),
]

events: list[dict] = []
counters: dict[tuple[str, str], int] = {}


def add(unit: str, kind: str, when: dt.date | dt.datetime, tag: str, **fields) -> dict:
    counters[(unit, tag)] = counters.get((unit, tag), 0) + 1
    ident = f"{unit}/{tag}{counters[(unit, tag)]}"
    event = {"id": ident, "unit": unit, "kind": kind, "at": when.isoformat(), **fields}
    events.append(event)
    return event


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def photos(n: int = 0, sizes: list[float] | None = None, fmt: str = "jpg") -> dict:
    sizes = sizes or [round(rng.uniform(1.1, 2.9), 1) for _ in range(n or rng.randint(2, 4))]
    return {"photo_mb": sizes, "photo_format": [fmt] * len(sizes)}


def random_day(first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


# ---------------------------------------------------------------- volunteers and hours

people: dict[str, list[tuple[str, bool]]] = {}  # unit → [(person, party member)]
serial = 0

# unit → (share of its volunteers with a 2017 service record, hours a record may carry)
PROFILES = {
    "xd-banzhuyuan": (0.55, [4, 6, 8, 10]),  # XD-3 and XD-4 missed over its area
    "xd-baihe": (0.55, [4, 6, 8, 10]),
    "xd-sanqiao": (0.55, [4, 6, 8, 10]),
    "xd-shima": (0.55, [4, 6, 8, 10]),
    "xd-jiaotong": (0.8, [6, 8, 10, 12]),  # XD-4 missed
    "xd-caizheng": (0.4, [12, 15, 20, 24]),  # XD-3 missed
}
DEFAULT_PROFILE = (0.9, [12, 15, 18, 20, 24])
# one volunteer of 大丰街道 registered twice, with the street and with 南丰社区
DOUBLE = ("xd-dafeng", "xd-nanfeng")


def register(unit: str, count: int, *, late: int = 0) -> None:
    """`count` volunteers registered with `unit` between 2014 and 2017 (15% party members), and
    `late` more registered in January 2018, too late for the year's figures."""
    global serial
    for index in range(count + late):
        serial += 1
        person = f"v{serial:04d}"
        party = rng.random() < 0.15
        if index >= count:
            day = random_day(D(2018, 1, 2), D(2018, 1, 9))
        else:
            day = random_day(D(2014, 3, 1), D(2017, 11, 30))
        fields: dict = {"person": person}
        if party:
            fields["party_member"] = True
        add(unit, "registration", at(day, 10, rng.randint(0, 59)), "reg", **fields)
        if index < count:
            people.setdefault(unit, []).append((person, party))


def serve(unit: str, others: list[str]) -> None:
    """2017 service records of `unit`'s volunteers: the first `share` of them serve, and every
    party member serves at least 25 hours; now and then a record is made by another unit (a
    department's team, a community's station), and now and then one falls in 2016 (it does not
    count for 2017)."""
    share, hours = PROFILES.get(unit, DEFAULT_PROFILE)
    volunteers = people.get(unit, [])
    serving = int(share * len(volunteers))
    for index, (person, party) in enumerate(volunteers):
        if party or index < serving:
            total, records = 0, rng.choice([1, 2, 2, 3])
            while records > 0 or (party and total < 25):
                recorder = rng.choice(others) if rng.random() < 0.15 else unit
                day = random_day(D(2017, 1, 4), D(2017, 12, 28))
                amount = rng.choice(hours)
                add(recorder, "service", at(day, 17, rng.randint(0, 59)), "svc",
                    person=person, hours=amount)
                total, records = total + amount, records - 1
        if rng.random() < 0.1:
            day = random_day(D(2016, 3, 1), D(2016, 12, 20))
            add(unit, "service", at(day, 17), "svc", person=person, hours=rng.choice(hours))


for street, _, _, own in STREETS:
    register(street, own, late=4 if street == "xd-dafeng" else 0)
for community, _, _, _, own in COMMUNITIES:
    register(community, own)
for team, _, _, _, _, own in TEAMS:
    register(team, own)
for department, *_, own in DEPARTMENTS:
    register(department, own)
double_person = people[DOUBLE[0]][0][0]
add(DOUBLE[1], "registration", at(D(2016, 4, 2), 10), "reg", person=double_person)

all_units = [u[0] for group in (STREETS, COMMUNITIES, TEAMS, DEPARTMENTS) for u in group]
for unit in all_units:
    serve(unit, ["xd-weiji-team", "xd-guihu-team", "xd-minzheng", "xd-jiaoyu"])

# XD-5 (advisory): two party members short of 25 hours, one of 区委组织部 (24 hours) and one of
# 桂湖社区 (10 hours): their records are replaced by these.
short = {next(p for p, party in people[u] if party): (u, h)
         for u, h in (("xd-zuzhi", 24), ("xd-guihu", 10))}
events[:] = [e for e in events if not (e["kind"] == "service" and e.get("person") in short)]
for person, (unit, hours) in short.items():
    add(unit, "service", at(D(2017, 10, 14), 17), "svc", person=person, hours=hours)

# ---------------------------------------------------------------- community activities

# The year of a community station (date, theme, festival): 2 or more activities a month from
# June, every theme of 附件2 工作要求3 covered, festivals marked on or around their day.
YEAR = [
    (D(2017, 1, 26), "关爱空巢老人", "春节"),
    (D(2017, 2, 18), "留守儿童", None),
    (D(2017, 3, 5), "志愿服务宣传", "学雷锋纪念日"),
    (D(2017, 4, 4), "文明祭扫", "清明节"),  # 文明祭扫 on 清明 (before the notice)
    (D(2017, 5, 20), "残疾人", "全国助残日"),  # 2017's 全国助残日: the third Sunday of May, 05-21
    (D(2017, 6, 17), "困难职工", None),
    (D(2017, 6, 24), "党员志愿服务", None),
    (D(2017, 7, 1), "党员志愿服务", "建党纪念日"),
    (D(2017, 7, 15), "留守儿童", None),
    (D(2017, 8, 5), "文明交通", None),
    (D(2017, 8, 19), "关爱空巢老人", None),
    (D(2017, 9, 9), "文明上网", None),
    (D(2017, 9, 16), "困难职工", None),
    (D(2017, 9, 30), "文明旅游", "国庆节"),  # a makeup working day: XD-15 due 2017-10-10
    (D(2017, 10, 14), "残疾人", None),
    (D(2017, 10, 28), "关爱空巢老人", "重阳节"),
    (D(2017, 11, 9), "志愿服务宣传", "全国消防宣传日"),
    (D(2017, 11, 25), "留守儿童", None),
    (D(2017, 12, 5), "志愿服务宣传", "国际志愿者日"),
    (D(2017, 12, 16), "困难职工", None),
]
# festival activities of 斑竹园镇's communities: only these keep their festival (XD-11)
BANZHUYUAN_FESTIVALS = {"建党纪念日", "国庆节", "国际志愿者日"}
# a community's party members, with those of its street (shared out) and of the volunteer team
party_of: dict[str, list[str]] = {c[0]: [] for c in COMMUNITIES}
for community, *_ in COMMUNITIES:
    party_of[community] += [p for p, party in people.get(community, []) if party]
party_of["xd-guihu"] += [p for p, party in people["xd-guihu-team"] if party]
for street, *_ in STREETS:
    mine = [c[0] for c in COMMUNITIES if c[2] == street]
    for index, (person, party) in enumerate(people[street]):
        if party:
            party_of[mine[index % len(mine)]].append(person)

# XD-12: party members who came to one activity only around 7月1日
MISSED_JULY_1 = {party_of["xd-nanfeng"][0], party_of["xd-baihe"][0]}

festival_reports: list[tuple[dict, str]] = []  # (activity, the unit that reports on it)


def community_activity(unit: str, day: dt.date, theme: str, festival: str | None, *,
                       persons: list[str] | None = None, brief: bool = True,
                       photo: bool = True, site: bool = True) -> dict:
    fields: dict = {"hours": rng.choice([1.5, 2, 2.5, 3]), "participants": rng.randint(8, 30),
                    "theme": theme}
    if festival:
        fields["festival"] = festival
    if site:
        fields["site"] = unit
    fields["led_by"] = "社区"
    if persons:
        fields["persons"] = persons
    fields.update(plan=True, record=True, brief=brief)
    if photo:
        fields["photo_mb"] = photos()["photo_mb"]
    event = add(unit, "activity", at(day, 9, 30), "act", **fields)
    if festival and day >= NOTICE:
        festival_reports.append((event, unit))
    return event


for community, _, street, _, _ in COMMUNITIES:
    for day, theme, festival in YEAR:
        if community == "xd-sanhe" and theme == "文明上网":
            theme = "关爱空巢老人"  # XD-9: no 文明上网 in the year
        if community == "xd-shima" and theme == "留守儿童" and day.month > 2:
            theme = "志愿服务宣传"  # XD-9: 留守儿童 once only
        if community == "xd-sanhe" and day == D(2017, 8, 19):
            continue  # XD-8: one activity in August
        if community == "xd-beijie" and day == D(2017, 9, 30):
            day = D(2017, 9, 29)  # XD-15: a Friday; due 2017-10-09, its report is late
        if street == "xd-banzhuyuan" and festival not in BANZHUYUAN_FESTIVALS:
            festival = None
        persons = None
        if theme == "党员志愿服务":
            persons = [p for p in party_of[community]
                       if not (p in MISSED_JULY_1 and day == D(2017, 7, 1))]
        community_activity(community, day, theme, festival, persons=persons,
                           brief=not (street == "xd-banzhuyuan" and rng.random() < 0.2),
                           photo=not (community == "xd-sanhe" and day == D(2017, 8, 5)))
    # a third activity in some months
    for month in (7, 10, 12):
        if rng.random() < 0.5:
            community_activity(community, D(2017, month, 22), rng.choice(
                ["关爱空巢老人", "困难职工", "志愿服务宣传", "植树环保"]), None)

# the team under 桂湖社区: its activities count for the community's themes (from area)
add("xd-guihu-team", "activity", at(D(2017, 5, 4), 14), "act", hours=2, participants=12,
    theme="文明上网", festival="青年节", site="xd-guihu")
add("xd-guihu-team", "activity", at(D(2017, 8, 12), 14), "act", hours=2, participants=12,
    theme="留守儿童", site="xd-guihu")

# ---------------------------------------------------------------- streets' own activities

STREET_FESTIVALS = {
    "xd-xindu": [
        (D(2017, 3, 12), "植树环保", "植树节"),
        (D(2017, 4, 23), "志愿服务宣传", "世界读书日"),
        (D(2017, 9, 3), "志愿服务宣传", "抗战胜利纪念日"),
        (D(2017, 10, 4), "关爱空巢老人", "中秋节"),
        (D(2017, 12, 4), "志愿服务宣传", "国家宪法日"),
    ],
    "xd-dafeng": [
        (D(2017, 5, 30), "关爱空巢老人", "端午节"),
        (D(2017, 9, 10), "志愿服务宣传", "教师节"),
        (D(2017, 12, 13), "志愿服务宣传", "国家公祭日"),
    ],
    # 中元节 is not one of the 25 (it counts for no XD-11 total, but XD-15 still asks for its
    # report); the 国庆节 activity of 10-20 is too far from 10-01
    "xd-banzhuyuan": [
        (D(2017, 9, 5), "文明祭扫", "中元节"),
        (D(2017, 10, 20), "文明旅游", "国庆节"),
    ],
}
for street, items in STREET_FESTIVALS.items():
    for day, theme, festival in items:
        event = add(street, "activity", at(day, 9), "act", hours=2, participants=40, theme=theme,
                    festival=festival, plan=True, record=True, brief=True,
                    photo_mb=photos()["photo_mb"])
        if day >= NOTICE:
            festival_reports.append((event, street))

# ---------------------------------------------------------------- departments' activities

COMMUNITY_IDS = [c[0] for c in COMMUNITIES]
FIELD_OF = {d[0]: d[3] for d in DEPARTMENTS if d[3]}
# XD-10: the professional teams that come into each community (by the department's field)
VISITS = {
    "xd-guihu": ["xd-jiaoyu", "xd-wenti", "xd-jingxin", "xd-weiji", "xd-sifa", "xd-gongan",
                 "xd-huanbao"],
    "xd-dongjie": ["xd-jiaoyu", "xd-wenti", "xd-weiji", "xd-sifa", "xd-gongan", "xd-jiaotong"],
    "xd-beijie": ["xd-wenti", "xd-weiji", "xd-sifa", "xd-minzheng", "xd-caizheng", "xd-jiaoyu",
                  "xd-weiji"],
    "xd-sanhe": ["xd-jiaoyu", "xd-weiji", "xd-gongan", "xd-huanbao", "xd-minzheng",
                 "xd-jiaotong"],
    "xd-nanfeng": ["xd-wenti", "xd-jingxin", "xd-weiji", "xd-sifa", "xd-caizheng", "xd-minzheng"],
    # 5 kinds and 区红十字会's 慈善, which is not one of the ten
    "xd-huayuan": ["xd-jiaoyu", "xd-weiji", "xd-sifa", "xd-gongan", "xd-huanbao", "xd-hongshizi"],
    "xd-baihe": ["xd-jiaoyu", "xd-wenti", "xd-weiji", "xd-sifa", "xd-gongan", "xd-huanbao"],
    "xd-sanqiao": ["xd-jiaoyu", "xd-weiji", "xd-jiaotong", "xd-gongan", "xd-minzheng",
                   "xd-jingxin"],
    "xd-shima": ["xd-weiji", "xd-weiji", "xd-jiaoyu", "xd-sifa", "xd-wenti"],  # 4 kinds
}
for community, visitors in VISITS.items():
    for department in visitors:
        recorder = department
        if department == "xd-weiji" and rng.random() < 0.5:
            recorder = "xd-weiji-team"  # the department's professional team records it
        day = random_day(YEAR_START, D(2017, 12, 20))
        add(recorder, "activity", at(day, 14), "act", hours=rng.choice([2, 3]),
            participants=rng.randint(4, 10), theme="志愿服务宣传", site=community,
            team_field=FIELD_OF[department])
# 区公安分局's 119 day in 桂湖社区: a festival activity of a department (XD-15 applies too)
fire = add("xd-gongan", "activity", at(D(2017, 11, 9), 10), "act", hours=3, participants=10,
           theme="志愿服务宣传", festival="全国消防宣传日", site="xd-guihu", team_field="消防")
festival_reports.append((fire, "xd-gongan"))

# XD-12: the departments' party members come into a community twice around 7月1日 (06-30 with
# their department, 07-08 with 党员进社区 of 区委组织部); one member of 区教育局 came once only.
def party_members(department: str) -> list[str]:
    """A department's party members, with those of its professional team."""
    teams = [t[0] for t in TEAMS if t[3] == department]
    return [p for u in (department, *teams) for p, party in people.get(u, []) if party]


dept_party = [p for d in DEPARTMENTS for p in party_members(d[0])]
only_once = next(p for p, party in people["xd-jiaoyu"] if party)
for index, department in enumerate(d[0] for d in DEPARTMENTS):
    members = party_members(department)
    if members:
        add(department, "activity", at(D(2017, 6, 30), 15), "act", hours=2,
            participants=len(members) + 3, theme="党员志愿服务",
            site=COMMUNITY_IDS[index % len(COMMUNITY_IDS)], persons=members)
add("xd-zuzhi", "activity", at(D(2017, 7, 8), 9), "act", hours=3, participants=len(dept_party),
    theme="党员志愿服务", site="xd-dongjie", persons=[p for p in dept_party if p != only_once])
# a party members' activity with no site (a meeting room, not a community): counts for no one
add("xd-zuzhi", "activity", at(D(2017, 7, 12), 9), "act", hours=1, participants=8,
    theme="党员志愿服务", persons=[only_once])

# ---------------------------------------------------------------- trainings

QUARTER_DAYS = {2: D(2017, 6, 23), 3: D(2017, 8, 18), 4: D(2017, 11, 17)}
for street, *_ in STREETS:
    for quarter, day in QUARTER_DAYS.items():
        if street == "xd-dafeng" and quarter == 3:
            continue  # XD-6: a quarter with no training
        if street == "xd-banzhuyuan" and quarter == 2:
            day = D(2017, 6, 8)  # before the notice: Q2 (from 06-12) has none
        add(street, "training", at(day, 14), "trn", hours=3)
    add(street, "training", at(D(2017, 3, 10), 14), "trn", hours=3)  # before the notice
for community, _, street, _, _ in COMMUNITIES:
    for quarter, day in QUARTER_DAYS.items():
        if street == "xd-xindu" and quarter == 3 and community != "xd-guihu":
            continue  # joint training, below
        if community == "xd-sanqiao" and quarter == 4:
            continue  # XD-6: none in Q4
        add(community, "training", at(day + dt.timedelta(days=1), 9), "trn", hours=2)
add("xd-guihu", "training", at(D(2017, 9, 2), 9), "trn", hours=2,
    joint_units=["xd-dongjie", "xd-beijie"])  # 可几个社区联合开展培训: counts for all three
for department, _, kind, field, *_ in DEPARTMENTS:
    if kind != "区级部门" or field is None:
        continue
    for quarter, day in QUARTER_DAYS.items():
        if department == "xd-caizheng" and quarter == 4:
            continue  # XD-7: none in Q4
        trained = field
        if department == "xd-gongan" and quarter == 3:
            trained = "交通"  # XD-7: 区公安分局 is checked for 消防; a 交通 training does not count
        add(department, "training", at(day + dt.timedelta(days=3), 14), "trn", hours=3,
            field=trained)

# ---------------------------------------------------------------- reports

# XD-13: the four 规范文件, due 2017-06-25
add("xd-minzheng", "report", at(D(2017, 6, 20), 10), "rpt", form="规范文件")
add("xd-tuanqu", "report", at(D(2017, 6, 28), 10), "rpt", form="规范文件")  # late
add("xd-canlian", "report", at(D(2017, 6, 25), 21, 30), "rpt", form="规范文件")  # that evening
# 区总工会 sends none

# XD-14: the quarterly 说明报告 with photos (JPG/JPEG, 1–3 MB each), due on the 25th of the
# quarter's last month
REPORTERS = [s[0] for s in STREETS] + [
    "xd-zuzhi", "xd-tuanqu", "xd-fulian", "xd-jiaoyu", "xd-wenti", "xd-weiji", "xd-sifa",
    "xd-gongan", "xd-huanbao", "xd-jingxin", "xd-minzheng", "xd-caizheng",
]
ON_TIME = {2: D(2017, 6, 22), 3: D(2017, 9, 22), 4: D(2017, 12, 22)}
for unit in REPORTERS:
    for quarter, day in ON_TIME.items():
        fields = photos()
        if unit == "xd-dafeng" and quarter == 3:
            day = D(2017, 9, 27)  # late
        if unit == "xd-tuanqu" and quarter == 2:
            day = D(2017, 7, 3)  # late (the notice went online on 06-26) …
        if unit == "xd-tuanqu" and quarter == 3:
            continue  # … and no Q3 report: see README.md
        if unit == "xd-fulian" and quarter == 4:
            fields = photos(sizes=[0.8, 1.6])  # a 0.8 MB photo: the report does not count
        if unit == "xd-sifa" and quarter == 2:
            add(unit, "report", at(D(2017, 6, 21), 11), "rpt", form="说明报告",
                **photos(fmt="png"))  # PNG: does not count …
            day = D(2017, 6, 28)  # … sent again as JPEG, late
        add(unit, "report", at(day, 11, rng.randint(0, 59)), "rpt", form="说明报告",
            period=f"2017Q{quarter}", **fields)

# XD-15: after each festival activity (from the notice on), its materials within 2 working days
for activity, unit in festival_reports:
    day = D.fromisoformat(activity["at"][:10])
    sent = working_days_after(day, 1)
    fields = photos()
    reporter = unit
    if activity["unit"] == "xd-dongjie" and activity.get("festival") == "国庆节":
        sent = working_days_after(day, 2)  # 2017-10-10, the last day
    if activity["unit"] == "xd-beijie" and activity.get("festival") == "国庆节":
        sent = D(2017, 10, 10)  # the activity was on 09-29: due 10-09, late
    if activity["unit"] == "xd-sanhe" and activity.get("festival") == "国庆节":
        fields = photos(sizes=[0.8, 0.8])  # photos too small: not counted, overdue
    if activity["unit"] == "xd-nanfeng" and activity.get("festival") == "重阳节":
        reporter = "xd-dafeng"  # the street sends its community's materials
    if activity["unit"] == "xd-huayuan" and activity.get("festival") == "国际志愿者日":
        continue  # never sent
    add(reporter, "report", at(sent, 16, rng.randint(0, 59)), "rpt", form="活动总结",
        ref=activity["id"], **fields)

# ---------------------------------------------------------------- stations

for community, *_ in COMMUNITIES:
    if community == "xd-huayuan":
        add(community, "station", at(D(2018, 1, 5), 10), "stn", status="operating")  # too late
        continue
    add(community, "station", at(random_day(D(2015, 3, 1), D(2017, 5, 31)), 10), "stn",
        status="operating")
    if community == "xd-sanqiao":
        add(community, "station", at(D(2017, 11, 15), 10), "stn", status="closed")


# ---------------------------------------------------------------- write


def unit_rows() -> list[dict]:
    rows: list[dict] = []
    for ident, name, population, _ in STREETS:
        rows.append({"unit": ident, "name": name, "type": "镇街", "population": population})
    for ident, name, street, population, _ in COMMUNITIES:
        kind = "社区"
        rows.append({"unit": ident, "name": name, "type": kind, "population": population,
                     "parent": street})
    for ident, name, kind, field, staff, _ in DEPARTMENTS:
        row = {"unit": ident, "name": name, "type": kind, "staff": staff}
        if field:
            row["field"] = field
        rows.append(row)
        if ident in STAFF_CHANGES:
            since, value = STAFF_CHANGES[ident]
            rows.append({**row, "staff": value, "valid_from": since.isoformat()})
    for ident, name, kind, parent, field, _ in TEAMS:
        row = {"unit": ident, "name": name, "type": kind, "parent": parent}
        if field:
            row["field"] = field
        rows.append(row)
    return rows


def write(name: str, rows: list[dict]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write("units.jsonl", unit_rows())
    write("events.jsonl", sorted(events, key=lambda e: (e["at"], e["id"])))
