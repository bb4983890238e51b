"""The forecast section (issue #10): every number is the result's, every template branch
is reached, the files are what they claim (DOCX styles and captions, self-contained HTML),
reruns give identical bytes, and a real browser shows the Chinese text."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import re
import subprocess
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import docx
import pandas as pd
import pytest
from browser import browser_test, chromium
from docx.oxml.ns import qn
from openpyxl import load_workbook

import planlib
from planlib import cli
from planlib.core.evaluation import evaluate
from planlib.core.result import Evaluation, IndicatorResult
from planlib.outputs.report import build_section, write_report, write_reports
from planlib.outputs.report import numbers as nf
from planlib.outputs.report.blocks import Figure, Table
from planlib.outputs.report.text import TEMPLATES

SHIPPED = ("cn_education_14th", "cn_education_2020", "demo_city")
LANGS = ("zh", "en")


# -- plans: the shipped three and two synthetic ones that reach the other branches --------
def named(*indicators: dict) -> tuple[dict, ...]:
    """The synthetic plans' indicators with names in both languages."""
    return tuple({"name_zh": f"{i['id']}指标", "name_en": i["id"], **i} for i in indicators)


RATE = {"unit": "%", "bounds": [0, 100]}
PROJECT = {"unit": "所", "bounds": [0, None], "target": {"kind": "milestone", "value": 1}}
SYNTHETIC: dict[str, tuple[tuple[dict, ...], list[tuple[str, dict, dict]]]] = {
    "synthetic_a": (
        named(
            {"id": "growth", "unit": "万人", "bounds": [0, None], "nature": "expected",
             "target": {"kind": "average_growth", "value": 5}},
            {"id": "atmost", **RATE, "direction": "decrease", "nature": "binding",
             "target": {"kind": "level_at_most", "value": 10}},
            {"id": "stockcum", "unit": "所", "bounds": [0, None], "nature": "expected",
             "target": {"kind": "cumulative_increase", "value": 50}},
            {"id": "lb", **RATE, "nature": "expected",
             "target": {"kind": "level_at_least", "value": 90}},
            {"id": "twopts", **RATE, "target": {"kind": "level_at_least", "value": 60}},
            {"id": "late", **PROJECT, "schedule": {"expected_year": 2027, "status": "planned"}},
            {"id": "noschedule", **PROJECT},
            {"id": "observed", **RATE, "target": {"kind": "level_at_least", "value": 50,
                                                  "year": 2021}},
            {"id": "missed", **RATE, "target": {"kind": "level_at_least", "value": 60,
                                                "year": 2021}},
            {"id": "slower", **RATE, "target": {"kind": "level_at_least", "value": 60}},
            {"id": "nodata", **RATE, "target": {"kind": "level_at_least", "value": 60}},
            {"id": "flat", **RATE, "target": {"kind": "level_at_least", "value": 80}},
        ),
        [
            ("growth", {2018: 100, 2019: 104, 2020: 108, 2021: 113, 2022: 118},
             {2022: "provisional"}),
            ("atmost", {2018: 12, 2019: 12.5, 2020: 13, 2021: 13.5, 2022: 14}, {}),
            ("stockcum", {2018: 200, 2019: 205, 2020: 210, 2021: 220, 2022: 230}, {}),
            ("lb", {2016: 70, 2017: 72, 2018: 80, 2019: 82, 2020: 84, 2021: 86, 2022: 88},
             {2018: "break", 2022: "lower_bound"}),
            ("twopts", {2021: 50, 2022: 52}, {}),
            ("late", {2020: 0, 2021: 0, 2022: 0}, {}),
            ("noschedule", {2020: 0, 2021: 0, 2022: 0}, {}),
            ("observed", {2019: 45, 2020: 47, 2021: 51, 2022: 52}, {}),
            ("missed", {2019: 45, 2020: 47, 2021: 51, 2022: 52}, {}),
            ("slower", {2014: 40, 2015: 40.5, 2016: 41, 2017: 41.3, 2018: 41.8, 2019: 42,
                        2020: 42.5, 2021: 46, 2022: 49.5}, {}),
            ("flat", {2018: 70, 2019: 70, 2020: 70, 2021: 70, 2022: 70}, {}),
        ],
    ),
    "synthetic_b": (  # binding only, nothing at risk, no flags
        named({"id": "fine", **RATE, "nature": "binding",
               "target": {"kind": "level_at_least", "value": 50}}),
        [("fine", {2017: 40, 2018: 42, 2019: 44, 2020: 46, 2021: 48, 2022: 50.5}, {})],
    ),
    "synthetic_c": (  # mid-term, its binding indicator's own baseline is its latest year
        named({"id": "newbase", **RATE, "nature": "binding", "baseline": {"year": 2022},
               "target": {"kind": "level_at_least", "value": 60}},
              {"id": "going", **RATE, "nature": "expected",
               "target": {"kind": "level_at_least", "value": 60}}),
        [("newbase", {2019: 50, 2020: 51, 2021: 52, 2022: 53}, {}),
         ("going", {2018: 48, 2019: 50, 2020: 51, 2021: 53, 2022: 54}, {})],
    ),
}
ALL_PLANS = (*SHIPPED, *SYNTHETIC)


