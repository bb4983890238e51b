"""`planlib propose` end to end on the shipped 2026-2030 example plan (issue #17), and its
targets.csv in the processed folder's one manifest beside evaluate's tables (issue #15)."""

import hashlib
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

import planlib
from planlib.cli import run
from planlib.core.proposal import needed_levels, proposal_columns
from planlib.core.stages import stage

PLAN = "cn_education_15th_draft"


@pytest.fixture(scope="module")
def targets(tmp_path_factory) -> tuple[pd.DataFrame, Path]:
    out = tmp_path_factory.mktemp("propose")
    assert run(["propose", "--plan", PLAN, "--out", str(out)]) == 0
    path = out / "targets.csv"
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False,
                       na_values=[""]), path


def test_targets_csv_has_the_documented_columns_and_one_row_per_indicator(targets):
    table, _ = targets
    plan = planlib.load_plan(PLAN)
    assert list(table.columns) == proposal_columns((50, 80, 90))
    assert list(table.indicator_id) == [ind.id for ind in plan.indicators]
    assert (table.target_year == 2030).all()


def test_levels_are_ordered_in_the_direction_of_improvement(targets):
    table, _ = targets
    table = table[table.reliability == "reliable"]  # the others leave p50-p90 empty
    up, down = table[table.direction == "increase"], table[table.direction == "decrease"]
    # myopia, the one falling indicator, has 5 values for 2030: flagged (test_reliability)
    assert len(up) == 5 and down.empty
    assert (up.p50 >= up.p80).all() and (up.p80 >= up.p90).all()


def test_the_draft_band_agrees_with_the_levels(targets):
    """A draft the p90 level reaches is met with P >= 0.9 and called safe; one beyond the
    median is met with P < 0.5 and never called safe or ambitious."""
    table, _ = targets
    d = table.direction.map({"increase": 1, "decrease": -1})
    safe = d * (table.p90 - table.draft_target) >= 0
    assert safe.any() and (~safe).any()
    assert (table.p_draft[safe] >= 0.9 - 1e-9).all()
    assert (table.draft_band[safe] == "safe").all()
    beyond = d * (table.p50 - table.draft_target) < 0
    assert beyond.any() and (table.p_draft[beyond] < 0.5 + 1e-9).all()
    assert not table.draft_band[beyond].isin(["safe", "ambitious"]).any()
    assert set(table.draft_band_zh) <= {"稳妥", "积极", "有挑战", "难以实现", "无法测算",
                                        "无法可靠预测"}
    # no level, no P: a draft is never called safe from a projection that cannot be used
    unusable = table.p50.isna()
    assert unusable.any() and table.p_draft[unusable].isna().all()
    assert (table.draft_band[unusable & table.reliability.ne("")] == "unreliable").all()


def test_the_example_is_at_the_planning_stage():
    plan = planlib.load_plan(PLAN)
    ev = planlib.evaluate(plan, planlib.load_observations(plan), levels=needed_levels((50,)))
    latest = [math.nan if r.latest_year is None else r.latest_year for r in ev]
    assert set(stage(2025, 2030, ev.as_of, latest)) == {"planning"}


def test_reruns_give_the_same_bytes(targets, tmp_path):
    _, first = targets
    assert run(["propose", "--plan", PLAN, "--out", str(tmp_path)]) == 0
    assert (tmp_path / "targets.csv").read_bytes() == first.read_bytes()


def test_bad_levels_and_an_output_folder_among_the_inputs_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        run(["propose", "--plan", PLAN, "--levels", "40,80"])
    assert exc.value.code == 2
    assert "from 50 to 99" in capsys.readouterr().err
    raw = Path(planlib.load_plan(PLAN).path).parent
    messages: list[str] = []
    assert run(["propose", "--plan", PLAN, "--out", str(raw / "out")], messages.append) == 2
    assert "--out" in messages[0] and not (raw / "out").exists()


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _in_order(folder: Path, *commands: str) -> Path:
    for command in commands:
        assert run([command, "--plan", PLAN, "--out", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def both_orders(tmp_path_factory) -> dict[str, Path]:
    """The processed folder after evaluate then propose, and after propose then evaluate."""
    return {"evaluate, propose": _in_order(tmp_path_factory.mktemp("ep"), "evaluate", "propose"),
            "propose, evaluate": _in_order(tmp_path_factory.mktemp("pe"), "propose", "evaluate")}


@pytest.mark.slow
def test_either_order_leaves_a_manifest_of_every_file_with_its_checksum(both_orders):
    tables = {"evaluation.csv", "evaluation.parquet", "observations.csv",
              "observations.parquet"}
    for order, folder in both_orders.items():
        manifest, digest = _manifest(folder), _digest(folder)
        assert set(digest) == {*tables, "targets.csv", "manifest.json"}, order
        assert {o["path"]: o["sha256"] for o in manifest["outputs"]} == {
            k: v for k, v in digest.items() if k != "manifest.json"}, order
        # the last command is described at the top, the other under `earlier` with the
        # files it wrote; both read the same plan and data
        [earlier] = manifest["earlier"]
        last, first = (manifest, earlier) if order.endswith("propose") else (earlier, manifest)
        assert last["parameters"] == {"as_of": 2026, "levels": [60, 80], "model": "auto",
                                      "plan_id": PLAN, "probabilities": [50, 80, 90],
                                      "seed": 0}, order
        assert first["parameters"] == {"as_of": 2026, "levels": [80, 95], "model": "auto",
                                       "plan_id": PLAN, "seed": 0}, order
        assert earlier["files"] == (sorted(tables) if earlier is first else ["targets.csv"])
        assert "columns" in first and "columns" not in last
        assert earlier["inputs"] == manifest["inputs"] and earlier["plan"] == manifest["plan"]
    ep, pe = (_digest(f) for f in both_orders.values())
    assert {k: v for k, v in ep.items() if k != "manifest.json"} == {
        k: v for k, v in pe.items() if k != "manifest.json"}


@pytest.mark.slow
def test_reruns_in_any_folder_give_the_same_bytes_manifest_included(both_orders, tmp_path):
    folder = _in_order(tmp_path, "evaluate", "propose")
    assert _digest(folder) == _digest(both_orders["evaluate, propose"])
    _in_order(folder, "propose")  # the same command again changes nothing
    assert _digest(folder) == _digest(both_orders["evaluate, propose"])
    _in_order(folder, "evaluate")  # evaluate last: as if propose had come first
    assert _digest(folder) == _digest(both_orders["propose, evaluate"])


@pytest.mark.slow
@pytest.mark.parametrize("failing", ["targets.csv", "manifest.json"])
def test_a_failed_commit_leaves_the_previous_files_and_manifest(both_orders, tmp_path,
                                                                 monkeypatch, failing):
    from planlib.outputs.files import staging

    folder = tmp_path / "processed"
    shutil.copytree(both_orders["propose, evaluate"], folder)
    before = _digest(folder)
    real_replace = staging.os.replace

    def replace(src, dst):  # moving one staged file into the folder fails (not the
        # rollback's move of the old version back from .previous/)
        if Path(src).parent.name.startswith(".processed.staging-") and \
                Path(dst) == folder / failing:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(staging.os, "replace", replace)
    messages: list[str] = []
    assert run(["propose", "--plan", PLAN, "--out", str(folder), "--levels", "50,95"],
               messages.append) == 2
    assert "the drive is full" in messages[0]
    assert _digest(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed"]  # no staging left
