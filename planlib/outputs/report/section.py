"""The forecast section of a mid-term evaluation report (对2025年主要指标的预测分析),
drafted from an `Evaluation` only: every number is read from the result and formatted
(planlib.outputs.report.numbers), every sentence comes from a template
(planlib.outputs.report.text), every figure from planlib.outputs.figures.

``build_section(ev, lang)`` returns a `Section` (blocks, figures, tables; ``.markdown``,
``.html``); ``write_report(ev, lang, formats, out_dir)`` writes it under
reports/<plan_id>/<lang>/ with a manifest of the files it wrote (`write_reports`: several
languages under one manifest).
"""

from __future__ import annotations

import importlib
import math
import os
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

import planlib
from planlib.core import labels, reliability
from planlib.core.evaluation import is_discrete_project
from planlib.core.labels import Note
from planlib.core.models.registry import WORDS as MODEL_WORDS
from planlib.core.result import Evaluation, IndicatorResult
from planlib.core.targets.registry import flow_total
from planlib.outputs.figures.pages import page_stems
from planlib.outputs.files.file_names import indicator_stems
from planlib.outputs.files.manifest import evaluation_inputs, evaluation_manifest
from planlib.outputs.files.out_dir import check_out_dir
from planlib.outputs.files.staging import write_staged
from planlib.outputs.report import final_stage, planning_stage
from planlib.outputs.report import numbers as nf
from planlib.outputs.report.areas import area_blocks, area_frame, has_areas_of, totals_only
from planlib.outputs.report.areas import intro as area_intro
from planlib.outputs.report.backtest_summary import backtest_coverage
from planlib.outputs.report.blocks import Block, Bullets, Figure, Heading, Paragraph, Table
from planlib.outputs.report.charted import charted
from planlib.outputs.report.tables import identity_cells, rounded
from planlib.outputs.report.target_sentence import target_sentence
from planlib.outputs.report.text import Sayer
from planlib.outputs.report.text import word as filling_word
from planlib.project_folder import project_name, project_of

FORMATS = ("md", "html", "docx", "xlsx", "csv")
FLAGS = ("derived", "lower_bound", "provisional", "break")
#: Notes a paragraph says in a sentence of its own (the rest go under "notes").
#: The note of an unreliable projection (core.reliability.reliability_notes).
_UNRELIABLE = "unreliable_"
_SAID_ELSEWHERE = {
    "no_baseline", "no_progress_data", "met_at_baseline", "observed_outcome", "schedule",
    "schedule_late", "schedule_missing", "insufficient_data", "point_only", "model_dependent",
    "interval_at_bound", "median_at_bound", "latest_lower_bound", "latest_derived",
    "latest_provisional", "break_fit", "trend_faster_than_progress",
    "trend_slower_than_progress",
}
_SHORT_NOTES = ("few_df", "point_only", "insufficient_data")


@dataclass
class Section:
    """The drafted section in one language: blocks in reading order, PNG bytes of its
    figures by stem, its tables as frames (for XLSX/CSV), the template keys used, and
    each indicator's paragraph by (id, region)."""

    plan_id: str
    lang: str
    blocks: list[Block]
    figures: dict[str, bytes]
    tables: dict[str, pd.DataFrame]
    keys_used: frozenset[str]
    paragraphs: dict[tuple[str, str], str] = field(default_factory=dict)
    stamp: datetime = datetime(2000, 1, 1)

    @property
    def title(self) -> str:
        return next(b.text for b in self.blocks if isinstance(b, Heading))

    @cached_property
    def markdown(self) -> str:
        """The section as Markdown, figures linked as figures/<stem>.png."""
        from planlib.outputs.report.to_markdown import to_markdown

        return to_markdown(self)

    @cached_property
    def html(self) -> str:
        """The section as one self-contained HTML page (images and font embedded)."""
        from planlib.outputs.report.to_html import to_html

        return to_html(self)


# -- helpers ----------------------------------------------------------------------------
def report_stamp(ev: Evaluation) -> datetime:
    """The date a report carries: SOURCE_DATE_EPOCH when set, else 1 January of the
    evaluation year (never the clock, so reruns give identical bytes)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return datetime(ev.as_of, 1, 1)


def _when(ev: Evaluation, lang: str) -> str:
    """The printed date: the day from SOURCE_DATE_EPOCH, else the evaluation year."""
    stamp = report_stamp(ev)
    if not os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return nf.year(ev.as_of, lang)
    return f"{stamp.year}年{stamp.month}月{stamp.day}日" if lang == "zh" \
        else stamp.strftime("%d %B %Y").lstrip("0")


def display_name(r: IndicatorResult, lang: str) -> str:
    """The indicator's name, with its region when it has one."""
    if not r.region:
        return r.name(lang)
    return f"{r.name(lang)}（{r.region}）" if lang == "zh" else f"{r.name(lang)} ({r.region})"


def _status_word(r: IndicatorResult, lang: str) -> str:
    """The outlook word; for a project judged by schedule, the schedule's word."""
    if r.schedule_status:
        return labels.label(r.schedule_status, lang)
    return labels.label(r.outlook_status, lang)


def _flag_years(r: IndicatorResult, flag: str) -> list[int]:
    """Years whose value carries ``flag`` (breaks also from the plan's declared breaks)."""
    hist = r.history
    years = [int(y) for y in hist.loc[hist["flag"] == flag, "year"]] if len(hist) else []
    if flag == "break":
        years += [int(y) for y in r.indicator.breaks]
    return sorted(set(years))


