"""Damped trend: statsmodels `ETSModel` with additive error and additive damped trend.

Only for n >= 8 consecutive annual values. The h-step error is
e_h = eps_h + sum_{j<h} c_j eps_{h-j} with c_j = alpha + beta (phi + ... + phi^j), which
reproduces statsmodels' analytic forecast variance; we use it as the joint structure and
take sigma^2 = SSE / (n - 5) with t(n - 5) margins (5 estimated parameters) rather than
statsmodels' Gaussian SSE / n -- wider, more honest for short series. Parameter
uncertainty is not included (as in statsmodels); with alpha = beta = 0 (common on smooth
series) the variance is sigma^2 at every horizon. `forecast` therefore widens the scale h
years ahead by at least 1.2 sqrt(h) (`selection.explicit_widening`, as for an `auto` member).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .base import Fit, Transform

MIN_N = 8
N_PARAMS = 5


class ETSFitError(RuntimeError):
    """The ETS fit failed or did not converge."""


def fit_damped(years: np.ndarray, y: np.ndarray, future: np.ndarray) -> Fit:
    """Fit ETS(A,Ad,N) to consecutive annual values; raise ETSFitError if it fails."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    n = len(y)
    if n < MIN_N or np.any(np.diff(years) != 1):
        raise ETSFitError(f"damped needs >= {MIN_N} consecutive years")
    steps = (future - years[-1]).astype(int)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True)
            res = model.fit(disp=False)
            converged = bool(res.mle_retvals.get("converged", True))
            path = np.asarray(res.forecast(int(steps.max()))) if steps.size else np.empty(0)
    except Exception as exc:  # noqa: BLE001 - any statsmodels failure means "no damped fit"
        raise ETSFitError(f"ETS fit failed ({type(exc).__name__})") from exc
    params = np.asarray(res.params, dtype=float)
    if not converged or not np.all(np.isfinite(params)) or not np.all(np.isfinite(path)):
        raise ETSFitError("ETS fit did not converge")
    alpha, beta, phi = params[:3]
    h_max = int(steps.max()) if steps.size else 0
    c = alpha + beta * np.cumsum(phi ** np.arange(1, h_max))  # c_1 .. c_{h_max-1}
    full = np.eye(h_max)
    for j, cj in enumerate(c, start=1):
        full += np.diag(np.full(h_max - j, cj), -j)
    sse = float(np.sum(np.asarray(res.resid) ** 2))
    sigma = float(np.sqrt(sse / (n - N_PARAMS)))
    rows = steps - 1
    return Fit(
        model="damped",
        transform=Transform("identity"),
        center=path[rows] if steps.size else np.empty(0),
        loadings=full[rows] if steps.size else np.empty((0, 0)),
        sigma=sigma if sigma > 1e-10 * max(1.0, float(np.max(np.abs(y)))) else 0.0,
        df=float(n - N_PARAMS),
        fit_values=np.asarray(res.fittedvalues, dtype=float),
        note=f"ETS alpha={alpha:.2f} beta={beta:.2f} phi={phi:.2f}",
    )
