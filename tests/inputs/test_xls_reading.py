"""Old Excel workbooks (.xls) read with the guarantees of .xlsx: the same workbook saved
both ways (tests/data/xls, made by make_xls_fixtures.py with LibreOffice) gives the same
observations, warnings and located problems."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planlib.errors import InputError
from planlib.inputs.reading import read_file

XLS = Path(__file__).resolve().parents[1] / "data" / "xls"


def _read(path: Path):
    """The frame and the warnings (code, params, place), or the problems as printed."""
    try:
        result = read_file(path, display_name="book")
    except InputError as exc:
        return None, [str(problem) for problem in exc.problems]
    return result.frame, [(n.code, n.params, n.file, n.row, n.column) for n in result.notes]


@pytest.mark.parametrize("name", ["book", "merged_value", "typed_escape"])
def test_xls_reads_as_its_xlsx(name: str) -> None:
    """Each .xls fixture reads exactly as the .xlsx it was converted from."""
    xlsx_frame, xlsx_said = _read(XLS / f"{name}.xlsx")
    xls_frame, xls_said = _read(XLS / f"{name}.xls")
    assert xls_said == xlsx_said
    if xlsx_frame is None:
        assert xls_frame is None
    else:
        pd.testing.assert_frame_equal(xls_frame, xlsx_frame)


def test_xls_formats_hidden_parts_and_notes() -> None:
    """Percent cells read as percent, thousands as the number, the hidden row, column
    and sheet left out and said, the note row and the sheet of notes said."""
    frame, said = _read(XLS / "book.xls")
    values = dict(zip(zip(frame["indicator_id"], frame["_column"], strict=True),
                      frame["value_raw"],
                      strict=True))
    assert values[("preschool_gross_enrolment", "2020年")] == pytest.approx(85.2)
    assert values[("preschool_gross_enrolment", "2022年（初步）")] == pytest.approx(89.7)
    assert values[("new_schools", "2020年")] == 12345
    assert values[("new_schools", "2021年")] == 23456.5
    assert "old_copy" not in set(frame["indicator_id"])  # the hidden row 5
    assert set(frame["_row"]) == {4, 6}
    assert set(frame["_sheet"]) == {"主要指标"}
    codes = {(code, row): params for code, params, _, row, _ in said}
    assert codes[("rows_hidden", None)] == {"rows": "5"}
    assert codes[("columns_hidden", None)] == {"columns": "F"}
    assert codes[("sheet_hidden", None)] == {"state": "hidden"}
    assert codes[("note_row", 7)] == {"text": "注：2022年为初步数。"}
    assert ("sheet_skipped", 1) in codes


def test_xls_merged_value_refused_at_its_cell() -> None:
    """A value merged over two years is refused at its sheet, row and column."""
    frame, problems = _read(XLS / "merged_value.xls")
    assert frame is None
    assert problems == [
        "book, sheet 'Data', row 2, column '2022': merged cells B2:C2 spread one value "
        "over several values (value '40'). Fix: unmerge the cells and write each year's "
        "value in its own cell (leave a cell empty if there is no value)"]


def test_damaged_xls_is_named_with_a_fix(tmp_path: Path) -> None:
    """An .xls file that is not a workbook: its name, what is wrong and what to do."""
    path = tmp_path / "old.xls"
    path.write_bytes((XLS / "book.xls").read_bytes()[:1500])
    frame, problems = _read(path)
    assert frame is None and len(problems) == 1
    assert problems[0].startswith("book: cannot open as an old Excel workbook")
    assert problems[0].endswith("Fix: open it in Excel and save as .xlsx or CSV UTF-8")


def test_text_typed_like_an_excel_escape_is_kept_in_both_formats() -> None:
    """The text _x000C_ typed in a cell: .xlsx stores it as _x005F_x000C_ and .xls (BIFF,
    which has no such escapes) as it is; both read as the typed text, not a form feed."""
    for suffix in ("xlsx", "xls"):
        frame, said = _read(XLS / f"typed_escape.{suffix}")
        assert frame is not None, said
        assert frame["region"].tolist() == ["东城_x000C_", "东城_x000C_"]
