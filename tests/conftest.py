"""What every test folder shares: plans and observations built in code, the shared test
indicators, the shipped plans' runs (computed once per session), plan folders and output
folders under the test's temporary directory; and the `slow` marker that `make test-fast`
leaves out."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

from planlib.core.result import Evaluation
from planlib.inputs.plan import Plan, parse_plan
from planlib.pipeline import PlanRun, run_plan


def build_plan(*indicators: dict, plan_id: str = "t", title_zh: str = "测试",
               title_en: str | None = None, baseline: int = 2020, target: int = 2025,
               as_of: int = 2023, **top: object) -> Plan:
    """A plan with these indicators (name_zh defaults to the id, direction to increase)
    and any further top-level keys (e.g. status_cutoffs)."""
    head = {"id": plan_id, "title_zh": title_zh, "baseline_year": baseline,
            "target_year": target, "as_of": as_of}
    if title_en is not None:
        head["title_en"] = title_en
    doc = {
        "plan": head,
        **top,
        "indicators": [
            {"name_zh": i.get("id", "x"), "direction": "increase", **i} for i in indicators
        ],
    }
    return parse_plan(yaml.safe_dump(doc, allow_unicode=True))


def observation_frame(indicator_id: str, values: dict, region: str = "",
                      flags: dict | None = None) -> pd.DataFrame:
    """Long observations of one series: {year: value} with optional {year: flag}."""
    flags = flags or {}
    return pd.DataFrame({
        "indicator_id": indicator_id, "region": region, "year": list(values),
        "value": [float(v) for v in values.values()],
        "flag": [flags.get(y) for y in values],
    })


#: Four indicators on two series the core tests share: a rate, a coverage on its bound
#: (the logit opened), a falling count with a growth target, and one fitted from 2015.
INDICATORS: dict[str, dict] = {
    "rate": {"id": "rate", "direction": "increase", "bounds": [0, 100],
             "target": {"kind": "level_at_least", "value": 90}},
    "cover": {"id": "cover", "series": "rate", "direction": "increase", "bounds": [0, 100],
              "target": {"kind": "level_at_least", "value": 100}},
    "count": {"id": "count", "direction": "decrease", "bounds": [0, None],
              "target": {"kind": "average_growth", "value": -2}},
    "fall": {"id": "fall", "series": "count", "direction": "decrease", "bounds": [0, None],
             "target": {"kind": "level_at_most", "value": 120}, "fit_from": 2015},
}


@cache
def _shipped_run(plan_id: str) -> PlanRun:
    """A shipped plan loaded and evaluated with the defaults, nothing written."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_plan(plan_id, write=False)


@pytest.fixture(scope="session")
def make_plan() -> Callable[..., Plan]:
    """The plan builder (see build_plan): ``make_plan({"id": "rate", ...}, as_of=2023)``."""
    return build_plan


@pytest.fixture(scope="session")
def obs() -> Callable[..., pd.DataFrame]:
    """The observations builder (see observation_frame): ``obs("rate", {2020: 50})``."""
    return observation_frame


@pytest.fixture(scope="session")
def indicators() -> dict[str, dict]:
    """The shared test indicators by id (rate, cover, count, fall); copy before changing."""
    return INDICATORS


@pytest.fixture(scope="session")
def shipped_run() -> Callable[[str], PlanRun]:
    """``shipped_run(plan_id)``: the shipped plan's run, computed once per session."""
    return _shipped_run


@pytest.fixture(scope="session")
def shipped() -> Callable[[str], Evaluation]:
    """``shipped(plan_id)``: the shipped plan's evaluation, computed once per session."""
    return lambda plan_id: _shipped_run(plan_id).evaluation


@pytest.fixture
def plan_folder(tmp_path: Path) -> Callable[..., Path]:
    """``plan_folder(plan_yaml, {"a.csv": text})``: a folder (the test's tmp_path unless
    ``folder`` is given) holding plan.yaml and those data files."""
    def write(plan_text: str, files: dict[str, str] | None = None,
              folder: Path = tmp_path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.yaml").write_text(plan_text, encoding="utf-8")
        for name, text in (files or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder
    return write


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An output folder that does not exist yet (the writers create it)."""
    return tmp_path / "out"
