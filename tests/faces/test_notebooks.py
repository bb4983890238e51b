"""The notebook suite: scripts and notebooks in sync and committed without outputs; the
notebooks executed on the shipped plans through `planlib run` (papermill, kernel python3);
a failing notebook named with its cell; a rerun with new data; `planlib init`."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import pytest

import planlib
from planlib import config, suite
from planlib.cli import run

NB_DIR = suite.SOURCE_DIR
PARAMETERS = ["plan", "as_of", "lang", "levels", "model", "seed", "processed_dir",
              "figures_dir", "report_dir"]
HAS_FIGURES = importlib.util.find_spec("planlib.outputs.figures.charts") is not None
HAS_REPORT = importlib.util.find_spec("planlib.outputs.report") is not None
needs_figures = pytest.mark.skipif(not HAS_FIGURES, reason="planlib.outputs.figures.charts (#8) "
                                   "has not landed in this branch")
needs_report = pytest.mark.skipif(not HAS_REPORT, reason="planlib.outputs.report (#10) "
                                  "has not landed in this branch")


def planlib_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planlib.cli", *args], capture_output=True,
                          text=True, timeout=900, env=env)


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def _outputs_text(nb) -> str:
    """Every text an executed notebook shows (plain, HTML and Markdown outputs)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for kind in ("text/plain", "text/html", "text/markdown"):
                parts.append(out.get("data", {}).get(kind, ""))
    return "\n".join(parts)


def _errors(nb) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for c in nb.cells for o in c.get("outputs", [])
            if o.output_type == "error"]


# ------------------------------------------------------------------ the committed files


@pytest.mark.parametrize("name", suite.NOTEBOOKS)
def test_script_and_notebook_are_in_sync(name: str):
    script = jupytext.read(NB_DIR / f"{name}.py")
    notebook = jupytext.read(NB_DIR / f"{name}.ipynb")
    assert _cells(script) == _cells(notebook), f"run: jupytext --sync notebooks/{name}.py"
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("name", suite.NOTEBOOKS)
def test_committed_notebook_has_no_outputs_and_a_python3_kernel(name: str):
    nb = nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("name", suite.NOTEBOOKS)
def test_parameters_cell_declares_every_parameter(name: str):
    nb = nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = re.findall(r"^(\w+) = ", tagged[0].source, flags=re.M)
    assert names == PARAMETERS
    # the parameters planlib run passes are exactly these
    plan = config.plan_path("demo_city")
    from planlib.inputs.plan import load_plan
    params = suite.notebook_parameters(load_plan(plan), "demo_city", as_of=2023, lang="en",
                                       levels=(80, 95), model="auto", seed=0,
                                       folder=Path("/x"))
    assert list(params) == PARAMETERS


# ------------------------------------------------------------------ executing the suite


def _executed(folder: Path, name: str):
    nb = nbformat.read(folder / "notebooks" / f"{name}.ipynb", as_version=4)
    assert not _errors(nb), _errors(nb)
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    html = (folder / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"https?:", html), \
        "the HTML export must read offline"
    return nb


