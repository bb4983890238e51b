"""`planlib init DIR --from WORKBOOK`: a plan drafted from a colleague's workbook, on
several workbook shapes made here with openpyxl; the draft validates and evaluates as
written, and every guess says `# check`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

from planlib.cli import run
from planlib.inputs.draft_plan import nature_code, read_target, suggested_id
from planlib.inputs.plan import load_plan

YEARS = ["2019年", "2020年", "2021年", "2022年"]
ROWS = [  # name, unit, values 2019-2022, 属性, 2025年目标
    ("学生体质健康优良率", "%", [48.0, 50.1, 52.3, 54.0], "约束性", "≥60%"),
    ("近视率", "%", [56.2, 55.0, 54.1, 53.5], "约束性", "每年下降1个百分点"),
    ("新增托位数", "个", [1500, 2000, 3500, 4100], "预期性", "新增2万个"),
    ("教育经费投入", "亿元", [9.8, 10.2, 10.9, 11.5], "预期性", "年均增长5%"),
    ("大班额比例", "%", [8.1, 7.0, 6.2, 5.8], "约束性", "控制在5%以内"),
]


def _rows_with_years_across(path: Path) -> Path:
    """A title row merged across, 序号, 指标, 单位, years, 属性, 2025年目标."""
    wb = Workbook()
    ws = wb.active
    ws.title = "主要指标"
    ws.append(["某区“十四五”教育事业发展主要指标"])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "指标", "单位", *YEARS, "属性", "2025年目标"])
    for number, (name, unit, values, nature, target) in enumerate(ROWS, 1):
        ws.append([number, name, unit, *values, nature, target])
    wb.save(path)
    return path


def _merged_two_row_header(path: Path) -> Path:
    """A two-row header: 年份 merged over the years, 指标属性 and 规划目标（2025年）
    merged down; a 说明 sheet of text; targets written another way."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["指标名称", "计量单位", "年份", None, None, None, "指标属性", "规划目标（2025年）"])
    ws.append([None, None, *YEARS, None, None])
    for column in "ABGH":
        ws.merge_cells(f"{column}1:{column}2")
    ws.merge_cells("C1:F1")
    ws.append(["学前教育毛入园率", "%", 88.0, 88.9, 89.6, 90.5, "预期性", "达到92%以上"])
    ws.append(["生均经费", "元", 9000, 9300, 9650, 9900, "预期性", "年均增长3%"])
    ws.append(["教师缺口", "人", 420, 400, 380, 350, "预期性", "不超过200人"])
    ws.append(["心理健康教师配备率", "%", 60.0, 66.0, 71.0, 77.0, "约束性", None])
    notes = wb.create_sheet("说明")
    notes.append(["本表由区教育局填报。"])
    wb.save(path)
    return path


def _draft(tmp_path: Path, workbook: Path) -> tuple[Path, str]:
    folder = tmp_path / "proj"
    assert run(["init", str(folder), "--from", str(workbook), "--id", "district"]) == 0
    return folder, (folder / "plan.yaml").read_text(encoding="utf-8")


def _evaluated(folder: Path) -> pd.DataFrame:
    assert run(["evaluate", "--plan", str(folder)]) == 0
    return pd.read_csv(folder / "outputs" / "district" / "processed" / "evaluation.csv",
                       encoding="utf-8-sig").set_index("name_zh")


def test_rows_with_years_across_give_a_plan_that_evaluates(tmp_path: Path):
    folder, text = _draft(tmp_path, _rows_with_years_across(tmp_path / "指标.xlsx"))
    assert (folder / "data" / "指标.xlsx").read_bytes() == (tmp_path / "指标.xlsx").read_bytes()
    plan = load_plan(folder)
    assert plan.plan.title_zh == "某区“十四五”教育事业发展主要指标"
    assert (plan.plan.baseline_year, plan.plan.target_year, plan.plan.as_of) == (2020, 2025,
                                                                                 2023)
    got = {i.name_zh: (i.nature, i.direction, i.measure, i.target.kind, i.target.value, i.unit)
           for i in plan.indicators}
    assert got == {
        "学生体质健康优良率": ("binding", "increase", "stock", "level_at_least", 60, "%"),
        "近视率": ("binding", "decrease", "stock", "annual_change", -1, "%"),
        "新增托位数": ("expected", "increase", "flow", "cumulative_increase", 20000, "个"),
        "教育经费投入": ("expected", "increase", "stock", "average_growth", 5, "亿元"),
        "大班额比例": ("binding", "decrease", "stock", "level_at_most", 5, "%"),
    }
    assert all(i.id.isascii() for i in plan.indicators)
    # every guess is marked: each id, each target read from its wording, each bound
    ids = [ln for ln in text.splitlines() if ln.strip().startswith("- id:")]
    assert len(ids) == 5 and all("# check" in ln for ln in ids)
    targets = [ln for ln in text.splitlines() if ln.strip().startswith("target:")]
    assert all("# check" in ln for ln in targets)
    assert "# check: read from '新增2万个'" in text
    table = _evaluated(folder)
    assert table.loc["新增托位数", "target_value"] == 20000
    assert table.loc["学生体质健康优良率", "latest_value"] == 54.0


