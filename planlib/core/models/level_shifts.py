"""Level shifts nobody declared: a jump far outside a series' usual year-to-year change.

A definitional break the plan or the data declares (``breaks:``, a ``break`` flag) starts the
fit window (`planlib.core.series.Series.window`). Real series also step without a
declaration: a new survey, a change of coverage, a reform. A trend fitted across such a
step averages two levels, so its median can sit below the last observed value after a rise
(issue #19, item 5). `last_shift` finds the latest such step inside the window; the fit
then starts there (with a note), exactly as after a declared break. It only looks inside
the window the declarations leave, so it never reaches across a declared break, and a
declared break at the same year wins (its own note is said).

The rule, on the per-year changes d_i = (y_{i+1} - y_i) / (t_{i+1} - t_i):

* the usual change of the others: center = median of the other changes, scale = the
  largest of 1.4826 MAD of the other changes (robust sigma), REL_FLOOR x their mean
  absolute value (a steady trend is not a step when it merely speeds up; a series flat
  but for a few moves is judged by those moves) and LEVEL_FLOOR x
  the mean absolute level (a flat series is not stepped by rounding);
* a step: |d_i - center| > SHIFT_K x scale, and neither the change before nor the one
  after goes the other way by more than half of it (a one-year spike or dip and its
  recovery are an outlier, not a new level);
* acted on only with at least MIN_AFTER observations from the step on (a trend needs
  points to be fitted), MIN_BEFORE before it (a first value off the line is not a level,
  and a saturating rate's early years change faster) and MIN_CHANGES other changes to
  judge what is usual; the latest qualifying step wins.

SHIFT_K and MIN_AFTER were set on the WDI R&D panel's tuning half
(benchmarks/calibration.py), never on the test panels: fitting after a detected step lowers
`auto`'s error there; k = 5 is within 1 % of the best threshold (k = 4) while acting on half
as many windows, the more cautious choice for a rule that drops observations.
"""

from __future__ import annotations

import numpy as np

SHIFT_K = 5.0  # a step is this many robust scales away from the usual change
REL_FLOOR = 0.5  # scale >= this share of the mean absolute change of the others
LEVEL_FLOOR = 0.005  # scale >= this share of the mean absolute level
MIN_AFTER = 3  # observations from the step on needed to fit from it
MIN_CHANGES = 4  # other changes needed to say what is usual
MIN_BEFORE = 3  # observations before the step: a level needs points to be one
MAD_SIGMA = 1.4826  # MAD -> standard deviation of a normal


def last_shifts(years: np.ndarray, values: np.ndarray, *, k: float = SHIFT_K,
                min_after: int = MIN_AFTER) -> np.ndarray:
    """`last_shift` of every row of (R, n) complete, sorted windows of equal length n: the
    year per row (NaN where none), the rule written once for any number of rows."""
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    r, n = y.shape
    out = np.full(r, np.nan)
    if n < 2 or n - 1 < MIN_CHANGES + 1:
        return out
    d = np.diff(y, axis=1) / np.diff(t, axis=1)
    level = np.mean(np.abs(y), axis=1)
    for i in range(n - 1 - min_after, MIN_BEFORE - 2, -1):  # step between points i and i + 1
        others = np.delete(d, i, axis=1)
        center = np.median(others, axis=1)
        scale = np.maximum(np.maximum(
            MAD_SIGMA * np.median(np.abs(others - center[:, None]), axis=1),
            REL_FLOOR * np.mean(np.abs(others), axis=1)), LEVEL_FLOOR * level)
        jump = d[:, i] - center
        hit = (scale > 0) & (np.abs(jump) > k * scale) & np.isnan(out)
        for j in (i - 1, i + 1):  # a one-year spike or dip (taken back next year, or
            if 0 <= j < d.shape[1]:  # undoing last year's)
                hit &= ~((d[:, j] - center) * np.sign(jump) < -0.5 * np.abs(jump))
        out[hit] = t[hit, i + 1]
    return out


def last_shift(years: np.ndarray, values: np.ndarray, *, k: float = SHIFT_K,
               min_after: int = MIN_AFTER) -> int | None:
    """First year at the new level of the latest undeclared level shift in this (sorted,
    complete) window, or None; `k` and `min_after` are parameters only for tuning."""
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    ok = np.isfinite(t) & np.isfinite(y)
    year = last_shifts(t[ok][None, :], y[ok][None, :], k=k, min_after=min_after)[0]
    return None if np.isnan(year) else int(year)
