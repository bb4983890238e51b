"""The report's tables as XLSX (headers in the report's language) and CSV (UTF-8 with
BOM), byte-identical on rerun and formula-safe: both through the shared writers of
planlib.outputs.files.atomic (``xlsx_bytes``, ``csv_bytes``), so every table planlib writes
follows the same rules."""

from __future__ import annotations

import math

import pandas as pd

from planlib.core import labels
from planlib.core.result import IndicatorResult
from planlib.outputs.files.atomic import csv_bytes, xlsx_bytes


def rounded(x: float | None, places: int) -> float | None:
    """A table number as the report prints it (None for a missing one)."""
    return None if x is None or math.isnan(x) else round(float(x), places)


def identity_cells(r: IndicatorResult, lang: str) -> dict[str, object]:
    """The first cells of every exported row: id, region, name, unit and nature, with
    headers in ``lang`` (one definition for the mid-term, final and planning tables)."""
    zh = lang == "zh"
    return {
        ("指标代码" if zh else "indicator_id"): r.id,
        ("地区" if zh else "region"): r.region,
        ("指标" if zh else "indicator"): r.name(lang),
        ("单位" if zh else "unit"): r.indicator.unit if zh else (
            r.indicator.unit_en or r.indicator.unit),
        ("属性" if zh else "nature"): labels.label(r.indicator.nature, lang),
    }


def table_xlsx_bytes(frame: pd.DataFrame, sheet_name: str) -> bytes:
    """One table as a one-sheet workbook."""
    return xlsx_bytes(frame, sheet_name)


def table_csv_bytes(frame: pd.DataFrame) -> bytes:
    """One table as CSV, UTF-8 with BOM (Excel reads the Chinese headers correctly)."""
    return csv_bytes(frame)
