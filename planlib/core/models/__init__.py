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
* ``damped`` ETS(A,Ad,N) (additive error, additive damped trend; `damped_fit`: least
  squares over statsmodels' ETSModel parameter box, checked against it), n >= 8
  consecutive years; t(n - 5) margins with sigma^2 = SSE/(n - 5), then widened h years
  ahead exactly as an ``auto`` member (step 3 below, from its own rolling-origin backtest
  with origins of >= 8 points; the floor 1.2 sqrt(h) alone for n = 8). On smooth series
  ETS often puts alpha = beta = 0, a deterministic damped curve whose own variance is the
  same every year (kindergarten enrolment cut at 2019: 80 % width 138.5 one and five
  years ahead) -- an interval that does not widen with the horizon (DESIGN.md §4). A failed
  fit falls back to linear (or is dropped from a combination) and `reason` says so.

Distributions: each model is a multivariate Student t on its working scale (df = n - 2 for
the trend models): the marginal quantiles are the analytic t quantiles mapped through the
inverse transform and clipped to `bounds`, so intervals nest and -- on the working scale --
widen with the horizon. In original units the log/logit transforms can narrow an interval
(a logit path saturating near 100 %, a log path falling towards 0), and clipping at a bound
narrows it too; that is the model's honest statement, not an error. `prob_at_least/most`
are the analytic CDF of the same margins, kept within [1e-4, 1 - 1e-4] (`base.P_FLOOR`: a t
tail fitted to a few points cannot justify certainty; exact 0/1 only where the bounds settle
the question or the fit is degenerate). Sample paths are jointly consistent: regression
paths share one parameter draw plus independent yearly noise, drift paths cumulate yearly
innovations on a shared drift error, damped paths follow the ETS error recursion; a shared
chi-square draw per path makes the margins exactly t. Same seed -> identical output.

``auto`` (see `selection`): for n < 6, parsimony -- ``logit`` if bounded on both sides with
the last value within 10 % of the range from a bound, else ``drift`` (it starts from the
latest value and continues the average annual change). ``drift`` keeps its own t intervals;
``logit``'s scale is raised, year by year, to at least that of a random walk with drift
fitted to the same points on the logit scale (`selection.drift_floor`): an OLS line through
five smooth points otherwise claims to know the trend (compulsory retention cut at 2015:
80 % band for 2020 [94.36, 94.65], outcome 95.2, P(>= 95) = 0.005; now [94.14, 94.85],
P = 0.048). The median is unchanged. For n >= 6:

1. Rolling-origin backtest on the series itself (origins from 4 points, 8 when ``damped``
   competes; ``damped`` is scored from n >= 10, the first n with 2 origins of 8 points),
   forecasting up to min(horizon, 5) years ahead; score = MASE of the median. Besides the
   single models, ``auto`` backtests ``drift_recent``: ``drift`` fitted to the last 5
   observations only (the window the parsimony branch uses at n = 5), which follows a
   series that slows down (saturating rates, the fall in births) instead of the average
   pace since the first year. It is an ``auto`` candidate, not a model of its own.
2. The models within 20 % of the best score (at most 3) are combined with equal weights by
   averaging their quantiles (Vincentization); a single model if only one qualifies. With
   n = 8 or 9, where ``damped`` applies but cannot be scored (no origin, or one), it is
   not left out: the best-scored model and ``damped`` are combined with equal weights
   (the standard hedge for a good model the data cannot yet rank), ``damped`` widened from
   its own origins as for an explicit request (the floor alone at n = 8).
3. Each member's working-scale scale h years ahead is multiplied by
   lambda_h = running max over h' <= h of max(1.2 sqrt(h'), e_h'), where e_h^2 is the mean
   square of the member's backtest normal scores at horizon h shrunk towards 1 with the
   weight of 2 outcomes (`selection.widening`, floor `selection.horizon_floor`). sqrt(h) is
   a trend-change allowance: the trend models treat the fitted trend as known, so their
   error variance hardly grows with h, while real trends bend (the fall in births,
   saturating rates). The factor 1.2 (`FLOOR_SCALE`) was set on 8-year windows of real
   country series (below): even one year ahead, choosing the best-backtested model from a
   few points and averaging close members' quantiles left intervals ~20 % too narrow. So
   h years ahead the variance is multiplied by at least 1.44 h. e_h widens further when the
   series' own backtest errors were larger than the model's intervals claimed (it never
   narrows them).
   Widening scales rows of the t loadings, so margins stay t(df), intervals nest, widen with
   h on the working scale, stay in bounds, and samples/probabilities use the same margins.
4. Joint paths of a combination use the best-ranked member's dependence across years (its
   copula) with the averaged margins.
``log`` never enters ``auto`` with fewer than 2 residual df (it needs n >= 6 there); for an
explicit ``log`` request with n = 3 (t(1) tails) the back-transform is capped at 1e300 so
every sample and quantile is finite.

Honesty check (DESIGN.md §4, `benchmarks/results/backtest.md`): every shipped national
series with >= 6 points, every cut with >= 4 training points, 1-5 years ahead (227
forecast-outcome pairs, 156 with n >= 6). The 80 % / 95 % intervals of ``auto`` held
81.1 % / 91.2 % of outcomes (n < 6: 80 % / 96 %; n >= 6: 81 % / 89 %); auto's MASE is 0.315
(best single model on all pairs: drift 0.450; statsmodels' ETS damped peer on the gap-filled
series 0.296). History of the choices, same pairs:

