"""A panel row does not depend on the other rows (1e-9) on long series where damped applies
and on the real WDI corpus; mixtures by hand; regions summary and figures."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from planlib.core.batch.mixture import Member, prob_meet
from planlib.core.batch.synthetic import synthetic_long
from planlib.core.evaluation import evaluate
from planlib.core.models.base import P_FLOOR, Fit, Transform
from planlib.core.models.predictive import Predictive
from planlib.core.regions import region_summary, summary_lines
from planlib.outputs.figures.regions import p_meet_spread, region_ranking, save_png

ROOT = Path(__file__).resolve().parents[2]
WDI = ROOT / "benchmarks" / "data" / "wdi_rd_expenditure.csv"
OUTLOOK = ["model", "median", "lo80", "hi80", "lo95", "hi95", "p_meet"]
SPECS = ("rate", "cover", "count", "fall")  # the shared test indicators (conftest)


def assert_same_outlooks(got: pd.DataFrame, want: pd.DataFrame):
    """Same model label and numbers to 1e-9 (NaN where the other is NaN)."""
    assert list(got["model"]) == list(want["model"])
    for col in OUTLOOK[1:]:
        a, b = got[col].to_numpy(float), want[col].to_numpy(float)
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, equal_nan=True, err_msg=col)


def alone(plan, obs: pd.DataFrame, regions) -> pd.DataFrame:
    """Each region's table row from an evaluation of that region alone."""
    return pd.concat([evaluate(plan, obs[obs["region"] == r], sensitivity=False)
                      .summary_frame() for r in regions], ignore_index=True)


@pytest.mark.slow
@pytest.mark.parametrize("spec_id", SPECS)
def test_damped_rows_do_not_depend_on_the_other_rows(spec_id, make_plan, indicators):
    spec = indicators[spec_id]
    """60 series of 8-12 consecutive years: damped applies everywhere (the n = 8, 9 hedge,
    scored in the backtest from n = 10); each row of the panel equals the series
    evaluated alone (the number of regions is a performance detail)."""
    obs = synthetic_long(60, indicator_id=spec.get("series", spec["id"]),
                         kind="count" if "count" in (spec["id"], spec.get("series")) else
                         "rate", seed=5, years=(8, 12), gap_share=0.0)
    plan = make_plan(spec)
    got = evaluate(plan, obs, sensitivity=False).summary_frame()
    some = got["region"].iloc[::6].tolist()  # 10 of the 60
    assert_same_outlooks(got[got["region"].isin(some)].reset_index(drop=True),
                         alone(plan, obs, some))
    assert got["model"].str.contains("damped").mean() > 0.5


