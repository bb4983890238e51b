"""Every word the evaluation says, in Chinese and English, in one place: status words,
the outlook band edges, note texts and the way a probability is printed (DESIGN.md §3–4).

Progress statuses use the words of China's 14th-plan mid-term evaluation; outlook
statuses use the IPCC likelihood scale on P(target met). Notes are codes with parameters
(`Note`), rendered here in either language, so a Chinese report can say them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planlib.constants import LANGS as LANGS  # re-exported: one language check everywhere
from planlib.constants import check_lang

PROGRESS_LABELS: dict[str, dict[str, str]] = {
    "achieved": {"zh": "提前实现", "en": "achieved"},
    "ahead": {"zh": "快于预期", "en": "ahead of schedule"},
    "on_schedule": {"zh": "基本符合预期", "en": "on schedule"},
    "behind": {"zh": "相对滞后", "en": "behind schedule"},
    "moving_away": {"zh": "逆向变化", "en": "moving away"},
    "not_measurable": {"zh": "无法评估", "en": "not measurable"},
}

OUTLOOK_LABELS: dict[str, dict[str, str]] = {
    "very_likely": {"zh": "很可能完成", "en": "very likely"},
    "likely": {"zh": "可能完成", "en": "likely"},
    "as_likely_as_not": {"zh": "存在不确定性", "en": "as likely as not"},
    "unlikely": {"zh": "完成难度较大", "en": "unlikely"},
    "very_unlikely": {"zh": "很难完成", "en": "very unlikely"},
    "insufficient_data": {"zh": "数据不足", "en": "insufficient data"},
    "by_schedule": {"zh": "按项目进度评估", "en": "judged by project schedule"},
    "no_target": {"zh": "无目标", "en": "no target"},  # a context indicator: outlook only
    "no_area_target": {"zh": "无分区目标", "en": "no area target"},
}

#: Schedule statuses of discrete projects (a new school): the plan's word for the project
#: and the judgement against the target year.
SCHEDULE_LABELS: dict[str, dict[str, str]] = {
    "completed": {"zh": "已建成", "en": "completed"},
    "under_construction": {"zh": "在建", "en": "under construction"},
    "planned": {"zh": "已规划", "en": "planned"},
    "on_track": {"zh": "按期可完成", "en": "on track for the target year"},
    "late": {"zh": "预计晚于目标年", "en": "expected after the target year"},
}

NATURE_LABELS: dict[str, dict[str, str]] = {
    "binding": {"zh": "约束性", "en": "binding"},
    "expected": {"zh": "预期性", "en": "expected"},
    "unknown": {"zh": "未标明", "en": "unspecified"},
}

#: Lower edges of the outlook bands on P(target met), highest first.
OUTLOOK_CUTOFFS: tuple[tuple[float, str], ...] = (
    (0.90, "very_likely"),
    (0.66, "likely"),
    (0.33, "as_likely_as_not"),
    (0.10, "unlikely"),
    (0.0, "very_unlikely"),
)
#: Outlook codes that put a target "at risk" in the report.
AT_RISK = ("unlikely", "very_unlikely")
#: Progress codes that count as "task half done" (时间过半、任务过半).
ON_TRACK_PROGRESS = ("achieved", "ahead", "on_schedule")
#: Decimals P(met) is printed with; the band is read off the printed number.
P_DECIMALS = 2


def rounded_p(p_meet: float | None) -> float:
    """P(met) as printed (P_DECIMALS), so the band always agrees with the printed number."""
    if p_meet is None or math.isnan(p_meet):
        return math.nan
    return round(float(p_meet), P_DECIMALS)


def outlook_status(p_meet: float | None) -> str:
    """IPCC-style likelihood band of the printed P(target met); ``insufficient_data`` when
    unknown. The band is read off the rounded number: 0.897 prints 0.90, very likely."""
    p = math.nan if p_meet is None else float(p_meet)
    return str(outlook_statuses(np.array([p]))[0])


def outlook_statuses(p_meet: np.ndarray) -> np.ndarray:
    """`outlook_status` of every P(met) (the one rule), read off the number rounded as
    printed: numpy's rounding equals Python's `round` except at (near-)ties, which use
    `round` (`rounded_p`)."""
    p = np.asarray(p_meet, dtype=float)
    known = ~np.isnan(p)
    scaled = p * 10**P_DECIMALS
    rounded = np.round(p, P_DECIMALS)
    tie = known & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    rounded[tie] = [rounded_p(float(x)) for x in p[tie]]
    edges = [edge for edge, _ in OUTLOOK_CUTOFFS]
    codes = [code for _, code in OUTLOOK_CUTOFFS]
    status = np.select([rounded >= e for e in edges], codes, "very_unlikely").astype(object)
    status[~known] = "insufficient_data"
    return status


def format_p(p_meet: float | None) -> str:
    """P(met) as printed: two decimals, never "0.00" or "1.00" for a probability from a
    trend ("< 0.01", "> 0.99"); "" when unknown."""
    if p_meet is None or math.isnan(p_meet):
        return ""
    p = float(p_meet)
    if p < 0.005:
        return "< 0.01"
    if p >= 0.995:
        return "> 0.99"
    return f"{p:.{P_DECIMALS}f}"


def label(code: str | None, lang: str = "zh", table: dict | None = None) -> str:
    """Words for a status code in ``lang`` (zh or en); looks in every status table by
    default."""
    if code is None:
        code = "not_measurable"
    tables = [table] if table else [PROGRESS_LABELS, OUTLOOK_LABELS, SCHEDULE_LABELS,
                                    NATURE_LABELS]
    for t in tables:
        if code in t:
            return t[code][check_lang(lang)]
    raise KeyError(f"unknown status code {code!r}")


#: Note texts by code: format strings over the note's parameters. Every note the
#: evaluation can attach to a row is here, in both languages.
NOTE_TEXTS: dict[str, dict[str, str]] = {
    # progress
    "baseline_from_earlier_year": {
        "zh": "基期年{t0}年无数据，以{year}年数值作为基期值",
        "en": "no observation in the baseline year {t0}: the {year} value is used as baseline",
    },
    "no_baseline": {
        "zh": "基期年{t0}年及以前均无数据，无法测算进度",
        "en": "no observation in or before the baseline year {t0}: progress cannot be measured",
    },
    "no_progress_data": {
        "zh": "基期年以后暂无数据，无法测算进度",
        "en": "no observation after the baseline year: progress cannot be measured",
    },
    "met_at_baseline": {
        "zh": "基期已达到目标，进度比例无意义",
        "en": "the target was already met at the baseline: progress share undefined",
    },
    "pace_from_break": {
        "zh": "近期增速自{year}年口径调整后起算",
        "en": "recent pace measured from the definitional break in {year}",
    },
    # fit window
    "break_fit": {
        "zh": "{year}年统计口径调整，趋势仅用{year}年及以后数据拟合",
        "en": "definitional break in {year}: trend fitted on {year} onwards only",
    },
    "level_shift_fit": {
        "zh": "{year}年数据出现未声明的水平跳变（远超该序列通常的年度变化），趋势仅用{year}年及以后"
              "数据拟合；如属统计口径调整，请在规划文件中声明",
        "en": "undeclared level shift in {year} (a jump far beyond the series' usual yearly "
              "change): trend fitted on {year} onwards only; declare it as a break in the "
              "plan file if the definition changed",
    },
    "fit_from": {
        "zh": "按规划设定，趋势自{year}年起拟合",
        "en": "trend fitted from {year} on, as the plan sets",
    },
    # outlook
    "observed_outcome": {
        "zh": "目标年{year}年已有实际数据，结果为实测值",
        "en": "the target year {year} is observed: the outcome is known, not forecast",
    },
    "target_year_nowcast": {
        "zh": "目标年{year}年无实际数据，按{year}年以前的数据推算（其后年份的数据不参与推算）",
        "en": "no observation in the target year {year}: it is nowcast from the data before "
              "it (later years are not used)",
    },
    "insufficient_data": {
        "zh": "仅有{n}个观测值，无法预测（至少需要2个）",
        "en": "only {n} observation(s): no projection (at least 2 are needed)",
    },
    "no_area_target": {
        "zh": "该地区无分区目标，不按全域目标评判进度和达标概率，仅列预测值",
        "en": "no target for this area: not judged against the total's target; the outlook "
              "is shown without progress or P(met)",
    },
    "point_only": {
        "zh": "仅有2个观测值：只给出点预测，不给区间和概率",
        "en": "only two observations: point projection, no interval or probability",
    },
    "model_fallback": {
        "zh": "指定模型{model}不适用于该序列（适用：{eligible}），改用自动选择",
        "en": "model '{model}' does not apply to this series (eligible: {eligible}): "
              "auto used instead",
    },
    "target_on_bound": {
        "zh": "目标值{level}位于取值边界，不使用logit模型，预测值在边界处截断",
        "en": "the target {level} lies on a bound: logit excluded, projections clipped "
              "at the bound",
    },
    "flow_total": {
        "zh": "累计值 = 已完成{done} + 预测的逐年新增",
        "en": "cumulative total = {done} added so far + the projected yearly additions",
    },
    "few_df": {
        "zh": "仅{df}个残差自由度，区间所依据的数据很少",
        "en": "only {df} residual degree(s) of freedom: the interval rests on very few points",
    },
    "degenerate": {
        "zh": "序列无波动（{models}），区间退化为一点",
        "en": "the series shows no variation ({models}): the interval collapses to a point",
    },
    "interval_at_bound": {
        "zh": "预测区间落在取值边界{bound}上",
        "en": "the projection interval lies at the bound {bound}",
    },
    "median_at_bound": {
        "zh": "预测中位数达到取值边界{bound}",
        "en": "the projected median reaches the bound {bound}",
    },
    "latest_lower_bound": {
        "zh": "最新值为下限值（来源表述为“超过”）",
        "en": "the latest value is a lower bound (the source said 'more than')",
    },
    "latest_derived": {
        "zh": "最新值为推算值",
        "en": "the latest value is derived, not published as such",
    },
    "latest_provisional": {
        "zh": "最新值为初步数据",
        "en": "the latest value is provisional",
    },
    "model_dependent": {
        "zh": "该判断依赖于模型选择：各模型的达标概率在{low}至{high}之间",
        "en": "this call depends on the model: P(met) ranges from {low} to {high} across models",
    },
    # calls that look contradictory
    "trend_slower_than_progress": {
        "zh": "进度按基期以来的平均增速测算，而趋势（自{fit_from}年起拟合）预示年均变化{trend}，"
              "慢于基期以来的{since_baseline}，也低于完成目标所需的{required}",
        "en": "progress counts the pace since the baseline, but the trend fitted from "
              "{fit_from} implies {trend} a year, slower than the {since_baseline} a year "
              "since the baseline and short of the {required} a year needed",
    },
    "trend_faster_than_progress": {
        "zh": "进度相对滞后，但趋势（自{fit_from}年起拟合）预示年均变化{trend}，"
              "快于完成目标所需的{required}",
        "en": "progress is behind, but the trend fitted from {fit_from} implies {trend} a "
              "year, more than the {required} a year needed",
    },
    # cohort model (planlib.core.models.cohort.explanation_notes)
    "cohort": {
        "zh": "按{driver_zh}推算：{year}年{ages_zh}岁儿童由{born_zh}年出生的"
              "约{cohort}{unit_zh}构成",
        "en": "from {driver_en}: the children aged {ages_en} in {year} were born in {born_en}, "
              "about {cohort} ({unit_en})",
    },
    "cohort_projected": {
        "zh": "其中{years_zh}年{driver_zh}尚无数据，按对数漂移趋势推算"
              "（80%区间{lo}至{hi}{unit_zh}）",
        "en": "{driver_en} of {years_en} not yet observed: projected by a drift on the log "
              "scale (80 % interval {lo} to {hi})",
    },
    "cohort_scenario": {
        "zh": "其中{years_zh}年{driver_zh}采用情景预测值",
        "en": "{driver_en} of {years_en} from the supplied scenario",
    },
    "cohort_ratio": {
        "zh": "{name_zh}与之之比{ratio_year}年为{ratio_last}，按趋势{year}年约为{ratio}，"
              "据此{year}年{name_zh}约{median}{unit_zh}（80%区间{lo}至{hi}{unit_zh}）",
        "en": "{name_en} per head of the cohort was {ratio_last} in {ratio_year} and trends "
              "to about {ratio} in {year}: {name_en} about {median} (80 % interval {lo} "
              "to {hi})",
    },
    # auto with a driver (planlib.core.models.cohort_choice)
    "cohort_uncovered": {
        "zh": "{driver_zh}数据（{have}年）未覆盖按{lags}年滞后推算所需的年份"
              "（{year}年需{born_zh}年），仍按趋势外推",
        "en": "{driver_en} data ({have}) do not cover lags {lags_en} (the cohort of {year} "
              "needs {born_en}): the trend is used",
    },
    "cohort_unscored": {
        "zh": "观测值仅{n}个，无法回测按{driver_zh}推算的模型，仍按趋势外推",
        "en": "{n} observations are too few to backtest the projection from {driver_en}: "
              "the trend is used",
    },
    "cohort_lost": {
        "zh": "按{driver_zh}推算的回测误差（MASE {cohort}）不低于趋势模型（{best}），"
              "采用趋势模型",
        "en": "the projection from {driver_en} backtested no better (MASE {cohort}) than "
              "the trend ({model}, {best}): the trend is used",
    },
    # projections a planner cannot use (planlib.core.reliability)
    "unreliable_few_points": {
        "zh": "仅有{n}个观测值（{first}—{last}年），无法据此可靠预测到{year}年",
        "en": "cannot be projected reliably to {year} from this history: only {n} values "
              "({first}–{last})",
    },
    "unreliable_break": {
        "zh": "{break}年统计口径调整后仅有{n}个观测值，无法据此可靠预测到{year}年",
        "en": "cannot be projected reliably to {year} from this history: only {n} values "
              "since the definitional break in {break}",
    },
    "unreliable_regime_change": {
        "zh": "近{window}年变化方向与此前相反（趋势转折），无法据此可靠预测到{year}年",
        "en": "cannot be projected reliably to {year} from this history: the trend of the "
              "last {window} years reversed the earlier one (a regime change)",
    },
    "unreliable_too_wide": {
        "zh": "{year}年{level}%预测区间宽于预测值本身（比率指标：宽于取值范围的一半），"
              "无法据此可靠预测到{year}年",
        "en": "cannot be projected reliably to {year} from this history: its {level} % "
              "interval is wider than the projected level itself (for a bounded rate: "
              "than half its range)",
    },
    # discrete projects
    "schedule": {
        "zh": "项目{status}，预计{year}年完成",
        "en": "project {status}, expected in {year}",
    },
    "schedule_late": {
        "zh": "预计完成年份{year}年晚于目标年{target_year}年",
        "en": "expected completion {year} is after the target year {target_year}",
    },
    "schedule_missing": {
        "zh": "单个建设项目无法用趋势外推，请在规划文件中填写项目进度（schedule）",
        "en": "a single project cannot be projected from a trend: give its schedule in "
              "plan.yaml (schedule: expected_year, status)",
    },
}


@dataclass(frozen=True)
class Note:
    """One note on a result: a code and its parameters, rendered in either language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in NOTE_TEXTS:
            raise KeyError(f"unknown note code {self.code!r}")

    def text(self, lang: str = "en") -> str:
        """The note in ``lang``; parameters that are codes (status words) are translated."""
        params = {k: _param(v, lang) for k, v in self.params.items()}
        return NOTE_TEXTS[self.code][check_lang(lang)].format(**params)


def _param(value: Any, lang: str) -> str:
    """A note parameter as text: status codes in words, floats compactly."""
    if isinstance(value, str):
        for table in (SCHEDULE_LABELS, PROGRESS_LABELS, OUTLOOK_LABELS):
            if value in table:
                return table[value][lang]
        return value
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def unique_notes(notes: list[Note]) -> list[Note]:
    """Notes in order, each said once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for n in notes:
        key = (n.code, repr(sorted(n.params.items())))
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


def join_notes(notes: tuple[Note, ...] | list[Note], lang: str) -> str:
    """Notes as one cell: '；' between Chinese notes, '; ' between English ones."""
    return ("；" if lang == "zh" else "; ").join(n.text(lang) for n in notes)
