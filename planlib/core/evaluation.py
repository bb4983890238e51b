"""Evaluate a plan: progress to date and the outlook to the target year, one
`IndicatorResult` per indicator (and region), for every target kind (DESIGN.md §3–5).

Pure: takes a validated Plan and the tidy observations frame, returns an `Evaluation`
(planlib/core/result.py). Seeds are derived per (indicator, region) from the global seed,
so results do not depend on order.
"""

from __future__ import annotations

import math
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planlib.constants import (
    MODELS,
    YEAR_MAX,
    YEAR_MIN,
    Bounds,
    check_levels,
    check_model,
    check_seed,
    clip_value,
)
from planlib.core import labels
from planlib.core.labels import Note
from planlib.core.models import Forecast, InsufficientDataError, eligible_models, forecast
from planlib.core.models.base import Predictive
from planlib.core.models.selection import AutoChoice
from planlib.core.progress import Progress, TargetSpec, is_met, progress
from planlib.core.result import (
    CORE_COLUMNS,
    EXTRA_COLUMNS,
    Evaluation,
    IndicatorResult,
    Outlook,
    Results,
)
from planlib.errors import InputError, Problem
from planlib.inputs.plan import Indicator, Plan

__all__ = ["CORE_COLUMNS", "EXTRA_COLUMNS", "Evaluation", "IndicatorResult", "check_as_of",
           "evaluate", "project"]

#: P(met) of a single model within this distance of the combination's still counts as
#: the same call (issue #6: "within 0.15 of the combination").
ROBUST_TOLERANCE = 0.15


def spec_from_indicator(ind: Indicator) -> TargetSpec:
    """The formula-level view of a plan indicator (years already resolved by the plan)."""
    return TargetSpec(
        kind=ind.target.kind,
        value=ind.target.value,
        target_year=int(ind.target.year),  # type: ignore[arg-type]
        baseline_year=int(ind.baseline.year),  # type: ignore[arg-type]
        direction=1 if ind.direction == "increase" else -1,
        measure=ind.measure,
        baseline_value=ind.baseline.value,
    )


def derive_seed(seed: int, *key: str) -> int:
    """A per-series seed from the global seed and a stable key (order-independent rows)."""
    crc = zlib.crc32("\x1f".join(key).encode("utf-8"))
    return int(np.random.SeedSequence([seed, crc]).generate_state(1)[0])


def check_as_of(plan: Plan, as_of: int | None) -> int:
    """The evaluation year: the plan's by default; must be a year after the baseline
    (InputError otherwise, as the CLI reports it)."""
    year = plan.plan.as_of if as_of is None else as_of
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise InputError([Problem("as_of", None, None, str(year), "not a year",
                                  "give a four-digit year such as 2023")])
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError([Problem("as_of", None, None, str(year),
                                  f"year outside {YEAR_MIN}-{YEAR_MAX}",
                                  f"give a year such as the plan's own {plan.plan.as_of}")])
    if year <= plan.plan.baseline_year:
        raise InputError([Problem(
            "as_of", None, None, str(year),
            f"the evaluation year must be after the plan's baseline year "
            f"{plan.plan.baseline_year}",
            f"give a later as_of (--as-of), e.g. the plan's own {plan.plan.as_of}")])
    return int(year)


