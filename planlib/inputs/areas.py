"""A plan's total (全区) and its parts (街道, 乡镇, 区县): which names are which (DESIGN.md §8).

Colleagues keep one sheet per area in the same layout, plus a total sheet (全区, 合计 or
the plan area's own name). Such sheets are read as one area per sheet, the sheet name
being the region, when every data sheet of the workbook without a region column carries
an area-like name (ends in 街道, 镇, 乡, 区, 县, 市… or is a total name; not a year, not
说明/注/填表说明) and they share one layout; ``region_from: sheet`` forces it for any
sheet names, ``region_from: column`` turns it off. Sheets that do not pass stay as
before: the same (indicator, year) with different values on two of them is a stale copy,
refused.

The total is kept as the no-region series (region ""), the series the plan's own targets
are about, as 全国 always was; the areas are the named regions. ``region_role`` tells
them apart, and the total is never counted as an area.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from planlib.inputs.input_warnings import InputWarning

#: Region names meaning the plan's whole area: read as the total (region "").
TOTAL_NAMES = frozenset({
    "全国", "全国合计", "全国总计", "中国", "national", "nationwide", "china", "whole country",
    "total", "合计", "总计", "全省", "全市", "全区", "全县", "全旗", "全州", "全盟",
    "全镇", "全乡", "全省合计", "全市合计", "全区合计", "全县合计", "全市总计", "全区总计",
    "全县总计",
})
#: Sheet names that hold notes, never an area's data.
NOTE_SHEETS = frozenset({"说明", "注", "注释", "附注", "备注", "填表说明", "填报说明", "指标说明",
                         "指标解释", "封面", "目录", "readme", "notes", "note"})
_YEAR_NAME = re.compile(r"^(?:19|20|21)\d\d(?:年|年度|学年)?(?:[(（].*[)）])?$")
#: Endings of the names of administrative areas (and of the parts of a city district).
_AREA_ENDING = re.compile(
    r"(?:街道|街道办事处|办事处|社区|镇|乡|苏木|区|县|市|旗|州|盟|省|自治区|片区|新区|园区|"
    r"开发区|管委会|农场|林场|district|county|city|town|township|province)$")
#: Marks of a copy of a sheet, never an area ("城关街道 (2)", "数据-旧", "副本").
_COPY_MARK = re.compile(r"\(\d+\)$|（\d+）$|副本|备份|旧|old|copy|bak|草稿", re.I)
#: Sheet names Excel and WPS give by default: never the name of an area.
_GENERIC = re.compile(r"^(?:sheet|工作表|表|table|tab)\s*\d*$", re.I)

REGION_FROM = ("auto", "sheet", "column")


def fold(name: object) -> str:
    """A name as compared: NFKC, case-folded, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)).casefold())


def total_names(own: str = "") -> frozenset[str]:
    """Folded names meaning the total: the usual ones and the plan area's own name."""
    return frozenset({fold(n) for n in TOTAL_NAMES} | ({fold(own)} if own.strip() else set()))


def is_total(name: object, own: str = "") -> bool:
    """True for a name meaning the plan's whole area (全区, 合计, 全国, the area's name)."""
    return fold(name) in total_names(own)


def is_note_sheet(name: str) -> bool:
    """A sheet named for notes (说明, 注, 填表说明…)."""
    return fold(name) in {fold(n) for n in NOTE_SHEETS}


def is_generic_sheet(name: str) -> bool:
    """A default sheet name (Sheet1, 工作表2, 表3): it names nothing."""
    return bool(_GENERIC.match(fold(name)))


def is_area_like(name: str, own: str = "") -> bool:
    """A sheet name that names an area or the total: not a year, a note, a copy or a
    default name, and ends like an administrative area's name (or is a total name)."""
    folded = fold(name)
    if not folded or _YEAR_NAME.match(folded) or is_note_sheet(name) or is_generic_sheet(name):
        return False
    if _COPY_MARK.search(folded):
        return False
    return is_total(name, own) or bool(_AREA_ENDING.search(folded))


