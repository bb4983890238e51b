"""`planlib propose` end to end on the shipped 2026-2030 example plan (issue #17)."""

import math
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
