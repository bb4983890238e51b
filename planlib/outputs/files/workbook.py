"""One table as an .xlsx workbook, byte-identical on rerun and safe to open.

openpyxl stamps the workbook's created/modified dates and every zip entry with the
current time; both are fixed here (``SOURCE_DATE_EPOCH`` if set, else 2000-01-01), so
the same table gives the same bytes. Text that a spreadsheet would run as a formula is
stored as text with Excel's own quote prefix (the cell shows ``=1+1`` and runs nothing,
as when a user types ``'=1+1``), and a literal ``_x000C_`` is stored as Excel stores
typed text (``_x005F_x000C_``), so it never reads back as a control character; see
``safe_cells``.
"""

from __future__ import annotations

import io
import math
import os
import zipfile
from datetime import UTC, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.writer.excel import ExcelWriter

from planlib.outputs.files.safe_cells import xlsx_text
from planlib.outputs.files.zip_stamp import fixed_zip

_FIXED_TIME = datetime(2000, 1, 1)


def _stamp() -> datetime:
    """The time recorded in the workbook: SOURCE_DATE_EPOCH if set, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return _FIXED_TIME


def _cell_value(value: object) -> object:
    """A frame value as openpyxl writes it: missing values become empty cells."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _store_text(cell: Cell) -> None:
    """Set a text cell as Excel must read it back: escapes kept literal, never a formula."""
    stored, formula_like = xlsx_text(cell.value)
    cell.value = stored
    if formula_like:
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Sheet1") -> bytes:
    """``frame`` as a one-sheet workbook (header row, then one row per record)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    sheet.append([str(c) for c in frame.columns])
    for record in frame.itertuples(index=False, name=None):
        sheet.append([_cell_value(v) for v in record])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                _store_text(cell)
    stamp = _stamp()
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "planlib"
    buf = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() would overwrite 'modified' with the clock
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return fixed_zip(buf.getvalue(), stamp)
