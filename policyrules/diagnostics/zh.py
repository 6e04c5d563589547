"""The Chinese catalogue of the parser's, loader's and checker's diagnostics.

Keys are the English templates exactly as the stages write them (see :mod:`policyrules.diagnostics.messages`);
tests/test_messages.py fails when a template has no entry here or an entry fills other blanks.
Code stays code: keywords, names and examples in backticks are the same in both languages.

Terms used throughout: policy 政策, obligation 义务, event 事件, event kind 事件类型, attribute
属性, unit 单位, unit fact 单位信息, band 档位表, row 行, festival 节日, solar term 节气,
effective window 有效期, schedule 周期, deadline 截止时间, requirement 要求, set 集合,
trigger 触发事件.
"""

from __future__ import annotations

DIAGNOSTICS: dict[str, str] = {
    # how a diagnostic is shown
    "error": "错误",
    "warning": "警告",
    "hint": "提示",
    # types in words (policyrules.semantics.types.describe)
    "something unknown": "未知的值",
    "a whole number": "整数",
    "a number": "数值",
    "a ratio": "比值",
    "a percentage": "百分比",
    "a string": "字符串",
    "true or false": "真或假",
    "a date": "日期",
    "a date and time": "日期时间",
    "a list of {items}": "{items}列表",
    "one value per group": "每组一个值",
    "a festival": "节日",
    "the record `{record}`": "记录 `{record}`",
    "one of {values}": "{values} 之一",
    "a count": "计数",
    "whole numbers": "整数",
    "numbers": "数值",
    "ratios": "比值",
    "percentages": "百分比",
    "strings": "字符串",
    "booleans": "真假值",
    "dates": "日期",
    "dates and times": "日期时间",
    "festivals": "节日",
    "values": "值",
    # periods
    "day": "天",
    "working day": "工作日",
    "week": "周",
    "month": "月",
    "quarter": "季度",
    "half year": "半年",
    "year": "年",
    # what the parser expected
    "expected {words}": "此处应为：{words}",
    "a name": "名称",
    'a string in double quotes ("…")': '双引号括起的字符串（"…"）',
    "a percentage such as `10%`": "百分比，如 `10%`",
    "a date such as `2019-05-27`": "日期，如 `2019-05-27`",
    "a day of the year such as `07-01`": "一年中的某天，如 `07-01`",
    "a time of day such as `17:30`": "时刻，如 `17:30`",
    "a label such as `YZ-1`": "编号，如 `YZ-1`",
    "`1st` … `5th` or `last`": "`1st` … `5th` 或 `last`",
    "a weekday (`monday` … `sunday`)": "星期几（`monday` … `sunday`）",
    "a month (`january` … `december`)": "月份（`january` … `december`）",
    "a comparison (`>=`, `==`, …)": "比较运算（`>=`、`==` 等）",
    "`+` or `-`": "`+` 或 `-`",
    "`*` or `/`": "`*` 或 `/`",
    "`count`, `sum`, `avg`, `min`, `max`, `latest` or `exists`":
        "`count`、`sum`、`avg`、`min`、`max`、`latest` 或 `exists`",
    "`len` or `lower`": "`len` 或 `lower`",
    "`all` or `any`": "`all` 或 `any`",
    "`must` or `advisory`": "`must` 或 `advisory`",
    "`count`, `skip` or `prorate`": "`count`、`skip` 或 `prorate`",
    "`up`, `down` or `nearest`": "`up`、`down` 或 `nearest`",
    "a type (`int`, `number`, `string`, `bool`, `date`, `datetime`)":
        "类型（`int`、`number`、`string`、`bool`、`date`、`datetime`）",
    "`days`, `weeks` or `hours`": "`days`、`weeks` 或 `hours`",
    "the end of the file": "文件结尾",
    # the parser
    "no policy needs this; name parts of the expression with `let`":
        "政策用不到这么深的嵌套；请用 `let` 给表达式的各部分命名",
    "lunar months run 01 to 12 and lunar days 01 to 30": "农历月份为 01 至 12，农历日为 01 至 30",
    "write hours and minutes, `17:30`": "请写出时和分，如 `17:30`",
    "use `1st` … `5th` or `last`": "请用 `1st` … `5th` 或 `last`",
    "unexpected end of file": "文件意外结束",
    "expression nested more than {limit} levels deep": "表达式嵌套超过 {limit} 层",
    "number `{clip}` is too large": "数字 `{clip}` 过大",
    "numbers in a policy have at most {limit} digits": "政策中的数字最多 {limit} 位",
    "number `{clip}` is written with too many digits": "数字 `{clip}` 写的位数过多",
    "numbers in a policy are written with at most {limit} digits; leave out the leading zeros":
        "政策中的数字最多写 {limit} 位；请去掉开头多余的 0",
    "number `{clip}` has too many decimals": "数字 `{clip}` 的小数位过多",
    "numbers in a policy have at most {limit} digits after the point":
        "政策中的数字小数部分最多 {limit} 位",
    "`{amount} {unit}` is too long a duration": "时长 `{amount} {unit}` 过长",
    "a duration is at most about 100 years: {days} days (or working days), {weeks} weeks or"
    " {hours} hours":
        "时长最多约 100 年：{days} 天（或工作日）、{weeks} 周或 {hours} 小时",
    "`{char}` is not a digit of a number": "`{char}` 不是数字中可用的数位",
    "numbers, dates and times are written with the ASCII digits 0 to 9 (`3`, not `３`)":
        "数字、日期和时刻须用半角数字 0 至 9 书写（写 `3`，不写 `３`）",
    "control character {char} in a string": "字符串中有控制字符 {char}",
    "write a line break as `\\n` and a tab as `\\t`; other control characters are refused":
        "换行请写作 `\\n`，制表符写作 `\\t`；其他控制字符一律不接受",
    "control character {char} in a comment": "注释中有控制字符 {char}",
    "a comment is text of one line; control characters are refused":
        "注释是单行文本；不接受控制字符",
    "a lone surrogate {char} is not a character": "单独的代理码位 {char} 不是字符",
    "a policy is Unicode text; this half of a UTF-16 pair cannot be saved as UTF-8":
        "政策是 Unicode 文本；这半个 UTF-16 代理对无法保存为 UTF-8",
    "a carriage return (U+000D) that does not end a line": "回车符（U+000D）没有用于结束一行",
    "save the file with Unix (LF) or Windows (CRLF) line ends":
        "请以 Unix（LF）或 Windows（CRLF）换行符保存文件",
    "dates are written year-month-day, for example `2019-05-27`":
        "日期按年-月-日书写，如 `2019-05-27`",
    "a day of the year is written month-day, for example `07-01`":
        "一年中的某天按月-日书写，如 `07-01`",
    "`{token}` is not a lunar date": "`{token}` 不是有效的农历日期",
    "`{token}` is not a time of day": "`{token}` 不是有效的时刻",
    "`{text}` is not a week of a month": "`{text}` 不是某月的第几周",
    "`{text}` is misspelt": "`{text}` 拼写有误",
    "write `{number}{expected}`": "请写作 `{number}{expected}`",
    "use month 1, 2 or 3": "请用第 1、2 或 3 个月",
    "use 1 … 31": "请用 1 … 31",
    "use 1 … 12": "请用 1 … 12",
    "only days can be working days": "只有天数可以按工作日计",
    "unterminated string": "字符串没有结束",
    'close it with `"` on the same line': '请在同一行用 `"` 结束它',
    "a policy is text; is this a binary file?": "政策是文本文件；这是二进制文件吗？",
    "unexpected character {char}": "意外的字符 {char}",
    "unexpected end of file: a block is not closed": "文件意外结束：有代码块没有闭合",
    "unexpected `{clip}`": "意外的 `{clip}`",
    "the file is too large ({size:.1f} million characters)": "文件过大（{size:.1f} 百万字符）",
    "a policy file holds at most {limit} million characters; split it and use `import`":
        "政策文件最多 {limit} 百万字符；请拆分文件并用 `import` 引入",
    "`{raw}` is not a number": "`{raw}` 不是数字",
    "`{token}` is not a date": "`{token}` 不是有效日期",
    "`{token}` is not a day of the year": "`{token}` 不是一年中有效的某天",
    "a quarter has no month {month}": "季度没有第 {month} 个月",
    "day `{day}` is not a day of a month": "`{day}` 不是一个月中的某天",
    "month `{month}` of a period is out of range": "期间的第 `{month}` 个月超出范围",
    "`working {c}` is not a duration": "`working {c}` 不是时长",
    "unexpected control character {char}": "意外的控制字符 {char}",
    "the `{{` on line {line} has no matching `}}`": "第 {line} 行的 `{{` 没有对应的 `}}`",
    "brackets nested more than {limit} deep": "括号嵌套超过 {limit} 层",
    'strings may escape only `\\"`, `\\\\`, `\\n` and `\\t`':
        '字符串只能转义 `\\"`、`\\\\`、`\\n` 和 `\\t`',
    "unknown escape `\\{nxt}` in a string": "字符串中有未知的转义 `\\{nxt}`",
    # the loader
    'write it relative to this file, for example `import "lib/festivals.pol"`':
        '请写相对于本文件的路径，如 `import "lib/festivals.pol"`',
    "cannot import `{raw}`: imports are paths relative to the importing file":
        "无法引入 `{raw}`：引入路径应相对于引入它的文件",
    "cannot import `{raw}`: only `.pol` files can be imported":
        "无法引入 `{raw}`：只能引入 `.pol` 文件",
    "cannot find `{raw}`": "找不到 `{raw}`",
    "imports are relative to the importing file, so this looked for `{display_name}`":
        "引入路径相对于引入它的文件，因此查找的是 `{display_name}`",
    "policy files are UTF-8; save the file as UTF-8 or check that it is a policy at all":
        "政策文件须为 UTF-8 编码；请另存为 UTF-8，或确认它确实是政策文件",
    "move the shared definitions into a file that imports neither":
        "请把共用的定义移到一个不引入这两个文件的文件中",
    "there is no standard library `{raw}`": "没有名为 `{raw}` 的标准库",
    "the standard libraries are {known}": "标准库有：{known}",
    "cannot read `{path}`: it is larger than {size}": "无法读取 `{path}`：文件大于 {size}",
    "{count} MB": "{count} MB",
    "{count} bytes": "{count} 字节",
    "not JSON this program reads: nested too deeply": "无法读取的 JSON：嵌套过深",
    "not JSON this program reads: a number has too many digits":
        "无法读取的 JSON：数字位数过多",
    "the library folder `{path}` is not a folder": "库文件夹 `{path}` 不是文件夹",
    "give an existing folder with `--library DIR` or in `{variable}`":
        "请用 `--library DIR` 或在 `{variable}` 中给出已存在的文件夹",
    "imports are chained more than {limit} files deep": "引入链超过 {limit} 层文件",
    "no policy needs this; import the shared files from one place":
        "政策用不到这么长的引入链；请在同一处引入共用文件",
    "cannot import `{raw}`: its path cannot be followed": "无法引入 `{raw}`：无法解析其路径",
    "check the symbolic links on the way to it": "请检查路径上的符号链接",
    "cannot read `{path}`: its path cannot be followed": "无法读取 `{path}`：无法解析其路径",
    "cannot import `{raw}`: it is outside the folder of the policy":
        "无法引入 `{raw}`：它在政策所在文件夹之外",
    "imports stay inside `{folder}` (symbolic links followed) or a library folder given with"
    " `--library DIR` or `{variable}`":
        "引入的文件须位于 `{folder}` 之内（按符号链接的实际位置判断），或位于用 `--library DIR` 或"
        " `{variable}` 给出的库文件夹中",
    "a folder whose .pol files policies may import, besides their own folder (repeatable; also"
    " POLICYRULES_LIBRARY)":
        "政策除本文件夹外还可引入其中 .pol 文件的文件夹（可重复；也可用 POLICYRULES_LIBRARY）",
    "cannot read `{shown}`: {reason}": "无法读取 `{shown}`：{reason}",
    "the file is not UTF-8 text (byte 0x{byte:02x} at offset {start})":
        "文件不是 UTF-8 文本（偏移 {start} 处的字节 0x{byte:02x}）",
    "import cycle: {shown}": "循环引入：{shown}",
    # the checker: definitions
    "from {start}": "自 {start} 起",
    "did you mean `{matches}`?": "是否想写 `{matches}`？",
    "did you mean `{show} >= 1`?": "是否想写 `{show} >= 1`？",
    "`{show}` ({type})": "`{show}`（{type}）",
    "the file defines no policy": "文件中没有定义政策",
    "a policy file holds `policy NAME \"title\" { … }`; files that only define shared things"
    " are imported by one that does":
        "政策文件应包含 `policy NAME \"title\" { … }`；只定义共用内容的文件应由定义了政策的文件引入",
    "a file holds at most one policy": "一个文件最多包含一项政策",
    "put each policy in a file of its own": "请把每项政策放在单独的文件中",
    "policy `{name}`": "政策 `{name}`",
    "obligation `{name}`": "义务 `{name}`",
    "it was first defined at {span}": "首次定义于 {span}",
    "it was first declared at {where}": "首次声明于 {where}",
    "{what} is defined twice": "{what} 重复定义",
    "`{name}` is built in and cannot be declared": "`{name}` 是内置的，不能声明",
    "every unit has an `id`; declare only its other facts":
        "每个单位都有 `id`；只需声明它的其他信息",
    "every event has `id`, `unit`, `kind` and `at`; declare only its other attributes":
        "每个事件都有 `id`、`unit`、`kind` 和 `at`；只需声明它的其他属性",
    "unit fact `{name}` is declared twice": "单位信息 `{name}` 重复声明",
    "attribute `{name}` of `{name2}` is declared twice": "`{name2}` 的属性 `{name}` 重复声明",
    "`counts for {counts_for}` names no attribute of `{name}`":
        "`counts for {counts_for}` 指定的不是 `{name}` 的属性",
    "declare `{counts_for}: list of string` in the block":
        "请在代码块中声明 `{counts_for}: list of string`",
    "`counts for {counts_for}` needs a list of unit ids": "`counts for {counts_for}` 需要单位编号列表",
    "declare `{counts_for}: list of string`": "请声明 `{counts_for}: list of string`",
    "a value is listed twice in `one of`": "`one of` 中有值重复列出",
    "`from area` needs to know which units lie under which": "`from area` 需要知道单位之间的隶属关系",
    "declare the unit fact `parent: string` (the unit each one reports to)":
        "请声明单位信息 `parent: string`（各单位的上级单位）",
    # bands
    "band `{name}` has no rows": "档位表 `{name}` 没有任何行",
    "add rows such as `..20 => 10% round up` and `21.. => 3`":
        "请添加行，如 `..20 => 10% round up` 和 `21.. => 3`",
    "band row `{low}..{high}` is empty": "档位行 `{low}..{high}` 为空",
    "write the smaller number first": "请先写较小的数",
    "band row gives `{percent}%` without saying how to round":
        "档位行给出 `{percent}%`，但没有说明如何取整",
    "a head count is whole: add `round up`, `round down` or `round nearest`":
        "人数必须是整数：请加上 `round up`、`round down` 或 `round nearest`",
    "band row asks for more than 100% ({percent}%)": "档位行要求超过 100%（{percent}%）",
    "band `{name}` does not cover values below {low}": "档位表 `{name}` 没有覆盖小于 {low} 的值",
    "start the first row at `..{value}` or add a row `..{low}`":
        "请让第一行从 `..{value}` 开始，或添加一行 `..{low}`",
    "band rows overlap: `{first}` and `{second}` both cover {covered}":
        "档位行重叠：`{first}` 和 `{second}` 都覆盖 {covered}",
    "each value must fall in exactly one row": "每个值必须恰好落在一行中",
    "band `{name}` has a gap: no row covers {gap}": "档位表 `{name}` 有空缺：没有行覆盖 {gap}",
    "start this row at `{prev_high}` or add a row `{gap}`":
        "请让这一行从 `{prev_high}` 开始，或添加一行 `{gap}`",
    "start this row at `{prev_high}`": "请让这一行从 `{prev_high}` 开始",
    "band `{name}` does not cover values above {high}": "档位表 `{name}` 没有覆盖大于 {high} 的值",
    "make the last row open-ended: `{value}..`": "请让最后一行不设上限：`{value}..`",
    # festivals and sets
    "a festival on a weekday needs its month": "按星期确定的节日需要指定月份",
    "write for example `3rd sunday of may`": "例如写作 `3rd sunday of may`",
    "a festival can be shifted only by whole calendar days": "节日只能按整日历天平移",
    "write for example `1 day before lunar 01-01`": "例如写作 `1 day before lunar 01-01`",
    "`{name}` is not a solar term": "`{name}` 不是节气",
    "the 24 solar terms are 小寒, 大寒, 立春 … 冬至": "二十四节气为 小寒、大寒、立春 … 冬至",
    "set `{name}` lists a member twice": "集合 `{name}` 中有成员重复列出",
    "`{id}` in set `{name}` is not a festival": "集合 `{name}` 中的 `{id}` 不是节日",
    "a set lists strings in quotes, or festivals by name": "集合列出带引号的字符串，或按名称列出节日",
    "set `{name}` mixes kinds of members": "集合 `{name}` 混用了不同种类的成员",
    "a set lists strings in quotes, or festivals by name, not both":
        "集合列出带引号的字符串或按名称列出节日，不能两者混用",
    "`let` refers to itself: {chain}": "`let` 引用了自身：{chain}",
    "a `let` may use other lets, but not in a circle": "`let` 可以引用其他 let，但不能循环引用",
    # the policy and its obligations
    "`{keyword}` is given twice": "`{keyword}` 出现了两次",
    "the first is at {span}": "第一次出现在 {span}",
    "policy `{name}` has no effective window": "政策 `{name}` 没有有效期",
    "add for example `effective 2019-05-22 .. 2019-12-31` (or `effective 2020-01-01 ..` when"
    " it has no end)":
        "例如添加 `effective 2019-05-22 .. 2019-12-31`（没有结束日期时写 `effective 2020-01-01 ..`）",
    "the policy is issued after its effective window ends": "政策的发布日期晚于其有效期结束",
    "unknown time zone `{name}`": "未知的时区 `{name}`",
    "use an IANA name such as `Asia/Shanghai`": "请使用 IANA 名称，如 `Asia/Shanghai`",
    "the window ends ({end}) before it starts ({start})": "有效期的结束（{end}）早于开始（{start}）",
    "write the start first: `effective START .. END`": "请先写开始日期：`effective START .. END`",
    "obligation `{name}` has two schedules": "义务 `{name}` 有两个周期",
    "an obligation has one schedule; the first is at {span}. Split it into two obligations":
        "一项义务只有一个周期；第一个在 {span}。请拆分为两项义务",
    "`{keyword}` is given twice in obligation `{name}`": "义务 `{name}` 中 `{keyword}` 出现了两次",
    "`let {name}` is given twice": "`let {name}` 出现了两次",
    "`let {name}` hides the definition of the same name": "`let {name}` 遮蔽了同名的定义",
    "choose another name": "请换一个名称",
    "`let {name}` is hidden by the attribute `{name}` of `{kind}`":
        "`let {name}` 被 `{kind}` 的属性 `{name}` 遮蔽",
    "where an event is in view its attributes come before `let`s (docs/language.md, bare names): choose another name":
        "在能看到事件的位置，事件的属性优先于 `let`（见 docs/language.md 的“裸名称”一节）：请换一个名称",
    "obligation `{name}` has no schedule": "义务 `{name}` 没有周期",
    "say when it applies: `once`, `every month`, `each 07-01 ± 15 days` or `for each activity`":
        "请说明何时适用：`once`、`every month`、`each 07-01 ± 15 days` 或 `for each activity`",
    "obligation `{name}` requires nothing": "义务 `{name}` 没有任何要求",
    "add what must hold, for example `require count(activity) >= 1`":
        "请写明必须满足的条件，如 `require count(activity) >= 1`",
    "obligation `{name}` runs outside the policy's effective window": "义务 `{name}` 超出了政策的有效期",
    "the policy is effective {window_text}": "政策有效期：{window_text}",
    "`partial periods` applies only to `every …` schedules": "`partial periods` 只适用于 `every …` 周期",
    "other schedules have no periods cut by the window": "其他周期不存在被有效期截断的期间",
    "a warning horizon in working hours is not supported": "不支持以工作小时计的预警期",
    "obligation `{name}` has no end and no deadline, so it can never be overdue":
        "义务 `{name}` 既没有结束日期也没有截止时间，因此永远不会逾期",
    "give it a deadline (`due 2019-05-27`) or an end (`effective START .. END`)":
        "请给出截止时间（`due 2019-05-27`）或结束日期（`effective START .. END`）",
    "the scope": "适用范围",
    "a requirement": "要求",
    "the condition": "条件",
    "a `where`": "`where` 条件",
    "the condition of `{kind}`": "`{kind}` 的条件",
    "the operand of `not`": "`not` 的操作数",
    "each side of `{op}`": "`{op}` 的两边",
    # supersession
    "no imported policy is called `{policy}`": "引入的文件中没有名为 `{policy}` 的政策",
    "import the file of the policy this one supersedes": "请引入本政策所取代的政策的文件",
    "policy `{policy}` has no obligation `{obligation}`": "政策 `{policy}` 没有义务 `{obligation}`",
    "`{policy}.{obligation}` does not say it may be superseded":
        "`{policy}.{obligation}` 没有说明可被取代",
    "the notice it comes from did not say \"unless notified otherwise\"; check that superseding"
    " it is intended":
        "其来源通知没有写“另行通知的除外”；请确认确实要取代它",
    "an obligation cannot supersede one of its own policy": "义务不能取代本政策中的义务",
    "remove the obligation it replaces instead": "请改为删除被替代的义务",
    # deadlines
    "a per-event obligation has no period to end": "按事件的义务没有期间结束可言",
    "count from the event: `due 2 working days after trigger`":
        "请从事件起算：`due 2 working days after trigger`",
    "a per-event deadline counted from the period, not the event": "按事件的截止时间从期间而不是事件起算",
    "did you mean `… after trigger`?": "是否想写 `… after trigger`？",
    "`trigger` is known only in `for each …` obligations": "`trigger` 只能用于 `for each …` 义务",
    "count from the period instead: `… after period end`": "请改为从期间起算：`… after period end`",
    "the deadline {date} is before the obligation's window starts ({start})":
        "截止时间 {date} 早于义务有效期的开始（{start}）",
    "a deadline must leave time to meet it: check the date or the window":
        "截止时间必须留出完成的时间：请检查日期或有效期",
    "a fixed date is the deadline of every period": "固定日期会成为每个期间的截止时间",
    "for a deadline in each period use for example `due day 25 of last month` or `due 03-20`":
        "要在每个期间各设截止时间，可写 `due day 25 of last month` 或 `due 03-20`",
    "use `every year`, or give a full date such as `due 2019-05-27`":
        "请用 `every year`，或给出完整日期，如 `due 2019-05-27`",
    "in {year} the deadline {first} falls before the window starts ({start})":
        "{year} 年的截止时间 {first} 早于有效期的开始（{start}）",
    "that year cannot be met in time; start the obligation later (`effective {year}-01-01 ..`)"
    " if the notice means the next year":
        "该年无法按时完成；如通知指的是下一年，请推迟义务的开始（`effective {year}-01-01 ..`）",
    "a day of the period's month needs a monthly, quarterly or yearly schedule":
        "期间内某月的某天需要按月、按季度或按年的周期",
    "use `every month`, `every quarter`, `every half year` or `every year`":
        "请用 `every month`、`every quarter`、`every half year` 或 `every year`",
    "a {unit} has no month {month}": "{unit}没有第 {month} 个月",
    "use a month from 1 to {months}": "请用第 1 至 {months} 个月",
    "day {day} does not exist in every month": "并非每个月都有 {day} 日",
    "in shorter months the deadline is the month's last day": "在较短的月份，截止时间为该月最后一天",
    # windows and groups
    "a {unit} does not fit in a {schedule}": "{unit}比{schedule}长，无法按它分组",
    "group by a period shorter than the schedule's (`every {unit}`)":
        "请按比周期（`every {unit}`）更短的期间分组",
    "the window cannot hold this: {lower} needed, but at most {upper} per {unit} fit in the"
    " {groups} {unit}{plural} of {total}":
        "有效期内无法满足：需要 {lower}，但 {total} 在有效期内的 {groups} 个期间（按{unit}）每期最多"
        " {upper}",
    "say `partial periods prorate` or `skip`, or give the partial period its own obligation"
    " with its own target":
        "请写明 `partial periods prorate` 或 `skip`，或为不完整的期间另设一项义务和目标",
    "{total} is only partly inside the window ({held_months} of {months} months); the full"
    " target of {lower} applies to it":
        "{total} 只有部分在有效期内（{months} 个月中的 {held_months} 个月）；仍适用完整目标 {lower}",
    "targets are not pro-rated unless the policy says so: confirm with `partial periods"
    " count`, or say `prorate` or `skip`":
        "除非政策写明，目标不按比例折算：请用 `partial periods count` 确认，或写 `prorate` 或 `skip`",
    # names and types
    "unknown event kind `{name}`": "未知的事件类型 `{name}`",
    "declare it: `event {name} {{ … }}`": "请声明它：`event {name} {{ … }}`",
    "`due {day}` needs a yearly schedule": "`due {day}` 需要按年的周期",
    "{what} must be true or false, but this is {type}": "{what}必须为真或假，但这里是{type}",
    "`{name}` is {type}, not a festival": "`{name}` 是{type}，不是节日",
    "declare it `{name}: festival` to match dates against it":
        "请声明为 `{name}: festival`，以便按它匹配日期",
    "set `{name}` lists strings, not festivals": "集合 `{name}` 列出的是字符串，不是节日",
    "a calendar pattern needs festivals": "日历模式需要节日",
    "unknown festival `{name}`": "未知的节日 `{name}`",
    "define it: `festival {name} = 07-01`": "请定义它：`festival {name} = 07-01`",
    "define it: `festival NAME = MM-DD`, or import \"std:festivals\"":
        "请定义它：`festival NAME = MM-DD`，或引入 \"std:festivals\"",
    "`±` takes days or weeks": "`±` 只能用天或周",
    "write `± 3 days`": "请写作 `± 3 days`",
    "a list mixes {type} and {type2}": "列表混用了{type}和{type2}",
    "unknown band `{band}`": "未知的档位表 `{band}`",
    "define it: `band NAME { … }`": "请定义它：`band NAME { … }`",
    "band `{band}` needs a number, not {type}": "档位表 `{band}` 需要数值，而不是{type}",
    "pass a unit fact such as `unit.staff`": "请传入单位信息，如 `unit.staff`",
    "`{kind}` needs a list, not {type}": "`{kind}` 需要列表，而不是{type}",
    "`% of` needs a number, not {type}": "`% of` 需要数值，而不是{type}",
    "cannot negate {type}": "不能对{type}取负",
    "`on` needs a date, not {type}": "`on` 需要日期，而不是{type}",
    "use the event's time: `at on 2nd saturday`": "请用事件的时间：`at on 2nd saturday`",
    "`during` needs a date and time, not {type}": "`during` 需要日期时间，而不是{type}",
    "a date has no time of day": "日期没有时刻",
    "use a date and time such as the event's `at`": "请使用日期时间，如事件的 `at`",
    "`is set` applies to an attribute": "`is set` 只适用于属性",
    "write for example `festival is set`": "例如写作 `festival is set`",
    "festival `{name}` is a day of the calendar, not a value": "节日 `{name}` 是日历上的日子，不是值",
    "match a date against it: `at on {name} ± 3 days`": "请用它匹配日期：`at on {name} ± 3 days`",
    "`{name}` is an event kind, not a value": "`{name}` 是事件类型，不是值",
    "count its events: `count({name})`": "请统计它的事件：`count({name})`",
    "the triggering event's attribute is `trigger.{name}`": "触发事件的属性写作 `trigger.{name}`",
    "use it inside `where`, for example `count({owners} where {name} …)`":
        "请在 `where` 中使用，如 `count({owners} where {name} …)`",
    "`{name}` is an attribute of `{owners}`, not known here": "`{name}` 是 `{owners}` 的属性，此处不可用",
    "`{name}` is not an attribute of `{name2}`": "`{name}` 不是 `{name2}` 的属性",
    "`{field}` is not an attribute of `{name}`": "`{field}` 不是 `{name}` 的属性",
    "unknown name `{name}`": "未知的名称 `{name}`",
    "the unit's fact is `unit.{name}`": "单位信息写作 `unit.{name}`",
    "`subject` is known only in per-person obligations": "`subject` 只能用于按人员的义务",
    "add `for each person of registration` to the obligation":
        "请在义务中加上 `for each person of registration`",
    "`subject` is a value and has no attributes": "`subject` 是值，没有属性",
    "`trigger` is an event; use one of its attributes": "`trigger` 是事件；请使用它的某个属性",
    "for example `trigger.id` or `trigger.at`": "例如 `trigger.id` 或 `trigger.at`",
    "`unit` is a record; use one of its facts": "`unit` 是记录；请使用它的某项信息",
    "for example `unit.staff` or `unit.id`": "例如 `unit.staff` 或 `unit.id`",
    "`window` is a period; use `window.start`, `window.end` or `window.label`":
        "`window` 是期间；请用 `window.start`、`window.end` 或 `window.label`",
    "`.{name}`: only `unit`, `trigger` and `window` have attributes":
        "`.{name}`：只有 `unit`、`trigger` 和 `window` 有属性",
    "the trigger is being chosen here, so it has no attributes yet": "此处正在选择触发事件，它还没有属性",
    "in `for each … where`, name the event's attributes bare: `{name}`":
        "在 `for each … where` 中直接写事件的属性名：`{name}`",
    "add for example `for each activity`": "例如加上 `for each activity`",
    "unit fact": "单位信息",
    "attribute of `{name}`": "`{name}` 的属性",
    "attribute of `window`": "`window` 的属性",
    "declare it: `units {{ {name}: int }}`": "请声明它：`units {{ {name}: int }}`",
    "unknown {what} `{name}`": "{what} `{name}` 不存在",
    "`{function}` takes one argument, not {count}": "`{function}` 只接受一个参数，而不是 {count} 个",
    "`len` needs a list, not {type}": "`len` 需要列表，而不是{type}",
    "`lower` needs a string, not {type}": "`lower` 需要字符串，而不是{type}",
    "a percentage cannot be used with `{op}`": "百分比不能与 `{op}` 一起使用",
    "compare a ratio with it, or take a share: `10% of unit.staff`":
        "请用比值与它比较，或取其份额：`10% of unit.staff`",
    "`{op}` needs numbers, not {type}": "`{op}` 需要数值，而不是{type}",
    "`{op}` cannot order {type}": "`{op}` 不能比较{type}的大小",
    "use `==` or `!=`": "请用 `==` 或 `!=`",
    "`{value}` is not a festival": "`{value}` 不是节日",
    "a percentage where {needed} is needed": "此处需要{needed}，却给了百分比",
    "compare with a share of something: `{pct} of unit.staff`, or divide two counts to get a"
    " ratio":
        "请与某个量的份额比较：`{pct} of unit.staff`，或用两个计数相除得到比值",
    "cannot compare {named} with {named2}": "无法比较{named}与{named2}",
    "lists are not compared whole: test a member with `in`, or use `all(…)`/`any(…)`":
        "列表不能整体比较：请用 `in` 检查成员，或用 `all(…)`/`any(…)`",
    "numbers are written without quotes, strings with them": "数字不加引号，字符串要加引号",
    "use the attribute alone (`risky`) or `not risky`": "请直接写属性（`risky`）或 `not risky`",
    "dates are written year-month-day without quotes: `2019-05-27`":
        "日期按年-月-日书写，不加引号：`2019-05-27`",
    "cannot compare groups with groups": "不能把分组与分组比较",
    "compare each group with a number: `count(activity) per month >= 1`":
        "请把每组与一个数比较：`count(activity) per month >= 1`",
    "`{value}` is not one of the declared values": "`{value}` 不是声明的取值之一",
    "the values are {values}": "取值为 {values}",
    "`in` needs a list on its right, not {type}": "`in` 右边需要列表，而不是{type}",
    "write a list `[\"a\", \"b\"]` or a set's name": "请写列表 `[\"a\", \"b\"]` 或集合名",
    "`in` tests one value, not {type}": "`in` 检查单个值，而不是{type}",
    "to test members of a list use `any(x in list: x in …)`":
        "要检查列表的成员，请用 `any(x in list: x in …)`",
    "`in` looks for {type} in {type2}": "`in` 在{type2}中查找{type}",
    # aggregates
    "`{function}` cannot combine groups": "`{function}` 不能合并分组",
    "use `avg`, `min`, `max`, `sum` or `count` over groups": "请对分组使用 `avg`、`min`、`max`、`sum` 或 `count`",
    "`{function}` needs events, `{kind}` is a set": "`{function}` 需要事件，`{kind}` 是集合",
    "use `count({kind})` for its size": "请用 `count({kind})` 求它的大小",
    "`{kind}` is not a set": "`{kind}` 不是集合",
    "declare it in `event {name} {{ … }}`": "请在 `event {name} {{ … }}` 中声明它",
    "`distinct` goes with `count`, not `{function}`":
        "`distinct` 只能与 `count` 连用，不能与 `{function}` 连用",
    "write `count(distinct {field} of {kind})`": "请写作 `count(distinct {field} of {kind})`",
    "`count` counts events or distinct values": "`count` 统计事件或不同值的个数",
    "write `count(distinct {field} of {kind})` or `count({kind} where {field} is set)`":
        "请写作 `count(distinct {field} of {kind})` 或 `count({kind} where {field} is set)`",
    "`exists` takes events, not an attribute": "`exists` 接受事件，而不是属性",
    "write `exists({kind} where …)`": "请写作 `exists({kind} where …)`",
    "`{function}` needs an attribute to combine": "`{function}` 需要一个用于汇总的属性",
    "write for example `{function}(hours of {kind})`": "例如写作 `{function}(hours of {kind})`",
    "`{function}` needs a number, but `{field}` is {type}": "`{function}` 需要数值，但 `{field}` 是{type}",
    "`per {field} in …` needs {type}": "`per {field} in …` 需要{type}",
    # `lint`, `fmt` and `test` for editors and CI (docs/editors.md)
    "no policy files (*.pol) under `{folder}`": "`{folder}` 下没有政策文件（*.pol）",
    "name the files, or a folder that holds `.pol` files": "请给出文件名，或包含 `.pol` 文件的文件夹",
    "no scenario matches `-k {pattern}`": "没有与 `-k {pattern}` 匹配的测试场景",
    "policy files, folders (every .pol under them) or - (standard input)":
        "政策文件、文件夹（其下所有 .pol 文件）或 -（标准输入）",
    "policy files, folders (every .pol under them) or - (standard input, formatted to standard output)":
        "政策文件、文件夹（其下所有 .pol 文件）或 -（读标准输入，格式化结果写到标准输出）",
    "text for people (default), json, or sarif (SARIF 2.1.0) for CI":
        "text 供人阅读（默认），json 或 sarif（SARIF 2.1.0）供持续集成使用",
    "only scenarios whose file or name contains PATTERN (any case)":
        "只运行文件名或场景名包含 PATTERN 的场景（不区分大小写）",
    "list every expectation, passed ones too": "列出每一项预期，包括已通过的",
    "text for people (default), junit (JUnit XML) or json for CI":
        "text 供人阅读（默认），junit（JUnit XML）或 json 供持续集成使用",
    # the language server (policyrules.lsp): hovers, diagnostics of imports, quick fixes
    "the language server needs the optional extra: pip install 'policyrules[lsp]'":
        "语言服务器需要可选组件：pip install 'policyrules[lsp]'",
    "the language server editors start (needs the extra `lsp`)": "供编辑器启动的语言服务器（需要可选组件 `lsp`）",
    "talk over standard input and output (the default and only way)": "通过标准输入和标准输出通信（默认且唯一的方式）",
    "`{path}` has problems: {first}": "`{path}` 有问题：{first}",
    "{count} in all, the first at {where}; fix them there": "共 {count} 个，第一个在 {where}；请在那里修改",
    "replace with `{text}`": "改为 `{text}`",
    "file `{name}`: {count} definitions": "文件 `{name}`：{count} 个定义",
    "refs {refs}; cites {cites}; {severity}": "编号 {refs}；依据 {cites}；{severity}",
    "schedule: {schedule}": "周期：{schedule}",
    "deadline: {due}": "截止时间：{due}",
    "instances: {instances}": "期次：{instances}",
    "every {unit}": "每{unit}",
    "every {unit}, on `{pattern}`": "每{unit}，在 `{pattern}`",
    "once, over the effective window": "整个有效期一次",
    "once for each `{pattern}`": "每个 `{pattern}` 一次",
    "once for each `{kind}`": "每个 `{kind}` 事件一次",
    "once for each `{kind}` where `{condition}`": "每个满足 `{condition}` 的 `{kind}` 事件一次",
    "{schedule}, per `{field}` of `{kind}`": "{schedule}，按 `{kind}` 的 `{field}` 分别计",
    "no schedule": "没有周期",
    "at the end of each period": "每期结束时",
    "{label} (due {due})": "{label}（截止 {due}）",
    "{listed} … {count} in all": "{listed} … 共 {count} 期",
    "band `{name}`: the least required, by the value's row": "档位表 `{name}`：按数值所在的行给出最低要求",
    "no effective window to list dates in": "没有有效期，无法列出日期",
    "no date from {start} to {end}": "{start} 至 {end} 之间没有日期",
    "dates from {start}: {dates}": "自 {start} 起的日期：{dates}",
    "unit fact `unit.{name}`: {type}": "单位信息 `unit.{name}`：{type}",
    "attribute `{name}` of event `{kind}`: {type}": "事件 `{kind}` 的属性 `{name}`：{type}",
    "event kind `{name}`: {fields}": "事件类型 `{name}`：{fields}",
}

