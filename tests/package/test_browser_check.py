"""The browser check the hostile corpora rely on can fail: a payload that reaches a page as
markup sets the marker in the DOM Chromium hands back (`tests/browser.py`), directly in
HTML and through report.md rendered with raw HTML on; the same text escaped by planlib
sets nothing. Without this, a browser that ran no script would pass every case."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browser import browser_test, dom_after_scripts

from planlib.outputs.files.safe_text import html_text, markdown_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
import make_bad_corpus_hostile as hostile  # noqa: E402

#: A Chromium start per page: seconds each.
pytestmark = pytest.mark.slow

MARKER = hostile.MARKER
#: Each sets the marker to its own value when it runs.
PAYLOADS = {
    "img": f"<img src=x onerror=\"document.body.setAttribute('{MARKER}','img')\">",
    "script": f"<script>document.body.setAttribute('{MARKER}','script')</script>",
    "svg": f"<svg onload=\"document.body.setAttribute('{MARKER}','svg')\"></svg>",
}


def _page(tmp_path: Path, name: str, body: str) -> Path:
    page = tmp_path / f"{name}.html"
    page.write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
    return page


@browser_test
@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_a_payload_left_as_markup_sets_the_marker(kind: str, tmp_path: Path) -> None:
    dom = dom_after_scripts(_page(tmp_path, "raw", "名称 " + PAYLOADS[kind]))
    assert f'{MARKER}="{kind}"' in dom, dom[:500]


@browser_test
@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_markdown_rendered_with_raw_html_runs_it_unless_escaped(kind: str,
                                                                 tmp_path: Path) -> None:
    """As the hostile corpus renders report.md: raw HTML on, as pandoc or Typora would."""
    markdown_it = pytest.importorskip("markdown_it")
    render = markdown_it.MarkdownIt("commonmark", {"html": True}).render
    raw = dom_after_scripts(_page(tmp_path, "md_raw", render(f"### {PAYLOADS[kind]}\n")))
    assert f'{MARKER}="{kind}"' in raw, raw[:500]
    escaped = dom_after_scripts(_page(tmp_path, "md_escaped",
                                      render(f"### {markdown_text(PAYLOADS[kind])}\n")))
    assert f'{MARKER}="' not in escaped
    assert "document.body.setAttribute" in escaped  # shown as text


@browser_test
def test_html_escaped_payloads_set_nothing(tmp_path: Path) -> None:
    body = " ".join(html_text(p) for p in PAYLOADS.values())
    dom = dom_after_scripts(_page(tmp_path, "escaped", body))
    assert f'{MARKER}="' not in dom
    assert "&lt;script&gt;" in dom
