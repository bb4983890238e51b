"""Figures drawn from the evaluation result: what they plot is the table's numbers, every
file is written, reruns give the same bytes, and the CLI draws them."""

from __future__ import annotations

import hashlib
import io
import json
import math
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

import planlib
from planlib import cli
from planlib.outputs.figures import charts, style
from planlib.outputs.figures.words import word

PLANS = ("demo_city", "cn_education_2020")


@pytest.fixture(scope="module", params=PLANS)
def ev(request: pytest.FixtureRequest, shipped):
    """The evaluation of a shipped plan (demo_city has level, annual, cumulative-flow and
    milestone targets; cn_education_2020 has derived values and a series with no data)."""
    return shipped(request.param)


def _table_row(ev, r) -> pd.Series:
    table = ev.summary_frame()
    return table[(table["indicator_id"] == r.id) & (table["region"] == r.region)].iloc[0]


def _line(ax, label: str) -> Line2D:
    lines = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(lines) == 1, f"expected one line labelled {label!r}"
    return lines[0]


def _value_at(line: Line2D, year: int) -> float:
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    return float(y[x == year][0])


@pytest.mark.slow
def test_indicator_chart_plots_the_tables_numbers(ev) -> None:
    for r in ev:
        fig = charts.indicator_chart(r)
        ax = fig.axes[0]
        row = _table_row(ev, r)
        if math.isfinite(row["median"]) and r.model != "observed":
            median = _line(ax, word("median", "zh"))
            assert _value_at(median, r.target_year) == pytest.approx(row["median"], rel=1e-9)
            fans = {c.get_label(): c for c in ax.collections if isinstance(c, PolyCollection)}
            for level in ev.levels:
                if not math.isfinite(row[f"lo{level}"]):
                    continue
                verts = fans[word("band", "zh", level=level)].get_paths()[0].vertices
                at_target = verts[np.isclose(verts[:, 0], r.target_year), 1]
                assert at_target.min() == pytest.approx(row[f"lo{level}"], rel=1e-9)
                assert at_target.max() == pytest.approx(row[f"hi{level}"], rel=1e-9)
        if math.isfinite(row["target_value"]):
            star = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
            assert float(star[0].get_ydata()[0]) == pytest.approx(row["target_value"])
            assert float(star[0].get_xdata()[0]) == row["target_year"]
        observed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "None"
                    and ln.get_marker() != "*"]
        plotted = sorted((float(x), float(y)) for ln in observed
                         for x, y in zip(ln.get_xdata(), ln.get_ydata(), strict=True))
        expected = sorted(zip(r.history["year"].astype(float), r.history["value"], strict=True))
        np.testing.assert_allclose(np.array(plotted).reshape(-1, 2),
                                   np.array(expected).reshape(-1, 2))


@pytest.mark.slow
def test_flags_breaks_and_fit_window_are_drawn() -> None:
    """Derived and lower-bound values get their own markers; a break is a line, and the
    fit window starts at it (flags set here on the 2020 plan's real series)."""
    plan = planlib.load_plan("cn_education_2020")
    obs = planlib.load_observations(plan).copy()
    higher = obs["indicator_id"] == "higher_ed_ger"
    obs.loc[higher & (obs["year"] == 2014), "flag"] = "lower_bound"
    obs.loc[higher & (obs["year"] == 2012), "flag"] = "break"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = planlib.evaluate(plan, obs)
    r = ev["higher_ed_ger"]
    assert r.fit_from == 2012
    ax = charts.indicator_chart(r).axes[0]
    plain = _line(ax, word("observed", "zh"))
    bound = _line(ax, word("lower_bound", "zh"))
    assert list(bound.get_xdata()) == [2014]
    assert bound.get_marker() != plain.get_marker()
    assert bound.get_markerfacecolor() != plain.get_markerfacecolor()
    assert list(_line(ax, word("break", "zh")).get_xdata()) == [2011.5, 2011.5]
    span = [p for p in ax.patches if p.get_label().startswith(word("fit_window", "zh"))]
    assert span[0].get_label() == f"{word('fit_window', 'zh')} 2012–{r.fit_to}"
    assert span[0].get_x() == pytest.approx(2011.5)
    compulsory = ev["compulsory_retention"]  # has a derived (推算) value in the real data
    derived_years = set(compulsory.history.loc[compulsory.history["flag"] == "derived", "year"])
    assert derived_years
    ax = charts.indicator_chart(compulsory).axes[0]
    derived = _line(ax, word("derived", "zh"))
    assert set(np.asarray(derived.get_xdata(), int)) == derived_years
    assert derived.get_marker() != _line(ax, word("observed", "zh")).get_marker()


