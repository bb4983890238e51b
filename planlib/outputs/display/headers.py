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

from planlib.core import columns
from planlib.core.columns import is_column
from planlib.core.labels import check_lang

#: Chinese header of each column of the display tables that is not a column of the
#: evaluation table (English: the column name).
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
    "name": "指标名称",
    "first_year": "最早年份",
    "last_year": "最新年份",
    "n_years": "有数据年数",
    "n_missing": "缺失年数",
    "missing_years": "缺失年份",
    "years_behind": "滞后年数",
    # model choice and sensitivity (2.0)
    "members": "组合成员",
    "weights": "组合权重",
    "n_origins": "回测起点数",
    "max_widening": "区间最大放大倍数",
    "reason": "选择理由",
    # targets at risk (3.0)
    "target": "目标值（年份）",
    "latest": "最新值（年份）",
    "progress": "进度",
    "outlook": "预测判断",
    # an indicator's numbers per year (2.0)
    "year": "年份",
    "observed": "实际值",
    "fitted": "拟合值",
    "plan_path": "规划进度（匀速）",
}
# The evaluation table's columns (evaluation.csv; also the 1.0-3.0 tables' ids, models,
# P(met), paces and notes) take their Chinese headers from planlib/core/columns.py.

#: Headers with a part that varies (a model, an interval level): pattern and template.
PATTERNS_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"mase_(?P<rest>.+)"), "回测误差MASE：{rest}"),
    (re.compile(r"p_(?P<rest>.+)"), "达标概率：{rest}"),
)

#: Words in the ``kind`` column of the warnings table.
KIND_ZH: dict[str, str] = {"override": "数值被替换", "note": "提示"}


def header(column: str, lang: str) -> str:
    """The header of ``column`` in ``lang``: the column name in English, the Chinese word
    in Chinese, from the display words, the table's schema or a pattern (a year or an
    unknown column keeps its name)."""
    if check_lang(lang) == "en" or not isinstance(column, str):
        return column
    if column in HEADERS_ZH:
        return HEADERS_ZH[column]
    if is_column(column):
        return columns.column(column).zh
    for pattern, template in PATTERNS_ZH:
        if found := pattern.fullmatch(column):
            return template.format(rest=found.group("rest"))
    return column


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its headers in ``lang`` (a new frame; English returns it as is)."""
    if check_lang(lang) == "en":
        return frame
    return frame.rename(columns=lambda c: header(c, lang))
