"""Targets per area: plan.yaml's targets_by_region, a table of area targets, a 2025年目标
column on area sheets; merged onto each indicator, conflicts refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from area_books import area_book, write_plan
from openpyxl import Workbook

from planlib.errors import InputError
from planlib.inputs.input_warnings import with_codes
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan

YAML_TARGETS = """plan: {id: t, title_zh: 测试, baseline_year: 2020, target_year: 2025, as_of: 2023}
data: ["*.xlsx", "*.csv"]
indicators:
  - {id: places, name_zh: 新增托位数, unit: 个, direction: increase, measure: flow,
     target: {kind: cumulative_increase, value: 3000},
     targets_by_region: {城关街道: 1200, 东城街道: 900}}
"""


def test_targets_by_region_in_plan_yaml(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(YAML_TARGETS, encoding="utf-8")
    plan = load_plan(tmp_path)
    assert plan.indicator("places").targets_by_region == {"城关街道": 1200, "东城街道": 900}


def test_targets_by_region_bad_value_is_located(tmp_path: Path) -> None:
    text = YAML_TARGETS.replace("东城街道: 900", "东城街道: many")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_plan(tmp_path)
    text = str(err.value)
    assert "1 problem found" in text and "plan.yaml, row 6" in text
    assert "targets_by_region" in text and "(value 'many')" in text


def test_target_column_on_area_sheets_is_read_per_area(tmp_path: Path) -> None:
    write_plan(tmp_path)
    area_book(tmp_path / "areas.xlsx", area_targets=True)
    plan = load_plan(tmp_path)
    loaded = read_observations(plan)
    assert loaded.targets_by_region["places"] == {"城关街道": 1000.0, "东城街道": 1100.0,
                                                  "西城镇": 1200.0}
    assert loaded.targets_by_region["rate"] == {"城关街道": 85.0, "东城街道": 85.0,
                                                "西城镇": 85.0}
    assert loaded.targets_by_region["children"] == {}  # blank target cells: no target
    row = loaded.targets[(loaded.targets["indicator_id"] == "places")
                         & (loaded.targets["region"] == "东城街道")].iloc[0]
    assert row["file"].endswith("sheet '东城街道'") and row["row"] == 4
    assert row["column"] == "2025年目标"
    with_targets = loaded.plan_with_targets(plan)
    assert with_targets.indicator("places").targets_by_region["西城镇"] == 1200.0
    assert plan.indicator("places").targets_by_region == {}  # the plan itself unchanged
    said = with_codes(loaded.warnings, ["column_target"])
    lines = [x for x in loaded.warning_lines("en") if "read as each row's" in x]
    assert len(said) == 3 and len(lines) == 1 and "3 places" in lines[0]


def test_table_of_area_targets_csv(tmp_path: Path) -> None:
    write_plan(tmp_path)
    area_book(tmp_path / "areas.xlsx")
    (tmp_path / "targets.csv").write_text(
        "地区,指标,目标\n城关街道,新增托位数,1300\n西城镇,普惠率,88\n全区,新增托位数,3000\n"
        "东城街道,普惠率,≥85%\n", encoding="utf-8")
    loaded = read_observations(load_plan(tmp_path))
    assert loaded.targets_by_region["places"] == {"城关街道": 1300.0}
    assert loaded.targets_by_region["rate"] == {"西城镇": 88.0}
    bad = with_codes(loaded.warnings, ["target_not_read"])
    assert [(w.row, w.value) for w in bad] == [(5, "≥85%")]
    assert with_codes(loaded.warnings, ["total_target_differs"]) == []  # 3000 = plan's


def test_table_of_area_targets_xlsx_total_differing_is_said(tmp_path: Path) -> None:
    write_plan(tmp_path)
    area_book(tmp_path / "areas.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "分区目标"
    ws.append(["各街道（镇）2025年目标"])
    ws.append(["地区", "指标", "目标值"])
    ws.append(["东城街道", "在园幼儿数", 2500])
    ws.append(["合计", "在园幼儿数", 9500])
    wb.save(tmp_path / "targets.xlsx")
    loaded = read_observations(load_plan(tmp_path))
    assert loaded.targets_by_region["children"] == {"东城街道": 2500.0}
    differs = with_codes(loaded.warnings, ["total_target_differs"])
    assert [(w.params["value"], w.params["plan"], w.row) for w in differs] == [
        (9500.0, 9000.0, 4)]


def test_two_targets_for_one_area_are_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(YAML_TARGETS, encoding="utf-8")
    area_book(tmp_path / "areas.xlsx")
    (tmp_path / "targets.csv").write_text("地区,指标,目标\n城关街道,新增托位数,1250\n"
                                          "东城街道,新增托位数,900\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(load_plan(tmp_path))
    text = str(err.value)
    assert "1 problem" in text and "targets.csv, row 2" in text
    assert "places 城关街道: target 1250 here but 1200 in plan.yaml" in text


def test_target_column_for_another_year_is_refused(tmp_path: Path) -> None:
    write_plan(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.title = "城关街道"
    ws.append(["指标", "2020年", "2021年", "2024年目标"])
    ws.append(["普惠率", 80, 82, 85])
    wb.copy_worksheet(ws).title = "东城街道"
    wb.save(tmp_path / "a.xlsx")
    with pytest.raises(InputError, match="a target for 2024, but the plan's target year is 2025"):
        read_observations(load_plan(tmp_path))
