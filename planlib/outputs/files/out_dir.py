"""Where outputs may go: never into the inputs, and only where they can be written.

An output folder inside ``data/raw/`` or the plan's folder, a folder a data file was
read from, or a folder a data glob can read would overwrite inputs, or be read back as
data on the next run. Such folders are refused (exit 2), as are paths that are files, lie under a
file, or cannot be written; every refusal names the path and what to give instead.
"""

from __future__ import annotations

import errno
import glob
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from planlib import config
from planlib.errors import InputError, Problem

OUT_OPTION = "--out"
_ELSEWHERE = ("leave out --out to write to the project's outputs/<plan_id>/ "
              "(data/processed/<plan_id>/ in this repository), or give a folder "
              "outside data/raw/ and outside every plan and data folder")


def _refusal(out: Path, message: str, fix: str) -> InputError:
    shown = config.display_path(out)
    if len(shown) > 160:  # a 6,000-character path would bury the message
        shown = f"{shown[:80]}…{shown[-60:]}"
    return InputError([Problem(shown, None, OUT_OPTION, None, message, fix)])


#: (folder, how many levels below it count, what it is); None: every level below.
Reach = tuple[Path, int | None, str]


def input_folders(plan_file: Path | None, inputs: Iterable[Path],
                  globs: Sequence[str] = ()) -> list[Reach]:
    """Folders outputs must stay out of, each with how far below it and what it is:
    data/raw/ and the plan's folder (all below), the folder of every data file read, and
    the folders each data glob can read (``../../**/*.csv``: everything two levels up)."""
    folders: list[Reach] = [
        (config.RAW_DIR.resolve(), None, "data/raw/, where inputs live and are never written")]
    if plan_file is not None:
        plan_folder = Path(plan_file).resolve().parent
        folders.append((plan_folder, None, "the plan's folder"))
        for pattern in globs:
            root, depth = glob_reach(plan_folder, pattern)
            folders.append((root, depth, f"the folders the data glob '{pattern}' reads"))
    for f in inputs:
        folders.append((Path(f).resolve().parent, 0,
                        f"a data folder (it holds {config.display_path(Path(f))})"))
    return folders


def glob_reach(folder: Path, pattern: str) -> tuple[Path, int | None]:
    """Where a glob starts (its parts before the first wildcard) and how many folder
    levels below that its files can lie (None with ``**``: any number)."""
    parts = Path(os.path.expanduser(pattern)).parts
    literal: list[str] = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        literal.append(part)
    depth = None if "**" in pattern else len(parts) - 1 - len(literal)
    return Path(os.path.abspath(folder.joinpath(*literal))).resolve(), depth


def _reads(folder: Path, depth: int | None, path: Path) -> bool:
    """True if ``path`` is ``folder`` or within ``depth`` levels below it."""
    if path == folder:
        return True
    if folder not in path.parents:
        return False
    return depth is None or len(path.relative_to(folder).parts) <= depth


def check_out_dir(out: Path, plan_file: Path | None = None,
                  inputs: Iterable[Path] = (), globs: Sequence[str] = ()) -> Path:
    """Refuse an output folder among the inputs or one that cannot be written; return it
    resolved. Called before anything is written."""
    try:
        resolved = Path(os.path.abspath(out)).resolve()
        reaches = input_folders(plan_file, inputs, globs)
        if in_project_outputs(resolved, plan_file):  # never read as data: only data/raw/
            reaches = reaches[:1]
        for folder, depth, what in reaches:
            if _reads(folder, depth, resolved):
                raise _refusal(out, f"the output folder is inside {what}: outputs there "
                               "would overwrite inputs or be read back as data", _ELSEWHERE)
        check_writable(out, resolved)
    except OSError as exc:  # a name too long, ...
        raise write_error(out, exc, writing=False) from None
    except RuntimeError:  # Path.resolve on a loop of symbolic links (Python < 3.13)
        raise write_error(out, OSError(errno.ELOOP, "Symbolic link loop"),
                          writing=False) from None
    except ValueError:  # a NUL character: no file system accepts the name
        raise _refusal(out, "the path contains a NUL character",
                       "retype the --out path") from None
    return resolved


def in_project_outputs(resolved: Path, plan_file: Path | None) -> bool:
    """True if ``resolved`` lies in the plan's project's ``outputs/`` (never read as data)."""
    from planlib.project_folder import project_of

    outputs = project_of(plan_file).outputs_root() if plan_file is not None else None
    return outputs is not None and _reads(outputs.resolve(), None, resolved)


def check_writable(out: Path, resolved: Path) -> None:
    """Refuse a path that is a file, lies under a file, or sits where nothing can be
    written (the nearest existing folder lacks write permission)."""
    if resolved.exists() and not resolved.is_dir():
        raise _refusal(out, "this is a file, not a folder",
                       "give a folder for --out (a new or an existing one), not a file")
    existing = resolved
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise _refusal(out, f"{config.display_path(existing)} is a file, so no folder can "
                       "be made under it", "give a folder path whose parents are folders")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _refusal(out, f"no permission to write in {config.display_path(existing)}",
                       "choose a folder you can write to, or give yourself write "
                       "permission (chmod u+w)")


def write_error(path: Path, exc: OSError, *, writing: bool = True) -> InputError:
    """An OSError met while checking (``writing=False``) or writing outputs, as a located
    problem with a fix."""
    code = exc.errno
    if code == errno.EROFS:
        message, fix = "the drive is read-only", "give --out a folder on a writable drive"
    elif code in (errno.EACCES, errno.EPERM):
        message, fix = ("no permission to write here", "choose a folder you can write to, "
                        "or give yourself write permission (chmod u+w)")
    elif code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        message, fix = "the drive is full", "free some space or give --out another drive"
    elif code in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        message, fix = ("a file stands where a folder is needed (or the reverse)",
                        "give --out a folder path whose parts are all folders")
    elif code == errno.ENAMETOOLONG:
        message, fix = ("the path or one of its names is too long for the file system",
                        "give --out a shorter path (names up to 255 bytes)")
    elif code == errno.ELOOP:
        message, fix = ("the path goes round a loop of symbolic links",
                        "give --out a path without the looping link")
    else:
        message = f"cannot write ({exc.strerror or type(exc).__name__})"
        fix = "check the folder exists and can be written, or give --out another folder"
    if writing:
        message += " (the previous outputs there are left as they were)"
    return _refusal(path, message, fix)
