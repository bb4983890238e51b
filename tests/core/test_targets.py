"""The target-kind registry (`core/targets`): every kind the plan schema accepts has its
module and spec, its plan checks reach the YAML line, and its rules give the same numbers on
a panel of many rows as in their one-row (scalar) use, on the shipped plans' real series."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from planlib.core.progress import TargetSpec, batch_progress, progress, target_level, target_levels
from planlib.core.targets import registry
from planlib.core.targets.registry import KINDS, PLAN_KINDS, flow_total, kind_of
from planlib.errors import InputError
from planlib.inputs.observations import load_observations
from planlib.inputs.plan import TARGET_KINDS, load_plan, parse_plan

#: National rates (cn_education_14th) and a city's rates, counts and flows (demo_city).
SHIPPED = ("cn_education_14th", "demo_city")
T0, T, AS_OF = 2020, 2025, 2023


@cache
def shipped_series() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """(years, values) of every series of the shipped plans, sorted by year."""
    out = []
    for plan_id in SHIPPED:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obs = load_observations(load_plan(plan_id))
        for _, rows in obs.dropna(subset=["value"]).groupby(["indicator_id", "region"]):
            rows = rows.sort_values("year")
            out.append((rows["year"].to_numpy(dtype="int64"),
                        rows["value"].to_numpy(dtype="float64")))
    return tuple(out)


def panel(series: tuple[tuple[np.ndarray, np.ndarray], ...]
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The padded (S, N) level panel progress reads: years and values up to AS_OF - 1."""
    kept = [(y[y <= AS_OF - 1], v[y <= AS_OF - 1]) for y, v in series]
    n = np.array([len(y) for y, _ in kept])
    years, values = np.zeros((len(kept), n.max())), np.zeros((len(kept), n.max()))
    for i, (y, v) in enumerate(kept):
        years[i, :n[i]], values[i, :n[i]] = y, v
    return years, values, n


def kind_targets(kind: str, latest: np.ndarray) -> tuple[int, np.ndarray]:
    """A direction and a per-row target value of ``kind`` near each series' latest value
    (a floor 10 % above it, a ceiling 10 % below, a rise of 5 % of it a year, 20 % more
    over the plan, 5 % growth a year)."""
    values = {"level_at_least": latest * 1.1, "milestone": latest * 1.1,
              "level_at_most": latest * 0.9, "annual_change": latest * 0.05,
              "cumulative_increase": latest * 0.2, "average_growth": np.full_like(latest, 5.0)}
    return (-1 if kind == "level_at_most" else 1), values[kind]


def test_every_kind_the_plan_accepts_is_registered_in_a_module_of_its_own() -> None:
    assert PLAN_KINDS == TARGET_KINDS
    folder = Path(registry.__file__).parent
    for name in PLAN_KINDS:
        assert kind_of(name).name == name
        assert (folder / f"{name}.py").is_file(), f"no module core/targets/{name}.py"
    assert set(KINDS) == {*PLAN_KINDS, "context"}
    with pytest.raises(ValueError, match="unknown target kind 'floor'"):
        kind_of("floor")


def test_only_a_cumulative_increase_on_flow_data_is_a_running_total() -> None:
    assert [k for k in PLAN_KINDS if flow_total(k, "flow")] == ["cumulative_increase"]
    assert not any(flow_total(k, "stock") for k in KINDS)
    assert [k for k in PLAN_KINDS if kind_of(k).is_path] == [
        "annual_change", "cumulative_increase", "average_growth"]