def test_a_merged_two_row_header_and_a_row_without_target(tmp_path: Path):
    folder, text = _draft(tmp_path, _merged_two_row_header(tmp_path / "book.xlsx"))
    plan = load_plan(folder)
    got = {i.name_zh: (i.direction, i.target.kind, i.target.value) for i in plan.indicators}
    assert got == {"学前教育毛入园率": ("increase", "level_at_least", 92),
                   "生均经费": ("increase", "average_growth", 3),
                   "教师缺口": ("decrease", "level_at_most", 200)}
    # the row without a target is in the draft, commented out, for the user to finish
    assert "  # no target in the workbook: write it" in text
    assert '  #   name_zh: "心理健康教师配备率"' in text
    uncommented = yaml.safe_load(text.replace("  #   ", "    ").replace("  # - id", "  - id"))
    assert len(uncommented["indicators"]) == 4
    assert _evaluated(folder).loc["教师缺口", "direction"] == "decrease"


@pytest.mark.parametrize(("wording", "unit", "latest", "expected"), [
    ("≥60%", "%", 54.0, ("level_at_least", 60, "increase")),
    ("60%以上", "%", 54.0, ("level_at_least", 60, "increase")),
    ("不低于95%", "%", 90.0, ("level_at_least", 95, "increase")),
    ("控制在5%以内", "%", 6.0, ("level_at_most", 5, "decrease")),
    ("不高于30%", "%", 40.0, ("level_at_most", 30, "decrease")),
    ("≤ 50", "%", 55.0, ("level_at_most", 50, "decrease")),
    ("新增2万个", "个", 4100.0, ("cumulative_increase", 20000, "increase")),
    ("累计新增1.5万", "个", 100.0, ("cumulative_increase", 15000, "increase")),
    ("新增2万个", "万个", 0.4, ("cumulative_increase", 2, "increase")),
    ("年均增长5%", "亿元", 11.5, ("average_growth", 5, "increase")),
    ("每年下降1个百分点", "%", 53.5, ("annual_change", -1, "decrease")),
    ("年均提高0.5个百分点", "%", 70.0, ("annual_change", 0.5, "increase")),
])
def test_target_wordings(wording, unit, latest, expected):
    guess = read_target(wording, unit, latest)
    assert guess is not None
    assert (guess.kind, guess.value, guess.direction) == expected
    assert guess.guessed == ""


def test_a_bare_number_is_a_guess_from_the_latest_value():
    up = read_target("92", "%", 88.0)
    down = read_target("5", "%", 6.0)
    assert (up.kind, up.direction) == ("level_at_least", "increase") and up.guessed
    assert (down.kind, down.direction) == ("level_at_most", "decrease") and down.guessed
    assert read_target("稳步提高", "%", 50.0) is None


def test_ids_are_ascii_and_never_pinyin_guesses():
    taken: set[str] = set()
    assert suggested_id("学前教育毛入园率", 1, taken) == "indicator_1"
    assert suggested_id("GDP per capita（元）", 2, taken) == "gdp_per_capita"
    assert suggested_id("GDP per capita", 3, taken) == "gdp_per_capita_2"
    assert nature_code("约束性") == "binding" and nature_code("预期性") == "expected"
    assert nature_code("重点") == ""


def test_a_gb18030_csv_keyed_by_codes(tmp_path: Path):
    """Rows keyed by 指标代码 (not ASCII ids a plan may use): the draft reads them through
    ``series:``; an ASCII code is kept as the id."""
    csv = tmp_path / "指标.csv"
    csv.write_bytes(("指标代码,指标名称,单位,2020年,2021年,2022年,指标属性,2025年目标\n"
                     "A01,普惠性幼儿园覆盖率,%,84.7,87.8,89.6,预期性,达到90%以上\n"
                     "ratio_2,高中阶段毛入学率,%,91.2,91.4,91.6,约束性,≥92%\n").encode("gb18030"))
    folder, text = _draft(tmp_path, csv)
    plan = load_plan(folder)
    ids = {i.name_zh: (i.id, i.series_id) for i in plan.indicators}
    assert ids == {"普惠性幼儿园覆盖率": ("a01", "A01"), "高中阶段毛入学率": ("ratio_2", "ratio_2")}
    table = _evaluated(folder)
    assert table.loc["普惠性幼儿园覆盖率", "latest_value"] == 89.6
    assert table.loc["高中阶段毛入学率", "nature"] == "binding"


def test_a_workbook_without_targets_gives_a_draft_and_says_what_is_missing(tmp_path: Path,
                                                                             capsys):
    wb = Workbook()
    wb.active.append(["指标", "单位", *YEARS])
    wb.active.append(["学前教育毛入园率", "%", 88.0, 88.9, 89.6, 90.5])
    wb.save(tmp_path / "no_targets.xlsx")
    folder, text = _draft(tmp_path, tmp_path / "no_targets.xlsx")
    assert "no row of the workbook has a target" in capsys.readouterr().out
    assert "  # - id: indicator_1" in text and "# check: no target year found" in text
