"""Rows named by the indicator's Chinese name (指标), matched to the plan's indicators.

Offices name rows "学前教育毛入园率（%）", "1.学前教育毛入园率①" or "其中：公办一级幼儿园占比",
not by an id. A name is folded (NFKC, no spaces, no footnote marks, no numbering, no
trailing "（单位）") and matched to each indicator's ``name_zh``, ``name_en``, ``id``,
``series`` and ``aliases``. A name matching nothing is listed with the plan names it most
resembles ("did you mean"); a name matching two series is an error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from planlib.errors import Problem
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.numbers import footnote_marks
from planlib.inputs.plan import Indicator, Plan

_NUMBERING = re.compile(
    r"^(?:其中[:：]?|[(（]?[0-9一二三四五六七八九十]{1,3}[)）.、．]\s*|[(（][0-9一二三四五六七八九十]"
    r"{1,3}[)）])+")
_TRAILING_UNIT = re.compile(r"[(（\[【]([^()（）\[\]【】]{1,12})[)）\]】]$")
_SPACES = re.compile(r"[\s_\-·•]+")
_SIMILAR = 0.5  # difflib ratio from which a plan name is offered as "did you mean"


@dataclass(frozen=True)
class NameMatch:
    """What the rows named by text (not id) became: ids filled in, and what to tell."""

    ids: pd.Series  # the frame's indicator_id with matched names filled in
    units: pd.Series  # a unit written in the name ("（%）"), where the row has none
    problems: list[Problem]
    unmatched: list[InputWarning]  # per row named by a name that matched nothing


def fold_name(text: str) -> str:
    """A name as compared: NFKC, case-folded, without spaces, marks, numbering or unit."""
    core, _ = split_name(text)
    return core


def split_name(text: str) -> tuple[str, str | None]:
    """The folded name and the unit written at its end in brackets ("（万人）"), if any."""
    marks = footnote_marks(pd.Series([text], dtype=object)).iloc[0]
    raw = text.strip()
    for mark in reversed(marks):
        raw = raw.rstrip().removesuffix(mark)
    folded = unicodedata.normalize("NFKC", raw).casefold().strip()
    folded = _NUMBERING.sub("", folded)
    unit = None
    found = _TRAILING_UNIT.search(folded)
    if found and found.start() > 0:
        unit = found.group(1).strip()
        folded = folded[: found.start()]
    return _SPACES.sub("", folded), unit


def _names_of(ind: Indicator) -> list[str]:
    return [ind.name_zh, ind.name_en, ind.id, ind.series or "", *ind.aliases]


def plan_names(plan: Plan) -> dict[str, set[str]]:
    """Folded name -> the series ids it names in the plan."""
    keys: dict[str, set[str]] = {}
    for ind in plan.indicators:
        for name in _names_of(ind):
            if name.strip():
                keys.setdefault(fold_name(name), set()).add(ind.series_id)
    return keys


def match_names(frame: pd.DataFrame, plan: Plan) -> NameMatch:
    """Fill ``indicator_id`` from ``name_zh`` on rows without an id."""
    ids = frame["indicator_id"].astype("string")
    units = pd.Series(pd.NA, index=frame.index, dtype="string")
    keys = plan_names(plan)
    ids = _ids_written_as_names(ids, keys)
    named = (ids.isna() | ids.eq("")) & frame["name_zh"].notna()
    if not named.any():
        return NameMatch(ids, units, [], [])
    texts = frame.loc[named, "name_zh"].astype("str")
    split = {text: split_name(text) for text in texts.unique()}
    hits = {text: keys.get(core, set()) for text, (core, _) in split.items()}
    found = {text: next(iter(s)) for text, s in hits.items() if len(s) == 1}
    ids = ids.where(~named, texts.map(found).astype("string"))
    units = units.where(~named, texts.map({t: u for t, (_, u) in split.items()}))
    problems = _ambiguous(frame, named, texts, hits)
    unmatched = _unmatched(frame, texts, {t: s for t, s in hits.items() if not s}, plan)
    return NameMatch(ids, units, problems, unmatched)


def _ids_written_as_names(ids: pd.Series, keys: dict[str, set[str]]) -> pd.Series:
    """An id cell holding a plan name or alias ("学前教育毛入园率" under 指标代码) names that
    indicator; ids of the plan and unknown ids stay as they are."""
    series = {s for found in keys.values() for s in found}
    unknown = ids.dropna()
    unknown = unknown[~unknown.isin(series) & unknown.ne("")]
    if unknown.empty:
        return ids
    mapped = {text: keys.get(fold_name(text), set()) for text in unknown.unique()}
    found = {text: next(iter(s)) for text, s in mapped.items() if len(s) == 1}
    return ids.where(~ids.isin(list(found)), ids.map(found).astype("string"))


def _ambiguous(frame: pd.DataFrame, named: pd.Series, texts: pd.Series,
               hits: dict[str, set[str]]) -> list[Problem]:
    """Rows whose name fits two series of the plan: neither may be guessed."""
    problems = []
    seen: set[tuple[str, int]] = set()
    for index, text in texts.items():
        series = hits[text]
        row = frame.loc[index]
        place = (str(row["_file"]), int(row["_row"]))
        if len(series) > 1 and place not in seen:
            seen.add(place)
            problems.append(Problem(
                str(row["_file"]), int(row["_row"]), str(row["_id_column"]), text,
                f"the name fits several plan indicators ({', '.join(sorted(series))})",
                "give the row an indicator_id column, or make the names and aliases in "
                "plan.yaml distinct"))
    return problems


def _unmatched(frame: pd.DataFrame, texts: pd.Series, missed: dict[str, set[str]],
               plan: Plan) -> list[InputWarning]:
    """A warning per row whose name matches nothing, with the plan names it resembles."""
    close = {text: _did_you_mean(text, plan) for text in sorted(missed)}
    rows = frame.loc[texts.index[texts.isin(list(missed))]]
    return [
        InputWarning("name_unmatched_close" if close[text] else "name_unmatched",
                     {"name": text, "close": close[text]} if close[text] else {"name": text},
                     str(file), int(row), str(column))
        for text, file, row, column in sorted(zip(
            texts[rows.index], rows["_file"], rows["_row"], rows["_id_column"], strict=True))
    ]


def _did_you_mean(text: str, plan: Plan) -> list[str]:
    """The plan names ("'name' (id)") most like a name that matched nothing."""
    core = fold_name(text)
    scored = sorted(
        ((difflib.SequenceMatcher(None, core, fold_name(name)).ratio(), name, ind.id)
         for ind in plan.indicators for name in [ind.name_zh, *ind.aliases]),
        key=lambda s: (-s[0], s[2]),
    )
    return [f"'{name}' ({ident})" for ratio, name, ident in scored[:2] if ratio >= _SIMILAR]
