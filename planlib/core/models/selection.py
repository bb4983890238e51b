"""Which models apply to a series, and how `auto` picks among them.

`auto` (documented in the package docstring):

* n < 6: parsimony -- `logit` if the series is bounded on both sides and its last value is
  within 10 % of the range from a bound (a straight line would soon cross it), else `drift`:
  it starts from the latest value and continues the average annual change (the "recent
  pace" of the progress section), and its intervals grow with the horizon. On the shipped
  national series (all cuts, 1-3 years ahead, n < 6) it was as accurate as `linear` and
  better calibrated (80 % intervals held 84 % of outcomes vs 73 %).
* n >= 6: rolling-origin backtest on the series itself. For every origin k >= 4 (k >= 8 when
  `damped` competes), fit on the first k points and forecast the observed years up to
  h = min(target horizon, 5) ahead (after a longer gap: the next observation); score = MAE
  of the median / mean absolute per-year change of the whole series (MASE). Models within
  20 % of the best score (at most 3) are combined with equal weights by averaging
  quantiles (Vincentization); ties break towards simpler models.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Bounds, Fit, clean_bounds, clip_to
from .ets import MIN_N as DAMPED_MIN_N
from .ets import ETSFitError, fit_damped
from .trends import fit_drift, fit_regression

MODELS = ("drift", "linear", "log", "logit", "damped")

PARSIMONY_N = 6  # below this, no backtest: too few origins to rank models
NEAR_BOUND = 0.10  # share of (U - L) counted as "near a bound"
MIN_TRAIN = 4  # smallest training window in the backtest
DAMPED_AUTO_N = 11  # damped joins auto only with >= 3 backtest origins of >= 8 points
MAX_BACKTEST_H = 5
COMBO_TOL = 1.2  # members within this factor of the best backtest score are combined
MAX_MEMBERS = 3
SIMPLICITY = ("linear", "drift", "log", "logit", "damped")  # tie-break order


def eligible_models(
    values: Sequence[float] | np.ndarray,
    bounds: Bounds = (None, None),
    *,
    years: Sequence[int] | np.ndarray | None = None,
) -> list[str]:
    """Single models that apply to this series (in `MODELS` order); [] if n < 2.

    `log` needs all values > 0 (and a lower bound, if any, >= 0); `logit` needs both bounds
    and every value strictly inside (None, NaN or inf mean no bound); `damped` needs n >= 8
    consecutive years (pass `years` to check the spacing).
    """
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    v = v[finite]
    if v.size < 2:
        return []
    lo, hi = clean_bounds(bounds)
    out = ["drift", "linear"]
    if np.all(v > 0) and (lo is None or lo >= 0):
        out.append("log")
    if lo is not None and hi is not None and lo < hi and np.all((v > lo) & (v < hi)):
        out.append("logit")
    consecutive = True
    if years is not None:
        yrs = np.sort(np.asarray(years, dtype=float)[finite])
        consecutive = bool(np.all(np.diff(yrs) == 1))
    if v.size >= DAMPED_MIN_N and consecutive:
        out.append("damped")
    return out


def fit_single(
    model: str, years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
) -> Fit:
    """Fit one named model (n >= 3); `damped` may raise ETSFitError."""
    if model == "drift":
        return fit_drift(years, y, future)
    if model == "damped":
        return fit_damped(years, y, future)
    return fit_regression(model, years, y, future, bounds)


def near_bound(last: float, bounds: Bounds) -> bool:
    """True if both bounds are finite and `last` lies within NEAR_BOUND of the range of one."""
    lo, hi = bounds
    if lo is None or hi is None:
        return False
    return min(last - lo, hi - last) < NEAR_BOUND * (hi - lo)


def backtest_scores(
    models: Sequence[str], years: np.ndarray, y: np.ndarray, bounds: Bounds, horizon: int
) -> tuple[dict[str, float], int]:
    """Rolling-origin MASE of each model's median; returns (scores, number of origins).

    Models whose fit fails at any origin (ETS) are left out of the scores.
    """
    first = DAMPED_MIN_N if "damped" in models else MIN_TRAIN
    origins = range(first, len(y))
    changes = np.abs(np.diff(y)) / np.diff(years)
    scale = float(np.mean(changes)) or 1.0
    scores: dict[str, float] = {}
    for model in models:
        errors: list[np.ndarray] = []
        try:
            for k in origins:
                reach = max(horizon, years[k] - years[k - 1])  # a gap: still the next point
                ahead = years[k:] <= years[k - 1] + reach
                fit = fit_single(model, years[:k], y[:k], years[k:][ahead], bounds)
                pred = clip_to(fit.transform.inverse(fit.center), bounds)
                errors.append(np.abs(pred - y[k:][ahead]))
        except ETSFitError:
            continue
        scores[model] = float(np.mean(np.concatenate(errors))) / scale
    return scores, len(origins)


def choose_auto(
    years: np.ndarray, y: np.ndarray, bounds: Bounds, target_year: int
) -> tuple[list[str], str]:
    """Pick the model(s) for `auto` (n >= 3); returns (members, best first) and the reason."""
    n = len(y)
    candidates = eligible_models(y, bounds, years=years)
    if n < PARSIMONY_N:
        if "logit" in candidates and near_bound(float(y[-1]), bounds):
            why = f"last value {y[-1]:g} within {NEAR_BOUND:.0%} of the range from a bound"
            return ["logit"], f"auto: n={n} < {PARSIMONY_N}, parsimony; {why} → logit"
        return ["drift"], f"auto: n={n} < {PARSIMONY_N}, parsimony → drift (recent pace)"
    notes = []
    if "damped" in candidates and n < DAMPED_AUTO_N:
        candidates.remove("damped")
        notes.append(f"damped left out (needs n >= {DAMPED_AUTO_N} to backtest)")
    horizon = int(np.clip(target_year - years[-1], 1, MAX_BACKTEST_H))
    scores, n_origins = backtest_scores(candidates, years, y, bounds, horizon)
    if "damped" in candidates and "damped" not in scores:
        notes.append("damped left out (ETS fit failed in the backtest)")
    ranked = sorted(scores, key=lambda m: (scores[m], SIMPLICITY.index(m)))
    best = scores[ranked[0]]
    members = [m for m in ranked if scores[m] <= COMBO_TOL * best + 1e-12][:MAX_MEMBERS]
    listing = ", ".join(f"{m} {scores[m]:.2f}" for m in ranked)
    chosen = members[0] if len(members) == 1 else f"combo({'+'.join(members)})"
    reason = (
        f"auto: backtest MASE ({n_origins} origins, 1–{horizon} years ahead) {listing} → {chosen}"
    )
    if len(members) > 1:
        reason += f" (equal-weight quantile average of models within {COMBO_TOL:g}× the best)"
    if notes:
        reason += "; " + "; ".join(notes)
    return members, reason