@dataclass(frozen=True)
class Series:
    """One indicator's observations in one region, sorted by year."""

    years: np.ndarray
    values: np.ndarray
    flags: np.ndarray

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Series:
        frame = frame.sort_values("year")
        flags = frame["flag"].astype("string").fillna("").to_numpy(dtype=object)
        return cls(frame["year"].to_numpy("int64"), frame["value"].to_numpy("float64"), flags)

    def before(self, as_of: int) -> Series:
        """Observations up to ``as_of − 1``."""
        keep = self.years <= as_of - 1
        return Series(self.years[keep], self.values[keep], self.flags[keep])

    def last_break(self, as_of: int, declared: Sequence[int] = ()) -> int | None:
        """Year of the last definitional break before ``as_of``: a ``break`` flag in the
        data or a year the plan declares (``breaks:``)."""
        flagged = self.years[(self.years <= as_of - 1) & (self.flags == "break")]
        years = [int(y) for y in flagged] + [int(y) for y in declared if y <= as_of - 1]
        return max(years) if years else None

    def window(self, as_of: int, declared: Sequence[int] = (),
               fit_from: int | None = None) -> tuple[Series, list[Note]]:
        """Observations used for fitting: before ``as_of``, from the last break and from
        ``fit_from`` on (whichever is later), with a note saying which applied."""
        keep = self.years <= as_of - 1
        notes: list[Note] = []
        brk = self.last_break(as_of, declared)
        start = max(y for y in (brk, fit_from) if y is not None) if (brk or fit_from) else None
        if start is not None and (self.years[keep] < start).any():
            keep &= self.years >= start
            if brk is not None and start == brk:
                notes.append(Note("break_fit", {"year": start}))
            else:
                notes.append(Note("fit_from", {"year": start}))
        elif brk is not None:
            notes.append(Note("break_fit", {"year": brk}))
        return Series(self.years[keep], self.values[keep], self.flags[keep]), notes


def model_bounds(bounds: Bounds, level: float, model: str) -> tuple[Bounds, list[Note]]:
    """Bounds to fit with: a target *on* a bound (coverage 100 %) opens that bound for
    ``auto``, because a logit path never reaches its bound and would give P(met) = 0.
    Projections are still clipped to the indicator's bounds afterwards."""
    lo, hi = bounds
    if model != "auto" or math.isnan(level) or level not in (lo, hi):
        return bounds, []
    opened = (None, hi) if level == lo else (lo, None)
    return opened, [Note("target_on_bound", {"level": f"{level:g}"})]


def _fit_window(series: Series, ind: Indicator, as_of: int) -> tuple[Series, list[Note]]:
    fit_from = ind.fit_from if isinstance(ind.fit_from, int) else None
    return series.window(as_of, ind.breaks, fit_from)


def project_series(
    series: Series, ind: Indicator, *, as_of: int, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0, region: str = "",
    target_level: float = math.nan, choice: AutoChoice | None = None,
) -> tuple[Forecast | None, list[Note]]:
    """Fit the trend of one indicator's series and project it to its target year.

    Returns (None, notes) when there are too few observations (n < 2) to project.
    """
    fit, notes = _fit_window(series, ind, as_of)
    bounds, more = model_bounds(ind.bounds, target_level, model)
    eligible = eligible_models(fit.values, bounds, years=fit.years)
    if model != "auto" and eligible and model not in eligible:
        notes.append(Note("model_fallback", {"model": model, "eligible": ", ".join(eligible)}))
        model = "auto"
    try:
        fc = forecast(
            fit.years, fit.values, target_year=int(ind.target.year),  # type: ignore[arg-type]
            model=model, levels=tuple(levels), bounds=bounds,
            seed=derive_seed(seed, ind.id, region), choice=choice if model == "auto" else None,
        )
    except InsufficientDataError:
        return None, [*notes, Note("insufficient_data", {"n": int(fit.years.size)})]
    return fc, notes + more


def _target_p(fc: Forecast, spec: TargetSpec, level: float, done: float) -> float:
    """P(target met) under one forecast: the level at the target year, or the total of
    the yearly additions for a cumulative target on flow data."""
    if spec.measure == "flow" and spec.kind == "cumulative_increase":
        return fc.prob_sum_at_least(spec.value - done)
    if spec.direction > 0:
        return fc.prob_at_least(level, spec.target_year)
    return fc.prob_at_most(level, spec.target_year)


def _level_outlook(fc: Forecast, spec: TargetSpec, level: float, levels: Sequence[int],
                   bounds: Bounds) -> Outlook:
    """Outlook for a target judged on the level at the target year (clipped to bounds)."""
    frame = fc.summary_frame().set_index("year").loc[spec.target_year]
    lower = {lv: clip_value(frame[f"lo{lv}"], bounds) for lv in levels}
    upper = {lv: clip_value(frame[f"hi{lv}"], bounds) for lv in levels}
    return Outlook(fc.model, fc.reason, clip_value(frame["median"], bounds), lower, upper,
                   _target_p(fc, spec, level, 0.0))


