"""A researcher's own plan files and spreadsheets, broken the ways real ones are.

Each case is a real file written into tmp_path. The contract: success with the right
numbers, or exit 2 with a message naming file, row, column and a fix; never a traceback,
never exit 1, never a silently wrong number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from planlib.cli import run
from planlib.errors import InputError
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan

PLAN = """plan:
  id: t
  title_zh: 测试
  baseline_year: 2020
  target_year: 2025
  as_of: 2023
data: ["*.csv", "*.xlsx"]
indicators:
  - id: rate
    name_zh: 比率
    bounds: [0, 100]
    direction: increase
    target: {kind: level_at_least, value: 60}
  - id: places
    name_zh: 托位
    unit: 个
    direction: increase
    measure: flow
    target: {kind: cumulative_increase, value: 20000}
"""
RATES = "indicator_id,year,value\nrate,2020,50\nrate,2021,52\nrate,2022,54\n"


@pytest.fixture
def plan_dir(plan_folder, tmp_path: Path):
    """``plan_dir(plan=PLAN, data=RATES)``: the folder p/ with plan.yaml and obs.csv."""
    def write(plan: str = PLAN, data: str | None = RATES) -> Path:
        return plan_folder(plan, {} if data is None else {"obs.csv": data},
                           folder=tmp_path / "p")
    return write


def _validate(folder: Path, *files: str) -> tuple[int, str]:
    said: list[str] = []
    code = run(["validate", "--plan", str(folder), *files], handler=said.append)
    return code, "\n".join(said)


def _plan_problems(folder: Path) -> str:
    with pytest.raises(InputError) as info:
        load_plan(folder)
    return str(info.value)


# --------------------------------------------------------------------------- plan.yaml


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    bounds: [0, 100]", "\tbounds: [0, 100]", "replace the tab on that line with spaces"),
        ("bounds: [0, 100]", 'bounds: "0-100"', "write bounds: [0, 100], with null"),
        ("bounds: [0, 100]", "bounds: [0]", "'indicators.0.bounds' must be a pair"),
        ("value: 60", "value: 九十", "write a plain number such as 90"),
        ("baseline_year: 2020", 'baseline_year: "2020年"', "plain four-digit year such as 2025"),
        ("value: 60", "value: .nan", "Input should be a finite number"),
        ("value: 60", "value: 1e400", "Input should be a finite number"),  # inf, not a bound
        ("value: 60", "value: true", "true is not a number"),  # not silently 1.0
        ("bounds: [0, 100]", "bounds: [.nan, 100]", "finite number"),
        ('data: ["*.csv", "*.xlsx"]', 'data: [""]', "an empty data glob matches nothing"),
    ],
)
def test_wrongly_typed_plan_values_get_a_specific_fix(
    plan_dir, old: str, new: str, expected: str
) -> None:
    assert old in PLAN
    code, said = _validate(plan_dir(PLAN.replace(old, new, 1)))
    assert code == 2 and expected in said, said
    assert "planlib init" not in said  # no such command


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "plan file is empty"), ("- a\n- b\n", "plan file is a YAML list, not a mapping")],
)
def test_empty_plan_and_plan_that_is_a_list(plan_dir, text: str, expected: str) -> None:
    code, said = _validate(plan_dir(text))
    assert code == 2 and expected in said and "docs/plan-format.md" in said


def test_key_given_twice_is_an_error_not_last_one_wins(plan_dir) -> None:
    """YAML loaders keep the last of two 'target:' keys without a word."""
    plan = PLAN.replace(
        "    target: {kind: level_at_least, value: 60}\n",
        "    target: {kind: level_at_least, value: 60}\n"
        "    target: {kind: level_at_least, value: 99}\n",
    )
    code, said = _validate(plan_dir(plan))
    assert code == 2
    assert "plan.yaml, row 14, column 'target': 'target' is given twice (first on line 13)" in said


def test_duplicate_indicator_id_names_the_second_ones_line(plan_dir) -> None:
    code, said = _validate(plan_dir(PLAN.replace("id: places", "id: rate")))
    assert code == 2 and "1 problem found" in said
    assert "row 14, column 'indicators.1.id'" in said
    assert "indicator id 'rate' appears twice (first on line 9)" in said


def test_unreadable_plan_file_is_exit_2(plan_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = plan_dir()

    def denied(self: Path, *args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", denied)
    code, said = _validate(folder)
    assert code == 2 and "cannot read the plan file (Permission denied)" in said


# --------------------------------------------------------------------------- data globs


def test_single_glob_string_and_absolute_glob(plan_dir, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "more.csv").write_text("indicator_id,year,value\nrate,2019,49\n")
    plan = PLAN.replace('data: ["*.csv", "*.xlsx"]', f'data: ["*.csv", "{elsewhere}/*.csv"]')
    loaded = read_observations(load_plan(plan_dir(plan)))
    assert loaded.frame["year"].tolist() == [2019, 2020, 2021, 2022]
    one = PLAN.replace('data: ["*.csv", "*.xlsx"]', 'data: "*.csv"')
    assert load_plan(plan_dir(one)).data == ["*.csv"]


def test_symlink_to_a_data_file_is_read_once(plan_dir) -> None:
    folder = plan_dir()
    (folder / "link.csv").symlink_to(folder / "obs.csv")
    loaded = read_observations(load_plan(folder))
    assert len(loaded.files) == 1 and len(loaded.frame) == 3


def test_same_file_given_twice_on_the_command_line(plan_dir) -> None:
    folder = plan_dir()
    code, said = _validate(folder, str(folder / "obs.csv"), str(folder / "obs.csv"))
    assert code == 0, said


def test_broken_symlink_is_reported_not_skipped(plan_dir, tmp_path: Path) -> None:
    folder = plan_dir()
    (folder / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    code, said = _validate(folder)
    assert code == 2 and "gone.csv: broken symbolic link" in said


def test_unreadable_data_folder_is_reported_not_skipped(
    plan_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without read permission a glob sees nothing in the folder, so its update would be
    silently left out."""
    plan = PLAN.replace('data: ["*.csv", "*.xlsx"]', 'data: ["*.csv", "updates/*.xlsx"]')
    folder = plan_dir(plan)
    (folder / "updates").mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: not str(p).endswith("updates") and real_access(p, mode)
    )
    code, said = _validate(folder)
    assert code == 2 and "updates: folder cannot be read" in said and "chmod u+rx" in said


