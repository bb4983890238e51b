"""Reading real observation files: encodings, layouts, Excel rows and columns, errors."""

from __future__ import annotations

import math
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planlib.errors import InputError
from planlib.inputs.numbers import parse_numbers, parse_years
from planlib.inputs.reading import COLUMNS, read_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
from make_bad_corpus_hostile import shared_regions  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[2] / "data/raw/cn_education_14th/observations.csv"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _parsed(frame: pd.DataFrame) -> list[tuple[str, int, float | None, int, str]]:
    """(id, year, value or None, Excel row, column label) per cell, for exact asserts."""
    values, bad = parse_numbers(frame["value_raw"])
    years, _ = parse_years(frame["year_raw"])
    assert not bad.any()
    return [
        (i, int(y), None if math.isnan(v) else v, r, c)
        for i, y, v, r, c in zip(
            frame["indicator_id"], years, values, frame["_row"], frame["_column"], strict=True
        )
    ]


def _problems(path: Path, name: str | None = None) -> str:
    with pytest.raises(InputError) as info:
        read_table(path, display_name=name)
    return str(info.value)


# --------------------------------------------------------------------------- CSV


def test_gb18030_csv_with_chinese_headers(tmp_path: Path) -> None:
    text = (
        "指标代码,年份,数值,备注\n"
        "preschool_ger,2019年,57.3%,初步数\n"
        'pupils,2020,"1,234",\n'
        "\n"  # blank line: skipped, later rows keep their line numbers
        "preschool_ger,２０２１,５７．３,全角\n"
        "preschool_ger,2022,—,缺数\n"
        "preschool_ger,2023,57.3*,注\n"
    )
    path = _write(tmp_path / "gbk.csv", text, "gb18030")
    frame = read_table(path, display_name="data/gbk.csv")
    assert list(frame.columns) == list(COLUMNS)
    assert _parsed(frame) == [
        ("preschool_ger", 2019, 57.3, 2, "数值"),
        ("pupils", 2020, 1234.0, 3, "数值"),
        ("preschool_ger", 2021, 57.3, 5, "数值"),
        ("preschool_ger", 2022, None, 6, "数值"),
        ("preschool_ger", 2023, 57.3, 7, "数值"),
    ]
    assert frame["note"].tolist()[:1] == ["初步数"] and pd.isna(frame["note"].iloc[1])
    assert frame["_file"].unique().tolist() == ["data/gbk.csv"]
    assert frame["_sheet"].isna().all() and frame["region"].isna().all()
    assert frame["_year_column"].unique().tolist() == ["年份"]
    assert frame["_id_column"].unique().tolist() == ["指标代码"]


