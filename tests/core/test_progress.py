"""Progress-to-date formulas, checked against values computed by hand."""

import math

import numpy as np
import pytest

from planlib.core.progress import TargetSpec, is_met, met_mask, progress, target_level

PRESCHOOL_YEARS = np.arange(2009, 2023)
PRESCHOOL = np.array([50.9, 56.6, 62.3, 64.5, 67.5, 70.5, 75.0, 77.4, 79.6, 81.7, 83.4, 85.2,
                      88.1, 89.7])


def spec(kind="level_at_least", value=90.0, direction=1, measure="stock", t0=2020, t=2025,
         baseline_value=None):
    return TargetSpec(kind, value, t, t0, direction, measure, baseline_value)


def test_preschool_ger_national_14th_plan():
    pr = progress(PRESCHOOL_YEARS, PRESCHOOL, spec(), as_of=2023)
    assert (pr.baseline_year, pr.baseline_value) == (2020, 85.2)
    assert (pr.latest_year, pr.latest_value) == (2022, 89.7)
    assert pr.schedule_share == pytest.approx(0.4)
    assert pr.progress_share == pytest.approx(4.5 / 4.8)
    assert pr.progress_ratio == pytest.approx(4.5 / 4.8 / 0.4)
    assert pr.status == "ahead"
    assert pr.required_pace == pytest.approx(0.3 / 3)
    # the baseline (2020) lies inside the five years before 2022: the pace since it
    assert pr.recent_pace == pytest.approx((89.7 - 85.2) / 2)
    assert pr.acceleration_needed == pytest.approx(0.1 / 2.25)
    observed = (89.7 / 85.2) ** 0.5 - 1
    required = (90 / 85.2) ** 0.2 - 1
    assert pr.growth_ratio == pytest.approx(observed / required)


def test_as_of_hides_later_years():
    pr = progress(PRESCHOOL_YEARS, PRESCHOOL, spec(), as_of=2022)
    assert pr.latest_year == 2021
    assert pr.schedule_share == pytest.approx(0.2)


def test_myopia_annual_change_from_own_baseline_year():
    years = np.array([2018, 2019, 2020, 2021, 2022])
    values = np.array([53.6, 50.2, 52.7, 52.6, 51.9])
    s = spec("annual_change", -0.5, direction=-1, t0=2018)
    assert target_level(s, 53.6) == pytest.approx(50.1)
    pr = progress(years, values, s, as_of=2023)
    assert pr.schedule_share == pytest.approx(4 / 7)
    assert pr.progress_share == pytest.approx(1.7 / 3.5)
    assert pr.progress_ratio == pytest.approx(1.7 / 3.5 * 7 / 4)
    assert pr.status == "behind"
    assert pr.required_pace == pytest.approx((50.1 - 51.9) / 3)
    assert pr.recent_pace == pytest.approx((51.9 - 53.6) / 4)


def test_flow_cumulative_additions():
    years = np.array([2019, 2020, 2021, 2022])
    adds = np.array([2500.0, 3100.0, 3800.0, 4200.0])
    s = spec("cumulative_increase", 20000, measure="flow")
    pr = progress(years, adds, s, as_of=2023)
    assert (pr.baseline_value, pr.target_level, pr.latest_value) == (0, 20000, 8000)
    assert pr.progress_share == pytest.approx(0.4)
    assert pr.progress_ratio == pytest.approx(1.0)
    assert pr.status == "on_schedule"
    assert pr.required_pace == pytest.approx(4000)
    # additions after the baseline year only (2021, 2022): the pace the target counts
    assert pr.recent_pace == pytest.approx((3800 + 4200) / 2)
    assert math.isnan(pr.growth_ratio)


def test_cumulative_increase_on_stock_data():
    pr = progress(np.array([2020, 2022]), np.array([100.0, 112.0]),
                  spec("cumulative_increase", 20), as_of=2023)
    assert pr.target_level == 120
    assert pr.progress_ratio == pytest.approx(0.6 / 0.4)
    assert pr.status == "ahead"


def test_average_growth():
    pr = progress(np.array([2020, 2021, 2022]), np.array([100.0, 104.0, 110.0]),
                  spec("average_growth", 5), as_of=2023)
    v = 100 * 1.05**5
    assert pr.target_level == pytest.approx(v)
    assert pr.progress_ratio == pytest.approx(10 / (v - 100) / 0.4)
    assert pr.status == "behind"
    assert pr.growth_ratio == pytest.approx((1.1**0.5 - 1) / 0.05)


def test_level_at_most_decreasing():
    pr = progress(np.array([2020, 2022]), np.array([70.0, 66.0]),
                  spec("level_at_most", 60, direction=-1), as_of=2023)
    assert pr.progress_share == pytest.approx(0.4)
    assert pr.status == "on_schedule"


def test_moving_away_and_achieved():
    away = progress(np.array([2020, 2022]), np.array([70.0, 69.0]), spec(value=80), as_of=2023)
    assert away.progress_ratio < 0 and away.status == "moving_away"
    done = progress(np.array([2020, 2022]), np.array([70.0, 80.5]), spec(value=80), as_of=2023)
    assert done.status == "achieved"


