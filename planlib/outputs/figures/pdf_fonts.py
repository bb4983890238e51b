"""The font subsets a PDF embeds, made once per process: matplotlib reads and subsets the
Chinese font file with fontTools for every PDF it writes, most of an indicator chart's PDF
(measured in benchmarks/README.md, many indicators), though a plan's figures often need
the same glyphs (digits, axis and legend words, status words).

The subset of a font file for a set of glyphs is a pure function of the two, so it is kept
by (file, face, glyphs) and the same bytes are embedded: the PDF is byte-identical to an
uncached one. Used only around `savefig` (`subsets_cached`) and only with matplotlib's
current subsetting interface (3.11: `SubsetResults`); with an older matplotlib nothing is
patched and every PDF subsets the font as before.

Worker processes drawing one plan's figures (`render`) share their subsets through a
private temporary folder (`shared_between_workers`), so a subset one worker made is not
made again by the other.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

from matplotlib.backends import _backend_pdf_ps

#: Subsets kept per process (each a few tens of KB): a plan's figures share a handful.
CACHE_SIZE = 64

Key = tuple[str, int, tuple[int, ...]]
#: (font file, face, glyphs) -> (subset font bytes, original -> subset glyph index).
_CACHE: OrderedDict[Key, tuple[bytes, dict[Any, Any]]] = OrderedDict()
#: How many subsets were really made (fontTools run) in this process; read by tests.
made = [0]
#: The folder the worker processes of one drawing run share subsets through (inherited
#: by forked workers; empty: none).
_SHARED: list[Path] = []


class _SavedFont:
    """A subset font already saved: `font_as_file` gets its bytes back unchanged."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def save(self, file: BytesIO, reorderTables: bool = False) -> None:  # noqa: N803 -- fontTools' name
        """Write the saved bytes (what TTFont.save wrote when the subset was made)."""
        file.write(self.data)

    def close(self) -> None:
        """Nothing to close: the font file was closed when the subset was made."""

    def __enter__(self) -> _SavedFont:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _key(fontfile: Any, glyphs: Collection[Any]) -> Key:
    return str(fontfile), int(getattr(fontfile, "face_index", 0)), tuple(sorted(glyphs))


def _cached(original: Callable[..., Any]) -> Callable[..., Any]:
    """matplotlib's get_glyphs_subset, remembering each subset's bytes and glyph map."""

    def get_glyphs_subset(fontfile: Any, glyphs: Collection[Any]) -> Any:
        try:
            return remembered(fontfile, glyphs)
        except (AttributeError, TypeError):  # matplotlib's private interface moved: as before
            return original(fontfile, glyphs)

    def remembered(fontfile: Any, glyphs: Collection[Any]) -> Any:
        key = _key(fontfile, glyphs)
        if key not in _CACHE:
            kept = _from_shared(key)
            if kept is None:
                with original(fontfile, glyphs) as made_now:
                    data = _backend_pdf_ps.font_as_file(made_now.font).getvalue()
                    kept = (data, dict(made_now.glyph_index_map))
                made[0] += 1
                _to_shared(key, kept)
            _CACHE[key] = kept
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
        _CACHE.move_to_end(key)
        data, index_map = _CACHE[key]
        return _backend_pdf_ps.SubsetResults(_SavedFont(data), dict(index_map))._as_cm()

    return get_glyphs_subset


def _shared_file(key: Key) -> Path | None:
    """Where the subset of ``key`` is kept for the other workers (None: no shared folder)."""
    if not _SHARED:
        return None
    return _SHARED[-1] / hashlib.sha256(repr(key).encode("utf-8")).hexdigest()


def _from_shared(key: Key) -> tuple[bytes, dict[Any, Any]] | None:
    """The subset of ``key`` another worker made, if one did."""
    path = _shared_file(key)
    try:
        return None if path is None else pickle.loads(path.read_bytes())  # noqa: S301 -- our own private folder
    except FileNotFoundError:
        return None


def _to_shared(key: Key, kept: tuple[bytes, dict[Any, Any]]) -> None:
    """Keep a subset just made for the other workers (whole or not at all: renamed in)."""
    path = _shared_file(key)
    if path is None:
        return
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(part, path)


@contextmanager
def shared_between_workers() -> Iterator[None]:
    """Within: subsets made by one forked worker are found by the others (a private
    temporary folder, removed at the end), not made again by each."""
    with tempfile.TemporaryDirectory(prefix="planlib-pdf-fonts-") as folder:
        _SHARED.append(Path(folder))
        try:
            yield
        finally:
            _SHARED.pop()


@contextmanager
def subsets_cached() -> Iterator[None]:
    """Within: PDFs embed font subsets made once per process (see the module's note)."""
    if not hasattr(_backend_pdf_ps, "SubsetResults"):  # matplotlib < 3.11: leave it be
        yield
        return
    original = _backend_pdf_ps.get_glyphs_subset
    _backend_pdf_ps.get_glyphs_subset = _cached(original)
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = original