#: reading events and units (policyrules.data): rows, values, files
INPUTS: dict[str, str] = {
    # values (policyrules.data.values)
    "out of range": "超出范围",
    "not valid Unicode text (a lone surrogate)": "不是有效的 Unicode 文本（含单独的代理字符）",
    "`at`: `{when}` is out of range": "`at`：`{when}` 超出范围",
    "`{name}` is blank": "`{name}` 为空白",
    "`{name}`: not a string": "`{name}`：不是字符串",
    "`{name}`: not a string (got `{got}`)": "`{name}`：不是字符串（实际为 `{got}`）",
    "`{name}`: not valid Unicode text (a lone surrogate)":
        "`{name}`：不是有效的 Unicode 文本（含单独的代理字符）",
    "`{name}`: spaces around the text (got `{got}`)": "`{name}`：文本前后有空格（实际为 `{got}`）",
    "a field name must be text (got `{key}`)": "字段名必须是文本（实际为 `{key}`）",
    # rows of files (policyrules.data.rows, csvrows, jsonarray)
    "unknown data format `{suffix}` (use .jsonl, .csv or .parquet)":
        "未知的数据格式 `{suffix}`（请用 .jsonl、.csv 或 .parquet）",
    "{path}: not a readable gzip file ({problem})": "{path}：不是可读取的 gzip 文件（{problem}）",
    "{path}: not a readable Parquet file ({problem})":
        "{path}：不是可读取的 Parquet 文件（{problem}）",
    "not UTF-8 text (byte {offset} of the line is `{byte}`)":
        "不是 UTF-8 文本（该行第 {offset} 个字节为 `{byte}`）",
    "not JSON: `{value}` is not a JSON value (write a number, or leave the field out)":
        "不是 JSON：`{value}` 不是 JSON 值（请写数值，或省略该字段）",
    "not JSON: a number with too many digits": "不是 JSON：数字位数过多",
    "not JSON: nested too deeply": "不是 JSON：嵌套层数过多",
    "nested too deeply": "嵌套层数过多",
    "duplicate key `{key}`": "键 `{key}` 重复",
    "{path}:{line}: not UTF-8 text": "{path}:{line}：不是 UTF-8 文本",
    "{path}:{line}:{column}: not JSON: {problem}; a JSON array is read only whole (or write"
    " one object a line: JSON Lines)":
        "{path}:{line}:{column}：不是 JSON：{problem}；JSON 数组必须整体有效（或改为每行一个对象的"
        " JSON Lines）",
    "{path}: the header row cannot be read: {problem}": "{path}：无法读取表头行：{problem}",
    "{path}: the header names `{column}` twice": "{path}：表头中 `{column}` 出现了两次",
    "{path}: the first row is not a header (it has no {columns} column): `{row}`; a CSV file"
    " starts with a header row":
        "{path}：第一行不是表头（没有 {columns} 列）：`{row}`；CSV 文件须以表头行开始",
    "a cell longer than {limit} characters": "单元格超过 {limit} 个字符",
    "a line longer than {limit} bytes": "该行超过 {limit} 个字节",
    "{path}: a device, not a file": "{path}：这是设备，不是文件",
    "a quote that is never closed (reading goes on at the next line)":
        "引号没有闭合（从下一行继续读取）",
    "text after a closing quote (quote the whole cell, and double the quotes inside it)":
        "闭合引号后还有文本（请用引号括起整个单元格，并把其中的引号写两遍）",
    "a quote inside a cell that is not quoted (quote the cell, and double the quote:"
    " `\"5\"\"\"`)":
        "未加引号的单元格中有引号（请用引号括起该单元格，并把其中的引号写两遍：`\"5\"\"\"`）",
    "a NUL character": "含有 NUL 字符",
    "a line break inside a cell that is not quoted": "未加引号的单元格中有换行",
    "not a CSV row: {problem}": "不是 CSV 行：{problem}",
    # events and units (policyrules.data.events, units, kinds)
    "duplicate event id `{id}` (the first is {source}:{line})":
        "事件编号 `{id}` 重复（第一个在 {source}:{line}）",
    "line {line}": "第 {line} 行",
    "a second row for unit `{unit}` without `valid_from` (the first is {where}); give each row"
    " the day its facts start to hold":
        "单位 `{unit}` 的第二行没有 `valid_from`（首行为{where}）；请为每一行写明其信息开始生效的日期",
    "a second row for unit `{unit}` from {day} (the first is {where})":
        "单位 `{unit}` 的第二行同样自 {day} 起生效（首行为{where}）",
    "kinds no obligation reads: {kinds}": "没有义务读取的事件类型：{kinds}",
    "`{kind}` ({rows} row{s})": "`{kind}`（{rows} 行）",
    "`{kind}` ({rows} row{s}, not declared)": "`{kind}`（{rows} 行，未声明）",
    "`{kind}` ({rows} row{s}, not declared; did you mean `{close}`?)":
        "`{kind}`（{rows} 行，未声明；是否想写 `{close}`？）",
    # filters: --unit, --obligation, --status and Report.filter
    "no {what} `{name}`": "没有{what} `{name}`",
    # `policyrules check`: the summary, --strict, a report that stopped part way
    "units: {rows} rows, {accepted} accepted, {rejected} rejected; {units} unit{s}":
        "单位：{rows} 行，接受 {accepted}，拒绝 {rejected}；共 {units} 个单位",
    "{count} row{s} rejected": "拒绝了 {count} 行",
    "events of kinds the policy does not declare: {kinds}": "有事件属于政策未声明的类型：{kinds}",
    "--strict: {problems}": "--strict：{problems}",
    "the report stopped part way, so what was written is not a whole document: {error}":
        "报告中途停止，已写出的内容不是完整的文档：{error}",
    "the standard input (`-`) can be read only once": "标准输入（`-`）只能读取一次",
    # the command line's help
    "events as .jsonl, .json, .csv (or .parquet with the extra), optionally .gz; `-` reads the"
    " standard input; repeat it to read several files in order":
        "事件文件：.jsonl、.json、.csv（安装可选组件后也可用 .parquet），可为 .gz 压缩；`-` 表示标准输入；"
        "可重复给出以按顺序读取多个文件",
    "units as .jsonl, .json or .csv (repeatable)": "单位文件：.jsonl、.json 或 .csv（可重复给出）",
    "read every --events input as jsonl, json, csv or parquet, whatever its name (the standard"
    " input is jsonl otherwise)":
        "不论文件名如何，都按 jsonl、json、csv 或 parquet 读取每个 --events 输入（否则标准输入按 jsonl 读取）",
    "read every --units input as jsonl, json, csv or parquet":
        "按 jsonl、json、csv 或 parquet 读取每个 --units 输入",
    "write the report (any format) to this file instead of stdout":
        "把报告（任意格式）写入该文件，而不是标准输出",
    "only this unit's results (repeatable)": "只显示该单位的结果（可重复给出）",
    "only this obligation's results (repeatable)": "只显示该义务的结果（可重复给出）",
    "only results with this status: met, late, overdue, at_risk, pending, indeterminate, or"
    " not-met for all but met (repeatable, or comma-separated)":
        "只显示该状态的结果：met、late、overdue、at_risk、pending、indeterminate，或 not-met"
        "（除 met 外的全部）（可重复给出，或用逗号分隔）",
    "fail (exit 2) when any input row is rejected or an event's kind is not declared":
        "有任何输入行被拒绝，或有事件的类型未声明时失败（退出码 2）",
    "the unit to explain (repeatable)": "要说明的单位（可重复给出）",
    "the units file that describes --unit (repeatable)": "描述 --unit 的单位文件（可重复给出）",
    "only this obligation (repeatable)": "只列出该义务（可重复给出）",
}

