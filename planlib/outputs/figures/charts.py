"""The report's figures, drawn from the evaluation result and nothing else.

Each function takes an `IndicatorResult` or an `Evaluation` (and, where it makes sense,
an ``ax`` to draw into) and returns the matplotlib Figure, as statsmodels' ``plot_predict``
does, so the same calls work in a notebook and in `write_figures`. Every number drawn is
read from ``result.summary_frame()``, ``result.history``, ``result.progress`` or
``result.p_meet_by_model``: a figure cannot disagree with the evaluation table.
Chinese by default, English with ``lang="en"``; names from the plan, status words from
`planlib.core.labels`, the figures' own words from `planlib.outputs.figures.words`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, PercentFormatter
from matplotlib.transforms import ScaledTranslation

from planlib.core import cycle_labels, labels, reliability
from planlib.core.result import Evaluation, IndicatorResult
from planlib.core.targets.registry import flow_total, kind_of
from planlib.outputs.figures import regions, style
from planlib.outputs.figures.pages import PAGED_CHARTS, page_stems, pages
from planlib.outputs.figures.render import Recipe, rendered
from planlib.outputs.figures.words import unit_text, word
from planlib.outputs.files.file_names import indicator_stems
from planlib.outputs.files.manifest import evaluation_manifest
from planlib.outputs.files.out_dir import check_out_dir
from planlib.outputs.files.staging import write_staged
from planlib.outputs.report.areas import area_frame, has_areas_of, totals_only
from planlib.outputs.report.final_stage import Outcome, report_stage
from planlib.project_folder import project_of

#: How an observation is marked, by flag: (marker, filled, legend word).
FLAG_MARKERS: dict[str, tuple[str, bool, str]] = {
    "": ("o", True, "observed"),
    "break": ("o", True, "observed"),
    "provisional": ("D", False, "provisional"),
    "derived": ("s", False, "derived"),
    "lower_bound": ("^", False, "lower_bound"),
}
#: Opacity of the interval fans, widest first.
FAN_ALPHA = (0.16, 0.32, 0.45)
CM = style.CM
#: The height of an A4 page's text block (29.7 cm less margins and a caption): a paged
#: chart's page is at most this tall.
A4_TEXT_HEIGHT = 24 * CM


# -- small helpers ------------------------------------------------------------------------
def _text_width(text: str) -> int:
    """Display width in half-em units: a hanzi or full-width sign counts 2, Latin 1."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


#: The widest figure title, in half-ems (hanzi count 2), that fits the full page width.
TITLE_WIDTH = 72


def wrap(text: str, width: int, balanced: bool = True) -> str:
    """Wrap ``text`` to lines of at most ``width`` half-ems (hanzi count 2), at spaces in
    Latin text and between any two hanzi; ``balanced``: lines of about equal length (for
    titles and names, no orphan), else filled line by line (for captions)."""
    width, total = int(width), _text_width(text)
    if total <= width:
        return text
    if not balanced:
        return "\n".join(_greedy_lines(text, width))
    n_lines = len(_greedy_lines(text, width))
    for trial in range(math.ceil(total / n_lines), width + 1):
        lines = _greedy_lines(text, trial, width)
        if len(lines) <= n_lines:
            return "\n".join(lines)
    return "\n".join(_greedy_lines(text, width))


#: A bracketed phrase, kept on one line when it fits: "（2020年以来累计）", "(since 2020)".
_BRACKETED = r"[（(【《「\[][^（）()【】《》「」\[\]]*[）)】》」\]]\s*"
#: A token that no line may start with (closing brackets and punctuation) or end with
#: (opening brackets): glued to its neighbour, as Chinese line breaking (禁则) requires.
_NO_START = "）)】》」]，。、；：！？,.;:!?"
_NO_END = "（(【《「["
#: A hanzi alone, or a run of non-space characters from a Latin one on ("3岁以下" stays
#: whole), with its space.
_TOKEN = re.compile(_BRACKETED + r"|[\u2e80-\uffff]|\S+\s*|\s+")
#: Inside a bracketed phrase too wide for a line: a hanzi alone, a Latin run alone.
_SMALL_TOKEN = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+")


def _tokens(text: str, width: int) -> list[str]:
    """The unbreakable pieces of ``text``: a hanzi, a Latin word with its space, a
    bracketed phrase no wider than ``width``; a bracket or punctuation mark never stands
    alone at a line's start or end (a wider bracketed phrase breaks inside, not at it)."""
    pieces: list[str] = []
    for token in _TOKEN.findall(text):
        if _text_width(token.rstrip()) > width and token[0] in _NO_END:
            pieces.extend(_SMALL_TOKEN.findall(token))
        else:
            pieces.append(token)
    out: list[str] = []
    for piece in pieces:
        if out and (piece[0] in _NO_START or out[-1].rstrip()[-1:] in _NO_END) \
                and not out[-1][-1:].isspace():
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _greedy_lines(text: str, width: int, whole: int | None = None) -> list[str]:
    """Lines of at most ``width`` half-ems, filled greedily; a bracketed phrase no wider
    than ``whole`` (default ``width``: the widest line allowed) is never broken."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text, width if whole is None else whole):
        if line and _text_width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _figure_and_axes(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes]:
    """The caller's axes and figure, or a new house-style figure with one axes."""
    if ax is not None:
        style.use_house_style()
        return cast(Figure, ax.figure), ax
    fig = style.figure(width, height)
    return fig, fig.add_subplot()


def _title(result: IndicatorResult, lang: str) -> str:
    """The indicator's name in ``lang``, with its region when it has one."""
    name = result.name(lang)
    if result.region:
        return f"{name}（{result.region}）" if lang == "zh" else f"{name} ({result.region})"
    return name


