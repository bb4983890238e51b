"""PDF font subsets made once per process (planlib.outputs.figures.pdf_fonts): fontTools
subsets a font once for the same glyphs, and the PDF is byte for byte what matplotlib
writes without the cache."""

from __future__ import annotations

import io

import pytest
from fontTools import subset
from matplotlib.backends import _backend_pdf_ps

from planlib.outputs.figures import pdf_fonts, style

needs_subset_results = pytest.mark.skipif(not hasattr(_backend_pdf_ps, "SubsetResults"),
                                          reason="cache used with matplotlib >= 3.11 only")


def _figure(title: str):
    fig = style.figure(style.HALF_WIDTH, 4 * style.CM)
    ax = fig.add_subplot()
    ax.plot([2020, 2021, 2022], [51.5, 53.0, 54.25])
    ax.set_title(title)
    ax.set_ylabel("毛入园率（%）")
    return fig


def _uncached_pdf(title: str) -> bytes:
    """The PDF as matplotlib writes it, fontTools subsetting every font itself."""
    fig = style.freeze_layout(_figure(title))
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf", dpi=style.PNG_DPI, metadata={"CreationDate": None,
                                                               "ModDate": None})
    return buf.getvalue()


@needs_subset_results
def test_same_glyphs_are_subset_once_and_the_pdf_bytes_do_not_change(monkeypatch):
    monkeypatch.setenv(style.FONT_ENV, "shipped")  # a TrueType font: embedded as a subset
    style._cached_cjk_family.cache_clear()
    try:
        _check_subsets(monkeypatch)
    finally:
        style._cached_cjk_family.cache_clear()


def _check_subsets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_fonts, "_CACHE", type(pdf_fonts._CACHE)())
    runs = []
    real = subset.Subsetter.subset
    monkeypatch.setattr(subset.Subsetter, "subset",
                        lambda self, font: (runs.append(1), real(self, font))[1])
    first = style.figure_bytes(_figure("学前教育毛入园率"), "pdf")
    per_pdf = len(runs)
    assert per_pdf == 2  # the regular and the bold (title) weight
    again = style.figure_bytes(_figure("学前教育毛入园率"), "pdf")
    assert len(runs) == per_pdf  # the second figure, same glyphs: no subsetting at all
    assert again == first
    other = style.figure_bytes(_figure("义务教育巩固率"), "pdf")  # other title glyphs
    assert len(runs) == per_pdf + 1  # only the bold weight's glyphs are new
    assert first == _uncached_pdf("学前教育毛入园率")
    assert other == _uncached_pdf("义务教育巩固率")
    assert _backend_pdf_ps.get_glyphs_subset is not None
    assert "_cached" not in repr(_backend_pdf_ps.get_glyphs_subset)  # restored after saving



@needs_subset_results
def test_a_changed_private_interface_falls_back_to_matplotlibs_own_subsetting(monkeypatch):
    monkeypatch.setenv(style.FONT_ENV, "shipped")
    style._cached_cjk_family.cache_clear()
    try:
        monkeypatch.setattr(pdf_fonts, "_CACHE", type(pdf_fonts._CACHE)())

        def moved(fontfile: object, glyphs: object) -> None:
            raise AttributeError("a font file without the attributes this matplotlib had")

        monkeypatch.setattr(pdf_fonts, "_key", moved)  # the remembered path fails at once
        pdf = style.figure_bytes(_figure("学前教育毛入园率"), "pdf")
        assert not pdf_fonts._CACHE  # nothing remembered: matplotlib subset the fonts itself
        assert pdf == _uncached_pdf("学前教育毛入园率")
    finally:
        style._cached_cjk_family.cache_clear()


@needs_subset_results
def test_workers_find_the_subsets_another_worker_made(monkeypatch):
    """A worker starts with an empty cache of its own (here: emptied); inside
    shared_between_workers it reads what another one made instead of subsetting again."""
    monkeypatch.setenv(style.FONT_ENV, "shipped")
    style._cached_cjk_family.cache_clear()
    try:
        runs = []
        real = subset.Subsetter.subset
        monkeypatch.setattr(subset.Subsetter, "subset",
                            lambda self, font: (runs.append(1), real(self, font))[1])
        with pdf_fonts.shared_between_workers():
            folder = pdf_fonts._SHARED[-1]
            monkeypatch.setattr(pdf_fonts, "_CACHE", type(pdf_fonts._CACHE)())
            first = style.figure_bytes(_figure("学前教育毛入园率"), "pdf")
            assert len(runs) == 2 and len(list(folder.iterdir())) == 2  # regular, bold
            monkeypatch.setattr(pdf_fonts, "_CACHE", type(pdf_fonts._CACHE)())  # "another"
            again = style.figure_bytes(_figure("学前教育毛入园率"), "pdf")
        assert len(runs) == 2  # found, not made again
        assert again == first == _uncached_pdf("学前教育毛入园率")
        assert not folder.exists() and not pdf_fonts._SHARED  # removed after the run
    finally:
        style._cached_cjk_family.cache_clear()
