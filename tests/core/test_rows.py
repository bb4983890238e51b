"""`evaluate` writes the table of indicators with many regions vectorised
(planlib/core/batch/rows.py): every column -- numbers to 1e-9, model reason, notes in both
languages, P(met) by model, call_robust -- equals the per-series path's, whatever the model,
and the rich results are built only when read."""

import numpy as np
import pandas as pd
import pytest

import planlib.core.evaluation as evaluation
from planlib.core.batch.synthetic import synthetic_long
from planlib.core.evaluation import evaluate

STEP = {"id": "step", "series": "rate", "direction": "increase", "bounds": [0, 100],
        "target": {"kind": "annual_change", "value": 1.5}, "breaks": [2018]}
FLOW = {"id": "flow", "series": "count", "direction": "increase", "measure": "flow",
        "target": {"kind": "cumulative_increase", "value": 2000}}
MORE = {"id": "more", "series": "count", "direction": "increase", "bounds": [0, None],
        "baseline": {"year": 2020, "value": 150},
        "target": {"kind": "cumulative_increase", "value": 30}}


def assert_same_table(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same columns and rows; floats to 1e-9 (NaN where NaN), everything else equal."""
    assert list(got.columns) == list(want.columns)
    assert list(zip(got["indicator_id"], got["region"], strict=True)) == \
        list(zip(want["indicator_id"], want["region"], strict=True))
    for col in want.columns:
        a, b = got[col], want[col]
        if pd.api.types.is_float_dtype(b):
            np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=0,
                                       atol=1e-9, equal_nan=True, err_msg=col)
        else:
            same = (a.isna() & b.isna()) | (a.astype(str) == b.astype(str))
            bad = np.flatnonzero(~same.to_numpy())
            assert bad.size == 0, (col, got.loc[bad[:3], ["indicator_id", "region"]].values,
                                   list(a.iloc[bad[:3]]), list(b.iloc[bad[:3]]))


@pytest.fixture(scope="module")
def panel():
    """~170 regions of two series: 2-10 points, gaps, breaks, flags, a region with data
    only before the baseline and one whose only value is missing."""
    rate = synthetic_long(70, indicator_id="rate", kind="rate", seed=41, years=(2, 10),
                          gap_share=0.5, short_share=0.3)
    count = synthetic_long(70, indicator_id="count", kind="count", seed=42, years=(2, 10),
                           gap_share=0.5, short_share=0.3)
    rate.loc[(rate["region"] == "R03") & (rate["year"] == 2017), "flag"] = "break"
    rate.loc[(rate["region"] == "R05") & (rate["year"] == 2022), "flag"] = "provisional"
    count.loc[(count["region"] == "R07") & (count["year"] == 2022), "flag"] = "lower_bound"
    old = pd.DataFrame({"indicator_id": "rate", "region": "Z-old", "year": [2015, 2016],
                        "value": [50.0, 52.0], "flag": ""})
    return pd.concat([rate, count, old], ignore_index=True)


@pytest.mark.slow
@pytest.mark.parametrize("model", ["auto", "drift", "linear", "log", "logit", "damped"])
def test_vectorised_table_equals_the_per_series_table(make_plan, indicators, panel, model):
    rate, cover, count, fall = (indicators[i] for i in ("rate", "cover", "count", "fall"))
    plan = make_plan(rate, cover, STEP, count, fall, MORE)
    fast = evaluate(plan, panel, model=model, vectorise=True)
    slow = evaluate(plan, panel, model=model, vectorise=False)
    assert set(fast.tables) == {"rate", "cover", "step", "count", "fall", "more"}
    assert not slow.tables
    for lang in ("zh", "en"):
        assert_same_table(fast.summary_frame(lang), slow.summary_frame(lang))
    table = fast.summary_frame()
    assert table["note_codes"].str.contains("break_fit").any()
    assert table["note_codes"].str.contains("latest_provisional").any()
    assert table["p_meet_by_model"].str.contains("linear").any()
    if model == "auto":
        assert table["model"].str.startswith("combo(").any()
        assert {"drift", "linear"} <= set(table["model"])


@pytest.mark.slow
def test_observed_outcomes_and_sensitivity_off_equal_too(make_plan, indicators, panel):
    """Target year already observed (as_of after it) and sensitivity=False."""
    plan = make_plan(*(indicators[i] for i in ("rate", "count", "fall")), target=2022,
                     as_of=2023)
    fast = evaluate(plan, panel, vectorise=True, sensitivity=False)
    slow = evaluate(plan, panel, vectorise=False, sensitivity=False)
    table = fast.summary_frame("zh")
    assert_same_table(table, slow.summary_frame("zh"))
    assert (table["model"] == "observed").sum() > 50
    assert (table["p_meet_by_model"] == "{}").all()
    # the plan-cycle columns: every row final; observed targets met or not, by the sign of
    # the margin, the others nowcast; no outcome without a target level (no baseline)
    assert (table["stage"] == "final").all()
    seen, level = table["model"] == "observed", table["target_value"].notna()
    assert set(table.loc[seen & level, "outcome"]) == {"met", "not_met"}
    assert (table.loc[~seen & level, "outcome"] == "nowcast").all()
    assert (table.loc[~level, "outcome"] == "").all() and (~level).sum() > 5
    met = table["outcome"] == "met"
    assert (table.loc[met, "final_margin"] >= 0).all()
    bad = table.loc[(table["outcome"] == "not_met") & ~(table["final_margin"] < 0)]
    assert bad.empty, bad[["indicator_id", "region", "latest_value", "target_value",
                           "final_margin", "model"]].to_string()
    assert (table.loc[met, "first_met_year"] <= 2022).all()
    assert table.loc[~met, "first_met_year"].isna().all()


@pytest.mark.slow
@pytest.mark.parametrize("model", ["auto", "drift", "log"])
def test_flow_rows_come_from_the_panel_and_equal_the_per_series_rows(
        make_plan, indicators, panel, monkeypatch, model):
    """A flow measure with a cumulative target (its total and P(met) from joint sample
    paths) is written by the panel rows, every column equal to the per-series row (same
    seeds, same paths); only the rows no panel draw covers (a point path, n = 2) go
    through `evaluate_series`."""
    counts = panel[panel["indicator_id"] == "count"].groupby("region")["value"].mean()
    own = {r: round(5 * v, 1) for r, v in counts.items() if v > 0}  # judged: P(met) shown
    plan = make_plan(STEP, {**FLOW, "targets_by_region": own})
    calls = []
    real = evaluation.evaluate_series
    monkeypatch.setattr(evaluation, "evaluate_series",
                        lambda *a, **k: calls.append((a[0].id, a[1])) or real(*a, **k))
    fast = evaluate(plan, panel, model=model, vectorise=True)
    table = fast.summary_frame()
    assert set(fast.tables) == {"step", "flow"}
    point = table.loc[table["model_reason"].str.startswith("n=2"), ["indicator_id", "region"]]
    assert sorted(calls) == sorted((i, r) for i, r in point.itertuples(index=False)
                                   if i == "flow")
    assert len(calls) < 15
    monkeypatch.setattr(evaluation, "evaluate_series", real)
    slow = evaluate(plan, panel, model=model, vectorise=False)
    assert_same_table(fast.summary_frame(), slow.summary_frame())
    flow = table[table["indicator_id"] == "flow"]
    assert flow["note_codes"].str.contains("flow_total").sum() > 40
    assert flow["p_meet"].between(0.01, 0.99).sum() >= 5  # not only the floors
    assert flow["p_meet_by_model"].str.contains("linear").any()


@pytest.mark.slow
@pytest.mark.parametrize("plan_id", ["demo_city", "demo_city_areas"])
def test_shipped_flow_rows_come_from_the_panel_bit_for_bit(shipped_run, monkeypatch, plan_id):
    """The shipped flows (new childcare places: a city total, and a total with areas and
    their own targets): panel rows, no `evaluate_series` call for them, and the total's
    median, intervals and P(met) (and by model) equal the per-series numbers exactly."""
    run = shipped_run(plan_id)
    plan, frame = run.plan, run.loaded.frame
    flows = {i.id for i in plan.indicators if i.measure == "flow"}
    assert flows
    calls = []
    real = evaluation.evaluate_series
    monkeypatch.setattr(evaluation, "evaluate_series",
                        lambda *a, **k: calls.append(a[0].id) or real(*a, **k))
    fast = evaluate(plan, frame).summary_frame()
    assert not flows & set(calls)
    monkeypatch.setattr(evaluation, "evaluate_series", real)
    slow = evaluate(plan, frame, vectorise=False).summary_frame()
    pick = fast["indicator_id"].isin(flows)
    assert_same_table(fast[pick].reset_index(drop=True), slow[pick].reset_index(drop=True))
    for col in ("median", "lo80", "hi80", "lo95", "hi95", "p_meet", "p_meet_by_model"):
        assert fast.loc[pick, col].astype(str).tolist() == slow.loc[pick, col].astype(str).tolist()
    assert fast.loc[pick, "note_codes"].str.contains("flow_total").all()
    judged = fast[pick & fast["p_meet"].notna()]
    assert len(judged) >= 1 and (judged["median"] > judged["latest_value"]).all()


@pytest.mark.slow
@pytest.mark.parametrize("model", ["auto", "linear"])
def test_context_rows_come_from_the_panel_and_equal_the_per_series_rows(
        make_plan, indicators, panel, monkeypatch, model):
    """A context indicator (no target: its outlook to the outlook year alone) is written by
    the panel rows too, equal to the per-series rows, without one `evaluate_series` call."""
    context = [{"id": "ctx_count", "series": "count", "bounds": [0, None]},
               {"id": "ctx_rate", "series": "rate", "bounds": [0, 100], "outlook_year": 2030}]
    plan = make_plan(indicators["rate"], *context)
    calls = []
    real = evaluation.evaluate_series
    monkeypatch.setattr(evaluation, "evaluate_series",
                        lambda *a, **k: calls.append((a[0].id, a[1])) or real(*a, **k))
    fast = evaluate(plan, panel, model=model, vectorise=True)
    table = fast.summary_frame()
    assert calls == [] and set(fast.tables) == {"rate", "ctx_count", "ctx_rate"}
    monkeypatch.setattr(evaluation, "evaluate_series", real)
    slow = evaluate(plan, panel, model=model, vectorise=False)
    for lang in ("zh", "en"):
        assert_same_table(fast.summary_frame(lang), slow.summary_frame(lang))
    ctx = table[table["indicator_id"].str.startswith("ctx")]
    assert (ctx["outlook_status"] == "no_target").all() and ctx["p_meet"].isna().all()
    assert ctx["median"].notna().sum() > 100 and (ctx["target_kind"] == "context").all()


@pytest.mark.slow
def test_evaluate_picks_the_vectorised_path_and_builds_results_only_when_read(
        make_plan, indicators, panel, monkeypatch):
    """The panel path: no per-series evaluation, not even when a result is read (it is
    built from the panel's arrays); the result read agrees with its table row."""
    calls = []
    real = evaluation.evaluate_series
    monkeypatch.setattr(evaluation, "evaluate_series",
                        lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    plan = make_plan(indicators["rate"], indicators["count"])
    ev = evaluate(plan, panel)
    assert calls == []  # 141 regions, all vectorised
    table = ev.summary_frame()
    one = ev["rate", "R05"]
    assert calls == []
    row = table[(table["indicator_id"] == "rate") & (table["region"] == "R05")].iloc[0]
    assert one.median == pytest.approx(row["median"], abs=1e-9)
    assert one.p_meet == pytest.approx(row["p_meet"], abs=1e-9)
    assert one.notes_text("en") == row["notes"]
    risky = ev.at_risk
    assert [(r.id, r.region) for r in risky] == [
        (i, r) for i, r, s in zip(table["indicator_id"], table["region"],
                                  table["outlook_status"], strict=True)
        if s in ("unlikely", "very_unlikely")]
    assert len(ev) == len(table) == len(list(ev.keys()))


def test_few_regions_take_the_panel_path_with_the_per_series_numbers(make_plan, indicators,
                                                                      panel):
    """The number of regions is a performance detail: three regions (or one) are written by
    the panel path too, and equal the per-series table."""
    plan = make_plan(indicators["rate"])
    small = panel[panel["region"].isin(["R01", "R02", "R03"])]
    ev = evaluate(plan, small)
    assert set(ev.tables) == {"rate"} and len(ev) == 3
    slow = evaluate(plan, small, vectorise=False)
    assert not slow.tables
    assert_same_table(ev.summary_frame(), slow.summary_frame())
    one = small[small["region"] == "R02"]
    assert_same_table(evaluate(plan, one).summary_frame(),
                      evaluate(plan, one, vectorise=False).summary_frame())
