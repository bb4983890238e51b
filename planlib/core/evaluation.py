"""Evaluate a plan: progress to date and the outlook to the target year, one
`IndicatorResult` per indicator (and region), for every target kind (DESIGN.md §3–5).

Pure: takes a validated Plan and the tidy observations frame, returns an `Evaluation`
(planlib/core/result.py). Seeds are derived per (indicator, region) from the global seed,
so results do not depend on order.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from planlib.constants import Bounds
from planlib.core import area_rule, forked, labels
from planlib.core.batch.rows import indicator_rows, vectorisable
from planlib.core.labels import Note, unique_notes
from planlib.core.models import Forecast
from planlib.core.models.cohort_choice import DriverData
from planlib.core.notes import (
    call_robust,
    flag_notes,
    interval_notes,
    model_dependent_notes,
    pace_notes,
)
from planlib.core.options import RunOptions, check_as_of
from planlib.core.outlook import (
    member_p_meet,
    outlook,
    p_meet_by_model,
    schedule_outlook,
)
from planlib.core.panel_results import PanelRows, fit_window_of, panel_result
from planlib.core.progress import Progress, TargetSpec, progress, running_additions
from planlib.core.reliability import WIDTH_LEVEL, reliability, reliability_notes
from planlib.core.result import (
    CORE_COLUMNS,
    EXTRA_COLUMNS,
    Evaluation,
    IndicatorResult,
    Outlook,
    Results,
    core_columns,
)
from planlib.core.series import Series, fit_window, is_discrete_project, spec_from_indicator
from planlib.core.targets.registry import flow_total
from planlib.inputs.plan import Indicator, Plan

# check_as_of (core.options) and is_discrete_project (core.series) are re-exported for
# suite.py and outputs/report.py.
__all__ = ["CORE_COLUMNS", "EXTRA_COLUMNS", "Evaluation", "IndicatorResult", "check_as_of",
           "evaluate", "is_discrete_project", "project", "region_table"]


def consistency_notes(prog: Progress, look: Outlook, status: str, fit_from: int | None,
                      target_year: int) -> list[Note]:
    """Why progress and outlook disagree, when they do: the pace since the baseline against
    the pace the fitted trend implies to the target year."""
    return pace_notes(prog.latest_year, prog.baseline_year, prog.latest_value,
                      prog.baseline_value, prog.status, prog.required_pace, look.median,
                      status, fit_from, target_year)


def bound_notes(look: Outlook, bounds: Bounds) -> list[Note]:
    """An interval collapsed on a bound is said to lie at the bound, not to be zero-width."""
    return interval_notes(look.median, [*look.lower.values(), *look.upper.values()], bounds)


def judge_reliability(history: pd.DataFrame, target_year: int, look: Outlook,
                      bounds: Bounds, break_year: int | None) -> tuple[str, list[Note]]:
    """The ``reliability`` code of a result and its note (`planlib.core.reliability`), from
    the fit window of its history (the values fitted, as published: yearly additions for a
    flow) and its outlook at the target year."""
    fit = history[history["in_fit"] & history["raw_value"].notna()]
    years, values = fit["year"].to_numpy(float), fit["raw_value"].to_numpy(float)
    if break_year is not None and not (history["year"] < break_year).any():
        break_year = None  # nothing before the break was cut
    code = reliability(years, values, target_year, look.model, look.median,
                       look.lower.get(WIDTH_LEVEL, math.nan),
                       look.upper.get(WIDTH_LEVEL, math.nan), bounds, break_year)
    return code, reliability_notes(code, target_year, years, break_year)


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


def evaluate_series(ind: Indicator, region: str, series: Series, plan: Plan,
                    opts: RunOptions, driver: DriverData | None = None) -> IndicatorResult:
    """The result for one indicator in one region (`driver`: its driver's observations,
    for an indicator with ``driver:``): a context indicator's outlook alone, an area
    against its own target, or not judged (`area_rule`).

    The rows the panel path (`batch.rows.indicator_rows`) writes for stock indicators with a
    target have their rich results built from its arrays (`panel_results`); the rich results
    of its flow and context rows, and the table rows of what the panel path cannot do yet
    (scheduled projects, indicators following a driver (the cohort model), a flow's point
    path (n = 2) and the odd row whose data reach past the target year without it), come
    from here."""
    if ind.target is None:
        return evaluate_context(ind, region, series, opts, driver)
    ind, judged = area_rule.judged_as(ind, region)
    result = _judged_series(ind, region, series, plan, opts, driver)
    return result if judged else result.without_target()


def _judged_series(ind: Indicator, region: str, series: Series, plan: Plan,
                   opts: RunOptions, driver: DriverData | None = None) -> IndicatorResult:
    """The result for one indicator in one region against the indicator's target."""
    as_of, levels = opts.as_of, opts.levels
    spec = spec_from_indicator(ind)
    cutoffs = plan.status_cutoffs.model_dump()
    prog = progress(series.years, series.values, spec, as_of=as_of, cutoffs=cutoffs,
                    pace_from=series.last_break(as_of, ind.breaks))
    observed = prog.latest_year is not None and prog.latest_year >= spec.target_year
    # A target year inside the data but not observed (2021 and 2024, target 2022) is
    # nowcast from the data up to it, as progress is measured (issue #17).
    horizon = as_of if observed else min(as_of, spec.target_year + 1)
    nowcast = [Note("target_year_nowcast", {"year": spec.target_year})] \
        if horizon < as_of and (series.years > spec.target_year).any() else []
    fit_opts = opts if horizon == as_of else replace(opts, as_of=horizon)
    fit, _ = fit_window(series, ind, horizon)
    schedule_status = None
    fc: Forecast | None = None
    if is_discrete_project(ind) and not observed:
        look, schedule_status = schedule_outlook(ind, levels)
    else:
        look, fc = outlook(series, ind, prog, fit_opts, region, driver)
    status = labels.outlook_status(look.p_meet) if look.model != "schedule" else "by_schedule"
    by_model: dict[str, float] = {}
    if opts.sensitivity and fc is not None and not math.isnan(look.p_meet):
        by_model = p_meet_by_model(series, ind, prog, fit_opts, region)
        by_model |= member_p_meet(fc, spec, prog.target_level)
    robust = call_robust(look.p_meet, by_model)
    latest_flag = ""
    if prog.latest_year is not None and spec.measure == "stock":
        latest_flag = str(series.flags[series.years == prog.latest_year][0])
    fit_from = int(fit.years.min()) if fit.years.size else None
    history = _history(series, spec, as_of, fit.years)
    judged, unreliable = judge_reliability(history, spec.target_year, look, ind.bounds,
                                           series.last_break(horizon, ind.breaks))
    notes = [*prog.notes, *nowcast, *look.notes, *bound_notes(look, ind.bounds),
             *flag_notes(latest_flag), *unreliable,
             *consistency_notes(prog, look, status, fit_from, spec.target_year),
             *model_dependent_notes(robust, look.p_meet, list(by_model.values()))]
    return IndicatorResult(
        indicator=ind, region=region, spec=spec, as_of=as_of, levels=levels,
        history=history, fit_from=fit_from,
        fit_to=int(fit.years.max()) if fit.years.size else None, progress=prog,
        outlook=look, forecast=fc, p_meet_by_model=by_model, call_robust=robust,
        outlook_status=status, schedule_status=schedule_status, latest_flag=latest_flag,
        notes=tuple(unique_notes(notes)), reliability=judged,
    )


