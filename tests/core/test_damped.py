"""planlib's one damped fit (`models.damped_fit`): at least as good as statsmodels' ETSModel
on real series, the same numbers for a series alone or among thousands of rows, and the
per-series `ets.fit_damped` equal to the batch margins and to statsmodels' ETS formulas at
the fitted parameters."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from planlib.core.batch.damped import fit_damped_batch
from planlib.core.batch.synthetic import synthetic_long
from planlib.core.models.damped_fit import MIN_N, fit_params
from planlib.core.models.ets import fit_damped

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "data" / "raw" / "cn_education_14th" / "observations.csv"
WDI = ROOT / "benchmarks" / "data" / "wdi_rd_expenditure.csv"


def windows(frame: pd.DataFrame, key: str) -> list[np.ndarray]:
    """The first k >= 8 values of every run of consecutive years (the fits auto makes)."""
    out = []
    for _, g in frame.sort_values([key, "year"]).groupby(key):
        years, values = g["year"].to_numpy(), g["value"].to_numpy(float)
        cuts = np.flatnonzero(np.diff(years) != 1) + 1
        for run in np.split(values, cuts):
            out += [run[:k] for k in range(MIN_N, len(run) + 1)]
    return out


def ets_model(y: np.ndarray) -> ETSModel:
    return ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True)


def statsmodels_sse(y: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ets_model(y).fit(disp=False)
    return float(np.sum(np.asarray(res.resid) ** 2))


@pytest.fixture(scope="module")
def real_windows():
    """The national series' windows and every sixth WDI window (~130 series)."""
    return windows(pd.read_csv(NATIONAL), "indicator_id") + \
        windows(pd.read_csv(WDI), "region")[::6]


@pytest.mark.slow
def test_sse_is_not_above_statsmodels_on_real_series(real_windows):
    ours = np.array([fit_params(y[None, :]).sse[0] for y in real_windows])
    ref = np.array([statsmodels_sse(y) for y in real_windows])
    rel = (ours - ref) / ref
    assert len(real_windows) > 120
    assert np.mean(rel <= 1e-4) >= 0.99  # at statsmodels' optimum or below, nearly always
    assert rel.max() < 1e-3
    assert np.mean(rel < -1e-3) > 0.1  # statsmodels often stops at a local optimum


@pytest.mark.slow
def test_a_series_gets_the_same_fit_alone_and_among_many_rows(real_windows):
    """Bit-identical parameters and SSE whatever the other rows (batch size > CHUNK)."""
    tens = [y for y in real_windows if len(y) == 10][:20]
    obs = synthetic_long(5000, indicator_id="a", kind="count", seed=8, years=(10, 10),
                         gap_share=0)
    crowd = obs["value"].to_numpy(float).reshape(5000, 10).copy()
    at = np.linspace(0, 4999, len(tens)).astype(int)
    crowd[at] = np.stack(tens)
    many = fit_params(crowd)
    for i, y in zip(at, tens, strict=True):
        one = fit_params(y[None, :])
        for name in ("alpha", "beta", "phi", "level0", "trend0", "sse"):
            assert getattr(one, name)[0] == getattr(many, name)[i], name


def test_per_series_fit_equals_the_batch_and_the_ets_formulas():
    """ets.fit_damped: the batch's centre and scale, and statsmodels' own forecast, one-step
    fitted values and forecast variance (rescaled SSE/n -> SSE/(n - 5)) at its parameters."""
    y = pd.read_csv(NATIONAL).query("indicator_id == 'preschool_ger'")["value"].to_numpy()
    n = len(y)
    years = np.arange(2009, 2009 + n)
    fit = fit_damped(years, y, years[-1] + np.arange(1, 6))
    center, scale, df = fit_damped_batch(y[None, :], np.arange(1, 6)[None, :])
    np.testing.assert_allclose(fit.center, center[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(fit.scale, scale[0], rtol=1e-12)
    assert fit.df == df[0] == n - 5
    p = fit_params(y[None, :])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ets_model(y).smooth([p.alpha[0], p.beta[0], p.phi[0], p.level0[0],
                                   p.trend0[0]])
    pred = res.get_prediction(start=n, end=n + 4)
    np.testing.assert_allclose(fit.center, pred.predicted_mean, rtol=1e-10)
    np.testing.assert_allclose(fit.fit_values, res.fittedvalues, rtol=1e-10)
    np.testing.assert_allclose(fit.scale, np.sqrt(pred.forecast_variance * n / (n - 5)),
                               rtol=1e-8)
    assert fit.sigma ** 2 * (n - 5) == pytest.approx(np.sum(res.resid**2), rel=1e-10)
    assert f"phi={p.phi[0]:.2f}" in fit.note
