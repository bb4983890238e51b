"""Flow indicators with a cumulative target (yearly additions against a total over the
plan) on the panel path: progress on the running additions since the baseline, and the
outlook of the total from the joint sample paths of every row (`models.paths`, the rule
of the per-series forecast too, with the same per-(indicator, region) seeds).

Each row's members are fitted by the per-series fit functions from the choice the panel
made (`auto.Why`: members, widening per horizon), so a row's paths are the per-series
forecast's paths, bit for bit. Rows this module cannot draw -- a point path (n = 2), a
logit chosen by parsimony near a bound, a damped member whose fit fails -- are left to
the caller (`rows.indicator_rows`), which asks the per-row model function for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from planlib.core.models.base import Bounds, Fit, clean_bounds
from planlib.core.models.count_scale import count_fits
from planlib.core.models.ets import ETSFitError
from planlib.core.models.paths import N_PATHS, joint_paths, total_outlook
from planlib.core.models.predictive import Predictive
from planlib.core.models.registry import SPECS
from planlib.core.models.selection import fit_single
from planlib.core.progress import TargetSpec, flow_levels, running_additions
from planlib.core.series import derive_seed
from planlib.core.targets.registry import flow_total

from .auto import BatchOutlook, Why
from .fits import BATCH_MODELS
from .panel import Panel

#: The rules of `auto.Why` whose rows this module draws paths for.
DRAWN = ("parsimony", "backtest", "hedge", "requested")


def is_cumulative_flow(spec: TargetSpec) -> bool:
    """Flow data (additions per year) judged on their total: joint paths needed (the
    kind registry's rule, `registry.flow_total`)."""
    return flow_total(spec.kind, spec.measure)


def flow_level_panel(seen: Panel, baseline_year: int) -> Panel:
    """The panel progress is measured on (`progress.flow_levels`): 0 at the baseline year,
    then the running sum of the additions after it."""
    years, values, n = flow_levels(seen.years, seen.values, seen.n, baseline_year)
    return Panel(seen.keys, years, values, n)


def flow_history(seen: Panel, baseline_year: int) -> Panel:
    """The observed years on the target's scale (`progress.running_additions`)."""
    return Panel(seen.keys, seen.years,
                 running_additions(seen.years, seen.values, seen.valid, baseline_year), seen.n)


def _member_fits(fit: Panel, rows: np.ndarray, model: str, target_year: int,
                 bounds: Bounds) -> list[Fit] | None:
    """The per-series fit of `model` to each of `rows` (equal n and last year), as
    `models.forecast` fits one series: many at once where the model has such a fit
    (`ModelSpec.many_fits`), else row by row (None when a damped fit fails)."""
    n = int(fit.n[rows[0]])
    years = fit.years[rows, :n].astype(np.int64)
    values = fit.values[rows, :n]
    future = years[:, -1:] + np.arange(1, target_year - years[0, -1] + 1)[None, :]
    many = SPECS[model].many_fits()
    if many is not None:
        return list(many(years, values, future, bounds))
    try:
        return [fit_single(model, years[i], values[i], future[i], bounds)
                for i in range(len(rows))]
    except ETSFitError:
        return None


def _predictives(fit: Panel, rows: np.ndarray, why: Why, todo: np.ndarray, lo: np.ndarray,
                 hi: np.ndarray, target_year: int, count: bool) -> dict[int, Predictive]:
    """Each drawn row's distribution over its future years (keyed by its position j in
    `rows`): its members fitted, widened and put on a count's scale as `models.forecast`
    does for one series; rows sharing a model, length, last year and bounds fitted at
    once. A row whose damped fit fails is left out."""
    groups: dict[tuple[str, int, float, Bounds], list[int]] = {}
    members = {int(j): [BATCH_MODELS[k] for k in why.order[j] if k >= 0]
               for j in np.flatnonzero(todo)}
    last = fit.last(fit.years)
    for j, names in members.items():
        i = rows[j]
        for m in names:
            key = (m, int(fit.n[i]), float(last[i]), _bounds(float(lo[j]), float(hi[j])))
            groups.setdefault(key, []).append(j)
    fitted: dict[tuple[int, str], Fit] = {}
    failed: set[int] = set()
    for (m, _, _, bounds), js in groups.items():
        many = _member_fits(fit, rows[js], m, target_year, bounds)
        if many is None:
            failed.update(js)
            continue
        k = BATCH_MODELS.index(m)
        widened = [f.widened(why.widen[j, k, : f.center.size]) for f, j in zip(many, js,
                                                                                strict=True)]
        if count:
            widened = count_fits(widened, bounds)
        fitted.update({(j, m): f for f, j in zip(widened, js, strict=True)})
    return {j: Predictive(tuple(fitted[j, m] for m in names), _bounds(float(lo[j]),
                                                                       float(hi[j])))
            for j, names in members.items() if j not in failed}


def _bounds(lo: float, hi: float) -> Bounds:
    """Model bounds from NaN-open floats."""
    return clean_bounds((None if np.isnan(lo) else lo, None if np.isnan(hi) else hi))


def flow_outlook(fit: Panel, rows: np.ndarray, look: BatchOutlook, lo: np.ndarray,
                 hi: np.ndarray, *, target_year: int, count: bool, done: np.ndarray,
                 value: np.ndarray, levels: Sequence[int], seed: int, ident: str
                 ) -> tuple[BatchOutlook, np.ndarray]:
    """`look` (the panel's choice for fit rows `rows`) with the outlook of the total in
    place of the target-year level: median and intervals of done + the sum of the future
    additions, P(total >= value) -- and a mask of the rows drawn (the others stay the
    caller's). `lo`, `hi`, `done`, `value` are per row of `look`."""
    why = look.why
    assert why is not None
    s = len(rows)
    median, p = np.full(s, np.nan), np.full(s, np.nan)
    lower = {lv: np.full(s, np.nan) for lv in levels}
    upper = {lv: np.full(s, np.nan) for lv in levels}
    todo = np.isin(why.rule, DRAWN)
    ok = todo | (why.rule == "none")  # a point path, logit by parsimony: per series
    built = _predictives(fit, rows, why, todo, lo, hi, target_year, count)
    ok[[j for j in np.flatnonzero(todo) if j not in built]] = False
    where = sorted(built)
    dists = [built[j] for j in where]
    seeds = [derive_seed(seed, ident, str(fit.keys[rows[j]])) for j in where]
    at = np.array(where, dtype=np.int64)
    for part, paths in joint_paths(dists, seeds, N_PATHS):
        r = at[part]
        m, lo_q, hi_q, pr = total_outlook(paths.sum(axis=2), done[r], value[r], levels)
        median[r], p[r] = m, pr
        for lv in levels:
            lower[lv][r], upper[lv][r] = lo_q[lv], hi_q[lv]
    return BatchOutlook(look.model, median, lower, upper, p, why), ok