PAGED: dict[str, tuple[tuple[dict, ...], list[tuple[str, dict, dict]]]] = {
    "synthetic_many": (  # 40 indicators: the overview, progress and outlook charts are paged
        named(*({"id": f"r{i:02d}", **RATE, "target": {"kind": "level_at_least", "value": 60}}
                for i in range(40))),
        [(f"r{i:02d}", {y: 40 + i / 4 + (y - 2018) * (0.5 + i % 7) for y in range(2018, 2023)},
          {}) for i in range(40)],
    ),
}


@pytest.fixture(scope="module")
def evaluation(make_plan, obs, shipped) -> Callable[[str], Evaluation]:
    """``evaluation(name)``: a shipped or synthetic plan's evaluation, computed once."""
    @cache
    def of(name: str) -> Evaluation:
        if name not in {**SYNTHETIC, **PAGED}:
            return shipped(name)
        indicators, rows = {**SYNTHETIC, **PAGED}[name]
        plan = make_plan(*indicators, plan_id=name, title_zh="合成测试规划",
                         title_en="Synthetic plan")
        return evaluate(plan, pd.concat([obs(i, values, flags=flags)
                                         for i, values, flags in rows], ignore_index=True))
    return of


@pytest.fixture(scope="module")
def section(evaluation):
    """``section(name, lang, figures=False)``: the report section, built once."""
    @cache
    def of(name: str, lang: str, figures: bool = False):
        return build_section(evaluation(name), lang, figures=figures)
    return of


# -- every branch ---------------------------------------------------------------------------
@pytest.mark.slow
def test_every_template_is_used_by_some_plan(section):
    used = set().union(*(section(p, lang).keys_used for p in ALL_PLANS for lang in LANGS))
    used |= section("demo_city", "zh", True).keys_used  # figure captions
    used |= section("synthetic_many", "zh", True).keys_used  # captions of paged charts
    used |= section("demo_city_areas", "zh", True).keys_used  # a total and its areas
    # the final and planning stages' templates: tests/outputs/test_report_stages.py; an
    # area table cut at 30 rows (areas.more) and no area to watch (areas.watch_none):
    # tests/core/test_area_rule.py.
    missing = {k for k in TEMPLATES if not k.startswith(("final.", "planning."))} - used \
        - {"areas.more", "areas.watch_none"}
    assert not missing, f"templates no plan reaches: {sorted(missing)}"


@pytest.mark.slow
def test_charts_of_many_indicators_are_split_into_a4_pages(evaluation, section):
    from planlib.outputs.figures import charts
    from planlib.outputs.figures.pages import page_stems, pages

    ev = evaluation("synthetic_many")
    results = list(ev)
    assert page_stems("outlook", 30) == ["outlook"]  # up to 30: one chart, as before
    assert page_stems("overview", 40) == [f"overview_{i}" for i in range(1, 5)]
    assert page_stems("progress", 40) == ["progress_1", "progress_2"]
    draw = {"overview": charts.overview_chart, "progress": charts.progress_chart,
            "outlook": charts.outlook_chart}
    for chart, per_page in (("overview", 12), ("progress", 20), ("outlook", 24)):
        shown = pages(results, chart)
        assert [r for page in shown for r in page] == results  # each once, in order
        assert max(map(len, shown)) <= per_page
        assert max(map(len, shown)) - min(map(len, shown)) <= 1  # even pages
        for i, page in enumerate(shown, 1):
            fig = draw[chart](ev, "zh", results=page, page=(i, len(shown)))
            width, height = (x * 2.54 for x in fig.get_size_inches())
            assert abs(width - 16) < 0.01 and height <= 24.01, (chart, i, height)
            if chart == "outlook":
                names = [t.get_text().replace("\n", "") for t in fig.axes[0].get_yticklabels()]
                assert names == [r.name("zh") for r in page]
                assert fig.axes[0].get_title(loc="left").endswith(f"（{i}/{len(shown)}）")
    sec = section("synthetic_many", "zh", True)
    captions = [b.caption for b in sec.blocks if isinstance(b, Figure)]
    assert {"progress", "outlook"}.isdisjoint(sec.figures)
    assert any(c.endswith("各指标目标完成进度与时间进度（2/2）") for c in captions), captions
    assert [b.stem for b in sec.blocks if isinstance(b, Figure)][:4] == [
        "progress_1", "progress_2", "outlook_1", "outlook_2"]


