"""The report at each stage of the plan cycle (issue #17): a final evaluation worded as one
(已完成 / 未完成 with the gap, 按期 / 提前完成, provisional values, 待正式数据确认, P only where
the target-year value is not published, no 时间过半, no 加大工作力度), and a new plan's
目标建议 table instead of a progress section of 无法评估 rows."""

import math
import re

import pandas as pd
import pytest

import planlib
from planlib.core.evaluation import evaluate
from planlib.outputs.report import build_section
from planlib.outputs.report.blocks import Table

RATE = {"unit": "%", "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 93}}
#: The wording cases: id, nature, observations {year: value}, flags, expected zh and en.
CASES = [
    ("early", "binding", {2020: 90.0, 2021: 91.5, 2022: 93.2, 2023: 93.6, 2024: 94.0,
                          2025: 94.4}, {},
     "2025年实际值为94.4%，已完成，提前完成（2022年）。", "met early (2022)"),
    ("ontime", "expected", {2020: 90.0, 2021: 91.0, 2022: 91.8, 2023: 92.2, 2024: 92.8,
                            2025: 93.3}, {},
     "2025年实际值为93.3%，已完成，按期完成。", "met on time"),
    ("short", "binding", {2020: 90.0, 2021: 91.0, 2022: 91.8, 2023: 92.3, 2024: 92.7,
                          2025: 92.9}, {2025: "provisional"},
     "2025年实际值为92.9%，未完成，差0.1个百分点（2025年为初步数），待正式数据确认。",
     "not met, short by 0.1 percentage points (2025 value provisional), to be confirmed "
     "by the final figure"),
    ("nowcast", "expected", {2020: 90.0, 2021: 90.8, 2022: 91.5, 2023: 92.3, 2024: 93.0},
     {}, "2025年数据尚未发布；最新的2024年数据（93.0%）已达到目标，以下按趋势推算。",
     "No data yet for 2025 (the latest, 93.0% in 2024, already meets the target)"),
]


@pytest.fixture(scope="module")
def final_ev(make_plan, obs):
    """The four cases as one plan evaluated in 2026: its period is over."""
    plan = make_plan(*({"id": i, "name_zh": f"{i}指标", "name_en": i, "nature": nature,
                        **RATE} for i, nature, *_ in CASES), as_of=2026, title_en="Cases")
    frame = pd.concat([obs(i, values, flags=flags) for i, _, values, flags, *_ in CASES],
                      ignore_index=True)
    return evaluate(plan, frame)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_final_wording_of_each_case(final_ev, case):
    ident, _, _, _, zh, en = case
    for lang, want in (("zh", zh), ("en", en)):
        text = build_section(final_ev, lang, figures=False).paragraphs[(ident, "")]
        assert want in text, (lang, text)
        if ident != "nowcast":  # an observed outcome has no probability
            assert "概率" not in text and "P =" not in text and "likely" not in text
        else:
            assert re.search(r"概率(大于|小于)?0\.\d\d|probability (above |below )?0\.\d\d", text)


def test_a_nowcast_with_data_ending_years_before_names_the_missing_span(make_plan, obs):
    """Data through 2022 in a final evaluation of a 2025 target (the national myopia rate):
    the paragraph and the table say 2023—2025年数据尚未发布 / no data yet for 2023–2025."""
    plan = make_plan({"id": "m", "name_zh": "近视率", "name_en": "Myopia", **RATE}, as_of=2026)
    ev = evaluate(plan, obs("m", {2018: 90.0, 2019: 90.6, 2020: 91.1, 2021: 91.9,
                                  2022: 92.3}))
    for lang, span, row in (
            ("zh", "2023—2025年数据尚未发布", "2023—2025年数据尚未发布，按趋势推算"),
            ("en", "No data yet for 2023–2025", "no data yet for 2023–2025:")):
        sec = build_section(ev, lang, figures=False)
        assert span in sec.paragraphs[("m", "")], sec.paragraphs[("m", "")]
        assert row in sec.markdown  # the outcome table and section 四
        assert "| 2025年数据尚未发布" not in sec.markdown and "for 2025:" not in sec.markdown


def test_final_table_summary_and_no_mid_term_words(final_ev):
    table = final_ev.summary_frame().set_index("indicator_id")
    assert (table["stage"] == "final").all()
    assert list(table["outcome"]) == ["met", "met", "not_met", "nowcast"]
    assert table.loc["early", "first_met_year"] == 2022
    assert table.loc["ontime", "first_met_year"] == 2025
    assert table.loc["short", "final_margin"] == pytest.approx(-0.1)
    assert bool(table.loc["short", "awaits_final"]) and \
        bool(table.loc["short", "provisional_target_year"])
    sec = build_section(final_ev, "zh", figures=False)
    md = sec.markdown
    assert "4项指标中，2项已完成、1项未完成、1项待数据发布；已发布结果中1项依据初步数，" \
        "待正式数据确认；约束性指标2项中，1项已完成、1项未完成。" in md
    for banned in ("时间过半", "加大工作力度", "目标未能实现", "进度"):
        assert banned not in md, banned
    done = next(b for b in sec.blocks if isinstance(b, Table))
    cells = {row[0]: row for row in done.rows}
    assert cells["short指标（%）"][4:] == ("92.9", "未完成，差0.1个百分点（2025年为初步数），"
                                           "待正式数据确认")
    assert cells["nowcast指标（%）"][4] == "—" and "概率" in cells["nowcast指标（%）"][5]
    en = build_section(final_ev, "en", figures=False).markdown
    assert "Of 4 indicators, 2 met, 1 not met, 1 awaiting data" in en
    assert "half the time" not in en


@pytest.mark.slow
def test_national_plan_as_of_2026_is_a_final_evaluation():
    plan = planlib.load_plan("cn_education_14th")
    ev = evaluate(plan, planlib.load_observations(plan), as_of=2026)
    table = ev.summary_frame().set_index("indicator_id")
    assert (table["stage"] == "final").all()
    assert table.loc["preschool_ger", "outcome"] == "met"
    assert table.loc["preschool_ger", "first_met_year"] == 2023  # 提前完成
    assert table.loc["higher_ed_ger", "outcome"] == "nowcast"  # 2025 not published
    md = build_section(ev, "zh", figures=False).markdown
    assert md.startswith("# 主要指标2025年目标完成情况评估")
    assert "时间过半" not in md and "加大工作力度" not in md
    assert "学前教育毛入园率（%） | 预期性 | 85.2 | 90.0 | 92.9 | 已完成，提前完成（2023年）" \
        "（2025年为初步数）" in md
    paragraphs = build_section(ev, "zh", figures=False).paragraphs
    # the target-year value and its provisional flag said once, in the outcome sentence
    pre = paragraphs[("preschool_ger", "")]
    assert pre.count("初步数") == 1 and pre.count("92.9%") == 1, pre
    assert "2020年为85.2%。2025年实际值为92.9%，已完成，提前完成（2023年）（2025年为初步数）" in pre
    # a nowcast whose latest value already meets the target says so
    assert "最新的2024年数据（60.8%）已达到目标" in paragraphs[("higher_ed_ger", "")]
    assert "0项" not in md


@pytest.mark.slow
def test_a_new_plan_gets_proposals_not_unmeasurable_progress():
    from planlib.core import proposal

    plan = planlib.load_plan("cn_education_15th_draft")
    obs = planlib.load_observations(plan)
    ev = evaluate(plan, obs)
    sec = build_section(ev, "zh", figures=False)
    md = sec.markdown
    assert "## 二、目标建议" in md and "无法评估" not in md and "暂无法测算进度" not in md
    table = next(b for b in sec.blocks if isinstance(b, Table))
    want = proposal.propose(evaluate(plan, obs, levels=(60, 80)))
    for row, (_, p) in zip(table.rows, want.iterrows(), strict=True):
        # p50 / p80 / p90 as `planlib propose` writes them, to the report's decimals; a
        # projection that cannot be used (core.reliability) shows none
        if p["reliability"] != "reliable":  # and, by the same rule, no P and no band
            assert list(row[3:6]) == ["—"] * 3 and math.isnan(p["p50"])
            assert list(row[7:]) == ["—", "无法可靠预测"] and p["draft_band"] == "unreliable"
            continue
        assert [float(c) for c in row[3:6]] == pytest.approx(
            [p["p50"], p["p80"], p["p90"]], abs=0.051 if "年限" not in row[0] else 0.0051)
    assert "稳妥：按现有趋势几乎必然实现" in md
    assert "稳妥1项、积极3项、有挑战1项、无法可靠预测3项" in md
    # the paragraph of an unreliable projection: the reason first, the numbers as a
    # mechanical extrapolation, no P(met) and no call; a reliable one keeps its call
    childcare = sec.paragraphs[("childcare_places_per_1000", "")]
    reason = "仅有5个观测值（2020—2024年），无法据此可靠预测到2030年。"
    assert reason + "按带漂移的随机游走模型机械外推，2030年为7.50个" in childcare
    assert childcare.count("无法据此可靠预测") == 1, childcare
    for words in ("概率", "很可能完成", "预计"):
        assert words not in childcare, (words, childcare)
    assert "不同模型给出的达标概率" not in sec.paragraphs[("myopia_rate_overall", "")]
    assert "很可能完成（概率大于0.99）" in sec.paragraphs[("preschool_ger", "")]


def _planning_plan(make_plan, obs, target: float, targets_status: str = "adopted"):
    """A new plan (baseline 2025, target 2030, data to 2025) on one steady rate, its
    target published (adopted) or drafted (draft)."""
    plan = make_plan({"id": "r", "name_zh": "r指标", "name_en": "r", **RATE,
                      "target": {"kind": "level_at_least", "value": target}},
                     baseline=2025, target=2030, as_of=2026, title_en="New")
    plan = plan.model_copy(update={"plan": plan.plan.model_copy(
        update={"targets_status": targets_status})})
    values = {y: 80.0 + 0.5 * (y - 2016) + (0.2 if y % 2 else -0.2) for y in range(2016, 2026)}
    return evaluate(plan, obs("r", values))


def _nowcast_short(make_plan, obs):
    """A plan whose period is over, the target-year value unpublished, the latest short."""
    plan = make_plan({"id": "n", "name_zh": "n指标", **RATE}, as_of=2026)
    return evaluate(plan, obs("n", {2020: 90.0, 2021: 90.5, 2022: 91.0, 2023: 91.4,
                                    2024: 92.0}))


def test_a_nowcast_short_of_the_target_is_projected_without_more(make_plan, obs):
    text = build_section(_nowcast_short(make_plan, obs), "zh",
                         figures=False).paragraphs[("n", "")]
    assert "2025年数据尚未发布，以下按趋势推算。" in text and "已达到目标" not in text


@pytest.mark.slow
def test_every_stage_template_is_used(final_ev, make_plan, obs):
    """Each final.* and planning.* template is reached (test_report checks the others)."""
    from planlib.outputs.report.text import TEMPLATES

    all_met = make_plan({"id": "a", "name_zh": "a指标", **RATE}, as_of=2026)
    met_ev = evaluate(all_met, obs("a", {2020: 90.0, 2023: 93.5, 2025: 94.0}))
    shipped = planlib.load_plan("cn_education_15th_draft")
    sections = [build_section(final_ev, "zh", figures=True),
                build_section(met_ev, "en", figures=False),
                build_section(evaluate(shipped, planlib.load_observations(shipped)), "zh",
                              figures=True),
                build_section(_planning_plan(make_plan, obs, 99.0), "zh", figures=False),
                build_section(_planning_plan(make_plan, obs, 85.5), "en", figures=False),
                build_section(_planning_plan(make_plan, obs, 99.0, "draft"), "en",
                              figures=False),
                build_section(_planning_plan(make_plan, obs, 82.0), "zh", figures=False),
                build_section(_nowcast_short(make_plan, obs), "zh", figures=False),
                build_section(_mixed_plan(make_plan, obs), "en", figures=False)]
    used = set().union(*(s.keys_used for s in sections))
    stage_keys = {k for k in TEMPLATES if k.startswith(("final.", "planning."))}
    assert not stage_keys - used, sorted(stage_keys - used)
    assert "planning.beyond_reach.adopted" in sections[3].keys_used
    assert "planning.none" in sections[4].keys_used
    assert "final.open_none" in sections[1].keys_used


@pytest.mark.slow
def test_cli_evaluate_and_report_as_of_2026_give_the_final_evaluation(tmp_path):
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "planlib.cli", *args],
                              capture_output=True, text=True, timeout=300)

    done = cli("evaluate", "--plan", "cn_education_14th", "--as-of", "2026",
               "--out", str(tmp_path / "ev"))
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "ev" / "evaluation.csv", encoding="utf-8-sig")
    assert (table["stage"] == "final").all()
    seen = table["outcome"].isin(["met", "not_met"])
    assert seen.sum() >= 4 and (table.loc[seen, "model"] == "observed").all()
    done = cli("report", "--plan", "cn_education_14th", "--as-of", "2026", "--lang", "zh",
               "--format", "md", "--out", str(tmp_path / "rep"))
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "rep" / "cn_education_14th" / "zh" / "report.md").read_text("utf-8")
    assert md.startswith("# 主要指标2025年目标完成情况评估")
    assert "时间过半" not in md and "加大工作力度" not in md
    completion = md.split("## 二、")[1].split("## 三、")[0]
    for line in completion.splitlines():
        if "已完成" in line or "未完成" in line:  # observed outcomes: no probability
            assert "概率" not in line, line


