"""Trend models: hand-computed numbers, statsmodels cross-checks, real data and properties."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from planlib.core.batch.auto import choose, choose_auto
from planlib.core.batch.backtest import origin_errors
from planlib.core.batch.fits import BATCH_MODELS
from planlib.core.batch.mixture import Member
from planlib.core.batch.panel import Panel
from planlib.core.models import (
    MODELS,
    Forecast,
    InsufficientDataError,
    eligible_models,
    ets,
    forecast,
    selection,
    widening,
)
from planlib.core.models.base import P_FLOOR
from planlib.core.models.damped_fit import fit_params
from planlib.core.models.ets import ETSFitError
from planlib.core.models.paths import sample, standard_draws
from planlib.core.models.predictive import Predictive
from planlib.core.models.selection import fit_single

DATA = Path(__file__).resolve().parents[2] / "data/raw/cn_education_14th/observations.csv"
PRESCHOOL_YEARS = np.arange(2009, 2023)
PRESCHOOL = np.array([50.9, 56.6, 62.3, 64.5, 67.5, 70.5, 75.0, 77.4, 79.6, 81.7, 83.4, 85.2,
                      88.1, 89.7])
GAP_YEARS = np.array([2016, 2018, 2019, 2021])
GAP_VALUES = np.array([10.0, 13.0, 13.5, 17.0])


def cauchy_ppf(p):
    """t quantile with 1 df, by hand: tan(pi (p - 1/2))."""
    return math.tan(math.pi * (p - 0.5))


def ols_frame(years, z, future, alpha):
    """statsmodels OLS prediction frame on year (the reference for `linear`)."""
    res = sm.OLS(z, sm.add_constant(np.asarray(years, dtype=float))).fit()
    exog = sm.add_constant(np.asarray(future, dtype=float), has_constant="add")
    return res, res.get_prediction(exog).summary_frame(alpha=alpha)


# --- drift -----------------------------------------------------------------------------------

def test_drift_by_hand():
    fc = forecast([2020, 2021, 2022], [1, 2, 4], target_year=2025, model="drift")
    # per-year drift (4 - 1) / 2 = 1.5; residual changes -0.5, +0.5; sigma^2 = 0.5 / (n-2 = 1)
    assert fc.model == "drift"
    assert fc.years.tolist() == [2023, 2024, 2025]
    np.testing.assert_allclose(fc.median, [5.5, 7.0, 8.5])
    sigma = math.sqrt(0.5)
    for h, year in enumerate(fc.years, start=1):
        sigma_h = sigma * math.sqrt(h * (1 + h / 2))  # h (1 + h / (n - 1))
        half80 = cauchy_ppf(0.9) * sigma_h
        half95 = cauchy_ppf(0.975) * sigma_h
        row = fc.summary_frame().set_index("year").loc[year]
        assert row["lo80"] == pytest.approx(4 + 1.5 * h - half80)
        assert row["hi80"] == pytest.approx(4 + 1.5 * h + half80)
        assert row["lo95"] == pytest.approx(4 + 1.5 * h - half95)
        assert row["hi95"] == pytest.approx(4 + 1.5 * h + half95)
    assert fc.lower[80][0] == pytest.approx(2.834648, abs=1e-6)
    np.testing.assert_allclose(fc.fit_values, [1.0, 2.5, 4.0])  # line from first to last point
    assert ("few_df", {"df": "1"}) in fc.caveats  # a caveat code, rendered by labels


def test_drift_with_gaps_uses_year_spacing():
    fc = forecast(GAP_YEARS, GAP_VALUES, target_year=2023, model="drift")
    drift = (17.0 - 10.0) / 5  # per year over the 5-year span
    assert fc.median.tolist() == pytest.approx([17.0 + drift, 17.0 + 2 * drift])
    # changes 3.0 over 2 years, 0.5 over 1, 3.5 over 2: residuals scaled by sqrt(gap)
    resid = np.array([(3.0 - 2 * drift) / math.sqrt(2), 0.5 - drift,
                      (3.5 - 2 * drift) / math.sqrt(2)])
    sigma = math.sqrt(np.sum(resid**2) / 2)
    for h in (1, 2):
        half = stats.t.ppf(0.9, 2) * sigma * math.sqrt(h * (1 + h / 5))
        assert fc.upper[80][h - 1] - fc.median[h - 1] == pytest.approx(half)


def test_drift_sample_paths_are_cumulative():
    values = [3.0, 3.4, 3.3, 4.0, 4.4, 4.3, 5.1]
    fc = forecast(range(2016, 2023), values, target_year=2025, model="drift", n_paths=4000)
    steps = np.diff(fc.samples, axis=1)
    # consecutive levels are strongly correlated (random walk), yearly steps much less so
    assert np.corrcoef(fc.samples[:, 0], fc.samples[:, 1])[0, 1] > 0.6
    assert abs(np.corrcoef(steps[:, 0], steps[:, 1])[0, 1]) < 0.4


# --- linear / log / logit ------------------------------------------------------------------

@pytest.mark.parametrize("years", [np.arange(2015, 2023), np.array([2014, 2016, 2017, 2019, 2022])])
def test_linear_matches_statsmodels_obs_ci(years):
    rng = np.random.default_rng(3)
    values = 40 + 1.3 * (years - years[0]) + rng.normal(0, 1.0, len(years))
    fc = forecast(years, values, target_year=2026, model="linear")
    for level in (80, 95):
        _, ref = ols_frame(years, values, fc.years, alpha=1 - level / 100)
        np.testing.assert_allclose(fc.median, ref["mean"], rtol=1e-10)
        np.testing.assert_allclose(fc.lower[level], ref["obs_ci_lower"], rtol=1e-10)
        np.testing.assert_allclose(fc.upper[level], ref["obs_ci_upper"], rtol=1e-10)
    np.testing.assert_allclose(fc.fit_values, ols_frame(years, values, years, 0.2)[1]["mean"])


def test_linear_probabilities_are_the_t_cdf():
    years = np.arange(2016, 2023)
    values = np.array([60.1, 61.0, 62.4, 62.9, 64.2, 65.0, 66.3])
    fc = forecast(years, values, target_year=2025, model="linear")
    res, ref = ols_frame(years, values, [2025], alpha=0.2)
    se = float(ref["mean_se"].iloc[0] ** 2 + res.scale) ** 0.5
    expected = stats.t.sf((70 - ref["mean"].iloc[0]) / se, df=5)
    assert fc.prob_at_least(70, 2025) == pytest.approx(expected, rel=1e-9)
    assert fc.prob_at_most(70, 2025) == pytest.approx(1 - expected, rel=1e-9)
    assert fc.prob_at_least(fc.lower[80][-1], 2025) == pytest.approx(0.9)
    assert fc.prob_at_most(fc.upper[95][-1], 2025) == pytest.approx(0.975)


def test_log_model_is_constant_growth():
    years = np.arange(2017, 2023)
    values = 200 * 1.06 ** np.arange(6) * np.array([1.0, 1.01, 0.99, 1.0, 1.02, 0.99])
    fc = forecast(years, values, target_year=2025, model="log")
    res, ref = ols_frame(years, np.log(values), fc.years, alpha=0.2)
    growth = math.exp(res.params[1])
    assert growth == pytest.approx(1.06, abs=0.01)
    np.testing.assert_allclose(fc.median[1:] / fc.median[:-1], growth, rtol=1e-10)
    np.testing.assert_allclose(fc.median, np.exp(ref["mean"]), rtol=1e-10)
    np.testing.assert_allclose(fc.lower[80], np.exp(ref["obs_ci_lower"]), rtol=1e-10)


def test_log_exact_geometric_series_is_degenerate():
    fc = forecast([2020, 2021, 2022, 2023], [100, 105, 110.25, 115.7625], target_year=2025,
                  model="log")
    assert fc.median.tolist() == pytest.approx([100 * 1.05**4, 100 * 1.05**5])
    np.testing.assert_allclose(fc.upper[95], fc.lower[95], rtol=1e-12)
    assert "degenerate" in dict(fc.caveats)


@pytest.mark.parametrize("seed", range(8))
def test_log_with_one_residual_df_stays_finite(seed):
    # n = 3: t(1) draws are Cauchy; exp() of one overflowed to inf for most seeds before
    fc = forecast([2020, 2021, 2022], [10, 13, 12], target_year=2025, model="log", seed=seed)
    assert np.all(np.isfinite(fc.samples)) and fc.samples.max() <= 1e300
    for arr in [fc.median, *fc.lower.values(), *fc.upper.values()]:
        assert np.all(np.isfinite(arr)) and np.all(arr > 0)
    assert 0 <= fc.prob_sum_at_least(100) <= 1
    # beyond the cap no path reaches; a fitted trend still reports P_FLOOR, not a certain 0
    assert fc.prob_at_least(1e301, 2025) == P_FLOOR
    assert fc.prob_at_most(1e301, 2025) == 1 - P_FLOOR
    wild = forecast([2020, 2021, 2022], [1, 1e6, 3], target_year=2040, model="log", seed=seed)
    assert np.all(np.isfinite(wild.samples)) and np.all(np.isfinite(wild.upper[95]))


def test_logit_saturating_rate_never_reaches_100():
    years = [2019, 2020, 2021, 2022]
    values = [95, 97, 98.5, 99.2]
    fc = forecast(years, values, target_year=2032, model="logit", bounds=(0, 100))
    assert len(fc.years) == 10
    for arr in [fc.median, *fc.lower.values(), *fc.upper.values(), fc.samples]:
        assert np.all(arr > 0) and np.all(arr <= 100)
    assert np.all(fc.median < 100) and np.all(np.diff(fc.median) > 0)
    # the median is the back-transformed OLS line on logit(y / 100)
    z = np.log(np.array(values) / (100 - np.array(values)))
    _, ref = ols_frame(years, z, fc.years, alpha=0.2)
    np.testing.assert_allclose(fc.median, 100 / (1 + np.exp(-ref["mean"])), rtol=1e-12)
    # the logit never reaches 100, but a fitted trend does not say "impossible" (P_FLOOR);
    # P(y <= 100) is settled by the bound itself and stays exactly 1
    assert fc.prob_at_least(100.0, 2032) == P_FLOOR
    assert fc.prob_at_most(100.0, 2032) == 1.0


def test_linear_is_clipped_to_bounds():
    fc = forecast([2019, 2020, 2021, 2022], [91, 94, 96.5, 99], target_year=2025,
                  model="linear", bounds=(0, 100))
    assert fc.median[-1] == 100.0 and fc.upper[95].max() == 100.0
    assert fc.samples.max() <= 100.0
    assert ("median_at_bound", {"bound": "100"}) in fc.caveats
    # mass piles up at the bound: P(y >= 100) is the unclipped P(x >= 100), P(y > 100) = 0
    assert 0.5 < fc.prob_at_least(100, 2025) < 1
    assert fc.prob_at_least(100.01, 2025) == 0.0


# --- damped ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_damped_is_statsmodels_ets_at_planlib_s_least_squares_optimum():
    fc = forecast(PRESCHOOL_YEARS, PRESCHOOL, target_year=2025, model="damped", bounds=(0, 100))
    p = fit_params(np.asarray(PRESCHOOL, dtype=float)[None, :])
    model = ETSModel(pd.Series(PRESCHOOL), error="add", trend="add", damped_trend=True)
    mle = model.fit(disp=False)  # statsmodels' own optimum: a local one here, higher SSE
    assert p.sse[0] < 0.99 * np.sum(np.asarray(mle.resid) ** 2)
    res = model.smooth([p.alpha[0], p.beta[0], p.phi[0], p.level0[0], p.trend0[0]])
    pred = res.get_prediction(start=14, end=16)
    np.testing.assert_allclose(fc.median, pred.predicted_mean, rtol=1e-8)
    # same error structure as statsmodels; variance rescaled from SSE/n to SSE/(n - 5), t(9),
    # then widened h years ahead by lambda_h as an auto member (its own backtest errors
    # shrunk towards the pooled prior: >= 1, non-decreasing)
    n = len(PRESCHOOL)
    scale = np.sqrt(np.asarray(pred.forecast_variance) * n / (n - 5))
    lam = choose_auto(PRESCHOOL_YEARS, PRESCHOOL, (0.0, 100.0), 2025, "damped").widen["damped"]
    assert np.all(lam >= 1) and np.all(np.diff(lam) >= 0) and lam[-1] > 1
    np.testing.assert_allclose(fc.upper[80] - fc.median, stats.t.ppf(0.9, n - 5) * scale * lam,
                               rtol=1e-8)
    assert fc.model == "damped" and "widened" in fc.reason


def test_damped_intervals_widen_even_when_ets_degenerates():
    # kindergarten enrolment up to 2016 (n = 8): ETS puts alpha = beta = 0, so its own
    # variance is the same every year; with no backtest origin the widening is the pooled
    # prior c sqrt(h) (`widening.prior`, set by benchmarks/calibration.py)
    years, values = load("kindergarten_enrolment")
    keep = years <= 2016
    fc = forecast(years[keep], values[keep], target_year=2021, model="damped", bounds=(0, None))
    fit = fit_single("damped", years[keep], values[keep], fc.years, (0.0, None))
    assert "alpha=0.00 beta=0.00" in fit.note
    # a count: the widened margin on the log scale, log-scale spread = scale / median
    np.testing.assert_allclose(np.log(fc.upper[80] / fc.median),
                               stats.t.ppf(0.9, 3) * fit.scale
                               * widening.prior(np.arange(1, 6)) / fc.median)
    width = fc.upper[80] - fc.lower[80]
    assert np.all(np.diff(width) > 0) and width[-1] > 2 * width[0]


def test_damped_needs_eight_consecutive_years():
    with pytest.raises(ValueError, match="does not apply"):
        forecast(range(2016, 2023), np.arange(7.0), target_year=2025, model="damped")
    years = np.array([2010, 2011, 2012, 2013, 2014, 2015, 2016, 2018])
    assert "damped" not in eligible_models(np.arange(8.0), years=years)


def test_damped_failure_falls_back_to_linear(monkeypatch):
    def fail(*args):
        raise ETSFitError("ETS fit did not converge")

    monkeypatch.setattr(ets, "fit_damped", fail)  # the registry resolves it at each fit
    fc = forecast(PRESCHOOL_YEARS, PRESCHOOL, target_year=2025, model="damped")
    assert fc.model == "linear"
    assert "did not converge" in fc.reason and "fell back to linear" in fc.reason


# --- auto, real data -------------------------------------------------------------------------

def load(indicator):
    obs = pd.read_csv(DATA)
    rows = obs[(obs.indicator_id == indicator) & (obs.year <= 2022)]
    return rows.year.to_numpy(), rows.value.to_numpy()


def test_auto_on_preschool_ger():
    years, values = load("preschool_ger")
    fc = forecast(years, values, target_year=2025, bounds=(0, 100))
    assert fc.reason.startswith("auto: backtest MASE")
    assert fc.model in MODELS or fc.model.startswith("combo(")
    assert fc.years.tolist() == [2023, 2024, 2025]
    assert fc.fit_years.tolist() == years.tolist()
    for level in (80, 95):
        assert np.all(fc.lower[level] <= fc.median) and np.all(fc.median <= fc.upper[level])
    assert np.all(fc.lower[95] >= 0) and np.all(fc.upper[95] <= 100)
    assert np.all(fc.median > values[-1])  # the rate keeps rising
    p = fc.prob_at_least(90, 2025)
    assert 0.5 < p <= 1
    frame = fc.summary_frame()
    assert list(frame.columns) == ["year", "median", "lo80", "hi80", "lo95", "hi95"]


def test_auto_parsimony_for_short_series():
    fc = forecast([2018, 2019, 2020, 2021, 2022], [52.7, 50.2, 52.7, 53.6, 51.9],
                  target_year=2025, bounds=(0, 100))
    assert fc.model == "drift" and "n=5 < 6, parsimony" in fc.reason
    near = forecast([2020, 2021, 2022], [95, 97, 98.5], target_year=2025, bounds=(0, 100))
    assert near.model == "logit" and "bound" in near.reason


def test_auto_combination_averages_member_quantiles():
    years, values = load("compulsory_retention")
    fc = forecast(years, values, target_year=2025, bounds=(0, 100))
    choice = choose_auto(years, values, (0.0, 100.0), 2025)
    members, widen = choice.members, choice.widen
    future = np.arange(2023, 2026)
    fits = [fit_single(m, years, values, future, (0.0, 100.0)).widened(widen[m])
            for m in members]
    singles = [Predictive((f,), (0.0, 100.0)) for f in fits]
    np.testing.assert_allclose(fc.upper[80], np.mean([d.quantile(0.9) for d in singles], axis=0))
    if len(members) > 1:
        assert fc.model == f"combo({'+'.join(members)})"
    # probabilities invert the same (averaged) quantile function
    assert fc.prob_at_least(fc.lower[80][-1], 2025) == pytest.approx(0.9, abs=1e-9)
    assert fc.prob_at_most(fc.upper[95][0], 2023) == pytest.approx(0.975, abs=1e-9)


def _factors(zs, n_ahead):
    """The widening of one series from its backtest normal scores (h, z), summed per h."""
    sumsq, count = np.zeros(n_ahead), np.zeros(n_ahead)
    for h, z in zs:
        sumsq[h - 1] += z * z
        count[h - 1] += 1
    return selection.widening_from_sums(sumsq, count)


def test_widening_by_hand():
    # prior_h = c h^a; scores: h=1: 2, 0 (S=4, N=2); h=2: 3, 1 (S=10, N=2); h=3, 4 unseen.
    # k^2 = (W_SERIES + 4/prior_1^2 + 10/prior_2^2) / (W_SERIES + 4): the series' error level
    # against the prior; e_h^2 = (W_H prior_h^2 k^2 + S_h) / (W_H + N_h), and the unseen
    # horizons follow the series' level: e_h = prior_h k
    zs = [(1, 2.0), (1, 0.0), (2, 3.0), (2, 1.0)]
    c, a, w_s, w_h = (widening.PRIOR_SCALE, widening.PRIOR_POWER, widening.W_SERIES,
                      widening.W_H)
    p = [c * h**a for h in (1, 2, 3, 4)]
    k2 = (w_s + 4 / p[0] ** 2 + 10 / p[1] ** 2) / (w_s + 4)
    want = [math.sqrt((w_h * p[0] ** 2 * k2 + 4) / (w_h + 2)),
            math.sqrt((w_h * p[1] ** 2 * k2 + 10) / (w_h + 2)),
            p[2] * math.sqrt(k2), p[3] * math.sqrt(k2)]
    np.testing.assert_allclose(_factors(zs, 4), np.maximum.accumulate(want), rtol=1e-12)
    # a large error at h = 1 carries forward (running max)
    lam = _factors([(1, 6.0)], 3)
    assert lam[0] > widening.prior(np.array([3]))[0] and np.all(np.diff(lam) >= 0)
    # errors smaller than claimed narrow towards the model's own scale, never below it
    calm = _factors([(1, 0.1), (1, 0.0), (2, 0.0), (2, 0.1), (3, 0.0)], 3)
    assert np.all(calm < widening.prior(np.arange(1, 4))) and np.all(calm >= 1)
    assert _factors([], 0).shape == (0,)


def test_backtest_scores_and_widening_by_statsmodels_ols():
    """auto's backtest of `linear` on a real series, recomputed with statsmodels: at each
    origin k >= 4 an OLS on the first k years, its prediction of the next years up to the
    backtest horizon (the target year, at most 5 ahead) clipped to the bounds; MASE = mean
    absolute error / mean absolute yearly change; each outcome's normal score under the
    OLS prediction interval (t, obs_se) per h gives the member's widening."""
    years, values = load("preschool_ger")
    keep = years <= 2016  # n = 8: damped applies but cannot be scored (a hedge)
    years, values = years[keep], values[keep]
    target = 2019
    horizon = 3
    errors, zs, per_origin = [], [], []
    for k in range(4, len(values)):
        x = sm.add_constant(years[:k].astype(float))
        res = sm.OLS(values[:k], x).fit()
        ahead = (years[k:] <= years[k - 1] + horizon)
        fut = years[k:][ahead]
        pred = res.get_prediction(sm.add_constant(fut.astype(float), has_constant="add"))
        frame = pred.summary_frame()
        per_origin.append(np.abs(np.clip(frame["mean"].to_numpy(), 0, 100) - values[k:][ahead]))
        errors += list(per_origin[-1])
        se = np.sqrt(pred.var_pred_mean + res.scale)
        u = stats.t.cdf((values[k:][ahead] - frame["mean"].to_numpy()) / se, res.df_resid)
        zs += [(int(h), float(z)) for h, z in zip(fut - years[k - 1], stats.norm.ppf(u),
                                                   strict=True)]
    mase = np.mean(errors) / np.mean(np.abs(np.diff(values)))
    choice = choose_auto(years, values, (0.0, 100.0), target)
    assert choice.rule == "hedge" and choice.n_origins == len(values) - 4
    assert choice.scores["linear"] == pytest.approx(mase, rel=1e-10)
    assert f"linear {mase:.2f}" in choice.reason
    panel = Panel.one(years, values)
    every = choose(panel, np.array([0.0]), np.array([100.0]), target_year=target, model="auto")
    linear = BATCH_MODELS.index("linear")
    np.testing.assert_allclose(every.widen[0, linear], _factors(zs, 3), rtol=1e-10)
    # the same errors origin by origin (the cohort model's paired comparison reads them)
    by_origin = origin_errors(panel, "linear", np.array([0.0]), np.array([100.0]), horizon, 4)
    assert by_origin is not None and len(by_origin) == len(per_origin)
    for got_k, want_k in zip(by_origin, per_origin, strict=True):
        np.testing.assert_allclose(got_k, want_k, rtol=1e-10)
    got = choose_auto(years, values, (0.0, 100.0), target, "linear")  # a requested linear
    assert got.rule == "requested" and not np.any(got.widen["linear"] > 1)


def test_auto_widens_member_scale_by_the_factors():
    years = np.arange(2011, 2023)
    values = 30 + 1.5 * np.arange(12) + np.array([0.3, -0.2, 0.1, -0.4, 0.2, 0.0, 0.3, -0.1,
                                                  -0.3, 0.2, 0.1, -0.2])
    fc = forecast(years, values, target_year=2026)
    choice = choose_auto(years, values, (None, None), 2026)
    members, widen = choice.members, choice.widen
    assert fc.model == members[0] == "linear" and "widened" in fc.reason
    lam = widen["linear"]
    assert np.all(lam >= 1) and np.all(np.diff(lam) >= 0) and lam[-1] > 1
    plain = forecast(years, values, target_year=2026, model="linear")
    np.testing.assert_allclose(fc.median, plain.median)
    for level in (80, 95):  # identity scale: the half-widths scale exactly by lambda_h
        np.testing.assert_allclose(fc.upper[level] - fc.median,
                                   lam * (plain.upper[level] - plain.median))
    # probabilities and samples use the widened margins
    assert fc.prob_at_least(fc.lower[80][-1], 2026) == pytest.approx(0.9)
    big = forecast(years, values, target_year=2026, n_paths=20000)
    np.testing.assert_allclose(np.quantile(big.samples, 0.9, axis=0), big.upper[80],
                               atol=0.05 * np.max(big.upper[80] - big.median))


