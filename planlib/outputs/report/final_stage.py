"""The report's parts for the final stage of a plan (终期评估, issue #17): the period is
over, so an observed outcome is said as 已完成 / 未完成 with its gap, 按期 or 提前完成, a
provisional target-year value named and an outcome a usual revision could flip called
待正式数据确认 — never as a probability; only a target-year value not yet published is
nowcast with P. No 时间过半, no 加大工作力度. The words come from
`planlib.core.cycle_labels` and the sentences from `planlib.outputs.report.text`; the
outcome of each row from its table columns (`planlib.core.cycle_columns`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from planlib.core import cycle_labels, labels
from planlib.core.progress import is_met
from planlib.core.result import Evaluation, IndicatorResult
from planlib.core.stages import plan_stage
from planlib.outputs.report import numbers as nf
from planlib.outputs.report.blocks import Block, Bullets, Paragraph
from planlib.outputs.report.tables import identity_cells, rounded
from planlib.outputs.report.text import Sayer

NameOf = Callable[[IndicatorResult, str], str]


def report_stage(ev: Evaluation) -> str:
    """The stage of the whole plan (`stages.plan_stage`): its years, ``as_of`` and the
    latest observation of any indicator (read without building a result per area)."""
    meta = ev.plan.plan
    return plan_stage(meta.baseline_year, meta.target_year, ev.as_of, ev.latest_years())


@dataclass(frozen=True)
class Outcome:
    """One row's final outcome as the report says it."""

    code: str  # met | not_met | nowcast | "" (no target level: no outcome)
    first_met_year: float
    margin: float
    provisional: bool
    awaits_final: bool

    @classmethod
    def of(cls, r: IndicatorResult) -> Outcome:
        """From the row's plan-cycle columns (those of the evaluation table)."""
        c = r.cycle()
        first = c["first_met_year"]
        return cls(str(c["outcome"] or ""), math.nan if pd.isna(first) else float(first),
                   float(c["final_margin"]), _true(c["provisional_target_year"]),
                   _true(c["awaits_final"]))


def _true(x: object) -> bool:
    """A nullable boolean cell as a bool (missing: False)."""
    return False if pd.isna(x) else bool(x)


def _gap_unit(r: IndicatorResult, lang: str) -> str:
    """The unit a gap is said in: 个百分点 for a rate, else the indicator's own unit."""
    unit = r.indicator.unit
    if unit in cycle_labels.GAP_UNITS:
        return cycle_labels.gap_unit(unit, lang)
    return nf.unit_text(unit, lang, r.indicator.unit_en)


def reached_year(r: IndicatorResult) -> float:
    """For a nowcast, the year of the latest observation when it already meets the target
    (higher education at 60.8 % in 2024 against 60 % for 2025); NaN otherwise."""
    if Outcome.of(r).code != "nowcast" or r.latest_year is None:
        return math.nan
    met = is_met(r.latest_value, r.target_level, r.spec.direction)
    return float(r.latest_year) if met else math.nan


def missing_from(r: IndicatorResult) -> float:
    """The first year without data (the year after the latest observation), NaN when
    there is none: a nowcast says every year up to the target year it lacks."""
    return math.nan if r.latest_year is None else float(r.latest_year + 1)


def outcome_phrase(r: IndicatorResult, lang: str) -> str:
    """The final words of one target (cycle_labels.final_phrase), "" without an outcome."""
    o = Outcome.of(r)
    if not o.code:
        return ""
    return cycle_labels.final_phrase(
        o.code, target_year=r.target_year, first_met_year=o.first_met_year, margin=o.margin,
        decimals=nf.decimals(r), unit=_gap_unit(r, lang), provisional=o.provisional,
        awaits_final=o.awaits_final, p_meet=r.p_meet, lang=lang, reached_year=reached_year(r),
        missing_from=missing_from(r))


def outcome_sentence(r: IndicatorResult, say: Sayer) -> str | None:
    """The indicator paragraph's final sentence, or None where there is no outcome (a
    nowcast: that the value is not published; the projection sentence then gives P)."""
    phrase = outcome_phrase(r, say.lang)
    if not phrase:
        return None
    o = Outcome.of(r)
    if o.code == "nowcast":
        years = cycle_labels.missing_years(missing_from(r), r.target_year, say.lang)
        if math.isnan(reached_year(r)):
            return say("final.not_published", years=years)
        return say("final.not_published_reached", years=years,
                   latest_year=nf.year(r.latest_year, say.lang),
                   value=nf.value(r, r.latest_value, say.lang))
    return say("final.outcome", year=nf.year(r.target_year, say.lang),
               value=nf.value(r, r.latest_value, say.lang), phrase=phrase)


