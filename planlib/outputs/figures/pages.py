"""How the overview, progress and outlook charts split into pages: above ``PAGED_ABOVE``
indicators each chart becomes even pages that fit an A4 text block (16 × 24 cm), so a
plan with 200 indicators gets readable pages instead of one chart metres tall.

Pure arithmetic (no matplotlib): the charts and the report's figure list read it alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

#: Up to this many indicators a chart is one figure (as it always was).
PAGED_ABOVE = 30
#: Indicators per page once paged: what fits 24 cm of an A4 page for each chart.
PER_PAGE: dict[str, int] = {"overview": 12, "progress": 20, "outlook": 24}
#: The charts that are paged, in the order they are drawn.
PAGED_CHARTS: tuple[str, ...] = ("overview", "progress", "outlook")


def pages(items: Sequence[T], chart: str) -> list[list[T]]:
    """``items`` (the indicators, in order) split into the pages of ``chart``: one page up
    to PAGED_ABOVE, else as few even pages as hold at most PER_PAGE[chart] each."""
    items = list(items)
    if len(items) <= PAGED_ABOVE:
        return [items]
    n_pages = math.ceil(len(items) / PER_PAGE[chart])
    size = math.ceil(len(items) / n_pages)
    return [items[i:i + size] for i in range(0, len(items), size)]


def page_stems(chart: str, n_items: int) -> list[str]:
    """The file stems of ``chart``'s pages: ``chart`` alone, or ``chart_1`` … ``chart_n``."""
    n_pages = len(pages(range(n_items), chart))
    return [chart] if n_pages == 1 else [f"{chart}_{i}" for i in range(1, n_pages + 1)]
