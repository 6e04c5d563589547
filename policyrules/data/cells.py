"""A list written as text, as a CSV cell holds it.

The accepted forms (docs/data.md, "Lists in a cell"):

- a JSON array of scalars: `[1.2, 2.4]`, `["jpg", "png"]`, `[]`;
- what Python and pandas write for a list (`DataFrame.to_csv` writes `str(list)`):
  `['jpg', 'png']`, `["it's"]`, `[1.2, 2.4]`, `[True, False]`, and with numpy values
  `[np.float64(1.5), np.int64(2)]`, `[np.str_('a')]`;
- what numpy writes for an array: `[1.5 2. ]`, `['a' 'b']` (items apart by spaces);
- items apart by `;` or else by `|`: `a;b`, `1.2 | 2.4` (each item without its spaces; empty
  items dropped);
- anything else is a list of one item: `jpg` is `["jpg"]`.

A bracketed text none of these forms reads is not a list; a list inside a list is refused by
the rule of its items (`not a number`).
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from policyrules.diagnostics.messages import Message, msg

# numbers kept as their text, as in the other forms: the item's rule reads them
_JSON_CELL = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str).raw_decode
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:nan|inf)"
_STRING = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
# one item of a Python or numpy list, and what follows it: a comma, spaces, or the end
_ITEM = re.compile(
    rf"\s*(?:np\.(?:float|int|uint)(?:16|32|64|128)?\(\s*(?P<wrapped>{_NUMBER})\s*\)"
    rf"|np\.str_\(\s*(?P<wrapped_text>{_STRING})\s*\)"
    rf"|np\.bool_?\(\s*(?P<wrapped_truth>True|False)\s*\)"
    rf"|(?:np\.)?(?P<truth>True|False)_?"
    rf"|(?P<text>{_STRING})"
    rf"|(?P<number>{_NUMBER}))"
    r"\s*(?P<after>,|\s|$)",
    re.DOTALL,
)


def list_items(text: str) -> list[Any] | Message:
    """The items of a list written as `text`, or why it is not a list. Items written as
    numbers are returned as their text (the item's rule reads them, as it reads a CSV
    cell); quoted ones as strings, `true`/`True` and `false`/`False` as booleans."""
    stripped = text.strip()
    opens, closes = stripped.startswith("["), stripped.endswith("]")
    if opens != closes:
        return msg("not a list")
    if not opens:
        for separator in (";", "|"):
            if separator in stripped:
                return [part.strip() for part in stripped.split(separator) if part.strip()]
        return [stripped] if stripped else []
    try:
        value, end = _JSON_CELL(stripped)
    except (ValueError, RecursionError):
        return _python_items(stripped[1:-1])
    if end != len(stripped) or not isinstance(value, list):
        return _python_items(stripped[1:-1])
    return value  # a list inside it is refused by the rule of its items


def _python_items(inner: str) -> list[Any] | Message:
    items: list[Any] = []
    position, end = 0, len(inner)
    while inner[position:].strip():
        found = _ITEM.match(inner, position)
        if found is None:
            return msg("not a list")
        position = found.end()
        if found["text"] is not None or found["wrapped_text"] is not None:
            try:
                items.append(ast.literal_eval(found["text"] or found["wrapped_text"]))
            except (ValueError, SyntaxError):
                return msg("not a list")
        elif found["truth"] is not None or found["wrapped_truth"] is not None:
            items.append((found["truth"] or found["wrapped_truth"]) == "True")
        else:
            items.append(found["wrapped"] or found["number"])
        if found["after"] == "" and position < end and inner[position:].strip():
            return msg("not a list")
    return items
