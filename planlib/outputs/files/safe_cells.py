"""Text cells neutralised against formula injection before they reach a spreadsheet.

A CSV or XLSX opened in Excel, WPS or LibreOffice runs a cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return followed by one) as a formula: a note
copied from a web page such as ``=HYPERLINK("http://…")`` or ``-2+3+cmd|' /C calc'!A0``
would run on a colleague's machine. OWASP's rule: put a single quote in front, so the
cell shows as text. Only text cells are touched: numeric columns stay numbers, and a
text cell that is just a plain number ("-5", "+1.5e3") is left alone, since a
spreadsheet reads it as that number and runs nothing. In an XLSX (`xlsx_text`) the
text is also escaped for Excel's ``_xHHHH_`` escapes, so it reads back as written.
"""

from __future__ import annotations

import re

import pandas as pd

from planlib.inputs.reading.xlsx_escapes import encode

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    """True if a spreadsheet could read ``text`` as a formula (and it is not a number)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise_text(value: object) -> object:
    """``value`` with a single quote in front if it is formula-like text; else unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def xlsx_text(text: str) -> tuple[str, bool]:
    """``text`` as an XLSX cell stores it, and whether it needs Excel's quote prefix.

    openpyxl writes text as it is, but Excel reads any ``_xHHHH_`` in a stored string as
    an escaped character: a region named ``_x000C_`` would show as a form feed, so the
    escape's own underscore is escaped (``_x005F_x000C_``, as Excel stores typed text).
    A formula-like text is flagged for the quote prefix (shown as typed, never run)."""
    return encode(text), is_formula_like(text)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised; numeric columns untouched.

    Returns ``frame`` itself when no cell needs it (the common case costs no copy). The
    first character is tested column-wide, so only the few risky cells are looked at
    one by one (1,000,000 rows x 5 text columns in well under a second)."""
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        first = values.str[:1] if _all_text(values) else values.map(_first_char)
        candidates = first.isin(FORMULA_STARTS).to_numpy(dtype=bool, na_value=False)
        if not candidates.any():
            continue
        subset = values[candidates]
        safe = subset.map(neutralise_text)
        if not safe.equals(subset):
            fixed = values.copy()
            fixed[candidates] = safe
            changed[column] = fixed
    if not changed:
        return frame
    out = frame.copy()
    for column, values in changed.items():
        out[column] = values
    return out


def _all_text(values: pd.Series) -> bool:
    """True if the ``.str`` accessor works on the column (strings and missing values)."""
    try:
        values.str  # noqa: B018 - raises AttributeError on mixed columns
    except AttributeError:
        return False
    return True


def _first_char(value: object) -> object:
    return value[:1] if isinstance(value, str) else None