def test_utf8_bom_csv(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bom.csv", "indicator_id,year,value,flag\nx,2021,1.5,derived\n", "utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = read_table(path)
    assert frame["indicator_id"].tolist() == ["x"]  # BOM not glued to the header
    assert frame["flag"].tolist() == ["derived"] and frame["_row"].tolist() == [2]
    assert frame["_file"].iloc[0] == str(path)


def test_wide_csv_with_year_headers(tmp_path: Path) -> None:
    text = (
        "指标代码,地区,单位,2019年,2020年,2021年\n"
        "ger,全国,%,57.3%,,５８．１\n"  # blank cell: no observation for 2020
        "ger,北京,%,—,88.0,89.5*\n"
    )
    frame = read_table(_write(tmp_path / "wide.csv", text))
    assert _parsed(frame) == [
        ("ger", 2019, 57.3, 2, "2019年"),
        ("ger", 2021, 58.1, 2, "2021年"),
        ("ger", 2019, None, 3, "2019年"),
        ("ger", 2020, 88.0, 3, "2020年"),
        ("ger", 2021, 89.5, 3, "2021年"),
    ]
    assert frame["region"].tolist() == ["全国", "全国", "北京", "北京", "北京"]
    assert frame["unit"].unique().tolist() == ["%"]
    assert frame["year_raw"].tolist()[0] == "2019年"
    assert (frame["_year_column"] == frame["_column"]).all()


@pytest.mark.parametrize(
    "text",
    [
        "indicator_id\tyear\tvalue\nx\t2021\t1,234\n",
        "indicator_id;year;value\nx;2021;1,234\n",
        "sep=;\nindicator_id;year;value\nx;2021;1,234\n",
    ],
    ids=["tab", "semicolon", "excel-sep-hint"],
)
def test_delimiter_is_sniffed(tmp_path: Path, text: str) -> None:
    frame = read_table(_write(tmp_path / "d.txt", text))
    assert frame["value_raw"].tolist() == ["1,234"]
    assert frame["_row"].tolist() == [text.count("\n")]


def test_quoted_newline_keeps_line_numbers(tmp_path: Path) -> None:
    text = 'indicator_id,year,value,source\nx,2020,1,"line one\nline two"\nx,2021,2,\n'
    frame = read_table(_write(tmp_path / "q.csv", text))
    assert frame["_row"].tolist() == [2, 4]
    assert frame["source"].iloc[0] == "line one\nline two"


def test_title_rows_above_csv_header(tmp_path: Path) -> None:
    text = "表1 教育主要指标,,\n,,\nindicator_id,year,value\nx,2021,5\n"
    frame = read_table(_write(tmp_path / "t.csv", text))
    assert frame["_row"].tolist() == [4] and frame["value_raw"].tolist() == ["5"]


def test_shipped_national_file() -> None:
    frame = read_table(SHIPPED, display_name="cn_education_observations.csv")
    assert len(frame) == 127
    assert frame["_row"].tolist() == list(range(2, 129))
    assert frame["flag"].value_counts().to_dict() == {"derived": 12, "lower_bound": 1}
    assert frame["confidence"].value_counts().to_dict() == {"high": 92, "medium": 35}
    assert frame["source"].notna().all() and frame["source"].str.contains("http").any()
    assert frame["name_zh"].notna().all() and frame["unit"].notna().all()
    values, bad = parse_numbers(frame["value_raw"])
    years, bad_years = parse_years(frame["year_raw"])
    assert not bad.any() and not bad_years.any() and values.notna().all()
    assert years.min() == 2009 and years.max() == 2022


NATIONAL = SHIPPED.parent
ADDED = ["updates/national_2023_2025.csv", "context/births.csv", "context/births_vintages.csv",
         "context/kindergartens.csv"]


@pytest.mark.parametrize("name", ADDED)
def test_added_national_files_give_every_value_a_source(name: str) -> None:
    frame = read_table(NATIONAL / name, display_name=name)
    values, bad = parse_numbers(frame["value_raw"])
    assert len(frame) > 0 and not bad.any() and values.notna().all()
    assert frame["source"].notna().all() and (frame["source"].str.strip() != "").all()
    assert set(frame["confidence"]) <= {"high", "medium"}
    flags = set(frame["flag"].dropna()) if "flag" in frame else set()
    assert flags <= {"derived", "provisional", "lower_bound"}


def test_national_updates_are_plan_indicators_with_addresses() -> None:
    """2023-2025 values add to observations.csv, never override it; 2025 ones are early releases."""
    frame = read_table(NATIONAL / "updates/national_2023_2025.csv")
    years, _ = parse_years(frame["year_raw"])
    plan_ids = {"preschool_ger", "compulsory_retention", "upper_secondary_ger", "higher_ed_ger",
                "working_age_avg_schooling", "childcare_places_per_1000", "myopia_rate_overall",
                "fitness_good_excellent_rate"}
    assert set(frame["indicator_id"]) <= plan_ids and set(years) == {2023, 2024, 2025}
    assert frame["source"].str.contains("http").all()
    assert (frame["flag"][years == 2025] == "provisional").all()
    base = read_table(SHIPPED)
    shipped = set(zip(base["indicator_id"], parse_years(base["year_raw"])[0], strict=True))
    assert not shipped & set(zip(frame["indicator_id"], years, strict=True))


def test_context_births_keep_one_current_vintage_per_year() -> None:
    """births.csv: NBS's current series (2011-2019 revised after the 2020 census); others apart."""
    current = pd.read_csv(NATIONAL / "context/births.csv")
    older = pd.read_csv(NATIONAL / "context/births_vintages.csv")
    births = current[current.indicator_id == "births"].set_index("year")
    assert list(births.index) == list(range(2000, 2026))
    assert births.loc[2016, "value"] == 1883 and births.loc[2025, "value"] == 792
    assert set(births.loc[2011:2019, "vintage"]) == {"revised_after_2020_census"}
    assert set(births.drop(range(2011, 2020))["vintage"]) == {"original"}
    first = older[(older.indicator_id == "births") & (older.year == 2016)]
    assert first["value"].item() == 1786
    assert not current.duplicated(["indicator_id", "year"]).any()


def test_context_kindergartens_agree_with_the_shipped_observations() -> None:
    context = pd.read_csv(NATIONAL / "context/kindergartens.csv")
    shipped = pd.read_csv(SHIPPED)
    both = context.merge(shipped, on=["indicator_id", "year"], suffixes=("", "_shipped"))
    assert len(both) == 28 and (both["value"] == both["value_shipped"]).all()
    assert (both["source"] == both["source_shipped"]).all()
    enrolment = context[context.indicator_id == "kindergarten_enrolment"].set_index("year")["value"]
    assert enrolment.idxmax() == 2020 and enrolment[2025] < enrolment[2022] * 0.75


# --------------------------------------------------------------------------- XLSX


def _education_workbook(path: Path) -> Path:
    """Title row, blank row, two-row merged header (年份 over 2016..2022), dirty cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教育"
    ws["A1"] = "表1 2016-2022年教育主要指标"
    ws.merge_cells("A1:I1")
    ws["A3"], ws["B3"], ws["C3"] = "指标代码", "指标名称", "年份"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:I3")
    for offset, year in enumerate(range(2016, 2023)):
        ws.cell(4, 3 + offset, year if offset % 2 else f"{year}年")
    ws.append(
        ["preschool_ger", "学前教育毛入园率", 77.4, "79.6%", 81, "83.4 %", "85.2*", "８８．１", "—"]
    )
    ws.append([None] * 9)  # row 6 blank: skipped
    ws.append(["teachers", "专任教师", "1,234", None, "-", 5, "１，５００", "57.3¹", 12.5])
    ws.append(["注：数据来源于教育统计公报。"])  # footnote row: no year values, no cells
    notes = wb.create_sheet("说明")
    notes["A1"] = "本表数据均为全国口径。"
    wb.save(path)
    return path


def test_xlsx_title_rows_and_merged_two_row_header(tmp_path: Path) -> None:
    path = _education_workbook(tmp_path / "edu.xlsx")
    frame = read_table(path, display_name="edu.xlsx")
    assert list(frame.columns) == list(COLUMNS)
    assert _parsed(frame) == [
        ("preschool_ger", 2016, 77.4, 5, "2016年"),
        ("preschool_ger", 2017, 79.6, 5, "2017"),
        ("preschool_ger", 2018, 81.0, 5, "2018年"),
        ("preschool_ger", 2019, 83.4, 5, "2019"),
        ("preschool_ger", 2020, 85.2, 5, "2020年"),
        ("preschool_ger", 2021, 88.1, 5, "2021"),
        ("preschool_ger", 2022, None, 5, "2022年"),
        ("teachers", 2016, 1234.0, 7, "2016年"),
        ("teachers", 2018, None, 7, "2018年"),
        ("teachers", 2019, 5.0, 7, "2019"),
        ("teachers", 2020, 1500.0, 7, "2020年"),
        ("teachers", 2021, 57.3, 7, "2021"),
        ("teachers", 2022, 12.5, 7, "2022年"),
    ]
    assert frame["name_zh"].unique().tolist() == ["学前教育毛入园率", "专任教师"]
    assert frame["_sheet"].unique().tolist() == ["教育"]  # the notes sheet is skipped
    assert frame["_id_column"].unique().tolist() == ["指标代码"]
    assert frame["value_raw"].iloc[0] == 77.4  # numbers stay numbers until parsed


def test_xlsx_long_sheets_are_all_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "2021"
    first.append(["Indicator ID", "Year", "Value", "Region"])
    first.append(["x", 2021, 1.5, "北京"])
    second = wb.create_sheet("2022")
    second.append(["数据说明"])
    second.append(["code", "年度", "数据"])
    second.append(["x", "2022年", "2.5%"])
    wb.save(tmp_path / "long.xlsx")
    frame = read_table(tmp_path / "long.xlsx")
    assert frame["_sheet"].tolist() == ["2021", "2022"]
    assert frame["_row"].tolist() == [2, 3]
    assert frame["_column"].tolist() == ["Value", "数据"]
    assert frame["region"].tolist()[0] == "北京" and pd.isna(frame["region"].iloc[1])
    assert parse_numbers(frame["value_raw"])[0].tolist() == [1.5, 2.5]


def test_data_row_of_years_is_not_a_sub_header(tmp_path: Path) -> None:
    """Counts such as 2016, 2017 under a header without years must not become year labels."""
    text = "指标代码,名称,单位\nteachers,专任教师,2016,2017\n"
    message = _problems(_write(tmp_path / "counts.csv", text), "counts.csv")
    assert "no year and value columns and no year columns" in message


def test_unmerged_two_row_header_in_csv(tmp_path: Path) -> None:
    text = "指标代码,指标名称,年份,\n,,2020年,2021年\nx,名,1.5,2.5\n"
    frame = read_table(_write(tmp_path / "two.csv", text))
    assert frame["_column"].tolist() == ["2020年", "2021年"]
    assert frame["_row"].tolist() == [3, 3] and frame["name_zh"].tolist() == ["名", "名"]


# --------------------------------------------------------------------------- errors


def test_empty_file(tmp_path: Path) -> None:
    message = _problems(_write(tmp_path / "empty.csv", ""), "empty.csv")
    assert "empty.csv" in message and "file has no data rows" in message


def test_header_only_file(tmp_path: Path) -> None:
    message = _problems(_write(tmp_path / "h.csv", "indicator_id,year,value\n\n"), "h.csv")
    assert "h.csv" in message and "file has no data rows" in message


def test_random_bytes_are_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "noise.csv"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    message = _problems(path, "noise.csv")
    assert "noise.csv" in message and "not a text table" in message and "CSV UTF-8" in message


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"indicator_id,year,value\nx\xff,2021,1\n")
    message = _problems(path, "latin.csv")
    assert "cannot decode as UTF-8 or GB18030" in message and "save it as CSV UTF-8" in message


def test_damaged_utf8_is_not_read_as_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "damaged.csv"
    good = "指标代码,年份,数值,备注\nx,2021,1,学前教育毛入园率\n".encode()
    path.write_bytes(good + b"y,2022,2,\xff\n")
    with pytest.raises(InputError) as info:
        read_table(path, display_name="damaged.csv")
    (problem,) = info.value.problems
    assert problem.row == 3 and "not valid UTF-8" in problem.message
    assert "CSV UTF-8" in problem.fix


def test_xlsx_renamed_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "renamed.csv"
    path.write_bytes(_education_workbook(tmp_path / "w.xlsx").read_bytes())
    message = _problems(path, "renamed.csv")
    assert "renamed.csv" in message and "Excel workbook" in message and ".xlsx" in message


def test_old_xls(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    message = _problems(path, "old.xls")
    assert "old.xls" in message and "save as .xlsx or CSV" in message


def test_unsupported_extension(tmp_path: Path) -> None:
    message = _problems(_write(tmp_path / "obs.json", "{}"), "obs.json")
    assert "'.json'" in message and ".csv, .txt, .xlsx, .xlsm" in message


def test_corrupt_xlsx(tmp_path: Path) -> None:
    message = _problems(_write(tmp_path / "bad.xlsx", "indicator_id,year,value\n"), "bad.xlsx")
    assert "bad.xlsx" in message and "cannot open as an Excel workbook" in message


def test_indicator_named_by_name_only(tmp_path: Path) -> None:
    text = "指标名称,年份,数值\n学前教育毛入园率,2021,88.1\n"
    frame = read_table(_write(tmp_path / "names.csv", text))
    assert frame["indicator_id"].isna().all() and frame["name_zh"].tolist() == ["学前教育毛入园率"]
    assert frame["_id_column"].tolist() == ["指标名称"]


def test_missing_indicator_column(tmp_path: Path) -> None:
    text = "地区,年份,数值\n全国,2021,88.1\n"
    message = _problems(_write(tmp_path / "noid.csv", text), "noid.csv")
    assert "noid.csv, row 1" in message and "no header row with an indicator id column" in message
    assert "'地区', '年份', '数值'" in message
    assert "indicator_id, year, value (long)" in message and "2021年 (wide)" in message


def test_indicator_but_no_years(tmp_path: Path) -> None:
    message = _problems(_write(tmp_path / "ny.csv", "indicator_id,name_zh\nx,名\n"), "ny.csv")
    assert "no year and value columns and no year columns" in message


def test_xlsx_without_any_table(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "只有说明"
    wb.save(tmp_path / "notes.xlsx")
    message = _problems(tmp_path / "notes.xlsx", "notes.xlsx")
    assert "notes.xlsx, sheet 'Sheet'" in message and "'只有说明'" in message


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = "indicator_id,year,value,code\nx,2021,1,234\ny,2021,2\nz,2022,1,234,9\n"
    with pytest.raises(InputError) as info:
        read_table(_write(tmp_path / "many.csv", text), display_name="many.csv")
    problems = info.value.problems
    assert [(p.row, p.column) for p in problems] == [(1, "code"), (4, None)]
    assert "all mean indicator_id" in problems[0].message
    assert "row has 5 cells but the header has 4 columns" in problems[1].message
    assert '"1,234"' in problems[1].fix


def test_unquoted_thousands_separator_is_caught(tmp_path: Path) -> None:
    text = "indicator_id,year,value\nx,2021,1,234\n"
    with pytest.raises(InputError) as info:
        read_table(_write(tmp_path / "comma.csv", text), display_name="comma.csv")
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.value) == ("comma.csv", 2, "234")


# --------------------------------------------------------------------------- hostile input


def test_unreadable_file_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod 000 (or a file locked by another program) is exit 2, not a traceback."""
    path = _write(tmp_path / "locked.csv", "indicator_id,year,value\nx,2021,1\n")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    message = _problems(path, "locked.csv")
    assert "locked.csv: cannot read the file (Permission denied)" in message
    assert "chmod u+r" in message


@pytest.mark.parametrize("name", ["2022.xlsx", "updates"])
def test_folder_is_not_a_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).mkdir()
    message = _problems(tmp_path / name, name)
    assert f"{name}: this is a folder, not a file" in message


