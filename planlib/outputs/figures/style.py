"""The house style of planlib's figures: a Chinese font that is really there, one palette,
one set of status colours, A4 sizes, and saving that gives identical bytes on rerun.

Font resolution (first that has Chinese glyphs): the user's configured matplotlib font,
a system Chinese font, else the subset of Noto Sans SC shipped in ``planlib/fonts``
(registered with matplotlib at first use), so no machine shows boxes for hanzi.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.font_manager as fm
import numpy as np
import seaborn as sns
from cycler import cycler
from fontTools.ttLib import TTFont
from matplotlib.figure import Figure
from matplotlib.layout_engine import LayoutEngine, PlaceHolderLayoutEngine
from PIL import Image

from planlib import fonts
from planlib.fonts.coverage import glyph_check
from planlib.outputs.figures import font_lookups, pdf_fonts

#: Characters a font must have to count as a Chinese font.
CJK_PROBE = "学前教育毛入园率时间过半任务"
MINUS = "\u2212"

#: System fonts tried, in order, when the user's configured font has no Chinese glyphs.
SYSTEM_CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)
FONT_ENV = "PLANLIB_FONT"  # "shipped" or a family name: overrides the resolution order
LATIN_FALLBACK = "DejaVu Sans"  # matplotlib's own font: covers any Latin/Greek the CJK lacks

CM = 1 / 2.54
FULL_WIDTH = 16 * CM  # A4 text width (inches)
HALF_WIDTH = 8 * CM  # half of it, for two figures side by side
PNG_DPI = 300
SVG_HASHSALT = "planlib"

#: Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008), the house series colours.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)
#: Roles of the indicator chart, from the palette.
COLOURS: dict[str, str] = {
    "observed": "#222222",
    "projection": "#0072B2",
    "target": "#CC79A7",
    "plan_path": "#CC79A7",
    "as_of": "#555555",
    "break": "#888888",
    "fit_window": "#F3F3F3",
    "muted": "#999999",
}
#: One colour per status code, used in every figure (and available to reports).
STATUS_COLOURS: dict[str, str] = {
    # progress to date
    "achieved": "#009E73",
    "ahead": "#0072B2",
    "on_schedule": "#56B4E9",
    "behind": "#E69F00",
    "moving_away": "#D55E00",
    "not_measurable": "#999999",
    # outlook (IPCC likelihood of meeting the target)
    "very_likely": "#0072B2",
    "likely": "#56B4E9",
    "as_likely_as_not": "#F0E442",
    "unlikely": "#E69F00",
    "very_unlikely": "#D55E00",
    "insufficient_data": "#999999",
}


def status_colour(code: str | None) -> str:
    """The house colour of a progress or outlook status code (grey when unknown)."""
    return STATUS_COLOURS.get(code or "", STATUS_COLOURS["not_measurable"])


def _font_file(family: str) -> fm.FontPath | str | None:
    """The file matplotlib uses for ``family``, or None when it has no such font."""
    try:
        path = fm.findfont(fm.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None
    return path


def font_has(family: str, text: str) -> bool:
    """True when matplotlib's font for ``family`` exists and has a glyph for every char."""
    path = _font_file(family)
    if path is None:
        return False
    font = fm.get_font(path)
    if font.family_name.casefold() != family.casefold():
        return False
    return all(font.get_char_index(ord(c)) != 0 for c in text if not c.isspace())


def _generic_names() -> set[str]:
    return {"sans-serif", "serif", "monospace", "cursive", "fantasy"}


def configured_families(rc: dict | None = None) -> list[str]:
    """The families the user's matplotlib settings ask for, generic names expanded."""
    rc = rc if rc is not None else mpl.rcParams
    names: list[str] = []
    for family in rc["font.family"]:
        key = f"font.{family}"
        names.extend(rc[key] if family in _generic_names() and key in rc  # type: ignore[index]
                     else [family])
    return names


