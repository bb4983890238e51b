"""Targets written in a data file: a table of area targets (地区 | 指标 | 目标), or a
target column beside the years on an area sheet ("2025年目标", "目标值").

Such columns used to be skipped; they are now read, one target per row with a value,
unparsed (``target_raw``) and located like any cell, with the year the header names
(None for a plain 目标). Which area a row is about is decided later with the
observations' (its 地区 cell, or its sheet: ``inputs.areas``).
"""

from __future__ import annotations

import pandas as pd

from planlib.inputs.reading.frames import field_label, pick_column
from planlib.inputs.reading.grid import cell_text
from planlib.inputs.reading.header import Header
from planlib.inputs.reading.layout import Layout
from planlib.inputs.reading.year_headers import year_in

TARGET_COLUMNS: tuple[str, ...] = (
    "indicator_id", "name_zh", "region", "target_raw", "target_year", "_file", "_row",
    "_column", "_sheet", "_id_column",
)


def target_columns(header: Header, layout: Layout) -> list[tuple[int, int | None]]:
    """(column index, year the header names) of every target column of a table."""
    plain = [(i, year_in(header.labels[i])) for i in layout.fields.get("target", [])]
    dated = [(i, year_in(header.labels[i])) for i, head in layout.year_notes.items()
             if head.skip == "column_target"]
    return sorted(plain + dated)


def target_frame(table: pd.DataFrame, numbers: list[int], header: Header, layout: Layout,
                 name: str, sheet: str | None) -> pd.DataFrame:
    """One row per non-blank target cell of the table's target columns."""
    parts = []
    for index, year in target_columns(header, layout):
        cells = table[index]
        filled = cells.notna() & cells.astype("str").str.strip().ne("")
        part = pd.DataFrame({
            "indicator_id": pick_column(table, layout, "indicator_id"),
            "name_zh": pick_column(table, layout, "name_zh"),
            "region": pick_column(table, layout, "region"),
            "target_raw": cells.astype(object),  # cells as read, whatever the table
            "target_year": year,
            "_row": numbers,
        })[filled.to_numpy()]
        parts.append(part.assign(_column=header.labels[index],
                                 _id_column=field_label(header, layout, layout.identity)))
    if not parts:
        return empty_targets()
    out = pd.concat(parts, ignore_index=True).assign(_file=name, _sheet=sheet)
    for column in ("indicator_id", "name_zh", "region"):
        text = out[column].map(cell_text, na_action="ignore").astype("string")
        out[column] = text.where(text.ne(""))
    return out.loc[:, list(TARGET_COLUMNS)]


def empty_targets() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in TARGET_COLUMNS})
