"""The evaluation result object: words and band edges in one place, notes as codes, the
calls an evaluator must be able to defend (issue #6)."""

import math
import string

import pandas as pd
import pytest

import planlib
from planlib.core import labels
from planlib.core.evaluation import evaluate
from planlib.core.notes import call_robust
from planlib.errors import InputError


# -- the outlook bands: table-driven, on the printed number ---------------------------------
@pytest.mark.parametrize(("p", "band"), [
    (1.0, "very_likely"), (0.90, "very_likely"), (0.8951, "very_likely"),  # prints 0.90
    (0.894, "likely"), (0.66, "likely"), (0.655, "likely"), (0.654, "as_likely_as_not"),
    (0.33, "as_likely_as_not"), (0.3249, "unlikely"), (0.10, "unlikely"),
    (0.0949, "very_unlikely"), (0.0, "very_unlikely"), (math.nan, "insufficient_data"),
])
def test_outlook_band_edges(p, band):
    assert labels.outlook_status(p) == band


def test_band_edges_are_the_documented_ones():
    assert [edge for edge, _ in labels.OUTLOOK_CUTOFFS] == [0.90, 0.66, 0.33, 0.10, 0.0]


@pytest.mark.parametrize(("p", "text"), [
    (0.0, "< 0.01"), (0.004, "< 0.01"), (0.005, "0.01"), (0.42, "0.42"), (0.994, "0.99"),
    (0.995, "> 0.99"), (1.0, "> 0.99"), (math.nan, ""),
])
def test_probability_is_never_printed_as_certain(p, text):
    assert labels.format_p(p) == text


def test_every_note_renders_in_both_languages():
    for code, texts in labels.NOTE_TEXTS.items():
        fields = {name for lang in labels.LANGS
                  for _, name, _, _ in string.Formatter().parse(texts[lang]) if name}
        note = labels.Note(code, dict.fromkeys(fields, "X"))
        zh, en = note.text("zh"), note.text("en")
        assert zh and en and zh != en, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), code
    with pytest.raises(KeyError):
        labels.Note("no_such_code")


def test_status_words_are_in_one_table_per_kind():
    assert labels.label("on_schedule", "zh") == "基本符合预期"
    assert labels.label("very_likely", "en") == "very likely"
    assert labels.label("by_schedule", "zh") == "按项目进度评估"
    with pytest.raises(ValueError):
        labels.label("ahead", "fr")


# -- the result object ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(shipped):
    return shipped("demo_city")


@pytest.mark.slow
def test_result_object_indexing_and_table(demo):
    assert len(demo) == 7 and demo.keys()[0] == ("fitness_good_excellent_rate", "")
    r = demo["fitness_good_excellent_rate"]
    assert r is demo["fitness_good_excellent_rate", ""]
    assert r.name("zh") == "学生体质健康优良率" and r.name("en").startswith("Student fitness")
    with pytest.raises(KeyError, match="known"):
        demo["nope"]
    zh, en = demo.summary_frame(lang="zh"), demo.summary_frame(lang="en")
    assert list(zh.columns) == list(en.columns)
    assert (zh["notes"] == zh["notes_zh"]).all() and (en["notes"] == en["notes_en"]).all()
    assert r.history.columns.tolist() == ["year", "value", "raw_value", "flag", "in_fit"]
    assert r.selection is not None and r.selection.members == ("drift",)
    assert r.selection.rule == "parsimony" and r.selection.weights == (1.0,)


def test_band_follows_the_printed_probability(demo):
    """P = 0.8976 prints as 0.90, so it is 'very likely', not 'likely'."""
    r = demo["public_kg_first_grade_share"]
    assert r.p_meet_text == "0.90" and r.outlook_status == "very_likely"


def test_interval_collapsed_on_a_bound_is_said_to_be_at_the_bound(demo):
    r = demo["schools_with_counsellor_share"]
    assert r.lower[80] == r.upper[80] == 100
    assert "interval_at_bound" in [n.code for n in r.notes]
    assert "预测区间落在取值边界100上" in r.notes_text("zh")


