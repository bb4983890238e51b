"""A plan of many indicators through the command line (issue #16 item 5): wall time and peak
memory of `planlib evaluate`, `planlib figures` and `planlib report` on a synthetic plan,
and the size of what they write.

Run: ``.venv/bin/python benchmarks/many_indicators.py [--n 200] [--lang zh]``.
Aims: figures and report each under 60 s and 1 GB at 200 indicators. Each command runs in
its own process, which reports its own peak resident memory when it ends.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YEARS = range(2015, 2023)


def write_plan(folder: Path, n: int) -> Path:
    """A plan of ``n`` rate indicators with a level target each, and its long CSV."""
    lines = ["plan: {id: many, title_zh: 多指标测试规划, title_en: Many indicators,",
             "       baseline_year: 2020, target_year: 2025, as_of: 2023}",
             'data: ["data.csv"]', "indicators:"]
    rows = ["indicator_id,year,value"]
    for i in range(n):
        lines += [f"  - id: r{i:03d}", f"    name_zh: 测试指标{i:03d}达标率",
                  f"    name_en: Test indicator {i:03d}", '    unit: "%"',
                  "    bounds: [0, 100]", "    direction: increase",
                  f"    target: {{kind: level_at_least, value: {60 + i % 30}}}"]
        rows += [f"r{i:03d},{y},{40 + (i % 17) + (y - 2015) * (0.4 + (i % 9) / 4):.1f}"
                 for y in YEARS]
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder / "plan.yaml"


#: Runs one planlib command, then prints its own peak resident memory (KB) as a last line.
CHILD = ("import resource, sys\n"
         "from planlib.cli import run\n"
         "code = run(sys.argv[1:])\n"
         "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
         "sys.exit(code)\n")


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one planlib command, in its own
    process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"planlib {' '.join(args)} failed:\n{done.stderr}")
    last = [ln for ln in done.stderr.splitlines() if ln.startswith("MAXRSS ")][-1]
    return wall, int(last.split()[1]) / 1024


def size_mb(folder: Path) -> float:
    """Total size of the files under ``folder`` in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of indicators")
    parser.add_argument("--lang", default="zh", help="zh or en")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plan").mkdir()
        plan = write_plan(root / "plan", args.n)
        out = root / "out"
        print(f"{args.n} indicators, lang {args.lang}")
        steps = {
            "evaluate": ["evaluate", "--plan", str(plan), "--out", str(out / "processed")],
            "figures": ["figures", "--plan", str(plan), "--lang", args.lang,
                        "--out", str(out / "figures")],
            "report": ["report", "--plan", str(plan), "--lang", args.lang,
                       "--out", str(out / "report")],
        }
        for name, cmd in steps.items():
            wall, peak = timed(cmd)
            folder = out / name if name != "evaluate" else out / "processed"
            print(f"  {name:<9} {wall:6.1f} s wall, peak memory {peak:6.0f} MB, "
                  f"{size_mb(folder):6.1f} MB written")


if __name__ == "__main__":
    main()
