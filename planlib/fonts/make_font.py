"""Build the shipped Chinese font: Noto Sans CJK SC, subset and converted to TrueType.

Why: matplotlib has no CJK glyphs of its own and (before 3.10) reads only the first,
Japanese, face of a font collection, so planlib ships a Simplified Chinese face as a
fallback for machines with no Chinese font. The subset keeps every character of GB 2312
(6,763 hanzi and its 682 symbols), ASCII, Latin-1, the punctuation and units a report
uses, every character of the shipped plans and data, their READMEs, and the modules
holding the words planlib's figures and reports print; and the 8,105 hanzi of the
通用规范汉字表 (2013, the current standard; it holds name characters such as 堃 喆 燊 犇
that GB 2312 lacks), listed in tongyong_guifan_hanzi_2013.txt (source: README.md here).
The glyphs of the GB 2312 set come first, in the order and at the indices they had before
the 通用规范 additions, so figures of texts inside that set keep their bytes.
Outlines are converted from CFF (cubic) to TrueType (quadratic) so the PDF backend can
embed the font as Type 42 (selectable, searchable text) instead of Type 3 drawings.

Reproducible: the same source font, fontTools and repository give the same bytes (cu2qu's
compiled and pure-Python builds, and its versions, may place a point differently in a few
glyphs); BUILD.json records the source face's version and the fontTools it was built with.
Run::

    apt-get install fonts-noto-cjk          # source: Debian's OTC, OFL 1.1
    python -m planlib.fonts.make_font [--source-dir DIR] [--face "Noto Sans CJK SC"]
"""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterable
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.cu2qu import cu2qu
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.reorderGlyphs import reorderGlyphs

from planlib.fonts import FAMILY, FONT_DIR

REPO_DIR = FONT_DIR.parent.parent
BUILD_FILE = FONT_DIR / "BUILD.json"
TONGYONG_FILE = FONT_DIR / "tongyong_guifan_hanzi_2013.txt"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCE_FACE = "Noto Sans CJK SC"
STYLES = ("Regular", "Bold")
MAX_ERR = 1.0  # font units (of 1000 per em) allowed between cubic and quadratic outlines

#: Unicode blocks a report needs besides GB 2312 (inclusive ranges).
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: ° ± × ÷ · µ ² ³ ½
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20AC, 0x20AC),  # €
    (0x2103, 0x2103),  # ℃
    (0x2116, 0x2116),  # №
    (0x2190, 0x2199),  # arrows
    (0x2212, 0x2212),  # − minus sign
    (0x2260, 0x2265),  # ≠ ≤ ≥
    (0x2248, 0x2248),  # ≈
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〈〉《》「」【】〔〕
    (0xFF01, 0xFF5E),  # full-width ASCII: ，：；（）％
    (0xFFE0, 0xFFE6),  # full-width ￥ ￡
)

#: Text files whose characters must all be in the font (globs under the repository): the
#: shipped plans and data, and the modules holding the words figures and reports print.
TEXT_GLOBS: tuple[str, ...] = (
    "data/raw/*/plan.yaml",
    "data/raw/*/*.csv",
    "data/raw/*/README.md",
    "planlib/core/labels.py",
    "planlib/outputs/**/*.py",
)
#: Encodings the shipped text files are in (the demo city's CSV is GB18030, as offices keep it).
ENCODINGS = ("utf-8-sig", "gb18030")


def gb2312_chars() -> set[str]:
    """Every character of GB 2312 (EUC-CN rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def repository_chars(root: Path = REPO_DIR, globs: Iterable[str] = TEXT_GLOBS) -> set[str]:
    """Every printable character of the shipped plans, their READMEs and planlib's words."""
    chars: set[str] = set()
    for pattern in globs:
        for path in sorted(root.glob(pattern)):
            chars.update(c for c in _decode(path.read_bytes()) if c.isprintable())
    return chars


def _decode(data: bytes) -> str:
    """Text of a shipped file in the first of ENCODINGS that reads it whole."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SystemExit("a shipped text file is neither UTF-8 nor GB18030")


def tongyong_guifan_chars(path: Path = TONGYONG_FILE) -> list[str]:
    """The 8,105 hanzi of the 通用规范汉字表 (2013), in the table's order (one a line)."""
    return path.read_text(encoding="utf-8").split()


def base_codepoints(root: Path = REPO_DIR) -> set[int]:
    """GB 2312, the report's symbol blocks and every character of the repository's texts."""
    points = {ord(c) for c in gb2312_chars() | repository_chars(root)}
    for lo, hi in EXTRA_RANGES:
        points.update(range(lo, hi + 1))
    return points


