"""Write a plan's target proposal, ``targets.csv``, beside its other processed outputs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from planlib.inputs.observations import LoadedObservations
from planlib.inputs.plan import Plan
from planlib.outputs.files.atomic import csv_bytes
from planlib.outputs.files.processed import write_plan_files

TARGETS_NAME = "targets.csv"


def write_targets(plan: Plan, loaded: LoadedObservations, table: pd.DataFrame,
                  out_dir: Path | str | None = None,
                  parameters: Mapping[str, Any] | None = None) -> list[Path]:
    """Write ``table`` as ``targets.csv`` (UTF-8 with BOM, formula-safe cells) into
    ``out_dir`` (default: the project's processed folder, as evaluate) the way evaluate
    writes its tables: staged, then the folder's manifest last, which records
    ``parameters`` and keeps evaluate's files; returns the paths written, manifest last."""
    return write_plan_files(plan, loaded, [(TARGETS_NAME, csv_bytes(table))], out_dir,
                            parameters)
