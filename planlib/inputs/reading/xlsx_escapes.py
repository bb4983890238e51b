"""Excel's escapes for characters in cell text (``_x000D_``), decoded as Excel shows them,
once, for every text cell of a workbook.

OOXML stores a character that XML cannot hold, and often a carriage return, as
``_xHHHH_`` (ST_Xstring, ECMA-376 Part 1, 22.9.2.19), and a literal ``_x`` that would
read as one as ``_x005F_xHHHH_``: the text ``_x000C_`` typed in a cell is stored
``_x005F_x000C_``. openpyxl (3.1) decodes none of these in cells: inline strings and
formula results reach us as stored, and of shared strings (where Excel keeps typed text)
it only deletes every ``x005F_`` (``reader/strings.py``), which makes the typed text
``_x000C_`` and an escaped form feed the same string. (``openpyxl.utils.escape.unescape``
is applied to header/footer text and table names only.) So the workbook is opened with
its shared strings kept as stored (`load_workbook`), and every text cell is decoded here,
in one pass: "东城_x000D_" reaches the report as 东城 and a carriage return, a form feed
written ``_x000C_`` is refused at its cell, and a typed ``_x000C_`` stays that text.
`encode` is the same rule the other way, for the workbooks planlib writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: The underscore that opens a literal ``_xHHHH_`` (Excel stores it as ``_x005F_``).
_OPENS_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ITEM = f"{{{SHEET_MAIN_NS}}}si"


def decode(text: str) -> str:
    """``text`` with each ``_xHHHH_`` replaced by its character (one left-to-right pass,
    so ``_x005F_x000C_`` stays the literal ``_x000C_``)."""
    if "_x" not in text:
        return text  # the common case: no regular expression run
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def encode(text: str) -> str:
    """``text`` as Excel stores typed text: the ``_`` opening each literal ``_xHHHH_``
    written ``_x005F_``, so `decode` (and Excel) give ``text`` back, not a character."""
    if "_x" not in text:
        return text
    return _OPENS_ESCAPE.sub("_x005F_", text)


class _StoredStrings(ExcelReader):
    """openpyxl's workbook reader, with the shared strings' text kept as stored (escapes
    and all) rather than with every ``x005F_`` deleted."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        strings = []
        with self.archive.open(part.PartName[1:]) as src:
            for _, node in iterparse(src):
                if node.tag == _ITEM:
                    strings.append(Text.from_tree(node).content)
                    node.clear()
        self.shared_strings = strings


def load_workbook(path: Path) -> Workbook:
    """The workbook's cached values (``data_only``), every text cell as stored: pass its
    text through `decode`."""
    reader = _StoredStrings(path, read_only=False, data_only=True)
    reader.read()
    return reader.wb
