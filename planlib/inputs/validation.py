"""Checks on parsed observations, vectorised: each check is a boolean mask over all rows.

Input is the raw long frame of ``readers.read_table`` (all files concatenated) with parsed
``year`` and ``value`` columns added. Every check returns Problems naming file, Excel row,
column, value and a fix; the caller reports them all at once.
"""

from __future__ import annotations

import math

import pandas as pd

from planlib.core.targets.registry import kind_of
from planlib.errors import Problem
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.plan import Indicator, Plan
from planlib.inputs.units import is_count, is_percent

YEAR_MIN, YEAR_MAX = 1900, 2100
#: Beyond this magnitude sums of squares overflow a float: results would be silently wrong.
VALUE_LIMIT = 1e100

#: Canonical flags (DESIGN.md §2) and the spellings accepted for them.
FLAG_ALIASES: dict[str, str] = {
    "provisional": "provisional",
    "初步": "provisional",
    "初步数": "provisional",
    "derived": "derived",
    "推算": "derived",
    "推算数": "derived",
    "lower_bound": "lower_bound",
    "lower bound": "lower_bound",
    "下限": "lower_bound",
    "break": "break",
    "口径调整": "break",
    "口径变化": "break",
}
FLAGS: tuple[str, ...] = ("provisional", "derived", "lower_bound", "break")

def _problems(
    frame: pd.DataFrame, mask: pd.Series, column: str, value: str, message: str, fix: str,
) -> list[Problem]:
    """One Problem per row selected by ``mask``.

    ``column`` names a frame column holding the label the user sees (e.g. ``_column``),
    or, when the frame has no such column, is used as the label itself. ``message`` and
    ``fix`` are format strings over the row's fields (``{indicator_id}``, ``{year}``...).
    """
    selected = mask.fillna(False).astype(bool)
    if not selected.any():
        return []
    hit = frame.loc[selected]
    out = []
    for row in hit.to_dict("records"):
        label = row.get(column, column)
        raw = row.get(value)
        fields = {k: ("" if _missing(v) else v) for k, v in row.items()}
        out.append(
            Problem(
                str(row["_file"]),
                None if _missing(row.get("_row")) else int(row["_row"]),
                None if _missing(label) else str(label),
                None if _missing(raw) else str(raw),
                message.format(**fields),
                fix.format(**fields),
            )
        )
    return out


