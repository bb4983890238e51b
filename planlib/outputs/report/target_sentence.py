"""The sentence saying what an indicator's target asks: the kind's own sentence (its
`KindSpec.sentences`, zh and en written once in `core/targets/<kind>.py`) filled with the
fields it names, each formatted here the one way the report prints it. Nothing here knows a
kind by name, so a new kind whose sentence uses these fields touches only its module."""

from __future__ import annotations

import math
from collections.abc import Callable
from string import Formatter

from planlib.core.result import IndicatorResult
from planlib.core.targets.registry import kind_of
from planlib.outputs.report import numbers as nf
from planlib.outputs.report.text import TEMPLATES, Sayer

#: A field's text: (result, sayer, "adopted" 规划目标 or "draft" 草案目标) -> the text.
Field = Callable[[IndicatorResult, Sayer, str], str]


def _plan_value(r: IndicatorResult) -> float:
    """The target value as the plan writes it (NaN without a target)."""
    target = r.indicator.target
    return float(target.value) if target is not None else math.nan


def _baseline_year(r: IndicatorResult, say: Sayer, targets: str) -> str:
    return nf.year(r.indicator.baseline.year or r.spec.baseline_year, say.lang)


def _cmp(r: IndicatorResult, say: Sayer, targets: str) -> str:
    return say.word("not_higher" if r.indicator.direction == "decrease" else "not_lower")


#: Every field a target sentence may name in braces, and its text.
FIELDS: dict[str, Field] = {
    # the target as a subject or as asked for: 规划目标 / 草案目标, 规划要求 / 草案要求
    "subject": lambda r, say, targets: say.word(f"subject.{targets}"),
    "asks": lambda r, say, targets: say.word(f"asks.{targets}"),
    "milestone": lambda r, say, targets: say.word(f"milestone.{targets}"),
    # the target year and the baseline year
    "year": lambda r, say, targets: nf.year(r.target_year, say.lang),
    "t0": _baseline_year,
    # the equivalent level at the target year, with its unit
    "target": lambda r, say, targets: nf.value(r, r.target_level, say.lang),
    # the target value as the plan writes it: an amount with its unit, a change a year
    # with its unit, a growth rate in percent
    "amount": lambda r, say, targets: nf.value(r, _plan_value(r), say.lang),
    "step": lambda r, say, targets: nf.change(r, _plan_value(r), say.lang),
    "rate": lambda r, say, targets: nf.number(_plan_value(r), 1),
    # at least / at most (不低于 / 不高于), by the indicator's direction
    "cmp": _cmp,
}


def fields_of(template: str) -> list[str]:
    """The field names a template uses, in order."""
    return [name for _, name, _, _ in Formatter().parse(template) if name]


def is_project(r: IndicatorResult) -> bool:
    """A target the report words as built (one new school): scheduled, or counted in a unit
    that is not a rate."""
    ind = r.indicator
    return ind.schedule is not None or not nf.is_rate(ind.unit)


def target_sentence(r: IndicatorResult, say: Sayer, targets: str = "adopted") -> str:
    """What the target asks, said of a published (``adopted``: 规划目标) or drafted
    (``draft``: 草案目标) target."""
    key = kind_of(r.target_kind).sentence_key(r.indicator.measure, is_project(r))
    return say(key, **{name: FIELDS[name](r, say, targets)
                       for name in fields_of(TEMPLATES[key][say.lang])})
