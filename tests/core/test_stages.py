"""Stages and the final-stage outcome, worded (issue #17): a table of cases, each checked
alone and all at once (one implementation for one row or many)."""

import math

import numpy as np
import pandas as pd
import pytest

import planlib
from planlib.core import cycle_labels as words
from planlib.core.stages import final_outcome, plan_stage, stage, usual_revision

YEARS = list(range(2020, 2026))

# (name, years, values, provisional years, target, direction, unit, p_meet,
#  outcome, first_met_year, awaits_final, zh, en)
CASES = [
    ("met early", YEARS, [88, 89.5, 90.2, 90.5, 91, 91.3], (), 90, 1, "%", math.nan,
     "met", 2022, False, "已完成，提前完成（2022年）", "met early (2022)"),
    ("met on time", YEARS, [85, 86, 87, 88, 89, 90.0], (), 90, 1, "%", math.nan,
     "met", 2025, False, "已完成，按期完成", "met on time"),
    ("met, lost, met again: on time", YEARS, [88, 89, 90.1, 90.3, 89.9, 90.4], (), 90, 1,
     "%", math.nan, "met", 2025, False, "已完成，按期完成", "met on time"),
    ("missed by a provisional 0.1", YEARS, [90.1, 91, 91.8, 92.2, 92.6, 92.9], (2025,), 93,
     1, "%", math.nan, "not_met", None, True,
     "未完成，差0.1个百分点（2025年为初步数），待正式数据确认",
     "not met, short by 0.1 percentage points (2025 value provisional), to be confirmed by "
     "the final figure"),
    ("met by a provisional 0.3: beyond a usual revision", YEARS,
     [90.1, 91, 91.8, 92.2, 92.6, 93.3], (2025,), 93, 1, "%", math.nan, "met", 2025, False,
     "已完成，按期完成（2025年为初步数）", "met on time (2025 value provisional)"),
    ("met exactly, provisional", YEARS, [90.1, 91, 91.8, 92.2, 92.6, 93.0], (2025,), 93, 1,
     "%", math.nan, "met", 2025, True, "已完成，按期完成（2025年为初步数），待正式数据确认",
     "met on time (2025 value provisional), to be confirmed by the final figure"),
    ("a falling rate missed", YEARS, [52.7, 53.6, 52.7, 51.9, 51.0, 50.2], (), 50, -1, "%",
     math.nan, "not_met", None, False, "未完成，差0.2个百分点", "not met, short by 0.2 "
     "percentage points"),
    ("schooling years missed by 0.05", YEARS, [10.8, 10.9, 10.93, 11.05, 11.1, 11.25], (),
     11.3, 1, "年", math.nan, "not_met", None, False, "未完成，差0.05年",
     "not met, short by 0.05 years"),
    ("nowcast", YEARS[:-1], [88, 89, 89.4, 89.9, 90.2], (), 91, 1, "%", 0.72, "nowcast",
     None, False, "2025年数据尚未发布，按趋势推算可能完成（概率0.72）",
     "no data yet for 2025: likely by the trend (P = 0.72)"),
]


def _one(case):
    _, years, values, prov, target, d, *_ = case
    flags = ["provisional" if y in prov else "" for y in years]
    return final_outcome(years, values, flags, target, d, 2025)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_final_outcome_and_its_words(case):
    *_, unit, p, outcome, first, awaits, zh, en = case
    fo = _one(case)
    assert fo.outcome[0] == outcome
    assert (math.isnan(fo.first_met_year[0]) if first is None
            else fo.first_met_year[0] == first)
    assert bool(fo.awaits_final[0]) is awaits
    assert words.final_phrases(fo, unit, p, "zh") == [zh]
    assert words.final_phrases(fo, unit, p, "en") == [en]


def test_all_cases_at_once_give_the_rows_one_by_one():
    width = max(len(c[1]) for c in CASES)
    pad = lambda xs, fill: list(xs) + [fill] * (width - len(xs))  # noqa: E731
    years = np.array([pad(c[1], np.nan) for c in CASES], dtype=float)
    values = np.array([pad(c[2], np.nan) for c in CASES], dtype=float)
    flags = np.array([pad(["provisional" if y in c[3] else "" for y in c[1]], "")
                      for c in CASES], dtype=object)
    many = final_outcome(years, values, flags, [c[4] for c in CASES], [c[5] for c in CASES],
                         2025)
    assert words.final_phrases(many, [c[6] for c in CASES], [c[7] for c in CASES], "zh") \
        == [c[11] for c in CASES]
    for i, case in enumerate(CASES):
        one = _one(case)
        for field in ("outcome", "margin", "first_met_year", "awaits_final", "decimals"):
            np.testing.assert_array_equal(getattr(many, field)[i], getattr(one, field)[0])


