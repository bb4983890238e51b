"""How fast is a long CSV file of many series read? The careful path vs the fast path.

The panel of ``scale.py`` (half rate, half count series, 8-10 years, a quarter with gaps;
100,000 series are ~870,000 rows) is written as a plain long CSV file (indicator_id,
region, year, value, flag) and read by ``reading.read_carefully`` (cell by cell, every
layout) and by ``reading.read_file`` (which takes the columnar fast path,
``reading.plain_csv``, for such a file); the two frames are checked equal. Wall-clock
seconds of one read each, and the load average, since the machine may be shared.

    .venv/bin/python benchmarks/reading.py            # options: --series 100000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import synthetic_panel  # noqa: E402

from planlib.inputs.reading.plain_csv import plain_long_csv  # noqa: E402
from planlib.inputs.reading.table import read_carefully, read_file  # noqa: E402


def timed(read, path: Path) -> tuple[float, pd.DataFrame]:
    """Seconds one read takes, and the frame it gives."""
    start = time.perf_counter()
    frame = read(path).frame
    return time.perf_counter() - start, frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.csv"
        synthetic_panel(args.series).to_csv(path, index=False)
        rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
        megabytes = path.stat().st_size / 1e6
        assert plain_long_csv(path, path.name) is not None, "the fast path refused the file"
        fast, fast_frame = timed(lambda p: read_file(p, display_name=p.name), path)
        careful, careful_frame = timed(lambda p: read_carefully(p, p.name), path)
    pd.testing.assert_frame_equal(fast_frame, careful_frame)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.series:,} series, {rows:,} rows, {megabytes:.1f} MB, "
          f"{os.cpu_count()} cores, load average {load}")
    print(f"careful path (read_carefully): {careful:6.1f} s")
    print(f"fast path (read_file):         {fast:6.1f} s   ({careful / fast:.0f}x); "
          "frames identical")


if __name__ == "__main__":
    main()
