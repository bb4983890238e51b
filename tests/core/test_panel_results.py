"""Rich results of the rows the panel path wrote are built from the panel's arrays
(planlib/core/panel_results.py): reading them evaluates no series again, and each equals
the per-series `evaluate_series` result of the same series -- fan bands and median per
year, fitted line, P(met), progress, notes, the model choice -- on the shipped plans."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import planlib
import planlib.core.evaluation as evaluation
from planlib.core.batch.synthetic import synthetic_long
from planlib.core.options import RunOptions


def _inputs(plan_id: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = planlib.load_plan(plan_id)
        return plan, planlib.load_observations(plan)


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12,
                                                             abs_tol=1e-12)


def assert_same_result(got, want) -> None:
    """The built result equals the per-series one (floats to 1e-12)."""
    a, b = got.summary_frame(), want.summary_frame()
    assert list(a.columns) == list(b.columns)
    for col in a.columns:
        np.testing.assert_allclose(a[col].to_numpy(float), b[col].to_numpy(float),
                                   rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=col)
    assert got.notes == want.notes
    assert (got.model, got.outlook.reason, got.outlook.notes) == \
        (want.model, want.outlook.reason, want.outlook.notes)
    assert _close(got.p_meet, want.p_meet) and _close(got.median, want.median)
    for lv in want.levels:
        assert _close(got.lower[lv], want.lower[lv]) and _close(got.upper[lv], want.upper[lv])
    for name in want.progress.__dataclass_fields__:
        x, y = getattr(got.progress, name), getattr(want.progress, name)
        assert _close(x, y) if isinstance(y, float) else x == y, name
    assert got.p_meet_by_model.keys() == want.p_meet_by_model.keys()
    for m, p in want.p_meet_by_model.items():
        assert got.p_meet_by_model[m] == pytest.approx(p, abs=1e-9)
    assert (got.call_robust, got.outlook_status, got.reliability, got.latest_flag) == \
        (want.call_robust, want.outlook_status, want.reliability, want.latest_flag)
    assert (got.fit_from, got.fit_to, got.indicator, got.spec) == \
        (want.fit_from, want.fit_to, want.indicator, want.spec)
    assert got.history.equals(want.history)
    assert _same_row(got.row("zh"), want.row("zh"))
    sg, sw = got.selection, want.selection
    assert (sg is None) == (sw is None)
    if sw is not None:
        assert (sg.model, sg.members, sg.weights, sg.n_origins, sg.rule, sg.reason) == \
            (sw.model, sw.members, sw.weights, sw.n_origins, sw.rule, sw.reason)
        assert sg.scores == pytest.approx(sw.scores, rel=1e-9)
        assert sg.widening.keys() == sw.widening.keys()
        for m, w in sw.widening.items():
            np.testing.assert_allclose(sg.widening[m], w, rtol=1e-12)


def _same_row(a: dict, b: dict) -> bool:
    """Rows equal: floats to 1e-9 (NaN where NaN), the rest exactly."""
    assert a.keys() == b.keys()
    for k, y in b.items():
        x = a[k]
        if pd.isna(y) if np.ndim(y) == 0 else False:
            assert pd.isna(x), k
        elif isinstance(y, float):
            assert _close(float(x), y) or abs(float(x) - y) < 1e-9, k
        else:
            assert x == y, k
    return True


def _panel_keys(ev) -> list[tuple[str, str]]:
    return [(ident, str(r)) for ident, t in ev.tables.items() for r in t["region"]]


@pytest.mark.slow
@pytest.mark.parametrize(("plan_id", "model"), [
    ("cn_education_14th", "auto"), ("cn_education_14th", "damped"),
    ("cn_education_2020", "auto"), ("demo_city_areas", "auto")])
def test_built_result_equals_the_per_series_result(plan_id, model):
    """Backtest, parsimony, requested damped (widened from its own backtest), no data:
    every panel row of the shipped plan, against `evaluate_series` called directly."""
    plan, obs = _inputs(plan_id)
    ev = planlib.evaluate(plan, obs, model=model)
    opts = RunOptions.checked(plan, as_of=None, model=model, levels=(80, 95), seed=0,
                              sensitivity=True)
    keys = _panel_keys(ev)
    assert keys
    rules = set()
    for ident, region in keys:
        ind = plan.indicator(ident)
        series = evaluation.SeriesIndex(obs[obs["indicator_id"] == ind.series_id]
                                        ).series(region)
        got = ev[ident, region]
        assert_same_result(got, evaluation.evaluate_series(ind, region, series, plan, opts))
        rules.add(got.selection.rule if got.selection else got.model)
    assert rules >= ({"backtest", "parsimony"} if plan_id != "demo_city_areas"
                     else {"parsimony"})
    if model == "damped":
        assert "requested" in rules


@pytest.mark.slow
def test_built_result_equals_per_series_on_every_rule(make_plan, indicators):
    """Synthetic areas with 2-10 points, gaps and breaks, of a bounded rate and of a count
    (intervals on the log scale): point paths, parsimony, backtests and the damped hedge,
    each equal to the per-series result."""
    frames = [synthetic_long(30, indicator_id=kind, kind=kind, seed=41, years=(2, 10),
                             gap_share=0.3, short_share=0.3) for kind in ("rate", "count")]
    observations = pd.concat(frames, ignore_index=True)
    plan = make_plan(indicators["rate"], indicators["count"])
    ev = planlib.evaluate(plan, observations)
    opts = RunOptions.checked(plan, as_of=None, model="auto", levels=(80, 95), seed=0,
                              sensitivity=True)
    rules = set()
    for ident, region in _panel_keys(ev):
        ind = plan.indicator(ident)
        index = evaluation.SeriesIndex(observations[observations["indicator_id"]
                                                    == ind.series_id])
        got = ev[ident, region]
        assert_same_result(got, evaluation.evaluate_series(ind, region, index.series(region),
                                                           plan, opts))
        rules.add(got.selection.rule if got.selection else got.model)
    assert {"point_only", "backtest", "parsimony", "hedge"} <= rules


@pytest.mark.slow
def test_reading_results_of_panel_rows_evaluates_no_series(monkeypatch):
    """Every result, the table, the risks and the figures' per-year paths of a shipped
    plan are read; `evaluate_series` runs only for the rows the panel does not write."""
    calls: list[tuple[str, str]] = []
    real = evaluation.evaluate_series
    monkeypatch.setattr(evaluation, "evaluate_series",
                        lambda ind, region, *a, **k: calls.append((ind.id, region))
                        or real(ind, region, *a, **k))
    plan, obs = _inputs("cn_education_14th")
    ev = planlib.evaluate(plan, obs)
    panel = set(_panel_keys(ev))
    assert len(panel) >= 5
    every = ev.keys()  # (id, region) pairs; iterating `ev` gives results
    per_series = [k for k in every if k not in panel]
    assert calls == per_series  # at evaluate: only those, once each
    for result in ev:
        assert len(result.summary_frame()) > 0
    ev.summary_frame("zh")
    _ = ev.at_risk
    for key in panel:
        assert ev[key] is ev[key]  # built once
    assert calls == per_series
