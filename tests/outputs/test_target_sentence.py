"""The sentence saying what a target asks (`outputs/report/target_sentence.py`): every
sentence of every target kind is said, in Chinese and English, of a real indicator of that
kind, with the numbers of its plan line and its result; the sentences come from the kinds'
modules only, and name only fields the report knows how to fill."""

from __future__ import annotations

import re
import warnings
from functools import cache

import pytest
import yaml

from planlib.core.evaluation import evaluate
from planlib.core.result import Evaluation, IndicatorResult
from planlib.core.targets.registry import KINDS, PLAN_KINDS, SENTENCES, kind_of
from planlib.inputs.observations import load_observations
from planlib.inputs.plan import load_plan, parse_plan
from planlib.outputs.report import numbers as nf
from planlib.outputs.report.target_sentence import FIELDS, fields_of, is_project, target_sentence
from planlib.outputs.report.text import TEMPLATES, Sayer

#: The national 14th plan with targets of the kinds no shipped plan sets, on its own
#: series: a ceiling on myopia, growth of kindergarten enrolment, a rise of childcare
#: places per 1,000 (a stock).
REKINDED = "cn_education_14th+kinds"
NEW_TARGETS = {
    "myopia_rate_overall": {"kind": "level_at_most", "value": 50},
    "kindergarten_enrolment": {"kind": "average_growth", "value": 2},
    "childcare_places_per_1000": {"kind": "cumulative_increase", "value": 1.5},
}
#: Where each sentence is said: (plan, indicator id).
EXAMPLES = {
    "target.level_at_least": ("cn_education_14th", "preschool_ger"),
    "target.annual_change": ("cn_education_14th", "myopia_rate_overall"),
    "target.cumulative_flow": ("demo_city", "childcare_places_added"),
    "target.milestone": ("demo_city", "schools_with_counsellor_share"),
    "target.project": ("demo_city", "new_public_high_schools"),
    "target.level_at_most": (REKINDED, "myopia_rate_overall"),
    "target.average_growth": (REKINDED, "kindergarten_enrolment"),
    "target.cumulative_stock": (REKINDED, "childcare_places_per_1000"),
}
LANGS = ("zh", "en")


@cache
def _rekinded() -> Evaluation:
    """The 14th plan with NEW_TARGETS, evaluated on its shipped observations."""
    shipped = load_plan("cn_education_14th")
    doc = yaml.safe_load((shipped.folder / "plan.yaml").read_text(encoding="utf-8"))
    for ind in doc["indicators"]:
        if ind["id"] in NEW_TARGETS:
            ind["target"] = NEW_TARGETS[ind["id"]]
            ind.pop("baseline", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(parse_plan(yaml.safe_dump(doc, allow_unicode=True)),
                        load_observations(shipped))


def example(key: str, shipped) -> IndicatorResult:
    """The result the sentence ``key`` is said of."""
    plan_id, indicator = EXAMPLES[key]
    return (_rekinded() if plan_id == REKINDED else shipped(plan_id))[indicator]


def test_every_kind_has_its_sentences_each_with_an_example_of_its_kind(shipped):
    for name in PLAN_KINDS:
        assert KINDS[name].sentences, f"target kind {name} has no sentence"
    assert set(SENTENCES) == set(EXAMPLES)
    for key in SENTENCES:
        r = example(key, shipped)
        spec = kind_of(r.target_kind)
        assert key in {s.key for s in spec.sentences}
        assert spec.sentence_key(r.indicator.measure, is_project(r)) == key


def test_the_report_templates_take_the_kinds_sentences_unchanged():
    for name in KINDS:
        for s in kind_of(name).sentences:
            assert TEMPLATES[s.key] == {"zh": s.zh, "en": s.en}
            assert set(fields_of(s.zh)) == set(fields_of(s.en)) <= set(FIELDS), s.key


def _numbers(text: str) -> set[float]:
    return {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_each_sentence_is_said_of_a_real_indicator_with_its_numbers(key, lang, shipped):
    r = example(key, shipped)
    say = Sayer(lang)
    text = target_sentence(r, say)
    assert say.used == {key}
    assert "{" not in text and "}" not in text
    assert bool(re.search(r"[\u4e00-\u9fff]", text)) == (lang == "zh"), text
    plan_value = abs(float(r.indicator.target.value))
    places = nf.decimals(r)
    ind = r.indicator
    said = _numbers(text.replace(nf.unit_text(ind.unit, lang, ind.unit_en), ""))
    # the target year, and the plan's own number or the level it comes to, are said
    assert r.target_year in said, text
    assert plan_value in said or round(r.target_level, places) in said, text
    # and nothing else but the baseline year and the level at the target year
    allowed = {r.target_year, plan_value, round(r.target_level, places),
               r.indicator.baseline.year or r.spec.baseline_year}
    assert said <= allowed, (text, said - allowed)


def test_a_draft_target_is_said_as_a_draft(shipped):
    r = example("target.level_at_least", shipped)
    assert target_sentence(r, Sayer("zh"), "draft").startswith("草案目标")
    assert target_sentence(r, Sayer("zh")).startswith("规划目标")
    assert target_sentence(r, Sayer("en"), "draft").startswith("The draft target")


def test_an_english_count_of_one_takes_the_singular_unit(shipped):
    """demo_city asks for 1 new school: "1 school", while 0 and 2 schools stay plural,
    and Chinese units have no number."""
    r = example("target.project", shipped)
    assert r.indicator.target.value == 1 and r.indicator.unit == "所"
    assert target_sentence(r, Sayer("en")) == "The plan asks for 1 school to be built by 2025."
    assert target_sentence(r, Sayer("zh")) == "规划要求到2025年建成1所。"
    assert [nf.value(r, x, "en") for x in (0, 1, 2)] == ["0 schools", "1 school", "2 schools"]
    assert nf.change(r, 1, "en") == "a rise of 1 school"
    years = example("target.level_at_least", shipped)
    assert nf.unit_text("年", "en", count="1") == " year"
    assert nf.unit_text("年", "en", count="1.0") == " years"
    assert nf.value(years, 1, "zh") == "1.0%"
