"""Unit properties of the output-safety pieces: formula-safe text, file modes, where
outputs may go. The end-to-end cases are in test_bad_corpus_safety.py."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlib import config
from planlib.errors import InputError
from planlib.outputs.files.atomic import csv_bytes, write_bytes_atomic
from planlib.outputs.files.out_dir import check_out_dir, glob_reach
from planlib.outputs.files.safe_cells import FORMULA_STARTS, neutralise_frame, neutralise_text
from planlib.outputs.files.staging import StagedOutputs


@pytest.mark.slow
@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_loses_nothing(text: str) -> None:
    safe = neutralise_text(text)
    assert isinstance(safe, str)
    if safe != text:  # exactly one quote in front, the rest intact
        assert safe == "'" + text and text.startswith(FORMULA_STARTS)
    elif text.startswith(FORMULA_STARTS):  # left alone only when it is a plain number
        float(text)


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**12, 10**12))
def test_numbers_written_as_text_are_left_alone(number: float) -> None:
    assert neutralise_text(repr(number)) == repr(number)
    assert neutralise_text(number) == number


@pytest.mark.slow
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1))
def test_numeric_columns_are_untouched(values: list[float]) -> None:
    frame = pd.DataFrame({"v": values, "t": ["=x"] * len(values)})
    safe = neutralise_frame(frame)
    assert safe["v"].dtype == frame["v"].dtype and safe["v"].tolist() == values
    assert set(safe["t"]) == {"'=x"} and set(frame["t"]) == {"=x"}  # input not mutated


def test_frame_without_risky_text_is_not_copied() -> None:
    frame = pd.DataFrame({"v": [-1.0], "t": ["ok"]})
    assert neutralise_frame(frame) is frame
    assert csv_bytes(frame).decode("utf-8-sig") == "v,t\n-1,ok\n"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_atomic_write_gives_the_mode_open_would(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        path = write_bytes_atomic(tmp_path / "a.csv", b"x")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode


def test_symlink_into_data_raw_is_refused(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "data" / "raw"
    (raw / "p").mkdir(parents=True)
    monkeypatch.setattr(config, "RAW_DIR", raw)
    (tmp_path / "results").symlink_to(raw / "p")
    with pytest.raises(InputError, match="inside data/raw/"):
        check_out_dir(tmp_path / "results")
    assert check_out_dir(tmp_path / "elsewhere") == (tmp_path / "elsewhere").resolve()


@pytest.mark.parametrize(("pattern", "root"), [
    ("*.csv", "plan"), ("updates/*.xlsx", "plan/updates"), ("../../**/*.csv", "."),
    ("../shared/20[12]?/*.csv", "shared")])
def test_a_glob_starts_before_its_first_wildcard(tmp_path: Path, pattern: str, root: str) -> None:
    folder = tmp_path / "x" / "plan"
    expected = {"plan": folder, "plan/updates": folder / "updates", ".": tmp_path,
                "shared": tmp_path / "x" / "shared"}[root]
    assert glob_reach(folder, pattern)[0] == expected.resolve()


def test_staging_inside_the_folder_when_only_it_can_be_written(out_dir,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a shared drive a user may write in the output folder but not beside it."""
    out = out_dir
    out.mkdir()
    real = tempfile.mkdtemp

    def mkdtemp(prefix: str, dir: Path) -> str:  # noqa: A002 - tempfile's own name
        if Path(dir) == tmp_path:
            raise PermissionError(13, "Permission denied", str(dir))
        return real(prefix=prefix, dir=dir)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    with StagedOutputs(out) as stage:
        stage.write("a.csv", b"1\n")
        stage.write("manifest.json", b"{}\n")
        assert stage.path("").parent == out
        written = stage.commit()
    assert [p.name for p in written] == ["a.csv", "manifest.json"]
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "manifest.json"]


