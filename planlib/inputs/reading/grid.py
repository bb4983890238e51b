"""The cells of one CSV file or worksheet, and how a cell reads to the user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from planlib.inputs.input_warnings import InputWarning

Cell = object
Row = tuple[int, list[Cell]]  # (row number as the user sees it, cells)


@dataclass(frozen=True)
class Grid:
    """The cells of one CSV file or one worksheet, with user-visible row numbers."""

    sheet: str | None
    rows: list[Row]
    strict_width: bool  # CSV: non-empty cells beyond the header are a misaligned row
    #: (row, 0-based column) of cells filled by copying a merged range's top-left value,
    #: mapped to that range ("B3:C3"); only the top-left cell holds the value in Excel.
    merged: dict[tuple[int, int], str] | None = None
    #: What the user should be told about how the grid was read (hidden rows skipped...).
    notes: tuple[InputWarning, ...] = ()
    #: A hidden sheet: not read at all (its note says so).
    hidden: bool = False
    #: Whether a cell may hold a character XML cannot hold (a CSV knows from one scan of
    #: its text; a worksheet's cells are checked one by one).
    not_xml: bool = True


def cell_text(cell: Cell) -> str:
    """A header or text cell as the user sees it: 2021.0 shows as "2021"."""
    if type(cell) is str:  # the common case (every CSV cell): no other check applies
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float):
        if cell != cell:  # NaN
            return ""
        if cell.is_integer():
            return str(int(cell))
    if isinstance(cell, datetime) and cell.time() == time():
        return cell.date().isoformat()  # a date typed in Excel: no 00:00:00
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return str(cell).strip()


def is_blank(cells: Iterable[Cell]) -> bool:
    """True when every cell is empty, whitespace or NaN (stops at the first real cell)."""
    for cell in cells:
        if cell is None:
            continue
        if isinstance(cell, str):
            if cell.strip():
                return False
        elif not (isinstance(cell, float) and cell != cell):
            return False
    return True
