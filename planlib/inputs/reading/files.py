"""Which files can be read, and reading one into grids (one per CSV, one per sheet)."""

from __future__ import annotations

from pathlib import Path

from planlib.inputs.reading.csv_files import csv_grid
from planlib.inputs.reading.grid import Grid
from planlib.inputs.reading.problems import file_error
from planlib.inputs.reading.read_limits import check_csv_size
from planlib.inputs.reading.xls_files import xls_grids
from planlib.inputs.reading.xlsx_files import xlsx_grids

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLS_SUFFIXES = (".xls",)
SUPPORTED_SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES + XLS_SUFFIXES


def read_grids(path: Path, name: str) -> list[Grid]:
    """Dispatch on the file suffix; unsupported or missing files are problems."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise file_error(name, "this is a folder, not a file", "give the files inside it instead")
    if suffix not in SUPPORTED_SUFFIXES:
        raise file_error(
            name,
            f"unsupported file type '{path.suffix or '(none)'}'",
            f"save it as one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    if not path.is_file():
        raise file_error(name, "file not found", "check the path and the data globs in plan.yaml")
    try:
        if suffix in CSV_SUFFIXES:
            check_csv_size(path.stat().st_size, name)
        with path.open("rb") as handle:
            data = handle.read() if suffix in CSV_SUFFIXES else b""
    except OSError as exc:
        raise file_error(
            name,
            f"cannot read the file ({exc.strerror or type(exc).__name__})",
            "give yourself read permission (chmod u+r), close it in any program locking it, "
            "or copy it to a folder you can read",
        ) from None
    if suffix in CSV_SUFFIXES:
        return [csv_grid(data, name)]
    if suffix in XLS_SUFFIXES:
        return xls_grids(path, name)
    return xlsx_grids(path, name)
