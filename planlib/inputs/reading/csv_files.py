"""CSV bytes into a grid: the encoding, the delimiter and the rows, found without asking."""

from __future__ import annotations

import csv
import io
import itertools
import re

from planlib.errors import InputError
from planlib.inputs.reading.grid import Grid, Row
from planlib.inputs.reading.header import HEADER_SEARCH_ROWS, find_header, recognised_count
from planlib.inputs.reading.problems import file_error

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEP_HINT = re.compile(r"\A\ufeff?sep=(.)[ \t]*(?=\r?\n|\Z)")
_DELIMITERS = (",", "\t", ";")


def csv_grid(data: bytes, name: str) -> Grid:
    """Decode, pick the delimiter and split into rows numbered as lines in the file."""
    text = _decode(data, name)
    hint = _SEP_HINT.match(text)
    if hint:  # Excel's "sep=;" first line: obey it, keep line numbers by blanking it
        delimiter = hint.group(1)
        text = text[hint.end() :]  # line 1 is now blank, so line numbers still match
    else:
        delimiter = _choose_delimiter(text)
    rows = _csv_rows(text, delimiter, name)
    return Grid(sheet=None, rows=rows, strict_width=True)


def _looks_binary(data: bytes) -> bool:
    """Text tables have no NUL and almost no control bytes; binary files have many."""
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return b"\x00" in sample or controls > max(2, len(sample) // 200)


def _decode(data: bytes, name: str) -> str:
    """Decode CSV bytes without asking the user: UTF-8 (BOM or not), then GB18030."""
    if data.startswith(_ZIP_MAGIC):
        raise file_error(
            name,
            "this is an Excel workbook (.xlsx), not a CSV file",
            "rename it with the .xlsx extension, or save it from Excel as CSV UTF-8",
        )
    if data.startswith(_OLE_MAGIC):
        raise file_error(
            name,
            "this is an old Excel (.xls) workbook, not a CSV file",
            "open it in Excel and save as .xlsx or CSV UTF-8",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel "Unicode Text" export
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise file_error(
            name,
            "not a text table: the file contains binary data",
            "export the sheet from Excel as CSV UTF-8 or .xlsx",
        )
    try:
        return data.decode("utf-8-sig")  # also reads plain UTF-8
    except UnicodeDecodeError as exc:
        _reject_damaged_utf8(data, exc.start, name)
    try:
        return data.decode("gb18030")  # covers GBK and GB2312
    except UnicodeDecodeError:
        pass
    raise file_error(
        name,
        "cannot decode as UTF-8 or GB18030",
        "save it as CSV UTF-8 (in Excel: Save As > CSV UTF-8)",
    )


def _reject_damaged_utf8(data: bytes, start: int, name: str) -> None:
    """A UTF-8 file with one bad byte must not be read as GB18030 mojibake.

    GBK text fails as UTF-8 at its first Chinese character; if several Chinese
    characters decode as UTF-8 before the failure, the file is UTF-8 and damaged.
    """
    before = data[:start].decode("utf-8-sig", errors="ignore")
    if len(_CJK.findall(before)) < 5:
        return
    line = data.count(b"\n", 0, start) + 1
    raise file_error(
        name,
        f"not valid UTF-8 at byte {data[start]:#04x}, although the text before it is UTF-8",
        "delete or retype the odd character on this line, then save the file as CSV UTF-8",
        row=line,
    )


def _csv_rows(text: str, delimiter: str, name: str, limit: int | None = None) -> list[Row]:
    """CSV records with the line number each starts on (quoted newlines span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 0
    try:
        for cells in itertools.islice(reader, limit):
            rows.append((line + 1, list(cells)))
            line = reader.line_num
    except csv.Error as exc:
        raise file_error(
            name,
            f"cannot read as CSV ({exc})",
            'look for an unclosed quote (") on this line or the lines above',
            row=line + 1,
        ) from None
    return rows


def _choose_delimiter(text: str) -> str:
    """The delimiter under which a header is recognised with the most known columns."""
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        try:
            rows = _csv_rows(text, delimiter, "", limit=HEADER_SEARCH_ROWS + 10)
        except InputError:
            continue
        header = find_header(rows)
        score = recognised_count(header.cells) if header else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best