def regions(raw: pd.Series, own: str = "") -> pd.Series:
    """Regions as compared: stripped, and every total name (全区, 合计, 全国) as ""."""
    region = raw.astype("string").str.strip().fillna("")
    folded = region.str.normalize("NFKC").str.casefold().str.replace(r"\s+", "", regex=True)
    return region.mask(folded.isin(total_names(own)), "")


def region_role(region: pd.Series) -> pd.Series:
    """'total' for the no-region series (the plan's whole area), 'area' for a part."""
    named = region.astype("string").fillna("").ne("")
    return pd.Series(["area" if n else "total" for n in named], index=region.index,
                     dtype="string")


def _signature(rows: pd.DataFrame) -> tuple[str, str]:
    """A sheet's layout as the reader saw it: its id column and how years are laid out."""
    wide = bool((rows["_year_column"] == rows["_column"]).all())
    return str(rows["_id_column"].iloc[0]), "wide" if wide else str(rows["_year_column"].iloc[0])


def sheet_regions(book: pd.DataFrame, mode: str, own: str = "") -> dict[str, str]:
    """Sheet -> region for the sheets of one workbook read as one area each ({} if none).

    ``book`` holds the raw rows of one workbook (``_sheet``, ``region``, the label
    columns). Only sheets without a region column are candidates.
    """
    if mode == "column" or book["_sheet"].isna().all():
        return {}
    no_region = book.groupby("_sheet", sort=False)["region"].agg(lambda r: r.isna().all())
    sheets = [str(s) for s, blank in no_region.items() if blank and not is_note_sheet(str(s))]
    if mode == "sheet":
        return {s: s.strip() for s in sheets}
    if len(sheets) < 2 or not all(is_area_like(s, own) for s in sheets):
        return {}
    if all(is_total(s, own) for s in sheets):
        return {}
    layouts = {_signature(book[book["_sheet"] == s]) for s in sheets}
    return {s: s.strip() for s in sheets} if len(layouts) == 1 else {}


def sheet_region_map(
    frame: pd.DataFrame, mode: str, own: str = ""
) -> tuple[dict[tuple[str, str], str], list[InputWarning]]:
    """(workbook, sheet) -> region for every sheet read as one area, and one line per
    workbook saying which sheets were read as areas and which as the total."""
    if "_sheet" not in frame or frame["_sheet"].isna().all():
        return {}, []
    mapping: dict[tuple[str, str], str] = {}
    notes: list[InputWarning] = []
    for book, rows in frame[frame["_sheet"].notna()].groupby("_book", sort=False):
        found = sheet_regions(rows, mode, own)
        if found:
            mapping |= {(str(book), sheet): region for sheet, region in found.items()}
            notes.append(announce(str(book), found.values(), own))
    return mapping, notes


def apply_sheet_regions(frame: pd.DataFrame, mapping: dict[tuple[str, str], str]) -> None:
    """Set, in place, the region of rows on sheets read as areas to the sheet's area."""
    if not mapping or frame.empty:
        return
    keys = pd.Series(list(zip(frame["_book"], frame["_sheet"], strict=True)), index=frame.index)
    on = keys.isin(list(mapping)) & frame["region"].isna()
    frame.loc[on, "region"] = keys[on].map(mapping)


def announce(book: str, names: Iterable[str], own: str = "") -> InputWarning:
    """The one line saying that a workbook's sheets were read as areas (and its total)."""
    names = list(names)
    parts = [n for n in names if not is_total(n, own)]
    totals = [n for n in names if is_total(n, own)]
    params: dict[str, object] = {"n": len(parts), "areas": parts}
    if totals:
        return InputWarning("areas_from_sheets_total", params | {"total": totals[0]}, book)
    return InputWarning("areas_from_sheets", params, book)