@pytest.mark.slow
@needs_figures
@needs_report
def test_whole_suite_on_the_national_plan(tmp_path: Path):
    out = tmp_path / "run"
    done = planlib_cli("run", "--out", str(out))
    assert done.returncode == 0, done.stderr
    for i, name in enumerate(suite.NOTEBOOKS, 1):
        assert re.search(rf"\[{i}/{len(suite.NOTEBOOKS)}\] {re.escape(name)} \.\.\. \d+\.\d s",
                         done.stdout)
    assert "total" in done.stdout and f"run folder: {out}" in done.stdout
    table = pd.read_csv(out / "processed" / "evaluation.csv", encoding="utf-8-sig")
    texts = {name: _outputs_text(_executed(out, name)) for name in suite.NOTEBOOKS}
    assert "data/raw/cn_education_14th/observations.csv" in texts["1.0-data-check"]
    assert "2011, 2013–2014, 2016–2018" in texts["1.0-data-check"]  # schooling's gaps
    for model in table["model"]:
        assert model in texts["2.0-trends"]
    nb3 = nbformat.read(out / "notebooks" / "3.0-outlook.ipynb", as_version=4)
    pngs = sum("image/png" in o.get("data", {}) for c in nb3.cells
               for o in c.get("outputs", []))
    assert pngs >= 3  # progress, outlook and overview charts
    at_risk = table[table["outlook_status"].isin(["unlikely", "very_unlikely"])]
    for indicator_id in at_risk["indicator_id"]:
        assert indicator_id in texts["3.0-outlook"]
    assert any((out / "figures").rglob("*.png"))
    # the forecast section in Chinese (the default language) names every indicator
    for name_zh in table["name_zh"]:
        assert name_zh in texts["4.0-forecast-section"]
    assert texts["4.0-forecast-section"].count("](data:image/png;base64,") >= 3  # figures inline
    assert any((out / "report").rglob("report.md"))
    # the national plan at mid-term: no proposals, and 5.0 says why
    assert "目标建议针对规划编制阶段的新规划" in texts["5.0-targets"]
    assert "评估阶段：**中期评估**" in texts["3.0-outlook"]


@pytest.mark.slow
@needs_figures
@needs_report
def test_targets_notebook_on_the_15th_draft_shows_proposals_figure_and_method(tmp_path):
    """5.0-targets on a plan in the planning stage, zh and en: the 目标建议 table with the
    numbers `planlib propose` writes, the figure, the method note; 3.0 shows no progress
    chart (nothing after the baseline to measure)."""
    from planlib.core import proposal
    from planlib.core.evaluation import evaluate

    plan = planlib_plan("cn_education_15th_draft")
    want = proposal.propose(evaluate(plan, planlib.load_observations(plan), levels=(60, 80)))
    for lang, words in (("zh", ("评估阶段：**规划编制**", "目标的实现概率", "目标建议的测算方法")),
                        ("en", ("Stage: **planning**", "How the proposals are computed",
                                "band_words"))):
        out = tmp_path / lang
        done = planlib_cli("run", "--plan", "cn_education_15th_draft", "--lang", lang,
                           "--notebooks", "3.0,5.0", "--out", str(out))
        assert done.returncode == 0, done.stderr
        nb = _executed(out, "5.0-targets")
        text = _outputs_text(nb)
        for w in words:
            assert w in text, w
        html = next(o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
                    if "text/html" in o.get("data", {}) and "p80" in o["data"]["text/html"])
        shown = want["p80"].dropna()  # empty where the history cannot be projected reliably
        assert 0 < len(shown) < len(want)
        for p80 in shown:  # the table's p80 are propose's (to the printed decimals)
            assert re.search(rf">{p80:.1f}\d*<", html) or f">{p80:.2f}<" in html, p80
        pngs = sum("image/png" in o.get("data", {}) for c in nb.cells
                   for o in c.get("outputs", []))
        assert pngs == 1  # the history / projection / target figure
        nb3 = nbformat.read(out / "notebooks" / "3.0-outlook.ipynb", as_version=4)
        progress_cell = next(c for c in nb3.cells if c.source.startswith('if stage == "mid_term"'))
        assert progress_cell.outputs == []  # no progress chart for a new plan


@pytest.mark.slow
@needs_figures
@needs_report
def test_final_stage_notebooks_show_outcomes_not_probabilities(tmp_path):
    """The national plan as of 2026 (its period over): 3.0 shows the completion table
    (observed outcomes in words, P only for unpublished values), no progress chart, no
    时间过半; 2.0's sensitivity lists only the unpublished targets."""
    out = tmp_path / "run"
    done = planlib_cli("run", "--as-of", "2026", "--notebooks", "2.0,3.0,4.0",
                       "--out", str(out))
    assert done.returncode == 0, done.stderr
    texts = {n: _outputs_text(_executed(out, n)) for n in ("2.0-trends", "3.0-outlook",
                                                          "4.0-forecast-section")}
    assert "评估阶段：**终期评估**" in texts["3.0-outlook"]
    assert "已完成，提前完成（2023年）" in texts["3.0-outlook"]  # the completion table
    for text in texts.values():
        assert "时间过半" not in text and "加大工作力度" not in text
    nb3 = nbformat.read(out / "notebooks" / "3.0-outlook.ipynb", as_version=4)
    progress_cell = next(c for c in nb3.cells if c.source.startswith('if stage == "mid_term"'))
    assert progress_cell.outputs == []
    table = pd.read_csv(out / "processed" / "evaluation.csv", encoding="utf-8-sig")
    nb2 = nbformat.read(out / "notebooks" / "2.0-trends.ipynb", as_version=4)
    sens = next(o["data"]["text/html"] for c in nb2.cells if "sensitivity_table" in c.source
                for o in c.get("outputs", []) if "text/html" in o.get("data", {}))
    for ident, outcome in zip(table["indicator_id"], table["outcome"], strict=True):
        assert (ident in sens) == (outcome not in ("met", "not_met")), ident