def test_final_csv_table_has_outcomes_and_p_only_for_the_nowcast(final_ev):
    frame = build_section(final_ev, "en", figures=False).tables["overview"]
    got = frame.set_index("indicator_id")
    assert list(got["outcome"]) == ["met", "met", "not_met", "nowcast"]
    assert got.loc["short", "margin"] == pytest.approx(-0.1)
    assert got.loc["early", "first_met_year"] == 2022
    assert (got.loc[["early", "ontime", "short"], "p_meet"] == "").all()
    assert got.loc["nowcast", "p_meet"] != "" and pd.isna(got.loc["nowcast", "value"])


def test_final_indicator_chart_shows_no_interval_for_an_observed_outcome(final_ev):
    from planlib.outputs.figures import charts
    from planlib.outputs.figures.words import word

    def legend(ident: str, lang: str) -> list[str]:
        fig = charts.indicator_chart(final_ev[ident], lang=lang)
        return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]

    for lang in ("zh", "en"):
        bands = {word("band", lang, level=lv) for lv in final_ev.levels}
        median = word("median", lang)
        for ident in ("early", "short"):  # observed: the outcome, no fan
            names = legend(ident, lang)
            assert not bands & set(names) and median not in names, names
        assert bands <= set(legend("nowcast", lang))  # not published: P and its fan


