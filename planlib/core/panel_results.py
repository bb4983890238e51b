"""Rich results (`IndicatorResult`) of the rows the panel path wrote -- every row of every
indicator -- built from what it computed (`batch.rows.RowArrays`), nothing evaluated again.

Progress, the target-year outlook, P(met) by model, the notes and the reliability are
the panel's own numbers; the per-year path of the figures and the report comes from the
panel's choice record (members, widening per year ahead, scores, rule and reason): the
chosen members are fitted to the row's fit window with that choice (`models.forecast`
with ``choice=``; a flow's total with its joint sample paths, the same seed), so no
backtest and no single-model sensitivity is run again. A row the per-row model function
answered (`outlook.row_outlook`: a schedule, the cohort model, a point path, a nowcast)
keeps the forecast it made.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from planlib.core import area_rule
from planlib.core.batch.auto import row_choice
from planlib.core.batch.rows import RowArrays
from planlib.core.models import Forecast, forecast
from planlib.core.models.count_scale import is_count
from planlib.core.models.paths import N_PATHS
from planlib.core.models.selection import AutoChoice
from planlib.core.options import RunOptions
from planlib.core.progress import TargetSpec, progress_row
from planlib.core.result import IndicatorResult, Outlook
from planlib.core.series import derive_seed, model_bounds, spec_from_indicator
from planlib.core.targets.registry import flow_total
from planlib.inputs.plan import Indicator


@dataclass(frozen=True)
class PanelRows:
    """One indicator's table rows written by the panel path and what built them."""

    indicator: Indicator
    table: pd.DataFrame
    arrays: RowArrays
    position: dict[str, int]  # region -> row

    @classmethod
    def of(cls, ind: Indicator, table: pd.DataFrame, arrays: RowArrays) -> PanelRows:
        """The rows of `table` and their arrays."""
        return cls(ind, table, arrays, {str(r): i for i, r in enumerate(table["region"])})

    @functools.cached_property
    def cells(self) -> dict[str, list[Any]]:
        """The table columns a result reads, as lists (a pandas row per read is slow)."""
        wanted = [c for c in self.table.columns if c in CELLS or c[:2] in ("lo", "hi")]
        return {c: self.table[c].tolist() for c in wanted}

    def cell(self, column: str, i: int) -> Any:
        """Row i's value in `column`."""
        return self.cells[column][i]


#: The table columns a result is built from (besides the interval ends).
CELLS = ("model", "model_reason", "median", "p_meet", "call_robust", "outlook_status",
         "latest_flag", "reliability", "fit_from", "fit_to", "schedule_status")


def _int(x: object) -> int | None:
    return None if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) \
        else int(x)  # type: ignore[call-overload]


def fit_window_of(arrays: RowArrays, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Row i's fit window: years (int) and values."""
    fit = arrays.data.fit
    n = int(fit.n[i])
    return fit.years[i, :n].astype("int64"), fit.values[i, :n].astype(float)


def choice_of(arrays: RowArrays, j: int, reason: str, values: np.ndarray, model: str
              ) -> AutoChoice:
    """Forecast row j's model choice as `forecast` takes it: the panel's own record read by
    `batch.auto.row_choice` (members, widening per year ahead, scores, origins, rule), with
    the reason its table row states."""
    why = arrays.look.why
    assert why is not None
    return replace(row_choice(why, j, values.size, float(values[-1]), model), reason=reason)


def _forecast(rows: PanelRows, i: int, ind: Indicator, region: str, level: float,
              opts: RunOptions) -> Forecast | None:
    """Row i's per-year forecast: the per-row model function's, else from the panel's
    choice (None: observed, or n < 2); a flow's with the joint paths of its total."""
    arrays = rows.arrays
    if i in arrays.single:
        return arrays.single[i].forecast
    hit = np.flatnonzero(arrays.forecast == i)
    why = arrays.look.why
    if hit.size == 0 or why is None or str(why.rule[hit[0]]) == "none":
        return None
    j = int(hit[0])
    years, values = fit_window_of(arrays, i)
    bounds, _ = model_bounds(ind.bounds, level, opts.model)
    run = partial(forecast, years, values, target_year=ind.target_year, levels=opts.levels,
                  bounds=bounds, seed=derive_seed(opts.seed, ind.id, region),
                  count=is_count(ind.bounds),
                  n_paths=N_PATHS if _is_flow_total(ind) else 0)
    if str(why.rule[j]) == "point":
        return run(model=str(arrays.look.model[j]))
    reason = str(rows.cell("model_reason", i))
    return run(model="auto", choice=choice_of(arrays, j, reason, values, opts.model))


def _is_flow_total(ind: Indicator) -> bool:
    """A cumulative target on flow data: its per-year path needs the joint paths."""
    spec = spec_from_indicator(ind)
    return flow_total(spec.kind, spec.measure)


def panel_result(rows: PanelRows, region: str, opts: RunOptions, history: pd.DataFrame
                 ) -> IndicatorResult:
    """The rich result of one region the panel path wrote (`history`: its observations on
    the target's scale, as `evaluation` builds them)."""
    i = rows.position[region]
    arrays = rows.arrays
    ind, judged = (rows.indicator, True) if rows.indicator.target is None else \
        area_rule.judged_as(rows.indicator, region)
    spec: TargetSpec = spec_from_indicator(ind)
    prog = progress_row(arrays.prog, i, arrays.progress_notes[i])
    levels = opts.levels
    cell = rows.cell
    look = Outlook(str(cell("model", i)), str(cell("model_reason", i)),
                   float(cell("median", i)), {lv: float(cell(f"lo{lv}", i)) for lv in levels},
                   {lv: float(cell(f"hi{lv}", i)) for lv in levels}, float(cell("p_meet", i)),
                   list(arrays.outlook_notes[i]))
    robust = cell("call_robust", i)
    result = IndicatorResult(
        indicator=ind, region=region, spec=spec, as_of=opts.as_of, levels=levels,
        history=history, fit_from=_int(cell("fit_from", i)), fit_to=_int(cell("fit_to", i)),
        progress=prog, outlook=look,
        forecast=_forecast(rows, i, ind, region, prog.target_level, opts),
        p_meet_by_model=dict(arrays.by_model[i]),
        call_robust=None if robust is None or robust is pd.NA else bool(robust),
        outlook_status=str(cell("outlook_status", i)),
        schedule_status=str(cell("schedule_status", i)) or None,
        latest_flag=str(cell("latest_flag", i)), notes=tuple(arrays.notes[i]),
        reliability=str(cell("reliability", i)))
    return result if judged else result.without_target()
