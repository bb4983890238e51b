"""One observation file into one raw long frame, with every problem found at once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planlib.errors import InputError, Problem
from planlib.inputs.reading.column_problems import duplicate_problems, layout_problem
from planlib.inputs.reading.data_rows import data_rows, merged_values
from planlib.inputs.reading.files import read_grids
from planlib.inputs.reading.frames import empty_frame, finish, long_frame, wide_frame
from planlib.inputs.reading.grid import Grid, is_blank
from planlib.inputs.reading.header import find_header
from planlib.inputs.reading.layout import classify
from planlib.inputs.reading.problems import file_label, no_data


def read_table(path: Path, *, display_name: str | None = None) -> pd.DataFrame:
    """Read one observation file into a raw long frame (one row per data cell).

    Columns: ``COLUMNS`` — indicator_id, year_raw, value_raw (both as in the file, for
    ``parse_years``/``parse_numbers``), the text fields (NA when absent), and _file,
    _row (Excel-visible row), _column (the value's column label as shown), _sheet,
    plus the labels of the id, year and flag columns as shown (``LABEL_COLUMNS``).
    Raises :class:`InputError` with every problem found when the file cannot be read.
    """
    path = Path(path)
    name = display_name if display_name is not None else str(path)
    grids = read_grids(path, name)
    problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    unrecognised: list[Problem] = []
    for grid in grids:
        result = _grid_frame(grid, name, problems)
        if isinstance(result, Problem):
            unrecognised.append(result)
        elif result is not None:
            frames.append(result)
    if problems or (unrecognised and not frames):
        raise InputError(problems + ([] if frames else unrecognised))
    filled = [frame for frame in frames if not frame.empty]
    if not filled:
        raise InputError([no_data(name)])
    return pd.concat(filled, ignore_index=True)


def _grid_frame(grid: Grid, name: str, problems: list[Problem]) -> pd.DataFrame | Problem | None:
    """The long frame of one grid; a Problem if it has no recognisable header.

    None for a grid with no cells at all (an empty sheet). Problems that make the data
    untrustworthy (duplicate columns, misaligned CSV rows) are appended to ``problems``.
    """
    where = file_label(name, grid.sheet)
    header = find_header(grid.rows)
    layout = classify(header.labels, header.cells) if header else None
    if header is None and all(is_blank(cells) for _, cells in grid.rows):
        return None
    if header is None or layout is None:
        return layout_problem(where, header, grid.rows)
    duplicates = duplicate_problems(where, header, layout)
    problems.extend(duplicates)
    body = data_rows(grid, header, where, problems)
    if duplicates or not body:
        return empty_frame()
    value_columns = layout.fields["value"][:1] if layout.kind == "long" else [
        index for index, _ in layout.years
    ]
    spread = merged_values(grid, header, body, value_columns, where)
    if spread:
        problems.extend(spread)
        return empty_frame()
    table = pd.DataFrame([cells for _, cells in body], dtype=object)
    numbers = [number for number, _ in body]
    if layout.kind == "long":
        frame = long_frame(table, numbers, header, layout)
    else:
        frame = wide_frame(table, numbers, header, layout)
    return finish(frame, name, grid.sheet)
