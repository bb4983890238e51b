"""The data rows below a header, and the problems that make them untrustworthy."""

from __future__ import annotations

import pandas as pd

from planlib.errors import Problem
from planlib.inputs.numbers import parse_numbers
from planlib.inputs.reading.grid import Cell, Grid, Row, cell_text, is_blank
from planlib.inputs.reading.header import Header
from planlib.inputs.reading.note_rows import TextRows, has_numbers, is_note_start, take_text_row


def data_rows(
    grid: Grid, header: Header, where: str, problems: list[Problem], text_rows: TextRows
) -> list[Row]:
    """Non-blank rows below the header, padded/cut to the header's width.

    A row repeating the header (files pasted one under another) carries no data and is
    skipped; so are note and source rows (注：…, 数据来源：…), which go to ``text_rows``.
    A CSV row with cells beyond the header is appended to ``problems``.
    """
    width = len(header.labels)
    body: list[Row] = []
    after_note = False
    for number, cells in grid.rows[header.data_start :]:
        if is_blank(cells):
            continue
        texts = [cell_text(c) for c in cells]  # once per row, for every check below
        after_note = take_text_row(number, cells, after_note, text_rows, texts)
        if after_note:
            continue
        if is_note_start(cells, texts) and has_numbers(cells, texts):
            problems.append(_note_with_numbers(where, number, cells))
            continue
        if texts[:width] == header.labels and is_blank(cells[width:]):
            continue
        extra = cells[width:]
        if grid.strict_width and not is_blank(extra):
            problems.append(_misaligned(where, number, len(cells), width, extra))
            continue
        body.append((number, list(cells[:width]) + [None] * (width - len(cells))))
    return body


def _note_with_numbers(where: str, number: int, cells: list[Cell]) -> Problem:
    """A row starting 注：/数据来源： that also holds numbers: neither note nor data."""
    first = next(cell_text(c) for c in cells if cell_text(c))
    return Problem(
        where, number, None, first,
        "the row starts like a note (注：…) or a source (数据来源：…) but holds numbers too",
        "put the note in one cell (or merged cells) on its own row, and the numbers on "
        "the row of their indicator")


def _misaligned(where: str, number: int, n_cells: int, width: int, extra: list[Cell]) -> Problem:
    return Problem(
        where,
        number,
        None,
        ",".join(cell_text(c) for c in extra),
        f"row has {n_cells} cells but the header has {width} columns",
        'put numbers with a thousands separator in quotes ("1,234") or drop the comma, '
        "and remove cells to the right of the table",
    )


def merged_values(
    grid: Grid, header: Header, body: list[Row], columns: list[int], where: str
) -> list[Problem]:
    """Value cells that are copies of a merged range's value: one value for several years
    (or rows) is ambiguous (each year's value? a total?), so it is never guessed."""
    if not grid.merged:
        return []
    problems = []
    for number, cells in body:
        for index in columns:
            coord = grid.merged.get((number, index))
            if coord is None or _means_missing(cells[index]):
                continue
            problems.append(
                Problem(
                    where,
                    number,
                    header.labels[index],
                    cell_text(cells[index]),
                    f"merged cells {coord} spread one value over several values",
                    "unmerge the cells and write each year's value in its own cell "
                    "(leave a cell empty if there is no value)",
                )
            )
    return problems


def _means_missing(cell: Cell) -> bool:
    """True for an empty cell or a missing marker such as —."""
    values, bad = parse_numbers(pd.Series([cell], dtype=object))
    return bool(values.isna().iloc[0] and not bad.iloc[0])
