"""Trend models with honest predictive distributions for short annual series (DESIGN.md §4).

Pure functions on arrays: ``forecast(years, values, target_year=2025)`` returns a
`Forecast` with the median, 80/95 % intervals, seeded joint sample paths and P(target met).

Models (each one spec in `registry`; all use the actual year spacing, so gaps are fine; input
order does not matter):

* ``drift``  random walk with drift c = (y_last - y_first) / span; a change over g years is
  N(c g, sigma^2 g); Var_h = sigma^2 h (1 + h / span), i.e. sigma^2 h (1 + h/(n-1)).
* ``linear`` OLS on year; margins equal statsmodels' ``obs_ci_*`` prediction intervals.
* ``log``    OLS of log y on year (constant growth), if all values > 0.
* ``logit``  OLS of logit((y - L)/(U - L)) on year, if both bounds are finite and all values
  lie strictly inside; never leaves (L, U).
* ``damped`` ETS(A,Ad,N) (additive error, additive damped trend; `damped_fit`: least
  squares over statsmodels' ETSModel parameter box, checked against it), n >= 8
  consecutive years; t(n - 5) margins with sigma^2 = SSE/(n - 5), then widened h years
  ahead exactly as an ``auto`` member (step 3 below, from its own rolling-origin backtest
  with origins of >= 8 points; the prior alone for n = 8). On smooth series
  ETS often puts alpha = beta = 0, a deterministic damped curve whose own variance is the
  same every year -- an interval that does not widen with the horizon (DESIGN.md §4). A failed
  fit falls back to linear (or is dropped from a combination) and `reason` says so.

Distributions: each model is a multivariate Student t on its working scale (df = n - 2 for
the trend models): the marginal quantiles are the analytic t quantiles mapped through the
inverse transform and clipped to `bounds`, so intervals nest and -- on the working scale --
widen with the horizon. In original units the log/logit transforms can narrow an interval
(a logit path saturating near 100 %, a log path falling towards 0), and clipping at a bound
narrows it too; that is the model's honest statement, not an error. `prob_at_least/most`
are the analytic CDF of the same margins, kept within [1e-4, 1 - 1e-4] (`base.P_FLOOR`: a t
tail fitted to a few points cannot justify certainty; exact 0/1 only where the bounds settle
the question or the fit is degenerate). A series' distribution is its members' margins with
the forecast years as the rows of a panel (`predictive`): its quantiles and probabilities
are the panel mixture's (`planlib.core.batch.mixture`), and auto's choice for it is the
panel's on a panel of one row (`planlib.core.batch.auto.choose`). Sample paths are
jointly consistent: regression paths share one parameter draw plus independent yearly
noise, drift paths cumulate yearly innovations on a shared drift error, damped paths follow
the ETS error recursion; a shared chi-square draw per path makes the margins exactly t.
Same seed -> identical output.

``auto`` (see `selection`): for n < 6, parsimony -- ``logit`` if bounded on both sides with
the last value within 10 % of the range from a bound, else ``drift`` (it starts from the
latest value and continues the average annual change). ``drift`` keeps its own t intervals;
``logit``'s scale is raised, year by year, to at least that of a random walk with drift
fitted to the same points on the logit scale (`batch.auto`'s drift floor): an OLS line through
five smooth points otherwise claims to know the trend. The median is unchanged. For n >= 6:

1. Rolling-origin backtest on the series itself (origins from 4 points, 8 when ``damped``
   competes; ``damped`` is scored from n >= 10, the first n with 2 origins of 8 points),
   forecasting up to min(horizon, 5) years ahead; score = MASE of the median. Besides the
   single models, ``auto`` backtests ``drift_recent``: ``drift`` fitted to the last 5
   observations only (the window the parsimony branch uses at n = 5), which follows a
   series that slows down (saturating rates, the fall in births) instead of the average
   pace since the first year. It is an ``auto`` candidate, not a model of its own; so is
   ``naive``, the last value carried forward (a random walk without drift, Var_h =
   sigma^2 h), which wins where a trend stops or reverses.
2. The models within 20 % of the best score (at most 3) are combined with equal weights by
   averaging their quantiles (Vincentization); a single model if only one qualifies. With
   n = 8 or 9, where ``damped`` applies but cannot be scored (no origin, or one), it is
   not left out: the best-scored model and ``damped`` are combined with equal weights
   (the standard hedge for a good model the data cannot yet rank), ``damped`` widened from
   its own origins as for an explicit request (the floor alone at n = 8).
3. Each member's working-scale scale h years ahead is multiplied by lambda_h (`widening`):
   the series' own backtest normal scores, by horizon, shrunk towards a pooled prior
   max(1, 1.5 sqrt(h)) (empirical Bayes: the series' error level over all horizons with the
   weight of 8 outcomes, each horizon's with 16), never below 1, non-decreasing in h. The
   prior is a trend-change and selection allowance: the trend models treat the fitted
   trend as known, while real trends bend (the fall in births, saturating rates), and
   choosing the best-backtested model from a few points leaves intervals too narrow even
   one year ahead. A series without backtest history gets the prior; one whose backtest
   errors exceeded its intervals widens more, one whose errors stayed well inside them
   less. The prior and weights were set on 8-year windows of the WDI R&D panel and
   checked on panels never used for tuning (benchmarks/calibration.py).
   Widening scales rows of the t loadings, so margins stay t(df), intervals nest, widen with
   h on the working scale, stay in bounds, and samples/probabilities use the same margins.
4. Joint paths of a combination use the best-ranked member's dependence across years (its
   copula) with the averaged margins.
Undeclared level shifts (`level_shifts`): before any of this, the fit window (after declared
breaks and ``fit_from``) starts at the latest jump far outside the series' usual yearly change
(`planlib.core.series.Series.window`, with a note), so a trend is not fitted across a step.

``log`` never enters ``auto`` with fewer than 2 residual df (it needs n >= 6 there); for an
explicit ``log`` request with n = 3 (t(1) tails) the back-transform is capped at 1e300 so
every sample and quantile is finite.

Measured numbers live in benchmarks/results/, not here: `backtest.md` and
`calibration.md` (generated by `make bench`), and `model_choices_history.md`, the historical
log of the experiments behind each rule above.

Counts (`count_scale`): for a series bounded [0, open) -- or, from the evaluation, an
indicator declared so -- the identity-scale members' margins are re-expressed on the log
scale after widening (centre log c, scale s / c: the same median, a multiplicative
interval that never reaches below zero), in each year whose median is positive and whose
scale is at most half of it; other years keep the additive interval clipped at zero.

Edge cases: n < 2 raises InsufficientDataError; n == 2 gives a point path only (the straight
line through both points, on the model's working scale for an explicit log/logit request),
intervals NaN, samples None, probabilities NaN; a constant or perfectly fitting series gives
a zero-width (degenerate) distribution and `reason` says so.
"""


from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .registry import MODELS

if TYPE_CHECKING:
    from .api import forecast
    from .base import InsufficientDataError
    from .predictive import Forecast
    from .selection import eligible_models

#: Imported on first use, so that the light `registry` (model names for the CLI) does not
#: load scipy.
_EXPORTS = {"forecast": ".api", "Forecast": ".predictive", "InsufficientDataError": ".base",
            "eligible_models": ".selection"}
__all__ = ["MODELS", "Forecast", "InsufficientDataError", "eligible_models", "forecast"]


def __getattr__(name: str) -> Any:
    """The public names, imported lazily (see `_EXPORTS`)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
