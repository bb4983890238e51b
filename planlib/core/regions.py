"""Regions at scale: how many regions of each indicator are on track and at risk.

Works on any evaluation table with the documented columns (``evaluate(...).summary_frame()``
or the vectorised ``region_table``): one row per indicator, counting regions by progress
status and by outlook band, with the spread of P(met) across regions. "On track" and "at
risk" use the words of `planlib.core.labels` (ON_TRACK_PROGRESS; AT_RISK = unlikely or
very unlikely to meet the target).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from planlib.core import labels

OUTLOOK_ORDER = ("very_likely", "likely", "as_likely_as_not", "unlikely", "very_unlikely",
                 "insufficient_data")
ON_TRACK_OUTLOOK = ("very_likely", "likely")


def region_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per indicator (table order): regions, counts per outlook band, on_track / at_risk
    counts and shares (of regions with a P(met)), progress on track, and P(met) quartiles."""
    rows = []
    for ind, part in table.groupby("indicator_id", sort=False):
        status = part["outlook_status"].astype(str)
        p = part["p_meet"].astype(float)
        known = int(p.notna().sum())
        on_track = int(status.isin(ON_TRACK_OUTLOOK).sum())
        at_risk = int(status.isin(labels.AT_RISK).sum())
        row = {"indicator_id": ind, "regions": len(part), "with_p_meet": known}
        row |= {band: int((status == band).sum()) for band in OUTLOOK_ORDER}
        row |= {
            "on_track": on_track, "at_risk": at_risk,
            "on_track_share": on_track / known if known else float("nan"),
            "at_risk_share": at_risk / known if known else float("nan"),
            "progress_on_track": int(part["progress_status"].isin(
                labels.ON_TRACK_PROGRESS).sum()),
            "p_meet_q25": p.quantile(0.25), "p_meet_median": p.median(),
            "p_meet_q75": p.quantile(0.75),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def summary_lines(summary: pd.DataFrame, lang: str = "en") -> list[str]:
    """One console line per indicator: regions, on track, at risk, median P(met)."""
    out = []
    for r in summary.itertuples():
        share = "" if r.with_p_meet == 0 else f" ({r.at_risk_share:.0%} of those with P(met))"
        med = "-" if pd.isna(r.p_meet_median) else f"{r.p_meet_median:.2f}"
        if lang == "zh":
            out.append(f"  {r.indicator_id:<28} 地区 {r.regions:>6}  很可能/可能完成 "
                       f"{r.on_track:>6}  有风险 {r.at_risk:>6}  P(met) 中位数 {med}")
        else:
            out.append(f"  {r.indicator_id:<28} {r.regions:>6} regions  on track "
                       f"{r.on_track:>6}  at risk {r.at_risk:>6}{share}  median P(met) {med}")
    return out


# ---- Areas: the parts of a plan area (issue #18), the total apart -------------------------

#: Outlook codes per area band: on track, at risk, behind (the report's and the CLI's).
AREA_BANDS: dict[str, tuple[str, ...]] = {
    "on_track": ON_TRACK_OUTLOOK,
    "at_risk": ("as_likely_as_not",),
    "behind": labels.AT_RISK,
}
#: Area suffixes named in counts (10个街道（镇）), in the order they are said.
AREA_SUFFIXES = ("街道", "镇", "乡", "区", "县", "市", "旗")
#: How many areas are named as the worst.
WORST = 5
AREA_WORDS: dict[str, dict[str, str]] = {
    "count": {"zh": "{n}个{noun}", "en": "{n} {noun}"},
    "on_track": {"zh": "按期{n}个", "en": "on track {n}"},
    "at_risk": {"zh": "有风险{n}个", "en": "at risk {n}"},
    "behind": {"zh": "滞后{n}个", "en": "behind {n}"},
    "no_area_target": {"zh": "无分区目标{n}个", "en": "no area target {n}"},
    "named": {"zh": "{name}（{p}）", "en": "{name} ({p})"},
    "worst": {"zh": "；最需关注：{names}", "en": "; worst: {names}"},
    "sep": {"zh": "、", "en": ", "},
    "sep_parts": {"zh": "，", "en": ", "},
    "line": {"zh": "{count}：{parts}{worst}", "en": "{count}: {parts}{worst}"},
}
#: The counts an area line says, in order (zero counts are left out).
AREA_COUNTS = (*AREA_BANDS, "no_area_target")


def has_areas(table: pd.DataFrame) -> bool:
    """True when the table holds a total (region "") and areas under it."""
    region = table["region"].fillna("").astype(str)
    return bool(region.eq("").any() and region.ne("").any())


def area_noun(regions: Iterable[str], lang: str) -> str:
    """What the areas are called in a count: 街道（镇）for 街道 and 镇, 地区 when none of the
    known suffixes ends them; ``areas`` in English."""
    if labels.check_lang(lang) == "en":
        return "areas"
    found = [s for s in AREA_SUFFIXES if any(str(r).endswith(s) for r in regions)]
    if not found:
        return "地区"
    return found[0] + (f"（{'、'.join(found[1:])}）" if len(found) > 1 else "")


def count_words(n: int, regions: Iterable[str], lang: str) -> str:
    """``10个街道（镇）`` / ``10 areas``."""
    return AREA_WORDS["count"][lang].format(n=n, noun=area_noun(regions, lang))


def judged_areas(part: pd.DataFrame) -> pd.DataFrame:
    """The areas (rows of `part`) judged against a target of theirs: not 无分区目标, and
    with a P(met) or a progress share."""
    status = part["outlook_status"].astype(str)
    return part[status.ne("no_area_target")
                & (part["p_meet"].notna() | part["progress_share"].notna())]


def worst_areas(part: pd.DataFrame, n: int = WORST) -> pd.DataFrame:
    """The `n` judged areas not on track furthest from their targets: lowest P(met), then
    lowest progress share, then name (rows of `part`, an indicator's areas)."""
    judged = judged_areas(part)
    judged = judged[~judged["outlook_status"].astype(str).isin(ON_TRACK_OUTLOOK)]
    order = judged.assign(_p=judged["p_meet"].astype(float).fillna(2.0),
                          _s=judged["progress_share"].astype(float).fillna(math.inf),
                          _r=judged["region"].astype(str))
    return order.sort_values(["_p", "_s", "_r"], kind="stable").head(n).drop(
        columns=["_p", "_s", "_r"])


def area_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per indicator (table order), its areas only (never the total): how many, on track /
    at risk / behind (`AREA_BANDS`), not judged (no area target) and the worst named."""
    rows = []
    areas = table[table["region"].fillna("").astype(str).ne("")]
    for ind, part in areas.groupby("indicator_id", sort=False):
        status = part["outlook_status"].astype(str)
        row: dict = {"indicator_id": ind, "areas": len(part)}
        row |= {band: int(status.isin(codes).sum()) for band, codes in AREA_BANDS.items()}
        row["no_area_target"] = int(status.eq("no_area_target").sum())
        worst = worst_areas(part)
        row["worst"] = list(zip(worst["region"].astype(str), worst["p_meet"].astype(float),
                                strict=True))
        row["regions"] = list(part["region"].astype(str))
        rows.append(row)
    return pd.DataFrame(rows)


def area_line(row: Mapping, lang: str) -> str:
    """One indicator's areas in a sentence: the count, the bands (zero counts left out)
    and the worst named, P in brackets of the language (南湖镇（0.12）)."""
    words = {k: v[lang] for k, v in AREA_WORDS.items()}
    named = [name if math.isnan(p) else words["named"].format(name=name,
                                                               p=labels.format_p(p))
             for name, p in row["worst"]]
    parts = [words[key].format(n=row[key]) for key in AREA_COUNTS if row[key]]
    return words["line"].format(
        count=count_words(row["areas"], row["regions"], lang),
        parts=words["sep_parts"].join(parts),
        worst=words["worst"].format(names=words["sep"].join(named)) if named else "")
