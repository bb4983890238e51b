"""Write a plan's processed files and their manifest to ``data/processed/<plan_id>/``:
``evaluate``'s tables and ``propose``'s targets.csv, the one way into that folder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from planlib.core.columns import is_column, manifest_block
from planlib.inputs.observations import LoadedObservations
from planlib.inputs.plan import Plan
from planlib.outputs.files.atomic import csv_bytes, parquet_bytes
from planlib.outputs.files.earlier_outputs import with_earlier_outputs
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
    Returns every path written, manifest last (see `write_plan_files`)."""
    frames = {"observations": loaded.frame, **(tables or {})}

    def tables_files() -> Iterator[tuple[str, bytes]]:
        for name, frame in frames.items():
            yield f"{name}.parquet", parquet_bytes(frame)
            yield f"{name}.csv", csv_bytes(frame)

    columns = {name: manifest_block(frame.columns) for name, frame in frames.items()
               if all(map(is_column, frame.columns))}
    return write_plan_files(plan, loaded, tables_files(), out_dir, parameters, columns)


def write_plan_files(
    plan: Plan, loaded: LoadedObservations, files: Iterable[tuple[str, bytes]],
    out_dir: Path | str | None = None, parameters: Mapping[str, Any] | None = None,
    columns: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write ``files`` (name, bytes) into the plan's processed folder (default: the
    project's, `planlib.project_folder`) with a manifest of this run (plan, inputs,
    ``plan_id`` and ``parameters``, ``columns`` when given) that keeps listing the other
    runs' files still there unchanged (`earlier_outputs`).

    The folder is checked first (never data/raw/, the plan's or a data file's folder;
    see ``out_dir``). All files are staged beside it and moved in together, manifest
    last (see ``staging``): a failure leaves the previous files and manifest whole.
    Returns every path written, manifest last."""
    out = Path(out_dir) if out_dir else project_of(plan.path).processed_dir(plan.id)
    check_out_dir(out, plan.path, loaded.files, plan.data)

    def manifest(staged: list[Path], folder: Path) -> dict[str, Any]:
        this_run = build_manifest(plan_file=plan.path, inputs=loaded.files, outputs=staged,
                                  out_dir=folder, parameters={"plan_id": plan.id,
                                                              **(parameters or {})})
        if columns is not None:
            this_run["columns"] = dict(columns)
        return with_earlier_outputs(this_run, out)

    return write_staged(out, files, manifest)
