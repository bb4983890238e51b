"""Chinese where users write Chinese: the codes' Chinese names in plan.yaml (one table,
planlib/inputs/plan_codes.py), unit_en, and ratio units shown as "17.0:1"."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import build_plan as make_plan

from planlib.core.evaluation import evaluate
from planlib.errors import InputError
from planlib.inputs.plan_codes import CHINESE_NAMES
from planlib.inputs.units import is_ratio
from planlib.outputs.report import build_section
from planlib.outputs.report import numbers as nf

RATIO = {"id": "ptr", "name_zh": "生师比", "name_en": "Pupil-teacher ratio", "unit": "教师=1",
         "unit_en": "pupils per teacher", "direction": "下降", "nature": "约束性",
         "target": {"kind": "不高于", "value": 16.5}}


def test_chinese_names_of_the_codes_are_read_as_the_codes():
    plan = make_plan(RATIO, {"id": "places", "direction": "提高", "nature": "预期性",
                             "measure": "流量", "target": {"kind": "累计新增", "value": 900}},
                     {"id": "school", "direction": "上升", "unit": "所",
                      "target": {"kind": "里程碑", "value": 1},
                      "schedule": {"expected_year": 2024, "status": "在建"}})
    ptr, places, school = plan.indicators
    assert (ptr.direction, ptr.nature, ptr.target.kind) == ("decrease", "binding",
                                                           "level_at_most")
    assert (places.direction, places.nature, places.measure, places.target.kind) == (
        "increase", "expected", "flow", "cumulative_increase")
    assert school.schedule is not None and school.schedule.status == "under_construction"


def test_an_unknown_chinese_word_is_refused_naming_the_codes():
    with pytest.raises(InputError) as err:
        make_plan({**RATIO, "nature": "重点"})
    assert "binding" in err.value.report() and "重点" in err.value.report()


def test_every_chinese_name_is_documented_in_plan_format():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "plan-format.md").read_text(
        encoding="utf-8")
    for field, names in CHINESE_NAMES.items():
        for name, code in names.items():
            assert re.search(rf"{name}[^\n]*{code}|{code}[^\n]*{name}", doc), (field, name)


def test_ratio_units_and_unit_en_in_the_report():
    assert is_ratio("教师=1") and is_ratio("学生:教师=x:1") and not is_ratio("%")
    plan = make_plan(RATIO)
    obs = pd.DataFrame({"indicator_id": "ptr", "year": [2018, 2019, 2020, 2021, 2022],
                        "value": [17.9, 17.6, 17.3, 17.2, 17.0], "region": "",
                        "flag": ""})
    ev = evaluate(plan, obs)
    r = ev["ptr"]
    assert nf.value(r, 17.0, "zh") == "17.0:1"
    assert nf.value(r, 17.0, "en") == "17.0 pupils per teacher"
    zh = build_section(ev, "zh", figures=False).markdown
    en = build_section(ev, "en", figures=False).markdown
    assert "17.0:1" in zh and not re.search(r"\d教师=1", zh)
    assert "pupils per teacher" in en and "教师" not in en