def _fmt(value: float) -> str:
    """A value as a label shows it: up to three significant decimals, no trailing zeros."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _target_words(result: IndicatorResult, lang: str) -> str:
    """The target as a legend says it: 目标（≥90%）, Target (≤ 60 %)."""
    sign = "≤" if result.indicator.direction == "decrease" else "≥"
    unit = unit_text(result.indicator.unit, lang, result.indicator.unit_en)
    value = _fmt(result.target_level)
    unit_sep = "" if lang == "zh" or unit == "%" else " "
    inner = f"{sign}{value}{unit_sep}{unit}, {result.target_year}" if lang == "en" else \
        f"{result.target_year}年{sign}{value}{unit}"
    key = "target_path" if kind_of(result.target_kind).is_path else "target"
    return f"{word(key, lang)}（{inner}）" if lang == "zh" else f"{word(key, lang)} ({inner})"


def _p_text(result: IndicatorResult) -> str:
    """P(met) as an equation: "P = 0.42", "P > 0.99", "" when there is none."""
    text = result.p_meet_text
    if not text:
        return ""
    return f"P {text}" if text[0] in "<>" else f"P = {text}"


def _status_line(result: IndicatorResult, lang: str, stage: str | None = None
                 ) -> list[tuple[str, str]]:
    """The statuses as (text, status code) pairs: progress, then outlook with P(met); an
    observed final outcome alone, in words, without a probability."""
    sep = "：" if lang == "zh" else ": "
    if seen := _observed(result):
        return [(word("outcome", lang) + sep + cycle_labels.OUTCOME_LABELS[seen][lang],
                 OUTCOME_COLOURS[seen])]
    parts: list[tuple[str, str]] = []
    if result.progress_status is not None:
        parts.append((word("progress_status", lang) + sep
                      + labels.label(result.progress_status, lang, labels.PROGRESS_LABELS),
                      result.progress_status))
    if _withheld(result, stage):
        return [*parts, (word("outlook_status", lang) + sep + _unreliable(lang), "")]
    outlook = word("outlook_status", lang) + sep + labels.label(result.outlook_status, lang)
    if result.p_meet_text:
        outlook += f"（{_p_text(result)}）" if lang == "zh" else f" ({_p_text(result)})"
    elif result.schedule_status:
        outlook += ("（" if lang == "zh" else " (") + labels.label(result.schedule_status, lang) \
            + ("）" if lang == "zh" else ")")
    parts.append((outlook, result.outlook_status))
    return parts


def _status_badges(ax: Axes, result: IndicatorResult, lang: str, fontsize: float,
                   stage: str | None = None) -> None:
    """Status words above the axes, each on a patch of its status colour."""
    anchor: Any = ax.transAxes
    xy, offset = (0.0, 1.015), (0, 0)
    for text, code in _status_line(result, lang, stage):
        badge = ax.annotate(
            text, xy=xy, xycoords=anchor, xytext=offset, textcoords="offset points",
            ha="left", va="bottom", fontsize=fontsize, annotation_clip=False,
            bbox={"boxstyle": "round,pad=0.25", "fc": style.status_colour(code),
                  "ec": "none", "alpha": 0.35})
        anchor, xy, offset = badge, (1.0, 0.0), (6, 0)


# -- the indicator chart ------------------------------------------------------------------------
def _fit_shown(result: IndicatorResult, frame: pd.DataFrame) -> bool:
    """True when the chart draws a fitted trend (a fit window and fitted values, and no
    observed final outcome): only then is the fit window shaded and a point outside it
    greyed as not fitted."""
    return (result.fit_from is not None and result.fit_to is not None
            and frame["fitted"].notna().any() and not _observed(result))


def _draw_fit_window(ax: Axes, result: IndicatorResult, frame: pd.DataFrame, lang: str,
                     compact: bool) -> None:
    """The years the trend was fitted on, shaded (none when no trend is drawn)."""
    if not _fit_shown(result, frame) or result.fit_from is None or result.fit_to is None:
        return
    name = word("fit_window", lang)
    ax.axvspan(result.fit_from - 0.5, result.fit_to + 0.5, color=style.COLOURS["fit_window"],
               zorder=0, lw=0,
               label=name if compact else f"{name} {result.fit_from}–{result.fit_to}")


def _break_years(result: IndicatorResult) -> list[int]:
    flagged = result.history.loc[result.history["flag"] == "break", "year"]
    return sorted({int(y) for y in flagged} | {int(y) for y in result.indicator.breaks})


def _draw_breaks(ax: Axes, result: IndicatorResult, lang: str) -> None:
    for i, year in enumerate(_break_years(result)):
        ax.axvline(year - 0.5, color=style.COLOURS["break"], ls=(0, (2, 2)), lw=0.9, zorder=1,
                   label=word("break", lang) if i == 0 else None)


def _draw_target(ax: Axes, result: IndicatorResult, frame: pd.DataFrame, lang: str,
                 compact: bool) -> None:
    """The plan path from the baseline and the target (a level, or a path)."""
    colour = style.COLOURS["target"]
    is_path = kind_of(result.target_kind).is_path
    target_label = word("target_path" if is_path else "target", lang) if compact else \
        _target_words(result, lang)
    path = frame[["year", "plan_path"]].dropna()
    if is_path:
        if len(path):
            ax.plot(path["year"], path["plan_path"], color=colour, lw=1.3, zorder=2,
                    label=target_label)
    else:
        if len(path):
            ax.plot(path["year"], path["plan_path"], color=colour, lw=1.0, ls=(0, (4, 2)),
                    zorder=2, label=word("plan_path", lang))
        if math.isfinite(result.target_level):
            ax.axhline(result.target_level, color=colour, lw=0.7, ls=":", zorder=1)
    if math.isfinite(result.target_level):
        ax.plot([result.target_year], [result.target_level], marker="*", ms=9, color=colour,
                mec="white", mew=0.6, ls="none", zorder=6,
                label=word("target", lang) if is_path and compact else
                None if is_path else target_label)


def _draw_projection(ax: Axes, result: IndicatorResult, frame: pd.DataFrame,
                     levels: Sequence[int], lang: str) -> Line2D | None:
    """Fitted trend, and the median with its fans from the latest observation; nothing
    where the final outcome is observed, and no median or fan that would be a single
    year or no width (a context series observed in the target year): a legend entry
    only for what is drawn. Returns the fitted trend's line (see `_drop_hidden_fit`)."""
    if _observed(result):
        return None
    colour = style.COLOURS["projection"]
    fitted = frame[["year", "fitted"]].dropna()
    fit_line = None
    if len(fitted):
        (fit_line,) = ax.plot(fitted["year"], fitted["fitted"], color=colour, lw=0.9,
                              ls=(0, (1, 1.5)), zorder=3, label=word("fitted", lang))
    ahead = frame[frame["median"].notna()]
    if not len(ahead):
        return fit_line
    anchor = None
    if result.latest_year is not None and math.isfinite(result.latest_value) \
            and result.latest_year < ahead["year"].min():
        anchor = (result.latest_year, result.latest_value)

    def joined(column: str) -> tuple[np.ndarray, np.ndarray]:
        years, values = ahead["year"].to_numpy(float), ahead[column].to_numpy(float)
        if anchor is not None:
            years, values = np.r_[anchor[0], years], np.r_[anchor[1], values]
        return years, values

    if len(joined("median")[0]) < 2:
        return fit_line
    for i, level in enumerate(sorted(levels, reverse=True)):
        years, lo = joined(f"lo{level}")
        _, hi = joined(f"hi{level}")
        if np.isnan(lo).all() or not np.nanmax(hi - lo) > 0:
            continue
        ax.fill_between(years, lo, hi, color=colour, lw=0, zorder=2,
                        alpha=FAN_ALPHA[min(i, len(FAN_ALPHA) - 1)],
                        label=word("band", lang, level=level))
    years, median = joined("median")
    ax.plot(years, median, color=colour, lw=1.6, zorder=4, label=word("median", lang))
    return fit_line


