"""Outputs written together: staged in a temporary folder, then moved into place with
the manifest last, so the output folder always holds one run's complete outputs.

Files are rendered into ``.<folder>.staging-<host>-<pid>-*`` beside the output folder (or
inside it, when only it may be written): the same drive, so each move is an atomic rename.
Staging folders left by a process that died are removed on the next write into the
folder (``stale_staging``). Moving
in: the old manifest is set aside first (while files move, no manifest claims them),
each file replaces its old version, and the new manifest goes in last. If anything
fails the old files and manifest are put back, so a failure leaves the previous outputs
whole and matching their manifest.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from planlib.outputs.files.file_modes import dir_mode, file_mode
from planlib.outputs.files.manifest import MANIFEST_NAME as MANIFEST
from planlib.outputs.files.manifest import manifest_bytes
from planlib.outputs.files.out_dir import write_error
from planlib.outputs.files.stale_staging import remove_stale_staging, staging_prefix


class StagedOutputs:
    """A set of output files staged beside ``out_dir`` and committed together.

    Use as a context manager: ``write`` each file, then ``commit``; leaving the block
    without a commit (an exception) discards the staged files and leaves ``out_dir``
    as it was. OSErrors become InputErrors naming ``out_dir`` and a fix."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.names: list[str] = []
        self.folder: Path | None = None

    def __enter__(self) -> StagedOutputs:
        try:
            self.out_dir.mkdir(mode=dir_mode(), parents=True, exist_ok=True)
            remove_stale_staging(self.out_dir)
            self.folder = self._staging_folder()
        except OSError as exc:
            raise write_error(self.out_dir, exc) from None
        return self

    def _staging_folder(self) -> Path:
        """A new private folder beside the output folder, or inside it when only the
        output folder itself may be written (a shared drive); either way on its drive."""
        prefix = staging_prefix(self.out_dir.name)  # names its owner: see stale_staging
        try:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=self.out_dir.parent))
        except OSError:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=self.out_dir))

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def path(self, name: str) -> Path:
        """Where ``name`` is staged (for code that hashes or inspects staged files)."""
        if self.folder is None:
            raise RuntimeError("StagedOutputs used outside its 'with' block")
        return self.folder / name

    def write(self, name: str, data: bytes) -> Path:
        """Stage one file (a name relative to the output folder, ``/`` between folders)
        with a normal mode; return its staged path. A name staged twice is refused: two
        outputs must never share a file."""
        if name in self.names:
            raise ValueError(f"two outputs would be written to the same file {name!r}")
        staged = self.path(checked_name(name))
        try:
            staged.parent.mkdir(mode=dir_mode(), parents=True, exist_ok=True)
            with open(staged, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(staged, file_mode())
        except OSError as exc:
            raise write_error(self.out_dir, exc) from None
        self.names.append(name)
        return staged

    def commit(self) -> list[Path]:
        """Move every staged file into ``out_dir``, the manifest last; on failure put the
        previous files back. Returns the final paths in the order written."""
        order = [n for n in self.names if n != MANIFEST] + [n for n in self.names
                                                            if n == MANIFEST]
        backup = self.path(".previous")
        moved: list[tuple[str, bool]] = []
        old_manifest = self.out_dir / MANIFEST
        had_manifest = False
        try:
            backup.mkdir()
            had_manifest = old_manifest.exists()
            if had_manifest:
                os.replace(old_manifest, backup / MANIFEST)
            for name in order:
                dest = self.out_dir / name
                existed = dest.exists() and name != MANIFEST
                if existed:
                    (backup / name).parent.mkdir(parents=True, exist_ok=True)
                    _keep_copy(dest, backup / name)
                dest.parent.mkdir(mode=dir_mode(), parents=True, exist_ok=True)
                os.replace(self.path(name), dest)
                moved.append((name, existed))
            _sync_folder(self.out_dir)
        except BaseException as exc:
            self._roll_back(moved, backup, had_manifest)
            if isinstance(exc, OSError):
                raise write_error(self.out_dir, exc) from None
            raise
        return [self.out_dir / n for n in order]

    def _roll_back(self, moved: list[tuple[str, bool]], backup: Path,
                   had_manifest: bool) -> None:
        """Put back what a failed commit replaced: old files, and the old manifest last."""
        for name, existed in reversed(moved):
            dest = self.out_dir / name
            if existed:
                os.replace(backup / name, dest)
            else:
                dest.unlink(missing_ok=True)
        if had_manifest:
            os.replace(backup / MANIFEST, self.out_dir / MANIFEST)


def write_staged(out_dir: Path, files: Iterable[tuple[str, bytes]],
                 manifest: Callable[[list[Path], Path], Mapping[str, Any]] | None = None,
                 ) -> list[Path]:
    """The one way outputs are written: stage each (name, bytes) of ``files`` beside
    ``out_dir`` as it comes, then ``manifest.json`` built by ``manifest(staged paths,
    staging folder)``, and move them all in together, manifest last. Returns the final
    paths in the order written (manifest last); a failure leaves ``out_dir`` as it was."""
    with StagedOutputs(Path(out_dir)) as stage:
        staged = [stage.write(name, data) for name, data in files]
        if manifest is not None:
            stage.write(MANIFEST, manifest_bytes(manifest(staged, stage.path(""))))
        return stage.commit()


def checked_name(name: str) -> str:
    """``name`` if it stays inside the output folder (relative, no ``..``), else an error."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
        raise ValueError(f"output name {name!r} must be a relative path inside the folder")
    return name


def _keep_copy(dest: Path, copy: Path) -> None:
    """Keep the old version of ``dest`` (a hard link where possible: no bytes copied)."""
    try:
        os.link(dest, copy)
    except OSError:
        shutil.copy2(dest, copy)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so the renames survive a power cut."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
