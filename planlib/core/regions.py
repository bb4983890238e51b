"""Regions at scale: how many regions of each indicator are on track and at risk.

Works on any evaluation table with the documented columns (``evaluate(...).summary_frame()``
or the vectorised ``region_table``): one row per indicator, counting regions by progress
status and by outlook band, with the spread of P(met) across regions. "On track" and "at
risk" use the words of `planlib.core.labels` (ON_TRACK_PROGRESS; AT_RISK = unlikely or
very unlikely to meet the target).
"""

from __future__ import annotations

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
