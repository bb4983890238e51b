"""Rich results are built from the panel's arrays (planlib/core/panel_results.py), only
when read, and each is the model functions' own result for its series alone
(`reference`): the target-year numbers, the forecast behind the per-year path (fan bands,
median, fitted line, sample paths of a flow) and the model choice -- on the shipped plans
and on synthetic areas covering every rule."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from reference import NUMBERS, reference_row

import planlib
import planlib.core.evaluation as evaluation
from planlib.core.batch.synthetic import synthetic_long


def _inputs(plan_id: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = planlib.load_plan(plan_id)
        return plan, planlib.load_observations(plan)


def assert_result_is_the_reference(got, plan, observations, **kw) -> None:
    """The built result of (id, region) equals its series' own outlook and forecast."""
    want, fc = reference_row(plan, observations, got.id, got.region, **kw)
    row = got.row("en")
    assert got.model == want["model"]
    for col in NUMBERS:
        np.testing.assert_allclose(float(row[col]), want[col], rtol=1e-12, atol=1e-12,
                                   equal_nan=True, err_msg=f"{got.id} {got.region} {col}")
    assert (got.forecast is None) == (fc is None), (got.id, got.region)
    if fc is None:
        return
    mine = got.forecast
    assert mine.years.tolist() == fc.years.tolist()
    for a, b in ((mine.median, fc.median), (mine.fit_values, fc.fit_values),
                 *((mine.lower[lv], fc.lower[lv]) for lv in fc.lower),
                 *((mine.upper[lv], fc.upper[lv]) for lv in fc.upper)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    if got.indicator.measure == "flow":  # a flow's total: the very same joint paths (a
        # level needs none: its result draws none)
        assert (mine.samples is None) == (fc.samples is None)
        if fc.samples is not None:
            np.testing.assert_array_equal(mine.samples, fc.samples)
    sg, sw = mine.selection, fc.selection
    assert (sg is None) == (sw is None)
    if sw is not None:
        assert (sg.model, sg.members, sg.weights, sg.n_origins, sg.rule, sg.reason) == \
            (sw.model, sw.members, sw.weights, sw.n_origins, sw.rule, sw.reason)
        assert sg.scores == pytest.approx(sw.scores, rel=1e-9)
        assert sg.widening.keys() == sw.widening.keys()
        for m, w in sw.widening.items():
            np.testing.assert_allclose(sg.widening[m], w, rtol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize(("plan_id", "model"), [
    ("cn_education_14th", "auto"), ("cn_education_14th", "damped"),
    ("cn_education_2020", "auto"), ("demo_city", "auto"), ("demo_city_areas", "auto")])
def test_built_result_is_the_forecast_of_its_own_series(plan_id, model):
    """Backtest, parsimony, requested damped (widened from its own backtest), flows,
    schedules, the cohort model, no data: every result of the shipped plan."""
    plan, obs = _inputs(plan_id)
    ev = planlib.evaluate(plan, obs, model=model)
    rules = set()
    for got in ev:
        if got.indicator.driver is None:  # the cohort model: tests/core/test_drivers_wiring
            assert_result_is_the_reference(got, plan, obs, model=model)
        rules.add(got.selection.rule if got.selection else got.model)
    assert rules >= ({"backtest", "parsimony"} if plan_id.startswith("cn_")
                     else {"parsimony"})
    if model == "damped":
        assert "requested" in rules
    if plan_id == "demo_city":
        assert "schedule" in rules


@pytest.mark.slow
def test_built_result_is_its_own_forecast_on_every_rule(make_plan, indicators):
    """Synthetic areas with 2-10 points, gaps and breaks, of a bounded rate and of a count
    (intervals on the log scale): point paths, parsimony, backtests and the damped hedge."""
    frames = [synthetic_long(30, indicator_id=kind, kind=kind, seed=41, years=(2, 10),
                             gap_share=0.3, short_share=0.3) for kind in ("rate", "count")]
    observations = pd.concat(frames, ignore_index=True)
    plan = make_plan(indicators["rate"], indicators["count"])
    ev = planlib.evaluate(plan, observations)
    rules = set()
    for got in ev:
        assert_result_is_the_reference(got, plan, observations)
        rules.add(got.selection.rule if got.selection else got.model)
    assert {"point_only", "backtest", "parsimony", "hedge"} <= rules


@pytest.mark.slow
def test_reading_results_builds_each_once_from_the_panel(monkeypatch):
    """Every result, the table, the risks and the figures' per-year paths of a shipped
    plan are read: each result is built once, when first read, from the panel's arrays."""
    calls: list[tuple[str, str]] = []
    real = evaluation.panel_result
    monkeypatch.setattr(evaluation, "panel_result",
                        lambda rows, region, *a: calls.append((rows.indicator.id, region))
                        or real(rows, region, *a))
    plan, obs = _inputs("cn_education_14th")
    ev = planlib.evaluate(plan, obs)
    assert calls == [] and set(ev.tables) == {i.id for i in plan.indicators}
    for result in ev:
        assert len(result.summary_frame()) > 0
    ev.summary_frame("zh")
    _ = ev.at_risk
    for key in list(ev.keys()):
        assert ev[key] is ev[key]  # built once
    assert calls == ev.keys()
    assert not math.isnan(ev["kindergarten_enrolment"].median)  # the cohort model's row
