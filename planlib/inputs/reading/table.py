"""One observation file into one raw long frame, with every problem found at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planlib.errors import InputError, Problem
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.reading.area_rows import indicator_named
from planlib.inputs.reading.column_problems import (
    duplicate_problems,
    layout_problem,
    not_xml_cells,
    year_header_problems,
)
from planlib.inputs.reading.data_rows import data_rows, merged_values
from planlib.inputs.reading.files import read_grids
from planlib.inputs.reading.frames import empty_frame, finish, long_frame, wide_frame
from planlib.inputs.reading.grid import Grid, is_blank
from planlib.inputs.reading.header import Header, find_header
from planlib.inputs.reading.layout import Layout, classify
from planlib.inputs.reading.note_rows import TextRows, table_unit
from planlib.inputs.reading.plain_csv import PlainTable, plain_long_csv
from planlib.inputs.reading.problems import file_label, no_data
from planlib.inputs.reading.target_cells import empty_targets, target_columns, target_frame


@dataclass
class ReadResult:
    """A file's raw long frame and what the user should be told about reading it."""

    frame: pd.DataFrame
    notes: list[InputWarning] = field(default_factory=list)
    #: Target cells (a 目标 column, "2025年目标", a table of area targets): ``TARGET_COLUMNS``.
    targets: pd.DataFrame = field(default_factory=empty_targets)


def read_table(path: Path, *, display_name: str | None = None) -> pd.DataFrame:
    """Read one observation file into a raw long frame (see :func:`read_file`)."""
    return read_file(path, display_name=display_name).frame


def read_file(path: Path, *, display_name: str | None = None) -> ReadResult:
    """Read one observation file into a raw long frame (one row per data cell).

    Columns: ``COLUMNS`` — indicator_id, year_raw, value_raw (both as in the file, for
    ``parse_years``/``parse_numbers``), the text fields (NA when absent), and _file,
    _row (Excel-visible row), _column (the value's column label as shown), _sheet,
    plus the labels of the id, year and flag columns as shown (``LABEL_COLUMNS``).
    Raises :class:`InputError` with every problem found when the file cannot be read.
    The notes say what was read in a way the user may not expect (hidden rows skipped,
    a sheet of notes skipped, "2022年（初步）" read as a provisional 2022, a 注 row).
    """
    path = Path(path)
    name = display_name if display_name is not None else str(path)
    plain = plain_long_csv(path, name)
    if plain is not None:
        return read_plain(plain, name)
    return read_carefully(path, name)


def read_plain(plain: PlainTable, name: str) -> ReadResult:
    """A plain long CSV file's result (``plain_csv``): nothing to tell, no problem."""
    targets: list[pd.DataFrame] = []
    frame = _table_frame(plain.grid, plain.header, plain.layout, plain.table, plain.numbers,
                         None, name, targets)
    found = [part for part in targets if not part.empty]
    return ReadResult(frame, [], pd.concat(found, ignore_index=True) if found
                      else empty_targets())


def read_carefully(path: Path, name: str) -> ReadResult:
    """Read the file cell by cell (any layout, every problem located): ``read_file``."""
    grids = read_grids(path, name)
    problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    unrecognised: list[Problem] = []
    notes: list[InputWarning] = []
    targets: list[pd.DataFrame] = []
    for grid in grids:
        notes.extend(grid.notes)
        result = _grid_frame(grid, name, problems, notes, targets)
        if isinstance(result, Problem):
            unrecognised.append(result)
        elif result is not None:
            frames.append(result)
    if problems or (unrecognised and not frames):
        raise InputError(problems + ([] if frames else unrecognised))
    notes += [_skipped_sheet(problem) for problem in unrecognised]
    filled = [frame for frame in frames if not frame.empty]
    found = [frame for frame in targets if not frame.empty]
    if not filled and not found:
        raise InputError([no_data(name)])
    return ReadResult(
        pd.concat(filled, ignore_index=True) if filled else empty_frame(), notes,
        pd.concat(found, ignore_index=True) if found else empty_targets())


def _skipped_sheet(problem: Problem) -> InputWarning:
    """A sheet without a data table beside sheets with one (说明, 封面): skipped, said."""
    return InputWarning("sheet_skipped", {}, problem.file, problem.row)


def _grid_frame(
    grid: Grid, name: str, problems: list[Problem], notes: list[InputWarning],
    targets: list[pd.DataFrame],
) -> pd.DataFrame | Problem | None:
    """The long frame of one grid; a Problem if it has no recognisable header.

    None for a grid with no cells at all (an empty sheet). Problems that make the data
    untrustworthy (duplicate columns, misaligned CSV rows, a year column that cannot be
    read) are appended to ``problems``; what the user should know goes to ``notes``.
    """
    where = file_label(name, grid.sheet)
    header = find_header(grid.rows)
    unsafe = not_xml_cells(where, grid, header)
    if unsafe:
        problems.extend(unsafe)
        return empty_frame()
    layout = classify(header.labels, header.cells) if header else None
    if header is None and all(is_blank(cells) for _, cells in grid.rows):
        return None
    if header is None or layout is None:
        return layout_problem(where, header, grid.rows)
    duplicates = duplicate_problems(where, header, layout)
    year_problems = year_header_problems(where, header, layout, notes)
    problems.extend(duplicates + year_problems)
    text_rows = TextRows()
    body = data_rows(grid, header, where, problems, text_rows)
    notes.extend(InputWarning("note_row", {"text": text}, where, number)
                 for number, text in text_rows.notes)
    if duplicates or year_problems or not body:
        return empty_frame()
    value_columns = {"long": layout.fields.get("value", [])[:1], "targets": []}.get(
        layout.kind, [index for index, _ in layout.years])
    value_columns += [index for index, _ in target_columns(header, layout)]
    spread = merged_values(grid, header, body, value_columns, where)
    if spread:
        problems.extend(spread)
        return empty_frame()
    table = pd.DataFrame([cells for _, cells in body], dtype=object)
    numbers = [number for number, _ in body]
    return _table_frame(grid, header, layout, table, numbers, text_rows.source, name, targets)


def _table_frame(
    grid: Grid, header: Header, layout: Layout, table: pd.DataFrame, numbers: list[int],
    source: str | None, name: str, targets: list[pd.DataFrame],
) -> pd.DataFrame:
    """The long frame of a table's checked data rows (``table``: one column per header
    cell; ``numbers``: each row's number as shown); its target cells go to ``targets``.
    Both the careful path and the fast path (``plain_csv``) end here."""
    targets.append(target_frame(table, numbers, header, layout, name, grid.sheet))
    if layout.kind == "targets":
        return empty_frame()
    if layout.kind == "long":
        frame = long_frame(table, numbers, header, layout)
    else:
        frame = wide_frame(table, numbers, header, layout)
    if layout.by_area:  # one indicator, areas as rows: the sheet (or title) names it
        frame["name_zh"] = indicator_named(grid, header, name)
    if source:
        frame["source"] = frame["source"].where(frame["source"].notna(), source)
    unit = table_unit(grid.rows[: header.data_start])
    if unit:  # "单位：万人" above the table: the unit of rows that do not give their own
        frame["unit"] = frame["unit"].where(frame["unit"].notna(), unit)
    return finish(frame, name, grid.sheet)
