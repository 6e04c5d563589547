"""The city of the notices benchmark: its units, their facts, the registered volunteers, and
the pools events draw their units from (generate.py's `notices`).

A city of N units is cut into districts of 5,000. Each district starts with the offices the
five notices name (区民政局, 团区委, 区公安局 …, the leading group and its member units, units
directly under the city, window units, trade branches, one professional team per field; in the
first district also the 市志愿服务联合会 and the five colleges of PE-6) and goes on in blocks of
100: a street (镇街), its 10 communities (社区), 20 volunteer teams under them (志愿服务组织), two
文明单位 and a 文明校园 and four schools under the street, and 62 enterprises and institutions
that report to no one. Streets differ in vigour (how much their area does) and in the share
of their registered volunteers who never serve, in a fixed cycle, so that even a small city
has keen and lax streets.

Facts that obligations compare with counts of events are derived from those counts, scaled
the way the examples scale them down (a street of a few hundred people): the population of a
street or community from the volunteers registered in its area by the end of 2017 (XD-1:
13%), a department's staff from its own registrations (XD-2: 90%), a college's students and
teachers from theirs (PE-6), each times a factor between about 0.7 and 1.4, so that some meet
the share and some do not. A city of 100,000 units and 10 million events cannot hold 13% of
real populations.
"""

from __future__ import annotations

import math

import duckdb

#: units per district; the named offices come first, then street blocks of 100
DISTRICT = 5000
BLOCK = 100

#: (name, type, field, parent: the position of the named unit it reports to)
NAMED: list[tuple[str, str, str | None, int | None]] = [
    ("区文明办", "区级部门", None, None),
    ("区委组织部", "区级部门", None, None),
    ("团区委", "人民团体", None, None),
    ("区妇联", "人民团体", None, None),
    ("区总工会", "人民团体", None, None),
    ("区残联", "人民团体", None, None),
    ("区教育局", "区级部门", "教育", None),
    ("区文体广新局", "区级部门", "文体", None),
    ("区卫计局", "区级部门", "医疗卫生", None),
    ("区司法局", "区级部门", "法律", None),
    ("区公安分局", "区级部门", "消防", None),
    ("区环保局", "区级部门", "环保", None),
    ("区经信投促局", "区级部门", "科技", None),
    ("区民政局", "区级部门", "社工", None),
    ("区财政局", "区级部门", "财务", None),
    ("区交通运输局", "区级部门", "交通", None),
    ("区红十字会", "区级部门", "慈善", None),
    ("区公安局", "区级部门", None, None),
    ("区文旅局", "区级部门", "文化", None),
    ("区生态环境局", "区级部门", None, None),
    ("区城管委", "区级部门", None, None),
    ("志愿服务工作协调领导小组", "领导小组", None, None),
    ("区委宣传部", "成员单位", None, None),
    ("区发展改革委", "成员单位", None, None),
    ("区人力资源社会保障局", "成员单位", None, None),
    ("区住房城乡建设局", "成员单位", None, None),
    ("区农业农村局", "成员单位", None, None),
    ("区商务局", "成员单位", None, None),
    ("区应急管理局", "成员单位", None, None),
    ("区市场监管局", "成员单位", None, None),
    ("市税务局分局", "市直单位", None, None),
    ("市供电公司", "市直单位", None, None),
    ("市邮政分公司", "市直单位", None, None),
    ("市烟草公司", "市直单位", None, None),
    ("市移动分公司", "市直单位", None, None),
    ("区少年宫", "窗口单位", None, None),
    ("区政务服务中心", "窗口单位", None, None),
    ("区人民医院", "窗口单位", None, None),
    ("火车站", "窗口单位", None, None),
    ("区中心公园", "窗口单位", None, None),
    ("教育行业志愿服务分会", "行业分会", None, None),
    ("卫生健康行业志愿服务分会", "行业分会", None, None),
    ("交通运输行业志愿服务分会", "行业分会", None, None),
    ("文化旅游行业志愿服务分会", "行业分会", None, None),
    ("金融行业志愿服务分会", "行业分会", None, None),
    # one professional team per field, under the department of that field
    ("教育志愿服务队", "专业志愿服务队", "教育", 6),
    ("文体志愿服务队", "专业志愿服务队", "文体", 7),
    ("科技志愿服务队", "专业志愿服务队", "科技", 12),
    ("医疗卫生志愿服务队", "专业志愿服务队", "医疗卫生", 8),
    ("法律志愿服务队", "专业志愿服务队", "法律", 9),
    ("消防志愿服务队", "专业志愿服务队", "消防", 10),
    ("环保志愿服务队", "专业志愿服务队", "环保", 11),
    ("社工志愿服务队", "专业志愿服务队", "社工", 13),
    ("交通志愿服务队", "专业志愿服务队", "交通", 15),
    ("财务志愿服务队", "专业志愿服务队", "财务", 14),
    ("文化志愿服务队", "专业志愿服务队", "文化", 18),
    ("慈善志愿服务队", "专业志愿服务队", "慈善", 16),
    # the city's own, in the first district only (CITY_ONLY: their stand-ins elsewhere)
    ("市志愿服务联合会", "志愿服务组织", None, None),
    ("普洱学院", "高校", None, None),
    ("云南农业大学热带作物学院", "高校", None, None),
    ("滇西应用技术大学普洱茶学院", "高校", None, None),
    ("普洱市职业教育中心", "高校", None, None),
    ("普洱卫生学校", "高校", None, None),
]
CITY_ONLY = {
    "市志愿服务联合会": ("区志愿服务联合会", "志愿服务组织"),
    "普洱学院": ("区职业技术学校", "学校"),
    "云南农业大学热带作物学院": ("区农业职业学校", "学校"),
    "滇西应用技术大学普洱茶学院": ("区茶业职业学校", "学校"),
    "普洱市职业教育中心": ("区职业教育中心", "学校"),
    "普洱卫生学校": ("区卫生职业学校", "学校"),
}
#: the position of the 市志愿服务联合会 (HZ-9; it publishes for others, HZ-6)
LIANHE = next(p for p, row in enumerate(NAMED) if row[0] == "市志愿服务联合会")

