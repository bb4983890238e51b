"""Find the data files a plan's globs name, refusing what a glob would silently skip."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from planlib.errors import InputError, Problem


def find_data_files(folder: Path, patterns: Sequence[str], plan_file: Path | None) -> list[Path]:
    """Files matched by ``patterns`` (relative to ``folder``, or absolute), in pattern
    order then name order (see :func:`find_data_file_groups`)."""
    return [path for _, path in find_data_file_groups(folder, patterns, plan_file)]


def find_data_file_groups(
    folder: Path, patterns: Sequence[str], plan_file: Path | None
) -> list[tuple[int, Path]]:
    """(index of the first pattern matching it, file) for every data file, in pattern
    order then name order.

    Files of one pattern have no meaningful order (name order is not a choice the user
    made), so a later pattern is how a correction is put after the original.
    A file reached twice (a symbolic link to it) is read once, and the plan file itself
    never counts, nor does anything in a planlib project's ``outputs/`` (its results).
    Raises InputError for matches that cannot be read (broken links, folders without read
    permission), which a glob would silently skip.
    """
    files: list[tuple[int, Path]] = []
    seen: set[Path] = set()
    problems: list[Problem] = []
    plan_real = plan_file.resolve() if plan_file is not None else None
    outputs = _outputs_root(plan_file)
    for group, pattern in enumerate(patterns):
        expanded = os.path.expanduser(pattern)
        if Path(expanded).is_absolute():
            matches = [Path(m) for m in glob.glob(expanded, recursive=True)]
        else:
            matches = list(folder.glob(expanded))
        problems += _unreadable_folders(folder, expanded)
        for f in sorted(matches):
            if f.is_symlink() and not f.exists():
                problems.append(Problem(
                    str(f), None, None, None,
                    "broken symbolic link (it points to a file that does not exist)",
                    "delete the link or point it at the data file"))
                continue
            real = f.resolve()
            if outputs is not None and (real == outputs or outputs in real.parents):
                continue
            if f.is_file() and f.name != "plan.yaml" and real not in seen and real != plan_real:
                seen.add(real)
                files.append((group, f))
    if problems:
        raise InputError(problems)
    return files


def _outputs_root(plan_file: Path | None) -> Path | None:
    """The plan's project's ``outputs/`` folder, resolved (None in this repository's layout)."""
    from planlib.project_folder import project_of

    root = project_of(plan_file).outputs_root() if plan_file is not None else None
    return root.resolve() if root is not None else None


def _unreadable_folders(folder: Path, pattern: str) -> list[Problem]:
    """Folders a glob must list but cannot: their files would be silently missed."""
    literal: list[str] = []
    for part in Path(pattern).parts[:-1]:
        if glob.has_magic(part):
            break
        literal.append(part)
    target = folder.joinpath(*literal)
    if target.is_dir() and not os.access(target, os.R_OK | os.X_OK):
        return [Problem(
            str(target), None, None, None,
            f"folder cannot be read, so the data glob '{pattern}' cannot see its files",
            "give yourself read permission on the folder (chmod u+rx)")]
    return []
