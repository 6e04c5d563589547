"""`policyrules calendar --ics`: a file calendar apps accept — a VTIMEZONE for the policy's
zone, recurring duties as RRULE with EXDATE and RDATE, one language per file, one duty with
`--obligation` — whose dates, expanded back as a calendar app does, are the year view's."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from dateutil import rrule
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.calendar.workdays import WorkdayCalendar
from policyrules.cli import main
from policyrules.views.calendar import festival_note, year_view
from policyrules.views.ics import _expand, recurrence

icalendar = pytest.importorskip("icalendar", reason="the optional extra `calendar`")

ROOT = Path(__file__).resolve().parent.parent
BINHAI = ROOT / "policies" / "binhai-2021.pol"


def write(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str,
          policy: Path = BINHAI, year: str = "2021") -> tuple[Any, str]:
    path = tmp_path / "out.ics"
    assert main(["calendar", str(policy), "--year", year, "--ics", str(path), *options]) == 0
    err = capsys.readouterr().err
    return icalendar.Calendar.from_ical(path.read_bytes()), err


def expanded(event: Any) -> list[dt.date | dt.datetime]:
    """The dates of an event as a calendar app expands them: DTSTART, its RRULE, RDATE
    added, EXDATE taken away."""
    start = event.decoded("dtstart")
    if "RRULE" not in event:
        return [start]
    timed = isinstance(start, dt.datetime)
    rule = rrule.rrulestr(event["RRULE"].to_ical().decode(), dtstart=start, forceset=True)
    for name, method in (("RDATE", rule.rdate), ("EXDATE", rule.exdate)):
        values = event.get(name)
        for prop in values if isinstance(values, list) else [values] if values else []:
            for item in prop.dts:
                value = item.dt
                method(value if timed else dt.datetime.combine(value, dt.time()))
    return [moment if timed else moment.date() for moment in rule]


def events(cal: Any) -> list[Any]:
    return [c for c in cal.walk("VEVENT")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_file_expands_to_the_year_view(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           lang: str) -> None:
    cal, err = write(tmp_path, capsys, "--lang", lang)
    policy = policyrules.load(BINHAI)
    view = year_view(policy, 2021, WorkdayCalendar())
    found = events(cal)
    # the count printed is the file's
    count = re.search(r"(\d+)", err)
    assert count is not None and int(count.group(1)) == len(found)
    windows: Counter[tuple[str, dt.date]] = Counter()
    dues: Counter[tuple[str, dt.datetime]] = Counter()
    for event in found:
        uid = str(event["UID"])
        name = uid.split("-2021-")[0].removeprefix("binhai_2021-")
        for moment in expanded(event):
            if isinstance(moment, dt.datetime):
                dues[(name, moment)] += 1
            else:
                windows[(name, moment)] += 1
    assert windows == Counter(
        (e.obligation, start) for e in view.entries
        for start, _ in (e.qualifying or ((e.start, e.end),)))
    assert dues == Counter((e.obligation, e.due) for e in view.entries if e.due is not None)


def test_a_timezone_and_recurring_duties(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    cal, _ = write(tmp_path, capsys)
    zones = [c for c in cal.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    text = cal.to_ical().decode().replace("\r\n ", "").replace("\r\n", "\n")
    in_events = "\n".join(re.findall(r"BEGIN:VEVENT.*?END:VEVENT", text, re.S))
    timed = re.findall(r"^DTSTART[^:]*:\d{8}T\d{6}Z?$", in_events, re.MULTILINE)
    assert timed and all(line.startswith("DTSTART;TZID=Asia/Shanghai:") for line in timed)
    by_uid = {str(e["UID"]): e for e in events(cal)}
    traffic = by_uid["binhai_2021-文明交通-2021-days@policyrules"]  # every working day
    rule = traffic["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    ex = {d.dt for d in traffic["EXDATE"].dts} if not isinstance(traffic["EXDATE"], list) else {
        d.dt for prop in traffic["EXDATE"] for d in prop.dts}
    assert dt.date(2021, 10, 1) in ex  # 国庆节, a Friday off
    rd = {d.dt for d in traffic["RDATE"].dts} if not isinstance(traffic["RDATE"], list) else {
        d.dt for prop in traffic["RDATE"] for d in prop.dts}
    assert dt.date(2021, 9, 26) in rd  # a Sunday worked in exchange
    saturday = by_uid["binhai_2021-学雷锋志愿服务日-2021-days@policyrules"]
    assert saturday["RRULE"]["BYDAY"] == ["2SA"] and "EXDATE" not in saturday
    # a deadline recurs at its time, with a reminder the day before
    due = by_uid["binhai_2021-学雷锋志愿服务日-2021-due@policyrules"]
    assert due.decoded("dtstart") == dt.datetime(2021, 1, 9, 23, 59, 59,
                                                 tzinfo=due.decoded("dtstart").tzinfo)
    assert [a.decoded("trigger") for a in due.walk("VALARM")] == [dt.timedelta(days=-1)]


def test_one_language_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zh, _ = write(tmp_path, capsys, "--lang", "zh")
    en, _ = write(tmp_path, capsys, "--lang", "en")
    words = re.compile(r"`[^`]*`|binhai_2021|[A-Z]+-\d+|\d{4}-\d\d(-\d\d)?|[a-z]+-\d+")
    for event in events(zh):
        for name in ("SUMMARY", "DESCRIPTION"):
            said = words.sub("", str(event[name]))
            assert not re.search(r"[A-Za-z]{2,}", said), str(event[name])
        assert event["SUMMARY"].params["LANGUAGE"] == "zh-CN"
    assert any(str(e["SUMMARY"]).startswith("截止：") for e in events(zh))
    assert not any("截止" in str(e["SUMMARY"]) for e in events(en))
    assert any(str(e["SUMMARY"]).startswith("due: ") for e in events(en))


def test_festivals_are_named_with_their_own_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", str(BINHAI), "--year", "2021"]) == 0
    text = capsys.readouterr().out
    line = next(x for x in text.splitlines() if "中元节 2021" in x and "文明祭扫" in x)
    assert "中元节 2021-08-22, ± 7 days" in line and "2021-08-15 .. 2021-08-29" in line
    assert main(["calendar", str(BINHAI), "--year", "2021", "--lang", "zh"]) == 0
    assert "中元节（2021-08-22）前后7天" in capsys.readouterr().out
    cal, _ = write(tmp_path, capsys, "--lang", "zh", "--obligation", "文明祭扫")
    summaries = sorted(str(e["SUMMARY"]) for e in events(cal))
    assert "清明节、中元节、寒衣节前后开展文明祭扫宣传（中元节（2021-08-22）前后7天）" in summaries
    view = year_view(policyrules.load(BINHAI), 2021, WorkdayCalendar(), obligation="文明祭扫")
    assert [festival_note(e) for e in view.entries][1] == "中元节 2021-08-22, ± 7 days"


def test_one_duty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cal, _ = write(tmp_path, capsys, "--obligation", "半年工作总结")
    names = {str(e["UID"]).split("-2021-")[0] for e in events(cal)}
    assert names == {"binhai_2021-半年工作总结"}
    assert main(["calendar", str(BINHAI), "--year", "2021", "--obligation", "半年总结"]) == 2
    err = capsys.readouterr().err
    assert "no obligation `半年总结`" in err and "did you mean `半年工作总结`?" in err


@given(st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2022, 12, 31)), min_size=1,
                max_size=40, unique=True),
       st.sampled_from(["none", "weekdays", "saturdays", "month-ends"]))
def test_a_recurrence_gives_back_exactly_its_dates(dates: list[dt.date], shape: str) -> None:
    if shape != "none":
        start = min(dates)
        every = [start + dt.timedelta(days=i) for i in range(0, 400)]
        keep = {"weekdays": lambda d: d.weekday() < 5, "saturdays": lambda d: d.weekday() == 5,
                "month-ends": lambda d: (d + dt.timedelta(days=1)).day == 1}[shape]
        dates = sorted({d for d in every if keep(d)} | set(dates[:3]))
    dates = sorted(dates)
    found = recurrence(dates)
    if found is None:
        return
    first, last = dates[0], dates[-1]
    made = _expand(found.rule, first, last)
    assert first in made
    assert (made - set(found.exdates)) | set(found.rdates) == set(dates)
    assert len(found.exdates) + len(found.rdates) <= 0.25 * len(dates)
