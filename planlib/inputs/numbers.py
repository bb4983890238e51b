"""Vectorised parsing of the dirty number and year cells that real tables contain.

Statistical tables copied from bulletins and Excel sheets carry "57.3%", "1,234",
full-width digits ("５７．３"), footnote marks ("57.3*", "57.3¹") and dashes for missing
values. These functions turn such cells into numbers with pandas string methods (one pass
per rule over the whole column, no per-cell Python loop) and say which cells are present
but not numbers, so the validator can report every one of them at once.

Rules shared by numbers and years:

- missing (NaN, not bad): empty or blank cells, runs of dashes, dots or slashes ("—",
  "--", "…", "/"), and the words NA, N/A, #N/A, null, none, nan, 无, 暂无;
- trailing footnote marks are dropped: * † ‡ § ※, superscript digits and letters (¹ ᵃ),
  circled or parenthesised numbers and letters (① ⑴ ⒈ ㈠ ㊀ ⓐ ❶) and a bracketed number
  such as "(1)" or "（一）". They are removed *before* NFKC normalisation, which would
  otherwise turn "53.9①" into 53.91 and "57.3¹" into 57.31; such a mark anywhere else
  makes the cell bad rather than silently a digit. :func:`footnote_marks` lists them so
  the user is told what was dropped;
- NFKC normalisation then maps full-width digits and punctuation to ASCII;
- a number too large for a float ("1e400" overflows to infinity) is bad, never infinite;
  so is a year too long to be a year (more than nine digits), rather than a crash.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074-\u2079\u2071\u207f\u1d43-\u1d6a\u1d9b-\u1dbf"
#: Circled, parenthesised and full-stop numbers and letters: ①–⑳ ⑴–⒇ ⒈–⒛ ⒜–⒵ Ⓐ–ⓩ ⓪,
#: ㈠–㈩ ㉑–㉟ ㊀–㊉ ㊱–㊿ and the dingbats ❶–➓. NFKC turns most of them into digits.
_CIRCLED = "\u2460-\u24ff\u2776-\u2793\u3220-\u3243\u3251-\u325f\u3280-\u32bf"
_MARKS = "*＊†‡§※"
_MARK = (
    rf"(?:[{_SUPERSCRIPTS}{_CIRCLED}{_MARKS}]"
    r"|[(（][0-9一二三四五六七八九十]{1,2}[)）])"
)
_TRAILING_MARKS = rf"(?:[\s%％]|{_MARK})+$"
_TRAILING_YEAR_MARKS = rf"(?:\s|{_MARK})+$"
_ANY_SUPERSCRIPT = rf"[{_SUPERSCRIPTS}{_CIRCLED}]"
_TRAILING_YEAR_RE = re.compile(_TRAILING_YEAR_MARKS)
_ANY_SUPERSCRIPT_RE = re.compile(_ANY_SUPERSCRIPT)
# After NFKC: only dashes, dots, slashes, tildes and spaces (or nothing at all).
_MISSING_PUNCT = r"[\s\-\u2010-\u2015\u2212~.…/\\]*"
_MISSING_WORDS = frozenset(
    {"na", "n/a", "#n/a", "n.a.", "null", "none", "nan", "无", "暂无", "缺", "缺失"}
)
_GROUPED = r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?"
_NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"
_YEAR = r"[0-9]+(\.0*)?"
_YEAR_SUFFIX = r"\s*年度?$"
_YEAR_SUFFIX_RE = re.compile(_YEAR_SUFFIX)
_YEAR_RE = re.compile(_YEAR)
#: Whole numbers beyond this are not years (and beyond int64 could not even be stored).
_YEAR_LIMIT = 1e9


def _as_text(raw: pd.Series) -> pd.Series:
    """Cells as stripped strings (missing stays missing), whatever the input dtype."""
    return raw.astype("str").str.strip()


def _missing_mask(text: pd.Series) -> pd.Series:
    """Cells that are present in the file but mean 'no value' (a dash, NA, 无...)."""
    folded = text.str.normalize("NFKC").str.strip()
    punct = folded.str.fullmatch(_MISSING_PUNCT)
    words = folded.str.lower().isin(_MISSING_WORDS)
    return (text.isna() | punct.fillna(False) | words).astype(bool)


def _strip_marks(text: pd.Series, trailing: str) -> tuple[pd.Series, pd.Series]:
    """Drop trailing footnote marks, then NFKC; also flag stray superscripts as bad."""
    core = text.str.replace(trailing, "", regex=True)
    stray = core.str.contains(_ANY_SUPERSCRIPT, regex=True).fillna(False).astype(bool)
    core = core.str.normalize("NFKC").str.strip()
    return core, stray


def _numeric_passthrough(raw: pd.Series) -> bool:
    """True when the column is already numbers (xlsx floats/ints), nothing to clean."""
    return pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype)


def parse_numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse dirty number cells.

    Returns (float64 values, bool mask of cells present but not numbers); both keep the
    index of ``raw``. Missing markers give NaN with a False mask; "57.3%" gives 57.3
    (rates are kept in percent), "1,234" gives 1234, "+3" gives 3, "−5" gives -5.
    A comma that is not a thousands separator ("57,3") is bad, never silently 573.
    """
    if _numeric_passthrough(raw):
        values = raw.astype("float64")
        infinite = values.notna() & ~np.isfinite(values)
        return values.mask(infinite), infinite.astype(bool).rename(raw.name)
    text = _as_text(raw)
    missing = _missing_mask(text)
    core, stray = _strip_marks(text, _TRAILING_MARKS)
    core = core.str.replace("\u2212", "-", regex=False)
    grouped = core.str.fullmatch(_GROUPED).fillna(False).astype(bool)
    core = core.where(~grouped, core.str.replace(",", "", regex=False))
    numeric = core.str.fullmatch(_NUMBER).fillna(False).astype(bool)
    ok = numeric & ~stray & ~missing
    values = core.where(ok).astype("float64").rename(raw.name)
    ok &= ~(values.notna() & ~np.isfinite(values))  # "1e400" overflows: bad, not inf
    bad = (~missing & ~ok).rename(raw.name)
    return values.where(ok), bad


