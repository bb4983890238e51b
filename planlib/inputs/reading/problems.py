"""How reading names a file in a problem, and the problems about a whole file."""

from __future__ import annotations

import pandas as pd

from planlib.errors import InputError, Problem


def file_label(file: str, sheet: str | None) -> str:
    """How a problem names a file (and sheet, for a workbook): "obs.xlsx, sheet 'Data'"."""
    return file if sheet is None or pd.isna(sheet) else f"{file}, sheet '{sheet}'"


def no_data(name: str) -> Problem:
    return Problem(
        name,
        None,
        None,
        None,
        "file has no data rows",
        "add rows below the header with an indicator id, a year and a value",
    )


def file_error(name: str, message: str, fix: str, row: int | None = None) -> InputError:
    """An InputError for a whole-file problem."""
    return InputError([Problem(name, row, None, None, message, fix)])