def _notes(r: IndicatorResult, code: str) -> list[Note]:
    return [n for n in r.notes if n.code == code]


def _pace_case(r: IndicatorResult) -> str | None:
    """Which pace sentence applies: more, enough, reversed, flat, or None (none needed)."""
    prog = r.progress
    req, rec = prog.required_pace, prog.recent_pace
    sign = 1 if r.indicator.direction == "increase" else -1
    if r.progress_status in (None, "achieved") or is_discrete_project(r.indicator) \
            or math.isnan(req) or sign * req <= 0 or math.isnan(rec):
        return None
    if round(rec, nf.decimals(r) + 1) == 0:
        return "flat"
    if sign * rec < 0:
        return "reversed"
    return "more" if round(prog.acceleration_needed, 1) > 1.0 else "enough"


def _model_words(r: IndicatorResult, say: Sayer) -> str:
    """The model(s) behind the projection, in words."""
    sel = r.selection
    members = list(sel.members) if sel else [r.model]
    words = [say.word(m) if m in MODEL_WORDS else m for m in members]
    if len(words) == 1:
        return words[0]
    short = [w.removesuffix("模型") for w in words]
    return say.word("combo", models=say.join(short), n=len(words))


# -- the indicator paragraph --------------------------------------------------------------
def _state_sentence(r: IndicatorResult, say: Sayer) -> str:
    lang = say.lang
    if r.latest_year is None or math.isnan(r.latest_value):
        return say("state.none")
    y, t = nf.value(r, r.latest_value, lang), nf.year(r.latest_year, lang)
    if flow_total(r.target_kind, r.spec.measure):
        return say("state.flow", t0=nf.year(r.spec.baseline_year, lang), y=y, t=t)
    if r.baseline_year is None or math.isnan(r.baseline_value) \
            or r.baseline_year == r.latest_year:
        return say("state.latest", y=y, t=t)
    return say("state.both", t0=nf.year(r.baseline_year, lang),
               b=nf.value(r, r.baseline_value, lang), t=t, y=y)


def _baseline_sentence(r: IndicatorResult, say: Sayer) -> str | None:
    """Where a final paragraph starts from: the baseline (the outcome sentence gives the
    target-year value)."""
    if r.baseline_year is None or math.isnan(r.baseline_value) \
            or r.baseline_year == r.target_year:
        return None
    return say("final.state", t0=nf.year(r.baseline_year, say.lang),
               b=nf.value(r, r.baseline_value, say.lang))


def _flag_sentences(r: IndicatorResult, say: Sayer, said_provisional: int | None = None
                    ) -> list[str]:
    """The data-flag sentences (``said_provisional``: a year whose provisional value the
    paragraph names elsewhere, left out here)."""
    out = []
    for flag in FLAGS:
        years = [y for y in _flag_years(r, flag)
                 if not (flag == "provisional" and y == said_provisional)]
        if years:
            out.append(say(f"flag.{flag}", years=say.join([nf.year(y, say.lang)
                                                           for y in years])))
    return out


def _progress_sentence(r: IndicatorResult, say: Sayer) -> str:
    lang, prog = say.lang, r.progress
    status = r.progress_status
    if status is None:
        reasons = [n.text(lang) for n in r.notes
                   if n.code in ("no_baseline", "no_progress_data", "met_at_baseline")]
        reason = say.word("sep_notes").join(reasons) or labels.label(None, lang)
        return say("progress.unmeasured", reason=reason)
    if status == "achieved":
        return say("progress.achieved")
    word = labels.label(status, lang, labels.PROGRESS_LABELS)
    if status == "moving_away":
        return say("progress.moving_away", p=nf.share(prog.progress_share), status=word)
    return say("progress.share", s=nf.share(prog.schedule_share),
               p=nf.share(prog.progress_share), status=word)


def _pace_sentence(r: IndicatorResult, say: Sayer) -> str | None:
    case = _pace_case(r)
    if case is None:
        return None
    lang, prog = say.lang, r.progress
    req, rec = nf.change(r, prog.required_pace, lang), nf.change(r, prog.recent_pace, lang)
    if case == "flat":
        return say("pace.flat", required=req)
    if case == "more":
        return say("pace.more", required=req, recent=rec,
                   acc=nf.times(prog.acceleration_needed, lang))
    return say(f"pace.{case}", required=req, recent=rec)


def _outlook_sentence(r: IndicatorResult, say: Sayer) -> str:
    lang = say.lang
    year = nf.year(r.target_year, lang)
    if r.model == "observed":  # P(met) is then 1 or 0: the outcome is known
        key = "outlook.observed_met" if r.p_meet >= 0.5 else "outlook.observed_missed"
        return say(key, year=year, median=nf.value(r, r.median, lang))
    sched = r.indicator.schedule
    if r.schedule_status and sched is not None:
        return say("outlook.schedule", project=labels.label(sched.status, lang),
                   expected=nf.year(sched.expected_year, lang), status=_status_word(r, lang))
    if _notes(r, "schedule_missing"):
        return say("outlook.no_schedule")
    if math.isnan(r.median):
        return say("outlook.insufficient", status=_status_word(r, lang))
    first = r.levels[0]
    if math.isnan(r.lower[first]):
        return say("outlook.point", model=_model_words(r, say), year=year,
                   median=nf.value(r, r.median, lang))
    lo, hi = nf.value(r, r.lower[first], lang), nf.value(r, r.upper[first], lang)
    if lo == hi:
        return say("outlook.collapsed", model=_model_words(r, say), year=year, level=first,
                   median=nf.value(r, r.median, lang), status=_status_word(r, lang),
                   p=nf.probability(r, lang))
    return say("outlook.interval", model=_model_words(r, say), year=year, level=first,
               median=nf.value(r, r.median, lang), lo=lo, hi=hi,
               status=_status_word(r, lang), p=nf.probability(r, lang))


