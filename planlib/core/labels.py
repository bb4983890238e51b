"""Status codes and their words, Chinese and English (DESIGN.md §3–4).

Progress statuses use the words of China's 14th-plan mid-term evaluation; outlook
statuses use the IPCC likelihood scale on P(target met).
"""

from __future__ import annotations

import math

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
}

#: Lower edges of the outlook bands on P(target met), highest first.
OUTLOOK_CUTOFFS: tuple[tuple[float, str], ...] = (
    (0.90, "very_likely"),
    (0.66, "likely"),
    (0.33, "as_likely_as_not"),
    (0.10, "unlikely"),
    (0.0, "very_unlikely"),
)


def outlook_status(p_meet: float) -> str:
    """IPCC-style likelihood band of P(target met); ``insufficient_data`` when unknown."""
    if p_meet is None or math.isnan(p_meet):
        return "insufficient_data"
    for edge, code in OUTLOOK_CUTOFFS:
        if p_meet >= edge:
            return code
    return "very_unlikely"


def label(code: str | None, lang: str = "zh", table: dict | None = None) -> str:
    """Words for a status code in ``lang`` (zh or en); looks in both tables by default."""
    if code is None:
        code = "not_measurable"
    tables = [table] if table else [PROGRESS_LABELS, OUTLOOK_LABELS]
    for t in tables:
        if code in t:
            return t[code][lang]
    raise KeyError(f"unknown status code {code!r}")
