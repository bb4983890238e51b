"""Read one observation file into a raw long frame: the public entry to ``reading``.

The work is done in :mod:`planlib.inputs.reading`, split by what each step handles
(CSV files, workbooks, the header, the frame); this module keeps the import path
``planlib.inputs.reading`` that the rest of planlib uses.
"""

from planlib.inputs.reading import (
    COLUMNS,
    CSV_SUFFIXES,
    LABEL_COLUMNS,
    SUPPORTED_SUFFIXES,
    TEXT_FIELDS,
    XLSX_SUFFIXES,
    file_label,
    read_table,
)

__all__ = [
    "COLUMNS",
    "CSV_SUFFIXES",
    "LABEL_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "TEXT_FIELDS",
    "XLSX_SUFFIXES",
    "file_label",
    "read_table",
]