def register_shipped_font() -> str:
    """Add planlib's own Noto Sans SC subset to matplotlib; return its family name."""
    known = {Path(str(f.fname)) for f in fm.fontManager.ttflist}
    for path in fonts.FONT_FILES:
        if path not in known:
            fm.fontManager.addfont(str(path))
    return fonts.FAMILY


def resolve_cjk_family(candidates: Iterable[str] | None = None) -> str:
    """The family that will draw Chinese: configured, else system, else the shipped one.

    ``PLANLIB_FONT`` overrides: ``shipped`` always uses planlib's own font (the same bytes
    on every machine), a family name uses that family when it has Chinese glyphs."""
    forced = os.environ.get(FONT_ENV, "").strip()
    if forced.casefold() == "shipped":
        return register_shipped_font()
    if candidates is None:
        candidates = [*([forced] if forced else []), *configured_families(),
                      *SYSTEM_CJK_FAMILIES]
    for family in candidates:
        if family not in _generic_names() and font_has(family, CJK_PROBE):
            return family
    return register_shipped_font()


def is_truetype(family: str) -> bool:
    """True when ``family``'s font has TrueType outlines, which PDF can embed as Type 42
    (searchable text); CFF-based OpenType (Noto Sans CJK's .ttc) must go as Type 3."""
    path = _font_file(family)
    if path is None:
        return False
    font = TTFont(str(path), fontNumber=getattr(path, "face_index", 0), lazy=True)
    try:
        return "glyf" in font
    finally:
        font.close()


@cache
def _cached_cjk_family() -> str:
    """The Chinese family resolved once per process (font lookups take a few ms each)."""
    return resolve_cjk_family()


def house_rc(cjk_family: str | None = None) -> dict:
    """matplotlib settings of the house style (fonts, sizes, deterministic output)."""
    family = cjk_family or _cached_cjk_family()
    return {
        "font.family": [family, LATIN_FALLBACK],
        "font.sans-serif": [family, LATIN_FALLBACK],
        "axes.unicode_minus": font_has(family, MINUS),
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
        "axes.labelsize": 8,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "legend.title_fontsize": 7,
        "figure.titlesize": 10,
        "figure.titleweight": "bold",
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 42 if is_truetype(family) else 3,
        "ps.fonttype": 42 if is_truetype(family) else 3,
        "savefig.dpi": PNG_DPI,
        "figure.dpi": 100,
    }


def use_house_style(cjk_family: str | None = None) -> dict:
    """Apply the seaborn theme and the house settings to matplotlib (as sns.set_theme does).

    Global on purpose: tick labels are created when a figure is drawn, often after the
    plotting call returns (in a notebook), and must find the Chinese font then too."""
    rc = house_rc(cjk_family)
    sns.set_theme(context="paper", style="whitegrid", palette=list(PALETTE), rc=rc)
    mpl.rcParams.update(rc)
    return rc


def figure(width: float = FULL_WIDTH, height: float | None = None, **kwargs) -> Figure:
    """A new house-style figure ``width`` inches wide (default 16 cm), constrained layout."""
    use_house_style()
    height = height if height is not None else width * 0.56
    return Figure(figsize=(width, height), layout="constrained", **kwargs)


#: Metadata that would change from run to run, blanked for identical bytes.
_METADATA: dict[str, dict] = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}


def _layout_pass(fig: Figure, engine: LayoutEngine) -> None:
    """One run of the layout engine: alone, without drawing the figure, where no axes keeps
    a fixed aspect or has a locator (their positions are set at draw time, before layout),
    else as part of a draw with no output. The layout measures the texts it needs itself,
    so the two give the same positions, and alone is the cheaper (benchmarks/README.md)."""
    if all(ax.get_aspect() == "auto" and ax.get_axes_locator() is None for ax in fig.axes):
        engine.execute(fig)
    else:
        fig.draw_without_rendering()


