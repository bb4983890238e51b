"""planlib from a wheel, with no checkout: build the wheel, install it into a fresh venv
(its own site-packages, so missing package data shows), then `planlib init`, `run` and
`report` in a temporary folder, and a shipped plan from anywhere; nothing is written into
site-packages. Slow (a few minutes: the install fetches every dependency): pytest -m slow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planlib.outputs.report.backtest_summary import backtest_coverage

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _source_copy(target: Path) -> Path:
    """The files git tracks (and those added but not yet committed), without build debris."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _tree(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its size (to see that nothing was written)."""
    return {str(p.relative_to(folder)): p.stat().st_size
            for p in folder.rglob("*") if p.is_file()}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the built wheel installed: (its bin folder, the environment)."""
    root = tmp_path_factory.mktemp("wheel")
    source = _source_copy(root / "src")
    wheels = root / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
          str(source)], root, dict(os.environ))
    (wheel,) = wheels.glob("planlib-*.whl")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], root, dict(os.environ))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PLANLIB_ROOT", "PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"HOME": str(root / "home"),  # no user Jupyter kernels or settings
            "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            "PLANLIB_FONT": "shipped", "SOURCE_DATE_EPOCH": "1700000000"}
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
         root, env)
    return venv / "bin", env


def test_the_wheel_runs_a_new_project_with_no_checkout(installed, tmp_path: Path):
    bin_dir, env = installed
    planlib = str(bin_dir / "planlib")
    site = Path(subprocess.run(
        [str(bin_dir / "python"), "-c", "import planlib, pathlib; "
         "print(pathlib.Path(planlib.__file__).parents[1])"],
        capture_output=True, text=True, check=True, env=env, cwd=tmp_path).stdout.strip())
    assert REPO not in site.parents and (site / "planlib" / "_shipped").is_dir()
    before = _tree(site)

    _run([planlib, "init", "proj"], tmp_path, env)
    project = tmp_path / "proj"
    _run([planlib, "run"], project, env)  # the project of the working directory
    _run([planlib, "report", "--lang", "zh,en"], project, env)
    out = project / "outputs" / "proj"
    table = pd.read_csv(out / "runs" / "2023-zh-1" / "processed" / "evaluation.csv",
                        encoding="utf-8-sig")
    assert list(table["indicator_id"]) == ["example_rate", "example_places_added"]
    html = (out / "runs" / "2023-zh-1" / "notebooks" / "4.0-forecast-section.html")
    assert "示例达标率" in html.read_text(encoding="utf-8")
    for lang in ("zh", "en"):
        report = (out / "report" / lang / "report.md").read_text(encoding="utf-8")
        assert "data/data.csv" in report and str(tmp_path) not in report
        assert (out / "report" / lang / "report.docx").stat().st_size > 10_000

    # a shipped plan, run from a folder that is no project: its outputs go there
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _run([planlib, "run", "--plan", "cn_education_14th", "--notebooks", "1.0"],
         elsewhere, env)
    shipped = elsewhere / "outputs" / "cn_education_14th" / "runs" / "2023-zh-1"
    table = pd.read_csv(shipped / "processed" / "evaluation.csv", encoding="utf-8-sig")
    assert "preschool_ger" in set(table["indicator_id"])
    _run([planlib, "report", "--plan", "cn_education_14th", "--format", "md"], elsewhere, env)
    methods = (elsewhere / "outputs" / "cn_education_14th" / "report" / "zh" / "report.md")
    text = methods.read_text(encoding="utf-8")
    assert "data/raw/cn_education_14th/observations.csv" in text  # never site-packages/...
    # the methods note quotes the shipped backtest summary (benchmarks/results/backtest.md)
    coverage = backtest_coverage(REPO)
    assert coverage.source != "README"
    assert f"覆盖了{coverage.cov80}%的结果，95%区间覆盖了{coverage.cov95}%" in text

    assert _tree(site) == before  # nothing written into site-packages
