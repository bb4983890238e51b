"""The backtest's headline coverage, as the report's methods note quotes it.

Read from ``benchmarks/results/backtest.md`` (written by ``make bench``) when the project
holds it; otherwise the figures below, which are the README's "How honest are the
intervals?" and must be updated with it (the one place they are kept in the package).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planlib import config


@dataclass(frozen=True)
class Coverage:
    """Forecast–outcome pairs of ``auto`` and the share inside its 80 % and 95 % intervals
    (whole per cent, as the backtest prints them)."""

    pairs: int
    cov80: int
    cov95: int
    source: str


#: README "How honest are the intervals?" (backtest of 2026-12-07, 535 pairs).
FALLBACK = Coverage(pairs=535, cov80=71, cov95=88, source="README")
BACKTEST_MD = Path("benchmarks") / "results" / "backtest.md"
_AUTO_ROW = re.compile(
    r"^\|\s*auto\s*\|\s*(?P<n>\d+)\s*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|\s*(?P<c80>\d+)\s*%\s*\|"
    r"\s*(?P<c95>\d+)\s*%\s*\|", re.MULTILINE)


def backtest_coverage(root: Path | None = None) -> Coverage:
    """The coverage of ``auto``'s intervals from the backtest report, else FALLBACK."""
    path = (root or config.ROOT) / BACKTEST_MD
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return FALLBACK
    match = _AUTO_ROW.search(text)
    if match is None:
        return FALLBACK
    return Coverage(int(match["n"]), int(match["c80"]), int(match["c95"]), str(BACKTEST_MD))