def test_the_usual_revision_is_one_unit_of_the_finest_published_digit():
    assert usual_revision([[92.9, 93, 93.4]])[0] == pytest.approx(0.1)
    assert usual_revision([[10.8, 10.9, 10.93]])[0] == pytest.approx(0.01)
    assert usual_revision([[1234, 19870, np.nan]])[0] == pytest.approx(1)
    # a measured revision (from vintages) overrides the default: 0.05 cannot flip 0.1
    fo = final_outcome(YEARS, [90.1, 91, 91.8, 92.2, 92.6, 92.9],
                       [""] * 5 + ["provisional"], 93, 1, 2025, revision=0.05)
    assert fo.outcome[0] == "not_met" and not fo.awaits_final[0]


@pytest.mark.parametrize(("baseline", "target", "as_of", "latest", "expected"), [
    (2020, 2025, 2023, 2022, "mid_term"),       # the mid-term evaluation
    (2020, 2025, 2026, 2025, "final"),          # the target year observed
    (2020, 2025, 2026, 2024, "final"),          # as_of after the target year, data late
    (2020, 2022, 2026, 2021, "final"),          # fitness 2022 between 2021 and 2024
    (2025, 2030, 2026, 2025, "planning"),       # a new plan, data up to its baseline
    (2025, 2030, 2026, 2022, "planning"),       # a new plan, data older than its baseline
    (2025, 2030, 2026, math.nan, "planning"),   # a new plan, no data at all
    (2025, 2030, 2028, 2027, "mid_term"),
])
def test_stage(baseline, target, as_of, latest, expected):
    assert stage(baseline, target, as_of, latest).item() == expected
    assert stage([baseline] * 3, target, as_of, [latest] * 3).tolist() == [expected] * 3


def test_plan_stage_reads_the_latest_observation_of_any_indicator():
    assert plan_stage(2020, 2025, 2026, [2021, 2024, math.nan]) == "final"
    assert plan_stage(2025, 2030, 2026, [2022, math.nan]) == "planning"
    assert plan_stage(2020, 2025, 2024, [2021, 2023]) == "mid_term"


def test_completion_summary_counts_outcomes_and_binding_indicators():
    fo = final_outcome([YEARS] * 3, [[88, 89.5, 90.2, 90.5, 91, 91.3],
                                     [90.1, 91, 91.8, 92.2, 92.6, 92.9],
                                     [88, 89, 89.4, 89.9, 90.2, np.nan]],
                       [[""] * 6, [""] * 5 + ["provisional"], [""] * 6], [90, 93, 91], 1, 2025)
    counts = words.completion_counts(fo.outcome, ["binding", "binding", "expected"],
                                     fo.awaits_final)
    assert words.completion_summary(counts, "zh") == (
        "3项指标中，1项已完成、1项未完成、1项待数据发布；已发布结果中1项依据初步数，"
        "待正式数据确认；约束性指标2项中，1项已完成、1项未完成。")
    assert words.completion_summary(counts, "en") == (
        "Of 3 indicators, 1 met, 1 not met, 1 awaiting data; 1 of the published outcomes "
        "rest on provisional figures, to be confirmed by the final ones; binding "
        "indicators (2): 1 met, 1 not met.")


def test_completion_summary_leaves_out_zero_counts():
    counts = words.completion_counts(["met", "nowcast", "met", ""], ["binding", "expected",
                                     "expected", "binding"], [False] * 4)
    assert words.completion_summary(counts, "zh") == (
        "4项指标中，2项已完成、1项待数据发布；约束性指标2项中，1项已完成。")  # 1 of 2 binding
    assert words.completion_summary(counts, "en") == (
        "Of 4 indicators, 2 met, 1 awaiting data; binding indicators (2): 1 met.")
    none = words.completion_counts(["", ""], ["expected", "expected"], [False, False])
    assert words.completion_summary(none, "zh") == ""