@pytest.mark.slow
def test_the_report_draws_only_the_figures_it_shows(evaluation, section):
    """The overview pages are not shown in a mid-term report: not drawn either; above 30
    indicators only the indicator charts of those that need attention are shown
    (tests/outputs/test_report_charted.py)."""
    from planlib.outputs.report.charted import charted

    sec = section("synthetic_many", "zh", True)
    shown = [b.stem for b in sec.blocks if isinstance(b, Figure)]
    with_chart = charted(evaluation("synthetic_many"))
    assert 0 < len(with_chart) <= 30
    assert list(sec.figures) == shown and len(shown) == len(with_chart) + 2 + 2
    assert not [stem for stem in sec.figures if stem.startswith("overview")]


@pytest.mark.slow
def test_each_totals_areas_get_their_ranking_chart_after_their_table(evaluation, section):
    """demo_city_areas: after an indicator's area table and areas to watch, its ranking
    chart, the same PNG the figures command writes, captioned with the indicator."""
    from planlib.outputs.figures import charts, style
    from planlib.outputs.report.to_markdown import to_markdown

    ev = evaluation("demo_city_areas")
    sec = section("demo_city_areas", "zh", True)
    recipes = dict(charts.figure_recipes(ev, "zh"))
    rankings = [b for b in sec.blocks if isinstance(b, Figure)
                and b.stem.endswith("_area_ranking")]
    totals = [r for r in ev if r.region == ""]
    area_tables = [i for i, b in enumerate(sec.blocks) if isinstance(b, Table) and i > 0
                   and b.columns[0] == "排名"]
    assert len(rankings) == len(area_tables) == len(totals) > 0
    for table_at, block, total in zip(area_tables, rankings, totals, strict=True):
        at = sec.blocks.index(block)
        assert table_at < at and not [b for b in sec.blocks[table_at + 1:at]
                                       if isinstance(b, Figure | Table)]
        assert block.caption.endswith(f"{total.name('zh')}：各地区排名")
        assert block.stem in recipes  # the figures command's file name
        assert sec.figures[block.stem] == style.figure_bytes(recipes[block.stem](), "png")
        assert f"](figures/{block.stem}.png)" in to_markdown(sec)


def test_templates_exist_in_both_languages_with_the_same_fields():
    fields = re.compile(r"{(\w+)}")
    for key, texts in TEMPLATES.items():
        assert set(texts) == set(LANGS), key
        assert set(fields.findall(texts["zh"])) == set(fields.findall(texts["en"])), key


# -- every number is the result's -----------------------------------------------------------
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def allowed_numbers(r: IndicatorResult, lang: str) -> set[str]:
    """Every number the paragraph of ``r`` may print: the result's numbers, formatted."""
    prog, ind = r.progress, r.indicator
    target = math.nan if ind.target is None else float(ind.target.value)  # context: none
    values = [r.baseline_value, r.latest_value, r.target_level, target,
              r.median, *r.lower.values(), *r.upper.values()]
    out = {nf.bare(r, v) for v in values}
    out |= {nf.number(abs(v), nf.decimals(r)) for v in (prog.required_pace,
                                                           prog.recent_pace)}
    out |= {nf.number(abs(target), places)  # a yearly step, a growth rate
            for places in (1, nf.decimals(r)) if not math.isnan(target)}
    out |= {nf.share(v).rstrip("%").lstrip("-") for v in (prog.schedule_share,
                                                          prog.progress_share)}
    out |= {nf.times(prog.acceleration_needed, lang).split("倍")[0].split(" ")[0]}
    out |= set(_numbers(r.p_meet_text)) | {str(lv) for lv in r.levels}
    years = [r.baseline_year, r.latest_year, r.target_year, r.spec.baseline_year,
             r.fit_from, *r.history["year"].tolist(), *ind.breaks]
    if ind.schedule is not None:
        years.append(ind.schedule.expected_year)
    out |= {str(int(y)) for y in years if y is not None}
    if r.selection is not None:
        out.add(str(len(r.selection.members)))
    for note in r.notes:  # notes: as labels print them, and paces as the report does
        out |= set(_numbers(note.text(lang)))
        for v in note.params.values():
            with contextlib.suppress(ValueError):
                out.add(nf.number(abs(float(str(v).replace(",", ""))), nf.decimals(r)))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("plan", ALL_PLANS)
