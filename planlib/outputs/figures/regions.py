"""Figures for many regions, without a map: the spread of P(met) across regions per
indicator, and a ranking of regions for one indicator.

Both read an evaluation table (``evaluate(...).summary_frame()`` or ``region_table``) and
return a matplotlib Figure (no pyplot state) in the house style (planlib/outputs/figures/style.py:
Chinese font, outlook band colours); `save_png` writes it atomically without timestamps,
so a rerun gives identical bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from planlib.core import labels
from planlib.core.regions import OUTLOOK_ORDER, region_summary
from planlib.core.result import IndicatorResult
from planlib.outputs.figures import style
from planlib.outputs.figures.words import word
from planlib.outputs.files.atomic import write_bytes_atomic

BAND_EDGES = (0.10, 0.33, 0.66, 0.90)
#: Horizontal boxes: `orientation` from matplotlib 3.10, `vert` (deprecated there) before.
HORIZONTAL: dict = ({"orientation": "horizontal"} if mpl.__version_info__ >= (3, 10)
                    else {"vert": False})


def _figure(height: float) -> Figure:
    """A Figure in the house style (Chinese font, palette), full A4 text width."""
    return style.figure(style.FULL_WIDTH, height)


def _words(code: str, lang: str) -> str:
    return labels.label(code, lang, labels.OUTLOOK_LABELS)


def p_meet_spread(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Per indicator: a box of P(met) across regions (quartiles, 5-95 % whiskers) against
    the likelihood band edges, and the share of regions in each outlook band."""
    summary = region_summary(table)
    inds = list(summary["indicator_id"])
    fig = _figure(1.8 + 0.45 * len(inds))
    left, right = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    data = [table.loc[table["indicator_id"] == i, "p_meet"].dropna().to_numpy(float)
            for i in inds]
    pos = np.arange(len(inds))[::-1]
    shown = [(d, p) for d, p in zip(data, pos, strict=True) if d.size]
    if shown:
        left.boxplot([d for d, _ in shown], positions=[p for _, p in shown], **HORIZONTAL,
                     whis=(5, 95), showfliers=False, widths=0.6,
                     medianprops={"color": "#000000"})
    for edge in BAND_EDGES:
        left.axvline(edge, color="#BBBBBB", lw=0.6, zorder=0)
    left.set_xlim(0, 1)
    left.set_yticks(pos, inds)
    left.set_xlabel("P(达标)" if lang == "zh" else "P(target met)")
    shares = summary[list(OUTLOOK_ORDER)].to_numpy(float)
    shares = shares / np.maximum(shares.sum(axis=1, keepdims=True), 1)
    start = np.zeros(len(inds))
    for k, band in enumerate(OUTLOOK_ORDER):
        right.barh(pos, shares[:, k], left=start, color=style.status_colour(band), height=0.6,
                   label=_words(band, lang))
        start += shares[:, k]
    right.set_xlim(0, 1)
    right.set_xlabel("地区占比" if lang == "zh" else "share of regions")
    handles, names = right.get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=3, fontsize=7, frameon=False)
    title = "各指标地区 P(达标) 分布" if lang == "zh" else "P(target met) across regions"
    fig.suptitle(title, fontsize=10)
    return fig


def region_ranking(table: pd.DataFrame, indicator_id: str, *, top: int = 15,
                   lang: str = "en") -> Figure:
    """Regions of one indicator ranked by P(met): the `top` highest and lowest, each a bar
    coloured by its outlook band (a dot on a stem, so values near 0 stay visible); the
    count of regions left out is written between them."""
    part = table[(table["indicator_id"] == indicator_id) & table["p_meet"].notna()]
    part = part.sort_values(["p_meet", "region"], ascending=[False, True])
    fig = _figure(1.0 + 0.16 * max(min(len(part), 2 * top + 1), 3))
    ax = fig.subplots()
    _ranked(ax, part, "p_meet", list(BAND_EDGES), lang, top)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("P(达标)" if lang == "zh" else "P(target met)")
    title = (f"{indicator_id}: 各地区 P(达标) 排名" if lang == "zh"
             else f"{indicator_id}: regions ranked by P(target met)")
    ax.set_title(title, fontsize=10)
    return fig


def save_png(fig: Figure, path: Path) -> Path:
    """Write the figure as PNG atomically, without timestamps (identical reruns)."""
    return write_bytes_atomic(Path(path), style.figure_bytes(fig, "png"))


# -- a total's areas (issue #18 item 4): a ranking and small multiples, bounded -------------
#: Up to this many areas an indicator's areas also get one chart each; beyond, only the
#: ranking and the small multiples.
AREA_CHARTS_UP_TO = 10
#: Areas in the small multiples: one A4 page of the lowest ranked (the report's table's).
MULTIPLES = 30
#: What an area ranking shows, first that any area has: (column, zh axis, en axis).
RANK_MEASURES = (("p_meet", "P(达标)", "P(target met)"),
                 ("progress_share", "目标进度", "progress to target"),
                 ("latest_value", "最新值", "latest value"))