@pytest.mark.slow
def test_real_corpus_rows_do_not_depend_on_the_other_rows(make_plan):
    """135 economies' R&D spending (1996-2014, many gaps), as of 2015: every economy with a
    gap in its data longer than its own horizon to 2020 (its backtest scores outcomes
    further ahead than it forecasts; Georgia, 2005 -> 2013, used to pool the horizons the
    panel kept for its longest row into its widening, P off by 0.004), and the damped
    rows, evaluated alone equal their rows in the panel."""
    obs = pd.read_csv(WDI).assign(flag="")
    plan = make_plan({"id": "rd", "series": "rd_expenditure_gdp_pct", "direction": "increase",
                      "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 1.0}},
                     baseline=2010, target=2020, as_of=2015)
    got = evaluate(plan, obs, sensitivity=False).summary_frame()
    years = obs.sort_values("year").groupby("region")["year"]
    long_gap = set((years.apply(lambda y: y.diff().max()) > 2020 - years.max()).pipe(
        lambda s: s.index[s]))
    damped = set(got.loc[got["model"].str.contains("damped"), "region"])
    assert "GEO" in long_gap and len(damped) >= 15
    batch = got[got["region"].isin(long_gap | damped)].reset_index(drop=True)
    assert_same_outlooks(batch, alone(plan, obs, batch["region"]))


def _fit(center, scale, df, kind="identity", lo=0.0, hi=1.0):
    sigma = 1.0 if scale > 0 else 0.0
    return Fit("m", Transform(kind, lo, hi), np.array([center]), np.array([[scale]]), sigma,
               df, np.zeros(3))


def _hand_quantile(p: float, members: list[Fit]) -> float:
    """The Vincentized mixture's p-quantile by hand: the mean of the members' t quantiles
    (scipy's t.ppf) mapped through the logit's inverse where it applies, clipped to [0, 1]."""
    out = []
    for f in members:
        z = f.center[0] + f.scale[0] * stats.t.ppf(p, f.df) if f.scale[0] > 0 else f.center[0]
        x = stats.logistic.cdf(z) if f.transform.kind == "logit" else z
        out.append(min(max(x, 0.0), 1.0))
    return float(np.mean(out))


def _crossing(members: list[Fit], value: float) -> float:
    """p* where the hand mixture quantile crosses `value` (0 or 1 if it never does)."""
    eps = 1e-15
    if _hand_quantile(eps, members) >= value:
        return 0.0
    if _hand_quantile(1 - eps, members) < value:
        return 1.0
    return float(optimize.brentq(lambda p: _hand_quantile(p, members) - value, eps, 1 - eps,
                                 xtol=1e-14))


@pytest.mark.parametrize("value", [0.2, 0.5, 0.73, 0.999, 1.0, 0.0])
def test_mixture_probability_and_quantiles_by_hand(value):
    """Combinations of logit and identity members, one degenerate: the quantiles are the
    mean of the members' t quantiles, and P(y >= v) = 1 - p*, P(y <= v) = p* where the
    mixture quantile crosses v (found here by scipy's brentq), kept within [P_FLOOR,
    1 - P_FLOOR] unless the bounds settle it -- per series (`Predictive`) and per panel
    row (`prob_meet`) alike."""
    fits = [_fit(0.4, 0.8, 3.0, "logit"), _fit(0.55, 0.1, 7.0), _fit(0.6, 0.0, 4.0)]
    for members in (fits[:2], fits, fits[1:]):
        dist = Predictive(tuple(members), (0.0, 1.0))
        for q in (0.1, 0.5, 0.975):
            assert dist.quantile(q)[0] == pytest.approx(_hand_quantile(q, members), abs=1e-12)
        cross = _crossing(members, value)
        batch = [Member(f"m{i}", Transform(m.transform.kind, np.array([[0.0]]),
                                           np.array([[1.0]]))
                        if m.transform.kind == "logit" else m.transform,
                        m.center, m.scale, np.array([m.df])) for i, m in enumerate(members)]
        use = np.ones((1, len(members)), dtype=bool)
        for at_least in (True, False):
            if at_least:
                want = 1.0 if value <= 0 else 0.0 if value > 1 else 1 - cross
            else:
                want = 1.0 if value >= 1 else 0.0 if value < 0 else cross
            if 0 < value < 1 or (value == 1 and at_least) or (value == 0 and not at_least):
                want = float(np.clip(want, P_FLOOR, 1 - P_FLOOR))
            got = prob_meet(batch, use, np.array([value]), at_least, np.array([0.0]),
                            np.array([1.0]))[0]
            assert got == pytest.approx(want, abs=1e-9)
            fc = dist.prob_at_least(value, 0) if at_least else dist.prob_at_most(value, 0)
            assert fc == got


def test_region_summary_counts_bands_and_the_console_lines():
    table = pd.DataFrame({
        "indicator_id": ["a"] * 5 + ["b"] * 2,
        "outlook_status": ["very_likely", "likely", "unlikely", "very_unlikely",
                           "insufficient_data", "as_likely_as_not", "likely"],
        "p_meet": [0.95, 0.7, 0.2, 0.01, np.nan, 0.5, 0.8],
        "progress_status": ["ahead", "behind", None, "achieved", None, "on_schedule", None],
    })
    s = region_summary(table).set_index("indicator_id")
    assert s.loc["a", "regions"] == 5 and s.loc["a", "with_p_meet"] == 4
    assert (s.loc["a", "on_track"], s.loc["a", "at_risk"]) == (2, 2)
    assert s.loc["a", "at_risk_share"] == 0.5
    assert s.loc["a", "progress_on_track"] == 2
    assert s.loc["b", "p_meet_median"] == pytest.approx(0.65)
    lines = summary_lines(region_summary(table))
    assert len(lines) == 2 and "at risk      2" in lines[0]


@pytest.mark.slow
def test_region_figures_rank_top_and_bottom_and_save_identically(tmp_path):
    rng = np.random.default_rng(1)
    p = rng.random(50)
    table = pd.DataFrame({"indicator_id": "a", "region": [f"R{i:02d}" for i in range(50)],
                          "p_meet": p, "progress_status": None,
                          "outlook_status": np.where(p > 0.5, "likely", "unlikely")})
    fig = region_ranking(table, "a", top=5)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    order = table.sort_values("p_meet", ascending=False)["region"].tolist()
    assert names == order[:5] + order[-5:]
    assert any("40 regions" in t.get_text() for t in ax.texts)
    spread = p_meet_spread(table)
    first = save_png(spread, tmp_path / "a.png").read_bytes()
    assert save_png(p_meet_spread(table), tmp_path / "b.png").read_bytes() == first


@pytest.mark.slow
def test_console_prints_a_region_summary_not_a_line_per_series(out_dir, tmp_path, capsys):
    """70 regions: one summary line for the indicator instead of 70 lines."""
    from planlib.cli import run

    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "plan.yaml").write_text(
        "plan: {id: r, title_zh: 区, baseline_year: 2020, target_year: 2025, as_of: 2023}\n"
        "indicators:\n  - {id: rate, name_zh: 率, direction: increase, bounds: [0, 100],\n"
        "     target: {kind: level_at_least, value: 60}}\n", encoding="utf-8")
    rows = ["indicator_id,region,year,value"]
    for i in range(70):
        rows += [f"rate,R{i:02d},{2020 + k},{40 + i * 0.3 + k * (1 + i % 5)}" for k in range(3)]
    (tmp_path / "p" / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run(["evaluate", "--plan", str(tmp_path / "p"), "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "rate R05" not in out
    line = next(x for x in out.splitlines() if x.strip().startswith("rate "))
    assert "70 regions" in line and "at risk" in line


def test_outlook_bands_equal_the_label_rule_at_the_rounding_edges():
    from planlib.core import labels
    from planlib.core.labels import outlook_statuses

    p = np.concatenate([np.random.default_rng(0).random(5000),
                        np.arange(0, 1.0001, 0.005), [np.nan, 0.895, 0.0999999, 0.9049999]])

    def band(x: float) -> str:  # the documented rule: the band of the printed number
        if np.isnan(x):
            return "insufficient_data"
        return next((code for edge, code in labels.OUTLOOK_CUTOFFS if round(float(x), 2) >= edge),
                    "very_unlikely")

    want = [band(x) for x in p]
    assert list(outlook_statuses(p)) == want
    assert [labels.outlook_status(x) for x in p] == want