#: How far, as a share of the y axis, the fitted trend must depart from the observed line
#: somewhere to read as a line of its own: about a line's width on the indicator chart.
#: Closer everywhere (a drift fitted to a few points of a running total), it lies under the
#: observed line, and a legend entry for it would send the reader looking for nothing.
FIT_SEEN = 0.007


def _drop_hidden_fit(ax: Axes, fit_line: Line2D | None, history: pd.DataFrame) -> None:
    """Remove the fitted trend, line and legend entry, where it lies under the observed
    line (within FIT_SEEN of the y axis at every year it is drawn); call once the axes hold
    everything drawn, so that the y axis is the one shown."""
    if fit_line is None or not history["value"].notna().any():
        return
    years, fitted = (np.asarray(v, float) for v in fit_line.get_data())
    drawn = history.dropna(subset=["value"]).sort_values("year")
    seen = np.interp(years, drawn["year"].to_numpy(float), drawn["value"].to_numpy(float))
    y_lo, y_hi = ax.get_ylim()
    if np.nanmax(np.abs(fitted - seen), initial=0.0) < FIT_SEEN * abs(y_hi - y_lo):
        fit_line.remove()


def _draw_observations(ax: Axes, result: IndicatorResult, frame: pd.DataFrame,
                       lang: str) -> None:
    """The observations, marked by flag; those outside the fit window in grey, where a
    fitted trend is drawn (else no point is "not fitted")."""
    hist = result.history
    if not len(hist):
        ax.text(0.5, 0.25, labels.label("insufficient_data", lang), transform=ax.transAxes,
                ha="center", va="center", color=style.COLOURS["muted"])
        return
    ax.plot(hist["year"], hist["value"], color=style.COLOURS["observed"], lw=0.8, zorder=4)
    kinds = hist["flag"].map(lambda f: f if f in FLAG_MARKERS and f != "break" else "")
    if not _fit_shown(result, frame):
        hist = hist.assign(in_fit=True)
    for flag, group in hist.groupby(kinds, sort=True):
        marker, filled, key = FLAG_MARKERS[str(flag)]
        for in_fit, part in group.groupby("in_fit", sort=True):
            colour = style.COLOURS["observed"] if in_fit else style.COLOURS["muted"]
            name = key if in_fit or key != "observed" else "observed_outside_fit"
            ax.plot(part["year"], part["value"], ls="none", marker=marker, ms=4.2,
                    color=colour, mfc=colour if filled else "white", mew=1.0, zorder=5,
                    label=word(name, lang))


def _years_shown(result: IndicatorResult, frame: pd.DataFrame) -> tuple[int, int]:
    """First and last year on the x axis: the path's years, and always the as-of line."""
    return min(int(frame["year"].min()), result.as_of - 1), int(frame["year"].max())


#: The as-of label's size, its gap to the line and the axes edge, and the room kept
#: around a marker (points).
AS_OF_FONT, AS_OF_GAP, MARKER_ROOM = 6.5, 3.0, 3.0


