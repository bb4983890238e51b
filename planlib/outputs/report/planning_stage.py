"""The report's parts for the planning stage of a plan (规划编制, issue #17): a new plan
with no data after its baseline, so no progress is measured; instead the 目标建议 table —
per indicator the level reached or bettered with probability 50 / 80 / 90 % by the new
target year, the drafted target with its P(met) and band — and a method note. The levels
and bands are `planlib.core.proposal`'s rules (the same numbers ``planlib propose``
writes), read off each result's own projection; the sentences come from
`planlib.outputs.report.text`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from planlib.core import cycle_labels, labels, proposal
from planlib.core.result import Evaluation, IndicatorResult
from planlib.outputs.report import numbers as nf
from planlib.outputs.report.blocks import Block, Bullets, Paragraph
from planlib.outputs.report.tables import identity_cells, rounded
from planlib.outputs.report.text import Sayer, word

NameOf = Callable[[IndicatorResult, str], str]
#: The probabilities of the 目标建议 table (p50, p80, p90).
PROBABILITIES = proposal.DEFAULT_PROBABILITIES


def status_of(ev: Evaluation, r: IndicatorResult) -> str:
    """``draft`` (草案目标) or ``adopted`` (规划目标): the indicator's targets_status, else
    the plan's (`Plan.targets_status_of`)."""
    return ev.plan.targets_status_of(r.indicator)


def common_status(ev: Evaluation, results: list[IndicatorResult] | None = None) -> str:
    """The targets_status every result (of ``ev``, or ``results``) shares, for words about
    the targets together; ``mixed`` when drafts and adopted targets are mixed (目标)."""
    found = {status_of(ev, r) for r in (ev if results is None else results)}
    return found.pop() if len(found) == 1 else "mixed"


@dataclass(frozen=True)
class Proposed:
    """One indicator's proposal as the report shows it."""

    levels: dict[int, float]  # q -> level reached or bettered with probability q
    p_draft: float
    band: str
    flag: str


def proposed(r: IndicatorResult) -> Proposed:
    """`proposal.reached_levels` and `proposal.draft_columns` on this result's projection
    at its target year (the rows of ``planlib propose``'s targets.csv)."""
    levels = proposal.needed_levels(PROBABILITIES)
    at = r.summary_frame(levels=levels)
    row = at[at["year"] == r.target_year]
    if row.empty:
        row = pd.DataFrame({"median": [math.nan], **{f"{s}{lv}": [math.nan] for lv in levels
                                                      for s in ("lo", "hi")}})
    table = row.reset_index(drop=True).assign(direction=r.indicator.direction,
                                              reliability=r.reliability)
    reached = proposal.reached_levels(table, PROBABILITIES).iloc[0]
    draft = proposal.draft_columns(r.p_meet, r.reliability)
    return Proposed({q: float(reached[f"p{q}"]) for q in PROBABILITIES},
                    float(draft["p_draft"]), str(draft["draft_band"]), str(draft["draft_flag"]))


def p_text(r: IndicatorResult, p: Proposed) -> str:
    """The drafted target's P(met) as printed; "" where the proposal has none (the
    projection cannot be used)."""
    return "" if math.isnan(p.p_draft) else (r.p_meet_text or "")


def planning_overall(ev: Evaluation, say: Sayer, name_of: NameOf) -> list[Block]:
    """总体判断 of a new plan: what is measured and on which data, the drafted targets by
    band, and the drafts almost certain already or out of reach."""
    lang = say.lang
    meta = ev.plan.plan
    targets = say.word(f"targets.{common_status(ev)}")
    rows = [(r, proposed(r)) for r in ev]
    counts = [(code, sum(p.band == code for _, p in rows))
              for code in cycle_labels.DRAFT_LABELS]
    bands = say.join([say("count", status=cycle_labels.draft_words(code, lang), k=k)
                      for code, k in counts if k])
    text = [say("planning.intro", n=len(ev), t0=nf.year(meta.baseline_year, lang),
                year=nf.year(meta.target_year, lang), data_year=nf.year(ev.as_of - 1, lang),
                targets=targets),
            say("planning.bands", counts=bands, targets=targets)]
    for flag in cycle_labels.DRAFT_FLAGS:
        for status in ("draft", "adopted"):  # each target worded as its own status says
            hit = [name_of(r, lang) for r, p in rows
                   if p.flag == flag and status_of(ev, r) == status]
            if hit:
                text.append(say(f"planning.{flag}.{status}", names=say.join(hit)))
    sep = "" if lang == "zh" else " "
    return [Paragraph(sep.join(text))]


