"""A `.json` file holding one JSON array of rows (what `json.dump(rows)` and many exports
write): each element is a row, numbered by the line it starts on.

An element that is not an object, holds `NaN` or `Infinity`, repeats a key or has a number
of too many digits is that element's rejection. The array itself must be JSON as a whole:
where it is not, no element after the break can be found, so the file is refused
(:class:`InputError`) with the place of the break.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

from policyrules.data.model import InputError
from policyrules.diagnostics.messages import Message, msg

_WHITESPACE = " \t\n\r"


class _Element:
    """The problems found while one element is decoded (the decoder's hooks cannot stop at
    an element's end, so they note what is wrong and decoding goes on)."""

    def __init__(self) -> None:
        self.problem: Message | None = None

    def note(self, problem: Message) -> None:
        if self.problem is None:
            self.problem = problem

    def constant(self, name: str) -> float:
        self.note(msg("not JSON: `{value}` is not a JSON value (write a number, or leave the"
                      " field out)", value=name))
        return 0.0

    def integer(self, text: str) -> int:
        if len(text.lstrip("-")) > 4300:
            self.note(msg("not JSON: a number with too many digits"))
            return 0
        return int(text)

    def pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(items)
        if len(found) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    self.note(msg("duplicate key `{key}`", key=key))
                    break
                seen.add(key)
        return found


def array_rows(data: bytes, name: str) -> Iterator[tuple[int, Mapping[str, Any] | Message]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(msg("{path}:{line}: not UTF-8 text", path=name, line=line)) from None
    element = _Element()
    decoder = json.JSONDecoder(parse_constant=element.constant, parse_int=element.integer,
                               object_pairs_hook=element.pairs)
    position = _skip(text, text.index("[") + 1)
    line, counted = 1, 0  # the line of `position`, counted incrementally up to `counted`
    if text.startswith("]", position):
        return _end(text, position + 1, name)
    while True:
        line += text.count("\n", counted, position)
        counted = position
        element.problem = None
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            _broken(name, msg(error.msg.lower()), error.lineno, error.colno)
        except RecursionError:
            _broken(name, msg("nested too deeply"), line, 1)
        if element.problem is not None:
            yield line, element.problem
        elif not isinstance(value, dict):
            yield line, msg("not a JSON object")
        else:
            yield line, value
        position = _skip(text, position)
        if text.startswith("]", position):
            return _end(text, position + 1, name)
        if not text.startswith(",", position):
            where = text.count("\n", 0, position) + 1
            column = position - text.rfind("\n", 0, position)
            _broken(name, msg("expecting ',' delimiter"), where, column)
        position = _skip(text, position + 1)


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITESPACE:
        position += 1
    return position


def _end(text: str, position: int, name: str) -> None:
    rest = _skip(text, position)
    if rest < len(text):
        where = text.count("\n", 0, rest) + 1
        column = rest - text.rfind("\n", 0, rest)
        _broken(name, msg("extra data"), where, column)


def _broken(name: str, problem: Message, line: int, column: int) -> NoReturn:
    raise InputError(msg(
        "{path}:{line}:{column}: not JSON: {problem}; a JSON array is read only whole (or"
        " write one object a line: JSON Lines)", path=name, line=line, column=column,
        problem=problem))
