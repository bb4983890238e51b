"""The forecast section as a Word document (python-docx), from a template built here.

The template's styles set the East-Asian font explicitly (``w:eastAsia``: 宋体 for body
text, 黑体 for headings and captions; theme fonts removed, since Word lets a theme font
override an explicit one), A4 pages with a 16 cm text width (the figures' width), styled
tables with a repeated, shaded header row, and numbered captions as Word SEQ fields
(图1 / 表1; Figure 1 / Table 1). Core properties and zip dates are fixed, so the same
section gives the same bytes.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from planlib.outputs.files.zip_stamp import fixed_zip
from planlib.outputs.report.blocks import Bullets, Figure, Heading, Paragraph, Table

if TYPE_CHECKING:
    from planlib.outputs.report.section import Section

BODY_EAST_ASIA = "宋体"
HEADING_EAST_ASIA = "黑体"
BODY_LATIN = "Times New Roman"
HEADING_LATIN = "Arial"
PAGE_W, PAGE_H, MARGIN_LR, MARGIN_TB = 21.0, 29.7, 2.5, 2.5  # cm (A4)
TEXT_WIDTH = PAGE_W - 2 * MARGIN_LR
HEADING_SIZES = {1: 16, 2: 14, 3: 12}
CELL_MARGIN = 0.08  # cm
TABLE_PT = {"zh": 7.5, "en": 7.0}
_CAPTION = re.compile(r"^(图|表|Figure |Table )(\d+)(.*)$", re.DOTALL)


def set_fonts(style: Any, latin: str, east_asia: str) -> None:
    """Set a style's Latin and East-Asian fonts, dropping theme fonts that override them."""
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_lang(style: Any, lang: str) -> None:
    """Mark text as Chinese (or English) for Word's proofing and line breaking."""
    rpr = style.element.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), "en-GB" if lang == "en" else "zh-CN")
    el.set(qn("w:eastAsia"), "zh-CN")


