"""`evaluate` writes every row of every indicator by one path, the panel's
(planlib/core/batch/rows.py), at any number of regions: each row's numbers equal the model
functions run on that region's own series alone (`reference`), a region evaluated alone
gives its row in the big panel, and the rich results are built only when read."""

import numpy as np
import pandas as pd
import pytest
from reference import assert_rows_are_the_reference, reference_row

import planlib.core.evaluation as evaluation
from planlib.core.batch.synthetic import synthetic_long
from planlib.core.evaluation import evaluate, project

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
def test_every_row_is_the_forecast_of_its_own_series(make_plan, indicators, panel, model):
    rate, cover, count, fall = (indicators[i] for i in ("rate", "cover", "count", "fall"))
    plan = make_plan(rate, cover, STEP, count, fall, MORE)
    ev = evaluate(plan, panel, model=model)
    assert set(ev.tables) == {"rate", "cover", "step", "count", "fall", "more"}
    table = ev.summary_frame()
    sample = table.groupby("indicator_id").head(25)  # every indicator, 150 rows
    assert assert_rows_are_the_reference(sample, plan, panel, model=model) == 150
    assert table["note_codes"].str.contains("break_fit").any()
    assert table["note_codes"].str.contains("latest_provisional").any()
    assert table["p_meet_by_model"].str.contains("linear").any()
    if model == "auto":
        assert table["model"].str.startswith("combo(").any()
        assert {"drift", "linear"} <= set(table["model"])


def _alone(table: pd.DataFrame, plan, panel, regions, **kw) -> None:
    """The rows of `regions` evaluated on their own equal their rows in `table`."""
    part = evaluate(plan, panel[panel["region"].isin(regions)], **kw).summary_frame()
    mine = table[table["region"].isin(regions)].reset_index(drop=True)
    assert_same_table(part, mine)


@pytest.mark.slow
def test_observed_outcomes_and_sensitivity_off(make_plan, indicators, panel):
    """Target year already observed (as_of after it) and sensitivity=False."""
    plan = make_plan(*(indicators[i] for i in ("rate", "count", "fall")), target=2022,
                     as_of=2023)
    ev = evaluate(plan, panel, sensitivity=False)
    table = ev.summary_frame("zh")
    assert (table["model"] == "observed").sum() > 50
    assert (table["p_meet_by_model"] == "{}").all()
    seen = table[table["model"] == "observed"]
    # the outcome is the 2022 value itself, met when it is on the target's side
    for row in seen.head(40).itertuples():
        ind = plan.indicator(row.indicator_id)
        mine = panel[(panel["indicator_id"] == ind.series_id) & (panel["region"] == row.region)]
        value = float(mine.loc[mine["year"] == 2022, "value"].iloc[0])
        assert row.median == row.latest_value == value
        if not np.isnan(row.target_value):
            met = value >= row.target_value if ind.direction == "increase" \
                else value <= row.target_value
            assert row.p_meet == float(met)
    assert_rows_are_the_reference(table.groupby("indicator_id").head(15), plan, panel)
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
def test_flow_rows_are_the_totals_of_their_own_sample_paths(make_plan, indicators, panel,
                                                            model):
    """A flow measure with a cumulative target: every row's total and P(met) are those of
    the joint sample paths of its own series (same seeds, same paths), the point paths
    (n = 2) included, which the panel answers row by row."""
    counts = panel[panel["indicator_id"] == "count"].groupby("region")["value"].mean()
    own = {r: round(5 * v, 1) for r, v in counts.items() if v > 0}  # judged: P(met) shown
    plan = make_plan(STEP, {**FLOW, "targets_by_region": own})
    ev = evaluate(plan, panel, model=model)
    table = ev.summary_frame()
    assert set(ev.tables) == {"step", "flow"}
    flow = table[table["indicator_id"] == "flow"]
    point = flow[flow["model_reason"].str.startswith("n=2")]
    assert len(point) >= 1
    assert_rows_are_the_reference(pd.concat([point, flow.head(30)]), plan, panel,
                                  model=model)
    assert flow["note_codes"].str.contains("flow_total").sum() > 40
    assert flow["p_meet"].between(0.01, 0.99).sum() >= 5  # not only the floors
    assert flow["p_meet_by_model"].str.contains("linear").any()


@pytest.mark.slow
@pytest.mark.parametrize("plan_id", ["demo_city", "demo_city_areas"])
def test_shipped_flow_rows_are_their_own_paths_bit_for_bit(shipped_run, plan_id):
    """The shipped flows (new childcare places: a city total, and a total with areas and
    their own targets): the total's median, intervals and P(met) are exactly those of each
    series' own joint sample paths, and the done part is the additions since the baseline."""
    run = shipped_run(plan_id)
    plan, frame = run.plan, run.loaded.frame
    flows = {i.id for i in plan.indicators if i.measure == "flow"}
    assert flows
    ev = evaluate(plan, frame)
    table = ev.summary_frame()
    pick = table[table["indicator_id"].isin(flows)]
    assert_rows_are_the_reference(pick, plan, frame, atol=0.0)
    for row in pick.itertuples():
        ind = plan.indicator(row.indicator_id)
        mine = frame[(frame["indicator_id"] == ind.series_id)
                     & (frame["region"].fillna("") == (row.region or ""))]
        done = mine.loc[(mine["year"] > row.baseline_year) & (mine["year"] < ev.as_of),
                        "value"].sum()
        assert row.latest_value == pytest.approx(done, rel=1e-12)
    assert pick["note_codes"].str.contains("flow_total").all()
    judged = pick[pick["p_meet"].notna()]
    assert len(judged) >= 1 and (judged["median"] > judged["latest_value"]).all()


