"""The report's areas (issue #18): after a total's paragraph, its areas in one table
(rank, latest, progress, P(met), status) and the areas to watch, bounded at any number of
areas -- never a paragraph per area.

Counts and bands come from `planlib.core.regions` (the CLI's too); the words from the
report's templates (planlib/outputs/report/text.py).
"""

from __future__ import annotations

import math

import pandas as pd

from planlib.core import labels
from planlib.core.regions import area_line, area_summary, count_words, judged_areas, worst_areas
from planlib.core.result import Evaluation, IndicatorResult
from planlib.outputs.report import numbers as nf
from planlib.outputs.report.blocks import Block, Bullets, Paragraph, Table
from planlib.outputs.report.text import Sayer

#: Areas listed in a table; beyond, the lowest ranked are listed and the rest counted.
MAX_ROWS = 30
AREA_NUMERIC = (True, False, True, True, True, False)


def with_total(ev: Evaluation) -> set[str]:
    """The indicators that have a total (region "") beside their areas."""
    return {ident for ident, region in ev.keys() if region == ""}  # noqa: SIM118


def has_areas_of(ev: Evaluation) -> bool:
    """True when the evaluation holds totals (region "") and areas: only then is there an
    area table to build (`area_frame` reads the whole evaluation table)."""
    regions = {region for _, region in ev.keys()}  # noqa: SIM118
    return "" in regions and len(regions) > 1


def totals_only(ev: Evaluation) -> Evaluation:
    """The evaluation of the totals alone (one result per indicator); an indicator with
    regions but no total keeps every region's result, as a plan of regions would."""
    totals = with_total(ev)
    keys = [k for k in ev.keys() if k[1] == "" or k[0] not in totals]  # noqa: SIM118
    return Evaluation(plan=ev.plan, results=[ev[k] for k in keys], as_of=ev.as_of,
                      model=ev.model, levels=ev.levels, seed=ev.seed)


def area_frame(ev: Evaluation) -> pd.DataFrame:
    """The areas' rows of the evaluation table, ranked per indicator (best first)."""
    table = ev.summary_frame()
    areas = table[table["region"].fillna("").astype(str).ne("")
                  & table["indicator_id"].isin(with_total(ev))].copy()
    areas["_p"] = areas["p_meet"].astype(float).fillna(-1.0)
    areas["_s"] = areas["progress_share"].astype(float).fillna(-math.inf)
    areas = areas.sort_values(["indicator_id", "_p", "_s", "region"],
                              ascending=[True, False, False, True], kind="stable")
    areas["rank"] = areas.groupby("indicator_id").cumcount() + 1
    return areas.drop(columns=["_p", "_s"])


def intro(ev: Evaluation, areas: pd.DataFrame, say: Sayer) -> Paragraph:
    """本规划3项指标、4个街道（镇）分别评估：the indicators and the areas counted apart."""
    regions = areas["region"].astype(str).unique()
    return Paragraph(say("areas.intro", n=len(ev.plan.indicators),
                         areas=count_words(len(regions), regions, say.lang)))


def area_blocks(total: IndicatorResult, areas: pd.DataFrame, say: Sayer, table_no: int
                ) -> list[Block]:
    """One indicator's areas: the counts sentence, the ranked table, the areas to watch."""
    part = areas[areas["indicator_id"] == total.id]
    if part.empty:
        return []
    lang = say.lang
    summary = area_summary(part).iloc[0].to_dict()
    blocks: list[Block] = [Paragraph(say("areas.summary", line=area_line(summary, lang)))]
    shown = part if len(part) <= MAX_ROWS else part.tail(MAX_ROWS)
    d = nf.decimals(total)
    rows = tuple((str(r["rank"]), str(r["region"]), nf.number(float(r["latest_value"]), d)
                  if not math.isnan(float(r["latest_value"])) else "—",
                  nf.share(float(r["progress_share"])), str(r["p_meet_text"] or "—"),
                  labels.label(str(r["outlook_status"]), lang))
                 for r in shown.to_dict("records"))
    note = say("areas.more", shown=len(shown), n=len(part)) if len(shown) < len(part) else ""
    blocks.append(Table(say("cap.table", n=table_no, text=say("areas.caption",
                                                               name=total.name(lang))),
                        tuple(say.word(f"areas.col.{c}") for c in
                              ("rank", "area", "latest", "progress", "p", "status")),
                        rows, note, AREA_NUMERIC))
    judged = judged_areas(part)
    if judged.empty:  # no area has a target of its own: nothing to watch, the line says so
        return blocks
    worst = worst_areas(part)
    if worst.empty:
        regions = judged["region"].astype(str).tolist()
        blocks.append(Paragraph(say("areas.watch_none",
                                    areas=count_words(len(regions), regions, lang))))
        return blocks
    blocks.append(Paragraph(say("areas.watch", n=len(worst))))
    blocks.append(Bullets(tuple(
        say("areas.watch_item", area=str(r["region"]),
            status=labels.label(str(r["outlook_status"]), lang),
            p=r["p_meet_text"] or "—", progress=nf.share(float(r["progress_share"])))
        for r in worst.to_dict("records"))))
    return blocks
