"""Can this history be projected reliably to the target year? (issue #17 item 5)

An interval is honest but useless when it says "0 to 29,158" for a count now at 19,870.
Rather than hand a planner such an interval, the table says that the indicator "cannot be
projected reliably to <year> from this history", and why -- one code per row in the
``reliability`` column and a note with its words, read by the report and by
``planlib propose`` (which then leaves p50/p80/p90 empty). The rule, first reason found:

* ``break`` -- a declared break leaves too few points after it (the few-points rule on
  the window that starts at the break);
* ``few_points`` -- fewer than MIN_POINTS values in the fit window, or a target further
  ahead than MAX_REACH × the years those values span (projecting five years from four);
* ``regime_change`` -- the trend reversed: the mean change over the last REVERSAL_WINDOW
  years and the mean change before them have opposite signs and each is at least
  REVERSAL_SHARE of the series' mean absolute yearly change (a real turn, not noise). A
  trend model extrapolates one of the two regimes; the cohort model, which follows a
  driver that explains the turn (births), is exempt;
* ``too_wide`` -- the central WIDTH_LEVEL % interval at the target year is wider than
  MAX_WIDTH_LEVEL × the level projected there (its median: for a count, "from near zero
  to double"; for a cumulative target, of the total), or, for a rate bounded on both
  sides, than MAX_WIDTH_RANGE of its range.

``reliable`` otherwise; empty where there is no projection to judge (the target year
observed, insufficient data, a project judged by its schedule). Thresholds are judgement,
named here and nowhere else; they were set before looking at the shipped plans' rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from planlib.core.labels import Note

Bounds = tuple[float | None, float | None]

#: Fewest values in the fit window for a projection a planner can set a target from.
MIN_POINTS = 5
#: The target may lie at most this many times the fit window's span of years ahead.
MAX_REACH = 1.0
#: The recent regime: the last this many yearly changes.
REVERSAL_WINDOW = 3
#: A reversal counts when both regimes' mean changes reach this share of the mean |change|.
REVERSAL_SHARE = 0.5
#: The interval judged for width, and the widest it may be: × the projected level …
WIDTH_LEVEL = 80
MAX_WIDTH_LEVEL = 1.0
#: … or, for a rate bounded on both sides, this share of its range.
MAX_WIDTH_RANGE = 0.5

#: Every code of the ``reliability`` column ("" where nothing is projected).
CODES = ("reliable", "break", "few_points", "regime_change", "too_wide")
#: The models whose rows have no projection to judge.
NOT_PROJECTED = ("observed", "schedule", "insufficient data")


def reliability(years: np.ndarray, values: np.ndarray, target_year: int, model: str,
                median: float, lo: float, hi: float, bounds: Bounds,
                break_year: int | None) -> str:
    """The code of one row (module doc): `years`/`values` the fitted values (as
    published), `median`/`lo`/`hi` the projection and its WIDTH_LEVEL % interval at
    `target_year` (NaN where none), `break_year` the declared break that cut earlier
    values from the fit window (None if none did)."""
    if model in NOT_PROJECTED or math.isnan(median) or len(years) < 2:
        return ""
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    if few_points(years, target_year):
        return "break" if break_year is not None else "few_points"
    if model != "cohort" and reversed_trend(years, values):
        return "regime_change"
    if too_wide(median, lo, hi, bounds):
        return "too_wide"
    return "reliable"


def few_points(years: np.ndarray, target_year: int) -> bool:
    """Fewer than MIN_POINTS values, or the target beyond MAX_REACH × their span."""
    span = float(years[-1] - years[0])
    return len(years) < MIN_POINTS or target_year - years[-1] > MAX_REACH * span


def reversed_trend(years: np.ndarray, values: np.ndarray) -> bool:
    """The mean yearly change of the last REVERSAL_WINDOW changes and that of the changes
    before them differ in sign, both at least REVERSAL_SHARE of the mean |change|."""
    changes = np.diff(values) / np.diff(years)
    if len(changes) < REVERSAL_WINDOW + 2:
        return False
    recent, earlier = changes[-REVERSAL_WINDOW:].mean(), changes[:-REVERSAL_WINDOW].mean()
    floor = REVERSAL_SHARE * float(np.mean(np.abs(changes)))
    return bool(recent * earlier < 0 and min(abs(recent), abs(earlier)) >= floor > 0)


def too_wide(level: float, lo: float, hi: float, bounds: Bounds) -> bool:
    """The interval wider than MAX_WIDTH_LEVEL × |level| (the projected median), or
    MAX_WIDTH_RANGE of a two-sided range."""
    if math.isnan(lo) or math.isnan(hi):
        return False
    width = hi - lo
    low, high = bounds
    if low is not None and high is not None:
        return width > MAX_WIDTH_RANGE * (high - low)
    return width > MAX_WIDTH_LEVEL * abs(level)


#: Each code in words (the reason column of targets.csv; the notes say it in full).
WORDS: dict[str, dict[str, str]] = {
    "": {"zh": "", "en": ""},
    "reliable": {"zh": "可靠", "en": "reliable"},
    "few_points": {"zh": "无法可靠预测：数据点过少",
                   "en": "cannot be projected reliably: few points"},
    "break": {"zh": "无法可靠预测：统计口径调整后数据过少",
              "en": "cannot be projected reliably: few points since a declared break"},
    "regime_change": {"zh": "无法可靠预测：趋势转折", "en":
                      "cannot be projected reliably: the trend reversed (regime change)"},
    "too_wide": {"zh": "无法可靠预测：预测区间过宽",
                 "en": "cannot be projected reliably: interval wider than the level"},
}


def words(code: str, lang: str) -> str:
    """The code in words (WORDS)."""
    return WORDS[code][lang]


def reliable(code: str) -> bool:
    """True where the projection can be used (reliable) or there is none to judge."""
    return code in ("", "reliable")


def p_stated(code: str, stage: str) -> bool:
    """Whether a P(met) is stated for a projection: at the mid-term and final checks always
    (its note says why it may mislead), but not for a new plan's target (stage
    ``planning``) when the projection cannot be used -- the 目标建议 table, its paragraph
    and its chart then give the reason instead of a call."""
    return reliable(code) or stage != "planning"


def reliability_notes(code: str, target_year: int, years: np.ndarray,
                      break_year: int | None) -> list[Note]:
    """The note of an unreliable projection (labels.NOTE_TEXTS "unreliable_<code>")."""
    if reliable(code):
        return []
    params: Mapping[str, object] = {
        "year": target_year, "n": len(years), "break": break_year or "",
        "level": WIDTH_LEVEL, "window": REVERSAL_WINDOW,
        "first": int(years[0]) if len(years) else "",
        "last": int(years[-1]) if len(years) else ""}
    return [Note(f"unreliable_{code}", dict(params))]
