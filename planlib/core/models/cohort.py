"""Cohort-ratio model: an indicator that follows a driver's lagged values (DESIGN.md §8).

indicator_t = ratio_t × cohort_t, cohort_t = Σ_lag driver_{t−lag}: kindergarten enrolment in
year t is the children born in t−3…t−5 (lags [3, 4, 5] of births) times the share of them
enrolled (enrolled per child born; a gross ratio, it may exceed 1). Places per person follow
a population with lags [0].

* The ratio is observed wherever the indicator and its whole cohort are, and is projected
  by `forecast()` itself (``auto`` by default: its backtest, widening and bounds), so its
  uncertainty is that of any trend in planlib.
* The cohort is exact while every driver value it sums is observed (or given by a
  scenario). Beyond them the driver is projected as a random walk with drift on the log
  scale (`trends.fit_drift` on log values: constant average growth, multiplicative
  noise), widened h years ahead by `selection.horizon_floor` like every ``auto`` member:
  wide and honest, not a demographic projection. A supplied scenario (e.g. a 人口预测
  births path) is taken as exact for its years and the drift continues from it.
* The indicator's predictive distribution: exact quantiles and tail probabilities of the
  ratio times the cohort in years whose cohort is known (the product is monotone in the
  ratio); Monte Carlo over ratio paths × driver paths (independent seeded draws) where the
  cohort is projected. Returned as a `Forecast` (model "cohort") like every other model,
  with `CohortForecast.ratio`, the cohort per year and an explanation record beside it.

Pure functions on arrays; the caller picks the driver's rows for the indicator's region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from planlib.constants import check_levels, clip_to
from planlib.core.labels import Note

from .api import clean_series, forecast
from .base import Bounds, InsufficientDataError, Selection, Transform
from .base import clean_bounds as _clean_bounds
from .paths import sample
from .predictive import Forecast, Predictive
from .selection import horizon_floor
from .trends import fit_drift

MODEL = "cohort"
DRIVER_MODEL = "drift on log scale"


def cohort_sums(driver_years: np.ndarray, driver_values: np.ndarray, years: np.ndarray,
                lags: Sequence[int]) -> np.ndarray:
    """Σ_lag driver_{t−lag} for every t in `years`; NaN where one of those values is missing."""
    lookup = dict(zip(np.asarray(driver_years).tolist(), np.asarray(driver_values, float).tolist(),
                      strict=True))
    return np.array([sum(lookup.get(int(t) - lag, np.nan) for lag in lags) for t in years],
                    dtype=float)


@dataclass(frozen=True)
class DriverPaths:
    """The driver for consecutive `years`: seeded joint paths (n_paths, len(years)), constant
    where the value is `known` (observed or from the scenario), projected elsewhere."""

    years: np.ndarray
    paths: np.ndarray
    known: np.ndarray
    scenario: np.ndarray

    def column(self, year: int) -> np.ndarray:
        """The paths of one year (ValueError naming the years covered otherwise)."""
        hit = np.flatnonzero(self.years == year)
        if hit.size == 0:
            raise ValueError(f"the driver has no value for {year} (it covers "
                             f"{self.years[0]}–{self.years[-1]}; gaps are not filled)")
        return self.paths[:, int(hit[0])]


def project_driver(years: Sequence[int] | np.ndarray, values: Sequence[float] | np.ndarray,
                   until: int, *, scenario: Mapping[int, float] | None = None,
                   n_paths: int = 4000, seed: int = 0) -> DriverPaths:
    """The driver from its first year to `until`: observed, then the scenario's values, then
    a random walk with drift on the log scale fitted to both (widened by `horizon_floor`).

    Needs positive values; gaps before the last known year stay gaps (no path). Raises
    InsufficientDataError if fewer than 3 known values must carry a projection.
    """
    yrs, v = clean_series(years, values)
    n_obs = len(yrs)
    later = sorted(int(y) for y in (scenario or {}) if not yrs.size or y > yrs[-1])
    if later:
        yrs = np.concatenate([yrs, np.array(later, dtype=int)])
        v = np.concatenate([v, np.array([float(scenario[y]) for y in later])])  # type: ignore[index]
    if v.size == 0 or np.any(v <= 0):
        raise ValueError("a driver needs positive values (counts of people)")
    future = np.arange(yrs[-1] + 1, max(int(until), int(yrs[-1])) + 1)
    known_paths = np.broadcast_to(v, (n_paths, v.size))
    if future.size == 0:
        projected = np.empty((n_paths, 0))
    else:
        if v.size < 3:
            raise InsufficientDataError(f"the driver has {v.size} value(s): projecting it "
                                        "beyond them needs >= 3")
        fit = fit_drift(yrs, np.log(v), future)
        fit = replace(fit, transform=Transform("log")).widened(
            horizon_floor(future - yrs[-1]))
        projected = sample(Predictive((fit,), (0.0, None)), n_paths, seed)
    scen = np.zeros(len(yrs) + future.size, dtype=bool)
    scen[n_obs:len(yrs)] = True
    return DriverPaths(
        years=np.concatenate([yrs, future]),
        paths=np.concatenate([known_paths, projected], axis=1),
        known=np.concatenate([np.ones(len(yrs), bool), np.zeros(future.size, bool)]),
        scenario=scen,
    )


@dataclass(frozen=True)
class CohortPredictive(Predictive):
    """The indicator's distribution: ratio quantiles × the cohort where it is known (exact),
    the empirical distribution of ratio × cohort paths where it is projected."""

    ratio: Predictive | None = None
    cohort: np.ndarray | None = None  # (H,) the known cohort, NaN where projected
    paths: np.ndarray | None = None  # (n_paths, H) ratio × cohort, within bounds

    def _known(self, j: int) -> bool:
        return self.cohort is not None and bool(np.isfinite(self.cohort[j]))

    def quantile(self, p: float) -> np.ndarray:
        """Marginal p-quantile per future year, original units, within bounds."""
        assert self.ratio is not None and self.cohort is not None and self.paths is not None
        exact = self.ratio.quantile(p) * np.nan_to_num(self.cohort)
        mc = np.quantile(self.paths, p, axis=0)
        return clip_to(np.where(np.isfinite(self.cohort), exact, mc), self.bounds)

    def prob_at_least(self, value: float, j: int) -> float:
        """P(y_j >= value)."""
        if self._known(j):
            assert self.ratio is not None and self.cohort is not None
            return self.ratio.prob_at_least(value / float(self.cohort[j]), j)
        assert self.paths is not None
        return float(np.mean(self.paths[:, j] >= value))

    def prob_at_most(self, value: float, j: int) -> float:
        """P(y_j <= value)."""
        if self._known(j):
            assert self.ratio is not None and self.cohort is not None
            return self.ratio.prob_at_most(value / float(self.cohort[j]), j)
        assert self.paths is not None
        return float(np.mean(self.paths[:, j] <= value))

    def has_spread(self, j: int) -> bool:
        """True if year j has an interval."""
        if self._known(j):
            assert self.ratio is not None
            return self.ratio.has_spread(j)
        assert self.paths is not None
        return bool(np.ptp(self.paths[:, j]) > 0)

    def sample(self, n_paths: int, seed: int) -> np.ndarray:
        """The joint paths (ratio × cohort) this distribution was built from."""
        assert self.paths is not None
        return self.paths[:n_paths]


@dataclass(frozen=True)
class CohortExplanation:
    """What the cohort model did for one year, as numbers (rendered by `explanation_notes`):
    the ages and birth years of the cohort, its size (and 80 % band when projected), the
    driver years not yet observed, the last observed ratio and the projected one, and the
    projected indicator with its 80 % interval."""

    year: int
    lags: tuple[int, ...]
    born: tuple[int, int]
    cohort: float
    cohort_lo80: float
    cohort_hi80: float
    projected_years: tuple[int, ...]
    scenario_years: tuple[int, ...]
    ratio_year: int
    ratio_last: float
    ratio: float
    median: float
    lo80: float
    hi80: float


@dataclass(frozen=True)
class CohortForecast:
    """The cohort model's outlook: the indicator `forecast` (model "cohort"), the `ratio`'s
    own Forecast, the observed ratio, the cohort per forecast year (median and 80 % band;
    `cohort_known` where exact), and the explanation of each forecast year."""

    forecast: Forecast
    ratio: Forecast
    ratio_years: np.ndarray
    ratio_values: np.ndarray
    cohort: np.ndarray
    cohort_lo80: np.ndarray
    cohort_hi80: np.ndarray
    cohort_known: np.ndarray
    explanations: tuple[CohortExplanation, ...]

    def explanation(self, year: int) -> CohortExplanation:
        """The explanation record of one forecast year."""
        for e in self.explanations:
            if e.year == year:
                return e
        raise ValueError(f"year {year} not forecast; forecast years: "
                         f"{[e.year for e in self.explanations]}")


def cohort_forecast(
    years: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    driver_years: Sequence[int] | np.ndarray,
    driver_values: Sequence[float] | np.ndarray,
    *,
    lags: Sequence[int],
    target_year: int,
    model: str = "auto",
    levels: tuple[int, ...] = (80, 95),
    bounds: tuple[float | None, float | None] = (0.0, None),
    ratio_bounds: tuple[float | None, float | None] = (0.0, None),
    scenario: Mapping[int, float] | None = None,
    n_paths: int = 4000,
    seed: int = 0,
) -> CohortForecast:
    """Outlook of an indicator driven by `lags` of a driver, every year after its last to
    `target_year`: the ratio trended with `model` (any of `forecast()`'s), times the cohort.

    Raises InsufficientDataError when fewer than 2 years have both the indicator and its
    whole cohort, ValueError when the last observed year's cohort is incomplete (the ratio
    must reach the latest value) or the inputs are malformed.
    """
    lags = tuple(sorted({int(lag) for lag in lags}))
    if not lags or lags[0] < 0:
        raise ValueError(f"lags must be non-negative ages, got {lags}")
    lv = check_levels(levels)
    bnds: Bounds = _clean_bounds(bounds)
    yrs, y = clean_series(years, values)
    dyrs, dv = clean_series(driver_years, driver_values)
    observed_cohort = cohort_sums(dyrs, dv, yrs, lags)
    keep = np.isfinite(observed_cohort) & (observed_cohort > 0)
    if keep.sum() < 2:
        raise InsufficientDataError(
            f"only {int(keep.sum())} year(s) with the indicator and its whole cohort "
            f"(driver at t−{', t−'.join(map(str, lags))}); need >= 2")
    if not keep[-1]:
        raise ValueError(f"the cohort of {yrs[-1]} (driver in {yrs[-1] - lags[-1]}–"
                         f"{yrs[-1] - lags[0]}) is incomplete: the ratio cannot reach the "
                         "latest value")
    r_years, ratio = yrs[keep], y[keep] / observed_cohort[keep]
    ratio_fc = forecast(r_years, ratio, target_year=target_year, model=model, levels=lv,
                        bounds=ratio_bounds, n_paths=n_paths, seed=seed)
    future = ratio_fc.years
    drv = project_driver(dyrs, dv, int(future[-1]) - lags[0] if future.size else 0,
                         scenario=scenario, n_paths=n_paths, seed=seed + 1) \
        if future.size else None
    paths, known = _cohort_paths(drv, future, lags, n_paths)
    cohort_med = np.median(paths, axis=0) if future.size else np.empty(0)
    cohort_band = np.quantile(paths, [0.1, 0.9], axis=0) if future.size \
        else np.empty((2, 0))
    forecast_ = _indicator_forecast(ratio_fc, paths, known, cohort_med, lv, bnds,
                                    r_years, ratio, observed_cohort[keep], lags)
    explanations = tuple(
        _explain(int(t), j, lags, drv, cohort_med, cohort_band, r_years, ratio, ratio_fc,
                 forecast_)
        for j, t in enumerate(future)
    ) if drv is not None else ()
    return CohortForecast(forecast_, ratio_fc, r_years, ratio, cohort_med, cohort_band[0],
                          cohort_band[1], known, explanations)


def _cohort_paths(drv: DriverPaths | None, future: np.ndarray, lags: tuple[int, ...],
                  n_paths: int) -> tuple[np.ndarray, np.ndarray]:
    """(n_paths, H) cohort paths per forecast year and whether each year's cohort is exact."""
    if drv is None:
        return np.empty((n_paths, 0)), np.empty(0, bool)
    cols, known = [], []
    for t in future:
        cols.append(sum(drv.column(int(t) - lag) for lag in lags))
        known.append(all(bool(drv.known[drv.years == int(t) - lag][0]) for lag in lags))
    return np.column_stack(cols), np.array(known)


