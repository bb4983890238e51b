"""Write a plan's processed tables and their manifest to ``data/processed/<plan_id>/``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from planlib.inputs.observations import LoadedObservations
from planlib.inputs.plan import Plan
from planlib.outputs.atomic import csv_bytes, parquet_bytes
from planlib.outputs.manifest import MANIFEST_NAME, build_manifest, manifest_bytes
from planlib.outputs.out_dir import check_out_dir
from planlib.outputs.staging import StagedOutputs
from planlib.project_folder import project_of


def write_processed(
    plan: Plan,
    loaded: LoadedObservations,
    tables: Mapping[str, pd.DataFrame] | None = None,
    out_dir: Path | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write tidy observations (and any extra tables) as Parquet + CSV, then the manifest.

    The folder is checked first (never data/raw/, the plan's or a data file's folder;
    see ``out_dir``). All files are staged beside it and moved in together, manifest
    last (see ``staging``): a failure leaves the previous outputs whole. Returns every
    path written, manifest last.
    """
    out = Path(out_dir) if out_dir else project_of(plan.path).processed_dir(plan.id)
    check_out_dir(out, plan.path, loaded.files, plan.data)
    frames = {"observations": loaded.frame, **(tables or {})}
    with StagedOutputs(out) as stage:
        staged = []
        for name, frame in frames.items():
            staged.append(stage.write(f"{name}.parquet", parquet_bytes(frame)))
            staged.append(stage.write(f"{name}.csv", csv_bytes(frame)))
        manifest = build_manifest(
            plan_file=plan.path, inputs=loaded.files, outputs=staged, out_dir=stage.path(""),
            parameters={"plan_id": plan.id, **(parameters or {})},
        )
        stage.write(MANIFEST_NAME, manifest_bytes(manifest))
        return stage.commit()
