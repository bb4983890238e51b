"""The options of one evaluation run -- as_of, model, levels, seed, sensitivity -- as one
frozen object, checked once at the door (`evaluate`, `run_plan`, the CLI): every bad
option is listed in one `InputError`; the functions inside take the object and check
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from planlib.constants import (
    DEFAULT_LEVELS,
    MODEL_CHOICES,
    YEAR_MAX,
    YEAR_MIN,
    check_levels,
    in_year_range,
    seed_message,
)
from planlib.errors import InputError, Problem
from planlib.inputs.plan import Plan


@dataclass(frozen=True)
class RunOptions:
    """A checked set of run options (build it with `RunOptions.checked`)."""

    as_of: int
    model: str = "auto"
    levels: tuple[int, ...] = DEFAULT_LEVELS
    seed: int = 0
    sensitivity: bool = True

    @classmethod
    def checked(cls, plan: Plan, *, as_of: Any = None, model: Any = "auto",
                levels: Any = DEFAULT_LEVELS, seed: Any = 0,
                sensitivity: bool = True) -> RunOptions:
        """The options for `plan` (as_of defaults to the plan's); InputError listing every
        bad one, each with the value and a fix."""
        year = plan.plan.as_of if as_of is None else as_of
        problems = [p for p in (as_of_problem(plan, year), model_problem(model),
                                seed_problem(seed)) if p is not None]
        lv: tuple[int, ...] = ()
        try:
            lv = check_levels(levels)
        except ValueError as exc:
            problems.append(Problem("levels", None, None, str(levels)[:80], str(exc),
                                    "give whole percentages such as 80,95"))
        if problems:
            raise InputError(problems)
        return cls(int(year), str(model), lv, int(seed), bool(sensitivity))

    def as_parameters(self) -> dict[str, Any]:
        """The options as written to a manifest."""
        return {"as_of": self.as_of, "model": self.model, "levels": list(self.levels),
                "seed": self.seed}


def is_whole(value: object) -> bool:
    """A whole number (int or numpy integer), not a bool."""
    return not isinstance(value, bool) and isinstance(value, int | np.integer)


def as_of_problem(plan: Plan, year: object) -> Problem | None:
    """What is wrong with an evaluation year for `plan`, if anything."""
    if not is_whole(year):
        return Problem("as_of", None, None, str(year)[:80], "not a year",
                       "give a four-digit year such as 2023")
    assert isinstance(year, int | np.integer)
    if not in_year_range(int(year)):
        return Problem("as_of", None, None, str(year), f"year outside {YEAR_MIN}-{YEAR_MAX}",
                       f"give a year such as the plan's own {plan.plan.as_of}")
    if year <= plan.plan.baseline_year:
        return Problem("as_of", None, None, str(year),
                       f"the evaluation year must be after the plan's baseline year "
                       f"{plan.plan.baseline_year}",
                       f"give a later as_of (--as-of), e.g. the plan's own {plan.plan.as_of}")
    return None


def model_problem(model: object) -> Problem | None:
    """An unknown model name, if it is one."""
    if model in MODEL_CHOICES:
        return None
    return Problem("model", None, None, str(model)[:80],
                   f"unknown model {str(model)[:40]!r}",
                   f"choose from {', '.join(MODEL_CHOICES)}")


def seed_problem(seed: object) -> Problem | None:
    """`seed_message` as a Problem."""
    message = seed_message(seed)
    if message is None:
        return None
    return Problem("seed", None, None, str(seed)[:80], message, "give one such as 0 or 42")


def check_as_of(plan: Plan, as_of: object) -> int:
    """The evaluation year alone (the plan's by default), for a door that takes no other
    option; InputError when bad."""
    year = plan.plan.as_of if as_of is None else as_of
    problem = as_of_problem(plan, year)
    if problem is not None:
        raise InputError([problem])
    return int(year)  # type: ignore[call-overload]
