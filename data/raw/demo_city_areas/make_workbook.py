"""Write areas.xlsx: the ILLUSTRATIVE sheet-per-area workbook of the demo_city_areas plan.

Run from this folder: python make_workbook.py. Every number is made up; the areas' counts
and flows add up to the 全市 sheet, the rate of 全市 is enrolment-weighted.
"""

from __future__ import annotations

from openpyxl import Workbook

YEARS = [2020, 2021, 2022]
#: area -> (普惠性幼儿园覆盖率 %, 新增托位数 个, 在园幼儿数 人) by year, and targets
#: (2025年 coverage, places to add 2021–2025).
AREAS = {
    "城关街道": ([86.2, 87.5, 88.9], [820, 910, 1040], [6120, 6050, 5930], (90, 4500)),
    "东城街道": ([78.4, 80.1, 81.0], [640, 700, 760], [4480, 4520, 4390], (88, 3800)),
    "西城街道": ([74.9, 77.2, 79.6], [510, 590, 620], [3950, 3880, 3820], (85, 3200)),
    "南湖镇": ([69.5, 71.8, 72.4], [300, 340, 310], [2268, 2210, 2150], (85, 2000)),
}
NAMES = (("普惠性幼儿园覆盖率", "%"), ("新增托位数", "个"), ("在园幼儿数", "人"))


def _total() -> tuple[list[float], list[int], list[int]]:
    kids = [sum(a[2][i] for a in AREAS.values()) for i in range(3)]
    rate = [round(sum(a[0][i] * a[2][i] for a in AREAS.values()) / kids[i], 1)
            for i in range(3)]
    places = [sum(a[1][i] for a in AREAS.values()) for i in range(3)]
    return rate, places, kids


def main() -> None:
    wb = Workbook()
    wb.remove(wb.active)
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "示意数据：各街道（镇）按同一格式填报，全市表为合计。所有数字均为虚构。"
    sheets = {"全市": (*_total(), None), **AREAS}
    for name, (rate, places, kids, goals) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([f"{name}学前教育主要指标（示意数据）"])
        ws.append(["指标", "单位", *[f"{y}年" for y in YEARS], "2025年目标"])
        for (label, unit), series, goal in zip(
                NAMES, (rate, places, kids), (*(goals or (None, None)), None), strict=True):
            ws.append([label, unit, *series, goal])
    wb.save("areas.xlsx")


if __name__ == "__main__":
    main()