def _flow_outlook(fc: Forecast, spec: TargetSpec, done: float, levels: Sequence[int]) -> Outlook:
    """Outlook for a cumulative target on flow data: additions so far plus future ones."""
    notes = [Note("flow_total", {"done": f"{done:,.0f}" if abs(done) >= 1000 else f"{done:g}"})]
    if fc.samples is None:
        total = done + float(np.sum(fc.median))
        return replace(Outlook.empty(levels, fc.model, fc.reason), median=total, notes=notes)
    totals = done + fc.samples.sum(axis=1)
    q = {lv: np.quantile(totals, [(100 - lv) / 200, 1 - (100 - lv) / 200]) for lv in levels}
    return Outlook(
        fc.model, fc.reason, float(np.median(totals)),
        {lv: float(q[lv][0]) for lv in levels}, {lv: float(q[lv][1]) for lv in levels},
        _target_p(fc, spec, spec.value, done), notes,
    )


def _observed_outlook(prog: Progress, spec: TargetSpec, levels: Sequence[int]) -> Outlook:
    """The target year is already observed: the outcome is known, not forecast."""
    y = prog.latest_value
    met = is_met(y, prog.target_level, spec.direction)
    return Outlook("observed", f"the target year {spec.target_year} is observed",
                   y, dict.fromkeys(levels, y), dict.fromkeys(levels, y), 1.0 if met else 0.0,
                   [Note("observed_outcome", {"year": spec.target_year})])


def is_discrete_project(ind: Indicator) -> bool:
    """A milestone counting whole projects (one new high school), not a coverage rate:
    a trend says nothing about it, its schedule does."""
    if ind.schedule is not None:
        return True
    value = float(ind.target.value)
    return ind.target.kind == "milestone" and "%" not in ind.unit and value.is_integer() \
        and ind.bounds[1] is None


def _schedule_outlook(ind: Indicator, levels: Sequence[int]) -> tuple[Outlook, str | None]:
    """A discrete project judged by its schedule (or insufficient data without one)."""
    sched = ind.schedule
    if sched is None:
        return Outlook.empty(levels, "none", "a single project: no trend",
                             [Note("schedule_missing")]), None
    target_year = int(ind.target.year)  # type: ignore[arg-type]
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


def outlook(
    series: Series, ind: Indicator, prog: Progress, *, as_of: int, model: str,
    levels: Sequence[int], seed: int, region: str = "", choice: AutoChoice | None = None,
) -> tuple[Outlook, Forecast | None]:
    """P(target met) and the target-year distribution for one indicator (and the forecast
    it came from, for the per-year path)."""
    spec = spec_from_indicator(ind)
    if prog.latest_year is not None and prog.latest_year >= spec.target_year:
        return _observed_outlook(prog, spec, levels), None
    fc, notes = project_series(series, ind, as_of=as_of, model=model, levels=levels,
                               seed=seed, region=region, target_level=prog.target_level,
                               choice=choice)
    if fc is None:
        return Outlook.empty(levels, "none", "insufficient data", notes), None
    if spec.measure == "flow" and spec.kind == "cumulative_increase":
        done = 0.0 if prog.latest_year is None else prog.latest_value
        result = _flow_outlook(fc, spec, done, levels)
    else:
        result = _level_outlook(fc, spec, prog.target_level, levels, ind.bounds)
    notes += [Note(code, params) for code, params in fc.caveats if code != "median_at_bound"]
    if fc.point_only:
        notes.append(Note("point_only"))
    return replace(result, notes=notes + result.notes), fc


def p_meet_by_model(
    series: Series, ind: Indicator, prog: Progress, *, as_of: int, seed: int, region: str,
) -> dict[str, float]:
    """P(target met) under each single model that applies to the fit window (the same
    bounds, seed and window as the main outlook): how much the call depends on the model."""
    spec = spec_from_indicator(ind)
    fit, _ = _fit_window(series, ind, as_of)
    bounds, _ = model_bounds(ind.bounds, prog.target_level, "auto")
    done = 0.0 if prog.latest_year is None else prog.latest_value
    out: dict[str, float] = {}
    if fit.years.size < 3:
        return out
    for name in eligible_models(fit.values, bounds, years=fit.years):
        fc, _ = project_series(series, ind, as_of=as_of, model=name, seed=seed,
                               region=region, target_level=prog.target_level)
        if fc is not None and fc.model == name:
            out[name] = float(_target_p(fc, spec, prog.target_level, done))
    return out


