"""The evaluation table: progress to date and the outlook to the target year, one row per
indicator (and region), for every target kind (DESIGN.md §3–5).

Pure: takes a validated Plan and the tidy observations frame, returns a frame. Seeds are
derived per (indicator, region) from the global seed, so rows do not depend on order.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planlib.core import labels
from planlib.core.models import Forecast, InsufficientDataError, eligible_models, forecast
from planlib.core.progress import Progress, TargetSpec, is_met, progress
from planlib.inputs.plan import Indicator, Plan

#: The documented columns of the evaluation table, in order (issue #3; other tools rely on
#: them). Interval columns follow ``levels``; these are the defaults (80, 95).
CORE_COLUMNS: list[str] = [
    "indicator_id", "region", "target_kind", "baseline_year", "baseline_value",
    "target_year", "target_value", "latest_year", "latest_value", "n_obs",
    "schedule_share", "progress_share", "progress_ratio", "progress_status",
    "required_pace", "recent_pace", "model", "median", "lo80", "hi80", "lo95", "hi95",
    "p_meet", "outlook_status",
]
EXTRA_COLUMNS: list[str] = [
    "name_zh", "name_en", "unit", "nature", "group", "direction", "measure",
    "target_raw_value", "acceleration_needed", "growth_ratio",
    "progress_status_zh", "progress_status_en", "outlook_status_zh", "outlook_status_en",
    "latest_flag", "model_reason", "notes",
]


def spec_from_indicator(ind: Indicator) -> TargetSpec:
    """The formula-level view of a plan indicator (years already resolved by the plan)."""
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
    def from_frame(cls, frame: pd.DataFrame) -> Series:
        frame = frame.sort_values("year")
        flags = frame["flag"].astype("string").fillna("").to_numpy(dtype=object)
        return cls(frame["year"].to_numpy("int64"), frame["value"].to_numpy("float64"), flags)

    def last_break(self, as_of: int) -> int | None:
        """Year of the last definitional break (flag ``break``) before ``as_of``."""
        breaks = self.years[(self.years <= as_of - 1) & (self.flags == "break")]
        return int(breaks.max()) if breaks.size else None

    def window(self, as_of: int) -> tuple[Series, list[str]]:
        """Observations usable for fitting: before ``as_of``, and after the last break."""
        keep = self.years <= as_of - 1
        notes: list[str] = []
        start = self.last_break(as_of)
        if start is not None:
            keep &= self.years >= start
            notes.append(f"definitional break in {start}: trend fitted on {start} onwards only")
        return Series(self.years[keep], self.values[keep], self.flags[keep]), notes


@dataclass(frozen=True)
class Outlook:
    """The outlook at the target year of one indicator."""

    model: str
    reason: str
    median: float
    lower: dict[int, float]
    upper: dict[int, float]
    p_meet: float
    notes: list[str] = field(default_factory=list)

    @classmethod
    def empty(cls, levels: Sequence[int], model: str, reason: str) -> Outlook:
        nan = math.nan
        return cls(model, reason, nan, dict.fromkeys(levels, nan), dict.fromkeys(levels, nan),
                   nan)


def _clip(x: float, bounds: tuple[float | None, float | None]) -> float:
    lo, hi = bounds
    return float(np.clip(x, -np.inf if lo is None else lo, np.inf if hi is None else hi))


def _level_outlook(
    fc: Forecast, spec: TargetSpec, level: float, levels: Sequence[int],
    bounds: tuple[float | None, float | None],
) -> Outlook:
    """Outlook for a target judged on the level at the target year (clipped to bounds)."""
    frame = fc.summary_frame().set_index("year").loc[spec.target_year]
    lower = {lv: _clip(frame[f"lo{lv}"], bounds) for lv in levels}
    upper = {lv: _clip(frame[f"hi{lv}"], bounds) for lv in levels}
    if spec.direction > 0:
        p = fc.prob_at_least(level, spec.target_year)
    else:
        p = fc.prob_at_most(level, spec.target_year)
    return Outlook(fc.model, fc.reason, _clip(frame["median"], bounds), lower, upper, p)


def _flow_outlook(fc: Forecast, spec: TargetSpec, done: float, levels: Sequence[int]) -> Outlook:
    """Outlook for a cumulative target on flow data: additions so far plus future ones."""
    notes = [f"cumulative total = {done:g} added so far + the projected yearly additions"]
    if fc.samples is None:
        total = done + float(np.sum(fc.median))
        return replace(Outlook.empty(levels, fc.model, fc.reason), median=total, notes=notes)
    totals = done + fc.samples.sum(axis=1)
    q = {lv: np.quantile(totals, [(100 - lv) / 200, 1 - (100 - lv) / 200]) for lv in levels}
    return Outlook(
        fc.model, fc.reason, float(np.median(totals)),
        {lv: float(q[lv][0]) for lv in levels}, {lv: float(q[lv][1]) for lv in levels},
        fc.prob_sum_at_least(spec.value - done), notes,
    )


def _observed_outlook(prog: Progress, spec: TargetSpec, levels: Sequence[int]) -> Outlook:
    """The target year is already observed: the outcome is known, not forecast."""
    y = prog.latest_value
    met = is_met(y, prog.target_level, spec.direction)
    return Outlook("observed", f"the target year {spec.target_year} is observed",
                   y, dict.fromkeys(levels, y), dict.fromkeys(levels, y), 1.0 if met else 0.0)


def model_bounds(
    bounds: tuple[float | None, float | None], level: float, model: str
) -> tuple[tuple[float | None, float | None], list[str]]:
    """Bounds to fit with: a target *on* a bound (coverage 100 %) opens that bound for
    ``auto``, because a logit path never reaches its bound and would give P(met) = 0.
    Projections are still clipped to the indicator's bounds afterwards."""
    lo, hi = bounds
    if model != "auto" or math.isnan(level) or level not in (lo, hi):
        return bounds, []
    opened = (None, hi) if level == lo else (lo, None)
    return opened, [f"the target {level:g} lies on a bound: logit excluded, "
                    "projections clipped at the bound"]