def planning_headers(ev: Evaluation, lang: str) -> tuple[str, ...]:
    """The 目标建议 table's headers (the target column named for the targets' status:
    草案目标, 规划目标, or 目标 when they are mixed)."""
    year = ev.plan.plan.target_year
    ps = [f"p{q}" for q in PROBABILITIES]
    target = _capital(word(f"targets.{common_status(ev)}", lang))
    if lang == "zh":
        return ("指标（单位）", "属性", "最新值", *(f"{year}年\n{p}" for p in ps),
                target, "实现\n概率", "评价")
    return ("Indicator (unit)", "Nature", "Latest", *(f"{p}\n{year}" for p in ps),
            target, "P(met)", "Assessment")


def _capital(text: str) -> str:
    """A header's first letter in capitals (English)."""
    return text[:1].upper() + text[1:]


#: Which 目标建议 columns hold numbers (right-aligned).
PLANNING_NUMERIC = (False, False, True, *(True for _ in PROBABILITIES), True, True, False)


def planning_row(r: IndicatorResult, name_with_unit: str, lang: str,
                 latest: str) -> tuple[str, ...]:
    """One row of the 目标建议 table (``latest``: the latest value with its year)."""
    p = proposed(r)
    words = cycle_labels.draft_words(p.band, lang)
    if p.flag:
        words += ("：" if lang == "zh" else ": ") + cycle_labels.draft_words(p.flag, lang)
    return (name_with_unit, labels.label(r.indicator.nature, lang), latest,
            *(nf.bare(r, p.levels[q]) for q in PROBABILITIES), nf.bare(r, r.target_level),
            p_text(r, p) or "—", words)


def planning_notes(ev: Evaluation, say: Sayer, name_of: NameOf) -> list[Block]:
    """Section four of a new plan: the drafts to reconsider (almost certain already, or
    out of reach on the trend), or the adopted targets to watch (each its own status)."""
    items, flagged = [], []
    for r in ev:
        p = proposed(r)
        if p.flag:
            flagged.append(r)
            items.append(say("planning.item", name=name_of(r, say.lang),
                             words=cycle_labels.draft_words(p.flag, say.lang),
                             p=nf.p_cell(r)))
    if not items:
        return [Paragraph(say("planning.none",
                              targets=say.word(f"targets.{common_status(ev)}")))]
    return [Paragraph(say(f"planning.reconsider.{common_status(ev, flagged)}", n=len(items))),
            Bullets(tuple(items))]


def planning_method(say: Sayer, status: str = "adopted") -> Paragraph:
    """The method note of the proposals, its bands and flags read from cycle_labels
    (``status``: the targets' `common_status`)."""
    bands = []
    edges = cycle_labels.DRAFT_BANDS
    for edge, code in edges:
        key = "m.band" if edge > 0 else "m.band_last"
        shown = edge if edge > 0 else edges[-2][0]
        bands.append(say(key, edge=f"{shown:.2f}", word=cycle_labels.draft_words(code,
                                                                                 say.lang)))
    return Paragraph(say("planning.m.method", bands=say.word("sep_notes").join(bands),
                         targets=say.word(f"targets.{status}"),
                         certain=f"{cycle_labels.ALMOST_CERTAIN:.2f}",
                         reach=f"{cycle_labels.OUT_OF_REACH:.2f}"), lead=True)


def planning_frame(ev: Evaluation, lang: str) -> pd.DataFrame:
    """The 目标建议 table for XLSX/CSV: the latest value, the levels reached with
    probability 50 / 80 / 90 %, the plan's target with its P(met), band and flag (coded and
    in words); numbers as printed. The same numbers as the report's table and as
    ``planlib propose``'s targets.csv."""
    zh = lang == "zh"
    target = word(f"targets.{common_status(ev)}", lang)
    rows = []
    for r in ev:
        p, d = proposed(r), nf.decimals(r)
        rows.append({
            **identity_cells(r, lang),
            ("最新年份" if zh else "latest_year"): r.latest_year,
            ("最新值" if zh else "latest_value"): rounded(r.latest_value, d),
            ("目标年份" if zh else "target_year"): r.target_year,
            **{f"p{q}": rounded(p.levels[q], d) for q in PROBABILITIES},
            (target if zh else "target"): rounded(r.target_level, d),
            ("实现概率" if zh else "p_target"): p_text(r, p),
            ("评价代码" if zh else "band"): p.band,
            ("评价" if zh else "band_words"): cycle_labels.draft_words(p.band, lang),
            ("提示代码" if zh else "flag"): p.flag,
            ("提示" if zh else "flag_words"): cycle_labels.draft_words(p.flag, lang),
        })
    return pd.DataFrame(rows)
