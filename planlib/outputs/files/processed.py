"""Write a plan's processed tables and their manifest to ``data/processed/<plan_id>/``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from planlib.core.columns import is_column, manifest_block
from planlib.inputs.observations import LoadedObservations
from planlib.inputs.plan import Plan
from planlib.outputs.files.atomic import csv_bytes, parquet_bytes
from planlib.outputs.files.manifest import build_manifest
from planlib.outputs.files.out_dir import check_out_dir
from planlib.outputs.files.staging import write_staged
from planlib.project_folder import project_of


def write_processed(
    plan: Plan,
    loaded: LoadedObservations,
    tables: Mapping[str, pd.DataFrame] | None = None,
    out_dir: Path | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write tidy observations (and any extra tables) as Parquet + CSV, then the manifest;
    its ``columns`` block describes each table made of evaluation columns (the schema,
    planlib/core/columns.py): name, dtype, Chinese and English header, meaning.

    The folder is checked first (never data/raw/, the plan's or a data file's folder;
    see ``out_dir``). All files are staged beside it and moved in together, manifest
    last (see ``staging``): a failure leaves the previous outputs whole. Returns every
    path written, manifest last.
    """
    out = Path(out_dir) if out_dir else project_of(plan.path).processed_dir(plan.id)
    check_out_dir(out, plan.path, loaded.files, plan.data)
    frames = {"observations": loaded.frame, **(tables or {})}

    def tables_files() -> Iterator[tuple[str, bytes]]:
        for name, frame in frames.items():
            yield f"{name}.parquet", parquet_bytes(frame)
            yield f"{name}.csv", csv_bytes(frame)

    def manifest(staged: list[Path], folder: Path) -> dict[str, Any]:
        out = build_manifest(plan_file=plan.path, inputs=loaded.files, outputs=staged,
                             out_dir=folder, parameters={"plan_id": plan.id,
                                                         **(parameters or {})})
        out["columns"] = {name: manifest_block(frame.columns) for name, frame in
                          frames.items() if all(map(is_column, frame.columns))}
        return out

    return write_staged(out, tables_files(), manifest)
