"""Data rows into the raw long frame: long tables as they are, wide tables melted."""

from __future__ import annotations

import pandas as pd

from planlib.inputs.reading.columns import COLUMNS, LABEL_COLUMNS, TEXT_FIELDS
from planlib.inputs.reading.grid import cell_text
from planlib.inputs.reading.header import Header
from planlib.inputs.reading.layout import Layout


def long_frame(
    table: pd.DataFrame, numbers: list[int], header: Header, layout: Layout
) -> pd.DataFrame:
    value_label = header.labels[layout.fields["value"][0]]
    frame = pd.DataFrame(
        {
            "indicator_id": pick_column(table, layout, "indicator_id"),
            "year_raw": pick_column(table, layout, "year"),
            "value_raw": pick_column(table, layout, "value"),
            **{field: pick_column(table, layout, field) for field in TEXT_FIELDS},
        }
    )
    return frame.assign(
        _row=numbers,
        _column=value_label,
        _id_column=field_label(header, layout, layout.identity),
        _year_column=field_label(header, layout, "year"),
        _flag_column=field_label(header, layout, "flag"),
        _unit_column=field_label(header, layout, "unit"),
    )


def wide_frame(
    table: pd.DataFrame, numbers: list[int], header: Header, layout: Layout
) -> pd.DataFrame:
    """Melt the year columns; blank year cells are simply absent observations."""
    base = pd.DataFrame(
        {
            "indicator_id": pick_column(table, layout, "indicator_id"),
            **{field: pick_column(table, layout, field) for field in TEXT_FIELDS},
            "_row": numbers,
        }
    ).assign(
        _id_column=field_label(header, layout, layout.identity),
        _flag_column=field_label(header, layout, "flag"),
        _unit_column=field_label(header, layout, "unit"),
    )
    parts = [
        base.assign(
            year_raw=[_year_cell(header, layout, index, year)] * len(base),
            value_raw=table[index],
            flag=_column_flag(base["flag"], layout, index),
            _column=header.labels[index],
            _year_column=header.labels[index],
            _position=index,
        )
        for index, year in layout.years
    ]
    melted = pd.concat(parts, ignore_index=True)
    values = melted["value_raw"]
    blank = values.isna() | values.astype("str").str.strip().eq("")
    melted = melted.loc[~blank.astype(bool)]
    melted = melted.sort_values(["_row", "_position"], kind="stable")
    return melted.drop(columns="_position").reset_index(drop=True)


def _year_cell(header: Header, layout: Layout, index: int, year: int) -> object:
    """The header cell as written, or the year it was read as when it says more
    ("2022年（初步）", a date), so that parsing the year sees the year."""
    return year if index in layout.year_notes else header.cells[index]


def _column_flag(flags: pd.Series, layout: Layout, index: int) -> pd.Series:
    """The row's own flag, else the flag its year header gives (2022年（初步）)."""
    head = layout.year_notes.get(index)
    if head is None or head.flag is None:
        return flags
    return flags.where(flags.notna() & flags.astype("str").str.strip().ne(""), head.flag)


def finish(frame: pd.DataFrame, name: str, sheet: str | None) -> pd.DataFrame:
    """Set the contract's column order and dtypes."""
    out = frame.assign(
        indicator_id=_text(frame["indicator_id"]),
        year_raw=frame["year_raw"].astype(object),
        value_raw=frame["value_raw"].astype(object),
        **{field: _text(frame[field]) for field in TEXT_FIELDS},
        _file=name,
        _row=frame["_row"].astype("int64"),
        _column=frame["_column"].astype("str"),
        _sheet=sheet,
        **{column: frame[column].astype("str") for column in LABEL_COLUMNS},
    )
    out["_file"] = out["_file"].astype("str")
    out["_sheet"] = out["_sheet"].astype("str")
    return out.loc[:, list(COLUMNS)].reset_index(drop=True)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in COLUMNS})


def pick_column(table: pd.DataFrame, layout: Layout, field: str) -> pd.Series:
    """The column for a field (its first, if several), or an all-missing column."""
    indices = layout.fields.get(field)
    if not indices:
        return pd.Series(None, index=table.index, dtype=object)
    return table[indices[0]]


def field_label(header: Header, layout: Layout, field: str) -> str:
    """The label of a field's column as shown in the file, or the field name if absent."""
    indices = layout.fields.get(field)
    return header.labels[indices[0]] if indices else field


def _text(column: pd.Series) -> pd.Series:
    """Cells as stripped display text, blank as missing, in pandas' string dtype."""
    if not column.notna().any():  # a field the file lacks: the same, without the work
        return pd.Series(index=column.index, dtype=_shown(column.iloc[:0]).dtype)
    return _shown(column)


def _shown(column: pd.Series) -> pd.Series:
    """`_text` of a column, cell by cell where the cells are not all text."""
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        shown = column.astype("str").str.strip()  # all text (CSV): vectorised
    else:
        shown = column.map(cell_text, na_action="ignore").astype("str")
    return shown.where(shown.ne("") & shown.notna())
