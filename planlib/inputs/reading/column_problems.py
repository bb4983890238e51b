"""Problems with a file's columns: no recognisable layout, or two columns for one thing."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter

from planlib.errors import Problem
from planlib.inputs import xml_chars
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.reading.fields import IDENTITY_FIELDS, fields_of
from planlib.inputs.reading.grid import Grid, Row, cell_text, is_blank
from planlib.inputs.reading.header import Header
from planlib.inputs.reading.layout import Layout

EXPECTED = (
    "expected columns indicator_id, year, value (long) or indicator_id plus one column "
    "per year such as 2021 or 2021年 (wide); instead of indicator_id, a column 指标 "
    "(or 指标名称) with the indicator names of the plan"
)


def layout_problem(name: str, header: Header | None, rows: Sequence[Row]) -> Problem:
    """Say which columns were found and what is expected.

    Without a header, the first non-blank row (``rows`` has one) is shown instead.
    """
    if header is None:
        number, cells = next((n, c) for n, c in rows if not is_blank(c))
        labels = [cell_text(c) for c in cells]
    else:
        number, labels = header.row, header.labels
    found = ", ".join(repr(label) for label in labels if label) or "(none)"
    has_id = any(f in IDENTITY_FIELDS for f in fields_of(labels))
    what = (
        "no year and value columns and no year columns"
        if has_id
        else "no header row with an indicator id column"
    )
    return Problem(
        name,
        number,
        None,
        None,
        f"{what}; columns found: {found}",
        f"{EXPECTED}; name the columns so (Chinese headers 指标代码, 年份, 数值 work too)",
    )


def duplicate_problems(name: str, header: Header, layout: Layout) -> list[Problem]:
    """Two columns meaning the same field, or two columns for the same year."""
    problems = [
        _same_columns(name, header, indices, f"all mean {field}",
                      "keep one of them, or rename the others")
        for field, indices in layout.fields.items()
        if len(indices) > 1 and (layout.kind == "long" or field not in ("year", "value"))
    ]
    by_year: dict[int, list[int]] = {}
    for index, year in layout.years:
        by_year.setdefault(year, []).append(index)
    problems += [
        _same_columns(name, header, indices, f"are all year {year}", "keep one column per year")
        for year, indices in by_year.items()
        if len(indices) > 1
    ]
    return problems


def _same_columns(name: str, header: Header, indices: list[int], what: str, fix: str) -> Problem:
    """A problem at the second of several header columns that mean the same thing."""
    shown = ", ".join(repr(header.labels[i]) for i in indices)
    return Problem(name, header.row, header.labels[indices[1]], None,
                   f"columns {shown} {what}", fix)


def year_header_problems(
    where: str, header: Header, layout: Layout, notes: list[InputWarning]
) -> list[Problem]:
    """Year headers that cannot be read (refused), and how unusual ones were read (notes).

    A header such as "2021-22学年" names no single year: its column is refused rather
    than dropped. A target column ("2025年目标") is skipped, and the user is told.
    """
    problems = []
    for index, head in sorted(layout.year_notes.items()):
        label = header.labels[index]
        if head.error:
            problems.append(Problem(
                where, header.row, label, None,
                f"column header looks like a year but cannot be read as one: {head.error}",
                "write the year alone (2022 or 2022年, with （初步） for a provisional "
                "figure), or delete the column if it holds no year's value"))
        elif head.skip:
            notes.append(InputWarning(head.skip, {}, where, header.row, label))
        elif head.year is not None:
            notes.append(InputWarning("year_column_read",
                                      {"year": head.year, "flag": head.flag or ""},
                                      where, header.row, label))
    return problems


def not_xml_cells(where: str, grid: Grid, header: Header | None) -> list[Problem]:
    """Cells holding characters XML cannot hold (a form feed in a region), each at its
    row and column (the header's label, else the column letter)."""
    if not grid.not_xml:
        return []
    labels = header.labels if header else []
    problems = []
    for number, cells in grid.rows:
        for index, cell in enumerate(cells):
            if not (isinstance(cell, str) and xml_chars.has_not_xml(cell)):
                continue
            named = xml_chars.not_xml(cell)
            if named:
                label = labels[index] if index < len(labels) and labels[index] else (
                    get_column_letter(index + 1))
                label = xml_chars.visible(label)
                problems.append(Problem(where, number, label, cell,
                                        xml_chars.message("the cell", named), xml_chars.FIX))
    return problems
