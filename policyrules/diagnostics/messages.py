"""Messages in English and Chinese: the reasons of a report, explain, and the command line.

The people who act on a report read Chinese; the people who write policies may read either.
Each message is written once, in English, as a template; the Chinese catalogue maps the
template to its translation (gettext's idea without its machinery). `--lang en|zh` on the
command line chooses; the default follows the locale (`LANG`, `LC_ALL`, `LC_MESSAGES`
starting with `zh`).

A message built from values is a :class:`Message` (`msg("unknown band `{band}`", band=name)`):
a `str` holding the English text, so it compares, hashes and prints as before, that also
keeps its template and values so it can be shown in Chinese later. A message without values
can stay a plain string: :func:`t` looks any string up. Values that are themselves messages
(a type in words, a clause) are translated too; user input is never translated.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from policyrules.diagnostics.zh import DIAGNOSTICS, ENGINE, INPUTS
from policyrules.diagnostics.zh_report import REPORT

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
    "needs {amount} more in {left}": "还差 {amount}，剩余 {left}",
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
    "`--year {year}`: a year is 1 to 9999": "`--year {year}`：年份须在 1 至 9999 之间",
    "the lunar dates of {year} are not known: the lunar calendar's tables cover 1901–2100":
        "{year} 年的农历日期未知：农历表仅覆盖 1901–2100 年",
    "the solar term `{term}` of {year} is not known: the tables cover 1901–2100":
        "{year} 年的节气 `{term}` 未知：节气表仅覆盖 1901–2100 年",
    "the due date is past 9999-12-31, the last date the calendar holds":
        "截止时间晚于 9999-12-31（日历所能表示的最后一天），无法计算",
    "cannot be decided: unit `{unit}` has no `{fact}` in the units file on {day}, and the"
    " requirement reads it":
        "无法判定：单位数据中没有单位 `{unit}` 在 {day} 的 `{fact}`，而该要求需要用到它",
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
    "By unit and period": "各单位分期情况",
    "Results": "结果",
    "Rejected input": "未通过校验的数据行",
    "search": "搜索",
    # the command line's own messages
    "note": "注意",
    "internal error": "内部错误",
    "run again with --debug for the traceback, and report it":
        "请加 --debug 重新运行以查看调用栈，并报告此问题",
    "{path}: {errors} error{s}, {warnings} warning{ws}":
        "{path}：{errors} 个错误，{warnings} 个警告",
    "{path}: would be reformatted": "{path}：格式需要调整",
    "{path}: reformatted": "{path}：已调整格式",
    "in {units}": "（不在 {units} 中）",
    "without --units": "（未给出 --units）",
    "unit `{unit}` is not known {where}": "单位 `{unit}` 未知{where}",
    "wrote {path}": "已写入 {path}",
    "--as-of `{text}` is not a date (write 2021-06-30)":
        "--as-of `{text}` 不是日期（请写作 2021-06-30）",
    "--plot-obligation and --plot-unit need --plot FILE":
        "--plot-obligation 和 --plot-unit 需要同时给出 --plot FILE",
    "--plot needs matplotlib: pip install 'policyrules[plot]'":
        "--plot 需要 matplotlib：pip install 'policyrules[plot]'",
    "--plot: no results for {what} `{name}`": "--plot：{what} `{name}` 没有结果",
    "--plot: the report has no results to draw": "--plot：报告中没有可绘制的结果",
    "--plot: {error}": "--plot：{error}",
    "{message}; did you mean `{close}`?": "{message}；是否想写 `{close}`？",
    "no obligation `{name}`": "没有义务 `{name}`",
    "refs {refs}; cites {cites}; {severity}; {where}":
        "编号 {refs}；依据 {cites}；{severity}；{where}",
    "must": "必须",
    "advisory": "建议",
    "no instance for unit `{unit}` by {day} (it is out of scope, or nothing has started)":
        "截至 {day}，单位 `{unit}` 没有该义务的实例（不在适用范围内，或尚未开始）",
    "no record `{kind}`; the policy reads: {known}": "没有记录 `{kind}`；本政策读取：{known}",
    "no scenarios (*.test.json) under {paths}": "{paths} 下没有测试场景（*.test.json）",
    # argparse's own words (policyrules.cli patches argparse's gettext while parsing)
    "usage: ": "用法：",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误: %(message)s\n",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "无效的取值 %(value)r（可选值：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
    "ambiguous option: %(option)s could match %(matches)s":
        "选项有歧义：%(option)s 可能是 %(matches)s",
    # the command line's help
    "Check the obligations of official notices against events.":
        "根据事件检查官方通知中的各项义务。",
    "show Python tracebacks": "显示 Python 调用栈",
    "the policy file": "政策文件",
    "policy files": "政策文件",
    "language of messages, reasons and reports (default: from the locale)":
        "消息、原因和报告的语言（默认：按系统区域设置）",
    "events as .jsonl, .csv (or .parquet with the extra)":
        "事件文件：.jsonl、.csv（安装可选组件后也可用 .parquet）",
    "units as .jsonl or .csv": "单位文件：.jsonl 或 .csv",
    "the day to evaluate at (default: today in the policy's zone)":
        "评估日（默认：政策时区的今天）",
    "a State Council holiday schedule past the built-in data":
        "内置数据之后年份的国务院办公厅节假日安排文件",
    "check policies for errors and warnings": "检查政策中的错误和警告",
    "treat warnings as errors": "把警告当作错误",
    "print only problems": "只输出问题",
    "rewrite policies in the canonical layout": "按规范格式重写政策文件",
    "only report files that would change": "只报告需要调整的文件",
    "print the changes instead of writing": "输出改动而不写入文件",
    "evaluate a policy against events": "根据事件评估政策",
    "write the html report here": "HTML 报告的写入位置",
    "only this unit's results": "只显示该单位的结果",
    "only this obligation's results": "只显示该义务的结果",
    "only results with this status": "只显示该状态的结果",
    "fail (exit 2) when any input row is rejected": "有任何输入行被拒绝时失败（退出码 2）",
    "also draw a picture (.png, .svg, .pdf): a heatmap of units × periods of one obligation, or"
    " one unit's timeline":
        "同时绘图（.png、.svg、.pdf）：某项义务的单位 × 期间热力图，或某个单位的时间线",
    "the heatmap's obligation (default: --obligation, else the one covering the most units)":
        "热力图的义务（默认：--obligation，否则为覆盖单位最多的义务）",
    "draw this unit's timeline instead of a heatmap": "改为绘制该单位的时间线",
    "why an obligation stands as it does for a unit": "说明某项义务对某个单位为何是当前状态",
    "the obligation's name": "义务名称",
    "the unit to explain": "要说明的单位",
    "run policy scenarios (*.test.json): expected statuses, shown as a diff":
        "运行政策测试场景（*.test.json）：核对预期状态，差异以对比形式显示",
    "scenario files or folders (default: policies)": "场景文件或文件夹（默认：policies）",
    "JSON Schema of the event and unit records a policy reads":
        "政策读取的事件和单位记录的 JSON Schema",
    "only this event kind (or `unit`)": "只输出该事件类型（或 `unit`）",
    "list a policy's dated events of a year (periods, windows, due dates)":
        "列出政策某一年的日程（期间、时间窗口、截止时间）",
    "the year to list": "要列出的年份",
    "how to print the year (default: text)": "输出格式（默认：text）",
    "also write an iCalendar file (in the language of --lang)":
        "同时写出 iCalendar 文件（语言按 --lang）",
    "only this obligation's dates": "只列出该义务的日期",
    "only the obligations that apply to this unit": "只列出适用于该单位的义务",
    "the units file that describes --unit": "描述 --unit 的单位文件",
    "a State Council holiday schedule for a year past the built-in data (repeatable)":
        "内置数据之后某年的国务院办公厅节假日安排文件（可重复给出）",
    # `policyrules calendar`
    "working days in {year}: {count}": "{year} 年工作日：{count} 天",
    "instance": "期次",
    "counts": "计入日期",
    "notes": "备注",
    "no qualifying day": "没有符合条件的日期",
    "partial period": "不完整期间",
    "after each event:": "按每次事件计算的义务：",
    "at each {trigger}": "每次 `{trigger}` 时",
    "{duration} after each {trigger}": "每次 `{trigger}` 之后 {duration}",
    "{weekday} after each {trigger}": "每次 `{trigger}` 之后的{weekday}",
    "{rule} (end of the working day)": "{rule}（工作日结束时）",
    "{rule} at {time}": "{rule} {time}",
    "{amount} working day{plural}": "{amount} 个工作日",
    "{amount} {unit}{plural}": "{amount} {unit}",
    "hour": "小时",
    "monday": "星期一",
    "tuesday": "星期二",
    "wednesday": "星期三",
    "thursday": "星期四",
    "friday": "星期五",
    "saturday": "星期六",
    "sunday": "星期日",
    "{name} ({refs}): due {rule}": "{name}（{refs}）：截止 {rule}",
    # holiday schedule files (--holidays)
    "range ends ({end}) before it starts ({start})": "区间的结束（{end}）早于开始（{start}）",
    "day off {day} is not in {year}": "休息日 {day} 不在 {year} 年",
    "{day} is both a day off and a working day": "{day} 既是休息日又是工作日",
    "{path}: cannot read the holiday schedule: {error}": "{path}：无法读取节假日安排：{error}",
    # files and data, wherever they are read
    "cannot write `{shown}`: {reason}": "无法写入 `{shown}`：{reason}",
    "no such file or directory": "文件或目录不存在",
    "permission denied": "没有权限",
    "is a directory": "这是一个目录",
    "a part of the path is not a directory": "路径中有一部分不是目录",
    "no space left on the device": "磁盘空间不足",
    "not JSON: {problem} at line {line}, column {column}":
        "不是 JSON：第 {line} 行第 {column} 列 {problem}",
    "expecting value": "此处应有值",
    "expecting property name enclosed in double quotes": "此处应有双引号括起的键名",
    "expecting ',' delimiter": "此处应有 `,`",
    "expecting ':' delimiter": "此处应有 `:`",
    "extra data": "多余的数据",
    "unterminated string starting at": "字符串没有结束",
    "invalid control character at": "无效的控制字符",
    "missing": "缺失",
    "not expected here": "此处不应出现",
    "not an object": "不是对象",
    "not one of {expected}": "不是 {expected} 之一",
    "must be at most {bound}": "不能大于 {bound}",
    "must be at least {bound}": "不能小于 {bound}",
    "{problem} (got `{got}`)": "{problem}（实际为 `{got}`）",
    "writing .ics files needs the optional extra: pip install 'policyrules[calendar]'":
        "写出 .ics 文件需要可选组件：pip install 'policyrules[calendar]'",
    "no CJK font found, so Chinese names will show as boxes; install one (e.g. Debian's"
    " fonts-noto-cjk or fonts-wqy-zenhei)":
        "找不到中文字体，中文名称会显示为方框；请安装一种（如 Debian 的 fonts-noto-cjk 或"
        " fonts-wqy-zenhei）",
    "ignored explicit argument %r": "忽略了多余的参数值 %r",
    # `policyrules schema`
    "unique within the stream": "在整个事件流中唯一",
    "the unit it belongs to": "所属单位",
    "ISO 8601 date or date-time; without an offset it is in {zone}":
        "ISO 8601 日期或日期时间；不带时区偏移时按 {zone} 计",
    "event `{name}`": "事件 `{name}`",
    "event `{name}` (a stock: carries over)": "事件 `{name}`（存量：跨期延续）",
    "when this row's facts start to hold": "本行信息开始生效的日期",
    "unit row": "单位记录",
    "records read by policy `{name}`": "政策 `{name}` 读取的记录",
    # input data
    "event": "事件",
    "{source}:{line}: rejected {what} (id `{id}`): {reason}":
        "{source}:{line}：拒绝{what}（ID `{id}`）：{reason}",
    "{source}:{line}: rejected {what}: {reason}": "{source}:{line}：拒绝{what}：{reason}",
    "{count} events name units that are not in the units file, so no obligation reads them:"
    " {shown}":
        "有 {count} 个事件所属的单位不在单位文件中，因此没有义务读取它们：{shown}",
    "`{where}`: {problem}": "`{where}`：{problem}",
    "`{where}`: {problem} (got `{got}`)": "`{where}`：{problem}（实际为 `{got}`）",
    "not a whole number": "不是整数",
    "not a number": "不是数值",
    "not a finite number": "不是有限的数值",
    "not true or false": "不是真或假",
    "not a date": "不是日期",
    "not a date and time": "不是日期时间",
    "not a string": "不是字符串",
    "not a list": "不是列表",
    "not one of the declared values": "不是声明的取值之一",
    "not a mapping: {type}": "不是键值记录：{type}",
    "`{name}` is missing": "缺少 `{name}`",
    "`unit` is missing": "缺少 `unit`",
    "`at`: a date or date-time is required": "`at`：需要日期或日期时间",
    "`at`: `{when}` is not an ISO 8601 date or date-time":
        "`at`：`{when}` 不是 ISO 8601 日期或日期时间",
    "`valid_from`: `{value}` is not a date": "`valid_from`：`{value}` 不是日期",
    "duplicate event id `{id}`": "事件编号 `{id}` 重复",
    "not JSON: {problem} at column {column}": "不是 JSON：第 {column} 列 {problem}",
    "not a JSON object": "不是 JSON 对象",
    "more cells than the header has columns": "单元格多于表头的列数",
    "{path}: unknown data format `{suffix}` (use .jsonl, .csv or .parquet)":
        "{path}：未知的数据格式 `{suffix}`（请用 .jsonl、.csv 或 .parquet）",
    "{path}: reading Parquet needs the optional extra: pip install 'policyrules[parquet]'":
        "{path}：读取 Parquet 需要可选组件：pip install 'policyrules[parquet]'",
    # `policyrules test`
    "{path}: not a scenario: {problem}": "{path}：不是测试场景：{problem}",
    "rejected events: {rows}": "被拒绝的事件：{rows}",
    "{line}: {reason}": "{line}：{reason}",
    "{obligation}: `{status}` is not a status": "{obligation}：`{status}` 不是状态",
    "no obligation `{name}` in the policy": "政策中没有义务 `{name}`",
    "{where}: no such result (periods of this unit: {listed})":
        "{where}：没有这条结果（该单位的期间：{listed}）",
    "{where} [{period}]\n  - expected: {expected}\n  + actual:   {actual}\n    reason: {reason}":
        "{where} [{period}]\n  - 预期：{expected}\n  + 实际：{actual}\n    原因：{reason}",
    "\n    why the scenario expects it: {why}": "\n    场景的预期依据：{why}",
    ", required {required:g}": "，要求 {required:g}",
    ", actual {actual:g}": "，实际 {actual:g}",
    ", evidence {evidence}": "，证据 {evidence}",
    "{count} checks": "{count} 项检查",
    "{passed} passed, {failed} failed": "通过 {passed} 个，失败 {failed} 个",
    "coverage:": "覆盖情况：",
    "{policy}: {used} of {total} obligations": "{policy}：{total} 项义务中覆盖 {used} 项",
    "not exercised: {names}": "未覆盖：{names}",
    "band {band}: {used} of {total} rows": "档位表 {band}：{total} 行中覆盖 {used} 行",
    "deadlines: {used} of {total} kinds": "截止时间：{total} 种中覆盖 {used} 种",
    # kinds of deadline, in the coverage summary
    "at the event": "按事件",
    "end of period": "期间结束",
    "fixed date": "固定日期",
    "day of the year": "每年某日",
    "weekday after": "之后的某个星期几",
    "day of the period's last month": "期间最后一个月的某天",
    "day of a month of the period": "期间某月的某天",
    "{unit} after {anchor}": "{anchor}后若干{unit}",
    "{kind} {at}": "{kind}（{at}）",
    "working days": "工作日",
    "days": "天",
    "weeks": "周",
    "hours": "小时",
    "trigger": "触发事件",
    "period end": "期间结束",
    "period start": "期间开始",
    "at a time": "指定时刻",
    "at workday end": "工作日结束时",
}


class Message(str):
    """English text that remembers its template and values, to be shown in another language."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Message:
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def __getnewargs__(self) -> tuple[str]:
        # pickled as its English text; the template and values travel in __dict__
        return (str(self),)

    def in_language(self, lang: str) -> str:
        return t(lang, self.template, **self.values)


