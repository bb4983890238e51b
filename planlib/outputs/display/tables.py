"""Display tables for the notebooks: what was read, the gaps, the model choice and the
sensitivity across models, the targets at risk. Each is a plain DataFrame built from the
pipeline's result, so a notebook shows it and computes nothing of its own. Headers follow
``lang`` (Chinese words from ``headers``; English keeps the column names)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from planlib import config
from planlib.core import labels
from planlib.core.result import Evaluation, IndicatorResult
from planlib.inputs.input_warnings import group_line, grouped
from planlib.inputs.observations import LoadedObservations
from planlib.outputs.display.headers import KIND_ZH, localise
from planlib.outputs.files.safe_text import markdown_text
from planlib.outputs.report.final_stage import Outcome

if TYPE_CHECKING:  # faces sit above outputs: the run is only read here
    from planlib.pipeline import PlanRun


def run_heading(run: PlanRun, lang: str = "zh") -> str:
    """One Markdown line naming the plan, its id and what "as of" means in this run (the
    title escaped: plan text is untrusted)."""
    meta = run.plan.plan
    title = markdown_text(meta.title_en if lang == "en" and meta.title_en else meta.title_zh)
    as_of = run.evaluation.as_of
    if lang == "en":
        return f"**{title}** (`{run.plan.id}`), as of {as_of}: data through {as_of - 1}."
    return f"**{title}**（`{run.plan.id}`），评估年份 {as_of}：数据截至 {as_of - 1} 年。"


def indicator_heading(result: IndicatorResult, lang: str = "zh") -> str:
    """A Markdown heading naming an indicator (and its region), escaped: names and regions
    come from plan and data files, so they show as written, never as markup or HTML."""
    name = markdown_text(result.name(lang))
    return f"### {name} {markdown_text(result.region)}".rstrip()


def _years_text(years: Iterable[int]) -> str:
    """Years as a reader scans them: runs collapsed, "2015, 2017–2019"."""
    ys = sorted(set(years))
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _file_rows(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The kept observations read from ``path`` (its display name, any sheet of it)."""
    name = config.display_path(path)
    files = frame["file"].astype(str)
    return frame[(files == name) | files.str.startswith(name + ", ")]


def files_table(loaded: LoadedObservations, lang: str = "en") -> pd.DataFrame:
    """One row per data file read, in reading order (later files win): where it is, its
    size, and how many of its observations were kept, for how many series and years."""
    rows = []
    for order, path in enumerate(loaded.files, 1):
        kept = _file_rows(loaded.frame, path)
        years = kept["year"].astype(int)
        rows.append({
            "order": order,
            "file": config.display_path(path),
            "format": Path(path).suffix.lstrip(".").lower(),
            "bytes": os.path.getsize(path) if Path(path).exists() else pd.NA,
            "observations_kept": len(kept),
            "series": kept["indicator_id"].nunique(),
            "years": f"{years.min()}–{years.max()}" if len(kept) else "",
        })
    return localise(pd.DataFrame(rows, columns=["order", "file", "format", "bytes",
                                                "observations_kept", "series", "years"]),
                    lang)


def observations_wide(loaded: LoadedObservations, lang: str = "en") -> pd.DataFrame:
    """The tidy observations laid out as offices keep them: one row per series (and
    region), one column per year, flagged values marked (``*`` provisional, ``d`` derived,
    ``≥`` lower bound, ``|`` a break starting that year)."""
    marks = {"provisional": "*", "derived": "d", "lower_bound": "≥", "break": "|"}
    frame = loaded.frame.copy()
    flags = frame["flag"].astype("string").fillna("")
    frame["cell"] = [f"{m}{v:g}" if m in ("≥", "|") else f"{v:g}{m}"
                     for v, m in zip(frame["value"], flags.map(lambda f: marks.get(f, "")),
                                     strict=True)]
    frame["region"] = frame["region"].astype("string").fillna("")
    wide = frame.pivot_table(index=["indicator_id", "region"], columns="year", values="cell",
                             aggfunc="first", sort=True)
    wide.columns = [str(c) for c in wide.columns]
    return localise(wide.fillna("").reset_index(), lang)


def warnings_table(loaded: LoadedObservations, lang: str = "en") -> pd.DataFrame:
    """Every warning of the reading step in ``lang``, one row per distinct warning (its
    places listed); ``kind`` is ``override`` for a value replaced by a later file (the line
    names both files, rows and values), else ``note`` (in Chinese: 数值被替换, 提示)."""
    groups = grouped(loaded.warnings)
    kinds = ["override" if same[0].code == "value_replaced" else "note" for same in groups]
    if lang == "zh":
        kinds = [KIND_ZH[k] for k in kinds]
    lines = [group_line(same, lang) for same in groups]
    return localise(pd.DataFrame({"kind": kinds, "warning": lines},
                                 columns=["kind", "warning"]), lang)


def _observed_years(result: IndicatorResult) -> list[int]:
    """Years with a published value (raw, before any running total) up to the as-of year."""
    h = result.history
    if h.empty:
        return []
    return sorted(int(y) for y in h.loc[h["raw_value"].notna(), "year"])


