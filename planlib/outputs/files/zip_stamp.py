"""Zip-based documents (DOCX, XLSX) with fixed entry dates, so reruns give equal bytes.

python-docx and openpyxl date every zip entry with the current time; `fixed_zip` rewrites
the archive with each entry dated ``stamp`` (zip dates start in 1980), in the same order,
deflated, with fixed permissions.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

ZIP_EPOCH = datetime(1980, 1, 1)


def fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """``data`` (a zip) rewritten with every entry dated ``stamp``."""
    when = max(stamp, ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
