"""Project paths, resolved from the package location (never the working directory).

The layout follows cookiecutter-data-science: ``data/raw`` is immutable input,
``data/processed``, ``figures`` and ``reports`` are outputs, one folder per plan id.
Set ``PLANLIB_ROOT`` to point planlib at another project folder with the same layout.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("PLANLIB_ROOT", PACKAGE_DIR.parent)).resolve()
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
FIGURES_DIR = ROOT / "figures"
REPORTS_DIR = ROOT / "reports"
NOTEBOOKS_DIR = ROOT / "notebooks"

DEFAULT_PLAN_ID = "cn_education_14th"
PLAN_FILENAME = "plan.yaml"


def plan_path(plan_id: str) -> Path:
    """The plan file of a shipped (or user-added) plan under ``data/raw/<plan_id>/``."""
    return RAW_DIR / plan_id / PLAN_FILENAME


def processed_dir(plan_id: str) -> Path:
    """Where tidy observations and the evaluation table of a plan are written."""
    return PROCESSED_DIR / plan_id


def shipped_plan_ids() -> list[str]:
    """Ids of all plans found under ``data/raw`` (folders holding a plan.yaml), sorted."""
    if not RAW_DIR.is_dir():
        return []
    return sorted(p.parent.name for p in RAW_DIR.glob(f"*/{PLAN_FILENAME}"))


def display_path(path: Path) -> str:
    """A file name as the user knows it: relative to the project root when inside it.

    Symbolic links are kept as the user named them (not resolved to their targets)."""
    path = Path(os.path.abspath(path))
    for root in (ROOT, Path(os.path.abspath(PACKAGE_DIR.parent))):
        try:
            return str(path.relative_to(root))
        except ValueError:
            continue
    return str(path)
