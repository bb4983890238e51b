"""Shared pieces: working-scale transforms, model fits, the choice record.

Every model is reduced to one shape (`Fit`): on its working scale z = g(y) the value in
future year j is ``center[j] + sigma * (A @ e)[j] * w`` with e ~ N(0, I) and a per-path
scale w = sqrt(df / chi2(df)). That is a multivariate Student t, so each margin is exactly
``center[j] + scale[j] * t(df)`` -- the analytic t-based interval -- and sample paths are
jointly consistent (shared parameter error, cumulative innovations, ...). Quantiles and
probabilities map through the monotone g^-1 and the clip to bounds, so they stay exact
(`predictive`: the distribution and `Forecast`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.special import expit

Bounds = tuple[float | None, float | None]

#: Relative tolerance under which a zero-width distribution counts as equal to a value.
POINT_TOL = 1e-9


def point_tol(value: np.ndarray | float) -> np.ndarray:
    """POINT_TOL relative to |value| (never an absolute floor such as 1: values of 1e-13
    are data too), with the smallest normal float so an exact zero still compares exactly."""
    return POINT_TOL * np.maximum(np.abs(value), np.finfo(float).tiny)

#: Smallest probability (and 1 - largest) that a fitted trend with an interval reports. A t
#: tail fitted to 5-15 points is a model, not knowledge: on 8-year windows its 95 %
#: intervals still miss about 5 % of outcomes (benchmarks/results/calibration.md), so a
#: "certain" 0 or 1 would claim far more than the data can show. Exact 0 / 1 remain where
#: the indicator's bounds settle the question (P(rate >= 0) = 1, P(rate > 100) = 0) and for
#: a degenerate zero-width fit; the report prints "< 0.01" / "> 0.99".
P_FLOOR = 1e-4

#: Largest working-scale value the log model maps back (e^LOG_CAP = 1e300): with 1 residual
#: df (n = 3) the t(1) tails are so heavy that exp() of a draw overflows to inf.
LOG_CAP = float(np.log(1e300))


class InsufficientDataError(ValueError):
    """Raised when fewer than two usable observations remain: no outlook is possible."""


@dataclass(frozen=True)
class Transform:
    """Monotone increasing map from original units to a model's working scale.

    "count" (`count_scale`): log where `lower` (a 0/1 flag per future year, or per panel
    row as an (S, 1) array) is 1, identity where it is 0 -- a count's margins on the log
    scale wherever their median is positive."""

    kind: str = "identity"  # "identity" | "log" | "logit" | "count"
    lower: float = 0.0  # logit: the bounds L, U of (y - L) / (U - L); count: the log flags
    upper: float = 1.0

    def forward(self, y: np.ndarray | float) -> np.ndarray:
        """g(y); values at or beyond the domain's edge map to -inf / +inf."""
        y = np.asarray(y, dtype=float)
        if self.kind == "identity":
            return y
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind in ("log", "count"):
                logged = np.where(y > 0, np.log(np.where(y > 0, y, 1.0)), -np.inf)
                return logged if self.kind == "log" else np.where(self.logged(), logged, y)
            p = (y - self.lower) / (self.upper - self.lower)
            inside = (p > 0) & (p < 1)
            safe = np.where(inside, p, 0.5)
            edge = np.where(p <= 0, -np.inf, np.inf)
            return np.where(inside, np.log(safe) - np.log1p(-safe), edge)

    def inverse(self, z: np.ndarray | float) -> np.ndarray:
        """g^-1(z), defined and finite for every real z (and +-inf); log caps at 1e300."""
        z = np.asarray(z, dtype=float)
        if self.kind == "identity":
            return z
        with np.errstate(over="ignore"):
            if self.kind in ("log", "count"):
                exp = np.exp(np.minimum(z, LOG_CAP))
                return exp if self.kind == "log" else np.where(self.logged(), exp, z)
            return self.lower + (self.upper - self.lower) * expit(z)

    def logged(self) -> np.ndarray:
        """Where the working scale is the log (broadcastable like `lower` for "count")."""
        if self.kind == "count":
            return np.asarray(self.lower) > 0
        return np.asarray(self.kind == "log")


@dataclass(frozen=True)
class Fit:
    """One single model fitted to a series, as a multivariate t on its working scale.

    `loadings` (H x k) maps k unit-variance innovations to the H future deviations in units of
    `sigma`; `scale` is the resulting marginal scale per future year.
    """

    model: str
    transform: Transform
    center: np.ndarray  # (H,) working-scale median per future year
    loadings: np.ndarray  # (H, k)
    sigma: float
    df: float
    fit_values: np.ndarray  # (n,) in-sample fitted line, original units (unclipped)
    note: str = ""

    @property
    def scale(self) -> np.ndarray:
        """Marginal scale of the t distribution per future year (working scale)."""
        return self.sigma * np.sqrt(np.sum(self.loadings**2, axis=1))

    def widened(self, factor: np.ndarray) -> Fit:
        """The same fit with the scale of future year j multiplied by factor[j] (>= 1).

        Scaling row j of `loadings` keeps the joint structure and exact t(df) margins."""
        if self.sigma == 0 or np.all(factor == 1):
            return self
        return replace(self, loadings=self.loadings * np.asarray(factor, dtype=float)[:, None])


def clean_bounds(bounds: tuple[float | None, float | None]) -> Bounds:
    """Bounds as floats or None (None, NaN and +-inf all mean open); require lower < upper."""
    lo, hi = (None if b is None or not np.isfinite(b) else float(b) for b in bounds)
    if lo is not None and hi is not None and lo >= hi:
        raise ValueError(f"bounds must satisfy lower < upper, got {bounds}")
    return lo, hi


def share_at_least(sums: np.ndarray, value: np.ndarray | float) -> np.ndarray:
    """P(sum >= value) per row of (R, P) path sums (one row: (P,)); within [P_FLOOR,
    1 - P_FLOOR] where the sums vary (see P_FLOOR)."""
    sums = np.atleast_2d(sums)
    p = np.mean(sums >= np.asarray(value, dtype=float).reshape(-1, 1), axis=1)
    return np.where(np.ptp(sums, axis=1) > 0, np.clip(p, P_FLOOR, 1 - P_FLOOR), p)


@dataclass(frozen=True)
class Selection:
    """The model choice as data: the model name, its members (best first) with their
    weights in the quantile average, each candidate's backtest score (MASE), the backtest
    origins, the rule ("parsimony", "backtest", "hedge", "requested", "point_only"), each
    member's widening factor for 1, 2, ... years ahead, and the reason in prose."""

    model: str
    members: tuple[str, ...]
    weights: tuple[float, ...]
    scores: dict[str, float]
    n_origins: int
    rule: str
    widening: dict[str, tuple[float, ...]]
    reason: str
