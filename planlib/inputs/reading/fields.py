"""Header labels the user may write for each field, in English or Chinese."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indicator", "id", "code", "指标代码", "指标编码", "指标id"),
    "year": ("year", "年份", "年度"),
    "value": ("value", "数值", "值", "数据"),
    "region": ("region", "地区", "区域"),
    "flag": ("flag", "标记", "标志"),
    "note": ("note", "notes", "备注", "说明"),
    "source": ("source", "来源", "数据来源"),
    "name_zh": ("name_zh", "指标名称", "名称", "指标", "项目", "指标项", "指标项目"),
    "name_en": ("name_en",),
    "unit": ("unit", "单位", "计量单位"),
    "confidence": ("confidence", "可信度"),
    "target": ("target", "目标", "目标值", "规划目标", "分区目标", "地区目标", "area_target"),
    "serial": ("序号", "编号", "no.", "no", "#"),
}
#: Fields that name the indicator of a row: its id, or else its name (matched to the plan).
IDENTITY_FIELDS: tuple[str, ...] = ("indicator_id", "name_zh")


def _key(label: str) -> str:
    """Header label folded for alias matching: NFKC, lower case, no spaces/underscores."""
    folded = unicodedata.normalize("NFKC", label).lower()
    return re.sub(r"[\s_]+", "", folded)


_FIELD_OF_KEY: dict[str, str] = {
    _key(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}


def fields_of(labels: Sequence[str]) -> list[str | None]:
    """The field each header label names, or None for a label that names none."""
    return [_FIELD_OF_KEY.get(_key(label)) for label in labels]
