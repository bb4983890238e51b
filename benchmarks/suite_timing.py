"""How long the notebook suite takes: `planlib run` on shipped plans into a temporary
folder, timed per step (evaluate, then each notebook including its HTML export).

    .venv/bin/python benchmarks/suite_timing.py [--plan cn_education_14th --plan demo_city]

Prints one Markdown table (seconds per step and plan). Timings depend on the machine and
its load; kernel start-up and importing planlib in each kernel are part of every notebook.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from planlib.suite import NOTEBOOKS, run_suite


def time_plan(plan: str, lang: str) -> dict[str, float]:
    """Seconds per step of one `planlib run` of ``plan``, plus the wall time."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = run_suite(plan, lang=lang, out=Path(tmp) / "run", say=lambda *a, **k: None)
        wall = time.perf_counter() - t0
    if result.failure is not None:
        raise SystemExit(result.failure.message())
    return {**{s.name: s.seconds for s in result.steps}, "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", action="append", default=None,
                        help="plan to time (repeatable; default: cn_education_14th, demo_city)")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    args = parser.parse_args()
    plans = args.plan or ["cn_education_14th", "demo_city"]
    times = {plan: time_plan(plan, args.lang) for plan in plans}
    print("| step | " + " | ".join(plans) + " |")
    print("|---|" + "---:|" * len(plans))
    for step in ("evaluate", *NOTEBOOKS, "wall"):
        print(f"| {step} | " + " | ".join(f"{times[p].get(step, float('nan')):.1f}"
                                          for p in plans) + " |")


if __name__ == "__main__":
    main()
