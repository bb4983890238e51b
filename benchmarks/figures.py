"""How long drawing a plan's figures takes: build, and each of PNG (300 dpi), SVG and PDF.

Evaluation time is excluded (it is the evaluate step's). CPU seconds (process time) are
reported beside wall seconds, because on a shared machine wall time measures the others.

Run: ``.venv/bin/python benchmarks/figures.py [--plan ID ...] [--lang zh en]``.
``PLANLIB_FONT=shipped`` measures the shipped font even where a system CJK font exists.
"""

from __future__ import annotations

import argparse
import time
import warnings

import planlib
from planlib import config
from planlib.outputs.figures import charts, style


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def bench_plan(plan_id: str, lang: str) -> dict[str, tuple[float, float]]:
    """Seconds (wall, cpu) to build every figure of a plan and to encode each format."""
    plan = planlib.load_plan(plan_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = planlib.evaluate(plan, planlib.load_observations(plan))
    start = _clock()
    built = list(charts.figure_set(ev, lang))
    times = {"build": _since(start)}
    for fmt in style.FORMATS:
        start = _clock()
        for _, fig in built:
            style.figure_bytes(fig, fmt)
        times[fmt] = _since(start)
    times["n_figures"] = (len(built), len(built))
    return times


def main() -> None:
    """Print a table of render times per plan and language."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", nargs="*", default=config.shipped_plan_ids())
    parser.add_argument("--lang", nargs="*", default=["zh"])
    args = parser.parse_args()
    print(f"font: {style.resolve_cjk_family()}")
    print(f"{'plan':<20} {'lang':<4} {'figs':>4} {'build':>6} {'png':>6} {'svg':>6} {'pdf':>6}"
          f" {'total':>6}  (CPU seconds; wall in brackets)")
    for plan_id in args.plan:
        for lang in args.lang:
            t = bench_plan(plan_id, lang)
            parts = [t[k][1] for k in ("build", *style.FORMATS)]
            wall = sum(t[k][0] for k in ("build", *style.FORMATS))
            print(f"{plan_id:<20} {lang:<4} {t['n_figures'][0]:>4} "
                  + " ".join(f"{p:6.2f}" for p in parts)
                  + f" {sum(parts):6.2f}  ({wall:.1f})")


if __name__ == "__main__":
    main()
