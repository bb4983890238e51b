"""Whether a header describes a long or a wide table, and which columns hold what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from planlib.inputs.numbers import year_labels
from planlib.inputs.reading.fields import fields_of
from planlib.inputs.reading.grid import Cell


@dataclass(frozen=True)
class Layout:
    """Which columns hold what: a field -> column indices map and the year columns."""

    kind: Literal["long", "wide"]
    fields: dict[str, list[int]]
    years: list[tuple[int, int]]  # (column index, year) for wide layout


def classify(labels: Sequence[str], cells: Sequence[Cell]) -> Layout | None:
    """Long if indicator, year and value columns exist; wide if indicator and year columns."""
    fields: dict[str, list[int]] = {}
    years: list[tuple[int, int]] = []
    for index, (field, year) in enumerate(zip(fields_of(labels), year_labels(cells), strict=True)):
        if year is not None:
            years.append((index, year))
        elif field is not None:
            fields.setdefault(field, []).append(index)
    if "indicator_id" not in fields:
        return None
    if "year" in fields and "value" in fields:
        return Layout("long", fields, [])
    if years:
        return Layout("wide", fields, years)
    return None
