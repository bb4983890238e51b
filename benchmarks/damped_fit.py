"""planlib's damped fit against statsmodels' ETSModel (the oracle), on the same series.

Both minimise the same SSE (additive-error ETS(A,Ad,N): the likelihood depends on the SSE
only, and the initial states are free), statsmodels by L-BFGS-B from fixed start values,
planlib by `planlib.core.models.damped_fit` (grid screen, exact rescoring, polished
starts). Three sets of series: 120 synthetic 10-year series (half saturating rates, half
counts), and every window that `auto` fits -- the first k >= 8 years of each run of
consecutive years -- of the shipped national series and of the WDI R&D corpus. Per set:
share of series where planlib's SSE is within 0.1 % of statsmodels', lower, higher; the
largest relative excess; time per fit (planlib one series at a time and all at once);
whether a series' SSE alone equals its SSE among the others (bit for bit).

    .venv/bin/python benchmarks/damped_fit.py   # writes benchmarks/results/damped_fit.md
"""

from __future__ import annotations

import os

# One BLAS thread: L-BFGS-B's many tiny BLAS calls otherwise spin idle threads, which on a
# loaded machine made statsmodels' fit cost ~10x the CPU (190 ms instead of 20 ms).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planlib.core.batch.synthetic import synthetic_long  # noqa: E402
from planlib.core.models.damped_fit import MIN_N, fit_params  # noqa: E402

NATIONAL = ROOT / "data" / "raw" / "cn_education_14th" / "observations.csv"
WDI = ROOT / "benchmarks" / "data" / "wdi_rd_expenditure.csv"
TOL = 1e-3  # "same optimum": SSE within 0.1 %


def statsmodels_sse(y: np.ndarray) -> float:
    """SSE of statsmodels' ETS(A,Ad,N) maximum-likelihood fit (inf if it fails)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True).fit(
                disp=False)
        except Exception:  # noqa: BLE001 - a failed oracle fit is reported, not raised
            return float("inf")
    return float(np.sum(np.asarray(res.resid) ** 2))


def windows(frame: pd.DataFrame, key: str) -> list[np.ndarray]:
    """The first k >= MIN_N values of every run of consecutive years, per series."""
    out = []
    for _, g in frame.sort_values([key, "year"]).groupby(key):
        years, values = g["year"].to_numpy(), g["value"].to_numpy(float)
        breaks = np.flatnonzero(np.diff(years) != 1) + 1
        for run_y, run_v in zip(np.split(years, breaks), np.split(values, breaks), strict=True):
            out += [run_v[:k] for k in range(MIN_N, len(run_y) + 1)]
    return out


def synthetic(n: int = 120) -> list[np.ndarray]:
    """n synthetic 10-year series without gaps (as benchmarks/scale.py)."""
    obs = pd.concat([synthetic_long(n // 2, indicator_id="a", kind="rate", seed=3,
                                    years=(10, 10), gap_share=0),
                     synthetic_long(n - n // 2, indicator_id="b", kind="count", seed=4,
                                    years=(10, 10), gap_share=0)])
    return [g["value"].to_numpy(float) for _, g in obs.groupby(["indicator_id", "region"])]


def compare(series: list[np.ndarray]) -> dict:
    """planlib's SSE against statsmodels' on every series, with timings."""
    t = time.perf_counter()
    ours = np.array([fit_params(y[None, :]).sse[0] for y in series])
    one_s = (time.perf_counter() - t) / len(series)
    t = time.perf_counter()
    by_len: dict[int, list[int]] = {}
    for i, y in enumerate(series):
        by_len.setdefault(len(y), []).append(i)
    batched = np.empty(len(series))
    for idx in by_len.values():
        batched[idx] = fit_params(np.stack([series[i] for i in idx])).sse
    batch_s = (time.perf_counter() - t) / len(series)
    t = time.perf_counter()
    ref = np.array([statsmodels_sse(y) for y in series])
    sm_s = (time.perf_counter() - t) / len(series)
    scale = np.maximum(ref, 1e-12 * np.array([np.sum(y**2) for y in series]))
    rel = (ours - ref) / scale
    return {"series": len(series), "same": float(np.mean(np.abs(rel) <= TOL)),
            "lower": float(np.mean(rel < -TOL)), "higher": float(np.mean(rel > TOL)),
            "max_excess": float(max(rel.max(), 0.0)),
            "alone_equals_batched": bool(np.array_equal(ours, batched)),
            "planlib_ms": 1e3 * one_s, "planlib_batched_ms": 1e3 * batch_s,
            "statsmodels_ms": 1e3 * sm_s}


def main() -> None:
    national = pd.read_csv(NATIONAL)
    wdi = pd.read_csv(WDI)
    sets = {"synthetic 10-year series": synthetic(),
            "national series (cn_education_14th), windows": windows(national, "indicator_id"),
            "WDI R&D corpus, windows": windows(wdi, "region")}
    lines = ["# planlib's damped fit against statsmodels", "",
             "Generated by `benchmarks/damped_fit.py`. SSE of the one-step errors at each "
             "fit's optimum; \"same\" = within 0.1 % of statsmodels'. Windows: the first "
             "k >= 8 years of each run of consecutive years (the fits `auto`'s backtest "
             "makes). Times per fit with one BLAS thread.", "",
             "| series set | n | same | lower | higher | max excess | planlib ms/fit "
             "(alone / batched) | statsmodels ms/fit | alone = batched |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, series in sets.items():
        r = compare(series)
        print(name, r, flush=True)
        lines.append(f"| {name} | {r['series']} | {r['same']:.1%} | {r['lower']:.1%} | "
                     f"{r['higher']:.1%} | {r['max_excess']:.1e} | {r['planlib_ms']:.1f} / "
                     f"{r['planlib_batched_ms']:.2f} | {r['statsmodels_ms']:.1f} | "
                     f"{'yes' if r['alone_equals_batched'] else 'NO'} |")
    out = ROOT / "benchmarks" / "results" / "damped_fit.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
