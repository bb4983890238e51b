"""Build the binary files of the reading corpus (tests/data/bad/reading/).

Workbooks and byte-damaged CSV files are not committed: each case that needs one has a
builder here that writes it into the case's folder (a copy under a temporary folder in
the tests). Run ``python tests/data/make_bad_corpus_reading.py OUT`` to write every built
case into OUT (one folder per case) to look at them in Excel.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

TITLE = "示例市“十四五”教育事业发展主要指标完成情况"
HEADER = ["序号", "指标", "单位", "2020年", "2021年", "2022年（初步）", "备注"]
ROWS = [
    [1, "学前教育毛入园率", "%", 88.2, 89.6, "90.5①", None],
    [2, "学生体质健康优良率", "%", 48.1, 50.3, "53.9①", None],
    [3, "新增托位数", "万个", 0.25, 0.31, 0.42, "含普惠托位"],
    [4, "新建公办普通高中", "所", 0, 1, 2, None],
]


def _table(ws: Worksheet, rows: list[list[object]] = ROWS, note: bool = True) -> None:
    """A sheet as offices send it: title, unit line, header, rows, 注 and 数据来源 rows."""
    ws.append([TITLE])
    ws.merge_cells("A1:G1")
    ws.append(["填报单位：示例市教育局"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    if note:
        end = ws.max_row + 1
        ws.append(["注：①2022年为初步统计数。"])
        ws.merge_cells(f"A{end}:G{end}")
        ws.append(["数据来源：示例市教育局、示例市统计局"])
        ws.merge_cells(f"A{end + 1}:G{end + 1}")


def office_workbook(folder: Path) -> None:
    """The colleague's workbook (the first example of docs/plan-format.md): title rows,
    指标 names, 序号/单位/备注 (万个 against the plan's 个), ① marks, 注 and 数据来源 rows,
    a 说明 sheet and a 2022年（初步） header."""
    wb = Workbook()
    ws = wb.active
    ws.title = "主要指标"
    _table(ws)
    notes = wb.create_sheet("说明")
    notes.append(["本表由示例市教育局编制，数据截至2022年底。"])
    notes.append(["联系人：张三"])
    wb.save(folder / "主要指标2022.xlsx")


def note_row_merged(folder: Path) -> None:
    """A merged 注 row spanning every year column, under an id-keyed table."""
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator_id", "2020", "2021", "2022"])
    ws.append(["preschool_ger", 88.2, 89.6, 90.5])
    ws.append(["注：2022年为初步数，2021年起统计口径调整。"])
    ws.merge_cells("A3:D3")
    ws.append(["2. 托位数含普惠托位。"])
    ws.merge_cells("A4:D4")
    wb.save(folder / "notes.xlsx")


def notes_sheet(folder: Path) -> None:
    """A data sheet and a notes-only sheet (说明)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["指标", "2020年", "2021年", "2022年"])
    ws.append(["学前教育毛入园率", 88.2, 89.6, 90.5])
    info = wb.create_sheet("说明")
    info.append(["说明"])
    info.append(["1. 本表数据为示意数据。"])
    wb.save(folder / "data.xlsx")


def notes_only_workbook(folder: Path) -> None:
    """A workbook whose only sheet is notes: nothing to read is an error."""
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本表数据见附件。"])
    wb.save(folder / "only_notes.xlsx")


def year_header_date(folder: Path) -> None:
    """Year columns headed by date cells (2020-12-31…)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["指标", datetime(2020, 12, 31), datetime(2021, 12, 31), datetime(2022, 12, 31)])
    for cell in ws[1][1:]:
        cell.number_format = "yyyy-mm-dd"
    ws.append(["学前教育毛入园率", 88.2, 89.6, 90.5])
    wb.save(folder / "dates.xlsx")


def percent_formatted_cells(folder: Path) -> None:
    """Rates stored as 0.882 in cells formatted as percentages: Excel shows 88.2%."""
    wb = Workbook()
    ws = wb.active
    ws.append(["指标", "2020年", "2021年", "2022年"])
    ws.append(["学前教育毛入园率", 0.882, 0.896, 0.905])
    for cell in ws[2][1:]:
        cell.number_format = "0.0%"
    wb.save(folder / "percent.xlsx")


def hidden_sheet(folder: Path) -> None:
    """An old version of the table on a hidden sheet: it must not be read."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2022"
    ws.append(["indicator_id", "2020", "2021", "2022"])
    ws.append(["preschool_ger", 88.2, 89.6, 90.5])
    old = wb.create_sheet("旧版")
    old.append(["indicator_id", "2020", "2021", "2022"])
    old.append(["preschool_ger", 80.0, 81.0, 82.0])
    old.sheet_state = "hidden"
    wb.save(folder / "hidden_sheet.xlsx")


