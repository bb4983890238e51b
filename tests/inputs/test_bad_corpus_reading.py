"""The reading corpus (tests/data/bad/reading/): one case per folder, one test per case.

Each case is a plan folder as a user would have it: data files (CSV committed, workbooks
and damaged bytes built by tests/data/make_bad_corpus_reading.py) and the shared
plan.yaml unless the case has its own. The expected outcome is the exit code of
``planlib validate``, text the user must be shown (file, sheet, row, column, value), and
for the cases that read, the exact values read.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from planlib.cli import run
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan
from planlib.inputs.reading.year_headers import year_headers
from planlib.inputs.units import unit_factor

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "bad" / "reading"
sys.path.insert(0, str(DATA))
import make_bad_corpus_reading as corpus  # noqa: E402

GER = {("preschool_ger", 2020): 88.2, ("preschool_ger", 2021): 89.6,
       ("preschool_ger", 2022): 90.5}
PLACES = {("places_added", 2020): 2500.0, ("places_added", 2021): 3100.0,
          ("places_added", 2022): 4200.0}
FITNESS = {("fitness_rate", 2020): 48.1, ("fitness_rate", 2021): 50.3,
           ("fitness_rate", 2022): 53.9}
SCHOOLS = {("new_high_schools", 2020): 0.0, ("new_high_schools", 2021): 1.0,
           ("new_high_schools", 2022): 2.0}


@dataclass(frozen=True)
class Expect:
    """Exit code of validate, texts it must print, and the exact values read (if exit 0)."""

    code: int
    said: tuple[str, ...] = ()
    values: dict[tuple[str, int], float] = field(default_factory=dict)
    flags: dict[tuple[str, int], str] = field(default_factory=dict)
    not_said: tuple[str, ...] = ()


EXPECT: dict[str, Expect] = {
    # --- workbooks as offices write them
    "office_workbook": Expect(
        0, ("主要指标2022.xlsx, sheet '主要指标', row 3, column '2022年（初步）': column header "
            "read as the year 2022 (provisional)",
            "sheet '主要指标', row 8: kept as a note, not data: 注：①2022年为初步统计数。",
            "sheet '说明', row 1: skipped, it holds no data table",
            "footnote mark(s) ① dropped from the value (2 places: ",
            "row 5, column '2022年（初步）' ('53.9①')",
            "places_added: values in 万个 converted to the plan's unit 个 (×10000)",
            "ok: corpus: 12 observations of 4 series"),
        {**GER, **FITNESS, **PLACES, **SCHOOLS},
        {("fitness_rate", 2022): "provisional", ("places_added", 2021): ""}),
    "names_wide_csv": Expect(0, ("ok: corpus: 6 observations of 2 series",),
                             {**GER, **PLACES}),
    "names_long_csv": Expect(0, ("ok: corpus: 3 observations",), GER),
    "name_numbered_with_unit": Expect(0, ("ok: corpus: 9 observations of 3 series",),
                                      {**GER, **PLACES, **SCHOOLS}),
    "name_alias": Expect(0, ("ok: corpus: 3 observations",), PLACES),
    "name_by_series_id": Expect(0, ("ok: corpus: 3 observations",), PLACES),
    "id_column_holding_names": Expect(0, ("ok: corpus: 3 observations of 1 series",), GER,
                                      not_said=("kept for reference",)),
    "one_year_by_name": Expect(0, ("ok: corpus: 1 observations",),
                               {("preschool_ger", 2022): 90.5}),
    "name_unknown_did_you_mean": Expect(
        0, ("data.csv, row 3, column '指标': the row name '学前教育毛入学率' matches no "
            "indicator of the plan (by name_zh, id, series or aliases) and was not read (did "
            "you mean '学前教育毛入园率' (preschool_ger)?)",
            "data.csv, row 4, column '指标': the row name '专任教师数' matches no indicator"),
        GER),
    "names_all_unknown": Expect(
        2, ("plan.yaml, column 'indicators': none of the plan's 4 indicators has data",
            "did you mean '学前教育毛入园率' (preschool_ger)?"), not_said=("ok:",)),
    "name_ambiguous": Expect(
        2, ("data.csv, row 2, column '指标': the name fits several plan indicators "
            "(ger_all, ger_public) (value '入园率')",)),
    "footnote_circled": Expect(
        0, ("data.csv, row 2, column '2022年' ('53.9①'): footnote mark(s) ① dropped",
            "data.csv, row 3, column '2020年' ('88.2②'): footnote mark(s) ② dropped"),
        {**FITNESS, **GER}),
    "footnote_other_marks": Expect(
        0, tuple(f"footnote mark(s) {m} dropped" for m in ("⑴", "㈠", "ᵃ", "*", "†", "‡")),
        {**FITNESS, **GER}),
    "footnote_mark_inside_number": Expect(
        2, ("data.csv, row 2, column '2021年': value is not a number (value '5①3.9')",)),
    "source_row_csv": Expect(0, ("ok: corpus: 3 observations",), GER),
    "note_row_with_commas_csv": Expect(
        0, ("data.csv, row 3: kept as a note, not data: 注：2022年为初步数,2021年起口径调整",),
        GER),
    "note_row_inside_numbers": Expect(
        2, ("data.csv, row 3: the row starts like a note (注：…) or a source (数据来源：…) "
            "but holds numbers too",)),
    "note_row_merged": Expect(
        0, ("notes.xlsx, sheet 'Sheet', row 3: kept as a note, not data: 注：2022年为初步数",
            "row 4: kept as a note, not data: 2. 托位数含普惠托位。"), GER,
        not_said=("merged cells",)),
    "notes_sheet": Expect(
        0, ("data.xlsx, sheet '说明', row 1: skipped, it holds no data table",), GER),
    "notes_only_workbook": Expect(
        2, ("only_notes.xlsx, sheet '说明', row 1: no header row with an indicator id column",)),
    "year_header_provisional": Expect(
        0, ("column '2022年（初步）': column header read as the year 2022 (provisional)",), GER,
        {("preschool_ger", 2022): "provisional", ("preschool_ger", 2021): ""}),
    "year_header_school_year": Expect(
        0, tuple(f"column '{y}学年': column header read as the year {y}"
                 for y in (2020, 2021, 2022)), GER),
    "year_header_date": Expect(
        0, ("column '2020-12-31': column header read as the year 2020",
            "column '2021-12-31': column header read as the year 2021"), GER),
    "year_header_two_years": Expect(
        2, ("data.csv, row 1, column '2021-2022学年': column header looks like a year but "
            "cannot be read as one: the header spans two years",)),
    "year_header_unknown_word": Expect(
        2, ("data.csv, row 1, column '2022年（修订）': column header looks like a year",
            "'修订' after the year is not a known qualifier")),
    "year_header_target_column": Expect(
        0, ("column '2025年目标': a target, not a year's observed value: read as each "
            "row's (area's) target",), GER),
    "unit_wan_converted": Expect(
        0, ("unit_wan_converted/data.csv, row 2: places_added: values in 万个 converted to "
            "the plan's unit 个 (×10000)",), PLACES),
    "unit_in_title_row": Expect(
        0, ("places_added: values in 万个 converted to the plan's unit 个 (×10000)",), PLACES),
    "unit_in_name_converted": Expect(
        0, ("places_added: values in 万个 converted to the plan's unit 个 (×10000)",), PLACES),
    "unit_incompatible": Expect(
        2, ("data.csv, row 2, column '单位': preschool_ger: the file's unit differs from the "
            "plan's unit '%' and cannot be converted to it (value '万人')",)),
    "fraction_among_percents": Expect(
        2, ("data.csv, row 2, column '2022年': preschool_ger 2022: value 0.905 looks like a "
            "fraction", "between 88.2 and 89.6", "write it in percent (90.5)")),
    "fraction_whole_series": Expect(
        2, ("row 2, column '2020年': preschool_ger 2020: value 0.882 looks like a fraction",
            "the target of preschool_ger is 92 %", "write it in percent (88.2)")),
    "small_rate_not_a_fraction": Expect(
        0, ("ok: low: 3 observations",),
        {("dropout_rate", 2020): 0.9, ("dropout_rate", 2021): 0.7,
         ("dropout_rate", 2022): 0.6}),
    "percent_formatted_cells": Expect(0, ("ok: corpus: 3 observations",), GER),
    # --- silent misreads
    "unclosed_quote_to_end": Expect(
        2, ("data.csv, row 2: a quote (\") opened on line 2 is closed only on line 4 or never",)),
    "unclosed_quote_closed_later": Expect(
        2, ("data.csv, row 2: a quote (\") opened on line 2",)),
    "line_break_inside_note_ok": Expect(0, ("ok: corpus: 3 observations",), GER),
    "line_break_with_comma_ok": Expect(0, ("ok: corpus: 3 observations",), GER),
    "utf8_one_bad_byte": Expect(
        2, ("damaged.csv, row 3: not valid UTF-8 at line 3, byte 99 (0xe4), although the rest "
            "of the file is UTF-8",), not_said=("鍖",)),
    "utf8_stray_latin1_byte": Expect(
        2, ("latin1.csv, row 2: not valid UTF-8 at line 2, byte 93 (0xe9)",)),
    "gb18030_file": Expect(0, ("ok: corpus: 3 observations",), GER),
    "hidden_sheet": Expect(
        0, ("hidden_sheet.xlsx, sheet '旧版': the sheet is hidden (hidden), so it was not read",),
        GER),
    "hidden_rows": Expect(
        0, ("hidden_rows.xlsx, sheet 'Sheet': hidden row(s) 2 not read",), FITNESS),
    "hidden_column": Expect(
        0, ("hidden_column.xlsx, sheet 'Sheet': hidden column(s) D not read",),
        {("preschool_ger", 2020): 88.2, ("preschool_ger", 2021): 89.6}),
    "yyyy_year_cells": Expect(0, ("ok: corpus: 3 observations",), GER),
    "merged_value_spread": Expect(
        2, ("spread.xlsx, sheet 'Sheet', row 2, column '2021': merged cells B2:D2 spread one "
            "value over several values",)),
    "national_region_same_series": Expect(0, ("ok: corpus: 3 observations of 1 series",), GER),
    "national_region_english": Expect(0, ("ok: corpus: 3 observations of 1 series",), GER),
    "national_and_blank_twice": Expect(
        2, ("data.csv, row 3, column 'value': preschool_ger 2021 appears more than once in "
            "this file (rows 2, 3) (value '89.9')",)),
    # --- order of corrections
    "same_glob_conflict": Expect(
        2, ("a_original.csv, row 4, column 'value': preschool_ger 2022: 90.5 here but 90.8 in ",
            "0_correction.csv row 2; both files are matched by the data glob '*.csv'",
            'a later pattern, e.g. data: ["*.csv", "updates/*"]')),
    "same_glob_equal_values": Expect(0, ("ok: corpus: 3 observations",), GER,
                                     not_said=("replaced",)),
    "later_glob_correction": Expect(
        0, ("a_original.csv, row 4, column 'value': preschool_ger 2022: 90.5 replaced by 90.8 "
            "from a later file (", "updates/0_correction.csv row 2)"),
        {**GER, ("preschool_ger", 2022): 90.8}),
    "no_plan_indicator_has_data": Expect(
        2, ("none of the plan's 4 indicators has data in the files read (series found: "
            "teachers)",), not_said=("ok:",)),
    # --- semantics
    "flow_with_level_at_least": Expect(
        2, ("plan.yaml, row 3, column 'indicators.0'", "measure: flow (additions per year) "
            "with a level_at_least target is ambiguous", "Use kind: cumulative_increase")),
    "flow_with_average_growth": Expect(
        2, ("row 3", "with a average_growth target is ambiguous", "or measure: stock")),
    "flow_with_annual_change": Expect(
        2, ("row 3", "with a annual_change target is ambiguous",)),
}


def _cases() -> list[str]:
    committed = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    return sorted(committed | set(corpus.BUILDERS))


def _case_folder(case: str, tmp_path: Path) -> Path:
    """A copy of the case's folder with its built files and the shared plan (unless own)."""
    folder = tmp_path / case
    if (CORPUS / case).is_dir():
        shutil.copytree(CORPUS / case, folder)
    corpus.build(case, folder)
    if not (folder / "plan.yaml").exists():
        shutil.copy(CORPUS / "plan.yaml", folder / "plan.yaml")
    return folder


