"""Messages in English and Chinese: the reasons of a report, explain, and the command line.

The people who act on a report read Chinese; the people who write policies may read either.
Each message is written once, in English, as a template; the Chinese catalogue maps the
template to its translation (gettext's idea without its machinery). `--lang en|zh` on the
command line chooses; the default follows the locale (`LANG`, `LC_ALL`, `LC_MESSAGES`
starting with `zh`). Diagnostics of the checker are in English for now.
"""

from __future__ import annotations

import os
from typing import Any, Literal

Language = Literal["en", "zh"]

STATUS_NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "met": "已完成",
        "late": "逾期完成",
        "overdue": "逾期未完成",
        "at_risk": "有逾期风险",
        "pending": "进行中",
        "indeterminate": "无法判定",
    }
}

ZH: dict[str, str] = {
    # reasons
    "met: {detail}": "已完成：{detail}",
    "met only after the deadline {when}: {detail}": "截止时间 {when} 之后才完成：{detail}",
    "not met by the deadline {when}: {detail}": "截止时间 {when} 前未完成：{detail}",
    "no qualifying day is left before {when}: {detail}":
        "截止时间 {when} 前已无符合条件的日期：{detail}",
    "due {when}, not yet met: {detail}": "截止时间 {when}，尚未完成：{detail}",
    "beyond reach before {when}: {detail}": "截止时间 {when} 前已无法满足：{detail}",
    "due {when}: {detail}": "截止时间 {when}：{detail}",
    "needs {amount} more in {left}": "还需 {amount} 项，剩余 {left}",
    "{working} working days ({days} days)": "{working} 个工作日（{days} 天）",
    "{days} days": "{days} 天",
    "`{text}` holds in every group": "`{text}` 各组均满足",
    "`{text}` fails for {groups}": "`{text}` 未满足：{groups}",
    "`{left}` is {value}, needs {op} {required}": "`{left}` 为 {value}，要求 {op} {required}",
    "`{left}` is {value}, needs {low} to {high}":
        "`{left}` 为 {value}，要求在 {low} 至 {high} 之间",
    "`{text}` is true": "`{text}` 成立",
    "`{text}` is false": "`{text}` 不成立",
    "`{left}` is missing": "缺少 `{left}`",
    "the due date cannot be computed": "无法计算截止时间",
    "the working-day schedule of {year} is not known: the State Council's holiday schedule for"
    " {year} is missing (supply it with a holiday schedule file)":
        "{year} 年的工作日安排未知：缺少国务院办公厅 {year} 年节假日安排（可用节假日安排文件补充）",
    # explain
    "counted": "已计入",
    "before the period ({label} starts {start})": "早于本期（{label} 自 {start} 开始）",
    "after the period ({label} ends {end})": "晚于本期（{label} 至 {end} 结束）",
    "after the deadline {due}": "晚于截止时间 {due}",
    "after as_of": "晚于评估日",
    "not on a qualifying day ({days})": "不在符合条件的日期（{days}）",
    "none in this period": "本期没有",
    "not selected by the requirement": "不符合要求的筛选条件",
    # command line
    "unit": "单位",
    "obligation": "义务",
    "refs": "编号",
    "period": "期间",
    "due": "截止时间",
    "status": "状态",
    "actual/req": "实际/要求",
    "reason": "原因",
    "{shown} of {total} results ({counts}); events: {rows} rows, {accepted} accepted,"
    " {rejected} rejected":
        "共 {total} 条结果，显示 {shown} 条（{counts}）；事件：{rows} 行，接受 {accepted}，"
        "拒绝 {rejected}",
    "none": "无",
    # the HTML report
    "By unit and period": "按单位和期间",
    "Results": "结果",
    "Rejected input": "被拒绝的输入",
    "search": "搜索",
}


def default_language() -> Language:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(lang: str, template: str, **values: Any) -> str:
    """`template` in `lang`, with `values` filled in."""
    text = ZH.get(template, template) if lang == "zh" else template
    return text.format(**values) if values else text


def status_name(lang: str, status: str) -> str:
    return STATUS_NAMES.get(lang, {}).get(status, status)