def _caveat_sentences(r: IndicatorResult, say: Sayer, judged: bool = True) -> list[str]:
    """What the call rests on; ``judged`` False: no call was made (an unreliable
    projection, its reason said already), so no range of P and no reliability note."""
    lang, out = say.lang, []
    if r.call_robust is False and judged:
        note = next(iter(_notes(r, "model_dependent")), None)
        if note is not None:
            out.append(say("robust.no", low=nf.p_words(str(note.params["low"]), lang),
                           high=nf.p_words(str(note.params["high"]), lang)))
        else:
            ps = list(r.p_meet_by_model.values())
            out.append(say("robust.no", low=nf.p_words(labels.format_p(min(ps)), lang),
                           high=nf.p_words(labels.format_p(max(ps)), lang)))
    bounds = _notes(r, "interval_at_bound") + _notes(r, "median_at_bound")
    if bounds:
        bound = float(bounds[0].params["bound"])
        out.append(say("bound", bound=nf.value(r, bound, lang)))
    for note in r.notes:
        if note.code in ("trend_faster_than_progress", "trend_slower_than_progress"):
            out.append(_trend_sentence(r, note, say))
    rest = [n.text(lang) for n in r.notes if n.code not in _SAID_ELSEWHERE
            and (judged or not n.code.startswith(_UNRELIABLE))]
    if rest:
        out.append(say("notes", notes=say.word("sep_notes").join(rest)))
    return out


def _trend_sentence(r: IndicatorResult, note: Note, say: Sayer) -> str:
    """Why the outlook and progress disagree, with the note's paces in the report's format."""
    lang, params = say.lang, note.params

    def pace(name: str) -> str:
        return nf.change(r, float(str(params[name]).replace(",", "")), lang)

    fit_from = params["fit_from"]
    start = nf.year(int(fit_from), lang) if str(fit_from).isdigit() else str(fit_from)
    if note.code == "trend_faster_than_progress":
        return say("trend.faster", fit_from=start, trend=pace("trend"),
                   required=pace("required"))
    return say("trend.slower", fit_from=start, trend=pace("trend"), required=pace("required"),
               since=pace("since_baseline"))


def _context_outlook(r: IndicatorResult, say: Sayer) -> str:
    """A context indicator's outlook: median and interval, no likelihood."""
    lang, first = say.lang, r.levels[0]
    if r.model == "observed":  # the outlook year is observed: the state sentence says it
        return ""
    if math.isnan(r.median) or math.isnan(r.lower[first]):
        return _outlook_sentence(r, say)
    return say("outlook.context", model=_model_words(r, say),
               year=nf.year(r.target_year, lang), level=first,
               median=nf.value(r, r.median, lang), lo=nf.value(r, r.lower[first], lang),
               hi=nf.value(r, r.upper[first], lang))


def indicator_paragraph(r: IndicatorResult, say: Sayer) -> str:
    """One indicator's paragraph: target, where it stands, data caveats, progress, the pace
    needed, the outlook, and what the call rests on (a context indicator: what it is, where
    it stands, its outlook and notes)."""
    sep = "" if say.lang == "zh" else " "
    if r.indicator.role == "context":
        return sep.join(p for p in [say("context.what"), _state_sentence(r, say),
                                    *_flag_sentences(r, say), _context_outlook(r, say),
                                    *_caveat_sentences(r, say)] if p)
    parts = [target_sentence(r, say), _state_sentence(r, say), *_flag_sentences(r, say),
             _progress_sentence(r, say), _pace_sentence(r, say), _outlook_sentence(r, say),
             *_caveat_sentences(r, say)]
    sep = "" if say.lang == "zh" else " "
    return sep.join(p for p in parts if p)


def final_paragraph(r: IndicatorResult, say: Sayer) -> str:
    """One indicator's paragraph in a final evaluation: target, where it ended, data
    caveats, the outcome in words (final_stage) — with the projection only for a target-year
    value not yet published — and what the call rests on; no progress or pace sentence."""
    outcome = final_stage.outcome_sentence(r, say)
    if outcome is None:  # no outcome (no target level): as in a mid-term paragraph
        return indicator_paragraph(r, say)
    o = final_stage.Outcome.of(r)
    nowcast = o.code == "nowcast"
    state = _state_sentence(r, say) if nowcast else _baseline_sentence(r, say)
    said = r.target_year if o.provisional and not nowcast else None  # the outcome says it
    parts = [target_sentence(r, say), state, *_flag_sentences(r, say, said), outcome,
             _outlook_sentence(r, say) if nowcast else None,
             *_caveat_sentences(r, say)]
    sep = "" if say.lang == "zh" else " "
    return sep.join(p for p in parts if p)


