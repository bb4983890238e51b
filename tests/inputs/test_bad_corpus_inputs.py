"""The input-side corpus (tests/data/make_bad_corpus_inputs.py): one test per case.

Each case is a plan folder; ``planlib validate`` must exit with the expected code (2 for
every refusal, never 1), print the located message (file, row or YAML line, column), and
leave every file under the inputs as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from planlib.cli import run

DATA = Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
import make_bad_corpus_inputs as corpus  # noqa: E402

XML = "holds a character XML cannot hold in reports and figures: "
PLAN_LINE = "plan.yaml, row {line}, column '{field}': the text " + XML
CELL = "data.csv, row {row}, column '{column}': the cell " + XML
TARGET = ("plan.yaml, row 16, column 'indicators.0.target.value': "
          "'indicators.0.target.value': ")
GROWTH = "average_growth is a growth rate in percent a year, and {v} is outside (-100, 1000]"


@dataclass(frozen=True)
class Expect:
    code: int
    said: tuple[str, ...]


EXPECT: dict[str, Expect] = {
    # characters XML cannot hold, in the plan: at the YAML line and field
    "plan_name_form_feed": Expect(2, (
        PLAN_LINE.format(line=12, field="indicators.0.name_zh") + "U+000C (form feed)",)),
    "plan_name_nul": Expect(2, (
        PLAN_LINE.format(line=12, field="indicators.0.name_zh") + "U+0000 (nul)",)),
    "plan_name_lone_surrogate": Expect(2, (
        PLAN_LINE.format(line=12, field="indicators.0.name_zh") + "U+D800 (a lone surrogate)",)),
    "plan_name_fffe": Expect(2, (
        PLAN_LINE.format(line=12, field="indicators.0.name_zh") + "U+FFFE (a noncharacter)",)),
    "plan_unit_vertical_tab": Expect(2, (
        PLAN_LINE.format(line=26, field="indicators.2.unit") + "U+000B (vertical tab)",)),
    "plan_title_escape": Expect(2, (
        PLAN_LINE.format(line=5, field="plan.title_zh") + "U+001B (escape)",)),
    "plan_raw_control": Expect(2, (
        "plan.yaml, row 18: not valid YAML (ReaderError: unacceptable character #x000c",
        "Fix: delete the character")),
    # ... and in data: at file, row and column
    "data_region_form_feed": Expect(2, (
        CELL.format(row=3, column="region") + "U+000C (form feed) (value '东城\\x0c区')",)),
    "data_region_fffe": Expect(2, (
        CELL.format(row=3, column="region") + "U+FFFE (a noncharacter)",)),
    "data_region_ffff": Expect(2, (
        CELL.format(row=3, column="region") + "U+FFFF (a noncharacter)",)),
    "data_region_nul": Expect(2, ("data.csv: not a text table: the file contains binary data",)),
    "data_note_form_feed": Expect(2, (
        CELL.format(row=3, column="note") + "U+000C (form feed)",)),
    "data_header_control": Expect(2, (
        CELL.format(row=1, column="备\\u0007注") + "U+0007 (a control character)",)),
    "data_gb18030_escape": Expect(2, (
        CELL.format(row=2, column="region") + "U+001B (escape)",)),
    "xlsx_raw_control": Expect(2, ("data.xlsx: cannot open as an Excel workbook",)),
    # growth and change targets beyond sane bounds: at their YAML line
    "growth_1e99": Expect(2, (TARGET + "a target of 1e+99 is beyond ±1e+15",)),
    "growth_minus_100": Expect(2, (TARGET + GROWTH.format(v=-100),)),
    "growth_2000_percent": Expect(2, (TARGET + GROWTH.format(v=2000),)),
    "annual_change_1e20": Expect(2, (TARGET + "a target of -1e+20 is beyond ±1e+15",)),
    "level_1e300": Expect(2, (TARGET + "a target of 1e+300 is beyond ±1e+15",)),
    # formats named right
    "strict_ooxml": Expect(2, (
        "严格.xlsx: this workbook is saved as Strict Open XML, which cannot be read",
        'save as "Excel Workbook (.xlsx)"')),
    "utf32_csv": Expect(0, ("ok: corpus: 3 observations of 1 series in 1 file(s)",)),
    "utf32_damaged": Expect(2, ("data.csv: a UTF-32 text file damaged at byte 40",)),
    "fifo_matched": Expect(0, (
        "管道.csv: matched by a data glob but it is a named pipe (FIFO), not a regular file, "
        "so it was not read", "ok: corpus: 3 observations")),
    "device_link_matched": Expect(0, (
        "zero.csv: matched by a data glob but it is a device, not a regular file",
        "ok: corpus: 3 observations")),
}


def _tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a file's hash, or the kind and target of anything
    else (a pipe or a device is never opened)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode):
            seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(mode):
            seen[str(path)] = "link:" + os.readlink(path)
        else:
            seen[str(path)] = f"mode:{stat.S_IFMT(mode)}"
    return seen


def test_every_case_has_an_expected_outcome() -> None:
    assert set(EXPECT) == set(corpus.BUILDERS)
    assert len(EXPECT) >= 20


@pytest.mark.parametrize("case", sorted(EXPECT))
def test_case(case: str, tmp_path: Path) -> None:
    expect = EXPECT[case]
    folder = tmp_path / case
    corpus.build(case, folder)
    before = _tree(folder)
    errors: list[str] = []
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = run(["validate", "--plan", str(folder), "--lang", "en"], handler=errors.append)
    said = printed.getvalue() + "\n".join(errors)
    assert code == expect.code, said
    assert "internal error" not in said and "Traceback" not in said
    for text in expect.said:
        assert text in said, f"{text!r} not in:\n{said}"
    assert _tree(folder) == before


@pytest.mark.parametrize("case", ["plan_name_lone_surrogate", "data_region_fffe"])
def test_what_validate_refuses_evaluate_refuses_too(case: str, tmp_path: Path) -> None:
    """The writers never see such text: evaluate stops at reading, exit 2, writes nothing."""
    folder = tmp_path / case
    corpus.build(case, folder)
    out = tmp_path / "out"
    errors: list[str] = []
    with contextlib.redirect_stdout(io.StringIO()):
        code = run(["evaluate", "--plan", str(folder), "--out", str(out)],
                   handler=errors.append)
    assert code == 2 and XML in "\n".join(errors)
    assert not out.exists() or not any(out.iterdir())
