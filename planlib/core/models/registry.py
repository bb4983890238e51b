"""The model registry: one spec per trend model, read by the choice (`selection`), the
panel fits (`batch.fits`), the model names of the CLI and plan checks (`constants.MODELS`)
and the report's words.

To add a model: one `ModelSpec` in SPECS, its per-series fit (``(years, y, future, bounds)
-> base.Fit``) and its panel fit (``(years, z, start, stop, future) -> (center, scale,
df)`` on the working scale, one row per series). Nothing else names the models.

Light on purpose (numpy only; the fits are named "module:function" and imported when first
used), so that importing `planlib.constants` -- the CLI's ``--help`` -- does not load scipy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import numpy as np

#: Below this n `auto` chooses by parsimony: too few origins to rank models by backtest.
PARSIMONY_N = 6
#: drift_recent: the pace over the last 5 observations (n = 5 in parsimony).
RECENT_WINDOW = 5
#: damped needs this many consecutive annual values.
DAMPED_MIN_N = 8
#: Years with the indicator and its whole cohort the cohort model needs: a ratio trend
#: with an interval (3 points), not a line through two.
COHORT_MIN_YEARS = 3

#: A model's own applicability rule on a padded panel sorted by year: (years, values,
#: valid, lo, hi) -> (S,) bool, lo/hi per row with NaN = open; n >= 2 is added by
#: `eligibility`.
Rule = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def always(years: np.ndarray, values: np.ndarray, valid: np.ndarray, lo: np.ndarray,
           hi: np.ndarray) -> np.ndarray:
    """Applies to every series (n >= 2)."""
    return np.ones(len(valid), dtype=bool)


def backtested(years: np.ndarray, values: np.ndarray, valid: np.ndarray, lo: np.ndarray,
               hi: np.ndarray) -> np.ndarray:
    """Only where `auto` backtests (n >= PARSIMONY_N): an `auto` candidate."""
    return valid.sum(axis=1) >= PARSIMONY_N


def positive(years: np.ndarray, values: np.ndarray, valid: np.ndarray, lo: np.ndarray,
             hi: np.ndarray) -> np.ndarray:
    """All values > 0 (and a lower bound, if any, >= 0): the log scale."""
    with np.errstate(invalid="ignore"):
        return np.all(np.where(valid, values > 0, True), axis=1) & (np.isnan(lo) | (lo >= 0))


def inside_bounds(years: np.ndarray, values: np.ndarray, valid: np.ndarray, lo: np.ndarray,
                  hi: np.ndarray) -> np.ndarray:
    """Both bounds finite and every value strictly inside: the logit scale."""
    with np.errstate(invalid="ignore"):
        inside = np.all(np.where(valid, (values > lo[:, None]) & (values < hi[:, None]),
                                 True), axis=1) & (lo < hi)
    return inside & ~np.isnan(lo) & ~np.isnan(hi)


def long_consecutive(years: np.ndarray, values: np.ndarray, valid: np.ndarray,
                     lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """n >= DAMPED_MIN_N consecutive years: the damped trend."""
    steps = np.diff(years, axis=1)
    consecutive = np.all(np.where(valid[:, 1:], steps == 1, True), axis=1)
    return (valid.sum(axis=1) >= DAMPED_MIN_N) & consecutive


@dataclass(frozen=True)
class ModelSpec:
    """One trend model: its name, when it applies, its working scale (how bounds enter:
    "logit" needs both), its simplicity rank (backtest ties go to the lower), the fewest
    points a panel fit needs, where its fits live, and its words in the report."""

    name: str
    rank: int
    scale: str  # "identity" | "log" | "logit"
    applies: Rule
    fit: str  # per series: "module:function"
    panel_fit: str  # many series: "module:function"
    zh: str
    en: str
    min_n: int = 3  # a panel fit of fewer points in its window is masked
    window: int | None = None  # fit only the last `window` points (None: all)
    requestable: bool = True  # False: an `auto` candidate only, never a --model choice
    fits: str | None = None  # the per-series `Fit`s of many rows at once, "module:function"
    # ((R, n) years, values, (R, H) future, bounds) -> list[Fit]; None: `fit` row by row

    def series_fit(self) -> Callable[..., Any]:
        """The per-series fit function (imported on first use)."""
        return _resolve(self.fit)

    def many_fits(self) -> Callable[..., Any] | None:
        """The function fitting many series to per-series `Fit`s (None: none)."""
        return None if self.fits is None else _resolve(self.fits)

    def panel_fit_function(self) -> Callable[..., Any]:
        """The panel fit function (imported on first use)."""
        return _resolve(self.panel_fit)


def _resolve(ref: str) -> Callable[..., Any]:
    """The function named "module:function"."""
    module, name = ref.split(":")
    return getattr(import_module(module), name)


_TRENDS, _PANEL = "planlib.core.models.trends", "planlib.core.batch.fits"

#: Every model, in candidate order (the order of panel columns and of `eligible_models`).
SPECS: dict[str, ModelSpec] = {s.name: s for s in (
    ModelSpec("drift", 1, "identity", always, f"{_TRENDS}:fit_drift",
              f"{_PANEL}:fit_drift", "带漂移的随机游走模型", "a random walk with drift",
              fits=f"{_TRENDS}:drift_fits"),
    ModelSpec("drift_recent", 2, "identity", backtested, f"{_TRENDS}:fit_recent_drift",
              f"{_PANEL}:fit_drift", "近期增速漂移模型", "a drift at the recent pace",
              window=RECENT_WINDOW, requestable=False, fits=f"{_TRENDS}:recent_drift_fits"),
    ModelSpec("linear", 0, "identity", always, f"{_TRENDS}:fit_linear",
              f"{_PANEL}:fit_regression", "线性趋势模型", "a linear trend",
              fits=f"{_TRENDS}:linear_fits"),
    ModelSpec("log", 3, "log", positive, f"{_TRENDS}:fit_log",
              f"{_PANEL}:fit_regression", "不变增速模型", "a constant-growth trend",
              fits=f"{_TRENDS}:log_fits"),
    ModelSpec("logit", 4, "logit", inside_bounds, f"{_TRENDS}:fit_logit",
              f"{_PANEL}:fit_regression", "logit趋势模型", "a logit trend",
              fits=f"{_TRENDS}:logit_fits"),
    ModelSpec("naive", 7, "identity", backtested, f"{_TRENDS}:fit_naive",
              f"{_PANEL}:fit_naive", "末值延续模型（无漂移随机游走）",
              "the last value carried forward (a random walk without drift)",
              requestable=False, fits=f"{_TRENDS}:naive_fits"),
    ModelSpec("damped", 5, "identity", long_consecutive, "planlib.core.models.ets:fit_damped",
              f"{_PANEL}:fit_damped", "阻尼趋势模型", "a damped trend", min_n=DAMPED_MIN_N),
)}

#: Every model `auto` may consider, in candidate order.
CANDIDATES: tuple[str, ...] = tuple(SPECS)
#: The single models one can request (``--model``, ``model=``).
MODELS: tuple[str, ...] = tuple(m for m, s in SPECS.items() if s.requestable)
#: Backtest tie-break order, simplest first.
SIMPLICITY: tuple[str, ...] = tuple(sorted(SPECS, key=lambda m: SPECS[m].rank))
#: The report's words for each model: {name: {"zh": ..., "en": ...}}.
WORDS: dict[str, dict[str, str]] = {m: {"zh": s.zh, "en": s.en} for m, s in SPECS.items()}


def eligibility(years: np.ndarray, values: np.ndarray, valid: np.ndarray, lo: np.ndarray,
                hi: np.ndarray, names: tuple[str, ...] = MODELS) -> np.ndarray:
    """(S, len(names)) which models apply to each row of a padded panel (`valid` marks
    observations, sorted by year; `lo`/`hi` per row, NaN = open): n >= 2 and each
    model's own rule."""
    base = valid.sum(axis=1) >= 2
    return np.column_stack([base & SPECS[m].applies(years, values, valid, lo, hi)
                            for m in names])


