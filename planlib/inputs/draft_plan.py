"""Draft a plan.yaml from a colleague's workbook (`planlib init DIR --from WORKBOOK`).

One indicator per named row (or id) the workbook readers find, with its name and unit; a
属性 column gives ``nature``, a 2025年目标 column the ``target``, its kind read from the
wording (≥60%, 控制在5%以内, 新增2万个, 年均增长5%, 每年下降1个百分点) and the direction from
the target. Ids are suggested ASCII slugs. Every guess carries ``# check`` in the YAML,
and rows without a readable target are written commented out, so the draft validates and
evaluates as written. The wording rules are data (``_AT_LEAST`` …), one place each.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planlib.core.targets.registry import kind_of
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.numbers import parse_numbers, parse_years
from planlib.inputs.plan_codes import NATURE_NAMES
from planlib.inputs.reading import read_file
from planlib.inputs.reading.files import read_grids
from planlib.inputs.reading.grid import Grid, cell_text
from planlib.inputs.reading.header import find_header
from planlib.inputs.reading.note_rows import single_text
from planlib.inputs.units import is_percent, unit_factor

#: Header labels of the column saying 约束性 / 预期性.
_NATURE_LABELS = ("属性", "指标属性", "性质", "指标性质")
#: A header naming the targets: it holds one of these words.
_TARGET_WORDS = ("目标", "规划值", "target")
#: Target wordings, after NFKC (≥ stays ≥); the first list that matches wins, in this order.
_ANNUAL_FALL = ("每年下降", "每年降低", "每年减少", "年均下降", "年均降低", "年均减少")
_ANNUAL_RISE = ("每年提高", "每年上升", "每年增加", "年均提高", "年均上升", "年均增加")
_GROWTH = ("年均增长", "年均增速", "年均递增", "每年增长")
_CUMULATIVE = ("新增", "累计", "增加", "新建", "新开工")
_AT_MOST = ("≤", "<=", "以内", "以下", "不高于", "不超过", "控制在", "低于", "少于", "<")
_AT_LEAST = ("≥", ">=", "以上", "不低于", "不少于", "达到", "超过", "高于", "力争", ">")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(十万|百万|千万|万亿|十|百|千|万|亿)?\s*"
                     r"(个百分点|百分点|%|[^\d\s以内上下左右]{0,3})")
_COUNT_UNITS = re.compile(r"^(十|百|千|万|亿)*[个所座家位处项套间张台辆户园校班人名元]")
_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d\d)(?!\d)")


@dataclass(frozen=True)
class TargetGuess:
    """A target read from its wording: kind, value in the row's unit, direction, and
    whether any part of it was guessed rather than read (``# check``)."""

    kind: str
    value: float
    direction: str
    guessed: str = ""  # what to check, empty when the wording said it plainly


@dataclass(frozen=True)
class Series:
    """One named row of the workbook: its name, unit, observations and extra cells."""

    key: str
    name: str
    unit: str
    values: dict[int, float]
    nature: str = ""
    target_text: str = ""
    target_year: int | None = None
    by_id: bool = False  # rows keyed by an id column (指标代码), not by name


def read_target(text: str, unit: str, latest: float | None) -> TargetGuess | None:
    """The target a wording states (None when it has no number)."""
    t = unicodedata.normalize("NFKC", text).replace(" ", "")
    found = _NUMBER.search(t)
    if not found:
        return None
    value = float(found.group(1))
    written_unit = (found.group(2) or "") + found.group(3)
    if any(w in t for w in _ANNUAL_FALL + _ANNUAL_RISE):
        fall = any(w in t for w in _ANNUAL_FALL)
        return TargetGuess("annual_change", -value if fall else value,
                           "decrease" if fall else "increase")
    if any(w in t for w in _GROWTH) and "百分点" not in written_unit:
        return TargetGuess("average_growth", value, "increase" if value >= 0 else "decrease")
    value *= _scale(written_unit, unit)
    if any(w in t for w in _CUMULATIVE):
        return TargetGuess("cumulative_increase", value, "increase")
    if any(w in t and not _negated(t, w) for w in _AT_LEAST):
        return TargetGuess("level_at_least", value, "increase")
    if any(w in t for w in _AT_MOST):
        return TargetGuess("level_at_most", value, "decrease")
    rises = latest is None or value >= latest  # a bare number: the direction from the data
    return TargetGuess("level_at_least" if rises else "level_at_most", value,
                       "increase" if rises else "decrease",
                       "the wording gives no ≥/≤: kind and direction guessed from the "
                       "latest value")


def _negated(text: str, word: str) -> bool:
    """高于 inside 不高于 is an upper limit, not a floor."""
    return word in ("高于", "超过") and ("不" + word) in text


def _scale(written: str, unit: str) -> float:
    """What a target written in ``written`` (万个) is multiplied by in the row's ``unit``."""
    if not written or "百分点" in written or not unit:
        return 1.0
    if written[0] in "十百千万亿" and not _COUNT_UNITS.match(written):
        written += unit  # "新增2万" in a row counted in 个: 2万个
    return unit_factor(written, unit) or 1.0


def nature_code(text: str) -> str:
    """binding/expected from 约束性/预期性 (or the code itself), else ""."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return NATURE_NAMES.get(folded, folded if folded in ("binding", "expected") else "")


def suggested_id(name: str, number: int, taken: set[str]) -> str:
    """An ASCII id: the name's own ASCII words when it has some, else indicator_<n>."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", name).lower())
    base = "_".join(words)[:40].strip("_")
    if not base or not base[0].isalpha():
        base = f"indicator_{number}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def extra_cells(grids: Sequence[Grid]) -> dict[tuple[str | None, int], dict[str, str]]:
    """Per (sheet, row): the 属性 text, the target text and the target column's year."""
    found: dict[tuple[str | None, int], dict[str, str]] = {}
    for grid in grids:
        header = find_header(grid.rows)
        if header is None:
            continue
        nature = [i for i, lab in enumerate(header.labels) if lab.strip() in _NATURE_LABELS]
        target = [i for i, lab in enumerate(header.labels)
                  if any(w in lab.lower() for w in _TARGET_WORDS)]
        for number, cells in grid.rows[header.data_start:]:
            cell = {"nature": nature[:1], "target": target[:1]}
            row = {k: cell_text(cells[i[0]]) for k, i in cell.items()
                   if i and i[0] < len(cells)}
            if target:
                year = _YEAR.search(header.labels[target[0]])
                row["target_year"] = year.group(1) if year else ""
            found[(grid.sheet, number)] = row
    return found


def workbook_title(grids: Sequence[Grid]) -> str:
    """The first title row above the header (a merged "某区“十四五”…主要指标"), else ""."""
    for grid in grids:
        header = find_header(grid.rows)
        for _, cells in grid.rows[: header.data_start if header else 0]:
            text = single_text(cells)
            if text and not text.startswith(("单位", "填报")):
                return text
    return ""


def read_series(path: Path) -> tuple[list[Series], list[InputWarning]]:
    """Every named row of the workbook (in order) with its extra cells; and the reader's
    warnings."""
    result = read_file(path, display_name=path.name)
    frame = result.frame
    extras = extra_cells(read_grids(path, path.name))
    years, _ = parse_years(frame["year_raw"])
    values, _ = parse_numbers(frame["value_raw"])
    frame = frame.assign(year=years, value=values)
    by_id = frame["indicator_id"].notna()
    key = frame["indicator_id"].where(by_id, frame["name_zh"])
    series = []
    for name, rows in frame.groupby(key, sort=False):
        first = rows.iloc[0]
        sheet = None if pd.isna(first["_sheet"]) else first["_sheet"]
        extra = extras.get((sheet, int(first["_row"])), {})
        ok = rows.dropna(subset=["year", "value"])
        series.append(Series(
            key=str(name), name=str(first["name_zh"] if pd.notna(first["name_zh"]) else name),
            unit="" if pd.isna(first["unit"]) else str(first["unit"]),
            values={int(y): float(v) for y, v in zip(ok["year"], ok["value"], strict=True)},
            nature=extra.get("nature", ""), target_text=extra.get("target", ""),
            target_year=int(extra["target_year"]) if extra.get("target_year") else None,
            by_id=bool(by_id[rows.index[0]])))
    return series, result.notes


def _bounds(unit: str) -> str:
    if is_percent(unit):
        return "[0, 100]"
    return "[0, null]" if _COUNT_UNITS.match(unit or "-") else "[null, null]"


def _yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (safe for any text the workbook holds)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", escaped)
    return f'"{escaped}"'


def indicator_yaml(s: Series, ident: str, target: TargetGuess | None) -> list[str]:
    """The indicator's YAML lines (indented as list items), guesses marked ``# check``;
    commented out without a target (the plan needs one)."""
    lines = [f"- id: {ident}                  # check: a suggested id; rename it "
             "(ASCII letters, digits, _)",
             *([f"  series: {_yaml_text(s.key)}   # the data's 指标代码"]
               if s.by_id and s.key != ident else []),
             f"  name_zh: {_yaml_text(s.name)}",
             f"  unit: {_yaml_text(s.unit)}",
             f"  bounds: {_bounds(s.unit)}            # check: the natural range"]
    nature = nature_code(s.nature)
    lines.append(f"  nature: {nature}" if nature else
                 "  nature: unknown               # check: binding (约束性) or expected (预期性)?")
    if target is None:
        what = (f"the target {s.target_text!r} could not be read" if s.target_text
                else "no target in the workbook")
        body = ["  direction: increase           # check",
                "  target: {kind: level_at_least, value: 0}   # check: write the target"]
        return [f"  # {what}: write it, then remove the # of these lines",
                *(f"  # {line}" for line in lines + body)]
    check = f"   # check: {target.guessed or 'read from ' + repr(s.target_text)}"
    sums_flows = kind_of(target.kind).sums_flows
    flow = sums_flows and "新增" in s.name
    lines += [f"  direction: {target.direction}",
              f"  measure: {'flow' if flow else 'stock'}" + (
                  "              # check: flow = the data give each year's additions"
                  if sums_flows else ""),
              f"  target: {{kind: {target.kind}, value: {target.value:g}"
              + (f", year: {s.target_year}" if s.target_year else "") + "}" + check,
              f"  source: {_yaml_text('workbook: ' + s.target_text)}"]
    return ["  " + line for line in lines]


def plan_years(series: Sequence[Series]) -> tuple[int, int, int]:
    """(baseline_year, target_year, as_of): the commonest target year, five years before
    it, and the year after the last observation."""
    targets = Counter(s.target_year for s in series if s.target_year)
    last = max((y for s in series for y in s.values), default=2022)
    target_year = targets.most_common(1)[0][0] if targets else max(last + 3, 2025)
    baseline = target_year - 5
    return baseline, target_year, max(last + 1, baseline + 1)


def draft_plan_yaml(path: Path, plan_id: str, data_glob: str) -> str:
    """The drafted plan.yaml for the workbook at ``path`` (read from ``data_glob``)."""
    grids = read_grids(path, path.name)
    series, _ = read_series(path)
    baseline, target_year, as_of = plan_years(series)
    title = workbook_title(grids) or path.stem
    out = [f"# Drafted by planlib init --from {path.name}. Lines marked '# check' are",
           "# guesses: check each, then run planlib validate. Reference: docs/plan-format.md.",
           "plan:",
           f"  id: {plan_id}",
           f"  title_zh: {_yaml_text(title)}",
           f"  baseline_year: {baseline}         # check: the year before the plan began",
           f"  target_year: {target_year}" + ("" if any(s.target_year for s in series)
                                             else "           # check: no target year found"),
           f"  as_of: {as_of}                 # the evaluation year: data up to {as_of - 1}",
           f"data: [{_yaml_text(data_glob)}]",
           "indicators:"]
    taken: set[str] = set()
    for number, s in enumerate(series, 1):
        latest = s.values[max(s.values)] if s.values else None
        target = read_target(s.target_text, s.unit, latest) if s.target_text else None
        out += indicator_yaml(s, suggested_id(s.key, number, taken), target)
    return "\n".join(out) + "\n"
