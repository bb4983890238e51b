"""Whether a projection can be used to set a target (issue #17 item 5): each reason on real
numbers, the note in both languages, the evaluation column and `planlib propose`."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planlib
from planlib.core import reliability as rel
from planlib.core.labels import join_notes
from planlib.core.models import forecast
from planlib.core.proposal import needed_levels, propose

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = ROOT / "data/raw/cn_education_14th/context"


def kindergarten(through: int) -> tuple[np.ndarray, np.ndarray]:
    """National kindergarten enrolment (万人) through `through`, as published."""
    k = pd.read_csv(CONTEXT / "kindergartens.csv")
    k = k[(k.indicator_id == "kindergarten_enrolment") & (k.year <= through)]
    k = k.sort_values("year")
    return k.year.to_numpy(float), k.value.to_numpy(float)


def evaluated(plan_id: str) -> tuple[planlib.Evaluation, pd.DataFrame]:
    plan = planlib.load_plan(plan_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # series kept for reference
        obs = planlib.load_observations(plan)
    ev = planlib.evaluate(plan, obs, sensitivity=False, levels=needed_levels((50, 80, 90)))
    return ev, obs


@pytest.fixture(scope="module")
def national() -> planlib.Evaluation:
    return evaluated("cn_education_14th")[0]


def test_three_childcare_values_are_too_few_to_project_to_2025(national):
    # 1.8, 2.03, 2.5 per 1,000 in 2020-2022: three points, three years ahead
    r = national["childcare_places_per_1000"]
    assert r.history[r.history.in_fit].year.tolist() == [2020, 2021, 2022]
    assert r.reliability == "few_points"
    assert math.isfinite(r.median)  # the projection stays in the table, flagged
    assert "仅有3个观测值（2020—2022年），无法据此可靠预测到2025年" in r.notes_text("zh")
    assert ("cannot be projected reliably to 2025 from this history: only 3 values "
            "(2020–2022)") in r.notes_text("en")
    row = national.summary_frame().set_index("indicator_id").loc["childcare_places_per_1000"]
    assert row["reliability"] == "few_points" and "unreliable_few_points" in row["note_codes"]


def test_long_national_rates_are_reliable_and_observed_rows_are_not_judged(national):
    table = national.summary_frame().set_index("indicator_id")
    for ident in ("preschool_ger", "higher_ed_ger", "compulsory_retention"):
        assert table.loc[ident, "reliability"] == "reliable"
    # the fitness target year 2022 lies before the evaluation year: not re-projected
    assert set(table["reliability"]) <= set(rel.CODES) | {""}


def test_the_cohort_projection_of_kindergarten_enrolment_is_reliable(national):
    r = national["kindergarten_enrolment"]
    assert r.model == "cohort" and r.reliability == "reliable"
    # its 2025 80 % interval holds the published (provisional) 3,226万
    assert r.lower[80] <= 3226 <= r.upper[80]


def test_the_turn_in_kindergarten_enrolment_is_a_regime_change_once_it_shows():
    # rising to 4,818万 in 2020, then 4,805 / 4,627 / 4,093: through 2022 the last three
    # changes (+104, −13, −178) do not yet outweigh the rise; through 2023 they do
    years, values = kindergarten(2022)
    assert not rel.reversed_trend(years, values)
    years, values = kindergarten(2023)
    assert rel.reversed_trend(years, values)
    fc = forecast(years, values, target_year=2028, bounds=(0, None), model="drift")
    code = rel.reliability(years, values, 2028, fc.model, float(fc.median[-1]),
                           float(fc.lower[80][-1]), float(fc.upper[80][-1]), (0, None), None)
    assert code == "regime_change"
    # the cohort model follows the births that explain the turn: not flagged for it
    assert rel.reliability(years, values, 2026, "cohort", 3500.0, 3300.0, 3700.0,
                           (0, None), None) == "reliable"


def test_an_interval_from_zero_past_the_level_is_too_wide_a_rate_band_is_not():
    # issue #17: 0-29,158 for a count now at 19,870 (median about half the top)
    years = np.arange(2016.0, 2025.0)
    values = np.linspace(15000, 19870, years.size)
    assert rel.reliability(years, values, 2030, "drift", 14579.0, 0.0, 29158.0,
                           (0, None), None) == "too_wide"
    # 37.5-62.0 % for myopia: wide, but under half of the 0-100 range
    myopia = np.array([53.6, 50.2, 52.7, 52.6, 51.9, 51.5, 51.0, 50.8, 50.5])
    assert rel.reliability(years, myopia, 2030, "drift", 49.7, 37.5, 62.0,
                           (0, 100), None) == "reliable"


def test_a_declared_break_that_leaves_few_values_is_named():
    # national myopia 2018-2022 with a break declared in 2020: 52.7, 52.6, 51.9 remain
    years = np.array([2020.0, 2021.0, 2022.0])
    code = rel.reliability(years, np.array([52.7, 52.6, 51.9]), 2025, "drift", 51.0,
                           49.0, 53.0, (0, 100), 2020)
    assert code == "break"
    notes = rel.reliability_notes(code, 2025, years, 2020)
    assert join_notes(notes, "zh") == "2020年统计口径调整后仅有3个观测值，无法据此可靠预测到2025年"
    assert join_notes(notes, "en") == ("cannot be projected reliably to 2025 from this "
                                       "history: only 3 values since the definitional "
                                       "break in 2020")


def test_five_values_do_not_reach_eight_years_ahead():
    # myopia 2018-2022 (5 values, 4 years) cannot reach 2030; it reaches 2025
    years = np.arange(2018.0, 2023.0)
    assert rel.few_points(years, 2030) and not rel.few_points(years, 2025)


def test_propose_leaves_the_levels_empty_with_the_reason():
    ev, obs = evaluated("cn_education_15th_draft")
    table = propose(ev, (50, 80, 90), obs).set_index("indicator_id")
    flagged = table[table.reliability != "reliable"]
    # childcare (2020-2024), myopia (2018-2022), fitness (3 values): all too short for 2030
    assert set(flagged.index) == {"childcare_places_per_1000", "myopia_rate_overall",
                                  "fitness_good_excellent_rate"}
    assert flagged[["p50", "p80", "p90"]].isna().all().all()
    assert (flagged.reliability_zh == "无法可靠预测：数据点过少").all()
    assert (flagged.reliability_en == "cannot be projected reliably: few points").all()
    kept = table[table.reliability == "reliable"]
    assert kept[["p50", "p80", "p90"]].notna().all().all()
    # the evaluation still carries the flagged projection and its P(met), but the proposal
    # judges no draft by it: no P(draft), band "unreliable", no flag (as for p50-p90)
    assert all(ev[i].p_meet == ev[i].p_meet for i in flagged.index)
    assert flagged.p_draft.isna().all() and (flagged.draft_band == "unreliable").all()
    assert (flagged.draft_flag == "").all() and kept.p_draft.notna().all()


def test_a_count_interval_is_multiplicative_around_the_same_median():
    # national kindergarten enrolment 2021-2025 (4,805 … 3,226万) projected to 2030 by
    # drift: on the identity scale the 80 % interval was 348-2,154 around 1,251; on the
    # log scale it keeps the median and is symmetric in ratio, not in difference
    years, values = kindergarten(2025)
    keep = years >= 2021
    count = forecast(years[keep], values[keep], target_year=2030, bounds=(0, None))
    plain = forecast(years[keep], values[keep], target_year=2030, bounds=(None, None))
    assert count.model == plain.model == "drift"
    np.testing.assert_allclose(count.median, plain.median)
    lo, hi, med = count.lower[80][-1], count.upper[80][-1], count.median[-1]
    assert lo > plain.lower[80][-1] and hi > plain.upper[80][-1]
    assert math.log(hi / med) == pytest.approx(math.log(med / lo))
    assert med - lo < hi - med  # longer above than below
    # P(met) is read off the same margins
    assert count.prob_at_most(float(lo), 2030) == pytest.approx(0.1, abs=1e-6)


def test_a_count_spread_wider_than_half_its_median_stays_additive_and_is_flagged():
    # 2016-2024: a member centred near zero with a wide scale; the log scale would put the
    # 80 % upper end at tens of millions. It keeps the clipped additive interval, flagged
    years, values = kindergarten(2024)
    keep = years >= 2016
    count = forecast(years[keep], values[keep], target_year=2030, bounds=(0, None))
    plain = forecast(years[keep], values[keep], target_year=2030, bounds=(0, None),
                     model="drift")
    # tens of millions without the cap; with naive in auto (combo naive+damped) 2.6x the last
    assert count.upper[80][-1] < 3 * values[-1]
    assert plain.upper[80][-1] < 3 * values[-1]
    code = rel.reliability(years[keep], values[keep], 2030, count.model,
                           float(count.median[-1]), float(count.lower[80][-1]),
                           float(count.upper[80][-1]), (0, None), None)
    assert code == "too_wide"


def test_a_rate_whose_target_opened_its_top_is_not_a_count():
    # demo_city: counsellor coverage 91 % towards a target of 100 % -- auto opens the top
    # bound it would otherwise never reach, so the model sees [0, open) bounds; the rate
    # stays on its own additive scale (the indicator's bounds are [0, 100])
    ev, _ = evaluated("demo_city")
    r = ev["schools_with_counsellor_share"]
    h = r.history[r.history.in_fit]
    assert r.indicator.bounds == (0, 100)
    rate = forecast(h.year, h.value, target_year=2025, bounds=(0, None), count=False,
                    levels=(80,))
    as_count = forecast(h.year, h.value, target_year=2025, bounds=(0, None), levels=(80,))
    up, down = rate.upper[80] - rate.median, rate.median - rate.lower[80]
    np.testing.assert_allclose(up, down)  # additive: symmetric about the median
    assert not np.allclose(as_count.upper[80] - as_count.median,
                           as_count.median - as_count.lower[80])
    assert r.p_meet == pytest.approx(rate.prob_at_least(100.0, 2025), abs=1e-9)
