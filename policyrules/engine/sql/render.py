"""Results as the report writes them, rendered by the database: each result's JSON item
exactly as `policyrules.report.json_items` writes it, its CSV row as `csv_rows` does, so that
a city's results never become Python objects on their way out."""

from __future__ import annotations

from sqlglot import exp

from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.sentences import plain_text, unit_name_of
from policyrules.engine.sql.text import json_float, json_string, json_strings, number_text

E = exp.Expr

#: the JSON item's indentation: four spaces before the item, two more per level
_IN = "    "


def result_id(r: str, x: str) -> E:
    parts = [
        q.col("policy", x),
        q.col("obligation", x),
        q.col("unit", r),
        q.col("person", r),
        q.col("label", r),
    ]
    kept = q.func(
        "list_filter",
        exp.Array(expressions=parts),
        exp.Lambda(
            this=q.and_(
                q.is_not_null(exp.to_identifier("s")),
                exp.NEQ(this=exp.to_identifier("s"), expression=q.lit("")),
            ),
            expressions=[exp.to_identifier("s")],
        ),
    )
    return q.func("array_to_string", kept, q.lit("/"))


def json_item(r: str, x: str) -> E:
    """The JSON of one result (`r` the result row, `x` its rule's row)."""
    i1, i2, i3 = _IN + "  ", _IN + "    ", _IN + "      "

    def line(key: str, value: E, indent: str = i1, last: bool = False) -> list[E]:
        return [q.lit(f'{indent}"{key}": '), value, q.lit("\n" if last else ",\n")]

    parts: list[E] = [q.lit(_IN + "{\n")]
    parts += line("id", json_string(result_id(r, x)))
    parts += line("unit", json_string(q.col("unit", r)))
    parts += line("person", json_string(q.col("person", r)))
    parts += line("obligation", json_string(q.col("obligation", x)))
    parts += line("title", json_string(q.col("title", x)))
    parts += line("policy", json_string(q.col("policy", x)))
    parts += [q.lit(f'{i1}"period": {{\n')]
    parts += line("label", json_string(q.col("label", r)), i2)
    parts += line("start", json_string(q.cast(q.col("wstart", r), "VARCHAR")), i2)
    parts += line("end", json_string(q.cast(q.col("wend", r), "VARCHAR")), i2, last=True)
    parts += [q.lit(f"{i1}}},\n")]
    # pydantic writes a zero offset as `Z` (the CSV keeps ISO 8601's `+00:00`)
    due = q.func("regexp_replace", q.col("due_text", r), q.lit(r"\+00:00$"), q.lit("Z"))
    parts += line("due", json_string(due))
    parts += line("status", json_string(q.col("status", r)))
    parts += line("severity", json_string(q.col("severity", x)))
    parts += line("required", json_float(q.col("required", r)))
    parts += line("actual", json_float(q.col("actual", r)))
    parts += line("evidence", json_strings(q.col("evidence", r), i1))
    parts += line("reason", json_string(q.col("reason", r)))
    parts += line("slack", json_string(q.col("slack", r)))
    parts += [q.lit(f'{i1}"source": {{\n')]
    parts += line("file", json_string(q.col("file", x)), i2)
    parts += line("line", q.coalesce(q.cast(q.col("line", x), "VARCHAR"), q.lit("null")), i2)
    parts += line("clause", json_string(q.col("clause", x)), i2, last=True)
    parts += [q.lit(f"{i1}}},\n")]
    parts += line("refs", json_strings(q.col("refs", x), i1))
    parts += line("consequence", json_string(q.col("consequence", x)))
    parts += line("trigger", json_string(q.col("trigger", r)))
    # the fields of the report's words (joined by sentences.join_sentences)
    parts += line("unit_name", json_string(unit_name_of()))
    parts += line("plain", json_string(plain_text(r)), last=True)
    parts += [q.lit(_IN + "}")]
    _ = i3
    return q.concat_all(*parts)


def _csv_cell(value: E) -> E:
    """A cell as Python's csv module writes it: quoted (quotes doubled) when it holds a
    comma, a quote or a line break."""
    text = q.coalesce(value, q.lit(""))
    special = q.func("regexp_matches", text, q.lit('[,"\\r\\n]'))
    quoted = q.concat(q.lit('"'), q.func("replace", text, q.lit('"'), q.lit('""')), q.lit('"'))
    return q.case([(special, quoted)], text)


def csv_row(r: str, x: str) -> E:
    """The CSV row of one result, with its line end (`\\r\\n`, as csv.writer)."""
    cells = [
        q.col("unit", r),
        q.coalesce(q.col("person", r), q.lit("")),
        q.col("obligation", x),
        q.func("array_to_string", q.col("refs", x), q.lit(" ")),
        q.col("label", r),
        q.cast(q.col("wstart", r), "VARCHAR"),
        q.cast(q.col("wend", r), "VARCHAR"),
        q.coalesce(q.col("due_text", r), q.lit("")),
        q.col("status", r),
        q.col("severity", x),
        number_text(q.col("required", r), 6, none=""),
        number_text(q.col("actual", r), 6, none=""),
        q.func("array_to_string", q.col("evidence", r), q.lit(" ")),
        q.col("reason", r),
        q.coalesce(unit_name_of(), q.lit("")),
        q.coalesce(plain_text(r), q.lit("")),
    ]
    joined = _csv_cell(cells[0])
    for cell in cells[1:]:
        joined = q.concat(joined, q.lit(","), _csv_cell(cell))
    return q.concat(joined, q.lit("\r\n"))