def member_p_meet(fc: Forecast, spec: TargetSpec, level: float) -> dict[str, float]:
    """P(target met) under each member of a combination that is not a single model of its
    own (auto's ``drift_recent``), so the sensitivity range covers every member used. Level
    targets only: a cumulative total needs the combination's joint paths."""
    dist = fc._dist  # noqa: SLF001 - the members of this very forecast
    if dist is None or len(dist.members) < 2 or spec.measure == "flow":
        return {}
    out = {}
    for fit in dist.members:
        if fit.model not in MODELS:
            alone = replace(fc, _dist=Predictive((fit,), dist.bounds))
            out[fit.model] = float(_target_p(alone, spec, level, 0.0))
    return out


def call_robust(p: float, by_model: dict[str, float]) -> bool | None:
    """True when every single model puts P(met) in the same band as the combination, or
    within ROBUST_TOLERANCE of it; None when there is no probability to judge."""
    if math.isnan(p) or not by_model:
        return None
    band = labels.outlook_status(p)
    return all(labels.outlook_status(q) == band or abs(q - p) <= ROBUST_TOLERANCE
               for q in by_model.values() if not math.isnan(q))


def _pace(x: float) -> str:
    """A pace per year as printed in a note: signed, 3 significant figures."""
    return f"{x:+,.0f}" if abs(x) >= 1000 else f"{x:+.3g}"


def consistency_notes(prog: Progress, look: Outlook, status: str, fit_from: int | None,
                      target_year: int) -> list[Note]:
    """Why progress and outlook disagree, when they do: the pace since the baseline against
    the pace the fitted trend implies to the target year."""
    return pace_notes(prog.latest_year, prog.baseline_year, prog.latest_value,
                      prog.baseline_value, prog.status, prog.required_pace, look.median,
                      status, fit_from, target_year)


def pace_notes(t: int | None, t0: int | None, latest: float, baseline: float,
               progress_status: str | None, required: float, median: float, status: str,
               fit_from: int | None, target_year: int) -> list[Note]:
    """`consistency_notes` from the numbers themselves (shared with the vectorised rows)."""
    if t is None or t0 is None or math.isnan(median) or progress_status is None \
            or target_year <= t:
        return []
    trend = (median - latest) / (target_year - t)
    params = {"fit_from": fit_from if fit_from is not None else "—", "trend": _pace(trend),
              "required": _pace(required)}
    if progress_status in ("on_schedule", "ahead") and status in labels.AT_RISK and t > t0:
        since = (latest - baseline) / (t - t0)
        return [Note("trend_slower_than_progress", params | {"since_baseline": _pace(since)})]
    if progress_status in ("behind", "moving_away") and status in ("likely", "very_likely"):
        return [Note("trend_faster_than_progress", params)]
    return []


def bound_notes(look: Outlook, bounds: Bounds) -> list[Note]:
    """An interval collapsed on a bound is said to lie at the bound, not to be zero-width."""
    return interval_notes(look.median, [*look.lower.values(), *look.upper.values()], bounds)


def interval_notes(median: float, ends: list[float], bounds: Bounds) -> list[Note]:
    """`bound_notes` from the median and the interval ends (shared with the vectorised
    rows)."""
    for bound in bounds:
        if bound is None or math.isnan(median):
            continue
        if ends and all(e == bound for e in ends):
            return [Note("interval_at_bound", {"bound": f"{bound:g}"})]
        if median == bound:
            return [Note("median_at_bound", {"bound": f"{bound:g}"})]
    return []


FLAG_NOTES = {"lower_bound": "latest_lower_bound", "derived": "latest_derived",
              "provisional": "latest_provisional"}


