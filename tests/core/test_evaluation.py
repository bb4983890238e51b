"""The evaluation table on the shipped plans and on small synthetic plans."""

import ast
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planlib
from planlib.core.evaluation import CORE_COLUMNS, evaluate


def table_of(*args, **kwargs) -> pd.DataFrame:
    """The evaluation table (the result object's summary frame)."""
    return evaluate(*args, **kwargs).summary_frame()


PROGRESS_CODES = {"achieved", "ahead", "on_schedule", "behind", "moving_away", None}
OUTLOOK_CODES = {"very_likely", "likely", "as_likely_as_not", "unlikely", "very_unlikely",
                 "insufficient_data"}


@pytest.fixture(scope="module")
def national(shipped_run):
    """The national plan and its observations."""
    run = shipped_run("cn_education_14th")
    return run.plan, run.loaded.frame


@pytest.fixture(scope="module")
def national_table(shipped):
    """The national plan's evaluation table (computed once per session)."""
    return shipped("cn_education_14th").summary_frame()


@pytest.mark.slow
def test_national_table_has_the_documented_columns(national_table):
    table = national_table
    assert list(table.columns[: len(CORE_COLUMNS)]) == CORE_COLUMNS
    assert {"name_zh", "name_en", "progress_status_zh", "outlook_status_en"} <= set(table)
    assert len(table) == 9  # 8 targets and kindergarten enrolment, a context indicator
    context = table.indicator_id == "kindergarten_enrolment"
    assert list(table.outlook_status[context]) == ["no_target"]
    assert table.p_meet[context].isna().all()
    table = table[~context]
    assert set(table.progress_status) <= PROGRESS_CODES
    assert set(table.outlook_status) <= OUTLOOK_CODES
    assert table.p_meet.between(0, 1).all()
    assert (table.lo95 <= table.lo80).all() and (table.lo80 <= table["median"]).all()
    assert (table["median"] <= table.hi80).all() and (table.hi80 <= table.hi95).all()


@pytest.mark.slow
def test_national_preschool_row(national_table):
    row = national_table.set_index("indicator_id").loc["preschool_ger"]
    assert (row.baseline_year, row.baseline_value, row.latest_year) == (2020, 85.2, 2022)
    assert row.target_value == 90 and row.n_obs == 14
    assert row.progress_ratio == pytest.approx(4.5 / 4.8 / 0.4)
    assert row.progress_status == "ahead" and row.progress_status_zh == "快于预期"
    assert row.model_reason.startswith("auto:")
    assert row.hi95 <= 100


@pytest.mark.slow
def test_myopia_annual_change_target_level(national_table):
    row = national_table.set_index("indicator_id").loc["myopia_rate_overall"]
    assert row.target_value == pytest.approx(53.6 - 0.5 * 7)
    assert row.baseline_year == 2018 and row.progress_status == "behind"
    assert 0 < row.p_meet < 1


@pytest.mark.slow
def test_same_seed_same_table_and_row_order_does_not_matter(national):
    plan, frame = national
    a = table_of(plan, frame, seed=7)
    shuffled = frame.sample(frac=1, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, table_of(plan, shuffled, seed=7))


@pytest.mark.slow
def test_as_of_changes_the_data_used(national):
    row = table_of(*national, as_of=2022).set_index("indicator_id").loc["preschool_ger"]
    assert row.latest_year == 2021 and row.schedule_share == pytest.approx(0.2)


def test_flow_cumulative_target_uses_joint_paths(make_plan, obs):
    plan = make_plan({"id": "places", "measure": "flow", "bounds": [0, None],
                      "target": {"kind": "cumulative_increase", "value": 20000}})
    data = obs("places", {2017: 2000, 2018: 2300, 2019: 2500, 2020: 3100, 2021: 3800,
                          2022: 4200})
    row = table_of(plan, data).iloc[0]
    assert row.latest_value == 8000 and row.target_value == 20000
    assert row.progress_status == "on_schedule"
    assert row.lo80 > 8000  # the total can only grow from what has been added
    assert row["median"] > 8000 + 3 * 3000  # three more years at no less than ~3000 a year
    assert 0.5 < row.p_meet <= 1
    assert "added so far" in row.notes


