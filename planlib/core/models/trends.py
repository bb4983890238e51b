"""Closed-form trend models: random walk with drift, and OLS on year (raw, log, logit scale).

The estimates are written once, for a padded panel of many series (`drift_rows`,
`regression_rows`: the vectorised path's fits); one series is a panel of one row, whose
estimates `fit_drift` and `fit_regression` turn into a `Fit` (a multivariate t on the
working scale with its joint structure, df = n - 2). All use the actual year spacing, so
gaps in the series are handled exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .base import Bounds, Fit, Transform
from .registry import RECENT_WINDOW, SPECS

ZERO_VAR_NOTE = "zero residual variance: degenerate zero-width interval"


def window_mask(width: int, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """(S, width) True for the columns start <= j < stop of each row."""
    cols = np.arange(width)[None, :]
    return (cols >= start[:, None]) & (cols < stop[:, None])


def _at(matrix: np.ndarray, col: np.ndarray) -> np.ndarray:
    """matrix[i, col[i]] for every row (col clipped into range)."""
    col = np.clip(col, 0, matrix.shape[1] - 1)
    return matrix[np.arange(matrix.shape[0]), col]


def _snap(sigma: np.ndarray, z: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sigma, or 0 where it is float noise on a perfect fit (or there is no residual df):
    relative to the window's largest |z|, so series of tiny values keep their spread."""
    zmax = np.max(np.where(mask, np.abs(z), 0.0), axis=1)
    return np.where(sigma <= 1e-10 * zmax, 0.0, sigma)


@dataclass(frozen=True)
class Rows:
    """Per-row estimates of a trend fitted to windows of a panel, on the working scale:
    the marginal t (center, scale at the future years; df) and what builds the per-series
    `Fit` -- sigma, the slope per year, and the line's anchor (`at`, `level`: the line
    passes through level at year at) with `spread` (span for drift, Sxx for OLS) and `n`."""

    center: np.ndarray  # (S, M)
    scale: np.ndarray  # (S, M)
    df: np.ndarray  # (S,) at least 1
    sigma: np.ndarray  # (S,)
    slope: np.ndarray
    at: np.ndarray
    level: np.ndarray
    spread: np.ndarray
    n: np.ndarray