def gap_row(result: IndicatorResult) -> dict[str, object]:
    """One indicator's coverage: first and last year observed, and the years missing from
    the earlier of its baseline and first observation to the last year before as-of."""
    years = _observed_years(result)
    last_due = result.as_of - 1
    starts = [y for y in (result.baseline_year, years[0] if years else None) if y is not None]
    span = range(min(starts), last_due + 1) if starts else range(0)
    missing = [y for y in span if y not in set(years)]
    return {
        "indicator_id": result.id,
        "region": result.region,
        "first_year": years[0] if years else pd.NA,
        "last_year": years[-1] if years else pd.NA,
        "n_years": len(years),
        "n_missing": len(missing),
        "missing_years": _years_text(missing),
        "years_behind": (last_due - years[-1]) if years else pd.NA,
    }


def gap_table(evaluation: Evaluation, lang: str = "en") -> pd.DataFrame:
    """Years missing per indicator (and region) up to the year before the evaluation, and
    how many years the latest value lags behind it (0: data through as_of − 1)."""
    rows = [{**gap_row(r), "name": r.name(lang)} for r in evaluation]
    cols = ["indicator_id", "region", "name", "first_year", "last_year", "n_years",
            "n_missing", "missing_years", "years_behind"]
    frame = pd.DataFrame(rows, columns=cols)
    frame = frame.astype({"first_year": "Int64", "last_year": "Int64", "years_behind": "Int64"})
    return localise(frame, lang)


def selection_table(evaluation: Evaluation, lang: str = "en") -> pd.DataFrame:
    """The model choice per indicator as data: the model used, its members and weights,
    each candidate's backtest MASE, the widest interval widening and the reason."""
    rows = []
    for r in evaluation:
        sel = r.selection
        row: dict[str, object] = {"indicator_id": r.id, "region": r.region,
                                  "name": r.name(lang), "model": r.model}
        if sel is not None:
            widest = max((max(w) for w in sel.widening.values() if w), default=1.0)
            row |= {
                "members": ", ".join(sel.members),
                "weights": ", ".join(f"{w:.2f}" for w in sel.weights),
                "n_origins": sel.n_origins,
                "max_widening": round(widest, 2),
                **{f"mase_{m}": round(s, 3) for m, s in sorted(sel.scores.items())},
            }
        row["reason"] = sel.reason if sel is not None else r.outlook.reason
        rows.append(row)
    frame = pd.DataFrame(rows)
    if "n_origins" in frame:
        frame["n_origins"] = frame["n_origins"].astype("Int64")
    first = ["indicator_id", "region", "name", "model", "members", "weights", "n_origins",
             "max_widening"]
    mase = sorted(c for c in frame.columns if c.startswith("mase_"))
    cols = [c for c in first if c in frame.columns] + mase + ["reason"]
    return localise(frame[cols], lang)


def sensitivity_table(evaluation: Evaluation, lang: str = "en") -> pd.DataFrame:
    """P(target met) under each single model beside the chosen one, and whether the call
    (met or not at even odds) holds whichever model is used (``call_robust``). In a final
    evaluation, only the targets whose target-year value is not yet published: an
    observed outcome has no probability."""
    shown = [r for r in evaluation if Outcome.of(r).code not in ("met", "not_met")]
    models = sorted({m for r in shown for m in r.p_meet_by_model})
    rows = []
    for r in shown:
        rows.append({
            "indicator_id": r.id, "region": r.region, "name": r.name(lang),
            "model": r.model, "p_meet": r.p_meet,
            **{f"p_{m}": r.p_meet_by_model.get(m, float("nan")) for m in models},
            "call_robust": r.call_robust,
        })
    cols = ["indicator_id", "region", "name", "model", "p_meet",
            *(f"p_{m}" for m in models), "call_robust"]
    return localise(pd.DataFrame(rows, columns=cols).astype({"call_robust": "boolean"}),
                    lang)


def at_risk_table(evaluation: Evaluation, lang: str = "zh") -> pd.DataFrame:
    """The targets at risk (``Evaluation.at_risk``) with what puts them there: progress,
    P(met) and outlook in ``lang``, the pace needed against the recent pace, and notes."""
    cols = ["indicator_id", "region", "name", "nature", "target", "latest",
            "progress", "p_meet", "outlook", "required_pace", "recent_pace", "notes"]
    rows = []
    for r in evaluation.at_risk:
        rows.append({
            "indicator_id": r.id, "region": r.region, "name": r.name(lang),
            "nature": labels.label(r.indicator.nature, lang),
            "target": f"{r.target_level:g} ({r.target_year})",
            "latest": f"{r.latest_value:g} ({r.latest_year})" if r.latest_year else "",
            "progress": labels.label(r.progress_status, lang),
            "p_meet": r.p_meet_text or "",
            "outlook": labels.label(r.outlook_status, lang),
            "required_pace": r.progress.required_pace,
            "recent_pace": r.progress.recent_pace,
            "notes": r.notes_text(lang),
        })
    return localise(pd.DataFrame(rows, columns=cols), lang)


def years_table(result: IndicatorResult, lang: str = "en") -> pd.DataFrame:
    """An indicator's numbers per year (``IndicatorResult.summary_frame``) with headers
    in ``lang``."""
    return localise(result.summary_frame(), lang)


def evaluation_table(evaluation: Evaluation, lang: str = "en") -> pd.DataFrame:
    """The evaluation table as written to evaluation.csv (``Evaluation.summary_frame``),
    for display: status words and notes in ``lang``, and the headers too."""
    return localise(evaluation.summary_frame(lang), lang)
