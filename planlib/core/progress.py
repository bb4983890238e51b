"""Progress to date (DESIGN.md §3): "time half gone, task half done?" (时间过半、任务过半).

Every target kind is first turned into an *equivalent level* at the target year, so one
set of formulas serves all kinds. The level is the kind's own rule, in its module of
`core.targets` (flows with a cumulative target are tracked as the running total of
additions since t0, so b = 0).

With baseline b at t0, equivalent level v at T and the latest value y at t:
schedule share s = (t − t0)/(T − t0); progress share p = (y − b)/(v − b); progress ratio
r = p/s; required pace (v − y)/(T − t); recent pace = mean annual change over the last (up
to) five years, from the baseline when it lies inside them (a spike before the baseline is
not measured across) and never across a declared break (`pace_window_start`);
acceleration needed = required/recent; Eurostat growth ratio
R = direction·CAGR_observed/|CAGR_required|.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from planlib.core.labels import Note
from planlib.core.targets.registry import kind_of

STATUSES = ("achieved", "ahead", "on_schedule", "behind", "moving_away")
DEFAULT_CUTOFFS = {"ahead": 1.2, "on_schedule": 0.95, "behind": 0.0}
RECENT_YEARS = 5


@dataclass(frozen=True)
class TargetSpec:
    """A target as the formulas need it: no names, no files."""

    kind: str
    value: float
    target_year: int
    baseline_year: int
    direction: int  # +1 higher is better, -1 lower is better
    measure: str = "stock"  # stock | flow
    baseline_value: float | None = None

    @property
    def at_least(self) -> bool:
        """True when meeting the target means ending at or above the level."""
        return self.direction > 0


@dataclass(frozen=True)
class Progress:
    """Progress to date of one indicator, with notes on every assumption made."""

    baseline_year: int | None
    baseline_value: float
    target_level: float
    latest_year: int | None
    latest_value: float
    schedule_share: float
    progress_share: float
    progress_ratio: float
    status: str | None
    required_pace: float
    recent_pace: float
    acceleration_needed: float
    growth_ratio: float
    notes: list[Note] = field(default_factory=list)


def progress_row(cols: dict[str, np.ndarray], i: int, notes: list[Note] | None = None
                 ) -> Progress:
    """Row i of the panel's progress columns (`batch_progress`) as one `Progress`."""
    def year(x: float) -> int | None:
        return None if x is None or np.isnan(x) else int(x)

    status = cols["progress_status"][i]
    return Progress(
        baseline_year=year(cols["baseline_year"][i]),
        baseline_value=float(cols["baseline_value"][i]),
        target_level=float(cols["target_value"][i]), latest_year=year(cols["latest_year"][i]),
        latest_value=float(cols["latest_value"][i]),
        schedule_share=float(cols["schedule_share"][i]),
        progress_share=float(cols["progress_share"][i]),
        progress_ratio=float(cols["progress_ratio"][i]),
        status=None if status is None else str(status),
        required_pace=float(cols["required_pace"][i]), recent_pace=float(cols["recent_pace"][i]),
        acceleration_needed=float(cols["acceleration_needed"][i]),
        growth_ratio=float(cols["growth_ratio"][i]), notes=list(notes or []))


