"""Bounded work on any plan file: YAML that would take unbounded time or memory to load
is refused with its line before anything is built from it.

Three shapes do that: aliases that multiply ("billion laughs": nine aliases of nine
aliases of … expand to 10⁹ nodes from 1 KB), an alias inside its own anchor (a list
that contains itself), and nesting thousands of levels deep (Python's recursion runs
out). Numbers thousands of digits long are refused too: Python will not convert more
than 4,300 digits, and no plan value needs more than a few dozen. The check reads the
YAML event stream once, without recursion and without expanding anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from planlib.errors import InputError, Problem

MAX_DEPTH = 32  # a plan nests 5 levels deep (indicators, item, target, ...)
MAX_NODES = 100_000  # values after expanding aliases; a large plan has ~10,000
MAX_PLAN_BYTES = 10_000_000  # a plan of 1,000 indicators is ~300 KB
MAX_NUMBER_CHARS = 100  # a float has 17 significant digits; a year 4
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_FIX_SIMPLE = "write the plan without anchors (&) and aliases (*): repeat the values instead"


@dataclass
class _Open:
    """A mapping or sequence being read: its anchor and its expanded size so far."""

    anchor: str | None
    size: int = 1


def check_yaml_limits(text: str, file: str) -> None:
    """Raise InputError (with the line) for YAML too deep, too large once its aliases are
    expanded, self-referring, or holding a number too long to read."""
    resolver = yaml.SafeLoader("")
    sizes: dict[str, int] = {}
    stack: list[_Open] = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append(_Open(event.anchor))
            if len(stack) > MAX_DEPTH:
                raise _problem(file, line, f"values are nested more than {MAX_DEPTH} levels "
                               "deep", "a plan needs about 5 levels; remove the extra brackets "
                               "or indentation")
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            done = stack.pop()
            size = done.size
            if done.anchor is not None:
                sizes[done.anchor] = size
        elif isinstance(event, yaml.AliasEvent):
            size = _alias_size(event.anchor, sizes, stack, file, line)
        elif isinstance(event, yaml.ScalarEvent):
            _check_number(event, resolver, file, line)
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = size
        else:
            continue
        if stack:
            stack[-1].size += size
        if (sum(o.size for o in stack) if stack else size) > MAX_NODES:
            raise _problem(file, line, f"the aliases (*) expand to more than {MAX_NODES:,} "
                           "values (an 'alias bomb')", _FIX_SIMPLE)


def _alias_size(anchor: str | None, sizes: dict[str, int], stack: list[_Open], file: str,
                line: int | None) -> int:
    """Expanded size of an alias; an alias of a node still open refers to itself."""
    if anchor in sizes:
        return sizes[anchor]
    if any(o.anchor == anchor for o in stack):
        raise _problem(file, line, f"alias *{anchor} is inside its own anchor &{anchor}, "
                       "so the value would contain itself without end", _FIX_SIMPLE)
    raise _problem(file, line, f"alias *{anchor} has no anchor &{anchor} before it",
                   _FIX_SIMPLE)


def _check_number(event: yaml.ScalarEvent, resolver: yaml.SafeLoader, file: str,
                  line: int | None) -> None:
    """Refuse a plain number too long to be a plan value (or to convert at all)."""
    value = event.value
    if len(value) <= MAX_NUMBER_CHARS:
        return
    tag = event.tag
    if tag is None or tag == "!":  # no tag written: what YAML would read it as
        tag = resolver.resolve(yaml.ScalarNode, value, event.implicit)
    if tag in _NUMBER_TAGS:
        raise _problem(file, line, f"a number {len(value):,} characters long "
                       f"('{value[:12]}…')", "write the number with at most "
                       f"{MAX_NUMBER_CHARS} characters, such as 90 or 1.5e6")


def check_plan_size(size: int, file: str) -> None:
    """Refuse a plan file too large to be a plan (before reading it into memory)."""
    if size > MAX_PLAN_BYTES:
        raise _problem(file, None, f"the plan file is {size:,} bytes; a plan is a few KB "
                       f"(at most {MAX_PLAN_BYTES:,} bytes are read)",
                       "check --plan names the plan.yaml, not a data file; put data in "
                       "CSV or XLSX files named by the plan's data globs")


def _problem(file: str, line: int | None, message: str, fix: str) -> InputError:
    return InputError([Problem(file, line, None, None, message, fix)])
