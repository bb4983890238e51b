"""planlib's damped-trend fit: ETS(A,Ad,N) by least squares, for one series or many at once.

The one damped fit of planlib: `ets.fit_damped` (one series) and
`planlib.core.batch.damped.fit_damped_batch` (many rows, the vectorised path) both call
`fit_params`, so a series gets the same numbers alone
or among 100,000 rows. For additive errors the likelihood only depends on the sum of
squared one-step errors (SSE), and for fixed smoothing parameters (alpha, beta = beta*
alpha, phi) the errors are *linear* in the series and in the initial level and trend,
which are therefore solved exactly (least squares). The smoothing parameters are searched
in statsmodels' own box (alpha, beta* in [1e-4, 1 - 1e-4], phi in [0.8, 0.98]):

The series is fitted as y - y_0 (the errors do not change; no cancellation).
1. screen: every row's SSE at the 300 points of a shared grid, as one quadratic form per
   grid point (one BLAS matrix product for all rows), keeping its SCREEN best points;
2. rescore those exactly and keep the STARTS best (ties to the lower grid index);
3. polish each start by a pattern search (+-step on each axis; the step halves where no
   move lowers the SSE; a start stops below MIN_STEP or after REFINE_STEPS rounds) and
   keep the start with the lowest SSE.

What decides the result (steps 2-3) is elementwise numpy with sums over time in a fixed
order, so a row's numbers do not depend on the other rows (tests/test_damped.py checks
bit-identity alone vs among 5,000 rows). The BLAS screen only picks the SCREEN candidates:
a row could differ only if its 2nd and 9th best grid points tie to rounding (a flat
series, whose forecast is then the same anyway). statsmodels' ETSModel (L-BFGS-B from
fixed start values) stays the test oracle: tests/test_damped.py checks that this fit's SSE
is not above statsmodels' on real series; benchmarks/damped_fit.py measures how often it
is lower (statsmodels stopped at a local optimum) and the time per fit.
The forecast, sigma^2 = SSE / (n - 5), t(n - 5) margins and the h-step scale
sqrt(1 + sum c_j^2), c_j = alpha + beta (phi + ... + phi^j), are those of
`planlib.core.models.ets`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .registry import DAMPED_MIN_N

MIN_N = DAMPED_MIN_N  # consecutive annual values (the registry's rule)
N_PARAMS = 5  # alpha, beta, phi, initial level and trend

ALPHA = np.array([1e-4, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 1 - 1e-4])
BETA_STAR = np.array([1e-4, 0.03, 0.1, 0.3, 0.6, 1 - 1e-4])
PHI = np.array([0.8, 0.85, 0.9, 0.94, 0.98])
LOWER = np.array([1e-4, 1e-4, 0.8])
UPPER = np.array([1 - 1e-4, 1 - 1e-4, 0.98])
SCREEN = 8  # grid points per row rescored exactly after the BLAS screen
STARTS = 2  # of those, the best ones each polished by the pattern search
REFINE_STEPS = 40  # rounds at most
MIN_STEP = 2.0**-7  # of FIRST_STEP: a start has converged
FIRST_STEP = np.array([0.05, 0.1, 0.02])  # pattern-search step in (alpha, beta*, phi)
CHUNK = 4096


@dataclass(frozen=True)
class DampedParams:
    """Per row: smoothing parameters, least-squares initial states, final states, SSE."""

    alpha: np.ndarray
    beta: np.ndarray
    phi: np.ndarray
    level0: np.ndarray
    trend0: np.ndarray
    level: np.ndarray  # after the last observation
    trend: np.ndarray
    sse: np.ndarray
    errors: np.ndarray  # (k, S) one-step errors, time first


def grid() -> np.ndarray:
    """(G, 3) internal parameters (alpha, beta*, phi) of the shared grid."""
    a, b, p = np.meshgrid(ALPHA, BETA_STAR, PHI, indexing="ij")
    return np.column_stack([a.ravel(), b.ravel(), p.ravel()])


def _errors(y: np.ndarray, l0: np.ndarray, b0: np.ndarray, alpha: np.ndarray,
            beta: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-step errors and final level and trend of the ETS(A,Ad,N) recursion; time runs
    along the FIRST axis of `y` and of the errors (k, ...), so each step is contiguous."""
    level, trend = l0, b0
    errors = np.empty(y.shape[:1] + np.broadcast_shapes(np.shape(l0), np.shape(alpha),
                                                        y.shape[1:]))
    for t in range(y.shape[0]):
        yhat = level + phi * trend
        e = y[t] - yhat
        errors[t] = e
        level = yhat + alpha * e
        trend = phi * trend + beta * e
    return errors, level, trend


