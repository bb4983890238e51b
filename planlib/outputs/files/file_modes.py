"""File modes of outputs: what ``open()`` would give (0644 under the usual umask 022),
never ``mkstemp``'s private 0600, so colleagues on a shared drive can read them."""

from __future__ import annotations

import os
import re
from pathlib import Path

_UMASK_LINE = re.compile(r"^Umask:\s*([0-7]+)$", re.MULTILINE)


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    try:
        found = _UMASK_LINE.search(Path("/proc/self/status").read_text())
    except OSError:
        found = None
    if found:
        return int(found.group(1), 8)
    mask = os.umask(0o022)  # elsewhere: the classic set-and-restore
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Mode of a new output file: 0666 less the umask (0644 under umask 022)."""
    return 0o666 & ~current_umask()


def dir_mode() -> int:
    """Mode of a new output folder: 0777 less the umask (0755 under umask 022)."""
    return 0o777 & ~current_umask()
