"""The Chinese names plan.yaml may write instead of a code (约束性 for binding, 下降 for
decrease): one table, documented in docs/plan-format.md ("Chinese names of the codes");
a target kind's names are in its own module (`core.targets`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from planlib.core.targets.registry import KINDS

#: Per field of plan.yaml: Chinese name → code.
CHINESE_NAMES: dict[str, dict[str, str]] = {
    "nature": {"约束性": "binding", "预期性": "expected", "未知": "unknown"},
    "direction": {"上升": "increase", "提高": "increase", "增加": "increase",
                  "增长": "increase", "越高越好": "increase",
                  "下降": "decrease", "降低": "decrease", "减少": "decrease",
                  "越低越好": "decrease"},
    "measure": {"存量": "stock", "水平": "stock", "流量": "flow", "年度新增": "flow"},
    "kind": {zh: kind.name for kind in KINDS.values() for zh in kind.names_zh},
    "status": {"计划": "planned", "未开工": "planned", "在建": "under_construction",
               "建设中": "under_construction", "已建成": "completed", "已完成": "completed"},
}
NATURE_NAMES = CHINESE_NAMES["nature"]


def code_of(field: str) -> Callable[[object], object]:
    """A pydantic before-validator: a Chinese name of ``field``'s codes becomes the code;
    anything else is left for the field's own check (which lists the codes)."""
    names = CHINESE_NAMES[field]

    def to_code(value: object) -> object:
        if isinstance(value, str):
            return names.get(unicodedata.normalize("NFKC", value).strip(), value)
        return value

    return to_code
