"""Find the data files a plan's globs name, refusing what a glob would silently skip."""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from planlib.errors import InputError, Problem
from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.reading.files import SUPPORTED_SUFFIXES


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
        problems += _unreadable_folders(folder, expanded)
        for f in _matches(folder, expanded):
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


def _matches(folder: Path, pattern: str) -> list[Path]:
    """What one (expanded) glob matches, in name order: files, folders, links, anything."""
    if Path(pattern).is_absolute():
        return sorted(Path(m) for m in glob.glob(pattern, recursive=True))
    return sorted(folder.glob(pattern))


def special_files(folder: Path, patterns: Sequence[str]) -> list[InputWarning]:
    """Pipes, devices and sockets a data glob matches (a link to /dev/zero): never opened
    (reading one could block or never end), but named, since a glob would skip them
    without a word."""
    found = []
    for pattern in patterns:
        for f in _matches(folder, os.path.expanduser(pattern)):
            kind = _special_kind(f)
            if kind:
                found.append(InputWarning("not_a_regular_file", {"kind": kind}, str(f)))
    return found


def _special_kind(path: Path) -> str | None:
    """fifo, device, socket or other for what is neither a file, a folder nor a broken
    link (stat follows links, so a link to a device is a device), folder for a folder
    named like a data file (archive.csv); None otherwise."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a broken link: refused by find_data_file_groups
    if stat.S_ISDIR(mode):  # "updates/*" matches folders; "old.csv/" is a mistake
        return "folder" if path.suffix.lower() in SUPPORTED_SUFFIXES else None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "socket" if stat.S_ISSOCK(mode) else "other"


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
