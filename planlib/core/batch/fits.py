"""The closed-form trend models fitted to many series at once (numpy, no loop per series).

Each function fits one model to the window of columns [start, stop) of every row of a
padded panel and returns the marginal Student t of the working scale at requested future
years (`Margins`), from the formulas of `planlib.core.models.trends`, written once for
panels (a per-series fit is a panel of one row). Which function fits which model, its
working scale and its fewest points are the model registry's
(`planlib.core.models.registry`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planlib.core.models.base import Transform
from planlib.core.models.registry import CANDIDATES, DAMPED_MIN_N, SPECS
from planlib.core.models.trends import drift_rows, naive_rows, regression_rows

from .damped import fit_damped_batch

BATCH_MODELS = CANDIDATES  # every registered model, in the registry's (column) order


@dataclass(frozen=True)
class Margins:
    """Per-row Student t margins on a model's working scale at M future years."""

    model: str
    transform: Transform  # lower/upper are (S, 1) arrays for logit
    center: np.ndarray  # (S, M)
    scale: np.ndarray  # (S, M)
    df: np.ndarray  # (S,)
    fitted_ok: np.ndarray  # (S,) False where the window is too short to fit

    def quantile(self, q: np.ndarray) -> np.ndarray:
        """Unclipped quantile in original units, given t quantiles q broadcastable to (S, M)."""
        with np.errstate(invalid="ignore"):
            z = np.where(self.scale > 0, self.center + self.scale * q, self.center)
        return self.transform.inverse(z)


def transform_of(model: str, lo: np.ndarray, hi: np.ndarray) -> Transform:
    """The working scale of a model (its spec's `scale`); logit takes per-row bounds (NaN
    where open)."""
    scale = SPECS[model].scale
    if scale == "logit":
        return row_transform(lo[:, None], hi[:, None])
    return Transform(scale)


def row_transform(lo: np.ndarray, hi: np.ndarray) -> Transform:
    """The logit scale with per-row bounds: `Transform`'s own formulas, applied to arrays
    (its float fields broadcast), so both paths compute g and g^-1 the same way."""
    return Transform("logit", lo, hi)  # type: ignore[arg-type]


def window_start(model: str, stop: np.ndarray) -> np.ndarray:
    """First column each row's fit of `model` uses, for windows ending at `stop`: the last
    `window` points of its spec, else column 0."""
    window = SPECS[model].window
    if window is None:
        return np.zeros(len(stop), dtype=np.int64)
    return np.maximum(stop - window, 0)


def fit_drift(years: np.ndarray, z: np.ndarray, start: np.ndarray, stop: np.ndarray,
              future: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random walk with drift on the working-scale values `z` of [start, stop):
    (center, scale, df) at `future` (S, M) years (`trends.drift_rows`)."""
    rows = drift_rows(years, z, start, stop, future)
    return rows.center, rows.scale, rows.df


def fit_naive(years: np.ndarray, z: np.ndarray, start: np.ndarray, stop: np.ndarray,
              future: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random walk without drift on the working-scale values `z` of [start, stop):
    (center, scale, df) at `future` (S, M) years (`trends.naive_rows`)."""
    rows = naive_rows(years, z, start, stop, future)
    return rows.center, rows.scale, rows.df


def fit_regression(years: np.ndarray, z: np.ndarray, start: np.ndarray, stop: np.ndarray,
                   future: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS of working-scale `z` on year over [start, stop): (center, scale, df) at `future`
    (`trends.regression_rows`)."""
    rows = regression_rows(years, z, start, stop, future)
    return rows.center, rows.scale, rows.df


def fit_model(model: str, years: np.ndarray, values: np.ndarray, start: np.ndarray,
              stop: np.ndarray, future: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Margins:
    """Fit `model` (one of BATCH_MODELS) to columns [start, stop) of every row, with its
    spec's panel fit on its working scale.

    damped always starts at column 0 (consecutive years, checked by the caller). drift_recent
    uses the last min(RECENT_WINDOW, stop - start) points of the window; the
    caller passes that window. Rows where the model does not apply give garbage that the
    caller masks (eligibility is decided elsewhere).
    """
    spec = SPECS[model]
    transform = transform_of(model, lo, hi)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = transform.forward(values)
    center, scale, df = spec.panel_fit_function()(years, z, start, stop, future)
    return Margins(model, transform, center, scale, df, (stop - start) >= spec.min_n)


def fit_damped(years: np.ndarray, values: np.ndarray, start: np.ndarray, stop: np.ndarray,
               future: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The damped fit of columns [0, stop) (`start` is 0: consecutive years from the
    first), rows grouped by their length."""
    center = np.full(future.shape, np.nan)
    scale = np.full(future.shape, np.nan)
    df = np.ones(len(stop))
    for k in np.unique(stop[stop >= DAMPED_MIN_N]):
        rows = np.flatnonzero(stop == k)
        steps = future[rows] - years[rows, k - 1][:, None]
        c, s, d = fit_damped_batch(values[rows, :k], np.where(steps >= 1, steps, 1))
        center[rows], scale[rows], df[rows] = c, s, d
    return center, scale, df
