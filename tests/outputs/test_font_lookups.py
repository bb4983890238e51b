"""Fonts looked up and their tables read once while figures are drawn
(planlib.outputs.figures.font_lookups): the same bytes as matplotlib looking every text's
fonts up and reading their tables afresh."""

from __future__ import annotations

import matplotlib.font_manager as fm
import matplotlib.text as mtext

from planlib.outputs.figures import font_lookups, style


def _figure():
    fig = style.figure(style.HALF_WIDTH, 4 * style.CM)
    ax = fig.add_subplot()
    ax.plot([2020, 2021, 2022], [51.5, 53.0, 54.25], label="学前教育毛入园率")
    ax.set_title("学前教育毛入园率（%）")
    ax.legend()
    return fig


def test_tables_read_once_give_the_bytes_of_tables_read_each_time(monkeypatch) -> None:
    plain = {fmt: style._encoded(_figure(), fmt) for fmt in ("png", "svg")}  # unpatched
    monkeypatch.setattr(font_lookups, "_TABLES", {})
    reads: list[str] = []
    real = font_lookups._TablesRead.get_sfnt_table

    def counted(self, name):  # every table a text's layout asks for
        reads.append(name)
        return real(self, name)

    monkeypatch.setattr(font_lookups._TablesRead, "get_sfnt_table", counted)
    with font_lookups.fonts_remembered():
        assert getattr(mtext.get_font, "remembering", False)
        assert "_find_fonts_by_props" in vars(fm.fontManager)  # looked up once
        with font_lookups.fonts_remembered():  # nested: patched once, not twice
            patched = mtext.get_font
        remembered = {fmt: style._encoded(_figure(), fmt) for fmt in ("png", "svg")}
        assert mtext.get_font is patched
    assert remembered == plain
    assert not getattr(mtext.get_font, "remembering", False)  # restored after drawing
    assert "_find_fonts_by_props" not in vars(fm.fontManager)
    read_from_font = sum(len(tables) for tables in font_lookups._TABLES.values())
    assert len(reads) > 20 * read_from_font  # many layouts, few real reads ('OS/2', 'head')
    assert read_from_font <= 2 * len(font_lookups._TABLES)
