"""Every word of the final evaluation and of target proposals, in Chinese and English, in
one place (issue #17; the pattern of `planlib.core.labels`): one entry per phrase with
its zh and en text, composed by one function per sentence, for one row or many.

Final evaluation: 已完成 / 未完成 with the gap on the indicator's own unit (差0.1个百分点),
按期完成 vs 提前完成（2023年）, provisional values named (2025年为初步数), an outcome a usual
revision could flip called 待正式数据确认, a missing target-year value nowcast with P, and
the completion summary (N项已完成、M项未完成; 约束性指标完成情况). No probabilities for
observed outcomes; no 时间过半; no 加大工作力度 after the deadline.

Target proposals: P(met) of a drafted target in words, bands in `DRAFT_BANDS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from planlib.core import labels
from planlib.core.labels import check_lang
from planlib.core.stages import FinalOutcome

STAGE_LABELS: dict[str, dict[str, str]] = {
    "planning": {"zh": "规划编制", "en": "planning"},
    "mid_term": {"zh": "中期评估", "en": "mid-term evaluation"},
    "final": {"zh": "终期评估", "en": "final evaluation"},
}

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "met": {"zh": "已完成", "en": "met"},
    "not_met": {"zh": "未完成", "en": "not met"},
    "nowcast": {"zh": "待数据发布", "en": "awaiting data"},
}

#: Phrases of the final evaluation: format strings over the named parameters.
FINAL_TEXTS: dict[str, dict[str, str]] = {
    "met_early": {"zh": "已完成，提前完成（{year}年）", "en": "met early ({year})"},
    "met_on_time": {"zh": "已完成，按期完成", "en": "met on time"},
    "not_met": {"zh": "未完成，差{gap}{unit}", "en": "not met, short by {gap} {unit}"},
    "nowcast": {"zh": "{years}数据尚未发布，按趋势推算{status}（概率{p}）",
                "en": "no data yet for {years}: {status} by the trend (P = {p})"},
    "years.one": {"zh": "{last}年", "en": "{last}"},
    "years.span": {"zh": "{first}—{last}年", "en": "{first}–{last}"},
    "provisional": {"zh": "（{year}年为初步数）", "en": " ({year} value provisional)"},
    "awaits_final": {"zh": "，待正式数据确认", "en": ", to be confirmed by the final figure"},
    "nowcast_reached": {"zh": "{years}数据尚未发布，{latest}年已达到目标，按趋势推算{status}"
                               "（概率{p}）",
                        "en": "no data yet for {years}; the target was reached in {latest}; "
                              "{status} by the trend (P = {p})"},
    "summary": {"zh": "{n}项指标中，{counts}", "en": "Of {n} indicators, {counts}"},
    "summary.all": {"zh": "全部{n}项指标均{status}", "en": "All {n} indicators: {status}"},
    "summary.one": {"zh": "{n}项指标{status}", "en": "The one indicator: {status}"},
    "count.met": {"zh": "{k}项已完成", "en": "{k} met"},
    "count.not_met": {"zh": "{k}项未完成", "en": "{k} not met"},
    "count.nowcast": {"zh": "{k}项待数据发布", "en": "{k} awaiting data"},
    "sep": {"zh": "、", "en": ", "},
    "summary_awaits": {"zh": "；已发布结果中{awaits}项依据初步数，待正式数据确认",
                       "en": "; {awaits} of the published outcomes rest on provisional "
                             "figures, to be confirmed by the final ones"},
    "summary_binding": {"zh": "；约束性指标{n}项中，{counts}",
                        "en": "; binding indicators ({n}): {counts}"},
    "summary_binding.all": {"zh": "；全部{n}项约束性指标均{status}",
                            "en": "; all {n} binding indicators: {status}"},
    "summary_binding.one": {"zh": "；{n}项约束性指标{status}",
                            "en": "; the one binding indicator: {status}"},
    "summary_end": {"zh": "。", "en": "."},
}

#: The unit a gap is said in, by the indicator's unit; any other unit is said as it is.
GAP_UNITS: dict[str, dict[str, str]] = {
    "%": {"zh": "个百分点", "en": "percentage points"},
    "‰": {"zh": "个千分点", "en": "per mille points"},
    "年": {"zh": "年", "en": "years"},
}


def final_text(code: str, lang: str, **params: object) -> str:
    """One phrase of `FINAL_TEXTS` in ``lang``."""
    return FINAL_TEXTS[code][check_lang(lang)].format(**params)


def gap_unit(unit: str, lang: str) -> str:
    """The unit a gap is said in (个百分点 for a rate in %)."""
    return GAP_UNITS.get(unit, {}).get(check_lang(lang), unit)


def missing_years(first: float, last: int, lang: str) -> str:
    """The years without data up to the target year: 2025年, or 2023—2025年 when the
    data end earlier (``first``: the first year without data; NaN: ``last`` alone)."""
    if math.isnan(first) or int(first) >= last:
        return final_text("years.one", lang, last=last)
    return final_text("years.span", lang, first=int(first), last=last)


def final_phrase(outcome: str, *, target_year: int, first_met_year: float, margin: float,
                 decimals: int, unit: str, provisional: bool, awaits_final: bool,
                 p_meet: float = math.nan, lang: str = "zh",
                 reached_year: float = math.nan, missing_from: float = math.nan) -> str:
    """The final-evaluation words of one target (module doc); for a nowcast,
    ``reached_year``: the year of the latest observation when it already meets the
    target, and ``missing_from``: the first year without data (`missing_years`)."""
    if outcome == "nowcast":
        status = labels.label(labels.outlook_status(p_meet), lang)
        p = labels.format_p(p_meet) or "—"
        years = missing_years(missing_from, target_year, lang)
        if not math.isnan(reached_year):
            return final_text("nowcast_reached", lang, years=years,
                              latest=int(reached_year), status=status, p=p)
        return final_text("nowcast", lang, years=years, status=status, p=p)
    if outcome == "met":
        early = not math.isnan(first_met_year) and first_met_year < target_year
        text = final_text("met_early", lang, year=int(first_met_year)) if early \
            else final_text("met_on_time", lang)
    else:
        text = final_text("not_met", lang, gap=f"{abs(margin):.{decimals}f}",
                          unit=gap_unit(unit, lang))
    if provisional:
        text += final_text("provisional", lang, year=target_year)
    if awaits_final:
        text += final_text("awaits_final", lang)
    return text


def final_phrases(fo: FinalOutcome, units: Sequence[str] | str,
                  p_meet: Sequence[float] | float = math.nan, lang: str = "zh",
                  missing_from: Sequence[float] | float = math.nan) -> list[str]:
    """`final_phrase` for every row of a `FinalOutcome` (units, P and the first year
    without data per row or shared)."""
    n = len(fo)
    unit_of = [units] * n if isinstance(units, str) else list(units)
    p_of = np.broadcast_to(np.asarray(p_meet, dtype="float64"), (n,))
    gap_of = np.broadcast_to(np.asarray(missing_from, dtype="float64"), (n,))
    return [final_phrase(str(fo.outcome[i]), target_year=int(fo.target_year[i]),
                         first_met_year=float(fo.first_met_year[i]),
                         margin=float(fo.margin[i]), decimals=int(fo.decimals[i]),
                         unit=unit_of[i], provisional=bool(fo.provisional[i]),
                         awaits_final=bool(fo.awaits_final[i]), p_meet=float(p_of[i]),
                         lang=lang, missing_from=float(gap_of[i]))
            for i in range(n)]


#: The outcomes the completion summary counts, in the order it says them.
COUNTED_OUTCOMES = ("met", "not_met", "nowcast")


def completion_counts(outcomes: Sequence[str], natures: Sequence[str],
                      awaits_final: Sequence[bool]) -> dict[str, int]:
    """Counts for the completion summary: all rows, by outcome, and the binding rows by
    outcome (``binding_met`` …)."""
    out = np.asarray(outcomes, dtype=object)
    binding = np.asarray(natures, dtype=object) == "binding"
    counts = {"n": len(out), "awaits": int(np.asarray(awaits_final, dtype=bool).sum()),
              "binding": int(binding.sum())}
    for code in COUNTED_OUTCOMES:
        counts[code] = int((out == code).sum())
        counts[f"binding_{code}"] = int((binding & (out == code)).sum())
    return counts


def _outcome_counts(counts: dict[str, int], lang: str, prefix: str = "") -> str:
    """``4项已完成、1项未完成``: the outcomes counted, zero counts left out."""
    return final_text("sep", lang).join(
        final_text(f"count.{code}", lang, k=counts[prefix + code])
        for code in COUNTED_OUTCOMES if counts[prefix + code])


def _counted(key: str, counts: dict[str, int], total: int, lang: str,
             prefix: str = "") -> str:
    """One part of the completion sentence over ``total`` rows: the outcomes counted
    (8项指标中，4项已完成、4项待数据发布), or, when every row has the same outcome, that
    outcome for all (全部8项指标均已完成) or the one (1项约束性指标已完成); "" when no row
    has an outcome."""
    said = [code for code in COUNTED_OUTCOMES if counts[prefix + code]]
    if not said:
        return ""
    if len(said) == 1 and counts[prefix + said[0]] == total:
        status = OUTCOME_LABELS[said[0]][check_lang(lang)]
        return final_text(f"{key}.{'one' if total == 1 else 'all'}", lang, n=total,
                          status=status)
    return final_text(key, lang, n=total, counts=_outcome_counts(counts, lang, prefix))


def completion_summary(counts: dict[str, int], lang: str = "zh") -> str:
    """The completion sentence: N项已完成、M项未完成 and the nowcasts (zero counts left
    out; one outcome for all said as such), those awaiting final figures, and the binding
    indicators by outcome (`completion_counts`); "" when no row has an outcome."""
    text = _counted("summary", counts, counts["n"], lang)
    if not text:
        return ""
    if counts["awaits"]:
        text += final_text("summary_awaits", lang, **counts)
    text += _counted("summary_binding", counts, counts["binding"], lang, "binding_")
    return text + final_text("summary_end", lang)


# -- target proposals ------------------------------------------------------------------

#: Words for P(met) of a drafted target, lower band edges highest first (and the codes
#: `planlib.core.proposal` writes): a draft met with P ≥ 0.90 is safe (稳妥), 0.60–0.90
#: ambitious (积极), 0.25–0.60 challenging (有挑战), below 0.25 hard to reach (难以实现).
#: The edges follow the outlook bands' spirit (labels.OUTLOOK_CUTOFFS) but answer a
#: planner's question: how much stretch a target asks for.
DRAFT_BANDS: tuple[tuple[float, str], ...] = (
    (0.90, "safe"),
    (0.60, "ambitious"),
    (0.25, "challenging"),
    (0.0, "out_of_reach"),
)
#: A draft at or above this P is met already on the trend: flagged as not ambitious.
ALMOST_CERTAIN = 0.97
#: A draft at or below this P is flagged as out of reach on the trend.
OUT_OF_REACH = 0.05

DRAFT_LABELS: dict[str, dict[str, str]] = {
    "safe": {"zh": "稳妥", "en": "safe"},
    "ambitious": {"zh": "积极", "en": "ambitious"},
    "challenging": {"zh": "有挑战", "en": "challenging"},
    "out_of_reach": {"zh": "难以实现", "en": "hard to reach"},
    "no_probability": {"zh": "无法测算", "en": "cannot be judged"},
    # the projection cannot be used (core.reliability): no P(met), so no band either
    "unreliable": {"zh": "无法可靠预测", "en": "not reliably projected"},
}

DRAFT_FLAGS: dict[str, dict[str, str]] = {
    "not_ambitious": {"zh": "按现有趋势几乎必然实现，目标缺乏挑战性",
                       "en": "almost certain on the present trend: not ambitious"},
    "beyond_reach": {"zh": "按现有趋势几乎不可能实现，超出可及范围",
                     "en": "almost impossible on the present trend: out of reach"},
}


def draft_band(p: float) -> str:
    """The band code of a drafted target's P(met) (`DRAFT_BANDS`), read off the printed
    P as the outlook bands are."""
    q = labels.rounded_p(p)
    if math.isnan(q):
        return "no_probability"
    return next(code for edge, code in DRAFT_BANDS if q >= edge)


def draft_flag(p: float) -> str:
    """``not_ambitious``, ``beyond_reach`` or "" for a drafted target's P(met)."""
    q = labels.rounded_p(p)
    if math.isnan(q):
        return ""
    if q >= ALMOST_CERTAIN:
        return "not_ambitious"
    return "beyond_reach" if q <= OUT_OF_REACH else ""


def draft_words(code: str, lang: str = "zh") -> str:
    """Words for a band or flag code (`DRAFT_LABELS`, `DRAFT_FLAGS`); "" for no code."""
    if not code:
        return ""
    table = DRAFT_LABELS if code in DRAFT_LABELS else DRAFT_FLAGS
    return table[code][check_lang(lang)]