def context_progress(series: Series, spec: TargetSpec, as_of: int) -> Progress:
    """A context indicator's 'progress': its latest observation only (no target, so no
    baseline share, pace needed or status)."""
    used = series.before(as_of)
    nan = math.nan
    latest = (int(used.years[-1]), float(used.values[-1])) if used.years.size else (None, nan)
    return Progress(baseline_year=None, baseline_value=nan, target_level=nan,
                    latest_year=latest[0], latest_value=latest[1], schedule_share=nan,
                    progress_share=nan, progress_ratio=nan, status=None, required_pace=nan,
                    recent_pace=nan, acceleration_needed=nan, growth_ratio=nan)


def evaluate_context(ind: Indicator, region: str, series: Series, opts: RunOptions,
                     driver: DriverData | None = None) -> IndicatorResult:
    """The result for a context indicator (no target): its outlook to the outlook year --
    median and intervals -- without progress, P(met) or a likelihood status."""
    spec = spec_from_indicator(ind)
    prog = context_progress(series, spec, opts.as_of)
    fit, _ = fit_window(series, ind, opts.as_of)
    look, fc = outlook(series, ind, prog, opts, region, driver)
    look = replace(look, p_meet=math.nan)
    fit_from = int(fit.years.min()) if fit.years.size else None
    history = _history(series, spec, opts.as_of, fit.years)
    judged, unreliable = judge_reliability(history, spec.target_year, look, ind.bounds,
                                           series.last_break(opts.as_of, ind.breaks))
    notes = [*look.notes, *bound_notes(look, ind.bounds), *unreliable]
    return IndicatorResult(
        indicator=ind, region=region, spec=spec, as_of=opts.as_of, levels=opts.levels,
        history=history, fit_from=fit_from,
        fit_to=int(fit.years.max()) if fit.years.size else None, progress=prog,
        outlook=look, forecast=fc, p_meet_by_model={}, call_robust=None,
        outlook_status="no_target", schedule_status=None, latest_flag="",
        notes=tuple(unique_notes(notes)), reliability=judged,
    )