def _history(series: Series, spec: TargetSpec, as_of: int, fit: Series) -> pd.DataFrame:
    """The observations up to the evaluation year, on the target's scale (see
    `IndicatorResult`)."""
    used = series.before(as_of)
    value = used.values.astype("float64")
    if spec.measure == "flow" and spec.kind == "cumulative_increase":
        after = used.years > spec.baseline_year
        value = np.where(after, np.cumsum(np.where(after, used.values, 0.0)), math.nan)
        value = np.where(used.years == spec.baseline_year, 0.0, value)
    return pd.DataFrame({
        "year": used.years, "value": value, "raw_value": used.values,
        "flag": used.flags.astype(str), "in_fit": np.isin(used.years, fit.years),
    })


def evaluate_series(
    ind: Indicator, region: str, series: Series, plan: Plan, *, as_of: int, model: str,
    levels: tuple[int, ...], seed: int, sensitivity: bool = True,
    choice: AutoChoice | None = None,
) -> IndicatorResult:
    """The result for one indicator in one region (`choice`: auto's choice, when the
    vectorised path made it already)."""
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
    fit, _ = _fit_window(series, ind, horizon)
    schedule_status = None
    fc: Forecast | None = None
    if is_discrete_project(ind) and not observed:
        look, schedule_status = _schedule_outlook(ind, levels)
    else:
        look, fc = outlook(series, ind, prog, as_of=horizon, model=model, levels=levels,
                           seed=seed, region=region, choice=choice)
    status = labels.outlook_status(look.p_meet) if look.model != "schedule" else "by_schedule"
    by_model: dict[str, float] = {}
    if sensitivity and fc is not None and not math.isnan(look.p_meet):
        by_model = p_meet_by_model(series, ind, prog, as_of=horizon, seed=seed, region=region)
        by_model |= member_p_meet(fc, spec, prog.target_level)
    robust = call_robust(look.p_meet, by_model)
    latest_flag = ""
    if prog.latest_year is not None and spec.measure == "stock":
        latest_flag = str(series.flags[series.years == prog.latest_year][0])
    fit_from = int(fit.years.min()) if fit.years.size else None
    notes = [*prog.notes, *nowcast, *look.notes, *bound_notes(look, ind.bounds)]
    if latest_flag in FLAG_NOTES:
        notes.append(Note(FLAG_NOTES[latest_flag]))
    notes += consistency_notes(prog, look, status, fit_from, spec.target_year)
    if robust is False:
        vals = [look.p_meet, *by_model.values()]
        notes.append(Note("model_dependent", {"low": labels.format_p(min(vals)),
                                              "high": labels.format_p(max(vals))}))
    return IndicatorResult(
        indicator=ind, region=region, spec=spec, as_of=as_of, levels=levels,
        history=_history(series, spec, as_of, fit), fit_from=fit_from,
        fit_to=int(fit.years.max()) if fit.years.size else None, progress=prog,
        outlook=look, forecast=fc, p_meet_by_model=by_model, call_robust=robust,
        outlook_status=status, schedule_status=schedule_status, latest_flag=latest_flag,
        notes=tuple(_unique(notes)),
    )


