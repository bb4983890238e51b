"""The evaluation table on Dask: observations too many for one machine, partitioned by region.

`evaluate_dask(plan, observations)` takes a Dask DataFrame of tidy observations
(indicator_id, region, year, value[, flag]) and returns the table of `region_table` as a
lazy Dask DataFrame: one `map_partitions` task per partition, each evaluating every
indicator for the regions it holds (series never cross partitions: the frame is shuffled
on ``region`` first unless the caller says it already is partitioned that way). Rows come
in partition order; sort by indicator and region after `.compute()` if order matters.
Dask is imported only here, so planlib works without a cluster.

To use an existing cluster, connect a client before calling it:
``from distributed import Client; Client("tcp://scheduler:8786")``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from planlib.constants import check_levels, check_model
from planlib.core.evaluation import check_as_of
from planlib.inputs.plan import Plan

from .table import region_table, table_columns

FLOAT_COLUMNS = ("baseline_value", "target_value", "latest_value", "schedule_share",
                 "progress_share", "progress_ratio", "required_pace", "recent_pace",
                 "median", "p_meet")
TEXT_COLUMNS = ("indicator_id", "region", "target_kind", "progress_status", "model",
                "outlook_status", "path")


def is_dask_frame(obj: object) -> bool:
    """True for a Dask DataFrame (checked without importing dask)."""
    return type(obj).__module__.split(".")[0] == "dask" and hasattr(obj, "map_partitions")


def table_meta(levels: Sequence[int]) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes (Dask's ``meta``)."""
    dtypes: dict[str, Any] = {}
    for col in table_columns(levels):
        if col in ("baseline_year", "latest_year"):
            dtypes[col] = "Int64"
        elif col in ("target_year", "n_obs"):
            dtypes[col] = "int64"
        elif col in TEXT_COLUMNS:
            dtypes[col] = object
        else:
            dtypes[col] = "float64"
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def partition_table(part: pd.DataFrame, plan: Plan, *, as_of: int, model: str,
                    levels: tuple[int, ...], seed: int) -> pd.DataFrame:
    """The table for the regions of one partition (no rows for an indicator it lacks)."""
    meta = table_meta(levels)
    wanted = {ind.series_id for ind in plan.indicators}
    part = part[part["indicator_id"].isin(wanted)]
    if part.empty:
        return meta
    present = set(part["indicator_id"])
    indicators = [ind for ind in plan.indicators if ind.series_id in present]
    sub = plan.model_copy(update={"indicators": indicators})
    table = region_table(sub, pd.DataFrame(part), as_of=as_of, model=model, levels=levels,
                         seed=seed)
    for col in TEXT_COLUMNS:
        table[col] = table[col].astype(object)
    for col in FLOAT_COLUMNS:
        table[col] = table[col].astype("float64")
    return table.astype(meta.dtypes.to_dict())


def evaluate_dask(plan: Plan, observations: Any, *, as_of: int | None = None,
                  model: str = "auto", levels: Sequence[int] = (80, 95), seed: int = 0,
                  partitioned_by_region: bool = False) -> Any:
    """The evaluation table of every indicator and region as a lazy Dask DataFrame."""
    year = check_as_of(plan, as_of)
    check_model(model)
    lv = check_levels(levels)
    frame = observations if partitioned_by_region else observations.shuffle(on="region")
    return frame.map_partitions(partition_table, plan, as_of=year, model=model, levels=lv,
                                seed=seed, meta=table_meta(lv))


def sort_table(table: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """A computed table in plan order, regions sorted (as `evaluate` orders its rows)."""
    order = {ind.id: i for i, ind in enumerate(plan.indicators)}
    key = table["indicator_id"].map(order).to_numpy()
    idx = np.lexsort((table["region"].to_numpy(dtype=str), key))
    return table.iloc[idx].reset_index(drop=True)