def test_single_project_is_judged_by_its_schedule(demo):
    r = demo["new_public_high_schools"]
    assert r.outlook_status == "by_schedule" and math.isnan(r.p_meet)
    assert r.schedule_status == "on_track" and r.model == "schedule"
    assert "在建" in r.notes_text("zh") and "2024" in r.notes_text("en")
    row = demo.summary_frame().set_index("indicator_id").loc["new_public_high_schools"]
    assert row.outlook_status_zh == "按项目进度评估" and row.p_meet_text == ""


def test_single_project_without_schedule_asks_for_one(make_plan, obs):
    plan = make_plan({"id": "hs", "unit": "所", "bounds": [0, None],
                      "target": {"kind": "milestone", "value": 1}})
    r = evaluate(plan, obs("hs", {2020: 0, 2021: 0, 2022: 0}))["hs"]
    assert r.outlook_status == "insufficient_data" and math.isnan(r.p_meet)
    assert [n.code for n in r.notes][-1] == "schedule_missing"


def test_late_project_is_at_risk(make_plan, obs):
    plan = make_plan({"id": "hs", "unit": "所", "bounds": [0, None],
                      "target": {"kind": "milestone", "value": 1},
                      "schedule": {"expected_year": 2027, "status": "planned"}})
    ev = evaluate(plan, obs("hs", {2020: 0, 2021: 0, 2022: 0}))
    assert ev["hs"].schedule_status == "late" and ev.at_risk == [ev["hs"]]
    assert "晚于目标年2025年" in ev["hs"].notes_text("zh")


SPIKE = {2017: 50, 2018: 51, 2019: 60, 2020: 52, 2021: 53.5, 2022: 55}


