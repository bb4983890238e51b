"""Read one observation file (CSV or XLSX, long or wide) into a raw long frame.

Users keep observations the way statistical offices and Excel users do: a long table
(indicator, year, value), or a wide one with a column per year ("2021年"), saved as CSV in
UTF-8, UTF-8 with BOM or GB18030, or as a workbook with title rows and merged headers.
This module finds the header, the layout and the encoding by itself and returns one row
per data cell, still unparsed (``value_raw``, ``year_raw``), with the file, sheet, row
and column exactly as the user sees them in Excel, so every later problem can point at
the cell to fix. Unreadable input raises one :class:`InputError` listing every problem.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Literal

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planlib.errors import InputError, Problem
from planlib.inputs.numbers import parse_numbers, year_labels

TEXT_FIELDS: tuple[str, ...] = (
    "region",
    "flag",
    "confidence",
    "source",
    "note",
    "name_zh",
    "name_en",
    "unit",
)
#: Labels the user sees for the id, year and flag columns, so that problems about those
#: cells name the column as shown ("年份", or "2021年" in a wide table).
LABEL_COLUMNS: tuple[str, ...] = ("_id_column", "_year_column", "_flag_column")
COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "year_raw",
    "value_raw",
    *TEXT_FIELDS,
    "_file",
    "_row",
    "_column",
    "_sheet",
    *LABEL_COLUMNS,
)
CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SUPPORTED_SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES
HEADER_SEARCH_ROWS = 20
EXPECTED = (
    "expected columns indicator_id, year, value (long) or indicator_id plus one column "
    "per year such as 2021 or 2021年 (wide)"
)

_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indicator", "id", "code", "指标代码", "指标编码", "指标id"),
    "year": ("year", "年份", "年度"),
    "value": ("value", "数值", "值", "数据"),
    "region": ("region", "地区", "区域"),
    "flag": ("flag", "标记", "标志"),
    "note": ("note", "notes", "备注", "说明"),
    "source": ("source", "来源", "数据来源"),
    "name_zh": ("name_zh", "指标名称", "名称"),
    "name_en": ("name_en",),
    "unit": ("unit", "单位", "计量单位"),
    "confidence": ("confidence", "可信度"),
}


def _key(label: str) -> str:
    """Header label folded for alias matching: NFKC, lower case, no spaces/underscores."""
    folded = unicodedata.normalize("NFKC", label).lower()
    return re.sub(r"[\s_]+", "", folded)


_FIELD_OF_KEY: dict[str, str] = {
    _key(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}

Cell = object
Row = tuple[int, list[Cell]]  # (row number as the user sees it, cells)


@dataclass(frozen=True)
class _Grid:
    """The cells of one CSV file or one worksheet, with user-visible row numbers."""

    sheet: str | None
    rows: list[Row]
    strict_width: bool  # CSV: non-empty cells beyond the header are a misaligned row
    #: (row, 0-based column) of cells filled by copying a merged range's top-left value,
    #: mapped to that range ("B3:C3"); only the top-left cell holds the value in Excel.
    merged: dict[tuple[int, int], str] | None = None


@dataclass(frozen=True)
class _Header:
    """The header found in a grid: labels as shown, raw cells, and where data starts."""

    row: int  # user-visible number of the (first) header row
    labels: list[str]
    cells: list[Cell]
    data_start: int  # index into _Grid.rows of the first row below the header


@dataclass(frozen=True)
class _Layout:
    """Which columns hold what: a field -> column indices map and the year columns."""

    kind: Literal["long", "wide"]
    fields: dict[str, list[int]]
    years: list[tuple[int, int]]  # (column index, year) for wide layout


def file_label(file: str, sheet: str | None) -> str:
    """How a problem names a file (and sheet, for a workbook): "obs.xlsx, sheet 'Data'"."""
    return file if sheet is None or pd.isna(sheet) else f"{file}, sheet '{sheet}'"


def read_table(path: Path, *, display_name: str | None = None) -> pd.DataFrame:
    """Read one observation file into a raw long frame (one row per data cell).

    Columns: ``COLUMNS`` — indicator_id, year_raw, value_raw (both as in the file, for
    ``parse_years``/``parse_numbers``), the text fields (NA when absent), and _file,
    _row (Excel-visible row), _column (the value's column label as shown), _sheet,
    plus the labels of the id, year and flag columns as shown (``LABEL_COLUMNS``).
    Raises :class:`InputError` with every problem found when the file cannot be read.
    """
    path = Path(path)
    name = display_name if display_name is not None else str(path)
    grids = _read_grids(path, name)
    problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    unrecognised: list[Problem] = []
    for grid in grids:
        result = _grid_frame(grid, name, problems)
        if isinstance(result, Problem):
            unrecognised.append(result)
        elif result is not None:
            frames.append(result)
    if problems or (unrecognised and not frames):
        raise InputError(problems + ([] if frames else unrecognised))
    filled = [frame for frame in frames if not frame.empty]
    if not filled:
        raise InputError([_no_data(name)])
    return pd.concat(filled, ignore_index=True)


def _no_data(name: str) -> Problem:
    return Problem(
        name,
        None,
        None,
        None,
        "file has no data rows",
        "add rows below the header with an indicator id, a year and a value",
    )


def _fail(name: str, message: str, fix: str, row: int | None = None) -> InputError:
    """An InputError for a whole-file problem."""
    return InputError([Problem(name, row, None, None, message, fix)])


# --------------------------------------------------------------------------- formats


def _read_grids(path: Path, name: str) -> list[_Grid]:
    """Dispatch on the file suffix; unsupported or missing files are problems."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise _fail(name, "this is a folder, not a file", "give the files inside it instead")
    if suffix == ".xls":
        raise _fail(
            name,
            "old Excel .xls files are not supported",
            "open it in Excel and save as .xlsx or CSV UTF-8",
        )
    if suffix not in SUPPORTED_SUFFIXES:
        raise _fail(
            name,
            f"unsupported file type '{path.suffix or '(none)'}'",
            f"save it as one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    if not path.is_file():
        raise _fail(name, "file not found", "check the path and the data globs in plan.yaml")
    try:
        with path.open("rb") as handle:
            data = handle.read() if suffix in CSV_SUFFIXES else b""
    except OSError as exc:
        raise _fail(
            name,
            f"cannot read the file ({exc.strerror or type(exc).__name__})",
            "give yourself read permission (chmod u+r), close it in any program locking it, "
            "or copy it to a folder you can read",
        ) from None
    if suffix in CSV_SUFFIXES:
        return [_csv_grid(data, name)]
    return _xlsx_grids(path, name)


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _looks_binary(data: bytes) -> bool:
    """Text tables have no NUL and almost no control bytes; binary files have many."""
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return b"\x00" in sample or controls > max(2, len(sample) // 200)


def _decode(data: bytes, name: str) -> str:
    """Decode CSV bytes without asking the user: UTF-8 (BOM or not), then GB18030."""
    if data.startswith(_ZIP_MAGIC):
        raise _fail(
            name,
            "this is an Excel workbook (.xlsx), not a CSV file",
            "rename it with the .xlsx extension, or save it from Excel as CSV UTF-8",
        )
    if data.startswith(_OLE_MAGIC):
        raise _fail(
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
        raise _fail(
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
    raise _fail(
        name,
        "cannot decode as UTF-8 or GB18030",
        "save it as CSV UTF-8 (in Excel: Save As > CSV UTF-8)",
    )


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _reject_damaged_utf8(data: bytes, start: int, name: str) -> None:
    """A UTF-8 file with one bad byte must not be read as GB18030 mojibake.

    GBK text fails as UTF-8 at its first Chinese character; if several Chinese
    characters decode as UTF-8 before the failure, the file is UTF-8 and damaged.
    """
    before = data[:start].decode("utf-8-sig", errors="ignore")
    if len(_CJK.findall(before)) < 5:
        return
    line = data.count(b"\n", 0, start) + 1
    raise _fail(
        name,
        f"not valid UTF-8 at byte {data[start]:#04x}, although the text before it is UTF-8",
        "delete or retype the odd character on this line, then save the file as CSV UTF-8",
        row=line,
    )


_SEP_HINT = re.compile(r"\A\ufeff?sep=(.)[ \t]*(?=\r?\n|\Z)")
_DELIMITERS = (",", "\t", ";")


def _csv_grid(data: bytes, name: str) -> _Grid:
    """Decode, pick the delimiter and split into rows numbered as lines in the file."""
    text = _decode(data, name)
    hint = _SEP_HINT.match(text)
    if hint:  # Excel's "sep=;" first line: obey it, keep line numbers by blanking it
        delimiter = hint.group(1)
        text = text[hint.end() :]  # line 1 is now blank, so line numbers still match
    else:
        delimiter = _choose_delimiter(text)
    rows = _csv_rows(text, delimiter, name)
    return _Grid(sheet=None, rows=rows, strict_width=True)


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
        raise _fail(
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
        header = _find_header(rows)
        score = _recognised_count(header.cells) if header else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _xlsx_grids(path: Path, name: str) -> list[_Grid]:
    """Every worksheet as a grid, merged cells filled with their top-left value."""
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "damaged"
        raise _fail(
            name,
            f"cannot open as an Excel workbook ({type(exc).__name__}: {exc})",
            "open it in Excel and save it again as .xlsx (without a password), or as CSV UTF-8",
        ) from None
    try:
        grids = []
        for ws in workbook.worksheets:
            rows, merged = _sheet_rows(ws)
            grids.append(_Grid(sheet=ws.title, rows=rows, strict_width=False, merged=merged))
    finally:
        workbook.close()
    problems = _unsaved_formulas(path, name, grids)
    if problems:
        raise InputError(problems)
    return grids


def _unsaved_formulas(path: Path, name: str, grids: list[_Grid]) -> list[Problem]:
    """Formula cells without a saved result, one problem per sheet.

    Excel saves each formula's last result beside it, and that is what is read. Files
    written by scripts (openpyxl, some exporters) have formulas but no results: read as
    they are, those cells would silently be empty.
    """
    if not _has_formulas(path):
        return []  # the common case, found in a fraction of the time a second load takes
    try:
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - it just opened with data_only; nothing to add
        return []
    problems = []
    try:
        for grid, ws in zip(grids, formulas.worksheets, strict=True):
            values = dict(grid.rows)
            unsaved = [
                (cell.row, cell.column, cell.value)
                for row in ws.iter_rows()
                for cell in row
                if getattr(cell, "data_type", None) == "f"
                and _cached(values, cell.row, cell.column) is None
            ]
            if unsaved:
                r, c, formula = unsaved[0]
                cells = f"cell {get_column_letter(c)}{r} has"
                if len(unsaved) > 1:
                    cells = f"cells {get_column_letter(c)}{r} and {len(unsaved) - 1} more have"
                problems.append(
                    Problem(
                        file_label(name, grid.sheet),
                        r,
                        get_column_letter(c),
                        str(formula),
                        f"formula {cells} no saved result "
                        "(the file was written by a program, not saved by Excel)",
                        "open the file in Excel or WPS and save it, so the results are stored; "
                        "or paste the cells as values",
                    )
                )
    finally:
        formulas.close()
    return problems


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """True if any worksheet's XML holds a formula element (or if unsure)."""
    try:
        with zipfile.ZipFile(path) as book:
            return any(
                _FORMULA_TAG.search(book.read(member))
                for member in book.namelist()
                if member.startswith("xl/worksheets/") and member.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile, KeyError):
        return True


def _cached(values: dict[int, list[Cell]], row: int, column: int) -> Cell:
    cells = values.get(row, [])
    return cells[column - 1] if column - 1 < len(cells) else None


def _sheet_rows(ws: Worksheet) -> tuple[list[Row], dict[tuple[int, int], str]]:
    """Sheet cell values by real row number, merged ranges filled from the top-left.

    Also returns the filled cells (row, 0-based column) with their range, so that a
    merged *data* cell is not silently read as the same value for several years.
    """
    grid = [[_shown(cell) for cell in row] for row in ws.iter_rows()]
    filled: dict[tuple[int, int], str] = {}
    for merged in ws.merged_cells.ranges:
        value = _shown(ws.cell(merged.min_row, merged.min_col))
        for r in range(merged.min_row, merged.max_row + 1):
            while len(grid) < r:
                grid.append([])
            cells = grid[r - 1]
            if len(cells) < merged.max_col:
                cells.extend([None] * (merged.max_col - len(cells)))
            for c in range(merged.min_col, merged.max_col + 1):
                cells[c - 1] = value
                if (r, c) != (merged.min_row, merged.min_col):
                    filled[(r, c - 1)] = merged.coord
    return [(number, cells) for number, cells in enumerate(grid, start=1)], filled


_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def _shown(cell: object) -> Cell:
    """A worksheet cell's value as the user sees it where the number format changes it.

    A percent-formatted 0.523 shows as 52.3% and means 52.3 (rates are kept in percent,
    as "52.3%" typed as text is); a date formatted to show only its year ("yyyy年")
    shows as, and means, that year. Everything else is the stored value.
    """
    value = getattr(cell, "value", None)
    if value is None or isinstance(value, str | bool):
        return value
    fmt = getattr(cell, "number_format", "General") or "General"
    if fmt == "General":
        return value
    codes = _FORMAT_LITERALS.sub("", fmt.split(";")[0]).lower()
    if isinstance(value, int | float) and "%" in codes:
        return float(Decimal(repr(value)) * 100)
    if isinstance(value, datetime | date) and "y" in codes and not set("mdhs") & set(codes):
        return value.year
    return value


# --------------------------------------------------------------------------- headers


def _label(cell: Cell) -> str:
    """A header or text cell as the user sees it: 2021.0 shows as "2021"."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        if cell != cell:  # NaN
            return ""
        if cell.is_integer():
            return str(int(cell))
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return str(cell).strip()


def _is_blank(cells: Iterable[Cell]) -> bool:
    """True when every cell is empty, whitespace or NaN (stops at the first real cell)."""
    for cell in cells:
        if cell is None:
            continue
        if isinstance(cell, str):
            if cell.strip():
                return False
        elif not (isinstance(cell, float) and cell != cell):
            return False
    return True


def _fields_of(labels: Sequence[str]) -> list[str | None]:
    return [_FIELD_OF_KEY.get(_key(label)) for label in labels]


def _recognised_count(cells: Sequence[Cell]) -> int:
    """How many cells are known field names or year labels."""
    labels = [_label(cell) for cell in cells]
    fields = _fields_of(labels)
    years = year_labels(cells)
    return sum(f is not None or y is not None for f, y in zip(fields, years, strict=True))


def _looks_like_header(cells: Sequence[Cell]) -> bool:
    """An indicator-id alias, or two year labels, or two known field names."""
    labels = [_label(cell) for cell in cells]
    fields = _fields_of(labels)
    if "indicator_id" in fields:
        return True
    years = sum(year is not None for year in year_labels(cells))
    return years >= 2 or sum(field is not None for field in fields) >= 2


def _find_header(rows: Sequence[Row]) -> _Header | None:
    """The first row, among the first non-blank ones, that looks like a header.

    A two-row header (a merged group label such as 年份 above the year labels 2016…2022)
    is combined: the lower row's label wins where it has one.
    """
    seen = 0
    for index, (number, cells) in enumerate(rows):
        if _is_blank(cells):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            return None
        if _looks_like_header(cells):
            return _with_sub_header(rows, index, number, cells)
    return None


def _with_sub_header(rows: Sequence[Row], index: int, number: int, cells: list[Cell]) -> _Header:
    """Combine the header row with the row below when only the row below has the years.

    The lower label wins where it has one. A row below with its own indicator id is data
    (counts such as 2016, 2017 are not year labels), so the header stays one row.
    """
    header = _Header(number, [_label(c) for c in cells], list(cells), index + 1)
    if _classify(header.labels, header.cells) is not None or index + 1 >= len(rows):
        return header
    below = rows[index + 1][1]
    if sum(year is not None for year in year_labels(below)) < 2 or _has_id(header, below):
        return header
    width = max(len(cells), len(below))
    upper = list(cells) + [None] * (width - len(cells))
    lower = list(below) + [None] * (width - len(below))
    combined = [lo if _label(lo) else up for up, lo in zip(upper, lower, strict=True)]
    return _Header(number, [_label(c) for c in combined], combined, index + 2)


def _has_id(header: _Header, below: Sequence[Cell]) -> bool:
    """True if the row below has its own indicator id (data, not a sub-header).

    In a two-row header the id column is merged (same label) or blank below.
    """
    fields = _fields_of(header.labels)
    if "indicator_id" not in fields:
        return False
    index = fields.index("indicator_id")
    cell = _label(below[index]) if index < len(below) else ""
    return cell not in ("", header.labels[index])


def _classify(labels: Sequence[str], cells: Sequence[Cell]) -> _Layout | None:
    """Long if indicator, year and value columns exist; wide if indicator and year columns."""
    fields: dict[str, list[int]] = {}
    years: list[tuple[int, int]] = []
    for index, (field, year) in enumerate(zip(_fields_of(labels), year_labels(cells), strict=True)):
        if year is not None:
            years.append((index, year))
        elif field is not None:
            fields.setdefault(field, []).append(index)
    if "indicator_id" not in fields:
        return None
    if "year" in fields and "value" in fields:
        return _Layout("long", fields, [])
    if years:
        return _Layout("wide", fields, years)
    return None


def _layout_problem(name: str, header: _Header | None, rows: Sequence[Row]) -> Problem:
    """Say which columns were found and what is expected."""
    if header is None:
        first = next(((n, c) for n, c in rows if not _is_blank(c)), None)
        if first is None:
            return _no_data(name)
        number, labels = first[0], [_label(c) for c in first[1]]
    else:
        number, labels = header.row, header.labels
    found = ", ".join(repr(label) for label in labels if label) or "(none)"
    has_id = "indicator_id" in _fields_of(labels)
    what = (
        "no year and value columns and no year columns"
        if has_id
        else "no header row with an indicator id column"
    )
    return Problem(
        name,
        number,
        None,
        None,
        f"{what}; columns found: {found}",
        f"{EXPECTED}; name the columns so (Chinese headers 指标代码, 年份, 数值 work too)",
    )


def _duplicate_problems(name: str, header: _Header, layout: _Layout) -> list[Problem]:
    """Two columns meaning the same field, or two columns for the same year."""
    problems = []
    for field, indices in layout.fields.items():
        if len(indices) > 1 and (layout.kind == "long" or field not in ("year", "value")):
            shown = ", ".join(repr(header.labels[i]) for i in indices)
            problems.append(
                Problem(
                    name,
                    header.row,
                    header.labels[indices[1]],
                    None,
                    f"columns {shown} all mean {field}",
                    "keep one of them, or rename the others",
                )
            )
    by_year: dict[int, list[int]] = {}
    for index, year in layout.years:
        by_year.setdefault(year, []).append(index)
    for year, indices in by_year.items():
        if len(indices) > 1:
            shown = ", ".join(repr(header.labels[i]) for i in indices)
            problems.append(
                Problem(
                    name,
                    header.row,
                    header.labels[indices[1]],
                    None,
                    f"columns {shown} are all year {year}",
                    "keep one column per year",
                )
            )
    return problems


# --------------------------------------------------------------------------- frames


def _grid_frame(grid: _Grid, name: str, problems: list[Problem]) -> pd.DataFrame | Problem | None:
    """The long frame of one grid; a Problem if it has no recognisable header.

    None for a grid with no cells at all (an empty sheet). Problems that make the data
    untrustworthy (duplicate columns, misaligned CSV rows) are appended to ``problems``.
    """
    where = file_label(name, grid.sheet)
    header = _find_header(grid.rows)
    layout = _classify(header.labels, header.cells) if header else None
    if header is None and all(_is_blank(cells) for _, cells in grid.rows):
        return None
    if header is None or layout is None:
        return _layout_problem(where, header, grid.rows)
    duplicates = _duplicate_problems(where, header, layout)
    problems.extend(duplicates)
    body = _data_rows(grid, header, where, problems)
    if duplicates or not body:
        return _empty_frame()
    value_columns = layout.fields["value"][:1] if layout.kind == "long" else [
        index for index, _ in layout.years
    ]
    spread = _merged_values(grid, header, body, value_columns, where)
    if spread:
        problems.extend(spread)
        return _empty_frame()
    table = pd.DataFrame([cells for _, cells in body], dtype=object)
    numbers = [number for number, _ in body]
    if layout.kind == "long":
        frame = _long_frame(table, numbers, header, layout)
    else:
        frame = _wide_frame(table, numbers, header, layout)
    return _finish(frame, name, grid.sheet)


def _merged_values(
    grid: _Grid, header: _Header, body: list[Row], columns: list[int], where: str
) -> list[Problem]:
    """Value cells that are copies of a merged range's value: one value for several years
    (or rows) is ambiguous (each year's value? a total?), so it is never guessed."""
    if not grid.merged:
        return []
    problems = []
    for number, cells in body:
        for index in columns:
            coord = grid.merged.get((number, index))
            if coord is None or _means_missing(cells[index]):
                continue
            problems.append(
                Problem(
                    where,
                    number,
                    header.labels[index],
                    _label(cells[index]),
                    f"merged cells {coord} spread one value over several values",
                    "unmerge the cells and write each year's value in its own cell "
                    "(leave a cell empty if there is no value)",
                )
            )
    return problems


def _means_missing(cell: Cell) -> bool:
    """True for an empty cell or a missing marker such as —."""
    values, bad = parse_numbers(pd.Series([cell], dtype=object))
    return bool(values.isna().iloc[0] and not bad.iloc[0])


def _data_rows(grid: _Grid, header: _Header, where: str, problems: list[Problem]) -> list[Row]:
    """Non-blank rows below the header, padded/cut to the header's width.

    A row repeating the header (files pasted one under another) carries no data and is
    skipped.
    """
    width = len(header.labels)
    body: list[Row] = []
    for number, cells in grid.rows[header.data_start :]:
        if _is_blank(cells):
            continue
        if [_label(c) for c in cells[:width]] == header.labels and _is_blank(cells[width:]):
            continue
        extra = cells[width:]
        if grid.strict_width and not _is_blank(extra):
            problems.append(_misaligned(where, number, len(cells), width, extra))
            continue
        body.append((number, list(cells[:width]) + [None] * (width - len(cells))))
    return body


def _misaligned(where: str, number: int, n_cells: int, width: int, extra: list[Cell]) -> Problem:
    return Problem(
        where,
        number,
        None,
        ",".join(_label(c) for c in extra),
        f"row has {n_cells} cells but the header has {width} columns",
        'put numbers with a thousands separator in quotes ("1,234") or drop the comma, '
        "and remove cells to the right of the table",
    )


def _pick(table: pd.DataFrame, layout: _Layout, field: str) -> pd.Series:
    """The column for a field (its first, if several), or an all-missing column."""
    indices = layout.fields.get(field)
    if not indices:
        return pd.Series(None, index=table.index, dtype=object)
    return table[indices[0]]


def _field_label(header: _Header, layout: _Layout, field: str) -> str:
    """The label of a field's column as shown in the file, or the field name if absent."""
    indices = layout.fields.get(field)
    return header.labels[indices[0]] if indices else field


def _long_frame(
    table: pd.DataFrame, numbers: list[int], header: _Header, layout: _Layout
) -> pd.DataFrame:
    value_label = header.labels[layout.fields["value"][0]]
    frame = pd.DataFrame(
        {
            "indicator_id": _pick(table, layout, "indicator_id"),
            "year_raw": _pick(table, layout, "year"),
            "value_raw": _pick(table, layout, "value"),
            **{field: _pick(table, layout, field) for field in TEXT_FIELDS},
        }
    )
    return frame.assign(
        _row=numbers,
        _column=value_label,
        _id_column=_field_label(header, layout, "indicator_id"),
        _year_column=_field_label(header, layout, "year"),
        _flag_column=_field_label(header, layout, "flag"),
    )


def _wide_frame(
    table: pd.DataFrame, numbers: list[int], header: _Header, layout: _Layout
) -> pd.DataFrame:
    """Melt the year columns; blank year cells are simply absent observations."""
    base = pd.DataFrame(
        {
            "indicator_id": _pick(table, layout, "indicator_id"),
            **{field: _pick(table, layout, field) for field in TEXT_FIELDS},
            "_row": numbers,
        }
    ).assign(
        _id_column=_field_label(header, layout, "indicator_id"),
        _flag_column=_field_label(header, layout, "flag"),
    )
    parts = [
        base.assign(
            year_raw=[header.cells[index]] * len(base),
            value_raw=table[index],
            _column=header.labels[index],
            _year_column=header.labels[index],
            _position=index,
        )
        for index, _ in layout.years
    ]
    melted = pd.concat(parts, ignore_index=True)
    values = melted["value_raw"]
    blank = values.isna() | values.astype("str").str.strip().eq("")
    melted = melted.loc[~blank.astype(bool)]
    melted = melted.sort_values(["_row", "_position"], kind="stable")
    return melted.drop(columns="_position").reset_index(drop=True)


def _text(column: pd.Series) -> pd.Series:
    """Cells as stripped display text, blank as missing, in pandas' string dtype."""
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        shown = column.astype("str").str.strip()  # all text (CSV): vectorised
    else:
        shown = column.map(_label, na_action="ignore").astype("str")
    return shown.where(shown.ne("") & shown.notna())


def _finish(frame: pd.DataFrame, name: str, sheet: str | None) -> pd.DataFrame:
    """Set the contract's column order and dtypes."""
    out = frame.assign(
        indicator_id=_text(frame["indicator_id"]),
        year_raw=frame["year_raw"].astype(object),
        value_raw=frame["value_raw"].astype(object),
        **{field: _text(frame[field]) for field in TEXT_FIELDS},
        _file=name,
        _row=frame["_row"].astype("int64"),
        _column=frame["_column"].astype("str"),
        _sheet=sheet,
        **{column: frame[column].astype("str") for column in LABEL_COLUMNS},
    )
    out["_file"] = out["_file"].astype("str")
    out["_sheet"] = out["_sheet"].astype("str")
    return out.loc[:, list(COLUMNS)].reset_index(drop=True)


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in COLUMNS})
