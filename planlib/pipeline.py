"""One pipeline, shared by the CLI, `planlib run`, the notebooks and the report: load the
plan and its data, evaluate, write the processed outputs and their manifest (as an OWID
etl step is load, process, save)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planlib.constants import DEFAULT_LEVELS
from planlib.core.evaluation import evaluate
from planlib.core.options import RunOptions
from planlib.core.result import Evaluation
from planlib.inputs.observations import LoadedObservations, read_observations
from planlib.inputs.plan import Plan, load_plan
from planlib.project_folder import project_of


@dataclass(frozen=True)
class PlanRun:
    """What one run of the pipeline produced: the plan, what was read (files, warnings,
    the tidy frame), the evaluation, and the files written (manifest last)."""

    plan: Plan
    loaded: LoadedObservations
    evaluation: Evaluation
    parameters: dict[str, Any]
    written: list[Path] = field(default_factory=list)

    @property
    def table(self):  # noqa: ANN201 - a pandas DataFrame
        """The evaluation table (English notes)."""
        return self.evaluation.summary_frame()


def run_plan(
    plan_or_path: Plan | str | Path | None = None, *, as_of: int | None = None,
    model: str = "auto", levels: Sequence[int] = DEFAULT_LEVELS, seed: int = 0,
    out_dir: Path | str | None = None, write: bool = True,
    files: Sequence[Path] | None = None, sensitivity: bool = True, workers: int | None = None,
) -> PlanRun:
    """Load a plan (an id under data/raw/, a folder, a plan.yaml path, or a Plan) and its
    data, evaluate it, and (with ``write``) write evaluation and tidy observations as
    CSV + Parquet with manifest.json to ``out_dir`` (default: the project's processed
    folder, `planlib.project_folder`).

    Every bad input raises InputError listing the problems (the CLI's exit 2); the run
    options are checked here once (`RunOptions.checked`). ``workers``: processes sharing
    the evaluation (None: as `planlib.core.forked.workers` says for the plan's size)."""
    plan = plan_or_path if isinstance(plan_or_path, Plan) else load_plan(plan_or_path)
    opts = RunOptions.checked(plan, as_of=as_of, model=model, levels=levels, seed=seed,
                              sensitivity=sensitivity)
    loaded = read_observations(plan, list(files) if files else None)
    plan = loaded.plan_with_targets(plan)  # areas' own targets (issue #18)
    if write:  # refuse an output folder among the inputs before the work, not after it
        from planlib.outputs.files.out_dir import check_out_dir

        out_dir = Path(out_dir) if out_dir else project_of(plan.path).processed_dir(plan.id)
        check_out_dir(out_dir, plan.path, loaded.files, plan.data)
    ev = evaluate(plan, loaded.frame, options=opts, workers=workers)
    params = opts.as_parameters()
    run = PlanRun(plan, loaded, ev, params)
    if write:
        from planlib.outputs.files.processed import write_processed

        written = write_processed(plan, loaded, {"evaluation": ev.summary_frame()},
                                  Path(out_dir) if out_dir else None, params)
        run.written.extend(written)
    return run
