"""Paths of this repository's project and of the inputs planlib ships.

The layout follows cookiecutter-data-science: ``data/raw`` is immutable input,
``data/processed``, ``figures`` and ``reports`` are outputs, one folder per plan id.
In a checkout (or an editable install) the shipped plans, notebooks and backtest summary
are read from the checkout; in an installed wheel, from the package's ``_shipped/``
folder (the same layout, copied in when the wheel is built), and nothing is ever written
there: outputs go to the plan's project (``planlib.project_folder``). Set ``PLANLIB_ROOT`` to
point planlib at another project folder with this repository's layout.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: In an installed wheel: the repository's data/raw, notebooks and benchmarks/results.
BUNDLE_DIR = PACKAGE_DIR / "_shipped"
INSTALLED = BUNDLE_DIR.is_dir()
#: Where the shipped inputs (data/raw/, notebooks/, benchmarks/results/) are read from.
SHIPPED_DIR = BUNDLE_DIR if INSTALLED else PACKAGE_DIR.parent
PLANLIB_ROOT_SET = bool(os.environ.get("PLANLIB_ROOT"))
ROOT = Path(os.environ.get("PLANLIB_ROOT") or SHIPPED_DIR).resolve()
#: True when ROOT is a project of this repository's layout that outputs may be written to
#: (a checkout, or PLANLIB_ROOT); False for an installed package's shipped inputs.
HAS_REPOSITORY = PLANLIB_ROOT_SET or not INSTALLED
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
FIGURES_DIR = ROOT / "figures"
REPORTS_DIR = ROOT / "reports"
NOTEBOOKS_DIR = SHIPPED_DIR / "notebooks"

DEFAULT_PLAN_ID = "cn_education_14th"
PLAN_FILENAME = "plan.yaml"


def plan_path(plan_id: str) -> Path:
    """The plan file of a shipped (or user-added) plan under ``data/raw/<plan_id>/``."""
    return RAW_DIR / plan_id / PLAN_FILENAME


def processed_dir(plan_id: str) -> Path:
    """Where tidy observations and the evaluation table of a repository plan are written."""
    return PROCESSED_DIR / plan_id


def shipped_plan_ids() -> list[str]:
    """Ids of all plans found under ``data/raw`` (folders holding a plan.yaml), sorted."""
    if not RAW_DIR.is_dir():
        return []
    return sorted(p.parent.name for p in RAW_DIR.glob(f"*/{PLAN_FILENAME}"))


def display_path(path: Path) -> str:
    """A file name as the user knows it: relative to the project root when inside it, else
    to the working directory when inside that.

    Symbolic links are kept as the user named them (not resolved to their targets)."""
    path = Path(os.path.abspath(path))
    for root in (ROOT, Path(os.path.abspath(PACKAGE_DIR.parent)), Path(os.getcwd())):
        try:
            return str(path.relative_to(root))
        except ValueError:
            continue
    return str(path)
