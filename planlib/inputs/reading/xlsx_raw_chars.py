"""Characters XML cannot hold written raw into a workbook's parts, found at their cell.

A broken exporter can write a form feed or a vertical tab into a cell's text as it is
(Excel writes ``_x000C_``). The XML parser then refuses the whole workbook, which would
leave the user looking for one character in every cell; so the parts are searched and
each such character named at its sheet, row and column (B7), as a CSV cell is.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from openpyxl.utils.cell import coordinate_from_string

from planlib.errors import Problem
from planlib.inputs import xml_chars
from planlib.inputs.reading.problems import file_label
from planlib.inputs.reading.read_limits import sheet_parts
from planlib.inputs.reading.xlsx_escapes import decode

_SHARED = "xl/sharedStrings.xml"
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(r'\br="([A-Z]+[0-9]+)"')
_SHARED_TYPE = re.compile(r'\bt="s"')
_VALUE = re.compile(r"<(?:\w+:)?v>\s*([0-9]+)\s*</(?:\w+:)?v>")
_ITEM = re.compile(r"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>", re.S)
_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)
_CHAR_REF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")


def raw_char_problems(path: Path, name: str) -> list[Problem]:
    """One problem per cell whose text holds a character XML cannot hold, written raw
    or as a character reference; [] when there is none (or the file is no workbook)."""
    try:
        with zipfile.ZipFile(path) as book:
            parts = {n: book.read(n).decode("utf-8", "replace") for n in book.namelist()
                     if n == _SHARED or (n.startswith("xl/worksheets/") and n.endswith(".xml"))}
            sheets = sheet_parts(book)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return []
    bad_items = _bad_shared_items(parts.get(_SHARED, ""))
    problems = []
    for member in sorted(p for p in parts if p != _SHARED):
        where = file_label(name, sheets.get(member, member))
        for ref, text in _bad_cells(parts[member], bad_items):
            column, row = coordinate_from_string(ref)
            named = xml_chars.not_xml(text) or "a control character"
            problems.append(Problem(
                where, row, column, text, xml_chars.message(f"the cell {ref}", named),
                xml_chars.FIX + "; then save the workbook again"))
    return problems


def _bad_cells(xml: str, bad_items: dict[int, str]) -> list[tuple[str, str]]:
    """(cell reference, text) of each cell holding a refused character, itself or through
    the shared string it points to."""
    found = []
    for attrs, body in _CELL.findall(xml):
        ref = _REF.search(attrs)
        if ref is None:
            continue
        if _SHARED_TYPE.search(attrs):
            index = _VALUE.search(body or "")
            if index and int(index.group(1)) in bad_items:
                found.append((ref.group(1), bad_items[int(index.group(1))]))
        else:
            text = _text(body or "")
            if xml_chars.has_not_xml(text):
                found.append((ref.group(1), text))
    return found


def _bad_shared_items(xml: str) -> dict[int, str]:
    """Shared strings holding a refused character, by index."""
    return {i: text for i, item in enumerate(_ITEM.findall(xml))
            if xml_chars.has_not_xml(text := _text(item))}


def _text(body: str) -> str:
    """The text of a cell or shared string: its <t> runs joined, references and Excel's
    ``_xHHHH_`` escapes decoded (as the workbook reader does)."""
    runs = _TEXT.findall(body) or [body]
    joined = "".join(runs)
    return decode(html.unescape(_CHAR_REF.sub(lambda m: _char(m.group(1)), joined)))


def _char(code: str) -> str:
    """The character a reference names (html.unescape maps controls to U+FFFD)."""
    number = int(code[1:], 16) if code[0] == "x" else int(code)
    return chr(number) if number < 0x110000 else "\ufffd"
