"""The driver series of an indicator with ``driver:`` (the cohort model's births), read
per region from the observations as the cohort model takes it (`DriverData`)."""

from __future__ import annotations

from planlib.core.models.cohort_choice import DriverData
from planlib.core.series import Series
from planlib.inputs.plan import Indicator, Plan


def driver_names(plan: Plan, series_id: str) -> dict[str, str]:
    """A driver series' names {zh, en}: its context declaration or the plan indicator
    reading it (the id itself otherwise)."""
    for ctx in plan.context:
        if ctx.id == series_id:
            return {"zh": ctx.name_zh, "en": ctx.name_en or ctx.name_zh}
    for ind in plan.indicators:
        if ind.series_id == series_id:
            return {"zh": ind.name_zh, "en": ind.name_en or ind.name_zh}
    return {"zh": series_id, "en": series_id}


def driver_data(plan: Plan, ind: Indicator, series: Series, as_of: int) -> DriverData | None:
    """The driver of `ind` in one region from its observations up to as_of − 1 (None for
    an indicator without ``driver:``)."""
    if ind.driver is None:
        return None
    used = series.before(as_of)
    return DriverData(ind.driver.series, used.years.astype(int),
                      used.values.astype(float), tuple(ind.driver.lags),
                      driver_names(plan, ind.driver.series))
