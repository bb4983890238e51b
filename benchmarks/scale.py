"""How fast is the evaluation of many regions? All regions at once vs one region at a time.

Synthetic panels of 1k, 10k and 100k series (a saturating rate in (0, 100) % and a positive
count, 8-10 years ending in 2022, noise, a quarter with one or two missing years) and the
real WDI corpus of R&D spending in 135 economies. For each panel: `planlib.evaluate` and
its whole table (`summary_frame`: auto with intervals, P(met), the reason and notes; with
and without the by-model sensitivity), timed in a fresh process so its peak memory (max
RSS) is its own, against `evaluate` called once per region (a panel of one row: what one
series costs; `one_region_at_a_time`) timed on a sample and extrapolated. There is one
path; the number of regions is a performance detail.
Then where the time goes at 100k (CPU timers around each stage), the equality of the two
ways on the real corpus (damped rows included), and planlib's damped fit against
statsmodels' (the oracle) on synthetic series.

    make bench-scale                    # or: .venv/bin/python benchmarks/scale.py
    options: --sizes 1000,10000,100000  --sample 40  --out benchmarks/results

Writes benchmarks/results/scale.md. Timings depend on the machine and on what else runs on
it; the report records the load average next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planlib.core.batch.synthetic import synthetic_long  # noqa: E402
from planlib.core.evaluation import evaluate  # noqa: E402
from planlib.inputs.plan import Plan, parse_plan  # noqa: E402

WDI = ROOT / "benchmarks" / "data" / "wdi_rd_expenditure.csv"
#: Stages timed at the largest panel: (module, function), in the order they run; stages
#: nest (the auto pass holds the backtest and the fits).
STAGES = (
    ("planlib.core.batch.rows", "panel_inputs"),
    ("planlib.core.batch.rows", "batch_progress"),
    ("planlib.core.batch.rows", "batch_forecast"),
    ("planlib.core.batch.auto", "run_backtest"),
    ("planlib.core.batch.fits", "fit_damped_batch"),
    ("planlib.core.batch.auto", "_damped_widening"),
    ("planlib.core.batch.auto", "_members"),
    ("planlib.core.batch.auto", "vincentized"),
    ("planlib.core.batch.auto", "prob_meet"),
    ("planlib.core.batch.rows", "_by_model"),
    ("planlib.core.batch.rows", "_write_prose"),
)


def stage_timers() -> dict[str, float]:
    """Wrap each stage in STAGES with a process-CPU timer (cProfile would inflate the
    row-by-row prose several times); the returned dict fills as they run. Calls of a stage
    from inside itself are counted once."""
    import importlib

    spent: dict[str, float] = {}
    for module_name, name in STAGES:
        module = importlib.import_module(module_name)
        real = getattr(module, name)

        def timed(*a, _real=real, _name=name, **k):
            if _name in _running:
                return _real(*a, **k)
            _running.add(_name)
            start = time.process_time()
            try:
                return _real(*a, **k)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.process_time() - start
                _running.discard(_name)

        setattr(module, name, timed)
    return spent


_running: set[str] = set()


def synthetic_plan() -> Plan:
    """Two indicators: a rate to reach 90 % and a count to cut by 2 % a year."""
    inds = [
        {"id": "rate", "name_zh": "比率", "direction": "increase", "bounds": [0, 100],
         "unit": "%", "target": {"kind": "level_at_least", "value": 90}},
        {"id": "count", "name_zh": "数量", "direction": "decrease", "bounds": [0, None],
         "target": {"kind": "average_growth", "value": -2}},
    ]
    doc = {"plan": {"id": "scale", "title_zh": "规模测试", "baseline_year": 2020,
                    "target_year": 2025, "as_of": 2023}, "indicators": inds}
    return parse_plan(yaml.safe_dump(doc, allow_unicode=True))


def wdi_plan() -> Plan:
    """R&D spending (% of GDP) in 2020 from data to 2014: reach 1 %; grow 3 % a year."""
    series = "rd_expenditure_gdp_pct"
    inds = [
        {"id": "rd_level", "series": series, "name_zh": "研发投入强度", "unit": "%",
         "direction": "increase", "bounds": [0, 100],
         "target": {"kind": "level_at_least", "value": 1.0}},
        {"id": "rd_growth", "series": series, "name_zh": "研发投入强度增长", "unit": "%",
         "direction": "increase", "bounds": [0, 100],
         "target": {"kind": "average_growth", "value": 3}},
    ]
    doc = {"plan": {"id": "wdi", "title_zh": "研发", "baseline_year": 2010,
                    "target_year": 2020, "as_of": 2015}, "indicators": inds}
    return parse_plan(yaml.safe_dump(doc, allow_unicode=True))


def synthetic_panel(n_series: int) -> pd.DataFrame:
    """Half rate, half count series, 8-10 years, a quarter with gaps."""
    half = n_series // 2
    return pd.concat([
        synthetic_long(half, indicator_id="rate", kind="rate", seed=11),
        synthetic_long(n_series - half, indicator_id="count", kind="count", seed=12),
    ], ignore_index=True)


def _rss_mb() -> float:
    """Peak resident memory of this process so far, MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(n_series: int, profile: bool, sensitivity: bool) -> dict:
    """Time `evaluate` and its whole table on one synthetic panel (in this process)."""
    plan, obs = synthetic_plan(), synthetic_panel(n_series)
    base = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    spent = stage_timers() if profile else None
    ev = evaluate(plan, obs, sensitivity=sensitivity)
    table = ev.summary_frame("zh")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    out = {"series": n_series, "wall": wall, "cpu": cpu, "peak_rss_mb": _rss_mb(),
           "base_rss_mb": base, "damped_share": damped_share(obs),
           "vectorised": sorted(ev.tables), "columns": int(table.shape[1]),
           "models": table["model"].str.startswith("combo").mean()}
    if spent is not None:
        out["profile"] = {name: spent.get(name, 0.0) for _, name in STAGES}
        out["profile"]["total"] = cpu
    return out


