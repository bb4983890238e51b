"""Dirty number and year cells as they come from bulletins, CSV exports and Excel."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.inputs.numbers import is_year_label, parse_numbers, parse_years, year_labels

MISSING = None
BAD = "bad"

NUMBER_CASES: list[tuple[object, object]] = [
    ("57.3", 57.3),
    (" 57.3 ", 57.3),
    ("\u300057.3\u3000", 57.3),  # ideographic spaces
    ("57.3%", 57.3),
    ("57.3 ％", 57.3),
    ("1,234", 1234.0),
    ("1,234,567.5", 1234567.5),
    ("１，２３４", 1234.0),
    ("５７．３", 57.3),
    ("５７．３％", 57.3),
    ("57.3*", 57.3),
    ("57.3**", 57.3),
    ("57.3†", 57.3),
    ("57.3‡", 57.3),
    ("57.3%*", 57.3),
    ("57.3¹", 57.3),  # superscript footnote: never 57.31
    ("57.3²³", 57.3),
    ("+3", 3.0),
    ("＋3", 3.0),
    ("−0.5", -0.5),  # unicode minus
    ("-0.5", -0.5),
    ("1.5e3", 1500.0),
    (".5", 0.5),
    ("", MISSING),
    ("   ", MISSING),
    ("—", MISSING),
    ("——", MISSING),
    ("–", MISSING),
    ("-", MISSING),
    ("－", MISSING),
    ("--", MISSING),
    ("…", MISSING),
    ("...", MISSING),
    ("NA", MISSING),
    ("N/A", MISSING),
    ("n/a", MISSING),
    ("#N/A", MISSING),
    ("null", MISSING),
    ("无", MISSING),
    ("暂无", MISSING),
    ("/", MISSING),
    (None, MISSING),
    (np.nan, MISSING),
    ("57,3", BAD),  # a decimal comma is not a thousands separator: never 573
    ("1,23", BAD),
    ("abc", BAD),
    ("57.3万", BAD),
    ("#DIV/0!", BAD),
    ("1²3", BAD),  # superscript inside a number
    ("*", BAD),
    ("inf", BAD),
    ("57.3.1", BAD),
    ("1e400", BAD),  # overflows a float: bad, never a silent infinity
    ("-1e400", BAD),
    ("1e308", 1e308),
    ("1e-400", 0.0),  # underflow is harmless
]


def _expect(values: pd.Series, bad: pd.Series, i: int, expected: object) -> None:
    if expected is BAD:
        assert bad.iloc[i] and math.isnan(values.iloc[i])
    elif expected is MISSING:
        assert not bad.iloc[i] and math.isnan(values.iloc[i])
    else:
        assert not bad.iloc[i]
        assert values.iloc[i] == pytest.approx(expected, rel=0, abs=1e-12)


def test_dirty_numbers_all_at_once() -> None:
    raw = pd.Series([cell for cell, _ in NUMBER_CASES], dtype=object)
    values, bad = parse_numbers(raw)
    assert values.dtype == "float64" and bad.dtype == "bool"
    for i, (cell, expected) in enumerate(NUMBER_CASES):
        try:
            _expect(values, bad, i, expected)
        except AssertionError:
            pytest.fail(f"{cell!r}: got {values.iloc[i]!r}, bad={bad.iloc[i]}, want {expected!r}")


def test_string_dtype_input_keeps_index_and_name() -> None:
    raw = pd.Series(["57.3%", "—", "x"], index=[10, 20, 30], name="value_raw", dtype="str")
    values, bad = parse_numbers(raw)
    assert list(values.index) == [10, 20, 30] and values.name == "value_raw"
    assert values.tolist()[0] == 57.3 and math.isnan(values.tolist()[1])
    assert bad.tolist() == [False, False, True]


def test_xlsx_mixed_cells_numbers_pass_through() -> None:
    raw = pd.Series([57.3, 12, 0.1 + 0.2, "1,234", None, "—"], dtype=object)
    values, bad = parse_numbers(raw)
    assert values.tolist()[:4] == [57.3, 12.0, 0.1 + 0.2, 1234.0]
    assert not bad.any()


@pytest.mark.parametrize("dtype", ["float64", "int64", "Int64", "Float64"])
def test_numeric_columns_pass_through(dtype: str) -> None:
    values, bad = parse_numbers(pd.Series([1, 2, 3], dtype=dtype))
    assert values.dtype == "float64" and values.tolist() == [1.0, 2.0, 3.0]
    assert not bad.any()


def test_infinite_floats_from_a_numeric_column_are_bad() -> None:
    values, bad = parse_numbers(pd.Series([1.0, np.inf, -np.inf, np.nan]))
    assert values.tolist()[0] == 1.0 and values.iloc[1:].isna().all()
    assert bad.tolist() == [False, True, True, False]


def test_huge_numeric_years_are_bad_not_a_crash() -> None:
    years, bad = parse_years(pd.Series([2021.0, 1e30, np.inf]))
    assert years.tolist()[0] == 2021 and years.iloc[1:].isna().all()
    assert bad.tolist() == [False, True, True]


def test_empty_series() -> None:
    values, bad = parse_numbers(pd.Series([], dtype=object))
    assert values.empty and bad.empty


_FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_round_trip_of_printed_numbers(x: float) -> None:
    """Whatever way a number is printed, it parses back to the same float."""
    cells = [
        repr(x),
        f" {x!r}% ",
        f"{x!r}*",
        repr(x).translate(_FULL_WIDTH),
        f"{x:,.2f}",
        f"{x!r}¹",
    ]
    values, bad = parse_numbers(pd.Series(cells, dtype=object))
    assert not bad.any(), cells
    assert values.tolist()[:4] == [x, x, x, x]
    assert values.iloc[4] == pytest.approx(round(x, 2), abs=1e-6)
    assert values.iloc[5] == x


YEAR_CASES: list[tuple[object, object]] = [
    (2021, 2021),
    (2021.0, 2021),
    ("2021", 2021),
    ("2021.0", 2021),
    (" 2021 ", 2021),
    ("2021年", 2021),
    ("2021 年", 2021),
    ("２０２１年", 2021),
    ("2021年度", 2021),
    ("1066", 1066),  # range is the validator's call
    ("", MISSING),
    ("—", MISSING),
    (None, MISSING),
    ("2021.5", BAD),
    (2021.5, BAD),
    ("二〇二一年", BAD),
    ("2021-22", BAD),
    ("year", BAD),
    ("9" * 30, BAD),  # too long for a year (and for int64): bad, not a crash
    ("9" * 400, BAD),
    (1e30, BAD),
]


def test_years_all_at_once() -> None:
    raw = pd.Series([cell for cell, _ in YEAR_CASES], dtype=object)
    years, bad = parse_years(raw)
    assert years.dtype == "Int64" and bad.dtype == "bool"
    for i, (cell, expected) in enumerate(YEAR_CASES):
        if expected is BAD:
            assert bad.iloc[i] and pd.isna(years.iloc[i]), cell
        elif expected is MISSING:
            assert not bad.iloc[i] and pd.isna(years.iloc[i]), cell
        else:
            assert not bad.iloc[i] and years.iloc[i] == expected, cell


def test_numeric_years() -> None:
    years, bad = parse_years(pd.Series([2021.0, np.nan, 2021.5]))
    assert years.tolist()[0] == 2021 and pd.isna(years.iloc[1]) and pd.isna(years.iloc[2])
    assert bad.tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("label", "year"),
    [
        (2021, 2021),
        (2021.0, 2021),
        ("2021", 2021),
        ("2021年", 2021),
        ("２０２１年", 2021),
        (" 2021 年 ", 2021),
        ("年份", None),
        ("value", None),
        (1, None),  # a numbered column is not a year
        ("12", None),
        (True, None),
        (None, None),
        ("2021.5", None),
    ],
)
def test_is_year_label(label: object, year: int | None) -> None:
    assert is_year_label(label) == year


def test_year_labels_of_a_header_row() -> None:
    assert year_labels(["指标代码", "2019年", 2020, 2021.0, None]) == [None, 2019, 2020, 2021, None]
