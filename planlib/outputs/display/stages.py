"""What the notebooks show at each stage of the plan cycle (issue #17): a line naming the
stage and what it shows; the table of the stage (targets at risk at mid-term, outcomes in
the final evaluation, the 目标建议 table for a new plan); the proposals' method note.

The tables are the report's own (`planlib.outputs.report.final_stage.final_frame`,
`planlib.outputs.report.planning_stage.planning_frame`, the CSVs `planlib report`
writes), so a notebook cannot disagree with the report. The notebooks' words about the
stages are in `NOTEBOOK_TEXTS`, zh and en in one place; stage names come from
`planlib.core.cycle_labels`.
"""

from __future__ import annotations

import pandas as pd

from planlib.core import cycle_labels
from planlib.core.labels import check_lang
from planlib.core.result import Evaluation
from planlib.outputs.display.tables import at_risk_table
from planlib.outputs.files.safe_text import markdown_text
from planlib.outputs.report import final_stage, planning_stage
from planlib.outputs.report.text import Sayer, word

#: The notebooks' words about stages: format strings over the named parameters.
NOTEBOOK_TEXTS: dict[str, dict[str, str]] = {
    "stage": {"zh": "评估阶段：**{stage}**。{what}", "en": "Stage: **{stage}**. {what}"},
    "what.mid_term": {
        "zh": "数据截至目标年以前：评估进度（时间进度与任务进度），预测到目标年的走势和达标概率。",
        "en": "The data end before the target year: progress to date against time elapsed, "
              "and the outlook to the target year with P(target met)."},
    "what.final": {
        "zh": "规划期已结束：目标年数据已发布的指标给出实际完成情况（已完成 / 未完成），"
              "不给概率；尚未发布的按趋势推算并给出达标概率。",
        "en": "The plan period is over: where the target year is published, the outcome "
              "(met / not met) with no probability; where it is not, a projection with its "
              "P(target met)."},
    "what.planning": {
        "zh": "新规划，基期以后尚无数据：不评估进度；按趋势测算到目标年以50%、80%、90%的概率"
              "达到的水平，以及{targets}的实现概率（见5.0-targets）。",
        "en": "A new plan with no data after its baseline: no progress to measure; the "
              "levels the trend reaches by the target year with probability 50, 80 and 90 %, "
              "and the P of each {targets} (see 5.0-targets)."},
    "no_proposals": {
        "zh": "目标建议针对规划编制阶段的新规划（基期以后尚无数据）。本规划处于{stage}阶段，"
              "此处不列出；`planlib propose` 可对任何规划测算。",
        "en": "Target proposals are for a new plan in the planning stage (no data after its "
              "baseline). This plan is in the {stage} stage, so none are shown here; "
              "`planlib propose` computes them for any plan."},
}


def text(key: str, lang: str, **params: object) -> str:
    """One of `NOTEBOOK_TEXTS` in ``lang``."""
    return NOTEBOOK_TEXTS[key][check_lang(lang)].format(**params)


def stage_of(evaluation: Evaluation) -> str:
    """The plan's stage (``planning``, ``mid_term`` or ``final``), as the report takes it."""
    return final_stage.report_stage(evaluation)


def _targets(evaluation: Evaluation, lang: str) -> str:
    """草案目标 or 规划目标 (目标 when mixed), by the targets' status."""
    return word(f"targets.{planning_stage.common_status(evaluation)}", lang)


def stage_note(evaluation: Evaluation, lang: str = "zh") -> str:
    """One Markdown line: the stage and what the notebook shows at it."""
    stage = stage_of(evaluation)
    return text("stage", lang, stage=cycle_labels.STAGE_LABELS[stage][check_lang(lang)],
                what=text(f"what.{stage}", lang, targets=_targets(evaluation, lang)))


def stage_table(evaluation: Evaluation, lang: str = "zh") -> pd.DataFrame:
    """The table of the stage: the targets at risk at mid-term, the completion table in
    the final evaluation (no probability for an observed outcome), the 目标建议 table for
    a new plan."""
    stage = stage_of(evaluation)
    if stage == "final":
        return final_stage.final_frame(evaluation, lang)
    if stage == "planning":
        return planning_stage.planning_frame(evaluation, lang)
    return at_risk_table(evaluation, lang)


def proposal_table(evaluation: Evaluation, lang: str = "zh") -> pd.DataFrame:
    """The 目标建议 table (the report's, as written to table1_overview.csv)."""
    return planning_stage.planning_frame(evaluation, lang)


def no_proposals_note(evaluation: Evaluation, lang: str = "zh") -> str:
    """Why a plan not in the planning stage gets no proposals in 5.0-targets."""
    stage = cycle_labels.STAGE_LABELS[stage_of(evaluation)][check_lang(lang)]
    return text("no_proposals", lang, stage=stage)


def method_note(evaluation: Evaluation, lang: str = "zh") -> str:
    """The proposals' method note as the report writes it, as Markdown (lead in bold)."""
    paragraph = planning_stage.planning_method(Sayer(lang),
                                               planning_stage.common_status(evaluation))
    lead, rest = paragraph.split_lead()
    bold = f"**{markdown_text(lead)}** " if lead else ""
    return f"{bold}{markdown_text(rest)}".strip()
