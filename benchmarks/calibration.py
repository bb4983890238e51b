"""Calibration of `auto`'s intervals by horizon on 8-year windows (issue #6, item 8).

Rolling-origin cuts: every observed year c of a series whose 8-year window [c - 7, c] holds
at least MIN_POINTS observations is a cut; `auto` and `drift` are fitted on that window
(bounds [0, 100] for the WDI R&D panel, the plan's bounds for the national series) and
forecast 1-5 years ahead; every later year observed up to c + 5 is an outcome. Coverage of
the 80 % / 95 % intervals and MAE (in units of the window's mean absolute annual change)
are reported by horizon h = 1..5.

The WDI panel (`benchmarks/data/wdi_rd_expenditure.csv`) is split by country code into a
tuning half and a held-out half: a country is in the tuning half when the first byte of
sha256(code) is even (`half`). The widening floor of `auto` is chosen on the tuning half
only (`tune_scale`), then checked on the held-out half and on the shipped national series.

Tuning re-uses one set of fits: for each cut the members `auto` picks, their unwidened fits
and their backtest normal scores are computed once (`CutModel`); a widening rule then only
rescales the members' t margins, exactly as `forecast()` does. The script asserts, for every
cut, that the replicated widening equals `choose_auto`'s, and on a seeded sample of
CHECK_CUTS cuts that the replicated quantiles equal those of `forecast(model="auto")`.

Run: ``.venv/bin/python benchmarks/calibration.py`` (``make bench-calibration``; all cuts,
~3 min on one core) or ``--fast`` (a seeded sample of FAST_CUTS held-out cuts, seconds).
Writes ``benchmarks/results/calibration.md`` and ``calibration.csv``; deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from planlib.core.models import api, forecast, selection
from planlib.core.models.base import Bounds, Fit, Predictive

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from backtest import load_observations, load_series, provenance  # noqa: E402

import planlib  # noqa: E402

WDI = HERE / "data" / "wdi_rd_expenditure.csv"
RESULTS = HERE / "results"
WINDOW = 8  # training window: the 8 calendar years up to and including the cut
MIN_POINTS = 6  # observations needed in the window (n >= 6: auto's backtest branch)
MAX_H = 5
LEVELS = (80, 95)
WDI_BOUNDS: Bounds = (0.0, 100.0)  # R&D expenditure, % of GDP
SEED = 0
FAST_CUTS = 40  # --fast: cuts per group sampled with SEED
CHECK_CUTS = 60  # cuts on which the cached auto is checked against forecast() itself
N_PATHS = 10  # samples are not used here; quantiles are analytic
TARGET80 = (0.75, 0.85)  # issue #6: 80 % intervals cover 75-85 % at every horizon
TARGET95 = 0.92  # and 95 % intervals >= 92 %

Rule = Callable[[list[tuple[int, float]], int], np.ndarray]
T = TypeVar("T")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Cut:
    """One training window and the outcomes observed up to MAX_H years after it."""

    group: str  # "tuning", "held-out" or "national"
    series: str
    years: np.ndarray
    values: np.ndarray
    bounds: Bounds
    out_years: np.ndarray
    out_values: np.ndarray

    @property
    def cut(self) -> int:
        """The last year of the training window."""
        return int(self.years[-1])

    @property
    def scale(self) -> float:
        """Mean absolute annual change in the window (MASE scaling; 1 if flat)."""
        return float(np.mean(np.abs(np.diff(self.values)) / np.diff(self.years))) or 1.0


def half(code: str) -> str:
    """The WDI half a country belongs to: fixed by its code, independent of the data."""
    return "tuning" if hashlib.sha256(code.encode()).digest()[0] % 2 == 0 else "held-out"


def window_cuts(group: str, series: str, years: np.ndarray, values: np.ndarray,
                bounds: Bounds) -> list[Cut]:
    """Every cut of one series with >= MIN_POINTS in its window and an outcome <= MAX_H on."""
    out = []
    for c in years:
        train = (years > c - WINDOW) & (years <= c)
        ahead = (years > c) & (years <= c + MAX_H)
        if train.sum() >= MIN_POINTS and ahead.any():
            out.append(Cut(group, series, years[train], values[train], bounds,
                           years[ahead], values[ahead]))
    return out


def wdi_cuts(path: Path = WDI) -> list[Cut]:
    """Cuts of every WDI country, tagged with its half, sorted by country and year."""
    frame = pd.read_csv(path).sort_values(["region", "year"])
    out: list[Cut] = []
    for code, grp in frame.groupby("region", sort=True):
        out += window_cuts(half(str(code)), str(code), grp["year"].to_numpy("int64"),
                           grp["value"].to_numpy("float64"), WDI_BOUNDS)
    return out


def national_cuts() -> list[Cut]:
    """Cuts of the shipped national series, with the bounds the backtest gives them."""
    plan = planlib.load_plan("cn_education_14th")
    out: list[Cut] = []
    for s in load_series(plan, load_observations(plan)):
        out += window_cuts("national", s.id, s.years, s.values, s.bounds)
    return out


def sample_cuts(items: list[T], n: int, seed: int = SEED) -> list[T]:
    """A seeded sample of n items (cuts), in their original order (all if there are fewer)."""
    if n >= len(items):
        return items
    keep = np.sort(np.random.default_rng(seed).choice(len(items), size=n, replace=False))
    return [items[i] for i in keep]


# --------------------------------------------------------------------------- auto, cached


@dataclass(frozen=True)
class CutModel:
    """What `auto` does on one cut, minus the widening: members, fits, backtest scores."""

    cut: Cut
    model: str
    fits: tuple[Fit, ...]
    zscores: dict[str, list[tuple[int, float]]]

    def quantiles(self, rule: Rule) -> dict[str, np.ndarray]:
        """median, lo/hi per level for h = 1..MAX_H with every member widened by `rule`."""
        widen = {m: rule(zs, MAX_H) for m, zs in self.zscores.items()}
        widest = np.max(list(widen.values()), axis=0)
        fits = [f.widened(widen.get(f.model, widest)) for f in self.fits]
        dist = Predictive(tuple(fits), self.cut.bounds)
        q = {"median": dist.quantile(0.5)}
        for lv in LEVELS:
            q[f"lo{lv}"] = dist.quantile((1 - lv / 100) / 2)
            q[f"hi{lv}"] = dist.quantile((1 + lv / 100) / 2)
        return q


def member_zscores(cut: Cut, members: list[str]) -> dict[str, list[tuple[int, float]]]:
    """Backtest normal scores of each member, from the same origins `choose_auto` uses."""
    years, y, bounds = cut.years, cut.values, cut.bounds
    candidates = selection.eligible_models(y, bounds, years=years)
    candidates.insert(candidates.index("drift") + 1, "drift_recent")
    hedge = "damped" in candidates and len(y) < selection.DAMPED_AUTO_N
    if hedge:
        candidates.remove("damped")
    bt = selection.backtest(candidates, years, y, bounds, MAX_H)
    out = {m: bt.zscores[m] for m in members if m in bt.zscores}
    if hedge:
        own = selection.backtest(["damped"], years, y, bounds, MAX_H)
        out["damped"] = own.zscores.get("damped", [])
    return out


def cut_model(cut: Cut) -> CutModel:
    """Run `auto`'s selection on one cut and keep its unwidened member fits."""
    target = cut.cut + MAX_H
    choice = selection.choose_auto(cut.years, cut.values, cut.bounds, target)
    members = choice.members
    zs = member_zscores(cut, members)
    for m, lam in choice.widen.items():  # the replication must match choose_auto's own widening
        assert np.array_equal(lam, selection.widening(zs[m], MAX_H)), (cut.series, cut.cut, m)
    future = np.arange(cut.cut + 1, target + 1)
    fits, _ = api._fit_members(members, cut.years, cut.values, future, cut.bounds)
    name = fits[0].model if len(fits) == 1 else f"combo({'+'.join(f.model for f in fits)})"
    return CutModel(cut, name, tuple(fits), zs)


