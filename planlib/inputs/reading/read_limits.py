"""Bounded reading: the work done on a data file depends on the cells that hold values,
never on what a workbook claims its size is; past the caps, a clear refusal.

A 5 KB workbook can claim to span A1:XFD1048576 (one stray cell, or one formatted empty
cell, in the last row and column): read cell by cell that is 17 billion cells. So the
used extent is taken from the cells that hold a value; a value beyond the caps below is
refused with its cell and a fix, and a workbook whose parts unpack to more than
``MAX_SHEET_XML_BYTES`` is refused before it is opened (a zip can unpack 1000-fold).
A CSV file is read whole, so it is capped at ``MAX_CSV_BYTES``.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from planlib.errors import InputError, Problem
from planlib.inputs.reading.problems import file_error

MAX_COLUMNS = 1_000  # a wide table has one column per year: a century is 100
MAX_CELLS = 20_000_000  # used rows x used columns; a 1,000,000-row long table is 8 million
MAX_SHEET_XML_BYTES = 64_000_000  # ~1.8 million cells, about 1 GB in memory once read
MAX_CSV_BYTES = 256_000_000  # ~6 million long rows; about 3 GB in memory once split
MAX_MERGED_CELLS = 1_000_000  # openpyxl makes an object per merged cell; a title is ~10
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_ELEMENT = re.compile(rb"<(?:\w+:)?(?:sheet|Relationship)\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_SPLIT = ("move the data to a workbook of its own (or save the data sheet as CSV UTF-8), "
          "and delete stray cells far from the table")


def check_workbook_size(path: Path, name: str) -> None:
    """Refuse a workbook whose sheets unpack to more than the cap (or that is no zip)."""
    try:
        with zipfile.ZipFile(path) as book:
            unpacked = sum(i.file_size for i in book.infolist()
                           if i.filename.endswith((".xml", ".rels")))  # not pictures
            if unpacked > MAX_SHEET_XML_BYTES:
                raise file_error(
                    name, f"the workbook's sheets unpack to {unpacked / 1e6:,.0f} MB, more "
                    f"than the {MAX_SHEET_XML_BYTES / 1e6:,.0f} MB read", _SPLIT)
            problems = _huge_merges(book, name)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return  # openpyxl will say the file is damaged, with its own words
    if problems:
        raise InputError(problems)


def check_csv_size(size: int, name: str) -> None:
    """Refuse a CSV file larger than the cap, before reading it into memory."""
    if size > MAX_CSV_BYTES:
        raise file_error(
            name, f"the file is {size / 1e6:,.0f} MB, more than the "
            f"{MAX_CSV_BYTES / 1e6:,.0f} MB read", "split it into several files matched by "
            "the plan's data globs (one per region or indicator group), or keep only the "
            "indicators the plan names")


def _huge_merges(book: zipfile.ZipFile, name: str) -> list[Problem]:
    """Merged ranges too large to open (openpyxl fills each cell of a range on load)."""
    sheet_names = sheet_parts(book)
    problems = []
    for member in sorted(n for n in book.namelist()
                         if n.startswith("xl/worksheets/") and n.endswith(".xml")):
        for ref in _MERGE_REF.findall(book.read(member)):
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
            cells = (max_col - min_col + 1) * (max_row - min_row + 1)
            if cells > MAX_MERGED_CELLS or max_col > MAX_COLUMNS:
                label = f"{name}, sheet '{sheet_names.get(member, member)}'"
                problems.append(Problem(
                    label, min_row, get_column_letter(min_col), None,
                    f"merged range {ref.decode()} covers {cells:,} cells (at most "
                    f"{MAX_MERGED_CELLS:,} and {MAX_COLUMNS:,} columns are read)",
                    f"select {ref.decode()}, unmerge it (Merge & Center off) and merge only "
                    "the cells of the title or note"))
    return problems


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part ("xl/worksheets/sheet1.xml") to the sheet's name, where known."""
    try:
        rels = {a.get("Id"): a.get("Target", "") for a in _elements(
            book.read("xl/_rels/workbook.xml.rels"))}
        sheets = _elements(book.read("xl/workbook.xml"))
    except KeyError:
        return {}
    names = {}
    for sheet in sheets:
        target = rels.get(sheet.get("r:id"), "").lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        names[member] = sheet.get("name", member)
    return names


def _elements(xml: bytes) -> list[dict[str, str]]:
    """Attributes of each <sheet> or <Relationship> element, unescaped."""
    return [{k.decode(): html.unescape(v.decode("utf-8", "replace"))
             for k, v in _ATTRIBUTE.findall(attrs)} for attrs in _ELEMENT.findall(xml)]


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
