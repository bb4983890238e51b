"""A planlib project: `planlib init`, outputs under the project's outputs/<plan_id>/,
found from the plan's location and the working directory; this repository's own layout
unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planlib import config
from planlib.cli import run
from planlib.project_folder import REPOSITORY, Project, find_plan_file, project_of, working_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "我的项目"
    assert run(["init", str(folder)]) == 0
    return folder


def test_shipped_plans_keep_this_repositorys_layout():
    shipped = project_of(config.plan_path("demo_city"))
    assert shipped == REPOSITORY
    assert shipped.processed_dir("demo_city") == config.ROOT / "data" / "processed" / "demo_city"
    assert shipped.figures_dir("demo_city") == config.ROOT / "figures" / "demo_city"
    assert shipped.report_dir("demo_city") == config.ROOT / "reports" / "demo_city"
    assert shipped.runs_dir("demo_city") == config.ROOT / "reports" / "demo_city" / "runs"
    assert shipped.outputs_root() is None


def test_a_plan_in_another_data_raw_folder_uses_that_folders_layout(tmp_path: Path):
    plan = tmp_path / "data" / "raw" / "p" / "plan.yaml"
    layout = project_of(plan)
    assert layout == Project(tmp_path.resolve(), repository=True)
    assert layout.processed_dir("p") == tmp_path.resolve() / "data" / "processed" / "p"


def test_init_makes_a_project_whose_outputs_stay_inside_it(project: Path, capsys):
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "data", "outputs",
                                                         "plan.yaml"]
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "planlib run" in readme and "outputs/plan/runs/" in readme
    plan_id = "plan"  # "我的项目" has no letters an id may hold
    assert f"id: {plan_id} " in (project / "plan.yaml").read_text(encoding="utf-8")
    plan = str(project)
    assert run(["evaluate", "--plan", plan]) == 0
    assert run(["figures", "--plan", plan, "--format", "svg"]) == 0
    assert run(["report", "--plan", plan, "--format", "md"]) == 0
    out = project / "outputs" / plan_id
    table = pd.read_csv(out / "processed" / "evaluation.csv", encoding="utf-8-sig")
    assert list(table["indicator_id"]) == ["example_rate", "example_places_added"]
    assert (out / "figures" / "zh" / "progress.svg").is_file()
    report = (out / "report" / "zh" / "report.md").read_text(encoding="utf-8")
    # the data file is named as the project knows it, never by its absolute path
    assert "data/data.csv" in report and str(project) not in report
    assert "outputs/plan/figures/zh/" in capsys.readouterr().out


def test_outputs_are_never_read_back_as_data(project: Path):
    plan = project / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace('data: ["data/data.csv"]',
                                                    'data: ["**/*.csv"]')
    plan.write_text(text, encoding="utf-8")
    assert run(["evaluate", "--plan", str(project)]) == 0
    assert (project / "outputs" / "plan" / "processed" / "evaluation.csv").is_file()
    # a second run would read the tables above as data if outputs/ were globbed
    from planlib.inputs.plan import load_plan

    assert [p.relative_to(project) for p in load_plan(project).data_files()] == [
        Path("data/data.csv")]
    # --out inside outputs/ is the project's; elsewhere in the plan's folder it is refused
    assert run(["evaluate", "--plan", str(project), "--out",
                str(project / "outputs" / "mine")]) == 0
    assert run(["evaluate", "--plan", str(project), "--out", str(project / "data")]) == 2


def test_commands_find_the_project_from_the_working_directory(project: Path, monkeypatch):
    monkeypatch.chdir(project / "data")
    assert find_plan_file() == (project / "plan.yaml").resolve()
    assert working_project() == Project(project.resolve(), repository=False)
    assert run(["evaluate"]) == 0  # no --plan: the project's own plan
    assert (project / "outputs" / "plan" / "processed" / "evaluation.csv").is_file()
    assert not (project / "data" / "outputs").exists()


def test_outside_any_project_the_working_directory_is_one(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if find_plan_file() is None:  # (a stray plan.yaml above the test folder would win)
        assert working_project() == Project(tmp_path.resolve(), repository=False)


def test_init_never_overwrites(project: Path):
    assert run(["init", str(project)]) == 2