def run_forecast(cut: Cut, model: str) -> dict[str, np.ndarray]:
    """planlib.forecast on one cut (the real code path), as quantiles for h = 1..MAX_H."""
    fc = forecast(cut.years, cut.values, target_year=cut.cut + MAX_H, model=model,
                  levels=LEVELS, bounds=cut.bounds, n_paths=N_PATHS, seed=SEED)
    q = {"median": fc.median}
    for lv in LEVELS:
        q[f"lo{lv}"], q[f"hi{lv}"] = fc.lower[lv], fc.upper[lv]
    return q


# --------------------------------------------------------------------------- scoring


def pair_arrays(cut: Cut, method: str, q: dict[str, np.ndarray],
                chosen: str = "") -> dict[str, np.ndarray]:
    """Columns of one row per outcome of `cut` under one method's quantiles."""
    j = cut.out_years - cut.cut - 1
    k = len(j)
    cols = {"group": np.repeat(cut.group, k), "series": np.repeat(cut.series, k),
            "chosen": np.repeat(chosen or method, k),
            "cut": np.repeat(cut.cut, k), "n_train": np.repeat(len(cut.years), k),
            "method": np.repeat(method, k), "year": cut.out_years, "h": j + 1,
            "actual": cut.out_values, "scale": np.repeat(cut.scale, k)}
    cols.update({name: vals[j] for name, vals in q.items()})
    return cols


