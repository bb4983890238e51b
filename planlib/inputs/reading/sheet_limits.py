"""Bounded reading of workbooks: the work done depends on the cells that hold values,
never on what a sheet claims its size is.

A 5 KB workbook can claim to span A1:XFD1048576 (one stray cell, or one formatted empty
cell, in the last row and column): read cell by cell that is 17 billion cells. So the
used extent is taken from the cells that hold a value; a value beyond the caps below is
refused with its cell and a fix, and a workbook whose sheets unpack to more than
``MAX_SHEET_XML_BYTES`` is refused before it is opened (a zip can unpack 1000-fold).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planlib.errors import InputError, Problem
from planlib.inputs.reading.problems import file_error

MAX_COLUMNS = 1_000  # a wide table has one column per year: a century is 100
MAX_CELLS = 20_000_000  # used rows x used columns; a 1,000,000-row long table is 8 million
MAX_SHEET_XML_BYTES = 64_000_000  # ~1.8 million cells, about 1 GB in memory once read
_SPLIT = ("move the data to a workbook of its own (or save the data sheet as CSV UTF-8), "
          "and delete stray cells far from the table")


def check_workbook_size(path: Path, name: str) -> None:
    """Refuse a workbook whose sheets unpack to more than the cap (or that is no zip)."""
    try:
        with zipfile.ZipFile(path) as book:
            unpacked = sum(i.file_size for i in book.infolist()
                           if i.filename.startswith(("xl/worksheets/", "xl/sharedStrings")))
    except (OSError, zipfile.BadZipFile):
        return  # openpyxl will say the file is damaged, with its own words
    if unpacked > MAX_SHEET_XML_BYTES:
        raise file_error(
            name, f"the workbook's sheets unpack to {unpacked / 1e6:,.0f} MB, more than "
            f"the {MAX_SHEET_XML_BYTES / 1e6:,.0f} MB read", _SPLIT)


def used_extent(ws: Worksheet, label: str) -> tuple[int, int]:
    """(last row, last column) holding a value, ignoring formatted empty cells and the
    sheet's own size claim; InputError past the caps, naming the farthest cell."""
    cells = getattr(ws, "_cells", None)  # openpyxl keeps only the cells in the file
    if cells is None:
        return ws.max_row, ws.max_column
    used = [(r, c) for (r, c), cell in cells.items() if cell.value is not None]
    for merged in ws.merged_cells.ranges:
        used.append((merged.min_row, merged.min_col))
    if not used:
        return 0, 0
    rows = max(r for r, _ in used)
    cols = max(c for _, c in used)
    if cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise InputError([_far_cell(ws, label, used, rows, cols)])
    return rows, cols


def _far_cell(ws: Worksheet, label: str, used: list[tuple[int, int]], rows: int,
              cols: int) -> Problem:
    """The problem for a sheet past the caps, naming its farthest value."""
    r, c = max(used, key=lambda rc: (rc[1] > MAX_COLUMNS, rc[0] * rc[1]))
    value = ws.cell(r, c).value
    where = f"{get_column_letter(c)}{r}"
    if cols > MAX_COLUMNS:
        message = (f"cell {where} holds a value in column {c:,}; at most {MAX_COLUMNS:,} "
                   "columns are read")
    else:
        message = (f"values span {rows:,} rows x {cols:,} columns (to cell {where}); at "
                   f"most {MAX_CELLS:,} cells are read")
    return Problem(label, r, get_column_letter(c), str(value)[:40], message,
                   f"if {where} is a stray cell, select it and press Delete; otherwise "
                   + _SPLIT)
