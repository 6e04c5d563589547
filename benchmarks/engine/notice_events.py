"""The events of the notices benchmark (generate.py's `notices`): streams of SQL, one per
thing a unit does for the five notices, each a view over `range(n)` whose every value is a
hash of the row's number and a salt.

A stream draws its units from an audience (notice_city.AUDIENCES): from `pool`, where active
units come up more often, or from `plain`, one slot per unit (and per period: the quarterly
说明报告, the weekly 活动情况表), a share of the slots filled. Follow-ups (a summary after an
activity, the insurance before a risky one, the publication before a campaign activity, the
minutes after a meeting, the materials after a festival activity) are views over the view of
what they follow, so they name its id and know its time without storing anything.

Event ids are `e` and a global row number: each stream owns a range of them, so a follow-up
that skips a row leaves a gap, as exports do. The file holds the rows in that order, stream
after stream (an export that writes its tables one after another): kinds come in long runs
and times are not sorted. Sorting 10 million rows of 33 columns by time would double the
time and take gigabytes; joins are kept as written (generate.py) so that the order, and the
bytes, are the same on every run. The sizes are rates per unit of the audience,
so that a unit meets about as often in a city of a thousand units as in one of a hundred
thousand; what the rates leave of the events asked for is filled with ordinary activities of
any unit (`general`). When the rates ask for more than 85% of the events, all are scaled down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
from notice_calendar import FESTIVALS, HOLIDAYS, festival_rows

#: the event attributes of the vocabulary, in the file's column order, with their types
COLUMNS: list[tuple[str, str]] = [
    ("hours", "DOUBLE"), ("participants", "BIGINT"), ("category", "VARCHAR"),
    ("theme", "VARCHAR"), ("festival", "VARCHAR"), ("team_field", "VARCHAR"),
    ("site", "VARCHAR"), ("led_by", "VARCHAR"), ("risky", "BOOLEAN"),
    ("hours_recorded", "BOOLEAN"), ("plan", "BOOLEAN"), ("record", "BOOLEAN"),
    ("brief", "BOOLEAN"), ("photo_mb", "DOUBLE[]"), ("photo_format", "VARCHAR[]"),
    ("persons", "VARCHAR[]"), ("field", "VARCHAR"), ("joint_units", "VARCHAR[]"),
    ("form", "VARCHAR"), ("ref", "VARCHAR"), ("period", "VARCHAR"), ("person", "VARCHAR"),
    ("party_member", "BOOLEAN"), ("student", "BOOLEAN"), ("passed", "BOOLEAN"),
    ("status", "VARCHAR"), ("type", "VARCHAR"), ("role", "VARCHAR"), ("teacher", "VARCHAR"),
]

FIELDS = ["教育", "文体", "科技", "医疗卫生", "法律", "消防", "环保", "社工", "交通", "财务",
          "文化", "慈善"]
XD_CORE = ["关爱空巢老人", "留守儿童", "困难职工", "残疾人", "党员志愿服务"]
XD_CIVILITY = ["文明旅游", "文明交通", "文明上网"]
HZ_THEMES = ["党员志愿服务", "职工志愿服务", "社区志愿服务", "平安志愿服务", "文化志愿服务",
             "文艺志愿服务", "科普志愿服务", "旅游志愿服务", "红十字志愿服务", "五老志愿服务",
             "青年文明号", "邻里守望", "巾帼志愿者", "关爱山川河流", "服务百姓健康",
             "志愿助残阳光行动", "精准扶贫", "文明交通"]
ECO = ["植树环保", "生态环保", "垃圾分类", "环保宣传"]
THEMES = sorted({*XD_CORE, *XD_CIVILITY, *HZ_THEMES, *ECO, "文明祭扫", "关爱劳动者",
                 "关爱军人军属", "志愿服务宣传", "礼让斑马线", "你就是网红"})
COMMUNITY_THEMES = XD_CORE * 3 + XD_CIVILITY * 2 + THEMES

#: the last moment of the data
LAST = "TIMESTAMP '2021-12-31 22:00'"

#: the campaign of HZ (2017-06-01 … 08-31): its activities are published beforehand
CAMPAIGN = ("2017-06-01", 92)


def sql_list(items: Sequence[object]) -> str:
    def one(item: object) -> str:
        if isinstance(item, str):
            return "'" + item.replace("'", "''") + "'"
        return f"{float(item)!r}::DOUBLE" if isinstance(item, float) else str(item)

    return "[" + ", ".join(one(item) for item in items) + "]"


def macros(salt: int) -> str:
    """The SQL helpers of the streams; `salt` (from the seed) is added to every salt."""
    return MACROS.replace("SALT", str(salt))


MACROS = """
CREATE OR REPLACE TEMP MACRO h3(j, s, x) AS hash(j, s + SALT, x);
CREATE OR REPLACE TEMP MACRO u01(j, s) AS (hash(j, s + SALT) % 1000000) / 1000000.0;
CREATE OR REPLACE TEMP MACRO ri(j, s, n) AS (hash(j, s + SALT) % n)::BIGINT;
CREATE OR REPLACE TEMP MACRO lt(j, s, ppm) AS hash(j, s + SALT) % 1000000 < ppm;
CREATE OR REPLACE TEMP MACRO spread(j, a, p) AS (j * a + SALT * 0.7548776662) % 1.0 < p;
CREATE OR REPLACE TEMP MACRO ix(j, s, n) AS (1 + hash(j, s + SALT) % n)::BIGINT;
CREATE OR REPLACE TEMP MACRO at_day(d, j, s) AS
  make_timestamp(epoch_us(d::TIMESTAMP) + (480 + ri(j, s, 600)) * 60000000);
