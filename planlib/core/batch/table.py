"""The evaluation table's core columns for many regions at once (`region_table`), and the
outlook status of many P(met) at once (`outlook_statuses`).

`region_table` is `planlib.evaluate(..., vectorise=True, sensitivity=False)` cut to the
documented core columns: kept for callers that want only the numbers; `evaluate` itself
writes every column vectorised (planlib/core/batch/rows.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planlib.core import labels
from planlib.core.result import core_columns
from planlib.inputs.plan import Plan


def outlook_statuses(p_meet: np.ndarray) -> np.ndarray:
    """`labels.outlook_status` of every P(met), read off the number rounded as printed:
    numpy's rounding equals Python's `round` except at (near-)ties, which use `round`."""
    p = np.asarray(p_meet, dtype=float)
    known = ~np.isnan(p)
    scaled = p * 10**labels.P_DECIMALS
    rounded = np.round(p, labels.P_DECIMALS)
    tie = known & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    rounded[tie] = [round(float(x), labels.P_DECIMALS) for x in p[tie]]
    edges = [edge for edge, _ in labels.OUTLOOK_CUTOFFS]
    codes = [code for _, code in labels.OUTLOOK_CUTOFFS]
    status = np.select([rounded >= e for e in edges], codes, "very_unlikely").astype(object)
    status[~known] = "insufficient_data"
    return status


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