def template(lang: str) -> Any:
    """A blank document whose styles are the report's (see module doc)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(PAGE_W), Cm(PAGE_H)
    sec.left_margin = sec.right_margin = Cm(MARGIN_LR)
    sec.top_margin = sec.bottom_margin = Cm(MARGIN_TB)
    styles = doc.styles
    normal = styles["Normal"]
    set_fonts(normal, BODY_LATIN, BODY_EAST_ASIA)
    _set_lang(normal, lang)
    normal.font.size = Pt(12 if lang == "zh" else 11)
    fmt = normal.paragraph_format
    fmt.line_spacing, fmt.space_after, fmt.space_before = 1.3, Pt(3), Pt(0)
    for level, size in HEADING_SIZES.items():
        st = styles[f"Heading {level}"]
        set_fonts(st, HEADING_LATIN, HEADING_EAST_ASIA)
        st.font.size, st.font.bold, st.font.italic = Pt(size), level > 1, False
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(12 if level < 3 else 8)
        st.paragraph_format.space_after = Pt(6 if level < 3 else 3)
        st.paragraph_format.keep_with_next = True
        if level == 1:
            st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Caption", "List Bullet"):
        set_fonts(styles[name], BODY_LATIN if name == "List Bullet" else HEADING_LATIN,
                  BODY_EAST_ASIA if name == "List Bullet" else HEADING_EAST_ASIA)
    cap = styles["Caption"]
    cap.font.size, cap.font.bold, cap.font.italic = Pt(10.5), False, False
    cap.font.color.rgb = RGBColor(0, 0, 0)
    cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.space_before, cap.paragraph_format.space_after = Pt(3), Pt(6)
    return doc


def _caption(doc: Any, text: str, keep_with_next: bool) -> None:
    """A numbered caption: the label, a SEQ field holding the number, then the words."""
    para = doc.add_paragraph(style="Caption")
    para.paragraph_format.keep_with_next = keep_with_next
    match = _CAPTION.match(text)
    if match is None:
        para.add_run(text)
        return
    label, number, rest = match.groups()
    para.add_run(label)
    field = OxmlElement("w:fldSimple")
    seq = "图" if label == "图" else "表" if label == "表" else label.strip()
    field.set(qn("w:instr"), f" SEQ {seq} \\* ARABIC ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = number
    run.append(t)
    field.append(run)
    para._p.append(field)
    para.add_run(rest)


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _cell_margins(grid: Any, cm: float) -> None:
    """Narrow left and right cell margins, so numbers fit their columns."""
    tblpr = grid._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(cm * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


#: Relative column widths of the overview table by language (English words are longer).
OVERVIEW_WEIGHTS: dict[str, tuple[float, ...]] = {
    "zh": (2.6, 0.95, 1.15, 1.15, 1.15, 1.15, 1.95, 1.0, 1.5, 1.5, 2.0),
    "en": (2.1, 1.35, 1.25, 1.2, 1.2, 1.35, 1.8, 1.15, 1.5, 1.45, 1.7),
}


def _column_widths(table: Table, lang: str) -> list[float]:
    """Column widths (cm) summing to the text width."""
    weights = OVERVIEW_WEIGHTS[lang]
    if len(weights) != len(table.columns):
        weights = tuple(1.0 for _ in table.columns)
    total = sum(weights)
    return [TEXT_WIDTH * w / total for w in weights]


def _cell_text(cell: Any, text: str, *, bold: bool, right: bool, size: float) -> None:
    para = cell.paragraphs[0]
    para.paragraph_format.first_line_indent = Pt(0)
    para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.line_spacing = 1.0
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else \
        WD_ALIGN_PARAGRAPH.CENTER if bold else WD_ALIGN_PARAGRAPH.LEFT
    for i, part in enumerate(text.split("\n")):
        run = para.add_run(part)
        run.font.size, run.font.bold = Pt(size), bold
        if i < text.count("\n"):
            run.add_break()


def _table(doc: Any, table: Table, lang: str) -> None:
    _caption(doc, table.caption, keep_with_next=True)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _cell_margins(grid, CELL_MARGIN)
    widths = _column_widths(table, lang)
    numeric = table.numeric or tuple(False for _ in table.columns)
    for j, name in enumerate(table.columns):
        cell = grid.rows[0].cells[j]
        _cell_text(cell, name, bold=True, right=False, size=TABLE_PT[lang])
        _shade(cell, "E8EDF3")
    _repeat_header(grid.rows[0])
    for i, row in enumerate(table.rows, 1):
        for j, value in enumerate(row):
            _cell_text(grid.rows[i].cells[j], value, bold=False, right=numeric[j],
                       size=TABLE_PT[lang])
    for j, width in enumerate(widths):
        grid.columns[j].width = Cm(width)
        for row in grid.rows:
            row.cells[j].width = Cm(width)
    if table.note:
        note = doc.add_paragraph()
        run = note.add_run(table.note)
        run.font.size = Pt(9)


def to_docx(section: Section) -> bytes:
    """The section as DOCX bytes (identical for the same section and stamp)."""
    doc = template(section.lang)
    indent = Pt(24) if section.lang == "zh" else Pt(0)
    for block in section.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            lead, rest = block.split_lead()
            para = doc.add_paragraph()
            if lead:
                para.add_run(lead).bold = True
            para.add_run(rest)
            para.paragraph_format.first_line_indent = indent if block.key or lead else Pt(0)
            if not block.key and block is section.blocks[1]:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block, section.lang)
        elif isinstance(block, Figure):
            pic = doc.add_paragraph()
            pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pic.paragraph_format.keep_with_next = True
            pic.paragraph_format.first_line_indent = Pt(0)
            pic.add_run().add_picture(io.BytesIO(section.figures[block.stem]),
                                      width=Cm(TEXT_WIDTH))
            _caption(doc, block.caption, keep_with_next=False)
    _core_properties(doc, section.title, section.stamp)
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue(), section.stamp)


def _core_properties(doc: Any, title: str, stamp: datetime) -> None:
    """Fixed document properties: no clock time, no user name."""
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "planlib", "planlib"
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = ""
