"""``cumulative_increase``: add v over the plan period (20,000 new childcare places over
five years): Σ yearly additions over t0+1..T ≥ v on flow data (judged on their running
total since the baseline, so b = 0), y(T) − y(t0) ≥ v on stock data. The one kind flow
data may have."""

from __future__ import annotations

import numpy as np

from planlib.core.targets.kind import KindSpec


def level(baseline: np.ndarray, value: np.ndarray | float, horizon: int, measure: str
          ) -> np.ndarray:
    """v for flow data (their running total), b + v for stock data."""
    if measure == "flow":
        return np.broadcast_to(np.asarray(value, dtype=np.float64), np.shape(baseline))
    return np.asarray(baseline + value, dtype=np.float64)


def check(value: float, lo: float | None, hi: float | None, direction: str) -> str | None:
    """A total to add is positive."""
    if value <= 0:
        return "cumulative_increase value must be positive (the total to add)"
    return None


KIND = KindSpec("cumulative_increase", level, ("累计新增", "累计增加"), check=check,
                is_path=True, sums_flows=True)
