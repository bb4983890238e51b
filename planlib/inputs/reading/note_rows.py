"""Rows of text under (or inside) a table: notes (注：…) and sources (数据来源：…).

Offices end a table with a merged "注：①2022年为初步数。" row and a "数据来源：…" row. They
are not data: they are kept (the source fills the rows' ``source``; the notes are told to
the user), never read as an indicator with a value in every year column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from planlib.inputs.reading.grid import Cell, cell_text

_NOTE_START = re.compile(
    r"^[*※]?\s*(注|附注|注释|说明|备注|note|notes|remark|remarks)\s*\d*\s*[:：]", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d(?:\.0)?年?")
_TABLE_UNIT = re.compile(r"^(?:计量)?单位\s*[:：]\s*(\S{1,12})$")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)%?")
_SOURCE_START = re.compile(r"^(数据来源|资料来源|来源|出处|source|sources)\s*[:：]\s*", re.I)


@dataclass
class TextRows:
    """The note and source rows found under a table, in order."""

    notes: list[tuple[int, str]] = field(default_factory=list)
    sources: list[tuple[int, str]] = field(default_factory=list)

    @property
    def source(self) -> str | None:
        """The table's source, for rows that do not give their own."""
        return "；".join(text for _, text in self.sources) or None


def single_text(cells: Sequence[Cell]) -> str | None:
    """The text of a row holding one text only (a merged row repeats it), else None."""
    texts = {cell_text(c) for c in cells} - {""}
    if len(texts) != 1:
        return None
    (text,) = texts
    if not any(isinstance(c, str) and c.strip() for c in cells):
        return None  # a number alone is data, not a note
    return text


def is_note_start(cells: Sequence[Cell], texts: Sequence[str] | None = None) -> bool:
    """True if the row's first text starts like a note or source (注：, 数据来源：);
    `texts`: the cells' `cell_text`, when the caller has them already."""
    texts = [cell_text(c) for c in cells] if texts is None else texts
    first = next((t for t in texts if t), "")
    folded = unicodedata.normalize("NFKC", first)
    return bool(_NOTE_START.match(folded) or _SOURCE_START.match(folded))


def has_numbers(cells: Sequence[Cell], texts: Sequence[str] | None = None) -> bool:
    """True if any cell after the first non-blank one holds a number (typed or as text);
    a year ("资料来源：统计公报,2022") is part of a note, not a value."""
    return _numbers_in(_filled(cells, texts))


def _filled(cells: Sequence[Cell], texts: Sequence[str] | None = None
            ) -> list[tuple[Cell, str]]:
    """The non-blank cells of a row with their text (each cell's text computed once)."""
    texts = [cell_text(c) for c in cells] if texts is None else texts
    return [(c, t) for c, t in zip(cells, texts, strict=False) if t]


def _numbers_in(filled: list[tuple[Cell, str]]) -> bool:
    """`has_numbers` of a row's non-blank (cell, text) pairs."""
    for c, text in filled[1:]:
        typed = isinstance(c, int | float) and not isinstance(c, bool)
        folded = text if text.isascii() else unicodedata.normalize("NFKC", text)
        if (typed or _NUMBER.fullmatch(folded.replace(",", ""))) \
                and not _YEAR.fullmatch(text):
            return True
    return False


def take_text_row(number: int, cells: Sequence[Cell], after_note: bool, found: TextRows,
                  texts: Sequence[str] | None = None) -> bool:
    """Record the row if it is a note or source row; True if it was one.

    A row of one text right below a note row continues the note ("2. 2021年起口径调整").
    The first cell decides: a CSV note with a comma in it spans several cells.
    """
    filled = _filled(cells, texts)
    if not filled or not isinstance(filled[0][0], str):
        return False
    if _numbers_in(filled):
        return False  # a row with numbers is data (or an error), never a note
    texts = list(dict.fromkeys(text for _, text in filled))
    text = ",".join(texts).strip()
    folded = unicodedata.normalize("NFKC", text)  # for matching only: NFKC turns ① into 1
    source = _SOURCE_START.match(folded)
    if source:
        found.sources.append((number, _after_colon(text)))
        return True
    if _NOTE_START.match(folded) or (after_note and single_text(cells) is not None):
        found.notes.append((number, text))
        return True
    return False


def _after_colon(text: str) -> str:
    """"数据来源：示例市统计局" → "示例市统计局" (the whole text if nothing follows)."""
    for colon in ("：", ":"):
        head, sep, tail = text.partition(colon)
        if sep and tail.strip():
            return tail.strip()
    return text


def table_unit(rows: Sequence[tuple[int, Sequence[Cell]]]) -> str | None:
    """The unit a title row gives the whole table ("单位：万人" above the header), if any.

    Not 填报单位 (the reporting office): only a cell that is 单位 or 计量单位 and a unit.
    """
    for _, cells in rows:
        for cell in cells:
            found = _TABLE_UNIT.match(unicodedata.normalize("NFKC", cell_text(cell)))
            if found:
                return found.group(1)
    return None
