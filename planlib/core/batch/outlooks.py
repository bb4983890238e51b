"""`batch_outlooks`: the outlook columns of every region of one indicator in one pass.

It applies evaluation's rules to all regions at once -- observations up to as_of - 1 and
after the last definitional break, the target as an equivalent level at the target year
(`progress.target_level`), a target on a bound opens that bound for ``auto``, an observed
target year is an outcome, not a forecast -- and sends the regions the vectorised path does
not cover to the per-series `evaluation.outlook`: flow data with a cumulative target (their
P(met) is a sum over years, from sample paths) and the odd series whose last observation
is at or after the target year without the target year itself. Series where ``damped``
applies (n >= 8 consecutive years) stay on the vectorised path: both paths call planlib's
one damped fit (`planlib.core.models.damped_fit`). Column ``path`` says which ran.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from planlib.core.models.level_shifts import last_shifts
from planlib.core.notes import opened_bounds
from planlib.core.options import RunOptions
from planlib.core.outlook import outlook
from planlib.core.progress import baselines, is_met, progress, target_levels
from planlib.core.series import Series, spec_from_indicator
from planlib.core.targets.registry import flow_total
from planlib.inputs.plan import Indicator

from .auto import BatchOutlook, batch_forecast
from .panel import Panel, keep_columns, panel_from_long

#: Regions of one indicator from which `batch_outlooks` callers may prefer it (`evaluate`
#: itself takes the panel path at any number of regions).
BATCH_MIN_SERIES = 50


def break_years(frame: pd.DataFrame, keys: np.ndarray, ind: Indicator, as_of: int
                ) -> np.ndarray:
    """Year of the last definitional break before as_of per region: a ``break`` flag or a
    year the plan declares (-inf when none), as `Series.last_break`."""
    declared = [float(y) for y in ind.breaks if y <= as_of - 1]
    floor = max(declared) if declared else -np.inf
    if "flag" not in frame:
        return np.full(len(keys), floor)
    flag = frame["flag"].astype("string").fillna("")
    hit = frame[(flag == "break") & (frame["year"] <= as_of - 1)]
    last = hit.groupby(hit["region"])["year"].max()
    flagged = last.reindex(keys).to_numpy(dtype=float)
    return np.fmax(np.nan_to_num(flagged, nan=-np.inf), floor)


def fit_start(frame: pd.DataFrame, keys: np.ndarray, ind: Indicator, as_of: int) -> np.ndarray:
    """First year of the fit window per region: the later of the last break and the
    indicator's fit_from (-inf when neither), as `Series.window`."""
    start = break_years(frame, keys, ind, as_of)
    if isinstance(ind.fit_from, int) and not isinstance(ind.fit_from, bool):
        start = np.fmax(start, float(ind.fit_from))
    return start


def shift_years(window: Panel) -> np.ndarray:
    """First year at the new level of the latest undeclared level shift in each row of
    the fit window (-inf when none): `level_shifts.last_shifts` on the rows of each
    length, as `Series.window` finds it for one series."""
    out = np.full(len(window.n), -np.inf)
    for n in np.unique(window.n):
        rows = np.flatnonzero(window.n == n)
        year = last_shifts(window.years[rows, :n], window.values[rows, :n])
        out[rows] = np.where(np.isnan(year), -np.inf, year)
    return out


def _levels(levels: Sequence[int]) -> tuple[int, ...]:
    return tuple(sorted(int(lv) for lv in levels))


