"""Plan-file problems as the user should read them: the YAML line, the field, and a fix.

Turns pydantic validation errors into Problems, and finds what YAML loaders silently
accept (a key given twice, an indicator id used twice).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from planlib.errors import Problem
from planlib.inputs import xml_chars
from planlib.inputs.yaml_lines import line_of

FORMAT_DOC = "docs/plan-format.md"


def problem_from_error(err: Mapping[str, Any], file: str, lines: dict) -> Problem:
    """Turn one pydantic error into a Problem naming the YAML line and the field."""
    loc = tuple(err["loc"])
    field = ".".join(str(p) for p in loc) or "(top level)"
    kind = err["type"]
    value = err.get("input")
    shown = None if isinstance(value, dict | list) or value is None else str(value)
    if "bounds" in loc and kind in ("missing", "tuple_type", "too_long", "too_short"):
        loc = loc[: loc.index("bounds") + 1]
        field = ".".join(str(p) for p in loc)
        message = f"'{field}' must be a pair [lower, upper]"
        fix = "write bounds: [0, 100], with null for an open side, e.g. [0, null]"
    elif kind == "extra_forbidden":
        message, fix = f"unknown field '{loc[-1]}'", "remove it or correct its spelling"
    elif kind == "missing":
        message, fix = f"required field '{field}' is missing", f"add '{loc[-1]}:'"
    elif kind == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        message, fix = f"'{field}' is not one of the allowed values", f"use one of {allowed}"
    else:
        message = err["msg"].removeprefix("Value error, ")  # the column names the field
        fix = _FIXES.get(kind, f"correct the value (see {FORMAT_DOC})")
    return Problem(file, line_of(lines, loc), field, shown, message, fix)


_YEAR_FIX = "write a plain four-digit year such as 2025 (no 年, no quotes)"
_NUMBER_FIX = "write a plain number such as 90 or -0.5 (digits, no units or Chinese numerals)"
_FIXES = {
    "int_parsing": _YEAR_FIX,
    "int_from_float": _YEAR_FIX,
    "int_type": _YEAR_FIX,
    "greater_than_equal": "write a year between 1900 and 2100",
    "less_than_equal": "write a year between 1900 and 2100",
    "float_parsing": _NUMBER_FIX,
    "float_type": _NUMBER_FIX,
    "finite_number": _NUMBER_FIX,
    "string_type": "write text; put it in quotes if it looks like a number or a date",
    "string_pattern_mismatch": "use letters, digits, _ and -, starting with a letter",
    "list_type": "write a list, one item per line starting with '- '",
    "dict_type": "write the fields under it as 'key: value' lines",
    "model_type": "write the fields under it as 'key: value' lines",
    "too_short": "add at least one item",
    "driver_lags": "list each age once, e.g. lags: [3, 4, 5] for children aged 3-5 "
                   "(born 3-5 years before)",
}


def duplicate_keys(node: yaml.Node | None, file: str) -> list[Problem]:
    """Keys given twice in one mapping: YAML loaders silently keep the last one."""
    problems: list[Problem] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                name, line = str(key.value), key.start_mark.line + 1
                if name in seen:
                    problems.append(Problem(
                        file, line, name, None,
                        f"'{name}' is given twice (first on line {seen[name]}); "
                        "only one can count", "delete one of them"))
                else:
                    seen[name] = line
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return problems


def duplicate_ids(data: dict, file: str, lines: dict) -> list[Problem]:
    """Indicator ids given twice, at the line of the second."""
    items = data.get("indicators")
    if not isinstance(items, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        line = line_of(lines, ("indicators", i, "id"))
        if ident in first:
            problems.append(Problem(
                file, line, f"indicators.{i}.id", ident,
                f"indicator id '{ident}' appears twice (first on line {first[ident]})",
                "give each indicator its own id; use 'series:' to read the same data twice"))
        else:
            first[ident] = line or 0
    return problems


def not_xml_problems(data: dict, file: str, lines: dict) -> list[Problem]:
    """Plan text holding characters XML cannot hold (a form feed in a name), at its line."""
    problems = []
    for path, text in xml_chars.strings_in(data):
        named = xml_chars.not_xml(text)
        if named:
            field = xml_chars.visible(".".join(str(p) for p in path)) or "(top level)"
            problems.append(Problem(file, line_of(lines, path), field, text,
                                    xml_chars.message("the text", named), xml_chars.FIX))
    return problems