def test_short_auto_logit_is_at_least_as_wide_as_drift_on_the_logit_scale():
    # compulsory retention up to 2015 (n = 5, near 100 % -> logit): the OLS line on five
    # smooth points claimed an 80 % band of 0.3 points five years ahead (outcome 95.2 outside)
    years, values = np.array([2010, 2012, 2013, 2014, 2015]), np.array([91.1, 91.8, 92.3,
                                                                         92.6, 93.0])
    fc = forecast(years, values, target_year=2020, bounds=(0, 100))
    assert fc.model == "logit" and "random walk with drift on the logit scale" in fc.reason
    future = np.arange(2016, 2021)
    logit = fit_single("logit", years, values, future, (0.0, 100.0))
    ref = fit_single("drift", years, logit.transform.forward(values), future, (None, None))
    assert ref.df == logit.df
    np.testing.assert_allclose(working_scale(fc)[0],
                               np.maximum.accumulate(np.maximum(logit.scale, ref.scale)))
    assert fc.upper[80][-1] - fc.lower[80][-1] > 0.6
    assert fc.prob_at_least(95, 2020) > 0.03  # was 0.005
    own = forecast(years, values, target_year=2020, model="logit", bounds=(0, 100))
    np.testing.assert_allclose(fc.median, own.median)  # the median does not move


