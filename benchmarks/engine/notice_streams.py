"""What the units of the notices benchmark do, stream by stream (see notice_events.py for how
a stream is made). Each stream says which obligations it feeds; the rates are events per unit
of its audience over 2017–2021, chosen so that every obligation sees units that meet it,
units that are late and units that do not.
"""

from __future__ import annotations

from notice_calendar import FESTIVALS, HOLIDAYS
from notice_city import DISTRICT, LIANHE
from notice_events import (
    CAMPAIGN,
    COMMUNITY_THEMES,
    ECO,
    FIELDS,
    THEMES,
    Draw,
    Stream,
    activity,
    photographed,
    pooled,
    select,
    slotted,
    time_of,
)

Sizes = dict[str, tuple[int, int]]

#: the window of YZ (from the notice, 2019-05-22, to the end of the data)
YZ_START, YZ_DAYS = "2019-05-22", 955
ALL_START, ALL_DAYS = "2017-01-01", 1826
FESTIVAL_WEIGHT = sum(weight for _, weight in FESTIVALS.values())


def _month(d: Draw, k: int, months: int, first: str) -> str:
    return f"(DATE '{first}' + to_months({d.n(k, months)}::INTEGER))::DATE"


def _near_community(d: Draw, k: int) -> str:
    """Joins `dc`: a community of the unit's district, if it has any."""
    return (" LEFT JOIN dcount dn ON dn.district = u.district LEFT JOIN dcomm dc"
            f" ON dc.district = u.district AND dc.k = ri(j, {d.s(k)}, dn.n)")


def _second_saturday(d: Draw, k: int) -> str:
    """A 2nd Saturday, half of them in 2021 (BH-8, BH-10)."""
    month = (f"CASE WHEN {d.below(k, 0.5)} THEN {_month(d, k + 1, 12, '2021-01-01')}"
             f" ELSE {_month(d, k + 2, 48, '2017-01-01')} END")
    return _minutes(f"nth_dow({month}, 2, 6)::TIMESTAMP", f"540 + {d.n(k + 3, 300)}")


def _report_photos(d: Draw, k: int) -> dict[str, str]:
    """Photos of a report: mostly within XD-16's 1–3 MB, JPG or JPEG; some not."""
    sizes = (f"CASE WHEN {d.below(k, 0.85)} THEN {d.photos(k + 1, 1.0, 3.0)}"
             f" ELSE {d.photos(k + 3, 0.5, 4.0)} END")
    return {
        "photo_mb": d.missing(k + 5, 0.05, sizes),
        "photo_format": f"CASE WHEN photo_mb IS NULL THEN NULL ELSE "
        f"{d.formats(k + 6, 'len(photo_mb)', {'jpg': 14, 'JPG': 2, 'jpeg': 3, 'png': 1})} END",
    }


def time_of_even(d: Draw, k: int, windows: list[tuple[float, str]]) -> str:
    """`time_of`, the windows shared out evenly over the rows (few units, few slots)."""
    return time_of(d, k, windows, even=True)


def _minutes(start: str, minutes: str) -> str:
    """SQL: `minutes` (SQL) after `start` (SQL time)."""
    return f"({start} + to_minutes(({minutes})::INTEGER))"


def _report(form: str, **more: str) -> dict[str, str]:
    return {"form": form, **more}


def _band(staff: str) -> str:
    """YZ-3's headcount band."""
    return (f"CASE WHEN {staff} <= 20 THEN ceil({staff} * 0.1) WHEN {staff} <= 50 THEN 3"
            f" WHEN {staff} <= 100 THEN 5 ELSE 8 END")