def planning_paragraph(r: IndicatorResult, say: Sayer, targets: str = "adopted") -> str:
    """One indicator's paragraph for a new plan: target, where it stands, data caveats,
    the projection to the new target year and what it rests on; no progress sentence
    (there is nothing after the baseline to measure it on). A projection that cannot be
    used (core.reliability, as the 目标建议 table says) is said after its reason, as a
    mechanical extrapolation with no call on the target."""
    outlook = _unreliable_outlook(r, say)
    parts = [target_sentence(r, say, targets), _state_sentence(r, say),
             *_flag_sentences(r, say), outlook or _outlook_sentence(r, say),
             *_caveat_sentences(r, say, judged=outlook is None)]
    sep = "" if say.lang == "zh" else " "
    return sep.join(p for p in parts if p)


def _unreliable_outlook(r: IndicatorResult, say: Sayer) -> str | None:
    """The reason a projection cannot be used, then its numbers as a mechanical
    extrapolation (no P, no call); None for a usable projection or one without an
    interval (whose sentence gives no P already)."""
    first = r.levels[0] if r.levels else None
    if reliability.reliable(r.reliability) or first is None or math.isnan(r.lower[first]):
        return None
    lang = say.lang
    reason = next((n.text(lang) for n in r.notes if n.code.startswith(_UNRELIABLE)),
                  reliability.words(r.reliability, lang))
    return say("planning.unreliable", reason=reason[:1].upper() + reason[1:],
               model=_model_words(r, say), year=nf.year(r.target_year, lang), level=first,
               median=nf.value(r, r.median, lang), lo=nf.value(r, r.lower[first], lang),
               hi=nf.value(r, r.upper[first], lang))


def _latest_cell(r: IndicatorResult, lang: str) -> str:
    """The latest value with its year, for the 目标建议 table."""
    return _with_year(nf.bare(r, r.latest_value), r.latest_year, -1, lang)


# -- the overall judgement -----------------------------------------------------------------
def _counts(codes: list[str], order: Sequence[str], say: Sayer) -> str:
    counted = Counter(codes)
    return say.join([say("count", status=labels.label(c, say.lang), k=counted[c])
                     for c in order if counted[c]])


def _half_sentence(ev: Evaluation, nature: str, say: Sayer) -> str:
    """Whether 时间过半、任务过半 holds for the indicators of one nature."""
    text = _half_text(ev, nature, say)
    mine = [r for r in targeted(ev) if r.indicator.nature == nature]
    unmeasured = sum(r.progress_status is None for r in mine)
    if 0 < unmeasured < len(mine):
        text += ("" if say.lang == "zh" else " ") + say("half.unmeasured_too", m=unmeasured)
    return text[:1].upper() + text[1:]


def _half_text(ev: Evaluation, nature: str, say: Sayer) -> str:
    mine = [r for r in targeted(ev) if r.indicator.nature == nature]
    word = say.word(f"nature.{nature}")
    if not mine:
        return say("half.none", nature=word)
    measured = [r for r in mine if r.progress_status is not None]
    if not measured:
        return say("half.unmeasured", nature=word, n=len(mine))
    lagging = [r for r in measured if r.progress_status not in labels.ON_TRACK_PROGRESS]
    if not lagging:
        return say("half.holds", nature=word, n=len(measured))
    if len(lagging) == len(measured):
        return say("half.all_lag", nature=word, n=len(measured),
                   names=say.join([display_name(r, say.lang) for r in lagging]))
    return say("half.fails", nature=word, n=len(measured), k=len(measured) - len(lagging),
               names=say.join([display_name(r, say.lang) for r in lagging]))


def targeted(ev: Evaluation) -> list[IndicatorResult]:
    """The results of indicators with a target: the plan's 主要指标 the counts are of
    (context indicators are projected only)."""
    return [r for r in ev if r.indicator.role == "target"]


def _overall(ev: Evaluation, say: Sayer) -> list[Block]:
    lang, year = say.lang, nf.year(ev.plan.plan.target_year, say.lang)
    mine = targeted(ev)
    progress_codes = [r.progress_status or "not_measurable" for r in mine]
    outlook_codes = [r.schedule_status or r.outlook_status for r in mine]
    sched_order = tuple(labels.SCHEDULE_LABELS)
    text = [say("overall.intro", n=len(mine), data_year=nf.year(ev.as_of - 1, lang), year=year),
            say("overall.progress", counts=_counts(progress_codes,
                                                   tuple(labels.PROGRESS_LABELS), say)),
            say("overall.outlook", year=year, counts=_counts(
                outlook_codes, tuple(labels.OUTLOOK_LABELS) + sched_order, say))]
    context = [r for r in ev if r.indicator.role == "context"]
    if context:
        text.append(say("overall.context", n=len(context),
                        names=say.join([display_name(r, lang) for r in context])))
    halves = [_half_sentence(ev, n, say) for n in ("binding", "expected")]
    if any(r.indicator.nature == "unknown" for r in mine):
        halves.append(_half_sentence(ev, "unknown", say))
    risk = ev.at_risk
    closing = say("overall.risk", n=len(risk), names=say.join(
        [display_name(r, lang) for r in risk])) if risk else say("overall.no_risk")
    sep = "" if lang == "zh" else " "
    return [Paragraph(sep.join(text)), Paragraph(sep.join(halves)), Paragraph(closing)]


# -- the overview table ----------------------------------------------------------------------
def _with_year(text: str, y: int | None, usual: int, lang: str) -> str:
    """A cell value, with its year in brackets when it is not the column's year."""
    if y is None or y == usual or text == "—":
        return text
    return f"{text}\n（{y}年）" if lang == "zh" else f"{text}\n({y})"


