"""Predictive distributions of many margins at once: Vincentized quantiles and P(met).

Each row (a series at its target year, or one series' forecast year: `models.predictive`
makes the years of one series the rows) has up to K member margins (one Student t per
model on its working scale, mapped through g^-1 and clipped to the row's bounds). The
row's quantile function is the mean of its members' quantile functions; P(met) is the
analytic t tail for a single member and, for a combination, the level p where the mixture
quantile crosses the target, found by a safeguarded regula falsi on all rows at once (to
ROOT_TOL = 1e-13). The one mixture of planlib: per series and per panel row alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import stdtr, stdtrit

from planlib.core.models.base import LOG_CAP, P_FLOOR, Transform, point_tol
from planlib.core.models.count_scale import count_transform

from .fits import row_transform

ROOT_TOL = 1e-13
PROBE_WIDTH = 1e-4  # brackets narrower than this also get a probe next to the secant point
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
            tr = row_transform(np.asarray(tr.lower)[rows], np.asarray(tr.upper)[rows])
        elif tr.kind == "count":
            tr = count_transform(np.asarray(tr.lower)[rows])
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
    """P(x >= value) (upper) or P(x <= value) of a single member, before clipping (the
    log scale's cap: beyond e^LOG_CAP no value is reached)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zv = mem.transform.forward(value[:, None])[:, 0]
        tol = point_tol(zv)
        hit = mem.center >= zv - tol if upper else mem.center <= zv + tol
        t = (zv - mem.center) / mem.scale
        prob = stdtr(mem.df, -t) if upper else stdtr(mem.df, t)
    out = np.where(mem.scale <= 0, hit.astype(float), prob)
    above = zv < 0
    out = np.where(np.isinf(zv), (above if upper else ~above).astype(float), out)
    logged = np.broadcast_to(mem.transform.logged(), (len(zv), 1))[:, 0]
    out = np.where(logged & (zv > LOG_CAP), float(not upper), out)
    return out


def _mix(members: list[Member], use: np.ndarray, x: np.ndarray, rows: np.ndarray,
         clip_lo: np.ndarray, clip_hi: np.ndarray) -> np.ndarray:
    """The mixture quantile of the given rows at their levels x."""
    total = np.zeros(rows.size)
    u = use[rows]
    for k, mem in enumerate(members):
        sel = np.flatnonzero(u[:, k])
        if sel.size:
            r = rows[sel]
            total[sel] += mem.take(r).quantile(x[sel], clip_lo[r], clip_hi[r])
    return total / u.sum(axis=1)


def _member_cdf(mem: Member, value: np.ndarray) -> np.ndarray:
    """P(x < value) of one member before clipping (0/1 for a zero-width member)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zv = mem.transform.forward(value[:, None])[:, 0]
        cdf = stdtr(mem.df, (zv - mem.center) / mem.scale)
    return np.where(mem.scale > 0, cdf, (mem.center < zv).astype(float))


def crossing(members: list[Member], use: np.ndarray, value: np.ndarray, clip_lo: np.ndarray,
             clip_hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bracket (a, b) per row: the mixture quantile is < value below a and >= value from b.

    The root lies between the members' own CDFs at the value (the mean of quantiles is below
    the value where every member is, above where every member is); from there a regula
    falsi (Illinois) step plus a probe ROOT_TOL beyond it per iteration, bisection when the
    secant is unusable. NaN values end at (1, 1)."""
    s = use.shape[0]
    cdfs = np.stack([_member_cdf(m, value) for m in members], axis=1)
    cdfs = np.where(use, cdfs, np.nan)
    with np.errstate(invalid="ignore"):
        a = np.clip(np.nanmin(cdfs, axis=1) - 1e-9, 0.0, 1.0)
        b = np.clip(np.nanmax(cdfs, axis=1) + 1e-9, 0.0, 1.0)
    a, b = np.nan_to_num(a, nan=0.0), np.nan_to_num(b, nan=1.0)
    rows = np.arange(s)
    fa = _mix(members, use, a, rows, clip_lo, clip_hi) - value
    fb = _mix(members, use, b, rows, clip_lo, clip_hi) - value
    bad_a = ~(fa < 0) | (a <= 0)
    bad_b = (fb < 0) | np.isnan(fb) | (b >= 1)
    a, fa = np.where(bad_a, 0.0, a), np.where(bad_a, -np.inf, fa)
    b, fb = np.where(bad_b, 1.0, b), np.where(bad_b, np.inf, fb)
    side = np.zeros(s)  # -1: a moved last, +1: b moved last (Illinois halving)
    active = np.flatnonzero(~np.isnan(value) & (b - a >= ROOT_TOL))
    a[np.isnan(value)] = 1.0
    for _ in range(MAX_STEPS):
        if active.size == 0:
            break
        aa, bb, ffa, ffb = a[active], b[active], fa[active], fb[active]
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            secant = bb - ffb * (bb - aa) / (ffb - ffa)
        good = np.isfinite(secant) & (secant > aa) & (secant < bb)
        x = np.where(good, secant, 0.5 * (aa + bb))
        f = _mix(members, use, x, active, clip_lo, clip_hi) - value[active]
        up = ~(f < 0)
        prev = side[active]
        new_a, new_b = np.where(up, aa, x), np.where(up, x, bb)
        new_fa = np.where(up, np.where(prev == 1, ffa / 2, ffa), f)
        new_fb = np.where(up, f, np.where(prev == -1, ffb / 2, ffb))
        side[active] = np.where(up, 1, -1)
        # Near the root, probe just beyond x on its side: closes the bracket once x is
        # within tol (regula falsi alone approaches from one side).
        near = np.flatnonzero((new_b - new_a) < PROBE_WIDTH)
        if near.size:
            xs, ups, lo_n, hi_n = x[near], up[near], new_a[near], new_b[near]
            probe = np.clip(np.where(ups, xs - ROOT_TOL, xs + ROOT_TOL), lo_n, hi_n)
            fp = _mix(members, use, probe, active[near], clip_lo, clip_hi) \
                - value[active[near]]
            p_up = ~(fp < 0)
            new_a[near] = np.where(~p_up & (probe > lo_n), probe, lo_n)
            new_fa[near] = np.where(~p_up & (probe > lo_n), fp, new_fa[near])
            new_b[near] = np.where(p_up & (probe < hi_n), probe, hi_n)
            new_fb[near] = np.where(p_up & (probe < hi_n), fp, new_fb[near])
        a[active], b[active], fa[active], fb[active] = new_a, new_b, new_fa, new_fb
        active = active[(new_b - new_a) >= 1.5 * ROOT_TOL]
    return a, b


def prob_meet(members: list[Member], use: np.ndarray, value: np.ndarray, at_least: bool,
              lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """P(y >= value) (at_least) or P(y <= value) per row.

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
    # A fitted trend with an interval never reports an exact 0 or 1 (P_FLOOR); bounds that
    # settle the question and zero-width fits do.
    spread = np.zeros(s, dtype=bool)
    for k, mem in enumerate(members):
        spread |= use[:, k] & (mem.scale > 0)
    flat = np.flatnonzero(open_ & (n_members > 1) & ~spread)
    if flat.size:  # members without spread: all mass at their mean value (one point)
        clip_lo = np.where(np.isnan(lo), -np.inf, lo)
        clip_hi = np.where(np.isnan(hi), np.inf, hi)
        x = vincentized([m.take(flat) for m in members], use[flat], 0.5, clip_lo[flat],
                        clip_hi[flat])
        tol = point_tol(value[flat])
        out[flat] = x >= value[flat] - tol if at_least else x <= value[flat] + tol
    out = np.where(spread & ~np.isnan(out), np.clip(out, P_FLOOR, 1 - P_FLOOR), out)
    out[sure] = 1.0
    out[never] = 0.0
    return out
