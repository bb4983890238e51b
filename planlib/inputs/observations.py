"""Load a plan's observation files into one tidy, validated frame.

Reads every file matched by the plan's globs (reading), names rows by id or by the
indicator's name (indicator_names), parses the dirty cells (numbers), converts units
(units), runs every check (validation) and reports all problems at once. Files of a later
glob override earlier ones per (indicator, region, year), with a warning naming each
replaced value; different values from files of one glob are refused (corrections).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planlib import config
from planlib.errors import InputError, Problem
from planlib.inputs import area_targets, areas, validation
from planlib.inputs.area_sums import parts_add_up
from planlib.inputs.corrections import KEY, apply_corrections, unordered_conflicts
from planlib.inputs.data_files import special_files
from planlib.inputs.indicator_names import match_names
from planlib.inputs.input_warnings import InputWarning, warning_lines, with_codes
from planlib.inputs.numbers import footnote_marks, parse_numbers, parse_years
from planlib.inputs.plan import Plan
from planlib.inputs.reading import file_label, read_file
from planlib.inputs.units import unit_factor

#: Columns of the tidy observations frame, in order.
TIDY_COLUMNS: list[str] = [
    "indicator_id", "region", "year", "value", "flag", "confidence",
    "name_zh", "name_en", "unit", "source", "note", "file", "row",
]
_TEXT_COLUMNS = ["flag", "confidence", "name_zh", "name_en", "unit", "source", "note"]
_LABEL_DEFAULTS = {"_id_column": "indicator_id", "_year_column": "year", "_flag_column": "flag",
                   "_unit_column": "unit"}
_LISTED = 10  # series named in a problem before the rest are left out
#: Warnings that say why the plan's indicators found no data (repeated in that problem).
_WHY_NO_DATA = ("name_unmatched", "name_unmatched_close", "series_not_in_plan")


class DataWarning(UserWarning):
    """Something the user should know about their data that does not stop the run."""


@dataclass
class LoadedObservations:
    """Tidy observations plus what the user should be told about them."""

    frame: pd.DataFrame
    files: list[Path]
    warnings: list[InputWarning] = field(default_factory=list)
    #: Area targets read from the files (``area_targets.TARGET_COLUMNS``), located.
    targets: pd.DataFrame = field(default_factory=area_targets.empty)
    #: Indicator id -> area -> target: plan.yaml's targets_by_region and the files'.
    targets_by_region: dict[str, dict[str, float]] = field(default_factory=dict)

    def plan_with_targets(self, plan: Plan) -> Plan:
        """The plan with each indicator's ``targets_by_region`` from plan.yaml and files."""
        return area_targets.with_area_targets(plan, self.targets_by_region)

    def warning_lines(self, lang: str = "en") -> list[str]:
        """The warnings in ``lang``, identical ones from several places on one line."""
        return warning_lines(self.warnings, lang)


def _read_all(
    files: Sequence[tuple[int, Path]],
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem], list[InputWarning]]:
    """Read every (glob index, file), collecting problems instead of stopping at the
    first; the observations and the target cells (``reading.target_cells``)."""
    frames: list[pd.DataFrame] = []
    targets: list[pd.DataFrame] = []
    problems: list[Problem] = []
    notes: list[InputWarning] = []
    for order, (group, path) in enumerate(files):
        try:
            result = read_file(path, display_name=config.display_path(path))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        notes += result.notes
        if not result.frame.empty:
            frames.append(result.frame.assign(_order=order, _group=group))
        if not result.targets.empty:
            targets.append(result.targets.assign(_order=order))
    found = _by_sheet(pd.concat(targets, ignore_index=True)) if targets else pd.DataFrame()
    if not frames:
        return pd.DataFrame(), found, problems, notes
    frame = _by_sheet(pd.concat(frames, ignore_index=True))
    for col, label in _LABEL_DEFAULTS.items():
        if col not in frame:
            frame[col] = label
        frame[col] = frame[col].fillna(label)
    return frame, found, problems, notes