def planlib_plan(plan_id: str):
    """A shipped plan."""
    from planlib.inputs.plan import load_plan
    return load_plan(plan_id)


@pytest.mark.slow
@needs_figures
def test_data_check_and_outlook_on_the_demo_city(tmp_path: Path):
    out = tmp_path / "run"
    done = planlib_cli("run", "--plan", "demo_city", "--lang", "en", "--notebooks",
                       "1.0,3.0", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [
        "1.0-data-check.html", "1.0-data-check.ipynb", "3.0-outlook.html",
        "3.0-outlook.ipynb"]
    text = _outputs_text(_executed(out, "1.0-data-check"))
    assert "data/raw/demo_city/updates/2022.xlsx" in text
    text3 = _outputs_text(_executed(out, "3.0-outlook"))
    assert "fitness_good_excellent_rate" in text3 and "very unlikely" in text3
    assert any((out / "figures" / "demo_city" / "en").glob("outlook.*"))


def _failing_notebook(folder: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell("plan = None")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("# the broken step\nraise ValueError('boom')")]
    folder.mkdir()
    nbformat.write(nb, folder / "1.0-data-check.ipynb")


@pytest.mark.slow
def test_failing_notebook_names_cell_and_error_and_exits_1(tmp_path: Path, monkeypatch,
                                                            capsys):
    _failing_notebook(tmp_path / "src")
    monkeypatch.setattr(suite, "SOURCE_DIR", tmp_path / "src")
    out = tmp_path / "run"
    code = run(["run", "--plan", "demo_city", "--notebooks", "1.0", "--out", str(out)])
    said = capsys.readouterr()
    assert code == 1
    assert ("notebook 1.0-data-check failed in In [4] (cell 4 of the executed notebook): "
            "ValueError: boom") in said.err
    assert "the cell begins: # the broken step" in said.err
    partial = nbformat.read(out / "notebooks" / "1.0-data-check.ipynb", as_version=4)
    assert _errors(partial) == ["ValueError: boom"]
    assert (out / "notebooks" / "1.0-data-check.html").exists()
    assert "1.0-data-check" in said.out and "FAILED" in said.out


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, capsys):
    assert run(["run", "--plan", "no_such_plan", "--out", str(tmp_path / "a")]) == 2
    assert not (tmp_path / "a").exists()
    assert run(["run", "--plan", "demo_city", "--notebooks", "9.0",
                "--out", str(tmp_path / "b")]) == 2
    full = tmp_path / "full"
    full.mkdir()
    (full / "earlier.txt").write_text("an earlier run", encoding="utf-8")
    assert run(["run", "--plan", "demo_city", "--out", str(full)]) == 2
    assert sorted(p.name for p in full.iterdir()) == ["earlier.txt"]
    assert "output folder is not empty" in capsys.readouterr().err


def test_run_folders_count_up_per_as_of_and_language(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path)
    first = suite.next_run_folder("p", 2023, "zh")
    assert first == tmp_path / "p" / "runs" / "2023-zh-1"
    first.mkdir(parents=True)
    (tmp_path / "p" / "runs" / "2023-zh-7").mkdir()
    assert suite.next_run_folder("p", 2023, "zh").name == "2023-zh-8"
    assert suite.next_run_folder("p", 2023, "en").name == "2023-en-1"
    assert suite.next_run_folder("p", 2024, "zh").name == "2024-zh-1"