def _draw_as_of(ax: Axes, result: IndicatorResult, frame: pd.DataFrame, lang: str,
                compact: bool) -> None:
    """The last year of data the evaluation could use, as a vertical line, labelled
    beside it where no marker, line or fan is drawn (`_as_of_place`)."""
    year = result.as_of - 1
    ax.axvline(year, color=style.COLOURS["as_of"], lw=0.8, ls="-", alpha=0.7, zorder=1)
    first, last = _years_shown(result, frame)
    if compact or year > last:  # a line past the axes (target year before the data's end)
        return
    text = word("as_of", lang, year=year)
    left = year - first > 0.3 * (last - first)  # label left of the line, if room
    top, left, shift = _as_of_place(ax, (first - 0.6, last + 0.6), year, text, left)
    ax.annotate(text, xy=(year, 1 if top else 0), xycoords=("data", "axes fraction"),
                xytext=(-(AS_OF_GAP + shift) if left else AS_OF_GAP + shift,
                        -AS_OF_GAP if top else AS_OF_GAP),
                textcoords="offset points", ha="right" if left else "left",
                va="top" if top else "bottom", fontsize=AS_OF_FONT,
                color=style.COLOURS["as_of"])


def _as_of_place(ax: Axes, xlim: tuple[float, float], year: int, text: str,
                 left: bool) -> tuple[bool, bool, float]:
    """(top, left, shift in points away from the line) for the as-of label: the corner
    beside the line whose box holds nothing drawn (a marker, a line, a fan) with the
    least shift, the preferred side's top first. Sizes are estimated before layout, from
    the figure's size, with a marker's room to spare."""
    fig = cast(Figure, ax.figure)
    per_year = ax.get_position().width * fig.get_figwidth() * 72 / (xlim[1] - xlim[0])
    y_lo, y_hi = ax.get_ylim()
    per_unit = 0.6 * fig.get_figheight() * 72 / (y_hi - y_lo)  # the axes after layout
    wide = (_text_width(text) * AS_OF_FONT / 2 + AS_OF_GAP + MARKER_ROOM) / per_year
    tall = (AS_OF_GAP + 1.3 * AS_OF_FONT + MARKER_ROOM) / per_unit
    near = MARKER_ROOM / per_year
    points = _drawn_points(ax)
    best: tuple[float, bool, bool] | None = None
    for top, side in ((True, left), (False, left), (True, not left), (False, not left)):
        band = points[points[:, 1] >= y_hi - tall] if top else \
            points[points[:, 1] <= y_lo + tall]
        room = (year - near - xlim[0] - wide) if side else (xlim[1] - year - near - wide)
        for shift in np.arange(0.0, max(room, 0.0) + 1e-9, 0.05):
            x0, x1 = (year - near - shift - wide, year + near - shift) if side else \
                (year - near + shift, year + near + shift + wide)
            if not ((band[:, 0] >= x0) & (band[:, 0] <= x1)).any():
                if best is None or shift < best[0]:
                    best = (shift, top, side)
                break
        if best is not None and best[0] == 0:
            break  # beside the line: no other corner is better
    if best is None:
        return True, left, 0.0
    return best[1], best[2], best[0] * per_year


def _drawn_points(ax: Axes) -> np.ndarray:
    """(year, value) of what is drawn in data coordinates: the vertices of lines and fan
    outlines, with their segments sampled every twentieth of a year."""
    found: list[np.ndarray] = []
    for line in ax.get_lines():
        if line.get_transform() != ax.transData:
            continue  # a reference line across the axes (the target level, as-of)
        xy = np.asarray(line.get_xydata(), float)
        joined = line.get_linestyle() not in ("None", "", " ")
        found.append(_sampled(xy) if joined else xy)
    for fan in ax.collections:
        found.extend(_sampled(np.asarray(path.vertices, float)) for path in fan.get_paths())
    points = np.vstack(found) if found else np.empty((0, 2))
    return points[np.isfinite(points).all(axis=1)]


def _sampled(xy: np.ndarray, step: float = 0.05) -> np.ndarray:
    """A polyline's vertices and points along each segment at most ``step`` years apart."""
    parts = [xy]
    for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:], strict=True):
        n = int(abs(x1 - x0) / step)
        if n > 1 and np.isfinite([x0, y0, x1, y1]).all():
            t = np.linspace(0, 1, n + 1)[1:-1]
            parts.append(np.c_[x0 + t * (x1 - x0), y0 + t * (y1 - y0)])
    return np.vstack(parts)


def _year_ticks(first: int, last: int, max_ticks: int) -> list[int]:
    """Whole years ending on the target year, every 1, 2 or 5 years."""
    span = last - first
    step = next(s for s in (1, 2, 5, 10) if span / s <= max_ticks)
    return list(range(last, first - 1, -step))[::-1]


