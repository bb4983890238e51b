"""`forecast()`: clean the series, fit the requested (or auto-chosen) model, build a Forecast."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planlib.constants import check_levels, clip_to
from planlib.core.batch.auto import choose_auto

from .base import Bounds, Fit, InsufficientDataError, Selection, clean_bounds
from .count_scale import count_fit
from .ets import ETSFitError
from .paths import N_PATHS, sample
from .predictive import Forecast, Predictive
from .selection import (
    MODELS,
    AutoChoice,
    eligible_models,
    fit_single,
    model_label,
    point_reason,
)
from .trends import ZERO_VAR_NOTE, point_path


def clean_series(
    years: Sequence[int] | np.ndarray, values: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted int years and float values, rows with a missing year or value dropped.

    Raises ValueError on length mismatch, non-integer years or duplicated years.
    """
    yrs = pd.array(np.asarray(years, dtype=object).ravel(), dtype="Float64")
    vals = pd.array(np.asarray(values, dtype=object).ravel(), dtype="Float64")
    yrs = yrs.to_numpy(dtype=float, na_value=np.nan)
    vals = vals.to_numpy(dtype=float, na_value=np.nan)
    if yrs.shape != vals.shape:
        raise ValueError(f"years and values differ in length ({yrs.size} vs {vals.size})")
    known = np.isfinite(yrs)
    if np.any(yrs[known] != np.round(yrs[known])):
        raise ValueError("years must be whole numbers")
    uniq, counts = np.unique(yrs[known], return_counts=True)
    if np.any(counts > 1):
        raise ValueError(f"duplicated years: {uniq[counts > 1].astype(int).tolist()}")
    keep = known & np.isfinite(vals)
    order = np.argsort(yrs[keep], kind="stable")
    return yrs[keep][order].astype(int), vals[keep][order]


def forecast(
    years: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    *,
    target_year: int,
    model: str = "auto",
    levels: tuple[int, ...] = (80, 95),
    bounds: tuple[float | None, float | None] = (None, None),
    n_paths: int = N_PATHS,
    seed: int = 0,
    choice: AutoChoice | None = None,
    count: bool | None = None,
) -> Forecast:
    """Predictive distribution of the series for every year after the last one to `target_year`.

    `model` is one of MODELS or "auto". Raises InsufficientDataError for n < 2 and
    ValueError for bad input or a model that does not apply to the series. `choice` is
    auto's choice for this very series when it was made already (a row of the panel's
    choice record, `planlib.core.batch.auto.row_choice`): the backtest is then not run
    again; without it the choice is the panel's on a panel of one row (`choose_auto`).
    `count`: whether the series is a count whose intervals go on the log scale
    (`count_scale`) when `bounds` are [0, open) too; None: whenever `bounds` are.
    `n_paths` = 0 draws no sample paths (``samples`` None): for a level target, which
    needs no joint paths.
    """
    yrs, y = clean_series(years, values)
    bnds = clean_bounds(bounds)
    lv = check_levels(levels)
    if model not in (*MODELS, "auto"):
        raise ValueError(f"unknown model {model!r}; choose from {(*MODELS, 'auto')}")
    if n_paths < 0:
        raise ValueError("n_paths must be >= 0")
    n = len(y)
    if n < 2:
        raise InsufficientDataError(
            f"insufficient data: {n} observation(s) after dropping missing values, need >= 2"
        )
    allowed = eligible_models(y, bnds, years=yrs)
    if model != "auto" and model not in allowed:
        raise ValueError(f"model {model!r} does not apply to this series; eligible: {allowed}")
    future = np.arange(yrs[-1] + 1, int(target_year) + 1)
    if n == 2:
        return _point_only("linear" if model == "auto" else model, yrs, y, future, bnds, lv)
    if model != "auto" or choice is None:  # the panel's choice of a panel of one row
        choice = choose_auto(yrs, y, bnds, int(target_year), model)
    members, reason, widen = choice.members, choice.reason, choice.widen
    fits, notes = _fit_members(members, yrs, y, future, bnds)
    if widen:  # a fallback fit (damped failed) takes the widest factor of the members
        widest = np.max(list(widen.values()), axis=0)
        fits = [f.widened(widen.get(f.model, widest)) for f in fits]
    if count is None or count:  # a count's interval is multiplicative
        fits = [count_fit(f, bnds) for f in fits]
    dist = Predictive(tuple(fits), bnds)
    lower = {lev: dist.quantile((1 - lev / 100) / 2) for lev in lv}
    upper = {lev: dist.quantile((1 + lev / 100) / 2) for lev in lv}
    median = dist.quantile(0.5)
    caveats = _caveats(fits, median, bnds)
    used = tuple(f.model for f in fits)
    name = model_label(used)
    n_ahead = len(future)
    selection = Selection(
        model=name, members=used, weights=tuple(1 / len(used) for _ in used),
        scores=dict(choice.scores), n_origins=choice.n_origins, rule=choice.rule,
        widening={m: tuple(float(x) for x in widen.get(m, np.ones(n_ahead))) for m in used},
        reason="; ".join([reason, *notes]),
    )
    return Forecast(
        model=name,
        years=future,
        median=median,
        lower=lower,
        upper=upper,
        samples=sample(dist, n_paths, seed) if n_paths else None,
        fit_years=yrs,
        fit_values=clip_to(np.mean([f.fit_values for f in fits], axis=0), bnds),
        point_only=False,
        reason="; ".join([reason, *notes]),
        selection=selection,
        caveats=tuple(caveats),
        _dist=dist,
    )