#: the columnar engine and its options
ENGINE: dict[str, str] = {
    "how to print the results (default: table; parquet needs -o FILE; summary: who is behind"
    " and on what, in a page; summary-md: the same in Markdown)":
        "结果的输出格式（默认：table；parquet 须用 -o FILE 指定文件；summary：一页纸列出哪些单位"
        "在哪些义务上未完成；summary-md：同上，Markdown 格式）",
    "duckdb: the columnar engine, reading files itself (the default for files); python: the"
    " reference engine (the default for the standard input and --plot). The reports are the"
    " same":
        "duckdb：列式引擎，自行读取文件（读取文件时的默认值）；python：参考引擎（读取标准输入和"
        "使用 --plot 时的默认值）。两者的报告相同",
    "processes to evaluate units in (the python engine; duckdb: threads), 0 for one per core"
    " (default: one per core for json and csv, 1 otherwise; the results are the same with any"
    " number)":
        "评估单位所用的进程数（python 引擎；duckdb 为线程数），0 表示每个核心一个（默认：json 和"
        " csv 每个核心一个，其他格式 1 个；数量不影响结果）",
    "--format parquet is written by the columnar engine: use --engine duckdb (the default for"
    " files)":
        "--format parquet 由列式引擎写出：请用 --engine duckdb（读取文件时的默认值）",
    "the duckdb engine's memory, beyond which it works on disk (e.g. 1.5GB, 800MB; default:"
    " most of the machine's)":
        "duckdb 引擎可用的内存，超出部分在磁盘上处理（如 1.5GB、800MB；默认：本机内存的大部分）",
    "--memory-limit is the columnar engine's: use --engine duckdb (the default for files)":
        "--memory-limit 属于列式引擎：请用 --engine duckdb（读取文件时的默认值）",
    "--memory-limit `{size}` is not a size: write a number and a unit, such as 800MB or 1.5GB":
        "--memory-limit `{size}` 不是大小：请写数字和单位，如 800MB 或 1.5GB",
    "the columnar engine ran out of memory (--memory-limit {limit}): give it more, or leave"
    " the flag out":
        "列式引擎内存不足（--memory-limit {limit}）：请调高，或去掉该选项",
    "Spark ran out of memory: give its driver more, e.g. --spark-conf spark.driver.memory=6g":
        "Spark 内存不足：请给驱动程序更多内存，如 --spark-conf spark.driver.memory=6g",
    "the columnar engine ran out of the machine's memory":
        "列式引擎用尽了本机内存",
    "--plot draws from the reference engine: use --engine python":
        "--plot 依据参考引擎绘图：请用 --engine python",
    "the columnar engine cannot compile {rules} yet; the reference engine evaluated these"
    " rules":
        "列式引擎暂不能编译 {rules}；这些规则由参考引擎评估",
    "rules": "条规则",
    "--format parquet writes a file: give it with -o FILE": "--format parquet 写入文件：请用 -o FILE 指定",
    # the Spark engine (policyrules.engine.spark)
    "duckdb: the columnar engine, reading files itself (the default for files); python: the"
    " reference engine (the default for the standard input and --plot); spark: the columnar"
    " engine's plan run by Apache Spark (the extra `spark`). The reports are the same":
        "duckdb：列式引擎，自行读取文件（读取文件时的默认值）；python：参考引擎（读取标准输入和"
        "使用 --plot 时的默认值）；spark：由 Apache Spark 运行列式引擎的查询计划（需安装扩展"
        " `spark`）。三者的报告相同",
    "the Spark master for --engine spark (default: local[*], this machine's cores)":
        "--engine spark 使用的 Spark master（默认：local[*]，即本机的全部核心）",
    "a Spark setting for --engine spark (repeatable), such as spark.executor.memory=4g":
        "--engine spark 的一项 Spark 设置（可重复），例如 spark.executor.memory=4g",
    "--spark-master and --spark-conf are for --engine spark":
        "--spark-master 和 --spark-conf 仅用于 --engine spark",
    "--spark-conf `{text}` is not KEY=VALUE (for example --spark-conf spark.executor.memory=4g)":
        "--spark-conf `{text}` 不是 KEY=VALUE 的形式（例如 --spark-conf spark.executor.memory=4g）",
    "--engine spark needs PySpark: pip install 'policyrules[spark]'":
        "--engine spark 需要 PySpark：pip install 'policyrules[spark]'",
    "--engine spark needs a Java runtime (17 or later): none is on the PATH and JAVA_HOME is"
    " not set":
        "--engine spark 需要 Java 运行环境（17 或更新版本）：PATH 中没有 java，也未设置 JAVA_HOME",
    "no engine `{name}`; the engines are {names}": "没有引擎 `{name}`；可用的引擎为 {names}",
    "Spark did not start with the master `{master}`: {problem}":
        "Spark 无法以 master `{master}` 启动：{problem}",
    # events read by Spark where they lie (policyrules.engine.spark.ingest)
    "the standard input (`-`) cannot be read with inputs Spark reads (`{path}`)":
        "标准输入（`-`）不能与由 Spark 读取的输入（`{path}`）一同读取",
    "`{path}`: no such file or directory (where Spark looks)":
        "`{path}`：没有这个文件或目录（在 Spark 查找之处）",
    "`{path}`: no files there (names that start with `_` or `.` are skipped, as Spark skips"
    " them)":
        "`{path}`：其中没有文件（以 `_` 或 `.` 开头的文件名被跳过，与 Spark 的做法相同）",
    "the Spark executors cannot import policyrules: install it on every node, or give"
    " spark-submit a wheel with --py-files (see docs/scaling.md)":
        "Spark 的执行器无法导入 policyrules：请在每个节点上安装它，或用 --py-files 把 wheel"
        " 交给 spark-submit（见 docs/scaling.md）",
}
