"""Plan files: the shipped plans load, and every mistake is reported with line and fix."""

import pytest

from planlib import config
from planlib.errors import InputError
from planlib.inputs.plan import load_plan, parse_plan

HEAD = """plan: {id: t, title_zh: 测试, baseline_year: 2020, target_year: 2025, as_of: 2023}
indicators:
"""


def problems(text: str) -> list:
    with pytest.raises(InputError) as err:
        parse_plan(text, display="plan.yaml")
    return err.value.problems


def test_shipped_plans_load_with_resolved_years():
    assert config.shipped_plan_ids() == ["cn_education_14th", "cn_education_15th_draft",
                                         "cn_education_2020", "demo_city", "demo_city_areas"]
    plan = load_plan()
    assert plan.id == "cn_education_14th" and len(plan.indicators) == 9
    context = plan.indicator("kindergarten_enrolment")  # no target: outlook to 2025 only
    assert (context.role, context.target, context.target_year) == ("context", None, 2025)
    myopia = plan.indicator("myopia_rate_overall")
    assert (myopia.baseline.year, myopia.target.year) == (2018, 2025)
    fitness = plan.indicator("fitness_good_excellent_rate")
    assert (fitness.baseline.year, fitness.target.year) == (2018, 2022)
    assert plan.indicator("preschool_ger").baseline.year == 2020
    assert [f.name for f in load_plan("demo_city").data_files()] == ["observations.csv",
                                                                      "2022.xlsx"]
    assert load_plan("cn_education_2020").indicator("preschool_ger_action3").series_id == (
        "preschool_ger")


def test_all_six_target_kinds_are_accepted():
    kinds = ["level_at_least", "level_at_most", "annual_change", "cumulative_increase",
             "average_growth", "milestone"]
    body = "".join(
        f"  - {{id: k{i}, name_zh: K, direction: {'decrease' if k in ('level_at_most', 'annual_change') else 'increase'}, "  # noqa: E501
        f"target: {{kind: {k}, value: {-1 if k == 'annual_change' else 5}}}}}\n"
        for i, k in enumerate(kinds)
    )
    plan = parse_plan(HEAD + body)
    assert [i.target.kind for i in plan.indicators] == kinds


def test_every_mistake_is_reported_with_its_line():
    text = HEAD + """  - id: a
    name_zh: A
    diretion: increase
    target: {kind: level_at_leest, value: 5}
  - id: b
    name_zh: B
    direction: up
    target: {kind: level_at_least, value: 5}
"""
    found = {(p.row, p.column, p.message.split(" ")[0]) for p in problems(text)}
    assert (3, "indicators.0.direction", "required") in found
    assert (5, "indicators.0.diretion", "unknown") in found
    assert (6, "indicators.0.target.kind", "'indicators.0.target.kind'") in found
    assert (9, "indicators.1.direction", "'indicators.1.direction'") in found
    fixes = " ".join(p.fix for p in problems(text))
    assert "level_at_least" in fixes and "'increase' or 'decrease'" in fixes


@pytest.mark.parametrize(("indicator", "message"), [
    ("{id: a, name_zh: A, direction: increase, bounds: [0, 100], "
     "target: {kind: level_at_least, value: 150}}", "outside bounds"),
    ("{id: a, name_zh: A, direction: decrease, target: {kind: level_at_least, value: 5}}",
     "use increase"),
    ("{id: a, name_zh: A, direction: increase, target: {kind: annual_change, value: -1}}",
     "contradicts direction"),
    ("{id: a, name_zh: A, direction: increase, bounds: [100, 0], "
     "target: {kind: milestone, value: 1}}", "lower must be below upper"),
    ("{id: a, name_zh: A, direction: increase, target: {kind: cumulative_increase, value: 0}}",
     "must be positive"),
    ("{id: a, name_zh: A, direction: increase, target: {kind: milestone, value: 1, year: 2019}}",
     "not after its baseline year"),
])
def test_inconsistent_indicators_are_explained(indicator, message):
    found = problems(HEAD + f"  - {indicator}\n")
    assert any(message in p.message for p in found), [str(p) for p in found]


def test_duplicate_ids_and_bad_years():
    dup = "  - {id: a, name_zh: A, direction: increase, target: {kind: milestone, value: 1}}\n"
    assert any("appears twice" in p.message for p in problems(HEAD + dup + dup))
    bad = HEAD.replace("target_year: 2025", "target_year: 2019") + dup
    assert any("must be after baseline_year" in p.message for p in problems(bad))


def test_yaml_syntax_error_names_the_line():
    (p,) = problems(HEAD + "  - {id: a, name_zh: [unclosed\n")
    assert p.row == 4 and "not valid YAML" in p.message


def test_unknown_plan_id_lists_the_shipped_ones():
    with pytest.raises(InputError) as err:
        load_plan("no_such_plan")
    assert "cn_education_14th" in err.value.problems[0].fix


def test_an_indicator_targets_status_overrides_the_plans_and_is_checked_at_its_line():
    text = HEAD.replace("as_of: 2023}", "as_of: 2023, targets_status: draft}") + """  - id: a
    name_zh: A
    direction: increase
    target: {kind: level_at_least, value: 5}
  - id: b
    name_zh: B
    direction: increase
    targets_status: adopted
    target: {kind: level_at_least, value: 5}
"""
    plan = parse_plan(text)
    assert [plan.targets_status_of(i) for i in plan.indicators] == ["draft", "adopted"]
    shipped = load_plan("cn_education_15th_draft")
    assert {i.id for i in shipped.indicators if shipped.targets_status_of(i) == "adopted"} \
        == {"working_age_avg_schooling", "myopia_rate_overall", "fitness_good_excellent_rate"}
    (bad,) = problems(text.replace("targets_status: adopted", "targets_status: published"))
    assert (bad.row, bad.column) == (10, "indicators.1.targets_status"), bad
    assert "'adopted' or 'draft'" in bad.fix
