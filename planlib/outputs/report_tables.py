"""The report's tables as XLSX (one sheet per table, headers in the report's language)
and CSV (UTF-8 with BOM), byte-identical on rerun.

The XLSX writer is small and local: it fixes openpyxl's created/modified dates and the
zip dates, bolds the header, sets column widths and freezes the header row. Text that a
spreadsheet would run as a formula is stored as text.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.writer.excel import ExcelWriter

from planlib.outputs.atomic import csv_bytes
from planlib.outputs.zip_stamp import fixed_zip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A frame value as a cell: missing -> empty, numpy scalars -> Python, formulas -> text."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def _width(values: list[object]) -> float:
    """A column width in characters (CJK characters count double)."""
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v)) for v in values
                   if v is not None), default=4)
    return min(60.0, max(6.0, longest + 2.0))


def xlsx_bytes(frames: dict[str, pd.DataFrame], stamp: datetime) -> bytes:
    """``frames`` as a workbook, one sheet per frame (sheet name = key)."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in frames.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([str(c) for c in frame.columns])
        for record in frame.itertuples(index=False, name=None):
            sheet.append([_cell(v) for v in record])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E8EDF3")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = _width([c.value for c in column])
        sheet.freeze_panes = "A2"
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "planlib"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # save() would stamp 'modified' with the clock
    return fixed_zip(buf.getvalue(), stamp)


def table_csv_bytes(frame: pd.DataFrame) -> bytes:
    """One table as CSV, UTF-8 with BOM (Excel reads the Chinese headers correctly)."""
    return csv_bytes(frame)