def _indicator_forecast(ratio_fc: Forecast, cohort_paths: np.ndarray, known: np.ndarray,
                        cohort_med: np.ndarray, lv: tuple[int, ...], bnds: Bounds,
                        r_years: np.ndarray, ratio: np.ndarray, observed_cohort: np.ndarray,
                        lags: tuple[int, ...]) -> Forecast:
    """The indicator's Forecast: ratio × cohort, exact where the cohort is known."""
    reason = (f"cohort: ratio × Σ driver(t−lag), lags {list(lags)}; cohort exact where the "
              f"driver is observed, else {DRIVER_MODEL}; ratio {ratio_fc.reason}")
    fit_values = clip_to(ratio_fc.fit_values * observed_cohort, bnds)
    n = len(ratio_fc.years)
    if ratio_fc.point_only or ratio_fc._dist is None:  # noqa: SLF001 - its own distribution
        nan = np.full(n, np.nan)
        median = clip_to(ratio_fc.median * cohort_med, bnds)
        return replace(ratio_fc, model=MODEL, median=median,
                       lower={lev: nan.copy() for lev in lv},
                       upper={lev: nan.copy() for lev in lv},
                       fit_years=r_years, fit_values=fit_values, reason=reason,
                       selection=_selection(ratio_fc, reason, "point_only"))
    assert ratio_fc.samples is not None
    paths = clip_to(ratio_fc.samples * cohort_paths, bnds)
    exact = np.where(known, cohort_med, np.nan)
    dist = CohortPredictive((), bnds, ratio=ratio_fc._dist, cohort=exact,  # noqa: SLF001
                            paths=paths)
    return Forecast(
        model=MODEL, years=ratio_fc.years, median=dist.quantile(0.5),
        lower={lev: dist.quantile((1 - lev / 100) / 2) for lev in lv},
        upper={lev: dist.quantile((1 + lev / 100) / 2) for lev in lv},
        samples=paths, fit_years=r_years, fit_values=fit_values, point_only=False,
        reason=reason, selection=_selection(ratio_fc, reason, MODEL),
        caveats=ratio_fc.caveats, _dist=dist,
    )