#: street blocks: (first position, last position, type, name suffix)
BLOCK_LAYOUT = [
    (0, 0, "镇街", "街道"),
    (1, 10, "社区", "社区"),
    (11, 30, "志愿服务组织", "志愿服务队"),
    (31, 32, "文明单位", "集团公司"),
    (33, 33, "文明校园", "中学"),
    (34, 37, "学校", "小学"),
    (38, 99, "企业", "有限公司"),
]
SYLLABLES = "新东西南北中和平安兴华龙凤江河山湖桥城港金银石林春阳明光福康"

#: a street's vigour (how much its area does) and the share of its registered volunteers who
#: never serve, by position in a cycle of five streets (XD-3, XD-4, XD-11, BH-7, BH-10)
VIGOUR = [0.4, 0.7, 1.0, 1.5, 2.2]
IDLE = [0.1, 0.2, 0.3, 0.4, 0.5]

#: how much more than others a type registers volunteers with itself
REGISTERING = {"社区": 3, "镇街": 2, "区级部门": 6, "人民团体": 2, "高校": 30}

#: the audiences events are drawn from: name → SQL condition on a unit of `base`
AUDIENCES = {
    "all": "TRUE",
    "yz": "type IN ('文明单位', '文明校园')",
    "street": "type = '镇街'",
    "community": "type = '社区'",
    "street_area": "type IN ('镇街', '社区')",
    "org": "type = '志愿服务组织'",
    "team_org": "type IN ('志愿服务组织', '专业志愿服务队')",
    "team": "type = '专业志愿服务队'",
    "department": "type = '区级部门'",
    "paired": "paired_community IS NOT NULL",
    "window": "type = '窗口单位'",
    "city_direct": "type = '市直单位'",
    "industry": "type = '行业分会'",
    "member": "type = '成员单位'",
    "group": "type = '领导小组'",
    "college": "type = '高校'",
    "school": "type = '学校'",
    "police": "name = '区公安局'",
    "tourism": "name = '区文旅局'",
    "ecology": "name IN ('区生态环境局', '区城管委')",
    "civility_office": "name = '区文明办'",
    "norm_senders": "name IN ('区民政局', '团区委', '区总工会', '区残联')",
    "quarterly_reporters": "type = '镇街' OR name IN ('区委组织部', '团区委', '区妇联', '区教育局',"
    " '区文体广新局', '区卫计局', '区司法局', '区公安分局', '区环保局', '区经信投促局',"
    " '区民政局', '区财政局')",
    "registering": "TRUE",
}


