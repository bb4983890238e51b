"""Which indicators' own charts a report embeds: every one up to `ALL_UP_TO` indicators;
above, only those of the indicators that need attention -- at risk (unlikely, very
unlikely, running late) or behind or moving away from their target -- furthest off first,
at most `MAX_CHARTS`. A report of 200 indicators then stays readable and is drawn in
seconds, not minutes; `planlib figures` still draws every chart (issue #16 item 5)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from planlib.core.result import IndicatorResult
from planlib.outputs.figures.pages import PAGED_ABOVE

#: Up to this many indicators the report shows every indicator's chart (as it always did).
ALL_UP_TO = PAGED_ABOVE
#: Above it, at most this many indicator charts.
MAX_CHARTS = 30
#: Progress statuses that need attention, besides an outlook at risk.
BEHIND = ("behind", "moving_away")


def needs_attention(r: IndicatorResult) -> bool:
    """True when the outlook is unlikely or very unlikely, a project runs late, or progress
    is behind schedule or moving away from the target."""
    return r.at_risk or r.progress_status in BEHIND


def how_far_off(r: IndicatorResult) -> tuple[float, float]:
    """Sort key, furthest off first: P(met), lowest first (none counts as 1), then the share
    of the task progress is short of the share of time gone, largest first."""
    p = r.p_meet if math.isfinite(r.p_meet) else 1.0
    short = 0.0
    if r.progress_status is not None:
        gap = r.progress.schedule_share - r.progress.progress_share
        short = gap if math.isfinite(gap) else 0.0
    return p, -short


def charted(results: Iterable[IndicatorResult]) -> set[tuple[str, str]]:
    """The (id, region) of the results whose chart the report embeds (see the module)."""
    results = list(results)
    if len(results) > ALL_UP_TO:
        results = sorted((r for r in results if needs_attention(r)),
                         key=how_far_off)[:MAX_CHARTS]
    return {(r.id, r.region) for r in results}