def activities(sizes: Sizes, rate: float) -> list[Stream]:
    """The activities of the units with a part in the notices."""
    out: list[Stream] = []

    def add(name: str, audience: str, per_unit: float, base: int, kind: str,
            columns: dict[str, str], time: str, joins: str = "") -> None:
        d = Draw(base)
        rows = round(per_unit * sizes[audience][0] * rate)
        source = pooled(audience, sizes[audience][1], d) + joins
        out.append(Stream(name, rows, select(kind, columns, source, time)))

    # YZ-1…5, YZ-10, YZ-11: 文明单位在行动 of the 文明单位 and 文明校园, mostly on the first
    # Friday or Saturday of a month; a tenth before the notice
    d = Draw(1000)
    month = _month(d, 20, 31, "2019-06-01")
    friday_or_saturday = f"CASE WHEN {d.below(21, 0.5)} THEN 5 ELSE 6 END"
    first = _minutes(f"nth_dow({month}, 1, {friday_or_saturday})::TIMESTAMP",
                     f"540 + {d.n(22, 360)}")
    category = (f"CASE WHEN {d.below(23, 0.05)} THEN NULL WHEN {d.below(23, 0.6)} THEN '必选'"
                " ELSE '自选' END")
    add("yz_action", "yz", 18, 1000, "activity", activity(
        d, category=category,
        theme=f"CASE WHEN category = '必选' THEN {d.pick(24, ['礼让斑马线', '你就是网红'])}"
        f" ELSE {d.pick(25, ['扮靓我家园', '基层小喇叭', '爱心送温暖'])} END",
        hours=d.pick(2, [0.5, 1, 1, 1.5, 2, 2, 3]),
        participants=d.missing(
            3, 0.04, f"round({_band('u.staff')} * (0.6 + {d.u(4)}))::BIGINT"),
        risky=d.yes_no(7, 0.08, 0.02),
    ), time_of(d, 26, [(0.1, d.days(27, ALL_START, 870)), (0.5, first),
                       (0.4, d.days(28, YZ_START, YZ_DAYS))]))

    # XD-8, XD-9, XD-10, XD-17, HZ-3, HZ-4: the communities' own activities; some in the
    # campaign of HZ
    d = Draw(1100)
    add("community", "community", 150, 1100, "activity", activity(
        d, theme=d.missing(5, 0.04, d.pick(6, COMMUNITY_THEMES)),
        site=f"CASE WHEN {d.below(20, 0.85)} THEN u.unit END",
        led_by=f"CASE WHEN {d.below(21, 0.7)} THEN '社区' END",
        team_field=f"CASE WHEN {d.below(22, 0.2)} THEN {d.pick(23, FIELDS)} END",
        **photographed(d),
    ), time_of(d, 24, [(0.12, d.days(25, *CAMPAIGN)), (0.88, d.days(26, ALL_START, ALL_DAYS))]))

    # the volunteer teams under communities (XD-9 reads them `from area`)
    d = Draw(1200)
    add("team_org", "org", 20, 1200, "activity", activity(
        d, site=f"CASE WHEN {d.below(20, 0.6)} THEN uid(u.parent_idx) END",
    ), d.days(21, ALL_START, ALL_DAYS))

    # XD-10, HZ-2: professional teams in the communities of their district
    d = Draw(1300)
    add("team", "team", 100, 1300, "activity", activity(
        d, team_field="u.field", hours=d.pick(2, [2, 2.5, 3, 4]), site="uid(dc.idx)",
    ), time_of(d, 21, [(0.25, d.days(22, *CAMPAIGN)), (0.75, d.days(23, ALL_START, ALL_DAYS))]),
        _near_community(d, 20))

    # HZ-1: the offices' weekly visits to their paired community
    d = Draw(1400)
    add("paired", "paired", 60, 1400, "activity", activity(d, site="u.paired_community"),
        time_of(d, 20, [(0.3, d.days(21, *CAMPAIGN)), (0.7, d.days(22, ALL_START, ALL_DAYS))]))

    # BH-5: the police's traffic activities at the rush hours of 2020–2021
    d = Draw(1500)
    hour = time_of(d, 21, [(0.45, f"420 + {d.n(22, 120)}"), (0.45, f"1020 + {d.n(23, 120)}"),
                           (0.10, f"600 + {d.n(24, 360)}")])
    add("traffic", "police", 600, 1500, "activity", activity(
        d, theme=time_of(d, 25, [(0.55, "'文明交通'"), (0.35, "'礼让斑马线'"),
                                 (0.1, d.pick(6, THEMES))]),
    ), _minutes(f"(DATE '2020-01-01' + {d.n(20, 731)}::INTEGER)::TIMESTAMP", hour))

    # BH-6: tourism campaigns on the holidays
    d = Draw(1600)
    holiday = f"h.start + ri(j, {d.s(21)}, h.days)::INTEGER"
    add("tourism", "tourism", 40, 1600, "activity", activity(
        d, theme=time_of(d, 22, [(0.75, "'文明旅游'"), (0.25, d.pick(6, THEMES))]),
    ), time_of(d, 23, [(0.7, f"at_day({holiday}, j, {d.s(24)})"),
                       (0.3, d.days(25, ALL_START, ALL_DAYS))]),
        f" JOIN holiday h ON h.k = {d.n(20, len(HOLIDAYS))}")

    # BH-8: ecology around 植树节 and 世界环境日, and on the 2nd Saturdays
    d = Draw(1700)
    around = f"at_day(f.day + ({d.n(21, 15)} - 7)::INTEGER, j, {d.s(22)})"
    add("ecology", "ecology", 60, 1700, "activity", activity(
        d, theme=time_of(d, 25, [(0.8, d.pick(26, ECO)), (0.2, d.pick(6, THEMES))]),
    ), time_of(d, 27, [(0.25, around), (0.5, _second_saturday(d, 28)),
                       (0.25, d.days(32, ALL_START, ALL_DAYS))]),
        f" JOIN fest f ON f.name = {d.pick(23, ['植树节', '世界环境日'])}"
        f" AND f.year = 2017 + {d.n(24, 5)}")

    # BH-4: the trade branches, about monthly
    d = Draw(1800)
    add("industry", "industry", 55, 1800, "activity", activity(d),
        d.days(20, ALL_START, ALL_DAYS))

    # PE-7: the colleges' activities, their hours mostly entered
    d = Draw(1900)
    add("college", "college", 60, 1900, "activity", activity(
        d, hours_recorded=d.yes_no(8, 0.80, 0.10)), d.days(20, ALL_START, ALL_DAYS))

    # BH-10: 学雷锋志愿服务日 on the 2nd Saturday, by streets and communities
    d = Draw(2000)
    add("second_saturday", "street_area", 8, 2000, "activity", activity(
        d, hours=d.pick(2, [1, 1.5, 2, 3]), **photographed(d)), _second_saturday(d, 20))
    return out


