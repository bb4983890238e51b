"""What a notebook shows that is not a table: the report section's Markdown with its
figures inline, since a notebook cannot follow the section's links to figure files that
were never written next to it."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Protocol

#: How the section links a figure (planlib.outputs.report: "figures/<stem>.png").
_FIGURE_LINK = re.compile(r"\]\(figures/(?P<stem>[^)\s]+)\.png\)")


class HasFigures(Protocol):
    """A drafted report section: its Markdown and the PNG bytes of its figures by stem."""

    @property
    def markdown(self) -> str: ...

    @property
    def figures(self) -> Mapping[str, bytes]: ...


def section_markdown(section: HasFigures) -> str:
    """The section's Markdown with each ``figures/<stem>.png`` link replaced by the PNG as
    a data URI, so JupyterLab and the HTML export show the figures; unknown stems are left
    as they are."""

    def inline(match: re.Match[str]) -> str:
        png = section.figures.get(match["stem"])
        if png is None:
            return match[0]
        return "](data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

    return _FIGURE_LINK.sub(inline, section.markdown)
