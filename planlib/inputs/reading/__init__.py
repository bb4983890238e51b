"""Read one observation file (CSV, XLSX or XLS, long or wide) into a raw long frame.

Users keep observations the way statistical offices and Excel users do: a long table
(indicator, year, value), or a wide one with a column per year ("2021年"), saved as CSV in
UTF-8, UTF-8 with BOM or GB18030, or as a workbook with title rows and merged headers.
This package finds the header, the layout and the encoding by itself and returns one row
per data cell, still unparsed (``value_raw``, ``year_raw``), with the file, sheet, row
and column exactly as the user sees them in Excel, so every later problem can point at
the cell to fix. Unreadable input raises one :class:`InputError` listing every problem.

Modules, in reading order: ``files`` (which files, dispatch) → ``csv_files`` /
``xlsx_files`` (bytes or workbook → ``grid``; hidden sheets, rows and columns left
out; ``xls_files`` presents an .xls sheet to the .xlsx code) → ``header`` (with
``fields``, ``layout``, ``year_headers`` for "2022年（初步）") → ``data_rows``
(``note_rows`` takes 注：/数据来源： rows out) → ``frames``; ``table`` ties them
together and returns the notes the user should see (``read_file``); ``plain_csv`` is
the columnar fast path for plain long CSV files; ``column_problems`` and ``problems``
word what goes wrong; ``columns`` is the frame's contract. Rows named by 指标 are
matched to the plan later (``inputs.indicator_names``).
"""

from planlib.inputs.reading.columns import COLUMNS, LABEL_COLUMNS, TEXT_FIELDS
from planlib.inputs.reading.files import (
    CSV_SUFFIXES,
    SUPPORTED_SUFFIXES,
    XLS_SUFFIXES,
    XLSX_SUFFIXES,
)
from planlib.inputs.reading.problems import file_label
from planlib.inputs.reading.table import ReadResult, read_file, read_table

__all__ = [
    "COLUMNS",
    "CSV_SUFFIXES",
    "LABEL_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "TEXT_FIELDS",
    "XLSX_SUFFIXES",
    "XLS_SUFFIXES",
    "ReadResult",
    "file_label",
    "read_file",
    "read_table",
]