def pair_table(columns: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """Stack per-cut columns into one pairs table with coverage flags and scaled errors."""
    frame = pd.DataFrame({k: np.concatenate([c[k] for c in columns]) for k in columns[0]})
    for lv in LEVELS:
        frame[f"in{lv}"] = (frame[f"lo{lv}"] <= frame["actual"]) & (
            frame["actual"] <= frame[f"hi{lv}"])
    frame["err_s"] = (frame["median"] - frame["actual"]).abs() / frame["scale"]
    return frame


def pairs_under(models: list[CutModel], method: str, rule: Rule) -> pd.DataFrame:
    """Forecast-outcome pairs of every cached cut with members widened by `rule`."""
    return pair_table([pair_arrays(m.cut, method, m.quantiles(rule), m.model) for m in models])


def coverage_by_h(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per group, method and h: pairs, 80/95 % coverage, MAE_s."""
    return (pairs.groupby(["group", "method", "h"], sort=True)
            .agg(n=("actual", "size"), cov80=("in80", "mean"), cov95=("in95", "mean"),
                 MAE_s=("err_s", "mean")).reset_index())


def meets_target(table: pd.DataFrame) -> bool:
    """True if every h has 80 % coverage in TARGET80 and 95 % coverage >= TARGET95."""
    ok80 = table["cov80"].between(*TARGET80)
    return bool(ok80.all() and (table["cov95"] >= TARGET95).all())


# --------------------------------------------------------------------------- rules


def floor_rule(floor: np.ndarray) -> Rule:
    """`selection.widening` with the given per-horizon floor in place of the shipped one."""
    return lambda zs, n_ahead: selection.widening(zs, n_ahead, floor=floor[:n_ahead])


HORIZONS = np.arange(1, MAX_H + 1, dtype=float)
BEFORE = floor_rule(np.sqrt(HORIZONS))  # the rule up to this change: sqrt(h)
AFTER: Rule = selection.widening  # the shipped rule


def power_floor(a: float, c: float) -> np.ndarray:
    """Candidate floor max(1, c h^a) at h = 1..MAX_H."""
    return np.maximum(1.0, c * HORIZONS**a)


def tuning_loss(table: pd.DataFrame) -> float:
    """Worst distance of 80 % coverage from 80 %, plus twice the worst shortfall of 95 %
    coverage below 93.5 % (a margin over the 92 % target)."""
    dev80 = float((table["cov80"] - 0.80).abs().max())
    short95 = float(np.maximum(0.0, 0.935 - table["cov95"]).max())
    return dev80 + 2 * short95


def tune(models: list[CutModel]) -> pd.DataFrame:
    """Grid over floors max(1, c h^a) on the tuning half: loss and coverage per candidate."""
    rows = []
    for a in np.round(np.arange(0.5, 1.251, 0.05), 2):
        for c in np.round(np.arange(0.8, 1.41, 0.1), 2):
            pairs = pairs_under(models, "auto", floor_rule(power_floor(a, c)))
            table = coverage_by_h(pairs)
            rows.append({"a": a, "c": c, "loss": tuning_loss(table),
                         **{f"cov80_h{h}": v for h, v in zip(table["h"], table["cov80"],
                                                             strict=True)},
                         **{f"cov95_h{h}": v for h, v in zip(table["h"], table["cov95"],
                                                             strict=True)}})
    return pd.DataFrame(rows).sort_values(["loss", "a", "c"]).reset_index(drop=True)


def tune_scale(models: list[CutModel]) -> tuple[float, pd.DataFrame]:
    """The smallest c (step 0.05) whose floor max(1, c sqrt(h)) meets the target at every h
    on these cuts (the tuning half), and the coverage of every c tried."""
    rows, chosen = [], math.nan
    for c in np.round(np.arange(1.0, 1.501, 0.05), 2):
        table = coverage_by_h(pairs_under(models, "auto", floor_rule(power_floor(0.5, c))))
        ok = meets_target(table)
        if ok and math.isnan(chosen):
            chosen = float(c)
        rows.append({"c": c, "meets target": ok, **wide_row(table)})
    return chosen, pd.DataFrame(rows)


def shape_check(models: list[CutModel]) -> pd.DataFrame:
    """Two-parameter floors max(1, c h^a) on the tuning half: those meeting the target,
    ranked by their worst distance of 80 % coverage from 80 % (is sqrt(h) the right shape?)."""
    rows = []
    for a in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for c in (1.0, 1.1, 1.2, 1.3, 1.4):
            table = coverage_by_h(pairs_under(models, "auto", floor_rule(power_floor(a, c))))
            if meets_target(table):
                dev = float((table["cov80"] - 0.80).abs().max())
                rows.append({"a": a, "c": c, "worst cov80 − 80 %": dev, **wide_row(table)})
    frame = pd.DataFrame(rows)
    return frame.sort_values(["worst cov80 − 80 %", "a", "c"]).head(5) if rows else frame


def wide_row(table: pd.DataFrame) -> dict[str, float]:
    """cov80/cov95 at each h as one row."""
    out = {f"cov80 h={h}": v for h, v in zip(table["h"], table["cov80"], strict=True)}
    out |= {f"cov95 h={h}": v for h, v in zip(table["h"], table["cov95"], strict=True)}
    return out


# --------------------------------------------------------------------------- report


def bootstrap_range(pairs: pd.DataFrame, col: str, reps: int = 200,
                    seed: int = SEED) -> pd.DataFrame:
    """5-95 % range of the mean of `col` by h, resampling whole series (countries): cuts
    of one country overlap, so pairs are not independent."""
    series = pairs["series"].unique()
    by = {s: g for s, g in pairs.groupby("series", sort=True)}
    rng = np.random.default_rng(seed)
    means = []
    for _ in range(reps):
        draw = pd.concat([by[s] for s in rng.choice(series, size=len(series))])
        means.append(draw.groupby("h")[col].mean())
    frame = pd.concat(means, axis=1)
    return pd.DataFrame({"lo": frame.quantile(0.05, axis=1), "hi": frame.quantile(0.95, axis=1)})


def pct(x: float) -> str:
    """A share as a percentage with one decimal."""
    return "—" if pd.isna(x) else f"{100 * x:.1f} %"


def group_table(stats: pd.DataFrame, group: str, ranges: pd.DataFrame) -> list[str]:
    """Markdown table for one group: coverage before/after and drift, MAE_s, by h."""
    lines = ["| h | pairs | cov80 before | cov80 after (5–95 %) | cov95 before | "
             "cov95 after (5–95 %) | drift cov80 | drift cov95 | MAE_s auto | MAE_s drift | "
             "auto ÷ drift |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    mine = stats[stats["group"] == group].set_index(["method", "h"])
    for h in range(1, MAX_H + 1):
        b, a, d = (mine.loc[(m, h)] for m in ("auto (before)", "auto", "drift"))
        r80, r95 = ranges.loc[("cov80", h)], ranges.loc[("cov95", h)]
        lines.append(
            f"| {h} | {int(a['n'])} | {pct(b['cov80'])} | {pct(a['cov80'])} "
            f"({pct(r80['lo'])}–{pct(r80['hi'])}) | {pct(b['cov95'])} | {pct(a['cov95'])} "
            f"({pct(r95['lo'])}–{pct(r95['hi'])}) | {pct(d['cov80'])} | {pct(d['cov95'])} | "
            f"{a['MAE_s']:.2f} | {d['MAE_s']:.2f} | {a['MAE_s'] / d['MAE_s']:.2f} |")
    return lines


def pooled_mase(pairs: pd.DataFrame) -> pd.DataFrame:
    """auto's and drift's MAE_s pooled over h per group, and their ratio (same pairs)."""
    mae = pairs[pairs["method"].isin(["auto", "drift"])].pivot_table(
        index="group", columns="method", values="err_s", aggfunc="mean")
    mae["ratio"] = mae["auto"] / mae["drift"]
    return mae


def mase_breakdown(pairs: pd.DataFrame, by: str) -> pd.DataFrame:
    """WDI (both halves): auto's and drift's MAE_s on the same pairs by training points
    ("n") or by auto's best-scored member ("lead"), to locate where auto loses to drift."""
    wdi = pairs[pairs["group"] != "national"]
    auto = wdi[wdi["method"] == "auto"].reset_index(drop=True)
    drift = wdi[wdi["method"] == "drift"].reset_index(drop=True)
    assert (auto[["series", "cut", "year"]] == drift[["series", "cut", "year"]]).all().all()
    lead = auto["chosen"].str.removeprefix("combo(").str.split("+").str[0].str.rstrip(")")
    key = auto["n_train"] if by == "n" else lead
    rows = []
    for value, idx in auto.groupby(key.to_numpy(), sort=True).groups.items():
        a, d = auto.loc[idx, "err_s"].mean(), drift.loc[idx, "err_s"].mean()
        rows.append({by: value, "pairs": len(idx), "MAE_s auto": a, "MAE_s drift": d,
                     "auto ÷ drift": a / d})
    return pd.DataFrame(rows)


def passing_scales(models: list[CutModel]) -> list[float]:
    """c values (step 0.05, 1-1.5) whose floor meets the target on these cuts (information
    only: used for the held-out half and national series after the choice is made)."""
    out = []
    for c in np.round(np.arange(1.0, 1.501, 0.05), 2):
        if meets_target(coverage_by_h(pairs_under(models, "auto",
                                                  floor_rule(power_floor(0.5, c))))):
            out.append(float(c))
    return out


def shortfalls(stats: pd.DataFrame) -> list[str]:
    """Every (group, h) where `auto` after the change misses the target."""
    out = []
    for _, row in stats[stats["method"] == "auto"].iterrows():
        if not TARGET80[0] <= row["cov80"] <= TARGET80[1]:
            out.append(f"{row['group']} h={row['h']}: 80 % coverage {pct(row['cov80'])}")
        if row["cov95"] < TARGET95:
            out.append(f"{row['group']} h={row['h']}: 95 % coverage {pct(row['cov95'])}")
    return out


def frame_markdown(frame: pd.DataFrame) -> list[str]:
    """A small frame as a markdown table, shares as percentages."""
    def cell(col: str, x: object) -> str:
        if isinstance(x, bool | np.bool_):
            return "yes" if x else "no"
        if col.startswith(("cov", "worst")):
            return pct(float(x))
        if isinstance(x, float):
            return str(int(x)) if x.is_integer() else f"{x:.3g}"
        return str(x)
    head = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---:|" * len(frame.columns)
    rows = ["| " + " | ".join(cell(c, v) for c, v in row.items()) + " |"
            for _, row in frame.iterrows()]
    return [head, rule, *rows]


def describe(cuts: list[Cut], stats: pd.DataFrame, group: str) -> str:
    """'N series, N cuts, N pairs' of one group."""
    mine = [c for c in cuts if c.group == group]
    n_pairs = int(stats[(stats["group"] == group) & (stats["method"] == "auto")]["n"].sum())
    return f"{len({c.series for c in mine})} series, {len(mine)} cuts, {n_pairs} pairs"


def span(stats: pd.DataFrame, group: str, method: str, col: str) -> str:
    """'a–b %': the range over h of one coverage column."""
    vals = stats[(stats["group"] == group) & (stats["method"] == method)][col]
    return f"{100 * vals.min():.0f}–{100 * vals.max():.0f} %"


def reading(stats: pd.DataFrame, mase: pd.DataFrame) -> list[str]:
    """What the tables say, with the figures of this run."""
    def both(g: str, m: str) -> str:
        return f"{span(stats, g, m, 'cov80')} / {span(stats, g, m, 'cov95')}"
    return [
        "- 80 % / 95 % coverage over h = 1..5, before → after: tuning half "
        f"{both('tuning', 'auto (before)')} → {both('tuning', 'auto')}; held-out half "
        f"{both('held-out', 'auto (before)')} → {both('held-out', 'auto')}; national "
        f"series {both('national', 'auto (before)')} → {both('national', 'auto')}.",
        "- The two halves of one panel differ by more than the country-bootstrap range of "
        "either: under the old rule the held-out half was already near 80 %, the tuning half "
        "several points short. A single factor chosen on the tuning half therefore makes the "
        "held-out 80 % intervals wider than needed (above 85 % at some h), while its 95 % "
        "intervals stay above 92 %. The 95 % level decides the choice: four years ahead "
        "on the tuning half it stays near 92 % whatever c (a few outcomes lie far outside "
        "any interval: breaks in the series).",
        f"- Accuracy: `auto` ÷ `drift` (MAE_s, same pairs) {mase.loc['tuning', 'ratio']:.2f} "
        f"on the tuning half, {mase.loc['held-out', 'ratio']:.2f} held-out, "
        f"{mase.loc['national', 'ratio']:.2f} on the national series; widening does not "
        "change it. On the WDI windows `auto` is no more accurate than `drift` and is worse "
        "one year ahead; by training length and by `auto`'s lead member below.",
    ]


def write_report(path: Path, cuts: list[Cut], pairs: pd.DataFrame, stats: pd.DataFrame,
                 tuned: float, grid: pd.DataFrame, shapes: pd.DataFrame,
                 checks: dict[str, list[float]]) -> None:
    """calibration.md: the coverage tables by horizon before/after, the tuning, the misses."""
    auto = pairs[pairs["method"] == "auto"]
    mase = pooled_mase(pairs)
    short = shortfalls(stats)
    titles = {"tuning": "WDI tuning half (the widening was chosen here)",
              "held-out": "WDI held-out half (not used for tuning)",
              "national": "Shipped national series"}
    lines = [
        "# Calibration of `auto`'s intervals by horizon (8-year windows)",
        "",
        "Generated by `benchmarks/calibration.py` (`make bench-calibration`); do not edit by "
        "hand. " + provenance(()),
        "",
        "**What was done.** Every observed year c of a series whose 8-year window "
        f"[c − 7, c] holds ≥ {MIN_POINTS} observations is a cut; `auto` and `drift` were "
        "fitted on that window and forecast 1–5 years ahead; every year observed up to "
        "c + 5 is an outcome. Series: the World Bank WDI R&D expenditure panel "
        "(`benchmarks/data/wdi_rd_expenditure.csv`, % of GDP, bounds [0, 100]), split by "
        "country code into two fixed halves (tuning when the first byte of sha256(code) is "
        "even), and the 9 shipped national series (bounds as in `backtest.py`). All cuts "
        "are used (no sampling). "
        + "; ".join(f"{g}: {describe(cuts, stats, g)}" for g in titles) + ".",
        "",
        "**The rule.** Each member's working-scale scale h years ahead is multiplied by "
        "λ_h = running max of max(floor(h), e_h) (`selection.widening`). Before: floor(h) = "
        f"√h. After: floor(h) = max(1, c √h) with c = {selection.FLOOR_SCALE:g} "
        "(`selection.horizon_floor`), c the smallest value on a 0.05 grid for which the "
        "tuning half meets the target (80 % intervals cover 75–85 % and 95 % cover ≥ 92 % "
        f"at every h = 1..5): this run finds c = {tuned:g}"
        + ("" if tuned == selection.FLOOR_SCALE else " — **differs from the shipped value**")
        + ". Widening scales the t margins only, so medians, and MAE, are unchanged.",
        "",
        "Columns: `before`/`after` = `auto` with the old/new floor; the 5–95 % range "
        "resamples whole series (countries) 200 times, since cuts of one country overlap "
        "and their outcomes are dependent; `MAE_s` = |outcome − median| in units of the "
        "window's mean absolute annual change; `auto ÷ drift` = ratio of MAE_s on the same "
        "pairs (MASE of `auto` relative to `drift`).",
        "",
    ]
    for group, title in titles.items():
        ranges = pd.concat({col: bootstrap_range(auto[auto["group"] == group], col)
                            for col in ("in80", "in95")}).rename(
            index={"in80": "cov80", "in95": "cov95"})
        lines += [f"## {title}", "", *group_table(stats, group, ranges), "",
                  f"Pooled over h: MAE_s auto {mase.loc[group, 'auto']:.2f}, drift "
                  f"{mase.loc[group, 'drift']:.2f}, auto ÷ drift "
                  f"**{mase.loc[group, 'ratio']:.2f}**.", ""]
    lines += ["## Reading", "", *reading(stats, mase), "", "## Where it falls short", ""]
    lines += [f"- {s}" for s in short] or ["- nowhere: every group meets the target at every h"]
    lines += ["", "For information only (after the choice; not used to make it): c values "
              "meeting the target on the held-out half: "
              f"{', '.join(map(str, checks['held-out'])) or 'none'}; on the national "
              f"series: {', '.join(map(str, checks['national'])) or 'none'}.", "",
              "Accuracy (widening leaves medians unchanged), WDI pairs of both halves, by "
              "training points in the window (at n = 8 `auto` always combines its "
              "best-scored model with `damped`, the n = 8, 9 hedge) and by `auto`'s "
              "best-scored member:", "", *frame_markdown(mase_breakdown(pairs, "n")), "",
              *frame_markdown(mase_breakdown(pairs, "lead"))]
    lines += ["", "## Tuning (tuning half only)", "",
              "floor = max(1, c √h), coverage on the tuning half:", "", *frame_markdown(grid),
              "", "Shape check: floors max(1, c h^a) that meet the target on the tuning half, "
              "closest to 80 % first (a = 0.5 is √h):", "", *frame_markdown(shapes), ""]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def write_csv(path: Path, stats: pd.DataFrame) -> None:
    """Coverage and MAE_s by group, method and h, rounded so reruns are byte-identical."""
    stats.round(6).to_csv(path, index=False, lineterminator="\n")


def evaluate(models: list[CutModel]) -> pd.DataFrame:
    """Pairs of `auto` before (old floor), after (shipped rule) and `drift`, all cuts; checks
    on a seeded sample of CHECK_CUTS cuts that the cached `auto` equals `forecast()`."""
    before = pairs_under(models, "auto (before)", BEFORE)
    after = pairs_under(models, "auto", AFTER)
    drift = pair_table([pair_arrays(m.cut, "drift", run_forecast(m.cut, "drift"))
                        for m in models])
    check_replication(sample_cuts(models, CHECK_CUTS))
    return pd.concat([before, after, drift], ignore_index=True)


def check_replication(models: list[CutModel]) -> None:
    """Assert that the cached members widened by the shipped rule give exactly the
    quantiles of `forecast(model="auto")` (the real code path)."""
    for m in models:
        mine, real = m.quantiles(AFTER), run_forecast(m.cut, "auto")
        for key, vals in real.items():
            np.testing.assert_allclose(mine[key], vals, rtol=1e-12,
                                       err_msg=f"{m.cut.series} {m.cut.cut} {key}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fast", action="store_true",
                    help=f"{FAST_CUTS} seeded cuts per group, no tuning grid, print only")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the calibration, print the coverage by horizon and write the results."""
    args = parse_args(argv)
    t0 = time.perf_counter()
    warnings.simplefilter("ignore")  # statsmodels' ETS convergence chatter
    cuts = wdi_cuts() + national_cuts()
    if args.fast:
        cuts = [c for g in ("tuning", "held-out", "national")
                for c in sample_cuts([c for c in cuts if c.group == g], FAST_CUTS)]
    models = [cut_model(c) for c in cuts]
    print(f"{len(cuts)} cuts fitted in {time.perf_counter() - t0:.0f} s", flush=True)
    pairs = evaluate(models)
    stats = coverage_by_h(pairs)
    print(stats.round(3).to_string(index=False))
    print("auto ÷ drift MAE_s:", pooled_mase(pairs)["ratio"].round(3).to_dict())
    print("short of the target:", "; ".join(shortfalls(stats)) or "nowhere")
    if not args.fast:
        tuning = [m for m in models if m.cut.group == "tuning"]
        tuned, grid = tune_scale(tuning)
        shapes = shape_check(tuning)
        checks = {g: passing_scales([m for m in models if m.cut.group == g])
                  for g in ("held-out", "national")}
        print(f"tuned c = {tuned:g} (shipped {selection.FLOOR_SCALE:g}); c passing after the "
              f"fact: {checks}")
        args.out.mkdir(parents=True, exist_ok=True)
        write_report(args.out / "calibration.md", cuts, pairs, stats, tuned, grid, shapes,
                     checks)
        write_csv(args.out / "calibration.csv", stats)
        print(f"wrote {args.out / 'calibration.md'} and calibration.csv")
    print(f"elapsed {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
