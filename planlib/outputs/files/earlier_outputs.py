"""Files of earlier runs in a folder two commands write (``evaluate``'s tables and
``propose``'s targets.csv): the next manifest keeps listing each one that is still there
unchanged, with the description of the run that wrote it.

A manifest's top-level ``plan``, ``inputs``, ``parameters``, ``versions`` (``columns``,
``created``) describe the run that wrote it; its ``outputs`` list every file of the folder
it vouches for, with sha256; ``earlier`` (only when there are such files) holds one block
per earlier run still represented: that run's description, copied unchanged, and the
``files`` it wrote. A file is carried over only when the previous manifest lists it, this
run does not rewrite it, and its bytes still have the recorded sha256; anything else in
the folder is not vouched for. A previous manifest that cannot be read carries nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planlib.outputs.files.atomic import sha256
from planlib.outputs.files.manifest import MANIFEST_NAME
from planlib.outputs.files.staging import checked_name

EARLIER = "earlier"
_NOT_A_RUN = ("outputs", EARLIER)  # the keys of a manifest that do not describe its run

Entry = dict[str, str]
Run = tuple[dict[str, Any], list[Entry]]


def with_earlier_outputs(manifest: Mapping[str, Any], out_dir: Path) -> dict[str, Any]:
    """``manifest`` (this run's, its ``outputs`` the files it writes) with the still
    unchanged files that ``out_dir``'s current manifest lists from other runs added to
    ``outputs`` and described under ``earlier`` (module doc). Called before the commit,
    while the previous manifest is still in place."""
    written = {entry["path"] for entry in manifest["outputs"]}
    outputs = list(manifest["outputs"])
    earlier = []
    for description, entries in _runs(_previous(Path(out_dir) / MANIFEST_NAME)):
        kept = [e for e in entries if e["path"] not in written and _unchanged(out_dir, e)]
        if kept:
            outputs.extend(kept)
            earlier.append({**description, "files": sorted(e["path"] for e in kept)})
    if not earlier:
        return dict(manifest)
    return {**manifest, "outputs": sorted(outputs, key=lambda e: e["path"]),
            EARLIER: sorted(earlier, key=lambda block: block["files"])}


def _previous(path: Path) -> dict[str, Any] | None:
    """The folder's current manifest, or None when it is missing, unreadable or not shaped
    like one (a hand-edited file is not trusted to vouch for anything)."""
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(manifest, dict) or not _entries_ok(manifest.get("outputs")):
        return None
    blocks = manifest.get(EARLIER, [])
    if not isinstance(blocks, list) or not all(_block_ok(b) for b in blocks):
        return None
    return manifest


def _entries_ok(entries: object) -> bool:
    """A list of ``{"path": str, "sha256": str}`` entries."""
    return isinstance(entries, list) and all(
        isinstance(e, dict) and isinstance(e.get("path"), str)
        and isinstance(e.get("sha256"), str) for e in entries)


def _block_ok(block: object) -> bool:
    """An ``earlier`` block: a dict whose ``files`` is a list of names."""
    return isinstance(block, dict) and isinstance(block.get("files"), list) and all(
        isinstance(name, str) for name in block["files"])


def _runs(manifest: Mapping[str, Any] | None) -> list[Run]:
    """Each run a manifest describes with the output entries it wrote: its ``earlier``
    blocks, then the run that wrote it (every entry no block claims)."""
    if manifest is None:
        return []
    entries = {e["path"]: {"path": e["path"], "sha256": e["sha256"]}
               for e in manifest["outputs"]}
    claimed: set[str] = set()
    runs: list[Run] = []
    for block in manifest.get(EARLIER, []):
        names = [n for n in dict.fromkeys(block["files"]) if n in entries and n not in claimed]
        claimed.update(names)
        runs.append(({k: v for k, v in block.items() if k not in (*_NOT_A_RUN, "files")},
                     [entries[n] for n in names]))
    own = {k: v for k, v in manifest.items() if k not in _NOT_A_RUN}
    runs.append((own, [e for name, e in entries.items() if name not in claimed]))
    return runs


def _unchanged(out_dir: Path, entry: Entry) -> bool:
    """Whether the entry names a regular file inside ``out_dir`` (never the manifest) whose
    bytes still have the recorded sha256."""
    try:
        name = checked_name(entry["path"])
    except ValueError:
        return False
    path = Path(out_dir) / name
    if name == MANIFEST_NAME or path.is_symlink() or not path.is_file():
        return False
    try:
        return sha256(path) == entry["sha256"]
    except OSError:
        return False
