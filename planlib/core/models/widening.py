"""How a member's backtest errors turn into interval width h years ahead (empirical Bayes).

The trend models treat the fitted trend as known, so their own scale hardly grows with the
horizon while real trends bend; and a series' own backtest has only a few outcomes per
horizon (with 8 points: about 4 one year ahead, 1 four years ahead, none five). So each
member's working-scale scale h years ahead is multiplied by

    lambda_h = running max over h' <= h of max(1, e_h'),
    e_h^2    = (W_H (prior_h k)^2 + S_h) / (W_H + N_h),
    k^2      = (W_SERIES + sum_h S_h / prior_h^2) / (W_SERIES + sum_h N_h),

where S_h and N_h are the sum of squared normal scores and their count at horizon h (the
outcome's score under the member's own predictive t: an honest member gives z ~ N(0, 1)),
and prior_h = max(1, PRIOR_SCALE h^PRIOR_POWER) is the error growth pooled over many
series. k says how much larger (or smaller) this series' errors were than the pooled
prior, over all horizons at once, shrunk towards 1 with the weight of W_SERIES outcomes;
e_h then lets the horizons the series did see pull their own factor, shrunk towards the
series' prior prior_h k with the weight of W_H outcomes. A series with no backtest falls
back to the prior; a volatile one widens more; a series whose backtest errors stayed well
inside its intervals narrows towards (never below) the model's own scale.

The prior's shape and the weights were set on the WDI R&D panel's tuning half and checked
on panels never used for tuning (benchmarks/calibration.py, results/calibration.md).
A pure function of per-horizon sums, so the per-series and the vectorised paths share it.
"""

from __future__ import annotations

import numpy as np

PRIOR_SCALE = 1.5  # prior_h = max(1, PRIOR_SCALE h^PRIOR_POWER)
PRIOR_POWER = 0.5
W_SERIES = 8.0  # the pooled prior counts as this many outcomes against the series' level k
W_H = 16.0  # ... and prior_h k as this many against the outcomes at horizon h


def prior(h: np.ndarray, scale: float = PRIOR_SCALE, power: float = PRIOR_POWER
          ) -> np.ndarray:
    """The pooled error growth h years ahead, max(1, scale h^power)."""
    return np.maximum(1.0, scale * np.asarray(h, dtype=float) ** power)


def factors(sumsq: np.ndarray, count: np.ndarray, *, scale: float = PRIOR_SCALE,
            power: float = PRIOR_POWER, w_series: float = W_SERIES, w_h: float = W_H
            ) -> np.ndarray:
    """lambda_1..lambda_H (last axis, >= 1, non-decreasing) from the per-horizon sums of
    squared normal scores and their counts, for any number of rows; the keyword
    parameters are there only for tuning (benchmarks/calibration.py)."""
    sumsq = np.asarray(sumsq, dtype=float)
    count = np.asarray(count, dtype=float)
    pri = prior(np.arange(1, sumsq.shape[-1] + 1), scale, power)
    k2 = (w_series + np.sum(sumsq / pri**2, axis=-1, keepdims=True)) / (
        w_series + np.sum(count, axis=-1, keepdims=True))
    centre = pri**2 * k2
    e = np.sqrt((w_h * centre + sumsq) / (w_h + count))
    return np.maximum.accumulate(np.maximum(e, 1.0), axis=-1)