def test_recent_drift_is_drift_on_the_last_five_points():
    years, values = np.arange(2012, 2021), np.array([10, 14, 17.5, 20.5, 22.5, 24, 25.2,
                                                      26.0, 26.9])
    future = np.arange(2021, 2024)
    recent = fit_single("drift_recent", years, values, future, (None, None))
    plain = fit_single("drift", years[-5:], values[-5:], future, (None, None))
    np.testing.assert_allclose(recent.center, 26.9 + (26.9 - 22.5) / 4 * np.arange(1, 4))
    np.testing.assert_allclose(recent.scale, plain.scale)
    assert recent.df == plain.df == 3 and recent.model == "drift_recent"
    np.testing.assert_allclose(recent.fit_values, 22.5 + 1.1 * (years - 2016))
    fc = forecast(years, values, target_year=2023)
    assert "drift_recent" in fc.reason.split("→")[0]  # an auto candidate for n >= 6 ...
    assert "drift_recent" not in eligible_models(values)  # ... not a single model


def test_unscored_damped_is_combined_with_the_best_scored_model():
    # n = 8, 9: damped applies but has < 2 backtest origins of 8 points; auto averages it
    # with the backtest's winner instead of leaving it out
    years, values = load("preschool_ger")
    kw = dict(target_year=2022, bounds=(0, 100), n_paths=50)
    for n in (8, 9):
        fc = forecast(years[:n], values[:n], **kw)
        best = fc.reason.split(") ", 1)[1].split(" ")[0]  # first model listed = best score
        assert fc.model == f"combo({best}+damped)" and "damped 0." not in fc.reason.split("→")[0]
        assert "needs n >= 10 for 2 backtest origins" in fc.reason
        members = [forecast(years[:n], values[:n], model=m, **kw) for m in (best, "damped")]
        # median of an equal-weight quantile average = the average of the members' medians
        # (widening a member's symmetric t on its working scale leaves its median alone)
        np.testing.assert_allclose(fc.median, np.mean([m.median for m in members], axis=0))
    ten = forecast(years[:10], values[:10], **kw)
    assert "(2 origins," in ten.reason and "damped 0." in ten.reason  # scored from n = 10