def freeze_layout(fig: Figure) -> Figure:
    """Run the constrained layout once, then fix it for every format: constrained layout
    starts from the positions of the last draw, so without this a figure's SVG would differ
    depending on whether its PNG was drawn first.

    One pass, not two: a second pass moved indicator charts by at most 2/255 in 0.02 % of
    their pixels and the pages' labels by about a pixel, and cost half the layout time, a
    tenth of a figure's (benchmarks/README.md, many indicators). The engine is removed,
    not set to "none": "none" leaves a do-nothing placeholder engine, so every later format
    paid the layout again and savefig one draw more."""
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        _layout_pass(fig, engine)
    if engine is not None:
        # None reads rcParams: with these off it means no engine at all
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
    return fig


def _checked_format(fmt: str) -> str:
    """``fmt`` in lower case; ValueError naming the formats when it is none of them."""
    fmt = fmt.lower()
    if fmt not in _METADATA:
        raise ValueError(f"unknown figure format {fmt!r}; use png, svg or pdf")
    return fmt


def figure_bytes(fig: Figure, fmt: str, where: str | None = None) -> bytes:
    """The figure encoded as ``fmt`` (png at 300 dpi, svg, pdf) with no timestamps; a text
    the fonts cannot draw gives one warning naming ``where`` (the file stem) or the title.
    A PDF's font subsets are made once per process (`pdf_fonts`), the same bytes."""
    fmt = _checked_format(fmt)
    with glyph_check(fig, where), font_lookups.fonts_remembered():
        return _encoded(fig, fmt)


class _KeptWrites(io.BytesIO):
    """A file that keeps what is written to it as given, uncopied: Agg's RGBA buffer (the
    whole raster of a chart) is read in place rather than copied twice."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[Any] = []

    def write(self, data: Any) -> int:
        """Keep ``data`` (a buffer) without copying it."""
        self.kept.append(data)
        return memoryview(data).nbytes


def _encoded(fig: Figure, fmt: str) -> bytes:
    """The figure as ``fmt`` (checked), its layout settled first (`freeze_layout`)."""
    freeze_layout(fig)
    if fmt == "png":
        raw = _KeptWrites()
        fig.savefig(raw, format="rgba", dpi=PNG_DPI)
        rgba = raw.kept[0] if len(raw.kept) == 1 else b"".join(raw.kept)
        return png_bytes(rgba, int(fig.get_figwidth() * PNG_DPI))
    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}), pdf_fonts.subsets_cached():
        fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=_METADATA[fmt])
    return buf.getvalue()


def png_bytes(rgba: Any, width: int) -> bytes:
    """Agg's RGBA pixels (any buffer, ``width`` wide) as a 300-dpi PNG with no metadata, RGB
    when every pixel is opaque (the house figures are: white background): the alpha channel
    held nothing and made each PNG larger, three times over in a report (md, html, docx).
    The pixels are read in place; dropping alpha is Pillow's own channel copy."""
    pixels = np.frombuffer(rgba, dtype=np.uint8).reshape(-1, width, 4)
    image = Image.frombuffer("RGBA", (width, pixels.shape[0]), pixels, "raw", "RGBA", 0, 1)
    if bool(pixels[..., 3].min() == 255):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="png", dpi=(PNG_DPI, PNG_DPI))
    return out.getvalue()


FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


def figure_files(fig: Figure, stem: str, formats: Sequence[str] = FORMATS,
                 ) -> list[tuple[str, bytes]]:
    """The figure as (``stem``.png/.svg/.pdf, bytes), ready for the staged writer; a text
    the fonts cannot draw is named once with the file stem, its texts checked once for all
    the formats (each format draws the same texts)."""
    checked = [_checked_format(fmt) for fmt in formats]
    with glyph_check(fig, stem), font_lookups.fonts_remembered():
        return [(f"{stem}.{fmt}", _encoded(fig, fmt)) for fmt in checked]