def _literal(value: str | int | None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _named_table() -> str:
    rows = []
    for position, (name, kind, field, parent) in enumerate(NAMED):
        stand_in = CITY_ONLY.get(name, (name, kind))
        rows.append(
            f"({position}, {_literal(name)}, {_literal(kind)}, {_literal(stand_in[0])},"
            f" {_literal(stand_in[1])}, {_literal(field)}, {_literal(parent)})"
        )
    return "VALUES " + ", ".join(rows)


def _block_type(column: str) -> str:
    cases = " ".join(f"WHEN {column} BETWEEN {a} AND {b} THEN '{t}'" for a, b, t, _ in BLOCK_LAYOUT)
    return f"CASE {cases} END"


def _block_suffix(column: str) -> str:
    cases = " ".join(f"WHEN {column} BETWEEN {a} AND {b} THEN '{s}'" for a, b, _, s in BLOCK_LAYOUT)
    return f"CASE {cases} END"


def build_units(con: duckdb.DuckDBPyConnection, units: int, salt: int) -> None:
    """Table `base`: one row per unit with its place in the city and its fixed facts."""
    named = len(NAMED)
    syllables = "[" + ", ".join(f"'{s}'" for s in SYLLABLES) + "]"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE base AS
        WITH place AS (
          SELECT i AS idx, i // {DISTRICT} AS district, i % {DISTRICT} AS pos,
                 CASE WHEN i % {DISTRICT} < {named} THEN NULL
                      ELSE (i % {DISTRICT} - {named}) % {BLOCK} END AS q,
                 CASE WHEN i % {DISTRICT} < {named} THEN NULL
                      ELSE (i % {DISTRICT} - {named}) // {BLOCK} END AS block
          FROM range({units}) t(i)
        ), typed AS (
          SELECT p.*,
                 coalesce(CASE WHEN p.district = 0 THEN n.name ELSE n.alt_name END,
                          {syllables}[(1 + hash(p.idx, {salt + 1}) % {len(SYLLABLES)})::BIGINT]
                          || {syllables}[(1 + hash(p.idx, {salt + 2}) % {len(SYLLABLES)})::BIGINT]
                          || {_block_suffix('p.q')}) AS name,
                 coalesce(CASE WHEN p.district = 0 THEN n.type ELSE n.alt_type END,
                          CASE WHEN p.q >= 38 AND p.q % 3 = 0 THEN '事业单位'
                               ELSE {_block_type('p.q')} END) AS type,
                 n.field,
                 CASE WHEN n.parent IS NOT NULL THEN p.district * {DISTRICT} + n.parent
                      WHEN p.q BETWEEN 1 AND 10 OR p.q BETWEEN 31 AND 37 THEN p.idx - p.q
                      WHEN p.q BETWEEN 11 AND 30 THEN p.idx - p.q + 1 + (p.q - 11) % 10
                 END AS parent_idx,
                 -- the street whose area holds the unit, and the community (XD-1, XD-9)
                 CASE WHEN p.q <= 37 THEN p.idx - p.q END AS street_idx,
                 CASE WHEN p.q BETWEEN 1 AND 10 THEN p.idx
                      WHEN p.q BETWEEN 11 AND 30 THEN p.idx - p.q + 1 + (p.q - 11) % 10
                 END AS community_idx,
                 CASE WHEN p.q <= 37 THEN {VIGOUR}[1 + p.block % 5] ELSE 1.0 END AS vigour,
                 CASE WHEN p.q <= 37 THEN {IDLE}[1 + (2 * p.block + 1) % 5]
                      ELSE 0.1 + 0.45 * ((p.pos * 0.6180339887) % 1.0) END AS idle
          FROM place p LEFT JOIN ({_named_table()})
            n(pos, name, type, alt_name, alt_type, field, parent) ON n.pos = p.pos
        )
        SELECT idx, printf('u%06d', idx) AS unit, district, pos, q, block, name, type, field,
               parent_idx, street_idx, community_idx, vigour, idle,
               -- how active the unit is: 1..4, times its street's vigour
               greatest(1, round((1 + hash(idx, {salt + 3}) % 4) * vigour))::INTEGER AS weight,
               CASE WHEN type IN ('文明单位', '文明校园') THEN
                      [5 + hash(idx, {salt + 4}) % 16, 21 + hash(idx, {salt + 4}) % 30,
                       51 + hash(idx, {salt + 4}) % 50, 101 + hash(idx, {salt + 4}) % 200]
                      [(1 + hash(idx, {salt + 5}) % 4)::BIGINT]
                    WHEN type = '社区' THEN 5 + hash(idx, {salt + 4}) % 26
                    ELSE 3 + hash(idx, {salt + 4}) % 300 END::BIGINT AS staff
        FROM typed
    """)
    # paired communities (HZ-1): a community of the same district for each office
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE pairing AS
        WITH communities AS (
          SELECT district, idx, row_number() OVER (PARTITION BY district ORDER BY idx) - 1 AS k,
                 count(*) OVER (PARTITION BY district) AS n
          FROM base WHERE type = '社区'
        ), offices AS (
          SELECT idx, district FROM base WHERE type IN ('区级部门', '人民团体', '市直单位')
        )
        SELECT o.idx, printf('u%06d', c.idx) AS paired_community
        FROM offices o JOIN (SELECT DISTINCT district, n FROM communities) s USING (district)
        JOIN communities c ON c.district = o.district
          AND c.k = hash(o.idx, {salt + 6}) % s.n
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE base AS
        SELECT b.*, p.paired_community FROM base b LEFT JOIN pairing p USING (idx)
    """)
    # the communities of each district, numbered, for events held in one (`site`)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dcomm AS
        SELECT district, row_number() OVER (PARTITION BY district ORDER BY idx) - 1 AS k, idx
        FROM base WHERE type = '社区'
    """)
    con.execute("CREATE OR REPLACE TEMP TABLE dcount AS SELECT district, count(*) AS n"
                " FROM dcomm GROUP BY district")


def build_pools(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Table `pool` (audience, k, idx): each unit of an audience `weight` times, so that a
    hash modulo the pool's size draws active units more often; `plain` (audience, k, idx):
    each once. Returns each audience's (units, pool size)."""
    members = " UNION ALL ".join(
        f"SELECT '{name}' AS audience, idx, "
        + (f"weight * coalesce(({_registering()}), 1)" if name == "registering" else "weight")
        + f" AS weight FROM base WHERE {condition}"
        for name, condition in AUDIENCES.items()
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE member AS {members}")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE plain AS
        SELECT audience, row_number() OVER (PARTITION BY audience ORDER BY idx) - 1 AS k, idx
        FROM member
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE pool AS
        SELECT audience, row_number() OVER (PARTITION BY audience ORDER BY idx, r) - 1 AS k, idx
        FROM member, LATERAL (SELECT * FROM range(member.weight)) t(r)
    """)
    sizes = con.execute("""
        SELECT audience, count(DISTINCT idx), count(*) FROM pool GROUP BY audience
    """).fetchall()
    found = {name: (int(units), int(size)) for name, units, size in sizes}
    return {name: found.get(name, (0, 0)) for name in AUDIENCES}


def _registering() -> str:
    cases = " ".join(f"WHEN '{t}' THEN {m}" for t, m in REGISTERING.items())
    return f"CASE type {cases} END"


def build_registrations(
    con: duckdb.DuckDBPyConnection, batches: int, pool_size: int, salt: int
) -> None:
    """Table `reg`: the registered volunteers, ten at a time (a unit registers a batch on
    one day), most in the platform's first years (2015–2016). Person `p…` is registration
    `j`; in a batch the first three are party members (a college's first is its teacher,
    the other nine its students). A stock: each counts from its day on."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE reg AS
        WITH batch AS (
          SELECT c, p.idx,
                 TIMESTAMP '2015-01-01 09:00'
                   + to_days(floor(2556 * pow((hash(c, {salt + 1}) % 1000000) / 1e6, 1.6))::INTEGER)
                   + to_minutes((hash(c, {salt + 2}) % 480)::INTEGER) AS day
          FROM range({batches}) t(c)
          JOIN pool p ON p.audience = 'registering' AND p.k = hash(c, {salt}) % {max(pool_size, 1)}
        )
        SELECT 10 * c + b AS rj, printf('p%08d', 10 * c + b) AS person, b.idx, u.type = '高校'
                 AS college, day + to_minutes(b::INTEGER) AS ts,
               CASE WHEN u.type = '高校' THEN b = 0
                    WHEN b < 3 THEN TRUE
                    WHEN hash(10 * c + b, {salt + 3}) % 10 = 0 THEN NULL ELSE FALSE END
                 AS party_member,
               -- a college says who is a student; others mostly do not say
               CASE WHEN u.type = '高校' THEN b <> 0
                    WHEN hash(10 * c + b, {salt + 4}) % 20 < 10 THEN NULL
                    ELSE hash(10 * c + b, {salt + 4}) % 20 = 19 END AS student
        FROM batch b JOIN base u USING (idx), range(10) r(b)
    """)


def derive_facts(con: duckdb.DuckDBPyConnection, salt: int) -> None:
    """Table `facts` (idx, valid_from, staff, population, students): the rows of the units
    file, with the counted facts derived from the registrations (see the module's doc)."""

    def factor(k: int, low: float, high: float) -> str:
        # spread evenly over the units (idx·α mod 1), so that even the five colleges or a
        # city's few streets have some above and some below the share
        alpha = math.sqrt(2 + (salt + k) % 9973) % 1.0
        return f"({low} + ({high} - {low}) * ((idx * {alpha}) % 1.0))"

    con.execute("""
        CREATE OR REPLACE TEMP TABLE counted AS
        WITH placed AS (
          SELECT r.*, a.street_idx, a.community_idx FROM reg r JOIN base a USING (idx)
        ), area AS (
          SELECT street_idx AS idx, count(*) AS n FROM placed
          WHERE ts < TIMESTAMP '2018-01-01' AND street_idx IS NOT NULL GROUP BY ALL
          UNION ALL
          SELECT community_idx, count(*) FROM placed
          WHERE ts < TIMESTAMP '2018-01-01' AND community_idx IS NOT NULL GROUP BY ALL
        ), own AS (
          SELECT idx,
                 count(*) FILTER (WHERE ts < TIMESTAMP '2018-01-01') AS own_2017,
                 count(*) FILTER (WHERE student AND ts < TIMESTAMP '2021-01-01')
                   AS students_2020,
                 count(*) FILTER (WHERE student) AS students_2021,
                 count(*) FILTER (WHERE NOT student AND ts < TIMESTAMP '2021-01-01')
                   AS teachers_2020,
                 count(*) FILTER (WHERE NOT student) AS teachers_2021
          FROM reg GROUP BY idx
        )
        SELECT b.idx, coalesce(a.n, 0) AS area_2017, coalesce(o.own_2017, 0) AS own_2017,
               coalesce(o.students_2020, 0) AS students_2020,
               coalesce(o.students_2021, 0) AS students_2021,
               coalesce(o.teachers_2020, 0) AS teachers_2020,
               coalesce(o.teachers_2021, 0) AS teachers_2021
        FROM base b LEFT JOIN (SELECT idx, sum(n) AS n FROM area GROUP BY idx) a USING (idx)
        LEFT JOIN own o USING (idx)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE facts AS
        WITH derived AS (
          SELECT b.idx, b.type, b.staff,
                 CASE WHEN b.type IN ('镇街', '社区')
                      THEN greatest(20, round(c.area_2017 / 0.13 * {factor(11, 0.7, 1.4)}))
                 END::BIGINT AS population,
                 CASE WHEN b.type = '区级部门'
                      THEN greatest(3, round(c.own_2017 / 0.9 * {factor(12, 0.8, 1.3)}))
                      WHEN b.type = '高校'
                      THEN greatest(1, round(c.teachers_2020 * {factor(13, 0.8, 1.3)}))
                      ELSE b.staff END::BIGINT AS staff_now,
                 CASE WHEN b.type = '高校'
                      THEN greatest(1, round(c.students_2020 * {factor(14, 0.85, 1.25)}))
                 END::BIGINT AS students,
                 CASE WHEN b.type = '高校'
                      THEN greatest(1, round(c.students_2021 * {factor(15, 0.85, 1.25)}))
                 END::BIGINT AS students_2021,
                 CASE WHEN b.type = '高校'
                      THEN greatest(1, round(c.teachers_2021 * {factor(16, 0.8, 1.3)}))
                 END::BIGINT AS teachers_2021,
                 hash(b.idx, {salt + 17}) % 10 AS change
          FROM base b LEFT JOIN counted c USING (idx)
        )
        -- the first row of each unit holds from the beginning
        SELECT idx, NULL::DATE AS valid_from,
               CASE WHEN type = '区级部门' AND change < 2
                    THEN greatest(3, round(staff_now * {factor(18, 0.7, 1.1)}))::BIGINT
                    ELSE staff_now END AS staff,
               population, students
        FROM derived
        UNION ALL
        -- a fifth of the departments changed their headcount in September 2017 (XD-2 reads
        -- the one in force at the end of the year)
        SELECT idx, DATE '2017-09-01', staff_now, population, students
        FROM derived WHERE type = '区级部门' AND change < 2
        UNION ALL
        -- a new intake and new teachers at the colleges from September 2021 (PE-6)
        SELECT idx, DATE '2021-09-01', teachers_2021, population, students_2021
        FROM derived WHERE type = '高校'
        UNION ALL
        -- a tenth of the other units changed their headcount in July 2020 (YZ-3's band)
        SELECT idx, DATE '2020-07-01',
               greatest(1, round(staff_now * {factor(19, 0.6, 1.5)}))::BIGINT,
               population, students
        FROM derived WHERE type NOT IN ('区级部门', '高校') AND change = 0
    """)


def write_units(con: duckdb.DuckDBPyConnection, path: str) -> None:
    con.execute(f"""
        COPY (
          SELECT b.unit, f.valid_from, b.name, b.type, f.staff, f.population, f.students,
                 printf('u%06d', b.parent_idx) AS parent, b.field, b.paired_community
          FROM facts f JOIN base b USING (idx)
          ORDER BY b.idx, f.valid_from NULLS FIRST
        ) TO '{path}' (FORMAT parquet)
    """)