def test_formulas_without_saved_results_are_not_silently_empty(tmp_path: Path) -> None:
    """openpyxl/pandas-written workbooks have formulas but no results: data_only reads
    None, which would drop every computed value without a word."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["指标代码", "年份", "数值", "分子", "分母"])
    for row, year in enumerate((2020, 2021, 2022), start=2):
        ws.append(["x", year, f"=D{row}/E{row}*100", 47 + row, 100])
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError) as info:
        read_table(tmp_path / "f.xlsx", display_name="f.xlsx")
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "f.xlsx, sheet '数据'", 2, "C", "=D2/E2*100")
    assert "formula cells C2 and 2 more have no saved result" in problem.message
    assert "save it" in problem.fix


def test_merged_value_cells_are_never_spread_over_years(tmp_path: Path) -> None:
    """A value merged across 2019-2020 (wide) or two rows (long) is ambiguous: a problem
    at the copied cell, not the same number silently read for two years."""
    wb = openpyxl.Workbook()
    wide = wb.active
    wide.title = "wide"
    wide.append(["指标代码", "2019年", "2020年", "2021年"])
    wide.append(["a", 3000, None, 3800])
    wide.append(["b", "—", None, 1])  # a merged 'no value' is just missing
    wide.merge_cells("B2:C2")
    wide.merge_cells("B3:C3")
    long = wb.create_sheet("long")
    long.append(["指标代码", "年份", "数值"])
    for year, value in ((2019, 47), (2020, None), (2021, 50)):
        long.append(["a", year, value])
    long.merge_cells("A2:A4")  # one id for several rows is fine
    long.merge_cells("C2:C3")
    wb.save(tmp_path / "m.xlsx")
    with pytest.raises(InputError) as info:
        read_table(tmp_path / "m.xlsx", display_name="m.xlsx")
    assert [(p.file, p.row, p.column, p.value) for p in info.value.problems] == [
        ("m.xlsx, sheet 'long'", 3, "数值", "47"),
        ("m.xlsx, sheet 'wide'", 2, "2020年", "3000"),
    ]
    assert "merged cells C2:C3" in info.value.problems[0].message
    assert "unmerge" in info.value.problems[0].fix


def test_merged_id_cells_are_filled(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标代码", "年份", "数值"])
    for year, value in ((2019, 47), (2020, 48)):
        ws.append(["a", year, value])
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "ids.xlsx")
    frame = read_table(tmp_path / "ids.xlsx")
    assert frame["indicator_id"].tolist() == ["a", "a"]
    assert parse_numbers(frame["value_raw"])[0].tolist() == [47.0, 48.0]


def test_header_repeated_mid_file_is_skipped(tmp_path: Path) -> None:
    """Two exports pasted one under the other: the second header is not a data row."""
    text = "indicator_id,year,value\na,2020,1\nindicator_id,year,value\nb,2020,2\n"
    frame = read_table(_write(tmp_path / "twice.csv", text))
    assert frame["indicator_id"].tolist() == ["a", "b"]
    assert frame["_row"].tolist() == [2, 4]


def test_percent_formatted_cells_mean_what_excel_shows(tmp_path: Path) -> None:
    """0.523 formatted 0.0% shows as 52.3% and must be 52.3, as "52.3%" typed as text is;
    read as 0.523 it is a silently wrong rate well inside the bounds [0, 100]."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标代码", "年份", "数值"])
    for year, value, fmt in ((2020, 0.481, "0.0%"), (2021, 0.523, "0%"), (2022, 53.9, "0.0"),
                             (2023, 0.5, '0.0"%"')):  # a literal "%" is only text
        ws.append(["rate", year, value])
        ws.cell(ws.max_row, 3).number_format = fmt
    wb.save(tmp_path / "pct.xlsx")
    frame = read_table(tmp_path / "pct.xlsx")
    assert parse_numbers(frame["value_raw"])[0].tolist() == [48.1, 52.3, 53.9, 0.5]