def footnote_marks(raw: pd.Series) -> pd.Series:
    """The footnote marks that parsing drops from each cell ("①", "*†"; "" for none).

    Numbers are read without them; the caller lists them so that a mark is never
    dropped without the user being told (and "53.9①" is visibly 53.9, not 53.91).
    """
    if _numeric_passthrough(raw) or raw.empty:
        return pd.Series("", index=raw.index, dtype=object)
    text = _as_text(raw)
    tail = text.str.extract(f"({_TRAILING_MARKS})", expand=False)
    found = tail.str.findall(_MARK).map(
        lambda marks: "".join(marks) if isinstance(marks, list) else "")
    return found.astype(object).rename(raw.name)


def parse_years(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse year cells: 2021, 2021.0, "2021", "2021年", "２０２１年", "2021 年".

    Returns (Int64 years, bool mask of cells present but not a whole number). No range
    check here: whether 1066 is plausible is the validator's call.
    """
    if _numeric_passthrough(raw):
        floats = raw.astype("float64")
        whole = (floats.notna() & np.isfinite(floats) & (floats == np.floor(floats))
                 & (floats.abs() < _YEAR_LIMIT))
        years = floats.where(whole).astype("Int64")
        return years, (floats.notna() & ~whole).rename(raw.name)
    text = _as_text(raw)
    missing = _missing_mask(text)
    core, stray = _strip_marks(text, _TRAILING_YEAR_MARKS)
    core = core.str.replace(_YEAR_SUFFIX, "", regex=True)
    core, stray2 = _strip_marks(core, _TRAILING_YEAR_MARKS)
    whole = core.str.fullmatch(_YEAR).fillna(False).astype(bool)
    ok = whole & ~stray & ~stray2 & ~missing
    floats = core.where(ok).astype("float64")
    ok &= ~(floats >= _YEAR_LIMIT).fillna(False).astype(bool)  # no crash on "9" * 30
    years = floats.where(ok).astype("Int64").rename(raw.name)
    return years, (~missing & ~ok).rename(raw.name)


def year_labels(labels: Sequence[object]) -> list[int | None]:
    """The year each column header stands for, or None.

    Same rules as :func:`parse_years`, but only four-digit years count, so a column
    numbered 1, 2, 3 or headed 12 is never mistaken for a year column. Header rows are
    short and looked at row by row while searching for the header, so this is plain
    Python per label (cached), not a pandas pass.
    """
    return [_label_year(label) if _may_be_year(label) else None for label in labels]


def _label_year(label: object) -> int | None:
    """One header label's four-digit year (see :func:`year_labels`)."""
    if isinstance(label, int | float):
        return int(label) if float(label).is_integer() else None
    return _text_year(str(label))


@functools.lru_cache(maxsize=4096)
def _text_year(text: str) -> int | None:
    core = _TRAILING_YEAR_RE.sub("", text.strip())
    if _ANY_SUPERSCRIPT_RE.search(core):
        return None
    core = unicodedata.normalize("NFKC", core).strip()
    core = _TRAILING_YEAR_RE.sub("", _YEAR_SUFFIX_RE.sub("", core))
    if _ANY_SUPERSCRIPT_RE.search(core) or not _YEAR_RE.fullmatch(core):
        return None
    year = int(float(core))
    return year if 1000 <= year <= 9999 else None


def _may_be_year(label: object) -> bool:
    """Cheap pre-filter: a whole number of four digits, or text with four or more digits
    (full-width too): anything else cannot be a four-digit year label."""
    if isinstance(label, bool) or label is None:
        return False
    if isinstance(label, int | float):
        return 1000 <= label <= 9999
    return sum(ch.isdigit() for ch in str(label)) >= 4


def strip_trailing_marks(text: str) -> str:
    """One cell's text without its trailing footnote marks (and spaces), as parsing
    drops them; for single header cells, where a pandas pass would cost more."""
    return _TRAILING_YEAR_RE.sub("", text)


def is_year_label(label: object) -> int | None:
    """The year a single column header stands for (2021, 2021.0, "2021年"), else None."""
    return year_labels([label])[0]
