"""The column headers of the notebooks' display tables (``tables``), in Chinese and
English, in one place.

Tables are built with English column names (the names code and tests use); `localise`
puts the headers of the chosen language on them just before they are shown. English
keeps the column names as they are; Chinese uses the words of the report and the status
tables (status words live in planlib.core.labels, the report's sentences in
planlib.outputs.report.text).
"""

from __future__ import annotations

import re

import pandas as pd

from planlib.core.labels import check_lang

#: Chinese header of each column of the display tables (English: the column name).
HEADERS_ZH: dict[str, str] = {
    # files read and warnings (1.0)
    "order": "读取顺序",
    "file": "文件",
    "format": "格式",
    "bytes": "字节数",
    "observations_kept": "采用数据条数",
    "series": "序列数",
    "years": "年份",
    "kind": "类型",
    "warning": "提示内容",
    # gaps and the wide data (1.0)
    "indicator_id": "指标代码",
    "region": "地区",
    "name": "指标名称",
    "first_year": "最早年份",
    "last_year": "最新年份",
    "n_years": "有数据年数",
    "n_missing": "缺失年数",
    "missing_years": "缺失年份",
    "years_behind": "滞后年数",
    # model choice and sensitivity (2.0)
    "model": "预测模型",
    "members": "组合成员",
    "weights": "组合权重",
    "n_origins": "回测起点数",
    "max_widening": "区间最大放大倍数",
    "reason": "选择理由",
    "p_meet": "达标概率",
    "call_robust": "判断不随模型改变",
    # targets at risk (3.0)
    "nature": "属性",
    "target": "目标值（年份）",
    "latest": "最新值（年份）",
    "progress": "进度",
    "outlook": "预测判断",
    "required_pace": "所需年均变化",
    "recent_pace": "近年年均变化",
    "notes": "说明",
    # an indicator's numbers per year (2.0)
    "year": "年份",
    "observed": "实际值",
    "fitted": "拟合值",
    "plan_path": "规划进度（匀速）",
    "median": "预测中位数",
    # the evaluation table (3.0; the columns of evaluation.csv)
    "target_kind": "目标类型",
    "baseline_year": "基期年份",
    "baseline_value": "基期值",
    "target_year": "目标年份",
    "target_value": "目标值",
    "latest_year": "最新值年份",
    "latest_value": "最新值",
    "n_obs": "观测值个数",
    "schedule_share": "时间进度",
    "progress_share": "任务进度",
    "progress_ratio": "进度比",
    "progress_status": "进度状态代码",
    "outlook_status": "预测判断代码",
    "name_zh": "指标名称（中文）",
    "name_en": "指标名称（英文）",
    "unit": "单位",
    "group": "分组",
    "direction": "方向",
    "measure": "数据类型（存量/流量）",
    "target_raw_value": "规划目标原值",
    "acceleration_needed": "所需加速倍数",
    "growth_ratio": "增长比率R",
    "progress_status_zh": "进度状态",
    "progress_status_en": "进度状态（英文）",
    "outlook_status_zh": "预测判断",
    "outlook_status_en": "预测判断（英文）",
    "latest_flag": "最新值标记",
    "model_reason": "模型选择理由",
    "notes_zh": "说明（中文）",
    "notes_en": "说明（英文）",
    "note_codes": "说明代码",
    "fit_from": "拟合起始年",
    "fit_to": "拟合终止年",
    "model_members": "模型组合成员",
    "p_meet_text": "达标概率（文字）",
    "p_meet_by_model": "各模型达标概率",
    "schedule_status": "项目进度代码",
    "schedule_status_zh": "项目进度",
    "schedule_status_en": "项目进度（英文）",
}

#: Headers with a part that varies (a model, an interval level): pattern and template.
PATTERNS_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"mase_(?P<rest>.+)"), "回测误差MASE：{rest}"),
    (re.compile(r"p_(?P<rest>.+)"), "达标概率：{rest}"),
    (re.compile(r"lo(?P<rest>\d+)"), "{rest}%区间下限"),
    (re.compile(r"hi(?P<rest>\d+)"), "{rest}%区间上限"),
)

#: Words in the ``kind`` column of the warnings table.
KIND_ZH: dict[str, str] = {"override": "数值被替换", "note": "提示"}


def header(column: str, lang: str) -> str:
    """The header of ``column`` in ``lang``: the column name in English, the Chinese word
    in Chinese (a year or an unknown column keeps its name)."""
    if check_lang(lang) == "en" or not isinstance(column, str):
        return column
    if column in HEADERS_ZH:
        return HEADERS_ZH[column]
    for pattern, template in PATTERNS_ZH:
        if found := pattern.fullmatch(column):
            return template.format(rest=found.group("rest"))
    return column


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its headers in ``lang`` (a new frame; English returns it as is)."""
    if check_lang(lang) == "en":
        return frame
    return frame.rename(columns=lambda c: header(c, lang))
