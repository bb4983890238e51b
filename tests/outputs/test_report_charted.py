"""A report of more than 30 indicators embeds the charts of at most 30 -- those that need
attention, furthest off first -- and says in one sentence how many are left out and where
`planlib figures` draws them all (planlib.outputs.report.charted, issue #16 item 5)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planlib.core.evaluation import evaluate
from planlib.outputs.report import section as section_module
from planlib.outputs.report.blocks import Figure, Paragraph
from planlib.outputs.report.charted import ALL_UP_TO, MAX_CHARTS, charted

N_SLOW, N_FAST = 34, 6  # 34 rates far below their target of 60 and 6 well on the way


@pytest.fixture(scope="module")
def many(make_plan, obs):
    """40 rate indicators with a level target of 60 in 2025 and data 2018-2022."""
    n = N_SLOW + N_FAST
    plan = make_plan(*({"id": f"r{i:02d}", "name_zh": f"比率{i:02d}", "name_en": f"rate {i:02d}",
                        "unit": "%", "bounds": [0, 100],
                        "target": {"kind": "level_at_least", "value": 60}} for i in range(n)),
                     plan_id="charted_many")
    rows = [obs(f"r{i:02d}", {y: (30 + i / 2 + (y - 2018) * (0.1 + i / 40) if i < N_SLOW
                                  else 50 + (y - 2018) * 3.0) for y in range(2018, 2023)})
            for i in range(n)]
    return evaluate(plan, pd.concat(rows, ignore_index=True), sensitivity=False)


def _section(ev, lang, monkeypatch):
    """The section with figures on, the PNGs not drawn (only which are embedded matters)."""
    monkeypatch.setattr(section_module, "_figure_pngs",
                        lambda recipes: {stem: b"" for stem, _ in recipes})
    return section_module.build_section(ev, lang)


def test_only_the_charts_of_the_indicators_furthest_off_at_most_30(many, monkeypatch):
    results = list(many)
    chosen = charted(results)
    slow, fast = results[:N_SLOW], results[N_SLOW:]
    assert all(r.at_risk or r.progress_status == "behind" for r in slow)
    assert not any(r.at_risk or r.progress_status in ("behind", "moving_away") for r in fast)
    assert len(chosen) == MAX_CHARTS == 30
    assert not {(r.id, r.region) for r in fast} & chosen  # on the way: no chart
    left = [r for r in slow if (r.id, r.region) not in chosen]
    assert len(left) == N_SLOW - MAX_CHARTS

    def off(r):  # P(met), then the share of the task progress lags the time gone
        gap = r.progress.schedule_share - r.progress.progress_share
        return r.p_meet, -gap

    assert all(math.isfinite(r.p_meet) for r in slow)
    assert max(off(r) for r in slow if (r.id, r.region) in chosen) <= min(map(off, left))
    assert charted(results[:ALL_UP_TO]) == {(r.id, r.region) for r in results[:ALL_UP_TO]}

    sec = _section(many, "zh", monkeypatch)
    stems = [b.stem for b in sec.blocks if isinstance(b, Figure)]
    pages = ["progress_1", "progress_2", "outlook_1", "outlook_2"]
    assert stems[:4] == pages  # the paged progress and outlook charts stay
    indicator_stems = stems[4:]
    assert len(indicator_stems) == 30
    assert indicator_stems == [f"indicator_{r.id}" for r in results
                               if (r.id, r.region) in chosen]  # in the plan's order
    assert list(sec.figures) == stems  # only what is shown is drawn


@pytest.mark.parametrize(("lang", "sentence"), [
    ("zh", "本节共40项指标，仅附需要重点关注的30项指标的图，其余10项指标的图未附；"
           "运行planlib figures可在figures/charted_many/下生成全部指标的图。"),
    ("en", "Of the 40 indicators, only the 30 that need most attention have their chart "
           "here; the other 10 charts are left out: planlib figures draws all of them into "
           "figures/charted_many/."),
])
def test_one_sentence_says_how_many_charts_are_left_out(many, monkeypatch, lang, sentence):
    sec = _section(many, lang, monkeypatch)
    texts = [b.text for b in sec.blocks if isinstance(b, Paragraph)]
    assert texts.count(sentence) == 1
    assert "charts.left_out" in sec.keys_used
    few = section_module.build_section(many, lang, figures=False)  # no figures: not said
    assert "charts.left_out" not in few.keys_used
