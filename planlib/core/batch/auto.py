"""The target-year outlook of many series at once: `auto` (or one named trend model),
widening, Vincentized intervals and P(met), with the rules of `planlib.core.models`.

Rows are routed as the per-series `forecast` routes them: n < 2 none, n = 2 a point path,
n < PARSIMONY_N parsimony (drift, or logit near a bound with the drift floor), otherwise
the rolling-origin backtest. Where `damped` applies (n >= 8 consecutive years) it is fitted
here too, by planlib's one damped fit (`planlib.core.models.damped_fit`, as per series).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

import planlib.core.models.selection as rules
from planlib.core.models.base import Bounds
from planlib.core.models.count_scale import count_transform, is_count, to_count_scale
from planlib.core.models.registry import SPECS
from planlib.core.models.selection import AutoChoice
from planlib.core.models.trends import point_rows, working_transform

from .backtest import bounds_arrays, own_horizons, run_backtest, widening_all, widening_at
from .fits import BATCH_MODELS, fit_drift, fit_model, transform_of, window_start
from .mixture import Member, prob_meet, vincentized
from .panel import Panel

RANK = np.array([SPECS[m].rank for m in BATCH_MODELS])
DAMPED = BATCH_MODELS.index("damped")
LOGIT = BATCH_MODELS.index("logit")
TRENDS = tuple(m for m in BATCH_MODELS if m != "damped")  # the closed-form fits
assert BATCH_MODELS[-1] == "damped"  # eligibility columns are TRENDS, then damped


@dataclass(frozen=True)
class BatchOutlook:
    """Per row: model label, target-year median and interval bounds, P(met)."""

    model: np.ndarray  # object: "drift", "combo(linear+drift)", "none", ...
    median: np.ndarray
    lower: dict[int, np.ndarray]
    upper: dict[int, np.ndarray]
    p_meet: np.ndarray
    why: Why | None = None  # how each row's model was chosen, for the prose


@dataclass(frozen=True)
class Choice:
    """The choice of every row as arrays (the panel's one choice record; one series is a
    panel of one row): rule, members (ranked, -1 padded), the full ranking and MASE
    scores (inf where not scored), widening per model and horizon 1..H (S, K, H) and at
    the target year (S, K), backtest origins and horizon, years ahead, which rows `auto`
    decides (a requested model that does not apply falls back to it) and where damped
    applies."""

    rule: np.ndarray
    order: np.ndarray
    ranked: np.ndarray
    scores: np.ndarray
    widen: np.ndarray
    lam: np.ndarray
    n_origins: np.ndarray
    horizon: np.ndarray
    n_ahead: np.ndarray
    auto: np.ndarray
    applies: np.ndarray


@dataclass(frozen=True)
class Why(Choice):
    """How each row's outlook was made, as data the evaluation's prose is written from: the
    choice record and the fitted members (target year) with the mask of which each row
    uses."""

    members: list[Member]
    use: np.ndarray
    damped_alone: np.ndarray  # (S,) rows whose damped member is fitted and widened as
    # an explicitly requested damped would be (auto rows where damped applies)


def eligibility(panel: Panel, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(S, len(TRENDS)) which closed-form models apply (`registry.eligibility`; drift_recent
    an auto candidate only from n >= PARSIMONY_N)."""
    return rules.eligibility(panel.years, panel.values, panel.valid, lo, hi, TRENDS)


def damped_applies(panel: Panel) -> np.ndarray:
    """(S,) `damped` applies (`registry.eligibility`: n >= 8 consecutive years)."""
    nan = np.full(len(panel.n), np.nan)
    return rules.eligibility(panel.years, panel.values, panel.valid, nan, nan, ("damped",))[
        :, 0]


