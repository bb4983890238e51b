"""What a target kind is: `KindSpec`, the rules every kind module fills in, and the rules
several kinds share (a level target's value inside the indicator's bounds, a straight plan
line). Each kind module (`level_at_least`, `annual_change`, ...) holds one spec; the
registry (`registry.KINDS`) lists them. Nothing here knows a kind by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Target(Protocol):
    """What P(met) reads of a target (`core.progress.TargetSpec` has it)."""

    @property
    def measure(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def direction(self) -> int: ...
    @property
    def target_year(self) -> int: ...


class Predictive(Protocol):
    """What P(met) asks of a forecast (`core.models.Forecast` answers it)."""

    def prob_at_least(self, value: float, year: int) -> float: ...
    def prob_at_most(self, value: float, year: int) -> float: ...
    def prob_sum_at_least(self, value: float) -> float: ...


#: The level at the target year equivalent to the target (DESIGN.md §3), elementwise per
#: row: (baseline, target value, years from baseline to target, measure) -> level.
LevelRule = Callable[[np.ndarray, "np.ndarray | float", int, str], np.ndarray]
#: The plan line: the level on an even schedule at ``share`` of the plan period, per row:
#: (baseline, equivalent level, share) -> level.
LineRule = Callable[[np.ndarray, np.ndarray, "np.ndarray | float"], np.ndarray]
#: Why a plan's target of this kind cannot be right, or None: (value, lower bound, upper
#: bound, direction "increase"/"decrease") -> the message shown at the YAML line.
PlanCheck = Callable[[float, "float | None", "float | None", str], "str | None"]
#: Why a target value of this kind is out of range on its own, or None (checked at the
#: value's own line, before the indicator's other fields are known).
ValueCheck = Callable[[float], "str | None"]


#: Which of a kind's target sentences a target says: (measure "stock"/"flow", whether the
#: target is a whole project the report words as built, e.g. one new school) -> its key.
SentenceChoice = Callable[[str, bool], str]

@dataclass(frozen=True)
class Sentence:
    """One sentence saying what a target asks, in Chinese and English, under its template
    key (``target.<...>``): the report's `text.TEMPLATES` takes it from here, so it is
    written once, and fills the fields it names in braces from the indicator (the fields
    and their meaning: `outputs/report/target_sentence.FIELDS`)."""

    key: str
    zh: str
    en: str


def no_problem(*args: object) -> str | None:
    """A kind with nothing to check."""
    return None


def straight_line(baseline: np.ndarray, level: np.ndarray, share: np.ndarray | float
                  ) -> np.ndarray:
    """The plan line of a kind that moves by equal steps: b + (v − b)·share."""
    return np.asarray(baseline + (level - baseline) * share, dtype=np.float64)


def bounds_problem(value: float, lo: float | None, hi: float | None) -> str | None:
    """A level target must lie inside the indicator's natural bounds."""
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return f"target value {value} lies outside bounds [{lo}, {hi}]"
    return None


@dataclass(frozen=True)
class KindSpec:
    """One target kind: its name, its equivalent level at the target year (the progress
    formulas' one input that depends on the kind), its plan line, its plan checks, and
    what the other layers need to know of it (a path over the years for the charts, a
    level in the indicator's units, running totals of flow data, whole projects), and the
    report's sentence saying what the target asks (zh and en in one `Sentence`)."""

    name: str
    level: LevelRule
    #: The Chinese names plan.yaml may write for the kind (不低于 for level_at_least).
    names_zh: tuple[str, ...] = ()
    line: LineRule = straight_line
    check: PlanCheck = no_problem
    check_value: ValueCheck = no_problem
    #: The target is a path over the years (a change, a total, a growth), not one level.
    is_path: bool = False
    #: The target value is a level in the indicator's units (bounds and unit checks apply).
    value_is_level: bool = False
    #: Flow data (additions per year) are judged on their running total since the baseline.
    sums_flows: bool = False
    #: The target may count whole projects (one new school) rather than a rate.
    counts_projects: bool = False
    #: The report's sentences saying what a target of this kind asks (one, or one per case).
    sentences: tuple[Sentence, ...] = ()
    #: Which of ``sentences`` a target says; None: the kind has one sentence.
    choose_sentence: SentenceChoice | None = None

    def sentence_key(self, measure: str, project: bool) -> str:
        """The template key of the sentence saying what a target of this kind asks, on
        ``measure`` data (``project``: a whole project the report words as built)."""
        if self.choose_sentence is not None:
            return self.choose_sentence(measure, project)
        if len(self.sentences) != 1:
            raise ValueError(f"target kind {self.name!r} has no sentence to choose from")
        return self.sentences[0].key

    def totals(self, measure: str) -> bool:
        """True when the target is judged on the running total of flow data."""
        return self.sums_flows and measure == "flow"

    def p_met(self, fc: Predictive, spec: Target, level: float, done: float) -> float:
        """P(target met) under one forecast: the level at the target year, or the total of
        the yearly additions (``done`` so far) for a running total."""
        if self.totals(spec.measure):
            return fc.prob_sum_at_least(spec.value - done)
        if spec.direction > 0:
            return fc.prob_at_least(level, spec.target_year)
        return fc.prob_at_most(level, spec.target_year)
