"""The target-kind registry: one `KindSpec` per kind, read by progress (the equivalent
level), the outlooks (P(met), running totals of flows), the result's plan line, the plan
checks, the charts and the report.

To add a kind: one module here holding its `KindSpec` (level, plan line, checks, flags,
the report's target sentence in zh and en), its line in KINDS and its literal in
`inputs/plan.py: TargetKind` (the schema); docs/architecture.md lists the rest. Nothing
else names the kinds' rules.
"""

from __future__ import annotations

from planlib.core.targets import (
    annual_change,
    average_growth,
    context,
    cumulative_increase,
    level_at_least,
    level_at_most,
    milestone,
)
from planlib.core.targets.kind import KindSpec

#: Every kind by name, in the order the plan schema lists them, then ``context``.
KINDS: dict[str, KindSpec] = {m.KIND.name: m.KIND for m in (
    level_at_least, level_at_most, annual_change, cumulative_increase, average_growth,
    milestone, context)}
#: The kinds a plan file can write.
PLAN_KINDS: tuple[str, ...] = tuple(name for name in KINDS if name != "context")
#: Every kind's target sentences by template key, in zh and en (the report's templates).
SENTENCES: dict[str, dict[str, str]] = {
    s.key: {"zh": s.zh, "en": s.en} for spec in KINDS.values() for s in spec.sentences}


def kind_of(name: str) -> KindSpec:
    """The spec of target kind ``name`` (ValueError for a kind nobody registered)."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown target kind {name!r}") from None


def flow_total(kind: str, measure: str) -> bool:
    """True when a target of ``kind`` on ``measure`` data is judged on the running total
    of the yearly additions (a cumulative increase on flow data)."""
    return kind_of(kind).totals(measure)
