"""Write the .xls fixtures: each workbook as .xlsx (openpyxl), then .xls (LibreOffice).

The pairs hold what an office's old workbook holds: a merged title, a 单位 row, percent
and thousands formats, a hidden row with an old value, a hidden column, a note row, a
sheet of notes, a hidden sheet (book.xlsx/.xls), and a value merged over two years,
which is refused (merged_value.xlsx/.xls), and the text _x000C_ typed in a cell, kept as
typed (typed_escape.xlsx/.xls). tests/inputs/test_xls_reading.py reads each pair and
expects the same observations, warnings and problems.

    apt-get install -y --no-install-recommends libreoffice-calc    # once, as root
    .venv/bin/python tests/data/xls/make_xls_fixtures.py [name ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def book() -> Workbook:
    """A statistics office's table: title, unit, wide years, formats, hidden parts."""
    wb = Workbook()
    ws = wb.active
    ws.title = "主要指标"
    ws.append(["2022年主要指标完成情况"])
    ws.merge_cells("A1:E1")
    ws.append(["单位：%"])
    ws.append(["指标代码", "指标名称", "2020年", "2021年", "2022年（初步）"])
    ws.append(["preschool_gross_enrolment", "学前教育毛入园率", 0.852, 0.881, 0.897])
    ws.append(["old_copy", "旧口径", 0.5, 0.5, 0.5])  # row 5: hidden, an old value
    ws.append(["new_schools", "新建学校", 12345, 23456.5, None])
    ws.append(["注：2022年为初步数。"])
    ws.merge_cells("A7:E7")
    for row in (4, 5):
        for col in "CDE":
            ws[f"{col}{row}"].number_format = "0.0%"
    for col in "CD":
        ws[f"{col}6"].number_format = "#,##0.0"
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["F"].hidden = True
    ws["F4"] = "备用"  # a value in a hidden column: left out, said
    notes = wb.create_sheet("说明")
    notes.append(["本表数据来源于统计公报。"])
    hidden = wb.create_sheet("旧数据")
    hidden.append(["indicator_id", "year", "value"])
    hidden.append(["preschool_gross_enrolment", 2019, 83.4])
    hidden.sheet_state = "hidden"
    return wb


def merged_value() -> Workbook:
    """One value merged over two year cells: never guessed, refused at its cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["indicator_id", "2021", "2022"])
    ws.append(["new_schools", 40, None])
    ws.merge_cells("B2:C2")
    ws.append(["preschool_gross_enrolment", 88.1, 89.7])
    return wb


def typed_escape() -> Workbook:
    """The text _x000C_ typed in a region cell: .xlsx stores it escaped (_x005F_x000C_,
    written here as Excel writes it), .xls as it is; both must read as the typed text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["indicator_id", "region", "year", "value"])
    ws.append(["preschool_gross_enrolment", "东城_x005F_x000C_", 2021, 88.1])
    ws.append(["preschool_gross_enrolment", "东城_x005F_x000C_", 2022, 89.7])
    return wb


FIXTURES = {"book": book, "merged_value": merged_value, "typed_escape": typed_escape}


def main(names: list[str]) -> None:
    """Write the named fixtures (all without names)."""
    for name in names or list(FIXTURES):
        make = FIXTURES[name]
        xlsx = HERE / f"{name}.xlsx"
        make().save(xlsx)
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "xls", "--outdir", str(HERE), str(xlsx)],
                check=True, capture_output=True, timeout=300)
        print(f"wrote {xlsx.name} and {name}.xls", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
