"""Which notes a row of the evaluation gets, and why: one function of plain values per
rule, called once for any number of rows by the evaluation's one path (`batch.rows`).

The words of every note live in `labels.NOTES`; here only the rules that pick them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from planlib.core import labels
from planlib.core.labels import Note

#: P(met) of a single model within this distance of the combination's still counts as
#: the same call (issue #6: "within 0.15 of the combination").
ROBUST_TOLERANCE = 0.15

#: The note said about the latest observation's flag.
FLAG_NOTES = {"lower_bound": "latest_lower_bound", "derived": "latest_derived",
              "provisional": "latest_provisional"}

Bounds = tuple[float | None, float | None]


def flag_notes(flag: str) -> list[Note]:
    """The note on the latest observation's flag (lower bound, derived, provisional)."""
    return [Note(FLAG_NOTES[flag])] if flag in FLAG_NOTES else []


def window_notes(brk: int | None, start: int | None, cut: bool) -> list[Note]:
    """The fit window's note: it starts at the last break `brk` or at fit_from (`start`,
    the later of the two, when it `cut` earlier observations), or a break is noted."""
    if start is not None and cut:
        if brk is not None and start == brk:
            return [Note("break_fit", {"year": start})]
        return [Note("fit_from", {"year": start})]
    if brk is not None:
        return [Note("break_fit", {"year": brk})]
    return []


def level_shift_notes(year: int | None) -> list[Note]:
    """The note of a fit window started at an undeclared level shift
    (`models.level_shifts.last_shift`)."""
    return [] if year is None else [Note("level_shift_fit", {"year": year})]


def fallback_notes(model: str, eligible: Sequence[str]) -> list[Note]:
    """A requested model that does not apply to the fit window: auto is used instead."""
    if model != "auto" and eligible and model not in eligible:
        return [Note("model_fallback", {"model": model, "eligible": ", ".join(eligible)})]
    return []


def opened_bounds(bounds: Bounds, level: np.ndarray, model: str
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per row, whether the lower and the upper bound are opened for fitting: ``auto``
    opens the bound a target lies *on* (coverage 100 %), because a logit path never
    reaches its bound and would give P(met) = 0 (the upper only when not also the lower)."""
    lo, hi = (math.nan if b is None else float(b) for b in bounds)
    level = np.asarray(level, dtype=float)
    if model != "auto":
        none = np.zeros(level.shape, dtype=bool)
        return none, none.copy()
    return level == lo, (level == hi) & (level != lo)


def target_on_bound_notes(opened: bool, level: float) -> list[Note]:
    """The note of a bound opened for the target level (`opened_bounds`)."""
    return [Note("target_on_bound", {"level": f"{level:g}"})] if opened else []


def observed_reason(target_year: int) -> str:
    """The model reason of a target year already observed."""
    return f"the target year {target_year} is observed"


def _pace(x: float) -> str:
    """A pace per year as printed in a note: signed, 3 significant figures."""
    return f"{x:+,.0f}" if abs(x) >= 1000 else f"{x:+.3g}"


def pace_notes(t: int | None, t0: int | None, latest: float, baseline: float,
               progress_status: str | None, required: float, median: float, status: str,
               fit_from: int | None, target_year: int) -> list[Note]:
    """Why progress and outlook disagree, when they do: the pace since the baseline against
    the pace the fitted trend implies to the target year."""
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


def interval_notes(median: float, ends: list[float], bounds: Bounds) -> list[Note]:
    """An interval collapsed on a bound is said to lie at the bound, not to be zero-width;
    else a median on a bound is said to be there."""
    for bound in bounds:
        if bound is None or math.isnan(median):
            continue
        if ends and all(e == bound for e in ends):
            return [Note("interval_at_bound", {"bound": f"{bound:g}"})]
        if median == bound:
            return [Note("median_at_bound", {"bound": f"{bound:g}"})]
    return []


def robust_calls(p: np.ndarray, by_model: np.ndarray) -> np.ndarray:
    """Per row, True when every single model's P(met) (`by_model`, (S, M), NaN where a
    model does not apply) lies in the combination's band or within ROBUST_TOLERANCE of it.
    Rows without a probability or without any model are the caller's None."""
    band = labels.outlook_statuses(p)
    bands = labels.outlook_statuses(by_model.ravel()).reshape(by_model.shape)
    with np.errstate(invalid="ignore"):
        ok = (bands == band[:, None]) | (np.abs(by_model - p[:, None]) <= ROBUST_TOLERANCE) \
            | np.isnan(by_model)
    return ok.all(axis=1)


def call_robust(p: float, by_model: dict[str, float]) -> bool | None:
    """`robust_calls` of one row; None when there is no probability to judge."""
    if math.isnan(p) or not by_model:
        return None
    q = np.array([list(by_model.values())], dtype=float)
    return bool(robust_calls(np.array([p]), q)[0])


def model_dependent_notes(robust: bool | None, p: float, by_model: Sequence[float]
                          ) -> list[Note]:
    """The call depends on the model: the range of P(met) across the models."""
    if robust is not False:
        return []
    vals = [p, *by_model]
    return [Note("model_dependent", {"low": labels.format_p(min(vals)),
                                     "high": labels.format_p(max(vals))})]
