"""The stage of an evaluation and, in the final stage, the observed outcome of each target
(DESIGN.md §8, issue #17): pure functions of plain numbers, on numpy arrays.

Stages, from the plan years, ``as_of`` and the latest observation before ``as_of``:

- ``final``: the target year is observed, or ``as_of`` is after it (the period is over);
- ``planning``: not final, and no observation after the baseline (a new plan);
- ``mid_term``: otherwise (data end before the target year).

The final outcome of a target at the level ``v`` in year T, for a direction d (+1 higher
is better, −1 lower is better), from the observations (years, values, flags):

- ``met`` / ``not_met`` when T is observed: met when d·(y(T) − v) ≥ 0, by
  `planlib.core.progress.met_mask` (ties up to its relative tolerance are met: one
  rule); ``margin`` = d·(y(T) − v) in the indicator's own unit
  (−0.1 for 92.9 against ≥ 93: short by 0.1 point);
- "" (no outcome) when the target level is unknown (no baseline to set it from);
- ``nowcast`` when T is not observed: the value is estimated and P(met) applies (the
  evaluation's ``p_meet``);
- ``first_met_year``: the first year of the last unbroken run of observations at or past
  v that ends in T (a target met in 2023, missed in 2024 and met in 2025 was met in 2025).
  提前完成 (met early) only when it is before T; 按期完成 (met on time) when it is T;
- ``provisional``: the T value carries the ``provisional`` flag;
- ``awaits_final``: the T value is provisional and a usual revision could flip the
  outcome: met with a margin smaller than the revision, or short by no more than it.

The usual revision. planlib's tidy observations keep one value per year (later files win),
so they hold no vintages to measure provisional-to-final revisions from. By default the
revision is `REVISION_DIGITS` unit(s) of the series' last published digit (0.1 point for a
rate published to one decimal, 0.01 year for 10.93 years): the smallest revision a
publication can show, and the size by which Ministry of Education and Statistics Bureau
provisional rates are usually revised, when they are (an assumption, not a measurement).
The precision is the finest one among the series' observations, so a value printed "93"
in a series of 92.9, 93.4 … still counts as 93.0. Callers that know better — from
vintages, or a stated share such as 0.5 % of the value — pass ``revision`` themselves.

Arrays: ``years``, ``values`` and ``flags`` are (S, N) for S series of up to N
observations (padding: NaN year or value; flag ""), or (N,) for one series; every other
argument is a scalar or (S,). One implementation serves 1 or 100,000 rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from planlib.core.progress import met_mask

STAGES = ("planning", "mid_term", "final")
OUTCOMES = ("met", "not_met", "nowcast")
#: The usual revision of a provisional value, in units of the series' last published digit.
REVISION_DIGITS = 1.0
#: Decimals looked for in a published value (beyond this, float noise).
MAX_DECIMALS = 6


def stage(baseline_year: ArrayLike, target_year: ArrayLike, as_of: ArrayLike,
          latest_year: ArrayLike) -> np.ndarray:
    """Stage code per row (module doc); ``latest_year`` is NaN where there is no data."""
    b, t, a, last = np.broadcast_arrays(*(np.asarray(x, dtype="float64") for x in
                                          (baseline_year, target_year, as_of, latest_year)))
    final = (a > t) | (last >= t)
    planning = ~final & (np.isnan(last) | (last <= b))
    return np.where(final, "final", np.where(planning, "planning", "mid_term")).astype(object)


def plan_stage(baseline_year: int, target_year: int, as_of: int,
               latest_years: ArrayLike) -> str:
    """The stage of a whole plan: the stage its latest observation (any indicator) gives."""
    years = np.asarray(latest_years, dtype="float64")
    latest = float(np.nanmax(years)) if years.size and not np.isnan(years).all() else np.nan
    return str(stage(baseline_year, target_year, as_of, latest).item())


def published_decimals(values: ArrayLike) -> np.ndarray:
    """Decimals each value was published with (57.3 → 1, 10.93 → 2, 1234 → 0)."""
    v = np.abs(np.asarray(values, dtype="float64"))
    out = np.full(v.shape, MAX_DECIMALS, dtype="int64")
    with np.errstate(invalid="ignore"):
        for k in range(MAX_DECIMALS, -1, -1):
            scaled = v * 10.0 ** k
            out = np.where(np.abs(scaled - np.round(scaled)) < 1e-9 * np.maximum(1, scaled),
                           k, out)
    return np.where(np.isfinite(v), out, 0)


def usual_revision(values: ArrayLike) -> np.ndarray:
    """The default usual revision per series (module doc): REVISION_DIGITS units of the
    finest published digit among its values; (S,) for (S, N) values."""
    v = _rows(values)
    return REVISION_DIGITS * 10.0 ** -series_decimals(v)


def series_decimals(values: ArrayLike) -> np.ndarray:
    """The finest number of decimals among each series' values (0 for an empty one)."""
    v = _rows(values)
    return np.where(np.isfinite(v), published_decimals(v), 0).max(axis=1, initial=0)


