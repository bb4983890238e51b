"""The font subsets a PDF embeds, made once per process: matplotlib reads and subsets the
Chinese font file (2.7 MB a weight) with fontTools for every PDF it writes, about 0.07 s
a weight, over two thirds of an indicator chart's PDF, though a plan's figures often need
the same glyphs (digits, axis and legend words, status words).

The subset of a font file for a set of glyphs is a pure function of the two, so it is kept
by (file, face, glyphs) and the same bytes are embedded: the PDF is byte-identical to an
uncached one. Used only around `savefig` (`subsets_cached`) and only with matplotlib's
current subsetting interface (3.11: `SubsetResults`); with an older matplotlib nothing is
patched and every PDF subsets the font as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any

from matplotlib.backends import _backend_pdf_ps

#: Subsets kept per process (each a few tens of KB): a plan's figures share a handful.
CACHE_SIZE = 64

Key = tuple[str, int, tuple[int, ...]]
#: (font file, face, glyphs) -> (subset font bytes, original -> subset glyph index).
_CACHE: OrderedDict[Key, tuple[bytes, dict[Any, Any]]] = OrderedDict()
#: How many subsets were really made (fontTools run) in this process; read by tests.
made = [0]


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
            with original(fontfile, glyphs) as made_now:
                data = _backend_pdf_ps.font_as_file(made_now.font).getvalue()
                _CACHE[key] = (data, dict(made_now.glyph_index_map))
            made[0] += 1
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
        _CACHE.move_to_end(key)
        data, index_map = _CACHE[key]
        return _backend_pdf_ps.SubsetResults(_SavedFont(data), dict(index_map))._as_cm()

    return get_glyphs_subset


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
