"""Workbooks kept the way a district office keeps its areas, for the area tests."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

PLAN_YAML = """plan: {{id: t, title_zh: 测试区规划, baseline_year: 2020, target_year: 2025,
       as_of: 2023{area}}}
data: ["*.xlsx", "*.csv"]
{extra}indicators:
  - {{id: rate, name_zh: 普惠率, unit: "%", direction: increase, bounds: [0, 100],
     target: {{kind: level_at_least, value: 85}}}}
  - {{id: places, name_zh: 新增托位数, unit: 个, direction: increase, measure: flow,
     bounds: [0, null], target: {{kind: cumulative_increase, value: 3000}}}}
  - {{id: children, name_zh: 在园幼儿数, unit: 人, direction: increase,
     target: {{kind: level_at_least, value: 9000}}}}
"""

#: Area -> (rate by year, places by year, children by year), 2020–2022.
AREAS: dict[str, tuple[list[float], list[float], list[float]]] = {
    "城关街道": ([80.1, 82.0, 84.2], [200, 260, 300], [3000, 3100, 3150]),
    "东城街道": ([76.5, 78.0, 79.9], [150, 170, 220], [2268, 2300, 2350]),
    "西城镇": ([70.2, 73.1, 75.0], [100, 120, 130], [1800, 1850, 1900]),
}
YEARS = [2020, 2021, 2022]


def totals() -> tuple[list[float], list[float], list[float]]:
    """The total sheet: the rate as given (not a sum), counts and flows summed."""
    rate = [78.0, 80.0, 82.0]
    places = [sum(a[1][i] for a in AREAS.values()) for i in range(3)]
    children = [sum(a[2][i] for a in AREAS.values()) for i in range(3)]
    return rate, places, children


def _sheet(wb: Workbook, title: str, series: tuple[list[float], list[float], list[float]],
           targets: tuple[float | None, float | None, float | None] | None = None) -> None:
    ws = wb.create_sheet(title)
    ws.append([f"{title}学前教育主要指标"])
    head = ["指标", "单位", *[f"{y}年" for y in YEARS]]
    ws.append(head + (["2025年目标"] if targets else []))
    for i, (name, unit) in enumerate((("普惠率", "%"), ("新增托位数", "个"),
                                      ("在园幼儿数", "人"))):
        row = [name, unit, *series[i]]
        ws.append(row + ([targets[i]] if targets else []))


def area_book(path: Path, *, total: str | None = "全区", area_targets: bool = False,
              areas: dict | None = None, total_series: tuple | None = None) -> Path:
    """A workbook: a total sheet (unless None) and one sheet per area, same layout."""
    wb = Workbook()
    wb.remove(wb.active)
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "各街道（镇）按同一格式填报。"
    if total:
        _sheet(wb, total, total_series or totals())
    for i, (name, series) in enumerate((areas or AREAS).items()):
        goals = (85.0, 1000.0 + 100 * i, None) if area_targets else None
        _sheet(wb, name, series, goals)
    wb.save(path)
    return path


def rows_book(path: Path, total_row: str = "合计") -> Path:
    """One sheet per indicator (sheet name = indicator), areas down, years across."""
    wb = Workbook()
    wb.remove(wb.active)
    for k, name in enumerate(("普惠率", "新增托位数", "在园幼儿数")):
        ws = wb.create_sheet(name)
        ws.append(["地区", *[f"{y}年" for y in YEARS]])
        for area, series in AREAS.items():
            ws.append([area, *series[k]])
        ws.append([total_row, *totals()[k]])
    wb.save(path)
    return path


def write_plan(folder: Path, *, area: str = "", extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = PLAN_YAML.format(area=f", area: {area}" if area else "", extra=extra)
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return folder / "plan.yaml"
