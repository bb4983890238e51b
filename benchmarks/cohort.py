"""Cohort model vs the trend models on the national kindergarten enrolment series (issue #19).

Every cut of `kindergarten_enrolment` (data/raw/cn_education_14th/context/kindergartens.csv:
2005-2006 and 2009-2025) with >= 4 points up to the cut and births (context/births.csv) for
its lags [3, 4, 5]: each method is fitted on the data up to the cut (births too: only
those published by then) and scored on the years observed 1..5 years later, as
`backtest.py` scores (its functions are reused: quantiles, pairs, MASE, coverage).

    .venv/bin/python benchmarks/cohort.py                   # the backtest tables
    .venv/bin/python benchmarks/cohort.py --projection 2022 # projections from data through
                                                            # 2022 only (no later enrolment read)
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from backtest import (  # noqa: E402
    LEVELS,
    MAX_H,
    MIN_TRAIN,
    OPTIONAL,
    SEED,
    Quantiles,
    Series,
    Tally,
    fmt,
    pair_rows,
    pct,
    run_method,
    scores,
)

from planlib.core.labels import join_notes  # noqa: E402
from planlib.core.models import eligible_models, forecast  # noqa: E402
from planlib.core.models.cohort import (  # noqa: E402
    CohortForecast,
    cohort_forecast,
    explanation_notes,
)
from planlib.core.models.cohort_choice import DriverData, driven_forecast  # noqa: E402

DATA = HERE.parent / "data" / "raw" / "cn_education_14th" / "context"
SERIES, DRIVER, LAGS = "kindergarten_enrolment", "births", (3, 4, 5)
BOUNDS = (0.0, None)
N_PATHS = 4000  # the cohort model's projected-cohort years are Monte Carlo quantiles
METHODS = ("cohort", "auto+cohort", "auto", "drift", "linear", "log", "damped", "naive",
           "autoets", "autotheta", "autoarima")
WORDS = {"driver": {"zh": "出生人口", "en": "births"},
         "indicator": {"zh": "在园幼儿数", "en": "kindergarten enrolment"},
         "unit": {"zh": "万人", "en": "10k"}}


def load(series: str, file: str, through: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Years and values of one series of a context file, only years <= `through` if given
    (the file's later rows are then never turned into numbers)."""
    frame = pd.read_csv(DATA / file, usecols=["indicator_id", "year", "value"])
    frame = frame[frame["indicator_id"] == series]
    if through is not None:
        frame = frame[frame["year"] <= through]
    frame = frame.sort_values("year")
    return frame["year"].to_numpy("int64"), frame["value"].to_numpy("float64")


def cohort_quantiles(years: np.ndarray, values: np.ndarray, births: tuple[np.ndarray,
                     np.ndarray]) -> Quantiles:
    """The cohort model 1..MAX_H years after the cut, births published by the cut only."""
    cut = int(years[-1])
    by, bv = births
    fc = cohort_forecast(years, values, by[by <= cut], bv[by <= cut], lags=LAGS,
                         target_year=cut + MAX_H, levels=LEVELS, bounds=BOUNDS,
                         n_paths=N_PATHS, seed=SEED).forecast
    q = {"median": fc.median}
    for lv in LEVELS:
        q[f"lo{lv}"], q[f"hi{lv}"] = fc.lower[lv], fc.upper[lv]
    return q


def auto_cohort_quantiles(years: np.ndarray, values: np.ndarray,
                          births: tuple[np.ndarray, np.ndarray]) -> tuple[Quantiles, str]:
    """`auto` as the evaluation runs it for an indicator with a births driver: the cohort
    model when its backtest beats the trends' (outlook.project_series), else the trend."""
    cut = int(years[-1])
    by, bv = births
    trend = forecast(years, values, target_year=cut + MAX_H, levels=LEVELS, bounds=BOUNDS,
                     seed=SEED)
    drv = DriverData(DRIVER, by[by <= cut], bv[by <= cut], LAGS, WORDS["driver"])
    got, _ = driven_forecast(years, values, trend, drv, bounds=BOUNDS, target_year=cut + MAX_H,
                             levels=LEVELS, seed=SEED)
    fc = got.forecast if isinstance(got, CohortForecast) else trend
    q = {"median": fc.median}
    for lv in LEVELS:
        q[f"lo{lv}"], q[f"hi{lv}"] = fc.lower[lv], fc.upper[lv]
    return q, fc.model


def peers() -> tuple[str, ...]:
    """The statsforecast peers if installed (as backtest.py), else none (said once)."""
    available, names = OPTIONAL["statsforecast"]
    if available():
        return names
    print("statsforecast not installed: skipped")
    return ()