@pytest.mark.parametrize(("pattern", "out", "refused"), [
    ("../../*.csv", "data", True),  # the glob reads data/ itself
    ("../../*.csv", "data/processed/t", False),  # but not two levels below it
    ("../../*/*.csv", "data/processed", True),
    ("../../*/*.csv", "data/processed/t", False),
    ("../../**/*.csv", "data/processed/t", True),  # a recursive glob reads everything below
])
def test_out_is_refused_only_where_a_glob_reads(tmp_path: Path, pattern: str, out: str,
                                                refused: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "data" / "raw" / "t" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "elsewhere")
    if refused:
        with pytest.raises(InputError, match="the folders the data glob"):
            check_out_dir(tmp_path / out, plan, globs=[pattern])
    else:
        check_out_dir(tmp_path / out, plan, globs=[pattern])
    assert glob_reach(plan.parent, pattern)[0] == (tmp_path / "data").resolve()


_KILLED_WRITER = """
import os, sys
from pathlib import Path
from planlib.outputs.files.staging import StagedOutputs
stage = StagedOutputs(Path(sys.argv[1])).__enter__()
stage.write("evaluation.csv", b"half a run\\n")
print(stage.path(""), flush=True)
os._exit(9)  # killed: no __exit__, no clean-up
"""


@pytest.mark.slow
def test_a_killed_run_s_staging_folder_is_removed_by_the_next_write(
        out_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = out_dir
    done = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(out)],
                          capture_output=True, text=True, timeout=60)
    left = Path(done.stdout.strip())
    assert done.returncode == 9 and left.is_dir() and left.parent == tmp_path
    with StagedOutputs(out) as stage:
        stage.write("evaluation.csv", b"a whole run\n")
        stage.commit()
    assert not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "evaluation.csv").read_bytes() == b"a whole run\n"


def test_only_abandoned_staging_folders_of_this_output_are_removed(out_dir, tmp_path: Path) -> None:
    from planlib.outputs.files.stale_staging import STALE_AFTER_SECONDS, host_tag

    out = out_dir
    (out / "keep").mkdir(parents=True)
    host, me = host_tag(), os.getpid()
    dead = _dead_pid()
    names = {
        f".out.staging-{host}-{dead}-abcd_123": False,  # its process is gone: removed
        f".out.staging-{host}-{me}-abcd_123": True,     # a live writer (this one)
        ".out.staging-other_machine-1-abcd_123": True,  # another machine's, recent
        ".out.staging-other_machine-2-efgh_456": False,  # another machine's, two days old
        ".out.staging-zyxw9876": False,                 # an older planlib's, two days old
        ".out.staging-vuts5432": True,                  # an older planlib's, recent
        f".other.staging-{host}-{dead}-abcd_123": True,  # another output folder's
        f"out.staging-{host}-{dead}-abcd_123": True,    # not hidden: not ours
        f".out.staging-{host}-{dead}-abcd_123.bak": True,  # not a staging name
    }
    old = __import__("time").time() - 2 * STALE_AFTER_SECONDS
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "evaluation.csv").write_bytes(b"x\n")
    for name in (".out.staging-other_machine-2-efgh_456", ".out.staging-zyxw9876"):
        os.utime(tmp_path / name, (old, old))
    (out / f".out.staging-{host}-{dead}-inside_1").mkdir()  # staged inside (shared drive)
    (tmp_path / f".out.staging-{host}-{dead}-afile_12").write_bytes(b"a file, not ours")
    with StagedOutputs(out) as stage:
        stage.write("a.csv", b"1\n")
        stage.commit()
    for name, kept in names.items():
        assert (tmp_path / name).exists() == kept, name
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "keep"]
    assert (tmp_path / f".out.staging-{host}-{dead}-afile_12").is_file()


def _dead_pid() -> int:
    """The id of a process that has ended (a child started and waited for)."""
    import subprocess
    import sys

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_staged_writer_moves_nested_files_in_with_the_manifest_last(tmp_path: Path) -> None:
    from planlib.outputs.files.staging import write_staged

    out = tmp_path / "reports" / "p"
    (out / "zh").mkdir(parents=True)
    (out / "zh" / "old.md").write_bytes(b"left by an earlier run")
    seen: list[list[str]] = []

    def manifest(staged: list[Path], folder: Path) -> dict[str, object]:
        seen.append([p.relative_to(folder).as_posix() for p in staged])
        return {"n": len(staged)}

    written = write_staged(out, [("zh/report.md", b"# zh"), ("zh/figures/a.png", b"png"),
                                 ("en/report.md", b"# en")], manifest)
    assert [p.relative_to(out).as_posix() for p in written] == [
        "zh/report.md", "zh/figures/a.png", "en/report.md", "manifest.json"]
    assert seen == [["zh/report.md", "zh/figures/a.png", "en/report.md"]]
    assert (out / "zh" / "figures" / "a.png").read_bytes() == b"png"
    assert (out / "zh" / "old.md").read_bytes() == b"left by an earlier run"
    assert sorted(p.name for p in out.parent.iterdir()) == ["p"]  # no staging folder left