def project_series(
    series: Series, ind: Indicator, *, as_of: int, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0, region: str = "",
    target_level: float = math.nan,
) -> tuple[Forecast | None, list[str]]:
    """Fit the trend of one indicator's series and project it to its target year.

    Returns (None, notes) when there are too few observations (n < 2) to project.
    """
    fit, notes = series.window(as_of)
    bounds, more = model_bounds(ind.bounds, target_level, model)
    eligible = eligible_models(fit.values, bounds, years=fit.years)
    if model != "auto" and eligible and model not in eligible:
        notes.append(f"model '{model}' does not apply to this series "
                     f"(eligible: {', '.join(eligible)}): auto used instead")
        model = "auto"
    try:
        fc = forecast(
            fit.years, fit.values, target_year=int(ind.target.year),  # type: ignore[arg-type]
            model=model, levels=tuple(levels), bounds=bounds,
            seed=derive_seed(seed, ind.id, region),
        )
    except InsufficientDataError as exc:
        return None, [*notes, str(exc)]
    return fc, notes + more


def outlook(
    series: Series, ind: Indicator, prog: Progress, *, as_of: int, model: str,
    levels: Sequence[int], seed: int, region: str = "",
) -> Outlook:
    """P(target met) and the target-year distribution for one indicator."""
    spec = spec_from_indicator(ind)
    if prog.latest_year is not None and prog.latest_year >= spec.target_year:
        return _observed_outlook(prog, spec, levels)
    fc, notes = project_series(series, ind, as_of=as_of, model=model, levels=levels,
                               seed=seed, region=region, target_level=prog.target_level)
    if fc is None:
        empty = Outlook.empty(levels, "none", "; ".join(notes) or "insufficient data")
        return replace(empty, notes=notes)
    if spec.measure == "flow" and spec.kind == "cumulative_increase":
        done = 0.0 if prog.latest_year is None else prog.latest_value
        result = _flow_outlook(fc, spec, done, levels)
    else:
        result = _level_outlook(fc, spec, prog.target_level, levels, ind.bounds)
    if fc.point_only:
        notes.append("only two observations: point projection, no interval or probability")
    return replace(result, notes=notes + result.notes)


