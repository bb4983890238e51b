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

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import ndtri, stdtr

import planlib.core.models.selection as rules

from .fits import Margins, fit_model, row_transform, window_start
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
    s = panel.years.shape[0]
    k_models = len(models)
    err_sum = np.zeros((s, k_models))
    err_cnt = np.zeros((s, k_models))
    sumsq = np.zeros((s * k_models * n_h,))
    count = np.zeros((s * k_models * n_h,))
    for o in origins(panel, models, eligible, first, horizon, lo, hi):
        err_sum[o.rows, o.model] += np.sum(np.where(o.use, o.error, 0.0), axis=1)
        err_cnt[o.rows, o.model] += np.sum(o.use, axis=1)
        _add_scores(o.fit, o.actual, o.use, o.h, o.rows, o.model, k_models, n_h, sumsq, count)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = err_sum / err_cnt / mase_scale(panel)[:, None]
    scores = np.where(eligible & (err_cnt > 0), scores, np.inf)
    shape = (s, k_models, n_h)
    return BatchBacktest(models, scores, sumsq.reshape(shape), count.reshape(shape))


@dataclass(frozen=True)
class Origin:
    """One model's forecasts from one backtest origin k for the rows scored there: the
    fit, the outcomes after k, which of them are scored (`use`), how many years ahead
    each lies, and the absolute error of the clipped median."""

    k: int
    model: int  # index into the models
    rows: np.ndarray
    fit: Margins
    actual: np.ndarray
    use: np.ndarray
    h: np.ndarray
    error: np.ndarray


def origins(panel: Panel, models: tuple[str, ...], eligible: np.ndarray, first: np.ndarray,
            horizon: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Iterator[Origin]:
    """The backtest's forecasts, origin by origin: k = first .. n - 1, each eligible model
    fitted on the first k points, scored on the observed years up to max(horizon, gap)
    after the origin's last year."""
    width = panel.years.shape[1]
    clip_lo, clip_hi = bounds_arrays(lo, hi)
    start_k = int(first.min()) if len(first) else width
    for k in range(start_k, width):
        rows = np.flatnonzero((first <= k) & (panel.n > k))
        if rows.size == 0:
            continue
        years, values, n = panel.years[rows], panel.values[rows], panel.n[rows]
        prev = years[:, k - 1]
        fut = years[:, k:]
        ahead = scored_ahead(years, n, k, horizon[rows])
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
            yield Origin(k, m, r, fit, actual[sel], ahead[sel], h[sel],
                         np.abs(pred - actual[sel]))


def scored_ahead(years: np.ndarray, n: np.ndarray, k: int, horizon: np.ndarray
                 ) -> np.ndarray:
    """(R, W - k) which of the columns k.. each row's origin k (fit on its first k points)
    is scored on: observed years up to `horizon` years after its last year (after a longer
    gap: still the next one)."""
    prev = years[:, k - 1]
    reach = np.maximum(horizon, years[:, k] - prev)
    cols = np.arange(k, years.shape[1])[None, :]
    return (cols < n[:, None]) & (years[:, k:] <= (prev + reach)[:, None])


def origin_errors(panel: Panel, model: str, lo: np.ndarray, hi: np.ndarray, horizon: int,
                  first: int) -> list[np.ndarray] | None:
    """The absolute errors of `model`'s median at each backtest origin first…n−1 of a
    panel of one row (for paired comparisons origin by origin); None if its fit fails
    (NaN) at one of them."""
    out = []
    for o in origins(panel, (model,), np.ones((1, 1), dtype=bool), np.array([first]),
                     np.array([horizon]), lo, hi):
        out.append(o.error[0][o.use[0]])
    if any(not np.all(np.isfinite(e)) for e in out):
        return None
    return out


def own_horizons(bt: BatchBacktest, n_ahead: np.ndarray) -> BatchBacktest:
    """`bt` with each row's squared-score sums kept up to its own horizon `n_ahead` only:
    the panel's H is its longest row's, and a row's widening (whose series level k pools
    every horizon it keeps) must not depend on which other rows share the panel."""
    beyond = np.arange(1, bt.sumsq.shape[-1] + 1)[None, None, :] > n_ahead[:, None, None]
    return replace(bt, sumsq=np.where(beyond, 0.0, bt.sumsq),
                   count=np.where(beyond, 0.0, bt.count))


def _add_scores(fit: Margins, actual: np.ndarray, use: np.ndarray, h: np.ndarray, rows: np.ndarray,
                m: int, k_models: int, n_h: int, sumsq: np.ndarray, count: np.ndarray) -> None:
    """Accumulate the squared normal scores of the outcomes per (row, model, h): z =
    Phi^-1(F_t(df)((g(y) - center) / scale)), the outcome's normal score under the model's
    own predictive t (an honest model gives z ~ N(0, 1)); only outcomes with a positive
    scale and finite g(y)."""
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
