"""planlib: mid-term evaluation of five-year plan indicators.

Library entry points (each usable alone in a notebook)::

    plan = planlib.load_plan("cn_education_14th")
    obs = planlib.load_observations(plan)
    table = planlib.evaluate(plan, obs)
    fc = planlib.project(plan, obs, "preschool_ger")

They are imported lazily so that ``planlib --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_plan": "planlib.inputs.plan",
    "load_observations": "planlib.inputs.observations",
    "read_observations": "planlib.inputs.observations",
    "evaluate": "planlib.core.evaluation",
    "project": "planlib.core.evaluation",
    "forecast": "planlib.core.models",
    "InputError": "planlib.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'planlib' has no attribute {name!r}")
