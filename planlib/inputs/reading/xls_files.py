"""Old Excel workbooks (.xls, BIFF) into grids, through the workbook code of ``.xlsx``.

Many offices still save .xls. Each sheet is opened with xlrd and presented as the few
parts of an openpyxl worksheet that ``xlsx_files.sheet_grid`` reads — cells with their
value and number format, merged ranges, hidden rows, columns and sheets — so that an
.xls sheet is read by the same code as an .xlsx one: hidden rows skipped and said,
merged cells filled and refused as values, percent and year formats shown as Excel shows
them, every problem at its sheet, row and column. Formulas need no check: .xls files
always store their results; and BIFF stores text as it is, without .xlsx's ``_xHHHH_``
escapes, so the text typed ``_x000C_`` is read as that text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xlrd
from openpyxl.utils import get_column_letter

from planlib.inputs.reading.grid import Grid
from planlib.inputs.reading.problems import file_error
from planlib.inputs.reading.read_limits import MAX_SHEET_XML_BYTES
from planlib.inputs.reading.xlsx_files import sheet_grid

_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}
_SPLIT = ("move the data to a workbook of its own, or save it as .xlsx or CSV UTF-8")


def xls_grids(path: Path, name: str) -> list[Grid]:
    """Every worksheet of an .xls workbook as a grid (as ``xlsx_grids`` does for .xlsx)."""
    size = path.stat().st_size
    if size > MAX_SHEET_XML_BYTES:
        raise file_error(name, f"the workbook is {size / 1e6:,.0f} MB, more than the "
                         f"{MAX_SHEET_XML_BYTES / 1e6:,.0f} MB read", _SPLIT)
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd's own and OLE errors all mean "damaged"
        raise file_error(
            name, f"cannot open as an old Excel workbook ({type(exc).__name__}: {exc})",
            "open it in Excel and save as .xlsx or CSV UTF-8") from None
    try:
        return [sheet_grid(XlsSheet(book, book.sheet_by_index(i)), name, escaped=False)
                for i in range(book.nsheets)]
    finally:
        book.release_resources()


@dataclass(frozen=True)
class XlsCell:
    """A cell as openpyxl gives it: its value (typed as Excel shows it) and number format."""

    value: object
    number_format: str


@dataclass(frozen=True)
class XlsRange:
    """A merged range as openpyxl gives it (1-based, ends included)."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def coord(self) -> str:
        return (f"{get_column_letter(self.min_col)}{self.min_row}:"
                f"{get_column_letter(self.max_col)}{self.max_row}")


@dataclass(frozen=True)
class _Hidden:
    """A row or column dimension: hidden or not, and (columns) the span it covers."""

    hidden: bool
    min: int = 0
    max: int = 0


@dataclass(frozen=True)
class _Merged:
    ranges: list[XlsRange]


class XlsSheet:
    """An xlrd sheet behind the worksheet attributes ``sheet_grid`` and ``used_extent``
    use: title, sheet_state, row/column dimensions, merged_cells, iter_rows, cell."""

    def __init__(self, book: xlrd.Book, sheet: xlrd.sheet.Sheet) -> None:
        self._book = book
        self._sheet = sheet
        self.title: str = sheet.name
        self.sheet_state = _STATES.get(sheet.visibility, "hidden")
        self.max_row: int = sheet.nrows
        self.max_column: int = sheet.ncols
        self.merged_cells = _Merged([XlsRange(rlo + 1, clo + 1, rhi, chi)
                                     for rlo, rhi, clo, chi in sheet.merged_cells])
        self.row_dimensions = {r + 1: _Hidden(bool(info.hidden))
                               for r, info in sheet.rowinfo_map.items()}
        self.column_dimensions = {c + 1: _Hidden(bool(info.hidden), c + 1, c + 1)
                                  for c, info in sheet.colinfo_map.items()}
        self._cells = {(r + 1, c + 1): self.cell(r + 1, c + 1)
                       for r in range(sheet.nrows) for c in range(sheet.row_len(r))}

    def iter_rows(self, max_row: int, max_col: int) -> Iterator[list[XlsCell]]:
        """Rows 1..max_row of cells 1..max_col, empty cells included."""
        for r in range(1, max_row + 1):
            yield [self._cells.get((r, c)) or XlsCell(None, "General")
                   for c in range(1, max_col + 1)]

    def cell(self, row: int, column: int) -> XlsCell:
        """The cell at 1-based (row, column), typed as openpyxl types an .xlsx cell."""
        sheet = self._sheet
        if row > sheet.nrows or column > sheet.row_len(row - 1):
            return XlsCell(None, "General")
        raw = sheet.cell(row - 1, column - 1)
        return XlsCell(self._value(raw), self._format(raw.xf_index))

    def _value(self, raw: xlrd.sheet.Cell) -> object:
        """Text as text, numbers whole where whole (as .xlsx stores 2021), dates as
        datetimes, booleans as bool, errors as Excel shows them (#DIV/0!)."""
        kind, value = raw.ctype, raw.value
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if kind == xlrd.XL_CELL_NUMBER:
            return int(value) if float(value).is_integer() else value
        if kind == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(value, self._book.datemode)
            except (ValueError, OverflowError):
                return value
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if kind == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_value.get(value, "#ERROR")
        return value

    def _format(self, xf_index: int | None) -> str:
        """The cell's number format string ("0.0%", "yyyy年"), General when none."""
        if xf_index is None:
            return "General"
        xf = self._book.xf_list[xf_index]
        found = self._book.format_map.get(xf.format_key)
        return found.format_str if found and found.format_str else "General"