def _fit_members(
    members: list[str], yrs: np.ndarray, y: np.ndarray, future: np.ndarray, bnds: Bounds
) -> tuple[list[Fit], list[str]]:
    """Fit each member; a failed ETS fit is dropped (or replaced by linear if alone)."""
    fits, notes = [], []
    for m in members:
        try:
            fits.append(fit_single(m, yrs, y, future, bnds))
        except ETSFitError as exc:
            notes.append(f"damped: {exc} → dropped")
    if not fits:
        fits.append(fit_single("linear", yrs, y, future, bnds))
        notes[-1] = notes[-1].replace("dropped", "fell back to linear")
    return fits, notes


Caveat = tuple[str, dict[str, object]]


def _caveats(fits: list[Fit], median: np.ndarray, bnds: Bounds) -> list[Caveat]:
    """Caveats as (code, parameters), each true of this forecast: a degenerate (zero
    variance) member, very few residual df, a median that reaches a bound. The evaluation
    renders them in words (planlib.core.labels)."""
    out = member_caveats([f.model for f in fits if f.note == ZERO_VAR_NOTE],
                         min(f.df for f in fits))
    lo, hi = bnds
    if lo is not None and median.size > 0 and median.min() <= lo:
        out.append(("median_at_bound", {"bound": f"{lo:g}"}))
    if hi is not None and median.size > 0 and median.max() >= hi:
        out.append(("median_at_bound", {"bound": f"{hi:g}"}))
    return out


def member_caveats(flat: Sequence[str], min_df: float) -> list[Caveat]:
    """The members' caveats: degenerate (zero-variance) members, else very few residual df
    (`min_df` the fewest of the members)."""
    if flat:
        return [("degenerate", {"models": "+".join(flat)})]
    if min_df <= 2:
        return [("few_df", {"df": f"{min_df:g}"})]
    return []


def _point_only(
    model: str, yrs: np.ndarray, y: np.ndarray, future: np.ndarray, bnds: Bounds, lv: tuple
) -> Forecast:
    """n == 2: the line through both points (on the model's scale), clipped; no intervals."""
    path, fitted = point_path(model, yrs, y, future, bnds)
    reason = point_reason(int(yrs[0]), int(yrs[1]))
    nan = np.full(future.shape, np.nan)
    return Forecast(
        model=model,
        years=future,
        median=clip_to(path, bnds),
        lower={lev: nan.copy() for lev in lv},
        upper={lev: nan.copy() for lev in lv},
        samples=None,
        fit_years=yrs,
        fit_values=clip_to(fitted, bnds),
        point_only=True,
        reason=reason,
        selection=Selection(model=model, members=(model,), weights=(1.0,), scores={},
                            n_origins=0, rule="point_only", widening={}, reason=reason),
        _dist=None,
    )
