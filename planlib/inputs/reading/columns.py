"""The columns of the raw long frame that reading a file returns."""

from __future__ import annotations

TEXT_FIELDS: tuple[str, ...] = (
    "region",
    "flag",
    "confidence",
    "source",
    "note",
    "name_zh",
    "name_en",
    "unit",
)
#: Labels the user sees for the id, year and flag columns, so that problems about those
#: cells name the column as shown ("年份", or "2021年" in a wide table).
LABEL_COLUMNS: tuple[str, ...] = ("_id_column", "_year_column", "_flag_column", "_unit_column")
COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "year_raw",
    "value_raw",
    *TEXT_FIELDS,
    "_file",
    "_row",
    "_column",
    "_sheet",
    *LABEL_COLUMNS,
)
