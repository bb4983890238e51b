"""Which models apply to a series, and how `auto` picks among them.

`auto` (documented in the package docstring):

* n < 6: parsimony -- `logit` if the series is bounded on both sides and its last value is
  within 10 % of the range from a bound (a straight line would soon cross it), else `drift`:
  it starts from the latest value and continues the average annual change (the "recent
  pace" of the progress section), and its intervals grow with the horizon (why, measured:
  benchmarks/results/model_choices_history.md). `logit`'s scale is
  floored at that of a random walk with drift on the logit scale (the drift floor).
* n >= 6: rolling-origin backtest on the series itself. Candidates: the eligible single
  models (`damped` from n >= DAMPED_AUTO_N = 10), "drift_recent", `drift` on the last
  RECENT_WINDOW = 5 observations, and "naive", the last value carried forward. For every
  origin k >= 4 (k >= 8 when `damped` competes), fit on the first k points and forecast
  the observed years up to
  h = min(target horizon, 5) ahead (after a longer gap: the next observation); score = MAE
  of the median / mean absolute per-year change of the whole series (MASE). Models within
  20 % of the best score (at most 3) are combined with equal weights by averaging
  quantiles (Vincentization); ties break towards simpler models. If `damped` applies but
  has fewer than DAMPED_MIN_ORIGINS = 2 origins (n = 8, 9), the best-scored model and
  `damped` are combined instead (equal weights; `damped` widened as an explicit request).
  Each member's scale h years ahead is then widened (`widening_from_sums`, module `widening`): its
  own backtest errors by horizon shrunk towards a pooled prior (trend-change and selection
  allowance, set on cuts of the WDI R&D panel).

An explicit `damped` request gets the same widening from its own backtest, so it is the
same distribution as `auto` choosing `damped` alone.

The rules are applied to panels (`planlib.core.batch.auto.choose`, backtest in
`planlib.core.batch.backtest`), a single series being a panel of one row; this module holds
their constants, the applicability rule and the prose (`choice_reason`) as functions of
plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import widening as widening_rule
from .base import Bounds, Fit, clean_bounds
from .registry import DAMPED_MIN_N as DAMPED_MIN_N
from .registry import MODELS as MODELS  # re-exported: the single models
from .registry import PARSIMONY_N as PARSIMONY_N
from .registry import RECENT_WINDOW as RECENT_WINDOW
from .registry import SIMPLICITY as SIMPLICITY  # backtest tie-break order
from .registry import SPECS
from .registry import eligibility as eligibility  # the one applicability rule

NEAR_BOUND = 0.10  # share of (U - L) counted as "near a bound"
MIN_TRAIN = 4  # smallest training window in the backtest
DAMPED_MIN_ORIGINS = 2  # backtest origins of >= 8 points before damped is scored in auto
DAMPED_AUTO_N = DAMPED_MIN_N + DAMPED_MIN_ORIGINS  # damped is scored in auto from n = 10
MAX_BACKTEST_H = 5
COMBO_TOL = 1.2  # members within this factor of the best backtest score are combined
MAX_MEMBERS = 3


def eligible_models(
    values: Sequence[float] | np.ndarray,
    bounds: Bounds = (None, None),
    *,
    years: Sequence[int] | np.ndarray | None = None,
    names: tuple[str, ...] = MODELS,
) -> list[str]:
    """Models of `names` (the single models by default) that apply to this series, in that
    order; [] if n < 2: the one row of `eligibility` (None, NaN or inf bounds mean no
    bound; without `years` the series counts as consecutive)."""
    v = np.asarray(values, dtype=float)
    valid = np.isfinite(v)
    if int(valid.sum()) < 2:
        return []
    lo, hi = clean_bounds(bounds)
    yrs = np.arange(v.size, dtype=float) if years is None else np.asarray(years, dtype=float)
    order = np.argsort(np.where(valid, yrs, np.inf), kind="stable")
    mask = eligibility(yrs[order][None, :], v[order][None, :], valid[order][None, :],
                       np.array([np.nan if lo is None else lo]),
                       np.array([np.nan if hi is None else hi]), names)
    return [m for m, ok in zip(names, mask[0], strict=True) if ok]


def fit_single(
    model: str, years: np.ndarray, y: np.ndarray, future: np.ndarray, bounds: Bounds
) -> Fit:
    """Fit one registered model (n >= 3), `auto`'s candidates included; `damped` may
    raise ETSFitError."""
    return SPECS[model].series_fit()(years, y, future, bounds)


def near_bounds(last: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per row: both bounds finite and `last` within NEAR_BOUND of the range from one (NaN
    bound = open: never near)."""
    with np.errstate(invalid="ignore"):
        near = np.minimum(last - lo, hi - last) < NEAR_BOUND * (hi - lo)
    return near & ~np.isnan(lo) & ~np.isnan(hi)


def backtest_horizons(last_year: np.ndarray, target_year: int) -> np.ndarray:
    """How many years ahead the backtest scores, per series ending at `last_year`: to the
    target year, 1 to MAX_BACKTEST_H."""
    return np.clip(target_year - np.asarray(last_year), 1, MAX_BACKTEST_H)


def backtest_horizon(years: np.ndarray, target_year: int) -> int:
    """`backtest_horizons` of one series (its `years`)."""
    return int(backtest_horizons(years[-1], target_year))


def horizon_floor(h: np.ndarray) -> np.ndarray:
    """The pooled prior of the widening h years ahead, max(1, c h^a) (`widening.prior`)."""
    return widening_rule.prior(np.asarray(h, dtype=float))


