"""Fonts looked up and their line metrics read once while figures are drawn. matplotlib
lays out every text of a draw by looking its fonts up by properties again
(`FontManager._find_fonts_by_props`, each call copying the properties and reading the
settings of every family) and, for PNG and SVG, by reading the font's 'OS/2' and 'head'
tables afresh (`Text._get_layout`: FreeType's table copied into a new dict); how often and
what it costs is measured in benchmarks/README.md (many indicators). For the
same properties and settings the look-up finds the same files, and a font file's tables
never change, so each is done once and handed out again: the same layout, the same bytes
(tested against unpatched drawing).

Used only around a figure's layout and encoding (`fonts_remembered`); matplotlib is left
as it was outside, and a part of matplotlib that no longer works this way is not patched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.font_manager as fm
import matplotlib.text as mtext

#: The settings matplotlib's font look-up reads (`FontManager.findfont`).
FONT_SETTINGS = tuple(f"font.{key}" for key in (
    "family", "style", "variant", "weight", "stretch", "size",
    "serif", "sans-serif", "cursive", "fantasy", "monospace"))

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


def _settings() -> tuple[Any, ...]:
    """The font settings in force (lists as tuples), and the one environment variable
    the look-up reads."""
    return (*(tuple(v) if isinstance(v, list) else v
              for v in (mpl.rcParams[key] for key in FONT_SETTINGS)),  # type: ignore[index]
            os.environ.get("MPL_IGNORE_SYSTEM_FONTS"))


def _looking_up_once(original: Callable[..., Any]) -> Callable[..., Any]:
    """FontManager._find_fonts_by_props (bound), each answer kept by the properties, the
    arguments and the settings it was found under."""
    found: dict[tuple[Any, ...], list[Any]] = {}

    def find_fonts_by_props(prop: Any, fontext: str = "ttf", directory: Any = None,
                            fallback_to_default: bool = True,
                            rebuild_if_missing: bool = True) -> list[Any]:
        props = fm.FontProperties._from_any(prop)  # type: ignore[attr-defined]
        key = (tuple(props.__dict__.values()), fontext, directory, fallback_to_default,
               rebuild_if_missing, _settings())
        if key not in found:
            found[key] = original(props, fontext, directory, fallback_to_default,
                                  rebuild_if_missing)
        return list(found[key])

    return find_fonts_by_props


@contextmanager
def _lookups_remembered() -> Iterator[None]:
    """Within: the font manager finds the fonts of the same properties once."""
    manager = fm.fontManager
    if "_find_fonts_by_props" in vars(manager) \
            or not callable(getattr(manager, "_find_fonts_by_props", None)):
        yield  # patched already (nested), or matplotlib finds fonts otherwise now
        return
    manager._find_fonts_by_props = _looking_up_once(  # type: ignore[method-assign]
        manager._find_fonts_by_props)
    try:
        yield
    finally:
        del manager._find_fonts_by_props  # the class's own method again


@contextmanager
def fonts_remembered() -> Iterator[None]:
    """Within: fonts are looked up once per properties and settings, and texts laid out
    from font tables read once per process."""
    with ExitStack() as stack:
        stack.enter_context(_lookups_remembered())
        stack.enter_context(_tables_remembered())
        yield


@contextmanager
def _tables_remembered() -> Iterator[None]:
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