def test_short_auto_keeps_model_intervals():
    years, values = [2018, 2019, 2020, 2021, 2022], [52.7, 50.2, 52.7, 53.6, 51.9]
    auto = forecast(years, values, target_year=2025, bounds=(0, 100))
    drift = forecast(years, values, target_year=2025, model="drift", bounds=(0, 100))
    pd.testing.assert_frame_equal(auto.summary_frame(), drift.summary_frame())
    assert "widened" not in auto.reason


def test_combination_samples_follow_averaged_margins():
    future = np.arange(2023, 2026)
    fits = tuple(fit_single(m, GAP_YEARS, GAP_VALUES, future, (None, None))
                 for m in ("linear", "drift"))
    dist = Predictive(fits, (None, None))
    paths = sample(dist, 20000, seed=1)
    for p in (0.1, 0.5, 0.9):
        np.testing.assert_allclose(np.quantile(paths, p, axis=0), dist.quantile(p), rtol=0.03)


def test_combination_paths_are_each_members_quantile_of_the_lead_s_draws_exactly():
    """Members sharing a df share the t quantiles of the lead's uniforms (computed once):
    the paths equal, bit for bit, the mean of each member's own quantile of them."""
    years = np.arange(2014, 2023)
    values = np.array([10.0, 11, 13, 13.5, 15, 16, 18, 18.5, 20])
    fits = tuple(fit_single(m, years, values, np.arange(2023, 2026), (0.0, None))
                 for m in ("linear", "log", "drift_recent"))
    # two members of one df (the sharing is used) and one of another (not shared)
    assert fits[0].df == fits[1].df == 7 and fits[2].df == 3
    dist = Predictive(fits, (0.0, None))
    draws = standard_draws(fits[:1], [7], 500)[0]
    u = np.clip(stats.t.cdf(draws, fits[0].df), 1e-15, 1 - 1e-15)
    own = [np.clip(f.transform.inverse(f.center + f.scale * stats.t.ppf(u, f.df)), 0.0, None)
           for f in fits]
    paths = sample(dist, 500, seed=7)
    np.testing.assert_allclose(paths, np.mean(own, axis=0), rtol=1e-12)
    # the panel mixture's member quantiles (`batch.mixture.Member`, the years as rows)
    lo, hi = np.zeros(3), np.full(3, np.inf)
    alone = [np.array([Member(f.model, f.transform, f.center, f.scale, np.full(3, f.df))
                       .quantile(row, lo, hi) for row in u]) for f in fits]
    assert np.array_equal(paths, np.mean(alone, axis=0))


