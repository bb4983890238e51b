"""A batched damped-trend fit: ETS(A,Ad,N) for many series on a shared parameter grid.

The per-series path fits statsmodels' `ETSModel` (maximum likelihood, L-BFGS-B from fixed
start values). Here, for additive errors the likelihood only depends on the sum of squared
one-step errors (SSE), and for fixed smoothing parameters (alpha, beta = beta* alpha, phi)
the errors are *linear* in the series and in the initial level and trend. So for each
point of a shared grid over statsmodels' own bounds (alpha, beta* in [1e-4, 1 - 1e-4],
phi in [0.8, 0.98]) one (k x k) matrix gives every series' SSE with the best initial
states: a single matrix product for all series and grid points. The best grid point is
then polished per series by a vectorised pattern search from its `STARTS` best
grid points (`REFINE_STEPS` steps).
The forecast, sigma^2 = SSE / (n - 5), t(n - 5) margins and the h-step scale
sqrt(1 + sum c_j^2) are those of `planlib.core.models.ets`.

This is an approximation of statsmodels' fit, not a copy: it finds the SSE minimum on
the grid (and its neighbourhood), which is at or below statsmodels' local optimum; see
`benchmarks/results/scale.md` for how far the two forecasts are apart.
"""

from __future__ import annotations

import numpy as np

from planlib.core.models.ets import MIN_N, N_PARAMS

ALPHA = np.array([1e-4, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 1 - 1e-4])
BETA_STAR = np.array([1e-4, 0.03, 0.1, 0.3, 0.6, 1 - 1e-4])
PHI = np.array([0.8, 0.85, 0.9, 0.94, 0.98])
LOWER = np.array([1e-4, 1e-4, 0.8])
UPPER = np.array([1 - 1e-4, 1 - 1e-4, 0.98])
REFINE_STEPS = 6
STARTS = 1  # the best grid points each polished by the pattern search
CHUNK = 4096


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
    `y` time-first (k, ...) broadcastable against P."""
    shape = alpha.shape
    zero = np.zeros(shape)
    e_y, _, _ = _errors(y, zero, zero, alpha, beta, phi)
    nothing = np.zeros((y.shape[0],) + shape)
    e_l, _, _ = _errors(nothing, np.ones(shape), zero, alpha, beta, phi)
    e_b, _, _ = _errors(nothing, zero, np.ones(shape), alpha, beta, phi)
    sll, sbb, slb = (np.sum(e_l * e_l, 0), np.sum(e_b * e_b, 0), np.sum(e_l * e_b, 0))
    sly, sby = np.sum(e_l * e_y, 0), np.sum(e_b * e_y, 0)
    det = sll * sbb - slb**2
    with np.errstate(divide="ignore", invalid="ignore"):
        l0 = -(sbb * sly - slb * sby) / det
        b0 = -(sll * sby - slb * sly) / det
    sse = np.sum((e_y + l0 * e_l + b0 * e_b) ** 2, 0)
    return sse, l0, b0


def _refine(y: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Pattern search from each row's grid optimum, on the (alpha, beta*, phi) box."""
    current = start.copy()
    base = np.array([0.05, 0.1, 0.02])
    step = np.ones((len(y), 1))
    moves = np.vstack([np.zeros(3), np.eye(3), -np.eye(3)])  # (7, 3): stay first
    yy = y.T[:, :, None]  # (k, S, 1)
    for _ in range(REFINE_STEPS):
        delta = moves[None] * (base * step)[:, None, :]
        cand = np.clip(current[:, None, :] + delta, LOWER, UPPER)  # (S, 7, 3)
        sse, _, _ = _best_states(yy, cand[..., 0], cand[..., 0] * cand[..., 1], cand[..., 2])
        sse = np.where(np.isfinite(sse), sse, np.inf)
        best = np.argmin(sse, axis=1)
        current = cand[np.arange(len(y)), best]
        step = np.where((best == 0)[:, None], step / 2, step)
    return current


def fit_damped_batch(values: np.ndarray, future_h: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit rows of equal length k >= MIN_N (consecutive years) and forecast `future_h`
    (S, M) steps ahead: (center, scale, df) as `ets.fit_damped` gives them."""
    s, k = values.shape
    if k < MIN_N:
        raise ValueError(f"damped needs >= {MIN_N} consecutive years")
    params = grid()
    k_mat = _operators(params, k)
    quad = np.transpose(k_mat, (0, 2, 1)) @ k_mat  # SSE = y' Q y, (G, k, k)
    iu = np.triu_indices(k)
    weight = np.where(iu[0] == iu[1], 1.0, 2.0)
    q_stack = (quad[:, iu[0], iu[1]] * weight).T  # (k(k+1)/2, G)
    best = np.empty((s, STARTS), dtype=np.int64)
    for lo in range(0, s, CHUNK):
        y = values[lo:lo + CHUNK]
        sse = (y[:, iu[0]] * y[:, iu[1]]) @ q_stack  # (c, G)
        if STARTS == 1:
            best[lo:lo + CHUNK, 0] = np.argmin(sse, axis=1)
        else:
            best[lo:lo + CHUNK] = np.argpartition(sse, STARTS, axis=1)[:, :STARTS]
    starts = _refine(np.repeat(values, STARTS, axis=0), params[best.ravel()])
    alpha, beta_star, phi = starts[:, 0], starts[:, 1], starts[:, 2]
    sse, _, _ = _best_states(np.repeat(values, STARTS, axis=0).T, alpha, alpha * beta_star,
                             phi)
    pick = np.argmin(np.where(np.isfinite(sse), sse, np.inf).reshape(s, STARTS), axis=1)
    internal = starts.reshape(s, STARTS, 3)[np.arange(s), pick]
    alpha, phi = internal[:, 0], internal[:, 2]
    beta = alpha * internal[:, 1]
    sse, l0, b0 = _best_states(values.T, alpha, beta, phi)
    _, level, trend = _errors(values.T, l0, b0, alpha, beta, phi)
    h = future_h.astype(int)
    h_max = max(int(h.max()), 1) if h.size else 1
    powers = phi[:, None] ** np.arange(1, h_max + 1)[None, :]
    cum = np.cumsum(powers, axis=1)  # phi + ... + phi^h
    c = alpha[:, None] + beta[:, None] * cum  # c_1 .. c_hmax
    var = 1 + np.concatenate([np.zeros((s, 1)), np.cumsum(c[:, :-1] ** 2, axis=1)], axis=1)
    idx = np.clip(h - 1, 0, h_max - 1)
    rows = np.arange(s)[:, None]
    center = level[:, None] + trend[:, None] * cum[rows, idx]
    sigma = np.sqrt(sse / (k - N_PARAMS))
    sigma = np.where(sigma > 1e-10 * np.maximum(1.0, np.max(np.abs(values), axis=1)), sigma, 0)
    scale = sigma[:, None] * np.sqrt(var[rows, idx])
    return center, scale, np.full(s, float(k - N_PARAMS))
