"""Excel's escapes for characters in cell text (``_x000D_``), decoded as Excel shows them.

OOXML stores a character that XML cannot hold, and often a carriage return, as
``_xHHHH_`` (ST_Xstring, ECMA-376 Part 1, 22.9.2.19), and a literal ``_x`` that would
read as one as ``_x005F_xHHHH_``. openpyxl leaves these in the text, so without decoding
"东城_x000D_" would reach the report as it is, and a form feed written ``_x000C_`` would
slip past the refusal of characters XML cannot hold.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode(text: str) -> str:
    """``text`` with each ``_xHHHH_`` replaced by its character (one left-to-right pass,
    so ``_x005F_x000C_`` stays the literal ``_x000C_``)."""
    if "_x" not in text:
        return text  # the common case: no regular expression run
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
