"""Processing writes tidy observations, the evaluation and a manifest: atomically,
reproducibly (byte-identical reruns) and never inside data/raw."""

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from planlib import config
from planlib.cli import run
from planlib.outputs.files.atomic import write_bytes_atomic

PLANS = ["cn_education_14th", "cn_education_2020", "demo_city"]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _raw_digest() -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(config.RAW_DIR.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    raw_before = _raw_digest()
    assert run(["evaluate", "--plan", "all", "--out", str(out)]) == 0
    assert _raw_digest() == raw_before, "data/raw must never be written"
    return out


@pytest.mark.slow
@pytest.mark.parametrize("plan_id", PLANS)
def test_every_shipped_plan_is_processed(evaluated, plan_id):
    folder = evaluated / plan_id
    names = {p.name for p in folder.iterdir()}
    assert names == {"observations.csv", "observations.parquet", "evaluation.csv",
                     "evaluation.parquet", "manifest.json"}
    csv = pd.read_csv(folder / "observations.csv", encoding="utf-8-sig")
    parquet = pd.read_parquet(folder / "observations.parquet")
    assert len(csv) == len(parquet) > 0
    assert (folder / "observations.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.slow
def test_national_observations_keep_sources_and_flags(evaluated):
    obs = pd.read_parquet(evaluated / "cn_education_14th" / "observations.parquet")
    # observations.csv (99 rows kept: 28 kindergarten values are repeated by context/),
    # updates/national_2023_2025.csv (15), context/births.csv (57), kindergartens.csv (37)
    assert len(obs) == 99 + 15 + 57 + 37
    row = obs[(obs.indicator_id == "compulsory_retention") & (obs.year == 2010)].iloc[0]
    assert row.value == 91.1 and row.flag == "derived" and row.confidence == "medium"
    assert "NBS" in row.source


@pytest.mark.slow
def test_manifest_hashes_inputs_and_outputs(evaluated):
    folder = evaluated / "demo_city"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [i["path"] for i in manifest["inputs"]] == [
        "data/raw/demo_city/observations.csv", "data/raw/demo_city/updates/2022.xlsx"]
    raw = config.RAW_DIR / "demo_city" / "observations.csv"
    assert manifest["inputs"][0]["sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    outputs = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    digest = _digest(folder)
    assert outputs == {k: v for k, v in digest.items() if k != "manifest.json"}
    assert manifest["parameters"] == {"as_of": 2023, "levels": [80, 95], "model": "auto",
                                      "plan_id": "demo_city", "seed": 0}
    assert "created" not in manifest


@pytest.mark.slow
def test_rerun_is_byte_identical(evaluated, tmp_path):
    assert run(["evaluate", "--plan", "all", "--out", str(tmp_path)]) == 0
    for plan_id in PLANS:
        assert _digest(tmp_path / plan_id) == _digest(evaluated / plan_id)


@pytest.mark.slow
def test_source_date_epoch_is_recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run(["evaluate", "--plan", "demo_city", "--out", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["created"] == "2023-11-14T22:13:20+00:00"


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "table.csv"
    write_bytes_atomic(target, b"good")
    with pytest.raises(TypeError):
        write_bytes_atomic(target, object())  # type: ignore[arg-type]
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
