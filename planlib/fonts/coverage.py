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
#: The warning's words, one template per part, in both languages (as the input warnings).
TEXTS: dict[str, dict[str, str]] = {
    "what": {
        "zh": "“{text}”含有字体“{font}”无法显示的字符（显示为方框）：{listed}。",
        "en": "“{text}” has characters the font {font!r} cannot draw, shown as boxes: "
              "{listed}.",
    },
    "where": {
        "zh": "见{n}张图（{shown}）。",
        "en": "In {n} figure{s} ({shown}).",
    },
    "more": {"zh": "等{n}张", "en": " and {n} more"},
    "list": {"zh": "、", "en": ", "},
    "line": {"zh": "{what}{where}{fix}", "en": "{what} {where} {fix}"},
    "untitled": {"zh": "无标题", "en": "untitled"},
    "fix": {
        "zh": "解决：安装含这些字符的中文字体（如 apt-get install fonts-noto-cjk），并将 "
              "PLANLIB_FONT 设为其字体名（如 PLANLIB_FONT=\"Noto Sans CJK SC\"），或在名称中"
              "不用这些字符。",
        "en": "Fix: install a Chinese font that has them (e.g. apt-get install "
              "fonts-noto-cjk) and set PLANLIB_FONT to its family name (e.g. "
              "PLANLIB_FONT=\"Noto Sans CJK SC\"), or write the name without them.",
    },
}
FIX = TEXTS["fix"]["en"]
_GENERIC = {"sans-serif", "serif", "monospace", "cursive", "fantasy"}
#: Messages already given per figure: a figure saved as PNG, SVG and PDF warns once.
_WARNED: weakref.WeakKeyDictionary[Figure, set[str]] = weakref.WeakKeyDictionary()


class FontCoverageWarning(UserWarning):
    """A text of a figure has characters no font of its family list can draw; its fields let
    a caller say it once per text for all figures (`grouped_lines`) without parsing it."""

    def __init__(self, figure: str, text: str, font: str, chars: str) -> None:
        self.figure, self.text, self.font, self.chars = figure, text, font, chars
        super().__init__(f"{'figure ' + figure if figure else 'a figure'}: {self.what()} {FIX}")

    def what(self, lang: str = "en") -> str:
        """The text, the font and the characters, in one sentence."""
        listed = TEXTS["list"][lang].join(f"{c} (U+{ord(c):04X})" for c in self.chars)
        return TEXTS["what"][lang].format(text=self.text, font=self.font, listed=listed)

    def __reduce__(self) -> tuple[type[FontCoverageWarning], tuple[str, str, str, str]]:
        """Pickled by its fields (figures drawn in worker processes relay it whole)."""
        return type(self), (self.figure, self.text, self.font, self.chars)


def grouped_lines(caught: Sequence[FontCoverageWarning], lang: str = "en") -> list[str]:
    """One line per text and font for all the figures that show it, in first-seen order
    and in ``lang``: a name drawn in four charts is one warning, not four."""
    figures: dict[tuple[str, str, str], list[str]] = {}
    for w in caught:
        figures.setdefault((w.text, w.font, w.chars), [])
        if w.figure not in figures[(w.text, w.font, w.chars)]:
            figures[(w.text, w.font, w.chars)].append(w.figure)
    lines = []
    for (text, font, chars), where in figures.items():
        one = FontCoverageWarning(where[0], text, font, chars)
        named = [f or TEXTS["untitled"][lang] for f in where]
        more = TEXTS["more"][lang].format(n=len(named) - 5) if len(named) > 5 else ""
        shown = TEXTS["list"][lang].join(named[:5]) + more
        place = TEXTS["where"][lang].format(n=len(where), s="s" if len(where) > 1 else "",
                                            shown=shown)
        lines.append(TEXTS["line"][lang].format(what=one.what(lang), where=place,
                                                fix=TEXTS["fix"][lang]))
    return lines


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
    """How the warning names the figure: its file stem, else its title in quotes, else ""."""
    if where:
        return where
    titles = [fig.get_suptitle(), *(a.get_title(loc) for a in fig.axes
                                     for loc in ("left", "center", "right"))]
    shown = " ".join(next((t for t in titles if t), "").split())
    return f"“{shown}”" if shown else ""


def figure_warnings(fig: Figure, where: str | None = None) -> list[FontCoverageWarning]:
    """One warning per visible text of a drawn ``fig`` with characters its fonts lack."""
    found: dict[str, FontCoverageWarning] = {}
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if not text or not artist.get_visible() or artist.get_usetex():
            continue
        families = _families(artist)
        chars = missing_chars(text, families, artist.get_fontweight())
        if chars:
            w = FontCoverageWarning(_label(fig, where), " ".join(text.split()), families[0],
                                    chars)
            found.setdefault(str(w), w)
    return list(found.values())


@contextmanager
def glyph_check(fig: Figure, where: str | None = None) -> Iterator[None]:
    """Draw ``fig`` inside: matplotlib's per-glyph warnings are silenced, then one
    FontCoverageWarning per text with missing characters (once per figure)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=GLYPH_MISSING, category=UserWarning)
        yield
    given = _WARNED.setdefault(fig, set())
    for warning in figure_warnings(fig, where):
        if str(warning) not in given:
            given.add(str(warning))
            with warnings.catch_warnings():  # said per figure: never muted by a registry
                warnings.simplefilter("always", FontCoverageWarning)
                warnings.warn(warning, stacklevel=3)
