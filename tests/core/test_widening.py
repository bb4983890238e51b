"""The empirical-Bayes widening (issue #19, item 5): a series without backtest history
gets the pooled prior, a volatile one widens more, a calm one less; one rule for any
number of rows (`selection.widening_from_sums`)."""

from __future__ import annotations

import numpy as np

from planlib.core.batch.backtest import widening_all
from planlib.core.models import widening

H = 5


def factors(zs: list[tuple[int, float]], n_ahead: int = H) -> np.ndarray:
    """The widening of one series from its backtest normal scores (h, z), summed per h by
    hand."""
    sumsq, count = np.zeros(n_ahead), np.zeros(n_ahead)
    for h, z in zs:
        sumsq[h - 1] += z * z
        count[h - 1] += 1
    return widening_all(sumsq[None, :], count[None, :])[0]


def test_no_backtest_history_falls_back_to_the_prior():
    lam = factors([])
    np.testing.assert_allclose(lam, widening.prior(np.arange(1, H + 1)))
    # the prior is max(1, 1.2 sqrt(h)) with the shipped parameters
    np.testing.assert_allclose(lam, np.maximum(1, widening.PRIOR_SCALE
                                               * np.arange(1, H + 1) ** widening.PRIOR_POWER))


def test_a_volatile_series_widens_more_and_a_calm_one_less():
    calm = [(1, 0.3), (1, -0.2), (1, 0.1), (1, 0.4), (2, 0.2), (2, -0.5), (3, 0.3)]
    volatile = [(h, 8 * z) for h, z in calm]  # errors ~3x what the model claimed
    prior = widening.prior(np.arange(1, H + 1))
    lam_calm, lam_vol = factors(calm), factors(volatile)
    assert np.all(lam_vol > prior) and np.all(lam_calm < prior)
    assert np.all(lam_calm >= 1) and np.all(np.diff(lam_calm) >= 0)
    # the horizons the backtest never saw (4, 5) move with the series' level k too
    assert lam_vol[4] > prior[4] and lam_calm[4] < prior[4]


def test_many_outcomes_outweigh_the_prior():
    # 2,000 scores at each horizon with mean square 9: the factor approaches 3 (the series'
    # own error level), whatever the prior says
    zs = [(h, z) for h in range(1, H + 1) for z in (3.0, -3.0) * 1000]
    np.testing.assert_allclose(factors(zs), 3.0, rtol=0.02)


def test_rows_are_independent():
    # two rows in one call give each row's own factors (no pooling across rows)
    zs = [(1, 2.0), (1, -1.0), (2, 0.5), (4, 3.0)]
    sumsq = np.array([[5.0, 0.25, 0.0, 9.0, 0.0], [0.0] * 5])
    count = np.array([[2.0, 1.0, 0.0, 1.0, 0.0], [0.0] * 5])
    rows = widening_all(sumsq, count)
    np.testing.assert_array_equal(rows[0], factors(zs))
    np.testing.assert_allclose(rows[1], widening.prior(np.arange(1, H + 1)), rtol=1e-15)
