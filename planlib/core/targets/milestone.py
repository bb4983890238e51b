"""``milestone``: a count or a 0–100 % coverage reaching v (build 1 public high school;
every school has a counsellor). A whole count without a rate's unit is a scheduled project
(`core.series.is_discrete_project`), judged by its schedule rather than a trend."""

from __future__ import annotations

from planlib.core.targets.kind import KindSpec, Sentence, bounds_problem
from planlib.core.targets.level_at_least import level


def check(value: float, lo: float | None, hi: float | None, direction: str) -> str | None:
    """A milestone inside the bounds (either direction)."""
    return bounds_problem(value, lo, hi)


#: A coverage or rate reached; a whole project (one new school) built.
REACHED = Sentence("target.milestone", zh="{milestone}为到{year}实现{target}。",
                   en="{milestone} is {target} by {year}.")
BUILT = Sentence("target.project", zh="{asks}到{year}建成{amount}。",
                 en="{asks} {amount} to be built by {year}.")


def sentence(measure: str, project: bool) -> str:
    """Built for a whole project, reached otherwise."""
    return BUILT.key if project else REACHED.key


KIND = KindSpec("milestone", level, ("里程碑",), check=check, value_is_level=True,
                counts_projects=True, sentences=(REACHED, BUILT), choose_sentence=sentence)
