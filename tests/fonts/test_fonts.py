"""The shipped Chinese font: it covers what the plans say, it is found on a machine with no
Chinese font at all, and what it draws are real glyphs, not boxes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from planlib import config, fonts
from planlib.fonts import make_font

REPO = Path(__file__).resolve().parents[2]

# Run with HOME and MPLCONFIGDIR empty and every system font hidden from matplotlib (only
# matplotlib's own DejaVu/STIX remain), as on a fresh machine with no Chinese font: draw
# every word of every shipped plan, then every figure of two plans, and report what
# matplotlib warned and which font it used.
CLEAN_MACHINE_SCRIPT = r"""
import json, sys, warnings
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
import matplotlib.font_manager as fm
own = Path(matplotlib.get_data_path()).resolve()
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist
                          if Path(str(f.fname)).resolve().is_relative_to(own)]
warnings.simplefilter("always")
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
import planlib
from planlib import config
from planlib.core import labels
from planlib.outputs.figures import charts, style
from planlib.outputs.figures import words as figure_words

out = {"family": style.resolve_cjk_family(), "missing": [], "texts": 0}
words = [w for table in (labels.PROGRESS_LABELS, labels.OUTLOOK_LABELS)
         for entry in table.values() for w in entry.values()]
words += [w for entry in figure_words.WORDS.values() for w in entry.values()]
words += list(figure_words.UNITS_EN) + list(figure_words.UNITS_EN.values())
for plan_id in config.shipped_plan_ids():
    plan = planlib.load_plan(plan_id)
    words += [plan.plan.title_zh, plan.plan.title_en]
    for ind in plan.indicators:
        words += [ind.name_zh, ind.name_en, ind.unit, ind.group, ind.source]
words = sorted({w for w in words if w})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    fig = style.figure(style.FULL_WIDTH, 0.4 * len(words))
    for i, text in enumerate(words):
        fig.text(0.01, 1 - (i + 0.5) / len(words), text)
    style.figure_bytes(fig, "png")
    out["texts"] = len(words)
    for plan_id in sys.argv[1:]:
        plan = planlib.load_plan(plan_id)
        ev = planlib.evaluate(plan, planlib.load_observations(plan))
        for lang in ("zh", "en"):
            for _, f in charts.figure_set(ev, lang):
                style.figure_bytes(f, "png")
out["missing"] = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)
                         or w.category.__name__ == "FontCoverageWarning"})

def bitmap(text):
    fig = style.figure(1.0, 1.0)
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=40)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0] < 128
xue, qian = bitmap("学"), bitmap("前")
with warnings.catch_warnings(record=True) as control:  # U+E000 has no glyph: a box, warned
    warnings.simplefilter("always")
    box = bitmap("\ue000")
out["control_missing"] = sum("missing from font" in str(w.message) for w in control)
out["ink"] = [int(xue.sum()), int(qian.sum()), int(box.sum())]
out["xue_vs_qian"] = int((xue != qian).sum())
out["xue_vs_box"] = int((xue != box).sum())
print(json.dumps(out))
"""


def _shipped_cmap() -> set[int]:
    return set(TTFont(fonts.FONT_FILES[0], lazy=True).getBestCmap())


def test_shipped_font_files_exist_with_licence_and_are_a_few_mb() -> None:
    for path in fonts.FONT_FILES:
        assert path.is_file(), f"missing {path}: run python -m planlib.fonts.make_font"
        assert 1_000_000 < path.stat().st_size < 4_000_000
        font = TTFont(path, lazy=True)
        assert font["name"].getDebugName(1) == fonts.FAMILY
        assert "glyf" in font, "TrueType outlines, so PDFs can embed it as Type 42"
    licence = (fonts.FONT_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name" in licence


def test_shipped_font_covers_gb2312_and_every_character_of_the_shipped_plans() -> None:
    cmap = _shipped_cmap()
    gb = {ord(c) for c in make_font.gb2312_chars()}
    assert len(gb) >= 7445  # 6,763 hanzi and 682 symbols
    assert not gb - cmap
    plan_chars = make_font.repository_chars(REPO, ("data/raw/*/plan.yaml",
                                                   "data/raw/*/README.md",
                                                   "planlib/core/labels.py"))
    assert {"学", "前", "≥", "（"} <= plan_chars
    missing = {c for c in plan_chars if ord(c) not in cmap}
    assert not missing, f"characters of the plans not in the font: {sorted(missing)}"
    for c in "−%℃‰±×·°、。：；“”《》0123456789ABCxyzéü":
        assert ord(c) in cmap, c


def test_both_faces_cover_the_same_characters() -> None:
    regular, bold = (set(TTFont(p, lazy=True).getBestCmap()) for p in fonts.FONT_FILES)
    assert regular == bold


@pytest.fixture(scope="module")
def clean_machine(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What a machine with no Chinese font and empty matplotlib settings renders."""
    root = tmp_path_factory.mktemp("clean")
    (root / "home").mkdir()
    (root / "mpl").mkdir()
    env = {"HOME": str(root / "home"), "MPLCONFIGDIR": str(root / "mpl"),
           "PATH": os.environ.get("PATH", ""), "MPLBACKEND": "Agg", "LANG": "C.UTF-8",
           "PLANLIB_ROOT": str(config.ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CLEAN_MACHINE_SCRIPT, "demo_city", "cn_education_2020"],
        env=env, capture_output=True, text=True, timeout=600, cwd=root)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_machine_without_chinese_fonts_uses_the_shipped_one(clean_machine: dict) -> None:
    assert clean_machine["family"] == fonts.FAMILY


