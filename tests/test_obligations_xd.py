"""Hand-worked statuses for policies/xindu-2017.pol (XD-1 … XD-18).

Each test feeds a few events and units, written out below, to the public API
(`policyrules.load`, `policyrules.evaluate`) and asserts the exact status of each
result it expects, with the reason in a comment. Results are picked by obligation name and by
the id in `refs`. The statuses follow shared/spec/contract.md with T = as_of and D = due;
the policy runs 2017-06-12 .. 2017-12-31 and warns 7 days ahead. A date as as_of means the
end of that day. Most tests evaluate at 2018-01-10, when every 2017 instance is past due.

Readings of the policy the tests rely on: a 镇街's and a community's figures are read `from
area` (the unit and every unit under it by `parent`); service hours, team visits and party
members' activities `from all units`; the yearly figures count the whole of 2017 (`partial
periods whole`), the quarterly and monthly ones only events from 2017-06-12 (`count`).

The last tests check examples/xindu-2017: that generate.py reproduces its data and that the
data still evaluates to the statuses of the golden report.json.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.evaluation import evaluate
from policyrules.report.model import Result

ROOT = Path(__file__).resolve().parent.parent
POLICY = policyrules.load(ROOT / "policies" / "xindu-2017.pol")

D = dt.date
T = dt.datetime
ZONE = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai, for comparing `due`
YEAR_END = D(2018, 1, 10)  # every instance of the 2017 arrangement is past due


def run(
    events: list[dict[str, Any]],
    units: list[dict[str, Any]],
    as_of: dt.date | dt.datetime,
    obligation: str,
    ref: str,
) -> list[Result]:
    """The results of one obligation (by name, carrying `ref`); no input may be rejected."""
    report = evaluate(POLICY, events, units, as_of=as_of)
    assert report.rejected == []
    found = [r for r in report.results if r.obligation == obligation]
    assert all(ref in r.refs for r in found), (obligation, ref)
    return found


def one(
    results: list[Result], label: str | None = None, unit: str | None = None,
    person: str | None = None,
) -> Result:
    """The one result for `label` (a period label or a triggering event's id), `unit` and
    `person`."""
    found = [
        r
        for r in results
        if (label is None or r.period.label == label)
        and (unit is None or r.unit == unit)
        and (person is None or r.person == person)
    ]
    assert len(found) == 1, [(r.unit, r.person, r.period.label, r.status) for r in results]
    return found[0]


def statuses(results: list[Result]) -> dict[str, str]:
    """Status by unit (one result per unit expected)."""
    out = {r.unit: r.status for r in results}
    assert len(out) == len(results)
    return out


def street(unit: str, population: int = 100) -> dict[str, Any]:
    return {"unit": unit, "name": unit, "type": "镇街", "population": population}


def community(unit: str, parent: str = "s", population: int = 50) -> dict[str, Any]:
    return {"unit": unit, "name": unit, "type": "社区", "parent": parent,
            "population": population}


def department(
    unit: str, name: str = "区某局", staff: int = 10, field: str | None = None
) -> dict[str, Any]:
    row = {"unit": unit, "name": name, "type": "区级部门", "staff": staff}
    if field:
        row["field"] = field
    return row


def reg(ident: str, unit: str, person: str, at: str = "2016-03-01", **more: Any) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "registration", "at": at, "person": person,
            **more}


def service(ident: str, unit: str, person: str, hours: float, at: str) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "service", "at": at, "person": person,
            "hours": hours}


def act(ident: str, unit: str, at: str, **more: Any) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "activity", "at": at, **more}


def report(ident: str, unit: str, at: str, form: str, **more: Any) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "report", "at": at, "form": form, **more}


def jpg(*sizes: float, fmt: str = "jpg") -> dict[str, Any]:
    return {"photo_mb": list(sizes), "photo_format": [fmt] * len(sizes)}


# ----------------------------------------------------------------------------- XD-1


def xd1_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    units = [
        street("s", 100),  # 13% of 100 = 13
        community("c", "s", 50),  # 13% of 50 = 6.5 → 7 people
        {"unit": "team", "name": "team", "type": "志愿服务组织", "parent": "c"},
        department("d"),
    ]
    events = [reg(f"rs{n}", "s", f"s{n}", f"201{n % 4 + 4}-05-01") for n in range(7)]
    events += [reg(f"rc{n}", "c", f"c{n}") for n in range(5)]
    events += [
        reg("rt", "team", "t0"),  # under the community, so in both areas
        reg("again", "s", "c0"),  # c0 also registered with the street: one person
        reg("rd", "d", "d0"),  # a department is not in the street's area
        reg("late", "s", "s9", "2018-01-05"),  # after the year's end: does not count
    ]
    return events, units


def test_xd1_registered_share_of_the_population_by_area() -> None:
    events, units = xd1_data()
    found = run(events, units, YEAR_END, "注册率_镇街社区", "XD-1")
    assert {r.unit for r in found} == {"s", "c"}  # 镇街 and 社区 only
    s = one(found, unit="s")
    # 7 of the street + 5 of the community + 1 of the team, c0 once: 13 ≥ 13% of 100
    assert (s.status, s.required, s.actual) == ("met", 13, 13)
    assert s.period.label == "2017-06-12..2017-12-31"
    c = one(found, unit="c")
    # 5 + the team's 1 = 6 < 6.5 (13% of 50): checked at the end of 2017, no late credit
    assert (c.status, c.required, c.actual) == ("overdue", 6.5, 6)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2017, 9, 1), "pending"), (D(2017, 12, 28), "at_risk")],  # due 2017-12-31 23:59:59
)
def test_xd1_before_the_year_end(as_of: dt.date, status: str) -> None:
    events, units = xd1_data()
    assert one(run(events, units, as_of, "注册率_镇街社区", "XD-1"), unit="c").status == status


# ----------------------------------------------------------------------------- XD-2


def test_xd2_departments_ninety_percent_of_staff() -> None:
    units = [
        department("full", staff=20),  # 90% of 20 = 18
        department("grew", staff=12),
        {**department("grew", staff=15), "valid_from": "2017-09-01"},  # 90% of 15 = 13.5
        {"unit": "team", "name": "team", "type": "专业志愿服务队", "parent": "grew"},
        street("s"),
    ]
    events = [reg(f"f{n}", "full", f"f{n}") for n in range(18)]
    events += [reg(f"g{n}", "grew", f"g{n}") for n in range(12)]
    events += [reg(f"t{n}", "team", f"t{n}") for n in range(3)]  # the team's, not its staff
    found = run(events, units, YEAR_END, "注册率_区级部门", "XD-2")
    assert statuses(found) == {"full": "met", "grew": "overdue"}  # no result for the street
    assert (one(found, unit="full").required, one(found, unit="full").actual) == (18, 18)
    grew = one(found, unit="grew")
    # staff on the last day (15): 12 registered were 100% of 12 in June, 80% of 15 now
    assert (grew.required, grew.actual) == (13.5, 12)


# ----------------------------------------------------------------------------- XD-3


def test_xd3_share_with_a_service_record() -> None:
    units = [street("s"), community("c"), department("d"), department("d2")]
    events = [reg(f"r{n}", "s" if n < 5 else "c", f"v{n}") for n in range(10)]
    events += [
        service("s0", "s", "v0", 3, "2017-01-15"),  # before the notice: the whole year counts
        service("s1", "c", "v1", 3, "2017-07-01"),
        service("s2", "d", "v2", 3, "2017-08-01"),  # recorded by a department: all units
        service("s3", "c", "v3", 3, "2017-09-01"),
        service("s4", "c", "v4", 3, "2017-10-01"),
        service("s5", "s", "v5", 3, "2017-11-01"),
        service("s6", "s", "v6", 3, "2017-12-01"),
        service("s7", "s", "v7", 3, "2016-12-01"),  # 2016: not a record of 2017
        service("sx", "s", "nobody", 3, "2017-12-01"),  # not a registered volunteer
        # the department: 3 of 4 served (75% ≥ 70%); the other department 2 of 4 (50%)
        *(reg(f"rd{n}", "d", f"w{n}") for n in range(4)),
        *(service(f"sd{n}", "s", f"w{n}", 2, "2017-06-20") for n in range(3)),
        *(reg(f"re{n}", "d2", f"x{n}") for n in range(4)),
        *(service(f"se{n}", "d2", f"x{n}", 2, "2017-06-20") for n in range(2)),
    ]
    street_result = one(run(events, units, YEAR_END, "有记录志愿者比例_镇街", "XD-3"))
    # v0 … v6 of the 10 in the area served in 2017: 7 ≥ 70% of 10 = 7
    assert (street_result.status, street_result.required, street_result.actual) == ("met", 7, 7)
    assert street_result.period.label == "2017" and street_result.period.start == D(2017, 1, 1)
    found = run(events, units, YEAR_END, "有记录志愿者比例_区级部门", "XD-3")
    assert statuses(found) == {"d": "met", "d2": "overdue"}
    assert (one(found, unit="d2").required, one(found, unit="d2").actual) == (2.8, 2)
    # without v6's record the street has 6 of 10
    fewer = [e for e in events if e["id"] != "s6"]
    assert one(run(fewer, units, YEAR_END, "有记录志愿者比例_镇街", "XD-3")).status == "overdue"


# ----------------------------------------------------------------------------- XD-4


def test_xd4_mean_hours_per_registered_volunteer() -> None:
    units = [street("s"), community("c"), department("d")]
    events = [
        reg("r1", "s", "v1"), reg("r2", "c", "v2"), reg("r3", "c", "v3"), reg("r4", "s", "v4"),
        service("h1", "s", "v1", 20, "2017-03-01"),
        service("h2", "d", "v1", 10, "2017-08-01"),  # recorded by a department: counts
        service("h3", "c", "v2", 30, "2017-10-01"),
        service("h4", "c", "v3", 40, "2017-12-30"),
        service("h5", "s", "v4", 50, "2016-12-30"),  # 2016: v4 has 0 hours in 2017
        # the department: 30 + 30 + 39 + 0 = 99 over 4 = 24.75
        reg("d1", "d", "w1"), reg("d2", "d", "w2"), reg("d3", "d", "w3"), reg("d4", "d", "w4"),
        service("g1", "d", "w1", 30, "2017-05-01"),
        service("g2", "d", "w2", 30, "2017-07-01"),
        service("g3", "c", "w3", 39, "2017-09-01"),
    ]
    s = one(run(events, units, YEAR_END, "人均时长_镇街", "XD-4"))
    # (30 + 30 + 40 + 0) / 4 = 25: those without hours count as 0
    assert (s.status, s.required, s.actual) == ("met", 25, 25)
    d = one(run(events, units, YEAR_END, "人均时长_区级部门", "XD-4"))
    assert (d.status, d.required, d.actual) == ("overdue", 25, 24.75)


# ----------------------------------------------------------------------------- XD-5


def test_xd5_party_members_25_hours_advisory() -> None:
    units = [community("c"), department("d")]
    events = [
        reg("r1", "c", "p1", party_member=True),
        reg("r2", "c", "p2", party_member=True),
        reg("r3", "c", "n1"),  # not a party member: no result
        service("h1", "c", "p1", 15, "2017-03-01"),  # before the notice: the whole year
        service("h2", "d", "p1", 10, "2017-09-01"),  # served with a department: counts
        service("h3", "c", "p2", 24, "2017-11-01"),
        service("h4", "c", "n1", 1, "2017-11-01"),
    ]
    found = run(events, units, YEAR_END, "党员志愿者时长", "XD-5")
    assert sorted((r.unit, r.person, r.status) for r in found) == [
        ("c", "p1", "met"),  # 15 + 10 = 25
        ("c", "p2", "overdue"),  # 24 < 25
    ]
    assert (one(found, person="p2").required, one(found, person="p2").actual) == (25, 24)
    assert {r.severity for r in found} == {"advisory"}  # 建议: never a must overdue


# ----------------------------------------------------------------------------- XD-6


def training(ident: str, unit: str, at: str, **more: Any) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "training", "at": at, "hours": 2, **more}


def test_xd6_a_training_a_quarter_for_streets_and_communities() -> None:
    units = [street("s"), community("c1"), community("c2"), community("c3")]
    events = [
        training("t0", "s", "2017-06-08T14:00"),  # before the arrangement (06-12)
        # Q3: none of the street's own (the communities' do not count for it)
        training("t4", "s", "2017-11-17T14:00"),
        # 可几个社区联合开展培训: c1's joint training counts for c1 and c2, not c3
        training("j", "c1", "2017-09-02T09:00", joint_units=["c2"]),
    ]
    found = run(events, units, YEAR_END, "镇街培训", "XD-6")
    assert {r.period.label: r.status for r in found} == {
        "2017Q2": "overdue",  # Q2 counts from 06-12 only: the 06-08 training is before
        "2017Q3": "overdue",  # a quarter with no training
        "2017Q4": "met",
    }
    q2 = one(found, "2017Q2")
    assert (q2.period.start, q2.required, q2.actual) == (D(2017, 6, 12), 1, 0)
    q3 = run(events, units, YEAR_END, "社区培训", "XD-6")
    assert {r.unit: r.status for r in q3 if r.period.label == "2017Q3"} == {
        "c1": "met", "c2": "met", "c3": "overdue",
    }
    assert one(q3, "2017Q3", "c2").evidence == ["j"]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2017, 11, 1), "pending"), (D(2017, 12, 26), "at_risk")],  # Q4 due 12-31
)
def test_xd6_time_based(as_of: dt.date, status: str) -> None:
    found = run([], [street("s")], as_of, "镇街培训", "XD-6")
    assert one(found, "2017Q4").status == status


# ----------------------------------------------------------------------------- XD-7


def test_xd7_professional_training_in_the_departments_field() -> None:
    units = [
        department("police", "区公安分局", 18, "消防"),
        department("union", "区总工会", 7),  # no field: not one of 附件4's departments
        department("culture", "区某局", 7, "文化"),  # 文化 is not a training field
    ]
    events = [
        training("q2", "police", "2017-06-20T14:00", field="消防"),
        training("q3", "police", "2017-08-21T14:00", field="交通"),  # checked for 消防 only
        training("q4", "police", "2017-11-20T14:00", field="消防"),
        training("u", "union", "2017-08-21T14:00", field="社工"),
    ]
    found = run(events, units, YEAR_END, "专业培训", "XD-7")
    assert {(r.unit, r.period.label): r.status for r in found} == {
        ("police", "2017Q2"): "met",
        ("police", "2017Q3"): "overdue",
        ("police", "2017Q4"): "met",
    }


# ----------------------------------------------------------------------------- XD-8


def test_xd8_two_activities_a_month_at_the_station() -> None:
    units = [community("c"), {"unit": "team", "name": "team", "type": "志愿服务组织",
                              "parent": "c"}]
    events = [
        act("a0", "c", "2017-06-05T09:00"),  # before 06-12: June counts from 06-12
        act("a1", "c", "2017-06-15T09:00"),
        act("a2", "c", "2017-06-20T09:00"),
        act("a3", "c", "2017-07-08T09:00"),
        act("a4", "team", "2017-07-22T09:00"),  # the team's, not the station's own
    ]
    found = run(events, units, YEAR_END, "社区站每月活动", "XD-8")
    june, july = one(found, "2017-06"), one(found, "2017-07")
    assert (june.status, june.actual, june.evidence) == ("met", 2, ["a1", "a2"])
    assert (july.status, july.required, july.actual) == ("overdue", 2, 1)
    assert len(found) == 7  # June … December
    # on 12-27, December (due 12-31) has no activity yet: at risk
    assert one(run(events, units, D(2017, 12, 27), "社区站每月活动", "XD-8"), "2017-12").status == (
        "at_risk"
    )


# ----------------------------------------------------------------------------- XD-9

CORE = ["关爱空巢老人", "留守儿童", "困难职工", "残疾人", "党员志愿服务"]
CIVILITY = ["文明旅游", "文明交通", "文明上网"]


def test_xd9_theme_coverage_over_the_year() -> None:
    units = [
        community("full"), community("no_web"), community("once"), department("d"),
        {"unit": "team", "name": "team", "type": "志愿服务组织", "parent": "full"},
    ]
    events = []
    for unit in ("full", "no_web", "once"):
        themes = CORE * 2 + CIVILITY
        if unit == "no_web":
            themes.remove("文明上网")
        if unit == "once":
            themes.remove("留守儿童")
        for n, theme in enumerate(themes):
            owner = "team" if unit == "full" and n == 0 else unit  # the team: from area
            events.append(act(f"{unit}{n}", owner, f"2017-{n % 12 + 1:02d}-10T09:00",
                              theme=theme))
    # a department's activity held in `no_web` does not count for it (not its area)
    events.append(act("dept", "d", "2017-10-10T09:00", theme="文明上网", site="no_web"))
    found = run(events, units, YEAR_END, "主题全覆盖", "XD-9")
    assert statuses(found) == {"full": "met", "no_web": "overdue", "once": "overdue"}
    # January's activities count: the year is whole (全年)
    assert "full0" in one(found, unit="full").evidence
    no_web = one(found, unit="no_web")
    assert (no_web.required, no_web.actual) == (1, 0)  # 文明上网 ≥ 1: none
    once = one(found, unit="once")
    assert (once.required, once.actual) == (2, 1)  # 留守儿童 ≥ 2: one


# ----------------------------------------------------------------------------- XD-10


def visit(ident: str, unit: str, site: str, team_field: str, at: str) -> dict[str, Any]:
    return act(ident, unit, at, site=site, team_field=team_field)


def test_xd10_six_kinds_of_professional_team_come_in() -> None:
    units = [community("six"), community("five"), department("d")]
    fields = ["教育", "文体", "科技", "医疗卫生", "法律", "消防"]
    events = [visit(f"v{n}", "d", "six", f, f"2017-{n + 2:02d}-15T14:00")
              for n, f in enumerate(fields)]  # February on: the whole year counts
    events += [visit(f"w{n}", "d", "five", f, "2017-09-15T14:00")
               for n, f in enumerate(fields[:5])]
    events += [
        visit("dup", "five", "five", "医疗卫生", "2017-10-15T14:00"),  # a kind again
        visit("charity", "d", "five", "慈善", "2017-10-16T14:00"),  # not one of the ten
        visit("elsewhere", "d", "six", "消防", "2017-10-17T14:00"),  # in `six`, not `five`
    ]
    found = run(events, units, YEAR_END, "专业队伍进社区", "XD-10")
    assert statuses(found) == {"six": "met", "five": "overdue"}
    assert (one(found, unit="six").required, one(found, unit="six").actual) == (6, 6)
    assert (one(found, unit="five").required, one(found, unit="five").actual) == (6, 5)


# ----------------------------------------------------------------------------- XD-11

# (date, festival): 2017's dates are 春节 01-28, 清明节 04-04, 全国助残日 05-21 (the third
# Sunday of May), 端午节 05-30, 中秋节 10-04, 重阳节 10-28
COUNTING = [
    ("2017-01-26", "春节"),  # 2 days before
    ("2017-03-05", "学雷锋纪念日"),
    ("2017-04-04", "清明节"),  # 文明祭扫, before the arrangement: the whole year counts
    ("2017-05-20", "全国助残日"),
    ("2017-05-30", "端午节"),
    ("2017-06-30", "建党纪念日"),
    ("2017-09-30", "国庆节"),  # a makeup working day, 1 day before
    ("2017-10-04", "中秋节"),
    ("2017-10-28", "重阳节"),
    ("2017-12-05", "国际志愿者日"),
]


def test_xd11_ten_festival_activities_in_the_area() -> None:
    units = [street("ten"), street("nine"), community("c", "ten"), department("d")]
    events = [
        act(f"t{n}", "c" if n % 2 else "ten", f"{day}T09:00", festival=festival,
            theme="文明祭扫" if festival == "清明节" else "志愿服务宣传")
        for n, (day, festival) in enumerate(COUNTING)
    ]
    events += [act(f"n{n}", "nine", f"{day}T09:00", festival=festival)
               for n, (day, festival) in enumerate(COUNTING[:9])]
    events += [
        act("ghost", "nine", "2017-09-05T09:00", festival="中元节", theme="文明祭扫"),  # not of 25
        act("far", "nine", "2017-10-20T09:00", festival="国庆节"),  # 19 days after 10-01
        act("none", "nine", "2017-10-01T09:00"),  # on 国庆节, but names no festival
        act("dept", "d", "2017-09-10T09:00", festival="教师节"),  # a department's
    ]
    found = run(events, units, YEAR_END, "节庆日活动", "XD-11")
    assert statuses(found) == {"ten": "met", "nine": "overdue"}
    ten = one(found, unit="ten")
    assert (ten.required, ten.actual) == (10, 10)  # 5 of the street, 5 of its community
    nine = one(found, unit="nine")
    assert (nine.required, nine.actual) == (10, 9)
    assert not {"ghost", "far", "none"} & set(nine.evidence)


# ----------------------------------------------------------------------------- XD-12


def xd12_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    units = [community("c"), department("d")]
    events = [
        reg("r1", "c", "p1", party_member=True),
        reg("r2", "c", "p2", party_member=True),
        reg("r3", "c", "p3", party_member=True),
        reg("r4", "d", "p4", party_member=True),
        reg("r5", "c", "n1"),  # not a party member
        reg("r6", "c", "p5", "2017-07-20", party_member=True),  # joined after the window
        act("a1", "c", "2017-06-20T09:00", site="c", persons=["p1", "p2", "p3"]),
        act("a2", "d", "2017-07-05T09:00", site="c", persons=["p1", "p4"]),  # a department's
        act("a3", "c", "2017-07-20T09:00", site="c", persons=["p3", "p5"]),  # after 07-16
        act("a4", "d", "2017-07-10T09:00", persons=["p4"]),  # no site: not in a community
        act("a5", "c", "2017-06-10T09:00", site="c", persons=["p2"]),  # before 06-16
    ]
    return events, units


def test_xd12_party_members_twice_around_july_1() -> None:
    events, units = xd12_data()
    found = run(events, units, YEAR_END, "党员进社区", "XD-12")
    # "7月1日前后" read as ± 15 days: 06-16 … 07-16
    assert {(r.period.start, r.period.end, r.period.label) for r in found} == {
        (D(2017, 6, 16), D(2017, 7, 16), "2017-07-01")
    }
    assert sorted((r.unit, r.person, r.status, r.actual) for r in found) == [
        ("c", "p1", "met", 2),  # a1 and a2 (a department's activity in the community)
        ("c", "p2", "overdue", 1),  # one activity around 7月1日 (a5 is before the window)
        ("c", "p3", "overdue", 1),  # a3 is after the window
        ("d", "p4", "overdue", 1),  # a4 has no site
    ]  # n1 is no party member; p5 registered after the window
    assert one(found, person="p1").evidence == ["a1", "a2"]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2017, 6, 20), "pending"), (D(2017, 7, 10), "at_risk")],  # due 07-16 23:59:59
)
def test_xd12_time_based(as_of: dt.date, status: str) -> None:
    events, units = xd12_data()
    assert one(run(events, units, as_of, "党员进社区", "XD-12"), person="p2").status == status


# ----------------------------------------------------------------------------- XD-13


def test_xd13_normative_documents_by_june_25() -> None:
    units = [
        department("mz", "区民政局"), department("tq", "团区委"), department("zg", "区总工会"),
        department("cl", "区残联"), department("jy", "区教育局"),
    ]
    events = [
        report("r1", "mz", "2017-06-20T10:00", "规范文件"),
        report("r2", "tq", "2017-06-26T10:00", "规范文件"),
        report("r3", "zg", "2017-06-20T10:00", "说明报告"),  # another form
        # 15:30 UTC is 23:30 in Shanghai: still 06-25, the end of the day counts
        report("r4", "cl", "2017-06-25T15:30:00+00:00", "规范文件"),
        report("r5", "jy", "2017-06-20T10:00", "规范文件"),  # not one of the four
    ]
    found = run(events, units, YEAR_END, "规范文件", "XD-13")
    assert statuses(found) == {"mz": "met", "tq": "late", "zg": "overdue", "cl": "met"}
    assert one(found, unit="tq").due == T(2017, 6, 25, 23, 59, 59, tzinfo=ZONE)
    # an hour later it is 06-26 00:30 in Shanghai: late
    later = [report("r4", "cl", "2017-06-25T16:30:00+00:00", "规范文件")]
    assert one(run(later, units, YEAR_END, "规范文件", "XD-13"), unit="cl").status == "late"


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(T(2017, 6, 12, 9, 0), "pending"), (D(2017, 6, 20), "at_risk")],  # due 06-25 23:59:59
)
def test_xd13_time_based(as_of: dt.date, status: str) -> None:
    found = run([], [department("zg", "区总工会")], as_of, "规范文件", "XD-13")
    assert one(found).status == status


# ----------------------------------------------------------------------------- XD-14


def test_xd14_quarterly_reports_by_the_25th() -> None:
    units = [street("s"), department("fl", "区妇联"), department("zg", "区总工会")]
    events = [
        # a report answers the quarter its `period` names
        report("q2", "s", "2017-06-25T17:00", "说明报告", period="2017Q2", **jpg(1.5, 2.0)),
        # 0.8 MB: not counted
        report("q3a", "s", "2017-09-20T10:00", "说明报告", period="2017Q3", **jpg(0.8)),
        # late
        report("q3b", "s", "2017-09-27T10:00", "说明报告", period="2017Q3",
               **jpg(1.2, fmt="JPEG")),
        # Q4: nothing
        # before 06-12
        report("early", "fl", "2017-06-10T10:00", "说明报告", period="2017Q2", **jpg(1.5)),
        report("png", "fl", "2017-09-22T10:00", "说明报告", period="2017Q3",
               **jpg(1.5, fmt="png")),
        # not a listed unit
        report("zg", "zg", "2017-06-20T10:00", "说明报告", period="2017Q2", **jpg(1.5)),
    ]
    found = run(events, units, YEAR_END, "说明报告", "XD-14")
    assert {(r.unit, r.period.label): r.status for r in found} == {
        ("s", "2017Q2"): "met",
        ("s", "2017Q3"): "late",
        ("s", "2017Q4"): "overdue",
        ("fl", "2017Q2"): "overdue",  # the cut Q2 counts from 06-12
        ("fl", "2017Q3"): "overdue",  # PNG photos: the report does not count
        ("fl", "2017Q4"): "overdue",
    }
    q3 = one(found, "2017Q3", "s")
    assert q3.due == T(2017, 9, 25, 23, 59, 59, tzinfo=ZONE)
    assert q3.evidence == ["q3b"]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2017, 11, 1), "pending"), (D(2017, 12, 20), "at_risk")],  # Q4 due 12-25
)
def test_xd14_time_based(as_of: dt.date, status: str) -> None:
    assert one(run([], [street("s")], as_of, "说明报告", "XD-14"), "2017Q4").status == status


def test_xd14_a_report_answers_the_quarter_it_names() -> None:
    events = [
        report("q2", "s", "2017-07-03T10:00", "说明报告", period="2017Q2", **jpg(1.5)),
        report("q4", "s", "2017-12-22T10:00", "说明报告", period="2017Q4", **jpg(1.5)),
    ]
    found = run(events, [street("s")], YEAR_END, "说明报告", "XD-14")
    # the Q2 report came on 07-03, after Q2's 06-25: late, but Q2's (accept late: until the
    # policy's window closes); it is not Q3's, whose report never came
    assert one(found, "2017Q2").status == "late"
    assert one(found, "2017Q2").evidence == ["q2"]
    assert one(found, "2017Q3").status == "overdue"
    assert one(found, "2017Q4").status == "met"


# ----------------------------------------------------------------------------- XD-15


def test_xd15_materials_within_two_working_days() -> None:
    units = [street("s"), community("c"), department("d")]
    events = [
        # 2017-09-30 is a Saturday worked in exchange for the 国庆 days off (10-01 … 10-08):
        # 2 working days after it are 10-09 and 10-10
        act("f1", "c", "2017-09-30T09:30", festival="国庆节"),
        report("m1", "c", "2017-10-10T16:00", "活动总结", ref="f1", **jpg(1.5, 2.0)),
        # the Friday before: 09-30 and 10-09 → due 10-09, the same report day is late
        act("f2", "c", "2017-09-29T09:30", festival="国庆节"),
        report("m2", "c", "2017-10-10T16:00", "活动总结", ref="f2", **jpg(1.5)),
        # photos of 0.8 MB: not counted (XD-16), and nothing else came
        act("f3", "c", "2017-07-01T09:30", festival="建党纪念日"),
        report("m3", "c", "2017-07-03T16:00", "活动总结", ref="f3", **jpg(0.8, 0.8)),
        # a department's 119 activity, the materials sent by the street: from all units
        act("f4", "d", "2017-11-09T10:00", festival="全国消防宣传日"),
        report("m4", "s", "2017-11-10T16:00", "信息", ref="f4", **jpg(2.0)),
        # 中元节 is not one of the 25 festivals of 附件3: no materials are due for it
        act("f5", "c", "2017-09-05T09:30", festival="中元节", theme="文明祭扫"),
        act("f6", "c", "2017-05-30T09:30", festival="端午节"),  # before the arrangement
        act("plain", "c", "2017-10-15T09:30"),  # no festival
    ]
    found = run(events, units, YEAR_END, "节庆日材料报送", "XD-15")
    assert {r.period.label: r.status for r in found} == {
        "f1": "met", "f2": "late", "f3": "overdue", "f4": "met",
    }
    assert one(found, "f1").due == T(2017, 10, 10, 23, 59, 59, tzinfo=ZONE)
    assert one(found, "f2").due == T(2017, 10, 9, 23, 59, 59, tzinfo=ZONE)
    assert one(found, "f3").due == T(2017, 7, 4, 23, 59, 59, tzinfo=ZONE)  # Sat → Mon, Tue
    assert one(found, "f4").evidence == ["m4"]


def test_xd15_at_risk_during_the_holiday() -> None:
    events = [act("f1", "c", "2017-09-30T09:30", festival="国庆节")]
    # on 10-05 the materials are due 10-10: within the 7-day horizon
    found = run(events, [community("c")], D(2017, 10, 5), "节庆日材料报送", "XD-15")
    assert one(found, "f1").status == "at_risk"


# ----------------------------------------------------------------------------- XD-16


def test_xd16_photos_jpg_between_1_and_3_mb() -> None:
    events = [
        report("ok", "s", "2017-07-01T10:00", "说明报告", **jpg(1.0, 3.0)),  # both ends allowed
        report("small", "s", "2017-07-02T10:00", "说明报告", **jpg(0.8)),
        report("big", "s", "2017-07-03T10:00", "说明报告", **jpg(1.5, 3.2)),
        report("png", "s", "2017-07-04T10:00", "说明报告", **jpg(1.5, fmt="png")),
        report("caps", "s", "2017-07-05T10:00", "说明报告", **jpg(2.0, fmt="JPEG")),
        report("no_size", "s", "2017-07-06T10:00", "说明报告", photo_format=["jpg"]),
        report("none", "s", "2017-07-07T10:00", "说明报告"),  # no photos: not checked
    ]
    found = run(events, [street("s")], YEAR_END, "图片规格", "XD-16")
    assert {r.period.label: r.status for r in found} == {
        "ok": "met", "small": "overdue", "big": "overdue", "png": "overdue", "caps": "met",
        "no_size": "overdue",  # a format but no photo: at least one photo is needed
    }


# ----------------------------------------------------------------------------- XD-17


def test_xd17_plan_record_brief_and_photos() -> None:
    units = [street("s"), community("c"), department("d")]
    full = {"plan": True, "record": True, "brief": True, "photo_mb": [1.5]}
    events = [
        act("full", "c", "2017-07-08T09:00", **full),
        act("street", "s", "2017-07-09T09:00", **full),
        act("no_brief", "c", "2017-07-15T09:00", **{**full, "brief": False}),
        act("no_photo", "c", "2017-07-22T09:00", **{**full, "photo_mb": []}),
        act("no_plan", "c", "2017-07-29T09:00", record=True, brief=True, photo_mb=[1.5]),
        act("dept", "d", "2017-07-29T09:00"),  # a department's: 镇街 and 社区 only
        act("early", "c", "2017-05-20T09:00"),  # before the arrangement
    ]
    found = run(events, units, YEAR_END, "活动五有", "XD-17")
    assert {r.period.label: r.status for r in found} == {
        "full": "met", "street": "met", "no_brief": "overdue", "no_photo": "overdue",
        "no_plan": "overdue",  # `plan` not given: it does not count as there
    }


# ----------------------------------------------------------------------------- XD-18


def station(ident: str, unit: str, at: str, status: str) -> dict[str, Any]:
    return {"id": ident, "unit": unit, "kind": "station", "at": at, "status": status}


def xd18_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    units = [street("s"), community("open"), community("closed"), community("none"),
             community("too_late")]
    events = [
        station("o", "open", "2016-05-01", "operating"),  # a stock: opened before 2017
        station("c1", "closed", "2016-05-01", "operating"),
        station("c2", "closed", "2017-11-15", "closed"),  # the latest status is closed
        station("t", "too_late", "2018-01-05", "operating"),  # after the year's end
    ]
    return events, units


def test_xd18_every_community_has_a_station() -> None:
    events, units = xd18_data()
    found = run(events, units, YEAR_END, "站点全覆盖", "XD-18")
    assert statuses(found) == {
        "open": "met", "closed": "overdue", "none": "overdue", "too_late": "overdue",
    }  # no result for the street
    assert one(found, unit="closed").evidence == ["c2"]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2017, 9, 1), "pending"), (D(2017, 12, 28), "at_risk")],  # due 2017-12-31 23:59:59
)
def test_xd18_time_based(as_of: dt.date, status: str) -> None:
    events, units = xd18_data()
    assert one(run(events, units, as_of, "站点全覆盖", "XD-18"), unit="none").status == status