def _missing(v: object) -> bool:
    """True for None/NA/NaN scalars."""
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def normalise_flags(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Map flag spellings to canonical flags; return (flags, mask of unknown flags)."""
    text = raw.astype("string").str.strip().str.lower()
    text = text.mask(text == "", pd.NA)
    canon = text.map(FLAG_ALIASES, na_action="ignore")
    unknown = text.notna() & canon.isna()
    return canon.astype("string"), unknown


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and
    transpositions of neighbours each cost 1 (so 'rtae' is 1 from 'rate')."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def likely_typo(unknown: str, known: list[str]) -> str | None:
    """The plan id ``unknown`` is probably a misspelling of (one or two keystrokes away)."""
    limit = 1 if len(unknown) < 10 else 2
    best = min(known, key=lambda k: (edit_distance(unknown, k), k), default=None)
    if best is not None and edit_distance(unknown, best) <= limit:
        return best
    return None


def check_ids(frame: pd.DataFrame, plan: Plan) -> tuple[list[Problem], list[InputWarning]]:
    """Missing ids are errors; ids close to a plan id are typos (errors); others are kept.

    Statistical files often carry context series the plan does not target (the national
    file has 19, the plan 8): those are kept in the tidy output, with a warning unless the
    plan declares them under ``context:`` (plan_drivers).
    """
    problems = _problems(
        frame, frame["indicator_id"].isna() | (frame["indicator_id"] == ""), "_id_column",
        "indicator_id", "indicator id is empty", "fill in the indicator id of this row",
    )
    known = sorted({ind.series_id for ind in plan.indicators} | {c.id for c in plan.context})
    ids = frame["indicator_id"].dropna()
    unknown = sorted(set(ids) - set(known) - {""})
    warnings: list[InputWarning] = []
    context: list[str] = []
    for uid in unknown:
        close = likely_typo(uid, known)
        if close:
            problems += _problems(
                frame, frame["indicator_id"] == uid, "_id_column", "indicator_id",
                f"unknown indicator id (did you mean '{close}'?)",
                f"correct it to '{close}' or add '{uid}' to plan.yaml",
            )
        else:
            context.append(uid)
    if context:
        warnings.append(InputWarning("series_not_in_plan",
                                     {"n": len(context), "series": context}))
    return problems, warnings


def check_values(frame: pd.DataFrame, bad_value: pd.Series, plan: Plan) -> list[Problem]:
    """Non-numbers, values outside the indicator's bounds, and negative counts."""
    problems = _problems(
        frame, bad_value, "_column", "value_raw", "value is not a number",
        "write a plain number such as 57.3 (\"57.3%\", \"1,234\" are fine); "
        "leave the cell empty or write — if there is no value",
    )
    lows = {i.series_id: i.bounds[0] for i in plan.indicators}
    highs = {i.series_id: i.bounds[1] for i in plan.indicators}
    lo = frame["indicator_id"].map(lows).astype("float64")
    hi = frame["indicator_id"].map(highs).astype("float64")
    value = frame["value"]
    fix = "check the unit (a rate of 573 may mean 57.3 %) or the bounds in plan.yaml"
    problems += _problems(
        frame.assign(_bound=lo), value < lo, "_column", "value_raw",
        "{indicator_id} {year}: value below its lower bound {_bound:g}", fix,
    )
    problems += _problems(
        frame.assign(_bound=hi), value > hi, "_column", "value_raw",
        "{indicator_id} {year}: value above its upper bound {_bound:g}", fix,
    )
    problems += _problems(
        frame, value.abs() >= VALUE_LIMIT, "_column", "value_raw",
        "{indicator_id} {year}: value too large to compute with",
        f"check the cell and the unit; values must lie within ±{VALUE_LIMIT:g}",
    )
    plan_units = {i.series_id: i.unit for i in plan.indicators}
    unit = frame["indicator_id"].map(plan_units).astype("string")
    unit = unit.fillna(frame["unit"].astype("string")).fillna("")
    counts = {text: is_count(text) for text in unit.unique()}  # one rule: units.is_count
    counted = unit.map(counts).astype(bool) & lo.isna()
    problems += _problems(
        frame, counted & (value < 0), "_column", "value_raw",
        "{indicator_id} {year}: a count cannot be negative",
        "check the sign; record a fall as a lower level, not a negative count",
    )
    return problems


def check_years(frame: pd.DataFrame, bad_year: pd.Series) -> list[Problem]:
    """Years that are not years, lie outside 1900–2100, or are missing beside a value."""
    year = frame["year"]
    impossible = year.notna() & ((year < YEAR_MIN) | (year > YEAR_MAX))
    empty = year.isna() & ~bad_year & frame["value"].notna()
    return _problems(
        frame, empty, "_year_column", "year_raw", "{indicator_id}: a value without a year",
        "fill in the year of this row, or delete the row if it is a note",
    ) + _problems(
        frame, bad_year | impossible, "_year_column", "year_raw",
        "not a possible year",
        f"write a four-digit year between {YEAR_MIN} and {YEAR_MAX}, such as 2021 or 2021年",
    )


def check_flags(frame: pd.DataFrame, unknown_flag: pd.Series) -> list[Problem]:
    """Flags outside the documented set."""
    return _problems(
        frame, unknown_flag, "_flag_column", "flag_raw", "unknown flag",
        f"use one of {', '.join(FLAGS)} (or leave it empty)",
    )


def check_duplicates(frame: pd.DataFrame) -> list[Problem]:
    """The same (indicator, region, year) twice within one file."""
    keys = ["_file", "indicator_id", "region", "year"]
    valid = frame["year"].notna() & frame["indicator_id"].notna()
    dup = frame[valid].duplicated(keys, keep=False)
    dup = dup.reindex(frame.index, fill_value=False)
    if not dup.any():
        return []
    first_rows = (
        frame[dup].groupby(keys, dropna=False)["_row"].transform(lambda r: ", ".join(map(str, r)))
    )
    hit = frame[dup].assign(_rows=first_rows)
    return [
        Problem(
            str(row["_file"]), int(row["_row"]), str(row["_column"]), str(row["value_raw"]),
            f"{row['indicator_id']} {int(row['year'])} appears more than once in this file "
            f"(rows {row['_rows']})",
            "keep one row per indicator, region and year",
        )
        for _, row in hit.iterrows()
    ]


def check_sheet_conflicts(frame: pd.DataFrame) -> list[Problem]:
    """The same (indicator, region, year) with different values on two sheets of one
    workbook: sheet order is not a choice the user made, so neither value may win."""
    keys = ["_book", "indicator_id", "region", "year"]
    valid = frame["_sheet"].notna() & frame["year"].notna() & frame["value"].notna()
    sheets = frame[valid]
    if sheets.empty:
        return []
    spread = sheets.groupby(keys, dropna=False).agg(
        n_sheets=("_sheet", "nunique"), n_values=("value", "nunique"))
    clash = spread[(spread["n_sheets"] > 1) & (spread["n_values"] > 1)].index
    if clash.empty:
        return []
    hit = sheets.set_index(keys).loc[clash].reset_index()
    places = hit.groupby(keys, dropna=False)["_sheet"].transform(
        lambda s: ", ".join(f"'{x}'" for x in dict.fromkeys(s)))
    return [
        Problem(
            str(row["_file"]), int(row["_row"]), str(row["_column"]), str(row["value_raw"]),
            f"{row['indicator_id']} {int(row['year'])} has different values on sheets "
            f"{sheets_}",
            "keep the value on one sheet only (delete or correct the old sheet); if each "
            "sheet is an area, write region_from: sheet in plan.yaml",
        )
        for row, sheets_ in zip(hit.to_dict("records"), places, strict=True)
    ]


def check_flow_gaps(frame: pd.DataFrame, plan: Plan) -> list[Problem]:
    """Flow indicators (additions per year) need every year after the baseline up to the
    latest one: a missing year would be counted as nothing added. ``frame`` is the merged
    frame (after later files override earlier ones), so a gap filled by another file is
    no gap."""
    problems: list[Problem] = []
    for ind in plan.indicators:
        if ind.measure != "flow":
            continue
        t0 = int(ind.baseline.year)  # type: ignore[arg-type]
        mine = frame[(frame["indicator_id"] == ind.series_id) & (frame["year"] > t0)]
        for region, rows in mine.groupby("region", dropna=False, sort=True):
            have = set(rows["year"].astype(int))
            gaps = [y for y in range(t0 + 1, max(have)) if y not in have]
            for year in gaps:
                after = rows[rows["year"] > year].sort_values("year").iloc[0]
                where = f"{ind.series_id}{' ' + str(region) if region else ''}"
                problems.append(Problem(
                    str(after["_file"]), int(after["_row"]), None, None,
                    f"{where}: no value for {year}, but {int(after['year'])} has one; "
                    f"'{ind.id}' counts additions per year since {t0}, so the total "
                    f"would silently count {year} as 0",
                    f"add the {year} value (write 0 if nothing was added that year)",
                ))
    return problems


def check_fraction_rates(frame: pd.DataFrame, plan: Plan) -> list[Problem]:
    """A percent written as a fraction (0.897 among values near 90) is refused, not read
    as 0.897 %: the rate would collapse and every progress figure would be wrong.

    Applies to indicators in percent (unit %, or bounds [0, 100]). A value in (0, 1]
    is suspect when the series' other values are ≥ 5 and 100 times it lies among them;
    a whole series ≤ 1 is suspect when the target level is ≥ 5.
    """
    problems: list[Problem] = []
    for ind in plan.indicators:
        if not (is_percent(ind.unit) or tuple(ind.bounds) == (0, 100)):
            continue
        mine = frame[frame["indicator_id"] == ind.series_id]
        if not mine.empty:
            problems += _fractions_in(mine, ind)
    return problems


def _fractions_in(rows: pd.DataFrame, ind: Indicator) -> list[Problem]:
    """The suspect fraction rows of one indicator's series, judged per region at once (see
    :func:`check_fraction_rates`); problems in region order, then row order."""
    value = rows["value"]
    region = rows["region"].astype("string").fillna("")
    small = (value > 0) & (value <= 1)
    big = value.where(value >= 5).groupby(region)
    lo, hi = big.transform("min"), big.transform("max")
    has_big = lo.notna()
    by_range = has_big & small & (value * 100 >= lo / 1.5) & (value * 100 <= hi * 1.5)
    target_value = ind.target.value if ind.target is not None else math.nan
    level_target = ind.target is not None and target_value >= 5 \
        and kind_of(ind.target.kind).value_is_level
    by_target = ~has_big & small.groupby(region).transform("all") & level_target
    suspect = (by_range | by_target).fillna(False).astype(bool)
    if not suspect.any():
        return []
    hit = rows[suspect].assign(_scaled=value[suspect] * 100, _region=region[suspect])
    hit["_context"] = [
        f"the other values of {ind.series_id} lie between {a:g} and {b:g}" if ok
        else f"the target of {ind.id} is {target_value:g} %"
        for a, b, ok in zip(lo[suspect], hi[suspect], has_big[suspect], strict=True)]
    hit = hit.sort_values("_region", kind="stable")
    return _problems(
        hit, pd.Series(True, index=hit.index), "_column", "value_raw",
        "{indicator_id} {year}: value {value:g} looks like a fraction, but the indicator "
        "is in percent and {_context}; it would be read as {value:g} %",
        "write it in percent ({_scaled:g}), or format the cell as a percentage in Excel",
    )


def unit_problems(frame: pd.DataFrame, rows: pd.Series, plan_unit: str) -> list[Problem]:
    """Rows whose 单位 cannot be converted to the plan's unit (万人 against %), one
    problem per row of the file (a wide row has one unit for all its years)."""
    once = rows & ~frame.duplicated(["_file", "_row"])
    return _problems(
        frame.assign(_want=plan_unit), once, "_unit_column", "unit",
        "{indicator_id}: the file's unit differs from the plan's unit '{_want}' and cannot "
        "be converted to it",
        "check that the row is the right indicator; correct the unit cell, or the unit "
        "in plan.yaml (units differing by 万, 千, 亿… are converted)",
    )