def flow_levels(years: np.ndarray, values: np.ndarray, n: np.ndarray, baseline_year: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The panel progress measures a flow on, per row of (S, N) years and values sorted by
    year (`n` per row): 0 at the baseline year, then the running sum of the additions after
    it, left-aligned with zero padding (years, values, n)."""
    width = years.shape[1]
    keep = (np.arange(width)[None, :] < n[:, None]) & (years > baseline_year)
    kept = keep.sum(axis=1)
    order = np.argsort(~keep, axis=1, kind="stable")  # kept columns first, in year order
    rows = np.arange(len(n))[:, None]
    inside = np.arange(width)[None, :] < kept[:, None]
    running = np.cumsum(np.where(inside, values[rows, order], 0.0), axis=1)
    return (np.column_stack([np.full(len(n), float(baseline_year)),
                             np.where(inside, years[rows, order], 0.0)]),
            np.column_stack([np.zeros(len(n)), np.where(inside, running, 0.0)]),
            (kept + 1).astype(np.int64))


def running_additions(years: np.ndarray, values: np.ndarray, valid: np.ndarray,
                      baseline_year: int) -> np.ndarray:
    """A flow's observed years on the target's scale, per row of (S, N) years and values:
    NaN before the baseline year, 0 in it, the running sum of the additions after it."""
    after = valid & (years > baseline_year)
    running = np.cumsum(np.where(after, values, 0.0), axis=1)
    return np.where(after, running, np.where(years == baseline_year, 0.0, np.nan))


def progress_notes(spec: TargetSpec, t0: int | None, t: int | None, b: float, v: float,
                   pace_from: int | None) -> list[Note]:
    """Progress's notes from plain values (baseline year `t0` found, latest year `t`, None
    when missing): the baseline used, no data after it, met at the baseline, a recent pace
    measured from a definitional break."""
    notes: list[Note] = []
    if spec.baseline_value is None and t0 != spec.baseline_year:
        if t0 is None:
            notes.append(Note("no_baseline", {"t0": spec.baseline_year}))
        else:
            notes.append(Note("baseline_from_earlier_year",
                              {"t0": spec.baseline_year, "year": t0}))
    if t0 is None or t is None or t <= t0:
        if t0 is not None and t is not None:
            notes.append(Note("no_progress_data"))
        return notes
    if spec.direction * (v - b) <= 0:
        notes.append(Note("met_at_baseline"))
    if pace_from is not None and pace_from > t - RECENT_YEARS:
        notes.append(Note("pace_from_break", {"year": pace_from}))
    return notes


def target_level(spec: TargetSpec, baseline: float, value: float | None = None) -> float:
    """The level at the target year that is equivalent to the target (its kind's rule,
    `core.targets`): `target_levels` on one row."""
    row = None if value is None else np.array([value], dtype=np.float64)
    return float(target_levels(spec, np.array([baseline], dtype=np.float64), row)[0])


def pace_window_start(latest_year: np.ndarray | float, baseline_year: np.ndarray | float,
                      since: np.ndarray | float) -> np.ndarray:
    """First year the recent pace may use, per row: the last RECENT_YEARS years before the
    latest one, cut at the baseline when it lies inside them and at the last declared break
    (NaN baseline or break: no cut). One rule for levels and flows."""
    cuts = (np.asarray(latest_year, dtype=float) - RECENT_YEARS,
            np.nan_to_num(np.asarray(baseline_year, dtype=float), nan=-np.inf),
            np.nan_to_num(np.asarray(since, dtype=float), nan=-np.inf))
    return np.maximum.reduce(np.broadcast_arrays(*cuts))


def recent_additions(years: np.ndarray, values: np.ndarray, n: np.ndarray,
                     latest_year: np.ndarray, baseline_year: int, since: np.ndarray
                     ) -> np.ndarray:
    """Mean yearly addition of a flow per row of (S, N) years and values over the last (up
    to) RECENT_YEARS years up to its latest year, after `pace_window_start` (additions are
    counted after the baseline year) and from the last break `since` (NaN when none)."""
    start = pace_window_start(latest_year, baseline_year, -np.inf)
    inside = ((np.arange(years.shape[1])[None, :] < n[:, None]) & (years >= since[:, None])
              & (years > (latest_year - RECENT_YEARS)[:, None]) & (years > start[:, None])
              & (years <= latest_year[:, None]))
    count = inside.sum(axis=1)
    window = values[np.arange(len(n))[:, None], np.argsort(~inside, axis=1, kind="stable")]
    out = np.full(len(n), np.nan)
    for c in np.unique(count[count > 0]):  # the window's mean, as numpy takes one row's
        rows = np.flatnonzero(count == c)
        out[rows] = np.mean(window[rows, :c], axis=1)
    return out


#: Relative tolerance of "met": equal to the target up to rounding counts as met, at any
#: scale (an absolute 1e-12 called 1.7e-13 against a target of 5e-13 met).
MET_RTOL = 1e-9


def met_mask(value: np.ndarray, level: np.ndarray | float, direction: int | np.ndarray
             ) -> np.ndarray:
    """Where ``value`` is on the right side of ``level`` (ties up to MET_RTOL of the
    larger magnitude count as met); NaN is never met."""
    scale = np.maximum(np.abs(value), np.abs(level))
    return np.asarray(direction * (value - level) >= -MET_RTOL * scale)


def is_met(value: float, level: float, direction: int) -> bool:
    """True when ``value`` is on the right side of ``level`` (see :func:`met_mask`)."""
    return bool(met_mask(np.asarray(value, dtype=float), level, direction))


def progress(
    years: np.ndarray, values: np.ndarray, spec: TargetSpec, *,
    as_of: int, cutoffs: dict[str, float] | None = None, pace_from: int | None = None,
) -> Progress:
    """Progress to date of one series against one target, using data up to ``as_of − 1``
    (and no later than the target year): `batch_progress` on a panel of one row.
    ``pace_from`` (a definitional break) keeps the recent pace from measuring a change of
    definition as a change of the indicator."""
    years = np.asarray(years, dtype="int64")
    values = np.asarray(values, dtype="float64")
    order = np.argsort(years, kind="stable")
    keep = years[order] <= min(as_of - 1, spec.target_year)
    years, values = years[order][keep], values[order][keep]
    n = np.array([len(years)])
    grid_years, grid_values = (years.astype(float)[None, :], values[None, :]) if len(years) \
        else (np.zeros((1, 1)), np.zeros((1, 1)))  # no data: a grid of width one
    since = -math.inf if pace_from is None else pace_from
    recent = None
    if spec.measure == "flow":
        raw_years, raw_values, raw_n = grid_years, grid_values, n
        grid_years, grid_values, n = flow_levels(raw_years, raw_values, raw_n,
                                                 spec.baseline_year)
        recent = recent_additions(raw_years, raw_values, raw_n, grid_years[:, n[0] - 1],
                                  spec.baseline_year, np.array([float(since)]))
    cols = batch_progress(grid_years, grid_values, n, spec, cutoffs=cutoffs,
                          pace_from=np.array([since]), recent=recent)
    one = {name: float(col[0]) for name, col in cols.items() if name != "progress_status"}
    t0 = None if math.isnan(one["baseline_year"]) else int(one["baseline_year"])
    t = None if math.isnan(one["latest_year"]) else int(one["latest_year"])
    b, v = one["baseline_value"], one["target_value"]
    return Progress(
        t0, b, v, t, one["latest_value"], one["schedule_share"], one["progress_share"],
        one["progress_ratio"], cols["progress_status"][0], one["required_pace"],
        one["recent_pace"], one["acceleration_needed"], one["growth_ratio"],
        progress_notes(spec, t0, t, b, v, pace_from))


def _last(matrix: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The entry of `matrix` in each row's last observed column (NaN when n = 0)."""
    out = matrix[np.arange(len(n)), np.maximum(n - 1, 0)].astype(float)
    return np.where(n > 0, out, np.nan)


