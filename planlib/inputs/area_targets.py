"""Targets per area (DESIGN.md §8): from plan.yaml, a table of area targets, or a target
column (2025年目标) on area sheets; onto ``Indicator.targets_by_region``.

A target for an area has the meaning of the indicator's own target (its ``target.kind``):
a level for level targets, the total to add over the plan for ``cumulative_increase``.
What the files give is read like any cell (located, numbers as ``parse_numbers`` reads
them). A target for the total (全区, 合计) is the plan's own: one that differs from
plan.yaml's is said, and plan.yaml's is kept. Two different targets for one area (two
files, or a file and plan.yaml) are refused, as is a target column naming another year
than the indicator's target year. A cell that is not a number ("≥85%", "按上级要求") is
said and not read: such columns were skipped before and must not now stop a run.
"""

from __future__ import annotations

import pandas as pd

from planlib.errors import Problem
from planlib.inputs import areas
from planlib.inputs.indicator_names import match_names
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.numbers import parse_numbers
from planlib.inputs.plan import Plan

#: Columns of the tidy area-targets frame.
TARGET_COLUMNS = ["indicator_id", "region", "target", "file", "row", "column"]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "target" else "object")
                         for c in TARGET_COLUMNS})


def parse_targets(
    raw: pd.DataFrame, plan: Plan
) -> tuple[pd.DataFrame, list[Problem], list[InputWarning]]:
    """The target cells read from files as a tidy frame (regions as compared: the total
    is ""), with the problems and warnings about them."""
    if raw.empty:
        return empty(), [], []
    frame = raw.copy()
    frame["indicator_id"] = frame["indicator_id"].astype("string").str.strip()
    frame["indicator_id"] = match_names(frame, plan).ids  # unmatched names: said with the data
    frame = frame[frame["indicator_id"].isin({i.series_id for i in plan.indicators})].copy()
    frame["region"] = areas.regions(frame["region"], plan.plan.area)
    frame["target"], bad = parse_numbers(frame["target_raw"])
    notes = [InputWarning("target_not_read", {}, str(r["_file"]), int(r["_row"]),
                          str(r["_column"]), str(r["target_raw"]))
             for r in frame[bad].to_dict("records")]
    frame = frame[frame["target"].notna()]
    problems = _wrong_years(frame, plan)
    tidy = frame.rename(columns={"_file": "file", "_row": "row", "_column": "column"})
    return tidy.loc[:, TARGET_COLUMNS].reset_index(drop=True), problems, notes


def _wrong_years(frame: pd.DataFrame, plan: Plan) -> list[Problem]:
    """A target column for another year than the indicator's target year."""
    years = {i.series_id: i.target_year for i in plan.indicators}
    problems = []
    for r in frame[frame["target_year"].notna()].to_dict("records"):
        want = years[r["indicator_id"]]
        if int(r["target_year"]) != want:
            problems.append(Problem(
                str(r["_file"]), int(r["_row"]), str(r["_column"]), str(r["target_raw"]),
                f"{r['indicator_id']}: a target for {int(r['target_year'])}, but the plan's "
                f"target year is {want}",
                f"head the column {want}年目标, or set the indicator's target.year in "
                "plan.yaml"))
    return problems


def merge_targets(
    plan: Plan, targets: pd.DataFrame
) -> tuple[dict[str, dict[str, float]], list[Problem], list[InputWarning]]:
    """Indicator id -> area -> target: plan.yaml's targets_by_region and the files', with
    the problems (two different targets for one area) and warnings (a total's target
    differing from plan.yaml's)."""
    problems: list[Problem] = []
    notes: list[InputWarning] = []
    merged: dict[str, dict[str, float]] = {}
    plan_file = str(plan.path.name) if plan.path else "plan.yaml"
    for ind in plan.indicators:
        mine = dict(ind.targets_by_region)
        where = {area: f"{plan_file} (targets_by_region)" for area in mine}
        rows = targets[targets["indicator_id"] == ind.series_id]
        for r in rows.to_dict("records"):
            area, value = str(r["region"]), float(r["target"])
            if area == "":
                if ind.target is not None and value != ind.target.value:
                    notes.append(InputWarning(
                        "total_target_differs",
                        {"id": ind.id, "value": value, "plan": ind.target.value},
                        str(r["file"]), int(r["row"]), str(r["column"])))
                continue
            if area in mine and mine[area] != value:
                problems.append(Problem(
                    str(r["file"]), int(r["row"]), str(r["column"]), f"{value:g}",
                    f"{ind.id} {area}: target {value:g} here but {mine[area]:g} in "
                    f"{where[area]}",
                    "give each area's target once (in one file, or in plan.yaml)"))
                continue
            mine[area] = value
            where[area] = f"{r['file']} row {r['row']}"
        merged[ind.id] = mine
    return merged, problems, notes


def with_area_targets(plan: Plan, merged: dict[str, dict[str, float]]) -> Plan:
    """The plan with every indicator's ``targets_by_region`` as merged (a copy)."""
    indicators = [ind.model_copy(update={"targets_by_region": merged.get(ind.id, {})})
                  for ind in plan.indicators]
    return plan.model_copy(update={"indicators": indicators})
