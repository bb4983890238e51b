"""The evaluation shared by forked workers (planlib.core.forked): the same table and the
same rich results as one process, on shipped plans mixing target kinds, flows, areas and
per-series indicators."""

from __future__ import annotations

import pytest
from pandas.testing import assert_frame_equal

from planlib.core import evaluation, forked
from planlib.pipeline import run_plan

needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="workers are forked on Linux")


@needs_fork
@pytest.mark.parametrize("plan_id", ["cn_education_14th", "demo_city_areas"])
def test_two_workers_give_the_evaluation_of_one_process(plan_id: str) -> None:
    here = run_plan(plan_id, write=False, workers=1).evaluation
    shared = run_plan(plan_id, write=False, workers=2).evaluation
    assert_frame_equal(shared.summary_frame(), here.summary_frame(), check_exact=True)
    assert list(shared.tables) == list(here.tables)
    for a, b in zip(here, shared, strict=True):
        assert (b.id, b.region) == (a.id, a.region)
        assert_frame_equal(b.summary_frame(), a.summary_frame(), check_exact=True)
        assert (b.notes, b.p_meet_by_model, b.outlook_status, b.progress_status) == \
            (a.notes, a.p_meet_by_model, a.outlook_status, a.progress_status)


def test_workers_only_from_enough_indicators_and_as_the_environment_says(monkeypatch) -> None:
    monkeypatch.delenv(forked.WORKERS_ENV, raising=False)
    assert forked.workers(evaluation.EVALUATE_POOL_FROM - 1, evaluation.EVALUATE_POOL_FROM) == 1
    monkeypatch.setenv(forked.WORKERS_ENV, "1")
    assert forked.workers(500, evaluation.EVALUATE_POOL_FROM) == 1
    monkeypatch.setenv(forked.WORKERS_ENV, "3")
    assert forked.workers(500, evaluation.EVALUATE_POOL_FROM) == (3 if forked.can_fork() else 1)


def test_forked_map_keeps_the_order_of_its_inputs() -> None:
    items = list(range(23))
    n = 2 if forked.can_fork() else 1
    assert list(forked.forked_map(lambda x: x * x, items, n, chunksize=4)) == \
        [x * x for x in items]
