"""Reference numbers for the evaluation's rows, computed one series at a time by the model
functions directly (`progress.progress`, `outlook.outlook` or a project's
`schedule_outlook`, `series.fit_window`) -- not by
the evaluation's panel path -- so the tests of that path check it against numbers it did
not compute itself."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from planlib.core import area_rule
from planlib.core.models import Forecast
from planlib.core.options import RunOptions
from planlib.core.outlook import outlook, schedule_outlook
from planlib.core.progress import progress
from planlib.core.series import Series, fit_window, is_discrete_project, spec_from_indicator
from planlib.inputs.plan import Plan

#: The table columns `reference_row` gives.
NUMBERS = ("median", "lo80", "hi80", "lo95", "hi95", "p_meet", "latest_value",
           "progress_share", "target_value")


def reference_row(plan: Plan, observations: pd.DataFrame, ident: str, region: str = "", *,
                  as_of: int | None = None, model: str = "auto", seed: int = 0
                  ) -> tuple[dict[str, Any], Forecast | None]:
    """One row's model, numbers (`NUMBERS`) and fit window, and the forecast behind them,
    from that region's own series alone."""
    ind = plan.indicator(ident)
    opts = RunOptions.checked(plan, as_of=as_of, model=model, levels=(80, 95), seed=seed,
                              sensitivity=False)
    judged = True
    if ind.target is not None:
        ind, judged = area_rule.judged_as(ind, region)
    mine = observations[(observations["indicator_id"] == ind.series_id)
                        & (observations["region"].fillna("") == region)]
    series = Series.from_frame(mine.assign(flag=mine.get("flag", "")))
    spec = spec_from_indicator(ind)
    prog = progress(series.years, series.values, spec, as_of=opts.as_of,
                    cutoffs=plan.status_cutoffs.model_dump(),
                    pace_from=series.last_break(opts.as_of, ind.breaks))
    observed = prog.latest_year is not None and prog.latest_year >= spec.target_year
    horizon = opts.as_of if observed else min(opts.as_of, spec.target_year + 1)
    if is_discrete_project(ind) and not observed:  # judged by its schedule: no forecast
        look, fc = schedule_outlook(ind, opts.levels)[0], None
    else:
        look, fc = outlook(series, ind, prog, replace(opts, as_of=horizon), region)
    fit, _ = fit_window(series, ind, horizon)
    row: dict[str, Any] = {"model": look.model, "median": look.median,
                           "p_meet": look.p_meet if judged and ind.target else math.nan,
                           "latest_value": prog.latest_value,
                           "progress_share": prog.progress_share if judged else math.nan,
                           "target_value": prog.target_level if judged else math.nan,
                           "n_obs": int(np.isfinite(fit.values).sum())}
    for lv in (80, 95):
        row[f"lo{lv}"], row[f"hi{lv}"] = look.lower[lv], look.upper[lv]
    if ind.target is None:  # a context indicator: its latest observation before as_of
        used = series.before(opts.as_of)
        row["latest_value"] = float(used.values[-1]) if used.years.size else math.nan
        row["progress_share"] = row["target_value"] = math.nan
    return row, fc


def assert_rows_are_the_reference(table: pd.DataFrame, plan: Plan,
                                  observations: pd.DataFrame, *, atol: float = 1e-9,
                                  **kw: Any) -> int:
    """Every row of `table` equals `reference_row` of its series (floats to `atol`);
    returns the number of rows checked."""
    for row in table.itertuples(index=False):
        region = "" if pd.isna(row.region) else str(row.region)
        want, _ = reference_row(plan, observations, row.indicator_id, region, **kw)
        where = (row.indicator_id, region)
        assert row.model == want["model"], where
        assert row.n_obs == want["n_obs"], where
        for col in NUMBERS:
            got = float(getattr(row, col))
            np.testing.assert_allclose(got, want[col], rtol=0, atol=atol, equal_nan=True,
                                       err_msg=f"{where} {col}")
    return len(table)