def drift_rows(years: np.ndarray, z: np.ndarray, start: np.ndarray, stop: np.ndarray,
               future: np.ndarray) -> Rows:
    """Random walk with drift on columns [start, stop) of every row of `z`, at `future`
    (S, M) years (see `fit_drift`); `at`/`level` are the first point of the window."""
    first, last = _at(z, start), _at(z, stop - 1)
    t_first, t_last = _at(years, start), _at(years, stop - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        span = t_last - t_first
        drift = (last - first) / span
        gaps = np.diff(years, axis=1)
        pair = window_mask(years.shape[1] - 1, start, stop - 1)
        resid = (np.diff(z, axis=1) - drift[:, None] * gaps) / np.sqrt(np.where(pair, gaps, 1))
        df = (stop - start - 2).astype(float)
        sigma = np.sqrt(np.sum(np.where(pair, resid**2, 0.0), axis=1) / df)
        sigma = np.where(df > 0, sigma, 0.0)
        sigma = _snap(sigma, z, window_mask(z.shape[1], start, stop))
        h = future - t_last[:, None]
        center = last[:, None] + drift[:, None] * h
        scale = sigma[:, None] * np.sqrt((h / np.sqrt(span)[:, None]) ** 2 + h)
    return Rows(center, scale, np.maximum(df, 1.0), sigma, drift, t_first, first, span,
                (stop - start).astype(float))


def naive_rows(years: np.ndarray, z: np.ndarray, start: np.ndarray, stop: np.ndarray,
               future: np.ndarray) -> Rows:
    """Random walk without drift on columns [start, stop) of every row, at `future` (S, M)
    years (see `fit_naive`); `at`/`level` are the last point of the window."""
    last, t_last = _at(z, stop - 1), _at(years, stop - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gaps = np.diff(years, axis=1)
        pair = window_mask(years.shape[1] - 1, start, stop - 1)
        resid = np.diff(z, axis=1) / np.sqrt(np.where(pair, gaps, 1))
        df = (stop - start - 1).astype(float)
        sigma = np.sqrt(np.sum(np.where(pair, resid**2, 0.0), axis=1) / df)
        sigma = np.where(df > 0, sigma, 0.0)
        sigma = _snap(sigma, z, window_mask(z.shape[1], start, stop))
        h = future - t_last[:, None]
        center = np.broadcast_to(last[:, None], h.shape).copy()
        scale = sigma[:, None] * np.sqrt(h)
    return Rows(center, scale, np.maximum(df, 1.0), sigma, np.zeros_like(last), t_last, last,
                _at(years, stop - 1) - _at(years, start), (stop - start).astype(float))


def regression_rows(years: np.ndarray, z: np.ndarray, start: np.ndarray, stop: np.ndarray,
                    future: np.ndarray) -> Rows:
    """OLS of `z` on year over columns [start, stop) of every row, at `future` (S, M)
    years: scale = sigma sqrt(1 + 1/n + x0^2 / Sxx) (see `fit_regression`); `at`/`level`
    are the mean year and the mean of z."""
    mask = window_mask(z.shape[1], start, stop)
    n = (stop - start).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_mean = np.sum(np.where(mask, years, 0.0), axis=1) / n
        x = years - x_mean[:, None]
        sxx = np.sum(np.where(mask, x**2, 0.0), axis=1)
        zm = np.where(mask, z, 0.0)
        z_mean = np.sum(zm, axis=1) / n
        slope = np.sum(np.where(mask, x * (z - z_mean[:, None]), 0.0), axis=1) / sxx
        resid = z - (z_mean[:, None] + slope[:, None] * x)
        df = n - 2
        sigma = np.sqrt(np.sum(np.where(mask, resid**2, 0.0), axis=1) / df)
        sigma = np.where(df > 0, sigma, 0.0)
        sigma = _snap(sigma, z, mask)
        xf = future - x_mean[:, None]
        center = z_mean[:, None] + slope[:, None] * xf
        lead = (1 / np.sqrt(n))[:, None] ** 2 + (xf / np.sqrt(sxx)[:, None]) ** 2 + 1.0
        scale = sigma[:, None] * np.sqrt(lead)
    return Rows(center, scale, np.maximum(df, 1.0), sigma, slope, x_mean, z_mean, sxx, n)


def working_transform(model: str, bounds: Bounds) -> Transform:
    """The working scale of a registered model (its spec's `scale`; logit takes `bounds`)."""
    scale = SPECS[model].scale
    if scale == "logit":
        lo, hi = bounds
        assert lo is not None and hi is not None
        return Transform("logit", float(lo), float(hi))
    return Transform(scale)


def _innovations(h: np.ndarray) -> np.ndarray:
    """(R, H, H) loadings of the cumulative yearly innovations h years ahead (R, H)."""
    steps = np.diff(np.concatenate([np.zeros((len(h), 1)), h], axis=1), axis=1)
    return np.tril(np.ones((h.shape[1], h.shape[1])))[None, :, :] * np.sqrt(steps)[:, None, :]


def drift_fits(years: np.ndarray, y: np.ndarray, future: np.ndarray,
               bounds: Bounds = (None, None)) -> list[Fit]:
    """`fit_drift` of every row of (R, n) years and values without padding, at (R, H)
    future years: one `Fit` per row (one series is a panel of one row)."""
    r, n = y.shape
    rows = drift_rows(years.astype(float), y.astype(float), np.zeros(r, dtype=np.int64),
                      np.full(r, n, dtype=np.int64), future.astype(float))
    h = (future - years[:, -1:]).astype(float)
    loadings = np.concatenate([(h / np.sqrt(rows.spread)[:, None])[:, :, None],
                               _innovations(h)], axis=2)
    fitted = y[:, :1] + rows.slope[:, None] * (years - years[:, :1])
    return [Fit(model="drift", transform=Transform("identity"), center=rows.center[i],
                loadings=loadings[i], sigma=float(rows.sigma[i]), df=float(rows.df[i]),
                fit_values=fitted[i], note="" if rows.sigma[i] > 0 else ZERO_VAR_NOTE)
            for i in range(r)]


def fit_drift(years: np.ndarray, y: np.ndarray, future: np.ndarray,
              bounds: Bounds = (None, None)) -> Fit:
    """Random walk with drift, per-year drift c = (y_last - y_first) / (year_last - year_first).

    A change over a gap of g years is N(c g, sigma^2 g); c is its weighted-LS estimate with
    Var(c) = sigma^2 / span, so h years ahead Var = sigma^2 h (1 + h / span), which is
    sigma^2 h (1 + h / (n - 1)) without gaps. sigma^2 uses the n - 1 standardized changes,
    df = n - 2. On the original scale: `bounds` only clip the forecast later.
    """
    return drift_fits(np.asarray(years)[None, :], np.asarray(y)[None, :],
                      np.asarray(future)[None, :])[0]


def recent_drift_fits(years: np.ndarray, y: np.ndarray, future: np.ndarray,
                      bounds: Bounds = (None, None)) -> list[Fit]:
    """`fit_recent_drift` of every row of (R, n) years and values (`drift_fits` of the last
    RECENT_WINDOW columns)."""
    window = min(RECENT_WINDOW, y.shape[1])
    start, first = years[:, -window], y[:, -window]
    drift = (y[:, -1] - first) / (years[:, -1] - start)
    fitted = first[:, None] + drift[:, None] * (years - start[:, None])
    return [replace(fit, model="drift_recent", fit_values=fitted[i]) for i, fit in
            enumerate(drift_fits(years[:, -window:], y[:, -window:], future))]


def fit_recent_drift(years: np.ndarray, y: np.ndarray, future: np.ndarray,
                     bounds: Bounds = (None, None)) -> Fit:
    """`drift` fitted to the last RECENT_WINDOW observations only ("drift_recent", an `auto`
    candidate).

    The pace is (y_last - y_{n-window+1}) / their span, sigma and df (= window - 2) come from
    the changes inside the window; everything else is `fit_drift`. On a series that slows
    down (saturating rates, falling births) it follows the recent pace instead of the
    average since the first year. `fit_values` extend the window's line to every year.
    """
    return recent_drift_fits(np.asarray(years)[None, :], np.asarray(y)[None, :],
                             np.asarray(future)[None, :])[0]


def naive_fits(years: np.ndarray, y: np.ndarray, future: np.ndarray,
               bounds: Bounds = (None, None)) -> list[Fit]:
    """`fit_naive` of every row of (R, n) years and values, at (R, H) future years."""
    r, n = y.shape
    rows = naive_rows(years.astype(float), y.astype(float), np.zeros(r, dtype=np.int64),
                      np.full(r, n, dtype=np.int64), future.astype(float))
    h = (future - years[:, -1:]).astype(float)
    loadings = _innovations(h)
    return [Fit(model="naive", transform=Transform("identity"), center=rows.center[i],
                loadings=loadings[i], sigma=float(rows.sigma[i]), df=float(rows.df[i]),
                fit_values=np.full(n, float(y[i, -1])),
                note="" if rows.sigma[i] > 0 else ZERO_VAR_NOTE)
            for i in range(r)]


def fit_naive(years: np.ndarray, y: np.ndarray, future: np.ndarray,
              bounds: Bounds = (None, None)) -> Fit:
    """Random walk without drift ("naive", an `auto` candidate): the last value carried
    forward, a change over g years N(0, sigma^2 g), sigma^2 the mean square of the n - 1
    standardized changes (df = n - 1), so h years ahead Var = sigma^2 h.

    Where a series' trend stops or reverses (a rate that saturates, a reform that ends),
    the last value is the best guess; the backtest decides whether it is.
    """
    return naive_fits(np.asarray(years)[None, :], np.asarray(y)[None, :],
                      np.asarray(future)[None, :])[0]


def regression_fits(model: str, years: np.ndarray, y: np.ndarray, future: np.ndarray,
                    bounds: Bounds) -> list[Fit]:
    """`fit_regression` of every row of (R, n) years and values, at (R, H) future years,
    all rows with the same `bounds`."""
    transform = working_transform(model, bounds)
    z = transform.forward(y)
    r, n = y.shape
    rows = regression_rows(years.astype(float), z.astype(float), np.zeros(r, dtype=np.int64),
                           np.full(r, n, dtype=np.int64), future.astype(float))
    xf = future - rows.at[:, None]
    # Centered design: (X'X)^-1 = diag(1/n, 1/Sxx), so its Cholesky factor is diagonal.
    param_part = np.stack([np.broadcast_to((1 / np.sqrt(rows.n))[:, None], xf.shape),
                           xf / np.sqrt(rows.spread)[:, None]], axis=2)
    eye = np.broadcast_to(np.eye(xf.shape[1]), (r, xf.shape[1], xf.shape[1]))
    loadings = np.concatenate([param_part, eye], axis=2)
    fitted = transform.inverse(rows.level[:, None] + rows.slope[:, None]
                               * (years - rows.at[:, None]))
    return [Fit(model=model, transform=transform, center=rows.center[i], loadings=loadings[i],
                sigma=float(rows.sigma[i]), df=float(rows.df[i]), fit_values=fitted[i],
                note="" if rows.sigma[i] > 0 else ZERO_VAR_NOTE)
            for i in range(r)]


def fit_regression(
    model: str, years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
) -> Fit:
    """OLS of g(y) on year ("linear", "log", "logit"): t-based prediction intervals.

    The marginal scale is sigma * sqrt(1 + x0' (X'X)^-1 x0), as statsmodels' `obs_ci_*`;
    joint paths share the parameter error and add independent noise per year.
    """
    return regression_fits(model, np.asarray(years)[None, :], np.asarray(y)[None, :],
                           np.asarray(future)[None, :], bounds)[0]


def linear_fits(years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
                ) -> list[Fit]:
    """`fit_linear` of every row (`regression_fits`)."""
    return regression_fits("linear", years, y, future, bounds)


def log_fits(years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
             ) -> list[Fit]:
    """`fit_log` of every row (`regression_fits`)."""
    return regression_fits("log", years, y, future, bounds)


def logit_fits(years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
               ) -> list[Fit]:
    """`fit_logit` of every row (`regression_fits`)."""
    return regression_fits("logit", years, y, future, bounds)


def fit_linear(years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds) -> Fit:
    """OLS on year (`fit_regression` on the original scale)."""
    return fit_regression("linear", years, y, future, bounds)


def fit_log(years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds) -> Fit:
    """OLS of log y on year: constant growth (`fit_regression`)."""
    return fit_regression("log", years, y, future, bounds)


def fit_logit(years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds) -> Fit:
    """OLS of logit((y - L)/(U - L)) on year, inside both bounds (`fit_regression`)."""
    return fit_regression("logit", years, y, future, bounds)


def point_path(
    model: str, years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
) -> tuple[np.ndarray, np.ndarray]:
    """n == 2: the line through both points on the model's working scale, at `future`.

    Returns (future values, fitted values at `years`), unclipped. For "drift" and "linear"
    this is the straight line through the two points (`point_rows` of one row).
    """
    path, fitted = point_rows(working_transform(model, bounds), np.asarray(years)[None, :],
                              np.asarray(y)[None, :], np.asarray(future)[None, :])
    return path[0], fitted[0]


def point_rows(transform: Transform, years: np.ndarray, values: np.ndarray,
               future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """n == 2 for many rows: the line through each row's two points (years, values:
    (S, 2)) on the working scale, at `future` (S, M); (future values, fitted values),
    unclipped."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = transform.forward(values)
        slope = (z[:, 1] - z[:, 0]) / (years[:, 1] - years[:, 0])
        path = transform.inverse(z[:, 1:2] + slope[:, None] * (future - years[:, 1:2]))
        return path, transform.inverse(z)
