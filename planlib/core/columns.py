"""The evaluation table's columns, in one place: name, dtype, Chinese and English header and
what each holds. The column lists (`planlib.core.result`), the dtypes and Dask meta, the
notebooks' Chinese headers, the ``columns`` block of ``manifest.json`` and the README's
column table are all read from here.

Interval columns are templates (``lo{level}``, ``hi{level}``): one pair per interval level
asked for, in the order of the levels, where the templates stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from planlib.constants import DEFAULT_LEVELS
from planlib.core.targets.registry import PLAN_KINDS


@dataclass(frozen=True)
class Column:
    """One column of the evaluation table (``name`` may hold ``{level}``)."""

    name: str
    dtype: str  # pandas dtype: object, float64, int64, Int64 (years may be missing), boolean
    zh: str
    en: str
    description: str
    core: bool = False  # one of the documented core columns (README), else an extra one


def _core(name: str, dtype: str, zh: str, en: str, description: str) -> Column:
    return Column(name, dtype, zh, en, description, core=True)


#: Every column, in table order: the core columns, then the extra ones.
COLUMNS: tuple[Column, ...] = (
    _core("indicator_id", "object", "指标代码", "Indicator id", "the indicator's id in plan.yaml"),
    _core("region", "object", "地区", "Region",
          "the region of the series (empty for a plan without regions)"),
    _core("target_kind", "object", "目标类型", "Target kind",
          " or ".join([", ".join(f"`{k}`" for k in PLAN_KINDS[:-1]), f"`{PLAN_KINDS[-1]}`"])),
    _core("baseline_year", "Int64", "基期年份", "Baseline year", "t0, the baseline year"),
    _core("baseline_value", "float64", "基期值", "Baseline value", "b, the value at t0"),
    _core("target_year", "int64", "目标年份", "Target year", "T, the target year"),
    _core("target_value", "float64", "目标值", "Target value",
          "v, the target as a level at T (an annual change of −0.5 point from 2018 becomes "
          "\"≤ y(2018) − 3.5 in 2025\"; a cumulative increase on yearly additions a running "
          "total)"),
    _core("latest_year", "Int64", "最新值年份", "Latest year", "t, the year of the latest value"),
    _core("latest_value", "float64", "最新值", "Latest value", "y, the latest value"),
    _core("n_obs", "int64", "观测值个数", "Observations",
          "the number of values the trend is fitted on"),
    _core("schedule_share", "float64", "时间进度", "Schedule share", "s = (t − t0)/(T − t0)"),
    _core("progress_share", "float64", "任务进度", "Progress share", "p = (y − b)/(v − b)"),
    _core("progress_ratio", "float64", "进度比", "Progress ratio", "r = p/s"),
    _core("progress_status", "object", "进度状态代码", "Progress status",
          "`achieved` (already met), `ahead` (r ≥ 1.2), `on_schedule` (≥ 0.95), `behind` "
          "(≥ 0), `moving_away` (< 0); cut-offs configurable per plan (`status_cutoffs`)"),
    _core("required_pace", "float64", "所需年均变化", "Required pace", "(v − y)/(T − t) per year"),
    _core("recent_pace", "float64", "近年年均变化", "Recent pace",
          "mean annual change over the last ≤ 5 years"),
    _core("model", "object", "预测模型", "Model", "the trend model used"),
    _core("median", "float64", "预测中位数", "Median",
          "median of the predictive distribution at T"),
    _core("lo{level}", "float64", "{level}%区间下限", "{level}% interval, lower",
          "lower end of the central {level} % predictive interval at T"),
    _core("hi{level}", "float64", "{level}%区间上限", "{level}% interval, upper",
          "upper end of the central {level} % predictive interval at T"),
    _core("p_meet", "float64", "达标概率", "P(target met)", "P(target met)"),
    _core("outlook_status", "object", "预测判断代码", "Outlook status",
          "the band of P: `very_likely` (≥ 0.90), `likely` (≥ 0.66), `as_likely_as_not` "
          "(≥ 0.33), `unlikely` (≥ 0.10), `very_unlikely`, `insufficient_data`, or "
          "`by_schedule` for a discrete project judged by its schedule; read off P as "
          "printed (`p_meet_text`)"),
    Column("name_zh", "object", "指标名称（中文）", "Name (Chinese)",
           "the indicator's Chinese name"),
    Column("name_en", "object", "指标名称（英文）", "Name (English)",
           "the indicator's English name"),
    Column("unit", "object", "单位", "Unit", "the unit of the values"),
    Column("nature", "object", "属性", "Nature",
           "`binding` (约束性), `expected` (预期性) or `unknown`"),
    Column("group", "object", "分组", "Group", "the indicator's group in the plan"),
    Column("direction", "object", "方向", "Direction", "`increase` or `decrease` is better"),
    Column("measure", "object", "数据类型（存量/流量）", "Measure",
           "`stock` (a level) or `flow` (additions per year)"),
    Column("region_role", "object", "地区类别", "Region role",
           "`total` for the series without a region (the plan area, 全市/全区), `area` for "
           "one of its parts (街道, 乡镇, 区县)"),
    Column("target_raw_value", "float64", "规划目标原值", "Target as written",
           "the target's value as plan.yaml gives it"),
    Column("acceleration_needed", "float64", "所需加速倍数", "Acceleration needed",
           "required pace / recent pace"),
    Column("growth_ratio", "float64", "增长比率R", "Growth ratio",
           "Eurostat-style ratio of observed to required compound growth"),
    Column("progress_status_zh", "object", "进度状态", "Progress status (Chinese)",
           "`progress_status` in Chinese"),
    Column("progress_status_en", "object", "进度状态（英文）", "Progress status (English)",
           "`progress_status` in English"),
    Column("outlook_status_zh", "object", "预测判断", "Outlook status (Chinese)",
           "`outlook_status` in Chinese"),
    Column("outlook_status_en", "object", "预测判断（英文）", "Outlook status (English)",
           "`outlook_status` in English"),
    Column("stage", "object", "评估阶段", "Stage",
           "`planning` (a new plan, no data after its baseline), `mid_term`, or `final` "
           "(the target year is observed, or `as_of` is after it)"),
    Column("outcome", "object", "完成情况代码", "Outcome",
           "final stage only: `met`, `not_met`, or `nowcast` (the target-year value is not "
           "published yet: P applies)"),
    Column("first_met_year", "Int64", "首次达标年份", "First met",
           "final stage, met: the first year of the last unbroken run at or past the target "
           "(before T: met early, 提前完成; T: met on time)"),
    Column("final_margin", "float64", "完成差距", "Final margin",
           "final stage: direction × (value at T − target) in the indicator's unit (≥ 0 met "
           "by, < 0 short by)"),
    Column("provisional_target_year", "boolean", "目标年为初步数", "Target year provisional",
           "final stage: the target-year value is provisional"),
    Column("awaits_final", "boolean", "待正式数据确认", "Awaits final figure",
           "final stage: provisional, and a usual revision (one unit of the last published "
           "digit) could flip the outcome"),
    Column("reliability", "object", "预测可靠性", "Projection reliability",
           "can the history be projected to T reliably (`planlib.core.reliability`)? "
           "`reliable`, or why not: `few_points` (fewer than 5 values, or T further ahead "
           "than the years they span), `break` (too few values since a declared break), "
           "`regime_change` (the recent trend reversed the earlier one), `too_wide` (the "
           "80 % interval wider than the projected level, or half a bounded rate's range); "
           "empty where nothing is projected. `notes` says it in words; `planlib propose` "
           "leaves p50/p80/p90 empty where it is not `reliable`"),
    Column("latest_flag", "object", "最新值标记", "Latest value's flag",
           "the latest value's flag: `provisional`, `derived`, `lower_bound`, `break` or empty"),
    Column("model_reason", "object", "模型选择理由", "Why this model",
           "why the model was chosen, with the scores"),
    Column("notes", "object", "说明", "Notes",
           "every assumption made, in the table's language (a baseline from an earlier year, "
           "a lower-bound or derived latest value, a break, where the fit starts, an interval "
           "at a bound, why progress and outlook disagree)"),
    Column("notes_zh", "object", "说明（中文）", "Notes (Chinese)", "`notes` in Chinese"),
    Column("notes_en", "object", "说明（英文）", "Notes (English)", "`notes` in English"),
    Column("note_codes", "object", "说明代码", "Note codes", "the codes of the notes"),
    Column("fit_from", "Int64", "拟合起始年", "Fit from",
           "first year of the fit window (from `fit_from` in plan.yaml, the last break, or an "
           "undeclared level shift)"),
    Column("fit_to", "Int64", "拟合终止年", "Fit to", "last year of the fit window"),
    Column("model_members", "object", "模型组合成员", "Model members",
           "the members of the model combination"),
    Column("p_meet_text", "object", "达标概率（文字）", "P(target met), printed",
           "P as printed: two decimals; a trend's P is printed `< 0.01` / `> 0.99`, never "
           "as certain"),
    Column("p_meet_by_model", "object", "各模型达标概率", "P(met) by model",
           "P(met) under each single model that applies (JSON)"),
    Column("call_robust", "boolean", "判断不随模型改变", "Call robust",
           "true when every model gives the same band or is within 0.15 of the combination "
           "— when false, `notes` says \"this call depends on the model\""),
    Column("schedule_status", "object", "项目进度代码", "Schedule status",
           "for discrete projects: `completed`, `on_track` or `late`"),
    Column("schedule_status_zh", "object", "项目进度", "Schedule status (Chinese)",
           "`schedule_status` in Chinese"),
    Column("schedule_status_en", "object", "项目进度（英文）", "Schedule status (English)",
           "`schedule_status` in English"),
)

_BY_NAME = {c.name: c for c in COLUMNS}
_LEVEL = re.compile(r"(?P<kind>lo|hi)(?P<level>\d+)")


def _names(columns: Iterable[Column], levels: Sequence[int]) -> list[str]:
    """Column names with the interval templates expanded, a lo/hi pair per level."""
    out: list[str] = []
    templates = [c for c in columns if "{level}" in c.name]
    for c in columns:
        if "{level}" not in c.name:
            out.append(c.name)
        elif c is templates[0]:
            out += [t.name.format(level=lv) for lv in levels for t in templates]
    return out


def core_names(levels: Sequence[int] = DEFAULT_LEVELS) -> list[str]:
    """The documented core columns for these interval levels, in order."""
    return _names([c for c in COLUMNS if c.core], levels)


def extra_names() -> list[str]:
    """The extra columns after the core ones, in order."""
    return _names([c for c in COLUMNS if not c.core], ())


def column(name: str) -> Column:
    """The column called ``name`` (``lo80`` is the ``lo{level}`` template at 80); a
    KeyError for a name that is not a column of the table."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    found = _LEVEL.fullmatch(name)
    if found is None:
        raise KeyError(name)
    c, lv = _BY_NAME[found["kind"] + "{level}"], found["level"]
    return replace(c, name=name, zh=c.zh.format(level=lv), en=c.en.format(level=lv),
                   description=c.description.format(level=lv))