def model_bounds_arrays(ind: Indicator, level: np.ndarray, model: str
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Per-row model bounds (NaN = open): the indicator's, with `notes.opened_bounds`
    opened."""
    open_lo, open_hi = opened_bounds(ind.bounds, level, model)
    return np.where(open_lo, np.nan, lo_of(ind)), np.where(open_hi, np.nan, hi_of(ind))


def batch_outlooks(
    observations: pd.DataFrame, ind: Indicator, *, as_of: int,
    levels: Sequence[int] = (80, 95), model: str = "auto", seed: int = 0,
) -> pd.DataFrame:
    """Outlook of every region of `ind`: region, n_obs (the fit window), model, median,
    lo/hi per level, p_meet, path ("batch", "series" or "observed"), one row per region in
    sorted order.

    `observations` is the tidy frame (indicator_id, region, year, value[, flag]); rows of
    other indicators are ignored. `seed` only matters for the regions sent to the
    per-series path.
    """
    levels = _levels(levels)
    frame = observations
    if "indicator_id" in frame:
        frame = frame[frame["indicator_id"] == ind.series_id]
    frame = frame.assign(region=frame["region"].fillna(""))
    spec = spec_from_indicator(ind)
    full = panel_from_long(frame)
    s = len(full.n)
    # Progress's view: observations up to min(as_of - 1, target year).
    seen = keep_columns(full, full.years <= min(as_of - 1, spec.target_year))
    latest_year, latest_value = seen.last(seen.years), seen.last(seen.values)
    level = target_levels(spec, baselines(seen.years, seen.values, seen.n, spec)[1])
    observed = latest_year >= spec.target_year
    # The fit window: up to as_of - 1, from the last definitional break (or fit_from) on.
    start = fit_start(frame, full.keys, ind, as_of)
    fitp = keep_columns(full, (full.years <= as_of - 1) & (full.years >= start[:, None]))
    fitp = keep_columns(fitp, fitp.years >= shift_years(fitp)[:, None])
    lo, hi = model_bounds_arrays(ind, level, model)
    out = pd.DataFrame({"region": full.keys, "n_obs": fitp.n, "model": "none",
                        "median": np.nan})
    for lv in levels:
        out[f"lo{lv}"], out[f"hi{lv}"] = np.nan, np.nan
    out["p_meet"], out["path"] = np.nan, "batch"
    flow = flow_total(spec.kind, spec.measure)
    fallback = np.full(s, flow)
    fit_last = fitp.last(fitp.years)
    fallback |= ~observed & (fit_last >= spec.target_year)
    batch = ~observed & ~fallback
    if np.any(batch):
        rows = np.flatnonzero(batch)
        res = batch_forecast(
            fitp.take(rows), lo[rows], hi[rows], target_year=spec.target_year, model=model,
            levels=levels, value=level[rows], at_least=spec.direction > 0,
            show_lo=lo_of(ind), show_hi=hi_of(ind))
        fill_outlook(out, rows, res, levels)
    fill_observed(out, np.flatnonzero(observed), latest_value, level, spec.direction, levels)
    _fill_series(out, np.flatnonzero(fallback & ~observed), frame, ind,
                 RunOptions(as_of, model, levels, seed, sensitivity=False))
    return out


def lo_of(ind: Indicator) -> float:
    """The indicator's lower bound (NaN when open)."""
    return math.nan if ind.bounds[0] is None else float(ind.bounds[0])


def hi_of(ind: Indicator) -> float:
    """The indicator's upper bound (NaN when open)."""
    return math.nan if ind.bounds[1] is None else float(ind.bounds[1])


def fill_outlook(out: pd.DataFrame, rows: np.ndarray, look: BatchOutlook,
                 levels: tuple[int, ...]) -> None:
    """The outlook columns of `rows` from one vectorised `batch_forecast`."""
    out.loc[rows, "model"] = look.model
    out.loc[rows, "median"] = look.median
    for lv in levels:
        out.loc[rows, f"lo{lv}"] = look.lower[lv]
        out.loc[rows, f"hi{lv}"] = look.upper[lv]
    out.loc[rows, "p_meet"] = look.p_meet


def fill_observed(out: pd.DataFrame, rows: np.ndarray, latest: np.ndarray,
                  level: np.ndarray, direction: int, levels: tuple[int, ...]) -> None:
    """The target year is observed: the outcome, with P(met) 0 or 1."""
    if rows.size == 0:
        return
    y = latest[rows]
    met = np.array([is_met(v, lv, direction) for v, lv in zip(y, level[rows], strict=True)])
    out.loc[rows, "model"] = "observed"
    out.loc[rows, "median"] = y
    for lv in levels:
        out.loc[rows, f"lo{lv}"] = y
        out.loc[rows, f"hi{lv}"] = y
    out.loc[rows, "p_meet"] = met.astype(float)
    out.loc[rows, "path"] = "observed"


def _fill_series(out: pd.DataFrame, rows: np.ndarray, frame: pd.DataFrame, ind: Indicator,
                 opts: RunOptions) -> None:
    """Regions the vectorised path does not cover: evaluation's per-series outlook."""
    if rows.size == 0:
        return
    spec = spec_from_indicator(ind)
    wanted = set(out.loc[rows, "region"])
    groups = {r: g for r, g in frame.groupby("region", sort=False) if r in wanted}
    for row in rows:
        region = out.at[row, "region"]
        series = Series.from_frame(groups[region].assign(
            flag=groups[region].get("flag", "")))
        prog = progress(series.years, series.values, spec, as_of=opts.as_of,
                        pace_from=series.last_break(opts.as_of, ind.breaks))
        look, _ = outlook(series, ind, prog, opts, region)
        out.at[row, "model"] = look.model
        out.at[row, "median"] = look.median
        for lv in opts.levels:
            out.at[row, f"lo{lv}"] = look.lower[lv]
            out.at[row, f"hi{lv}"] = look.upper[lv]
        out.at[row, "p_meet"] = look.p_meet
        out.at[row, "path"] = "series"