_CLAIMER = """
import sys, time
from planlib import suite
start = float(sys.argv[1])
pick = suite.next_run_folder
def slow_pick(*args):  # a slow drive: time passes between choosing a number and taking it
    folder = pick(*args)
    time.sleep(0.005)
    return folder
suite.next_run_folder = slow_pick
while time.time() < start:
    pass
print("\\n".join(suite.claim_run_folder("p", 2023, "zh").name for _ in range(25)))
"""


@pytest.mark.slow
def test_concurrent_runs_never_claim_the_same_run_folder(tmp_path: Path):
    # two processes released at the same instant each claim 25 run folders of one plan
    import time

    env = {**os.environ, "PLANLIB_ROOT": str(tmp_path)}
    start = str(time.time() + 1.5)
    procs = [subprocess.Popen([sys.executable, "-c", _CLAIMER, start], env=env, text=True,
                              stdout=subprocess.PIPE) for _ in range(2)]
    claimed = [p.communicate(timeout=60)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    names = claimed[0] + claimed[1]
    assert len(set(names)) == 50  # no folder went to both
    runs = tmp_path / "reports" / "p" / "runs"
    assert sorted(p.name for p in runs.iterdir()) == sorted(f"2023-zh-{n}"
                                                            for n in range(1, 51))


def test_claiming_run_folders_from_racing_threads(tmp_path: Path, monkeypatch):
    import threading
    import time

    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path)
    pick = suite.next_run_folder

    def slow_pick(*args):  # widen the window between choosing a number and taking it
        folder = pick(*args)
        time.sleep(0.005)
        return folder

    monkeypatch.setattr(suite, "next_run_folder", slow_pick)
    gate = threading.Barrier(8)
    got: list[Path] = []

    def claim() -> None:
        gate.wait()
        got.extend(suite.claim_run_folder("p", 2023, "en") for _ in range(10))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 80 and all(p.is_dir() for p in got)
    assert max(int(p.name.rsplit("-", 1)[1]) for p in got) == 80


def test_select_notebooks_by_number_or_name():
    assert suite.select_notebooks(None) == suite.NOTEBOOKS
    assert suite.select_notebooks("3.0, 1.0") == ("1.0-data-check", "3.0-outlook")
    assert suite.select_notebooks("2.0-trends") == ("2.0-trends",)


# ------------------------------------------------------------------ rerun with new data

# A researcher's update, as the README shows it: the 2022 values revised, 2023 added.
UPDATE_2023 = (
    "指标代码,指标名称,2022年,2023年\n"
    "fitness_good_excellent_rate,学生体质健康优良率,53.5,56.0\n"
    "myopia_rate_overall,儿童青少年总体近视率,,52.8\n"
    "public_kg_first_grade_share,公办一级幼儿园占比,,47.9\n"
)


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow
def test_rerun_with_new_data_changes_outputs_keeps_earlier_run_and_raw_data(tmp_path: Path):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW_DIR / "demo_city", raw / "demo_city")
    env = {**os.environ, "PLANLIB_ROOT": str(tmp_path)}
    runs = tmp_path / "reports" / "demo_city" / "runs"

    before = planlib_cli("run", "--plan", "demo_city", "--notebooks", "1.0", env=env)
    assert before.returncode == 0, before.stderr
    (raw / "demo_city" / "updates" / "2023.csv").write_text(UPDATE_2023, encoding="utf-8")
    raw_hash = _tree_hash(raw)
    after = planlib_cli("run", "--plan", "demo_city", "--as-of", "2024", "--notebooks", "1.0",
                        env=env)
    assert after.returncode == 0, after.stderr
    assert _tree_hash(raw) == raw_hash  # nothing under data/raw/ was written

    assert sorted(p.name for p in runs.iterdir()) == ["2023-zh-1", "2024-zh-1"]
    old = pd.read_csv(runs / "2023-zh-1/processed/evaluation.csv", encoding="utf-8-sig")
    new = pd.read_csv(runs / "2024-zh-1/processed/evaluation.csv", encoding="utf-8-sig")
    old, new = old.set_index("indicator_id"), new.set_index("indicator_id")
    assert old.loc["fitness_good_excellent_rate", "latest_value"] == 52.0
    assert new.loc["fitness_good_excellent_rate", "latest_value"] == 56.0
    assert new.loc["fitness_good_excellent_rate", "latest_year"] == 2023
    assert new.loc["myopia_rate_overall", "latest_value"] == 52.8
    assert new.loc["fitness_good_excellent_rate", "p_meet"] != \
        old.loc["fitness_good_excellent_rate", "p_meet"]
    # the override warning lists the replaced value, in Chinese (the run's language), in
    # the console and in notebook 1.0
    replaced = re.search(r"提示：.*2022\.xlsx.*：fitness_good_excellent_rate 2022：52被后读文件的"
                         r"53\.5替换（.*2023\.csv，第2行）", after.stdout)
    assert replaced, after.stdout
    nb = nbformat.read(runs / "2024-zh-1/notebooks/1.0-data-check.ipynb", as_version=4)
    assert "被后读文件的53.5替换" in _outputs_text(nb)


