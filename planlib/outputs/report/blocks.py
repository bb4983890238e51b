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
    """A paragraph of running text; ``key`` names the indicator (id, region) it is about;
    ``lead``: its first sentence is a run-in heading (set in bold)."""

    text: str
    key: tuple[str, str] | None = None
    lead: bool = False

    def split_lead(self) -> tuple[str, str]:
        """(run-in heading, rest) when ``lead``, else ("", text)."""
        if not self.lead:
            return "", self.text
        for stop in ("。", ". "):
            at = self.text.find(stop)
            if at > 0:
                end = at + len(stop)
                return self.text[:end], self.text[end:]
        return (self.text, "") if self.text.endswith(".") else ("", self.text)


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