def damped_share(obs: pd.DataFrame) -> float:
    """Share of series with >= 8 consecutive years, where auto also fits a damped trend."""
    from planlib.core.batch.auto import damped_applies
    from planlib.core.batch.panel import panel_from_long

    keys = obs["indicator_id"] + "/" + obs["region"]
    return float(damped_applies(panel_from_long(obs.assign(region=keys))).mean())


def in_subprocess(n_series: int, profile: bool = False, sensitivity: bool = False) -> dict:
    """run_one in a fresh interpreter, so max RSS is this panel's own."""
    cmd = [sys.executable, __file__, "--one", str(n_series)] + (["--profile"] if profile else [])
    cmd += ["--sensitivity"] if sensitivity else []
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def one_region_at_a_time(plan: Plan, obs: pd.DataFrame, sensitivity: bool = True
                         ) -> pd.DataFrame:
    """The evaluation table from `evaluate` called once per region (in the table's order:
    plan order, regions sorted)."""
    parts = []
    for region in sorted(obs["region"].fillna("").unique()):
        mine = obs[obs["region"].fillna("") == region]
        table = evaluate(plan, mine, sensitivity=sensitivity).summary_frame()
        parts.append(table[table["region"].fillna("") == region])
    table = pd.concat(parts, ignore_index=True)
    order = {ind.id: k for k, ind in enumerate(plan.indicators)}
    at = table["indicator_id"].map(order)
    return table.iloc[np.lexsort((table["region"].fillna("").to_numpy(str),
                                  at.to_numpy()))].reset_index(drop=True)