def _row(ind: Indicator, region: str, series: Series, plan: Plan, *, as_of: int, model: str,
         levels: Sequence[int], seed: int) -> dict:
    """One row of the evaluation table."""
    spec = spec_from_indicator(ind)
    cutoffs = plan.status_cutoffs.model_dump()
    prog = progress(series.years, series.values, spec, as_of=as_of, cutoffs=cutoffs,
                    pace_from=series.last_break(as_of))
    look = outlook(series, ind, prog, as_of=as_of, model=model, levels=levels, seed=seed,
                   region=region)
    used, _ = series.window(as_of)
    latest_flag = ""
    if prog.latest_year is not None and spec.measure == "stock":
        latest_flag = str(series.flags[series.years == prog.latest_year][0])
    notes = prog.notes + look.notes
    if latest_flag == "lower_bound":
        notes.append("the latest value is a lower bound (the source said 'more than')")
    status = labels.outlook_status(look.p_meet)
    row = {
        "indicator_id": ind.id, "region": region, "target_kind": spec.kind,
        "baseline_year": prog.baseline_year, "baseline_value": prog.baseline_value,
        "target_year": spec.target_year, "target_value": prog.target_level,
        "latest_year": prog.latest_year, "latest_value": prog.latest_value,
        "n_obs": int(used.years.size),
        "schedule_share": prog.schedule_share, "progress_share": prog.progress_share,
        "progress_ratio": prog.progress_ratio, "progress_status": prog.status,
        "required_pace": prog.required_pace, "recent_pace": prog.recent_pace,
        "model": look.model, "median": look.median,
    }
    for lv in levels:
        row[f"lo{lv}"], row[f"hi{lv}"] = look.lower[lv], look.upper[lv]
    row |= {
        "p_meet": look.p_meet, "outlook_status": status,
        "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit,
        "nature": ind.nature, "group": ind.group, "direction": ind.direction,
        "measure": ind.measure, "target_raw_value": spec.value,
        "acceleration_needed": prog.acceleration_needed, "growth_ratio": prog.growth_ratio,
        "progress_status_zh": labels.label(prog.status, "zh", labels.PROGRESS_LABELS),
        "progress_status_en": labels.label(prog.status, "en", labels.PROGRESS_LABELS),
        "outlook_status_zh": labels.label(status, "zh"),
        "outlook_status_en": labels.label(status, "en"),
        "latest_flag": latest_flag, "model_reason": look.reason, "notes": "; ".join(notes),
    }
    return row


def _series_of(observations: pd.DataFrame, ind: Indicator, region: str) -> Series:
    mine = observations[observations["indicator_id"] == ind.series_id]
    return Series.from_frame(mine[mine["region"].fillna("") == region])


def project(
    plan: Plan, observations: pd.DataFrame, indicator_id: str, *, region: str = "",
    as_of: int | None = None, model: str = "auto", levels: Sequence[int] = (80, 95),
    seed: int = 0,
) -> Forecast | None:
    """The projection of one plan indicator to its target year, for notebooks and figures:
    a Forecast (``summary_frame()`` gives median and intervals per year), or None when the
    series has fewer than two observations. Same seed derivation as ``evaluate``."""
    ind = plan.indicator(indicator_id)
    series = _series_of(observations, ind, region)
    prog = progress(series.years, series.values, spec_from_indicator(ind),
                    as_of=as_of or plan.plan.as_of)
    fc, _ = project_series(series, ind, as_of=as_of or plan.plan.as_of, model=model,
                           levels=levels, seed=seed, region=region,
                           target_level=prog.target_level)
    return fc


def evaluate(
    plan: Plan, observations: pd.DataFrame, *, as_of: int | None = None, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0,
) -> pd.DataFrame:
    """The evaluation table: one row per plan indicator and region, in plan order.

    ``as_of`` is the evaluation year (data up to as_of − 1 are used; default: the plan's).
    ``model`` is one of drift, linear, log, logit, damped or auto; ``levels`` the
    central interval levels in percent; ``seed`` fixes the sample paths.
    """
    as_of = as_of or plan.plan.as_of
    levels = tuple(sorted(int(lv) for lv in levels))
    rows = []
    for ind in plan.indicators:
        mine = observations[observations["indicator_id"] == ind.series_id]
        regions = sorted(mine["region"].fillna("").unique()) or [""]
        for region in regions:
            series = _series_of(observations, ind, region)
            rows.append(_row(ind, region, series, plan, as_of=as_of, model=model,
                             levels=levels, seed=seed))
    columns = [c for c in CORE_COLUMNS if not c.startswith(("lo", "hi"))]
    at = columns.index("median") + 1
    for lv in levels:
        columns.insert(at, f"hi{lv}")
        columns.insert(at, f"lo{lv}")
        at += 2
    frame = pd.DataFrame(rows, columns=columns + EXTRA_COLUMNS)
    return frame.astype({"baseline_year": "Int64", "latest_year": "Int64", "n_obs": "int64"})
