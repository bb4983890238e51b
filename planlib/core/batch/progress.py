"""Progress to date of many series of one indicator at once (stock measures).

The formulas of `planlib.core.progress.progress` on padded (S, N) matrices: baseline (the
plan's, else the observation in the baseline year, else the nearest earlier one), the
equivalent target level, latest value, schedule and progress shares, status, required and
recent pace, acceleration needed and the growth ratio. Flow measures are left to the
per-series function (their level series is a running total).
"""

from __future__ import annotations

import numpy as np

from planlib.core.progress import (
    DEFAULT_CUTOFFS,
    RECENT_YEARS,
    TargetSpec,
    met_mask,
    target_level,
)

from .panel import Panel


def baselines(panel: Panel, spec: TargetSpec) -> tuple[np.ndarray, np.ndarray]:
    """Baseline year and value per row (NaN when none), as `progress.baseline_of`."""
    s = len(panel.n)
    t0 = spec.baseline_year
    if spec.baseline_value is not None:
        return np.full(s, float(t0)), np.full(s, float(spec.baseline_value))
    valid = panel.valid
    at = valid & (panel.years == t0)
    before = valid & (panel.years < t0)
    last_before = np.maximum(before.sum(axis=1) - 1, 0)
    rows = np.arange(s)
    has_at, has_before = at.any(axis=1), before.any(axis=1)
    year = np.where(has_at, float(t0), np.where(has_before, panel.years[rows, last_before],
                                                np.nan))
    exact = np.sum(np.where(at, panel.values, 0.0), axis=1)
    value = np.where(has_at, exact, np.where(has_before, panel.values[rows, last_before],
                                             np.nan))
    return year, value


def target_levels(spec: TargetSpec, baseline: np.ndarray) -> np.ndarray:
    """`progress.target_level` of every row (its arithmetic is elementwise)."""
    level = target_level(spec, baseline)  # type: ignore[arg-type]
    return np.broadcast_to(np.asarray(level, dtype=np.float64), baseline.shape).copy()


def classify(ratio: np.ndarray, met: np.ndarray, cutoffs: dict[str, float] | None
             ) -> np.ndarray:
    """Progress status per row, as `progress.classify` (None where the ratio is NaN)."""
    c = {**DEFAULT_CUTOFFS, **(cutoffs or {})}
    r = np.round(ratio, 9)
    with np.errstate(invalid="ignore"):
        status = np.select(
            [met, np.isnan(r), r >= c["ahead"], r >= c["on_schedule"], r >= c["behind"]],
            ["achieved", "", "ahead", "on_schedule", "behind"], "moving_away")
    out = status.astype(object)
    out[status == ""] = None
    return out


def recent_pace(panel: Panel, since: np.ndarray) -> np.ndarray:
    """Mean yearly change over the last (up to) RECENT_YEARS years, from `since` on."""
    rows = np.arange(len(panel.n))
    last = np.maximum(panel.n - 1, 0)
    t, y = panel.years[rows, last], panel.values[rows, last]
    inside = panel.valid & (panel.years >= (t - RECENT_YEARS)[:, None]) \
        & (panel.years >= since[:, None])
    count = inside.sum(axis=1)
    first = np.argmax(inside, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = (y - panel.values[rows, first]) / (t - panel.years[rows, first])
    return np.where(count >= 2, pace, np.nan)


def batch_progress(panel: Panel, spec: TargetSpec, *, cutoffs: dict[str, float] | None = None,
                   pace_from: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Progress columns of the evaluation table for every row of `panel` (observations up
    to min(as_of - 1, target year) already selected). `pace_from` is each row's last
    definitional break (-inf or NaN when none)."""
    s = len(panel.n)
    since = np.full(s, -np.inf) if pace_from is None else np.nan_to_num(pace_from, nan=-np.inf)
    t0, b = baselines(panel, spec)
    v = target_levels(spec, b)
    t, y = panel.last(panel.years), panel.last(panel.values)
    ok = ~np.isnan(t0) & (panel.n > 0) & (t > t0)
    big_t, d = spec.target_year, spec.direction
    nan = np.full(s, np.nan)
    share = (t - spec.baseline_year) / (big_t - spec.baseline_year)
    met = met_mask(y, v, d)
    flat = d * (v - b) <= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(flat, np.nan, (y - b) / (v - b))
        r = np.where(flat | ~(share > 0), np.nan, p / share)
    status = classify(r, met, cutoffs)
    status[flat] = np.where(met[flat], "achieved", "moving_away")
    with np.errstate(invalid="ignore", divide="ignore"):
        required = np.where(big_t > t, (v - y) / (big_t - t), np.nan)
        recent = recent_pace(panel, since)
        accel = np.where((recent != 0) & ~np.isnan(recent), required / recent, np.nan)
        growth = _growth_ratio(b, y, v, t0, t, big_t, d)
    status[~ok] = None
    return {
        "baseline_year": t0, "baseline_value": b, "target_value": v,
        "latest_year": t, "latest_value": y,
        "schedule_share": np.where(ok, share, nan), "progress_share": np.where(ok, p, nan),
        "progress_ratio": np.where(ok, r, nan), "progress_status": status,
        "required_pace": np.where(ok, required, nan), "recent_pace": np.where(ok, recent, nan),
        "acceleration_needed": np.where(ok, accel, nan),
        "growth_ratio": np.where(ok, growth, nan),
    }


def _growth_ratio(b: np.ndarray, y: np.ndarray, v: np.ndarray, t0: np.ndarray, t: np.ndarray,
                  big_t: int, d: int) -> np.ndarray:
    """`progress.growth_ratio` per row (NaN where undefined)."""
    usable = (np.minimum(np.minimum(b, y), v) > 0) & (t > t0) & (big_t > t0)
    observed = (y / b) ** (1 / (t - t0)) - 1
    required = (v / b) ** (1 / (big_t - t0)) - 1
    return np.where(usable & (required != 0), d * observed / np.abs(required), np.nan)
