"""The planlib command: exit codes, messages without tracebacks, documented options."""

import subprocess
import sys
from pathlib import Path

import pytest

from planlib import __version__
from planlib.cli import build_parser, run

PLANLIB = [sys.executable, "-m", "planlib.cli"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PLANLIB, *args], capture_output=True, text=True, timeout=120)


def test_version_and_help_document_every_option():
    assert cli("--version").stdout.strip() == f"planlib {__version__}"
    helps = {name: sub.format_help() for name, sub in
             build_parser()._subparsers._group_actions[0].choices.items()}  # noqa: SLF001
    assert {"validate", "evaluate", "figures", "run", "init"} <= set(helps)
    for name, text in helps.items():  # every option of every command has a help text
        assert "--plan" in text or name == "init", name
    for option in ("--plan", "--as-of", "--model", "--levels", "--seed", "--out"):
        assert option in helps["evaluate"]
        assert option in helps["figures"]
    assert "--lang" in helps["figures"] and "--format" in helps["figures"]
    assert "--plan" in helps["validate"] and "FILE" in helps["validate"]


@pytest.mark.slow
def test_validate_shipped_plans():
    done = cli("validate", "--plan", "all")
    assert done.returncode == 0, done.stderr
    assert "ok: cn_education_14th: 208 observations of 22 series in 4 file(s)" in done.stdout
    assert "ok: demo_city: 32 observations of 7 series in 2 file(s)" in done.stdout


@pytest.mark.parametrize("extra", ["updates/national_2023_2025.csv", "context/births.csv",
                                   "context/births_vintages.csv", "context/kindergartens.csv"])
def test_validate_national_updates_and_context_files(extra):
    """Each added national file reads cleanly beside the plan's own observations."""
    folder = Path(__file__).resolve().parents[2] / "data/raw/cn_education_14th"
    done = run(["validate", "--plan", "cn_education_14th",
                str(folder / "observations.csv"), str(folder / extra)])
    assert done == 0


@pytest.mark.slow
def test_validate_broken_file_lists_five_mistakes_and_exits_2(tmp_path: Path):
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "indicator_id,year,value\n"
        "preschool_ger,2021,88.1\n"
        "preschol_ger,2021,88.1\n"
        "higher_ed_ger,20x1,57.8\n"
        "compulsory_retention,2021,abc\n"
        "upper_secondary_ger,2021,914\n"
        "upper_secondary_ger,2021,91.4\n",
        encoding="gb18030",
    )
    done = cli("validate", str(broken))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("  - ")]
    assert len(lines) == 6  # the duplicate is reported on both of its rows
    for row, column in [(3, "indicator_id"), (4, "year"), (5, "value"), (6, "value"),
                        (7, "value")]:
        assert any(f"broken.csv, row {row}, column '{column}'" in ln for ln in lines), row
    assert all("Fix: " in ln for ln in lines)


@pytest.mark.slow
def test_bad_plan_argument_exits_2():
    done = cli("evaluate", "--plan", "nope")
    assert done.returncode == 2 and "no such plan" in done.stderr


def test_bad_option_value_exits_2():
    done = cli("evaluate", "--levels", "80,120")
    assert done.returncode == 2 and "between 0 and 100" in done.stderr


def test_internal_error_exits_1_without_traceback(monkeypatch, capsys):
    import planlib.pipeline as pipeline

    def boom(*args, **kwargs):
        raise ZeroDivisionError("synthetic")

    monkeypatch.setattr(pipeline, "evaluate", boom)
    messages: list[str] = []
    code = run(["evaluate", "--plan", "demo_city", "--out", "/nonexistent-never-written"],
               handler=messages.append)
    assert code == 1
    assert "internal error: ZeroDivisionError: synthetic" in messages[0]
    assert "--debug" in messages[0]


@pytest.mark.slow
@pytest.mark.parametrize("model", ["linear", "drift"])
def test_evaluate_with_options(tmp_path: Path, model: str):
    done = cli("evaluate", "--plan", "demo_city", "--model", model, "--levels", "50,90",
               "--as-of", "2022", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    header = (tmp_path / "evaluation.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert ",median,lo50,hi50,lo90,hi90,p_meet," in header
    assert "as of 2022" in done.stdout


def test_long_problem_lists_are_cut_with_a_count():
    from planlib.errors import InputError, Problem

    err = InputError([Problem("f.csv", i, "value", "x", "bad", "fix it") for i in range(2, 502)])
    lines = err.report().splitlines()
    assert lines[0] == "500 problems found:" and len(lines) == 202
    assert lines[-1].startswith("  ... and 300 more")
    assert len(err.problems) == 500


def test_as_of_must_be_after_the_baseline(capsys):
    messages: list[str] = []
    assert run(["evaluate", "--plan", "demo_city", "--as-of", "2020"],
               handler=messages.append) == 2
    assert "after the plan's baseline year 2020" in messages[0]
    with pytest.raises(SystemExit) as exit_:
        run(["evaluate", "--as-of", "1800"])
    assert exit_.value.code == 2
    assert "outside 1900-2100" in capsys.readouterr().err


@pytest.mark.slow
def test_regions_are_named_in_the_console(out_dir, tmp_path: Path):
    (tmp_path / "p").mkdir()
    plan = tmp_path / "p" / "plan.yaml"
    plan.write_text(
        "plan: {id: r, title_zh: 区, baseline_year: 2020, target_year: 2025, as_of: 2023}\n"
        "indicators:\n  - {id: rate, name_zh: 率, direction: increase, bounds: [0, 100],\n"
        "     target: {kind: level_at_least, value: 60}}\n", encoding="utf-8")
    (tmp_path / "p" / "data.csv").write_text(
        "指标代码,地区,2020年,2021年,2022年\nrate,东区,50,52,54\nrate,西区,40,41,43\n",
        encoding="utf-8")
    done = cli("evaluate", "--plan", str(tmp_path / "p"), "--out", str(out_dir))
    assert done.returncode == 0, done.stderr
    assert "rate 东区" in done.stdout and "rate 西区" in done.stdout
