"""Workbooks into grids: every sheet, merged cells filled, values as Excel shows them.

Formulas without a saved result (files written by scripts) are refused, not read empty.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planlib.errors import InputError, Problem
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.reading.grid import Cell, Grid, Row, is_blank
from planlib.inputs.reading.problems import file_error, file_label
from planlib.inputs.reading.read_limits import check_workbook_size, used_extent
from planlib.inputs.reading.xlsx_escapes import decode, load_workbook
from planlib.inputs.reading.xlsx_raw_chars import raw_char_problems

_EXCEL_EPOCH = date(1899, 12, 30)
_STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_YEAR_SERIALS = (1900, 2100)  # serial day numbers that are plausible typed years
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def xlsx_grids(path: Path, name: str) -> list[Grid]:
    """Every worksheet as a grid, merged cells filled with their top-left value."""
    check_workbook_size(path, name)
    if _is_strict(path):
        raise file_error(
            name,
            "this workbook is saved as Strict Open XML, which cannot be read",
            "open it in Excel and save as \"Excel Workbook (.xlsx)\" (not Strict Open XML "
            "Spreadsheet), or as CSV UTF-8")
    try:
        workbook = load_workbook(path)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "damaged"
        located = raw_char_problems(path, name)  # or one character the parser refused
        if located:
            raise InputError(located) from None
        raise file_error(
            name,
            f"cannot open as an Excel workbook ({type(exc).__name__}: {exc})",
            "open it in Excel and save it again as .xlsx (without a password), or as CSV UTF-8",
        ) from None
    try:
        grids = [sheet_grid(ws, name, escaped=True) for ws in workbook.worksheets]
    finally:
        workbook.close()
    problems = _unsaved_formulas(path, name, grids)
    if problems:
        raise InputError(problems)
    return grids


def _is_strict(path: Path) -> bool:
    """True for a Strict Open XML workbook (ISO 29500 Strict namespaces), which openpyxl
    reads as a workbook with no rows."""
    try:
        with zipfile.ZipFile(path) as book:
            head = book.open("xl/workbook.xml").read(4096)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False  # damaged or unusual: openpyxl says what is wrong
    return _STRICT_NS in head


def sheet_grid(ws: Worksheet, name: str, escaped: bool) -> Grid:
    """One worksheet as a grid; hidden sheets, rows and columns are left out, and said.

    A hidden row or sheet is usually an old value or a working copy: read like a visible
    one, it would silently move the baseline. ``escaped``: the text cells hold Excel's
    ``_xHHHH_`` escapes as stored (an .xlsx opened by `xlsx_escapes.load_workbook`), and
    are decoded; an .xls stores text as it is.
    """
    where = file_label(name, ws.title)
    if ws.sheet_state != "visible":
        note = InputWarning("sheet_hidden", {"state": ws.sheet_state}, where)
        return Grid(sheet=ws.title, rows=[], strict_width=False, notes=(note,), hidden=True)
    rows, merged = _sheet_rows(ws, used_extent(ws, where), escaped)
    hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    hidden_columns = _hidden_columns(ws)
    notes = []
    dropped_rows = [n for n, cells in rows if n in hidden_rows and not is_blank(cells)]
    if dropped_rows:
        notes.append(InputWarning("rows_hidden", {"rows": _ranges(dropped_rows)}, where))
    rows = [(n, cells) for n, cells in rows if n not in hidden_rows]
    dropped_columns = sorted(
        c for c in hidden_columns
        if any(c < len(cells) and not is_blank([cells[c]]) for _, cells in rows))
    if dropped_columns:
        letters = ", ".join(get_column_letter(c + 1) for c in dropped_columns)
        notes.append(InputWarning("columns_hidden", {"columns": letters}, where))
        rows = [(n, [None if i in hidden_columns else v for i, v in enumerate(cells)])
                for n, cells in rows]
    return Grid(sheet=ws.title, rows=rows, strict_width=False, merged=merged, notes=tuple(notes))


def _hidden_columns(ws: Worksheet) -> set[int]:
    """0-based indices of hidden columns (a dimension may span several columns)."""
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden.update(range(dim.min - 1, min(dim.max, ws.max_column)))
    return hidden


def _ranges(numbers: list[int]) -> str:
    """Row numbers shown compactly: 3, 5-7, 9."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _unsaved_formulas(path: Path, name: str, grids: list[Grid]) -> list[Problem]:
    """Formula cells without a saved result, one problem per sheet.

    Excel saves each formula's last result beside it, and that is what is read. Files
    written by scripts (openpyxl, some exporters) have formulas but no results: read as
    they are, those cells would silently be empty.
    """
    if not _has_formulas(path):
        return []  # the common case, found in a fraction of the time a second load takes
    try:
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - it just opened with data_only; nothing to add
        return []
    problems = []
    try:
        for grid, ws in zip(grids, formulas.worksheets, strict=True):
            if grid.hidden:
                continue
            values = dict(grid.rows)
            ws.reset_dimensions()  # rows as long as the file's, not the claimed A1:XFD1048576
            unsaved = [
                (cell.row, cell.column, cell.value)
                for row in ws.iter_rows()
                for cell in row
                if getattr(cell, "data_type", None) == "f"
                and _cached(values, cell.row, cell.column) is None
            ]
            if unsaved:
                r, c, formula = unsaved[0]
                cells = f"cell {get_column_letter(c)}{r} has"
                if len(unsaved) > 1:
                    cells = f"cells {get_column_letter(c)}{r} and {len(unsaved) - 1} more have"
                problems.append(
                    Problem(
                        file_label(name, grid.sheet),
                        r,
                        get_column_letter(c),
                        str(formula),
                        f"formula {cells} no saved result "
                        "(the file was written by a program, not saved by Excel)",
                        "open the file in Excel or WPS and save it, so the results are stored; "
                        "or paste the cells as values",
                    )
                )
    finally:
        formulas.close()
    return problems