def _selection(ratio_fc: Forecast, reason: str, rule: str) -> Selection:
    """The cohort model as the choice; the ratio's own choice stays in `CohortForecast.ratio`."""
    sel = ratio_fc.selection
    widening = dict(sel.widening) if sel is not None else {}
    return Selection(model=MODEL, members=(MODEL,), weights=(1.0,), scores={},
                     n_origins=sel.n_origins if sel is not None else 0, rule=rule,
                     widening=widening, reason=reason)


def _explain(t: int, j: int, lags: tuple[int, ...], drv: DriverPaths, cohort_med: np.ndarray,
             band: np.ndarray, r_years: np.ndarray, ratio: np.ndarray, ratio_fc: Forecast,
             fc: Forecast) -> CohortExplanation:
    """The explanation record of forecast year `t` (index `j`)."""
    born = [t - lag for lag in lags]
    projected = tuple(b for b in sorted(born) if not drv.known[drv.years == b][0])
    scen = tuple(b for b in sorted(born) if drv.scenario[drv.years == b][0])
    lo = fc.lower.get(80, np.full(len(fc.years), np.nan))
    hi = fc.upper.get(80, np.full(len(fc.years), np.nan))
    return CohortExplanation(
        year=t, lags=lags, born=(min(born), max(born)), cohort=float(cohort_med[j]),
        cohort_lo80=float(band[0, j]), cohort_hi80=float(band[1, j]),
        projected_years=projected, scenario_years=scen, ratio_year=int(r_years[-1]),
        ratio_last=float(ratio[-1]), ratio=float(ratio_fc.median[j]),
        median=float(fc.median[j]), lo80=float(lo[j]), hi80=float(hi[j]),
    )