def test_excel_escapes_in_text_are_decoded_as_excel_shows_them(tmp_path: Path) -> None:
    """Excel stores a carriage return in a cell as _x000D_ and a typed "_x" as _x005F_x:
    the text reaching planlib is what Excel shows, not the escapes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标代码", "地区", "年份", "数值", "备注"])
    ws.append(["rate", "东城_x000D_\n区", 2021, 50, "初步数_x005F_x000D_"])
    ws.append(["rate", "西城", 2022, 51, "a_x005f_b_x0041_"])
    wb.save(tmp_path / "escapes.xlsx")
    frame = read_table(tmp_path / "escapes.xlsx")
    assert frame["region"].tolist() == ["东城\r\n区", "西城"]
    assert frame["note"].tolist() == ["初步数_x000D_", "a_bA"]


def test_text_typed_like_an_escape_is_kept_in_shared_and_inline_strings(tmp_path: Path
                                                                        ) -> None:
    """The text _x000C_ typed in Excel is stored _x005F_x000C_; openpyxl deletes the x005F_
    of shared strings (Excel's usual store), which left it looking like an escaped form
    feed. Read from shared strings (as Excel lays a workbook out), from inline strings (as
    openpyxl writes one) and from an .xlsx, it stays the 7 characters typed; a real escape
    is still decoded, and x005F_ with no underscore before it is no escape at all."""
    shared_regions(tmp_path / "shared.xlsx", "东城_x005F_x000C_", "西x005F_城_x000D_区")
    assert read_table(tmp_path / "shared.xlsx")["region"].tolist() == [
        "东城_x000C_", "西x005F_城\r区"]
    wb = openpyxl.Workbook()
    wb.active.append(["indicator_id", "region", "year", "value"])
    wb.active.append(["preschool_ger", "东城_x005F_x000C_", 2020, 88.2])
    wb.active.append(["preschool_ger", "西x005F_城_x000D_区", 2021, 89.6])
    wb.save(tmp_path / "inline.xlsx")
    assert read_table(tmp_path / "inline.xlsx")["region"].tolist() == [
        "东城_x000C_", "西x005F_城\r区"]


def test_dates_formatted_as_years_are_years(tmp_path: Path) -> None:
    """A date cell formatted yyyy"年" shows 2021年: it is read as the year 2021. A full date
    stays a date, which the validator rejects, rather than being guessed at."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标代码", "年份", "数值"])
    for year, fmt in ((2020, 'yyyy"年"'), (2021, "yyyy"), (2022, "yyyy-mm-dd")):
        ws.append(["rate", datetime(year, 1, 1), 50])
        ws.cell(ws.max_row, 2).number_format = fmt
    wb.save(tmp_path / "dates.xlsx")
    years, bad = parse_years(read_table(tmp_path / "dates.xlsx")["year_raw"])
    assert years.tolist()[:2] == [2020, 2021] and bad.tolist() == [False, False, True]


@pytest.mark.parametrize(("nuls", "binary"), [(1, False), (3, False), (4, True)])
def test_a_few_nuls_are_named_at_their_cell_more_mean_binary(tmp_path: Path, nuls: int,
                                                             binary: bool) -> None:
    """A stray NUL or three in a text table (a broken exporter) is a cell to fix, named at
    its row and column; more, as in UTF-16 saved without its BOM, is not a text table."""
    text = "indicator_id,region,year,value\nrate,东" + "\x00" * nuls + "城,2020,50\n"
    message = _problems(_write(tmp_path / "nul.csv", text), "nul.csv")
    if binary:
        assert "nul.csv: not a text table: the file contains binary data" in message
    else:
        assert "nul.csv, row 2, column 'region': the cell holds a character XML" in message
        assert "U+0000 (nul)" in message
    utf16 = _write(tmp_path / "utf16.csv", "indicator_id,year,value\nrate,2020,50\n",
                   encoding="utf-16-le")
    assert "contains binary data" in _problems(utf16, "utf16.csv")