def test_a_fitted_trend_under_the_observed_line_is_neither_drawn_nor_listed(shipped) -> None:
    """A drift fitted to three points of a running total (demo_city_areas' childcare places)
    lies on the observed line: no dotted line hidden under it, and no legend entry sending
    the reader to look for one; the city's myopia rate, whose fit departs from the data by
    several percent of the axis, keeps both. The departure is measured here from the
    result's fitted values and observations, on the axis the chart shows."""
    fitted = word("fitted", "zh")
    for plan_id, indicator, shown in (("demo_city_areas", "childcare_places_added", False),
                                      ("demo_city", "myopia_rate_overall", True)):
        r = shipped(plan_id)[indicator]
        ax = charts.indicator_chart(r).axes[0]
        assert (fitted in [t.get_text() for t in ax.get_legend().get_texts()]) == shown
        assert any(ln.get_label() == fitted for ln in ax.get_lines()) == shown
        both = r.summary_frame().dropna(subset=["fitted"])[["year", "fitted"]].merge(
            r.history[["year", "value"]], on="year")
        assert len(both) >= 2
        gap = (both["fitted"] - both["value"]).abs().max() / np.ptp(ax.get_ylim())
        assert gap > 3 * charts.FIT_SEEN if shown else gap < charts.FIT_SEEN / 2, gap


def test_progress_chart_points_are_the_tables_shares(ev) -> None:
    fig = charts.progress_chart(ev)
    points = np.vstack([c.get_offsets() for c in fig.axes[0].collections
                        if isinstance(c, PathCollection)])
    table = ev.summary_frame()
    shown = table.dropna(subset=["schedule_share", "progress_share"])
    shown = shown[shown["progress_status"].notna()]
    expected = np.column_stack([shown["schedule_share"], shown["progress_share"]])
    np.testing.assert_allclose(sorted(map(tuple, points)), sorted(map(tuple, expected)))


def test_outlook_chart_points_are_the_tables_probabilities(ev) -> None:
    fig = charts.outlook_chart(ev, lang="en")
    ax = fig.axes[0]
    points = np.vstack([c.get_offsets() for c in ax.collections
                        if isinstance(c, PathCollection)])
    table = ev.summary_frame()
    assert sorted(points[:, 0]) == pytest.approx(sorted(table["p_meet"].dropna()))
    names = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert names == [r.name("en") for r in ev]


@pytest.fixture(scope="module")
def city_written(tmp_path_factory: pytest.TempPathFactory,
                 shipped) -> tuple[object, Path, list[Path]]:
    """demo_city's figures in English, every format, written once for the file tests."""
    city = shipped("demo_city")
    root = tmp_path_factory.mktemp("figures")
    return city, root, charts.write_figures(city, "en", out_dir=root)


