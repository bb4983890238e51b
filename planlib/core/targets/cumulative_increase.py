"""``cumulative_increase``: add v over the plan period (20,000 new childcare places over
five years): Σ yearly additions over t0+1..T ≥ v on flow data (judged on their running
total since the baseline, so b = 0), y(T) − y(t0) ≥ v on stock data. The one kind flow
data may have."""

from __future__ import annotations

import numpy as np

from planlib.core.targets.kind import KindSpec, Sentence


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


#: On flow data the target is the running total itself; on stock data, a rise on the baseline.
FLOW = Sentence("target.cumulative_flow", zh="{subject}为{t0}以后累计新增{target}（至{year}）。",
                en="{subject} is {target} added in total after {t0} (by {year}).")
STOCK = Sentence(
    "target.cumulative_stock", zh="{subject}为较{t0}累计增加{amount}，即{year}达到{target}。",
    en="{subject} is an increase of {amount} on {t0}, that is {target} by {year}.")


def sentence(measure: str, project: bool) -> str:
    """The flow sentence on flow data, the stock sentence on stock data."""
    return FLOW.key if measure == "flow" else STOCK.key


KIND = KindSpec("cumulative_increase", level, ("累计新增", "累计增加"), check=check,
                is_path=True, sums_flows=True, sentences=(FLOW, STOCK),
                choose_sentence=sentence)
