"""Undeclared level shifts (issue #19, item 5): found on real steps, not on spikes or on a
smooth trend; the fit starts after them with a note; declared breaks win."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planlib
from planlib.core.batch.outlooks import shift_years
from planlib.core.batch.panel import panel_from_long
from planlib.core.models.level_shifts import last_shift

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def panel_series(name: str, region: str, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Years and values of one region of a shipped test panel, first..last."""
    frame = pd.read_csv(DATA / f"{name}.csv")
    one = frame[(frame["region"] == region) & frame["year"].between(first, last)]
    return one["year"].to_numpy("int64"), one["value"].to_numpy("float64")


def test_a_real_step_is_found_at_its_first_year():
    # Andorra, expected years of schooling (UNDP HDR 2018): 11.7 for four years, then 13.5
    years, values = panel_series("expected_years_schooling", "Andorra", 2005, 2014)
    assert last_shift(years, values) == 2012
    # Egypt, education's share of government expenditure: ~14 % until 2005, ~10.5 % after
    years, values = panel_series("education_share_gov_expenditure", "Egypt", 2003, 2008)
    assert last_shift(years, values) == 2006


def test_a_one_year_dip_and_a_smooth_trend_are_not_shifts():
    # Costa Rica, pre-primary gross enrolment: 34-47 % in 1994-2000 with a single 87 % in
    # 1997, back to 41 % in 1998
    years, values = panel_series("preprimary_ger", "CRI", 1994, 2002)
    assert last_shift(years, values) is None
    # Andorra before its step: flat with small moves
    years, values = panel_series("expected_years_schooling", "Andorra", 2008, 2011)
    assert last_shift(years, values) is None  # too short to judge (n < 6)
    # China's preschool gross enrolment rate, rising steadily (the shipped national data)
    plan = planlib.load_plan("cn_education_14th")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # context series kept but not evaluated
        obs = planlib.load_observations(plan)
    ger = obs[obs["indicator_id"] == "preschool_ger"].sort_values("year")
    assert last_shift(ger["year"].to_numpy(), ger["value"].to_numpy()) is None


def test_a_step_too_recent_to_fit_after_is_left_alone():
    # the Egypt step with only two points after it: nothing to fit a trend on
    years, values = panel_series("education_share_gov_expenditure", "Egypt", 2003, 2007)
    assert last_shift(years, values) is None


STEP = {2014: 30.0, 2015: 31.0, 2016: 32.2, 2017: 33.0, 2018: 34.1, 2019: 45.0, 2020: 46.2,
        2021: 47.0, 2022: 48.1}
IND = {"id": "r", "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 60}}


def test_evaluate_fits_after_an_undeclared_step_and_says_so(make_plan, obs):
    r = planlib.evaluate(make_plan(IND), obs("r", STEP))["r"]
    assert r.fit_from == 2019
    assert "level_shift_fit" in [n.code for n in r.notes]
    assert "2019年数据出现未声明的水平跳变" in r.notes_text("zh")
    assert "undeclared level shift in 2019" in r.notes_text("en")
    # fitted after the step, the median continues from the new level, not below it
    assert r.median > STEP[2022]


def test_a_declared_break_wins_over_detection(make_plan, obs):
    # the same step declared in the plan: the break's note, not the detector's
    r = planlib.evaluate(make_plan({**IND, "breaks": [2019]}), obs("r", STEP))["r"]
    codes = [n.code for n in r.notes]
    assert r.fit_from == 2019 and "break_fit" in codes and "level_shift_fit" not in codes
    # a break declared later than the step: the fit starts at the break, and detection never
    # looks across it (the window after the break is too short to judge)
    later = planlib.evaluate(make_plan({**IND, "breaks": [2020]}), obs("r", STEP))["r"]
    assert later.fit_from == 2020 and "level_shift_fit" not in [n.code for n in later.notes]


def test_the_panel_path_finds_the_same_shifts():
    frame = pd.read_csv(DATA / "education_share_gov_expenditure.csv")
    frame = frame[frame["year"].between(2003, 2012)]
    panel = panel_from_long(frame)
    got = shift_years(panel)
    for i, region in enumerate(panel.keys):
        one = frame[frame["region"] == region].sort_values("year")
        want = last_shift(one["year"].to_numpy(), one["value"].to_numpy())
        assert got[i] == (-np.inf if want is None else want), region
    assert np.isfinite(got).sum() >= 1


@pytest.mark.parametrize("k", [4.0, 8.0])
def test_a_larger_threshold_finds_fewer_shifts(k):
    frame = pd.read_csv(DATA / "preprimary_ger.csv")
    found = {k2: sum(last_shift(g["year"].to_numpy(), g["value"].to_numpy(), k=k2) is not None
                     for _, g in frame.groupby("region")) for k2 in (k, 2 * k)}
    assert found[2 * k] < found[k]
