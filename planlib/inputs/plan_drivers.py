"""Drivers and context series in the plan file (DESIGN.md §8, issue #19).

An indicator may name a ``driver``: another series of the data (births, a population) whose
values ``lags`` years earlier make up the cohort the indicator follows (children aged 3–5 in
year t were born in t−3…t−5: ``driver: {series: births, lags: [3, 4, 5]}``). The driver is a
plan indicator's series or a ``context`` series: a series the data carry and the plan
declares (id, names, unit, source) without a target. Declared context series are read like
the plan's own and never reported as unknown ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from planlib.errors import Problem
from planlib.inputs.yaml_lines import line_of

if TYPE_CHECKING:
    from planlib.inputs.plan import Plan

_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]*$"
MAX_LAG = 30  # an age: a cohort older than 30 drives no school indicator


class Driver(BaseModel):
    """The series an indicator follows and the lags (ages) whose values form its cohort."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    series: str = Field(pattern=_ID_PATTERN)
    lags: list[int] = Field(min_length=1, description="Ages: year t sums series at t - lag.")

    @field_validator("lags")
    @classmethod
    def _lags_are_ages(cls, v: list[int]) -> list[int]:
        bad = [lag for lag in v if not 0 <= lag <= MAX_LAG]
        if bad:
            raise PydanticCustomError(
                "driver_lags", f"lags {bad} are not ages between 0 and {MAX_LAG}")
        if len(set(v)) != len(v):
            raise PydanticCustomError("driver_lags", f"lags {v} repeat an age")
        return sorted(v)


class ContextSeries(BaseModel):
    """A series of the data that the plan reads without a target (e.g. births)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN)
    name_zh: str
    name_en: str = ""
    unit: str = ""
    source: str = ""
    note: str = ""


def driver_problems(plan: Plan, file: str, lines: dict) -> list[Problem]:
    """Drivers naming no series of the plan, or the indicator's own series; context ids that
    repeat or clash with a plan series -- each at its YAML line."""
    problems: list[Problem] = []
    plan_series = {ind.series_id for ind in plan.indicators}
    seen: set[str] = set()
    for i, ctx in enumerate(plan.context):
        where, field = line_of(lines, ("context", i, "id")), f"context.{i}.id"
        if ctx.id in plan_series:
            problems.append(Problem(file, where, field, ctx.id,
                                    f"context series '{ctx.id}' is also a plan indicator's "
                                    "series", "remove it from context: (the plan reads it)"))
        elif ctx.id in seen:
            problems.append(Problem(file, where, field, ctx.id,
                                    f"context series '{ctx.id}' is declared twice",
                                    "keep one entry per context series"))
        seen.add(ctx.id)
    known = sorted(plan_series | seen)
    for i, ind in enumerate(plan.indicators):
        if ind.driver is None:
            continue
        series = ind.driver.series
        where = line_of(lines, ("indicators", i, "driver", "series"))
        field = f"indicators.{i}.driver.series"
        if series == ind.series_id:
            problems.append(Problem(file, where, field, series,
                                    f"indicator '{ind.id}' cannot be its own driver",
                                    "name the series it follows, e.g. births"))
        elif series not in known:
            problems.append(Problem(
                file, where, field, series,
                f"driver series '{series}' is neither a plan indicator nor a context series",
                "declare it under context: (id, name_zh, unit, source) or use one of: "
                + ", ".join(known)))
    return problems