def widening_from_sums(sumsq: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Factors lambda_1..lambda_H (last axis; >= 1, non-decreasing) for a member's scale h
    years ahead from per-h sums and counts of its squared backtest normal scores, for any
    number of rows: the empirical-Bayes rule (`widening.factors`), the series' own errors
    shrunk towards a pooled prior."""
    return widening_rule.factors(sumsq, count)


def widening_note(widen: dict[str, np.ndarray]) -> str:
    """'; intervals widened up to ×...' for the reason, or '' if nothing was widened."""
    if not widen or not any(np.any(w > 1) for w in widen.values()):
        return ""
    w = np.array(list(widen.values()))
    return widening_text(float(w.max()), bool(beyond_floor(w).any()))


def beyond_floor(w: np.ndarray) -> np.ndarray:
    """Whether widening factors (last axis: 1, 2, ... years ahead) exceed the pooled prior
    somewhere, i.e. the backtest asked for more than the prior (reduced over that axis)."""
    return np.any(w > horizon_floor(np.arange(1, w.shape[-1] + 1)) + 1e-12, axis=-1)


def widening_text(top: float, more: bool) -> str:
    """`widening_note`'s words for the largest factor and whether the backtest asked for
    more than the pooled prior somewhere (top > 1)."""
    return (f"; intervals widened up to ×{top:.2f} (pooled trend-change allowance "
            f"{widening_rule.PRIOR_SCALE:g}·h^{widening_rule.PRIOR_POWER:g}"
            f"{', more where backtest errors exceeded the intervals' if more else ''})")


@dataclass(frozen=True)
class AutoChoice:
    """What `auto` chose and why, as data (one row of the panel's choice record,
    `planlib.core.batch.auto.row_choice`): members (best first), the reason in prose, the
    widening factor per member for 1, 2, ... years ahead, the backtest scores (MASE per
    candidate; empty under parsimony), the number of backtest origins and the rule used
    ("parsimony", "parsimony_logit", "backtest", "hedge" or "requested")."""

    members: list[str]
    reason: str
    widen: dict[str, np.ndarray]
    scores: dict[str, float]
    n_origins: int
    rule: str


def choice_reason(rule: str, n: int, last: float, model: str, scores: dict[str, float],
                  members: list[str], n_origins: int, horizon: int,
                  widen: dict[str, np.ndarray]) -> str:
    """The prose of how a series' model was chosen under `rule`, from plain values:
    `scores` the scored candidates best first, `widen` the members' widening per year
    ahead (`last` the latest value, `model` the requested one)."""
    logit = float(widen["logit"].max(initial=1.0)) if "logit" in widen else 1.0
    return reason_of(rule, n, last, model, scores, members, n_origins, horizon,
                     widening_note(widen), logit)


def reason_of(rule: str, n: int, last: float, model: str, scores: dict[str, float],
              members: list[str], n_origins: int, horizon: int, widened: str,
              logit_top: float) -> str:
    """`choice_reason` once the widening is summed up: `widened` its `widening_note`,
    `logit_top` the largest logit floor factor (the panel computes both for all rows)."""
    if rule == "parsimony":
        return parsimony_reason(n)
    if rule == "parsimony_logit":
        return parsimony_logit_reason(n, last, logit_top)
    if rule == "requested":
        return requested_reason(model, widened)
    return backtest_reason(scores, list(scores), members, n_origins, horizon,
                           rule == "hedge", widened)


def backtest_reason(scores: dict[str, float], ranked: list[str], members: list[str],
                    n_origins: int, horizon: int, hedge: bool, widened: str,
                    notes: Sequence[str] = ()) -> str:
    """The prose of a backtest-based choice (shared with the vectorised path); `widened`
    is `widening_note` of the members' widening."""
    listing = ", ".join(f"{m} {scores[m]:.2f}" for m in ranked)
    chosen = model_label(members)
    reason = (
        f"auto: backtest MASE ({n_origins} origin{'s' * (n_origins != 1)}, "
        f"1–{horizon} years ahead) {listing} → {chosen}"
    )
    if hedge:
        reason += (f" (equal-weight quantile average of the best-scored model and damped, "
                   f"which applies but needs n >= {DAMPED_AUTO_N} for {DAMPED_MIN_ORIGINS} "
                   f"backtest origins of {DAMPED_MIN_N} points)")
    elif len(members) > 1:
        reason += f" (equal-weight quantile average of models within {COMBO_TOL:g}× the best)"
    reason += widened
    if notes:
        reason += "; " + "; ".join(notes)
    return reason


def model_label(members: Sequence[str]) -> str:
    """The model column's name of a choice: the member, or combo(a+b) for several."""
    return members[0] if len(members) == 1 else f"combo({'+'.join(members)})"


def parsimony_reason(n: int) -> str:
    """The reason of a parsimony choice of drift (n < PARSIMONY_N)."""
    return f"auto: n={n} < {PARSIMONY_N}, parsimony → drift (recent pace)"


def parsimony_logit_reason(n: int, last: float, widest: float) -> str:
    """The reason of a parsimony choice of logit near a bound; `widest` is the largest
    drift-floor factor (said when > 1)."""
    why = f"last value {last:g} within {NEAR_BOUND:.0%} of the range from a bound"
    reason = f"auto: n={n} < {PARSIMONY_N}, parsimony; {why} → logit"
    if widest > 1:
        reason += (f"; intervals widened up to ×{widest:.2f} to the random walk "
                   "with drift on the logit scale")
    return reason


def requested_reason(model: str, widened: str) -> str:
    """The reason of an explicitly requested model (`widened`: its widening words)."""
    return f"{model}: requested{widened}"


def point_reason(first: int, second: int) -> str:
    """The reason of a point path through the two observations (n = 2)."""
    return f"n=2: point path only, no interval (line through {first} and {second})"
