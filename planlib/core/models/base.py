"""Shared pieces: working-scale transforms, model fits, predictive distributions, `Forecast`.

Every model is reduced to one shape (`Fit`): on its working scale z = g(y) the value in
future year j is ``center[j] + sigma * (A @ e)[j] * w`` with e ~ N(0, I) and a per-path
scale w = sqrt(df / chi2(df)). That is a multivariate Student t, so each margin is exactly
``center[j] + scale[j] * t(df)`` -- the analytic t-based interval -- and sample paths are
jointly consistent (shared parameter error, cumulative innovations, ...). Quantiles and
probabilities map through the monotone g^-1 and the clip to bounds, so they stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit, stdtrit

from planlib.constants import clip_to

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

    def at(self, j: int) -> Transform:
        """The transform of future year j alone (a "count" scale is log or identity there)."""
        if self.kind != "count" or np.ndim(self.lower) == 0:
            return self
        return Transform("log" if np.asarray(self.lower)[j] > 0 else "identity")


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


@dataclass(frozen=True)
class Predictive:
    """Predictive distribution: one fit, or an equal-weight quantile average of several.

    With several members the marginal quantile function is the mean of the members'
    quantile functions (Vincentization), which keeps bounds, nesting and widening. Joint
    paths (`paths.sample`) take their dependence across years from the first (best-ranked)
    member's copula.
    """

    members: tuple[Fit, ...]
    bounds: Bounds

    def _member_quantile(self, fit: Fit, p: np.ndarray | float, j: slice | int) -> np.ndarray:
        # scipy's own t.ppf kernel without the distribution wrapper (50x faster per call, the
        # same numbers; the bisection of prob_at_least/most calls this ~100 times a series).
        q = np.where(np.asarray(p) == 0, -np.inf, stdtrit(fit.df, p))
        scale = fit.scale[j]
        with np.errstate(invalid="ignore"):  # 0 * inf at p in {0, 1}; that branch is unused
            z = np.where(scale > 0, fit.center[j] + scale * q, fit.center[j])
        tr = fit.transform if isinstance(j, slice) else fit.transform.at(j)
        return clip_to(tr.inverse(z), self.bounds)

    def quantile(self, p: float) -> np.ndarray:
        """Marginal p-quantile per future year, original units, within bounds."""
        return np.mean([self._member_quantile(f, p, slice(None)) for f in self.members], axis=0)

    def prob_at_least(self, value: float, j: int) -> float:
        """P(y_j >= value)."""
        lo, hi = self.bounds
        if lo is not None and value <= lo:
            return 1.0
        if hi is not None and value > hi:
            return 0.0
        if len(self.members) == 1:
            return _t_tail(self.members[0], value, j, upper=True)
        if not self.has_spread(j):
            return self._point_mass(value, j, upper=True)
        # P(Q(U) >= v) = 1 - inf{p : Q(p) >= v}; Q is non-decreasing in p.
        return 1.0 - self._mix_level(value, j)[1]

    def prob_at_most(self, value: float, j: int) -> float:
        """P(y_j <= value)."""
        lo, hi = self.bounds
        if hi is not None and value >= hi:
            return 1.0
        if lo is not None and value < lo:
            return 0.0
        if len(self.members) == 1:
            return _t_tail(self.members[0], value, j, upper=False)
        if not self.has_spread(j):
            return self._point_mass(value, j, upper=False)
        return self._mix_level(value, j)[0]

    def _point_mass(self, value: float, j: int, *, upper: bool) -> float:
        """Members without spread: all mass at their mean value (within POINT_TOL), as one
        degenerate fit (the bisection would put a tie at the value on one side only)."""
        x = self._mix_quantile(0.5, j)
        tol = float(point_tol(value))
        return float(x >= value - tol if upper else x <= value + tol)

    def settled_by_bounds(self, value: float, *, upper: bool) -> bool:
        """True if the bounds alone decide P(y >= value) (upper) or P(y <= value)."""
        lo, hi = self.bounds
        if upper:
            return (lo is not None and value <= lo) or (hi is not None and value > hi)
        return (hi is not None and value >= hi) or (lo is not None and value < lo)

    def has_spread(self, j: int) -> bool:
        """True if some member has a positive scale in future year j (an interval)."""
        return any(float(f.scale[j]) > 0 for f in self.members)

    def _mix_level(self, value: float, j: int) -> tuple[float, float]:
        """Bracket (a, b) around the p where the mixture quantile crosses ``value``, by
        bisection: Q(p) <= value below a, Q(p) >= value from b on (shared by prob_*)."""
        a, b = 0.0, 1.0
        for _ in range(60):
            mid = 0.5 * (a + b)
            if self._mix_quantile(mid, j) >= value:
                b = mid
            else:
                a = mid
        return float(a), float(b)

    def _mix_quantile(self, p: float, j: int) -> float:
        return float(np.mean([self._member_quantile(f, p, j) for f in self.members]))


def _t_tail(fit: Fit, value: float, j: int, *, upper: bool) -> float:
    """P(x_j >= value) (upper) or P(x_j <= value) for one fit, before clipping."""
    tr = fit.transform.at(j)
    zv = float(tr.forward(value))
    if tr.kind == "log" and zv > LOG_CAP:  # beyond the cap no path can reach
        return float(not upper)
    c, s = float(fit.center[j]), float(fit.scale[j])
    if np.isinf(zv):
        above = zv < 0  # every x lies above -inf, none above +inf
        return float(above if upper else not above)
    if s <= 0:
        tol = float(point_tol(zv))
        hit = c >= zv - tol if upper else c <= zv + tol
        return float(hit)
    t = (zv - c) / s
    return float(stats.t.sf(t, fit.df) if upper else stats.t.cdf(t, fit.df))


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


@dataclass(frozen=True)
class Forecast:
    """Outlook for one series up to the target year; see DESIGN.md §4.

    `lower`/`upper` map each interval level (e.g. 80, 95) to per-year bounds. `samples` are
    seeded joint paths (None when `point_only`). Probabilities come from the same marginal
    distribution as the intervals; `prob_sum_at_least` uses the joint samples.
    """

    model: str
    years: np.ndarray
    median: np.ndarray
    lower: dict[int, np.ndarray]
    upper: dict[int, np.ndarray]
    samples: np.ndarray | None
    fit_years: np.ndarray
    fit_values: np.ndarray
    point_only: bool
    reason: str
    selection: Selection | None = None
    caveats: tuple[tuple[str, dict[str, object]], ...] = ()
    _dist: Predictive | None = field(default=None, repr=False, compare=False)

    def summary_frame(self) -> pd.DataFrame:
        """Tidy table: year, median, then lo<level>, hi<level> for each level."""
        cols: dict[str, np.ndarray] = {"year": self.years, "median": self.median}
        for level in sorted(self.lower):
            cols[f"lo{level}"] = self.lower[level]
            cols[f"hi{level}"] = self.upper[level]
        return pd.DataFrame(cols)

    @property
    def member_names(self) -> tuple[str, ...]:
        """The fitted members of the distribution (empty for a point path)."""
        return () if self._dist is None else tuple(f.model for f in self._dist.members)

    def alone(self, member: str) -> Forecast:
        """This forecast under one of its members alone (same bounds), for the sensitivity."""
        assert self._dist is not None
        fit = next(f for f in self._dist.members if f.model == member)
        return replace(self, _dist=Predictive((fit,), self._dist.bounds))

    def quantile(self, q: float) -> np.ndarray:
        """The q-quantile per forecast year (NaN for a point path)."""
        if self._dist is None:
            return np.full(len(self.years), np.nan)
        return self._dist.quantile(q)

    def _index(self, year: int) -> int:
        hits = np.flatnonzero(self.years == year)
        if hits.size == 0:
            raise ValueError(f"year {year} not forecast; forecast years: {self.years.tolist()}")
        return int(hits[0])

    def prob_at_least(self, value: float, year: int) -> float:
        """P(y_year >= value), within [P_FLOOR, 1 - P_FLOOR] unless settled; NaN if point_only."""
        return self._prob(value, self._index(year), upper=True)

    def prob_at_most(self, value: float, year: int) -> float:
        """P(y_year <= value), within [P_FLOOR, 1 - P_FLOOR] unless settled; NaN if point_only."""
        return self._prob(value, self._index(year), upper=False)

    def _prob(self, value: float, j: int, *, upper: bool) -> float:
        """The analytic tail probability, kept off exact 0 and 1 (see P_FLOOR)."""
        if self._dist is None:
            return float("nan")
        d = self._dist
        p = d.prob_at_least(value, j) if upper else d.prob_at_most(value, j)
        if d.settled_by_bounds(value, upper=upper) or not d.has_spread(j):
            return p
        return float(np.clip(p, P_FLOOR, 1 - P_FLOOR))

    def prob_sum_at_least(self, value: float) -> float:
        """P(sum of y over all forecast years >= value), from the joint samples; within
        [P_FLOOR, 1 - P_FLOOR] when the sums vary (see P_FLOOR)."""
        if self.samples is None:
            return float("nan")
        return float(share_at_least(self.samples.sum(axis=1), value)[0])
