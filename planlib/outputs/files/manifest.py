"""``manifest.json``: what went in, what came out, with which versions and parameters.

Deterministic: keys sorted, paths relative to the project, no wall-clock time unless
``SOURCE_DATE_EPOCH`` is set (then that instant is recorded).
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planlib.config import display_path
from planlib.outputs.files.atomic import sha256

if TYPE_CHECKING:
    from planlib.core.result import Evaluation

MANIFEST_NAME = "manifest.json"
_PACKAGES = ("planlib", "pandas", "numpy", "pyarrow", "statsmodels", "scipy", "openpyxl")


def _versions(extra: Iterable[str] = ()) -> dict[str, str]:
    """Python's version and each package's (``extra`` after the usual ones)."""
    out = {"python": platform.python_version()}
    for name in (*_PACKAGES, *extra):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _hashes(paths: Iterable[Path], relative_to: Path | None = None) -> list[dict[str, str]]:
    """sha256 per file; paths relative to ``relative_to`` (else to the project)."""
    rows = [
        {"path": _relative(Path(p), relative_to) if relative_to else display_path(p),
         "sha256": sha256(p)}
        for p in paths
    ]
    return sorted(rows, key=lambda r: r["path"])


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` with forward slashes (its name when outside it)."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(folder)).as_posix()
    except ValueError:
        return path.name


def build_manifest(
    *, plan_file: Path | None, inputs: Iterable[Path], outputs: Iterable[Path], out_dir: Path,
    parameters: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest as a dict (see module docstring). Outputs are named relative to
    ``out_dir`` (they sit beside the manifest), so the manifest does not depend on where
    the outputs were written."""
    manifest: dict[str, Any] = {
        "plan": _hashes([plan_file])[0] if plan_file else None,
        "inputs": _hashes(inputs),
        "outputs": _hashes(outputs, relative_to=out_dir),
        "parameters": dict(parameters),
        "versions": _versions(),
    }
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        manifest["created"] = datetime.fromtimestamp(int(epoch), tz=UTC).isoformat()
    return manifest


def evaluation_inputs(ev: Evaluation) -> list[Path]:
    """The data files the plan's globs name (the files the evaluation read); none for a
    plan that was not loaded from a file."""
    return ev.plan.data_files() if ev.plan.path is not None else []


def evaluation_manifest(ev: Evaluation, outputs: Iterable[Path], out_dir: Path,
                        parameters: Mapping[str, Any], packages: Iterable[str] = (),
                        ) -> dict[str, Any]:
    """The manifest of outputs drawn from an evaluation: its plan and data files, its run
    parameters (as_of, model, levels, seed) with ``parameters``, and the versions of the
    usual packages with ``packages``."""
    manifest = build_manifest(
        plan_file=ev.plan.path, inputs=evaluation_inputs(ev), outputs=sorted(set(outputs)),
        out_dir=out_dir, parameters={"as_of": ev.as_of, "model": ev.model,
                                     "levels": list(ev.levels), "seed": ev.seed,
                                     **parameters})
    manifest["versions"] = _versions(packages)
    return manifest


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The manifest as sorted, indented UTF-8 JSON."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return text.encode("utf-8")
