"""The plan-cycle columns of the evaluation table (issue #17), written once for the
per-series row (`IndicatorResult.row`, a panel of one row) and the vectorised rows
(`planlib.core.batch.rows`): ``stage`` for every row and, in the final stage, the observed
``outcome``, ``first_met_year``, ``final_margin``, ``provisional_target_year`` and
``awaits_final`` (`planlib.core.stages`). Rows not in the final stage leave them empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from planlib.core.stages import final_outcome, stage

#: The columns `cycle_columns` writes, in table order (their schema: core/columns.py).
CYCLE_COLUMNS = ("stage", "outcome", "first_met_year", "final_margin",
                 "provisional_target_year", "awaits_final")


def cycle_columns(years: ArrayLike, values: ArrayLike, flags: ArrayLike, *,
                  baseline_year: ArrayLike, target_year: int, as_of: int,
                  latest_year: ArrayLike, target_level: ArrayLike, direction: int
                  ) -> dict[str, pd.api.extensions.ExtensionArray | np.ndarray]:
    """The cycle columns of S rows from (S, N) observation matrices on the target's scale
    (padding NaN, flag ""), each row's baseline year, latest year (NaN where none) and
    target level."""
    y = np.asarray(years, dtype="float64")
    y = y.reshape(1, -1) if y.ndim <= 1 else y
    s = y.shape[0]
    st = stage(baseline_year, target_year, as_of, np.broadcast_to(latest_year, (s,)))
    st = np.broadcast_to(st, (s,)).astype(object)
    final = st == "final"
    fo = final_outcome(y, values, flags, target_level, direction, target_year)
    outcome = np.where(final, fo.outcome, "").astype(object)
    first = [int(x) if f and np.isfinite(x) else None
             for x, f in zip(fo.first_met_year, final, strict=True)]
    return {
        "stage": st,
        "outcome": outcome,
        "first_met_year": pd.array(first, dtype="Int64"),
        "final_margin": np.where(final, fo.margin, np.nan),
        "provisional_target_year": pd.array(
            [bool(p) if f else None for p, f in zip(fo.provisional, final, strict=True)],
            dtype="boolean"),
        "awaits_final": pd.array(
            [bool(a) if f else None for a, f in zip(fo.awaits_final, final, strict=True)],
            dtype="boolean"),
    }