def test_staged_writer_refuses_two_outputs_in_one_file_and_leaves_the_folder(
        tmp_path: Path) -> None:
    from planlib.outputs.files.staging import write_staged

    out = tmp_path / "figures"
    write_staged(out, [("a.svg", b"first run")])
    with pytest.raises(ValueError, match="same file 'b.svg'"):
        write_staged(out, [("a.svg", b"second"), ("b.svg", b"x"), ("b.svg", b"y")])
    assert sorted(p.name for p in out.iterdir()) == ["a.svg"]
    assert (out / "a.svg").read_bytes() == b"first run"
    for bad in ("../escape.txt", "/abs.txt", "a\\b.txt"):
        with pytest.raises(ValueError, match="relative path inside"):
            write_staged(out, [(bad, b"x")])
    assert not (tmp_path / "escape.txt").exists()


def test_a_failed_nested_commit_puts_the_previous_files_back(tmp_path: Path,
                                                             monkeypatch) -> None:
    from planlib.outputs.files import staging

    out = tmp_path / "out"
    staging.write_staged(out, [("zh/a.md", b"old a"), ("zh/b.md", b"old b")],
                         lambda staged, folder: {"run": 1})
    old_manifest = (out / "manifest.json").read_bytes()
    real_replace = staging.os.replace

    def replace(src, dst):  # the second file's move into place fails
        if ".staging-" in str(src) and Path(dst).name == "b.md":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(staging.os, "replace", replace)
    with pytest.raises(InputError):
        staging.write_staged(out, [("zh/a.md", b"new a"), ("zh/b.md", b"new b"),
                                   ("en/c.md", b"new c")], lambda staged, folder: {"run": 2})
    assert (out / "zh" / "a.md").read_bytes() == b"old a"
    assert (out / "zh" / "b.md").read_bytes() == b"old b"
    assert (out / "manifest.json").read_bytes() == old_manifest
    assert not (out / "en" / "c.md").exists()


@pytest.mark.parametrize(("text", "escaped"), [
    ("学前教育毛入园率（%）", "学前教育毛入园率（%）"),  # plain names are left as they are
    ("cn_education_14th/observations.csv", "cn_education_14th/observations.csv"),
    ("P < 0.01 & 1,234 > 5", "P < 0.01 & 1,234 > 5"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>"),
    ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
    ("![x](http://h/p.png)", r"!\[x\](http\://h/p.png)"),
    ("**b** _i_ `c` a|b ~~s~~", r"\*\*b\*\* \_i\_ \`c\` a\|b \~\~s\~\~"),
    ("line one\n\n# two\r\nthree", "line one # two three"),
    ("see www.example.org", r"see www\.example.org"),
])
def test_markdown_escape_shows_text_never_markup(text: str, escaped: str) -> None:
    from markdown_it import MarkdownIt
    from nbconvert.filters.markdown_mistune import markdown2html_mistune  # autolinks URLs

    from planlib.outputs.files.safe_text import markdown_text

    assert markdown_text(text) == escaped
    commonmark = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    for rendered in (commonmark.render(escaped), markdown2html_mistune(escaped)):
        assert rendered.count("<") == 2 and rendered.startswith("<p>"), rendered  # no tag


@pytest.mark.parametrize(("text", "escaped"), [
    ("# x", r"\# x"), ("- x", r"\- x"), ("1. x", r"1\. x"), ("> x", r"\> x"), ("x", "x")])
def test_markdown_escape_at_a_line_start_opens_no_block(text: str, escaped: str) -> None:
    from planlib.outputs.files.safe_text import markdown_text

    assert markdown_text(text, line_start=True) == escaped