def _drift_floor(panel: Panel, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                 n_ahead: np.ndarray) -> np.ndarray:
    """(R, H) factors (>= 1, non-decreasing) 1..H years ahead that raise logit's scale to
    at least that of a random walk with drift fitted to the same points on the logit scale.

    A regression line on a few smooth points has a tiny residual sigma and an interval
    that hardly grows; the random walk with drift on the same scale carries the series'
    own year-to-year variability forward, sigma_d sqrt(h (1 + h / span)). With too few
    points to backtest (n < PARSIMONY_N), a model may not claim to know the future better
    than that."""
    sub = panel.take(rows)
    width = max(int(n_ahead[rows].max()), 1)
    last = sub.last(sub.years)
    future = last[:, None] + np.arange(1, width + 1)[None, :]
    start, stop = np.zeros(rows.size, dtype=np.int64), sub.n
    fit = fit_model("logit", sub.years, sub.values, start, stop, future, lo[rows], hi[rows])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = fit.transform.forward(sub.values)
    _, ref_scale, _ = fit_drift(sub.years, z, start, stop, future)
    lam = np.ones_like(ref_scale)
    np.divide(ref_scale, fit.scale, out=lam, where=fit.scale > 0)
    return np.maximum.accumulate(np.maximum(lam, 1.0), axis=1)


def _ranked(scores: np.ndarray) -> np.ndarray:
    """(S, K) model indices sorted by (score, simplicity), as `choose_auto`."""
    by_simplicity = np.argsort(RANK)
    order = np.argsort(scores[:, by_simplicity], axis=1, kind="stable")
    return by_simplicity[order]


def _labels(order: np.ndarray) -> np.ndarray:
    """Model label per row from its ranked member indices (-1 = unused)."""
    codes, inverse = np.unique(order, axis=0, return_inverse=True)
    names = [rules.model_label([BATCH_MODELS[i] for i in code if i >= 0]) for code in codes]
    return np.asarray(names, dtype=object)[inverse.ravel()]


