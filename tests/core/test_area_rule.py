"""Areas judged (issue #18): an area against its own target, a count without one not
judged (no_area_target), a rate's floor applied; each row its own series' numbers;
the CLI and the report count areas apart from the total."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from reference import assert_rows_are_the_reference

from planlib.core.evaluation import evaluate
from planlib.core.regions import area_line, area_summary, count_words
from planlib.inputs.plan import load_plan
from planlib.outputs.report.section import build_section
from planlib.pipeline import run_plan

AREAS = ("东城街道", "西城街道", "南湖镇")


def _plan(tmp_path, targets: dict[str, float] | None = None, floor: float = 80):
    """A city (total) with three areas: a rate (floor 80) and a count (target 12,000)."""
    count = {"id": "places", "name_zh": "托位数", "unit": "个", "direction": "increase",
             "bounds": [0, None], "target": {"kind": "level_at_least", "value": 12000}}
    if targets:
        count["targets_by_region"] = targets
    doc = {"plan": {"id": "city", "title_zh": "市", "baseline_year": 2020,
                    "target_year": 2025, "as_of": 2024},
           "indicators": [{"id": "rate", "name_zh": "覆盖率", "unit": "%", "bounds": [0, 100],
                           "direction": "increase",
                           "target": {"kind": "level_at_least", "value": floor}}, count]}
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                        encoding="utf-8")
    rows = ["indicator_id,region,year,value"]
    for k, year in enumerate(range(2017, 2024)):
        rows.append(f"rate,,{year},{70 + k}")
        rows.append(f"places,,{year},{9000 + 300 * k}")
        for j, area in enumerate(AREAS):
            rows.append(f"rate,{area},{year},{66 + 4 * j + k * (0.5 + j)}")
            rows.append(f"places,{area},{year},{3000 + 100 * k}")
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return load_plan(tmp_path / "plan.yaml")


def _rows(table: pd.DataFrame, ident: str) -> pd.DataFrame:
    part = table[table["indicator_id"] == ident]
    return part.set_index(part["region"].fillna(""))


def test_own_target_judged_count_without_one_not_judged_rate_floor(tmp_path):
    """东城街道's own 3,800 is its target; 西城街道 and 南湖镇 (count, no target) are
    no_area_target with no P; every area of the rate is judged against the 80 % floor."""
    plan = _plan(tmp_path, {"东城街道": 3800})
    run = run_plan(plan, write=False)
    ev = evaluate(run.plan, run.loaded.frame, sensitivity=False)
    table = ev.summary_frame()
    places = _rows(table, "places")
    assert places.loc["", "target_value"] == 12000
    assert places.loc["东城街道", "target_value"] == 3800
    assert places.loc["东城街道", "latest_value"] == 3600  # 3000 + 100 × 6, judged: P known
    # the trend reaches ~3,900 in 2025: its own 3,800 very likely met (the city's 12,000
    # would never be)
    assert places.loc["东城街道", "p_meet"] > 0.9
    assert places.loc["东城街道", "outlook_status"] == "very_likely"
    for area in ("西城街道", "南湖镇"):
        row = places.loc[area]
        assert row["outlook_status"] == "no_area_target"
        assert math.isnan(row["p_meet"]) and math.isnan(row["progress_share"])
        assert row["outlook_status_zh"] == "无分区目标"
        assert row["median"] > 3600  # the outlook is still shown
        assert "no_area_target" in row["note_codes"].split(",")
    rate = _rows(table, "rate")
    assert (rate["target_value"] == 80).all()
    assert rate["p_meet"].notna().all()
    assert set(table.loc[table["region"].fillna("") == "", "region_role"]) == {"total"}
    assert set(table.loc[table["region"].fillna("") != "", "region_role"]) == {"area"}


@pytest.mark.parametrize("targets", [{"东城街道": 3800},
                                     {"东城街道": 3800, "南湖镇": 3500, "西城街道": 12000}])
def test_each_area_is_judged_by_its_own_target_in_one_pass(tmp_path, targets):
    """Areas of different own targets (one per row of the panel, in one pass) beside an
    area judged by none: each row is its own series judged against its own target, and an
    area evaluated alone gives its row of the whole."""
    plan = _plan(tmp_path, targets)
    run = run_plan(plan, write=False)
    frame = run.loaded.frame
    b = evaluate(run.plan, frame).summary_frame()
    assert_rows_are_the_reference(b, run.plan, frame)
    for area in targets:
        alone = evaluate(run.plan, frame[frame["region"].fillna("") == area]).summary_frame()
        mine = b[b["region"].fillna("") == area].reset_index(drop=True)
        pd.testing.assert_frame_equal(alone, mine, check_dtype=False, atol=1e-9)
    own = _rows(b, "places")["target_value"]
    assert [own.get(r) for r in targets] == list(targets.values())


def test_area_summary_counts_areas_not_the_total(tmp_path):
    plan = _plan(tmp_path, {"东城街道": 3800})
    table = run_plan(plan, write=False).table
    s = area_summary(table).set_index("indicator_id")
    assert s.loc["rate", "areas"] == 3 and s.loc["places", "areas"] == 3
    assert s.loc["places", "no_area_target"] == 2
    bands = s.loc["rate", ["on_track", "at_risk", "behind"]].sum()
    assert bands == 3
    assert count_words(10, ["城关街道", "南湖镇"], "zh") == "10个街道（镇）"
    assert count_words(4, ["东片", "西片"], "en") == "4 areas"


def test_cli_prints_the_total_and_the_areas_counted(tmp_path, out_dir, capsys):
    from planlib.cli import run

    (tmp_path / "p").mkdir()
    _plan(tmp_path / "p", {"东城街道": 3800})
    assert run(["evaluate", "--plan", str(tmp_path / "p"), "--out", str(out_dir),
                "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    lines = [x for x in out.splitlines() if "个街道（镇）" in x]
    assert len(lines) == 2  # one per indicator, never one per area
    assert "无分区目标2个" in lines[1]
    assert "places 东城街道" not in out


def test_demo_city_areas_report_counts_indicators_and_tables_areas():
    """The shipped example: 3 indicators (not 15), one area table per indicator, the
    areas to watch named, no paragraph per area."""
    run = run_plan("demo_city_areas", write=False)
    section = build_section(run.evaluation, "zh", figures=False)
    md = section.markdown
    assert "本规划共设3项主要指标" in md
    assert "3项指标除全域外，另对4个街道（镇）分别评估" in md
    assert md.count("分地区进展与预测") == 3
    assert "需要关注的地区" in md
    assert len(section.paragraphs) == 3  # the totals' paragraphs only
    table = run.table
    coverage = _rows(table, "public_benefit_kg_coverage")
    assert coverage.loc["城关街道", "target_value"] == 90  # its own 2025年目标
    assert coverage.loc["南湖镇", "target_value"] == 85


@pytest.mark.slow
def test_report_is_bounded_at_many_areas(tmp_path):
    """200 areas: the area table lists 30, counts the rest, and the section has no more
    paragraphs than indicators."""
    rng = np.random.default_rng(3)
    plan = _plan(tmp_path)
    rows = ["indicator_id,region,year,value"]
    for year in range(2017, 2024):
        rows.append(f"rate,,{year},{70 + year - 2017}")
        rows.append(f"places,,{year},{9000 + 300 * (year - 2017)}")
        for i in range(200):
            rows.append(f"rate,A{i:03d}街道,{year},{60 + rng.normal(0, 1) + (year - 2017)}")
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = run_plan(plan, write=False)
    section = build_section(run.evaluation, "en", figures=False)
    assert len(section.paragraphs) == 2
    assert "Only the lowest 30 of 200 are listed" in section.markdown


def test_area_line_leaves_out_zero_counts_and_brackets_p_in_the_language(tmp_path):
    table = run_plan(_plan(tmp_path, {"东城街道": 3800}), write=False).table
    s = area_summary(table).set_index("indicator_id")
    row = {**s.loc["places"].to_dict(), "worst": [("南湖镇", 0.12)]}
    zh, en = area_line(row, "zh"), area_line(row, "en")
    assert "南湖镇（0.12）" in zh and " (" not in zh
    assert "南湖镇 (0.12)" in en
    assert "无分区目标2个" in zh and "0个" not in zh  # 东城街道 judged, two not; no zeros
    assert "no area target 2" in en and " 0" not in en


def test_areas_to_watch_none_when_every_judged_area_is_on_track(tmp_path):
    """A floor every area clears: 需要关注的地区：无, naming how many were judged; a count
    with no area target of its own says nothing to watch at all."""
    run = run_plan(_plan(tmp_path, floor=60), write=False)
    zh = build_section(run.evaluation, "zh", figures=False)
    en = build_section(run.evaluation, "en", figures=False)
    assert "areas.watch_none" in zh.keys_used
    assert "需要关注的地区：无，已评估的3个街道（镇）均很可能或可能完成目标。" in zh.markdown
    assert "Areas to watch: none; all 3 areas judged are likely to meet their targets." \
        in en.markdown
    assert zh.markdown.count("需要关注的地区") == 1  # places: no area judged, no watch line