def _operators(params: np.ndarray, k: int) -> np.ndarray:
    """K (G, k, k) per grid point: SSE = |K y|^2 at the least-squares initial states."""
    alpha, beta, phi = params[:, 0], params[:, 0] * params[:, 1], params[:, 2]
    g = len(params)
    eye = np.broadcast_to(np.eye(k)[:, None, :], (k, g, k))  # (t, G, input i)
    zeros = np.zeros((g, 1))
    resp, _, _ = _errors(eye, zeros, zeros, alpha[:, None], beta[:, None], phi[:, None])
    a_mat = np.transpose(resp, (1, 0, 2))  # A[g, t, i]: error at t per unit y_i
    nothing = np.zeros((k, g))
    e_l, _, _ = _errors(nothing, np.ones(g), np.zeros(g), alpha, beta, phi)
    e_b, _, _ = _errors(nothing, np.zeros(g), np.ones(g), alpha, beta, phi)
    e_mat = np.stack([e_l.T, e_b.T], axis=2)  # (G, k, 2)
    return a_mat - e_mat @ (np.linalg.pinv(e_mat) @ a_mat)


def _best_states(y: np.ndarray, alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SSE at the least-squares initial states (l0, b0) for parameters of shape P, with
    `y` time-first (k, ...) broadcastable against P; elementwise, row-independent.

    The errors are e = e_y - l0 h_l - b0 h_b: e_y those of the recursion from zero states,
    h_l, h_b the one-step forecasts of the (y-free) recursion from a unit level or trend
    (level' = (1 - alpha) h, trend' = phi trend - beta h). Sums run in time order."""
    k = y.shape[0]
    shape = np.broadcast_shapes(np.shape(alpha), y.shape[1:])
    e_y, h_l, h_b = np.empty((k,) + shape), np.empty((k,) + shape), np.empty((k,) + shape)
    keep = 1 - alpha
    level, trend = np.zeros(shape), np.zeros(shape)
    ll, bl, lb, bb = np.ones(shape), np.zeros(shape), np.zeros(shape), np.ones(shape)
    sll, sbb, slb, sly, sby = (np.zeros(shape) for _ in range(5))
    for t in range(k):
        yhat = level + phi * trend
        e = y[t] - yhat
        level = yhat + alpha * e
        trend = phi * trend + beta * e
        hl = ll + phi * bl
        ll = keep * hl
        bl = phi * bl - beta * hl
        hb = lb + phi * bb
        lb = keep * hb
        bb = phi * bb - beta * hb
        e_y[t], h_l[t], h_b[t] = e, hl, hb
        sll += hl * hl
        sbb += hb * hb
        slb += hl * hb
        sly += hl * e
        sby += hb * e
    det = sll * sbb - slb**2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        l0 = (sbb * sly - slb * sby) / det
        b0 = (sll * sby - slb * sly) / det
        sse = np.zeros(shape)
        for t in range(k):
            sse += (e_y[t] - l0 * h_l[t] - b0 * h_b[t]) ** 2
    return np.where(np.isfinite(sse), sse, np.inf), l0, b0


def _sse_of(yy: np.ndarray, internal: np.ndarray) -> np.ndarray:
    """SSE of every candidate (..., 3) internal parameters, `yy` time-first (k, S, 1)."""
    alpha = internal[..., 0]
    sse, _, _ = _best_states(yy, alpha, alpha * internal[..., 1], internal[..., 2])
    return sse


def _screen(values: np.ndarray, params: np.ndarray) -> np.ndarray:
    """(S, SCREEN) indices of each row's best grid points by the BLAS quadratic form."""
    s, k = values.shape
    k_mat = _operators(params, k)
    quad = np.transpose(k_mat, (0, 2, 1)) @ k_mat  # SSE = y' Q y, (G, k, k)
    iu = np.triu_indices(k)
    weight = np.where(iu[0] == iu[1], 1.0, 2.0)
    q_stack = (quad[:, iu[0], iu[1]] * weight).T  # (k(k+1)/2, G)
    keep = min(SCREEN, len(params))
    out = np.empty((s, keep), dtype=np.int64)
    for lo in range(0, s, CHUNK):
        y = values[lo:lo + CHUNK]
        sse = (y[:, iu[0]] * y[:, iu[1]]) @ q_stack  # (c, G)
        out[lo:lo + CHUNK] = np.argpartition(sse, keep - 1, axis=1)[:, :keep]
    return np.sort(out, axis=1)


def _starts(values: np.ndarray) -> np.ndarray:
    """(S, STARTS, 3) each row's best grid points by exact SSE (ties: lower grid index)."""
    params = grid()
    idx = _screen(values, params)  # sorted grid indices
    sse = _sse_of(values.T[:, :, None], params[idx])
    order = np.argsort(sse, axis=1, kind="stable")[:, :STARTS]
    return params[np.take_along_axis(idx, order, axis=1)]


def _refine(values: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pattern search on the (alpha, beta*, phi) box from every start (S, P, 3): the moves
    +-step on each axis; the step halves where no move lowers the SSE, and a start stops
    once its step is below MIN_STEP (at most REFINE_STEPS rounds). (point, SSE) (S, P)."""
    s, p, _ = start.shape
    point = start.reshape(s * p, 3).copy()
    lane_row = np.repeat(np.arange(s), p)
    yy = values.T[:, :, None]  # (k, S, 1)
    sse = _sse_of(yy[:, lane_row], point[:, None, :])[:, 0]
    step = np.ones(s * p)
    moves = np.vstack([np.eye(3), -np.eye(3)])  # (6, 3)
    active = np.arange(s * p)
    for _ in range(REFINE_STEPS):
        if active.size == 0:
            break
        delta = moves * (FIRST_STEP * step[active, None])[:, None, :]
        cand = np.clip(point[active, None, :] + delta, LOWER, UPPER)  # (A, 6, 3)
        trial = _sse_of(yy[:, lane_row[active]], cand)
        best = np.argmin(trial, axis=1)  # first minimum: fixed move order breaks ties
        low = trial[np.arange(active.size), best]
        better = low < sse[active]
        moved = active[better]
        point[moved] = cand[np.flatnonzero(better), best[better]]
        sse[moved] = low[better]
        step[active[~better]] /= 2
        active = active[step[active] >= MIN_STEP]
    return point.reshape(s, p, 3), sse.reshape(s, p)


def fit_params(values: np.ndarray) -> DampedParams:
    """Least-squares ETS(A,Ad,N) of every row of `values` (S, k), k >= MIN_N consecutive
    years: the polished start with the lowest SSE (ties to the better grid start)."""
    values = np.asarray(values, dtype=float)
    s, k = values.shape
    if k < MIN_N:
        raise ValueError(f"damped needs >= {MIN_N} consecutive years")
    # The errors do not change when a constant is added to the series and to the initial
    # level: fit y - y_0 (no cancellation in the quadratic forms; a flat series is exact).
    shift = values[:, 0].copy()
    rel = values - shift[:, None]
    point, sse = _refine(rel, _starts(rel))
    pick = np.argmin(sse, axis=1)
    internal = point[np.arange(s), pick]
    alpha, phi = internal[:, 0], internal[:, 2]
    beta = alpha * internal[:, 1]
    sse, l0, b0 = _best_states(rel.T, alpha, beta, phi)
    errors, level, trend = _errors(rel.T, l0, b0, alpha, beta, phi)
    return DampedParams(alpha, beta, phi, l0 + shift, b0, level + shift, trend, sse, errors)


def damped_path(fit: DampedParams, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centre and unit-sigma scale h (S, M) >= 1 steps ahead: level + trend (phi + ... +
    phi^h) and sqrt(1 + c_1^2 + ... + c_{h-1}^2)."""
    s = len(fit.alpha)
    h = np.asarray(h).astype(int)
    h_max = max(int(h.max()), 1) if h.size else 1
    powers = fit.phi[:, None] ** np.arange(1, h_max + 1)[None, :]
    cum = np.cumsum(powers, axis=1)  # phi + ... + phi^h
    c = fit.alpha[:, None] + fit.beta[:, None] * cum  # c_1 .. c_hmax
    var = 1 + np.concatenate([np.zeros((s, 1)), np.cumsum(c[:, :-1] ** 2, axis=1)], axis=1)
    idx = np.clip(h - 1, 0, h_max - 1)
    rows = np.arange(s)[:, None]
    return fit.level[:, None] + fit.trend[:, None] * cum[rows, idx], np.sqrt(var[rows, idx])


def damped_sigma(fit: DampedParams, values: np.ndarray) -> np.ndarray:
    """sqrt(SSE / (n - 5)), or 0 where it is float noise on a perfect fit."""
    k = values.shape[1]
    sigma = np.sqrt(fit.sse / (k - N_PARAMS))
    return np.where(sigma > 1e-10 * np.maximum(1.0, np.max(np.abs(values), axis=1)), sigma, 0)