def complete_cohorts(years: np.ndarray, driver_years: np.ndarray,
                     lags: tuple[int, ...] | list[int]) -> np.ndarray:
    """Which `years` have every driver value their cohort sums (t − lag for each lag)."""
    have = set(np.asarray(driver_years).astype(int).tolist())
    return np.array([all(int(t) - lag in have for lag in lags) for t in years], dtype=bool)


def cohort_covered(years: np.ndarray, driver_years: np.ndarray,
                   lags: tuple[int, ...] | list[int]) -> bool:
    """The cohort model's applicability rule: the latest year's cohort is complete (the
    ratio reaches the latest value) and at least COHORT_MIN_YEARS years have theirs."""
    done = complete_cohorts(years, driver_years, lags)
    return bool(done.size and done[-1] and done.sum() >= COHORT_MIN_YEARS)




@dataclass(frozen=True)
class DriverModelSpec:
    """A model that follows a driver series (the plan's ``driver:``) rather than the
    indicator's own trend: its name, when it applies (the driver's years cover the lags),
    its forecast function, its simplicity rank and its words. An `auto` candidate for
    indicators with a driver only, scored by the same backtest as the trend models."""

    name: str
    rank: int
    covers: Callable[[np.ndarray, np.ndarray, tuple[int, ...] | list[int]], bool]
    fit: str  # "module:function" -> a CohortForecast-like object
    zh: str
    en: str

    def forecast_function(self) -> Callable[..., Any]:
        """The forecast function (imported on first use)."""
        return _resolve(self.fit)


#: Models driven by another series, by name.
DRIVER_SPECS: dict[str, DriverModelSpec] = {s.name: s for s in (
    DriverModelSpec("cohort", 6, cohort_covered, "planlib.core.models.cohort:cohort_forecast",
                    "队列比例模型（按出生人口推算）", "a cohort-ratio model (from births)"),
)}
WORDS |= {m: {"zh": s.zh, "en": s.en} for m, s in DRIVER_SPECS.items()}
