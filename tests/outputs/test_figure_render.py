"""Figures drawn in worker processes (planlib.outputs.figures.render): the same bytes, in
the same order, as drawing each here, and a worker's font warning still reaches the
caller."""

from __future__ import annotations

import sys
import warnings

import pandas as pd
import pytest

from planlib.core.evaluation import evaluate
from planlib.fonts.coverage import FontCoverageWarning
from planlib.outputs.figures import charts, render, style

OUTSIDE = "𠀀"  # U+20000: in no shipped font
needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="workers are forked on Linux only")


def _evaluation(make_plan, obs, name: str = "覆盖率"):
    """Three rate indicators (six figures: three charts, overview, progress, outlook)."""
    plan = make_plan(*({"id": f"r{i}", "name_zh": f"{name}{i}", "name_en": f"rate {i}",
                        "unit": "%", "bounds": [0, 100],
                        "target": {"kind": "level_at_least", "value": 80 + i}}
                       for i in range(3)))
    rows = [obs(f"r{i}", {y: 50 + 3 * i + (2 + i) * (y - 2017) for y in range(2017, 2023)})
            for i in range(3)]
    return evaluate(plan, pd.concat(rows, ignore_index=True), sensitivity=False)


@pytest.mark.slow
@needs_fork
def test_two_workers_give_the_bytes_and_order_of_drawing_each_figure_here(make_plan, obs):
    recipes = charts.figure_recipes(_evaluation(make_plan, obs), "zh")
    here = list(render.rendered(recipes, ("png", "svg"), n_workers=1))
    pooled = list(render.rendered(recipes, ("png", "svg"), n_workers=2))
    assert [stem for stem, _ in pooled] == [stem for stem, _ in recipes]
    assert [stem for stem, _ in here] == [stem for stem, _ in recipes]
    assert pooled == here  # every file name and every byte
    fresh = style.figure_files(recipes[-1][1](), recipes[-1][0], ("png", "svg"))
    assert pooled[-1][1] == fresh  # drawn after five others or alone: the same bytes


@pytest.mark.slow
@needs_fork
def test_a_font_warning_raised_in_a_worker_is_raised_to_the_caller(make_plan, obs,
                                                                    monkeypatch):
    monkeypatch.setenv(style.FONT_ENV, "shipped")
    style._cached_cjk_family.cache_clear()
    try:
        recipes = charts.figure_recipes(_evaluation(make_plan, obs, f"张{OUTSIDE}率"), "zh")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            list(render.rendered(recipes[:2], ("png",), n_workers=2))
    finally:
        style._cached_cjk_family.cache_clear()
    ours = [str(w.message) for w in caught if issubclass(w.category, FontCoverageWarning)]
    assert len(ours) == 2, ours  # one per chart's title, each naming its file
    assert [recipes[0][0] in ours[0], recipes[1][0] in ours[1]] == [True, True]
    assert all(f"{OUTSIDE} (U+20000)" in m for m in ours)


def test_workers_only_for_many_figures_and_as_the_environment_says(monkeypatch):
    monkeypatch.delenv(render.WORKERS_ENV, raising=False)
    assert render.workers(render.POOL_FROM - 1) == 1
    monkeypatch.setenv(render.WORKERS_ENV, "1")
    assert render.workers(500) == 1
    monkeypatch.setenv(render.WORKERS_ENV, "3")
    expected = 3 if sys.platform.startswith("linux") else 1
    assert render.workers(500) == expected
    assert render.workers(2) == 1


def test_the_layout_runs_once_for_all_three_formats(make_plan, obs, monkeypatch):
    """One constrained-layout pass per figure (two cost a tenth of a figure's time more and
    moved nothing visibly), then PNG, SVG and PDF from it."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    runs: list[int] = []
    real = ConstrainedLayoutEngine.execute
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute",
                        lambda self, fig: (runs.append(1), real(self, fig))[1])
    recipes = charts.figure_recipes(_evaluation(make_plan, obs), "zh")
    stem, draw = recipes[0]
    files = style.figure_files(draw(), stem)
    assert [name for name, _ in files] == [f"{stem}.png", f"{stem}.svg", f"{stem}.pdf"]
    assert len(runs) == 1