class Listing(Message):
    """Items of a list in words (`` `when`, a name, the end of the file ``), each translated on
    its own and joined the way the language joins them (`, ` and `、`; with `long=True`,
    for items that hold commas themselves, `; ` and `；`)."""

    items: tuple[str, ...]
    long: bool

    def __new__(cls, items: Sequence[str], /, long: bool = False) -> Listing:
        self = str.__new__(cls, ("; " if long else ", ").join(items))
        self.template = str(self)
        self.values = {}
        self.items = tuple(items)
        self.long = long
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[tuple[str, ...]], dict[str, bool]]:
        return (self.items,), {"long": self.long}

    def in_language(self, lang: str) -> str:
        separators = {"zh": ("、", "；")}.get(lang, (", ", "; "))
        return separators[self.long].join(t(lang, item) for item in self.items)


# the reasons an operating system gives, in words of our own so that they translate (the
# system's own wording differs from one system to another)
_OS_REASONS = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "a part of the path is not a directory",
    errno.ENOSPC: "no space left on the device",
}


def file_problem(error: OSError, writing: bool = False) -> Message:
    """`cannot read `x`: no such file or directory` (or `cannot write`) for an OSError."""
    reason = _OS_REASONS.get(error.errno or 0)
    said = msg(reason) if reason else (error.strerror or str(error)).lower()
    shown = error.filename if error.filename is not None else "?"
    if writing:
        return msg("cannot write `{shown}`: {reason}", shown=shown, reason=said)
    return msg("cannot read `{shown}`: {reason}", shown=shown, reason=said)