def test_every_case_has_an_expected_outcome() -> None:
    assert set(_cases()) == set(EXPECT)
    assert len(EXPECT) >= 35


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(EXPECT))
def test_case(case: str, tmp_path: Path) -> None:
    expect = EXPECT[case]
    folder = _case_folder(case, tmp_path)
    errors: list[str] = []
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = run(["validate", "--plan", str(folder), "--lang", "en"], handler=errors.append)
    said = printed.getvalue() + "\n".join(errors)
    assert code == expect.code, said
    assert "internal error" not in said and "Traceback" not in said
    for text in expect.said:
        assert text in said, f"{text!r} not in:\n{said}"
    for text in expect.not_said:
        assert text not in said, said
    if expect.code == 0:
        _assert_values(folder, expect)


def _assert_values(folder: Path, expect: Expect) -> None:
    """The values read are exactly the expected ones (no more series, no other years)."""
    frame = read_observations(load_plan(folder)).frame
    read = {(i, int(y)): v for i, y, v in zip(frame["indicator_id"], frame["year"],
                                              frame["value"], strict=True)}
    assert read == pytest.approx(expect.values, rel=1e-12)
    flags = {(i, int(y)): str(f) for i, y, f in
             zip(frame["indicator_id"], frame["year"], frame["flag"].fillna(""), strict=True)}
    for key, flag in expect.flags.items():
        assert flags[key] == flag, key