# --------------------------------------------------------------------------- data values


def test_flow_with_a_gap_year_is_not_summed_as_zero(plan_dir) -> None:
    data = "indicator_id,year,value\nplaces,2019,2500\nplaces,2020,3100\nplaces,2022,4200\n"
    code, said = _validate(plan_dir(data=data))
    assert code == 2
    assert "obs.csv, row 4: places: no value for 2021, but 2022 has one" in said
    assert "add the 2021 value (write 0 if nothing was added that year)" in said


def test_flow_gap_filled_by_a_later_file_is_fine(plan_dir) -> None:
    folder = plan_dir(data="indicator_id,year,value\nplaces,2021,3000\n"
                       "places,2022,4200\nplaces,2023,100\n")
    (folder / "obs.csv").rename(folder / "a.csv")
    (folder / "updates").mkdir()
    (folder / "updates" / "b.csv").write_text("indicator_id,year,value\nplaces,2022,4300\n")
    plan = PLAN.replace('data: ["*.csv", "*.xlsx"]', 'data: ["*.csv", "updates/*.csv"]')
    (folder / "plan.yaml").write_text(plan, encoding="utf-8")
    frame = read_observations(load_plan(folder)).frame
    assert frame["value"].tolist() == [3000, 4300, 100]


def test_values_too_large_to_compute_with(plan_dir) -> None:
    data = ("indicator_id,year,value\nplaces,2021,1e300\nplaces,2022,1e400\n"
            "places,2023,12345678901234567890\n")
    code, said = _validate(plan_dir(data=data))
    assert code == 2
    assert "row 2, column 'value': places 2021: value too large to compute with" in said
    assert "row 3, column 'value': value is not a number (value '1e400')" in said
    assert "row 4" not in said  # 1.2e19 is large but computable


def _two_sheet_book(path: Path, old_values: tuple[float, float]) -> None:
    wb = Workbook()
    new = wb.active
    new.title = "数据"
    new.append(["指标代码", "年份", "数值"])
    for year, value in ((2020, 50), (2021, 52)):
        new.append(["rate", year, value])
    old = wb.create_sheet("旧数据")
    old.append(["指标代码", "年份", "数值"])
    for year, value in zip((2020, 2021), old_values, strict=True):
        old.append(["rate", year, value])
    wb.save(path)


def test_sheets_of_one_workbook_that_disagree(plan_dir) -> None:
    """Sheet order is not a choice the user made: the old sheet must not silently win."""
    folder = plan_dir(data=None)
    _two_sheet_book(folder / "book.xlsx", (40, 52))
    code, said = _validate(folder)
    assert code == 2 and "2 problems found" in said
    assert ("book.xlsx, sheet '数据', row 2, column '数值': rate 2020 has different values on "
            "sheets '数据', '旧数据'") in said
    assert "sheet '旧数据', row 2" in said and "2021" not in said


def test_sheets_of_one_workbook_that_agree(plan_dir) -> None:
    folder = plan_dir(data=None)
    _two_sheet_book(folder / "book.xlsx", (50, 52))
    assert read_observations(load_plan(folder)).frame["value"].tolist() == [50, 52]