def completion_counts(ev: Evaluation) -> dict[str, int]:
    """The completion summary's counts over the plan's rows."""
    outcomes = [Outcome.of(r) for r in ev]
    return cycle_labels.completion_counts([o.code for o in outcomes],
                                          [r.indicator.nature for r in ev],
                                          [o.awaits_final for o in outcomes])


def final_overall(ev: Evaluation, say: Sayer, name_of: NameOf) -> list[Block]:
    """总体判断 of a final evaluation: what was assessed on which data, the completion
    summary, which targets were missed, which await data or final figures."""
    lang = say.lang
    year = nf.year(ev.plan.plan.target_year, lang)
    sep = "" if lang == "zh" else " "
    intro = say("final.intro", n=len(ev), year=year, data_year=nf.year(ev.as_of - 1, lang))
    summary = cycle_labels.completion_summary(completion_counts(ev), lang)
    rows = [(r, Outcome.of(r)) for r in ev]

    def names(code: str) -> str:
        return say.join([name_of(r, lang) for r, o in rows if o.code == code])

    text = [intro, summary]
    if any(o.code == "not_met" for _, o in rows):
        text.append(say("final.missed", names=names("not_met")))
    waits = [name_of(r, lang) for r, o in rows if o.awaits_final]
    if waits:
        text.append(say("final.awaits", names=say.join(waits)))
    if any(o.code == "nowcast" for _, o in rows):
        text.append(say("final.nowcasts", names=names("nowcast")))
    return [Paragraph(sep.join(text))]


def final_headers(ev: Evaluation, lang: str) -> tuple[str, ...]:
    """The completion table's headers."""
    year, t0 = ev.plan.plan.target_year, ev.plan.plan.baseline_year
    if lang == "zh":
        return ("指标（单位）", "属性", f"基期值\n（{t0}年）", f"{year}年\n目标",
                f"{year}年\n实际值", "完成情况")
    return ("Indicator (unit)", "Nature", f"Baseline\n({t0})", f"Target\n{year}",
            f"Value\n{year}", "Outcome")


#: Which completion-table columns hold numbers (right-aligned).
FINAL_NUMERIC = (False, False, True, True, True, False)


def final_row(r: IndicatorResult, name_with_unit: str, lang: str) -> tuple[str, ...]:
    """One row of the completion table: the target-year value where observed ("—" for a
    nowcast, whose words carry P), the outcome in words."""
    o = Outcome.of(r)
    seen = o.code in ("met", "not_met")
    value = nf.bare(r, r.latest_value) if seen else "—"
    words = outcome_phrase(r, lang) or labels.label(r.progress_status, lang,
                                                   labels.PROGRESS_LABELS)
    return (name_with_unit, labels.label(r.indicator.nature, lang),
            nf.bare(r, r.baseline_value), nf.bare(r, r.target_level), value, words)


def open_items(ev: Evaluation, say: Sayer, name_of: NameOf) -> list[Block]:
    """Section four of a final evaluation: the targets not met, awaiting data or final
    figures, each with its outcome in words (no call to work harder: the period is over)."""
    rows = [(r, Outcome.of(r)) for r in ev]
    shown = [(r, o) for r, o in rows if o.code in ("not_met", "nowcast") or o.awaits_final]
    if not shown:
        return [Paragraph(say("final.open_none"))]
    items = tuple(say("final.open_item", name=name_of(r, say.lang),
                      phrase=outcome_phrase(r, say.lang)) for r, _ in shown)
    return [Paragraph(say("final.open_intro", n=len(shown))), Bullets(items)]


def final_frame(ev: Evaluation, lang: str) -> pd.DataFrame:
    """The completion table for XLSX/CSV: numbers as printed, the outcome coded and in
    words; P only where the target-year value is not published."""
    zh = lang == "zh"
    rows = []
    for r in ev:
        o, d = Outcome.of(r), nf.decimals(r)
        seen = o.code in ("met", "not_met")

        def rnd(x: float, places: int = d) -> float | None:
            return rounded(x, places)

        rows.append({
            **identity_cells(r, lang),
            ("基期值" if zh else "baseline"): rnd(r.baseline_value),
            ("目标年份" if zh else "target_year"): r.target_year,
            ("目标值" if zh else "target"): rnd(r.target_level),
            ("实际值" if zh else "value"): rnd(r.latest_value) if seen else None,
            ("完成情况代码" if zh else "outcome"): o.code,
            ("完成情况" if zh else "outcome_words"): outcome_phrase(r, lang),
            ("首次达标年份" if zh else "first_met_year"):
                None if math.isnan(o.first_met_year) else int(o.first_met_year),
            ("差距" if zh else "margin"): rnd(o.margin) if seen else None,
            ("待正式数据确认" if zh else "awaits_final"): o.awaits_final,
            ("达标概率" if zh else "p_meet"): r.p_meet_text if o.code == "nowcast" else "",
        })
    return pd.DataFrame(rows)
