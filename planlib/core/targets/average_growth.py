"""``average_growth``: grow g % a year (income grows 5 % a year): CAGR over t0..T ≥ g, i.e.
y(T) ≥ b·(1 + g/100)^(T − t0); its plan line compounds."""

from __future__ import annotations

import numpy as np

from planlib.core.targets.kind import KindSpec, Sentence, straight_line

#: A growth rate in percent a year: above -100 (nothing left), at most ten-fold a year.
GROWTH_RANGE = (-100.0, 1000.0)


def level(baseline: np.ndarray, value: np.ndarray | float, horizon: int, measure: str
          ) -> np.ndarray:
    """b·(1 + g/100)^(T − t0)."""
    return np.asarray(baseline * (1 + value / 100) ** horizon, dtype=np.float64)


def line(baseline: np.ndarray, level: np.ndarray, share: np.ndarray | float) -> np.ndarray:
    """Constant growth from b to v (b·(v/b)^share) when both are positive, else straight."""
    with np.errstate(invalid="ignore", divide="ignore"):
        grows = (baseline > 0) & (level > 0)
        return np.where(grows, baseline * (level / baseline) ** share,
                        straight_line(baseline, level, share))


def check_value(value: float) -> str | None:
    """A growth rate in percent a year, within GROWTH_RANGE."""
    low, high = GROWTH_RANGE
    if not low < value <= high:
        return (f"average_growth is a growth rate in percent a year, and {value:g} "
                f"is outside ({low:g}, {high:g}]: write 5 for 5 % a year")
    return None


def check(value: float, lo: float | None, hi: float | None, direction: str) -> str | None:
    """More than everything cannot be lost."""
    if value <= -100:
        return "average_growth is a percent per year and must exceed -100"
    return None


SENTENCE = Sentence(
    "target.average_growth", zh="{asks}年均增长{rate}%以上，折合{year}达到{target}。",
    en="{asks} growth of {rate}% a year or more, that is {target} by {year}.")

KIND = KindSpec("average_growth", level, ("年均增长",), line=line, check=check,
                check_value=check_value, is_path=True, sentences=(SENTENCE,))
