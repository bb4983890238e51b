"""Atomic, reproducible file writes: a reader never sees half a file, and a failed run
never leaves a truncated output in place of a good one."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from planlib.outputs.files.file_modes import file_mode
from planlib.outputs.files.safe_cells import neutralise_frame
from planlib.outputs.files.workbook import xlsx_bytes

__all__ = ["csv_bytes", "parquet_bytes", "sha256", "write_bytes_atomic", "xlsx_bytes"]


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temp file beside ``path``, fsync it, then rename over ``path``.

    The file gets the mode ``open()`` would give (0644 under umask 022), not mkstemp's
    0600."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _render(writer: Callable[[io.BytesIO], None]) -> bytes:
    """Run a writer into memory, so the file on disk is only touched by one rename."""
    buf = io.BytesIO()
    writer(buf)
    return buf.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with BOM (Excel opens Chinese text correctly), LF line ends.

    Text cells a spreadsheet would run as a formula get a leading single quote
    (``safe_cells``); numbers are written as numbers."""
    text = neutralise_frame(frame).to_csv(index=False, lineterminator="\n", float_format="%.10g")
    return ("\ufeff" + text).encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet with no pandas index and fixed writer settings, for byte-identical reruns."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return _render(lambda buf: pq.write_table(table, buf, compression="zstd"))


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
