-- The four reference checks of checks.pol, written by hand for DuckDB: what an engineer
-- would write for one office's question, the yardstick of the columnar engine. Reads
-- ${units} and ${events} (Parquet), writes one table `handwritten`: (check, unit, period,
-- status, actual) for every unit of the units file and every period, as_of after them all.
-- Events are counted per unit and period by an equality join on the period's key; units
-- without events get their periods from the cross join of units and periods.

CREATE OR REPLACE TEMP TABLE versions AS
SELECT unit, staff,
       coalesce(valid_from, DATE '0001-01-01') AS vfrom,
       lead(valid_from, 1, DATE '9999-12-31')
         OVER (PARTITION BY unit ORDER BY valid_from NULLS FIRST) AS vto
FROM read_parquet('${units}');

CREATE OR REPLACE TEMP TABLE activity AS
SELECT e.id, e.unit, CAST(e."at" AS DATE) AS day, e.hours, e.category, e.theme,
       e.hours >= 1 AND e.participants >= CASE
         WHEN v.staff <= 20 THEN ceil(v.staff * 0.1 - 1e-9)
         WHEN v.staff <= 50 THEN 3 WHEN v.staff <= 100 THEN 5 ELSE 8 END AS qualifying
FROM read_parquet('${events}') e
ASOF LEFT JOIN versions v ON v.unit = e.unit AND CAST(e."at" AS DATE) >= v.vfrom
WHERE e.kind = 'activity';

CREATE OR REPLACE TEMP TABLE periods AS
SELECT 'c1' AS "check", '2019Q' || q AS period FROM range(1, 5) t(q)
UNION ALL SELECT 'c2', CAST(y AS VARCHAR) FROM range(2017, 2022) t(y)
UNION ALL SELECT 'c3', CAST(y AS VARCHAR) FROM range(2017, 2022) t(y)
UNION ALL SELECT 'c4', strftime(make_date(2021, m, 1), '%Y-%m') FROM range(1, 13) t(m);

CREATE OR REPLACE TEMP TABLE found AS
SELECT 'c1' AS "check", unit, year(day) || 'Q' || quarter(day) AS period, count(*) AS n,
       count(*) AS ok
FROM activity WHERE qualifying AND year(day) = 2019 GROUP BY ALL
UNION ALL
SELECT 'c2', unit, CAST(year(day) AS VARCHAR),
       -- the actual of the requirement the report speaks of: the first that fails, else the first
       CASE WHEN count(*) FILTER (WHERE category = 'required') >= 2
             AND count(*) FILTER (WHERE category = 'elective') < 2
            THEN count(*) FILTER (WHERE category = 'elective')
            ELSE count(*) FILTER (WHERE category = 'required') END,
       least(count(*) FILTER (WHERE category = 'required'),
             count(*) FILTER (WHERE category = 'elective'))
FROM activity WHERE qualifying GROUP BY ALL
UNION ALL
-- per theme: the least theme's count, 0 when one of the five has none
SELECT 'c3', unit, period, CASE WHEN count(*) = 5 THEN min(n) ELSE 0 END,
       CASE WHEN count(*) = 5 THEN min(n) ELSE 0 END
FROM (SELECT unit, CAST(year(day) AS VARCHAR) AS period, theme, count(*) AS n
      FROM activity WHERE theme IN ('环保', '助老', '助残', '文明交通', '科普') GROUP BY ALL)
GROUP BY ALL
UNION ALL
SELECT 'c4', unit, strftime(day, '%Y-%m'), count(*), count(*)
FROM activity
WHERE year(day) = 2021 AND hours >= 1.5 AND isodow(day) = 6 AND day(day) BETWEEN 8 AND 14
GROUP BY ALL;

CREATE OR REPLACE TABLE handwritten AS
SELECT p."check", u.unit, p.period,
       CASE WHEN coalesce(f.ok, 0) >= (CASE WHEN p."check" = 'c1' OR p."check" = 'c4'
                                            THEN 1 ELSE 2 END)
            THEN 'met' ELSE 'overdue' END AS status,
       coalesce(f.n, 0) AS actual
FROM (SELECT DISTINCT unit FROM versions) u CROSS JOIN periods p
LEFT JOIN found f ON f."check" = p."check" AND f.unit = u.unit AND f.period = p.period;