def _unique(notes: list[Note]) -> list[Note]:
    """Notes in order, each said once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for n in notes:
        key = (n.code, repr(sorted(n.params.items())))
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


def _series_of(observations: pd.DataFrame, ind: Indicator, region: str) -> Series:
    mine = observations[observations["indicator_id"] == ind.series_id]
    return Series.from_frame(mine[mine["region"].fillna("") == region])


#: Runs with at least this many series show a progress bar (on a terminal only).
LONG_RUN = 200


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

    def series(self, region: str) -> Series:
        """The observations of one region (empty when it has none)."""
        lo = int(np.searchsorted(self.regions, region, side="left"))
        hi = int(np.searchsorted(self.regions, region, side="right"))
        return Series.from_frame(self.frame.iloc[lo:hi])

    def sorted_regions(self) -> list[str]:
        """The regions, sorted (the national series "" first); [""] when there is none."""
        return list(dict.fromkeys(self.regions)) or [""]


def evaluate(
    plan: Plan, observations: pd.DataFrame, *, as_of: int | None = None, model: str = "auto",
    levels: Sequence[int] = (80, 95), seed: int = 0, sensitivity: bool = True,
    vectorise: bool | None = None,
) -> Evaluation:
    """Evaluate every plan indicator in every region: an `Evaluation` whose
    ``summary_frame()`` is the table and whose ``ev[id]`` is one indicator's result.

    ``as_of`` is the evaluation year (data up to as_of − 1 are used; default: the plan's).
    ``model`` is one of drift, linear, log, logit, damped or auto; ``levels`` the
    central interval levels in percent; ``seed`` fixes the sample paths;
    ``sensitivity`` computes P(met) under each single model too (p_meet_by_model).
    ``vectorise``: write the table rows of indicators with many regions (more than
    BATCH_MIN_SERIES) all at once with numpy (None, the default), always (True) or never
    (False); the table is the same either way (tests/test_rows.py), only the time differs.
    A Dask DataFrame of observations (partitioned by region) gives the table as a lazy
    Dask DataFrame instead (`planlib.core.batch.dask_table`).
    """
    from planlib.core.batch.dask_table import evaluate_dask, is_dask_frame
    from planlib.core.batch.outlooks import BATCH_MIN_SERIES
    from planlib.core.batch.rows import indicator_rows, vectorisable

    if is_dask_frame(observations):
        return evaluate_dask(plan, observations, as_of=as_of, model=model, levels=levels,
                             seed=seed, sensitivity=sensitivity)
    year = check_as_of(plan, as_of)
    check_model(model)
    check_seed(seed)
    lv = check_levels(levels)
    keys: list[tuple[str, str]] = []
    built: dict[tuple[str, str], IndicatorResult] = {}
    tables: dict[str, pd.DataFrame] = {}
    index: dict[str, SeriesIndex] = {}
    for ind in plan.indicators:
        index[ind.id] = SeriesIndex(observations[observations["indicator_id"] == ind.series_id])
        keys += [(ind.id, r) for r in index[ind.id].sorted_regions()]

    def build(ident: str, region: str) -> IndicatorResult:
        ind = plan.indicator(ident)
        return evaluate_series(ind, region, index[ident].series(region), plan, as_of=year,
                               model=model, levels=lv, seed=seed, sensitivity=sensitivity)

    bar = Bar(len(keys))
    for ind in plan.indicators:
        regions = index[ind.id].sorted_regions()
        many = len(regions) > BATCH_MIN_SERIES if vectorise is None else vectorise
        if many and vectorisable(ind) and len(index[ind.id].frame):
            rows, done = indicator_rows(plan, ind, index[ind.id].frame, as_of=year,
                                        model=model, levels=lv, sensitivity=sensitivity)
            if list(rows["region"]) != regions:  # regions without any value: per series
                rows, done = rows.iloc[:0], np.zeros(0, dtype=bool)
                for region in regions:
                    built[ind.id, region] = build(ind.id, region)
                bar.update(len(regions))
                continue
            for i in np.flatnonzero(~done):  # rows the vectorised path leaves to this one
                result = build(ind.id, regions[i])
                built[ind.id, regions[i]] = result
                rows.loc[i, :] = pd.Series(result.row("en"))[rows.columns]
            tables[ind.id] = rows
            bar.update(len(regions))
            continue
        for region in regions:
            built[ind.id, region] = build(ind.id, region)
            bar.update()
    bar.close()
    return Evaluation(plan=plan, results=Results(keys, built, build), as_of=year, model=model,
                      levels=lv, seed=seed, tables=tables)


def project(
    plan: Plan, observations: pd.DataFrame, indicator_id: str, *, region: str = "",
    as_of: int | None = None, model: str = "auto", levels: Sequence[int] = (80, 95),
    seed: int = 0,
) -> pd.DataFrame:
    """One indicator's per-year path (observed, fitted, plan path, median, intervals) on
    the target's scale: exactly ``evaluate(...)[indicator_id, region].summary_frame()``."""
    ind = plan.indicator(indicator_id)
    year = check_as_of(plan, as_of)
    result = evaluate_series(ind, region, _series_of(observations, ind, region), plan,
                             as_of=year, model=check_model(model), levels=check_levels(levels),
                             seed=seed, sensitivity=False)
    return result.summary_frame()
