"""Example data for policies/huizhou-2017.pol (惠文明办〔2017〕98号, HZ-1 … HZ-9).

Writes units.jsonl and events.jsonl next to this script: the city's 联合会, the 市直 and 驻惠
units paired with communities, professional teams, communities, 窗口单位 with their stations,
over the campaign 2017-06-01 … 2017-08-31 (and the Tuesday 2017-09-05 on which the last
weekly sheet is due). Deterministic: run it again and the files are the same, byte for byte.

    python examples/huizhou-2017/generate.py

README.md says which unit shows which case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(2021)

START = dt.date(2017, 6, 1)
END = dt.date(2017, 8, 31)

# ----------------------------------------------------------------------------- units

STREETS = [
    ("jd-qiaodong", "桥东街道"),
    ("jd-jiangbei", "江北街道"),
    ("jd-henanan", "河南岸街道"),
]

# (id, name, street)
COMMUNITIES = [
    ("sq-shuidong", "水东社区", "jd-qiaodong"),
    ("sq-dongxin", "东新社区", "jd-qiaodong"),
    ("sq-xiapu", "下埔社区", "jd-qiaodong"),
    ("sq-huaxin", "华新社区", "jd-jiangbei"),
    ("sq-yunshan", "云山社区", "jd-jiangbei"),
    ("sq-jinshan", "金山社区", "jd-henanan"),
    ("sq-yanda", "演达社区", "jd-henanan"),
    ("sq-longfeng", "龙丰社区", "jd-henanan"),
]

# 市直 and 驻惠 units (type 市直单位): (id, name, paired community or None)
CITY_UNITS = [
    ("sz-shuiwu", "市税务局", "sq-shuidong"),  # re-paired with sq-huaxin from 2017-07-01
    ("sz-jiaoyu", "市教育局", "sq-dongxin"),
    ("sz-weiji", "市卫生和计划生育局", "sq-yunshan"),
    ("sz-jiaotong", "市交通运输局", "sq-jinshan"),
    ("sz-guotu", "市国土资源局", "sq-yanda"),
    ("sz-junfenqu", "惠州军分区", "sq-xiapu"),  # a 驻惠 unit
    ("sz-jianchayuan", "市人民检察院", None),  # not paired: HZ-7 only
]

# professional teams (type 专业志愿服务队): (id, name, field, parent)
TEAMS = [
    ("zy-wenhua", "市文化志愿服务队", "文化", None),
    ("zy-yiliao", "市医疗卫生志愿服务队", "医疗卫生", "sz-weiji"),
    ("zy-falv", "市法律志愿服务队", "法律", "sz-jianchayuan"),
    ("zy-huanbao", "市环保志愿服务队", "环保", None),
    ("zy-xiaofang", "市消防志愿服务队", "消防", None),
    ("zy-jiaoyu", "市教育志愿服务队", "教育", "sz-jiaoyu"),  # not one of the five fields
]

# 窗口单位: (id, name)
WINDOWS = [
    ("ck-shaoniangong", "惠州市少年宫"),
    ("ck-zhengwu", "惠州市行政服务中心"),
    ("ck-yiyuan", "惠州市中心人民医院"),
    ("ck-huochezhan", "惠州火车站"),
    ("ck-qichezhan", "惠州汽车总站"),
    ("ck-xihu", "惠州西湖景区管理局"),
]

LIANHE = ("lh", "市志愿服务联合会")
YIGONG = ("yg-yigonglian", "惠州市义工联合会")


def units() -> list[dict]:
    rows: list[dict] = [{"unit": LIANHE[0], "name": LIANHE[1], "type": "志愿服务组织"}]
    rows.append({"unit": YIGONG[0], "name": YIGONG[1], "type": "志愿服务组织"})
    for ident, name in STREETS:
        rows.append({"unit": ident, "name": name, "type": "镇街"})
    for ident, name, street in COMMUNITIES:
        rows.append({"unit": ident, "name": name, "type": "社区", "parent": street})
    for ident, name, paired in CITY_UNITS:
        row = {"unit": ident, "name": name, "type": "市直单位", "staff": rng.randint(60, 400)}
        if paired:
            row["paired_community"] = paired
        rows.append(row)
        if ident == "sz-shuiwu":
            # 惠文明办 re-pairs the unit with another community from July on.
            rows.append({**row, "paired_community": "sq-huaxin", "valid_from": "2017-07-01"})
    for ident, name, field, parent in TEAMS:
        row = {"unit": ident, "name": name, "type": "专业志愿服务队", "field": field}
        if parent:
            row["parent"] = parent
        rows.append(row)
    for ident, name in WINDOWS:
        rows.append({"unit": ident, "name": name, "type": "窗口单位"})
    return rows


# ----------------------------------------------------------------------------- events

events: list[dict] = []
counter = {"n": 0}


def add(unit: str, kind: str, at: str, prefix: str, **attributes: object) -> str:
    counter["n"] += 1
    ident = f"{prefix}-{counter['n']:04d}"
    events.append({"id": ident, "unit": unit, "kind": kind, "at": at, **attributes})
    return ident


def weeks() -> list[tuple[str, dt.date, dt.date]]:
    """(ISO week label, first day, last day) of each week, cut by the campaign."""
    out = []
    monday = START - dt.timedelta(days=START.weekday())
    while monday <= END:
        sunday = monday + dt.timedelta(days=6)
        year, week, _ = monday.isocalendar()
        out.append((f"{year}-W{week:02d}", max(monday, START), min(sunday, END)))
        monday += dt.timedelta(days=7)
    return out


WEEKS = weeks()


def day_in(first: dt.date, last: dt.date, prefer_weekend: bool = False) -> dt.date:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    if prefer_weekend:
        weekend = [d for d in days if d.weekday() >= 5]
        if weekend and rng.random() < 0.7:
            return rng.choice(weekend)
    return rng.choice(days)


def stamp(day: dt.date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00"


def activity(unit: str, day: dt.date, theme: str, *, publish: str = "self",
             hour: int | None = None, **attributes: object) -> str:
    """An activity and (unless publish == "never") its publication on 惠州志愿服务网.

    publish: "self" (the unit, 1-4 days ahead), "lianhe" (代发布 by the 联合会), "after"
    (the evening after it took place), "same" (at the very minute it starts), "never"."""
    hour = hour if hour is not None else rng.choice([9, 9, 10, 14, 15])
    at = stamp(day, hour, rng.choice([0, 0, 30]))
    ident = add(unit, "activity", at, "hd", theme=theme, hours=rng.choice([1.5, 2, 2, 2.5, 3]),
                participants=rng.randint(6, 40), **attributes)
    if publish == "self" or publish == "lianhe":
        ahead = day - dt.timedelta(days=rng.randint(1, 4))
        by = unit if publish == "self" else LIANHE[0]
        add(by, "publish", stamp(ahead, rng.randint(9, 17), rng.choice([0, 15, 30, 45])), "fb",
            ref=ident)
    elif publish == "after":
        add(unit, "publish", stamp(day, 20, 15), "fb", ref=ident)
    elif publish == "same":
        add(unit, "publish", at, "fb", ref=ident)
    return ident


def publish_mode(default: str = "self") -> str:
    draw = rng.random()
    if draw < 0.03:
        return "never"
    if draw < 0.06:
        return "after"
    return default


CITY_THEMES = {
    "sz-shuiwu": ["职工志愿服务", "党员志愿服务", "邻里守望"],
    "sz-jiaoyu": ["文化志愿服务", "党员志愿服务", "社区志愿服务"],
    "sz-weiji": ["服务百姓健康", "红十字志愿服务", "党员志愿服务"],
    "sz-jiaotong": ["文明交通", "职工志愿服务", "党员志愿服务"],
    "sz-guotu": ["关爱山川河流", "党员志愿服务"],
    "sz-junfenqu": ["平安志愿服务", "党员志愿服务", "邻里守望"],
    "sz-jianchayuan": ["平安志愿服务", "党员志愿服务"],
}

TEAM_THEMES = {
    "文化": ["文化志愿服务", "文艺志愿服务"],
    "医疗卫生": ["服务百姓健康", "红十字志愿服务"],
    "法律": ["平安志愿服务"],
    "环保": ["关爱山川河流"],
    "消防": ["平安志愿服务", "科普志愿服务"],
    "教育": ["科普志愿服务", "文化志愿服务"],
}

COMMUNITY_THEMES = ["社区志愿服务", "邻里守望", "巾帼志愿者", "关爱空巢老人", "留守儿童"]


def city_unit_activities() -> None:
    for ident, _name, paired in CITY_UNITS:
        for index, (_label, first, last) in enumerate(WEEKS):
            if ident == "sz-guotu" and index % 2 == 1:
                continue  # HZ-1: only every other week
            if ident == "sz-weiji" and first == dt.date(2017, 7, 24):
                continue  # HZ-1: one week missed
            day = day_in(first, last, prefer_weekend=True)
            site = paired
            if ident == "sz-shuiwu":
                # re-paired on 2017-07-01: it follows its new community from that day
                site = "sq-shuidong" if day < dt.date(2017, 7, 1) else "sq-huaxin"
            if ident == "sz-jiaotong" and first == dt.date(2017, 7, 3):
                site = "sq-longfeng"  # HZ-1: went to another community that week
            if site is None:
                site = rng.choice([c[0] for c in COMMUNITIES])
            theme = rng.choice(CITY_THEMES[ident])
            mode = publish_mode()
            if ident == "sz-guotu" and index in (2, 6):
                mode = "after"  # HZ-6: published only after it took place
            activity(ident, day, theme, publish=mode, site=site)
        # HZ-6: a 税务局 activity published at the very minute it started (not "提前").
        if ident == "sz-shuiwu":
            activity(ident, dt.date(2017, 8, 16), "职工志愿服务", publish="same", hour=15,
                     site="sq-huaxin")


def team_activities() -> None:
    for ident, _name, field, _parent in TEAMS:
        for _label, first, last in WEEKS:
            if ident == "zy-huanbao" and first in (dt.date(2017, 7, 31), dt.date(2017, 8, 7)):
                continue  # HZ-2: two weeks without a community activity
            day = day_in(first, last, prefer_weekend=True)
            theme = rng.choice(TEAM_THEMES[field])
            attributes: dict[str, object] = {"team_field": field}
            if ident == "zy-xiaofang" and first == dt.date(2017, 7, 10):
                pass  # HZ-2: a fire-safety drill at its own station, in no community
            else:
                attributes["site"] = rng.choice([c[0] for c in COMMUNITIES])
            activity(ident, day, theme, publish=publish_mode("lianhe"), **attributes)


def community_activities() -> None:
    for number, (ident, _name, _street) in enumerate(COMMUNITIES):
        for index, (_label, first, last) in enumerate(WEEKS):
            # HZ-3: 龙丰 leads an activity only every third week.
            if not (ident == "sq-longfeng" and index % 3 != 0):
                day = day_in(first, last, prefer_weekend=True)
                mode = publish_mode()
                if ident == "sq-jinshan" and index == 4:
                    mode = "never"  # HZ-6: never published at all
                activity(ident, day, rng.choice(COMMUNITY_THEMES), publish=mode, led_by="社区",
                         site=ident)
            # HZ-4 (advisory): the 党员责任岗 — weekly in the first five communities, now and
            # then in 金山 and 演达, never in 龙丰.
            if number < 5 or (number in (5, 6) and index % 4 == 0):
                day = day_in(first, last)
                activity(ident, day, "党员志愿服务", publish=publish_mode(), led_by="社区",
                         site=ident)


def window_units() -> None:
    # HZ-5: each 窗口单位's station (a stock: its latest status holds until the next).
    add("ck-shaoniangong", "station", "2016-03-05", "zd", status="operating")
    add("ck-zhengwu", "station", "2016-05-20", "zd", status="operating")
    add("ck-yiyuan", "station", "2017-06-20", "zd", status="operating")  # opened in W25
    add("ck-huochezhan", "station", "2015-12-05", "zd", status="operating")
    add("ck-huochezhan", "station", "2017-07-24T08:00:00", "zd", status="closed")  # renovation
    add("ck-huochezhan", "station", "2017-08-07T08:00:00", "zd", status="operating")
    add("ck-xihu", "station", "2015-03-05", "zd", status="operating")
    # ck-qichezhan never set one up.
    themes = {
        "ck-shaoniangong": "志愿助残阳光行动",
        "ck-zhengwu": "青年文明号",
        "ck-yiyuan": "服务百姓健康",
        "ck-huochezhan": "旅游志愿服务",
        "ck-qichezhan": "文明交通",
        "ck-xihu": "旅游志愿服务",
    }
    for ident, _name in WINDOWS:
        for month in (6, 7, 8):
            day = dt.date(2017, month, rng.randint(3, 26))
            activity(ident, day, themes[ident], publish=publish_mode("lianhe"))


def city_wide_activities() -> None:
    # HZ-9 reads every unit's themes. The 联合会 and the 义工联 run the city-wide ones; the
    # 义工联 records its 五老 activities as “五老”志愿服务, with the quotation marks.
    for day, theme in [
        (dt.date(2017, 6, 10), "精准扶贫"),
        (dt.date(2017, 6, 24), "科普志愿服务"),
        (dt.date(2017, 7, 8), "巾帼志愿者"),
        (dt.date(2017, 7, 22), "青年文明号"),
        (dt.date(2017, 8, 5), "精准扶贫"),
        (dt.date(2017, 8, 19), "志愿助残阳光行动"),
    ]:
        activity(LIANHE[0], day, theme)
    for day, theme in [
        (dt.date(2017, 6, 17), "“五老”志愿服务"),
        (dt.date(2017, 7, 15), "“五老”志愿服务"),
        (dt.date(2017, 8, 12), "邻里守望"),
        (dt.date(2017, 8, 26), "文艺志愿服务"),
    ]:
        activity(YIGONG[0], day, theme, publish="lianhe")


def weekly_sheets() -> None:
    """HZ-7/HZ-8: each 市直 unit's 活动情况表 for last week, due Tuesday 17:30."""
    for ident, _name, _paired in CITY_UNITS:
        for index, (label, _first, last) in enumerate(WEEKS):
            tuesday = last + dt.timedelta(days=(1 - last.weekday()) % 7 or 7)
            if ident == "sz-guotu" and (index % 3 == 2 or label == "2017-W35"):
                continue  # never delivered
            day = tuesday - dt.timedelta(days=rng.choice([0, 0, 1]))
            at = stamp(day, rng.choice([9, 10, 11, 15, 16]), rng.choice([0, 20, 40]))
            photos = [round(rng.uniform(0.8, 3.2), 1), round(rng.uniform(0.8, 3.2), 1)]
            formats = [rng.choice(["jpg", "jpg", "JPG", "jpeg"]) for _ in photos]
            if ident == "sz-weiji" and label == "2017-W24":
                at = stamp(tuesday, 17, 45)  # HZ-7: after 下班 on the Tuesday -> late
            if ident == "sz-jiaoyu" and label == "2017-W30":
                at = stamp(tuesday, 17, 30)  # HZ-7: at 17:30 itself -> still met
            if ident == "sz-jiaotong" and label == "2017-W26":
                photos, formats = photos[:1], formats[:1]  # HZ-8: one photo only
            if ident == "sz-jiaotong" and label == "2017-W27":
                formats = ["png", "png"]  # HZ-8: PNG screenshots
            if ident == "sz-junfenqu" and label == "2017-W33":
                at = stamp(tuesday + dt.timedelta(days=2), 9, 30)  # HZ-7: Thursday -> late
            if ident == "sz-jianchayuan" and label == "2017-W35":
                at = stamp(tuesday, 18, 10)  # HZ-7: the last sheet, 09-05 after 17:30
            if ident == "sz-junfenqu" and label == "2017-W35":
                at = stamp(tuesday, 10, 0)  # the last sheet, on time on 09-05
            add(ident, "report", at, "bb", form="活动情况表", period=label, photo_mb=photos,
                photo_format=formats)


def main() -> None:
    unit_rows = units()
    city_unit_activities()
    team_activities()
    community_activities()
    window_units()
    city_wide_activities()
    weekly_sheets()
    events.sort(key=lambda e: (e["at"], e["id"]))
    write(HERE / "units.jsonl", unit_rows)
    write(HERE / "events.jsonl", events)


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