def _headers(ev: Evaluation, lang: str) -> tuple[str, ...]:
    t0, data_year, year = ev.plan.plan.baseline_year, ev.as_of - 1, ev.plan.plan.target_year
    level = ev.levels[0]
    if lang == "zh":
        return ("指标（单位）", "属性", f"基期值\n（{t0}年）", f"最新值\n（{data_year}年）",
                f"{year}年\n目标", f"{year}年\n预测", f"{level}%区间", "达标\n概率", "进度",
                "预测判断", "年均变化\n所需/近年")
    return ("Indicator (unit)", "Nature", f"Baseline\n({t0})", f"Latest\n({data_year})",
            f"Target\n{year}", f"Projection\n{year}", f"{level}% interval", "P(met)", "Progress",
            "Outlook", "Yearly change\nneeded / recent")


#: Which overview columns hold numbers (right-aligned).
OVERVIEW_NUMERIC = (False, False, True, True, True, True, True, True, False, False, True)


def _name_with_unit(r: IndicatorResult, lang: str) -> str:
    unit = nf.unit_label(r.indicator.unit, lang, r.indicator.unit_en)
    if not unit:
        return display_name(r, lang)
    return f"{display_name(r, lang)}（{unit}）" if lang == "zh" \
        else f"{display_name(r, lang)} ({unit})"


def _overview_row(r: IndicatorResult, ev: Evaluation, lang: str) -> tuple[str, ...]:
    first, target_year = r.levels[0], ev.plan.plan.target_year
    interval = "—"
    if not math.isnan(r.lower[first]) and r.model != "observed":
        interval = f"{nf.bare(r, r.lower[first])}–{nf.bare(r, r.upper[first])}"
        if r.lower[first] == r.upper[first] and r.lower[first] in r.bounds:
            interval = filling_word("at_bound", lang, value=nf.bare(r, r.lower[first]))
    pace = "—"
    if _pace_case(r) is not None:
        pace = f"{nf.pace(r, r.progress.required_pace, lang)} / " \
               f"{nf.pace(r, r.progress.recent_pace, lang)}"
    return (
        _name_with_unit(r, lang), labels.label(r.indicator.nature, lang),
        _with_year(nf.bare(r, r.baseline_value), r.baseline_year,
                   ev.plan.plan.baseline_year, lang),
        _with_year(nf.bare(r, r.latest_value), r.latest_year, ev.as_of - 1, lang),
        _with_year(nf.bare(r, r.target_level), r.target_year, target_year, lang),
        _with_year(nf.bare(r, r.median), r.target_year, target_year, lang), interval,
        nf.p_cell(r),
        labels.label(r.progress_status, lang, labels.PROGRESS_LABELS),
        _status_word(r, lang), pace,
    )


def overview_frame(ev: Evaluation, lang: str) -> pd.DataFrame:
    """The overview table for XLSX/CSV: numbers as printed (rounded to the report's
    decimals), headers in ``lang``."""
    zh = lang == "zh"
    rows = []
    for r in ev:
        d = nf.decimals(r)
        first = r.levels[0]

        def rnd(x: float, places: int = d) -> float | None:
            return rounded(x, places)

        rows.append({
            **identity_cells(r, lang),
            ("基期年份" if zh else "baseline_year"): r.baseline_year,
            ("基期值" if zh else "baseline"): rnd(r.baseline_value),
            ("最新年份" if zh else "latest_year"): r.latest_year,
            ("最新值" if zh else "latest"): rnd(r.latest_value),
            ("目标年份" if zh else "target_year"): r.target_year,
            ("目标值" if zh else "target"): rnd(r.target_level),
            ("预测中位数" if zh else "median"): rnd(r.median),
            (f"{first}%区间下限" if zh else f"lo{first}"): rnd(r.lower[first]),
            (f"{first}%区间上限" if zh else f"hi{first}"): rnd(r.upper[first]),
            ("达标概率" if zh else "p_meet"): r.p_meet_text,
            ("进度" if zh else "progress"): labels.label(r.progress_status, lang,
                                                        labels.PROGRESS_LABELS),
            ("预测判断" if zh else "outlook"): _status_word(r, lang),
            ("所需年均变化" if zh else "required_pace"): rnd(r.progress.required_pace),
            ("近年年均变化" if zh else "recent_pace"): rnd(r.progress.recent_pace),
            ("所需/近年倍数" if zh else "acceleration_needed"):
                rnd(r.progress.acceleration_needed, 1),
            ("模型" if zh else "model"): r.model,
            ("说明" if zh else "notes"): r.notes_text(lang),
        })
    return pd.DataFrame(rows)


# -- at risk and methods ------------------------------------------------------------------------
def _risk_item(r: IndicatorResult, ev: Evaluation, say: Sayer) -> str:
    lang, prog = say.lang, r.progress
    name, year = display_name(r, lang), nf.year(r.target_year, lang)
    sched = r.indicator.schedule
    if r.schedule_status == "late" and sched is not None:
        return say("risk.schedule", name=name, expected=nf.year(sched.expected_year, lang),
                   year=year)
    status, p = _status_word(r, lang), nf.probability(r, lang)
    case = _pace_case(r)
    if case == "reversed":
        return say("risk.reversed", name=name, status=status, p=p,
                   recent=nf.change(r, prog.recent_pace, lang),
                   required=nf.change(r, prog.required_pace, lang))
    if case in ("more", "enough"):
        return say("risk.pace", name=name, status=status, p=p,
                   required=nf.change(r, prog.required_pace, lang),
                   acc=nf.times(prog.acceleration_needed, lang))
    return say("risk.plain", name=name, status=status, p=p)


