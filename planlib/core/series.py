"""One indicator's series and the per-series rules of the evaluation that come before any
model: the target as the formulas see it, the per-series seed, the observations used for
fitting (breaks, fit_from) and the bounds a model fits with.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planlib.constants import Bounds
from planlib.core.labels import Note
from planlib.core.models.level_shifts import last_shift
from planlib.core.notes import (
    level_shift_notes,
    opened_bounds,
    target_on_bound_notes,
    window_notes,
)
from planlib.core.progress import TargetSpec
from planlib.core.targets.registry import kind_of
from planlib.inputs.plan import Indicator


def spec_from_indicator(ind: Indicator) -> TargetSpec:
    """The formula-level view of a plan indicator (years already resolved by the plan); a
    context indicator's kind is "context", its value NaN, its year the outlook year."""
    if ind.target is None:
        return TargetSpec(kind="context", value=math.nan, target_year=ind.target_year,
                          baseline_year=int(ind.baseline.year),  # type: ignore[arg-type]
                          direction=1 if ind.direction == "increase" else -1,
                          measure=ind.measure, baseline_value=ind.baseline.value)
    return TargetSpec(
        kind=ind.target.kind,
        value=ind.target.value,
        target_year=int(ind.target.year),  # type: ignore[arg-type]
        baseline_year=int(ind.baseline.year),  # type: ignore[arg-type]
        direction=1 if ind.direction == "increase" else -1,
        measure=ind.measure,
        baseline_value=ind.baseline.value,
    )


def derive_seed(seed: int, *key: str) -> int:
    """A per-series seed from the global seed and a stable key (order-independent rows)."""
    crc = zlib.crc32("\x1f".join(key).encode("utf-8"))
    return int(np.random.SeedSequence([seed, crc]).generate_state(1)[0])


@dataclass(frozen=True)
class Series:
    """One indicator's observations in one region, sorted by year."""

    years: np.ndarray
    values: np.ndarray
    flags: np.ndarray

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, by_year: bool = True) -> Series:
        """The observations of `frame` (sorted by year here unless `by_year` is False:
        the caller sorted them)."""
        if by_year:
            frame = frame.sort_values("year")
        flags = frame["flag"].astype("string").fillna("").to_numpy(dtype=object)
        return cls(frame["year"].to_numpy("int64"), frame["value"].to_numpy("float64"), flags)

    def before(self, as_of: int) -> Series:
        """Observations up to ``as_of − 1``."""
        keep = self.years <= as_of - 1
        return Series(self.years[keep], self.values[keep], self.flags[keep])

    def last_break(self, as_of: int, declared: Sequence[int] = ()) -> int | None:
        """Year of the last definitional break before ``as_of``: a ``break`` flag in the
        data or a year the plan declares (``breaks:``)."""
        flagged = self.years[(self.years <= as_of - 1) & (self.flags == "break")]
        years = [int(y) for y in flagged] + [int(y) for y in declared if y <= as_of - 1]
        return max(years) if years else None

    def window(self, as_of: int, declared: Sequence[int] = (),
               fit_from: int | None = None) -> tuple[Series, list[Note]]:
        """Observations used for fitting: before ``as_of``, from the last break and from
        ``fit_from`` on (whichever is later), then from the latest undeclared level shift
        inside what is left (`last_shift`: never across a declared break, so a declared
        break at the same year wins), with a note saying which applied."""
        keep = self.years <= as_of - 1
        brk = self.last_break(as_of, declared)
        start = max(y for y in (brk, fit_from) if y is not None) if (brk or fit_from) else None
        cut = start is not None and bool((self.years[keep] < start).any())
        if cut:
            keep &= self.years >= start
        notes = window_notes(brk, start, cut)
        shift = last_shift(self.years[keep], self.values[keep])
        if shift is not None:
            keep &= self.years >= shift
        notes += level_shift_notes(shift)
        return Series(self.years[keep], self.values[keep], self.flags[keep]), notes


def model_bounds(bounds: Bounds, level: float, model: str) -> tuple[Bounds, list[Note]]:
    """Bounds to fit with (`notes.opened_bounds`): a target *on* a bound opens that bound
    for ``auto``. Projections are still clipped to the indicator's bounds afterwards."""
    open_lo, open_hi = (bool(x[0]) for x in opened_bounds(bounds, np.array([level]), model))
    opened = (None if open_lo else bounds[0], None if open_hi else bounds[1])
    return opened, target_on_bound_notes(open_lo or open_hi, level)


def fit_window(series: Series, ind: Indicator, as_of: int) -> tuple[Series, list[Note]]:
    fit_from = ind.fit_from if isinstance(ind.fit_from, int) else None
    return series.window(as_of, ind.breaks, fit_from)


def is_discrete_project(ind: Indicator) -> bool:
    """A milestone counting whole projects (one new high school), not a coverage rate:
    a trend says nothing about it, its schedule does."""
    if ind.schedule is not None:
        return True
    if ind.target is None:
        return False
    value = float(ind.target.value)
    return kind_of(ind.target.kind).counts_projects and "%" not in ind.unit \
        and value.is_integer() \
        and ind.bounds[1] is None