* the models' own intervals: 66 % / 83 % (n >= 6: 62 % / 80 %). n >= 6 alternatives tried:
  e_h alone 63 % / 81 %; a linear pool instead of quantile averaging 63 % / 80 % (64 % / 81 %
  with e_h); a mixture always including ``drift`` 65 % / 84 % (66 % / 86 % with e_h);
  sqrt(h) alone 78 % / 88 %; sqrt(h) and e_h (adopted) 78 % / 88 %.
* ``damped`` in ``auto`` from n >= 9 instead of 11: MASE 0.372 -> 0.357; on the 60 pairs
  where ``damped`` runs, auto's MASE / damped's 1.90 -> 1.68. Adding ``drift_recent``:
  0.357 -> 0.335 and 1.68 -> 1.47 (a window of 4 points gave 0.331 and 1.48: not sensitive).
  Coverage moved by under 1 point.
* n = 8, 9 (``damped`` with < 2 origins): the best-scored model + ``damped`` (adopted):
  MASE 0.335 -> 0.315, ratio 1.47 -> 1.20, 80 % / 95 % coverage 79 % / 90 %; it improved
  all 6 such cuts. Tried and rejected: the hedge at n = 8 only (1.29); all models within
  20 % + ``damped`` (1.33-1.36); shrinking the scores towards their mean with the weight of
  1-4 origins (1.52-1.55, MASE 0.338-0.340); ``damped`` alone at n = 8, 9 (1.04, MASE
  0.304) -- it passes here, but these are 6 cuts of 3 related pre-school series: letting
  ``damped`` fit the gapped series (linear interpolation) as a check on 3 other series,
  ``damped`` alone at n = 8, 9 took auto's MASE on their 35 pairs from 0.28 to 0.46 and
  its ratio to ``logit`` to 1.19; the adopted hedge cost less there (0.28 -> 0.32).
  Interpolation itself was rejected: auto 0.335 -> 0.342 (``damped`` 0.51 vs auto 0.28 on
  the new pairs; its ratio "improves" to 1.01 only because worse pairs are added).
* n < 6: the drift floor for ``logit`` (2 of 18 cuts) 76 % / 92 % -> 80 % / 96 %. sqrt(h) for
  every n < 6 forecast on top was rejected: 89-94 % / 97-99 % (drift's own variance
  h (1 + h / (n - 1)) already grows fast when n is small).
* explicit ``damped`` with the widening: 60 % / 73 % -> 70 % / 78 % (60 pairs, 3 series).
* the floor sqrt(h) -> 1.2 sqrt(h), set on the WDI panel (below): 79.3 % / 89.9 % ->
  81.1 % / 91.2 % (n >= 6: 79 % / 87 % -> 81 % / 89 %; 4-5 years ahead 76 % / 90 % ->
  78 % / 91 %); explicit ``damped`` 70 % / 78 % -> 77 % / 80 %; MASE unchanged; the 2020
  plan's Brier score 0.225 -> 0.232 (its five met targets called a little less surely).

Calibration by horizon (`benchmarks/results/calibration.md`, `make bench-calibration`):
8-year windows (>= 6 points) of the World Bank's R&D-expenditure panel, 83 countries split
by a hash of their code into a tuning half (375 cuts) and a held-out half (349 cuts), and of
the national series (43 cuts), forecast 1-5 years ahead. 80 % / 95 % coverage over h = 1..5
(rerun with planlib's own damped fit and without the WDI aggregates OEC/NOC; the constant
was not retuned, the rerun finds the same c = 1.2):

* tuning half: floor sqrt(h) 75-80 % / 91.5-93 %; floor 1.2 sqrt(h) (the smallest scale
  that meets the target 75-85 % / >= 92 % at every h there) 80-85 % / 92-94 %.
* held-out half: 77-84 % / 93-94.5 % -> 81-89 % / 95.4-96 %: the 80 % intervals are wider
  than needed 2-5 years ahead (87-89 %); the held-out half alone would have kept sqrt(h).
* national windows: 74-84 % / 84-93.5 % -> 78-84 % / 91-95 % (95 % short at h = 1, 2: 91 %,
  92 % of 43 and 37 pairs).
* tried on the tuning half: floors c h^a with a = 0.3-0.8 fit no better than sqrt(h);
  heavier tails (t with 3-4 df) do not lift its 95 % coverage four years ahead (~92 %).
* accuracy is untouched (medians do not move): auto's MAE is 1.06 / 1.00 times drift's on
  the tuning / held-out windows (worse one year ahead: 1.14 / 1.05), 0.67 on the national.

Coverage is pooled: smooth series that later bent (compulsory retention) are still
under-covered, steady ones over-covered; read long-horizon intervals as "if the trend keeps
bending no more than it has elsewhere". ``auto`` is not within 10 % of ``damped`` on
damped's own 60 pairs (1.20): at n = 8, 9 the hedge keeps half the weight on the scored
model, and at n = 10, 11 kindergartens_count's backtest combines ``damped`` with models
that overshoot the fall in births.

Edge cases: n < 2 raises InsufficientDataError; n == 2 gives a point path only (the straight
line through both points, on the model's working scale for an explicit log/logit request),
intervals NaN, samples None, probabilities NaN; a constant or perfectly fitting series gives
a zero-width (degenerate) distribution and `reason` says so.
"""

from .api import forecast
from .base import Forecast, InsufficientDataError
from .selection import MODELS, eligible_models

__all__ = ["MODELS", "Forecast", "InsufficientDataError", "eligible_models", "forecast"]