def _by_sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """The workbook as ``_book``, and ``_file`` naming the sheet as problems do."""
    frame["_book"] = frame["_file"]
    sheet = frame["_sheet"].notna()
    frame.loc[sheet, "_file"] = [
        file_label(f, s) for f, s in zip(frame.loc[sheet, "_file"], frame.loc[sheet, "_sheet"],
                                         strict=True)
    ]
    return frame


def _parse(
    frame: pd.DataFrame, plan: Plan
) -> tuple[pd.DataFrame, list[Problem], list[InputWarning]]:
    """Parse cells and run every check; return the parsed frame, problems and warnings."""
    frame = frame.copy()
    own = plan.plan.area
    frame["indicator_id"] = frame["indicator_id"].astype("string").str.strip()
    names = match_names(frame, plan)
    frame["indicator_id"] = names.ids
    frame["unit"] = frame["unit"].astype("string").fillna(names.units)
    unnamed = frame["indicator_id"].isna() & frame["name_zh"].notna()
    frame = frame[~unnamed].copy()
    frame["region"] = areas.regions(frame["region"], own)
    frame["value"], bad_value = parse_numbers(frame["value_raw"])
    frame["year"], bad_year = parse_years(frame["year_raw"])
    frame["flag_raw"] = frame["flag"]
    frame["flag"], unknown_flag = validation.normalise_flags(frame["flag"])
    problems, notes = validation.check_ids(frame, plan)
    problems = names.problems + problems
    notes += names.unmatched
    notes += _footnote_notes(frame)
    unit_problems, unit_notes = _convert_units(frame, plan)
    problems += unit_problems
    notes += unit_notes
    problems += validation.check_years(frame, bad_year)
    problems += validation.check_values(frame, bad_value, plan)
    problems += validation.check_flags(frame, unknown_flag)
    problems += validation.check_duplicates(frame)
    problems += validation.check_sheet_conflicts(frame)
    return frame, problems, notes


def _footnote_notes(frame: pd.DataFrame) -> list[InputWarning]:
    """Footnote marks dropped from values ("53.9①" is 53.9): the user is told each one."""
    marks = footnote_marks(frame["value_raw"])
    hit = frame[marks.ne("") & frame["value"].notna()]
    return [
        InputWarning("footnote_dropped", {"marks": mark}, str(file), int(row), str(column),
                     str(raw).strip())
        for file, row, column, raw, mark in zip(
            hit["_file"], hit["_row"], hit["_column"], hit["value_raw"], marks[hit.index],
            strict=True)
    ]


def _convert_units(
    frame: pd.DataFrame, plan: Plan
) -> tuple[list[Problem], list[InputWarning]]:
    """Convert values whose 单位 differs from the plan's by a magnitude (万个 → 个, in
    place); refuse units that cannot be converted."""
    plan_units = {i.series_id: i.unit for i in plan.indicators}
    given = frame["unit"].notna() & frame["indicator_id"].isin(plan_units)
    problems: list[Problem] = []
    notes: list[InputWarning] = []
    pairs = frame.loc[given, ["indicator_id", "unit"]].drop_duplicates()
    for series, unit in pairs.itertuples(index=False):
        want = plan_units[series]
        factor = unit_factor(unit, want)
        rows = given & (frame["indicator_id"] == series) & (frame["unit"] == unit)
        if factor is None:
            problems += validation.unit_problems(frame, rows, want)
        elif factor != 1.0:
            frame.loc[rows, "value"] = frame.loc[rows, "value"] * factor
            frame.loc[rows, "unit"] = want  # the tidy row's unit is the value's unit
            params = {"series": series, "unit": unit, "want": want, "factor": factor}
            notes += [InputWarning("unit_converted", params, str(f), int(r))
                      for f, r in sorted(set(zip(frame.loc[rows, "_file"],
                                                 frame.loc[rows, "_row"], strict=True)))]
    return problems, notes


