"""Every file the project's documents name exists: a README or docs page pointing a reader
at ``tests/test_proposal.py`` after the tests moved to ``tests/core/`` sends them nowhere.
Checked: the READMEs, docs/, and the corpora's READMEs (benchmarks/results/ is a record of
past runs and may name files since gone)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: A path from the repository's root, or a module path inside planlib (``core/x.py``,
#: which may also be a test path inside tests/).
PATH = re.compile(r"(?<![\w/.])((?:planlib|tests|benchmarks|notebooks|docs)/[\w/.-]+"
                  r"\.(?:py|md|yaml|ipynb|txt|csv))|(?<![\w/.])((?:core|inputs|outputs|fonts)"
                  r"/[\w/]+\.py)")


def documents() -> list[Path]:
    """The documents a reader follows."""
    found = [ROOT / "README.md", ROOT / "benchmarks" / "README.md",
             ROOT / "notebooks" / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "planlib").rglob("README.md")),
             *sorted((ROOT / "benchmarks" / "data").glob("README.md")),
             *sorted((ROOT / "tests" / "data").rglob("README.md"))]
    return [p for p in found if p.is_file()]


def missing_paths(text: str) -> list[str]:
    """The paths named in ``text`` that are not files of the repository."""
    missing = []
    for found in PATH.finditer(text):
        whole, inside = found.group(1), found.group(2)
        candidates = [ROOT / whole] if whole else [ROOT / "planlib" / inside,
                                                   ROOT / "tests" / inside]
        if not any(c.is_file() for c in candidates):
            missing.append(found.group())
    return missing


def test_the_check_finds_a_moved_file() -> None:
    text = ("see tests/test_proposal.py and `outputs/report_html.py`, "
            "but tests/core/test_proposal.py and core/progress.py are there")
    assert missing_paths(text) == ["tests/test_proposal.py", "outputs/report_html.py"]


def test_every_file_a_document_names_exists() -> None:
    docs = documents()
    assert len(docs) >= 5
    stale = [f"{p.relative_to(ROOT)}: {m}" for p in docs
             for m in missing_paths(p.read_text(encoding="utf-8"))]
    assert not stale, "documents name files that are not there: " + "; ".join(stale)
