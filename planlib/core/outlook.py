"""The outlook of one series to its target year: P(target met) and the target-year
distribution, for a level, a flow total, an observed outcome or a scheduled project, and
P(met) under each single model (the sensitivity). Per-row model functions below the panel
path (`batch.rows`), which calls `row_outlook` for the rows it cannot vectorise (a
scheduled project, the cohort model, a flow's point path, a nowcast); the progress, notes,
reliability and table row of those rows are the panel's, written once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from planlib.constants import DEFAULT_LEVELS, MODELS, Bounds, clip_value
from planlib.core.labels import Note
from planlib.core.models import Forecast, InsufficientDataError, eligible_models, forecast
from planlib.core.models.cohort import CohortForecast, explanation_notes
from planlib.core.models.cohort_choice import DriverData, driven_forecast
from planlib.core.models.count_scale import is_count
from planlib.core.models.paths import total_outlook
from planlib.core.notes import fallback_notes, observed_reason
from planlib.core.options import RunOptions
from planlib.core.progress import Progress, TargetSpec, is_met
from planlib.core.result import Outlook
from planlib.core.series import (
    Series,
    derive_seed,
    fit_window,
    is_discrete_project,
    model_bounds,
    spec_from_indicator,
)
from planlib.core.targets.registry import flow_total, kind_of
from planlib.inputs.plan import Indicator


def project_series(series: Series, ind: Indicator, opts: RunOptions, region: str = "",
                   target_level: float = math.nan, driver: DriverData | None = None,
                   ) -> tuple[Forecast | None, list[Note]]:
    """Fit the trend of one indicator's series and project it to its target year; under
    `auto` with a `driver`, the cohort model instead when its backtest is better.

    Returns (None, notes) when there are too few observations (n < 2) to project.
    """
    model = opts.model
    fit, notes = fit_window(series, ind, opts.as_of)
    bounds, more = model_bounds(ind.bounds, target_level, model)
    eligible = eligible_models(fit.values, bounds, years=fit.years)
    fallback = fallback_notes(model, eligible)
    if fallback:
        notes += fallback
        model = "auto"
    try:
        fc = forecast(
            fit.years, fit.values, target_year=ind.target_year,
            model=model, levels=opts.levels, bounds=bounds,
            seed=derive_seed(opts.seed, ind.id, region), count=is_count(ind.bounds))
    except InsufficientDataError:
        return None, [*notes, Note("insufficient_data", {"n": int(fit.years.size)})]
    if driver is not None and model == "auto":
        fc, said = _driven(fit, ind, fc, driver, bounds, opts, region)
        more = more + said
    return fc, notes + more


def _driven(fit: Series, ind: Indicator, trend: Forecast, driver: DriverData, bounds: Bounds,
            opts: RunOptions, region: str) -> tuple[Forecast, list[Note]]:
    """The cohort model's forecast and its explanation of the target year when `auto`'s
    backtest prefers it to `trend`; else `trend` and the note saying why."""
    target_year = ind.target_year
    cf, notes = driven_forecast(fit.years, fit.values, trend, driver, bounds=bounds,
                                target_year=target_year, levels=opts.levels,
                                seed=derive_seed(opts.seed, ind.id, region))
    if not isinstance(cf, CohortForecast):
        return cf or trend, notes
    unit = {"zh": ind.unit, "en": ind.unit_en or ind.unit}
    said = explanation_notes(cf.explanation(target_year), driver=driver.name,
                             indicator={"zh": ind.name_zh, "en": ind.name_en or ind.name_zh},
                             unit=unit)
    return cf.forecast, said


def _target_p(fc: Forecast, spec: TargetSpec, level: float, done: float) -> float:
    """P(target met) under one forecast: the level at the target year, or the total of
    the yearly additions for a cumulative target on flow data (the kind's rule)."""
    return kind_of(spec.kind).p_met(fc, spec, level, done)


def _level_outlook(fc: Forecast, spec: TargetSpec, level: float, levels: Sequence[int],
                   bounds: Bounds) -> Outlook:
    """Outlook for a target judged on the level at the target year (clipped to bounds)."""
    frame = fc.summary_frame().set_index("year").loc[spec.target_year]
    lower = {lv: clip_value(frame[f"lo{lv}"], bounds) for lv in levels}
    upper = {lv: clip_value(frame[f"hi{lv}"], bounds) for lv in levels}
    return Outlook(fc.model, fc.reason, clip_value(frame["median"], bounds), lower, upper,
                   _target_p(fc, spec, level, 0.0))


def _flow_outlook(fc: Forecast, spec: TargetSpec, done: float, levels: Sequence[int]) -> Outlook:
    """Outlook for a cumulative target on flow data: additions so far plus future ones
    (`paths.total_outlook`, the rule of the panel rows too)."""
    notes = [flow_total_note(done)]
    if fc.samples is None:
        total = done + float(np.sum(fc.median))
        return replace(Outlook.empty(levels, fc.model, fc.reason), median=total, notes=notes)
    median, lower, upper, p = total_outlook(fc.samples.sum(axis=1)[None, :], np.array([done]),
                                            np.array([spec.value]), levels)
    return Outlook(
        fc.model, fc.reason, float(median[0]),
        {lv: float(lower[lv][0]) for lv in levels}, {lv: float(upper[lv][0]) for lv in levels},
        float(p[0]), notes,
    )


def flow_total_note(done: float) -> Note:
    """The note saying how much of a cumulative flow target is done already."""
    return Note("flow_total", {"done": f"{done:,.0f}" if abs(done) >= 1000 else f"{done:g}"})


def _observed_outlook(prog: Progress, spec: TargetSpec, levels: Sequence[int]) -> Outlook:
    """The target year is already observed: the outcome is known, not forecast."""
    y = prog.latest_value
    met = is_met(y, prog.target_level, spec.direction)
    return Outlook("observed", observed_reason(spec.target_year),
                   y, dict.fromkeys(levels, y), dict.fromkeys(levels, y), 1.0 if met else 0.0,
                   [Note("observed_outcome", {"year": spec.target_year})])


def schedule_outlook(ind: Indicator, levels: Sequence[int]) -> tuple[Outlook, str | None]:
    """A discrete project judged by its schedule (or insufficient data without one)."""
    sched = ind.schedule
    if sched is None:
        return Outlook.empty(levels, "none", "a single project: no trend",
                             [Note("schedule_missing")]), None
    target_year = ind.target_year
    if sched.status == "completed":
        status = "completed"
    else:
        status = "on_track" if sched.expected_year <= target_year else "late"
    notes = [Note("schedule", {"status": sched.status, "year": sched.expected_year})]
    if status == "late":
        notes.append(Note("schedule_late", {"year": sched.expected_year,
                                            "target_year": target_year}))
    return Outlook.empty(levels, "schedule", f"schedule: {sched.status}, "
                         f"expected {sched.expected_year}", notes), status


def outlook(series: Series, ind: Indicator, prog: Progress, opts: RunOptions,
            region: str = "", driver: DriverData | None = None,
            ) -> tuple[Outlook, Forecast | None]:
    """P(target met) and the target-year distribution for one indicator (and the forecast
    it came from, for the per-year path)."""
    spec, levels = spec_from_indicator(ind), opts.levels
    if prog.latest_year is not None and prog.latest_year >= spec.target_year:
        return _observed_outlook(prog, spec, levels), None
    fc, notes = project_series(series, ind, opts, region, prog.target_level, driver)
    if fc is None:
        return Outlook.empty(levels, "none", "insufficient data", notes), None
    if flow_total(spec.kind, spec.measure):
        done = 0.0 if prog.latest_year is None else prog.latest_value
        result = _flow_outlook(fc, spec, done, levels)
    else:
        result = _level_outlook(fc, spec, prog.target_level, levels, ind.bounds)
    notes += [Note(code, params) for code, params in fc.caveats if code != "median_at_bound"]
    if fc.point_only:
        notes.append(Note("point_only"))
    return replace(result, notes=notes + result.notes), fc


def p_meet_by_model(series: Series, ind: Indicator, prog: Progress, opts: RunOptions,
                    region: str) -> dict[str, float]:
    """P(target met) under each single model that applies to the fit window (the same
    bounds, seed and window as the main outlook): how much the call depends on the model."""
    spec = spec_from_indicator(ind)
    fit, _ = fit_window(series, ind, opts.as_of)
    bounds, _ = model_bounds(ind.bounds, prog.target_level, "auto")
    done = 0.0 if prog.latest_year is None else prog.latest_value
    out: dict[str, float] = {}
    if fit.years.size < 3:
        return out
    for name in eligible_models(fit.values, bounds, years=fit.years):
        alone = replace(opts, model=name, levels=DEFAULT_LEVELS)
        fc, _ = project_series(series, ind, alone, region, prog.target_level)
        if fc is not None and fc.model == name:
            out[name] = float(_target_p(fc, spec, prog.target_level, done))
    return out


def member_p_meet(fc: Forecast, spec: TargetSpec, level: float) -> dict[str, float]:
    """P(target met) under each member of a combination that is not a single model of its
    own (auto's ``drift_recent``), so the sensitivity range covers every member used. Level
    targets only: a cumulative total needs the combination's joint paths."""
    names = fc.member_names
    if len(names) < 2 or spec.measure == "flow":
        return {}
    return {name: float(_target_p(fc.alone(name), spec, level, 0.0))
            for name in names if name not in MODELS}


@dataclass(frozen=True)
class RowOutlook:
    """The outlook of one row the panel cannot vectorise: the target-year outlook, the
    forecast it came from (the rich result's per-year path), a project's schedule status
    and P(met) under each single model (empty without the sensitivity)."""

    outlook: Outlook
    forecast: Forecast | None
    schedule_status: str | None
    by_model: dict[str, float]


def row_outlook(series: Series, ind: Indicator, prog: Progress, opts: RunOptions,
                region: str, driver: DriverData | None = None, sensitivity: bool = False
                ) -> RowOutlook:
    """One row's outlook by the per-row model functions (the target year not observed): a
    scheduled project by its schedule, else `outlook` (the cohort model with a `driver`)
    and, with `sensitivity`, P(met) under each single model and combination member."""
    if is_discrete_project(ind):
        look, status = schedule_outlook(ind, opts.levels)
        return RowOutlook(look, None, status, {})
    look, fc = outlook(series, ind, prog, opts, region, driver)
    by_model: dict[str, float] = {}
    if sensitivity and fc is not None and not math.isnan(look.p_meet):
        by_model = p_meet_by_model(series, ind, prog, opts, region)
        by_model |= member_p_meet(fc, spec_from_indicator(ind), prog.target_level)
    return RowOutlook(look, fc, None, by_model)