def festivals(sizes: Sizes, rate: float, batches: int) -> list[Stream]:
    """Festival activities of every unit, mostly near the festival (BH-1, BH-2, BH-3, BH-7,
    XD-11, XD-15), and the party members' activities around 7月1日 (XD-12)."""
    d = Draw(2100)
    # festival activities grew over the years; 2021 is BH's year
    year = time_of(d, 20, [(0.06, "2017"), (0.10, "2018"), (0.12, "2019"), (0.14, "2020"),
                           (0.58, "2021")])
    offset = time_of(d, 21, [(0.85, f"{d.n(22, 15)} - 7"),
                             (0.15, f"(8 + {d.n(23, 13)}) * (2 * {d.n(24, 2)} - 1)")])
    source = (pooled("all", sizes["all"][1], d)
              + f" JOIN fest_pool fp ON fp.k = {d.n(25, FESTIVAL_WEIGHT)}"
              + f" JOIN fest f ON f.name = fp.name AND f.year = {year}")
    columns = activity(
        d, theme=f"CASE WHEN {d.below(26, 0.8)} THEN f.theme ELSE {d.pick(6, THEMES)} END",
        festival=f"CASE WHEN {d.below(27, 0.85)} THEN f.name END", **photographed(d))
    time = f"at_day(f.day + ({offset})::INTEGER, j, {d.s(28)})"
    festival = Stream("festival", round(10 * sizes["all"][0] * rate),
                      select("activity", columns, source, time))

    # the three party members of a registration batch, at a community's activity
    d = Draw(2200)
    source = (f"range({{rows}}) t(j) JOIN reg r ON r.rj = 10 * {d.n(0, max(batches, 1))}"
              f" JOIN base u ON u.idx = r.idx" + _near_community(d, 25))
    site = "uid(coalesce(u.community_idx, u.street_idx + 1, dc.idx))"
    present = f"list_filter([0, 1, 2], lambda b: h3(j, {d.s(20)}, b) % 10 < 8)"
    persons = f"list_transform({present}, lambda b: printf('p%08d', r.rj + b))"
    columns = activity(d, theme="'党员志愿服务'", persons=persons, site=site,
                       hours=d.pick(2, [1.5, 2, 3]))
    year = f"CASE WHEN {d.below(21, 0.8)} THEN 2017 ELSE 2018 + {d.n(22, 4)} END"
    when = f"(make_date({year}, 6, 16) + {d.n(23, 31)}::INTEGER)"
    party = Stream("party", round(2.5 * batches * rate),
                   select("activity", columns, source, f"at_day({when}, j, {d.s(24)})"))
    return [festival, party]