def is_column(name: object) -> bool:
    """True when ``name`` is a column of the evaluation table."""
    if not isinstance(name, str):
        return False
    try:
        column(name)
    except KeyError:
        return False
    return True


def dtypes(names: Iterable[str]) -> dict[str, str]:
    """The pandas dtype of each named column."""
    return {n: column(n).dtype for n in names}


def empty_table(names: Iterable[str]) -> pd.DataFrame:
    """An empty frame with these columns and their dtypes (Dask's ``meta``)."""
    return pd.DataFrame({n: pd.Series(dtype=t) for n, t in dtypes(names).items()})


def manifest_block(names: Iterable[str]) -> list[dict[str, str]]:
    """The ``columns`` block of manifest.json: each column's name, dtype, headers and
    meaning, in table order."""
    return [{"name": c.name, "dtype": c.dtype, "zh": c.zh, "en": c.en,
             "description": c.description} for c in map(column, names)]


def markdown_table(levels: Sequence[int] = DEFAULT_LEVELS) -> str:
    """The README's column table (a test keeps the README in step with it)."""
    lines = ["| column | dtype | 中文 | meaning |", "|---|---|---|---|"]
    for name in core_names(levels) + extra_names():
        c = column(name)
        lines.append(f"| `{c.name}` | {c.dtype} | {c.zh} | {c.description} |")
    return "\n".join(lines)
