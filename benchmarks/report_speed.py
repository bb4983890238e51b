"""Time to draft one plan's forecast section (issue #10), step by step, per language.

Run: .venv/bin/python benchmarks/report_speed.py [plan_id]  (default cn_education_14th).
Prints seconds for: evaluation, figures, text, HTML (with the font subset), DOCX, XLSX.
"""

from __future__ import annotations

import sys
import time

from planlib.outputs import report
from planlib.outputs.report.tables import table_xlsx_bytes
from planlib.outputs.report.to_docx import to_docx
from planlib.outputs.report.to_html import to_html
from planlib.pipeline import run_plan


def main(plan_id: str) -> None:
    """Print the time of each step for ``plan_id`` in zh and en."""
    start = time.perf_counter()
    ev = run_plan(plan_id, write=False).evaluation
    print(f"{plan_id}: evaluation {time.perf_counter() - start:.1f} s")
    for lang in ("zh", "en"):
        steps: dict[str, float] = {}
        t = time.perf_counter()
        report.build_section(ev, lang, figures=False)
        steps["text"] = time.perf_counter() - t
        t = time.perf_counter()
        section = report.build_section(ev, lang)
        steps["figures"] = time.perf_counter() - t - steps["text"]
        for name, render in (("html", to_html), ("docx", to_docx)):
            t = time.perf_counter()
            render(section)
            steps[name] = time.perf_counter() - t
        t = time.perf_counter()
        table_xlsx_bytes(section.tables["overview"], "t")
        steps["xlsx"] = time.perf_counter() - t
        total = sum(steps.values())
        print(f"  {lang}: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
              + f"; section total {total:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cn_education_14th")
