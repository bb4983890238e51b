"""The predictive distribution of one series (`Predictive`) and its outlook (`Forecast`).

A series' distribution is its members' margins with the forecast years as the rows of a
panel: quantiles are the panel's Vincentized quantiles and probabilities its P(met)
(`planlib.core.batch.mixture`), so one series and a panel of many share one mixture.
Joint sample paths take the members' full fits (`paths`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planlib.core.batch.mixture import Member, prob_meet, vincentized

from .base import P_FLOOR, Bounds, Fit, Selection, Transform, share_at_least
from .count_scale import count_transform


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

    def _rows(self, j: slice | int) -> tuple[list[Member], np.ndarray, np.ndarray, np.ndarray]:
        """The members' margins in forecast year j (or all years) as panel rows, with the
        members' mask and the rows' clip limits."""
        years = np.arange(len(self.members[0].center))[j]
        idx = np.atleast_1d(years)
        members = [_member(f, idx) for f in self.members]
        use = np.ones((idx.size, len(members)), dtype=bool)
        lo, hi = self.bounds
        return (members, use, np.full(idx.size, -np.inf if lo is None else lo),
                np.full(idx.size, np.inf if hi is None else hi))

    def quantile(self, p: float) -> np.ndarray:
        """Marginal p-quantile per future year, original units, within bounds."""
        members, use, lo, hi = self._rows(slice(None))
        return vincentized(members, use, p, lo, hi)

    def prob_at_least(self, value: float, j: int) -> float:
        """P(y_j >= value)."""
        return self._prob(value, j, at_least=True)

    def prob_at_most(self, value: float, j: int) -> float:
        """P(y_j <= value)."""
        return self._prob(value, j, at_least=False)

    def _prob(self, value: float, j: int, *, at_least: bool) -> float:
        """The panel's P(met) of year j's row (bounds, point masses and P_FLOOR included)."""
        members, use, _, _ = self._rows(j)
        lo, hi = (np.array([np.nan if b is None else b]) for b in self.bounds)
        return float(prob_meet(members, use, np.array([float(value)]), at_least, lo, hi)[0])

    def settled_by_bounds(self, value: float, *, upper: bool) -> bool:
        """True if the bounds alone decide P(y >= value) (upper) or P(y <= value)."""
        lo, hi = self.bounds
        if upper:
            return (lo is not None and value <= lo) or (hi is not None and value > hi)
        return (hi is not None and value >= hi) or (lo is not None and value < lo)

    def has_spread(self, j: int) -> bool:
        """True if some member has a positive scale in future year j (an interval)."""
        return any(float(f.scale[j]) > 0 for f in self.members)


def _member(fit: Fit, years: np.ndarray) -> Member:
    """A fit's margins in the given forecast years as the rows of a panel member."""
    tr = fit.transform
    rows = years.size
    if tr.kind == "logit":
        tr = Transform("logit", np.full((rows, 1), float(tr.lower)),  # type: ignore[arg-type]
                       np.full((rows, 1), float(tr.upper)))  # type: ignore[arg-type]
    elif tr.kind == "count":
        flags = np.broadcast_to(np.asarray(tr.lower, dtype=float), fit.center.shape)
        tr = count_transform(flags[years][:, None])
    return Member(fit.model, tr, fit.center[years], fit.scale[years], np.full(rows, fit.df))


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
