"""`auto` for an indicator with a driver: the cohort model (registry.DRIVER_SPECS) scored
by the trend models' own rolling-origin backtest -- the same origins, horizon and MASE
scale -- and used alone when it scores best (issue #19 step 2).

At each origin the cohort model sees the indicator and the driver up to the origin's year
only (births of later years are not known then), and its median is scored against the
later values. Combining it with trend members would need quantile averaging of unlike
distributions: it is either chosen alone or not at all, with a note saying which and why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from planlib.core.labels import Note

from .base import Bounds, Forecast, InsufficientDataError, Selection
from .cohort import CohortForecast
from .registry import DRIVER_SPECS
from .selection import backtest_horizon, mase_scale, model_label

MODEL = "cohort"
#: Sample paths per backtest origin: only the median is scored.
BACKTEST_PATHS = 1000


@dataclass(frozen=True)
class DriverData:
    """The driver of one indicator in one region: its observed years and values (up to the
    evaluation year), the lags (ages) of the cohort and its names {lang: words}."""

    series: str
    years: np.ndarray
    values: np.ndarray
    lags: tuple[int, ...]
    name: dict[str, str]


def cohort_backtest(years: np.ndarray, y: np.ndarray, driver: DriverData, bounds: Bounds,
                    horizon: int, first: int, seed: int = 0) -> float | None:
    """MASE of the cohort model's median over the origins first…n−1 (as `selection.backtest`
    scores the trends), or None if it cannot forecast at one of them."""
    spec = DRIVER_SPECS[MODEL]
    run = spec.forecast_function()
    errors: list[np.ndarray] = []
    for k in range(first, len(y)):
        reach = max(horizon, years[k] - years[k - 1])
        ahead = years[k:] <= years[k - 1] + reach
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
    if not errors:
        return None
    return float(np.mean(np.concatenate(errors))) / mase_scale(years, y)


def driven_forecast(years: np.ndarray, y: np.ndarray, trend: Forecast, driver: DriverData,
                    *, bounds: Bounds, target_year: int, levels: tuple[int, ...],
                    seed: int) -> tuple[CohortForecast | Forecast | None, list[Note]]:
    """The cohort model's `CohortForecast` when `auto`'s backtest ranks it above every
    trend candidate of `trend` (its selection names the scores); else None, or `trend`
    with the cohort's score in its choice record when it was scored and lost; and a note
    saying why the trend was kept."""
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
    score = cohort_backtest(years, y, driver, bounds, horizon, len(y) - sel.n_origins, seed)
    best = min(sel.scores.values())
    if score is None:
        return None, [Note("cohort_unscored", {**words, "n": len(y)})]
    if score >= best:
        return _lost(trend, score), [Note("cohort_lost", {**words, "cohort": f"{score:.2f}",
                                           "best": f"{best:.2f}", "model": sel.model})]
    cf: CohortForecast = spec.forecast_function()(years, y, driver.years, driver.values, lags=lags,
                                  target_year=target_year, levels=levels, bounds=bounds,
                                  seed=seed)
    scores = {MODEL: score, **sel.scores}
    ranked = sorted(scores, key=scores.__getitem__)
    listing = ", ".join(f"{m} {scores[m]:.2f}" for m in ranked)
    origins = sel.n_origins
    reason = (f"auto: backtest MASE ({origins} origin{'s' * (origins != 1)}, 1–{horizon} "
              f"years ahead) {listing} → {MODEL} (ratio × Σ {driver.series}(t−lag), lags "
              f"{list(lags)}, better than the trend {model_label(sel.members)}); "
              f"ratio {cf.ratio.reason}")
    chosen = replace(cf.forecast.selection or _empty(), scores=scores, n_origins=origins,
                     rule="backtest", reason=reason)
    return replace(cf, forecast=replace(cf.forecast, reason=reason, selection=chosen)), []


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