# --- samples and cumulative targets --------------------------------------------------------

def test_prob_sum_matches_analytic_sum_for_linear():
    years = np.arange(2016, 2023)
    values = np.array([2.0, 2.6, 2.9, 3.7, 4.1, 4.4, 5.2])
    fc = forecast(years, values, target_year=2025, model="linear", n_paths=20000, seed=5)
    # the 3-year sum is t(5) with scale^2 = sigma^2 (1' X_f V X_f' 1 + 3)
    res, _ = ols_frame(years, values, fc.years, alpha=0.2)
    xf = sm.add_constant(fc.years.astype(float))
    ones = np.ones(3)
    var = res.scale * (ones @ xf @ res.normalized_cov_params @ xf.T @ ones + 3)
    total = fc.median.sum()
    for v in (total - 2, total, total + 1.5):
        expected = stats.t.sf((v - total) / math.sqrt(var), df=5)
        assert fc.prob_sum_at_least(v) == pytest.approx(expected, abs=0.015)


def test_samples_agree_with_reported_quantiles():
    years, values = load("preschool_ger")
    for model in ("drift", "linear", "logit", "damped"):
        fc = forecast(years, values, target_year=2025, model=model, bounds=(0, 100),
                      n_paths=20000)
        for level, p in ((80, 0.1), (95, 0.975)):
            bound = fc.lower[level] if p < 0.5 else fc.upper[level]
            # a quantile clipped at 100 carries the mass beyond it: P(< q) <= p <= P(<= q)
            assert np.all(np.mean(fc.samples < bound, axis=0) <= p + 0.012)
            assert np.all(np.mean(fc.samples <= bound, axis=0) >= p - 0.012)


# --- edge cases ------------------------------------------------------------------------------

def test_one_observation_is_insufficient():
    with pytest.raises(InsufficientDataError, match="insufficient data"):
        forecast([2022], [5.0], target_year=2025)
    with pytest.raises(InsufficientDataError):
        forecast([2020, 2021, 2022], [np.nan, 4.0, None], target_year=2025)
    assert issubclass(InsufficientDataError, ValueError)


def test_two_observations_give_a_point_path_only():
    fc = forecast([2020, 2022], [10.0, 14.0], target_year=2025)
    assert fc.point_only and fc.samples is None and fc.model == "linear"
    np.testing.assert_allclose(fc.median, [16.0, 18.0, 20.0])
    assert np.all(np.isnan(fc.lower[80])) and np.all(np.isnan(fc.upper[95]))
    assert math.isnan(fc.prob_at_least(15, 2025)) and math.isnan(fc.prob_at_most(15, 2025))
    assert math.isnan(fc.prob_sum_at_least(40))
    assert "n=2: point path only, no interval" in fc.reason
    clipped = forecast([2021, 2022], [96.0, 99.0], target_year=2025, bounds=(0, 100))
    assert clipped.median.tolist() == [100.0, 100.0, 100.0]


