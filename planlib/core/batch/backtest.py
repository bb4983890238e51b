"""`auto`'s rolling-origin backtest for many series at once, and the widening it implies.

The rules of `planlib.core.models.selection` (imported constants, not copies), for any
number of rows (one series is a panel of one row):
origins k = first .. n - 1, fit on the first k points, forecast the observed years up to
max(horizon, gap) ahead, score = MAE of the clipped median / mean absolute yearly change
(MASE), and per horizon h the sum and count of the squared normal scores of the outcomes
under each model's own predictive t -- all the widening rule needs. The only Python loop
runs over the origin index k (at most the series length), never over series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri, stdtr

import planlib.core.models.selection as rules

from .fits import fit_model, row_transform, window_start
from .panel import Panel


@dataclass(frozen=True)
class BatchBacktest:
    """Per row and model: MASE score (inf where not scored) and squared-score sums per h."""

    models: tuple[str, ...]
    scores: np.ndarray  # (S, K)
    sumsq: np.ndarray  # (S, K, H): sum of squared normal scores h = 1 .. H years ahead
    count: np.ndarray  # (S, K, H)


def mase_scale(panel: Panel) -> np.ndarray:
    """Mean absolute change per year of each row (1 where it is 0), the MASE denominator."""
    valid = panel.valid
    pair = valid[:, 1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.abs(np.diff(panel.values, axis=1)) / np.diff(panel.years, axis=1)
        mean = np.sum(np.where(pair, change, 0.0), axis=1) / (panel.n - 1)
    return np.where(mean == 0, 1.0, mean)


def bounds_arrays(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Open bounds (NaN) as -inf / +inf, for np.clip."""
    return np.where(np.isnan(lo), -np.inf, lo), np.where(np.isnan(hi), np.inf, hi)


def run_backtest(panel: Panel, models: tuple[str, ...], eligible: np.ndarray,
                 first: np.ndarray, horizon: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                 n_h: int) -> BatchBacktest:
    """Rolling-origin backtest of `models` on every row (origins from `first` points)."""
    s, width = panel.years.shape
    k_models = len(models)
    err_sum = np.zeros((s, k_models))
    err_cnt = np.zeros((s, k_models))
    sumsq = np.zeros((s * k_models * n_h,))
    count = np.zeros((s * k_models * n_h,))
    clip_lo, clip_hi = bounds_arrays(lo, hi)
    start_k = int(first.min()) if s else width
    for k in range(start_k, width):
        rows = np.flatnonzero((first <= k) & (panel.n > k))
        if rows.size == 0:
            continue
        years, values, n = panel.years[rows], panel.values[rows], panel.n[rows]
        prev = years[:, k - 1]
        reach = np.maximum(horizon[rows], years[:, k] - prev)
        fut = years[:, k:]
        cols = np.arange(k, width)[None, :]
        ahead = (cols < n[:, None]) & (fut <= (prev + reach)[:, None])
        actual = values[:, k:]
        h = np.where(ahead, fut - prev[:, None], 0).astype(np.int64)
        stop = np.full(rows.size, k)
        for m, model in enumerate(models):
            sel = np.flatnonzero(eligible[rows, m])
            if sel.size == 0:
                continue
            r = rows[sel]
            start = window_start(model, stop[sel])
            fit = fit_model(model, years[sel], values[sel], start, stop[sel], fut[sel], lo[r],
                            hi[r])
            with np.errstate(invalid="ignore", over="ignore"):
                pred = np.clip(fit.transform.inverse(fit.center), clip_lo[r, None],
                               clip_hi[r, None])
            use = ahead[sel]
            err_sum[r, m] += np.sum(np.where(use, np.abs(pred - actual[sel]), 0.0), axis=1)
            err_cnt[r, m] += np.sum(use, axis=1)
            _add_scores(fit, actual[sel], use, h[sel], r, m, k_models, n_h, sumsq, count)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = err_sum / err_cnt / mase_scale(panel)[:, None]
    scores = np.where(eligible & (err_cnt > 0), scores, np.inf)
    shape = (s, k_models, n_h)
    return BatchBacktest(models, scores, sumsq.reshape(shape), count.reshape(shape))


def _add_scores(fit, actual: np.ndarray, use: np.ndarray, h: np.ndarray, rows: np.ndarray,
                m: int, k_models: int, n_h: int, sumsq: np.ndarray, count: np.ndarray) -> None:
    """Accumulate squared normal scores of the outcomes per (row, model, h), as
    `selection._normal_scores` (only outcomes with a positive scale and finite g(y))."""
    r, c = np.nonzero(use & (fit.scale > 0) & (h >= 1) & (h <= n_h))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tr = fit.transform
        if tr.kind == "logit":  # per-row bounds, one entry per outcome
            tr = row_transform(np.asarray(tr.lower)[r, 0], np.asarray(tr.upper)[r, 0])
        z = tr.forward(actual[r, c])
        finite = np.isfinite(z)
        r, c, z = r[finite], c[finite], z[finite]
        u = stdtr(fit.df[r], (z - fit.center[r, c]) / fit.scale[r, c])
        score = ndtri(np.clip(u, 1e-12, 1 - 1e-12))
    idx = (rows[r] * k_models + m) * n_h + (h[r, c] - 1)
    sumsq += np.bincount(idx, weights=score**2, minlength=sumsq.size)
    count += np.bincount(idx, minlength=count.size)


def widening_all(sumsq: np.ndarray, count: np.ndarray) -> np.ndarray:
    """lambda_1 .. lambda_H (last axis) from per-h sums of squared normal scores: the
    widening rule itself (`selection.widening_from_sums`)."""
    return rules.widening_from_sums(sumsq, count)


def widening_at(sumsq: np.ndarray, count: np.ndarray, n_ahead: np.ndarray) -> np.ndarray:
    """lambda at each row's own horizon n_ahead (1 where n_ahead < 1)."""
    n_h = sumsq.shape[-1]
    lam = widening_all(sumsq, count)
    idx = np.clip(n_ahead - 1, 0, n_h - 1)
    out = np.take_along_axis(lam, idx.reshape(idx.shape + (1,) * (lam.ndim - idx.ndim)),
                             axis=-1)[..., 0]
    return np.where(n_ahead >= 1, out, 1.0)