@pytest.mark.parametrize(("kind", "direction", "value", "row", "message"), [
    ("level_at_least", "decrease", 5, 3,
     "level_at_least target with direction: decrease; use increase"),
    ("level_at_most", "increase", 5, 3,
     "level_at_most target with direction: increase; use decrease"),
    ("milestone", "increase", 150, 3, "target value 150.0 lies outside bounds [0.0, 100.0]"),
    ("annual_change", "decrease", 0.5, 3, "annual_change 0.5 contradicts direction: decrease "
     "(a fall is negative and goes with decrease)"),
    ("cumulative_increase", "increase", -3, 3,
     "cumulative_increase value must be positive (the total to add)"),
    ("average_growth", "increase", 1500, 7, "average_growth is a growth rate in percent a "
     "year, and 1500 is outside (-100, 1000]: write 5 for 5 % a year"),
])
def test_each_kinds_plan_check_is_reported_at_its_yaml_line(
        kind: str, direction: str, value: float, row: int, message: str) -> None:
    """The kind's own check (from its module) reaches the plan's problems unchanged: the
    indicator's line for the indicator-wide checks, the value's line for the value's."""
    text = ("plan: {id: t, title_zh: 测试, baseline_year: 2020, target_year: 2025, as_of: 2023}\n"
            f"indicators:\n  - id: a\n    name_zh: A\n    direction: {direction}\n"
            f"    bounds: [0, 100]\n    target: {{kind: {kind}, value: {value}}}\n")
    with pytest.raises(InputError) as err:
        parse_plan(text, display="plan.yaml")
    (problem,) = err.value.problems
    assert problem.row == row and problem.message == message, str(problem)


@pytest.mark.parametrize("kind", PLAN_KINDS)
def test_array_progress_equals_its_one_row_use_on_shipped_series(kind: str) -> None:
    """batch_progress on all shipped series at once (each row with its own target value,
    as areas have) gives exactly what `progress` gives series by series."""
    series = shipped_series()
    years, values, n = panel(series)
    latest = values[np.arange(len(n)), n - 1]
    direction, value = kind_targets(kind, latest)
    spec = TargetSpec(kind, math.nan, T, T0, direction)
    cols = batch_progress(years, values, n, spec, value=value)
    assert np.isfinite(cols["target_value"]).sum() >= len(series) - 1
    for i, (y, v) in enumerate(series):
        one = progress(y, v, replace(spec, value=float(value[i])), as_of=AS_OF)
        got = [one.baseline_value, one.target_level, one.schedule_share, one.progress_share,
               one.progress_ratio, one.required_pace, one.recent_pace,
               one.acceleration_needed, one.growth_ratio]
        want = [cols[c][i] for c in ("baseline_value", "target_value", "schedule_share",
                                     "progress_share", "progress_ratio", "required_pace",
                                     "recent_pace", "acceleration_needed", "growth_ratio")]
        np.testing.assert_array_equal(got, want, err_msg=f"{kind}, series {i}")
        assert one.status == cols["progress_status"][i]


@pytest.mark.parametrize("kind", PLAN_KINDS)
@pytest.mark.parametrize("measure", ["stock", "flow"])
def test_level_and_plan_line_on_many_rows_equal_their_one_row_use(kind: str,
                                                                 measure: str) -> None:
    """A kind's equivalent level and its plan line, on every shipped series' baseline at
    once, equal `target_level` and the line of each row alone (the line to the last bit
    but one: numpy's vectorised pow may round the last bit unlike the scalar one)."""
    years, values, n = panel(shipped_series())
    base = values[:, 0]
    _, value = kind_targets(kind, values[np.arange(len(n)), n - 1])
    spec = TargetSpec(kind, 1.0, T, T0, 1, measure)
    level = target_levels(spec, base, value)
    assert level.tolist() == [target_level(spec, float(b), float(v))
                              for b, v in zip(base, value, strict=True)]
    line = kind_of(kind).line
    share = np.linspace(0, 1, len(base))
    one = [float(line(np.asarray(b), np.asarray(v), float(s)))
           for b, v, s in zip(base, level, share, strict=True)]
    np.testing.assert_allclose(line(base, level, share), one, rtol=1e-15, atol=0)
    assert one[0] == base[0] and one[-1] == pytest.approx(level[-1], rel=1e-12)
