"""Targets for the next plan (issue #17, DESIGN.md §8 planning stage): per indicator and
region, the level reached or bettered with probability q by the target year, the P(met)
of the target already drafted in the plan, in words, and — where the evaluation holds many
regions of one indicator — an "ambitious but feasible" benchmark.

Everything comes from an `Evaluation` through its public API: its table
(``ev.summary_frame()``), whose target-year columns are by construction those of
``ev[id, region].summary_frame(levels=)`` (tests/core/test_proposal.py checks it), so a
proposal cannot disagree with the evaluation's table, figures or report. The table is
read, not each result, because a result of a region the vectorised path wrote is built one
by one when first read, several times the cost of the whole table (benchmarks/README.md,
"Rich results read one by one").

- ``p<q>`` (default q = 50, 80, 90): the level reached or bettered with probability q in
  the direction of improvement. For an increasing indicator it is the lower end of the
  central (2q − 100) % interval (p80 = lo60, p90 = lo80), for a decreasing one the upper
  end (p80 = hi60); p50 is the median. So p50 ≥ p80 ≥ p90 when higher is better, and the
  reverse when lower is better.
- ``reliability`` (with its words): where the history cannot be projected reliably to the
  target year (few points, a declared break, a trend reversal, an interval wider than
  the level: `planlib.core.reliability`), the ``p<q>`` columns are left empty: there is
  no level to set a target from, and the reason says why.
- ``draft_target`` / ``p_draft``: the plan's target as a level at the target year and the
  evaluation's P(met) of it, with its band (稳妥 / 积极 / 有挑战 / 难以实现) and a flag for a
  draft almost certain already or out of reach (`planlib.core.cycle_labels`); where the
  projection cannot be used (the ``reliability`` rule above), no P(met) and the band
  ``unreliable`` (无法可靠预测), so no draft is called safe from a projection not trusted.
- ``benchmark_pace`` / ``benchmark``: the pace of the fastest quarter of comparable
  regions from a similar starting level, and the level it leads to by the target year
  (the idea behind the UNESCO SDG 4 benchmarks; `fastest_quarter_pace`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from planlib.core import cycle_labels, reliability
from planlib.core.result import Evaluation

DEFAULT_PROBABILITIES = (50, 80, 90)
#: The benchmark pace is this quantile of comparable paces (the fastest quarter).
FASTEST_SHARE = 0.25
#: Comparable windows: the nearest this share of all windows by starting level …
NEIGHBOUR_SHARE = 0.2
#: … and at least this many (fewer windows in all: no benchmark).
MIN_NEIGHBOURS = 10
#: Fewest regions of one indicator for a benchmark among peers.
MIN_REGIONS = 8


def check_probabilities(probabilities: Sequence[int | str]) -> tuple[int, ...]:
    """Sorted whole percentages from 50 to 99 (ValueError otherwise): a level reached with
    probability below one half is not a target anyone should set."""
    try:
        out = tuple(sorted({int(q) for q in probabilities}))
    except (TypeError, ValueError):
        raise ValueError(f"levels must be whole percentages like 50,80,90; got "
                         f"{probabilities!r}") from None
    if not out or any(not 50 <= q <= 99 for q in out):
        raise ValueError(f"levels must be percentages from 50 to 99, got {list(out)}")
    return out


def interval_level(q: int) -> int:
    """The central interval whose near end is reached with probability q (0: the median)."""
    return 2 * q - 100


def proposal_columns(probabilities: Sequence[int]) -> list[str]:
    """The columns of targets.csv, in order."""
    return ["indicator_id", "region", "name_zh", "name_en", "unit", "direction",
            "latest_year", "latest_value", "target_year",
            *[f"p{q}" for q in probabilities], "reliability", "reliability_zh",
            "reliability_en", "draft_target", "p_draft", "draft_band", "draft_band_zh",
            "draft_band_en", "draft_flag", "draft_flag_zh", "draft_flag_en", "benchmark_pace",
            "benchmark", "model"]


def needed_levels(probabilities: Sequence[int]) -> tuple[int, ...]:
    """The interval levels an evaluation needs for these ``p<q>`` columns (80 → 60)."""
    return tuple(sorted({interval_level(q) for q in check_probabilities(probabilities)}
                        - {0})) or (80,)


def reached_levels(table: pd.DataFrame, probabilities: Sequence[int]) -> pd.DataFrame:
    """``p<q>`` per row of an evaluation table (module doc): the median, or the near end
    of the central (2q − 100) % interval in the direction of improvement; empty (NaN)
    where the table's ``reliability`` says the history cannot be projected reliably to
    the target year (`planlib.core.reliability`): no level to set a target from."""
    up = (table["direction"] == "increase").to_numpy()
    usable = np.array([reliability.reliable(str(c)) for c in table["reliability"]], bool)
    out = {}
    for q in check_probabilities(probabilities):
        lv = interval_level(q)
        level = table["median"].to_numpy(float) if lv == 0 else \
            np.where(up, table[f"lo{lv}"].to_numpy(float), table[f"hi{lv}"].to_numpy(float))
        out[f"p{q}"] = np.where(usable, level, math.nan)
    return pd.DataFrame(out, index=table.index)


def draft_columns(p: float, code: str = "") -> dict[str, Any]:
    """P(met) of a drafted target with its band and flag, coded and in words. Where the
    projection cannot be used (``code``, `planlib.core.reliability`), as for ``p<q>``
    there is no P(met) to judge the draft by: P empty, band ``unreliable``, no flag."""
    if not reliability.reliable(code):
        p = math.nan
    band, flag = cycle_labels.draft_band(p), cycle_labels.draft_flag(p)
    if not reliability.reliable(code):
        band = "unreliable"
    return {"p_draft": p, "draft_band": band,
            "draft_band_zh": cycle_labels.draft_words(band, "zh"),
            "draft_band_en": cycle_labels.draft_words(band, "en"), "draft_flag": flag,
            "draft_flag_zh": cycle_labels.draft_words(flag, "zh"),
            "draft_flag_en": cycle_labels.draft_words(flag, "en")}


def pace_windows(years: np.ndarray, values: np.ndarray, keys: np.ndarray,
                 span: int) -> tuple[np.ndarray, np.ndarray]:
    """Start levels and yearly paces of every window of exactly ``span`` years inside one
    region's observations (``keys`` names the region of each observation)."""
    frame = pd.DataFrame({"key": keys, "year": years, "value": values}).dropna()
    later = frame.assign(year=frame["year"] - span)
    pairs = frame.merge(later, on=["key", "year"], suffixes=("", "_end"))
    return (pairs["value"].to_numpy(float),
            ((pairs["value_end"] - pairs["value"]) / span).to_numpy(float))


