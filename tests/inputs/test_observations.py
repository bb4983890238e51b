"""Loading a plan's observation files: shipped data, dirty real-world files, every
validation message, and later files overriding earlier ones."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from planlib.errors import InputError
from planlib.inputs.observations import TIDY_COLUMNS, load_observations, read_observations
from planlib.inputs.plan import load_plan

PLAN_YAML = """plan: {id: t, title_zh: 测试, baseline_year: 2020, target_year: 2025, as_of: 2023}
data: ["a.csv", "a1*.csv", "a2*.csv", "b/*.xlsx"]
indicators:
  - {id: rate, name_zh: 比率, direction: increase, bounds: [0, 100],
     target: {kind: level_at_least, value: 60}}
  - {id: places, name_zh: 托位, unit: 个, direction: increase, measure: flow,
     target: {kind: cumulative_increase, value: 20000}}
"""


@pytest.fixture
def plan_dir(plan_folder) -> Path:
    return plan_folder(PLAN_YAML)


def test_national_data_loads_tidy():
    frame = read_observations(load_plan()).frame
    assert list(frame.columns) == TIDY_COLUMNS
    by_file = frame.groupby("file").size().to_dict()
    folder = "data/raw/cn_education_14th/"
    # 127 rows of observations.csv, 28 of them kindergarten values that context/ repeats
    # (the later file wins); 15 from updates/; births and kindergartens from context/
    assert by_file == {folder + "observations.csv": 127 - 28, folder + "updates/"
                       "national_2023_2025.csv": 15, folder + "context/births.csv": 57,
                       folder + "context/kindergartens.csv": 37}
    assert frame["indicator_id"].nunique() == 22
    assert frame.duplicated(["indicator_id", "region", "year"]).sum() == 0
    lower = frame[frame.flag == "lower_bound"]
    assert set(lower.indicator_id) == {"new_labor_force_avg_schooling"}


def test_demo_city_gb18030_wide_csv_plus_xlsx_update():
    loaded = read_observations(load_plan("demo_city"))
    frame = loaded.frame.set_index(["indicator_id", "year"])
    assert frame.loc[("fitness_good_excellent_rate", 2018), "value"] == 45.2  # "45.2%"
    assert frame.loc[("childcare_places_added", 2019), "value"] == 2500  # "2,500"
    assert ("childcare_places_added", 2018) not in frame.index  # "—" is missing
    row = frame.loc[("childcare_places_added", 2022)]
    assert row.value == 4200 and row.file.endswith("2022.xlsx, sheet '2022年'")
    assert row.row == 6  # title row, blank row, header, then the 3rd indicator
    assert frame.loc[("myopia_rate_overall", 2021), "row"] == 3
    assert loaded.warnings == []


def test_later_file_overrides_with_a_warning_naming_each_value(plan_dir):
    (plan_dir / "a1.csv").write_text(
        "indicator_id,year,value\nrate,2020,50\nrate,2021,52\nrate,2022,54\n", encoding="utf-8")
    (plan_dir / "a2.csv").write_text(
        "indicator_id,year,value\nrate,2022,54.5\n", encoding="utf-8")
    loaded = read_observations(load_plan(plan_dir))
    assert loaded.frame.set_index("year").loc[2022, "value"] == 54.5
    assert len(loaded.frame) == 3
    [replaced] = [w for w in loaded.warnings if w.code == "value_replaced"]
    assert (replaced.file.endswith("a1.csv"), replaced.row, replaced.column) == (
        True, 4, "value")
    assert replaced.params["old"] == 54 and replaced.params["new"] == 54.5
    assert replaced.params["new_file"].endswith("a2.csv") and replaced.params["new_row"] == 2
    en, zh = replaced.text("en"), replaced.text("zh")
    assert en.startswith("rate 2022: 54 replaced by 54.5 from a later file (")
    assert "a2.csv row 2" in en
    assert zh.startswith("rate 2022：54被后读文件的54.5替换（") and "a2.csv，第2行" in zh
    with pytest.warns(UserWarning, match="replaced by 54.5 from a later file"):
        load_observations(load_plan(plan_dir))
    with pytest.warns(UserWarning, match="被后读文件的54.5替换"):
        load_observations(load_plan(plan_dir), lang="zh")


def test_xlsx_with_title_row_and_merged_header_through_the_plan(plan_dir):
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws["A1"] = "表1 主要指标"
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["指标代码", "年份", None, None])
    ws.append([None, "2020年", "2021年", "2022年"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:D3")
    ws.append(["rate", "50.5%", "５２．０", "54*"])
    ws.append(["places", "3,100", "3,800", "—"])
    (plan_dir / "b").mkdir()
    wb.save(plan_dir / "b" / "update.xlsx")
    frame = read_observations(load_plan(plan_dir)).frame
    got = {(r.indicator_id, r.year): (r.value, r.row) for r in frame.itertuples()}
    assert got == {("rate", 2020): (50.5, 5), ("rate", 2021): (52.0, 5), ("rate", 2022): (54.0, 5),
                   ("places", 2020): (3100.0, 6), ("places", 2021): (3800.0, 6)}


FIVE_MISTAKES = (
    "indicator_id,year,value,flag\n"
    "rate,2020,50,\n"
    "rtae,2021,52,\n"          # row 3: typo in the id
    "rate,20x1,53,\n"          # row 4: not a year
    "rate,2022,abc,\n"         # row 5: not a number
    "places,2021,-300,\n"      # row 6: negative count
    "rate,2019,540,guess\n"    # row 7: above bounds and an unknown flag
)


def test_five_mistakes_are_all_reported_with_file_row_column(plan_dir):
    (plan_dir / "a.csv").write_text(FIVE_MISTAKES, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(load_plan(plan_dir))
    found = {(p.row, p.column): p for p in err.value.problems}
    assert set(found) == {(3, "indicator_id"), (4, "year"), (5, "value"), (6, "value"),
                          (7, "value"), (7, "flag")}
    assert all(p.file.endswith("a.csv") for p in found.values())
    assert "did you mean 'rate'" in found[(3, "indicator_id")].message
    assert found[(4, "year")].value == "20x1"
    assert found[(5, "value")].message == "value is not a number"
    assert "cannot be negative" in found[(6, "value")].message
    assert "upper bound 100" in found[(7, "value")].message
    assert found[(7, "flag")].value == "guess"
    assert all(p.fix for p in found.values())


def test_duplicate_rows_in_one_file_name_both_rows(plan_dir):
    (plan_dir / "a.csv").write_text(
        "indicator_id,year,value\nrate,2021,52\nrate,2022,53\nrate,2021,52.5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(load_plan(plan_dir))
    assert [p.row for p in err.value.problems] == [2, 4]
    assert all("rows 2, 4" in p.message for p in err.value.problems)


def test_value_without_year_and_empty_id(plan_dir):
    (plan_dir / "a.csv").write_text(
        "indicator_id,year,value\nrate,,52\n,2022,53\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(load_plan(plan_dir))
    messages = {p.row: p.message for p in err.value.problems}
    assert "without a year" in messages[2] and "id is empty" in messages[3]


def test_unrelated_series_are_kept_with_a_warning(plan_dir):
    (plan_dir / "a.csv").write_text(
        "indicator_id,year,value\nrate,2021,52\nkindergartens_count,2021,29.5\n", encoding="utf-8")
    loaded = read_observations(load_plan(plan_dir))
    assert "kindergartens_count" in set(loaded.frame.indicator_id)
    codes = {w.code: w.params for w in loaded.warnings}
    assert codes["series_not_in_plan"] == {"n": 1, "series": ["kindergartens_count"]}
    assert codes["no_observations"] == {"series": ["places"]}
    assert "no observations for plan indicator(s): places" in loaded.warning_lines("en")
    assert "以下规划指标没有观测数据：places" in loaded.warning_lines("zh")


def test_problems_in_several_files_are_reported_together(plan_dir):
    (plan_dir / "a1.csv").write_text("", encoding="utf-8")
    (plan_dir / "a2.csv").write_text("indicator_id,year,value\nrate,2021,x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(load_plan(plan_dir))
    assert sorted(Path(p.file).name for p in err.value.problems) == ["a1.csv", "a2.csv"]


def test_no_matching_data_file(plan_dir):
    with pytest.raises(InputError) as err:
        read_observations(load_plan(plan_dir))
    assert "no data file matches" in err.value.problems[0].message


def test_explicit_files_replace_the_plan_globs(plan_dir, tmp_path_factory):
    other = tmp_path_factory.mktemp("other") / "mine.csv"
    shutil.copy(Path(__file__), other.with_suffix(".txt"))
    other.write_text("indicator_id,year,value\nrate,2021,52\n", encoding="utf-8")
    frame = read_observations(load_plan(plan_dir), [other]).frame
    assert frame.value.tolist() == [52.0]
    assert pd.api.types.is_integer_dtype(frame.year)


@pytest.mark.parametrize(("typed", "meant"), [
    ("rtae", "rate"), ("preschol_ger", "preschool_ger"), ("preschool-ger", "preschool_ger"),
    ("myopia_rate_junior", None), ("kindergartens_count", None), ("rates_x", None),
])
def test_typo_detection(typed, meant):
    from planlib.inputs.validation import likely_typo

    assert likely_typo(typed, ["rate", "preschool_ger", "myopia_rate_overall"]) == meant