def test_every_number_in_a_paragraph_is_the_results(evaluation, section, plan, lang):
    ev, sec = evaluation(plan), section(plan, lang)
    for r in ev:
        text = bare = sec.paragraphs[(r.id, r.region)]
        for words in (r.name(lang), nf.unit_text(r.indicator.unit, lang,
                                                 r.indicator.unit_en or "").strip()):
            bare = bare.replace(words, "") if words else bare  # digits in names and units
        stray = [n for n in _numbers(bare) if n not in allowed_numbers(r, lang)]
        assert not stray, f"{plan}/{r.id}: numbers not in the result: {stray}\n{text}"
        first = r.levels[0]
        if r.latest_year is not None and r.spec.measure == "stock":
            assert nf.value(r, r.latest_value, lang) in text
        if r.model not in ("none", "schedule", "observed") and r.median == r.median:
            assert nf.value(r, r.median, lang) in text
            if r.lower[first] == r.lower[first] and r.lower[first] != r.upper[first]:
                assert nf.value(r, r.lower[first], lang) in text
                assert nf.value(r, r.upper[first], lang) in text
        if r.p_meet_text and not r.schedule_status and r.model != "observed":
            assert nf.probability(r, lang) in text


def test_probability_reads_in_words_with_the_number_in_brackets(evaluation, section):
    r = evaluation("cn_education_14th")["preschool_ger"]
    assert f"很可能完成（概率{r.p_meet_text}）" in section("cn_education_14th", "zh").paragraphs[
        ("preschool_ger", "")]
    higher = evaluation("cn_education_14th")["higher_ed_ger"]
    assert higher.p_meet_text == "> 0.99"
    assert "很可能完成（概率大于0.99）" in section("cn_education_14th", "zh").markdown


def test_overview_table_cells_and_spreadsheet_are_the_results(evaluation, section):
    ev, sec = evaluation("demo_city"), section("demo_city", "zh")
    table = next(b for b in sec.blocks if isinstance(b, Table))
    frame = sec.tables["overview"]
    assert len(table.rows) == len(ev) == len(frame)
    for r, row, (_, rec) in zip(ev, table.rows, frame.iterrows(), strict=True):
        assert row[0].startswith(r.name("zh"))
        assert row[4].split("\n")[0] == nf.bare(r, r.target_level)
        assert row[5].split("\n")[0] == nf.bare(r, r.median)
        assert row[7] == (r.p_meet_text or "—")
        assert rec["指标代码"] == r.id and rec["达标概率"] == r.p_meet_text
        if r.median == r.median:
            assert rec["预测中位数"] == round(r.median, nf.decimals(r))


# -- the files ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def written(evaluation, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    ev = evaluation("demo_city")
    paths = write_reports(ev, ("zh", "en"), out_dir=out)
    return out / "demo_city", paths


@pytest.mark.slow
def test_formats_are_written_under_plan_and_language(written):
    folder, paths = written
    for lang in LANGS:
        for name in ("report.md", "report.html", "report.docx", "tables.xlsx",
                     "table1_overview.csv"):
            assert (folder / lang / name).is_file()
    assert paths[-1] == folder / "manifest.json"
    csv = (folder / "zh" / "table1_overview.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "达标概率".encode() in csv
    book = load_workbook(folder / "zh" / "tables.xlsx")
    assert book.sheetnames == ["表1"] and book["表1"]["C1"].value == "指标"
    assert load_workbook(folder / "en" / "tables.xlsx")["Table 1"]["C1"].value == "indicator"


@pytest.mark.slow
def test_manifest_names_inputs_parameters_versions_and_every_output(written):
    folder, _ = written
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    outputs = {o["path"] for o in manifest["outputs"]}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
               if p.is_file() and p.name != "manifest.json"}
    assert outputs == on_disk and "zh/report.docx" in outputs
    assert manifest["plan"]["path"].endswith("demo_city/plan.yaml")
    assert len(manifest["inputs"]) == 2
    assert manifest["parameters"]["seed"] == 0 and manifest["parameters"]["as_of"] == 2023
    assert {"planlib", "python-docx", "pandas"} <= set(manifest["versions"])