def fastest_quarter_pace(starts: np.ndarray, paces: np.ndarray, levels: np.ndarray,
                         direction: int) -> np.ndarray:
    """For each level in ``levels``, the pace (per year, signed) the fastest quarter of
    comparable windows achieved: the windows whose start level is among the nearest
    NEIGHBOUR_SHARE of all (at least MIN_NEIGHBOURS), and of their paces in the direction
    of improvement the (1 − FASTEST_SHARE) quantile. NaN without enough windows."""
    levels = np.asarray(levels, dtype=float)
    order = np.argsort(starts, kind="stable")
    starts, paces = np.asarray(starts, float)[order], np.asarray(paces, float)[order]
    k = max(MIN_NEIGHBOURS, math.ceil(NEIGHBOUR_SHARE * len(starts)))
    if len(starts) < k:
        return np.full(levels.shape, math.nan)
    # The k nearest starts are a run [lo, lo + k) of the sorted starts: the first lo with
    # x − s[lo] ≤ s[lo + k] − x, i.e. s[lo] + s[lo + k] ≥ 2x ("k closest elements").
    pair_sums = starts[: len(starts) - k] + starts[k:]
    lo = np.searchsorted(pair_sums, 2 * np.nan_to_num(levels), side="left")
    near = paces[lo[:, None] + np.arange(k)[None, :]] * direction
    out = np.quantile(near, 1 - FASTEST_SHARE, axis=1) * direction
    return np.where(np.isnan(levels), math.nan, out)


