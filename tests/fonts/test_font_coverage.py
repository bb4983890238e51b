"""Names the shipped font covers (the 通用规范汉字表, with 堃 喆 燊 犇 that GB 2312 lacks), and
the one planlib warning per text, naming the figure, the text, the characters and the fix,
for characters no font can draw."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from planlib import fonts
from planlib.core.evaluation import evaluate
from planlib.fonts import make_font
from planlib.fonts.coverage import FontCoverageWarning, missing_chars
from planlib.outputs.figures import charts, style
from planlib.outputs.files.file_names import indicator_stems

NAME_CHARS = "堃喆燊犇"  # in names, in the 通用规范汉字表, not in GB 2312
OUTSIDE = "𠀀"  # U+20000, CJK Extension B: in neither table, nor in the shipped font


def test_the_list_is_the_8105_characters_of_the_standard() -> None:
    chars = make_font.tongyong_guifan_chars()
    assert len(chars) == len(set(chars)) == 8105
    assert all(len(c) == 1 and ("\u3400" <= c <= "\u9fff" or c >= "\U00020000") for c in chars)
    assert chars[:3] == ["一", "乙", "二"]  # level 1 starts with the one-stroke characters
    gb = make_font.gb2312_chars()
    assert set(NAME_CHARS) <= set(chars) and not set(NAME_CHARS) & gb
    assert OUTSIDE not in chars


@pytest.mark.parametrize("path", fonts.FONT_FILES, ids=lambda p: p.stem)
def test_shipped_faces_draw_every_character_of_the_list(path: Path) -> None:
    """Every character is in the cmap; a sample (every 50th, and the name characters) maps
    to a glyph with outlines, not to an empty one."""
    font = TTFont(path)
    cmap = font.getBestCmap()
    chars = make_font.tongyong_guifan_chars()
    missing = [c for c in chars if ord(c) not in cmap]
    assert not missing, f"{len(missing)} characters of the list missing, e.g. {missing[:10]}"
    assert OUTSIDE not in {chr(c) for c in cmap}
    glyf = font["glyf"]
    for c in [*chars[::50], *NAME_CHARS]:
        assert glyf[cmap[ord(c)]].numberOfContours > 0, c


@pytest.fixture
def shipped_font(monkeypatch: pytest.MonkeyPatch):
    """Figures drawn with the shipped font whatever the machine has (PLANLIB_FONT=shipped)."""
    monkeypatch.setenv(style.FONT_ENV, "shipped")
    style._cached_cjk_family.cache_clear()
    yield fonts.FAMILY
    style._cached_cjk_family.cache_clear()


def test_missing_chars_are_those_no_font_of_the_list_has(shipped_font: str) -> None:
    style.register_shipped_font()
    text = f"张{NAME_CHARS}{OUTSIDE}学校 A{OUTSIDE}"
    assert missing_chars(text, [shipped_font, style.LATIN_FALLBACK]) == OUTSIDE
    assert missing_chars(text, [style.LATIN_FALLBACK]) == f"张{NAME_CHARS}{OUTSIDE}学校"


def test_a_name_the_font_cannot_draw_gives_one_warning_naming_figure_and_chars(
        shipped_font: str, make_plan, obs, tmp_path: Path) -> None:
    plan = make_plan({"id": "kun_rate", "name_zh": f"张{NAME_CHARS}{OUTSIDE}小学覆盖率",
                      "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 90}})
    ev = evaluate(plan, obs("kun_rate", {2019: 70, 2020: 74, 2021: 77, 2022: 80}))
    result = ev["kun_rate"]
    stem = indicator_stems(ev.keys())[result.id, result.region]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = charts.indicator_chart(result, lang="zh")
        style.figure_files(fig, stem, ("svg", "pdf"))
    raw = [w for w in caught if "missing from font" in str(w.message)]
    ours = [str(w.message) for w in caught if issubclass(w.category, FontCoverageWarning)]
    assert not raw, "matplotlib's per-glyph warnings should be replaced"
    assert len(ours) == 1, ours  # one text (the title), two formats: one warning
    message = ours[0]
    assert f"figure {stem}" in message and "kun_rate" in message
    assert f"张{NAME_CHARS}{OUTSIDE}小学覆盖率" in message
    assert f"{OUTSIDE} (U+20000)" in message
    assert not any(f"{c} (U+" in message for c in NAME_CHARS)  # the font has those
    assert "PLANLIB_FONT" in message and "fonts-noto-cjk" in message


def test_texts_the_font_draws_give_no_warning(shipped_font: str, make_plan, obs,
                                              tmp_path: Path) -> None:
    plan = make_plan({"id": "kun_rate", "name_zh": f"张{NAME_CHARS}小学覆盖率",
                      "bounds": [0, 100], "target": {"kind": "level_at_least", "value": 90}})
    result = evaluate(plan, obs("kun_rate", {2019: 70, 2020: 74, 2021: 77, 2022: 80}))[
        "kun_rate"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        style.figure_bytes(charts.indicator_chart(result, lang="zh"), "png")
    assert not [w for w in caught if issubclass(w.category, FontCoverageWarning)
                or "missing from font" in str(w.message)]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "start", "where", "fix"), [
    ("en", "warning: “", "In 4 figures (", "Fix: install a Chinese font"),
    ("zh", "提示：“", "见4张图（", "解决：安装含这些字符的中文字体"),
])
def test_the_cli_says_one_warning_per_text_for_all_figures_showing_it(
        shipped_font: str, tmp_path: Path, lang: str, start: str, where: str,
        fix: str) -> None:
    """A name drawn in the indicator chart, the overview, the progress and the outlook
    charts is one line at the command's end naming the four figures, not four warnings,
    in the run's language (Chinese for a Chinese run, as the data warnings are)."""
    from planlib.cli import run

    plan_dir = tmp_path / "plan"
    shutil.copytree(Path(__file__).resolve().parents[2] / "data/raw/demo_city", plan_dir)
    plan_yaml = plan_dir / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    name = "学生体质健康优良率"
    assert f"name_zh: {name}" in text
    english = "name_en: Student fitness"
    text = text.replace(f"name_zh: {name}", f"name_zh: {OUTSIDE}{name}", 1)
    plan_yaml.write_text(text.replace(english, f"name_en: {OUTSIDE} Student fitness", 1),
                         encoding="utf-8")
    said: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = run(["figures", "--plan", str(plan_dir), "--format", "png", "--lang", lang,
                    "--out", str(tmp_path / "out")], handler=said.append)
    assert code == 0
    lines = [s for s in said if OUTSIDE in s]
    assert len(lines) == 1, said
    assert lines[0].startswith(start) and f"{OUTSIDE} (U+20000)" in lines[0]
    assert where in lines[0] and "overview" in lines[0] and fix in lines[0]
    assert "PLANLIB_FONT" in lines[0]
    assert not [w for w in caught if issubclass(w.category, FontCoverageWarning)]
