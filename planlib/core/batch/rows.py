"""Every column of the evaluation table for every region of one indicator at once: the
one path `evaluate` takes for every indicator, at any number of regions.

Each row is judged against its own target value (`area_rule.row_targets`): progress and
the outlook come from the panel (`batch_progress`, `batch_forecast`), P(met) under each
single model from one vectorised pass per model (damped's from auto's own damped fit, the
same numbers), and the prose -- the model reason and the notes -- is written from those
arrays by the one set of rule functions (`reason_of`, `pace_notes`,
`interval_notes`, the note codes of `labels`). Flow data with a cumulative target take
their total's outlook from joint sample paths (`flows`); context indicators (no target)
their outlook alone. The rows no panel fit covers -- a scheduled project, an indicator
following a driver (the cohort model), a flow's point path (n = 2), a target year nowcast
from the years before it -- take only their outlook from the per-row model function
(`outlook.row_outlook`); their progress, notes, reliability and prose are written here
with every other row. tests/core/test_rows.py checks the rows against the model
functions run on each region's own series.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from planlib.constants import DEFAULT_LEVELS, MODELS
from planlib.core import area_rule, labels
from planlib.core.columns import column
from planlib.core.cycle_columns import cycle_columns
from planlib.core.drivers import driver_data
from planlib.core.labels import Note, unique_notes
from planlib.core.models import eligible_models
from planlib.core.models.api import member_caveats
from planlib.core.models.count_scale import is_count
from planlib.core.models.selection import (
    beyond_floor,
    point_reason,
    reason_of,
    widening_text,
)
from planlib.core.notes import (
    fallback_notes,
    flag_notes,
    interval_notes,
    level_shift_notes,
    model_dependent_notes,
    observed_reason,
    opened_bounds,
    pace_notes,
    robust_calls,
    target_on_bound_notes,
    window_notes,
)
from planlib.core.options import RunOptions
from planlib.core.outlook import RowOutlook, flow_total_note, row_outlook
from planlib.core.progress import (
    PROGRESS_COLUMNS,
    TargetSpec,
    batch_progress,
    progress_notes,
    progress_row,
    recent_additions,
)
from planlib.core.reliability import WIDTH_LEVEL, reliability, reliability_notes
from planlib.core.result import table_columns
from planlib.core.series import Series, is_discrete_project, spec_from_indicator
from planlib.inputs.plan import Indicator, Plan

from .auto import BatchOutlook, Why, batch_forecast, damped_applies, eligibility
from .fits import BATCH_MODELS
from .flows import flow_history, flow_level_panel, flow_outlook, is_cumulative_flow
from .mixture import prob_meet
from .outlooks import (
    break_years,
    fill_observed,
    fill_outlook,
    fit_start,
    hi_of,
    lo_of,
    model_bounds_arrays,
    shift_years,
)
from .panel import Panel, keep_columns, panel_from_long


@dataclass(frozen=True)
class Inputs:
    """One indicator's panel views: all observations, progress's view and the fit window."""

    full: Panel
    seen: Panel
    fit: Panel
    before: Panel  # observations up to as_of - 1 (the fit window before breaks/fit_from)
    breaks: np.ndarray  # last definitional break per row (-inf: none)
    start: np.ndarray  # first fit year per row (-inf: from the start)
    shift: np.ndarray  # an undeclared level shift the fit starts at (-inf: none)
    recent: np.ndarray | None = None  # a flow's mean yearly addition (None: from `seen`)
    history: Panel | None = None  # a flow's observed years on the target's scale


@dataclass(frozen=True)
class RowArrays:
    """What the panel computed per row that a rich result needs beyond its table row
    (`planlib.core.panel_results` builds the `IndicatorResult` from it, no refit): the
    panel views, the progress arrays and notes, the outlook of the forecast rows with its
    choice record (`look.why`; row ``forecast[j]`` of the table is its row j), and per row
    the outlook's own notes, all notes and P(met) by model, and the outlook of the rows
    the per-row model function answered (with their forecast)."""

    data: Inputs
    prog: dict[str, np.ndarray]
    progress_notes: list[list[Note]]
    forecast: np.ndarray
    look: BatchOutlook
    outlook_notes: list[list[Note]]
    notes: list[list[Note]]
    by_model: list[dict[str, float]]
    single: dict[int, RowOutlook]  # the rows `outlook.row_outlook` answered


def is_context(spec: TargetSpec) -> bool:
    """A context indicator: no target, its outlook to the outlook year only."""
    return spec.kind == "context"


def context_progress(before: Panel) -> dict[str, np.ndarray]:
    """A context indicator's progress columns: its latest observation up to as_of - 1,
    nothing measured against a target."""
    cols: dict[str, np.ndarray] = {name: np.full(len(before.n), np.nan)
                                   for name in PROGRESS_COLUMNS}
    cols["latest_year"], cols["latest_value"] = before.last(before.years), \
        before.last(before.values)
    cols["progress_status"] = np.full(len(before.n), None, dtype=object)
    return cols


def panel_inputs(frame: pd.DataFrame, ind: Indicator, spec: TargetSpec, as_of: int,
                 keys: list[str] | None = None) -> Inputs:
    """The panel views of `frame` (one indicator, region filled) that the rows need, one
    row per region of `keys` (a region without any value: a row of none)."""
    full = panel_from_long(frame)
    if keys is not None:
        full = with_keys(full, keys)
    seen = keep_columns(full, full.years <= min(as_of - 1, spec.target_year))
    before = keep_columns(full, full.years <= as_of - 1)
    start = fit_start(frame, full.keys, ind, as_of)
    fit = keep_columns(before, before.years >= start[:, None])
    shift = shift_years(fit)
    fit = keep_columns(fit, fit.years >= shift[:, None])
    breaks = break_years(frame, full.keys, ind, as_of)
    if is_cumulative_flow(spec):
        levels = flow_level_panel(seen, spec.baseline_year)
        recent = recent_additions(seen.years, seen.values, seen.n, levels.last(levels.years),
                                  spec.baseline_year, breaks)
        return Inputs(full, levels, fit, before, breaks, start, shift, recent,
                      flow_history(seen, spec.baseline_year))
    return Inputs(full, seen, fit, before, breaks, start, shift)


def with_keys(panel: Panel, keys: list[str]) -> Panel:
    """The panel with one row per key of `keys`, in that order (none observed where the
    panel has no row)."""
    if list(panel.keys) == list(keys):
        return panel
    at = {str(k): i for i, k in enumerate(panel.keys)}
    width = max(panel.years.shape[1], 1)
    years, values = np.zeros((len(keys), width)), np.zeros((len(keys), width))
    n = np.zeros(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        j = at.get(key)
        if j is not None:
            w = panel.years.shape[1]
            years[i, :w], values[i, :w], n[i] = panel.years[j], panel.values[j], panel.n[j]
    return Panel(np.asarray(keys, dtype=object), years, values, n)


def _rows_from(a: Panel, b: Panel, take: np.ndarray) -> Panel:
    """Panel `a` with the rows `take` (a mask) replaced by those of `b` (same keys)."""
    width = max(a.years.shape[1], b.years.shape[1])

    def wide(m: np.ndarray) -> np.ndarray:
        return np.pad(m, ((0, 0), (0, width - m.shape[1])))

    pick = take[:, None]
    return Panel(a.keys, np.where(pick, wide(b.years), wide(a.years)),
                 np.where(pick, wide(b.values), wide(a.values)), np.where(take, b.n, a.n))


def _nowcast(data: Inputs, other: Inputs, take: np.ndarray, target_year: int,
             notes: list[list[Note]]) -> Inputs:
    """`data` with the fit window of the rows `take` as of the year after the target year
    (`other`: the panel views as of then), as their outlook is fitted: the target year is
    nowcast from the data up to it (issue #17); the rows with data after it say so."""
    late = take & (data.full.last(data.full.years) > target_year)
    for i in np.flatnonzero(late):
        notes[i].append(Note("target_year_nowcast", {"year": target_year}))
    return replace(data, fit=_rows_from(data.fit, other.fit, take),
                   breaks=np.where(take, other.breaks, data.breaks),
                   start=np.where(take, other.start, data.start),
                   shift=np.where(take, other.shift, data.shift))


def indicator_rows(plan: Plan, ind: Indicator, frame: pd.DataFrame, opts: RunOptions,
                   unjudged: np.ndarray | None = None, targets: np.ndarray | None = None,
                   keys: list[str] | None = None, drivers: pd.DataFrame | None = None
                   ) -> tuple[pd.DataFrame, RowArrays]:
    """The table rows of every region of `ind` (`keys`; default: the regions of `frame`,
    sorted) and what their rich results are built from (`RowArrays`). ``unjudged`` marks
    areas not judged against the target (`area_rule`): outlook only; ``targets`` is each
    row's target value (`area_rule.row_targets`; the plan's when None); ``drivers`` the
    observations of the indicator's driver series (``driver:``). The rows the panel cannot
    vectorise -- a scheduled project, the cohort model, a flow's point path, a target year
    nowcast from the years before it -- take their outlook from the per-row model function
    (`outlook.row_outlook`); everything else about them is written here with the rest."""
    as_of, model, levels, sensitivity = opts.as_of, opts.model, opts.levels, opts.sensitivity
    spec = spec_from_indicator(ind)
    raw = frame
    frame = frame.assign(region=frame["region"].fillna(""),
                         flag=frame["flag"].astype("string").fillna("")
                         if "flag" in frame else "")
    data = panel_inputs(frame, ind, spec, as_of, keys)
    seen = data.seen
    context = is_context(spec)
    prog = context_progress(data.before) if context else batch_progress(
        seen.years, seen.values, seen.n, spec, cutoffs=plan.status_cutoffs.model_dump(),
        pace_from=data.breaks, recent=data.recent, value=targets)
    level = prog["target_value"]
    lo, hi = model_bounds_arrays(ind, level, model)
    fit = data.fit
    observed = prog["latest_year"] >= spec.target_year
    alone = ~observed & (fit.last(fit.years) >= spec.target_year)  # nowcast: per row
    if is_discrete_project(ind) or ind.driver is not None:
        alone |= ~observed
    rows = np.flatnonzero(~observed & ~alone)
    out = _base_frame(ind, spec, data, prog, frame, levels)
    if targets is not None:
        out["target_raw_value"] = targets
    shown = data.before if context else data.seen if data.history is None else data.history
    for name, col in _cycle(spec, shown, prog, frame, as_of).items():
        out[name] = col
    notes: list[list[Note]] = [[] if context else _progress_notes(spec, prog, data, i)
                               for i in range(len(out))]
    if context:
        out["latest_flag"] = out["progress_status_zh"] = out["progress_status_en"] = ""
        sensitivity = False
    value = np.zeros(rows.size) if context else level[rows]  # context: no P(met) (NaN below)
    look = batch_forecast(
        fit.take(rows), lo[rows], hi[rows], target_year=spec.target_year, model=model,
        levels=levels, value=value, at_least=spec.direction > 0,
        show_lo=lo_of(ind), show_hi=hi_of(ind), damped_alone=sensitivity)
    flows = _Flows.of(ind, spec, prog, opts) if is_cumulative_flow(spec) else None
    if flows is not None:
        out["latest_flag"] = ""  # a flow's latest addition is no level to flag
        look, drawn = flows.outlook(fit, rows, look, lo[rows], hi[rows])
        alone[rows[~drawn]] = True
    fill_outlook(out, rows, look, levels)
    progress_notes = [list(n) for n in notes]
    horizon = min(as_of, spec.target_year + 1)
    if horizon < as_of and np.any(alone):
        data = _nowcast(data, panel_inputs(frame, ind, spec, horizon, list(data.full.keys)),
                        alone, spec.target_year, notes)
    _fit_columns(out, data.fit)
    single = _row_outlooks(plan, ind, raw, drivers, np.flatnonzero(alone), data.full.keys,
                           prog, opts, horizon, targets, sensitivity)
    _fill_rows(out, single, levels)
    _fill_observed(out, np.flatnonzero(observed), prog, spec, levels)
    if context:
        out["p_meet"] = np.nan
    by_model = _by_model(fit, rows, look, ind, spec, level, model, levels, flows) \
        if sensitivity else [{} for _ in range(len(out))]
    for k, one in single.items():
        by_model[k] = one.by_model
    told, final = _write_prose(out, notes, rows, look, data, ind, spec, model, level, by_model,
                               unjudged, flows, single)
    if unjudged is not None:
        area_rule.blank_rows(out, unjudged)
    arrays = RowArrays(data, prog, progress_notes, rows, look, told, final, by_model, single)
    return out[table_columns(levels)], arrays


def _row_outlooks(plan: Plan, ind: Indicator, frame: pd.DataFrame,
                  drivers: pd.DataFrame | None, rows: np.ndarray, keys: np.ndarray,
                  prog: dict[str, np.ndarray], opts: RunOptions, horizon: int,
                  targets: np.ndarray | None, sensitivity: bool) -> dict[int, RowOutlook]:
    """The outlook of each of `rows` by the per-row model function (`row_outlook`), each
    with the indicator as its row is judged (its own target value), its driver up to
    as_of − 1 and the data up to `horizon` − 1 (the year after the target year at most)."""
    if rows.size == 0:
        return {}
    fit_opts = replace(opts, as_of=horizon)
    wanted = {str(keys[i]) for i in rows}
    region = frame["region"].fillna("")
    mine = dict(tuple(frame[region.isin(wanted)].groupby(region[region.isin(wanted)])))
    theirs: dict[str, pd.DataFrame] = {}
    if drivers is not None:
        where = drivers["region"].fillna("")
        theirs = dict(tuple(drivers[where.isin(wanted)].groupby(where[where.isin(wanted)])))
    empty = frame.iloc[:0]
    out: dict[int, RowOutlook] = {}
    for i in rows:
        key = str(keys[i])
        judged = ind if targets is None else area_rule.with_target(ind, float(targets[i]))
        series = Series.from_frame(mine.get(key, empty))
        drv = None if drivers is None else driver_data(
            plan, ind, Series.from_frame(theirs.get(key, drivers.iloc[:0])), opts.as_of)
        out[int(i)] = row_outlook(series, judged, progress_row(prog, int(i)), fit_opts, key,
                                  drv, sensitivity)
    return out


def _fill_rows(out: pd.DataFrame, single: dict[int, RowOutlook], levels: tuple[int, ...]
               ) -> None:
    """The outlook columns of the rows `row_outlook` answered."""
    for i, one in single.items():
        look = one.outlook
        out.at[i, "model"], out.at[i, "median"] = look.model, look.median
        for lv in levels:
            out.at[i, f"lo{lv}"], out.at[i, f"hi{lv}"] = look.lower[lv], look.upper[lv]
        out.at[i, "p_meet"] = look.p_meet
        if one.schedule_status:
            out.at[i, "schedule_status"] = one.schedule_status
            for lang in labels.LANGS:
                out.at[i, f"schedule_status_{lang}"] = labels.label(one.schedule_status, lang)


@dataclass(frozen=True)
class _Flows:
    """What the outlook of a flow's total needs beyond the panel's choice: each row's
    additions so far and target value, the seed, the indicator, levels and count scale."""

    done: np.ndarray
    value: np.ndarray
    opts: RunOptions
    ident: str
    spec: TargetSpec
    count: bool

    @classmethod
    def of(cls, ind: Indicator, spec: TargetSpec, prog: dict[str, np.ndarray],
           opts: RunOptions) -> _Flows:
        return cls(np.nan_to_num(prog["latest_value"], nan=0.0), prog["target_value"], opts,
                   ind.id, spec, is_count(ind.bounds))

    def outlook(self, fit: Panel, rows: np.ndarray, look: BatchOutlook, lo: np.ndarray,
                hi: np.ndarray, levels: tuple[int, ...] | None = None
                ) -> tuple[BatchOutlook, np.ndarray]:
        """`flows.flow_outlook` of fit rows `rows` under the choice `look`."""
        return flow_outlook(fit, rows, look, lo, hi, target_year=self.spec.target_year,
                            count=self.count, done=self.done[rows], value=self.value[rows],
                            levels=levels or self.opts.levels, seed=self.opts.seed,
                            ident=self.ident)

    def note(self, i: int) -> Note:
        """The flow_total note of row i."""
        return flow_total_note(float(self.done[i]))


def _base_frame(ind: Indicator, spec: TargetSpec, data: Inputs, prog: dict[str, np.ndarray],
                frame: pd.DataFrame, levels: tuple[int, ...]) -> pd.DataFrame:
    """Identity, progress and fit-window columns (outlook columns empty)."""
    keys = data.full.keys
    out = pd.DataFrame({"indicator_id": ind.id, "region": keys, "target_kind": spec.kind})
    for col in PROGRESS_COLUMNS:
        out[col] = schema_typed(col, prog[col])
    out["target_year"] = spec.target_year
    out["model"], out["median"] = "none", np.nan
    for lv in levels:
        out[f"lo{lv}"], out[f"hi{lv}"] = np.nan, np.nan
    out["p_meet"] = np.nan
    out["name_zh"], out["name_en"], out["unit"] = ind.name_zh, ind.name_en, ind.unit
    out["nature"], out["group"], out["direction"] = ind.nature, ind.group, ind.direction
    out["measure"], out["target_raw_value"] = ind.measure, spec.value
    out["region_role"] = [area_rule.region_role(k) for k in keys]
    status = list(prog["progress_status"])
    out["progress_status_zh"] = [labels.label(s, "zh", labels.PROGRESS_LABELS) for s in status]
    out["progress_status_en"] = [labels.label(s, "en", labels.PROGRESS_LABELS) for s in status]
    out["latest_flag"] = _latest_flags(frame, keys, prog["latest_year"])
    out["model_members"], out["model_reason"] = "", ""
    out["p_meet_by_model"], out["call_robust"] = "{}", None
    out["schedule_status"] = out["schedule_status_zh"] = out["schedule_status_en"] = ""
    return out


def _fit_columns(out: pd.DataFrame, fit: Panel) -> None:
    """n_obs, fit_from and fit_to: the fit window of each row."""
    has = fit.n > 0
    out["n_obs"] = fit.n
    out["fit_from"] = schema_typed("fit_from", np.where(has, fit.years[:, 0], np.nan))
    out["fit_to"] = schema_typed("fit_to", np.where(has, fit.last(fit.years), np.nan))


def schema_typed(name: str, values: np.ndarray) -> Any:
    """`values` as the table schema types column `name` (`core/columns.py`): an Int64
    column from floats, NaN as missing; any other column as it is."""
    dtype = column(name).dtype
    if dtype != "Int64":
        return values
    return pd.array([None if np.isnan(x) else int(x) for x in values], dtype=dtype)


def _cycle(spec: TargetSpec, seen: Panel, prog: dict[str, np.ndarray], frame: pd.DataFrame,
           as_of: int) -> dict[str, Any]:
    """The plan-cycle columns (`cycle_columns`, shared with the per-series row)."""
    valid = seen.valid
    years = np.where(valid, seen.years, np.nan)
    at_t = _latest_flags(frame, seen.keys, np.full(len(seen.n), float(spec.target_year)))
    flags = np.where(valid & (seen.years == spec.target_year), at_t[:, None], "")
    return cycle_columns(years, np.where(valid, seen.values, np.nan), flags,
                         baseline_year=spec.baseline_year, target_year=spec.target_year,
                         as_of=as_of, latest_year=prog["latest_year"],
                         target_level=prog["target_value"], direction=spec.direction)


def _latest_flags(frame: pd.DataFrame, keys: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """The flag of each region's latest observation used for progress ('' when none)."""
    want = pd.DataFrame({"region": keys, "year": latest})
    have = frame[["region", "year", "flag"]].astype({"year": "float64"})
    got = want.merge(have, on=["region", "year"], how="left")["flag"]
    return got.fillna("").astype(str).to_numpy(dtype=object)


def _progress_notes(spec: TargetSpec, prog: dict[str, np.ndarray], data: Inputs, i: int
                    ) -> list[Note]:
    """`progress_notes` of row i."""
    t0, seen, brk = prog["baseline_year"][i], data.seen, data.breaks[i]
    n = int(seen.n[i])
    return progress_notes(spec, None if np.isnan(t0) else int(t0),
                          int(seen.years[i, n - 1]) if n else None,
                          float(prog["baseline_value"][i]), float(prog["target_value"][i]),
                          int(brk) if np.isfinite(brk) else None)


def _fill_observed(out: pd.DataFrame, rows: np.ndarray, prog: dict[str, np.ndarray],
                   spec: TargetSpec, levels: tuple[int, ...]) -> None:
    """The target year is observed: the outcome, P(met) 0 or 1 (`outlooks.fill_observed`)."""
    fill_observed(out, rows, prog["latest_value"], prog["target_value"], spec.direction,
                  levels)
    out.loc[rows, "model_reason"] = observed_reason(spec.target_year)


def _by_model(fit: Panel, rows: np.ndarray, look: BatchOutlook, ind: Indicator,
              spec: TargetSpec, level: np.ndarray, model: str, levels: tuple[int, ...],
              flows: _Flows | None = None) -> list[dict[str, float]]:
    """P(met) under each single model that applies, per row, as `p_meet_by_model` plus
    `member_p_meet` (a combination's drift_recent member alone); a flow's from each
    model's joint paths (`flows`)."""
    out: list[dict[str, float]] = [{} for _ in range(len(fit.n))]
    if rows.size == 0:
        return out
    sub = fit.take(rows)
    lo_a, hi_a = model_bounds_arrays(ind, level[rows], "auto")
    elig = np.column_stack([eligibility(sub, lo_a, hi_a), damped_applies(sub)])
    want = ~np.isnan(look.p_meet) & (sub.n >= 3)
    lo_s, hi_s = model_bounds_arrays(ind, level[rows], "single")  # any named model: not opened
    for name in MODELS:
        k = BATCH_MODELS.index(name)
        ask = want & elig[:, k]
        if name == "damped" and model == "auto" and flows is None:  # auto fitted and
            # widened it already (a flow's total needs the paths: fitted again below)
            ask &= ~_damped_from_auto(out, rows, look, level, spec, lo_a, hi_a, lo_s, hi_s,
                                      ask)
        if not np.any(ask):
            continue
        r = np.flatnonzero(ask)
        single = batch_forecast(
            sub.take(r), lo_s[r], hi_s[r], target_year=spec.target_year, model=name,
            levels=levels, value=level[rows][r], at_least=spec.direction > 0,
            show_lo=lo_of(ind), show_hi=hi_of(ind))
        if flows is not None:
            single, _ = flows.outlook(fit, rows[r], single, lo_s[r], hi_s[r], DEFAULT_LEVELS)
        for j, i in enumerate(r):
            if single.model[j] == name and not np.isnan(single.p_meet[j]):
                out[rows[i]][name] = float(single.p_meet[j])
    lo_m, hi_m = model_bounds_arrays(ind, level[rows], model)  # the combination's own bounds
    _member_p(out, rows, look, level, spec, lo_m, hi_m, want)
    return out


def _damped_from_auto(out: list[dict[str, float]], rows: np.ndarray, look: BatchOutlook,
                      level: np.ndarray, spec: TargetSpec, lo_a: np.ndarray,
                      hi_a: np.ndarray, lo_s: np.ndarray, hi_s: np.ndarray, ask: np.ndarray
                      ) -> np.ndarray:
    """P(met) under damped alone from auto's own damped fit and widening (the same numbers
    as a requested damped: one fit, the same backtest origins), where auto did not open a
    bound; returns the rows it answered."""
    why = look.why
    same = (np.isnan(lo_a) == np.isnan(lo_s)) & (np.isnan(hi_a) == np.isnan(hi_s))
    done = ask & same & (why.damped_alone if why is not None else False)
    hit = np.flatnonzero(done)
    if why is None or hit.size == 0:
        return done
    k = BATCH_MODELS.index("damped")
    alone = np.zeros((hit.size, len(BATCH_MODELS)), dtype=bool)
    alone[:, k] = True
    p = prob_meet([m.take(hit) for m in why.members], alone, level[rows][hit],
                  spec.direction > 0, lo_s[hit], hi_s[hit])
    for j, i in enumerate(hit):
        out[rows[i]]["damped"] = float(p[j])
    return done


def _member_p(out: list[dict[str, float]], rows: np.ndarray, look: BatchOutlook,
              level: np.ndarray, spec: TargetSpec, lo: np.ndarray, hi: np.ndarray,
              want: np.ndarray) -> None:
    """P(met) of a combination's members that are not single models (drift_recent)."""
    why = look.why
    if why is None or spec.measure == "flow" or model_is_single(why):
        return
    combo = want & (why.use.sum(axis=1) >= 2)
    for k, name in enumerate(BATCH_MODELS):
        if name in MODELS:
            continue
        hit = np.flatnonzero(combo & why.use[:, k])
        if hit.size == 0:
            continue
        alone = np.zeros((hit.size, len(BATCH_MODELS)), dtype=bool)
        alone[:, k] = True
        p = prob_meet([m.take(hit) for m in why.members], alone, level[rows][hit],
                      spec.direction > 0, lo[hit], hi[hit])
        for j, i in enumerate(hit):
            out[rows[i]][name] = float(p[j])


def model_is_single(why: Why) -> bool:
    """True when no row uses more than one member (nothing to split)."""
    return not np.any(why.use.sum(axis=1) >= 2)


def _write_prose(out: pd.DataFrame, notes: list[list[Note]], rows: np.ndarray,
                 look: BatchOutlook, data: Inputs, ind: Indicator, spec: TargetSpec,
                 model: str, level: np.ndarray, by_model: list[dict[str, float]],
                 unjudged: np.ndarray | None = None, flows: _Flows | None = None,
                 single: dict[int, RowOutlook] | None = None
                 ) -> tuple[list[list[Note]], list[list[Note]]]:
    """model_reason, members, notes, P by model, call_robust and the status columns;
    returns each row's outlook notes and all its notes."""
    single = single or {}
    p = out["p_meet"].to_numpy(dtype=float)
    context = is_context(spec)
    status = np.full(len(p), "no_target", dtype=object) if context \
        else np.asarray(labels.outlook_statuses(p), dtype=object)
    if not context:
        for i, one in single.items():
            if one.outlook.model == "schedule":
                status[i] = "by_schedule"
    out["outlook_status"] = status
    out["outlook_status_zh"] = [labels.label(s, "zh") for s in status]
    out["outlook_status_en"] = [labels.label(s, "en") for s in status]
    position = {int(r): j for j, r in enumerate(rows)}
    reasons = out["model_reason"].tolist()
    members = out["model_members"].tolist()
    dumps = ["{}"] * len(out)
    models, flags = out["model"].tolist(), out["latest_flag"].tolist()
    median = out["median"].to_numpy(dtype=float)
    ends = np.column_stack([out[c].to_numpy(dtype=float) for c in out.columns
                            if c[:2] in ("lo", "hi") and c[2:].isdigit()])
    pace = _PaceInputs.of(out, data)
    robust = _robust_all(p, by_model)
    choices = Choices.of(look)
    open_lo, open_hi = opened_bounds(ind.bounds, level, model)
    opened = open_lo | open_hi
    judged = [""] * len(out)
    told: list[list[Note]] = [[] for _ in range(len(out))]  # the outlook's own notes
    width = np.column_stack([out[f"{end}{WIDTH_LEVEL}"].to_numpy(dtype=float)
                             if f"{end}{WIDTH_LEVEL}" in out else np.full(len(out), np.nan)
                             for end in ("lo", "hi")])
    for i in range(len(out)):
        mine = notes[i]
        if models[i] == "observed":
            told[i] = [Note("observed_outcome", {"year": spec.target_year})]
        elif i in single:
            one = single[i]
            told[i], reasons[i] = list(one.outlook.notes), one.outlook.reason
            sel = None if one.forecast is None else one.forecast.selection
            members[i] = "+".join(sel.members) if sel else ""
        elif i in position:
            reason, used, told[i] = _outlook_prose(look, choices, position[i], data, i, ind,
                                                   model, level[i], bool(opened[i]))
            reasons[i], members[i] = reason, "+".join(used)
            if flows is not None and used:  # a total from paths (not insufficient data)
                told[i] = [*told[i], flows.note(i)]
        mine.extend(told[i])
        mine.extend(interval_notes(float(median[i]), ends[i].tolist(), ind.bounds))
        mine.extend(flag_notes(flags[i]))
        judged[i], more = _reliability(data, i, spec.target_year, models[i], float(median[i]),
                                       width[i], ind.bounds)
        mine.extend(more)
        if context:  # nothing to compare with a target
            continue
        mine.extend(pace.notes(i, float(median[i]), str(status[i]), spec.target_year))
        q = by_model[i]
        mine.extend(model_dependent_notes(robust[i], p[i], list(q.values())))
        if q:
            dumps[i] = json.dumps({m: round(v, 6) for m, v in q.items()}, sort_keys=True)
    if unjudged is not None:
        notes = [area_rule.unjudged_notes(n) if u else n for n, u in zip(notes, unjudged,
                                                                          strict=True)]
    final = [unique_notes(n) for n in notes]
    out["model_reason"], out["model_members"] = reasons, members
    out["reliability"] = judged
    out["notes_zh"] = [labels.join_notes(n, "zh") for n in final]
    out["notes_en"] = [labels.join_notes(n, "en") for n in final]
    out["notes"] = out["notes_en"]
    out["note_codes"] = [",".join(x.code for x in n) for n in final]
    out["p_meet_text"] = [labels.format_p(x) for x in p]
    out["p_meet_by_model"] = dumps
    out["call_robust"] = pd.array(robust, dtype=column("call_robust").dtype)
    return told, final


def _robust_all(p: np.ndarray, by_model: list[dict[str, float]]) -> list[bool | None]:
    """`notes.call_robust` of every row."""
    names = sorted({m for q in by_model for m in q})
    out: list[bool | None] = [None] * len(p)
    if not names:
        return out
    q = np.array([[d.get(m, np.nan) for m in names] for d in by_model], dtype=float)
    verdict = robust_calls(p, q)
    for i, d in enumerate(by_model):
        if d and not math.isnan(p[i]):
            out[i] = bool(verdict[i])
    return out


@dataclass(frozen=True)
class _PaceInputs:
    """The columns `pace_notes` reads, as plain arrays (row access in pandas is slow)."""

    t: np.ndarray
    t0: np.ndarray
    latest: np.ndarray
    baseline: np.ndarray
    status: list[str | None]
    required: np.ndarray
    fit_from: np.ndarray

    @classmethod
    def of(cls, out: pd.DataFrame, data: Inputs) -> _PaceInputs:
        fit = data.fit
        return cls(out["latest_year"].to_numpy(dtype=float, na_value=np.nan),
                   out["baseline_year"].to_numpy(dtype=float, na_value=np.nan),
                   out["latest_value"].to_numpy(dtype=float),
                   out["baseline_value"].to_numpy(dtype=float),
                   [None if s is None or s is pd.NA else str(s)
                    for s in out["progress_status"].tolist()],
                   out["required_pace"].to_numpy(dtype=float),
                   np.where(fit.n > 0, fit.years[:, 0] if fit.years.size else np.nan, np.nan))

    def notes(self, i: int, median: float, status: str, target_year: int) -> list[Note]:
        """`pace_notes` of row i: why progress and the outlook disagree, when they do."""
        t, t0, first = self.t[i], self.t0[i], self.fit_from[i]
        return pace_notes(None if np.isnan(t) else int(t), None if np.isnan(t0) else int(t0),
                          float(self.latest[i]), float(self.baseline[i]), self.status[i],
                          float(self.required[i]), median, status,
                          None if np.isnan(first) else int(first), target_year)


def _reliability(data: Inputs, i: int, target_year: int, model: str, median: float,
                 width: np.ndarray, bounds: tuple[float | None, float | None]
                 ) -> tuple[str, list[Note]]:
    """`reliability` of row i and its note, from its fit window and its WIDTH_LEVEL %
    interval."""
    n = int(data.fit.n[i])
    years, values = data.fit.years[i, :n].astype(float), data.fit.values[i, :n].astype(float)
    brk, before = data.breaks[i], data.before
    cut = np.isfinite(brk) and before.n[i] > 0 and before.years[i, 0] < brk
    break_year = int(brk) if cut else None
    code = reliability(years, values, target_year, model, median, float(width[0]),
                       float(width[1]), bounds, break_year)
    return code, reliability_notes(code, target_year, years, break_year)


def _window_notes(data: Inputs, i: int) -> list[Note]:
    """`window_notes` of row i."""
    brk, start = data.breaks[i], data.start[i]
    before = data.before
    n = int(before.n[i])
    cut = bool(np.isfinite(start) and n > 0 and before.years[i, 0] < start)
    shift = data.shift[i]
    return window_notes(int(brk) if np.isfinite(brk) else None,
                        int(start) if np.isfinite(start) else None, cut) + level_shift_notes(
        int(shift) if np.isfinite(shift) else None)


@dataclass(frozen=True)
class Choices:
    """`Why` as plain Python lists, one entry per forecast row, for writing the prose row
    by row without numpy scalar access (the reason and caveats of 100,000 rows)."""

    rule: list[str]
    used: list[list[str]]
    listing: list[dict[str, float]]  # finite backtest scores, best first
    n_origins: list[int]
    horizon: list[int]
    top: list[float]  # the largest widening factor of the members
    more: list[bool]  # above the horizon floor somewhere
    lam_logit: list[float]
    flat: list[list[str]]  # members with zero scale (degenerate)
    min_df: list[float]

    @classmethod
    def of(cls, look: BatchOutlook) -> Choices:
        why = look.why
        assert why is not None
        used_mask = _used(why)
        names = np.array(BATCH_MODELS, dtype=object)
        used = [list(names[row[row >= 0]]) for row in why.order]
        scores, ranked = why.scores.tolist(), why.ranked.tolist()
        listing = [{BATCH_MODELS[k]: sc[k] for k in rk if math.isfinite(sc[k])}
                   for sc, rk in zip(scores, ranked, strict=True)]
        h = np.arange(why.widen.shape[2])
        inside = used_mask[:, :, None] & (h[None, None, :] < why.n_ahead[:, None, None])
        w = np.where(inside, why.widen, 1.0)
        top = w.max(axis=(1, 2)) if w.size else np.ones(len(used_mask))
        more: np.ndarray = np.any(beyond_floor(w), axis=1)
        zero = np.column_stack([m.scale == 0 for m in why.members]) & used_mask
        df = np.column_stack([m.df for m in why.members])
        min_df = np.where(used_mask, df, np.inf).min(axis=1)
        return cls(list(why.rule), used, listing, why.n_origins.astype(int).tolist(),
                   why.horizon.astype(int).tolist(), top.tolist(), more.tolist(),
                   why.lam[:, BATCH_MODELS.index("logit")].tolist(),
                   [[m for m in u if z[INDEX[m]]] for u, z in zip(used, zero.tolist(),
                                                                  strict=True)],
                   min_df.tolist())

    def widened(self, j: int) -> str:
        """`widening_note` of row j's members."""
        return widening_text(self.top[j], self.more[j]) if self.top[j] > 1 else ""


INDEX = {m: k for k, m in enumerate(BATCH_MODELS)}


def _used(why: Why) -> np.ndarray:
    """(S, K) which models each row's combination uses."""
    used = np.zeros(why.widen.shape[:2], dtype=bool)
    for j in range(why.order.shape[1]):
        ok = why.order[:, j] >= 0
        used[np.flatnonzero(ok), why.order[ok, j]] = True
    return used


def _outlook_prose(look: BatchOutlook, choices: Choices, j: int, data: Inputs, i: int,
                   ind: Indicator, model: str, level: float, opened: bool
                   ) -> tuple[str, list[str], list[Note]]:
    """(reason, members, outlook notes) of row i, forecast j of `look`, as `outlook`."""
    fit = data.fit
    n = int(fit.n[i])
    notes = _window_notes(data, i)
    if n < 2:
        return "insufficient data", [], [*notes, Note("insufficient_data", {"n": n})]
    if model != "auto":
        notes.extend(fallback_notes(model, _eligible_names(fit, i, ind)))
    notes.extend(target_on_bound_notes(opened, level))
    rule = choices.rule[j]
    if rule == "point":
        name = str(look.model[j])
        return (point_reason(int(fit.years[i, 0]), int(fit.years[i, 1])), [name],
                [*notes, Note("point_only")])
    used = choices.used[j]
    reason = _reason(choices, j, rule, n, float(fit.values[i, n - 1]), used, model)
    notes.extend(_caveats(choices, j))
    return reason, used, notes


def _eligible_names(fit: Panel, i: int, ind: Indicator) -> list[str]:
    """`eligible_models` of row i's fit window with the indicator's own bounds."""
    n = int(fit.n[i])
    return eligible_models(fit.values[i, :n], ind.bounds, years=fit.years[i, :n])


def _reason(choices: Choices, j: int, rule: str, n: int, last: float, used: list[str],
            model: str) -> str:
    """The prose of how row j's model was chosen (`selection.reason_of`, as `forecast`
    writes it)."""
    return reason_of(rule, n, last, model, choices.listing[j], used, choices.n_origins[j],
                     choices.horizon[j], choices.widened(j), choices.lam_logit[j])


def _caveats(choices: Choices, j: int) -> list[Note]:
    """`forecast`'s caveats that the evaluation keeps: degenerate members, few df."""
    return [Note(code, params) for code, params in member_caveats(choices.flat[j],
                                                                 choices.min_df[j])]