def _format_axes(ax: Axes, result: IndicatorResult, frame: pd.DataFrame, lang: str,
                 compact: bool) -> None:
    first, last = _years_shown(result, frame)
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.xaxis.set_major_locator(FixedLocator(_year_ticks(first, last, 4 if compact else 12)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0f}"))
    ax.grid(axis="x", visible=False)
    unit = unit_text(result.indicator.unit, lang, result.indicator.unit_en)
    ylabel = word("unit", lang, unit=unit) if unit else ""
    if flow_total(result.target_kind, result.indicator.measure) \
            and result.baseline_year is not None:
        ylabel += word("running_total", lang, year=result.baseline_year)
    ax.set_ylabel(wrap(ylabel, 24) if compact else ylabel)
    if kind_of(result.target_kind).counts_projects \
            and result.indicator.unit not in ("%", "‰"):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of projects
    values = frame.drop(columns="year").abs().max().max()
    if np.isfinite(values) and values >= 10_000:  # 20,000 not 20000
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("")


def _caption(result: IndicatorResult, lang: str) -> str:
    """The source line: the plan's source for the indicator and the model used."""
    parts = []
    if result.source(lang):
        parts.append(word("source", lang, text=result.source(lang)))
    if result.model and result.model not in ("none", "observed"):
        parts.append(word("model", lang, model=result.model))
    return ("；" if lang == "zh" else "; ").join(parts)


def indicator_chart(result: IndicatorResult, ax: Axes | None = None, lang: str = "zh", *,
                    levels: Sequence[int] | None = None, legend: bool = True,
                    caption: bool = True, compact: bool = False,
                    stage: str | None = None) -> Figure:
    """One indicator: observations (derived and lower-bound values marked, breaks and the
    fit window shown), fitted trend, median with its fans to the target year, the target
    and plan path from the baseline, the as-of line; the unit on the axis and a source line.

    ``compact`` draws for a small panel (the overview grid): shorter title, no badges.
    ``stage``: the plan's stage (`report_stage`), under which a new plan's unusable
    projection gets no call and no P, as in its report (None: the result's own stage)."""
    labels.check_lang(lang)
    fig, ax = _figure_and_axes(ax, style.FULL_WIDTH, 9.5 * CM)
    frame = result.summary_frame(levels)
    levels = tuple(levels) if levels is not None else result.levels
    _draw_fit_window(ax, result, frame, lang, compact)
    _draw_breaks(ax, result, lang)
    _draw_target(ax, result, frame, lang, compact)
    fit_line = _draw_projection(ax, result, frame, levels, lang)
    _draw_observations(ax, result, frame, lang)
    _draw_as_of(ax, result, frame, lang, compact)
    _format_axes(ax, result, frame, lang, compact)
    _drop_hidden_fit(ax, fit_line, result.history)
    if compact:
        ax.set_title(wrap(_title(result, lang), 28 if lang == "zh" else 30), loc="left",
                     fontsize=7.5, pad=15)
        _outlook_badge(ax, result, lang, stage)
    else:
        ax.set_title(_title(result, lang), loc="left", pad=16)
        _status_badges(ax, result, lang, 7, stage)
    below: Any = None
    if legend:
        handles, names = _unique_handles([ax])
        below = ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0),
                          bbox_transform=ax.transAxes + ScaledTranslation(
                              0, -16 / 72, fig.dpi_scale_trans),
                          ncols=4, frameon=False)
    if caption and (text := _caption(result, lang)):
        ax.annotate(wrap(text, 132, balanced=False), xy=(0, 0), xycoords=("axes fraction", below)
                    if below is not None else "axes fraction",
                    xytext=(0, -4 if below is not None else -20), textcoords="offset points",
                    ha="left", va="top", fontsize=6.5, color=style.COLOURS["as_of"],
                    annotation_clip=False)
    return fig


#: The status colour an observed final outcome is drawn in.
OUTCOME_COLOURS = {"met": "very_likely", "not_met": "very_unlikely"}


def _observed(result: IndicatorResult) -> str:
    """``met`` / ``not_met`` where the final outcome is observed, else "" (a P applies)."""
    code = Outcome.of(result).code
    return code if code in OUTCOME_COLOURS else ""


def _outlook_badge(ax: Axes, result: IndicatorResult, lang: str, stage: str | None = None
                   ) -> None:
    """The outlook word and P(met) under the panel's title, on its status colour; an
    observed final outcome in words, without a probability."""
    seen = _observed(result)
    if seen:
        ax.annotate(cycle_labels.OUTCOME_LABELS[seen][lang], xy=(0, 1),
                    xycoords="axes fraction", xytext=(1, 3), textcoords="offset points",
                    ha="left", va="bottom", fontsize=6.5, annotation_clip=False,
                    bbox={"boxstyle": "round,pad=0.2", "fc": style.status_colour(
                        OUTCOME_COLOURS[seen]), "ec": "none", "alpha": 0.35})
        return
    withheld = _withheld(result, stage)
    text = _unreliable(lang) if withheld else labels.label(result.outlook_status, lang)
    if result.p_meet_text and not withheld:
        text += f"  {_p_text(result)}"
    ax.annotate(text, xy=(0, 1), xycoords="axes fraction", xytext=(1, 3),
                textcoords="offset points", ha="left", va="bottom", fontsize=6.5,
                annotation_clip=False,
                bbox={"boxstyle": "round,pad=0.2", "fc": style.status_colour(
                    "" if withheld else result.outlook_status), "ec": "none", "alpha": 0.35})


def _withheld(result: IndicatorResult, stage: str | None) -> bool:
    """No call and no P(met) on the chart: a new plan's projection that cannot be used
    (`reliability.p_stated`, as the report's table and paragraph say; `stage` the plan's,
    None: the result's own)."""
    stage = str(result.cycle()["stage"]) if stage is None else stage
    return not reliability.p_stated(result.reliability, stage)


def _unreliable(lang: str) -> str:
    """The words of a projection that cannot be used (the 目标建议 table's)."""
    return cycle_labels.draft_words("unreliable", lang)


def _unique_handles(axes: Sequence[Axes]) -> tuple[list, list[str]]:
    """Legend handles of ``axes``, one per label, in first-seen order."""
    seen: dict[str, object] = {}
    for a in axes:
        for handle, name in zip(*a.get_legend_handles_labels(), strict=True):
            seen.setdefault(name, handle)
    return list(seen.values()), list(seen)