def _series_of(observations: pd.DataFrame, ind: Indicator, region: str) -> Series:
    mine = observations[observations["indicator_id"] == ind.series_id]
    return Series.from_frame(mine[mine["region"].fillna("") == region])


def driver_names(plan: Plan, series_id: str) -> dict[str, str]:
    """A driver series' names {zh, en}: its context declaration or the plan indicator
    reading it (the id itself otherwise)."""
    for ctx in plan.context:
        if ctx.id == series_id:
            return {"zh": ctx.name_zh, "en": ctx.name_en or ctx.name_zh}
    for ind in plan.indicators:
        if ind.series_id == series_id:
            return {"zh": ind.name_zh, "en": ind.name_en or ind.name_zh}
    return {"zh": series_id, "en": series_id}


def driver_data(plan: Plan, ind: Indicator, series: Series, as_of: int) -> DriverData | None:
    """The driver of `ind` in one region from its observations up to as_of − 1 (None for
    an indicator without ``driver:``)."""
    if ind.driver is None:
        return None
    used = series.before(as_of)
    return DriverData(ind.driver.series, used.years.astype(int),
                      used.values.astype(float), tuple(ind.driver.lags),
                      driver_names(plan, ind.driver.series))


#: Runs with at least this many series show a progress bar (on a terminal only).
LONG_RUN = 200
#: From this many indicators the evaluation is shared by forked workers (each indicator
#: costs ~50 ms; starting a worker and sending its part back, a fraction of that).
EVALUATE_POOL_FROM = 16