# ------------------------------------------------------------------ every plan


def _copy_plan(raw: Path, plan_id: str) -> Path:
    """The demo plan under another id (a plan of its own for --plan all)."""
    folder = raw / plan_id
    shutil.copytree(config.RAW_DIR / "demo_city", folder)
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("id: demo_city", f"id: {plan_id}",
                                                             1), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_run_all_gives_each_plan_a_folder_and_a_line_and_goes_on_after_bad_input(
        tmp_path: Path):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW_DIR / "demo_city", raw / "demo_city")
    _copy_plan(raw, "a_city")
    broken = _copy_plan(raw, "b_broken") / "observations.csv"
    text = broken.read_bytes().decode("gb18030").replace("45.2%", "abc", 1)
    broken.write_bytes(text.encode("gb18030"))
    env = {**os.environ, "PLANLIB_ROOT": str(tmp_path)}
    done = planlib_cli("run", "--plan", "all", "--notebooks", "1.0", env=env)
    assert done.returncode == 2, done.stderr  # only bad input went wrong
    assert "b_broken" in done.stderr and "observations.csv, row 2" in done.stderr
    assert "abc" in done.stderr
    reports = tmp_path / "reports"
    for plan_id in ("a_city", "demo_city"):  # the plan after the broken one still ran
        notebook = reports / plan_id / "runs" / "2023-zh-1" / "notebooks" / "1.0-data-check.ipynb"
        assert _errors(nbformat.read(notebook, as_version=4)) == []
        assert plan_id in _outputs_text(nbformat.read(notebook, as_version=4))
    assert not [p for p in (reports / "b_broken").rglob("*") if not p.is_dir()]
    assert not (reports / "b_broken" / "runs" / "2023-zh-1").exists()  # claimed, given back
    summary = done.stdout[re.search(r"^plan +status", done.stdout, re.M).start():].splitlines()
    assert [line.split()[:2] for line in summary[1:]] == [
        ["a_city", "ok"], ["b_broken", "REFUSED"], ["demo_city", "ok"]]
    assert "reports/demo_city/runs/2023-zh-1" in summary[3]


@pytest.mark.slow
def test_run_all_exits_1_when_a_notebook_fails_and_still_runs_every_plan(out_dir,
        tmp_path: Path, monkeypatch, capsys):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW_DIR / "demo_city", raw / "demo_city")
    _copy_plan(raw, "a_city")
    _failing_notebook(tmp_path / "src")
    monkeypatch.setattr(suite, "SOURCE_DIR", tmp_path / "src")
    monkeypatch.setattr(config, "RAW_DIR", raw)
    code = run(["run", "--plan", "all", "--notebooks", "1.0", "--out", str(out_dir)])
    said = capsys.readouterr()
    assert code == 1
    for plan_id in ("a_city", "demo_city"):
        partial = out_dir / plan_id / "notebooks" / "1.0-data-check.ipynb"
        assert _errors(nbformat.read(partial, as_version=4)) == ["ValueError: boom"]
        assert f"planlib run: {plan_id}: notebook 1.0-data-check failed" in said.err
        assert re.search(rf"^{plan_id} +FAILED .*out/{plan_id} +notebook 1.0-data-check "
                         "failed: ValueError$", said.out, re.MULTILINE), said.out