@pytest.mark.slow
def test_manifest_lists_only_the_files_this_write_produced(evaluation, tmp_path):
    ev = evaluation("demo_city")
    folder = tmp_path / "demo_city"
    write_reports(ev, ("zh", "en"), out_dir=tmp_path)  # an earlier, fuller run
    (folder / "zh" / "notes.txt").write_text("a colleague's note", encoding="utf-8")
    paths = write_report(ev, "en", ["md", "csv"], out_dir=tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    assert set(listed) == {p.relative_to(folder).as_posix() for p in paths[:-1]}
    assert "en/report.md" in listed and "en/table1_overview.csv" in listed
    assert any(k.startswith("en/figures/") for k in listed)
    # left from the earlier run or put there by hand: on disk, not vouched for
    assert (folder / "zh" / "report.docx").is_file() and (folder / "en" / "report.docx").is_file()
    assert not any(k.startswith("zh/") or k.endswith(".docx") for k in listed)
    for rel, digest in listed.items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest


@pytest.mark.slow
def test_markdown_links_figures_by_relative_path(evaluation, written):
    folder, _ = written
    text = (folder / "zh" / "report.md").read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    for link in links:
        assert not link.startswith(("/", "http")) and (folder / "zh" / link).is_file()
    assert len(links) == len(evaluation("demo_city")) + 2


@pytest.mark.slow
def test_html_has_no_external_reference(written):
    folder, _ = written
    for lang in LANGS:
        page = (folder / lang / "report.html").read_text(encoding="utf-8")
        assert "http:" not in page and "https:" not in page and "<link" not in page
        assert "@import" not in page
        srcs = re.findall(r"""src=["']?([^"' >]+)""", page)
        assert all(s.startswith("data:") for s in srcs)
        urls = re.findall(r"url\(([^)]*)\)", page)
        assert all(u.strip("'\"").startswith("data:") for u in urls)
        assert "@page" in page and "A4" in page


@pytest.mark.slow
def test_html_embeds_figures_and_the_chinese_font(evaluation, written):
    folder, _ = written
    page = (folder / "zh" / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == len(evaluation("demo_city")) + 2
    assert "@font-face" in page and "data:font/ttf;base64," in page


def _style_fonts(document, name: str) -> dict[str, str]:
    rfonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


@pytest.mark.slow
def test_docx_has_east_asian_fonts_table_captions_and_pictures(evaluation, written):
    folder, _ = written
    document = docx.Document(str(folder / "zh" / "report.docx"))
    body = _style_fonts(document, "Normal")
    assert body["eastAsia"] == "宋体" and "eastAsiaTheme" not in body
    for level in (1, 2, 3):
        heading = _style_fonts(document, f"Heading {level}")
        assert heading["eastAsia"] == "黑体" and "eastAsiaTheme" not in heading
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.rows[0].cells[0].text == "指标（单位）"
    assert len(table.rows) == len(evaluation("demo_city")) + 1
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    texts = ["".join(t.text or "" for t in p._p.iter(qn("w:t"))) for p in captions]
    assert texts[0].startswith("表1")
    fields = [f.get(qn("w:instr")) for p in captions for f in p._p.iter(qn("w:fldSimple"))]
    assert " SEQ 表 \\* ARABIC " in fields
    n_fig = len(evaluation("demo_city")) + 2
    assert len(document.inline_shapes) == n_fig
    assert [t for t in texts if t.startswith("图")][-1].startswith(f"图{n_fig}")
    width = document.sections[0].page_width - document.sections[0].left_margin \
        - document.sections[0].right_margin
    assert all(abs(s.width - width) < 5000 for s in document.inline_shapes)
    english = docx.Document(str(folder / "en" / "report.docx"))
    captions_en = [p for p in english.paragraphs if p.style.name == "Caption"]
    assert "".join(t.text or "" for t in captions_en[0]._p.iter(qn("w:t"))).startswith(
        "Table 1")


def _all_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_rerun_gives_identical_bytes(evaluation, tmp_path, written):
    folder, _ = written
    ev = evaluation("demo_city")
    write_reports(ev, ("zh", "en"), out_dir=tmp_path)
    again = _all_bytes(tmp_path / "demo_city")
    first = _all_bytes(folder)
    assert again.keys() == first.keys()
    assert [k for k in first if first[k] != again[k]] == []
    with zipfile.ZipFile(folder / "zh" / "report.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 1, 1, 0, 0, 0)}


def test_source_date_epoch_sets_the_printed_date_and_document_dates(evaluation, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    sec = build_section(evaluation("synthetic_b"), "zh", figures=False)
    assert "评估时点：2023年11月14日" in sec.markdown
    from planlib.outputs.report.to_docx import to_docx

    document = docx.Document(io.BytesIO(to_docx(sec)))
    assert document.core_properties.created.isoformat().startswith("2023-11-14")


# -- command line -----------------------------------------------------------------------------
@pytest.mark.slow
def test_cli_report_writes_the_chosen_formats(tmp_path):
    code = cli.run(["report", "--plan", "demo_city", "--lang", "en", "--format", "md,csv",
                    "--out", str(tmp_path)])
    assert code == 0
    folder = tmp_path / "demo_city"
    assert (folder / "en" / "report.md").is_file()
    assert (folder / "en" / "table1_overview.csv").is_file()
    assert not (folder / "en" / "report.docx").exists() and (folder / "manifest.json").is_file()


def test_cli_report_refuses_an_output_folder_among_the_inputs(capsys):
    data = Path(planlib.config.RAW_DIR) / "demo_city"
    assert cli.run(["report", "--plan", "demo_city", "--out", str(data)]) == 2
    assert "output folder" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--lang", "fr"], ["--format", "pdf"]])
def test_cli_report_refuses_unknown_languages_and_formats(args, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.run(["report", *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert args[1] in err


# -- a real browser ------------------------------------------------------------------------------

def _screenshot(html_file: Path, png: Path, size: str = "1000,1400") -> object:
    from PIL import Image

    browser = chromium()
    assert browser is not None
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--hide-scrollbars",
                    f"--window-size={size}", f"--screenshot={png}", html_file.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return Image.open(png).convert("L")


@pytest.mark.slow
@browser_test
def test_browser_shows_the_page_and_chinese_glyphs(tmp_path, written):
    folder, _ = written
    page = _screenshot(folder / "zh" / "report.html", tmp_path / "page.png")
    lo, hi = page.getextrema()
    assert hi - lo > 100  # not blank
    dark = sum(1 for v in page.get_flattened_data() if v < 128)
    assert dark > 2000  # text was drawn
    # two different Chinese strings, alone on a page with the report's own font rules:
    # boxes (a missing font) would draw the same shapes for both
    from planlib.outputs.report.to_html import FALLBACK_FAMILIES, FONT_FAMILY, font_faces

    shots = []
    for i, text in enumerate(("时间过半任务过半", "学前教育毛入园率")):
        faces = font_faces(text)
        family = ", ".join(([f"'{FONT_FAMILY}'"] if faces else []) + list(FALLBACK_FAMILIES))
        probe = tmp_path / f"probe{i}.html"
        probe.write_text(f"<html><head><meta charset='utf-8'><style>{faces} body {{ "
                         f"font-family: {family}; font-size: 48px; margin: 10px; }}</style>"
                         f"</head><body>{text}</body></html>", encoding="utf-8")
        shots.append(_screenshot(probe, tmp_path / f"probe{i}.png", "500,100"))
    assert list(shots[0].get_flattened_data()) != list(shots[1].get_flattened_data())
    from PIL import ImageChops

    diff = ImageChops.difference(shots[0], shots[1])
    assert sum(1 for v in diff.get_flattened_data() if v > 64) > 500


@pytest.mark.slow
def test_overview_says_an_interval_collapsed_on_a_bound_lies_at_the_bound(evaluation):
    ev = evaluation("demo_city")
    for lang, text in (("zh", "边界值100.0"), ("en", "at the bound 100.0")):
        md = build_section(ev, lang).markdown
        row = next(line for line in md.splitlines()
                   if line.startswith("|") and ("心理健康" in line or "counsellor" in line))
        assert text in row and "100.0–100.0" not in row
