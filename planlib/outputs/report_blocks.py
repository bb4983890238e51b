"""The forecast section as a list of blocks (headings, paragraphs, tables, figures), so
one draft renders the same way to Markdown, HTML and Word."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is the section title."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text; ``key`` names the indicator (id, region) it is about."""

    text: str
    key: tuple[str, str] | None = None


@dataclass(frozen=True)
class Bullets:
    """A list of items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A numbered table: caption (with its number), header, rows of printed cells, a note."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    numeric: tuple[bool, ...] = field(default=())


@dataclass(frozen=True)
class Figure:
    """A numbered figure: caption (with its number) and the stem of its PNG file."""

    caption: str
    stem: str


Block = Heading | Paragraph | Bullets | Table | Figure