def test_the_office_workbook_evaluates_with_no_edits(out_dir, tmp_path: Path) -> None:
    """Done criterion of #7: the colleague's workbook, a plan without series: lines,
    ``planlib evaluate`` succeeds and evaluates every indicator from it."""
    plan_text = (CORPUS / "plan.yaml").read_text(encoding="utf-8")
    assert "series:" not in plan_text
    folder = _case_folder("office_workbook", tmp_path)
    out = out_dir
    printed = io.StringIO()
    errors: list[str] = []
    with contextlib.redirect_stdout(printed):
        code = run(["evaluate", "--plan", str(folder), "--out", str(out)],
                   handler=errors.append)
    assert code == 0, printed.getvalue() + "\n".join(errors)
    table = pd.read_csv(out / "evaluation.csv")
    assert sorted(table["indicator_id"]) == sorted(
        ["preschool_ger", "fitness_rate", "places_added", "new_high_schools"])
    latest = table.set_index("indicator_id")
    assert latest.loc["fitness_rate", "latest_value"] == 53.9
    assert latest.loc["places_added", "latest_value"] == 3100 + 4200  # 万个 → 个, since 2020
    tidy = pd.read_csv(out / "observations.csv").set_index(["indicator_id", "year"])
    assert tidy.loc[("places_added", 2021), ["value", "unit"]].tolist() == [3100, "个"]
    assert tidy.loc[("places_added", 2021), "note"] == "含普惠托位"
    assert tidy.loc[("fitness_rate", 2022), "flag"] == "provisional"
    assert tidy.loc[("fitness_rate", 2022), "source"] == "示例市教育局、示例市统计局"


