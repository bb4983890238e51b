"""Progress to date (DESIGN.md §3): "time half gone, task half done?" (时间过半、任务过半).

Every target kind is first turned into an *equivalent level* at the target year, so one
set of formulas serves all kinds:

- level_at_least / level_at_most / milestone: the target value itself;
- annual_change d from t0: b + d·(T − t0);
- cumulative_increase v: stock data b + v; flow data (additions per year) are tracked as
  the running total of additions since t0, so b = 0 and the level is v;
- average_growth g % a year: b·(1 + g/100)^(T − t0).

With baseline b at t0, equivalent level v at T and the latest value y at t:
schedule share s = (t − t0)/(T − t0); progress share p = (y − b)/(v − b); progress ratio
r = p/s; required pace (v − y)/(T − t); recent pace = mean annual change over the last (up
to) five years; acceleration needed = required/recent; Eurostat growth ratio
R = direction·CAGR_observed/|CAGR_required|.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planlib.core.labels import Note

STATUSES = ("achieved", "ahead", "on_schedule", "behind", "moving_away")
DEFAULT_CUTOFFS = {"ahead": 1.2, "on_schedule": 0.95, "behind": 0.0}
RECENT_YEARS = 5


@dataclass(frozen=True)
class TargetSpec:
    """A target as the formulas need it: no names, no files."""

    kind: str
    value: float
    target_year: int
    baseline_year: int
    direction: int  # +1 higher is better, -1 lower is better
    measure: str = "stock"  # stock | flow
    baseline_value: float | None = None

    @property
    def at_least(self) -> bool:
        """True when meeting the target means ending at or above the level."""
        return self.direction > 0


@dataclass(frozen=True)
class Progress:
    """Progress to date of one indicator, with notes on every assumption made."""

    baseline_year: int | None
    baseline_value: float
    target_level: float
    latest_year: int | None
    latest_value: float
    schedule_share: float
    progress_share: float
    progress_ratio: float
    status: str | None
    required_pace: float
    recent_pace: float
    acceleration_needed: float
    growth_ratio: float
    notes: list[Note] = field(default_factory=list)


def _as_level_series(years: np.ndarray, values: np.ndarray, spec: TargetSpec) -> pd.Series:
    """The series progress is measured on: levels, or running additions since t0 (flows)."""
    s = pd.Series(values, index=years, dtype="float64").sort_index()
    if spec.measure == "flow":
        after = s[s.index > spec.baseline_year]
        before = pd.Series([0.0], index=[spec.baseline_year])
        return pd.concat([before, after.cumsum()])
    return s


def baseline_of(series: pd.Series, spec: TargetSpec) -> tuple[int | None, float]:
    """Baseline year and value: the plan's value, else the observation in the baseline
    year, else the nearest earlier observation (`progress_notes` says which)."""
    t0 = spec.baseline_year
    if spec.baseline_value is not None:
        return t0, float(spec.baseline_value)
    if t0 in series.index:
        return t0, float(series[t0])
    earlier = series[series.index < t0]
    if earlier.empty:
        return None, math.nan
    return int(earlier.index[-1]), float(earlier.iloc[-1])


def progress_notes(spec: TargetSpec, t0: int | None, t: int | None, b: float, v: float,
                   pace_from: int | None) -> list[Note]:
    """Progress's notes from plain values (baseline year `t0` found, latest year `t`, None
    when missing): the baseline used, no data after it, met at the baseline, a recent pace
    measured from a definitional break."""
    notes: list[Note] = []
    if spec.baseline_value is None and t0 != spec.baseline_year:
        if t0 is None:
            notes.append(Note("no_baseline", {"t0": spec.baseline_year}))
        else:
            notes.append(Note("baseline_from_earlier_year",
                              {"t0": spec.baseline_year, "year": t0}))
    if t0 is None or t is None or t <= t0:
        if t0 is not None and t is not None:
            notes.append(Note("no_progress_data"))
        return notes
    if spec.direction * (v - b) <= 0:
        notes.append(Note("met_at_baseline"))
    if pace_from is not None and pace_from > t - RECENT_YEARS:
        notes.append(Note("pace_from_break", {"year": pace_from}))
    return notes


def target_level(spec: TargetSpec, baseline: float) -> float:
    """The level at the target year that is equivalent to the target (module docstring)."""
    horizon = spec.target_year - spec.baseline_year
    if spec.kind in ("level_at_least", "level_at_most", "milestone"):
        return spec.value
    if spec.kind == "annual_change":
        return baseline + spec.value * horizon
    if spec.kind == "cumulative_increase":
        return spec.value if spec.measure == "flow" else baseline + spec.value
    if spec.kind == "average_growth":
        return baseline * (1 + spec.value / 100) ** horizon
    raise ValueError(f"unknown target kind {spec.kind!r}")


def recent_pace(series: pd.Series, latest_year: int) -> float:
    """Mean annual change of a level series over the last (up to) five years, gaps allowed."""
    window = series[(series.index >= latest_year - RECENT_YEARS) & (series.index <= latest_year)]
    if len(window) < 2:
        return math.nan
    first_year = int(window.index[0])
    return float((window.iloc[-1] - window.iloc[0]) / (latest_year - first_year))


def recent_additions(years: np.ndarray, values: np.ndarray, latest_year: int) -> float:
    """Mean yearly addition of a flow series over the last (up to) five years."""
    window = values[(years > latest_year - RECENT_YEARS) & (years <= latest_year)]
    return float(window.mean()) if window.size else math.nan


def growth_ratio(b: float, y: float, v: float, t0: int, t: int, big_t: int, d: int) -> float:
    """Eurostat-style ratio of observed to required compound growth (NaN if undefined)."""
    if min(b, y, v) <= 0 or t <= t0 or big_t <= t0:
        return math.nan
    observed = (y / b) ** (1 / (t - t0)) - 1
    required = (v / b) ** (1 / (big_t - t0)) - 1
    if required == 0:
        return math.nan
    return d * observed / abs(required)


def classify(ratio: float, met: bool, cutoffs: dict[str, float] | None = None) -> str | None:
    """Progress status from the progress ratio; ``achieved`` when the target is met."""
    c = {**DEFAULT_CUTOFFS, **(cutoffs or {})}
    if met:
        return "achieved"
    if math.isnan(ratio):
        return None
    ratio = round(ratio, 9)  # 0.48/0.4 is 1.1999999999999997: on the cut-off, not below it
    if ratio >= c["ahead"]:
        return "ahead"
    if ratio >= c["on_schedule"]:
        return "on_schedule"
    if ratio >= c["behind"]:
        return "behind"
    return "moving_away"


#: Relative tolerance of "met": equal to the target up to rounding counts as met, at any
#: scale (an absolute 1e-12 called 1.7e-13 against a target of 5e-13 met).
MET_RTOL = 1e-9


def met_mask(value: np.ndarray, level: np.ndarray | float, direction: int) -> np.ndarray:
    """Where ``value`` is on the right side of ``level`` (ties up to MET_RTOL of the
    larger magnitude count as met); NaN is never met."""
    scale = np.maximum(np.abs(value), np.abs(level))
    return np.asarray(direction * (value - level) >= -MET_RTOL * scale)


def is_met(value: float, level: float, direction: int) -> bool:
    """True when ``value`` is on the right side of ``level`` (see :func:`met_mask`)."""
    return bool(met_mask(np.asarray(value, dtype=float), level, direction))


def _no_progress(t0: int | None, b: float, v: float, series: pd.Series,
                 notes: list[Note]) -> Progress:
    """Result when progress cannot be measured (no baseline, or nothing after it)."""
    nan = math.nan
    latest_year = None if series.empty else int(series.index[-1])
    latest = nan if series.empty else float(series.iloc[-1])
    return Progress(t0, b, v, latest_year, latest, nan, nan, nan, None, nan, nan, nan, nan, notes)


def progress(
    years: np.ndarray, values: np.ndarray, spec: TargetSpec, *,
    as_of: int, cutoffs: dict[str, float] | None = None, pace_from: int | None = None,
) -> Progress:
    """Progress to date of one series against one target, using data up to ``as_of − 1``
    (and no later than the target year). ``pace_from`` (a definitional break) keeps the
    recent pace from measuring a change of definition as a change of the indicator."""
    years = np.asarray(years, dtype="int64")
    values = np.asarray(values, dtype="float64")
    keep = years <= min(as_of - 1, spec.target_year)
    years, values = years[keep], values[keep]
    series = _as_level_series(years, values, spec)
    t0, b = baseline_of(series, spec)
    v = target_level(spec, b)
    notes = progress_notes(spec, t0, None if series.empty else int(series.index[-1]), b, v,
                           pace_from)
    if t0 is None or series.empty or series.index[-1] <= t0:
        return _no_progress(t0, b, v, series, notes)
    t, y = int(series.index[-1]), float(series.iloc[-1])
    big_t, d = spec.target_year, spec.direction
    s = (t - spec.baseline_year) / (big_t - spec.baseline_year)
    met = is_met(y, v, d)
    if d * (v - b) <= 0:
        # Nothing to gain from the baseline: met at baseline, or baseline equals target.
        p = r = math.nan
        status: str | None = "achieved" if met else "moving_away"
    else:
        p = (y - b) / (v - b)
        r = p / s if s > 0 else math.nan
        status = classify(r, met, cutoffs)
    required = (v - y) / (big_t - t) if big_t > t else math.nan
    since = -math.inf if pace_from is None else pace_from
    if spec.measure == "flow":
        recent = recent_additions(years[years >= since], values[years >= since], t)
    else:
        recent = recent_pace(series[series.index >= since], t)
    accel = required / recent if recent and not math.isnan(recent) else math.nan
    growth = math.nan if spec.measure == "flow" else growth_ratio(b, y, v, t0, t, big_t, d)
    return Progress(t0, b, v, t, y, s, p, r, status, required, recent, accel, growth, notes)
