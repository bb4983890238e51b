"""``annual_change``: move by d a year from the baseline (myopia falls ≥ 0.5 point a year
from 2018): y(T) ≤ y(t0) + d·(T − t0) for d < 0, ≥ for d > 0."""

from __future__ import annotations

import numpy as np

from planlib.core.targets.kind import KindSpec, Sentence


def level(baseline: np.ndarray, value: np.ndarray | float, horizon: int, measure: str
          ) -> np.ndarray:
    """b + d·(T − t0)."""
    return np.asarray(baseline + value * horizon, dtype=np.float64)


def check(value: float, lo: float | None, hi: float | None, direction: str) -> str | None:
    """The sign of the change goes with the direction (a fall is negative)."""
    if value != 0 and (value < 0) != (direction == "decrease"):
        return (f"annual_change {value} contradicts direction: {direction} "
                "(a fall is negative and goes with decrease)")
    return None


SENTENCE = Sentence(
    "target.annual_change", zh="{asks}自{t0}起每年{step}以上，折合{year}{cmp}{target}。",
    en="{asks} {step} or more a year from {t0}, that is {cmp} {target} in {year}.")

KIND = KindSpec("annual_change", level, ("每年变化", "年度变化"), check=check, is_path=True,
                sentences=(SENTENCE,))
