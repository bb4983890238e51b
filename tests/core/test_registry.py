"""The model registry: one spec per model, read by the choice, the panel fits and the CLI."""

import subprocess
import sys

import numpy as np

from planlib.constants import MODELS
from planlib.core.batch.fits import BATCH_MODELS, fit_model
from planlib.core.models import registry
from planlib.core.models.selection import SIMPLICITY, eligible_models, fit_single


def test_constants_do_not_load_scipy():
    code = "import sys, planlib.constants; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_names_orders_and_words_come_from_the_specs():
    assert MODELS == ("drift", "linear", "log", "logit", "damped")
    assert BATCH_MODELS == ("drift", "drift_recent", "linear", "log", "logit", "naive",
                            "damped")
    assert SIMPLICITY == ("linear", "drift", "drift_recent", "log", "logit", "damped", "naive")
    assert registry.WORDS["log"]["en"] == "a constant-growth trend"


def test_each_spec_fits_on_both_paths_to_the_same_centre():
    years = np.arange(2010, 2022)
    values = 50 + 2.0 * np.arange(12) + np.array([0.3, -0.2, 0.1, 0.4, -0.5, 0.2,
                                                  -0.1, 0.3, -0.3, 0.1, 0.2, -0.2])
    future = np.arange(2022, 2026)
    bounds = (0.0, 100.0)
    assert eligible_models(values, bounds, years=years, names=registry.CANDIDATES) == \
        list(registry.CANDIDATES)
    one = np.zeros(1, dtype=np.int64)
    for name, spec in registry.SPECS.items():
        fit = fit_single(name, years, values, future, bounds)
        assert fit.model == name
        start = one + (len(years) - spec.window if spec.window else 0)
        panel = fit_model(name, years[None, :].astype(float), values[None, :], start,
                          one + len(years), future[None, :].astype(float),
                          np.array([0.0]), np.array([100.0]))
        np.testing.assert_allclose(panel.center[0], fit.center, rtol=1e-9)
        np.testing.assert_allclose(panel.scale[0], fit.scale, rtol=1e-9)


def test_each_many_series_fit_is_the_per_series_fit_of_every_row_bit_for_bit():
    """`ModelSpec.fits` (a flow's members, fitted many rows at once) gives each row exactly
    the per-series `Fit` -- centre, loadings, sigma, df, scale -- so joint paths agree."""
    rng = np.random.default_rng(5)
    years = np.tile(np.arange(2014, 2023), (40, 1))
    values = 40 + np.cumsum(rng.normal(1.5, 1.2, years.shape), axis=1)
    future = np.tile(np.arange(2023, 2026), (40, 1))
    bounds = (0.0, 100.0)
    with_fits = [name for name, spec in registry.SPECS.items() if spec.fits is not None]
    assert set(with_fits) == set(registry.CANDIDATES) - {"damped"}
    for name in with_fits:
        many = registry.SPECS[name].many_fits()(years, values, future, bounds)
        assert len(many) == len(values)
        for i, got in enumerate(many):
            want = fit_single(name, years[i], values[i], future[i], bounds)
            assert (got.model, got.sigma, got.df, got.note) == \
                (want.model, want.sigma, want.df, want.note)
            for field in ("center", "loadings", "scale", "fit_values"):
                assert np.array_equal(getattr(got, field), getattr(want, field)), (name, field)
