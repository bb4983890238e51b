"""A columnar fast path for plain long CSV files: whole columns read and checked at once.

The careful path (``csv_files`` → ``data_rows``) looks at every cell of every row, slow on a
long file (benchmarks/README.md, ``reading.py``, times both paths). A *plain* long file is
read by pyarrow's CSV reader instead: text the careful path decodes, a long header
(indicator, year, value) on line 1, quotes only around whole cells of one line ("1,234"),
every line one row of the header's width, no blank, note, source or repeated-header row (the
first column is never blank and never starts like 注：/数据来源：), no cell the csv module would
refuse as too long, no character XML cannot hold. Its rows then take the careful path's own
road to the frame (``table._table_frame``). At the first thing it cannot accept, anywhere in
the file, it returns None and the careful path reads the whole file, so every problem and
warning is worded and located by the careful path alone.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as arrow_csv

from planlib.errors import InputError
from planlib.inputs.reading.csv_files import choose_delimiter, csv_rows, decode_text, sep_hint
from planlib.inputs.reading.files import CSV_SUFFIXES
from planlib.inputs.reading.grid import Grid, cell_text
from planlib.inputs.reading.header import HEADER_SEARCH_ROWS, Header, find_header
from planlib.inputs.reading.layout import Layout, classify
from planlib.inputs.reading.note_rows import is_note_start
from planlib.inputs.reading.read_limits import check_csv_size
from planlib.inputs.xml_chars import has_not_xml


@dataclass(frozen=True)
class PlainTable:
    """A plain long CSV file's data rows, checked as the careful path would check them."""

    grid: Grid  # the header row alone: what the frame building reads above the data
    header: Header
    layout: Layout
    table: pd.DataFrame  # one text column per header cell, cells as in the file
    numbers: list[int]  # each row's line number


def plain_long_csv(path: Path, name: str) -> PlainTable | None:
    """The file's rows if it is a plain long CSV file (see the module), else None."""
    if path.suffix.lower() not in CSV_SUFFIXES or not path.is_file():
        return None  # folders, pipes and devices: the careful path says what they are
    try:
        check_csv_size(path.stat().st_size, name)
        text = decode_text(path.read_bytes(), name)
    except (OSError, InputError):
        return None
    if text.count("\r") != text.count("\r\n") or sep_hint(text) or has_not_xml(text):
        return None
    # The header's first lines decide the delimiter: with no cell spanning lines (else
    # refused below, whatever the delimiter), 64 lines hold every row it looks at.
    delimiter = choose_delimiter(_head(text))
    if not _quotes_plain(text, delimiter):
        return None
    try:
        head = csv_rows(_head(text), delimiter, name, limit=HEADER_SEARCH_ROWS + 10)
    except InputError:
        return None
    header = find_header(head)
    if header is None or header.row != 1 or header.data_start != 1:
        return None
    layout = classify(header.labels, header.cells)
    if layout is None or layout.kind != "long" or any(
            len(indices) > 1 for indices in layout.fields.values()):
        return None  # two columns for one field: the careful path words the problem
    table = _columns(text, delimiter, len(header.labels))
    if table is None or not _lines_are_rows(text, len(table)) or not _plain_rows(
            table[0], header):
        return None
    grid = Grid(sheet=None, rows=[(1, header.cells)], strict_width=True, not_xml=False)
    return PlainTable(grid, header, layout, table, list(range(2, len(table) + 2)))


def _columns(text: str, delimiter: str, width: int) -> pd.DataFrame | None:
    """The rows below line 1 split by pyarrow, every cell kept as its text; None when a
    row has another width than the header (or any other parse failure)."""
    names = [f"f{index}" for index in range(width)]
    try:
        arrow = arrow_csv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=arrow_csv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=arrow_csv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                newlines_in_values=False, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False))
    except (pa.ArrowException, ValueError):
        return None
    if arrow.num_rows == 0 or arrow.num_columns != width:
        return None
    limit = csv.field_size_limit()
    for column in arrow.columns:  # the csv module refuses a longer cell: so must we
        if column.null_count or (pc.max(pc.binary_length(column)).as_py() or 0) > limit:
            return None
    return pd.DataFrame({index: column.to_pandas() for index, column in enumerate(arrow.columns)})


def _head(text: str, lines: int = 64) -> str:
    """The first ``lines`` lines of the text (all of it if shorter)."""
    end = -1
    for _ in range(lines):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[: end + 1]


def _quotes_plain(text: str, delimiter: str) -> bool:
    """True when every quote opens or closes a whole cell on one line (a quoted 1,234; a
    doubled quote inside), where pyarrow and the csv module read the same cell; a quote
    left open would make the csv module join lines that pyarrow keeps apart."""
    if '"' not in text:
        return True
    sep = re.escape(delimiter)
    cell = re.compile(f'(?:^|(?<={sep}))"(?:[^"\\r\\n]|"")*"(?={sep}|\\r?$)', re.M)
    return '"' not in cell.sub("", text)


def _lines_are_rows(text: str, rows: int) -> bool:
    """True when every line below the header is one data row (so a row's number is its
    line's): as many lines as rows, a last line without a newline counted too."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return lines == rows + 1


def _plain_rows(first: pd.Series, header: Header) -> bool:
    """True when no row is blank, a note or source row, or the header repeated: the
    careful path's tests of a row's first text, asked once per distinct first cell."""
    for cell in pd.unique(first):
        text = cell_text(cell)
        if not text or text == header.labels[0] or is_note_start([cell], [text]):
            return False
    return True
