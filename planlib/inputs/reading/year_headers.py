"""What a wide table's column header says about the year of its values.

Offices head year columns "2021", "2021年", "2022年（初步）", "2022学年", with a date, or
"2025年目标". Each header is read as a year (with a flag for a provisional figure), as a
column that is not a year's data (a target or a growth rate: skipped, and the user is
told), or refused with the reason: a column that looks like a year is never silently
dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from planlib.inputs.numbers import strip_trailing_marks, year_labels
from planlib.inputs.reading.grid import Cell

#: Words after a year that make its values provisional (初步数, 快报, 预计…).
_PROVISIONAL = (
    "初步", "初步数", "初步核算", "快报", "快报数", "预计", "预计数", "预估", "估计", "估", "初值",
    "p", "prelim", "preliminary", "provisional", "e", "est", "estimate", "estimated",
)
#: Words after a year that change nothing (the year's own value).
_PLAIN = (
    "基数", "基期", "基期数", "基期值", "基准", "基准值", "实际", "实际值", "实际数", "完成",
    "完成值", "完成数", "现状", "现状值", "年末", "年底", "末", "底", "数", "值", "数值",
    "数据", "统计", "actual", "baseline", "value",
)
#: Words that mark a column as not observed data (the plan holds targets).
_TARGET_WORDS = ("目标", "规划", "计划", "预期值", "target", "plan", "goal")
_DERIVED_WORDS = ("增长", "增速", "增幅", "增减", "变化", "变动", "比较", "比上年", "同比",
                  "累计", "年均", "平均", "差", "growth", "change", "average")
_YEAR_HEAD = re.compile(r"^((?:19|20|21)\d\d)\s*(年度|学年|年)?\s*(.*)$")
_TWO_YEARS = re.compile(r"(?:19|20|21)\d\d\s*[-–—~～/至到]\s*(?:(?:19|20|21)?\d\d)")
_ISO_DATE = re.compile(r"^((?:19|20|21)\d\d)[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CHINESE_YEAR = re.compile(r"^([〇零一二三四五六七八九]{4})年")
_BRACKETS = re.compile(r"^[(（\[【〔<《]\s*(.*?)\s*[)）\]】〕>》]$")


@dataclass(frozen=True)
class YearHeader:
    """A header that names a year: the year's data (``year``), or why it is not data."""

    year: int | None = None
    flag: str | None = None  # "provisional" for 2022年（初步）
    note: str | None = None  # how an unusual header was read (told to the user)
    skip: str | None = None  # why the column is not data: a warning code (column_target)
    error: str | None = None  # looks like a year but cannot be read as one


def year_headers(cells: Sequence[Cell]) -> list[YearHeader | None]:
    """How each header cell names a year, or None for a header without a year."""
    plain = year_labels(cells)
    return [
        YearHeader(year=year) if year is not None else _qualified(cell)
        for cell, year in zip(cells, plain, strict=True)
    ]


def _qualified(cell: Cell) -> YearHeader | None:
    """A header with a year and something more (a qualifier, a date), or None."""
    if isinstance(cell, datetime | date):
        return _from_date(cell.year, cell.isoformat())
    if not isinstance(cell, str):
        return None
    folded = unicodedata.normalize("NFKC", cell)
    if not (_ANY_YEAR.search(folded) or _CHINESE_YEAR.search(folded)):
        return None
    text = _without_marks(cell)
    iso = _ISO_DATE.match(text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        return _from_date(int(iso.group(1)), text)
    if _TWO_YEARS.search(text):
        if _has_word(text, _TARGET_WORDS + _DERIVED_WORDS):
            return _skipped(text)
        return YearHeader(error="the header spans two years, so the year of its values "
                                "is ambiguous")
    head = _YEAR_HEAD.match(text)
    if head is None:  # "备注（2022年更新）": a year inside a label is not a year column
        return _skipped(text) if _has_word(text, _TARGET_WORDS + _DERIVED_WORDS) else (
            YearHeader(skip="column_no_year"))
    year, rest = int(head.group(1)), _unbracket(head.group(3))
    key = rest.lower()
    if key == "":
        return YearHeader(year=year, note=f"read as year {year}")
    if key in _PROVISIONAL:
        return YearHeader(year=year, flag="provisional",
                          note=f"read as year {year}, values flagged provisional")
    if key in _PLAIN:
        return YearHeader(year=year, note=f"read as year {year}")
    if _has_word(key, _TARGET_WORDS + _DERIVED_WORDS):
        return _skipped(text)
    return YearHeader(error=f"'{rest}' after the year is not a known qualifier")


def year_in(label: str) -> int | None:
    """The first year written in a label ("2025年目标" -> 2025), or None."""
    found = _ANY_YEAR.search(_without_marks(label))
    return int(found.group(0)) if found else None


def _from_date(year: int, shown: str) -> YearHeader:
    """A date header stands for the year it falls in."""
    return YearHeader(year=year, note=f"a date ({shown}), read as year {year}")


def _skipped(text: str) -> YearHeader:
    """A target or derived column: not observed data, skipped with a note."""
    target = _has_word(text.lower(), _TARGET_WORDS)
    return YearHeader(skip="column_target" if target else "column_derived")


def _without_marks(cell: str) -> str:
    """NFKC text with trailing footnote marks removed (marks before NFKC, see numbers),
    line breaks (Alt+Enter) as spaces, and a year in Chinese numerals (二〇二二年) in
    digits."""
    text = unicodedata.normalize("NFKC", strip_trailing_marks(cell.strip())).strip()
    text = _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_CHINESE_DIGITS) + "年", text)
    return re.sub(r"\s+", " ", text)


def _unbracket(rest: str) -> str:
    """The qualifier without its brackets and spaces: "（初步）" → "初步"."""
    rest = rest.strip()
    match = _BRACKETS.match(rest)
    return re.sub(r"\s+", "", match.group(1) if match else rest)


def _has_word(text: str, words: Sequence[str]) -> bool:
    return any(word in text.lower() for word in words)
