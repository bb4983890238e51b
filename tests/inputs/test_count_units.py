"""One rule for what a count is (units.is_count): a negative value is refused for units
counting things (名, 万人, places) and not for ratios such as "places per 1,000
population", which the parts-add-up check also does not treat as a count."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlib.errors import InputError
from planlib.inputs.observations import read_observations
from planlib.inputs.plan import load_plan
from planlib.inputs.units import is_count

PLAN = """plan: {id: counts, title_zh: 计数, baseline_year: 2020, target_year: 2025, as_of: 2023}
data: ["*.csv"]
indicators:
  - {id: teachers, name_zh: 专任教师, unit: 名, direction: increase,
     target: {kind: milestone, value: 100}}
  - {id: pupils, name_zh: 在校生, unit: 万人, direction: increase,
     target: {kind: milestone, value: 100}}
  - {id: places_per_1000, name_zh: 千人托位, unit: "places per 1,000 population",
     direction: increase, target: {kind: milestone, value: 4.5}}
"""


@pytest.mark.parametrize(("unit", "count"), [
    ("名", True), ("万人", True), ("所", True), ("places", True),
    ("places per 1,000 population", False), ("人/千人", False), ("%", False), ("元", False)])
def test_is_count(unit: str, count: bool) -> None:
    assert is_count(unit) is count


def test_negative_values_refused_for_counts_only(tmp_path: Path) -> None:
    """-3 teachers (名) and -1.5 万人 pupils are refused at their rows; a change of
    -0.2 places per 1,000 population, a ratio, is not a count."""
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "data.csv").write_text(
        "indicator_id,year,value\n"
        "teachers,2021,90\nteachers,2022,-3\n"
        "pupils,2021,-1.5\npupils,2022,20\n"
        "places_per_1000,2021,2.5\nplaces_per_1000,2022,-0.2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_observations(load_plan(tmp_path))
    negative = [(p.row, p.value) for p in caught.value.problems
                if "a count cannot be negative" in p.message]
    assert negative == [(3, "-3"), (4, "-1.5")]
