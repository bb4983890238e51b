"""Drivers and context series in the plan: located errors, and context rows read quietly."""

import shutil
from pathlib import Path

import pytest

from planlib.errors import InputError
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan, parse_plan

HEAD = """plan: {id: t, title_zh: 测试, baseline_year: 2020, target_year: 2025, as_of: 2023}
indicators:
  - id: kg
    name_zh: 在园幼儿数
    direction: increase
    target: {kind: level_at_least, value: 1}
"""
NATIONAL = Path(__file__).resolve().parents[2] / "data/raw/cn_education_14th"


def problems(text: str) -> list:
    with pytest.raises(InputError) as err:
        parse_plan(text, display="plan.yaml")
    return err.value.problems


def test_a_driver_on_a_declared_context_series_is_accepted():
    plan = parse_plan(HEAD + "    driver: {series: births, lags: [5, 3, 4]}\n"
                      "context:\n  - {id: births, name_zh: 出生人口, unit: 万人}\n")
    assert plan.indicator("kg").driver.series == "births"
    assert plan.indicator("kg").driver.lags == [3, 4, 5]
    assert [c.id for c in plan.context] == ["births"]


@pytest.mark.parametrize(("driver", "context", "row", "field", "words"), [
    ("{series: birth, lags: [3, 4, 5]}", "  - {id: births, name_zh: 出生人口}\n", 7,
     "indicators.0.driver.series", "neither a plan indicator nor a context series"),
    ("{series: kg, lags: [3]}", "", 7, "indicators.0.driver.series", "its own driver"),
    ("{series: births, lags: [3, -1]}", "  - {id: births, name_zh: 出生人口}\n", 7,
     "indicators.0.driver.lags", "not ages"),
    ("{series: births, lags: [3, 3]}", "  - {id: births, name_zh: 出生人口}\n", 7,
     "indicators.0.driver.lags", "repeat an age"),
    ("{series: births, lags: []}", "  - {id: births, name_zh: 出生人口}\n", 7,
     "indicators.0.driver.lags", "at least 1"),
    ("{series: births, lag: [3]}", "  - {id: births, name_zh: 出生人口}\n", 7,
     "indicators.0.driver.lag", "unknown field"),
    ("{series: births, lags: [3]}", "  - {id: kg, name_zh: 重复}\n", 9, "context.0.id",
     "also a plan indicator's series"),
])
def test_driver_and_context_mistakes_name_their_line(driver, context, row, field, words):
    text = HEAD + f"    driver: {driver}\n" + ("context:\n" + context if context else "")
    found = [p for p in problems(text) if p.column == field]
    assert found, problems(text)
    assert found[0].row == row and words in found[0].message and found[0].fix


@pytest.fixture()
def plan_dir(tmp_path: Path) -> Path:
    """The national plan without its context (births, kindergarten enrolment), births read
    beside its observations."""
    folder = tmp_path / "cn"
    shutil.copytree(NATIONAL, folder)
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    text = text[:text.index("  - id: kindergarten_enrolment")]  # its driver and context
    start, end = text.index("data: ["), text.index("indicators:")
    text = text[:start] + 'data: ["observations*.csv", "context/births.csv"]\n' + text[end:]
    assert "context/births.csv" in text
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return folder


def test_declared_context_series_reach_the_frame_without_a_warning(plan_dir: Path):
    before = read_observations(load_plan(plan_dir))
    assert any(w.code == "series_not_in_plan" and "births" in w.text("en")
               for w in before.warnings)
    with (plan_dir / "plan.yaml").open("a", encoding="utf-8") as f:
        f.write("context:\n  - {id: births, name_zh: 出生人口, unit: 万人, source: NBS}\n"
                "  - {id: kindergarten_enrolment, name_zh: 在园幼儿数}\n")
    after = read_observations(load_plan(plan_dir))
    births = after.frame[after.frame.indicator_id == "births"].set_index("year")["value"]
    assert births.index.min() == 2000 and births[2020] + births[2021] + births[2022] == 3218
    assert not any("births" in w.text("en") or "kindergarten_enrolment" in w.text("en")
                   for w in after.warnings)
    assert any("birth_rate" in w.text("en") for w in after.warnings)  # undeclared: still said


def test_a_row_id_one_keystroke_from_a_context_id_is_a_typo(plan_dir: Path):
    (plan_dir / "context" / "extra.csv").write_text(
        "indicator_id,year,value\nbirthz,2021,1062\n", encoding="utf-8")
    text = (plan_dir / "plan.yaml").read_text(encoding="utf-8")
    text = text.replace('"context/births.csv"]', '"context/births.csv", "context/extra.csv"]')
    text += "context:\n  - {id: births, name_zh: 出生人口}\n"
    (plan_dir / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(load_plan(plan_dir))
    assert any("did you mean 'births'" in p.message and p.row == 2
               for p in err.value.problems)