def test_regions_give_one_row_each(make_plan, obs):
    plan = make_plan({"id": "rate", "bounds": [0, 100],
                      "target": {"kind": "level_at_least", "value": 60}})
    data = pd.concat([
        obs("rate", {2018: 40, 2019: 42, 2020: 45, 2021: 47, 2022: 50}, region="A区"),
        obs("rate", {2018: 50, 2019: 53, 2020: 55, 2021: 58, 2022: 61}, region="B区"),
    ])
    table = table_of(plan, data)
    assert list(table.region) == ["A区", "B区"]
    assert table.set_index("region").loc["B区", "progress_status"] == "achieved"


def test_break_flag_fits_only_after_the_break(make_plan, obs):
    plan = make_plan({"id": "rate", "bounds": [0, 100],
                      "target": {"kind": "level_at_least", "value": 60}})
    data = obs("rate", {2016: 10, 2017: 11, 2018: 50, 2019: 51, 2020: 52, 2021: 53, 2022: 54},
               flags={2018: "break"})
    row = table_of(plan, data).iloc[0]
    assert row.n_obs == 5
    assert "break in 2018" in row.notes


def test_one_observation_is_insufficient_two_give_a_point_path(make_plan, obs):
    plan = make_plan(
        {"id": "a", "target": {"kind": "level_at_least", "value": 60}},
        {"id": "b", "target": {"kind": "level_at_least", "value": 60}},
    )
    data = pd.concat([obs("a", {2020: 50}), obs("b", {2020: 50, 2022: 54})])
    table = table_of(plan, data).set_index("indicator_id")
    assert table.loc["a", "outlook_status"] == "insufficient_data"
    assert table.loc["a", "model"] == "none"
    b = table.loc["b"]
    assert b["median"] == pytest.approx(60) and math.isnan(b.p_meet) and math.isnan(b.lo80)
    assert b.outlook_status == "insufficient_data" and "point projection" in b.notes


def test_observed_target_year_is_an_outcome_not_a_forecast(make_plan, obs):
    plan = make_plan({"id": "a", "target": {"kind": "level_at_least", "value": 50,
                                              "year": 2022}})
    row = table_of(plan, obs("a", {2019: 40, 2020: 45, 2021: 48, 2022: 51})).iloc[0]
    assert row.model == "observed" and row.p_meet == 1.0 and row["median"] == 51


def test_lower_bound_latest_value_is_said(make_plan, obs):
    plan = make_plan({"id": "a", "target": {"kind": "level_at_least", "value": 15}})
    data = obs("a", {2019: 13.7, 2020: 13.8, 2022: 14.0}, flags={2022: "lower_bound"})
    row = table_of(plan, data).iloc[0]
    assert row.latest_flag == "lower_bound" and "lower bound" in row.notes


def test_coverage_target_on_the_bound_can_be_met(make_plan, obs):
    plan = make_plan({"id": "cov", "bounds": [0, 100],
                      "target": {"kind": "milestone", "value": 100}})
    row = table_of(plan, obs("cov", {2018: 62, 2019: 70, 2020: 78, 2021: 85, 2022: 91})).iloc[0]
    assert row.p_meet > 0.5 and row.hi95 <= 100 and "logit excluded" in row.notes


def test_decreasing_level_target_uses_the_lower_tail(make_plan, obs):
    plan = make_plan({"id": "m", "direction": "decrease", "bounds": [0, 100],
                      "target": {"kind": "level_at_most", "value": 50}})
    falling = table_of(plan, obs("m", {2018: 60, 2019: 58, 2020: 57, 2021: 55, 2022: 54}))
    rising = table_of(plan, obs("m", {2018: 54, 2019: 55, 2020: 57, 2021: 58, 2022: 60}))
    assert falling.p_meet.iloc[0] > 0.5 > rising.p_meet.iloc[0]


SERIES = {2014: 70.5, 2015: 75.0, 2016: 77.4, 2017: 79.6, 2018: 81.7, 2019: 83.4,
          2020: 85.2, 2021: 88.1, 2022: 89.7}


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(85, 99), min_size=2, max_size=4, unique=True))
def test_raising_an_at_least_target_never_raises_p_meet(make_plan, obs, targets):
    targets = sorted(targets)
    plan = make_plan(*[
        {"id": f"t{i}", "series": "pre", "bounds": [0, 100],
         "target": {"kind": "level_at_least", "value": v}} for i, v in enumerate(targets)
    ])
    p = table_of(plan, obs("pre", SERIES), model="linear").p_meet.to_numpy()
    assert np.all(np.diff(p) <= 1e-12)