# -- the overview grid ----------------------------------------------------------------------
def overview_chart(evaluation: Evaluation, lang: str = "zh", ncols: int | None = None, *,
                   results: Sequence[IndicatorResult] | None = None,
                   page: tuple[int, int] = (1, 1)) -> Figure:
    """Every indicator (or ``results``, page ``page`` = (i, n) of the chart) in a grid of
    small panels with one shared legend (16 cm wide)."""
    labels.check_lang(lang)
    results = list(evaluation) if results is None else list(results)
    stage = report_stage(evaluation)
    ncols = ncols or (2 if len(results) <= 4 else 3)
    nrows = max(1, math.ceil(len(results) / ncols))
    spare = nrows * ncols - len(results)
    fig = style.figure(style.FULL_WIDTH, 5.0 * CM * nrows + (0.4 if spare else 2.0) * CM + 1 * CM)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, result in zip(axes, results, strict=False):
        indicator_chart(result, ax=ax, lang=lang, legend=False, caption=False, compact=True,
                        stage=stage)
    handles, names = _unique_handles(list(axes[: len(results)]))
    if spare:  # the legend fills the empty cells of the last row
        for ax in axes[len(results):]:
            ax.remove()
        grid = axes[0].get_subplotspec().get_gridspec()
        legend_ax = fig.add_subplot(grid[nrows - 1, ncols - spare:])
        legend_ax.set_axis_off()
        legend_ax.legend(handles, names, loc="center", frameon=False, fontsize=6.5,
                         ncols=spare)
    else:
        fig.legend(handles, names, loc="outside lower center", ncols=4, frameon=False)
    fig.suptitle(wrap(word("overview_title", lang, title=_plan_title(evaluation, lang))
                      + _page_words(page, lang), TITLE_WIDTH), x=0.01, ha="left")
    return fig


def _page_words(page: tuple[int, int], lang: str) -> str:
    """" (i/n)" after a paged chart's title; nothing for a chart of one page."""
    return word("page", lang, i=page[0], n=page[1]) if page[1] > 1 else ""


def _plan_title(evaluation: Evaluation, lang: str) -> str:
    meta = evaluation.plan.plan
    return (meta.title_en or meta.title_zh) if lang == "en" else meta.title_zh


# -- the progress chart ---------------------------------------------------------------------
def _spread(values: Sequence[float], gaps: Sequence[float], lo: float, hi: float) -> list[float]:
    """Label positions near ``values`` (sorted ascending) at least ``gaps`` apart, kept
    within [lo, hi] where the room allows (gaps[i] is between label i and i+1)."""
    pos = list(values)
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gaps[i - 1])
    if pos and pos[-1] > hi:
        pos[-1] = hi
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gaps[i])
    if pos and pos[0] < lo:
        shift = lo - pos[0]
        pos = [p + shift for p in pos]
    return pos


def progress_chart(evaluation: Evaluation, lang: str = "zh", ax: Axes | None = None, *,
                   results: Sequence[IndicatorResult] | None = None,
                   page: tuple[int, int] = (1, 1)) -> Figure:
    """Progress share against schedule share per indicator (or ``results``, page ``page``
    of the chart), coloured by progress status, with the 时间过半、任务过半 diagonal
    (progress = schedule) and target-reached line."""
    labels.check_lang(lang)
    results = list(evaluation) if results is None else list(results)
    shown = [r for r in results if r.progress_status is not None
             and math.isfinite(r.progress.schedule_share)
             and math.isfinite(r.progress.progress_share)]
    missing = [r for r in results if r not in shown]
    height = 11 * CM if page[1] == 1 else A4_TEXT_HEIGHT  # a page holds up to 20 names
    fig, ax = _figure_and_axes(ax, style.FULL_WIDTH, height)
    xs = np.array([r.progress.schedule_share for r in shown])
    ys = np.array([r.progress.progress_share for r in shown])
    y_lo = min(-0.1, float(ys.min()) - 0.08) if len(ys) else -0.1
    y_hi = max(1.15, float(ys.max()) + 0.08) if len(ys) else 1.15
    ax.set_xlim(0, 1)
    ax.set_ylim(y_lo, y_hi)
    ax.plot([0, 1], [0, 1], color=style.COLOURS["as_of"], lw=1.0, ls=(0, (4, 2)), zorder=1,
            label=word("diagonal", lang))
    ax.axhline(1.0, color=style.COLOURS["target"], lw=0.8, ls=":", zorder=1,
               label=word("target_reached", lang))
    ax.axhline(0.0, color=style.COLOURS["muted"], lw=0.6, zorder=1)
    for code in labels.PROGRESS_LABELS:
        mine = [i for i, r in enumerate(shown) if r.progress_status == code]
        if mine:
            ax.scatter(xs[mine], ys[mine], s=34, color=style.status_colour(code), ec="#333333",
                       lw=0.5, zorder=4, label=labels.label(code, lang, labels.PROGRESS_LABELS))
    _label_column(ax, fig, shown, xs, ys, lang, (y_lo, y_hi))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(word("progress_x", lang))
    ax.set_ylabel(word("progress_y", lang))
    ax.set_title(word("progress_title", lang) + _page_words(page, lang), loc="left")
    ax.legend(loc="upper left", frameon=True, fontsize=6.5)
    if missing and ax is fig.axes[0]:
        names = ("、" if lang == "zh" else "; ").join(_title(r, lang) for r in missing)
        fig.supxlabel(wrap(word("not_shown", lang, names=names), 132, balanced=False),
                      x=0.01, ha="left",
                      fontsize=6.5, color=style.COLOURS["as_of"], fontweight="normal")
    return fig


