"""The cohort model in `auto` and the evaluation, and context indicators (issue #19): the
choice on national kindergarten enrolment (births at lags 3-5), the explanation in the
notes, the fallback when births do not cover the lags, context rows and report counts."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planlib
from planlib.core.batch.backtest import mase_scale, origin_errors
from planlib.core.batch.panel import Panel
from planlib.core.evaluation import evaluate
from planlib.core.labels import join_notes
from planlib.core.models import Forecast, forecast
from planlib.core.models.cohort import CohortForecast
from planlib.core.models.cohort_choice import (
    DriverData,
    cohort_backtest,
    cohort_errors,
    driven_forecast,
    paired_worse,
)
from planlib.core.models.registry import DRIVER_SPECS, WORDS
from planlib.core.models.selection import backtest_horizon
from planlib.core.series import derive_seed
from planlib.outputs.report.section import build_section

CONTEXT = Path(__file__).resolve().parents[2] / "data/raw/cn_education_14th/context"
BIRTHS = {"zh": "出生人口", "en": "births"}


def national(through: int) -> tuple[np.ndarray, np.ndarray, DriverData]:
    """Kindergarten enrolment and births through `through` (万人), as published."""
    k = pd.read_csv(CONTEXT / "kindergartens.csv")
    k = k[(k.indicator_id == "kindergarten_enrolment") & (k.year <= through)].sort_values("year")
    b = pd.read_csv(CONTEXT / "births.csv")
    b = b[(b.indicator_id == "births") & (b.year <= through)].sort_values("year")
    drv = DriverData("births", b.year.to_numpy(), b.value.to_numpy(float), (3, 4, 5), BIRTHS)
    return k.year.to_numpy(), k.value.to_numpy(float), drv


def choose(through: int) -> tuple[Forecast, CohortForecast | Forecast | None, list]:
    years, values, drv = national(through)
    trend = forecast(years, values, target_year=through + 3, bounds=(0, None))
    got, notes = driven_forecast(years, values, trend, drv, bounds=(0.0, None),
                                 target_year=through + 3, levels=(80, 95), seed=0)
    return trend, got, notes


def test_through_2022_auto_prefers_the_cohort_model_it_cannot_show_worse():
    # Mean backtest MASE ranks cohort (1.68) below drift_recent (1.07), but the paired
    # per-origin difference is within noise and 2023-2025's children were all born by 2022
    trend, got, notes = choose(2022)
    years, values, drv = national(2022)
    assert isinstance(got, CohortForecast) and notes == []
    assert trend.selection is not None
    first = len(values) - trend.selection.n_origins
    score = cohort_backtest(years, values, drv, (0.0, None), backtest_horizon(years, 2025),
                            first)
    assert score is not None and score > min(trend.selection.scores.values())
    fc = got.forecast
    assert fc.model == "cohort" and "not worse beyond noise than drift_recent" in fc.reason
    # published 2023-2025: 4,093 / 3,584 / 3,226万 (2025 provisional)
    j = {int(t): i for i, t in enumerate(fc.years)}
    # every published value inside the 95 % interval; 80 % holds 2 of 3 (2024's 3,584 lies
    # 0.6 % below the 80 % band since the empirical-Bayes widening narrowed the calm ratio)
    inside80 = 0
    for year, seen in ((2023, 4093.0), (2024, 3584.0), (2025, 3226.0)):
        assert fc.lower[95][j[year]] <= seen <= fc.upper[95][j[year]]
        inside80 += fc.lower[80][j[year]] <= seen <= fc.upper[80][j[year]]
    assert inside80 >= 2
    assert abs(fc.median[j[2025]] - 3226) < abs(trend.median[j[2025]] - 3226)


def test_through_2017_the_cohort_model_worse_beyond_noise_keeps_the_trend():
    trend, got, notes = choose(2017)
    years, values, drv = national(2017)
    assert isinstance(got, Forecast) and got.model == trend.model  # the trend, not cohort
    sel = got.selection
    assert sel is not None and trend.selection is not None
    first = len(values) - trend.selection.n_origins
    score = cohort_backtest(years, values, drv, (0.0, None),
                            backtest_horizon(years, 2020), first)
    best = min(trend.selection.scores.values())
    assert score is not None and sel.scores["cohort"] == score and score > best
    errors = cohort_errors(years, values, drv, (0.0, None), backtest_horizon(years, 2020),
                           first)
    assert errors is not None
    panel = Panel.one(years, values)
    trend_errors = origin_errors(panel, min(trend.selection.scores,
                                            key=trend.selection.scores.get),
                                 np.array([0.0]), np.array([np.nan]),
                                 backtest_horizon(years, 2020), first)
    assert trend_errors is not None
    assert paired_worse(errors, trend_errors, float(mase_scale(panel)[0])).significant
    assert [n.code for n in notes] == ["cohort_lost"]
    assert f"MASE {score:.2f}" in join_notes(notes, "en")
    assert f"（MASE {score:.2f}）不低于趋势模型（{best:.2f}）" in join_notes(notes, "zh")
    assert "cohort" in got.reason and "not better" in got.reason


def test_through_2024_auto_picks_the_cohort_model_alone_with_its_reason():
    trend, got, notes = choose(2024)
    assert isinstance(got, CohortForecast) and notes == []
    fc = got.forecast
    assert fc.model == "cohort" and fc.selection is not None
    scores = fc.selection.scores
    assert scores["cohort"] < min(v for m, v in scores.items() if m != "cohort")
    assert fc.reason.startswith("auto: backtest MASE") and "→ cohort" in fc.reason
    assert fc.years.tolist() == [2025, 2026, 2027]
    # every cohort of 2025-2027 was born by 2024: the cohort is exact
    assert got.cohort_known.all()


def test_a_driver_not_covering_the_lags_keeps_the_trend_with_a_note():
    years, values, drv = national(2022)
    short = DriverData("births", drv.years[drv.years >= 2019], drv.values[drv.years >= 2019],
                       drv.lags, BIRTHS)  # 2022's cohort needs 2017-2019
    trend = forecast(years, values, target_year=2025, bounds=(0, None))
    got, notes = driven_forecast(years, values, trend, short, bounds=(0.0, None),
                                 target_year=2025, levels=(80, 95), seed=0)
    assert got is None and [n.code for n in notes] == ["cohort_uncovered"]
    assert not DRIVER_SPECS["cohort"].covers(years, short.years, short.lags)
    assert join_notes(notes, "zh") == ("出生人口数据（2019–2022年）未覆盖按3、4、5年滞后推算所需的"
                                       "年份（2022年需2017—2019年），仍按趋势外推")
    assert "do not cover lags 3, 4, 5 (the cohort of 2022 needs 2017–2019)" in \
        join_notes(notes, "en")


@pytest.fixture(scope="module")
def national_plan() -> tuple[planlib.Plan, pd.DataFrame]:
    plan = planlib.load_plan("cn_education_14th")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the series kept for reference
        return plan, planlib.load_observations(plan)


def test_the_evaluation_explains_the_cohort_projection_when_auto_picks_it(national_plan):
    plan, observations = national_plan
    ev = evaluate(plan, observations, as_of=2025, sensitivity=False)  # data through 2024
    r = ev["kindergarten_enrolment"]
    assert r.model == "cohort" and r.forecast is not None
    zh, en = r.notes_text("zh"), r.notes_text("en")
    births = observations[observations.indicator_id == "births"].set_index("year")["value"]
    cohort = births[2020] + births[2021] + births[2022]  # aged 3-5 in 2025
    assert f"按出生人口推算：2025年3—5岁儿童由2020—2022年出生的约{cohort:,.0f}万人构成" in zh
    assert f"the children aged 3–5 in 2025 were born in 2020–2022, about {cohort:,.0f}" in en
    assert f"{r.median:,.0f}" in zh
    assert WORDS["cohort"]["zh"] in build_section(ev, "zh", figures=False).markdown


def test_context_rows_have_no_progress_and_no_p_met(shipped):
    ev = shipped("cn_education_14th")
    row = ev.summary_frame().set_index("indicator_id").loc["kindergarten_enrolment"]
    assert row["target_kind"] == "context" and row["outlook_status"] == "no_target"
    assert (row["outlook_status_zh"], row["outlook_status_en"]) == ("无目标", "no target")
    for col in ("p_meet", "progress_share", "progress_ratio", "target_value",
                "required_pace", "baseline_value"):
        assert math.isnan(row[col]), col
    assert row["p_meet_text"] in ("", None) or pd.isna(row["p_meet_text"])
    assert row["progress_status_zh"] in ("", None) or pd.isna(row["progress_status_zh"])
    assert row["median"] > 0 and row["lo80"] < row["median"] < row["hi80"]
    assert ev["kindergarten_enrolment"] not in ev.at_risk


def test_the_report_counts_only_indicators_with_a_target(shipped):
    ev = shipped("cn_education_14th")
    n_target = sum(ind.target is not None for ind in ev.plan.indicators)
    assert n_target == len(ev.plan.indicators) - 1
    zh = build_section(ev, "zh", figures=False).markdown
    en = build_section(ev, "en", figures=False).markdown
    assert f"本规划共设{n_target}项主要指标" in zh
    assert "另列背景指标1项（规划未设目标，仅作预测，不计入上述统计）：学前教育在园幼儿数" in zh
    assert f"The plan has {n_target} main indicators" in en
    assert "规划未对该指标设定目标，作为背景指标仅作预测。" in zh


def test_each_region_of_a_driver_indicator_is_the_cohort_model_of_its_own_data(national_plan):
    """The panel path writes the rows of an indicator with ``driver:`` at any number of
    regions: each row is the cohort model fitted to that region's enrolment and births
    (here an area at half the national numbers), with its own derived seed."""
    plan, observations = national_plan
    kg = plan.indicator("kindergarten_enrolment")
    part = observations[observations.indicator_id.isin(["kindergarten_enrolment", "births"])]
    both = pd.concat([observations, part.assign(region="东城", value=part.value / 2)],
                     ignore_index=True)
    ev = evaluate(plan, both, as_of=2025, sensitivity=False)  # data through 2024
    table = ev.summary_frame().set_index(["indicator_id", "region"])
    years, values, drv = national(2024)
    for region, scale in (("", 1.0), ("东城", 0.5)):
        seed = derive_seed(0, kg.id, region)
        trend = forecast(years, values * scale, target_year=2025, bounds=(0, None), seed=seed)
        mine = DriverData("births", drv.years, drv.values * scale, drv.lags, BIRTHS)
        got, _ = driven_forecast(years, values * scale, trend, mine, bounds=(0.0, None),
                                 target_year=2025, levels=(80, 95), seed=seed)
        assert isinstance(got, CohortForecast)
        want = got.forecast.summary_frame().set_index("year").loc[2025]
        row = table.loc[(kg.id, region)]
        assert row["model"] == "cohort"
        for col in ("median", "lo80", "hi80", "lo95", "hi95"):
            assert row[col] == pytest.approx(want[col], rel=1e-12), (region, col)
        rich = ev[kg.id, region]
        assert rich.forecast is not None and rich.forecast.model == "cohort"
        assert rich.summary_frame().set_index("year").loc[2025, "median"] == \
            pytest.approx(want["median"], rel=1e-12)
