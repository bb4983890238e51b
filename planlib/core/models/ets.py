"""Damped trend: ETS(A,Ad,N) (additive error, additive damped trend), planlib's own fit.

Only for n >= 8 consecutive annual values. The parameters are those of `damped_fit`
(least squares in statsmodels' box: grid screen, exact rescoring, polished starts), the
same function the vectorised path calls for many series at once, so a series gets the
same numbers on either path; statsmodels' `ETSModel` is the test oracle for the optimum
(tests/test_damped.py, benchmarks/damped_fit.py). The h-step error is
e_h = eps_h + sum_{j<h} c_j eps_{h-j} with c_j = alpha + beta (phi + ... + phi^j), the ETS
analytic forecast variance; we use it as the joint structure and take
sigma^2 = SSE / (n - 5) with t(n - 5) margins (5 estimated parameters) rather than the
Gaussian SSE / n -- wider, more honest for short series. Parameter uncertainty is not
included; with alpha = beta = 0 (common on smooth series) the variance is sigma^2 at every
horizon. `forecast` therefore widens the scale h years ahead from its own backtest shrunk
towards the pooled prior (`batch.auto.choose`, as for an `auto` member).
"""

from __future__ import annotations

import numpy as np

from .base import Bounds, Fit, Transform
from .damped_fit import MIN_N, N_PARAMS, damped_path, damped_sigma, fit_params

__all__ = ["MIN_N", "N_PARAMS", "ETSFitError", "fit_damped"]


class ETSFitError(RuntimeError):
    """The ETS fit failed (no finite least-squares optimum)."""


def fit_damped(years: np.ndarray, y: np.ndarray, future: np.ndarray,
               bounds: Bounds = (None, None)) -> Fit:
    """Fit ETS(A,Ad,N) to consecutive annual values (original scale: `bounds` only clip
    the forecast later); raise ETSFitError if it fails."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n < MIN_N or np.any(np.diff(years) != 1):
        raise ETSFitError(f"damped needs >= {MIN_N} consecutive years")
    steps = (np.asarray(future) - years[-1]).astype(int)
    values = y[None, :]
    fit = fit_params(values)
    center = damped_path(fit, steps[None, :])[0][0] if steps.size else np.empty(0)
    if not np.isfinite(fit.sse[0]) or not np.all(np.isfinite(center)):
        raise ETSFitError("ETS fit did not converge")
    alpha, beta, phi = float(fit.alpha[0]), float(fit.beta[0]), float(fit.phi[0])
    h_max = int(steps.max()) if steps.size else 0
    c = alpha + beta * np.cumsum(phi ** np.arange(1, h_max))  # c_1 .. c_{h_max-1}
    full = np.eye(h_max)
    for j, cj in enumerate(c, start=1):
        full += np.diag(np.full(h_max - j, cj), -j)
    return Fit(
        model="damped",
        transform=Transform("identity"),
        center=center,
        loadings=full[steps - 1] if steps.size else np.empty((0, 0)),
        sigma=float(damped_sigma(fit, values)[0]),
        df=float(n - N_PARAMS),
        fit_values=y - fit.errors[:, 0],
        note=f"ETS alpha={alpha:.2f} beta={beta:.2f} phi={phi:.2f}",
    )