def _label_column(ax: Axes, fig: Figure, shown: Sequence[IndicatorResult], xs: np.ndarray,
                  ys: np.ndarray, lang: str, ylim: tuple[float, float]) -> None:
    """Names in a column right of the axes, joined to their points by leader lines."""
    if not len(shown):
        return
    order = np.argsort(ys, kind="stable")
    texts = [wrap(_title(shown[i], lang), 30 if lang == "zh" else 36) for i in order]
    n_lines = [t.count("\n") + 1 for t in texts]
    fig.draw_without_rendering()  # lay out first: the axes' real height sets the spacing
    axes_pts = ax.get_window_extent().height * 72 / fig.dpi
    per_line = (ylim[1] - ylim[0]) * 7.0 * 1.55 / axes_pts  # CJK line height ~1.5 em
    gaps = [(n_lines[k] + n_lines[k + 1]) / 2 * per_line + 0.2 * per_line
            for k in range(len(texts) - 1)]
    pos = _spread([float(ys[i]) for i in order], gaps, ylim[0], ylim[1])
    for text, i, y in zip(texts, order, pos, strict=True):
        ax.annotate(text, xy=(xs[i], ys[i]), xycoords="data", xytext=(1.03, y),
                    textcoords=("axes fraction", "data"), ha="left", va="center", fontsize=7,
                    annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": style.COLOURS["muted"], "lw": 0.5,
                                "shrinkA": 0, "shrinkB": 3})


# -- the outlook chart ------------------------------------------------------------------------
def _band_edges() -> list[tuple[float, float, str]]:
    """(low, high, status code) of each outlook band, from the labels' cut-offs."""
    cuts = sorted(labels.OUTLOOK_CUTOFFS)
    edges = [edge for edge, _ in cuts] + [1.0]
    return [(edges[i], edges[i + 1], code) for i, (_, code) in enumerate(cuts)]


def outlook_chart(evaluation: Evaluation, lang: str = "zh", ax: Axes | None = None, *,
                  results: Sequence[IndicatorResult] | None = None,
                  page: tuple[int, int] = (1, 1)) -> Figure:
    """P(target met) per indicator (or ``results``, page ``page`` of the chart) with its
    range across single models, over the named likelihood bands (0.10 / 0.33 / 0.66 /
    0.90)."""
    labels.check_lang(lang)
    results = list(evaluation) if results is None else list(results)
    fig, ax = _figure_and_axes(ax, style.FULL_WIDTH, (3.2 + 0.8 * len(results)) * CM)
    ys = np.arange(len(results))[::-1]
    for lo, hi, code in _band_edges():
        ax.axvspan(lo, hi, color=style.status_colour(code), alpha=0.16, lw=0, zorder=0)
        name = labels.label(code, lang, labels.OUTLOOK_LABELS)
        band = name if lang == "zh" else wrap(name, int(16 * (hi - lo) / 0.2))
        ax.text((lo + hi) / 2, 1.01, band,
                transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=6.5)
    range_label = word("model_range", lang)
    single_label = word("model_value", lang)
    for y, r in zip(ys, results, strict=True):
        by_model = [p for p in r.p_meet_by_model.values() if math.isfinite(p)]
        if by_model:
            ax.hlines(y, min(by_model), max(by_model), color="#555555", lw=1.0, zorder=2,
                      label=range_label)
            ax.plot(by_model, [y] * len(by_model), ls="none", marker="o", ms=2.6,
                    color="#555555", zorder=3, label=single_label, clip_on=False)
            range_label = single_label = "_nolegend_"  # one legend entry each
        if math.isfinite(r.p_meet):
            ax.scatter([r.p_meet], [y], s=46, color=style.status_colour(r.outlook_status),
                       ec="#222222", lw=0.6, zorder=4, clip_on=False)
        else:
            ax.text(0.01, y, labels.label(r.outlook_status, lang), va="center", ha="left",
                    fontsize=6.5, color="#555555", style="italic")
        seen = _observed(r)  # an observed outcome is said, not given a probability
        ax.annotate(cycle_labels.OUTCOME_LABELS[seen][lang] if seen else r.p_meet_text or "–",
                    xy=(1.015, y), xycoords=("axes fraction", "data"),
                    xytext=(4, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=7, annotation_clip=False)
    ax.set_xlim(-0.015, 1.015)
    ax.set_ylim(-0.7, len(results) - 0.3)
    ax.set_yticks(ys, [wrap(_title(r, lang), 28 if lang == "zh" else 36) for r in results])
    ax.set_xticks([0, *(edge for edge, _ in labels.OUTLOOK_CUTOFFS[::-1][1:]), 1])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.2f}".rstrip("0")
                                               .rstrip(".") if x not in (0, 1) else f"{x:.0f}"))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(word("p_meet", lang))
    year = evaluation.plan.plan.target_year
    title = "outcome_title" if report_stage(evaluation) == "final" else "outlook_title"
    ax.set_title(word(title, lang, year=year) + _page_words(page, lang), loc="left", pad=22)
    handles, names = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], ls="none", marker="o", ms=6, mfc="white", mec="#222222"))
    names.append(word("p_meet", lang))
    if ax is fig.axes[0] and len(fig.axes) == 1:
        fig.legend(handles, names, loc="outside lower center", ncols=3, frameon=False)
    else:
        ax.legend(handles, names, loc="lower left")
    return fig


