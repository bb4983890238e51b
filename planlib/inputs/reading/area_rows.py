"""A table of one indicator with areas as rows (地区 | 2020年 | 2021年 …): which indicator.

Offices keep such a table per indicator, one per sheet: the sheet's name names the
indicator ("普惠率"); when the sheet has a default name (Sheet1, 表3) the title above the
table does ("2022年各街道（镇）普惠性幼儿园覆盖率（%）", read without the year and the
"各街道（镇）"), and for a CSV the file's name. The name is then matched to the plan like a
指标 cell (``inputs.indicator_names``).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from planlib.inputs.areas import is_generic_sheet
from planlib.inputs.reading.grid import Grid
from planlib.inputs.reading.header import Header
from planlib.inputs.reading.note_rows import single_text

_TITLE_NOISE = re.compile(
    r"^(?:(?:19|20)\d\d\s*(?:年度|年)?)?\s*(?:全区|全市|全县)?\s*(?:各|分)(?:街道|乡镇|镇|地区|区县|县区|"
    r"县市区|区|县|市)(?:[(（](?:镇|乡镇|街道)[)）])?(?:的)?")
_TITLE_TAIL = re.compile(r"(?:情况|统计表|一览表|汇总表|表)$")


def indicator_named(grid: Grid, header: Header, file: str) -> str:
    """The indicator a table of areas is about: the sheet name, else the title row, else
    the file's name."""
    if grid.sheet and not is_generic_sheet(grid.sheet):
        return grid.sheet.strip()
    for _, cells in grid.rows[: max(header.data_start - 1, 0)]:
        text = single_text(cells)
        if text and not text.startswith(("单位", "填报", "注")):
            return _TITLE_TAIL.sub("", _TITLE_NOISE.sub("", text.strip())).strip() or text
    return PurePath(file).stem