# ------------------------------------------------------------------ planlib init


@pytest.mark.slow
def test_init_creates_a_plan_that_validates_and_evaluates(out_dir, tmp_path: Path):
    folder = tmp_path / "my plan"
    done = planlib_cli("init", str(folder))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "data", "outputs",
                                                        "plan.yaml"]
    assert sorted(p.name for p in (folder / "data").iterdir()) == ["data.csv", "data.xlsx"]
    plan_text = (folder / "plan.yaml").read_text(encoding="utf-8")
    assert "id: my_plan " in plan_text
    header = (folder / "data" / "data.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("指标代码,指标名称,单位,2018年")
    valid = planlib_cli("validate", "--plan", str(folder))
    assert valid.returncode == 0, valid.stderr
    assert "10 observations of 2 series in 1 file(s)" in valid.stdout
    # the workbook template holds the same data
    xlsx = planlib_cli("validate", "--plan", str(folder), str(folder / "data" / "data.xlsx"))
    assert xlsx.returncode == 0 and "10 observations of 2 series" in xlsx.stdout
    ev = planlib_cli("evaluate", "--plan", str(folder), "--out", str(out_dir))
    assert ev.returncode == 0, ev.stderr
    table = pd.read_csv(out_dir / "evaluation.csv", encoding="utf-8-sig")
    assert list(table["indicator_id"]) == ["example_rate", "example_places_added"]
    assert table["p_meet"].between(0.01, 0.99).all()  # a live example, not a foregone one
    again = planlib_cli("init", str(folder))
    assert again.returncode == 2 and "exists already" in again.stderr


def test_every_plan_field_is_commented_in_the_skeleton():
    from planlib.inputs.plan import Indicator, PlanMeta
    from planlib.skeleton import PLAN_TEMPLATE

    lines = PLAN_TEMPLATE.splitlines()
    for field in [*PlanMeta.model_fields, *Indicator.model_fields, "data", "status_cutoffs",
                  "fit_from", "schedule"]:
        line = next((ln for ln in lines if re.match(rf"\s*#?\s*-?\s*{field}:", ln)), None)
        assert line is not None and "#" in line, field


# ------------------------------------------------------------------ the kernel


def _kernel_spec(root: Path, argv0: str) -> Path:
    spec = root / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps({"argv": [argv0, "-m", "ipykernel_launcher", "-f",
                                         "{connection_file}"],
                                "display_name": "Python 3", "language": "python"}),
                    encoding="utf-8")
    return spec


def test_kernel_check_refuses_a_python3_kernel_of_another_interpreter(tmp_path: Path,
                                                                       monkeypatch):
    from planlib.errors import InputError

    suite.check_kernel()  # this environment's own kernel passes
    spec = _kernel_spec(tmp_path / "other", "/opt/elsewhere/bin/python3")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "other"))
    with pytest.raises(InputError) as info:
        suite.check_kernel()
    assert str(spec) in str(info.value) and "/opt/elsewhere/bin/python3" in str(info.value)
    assert sys.executable in str(info.value)
    _kernel_spec(tmp_path / "alias", "python")  # jupyter_client runs "python" as sys.executable
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "alias"))
    suite.check_kernel()


def test_every_bad_run_option_is_listed_at_once_before_a_folder_is_claimed(tmp_path: Path):
    """`planlib run`'s door checks the run options together (as evaluate's does): a bad
    as_of, model, levels and seed in one InputError, and no run folder made."""
    from planlib.errors import InputError

    out = tmp_path / "run"
    with pytest.raises(InputError) as err:
        suite.run_suite("demo_city", as_of=1900, model="bogus", levels=[150], seed=-1,
                        out=out, say=lambda *a, **k: None)
    assert sorted(p.file for p in err.value.problems) == ["as_of", "levels", "model", "seed"]
    assert not out.exists()
