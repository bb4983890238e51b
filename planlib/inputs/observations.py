"""Load a plan's observation files into one tidy, validated frame.

Reads every file matched by the plan's globs (readers), parses the dirty cells (numbers),
runs every check (validation) and reports all problems at once. Later files override
earlier ones per (indicator, region, year), with a warning naming each replaced value.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planlib import config
from planlib.errors import InputError, Problem
from planlib.inputs import validation
from planlib.inputs.numbers import parse_numbers, parse_years
from planlib.inputs.plan import Plan
from planlib.inputs.reading import file_label, read_table

#: Columns of the tidy observations frame, in order.
TIDY_COLUMNS: list[str] = [
    "indicator_id", "region", "year", "value", "flag", "confidence",
    "name_zh", "name_en", "unit", "source", "note", "file", "row",
]
KEY: list[str] = ["indicator_id", "region", "year"]
_TEXT_COLUMNS = ["flag", "confidence", "name_zh", "name_en", "unit", "source", "note"]
_LABEL_DEFAULTS = {"_id_column": "indicator_id", "_year_column": "year", "_flag_column": "flag"}


class DataWarning(UserWarning):
    """Something the user should know about their data that does not stop the run."""


@dataclass
class LoadedObservations:
    """Tidy observations plus what the user should be told about them."""

    frame: pd.DataFrame
    files: list[Path]
    warnings: list[str] = field(default_factory=list)


def _read_all(files: Sequence[Path]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read every file, collecting file-level problems instead of stopping at the first."""
    frames, problems = [], []
    for order, path in enumerate(files):
        try:
            raw = read_table(path, display_name=config.display_path(path))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        frames.append(raw.assign(_order=order))
    if not frames:
        return pd.DataFrame(), problems
    frame = pd.concat(frames, ignore_index=True)
    frame["_book"] = frame["_file"]
    sheet = frame["_sheet"].notna()
    frame.loc[sheet, "_file"] = [
        file_label(f, s) for f, s in zip(frame.loc[sheet, "_file"], frame.loc[sheet, "_sheet"],
                                         strict=True)
    ]
    for col, label in _LABEL_DEFAULTS.items():
        if col not in frame:
            frame[col] = label
    return frame, problems


def _parse(frame: pd.DataFrame, plan: Plan) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Parse cells and run every check; return the parsed frame, problems and warnings."""
    frame = frame.copy()
    frame["indicator_id"] = frame["indicator_id"].astype("string").str.strip()
    frame["region"] = frame["region"].astype("string").str.strip().fillna("")
    frame["value"], bad_value = parse_numbers(frame["value_raw"])
    frame["year"], bad_year = parse_years(frame["year_raw"])
    frame["flag_raw"] = frame["flag"]
    frame["flag"], unknown_flag = validation.normalise_flags(frame["flag"])
    problems, notes = validation.check_ids(frame, plan)
    problems += validation.check_years(frame, bad_year)
    problems += validation.check_values(frame, bad_value, plan)
    problems += validation.check_flags(frame, unknown_flag)
    problems += validation.check_duplicates(frame)
    problems += validation.check_sheet_conflicts(frame)
    return frame, problems, notes


def _override(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Keep the last file's value per key; describe every value that was replaced."""
    frame = frame.sort_values(["_order", "_row"], kind="stable")
    replaced = frame[frame.duplicated(KEY, keep="last")]
    kept = frame.drop_duplicates(KEY, keep="last")
    notes = []
    if not replaced.empty:
        winners = kept.set_index(KEY)
        for row in replaced.to_dict("records"):
            new = winners.loc[tuple(row[k] for k in KEY)]
            where = f"{row['indicator_id']}{' ' + row['region'] if row['region'] else ''}"
            notes.append(
                f"{where} {int(row['year'])}: {row['value']:g} ({row['_file']} row "
                f"{row['_row']}) replaced by {new['value']:g} ({new['_file']} row {new['_row']})"
            )
        notes.insert(0, f"{len(notes)} value(s) replaced by later files:")
    return kept, notes


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Final shape: documented columns and dtypes, sorted by key, index reset."""
    out = frame.rename(columns={"_file": "file", "_row": "row"})
    for col in _TEXT_COLUMNS:
        out[col] = out[col].astype("string").str.strip().replace("", pd.NA)
    out = out[TIDY_COLUMNS].astype(
        {"year": "int64", "value": "float64", "row": "int64", "region": "string",
         "indicator_id": "string", "file": "string"}
    )
    return out.sort_values(KEY, kind="stable").reset_index(drop=True)


def read_observations(plan: Plan, files: Sequence[Path] | None = None) -> LoadedObservations:
    """Read, check and merge a plan's data files (or the given ones).

    Raises InputError listing every problem in every file; returns the tidy frame and
    the warnings otherwise. Never writes anything.
    """
    paths = list({Path(f).resolve(): Path(f) for f in files}.values()) if files else (
        plan.data_files())  # a file given twice is read once
    if not paths:
        raise InputError([
            Problem(config.display_path(plan.path) if plan.path else plan.id, None, "data",
                    ", ".join(plan.data), "no data file matches the plan's data globs",
                    "put CSV/XLSX files beside plan.yaml or correct the 'data' globs")
        ])
    frame, problems = _read_all(paths)
    notes: list[str] = []
    if not frame.empty:
        frame, more, notes = _parse(frame, plan)
        problems += more
    if problems:
        raise InputError(problems)
    frame = frame[frame["value"].notna()]
    kept, replaced = _override(frame)
    gaps = validation.check_flow_gaps(kept, plan)
    if gaps:
        raise InputError(gaps)
    tidy = _tidy(kept)
    missing = sorted({i.series_id for i in plan.indicators} - set(tidy["indicator_id"]))
    if missing:
        notes.append("no observations for plan indicator(s): " + ", ".join(missing))
    return LoadedObservations(tidy, paths, notes + replaced)


def load_observations(plan: Plan, files: Sequence[Path] | None = None) -> pd.DataFrame:
    """Tidy observations of a plan; warnings are issued as ``DataWarning`` (notebook use)."""
    loaded = read_observations(plan, files)
    for note in loaded.warnings:
        warnings.warn(note, DataWarning, stacklevel=2)
    return loaded.frame
