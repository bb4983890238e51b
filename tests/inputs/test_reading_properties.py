"""Properties of reading, for any data hypothesis makes up.

- A number written as offices write it (percent sign, thousands separators, full-width
  digits, a footnote mark) reads back as the same number, and the mark is reported.
- The same observations written long, wide by id or wide by Chinese name read the same.
- The order of the rows in a file changes nothing.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlib.inputs.numbers import footnote_marks, parse_numbers
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan

_FULL_WIDTH = str.maketrans("0123456789.-,%", "０１２３４５６７８９．－，％")
MARKS = ["①", "⑳", "⑴", "⒇", "㈠", "㈩", "*", "†", "‡", "¹", "²", "³", "ᵃ", "※"]

PLAN = """plan: {id: prop, title_zh: 性质, baseline_year: 2015, target_year: 2030, as_of: 2031}
data: ["*.csv"]
indicators:
  - {id: rate, name_zh: 学前教育毛入园率, unit: "%", bounds: [0, 100], direction: increase,
     target: {kind: level_at_least, value: 99}}
  - {id: count, name_zh: 新建公办普通高中, unit: 所, bounds: [0, null], direction: increase,
     target: {kind: milestone, value: 1000000}}
"""
NAMES = {"rate": "学前教育毛入园率", "count": "新建公办普通高中"}
YEARS = list(range(2015, 2031))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False,
                   allow_infinity=False),
       st.sampled_from(MARKS), st.booleans(), st.booleans(), st.booleans())
def test_printed_numbers_read_back(number, mark: str, percent: bool, grouped: bool,
                                   full_width: bool) -> None:
    """Any number, printed any office way with a footnote mark, is that number."""
    text = f"{number:,}" if grouped else f"{number}"
    text += "%" if percent else ""
    if full_width:
        text = text.translate(_FULL_WIDTH)
    cell = text + mark
    values, bad = parse_numbers(pd.Series([cell], dtype=object))
    assert not bad.iloc[0], cell
    assert values.iloc[0] == float(number), cell
    assert footnote_marks(pd.Series([cell], dtype=object)).iloc[0] == mark


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=1, max_value=1e6), st.sampled_from(MARKS[:6]))
def test_a_circled_mark_is_never_a_digit(x: float, mark: str) -> None:
    """53.9① is 53.9 (never 53.91): the mark never joins the number's digits."""
    values, _ = parse_numbers(pd.Series([f"{x!r}{mark}"], dtype=object))
    assert values.iloc[0] == x


observations = st.dictionaries(
    st.tuples(st.sampled_from(["rate", "count"]), st.sampled_from(YEARS)),
    st.integers(min_value=500, max_value=10000).map(lambda n: n / 100),
    min_size=1, max_size=20,
).filter(lambda d: any(k[0] == "rate" for k in d))


def _read(files: dict[str, str]) -> dict[tuple[str, int], float]:
    """Write the files beside the plan and read them: {(id, year): value}."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        frame = read_observations(load_plan(folder)).frame
    return {(i, int(y)): v for i, y, v in
            zip(frame["indicator_id"], frame["year"], frame["value"], strict=True)}


def _long(obs: dict[tuple[str, int], float], order: list[tuple[str, int]]) -> str:
    return "indicator_id,year,value\n" + "".join(f"{i},{y},{obs[(i, y)]!r}\n" for i, y in order)


def _wide(obs: dict[tuple[str, int], float], by_name: bool) -> str:
    years = sorted({y for _, y in obs})
    head = ("序号,指标,单位," if by_name else "indicator_id,") + ",".join(f"{y}年" for y in years)
    lines = [head]
    for n, ident in enumerate(sorted({i for i, _ in obs}), start=1):
        cells = [repr(obs[(ident, y)]) if (ident, y) in obs else "" for y in years]
        label = f"{n},{NAMES[ident]}①,," if by_name else f"{ident},"
        lines.append(label + ",".join(cells))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(observations)
def test_long_and_wide_read_the_same(obs: dict[tuple[str, int], float]) -> None:
    """Long, wide by id and wide by 指标 name (with a footnote mark) give the same data."""
    order = sorted(obs)
    long = _read({"obs.csv": _long(obs, order)})
    assert long == pytest.approx(obs)
    assert _read({"obs.csv": _wide(obs, by_name=False)}) == long
    assert _read({"obs.csv": _wide(obs, by_name=True)}) == long


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(observations, st.randoms(use_true_random=False))
def test_row_order_changes_nothing(obs: dict[tuple[str, int], float],
                                   rng: random.Random) -> None:
    """Shuffled rows, in one file or split over two files of one glob, read the same."""
    order = sorted(obs)
    shuffled = order[:]
    rng.shuffle(shuffled)
    expected = _read({"obs.csv": _long(obs, order)})
    assert _read({"obs.csv": _long(obs, shuffled)}) == expected
    cut = rng.randrange(len(shuffled) + 1)
    split = {"a.csv": _long(obs, shuffled[:cut]), "b.csv": _long(obs, shuffled[cut:])}
    split = {name: text for name, text in split.items() if text.count("\n") > 1}  # no empty
    assert _read(split) == expected
