"""`auto` for an indicator with a driver: the cohort model (registry.DRIVER_SPECS) scored
by the trend models' own rolling-origin backtest -- the same origins, horizon and MASE
scale -- and used alone when it scores best (issue #19 step 2), or when it scores worse
but not beyond noise while the coming cohort is already born (`paired_worse`): the
backtest's early origins rest on few ratio points, and a mean over them kept the trend for
national kindergarten enrolment through 2022 although the cohort model was the more
accurate one (benchmarks/README.md, cohort.py).

At each origin the cohort model sees the indicator and the driver up to the origin's year
only (births of later years are not known then), and its median is scored against the
later values. Combining it with trend members would need quantile averaging of unlike
distributions: it is either chosen alone or not at all, with a note saying which and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from planlib.core.batch.backtest import mase_scale, origin_errors, scored_ahead
from planlib.core.batch.panel import Panel
from planlib.core.labels import Note

from .base import Bounds, InsufficientDataError, Selection
from .cohort import CohortForecast
from .predictive import Forecast
from .registry import DRIVER_SPECS, complete_cohorts
from .selection import backtest_horizon, model_label

MODEL = "cohort"
#: Sample paths per backtest origin: only the median is scored.
BACKTEST_PATHS = 1000
#: One-sided level of the paired test that must show the cohort model worse than the best
#: trend before the trend is kept while the cohort ahead is known (`paired_worse`).
NOISE_LEVEL = 0.95


@dataclass(frozen=True)
class DriverData:
    """The driver of one indicator in one region: its observed years and values (up to the
    evaluation year), the lags (ages) of the cohort and its names {lang: words}."""

    series: str
    years: np.ndarray
    values: np.ndarray
    lags: tuple[int, ...]
    name: dict[str, str]


def cohort_errors(years: np.ndarray, y: np.ndarray, driver: DriverData, bounds: Bounds,
                  horizon: int, first: int, seed: int = 0) -> list[np.ndarray] | None:
    """The cohort model's absolute median errors at each origin first…n−1 (scored on the
    years `batch.backtest.scored_ahead` names, as the trends), or None if it cannot forecast at
    one of them."""
    spec = DRIVER_SPECS[MODEL]
    run = spec.forecast_function()
    errors: list[np.ndarray] = []
    for k in range(first, len(y)):
        ahead = scored_ahead(years[None, :].astype(float), np.array([len(y)]), k,
                             np.array([horizon]))[0]
        known = driver.years <= years[k - 1]
        if not spec.covers(years[:k], driver.years[known], driver.lags):
            return None
        try:
            cf = run(years[:k], y[:k], driver.years[known], driver.values[known],
                     lags=driver.lags, target_year=int(years[k:][ahead].max()),
                     bounds=bounds, n_paths=BACKTEST_PATHS, seed=seed)
        except (InsufficientDataError, ValueError):
            return None
        pred = cf.forecast.median[np.searchsorted(cf.forecast.years, years[k:][ahead])]
        errors.append(np.abs(pred - y[k:][ahead]))
    return errors or None


def cohort_backtest(years: np.ndarray, y: np.ndarray, driver: DriverData, bounds: Bounds,
                    horizon: int, first: int, seed: int = 0) -> float | None:
    """MASE of the cohort model's median over the origins first…n−1 (as `batch.backtest`
    scores the trends), or None if it cannot forecast at one of them."""
    errors = cohort_errors(years, y, driver, bounds, horizon, first, seed)
    if errors is None:
        return None
    return float(np.mean(np.concatenate(errors))) / float(mase_scale(Panel.one(years, y))[0])


def cohort_known_ahead(years: np.ndarray, driver: DriverData) -> bool:
    """True when the cohort of the first year after the data is already born and observed
    (every driver value it sums is in the data): the cohort model then knows what the
    trends can only extrapolate."""
    if not len(years):
        return False
    return bool(complete_cohorts(np.array([int(years[-1]) + 1]), driver.years,
                                 driver.lags)[0])


@dataclass(frozen=True)
class Worse:
    """The paired comparison of the cohort model with the best-scored trend, origin by
    origin: the mean difference of their per-origin MASE, its t statistic, the one-sided
    critical value and the number of origins. `significant`: the cohort model is worse
    beyond noise."""

    mean: float
    t: float
    critical: float
    origins: int

    @property
    def significant(self) -> bool:
        return self.t > self.critical


def paired_worse(cohort: list[np.ndarray], trend: list[np.ndarray], scale: float) -> Worse:
    """Is the cohort model worse than the trend beyond noise? A one-sided paired t test
    (level NOISE_LEVEL) on the per-origin mean errors (MASE-scaled). Overlapping horizons
    make neighbouring origins' errors correlated, so this t overstates the evidence: it
    errs towards calling the cohort model worse, i.e. towards the trend."""
    d = np.array([(c.mean() - t.mean()) / scale for c, t in zip(cohort, trend, strict=True)])
    k = len(d)
    critical = float(stats.t.ppf(NOISE_LEVEL, k - 1)) if k >= 2 else math.inf
    sd = float(np.std(d, ddof=1)) if k >= 2 else 0.0
    if sd == 0:
        t = math.inf if d.mean() > 0 else -math.inf
    else:
        t = float(d.mean() / (sd / math.sqrt(k)))
    return Worse(float(d.mean()), t, critical, k)


def driven_forecast(years: np.ndarray, y: np.ndarray, trend: Forecast, driver: DriverData,
                    *, bounds: Bounds, target_year: int, levels: tuple[int, ...],
                    seed: int) -> tuple[CohortForecast | Forecast | None, list[Note]]:
    """The cohort model's `CohortForecast` when `auto`'s backtest ranks it above every
    trend candidate of `trend` (its selection names the scores), or -- while the cohort
    of the next year is already born and observed -- when it scores worse but not beyond
    noise (`paired_worse` against the best-scored trend, origin by origin): a model that
    knows the coming cohort is preferred to trends that cannot see it unless the backtest
    shows it worse. Else None, or `trend` with the cohort's score in its choice record when
    it was scored and lost; and a note saying why the trend was kept."""
    spec = DRIVER_SPECS[MODEL]
    lags = driver.lags
    words = {"lags": "、".join(map(str, lags)), "lags_en": ", ".join(map(str, lags)),
             "driver_zh": driver.name.get("zh", driver.series),
             "driver_en": driver.name.get("en", driver.series)}
    if not spec.covers(years, driver.years, lags):
        last = int(years[-1]) if len(years) else 0
        born = [last - lag for lag in lags]
        return None, [Note("cohort_uncovered", {
            **words, "year": last, "born_zh": f"{min(born)}—{max(born)}",
            "born_en": f"{min(born)}–{max(born)}",
            "have": _span(driver.years)})]
    sel = trend.selection
    if sel is None or sel.rule not in ("backtest", "hedge") or not sel.scores:
        return None, [Note("cohort_unscored", {**words, "n": len(y)})]
    horizon = backtest_horizon(years, target_year)
    first = len(y) - sel.n_origins
    errors = cohort_errors(years, y, driver, bounds, horizon, first, seed)
    if errors is None:
        return None, [Note("cohort_unscored", {**words, "n": len(y)})]
    scale = float(mase_scale(Panel.one(years, y))[0])
    score = float(np.mean(np.concatenate(errors))) / scale
    best_model = min(sel.scores, key=lambda m: (sel.scores[m], m))
    best = sel.scores[best_model]
    why = "better than"
    if score >= best:
        worse = _worse(errors, best_model, years, y, bounds, horizon, first, scale)
        if worse is None or worse.significant or not cohort_known_ahead(years, driver):
            return _lost(trend, score), [Note("cohort_lost", {
                **words, "cohort": f"{score:.2f}", "best": f"{best:.2f}",
                "model": sel.model})]
        why = (f"not worse beyond noise than {best_model}, paired t {worse.t:.2f} ≤ "
               f"{worse.critical:.2f} over {worse.origins} origins, with the cohort ahead "
               "already born; preferred to")
    cf: CohortForecast = spec.forecast_function()(years, y, driver.years, driver.values, lags=lags,
                                  target_year=target_year, levels=levels, bounds=bounds,
                                  seed=seed)
    scores = {MODEL: score, **sel.scores}
    ranked = sorted(scores, key=scores.__getitem__)
    listing = ", ".join(f"{m} {scores[m]:.2f}" for m in ranked)
    origins = sel.n_origins
    reason = (f"auto: backtest MASE ({origins} origin{'s' * (origins != 1)}, 1–{horizon} "
              f"years ahead) {listing} → {MODEL} (ratio × Σ {driver.series}(t−lag), lags "
              f"{list(lags)}, {why} the trend {model_label(sel.members)}); "
              f"ratio {cf.ratio.reason}")
    chosen = replace(cf.forecast.selection or _empty(), scores=scores, n_origins=origins,
                     rule="backtest", reason=reason)
    return replace(cf, forecast=replace(cf.forecast, reason=reason, selection=chosen)), []


def _worse(cohort: list[np.ndarray], model: str, years: np.ndarray, y: np.ndarray,
           bounds: Bounds, horizon: int, first: int, scale: float) -> Worse | None:
    """`paired_worse` of the cohort model against the trend `model` on the same origins
    (None if that trend cannot be refitted at every origin)."""
    lo, hi = (np.array([np.nan if b is None else float(b)]) for b in bounds)
    trend = origin_errors(Panel.one(years, y), model, lo, hi, horizon, first)
    return None if trend is None else paired_worse(cohort, trend, scale)


def _lost(trend: Forecast, score: float) -> Forecast:
    """The trend, its choice record carrying the cohort model's score (not the best)."""
    sel = trend.selection
    assert sel is not None
    said = f"; {MODEL} {score:.2f} (ratio × Σ driver(t−lag)) not better → the trend"
    return replace(trend, reason=trend.reason + said, selection=replace(
        sel, scores={**sel.scores, MODEL: score}, reason=sel.reason + said))


def _empty() -> Selection:
    """A selection record to fill (the cohort forecast always carries one)."""
    return Selection(MODEL, (MODEL,), (1.0,), {}, 0, "backtest", {}, "")


def _span(years: np.ndarray) -> str:
    """'2000–2022' of the driver's years ('none' when it has none)."""
    return f"{int(np.min(years))}–{int(np.max(years))}" if len(years) else "none"