class _Part(NamedTuple):
    """What evaluating one indicator made (in a worker: sent back pickled): its vectorised
    table rows (None: evaluated per series), its panel's arrays, the results built."""

    rows: pd.DataFrame | None
    panel: PanelRows | None
    built: dict[tuple[str, str], IndicatorResult]


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
    The table rows of every indicator the panel path covers (`batch.rows.vectorisable`)
    are written by it, for one region as for 100,000: the number of regions is a
    performance detail. ``vectorise=False`` forces the per-series path for every indicator
    (the tests that hold the two paths equal); None (the default) and True are the same.
    What only the per-series path does is named in `evaluate_series`.
    For a Dask DataFrame of observations use `planlib.evaluate_dask`
    (planlib/core/dask_table.py). ``options``: a `RunOptions` already checked at another
    door (the keyword options are then ignored); else they are checked here, every bad one
    listed in one InputError. ``workers``: the indicators are evaluated in that many forked
    worker processes (None: `forked.workers`, from EVALUATE_POOL_FROM indicators), the same
    results as here (seeds are per indicator and region).
    """
    opts = options or RunOptions.checked(plan, as_of=as_of, model=model, levels=levels,
                                         seed=seed, sensitivity=sensitivity)
    keys: list[tuple[str, str]] = []
    built: dict[tuple[str, str], IndicatorResult] = {}
    tables: dict[str, pd.DataFrame] = {}
    panels: dict[str, PanelRows] = {}
    index: dict[str, SeriesIndex] = {}
    for ind in plan.indicators:
        index[ind.id] = SeriesIndex(observations[observations["indicator_id"] == ind.series_id])
        keys += [(ind.id, r) for r in index[ind.id].sorted_regions()]

    drivers = {ind.driver.series for ind in plan.indicators if ind.driver is not None}
    driver_index = {s: SeriesIndex(observations[observations["indicator_id"] == s])
                    for s in sorted(drivers)}

    def build(ident: str, region: str) -> IndicatorResult:
        """A result read for the first time: from the panel's arrays when the panel wrote
        its row, else evaluated per series."""
        ind = plan.indicator(ident)
        series = index[ident].series(region)
        rows = panels.get(ident)
        if rows is not None and region in rows.position:
            spec = spec_from_indicator(ind)
            fit_years, _ = fit_window_of(rows.arrays, rows.position[region])
            return panel_result(rows, region, opts,
                                _history(series, spec, opts.as_of, fit_years))
        drv = None if ind.driver is None else driver_data(
            plan, ind, driver_index[ind.driver.series].series(region), opts.as_of)
        return evaluate_series(ind, region, series, plan, opts, drv)

    def one(ind: Indicator) -> _Part:
        """One indicator's share: its vectorised rows, its panel, the results built now."""
        own: dict[tuple[str, str], IndicatorResult] = {}
        regions = index[ind.id].sorted_regions()
        rows = None
        if vectorise is not False and vectorisable(ind) and len(index[ind.id].frame):
            rows = _area_rows(plan, ind, index[ind.id], regions, opts, build, own, panels)
        if rows is None:  # per series (also regions without any value)
            for region in regions:
                own[ind.id, region] = build(ind.id, region)
        return _Part(rows, panels.get(ind.id), own)

    bar = Bar(len(keys))
    n = len(plan.indicators)
    pool = forked.workers(n, EVALUATE_POOL_FROM) if workers is None else workers
    parts = forked.forked_map(one, plan.indicators, pool, chunksize=-(-n // (4 * pool)))
    for ind, part in zip(plan.indicators, parts, strict=True):
        if part.rows is not None:
            tables[ind.id] = part.rows
        if part.panel is not None:
            panels[ind.id] = part.panel
        built.update(part.built)
        bar.update(len(index[ind.id].sorted_regions()))
    bar.close()
    return Evaluation(plan=plan, results=Results(keys, built, build), as_of=opts.as_of,
                      model=opts.model, levels=opts.levels, seed=opts.seed, tables=tables)


def _area_rows(plan: Plan, ind: Indicator, index: SeriesIndex, regions: list[str],
               opts: RunOptions, build: Callable[[str, str], IndicatorResult],
               built: dict[tuple[str, str], IndicatorResult], panels: dict[str, PanelRows]
               ) -> pd.DataFrame | None:
    """The vectorised rows of every region of `ind` in one pass, each row against the target
    value it is judged by (`area_rule.row_targets`: the plan's, an area's own); the rows the
    vectorised path leaves go through `evaluate_series`. None when a region has no value at
    all (the caller then goes per series). What the rich results of the panel's stock rows
    with a target are built from goes to `panels` (flow and context rows build theirs here).
    """
    targets, unjudged = None, None  # a context indicator: nothing to judge
    if ind.target is not None:
        targets, judged = area_rule.row_targets(ind, regions)
        unjudged = ~judged
    rows, done, arrays = indicator_rows(plan, ind, index.frame, opts, unjudged, targets)
    if list(rows["region"]) != regions:
        return None
    if ind.target is not None and not flow_total(ind.target.kind, ind.measure):
        panels[ind.id] = PanelRows.of(ind, rows, arrays, done)
    for i in np.flatnonzero(~done):  # rows the vectorised path leaves to this one
        result = build(ind.id, regions[i])
        built[ind.id, regions[i]] = result
        rows.loc[i, :] = pd.Series(result.row("en"))[rows.columns]
    return rows


def project(
    plan: Plan, observations: pd.DataFrame, indicator_id: str, *, region: str = "",
    as_of: int | None = None, model: str = "auto", levels: Sequence[int] = (80, 95),
    seed: int = 0,
) -> pd.DataFrame:
    """One indicator's per-year path (observed, fitted, plan path, median, intervals) on
    the target's scale: exactly ``evaluate(...)[indicator_id, region].summary_frame()``."""
    ind = plan.indicator(indicator_id)
    opts = RunOptions.checked(plan, as_of=as_of, model=model, levels=levels, seed=seed,
                              sensitivity=False)
    drv = None if ind.driver is None else driver_data(
        plan, ind, Series.from_frame(observations[
            (observations["indicator_id"] == ind.driver.series)
            & (observations["region"].fillna("") == region)]), opts.as_of)
    result = evaluate_series(ind, region, _series_of(observations, ind, region), plan, opts,
                             drv)
    return result.summary_frame()


def region_table(
    plan: Plan, observations: pd.DataFrame, *, as_of: int | None = None, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0,
) -> pd.DataFrame:
    """The evaluation table's core columns for every indicator and region (plan order,
    regions sorted), without the by-model sensitivity."""
    ev = evaluate(plan, observations, as_of=as_of, model=model, levels=levels, seed=seed,
                  sensitivity=False, vectorise=True)
    return ev.summary_frame()[core_columns(ev.levels)]