def duties(sizes: Sizes, rate: float) -> list[Stream]:
    """Inspections, trainings, lessons, meetings and stations."""
    out: list[Stream] = []

    def add(name: str, audience: str, per_unit: float, d: Draw, kind: str,
            columns: dict[str, str], time: str) -> None:
        rows = round(per_unit * sizes[audience][0] * rate)
        out.append(Stream(name, rows, select(kind, columns, pooled(audience, sizes[audience][1],
                                                                    d), time)))

    # YZ-6: the daily 门前三包 check, some failed
    d = Draw(3000)
    add("inspection", "yz", 500, d, "inspection", {"passed": f"{d.below(1, 0.92)}"},
        d.days(2, YZ_START, YZ_DAYS))

    # XD-6, XD-7, BH-11: trainings, a quarter of them in May (the training month); some
    # communities train jointly with their neighbours (`counts for joint_units`)
    may = "make_date(2017 + {y}, 5, 1)"
    for name, audience, per_unit, base, may_share in [
        ("training_street", "street", 25, 3100, 0.25),
        ("training_community", "community", 20, 3200, 0.25),
        ("training_department", "department", 20, 3300, 0.2),
        ("training_team", "team_org", 4, 3400, 0.6),
        ("training_office", "civility_office", 6, 3500, 0.8),
    ]:
        d = Draw(base)
        in_may = f"in_days({may.format(y=d.n(20, 5))}, 31, j, {d.s(21)})"
        joint = (f"CASE WHEN u.type = '社区' AND {d.below(22, 0.15)} THEN CASE WHEN u.q <= 8"
                 f" THEN [uid(u.idx + 1), uid(u.idx + 2)] ELSE [uid(u.idx - 1), uid(u.idx - 2)]"
                 f" END END")
        field_ = (f"CASE WHEN u.type = '区级部门' AND {d.below(23, 0.75)} THEN u.field"
                  f" WHEN {d.below(23, 0.5)} THEN NULL ELSE {d.pick(24, FIELDS)} END")
        add(name, audience, per_unit, d, "training",
            {"hours": d.missing(1, 0.03, d.pick(2, [1, 1.5, 2, 3, 4])), "field": field_,
             "joint_units": joint},
            time_of(d, 25, [(may_share, in_may),
                            (1 - may_share, d.days(26, ALL_START, ALL_DAYS))]))

    # BH-9: the schools' public lessons by teacher volunteers
    d = Draw(3600)
    add("lesson", "school", 40, d, "lesson",
        {"hours": d.pick(1, [0.75, 1, 1, 1.5]),
         "teacher": d.missing(2, 0.1, f"printf('t%07d', 10 * u.idx + {d.n(3, 10)})")},
        d.days(4, ALL_START, ALL_DAYS))

    # PE-3: the member units' pieces of information, about five a year
    d = Draw(3800)
    add("information", "member", 25, d, "report", {"form": "'信息'"},
        d.days(1, ALL_START, ALL_DAYS))

    # PE-4: the leading group's topic meetings (its plenary meetings are slotted)
    d = Draw(3700)
    add("meeting_topic", "group", 20, d, "meeting", {"type": "'专题会议'"},
        d.days(1, ALL_START, ALL_DAYS))
    return out


