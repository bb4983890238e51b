"""The forecast section as Markdown (GitHub tables; figures linked as relative paths).
Every text is escaped (`markdown_text`): names from plan and data files show as written,
never as markup, raw HTML or a remote image."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planlib.outputs.files.safe_text import markdown_text as md
from planlib.outputs.report.blocks import Bullets, Figure, Heading, Paragraph, Table

if TYPE_CHECKING:
    from planlib.outputs.report.section import Section

FIGURE_DIR = "figures"


def _cell(text: str) -> str:
    """A table cell: escaped (pipes too), line breaks flattened."""
    return md(text.replace("\n（", "（"))


def table_markdown(table: Table) -> list[str]:
    """A table with its caption above and its note below."""
    align = ["---:" if num else "---" for num in table.numeric] or ["---"] * len(table.columns)
    lines = [f"**{md(table.caption)}**", "",
             "| " + " | ".join(_cell(c) for c in table.columns) + " |",
             "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", md(table.note, line_start=True)]
    return lines


def to_markdown(section: Section) -> str:
    """The section as Markdown; figures link to figures/<stem>.png beside the file."""
    out: list[str] = []
    for block in section.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + md(block.text), ""]
        elif isinstance(block, Paragraph):
            lead, rest = block.split_lead()
            out += [f"**{md(lead.strip())}** {md(rest)}" if lead
                    else md(rest, line_start=True), ""]
        elif isinstance(block, Bullets):
            out += [f"- {md(item, line_start=True)}" for item in block.items] + [""]
        elif isinstance(block, Table):
            out += table_markdown(block) + [""]
        elif isinstance(block, Figure):
            out += [f"![{md(block.caption)}]({FIGURE_DIR}/{block.stem}.png)", "",
                    f"*{md(block.caption)}*", ""]
    return "\n".join(out).rstrip("\n") + "\n"
