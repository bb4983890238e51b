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
