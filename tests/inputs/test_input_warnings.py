"""Input warnings are codes with parameters and a place, said in zh or en from one table;
identical warnings from several sheets are said once, with the count and the places."""

from __future__ import annotations

import contextlib
import io
import re
import string
from pathlib import Path

import pytest
from openpyxl import Workbook

from planlib.cli import run
from planlib.inputs.input_warnings import (
    LISTED,
    WARNING_TEXTS,
    InputWarning,
    warning_lines,
)
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan

PLAN_YAML = """plan: {id: t, title_zh: 测试, baseline_year: 2020, target_year: 2025, as_of: 2023}
data: ["*.xlsx"]
indicators:
  - {id: rate, name_zh: 比率, direction: increase, bounds: [0, 100],
     target: {kind: level_at_least, value: 60}}
  - {id: places, name_zh: 托位, unit: 个, direction: increase, measure: flow,
     target: {kind: cumulative_increase, value: 20000}}
"""


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(WARNING_TEXTS))
def test_every_warning_has_both_languages_with_the_same_parameters(code: str) -> None:
    texts = WARNING_TEXTS[code]
    assert set(texts) == {"zh", "en"}
    assert _fields(texts["zh"]) == _fields(texts["en"])
    assert re.search(r"[\u4e00-\u9fff]", texts["zh"]) and not re.search(
        r"[\u4e00-\u9fff]", texts["en"])


def test_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError):
        InputWarning("no_such_code")


def test_identical_warnings_are_grouped_with_count_and_places() -> None:
    same = [InputWarning("rows_hidden", {"rows": "3-4"}, f"a.xlsx, sheet '{s}'")
            for s in ("东城", "西城", "南城")]
    other = InputWarning("rows_hidden", {"rows": "5"}, "a.xlsx, sheet '北城'")
    en = warning_lines([*same, other], "en")
    assert en == [
        "hidden row(s) 3-4 not read; unhide them in Excel if they hold data to use "
        "(3 places: a.xlsx, sheet '东城'; a.xlsx, sheet '西城'; a.xlsx, sheet '南城')",
        "a.xlsx, sheet '北城': hidden row(s) 5 not read; unhide them in Excel if they hold "
        "data to use"]
    zh = warning_lines([*same, other], "zh")
    assert zh[0].startswith("隐藏行3-4未读取；") and zh[0].endswith(
        "（共3处：a.xlsx, sheet '东城'；a.xlsx, sheet '西城'；a.xlsx, sheet '南城'）")
    assert zh[1].startswith("a.xlsx, sheet '北城'：隐藏行5未读取")


def test_many_places_are_cut_with_a_count() -> None:
    many = [InputWarning("note_row", {"text": "注：初步数"}, "d.csv", r) for r in range(2, 32)]
    [line] = warning_lines(many, "en")
    assert line.startswith("kept as a note, not data: 注：初步数 (30 places: d.csv, row 2; ")
    assert line.count("d.csv, row") == LISTED and line.endswith(", and 20 more)")
    [zh] = warning_lines(many, "zh")
    assert zh.endswith("等30项）") and zh.count("d.csv，第") == LISTED


def _sheet(wb: Workbook, title: str, ident: str, values: tuple[float, float]) -> None:
    ws = wb.create_sheet(title)
    ws.append(["indicator_id", "2021", "2022年（初步）"])
    ws.append([ident, *values])
    ws.append(["注：2022年为初步数"])


def test_warnings_of_several_sheets_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "甲", "rate", (50.0, 52.0))
    _sheet(wb, "乙", "places", (3000.0, 3100.0))
    wb.save(tmp_path / "book.xlsx")
    loaded = read_observations(load_plan(tmp_path))
    assert [(w.code, w.row, w.column) for w in loaded.warnings[:4]] == [
        ("year_column_read", 1, "2022年（初步）"), ("note_row", 3, None),
        ("year_column_read", 1, "2022年（初步）"), ("note_row", 3, None)]
    lines = loaded.warning_lines("en")
    assert len(lines) == 2
    assert lines[0].startswith("column header read as the year 2022 (provisional) (2 places: ")
    assert "book.xlsx, sheet '甲', row 1, column '2022年（初步）'" in lines[0]
    assert "book.xlsx, sheet '乙', row 1, column '2022年（初步）'" in lines[0]
    assert lines[1].startswith("kept as a note, not data: 注：2022年为初步数 (2 places: ")


def _validate(folder: Path, *lang: str) -> str:
    printed = io.StringIO()
    errors: list[str] = []
    with contextlib.redirect_stdout(printed):
        code = run(["validate", "--plan", str(folder), *lang], handler=errors.append)
    assert code == 0, printed.getvalue() + "\n".join(errors)
    return printed.getvalue()


def test_validate_says_the_warnings_in_chinese_by_default(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["indicator_id", "2021", "2022年（初步）"])
    ws.append(["rate", 50, 52])
    ws.append(["old", 1, 2])
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "book.xlsx")
    zh = _validate(tmp_path)
    assert "提示：" in zh and "book.xlsx, sheet '数据'：隐藏行3未读取" in zh
    assert "第1行，“2022年（初步）”列：列标题读作2022年（初步数）" in zh
    assert "以下规划指标没有观测数据：places" in zh
    assert "warning:" not in zh and "not read" not in zh
    en = _validate(tmp_path, "--lang", "en")
    assert "warning: " in en and "book.xlsx, sheet '数据': hidden row(s) 3 not read" in en
