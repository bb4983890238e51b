"""planlib: mid-term evaluation of five-year plan indicators.

Library entry points (each usable alone in a notebook)::

    plan = planlib.load_plan("cn_education_14th")
    obs = planlib.load_observations(plan)
    ev = planlib.evaluate(plan, obs)          # an Evaluation
    ev.summary_frame(lang="zh")               # the evaluation table
    ev["preschool_ger"].summary_frame()       # one indicator's path, per year
    run = planlib.run_plan("demo_city")       # load, evaluate, write outputs + manifest

They are imported lazily so that ``planlib --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_plan": "planlib.inputs.plan",
    "Plan": "planlib.inputs.plan",
    "load_observations": "planlib.inputs.observations",
    "read_observations": "planlib.inputs.observations",
    "DataWarning": "planlib.inputs.observations",
    "evaluate": "planlib.core.evaluation",
    "project": "planlib.core.evaluation",
    "evaluate_dask": "planlib.core.dask_table",
    "Evaluation": "planlib.core.result",
    "IndicatorResult": "planlib.core.result",
    "Note": "planlib.core.labels",
    "forecast": "planlib.core.models",
    "run_plan": "planlib.pipeline",
    "PlanRun": "planlib.pipeline",
    "indicator_chart": "planlib.outputs.figures.charts",
    "overview_chart": "planlib.outputs.figures.charts",
    "progress_chart": "planlib.outputs.figures.charts",
    "outlook_chart": "planlib.outputs.figures.charts",
    "write_figures": "planlib.outputs.figures.charts",
    "InputError": "planlib.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'planlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API (``dir(planlib)``)."""
    return sorted(__all__)
