"""A plan of many areas through the command line (issue #18 item 4): wall time and peak
memory of `planlib evaluate`, `planlib figures` and `planlib report` on a synthetic plan
of a total and N areas × 3 indicators, and the size of what they write.

Run: ``nice -n 10 .venv/bin/python benchmarks/areas.py [--areas 5000] [--timeout 300]``.
Aims: each command under 60 s and 2 GB at 5,000 areas, the report folder under 5 MB.
Each command runs in its own process (benchmarks/many_indicators.py's child), which
reports its own peak resident memory when it ends; one past ``--timeout`` is stopped and
said so.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from many_indicators import RESULTS, load, size_mb, timed, write_result  # noqa: E402

YEARS = range(2016, 2023)
#: Every how many areas one has its own target for the count.
TARGET_EVERY = 5


def area_name(i: int) -> str:
    """An area's name, like a 街道's: 第0001街道."""
    return f"第{i:04d}街道"


def write_plan(folder: Path, n: int) -> Path:
    """plan.yaml (a rate, a count with targets for every fifth area, a flow) and its long
    CSV: the total (全市) and ``n`` areas, the count and flow areas adding up to it."""
    targets = ", ".join(f"{area_name(i)}: {130 + i % 40}"
                        for i in range(0, n, TARGET_EVERY))
    plan = f"""plan: {{id: areas_bench, title_zh: 分区测试规划, title_en: Areas benchmark,
       baseline_year: 2020, target_year: 2025, as_of: 2023, area: 测试市}}
data: ["data.csv"]
indicators:
  - id: coverage
    name_zh: 普惠性幼儿园覆盖率
    name_en: Coverage of public-benefit kindergartens
    unit: "%"
    bounds: [0, 100]
    direction: increase
    target: {{kind: level_at_least, value: 85}}
  - id: enrolment
    name_zh: 在园幼儿数
    name_en: Children enrolled in kindergartens
    unit: 人
    bounds: [0, null]
    direction: increase
    target: {{kind: level_at_least, value: {140 * n}}}
    targets_by_region: {{{targets}}}
  - id: places_added
    name_zh: 新增托位数
    name_en: New childcare places
    unit: 个
    bounds: [0, null]
    direction: increase
    measure: flow
    target: {{kind: cumulative_increase, value: {60 * n}}}
"""
    rows = ["indicator_id,region,year,value"]
    totals: dict[tuple[str, int], float] = {}
    for i in range(n):
        region = area_name(i)
        for k, y in enumerate(YEARS):
            t = y - YEARS[0]
            rate = min(99.0, 60 + i % 23 + t * (1 + (i % 7) / 3) + (k * i) % 3 * 0.4)
            count = 100 + i % 50 + t * (2 + i % 5) + (k * i) % 4
            flow = 8 + i % 9 + (k + i) % 5
            for ind, value in (("coverage", rate), ("enrolment", count),
                               ("places_added", flow)):
                rows.append(f"{ind},{region},{y},{value:.1f}")
                totals[ind, y] = totals.get((ind, y), 0.0) + value
    for (ind, y), value in sorted(totals.items()):
        value = value / n if ind == "coverage" else value
        rows.append(f"{ind},全市,{y},{value:.1f}")
    (folder / "plan.yaml").write_text(plan, encoding="utf-8")
    (folder / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder / "plan.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=5000, help="number of areas")
    parser.add_argument("--lang", default="zh", help="zh or en")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds after which a command is stopped")
    parser.add_argument("--out", default=str(RESULTS / "areas.md"),
                        help="where the results are written ('' for nowhere)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plan").mkdir()
        plan = write_plan(root / "plan", args.areas)
        out = root / "out"
        lines = [f"{args.areas} areas x 3 indicators, lang {args.lang}, load average {load()}"]
        print(lines[0])
        steps = {
            "evaluate": ["evaluate", "--plan", str(plan), "--out", str(out / "processed")],
            "figures": ["figures", "--plan", str(plan), "--lang", args.lang,
                        "--format", "png", "--out", str(out / "figures")],
            "report": ["report", "--plan", str(plan), "--lang", args.lang,
                       "--format", "md,html,docx", "--out", str(out / "report")],
        }
        for name, cmd in steps.items():
            used = timed(cmd, args.timeout)
            folder = out / ("processed" if name == "evaluate" else name)
            written = size_mb(folder) if folder.exists() else 0.0
            lines.append(f"  {name:<9} stopped after {args.timeout:.0f} s (over --timeout)"
                         if used is None else used.line(name, written))
            print(lines[-1])
    if args.out:
        write_result(Path(args.out), "Many areas: evaluate, figures, report",
                     f"benchmarks/areas.py --areas {args.areas} --lang {args.lang}", lines)


if __name__ == "__main__":
    main()
