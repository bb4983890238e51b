"""Finding the header row (or two-row header) among title rows and blank lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planlib.inputs.reading.fields import IDENTITY_FIELDS, fields_of
from planlib.inputs.reading.grid import Cell, Row, cell_text, is_blank
from planlib.inputs.reading.layout import classify
from planlib.inputs.reading.year_headers import year_headers

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Header:
    """The header found in a grid: labels as shown, raw cells, and where data starts."""

    row: int  # user-visible number of the (first) header row
    labels: list[str]
    cells: list[Cell]
    data_start: int  # index into Grid.rows of the first row below the header


def recognised_count(cells: Sequence[Cell]) -> int:
    """How many cells are known field names or year labels."""
    labels = [cell_text(cell) for cell in cells]
    fields = fields_of(labels)
    years = _years(cells)
    return sum(f is not None or y is not None for f, y in zip(fields, years, strict=True))


def _years(cells: Sequence[Cell]) -> list[int | None]:
    """The year each header cell names (2021, "2022年（初步）", a date), else None."""
    return [head.year if head else None for head in year_headers(cells)]


def _looks_like_header(cells: Sequence[Cell]) -> bool:
    """An indicator-id alias, or two year labels, or two known field names."""
    labels = [cell_text(cell) for cell in cells]
    fields = fields_of(labels)
    if "indicator_id" in fields:
        return True
    years = sum(year is not None for year in _years(cells))
    named = sum(field is not None for field in fields)
    if "name_zh" in fields and years >= 1:  # 指标 | 2022年: a one-year table by name
        return True
    return years >= 2 or named >= 2


def find_header(rows: Sequence[Row]) -> Header | None:
    """The first row, among the first non-blank ones, that looks like a header.

    A two-row header (a merged group label such as 年份 above the year labels 2016…2022)
    is combined: the lower row's label wins where it has one.
    """
    seen = 0
    for index, (number, cells) in enumerate(rows):
        if is_blank(cells):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            return None
        if _looks_like_header(cells):
            return _with_sub_header(rows, index, number, cells)
    return None


def _with_sub_header(rows: Sequence[Row], index: int, number: int, cells: list[Cell]) -> Header:
    """Combine the header row with the row below when only the row below has the years.

    The lower label wins where it has one. A row below with its own indicator id is data
    (counts such as 2016, 2017 are not year labels), so the header stays one row.
    """
    header = Header(number, [cell_text(c) for c in cells], list(cells), index + 1)
    if classify(header.labels, header.cells) is not None or index + 1 >= len(rows):
        return header
    below = rows[index + 1][1]
    if sum(year is not None for year in _years(below)) < 2 or _has_id(header, below):
        return header
    width = max(len(cells), len(below))
    upper = list(cells) + [None] * (width - len(cells))
    lower = list(below) + [None] * (width - len(below))
    combined = [lo if cell_text(lo) else up for up, lo in zip(upper, lower, strict=True)]
    return Header(number, [cell_text(c) for c in combined], combined, index + 2)


def _has_id(header: Header, below: Sequence[Cell]) -> bool:
    """True if the row below has its own indicator id (data, not a sub-header).

    In a two-row header the id column is merged (same label) or blank below.
    """
    fields = fields_of(header.labels)
    identity = next((f for f in IDENTITY_FIELDS if f in fields), None)
    if identity is None:
        return False
    index = fields.index(identity)
    cell = cell_text(below[index]) if index < len(below) else ""
    return cell not in ("", header.labels[index])
