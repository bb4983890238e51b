"""The report's tables as XLSX (headers in the report's language) and CSV (UTF-8 with
BOM), byte-identical on rerun and formula-safe: both through the shared writers of
planlib.outputs.files.atomic (``xlsx_bytes``, ``csv_bytes``), so every table planlib writes
follows the same rules."""

from __future__ import annotations

import pandas as pd

from planlib.outputs.files.atomic import csv_bytes, xlsx_bytes


def table_xlsx_bytes(frame: pd.DataFrame, sheet_name: str) -> bytes:
    """One table as a one-sheet workbook."""
    return xlsx_bytes(frame, sheet_name)


def table_csv_bytes(frame: pd.DataFrame) -> bytes:
    """One table as CSV, UTF-8 with BOM (Excel reads the Chinese headers correctly)."""
    return csv_bytes(frame)
