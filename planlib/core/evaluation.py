"""Evaluate a plan: progress to date and the outlook to the target year, one
`IndicatorResult` per indicator (and region), for every target kind (DESIGN.md §3–5).

Pure: takes a validated Plan and the tidy observations frame, returns an `Evaluation`
(planlib/core/result.py). Seeds are derived per (indicator, region) from the global seed,
so results do not depend on order.
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from planlib.core import area_rule, forked
from planlib.core.batch.rows import indicator_rows
from planlib.core.options import RunOptions, check_as_of
from planlib.core.panel_results import PanelRows, fit_window_of, panel_result
from planlib.core.progress import TargetSpec, running_additions
from planlib.core.result import (
    CORE_COLUMNS,
    EXTRA_COLUMNS,
    Evaluation,
    IndicatorResult,
    Results,
    core_columns,
)
from planlib.core.series import Series, is_discrete_project, spec_from_indicator
from planlib.core.targets.registry import flow_total
from planlib.inputs.plan import Indicator, Plan

# check_as_of (core.options) and is_discrete_project (core.series) are re-exported for
# suite.py and outputs/report.py.
__all__ = ["CORE_COLUMNS", "EXTRA_COLUMNS", "Evaluation", "IndicatorResult", "check_as_of",
           "evaluate", "is_discrete_project", "project", "region_table"]


def _history(series: Series, spec: TargetSpec, as_of: int, fit_years: np.ndarray
             ) -> pd.DataFrame:
    """The observations up to the evaluation year, on the target's scale, and whether each
    is inside the fit window `fit_years` (see `IndicatorResult`)."""
    used = series.before(as_of)
    value = used.values.astype("float64")
    if flow_total(spec.kind, spec.measure):
        value = running_additions(used.years[None, :], value[None, :],
                                  np.ones((1, used.years.size), dtype=bool),
                                  spec.baseline_year)[0]
    return pd.DataFrame({
        "year": used.years, "value": value, "raw_value": used.values,
        "flag": used.flags.astype(str), "in_fit": np.isin(used.years, fit_years),
    })


#: Runs with at least this many series show a progress bar (on a terminal only).
LONG_RUN = 200
#: From this many indicators the evaluation is shared by forked workers (each indicator
#: costs ~50 ms; starting a worker and sending its part back, a fraction of that).
EVALUATE_POOL_FROM = 16


class Bar:
    """A tqdm progress bar over series on stderr for long runs on a terminal (no-op
    otherwise); vectorised indicators advance it by their number of regions at once."""

    def __init__(self, total: int) -> None:
        self._bar = None
        if total >= LONG_RUN:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="series", disable=None, file=sys.stderr,
                             leave=False)

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class SeriesIndex:
    """One indicator's observations sorted by region: any region's `Series` by binary
    search, without splitting the frame into one small frame per region."""

    def __init__(self, frame: pd.DataFrame) -> None:
        frame = frame.assign(region=frame["region"].fillna(""))
        self.frame = frame.sort_values("region", kind="stable").reset_index(drop=True)
        self.regions = self.frame["region"].to_numpy(dtype=object)

    @functools.cached_property
    def _all(self) -> Series:
        """Every region's observations as one `Series` sorted by (region, year), built on
        the first `series` call: a result read later slices arrays instead of sorting a
        small frame."""
        return Series.from_frame(self.frame.sort_values(["region", "year"], kind="stable"),
                                 by_year=False)

    def series(self, region: str) -> Series:
        """The observations of one region (empty when it has none)."""
        lo = int(np.searchsorted(self.regions, region, side="left"))
        hi = int(np.searchsorted(self.regions, region, side="right"))
        every = self._all
        return Series(every.years[lo:hi], every.values[lo:hi], every.flags[lo:hi])

    def sorted_regions(self) -> list[str]:
        """The regions, sorted (the national series "" first); [""] when there is none."""
        return list(dict.fromkeys(self.regions)) or [""]


def evaluate(
    plan: Plan, observations: pd.DataFrame, *, as_of: int | None = None, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0, sensitivity: bool = True,
    vectorise: bool | None = None, options: RunOptions | None = None, workers: int | None = 1,
) -> Evaluation:
    """Evaluate every plan indicator in every region: an `Evaluation` whose
    ``summary_frame()`` is the table and whose ``ev[id]`` is one indicator's result.

    ``as_of`` is the evaluation year (data up to as_of − 1 are used; default: the plan's).
    ``model`` is one of drift, linear, log, logit, damped or auto; ``levels`` the
    central interval levels in percent; ``seed`` fixes the sample paths;
    ``sensitivity`` computes P(met) under each single model too (p_meet_by_model).
    Every row of every indicator is written by one path (`batch.rows.indicator_rows`),
    for one region as for 100,000: the number of regions is a performance detail, and the
    rich results are built when read, from that path's arrays (`panel_results`).
    ``vectorise`` is deprecated and ignored (there is one path; it chose between two): giving
    it warns (DeprecationWarning).
    For a Dask DataFrame of observations use `planlib.evaluate_dask`
    (planlib/core/dask_table.py). ``options``: a `RunOptions` already checked at another
    door (the keyword options are then ignored); else they are checked here, every bad one
    listed in one InputError. ``workers``: the indicators are evaluated in that many forked
    worker processes (None: `forked.workers`, from EVALUATE_POOL_FROM indicators), the same
    results as here (seeds are per indicator and region).
    """
    if vectorise is not None:
        warnings.warn("evaluate(vectorise=...) is deprecated and ignored: there is one path, "
                      "whatever the number of regions", DeprecationWarning, stacklevel=2)
    opts = options or RunOptions.checked(plan, as_of=as_of, model=model, levels=levels,
                                         seed=seed, sensitivity=sensitivity)
    keys: list[tuple[str, str]] = []
    tables: dict[str, pd.DataFrame] = {}
    panels: dict[str, PanelRows] = {}
    index: dict[str, SeriesIndex] = {}
    for ind in plan.indicators:
        index[ind.id] = SeriesIndex(observations[observations["indicator_id"] == ind.series_id])
        keys += [(ind.id, r) for r in index[ind.id].sorted_regions()]
    bar = Bar(len(keys))

    def one(ind: Indicator) -> PanelRows:
        """One indicator's table rows and what their rich results are built from."""
        return indicator_panel(plan, ind, index[ind.id].frame, index[ind.id].sorted_regions(),
                               opts, _driver_frame(observations, ind))

    n = len(plan.indicators)
    pool = forked.workers(n, EVALUATE_POOL_FROM) if workers is None else workers
    parts = forked.forked_map(one, plan.indicators, pool, chunksize=-(-n // (4 * pool)))
    for ind, part in zip(plan.indicators, parts, strict=True):
        panels[ind.id] = part
        tables[ind.id] = part.table
        bar.update(len(part.table))
    bar.close()

    def build(ident: str, region: str) -> IndicatorResult:
        """A result read for the first time, from its indicator's panel arrays."""
        return rich_result(panels[ident], region, index[ident].series(region), opts)

    return Evaluation(plan=plan, results=Results(keys, {}, build), as_of=opts.as_of,
                      model=opts.model, levels=opts.levels, seed=opts.seed, tables=tables)


def _driver_frame(observations: pd.DataFrame, ind: Indicator) -> pd.DataFrame | None:
    """The observations of the driver series of `ind` (None without ``driver:``)."""
    if ind.driver is None:
        return None
    return observations[observations["indicator_id"] == ind.driver.series]


def indicator_panel(plan: Plan, ind: Indicator, frame: pd.DataFrame, regions: list[str],
                    opts: RunOptions, drivers: pd.DataFrame | None) -> PanelRows:
    """The table rows of every region of `ind` in one pass, each row against the target
    value it is judged by (`area_rule.row_targets`: the plan's, an area's own), with what
    their rich results are built from."""
    targets, unjudged = None, None  # a context indicator: nothing to judge
    if ind.target is not None:
        targets, judged = area_rule.row_targets(ind, regions)
        unjudged = ~judged
    rows, arrays = indicator_rows(plan, ind, frame, opts, unjudged, targets, regions, drivers)
    return PanelRows.of(ind, rows, arrays)


def rich_result(rows: PanelRows, region: str, series: Series, opts: RunOptions
                ) -> IndicatorResult:
    """One region's `IndicatorResult` from its indicator's panel arrays (`series`: its
    observations, for the history)."""
    spec = spec_from_indicator(rows.indicator)
    fit_years, _ = fit_window_of(rows.arrays, rows.position[region])
    return panel_result(rows, region, opts, _history(series, spec, opts.as_of, fit_years))


def project(
    plan: Plan, observations: pd.DataFrame, indicator_id: str, *, region: str = "",
    as_of: int | None = None, model: str = "auto", levels: Sequence[int] = (80, 95),
    seed: int = 0,
) -> pd.DataFrame:
    """One indicator's per-year path (observed, fitted, plan path, median, intervals) on
    the target's scale: exactly ``evaluate(...)[indicator_id, region].summary_frame()``,
    by the same path for this one region."""
    ind = plan.indicator(indicator_id)
    opts = RunOptions.checked(plan, as_of=as_of, model=model, levels=levels, seed=seed,
                              sensitivity=False)
    mine = observations[observations["indicator_id"] == ind.series_id]
    mine = mine[mine["region"].fillna("") == region]
    drivers = _driver_frame(observations, ind)
    if drivers is not None:
        drivers = drivers[drivers["region"].fillna("") == region]
    rows = indicator_panel(plan, ind, mine, [region], opts, drivers)
    series = SeriesIndex(mine).series(region)
    return rich_result(rows, region, series, opts).summary_frame()


def region_table(
    plan: Plan, observations: pd.DataFrame, *, as_of: int | None = None, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0,
) -> pd.DataFrame:
    """The evaluation table's core columns for every indicator and region (plan order,
    regions sorted), without the by-model sensitivity."""
    ev = evaluate(plan, observations, as_of=as_of, model=model, levels=levels, seed=seed,
                  sensitivity=False)
    return ev.summary_frame()[core_columns(ev.levels)]