def _risk(ev: Evaluation, say: Sayer) -> list[Block]:
    risk = ev.at_risk
    if not risk:
        return [Paragraph(say("risk.none"))]
    return [Paragraph(say("risk.intro", n=len(risk), year=nf.year(ev.plan.plan.target_year,
                                                                   say.lang))),
            Bullets(tuple(_risk_item(r, ev, say) for r in risk))]


def _methods(ev: Evaluation, say: Sayer, files: Sequence[Path] | None,
             progress: bool = True) -> list[Block]:
    """The methods section; ``progress``: say how progress is measured (not in the final
    and planning stages, which measure none)."""
    lang = say.lang
    names = [project_name(f, ev.plan.path)  # relative to the project, never absolute
             for f in (evaluation_inputs(ev) if files is None else files)]
    blocks: list[Block] = [Paragraph(say("m.data", files=say.join(names) or "—",
                                         data_year=nf.year(ev.as_of - 1, lang)), lead=True)]
    sources = [say("m.source_item", name=display_name(r, lang), source=r.source(lang))
               for r in ev if r.source(lang)]
    if sources:
        blocks.append(Bullets(tuple(dict.fromkeys(sources))))
    cut = ev.plan.status_cutoffs
    if progress:
        blocks.append(Paragraph(say("m.progress", ahead=f"{cut.ahead:g}",
                                    on_schedule=f"{cut.on_schedule:g}",
                                    behind=f"{cut.behind:g}"), lead=True))
    blocks.append(Paragraph(say("m.models"), lead=True))
    bands = []
    for edge, code in labels.OUTLOOK_CUTOFFS:
        key = "m.band" if edge > 0 else "m.band_last"
        shown = edge if edge > 0 else labels.OUTLOOK_CUTOFFS[-2][0]
        bands.append(say(key, edge=f"{shown:.2f}", word=labels.label(code, lang)))
    blocks.append(Paragraph(say("m.intervals", bands=say.word("sep_notes").join(bands)),
                            lead=True))
    cov = backtest_coverage()
    blocks.append(Paragraph(say("m.backtest", pairs=f"{cov.pairs:,}", cov80=f"{cov.cov80}%",
                                cov95=f"{cov.cov95}%"), lead=True))
    blocks.append(Paragraph(say("m.caveats"), lead=True))
    blocks.append(Bullets(tuple(_caveats(ev, say))))
    blocks.append(Paragraph(say("m.reproduce", version=planlib.__version__, model=ev.model,
                                seed=ev.seed)))
    return blocks


def _caveats(ev: Evaluation, say: Sayer) -> list[str]:
    lang, out = say.lang, []
    for flag in FLAGS:
        hit = [display_name(r, lang) for r in ev if _flag_years(r, flag)]
        if hit:
            out.append(say(f"caveat.{flag}", names=say.join(hit)))
    short = [display_name(r, lang) for r in ev
             if any(n.code in _SHORT_NOTES for n in r.notes)]
    if short:
        out.append(say("caveat.short", names=say.join(short)))
    return out or [say("caveat.none")]


# -- figures (planlib.outputs.figures.charts, issue #8) ------------------------------------------
def _figure_recipes(ev: Evaluation, full: Evaluation, areas: pd.DataFrame | None,
                    lang: str) -> dict[str, Any]:
    """The figures the section may show, not drawn yet, by stem: those of
    planlib.outputs.figures.charts for ``ev`` and, for a total with areas (of ``full``),
    its ranking chart; empty when matplotlib is not installed."""
    try:
        figures = importlib.import_module("planlib.outputs.figures.charts")
    except ImportError:
        return {}
    recipes = dict(figures.figure_recipes(ev, lang))
    if areas is not None:
        stems = indicator_stems(full.keys())  # as the figures command names them
        for r in ev:
            recipe = figures.area_ranking_recipe(full, r, areas, stems[r.id, r.region], lang)
            if r.region == "" and recipe is not None:
                recipes.setdefault(*recipe)
    return recipes


def _figure_pngs(recipes: Sequence[tuple[str, Any]]) -> dict[str, bytes]:
    """PNG bytes of the figures of ``recipes`` by stem, drawn only now (in worker
    processes when there are many: planlib.outputs.figures.render)."""
    if not recipes:  # no figure shown: matplotlib need not even be installed
        return {}
    render = importlib.import_module("planlib.outputs.figures.render")
    return {stem: files[0][1] for stem, files in render.rendered(recipes, ("png",))}


# -- the section ---------------------------------------------------------------------------------
def _with_targets(ev: Evaluation) -> Evaluation:
    """The results that have a target (context indicators are projected only)."""
    keys = [k for k in ev.keys() if ev[k].indicator.target is not None]  # noqa: SIM118
    return Evaluation(plan=ev.plan, results=[ev[k] for k in keys], as_of=ev.as_of,
                      model=ev.model, levels=ev.levels, seed=ev.seed)


def _context_sentence(ev: Evaluation, say: Sayer) -> list[Block]:
    """One sentence naming the context indicators (outlook only), if there are any."""
    context = [r for r in ev if r.indicator.target is None]
    if not context:
        return []
    return [Paragraph(say("overall.context", n=len(context), names=say.join(
        [display_name(r, say.lang) for r in context])))]