def slots(sizes: Sizes) -> list[Stream]:
    """Things each unit does once, or once a period: a share of the slots is filled."""
    out: list[Stream] = []

    def add(name: str, audience: str, periods: int, share: float, d: Draw, kind: str,
            columns: dict[str, str], time: str) -> None:
        units = sizes[audience][0]
        where = f"WHERE {d.evenly(0, share)}"
        out.append(Stream(name, units * periods, select(kind, columns, slotted(audience, units),
                                                        time, where=where), dense=False))

    period = "(j // {n})"
    # YZ-7: the year's plan of activities, due 2019-05-31
    d = Draw(4000)
    add("yz_plan", "yz", 1, 0.75, d, "report", _report("'活动计划'"),
        time_of_even(d, 1, [(0.7, d.days(2, YZ_START, 10)),
                            (0.3, d.days(3, "2019-06-01", 200))]))

    # YZ-9: team head and administrator appointed (10% the same person), the form by 05-27;
    # a tenth changed the administrator later
    for name, role, person, base, share, start, days in [
        ("appoint_head", "负责人", "4 * u.idx", 4100, 0.45, "2019-05-20", 25),
        ("appoint_admin", "管理员", "4 * u.idx + CASE WHEN {u90} THEN 1 ELSE 0 END",
         4100, 0.45, "2019-05-20", 25),
        ("appoint_change", "管理员", "4 * u.idx + CASE WHEN {u70} THEN 2 ELSE 0 END",
         4200, 0.12, "2020-01-01", 700),
    ]:
        d = Draw(base)
        who = person.replace("{u90}", d.below(30, 0.9)).replace("{u70}", d.below(30, 0.7))
        add(name, "all", 1, share, d, "appointment",
            {"role": f"'{role}'", "person": d.missing(31, 0.05, f"printf('s%07d', {who})")},
            d.days(32 if role == "负责人" else 33, start, days))
    d = Draw(4300)
    add("admin_form", "all", 1, 0.4, d, "report", _report("'管理员信息表'"),
        time_of_even(d, 1, [(0.75, d.days(2, YZ_START, 6)),
                            (0.25, d.days(3, "2019-05-28", 120))]))

    # XD-13: the 规范文件, due 2017-06-25
    d = Draw(4400)
    add("norm_file", "norm_senders", 1, 0.8, d, "report", _report("'规范文件'"),
        time_of_even(d, 1, [(0.65, d.days(2, "2017-06-12", 14)),
                            (0.35, d.days(3, "2017-06-26", 90))]))

    # XD-14: the quarterly 说明报告 with photos, due the 25th of the quarter's last month
    d = Draw(4500)
    n = sizes["quarterly_reporters"][0]
    quarter = period.format(n=max(n, 1))
    last_month = f"(DATE '2017-03-01' + to_months((3 * {quarter})::INTEGER))::DATE"
    # a few name the quarter before (a report sent for the wrong period)
    named = f"({quarter} - CASE WHEN {d.below(1, 0.08)} THEN 1 ELSE 0 END)"
    label = f"(2017 + {named} // 4)::VARCHAR || 'Q' || ({named} % 4 + 1)"
    add("explanation", "quarterly_reporters", 20, 0.8, d, "report",
        {**_report("'说明报告'", period=label), **_report_photos(d, 2)},
        time_of_even(d, 10, [(0.75, f"in_days({last_month}, 25, j, {d.s(11)})"),
                             (0.25, f"in_days({last_month} + 25, 40, j, {d.s(12)})")]))

    # HZ-7, HZ-8: the weekly 活动情况表 of the campaign's 14 weeks, due Tuesday 17:30
    d = Draw(4600)
    n = sizes["city_direct"][0]
    week = f"(DATE '2017-05-29' + (7 * {period.format(n=max(n, 1))})::INTEGER)"
    label = f"strftime({week} - CASE WHEN {d.below(1, 0.04)} THEN 7 ELSE 0 END, '%G-W%V')"
    photos = (f"CASE WHEN {d.below(2, 0.75)} THEN 2 WHEN {d.below(2, 0.9)} THEN 1 ELSE 3 END")
    add("weekly_sheet", "city_direct", 14, 0.85, d, "report",
        {"form": "'活动情况表'", "period": label,
         "photo_mb": d.photos(2, 0.5, 4.0, photos),
         "photo_format": f"CASE WHEN photo_mb IS NULL THEN NULL ELSE "
         f"{d.formats(4, 'len(photo_mb)', {'jpg': 12, 'JPG': 2, 'jpeg': 4, 'png': 2})} END"},
        # Monday 09:00 to Tuesday 17:29, or from Tuesday 17:30 on (late)
        time_of_even(d, 5, [
            (0.65, _minutes(f"({week} + 7)::TIMESTAMP", f"540 + {d.n(6, 1949)}")),
            (0.35, _minutes(f"({week} + 8)::TIMESTAMP", f"1050 + {d.n(7, 5760)}"))]))

    # PE-1: the year's work plan of the member units, due 03-20 (2018–2021)
    d = Draw(4700)
    year = f"(2018 + {period.format(n=max(sizes['member'][0], 1))})"
    add("work_plan", "member", 4, 0.85, d, "report",
        _report("'工作计划'",
                period=f"({year} - CASE WHEN {d.below(1, 0.05)} THEN 1 ELSE 0 END)::VARCHAR"),
        time_of_even(d, 2, [(0.7, f"in_days(make_date({year}, 1, 1), 79, j, {d.s(3)})"),
                            (0.3, f"in_days(make_date({year}, 3, 21), 100, j, {d.s(4)})")]))

    # PE-2, BH-13: the yearly summaries (member units and everyone), due 12-20 / 12-15
    for name, audience, share, base in [("member_summary", "member", 0.85, 4800),
                                        ("year_summary", "all", 0.35, 4900)]:
        d = Draw(base)
        year = f"(2017 + {period.format(n=max(sizes[audience][0], 1))})"
        add(name, audience, 5, share, d, "report",
            _report(d.pick(1, ["工作总结", "年度总结"]), period=f"{year}::VARCHAR"),
            time_of_even(d, 2, [
                (0.6, f"in_days(make_date({year}, 11, 15), 30, j, {d.s(3)})"),
                (0.15, f"in_days(make_date({year}, 12, 15), 5, j, {d.s(4)})"),
                (0.25, f"in_days(make_date({year}, 12, 21), 40, j, {d.s(5)})")]))

    # BH-12: the contact form, due 2021-03-05 at the end of the working day
    d = Draw(5000)
    add("contact_form", "all", 1, 0.5, d, "report", _report("'联络表'"),
        time_of_even(d, 1, [(0.7, _minutes("TIMESTAMP '2021-02-20 09:00'", d.n(2, 19409))),
                            (0.3, _minutes("TIMESTAMP '2021-03-05 17:30'", d.n(3, 72000)))]))

    # BH-13: the half-year summary of 2021H1, due 07-15
    d = Draw(5100)
    add("half_summary", "all", 1, 0.4, d, "report",
        _report("'半年总结'",
                period=f"CASE WHEN {d.below(1, 0.95)} THEN '2021H1' ELSE '2021-H1' END"),
        time_of_even(d, 2, [(0.7, d.days(3, "2021-06-15", 30)),
                            (0.3, d.days(4, "2021-07-16", 45))]))

    # PE-4: the leading group's plenary meetings, up to three a year
    d = Draw(5200)
    year = f"(2017 + {period.format(n=max(sizes['group'][0], 1))} // 3)"
    add("meeting_plenary", "group", 15, 0.5, d, "meeting", {"type": "'全体会议'"},
        f"in_days(make_date({year}, 1, 1), 365, j, {d.s(1)})")

    # XD-18, HZ-5: stations (a stock): communities' and window units', some closed later
    for name, audience, share, base, status, windows in [
        ("station_community", "community", 0.88, 5300, "operating",
         [(0.75, ("2014-06-01", 1300)), (0.25, ("2018-01-01", 1000))]),
        ("station_community_closed", "community", 0.10, 5400, "closed",
         [(1.0, ("2017-06-01", 1600))]),
        ("station_window", "window", 0.9, 5500, "operating",
         [(0.7, ("2015-01-01", 880)), (0.3, ("2017-06-01", 60))]),
        ("station_window_closed", "window", 0.2, 5600, "closed", [(1.0, ("2017-06-01", 92))]),
    ]:
        d = Draw(base)
        add(name, audience, 1, share, d, "station", {"status": f"'{status}'"},
            time_of_even(d, 1, [(p, d.days(2 + k, *w)) for k, (p, w) in enumerate(windows)]))
    return out


