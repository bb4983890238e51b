"""What the user should know about their data that does not stop the run, as codes.

A warning is a code, its parameters and the place it is about (file, row, column and the
cell's text), like the core's ``Note``: nothing downstream reads its words, and the words
come, in Chinese or English, from one template table (``WARNING_TEXTS``). Identical
warnings from several places (one per area sheet, one per row) are said once, with the
count and the places (``warning_lines``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planlib.constants import check_lang

#: Items of a list parameter, and places of a grouped warning, shown before "and N more".
LISTED = 10

#: Warning texts by code: format strings over the warning's parameters, in both languages.
WARNING_TEXTS: dict[str, dict[str, str]] = {
    # how a workbook was read
    "sheet_hidden": {
        "zh": "工作表为隐藏状态（{state}），未读取；如其中有要用的数据，请在Excel中取消隐藏",
        "en": "the sheet is hidden ({state}), so it was not read; unhide it in Excel if it "
              "holds data to use",
    },
    "rows_hidden": {
        "zh": "隐藏行{rows}未读取；如其中有要用的数据，请在Excel中取消隐藏",
        "en": "hidden row(s) {rows} not read; unhide them in Excel if they hold data to use",
    },
    "columns_hidden": {
        "zh": "隐藏列{columns}未读取；如其中有要用的数据，请在Excel中取消隐藏",
        "en": "hidden column(s) {columns} not read; unhide them in Excel if they hold data "
              "to use",
    },
    "sheet_skipped": {
        "zh": "该工作表没有可识别的数据表，已跳过；如应含数据，请像其他工作表一样加表头行",
        "en": "skipped, it holds no data table; if it should, give it a header row as the "
              "other sheets have",
    },
    "note_row": {
        "zh": "作为注释保留，不作数据读取：{text}",
        "en": "kept as a note, not data: {text}",
    },
    # areas (one sheet per area, the total apart)
    "areas_from_sheets": {
        "zh": "每个工作表读作一个地区（地区名即工作表名）：{n}个地区（{areas}）；"
              "如不是地区，请在plan.yaml中写 region_from: column",
        "en": "each sheet read as one area (the sheet name is the region): {n} areas "
              "({areas}); if they are not areas, write region_from: column in plan.yaml",
    },
    "areas_from_sheets_total": {
        "zh": "每个工作表读作一个地区（地区名即工作表名）：{n}个地区（{areas}），"
              "“{total}”表为合计，不计为地区；如不是地区，请在plan.yaml中写 region_from: column",
        "en": "each sheet read as one area (the sheet name is the region): {n} areas "
              "({areas}); the sheet '{total}' is the total, not counted as an area; if they "
              "are not areas, write region_from: column in plan.yaml",
    },
    "parts_do_not_add_up": {
        "zh": "{series} {year}年：{n}个地区之和{sum}与合计{total}相差{diff}（超过合计的"
              "{tolerance}）；请核对各地区和合计的数值",
        "en": "{series} {year}: the sum of the {n} areas, {sum}, differs from the total "
              "{total} by {diff} (more than {tolerance} of the total); check the areas' and "
              "the total's values",
    },
    "target_not_read": {
        "zh": "目标值不是数字，未读取；如是分区目标，请写成数字（如85）",
        "en": "the target is not a number and was not read; write an area's target as a "
              "number (such as 85)",
    },
    "total_target_differs": {
        "zh": "{id}：合计的目标{value}与plan.yaml中的目标{plan}不同，采用plan.yaml中的目标",
        "en": "{id}: the total's target {value} differs from the target {plan} in plan.yaml; "
              "plan.yaml's is used",
    },
    # year headers
    "year_column_read": {
        "zh": "列标题读作{year}年{flag}",
        "en": "column header read as the year {year}{flag}",
    },
    "column_target": {
        "zh": "该列为目标值，不是某年的观测值：读作各行（地区）的目标",
        "en": "a target, not a year's observed value: read as each row's (area's) target",
    },
    "column_derived": {
        "zh": "该列为推算值（如增速），不是某年的观测值；已跳过",
        "en": "a derived figure, not a year's observed value; column skipped",
    },
    "column_no_year": {
        "zh": "列标题不以年份开头，不作年份列读取；已跳过",
        "en": "the header does not start with a year, so it is not read as a year column; "
              "column skipped",
    },
    # values and names
    "footnote_dropped": {
        "zh": "去掉数值后的注释符号{marks}后读取",
        "en": "footnote mark(s) {marks} dropped from the value",
    },
    "unit_converted": {
        "zh": "{series}：单位{unit}换算为规划单位{want}（×{factor}）",
        "en": "{series}: values in {unit} converted to the plan's unit {want} (×{factor})",
    },
    "name_unmatched": {
        "zh": "行名“{name}”与规划中的指标（名称、代码、系列或别名）都不对应，未读取",
        "en": "the row name '{name}' matches no indicator of the plan (by name_zh, id, "
              "series or aliases) and was not read",
    },
    "name_unmatched_close": {
        "zh": "行名“{name}”与规划中的指标都不对应，未读取（是否指{close}？）",
        "en": "the row name '{name}' matches no indicator of the plan (by name_zh, id, "
              "series or aliases) and was not read (did you mean {close}?)",
    },
    "series_not_in_plan": {
        "zh": "{n}个规划外的系列作为参考保留，不参与评估：{series}",
        "en": "{n} series not in the plan are kept for reference but not evaluated: {series}",
    },
    "no_observations": {
        "zh": "以下规划指标没有观测数据：{series}",
        "en": "no observations for plan indicator(s): {series}",
    },
    "value_replaced": {
        "zh": "{key}：{old}被后读文件的{new}替换（{new_file}，第{new_row}行）",
        "en": "{key}: {old} replaced by {new} from a later file ({new_file} row {new_row})",
    },
    # files a data glob matched
    "not_a_regular_file": {
        "zh": "匹配到的是{kind}而不是普通文件，未读取；如需读取，请把数据另存为普通文件",
        "en": "matched by a data glob but it is a {kind}, not a regular file, so it was not "
              "read; save the data as a regular file if it should be read",
    },
}

#: How a console line introduces a warning.
WARNING_PREFIX: dict[str, str] = {"zh": "提示：", "en": "warning: "}

#: Words for parameters that are codes (a kind of file); other parameters are user text.
PARAM_WORDS: dict[str, dict[str, str]] = {
    "fifo": {"zh": "命名管道（FIFO）", "en": "named pipe (FIFO)"},
    "device": {"zh": "设备文件", "en": "device"},
    "socket": {"zh": "套接字", "en": "socket"},
    "other": {"zh": "特殊文件", "en": "special file"},
    "folder": {"zh": "文件夹", "en": "folder"},
    "provisional": {"zh": "（初步数）", "en": " (provisional)"},
    "": {"zh": "", "en": ""},
}
_CODE_PARAMS = frozenset({"kind", "flag"})  # parameters whose values are PARAM_WORDS codes


@dataclass(frozen=True)
class InputWarning:
    """One warning: a code and its parameters, and the place (file, row, column, cell)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        if self.code not in WARNING_TEXTS:
            raise KeyError(f"unknown warning code {self.code!r}")

    def text(self, lang: str = "en") -> str:
        """What is wrong in ``lang``, without the place."""
        params = {k: _param(k, v, lang) for k, v in self.params.items()}
        return WARNING_TEXTS[self.code][check_lang(lang)].format(**params)

    def place(self, lang: str = "en") -> str:
        """Where, as a problem names it: "data.csv, row 3, column '2022年' ('53.9①')"."""
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"第{self.row}行" if lang == "zh" else f"row {self.row}")
        if self.column is not None:
            parts.append(f"“{self.column}”列" if lang == "zh" else f"column '{self.column}'")
        where = ("，" if lang == "zh" else ", ").join(parts)
        if self.value is not None:
            where += f"（{self.value!r}）" if lang == "zh" else f" ({self.value!r})"
        return where

    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What makes two warnings the same but for their place."""
        return self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))


def _param(name: str, value: Any, lang: str) -> str:
    """A parameter as text: codes in words, lists joined (the first LISTED of them)."""
    if name in _CODE_PARAMS:
        return PARAM_WORDS[str(value)][lang]
    if isinstance(value, list | tuple):
        return _listed([str(v) for v in value], lang)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _listed(items: Sequence[str], lang: str, sep: str | None = None) -> str:
    """Items joined; beyond LISTED, how many more."""
    sep = sep or ("、" if lang == "zh" else ", ")
    shown = sep.join(items[:LISTED])
    extra = len(items) - LISTED
    if extra <= 0:
        return shown
    return f"{shown}等{len(items)}项" if lang == "zh" else f"{shown}, and {extra} more"


def grouped(warnings: Iterable[InputWarning]) -> list[list[InputWarning]]:
    """Warnings that differ only by place, together, in the order first met."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[InputWarning]] = {}
    for w in warnings:
        groups.setdefault(w.key(), []).append(w)
    return list(groups.values())


def group_line(same: Sequence[InputWarning], lang: str = "en") -> str:
    """One line for warnings that differ only by place: the text, then the places (with
    their count when there are several)."""
    places = list(dict.fromkeys(p for p in (w.place(lang) for w in same) if p))
    text = same[0].text(lang)
    if not places:
        return text
    if len(places) == 1:
        return f"{places[0]}：{text}" if lang == "zh" else f"{places[0]}: {text}"
    if lang == "zh":
        return f"{text}（共{len(places)}处：{_listed(places, lang, '；')}）"
    return f"{text} ({len(places)} places: {_listed(places, lang, '; ')})"


def warning_lines(warnings: Iterable[InputWarning], lang: str = "en") -> list[str]:
    """One line per distinct warning, in the order first met; a warning met at several
    places is said once with the count and the places (ten area sheets, one line)."""
    check_lang(lang)
    return [group_line(same, lang) for same in grouped(warnings)]


def with_codes(warnings: Iterable[InputWarning], codes: Iterable[str]) -> list[InputWarning]:
    """The warnings of the given codes (how other modules pick warnings: never by text)."""
    wanted = set(codes)
    return [w for w in warnings if w.code in wanted]