def test_fit_from_baseline_drops_a_pre_baseline_spike_and_says_so(make_plan, obs):
    ind = {"id": "r", "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 60}}
    every = evaluate(make_plan(ind), obs("r", SPIKE))["r"]
    since = evaluate(make_plan(ind, fit_from="baseline"), obs("r", SPIKE))["r"]
    override = evaluate(make_plan({**ind, "fit_from": 2021}, fit_from="baseline"),
                        obs("r", SPIKE))["r"]
    assert every.fit_from == 2017 and since.fit_from == 2020 and override.fit_from == 2021
    assert since.history.in_fit.tolist() == [False, False, False, True, True, True]
    assert "趋势自2020年起拟合" in since.notes_text("zh")
    assert since.median > every.median  # the spike no longer drags the drift down
    assert since.progress.progress_ratio == every.progress.progress_ratio  # from baseline


def test_breaks_declared_in_the_plan_act_like_break_flags(make_plan, obs):
    ind = {"id": "r", "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 60}}
    values = {2017: 30, 2018: 31, 2019: 32, 2020: 50, 2021: 52, 2022: 54}
    flagged = evaluate(make_plan(ind), obs("r", values, flags={2020: "break"}))["r"]
    declared = evaluate(make_plan({**ind, "breaks": [2020]}), obs("r", values))["r"]
    assert flagged.fit_from == declared.fit_from == 2020
    assert flagged.median == declared.median and flagged.p_meet == declared.p_meet
    assert "break_fit" in [n.code for n in declared.notes]


def test_on_schedule_but_unlikely_says_why(make_plan, obs):
    """Progress from the baseline looks fine, but the trend since the fit start is slower:
    the note says so, with the paces."""
    ind = {"id": "r", "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 60}}
    values = {2014: 40, 2015: 40.5, 2016: 41, 2017: 41.3, 2018: 41.8, 2019: 42, 2020: 42.5,
              2021: 46, 2022: 49.5}
    r = evaluate(make_plan(ind), obs("r", values))["r"]
    assert r.progress_status in ("on_schedule", "ahead")
    if r.outlook_status in labels.AT_RISK:
        note = next(n for n in r.notes if n.code == "trend_slower_than_progress")
        assert note.params["fit_from"] == 2014
        assert "慢于基期以来" in note.text("zh")
    else:  # the combination saw the acceleration: no contradiction to explain
        assert "trend_slower_than_progress" not in [n.code for n in r.notes]


@pytest.mark.parametrize(("p", "by_model", "robust"), [
    (0.5, {"drift": 0.55, "linear": 0.40}, True),     # within 0.15
    (0.95, {"drift": 0.91, "linear": 0.99}, True),    # same band
    (0.5, {"drift": 0.5, "linear": 0.7}, False),      # 0.2 away, another band
    (math.nan, {"drift": 0.5}, None),
])
def test_call_robust(p, by_model, robust):
    assert call_robust(p, by_model) is robust


def test_model_sensitivity_is_in_the_result_and_table(demo):
    r = demo["public_kg_model_share"]
    assert set(r.p_meet_by_model) == {"drift", "linear", "log", "logit"}
    assert r.call_robust is False and "model_dependent" in [n.code for n in r.notes]
    row = demo.summary_frame().set_index("indicator_id").loc["public_kg_model_share"]
    assert '"logit": ' in row.p_meet_by_model and not row.call_robust


@pytest.mark.slow
def test_library_checks_as_of_as_the_cli_does():
    plan = planlib.load_plan("demo_city")
    frame = planlib.load_observations(plan)
    for bad in (2020, 1800, 3000):
        with pytest.raises(InputError):
            evaluate(plan, frame, as_of=bad)
    with pytest.raises(InputError, match="unknown model"):
        evaluate(plan, frame, model="prophet")


def test_every_bad_run_option_is_listed_in_one_error():
    """The run options are checked once at the door: one InputError names each bad one."""
    plan = planlib.load_plan("demo_city")
    frame = planlib.load_observations(plan)
    with pytest.raises(InputError) as info:
        evaluate(plan, frame, as_of=2019, model="prophet", levels=(80, 120), seed=-1)
    assert [p.file for p in info.value.problems] == ["as_of", "levels", "model", "seed"]
    text = str(info.value)
    assert "4 problems found" in text and "baseline year 2020" in text
    assert "between 0 and 100" in text and "'prophet'" in text and "seed -1" in text


def test_public_api_is_listed():
    names = dir(planlib)
    for name in ("Plan", "Evaluation", "IndicatorResult", "DataWarning", "evaluate",
                 "run_plan", "load_plan", "load_observations"):
        assert name in names
        assert getattr(planlib, name) is not None


@pytest.mark.slow
def test_run_plan_writes_the_table_it_returns(tmp_path):
    run = planlib.run_plan("demo_city", out_dir=tmp_path)
    written = pd.read_csv(tmp_path / "evaluation.csv", encoding="utf-8-sig")
    assert written.indicator_id.tolist() == [r.id for r in run.evaluation]
    pd.testing.assert_series_equal(written["median"], run.table["median"], rtol=1e-9)
    assert (tmp_path / "manifest.json") == run.written[-1]


@pytest.mark.slow
def test_seed_is_checked_by_the_library_too(tmp_path):
    plan = planlib.load_plan("demo_city")
    with pytest.raises(InputError, match="seed"):
        evaluate(plan, planlib.load_observations(plan), seed=-1)
    with pytest.raises(InputError):
        planlib.run_plan("demo_city", seed=-1, out_dir=tmp_path)


@pytest.mark.slow
def test_output_folder_among_the_inputs_is_refused_before_evaluating(monkeypatch):
    import planlib.pipeline as pipeline

    def never(*args, **kwargs):
        raise AssertionError("evaluated before refusing --out")

    monkeypatch.setattr(pipeline, "evaluate", never)
    plan = planlib.load_plan("demo_city")
    with pytest.raises(InputError, match="output folder"):
        planlib.run_plan(plan, out_dir=plan.folder)