CREATE OR REPLACE TEMP MACRO in_days(d, n, j, s) AS
  make_timestamp(epoch_us(d::TIMESTAMP) + ri(j, s, n) * 86400000000
                 + (480 + ri(j, s + 1, 600)) * 60000000);
CREATE OR REPLACE TEMP MACRO nth_dow(month_start, n, dow) AS
  month_start::DATE + (((dow - dayofweek(month_start::DATE)) + 7) % 7 + 7 * (n - 1))::INTEGER;
CREATE OR REPLACE TEMP MACRO id_of(i) AS printf('e%09d', i);
CREATE OR REPLACE TEMP MACRO uid(idx) AS printf('u%06d', idx);
"""


@dataclass
class Draw:
    """SQL drawing the values of one stream: attribute `k` uses salt `base + k`."""

    base: int

    def s(self, k: int) -> int:
        return self.base + k

    def u(self, k: int) -> str:
        return f"u01(j, {self.s(k)})"

    def n(self, k: int, n: int | str) -> str:
        return f"ri(j, {self.s(k)}, {n})"

    def pick(self, k: int, items: Sequence[object]) -> str:
        """One of `items` (a list literal indexed in place: DuckDB folds it into a constant,
        which it does not for a macro's argument)."""
        return f"{sql_list(items)}[ix(j, {self.s(k)}, {len(items)})]"

    def below(self, k: int, p: float) -> str:
        """True in a share `p` of the rows (an integer comparison: cheaper than `u < p`)."""
        return f"lt(j, {self.s(k)}, {round(p * 1_000_000)})"

    def evenly(self, k: int, p: float) -> str:
        """True in a share `p` of the rows, spread evenly over the row numbers (a Weyl
        sequence, j·α mod 1): a share of a few units' slots is then near `p`, where hashes
        could leave a small audience with none."""
        return f"spread(j, {weyl(self.s(k))}, {p})"

    def missing(self, k: int, p: float, expr: str) -> str:
        """`expr`, left out (NULL) in a share `p` of the rows: optional attributes."""
        return f"CASE WHEN {self.below(k, p)} THEN NULL ELSE {expr} END"

    def yes_no(self, k: int, yes: float, unsaid: float = 0.05) -> str:
        return (f"CASE WHEN {self.below(k, unsaid)} THEN NULL"
                f" ELSE {self.below(k, unsaid + yes)} END")

    def days(self, k: int, start: str, n: int | str) -> str:
        """A time of day (08:00–17:59) on one of `n` days from `start`."""
        return f"in_days(DATE '{start}', {n}, j, {self.s(k)})"

    def photos(self, k: int, low: float, high: float, count: str = "") -> str:
        """Photo sizes of `low`–`high` MB: `count` photos (SQL; default 1 to 3)."""
        sizes = [f"round({low} + {high - low} * (h3(j, {self.s(k + 1)}, {x}) % 1000) / 1000.0,"
                 " 1)" for x in range(3)]
        return _lists(count or f"1 + {self.n(k, 3)}", sizes)

    def formats(self, k: int, count: str, weights: dict[str, int]) -> str:
        """Formats of `count` photos (1–3): mostly all one format, by `weights`, sometimes
        one odd photo (`png` among `jpg`). Constant lists: building one per row is slow."""
        names = list(weights)
        cases, edge = [], 0.0
        total = sum(weights.values())
        for name in names[:-1]:
            edge += weights[name] / total
            cases.append(f"WHEN {self.below(k, edge)} THEN "
                         + _lists(count, [sql_list([name] * n) for n in (1, 2, 3)], built=True))
        odd = _lists(count, ["['png']", "['jpg', 'png']", "['jpg', 'jpg', 'png']"], built=True)
        return f"CASE {' '.join(cases)} ELSE {odd} END"


def _lists(count: str, items: list[str], built: bool = False) -> str:
    """A list of the first `count` (1–3) of `items` (list_value in a CASE, which DuckDB
    builds far faster than a lambda over a range), or with `built`, list `count` of them."""
    cases = []
    for n in range(1, len(items) + 1):
        value = items[n - 1] if built else f"list_value({', '.join(items[:n])})"
        cases.append(f"WHEN {n} THEN {value}")
    return f"CASE {count} {' '.join(cases)} END"


@dataclass
class Stream:
    """One view of events: `rows` numbers (j) from `offset` on."""

    name: str
    rows: int
    select: str  # the SELECT, with {i} for the row's global number
    dense: bool = True  # every number gives a row (a duplicate id may copy the row before)
    offset: int = 0
    follows: list[str] = field(default_factory=list)


def weyl(salt: int) -> float:
    """An irrational-looking step for `Draw.evenly`, one per salt."""
    return math.sqrt(2 + salt % 9973) % 1.0 or 0.6180339887


def time_of(d: Draw, k: int, windows: list[tuple[float, str]], even: bool = False) -> str:
    """A time from one of `windows` (share, SQL time), chosen by a draw (`even`: spread
    evenly over the rows, see `Draw.evenly`)."""
    if len(windows) == 1:
        return windows[0][1]
    parts, edge = [], 0.0
    for share, expr in windows[:-1]:
        edge += share
        parts.append(f"WHEN {d.evenly(k, edge) if even else d.below(k, edge)} THEN {expr}")
    return f"CASE {' '.join(parts)} ELSE {windows[-1][1]} END"


def activity(d: Draw, **override: str) -> dict[str, str]:
    """An activity's attributes: ordinary values, each optional one sometimes missing; no
    photos (see `photographed`)."""
    values = {
        "hours": d.missing(1, 0.03, d.pick(2, [0.5, 1, 1, 1.5, 2, 2, 2.5, 3, 4])),
        "participants": d.missing(3, 0.05, f"1 + {d.n(4, 40)}"),
        "category": "NULL",
        "theme": d.missing(5, 0.04, d.pick(6, THEMES)),
        "risky": d.yes_no(7, 0.03, 0.07),
        "hours_recorded": d.yes_no(8, 0.85),
        "plan": d.yes_no(9, 0.90, 0.04),
        "record": d.yes_no(10, 0.90, 0.04),
        "brief": d.yes_no(11, 0.88, 0.04),
    }
    values.update(override)
    return values


def photographed(d: Draw) -> dict[str, str]:
    """The photos of an activity whose photos an obligation reads (XD-17: the streets' and
    communities'); lists cost DuckDB more than anything else here, so only those have them."""
    return {
        "photo_mb": d.missing(30, 0.05, d.photos(31, 0.6, 3.6)),
        "photo_format": f"CASE WHEN photo_mb IS NULL THEN NULL ELSE "
        f"{d.formats(33, 'len(photo_mb)', {'jpg': 8, 'jpeg': 1, 'png': 1})} END",
    }


def select(kind: str, columns: dict[str, str], source: str, time: str,
           unit: str = "u.unit", where: str = "") -> str:
    """The SELECT of a stream; `photo_format` may read `photo_mb` (through a subquery)."""
    inner = ", ".join(f"{expr} AS {name}" for name, expr in columns.items()
                      if name != "photo_format")
    outer = columns.get("photo_format")
    body = (f"SELECT {{i}} + j AS i, j, u.idx, {unit} AS unit, '{kind}' AS kind,"
            f" {time} AS ts, {inner} FROM {source} {where}")
    if outer is None:
        return body
    return f"SELECT b.*, {outer} AS photo_format FROM ({body}) b"


def pooled(audience: str, size: int, d: Draw) -> str:
    """range(n) joined to units drawn from an audience's pool, active units more often."""
    return (f"range({{rows}}) t(j) JOIN pool p ON p.audience = '{audience}'"
            f" AND p.k = {d.n(0, max(size, 1))} JOIN base u ON u.idx = p.idx")


def slotted(audience: str, units: int) -> str:
    """range(n) over slots: unit `j % units`, period `j // units`."""
    return (f"range({{rows}}) t(j) JOIN plain p ON p.audience = '{audience}'"
            f" AND p.k = j % {max(units, 1)} JOIN base u ON u.idx = p.idx")


def festival_tables(con: duckdb.DuckDBPyConnection) -> None:
    """`fest` (name, year, day, theme) and the weighted picks `fest_pool`, `year_pool`, and
    the holiday blocks `holiday` (k, start, days)."""
    rows = ", ".join(f"('{n}', {y}, DATE '{day}', '{theme}')" for n, y, day, theme in
                     festival_rows())
    con.execute(f"CREATE OR REPLACE TEMP TABLE fest AS SELECT * FROM (VALUES {rows})"
                " t(name, year, day, theme)")
    weights = ", ".join(f"('{name}', {weight})" for name, (_, weight) in FESTIVALS.items())
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE fest_pool AS
        SELECT row_number() OVER (ORDER BY name, r) - 1 AS k, name
        FROM (VALUES {weights}) t(name, weight), LATERAL (SELECT * FROM range(weight)) x(r)
    """)
    holidays = ", ".join(f"({k}, DATE '{start}', {days})"
                         for k, (start, days) in enumerate(HOLIDAYS))
    con.execute(f"CREATE OR REPLACE TEMP TABLE holiday AS SELECT * FROM (VALUES {holidays})"
                " t(k, start, days)")


# ----------------------------------------------------------------------------- assembly

#: the deliberate defects, and what each does to a row
DEFECTS = ["bad date", "negative hours", "duplicate id", "unknown kind", "bad value",
           "missing unit"]
#: kinds with a `one of` attribute, and the value outside it a defective row carries
BAD_VALUES = {"activity": ("category", "可选"), "report": ("form", "季度报告"),
              "station": ("status", "open"), "meeting": ("type", "座谈会"),
              "appointment": ("role", "联络员")}
UNKNOWN_KINDS = {"activity": "志愿活动", "report": "Report"}


def create_views(con: duckdb.DuckDBPyConnection, streams: list[Stream], offset: int = 0) -> int:
    """A view `s_NAME` per stream, each owning the next range of row numbers from `offset`;
    returns the next free number."""
    by_name: dict[str, Stream] = {}
    for stream in streams:
        if stream.follows:
            stream.rows = by_name[stream.follows[0]].rows
        stream.offset = offset
        offset += stream.rows
        by_name[stream.name] = stream
        body = stream.select.replace("{i}", str(stream.offset)).replace("{rows}",
                                                                         str(stream.rows))
        con.execute(f"CREATE OR REPLACE TEMP VIEW s_{stream.name} AS"
                    f" SELECT *, {stream.dense} AS dense FROM ({body})")
    return offset


def count_rows(con: duckdb.DuckDBPyConnection, streams: list[Stream]) -> int:
    """How many rows the streams give (those that skip numbers counted, in one query)."""
    sparse = [f"(SELECT count(*) FROM s_{s.name})" for s in streams if not s.dense]
    found = con.execute(f"SELECT {' + '.join(sparse) or '0'}").fetchone()
    return sum(s.rows for s in streams if s.dense) + (int(found[0]) if found else 0)


def is_bad(bad_share: float, salt: int, row: str = "i") -> str:
    """SQL: whether row number `row` is one of the share made malformed on purpose."""
    return f"(hash({row}, {salt}) % 1000000 < {round(bad_share * 1_000_000)})"


def defect_sql(bad_share: float, salt: int) -> str:
    """Which deliberate defect a row carries, if any: a share `bad_share` of the rows, the
    kind of defect by hash (falling back to a bad date where it cannot apply)."""
    bad, before = is_bad(bad_share, salt), is_bad(bad_share, salt, "i - 1")
    kinds = sql_list(list(BAD_VALUES))
    return f"""CASE WHEN NOT {bad} THEN NULL ELSE CASE hash(i, {salt + 1}) % 6
        WHEN 0 THEN 'bad date'
        WHEN 1 THEN CASE WHEN hours IS NOT NULL THEN 'negative hours' ELSE 'bad date' END
        WHEN 2 THEN CASE WHEN dense AND j > 0 AND NOT {before} THEN 'duplicate id'
                         ELSE 'bad date' END
        WHEN 3 THEN 'unknown kind'
        WHEN 4 THEN CASE WHEN list_contains({kinds}, kind) THEN 'bad value'
                         ELSE 'bad date' END
        ELSE 'missing unit' END END"""


def final_sql(streams: list[Stream], bad_share: float, salt: int, only_bad: bool = False) -> str:
    """Every row in the file's columns, with its defect applied (and named in `defect`);
    `only_bad`: only the rows made malformed (the filter put in each stream, where DuckDB
    takes it down to the stream's range: over the union it would compute every row)."""
    where = f" WHERE {is_bad(bad_share, salt)}" if only_bad else ""
    union = " UNION ALL BY NAME ".join(f"SELECT * FROM s_{s.name}{where}" for s in streams)
    fmt = f"hash(i, {salt + 2}) % 100"
    # nothing after the end of the data (a summary sent in the new year is sent at its end)
    union = f"SELECT * REPLACE (least(ts, {LAST}) AS ts) FROM ({union})"
    at = (f"CASE WHEN {fmt} < 93 THEN strftime(ts, '%Y-%m-%dT%H:%M')"
          f" WHEN {fmt} < 96 THEN strftime(ts, '%Y-%m-%d')"
          f" WHEN {fmt} < 98 THEN strftime(ts - INTERVAL 8 HOUR, '%Y-%m-%dT%H:%M:%SZ')"
          f" ELSE strftime(ts, '%Y-%m-%dT%H:%M:%S+08:00') END")
    bad_at = (f"[strftime(ts, '%Y/%m/%d %H:%M'), strftime(ts, '%d.%m.%Y'),"
              f" strftime(ts, '%Y-02-30T%H:%M')][(1 + hash(i, {salt + 3}) % 3)::BIGINT]")
    unknown = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in UNKNOWN_KINDS.items())
    columns = []
    for name, kind in COLUMNS:
        value = name
        if name == "hours":
            value = "CASE WHEN defect = 'negative hours' THEN -hours ELSE hours END"
        for event_kind, (attribute, bad) in BAD_VALUES.items():
            if attribute == name:
                value = (f"CASE WHEN defect = 'bad value' AND kind = '{event_kind}'"
                         f" THEN '{bad}' ELSE {value} END")
        columns.append(f"CAST({value} AS {kind}) AS {name}")
    return f"""
        SELECT i, ts, defect,
               id_of(CASE WHEN defect = 'duplicate id' THEN i - 1 ELSE i END) AS id,
               CASE WHEN defect = 'missing unit' THEN NULL ELSE unit END AS unit,
               CASE WHEN defect = 'unknown kind' THEN CASE kind {unknown} ELSE kind || 's' END
                    ELSE kind END AS kind,
               CASE WHEN defect = 'bad date' THEN {bad_at} ELSE {at} END AS at,
               {", ".join(columns)}
        FROM (SELECT *, {defect_sql(bad_share, salt)} AS defect FROM ({union}))
    """
