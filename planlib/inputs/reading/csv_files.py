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
from planlib.inputs.xml_chars import has_not_xml

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_SEP_HINT = re.compile(r"\A\ufeff?sep=(.)[ \t]*(?=\r?\n|\Z)")
_DELIMITERS = (",", "\t", ";")
_FEW_BAD_BYTES = 3  # more bad bytes than this: not a damaged UTF-8 file


def csv_grid(data: bytes, name: str) -> Grid:
    """Decode, pick the delimiter and split into rows numbered as lines in the file."""
    text = decode_text(data, name)
    hint = sep_hint(text)
    if hint:  # Excel's "sep=;" first line: obey it, keep line numbers by blanking it
        delimiter = hint.group(1)
        text = text[hint.end() :]  # line 1 is now blank, so line numbers still match
    else:
        delimiter = choose_delimiter(text)
    rows = csv_rows(text, delimiter, name)
    return Grid(sheet=None, rows=rows, strict_width=True, not_xml=has_not_xml(text))


def _looks_binary(data: bytes) -> bool:
    """Text tables have almost no NUL or control bytes; binary files have many.

    A few NULs in an otherwise clean text (a broken exporter, a pasted cell) are read as
    text, so the cell holding them is named at its row and column (xml_chars refuses it).
    """
    sample = data[:65536]
    nuls = sample.count(b"\x00")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES)) - nuls
    return nuls > _FEW_BAD_BYTES or controls > max(2, len(sample) // 200)


def sep_hint(text: str) -> re.Match[str] | None:
    """Excel's "sep=;" first line, naming the delimiter, if the text starts with one."""
    return _SEP_HINT.match(text)


def decode_text(data: bytes, name: str) -> str:
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
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16's BOM
        try:
            return data.decode("utf-32")
        except UnicodeDecodeError as exc:
            raise file_error(
                name, f"a UTF-32 text file damaged at byte {exc.start}",
                "save it again as CSV UTF-8 (Excel: Save As, CSV UTF-8)") from None
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
        first_bad = exc.start
        _reject_damaged_utf8(data, exc.start, name)
    try:
        return data.decode("gb18030")  # covers GBK and GB2312
    except UnicodeDecodeError:
        pass
    raise file_error(
        name,
        f"cannot decode as UTF-8 or GB18030 (first bad byte {data[first_bad]:#04x} at "
        f"line {_line_of(data, first_bad)}, byte {first_bad})",
        "save it as CSV UTF-8 (in Excel: Save As > CSV UTF-8)",
        row=_line_of(data, first_bad),
    )


def _reject_damaged_utf8(data: bytes, start: int, name: str) -> None:
    """A UTF-8 file with a few bad bytes must not be read as GB18030 mojibake (北京 → 鍖椾含).

    The decision is per file: GBK text fails as UTF-8 at nearly every Chinese character,
    while a damaged UTF-8 file has many valid multi-byte characters and only a few bad
    bytes. Such a file is refused, naming the line and byte offset of each bad byte.
    """
    bad = _bad_utf8_offsets(data, start)
    if len(bad) > _FEW_BAD_BYTES:
        return
    valid = sum(1 for ch in data.decode("utf-8-sig", errors="ignore") if ord(ch) > 127)
    if valid < max(2, 2 * len(bad)):
        return
    where = "; ".join(
        f"line {_line_of(data, offset)}, byte {offset} ({data[offset]:#04x})" for offset in bad)
    raise file_error(
        name,
        f"not valid UTF-8 at {where}, although the rest of the file is UTF-8 "
        f"({valid} characters read correctly)",
        "delete or retype the odd character on that line, then save the file as CSV UTF-8",
        row=_line_of(data, bad[0]),
    )


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def _bad_utf8_offsets(data: bytes, start: int) -> list[int]:
    """Offsets of the bytes that fail to decode as UTF-8 (stops past a few)."""
    bad: list[int] = []
    position = start
    while len(bad) <= _FEW_BAD_BYTES:
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad.append(position + exc.start)
            position += exc.end
    return bad


def csv_rows(text: str, delimiter: str, name: str, limit: int | None = None) -> list[Row]:
    """CSV records with the line number each starts on (quoted newlines span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 0
    try:
        for cells in itertools.islice(reader, limit):
            if reader.line_num > line + 1 and limit is None:
                width = max((len(c) for _, c in rows), default=len(cells))
                _check_spanning(cells, delimiter, width, (line + 1, reader.line_num), name)
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


def _check_spanning(
    cells: list[str], delimiter: str, width: int, lines: tuple[int, int], name: str
) -> None:
    """Refuse a quoted cell that swallowed whole rows (an unclosed quote).

    A cell may hold a line break (a note typed with Alt+Enter), even with a comma in it,
    but a line inside it with as many delimiters as a row of the table has (``width``
    cells), or a cell running on to the end of the file, is a quote left open: read as
    it is, every row after it would silently vanish into one cell.
    """
    first, last = lines
    for cell in cells:
        if "\n" not in cell:
            continue
        inner = cell.split("\n")[1:]
        row_like = any(part.count(delimiter) >= max(1, width - 1) for part in inner)
        if row_like or cell.endswith("\n"):
            raise file_error(
                name,
                f'a quote (") opened on line {first} is closed only on line {last} or never, '
                f"so lines {first}-{last} would be read as one cell",
                'close the quote or delete it (a quote inside a cell is written twice: "")',
                row=first,
            )


def choose_delimiter(text: str) -> str:
    """The delimiter under which a header is recognised with the most known columns."""
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        try:
            rows = csv_rows(text, delimiter, "", limit=HEADER_SEARCH_ROWS + 10)
        except InputError:
            continue
        header = find_header(rows)
        score = recognised_count(header.cells) if header else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best