def explanation_notes(e: CohortExplanation, *, driver: Mapping[str, str],
                      indicator: Mapping[str, str], unit: Mapping[str, str]) -> list[Note]:
    """The explanation as notes (labels.NOTE_TEXTS "cohort*"), rendered in zh or en by
    `labels.join_notes`; `driver`, `indicator` and `unit` map a language to its words."""
    words = {f"{k}_{lang}": m.get(lang, m.get("en", "")) for k, m in
             (("driver", driver), ("name", indicator), ("unit", unit)) for lang in ("zh", "en")}
    words |= {f"ages_{lang}": _span(e.lags[0], e.lags[-1], dash) for lang, dash in _DASH}
    words |= {f"born_{lang}": _span(*e.born, dash) for lang, dash in _DASH}
    notes = [Note("cohort", {"year": e.year, "cohort": _num(e.cohort), **words})]
    for code, years in (("cohort_projected", e.projected_years),
                        ("cohort_scenario", e.scenario_years)):
        if years:
            listed = {f"years_{lang}": sep.join(map(str, years)) for lang, sep in _LIST}
            notes.append(Note(code, {"lo": _num(e.cohort_lo80), "hi": _num(e.cohort_hi80),
                                     **listed, **words}))
    notes.append(Note("cohort_ratio", {
        "year": e.year, "ratio_year": e.ratio_year, "ratio_last": f"{e.ratio_last:.3f}",
        "ratio": f"{e.ratio:.3f}", "median": _num(e.median), "lo": _num(e.lo80),
        "hi": _num(e.hi80), **words}))
    return notes


_DASH = (("zh", "—"), ("en", "–"))
_LIST = (("zh", "、"), ("en", ", "))


def _span(first: int, last: int, dash: str) -> str:
    """'2020—2022' (one year alone if first == last)."""
    return f"{first}" if first == last else f"{first}{dash}{last}"


def _num(x: float) -> str:
    """A count as printed in the explanation: whole units with thousands separators."""
    return f"{x:,.0f}" if np.isfinite(x) else "—"