@pytest.mark.slow
def test_write_figures_writes_every_file_at_a4_width(city_written) -> None:
    city, root, written = city_written
    folder = root / "demo_city" / "en"
    stems = [f"indicator_{r.id}" for r in city] + ["overview", "progress", "outlook"]
    expected = {folder / f"{s}.{fmt}" for s in stems for fmt in ("png", "svg", "pdf")}
    assert set(written[:-1]) == expected and written[-1] == folder / "manifest.json"
    assert sorted(folder.iterdir()) == sorted([*expected, written[-1]])  # no temp files left
    for path in written[:-1]:
        assert path.stat().st_size > 5000, path
    for stem in stems:
        png = (folder / f"{stem}.png").read_bytes()
        width = int.from_bytes(png[16:20], "big")
        assert abs(width - 16 / 2.54 * 300) <= 1  # 16 cm at 300 dpi
        assert (folder / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
        ET.parse(folder / f"{stem}.svg")  # well-formed


@pytest.mark.slow
def test_reruns_give_identical_svg_and_pdf_bytes(city_written, tmp_path: Path) -> None:
    city, _, first = city_written
    again = charts.write_figures(city, "en", ("svg", "pdf"), tmp_path)
    assert len(again) == 2 * (len(city) + 3) + 1  # and the manifest
    by_name = {p.name: p for p in first}
    for path in again[:-1]:
        assert path.read_bytes() == by_name[path.name].read_bytes(), path.name


@pytest.mark.slow
def test_figure_manifest_lists_every_figure_file_with_its_hash(city_written) -> None:
    _, root, written = city_written
    manifest = json.loads(written[-1].read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    assert listed == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written[:-1]}
    assert manifest["plan"]["path"].endswith("demo_city/plan.yaml")
    assert manifest["parameters"]["lang"] == "en" and manifest["parameters"]["seed"] == 0
    assert "matplotlib" in manifest["versions"]


@pytest.mark.slow
def test_no_timestamps_in_svg_or_pdf(ev) -> None:
    fig = charts.outlook_chart(ev)
    assert b"<dc:date>" not in style.figure_bytes(fig, "svg")
    assert b"/CreationDate" not in style.figure_bytes(fig, "pdf")


@pytest.mark.slow
def test_each_format_draws_the_figure_once_and_the_bytes_need_no_other_format(ev,
                                                                          monkeypatch) -> None:
    real_draw = Figure.draw
    draws: list[str] = []

    def counted(self: Figure, renderer) -> None:
        draws.append(type(renderer).__name__)
        real_draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    files = dict(style.figure_files(charts.outlook_chart(ev), "outlook"))
    assert len(draws) == 3, draws  # layout settled without drawing, then PNG, SVG, PDF once
    assert files["outlook.svg"] == style.figure_bytes(charts.outlook_chart(ev), "svg")
    assert files["outlook.pdf"] == style.figure_bytes(charts.outlook_chart(ev), "pdf")


@pytest.mark.slow
def test_png_is_matplotlibs_own_pixels_without_the_empty_alpha_channel(ev) -> None:
    from PIL import Image

    ours = style.figure_bytes(charts.outlook_chart(ev), "png")
    buf = io.BytesIO()
    theirs_fig = style.freeze_layout(charts.outlook_chart(ev))
    theirs_fig.savefig(buf, format="png", dpi=style.PNG_DPI, metadata={"Software": None})
    mine, theirs = Image.open(io.BytesIO(ours)), Image.open(buf)
    assert (mine.mode, theirs.mode) == ("RGB", "RGBA")
    assert np.array_equal(np.asarray(mine), np.asarray(theirs)[..., :3])
    assert np.asarray(theirs)[..., 3].min() == 255  # the alpha channel held nothing
    assert len(ours) < 0.95 * len(buf.getvalue())
    assert round(mine.info["dpi"][0]) == style.PNG_DPI


def test_png_keeps_alpha_where_a_pixel_is_not_opaque() -> None:
    from PIL import Image

    rgba = np.full((2, 3, 4), 255, dtype=np.uint8)
    rgba[1, 2, 3] = 0
    image = Image.open(io.BytesIO(style.png_bytes(rgba.tobytes(), 3)))
    assert image.mode == "RGBA" and np.array_equal(np.asarray(image), rgba)


def test_unknown_language_is_refused(ev) -> None:
    with pytest.raises(ValueError, match="zh or en"):
        charts.outlook_chart(ev, lang="fr")


def test_wrap_balances_lines_and_keeps_every_character() -> None:
    text = "国家学生体质健康标准测试优良率"
    wrapped = charts.wrap(text, 28)
    assert wrapped.replace("\n", "") == text
    lengths = [len(line) for line in wrapped.split("\n")]
    assert len(lengths) == 2 and max(lengths) - min(lengths) <= 1
    latin = "Childcare places for under-3s per 1,000 population"
    assert charts.wrap(latin, 36).split("\n") == ["Childcare places for under-3s",
                                                    "per 1,000 population"]
    assert charts.wrap("short", 36) == "short"


@pytest.mark.parametrize("text, width, lines", [
    # the compact overview's axis label (demo_city, 2020年以来累计): was "单位：个（" / "2020…"
    ("单位：个（2020年以来累计）", 24, ["单位：个", "（2020年以来累计）"]),
    # a phrase wider than a line breaks inside it, never right after "（" or before "）"
    ("单位：个（2020年以来累计）", 16, ["单位：个（2020", "年以来累计）"]),
    ("万人（2020年以来累计新增的学位数量合计共计）", 20,
     ["万人（2020年以来", "累计新增的学位数", "量合计共计）"]),
    # punctuation stays with the text before it
    ("甲乙，丙丁。戊己", 6, ["甲乙，", "丙丁。", "戊己"]),
])
def test_wrap_never_splits_a_bracket_or_punctuation_from_its_text(
        text: str, width: int, lines: list[str]) -> None:
    wrapped = charts.wrap(text, width).split("\n")
    assert wrapped == lines
    for line in wrapped:
        assert line[-1] not in "（(" and line[0] not in "）)，。", wrapped


@pytest.mark.slow
def test_cli_figures_writes_one_plan_in_both_languages(tmp_path: Path) -> None:
    said: list[str] = []
    code = cli.run(["figures", "--plan", "cn_education_2020", "--lang", "zh,en",
                    "--format", "svg", "--out", str(tmp_path)], handler=said.append)
    assert code == cli.EXIT_OK, said
    for lang in ("zh", "en"):
        files = sorted((tmp_path / "cn_education_2020" / lang).glob("*.svg"))
        assert [f.stem for f in files][-3:] == ["outlook", "overview", "progress"]
        assert len(files) == 7 + 3


def test_cli_figures_rejects_an_unknown_format(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.run(["figures", "--format", "gif"])
    assert exc.value.code == 2
    assert "png, svg and pdf" in capsys.readouterr().err


def _badge_texts(fig: Figure) -> list[str]:
    """Every annotation's text on the figure's axes (the status badges)."""
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_a_new_plans_unusable_projection_gets_no_call_on_its_chart(shipped):
    """The 15th draft (a new plan): childcare places per 1,000 has 3 points (few_points);
    its chart says 无法可靠预测 with no P, as the 目标建议 table and paragraph do, while the
    reliable preschool GER keeps its call and P. At the mid-term (the 14th plan) the same
    few-points indicator keeps its P, with the note the report gives."""
    from planlib.core.reliability import p_stated
    from planlib.outputs.report.final_stage import report_stage

    ev = shipped("cn_education_15th_draft")
    stage = report_stage(ev)
    childcare, preschool = ev["childcare_places_per_1000"], ev["preschool_ger"]
    assert stage == "planning" and childcare.reliability == "few_points"
    assert not p_stated(childcare.reliability, stage)
    texts = _badge_texts(charts.indicator_chart(childcare, lang="zh", stage=stage))
    assert any("无法可靠预测" in t for t in texts) and not any("P " in t for t in texts)
    kept = _badge_texts(charts.indicator_chart(preschool, lang="zh", stage=stage))
    assert any(preschool.p_meet_text in t for t in kept)
    grid = " ".join(_badge_texts(charts.overview_chart(ev, lang="en")))
    assert grid.count("not reliably projected") == sum(
        not p_stated(r.reliability, stage) for r in ev) == 3

    mid = shipped("cn_education_14th")
    few = [r for r in mid if r.reliability == "few_points" and r.p_meet_text]
    assert few and report_stage(mid) == "mid_term"
    texts = _badge_texts(charts.indicator_chart(few[0], lang="zh", stage="mid_term"))
    assert any(few[0].p_meet_text in t for t in texts)
