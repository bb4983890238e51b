"""A target year between two observations (issue #17): the final evaluation nowcasts the
target-year value from the data before it instead of crashing (KeyError: 2022)."""

import pandas as pd
import pytest
from conftest import build_plan as make_plan
from reference import assert_rows_are_the_reference

import planlib
from planlib.core.evaluation import evaluate


@pytest.fixture(scope="module")
def national_2026():
    """The national plan as of 2026 with a 2024 value added (fitness: 2021 and 2024 only,
    its target year 2022 unobserved; the shipped data have preschool_ger's 2024 already,
    and a year twice is refused by the panel path)."""
    plan = planlib.load_plan("cn_education_14th")
    obs = planlib.load_observations(plan)
    extra = pd.DataFrame({"indicator_id": ["fitness_good_excellent_rate"],
                          "region": "", "year": 2024, "value": [38.5], "flag": None})
    return plan, obs, pd.concat([obs, extra], ignore_index=True)


def test_national_plan_as_of_2026_evaluates_the_fitness_target_as_a_nowcast(national_2026):
    plan, before, after = national_2026
    late = evaluate(plan, after, as_of=2026)["fitness_good_excellent_rate"]
    then = evaluate(plan, before, as_of=2023)["fitness_good_excellent_rate"]
    assert late.latest_year == 2021 and late.target_year == 2022
    assert "target_year_nowcast" in [n.code for n in late.notes]
    # the 2024 value is shown in the history but not used: the nowcast is the one the
    # data up to 2021 give, the same as the mid-term evaluation's
    assert 2024 in set(late.history["year"])
    assert not late.history.set_index("year").loc[2024, "in_fit"]
    assert late.p_meet == pytest.approx(then.p_meet)
    assert late.median == pytest.approx(then.median)
    assert 0 < late.p_meet < 0.5  # 33 % in 2021 against 50 % in 2022
    assert late.summary_frame().set_index("year").loc[2022, "median"] == \
        pytest.approx(late.median)


def test_gap_rows_of_the_vectorised_path_are_nowcast_too():
    plan = make_plan({"id": "a", "target": {"kind": "level_at_least", "value": 50,
                                              "year": 2022}}, as_of=2026)
    rows = []
    for k in range(6):
        years = [2017, 2018, 2019, 2020, 2021, 2024] if k % 2 else [2017, 2018, 2019, 2020,
                                                                      2021, 2022, 2024]
        rows += [{"indicator_id": "a", "region": f"r{k}", "year": y,
                  "value": 40.0 + k + 2 * (y - 2017), "flag": None} for y in years]
    obs = pd.DataFrame(rows)
    fast = evaluate(plan, obs).summary_frame()
    # each row the forecast of its own series, the gap rows from the data up to 2021
    assert_rows_are_the_reference(fast, plan, obs)
    for k in (1, 3):
        gap = fast[fast.region == f"r{k}"].iloc[0]
        assert (gap.fit_from, gap.fit_to, gap.n_obs) == (2017, 2021, 5)
    gap = fast[fast.region == "r1"].iloc[0]
    seen = fast[fast.region == "r0"].iloc[0]
    assert gap.model != "observed" and "target_year_nowcast" in gap.note_codes
    assert seen.model == "observed" and seen.latest_year == 2022
