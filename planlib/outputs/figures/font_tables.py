"""A font's line metrics read once per process while figures are drawn: matplotlib lays out
every text of a PNG or SVG draw by reading its font's 'OS/2' and 'head' tables afresh
(`Text._get_layout`: FreeType's table copied into a new dict each time), ~390,000 reads
for the figures of a plan of 200 indicators, several seconds of CPU. A font file's tables
never change, so the same values are read once and handed out again: the same layout,
the same bytes (tested against unpatched drawing).

Used only around a figure's layout and encoding (`tables_remembered`); matplotlib is left
as it was outside, and if its text module no longer reads fonts this way nothing is
patched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib.text as mtext

#: (font files) -> the tables read from them, by name; fonts are files that do not change.
_TABLES: dict[tuple[Any, ...], dict[str, Any]] = {}


class _TablesRead:
    """A font as `Text._get_layout` uses it: its sfnt tables, each read once."""

    def __init__(self, key: tuple[Any, ...], font: Any) -> None:
        self._font = font
        self._tables = _TABLES.setdefault(key, {})

    def get_sfnt_table(self, name: str) -> Any:
        """The font's table ``name`` (a dict, or None when the font has none)."""
        if name not in self._tables:
            self._tables[name] = self._font.get_sfnt_table(name)
        return self._tables[name]


def _remembering(original: Callable[..., Any]) -> Callable[..., Any]:
    """matplotlib.text's get_font, handing out fonts whose tables are read once."""

    def get_font(font_filepaths: Any, *args: Any, **kwargs: Any) -> Any:
        paths = font_filepaths if isinstance(font_filepaths, list | tuple) \
            else [font_filepaths]
        key = (*map(str, paths), *args, *sorted(kwargs.items()))
        return _TablesRead(key, original(font_filepaths, *args, **kwargs))

    get_font.remembering = True  # type: ignore[attr-defined]
    return get_font


@contextmanager
def tables_remembered() -> Iterator[None]:
    """Within: texts are laid out from font tables read once per process."""
    original = getattr(mtext, "get_font", None)
    if original is None or getattr(original, "__name__", "") != "get_font" \
            or getattr(original, "remembering", False):
        yield  # matplotlib reads fonts otherwise now, or this is patched already: as is
        return
    mtext.get_font = _remembering(original)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        mtext.get_font = original  # type: ignore[attr-defined]