def choose_members(panel: Panel, rows: np.ndarray, eligible: np.ndarray, first: np.ndarray,
                   lo: np.ndarray, hi: np.ndarray, target_year: int, n_ahead: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backtest-based members of `rows` (ranked, -1 padded, (R, MAX_MEMBERS)), the widening
    of every model (R, K), the full ranking (R, K), the scores (R, K) and the widening per
    horizon (R, K, H), by the rules of `selection`."""
    lam, scores, full = _backtest(panel, rows, BATCH_MODELS, eligible[rows], first[rows], lo,
                                  hi, target_year, n_ahead)
    ranked = _ranked(scores)
    best = np.take_along_axis(scores, ranked[:, :1], axis=1)
    within = np.take_along_axis(scores, ranked, axis=1) <= rules.COMBO_TOL * best + 1e-12
    order = np.where(within, ranked, -1)[:, : rules.MAX_MEMBERS]
    return order, lam, ranked, scores, full


def _backtest(panel: Panel, rows: np.ndarray, models: tuple[str, ...], eligible: np.ndarray,
              first: np.ndarray, lo: np.ndarray, hi: np.ndarray, target_year: int,
              n_ahead: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Widening at each row's own horizon (R, K), MASE scores (R, K) of `models` and the
    widening per horizon 1..H (R, K, H)."""
    sub = panel.take(rows)
    horizon = rules.backtest_horizons(sub.last(sub.years), target_year)
    n_h = max(int(n_ahead[rows].max()), 1)
    bt = own_horizons(run_backtest(sub, models, eligible, first, horizon, lo[rows], hi[rows],
                                   n_h), n_ahead[rows])
    lam = widening_at(bt.sumsq, bt.count, np.repeat(n_ahead[rows, None], len(models), 1))
    return lam, bt.scores, widening_all(bt.sumsq, bt.count)


def choose(panel: Panel, lo: np.ndarray, hi: np.ndarray, *, target_year: int, model: str
           ) -> Choice:
    """`auto`'s choice (or the requested `model`'s widening) for every row, by the rules
    of `planlib.core.models.selection` (module docstring): n = 2 a point path, parsimony
    below PARSIMONY_N, else the rolling-origin backtest."""
    s, n = len(panel.n), panel.n
    last_year, last_value = panel.last(panel.years), panel.last(panel.values)
    n_ahead = np.where(n > 0, target_year - np.nan_to_num(last_year), 0).astype(np.int64)
    applies = damped_applies(panel)
    elig = np.column_stack([eligibility(panel, lo, hi), applies])
    order = np.full((s, rules.MAX_MEMBERS), -1)
    lam = np.ones((s, len(BATCH_MODELS)))
    n_h = max(int(n_ahead.max()) if s else 1, 1)
    widen = np.ones((s, len(BATCH_MODELS), n_h))
    scores = np.full((s, len(BATCH_MODELS)), np.inf)
    ranked_all = np.tile(np.arange(len(BATCH_MODELS)), (s, 1))
    rule = np.full(s, "none", dtype=object)
    auto = np.full(s, model == "auto")
    if model != "auto":
        k = BATCH_MODELS.index(model)
        auto |= ~elig[:, k]  # a model that does not apply: auto instead (evaluation's rule)
        single = ~auto & (n >= 3)
        order[single, 0] = k
        rule[single] = "requested"
        if model == "damped":  # widened from its own backtest, as an auto member
            _damped_widening(panel, single, lo, hi, target_year, n_ahead, lam, widen)
    damped_rows = auto & applies
    pars = auto & (n >= 3) & (n < rules.PARSIMONY_N)
    logit = pars & elig[:, LOGIT] & rules.near_bounds(last_value, lo, hi)
    order[pars, 0] = np.where(logit[pars], LOGIT, 0)
    rule[pars] = np.where(logit[pars], "parsimony_logit", "parsimony")
    if np.any(logit):
        rows = np.flatnonzero(logit)
        floor = _drift_floor(panel, rows, lo, hi, n_ahead)
        widen[rows, LOGIT, : floor.shape[1]] = floor
        lam[rows, LOGIT] = floor[np.arange(rows.size), np.clip(n_ahead[rows] - 1, 0, None)]
    back = auto & (n >= rules.PARSIMONY_N)
    if np.any(back):
        compete = damped_rows & (n >= rules.DAMPED_AUTO_N)
        hedge = back & damped_rows & ~compete  # damped applies but cannot be scored yet
        cand = elig.copy()
        cand[:, DAMPED] = compete
        first = np.where(compete, rules.DAMPED_MIN_N, rules.MIN_TRAIN)
        rows = np.flatnonzero(back)
        order[rows], lam[rows], ranked, scores[rows], full = choose_members(
            panel, rows, cand, first, lo, hi, target_year, n_ahead)
        ranked_all[rows] = ranked
        widen[rows, :, : full.shape[2]] = full
        rule[rows] = np.where(hedge[rows], "hedge", "backtest")
        in_hedge = hedge[rows]
        order[rows[in_hedge]] = np.column_stack(
            [ranked[in_hedge, 0], np.full(in_hedge.sum(), DAMPED),
             np.full(in_hedge.sum(), -1)])[:, : rules.MAX_MEMBERS]
        _damped_widening(panel, hedge, lo, hi, target_year, n_ahead, lam, widen)
    n_origins = np.where(np.isin(rule, ("backtest", "hedge")),
                         n - np.where(damped_rows & (n >= rules.DAMPED_AUTO_N),
                                      rules.DAMPED_MIN_N, rules.MIN_TRAIN), 0)
    rule[n == 2] = "point"
    horizon = rules.backtest_horizons(target_year - n_ahead, target_year)  # n = 0: 1
    return Choice(rule, order, ranked_all, scores, widen, lam, n_origins, horizon, n_ahead,
                  auto, applies)


def row_choice(c: Choice, j: int, n: int, last: float, model: str = "auto") -> AutoChoice:
    """Row j's choice as `AutoChoice` (members best first, widening per year ahead, finite
    scores in the candidates' order, reason in prose) of a series of `n` points ending at
    `last`."""
    members = [BATCH_MODELS[k] for k in c.order[j] if k >= 0]
    ahead = max(int(c.n_ahead[j]), 0)
    widen = {m: c.widen[j, BATCH_MODELS.index(m), :ahead].astype(float) for m in members}
    listing = {BATCH_MODELS[k]: float(c.scores[j, k]) for k in c.ranked[j]
               if np.isfinite(c.scores[j, k])}
    rule, n_origins = str(c.rule[j]), int(c.n_origins[j])
    reason = rules.choice_reason(rule, n, last, model, listing, members, n_origins,
                                 int(c.horizon[j]), widen)
    scores = {m: listing[m] for m in BATCH_MODELS if m in listing}  # the candidates' order
    return AutoChoice(members, reason, widen, scores, n_origins, rule)


def choose_auto(years: np.ndarray, y: np.ndarray, bounds: Bounds, target_year: int,
                model: str = "auto") -> AutoChoice:
    """`choose` for one series (n >= 3), a panel of one row: `auto`'s choice, or the
    widening of a requested `model`."""
    lo, hi = (np.array([np.nan if b is None else float(b)]) for b in bounds)
    c = choose(Panel.one(years, y), lo, hi, target_year=target_year, model=model)
    return row_choice(c, 0, len(y), float(y[-1]), model)


def batch_forecast(panel: Panel, lo: np.ndarray, hi: np.ndarray, *, target_year: int,
                   model: str, levels: tuple[int, ...], value: np.ndarray, at_least: bool,
                   show_lo: float, show_hi: float, damped_alone: bool = False
                   ) -> BatchOutlook:
    """Target-year outlook of every row (see module docstring). `lo`/`hi` are the bounds
    the models use per row (NaN = open); `show_lo`/`show_hi` the indicator's bounds that
    the reported median and intervals are clipped to. `damped_alone`: also fit damped
    where auto does not use it but could (`Why.damped_alone`, for the sensitivity)."""
    s, n = len(panel.n), panel.n
    c = choose(panel, lo, hi, target_year=target_year, model=model)
    order, lam, auto, applies = c.order, c.lam, c.auto, c.applies
    extra = np.zeros_like(lam, dtype=bool)
    if damped_alone:  # widened as a requested damped would be
        extra[:, DAMPED] = auto & applies & (n >= rules.PARSIMONY_N)
    members, use = _members(panel, order, lam, lo, hi, target_year, extra,
                            is_count((show_lo, show_hi)))
    clip_lo, clip_hi = bounds_arrays(lo, hi)
    has = use.any(axis=1)
    out_lo, out_hi = _clip_shown(show_lo, show_hi)
    median = np.full(s, np.nan)
    lower = {lv: np.full(s, np.nan) for lv in levels}
    upper = {lv: np.full(s, np.nan) for lv in levels}
    p = np.full(s, np.nan)
    if np.any(has):
        r = np.flatnonzero(has)
        mem = [m.take(r) for m in members]
        u, cl, ch = use[r], clip_lo[r], clip_hi[r]
        median[r] = vincentized(mem, u, 0.5, cl, ch)
        for lv in levels:
            lower[lv][r] = vincentized(mem, u, (1 - lv / 100) / 2, cl, ch)
            upper[lv][r] = vincentized(mem, u, (1 + lv / 100) / 2, cl, ch)
        p[r] = prob_meet(mem, u, value[r], at_least, lo[r], hi[r])
    point = n == 2
    for name, mask in (("auto", point & auto), (model, point & ~auto)):
        if np.any(mask):  # a requested model that does not apply falls back to auto's line
            rows = np.flatnonzero(mask)
            median[rows] = _point(panel, rows, name, lo, hi, target_year)
    labels = np.full(s, "none", dtype=object)
    if np.any(has):
        labels[has] = _labels(order[has])
    labels[point] = np.where(auto[point], "linear", model)
    why = Why(**{f.name: getattr(c, f.name) for f in fields(Choice)}, members=members,
              use=use, damped_alone=extra[:, DAMPED])
    return BatchOutlook(
        model=labels,
        median=np.clip(median, out_lo, out_hi),
        lower={lv: np.clip(x, out_lo, out_hi) for lv, x in lower.items()},
        upper={lv: np.clip(x, out_lo, out_hi) for lv, x in upper.items()},
        p_meet=p, why=why,
    )


def _clip_shown(show_lo: float | None, show_hi: float | None) -> tuple[float, float]:
    """The indicator's bounds as clip limits."""
    lo = -np.inf if show_lo is None or np.isnan(show_lo) else show_lo
    hi = np.inf if show_hi is None or np.isnan(show_hi) else show_hi
    return lo, hi


def _members(panel: Panel, order: np.ndarray, lam: np.ndarray, lo: np.ndarray,
             hi: np.ndarray, target_year: int, extra: np.ndarray | None = None,
             count: bool = False) -> tuple[list[Member], np.ndarray]:
    """Every trend model fitted to the whole of each row at the target year, widened: the
    members each row uses (returned as a mask) and, where `extra` (S, K) says so, a model
    it does not use (auto's damped fit, reused for the by-model sensitivity)."""
    s = len(panel.n)
    use = np.zeros((s, len(BATCH_MODELS)), dtype=bool)
    for j in range(order.shape[1]):
        ok = order[:, j] >= 0
        use[np.flatnonzero(ok), order[ok, j]] = True
    fitted = use if extra is None else use | extra
    future = np.full((s, 1), float(target_year))
    stop = panel.n
    members = []
    for k, name in enumerate(BATCH_MODELS):
        start = window_start(name, stop)
        rows = np.flatnonzero(fitted[:, k])
        center = np.full(s, np.nan)
        scale = np.full(s, np.nan)
        df = np.ones(s)
        if rows.size:
            sub = panel.take(rows)
            fit = fit_model(name, sub.years, sub.values, start[rows], stop[rows],
                            future[rows], lo[rows], hi[rows])
            center[rows], scale[rows], df[rows] = fit.center[:, 0], fit.scale[:, 0], fit.df
        member = Member(name, transform_of(name, lo, hi), center, scale * lam[:, k], df)
        members.append(count_member(member, lo, hi) if count else member)
    return members, use


def count_member(member: Member, lo: np.ndarray, hi: np.ndarray) -> Member:
    """An identity-scale member of a count indicator with the margins of the rows whose
    model bounds are a count's too (lower bound 0, no upper) on the log scale where the
    median is positive (`models.count_scale`, as `api.forecast` does per series)."""
    count = (lo == 0) & np.isnan(hi)
    if member.transform.kind != "identity" or not count.any():
        return member
    center = np.where(count, member.center, np.nan)
    logc, logs, on = to_count_scale(center, member.scale)
    return Member(member.model, count_transform(on[:, None]), np.where(on, logc, member.center),
                  np.where(on, logs, member.scale), member.df)


def _point(panel: Panel, rows: np.ndarray, model: str, lo: np.ndarray, hi: np.ndarray,
           target_year: int) -> np.ndarray:
    """n = 2: the line through both points on the model's working scale, clipped."""
    name = "linear" if model in ("auto", "drift") else model
    years, values = panel.years[rows, :2], panel.values[rows, :2]
    if name == "logit":
        tr = transform_of("logit", lo[rows], hi[rows])
    else:
        tr = working_transform(name, (None, None))
    path = point_rows(tr, years, values, np.full((rows.size, 1), float(target_year)))[0][:, 0]
    clip_lo, clip_hi = bounds_arrays(lo[rows], hi[rows])
    return np.clip(path, clip_lo, clip_hi)


def _damped_widening(panel: Panel, mask: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                     target_year: int, n_ahead: np.ndarray, lam: np.ndarray,
                     widen: np.ndarray) -> None:
    """Widening of damped from its own backtest (origins of >= 8 points), into lam (at the
    target year) and widen (per horizon)."""
    if not np.any(mask):
        return
    rows = np.flatnonzero(mask)
    first = np.full(rows.size, rules.DAMPED_MIN_N)
    eligible = np.ones((rows.size, 1), dtype=bool)
    at, _, full = _backtest(panel, rows, ("damped",), eligible, first, lo, hi, target_year,
                            n_ahead)
    lam[rows, DAMPED] = at[:, 0]
    widen[rows, DAMPED, : full.shape[2]] = full[:, 0]
