"""``context``: an indicator the plan sets no target for (core.series gives it this kind):
no equivalent level, so no progress share and no plan line. Not a kind a plan file can
write (`registry.PLAN_KINDS` leaves it out)."""

from __future__ import annotations

import numpy as np

from planlib.core.targets.kind import KindSpec


def level(baseline: np.ndarray, value: np.ndarray | float, horizon: int, measure: str
          ) -> np.ndarray:
    """No target, no level: NaN."""
    return np.full(np.shape(baseline), np.nan)


KIND = KindSpec("context", level)
