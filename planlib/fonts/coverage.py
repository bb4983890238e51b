"""Characters a figure's fonts cannot draw: one planlib warning per text, naming the figure,
the text, the characters and the fix, in place of matplotlib's one raw "Glyph … missing
from font(s)" warning per glyph (which names neither the text nor what to do)."""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache

import matplotlib as mpl
import matplotlib.font_manager as fm
from matplotlib.figure import Figure
from matplotlib.text import Text

#: matplotlib's own warning, silenced where planlib says it better.
GLYPH_MISSING = r"Glyph \d+ .*missing from font"
FIX = ("Fix: install a Chinese font that has them (e.g. apt-get install fonts-noto-cjk) and "
       "set PLANLIB_FONT to its family name (e.g. PLANLIB_FONT=\"Noto Sans CJK SC\"), or "
       "write the name without them.")
_GENERIC = {"sans-serif", "serif", "monospace", "cursive", "fantasy"}
#: Messages already given per figure: a figure saved as PNG, SVG and PDF warns once.
_WARNED: weakref.WeakKeyDictionary[Figure, set[str]] = weakref.WeakKeyDictionary()


class FontCoverageWarning(UserWarning):
    """A text of a figure has characters no font of its family list can draw."""


def _families(text: Text) -> tuple[str, ...]:
    """The text's family list with generic names (sans-serif …) expanded as rcParams do."""
    names: list[str] = []
    for family in text.get_fontfamily():
        key = f"font.{family}"
        names.extend(mpl.rcParams[key] if family in _GENERIC else [family])  # type: ignore[index]
    return tuple(dict.fromkeys(names))


@cache
def _font_files(families: tuple[str, ...], weight: str | int) -> tuple[str, ...]:
    """The files matplotlib draws ``families`` from (missing families left out)."""
    files: list[str] = []
    for family in families:
        try:
            path = fm.findfont(fm.FontProperties(family=family, weight=weight),
                               fallback_to_default=False)
        except ValueError:
            continue
        files.append(str(path))
    return tuple(dict.fromkeys(files))


def missing_chars(text: str, families: Sequence[str], weight: str | int = "normal") -> str:
    """The characters of ``text`` (each once, in order) that none of the fonts has."""
    fonts = [fm.get_font(path) for path in _font_files(tuple(families), weight)]
    missing = dict.fromkeys(
        c for c in text if c.isprintable() and not c.isspace()
        and not any(f.get_char_index(ord(c)) for f in fonts))
    return "".join(missing)


def _label(fig: Figure, where: str | None) -> str:
    """How the warning names the figure: its file stem, else its title."""
    if where:
        return f"figure {where}"
    titles = [fig.get_suptitle(), *(a.get_title(loc) for a in fig.axes
                                     for loc in ("left", "center", "right"))]
    shown = " ".join(next((t for t in titles if t), "").split())
    return f"figure “{shown}”" if shown else "a figure"


def figure_warnings(fig: Figure, where: str | None = None) -> list[str]:
    """One message per visible text of a drawn ``fig`` with characters its fonts lack."""
    messages = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if not text or not artist.get_visible() or artist.get_usetex():
            continue
        families = _families(artist)
        chars = missing_chars(text, families, artist.get_fontweight())
        if chars:
            listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)
            shown = " ".join(text.split())
            messages.append(f"{_label(fig, where)}: “{shown}” has characters the font "
                            f"{families[0]!r} cannot draw, shown as boxes: {listed}. {FIX}")
    return list(dict.fromkeys(messages))


@contextmanager
def glyph_check(fig: Figure, where: str | None = None) -> Iterator[None]:
    """Draw ``fig`` inside: matplotlib's per-glyph warnings are silenced, then one
    FontCoverageWarning per text with missing characters (once per figure)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=GLYPH_MISSING, category=UserWarning)
        yield
    given = _WARNED.setdefault(fig, set())
    for message in figure_warnings(fig, where):
        if message not in given:
            given.add(message)
            warnings.warn(message, FontCoverageWarning, stacklevel=3)
