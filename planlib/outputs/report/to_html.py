"""The forecast section as ONE self-contained HTML page: figures embedded as base64 PNG,
styles in the page, the shipped Chinese font (planlib/fonts, subset to the characters
the page uses) embedded via @font-face, nothing fetched from anywhere; laid out for A4
when printed (@page)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from planlib.outputs.files.safe_text import html_text
from planlib.outputs.report.blocks import Bullets, Figure, Heading, Paragraph, Table

if TYPE_CHECKING:
    from planlib.outputs.report.section import Section

FONT_FAMILY = "planlib CJK"
#: Used when the shipped font is not installed, and for characters it lacks.
FALLBACK_FAMILIES = ('"Noto Sans CJK SC"', '"Noto Sans SC"', '"Source Han Sans SC"',
                     '"Microsoft YaHei"', '"PingFang SC"', '"SimHei"', "sans-serif")

CSS = """
@page { size: A4; margin: 20mm 18mm 20mm 18mm; }
html { font-family: %(family)s; font-size: 10.5pt; line-height: 1.65; color: #1a1a1a; }
body { max-width: 174mm; margin: 1.5em auto; padding: 0 1em; background: #fff; }
h1 { font-size: 17pt; text-align: center; margin: 0.4em 0 0.2em; font-weight: 700; }
h1 + p { text-align: center; color: #555; margin-top: 0; }
h2 { font-size: 13.5pt; margin: 1.4em 0 0.5em; font-weight: 700;
     border-bottom: 1px solid #999; padding-bottom: 0.15em; }
h3 { font-size: 11.5pt; margin: 1.1em 0 0.3em; font-weight: 700; }
p { margin: 0.35em 0; text-align: justify; }
p.body:lang(zh) { text-indent: 2em; }
ul { margin: 0.3em 0 0.6em 1.2em; padding: 0; }
li { margin: 0.15em 0; }
figure { margin: 0.8em 0 1em; text-align: center; page-break-inside: avoid;
         break-inside: avoid; }
figure img { width: 100%%; height: auto; }
figcaption, .caption { font-size: 9.5pt; font-weight: 700; text-align: center;
                       margin: 0.3em 0; }
table { border-collapse: collapse; width: 100%%; font-size: 8pt; line-height: 1.35;
        margin: 0.3em 0; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #666; padding: 2pt 3pt; vertical-align: middle; }
th { background: #e8edf3; font-weight: 700; text-align: center; white-space: nowrap; }
td:nth-child(2), td:nth-child(8) { white-space: nowrap; }
td:nth-child(9):lang(zh), td:nth-child(10):lang(zh) { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
tr { page-break-inside: avoid; break-inside: avoid; }
.note { font-size: 8.5pt; color: #444; }
@media print { body { margin: 0; padding: 0; max-width: none; } h2, h3 { break-after: avoid; } }
"""


def font_faces(text: str) -> str:
    """@font-face rules embedding the shipped font subset to ``text``'s characters ("" when
    planlib ships no font)."""
    try:
        from planlib.fonts import FONT_FILES
    except ImportError:
        return ""
    rules = []
    for path, weight in zip(FONT_FILES, (400, 700), strict=False):
        if not Path(path).is_file():
            continue
        data = base64.b64encode(subset_font(Path(path), text)).decode("ascii")
        rules.append(f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; "
                     f"font-style: normal; src: url(data:font/ttf;base64,{data}) "
                     "format('truetype'); }")
    return "\n".join(rules)


def subset_font(path: Path, text: str) -> bytes:
    """The TrueType font at ``path`` cut down to the characters of ``text`` (plus ASCII),
    with its timestamps kept, so the same text gives the same bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    sub = subset.Subsetter(options)
    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


_esc = html_text  # every text of the page is escaped: planlib/outputs/files/safe_text.py


def _cell(text: str) -> str:
    """A table cell's text, its line breaks kept."""
    return "<br>".join(_esc(part) for part in text.split("\n"))


def _table(table: Table) -> list[str]:
    numeric = table.numeric or tuple(False for _ in table.columns)
    out = [f'<p class="caption">{_esc(table.caption)}</p>', "<table>", "<thead><tr>"]
    out += [f"<th>{_cell(c)}</th>" for c in table.columns]
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        cells = [f'<td class="num">{_cell(c)}</td>' if num else f"<td>{_cell(c)}</td>"
                 for c, num in zip(row, numeric, strict=False)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if table.note:
        out.append(f'<p class="note">{_esc(table.note)}</p>')
    return out


def _texts(section: Section) -> Iterable[str]:
    """Every piece of text the page shows (for the font subset)."""
    for block in section.blocks:
        if isinstance(block, Heading | Paragraph):
            yield block.text
        elif isinstance(block, Bullets):
            yield from block.items
        elif isinstance(block, Table):
            yield block.caption + block.note + "".join(block.columns)
            yield from ("".join(row) for row in block.rows)
        elif isinstance(block, Figure):
            yield block.caption


def to_html(section: Section) -> str:
    """The section as one HTML page with no external reference (see module doc)."""
    lang = "zh-CN" if section.lang == "zh" else "en"
    body: list[str] = []
    for block in section.blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{_esc(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            cls = ' class="body"' if block.key is not None else ""
            lead, rest = block.split_lead()
            head = f"<strong>{_esc(lead)}</strong>" if lead else ""
            body.append(f"<p{cls}>{head}{_esc(rest)}</p>")
        elif isinstance(block, Bullets):
            body.append("<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            body += _table(block)
        elif isinstance(block, Figure):
            data = base64.b64encode(section.figures[block.stem]).decode("ascii")
            body.append(f'<figure><img alt="{_esc(block.caption)}" '
                        f'src="data:image/png;base64,{data}"><figcaption>'
                        f"{_esc(block.caption)}</figcaption></figure>")
    faces = font_faces("".join(_texts(section)))
    family = ", ".join(([f"'{FONT_FAMILY}'"] if faces else []) + list(FALLBACK_FAMILIES))
    style = faces + "\n" + CSS % {"family": family}
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_esc(section.title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
