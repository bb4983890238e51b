"""The hostile corpus (tests/data/bad/hostile/, issue #16): every case through the CLI.

Each case folder holds a plan, its data and an expect.yaml naming its class, the command,
the exit code (2 for a refusal, 0 for handled) and the fragments the message must hold
(file, row, column). Every case is checked four ways: the exit code, the located
message, that nothing under the inputs changed (every entry hashed before and after),
and, for cases whose outputs show plan or data text, that no payload ran or fetched
anything: each HTML output, and report.md rendered with raw HTML on (as pandoc, Typora
or VS Code would), is opened in headless Chromium and its DOM searched for the marker a
payload sets. Cases that draw charts are marked slow; the Chromium ones skip without a
browser (except on CI), as the other browser tests do.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import os
import re
import shlex
import stat
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from browser import browser_test, dom_after_scripts

from planlib.cli import run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
import make_bad_corpus_hostile as corpus  # noqa: E402

#: The classes of issue #16, as expect.yaml names them (the README counts cases by these).
CLASSES = ("script", "xml_chars", "file_names", "bounds", "many_indicators", "fonts",
           "formats", "xls")
#: Commands that draw charts: seconds per case, so marked slow.
DRAWING = ("report", "figures", "run")
#: A reference a page would fetch or follow off the machine.
REMOTE = re.compile(r"""(?:src|href|action|srcset|poster|xlink:href)\s*=\s*["']?\s*"""
                    r"(?:https?:|//|javascript:)", re.I)


def _param(case: str) -> object:
    expect = corpus.expectations(case)
    marks = []
    if expect["command"].split()[0] in DRAWING:
        marks.append(pytest.mark.slow)
    if expect.get("browser"):
        marks.append(browser_test)
    if expect.get("xfail"):  # not handled yet: fails until fixed, then says so
        marks.append(pytest.mark.xfail(reason=expect["xfail"], strict=True))
    return pytest.param(case, marks=marks, id=case)


def _tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a file's hash and mode, or the kind and target of
    anything else (a pipe or a device is never opened)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode):
            seen[str(path)] = f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{mode:o}"
        elif stat.S_ISLNK(mode):
            seen[str(path)] = "link:" + os.readlink(path)
        else:
            seen[str(path)] = f"mode:{mode:o}"
    return seen


def _run(args: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> \
        tuple[int, str]:
    """planlib in-process: the exit code and everything it said."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    said: list[str] = []
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # printed on the terminal outside pytest
        try:
            code = run(args, handler=said.append)
        except SystemExit as exc:  # argparse refusals
            code = int(exc.code or 0)
    said += [f"{w.category.__name__}: {w.message}" for w in caught]
    return code, printed.getvalue() + "\n".join(said)


def test_every_case_is_complete_and_the_readme_counts_them() -> None:
    """Each case names a known class and command; the README's table is the count."""
    cases = corpus.cases()
    assert len(cases) >= 40
    counts = dict.fromkeys(CLASSES, 0)
    for case in cases:
        expect = corpus.expectations(case)
        assert expect["class"] in CLASSES, case
        assert expect["exit"] in (0, 2), case
        assert expect["said"], case
        assert expect.get("build") is None or expect["build"] in corpus.BUILDERS, case
        counts[expect["class"]] += 1
    assert all(counts.values()), counts
    readme = (corpus.HOSTILE / "README.md").read_text(encoding="utf-8")
    for name, n in counts.items():
        assert f"| `{name}` | {n} |" in readme, (name, n)
    assert f"| total | {len(cases)} |" in readme


@pytest.mark.parametrize("case", [_param(c) for c in corpus.cases()])
def test_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = corpus.expectations(case)
    folder = corpus.materialise(case, tmp_path / "inputs" / case)
    before = _tree(tmp_path / "inputs")
    out = tmp_path / "out"
    args = shlex.split(expect["command"]) + ["--plan", str(folder)]
    if args[0] != "validate":
        args += ["--out", str(out)]
    monkeypatch.chdir(tmp_path)
    code, said = _run(args, expect.get("env", {}), monkeypatch)

    assert code == expect["exit"], said
    assert "Traceback" not in said and "internal error" not in said, said
    for text in expect["said"]:
        assert text in said, f"{text!r} not in:\n{said}"
    for text in expect.get("not_said", []):
        assert text not in said, f"{text!r} in:\n{said}"
    assert _tree(tmp_path / "inputs") == before, "an input changed"
    if code == 2:
        assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))
    _check_outputs(expect, out, said)
    if expect.get("browser"):
        _nothing_ran(out, tmp_path)


def _check_outputs(expect: dict, out: Path, said: str) -> None:
    """The outputs' text holds (and lacks) what expect.yaml says; the console's count of
    files written is the number of files there."""
    for check in expect.get("outputs", []):
        paths = sorted(out.glob(check["glob"]))
        assert len(paths) == check.get("count", len(paths) or 1), (check, paths)
        for path in paths:
            text = _output_text(path) if "holds" in check or "lacks" in check else ""
            for part in check.get("holds", []):
                assert part in text, f"{part!r} not in {path.name}"
            for part in check.get("lacks", []):
                assert part not in text, f"{part!r} in {path.name}"
            stem = path.name.rsplit(".", 1)[0]
            assert len(stem.encode("utf-8")) <= check.get("name_bytes", 255), path.name
    for md in out.rglob("report.md"):  # each result links a chart of its own, written
        links = re.findall(r"\]\((figures/indicator_[^)]+)\)", md.read_text(encoding="utf-8"))
        assert len(links) == len(set(links)), links
        assert all((md.parent / link).is_file() for link in links), links
    wrote = re.search(r"wrote (\d+) files", said)
    if wrote:
        files = [p for p in out.rglob("*") if p.is_file()]
        assert int(wrote.group(1)) == len(files), (said, files)


def _output_text(path: Path) -> str:
    """A text output as it is; a workbook as its sheets' and shared strings' stored XML,
    character references resolved (the text as Excel reads it, ``_xHHHH_`` escapes and all)."""
    if path.suffix != ".xlsx":
        return path.read_text(encoding="utf-8-sig")
    with zipfile.ZipFile(path) as book:
        return html.unescape("".join(
            book.read(n).decode("utf-8") for n in book.namelist()
            if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"))


def _nothing_ran(out: Path, tmp_path: Path) -> None:
    """Every HTML output, and every report.md rendered with raw HTML on, in Chromium: no
    payload set the marker, no script element, nothing remote referenced."""
    markdown_it = pytest.importorskip("markdown_it")
    render = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    pages = sorted(out.rglob("*.html"))
    for i, md in enumerate(sorted(out.rglob("*.md"))):
        page = tmp_path / f"rendered_{i}.html"
        body = render.render(md.read_text(encoding="utf-8"))
        page.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
        pages.append(page)
    assert pages, "no HTML or Markdown output to open"
    for page in pages:
        dom = dom_after_scripts(page)
        assert f'{corpus.MARKER}="' not in dom, f"a payload ran in {page.name}"
        assert "<script" not in dom.lower(), f"a script element in {page.name}"
        assert not REMOTE.search(dom), (page.name, REMOTE.search(dom))
    for svg in out.rglob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<script" not in text and not REMOTE.search(text), svg.name