def wanted_codepoints(root: Path = REPO_DIR) -> list[int]:
    """The sorted code points the shipped font must cover."""
    return sorted(base_codepoints(root) | {ord(c) for c in tongyong_guifan_chars()})


def base_glyphs_first(font: TTFont, base_order: list[str]) -> TTFont:
    """Put ``base_order`` (the glyphs of a subset to the base code points alone) first and
    the added glyphs after, each group in source order: a base glyph keeps its index."""
    order = font.getGlyphOrder()
    base = set(base_order)
    new_order = base_order + [g for g in order if g not in base]
    if new_order != order:
        reorderGlyphs(font, new_order)
    return font


def extract_face(source: Path, face: str) -> TTFont:
    """The named face of a font collection (.ttc/.otc), or the font itself."""
    if source.suffix.lower() not in {".ttc", ".otc"}:
        return TTFont(source)
    for font in TTCollection(source).fonts:
        if font["name"].getDebugName(1) == face:
            return font
    raise SystemExit(f"{source}: no face named {face!r}")


def subset_font(font: TTFont, codepoints: list[int]) -> TTFont:
    """Keep only ``codepoints``, no hinting, no vertical or layout tables matplotlib ignores."""
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = ["kern"]
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx", "GSUB", "DSIG"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    return font


def cff_to_truetype(font: TTFont, max_err: float = MAX_ERR) -> TTFont:
    """Replace CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"
    return font


def rename(font: TTFont, style: str, family: str = FAMILY) -> TTFont:
    """Give the modified font its own name (OFL: a Modified Version keeps no reserved name)."""
    ps_name = family.replace(" ", "") + "-" + style
    version = font["name"].getDebugName(5) or ""
    names = {1: family, 2: style, 3: f"{ps_name};{version.split(';')[0]}",
             4: f"{family} {style}", 6: ps_name}
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in (*names, 16, 17)]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)
    font["head"].modified = font["head"].created  # the source's date: identical bytes
    return font


def source_path(style: str, source_dir: Path = SOURCE_DIR) -> Path:
    """The Debian collection holding ``style`` (NotoSansCJK-Regular.ttc, -Bold.ttc)."""
    return source_dir / f"NotoSansCJK-{style}.ttc"


def output_path(style: str, font_dir: Path = FONT_DIR) -> Path:
    """Where the shipped face of ``style`` lives (NotoSansSC-planlib-Regular.ttf, ...)."""
    return font_dir / f"NotoSansSC-planlib-{style}.ttf"


def build(source: Path, style: str, output: Path, face: str = SOURCE_FACE) -> Path:
    """Extract, subset, convert and rename one face; write it to ``output``."""
    base_order = subset_font(extract_face(source, face), sorted(base_codepoints()))
    font = extract_face(source, face)
    font.recalcTimestamp = False
    font = base_glyphs_first(subset_font(font, wanted_codepoints()), base_order.getGlyphOrder())
    font = rename(cff_to_truetype(font), style)
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    output.write_bytes(buf.getvalue())
    return output


def toolchain(source: Path, face: str = SOURCE_FACE) -> dict[str, object]:
    """What the bytes depend on besides the repository: the source face's version, the
    fontTools version and whether its cu2qu is the compiled one."""
    return {"source_version": extract_face(source, face)["name"].getDebugName(5),
            "fonttools": fontTools.version, "cu2qu_compiled": bool(cu2qu.COMPILED)}


def recorded_toolchain(path: Path = BUILD_FILE) -> dict[str, object]:
    """The toolchain the shipped font was built with (BUILD.json)."""
    return json.loads(path.read_text(encoding="utf-8"))


def main() -> None:
    """Command line: build the font and print its size and glyph count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR,
                        help="folder of NotoSansCJK-Regular.ttc and -Bold.ttc")
    parser.add_argument("--face", default=SOURCE_FACE, help="face to extract")
    args = parser.parse_args()
    tools = toolchain(source_path(STYLES[0], args.source_dir), args.face)
    BUILD_FILE.write_text(json.dumps(tools, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for style in STYLES:
        path = build(source_path(style, args.source_dir), style, output_path(style), args.face)
        font = TTFont(path)
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, "
              f"{len(font.getGlyphOrder())} glyphs, {len(font.getBestCmap())} characters")


if __name__ == "__main__":
    main()
