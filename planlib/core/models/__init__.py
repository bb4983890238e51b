"""Trend models with honest predictive distributions for short annual series (DESIGN.md §4).

Pure functions on arrays: ``forecast(years, values, target_year=2025)`` returns a
`Forecast` with the median, 80/95 % intervals, seeded joint sample paths and P(target met).

Models (all use the actual year spacing, so gaps are fine; input order does not matter):

* ``drift``  random walk with drift c = (y_last - y_first) / span; a change over g years is
  N(c g, sigma^2 g); Var_h = sigma^2 h (1 + h / span), i.e. sigma^2 h (1 + h/(n-1)).
* ``linear`` OLS on year; margins equal statsmodels' ``obs_ci_*`` prediction intervals.
* ``log``    OLS of log y on year (constant growth), if all values > 0.
* ``logit``  OLS of logit((y - L)/(U - L)) on year, if both bounds are finite and all values
  lie strictly inside; never leaves (L, U).
* ``damped`` statsmodels ETSModel(error="add", trend="add", damped_trend=True), n >= 8
  consecutive years; t(n - 5) margins with sigma^2 = SSE/(n - 5). A failed fit falls back
  to linear (or is dropped from a combination) and `reason` says so.

Distributions: each model is a multivariate Student t on its working scale (df = n - 2 for
the trend models): the marginal quantiles are the analytic t quantiles mapped through the
inverse transform and clipped to `bounds`, so intervals nest and -- on the working scale --
widen with the horizon. In original units the log/logit transforms can narrow an interval
(a logit path saturating near 100 %, a log path falling towards 0), and clipping at a bound
narrows it too; that is the model's honest statement, not an error. `prob_at_least/most`
are the analytic CDF of the same margins. Sample paths are jointly consistent: regression
paths share one parameter draw plus independent yearly noise, drift paths cumulate yearly
innovations on a shared drift error, damped paths follow the ETS error recursion; a shared
chi-square draw per path makes the margins exactly t. Same seed -> identical output.

``auto`` (see `selection`): for n < 6, parsimony -- ``logit`` if bounded on both sides with
the last value within 10 % of the range from a bound, else ``drift`` (it starts from the
latest value and continues the average annual change). For n >= 6, a
rolling-origin backtest (origins from 4 points, forecasts up to min(horizon, 5) years
ahead, MASE of the median); the models within 20 % of the best score (at most 3) are
combined with equal weights by averaging their quantiles (Vincentization), as equal-weight
combinations did well in the M4 competition. Joint paths of a combination use the
best-ranked member's dependence across years (its copula) with the averaged margins.

Honesty check (DESIGN.md §4), all shipped national series and cuts, 1-3 years ahead: the
80 % / 95 % intervals of ``auto`` held 80 % / 90 % of outcomes for n < 6 but only 64 % / 81 %
for n >= 6 -- the long series include breaks (the fall in births) that no trend model
foresees, so read long-series intervals as "if the trend continues".

Edge cases: n < 2 raises InsufficientDataError; n == 2 gives a point path only (the straight
line through both points, on the model's working scale for an explicit log/logit request),
intervals NaN, samples None, probabilities NaN; a constant or perfectly fitting series gives
a zero-width (degenerate) distribution and `reason` says so.
"""

from .api import forecast
from .base import Forecast, InsufficientDataError
from .selection import MODELS, eligible_models

__all__ = ["MODELS", "Forecast", "InsufficientDataError", "eligible_models", "forecast"]
