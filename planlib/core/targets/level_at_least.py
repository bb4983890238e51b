"""``level_at_least``: reach at least v by the target year (fitness rate ≥ 60 % by 2025):
y(T) ≥ v."""

from __future__ import annotations

import numpy as np

from planlib.core.targets.kind import KindSpec, Sentence, bounds_problem


def level(baseline: np.ndarray, value: np.ndarray | float, horizon: int, measure: str
          ) -> np.ndarray:
    """The target value itself."""
    return np.broadcast_to(np.asarray(value, dtype=np.float64), np.shape(baseline))


def check(value: float, lo: float | None, hi: float | None, direction: str) -> str | None:
    """A floor inside the bounds, on an indicator where higher is better."""
    if problem := bounds_problem(value, lo, hi):
        return problem
    if direction == "decrease":
        return "level_at_least target with direction: decrease; use increase"
    return None


SENTENCE = Sentence("target.level_at_least", zh="{subject}为到{year}达到{target}以上。",
                    en="{subject} is at least {target} by {year}.")

KIND = KindSpec("level_at_least", level, ("不低于", "达到"), check=check, value_is_level=True,
                sentences=(SENTENCE,))