def benchmarks(ev: Evaluation, observations: pd.DataFrame, table: pd.DataFrame
               ) -> pd.DataFrame:
    """``benchmark_pace`` and ``benchmark`` per row of ``table``: for the regions (not the
    total, region "") of an indicator with at least MIN_REGIONS of them, the fastest
    quarter's pace over windows as long as the plan (target − baseline years) in the data
    before ``as_of``, and the level it leads to from the latest value (within bounds).
    NaN elsewhere and for cumulative targets on yearly additions."""
    out = pd.DataFrame({"benchmark_pace": math.nan, "benchmark": math.nan}, index=table.index)
    obs = observations[observations["year"] <= ev.as_of - 1]
    for ind in ev.plan.indicators:
        mine = table.index[(table["indicator_id"] == ind.id) & (table["region"] != "")]
        if len(mine) < MIN_REGIONS or ind.measure == "flow":
            continue
        data = obs[obs["indicator_id"] == ind.series_id]
        data = data[data["region"].fillna("") != ""]
        span = ind.target_year - int(ind.baseline.year)  # type: ignore[arg-type]
        starts, paces = pace_windows(data["year"].to_numpy(float),
                                     data["value"].to_numpy(float),
                                     data["region"].to_numpy(), span)
        rows = table.loc[mine]
        d = 1 if ind.direction == "increase" else -1
        latest = rows["latest_value"].to_numpy(float)
        pace = fastest_quarter_pace(starts, paces, latest, d)
        years = (rows["target_year"] - rows["latest_year"]).to_numpy(float, na_value=math.nan)
        lo, hi = ind.bounds
        out.loc[mine, "benchmark_pace"] = pace
        out.loc[mine, "benchmark"] = np.clip(latest + pace * years,
                                             -np.inf if lo is None else lo,
                                             np.inf if hi is None else hi)
    return out


def propose(ev: Evaluation, probabilities: Sequence[int] = DEFAULT_PROBABILITIES,
            observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The target proposal table (`proposal_columns`): one row per indicator and region,
    in the evaluation's order, read off its table (``ev.summary_frame()``: the target-year
    row of each ``ev[id, region].summary_frame(levels=)``). ``ev`` must hold the interval
    levels `needed_levels` names; with ``observations`` (the frame evaluated) the
    benchmark columns are filled where there are enough regions."""
    qs = check_probabilities(probabilities)
    missing = sorted(set(needed_levels(qs)) - set(ev.levels))
    if missing:
        raise ValueError(f"the evaluation has no {missing} % intervals: evaluate with "
                         f"levels={list(needed_levels(qs))}")
    table = ev.summary_frame()
    drafts = pd.DataFrame([draft_columns(p, str(c)) for p, c in
                           zip(table["p_meet"].to_numpy(float), table["reliability"],
                               strict=True)], index=table.index)
    frame = pd.concat([table, reached_levels(table, qs), drafts], axis=1)
    frame["draft_target"] = table["target_value"]
    for lang in ("zh", "en"):
        frame[f"reliability_{lang}"] = [reliability.words(str(c), lang)
                                        for c in table["reliability"]]
    if observations is not None:
        frame[["benchmark_pace", "benchmark"]] = benchmarks(ev, observations, table)
    else:
        frame["benchmark_pace"] = frame["benchmark"] = math.nan
    return frame[proposal_columns(qs)].reset_index(drop=True)