def test_final_chart_of_a_context_series_draws_and_lists_only_what_it_has(make_plan, obs):
    """A series without a target observed in the target year (kindergarten enrolment in
    the national plan's final evaluation): no median or interval is drawn, so none is in
    the legend; no trend is drawn, so no point is greyed as not fitted."""
    from matplotlib.colors import to_hex

    from planlib.outputs.figures import charts, style
    from planlib.outputs.figures.words import word

    plan = make_plan({"id": "kids", "name_zh": "在园幼儿数", "name_en": "Kids", "unit": "万人",
                      "bounds": [0, None], "fit_from": 2021}, as_of=2026)
    values = {2015: 4265.0, 2016: 4414.0, 2017: 4600.0, 2018: 4656.0, 2019: 4714.0,
              2020: 4818.0, 2021: 4805.0, 2022: 4628.0, 2023: 4093.0, 2024: 3584.0,
              2025: 3226.0}
    result = evaluate(plan, obs("kids", values, flags={2025: "provisional"}))["kids"]
    assert not result.history["in_fit"].all()  # the evaluation keeps its fit window
    for lang in ("zh", "en"):
        fig = charts.indicator_chart(result, lang=lang)
        names = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        drawn = {word("band", lang, level=lv) for lv in result.levels} | {
            word("median", lang), word("observed_outside_fit", lang), word("fitted", lang),
            word("fit_window", lang)}
        assert not drawn & set(names), names
        assert word("observed", lang) in names and word("provisional", lang) in names
        muted = to_hex(style.COLOURS["muted"])
        assert not [ln for ln in fig.axes[0].get_lines()
                    if ln.get_marker() not in ("None", "", None) and ln.get_xdata().size
                    and to_hex(ln.get_color()) == muted]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_final_as_of_label_is_clear_of_every_marker_and_inside_the_axes(final_ev, lang):
    """数据截至2025年 sits beside the as-of line where no marker is: in the final stage the
    target-year value is on that line, often at the top of the chart (as on the national
    preschool chart, where it touched the 2025 marker)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from planlib.outputs.figures import charts
    from planlib.outputs.figures.words import word

    for ident, *_ in CASES:
        fig = charts.indicator_chart(final_ev[ident], lang=lang)
        FigureCanvasAgg(fig).draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        label = next(t for t in ax.texts if t.get_text() == word("as_of", lang, year=2025))
        box = label.get_window_extent(renderer)
        frame = ax.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 \
            and box.y1 <= frame.y1, (ident, box, frame)
        for line in ax.get_lines():
            if line.get_marker() in ("None", "", None):
                continue
            reach = (line.get_markersize() / 2 + line.get_markeredgewidth()) * fig.dpi / 72
            for x, y in line.get_transform().transform(line.get_xydata()):
                assert not (box.x0 - reach < x < box.x1 + reach
                            and box.y0 - reach < y < box.y1 + reach), (ident, x, y, box)


@pytest.mark.parametrize("status", ["draft", "adopted"])
def test_a_new_plan_names_its_targets_as_drafts_only_when_they_are(make_plan, obs, status):
    """targets_status: draft → 草案目标 and advice to raise or revise; adopted (the default,
    published targets) → 规划目标, never 草案."""
    sec = build_section(_planning_plan(make_plan, obs, 99.0, status), "zh", figures=False)
    md = sec.markdown
    if status == "draft":
        assert md.startswith("# 2030年主要指标目标测算建议")
        assert "草案目标为到2030年达到99.0%以上" in md and "或调整目标" in md
        assert "规划目标为" not in md and "规划目标中" not in md
    else:
        assert md.startswith("# 主要指标2030年目标实现可能性测算")
        assert "规划目标为到2030年达到99.0%以上" in md and "需要更有力的措施。" in md
        assert "草案" not in md
    en = build_section(_planning_plan(make_plan, obs, 99.0, status), "en", figures=False)
    low = en.markdown.lower()
    assert ("the draft" in low or "drafted target" in low) == (status == "draft")


def _mixed_plan(make_plan, obs, draft: float = 99.0, adopted: float = 70.0):
    """A draft plan (baseline 2025, target 2030) holding one target already published
    (``targets_status: adopted`` on the indicator), both on one steady rate."""
    plan = make_plan({"id": "d", "name_zh": "d指标", "name_en": "d", **RATE,
                      "target": {"kind": "level_at_least", "value": draft}},
                     {"id": "a", "name_zh": "a指标", "name_en": "a", **RATE,
                      "target": {"kind": "level_at_least", "value": adopted},
                      "targets_status": "adopted"},
                     baseline=2025, target=2030, as_of=2026, title_en="New")
    plan = plan.model_copy(update={"plan": plan.plan.model_copy(
        update={"targets_status": "draft"})})
    assert [plan.targets_status_of(i) for i in plan.indicators] == ["draft", "adopted"]
    values = {y: 80.0 + 0.5 * (y - 2016) + (0.2 if y % 2 else -0.2) for y in range(2016, 2026)}
    return evaluate(plan, pd.concat([obs("d", values), obs("a", values)], ignore_index=True))


def test_an_indicator_targets_status_overrides_the_plans(make_plan, obs):
    """A draft plan holding a target already published (the 15th-plan example's three
    2030 targets): that indicator's words say 规划目标, the drafts' 草案目标, and words
    about all the targets together say 目标."""
    from planlib.outputs.report import planning_stage

    ev = _mixed_plan(make_plan, obs)
    zh = build_section(ev, "zh", figures=False)
    assert zh.paragraphs[("d", "")].startswith("草案目标为到2030年达到99.0%以上")
    assert zh.paragraphs[("a", "")].startswith("规划目标为到2030年达到70.0%以上")
    assert zh.markdown.startswith("# 2030年主要指标目标测算建议")  # the plan is a draft
    assert "| 目标 |" in zh.markdown and "实现概率为目标按趋势实现的概率" in zh.markdown
    assert "d指标的草案目标按现有趋势几乎不可能实现" in zh.markdown
    assert "a指标的规划目标按现有趋势几乎必然实现" in zh.markdown
    assert "以下2项目标需要斟酌或关注：" in zh.markdown
    en = build_section(ev, "en", figures=False)
    assert en.paragraphs[("d", "")].startswith("The draft target is at least 99.0%")
    assert en.paragraphs[("a", "")].startswith("The plan's target is at least 70.0%")
    assert planning_stage.common_status(ev) == "mixed"
    assert planning_stage.common_status(ev, [ev["a"]]) == "adopted"


def test_planning_csv_is_the_proposal_table_not_the_mid_term_overview(make_plan, obs):
    from planlib.core import proposal

    ev = _planning_plan(make_plan, obs, 85.5, "draft")
    for lang, target, band in (("zh", "草案目标", "评价代码"), ("en", "target", "band")):
        frame = build_section(ev, lang, figures=False).tables["overview"]
        row = frame.iloc[0]
        assert {"p50", "p80", "p90", target, band} <= set(frame.columns)
        assert not {"进度", "progress_status", "预测判断"} & set(frame.columns)
        want = proposal.propose(evaluate(ev.plan, obs("r", {
            y: 80.0 + 0.5 * (y - 2016) + (0.2 if y % 2 else -0.2) for y in range(2016, 2026)
        }), levels=(60, 80))).iloc[0]
        assert [row["p50"], row["p80"], row["p90"]] == pytest.approx(
            [want["p50"], want["p80"], want["p90"]], abs=0.051)
        assert row[target] == 85.5 and row[band] == want["draft_band"]


def test_a_source_is_said_in_the_reports_language(shipped):
    """An indicator's source_en is its source in English outputs; Chinese outputs keep
    source: the 15th-plan example's illustrative drafts no longer show English in zh."""
    ev = shipped("cn_education_15th_draft")
    r = ev["preschool_ger"]
    assert r.source("zh") == "示例草案目标（非已公布目标）"
    assert r.source("en") == "illustrative draft (not a published target)"
    published = ev["myopia_rate_overall"]  # no source_en: the one source in both
    assert published.source("en") == published.source("zh") == published.indicator.source
    zh, en = (build_section(ev, lang, figures=False).markdown for lang in ("zh", "en"))
    assert "illustrative" not in zh and "- 学前教育毛入园率：示例草案目标（非已公布目标）" in zh
    assert "- Preschool gross enrolment rate: illustrative draft (not a published target)" in en