# --------------------------------------------------------------- the rules behind the cases
@pytest.mark.parametrize(("have", "want", "factor"), [
    ("万个", "个", 1e4), ("个", "万个", 1e-4), ("亿元", "万元", 1e4), ("万所", "个", 1e4),
    ("％", "%", 1.0), ("百分比", "%", 1.0), ("名", "人", 1.0), ("10k places (万个)", "个", 1e4),
    ("", "个", 1.0), ("places per 1,000 population", "个", 1.0),  # unknown text: left alone
    ("万人", "%", None), ("人", "所", None), ("%", "个", None),
])
def test_unit_factor(have: str, want: str, factor: float | None) -> None:
    assert unit_factor(have, want) == factor


@pytest.mark.parametrize(("cell", "year", "flag", "refused"), [
    ("2022年（初步）", 2022, "provisional", False), ("2022年(p)", 2022, "provisional", False),
    ("2022学年", 2022, None, False), ("2022年末", 2022, None, False),
    ("二〇二二年", 2022, None, False), ("2022年\n（初步）", 2022, "provisional", False),
    (datetime(2021, 12, 31), 2021, None, False), ("2021-12-31", 2021, None, False),
    ("2021-22", None, None, True), ("2022年（修订）", None, None, True),
    ("2025年目标", None, None, False), ("2020-2025年均增长", None, None, False),
    ("备注（2022年更新）", None, None, False),  # a year inside a label: skipped, said
])
def test_year_headers(cell: object, year: int | None, flag: str | None, refused: bool) -> None:
    (head,) = year_headers([cell])
    assert head is not None
    assert (head.year, head.flag, head.error is not None) == (year, flag, refused)
    assert (head.skip is not None) == (year is None and not refused)