def baselines(years: np.ndarray, values: np.ndarray, n: np.ndarray, spec: TargetSpec
              ) -> tuple[np.ndarray, np.ndarray]:
    """Baseline year and value per row of a padded panel (NaN when none): the plan's
    value, else the observation in the baseline year, else the nearest earlier one."""
    s = len(n)
    t0 = spec.baseline_year
    if spec.baseline_value is not None:
        return np.full(s, float(t0)), np.full(s, float(spec.baseline_value))
    valid = np.arange(years.shape[1])[None, :] < n[:, None]
    at = valid & (years == t0)
    before = valid & (years < t0)
    last_before = np.maximum(before.sum(axis=1) - 1, 0)
    rows = np.arange(s)
    has_at, has_before = at.any(axis=1), before.any(axis=1)
    year = np.where(has_at, float(t0), np.where(has_before, years[rows, last_before], np.nan))
    exact = np.sum(np.where(at, values, 0.0), axis=1)
    value = np.where(has_at, exact, np.where(has_before, values[rows, last_before], np.nan))
    return year, value


def target_levels(spec: TargetSpec, baseline: np.ndarray, value: np.ndarray | None = None
                  ) -> np.ndarray:
    """The level at the target year equivalent to the target, per row: its kind's rule
    (`core.targets`); ``value``: each row's own target value (an area's), the spec's when
    None."""
    v = spec.value if value is None else value
    level = kind_of(spec.kind).level(baseline, v, spec.target_year - spec.baseline_year,
                                     spec.measure)
    return np.broadcast_to(np.asarray(level, dtype=np.float64), baseline.shape).copy()


def classify(ratio: np.ndarray, met: np.ndarray, cutoffs: dict[str, float] | None
                 ) -> np.ndarray:
    """Progress status per row (None where the ratio is NaN and the target is not met):
    ``achieved`` when met, else by the cut-offs on the ratio rounded to 9 decimals
    (0.48/0.4 is 1.1999999999999997: on the cut-off, not below it)."""
    c = {**DEFAULT_CUTOFFS, **(cutoffs or {})}
    r = np.round(ratio, 9)
    with np.errstate(invalid="ignore"):
        status = np.select(
            [met, np.isnan(r), r >= c["ahead"], r >= c["on_schedule"], r >= c["behind"]],
            ["achieved", "", "ahead", "on_schedule", "behind"], "moving_away")
    out = status.astype(object)
    out[status == ""] = None
    return out


