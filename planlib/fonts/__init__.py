"""The Chinese font planlib ships for machines with none: Noto Sans SC (subset), OFL 1.1.

See LICENSE here for the licence and make_font.py for how the files were made.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent
FAMILY = "Noto Sans SC planlib"
FONT_FILES: tuple[Path, ...] = (
    FONT_DIR / "NotoSansSC-planlib-Regular.ttf",
    FONT_DIR / "NotoSansSC-planlib-Bold.ttf",
)
