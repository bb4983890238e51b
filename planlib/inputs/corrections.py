"""Several files giving the same (indicator, region, year): which value counts.

A file matched by a later data glob corrects one matched by an earlier glob, and the user
is told every value replaced. Files matched by the *same* glob have no order the user
chose (name order is an accident of naming), so two different values from them are
refused, with both values, files and rows, and how to order them. Equal values are fine.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from planlib.errors import Problem
from planlib.inputs.input_warnings import InputWarning

KEY: list[str] = ["indicator_id", "region", "year"]


def _where(row: dict) -> str:
    region = f" {row['region']}" if row["region"] else ""
    return f"{row['indicator_id']}{region} {int(row['year'])}"


def unordered_conflicts(frame: pd.DataFrame, patterns: Sequence[str | None]) -> list[Problem]:
    """Different values for one key from files of the glob that would decide it."""
    dup = frame[frame.duplicated(KEY, keep=False)]
    if dup.empty:
        return []
    winners = dup.groupby(KEY, dropna=False)["_group"].transform("max")
    top = dup[dup["_group"] == winners]
    spread = top.groupby(KEY, dropna=False)["value"].transform("nunique")
    files = top.groupby(KEY, dropna=False)["_book"].transform("nunique")
    clash = top[(spread > 1) & (files > 1)].sort_values(["_order", "_row"], kind="stable")
    problems = []
    for _, rows in clash.groupby(KEY, dropna=False, sort=True):
        records = rows.to_dict("records")
        first = records[0]
        pattern = patterns[int(first["_group"])] if patterns else None
        glob = f"the data glob '{pattern}'" if pattern else "the same list of files"
        for row in records[1:]:
            problems.append(Problem(
                str(row["_file"]), int(row["_row"]), str(row["_column"]), str(row["value_raw"]),
                f"{_where(row)}: {row['value']:g} here but {first['value']:g} in "
                f"{first['_file']} row {first['_row']}; both files are matched by {glob}, "
                "and files of one glob have no order, so neither value may win",
                "keep the value in one file only, or put the correction in a folder matched "
                "by a later pattern, e.g. data: [\"*.csv\", \"updates/*\"] (later patterns "
                "win)"))
    return problems


def apply_corrections(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[InputWarning]]:
    """Keep the last file's value per key; a warning at every value that was replaced by
    a different one (a file repeating the same value replaces nothing)."""
    frame = frame.sort_values(["_order", "_row"], kind="stable")
    replaced = frame[frame.duplicated(KEY, keep="last")]
    kept = frame.drop_duplicates(KEY, keep="last")
    notes = []
    if not replaced.empty:
        winners = kept.set_index(KEY)
        for row in replaced.to_dict("records"):
            new = winners.loc[tuple(row[k] for k in KEY)]
            if new["value"] == row["value"]:
                continue
            notes.append(InputWarning(
                "value_replaced",
                {"key": _where(row), "old": float(row["value"]), "new": float(new["value"]),
                 "new_file": str(new["_file"]), "new_row": int(new["_row"])},
                str(row["_file"]), int(row["_row"]), str(row["_column"])))
    return kept, notes