@pytest.mark.parametrize("model", ["drift", "linear", "log", "auto"])
def test_constant_series_is_degenerate_not_a_crash(model):
    fc = forecast(range(2015, 2023), [5.0] * 8, target_year=2025, model=model)
    np.testing.assert_allclose(fc.median, 5.0)
    np.testing.assert_allclose(fc.upper[95] - fc.lower[95], 0.0, atol=1e-9)
    np.testing.assert_allclose(fc.samples, 5.0)
    assert fc.prob_at_least(5.0, 2025) == 1.0 and fc.prob_at_least(5.1, 2025) == 0.0
    assert fc.prob_at_most(5.0, 2025) == 1.0 and fc.prob_at_most(4.9, 2025) == 0.0
    if model != "auto":
        assert "degenerate" in dict(fc.caveats)


def test_gapped_years_and_unsorted_input():
    fc = forecast(GAP_YEARS[::-1], GAP_VALUES[::-1], target_year=2024, model="linear")
    _, ref = ols_frame(GAP_YEARS, GAP_VALUES, [2022, 2023, 2024], alpha=0.05)
    np.testing.assert_allclose(fc.lower[95], ref["obs_ci_lower"], rtol=1e-10)
    assert fc.fit_years.tolist() == GAP_YEARS.tolist()


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="duplicated years"):
        forecast([2020, 2021, 2021], [1, 2, 3], target_year=2025)
    with pytest.raises(ValueError, match="unknown model"):
        forecast([2020, 2021, 2022], [1, 2, 3], target_year=2025, model="prophet")
    with pytest.raises(ValueError, match="does not apply"):
        forecast([2020, 2021, 2022], [1, 2, 3], target_year=2025, model="logit")
    with pytest.raises(ValueError, match="lower < upper"):
        forecast([2020, 2021, 2022], [1, 2, 3], target_year=2025, bounds=(5, 5))
    with pytest.raises(ValueError, match="whole numbers"):
        forecast([2020, 2021.5, 2022], [1, 2, 3], target_year=2025)
    with pytest.raises(ValueError, match="not forecast"):
        forecast([2020, 2021, 2022], [1, 2, 4], target_year=2025).prob_at_least(3, 2030)


def test_target_year_already_observed_gives_empty_outlook():
    fc = forecast([2020, 2021, 2022], [1, 2, 4], target_year=2022, model="linear")
    assert fc.years.size == 0 and fc.median.size == 0 and fc.samples.shape == (4000, 0)
    assert fc.summary_frame().empty


def test_eligible_models():
    assert eligible_models([1.0]) == []
    assert eligible_models([1.0, 2.0, 3.0]) == ["drift", "linear", "log"]
    assert eligible_models([-1.0, 2.0, 3.0]) == ["drift", "linear"]
    assert eligible_models([10.0, 20.0, 30.0], (0, 100)) == ["drift", "linear", "log", "logit"]
    assert "logit" not in eligible_models([10.0, 20.0, 100.0], (0, 100))
    assert "log" not in eligible_models([10.0, 20.0, 30.0], (-5, None))
    assert eligible_models(np.arange(1.0, 9.0))[-1] == "damped"


# --- properties ------------------------------------------------------------------------------

@st.composite
def rate_series(draw, min_n=3, max_n=8):
    """A rate series inside (0, 100) with possibly gapped years, in arbitrary order."""
    n = draw(st.integers(min_n, max_n))
    gaps = draw(st.lists(st.integers(1, 2), min_size=n - 1, max_size=n - 1))
    years = 2010 + np.concatenate([[0], np.cumsum(gaps)])
    values = draw(st.lists(st.floats(1.0, 99.0), min_size=n, max_size=n))
    return years, np.array(values)


PROPS = settings(max_examples=50, deadline=None)


def working_scale(fc: Forecast) -> np.ndarray:
    """Per-year marginal scale of each member on its working scale (internal)."""
    return np.array([f.scale for f in fc._dist.members])


@PROPS
@given(rate_series(), st.sampled_from(["drift", "linear", "log", "logit", "auto"]),
       st.integers(0, 6))
def test_bounded_forecasts_never_leave_bounds(series, model, extra):
    years, values = series
    fc = forecast(years, values, target_year=int(years.max()) + extra, model=model,
                  bounds=(0, 100), n_paths=300)
    for arr in [fc.median, fc.fit_values, fc.samples, *fc.lower.values(), *fc.upper.values()]:
        assert np.all(arr >= 0) and np.all(arr <= 100)


@PROPS
@given(rate_series(), st.sampled_from(["drift", "linear", "log", "logit", "auto"]))
def test_intervals_nest_and_widen(series, model):
    years, values = series
    bounds = (0, 100) if model in ("logit", "auto") else (None, None)
    fc = forecast(years, values, target_year=int(years.max()) + 6, model=model, bounds=bounds,
                  n_paths=50)
    assert np.all(fc.lower[95] <= fc.lower[80] + 1e-9)
    assert np.all(fc.lower[80] <= fc.median + 1e-9) and np.all(fc.median <= fc.upper[80] + 1e-9)
    assert np.all(fc.upper[80] <= fc.upper[95] + 1e-9)
    # on every member's working scale the spread never shrinks with the horizon
    assert np.all(np.diff(working_scale(fc), axis=1) >= -1e-9)
    if fc.model in ("drift", "linear") and bounds == (None, None):  # widths in original units
        for level in (80, 95):
            width = fc.upper[level] - fc.lower[level]
            assert np.all(np.diff(width) >= -1e-9 * max(1.0, width.max()))


