"""One column schema (planlib/core/columns.py): the evaluation table, its dtypes, the Dask
meta, the notebooks' Chinese headers, the processed manifest and the README all follow it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import planlib
from planlib.core import columns
from planlib.core.dask_table import table_meta
from planlib.core.result import CORE_COLUMNS, EXTRA_COLUMNS, table_columns
from planlib.outputs.display.headers import header, localise

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> planlib.PlanRun:
    out = tmp_path_factory.mktemp("processed")
    return planlib.run_plan("demo_city", out_dir=out, levels=(50, 80, 95))


def test_readme_column_table_is_the_schema() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- columns:begin[^>]*-->\n(.*?)\n<!-- columns:end -->", text, re.S)
    assert block is not None, "README lost its generated column table"
    assert block.group(1) == columns.markdown_table(), (
        "README's column table differs from planlib/core/columns.py: paste "
        "columns.markdown_table() between the columns:begin/end markers")


def test_every_column_has_a_dtype_both_headers_and_a_meaning() -> None:
    names = table_columns((80, 95))
    assert names == CORE_COLUMNS + EXTRA_COLUMNS and len(set(names)) == len(names)
    for name in names:
        c = columns.column(name)
        assert c.dtype in {"object", "float64", "int64", "Int64", "boolean"}, name
        assert re.search(r"[\u4e00-\u9fff]", c.zh) and c.en and c.description, name
        assert "{level}" not in c.zh + c.en + c.description, name
    assert columns.column("lo95").zh == "95%区间下限"
    with pytest.raises(KeyError):
        columns.column("lo")


def test_the_table_has_the_schema_s_columns_and_dtypes_for_any_levels(run) -> None:
    table = run.evaluation.summary_frame()
    names = table_columns((50, 80, 95))
    assert list(table.columns) == names
    assert names[names.index("median") + 1:names.index("p_meet")] == [
        "lo50", "hi50", "lo80", "hi80", "lo95", "hi95"]
    meta = table_meta((50, 80, 95))
    assert list(meta.columns) == names
    assert {c: str(t) for c, t in meta.dtypes.items()} == columns.dtypes(names)
    # the table casts to the meta's dtypes without losing a value (as each Dask partition does)
    cast = table.astype(meta.dtypes.to_dict())
    pd.testing.assert_frame_equal(cast, table, check_dtype=False)
    for name in ("baseline_year", "fit_from"):
        assert str(cast[name].dtype) == "Int64"


def test_processed_manifest_describes_the_evaluation_columns(run) -> None:
    manifest_path = next(p for p in run.written if p.name == "manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    block = manifest["columns"]
    assert list(block) == ["evaluation"]  # the observations are not evaluation columns
    names = [c["name"] for c in block["evaluation"]]
    assert names == table_columns((50, 80, 95))
    latest = next(c for c in block["evaluation"] if c["name"] == "latest_value")
    assert latest == {"name": "latest_value", "dtype": "float64", "zh": "最新值",
                      "en": "Latest value", "description": "y, the latest value"}


def test_notebook_headers_come_from_the_schema(run) -> None:
    table = run.evaluation.summary_frame()
    zh = localise(table, "zh")
    assert list(zh.columns) == [columns.column(c).zh for c in table.columns]
    assert len(set(zh.columns)) == len(zh.columns)  # no two columns under one header
    assert list(localise(table, "en").columns) == list(table.columns)
    assert header("year", "zh") == "年份" and header("mase_drift", "zh") == "回测误差MASE：drift"