def error_message(error: BaseException, writing: bool = False) -> str:
    """What an exception says, as a :class:`Message` where it can be one (ours carry one;
    an operating system's is put in the words of :func:`file_problem`), else its text."""
    if isinstance(error, OSError) and error.filename is not None:
        return file_problem(error, writing)
    first = error.args[0] if error.args else None
    return first if isinstance(first, Message) else str(error)


def json_problem(error: json.JSONDecodeError) -> Message:
    """`not JSON: expecting value at line 1, column 5` in words that translate."""
    return msg("not JSON: {problem} at line {line}, column {column}",
               problem=msg(error.msg.lower()), line=error.lineno, column=error.colno)


# pydantic's error types in words of this project, so that they can be shown in Chinese too;
# another type keeps pydantic's English text
_VALIDATION_PROBLEMS = {
    "missing": "missing",
    "extra_forbidden": "not expected here",
    "int_parsing": "not a whole number",
    "int_from_float": "not a whole number",
    "int_type": "not a whole number",
    "float_parsing": "not a number",
    "float_type": "not a number",
    "finite_number": "not a finite number",
    "bool_parsing": "not true or false",
    "bool_type": "not true or false",
    "date_parsing": "not a date",
    "date_from_datetime_parsing": "not a date",
    "date_from_datetime_inexact": "not a date",
    "date_type": "not a date",
    "datetime_parsing": "not a date and time",
    "datetime_from_date_parsing": "not a date and time",
    "datetime_type": "not a date and time",
    "string_type": "not a string",
    "list_type": "not a list",
    "dict_type": "not an object",
    "model_type": "not an object",
}