def ranking_measure(part: pd.DataFrame) -> tuple[str, str, str]:
    """What the areas are ranked by: P(met) when any has one, else progress, else the
    latest value (the stage decides: no outlook yet, or no target)."""
    for measure in RANK_MEASURES:
        if part[measure[0]].notna().any():
            return measure
    return RANK_MEASURES[-1]


def area_ranking(part: pd.DataFrame, total: IndicatorResult, *, top: int = 15,
                 lang: str = "zh") -> Figure:
    """An indicator's areas (rows of its evaluation table) ranked by `ranking_measure`,
    the `top` highest and lowest, coloured by outlook band, with the target line: the
    band edges for P(met), 100 % for progress, the total's target for a rate's level.
    Areas without that measure (无分区目标: no target of their own) are not left out: a
    second panel ranks them by their latest value, marked as such."""
    column, zh, en = ranking_measure(part)
    judged = part[part[column].notna()].sort_values([column, "region"],
                                                    ascending=[False, True])
    rest = part[part[column].isna() & part["latest_value"].notna()].sort_values(
        ["latest_value", "region"], ascending=[False, True])
    panels = [(judged, column, zh, en)] + ([(rest, *RANK_MEASURES[-1])] if len(rest) else [])
    rows = [max(min(len(p), 2 * top + 1), 1) for p, *_ in panels]
    fig = _figure(1.0 + 0.16 * max(sum(rows), 3) + 0.6 * (len(panels) - 1))
    axes = fig.subplots(len(panels), 1, squeeze=False,
                        gridspec_kw={"height_ratios": rows})[:, 0]
    target_line = [float(total.target_level)] if total.indicator.unit == "%" else []
    for ax, (rows_of, col, zh_axis, en_axis) in zip(axes, panels, strict=True):
        lines = {"p_meet": list(BAND_EDGES), "progress_share": [1.0]}.get(col, target_line)
        _ranked(ax, rows_of, col, lines, lang, top)
        ax.set_xlabel(zh_axis if lang == "zh" else en_axis)
        if col == "p_meet":
            ax.set_xlim(-0.02, 1.02)
    if len(panels) > 1:
        axes[1].set_title(word("unjudged_areas", lang, status=labels.label(
            "no_area_target", lang), n=len(rest)), fontsize=8, loc="left")
    name = total.name(lang)
    axes[0].set_title(f"{name}：各地区排名" if lang == "zh" else f"{name}: areas ranked",
                      fontsize=10)
    return fig


def _ranked(ax: Axes, part: pd.DataFrame, column: str, lines: list[float], lang: str,
            top: int) -> None:
    """Rows of ``part`` (sorted best first) as dots on stems by ``column`` on ``ax``: the
    ``top`` first and last, the count left out written between them, reference ``lines``."""
    if len(part) > 2 * top:
        shown, gap = pd.concat([part.head(top), part.tail(top)]), len(part) - 2 * top
    else:
        shown, gap = part, 0
    n = len(shown) + (1 if gap else 0)
    y = np.arange(n)[::-1].astype(float)
    if gap:
        y = np.concatenate([y[:top], y[top + 1:]])
        ax.text(0.5, n - 1 - top, f"… {gap:,} regions …" if lang == "en"
                else f"……另 {gap:,} 个地区……", ha="center", va="center", fontsize=7,
                transform=ax.get_yaxis_transform())
    colours = [style.status_colour(s) for s in shown["outlook_status"]]
    values = shown[column].to_numpy(float)
    ax.hlines(y, 0, values, color="#CCCCCC", lw=0.8, zorder=1)
    ax.scatter(values, y, c=colours, s=14, zorder=2, edgecolors="#333333", linewidths=0.3)
    ax.set_yticks(y, shown["region"].astype(str), fontsize=6)
    for edge in lines:
        ax.axvline(edge, color="#BBBBBB", lw=0.6, zorder=0)


def area_multiples(total: IndicatorResult, areas: Sequence[IndicatorResult],
                   lang: str = "zh") -> Figure:
    """Small multiples on one A4 page: each area's observed values and its own target
    (at most `MULTIPLES` areas, five a row, shared axes)."""
    areas = list(areas)[:MULTIPLES]
    cols = 5
    rows = max(1, -(-len(areas) // cols))
    fig = _figure(0.8 + 0.75 * rows)
    grid = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    for ax, r in zip(grid.flat, areas, strict=False):
        ax.plot(r.history["year"], r.history["value"], color="#333333", lw=0.8,
                marker="o", ms=1.5)
        if r.target_level is not None and np.isfinite(r.target_level):
            ax.axhline(float(r.target_level), color=style.status_colour(r.outlook_status),
                       lw=0.8, ls="--")
        ax.set_title(str(r.region), fontsize=6, pad=2)
        ax.tick_params(labelsize=5)
    for ax in list(grid.flat)[len(areas):]:
        ax.set_axis_off()
    name = total.name(lang)
    fig.suptitle(f"{name}：排名最后的{len(areas)}个地区" if lang == "zh"
                 else f"{name}: the {len(areas)} lowest-ranked areas", fontsize=10)
    return fig
