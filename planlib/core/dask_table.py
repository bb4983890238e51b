"""The evaluation table on Dask: observations too many for one machine, partitioned by region.

`evaluate_dask(plan, observations)` takes a Dask DataFrame of tidy observations
(indicator_id, region, year, value[, flag]) and returns the evaluation table -- every column
of `Evaluation.summary_frame`, notes in English -- as a lazy Dask DataFrame: one
`map_partitions` task per partition, each running `evaluate` (vectorised) on the regions it
holds (series never cross partitions: the frame is shuffled
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

from planlib.core.columns import empty_table
from planlib.core.evaluation import evaluate
from planlib.core.options import RunOptions
from planlib.core.result import table_columns
from planlib.inputs.plan import Plan


def is_dask_frame(obj: object) -> bool:
    """True for a Dask DataFrame (checked without importing dask)."""
    return type(obj).__module__.split(".")[0] == "dask" and hasattr(obj, "map_partitions")


def table_meta(levels: Sequence[int]) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes (Dask's ``meta``; the dtypes are
    the schema's, planlib/core/columns.py)."""
    return empty_table(table_columns(levels))


def partition_table(part: pd.DataFrame, plan: Plan, opts: RunOptions) -> pd.DataFrame:
    """The table for the regions of one partition (no rows for an indicator it lacks); the
    driver series of an indicator with ``driver:`` stay in, so its cohort rows read them."""
    meta = table_meta(opts.levels)
    drivers = {ind.driver.series for ind in plan.indicators if ind.driver is not None}
    wanted = {ind.series_id for ind in plan.indicators}
    part = part[part["indicator_id"].isin(wanted | drivers)]  # a driver (births) goes along
    present = set(part["indicator_id"])
    if not present & wanted:
        return meta
    indicators = [ind for ind in plan.indicators if ind.series_id in present]
    sub = plan.model_copy(update={"indicators": indicators})
    ev = evaluate(sub, pd.DataFrame(part), options=opts)
    table = ev.summary_frame("en")
    for col, dtype in meta.dtypes.items():
        if pd.api.types.is_object_dtype(dtype):
            table[col] = table[col].astype(object).where(table[col].notna(), None)
    return table.astype(meta.dtypes.to_dict())


def evaluate_dask(plan: Plan, observations: Any, *, as_of: int | None = None,
                  model: str = "auto", levels: Sequence[int] = (80, 95), seed: int = 0,
                  sensitivity: bool = True, partitioned_by_region: bool = False) -> Any:
    """The evaluation table of every indicator and region as a lazy Dask DataFrame."""
    opts = RunOptions.checked(plan, as_of=as_of, model=model, levels=levels, seed=seed,
                              sensitivity=sensitivity)
    frame = observations if partitioned_by_region else observations.shuffle(on="region")
    return frame.map_partitions(partition_table, plan, opts, meta=table_meta(opts.levels))


def sort_table(table: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """A computed table in plan order, regions sorted (as `evaluate` orders its rows)."""
    order = {ind.id: i for i, ind in enumerate(plan.indicators)}
    key = table["indicator_id"].map(order).to_numpy()
    idx = np.lexsort((table["region"].to_numpy(dtype=str), key))
    return table.iloc[idx].reset_index(drop=True)
