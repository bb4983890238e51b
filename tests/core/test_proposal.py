"""Target proposals (issue #17): levels reached with P = 0.5/0.8/0.9 from the evaluation's
predictive distribution, the drafted target's P in words, and the fastest-quarter
benchmark on the many-country R&D corpus."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import planlib
from planlib.core.proposal import (
    check_probabilities,
    fastest_quarter_pace,
    needed_levels,
    pace_windows,
    propose,
)
from planlib.inputs.plan import parse_plan

WDI = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "wdi_rd_expenditure.csv"


def test_probabilities_map_to_the_near_end_of_a_central_interval():
    assert needed_levels((50, 80, 90)) == (60, 80)
    assert check_probabilities(["90", "80", "50"]) == (50, 80, 90)
    with pytest.raises(ValueError, match="from 50 to 99"):
        check_probabilities((40, 80))


@pytest.fixture(scope="module")
def national():
    plan = planlib.load_plan("cn_education_14th")
    obs = planlib.load_observations(plan)
    return planlib.evaluate(plan, obs, levels=needed_levels((50, 80, 90))), obs


def test_proposal_levels_are_the_results_own_distribution(national):
    ev, obs = national
    table = propose(ev, observations=obs).set_index("indicator_id")
    for ident in ("preschool_ger", "myopia_rate_overall", "childcare_places_per_1000"):
        r = ev[ident]
        at = r.summary_frame(levels=(60, 80)).set_index("year").loc[r.target_year]
        end = "lo" if r.indicator.direction == "increase" else "hi"
        row = table.loc[ident]
        assert row.reliability == r.reliability
        if r.reliability != "reliable":  # childcare: 3 values for 2025 (core.reliability)
            assert math.isnan(row.p50) and math.isnan(row.p80) and math.isnan(row.p90)
            continue
        assert row.p50 == pytest.approx(at["median"])
        assert row.p80 == pytest.approx(at[f"{end}60"])
        assert row.p90 == pytest.approx(at[f"{end}80"])
    for ident in ("preschool_ger", "myopia_rate_overall", "childcare_places_per_1000"):
        r, row = ev[ident], table.loc[ident]
        assert row.draft_target == pytest.approx(r.target_level)
        if r.reliability != "reliable":  # the same rule: no P(met), so no band, no flag
            assert not math.isnan(r.p_meet) and math.isnan(row.p_draft)
            assert (row.draft_band, row.draft_band_zh, row.draft_flag) == \
                ("unreliable", "无法可靠预测", "")
            continue
        assert row.p_draft == pytest.approx(r.p_meet)
        assert row.draft_band != "unreliable"
    assert table.loc["childcare_places_per_1000", "reliability"] == "few_points"
    assert table["benchmark"].isna().all()  # one national series each: no peers


def test_proposal_refuses_an_evaluation_without_the_needed_intervals(national):
    ev, _ = national
    with pytest.raises(ValueError, match=r"no \[90\] % intervals.*levels=\[60, 80, 90\]"):
        propose(ev, (50, 80, 90, 95))


def test_fastest_quarter_pace_is_the_upper_quartile_of_the_nearest_starts():
    rng = np.random.default_rng(3)
    starts, paces = rng.uniform(0, 4, 300), rng.normal(0.05, 0.04, 300)
    levels = np.array([0.0, 0.5, 1.7, 3.99, 5.0])
    got = fastest_quarter_pace(starts, paces, levels, 1)
    k = 60  # NEIGHBOUR_SHARE of 300
    for x, g in zip(levels, got, strict=True):
        near = np.argsort(np.abs(starts - x), kind="stable")[:k]
        assert g == pytest.approx(np.quantile(paces[near], 0.75))
    falling = fastest_quarter_pace(starts, paces, levels, -1)
    for x, g in zip(levels, falling, strict=True):
        near = np.argsort(np.abs(starts - x), kind="stable")[:k]
        assert g == pytest.approx(np.quantile(paces[near], 0.25))


def test_pace_windows_take_exact_spans_within_a_region():
    starts, paces = pace_windows(np.array([2000, 2005, 2001, 2006, 2007.0]),
                                 np.array([1.0, 2.0, 10.0, 12.5, 13.0]),
                                 np.array(["a", "a", "b", "b", "a"]), 5)
    assert sorted(zip(starts, paces, strict=True)) == [(1.0, 0.2), (10.0, 0.5)]


@pytest.fixture(scope="module")
def rd_cut():
    """R&D spending, % of GDP, 137 countries, as a planner in 2007 saw it (data to 2006),
    proposing 2011 targets; the 2011 values are the outcome."""
    doc = {"plan": {"id": "rd", "title_zh": "研发投入", "baseline_year": 2006,
                    "target_year": 2011, "as_of": 2007},
           "indicators": [{"id": "rd", "name_zh": "研发投入强度", "unit": "%",
                           "bounds": [0, 100], "direction": "increase",
                           "target": {"kind": "level_at_least", "value": 2.5}}]}
    obs = pd.read_csv(WDI).assign(indicator_id="rd", flag=None)
    obs = obs[["indicator_id", "region", "year", "value", "flag"]]
    ev = planlib.evaluate(parse_plan(yaml.safe_dump(doc)), obs, levels=(60, 80))
    return propose(ev, observations=obs), obs


def outcome_of(table: pd.DataFrame, obs: pd.DataFrame, column: str) -> pd.Series:
    """Whether each country's 2011 value reached its proposed level `column` (rows with
    both only)."""
    outcome = obs[obs.year == 2011].set_index("region")["value"]
    rows = table.set_index("region")[column].dropna()
    seen = rows.index.intersection(outcome.index)
    return outcome[seen] >= rows[seen]


def test_rd_targets_are_ordered_and_the_benchmark_is_reached_by_about_a_quarter(rd_cut):
    table, obs = rd_cut
    full = table.dropna(subset=["p50", "p80", "p90"])
    # 64 of the 137 projections are reliable for 2011; the few-point (5), trend-reversal
    # (8) and unprojected (11) ones leave their levels empty
    assert len(full) > 60 and (full.reliability == "reliable").all()
    flagged = table[table.reliability.isin(["few_points", "regime_change"])]
    assert len(flagged) >= 10 and flagged.p80.isna().all()
    reached80 = (outcome_of(table, obs, "p80")).mean()
    assert reached80 >= 0.85  # measured 0.92 on the 64 reliable ones
    assert (full.p50 >= full.p80).all() and (full.p80 >= full.p90).all()
    outcome = obs[obs.year == 2011].set_index("region")["value"]
    rows = table.set_index("region")
    bench = rows["benchmark"].dropna()
    assert (rows.loc[bench.index, "benchmark_pace"] > 0).all()  # the fast quarter grows
    seen = bench.index.intersection(outcome.index)
    reached = (outcome[seen] >= bench[seen]).mean()
    assert len(seen) > 60 and 0.15 <= reached <= 0.35  # measured 0.24 (82 countries)
    p80 = rows["p80"].dropna()
    seen = p80.index.intersection(outcome.index)
    assert 0.7 <= (outcome[seen] >= p80[seen]).mean() <= 0.97  # measured 0.90 (77)
    assert not math.isnan(rows.loc["AUS", "p_draft"])
