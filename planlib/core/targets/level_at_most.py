"""``level_at_most``: stay at or below v by the target year (junior-school myopia ≤ 60 % by
2030): y(T) ≤ v."""

from __future__ import annotations

from planlib.core.targets.kind import KindSpec, Sentence, bounds_problem
from planlib.core.targets.level_at_least import level


def check(value: float, lo: float | None, hi: float | None, direction: str) -> str | None:
    """A ceiling inside the bounds, on an indicator where lower is better."""
    if problem := bounds_problem(value, lo, hi):
        return problem
    if direction == "increase":
        return "level_at_most target with direction: increase; use decrease"
    return None


SENTENCE = Sentence("target.level_at_most", zh="{subject}为到{year}控制在{target}以内。",
                    en="{subject} is at most {target} by {year}.")

KIND = KindSpec("level_at_most", level, ("不高于", "控制在"), check=check,
                value_is_level=True, sentences=(SENTENCE,))
