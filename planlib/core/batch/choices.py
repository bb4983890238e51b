"""`auto`'s choice for many series at once, handed to the per-series `forecast`.

`evaluate` keeps building one rich result per series (per-year paths, sample paths, notes),
but for an indicator with more than BATCH_MIN_SERIES regions it first runs `auto`'s
rolling-origin backtests for all of them with numpy (`batch_choices`) and passes each
series its `AutoChoice` -- members, widening per horizon, scores and the same prose as
`selection.choose_auto` -- so the per-series code only fits the chosen members. Series
that `choose_auto` handles without a backtest (n < 6) or where damped applies (its
n = 8, 9 hedge and the damped backtest scores are left to `choose_auto`, which calls the
same damped fit as the vectorised path) get no choice and run as before: the results do
not depend on the path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planlib.core.evaluation import spec_from_indicator
from planlib.core.models import selection as rules
from planlib.core.models.selection import AutoChoice, backtest_reason
from planlib.inputs.plan import Indicator

from .auto import _ranked, damped_applies, eligibility
from .backtest import run_backtest, widening_all
from .fits import BATCH_MODELS
from .outlooks import BATCH_MIN_SERIES, _model_bounds, fit_start
from .panel import keep_columns, panel_from_long
from .progress import baselines, target_levels

__all__ = ["BATCH_MIN_SERIES", "batch_choices"]


def batch_choices(observations: pd.DataFrame, ind: Indicator, *, as_of: int
                  ) -> dict[str, AutoChoice]:
    """Region -> `AutoChoice` for every region of `ind` whose auto choice is made by the
    backtest without damped (n >= PARSIMONY_N, not n >= 8 consecutive years)."""
    frame = observations
    if "indicator_id" in frame:
        frame = frame[frame["indicator_id"] == ind.series_id]
    frame = frame.assign(region=frame["region"].fillna(""))
    spec = spec_from_indicator(ind)
    full = panel_from_long(frame)
    if len(full.n) == 0:
        return {}
    seen = keep_columns(full, full.years <= min(as_of - 1, spec.target_year))
    level = target_levels(spec, baselines(seen, spec)[1])
    start = fit_start(frame, full.keys, ind, as_of)
    fitp = keep_columns(full, (full.years <= as_of - 1) & (full.years >= start[:, None]))
    lo, hi = _model_bounds(ind, level, "auto")
    last = fitp.last(fitp.years)
    rows = np.flatnonzero((fitp.n >= rules.PARSIMONY_N) & ~damped_applies(fitp)
                          & (last < spec.target_year))
    if rows.size == 0:
        return {}
    sub = fitp.take(rows)
    n_ahead = (spec.target_year - last[rows]).astype(np.int64)
    horizon = np.clip(n_ahead, 1, rules.MAX_BACKTEST_H)
    cand = np.column_stack([eligibility(sub, lo[rows], hi[rows]), np.zeros(rows.size, bool)])
    first = np.full(rows.size, rules.MIN_TRAIN)
    bt = run_backtest(sub, BATCH_MODELS, cand, first, horizon, lo[rows], hi[rows],
                      int(n_ahead.max()))
    lam = widening_all(bt.sumsq, bt.count)
    ranked = _ranked(bt.scores)
    out = {}
    for i, region in enumerate(sub.keys):
        order = [int(k) for k in ranked[i] if np.isfinite(bt.scores[i, k])]
        scores = {m: float(bt.scores[i, k]) for k, m in enumerate(BATCH_MODELS)
                  if np.isfinite(bt.scores[i, k])}  # candidate order, as choose_auto
        best = bt.scores[i, order[0]]
        members = [BATCH_MODELS[k] for k in order
                   if bt.scores[i, k] <= rules.COMBO_TOL * best + 1e-12][: rules.MAX_MEMBERS]
        widen = {m: lam[i, BATCH_MODELS.index(m), : n_ahead[i]] for m in members}
        n_origins = int(sub.n[i]) - rules.MIN_TRAIN
        reason = backtest_reason(scores, [BATCH_MODELS[k] for k in order], members, n_origins,
                                 int(horizon[i]), False, widen)
        out[str(region)] = AutoChoice(members, reason, widen, scores, n_origins, "backtest")
    return out