def _has_formulas(path: Path) -> bool:
    """True if any worksheet's XML holds a formula element (or if unsure)."""
    try:
        with zipfile.ZipFile(path) as book:
            return any(
                _FORMULA_TAG.search(book.read(member))
                for member in book.namelist()
                if member.startswith("xl/worksheets/") and member.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile, KeyError):
        return True


def _cached(values: dict[int, list[Cell]], row: int, column: int) -> Cell:
    cells = values.get(row, [])
    return cells[column - 1] if column - 1 < len(cells) else None


def _sheet_rows(
    ws: Worksheet, extent: tuple[int, int], escaped: bool
) -> tuple[list[Row], dict[tuple[int, int], str]]:
    """Sheet cell values by real row number, merged ranges filled from the top-left,
    within ``extent`` (last row, last column holding a value: see ``read_limits``).

    Also returns the filled cells (row, 0-based column) with their range, so that a
    merged *data* cell is not silently read as the same value for several years.
    ``escaped``: text cells hold Excel's escapes (see `sheet_grid`).
    """
    last_row, last_col = extent
    grid = [[_shown(cell, escaped) for cell in row]
            for row in ws.iter_rows(max_row=last_row, max_col=last_col)] if last_row else []
    filled: dict[tuple[int, int], str] = {}
    for merged in ws.merged_cells.ranges:
        value = _shown(ws.cell(merged.min_row, merged.min_col), escaped)
        max_row, max_col = min(merged.max_row, last_row), min(merged.max_col, last_col)
        for r in range(merged.min_row, max_row + 1):
            while len(grid) < r:
                grid.append([])
            cells = grid[r - 1]
            if len(cells) < max_col:
                cells.extend([None] * (max_col - len(cells)))
            for c in range(merged.min_col, max_col + 1):
                cells[c - 1] = value
                if (r, c) != (merged.min_row, merged.min_col):
                    filled[(r, c - 1)] = merged.coord
    return [(number, cells) for number, cells in enumerate(grid, start=1)], filled


def _shown(cell: object, escaped: bool) -> Cell:
    """A worksheet cell's value as the user sees it where the number format changes it.

    A percent-formatted 0.523 shows as 52.3% and means 52.3 (rates are kept in percent,
    as "52.3%" typed as text is); a date formatted to show only its year ("yyyy年")
    shows as, and means, that year. Text stored with Excel's ``_xHHHH_`` escapes
    (``escaped``) is shown decoded (so a form feed stored as ``_x000C_`` is refused at its
    cell, and the typed text ``_x000C_``, stored ``_x005F_x000C_``, stays that text).
    Everything else is the stored value.
    """
    value = getattr(cell, "value", None)
    if isinstance(value, str):
        return decode(value) if escaped else value
    if value is None or isinstance(value, bool):
        return value
    fmt = getattr(cell, "number_format", "General") or "General"
    if fmt == "General":
        return value
    codes = _FORMAT_LITERALS.sub("", fmt.split(";")[0]).lower()
    if isinstance(value, int | float) and "%" in codes:
        return float(Decimal(repr(value)) * 100)
    if isinstance(value, datetime | date):
        typed = _typed_year(value)
        if typed is not None:
            return typed
    if isinstance(value, datetime | date) and "y" in codes and not set("mdhs") & set(codes):
        return value.year
    return value


def _typed_year(value: date) -> int | None:
    """The year a user typed into a date-formatted cell, if that is what it holds.

    Typing 2019 into a cell formatted "yyyy" stores day 2019 after 1899-12-30, which
    Excel shows as 1905: a date from 1905 in a statistics table is such a typed year.
    """
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(value, datetime) and value.time() != datetime.min.time():
        return None
    serial = (day - _EXCEL_EPOCH).days
    return serial if _YEAR_SERIALS[0] <= serial <= _YEAR_SERIALS[1] else None