def hidden_rows(folder: Path) -> None:
    """A hidden row with a superseded value for the same indicator and years."""
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator_id", "2020", "2021", "2022"])
    ws.append(["preschool_ger", 80.0, 81.0, 82.0])
    ws.append(["fitness_rate", 48.1, 50.3, 53.9])
    ws.row_dimensions[2].hidden = True
    wb.save(folder / "hidden_rows.xlsx")


def hidden_column(folder: Path) -> None:
    """A hidden year column (a draft 2022 figure) next to the visible ones."""
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator_id", "2020", "2021", "2022"])
    ws.append(["preschool_ger", 88.2, 89.6, 99.9])
    ws.column_dimensions["D"].hidden = True
    wb.save(folder / "hidden_column.xlsx")


def yyyy_year_cells(folder: Path) -> None:
    """A long table whose year cells hold 2019… formatted "yyyy" (Excel shows 1905)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator_id", "year", "value"])
    for year, value in [(2020, 88.2), (2021, 89.6), (2022, 90.5)]:
        ws.append(["preschool_ger", year, value])
        ws.cell(ws.max_row, 2).number_format = "yyyy"
    wb.save(folder / "yyyy.xlsx")


def merged_note_over_values(folder: Path) -> None:
    """A merged cell spreading one number over three years is still refused."""
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator_id", "2020", "2021", "2022"])
    ws.append(["preschool_ger", 88.2, None, None])
    ws.merge_cells("B2:D2")
    wb.save(folder / "spread.xlsx")


def utf8_one_bad_byte(folder: Path) -> None:
    """A UTF-8 file where one character lost a byte: refused, not read as GB18030."""
    text = ("indicator_id,region,year,value,note\n"
            "preschool_ger,,2020,88.2,北京示例\npreschool_ger,,2021,89.6,上海示例\n"
            "preschool_ger,,2022,90.5,广州示例\n")
    data = text.encode("utf-8").replace("上".encode(), "上".encode()[:2])
    (folder / "damaged.csv").write_bytes(data)


def utf8_stray_latin1_byte(folder: Path) -> None:
    """A UTF-8 file with one Latin-1 byte (é typed in an old editor) in a note."""
    text = ("指标,2020年,2021年,2022年,备注\n学前教育毛入园率,88.2,89.6,90.5,北京示例CAFE\n")
    (folder / "latin1.csv").write_bytes(text.encode("utf-8").replace(b"CAFE", b"caf\xe9"))


def gb18030_file(folder: Path) -> None:
    """A whole file in GB18030 (Excel's "CSV" on Chinese Windows): read as such."""
    text = "指标,2020年,2021年,2022年,备注\n学前教育毛入园率,88.2,89.6,90.5,北京\n"
    (folder / "gbk.csv").write_bytes(text.encode("gb18030"))


BUILDERS: dict[str, Callable[[Path], None]] = {
    "office_workbook": office_workbook,
    "note_row_merged": note_row_merged,
    "notes_sheet": notes_sheet,
    "notes_only_workbook": notes_only_workbook,
    "year_header_date": year_header_date,
    "percent_formatted_cells": percent_formatted_cells,
    "hidden_sheet": hidden_sheet,
    "hidden_rows": hidden_rows,
    "hidden_column": hidden_column,
    "yyyy_year_cells": yyyy_year_cells,
    "merged_value_spread": merged_note_over_values,
    "utf8_one_bad_byte": utf8_one_bad_byte,
    "utf8_stray_latin1_byte": utf8_stray_latin1_byte,
    "gb18030_file": gb18030_file,
}


def build(case: str, folder: Path) -> None:
    """Write the generated files of ``case`` (if any) into ``folder``."""
    builder = BUILDERS.get(case)
    if builder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        builder(folder)


def main(out: Path) -> None:
    for case in BUILDERS:
        build(case, out / case)
    print(f"{len(BUILDERS)} cases written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus_reading"))