def people(sizes: Sizes, registrations: int, rate: float) -> list[Stream]:
    """The registrations (a stock) and the service-hour records of the volunteers: most of a
    person's records are with the unit they registered with, some with another unit; a
    volunteer who never serves leaves room for walk-in helpers who never registered."""
    d = Draw(6000)
    reg = Stream("registration", registrations, select(
        "registration", {"person": "r.person", "party_member": "r.party_member",
                         "student": "r.student"},
        "range({rows}) t(j) JOIN reg r ON r.rj = j JOIN base u ON u.idx = r.idx", "r.ts"))
    # a volunteer who never serves (a share of each street's, u.idle) leaves the record to
    # a walk-in helper (g…)
    d = Draw(6100)
    idle = f"u01(r.rj, {d.s(1)}) < u.idle"
    year = f"2017 + CASE WHEN {d.below(2, 0.6)} THEN 0 ELSE 1 + {d.n(3, 4)} END"
    time = f"greatest(r.ts + INTERVAL 1 DAY, in_days(make_date({year}, 1, 1), 365, j, {d.s(4)}))"
    source = (f"range({{rows}}) t(j) JOIN reg r ON r.rj = {d.n(0, max(registrations, 1))}"
              f" JOIN base u ON u.idx = r.idx"
              f" JOIN plain o ON o.audience = 'all' AND o.k = {d.n(5, max(sizes['all'][0], 1))}"
              f" JOIN base w ON w.idx = o.idx")
    service = Stream("service", round(10 * registrations * rate), select(
        "service",
        {"person": f"CASE WHEN {idle} THEN printf('g%09d', {{i}} + j) ELSE r.person END",
         "hours": d.missing(6, 0.02,
                           f"round((3 + 9 * {d.u(7)}) * (0.5 + 0.5 * u.vigour), 1)")},
        source, time, unit=f"CASE WHEN {d.below(8, 0.9)} THEN u.unit ELSE w.unit END"))
    return [reg, service]