def test_target_already_met_at_baseline():
    kept = progress(np.array([2020, 2022]), np.array([85.0, 86.0]), spec(value=80), as_of=2023)
    assert kept.status == "achieved" and math.isnan(kept.progress_share)
    assert any("already met at the baseline" in n.text("en") for n in kept.notes)
    lost = progress(np.array([2020, 2022]), np.array([85.0, 79.0]), spec(value=80), as_of=2023)
    assert lost.status == "moving_away"


def test_baseline_equal_to_target():
    pr = progress(np.array([2020, 2022]), np.array([80.0, 79.5]), spec(value=80), as_of=2023)
    assert pr.status == "moving_away"


def test_missing_baseline_year_uses_nearest_earlier_and_says_so():
    pr = progress(np.array([2018, 2019, 2021, 2022]), np.array([80.0, 81.0, 83.0, 84.0]),
                  spec(), as_of=2023)
    assert (pr.baseline_year, pr.baseline_value) == (2019, 81.0)
    assert any("2019 value is used as baseline" in n.text("en") for n in pr.notes)
    # schedule is still measured from the plan's baseline year
    assert pr.schedule_share == pytest.approx(0.4)


def test_no_data_after_baseline():
    pr = progress(np.array([2019, 2020]), np.array([80.0, 81.0]), spec(), as_of=2023)
    assert pr.status is None and math.isnan(pr.progress_ratio)
    assert any("cannot be measured" in n.text("en") for n in pr.notes)


def test_custom_cutoffs_change_the_status():
    years, values = np.array([2020, 2022]), np.array([80.0, 83.6])  # r = 0.36/0.4 = 0.9
    assert progress(years, values, spec(), as_of=2023).status == "behind"
    relaxed = {"ahead": 1.1, "on_schedule": 0.85, "behind": 0.0}
    assert progress(years, values, spec(), as_of=2023, cutoffs=relaxed).status == "on_schedule"


def test_row_order_does_not_matter():
    order = np.random.default_rng(1).permutation(len(PRESCHOOL))
    a = progress(PRESCHOOL_YEARS, PRESCHOOL, spec(), as_of=2023)
    b = progress(PRESCHOOL_YEARS[order], PRESCHOOL[order], spec(), as_of=2023)
    assert a == b


def test_recent_pace_starts_at_a_definitional_break():
    years = np.array([2018, 2019, 2020, 2021, 2022])
    values = np.array([55.0, 54.0, 60.0, 59.0, 58.0])
    s = spec("annual_change", -1, direction=-1, t0=2018)
    across = progress(years, values, s, as_of=2023)
    assert across.recent_pace == pytest.approx(0.75)  # the break looks like a rise
    after = progress(years, values, s, as_of=2023, pace_from=2020)
    assert after.recent_pace == pytest.approx(-1.0)
    assert after.acceleration_needed > 0
    assert any("break in 2020" in n.text("en") for n in after.notes)


def test_recent_pace_is_measured_from_the_baseline_not_across_a_spike_before_it():
    # issue #17: a spike in 2019, the baseline 2020 after it; since the baseline the rate
    # moves at the pace the target needs, across the spike it seems to move far slower
    years = np.arange(2017, 2024)
    values = np.array([40.0, 41.0, 60.0, 42.0, 43.0, 44.0, 45.0])
    s = spec("level_at_least", 47.0, t0=2020)
    pr = progress(years, values, s, as_of=2024)
    assert pr.recent_pace == pytest.approx((45 - 42) / 3)
    assert pr.required_pace == pytest.approx(1.0)
    assert pr.acceleration_needed == pytest.approx(1.0)
    # a baseline before the five-year window leaves the window as it was
    early = progress(years, values, spec("level_at_least", 47.0, t0=2017), as_of=2024)
    assert early.recent_pace == pytest.approx((45 - 41) / 5)
    # a break after the baseline still cuts the window
    cut = progress(years, values, s, as_of=2024, pace_from=2022)
    assert cut.recent_pace == pytest.approx(1.0) and cut.baseline_year == 2020


def test_a_ratio_on_the_cut_off_is_not_pushed_below_it_by_rounding():
    # p = 2.4/5 = 0.48, s = 0.4: r = 1.2 exactly in decimals, 1.1999999999999997 in binary
    pr = progress(np.array([2020, 2022]), np.array([56.3, 53.9]),
                  spec("annual_change", -1, direction=-1), as_of=2023)
    assert pr.status == "ahead"


@pytest.mark.parametrize(("value", "level", "direction", "met"), [
    (1.7e-13, 5e-13, 1, False),  # tiny targets: an absolute 1e-12 called this met
    (5e-13, 5e-13, 1, True), (0.1 + 0.2, 0.3, 1, True), (0.3, 0.1 + 0.2, -1, True),
    (59.99999, 60.0, 1, False), (1e15 * (1 - 1e-6), 1e15, 1, False), (2e-13, 5e-13, -1, True),
    (math.nan, 1.0, 1, False),
])
def test_met_is_judged_relative_to_the_magnitudes(value, level, direction, met):
    assert is_met(value, level, direction) is met
    # the vectorised rows use the same rule
    assert met_mask(np.array([value]), np.array([level]), direction).tolist() == [met]
