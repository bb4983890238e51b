"""planlib.evaluate on a Dask DataFrame, on a real two-process LocalCluster: the same table
as the pandas path."""

import numpy as np
import pandas as pd
import pytest
import yaml

import planlib
from planlib.core.batch.synthetic import synthetic_long
from planlib.core.dask_table import sort_table
from planlib.inputs.plan import parse_plan

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


def _plan():
    inds = [
        {"id": "rate", "name_zh": "率", "direction": "increase", "bounds": [0, 100],
         "target": {"kind": "level_at_least", "value": 90}},
        {"id": "cnt", "name_zh": "数", "direction": "decrease", "bounds": [0, None],
         "target": {"kind": "average_growth", "value": -2}},
    ]
    doc = {"plan": {"id": "t", "title_zh": "测试", "baseline_year": 2020, "target_year": 2025,
                    "as_of": 2023}, "indicators": inds}
    return parse_plan(yaml.safe_dump(doc, allow_unicode=True))


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       host="127.0.0.1", dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.mark.slow
def test_dask_table_equals_the_pandas_table(client):
    plan = _plan()
    # Short series (2-7 points) keep damped out, so both paths run in seconds.
    obs = pd.concat([
        synthetic_long(24, indicator_id="rate", kind="rate", seed=5, years=(3, 7)),
        synthetic_long(24, indicator_id="cnt", kind="count", seed=6, years=(2, 7)),
    ], ignore_index=True)
    ddf = dd.from_pandas(obs, npartitions=4)
    lazy = planlib.evaluate_dask(plan, ddf)
    assert isinstance(lazy, dd.DataFrame)  # lazy: nothing computed yet
    with distributed.get_task_stream(client) as stream:
        got = sort_table(lazy.compute(), plan)
    ran = [t for t in stream.data if "partition_table" in str(t["key"])]
    assert ran and {t["worker"] for t in ran} <= set(client.scheduler_info()["workers"])
    want = planlib.evaluate(plan, obs).summary_frame()
    assert list(got.columns) == list(want.columns)
    assert list(got["region"]) == list(want["region"])
    for col in want.columns:  # every column: numbers to 1e-9, words and notes equal
        if pd.api.types.is_float_dtype(want[col]):
            np.testing.assert_allclose(got[col].astype(float), want[col].astype(float),
                                       rtol=0, atol=1e-9, err_msg=col)
        else:
            assert got[col].astype(str).tolist() == want[col].astype(str).tolist(), col


def test_a_partition_keeps_the_driver_series_its_cohort_rows_read():
    """The 14th plan's kindergarten enrolment follows births (``driver:``): a partition's
    table, made without a cluster, equals `evaluate`'s on the same observations, cohort
    rows included (dropping births from the partition gave those rows a trend instead)."""
    from planlib.core.dask_table import partition_table
    from planlib.core.options import RunOptions

    plan = planlib.load_plan("cn_education_14th")
    obs = planlib.load_observations(plan)
    driven = [ind.id for ind in plan.indicators if ind.driver is not None]
    assert driven  # the shipped plan has one
    opts = RunOptions.checked(plan, sensitivity=False)
    got = sort_table(partition_table(obs, plan, opts), plan).set_index("indicator_id")
    want = planlib.evaluate(plan, obs, options=opts).summary_frame("en") \
        .set_index("indicator_id")
    for ident in driven:
        assert got.loc[ident, "model"] == want.loc[ident, "model"]
        assert "cohort" in str(want.loc[ident, "model"])
        assert got.loc[ident, "median"] == pytest.approx(want.loc[ident, "median"], rel=1e-12)