def validation_problem(error: Mapping[str, Any]) -> Message:
    """What one pydantic validation error (an item of `ValidationError.errors()`) says is
    wrong, and where: `` `hours`: not a number (got `abc`) ``."""
    where = ".".join(str(p) for p in error.get("loc", ()))
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    problem: str
    if kind == "literal_error" and "expected" in ctx:
        problem = msg("not one of {expected}", expected=ctx["expected"])
    elif kind in ("less_than_equal", "greater_than_equal") and ctx:
        bound = ctx.get("le", ctx.get("ge"))
        problem = (msg("must be at most {bound}", bound=bound) if kind == "less_than_equal"
                   else msg("must be at least {bound}", bound=bound))
    elif kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        cause = ctx["error"]
        problem = cause.args[0] if cause.args and isinstance(cause.args[0], Message) else str(
            cause)
    else:
        problem = msg(_VALIDATION_PROBLEMS[kind]) if kind in _VALIDATION_PROBLEMS else str(
            error.get("msg", "")).lower()
    got = error.get("input")
    if kind != "missing" and isinstance(got, (str, int, float, bool)):
        if not where:
            return msg("{problem} (got `{got}`)", problem=problem, got=got)
        return msg("`{where}`: {problem} (got `{got}`)", where=where, problem=problem, got=got)
    return msg("`{where}`: {problem}", where=where, problem=problem) if where else msg(
        "{problem}", problem=problem)


def msg(template: str, /, **values: Any) -> Message:
    """A message from a template and its values; see :class:`Message`."""
    return Message(template, **values)


ZH |= DIAGNOSTICS
ZH |= INPUTS
ZH |= ENGINE
ZH |= REPORT


def default_language() -> Language:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(lang: str, template: str, **values: Any) -> str:
    """`template` in `lang`, with `values` filled in; values that are messages are shown in
    `lang` too. A plain string that is a message without values is looked up as well."""
    if lang != "zh":
        # always a plain `str`: a Message handed on would keep its template where a caller
        # (a report, a model field) expects only text
        return template.format(**values) if values else str(template)
    if isinstance(template, Message):
        return template.in_language(lang)
    text = ZH.get(template, template)
    if not values:
        return text
    return text.format(**{k: t(lang, v) if isinstance(v, Message) else v
                          for k, v in values.items()})


def status_name(lang: str, status: str) -> str:
    return STATUS_NAMES.get(lang, {}).get(status, status)
