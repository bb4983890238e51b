"""The words on planlib's figures (legends, axes, captions), in Chinese and English.

Status words come from `planlib.core.labels`; these are the figures' own: what each line
and band is, and the units an English reader needs.
"""

from __future__ import annotations

from planlib.core.labels import check_lang

WORDS: dict[str, dict[str, str]] = {
    "observed": {"zh": "实际值", "en": "Observed"},
    "observed_outside_fit": {"zh": "实际值（未用于拟合）", "en": "Observed (not fitted)"},
    "provisional": {"zh": "初步数", "en": "Provisional"},
    "derived": {"zh": "推算值", "en": "Derived"},
    "lower_bound": {"zh": "下限值（至少）", "en": "Lower bound (at least)"},
    "break": {"zh": "口径调整", "en": "Definitional break"},
    "fit_window": {"zh": "拟合区间", "en": "Fit window"},
    "fitted": {"zh": "拟合趋势", "en": "Fitted trend"},
    "median": {"zh": "预测中位数", "en": "Projection (median)"},
    "band": {"zh": "{level}%预测区间", "en": "{level}% interval"},
    "target": {"zh": "目标", "en": "Target"},
    "target_path": {"zh": "目标路径", "en": "Target path"},
    "plan_path": {"zh": "规划进度（匀速）", "en": "Plan path (even pace)"},
    "as_of": {"zh": "数据截至{year}年", "en": "Data to {year}"},
    "source": {"zh": "资料来源：{text}", "en": "Source: {text}"},
    "model": {"zh": "预测模型：{model}", "en": "Model: {model}"},
    "unit": {"zh": "单位：{unit}", "en": "Unit: {unit}"},
    "running_total": {"zh": "（{year}年以来累计）", "en": " (running total since {year})"},
    "progress_status": {"zh": "进度", "en": "Progress"},
    "unjudged_areas": {"zh": "{status}的地区（{n}个，按最新值排列）",
                       "en": "Areas with {status} ({n}), ranked by latest value"},
    "outlook_status": {"zh": "展望", "en": "Outlook"},
    "outcome": {"zh": "完成情况", "en": "Outcome"},
    "p_meet": {"zh": "完成目标概率", "en": "P(target met)"},
    "overview_title": {"zh": "{title}：走势与预测", "en": "{title}: trends and outlook"},
    "page": {"zh": "（{i}/{n}）", "en": " ({i}/{n})"},
    "progress_title": {"zh": "进度评估：时间过半、任务过半？",
                       "en": "Progress to date: time half gone, task half done?"},
    "progress_x": {"zh": "时间进度（已过时间占规划期比例）",
                   "en": "Schedule share (share of the plan period elapsed)"},
    "progress_y": {"zh": "任务进度（已完成变化占目标变化比例）",
                   "en": "Progress share (share of the targeted change achieved)"},
    "diagonal": {"zh": "时间过半、任务过半", "en": "Progress = schedule"},
    "target_reached": {"zh": "达到目标", "en": "Target reached"},
    "not_shown": {"zh": "未列出（无法评估进度）：{names}",
                  "en": "Not shown (progress not measurable): {names}"},
    "outlook_title": {"zh": "到{year}年完成目标的可能性",
                      "en": "Likelihood of meeting the {year} target"},
    "outcome_title": {"zh": "{year}年目标完成情况（未发布的为完成概率）",
                      "en": "Outcome of the {year} target (probability where not published)"},
    "model_range": {"zh": "各模型结果范围", "en": "Range across models"},
    "model_value": {"zh": "单个模型", "en": "Single model"},
    "no_probability": {"zh": "无概率", "en": "no probability"},
    "national": {"zh": "全国", "en": "national"},
}

#: English for the Chinese units of the shipped plans (the plan gives units in Chinese).
UNITS_EN: dict[str, str] = {
    "年": "years",
    "岁": "years of age",
    "个": "number",
    "所": "number",
    "人": "persons",
    "万人": "10,000 persons",
    "元": "yuan",
    "万元": "10,000 yuan",
    "亿元": "100 million yuan",
    "万个": "10,000",
    "个百分点": "percentage points",
}


def word(key: str, lang: str = "zh", **params: object) -> str:
    """The figure word ``key`` in ``lang``, with ``params`` filled in."""
    return WORDS[key][check_lang(lang)].format(**params)


def unit_text(unit: str, lang: str = "zh", unit_en: str = "") -> str:
    """The unit as shown on an axis: as the plan gives it, in English the plan's unit_en
    or a translation we know."""
    if lang == "en":
        return unit_en.strip() or UNITS_EN.get(unit, unit)
    return unit
