"""The forecast section as Markdown (GitHub tables; figures linked as relative paths)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planlib.outputs.report.blocks import Bullets, Figure, Heading, Paragraph, Table

if TYPE_CHECKING:
    from planlib.outputs.report.section import Section

FIGURE_DIR = "figures"


def _cell(text: str) -> str:
    """A table cell: pipes escaped, line breaks flattened."""
    text = text.replace("|", "\\|").replace("\n（", "（")
    return text.replace("\n", " ")


def table_markdown(table: Table) -> list[str]:
    """A table with its caption above and its note below."""
    align = ["---:" if num else "---" for num in table.numeric] or ["---"] * len(table.columns)
    lines = [f"**{table.caption}**", "",
             "| " + " | ".join(_cell(c) for c in table.columns) + " |",
             "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", table.note]
    return lines


def to_markdown(section: Section) -> str:
    """The section as Markdown; figures link to figures/<stem>.png beside the file."""
    out: list[str] = []
    for block in section.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            lead, rest = block.split_lead()
            out += [f"**{lead.strip()}** {rest}" if lead else rest, ""]
        elif isinstance(block, Bullets):
            out += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, Table):
            out += table_markdown(block) + [""]
        elif isinstance(block, Figure):
            out += [f"![{block.caption}]({FIGURE_DIR}/{block.stem}.png)", "",
                    f"*{block.caption}*", ""]
    return "\n".join(out).rstrip("\n") + "\n"
