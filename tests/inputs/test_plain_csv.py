"""The fast path for plain long CSV files (reading.plain_csv) reads exactly what the
careful path reads: the same frame, targets and warnings, or the same located problems.

Every CSV file the project holds (shipped plans, the input corpora) and files hypothesis
makes up — clean ones, which the fast path must accept, and ones spoiled at a random row
by a blank line, a note, a quote, a repeated header, a short or long row, an XML-refused
character — are read both ways and compared.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlib.errors import InputError
from planlib.inputs.reading.plain_csv import plain_long_csv
from planlib.inputs.reading.table import ReadResult, read_carefully, read_file

ROOT = Path(__file__).resolve().parents[2]
PROJECT_CSVS = sorted(
    path for folder in ("data", "tests/data", "plans", "examples") if (ROOT / folder).is_dir()
    for path in (ROOT / folder).rglob("*") if path.suffix in (".csv", ".txt"))


def _outcome(read, path: Path) -> tuple:
    """What reading gives: the result's parts, or the problems as the user reads them."""
    try:
        result: ReadResult = read(path, "data/x.csv")
    except InputError as exc:
        return ("problems", [str(problem) for problem in exc.problems])
    return ("read", result.frame, [(n.code, n.params, n.file, n.row, n.column)
                                   for n in result.notes], result.targets)


def _assert_same(path: Path) -> bool:
    """Assert read_file (fast path first) equals the careful path; True if it was fast."""
    fast = _outcome(lambda p, n: read_file(p, display_name=n), path)
    careful = _outcome(read_carefully, path)
    assert fast[0] == careful[0], (fast, careful)
    if fast[0] == "problems":
        assert fast == careful
    else:
        pd.testing.assert_frame_equal(fast[1], careful[1])
        assert fast[2] == careful[2]
        pd.testing.assert_frame_equal(fast[3], careful[3])
    return plain_long_csv(path, "data/x.csv") is not None


@pytest.mark.slow
def test_project_csv_files_read_the_same_both_ways() -> None:
    """Each CSV file of the project reads the same; the plain ones take the fast path."""
    assert len(PROJECT_CSVS) > 40
    fast = [path for path in PROJECT_CSVS if _assert_same(path)]
    names = {path.relative_to(ROOT).as_posix() for path in fast}
    assert "data/raw/cn_education_14th/observations.csv" in names
    assert 5 <= len(fast) < len(PROJECT_CSVS)  # note rows, wide tables: careful path


# --- generated files ---------------------------------------------------------------

_IDS = st.sampled_from(["rate", "count", "x_1", "毛入园率", "学前教育 毛入园率"])
_REGIONS = st.sampled_from(["", "北京", "东城街道", "R001", "A区/1", " 西城区 "])
_YEARS = st.sampled_from(["2015", "2021", "2022.0", "2022年", "二〇二二", "21", " 2020 "])
_VALUES = st.one_of(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: f"{x:.4g}"),
    st.sampled_from(["", "—", "53.9①", "12%", "１２．５", "n/a", "1e3", " 7 ", "-0", '"1,234"',
                     '"5;6"', '"say ""7"""', '""']))
_FLAGS = st.sampled_from(["", "provisional", "derived", "初步", "?"])
_HEADERS = [("indicator_id", "region", "year", "value", "flag"),
            ("指标代码", "地区", "年份", "数值", "标记"),
            ("indicator_id", "year", "value"),
            ("指标", "年份", "数值", "单位"),
            ("indicator_id", "year", "value", "target")]
_FIELD = {"indicator_id": _IDS, "指标代码": _IDS, "指标": _IDS, "region": _REGIONS,
          "地区": _REGIONS, "year": _YEARS, "年份": _YEARS, "value": _VALUES, "数值": _VALUES,
          "target": _VALUES, "flag": _FLAGS, "标记": _FLAGS, "单位": st.sampled_from(
              ["", "%", "万人", "所"])}
#: Ways to spoil one row of a clean file; each must send it down the careful path.
_SPOILERS = {
    "blank line": lambda row, sep: "",
    "note row": lambda row, sep: "注：2022年为初步数。",
    "source row": lambda row, sep: f"数据来源：统计局{sep}{sep}",
    "quote": lambda row, sep: row.replace(sep, f'{sep}"', 1) + '"',
    "quote inside a cell": lambda row, sep: row + 'x"y',
    "repeated header": None,
    "short row": lambda row, sep: row.rsplit(sep, 1)[0],
    "long row": lambda row, sep: row + sep + "9",
    "empty trailing cell": lambda row, sep: row + sep,
    "form feed": lambda row, sep: row + "\x0c",
    "blank first cell": lambda row, sep: sep + row.split(sep, 1)[1],
    "lone CR": lambda row, sep: row + "\r" + row,
}


@st.composite
def _clean_file(draw: st.DrawFn) -> tuple[list[str], str, str, str, bool]:
    """(lines, delimiter, newline, encoding, final newline) of a plain long file."""
    header = draw(st.sampled_from(_HEADERS))
    sep = draw(st.sampled_from([",", "\t", ";"]))
    rows = draw(st.lists(st.tuples(*(_FIELD[name] for name in header)), min_size=1,
                         max_size=25))
    lines = [sep.join(header)] + [sep.join(cells) for cells in rows]
    lines = [line for line in lines  # a quoted cell holding the delimiter stays one cell
             if len(next(csv.reader([line], delimiter=sep))) == len(header)]
    if len(lines) == 1:
        lines.append(sep.join(["rate", *(["2021"] * (len(header) - 1))]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return lines, sep, newline, encoding, draw(st.booleans())


def _write(folder: Path, lines: list[str], newline: str, encoding: str, final: bool) -> Path:
    """The lines written as a CSV file (GB18030 only where every character exists)."""
    text = newline.join(lines) + (newline if final else "")
    path = folder / "data.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_clean_file())
def test_clean_generated_files_take_the_fast_path_and_read_the_same(clean) -> None:
    """A clean long file is read by the fast path, and reads as the careful path reads it
    (every cell dirty or not: the values are parsed later, from the same raw cells)."""
    lines, sep, newline, encoding, final = clean
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), lines, newline, encoding, final)
        assert _assert_same(path), path.read_bytes()[:200]


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_clean_file(), st.sampled_from(sorted(_SPOILERS)), st.integers(min_value=1))
def test_a_spoiled_row_anywhere_sends_the_file_to_the_careful_path(clean, spoiler: str,
                                                                   where: int) -> None:
    """One row the fast path cannot accept, at any row: the whole file is read carefully,
    so its problems and warnings are the careful path's, at the same rows."""
    lines, sep, newline, encoding, final = clean
    index = 1 + where % len(lines[1:])
    spoil = _SPOILERS[spoiler]
    lines = list(lines)
    lines[index] = lines[0] if spoil is None else spoil(lines[index], sep)
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), lines, newline, encoding, final)
        fast = _assert_same(path)
    if not (spoiler == "blank line" and index == len(lines) - 1 and not final):
        assert not fast, (spoiler, lines)  # (a blank last line without a newline is none)


@pytest.mark.parametrize("name", ["data.xlsx", "data.tsv", "missing.csv"])
def test_only_existing_csv_files_are_tried(tmp_path: Path, name: str) -> None:
    """Workbooks, other suffixes and missing files never reach pyarrow."""
    path = tmp_path / name
    if name != "missing.csv":
        path.write_text("indicator_id,year,value\nx,2021,1\n", encoding="utf-8")
    assert plain_long_csv(path, name) is None