def build_section(ev: Evaluation, lang: str = "zh", *, figures: bool = True,
                  files: Sequence[Path] | None = None) -> Section:
    """Draft the forecast section of ``ev`` in ``lang`` (zh or en): overall judgement,
    overview table, a paragraph and figure per indicator, targets at risk, methods.
    ``files``: the data files read (default: those the plan's globs name)."""
    say = Sayer(lang)
    areas, full = None, ev
    if has_areas_of(ev):  # a total and its areas: the totals' section, areas in tables
        areas = area_frame(ev)
        ev = totals_only(ev)
    recipes = _figure_recipes(ev, full, areas, lang) if figures else {}
    stems = indicator_stems(ev.keys())  # the charts' file stems, as figure_set names them
    ranking_stems = indicator_stems(full.keys())  # an area ranking's, as figure_set names it
    year = nf.year(ev.plan.plan.target_year, lang)
    title_plan = (ev.plan.plan.title_en or ev.plan.plan.title_zh) if lang == "en" \
        else ev.plan.plan.title_zh
    fig_no, tab_no = [0], [0]

    def figure(stem: str, text: str) -> list[Block]:
        if stem not in recipes:
            return []
        fig_no[0] += 1
        return [Figure(say("cap.figure", n=fig_no[0], text=text), stem)]

    def paged(chart: str, text: str) -> list[Block]:  # one figure per A4 page of the chart
        stems = page_stems(chart, len(ev))
        return [block for i, stem in enumerate(stems, 1) for block in figure(
            stem, text + (say("cap.page", i=i, n=len(stems)) if len(stems) > 1 else ""))]

    stage = final_stage.report_stage(ev)
    final, planning = stage == "final", stage == "planning"
    judged = _with_targets(ev)  # a final or planning section counts targets, not context
    targets = ev.plan.plan.targets_status  # the plan's: 规划目标 (adopted) or 草案目标 (draft)
    title_key = "final.title" if final else f"planning.title.{targets}" if planning \
        else "title"
    blocks: list[Block] = [
        Heading(1, say(title_key, year=year)),
        Paragraph(say("subtitle", plan=title_plan, data_year=nf.year(ev.as_of - 1, lang),
                      when=_when(ev, lang))),
        Heading(2, say("h.overall")),
        *(final_stage.final_overall(judged, say, display_name) if final else
          planning_stage.planning_overall(judged, say, display_name) if planning else
          _overall(ev, say)),
        *(_context_sentence(ev, say) if final or planning else []),
        *([] if areas is None else [area_intro(ev, areas, say)]),
        Heading(2, say("final.h.table" if final else f"planning.h.table.{targets}"
                       if planning else "h.table")),
    ]
    tab_no[0] += 1
    if final:
        blocks.append(Table(
            say("cap.table", n=tab_no[0], text=say("final.cap.table", year=year)),
            final_stage.final_headers(judged, lang),
            tuple(final_stage.final_row(r, _name_with_unit(r, lang), lang) for r in judged),
            say("final.table_note"), final_stage.FINAL_NUMERIC))
        blocks += paged("outlook", say("final.cap.outcome_fig", year=year))
    elif planning:
        blocks.append(Table(
            say("cap.table", n=tab_no[0], text=say(f"planning.cap.table.{targets}",
                                                   year=year)),
            planning_stage.planning_headers(judged, lang),
            tuple(planning_stage.planning_row(r, _name_with_unit(r, lang), lang,
                                              _latest_cell(r, lang)) for r in judged),
            say("planning.table_note",
                targets=say.word(f"targets.{planning_stage.common_status(judged)}")),
            planning_stage.PLANNING_NUMERIC))
        blocks += paged("overview", say("planning.cap.levels_fig", year=year))
    else:
        blocks.append(Table(say("cap.table", n=tab_no[0], text=say("cap.overview_table",
                                                                     year=year)),
                            _headers(ev, lang), tuple(_overview_row(r, ev, lang) for r in ev),
                            say("table.note", level=ev.levels[0]), OVERVIEW_NUMERIC))
        blocks += paged("progress", say("cap.progress_fig"))
        blocks += paged("outlook", say("cap.outlook_fig", year=year))
    blocks.append(Heading(2, say("h.indicators")))
    with_chart = charted(ev)  # above 30 indicators: the charts of those furthest off only
    if recipes and len(with_chart) < len(ev):
        blocks.append(Paragraph(say("charts.left_out", n=len(ev), shown=len(with_chart),
                                    left=len(ev) - len(with_chart), plan=ev.plan.plan.id)))
    paragraphs: dict[tuple[str, str], str] = {}
    for n, r in enumerate(ev, 1):
        blocks.append(Heading(3, say("h.indicator", n=n, name=display_name(r, lang))))
        text = final_paragraph(r, say) if final else planning_paragraph(
            r, say, planning_stage.status_of(ev, r)) if planning else \
            indicator_paragraph(r, say)
        paragraphs[(r.id, r.region)] = text
        blocks.append(Paragraph(text, key=(r.id, r.region)))
        if (r.id, r.region) in with_chart:
            blocks += figure(stems[r.id, r.region], say(
                "final.cap.indicator_fig" if final else "cap.indicator_fig",
                name=display_name(r, lang), year=nf.year(r.target_year, lang)))
        if areas is not None:
            tab_no[0] += 1
            shown = area_blocks(r, areas, say, tab_no[0])
            blocks += shown
            if shown:  # the areas' ranking chart after their table and the areas to watch
                blocks += figure(f"{ranking_stems[r.id, r.region]}_area_ranking",
                                 say("areas.ranking_fig", name=r.name(lang)))
    if final:
        blocks += [Heading(2, say("final.h.open")),
                   *final_stage.open_items(judged, say, display_name)]
    elif planning:
        blocks += [Heading(2, say(f"planning.h.notes.{targets}")),
                   *planning_stage.planning_notes(judged, say, display_name)]
    else:
        blocks += [Heading(2, say("h.risk")), *_risk(ev, say)]
    blocks += [Heading(2, say("h.methods")),
               *_methods(ev, say, files, progress=not (final or planning))]
    if final or planning:  # how outcomes or proposals are decided, before reproduction
        blocks.insert(len(blocks) - 1, Paragraph(say("final.m.outcomes"), lead=True)
                      if final else planning_stage.planning_method(
                          say, planning_stage.common_status(judged)))
    used_pngs = _figure_pngs([(b.stem, recipes[b.stem]) for b in blocks
                              if isinstance(b, Figure)])  # only what the section shows
    return Section(ev.plan.plan.id, lang, blocks, used_pngs,
                   {"overview": final_stage.final_frame(ev, lang) if final
                    else planning_stage.planning_frame(ev, lang) if planning
                    else overview_frame(ev, lang)}, frozenset(say.used), paragraphs,
                   report_stamp(ev))