def backtest(s: Series, births: tuple[np.ndarray, np.ndarray],
             optional: tuple[str, ...]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Forecast-outcome pairs of every method on every cut of `s`, and seconds per method."""
    rows: list[dict[str, object]] = []
    seconds: dict[str, float] = {}
    tally = Tally()
    for k in range(MIN_TRAIN, len(s.years)):
        years, values = s.years[:k], s.values[:k]
        if s.years[k] - years[-1] > MAX_H:
            continue
        methods = ("cohort", "auto+cohort", "auto", *eligible_models(values, s.bounds, years=years),
                   "naive", *optional)
        for method in methods:
            t0 = time.perf_counter()
            try:
                if method == "cohort":
                    q, used = cohort_quantiles(years, values, births), "cohort"
                elif method == "auto+cohort":
                    q, used = auto_cohort_quantiles(years, values, births)
                else:
                    q, used = run_method(method, years, values, s.bounds)
            except Exception:  # noqa: BLE001 - a peer that cannot fit a cut is skipped
                if method not in optional:
                    raise
                tally.failures[method] = tally.failures.get(method, 0) + 1
                continue
            seconds[method] = seconds.get(method, 0.0) + time.perf_counter() - t0
            # damped fell back to linear
            if method not in ("auto", "auto+cohort") and used != method:
                tally.failures[method] = tally.failures.get(method, 0) + 1
                continue
            rows += pair_rows(s, k, method, q, used)
    pairs = pd.DataFrame(rows)
    pairs["abs_err"] = (pairs["median"] - pairs["actual"]).abs()
    pairs["naive_err"] = (pairs["last"] - pairs["actual"]).abs()
    for lv in LEVELS:
        inside = (pairs[f"lo{lv}"] <= pairs["actual"]) & (pairs["actual"] <= pairs[f"hi{lv}"])
        pairs[f"in{lv}"] = inside.where(pairs[f"lo{lv}"].notna())
    if tally.failures:
        print("skipped fits: " + ", ".join(f"{m} {n}" for m, n in sorted(tally.failures.items())))
    return pairs, seconds


def by_horizon(pairs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per method, one column per h = 1..MAX_H: `metric` with the pair count."""
    rows = []
    for method in METHODS:
        mine = pairs[pairs["method"] == method]
        if mine.empty:
            continue
        row: dict[str, object] = {"method": method}
        for h in range(1, MAX_H + 1):
            grp = mine[mine["h"] == h]
            value = scores(grp)[metric] if len(grp) else math.nan
            shown = fmt(value, 3) if metric == "MASE" else pct(value)
            row[f"h={h}"] = f"{shown} ({len(grp)})"
        all_ = scores(mine)[metric]
        row["all"] = f"{fmt(all_, 3) if metric == 'MASE' else pct(all_)} ({len(mine)})"
        rows.append(row)
    return pd.DataFrame(rows)


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table."""
    head = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" if c == "method" else "---:" for c in frame.columns) + "|"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.to_numpy()]
    return "\n".join([head, rule, *body])


def losses(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per cut: the cohort model's MAE against auto's (same outcomes), where it loses."""
    mine = pairs[pairs["method"].isin(["cohort", "auto"])]
    table = mine.pivot_table(index="cut", columns="method", values="abs_err", aggfunc="mean")
    table["pairs"] = mine[mine["method"] == "cohort"].groupby("cut").size()
    table["cohort_loses"] = table["cohort"] > table["auto"]
    return table.reset_index()


def projection(through: int) -> str:
    """The cohort model's outlook from enrolment and births through `through`, 3 years ahead,
    as a Markdown table and the zh/en explanation of the last year."""
    years, values = load(SERIES, "kindergartens.csv", through)
    births = load(DRIVER, "births.csv", through)
    cf = cohort_forecast(years, values, *births, lags=LAGS, target_year=through + 3,
                         levels=LEVELS, bounds=BOUNDS, n_paths=N_PATHS, seed=SEED)
    fc = cf.forecast
    frame = pd.DataFrame({
        "year": fc.years, "cohort (births t-5..t-3)": np.round(cf.cohort, 0),
        "ratio median": np.round(cf.ratio.median, 3),
        "median": np.round(fc.median, 0),
        "80 % interval": [f"{a:,.0f} – {b:,.0f}" for a, b in
                          zip(fc.lower[80], fc.upper[80], strict=True)],
        "95 % interval": [f"{a:,.0f} – {b:,.0f}" for a, b in
                          zip(fc.lower[95], fc.upper[95], strict=True)],
    })
    last = cf.explanations[-1]
    notes = explanation_notes(last, **WORDS)
    return "\n\n".join([
        f"ratio: {cf.ratio.reason}",
        markdown(frame),
        join_notes(notes, "zh") + "。",
        join_notes(notes, "en") + ".",
    ])


def main(argv: list[str] | None = None) -> int:
    """Print the backtest tables (or, with --projection, the outlook from data through a year)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projection", type=int, metavar="YEAR",
                    help="only project from data through YEAR (later enrolment is not read)")
    ap.add_argument("--no-peers", action="store_true", help="skip statsforecast")
    args = ap.parse_args(argv)
    if args.projection:
        print(projection(args.projection))
        return 0
    t0 = time.perf_counter()
    years, values = load(SERIES, "kindergartens.csv", None)
    s = Series(SERIES, "万人", years, values, BOUNDS)
    pairs, seconds = backtest(s, load(DRIVER, "births.csv", None),
                              () if args.no_peers else peers())
    print(f"cuts: {pairs['cut'].nunique()} ({pairs['cut'].min()}–{pairs['cut'].max()}), "
          f"outcomes through {pairs['year'].max()}; seconds: "
          + ", ".join(f"{m} {v:.1f}" for m, v in seconds.items()))
    for title, metric in (("MASE by horizon (pairs)", "MASE"), ("80 % coverage", "cov80"),
                          ("95 % coverage", "cov95")):
        print(f"\n{title}:\n\n{markdown(by_horizon(pairs, metric))}")
    table = losses(pairs)
    lost = table[table["cohort_loses"]]
    print(f"\ncohort MAE above auto's at {len(lost)} of {len(table)} cuts: "
          + ", ".join(f"{int(r.cut)} ({r.cohort:.0f} vs {r.auto:.0f})"
                      for r in lost.itertuples()))
    print(f"\n{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