@pytest.mark.slow
def test_no_glyph_is_missing_for_any_word_of_the_shipped_plans(clean_machine: dict) -> None:
    assert clean_machine["texts"] > 100
    assert clean_machine["missing"] == []
    assert clean_machine["control_missing"] > 0  # the check does see a missing glyph


@pytest.mark.slow
def test_chinese_is_drawn_as_glyphs_not_boxes(clean_machine: dict) -> None:
    ink_xue, ink_qian, ink_box = clean_machine["ink"]
    assert min(ink_xue, ink_qian, ink_box) > 100  # each drew something
    # distinct characters give distinct bitmaps, and neither is the missing-glyph box
    assert clean_machine["xue_vs_qian"] > 0.2 * max(ink_xue, ink_qian)
    assert clean_machine["xue_vs_box"] > 0.2 * max(ink_xue, ink_box)


def test_the_users_configured_chinese_font_wins_over_the_shipped_one() -> None:
    from planlib.outputs.figures import style

    style.register_shipped_font()
    rc = {"font.family": ["sans-serif"], "font.sans-serif": [fonts.FAMILY, "DejaVu Sans"]}
    assert style.configured_families(rc)[0] == fonts.FAMILY
    assert style.resolve_cjk_family(["DejaVu Sans", fonts.FAMILY]) == fonts.FAMILY
    assert not style.font_has("DejaVu Sans", style.CJK_PROBE)
    assert style.font_has(fonts.FAMILY, style.CJK_PROBE + style.MINUS)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """A fresh build of the regular face from Debian's Noto Sans CJK, and its toolchain."""
    source = make_font.source_path("Regular")
    if not source.is_file():
        pytest.skip("fonts-noto-cjk is not installed (apt-get install fonts-noto-cjk)")
    out = make_font.build(source, "Regular", tmp_path_factory.mktemp("font") / "a.ttf")
    return out, make_font.toolchain(source)


@pytest.mark.slow
def test_the_shipped_font_has_every_character_a_fresh_build_has(rebuilt) -> None:
    """Holds whatever the source font's version: the plans' and planlib's words decide."""
    missing = sorted(chr(c) for c in set(TTFont(rebuilt[0], lazy=True).getBestCmap())
                     - _shipped_cmap())
    assert not missing, (f"the plans or planlib's words now use {missing}, which the shipped "
                         "font lacks: rebuild it with python -m planlib.fonts.make_font")


@pytest.mark.slow
def test_a_fresh_build_gives_the_shipped_bytes(rebuilt) -> None:
    """Byte for byte, when built from the same source face with the same fontTools; other
    versions may place a point differently in a few glyphs, so they are not compared."""
    out, here = rebuilt
    shipped = make_font.recorded_toolchain()
    if here != shipped:
        pytest.skip(f"the shipped font was built with {shipped}, this machine has {here}: "
                    "bytes are compared only with the same source font and fontTools")
    if set(TTFont(out, lazy=True).getBestCmap()) != _shipped_cmap():
        pytest.skip("the characters differ: the test above says which")
    assert out.read_bytes() == fonts.FONT_FILES[0].read_bytes()