# -- writing ---------------------------------------------------------------------------------------
MANIFEST_PACKAGES = ("python-docx", "matplotlib", "fonttools")


def report_dir(plan_id: str, out_dir: Path | str | None = None,
               plan_file: Path | None = None) -> Path:
    """Where a plan's report goes: <out_dir>/<plan_id>/, by default the plan's project's
    report folder (reports/<plan_id>/ in this repository)."""
    if out_dir is None:
        return project_of(plan_file).report_dir(plan_id)
    return Path(out_dir) / plan_id


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The requested formats, checked ("xlsx" also writes the CSV twin)."""
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ValueError(f"unknown report format(s) {', '.join(unknown) or '(none)'}; "
                         f"choose from {', '.join(FORMATS)}")
    return wanted


def section_files(section: Section, formats: Sequence[str]) -> dict[str, bytes]:
    """The files of one section by path relative to its language folder."""
    from planlib.outputs.report.tables import table_csv_bytes, table_xlsx_bytes
    from planlib.outputs.report.to_docx import to_docx

    files: dict[str, bytes] = {}
    if "md" in formats:
        files["report.md"] = section.markdown.encode("utf-8")
        for stem, png in section.figures.items():
            files[f"figures/{stem}.png"] = png
    if "html" in formats:
        files["report.html"] = section.html.encode("utf-8")
    if "docx" in formats:
        files["report.docx"] = to_docx(section)
    sheet = "表1" if section.lang == "zh" else "Table 1"
    if "xlsx" in formats:
        files["tables.xlsx"] = table_xlsx_bytes(section.tables["overview"], sheet)
    if "xlsx" in formats or "csv" in formats:
        files["table1_overview.csv"] = table_csv_bytes(section.tables["overview"])
    return files


def write_report(ev: Evaluation, lang: str = "zh", formats: Sequence[str] = FORMATS,
                 out_dir: Path | str | None = None, *,
                 section: Section | None = None) -> list[Path]:
    """Write the section of ``ev`` in ``lang`` under <out_dir or reports/>/<plan_id>/<lang>/
    in ``formats`` (md with figures/, html, docx, xlsx + csv), then the plan's
    manifest.json covering the files this call wrote; return the paths written (manifest
    last). Atomic, byte-identical on rerun. Both languages under one manifest:
    `write_reports`."""
    return write_reports(ev, (lang,), formats, out_dir,
                         sections={lang: section} if section is not None else None)


def write_reports(ev: Evaluation, langs: Sequence[str] = ("zh",),
                  formats: Sequence[str] = FORMATS, out_dir: Path | str | None = None, *,
                  sections: Mapping[str, Section] | None = None) -> list[Path]:
    """Write the section in each of ``langs`` (as `write_report`), then one manifest.json
    listing exactly the files written here: files an earlier run left in the folder (a
    format or language not asked for this time) are not vouched for. Staged and moved in
    together, manifest last (planlib.outputs.files.staging)."""
    wanted = check_formats(formats)
    folder = report_dir(ev.plan.plan.id, out_dir, ev.plan.path)
    check_out_dir(folder, ev.plan.path, globs=ev.plan.data)  # never among the inputs
    if ev.plan.path is None:
        raise ValueError("the evaluation's plan has no file: load it with planlib.load_plan")

    def files() -> Iterator[tuple[str, bytes]]:
        for lang in dict.fromkeys(langs):
            section = (sections or {}).get(lang) or build_section(
                ev, lang, figures=bool({"md", "html", "docx"} & set(wanted)))
            for rel, data in section_files(section, wanted).items():
                yield f"{lang}/{rel}", data

    return write_staged(folder, files(), lambda staged, stage: report_manifest(ev, staged, stage))


def report_manifest(ev: Evaluation, outputs: Sequence[Path], folder: Path) -> dict[str, Any]:
    """manifest.json of a plan's report folder: plan and input sha256, parameters and seed,
    versions (planlib, its dependencies, python-docx, matplotlib, fontTools) and the sha256
    of each report file in ``outputs`` (not whatever else lies in the folder)."""
    return evaluation_manifest(ev, outputs, folder,
                               {"backtest_coverage": backtest_coverage().__dict__},
                               MANIFEST_PACKAGES)
