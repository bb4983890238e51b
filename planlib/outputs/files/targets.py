"""Write a plan's target proposal, ``targets.csv``, beside its other processed outputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planlib.inputs.observations import LoadedObservations
from planlib.inputs.plan import Plan
from planlib.outputs.files.atomic import csv_bytes, write_bytes_atomic
from planlib.outputs.files.out_dir import check_out_dir, write_error
from planlib.project_folder import project_of

TARGETS_NAME = "targets.csv"


def write_targets(plan: Plan, loaded: LoadedObservations, table: pd.DataFrame,
                  out_dir: Path | str | None = None) -> Path:
    """Write ``table`` as ``targets.csv`` (UTF-8 with BOM, formula-safe cells) atomically
    into ``out_dir`` (default: the project's processed folder, as evaluate), after the
    same folder checks as every other output; returns the path."""
    out = Path(out_dir) if out_dir else project_of(plan.path).processed_dir(plan.id)
    check_out_dir(out, plan.path, loaded.files, plan.data)
    try:
        return write_bytes_atomic(out / TARGETS_NAME, csv_bytes(table))
    except OSError as exc:
        raise write_error(out, exc) from None
