"""The cohort-ratio model on the shipped births and kindergarten series (issue #19)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planlib.core.labels import join_notes
from planlib.core.models import InsufficientDataError
from planlib.core.models.cohort import (
    cohort_forecast,
    cohort_sums,
    explanation_notes,
    project_driver,
)

CONTEXT = Path(__file__).resolve().parents[2] / "data/raw/cn_education_14th/context"
WORDS = {"driver": {"zh": "出生人口", "en": "births"},
         "indicator": {"zh": "在园幼儿数", "en": "kindergarten enrolment"},
         "unit": {"zh": "万人", "en": "10k"}}


def series(name: str, file: str, through: int) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(CONTEXT / file, usecols=["indicator_id", "year", "value"])
    frame = frame[(frame.indicator_id == name) & (frame.year <= through)].sort_values("year")
    return frame.year.to_numpy(), frame.value.to_numpy(float)


def births(through: int = 2022) -> tuple[np.ndarray, np.ndarray]:
    return series("births", "births.csv", through)


def enrolment(through: int) -> tuple[np.ndarray, np.ndarray]:
    return series("kindergarten_enrolment", "kindergartens.csv", through)


def test_the_2025_cohort_is_the_births_of_2020_to_2022():
    years, values = births()
    recent = dict(zip(years[years >= 2016], values[years >= 2016], strict=True))
    assert sorted(recent) == list(range(2016, 2023))
    sums = cohort_sums(years, values, np.array([2023, 2024, 2025, 2026]), [3, 4, 5])
    assert sums[2] == recent[2020] + recent[2021] + recent[2022] == 3218  # "约3,220万"
    assert sums[0] == recent[2018] + recent[2019] + recent[2020]
    assert np.isnan(sums[3])  # 2026 needs the births of 2023, not in data through 2022


def test_known_cohort_gives_exact_ratio_quantiles_times_the_cohort():
    cf = cohort_forecast(*enrolment(2022), *births(), lags=[3, 4, 5], target_year=2025)
    fc = cf.forecast
    assert fc.model == "cohort" and fc.years.tolist() == [2023, 2024, 2025]
    assert cf.cohort_known.all() and cf.cohort.tolist() == [4188, 3727, 3218]
    for level in (80, 95):
        assert np.allclose(fc.lower[level], cf.ratio.lower[level] * cf.cohort)
        assert np.allclose(fc.upper[level], cf.ratio.upper[level] * cf.cohort)
    # probabilities are the ratio's at value / cohort: P(y >= its 10 % quantile) = 0.9
    assert fc.prob_at_least(float(fc.lower[80][2]), 2025) == pytest.approx(0.9, abs=1e-6)
    e = cf.explanation(2025)
    assert (e.born, e.cohort, e.projected_years, e.ratio_year) == ((2020, 2022), 3218, (), 2022)
    zh = join_notes(explanation_notes(e, **WORDS), "zh")
    en = join_notes(explanation_notes(e, **WORDS), "en")
    assert zh.startswith("按出生人口推算：2025年3—5岁儿童由2020—2022年出生的约3,218万人构成")
    assert "born in 2020–2022, about 3,218" in en
    assert f"{fc.median[2]:,.0f}" in zh and f"{fc.median[2]:,.0f}" in en


def test_intervals_nest_stay_in_bounds_and_widen_where_births_are_projected():
    cf = cohort_forecast(*enrolment(2017), *births(2017), lags=[3, 4, 5], target_year=2022,
                         bounds=(0, 5500))
    fc = cf.forecast
    assert cf.cohort_known.tolist() == [True, True, True, False, False]
    for j in range(len(fc.years)):
        assert 0 <= fc.lower[95][j] <= fc.lower[80][j] <= fc.median[j] \
            <= fc.upper[80][j] <= fc.upper[95][j] <= 5500
    width = fc.upper[80] - fc.lower[80]
    # the ratio's interval is multiplicative (a count-like ratio: models.count_scale), so at
    # the first projected year, where one birth year of three is projected, the width
    # stays within Monte Carlo noise of the year before; the last year is the widest
    assert np.all(np.diff(width[:3]) > 0) and width[4] > width[:4].max()
    assert width[3] > 0.99 * width[2]
    assert fc.samples is not None and fc.samples.min() >= 0 and fc.samples.max() <= 5500
    band = cf.cohort_hi80 - cf.cohort_lo80
    assert band[:3].tolist() == [0, 0, 0] and 0 < band[3] < band[4]
    assert cf.explanation(2022).projected_years == (2018, 2019)
    # the Monte Carlo years: P(y >= lo80) about 0.9 from the same paths as the quantiles
    assert fc.prob_at_least(float(fc.lower[80][4]), 2022) == pytest.approx(0.9, abs=0.01)


def test_a_population_driver_at_lag_0_with_a_scenario():
    """births = population × birth rate: with birth_rate (‰) as the driver at lag 0 the ratio
    is the population / 1000; the published 2023-2025 rates as a scenario make the cohort
    exact, and the births follow within 1.5 %."""
    rate_y, rate = series("birth_rate", "births.csv", 2025)
    known = rate_y <= 2022
    scenario = dict(zip(rate_y[~known].tolist(), rate[~known].tolist(), strict=True))
    cf = cohort_forecast(*births(2022), rate_y[known], rate[known], lags=[0],
                         target_year=2025, scenario=scenario)
    assert cf.cohort_known.all() and cf.cohort.tolist() == list(rate[~known])
    assert cf.explanation(2025).scenario_years == (2025,)
    assert 130 < cf.ratio_values[-1] < 150  # 万 births per ‰: the population (万) / 1000
    observed = births(2025)[1][-3:]
    assert np.all(np.abs(cf.forecast.median / observed - 1) < 0.015)
    without = cohort_forecast(*births(2022), rate_y[known], rate[known], lags=[0],
                              target_year=2025)
    assert not without.cohort_known.any()
    assert np.all(np.diff(without.forecast.upper[80] - without.forecast.lower[80]) > 0)


def test_driver_projection_is_seeded_and_refuses_too_little():
    years, values = births()
    a = project_driver(years, values, 2025, seed=3)
    b = project_driver(years, values, 2025, seed=3)
    assert np.array_equal(a.paths, b.paths) and a.known.tolist()[-3:] == [False] * 3
    assert np.all(a.paths[:, -3:] > 0)
    with pytest.raises(InsufficientDataError):
        project_driver(years[:2], values[:2], 2025)


def test_an_incomplete_last_cohort_is_refused():
    with pytest.raises(ValueError, match="incomplete"):
        cohort_forecast(*enrolment(2022), *births(2018), lags=[3, 4, 5], target_year=2025)
    with pytest.raises(InsufficientDataError):
        cohort_forecast(*enrolment(2022), *births(2002), lags=[3, 4, 5], target_year=2025)
