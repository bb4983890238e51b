"""The notebooks' display tables: files read, warnings, gaps, model choice, sensitivity,
targets at risk. Each is checked against the evaluation it is built from."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from planlib.outputs.display import tables
from planlib.pipeline import run_plan

PLAN = """plan:
  id: gaps
  title_zh: 缺口测试
  title_en: Gap test
  baseline_year: 2020
  target_year: 2025
  as_of: 2024
data: ["a.csv", "b.csv"]
indicators:
  - id: rate
    name_zh: 比率
    name_en: Rate
    bounds: [0, 100]
    direction: increase
    target: {kind: level_at_least, value: 70}
  - id: late
    name_zh: 滞后
    name_en: Late
    bounds: [0, 100]
    direction: increase
    target: {kind: level_at_least, value: 99}
"""
# rate: 2017-2023 except 2019 and 2021; b.csv revises 2020 (50 -> 51) and adds 2023.
A = ("indicator_id,year,value,flag\n"
     "rate,2017,44,\nrate,2018,46,derived\nrate,2020,50,\nrate,2022,56,provisional\n"
     "late,2020,40,\nlate,2021,41,\n")
B = "indicator_id,year,value\nrate,2020,51\nrate,2023,58\n"


@pytest.fixture(scope="module")
def gap_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("gaps")
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (folder / "a.csv").write_text(A, encoding="utf-8")
    (folder / "b.csv").write_text(B, encoding="utf-8")
    return run_plan(folder, write=False)


@pytest.fixture(scope="module")
def demo(shipped_run):
    return shipped_run("demo_city")


def test_files_table_counts_what_each_file_kept(gap_run):
    t = tables.files_table(gap_run.loaded)
    assert list(t["file"].map(lambda f: Path(f).name)) == ["a.csv", "b.csv"]
    # a.csv's 2020 rate was replaced by b.csv's, so a.csv keeps 5 of its 6 values
    assert list(t["observations_kept"]) == [5, 2]
    assert t["observations_kept"].sum() == len(gap_run.loaded.frame)
    assert list(t["years"]) == ["2017–2022", "2020–2023"]


def test_warnings_table_marks_the_override(gap_run):
    t = tables.warnings_table(gap_run.loaded)
    overrides = t[t["kind"] == "override"]["warning"].tolist()
    assert len(overrides) == 1
    assert "a.csv, row 4, column 'value': rate 2020: 50 replaced by 51" in overrides[0]
    assert "b.csv row 2)" in overrides[0]
    zh = tables.warnings_table(gap_run.loaded, "zh")
    assert zh.iloc[:, 0].tolist() == ["数值被替换" if k == "override" else "提示"
                                      for k in t["kind"]]
    assert "a.csv，第4行，“value”列：rate 2020：50被后读文件的51替换" in zh.iloc[0, 1]


def test_gap_table_lists_missing_years_up_to_as_of(gap_run):
    t = tables.gap_table(gap_run.evaluation, "en").set_index("indicator_id")
    assert t.loc["rate", "first_year"] == 2017 and t.loc["rate", "last_year"] == 2023
    assert t.loc["rate", "missing_years"] == "2019, 2021"
    assert t.loc["rate", "n_missing"] == 2 and t.loc["rate", "years_behind"] == 0
    # late: baseline 2020, data through 2021, as of 2024 expects 2023: two years behind
    assert t.loc["late", "missing_years"] == "2022–2023"
    assert t.loc["late", "years_behind"] == 2
    assert t.loc["late", "name"] == "Late"


def test_observations_wide_marks_flags(gap_run):
    wide = tables.observations_wide(gap_run.loaded).set_index("indicator_id")
    assert wide.loc["rate", "2018"] == "46d"
    assert wide.loc["rate", "2022"] == "56*"
    assert wide.loc["rate", "2020"] == "51"  # the later file's value
    assert wide.loc["late", "2023"] == ""


@pytest.mark.slow
def test_selection_table_is_the_selection_as_data(demo):
    t = tables.selection_table(demo.evaluation).set_index("indicator_id")
    for r in demo.evaluation:
        if r.selection is None:
            continue
        assert t.loc[r.id, "model"] == r.model
        assert t.loc[r.id, "members"] == ", ".join(r.selection.members)
        weights = [float(w) for w in t.loc[r.id, "weights"].split(", ")]
        assert math.isclose(sum(weights), 1.0, abs_tol=0.01)
        assert t.loc[r.id, "reason"] == r.selection.reason


def test_sensitivity_table_matches_p_meet_by_model(demo):
    t = tables.sensitivity_table(demo.evaluation).set_index("indicator_id")
    checked = 0
    for r in demo.evaluation:
        for model, p in r.p_meet_by_model.items():
            assert t.loc[r.id, f"p_{model}"] == pytest.approx(p)
            checked += 1
        robust = t.loc[r.id, "call_robust"]
        assert (None if pd.isna(robust) else bool(robust)) == r.call_robust
    assert checked >= 10


def test_at_risk_table_lists_exactly_the_results_at_risk(demo):
    zh = tables.at_risk_table(demo.evaluation, "zh")
    assert list(zh["指标代码"]) == [r.id for r in demo.evaluation.at_risk]
    assert len(zh) >= 1  # the demo's fitness rate is very unlikely to reach 60 %
    assert set(zh["预测判断"]) <= {"完成难度较大", "很难完成", "按项目进度评估"}
    en = tables.at_risk_table(demo.evaluation, "en")
    assert set(en["outlook"]) <= {"unlikely", "very unlikely", "judged by project schedule"}


def test_run_heading_names_plan_and_data_year(gap_run):
    assert tables.run_heading(gap_run, "en") == (
        "**Gap test** (`gaps`), as of 2024: data through 2023.")
    assert "数据截至 2023 年" in tables.run_heading(gap_run, "zh")


def test_section_markdown_inlines_the_figures_it_has():
    import base64
    from dataclasses import dataclass, field

    from planlib.outputs.display.inline import section_markdown

    @dataclass
    class Drafted:  # the two attributes of report.Section that the helper reads
        markdown: str
        figures: dict[str, bytes] = field(default_factory=dict)

    png = b"\x89PNG\r\n\x1a\nfake"
    text = ("# 预测\n\n![图1 学前教育](figures/indicator_preschool_ger.png)\n\n"
            "![图2](figures/missing.png) and [a link](figures/x.csv)\n")
    out = section_markdown(Drafted(text, {"indicator_preschool_ger": png}))
    assert f"](data:image/png;base64,{base64.b64encode(png).decode()})" in out
    assert "![图2](figures/missing.png)" in out and "[a link](figures/x.csv)" in out
    assert out.startswith("# 预测\n\n![图1 学前教育](data:")


def _all_tables(run, lang: str) -> dict[str, pd.DataFrame]:
    ev = run.evaluation
    return {"files": tables.files_table(run.loaded, lang),
            "warnings": tables.warnings_table(run.loaded, lang),
            "gaps": tables.gap_table(ev, lang),
            "wide": tables.observations_wide(run.loaded, lang),
            "selection": tables.selection_table(ev, lang),
            "sensitivity": tables.sensitivity_table(ev, lang),
            "at_risk": tables.at_risk_table(ev, lang),
            "years": tables.years_table(next(iter(ev)), lang),
            "evaluation": tables.evaluation_table(ev, lang)}


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.slow
@pytest.mark.parametrize("plan", ["gap_run", "demo"])
def test_display_tables_have_chinese_headers_in_zh_and_english_in_en(plan, request):
    run = request.getfixturevalue(plan)
    zh, en = _all_tables(run, "zh"), _all_tables(run, "en")
    for name in zh:
        years = {c for c in en[name].columns if str(c).isdigit()}  # wide layout: years
        assert all(_has_han(str(c)) for c in zh[name].columns if c not in years), \
            (name, list(zh[name].columns))
        assert not any(_has_han(str(c)) for c in en[name].columns), name
        assert len(set(zh[name].columns)) == len(zh[name].columns)  # no two the same
        # the same cells under other headers (the kind of a warning is said in Chinese)
        same = zh[name].set_axis(en[name].columns, axis=1)
        if name == "warnings":
            assert set(same["kind"]) <= {"数值被替换", "提示"}
            replaced = (same["kind"] == "数值被替换").tolist()
            assert replaced == (en[name]["kind"] == "override").tolist()
            # the warnings themselves are said in lang (codes rendered from one table)
            assert all(_has_han(w) for w in same["warning"])
            assert not any(_has_han(w) for w in en[name]["warning"] if "规划" not in w)
            same, other = same[["kind"]].iloc[:0], en[name][["kind"]].iloc[:0]
        else:
            other = en[name]
        if name not in ("gaps", "selection", "sensitivity", "at_risk", "evaluation"):
            # (those say names and statuses in lang)
            pd.testing.assert_frame_equal(same, other)
    assert zh["files"].columns[0] == "读取顺序" and "达标概率" in zh["sensitivity"].columns
    assert {"80%区间下限", "95%区间上限"} <= set(zh["years"].columns)
    assert list(en["evaluation"].columns) == list(run.evaluation.summary_frame("en").columns)
    assert "p_meet" in en["sensitivity"].columns and "indicator_id" in en["gaps"].columns


def test_per_model_headers_name_the_model():
    from planlib.outputs.display.headers import header

    assert header("mase_damped", "zh") == "回测误差MASE：damped"
    assert header("p_logit", "zh") == "达标概率：logit" and header("p_meet", "zh") == "达标概率"
    assert header("mase_damped", "en") == "mase_damped" and header("2021", "zh") == "2021"
    with pytest.raises(ValueError, match="unknown language"):
        header("p_meet", "fr")