# -- writing ---------------------------------------------------------------------------------
def figure_recipes(evaluation: Evaluation, lang: str = "zh") -> list[Recipe]:
    """Every figure of an evaluation as (file stem, draw), in file order, none drawn yet:
    one per indicator (and region; a total's areas as `_area_charts` bounds them), the
    overview grid, the progress chart and the outlook chart (each in A4 pages above 30
    indicators: figures.pages). Callers draw only the figures they need, one at a time
    or in worker processes (figures.render)."""
    stems = indicator_stems(evaluation.keys())  # safe, bounded, unique (files.file_names)
    areas = area_frame(evaluation) if has_areas_of(evaluation) else None
    if areas is not None and areas.empty:
        areas = None
    drawn = evaluation if areas is None else totals_only(evaluation)
    recipes: list[Recipe] = []
    stage = report_stage(evaluation)
    for r in drawn:
        recipes.append((stems[r.id, r.region], partial(indicator_chart, r, lang=lang,
                                                       stage=stage)))
        if areas is not None and r.region == "":
            recipes += _area_charts(evaluation, r, areas, stems, lang)
    results = list(drawn)
    charts: dict[str, Callable[..., Figure]] = {
        "overview": overview_chart, "progress": progress_chart, "outlook": outlook_chart}
    for chart in PAGED_CHARTS:  # above 30 indicators: A4 pages, chart_1 … chart_n
        shown = pages(results, chart)
        for i, (stem, page) in enumerate(zip(page_stems(chart, len(results)), shown,
                                             strict=True), 1):
            recipes.append((stem, partial(charts[chart], evaluation, lang, results=page,
                                          page=(i, len(shown)))))
    return recipes


def figure_set(evaluation: Evaluation, lang: str = "zh") -> Iterator[tuple[str, Figure]]:
    """Every figure of `figure_recipes` as (file stem, Figure), drawn one at a time so that
    a plan of many indicators never holds them all."""
    for stem, draw in figure_recipes(evaluation, lang):
        yield stem, draw()


def area_ranking_recipe(evaluation: Evaluation, total: IndicatorResult, areas: pd.DataFrame,
                        stem: str, lang: str) -> Recipe | None:
    """The ranking chart of a total's areas (rows of `area_frame`) as a recipe named
    <stem>_area_ranking, as `figure_set` draws it; None when the total has no areas."""
    part = areas[areas["indicator_id"] == total.id]
    if part.empty:
        return None
    return f"{stem}_area_ranking", partial(regions.area_ranking, part, total, lang=lang)


def _area_charts(evaluation: Evaluation, total: IndicatorResult, areas: pd.DataFrame,
                 stems: dict[tuple[str, ...], str], lang: str) -> list[Recipe]:
    """A total's areas: one chart each up to `regions.AREA_CHARTS_UP_TO` areas, then the
    ranking and the small multiples of the lowest ranked judged areas (those with P(met)
    or progress; any when none is) -- bounded at any number of areas."""
    ranking = area_ranking_recipe(evaluation, total, areas, stems[total.id, ""], lang)
    if ranking is None:
        return []
    part = areas[areas["indicator_id"] == total.id]
    recipes: list[Recipe] = []
    if len(part) <= regions.AREA_CHARTS_UP_TO:
        for region in part.sort_values("region")["region"].astype(str):
            recipes.append((stems[total.id, region],
                            partial(indicator_chart, evaluation[total.id, region], lang=lang,
                                    stage=report_stage(evaluation))))
    recipes.append(ranking)
    judged = part[part["p_meet"].notna() | part["progress_share"].notna()]
    lowest = (judged if len(judged) else part).tail(regions.MULTIPLES)["region"].astype(str)
    recipes.append((f"{stems[total.id, '']}_area_multiples", partial(
        _area_multiples, evaluation, total, list(lowest), lang)))
    return recipes


def _area_multiples(evaluation: Evaluation, total: IndicatorResult, shown: list[str],
                    lang: str) -> Figure:
    """The small multiples of the ``shown`` areas, their results built only when drawn (in
    a worker when there is one), not while the recipes are listed."""
    return regions.area_multiples(total, [evaluation[total.id, region] for region in shown],
                                  lang=lang)


def figures_dir(plan_id: str, lang: str, out_dir: Path | str | None = None,
                plan_file: Path | None = None) -> Path:
    """Where a plan's figures in ``lang`` go: <out_dir>/<plan_id>/<lang>/, by default the
    plan's project's figures folder (figures/<plan_id>/ in this repository) /<lang>/."""
    if out_dir is None:
        return project_of(plan_file).figures_dir(plan_id) / lang
    return Path(out_dir) / plan_id / lang


def write_figures(evaluation: Evaluation, lang: str = "zh",
                  formats: Sequence[str] = style.FORMATS,
                  out_dir: Path | str | None = None) -> list[Path]:
    """Draw every figure of ``evaluation`` and write it as PNG (300 dpi), SVG and PDF under
    figures/<plan_id>/<lang>/ (or ``out_dir``/<plan_id>/<lang>/) with a manifest.json:
    staged and moved in together, manifest last, identical bytes on rerun; return the
    paths written (manifest last)."""
    labels.check_lang(lang)
    folder = figures_dir(evaluation.plan.id, lang, out_dir, evaluation.plan.path)
    check_out_dir(folder, evaluation.plan.path, globs=evaluation.plan.data)  # not in inputs

    def files() -> Iterator[tuple[str, bytes]]:
        for _, drawn in rendered(figure_recipes(evaluation, lang), formats):
            yield from drawn

    def manifest(staged: list[Path], stage: Path) -> dict[str, Any]:
        return evaluation_manifest(evaluation, staged, stage,
                                   {"lang": lang, "formats": [f.lower() for f in formats]},
                                   ("matplotlib", "fonttools"))

    return write_staged(folder, files(), manifest)


__all__ = [
    "indicator_chart", "overview_chart", "progress_chart", "outlook_chart", "figure_set",
    "figure_recipes", "area_ranking_recipe",
    "write_figures", "figures_dir", "wrap",
]