@pytest.mark.parametrize(("outcomes", "natures", "zh", "en"), [
    (["met"], ["binding"], "1项指标已完成；1项约束性指标已完成。",
     "The one indicator: met; the one binding indicator: met."),
    (["met", "met", "met"], ["binding", "binding", "expected"],
     "全部3项指标均已完成；全部2项约束性指标均已完成。",
     "All 3 indicators: met; all 2 binding indicators: met."),
    (["met", "not_met", "nowcast"], ["binding", "expected", "expected"],
     "3项指标中，1项已完成、1项未完成、1项待数据发布；1项约束性指标已完成。",
     "Of 3 indicators, 1 met, 1 not met, 1 awaiting data; the one binding indicator: met."),
    (["nowcast", "nowcast"], ["expected", "expected"], "全部2项指标均待数据发布。",
     "All 2 indicators: awaiting data."),
    (["met", ""], ["binding", "binding"],  # a binding row without an outcome
     "2项指标中，1项已完成；约束性指标2项中，1项已完成。",
     "Of 2 indicators, 1 met; binding indicators (2): 1 met."),
])
def test_one_outcome_for_all_is_said_as_such(outcomes, natures, zh, en):
    """约束性指标1项中，1项已完成 reads stiffly: one outcome for every row (of all, or of
    the binding ones) is 1项约束性指标已完成 / 全部N项…均已完成, by one rule in both languages."""
    counts = words.completion_counts(outcomes, natures, [False] * len(outcomes))
    assert words.completion_summary(counts, "zh") == zh
    assert words.completion_summary(counts, "en") == en


def test_a_nowcast_already_reached_says_the_year_it_was_reached():
    common = dict(target_year=2025, first_met_year=math.nan, margin=math.nan, decimals=1,
                  unit="%", provisional=False, awaits_final=False, p_meet=0.92)
    assert words.final_phrase("nowcast", **common, lang="zh", reached_year=2024.0) == (
        "2025年数据尚未发布，2024年已达到目标，按趋势推算很可能完成（概率0.92）")
    assert words.final_phrase("nowcast", **common, lang="en") == (
        "no data yet for 2025: very likely by the trend (P = 0.92)")


@pytest.mark.parametrize(("missing_from", "zh", "en"), [
    (2025.0, "2025年数据尚未发布", "no data yet for 2025:"),
    (math.nan, "2025年数据尚未发布", "no data yet for 2025:"),
    (2023.0, "2023—2025年数据尚未发布", "no data yet for 2023–2025:"),
])
def test_a_nowcast_names_every_year_without_data(missing_from, zh, en):
    """Myopia's data end in 2022: 2023—2025年数据尚未发布, not 2025年 alone."""
    common = dict(target_year=2025, first_met_year=math.nan, margin=math.nan, decimals=1,
                  unit="%", provisional=False, awaits_final=False, p_meet=0.47,
                  missing_from=missing_from)
    assert words.final_phrase("nowcast", **common, lang="zh").startswith(zh + "，按趋势推算")
    assert words.final_phrase("nowcast", **common, lang="en").startswith(en)


def test_national_fitness_target_between_two_observations_is_worded_as_a_nowcast():
    plan = planlib.load_plan("cn_education_14th")
    obs = planlib.load_observations(plan)
    extra = pd.DataFrame({"indicator_id": ["fitness_good_excellent_rate"], "region": "",
                          "year": [2024], "value": [38.5], "flag": None})
    r = planlib.evaluate(plan, pd.concat([obs, extra], ignore_index=True),
                         as_of=2026)["fitness_good_excellent_rate"]
    h = r.history
    assert stage(r.baseline_year, r.target_year, r.as_of, h["year"].max()).item() == "final"
    fo = final_outcome(h["year"], h["value"], h["flag"], r.target_level, 1, r.target_year)
    assert fo.outcome[0] == "nowcast"
    (zh,) = words.final_phrases(fo, "%", r.p_meet, "zh")
    p_text = planlib.core.labels.format_p(r.p_meet)
    assert zh == f"2022年数据尚未发布，按趋势推算很难完成（概率{p_text}）"


@pytest.mark.parametrize(("p", "band", "flag"), [
    (0.99, "safe", "not_ambitious"), (0.92, "safe", ""), (0.75, "ambitious", ""),
    (0.40, "challenging", ""), (0.10, "out_of_reach", ""), (0.02, "out_of_reach",
                                                            "beyond_reach"),
    (math.nan, "no_probability", ""),
])
def test_draft_bands_and_flags(p, band, flag):
    assert words.draft_band(p) == band and words.draft_flag(p) == flag
    assert words.draft_words(band, "zh") in {"稳妥", "积极", "有挑战", "难以实现", "无法测算"}
