"""Write a plan's processed tables and their manifest to ``data/processed/<plan_id>/``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from planlib import config
from planlib.inputs.observations import LoadedObservations
from planlib.inputs.plan import Plan
from planlib.outputs.atomic import write_table
from planlib.outputs.manifest import build_manifest, write_manifest


def write_processed(
    plan: Plan,
    loaded: LoadedObservations,
    tables: Mapping[str, pd.DataFrame] | None = None,
    out_dir: Path | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write tidy observations (and any extra tables) as Parquet + CSV, then the manifest.

    Each file is written atomically; the manifest is written last, so a manifest always
    describes complete outputs. Returns every path written, manifest last.
    """
    out = Path(out_dir) if out_dir else config.processed_dir(plan.id)
    written = write_table(loaded.frame, out / "observations")
    for name, frame in (tables or {}).items():
        written += write_table(frame, out / name)
    manifest = build_manifest(
        plan_file=plan.path, inputs=loaded.files, outputs=written, out_dir=out,
        parameters={"plan_id": plan.id, **(parameters or {})},
    )
    written.append(write_manifest(out / "manifest.json", manifest))
    return written
