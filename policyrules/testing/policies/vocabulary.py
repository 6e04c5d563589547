"""The words a drawn policy is made of: a small fixed set of event kinds, attributes, unit
facts, festivals and value pools, shared by the policies (:mod:`.policies`) and the data
(:mod:`.data`) so that conditions a policy writes are sometimes true of the data and
sometimes not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

#: the types an attribute or fact may be declared with, as the checker's tags
NUMBER, INT, STRING, ENUM, BOOL, DATE, DATETIME, FESTIVAL = (
    "number", "int", "string", "enum", "bool", "date", "datetime", "festival",
)  # fmt: skip
LIST_STRING, LIST_NUMBER = "list:string", "list:number"
NUMERIC = frozenset({NUMBER, INT, "ratio"})


@dataclass(frozen=True)
class Attribute:
    """A declared attribute (or unit fact): its name, type tag and, for `one of`, its values;
    `pool` names the values the data draws it from (:attr:`Vocabulary.pools`)."""

    name: str
    type: str
    pool: str = ""
    values: tuple[str, ...] = ()

    def declaration(self) -> str:
        if self.type == ENUM:
            listed = ", ".join(quoted(v) for v in self.values)
            return f"{self.name}: one of [{listed}]"
        return f"{self.name}: " + {
            LIST_STRING: "list of string",
            LIST_NUMBER: "list of number",
        }.get(self.type, self.type)


@dataclass(frozen=True)
class Kind:
    """An event kind the vocabulary offers: its attributes, whether it may be drawn as a
    `stock` (and how likely, in percent), and the list attribute it may `count for`."""

    name: str
    attributes: tuple[Attribute, ...]
    stock_percent: int = 10
    counts_for: str | None = None

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True)
class Festival:
    name: str
    rule: str  # as written after `=`


@dataclass(frozen=True)
class Vocabulary:
    kinds: tuple[Kind, ...]
    facts: tuple[Attribute, ...]
    festivals: tuple[Festival, ...]
    #: the values of each pool: strings, or numbers
    pools: Mapping[str, tuple[object, ...]] = field(default_factory=dict)
    units: tuple[str, ...] = ("u1", "u2", "u3")
    #: first days a policy's window may start on
    starts: tuple[dt.date, ...] = ()

    def kind(self, name: str) -> Kind:
        return next(k for k in self.kinds if k.name == name)


def quoted(text: str) -> str:
    """A string literal of the language."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_CATEGORIES = ("必选", "自选")
_FORMS = ("计划", "总结", "信息")
_FIELDS = ("教育", "科技", "法律")

VOCABULARY = Vocabulary(
    kinds=(
        Kind(
            "activity",
            (
                Attribute("hours", NUMBER, "hours"),
                Attribute("participants", INT, "participants"),
                Attribute("category", ENUM, "category", _CATEGORIES),
                Attribute("theme", STRING, "theme"),
                Attribute("risky", BOOL),
                Attribute("person", STRING, "person"),
                Attribute("persons", LIST_STRING, "person"),
                Attribute("photo_mb", LIST_NUMBER, "photo"),
                Attribute("held_on", DATE),
                Attribute("ended", DATETIME),
                Attribute("festival", FESTIVAL),
                Attribute("site", STRING, "unit"),
            ),
            stock_percent=5,
        ),
        Kind(
            "report",
            (
                Attribute("form", ENUM, "form", _FORMS),
                Attribute("ref", STRING, "id"),
                Attribute("period", STRING, "label"),
                Attribute("photo_mb", LIST_NUMBER, "photo"),
            ),
            stock_percent=5,
        ),
        Kind(
            "registration",
            (
                Attribute("person", STRING, "person"),
                Attribute("party_member", BOOL),
                Attribute("student", BOOL),
            ),
            stock_percent=80,
        ),
        Kind(
            "training",
            (
                Attribute("hours", NUMBER, "hours"),
                Attribute("field", STRING, "field"),
                Attribute("joint_units", LIST_STRING, "unit"),
            ),
            stock_percent=0,
            counts_for="joint_units",
        ),
    ),
    facts=(
        Attribute("type", STRING, "type"),
        Attribute("staff", INT, "staff"),
        Attribute("population", INT, "population"),
        Attribute("parent", STRING, "unit"),
        Attribute("field", ENUM, "field", _FIELDS),
        Attribute("since", DATE),
    ),
    festivals=(
        Festival("植树节", "03-12"),
        Festival("建党节", "07-01"),
        Festival("中元节", "lunar 07-15"),
        Festival("清明节", "term 清明"),
        Festival("助残日", "3rd sunday of may"),
        Festival("除夕", "1 day before lunar 01-01"),
        Festival("重阳节", "lunar 09-09"),
        Festival("闰四月初八", "lunar leap 04-08"),
        Festival("感恩日", "2 days after 4th thursday of november"),
    ),
    pools={
        "hours": (1, 1.5, 0.5, 2, 3),
        "participants": (2, 0, 1, 3, 5, 8, 12),
        "category": _CATEGORIES,
        "theme": ("环保", "助老", "文明,交通", 'say "hi"'),
        "person": ("p1", "p2", "p3", "p4"),
        "photo": (1, 2.5, 0.5, 3, 4),
        "form": _FORMS,
        "field": ("消防", "法律", "教育"),
        "type": ("社区", "镇街", "部门"),
        "staff": (15, 5, 20, 21, 50, 51, 100, 101),
        "population": (100, 150, 1000),
    },
    units=("u1", "u2", "新河街"),
    starts=(
        dt.date(2021, 1, 1),
        dt.date(2021, 5, 22),
        dt.date(2021, 3, 15),
        dt.date(2020, 12, 28),
        dt.date(2021, 7, 1),
        dt.date(2020, 2, 29),
        dt.date(2026, 11, 2),
    ),
)
