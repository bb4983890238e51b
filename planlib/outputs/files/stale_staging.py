"""Staging folders left by runs that died (killed, power cut) before cleaning up.

A staging folder is named ``.<out>.staging-<host>-<pid>-<random>`` (see ``staging``), so
the next write into ``<out>`` can tell whose it is: one of this machine whose process is
gone is removed; one of another machine (a shared drive), or of an older planlib that did
not record the process, only once it is older than ``STALE_AFTER_SECONDS``. Nothing whose
name is not a staging name of that output folder is ever touched.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import time
from pathlib import Path

#: A staging folder whose owner cannot be checked counts as abandoned after a day.
STALE_AFTER_SECONDS = 24 * 3600


def host_tag() -> str:
    """This machine's name as it goes into a staging folder's name (letters, digits, _)."""
    return re.sub(r"[^A-Za-z0-9]", "_", socket.gethostname())[:40] or "host"


def staging_prefix(out_name: str) -> str:
    """The name every staging folder of output folder ``out_name`` starts with, owner
    included: ``.<out>.staging-<host>-<pid>-``."""
    return f".{out_name}.staging-{host_tag()}-{os.getpid()}-"


def _pattern(out_name: str) -> re.Pattern[str]:
    """Staging names of ``out_name``: with owner (host, pid) or without (older planlib);
    the random part is what ``tempfile.mkdtemp`` appends."""
    return re.compile(rf"\.{re.escape(out_name)}\.staging-"
                      r"(?:(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)-)?[a-z0-9_]{8}")


def pid_alive(pid: int) -> bool:
    """True if a process with this id runs on this machine (or may: no permission to ask)."""
    if pid <= 0:
        return True  # never signal a process group; keep what cannot be checked
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def is_stale(path: Path, match: re.Match[str], now: float | None = None) -> bool:
    """Whether a staging folder was abandoned: its process on this machine is gone, or
    (owner unknown or elsewhere) it has not changed for ``STALE_AFTER_SECONDS``."""
    host, pid = match.group("host"), match.group("pid")
    if host == host_tag() and pid is not None:
        return int(pid) != os.getpid() and not pid_alive(int(pid))
    try:
        age = (now if now is not None else time.time()) - path.lstat().st_mtime
    except OSError:
        return False
    return age > STALE_AFTER_SECONDS


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove the abandoned staging folders of ``out_dir`` (beside it and inside it);
    return what was removed. Only real folders with a staging name are considered."""
    out_dir = Path(out_dir)
    pattern = _pattern(out_dir.name)
    removed = []
    for where in (out_dir.parent, out_dir):
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            match = pattern.fullmatch(entry.name)
            if match is None or not entry.is_dir(follow_symlinks=False):
                continue
            path = Path(entry.path)
            if is_stale(path, match):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed
