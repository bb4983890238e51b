"""Seeded joint sample paths of one or many predictive distributions, and what a
cumulative target reads from their sums over the future years.

Written once for a panel of rows (`joint_paths`); one series is a panel of one row
(`predictive.Predictive`), so the per-series forecast and the panel rows of a flow
indicator (`planlib.core.batch.flows`) draw the very same paths from the same seed. Each
row draws from its own generator (``default_rng(seed)``: a chi-square per path, then the
standard normals), so results never depend on which rows share a batch; the arithmetic
after the draws runs on all rows of equal shape at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import stdtr, stdtrit

from .base import Transform, share_at_least

if TYPE_CHECKING:
    from .base import Fit
    from .predictive import Predictive

#: Joint paths drawn per series (the Monte-Carlo error of P(sum >= v) is at most 0.008).
N_PATHS = 4000
#: Rows whose paths are computed in one array (bounds the memory: rows x paths x years).
CHUNK = 64


def standard_draws(leads: Sequence[Fit], seeds: Sequence[int], n_paths: int) -> np.ndarray:
    """(R, n_paths, H) joint draws of each row's lead member whose every margin is exactly
    Student t(df): per row from ``default_rng(seed)`` a chi-square per path (finite df),
    then the normals of its innovations, mapped through the row's loadings."""
    out = []
    for lead, seed in zip(leads, seeds, strict=True):
        rng = np.random.default_rng(seed)
        chi2 = rng.chisquare(lead.df, size=n_paths) if np.isfinite(lead.df) else None
        eps = rng.standard_normal((n_paths, lead.loadings.shape[1]))
        w = np.ones(n_paths) if chi2 is None else np.sqrt(lead.df / chi2)
        dev = np.einsum("pk,hk->ph", eps, lead.loadings)  # einsum: no BLAS, bit-stable
        norm = np.sqrt(np.sum(lead.loadings**2, axis=1))
        row = np.zeros(dev.shape)
        np.divide(dev, norm, out=row, where=norm > 0)
        out.append(row * w[:, None])
    return np.stack(out)


def _signature(dist: Predictive) -> tuple[object, ...]:
    """What rows must share to be computed in one array: years, members, scales."""
    return (len(dist.members[0].center),
            tuple((f.transform.kind, f.loadings.shape[1]) for f in dist.members))


def _stack_transform(fits: Sequence[Fit]) -> Transform:
    """The transforms of one member across rows as one, broadcasting over (R, P, H)."""
    tr = fits[0].transform
    if tr.kind in ("identity", "log"):
        return tr
    if tr.kind == "count":
        flags = np.stack([np.broadcast_to(np.asarray(f.transform.lower, dtype=float),
                                          f.center.shape) for f in fits])
        return Transform("count", flags[:, None, :])  # type: ignore[arg-type]
    lower = np.array([float(f.transform.lower) for f in fits])[:, None, None]
    upper = np.array([float(f.transform.upper) for f in fits])[:, None, None]
    return Transform("logit", lower, upper)  # type: ignore[arg-type]


def _bounds(dists: Sequence[Predictive]) -> tuple[np.ndarray, np.ndarray]:
    """(R, 1, 1) clip limits of the rows (open: -inf / inf)."""
    lo = np.array([-np.inf if d.bounds[0] is None else d.bounds[0] for d in dists])
    hi = np.array([np.inf if d.bounds[1] is None else d.bounds[1] for d in dists])
    return lo[:, None, None], hi[:, None, None]


def _paths(dists: Sequence[Predictive], seeds: Sequence[int], n_paths: int) -> np.ndarray:
    """(R, n_paths, H) paths of rows of one signature, within their bounds: the lead
    member's draws; with several members, each member's quantiles at the lead's t levels,
    averaged (Vincentization with the lead's copula)."""
    draws = standard_draws([d.members[0] for d in dists], seeds, n_paths)
    lo, hi = _bounds(dists)
    count = len(dists[0].members)
    leads = [d.members[0] for d in dists]
    if count == 1:
        center = np.stack([f.center for f in leads])[:, None, :]
        scale = np.stack([f.scale for f in leads])[:, None, :]
        return np.clip(_stack_transform(leads).inverse(center + scale * draws), lo, hi)
    lead_df = np.array([f.df for f in leads])[:, None, None]
    u = np.clip(stdtr(lead_df, draws), 1e-15, 1 - 1e-15)
    seen: list[tuple[np.ndarray, np.ndarray]] = []  # (df per row, its t quantiles of u)
    total = np.zeros_like(draws)
    for j in range(count):
        fits = [d.members[j] for d in dists]
        df = np.array([f.df for f in fits])
        q = _t_quantiles(df, u, seen)
        center = np.stack([f.center for f in fits])[:, None, :]
        scale = np.stack([f.scale for f in fits])[:, None, :]
        with np.errstate(invalid="ignore"):
            z = np.where(scale > 0, center + scale * q, center)
        member = np.clip(_stack_transform(fits).inverse(z), lo, hi)
        total = member if j == 0 else total + member
    return total / count


def _t_quantiles(df: np.ndarray, u: np.ndarray, seen: list[tuple[np.ndarray, np.ndarray]]
                 ) -> np.ndarray:
    """stdtrit(df, u) per row, reusing the rows an earlier member of the same df computed
    (members of one series mostly share n - 2: the same numbers, once)."""
    q = np.full(u.shape, np.nan)
    todo = np.ones(len(df), dtype=bool)
    for old_df, old_q in seen:
        same = todo & (old_df == df)
        q[same] = old_q[same]
        todo &= ~same
    if todo.any():
        q[todo] = stdtrit(df[todo][:, None, None], u[todo])
    seen.append((df, q))
    return q


def sample(dist: Predictive, n_paths: int, seed: int) -> np.ndarray:
    """(n_paths, H) seeded joint paths of one distribution (`joint_paths` of one row)."""
    ((_, paths),) = joint_paths([dist], [seed], n_paths)
    return paths[0]


def joint_paths(dists: Sequence[Predictive], seeds: Sequence[int], n_paths: int
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(row indices, (R, n_paths, H) paths) of every row, rows of equal shape together in
    chunks of at most CHUNK: seeded joint paths in original units, within bounds."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, d in enumerate(dists):
        groups.setdefault(_signature(d), []).append(i)
    for rows in groups.values():
        for at in range(0, len(rows), CHUNK):
            part = np.array(rows[at: at + CHUNK])
            yield part, _paths([dists[i] for i in part], [seeds[i] for i in part], n_paths)


def total_outlook(sums: np.ndarray, done: np.ndarray, value: np.ndarray,
                  levels: Sequence[int]
                  ) -> tuple[np.ndarray, dict[int, np.ndarray], dict[int, np.ndarray],
                             np.ndarray]:
    """A cumulative target's outlook per row from (R, P) sums of the future additions:
    the median and central intervals of the total (``done`` so far plus the sum) and
    P(total >= value) (the sum against value - done)."""
    totals = np.asarray(done, dtype=float)[:, None] + sums
    lower, upper = {}, {}
    for lv in levels:
        q = np.quantile(totals, [(100 - lv) / 200, 1 - (100 - lv) / 200], axis=1)
        lower[lv], upper[lv] = q[0], q[1]
    p = share_at_least(sums, np.asarray(value, dtype=float) - np.asarray(done, dtype=float))
    return np.median(totals, axis=1), lower, upper, p