@pytest.mark.slow
def test_project_is_the_per_year_path_of_the_result(national, national_table):
    plan, frame = national
    path = planlib.project(plan, frame, "higher_ed_ger")
    assert path.year.tolist() == list(range(2010, 2026))
    row = national_table.set_index("indicator_id").loc["higher_ed_ger"]
    last = path.set_index("year").loc[2025]
    assert last["median"] == pytest.approx(row["median"]) and last.hi95 == pytest.approx(row.hi95)
    assert path.set_index("year").loc[2022, "observed"] == row.latest_value
    gone = planlib.project(plan, frame[frame.indicator_id != "higher_ed_ger"], "higher_ed_ger")
    assert gone["median"].isna().all() and gone["observed"].isna().all()


@pytest.mark.slow
@pytest.mark.parametrize("plan_id", ["cn_education_14th", "cn_education_2020", "demo_city"])
def test_every_result_path_agrees_with_its_table_row(plan_id, shipped):
    """A figure drawn from ev[id] can only agree with the table: the target-year row of each
    result's per-year path equals the table's median and intervals."""
    ev = shipped(plan_id)
    table = ev.summary_frame().set_index("indicator_id")
    checked = 0
    for r in ev:
        row = table.loc[r.id]
        at_target = r.summary_frame().set_index("year").loc[r.target_year]
        for col in ("median", "lo80", "hi80", "lo95", "hi95"):
            assert at_target[col] == pytest.approx(row[col], nan_ok=True), (r.id, col)
            checked += not math.isnan(row[col])
        assert r.p_meet == pytest.approx(row.p_meet, nan_ok=True)
    assert checked >= 10


@pytest.mark.slow
def test_cumulative_flow_path_is_the_running_total(shipped):
    r = shipped("demo_city")["childcare_places_added"]
    path = r.summary_frame().set_index("year")
    assert path.loc[2020, "observed"] == 0 and path.loc[2022, "observed"] == r.latest_value
    assert path.loc[2025, "plan_path"] == 20000 and path.loc[2020, "plan_path"] == 0
    assert path.loc[2023:2025, "median"].is_monotonic_increasing
    assert path.loc[2025, "median"] == pytest.approx(r.median)
    assert r.history.set_index("year").loc[2022, "raw_value"] < r.latest_value


@pytest.mark.slow
def test_a_model_that_does_not_apply_falls_back_to_auto_and_says_so(national):
    table = table_of(*national, model="damped").set_index("indicator_id")
    short = table.loc["childcare_places_per_1000"]
    assert short.model != "damped" and "'damped' does not apply" in short.notes
    assert table.loc["preschool_ger", "model"] == "damped"



def _core_imports(root: Path) -> dict[str, set[str]]:
    """planlib.core's modules (under `root`, planlib's folder) and the planlib.core modules
    each imports anywhere in it, function-local imports included."""
    graph: dict[str, set[str]] = {}
    for path in (root / "core").rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = name if parts[-1] == "__init__" else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                deps |= {base, *(f"{base}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[name] = deps
    # a module's import of its own package (its __init__) is how Python reaches it: no edge
    return {m: {d for d in deps if d in graph and d != m and not m.startswith(d + ".")}
            for m, deps in graph.items()}


def _circles(graph: dict[str, set[str]]) -> list[str]:
    """Modules that reach themselves through their imports."""
    out = []
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo += graph[m]
        if start in seen:
            out.append(start)
    return sorted(out)


def test_core_has_no_import_circle_and_no_private_import():
    """The layers of planlib.core: no module imports, directly or through others, a module
    that imports it (function-local imports included), nor another module's private name."""
    root = Path(planlib.__file__).parent
    graph = _core_imports(root)
    assert {"planlib.core.evaluation", "planlib.core.batch.rows"} <= set(graph)
    assert _circles(graph) == []
    assert _circles({**graph, "planlib.core.batch.rows": {"planlib.core.evaluation"}}) != []
    private = re.compile(r"^from planlib\.\S+ import .*\b_[a-z]|^\s+_[a-z]\w*,$", re.M)
    hits = [p.name for p in (root / "core").rglob("*.py")
            if private.search(p.read_text(encoding="utf-8"))]
    assert hits == []
