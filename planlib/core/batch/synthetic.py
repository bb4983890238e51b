"""Synthetic region panels for tests and benchmarks: many short annual series per indicator.

Two kinds of indicator, as in the plans: a rate in (0, 100) % that saturates towards 100
(a logistic curve with region-specific speed plus noise, some regions already close to the
bound) and a positive count that grows or shrinks by a few percent a year (log-linear plus
noise). Series have `years` observations ending in `last_year`; a share of them lose one or
two inner years (gaps), and `short_share` of them are cut to 2-7 points so every route of
`auto` is exercised. Same seed, same panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def synthetic_long(n_series: int, *, indicator_id: str, kind: str = "rate", seed: int = 0,
                   years: tuple[int, int] = (8, 10), last_year: int = 2022,
                   gap_share: float = 0.25, short_share: float = 0.0) -> pd.DataFrame:
    """Long frame (indicator_id, region, year, value, flag) of `n_series` regions."""
    rng = np.random.default_rng(seed)
    n_years = rng.integers(years[0], years[1] + 1, n_series)
    short = rng.random(n_series) < short_share
    n_years = np.where(short, rng.integers(2, 8, n_series), n_years)
    width = int(n_years.max())
    t = np.arange(width)[None, :] - (n_years[:, None] - 1)  # 0 at the last year
    if kind == "rate":
        level = rng.uniform(-1.0, 4.0, n_series)  # logit of the share in the last year
        speed = rng.gamma(2.0, 0.08, n_series)
        noise = rng.normal(0, 1, (n_series, width)) * rng.uniform(0.02, 0.15, n_series)[:, None]
        z = level[:, None] + speed[:, None] * t + noise
        values = 100 / (1 + np.exp(-z))
    else:
        level = rng.uniform(2.0, 8.0, n_series)
        growth = rng.normal(0.0, 0.04, n_series)
        noise = rng.normal(0, 1, (n_series, width)) * rng.uniform(0.005, 0.05, n_series)[:, None]
        values = np.exp(level[:, None] + growth[:, None] * t + np.cumsum(noise, axis=1) * 0.5)
    values = np.round(values, 4)
    present = np.arange(width)[None, :] < n_years[:, None]
    gappy = (rng.random(n_series) < gap_share) & (n_years >= 5)
    for drop in range(2):
        col = rng.integers(1, np.maximum(n_years - 1, 2))
        hit = gappy & ((drop == 0) | (rng.random(n_series) < 0.3))
        present[np.flatnonzero(hit), col[hit]] = False
    rows, cols = np.nonzero(present)
    year = last_year + (cols - (n_years[rows] - 1))
    width_digits = len(str(n_series))
    regions = np.char.add("R", np.char.zfill(np.arange(n_series).astype(str), width_digits))
    return pd.DataFrame({
        "indicator_id": indicator_id, "region": regions[rows], "year": year.astype(np.int64),
        "value": values[rows, cols], "flag": "",
    })
