"""Problems found in user input, and the exception that carries all of them at once.

Every check reports *all* problems it finds (never only the first), each naming the
file, the row as the user sees it in Excel (1-based, header row counted), the column,
the offending value and what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located precisely enough to fix by hand."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.message}{value}. Fix: {self.fix}"


class InputError(Exception):
    """Bad user input: carries every problem found so the user can fix them in one pass."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(
            problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message)
        )
        super().__init__(self.report())

    def report(self, limit: int = 200) -> str:
        """The problems, one per line, with a count header; beyond ``limit`` lines a
        summary (a file with 100,000 bad cells should not flood the terminal)."""
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        lines = [head, *(f"  - {p}" for p in self.problems[:limit])]
        if n > limit:
            lines.append(f"  ... and {n - limit} more (the first {limit} are shown; "
                         "fix these and run again)")
        return "\n".join(lines)
