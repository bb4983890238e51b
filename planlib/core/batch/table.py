"""The evaluation table for many regions at once: `region_table`.

One row per plan indicator and region with the documented core columns of the evaluation
table (progress to date, model, median, intervals, P(met), outlook status) plus ``path``:
"batch" (vectorised), "observed" (the target year is an outcome) or "series" (the
per-series `evaluate_series`, for flow measures and discrete projects). Numbers are those of
`planlib.evaluate(...).summary_frame()`; the per-row prose (model_reason, notes) and the
by-model sensitivity are left to `evaluate`, which builds one rich result per series.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from planlib.constants import check_levels, check_model
from planlib.core import labels
from planlib.core.evaluation import Series as OneSeries
from planlib.core.evaluation import (
    check_as_of,
    evaluate_series,
    is_discrete_project,
    spec_from_indicator,
)
from planlib.core.result import CORE_COLUMNS
from planlib.inputs.plan import Indicator, Plan

from .outlooks import batch_outlooks, break_years
from .panel import keep_columns, panel_from_long
from .progress import batch_progress

PROGRESS_COLUMNS = ("baseline_year", "baseline_value", "target_value", "latest_year",
                    "latest_value", "schedule_share", "progress_share", "progress_ratio",
                    "progress_status", "required_pace", "recent_pace")


def table_columns(levels: Sequence[int]) -> list[str]:
    """Core columns of the evaluation table for these levels, then ``path``."""
    columns = [c for c in CORE_COLUMNS if not c.startswith(("lo", "hi"))]
    at = columns.index("median") + 1
    for lv in levels:
        columns[at:at] = [f"lo{lv}", f"hi{lv}"]
        at += 2
    return [*columns, "path"]


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
    on_indicator: Callable[[Indicator, int], None] | None = None,
) -> pd.DataFrame:
    """The evaluation table's core columns (+ ``path``) for every indicator and region,
    vectorised per indicator; plan order, regions sorted. `on_indicator(ind, n_regions)` is
    called after each indicator (progress bars)."""
    year = check_as_of(plan, as_of)
    check_model(model)
    lv = check_levels(levels)
    parts = []
    for ind in plan.indicators:
        mine = observations[observations["indicator_id"] == ind.series_id]
        mine = mine.assign(region=mine["region"].fillna(""),
                           flag=mine.get("flag", ""))
        if is_discrete_project(ind) or ind.measure == "flow" or mine.empty:
            part = _per_series(plan, ind, mine, year, model, lv, seed)
        else:
            part = _vectorised(plan, ind, mine, year, model, lv, seed)
        parts.append(part)
        if on_indicator is not None:
            on_indicator(ind, len(part))
    table = pd.concat(parts, ignore_index=True)[table_columns(lv)]
    return table.astype({"baseline_year": "Int64", "latest_year": "Int64", "n_obs": "int64"})


def _vectorised(plan: Plan, ind: Indicator, mine: pd.DataFrame, as_of: int, model: str,
                levels: tuple[int, ...], seed: int) -> pd.DataFrame:
    """One indicator, stock measure: vectorised progress and outlook."""
    spec = spec_from_indicator(ind)
    full = panel_from_long(mine)
    seen = keep_columns(full, full.years <= min(as_of - 1, spec.target_year))
    pace_from = break_years(mine, full.keys, ind, as_of)
    prog = batch_progress(seen, spec, cutoffs=plan.status_cutoffs.model_dump(),
                          pace_from=pace_from)
    look = batch_outlooks(mine, ind, as_of=as_of, levels=levels, model=model, seed=seed)
    part = pd.DataFrame({"indicator_id": ind.id, "region": full.keys,
                         "target_kind": spec.kind})
    for col in PROGRESS_COLUMNS:
        part[col] = prog[col]
    for col in ("n_obs", "model", "median", *[f"{s}{lv}" for lv in levels
                                                for s in ("lo", "hi")], "p_meet", "path"):
        part[col] = look[col].to_numpy()
    part["target_year"] = spec.target_year
    part["outlook_status"] = outlook_statuses(part["p_meet"].to_numpy(dtype=float))
    return part


def _per_series(plan: Plan, ind: Indicator, mine: pd.DataFrame, as_of: int, model: str,
                levels: tuple[int, ...], seed: int) -> pd.DataFrame:
    """One indicator through the per-series path (flow measures, projects, no data)."""
    regions = sorted(mine["region"].unique()) or [""]
    rows = []
    for region in regions:
        series = OneSeries.from_frame(mine[mine["region"] == region])
        res = evaluate_series(ind, region, series, plan, as_of=as_of, model=model,
                              levels=levels, seed=seed, sensitivity=False)
        rows.append(res.row() | {"path": "series"})
    return pd.DataFrame(rows)