@pytest.mark.slow
@PROPS
@given(rate_series(), st.sampled_from(["drift", "linear", "logit", "auto"]),
       st.lists(st.floats(-10, 110), min_size=2, max_size=6))
def test_higher_threshold_never_raises_probability(series, model, thresholds):
    years, values = series
    fc = forecast(years, values, target_year=2025, model=model, bounds=(0, 100), n_paths=50)
    year = int(fc.years[-1])
    ts = sorted(thresholds)
    at_least = [fc.prob_at_least(t, year) for t in ts]
    at_most = [fc.prob_at_most(t, year) for t in ts]
    assert all(0 <= p <= 1 for p in at_least + at_most)
    assert np.all(np.diff(at_least) <= 1e-12) and np.all(np.diff(at_most) >= -1e-12)


@pytest.mark.slow
@PROPS
@given(rate_series(), st.sampled_from(["drift", "linear", "logit", "auto"]), st.randoms())
def test_row_order_does_not_matter(series, model, rnd):
    years, values = series
    order = list(range(len(years)))
    rnd.shuffle(order)
    kw = dict(target_year=2026, model=model, bounds=(0, 100), n_paths=200, seed=7)
    a = forecast(years, values, **kw)
    b = forecast(years[order], values[order], **kw)
    pd.testing.assert_frame_equal(a.summary_frame(), b.summary_frame())
    np.testing.assert_array_equal(a.samples, b.samples)
    assert a.reason == b.reason and a.model == b.model


@pytest.mark.slow
@PROPS
@given(rate_series(min_n=6), st.integers(0, 2**32 - 1))
def test_same_seed_same_output(series, seed):
    years, values = series
    kw = dict(target_year=2026, bounds=(0, 100), n_paths=200, seed=seed)
    a, b = forecast(years, values, **kw), forecast(years, values, **kw)
    np.testing.assert_array_equal(a.samples, b.samples)
    pd.testing.assert_frame_equal(a.summary_frame(), b.summary_frame())
    c = forecast(years, values, **{**kw, "seed": seed + 1})
    assert not np.array_equal(a.samples, c.samples) or np.ptp(a.samples) == 0


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(st.integers(8, 11), st.lists(st.floats(1.0, 99.0), min_size=11, max_size=11),
       st.sampled_from(["damped", "auto"]), st.randoms())
def test_damped_and_auto_properties_on_long_series(n, raw, model, rnd):
    # consecutive years: damped applies (explicitly, and in auto: combined with the
    # best-scored model for n = 8, 9, scored from n = 10)
    years, values = np.arange(2010, 2010 + n), np.array(raw[:n])
    kw = dict(target_year=2010 + n + 5, model=model, bounds=(0, 100), n_paths=100, seed=3)
    fc = forecast(years, values, **kw)
    for arr in [fc.median, fc.samples, *fc.lower.values(), *fc.upper.values()]:
        assert np.all(arr >= 0) and np.all(arr <= 100)
    assert np.all(fc.lower[95] <= fc.lower[80] + 1e-9)
    assert np.all(fc.lower[80] <= fc.median + 1e-9) and np.all(fc.median <= fc.upper[80] + 1e-9)
    assert np.all(fc.upper[80] <= fc.upper[95] + 1e-9)
    assert np.all(np.diff(working_scale(fc), axis=1) >= -1e-9)
    order = list(range(n))
    rnd.shuffle(order)
    again = forecast(years[order], values[order], **kw)
    pd.testing.assert_frame_equal(fc.summary_frame(), again.summary_frame())
    np.testing.assert_array_equal(fc.samples, again.samples)
    assert fc.reason == again.reason
    lo = fc.lower[80][-1]
    if fc.upper[80][-1] > lo > 0:  # not degenerate, not clipped at a bound
        assert fc.prob_at_least(lo, int(fc.years[-1])) == pytest.approx(0.9, abs=1e-6)


@pytest.mark.parametrize("model", ["drift", "linear", "auto"])
def test_fitted_trend_never_reports_certainty(model):
    # a steady climb of ~2 points a year: 40 and 99 by 2025 lie far in the t tails, where the
    # analytic P is below 1e-4 (or above 1 - 1e-4); the reported P stops at P_FLOOR
    years = list(range(2015, 2023))
    values = [60.1, 62.0, 64.2, 65.9, 68.1, 70.0, 71.9, 74.1]
    fc = forecast(years, values, target_year=2025, model=model, bounds=(0, 100))
    assert fc.prob_at_least(99.0, 2025) == P_FLOOR
    assert fc.prob_at_most(40.0, 2025) == P_FLOOR
    assert fc.prob_at_least(40.0, 2025) == 1 - P_FLOOR
    assert fc.prob_sum_at_least(1e6) == P_FLOOR and fc.prob_sum_at_least(0.0) == 1 - P_FLOOR
    # inside the bulk the analytic value is untouched
    assert fc.prob_at_least(fc.lower[80][-1], 2025) == pytest.approx(0.9, abs=1e-6)
    # the bounds themselves still settle a question exactly
    assert fc.prob_at_least(0.0, 2025) == 1.0 and fc.prob_at_least(100.5, 2025) == 0.0
    assert fc.prob_at_most(100.0, 2025) == 1.0 and fc.prob_at_most(-0.5, 2025) == 0.0