@pytest.mark.slow
@pytest.mark.parametrize("model", ["auto", "linear"])
def test_context_rows_are_the_outlook_of_their_own_series(make_plan, indicators, panel,
                                                          model):
    """A context indicator (no target: its outlook to the outlook year alone): each row is
    its series' own outlook, with no P(met) and no status."""
    context = [{"id": "ctx_count", "series": "count", "bounds": [0, None]},
               {"id": "ctx_rate", "series": "rate", "bounds": [0, 100], "outlook_year": 2030}]
    plan = make_plan(indicators["rate"], *context)
    ev = evaluate(plan, panel, model=model)
    table = ev.summary_frame()
    assert set(ev.tables) == {"rate", "ctx_count", "ctx_rate"}
    ctx = table[table["indicator_id"].str.startswith("ctx")]
    assert_rows_are_the_reference(ctx.groupby("indicator_id").head(20), plan, panel,
                                  model=model)
    assert (ctx["outlook_status"] == "no_target").all() and ctx["p_meet"].isna().all()
    assert ctx["median"].notna().sum() > 100 and (ctx["target_kind"] == "context").all()
    r = ev["ctx_rate", "R05"]  # its rich result: the forecast's own per-year path
    _, fc = reference_row(plan, panel, "ctx_rate", "R05", model=model)
    assert fc is not None and r.forecast is not None
    path = r.summary_frame().set_index("year").loc[fc.years, "median"].to_numpy(float)
    np.testing.assert_allclose(path, np.clip(fc.median, 0, 100), rtol=1e-12)


@pytest.mark.slow
def test_results_are_built_only_when_read(make_plan, indicators, panel, monkeypatch):
    """No rich result is built by `evaluate`: one read builds one, from the panel's arrays,
    and it agrees with its table row."""
    calls = []
    real = evaluation.panel_result
    monkeypatch.setattr(evaluation, "panel_result",
                        lambda rows, region, *a: calls.append(region) or real(rows, region, *a))
    plan = make_plan(indicators["rate"], indicators["count"])
    ev = evaluate(plan, panel)
    assert calls == []
    table = ev.summary_frame()
    one = ev["rate", "R05"]
    assert calls == ["R05"] and ev["rate", "R05"] is one
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


def test_the_number_of_regions_is_a_performance_detail(make_plan, indicators, panel):
    """Three regions, or one, evaluated on their own give their rows of the big panel (and
    `project` the per-year path of the result), each the forecast of its own series."""
    plan = make_plan(indicators["rate"])
    whole = evaluate(plan, panel[panel["indicator_id"] == "rate"])
    table = whole.summary_frame()
    _alone(table, plan, panel, ["R01", "R02", "R03"])
    _alone(table, plan, panel, ["R02"])
    assert_rows_are_the_reference(table[table["region"].isin(["R01", "R02", "R03"])],
                                  plan, panel)
    got = project(plan, panel, "rate", region="R02")
    want = whole["rate", "R02"].summary_frame()
    pd.testing.assert_frame_equal(got, want)


def test_regions_and_indicators_without_a_value_get_a_row_of_no_projection(make_plan):
    """A region whose only value is missing, and an indicator without any observation,
    get their rows from the same path: nothing fitted, the insufficient-data note (main
    before the one path raised a broadcasting error on the first)."""
    target = {"kind": "level_at_least", "value": 50}
    plan = make_plan({"id": "a", "target": target}, {"id": "b", "target": target})
    obs = pd.DataFrame({"indicator_id": "a", "region": ["", "", "X"],
                        "year": [2019, 2021, 2020], "value": [40.0, 44.0, None],
                        "flag": None})
    ev = evaluate(plan, obs)
    table = ev.summary_frame().set_index(["indicator_id", "region"])
    assert list(table.index) == [("a", ""), ("a", "X"), ("b", "")]
    for key in (("a", "X"), ("b", "")):
        row = table.loc[key]
        assert (row["model"], row["n_obs"]) == ("none", 0) and np.isnan(row["median"])
        assert "insufficient_data" in row["note_codes"].split(",")
        assert ev[key].forecast is None
    assert table.loc[("a", ""), "latest_value"] == 44.0
    assert_rows_are_the_reference(ev.summary_frame(), plan, obs)
    assert project(plan, obs, "b")["median"].isna().all()


def test_vectorise_is_deprecated_and_changes_nothing(make_plan, indicators, panel):
    plan = make_plan(indicators["rate"])
    small = panel[panel["region"].isin(["R01", "R02"])]
    with pytest.warns(DeprecationWarning, match="vectorise"):
        old = evaluate(plan, small, vectorise=False, sensitivity=False)
    assert_same_table(old.summary_frame(), evaluate(plan, small,
                                                    sensitivity=False).summary_frame())