def _no_plan_data(
    plan: Plan, tidy: pd.DataFrame, notes: list[InputWarning]
) -> Problem | None:
    """A run where no indicator of the plan has data evaluates nothing: refuse it."""
    series = {i.series_id for i in plan.indicators}
    if series & set(tidy["indicator_id"]):
        return None
    found = sorted(set(tidy["indicator_id"]))
    said = "; ".join(warning_lines(with_codes(notes, _WHY_NO_DATA)))
    return Problem(
        config.display_path(plan.path) if plan.path else plan.id, None, "indicators", None,
        f"none of the plan's {len(series)} indicators has data in the files read"
        + (f" (series found: {', '.join(found[:_LISTED])})" if found else "")
        + (f"; {said}" if said else ""),
        "name the rows by the plan's indicator ids or by their name_zh (a 指标 column), "
        "or list the names the files use under 'aliases:' in plan.yaml")


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
    if files:  # in the order given, each its own group; a file given twice is read once
        paths = list({Path(f).resolve(): Path(f) for f in files}.values())
        groups, patterns = list(enumerate(paths)), []
    else:
        groups, patterns = plan.data_file_groups(), list(plan.data)
        paths = [path for _, path in groups]
    if not paths:
        raise InputError([
            Problem(config.display_path(plan.path) if plan.path else plan.id, None, "data",
                    ", ".join(plan.data), "no data file matches the plan's data globs",
                    "put CSV/XLSX files beside plan.yaml or correct the 'data' globs")
        ])
    frame, raw_targets, problems, notes = _read_all(groups)
    if patterns and plan.path is not None:
        notes = special_files(plan.folder, patterns) + notes
    targets_only = frame.empty and not raw_targets.empty
    sheet_areas, area_notes = areas.sheet_region_map(frame, plan.region_from, plan.plan.area)
    notes += area_notes
    if not frame.empty:
        areas.apply_sheet_regions(frame, sheet_areas)
        frame, more, parse_notes = _parse(frame, plan)
        problems += more
        notes += parse_notes
    areas.apply_sheet_regions(raw_targets, sheet_areas)
    targets, more, target_notes = area_targets.parse_targets(raw_targets, plan)
    by_region, merge_problems, merge_notes = area_targets.merge_targets(plan, targets)
    problems += more + merge_problems
    notes += target_notes + merge_notes
    if problems:
        raise InputError(problems)
    if targets_only:
        raise InputError([Problem(
            config.display_path(plan.path) if plan.path else plan.id, None, "data", None,
            "the files read hold targets only, no observations",
            "add the files with the observed values to the plan's data globs")])
    frame = frame[frame["value"].notna()]
    conflicts = unordered_conflicts(frame, patterns)
    if conflicts:
        raise InputError(conflicts)
    kept, replaced = apply_corrections(frame)
    late = validation.check_flow_gaps(kept, plan) + validation.check_fraction_rates(kept, plan)
    if late:
        raise InputError(late)
    notes += parts_add_up(kept, plan)
    tidy = _tidy(kept)
    empty = _no_plan_data(plan, tidy, notes)
    if empty:
        raise InputError([empty])
    missing = sorted({i.series_id for i in plan.indicators} - set(tidy["indicator_id"]))
    if missing:
        notes.append(InputWarning("no_observations", {"series": missing}))
    return LoadedObservations(tidy, paths, notes + replaced, targets, by_region)


def load_observations(
    plan: Plan, files: Sequence[Path] | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Tidy observations of a plan; warnings are issued as ``DataWarning`` in ``lang``
    (notebook use)."""
    loaded = read_observations(plan, files)
    for line in loaded.warning_lines(lang):
        warnings.warn(line, DataWarning, stacklevel=2)
    return loaded.frame