def per_series_seconds(plan: Plan, obs: pd.DataFrame, sample: int, sensitivity: bool = False
                       ) -> tuple[float, float, int]:
    """Wall and CPU seconds per series of `evaluate` one region at a time on `sample`
    series."""
    keep = []
    for ind in obs["indicator_id"].unique():
        regions = sorted(obs.loc[obs["indicator_id"] == ind, "region"].unique())[:sample // 2]
        keep.append(obs[(obs["indicator_id"] == ind) & obs["region"].isin(regions)])
    part = pd.concat(keep)
    t, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n = len(one_region_at_a_time(plan, part, sensitivity))
    return (time.perf_counter() - t) / n, (time.process_time() - cpu) / n, n


def compare(got: pd.DataFrame, want: pd.DataFrame, rows: np.ndarray | None = None) -> dict:
    """Max abs differences of the outlook columns, model agreement and the share of rows
    whose text columns (reason, notes, P by model...) are all equal."""
    if rows is not None:
        got, want = got[rows], want[rows]
    text = [c for c in want.columns if not pd.api.types.is_float_dtype(want[c])]
    same_text = np.ones(len(got), dtype=bool)
    for col in text:  # missing equals missing (None, NaN and NA alike)
        a, b = got[col], want[col]
        same_text &= ((a.isna() & b.isna()) | (a.astype(str) == b.astype(str))).to_numpy()
    out = {"rows": int(len(got)), "text_columns": len(text),
           "same_text": float(same_text.mean()) if len(got) else 1.0,
           "same_model": float((got["model"].to_numpy() == want["model"].to_numpy()).mean())}
    for col in ["median", "lo80", "hi80", "lo95", "hi95", "p_meet"]:
        a, b = got[col].to_numpy(float), want[col].to_numpy(float)
        both = ~np.isnan(a) & ~np.isnan(b)
        out[col] = float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0
        out[f"{col}_nan_mismatch"] = int((np.isnan(a) != np.isnan(b)).sum())
    a, b = got["p_meet"].to_numpy(float), want["p_meet"].to_numpy(float)
    ok = ~np.isnan(a) & ~np.isnan(b)
    out["p_meet_median_abs"] = float(np.median(np.abs(a[ok] - b[ok]))) if ok.any() else 0.0
    out["same_status"] = float((got["outlook_status"].to_numpy()
                                == want["outlook_status"].to_numpy()).mean())
    return out


def real_corpus() -> dict:
    """The WDI corpus: the table one region at a time against all regions at once, on the
    rows where damped applies and on the others."""
    from planlib.core.batch.auto import damped_applies
    from planlib.core.batch.panel import panel_from_long

    plan, obs = wdi_plan(), pd.read_csv(WDI).assign(flag="")
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = one_region_at_a_time(plan, obs)
    per_series = time.perf_counter() - t
    t = time.perf_counter()
    got = evaluate(plan, obs).summary_frame()
    vectorised = time.perf_counter() - t
    fit = obs[obs["year"] <= plan.plan.as_of - 1]
    applies = damped_applies(panel_from_long(fit[fit["indicator_id"] == plan.indicators[0]
                                                 .series_id]))
    damped_rows = np.tile(applies, len(plan.indicators))  # regions sorted, plan order
    return {"series": len(want), "per_series_s": per_series, "vectorised_s": vectorised,
            "all": compare(got, want), "damped": compare(got, want, damped_rows),
            "damped_rows": int(damped_rows.sum()),
            "damped_models": int(got["model"].str.contains("damped").sum())}


def damped_fit_quality(n: int = 120) -> dict:
    """planlib's damped fit against statsmodels' on n synthetic 10-year series."""
    from damped_fit import compare as fit_compare
    from damped_fit import synthetic

    return fit_compare(synthetic(n))


def report(rows: list[dict], sens: list[dict], per: dict, prof: dict, real: dict,
           damped: dict, load: tuple[float, float, float]) -> str:
    """The markdown report."""
    lines = [
        "# Scale: `planlib.evaluate` on many regions, all at once against one at a time",
        "",
        "Generated by `benchmarks/scale.py` (`make bench-scale`). Synthetic panels: half a "
        "saturating rate in (0, 100) %, half a positive count, 8-10 annual values to 2022, "
        "a quarter of the series with one or two missing years; plan: reach 90 % / cut "
        "the count 2 % a year by 2025, as of 2023. `auto` with 80/95 % intervals and P(met), "
        "damped trends included (planlib's own damped fit). Timed: "
        "`ev = planlib.evaluate(plan, obs)` and `ev.summary_frame('zh')`, the whole table "
        f"({rows[-1]['columns']} columns: progress, model, intervals, P(met), reason, notes "
        "in both languages); one path, whatever the number of regions.",
        "",
        f"**Machine: {os.cpu_count()} cores shared with other engineers' jobs; load average "
        f"at the start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min).** Wall "
        "times therefore include waiting for a core; CPU seconds are this process's own.",
        "",
        "| series | one region at a time CPU (extrapolated) | `evaluate` wall s | CPU s | speed-up "
        "(CPU) | with sensitivity: wall s | CPU s | speed-up (CPU) | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r, q in zip(rows, sens, strict=True):
        cpu = per["cpu_per_series"] * r["series"]
        cpu_s = per["cpu_per_series_sens"] * r["series"]
        lines.append(f"| {r['series']:,} | {cpu:,.0f} s ({cpu / 3600:.1f} h) | "
                     f"{r['wall']:.1f} | {r['cpu']:.1f} | {cpu / r['cpu']:,.0f}× | "
                     f"{q['wall']:.1f} | {q['cpu']:.1f} | {cpu_s / q['cpu']:,.0f}× | "
                     f"{max(r['peak_rss_mb'], q['peak_rss_mb']):,.0f} |")
    lines += ["", "One region at a time: `planlib.evaluate` once per region on a sample of "
              f"{per['n']} series of the same panel: {per['cpu_per_series']:.3f} s CPU a series "
              f"({per['cpu_per_series_sens']:.3f} s with the by-model sensitivity, "
              "`sensitivity=True`, the default)."]
    share = rows[-1]["damped_share"]
    lines += ["", f"In these panels {share:.0%} of the series have 8 or more consecutive years, "
              "where `auto` also fits a damped trend, at every backtest origin of 8+ points "
              "and at the end: one fit "
              "(`planlib.core.models.damped_fit`), so the tables are equal.", ""]
    lines += ["## Where the time goes at the largest panel", "",
              "Process CPU seconds inside each stage, sensitivity on (timers around the "
              "functions, a further run; stages nest: `batch_forecast` is auto's pass and "
              "holds the backtest and the fits, `run_backtest` includes the damped fits at "
              "the backtest origins, `fit_damped_batch` counts every damped fit, `_members` "
              "the final fits; `_by_model` is the single-model passes of the sensitivity, "
              "`_write_prose` the reasons and notes written row by row).", "",
              "| step | s |", "|---|---:|"]
    lines += [f"| `{k}` | {v:.2f} |" for k, v in prof.items()]
    a, d = real["all"], real["damped"]
    lines += [
        "", "## The real corpus: R&D spending, 135 economies (World Bank WDI)", "",
        "Plan: R&D spending ≥ 1 % of GDP in 2020, and 3 % growth a year from 2010, as of "
        f"2015 (data to 2014). {real['series']} series; {real['damped_rows']} of them have "
        f"≥ 8 consecutive years, where `damped` applies ({real['damped_models']} rows have "
        "damped in the chosen model).", "",
        "- `evaluate` (sensitivity on) one region at a time: "
        f"{real['per_series_s']:.1f} s; all regions at once: "
        f"{real['vectorised_s']:.2f} s.",
        f"- all at once against one at a time, all {a['rows']} rows: all "
        f"{a['text_columns']} text columns (model, reason, notes, P by model...) equal in "
        f"{a['same_text']:.0%} of the rows; same model "
        f"{a['same_model']:.0%}, same outlook band {a['same_status']:.0%}; max |Δ| median "
        f"{a['median']:.1e}, lo80 {a['lo80']:.1e}, hi95 {a['hi95']:.1e}, P(met) "
        f"{a['p_meet']:.1e}; NaN mismatches {a['p_meet_nan_mismatch']}.",
        f"- the {d['rows']} rows where damped applies: same model {d['same_model']:.0%}; max "
        f"|Δ| median {d['median']:.1e}, P(met) {d['p_meet']:.1e}.",
        "", "## planlib's damped fit against statsmodels", "",
        f"{damped['series']} synthetic 10-year series (no gaps). Both minimise the same SSE "
        "(additive-error ETS: the likelihood depends on SSE only); statsmodels runs L-BFGS-B "
        "from fixed start values, planlib screens a 300-point grid for all series at once, "
        "rescores each series' best points exactly and polishes two of them "
        "(`benchmarks/damped_fit.py` for the real series).", "",
        f"- same optimum (SSE within 0.1 %): {damped['same']:.0%}; lower SSE than "
        f"statsmodels (it stopped at a local optimum): {damped['lower']:.0%}; higher: "
        f"{damped['higher']:.0%} (largest excess {damped['max_excess']:.1e}).",
        f"- time per fit: planlib {damped['planlib_ms']:.1f} ms alone, "
        f"{damped['planlib_batched_ms']:.2f} ms batched; statsmodels "
        f"{damped['statsmodels_ms']:.1f} ms.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sensitivity", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.profile, args.sensitivity)))
        return
    load = os.getloadavg()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows, sens = [], []
    for n in sizes:
        for sensitivity, out in ((False, rows), (True, sens)):
            out.append(in_subprocess(n, sensitivity=sensitivity))
            r = out[-1]
            print(f"evaluate {n:>7,} series (sensitivity {sensitivity}): {r['wall']:.1f} s "
                  f"wall, {r['cpu']:.1f} s CPU, peak {r['peak_rss_mb']:,.0f} MB", flush=True)
    prof = in_subprocess(sizes[-1], profile=True, sensitivity=True)["profile"]
    print("profile at", f"{sizes[-1]:,}:", {k: round(v, 2) for k, v in prof.items()})
    panel = synthetic_panel(max(args.sample * 4, 200))
    s, cpu, n = per_series_seconds(synthetic_plan(), panel, args.sample)
    _, cpu_sens, _ = per_series_seconds(synthetic_plan(), panel, args.sample, True)
    per = {"s_per_series": s, "cpu_per_series": cpu, "cpu_per_series_sens": cpu_sens, "n": n}
    print(f"per-series: {cpu:.3f} s CPU a series, {cpu_sens:.3f} with sensitivity "
          f"(sample of {n})", flush=True)
    real = real_corpus()
    print(f"WDI: per-series {real['per_series_s']:.1f} s, vectorised "
          f"{real['vectorised_s']:.1f} s", flush=True)
    damped = damped_fit_quality()
    print(f"damped fit vs statsmodels: same optimum {damped['same']:.0%}, lower "
          f"{damped['lower']:.0%}, higher {damped['higher']:.0%}", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    text = report(rows, sens, per, prof, real, damped, load)
    (out / "scale.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
