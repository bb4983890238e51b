"""The pieces of a panel's outlook columns that the panel rows (`rows.py`) use: each row's
fit window (after the last definitional break, the indicator's fit_from and an undeclared
level shift, as `Series.window` finds it for one series), its model bounds (a target on a
bound opens it for ``auto``), and the outlook columns filled from a vectorised forecast or
an observed outcome (the target year seen: P(met) 0 or 1).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planlib.core.models.level_shifts import last_shifts
from planlib.core.notes import opened_bounds
from planlib.core.progress import is_met
from planlib.inputs.plan import Indicator

from .auto import BatchOutlook
from .panel import Panel


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


def model_bounds_arrays(ind: Indicator, level: np.ndarray, model: str
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Per-row model bounds (NaN = open): the indicator's, with `notes.opened_bounds`
    opened."""
    open_lo, open_hi = opened_bounds(ind.bounds, level, model)
    return np.where(open_lo, np.nan, lo_of(ind)), np.where(open_hi, np.nan, hi_of(ind))


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
