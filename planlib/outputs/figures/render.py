"""Figures drawn to file bytes, in two worker processes when there are many: a chart's cost
is nearly all matplotlib's text layout, rasteriser and PDF font subsetting (measured in
benchmarks/README.md, many indicators), so the large saving left that keeps every byte is
to draw on both cores at once.

Workers are forked (Linux, `planlib.core.forked`), so the recipes -- closures over the
evaluation, which cannot be pickled -- are inherited rather than sent; only an index goes
out and the bytes come back, in the recipes' order. Each figure is drawn alone from its
recipe, in a worker or here, and a figure's bytes do not depend on what was drawn before it
(style.freeze_layout), so the output is the same with any number of workers. Warnings a
worker raises (a name the font cannot draw) are raised again here, in order; the PDF font
subsets one worker makes are used by the others (`pdf_fonts.shared_between_workers`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from functools import partial

from matplotlib.figure import Figure

from planlib.core import forked
from planlib.core.forked import MAX_WORKERS, WORKERS_ENV  # noqa: F401 -- re-exported
from planlib.outputs.figures import pdf_fonts, style

#: A figure not drawn yet: its file stem and the call that draws it.
Recipe = tuple[str, Callable[[], Figure]]

#: Fewer figures than this are drawn here: starting workers would cost more than it saves.
POOL_FROM = 8

Files = list[tuple[str, bytes]]


def workers(n_figures: int) -> int:
    """How many worker processes draw ``n_figures`` figures (`forked.workers`: PLANLIB_WORKERS
    when set, else up to MAX_WORKERS and the cores; 1 for few figures or without fork)."""
    return forked.workers(n_figures, POOL_FROM)


def _draw(recipe: Recipe, formats: Sequence[str]) -> Files:
    """One figure drawn from its recipe and encoded in ``formats``."""
    stem, draw = recipe
    return style.figure_files(draw(), stem, formats)


def _draw_caught(formats: Sequence[str], recipe: Recipe) -> tuple[Files, list[Warning | str]]:
    """In a worker: the files of ``recipe`` and the warnings drawing it raised (whole, so
    their fields survive the trip)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = _draw(recipe, formats)
    return files, [w.message for w in caught]


def rendered(recipes: Sequence[Recipe], formats: Sequence[str] = style.FORMATS,
             n_workers: int | None = None) -> Iterator[tuple[str, Files]]:
    """(stem, [(file name, bytes), …]) for each recipe, in order, each figure drawn only
    when reached (one at a time here, or in ``n_workers`` worker processes; default
    `workers`)."""
    formats = tuple(formats)
    n = workers(len(recipes)) if n_workers is None else n_workers
    if n <= 1:
        for recipe in recipes:
            yield recipe[0], _draw(recipe, formats)
        return
    with pdf_fonts.shared_between_workers() if "pdf" in formats else nullcontext():
        drawn = forked.forked_map(partial(_draw_caught, formats), recipes, n)
        for recipe, (files, caught) in zip(recipes, drawn, strict=True):
            for message in caught:
                warnings.warn(message, stacklevel=2)
            yield recipe[0], files