def recent_paces(years: np.ndarray, values: np.ndarray, n: np.ndarray, since: np.ndarray,
                 baseline_year: np.ndarray | None = None) -> np.ndarray:
    """Mean yearly change from `pace_window_start` (the last RECENT_YEARS years, from the
    baseline and the break `since` when inside them) to the latest value, per row of a level
    panel (gaps allowed; NaN with fewer than two points)."""
    rows = np.arange(len(n))
    last = np.maximum(n - 1, 0)
    t, y = years[rows, last], values[rows, last]
    valid = np.arange(years.shape[1])[None, :] < n[:, None]
    t0 = np.full(len(n), np.nan) if baseline_year is None else baseline_year
    inside = valid & (years >= pace_window_start(t, t0, since)[:, None])
    count = inside.sum(axis=1)
    first = np.argmax(inside, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = (y - values[rows, first]) / (t - years[rows, first])
    return np.where(count >= 2, pace, np.nan)


#: The progress columns `batch_progress` gives, in table order (the schema's names).
PROGRESS_COLUMNS = ("baseline_year", "baseline_value", "target_value", "latest_year",
                    "latest_value", "schedule_share", "progress_share", "progress_ratio",
                    "progress_status", "required_pace", "recent_pace", "acceleration_needed",
                    "growth_ratio")


def batch_progress(years: np.ndarray, values: np.ndarray, n: np.ndarray, spec: TargetSpec, *,
                   cutoffs: dict[str, float] | None = None,
                   pace_from: np.ndarray | None = None, recent: np.ndarray | None = None,
                   value: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Progress columns of the evaluation table for every row of a padded (S, N) level
    panel (`n` observations per row, sorted by year, up to min(as_of - 1, target year)):
    the formulas of the module docstring, written once. `pace_from` is each row's last
    definitional break (-inf or NaN when none); `recent` replaces the recent pace (flows:
    the mean yearly addition); `value` each row's own target value (the spec's when None)."""
    s = len(n)
    since = np.full(s, -np.inf) if pace_from is None else np.nan_to_num(pace_from, nan=-np.inf)
    t0, b = baselines(years, values, n, spec)
    v = target_levels(spec, b, value)
    t, y = _last(years, n), _last(values, n)
    ok = ~np.isnan(t0) & (n > 0) & (t > t0)
    big_t, d = spec.target_year, spec.direction
    nan = np.full(s, np.nan)
    share = (t - spec.baseline_year) / (big_t - spec.baseline_year)
    met = met_mask(y, v, d)
    flat = d * (v - b) <= 0  # nothing to gain from the baseline: met at it, or equal
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(flat, np.nan, (y - b) / (v - b))
        r = np.where(flat | ~(share > 0), np.nan, p / share)
    status = classify(r, met, cutoffs)
    status[flat] = np.where(met[flat], "achieved", "moving_away")
    with np.errstate(invalid="ignore", divide="ignore"):
        required = np.where(big_t > t, (v - y) / (big_t - t), np.nan)
        if recent is None:
            recent = recent_paces(years, values, n, since, t0)
        accel = np.where((recent != 0) & ~np.isnan(recent), required / recent, np.nan)
        growth = nan if spec.measure == "flow" else growth_ratios(b, y, v, t0, t, big_t, d)
    status[~ok] = None
    cols = {
        "baseline_year": t0, "baseline_value": b, "target_value": v,
        "latest_year": t, "latest_value": y,
        "schedule_share": np.where(ok, share, nan), "progress_share": np.where(ok, p, nan),
        "progress_ratio": np.where(ok, r, nan), "progress_status": status,
        "required_pace": np.where(ok, required, nan), "recent_pace": np.where(ok, recent, nan),
        "acceleration_needed": np.where(ok, accel, nan),
        "growth_ratio": np.where(ok, growth, nan),
    }
    return {name: cols[name] for name in PROGRESS_COLUMNS}


def growth_ratios(b: np.ndarray, y: np.ndarray, v: np.ndarray, t0: np.ndarray, t: np.ndarray,
                  big_t: int, d: int) -> np.ndarray:
    """Eurostat-style ratio of observed to required compound growth per row (NaN where
    undefined: a value <= 0, no time elapsed, or no growth required)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = (np.minimum(np.minimum(b, y), v) > 0) & (t > t0) & (big_t > t0)
        observed = (y / b) ** (1 / (t - t0)) - 1
        required = (v / b) ** (1 / (big_t - t0)) - 1
        return np.where(usable & (required != 0), d * observed / np.abs(required), np.nan)
