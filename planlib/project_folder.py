"""Where a plan's outputs go: the project the plan belongs to.

Two layouts, decided from where the plan file lies (never from the package's location):

- **A planlib project** (``planlib init DIR``): the folder holding ``plan.yaml``, with the
  data under ``data/`` and every output of plan ``<id>`` under
  ``outputs/<id>/{processed,figures,report,runs}/``. ``outputs/`` is never read as data
  (data globs skip it), so outputs may live beside the plan.
- **This repository's layout** (cookiecutter-data-science): a plan in
  ``<root>/data/raw/<id>/plan.yaml`` writes to ``<root>/data/processed/<id>/``,
  ``<root>/figures/<id>/``, ``<root>/reports/<id>/`` and ``<root>/reports/<id>/runs/``.
  The checkout's shipped plans, and every plan when ``PLANLIB_ROOT`` is set, use the
  folders in ``planlib.config`` (read at call time).

A shipped plan read from an installed package (no checkout) writes to the project of the
working directory: the nearest folder, from the working directory up, holding a
``plan.yaml``, else the working directory itself; never into the installed package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from planlib import config

#: The folder of a planlib project that holds every output (never read as data).
OUTPUTS = "outputs"


@dataclass(frozen=True)
class Project:
    """A project's output folders. ``root`` None: this repository's (config's) folders;
    ``repository`` True: the data/processed, figures, reports layout under ``root``."""

    root: Path | None
    repository: bool

    def processed_dir(self, plan_id: str) -> Path:
        """Tidy observations, the evaluation table and their manifest."""
        if not self.repository:
            return self._outputs(plan_id) / "processed"
        base = config.PROCESSED_DIR if self.root is None else self.root / "data" / "processed"
        return base / plan_id

    def figures_dir(self, plan_id: str) -> Path:
        """The figures' folder; each language in a sub-folder of its own."""
        if not self.repository:
            return self._outputs(plan_id) / "figures"
        return (config.FIGURES_DIR if self.root is None else self.root / "figures") / plan_id

    def report_dir(self, plan_id: str) -> Path:
        """The report's folder (one sub-folder per language, manifest.json beside them)."""
        if not self.repository:
            return self._outputs(plan_id) / "report"
        return (config.REPORTS_DIR if self.root is None else self.root / "reports") / plan_id

    def runs_dir(self, plan_id: str) -> Path:
        """Where each `planlib run` gets a folder of its own."""
        if not self.repository:
            return self._outputs(plan_id) / "runs"
        return self.report_dir(plan_id) / "runs"

    def outputs_root(self) -> Path | None:
        """The folder data globs never read (a planlib project's ``outputs/``)."""
        return None if self.repository or self.root is None else self.root / OUTPUTS

    def _outputs(self, plan_id: str) -> Path:
        assert self.root is not None  # a planlib project always has its folder
        return self.root / OUTPUTS / plan_id


#: This repository's own layout, folders from planlib.config.
REPOSITORY = Project(None, repository=True)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolved(path: Path) -> Path:
    return Path(os.path.abspath(path)).resolve()


def project_of(plan_file: Path | str | None) -> Project:
    """The project a plan file belongs to (see the module docstring for the rules)."""
    if plan_file is None:
        return REPOSITORY if config.HAS_REPOSITORY else working_project()
    plan = _resolved(Path(plan_file))
    if _inside(plan, _resolved(config.RAW_DIR)):
        return REPOSITORY if config.HAS_REPOSITORY else working_project()
    if config.PLANLIB_ROOT_SET:
        return REPOSITORY
    folder = plan.parent
    if folder.parent.name == "raw" and folder.parent.parent.name == "data":
        return Project(folder.parent.parent.parent, repository=True)
    return Project(folder, repository=False)


def find_plan_file(start: Path | None = None) -> Path | None:
    """The plan.yaml of the project the working directory (or ``start``) lies in: the
    nearest folder from there up that holds one; None when there is none."""
    folder = _resolved(start or Path.cwd())
    for candidate in (folder, *folder.parents):
        plan = candidate / config.PLAN_FILENAME
        if plan.is_file():
            return plan
    return None


def working_project(start: Path | None = None) -> Project:
    """The working directory's project: the folder of the nearest plan.yaml from there
    up, else the working directory itself (a new planlib project)."""
    plan = find_plan_file(start)
    if plan is not None and not _inside(plan, _resolved(config.RAW_DIR)):
        return project_of(plan)
    return Project(_resolved(start or Path.cwd()), repository=False)


def project_name(path: Path | str, plan_file: Path | str | None) -> str:
    """A file's name as the plan's project knows it: relative to a planlib project's
    folder (with ``..`` when outside it, never absolute), else as config shows it."""
    project = project_of(plan_file)
    shipped = _inside(_resolved(Path(path)), config.ROOT)
    if project.repository or project.root is None or shipped:
        return config.display_path(Path(path))
    return os.path.relpath(os.path.abspath(path), project.root)
