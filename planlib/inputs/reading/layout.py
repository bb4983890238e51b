"""Whether a header describes a long or a wide table, and which columns hold what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from planlib.inputs.reading.fields import IDENTITY_FIELDS, fields_of
from planlib.inputs.reading.grid import Cell
from planlib.inputs.reading.year_headers import YearHeader, year_headers


@dataclass(frozen=True)
class Layout:
    """Which columns hold what: a field -> column indices map and the year columns."""

    kind: Literal["long", "wide", "targets"]
    fields: dict[str, list[int]]
    years: list[tuple[int, int]]  # (column index, year) for wide layout
    #: Column index -> how its year header was read, for headers that are not plain years
    #: ("2022年（初步）": a flag and a note; "2025年目标": skipped; "2021-22": an error).
    year_notes: dict[int, YearHeader] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        """The field naming each row's indicator: its id, or else its name (the area, in
        a table of areas as rows, whose sheet names the indicator)."""
        return next((f for f in IDENTITY_FIELDS if f in self.fields), "region")

    @property
    def by_area(self) -> bool:
        """A table of one indicator with areas as rows (地区 | 2021年 …): the sheet or the
        title above the table names the indicator."""
        return not any(f in self.fields for f in IDENTITY_FIELDS)


def classify(labels: Sequence[str], cells: Sequence[Cell]) -> Layout | None:
    """Long if indicator, year and value columns exist; wide if indicator and year columns.

    The indicator is named by an id column or, failing that, a name column (指标); a
    region column with year columns is one indicator's table with areas as rows.
    """
    fields: dict[str, list[int]] = {}
    years: list[tuple[int, int]] = []
    notes: dict[int, YearHeader] = {}
    for index, (name, head) in enumerate(zip(fields_of(labels), year_headers(cells),
                                             strict=True)):
        if head is not None:
            if head.year is not None:
                years.append((index, head.year))
            if head.year is None or head.note or head.flag:
                notes[index] = head
        elif name is not None:
            fields.setdefault(name, []).append(index)
    if not any(f in fields for f in IDENTITY_FIELDS):
        by_area = "region" in fields and "year" not in fields
        return Layout("wide", fields, years, notes) if by_area and years else None
    if "year" in fields and "value" in fields:
        return Layout("long", fields, [])
    if "target" in fields and "region" in fields and not years and "value" not in fields:
        return Layout("targets", fields, [])  # area | 指标 | 目标: a table of area targets
    if years or any(head.error for head in notes.values()):  # errors: to be reported
        return Layout("wide", fields, years, notes)
    return None
