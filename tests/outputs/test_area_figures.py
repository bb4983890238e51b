"""Figures of a total and its areas (issue #18 item 4): the total's chart, a ranking and
small multiples per indicator, never one chart per area beyond ~10 areas; the ranking
plots the table's numbers."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from planlib.core.evaluation import evaluate
from planlib.inputs.plan import load_plan
from planlib.outputs.figures import charts, regions
from planlib.outputs.report.areas import area_frame
from planlib.pipeline import run_plan


def _evaluation(tmp_path, n_areas: int):
    """A city (total) and ``n_areas`` 街道 of one count; every third area has a target."""
    areas = [f"第{i:02d}街道" for i in range(n_areas)]
    count = {"id": "places", "name_zh": "托位数", "name_en": "Childcare places", "unit": "个",
             "direction": "increase", "bounds": [0, None],
             "target": {"kind": "level_at_least", "value": 1200 * n_areas},
             "targets_by_region": {a: 1100 + 20 * i for i, a in enumerate(areas) if i % 3 == 0}}
    doc = {"plan": {"id": "city", "title_zh": "市", "baseline_year": 2020,
                    "target_year": 2025, "as_of": 2023}, "indicators": [count]}
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                        encoding="utf-8")
    rows = ["indicator_id,region,year,value"]
    for k, year in enumerate(range(2016, 2023)):
        values = [900 + 10 * i + (20 + i % 7) * k for i in range(n_areas)]
        rows.append(f"places,,{year},{sum(values)}")
        rows += [f"places,{a},{year},{v}" for a, v in zip(areas, values, strict=True)]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = run_plan(load_plan(tmp_path / "plan.yaml"), write=False)
    return evaluate(run.plan, run.loaded.frame, sensitivity=False)


@pytest.mark.slow
def test_many_areas_get_a_ranking_and_multiples_not_a_chart_each(tmp_path) -> None:
    """40 areas: the total's chart, its ranking and one page of multiples of the lowest
    judged areas (at most 30), then the plan charts -- no area's own chart."""
    ev = _evaluation(tmp_path, 40)
    drawn = dict(charts.figure_set(ev, "en"))
    assert list(drawn) == ["indicator_places", "indicator_places_area_ranking",
                           "indicator_places_area_multiples", "overview", "progress",
                           "outlook"]
    areas = area_frame(ev)
    judged = areas[areas["p_meet"].notna()]
    multiples = drawn["indicator_places_area_multiples"]
    titles = [ax.get_title() for ax in multiples.axes if ax.axison]
    assert titles == list(judged.tail(regions.MULTIPLES)["region"])
    assert "Childcare places" in multiples.texts[0].get_text()
    ranking = drawn["indicator_places_area_ranking"].axes[0]
    dots = ranking.collections[-1].get_offsets()[:, 0]
    np.testing.assert_allclose(dots, judged["p_meet"].astype(float).to_numpy())
    assert ranking.get_title() == "Childcare places: areas ranked"


@pytest.mark.slow
def test_few_areas_keep_a_chart_each(tmp_path) -> None:
    """Up to AREA_CHARTS_UP_TO areas, each area keeps its own chart beside the ranking."""
    ev = _evaluation(tmp_path, 4)
    stems = [stem for stem, _ in charts.figure_set(ev, "zh")]
    assert len(stems) == 1 + 4 + 2 + 3
    assert stems[-5:-3] == ["indicator_places_area_ranking", "indicator_places_area_multiples"]


@pytest.mark.slow
def test_ranking_keeps_areas_without_their_own_target(tmp_path) -> None:
    """Areas with no target of their own (无分区目标) are ranked too: in a panel of their
    own, by latest value, marked as such -- none is left out of the chart."""
    ev = _evaluation(tmp_path, 9)  # areas 0, 3, 6 have a target; six have none
    areas = area_frame(ev)
    for lang, mark in (("zh", "无分区目标"), ("en", "no area target")):
        fig = regions.area_ranking(areas, ev["places", ""], lang=lang)
        judged_ax, rest_ax = fig.axes
        judged = areas[areas["p_meet"].notna()]
        rest = areas[areas["p_meet"].isna()].sort_values("latest_value", ascending=False)
        assert len(judged) == 3 and len(rest) == 6
        np.testing.assert_allclose(judged_ax.collections[-1].get_offsets()[:, 0],
                                   judged["p_meet"].astype(float).to_numpy())
        np.testing.assert_allclose(rest_ax.collections[-1].get_offsets()[:, 0],
                                   rest["latest_value"].astype(float).to_numpy())
        names = [t.get_text() for t in rest_ax.get_yticklabels()]
        assert names == list(rest["region"])
        title = rest_ax.get_title(loc="left")
        assert mark in title and "6" in title


@pytest.mark.slow
def test_the_plan_charts_build_no_area_result(tmp_path) -> None:
    """40 areas: listing the recipes and drawing the outlook chart (whose title needs the
    plan's stage, from every result's latest year) evaluate no area again per series; only
    the multiples do, for the areas they show. The stage's years are every result's."""
    ev = _evaluation(tmp_path, 40)
    before = set(ev.results._built)

    def rebuilt() -> set:
        return {k for k in set(ev.results._built) - before if k[1]}

    recipes = dict(charts.figure_recipes(ev, "en"))
    recipes["outlook"]()
    assert rebuilt() == set()
    multiples = recipes["indicator_places_area_multiples"]()
    shown = {("places", ax.get_title()) for ax in multiples.axes if ax.axison}
    assert shown and rebuilt() <= shown
    every = np.array([np.nan if r.latest_year is None else r.latest_year for r in ev], float)
    np.testing.assert_array_equal(np.sort(ev.latest_years()), np.sort(every))
