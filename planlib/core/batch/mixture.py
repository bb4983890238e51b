"""Target-year predictive distributions of many series: Vincentized quantiles and P(met).

Each row has up to K member margins (one Student t per model on its working scale, mapped
through g^-1 and clipped to the row's bounds). The row's quantile function is the mean of
its members' quantile functions (`base.Predictive.quantile`); P(met) is the analytic t tail
for a single member (`base._t_tail`) and, for a combination, the level p where the mixture
quantile crosses the target, found by a safeguarded regula falsi on all rows at once
instead of `Predictive._mix_level`'s 60 bisection steps per series (same root to < 1e-14).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import stdtr, stdtrit

from planlib.core.models.base import LOG_CAP, POINT_TOL, Transform

ROOT_TOL = 1e-15
MAX_STEPS = 200


@dataclass(frozen=True)
class Member:
    """One model's target-year margin for every row (entries of non-members are ignored)."""

    model: str
    transform: Transform  # logit bounds are (S, 1) arrays
    center: np.ndarray  # (S,)
    scale: np.ndarray  # (S,) already widened
    df: np.ndarray  # (S,)

    def take(self, rows: np.ndarray) -> Member:
        """The member restricted to some rows."""
        tr = self.transform
        if tr.kind == "logit":
            tr = Transform("logit", tr.lower[rows], tr.upper[rows])
        return Member(self.model, tr, self.center[rows], self.scale[rows], self.df[rows])

    def quantile(self, p: np.ndarray, clip_lo: np.ndarray, clip_hi: np.ndarray) -> np.ndarray:
        """Clipped p-quantile in original units (p per row)."""
        q = stdtrit(self.df, p)
        with np.errstate(invalid="ignore", over="ignore"):
            z = np.where(self.scale > 0, self.center + self.scale * q, self.center)
            x = self.transform.inverse(z[:, None])[:, 0]
        return np.clip(x, clip_lo, clip_hi)


def vincentized(members: list[Member], use: np.ndarray, p: float, clip_lo: np.ndarray,
                clip_hi: np.ndarray) -> np.ndarray:
    """Mean over each row's members (use[:, k]) of the members' p-quantiles."""
    total = np.zeros(use.shape[0])
    for k, mem in enumerate(members):
        rows = np.flatnonzero(use[:, k])
        if rows.size:
            total[rows] += mem.take(rows).quantile(np.full(rows.size, p), clip_lo[rows],
                                                   clip_hi[rows])
    return total / use.sum(axis=1)


def t_tail(mem: Member, value: np.ndarray, upper: bool) -> np.ndarray:
    """P(x >= value) (upper) or P(x <= value) of a single member, as `base._t_tail`."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zv = mem.transform.forward(value[:, None])[:, 0]
        tol = POINT_TOL * np.maximum(1.0, np.abs(zv))
        hit = mem.center >= zv - tol if upper else mem.center <= zv + tol
        t = (zv - mem.center) / mem.scale
        prob = stdtr(mem.df, -t) if upper else stdtr(mem.df, t)
    out = np.where(mem.scale <= 0, hit.astype(float), prob)
    above = zv < 0
    out = np.where(np.isinf(zv), (above if upper else ~above).astype(float), out)
    if mem.transform.kind == "log":
        out = np.where(zv > LOG_CAP, float(not upper), out)
    return out


def crossing(members: list[Member], use: np.ndarray, value: np.ndarray, clip_lo: np.ndarray,
             clip_hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bracket (a, b) per row: the mixture quantile is < value below a and >= value from b.

    Safeguarded regula falsi (Illinois) with bisection whenever the secant is unusable or
    the bracket fails to halve; NaN values end at (1, 1), as the bisection does."""
    s = use.shape[0]
    a, b = np.zeros(s), np.ones(s)
    fa, fb = np.full(s, -np.inf), np.full(s, np.inf)
    side = np.zeros(s)  # -1: a moved last, +1: b moved last (Illinois halving)
    active = np.arange(s)
    for step in range(MAX_STEPS):
        if active.size == 0:
            break
        aa, bb, ffa, ffb = a[active], b[active], fa[active], fb[active]
        width = bb - aa
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            secant = bb - ffb * width / (ffb - ffa)
        good = np.isfinite(secant) & (secant > aa) & (secant < bb) & (step % 3 != 2)
        x = np.where(good, secant, 0.5 * (aa + bb))
        mix = np.zeros(active.size)
        u = use[active]
        for k, mem in enumerate(members):
            rows = np.flatnonzero(u[:, k])
            if rows.size:
                sub = mem.take(active[rows])
                mix[rows] += sub.quantile(x[rows], clip_lo[active[rows]], clip_hi[active[rows]])
        f = mix / u.sum(axis=1) - value[active]
        up = ~(f < 0)  # f >= value (NaN value: never, so a moves to 1)
        if np.any(np.isnan(value[active])):
            up = np.where(np.isnan(value[active]), False, up)
        new_a = np.where(up, aa, x)
        new_b = np.where(up, x, bb)
        prev = side[active]
        new_fa = np.where(up, np.where(prev == 1, ffa / 2, ffa), f)
        new_fb = np.where(up, f, np.where(prev == -1, ffb / 2, ffb))
        a[active], b[active] = new_a, new_b
        fa[active], fb[active] = new_fa, new_fb
        side[active] = np.where(up, 1, -1)
        done = (new_b - new_a) < ROOT_TOL
        active = active[~done]
    return a, b


def prob_meet(members: list[Member], use: np.ndarray, value: np.ndarray, at_least: bool,
              lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """P(y >= value) (at_least) or P(y <= value) per row, as `Predictive.prob_at_least/most`.

    `lo`/`hi` are the distribution's bounds (NaN = open)."""
    s = use.shape[0]
    out = np.full(s, np.nan)
    n_members = use.sum(axis=1)
    with np.errstate(invalid="ignore"):
        if at_least:
            sure = ~np.isnan(lo) & (value <= lo)
            never = ~np.isnan(hi) & (value > hi)
        else:
            sure = ~np.isnan(hi) & (value >= hi)
            never = ~np.isnan(lo) & (value < lo)
    open_ = ~sure & ~never
    for k, mem in enumerate(members):
        rows = np.flatnonzero(open_ & (n_members == 1) & use[:, k])
        if rows.size:
            out[rows] = t_tail(mem.take(rows), value[rows], upper=at_least)
    combo = np.flatnonzero(open_ & (n_members > 1))
    if combo.size:
        clip_lo = np.where(np.isnan(lo), -np.inf, lo)
        clip_hi = np.where(np.isnan(hi), np.inf, hi)
        sub = [m.take(combo) for m in members]
        a, b = crossing(sub, use[combo], value[combo], clip_lo[combo], clip_hi[combo])
        out[combo] = 1.0 - b if at_least else a
    out[sure] = 1.0
    out[never] = 0.0
    return out