def follow_ups(units: int) -> list[Stream]:
    """Events that answer another: rows of the view they follow, kept by a share."""
    out: list[Stream] = []

    def add(name: str, trigger: str, d: Draw, kind: str, columns: dict[str, str], time: str,
            where: str, unit: str = "u.unit") -> None:
        source = f"s_{trigger} t JOIN base u ON u.idx = t.idx"
        columns = {"ref": "id_of(t.i)", **columns}
        stream = Stream(name, 0, select(kind, columns, source, time, unit=unit,
                                        where=f"WHERE {where}"), dense=False)
        stream.follows = [trigger]
        out.append(stream)

    # YZ-8: the summary with photos, due 7 days after the activity
    d = Draw(7000)
    add("yz_summary", "yz_action", d, "report", {"form": "'活动总结'", **_report_photos(d, 1)},
        time_of_even(d, 10, [(0.85, _minutes("t.ts", d.n(11, 9000))),
                             (0.15, f"t.ts + to_days((8 + {d.n(12, 23)})::INTEGER)")]),
        f"{d.evenly(0, 0.75)}")
    # YZ-11: insurance bought before a risky activity (a tenth after)
    for name, trigger, base in [("insurance", "yz_action", 7100),
                                ("insurance_community", "community", 7200)]:
        d = Draw(base)
        add(name, trigger, d, "insurance", {},
            time_of_even(d, 1, [(0.9, _minutes("t.ts", f"-60 - {d.n(2, 7200)}")),
                                (0.1, _minutes("t.ts", f"60 + {d.n(3, 2880)}"))]),
            f"t.risky AND {d.evenly(0, 0.8)}")
    # HZ-6: campaign activities published beforehand, some by the 市志愿服务联合会
    for name, trigger, base in [("publish_community", "community", 7300),
                                ("publish_team", "team", 7400),
                                ("publish_paired", "paired", 7500),
                                ("publish_org", "team_org", 7600)]:
        d = Draw(base)
        add(name, trigger, d, "publish", {},
            time_of_even(d, 1, [(0.9, _minutes("t.ts", f"-60 - {d.n(2, 5700)}")),
                                (0.1, _minutes("t.ts", f"60 + {d.n(3, 2880)}"))]),
            f"t.ts >= TIMESTAMP '2017-06-01' AND t.ts < TIMESTAMP '2017-09-01'"
            f" AND {d.evenly(0, 0.7)}",
            unit=f"CASE WHEN {d.below(4, 0.15)} THEN uid({LIANHE}) ELSE u.unit END"
            if units > LIANHE else "u.unit")
    # XD-15: the materials after a festival activity, due 2 working days after; some sent
    # by the unit above
    d = Draw(7700)
    add("festival_materials", "festival", d, "report",
        {"form": "'活动总结'", **_report_photos(d, 1)},
        time_of_even(d, 10, [(0.65, _minutes("t.ts", d.n(11, 3600))),
                             (0.35, f"t.ts + to_days((3 + {d.n(12, 10)})::INTEGER)")]),
        f"t.festival IS NOT NULL AND {d.evenly(0, 0.7)}",
        unit=f"CASE WHEN {d.below(13, 0.15)} AND u.parent_idx IS NOT NULL"
        " THEN uid(u.parent_idx) ELSE u.unit END")
    # PE-5: the minutes of each meeting, due 7 days after; some kept by the 区文明办
    for name, trigger, base in [("minutes_plenary", "meeting_plenary", 7800),
                                ("minutes_topic", "meeting_topic", 7900)]:
        d = Draw(base)
        add(name, trigger, d, "minutes", {},
            time_of_even(d, 1, [(0.75, _minutes("t.ts", f"120 + {d.n(2, 9000)}")),
                                (0.25, f"t.ts + to_days((8 + {d.n(3, 12)})::INTEGER)")]),
            f"{d.evenly(0, 0.85)}",
            unit=f"CASE WHEN {d.below(4, 0.3)} THEN uid(u.district * {DISTRICT})"
            " ELSE u.unit END")
    return out


def general(sizes: Sizes) -> Stream:
    """Ordinary activities of any unit, any day: what the other streams leave of the events."""
    d = Draw(8000)
    category = (f"CASE WHEN {d.below(20, 0.9)} THEN NULL WHEN {d.below(20, 0.95)} THEN '必选'"
                f" ELSE '自选' END")
    return Stream("general", 0, select("activity", activity(d, category=category),
                                       pooled("all", sizes["all"][1], d),
                                       d.days(21, ALL_START, ALL_DAYS)))


__all__ = ["activities", "duties", "festivals", "follow_ups", "general", "people", "slots"]