@dataclass(frozen=True)
class FinalOutcome:
    """Final-stage outcome per row (module doc); every field is an (S,) array."""

    outcome: np.ndarray  # object: met | not_met | nowcast
    target_year: np.ndarray  # int
    value: np.ndarray  # the target-year value (NaN for a nowcast)
    margin: np.ndarray  # d·(value − target), indicator's unit: ≥ 0 met by, < 0 short by
    first_met_year: np.ndarray  # float, NaN unless met
    provisional: np.ndarray  # bool
    revision: np.ndarray  # the usual revision used, indicator's unit
    awaits_final: np.ndarray  # bool
    decimals: np.ndarray  # int, decimals the series is published with (for the gap)

    @property
    def early(self) -> np.ndarray:
        """True where the target was met before its target year (提前完成)."""
        with np.errstate(invalid="ignore"):
            return self.first_met_year < self.target_year

    def __len__(self) -> int:
        return len(self.outcome)


def final_outcome(years: ArrayLike, values: ArrayLike, flags: ArrayLike | None,
                  target_level: ArrayLike, direction: ArrayLike, target_year: ArrayLike,
                  revision: ArrayLike | None = None) -> FinalOutcome:
    """The observed outcome of each row's target (module doc). ``revision``: the usual
    revision of a provisional value in the indicator's unit (default `usual_revision`)."""
    y = _rows(years)
    v = _rows(values)
    s = y.shape[0]
    f = np.full(y.shape, "", dtype=object) if flags is None else \
        np.asarray(flags, dtype=object).reshape(y.shape)
    level, d, big_t = (np.broadcast_to(np.asarray(x, dtype="float64"), (s,))
                       for x in (target_level, direction, target_year))
    valid = np.isfinite(y) & np.isfinite(v)
    at_t = valid & (y == big_t[:, None])
    observed = at_t.any(axis=1)
    value = np.where(observed, np.where(at_t, v, 0.0).sum(axis=1), np.nan)
    margin = d * (value - level)
    met = observed & met_mask(value, level, d)
    outcome = np.where(observed, np.where(met, "met", "not_met"), "nowcast").astype(object)
    outcome[np.isnan(level)] = ""  # no target level (no baseline to set it): no outcome
    with np.errstate(invalid="ignore"):
        met_obs = valid & met_mask(v, level[:, None], d[:, None])
    upto = valid & (y <= big_t[:, None])
    last_miss = np.where(upto & ~met_obs, y, -np.inf).max(axis=1, initial=-np.inf)
    run = upto & (y > last_miss[:, None])
    first = np.where(run, y, np.inf).min(axis=1, initial=np.inf)
    first_met = np.where(met, first, np.nan)
    provisional = (at_t & (f == "provisional")).any(axis=1)
    rev = usual_revision(np.where(valid, v, np.nan)) if revision is None else \
        np.broadcast_to(np.asarray(revision, dtype="float64"), (s,))
    rounded = np.round(margin, 9)
    flips = np.where(met, rev > rounded, rev >= -rounded)
    return FinalOutcome(
        outcome=outcome, target_year=big_t.astype("int64"), value=value, margin=margin,
        first_met_year=first_met, provisional=provisional, revision=np.asarray(rev, float),
        awaits_final=provisional & observed & flips,
        decimals=series_decimals(np.where(valid, v, np.nan)),
    )


def _rows(a: ArrayLike) -> np.ndarray:
    """A float matrix with one series per row ((N,) becomes (1, N))."""
    out = np.asarray(a, dtype="float64")
    return out.reshape(1, -1) if out.ndim <= 1 else out
