"""Areas read as the office keeps them: one sheet per area with a total sheet, or areas as
rows; the total apart from its parts; the parts' counts and flows checked against it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from area_books import AREAS, area_book, rows_book, totals, write_plan
from openpyxl import Workbook

from planlib.errors import InputError
from planlib.inputs.areas import is_area_like, region_role
from planlib.inputs.input_warnings import with_codes
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan


def _value(frame: pd.DataFrame, ind: str, region: str, year: int) -> float:
    hit = frame[(frame["indicator_id"] == ind) & (frame["region"] == region)
                & (frame["year"] == year)]
    assert len(hit) == 1, hit
    return float(hit["value"].iloc[0])


def test_sheet_per_area_is_read_one_area_per_sheet_with_the_total_apart(tmp_path: Path) -> None:
    write_plan(tmp_path)
    area_book(tmp_path / "areas.xlsx")
    loaded = read_observations(load_plan(tmp_path))
    frame = loaded.frame
    assert sorted(set(frame["region"])) == sorted(["", *AREAS])
    assert _value(frame, "children", "东城街道", 2020) == 2268
    assert _value(frame, "children", "", 2022) == 3150 + 2350 + 1900  # the 全区 sheet
    assert _value(frame, "rate", "", 2021) == 80.0
    roles = region_role(frame["region"])
    assert set(frame.loc[roles == "total", "region"]) == {""}
    assert frame.loc[roles == "area", "region"].nunique() == 3  # 全区 is not an area
    said = with_codes(loaded.warnings, ["areas_from_sheets_total"])
    assert len(said) == 1 and said[0].params["n"] == 3
    assert said[0].params["total"] == "全区" and "全区" not in said[0].params["areas"]
    zh = loaded.warning_lines("zh")
    assert sum("每个工作表读作一个地区" in line for line in zh) == 1
    assert with_codes(loaded.warnings, ["parts_do_not_add_up"]) == []


def test_plan_area_name_is_the_total(tmp_path: Path) -> None:
    write_plan(tmp_path, area="示例区")
    area_book(tmp_path / "areas.xlsx", total="示例区")
    frame = read_observations(load_plan(tmp_path)).frame
    assert "示例区" not in set(frame["region"])
    assert _value(frame, "places", "", 2020) == 450


def test_without_area_like_names_a_stale_copy_is_still_refused(tmp_path: Path) -> None:
    write_plan(tmp_path)
    changed = {"数据": AREAS["城关街道"], "数据 (2)": AREAS["东城街道"]}
    area_book(tmp_path / "copy.xlsx", total=None, areas=changed)
    with pytest.raises(InputError) as err:
        read_observations(load_plan(tmp_path))
    text = str(err.value)
    assert "has different values on sheets '数据', '数据 (2)'" in text
    assert "region_from: sheet" in text


def test_region_from_sheet_forces_and_column_turns_it_off(tmp_path: Path) -> None:
    odd = {"东片": AREAS["城关街道"], "西片": AREAS["东城街道"]}  # not area-like names
    write_plan(tmp_path, extra="region_from: sheet\n")
    area_book(tmp_path / "areas.xlsx", total=None, areas=odd)
    frame = read_observations(load_plan(tmp_path)).frame
    assert set(frame["region"]) == {"东片", "西片"}
    assert _value(frame, "children", "西片", 2020) == 2268
    write_plan(tmp_path, extra="region_from: column\n")
    area_book(tmp_path / "areas.xlsx")
    with pytest.raises(InputError, match="has different values on sheets"):
        read_observations(load_plan(tmp_path))


@pytest.mark.parametrize(("name", "area"), [
    ("城关街道", True), ("西城镇", True), ("高新区", True), ("全区", True), ("合计", True),
    ("2021年", False), ("2021", False), ("说明", False), ("填表说明", False), ("Sheet1", False),
    ("城关街道 (2)", False), ("数据", False), ("城关街道副本", False),
])
def test_area_like_sheet_names(name: str, area: bool) -> None:
    assert is_area_like(name) is area


def test_year_sheets_are_not_areas(tmp_path: Path) -> None:
    write_plan(tmp_path)
    wb = Workbook()
    wb.remove(wb.active)
    for year in (2020, 2021):
        ws = wb.create_sheet(f"{year}年")
        ws.append(["指标", "年份", "数值"])
        ws.append(["普惠率", year, 80 + year - 2020])
    wb.save(tmp_path / "years.xlsx")
    loaded = read_observations(load_plan(tmp_path))
    assert set(loaded.frame["region"]) == {""}
    assert with_codes(loaded.warnings, ["areas_from_sheets", "areas_from_sheets_total"]) == []


def test_areas_as_rows_with_a_total_row(tmp_path: Path) -> None:
    write_plan(tmp_path)
    rows_book(tmp_path / "rows.xlsx", total_row="合计")
    frame = read_observations(load_plan(tmp_path)).frame
    assert sorted(set(frame["region"])) == sorted(["", *AREAS])
    assert _value(frame, "rate", "西城镇", 2021) == 73.1
    assert _value(frame, "places", "", 2022) == totals()[1][2]
    assert _value(frame, "children", "城关街道", 2020) == 3000


def test_areas_as_rows_named_by_the_title_when_the_sheet_is_sheet1(tmp_path: Path) -> None:
    write_plan(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["2022年各街道（镇）新增托位数（个）"])
    ws.append(["地区", "2020年", "2021年"])
    ws.append(["城关街道", 200, 260])
    ws.append(["东城街道", 150, 170])
    ws.append(["总计", 350, 430])
    wb.save(tmp_path / "t.xlsx")
    frame = read_observations(load_plan(tmp_path)).frame
    assert set(frame["indicator_id"]) == {"places"}
    assert _value(frame, "places", "", 2021) == 430
    assert _value(frame, "places", "东城街道", 2020) == 150


def test_parts_not_adding_up_are_a_located_warning_with_the_difference(
        tmp_path: Path) -> None:
    write_plan(tmp_path)
    rate, places, children = totals()
    places = [places[0], places[1] + 40, places[2]]  # 2021: 590 against 550 summed
    children = [children[0] + 20, *children[1:]]  # 2020: 20 in 7088, within 0.5 %
    area_book(tmp_path / "areas.xlsx", total_series=(rate, places, children))
    loaded = read_observations(load_plan(tmp_path))
    off = with_codes(loaded.warnings, ["parts_do_not_add_up"])
    assert [(w.params["series"], w.params["year"], w.params["diff"]) for w in off] == [
        ("places", 2021, -40.0)]
    assert off[0].file is not None and off[0].file.endswith("sheet '全区'")
    assert off[0].row == 4 and off[0].column == "2021年"
    en = loaded.warning_lines("en")
    assert any("the sum of the 3 areas, 550, differs from the total 590 by -40" in line
               for line in en)


def test_rates_are_never_summed(tmp_path: Path) -> None:
    write_plan(tmp_path)
    area_book(tmp_path / "areas.xlsx")  # the rate's total is no sum of area rates
    assert sum(AREAS[a][0][0] for a in AREAS) != totals()[0][0]
    loaded = read_observations(load_plan(tmp_path))
    assert with_codes(loaded.warnings, ["parts_do_not_add_up"]) == []


def test_identical_warnings_of_area_sheets_are_said_once_with_count_and_sheets(
        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    write_plan(tmp_path)
    path = area_book(tmp_path / "areas.xlsx")
    wb = load_workbook(path)
    for name in AREAS:
        wb[name].append(["旧口径", "%", 1, 2, 3])  # row 6, hidden on every area sheet
        wb[name].row_dimensions[6].hidden = True
    wb.save(path)
    loaded = read_observations(load_plan(tmp_path))
    hidden = [line for line in loaded.warning_lines("zh") if "隐藏行6未读取" in line]
    assert len(hidden) == 1
    assert "共3处" in hidden[0]
    assert all(f"sheet '{name}'" in hidden[0] for name in AREAS)
    en = [line for line in loaded.warning_lines("en") if "hidden row(s) 6" in line]
    assert len(en) == 1 and "(3 places:" in en[0]
