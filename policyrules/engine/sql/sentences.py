"""The fields a report decides per report, not per result — each unit's name and each rule's
plain-sentence templates — as two small tables made in Python and joined in SQL, so that the
columnar engine's `unit_name` and `plain` are the reference's byte for byte without being
computed twice (:mod:`policyrules.engine.plain` says how a sentence is made).

- `unit_names(unit, name)`: the name of each unit checked
  (:func:`policyrules.engine.plain.unit_name`);
- `sentences(rule, status, ntexts, nholes, wtexts, wholes)`: per rule and status, the
  pieces (:func:`policyrules.engine.plain.pieces`) of the template for a result with both
  numbers (`n…`) and of the one without (`w…`).

A query that renders results joins them as `n` and `p` (:func:`join_sentences`);
:func:`plain_text` fills the pieces with the result's values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlglot import exp

from policyrules.data.model import UnitSet
from policyrules.engine.plain import pieces, templates, unit_name
from policyrules.engine.sql import sqlx as q
from policyrules.engine.sql.store import Store
from policyrules.engine.sql.text import number_text
from policyrules.rules.compiler import CompiledPolicy

E = exp.Expr
STATUSES = ("met", "late", "overdue", "at_risk", "pending", "indeterminate")
#: the aliases of the two tables in a rendering query
NAMES, SENTENCES = "n", "p"


def load_sentences(
    store: Store,
    compiled: CompiledPolicy,
    units: UnitSet | None,
    unit_ids: Sequence[str],
    as_of: dt.datetime,
    lang: str,
) -> None:
    """The tables `unit_names` and `sentences` of one evaluation."""
    names = ({"unit": u, "name": unit_name(units, u, as_of)} for u in unit_ids)
    store.load_rows("unit_names", {"unit": "VARCHAR", "name": "VARCHAR"}, names)
    rows = []
    for index, ob in enumerate(compiled.obligations):
        for status in STATUSES:  # the contract's six
            made = templates(ob.rule, status, lang)
            ntexts, nholes = pieces(made.numbers)
            wtexts, wholes = pieces(made.words)
            rows.append(
                {
                    "rule": index,
                    "status": status,
                    "ntexts": list(ntexts),
                    "nholes": list(nholes),
                    "wtexts": list(wtexts),
                    "wholes": list(wholes),
                }
            )
    lists = "VARCHAR[]"
    store.load_rows(
        "sentences",
        {
            "rule": "BIGINT",
            "status": "VARCHAR",
            "ntexts": lists,
            "nholes": lists,
            "wtexts": lists,
            "wholes": lists,
        },
        rows,
    )


def join_sentences(query: exp.Select, r: str) -> exp.Select:
    """`query` over results `r` with each one's unit name (`n`) and templates (`p`)."""
    return query.join(
        q.table("unit_names", NAMES),
        on=q.eq(q.col("unit", NAMES), q.col("unit", r)),
        join_type="left",
        copy=False,
    ).join(
        q.table("sentences", SENTENCES),
        on=q.and_(
            q.eq(q.col("rule", SENTENCES), q.col("rule", r)),
            q.eq(q.col("status", SENTENCES), q.col("status", r)),
        ),
        join_type="left",
        copy=False,
    )


def unit_name_of() -> E:
    return q.col("name", NAMES)


def _due(r: str) -> E:
    """:func:`policyrules.engine.plain.due_text`, from the result's ISO due text (its wall
    time in the policy's zone): the day alone from 23:59:59 on, else to the minute."""
    text = q.col("due_text", r)
    day = q.func("substr", text, q.lit(1), q.lit(10))
    time = q.func("substr", text, q.lit(12), q.lit(8))
    return q.case(
        [(q.is_null(text), q.lit("-")), (exp.GTE(this=time, expression=q.lit("23:59:59")), day)],
        q.concat(day, q.lit(" "), q.func("substr", text, q.lit(12), q.lit(5))),
    )


def plain_text(r: str) -> E:
    """The plain sentence of result `r`: its template's pieces joined with its values."""
    both = q.and_(q.is_not_null(q.col("required", r)), q.is_not_null(q.col("actual", r)))
    texts = q.case([(both, q.col("ntexts", SENTENCES))], q.col("wtexts", SENTENCES))
    holes = q.case([(both, q.col("nholes", SENTENCES))], q.col("wholes", SENTENCES))
    i = exp.to_identifier("i")

    def at(items: E, index: E) -> E:
        return exp.Bracket(this=items, expressions=[index])

    hole = at(holes, i)
    value = q.case(
        [
            (q.eq(hole, q.lit("required")), number_text(q.col("required", r), 4, none="-")),
            (q.eq(hole, q.lit("actual")), number_text(q.col("actual", r), 4, none="-")),
            (q.eq(hole, q.lit("due")), _due(r)),
        ],
        q.col("label", r),
    )
    joined = q.func(
        "array_to_string",
        q.func(
            "list_transform",
            q.func("range", q.lit(1), exp.Add(this=q.func("len", holes), expression=q.lit(1))),
            exp.Lambda(this=q.concat(at(texts, i), value), expressions=[i]),
        ),
        q.lit(""),
    )
    return q.concat(joined, at(texts, q.func("len", texts)))
