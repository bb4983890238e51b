"""What an area is judged against (issue #18): one rule for the panel rows and the
rich results built from them.

The total (region "") keeps the plan's target. An area (region != "") with its own target
(``Indicator.targets_by_region``) is judged against it (same kind and year). An area without
one is judged against the plan's target only when that target is a rate's floor; a count
or a flow (values that add up over areas, `area_sums.adds_up`) is not judged against the
total's target: its outlook is shown, progress and P(met) stay empty and its status is
``no_area_target``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from planlib.core import labels
from planlib.core.labels import Note
from planlib.inputs.area_sums import adds_up
from planlib.inputs.plan import Indicator, Target

TOTAL, AREA = "total", "area"
NO_AREA_TARGET = "no_area_target"
#: Notes that compare a series with its target: not said where there is no target.
TARGET_NOTES = frozenset({"trend_slower_than_progress", "trend_faster_than_progress",
                          "model_dependent", "observed_outcome"})
#: The table columns emptied for an area that is not judged (with their empty value).
UNJUDGED_COLUMNS: dict[str, object] = {
    "target_value": math.nan, "progress_share": math.nan,
    "progress_ratio": math.nan, "progress_status": None, "required_pace": math.nan,
    "acceleration_needed": math.nan, "growth_ratio": math.nan, "p_meet": math.nan,
    "p_meet_by_model": "{}", "call_robust": None,
}


def region_role(region: object) -> str:
    """``total`` for the no-region series, ``area`` for a named one."""
    return TOTAL if region is None or region == "" or region is pd.NA else AREA


def area_target(region: str, own: float | None, plan_value: float, counts: bool
                ) -> float | None:
    """The value an area is judged against: the total's and a rate's area the plan's, an
    area's own target when it has one, None (not judged) for a count or flow without one."""
    if region_role(region) == TOTAL:
        return plan_value
    if own is not None:
        return float(own)
    return None if counts else plan_value


def _target(ind: Indicator) -> Target:
    """The indicator's target (context indicators, which have none, never reach the rule:
    the panel rows and the rich results check for a target first)."""
    if ind.target is None:
        raise ValueError(f"{ind.id} has no target: a context indicator has no area rule")
    return ind.target


def judged_as(ind: Indicator, region: str) -> tuple[Indicator, bool]:
    """The indicator as this region is judged (its own target in place of the plan's) and
    whether it is judged at all."""
    value = area_target(region, _own(ind, region), _target(ind).value, adds_up(ind))
    if value is None:
        return ind, False
    return with_target(ind, value), True


def with_target(ind: Indicator, value: float) -> Indicator:
    """The indicator with another target value (itself when the value is the plan's)."""
    target = _target(ind)
    if value == target.value:
        return ind
    return ind.model_copy(update={"target": target.model_copy(update={"value": value})})


def _own(ind: Indicator, region: str) -> float | None:
    own = ind.targets_by_region.get(region) if region else None
    return None if own is None else float(own)


def row_targets(ind: Indicator, regions: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The target value each region is evaluated with and whether it is judged, per region
    (a region not judged is evaluated with the plan's value): the panel's per-row targets."""
    counts, plan_value = adds_up(ind), _target(ind).value
    values = np.full(len(regions), float(plan_value))
    judged = np.ones(len(regions), dtype=bool)
    for i, region in enumerate(regions):
        value = area_target(region, _own(ind, region), plan_value, counts)
        if value is None:
            judged[i] = False
        else:
            values[i] = value
    return values, judged


def unjudged_notes(notes: Iterable[Note]) -> list[Note]:
    """An unjudged area's notes: those about the target dropped, ``no_area_target`` said."""
    return [*(n for n in notes if n.code not in TARGET_NOTES), Note(NO_AREA_TARGET)]


def blank_rows(out: pd.DataFrame, unjudged: np.ndarray) -> None:
    """Empty the target columns of the unjudged rows and set their status (in place)."""
    rows = np.flatnonzero(unjudged)
    if rows.size == 0:
        return
    for col, empty in UNJUDGED_COLUMNS.items():
        if col in out:
            out.loc[rows, col] = empty
    out.loc[rows, "outlook_status"] = NO_AREA_TARGET
    for lang in labels.LANGS:
        out.loc[rows, f"outlook_status_{lang}"] = labels.label(NO_AREA_TARGET, lang)
        out.loc[rows, f"progress_status_{lang}"] = labels.label(None, lang)
    out.loc[rows, "p_meet_text"] = labels.format_p(math.nan)
