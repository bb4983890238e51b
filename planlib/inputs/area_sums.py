"""Parts add up: each year, the areas' counts and flows summed against the total's.

An indicator whose values add up over areas — a flow (``measure: flow``, additions per
year) or a count (its unit counts things: 个, 所, 人, 万人, places; see
``units.is_count``) — is checked in every year where the total and every area have a
value. A sum differing from the total by more than ``TOLERANCE`` of the total (areas
rounded separately, 0.5 %) is a warning at the total's cell, with the difference: the
areas or the total hold a wrong or stale value. Rates and shares never add up and are not
checked.
"""

from __future__ import annotations

import pandas as pd

from planlib.inputs.input_warnings import InputWarning
from planlib.inputs.plan import Indicator, Plan
from planlib.inputs.units import is_count

#: Share of the total by which the areas' sum may differ from it (separate rounding).
TOLERANCE = 0.005


def adds_up(ind: Indicator) -> bool:
    """True for an indicator whose areas' values add up to the total's (flow or count)."""
    return ind.measure == "flow" or is_count(ind.unit)


def parts_add_up(frame: pd.DataFrame, plan: Plan) -> list[InputWarning]:
    """A warning per (indicator, year) where the areas' sum misses the total.

    ``frame`` is the merged frame (one value per indicator, region, year; the total is
    region "").
    """
    notes: list[InputWarning] = []
    for ind in plan.indicators:
        if not adds_up(ind):
            continue
        mine = frame[frame["indicator_id"] == ind.series_id]
        region = mine["region"].astype("string").fillna("")
        parts, total = mine[region.ne("")], mine[region.eq("")]
        n_areas = parts["region"].nunique()
        if total.empty or n_areas < 2:
            continue
        sums = parts.groupby("year")["value"].agg(["sum", "count"])
        for row in total.sort_values("year").to_dict("records"):
            year = row["year"]
            if year not in sums.index or sums.loc[year, "count"] < n_areas:
                continue  # an area without the year: its sum says nothing
            summed, whole = float(sums.loc[year, "sum"]), float(row["value"])
            if abs(summed - whole) <= TOLERANCE * abs(whole):
                continue
            notes.append(InputWarning(
                "parts_do_not_add_up",
                {"series": ind.series_id, "year": int(year), "n": int(n_areas),
                 "sum": round(summed, 6), "total": whole, "diff": round(summed - whole, 6),
                 "tolerance": f"{TOLERANCE:.1%}"},
                str(row["_file"]), int(row["_row"]), str(row["_column"])))
    return notes
