"""Closed-form trend models: random walk with drift, and OLS on year (raw, log, logit scale).

All use the actual year spacing, so gaps in the series are handled exactly; all return a
`Fit` (multivariate t on the working scale, df = n - 2).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .base import Bounds, Fit, Transform
from .registry import RECENT_WINDOW, SPECS

ZERO_VAR_NOTE = "zero residual variance: degenerate zero-width interval"


def _sigma(resid: np.ndarray, df: int, z: np.ndarray) -> float:
    """Residual standard deviation, snapped to 0 when it is float noise on a perfect fit."""
    if df <= 0:
        return 0.0
    s = float(np.sqrt(np.sum(resid**2) / df))
    return 0.0 if s <= 1e-10 * max(1.0, float(np.max(np.abs(z)))) else s


def working_transform(model: str, bounds: Bounds) -> Transform:
    """The working scale of a registered model (its spec's `scale`; logit takes `bounds`)."""
    scale = SPECS[model].scale
    if scale == "logit":
        lo, hi = bounds
        assert lo is not None and hi is not None
        return Transform("logit", float(lo), float(hi))
    return Transform(scale)


def fit_drift(years: np.ndarray, y: np.ndarray, future: np.ndarray,
              bounds: Bounds = (None, None)) -> Fit:
    """Random walk with drift, per-year drift c = (y_last - y_first) / (year_last - year_first).

    A change over a gap of g years is N(c g, sigma^2 g); c is its weighted-LS estimate with
    Var(c) = sigma^2 / span, so h years ahead Var = sigma^2 h (1 + h / span), which is
    sigma^2 h (1 + h / (n - 1)) without gaps. sigma^2 uses the n - 1 standardized changes,
    df = n - 2. On the original scale: `bounds` only clip the forecast later.
    """
    gaps = np.diff(years)
    span = float(years[-1] - years[0])
    drift = float(y[-1] - y[0]) / span
    resid = (np.diff(y) - drift * gaps) / np.sqrt(gaps)
    df = len(y) - 2
    sigma = _sigma(resid, df, y)
    h = (future - years[-1]).astype(float)
    center = y[-1] + drift * h
    steps = np.diff(np.concatenate([[0.0], h]))  # future years are consecutive: all ones
    innovations = np.tril(np.ones((len(h), len(h)))) * np.sqrt(steps)[None, :]
    loadings = np.column_stack([h / np.sqrt(span), innovations])
    return Fit(
        model="drift",
        transform=Transform("identity"),
        center=center,
        loadings=loadings,
        sigma=sigma,
        df=float(max(df, 1)),
        fit_values=y[0] + drift * (years - years[0]),
        note="" if sigma > 0 else ZERO_VAR_NOTE,
    )


def fit_recent_drift(years: np.ndarray, y: np.ndarray, future: np.ndarray,
                     bounds: Bounds = (None, None)) -> Fit:
    """`drift` fitted to the last RECENT_WINDOW observations only ("drift_recent", an `auto`
    candidate).

    The pace is (y_last - y_{n-window+1}) / their span, sigma and df (= window - 2) come from
    the changes inside the window; everything else is `fit_drift`. On a series that slows
    down (saturating rates, falling births) it follows the recent pace instead of the
    average since the first year. `fit_values` extend the window's line to every year.
    """
    window = min(RECENT_WINDOW, len(y))
    fit = fit_drift(years[-window:], y[-window:], future)
    start, first = float(years[-window]), float(y[-window])
    drift = (float(y[-1]) - first) / (float(years[-1]) - start)
    return replace(fit, model="drift_recent", fit_values=first + drift * (years - start))


def fit_regression(
    model: str, years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
) -> Fit:
    """OLS of g(y) on year ("linear", "log", "logit"): t-based prediction intervals.

    The marginal scale is sigma * sqrt(1 + x0' (X'X)^-1 x0), as statsmodels' `obs_ci_*`;
    joint paths share the parameter error and add independent noise per year.
    """
    transform = working_transform(model, bounds)
    z = transform.forward(y)
    n = len(z)
    x_mean = float(np.mean(years))
    x = years - x_mean
    sxx = float(np.sum(x**2))
    slope = float(np.sum(x * (z - z.mean())) / sxx)
    intercept = float(z.mean())
    resid = z - (intercept + slope * x)
    df = n - 2
    sigma = _sigma(resid, df, z)
    xf = future - x_mean
    # Centered design: (X'X)^-1 = diag(1/n, 1/Sxx), so its Cholesky factor is diagonal.
    param_part = np.column_stack([np.full(len(xf), 1 / np.sqrt(n)), xf / np.sqrt(sxx)])
    loadings = np.column_stack([param_part, np.eye(len(xf))])
    return Fit(
        model=model,
        transform=transform,
        center=intercept + slope * xf,
        loadings=loadings,
        sigma=sigma,
        df=float(max(df, 1)),
        fit_values=transform.inverse(intercept + slope * x),
        note="" if sigma > 0 else ZERO_VAR_NOTE,
    )


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
    this is the straight line through the two points.
    """
    transform = working_transform(model, bounds)
    z = transform.forward(y)
    slope = (z[1] - z[0]) / (years[1] - years[0])
    return transform.inverse(z[1] + slope * (future - years[1])), transform.inverse(z)
