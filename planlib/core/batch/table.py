"""The evaluation table's core columns for many regions at once (`region_table`).

`region_table` is `planlib.evaluate(..., vectorise=True, sensitivity=False)` cut to the
documented core columns: kept for callers that want only the numbers; `evaluate` itself
writes every column vectorised (planlib/core/batch/rows.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from planlib.core.result import core_columns
from planlib.inputs.plan import Plan


def region_table(
    plan: Plan, observations: pd.DataFrame, *, as_of: int | None = None, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0,
) -> pd.DataFrame:
    """The evaluation table's core columns for every indicator and region (plan order,
    regions sorted), without the by-model sensitivity."""
    from planlib.core.evaluation import evaluate

    ev = evaluate(plan, observations, as_of=as_of, model=model, levels=levels, seed=seed,
                  sensitivity=False, vectorise=True)
    return ev.summary_frame()[core_columns(ev.levels)]
