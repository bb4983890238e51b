"""The damped trend for many series at once: `fit_params` of `planlib.core.models.damped_fit`
(the one damped fit of planlib, also behind the per-series `ets.fit_damped`) on every row,
as the (center, scale, df) margins the vectorised path works with."""

from __future__ import annotations

import numpy as np

from planlib.core.models.damped_fit import N_PARAMS, damped_path, damped_sigma, fit_params


def fit_damped_batch(values: np.ndarray, future_h: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit rows of equal length k >= MIN_N (consecutive years) and forecast `future_h`
    (S, M) >= 1 steps ahead: (center, scale, df) as `ets.fit_damped` gives them."""
    fit = fit_params(values)
    center, unit = damped_path(fit, future_h)
    scale = damped_sigma(fit, values)[:, None] * unit
    return center, scale, np.full(len(values), float(values.shape[1] - N_PARAMS))
